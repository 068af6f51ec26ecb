//! The admin surface under `/_emulator/`: a loopback control panel for tests, with no
//! authentication and no counterpart in the real services.
//!
//! | request                          | answer                                                   |
//! |----------------------------------|----------------------------------------------------------|
//! | `GET /_emulator/health`          | 200 `{"ok":true}`                                        |
//! | `POST /_emulator/reset`          | 200 `{"ok":true}`: state back to the seed, log cleared   |
//! | `GET /_emulator/tenants`         | 200 `["<tenant id>", ...]`                               |
//! | `GET /_emulator/tenants/{id}`    | 200 tenant state (apps without secrets); 404             |
//! | `GET /_emulator/requests`        | 200 request log, oldest first                            |
//! | `DELETE /_emulator/requests`     | 204, log cleared                                         |
//! | `GET/PATCH /_emulator/settings` | 200 the settings; PATCH replaces the keys it names    |
//! | `GET/PUT /_emulator/faults`     | 200 the injected faults ([`Faults`]); PUT replaces them   |
//! | `GET /_emulator/stats`           | 200 `{"tenants": {id: {"in_flight", "max_in_flight"}}}`  |
//! | `GET /_emulator/requests/counts` | 200 `{"<service> <METHOD> <path shape>": n}` since the last clear |
//!
//! The tenant view is its own serde type rather than the stored [`Tenant`], so a secret can never
//! leak by someone adding a field to the stored model: a new field appears here only when it is
//! written here. Admin requests are not logged, so a test that inspects the log sees only what the
//! client under test did. A reset keeps valid tokens (see `Store::reset`).

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;

use super::faults::Faults;
use super::frontdoor::LogEntry;
use super::policy::SharedCallingPolicy;
use super::state::{PersistError, Settings, Tenant};
use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/health", get(health))
        .route("/_emulator/reset", axum::routing::post(reset))
        .route("/_emulator/tenants", get(tenants))
        .route("/_emulator/tenants/:tenant_id", get(tenant))
        .route("/_emulator/requests", get(requests).delete(clear_requests))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/faults", get(get_faults).put(put_faults))
        .route(
            "/_emulator/settings",
            get(get_settings).patch(patch_settings),
        )
        .route("/_emulator/requests/counts", get(request_counts))
}

#[derive(Serialize)]
struct TenantView {
    tenant_id: String,
    domain: String,
    apps: Vec<AppView>,
    shared_calling_policies: Vec<SharedCallingPolicy>,
    emergency_call_routing_policies: Vec<super::emergency_policy::EmergencyCallRoutingPolicy>,
    /// Direct policy assignments as written (not as reads show them during propagation).
    user_policy_assignments: Vec<serde_json::Value>,
    group_policy_assignments: Vec<super::assignments::GroupAssignment>,
    /// Ids of users with Enterprise Voice enabled.
    enterprise_voice_users: Vec<String>,
    /// Auto attendants, call queues and associations, as stored.
    voice_apps: super::voice_apps::VoiceApps,
}

#[derive(Serialize)]
struct AppView {
    client_id: String,
    teams_administrator: bool,
}

impl From<&Tenant> for TenantView {
    fn from(t: &Tenant) -> Self {
        TenantView {
            tenant_id: t.tenant_id.clone(),
            domain: t.domain.clone(),
            apps: t
                .apps
                .iter()
                .map(|a| AppView {
                    client_id: a.client_id.clone(),
                    teams_administrator: a.teams_administrator,
                })
                .collect(),
            shared_calling_policies: t.shared_calling_policies.clone(),
            emergency_call_routing_policies: t.emergency_call_routing_policies.clone(),
            user_policy_assignments: t
                .assignments
                .users
                .iter()
                .flat_map(|(user, types)| {
                    types.iter().filter_map(move |(policy_type, a)| {
                        a.policy_name.as_ref().map(|name| {
                            json!({"userId": user, "policyType": policy_type, "policyName": name})
                        })
                    })
                })
                .collect(),
            group_policy_assignments: t.assignments.groups.clone(),
            enterprise_voice_users: t
                .users
                .iter()
                .filter(|u| u.enterprise_voice_enabled)
                .map(|u| u.id.clone())
                .collect(),
            voice_apps: t.voice_apps.clone(),
        }
    }
}

