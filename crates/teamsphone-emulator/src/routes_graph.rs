//! Microsoft Graph routes (host `graph.microsoft.com`, paths `/v1.0/...`).
//!
//! Served so far: `GET /v1.0/users/{id | userPrincipalName}` (an account created through the API is not
//! found until its visibility delay has passed; writes and numbers live in `routes_voice`). Resource accounts, phone number
//! assignment with its long-running operations, policy assignment and `userConfigurations` are
//! routed here as they land. Every Graph path goes through the front door's bearer check (a
//! Graph-audience token is required); unknown paths answer 404 in Graph's error shape.

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::directory::User;
use super::error::GraphError;
use super::frontdoor::{Authenticated, RequestCtx};
use super::resource_accounts;
use super::shapes::entity;
use super::state::now_unix_ms;
use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1.0/users/:user", get(get_user))
}

/// A user as Graph's `/users` shows it (the default property set plus what the provider selects).
pub fn user_json(user: &User) -> Value {
    json!({
        "id": user.id,
        "userPrincipalName": user.user_principal_name,
        "displayName": user.display_name,
        "accountEnabled": user.account_enabled,
        "usageLocation": user.usage_location,
        "assignedLicenses": user.assigned_licenses.iter()
            .map(|l| json!({"skuId": l.sku_id, "disabledPlans": []}))
            .collect::<Vec<_>>(),
    })
}

/// Graph's answer for a user (or other directory object) that does not exist.
pub fn user_not_found(reference: &str, ctx: &RequestCtx) -> GraphError {
    GraphError::new(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        user_missing(reference),
        ctx,
    )
}

/// The message of [`user_not_found`], for routes that decide the 404 first and render it later.
pub fn user_missing(reference: &str) -> String {
    format!("Resource '{reference}' does not exist or one of its queried reference-property objects are not present.")
}

async fn get_user(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    Path(reference): Path<String>,
) -> Result<Response, GraphError> {
    let store = app.store();
    let state = store.state();
    let delay = state.settings.new_account_visibility_ms;
    state
        .tenant(&caller.tenant_id)
        .and_then(|t| resource_accounts::find_visible(t, &reference, now_unix_ms(), delay))
        .map(|u| entity(StatusCode::OK, user_json(u)))
        .ok_or_else(|| user_not_found(&reference, &ctx))
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
