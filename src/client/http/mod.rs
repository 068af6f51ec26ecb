//! The one place that sends requests to Graph and the Teams admin API.
//!
//! Every call gets the contract's headers (bearer token for its API's scope, `Accept`, a fresh
//! `client-request-id`/`x-ms-correlation-id`, our `User-Agent`), is retried on transient failures within
//! the retry budget, and comes back either as a 2xx [`Response`] or as a decoded [`ApiError`]. A 401 from
//! an API drops the cached token and tries once more with a fresh one, since tokens can be revoked early.
//!
//! The other side is not trusted to be well behaved (contract section 6): redirects are never followed
//! (a 3xx is an [`ApiError::Redirected`] naming only the target host), bodies are read streaming up to a
//! cap ([`body`]), and every piece of server text that ends up in an error or a log line is scrubbed of
//! credentials and cut short ([`scrub`]).

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, ACCEPT, LOCATION, RETRY_AFTER, USER_AGENT};
use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::auth::{Secret, TokenSource};
use super::Environment;
use body::{read_capped, size, Capped, MAX_ERROR_BODY, MAX_SUCCESS_BODY};
use error::{
    decode_error_response, location_target, setting_of, ApiError, Permission, Service,
    MAX_QUOTED_BODY,
};
use retry::{gave_up, is_transient_status, is_unsure_status, parse_retry_after, RetryPolicy};
use scrub::Scrubber;
use teamsphone_contract::{GRAPH_SCOPE, TEAMS_SCOPE};
use tokio::sync::Semaphore;
use wirelog::{Exchange, WireLog};

pub mod body;
pub mod decode;
pub mod error;
pub mod retry;
pub mod scrub;
pub mod wirelog;

/// The one way an HTTP client is built, for the APIs and the token endpoint alike: redirects off
/// (a 3xx comes back as an answer, and becomes an error), rustls, and the given answer timeout.
pub fn http_client(request_timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .https_only(false) // loopback http is allowed for the emulator; checked in the provider
        .redirect(reqwest::redirect::Policy::none())
        .timeout(request_timeout)
        .connect_timeout(Duration::from_secs(15))
        .build()
}

/// The error for a 3xx answer: never followed, named by its target host only.
pub fn redirect_error(
    service: Service,
    status: u16,
    request_url: &Url,
    headers: &HeaderMap,
) -> ApiError {
    let location = headers.get(LOCATION).and_then(|v| v.to_str().ok());
    ApiError::Redirected {
        service,
        status,
        target: location_target(request_url, location),
        setting: setting_of(service),
    }
}

/// A request as the API client describes it; the transport adds everything else.
#[derive(Debug)]
pub struct Request {
    pub service: Service,
    pub method: Method,
    pub url: Url,
    pub body: Option<serde_json::Value>,
    /// What the app needs for this call, so a 403 can name it.
    pub permission: Permission,
    /// The cmdlet (or Graph call) this request stands for: a Teams call sends it as
    /// `X-MS-CmdletName`, and every error about its answer names it.
    pub call: &'static str,
}

/// A successful (2xx) answer.
#[derive(Debug)]
pub struct Response {
    pub service: Service,
    /// The request's [`Request::call`], so decoding names the call without being told twice.
    pub call: &'static str,
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// For quoting anything of this answer in an error.
    pub scrub: Scrubber,
}

