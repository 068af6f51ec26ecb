//! OAuth2 client-credentials tokens, one per scope, cached until shortly before they expire.
//!
//! Graph and the Teams tenant admin API need tokens for different scopes, and a Terraform run makes
//! hundreds of calls, so each scope's token is fetched once and reused until five minutes before its
//! `expires_in` (or half its life, for short-lived tokens). Secrets and tokens live in [`Secret`], whose
//! `Debug` never prints them, and every one of them is handed to the client's [`Scrubber`], so no text
//! a server echoes back can carry one into a diagnostic.
//!
//! Fetching is single-flight per scope: each scope has its own lock, held across that scope's fetch
//! (never the other scope's), so concurrent callers queue behind one fetch and then read its result
//! from the slot: the token, or the failure, which is remembered for [`FAILURE_MEMORY`]. Without that,
//! a login outage made every waiting resource run its own five-minute retry in turn. A 401 from an API
//! drops the cached token only if it is still the one that was rejected, so a caller holding an old
//! token cannot throw away the fresh one another caller just fetched.
//!
//! The login answer is server text like any other: redirects are refused (a 307 would re-post the
//! secret elsewhere), the body is read up to a cap, `expires_in` is checked and clamped, and the
//! `error_description` is scrubbed and cut short.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use url::Url;

use super::http::body::{read_capped, size, Capped, MAX_ERROR_BODY};
use super::http::error::{ApiError, Service, MAX_QUOTED_BODY};
use super::http::redirect_error;
use super::http::retry::{
    gave_up, is_transient_status, parse_retry_after, seconds_to_duration, RetryPolicy,
};
use super::http::scrub::Scrubber;
use super::http::wirelog::{Exchange, WireLog};
use assertion::ClientCertificate;

pub mod assertion;

/// A string that must never be shown: client secrets and access tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How the app proves who it is.
#[derive(Debug, Clone)]
pub enum Credential {
    ClientSecret(Secret),
    /// A certificate and key that sign a fresh client assertion for every token request.
    Certificate(Arc<ClientCertificate>),
    /// Workload identity federation: a token from another issuer (a CI system), re-read from this
    /// file for every token request because CI runners rotate it.
    FederatedTokenFile(PathBuf),
}

impl Credential {
    /// The method's name as the provider documentation uses it.
    pub fn method(&self) -> &'static str {
        match self {
            Credential::ClientSecret(_) => "client secret",
            Credential::Certificate(_) => "client certificate",
            Credential::FederatedTokenFile(_) => "workload identity federation (OIDC)",
        }
    }
}

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Refresh this long before the server's expiry.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);
/// Longest token life believed; Entra issues 60 to 90 minutes, a bigger `expires_in` is clamped.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Life assumed when `expires_in` is missing, negative or unreadable: short, so a wrong guess costs
/// one extra sign-in rather than a run of 401s.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);
/// How long a failed sign-in is remembered and answered to every caller without asking again.
pub const FAILURE_MEMORY: Duration = Duration::from_secs(5);
/// Longest login `error_description` quoted in an error.
const MAX_DESCRIPTION: usize = MAX_QUOTED_BODY;

struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

/// One scope's cache: its token, or its last failure and until when it stands.
#[derive(Default)]
struct Slot {
    cached: Option<CachedToken>,
    failed: Option<(ApiError, Instant)>,
}

/// Fetches and caches access tokens for one tenant and app.
pub struct TokenSource {
    http: reqwest::Client,
    token_url: Url,
    tenant_id: String,
    client_id: String,
    credential: Credential,
    retry: RetryPolicy,
    /// One async lock per scope; the map's own lock is held only to find or add a slot.
    slots: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<Slot>>>>,
    scrub: Scrubber,
    /// The wire log the transport writes too; sign-ins go there through the same scrubber.
    wire_log: Option<Arc<WireLog>>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    /// A number (Entra), a numeric string (older ADFS), or missing; see [`token_lifetime`].
    #[serde(default)]
    expires_in: serde_json::Value,
}

