//! One error type for everything the Teams admin APIs can answer.
//!
//! Graph, the Teams tenant admin API and the login endpoint each shape errors differently; callers only
//! need the HTTP status (to map 404 to "gone" and 409 to "exists") and a sentence a voice admin can act
//! on. So every answer is decoded here into [`ApiError`], whose `Display` carries status, code, message
//! and request id, plus a hint naming the missing permission or role on 403. Nothing here ever holds a
//! secret or a token.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

/// Which API answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Login,
    Graph,
    Teams,
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Service::Login => "Microsoft Entra sign-in",
            Service::Graph => "Microsoft Graph",
            Service::Teams => "Teams admin API",
        })
    }
}

/// What a request needs to be allowed, so a 403 can say what is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// A Microsoft Graph application permission, e.g. `User.ReadWrite.All`.
    Graph(&'static str),
    /// The Teams Administrator directory role on the app's service principal.
    TeamsAdministrator,
}

impl Permission {
    fn hint(self) -> String {
        match self {
            Permission::Graph(name) => format!(
                "the app registration needs the Microsoft Graph application permission {name}, with admin consent"
            ),
            Permission::TeamsAdministrator => {
                "the app's service principal needs the Teams Administrator directory role".to_string()
            }
        }
    }
}

/// An error answer from one of the APIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    pub service: Service,
    pub status: u16,
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    /// What to do about it, when we know (missing permission or role).
    pub hint: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The API answered with an error status.
    #[error("{0}")]
    Response(ErrorResponse),
    /// Sign-in failed: wrong tenant, client id or secret, or a bad scope.
    #[error(
        "signing in to tenant {tenant_id} with {method} failed ({status}): {code}: {description}"
    )]
    Authentication {
        tenant_id: String,
        method: &'static str,
        status: u16,
        code: String,
        description: String,
    },
    /// The configured credential could not be turned into a sign-in request.
    #[error("signing in to tenant {tenant_id} with {method} failed: {detail}")]
    Credential {
        tenant_id: String,
        method: &'static str,
        detail: String,
    },
    /// The call exists only in another Microsoft cloud.
    #[error("{what} is available only in the global Microsoft cloud, not in environment \"{environment}\"; Microsoft does not offer it there, so this resource cannot be managed in that cloud")]
    UnsupportedInCloud { environment: String, what: String },
    /// The request never got an answer.
    #[error("could not reach {service} at {url}: {detail}")]
    Communication {
        service: Service,
        url: String,
        detail: String,
    },
    /// The answer could not be understood.
    #[error("unexpected answer from {service} (HTTP {status}): {detail}")]
    InvalidResponse {
        service: Service,
        status: u16,
        detail: String,
    },
    /// The server answered with a redirect, which is never followed: it would carry the secret (at
    /// sign-in) or the bearer token to whatever host the server names. Only that host is kept, never
    /// the whole `Location` (its query may hold anything).
    #[error("{service} answered HTTP {status} redirecting to {target}; the provider never follows redirects, because a redirect would carry the credential or the access token to another host. Check {setting} (it must name the API itself, not a proxy or sign-in page that redirects)")]
    Redirected {
        service: Service,
        status: u16,
        /// `host 203.0.113.9:8443`, `the same host`, or why there is none.
        target: String,
        setting: &'static str,
    },
    /// A write sent once whose outcome nobody told us: the connection broke after it was sent, or
    /// the service answered 503/504 (it may have carried the write out first). It is not repeated
    /// blindly; the caller looks for what it may have made (`workflows::creates`).
    #[error("{last}")]
    Unanswered {
        last: Box<ApiError>,
        /// The server's `Retry-After`, when it gave one.
        retry_after: Option<Duration>,
    },
    /// Transient failures went on past the operation's time budget.
    #[error("gave up after {attempts} attempts in {}s: {last}", elapsed.as_secs())]
    RetriesExhausted {
        attempts: u32,
        elapsed: Duration,
        last: Box<ApiError>,
    },
}

