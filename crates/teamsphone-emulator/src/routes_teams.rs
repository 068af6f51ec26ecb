//! The Teams admin API routes (host `api.interfaces.records.teams.microsoft.com`).
//!
//! Handlers are thin: the front door has already authenticated the caller and attached a
//! [`Caller`], so a handler picks the caller's tenant, lets [`policy`] parse, validate and apply,
//! and maps [`PolicyError`] to the Teams error shape. Bodies are read as raw bytes rather than with
//! axum's `Json` extractor so that malformed JSON, a missing content type or a wrong property type
//! all come back as a Teams-shaped 400 that names the problem, not as axum's plain-text rejection.
//!
//! Serving (contract section 1, `TeamsSharedCallingRoutingPolicy`):
//!
//! | request                                                  | answer                      |
//! |----------------------------------------------------------|-----------------------------|
//! | `GET  /Skype.Policy/configurations/{type}`               | 200 array                   |
//! | `POST /Skype.Policy/configurations/{type}`               | 201 object; 400; 409        |
//! | `GET  /Skype.Policy/configurations/{type}/configuration/{Identity}` | 200; 404         |
//! | `PUT  .../configuration/{Identity}` (properties to change) | 200 object; 400; 404      |
//! | `DELETE .../configuration/{Identity}`                    | 204; 404; 400 for `Global`  |
//!
//! Creates and updates also check the number rules of a policy against the tenant's numbers
//! (`numbers::check_shared_calling_policy`): a 400 that names the offending number and the rule.
//!
//! Any other path on the Teams host answers 404 in the Teams shape (after authentication, as the
//! real host does), so a client calling a not-yet-emulated endpoint gets a clear message.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};

use super::auth::Caller;
use super::directory::User;
use super::error::TeamsError;
use super::numbers;
use super::policy::{self, PolicyError, SharedCallingPolicy};
use super::policy_instances::identity_in_path;
use super::resource_accounts;
use super::shapes::entity;
use super::state::{now_unix_ms, Settings, Tenant};
use super::AppState;
use teamsphone_contract::SHARED_CALLING_POLICY_TYPE;

impl From<PolicyError> for TeamsError {
    fn from(e: PolicyError) -> Self {
        match e {
            PolicyError::Invalid(m) => TeamsError::bad_request(m),
            PolicyError::NotFound(m) => TeamsError::not_found(m),
            PolicyError::Conflict(m) => TeamsError::conflict(m),
        }
    }
}

pub fn router() -> Router<AppState> {
    let collection = format!("/Skype.Policy/configurations/{SHARED_CALLING_POLICY_TYPE}");
    let instance = format!("{collection}/configuration/:identity");
    Router::new()
        .route(&collection, get(list).post(create))
        .route(&instance, get(read).put(update).delete(remove))
}

/// Runs `f` on the caller's tenant, read-only.
pub(crate) fn with_tenant<T>(
    app: &AppState,
    caller: &Caller,
    f: impl FnOnce(&Tenant) -> Result<T, TeamsError>,
) -> Result<T, TeamsError> {
    let store = app.store();
    let tenant = store
        .state()
        .tenant(&caller.tenant_id)
        .ok_or_else(|| gone_tenant(caller))?;
    f(tenant)
}

/// Runs `f` on the caller's tenant as one saved change.
pub(crate) fn change_tenant<T>(
    app: &AppState,
    caller: &Caller,
    f: impl FnOnce(&mut Tenant) -> Result<T, TeamsError>,
) -> Result<T, TeamsError> {
    app.store().mutate(|s| {
        let tenant = s
            .tenant_mut(&caller.tenant_id)
            .ok_or_else(|| gone_tenant(caller))?;
        f(tenant)
    })
}

fn gone_tenant(caller: &Caller) -> TeamsError {
    TeamsError::unauthorized(format!(
        "Authentication failed: tenant '{}' no longer exists in the emulator.",
        caller.tenant_id
    ))
}

async fn list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<SharedCallingPolicy>>, TeamsError> {
    with_tenant(&app, &caller, |t| {
        Ok(Json(t.shared_calling_policies.clone()))
    })
}

async fn read(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, TeamsError> {
    let id = identity_in_path(path)?;
    with_tenant(&app, &caller, |t| {
        policy::find(&t.shared_calling_policies, &id)
            .map(|p| entity(StatusCode::OK, p))
            .ok_or_else(|| policy::not_found(&id).into())
    })
}

async fn create(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let new = policy::parse_create(&body).map_err(TeamsError::bad_request)?;
    let settings = app.store().state().settings.clone();
    let created = change_tenant(&app, &caller, |t| {
        check_numbers(t, &new, &settings)?;
        Ok(policy::create(&mut t.shared_calling_policies, new)?)
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
        policy::find(&t.shared_calling_policies, &id)
            .map(|_| ())
            .ok_or_else(|| policy::not_found(&id).into())
    })?;
    let patch = policy::parse_update(&body).map_err(TeamsError::bad_request)?;
    let settings = app.store().state().settings.clone();
    let updated = change_tenant(&app, &caller, |t| {
        let updated = policy::update(&mut t.shared_calling_policies, &id, patch)?;
        // The change is rolled back by `mutate` when the numbers break a rule.
        check_numbers(t, &updated, &settings)?;
        Ok(updated)
    })?;
    Ok(entity(StatusCode::OK, updated))
}

/// The number rules of a policy (see `numbers::check_shared_calling_policy`), against the tenant
/// as it is now, with due number operations landed first.
fn check_numbers(t: &mut Tenant, p: &SharedCallingPolicy, s: &Settings) -> Result<(), TeamsError> {
    let now = now_unix_ms();
    numbers::advance(t, now, s.operation_step_ms);
    let delay = s.new_account_visibility_ms;
    let visible = |u: &User| resource_accounts::visible(t, &u.id, now, delay);
    numbers::check_shared_calling_policy(t, p, visible).map_err(TeamsError::bad_request)
}

async fn remove(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, TeamsError> {
    let id = identity_in_path(path)?;
    change_tenant(&app, &caller, |t| {
        Ok(policy::delete(&mut t.shared_calling_policies, &id)?)
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Any Teams-host path the emulator does not serve.
pub fn unknown(method: &Method, uri: &Uri) -> axum::response::Response {
    TeamsError::not_found(format!(
        "The emulator does not serve {method} {} on the Teams admin API.",
        uri.path()
    ))
    .into_response()
}
