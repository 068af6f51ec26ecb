//! The Terraform side that the policy-binding resources (a user, a list of users, a group, Enterprise
//! Voice users) share: the `policy_type` and user-list attributes, the `<object id>/<policy type>` id
//! of a per-user or per-group binding, checks of a policy binding and of a user list, and the
//! diagnostics for unknown users, failed batches, missing policies and grants
//! still propagating.
//!
//! It is the one framework module that speaks Teams, because those resources must answer alike and
//! may not import each other. The rules themselves are vocabulary (`domain::policies`,
//! `domain::directory`); the directory read, the policy-id cache and the propagation wait are the
//! client's (`client::workflows`, `client::waits`). Grants take 30-45 s to show in reads on a real
//! tenant, so after a write the resources poll reads until they agree or [`PROPAGATION_BOUND`]
//! passes, each wait bounded by that constant rather than a `timeouts` block, since none of these
//! resources offers one.

use std::borrow::Cow;
use std::collections::HashMap;

use tf_provider::schema::Attribute;
use tf_provider::value::{Value, ValueList, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use super::attributes::{optional_computed_string, required_string_list};
use super::diagnostics::{api_error, invalid_attribute, name_list, NAMES_SHOWN};
use super::validators::{check_known, is_guid};
use super::values::owned;

use crate::client::api::policy_assignment::BatchOutcome;
use crate::client::snapshot::{UserDirectory, UserRecord};
use crate::client::waits::PROPAGATION_BOUND;
use crate::client::workflows::PolicyLookup;
use crate::client::Client;
use crate::domain::directory::validate_user_ref;
use crate::domain::policies::{validate_grant_name, validate_policy_type, DEFAULT_POLICY_TYPE};
use crate::domain::readiness::{checks_readiness, gaps, Gap};

pub fn policy_type_attribute() -> Attribute {
    optional_computed_string(
        "Teams policy type, such as `TeamsSharedCallingRoutingPolicy` (the default), `TeamsEmergencyCallRoutingPolicy`, `OnlineVoiceRoutingPolicy` or `CallingLineIdentity`. Changing it replaces the resource.",
    )
}

/// A list of users, used as a set: order and spelling are the user's, duplicates are refused.
///
/// Not a Terraform set: Terraform checks planned against applied set values by pairing every element
/// with every other (quadratic), which takes minutes at 10,000 users; lists are compared in one pass.
pub type UserRefs<'a> = ValueList<ValueString<'a>>;

pub fn user_set_attribute(description: &str) -> Attribute {
    required_string_list(description)
}

/// Checks every member of a user set and that none is listed twice in another spelling.
pub fn validate_user_set(diags: &mut Diagnostics, path: &str, set: &UserRefs<'_>) {
    let Value::Value(set) = set else { return };
    let mut seen: HashMap<String, &str> = HashMap::with_capacity(set.len());
    let mut problems = Vec::new();
    for value in set.iter().filter_map(|v| v.as_deref_option()) {
        if let Err(p) = validate_user_ref(value) {
            problems.push(p);
        } else if let Some(first) = seen.insert(value.to_lowercase(), value) {
            problems.push(format!(
                "{first:?} and {value:?} are the same user; list it once"
            ));
        }
    }
    let count = problems.len();
    for p in problems.into_iter().take(NAMES_SHOWN) {
        invalid_attribute(diags, path, p);
    }
    if count > NAMES_SHOWN {
        invalid_attribute(
            diags,
            path,
            format!("{} more entries are invalid", count - NAMES_SHOWN),
        );
    }
}

/// Checks the `policy_type` and `policy_name` every binding resource has (when known at plan time).
pub fn check_policy_binding(
    diags: &mut Diagnostics,
    policy_type: &ValueString<'_>,
    policy_name: &ValueString<'_>,
) {
    check_known(diags, "policy_type", policy_type, validate_policy_type);
    check_known(diags, "policy_name", policy_name, validate_grant_name);
}

/// The id of a binding to one user or group: `<object id in lower case>/<policy type>`.
pub fn binding_id(object_id: &str, policy_type: &str) -> String {
    format!("{}/{policy_type}", object_id.to_lowercase())
}

/// The id a plan can know: when the target is an object id (a principal name is resolved only at
/// create) and the type is known.
pub fn planned_binding_id(
    target: &ValueString<'_>,
    policy_type: &ValueString<'_>,
) -> ValueString<'static> {
    match (target.as_deref_option(), policy_type.as_deref_option()) {
        (Some(target), Some(t)) if is_guid(target) => owned(binding_id(target, t)),
        _ => Value::Unknown,
    }
}

