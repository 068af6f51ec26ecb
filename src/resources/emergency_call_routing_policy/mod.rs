//! `teamsphone_emergency_call_routing_policy`: an emergency call routing policy instance (contract
//! section 5b).
//!
//! The shape follows `teamsphone_shared_calling_policy`: users write the bare name and the Teams
//! API's `Tag:<name>` becomes the `id`; a read that finds nothing removes the policy from state, so a
//! deletion outside Terraform plans a re-creation; a create that meets an identical policy (its own
//! lost first attempt) adopts it, a different one must be imported; and destroying a policy still
//! granted to users is refused unless `force_destroy`. The dialing rules are in
//! `crate::domain::emergency_dialing`, the conversions in [`model`], the schema in [`schema`]; this
//! file holds the calls.

pub mod model;
pub mod schema;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::Diagnostics;

use crate::client::ApiError;
use crate::domain::policies::{
    bare_name, identity_of, validate_description, validate_instance_name,
};
use crate::framework::diagnostics::{api_error, cannot_import, Reported};
use crate::framework::equality::Equality;
use crate::framework::replace::RequiresReplace;
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::validators::check_known;
use crate::framework::values::owned;
pub use model::EmergencyPolicyModel;
use model::{
    changes_between, display_name, identity_in_state, model_from_api, policy_from_model,
    validate_emergency_numbers,
};
use teamsphone_contract::EMERGENCY_CALL_ROUTING_POLICY_TYPE;

const WHAT: &str = "emergency call routing policy";

#[derive(Default)]
pub struct EmergencyCallRoutingPolicyResource;

#[async_trait]
impl ManagedResource for EmergencyCallRoutingPolicyResource {
    type Model<'a> = EmergencyPolicyModel<'a>;
    type Private = ValueEmpty;
    /// The bare policy name.
    type ImportId = String;

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, EmergencyPolicyModel<'a>>> {
        vec![RequiresReplace::new("name", Equality::Exact, |m| &m.name)]
    }

    fn validate(&self, diags: &mut Diagnostics, config: &EmergencyPolicyModel<'_>) {
        check_known(diags, "name", &config.name, validate_instance_name);
        check_known(
            diags,
            "description",
            &config.description,
            validate_description,
        );
        validate_emergency_numbers(diags, &config.emergency_numbers);
    }

    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        planned: &mut EmergencyPolicyModel<'a>,
        _step: Step<'_, EmergencyPolicyModel<'a>, ValueEmpty>,
    ) -> Option<()> {
        planned.id = match planned.name.as_deref_option() {
            Some(name) => owned(identity_of(name)),
            None => Value::Unknown,
        };
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: EmergencyPolicyModel<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        match client
            .get_cs_teams_emergency_call_routing_policy(&identity_in_state(&prior))
            .await
            .or_report(diags, "reading", WHAT, &display_name(&prior))?
        {
            Some(policy) => Some(Value::Value(model_from_api(&prior, &policy))),
            None => Some(Value::Null),
        }
    }

    async fn create<'a>(
        &self,
        cx: Cx<'_, Self>,
        mut model: EmergencyPolicyModel<'a>,
    ) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let policy = policy_from_model(&model);
        let name = display_name(&model);
        match client
            .new_cs_teams_emergency_call_routing_policy(&policy)
            .await
        {
            Ok(created) => {
                model.id = owned(created.identity);
                Some(model)
            }
            Err(e) if e.is_conflict() => {
                // As for shared calling policies: a retried create meets its own lost first attempt;
                // only an identical policy is adopted, anything else must be imported deliberately.
                if let Ok(Some(existing)) = client
                    .get_cs_teams_emergency_call_routing_policy(&policy.identity)
                    .await
                {
                    if changes_between(&model_from_api(&model, &existing), &model).is_none() {
                        diags.root_warning(
                            format!("Adopted existing {WHAT} ({name})"),
                            "The create met a policy identical to the configuration, most likely made by this apply's own first attempt whose answer was lost. It is now managed by Terraform.",
                        );
                        model.id = owned(existing.identity);
                        return Some(model);
                    }
                }
                diags.root_error(
                    format!("Emergency call routing policy ({name}) already exists"),
                    format!(
                        "creating {WHAT} ({name}): {e}\n\nBring the existing policy under Terraform with: terraform import <address> {name}"
                    ),
                );
                None
            }
            Err(e) => {
                api_error(diags, "creating", WHAT, &name, &e);
                None
            }
        }
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Change { prior, mut planned } = change;
        let identity = identity_in_state(&prior);
        if let Some(changes) = changes_between(&prior, &planned) {
            client
                .set_cs_teams_emergency_call_routing_policy(&identity, &changes)
                .await
                .or_report(diags, "updating", WHAT, &display_name(&planned))?;
        }
        planned.id = owned(identity);
        Some(planned)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: EmergencyPolicyModel<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let identity = identity_in_state(&prior);
        let name = display_name(&prior);
        if prior.force_destroy != Value::Value(true) {
            match client
                .count_policy_grants(EMERGENCY_CALL_ROUTING_POLICY_TYPE, &name)
                .await
            {
                Ok((0, 0)) => {}
                Ok((users, groups)) => {
                    diags.root_error(
                        format!("Emergency call routing policy ({name}) is still in use"),
                        format!(
                            "deleting {WHAT} ({name}): it is granted directly to {users} users and to {groups} groups. Remove those grants first, or set force_destroy = true to delete it anyway (the users fall back to their group or Global policy and may lose emergency routing)."
                        ),
                    );
                    return None;
                }
                // Outside the global cloud the grants cannot be read; say so rather than block.
                Err(e @ ApiError::UnsupportedInCloud { .. }) => diags.root_warning(
                    format!("Grants of {WHAT} ({name}) not checked"),
                    e.to_string(),
                ),
                Err(e) => {
                    api_error(diags, "checking the grants of", WHAT, &name, &e);
                    return None;
                }
            }
        }
        client
            .remove_cs_teams_emergency_call_routing_policy(&identity)
            .await
            .or_report(diags, "deleting", WHAT, &name)
    }

    fn import_id(&self, id: &str) -> Result<String, String> {
        let name = bare_name(id.trim()).to_string();
        validate_instance_name(&name).map_err(|problem| {
            format!("Import an emergency call routing policy by its name: {problem}")
        })?;
        Ok(name)
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, _: &str, name: String) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        match client
            .get_cs_teams_emergency_call_routing_policy(&identity_of(&name))
            .await
            .or_report(diags, "importing", WHAT, &name)?
        {
            Some(policy) => Some(model_from_api(&EmergencyPolicyModel::default(), &policy)),
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    &name,
                    format!(
                        "No emergency call routing policy named {name:?} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                None
            }
        }
    }
}
