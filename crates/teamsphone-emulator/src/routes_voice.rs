//! Routes for resource accounts and telephone numbers (contract sections 2 and 3), on both hosts:
//!
//! | request | answer |
//! |---|---|
//! | Teams `POST /Teams.PlatformService/v2/ApplicationInstances` | 200 instance; 400; 409 |
//! | Teams `GET  /Teams.PlatformService/v2/ApplicationInstances[?pageSize&skipToken]` | 200 page |
//! | Teams `GET  /Teams.PlatformService/v2/ApplicationInstances/{objectId}` | 200; 404 (also while not yet visible) |
//! | Graph `PATCH /v1.0/users/{id}` | 204; 400; 404 |
//! | Graph `DELETE /v1.0/users/{id}` | 204; 404 |
//! | Graph `POST /v1.0/users/{id}/assignLicense` | 200 user; 400; 404 |
//! | Graph `GET  .../telephoneNumberManagement/numberAssignments?$filter&$top&$skiptoken` | 200 page with `@odata.nextLink` |
//! | Graph `POST .../numberAssignments/assignNumber` | 202 + `Location`; 400; 404 target not found (yet) |
//! | Graph `POST .../numberAssignments/unassignNumber` | 202 + `Location`; 400 |
//! | Graph `POST .../numberAssignments/updateNumber` | 200; 400; 404 |
//! | Graph `GET  .../operations/{id}` (also `operations('{id}')`) | 200; 404 |
//! | `GET /_emulator/tenants/{id}/voice` | users, numbers, locations, operations (test view) |
//!
//! Handlers only parse the URL, pick the tenant and call the pure rules in [`numbers`] and
//! [`resource_accounts`]; every number route first lets due operations land ([`numbers::advance`]).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

use super::admin;
use super::auth::Caller;
use super::error::{GraphError, TeamsError};
use super::frontdoor::{Authenticated, RequestCtx};
use super::numbers::{self, UpdateError};
use super::resource_accounts::{self, AccountError};
use super::routes_graph::{user_json, user_missing, user_not_found};
use super::shapes::entity;
use super::state::{now_unix_ms, PersistError, Settings, Tenant};
use super::AppState;

const NUMBERS: &str = "/v1.0/admin/teams/telephoneNumberManagement";
const INSTANCES: &str = "/Teams.PlatformService/v2/ApplicationInstances";
/// Largest `$top` Graph allows on numberAssignments.
const MAX_TOP: usize = 1000;
const DEFAULT_TOP: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(INSTANCES, get(list_instances).post(create_instance))
        .route(&format!("{INSTANCES}/:id"), get(get_instance))
        .route(
            "/v1.0/users/:user",
            axum::routing::patch(patch_user).delete(delete_user),
        )
        .route("/v1.0/users/:user/assignLicense", post(assign_license))
        .route(&format!("{NUMBERS}/numberAssignments"), get(list_numbers))
        .route(
            &format!("{NUMBERS}/numberAssignments/assignNumber"),
            post(assign_number),
        )
        .route(
            &format!("{NUMBERS}/numberAssignments/unassignNumber"),
            post(unassign_number),
        )
        .route(
            &format!("{NUMBERS}/numberAssignments/updateNumber"),
            post(update_number),
        )
        .route(&format!("{NUMBERS}/:operation"), get(get_operation_quoted))
        .route(&format!("{NUMBERS}/operations/:id"), get(get_operation))
        .route("/_emulator/tenants/:tenant_id/voice", get(voice_view))
}

/// A refusal decided inside a state change, rendered in the called service's shape afterwards.
enum Failure {
    Status(StatusCode, &'static str, String),
    Persist(PersistError),
}

impl From<PersistError> for Failure {
    fn from(e: PersistError) -> Self {
        Failure::Persist(e)
    }
}

impl Failure {
    fn graph(self, ctx: &RequestCtx) -> GraphError {
        match self {
            Failure::Status(s, code, m) => GraphError::new(s, code, m, ctx),
            Failure::Persist(e) => GraphError::not_saved(&e, ctx),
        }
    }