/// Splits a binding id into the lower-case object id and the policy type; the error says it is not
/// of the form `form`.
pub fn parse_binding_id(id: &str, form: &str) -> Result<(String, String), String> {
    match id.trim().split_once('/') {
        Some((target, t)) if is_guid(target) && validate_policy_type(t).is_ok() => {
            Ok((target.to_lowercase(), t.to_string()))
        }
        _ => Err(format!("{id:?} is not of the form {form}")),
    }
}

pub fn policy_type_or_default<'a>(value: &ValueString<'a>) -> ValueString<'a> {
    match value {
        Value::Null => Value::Value(Cow::Borrowed(DEFAULT_POLICY_TYPE)),
        other => other.clone(),
    }
}

/// Reports a failed policy lookup for `<action> <what> (<name>)`.
pub fn policy_lookup_error(
    diags: &mut Diagnostics,
    action: &str,
    what: &str,
    policy_type: &str,
    policy_name: &str,
    client: &Client,
    error: PolicyLookup,
) {
    match error {
        PolicyLookup::Missing => diags.error(
            format!("Policy {policy_name} does not exist"),
            format!(
                "{action} {what} ({policy_name}): tenant {} has no {policy_type} named {policy_name:?}. Create it first, or check the spelling.",
                client.tenant_id()
            ),
            AttributePath::new("policy_name"),
        ),
        PolicyLookup::Failed(e) => api_error(diags, action, what, policy_name, &e),
    }
}

/// The object ids (lower-case) of `refs` in `dir`, or `None` after reporting, on `user_ids`, the
/// references that match no user in the tenant: `<action> <what> (<name>): ...`.
pub fn resolve_users<'r>(
    diags: &mut Diagnostics,
    dir: &UserDirectory,
    refs: &[&'r str],
    (action, what, name): (&str, &str, &str),
) -> Option<Vec<(&'r str, String)>> {
    match dir.resolve(refs) {
        Ok(resolved) => Some(resolved),
        Err(missing) => {
            diags.error(
                format!("{} user(s) do not exist", missing.len()),
                format!(
                    "{action} {what} ({name}): no user with these object ids or user principal names exists in the tenant: {}. Nothing was changed.",
                    name_list(&missing)
                ),
                AttributePath::new("user_ids"),
            );
            None
        }
    }
}

/// Splits batch outcomes into the users whose request succeeded and one error line per failure,
/// naming each failed user.
pub fn split_outcomes(
    outcomes: Vec<BatchOutcome>,
    display: impl Fn(&str) -> String,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    let mut errors = Vec::new();
    for o in outcomes {
        match o.result {
            Ok(()) => ok.extend(o.user_ids),
            Err(e) => {
                let names: Vec<String> = o.user_ids.iter().map(|u| display(u)).collect();
                errors.push(format!("{} for {}", e, name_list(&names)));
                failed.extend(o.user_ids);
            }
        }
    }
    (ok, failed, errors)
}

/// A warning that a write was accepted but did not show in reads within the bound.
pub fn not_yet_visible(diags: &mut Diagnostics, what: &str, name: &str, count: usize) {
    diags.root_warning(
        format!("{what} ({name}) is still propagating"),
        format!(
            "The service accepted the change, but {count} user(s) did not show it within {} s. Teams can take minutes; the next plan shows whatever is still missing.",
            PROPAGATION_BOUND.as_secs()
        ),
    );
}

/// Before granting `policy_type` to `users`: when it is the shared calling policy, one warning on
/// `path` per readiness gap (`domain::readiness`), naming the users concerned. The grant is legal,
/// so nothing is refused; those users just will not call out as the shared number yet.
pub fn warn_unready_grantees<'c>(
    diags: &mut Diagnostics,
    path: &'static str,
    (policy_type, policy_name): (&str, &str),
    users: impl IntoIterator<Item = &'c UserRecord>,
) {
    if !checks_readiness(policy_type) {
        return;
    }
    let mut by_gap: Vec<(Gap, Vec<String>)> = Gap::FOR_GRANTS.map(|g| (g, Vec::new())).into();
    for user in users {
        for gap in gaps(&user.voice_facts(), None) {
            if let Some((_, names)) = by_gap.iter_mut().find(|(g, _)| *g == gap) {
                names.push(user.name().to_string());
            }
        }
    }
    for (gap, names) in by_gap.into_iter().filter(|(_, n)| !n.is_empty()) {
        diags.warning(
            format!("{} user(s): {}", names.len(), gap.reason()),
            format!(
                "Granting {policy_type} {policy_name:?} is allowed, but these users will not call out as the shared number until this is fixed: {}.",
                name_list(&names)
            ),
            AttributePath::new(path),
        );
    }
}