impl ApiError {
    /// HTTP status of the (last) error answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Response(r) => Some(r.status),
            ApiError::Authentication { status, .. }
            | ApiError::InvalidResponse { status, .. }
            | ApiError::Redirected { status, .. } => Some(*status),
            ApiError::Communication { .. }
            | ApiError::Credential { .. }
            | ApiError::UnsupportedInCloud { .. } => None,
            ApiError::RetriesExhausted { last, .. } | ApiError::Unanswered { last, .. } => {
                last.status()
            }
        }
    }

    /// Whether a write that failed like this may still have been carried out: no answer said
    /// otherwise ([`ApiError::Unanswered`]), or the service failed inside (500, 502) after it may
    /// have written. Only the first kind is worth sending again once nothing was found.
    pub fn may_have_written(&self) -> bool {
        matches!(self, ApiError::Unanswered { .. }) || matches!(self.status(), Some(500 | 502))
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }
}

/// The provider setting that points at `service`, for messages that say what to check.
pub fn setting_of(service: Service) -> &'static str {
    match service {
        Service::Login => "login_endpoint",
        Service::Graph => "graph_endpoint",
        Service::Teams => "teams_endpoint",
    }
}

/// Where a `Location` header points, as much as a message may say: its host (and port), resolved
/// against the request URL. Never the path or the query.
pub fn location_target(request_url: &url::Url, location: Option<&str>) -> String {
    let Some(location) = location.map(str::trim).filter(|l| !l.is_empty()) else {
        return "no location (the answer has no Location header)".to_string();
    };
    let Ok(target) = request_url.join(location) else {
        return "an unreadable Location".to_string();
    };
    match target.host_str() {
        None => "a Location without a host".to_string(),
        Some(_) if target.origin() == request_url.origin() => "the same host".to_string(),
        Some(host) => {
            let host = super::scrub::truncate(host, 100);
            match target.port() {
                Some(port) => format!("host {host}:{port}"),
                None => format!("host {host}"),
            }
        }
    }
}

impl ErrorResponse {
    /// The same error with every server-chosen text passed through `scrub`.
    pub fn scrubbed(mut self, scrub: &super::scrub::Scrubber) -> Self {
        self.message = scrub.clean(&self.message, MAX_QUOTED_BODY);
        self.code = self.code.map(|c| scrub.clean(&c, 100));
        self.request_id = self.request_id.map(|r| scrub.clean(&r, 100));
        self
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        write!(f, "{} {reason}", self.status)?;
        // Graph often repeats the reason phrase as the code ("Forbidden"); say it once.
        if let Some(code) = self
            .code
            .as_ref()
            .filter(|c| !c.eq_ignore_ascii_case(&reason.replace(' ', "")))
        {
            write!(f, ": {code}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, ". Hint: {hint}")?;
        }
        Ok(())
    }
}

/// Longest piece of server text (an undecodable body, an error message) quoted back in an error.
pub const MAX_QUOTED_BODY: usize = 300;

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: Option<ErrorBody>,
    #[serde(rename = "Message", alias = "message")]
    message: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
    #[serde(rename = "innerError", alias = "innererror")]
    inner_error: Option<InnerError>,
}

#[derive(Deserialize)]
struct InnerError {
    #[serde(rename = "request-id")]
    request_id: Option<String>,
}