/// How long a token answer's `expires_in` says the token lives: at least one second, at most
/// [`MAX_TOKEN_LIFETIME`], and [`DEFAULT_TOKEN_LIFETIME`] when missing, negative, NaN or unreadable.
/// `18446744073709551615` once overflowed `Instant + Duration`; nothing here can.
pub fn token_lifetime(expires_in: &serde_json::Value) -> Duration {
    let seconds = match expires_in {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => {
            let s = s.trim();
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                // Only digits: too big for f64 precision does not matter, it is clamped anyway.
                s.parse::<f64>().ok()
            } else {
                None
            }
        }
        _ => None,
    };
    seconds
        .and_then(|s| seconds_to_duration(s, MAX_TOKEN_LIFETIME))
        .unwrap_or(DEFAULT_TOKEN_LIFETIME)
        .max(Duration::from_secs(1))
}

/// When a token of `lifetime`, received at `now`, should be replaced: five minutes before it
/// expires, or halfway for short-lived tokens. Checked: a far-future answer saturates to the limit.
pub fn refresh_at(now: Instant, lifetime: Duration) -> Instant {
    let lifetime = lifetime.min(MAX_TOKEN_LIFETIME);
    let margin = REFRESH_MARGIN.min(lifetime / 2);
    now.checked_add(lifetime - margin).unwrap_or(now)
}

#[derive(Deserialize)]
struct TokenError {
    error: String,
    #[serde(default)]
    error_description: String,
}

impl TokenSource {
    pub fn new(
        http: reqwest::Client,
        login_endpoint: &Url,
        tenant_id: &str,
        client_id: &str,
        credential: Credential,
        retry: RetryPolicy,
    ) -> Result<Self, url::ParseError> {
        let token_url = login_endpoint.join(&format!("{tenant_id}/oauth2/v2.0/token"))?;
        let scrub = Scrubber::default();
        if let Credential::ClientSecret(secret) = &credential {
            scrub.remember(secret.expose());
        }
        Ok(TokenSource {
            http,
            token_url,
            tenant_id: tenant_id.to_string(),
            client_id: client_id.to_string(),
            credential,
            retry,
            slots: std::sync::Mutex::new(HashMap::new()),
            scrub,
            wire_log: None,
        })
    }

    /// Writes every sign-in request and answer to `wire_log` (scrubbed by this source's scrubber).
    pub fn with_wire_log(mut self, wire_log: Option<Arc<WireLog>>) -> Self {
        self.wire_log = wire_log;
        self
    }

    /// The scrubber that knows this source's secret, assertions and tokens.
    pub fn scrubber(&self) -> Scrubber {
        self.scrub.clone()
    }

    fn slot(&self, scope: &str) -> Arc<tokio::sync::Mutex<Slot>> {
        // Held for a map lookup only, never across an await; a poisoned map is still a map.
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(scope.to_string()).or_default().clone()
    }

    /// A valid token for `scope`: from the cache when it is still fresh, the remembered failure when
    /// the last fetch failed moments ago, else from one fetch shared by everyone asking meanwhile.
    pub async fn token(&self, scope: &str) -> Result<Secret, ApiError> {
        let slot = self.slot(scope);
        // Callers queue here while one of them fetches; when they get the lock, the result is in it.
        let mut slot = slot.lock().await;
        let now = Instant::now();
        if let Some(cached) = slot.cached.as_ref().filter(|c| now < c.refresh_at) {
            return Ok(cached.token.clone());
        }
        if let Some((error, _)) = slot.failed.as_ref().filter(|(_, until)| now < *until) {
            return Err(error.clone());
        }
        match self.fetch(scope).await {
            Ok((token, lifetime)) => {
                self.scrub.remember(token.expose());
                slot.cached = Some(CachedToken {
                    token: token.clone(),
                    refresh_at: refresh_at(Instant::now(), lifetime),
                });
                slot.failed = None;
                Ok(token)
            }
            Err(error) => {
                let until = Instant::now()
                    .checked_add(FAILURE_MEMORY)
                    .unwrap_or_else(Instant::now);
                slot.failed = Some((error.clone(), until));
                Err(error)
            }
        }
    }

    /// Forgets the token for `scope` after the API rejected it, if it is still the cached one.
    pub async fn invalidate(&self, scope: &str, rejected: &Secret) {
        let slot = self.slot(scope);
        let mut slot = slot.lock().await;
        if slot.cached.as_ref().is_some_and(|c| &c.token == rejected) {
            slot.cached = None;
        }
    }

