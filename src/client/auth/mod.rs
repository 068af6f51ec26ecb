//! OAuth2 client-credentials tokens, one per scope, cached until shortly before they expire.
//!
//! Graph and the Teams tenant admin API need tokens for different scopes, and a Terraform run makes
//! hundreds of calls, so each scope's token is fetched once and reused until five minutes before its
//! `expires_in` (or half its life, for short-lived tokens). Concurrent callers share one refresh: the
//! cache lock is held across the fetch. Secrets and tokens live in [`Secret`], whose `Debug` never
//! prints them, so no log line or error can leak one by accident.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;
use url::Url;

use super::http::error::{ApiError, Service};
use super::http::retry::{is_transient_status, parse_retry_after, RetryPolicy};
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

struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

/// Fetches and caches access tokens for one tenant and app.
pub struct TokenSource {
    http: reqwest::Client,
    token_url: Url,
    tenant_id: String,
    client_id: String,
    credential: Credential,
    retry: RetryPolicy,
    cache: Mutex<HashMap<String, CachedToken>>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: u64,
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
        Ok(TokenSource {
            http,
            token_url,
            tenant_id: tenant_id.to_string(),
            client_id: client_id.to_string(),
            credential,
            retry,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// A valid token for `scope`, from the cache when it is still fresh.
    pub async fn token(&self, scope: &str) -> Result<Secret, ApiError> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.get(scope) {
            if Instant::now() < cached.refresh_at {
                return Ok(cached.token.clone());
            }
        }
        let (token, lifetime) = self.fetch(scope).await?;
        let margin = REFRESH_MARGIN.min(lifetime / 2);
        cache.insert(
            scope.to_string(),
            CachedToken {
                token: token.clone(),
                refresh_at: Instant::now() + lifetime - margin,
            },
        );
        Ok(token)
    }

    /// Forgets the token for `scope`, after the API rejected it.
    pub async fn invalidate(&self, scope: &str) {
        self.cache.lock().await.remove(scope);
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
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &self.client_id),
            ("scope", scope),
            (field, proof.expose()),
        ];
        if field == "client_assertion" {
            form.push(("client_assertion_type", JWT_BEARER));
        }
        let answer = self
            .http
            .post(self.token_url.clone())
            .header("client-request-id", uuid::Uuid::new_v4().to_string())
            .form(&form)
            .send()
            .await
            .map_err(|e| {
                FetchError::Transient(
                    ApiError::Communication {
                        service: Service::Login,
                        url: self.token_url.to_string(),
                        detail: e.without_url().to_string(),
                    },
                    None,
                )
            })?;
        let status = answer.status().as_u16();
        let retry_after = answer
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        let body = answer.bytes().await.unwrap_or_default();
        if status == 200 {
            let parsed: TokenAnswer = serde_json::from_slice(&body).map_err(|e| {
                FetchError::Fatal(ApiError::InvalidResponse {
                    service: Service::Login,
                    status,
                    detail: format!("token answer is not understood: {e}"),
                })
            })?;
            return Ok((
                Secret::new(parsed.access_token),
                Duration::from_secs(parsed.expires_in.max(1)),
            ));
        }
        let (code, description) = match serde_json::from_slice::<TokenError>(&body) {
            Ok(e) => (e.error, e.error_description),
            Err(_) => (
                "unexpected_answer".to_string(),
                String::from_utf8_lossy(&body).chars().take(300).collect(),
            ),
        };
        let error = ApiError::Authentication {
            tenant_id: self.tenant_id.clone(),
            method: self.credential.method(),
            status,
            code,
            description,
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