/// Builds the error for a non-success answer from Graph or the Teams API.
pub fn decode_error_response(
    service: Service,
    status: u16,
    header_request_id: Option<String>,
    body: &[u8],
    permission: Option<Permission>,
) -> ErrorResponse {
    let envelope: Option<ErrorEnvelope> = serde_json::from_slice(body).ok();
    let (code, message, body_request_id) = match envelope {
        Some(ErrorEnvelope {
            error: Some(e),
            message,
        }) => (
            e.code,
            e.message.or(message),
            e.inner_error.and_then(|i| i.request_id),
        ),
        Some(ErrorEnvelope {
            error: None,
            message: Some(m),
        }) => (None, Some(m), None),
        _ => (None, None, None),
    };
    let message = message.unwrap_or_else(|| {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if text.is_empty() {
            "(no error message in the answer)".to_string()
        } else {
            text.chars().take(MAX_QUOTED_BODY).collect()
        }
    });
    let hint = match (status, permission) {
        (403, Some(p)) => Some(p.hint()),
        (401, _) => Some(
            "the access token was rejected; check tenant_id, client_id and the credential"
                .to_string(),
        ),
        _ => None,
    };
    ErrorResponse {
        service,
        status,
        code,
        message,
        request_id: body_request_id.or(header_request_id),
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_error_with_permission_hint() {
        let body = br#"{"error":{"code":"Forbidden","message":"Insufficient privileges","innerError":{"request-id":"r-1","date":"x"}}}"#;
        let e = decode_error_response(
            Service::Graph,
            403,
            None,
            body,
            Some(Permission::Graph("User.ReadWrite.All")),
        );
        let text = e.to_string();
        assert_eq!(
            text,
            "403 Forbidden: Insufficient privileges (request id r-1). Hint: the app registration needs the Microsoft Graph application permission User.ReadWrite.All, with admin consent"
        );
    }

    #[test]
    fn teams_error_shapes() {
        let e = decode_error_response(
            Service::Teams,
            403,
            Some("h-9".into()),
            br#"{"Message":"Not allowed"}"#,
            Some(Permission::TeamsAdministrator),
        );
        assert_eq!(e.message, "Not allowed");
        assert_eq!(e.request_id.as_deref(), Some("h-9"));
        assert!(e.to_string().contains("Teams Administrator"));

        let e = decode_error_response(
            Service::Teams,
            400,
            None,
            br#"{"error":{"code":"BadRequest","message":"bad number"}}"#,
            None,
        );
        assert_eq!(e.code.as_deref(), Some("BadRequest"));
        assert_eq!(e.hint, None);
    }

    #[test]
    fn undecodable_body_is_quoted_and_truncated() {
        let body = "x".repeat(1000);
        let e = decode_error_response(Service::Graph, 502, None, body.as_bytes(), None);
        assert_eq!(e.message.len(), MAX_QUOTED_BODY);
        let e = decode_error_response(Service::Graph, 502, None, b"", None);
        assert!(e.message.contains("no error message"));
    }

    #[test]
    fn redirect_targets_name_the_host_only() {
        let base = url::Url::parse("https://graph.example/v1.0/users?x=1").unwrap();
        let t = |l: Option<&str>| location_target(&base, l);
        assert_eq!(
            t(Some("http://127.0.0.1:9/steal?client_secret=s3cr3t&x=1")),
            "host 127.0.0.1:9"
        );
        assert_eq!(t(Some("https://evil.example/a/b")), "host evil.example");
        assert_eq!(t(Some("/v1.0/elsewhere?token=abc")), "the same host");
        assert!(t(None).contains("no Location"));
        assert!(t(Some("http://[::1")).contains("unreadable"));
        let e = ApiError::Redirected {
            service: Service::Login,
            status: 307,
            target: t(Some("http://127.0.0.1:9/x?client_secret=s3cr3t")),
            setting: setting_of(Service::Login),
        };
        let text = e.to_string();
        assert!(
            text.contains("307") && text.contains("127.0.0.1:9") && text.contains("login_endpoint"),
            "{text}"
        );
        assert!(!text.contains("s3cr3t") && !text.contains("/x"), "{text}");
        assert_eq!(e.status(), Some(307));
    }

    #[test]
    fn status_sees_through_retries() {
        let inner = ApiError::Response(decode_error_response(Service::Teams, 404, None, b"", None));
        let e = ApiError::RetriesExhausted {
            attempts: 3,
            elapsed: Duration::from_secs(2),
            last: Box::new(inner),
        };
        assert!(e.is_not_found());
        assert!(!e.is_conflict());
    }
}