    async fn fetch(&self, scope: &str) -> Result<(Secret, Duration), ApiError> {
        let deadline = Instant::now() + self.retry.budget;
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (error, retry_after) = match self.fetch_once(scope).await {
                Ok(done) => return Ok(done),
                Err(FetchError::Fatal(e)) => return Err(e),
                Err(FetchError::Transient(e, retry_after)) => (e, retry_after),
            };
            match self.retry.next_wait(attempt, retry_after, deadline) {
                Some(wait) => {
                    tracing::debug!(attempt, ?wait, "token request failed transiently: {error}");
                    tokio::time::sleep(wait).await
                }
                None => return Err(gave_up(attempt, started, error)),
            }
        }
    }

    async fn fetch_once(&self, scope: &str) -> Result<(Secret, Duration), FetchError> {
        let credential_error = |detail: String| {
            FetchError::Fatal(ApiError::Credential {
                tenant_id: self.tenant_id.clone(),
                method: self.credential.method(),
                detail,
            })
        };
        // The secret, or the assertion that stands in for it.
        let (field, proof) = match &self.credential {
            Credential::ClientSecret(secret) => ("client_secret", secret.clone()),
            Credential::Certificate(cert) => (
                "client_assertion",
                cert.assertion(&self.client_id, self.token_url.as_str())
                    .map_err(credential_error)?,
            ),
            Credential::FederatedTokenFile(path) => {
                let token = std::fs::read_to_string(path).map_err(|e| {
                    credential_error(format!(
                        "the federated token file {} cannot be read: {e}",
                        path.display()
                    ))
                })?;
                if token.trim().is_empty() {
                    return Err(credential_error(format!(
                        "the federated token file {} is empty",
                        path.display()
                    )));
                }
                ("client_assertion", Secret::new(token.trim()))
            }
        };
        // Whatever the server echoes back of this request must not show the proof.
        self.scrub.remember(proof.expose());
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &self.client_id),
            ("scope", scope),
            (field, proof.expose()),
        ];
        if field == "client_assertion" {
            form.push(("client_assertion_type", JWT_BEARER));
        }
        let request = self
            .http
            .post(self.token_url.clone())
            .header("client-request-id", uuid::Uuid::new_v4().to_string())
            .form(&form)
            .build();
        let started_at = std::time::SystemTime::now();
        let started = Instant::now();
        let (sent_headers, sent_body) = match (&request, &self.wire_log) {
            (Ok(built), Some(_)) => (
                built.headers().clone(),
                built.body().and_then(|b| b.as_bytes()).map(<[u8]>::to_vec),
            ),
            _ => Default::default(),
        };
        let log = |status: Option<u16>,
                   headers: Option<&reqwest::header::HeaderMap>,
                   body: Option<&[u8]>,
                   error: Option<String>| {
            if let Some(wire_log) = &self.wire_log {
                wire_log.record(&Exchange {
                    service: &Service::Login.to_string(),
                    method: "POST",
                    url: self.token_url.as_str(),
                    request_headers: &sent_headers,
                    request_body: sent_body.as_deref(),
                    status,
                    response_headers: headers,
                    response_body: body,
                    error,
                    started: started_at,
                    elapsed: started.elapsed(),
                });
            }
        };
        let sent = match request {
            Ok(built) => self.http.execute(built).await,
            Err(e) => Err(e),
        };
        let answer = sent.map_err(|e| {
            let error = ApiError::Communication {
                service: Service::Login,
                url: self.token_url.to_string(),
                detail: e.without_url().to_string(),
            };
            log(None, None, None, Some(error.to_string()));
            FetchError::Transient(error, None)
        })?;
        let status = answer.status().as_u16();
        let answer_headers = answer.headers().clone();
        if (300..400).contains(&status) {
            log(Some(status), Some(&answer_headers), None, None);
            // Following it would post the secret (or assertion) to the host it names.
            return Err(FetchError::Fatal(redirect_error(
                Service::Login,
                status,
                &self.token_url,
                answer.headers(),
            )));
        }
        let retry_after = answer
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        // A token answer is a few KiB; an error page needs no more than its beginning.
        let read = read_capped(answer, MAX_ERROR_BODY).await;
        if let Ok(Capped::Whole(body) | Capped::Cut(body)) = &read {
            // The token is known to the scrubber before its answer is written anywhere.
            if let Ok(parsed) = serde_json::from_slice::<TokenAnswer>(body) {
                self.scrub.remember(&parsed.access_token);
            }
            log(Some(status), Some(&answer_headers), Some(body), None);
        } else {
            log(Some(status), Some(&answer_headers), None, None);
        }
        let body = match read {
            Ok(Capped::Whole(body)) => body,
            Ok(Capped::Cut(_)) if status == 200 => {
                return Err(FetchError::Fatal(ApiError::InvalidResponse {
                    service: Service::Login,
                    status,
                    detail: format!(
                        "the token answer is larger than {}, which no token answer is; it was not read further",
                        size(MAX_ERROR_BODY)
                    ),
                }))
            }
            Ok(Capped::Cut(body)) => body,
            Err(_) => Vec::new(),
        };
        if status == 200 {
            let parsed: TokenAnswer = serde_json::from_slice(&body).map_err(|e| {
                FetchError::Fatal(ApiError::InvalidResponse {
                    service: Service::Login,
                    status,
                    detail: format!(
                        "token answer is not understood: {}",
                        self.scrub.clean(&e.to_string(), MAX_QUOTED_BODY)
                    ),
                })
            })?;
            return Ok((
                Secret::new(parsed.access_token),
                token_lifetime(&parsed.expires_in),
            ));
        }
        let (code, description) = match serde_json::from_slice::<TokenError>(&body) {
            Ok(e) => (e.error, e.error_description),
            Err(_) => (
                "unexpected_answer".to_string(),
                String::from_utf8_lossy(&body).into_owned(),
            ),
        };
        let error = ApiError::Authentication {
            tenant_id: self.tenant_id.clone(),
            method: self.credential.method(),
            status,
            code: self.scrub.clean(&code, 100),
            description: self.scrub.clean(&description, MAX_DESCRIPTION),
        };
        if is_transient_status(status) || status >= 500 {
            Err(FetchError::Transient(error, retry_after))
        } else {
            Err(FetchError::Fatal(error))
        }
    }
}

