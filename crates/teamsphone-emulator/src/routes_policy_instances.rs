//! The Teams admin API routes of policy instances: the shared calling routing policy (contract
//! section 1) and the emergency call routing policy (section 5b) share one configuration surface,
//! so one generic route set serves both; a [`RoutedPolicy`] impl says where a type's instances
//! live and which tenant rules its writes check.
//!
//! | request                                                  | answer                      |
//! |----------------------------------------------------------|-----------------------------|
//! | `GET  /Skype.Policy/configurations/{type}`               | 200 array                   |
//! | `POST /Skype.Policy/configurations/{type}`               | 201 object; 400; 409        |
//! | `GET  /Skype.Policy/configurations/{type}/configuration/{Identity}` | 200; 404         |
//! | `PUT  .../configuration/{Identity}` (properties to change) | 200 object; 400; 404      |
//! | `DELETE .../configuration/{Identity}`                    | 204; 404; 400 for `Global`  |
//!
//! A shared calling policy's writes also check its number rules against the tenant's numbers
//! (`numbers::check_shared_calling_policy`); an emergency policy's check that each named PSTN
//! usage exists. Either refusal is a 400 that names the value, and `mutate` rolls the change back.
//! The body rules of each type are in [`policy`] and [`emergency_policy`].

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Serialize;

use super::auth::Caller;
use super::directory::User;
use super::emergency_policy::{self, EmergencyCallRoutingPolicy, EmergencyPatch};
use super::error::TeamsError;
use super::numbers;
use super::policy::{self, PolicyPatch, SharedCallingPolicy};
use super::policy_instances::{self, identity_in_path, Instance};
use super::resource_accounts;
use super::routes_teams::{change_tenant, with_tenant};
use super::shapes::entity;
use super::state::{now_unix_ms, Settings, Tenant};
use super::AppState;

/// A policy type served on the configuration routes.
pub(crate) trait RoutedPolicy: Instance + Serialize + Send + 'static {
    type Patch: Send;
    fn instances(t: &Tenant) -> &[Self];
    /// The same list, for a delete (which has no type-specific rules).
    fn instances_mut(t: &mut Tenant) -> &mut Vec<Self>;
    fn parse_create(body: &[u8]) -> Result<Self, String>;
    fn parse_update(body: &[u8]) -> Result<Self::Patch, String>;
    /// Stores a parsed new instance, with the rules that need the tenant.
    fn create(t: &mut Tenant, new: Self, s: &Settings) -> Result<Self, TeamsError>;
    /// Applies a parsed change to instance `identity`, with the rules that need the tenant.
    fn update(
        t: &mut Tenant,
        identity: &str,
        patch: Self::Patch,
        s: &Settings,
    ) -> Result<Self, TeamsError>;
}

impl RoutedPolicy for SharedCallingPolicy {
    type Patch = PolicyPatch;
    fn instances(t: &Tenant) -> &[Self] {
        &t.shared_calling_policies
    }
    fn instances_mut(t: &mut Tenant) -> &mut Vec<Self> {
        &mut t.shared_calling_policies
    }
    fn parse_create(body: &[u8]) -> Result<Self, String> {
        policy::parse_create(body)
    }
    fn parse_update(body: &[u8]) -> Result<PolicyPatch, String> {
        policy::parse_update(body)
    }
    fn create(t: &mut Tenant, new: Self, s: &Settings) -> Result<Self, TeamsError> {
        check_numbers(t, &new, s)?;
        Ok(policy::create(&mut t.shared_calling_policies, new)?)
    }
    fn update(
        t: &mut Tenant,
        id: &str,
        patch: PolicyPatch,
        s: &Settings,
    ) -> Result<Self, TeamsError> {
        let updated = policy::update(&mut t.shared_calling_policies, id, patch)?;
        check_numbers(t, &updated, s)?;
        Ok(updated)
    }
}

