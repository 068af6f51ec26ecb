//! Routes for policy assignment and Enterprise Voice (contract sections 4 and 5), on both hosts.
//!
//! | request | answer |
//! |---|---|
//! | Graph `GET /v1.0/admin/teams/policy/getPolicyId(type='T',name='N')` | 200 `{"value":[{"name","policyId"}]}`; 404 |
//! | Graph `POST /v1.0/admin/teams/policy/userAssignments/assign` `{"value":[{userId,policyType,policyId}]}` | 204; 400 naming each bad entry |
//! | Graph `POST .../userAssignments/unassign` `{"value":[{userId,policyType}]}` | 204; 400 |
//! | Graph `GET /v1.0/admin/teams/userConfigurations[?$top=N]` | 200 page, `@odata.nextLink` |
//! | Graph `GET /v1.0/admin/teams/userConfigurations/{id}` | 200; 404 |
//! | Teams `PATCH /Teams.User/users/{id}` `{"EnterpriseVoiceEnabled":bool}` | 204; 404 |
//! | Teams `GET /Skype.Policy/groupPolicyAssignments/` | 200 array |
//! | Teams `PATCH /Skype.Policy/groupPolicyAssignments/{group}/policyTypes/{type}` `{"PolicyName","Rank"}` | 200 object; 400; 404 |
//! | Teams `DELETE` the same path | 204; 404 |
//!
//! Pages of `userConfigurations` hold 100 users unless `$top` (at most 1000) asks otherwise; the
//! `@odata.nextLink` carries a `$skiptoken` offset; `$skip` is accepted as an offset too. The rules live in [`super::assignments`].

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Extension, Json, Router};
use serde::Serialize;
use serde_json::{json, Value};

use super::assignments::{
    self, bare, find_policy, known_type, policy_id, AssignError, EffectiveIndex, Grant,
};
use super::auth::Caller;
use super::directory::{AccountType, User};
use super::error::{iso8601, GraphError, TeamsError};
use super::frontdoor::{Authenticated, RequestCtx};
use super::routes_graph::user_not_found;
use super::routes_teams::{change_tenant, change_tenant_checked, with_tenant};
use super::shapes::entity;
use super::state::{now_unix_ms, PersistError, Tenant};
use super::AppState;

const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1.0/admin/teams/policy/:call", get(get_policy_id))
        .route(
            "/v1.0/admin/teams/policy/userAssignments/assign",
            post(write_grants::<true>),
        )
        .route(
            "/v1.0/admin/teams/policy/userAssignments/unassign",
            post(write_grants::<false>),
        )
        .route(
            "/v1.0/admin/teams/userConfigurations",
            get(list_configurations),
        )
        .route(
            "/v1.0/admin/teams/userConfigurations/:user",
            get(get_configuration),
        )
        .route("/Teams.User/users/:user", patch(set_voice))
        .route(
            "/Skype.Policy/users/:user/policies/:policy_type",
            patch(grant_one_user),
        )
        .route("/Skype.Policy/groupPolicyAssignments", get(list_groups))
        .route("/Skype.Policy/groupPolicyAssignments/", get(list_groups))
        .route(
            "/Skype.Policy/groupPolicyAssignments/:group/policyTypes/:policy_type",
            patch(put_group).delete(delete_group),
        )
}

fn graph_error(e: AssignError, ctx: &RequestCtx) -> GraphError {
    match e {
        AssignError::Invalid(m) => GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", m, ctx),
        AssignError::NotFound(m) => GraphError::new(StatusCode::NOT_FOUND, "NotFound", m, ctx),
    }
}

fn teams_error(e: AssignError) -> TeamsError {
    match e {
        AssignError::Invalid(m) => TeamsError::bad_request(m),
        AssignError::NotFound(m) => TeamsError::not_found(m),
    }
}

fn bad_graph(message: impl Into<String>, ctx: &RequestCtx) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", message, ctx)
}

