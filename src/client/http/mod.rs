//! The one place that sends requests to Graph and the Teams admin API.
//!
//! Every call gets the contract's headers (bearer token for its API's scope, `Accept`, a fresh
//! `client-request-id`/`x-ms-correlation-id`, our `User-Agent`), is retried on transient failures within
//! the retry budget, and comes back either as a 2xx [`Response`] or as a decoded [`ApiError`]. A 401 from
//! an API drops the cached token and tries once more with a fresh one, since tokens can be revoked early.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, ACCEPT, RETRY_AFTER, USER_AGENT};
use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::auth::TokenSource;
use super::Environment;
use error::{decode_error_response, ApiError, Permission, Service};
use retry::{is_transient_status, parse_retry_after, RetryPolicy};
use teamsphone_contract::{GRAPH_SCOPE, TEAMS_SCOPE};
use tokio::sync::Semaphore;

pub mod error;
pub mod retry;

/// A request as the API client describes it; the transport adds everything else.
#[derive(Debug)]
pub struct Request {
    pub service: Service,
    pub method: Method,
    pub url: Url,
    pub body: Option<serde_json::Value>,
    /// What the app needs for this call, so a 403 can name it.
    pub permission: Permission,
}

/// A successful (2xx) answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    /// Decodes the body as JSON, turning a mismatch into a readable error.
    pub fn json<T: DeserializeOwned>(&self, service: Service) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|e| ApiError::InvalidResponse {
            service,
            status: self.status,
            detail: format!("the body is not what the contract describes: {e}"),
        })
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
    Transient(ApiError, Option<Duration>),
}

impl Transport {
    pub fn new(
        http: reqwest::Client,
        tokens: TokenSource,
        retry: RetryPolicy,
        environment: Environment,
        max_concurrent_requests: usize,
    ) -> Self {
        Transport {
            http,
            tokens,
            retry,
            environment,
            in_flight: Semaphore::new(max_concurrent_requests.max(1)),
        }
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

    /// Sends `request`, retrying transient failures until the retry budget is spent.
    pub async fn send(&self, request: &Request) -> Result<Response, ApiError> {
        self.check_cloud(request)?;
        let started = Instant::now();
        let deadline = started + self.retry.budget;
        let mut attempt = 0;
        let mut refreshed_token = false;
        loop {
            attempt += 1;
            let (error, retry_after) = match self.attempt(request).await {
                Attempt::Done(response) => return Ok(response),
                Attempt::Fatal(e) if e.status() == Some(401) && !refreshed_token => {
                    refreshed_token = true;
                    self.tokens.invalidate(scope_of(request.service)).await;
                    (e, Some(Duration::ZERO))
                }
                Attempt::Fatal(e) => return Err(e),
                Attempt::Transient(e, retry_after) => (e, retry_after),
            };
            match self.retry.next_wait(attempt, retry_after, deadline) {
                Some(wait) => {
                    tracing::debug!(
                        method = %request.method,
                        url = %request.url,
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "retrying: {error}"
                    );
                    tokio::time::sleep(wait).await;
                }
                None if attempt == 1 => return Err(error),
                None => {
                    return Err(ApiError::RetriesExhausted {
                        attempts: attempt,
                        elapsed: started.elapsed(),
                        last: Box::new(error),
                    })
                }
            }
        }
    }

    async fn attempt(&self, request: &Request) -> Attempt {
        // The token source already retried its own transient failures.
        let token = match self.tokens.token(scope_of(request.service)).await {
            Ok(token) => token,
            Err(e) => return Attempt::Fatal(e),
        };
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
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        let answer = match builder.send().await {
            Ok(answer) => answer,
            Err(e) => {
                let error = ApiError::Communication {
                    service: request.service,
                    url: request.url.to_string(),
                    detail: e.without_url().to_string(),
                };
                return Attempt::Transient(error, None);
            }
        };
        let status = answer.status().as_u16();
        let headers = answer.headers().clone();
        let body = match answer.bytes().await {
            Ok(body) => body.to_vec(),
            Err(e) => {
                let error = ApiError::Communication {
                    service: request.service,
                    url: request.url.to_string(),
                    detail: format!("the answer was cut off: {}", e.without_url()),
                };
                return Attempt::Transient(error, None);
            }
        };
        let request_id = headers
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        tracing::debug!(
            method = %request.method,
            url = %request.url,
            status,
            request_id = request_id.as_deref().unwrap_or(""),
            client_request_id = %correlation,
            "teams admin api call"
        );
        if (200..300).contains(&status) {
            return Attempt::Done(Response {
                status,
                headers,
                body,
            });
        }
        let error = ApiError::Response(decode_error_response(
            request.service,
            status,
            request_id,
            &body,
            Some(request.permission),
        ));
        if is_transient_status(status) {
            let retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            Attempt::Transient(error, retry_after)
        } else {
            Attempt::Fatal(error)
        }
    }
}