/// Refuses, on `user_ids`, users without a Teams Phone license: Enterprise Voice needs one, and
/// the service would refuse them one by one in the middle of the writes. `None` after reporting.
pub fn require_teams_phone<'c>(
    diags: &mut Diagnostics,
    (action, what): (&str, &str),
    users: impl IntoIterator<Item = &'c UserRecord>,
) -> Option<()> {
    let missing: Vec<String> = users
        .into_iter()
        .filter(|c| !c.has_teams_phone())
        .map(|c| c.name().to_string())
        .collect();
    if missing.is_empty() {
        return Some(());
    }
    diags.error(
        format!("{} user(s) have no Teams Phone license", missing.len()),
        format!(
            "{action} {what}: Enterprise Voice needs Teams Phone, and these users' featureTypes have no PhoneSystem: {}. Assign them a Teams Phone license or remove them from user_ids. Nothing was changed.",
            name_list(&missing)
        ),
        AttributePath::new("user_ids"),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::api::policy_assignment::TeamsUserConfiguration;
    use crate::client::ApiError;
    use crate::framework::values::list_of as set_of;

    #[test]
    fn user_lists_are_checked() {
        let mut diags = Diagnostics::default();
        let set = set_of([
            "Ann@contoso.com".to_string(),
            "ann@CONTOSO.com".into(),
            "x".into(),
        ]);
        validate_user_set(&mut diags, "user_ids", &set);
        assert_eq!(diags.errors.len(), 2, "{:?}", diags.errors);
    }

    fn config(upn: &str, ev: bool, features: &[&str]) -> UserRecord {
        UserRecord::from_one(&TeamsUserConfiguration {
            id: format!("id-{upn}"),
            user_principal_name: upn.into(),
            is_enterprise_voice_enabled: ev,
            feature_types: features.iter().map(|f| f.to_string()).collect(),
            ..Default::default()
        })
    }

    #[test]
    fn shared_calling_grants_warn_per_gap_and_others_do_not() {
        let users = [
            config("ann@x", false, &["Teams", "PhoneSystem"]),
            config("bob@x", true, &["Teams"]),
        ];
        let mut diags = Diagnostics::default();
        warn_unready_grantees(
            &mut diags,
            "user_ids",
            ("TeamsSharedCallingRoutingPolicy", "Seattle"),
            &users,
        );
        assert!(diags.errors.is_empty());
        let text: Vec<String> = diags
            .warnings
            .iter()
            .map(|w| format!("{} | {}", w.summary, w.detail))
            .collect();
        // Not EV (ann), no Teams Phone (bob), no emergency policy (both).
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(
            text[0].starts_with("1 user(s): not Enterprise Voice") && text[0].contains("ann@x")
        );
        assert!(text[1].contains("Teams Phone") && text[1].contains("bob@x"));
        assert!(text[2].starts_with("2 user(s)") && text[2].contains("ann@x, bob@x"));
        let mut diags = Diagnostics::default();
        warn_unready_grantees(
            &mut diags,
            "user_ids",
            ("OnlineVoiceRoutingPolicy", "X"),
            &users,
        );
        assert!(diags.warnings.is_empty());
    }

    #[test]
    fn users_without_teams_phone_are_refused_by_name() {
        let users = [
            config("ann@x", false, &["Teams", "PhoneSystem"]),
            config("bob@x", false, &[]),
        ];
        let mut diags = Diagnostics::default();
        assert!(require_teams_phone(&mut diags, ("creating", "users"), &users).is_none());
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].detail.contains("bob@x"));
        assert!(!diags.errors[0].detail.contains("ann@x"));
        let mut diags = Diagnostics::default();
        assert!(require_teams_phone(&mut diags, ("creating", "users"), &users[..1]).is_some());
    }

    #[test]
    fn outcomes_name_failed_users() {
        let err = ApiError::Communication {
            service: crate::client::Service::Graph,
            url: "u".into(),
            detail: "reset".into(),
        };
        let (ok, failed, errors) = split_outcomes(
            vec![
                BatchOutcome {
                    user_ids: vec!["a".into()],
                    result: Ok(()),
                },
                BatchOutcome {
                    user_ids: vec!["b".into(), "c".into()],
                    result: Err(err),
                },
            ],
            |u| format!("{u}@x"),
        );
        assert_eq!(ok, vec!["a"]);
        assert_eq!(failed, vec!["b", "c"]);
        assert!(
            errors[0].contains("b@x, c@x") && errors[0].contains("reset"),
            "{errors:?}"
        );
    }
}
