//! `teamsphone_shared_calling_policy`: a shared calling routing policy instance.
//!
//! Users write the bare name (`Seattle`); the Teams API stores `Tag:Seattle`, which becomes the `id`.
//! Emergency numbers are compared as numbers, not strings: the user's spelling stays in state as long as
//! the API holds the same number, so `+1 206 555 0100` never shows as a diff against `+12065550100`.
//! Conversion between the Terraform model and the API model is pure functions, tested without a server.

use std::borrow::Cow;
use std::collections::BTreeSet;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{Block, Description, Schema};
use tf_provider::value::{Value, ValueBool, ValueEmpty, ValueSet, ValueString};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api_error;
use crate::attributes::{
    attributes, computed_string, optional_bool, optional_string, optional_string_set,
    required_string,
};
use crate::client::api::shared_calling_policy::{SharedCallingPolicy, SharedCallingPolicyChanges};
use crate::client::ApiError;
use crate::domain::phone::{canonical_or_raw, TelephoneNumber};
use crate::domain::policies::{bare_name, identity_of, validate_instance_name};
use crate::provider::ProviderData;
use crate::validators::{check_known, guid};
use teamsphone_contract::SHARED_CALLING_POLICY_TYPE;

const WHAT: &str = "shared calling policy";
const MAX_DESCRIPTION: usize = 1024;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyModel<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub description: ValueString<'a>,
    pub resource_account_id: ValueString<'a>,
    pub emergency_numbers: ValueSet<ValueString<'a>>,
    pub force_destroy: ValueBool,
}

/// Null when the policy is gone, so Terraform drops it from state and plans to create it again.
pub type PolicyState<'a> = Value<PolicyModel<'a>>;

pub struct SharedCallingPolicyResource {
    data: ProviderData,
}

impl SharedCallingPolicyResource {
    pub fn new(data: ProviderData) -> Self {
        SharedCallingPolicyResource { data }
    }
}

fn schema() -> Schema {
    Schema {
        version: 1,
        block: Block {
            version: 1,
            description: Description::markdown(
                "A Teams shared calling routing policy (`New-CsTeamsSharedCallingRoutingPolicy`). Users granted it call out with the phone number of its resource account, and its emergency numbers serve as their emergency callback numbers.",
            ),
            attributes: attributes([
                ("id", computed_string("The policy's identity in Teams, `Tag:<name>`.")),
                ("name", required_string("Name of the policy, without the `Tag:` prefix. Changing it creates a new policy.")),
                ("description", optional_string("Free-text description shown in the Teams admin center (at most 1024 characters).")),
                ("resource_account_id", required_string("Object id (GUID) of the resource account whose phone number users call out with. The account must hold a number with an emergency location.")),
                ("force_destroy", optional_bool("Guardrail: destroying a policy still granted to users (directly or through groups) fails with the count, unless this is `true`. Only Terraform reads it.")),
                ("emergency_numbers", optional_string_set("Emergency callback numbers in E.164 form (`+12065550100`). Each must be of the same number type and country as the resource account's number, assigned to nobody, and unused by other policies. Equivalent spellings of one number are treated as equal.")),
            ]),
            ..Default::default()
        },
    }
}

fn validate_description(description: &str) -> Result<(), String> {
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(format!("is longer than {MAX_DESCRIPTION} characters"));
    }
    if description
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("must not contain control characters".into());
    }
    Ok(())
}

