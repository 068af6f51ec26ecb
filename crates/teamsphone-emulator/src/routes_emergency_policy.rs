//! The Teams admin API routes of emergency call routing policies (contract section 5b), the same
//! configuration surface as the shared calling policy's:
//!
//! | request                                                        | answer                     |
//! |----------------------------------------------------------------|----------------------------|
//! | `GET  /Skype.Policy/configurations/TeamsEmergencyCallRoutingPolicy` | 200 array             |
//! | `POST` the same (bare name or `Tag:` as `Identity`)            | 201 object; 400; 409       |
//! | `GET  .../configuration/{Identity}`                            | 200; 404                   |
//! | `PUT  .../configuration/{Identity}` (properties to change)     | 200 object; 400; 404       |
//! | `DELETE .../configuration/{Identity}`                          | 204; 404; 400 for `Global` |
//!
//! Handlers are thin: [`emergency_policy`] parses and checks, the tenant's `pstn_usages` decide
//! whether a named usage exists.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Json, Router};

use super::auth::Caller;
use super::emergency_policy::{self as rules, EmergencyCallRoutingPolicy};
use super::error::TeamsError;
use super::policy_instances::identity_in_path;
use super::routes_teams::{change_tenant, with_tenant};
use super::shapes::entity;
use super::AppState;
use teamsphone_contract::EMERGENCY_CALL_ROUTING_POLICY_TYPE;

pub fn router() -> Router<AppState> {
    let collection = format!("/Skype.Policy/configurations/{EMERGENCY_CALL_ROUTING_POLICY_TYPE}");
    let instance = format!("{collection}/configuration/:identity");
    Router::new()
        .route(&collection, get(list).post(create))
        .route(&instance, get(read).put(update).delete(remove))
}

async fn list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<EmergencyCallRoutingPolicy>>, TeamsError> {
    with_tenant(&app, &caller, |t| {
        Ok(Json(t.emergency_call_routing_policies.clone()))
    })
}

async fn read(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, TeamsError> {
    let id = identity_in_path(path)?;
    with_tenant(&app, &caller, |t| {
        rules::find(&t.emergency_call_routing_policies, &id)
            .cloned()
            .map(|p| entity(StatusCode::OK, p))
            .ok_or_else(|| rules::not_found(&id).into())
    })
}

async fn create(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let new = rules::parse_create(&body).map_err(TeamsError::bad_request)?;
    let created = change_tenant(&app, &caller, |t| {
        rules::check_usages(&t.pstn_usages, &new).map_err(TeamsError::bad_request)?;
        Ok(rules::create(&mut t.emergency_call_routing_policies, new)?)
    })?;
    Ok(entity(StatusCode::CREATED, created))
}

async fn update(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let id = identity_in_path(path)?;
    // A missing policy is a 404 even when the body is also wrong: the URL is checked first.
    with_tenant(&app, &caller, |t| {
        rules::find(&t.emergency_call_routing_policies, &id)
            .map(|_| ())
            .ok_or_else(|| rules::not_found(&id).into())
    })?;
    let patch = rules::parse_update(&body).map_err(TeamsError::bad_request)?;
    let updated = change_tenant(&app, &caller, |t| {
        let updated = rules::patched(&t.emergency_call_routing_policies, &id, patch)?;
        rules::check_usages(&t.pstn_usages, &updated).map_err(TeamsError::bad_request)?;
        rules::store(&mut t.emergency_call_routing_policies, updated.clone());
        Ok(updated)
    })?;
    Ok(entity(StatusCode::OK, updated))
}

async fn remove(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, TeamsError> {
    let id = identity_in_path(path)?;
    change_tenant(&app, &caller, |t| {
        Ok(rules::delete(&mut t.emergency_call_routing_policies, &id)?)
    })?;
    Ok(StatusCode::NO_CONTENT)
}