    fn teams(self) -> TeamsError {
        match self {
            Failure::Status(s, code, m) => TeamsError::new(s, code, m),
            Failure::Persist(e) => e.into(),
        }
    }

    fn bad(m: impl Into<String>) -> Failure {
        Failure::Status(StatusCode::BAD_REQUEST, "BadRequest", m.into())
    }
}

fn account_failure(e: AccountError, not_found: impl FnOnce(&str) -> String) -> Failure {
    match e {
        AccountError::Invalid(m) => Failure::bad(m),
        AccountError::NotFound(r) => Failure::Status(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            not_found(&r),
        ),
        AccountError::Conflict(m) => Failure::Status(StatusCode::CONFLICT, "Conflict", m),
    }
}

/// The caller's tenant was deleted after its token was issued.
fn tenant_gone() -> Failure {
    Failure::Status(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        "the tenant no longer exists".into(),
    )
}

/// Runs `f` on the caller's tenant as one saved change, after letting due operations land.
fn change<T>(
    app: &AppState,
    caller: &Caller,
    f: impl FnOnce(&mut Tenant, u64, &Settings) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let now = now_unix_ms();
    app.store().mutate(|s| {
        let settings = s.settings.clone();
        let tenant = s.tenant_mut(&caller.tenant_id).ok_or_else(tenant_gone)?;
        numbers::advance(tenant, now, settings.operation_step_ms);
        f(tenant, now, &settings)
    })
}

/// Runs `f` on the caller's tenant, read-only; due operations land first (a saved change only when
/// there is one, so reads do not rewrite the state file).
fn look<T>(
    app: &AppState,
    caller: &Caller,
    f: impl FnOnce(&Tenant, u64, &Settings) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let now = now_unix_ms();
    let mut store = app.store();
    let step = store.state().settings.operation_step_ms;
    let tenant = store
        .state()
        .tenant(&caller.tenant_id)
        .ok_or_else(tenant_gone)?;
    if numbers::any_due(tenant, now, step) {
        store.mutate(|s| -> Result<(), Failure> {
            if let Some(t) = s.tenant_mut(&caller.tenant_id) {
                numbers::advance(t, now, step);
            }
            Ok(())
        })?;
    }
    let state = store.state();
    let tenant = state.tenant(&caller.tenant_id).ok_or_else(tenant_gone)?;
    f(tenant, now, &state.settings)
}

/// `http://host` of this request, for absolute links (`Location`, `@odata.nextLink`).
fn base_url(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| format!("http://{h}"))
        .unwrap_or_default()
}

// ---- Teams: application instances ----

async fn create_instance(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let id = uuid::Uuid::new_v4().to_string();
    change(&app, &caller, |t, now, _| {
        resource_accounts::create_instance(t, &body, id, now)
            .map_err(|e| account_failure(e, user_missing))
    })
    .map(|v| entity(StatusCode::OK, v))
    .map_err(Failure::teams)
}

async fn get_instance(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, TeamsError> {
    look(&app, &caller, |t, now, s| {
        resource_accounts::find_visible(t, &id, now, s.new_account_visibility_ms)
            .filter(|u| u.application_id.is_some())
            .map(|u| resource_accounts::instance_json(t, u))
            .ok_or_else(|| {
                Failure::Status(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    format!("Application instance '{id}' was not found."),
                )
            })
    })
    .map(|v| entity(StatusCode::OK, v))
    .map_err(Failure::teams)
}

async fn list_instances(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, TeamsError> {
    let size: usize = match query.get("pageSize") {
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                TeamsError::bad_request(format!("pageSize '{v}' must be a number from 1 to 1000"))
            })?,
        None => 100,
    };
    let size = size.min(app.store().state().settings.graph_page_size.max(1));
    let skip: usize = query
        .get("skipToken")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    look(&app, &caller, |t, now, s| {
        let all: Vec<Value> = t
            .users
            .iter()
            .filter(|u| {
                u.application_id.is_some()
                    && resource_accounts::visible(t, &u.id, now, s.new_account_visibility_ms)
            })
            .map(|u| resource_accounts::instance_json(t, u))
            .collect();
        let page: Vec<Value> = all.iter().skip(skip).take(size).cloned().collect();
        let next = (skip + size < all.len()).then(|| (skip + size).to_string());
        Ok(json!({"applicationInstances": page, "skipToken": next}))
    })
    .map(Json)
    .map_err(Failure::teams)
}

