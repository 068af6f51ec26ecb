//! Conversions between the Terraform model of an emergency call routing policy and the API's, pure
//! and tested without a server.
//!
//! `emergency_numbers` is a list of objects in the user's order; the API keeps that order, so entries
//! are matched by position. Each entry's masks are a list here and one `;`-separated string on the
//! wire ([`crate::domain::emergency_dialing`]). Values the API may leave out (no masks, no PSTN usage,
//! enhanced services off) read back as what the user wrote for "nothing" (`[]` or null), so a
//! configuration that says nothing in either spelling never shows a diff.

use serde::{Deserialize, Serialize};
use tf_provider::value::{Value, ValueBool, ValueList, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::emergency_call_routing_policy::{
    EmergencyCallRoutingPolicy, EmergencyCallRoutingPolicyChanges, EmergencyNumber,
};
use crate::domain::emergency_dialing::{check_entries, join_masks, split_masks, Entry};
use crate::domain::policies::{bare_name, identity_of};
use crate::framework::equality::Equality;
use crate::framework::values::{known_strings, list_of, owned};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmergencyPolicyModel<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub description: ValueString<'a>,
    pub enhanced_emergency_services: ValueBool,
    pub emergency_numbers: ValueList<Value<NumberEntry<'a>>>,
    pub force_destroy: ValueBool,
}

/// One element of `emergency_numbers`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NumberEntry<'a> {
    pub dial_string: ValueString<'a>,
    pub dial_masks: ValueList<ValueString<'a>>,
    pub pstn_usage: ValueString<'a>,
}

/// The plan-time rules of the list, each problem reported on `emergency_numbers` itself and naming
/// its entry: Terraform 1.0.3 cannot point into a list of objects, so the text must.
pub fn validate_emergency_numbers(
    diags: &mut Diagnostics,
    numbers: &ValueList<Value<NumberEntry<'_>>>,
) {
    let Value::Value(list) = numbers else {
        return;
    };
    let entries: Vec<Entry> = list
        .iter()
        .map(|e| match e {
            Value::Value(e) => Entry {
                dial_string: e.dial_string.as_deref_option(),
                dial_masks: known_strings(&e.dial_masks),
                pstn_usage: e.pstn_usage.as_deref_option(),
            },
            _ => Entry::default(),
        })
        .collect();
    // The object type makes every key required, but `dial_string = null` is still a value.
    for (index, e) in list.iter().enumerate() {
        if e.as_ref_option().is_some_and(|e| e.dial_string.is_null()) {
            diags.error(
                "Invalid emergency_numbers",
                format!("emergency_numbers[{index}]: dial_string is required"),
                AttributePath::new("emergency_numbers"),
            );
        }
    }
    for problem in check_entries(&entries) {
        let which = match entries.get(problem.index).and_then(|e| e.dial_string) {
            Some(dial) => format!(
                "emergency_numbers[{}] (dial string {dial:?})",
                problem.index
            ),
            None => format!("emergency_numbers[{}]", problem.index),
        };
        diags.error(
            "Invalid emergency_numbers",
            format!("{which}: {}", problem.message),
            AttributePath::new("emergency_numbers"),
        );
    }
}

/// The numbers to send, in the user's order.
fn api_numbers(list: &ValueList<Value<NumberEntry<'_>>>) -> Vec<EmergencyNumber> {
    let Value::Value(list) = list else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|e| e.as_ref_option())
        .map(|e| EmergencyNumber {
            emergency_dial_string: e.dial_string.as_deref_option().unwrap_or_default().into(),
            emergency_dial_mask: join_masks(&known_strings(&e.dial_masks)),
            online_pstn_usage: e.pstn_usage.as_deref_option().map(str::to_string),
        })
        .collect()
}

