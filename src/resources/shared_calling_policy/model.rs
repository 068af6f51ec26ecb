//! Conversions between the Terraform model of a shared calling policy and the API's, pure and tested
//! without a server.
//!
//! Emergency numbers and the resource account id are compared semantically ([`Equality`]): the
//! user's spelling stays in state as long as the API holds the same value.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use tf_provider::value::{Value, ValueBool, ValueSet, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::shared_calling_policy::{SharedCallingPolicy, SharedCallingPolicyChanges};
use crate::domain::phone::TelephoneNumber;
use crate::domain::policies::{bare_name, identity_of};
use crate::framework::equality::Equality;
use crate::framework::values::{known_strings, owned};

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

pub fn validate_emergency_numbers(diags: &mut Diagnostics, numbers: &ValueSet<ValueString<'_>>) {
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

/// The numbers to send to the API, in canonical spelling, sorted.
fn api_numbers(set: &ValueSet<ValueString<'_>>) -> Vec<String> {
    let canonical: BTreeSet<String> = known_strings(set)
        .into_iter()
        .map(|n| Equality::PhoneNumber.key(n))
        .collect();
    canonical.into_iter().collect()
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
        .map(|api| owned(Equality::PhoneNumber.spelling(prior_known.iter().copied(), api)))
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
        (Some(d), _) => owned(d.clone()),
    };
    let resource_account_id = match &policy.resource_account {
        Some(api) => Equality::CaseInsensitive.keep(&prior.resource_account_id, api),
        None => Value::Null,
    };
    PolicyModel {
        id: owned(policy.identity.clone()),
        name: owned(bare_name(&policy.identity)),
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
    let planned_description = planned.description.as_deref_option();
    if !Equality::Exact.same_option(prior.description.as_deref_option(), planned_description) {
        // Clearing the description sends "", since an absent property means "unchanged".
        changes.description = Some(planned_description.unwrap_or_default().to_string());
    }
    let planned_account = planned.resource_account_id.as_deref_option();
    if !Equality::CaseInsensitive
        .same_option(prior.resource_account_id.as_deref_option(), planned_account)
    {
        changes.resource_account = planned_account.map(str::to_string);
    }
    let planned_numbers = api_numbers(&planned.emergency_numbers);
    if api_numbers(&prior.emergency_numbers) != planned_numbers {
        changes.emergency_numbers = Some(planned_numbers);
    }
    (changes != SharedCallingPolicyChanges::default()).then_some(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(values: &[&str]) -> ValueSet<ValueString<'static>> {
        Value::Value(values.iter().map(|v| owned(*v)).collect())
    }

    fn model() -> PolicyModel<'static> {
        PolicyModel {
            id: owned("Tag:Seattle"),
            name: owned("Seattle"),
            description: Value::Null,
            resource_account_id: owned("AAAAAAAA-0000-0000-0000-000000000001"),
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
        assert_eq!(read.description, owned("edited in the admin center"));
        assert_eq!(
            read.resource_account_id,
            owned("bbbbbbbb-0000-0000-0000-000000000002")
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
        respelled.resource_account_id = owned("aaaaaaaa-0000-0000-0000-000000000001");
        assert_eq!(changes_between(&prior, &respelled), None);

        let mut planned = model();
        planned.description = owned("new");
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