fn validate_emergency_numbers(diags: &mut Diagnostics, numbers: &ValueSet<ValueString<'_>>) {
    let Value::Value(numbers) = numbers else {
        return;
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    for number in numbers.iter().filter_map(|n| n.as_ref_option()) {
        match TelephoneNumber::parse(number) {
            Err(problem) => diags.error(
                "Invalid emergency_numbers",
                problem.to_string(),
                AttributePath::new("emergency_numbers"),
            ),
            Ok(parsed) => {
                if let Some((first, _)) = seen.iter().find(|(_, c)| *c == parsed.canonical()) {
                    diags.error(
                        "Duplicate emergency number",
                        format!(
                            "{first:?} and {number:?} are the same number ({parsed}); list it once"
                        ),
                        AttributePath::new("emergency_numbers"),
                    );
                } else {
                    seen.push((number.to_string(), parsed.canonical()));
                }
            }
        }
    }
}

fn known_strings<'a>(set: &'a ValueSet<ValueString<'_>>) -> Vec<&'a str> {
    set.as_ref_option()
        .map(|s| s.iter().filter_map(|v| v.as_deref_option()).collect())
        .unwrap_or_default()
}

fn canonical_set(numbers: &[&str]) -> BTreeSet<String> {
    numbers.iter().map(|n| canonical_or_raw(n)).collect()
}

/// The numbers to send to the API, in canonical spelling.
fn api_numbers(set: &ValueSet<ValueString<'_>>) -> Vec<String> {
    canonical_set(&known_strings(set)).into_iter().collect()
}

/// The emergency numbers to keep in state for what the API holds: the prior spelling of each number
/// the API still has, the API's spelling for the rest; null when the user never set any and there are none.
fn merge_numbers<'a>(
    prior: &ValueSet<ValueString<'a>>,
    from_api: &[String],
) -> ValueSet<ValueString<'a>> {
    if from_api.is_empty() && !prior.is_value() {
        return Value::Null;
    }
    let prior_known = known_strings(prior);
    let merged = from_api
        .iter()
        .map(|api| {
            let canonical = canonical_or_raw(api);
            let spelling = prior_known
                .iter()
                .find(|p| canonical_or_raw(p) == canonical)
                .map(|p| p.to_string())
                .unwrap_or_else(|| api.clone());
            Value::Value(Cow::Owned(spelling))
        })
        .collect();
    Value::Value(merged)
}

/// The state for what the API returned, keeping prior spellings that mean the same.
pub fn model_from_api<'a>(
    prior: &PolicyModel<'a>,
    policy: &SharedCallingPolicy,
) -> PolicyModel<'a> {
    let description = match (&policy.description, &prior.description) {
        (None, _) => Value::Null,
        (Some(d), Value::Null) if d.is_empty() => Value::Null,
        (Some(d), _) => Value::Value(Cow::Owned(d.clone())),
    };
    let resource_account_id = match (&policy.resource_account, &prior.resource_account_id) {
        (Some(api), Value::Value(p)) if api.eq_ignore_ascii_case(p) => {
            prior.resource_account_id.clone()
        }
        (Some(api), _) => Value::Value(Cow::Owned(api.clone())),
        (None, _) => Value::Null,
    };
    PolicyModel {
        id: Value::Value(Cow::Owned(policy.identity.clone())),
        name: Value::Value(Cow::Owned(bare_name(&policy.identity).to_string())),
        description,
        resource_account_id,
        emergency_numbers: merge_numbers(&prior.emergency_numbers, &policy.emergency_numbers),
        // Not an API property: only the configuration sets it.
        force_destroy: prior.force_destroy,
    }
}

/// The API object for a planned state.
pub fn policy_from_model(model: &PolicyModel<'_>) -> SharedCallingPolicy {
    SharedCallingPolicy {
        identity: identity_of(model.name.as_deref_option().unwrap_or_default()),
        description: model.description.as_deref_option().map(str::to_string),
        resource_account: model
            .resource_account_id
            .as_deref_option()
            .map(str::to_string),
        emergency_numbers: api_numbers(&model.emergency_numbers),
    }
}

/// What an update must send to turn `prior` into `planned`; `None` when nothing changes.
pub fn changes_between(
    prior: &PolicyModel<'_>,
    planned: &PolicyModel<'_>,
) -> Option<SharedCallingPolicyChanges> {
    let mut changes = SharedCallingPolicyChanges::default();
    if prior.description.as_deref_option() != planned.description.as_deref_option() {
        // Clearing the description sends "", since an absent property means "unchanged".
        changes.description = Some(
            planned
                .description
                .as_deref_option()
                .unwrap_or_default()
                .to_string(),
        );
    }
    let same_account = match (
        prior.resource_account_id.as_deref_option(),
        planned.resource_account_id.as_deref_option(),
    ) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (a, b) => a == b,
    };
    if !same_account {
        changes.resource_account = planned
            .resource_account_id
            .as_deref_option()
            .map(str::to_string);
    }
    let planned_numbers = api_numbers(&planned.emergency_numbers);
    if api_numbers(&prior.emergency_numbers) != planned_numbers {
        changes.emergency_numbers = Some(planned_numbers);
    }
    (changes != SharedCallingPolicyChanges::default()).then_some(changes)
}