fn gone(ctx: &RequestCtx) -> GraphError {
    GraphError::new(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        "the caller's tenant no longer exists in the emulator",
        ctx,
    )
}

/// Parses `getPolicyId(type='T',name='N')`.
fn parse_policy_id_call(call: &str) -> Option<(String, String)> {
    let args = call.strip_prefix("getPolicyId(")?.strip_suffix(')')?;
    let mut kind = None;
    let mut name = None;
    for part in args.split(',') {
        let (key, value) = part.split_once('=')?;
        let value = value
            .trim()
            .strip_prefix('\'')?
            .strip_suffix('\'')?
            .to_string();
        match key.trim() {
            "type" => kind = Some(value),
            "name" => name = Some(value),
            _ => return None,
        }
    }
    Some((kind?, name?))
}

async fn get_policy_id(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    Path(call): Path<String>,
) -> Result<Json<Value>, GraphError> {
    let Some((kind, name)) = parse_policy_id_call(&call) else {
        return Err(GraphError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("Resource not found: '{call}' is not a function of /admin/teams/policy; use getPolicyId(type='..',name='..')"),
            &ctx,
        ));
    };
    let store = app.store();
    let tenant = store
        .state()
        .tenant(&caller.tenant_id)
        .ok_or_else(|| gone(&ctx))?;
    let policy_type = named_type(tenant, &kind).map_err(|e| graph_error(e, &ctx))?;
    let found = named_policy(tenant, &policy_type, &name).map_err(|e| graph_error(e, &ctx))?;
    let shown = if found.eq_ignore_ascii_case(teamsphone_contract::GLOBAL_POLICY) {
        found.clone()
    } else {
        format!("{}{found}", teamsphone_contract::TAG_PREFIX)
    };
    Ok(Json(json!({"value": [{
        "name": shown,
        "policyId": policy_id(&policy_type, &found),
    }]})))
}

/// The tenant's spelling of the policy type a route names, or the 400 saying it is none.
fn named_type(tenant: &Tenant, kind: &str) -> Result<String, AssignError> {
    known_type(tenant, kind)
        .ok_or_else(|| AssignError::Invalid(format!("'{kind}' is not a policy type")))
}

/// The stored name of instance `name` of `policy_type`, or the 404 saying there is none: the
/// refusal of both routes that name a policy by type and name (`getPolicyId` and the Teams
/// per-user grant).
fn named_policy(tenant: &Tenant, policy_type: &str, name: &str) -> Result<String, AssignError> {
    find_policy(tenant, policy_type, name).ok_or_else(|| {
        AssignError::NotFound(format!(
            "Policy '{name}' of type {policy_type} was not found"
        ))
    })
}

fn parse_grants(body: &[u8], with_policy: bool) -> Result<Vec<Grant>, String> {
    let value = super::body::json_value(body)?;
    let Some(items) = value.get("value").and_then(Value::as_array) else {
        return Err("The request body must be {\"value\": [...]}".to_string());
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let field = |name: &str| -> Result<String, String> {
                item.get(name)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| format!("value[{i}].{name} is required and must be a string"))
            };
            Ok(Grant {
                user: field("userId")?,
                policy_type: field("policyType")?,
                policy_id: if with_policy {
                    Some(field("policyId")?)
                } else {
                    None
                },
            })
        })
        .collect()
}