impl Response {
    fn context(&self) -> decode::Context<'_> {
        decode::Context {
            service: self.service,
            status: self.status,
            call: self.call,
            scrub: &self.scrub,
        }
    }

    /// Decodes the whole body (a collection or a page) through [`decode`]: field names compare
    /// case-insensitively, a mismatch is a readable error naming `call`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        decode::whole(&self.body, &self.context())
    }

    /// [`Response::json`] streamed, without a JSON tree: for large pages.
    pub fn json_streamed<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        decode::streamed(&self.body, &self.context())
    }

    /// Decodes a single entity in any shape of contract section 7; an empty body is `None` (a write
    /// that answered nothing: read it back).
    pub fn entity<T: DeserializeOwned>(&self) -> Result<decode::Decoded<T>, ApiError> {
        decode::entity(&self.body, &self.context())
    }

    /// [`Response::entity`] for a read, where an empty body is an error naming `call`.
    pub fn one<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        decode::entity(&self.body, &self.context())?
            .value
            .ok_or_else(|| ApiError::InvalidResponse {
                service: self.service,
                status: self.status,
                detail: format!("{} answered without a body", self.call),
            })
    }

    /// A single entity wrapped under `key` (`{"AutoAttendant":{..}}`), through [`decode::wrapped`];
    /// an empty body is `None`.
    pub fn wrapped<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ApiError> {
        Ok(decode::wrapped(&self.body, key, &self.context())?.value)
    }

    /// The entity a write answered; for a 2xx write that answered no body (contract section 7),
    /// what `read_back` finds instead. Neither is an error naming the call and `what` (already
    /// quoted). `read_back` is a future, so it sends nothing unless it is needed.
    pub async fn entity_or_read_back<T: DeserializeOwned>(
        &self,
        what: &str,
        read_back: impl std::future::Future<Output = Result<Option<T>, ApiError>>,
    ) -> Result<T, ApiError> {
        if let Some(written) = self.entity()?.value {
            return Ok(written);
        }
        read_back.await?.ok_or_else(|| ApiError::InvalidResponse {
            service: self.service,
            status: self.status,
            detail: format!(
                "{} answered without a body and {what} could not be read back",
                self.call
            ),
        })
    }

    /// Server text from this answer, safe to put in an error.
    pub fn quote(&self, text: &str) -> String {
        self.scrub.clean(text, MAX_QUOTED_BODY)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub struct Transport {
    http: reqwest::Client,
    tokens: TokenSource,
    retry: RetryPolicy,
    environment: Environment,
    /// Bounds requests in flight to this tenant, so many parallel resources (or many tenants in one
    /// configuration) stay under each tenant's throttling.
    in_flight: Semaphore,
    /// Shared with the token source, which tells it every secret, assertion and token.
    scrub: Scrubber,
    /// `TEAMSPHONE_WIRE_LOG`, when set: every attempt is written there, scrubbed.
    wire_log: Option<std::sync::Arc<WireLog>>,
}

/// Graph's Teams administration endpoints exist in the global cloud only (contract: hosts).
const GRAPH_TEAMS_ADMIN_PATH: &str = "/v1.0/admin/teams/";

/// Sent with every request so Microsoft's logs (and the emulator's) can tell who called.
pub const USER_AGENT_VALUE: &str =
    concat!("terraform-provider-teamsphone/", env!("CARGO_PKG_VERSION"));

fn scope_of(service: Service) -> &'static str {
    match service {
        Service::Graph => GRAPH_SCOPE,
        Service::Teams | Service::Login => TEAMS_SCOPE,
    }
}

enum Attempt {
    Done(Response),
    Fatal(ApiError),
    /// Failed before the service could act on it (throttled, not connected): safe to repeat.
    Transient(ApiError, Option<Duration>),
    /// Failed after it was sent, without an answer saying what happened (cut connection, cut
    /// answer, timeout, 503/504): a read or an idempotent write may be repeated, a create may not.
    Unsure(ApiError, Option<Duration>),
}

impl Transport {
    pub fn new(
        http: reqwest::Client,
        tokens: TokenSource,
        retry: RetryPolicy,
        environment: Environment,
        max_concurrent_requests: usize,
        wire_log: Option<std::sync::Arc<WireLog>>,
    ) -> Self {
        let scrub = tokens.scrubber();
        Transport {
            http,
            tokens,
            retry,
            environment,
            in_flight: Semaphore::new(max_concurrent_requests.max(1)),
            scrub,
            wire_log,
        }
    }

    /// A token for `scope` from this transport's source (cached, single-flight), for callers that
    /// read its claims (`doctor`); the token itself is never shown.
    pub async fn token(&self, scope: &str) -> Result<Secret, ApiError> {
        self.tokens.token(scope).await
    }

    /// The token source, for tests that watch its cache.
    #[cfg(test)]
    pub(crate) fn tokens(&self) -> &TokenSource {
        &self.tokens
    }

    /// The scrubber every error of this client goes through.
    pub fn scrubber(&self) -> &Scrubber {
        &self.scrub
    }

