//! The Teams VoiceApps routes of the objects the API manages whole: auto attendants, their
//! schedules and call queues (contract section 5c). Each is listed, read, created, replaced and
//! deleted the same way, so one generic route set serves all three; what differs (the URL
//! segment, the wrapper of a one-object answer, the rules) is a [`WholeObject`] impl. The rules
//! themselves are in [`voice_apps`](super::voice_apps).
//!
//! | request | answer |
//! |---|---|
//! | `GET /Teams.VoiceApps/{auto-attendants,schedules,callqueues}` | 200 array of objects |
//! | `POST` the same (the whole object) | 201 the object with its new id; 400 |
//! | `GET .../{id}` | 200 the object; 404 |
//! | `PUT .../{id}` (the whole object) | 200 the object; 400; 404 |
//! | `DELETE .../{id}` | 204; 400 (a schedule still in use); 404 |
//!
//! One auto attendant answers as `{"AutoAttendant":{..}}` and one call queue as
//! `{"CallQueue":{..}}`, each with its `ApplicationInstances`; a schedule answers bare. Deleting
//! an auto attendant or call queue takes its associations with it. Answers of one object are
//! marked as entities, so the answer-shape knobs (one-element arrays, empty writes, camelCase)
//! apply to them like to every other Teams answer.

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
use super::voice_apps::{auto_attendants, call_queues, VoiceAppError};
use super::AppState;

/// One kind of whole VoiceApps object: where it lives and what its rules are.
pub(crate) trait WholeObject: 'static {
    /// The URL segment below `/Teams.VoiceApps`.
    const SEGMENT: &'static str;
    /// The key one object's answer is wrapped in, if the service wraps it.
    const WRAPPER: Option<&'static str>;
    /// How a not-found answer names the kind.
    const NOUN: &'static str;
    fn all(t: &Tenant) -> Vec<Value>;
    fn one(t: &Tenant, id: &str) -> Option<Value>;
    fn create(t: &mut Tenant, body: &[u8], id: String) -> Result<Value, VoiceAppError>;
    fn update(t: &mut Tenant, id: &str, body: &[u8]) -> Result<Value, VoiceAppError>;
    fn delete(t: &mut Tenant, id: &str) -> Result<(), VoiceAppError>;
}

struct AutoAttendants;
struct Schedules;
struct CallQueues;

impl WholeObject for AutoAttendants {
    const SEGMENT: &'static str = "auto-attendants";
    const WRAPPER: Option<&'static str> = Some("AutoAttendant");
    const NOUN: &'static str = "Auto attendant";
    fn all(t: &Tenant) -> Vec<Value> {
        let apps = &t.voice_apps;
        let json = |a| apps.auto_attendant_json(a);
        apps.auto_attendants.iter().map(json).collect()
    }
    fn one(t: &Tenant, id: &str) -> Option<Value> {
        let apps = &t.voice_apps;
        apps.auto_attendant(id).map(|a| apps.auto_attendant_json(a))
    }
    fn create(t: &mut Tenant, body: &[u8], id: String) -> Result<Value, VoiceAppError> {
        let created = auto_attendants::create(t, auto_attendants::parse(body)?, id)?;
        Ok(t.voice_apps.auto_attendant_json(&created))
    }
    fn update(t: &mut Tenant, id: &str, body: &[u8]) -> Result<Value, VoiceAppError> {
        let updated = auto_attendants::update(t, id, auto_attendants::parse(body)?)?;
        Ok(t.voice_apps.auto_attendant_json(&updated))
    }
    fn delete(t: &mut Tenant, id: &str) -> Result<(), VoiceAppError> {
        auto_attendants::delete(t, id)
    }
}

