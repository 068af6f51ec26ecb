//! Conversions between the Terraform model of a phone number assignment and Graph's number
//! assignment, pure and tested without a server. Numbers compare as numbers and ids ignoring case
//! ([`Equality`]): the user's spelling stays in state and the `id` is the canonical `+E.164`.

use serde::{Deserialize, Serialize};
use tf_provider::value::{self, Value, ValueString};
use tf_provider::AttributePath;

use crate::client::api::numbers::{AssignNumber, NumberAssignment};
use crate::domain::numbers::{api_number_type, tf_number_type};
use crate::domain::phone::TelephoneNumber;
use crate::framework::equality::Equality;
use crate::framework::replace::{changed, RequiresReplace};
use crate::framework::timeouts::TimeoutsBlock;
use crate::framework::values::{optional, owned};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssignmentModel<'a> {
    pub id: ValueString<'a>,
    pub telephone_number: ValueString<'a>,
    pub target_id: ValueString<'a>,
    pub number_type: ValueString<'a>,
    pub assignment_category: ValueString<'a>,
    pub location_id: ValueString<'a>,
    pub activation_state: ValueString<'a>,
    pub iso_country_code: ValueString<'a>,
    #[serde(with = "value::serde_as_vec")]
    pub timeouts: TimeoutsBlock<'a>,
}

/// The state for what Graph shows, keeping prior spellings; `None` when the number is assigned to
/// nobody (`unassigned`, or serving a policy), i.e. the assignment is gone.
pub fn model_from_api<'a>(
    prior: &AssignmentModel<'a>,
    n: &NumberAssignment,
) -> Option<AssignmentModel<'a>> {
    let target = n
        .assignment_target_id
        .as_deref()
        .filter(|t| !t.is_empty())?;
    if matches!(
        n.assignment_status.as_deref(),
        Some("unassigned" | "policyAssigned")
    ) {
        return None;
    }
    let canonical = TelephoneNumber::parse(&n.telephone_number)
        .map(|p| p.canonical())
        .unwrap_or_else(|_| n.telephone_number.clone());
    let telephone_number = Equality::PhoneNumber.keep(&prior.telephone_number, &n.telephone_number);
    let number_type = match n.number_type.as_deref().and_then(tf_number_type) {
        Some(t) => owned(t),
        None => prior.number_type.clone(),
    };
    Some(AssignmentModel {
        id: owned(canonical),
        telephone_number,
        target_id: Equality::CaseInsensitive.keep_option(&prior.target_id, Some(target)),
        number_type,
        assignment_category: owned(
            n.assignment_category
                .clone()
                .unwrap_or_else(|| "primary".into()),
        ),
        location_id: Equality::CaseInsensitive
            .keep_option(&prior.location_id, n.location_id.as_deref()),
        activation_state: optional(n.activation_state.as_deref()),
        iso_country_code: match &n.iso_country_code {
            Some(c) if !c.is_empty() => owned(c.clone()),
            _ => prior.iso_country_code.clone(),
        },
        timeouts: prior.timeouts.clone(),
    })
}

/// The `assignNumber` body for a planned state.
pub fn assign_request(model: &AssignmentModel<'_>) -> AssignNumber {
    let number = model.telephone_number.as_deref_option().unwrap_or_default();
    AssignNumber {
        telephone_number: TelephoneNumber::parse(number)
            .map(|n| n.canonical())
            .unwrap_or_else(|_| number.to_string()),
        assignment_target_id: model
            .target_id
            .as_deref_option()
            .unwrap_or_default()
            .to_string(),
        number_type: model
            .number_type
            .as_deref_option()
            .and_then(api_number_type)
            .unwrap_or_default()
            .to_string(),
        assignment_category: model
            .assignment_category
            .as_deref_option()
            .unwrap_or("primary")
            .to_string(),
        location_id: model.location_id.as_deref_option().map(str::to_string),
    }
}

/// The attributes whose change makes a new assignment: the number (compared as a number), the
/// target (an object id, any case), its type and category.
pub fn replace_rules<'a>() -> Vec<RequiresReplace<'a, AssignmentModel<'a>>> {
    vec![
        RequiresReplace::new("telephone_number", Equality::PhoneNumber, |m| {
            &m.telephone_number
        }),
        RequiresReplace::new("target_id", Equality::CaseInsensitive, |m| &m.target_id),
        RequiresReplace::new("number_type", Equality::Exact, |m| &m.number_type),
        RequiresReplace::new("assignment_category", Equality::Exact, |m| {
            &m.assignment_category
        }),
    ]
}

/// Which changes force a new assignment.
pub fn replace_paths(
    prior: &AssignmentModel<'_>,
    planned: &AssignmentModel<'_>,
) -> Vec<AttributePath> {
    changed(&replace_rules(), prior, planned)
}

/// What a new assignment knows at plan time: the canonical number (its `id`) and its country come
/// from the number itself; Teams' activation state only after apply.
pub fn plan_new(m: &mut AssignmentModel<'_>) {
    let parsed = m
        .telephone_number
        .as_deref_option()
        .and_then(|n| TelephoneNumber::parse(n).ok());
    m.id = parsed
        .as_ref()
        .map(|p| owned(p.canonical()))
        .unwrap_or(Value::Unknown);
    m.iso_country_code = parsed
        .and_then(|p| p.country)
        .map(owned)
        .unwrap_or(Value::Unknown);
    m.activation_state = Value::Unknown;
}

