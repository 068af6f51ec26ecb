//! The Teams VoiceApps routes of resource account associations (contract section 2); auto
//! attendants, schedules and call queues are in [`super::routes_voice_app_objects`]. Thin: the
//! rules are in [`voice_apps`].
//!
//! | request | answer |
//! |---|---|
//! | `POST /Teams.VoiceApps/applicationinstanceassociations` | 200 per-endpoint results; 400; 404 (configuration) |
//! | `GET .../applicationinstanceassociations/{objectId}` | 200 `{"Id","ConfigurationType","ConfigurationId"}`; 404 |
//! | `GET .../applicationinstanceassociations/{objectId}/status` | 200 one result; 404 |
//! | `DELETE .../applicationinstanceassociations/{objectId}` | 200 per-endpoint results; 404 |
//!
//! The list answers' shape is not captured anywhere (`[I]`); a bare array is the emulator's choice.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::Value;

use super::auth::Caller;
use super::error::TeamsError;
use super::routes_teams::{change_tenant, with_tenant};
use super::state::now_unix_ms;
use super::voice_apps::{self, VoiceAppError};
use super::AppState;

pub(crate) const BASE: &str = "/Teams.VoiceApps";

pub fn router() -> Router<AppState> {
    let associations = format!("{BASE}/applicationinstanceassociations");
    Router::new()
        .route(&associations, axum::routing::post(associate))
        .route(
            &format!("{associations}/:id"),
            get(get_association).delete(remove_association),
        )
        .route(
            &format!("{associations}/:id/status"),
            get(association_status),
        )
}

/// Every voice app route (auto attendants, schedules, call queues, associations) answers a
/// refusal the same way.
impl From<VoiceAppError> for TeamsError {
    fn from(e: VoiceAppError) -> Self {
        match e {
            VoiceAppError::Invalid(m) => TeamsError::bad_request(m),
            VoiceAppError::NotFound(m) => TeamsError::not_found(m),
        }
    }
}

/// What a route of one resource account's association answers: `found`, or the 404 saying the
/// account `id` has no association.
fn association_answer(found: Option<Value>, id: &str) -> Result<Json<Value>, TeamsError> {
    found.map(Json).ok_or_else(|| {
        TeamsError::not_found(format!(
            "Application instance '{id}' is not associated with any auto attendant or call queue."
        ))
    })
}

async fn associate(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Json<Value>, TeamsError> {
    let delay = app.store().state().settings.new_account_visibility_ms;
    let now = now_unix_ms();
    change_tenant(&app, &caller, |t| {
        Ok(Json(voice_apps::associate(t, &body, now, delay)?))
    })
}

async fn get_association(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, TeamsError> {
    with_tenant(&app, &caller, |t| {
        association_answer(voice_apps::association_json(t, &id), &id)
    })
}

async fn association_status(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, TeamsError> {
    with_tenant(&app, &caller, |t| {
        association_answer(voice_apps::status_json(t, &id), &id)
    })
}

async fn remove_association(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, TeamsError> {
    change_tenant(&app, &caller, |t| {
        association_answer(voice_apps::disassociate(t, &id), &id)
    })
}
