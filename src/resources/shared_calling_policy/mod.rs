//! `teamsphone_shared_calling_policy`: a shared calling routing policy instance.
//!
//! Users write the bare name (`Seattle`); the Teams API stores `Tag:Seattle`, which becomes the `id`.
//! Emergency numbers are compared as numbers, not strings: the user's spelling stays in state as long as
//! the API holds the same number, so `+1 206 555 0100` never shows as a diff against `+12065550100`.
//! Conversion between the Terraform model and the API model is in [`model`], the schema in
//! [`schema`]; the number rules checked before a write in [`numbers`]; this file holds the calls.

pub mod model;
mod numbers;
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
use crate::framework::validators::{check_known, guid};
use crate::framework::values::owned;
pub use model::PolicyModel;
use model::{
    changes_between, display_name, identity_in_state, model_from_api, policy_from_model,
    validate_emergency_numbers,
};
use numbers::check_policy_numbers;
use teamsphone_contract::SHARED_CALLING_POLICY_TYPE;

const WHAT: &str = "shared calling policy";

#[derive(Default)]
pub struct SharedCallingPolicyResource;

#[async_trait]
impl ManagedResource for SharedCallingPolicyResource {
    type Model<'a> = PolicyModel<'a>;
    type Private = ValueEmpty;
    /// The bare policy name.
    type ImportId = String;

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, PolicyModel<'a>>> {
        vec![RequiresReplace::new("name", Equality::Exact, |m| &m.name)]
    }

    fn validate(&self, diags: &mut Diagnostics, config: &PolicyModel<'_>) {
        check_known(diags, "name", &config.name, validate_instance_name);
        check_known(
            diags,
            "description",
            &config.description,
            validate_description,
        );
        check_known(
            diags,
            "resource_account_id",
            &config.resource_account_id,
            guid,
        );
        validate_emergency_numbers(diags, &config.emergency_numbers);
    }

    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        planned: &mut PolicyModel<'a>,
        _step: Step<'_, PolicyModel<'a>, ValueEmpty>,
    ) -> Option<()> {
        planned.id = match planned.name.as_deref_option() {
            Some(name) => owned(identity_of(name)),
            None => Value::Unknown,
        };
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: PolicyModel<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        match client
            .get_cs_teams_shared_calling_routing_policy(&identity_in_state(&prior))
            .await
            .or_report(diags, "reading", WHAT, &display_name(&prior))?
        {
            Some(policy) => Some(Value::Value(model_from_api(&prior, &policy))),
            None => Some(Value::Null),
        }
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, mut model: PolicyModel<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let policy = policy_from_model(&model);
        let name = display_name(&model);
        check_policy_numbers(diags, client, "creating", &policy, &name).await?;
        match client
            .new_cs_teams_shared_calling_routing_policy(&policy)
            .await
        {
            Ok(_) => {
                model.id = owned(policy.identity);
                Some(model)
            }
            Err(e) if e.is_conflict() => {
                // A create whose answer was lost is retried (by us, or by the HTTP stack on a reused
                // connection) and meets its own first attempt as a 409. If the policy there is exactly
                // the one asked for, adopt it instead of failing or leaving an orphan; a different one
                // is someone else's and must be imported deliberately.
                if let Ok(Some(existing)) = client
                    .get_cs_teams_shared_calling_routing_policy(&policy.identity)
                    .await
                {
                    if changes_between(&model_from_api(&model, &existing), &model).is_none() {
                        diags.root_warning(
                            format!("Adopted existing shared calling policy ({name})"),
                            "The create met a policy identical to the configuration, most likely made by this apply's own first attempt whose answer was lost. It is now managed by Terraform.",
                        );
                        model.id = owned(existing.identity);
                        return Some(model);
                    }
                }
                diags.root_error(
                    format!("Shared calling policy ({name}) already exists"),
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
        let Change { prior, planned } = change;
        let identity = identity_of(&display_name(&planned));
        if let Some(changes) = changes_between(&prior, &planned) {
            if changes.resource_account.is_some() || changes.emergency_numbers.is_some() {
                let policy = policy_from_model(&planned);
                let name = display_name(&planned);
                check_policy_numbers(diags, client, "updating", &policy, &name).await?;
            }
            client
                .set_cs_teams_shared_calling_routing_policy(&identity, &changes)
                .await
                .or_report(diags, "updating", WHAT, &display_name(&planned))?;
        }
        Some(planned)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: PolicyModel<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let identity = identity_in_state(&prior);
        let name = display_name(&prior);
        if prior.force_destroy != Value::Value(true) {
            match client
                .count_policy_grants(SHARED_CALLING_POLICY_TYPE, &name)
                .await
            {
                Ok((0, 0)) => {}
                Ok((users, groups)) => {
                    diags.root_error(
                        format!("Shared calling policy ({name}) is still in use"),
                        format!(
                            "deleting {WHAT} ({name}): it is granted directly to {users} users and to {groups} groups. Remove those grants first, or set force_destroy = true to delete it anyway (the users fall back to their group or Global policy)."
                        ),
                    );
                    return None;
                }
                // Outside the global cloud the grants cannot be read; say so rather than block.
                Err(e @ ApiError::UnsupportedInCloud { .. }) => diags.root_warning(
                    format!("Grants of shared calling policy ({name}) not checked"),
                    e.to_string(),
                ),
                Err(e) => {
                    api_error(diags, "checking the grants of", WHAT, &name, &e);
                    return None;
                }
            }
        }
        client
            .remove_cs_teams_shared_calling_routing_policy(&identity)
            .await
            .or_report(diags, "deleting", WHAT, &name)
    }

    fn import_id(&self, id: &str) -> Result<String, String> {
        let name = bare_name(id.trim()).to_string();
        validate_instance_name(&name)
            .map_err(|problem| format!("Import a shared calling policy by its name: {problem}"))?;
        Ok(name)
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, _: &str, name: String) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        match client
            .get_cs_teams_shared_calling_routing_policy(&identity_of(&name))
            .await
            .or_report(diags, "importing", WHAT, &name)?
        {
            Some(policy) => Some(model_from_api(&PolicyModel::default(), &policy)),
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    &name,
                    format!(
                        "No shared calling policy named {name:?} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                None
            }
        }
    }
}