// ---- Graph: users ----

/// The user's id when it exists and is visible, else a Graph 404.
fn visible_id(t: &Tenant, reference: &str, now: u64, s: &Settings) -> Result<String, Failure> {
    resource_accounts::find_visible(t, reference, now, s.new_account_visibility_ms)
        .map(|u| u.id.clone())
        .ok_or_else(|| {
            Failure::Status(
                StatusCode::NOT_FOUND,
                "Request_ResourceNotFound",
                user_missing(reference),
            )
        })
}

/// Runs `f` on the visible user `reference` as one saved change; a user that does not exist or is
/// not yet visible is Graph's 404.
fn change_user<T>(
    app: &AppState,
    caller: &Caller,
    reference: &str,
    f: impl FnOnce(&mut Tenant, &str) -> Result<T, AccountError>,
) -> Result<T, Failure> {
    change(app, caller, |t, now, s| {
        let id = visible_id(t, reference, now, s)?;
        f(t, &id).map_err(|e| account_failure(e, user_missing))
    })
}

async fn patch_user(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<StatusCode, GraphError> {
    change_user(&app, &caller, &reference, |t, id| {
        resource_accounts::patch_user(t, id, &body)
    })
    .map(|()| StatusCode::NO_CONTENT)
    .map_err(|f| f.graph(&ctx))
}

async fn delete_user(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    Path(reference): Path<String>,
) -> Result<StatusCode, GraphError> {
    change_user(&app, &caller, &reference, resource_accounts::delete_user)
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|f| f.graph(&ctx))
}

async fn assign_license(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, GraphError> {
    change_user(&app, &caller, &reference, |t, id| {
        resource_accounts::assign_license(t, id, &body)
    })
    .map(|u| entity(StatusCode::OK, user_json(&u)))
    .map_err(|f| {
        if let Failure::Status(StatusCode::NOT_FOUND, _, _) = &f {
            return user_not_found(&reference, &ctx);
        }
        f.graph(&ctx)
    })
}

// ---- Graph: telephone numbers ----

async fn list_numbers(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, GraphError> {
    let base = base_url(&headers);
    look(&app, &caller, |t, _, settings| {
        let filter = query.get("$filter").cloned().unwrap_or_default();
        let clauses = numbers::parse_filter(&filter).map_err(Failure::bad)?;
        let top = match query.get("$top") {
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_TOP).contains(n))
                .ok_or_else(|| Failure::bad(format!("$top '{v}' must be a number from 1 to {MAX_TOP}")))?,
            None => DEFAULT_TOP,
        }
        .min(settings.graph_page_size.max(1));
        let skip: usize = match query.get("$skiptoken") {
            Some(v) => v.parse().map_err(|_| Failure::bad(format!("$skiptoken '{v}' is not valid")))?,
            None => 0,
        };
        let all: Vec<Value> = t
            .phone_numbers
            .iter()
            .map(|n| numbers::number_json(t, n))
            .filter(|n| numbers::matches(n, &clauses))
            .collect();
        let page: Vec<Value> = all.iter().skip(skip).take(top).cloned().collect();
        let mut body = json!({
            "@odata.context": format!("{base}/v1.0/$metadata#admin/teams/telephoneNumberManagement/numberAssignments"),
            "value": page,
        });
        if skip + top < all.len() {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("$filter", &filter)
                .append_pair("$top", &top.to_string())
                .append_pair("$skiptoken", &(skip + top).to_string())
                .finish();
            body["@odata.nextLink"] = json!(format!("{base}{NUMBERS}/numberAssignments?{query}"));
        }
        Ok(body)
    })
    .map(Json)
    .map_err(|f| f.graph(&ctx))
}