/// An admin route's error answer, `{"error": message}` (also for admin views served elsewhere).
pub(crate) fn admin_error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

/// The 404 of an admin view of a tenant the emulator does not hold.
pub(crate) fn no_tenant(tenant_id: &str) -> Response {
    admin_error(
        StatusCode::NOT_FOUND,
        format!("no tenant '{tenant_id}' in the emulator"),
    )
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({"ok": true}))
}

async fn reset(State(app): State<AppState>) -> Response {
    if let Err(e) = app.store().reset() {
        return admin_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("reset failed: {e}"),
        );
    }
    app.log().clear();
    app.in_flight().reset_max();
    app.fault_dice().restart();
    Json(json!({"ok": true})).into_response()
}

async fn tenants(State(app): State<AppState>) -> Json<Vec<String>> {
    let store = app.store();
    Json(
        store
            .state()
            .tenants
            .iter()
            .map(|t| t.tenant_id.clone())
            .collect(),
    )
}

async fn tenant(State(app): State<AppState>, Path(tenant_id): Path<String>) -> Response {
    let store = app.store();
    match store.state().tenant_by_ref(&tenant_id) {
        Some(t) => Json(TenantView::from(t)).into_response(),
        None => no_tenant(&tenant_id),
    }
}

async fn requests(State(app): State<AppState>) -> Json<Vec<LogEntry>> {
    Json(app.log().entries())
}

async fn get_settings(State(app): State<AppState>) -> Json<Settings> {
    Json(app.store().state().settings.clone())
}

/// Changes some settings at run time (delays, budgets, faults): the body's keys replace the current.
async fn patch_settings(State(app): State<AppState>, body: axum::body::Bytes) -> Response {
    let patch: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, format!("not JSON: {e}")),
    };
    let merged = match app.store().state().settings.merged(&patch) {
        Ok(m) => m,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, e),
    };
    match app.store().mutate(|s| -> Result<(), PersistError> {
        s.settings = merged.clone();
        Ok(())
    }) {
        Ok(()) => Json(merged).into_response(),
        Err(e) => admin_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("saving settings failed: {e}"),
        ),
    }
}

async fn get_faults(State(app): State<AppState>) -> Json<Faults> {
    Json(app.store().state().settings.faults.clone())
}

/// Replaces the injected faults at run time (`{}` turns them all off).
async fn put_faults(State(app): State<AppState>, body: axum::body::Bytes) -> Response {
    let faults: Faults = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, format!("not a faults object: {e}")),
    };
    if let Err(e) = faults.validate() {
        return admin_error(StatusCode::BAD_REQUEST, e);
    }
    match app.store().mutate(|s| -> Result<(), PersistError> {
        s.settings.faults = faults.clone();
        Ok(())
    }) {
        Ok(()) => {
            app.fault_dice().restart();
            Json(faults).into_response()
        }
        Err(e) => admin_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("saving faults failed: {e}"),
        ),
    }
}

/// Requests in flight per tenant and the most seen at once since the last reset.
async fn stats(State(app): State<AppState>) -> Json<serde_json::Value> {
    Json(json!({"tenants": app.in_flight().snapshot()}))
}

async fn request_counts(
    State(app): State<AppState>,
) -> Json<std::collections::BTreeMap<String, u64>> {
    Json(app.log().counts())
}

async fn clear_requests(State(app): State<AppState>) -> StatusCode {
    app.log().clear();
    StatusCode::NO_CONTENT
}

/// Any `/_emulator/` path not listed above.
pub fn unknown(method: &Method, uri: &Uri) -> Response {
    admin_error(
        StatusCode::NOT_FOUND,
        format!("the emulator has no admin endpoint {method} {}", uri.path()),
    )
}
