//! Error answers in the three dialects the emulated services speak.
//!
//! The real services do not agree on an error shape, and the client has to decode each one, so the
//! emulator reproduces all three instead of inventing a common one:
//!
//! - the Teams admin API: `{"error":{"code":"..","message":".."}}` ([`TeamsError`]);
//! - Microsoft Graph: the same plus `innerError` with `request-id` and `date` ([`GraphError`]);
//! - the login service (Entra ID / AAD): a flat OAuth2 error with an `AADSTSnnnn:` code in the
//!   description, `error_codes`, `trace_id` and `correlation_id` ([`AadError`]).
//!
//! Each type carries only what a handler decides (status, code, message); identifiers that belong to
//! the request (request id, correlation id) come from the [`RequestCtx`] the front door attached, so
//! a handler cannot forget them. Messages are written for the person reading a failed `terraform
//! apply`: they name the offending value and the rule it broke.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::frontdoor::RequestCtx;
use super::state::PersistError;

/// An error answer of the Teams admin API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamsError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl TeamsError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        TeamsError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NotFound", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "Conflict", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            message,
        )
    }
}

/// The message of the 500 a write answers when its change could not be saved, on either host. The
/// change was rolled back (see `Store::mutate`), so a retry is safe.
fn not_saved(e: &PersistError) -> String {
    format!("the emulator could not save its state: {e}")
}

impl From<PersistError> for TeamsError {
    fn from(e: PersistError) -> Self {
        TeamsError::internal(not_saved(&e))
    }
}

impl IntoResponse for TeamsError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        with_challenge(self.status, (self.status, Json(body)).into_response())
    }
}

/// An error answer of Microsoft Graph.
#[derive(Debug, Clone)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    request_id: String,
    client_request_id: Option<String>,
}

impl GraphError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        ctx: &RequestCtx,
    ) -> Self {
        GraphError {
            status,
            code,
            message: message.into(),
            request_id: ctx.request_id.clone(),
            client_request_id: ctx.client_request_id.clone(),
        }
    }

    /// The 500 of a Graph write whose change could not be saved.
    pub fn not_saved(e: &PersistError, ctx: &RequestCtx) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            not_saved(e),
            ctx,
        )
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let mut inner = json!({"request-id": self.request_id, "date": iso8601(SystemTime::now())});
        if let Some(id) = self.client_request_id {
            inner["client-request-id"] = json!(id);
        }
        let body =
            json!({"error": {"code": self.code, "message": self.message, "innerError": inner}});
        with_challenge(self.status, (self.status, Json(body)).into_response())
    }
}

/// An OAuth2 error of the login service. Render it with [`AadError::render`], which adds the
/// per-request trace and correlation ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AadError {
    pub status: StatusCode,
    /// The OAuth2 `error` value, e.g. `invalid_client`.
    pub error: &'static str,
    /// The `AADSTSnnnn` number, also listed in `error_codes`.
    pub aadsts: u32,
    pub description: String,
}

impl AadError {
    pub fn new(
        status: StatusCode,
        error: &'static str,
        aadsts: u32,
        description: impl Into<String>,
    ) -> Self {
        AadError {
            status,
            error,
            aadsts,
            description: description.into(),
        }
    }

    pub fn render(self, ctx: &RequestCtx) -> Response {
        let trace_id = uuid::Uuid::new_v4().to_string();
        // AAD echoes the caller's client-request-id as the correlation id.
        let correlation_id = ctx
            .client_request_id
            .clone()
            .unwrap_or_else(|| ctx.request_id.clone());
        let now = SystemTime::now();
        let timestamp = format!("{}Z", iso8601(now).replace('T', " "));
        let description = format!(
            "AADSTS{}: {} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}",
            self.aadsts, self.description
        );
        let body = json!({
            "error": self.error,
            "error_description": description,
            "error_codes": [self.aadsts],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
        });
        (self.status, Json(body)).into_response()
    }
}

/// Adds the `WWW-Authenticate` challenge the real services send with every 401.
fn with_challenge(status: StatusCode, mut response: Response) -> Response {
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
    }
    response
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the form Graph uses in `innerError.date`.
///
/// Written out by hand (days-to-civil, after Howard Hinnant) to avoid a date crate for one string.
pub fn iso8601(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn iso8601_formats_known_instants() {
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00");
        // 2024-02-29T13:14:15Z, a leap day, checks the month/year carry.
        let t = UNIX_EPOCH + Duration::from_secs(1_709_212_455);
        assert_eq!(iso8601(t), "2024-02-29T13:14:15");
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29T00:00:00Z
        assert_eq!(iso8601(t), "2000-02-29T00:00:00");
    }

    #[test]
    fn teams_401_carries_a_bearer_challenge() {
        let r = TeamsError::unauthorized("no").into_response();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.headers().contains_key(header::WWW_AUTHENTICATE));
        let r = TeamsError::forbidden("no").into_response();
        assert!(!r.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}