fn accepted(base: &str, operation_id: &str) -> Response {
    let location = format!("{base}{NUMBERS}/operations('{operation_id}')");
    let mut response = StatusCode::ACCEPTED.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

async fn assign_number(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GraphError> {
    let request = numbers::parse_assign(&body).map_err(|m| Failure::bad(m).graph(&ctx))?;
    let id = uuid::Uuid::new_v4().to_string();
    change(&app, &caller, |t, now, s| {
        // The number service learns of new accounts after Graph does.
        let delay = s
            .new_account_visibility_ms
            .saturating_add(s.number_service_lag_ms);
        let visible = resource_accounts::visible(t, &request.target_id, now, delay);
        numbers::submit_assign(t, request, id, now, visible)
            .map_err(|m| Failure::Status(StatusCode::NOT_FOUND, "NotFound", m))
    })
    .map(|op| accepted(&base_url(&headers), &op.id))
    .map_err(|f| f.graph(&ctx))
}

async fn unassign_number(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GraphError> {
    let (number, number_type) =
        numbers::parse_unassign(&body).map_err(|m| Failure::bad(m).graph(&ctx))?;
    let id = uuid::Uuid::new_v4().to_string();
    change(&app, &caller, |t, now, _| {
        Ok(numbers::submit_unassign(t, number, &number_type, id, now))
    })
    .map(|op| accepted(&base_url(&headers), &op.id))
    .map_err(|f| f.graph(&ctx))
}

async fn update_number(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    body: Bytes,
) -> Result<Response, GraphError> {
    let (number, location) =
        numbers::parse_update(&body).map_err(|m| Failure::bad(m).graph(&ctx))?;
    change(&app, &caller, |t, _, _| {
        numbers::update_location(t, &number, location).map_err(|e| match e {
            UpdateError::NotFound(m) => Failure::Status(StatusCode::NOT_FOUND, "NotFound", m),
            UpdateError::Invalid(m) => Failure::bad(m),
        })?;
        let n = numbers::number(t, &number).expect("checked above");
        Ok(numbers::number_json(t, n))
    })
    .map(|v| entity(StatusCode::OK, v))
    .map_err(|f| f.graph(&ctx))
}

fn operation(app: &AppState, caller: &Caller, id: &str, base: &str) -> Result<Value, Failure> {
    look(app, caller, |t, now, s| {
        t.number_operations
            .iter()
            .find(|o| o.id == id)
            .map(|o| numbers::operation_json(o, now, s.operation_step_ms, base))
            .ok_or_else(|| {
                Failure::Status(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    format!("Operation '{id}' was not found."),
                )
            })
    })
}

async fn get_operation(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, GraphError> {
    operation(&app, &caller, &id, &base_url(&headers))
        .map(|v| entity(StatusCode::OK, v))
        .map_err(|f| f.graph(&ctx))
}

/// `operations('{id}')`, the spelling of the `Location` header, for clients that follow it as is.
async fn get_operation_quoted(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    headers: HeaderMap,
    Path(segment): Path<String>,
) -> Result<Response, GraphError> {
    let Some(id) = segment
        .strip_prefix("operations('")
        .and_then(|s| s.strip_suffix("')"))
    else {
        return Err(GraphError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("Resource not found: {segment}"),
            &ctx,
        ));
    };
    operation(&app, &caller, id, &base_url(&headers))
        .map(|v| entity(StatusCode::OK, v))
        .map_err(|f| f.graph(&ctx))
}

// ---- admin view ----

async fn voice_view(State(app): State<AppState>, Path(tenant_id): Path<String>) -> Response {
    let now = now_unix_ms();
    // Reading lets due operations land, so a test sees the state a client would.
    let result = app
        .store()
        .mutate(|s| -> Result<Option<Value>, PersistError> {
            let step = s.settings.operation_step_ms;
            let Some(t) = s
                .tenants
                .iter_mut()
                .find(|t| t.tenant_id.eq_ignore_ascii_case(&tenant_id))
            else {
                return Ok(None);
            };
            numbers::advance(t, now, step);
            Ok(Some(json!({
                "users": t.users,
                "phone_numbers": t.phone_numbers,
                "emergency_locations": t.emergency_locations,
                "number_operations": t.number_operations,
            })))
        });
    match result {
        Ok(Some(v)) => Json(v).into_response(),
        Ok(None) => admin::no_tenant(&tenant_id),
        Err(e) => admin::admin_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