    /// Refuses, before sending, a call that cannot exist in this cloud, instead of letting it 404.
    fn check_cloud(&self, request: &Request) -> Result<(), ApiError> {
        if request.service == Service::Graph
            && self.environment != Environment::Global
            && request.url.path().contains(GRAPH_TEAMS_ADMIN_PATH)
        {
            return Err(ApiError::UnsupportedInCloud {
                environment: self.environment.to_string(),
                what: format!(
                    "Microsoft Graph {}",
                    GRAPH_TEAMS_ADMIN_PATH.trim_end_matches('/')
                ),
            });
        }
        Ok(())
    }

    /// [`Transport::send`], with a 404 answered as `None`: for reads of one object and for
    /// deletes, where "not there" is an answer rather than an error.
    pub async fn send_unless_absent(
        &self,
        request: &Request,
    ) -> Result<Option<Response>, ApiError> {
        match self.send(request).await {
            Ok(answer) => Ok(Some(answer)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Sends `request`, retrying transient failures until the retry budget is spent.
    pub async fn send(&self, request: &Request) -> Result<Response, ApiError> {
        self.send_with(request, true).await
    }

    /// [`Transport::send`] for a create that must not happen twice (the API has no unique key
    /// that would refuse a second one): only failures the service surely did not act on
    /// (throttling, no connection, a stale token) are retried here. One that may have carried the
    /// write out comes back at once as [`ApiError::Unanswered`], for the caller to look before it
    /// sends again.
    pub async fn send_unrepeated(&self, request: &Request) -> Result<Response, ApiError> {
        self.send_with(request, false).await
    }

    async fn send_with(
        &self,
        request: &Request,
        repeat_unsure: bool,
    ) -> Result<Response, ApiError> {
        self.check_cloud(request)?;
        let started = Instant::now();
        let deadline = started + self.retry.budget;
        let mut attempt = 0;
        let mut refreshed_token = false;
        loop {
            attempt += 1;
            // The token source already retried its own transient failures (and remembers a failure
            // briefly, so every caller waiting on it hears the same answer at once).
            let scope = scope_of(request.service);
            let token = self.tokens.token(scope).await?;
            let (error, retry_after) = match self.attempt(request, &token).await {
                Attempt::Done(response) => return Ok(response),
                Attempt::Fatal(e) if e.status() == Some(401) && !refreshed_token => {
                    refreshed_token = true;
                    // Only this token is dropped: if another caller already replaced it, the
                    // replacement stays.
                    self.tokens.invalidate(scope, &token).await;
                    (e, Some(Duration::ZERO))
                }
                Attempt::Fatal(e) => return Err(e),
                Attempt::Transient(e, retry_after) => (e, retry_after),
                Attempt::Unsure(e, retry_after) if repeat_unsure => (e, retry_after),
                Attempt::Unsure(e, retry_after) => {
                    return Err(ApiError::Unanswered {
                        last: Box::new(e),
                        retry_after,
                    })
                }
            };
            match self.retry.next_wait(attempt, retry_after, deadline) {
                Some(wait) => {
                    tracing::debug!(
                        method = %request.method,
                        url = %self.scrub.clean(request.url.as_str(), 500),
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "retrying: {error}"
                    );
                    tokio::time::sleep(wait).await;
                }
                None => return Err(gave_up(attempt, started, error)),
            }
        }
    }

    async fn attempt(&self, request: &Request, token: &Secret) -> Attempt {
        // A closed semaphore cannot happen (it is never closed); treat it as no limit rather than panic.
        let _permit = self.in_flight.acquire().await.ok();
        let correlation = uuid::Uuid::new_v4().to_string();
        let mut builder = self
            .http
            .request(request.method.clone(), request.url.clone())
            .bearer_auth(token.expose())
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, USER_AGENT_VALUE)
            .header("client-request-id", &correlation)
            .header("x-ms-correlation-id", &correlation);
        if request.service == Service::Teams {
            builder = builder.header("X-MS-CmdletName", request.call);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        let started_at = SystemTime::now();
        let started = Instant::now();
        let (answer, sent_headers, sent_body) = match builder.build() {
            Ok(built) => {
                // Kept only for the wire log, which shows what went out.
                let logged = self.wire_log.as_ref().map(|_| {
                    let body = built.body().and_then(|b| b.as_bytes()).map(<[u8]>::to_vec);
                    (built.headers().clone(), body)
                });
                let (headers, body) = logged.unwrap_or_default();
                (self.http.execute(built).await, headers, body)
            }
            Err(e) => (Err(e), HeaderMap::new(), None),
        };
        let log = |status: Option<u16>,
                   answer_headers: Option<&HeaderMap>,
                   answer_body: Option<&[u8]>,
                   error: Option<String>| {
            if let Some(wire_log) = &self.wire_log {
                wire_log.record(&Exchange {
                    service: &request.service.to_string(),
                    method: request.method.as_str(),
                    url: request.url.as_str(),
                    request_headers: &sent_headers,
                    request_body: sent_body.as_deref(),
                    status,
                    response_headers: answer_headers,
                    response_body: answer_body,
                    error,
                    started: started_at,
                    elapsed: started.elapsed(),
                });
            }
        };
        let answer = match answer {
            Ok(answer) => answer,
            Err(e) => {
                // Not connected (or not even built): the request never left.
                let sent = !e.is_connect() && !e.is_builder();
                let error = ApiError::Communication {
                    service: request.service,
                    url: request.url.to_string(),
                    detail: e.without_url().to_string(),
                };
                log(None, None, None, Some(error.to_string()));
                return if sent {
                    Attempt::Unsure(error, None)
                } else {
                    Attempt::Transient(error, None)
                };
            }
        };
        let status = answer.status().as_u16();
        let headers = answer.headers().clone();
        if (300..400).contains(&status) {
            log(Some(status), Some(&headers), None, None);
            return Attempt::Fatal(redirect_error(
                request.service,
                status,
                &request.url,
                &headers,
            ));
        }
        let success = (200..300).contains(&status);
        let cap = if success {
            MAX_SUCCESS_BODY
        } else {
            MAX_ERROR_BODY
        };
        let read = read_capped(answer, cap).await;
        match &read {
            Ok(Capped::Whole(body) | Capped::Cut(body)) => {
                log(Some(status), Some(&headers), Some(body), None)
            }
            Err(e) => log(
                Some(status),
                Some(&headers),
                None,
                Some(format!("the answer was cut off: {}", e)),
            ),
        }
        let body = match read {
            Ok(Capped::Whole(body)) => body,
            // An error's first part says what went wrong; the rest is not worth the memory.
            Ok(Capped::Cut(body)) if !success => body,
            Ok(Capped::Cut(_)) => {
                return Attempt::Fatal(ApiError::InvalidResponse {
                    service: request.service,
                    status,
                    detail: format!(
                        "the answer is larger than {}, the most the provider reads of one answer; it was not read further",
                        size(MAX_SUCCESS_BODY)
                    ),
                })
            }
            Err(e) => {
                let error = ApiError::Communication {
                    service: request.service,
                    url: request.url.to_string(),
                    detail: format!("the answer was cut off: {}", e.without_url()),
                };
                // A status came, so the service acted; only its answer is missing.
                return Attempt::Unsure(error, None);
            }
        };
        let request_id = headers
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        tracing::debug!(
            method = %request.method,
            url = %self.scrub.clean(request.url.as_str(), 500),
            status,
            request_id = %self.scrub.clean(request_id.as_deref().unwrap_or(""), 100),
            client_request_id = %correlation,
            "teams admin api call"
        );
        if (200..300).contains(&status) {
            return Attempt::Done(Response {
                service: request.service,
                call: request.call,
                status,
                headers,
                body,
                scrub: self.scrub.clone(),
            });
        }
        let error = ApiError::Response(
            decode_error_response(
                request.service,
                status,
                request_id,
                &body,
                Some(request.permission),
            )
            .scrubbed(&self.scrub),
        );
        if is_transient_status(status) {
            let retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            if is_unsure_status(status) {
                Attempt::Unsure(error, retry_after)
            } else {
                Attempt::Transient(error, retry_after)
            }
        } else {
            Attempt::Fatal(error)
        }
    }
}