impl RoutedPolicy for EmergencyCallRoutingPolicy {
    type Patch = EmergencyPatch;
    fn instances(t: &Tenant) -> &[Self] {
        &t.emergency_call_routing_policies
    }
    fn instances_mut(t: &mut Tenant) -> &mut Vec<Self> {
        &mut t.emergency_call_routing_policies
    }
    fn parse_create(body: &[u8]) -> Result<Self, String> {
        emergency_policy::parse_create(body)
    }
    fn parse_update(body: &[u8]) -> Result<EmergencyPatch, String> {
        emergency_policy::parse_update(body)
    }
    fn create(t: &mut Tenant, new: Self, _: &Settings) -> Result<Self, TeamsError> {
        emergency_policy::check_usages(&t.pstn_usages, &new).map_err(TeamsError::bad_request)?;
        Ok(emergency_policy::create(
            &mut t.emergency_call_routing_policies,
            new,
        )?)
    }
    fn update(
        t: &mut Tenant,
        id: &str,
        patch: EmergencyPatch,
        _: &Settings,
    ) -> Result<Self, TeamsError> {
        let policies = &mut t.emergency_call_routing_policies;
        let updated = emergency_policy::patched(policies, id, patch)?;
        emergency_policy::check_usages(&t.pstn_usages, &updated)
            .map_err(TeamsError::bad_request)?;
        emergency_policy::store(&mut t.emergency_call_routing_policies, updated.clone());
        Ok(updated)
    }
}

/// The number rules of a shared calling policy (see `numbers::check_shared_calling_policy`),
/// against the tenant as it is now, with due number operations landed first.
fn check_numbers(t: &mut Tenant, p: &SharedCallingPolicy, s: &Settings) -> Result<(), TeamsError> {
    let now = now_unix_ms();
    numbers::advance(t, now, s.operation_step_ms);
    let delay = s.new_account_visibility_ms;
    let visible = |u: &User| resource_accounts::visible(t, &u.id, now, delay);
    numbers::check_shared_calling_policy(t, p, visible).map_err(TeamsError::bad_request)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(routes_of::<SharedCallingPolicy>())
        .merge(routes_of::<EmergencyCallRoutingPolicy>())
}

fn routes_of<P: RoutedPolicy>() -> Router<AppState> {
    let collection = format!("/Skype.Policy/configurations/{}", P::POLICY_TYPE);
    let instance = format!("{collection}/configuration/:identity");
    Router::new()
        .route(&collection, get(list::<P>).post(create::<P>))
        .route(
            &instance,
            get(read::<P>).put(update::<P>).delete(remove::<P>),
        )
}

async fn list<P: RoutedPolicy>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<P>>, TeamsError> {
    with_tenant(&app, &caller, |t| Ok(Json(P::instances(t).to_vec())))
}

/// The instance the URL names, or the Teams 404 (with the `Tag:` hint).
fn named<'t, P: RoutedPolicy>(t: &'t Tenant, identity: &str) -> Result<&'t P, TeamsError> {
    policy_instances::find(P::instances(t), identity)
        .ok_or_else(|| policy_instances::not_found::<P>(identity).into())
}

async fn read<P: RoutedPolicy>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, TeamsError> {
    let id = identity_in_path(path)?;
    with_tenant(&app, &caller, |t| {
        named::<P>(t, &id).map(|p| entity(StatusCode::OK, p))
    })
}

async fn create<P: RoutedPolicy>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let new = P::parse_create(&body).map_err(TeamsError::bad_request)?;
    let settings = app.store().state().settings.clone();
    let created = change_tenant(&app, &caller, |t| P::create(t, new, &settings))?;
    Ok(entity(StatusCode::CREATED, created))
}

async fn update<P: RoutedPolicy>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, TeamsError> {
    let id = identity_in_path(path)?;
    // A missing policy is a 404 even when the body is also wrong: the URL is checked first.
    with_tenant(&app, &caller, |t| named::<P>(t, &id).map(|_| ()))?;
    let patch = P::parse_update(&body).map_err(TeamsError::bad_request)?;
    let settings = app.store().state().settings.clone();
    let updated = change_tenant(&app, &caller, |t| P::update(t, &id, patch, &settings))?;
    Ok(entity(StatusCode::OK, updated))
}

async fn remove<P: RoutedPolicy>(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    path: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, TeamsError> {
    let id = identity_in_path(path)?;
    change_tenant(&app, &caller, |t| {
        Ok(policy_instances::delete(P::instances_mut(t), &id)?)
    })?;
    Ok(StatusCode::NO_CONTENT)
}