impl WholeObject for Schedules {
    const SEGMENT: &'static str = "schedules";
    const WRAPPER: Option<&'static str> = None;
    const NOUN: &'static str = "Schedule";
    fn all(t: &Tenant) -> Vec<Value> {
        let schedules = t.voice_apps.schedules.iter();
        schedules.map(|s| json!(s)).collect()
    }
    fn one(t: &Tenant, id: &str) -> Option<Value> {
        auto_attendants::schedule(t, id).map(|s| json!(s))
    }
    fn create(t: &mut Tenant, body: &[u8], id: String) -> Result<Value, VoiceAppError> {
        Ok(json!(auto_attendants::create_schedule(t, body, id)?))
    }
    fn update(t: &mut Tenant, id: &str, body: &[u8]) -> Result<Value, VoiceAppError> {
        Ok(json!(auto_attendants::update_schedule(t, id, body)?))
    }
    fn delete(t: &mut Tenant, id: &str) -> Result<(), VoiceAppError> {
        auto_attendants::delete_schedule(t, id)
    }
}

impl WholeObject for CallQueues {
    const SEGMENT: &'static str = "callqueues";
    const WRAPPER: Option<&'static str> = Some("CallQueue");
    const NOUN: &'static str = "Call queue";
    fn all(t: &Tenant) -> Vec<Value> {
        let apps = &t.voice_apps;
        let json = |q| apps.call_queue_json(q);
        apps.call_queues.iter().map(json).collect()
    }
    fn one(t: &Tenant, id: &str) -> Option<Value> {
        let apps = &t.voice_apps;
        apps.call_queue(id).map(|q| apps.call_queue_json(q))
    }
    fn create(t: &mut Tenant, body: &[u8], id: String) -> Result<Value, VoiceAppError> {
        let created = call_queues::create(t, body, id)?;
        Ok(t.voice_apps.call_queue_json(&created))
    }
    fn update(t: &mut Tenant, id: &str, body: &[u8]) -> Result<Value, VoiceAppError> {
        let updated = call_queues::update(t, id, body)?;
        Ok(t.voice_apps.call_queue_json(&updated))
    }
    fn delete(t: &mut Tenant, id: &str) -> Result<(), VoiceAppError> {
        call_queues::delete(t, id)
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(routes_of::<AutoAttendants>())
        .merge(routes_of::<Schedules>())
        .merge(routes_of::<CallQueues>())
}

fn routes_of<O: WholeObject>() -> Router<AppState> {
    let base = format!("{BASE}/{}", O::SEGMENT);
    Router::new()
        .route(&base, get(list::<O>).post(create::<O>))
        .route(
            &format!("{base}/:id"),
            get(read::<O>).put(update::<O>).delete(remove::<O>),
        )
}

/// One object's answer, in the service's wrapper for its kind.
fn answer<O: WholeObject>(status: StatusCode, object: Value) -> Response {
    let body = match O::WRAPPER {
        Some(key) => json!({ key: object }),
        None => object,
    };
    entity(status, body)
}

async fn list<O: WholeObject>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, TeamsError> {
    with_tenant(&app, &caller, |t| Ok(Json(Value::Array(O::all(t)))))
}

async fn read<O: WholeObject>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, TeamsError> {
    with_tenant(&app, &caller, |t| {
        O::one(t, &id)
            .map(|o| answer::<O>(StatusCode::OK, o))
            .ok_or_else(|| TeamsError::not_found(format!("{} '{id}' was not found.", O::NOUN)))
    })
}

async fn create<O: WholeObject>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let id = uuid::Uuid::new_v4().to_string();
    change_tenant(&app, &caller, |t| {
        Ok(answer::<O>(StatusCode::CREATED, O::create(t, &body, id)?))
    })
}

async fn update<O: WholeObject>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    change_tenant(&app, &caller, |t| {
        Ok(answer::<O>(StatusCode::OK, O::update(t, &id, &body)?))
    })
}

async fn remove<O: WholeObject>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, TeamsError> {
    change_tenant(&app, &caller, |t| {
        O::delete(t, &id)?;
        Ok(StatusCode::NO_CONTENT)
    })
}