fn display_name(model: &PolicyModel<'_>) -> String {
    model
        .name
        .as_deref_option()
        .map(str::to_string)
        .or_else(|| {
            model
                .id
                .as_deref_option()
                .map(|id| bare_name(id).to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

#[async_trait]
impl Resource for SharedCallingPolicyResource {
    type State<'a> = PolicyState<'a>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        let Value::Value(config) = config else {
            return Some(());
        };
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
        diags.errors.is_empty().then_some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(prior) = state else {
            return Some((Value::Null, private_state));
        };
        let client = self.data.client(diags)?;
        let identity = prior
            .id
            .as_deref_option()
            .map(str::to_string)
            .unwrap_or_else(|| identity_of(&display_name(&prior)));
        match client
            .get_cs_teams_shared_calling_routing_policy(&identity)
            .await
        {
            Ok(Some(policy)) => {
                Some((Value::Value(model_from_api(&prior, &policy)), private_state))
            }
            Ok(None) => Some((Value::Null, private_state)),
            Err(e) => {
                api_error(diags, "reading", WHAT, &display_name(&prior), &e);
                None
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let planned = proposed.map(|mut model| {
            model.id = match model.name.as_deref_option() {
                Some(name) => Value::Value(Cow::Owned(identity_of(name))),
                None => Value::Unknown,
            };
            model
        });
        Some((planned, ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: Self::State<'a>,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        prior_private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let prior_name = prior
            .as_ref_option()
            .and_then(|p| p.name.as_deref_option().map(str::to_string));
        let mut replace = Vec::new();
        let planned = proposed.map(|mut model| {
            if model.name.as_deref_option().map(str::to_string) != prior_name {
                replace.push(AttributePath::new("name"));
            }
            model.id = match model.name.as_deref_option() {
                Some(name) => Value::Value(Cow::Owned(identity_of(name))),
                None => Value::Unknown,
            };
            model
        });
        Some((planned, prior_private, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        prior_private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(mut model) = planned else {
            return None;
        };
        let client = self.data.client(diags)?;
        let policy = policy_from_model(&model);
        let name = display_name(&model);
        match client
            .new_cs_teams_shared_calling_routing_policy(&policy)
            .await
        {
            Ok(_) => {
                model.id = Value::Value(Cow::Owned(policy.identity));
                Some((Value::Value(model), private))
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
                        model.id = Value::Value(Cow::Owned(existing.identity));
                        return Some((Value::Value(model), private));
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

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let (Value::Value(prior), Value::Value(planned)) = (prior, planned) else {
            return None;
        };
        let client = self.data.client(diags)?;
        let identity = identity_of(&display_name(&planned));
        if let Some(changes) = changes_between(&prior, &planned) {
            if let Err(e) = client
                .set_cs_teams_shared_calling_routing_policy(&identity, &changes)
                .await
            {
                api_error(diags, "updating", WHAT, &display_name(&planned), &e);
                return None;
            }
        }
        Some((Value::Value(planned), private))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let Value::Value(prior) = prior else {
            return Some(());
        };
        let client = self.data.client(diags)?;
        let identity = prior
            .id
            .as_deref_option()
            .map(str::to_string)
            .unwrap_or_else(|| identity_of(&display_name(&prior)));
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
        match client
            .remove_cs_teams_shared_calling_routing_policy(&identity)
            .await
        {
            Ok(()) => Some(()),
            Err(e) => {
                api_error(diags, "deleting", WHAT, &display_name(&prior), &e);
                None
            }
        }
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let name = bare_name(id.trim()).to_string();
        if let Err(problem) = validate_instance_name(&name) {
            diags.root_error(
                "Invalid import id",
                format!("Import a shared calling policy by its name: {problem}"),
            );
            return None;
        }
        let client = self.data.client(diags)?;
        match client
            .get_cs_teams_shared_calling_routing_policy(&identity_of(&name))
            .await
        {
            Ok(Some(policy)) => Some((
                Value::Value(model_from_api(&PolicyModel::default(), &policy)),
                ValueEmpty::default(),
            )),
            Ok(None) => {
                diags.root_error(
                    format!("Cannot import shared calling policy ({name})"),
                    format!(
                        "No shared calling policy named {name:?} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                None
            }
            Err(e) => {
                api_error(diags, "importing", WHAT, &name, &e);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> ValueString<'static> {
        Value::Value(Cow::Owned(v.to_string()))
    }

    fn set(values: &[&str]) -> ValueSet<ValueString<'static>> {
        Value::Value(values.iter().map(|v| s(v)).collect())
    }

    fn model() -> PolicyModel<'static> {
        PolicyModel {
            id: s("Tag:Seattle"),
            name: s("Seattle"),
            description: Value::Null,
            resource_account_id: s("AAAAAAAA-0000-0000-0000-000000000001"),
            emergency_numbers: set(&["+1 206 555 0100", "+12065550101"]),
            force_destroy: Value::Null,
        }
    }

    #[test]
    fn api_spelling_of_the_same_numbers_keeps_the_users_spelling() {
        let api = SharedCallingPolicy {
            identity: "Tag:Seattle".into(),
            description: Some(String::new()),
            resource_account: Some("aaaaaaaa-0000-0000-0000-000000000001".into()),
            emergency_numbers: vec!["+12065550101".into(), "+12065550100".into()],
        };
        let read = model_from_api(&model(), &api);
        assert_eq!(read, model());
    }

    #[test]
    fn changes_outside_terraform_show_up() {
        let api = SharedCallingPolicy {
            identity: "Tag:Seattle".into(),
            description: Some("edited in the admin center".into()),
            resource_account: Some("bbbbbbbb-0000-0000-0000-000000000002".into()),
            emergency_numbers: vec!["+12065550100".into(), "+12065550199".into()],
        };
        let read = model_from_api(&model(), &api);
        assert_eq!(read.description, s("edited in the admin center"));
        assert_eq!(
            read.resource_account_id,
            s("bbbbbbbb-0000-0000-0000-000000000002")
        );
        assert_eq!(
            read.emergency_numbers,
            set(&["+1 206 555 0100", "+12065550199"])
        );
    }

    #[test]
    fn updates_send_only_real_changes() {
        let prior = model();
        let mut respelled = model();
        respelled.emergency_numbers = set(&["+12065550100", "+1-206-555-0101"]);
        respelled.resource_account_id = s("aaaaaaaa-0000-0000-0000-000000000001");
        assert_eq!(changes_between(&prior, &respelled), None);

        let mut planned = model();
        planned.description = s("new");
        planned.emergency_numbers = set(&["+12065550100"]);
        let changes = changes_between(&prior, &planned).unwrap();
        assert_eq!(changes.description.as_deref(), Some("new"));
        assert_eq!(
            changes.emergency_numbers,
            Some(vec!["+12065550100".to_string()])
        );
        assert_eq!(changes.resource_account, None);

        let cleared = changes_between(&planned, &prior).unwrap();
        assert_eq!(cleared.description.as_deref(), Some(""));
    }

    #[test]
    fn bad_numbers_and_duplicates_are_reported_on_the_attribute() {
        let mut diags = Diagnostics::default();
        validate_emergency_numbers(
            &mut diags,
            &set(&["+12065550100", "+1 206 555 0100", "12065550100"]),
        );
        assert_eq!(diags.errors.len(), 2);
        let text: String = diags
            .errors
            .iter()
            .map(|d| format!("{} {}", d.summary, d.detail))
            .collect();
        assert!(text.contains("same number"), "{text}");
        assert!(text.contains("must start with +"), "{text}");
    }

    #[test]
    fn api_object_uses_identity_and_canonical_numbers() {
        let p = policy_from_model(&model());
        assert_eq!(p.identity, "Tag:Seattle");
        assert_eq!(p.emergency_numbers, vec!["+12065550100", "+12065550101"]);
    }
}