/// The state of one API entry, keeping the prior entry's spellings of "nothing" and of its usage.
fn entry_from_api<'a>(prior: Option<&NumberEntry<'a>>, api: &EmergencyNumber) -> NumberEntry<'a> {
    let masks = split_masks(api.emergency_dial_mask.as_deref());
    let prior_masks_null = prior.is_some_and(|p| p.dial_masks.is_null());
    let dial_masks = if masks.is_empty() && prior_masks_null {
        Value::Null
    } else {
        list_of(masks)
    };
    let pstn_usage = match (prior, api.online_pstn_usage.as_deref()) {
        (_, None | Some("")) => Value::Null,
        (Some(p), Some(api)) => Equality::CaseInsensitive.keep(&p.pstn_usage, api),
        (None, Some(api)) => owned(api),
    };
    NumberEntry {
        dial_string: owned(api.emergency_dial_string.clone()),
        dial_masks,
        pstn_usage,
    }
}

/// The state for what the API returned.
pub fn model_from_api<'a>(
    prior: &EmergencyPolicyModel<'a>,
    policy: &EmergencyCallRoutingPolicy,
) -> EmergencyPolicyModel<'a> {
    let description = match (&policy.description, &prior.description) {
        (None, _) => Value::Null,
        (Some(d), Value::Null) if d.is_empty() => Value::Null,
        (Some(d), _) => owned(d.clone()),
    };
    let enhanced = match (
        policy.allow_enhanced_emergency_services,
        &prior.enhanced_emergency_services,
    ) {
        (Some(true), _) => Value::Value(true),
        (_, Value::Value(_)) => Value::Value(false),
        _ => Value::Null,
    };
    let prior_entries: Vec<Option<&NumberEntry>> = match &prior.emergency_numbers {
        Value::Value(list) => list.iter().map(|e| e.as_ref_option()).collect(),
        _ => Vec::new(),
    };
    let emergency_numbers =
        if policy.emergency_numbers.is_empty() && !prior.emergency_numbers.is_value() {
            Value::Null
        } else {
            Value::Value(
                policy
                    .emergency_numbers
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        Value::Value(entry_from_api(prior_entries.get(i).copied().flatten(), n))
                    })
                    .collect(),
            )
        };
    EmergencyPolicyModel {
        id: owned(policy.identity.clone()),
        name: owned(bare_name(&policy.identity)),
        description,
        enhanced_emergency_services: enhanced,
        emergency_numbers,
        // Not an API property: only the configuration sets it.
        force_destroy: prior.force_destroy,
    }
}

/// The API object for a planned state.
pub fn policy_from_model(model: &EmergencyPolicyModel<'_>) -> EmergencyCallRoutingPolicy {
    EmergencyCallRoutingPolicy {
        identity: identity_of(model.name.as_deref_option().unwrap_or_default()),
        description: model.description.as_deref_option().map(str::to_string),
        allow_enhanced_emergency_services: Some(
            model.enhanced_emergency_services == Value::Value(true),
        ),
        emergency_numbers: api_numbers(&model.emergency_numbers),
    }
}

/// Usage names compare case-insensitively, as Teams compares them.
fn same_numbers(a: &[EmergencyNumber], b: &[EmergencyNumber]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a.emergency_dial_string == b.emergency_dial_string
                && a.emergency_dial_mask == b.emergency_dial_mask
                && Equality::CaseInsensitive.same_option(
                    a.online_pstn_usage.as_deref(),
                    b.online_pstn_usage.as_deref(),
                )
        })
}

