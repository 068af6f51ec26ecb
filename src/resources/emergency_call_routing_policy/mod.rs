//! `teamsphone_emergency_call_routing_policy`: an emergency call routing policy instance (contract
//! section 5b).
//!
//! A Teams policy instance like the shared calling policy, so its life cycle (bare name, `Tag:` id,
//! adoption of its own lost create, `force_destroy`, import by name) is the framework's
//! `policy_instance`; this file says what is its own: the model, the calls and the dialing rules
//! (`crate::domain::emergency_dialing`, checked in [`model`]). The schema is in [`schema`].

pub mod model;
pub mod schema;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueString};
use tf_provider::Diagnostics;

use crate::client::api::emergency_call_routing_policy::{
    EmergencyCallRoutingPolicy, EmergencyCallRoutingPolicyChanges,
};
use crate::client::{ApiError, Client};
use crate::framework::policy_instance::{PolicyInstanceResource, PolicyKind};
pub use model::EmergencyPolicyModel;
use model::{changes_between, model_from_api, policy_from_model, validate_emergency_numbers};
use teamsphone_contract::EMERGENCY_CALL_ROUTING_POLICY_TYPE;

pub type EmergencyCallRoutingPolicyResource = PolicyInstanceResource<EmergencyPolicyKind>;

#[derive(Default)]
pub struct EmergencyPolicyKind;

#[async_trait]
impl PolicyKind for EmergencyPolicyKind {
    type Model<'a> = EmergencyPolicyModel<'a>;
    type Api = EmergencyCallRoutingPolicy;
    type Changes = EmergencyCallRoutingPolicyChanges;

    const WHAT: &'static str = "emergency call routing policy";
    const POLICY_TYPE: &'static str = EMERGENCY_CALL_ROUTING_POLICY_TYPE;
    const DELETED_ANYWAY: &'static str = " and may lose emergency routing";

    fn schema() -> Schema {
        schema::schema()
    }

    fn validate_rest(diags: &mut Diagnostics, config: &EmergencyPolicyModel<'_>) {
        validate_emergency_numbers(diags, &config.emergency_numbers);
    }

    fn name<'m, 'a>(model: &'m EmergencyPolicyModel<'a>) -> &'m ValueString<'a>
    where
        'a: 'a,
    {
        &model.name
    }
    fn description<'m, 'a>(model: &'m EmergencyPolicyModel<'a>) -> &'m ValueString<'a>
    where
        'a: 'a,
    {
        &model.description
    }
    fn id<'m, 'a>(model: &'m EmergencyPolicyModel<'a>) -> &'m ValueString<'a>
    where
        'a: 'a,
    {
        &model.id
    }
    fn id_mut<'m, 'a>(model: &'m mut EmergencyPolicyModel<'a>) -> &'m mut ValueString<'a>
    where
        'a: 'a,
    {
        &mut model.id
    }
    fn force_destroy(model: &EmergencyPolicyModel<'_>) -> bool {
        model.force_destroy == Value::Value(true)
    }

    fn to_api(model: &EmergencyPolicyModel<'_>) -> EmergencyCallRoutingPolicy {
        policy_from_model(model)
    }
    fn api_identity(policy: &EmergencyCallRoutingPolicy) -> &str {
        &policy.identity
    }
    fn from_api<'a>(
        prior: &EmergencyPolicyModel<'a>,
        policy: &EmergencyCallRoutingPolicy,
    ) -> EmergencyPolicyModel<'a>
    where
        'a: 'a,
    {
        model_from_api(prior, policy)
    }
    fn changes(
        prior: &EmergencyPolicyModel<'_>,
        planned: &EmergencyPolicyModel<'_>,
    ) -> Option<EmergencyCallRoutingPolicyChanges> {
        changes_between(prior, planned)
    }

    async fn get(
        client: &Client,
        identity: &str,
    ) -> Result<Option<EmergencyCallRoutingPolicy>, ApiError> {
        client
            .get_cs_teams_emergency_call_routing_policy(identity)
            .await
    }
    async fn create(
        client: &Client,
        policy: &EmergencyCallRoutingPolicy,
    ) -> Result<EmergencyCallRoutingPolicy, ApiError> {
        client
            .new_cs_teams_emergency_call_routing_policy(policy)
            .await
    }
    async fn set(
        client: &Client,
        identity: &str,
        changes: &EmergencyCallRoutingPolicyChanges,
    ) -> Result<(), ApiError> {
        client
            .set_cs_teams_emergency_call_routing_policy(identity, changes)
            .await
    }
    async fn remove(client: &Client, identity: &str) -> Result<(), ApiError> {
        client
            .remove_cs_teams_emergency_call_routing_policy(identity)
            .await
    }
}
