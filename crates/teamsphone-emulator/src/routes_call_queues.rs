//! The Teams VoiceApps routes of call queues (contract section 5c). Thin: the rules are in
//! [`voice_apps::call_queues`].
//!
//! | request | answer |
//! |---|---|
//! | `GET /Teams.VoiceApps/callqueues` | 200 array of call queues |
//! | `POST /Teams.VoiceApps/callqueues` (the whole queue) | 201 `{"CallQueue":{..,"Identity"}}`; 400 |
//! | `GET .../callqueues/{id}` | 200 `{"CallQueue":{..}}`; 404 |
//! | `PUT .../callqueues/{id}` (the whole queue) | 200 `{"CallQueue":{..}}`; 400; 404 |
//! | `DELETE .../callqueues/{id}` | 204; 404 (its associations go with it) |
//!
//! Answers of one queue are marked as entities, so the answer-shape knobs (one-element arrays,
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
use super::shapes::entity;
use super::state::Tenant;
use super::voice_apps::call_queues::{self as rules, CallQueue};
use super::AppState;

const BASE: &str = "/Teams.VoiceApps/callqueues";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list_call_queues).post(create_call_queue))
        .route(
            &format!("{BASE}/:id"),
            get(get_call_queue)
                .put(update_call_queue)
                .delete(remove_call_queue),
        )
}

/// `{"CallQueue":{..}}` with its `ApplicationInstances`.
fn wrapped(t: &Tenant, cq: &CallQueue) -> Value {
    json!({"CallQueue": t.voice_apps.call_queue_json(cq)})
}

async fn list_call_queues(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, TeamsError> {
    with_tenant(&app, &caller, |t| {
        let apps = &t.voice_apps;
        let all: Vec<Value> = apps
            .call_queues
            .iter()
            .map(|q| apps.call_queue_json(q))
            .collect();
        Ok(Json(Value::Array(all)))
    })
}

async fn get_call_queue(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, TeamsError> {
    with_tenant(&app, &caller, |t| {
        t.voice_apps
            .call_queue(&id)
            .map(|q| entity(StatusCode::OK, wrapped(t, q)))
            .ok_or_else(|| TeamsError::not_found(format!("Call queue '{id}' was not found.")))
    })
}

async fn create_call_queue(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let id = uuid::Uuid::new_v4().to_string();
    change_tenant(&app, &caller, |t| {
        let created = rules::create(t, &body, id)?;
        Ok(entity(StatusCode::CREATED, wrapped(t, &created)))
    })
}

async fn update_call_queue(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    change_tenant(&app, &caller, |t| {
        let updated = rules::update(t, &id, &body)?;
        Ok(entity(StatusCode::OK, wrapped(t, &updated)))
    })
}

async fn remove_call_queue(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, TeamsError> {
    change_tenant(&app, &caller, |t| {
        rules::delete(t, &id)?;
        Ok(StatusCode::NO_CONTENT)
    })
}