/// What an update must send to turn `prior` into `planned`; `None` when nothing changes.
pub fn changes_between(
    prior: &EmergencyPolicyModel<'_>,
    planned: &EmergencyPolicyModel<'_>,
) -> Option<EmergencyCallRoutingPolicyChanges> {
    let mut changes = EmergencyCallRoutingPolicyChanges::default();
    let planned_description = planned.description.as_deref_option();
    if prior.description.as_deref_option() != planned_description {
        // Clearing the description sends "", since an absent property means "unchanged".
        changes.description = Some(planned_description.unwrap_or_default().to_string());
    }
    let on = |m: &EmergencyPolicyModel| m.enhanced_emergency_services == Value::Value(true);
    if on(prior) != on(planned) {
        changes.allow_enhanced_emergency_services = Some(on(planned));
    }
    let planned_numbers = api_numbers(&planned.emergency_numbers);
    if !same_numbers(&api_numbers(&prior.emergency_numbers), &planned_numbers) {
        changes.emergency_numbers = Some(planned_numbers);
    }
    (changes != EmergencyCallRoutingPolicyChanges::default()).then_some(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        dial: &str,
        masks: Option<&[&str]>,
        usage: Option<&str>,
    ) -> Value<NumberEntry<'static>> {
        Value::Value(NumberEntry {
            dial_string: owned(dial),
            dial_masks: masks.map_or(Value::Null, |m| list_of(m.iter().map(|s| s.to_string()))),
            pstn_usage: usage.map_or(Value::Null, owned),
        })
    }

    fn model() -> EmergencyPolicyModel<'static> {
        EmergencyPolicyModel {
            id: owned("Tag:Seattle-E911"),
            name: owned("Seattle-E911"),
            description: Value::Null,
            enhanced_emergency_services: Value::Null,
            emergency_numbers: Value::Value(vec![
                entry("911", Some(&["933", "112"]), Some("US-Emergency")),
                entry("999", None, None),
            ]),
            force_destroy: Value::Null,
        }
    }

    fn api() -> EmergencyCallRoutingPolicy {
        EmergencyCallRoutingPolicy {
            identity: "Tag:Seattle-E911".into(),
            description: Some(String::new()),
            allow_enhanced_emergency_services: Some(false),
            emergency_numbers: vec![
                EmergencyNumber {
                    emergency_dial_string: "911".into(),
                    emergency_dial_mask: Some("933;112".into()),
                    online_pstn_usage: Some("us-emergency".into()),
                },
                EmergencyNumber {
                    emergency_dial_string: "999".into(),
                    ..Default::default()
                },
            ],
        }
    }

    #[test]
    fn what_the_api_holds_for_the_configuration_reads_back_unchanged() {
        assert_eq!(model_from_api(&model(), &api()), model());
        assert_eq!(
            policy_from_model(&model()).emergency_numbers[0]
                .emergency_dial_mask
                .as_deref(),
            Some("933;112")
        );
        assert_eq!(
            changes_between(&model(), &model_from_api(&model(), &api())),
            None
        );
    }

    #[test]
    fn changes_outside_terraform_show_up() {
        let mut changed = api();
        changed.allow_enhanced_emergency_services = Some(true);
        changed.emergency_numbers[0].emergency_dial_mask = Some("933".into());
        changed.emergency_numbers.pop();
        let read = model_from_api(&model(), &changed);
        assert_eq!(read.enhanced_emergency_services, Value::Value(true));
        assert_eq!(
            read.emergency_numbers,
            Value::Value(vec![entry("911", Some(&["933"]), Some("US-Emergency"))])
        );
        let back = changes_between(&read, &model()).unwrap();
        assert_eq!(back.allow_enhanced_emergency_services, Some(false));
        assert_eq!(back.emergency_numbers.unwrap().len(), 2);
        assert_eq!(back.description, None);
    }

    #[test]
    fn import_reads_nothing_as_empty_masks_and_null_usage() {
        let read = model_from_api(&EmergencyPolicyModel::default(), &api());
        let Value::Value(list) = &read.emergency_numbers else {
            panic!()
        };
        assert_eq!(list[1], entry("999", Some(&[]), None));
        assert_eq!(read.enhanced_emergency_services, Value::Null);
        assert_eq!(read.description, Value::Null);
    }

    #[test]
    fn bad_entries_are_reported_on_the_list_naming_the_entry() {
        let mut diags = Diagnostics::default();
        let list = Value::Value(vec![
            entry("911", Some(&["933"]), None),
            entry("9x", Some(&["933"]), None),
            Value::Unknown,
        ]);
        validate_emergency_numbers(&mut diags, &list);
        let text: Vec<String> = diags.errors.iter().map(|d| d.detail.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].starts_with("emergency_numbers[1] (dial string \"9x\")"),
            "{text:?}"
        );
        assert!(text[1].contains("used twice"), "{text:?}");
    }
}