/// `userAssignments/assign` (`ASSIGN`, entries name a `policyId`) and `unassign`.
async fn write_grants<const ASSIGN: bool>(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    body: Bytes,
) -> Result<StatusCode, GraphError> {
    let grants = parse_grants(&body, ASSIGN).map_err(|m| bad_graph(m, &ctx))?;
    let shapes = app.store().state().settings.answer_shapes.clone();
    if let Some(refused) = grants.iter().find(|g| shapes.graph_refuses(&g.policy_type)) {
        // The wording is [I]: what Graph says for a type it does not take is not documented.
        return Err(bad_graph(
            format!(
                "The policy type '{}' is not supported by this API; assign it with the Teams \
                 per-user policy route",
                refused.policy_type
            ),
            &ctx,
        ));
    }
    let now = now_unix_ms();
    // Checked: `apply_grants` validates every entry before it writes any.
    app.store()
        .mutate_checked(|s| {
            let delay = s.settings.propagation_delay_ms;
            let tenant = s
                .tenant_mut(&caller.tenant_id)
                .ok_or_else(|| Failed::Graph(gone(&ctx)))?;
            assignments::apply_grants(tenant, &grants, now, delay)
                .map_err(|e| Failed::Graph(graph_error(e, &ctx)))
        })
        .map_err(|e| match e {
            Failed::Graph(g) => g,
            Failed::Persist(p) => GraphError::not_saved(&p, &ctx),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

/// The Teams per-user route (`Grant-CsUserPolicy`, contract section 5):
/// `{"PolicyName":"Seattle"}` grants the policy directly, `{"PolicyName":null}` removes the direct
/// assignment. It answers 204 with no body.
async fn grant_one_user(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((user, policy_type)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, TeamsError> {
    let map = parse_object(&body)?;
    let name =
        match map.get("PolicyName") {
            Some(Value::Null) => None,
            Some(Value::String(name)) => Some(name.clone()),
            _ => return Err(TeamsError::bad_request(
                "PolicyName is required: a policy name, or null to remove the direct assignment",
            )),
        };
    let now = now_unix_ms();
    change_tenant_checked(&app, &caller, |tenant, delay| {
        let kind = named_type(tenant, &policy_type).map_err(teams_error)?;
        let policy_id = match &name {
            None => None,
            Some(name) => {
                let found = named_policy(tenant, &kind, name).map_err(teams_error)?;
                Some(policy_id(&kind, &found))
            }
        };
        let grant = Grant {
            user: user.clone(),
            policy_type: kind,
            policy_id,
        };
        assignments::apply_grants(tenant, &[grant], now, delay).map_err(teams_error)
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// A Graph write's failure: Graph errors need the request context, which `PersistError` lacks.
enum Failed {
    Graph(GraphError),
    Persist(PersistError),
}

impl From<PersistError> for Failed {
    fn from(e: PersistError) -> Self {
        Failed::Persist(e)
    }
}

/// What every user of one answer shares: the effective-policy index, the number inventory by
/// holder, policy ids and the time stamp, built once per answer so that a page costs time in
/// proportion to its users plus the tenant's groups and numbers, not users times numbers.
struct AnswerContext<'a> {
    tenant: &'a Tenant,
    index: EffectiveIndex<'a>,
    numbers: HashMap<&'a str, Vec<&'a str>>,
    policy_ids: std::cell::RefCell<HashMap<(String, String), std::rc::Rc<str>>>,
    stamp: String,
    now: u64,
    delay: u64,
}

impl<'a> AnswerContext<'a> {
    fn new(tenant: &'a Tenant, now: u64, delay: u64) -> Self {
        let mut numbers: HashMap<&str, Vec<&str>> = HashMap::new();
        for n in &tenant.phone_numbers {
            if let Some(target) = n.assignment_target_id.as_deref() {
                numbers
                    .entry(target)
                    .or_default()
                    .push(n.telephone_number.as_str());
            }
        }
        AnswerContext {
            tenant,
            index: EffectiveIndex::new(tenant),
            numbers,
            policy_ids: Default::default(),
            stamp: format!("{}Z", iso8601(std::time::SystemTime::now())),
            now,
            delay,
        }
    }

    fn policy_id(&self, policy_type: &str, name: &str) -> std::rc::Rc<str> {
        let key = (policy_type.to_string(), name.to_string());
        self.policy_ids
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| policy_id(policy_type, name).into())
            .clone()
    }

    /// A user as `userConfigurations` shows it.
    fn configuration(&self, user: &'a User) -> Configuration<'_> {
        let tenant = self.tenant;
        let effective = self
            .index
            .effective(tenant, user, self.now, self.delay)
            .into_iter()
            .map(|e| EffectiveOut {
                policy_assignment: AssignmentOut {
                    policy_id: self.policy_id(&e.policy_type, &e.name),
                    assignment_type: if e.group_id.is_some() {
                        "group"
                    } else {
                        "direct"
                    },
                    display_name: e.name,
                    group_id: e.group_id,
                },
                policy_type: e.policy_type,
            })
            .collect();
        // Numbers seeded on the user directly, and those the number inventory assigns to them.
        let seeded = tenant
            .assignments
            .user_numbers
            .get(&user.id)
            .into_iter()
            .flatten()
            .map(String::as_str);
        let assigned = self
            .numbers
            .get(user.id.as_str())
            .into_iter()
            .flatten()
            .copied();
        let mut held: Vec<&str> = seeded.chain(assigned).collect();
        held.sort();
        held.dedup();
        Configuration {
            id: &user.id,
            tenant_id: &tenant.tenant_id,
            user_principal_name: &user.user_principal_name,
            account_type: match user.account_type {
                AccountType::User => "user",
                AccountType::ResourceAccount => "resourceAccount",
            },
            is_enterprise_voice_enabled: assignments::visible_enterprise_voice(
                tenant, user, self.now, self.delay,
            ),
            feature_types: user.feature_types(),
            telephone_numbers: held
                .into_iter()
                .map(|n| NumberOut {
                    telephone_number: n,
                    assignment_category: "primary",
                })
                .collect(),
            effective_policy_assignments: effective,
            created_date_time: &self.stamp,
            modified_date_time: &self.stamp,
        }
    }
}

/// A user's configuration on the wire, serialized straight from the state (no JSON tree).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Configuration<'a> {
    id: &'a str,
    tenant_id: &'a str,
    user_principal_name: &'a str,
    account_type: &'static str,
    is_enterprise_voice_enabled: bool,
    feature_types: Vec<String>,
    telephone_numbers: Vec<NumberOut<'a>>,
    effective_policy_assignments: Vec<EffectiveOut>,
    created_date_time: &'a str,
    modified_date_time: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NumberOut<'a> {
    telephone_number: &'a str,
    assignment_category: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EffectiveOut {
    policy_type: String,
    policy_assignment: AssignmentOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AssignmentOut {
    display_name: String,
    assignment_type: &'static str,
    #[serde(serialize_with = "shared_str")]
    policy_id: std::rc::Rc<str>,
    group_id: Option<String>,
}

fn shared_str<S: serde::Serializer>(s: &std::rc::Rc<str>, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(s)
}

/// One page of `userConfigurations`.
#[derive(Serialize)]
struct ConfigurationPageOut<'a> {
    #[serde(rename = "@odata.context")]
    context: &'static str,
    value: Vec<Configuration<'a>>,
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    next_link: Option<String>,
}

async fn list_configurations(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    let top = match query.get("$top") {
        None => DEFAULT_PAGE,
        Some(t) => match t.parse::<usize>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                return Err(bad_graph(
                    format!("$top '{t}' is not valid: use 1 to {MAX_PAGE}"),
                    &ctx,
                ))
            }
        },
    };
    // Our own links carry `$skiptoken`; clients may also page by offset with `$skip`.
    let skip = match query.get("$skiptoken").or_else(|| query.get("$skip")) {
        None => 0,
        Some(s) => s
            .parse::<usize>()
            .map_err(|_| bad_graph(format!("$skiptoken/$skip '{s}' is not valid"), &ctx))?,
    };
    let store = app.store();
    let state = store.state();
    let delay = state.settings.propagation_delay_ms;
    // Graph may return fewer than `$top`; the page-size setting makes clients prove they page.
    let top = top.min(state.settings.graph_page_size.max(1));
    let tenant = state.tenant(&caller.tenant_id).ok_or_else(|| gone(&ctx))?;
    let answer = AnswerContext::new(tenant, now_unix_ms(), delay);
    let value: Vec<Configuration<'_>> = tenant
        .users
        .iter()
        .skip(skip)
        .take(top)
        .map(|u| answer.configuration(u))
        .collect();
    let next_link = (skip + top < tenant.users.len()).then(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!(
            "http://{host}/v1.0/admin/teams/userConfigurations?$top={top}&$skiptoken={}",
            skip + top
        )
    });
    let body = serde_json::to_vec(&ConfigurationPageOut {
        context: "https://graph.microsoft.com/v1.0/$metadata#admin/teams/userConfigurations",
        value,
        next_link,
    })
    .expect("a page serializes");
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn get_configuration(
    State(app): State<AppState>,
    Authenticated { caller, ctx }: Authenticated,
    Path(reference): Path<String>,
) -> Result<Response, GraphError> {
    let store = app.store();
    let state = store.state();
    let delay = state.settings.propagation_delay_ms;
    let tenant = state.tenant(&caller.tenant_id).ok_or_else(|| gone(&ctx))?;
    let user = super::directory::find_user(&tenant.users, &reference)
        .ok_or_else(|| user_not_found(&reference, &ctx))?;
    let answer = AnswerContext::new(tenant, now_unix_ms(), delay);
    let json = serde_json::to_value(answer.configuration(user)).expect("a user serializes");
    Ok(entity(StatusCode::OK, json))
}

fn parse_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, TeamsError> {
    super::body::json_object(body).map_err(TeamsError::bad_request)
}

async fn set_voice(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(user): Path<String>,
    body: Bytes,
) -> Result<StatusCode, TeamsError> {
    let map = parse_object(&body)?;
    let Some(enabled) = map.get("EnterpriseVoiceEnabled").and_then(Value::as_bool) else {
        return Err(TeamsError::bad_request(
            "EnterpriseVoiceEnabled is required and must be true or false",
        ));
    };
    let now = now_unix_ms();
    // Checked: the user is looked up before anything is written.
    change_tenant_checked(&app, &caller, |tenant, delay| {
        assignments::set_enterprise_voice(tenant, &user, enabled, now, delay).map_err(teams_error)
    })?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_groups(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, TeamsError> {
    with_tenant(&app, &caller, |tenant| {
        Ok(Json(json!(tenant.assignments.groups)))
    })
}

async fn put_group(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((group, policy_type)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let map = parse_object(&body)?;
    let Some(name) = map.get("PolicyName").and_then(Value::as_str) else {
        return Err(TeamsError::bad_request(
            "PolicyName is required and must be a string",
        ));
    };
    let rank = match map.get("Rank") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|r| *r >= 1 && *r <= u64::from(u32::MAX))
                .ok_or_else(|| {
                    TeamsError::bad_request("Rank must be a whole number of 1 or more")
                })? as u32,
        ),
    };
    let created = format!("{}Z", iso8601(std::time::SystemTime::now()));
    let written = change_tenant(&app, &caller, |tenant| {
        assignments::put_group_assignment(tenant, &group, &policy_type, bare(name), rank, created)
            .map_err(teams_error)
    })?;
    Ok(entity(StatusCode::OK, written))
}

async fn delete_group(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((group, policy_type)): Path<(String, String)>,
) -> Result<StatusCode, TeamsError> {
    change_tenant(&app, &caller, |tenant| {
        assignments::remove_group_assignment(tenant, &group, &policy_type).map_err(teams_error)
    })?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_id_calls_parse() {
        assert_eq!(
            parse_policy_id_call("getPolicyId(type='TeamsCallingPolicy',name='Tag:Sea')"),
            Some(("TeamsCallingPolicy".into(), "Tag:Sea".into()))
        );
        assert_eq!(parse_policy_id_call("getPolicyId(type='x')"), None);
        assert_eq!(parse_policy_id_call("userAssignments"), None);
    }
}