/// States Teams is still working on; a failed state (`assignmentFailed`, `updateFailed`) is final
/// and shows in state without planning a change on every run.
pub fn is_pending(activation_state: Option<&str>) -> bool {
    matches!(
        activation_state,
        Some("assignmentPending" | "updatePending")
    )
}

/// The number in canonical `+E.164`, as the API wants it.
pub fn canonical_of(model: &AssignmentModel<'_>) -> String {
    assign_request(model).telephone_number
}

/// How the assignment is named in messages.
pub fn name_of(model: &AssignmentModel<'_>) -> String {
    model
        .telephone_number
        .as_deref_option()
        .or(model.id.as_deref_option())
        .unwrap_or("unknown")
        .to_string()
}

/// Fills the computed attributes of `planned` from what Graph shows.
pub fn with_computed<'a>(
    mut planned: AssignmentModel<'a>,
    n: &NumberAssignment,
) -> AssignmentModel<'a> {
    planned.id = owned(canonical_of(&planned));
    planned.activation_state = optional(n.activation_state.as_deref());
    if !planned.iso_country_code.is_value() {
        planned.iso_country_code = optional(n.iso_country_code.as_deref());
    }
    if !planned.assignment_category.is_value() {
        planned.assignment_category = owned("primary");
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::numbers::{validate_number, ACTIVATED};

    const TARGET: &str = "AAAAAAAA-0000-0000-0000-000000000001";
    const LOC: &str = "11111111-0000-0000-0000-0000000000AA";

    fn model() -> AssignmentModel<'static> {
        AssignmentModel {
            id: owned("+12065550100"),
            telephone_number: owned("+1 (206) 555-0100"),
            target_id: owned(TARGET),
            number_type: owned("direct_routing"),
            assignment_category: owned("primary"),
            location_id: owned(LOC),
            activation_state: owned("activated"),
            iso_country_code: owned("US"),
            timeouts: Value::Null,
        }
    }

    fn api() -> NumberAssignment {
        NumberAssignment {
            telephone_number: "+12065550100".into(),
            number_type: Some("directRouting".into()),
            activation_state: Some("activated".into()),
            assignment_status: Some("voiceApplicationAssigned".into()),
            assignment_target_id: Some(TARGET.to_lowercase()),
            assignment_category: Some("primary".into()),
            location_id: Some(LOC.to_lowercase()),
            iso_country_code: Some("US".into()),
            ..Default::default()
        }
    }

    #[test]
    fn api_spellings_keep_the_users_spelling() {
        assert_eq!(model_from_api(&model(), &api()), Some(model()));
    }

    #[test]
    fn unassigned_or_policy_numbers_are_gone_and_drift_shows() {
        let mut n = api();
        n.assignment_target_id = None;
        n.assignment_status = Some("unassigned".into());
        assert_eq!(model_from_api(&model(), &n), None);
        n.assignment_target_id = Some("Tag:Seattle".into());
        n.assignment_status = Some("policyAssigned".into());
        assert_eq!(model_from_api(&model(), &n), None);
        let mut n = api();
        n.location_id = None;
        n.assignment_target_id = Some("bbbbbbbb-0000-0000-0000-000000000002".into());
        n.activation_state = Some("unknownFutureValue".into());
        let read = model_from_api(&model(), &n).unwrap();
        assert_eq!(read.location_id, Value::Null);
        assert_eq!(
            read.target_id,
            owned("bbbbbbbb-0000-0000-0000-000000000002")
        );
        assert_eq!(read.activation_state, owned("unknownFutureValue"));
        assert_eq!(
            replace_paths(&model(), &read),
            vec![AttributePath::new("target_id")]
        );
    }

    #[test]
    fn assign_body_is_canonical() {
        let a = assign_request(&model());
        assert_eq!(a.telephone_number, "+12065550100");
        assert_eq!(a.number_type, "directRouting");
        assert_eq!(a.location_id.as_deref(), Some(LOC));
    }

    #[test]
    fn respelling_does_not_replace_but_real_changes_do() {
        let mut respelled = model();
        respelled.telephone_number = owned("+12065550100");
        respelled.target_id = owned(TARGET.to_lowercase());
        assert!(replace_paths(&model(), &respelled).is_empty());
        let mut other = model();
        other.telephone_number = owned("+12065550101");
        other.number_type = owned("calling_plan");
        assert_eq!(
            replace_paths(&model(), &other),
            vec![
                AttributePath::new("telephone_number"),
                AttributePath::new("number_type")
            ]
        );
    }

    #[test]
    fn only_pending_states_wait() {
        assert!(is_pending(Some("assignmentPending")));
        assert!(is_pending(Some("updatePending")));
        assert!(!is_pending(Some("assignmentFailed")));
        assert!(!is_pending(Some(ACTIVATED)));
        assert!(!is_pending(None));
    }

    #[test]
    fn numbers_are_checked_against_their_type() {
        assert_eq!(
            validate_number("+1 206 555 0100", Some("calling_plan"))
                .unwrap()
                .country
                .as_deref(),
            Some("US")
        );
        assert!(validate_number("+12065550100;ext=12", Some("direct_routing")).is_ok());
        let e = validate_number("+12065550100;ext=12", Some("calling_plan")).unwrap_err();
        assert!(e.contains("only Direct Routing"), "{e}");
        assert!(validate_number("2065550100", None)
            .unwrap_err()
            .contains("must start with +"));
        assert_eq!(tf_number_type("operatorConnect"), Some("operator_connect"));
        assert_eq!(tf_number_type("unknownFutureValue"), None);
    }
}