enum FetchError {
    Fatal(ApiError),
    Transient(ApiError, Option<Duration>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let c = Credential::ClientSecret(s);
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn server_lifetimes_are_checked_and_clamped() {
        use serde_json::json;
        let now = Instant::now();
        // u64::MAX once overflowed `Instant + Duration` and panicked.
        for huge in [json!(u64::MAX), json!(1e300), json!("18446744073709551616")] {
            assert_eq!(token_lifetime(&huge), MAX_TOKEN_LIFETIME, "{huge}");
            assert!(refresh_at(now, token_lifetime(&huge)) > now);
        }
        for absent in [
            json!(-5),
            json!("NaN"),
            json!("soon"),
            json!(null),
            json!([1]),
        ] {
            assert_eq!(token_lifetime(&absent), DEFAULT_TOKEN_LIFETIME, "{absent}");
        }
        assert_eq!(token_lifetime(&json!(3599)), Duration::from_secs(3599));
        assert_eq!(token_lifetime(&json!("3599")), Duration::from_secs(3599));
        assert_eq!(token_lifetime(&json!(0)), Duration::from_secs(1));
        assert_eq!(
            refresh_at(now, Duration::from_secs(3600)),
            now + Duration::from_secs(3300)
        );
        assert_eq!(
            refresh_at(now, Duration::from_secs(60)),
            now + Duration::from_secs(30)
        );
        assert_eq!(
            refresh_at(now, Duration::MAX),
            now + Duration::from_secs(24 * 3600 - 300)
        );
    }

    #[test]
    fn token_url_joins_tenant() {
        let src = TokenSource::new(
            reqwest::Client::new(),
            &Url::parse("http://127.0.0.1:1234/").unwrap(),
            "t-1",
            "c-1",
            Credential::ClientSecret(Secret::new("s")),
            RetryPolicy::default(),
        )
        .unwrap();
        assert_eq!(
            src.token_url.as_str(),
            "http://127.0.0.1:1234/t-1/oauth2/v2.0/token"
        );
    }
}
