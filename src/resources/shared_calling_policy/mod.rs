//! `teamsphone_shared_calling_policy`: a shared calling routing policy instance.
//!
//! Users write the bare name (`Seattle`); the Teams API stores `Tag:Seattle`, which becomes the `id`.
//! That life cycle (adoption of a lost create, `force_destroy`, import by name) is the framework's
//! `policy_instance`, shared with the emergency call routing policy; this file says what is this
//! kind's own. Emergency numbers are compared as numbers, not strings: the user's spelling stays in
//! state as long as the API holds the same number, so `+1 206 555 0100` never shows as a diff
//! against `+12065550100`. Conversion between the Terraform model and the API model is in
//! [`model`], the schema in [`schema`], and the number rules checked before a write in [`numbers`].

pub mod model;
mod numbers;
pub mod schema;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueString};
use tf_provider::Diagnostics;

use crate::client::api::shared_calling_policy::{SharedCallingPolicy, SharedCallingPolicyChanges};
use crate::client::{ApiError, Client};
use crate::domain::policies::bare_name;
use crate::framework::policy_instance::{PolicyInstanceResource, PolicyKind};
use crate::framework::validators::{check_known, guid};
pub use model::PolicyModel;
use model::{changes_between, model_from_api, policy_from_model, validate_emergency_numbers};
use numbers::check_policy_numbers;
use teamsphone_contract::SHARED_CALLING_POLICY_TYPE;

pub type SharedCallingPolicyResource = PolicyInstanceResource<SharedCallingPolicyKind>;

#[derive(Default)]
pub struct SharedCallingPolicyKind;

#[async_trait]
impl PolicyKind for SharedCallingPolicyKind {
    type Model<'a> = PolicyModel<'a>;
    type Api = SharedCallingPolicy;
    type Changes = SharedCallingPolicyChanges;

    const WHAT: &'static str = "shared calling policy";
    const POLICY_TYPE: &'static str = SHARED_CALLING_POLICY_TYPE;
    const DELETED_ANYWAY: &'static str = "";

    fn schema() -> Schema {
        schema::schema()
    }

    fn validate_rest(diags: &mut Diagnostics, config: &PolicyModel<'_>) {
        check_known(
            diags,
            "resource_account_id",
            &config.resource_account_id,
            guid,
        );
        validate_emergency_numbers(diags, &config.emergency_numbers);
    }

    fn name<'m, 'a>(model: &'m PolicyModel<'a>) -> &'m ValueString<'a>
    where
        'a: 'a,
    {
        &model.name
    }
    fn description<'m, 'a>(model: &'m PolicyModel<'a>) -> &'m ValueString<'a>
    where
        'a: 'a,
    {
        &model.description
    }
    fn id<'m, 'a>(model: &'m PolicyModel<'a>) -> &'m ValueString<'a>
    where
        'a: 'a,
    {
        &model.id
    }
    fn id_mut<'m, 'a>(model: &'m mut PolicyModel<'a>) -> &'m mut ValueString<'a>
    where
        'a: 'a,
    {
        &mut model.id
    }
    fn force_destroy(model: &PolicyModel<'_>) -> bool {
        model.force_destroy == Value::Value(true)
    }

    fn to_api(model: &PolicyModel<'_>) -> SharedCallingPolicy {
        policy_from_model(model)
    }
    fn api_identity(policy: &SharedCallingPolicy) -> &str {
        &policy.identity
    }
    fn from_api<'a>(prior: &PolicyModel<'a>, policy: &SharedCallingPolicy) -> PolicyModel<'a>
    where
        'a: 'a,
    {
        model_from_api(prior, policy)
    }
    fn changes(
        prior: &PolicyModel<'_>,
        planned: &PolicyModel<'_>,
    ) -> Option<SharedCallingPolicyChanges> {
        changes_between(prior, planned)
    }

    async fn get(client: &Client, identity: &str) -> Result<Option<SharedCallingPolicy>, ApiError> {
        client
            .get_cs_teams_shared_calling_routing_policy(identity)
            .await
    }
    async fn create(
        client: &Client,
        policy: &SharedCallingPolicy,
    ) -> Result<SharedCallingPolicy, ApiError> {
        client
            .new_cs_teams_shared_calling_routing_policy(policy)
            .await
    }
    async fn set(
        client: &Client,
        identity: &str,
        changes: &SharedCallingPolicyChanges,
    ) -> Result<(), ApiError> {
        client
            .set_cs_teams_shared_calling_routing_policy(identity, changes)
            .await
    }
    async fn remove(client: &Client, identity: &str) -> Result<(), ApiError> {
        client
            .remove_cs_teams_shared_calling_routing_policy(identity)
            .await
    }

    /// The number rules, on a create and on an update of the account or the numbers.
    async fn check_write(
        diags: &mut Diagnostics,
        client: &Client,
        action: &str,
        policy: &SharedCallingPolicy,
        changes: Option<&SharedCallingPolicyChanges>,
    ) -> Option<()> {
        let numbers_change =
            changes.is_none_or(|c| c.resource_account.is_some() || c.emergency_numbers.is_some());
        if !numbers_change {
            return Some(());
        }
        check_policy_numbers(diags, client, action, policy, bare_name(&policy.identity)).await
    }
}
