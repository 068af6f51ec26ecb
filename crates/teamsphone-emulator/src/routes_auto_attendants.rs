//! The Teams VoiceApps routes of auto attendants and schedules (contract section 5c). Thin: the
//! rules are in [`voice_apps::auto_attendants`] and [`voice_apps::schedules`].
//!
//! | request | answer |
//! |---|---|
//! | `GET /Teams.VoiceApps/auto-attendants` | 200 array of auto attendants |
//! | `POST /Teams.VoiceApps/auto-attendants` (the whole object) | 201 `{"AutoAttendant":{..,"Id"}}`; 400 |
//! | `GET .../auto-attendants/{id}` | 200 `{"AutoAttendant":{..}}`; 404 |
//! | `PUT .../auto-attendants/{id}` (the whole object) | 200 `{"AutoAttendant":{..}}`; 400; 404 |
//! | `DELETE .../auto-attendants/{id}` | 204; 404 |
//! | `GET /Teams.VoiceApps/schedules` | 200 array of schedules |
//! | `POST /Teams.VoiceApps/schedules` | 201 the schedule with its `Id`; 400 |
//! | `GET|PUT .../schedules/{id}` | 200 the schedule; 400; 404 |
//! | `DELETE .../schedules/{id}` | 204; 400 while an auto attendant references it; 404 |
//!
//! Answers of one object are marked as entities, so the answer-shape knobs (one-element arrays,
//! empty writes, camelCase) apply to them like to every other Teams answer.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

use super::auth::Caller;
use super::error::TeamsError;
use super::routes_teams::{change_tenant, with_tenant};
use super::routes_voice_apps::BASE;
use super::shapes::entity;
use super::state::Tenant;
use super::voice_apps::auto_attendants::{self as rules, AutoAttendant};
use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{BASE}/auto-attendants"),
            get(list_auto_attendants).post(create_auto_attendant),
        )
        .route(
            &format!("{BASE}/auto-attendants/:id"),
            get(get_auto_attendant)
                .put(update_auto_attendant)
                .delete(remove_auto_attendant),
        )
        .route(
            &format!("{BASE}/schedules"),
            get(list_schedules).post(create_schedule),
        )
        .route(
            &format!("{BASE}/schedules/:id"),
            get(get_schedule)
                .put(update_schedule)
                .delete(remove_schedule),
        )
}

/// `{"AutoAttendant":{..}}` with its `ApplicationInstances`.
fn wrapped(t: &Tenant, aa: &AutoAttendant) -> Value {
    json!({"AutoAttendant": t.voice_apps.auto_attendant_json(aa)})
}

async fn list_auto_attendants(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, TeamsError> {
    with_tenant(&app, &caller, |t| {
        let apps = &t.voice_apps;
        let all: Vec<Value> = apps
            .auto_attendants
            .iter()
            .map(|a| apps.auto_attendant_json(a))
            .collect();
        Ok(Json(Value::Array(all)))
    })
}

async fn get_auto_attendant(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, TeamsError> {
    with_tenant(&app, &caller, |t| {
        t.voice_apps
            .auto_attendant(&id)
            .map(|a| entity(StatusCode::OK, wrapped(t, a)))
            .ok_or_else(|| TeamsError::not_found(format!("Auto attendant '{id}' was not found.")))
    })
}

async fn create_auto_attendant(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let aa = rules::parse(&body)?;
    let id = uuid::Uuid::new_v4().to_string();
    change_tenant(&app, &caller, |t| {
        let created = rules::create(t, aa, id)?;
        Ok(entity(StatusCode::CREATED, wrapped(t, &created)))
    })
}

async fn update_auto_attendant(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let aa = rules::parse(&body)?;
    change_tenant(&app, &caller, |t| {
        let updated = rules::update(t, &id, aa)?;
        Ok(entity(StatusCode::OK, wrapped(t, &updated)))
    })
}

async fn remove_auto_attendant(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, TeamsError> {
    change_tenant(&app, &caller, |t| {
        rules::delete(t, &id)?;
        Ok(StatusCode::NO_CONTENT)
    })
}

async fn list_schedules(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, TeamsError> {
    with_tenant(&app, &caller, |t| Ok(Json(json!(t.voice_apps.schedules))))
}

async fn get_schedule(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, TeamsError> {
    with_tenant(&app, &caller, |t| {
        rules::schedule(t, &id)
            .map(|s| entity(StatusCode::OK, s))
            .ok_or_else(|| TeamsError::not_found(format!("Schedule '{id}' was not found.")))
    })
}

async fn create_schedule(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let id = uuid::Uuid::new_v4().to_string();
    change_tenant(&app, &caller, |t| {
        let created = rules::create_schedule(t, &body, id)?;
        Ok(entity(StatusCode::CREATED, created))
    })
}

async fn update_schedule(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    change_tenant(&app, &caller, |t| {
        let updated = rules::update_schedule(t, &id, &body)?;
        Ok(entity(StatusCode::OK, updated))
    })
}

async fn remove_schedule(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, TeamsError> {
    change_tenant(&app, &caller, |t| {
        rules::delete_schedule(t, &id)?;
        Ok(StatusCode::NO_CONTENT)
    })
}
