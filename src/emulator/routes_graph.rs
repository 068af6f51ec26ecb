//! Microsoft Graph routes (host `graph.microsoft.com`, paths `/v1.0/...`).
//!
//! Nothing of Graph is emulated yet: resource accounts (users), phone number assignment with its
//! long-running operations, policy assignment and `userConfigurations` will be routed here. Until
//! then every Graph path still goes through the front door's bearer check (a Graph-audience token
//! is required) and then answers 404 in Graph's error shape, so a client already sees the right
//! authentication behaviour and error decoding.

use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use super::error::GraphError;
use super::frontdoor::RequestCtx;
use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}

/// Any Graph path the emulator does not serve.
pub fn unknown(method: &Method, uri: &Uri, ctx: &RequestCtx) -> Response {
    GraphError::new(
        StatusCode::NOT_FOUND,
        "NotFound",
        format!(
            "Resource not found: the emulator does not serve {method} {} on Microsoft Graph.",
            uri.path()
        ),
        ctx,
    )
    .into_response()
}
