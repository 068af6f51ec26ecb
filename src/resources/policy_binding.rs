//! What the policy-binding resources share: the rules for policy types, policy names and user
//! references, the policy-id lookup, resolving many users from one directory read, and the bounded
//! wait for a write to show in reads.
//!
//! Users may be named by object id or by user principal name. Both compare case-insensitively, as
//! Entra does, and whatever spelling the user wrote stays in state. A set of users is resolved against
//! one paged `userConfigurations` pass (id and name of every user), never one call per user.
//!
//! Grants take 30-45 s to show in reads on a real tenant. After a write we poll reads, with growing
//! pauses, until they agree or [`PROPAGATION_BOUND`] passes; these waits are fixed constants for now
//! (per-resource timeouts come later).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Description};
use tf_provider::value::{Value, ValueList, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::policy_assignment::{BatchOutcome, TeamsUserConfiguration};
use crate::client::{ApiError, Client};
use crate::framework::validators::is_guid;
use crate::ids::{GLOBAL_POLICY, SHARED_CALLING_POLICY_TYPE, TAG_PREFIX};

/// The policy type used when `policy_type` is not set.
pub const DEFAULT_POLICY_TYPE: &str = SHARED_CALLING_POLICY_TYPE;
/// Longest wait for a write to show in reads.
pub const PROPAGATION_BOUND: Duration = Duration::from_secs(90);
const FIRST_PAUSE: Duration = Duration::from_millis(200);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);
/// How many names an error lists before it says "and N more".
const NAMES_SHOWN: usize = 20;

pub fn attribute(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    description: &str,
) -> Attribute {
    Attribute {
        attr_type,
        description: Description::markdown(description),
        constraint,
        sensitive: false,
        deprecated: false,
    }
}

pub fn policy_type_attribute() -> Attribute {
    attribute(
        AttributeType::String,
        AttributeConstraint::OptionalComputed,
        "Teams policy type, such as `TeamsSharedCallingRoutingPolicy` (the default), `TeamsEmergencyCallRoutingPolicy`, `OnlineVoiceRoutingPolicy` or `CallingLineIdentity`. Changing it replaces the resource.",
    )
}

/// A list of users, used as a set: order and spelling are the user's, duplicates are refused.
///
/// Not a Terraform set: Terraform checks planned against applied set values by pairing every element
/// with every other (quadratic), which takes minutes at 10,000 users; lists are compared in one pass.
pub type UserRefs<'a> = ValueList<ValueString<'a>>;

pub fn user_set_attribute(description: &str) -> Attribute {
    attribute(
        AttributeType::List(Box::new(AttributeType::String)),
        AttributeConstraint::Required,
        description,
    )
}

/// A policy type is a PowerShell noun: letters and digits.
pub fn validate_policy_type(value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > 64 || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!(
            "{value:?} is not a policy type; use a Teams policy type name such as {SHARED_CALLING_POLICY_TYPE} or TeamsEmergencyCallRoutingPolicy"
        ));
    }
    Ok(())
}

/// A grantable policy name: bare (no `Tag:`), not `Global` (remove the assignment to fall back to it).
pub fn validate_policy_name(value: &str) -> Result<(), String> {
    crate::framework::validators::text(64)(value)?;
    if value
        .get(..TAG_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(TAG_PREFIX))
    {
        return Err(format!(
            "{value:?} starts with {TAG_PREFIX:?}; write the bare name ({:?})",
            &value[TAG_PREFIX.len()..]
        ));
    }
    if value.eq_ignore_ascii_case(GLOBAL_POLICY) {
        return Err("\"Global\" is what users get without an assignment; remove the assignment instead of granting Global".into());
    }
    Ok(())
}

/// A user reference: an object id or a user principal name.
pub fn validate_user_ref(value: &str) -> Result<(), String> {
    let at = value.find('@');
    let upn_ok = at.is_some_and(|i| i > 0 && i + 1 < value.len())
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if is_guid(value) || upn_ok {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is neither an object id (GUID) nor a user principal name (name@domain)"
        ))
    }
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
        diags.error(
            format!("Invalid {path}"),
            p,
            AttributePath::new(path.to_string()),
        );
    }
    if count > NAMES_SHOWN {
        diags.error(
            format!("Invalid {path}"),
            format!("{} more entries are invalid", count - NAMES_SHOWN),
            AttributePath::new(path.to_string()),
        );
    }
}

pub fn policy_type_or_default<'a>(value: &ValueString<'a>) -> ValueString<'a> {
    match value {
        Value::Null => Value::Value(Cow::Borrowed(DEFAULT_POLICY_TYPE)),
        other => other.clone(),
    }
}

pub fn known_str<'a>(value: &'a ValueString<'_>) -> &'a str {
    value.as_deref_option().unwrap_or_default()
}

pub fn owned(value: impl Into<String>) -> ValueString<'static> {
    Value::Value(Cow::Owned(value.into()))
}

/// The known members of a set, as written.
pub fn members<'a>(set: &'a UserRefs<'_>) -> Vec<&'a str> {
    set.as_ref_option()
        .map(|s| s.iter().filter_map(|v| v.as_deref_option()).collect())
        .unwrap_or_default()
}

/// The users to record, in the order given.
pub fn set_of(values: impl IntoIterator<Item = String>) -> UserRefs<'static> {
    Value::Value(values.into_iter().map(owned).collect())
}

/// "a, b, c and 7 more".
pub fn name_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_SHOWN).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if names.len() > NAMES_SHOWN {
        text.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
    }
    text
}

/// Policy ids by (type, name), looked up once per provider process: many resources grant one policy.
#[derive(Clone, Default)]
pub struct PolicyIds(Arc<Mutex<HashMap<(String, String), String>>>);

/// Why a policy could not be granted.
pub enum PolicyLookup {
    Missing,
    Failed(ApiError),
}

impl PolicyIds {
    pub async fn get(
        &self,
        client: &Client,
        policy_type: &str,
        name: &str,
    ) -> Result<String, PolicyLookup> {
        let key = (policy_type.to_lowercase(), name.to_lowercase());
        if let Some(id) = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(id.clone());
        }
        match client.get_mg_teams_policy_id(policy_type, name).await {
            Ok(Some(found)) => {
                self.0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, found.policy_id.clone());
                Ok(found.policy_id)
            }
            Ok(None) => Err(PolicyLookup::Missing),
            Err(e) => Err(PolicyLookup::Failed(e)),
        }
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
        PolicyLookup::Failed(e) => crate::framework::diagnostics::api_error(diags, action, what, policy_name, &e),
    }
}

/// Every Teams user, by lower-case object id and user principal name, from one paged read.
pub struct Directory {
    users: Vec<TeamsUserConfiguration>,
    by_ref: HashMap<String, usize>,
}

impl Directory {
    pub fn new(users: Vec<TeamsUserConfiguration>) -> Self {
        let mut by_ref = HashMap::with_capacity(users.len() * 2);
        for (i, u) in users.iter().enumerate() {
            by_ref.insert(u.id.to_lowercase(), i);
            if !u.user_principal_name.is_empty() {
                by_ref.insert(u.user_principal_name.to_lowercase(), i);
            }
        }
        Directory { users, by_ref }
    }

    pub async fn read(client: &Client, policy_type: Option<&str>) -> Result<Self, ApiError> {
        Ok(Directory::new(
            client
                .list_mg_teams_user_configurations(policy_type)
                .await?,
        ))
    }

    pub fn get(&self, reference: &str) -> Option<&TeamsUserConfiguration> {
        self.by_ref
            .get(&reference.to_lowercase())
            .map(|&i| &self.users[i])
    }

    pub fn users(&self) -> &[TeamsUserConfiguration] {
        &self.users
    }

    /// Object ids (lower-case) for `refs`, or the references that match no user.
    pub fn resolve<'r>(&self, refs: &[&'r str]) -> Result<Vec<(&'r str, String)>, Vec<String>> {
        let mut found = Vec::with_capacity(refs.len());
        let mut missing = Vec::new();
        for r in refs {
            match self.get(r) {
                Some(u) => found.push((*r, u.id.to_lowercase())),
                None => missing.push(r.to_string()),
            }
        }
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(missing)
        }
    }

    /// How a user is named in messages: the principal name when known.
    pub fn display(&self, id: &str) -> String {
        self.get(id)
            .filter(|u| !u.user_principal_name.is_empty())
            .map(|u| u.user_principal_name.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

/// Reports references that match no user in the tenant.
pub fn unknown_users_error(
    diags: &mut Diagnostics,
    action: &str,
    what: &str,
    name: &str,
    missing: &[String],
) {
    diags.error(
        format!("{} user(s) do not exist", missing.len()),
        format!(
            "{action} {what} ({name}): no user with these object ids or user principal names exists in the tenant: {}. Nothing was changed.",
            name_list(missing)
        ),
        AttributePath::new("user_ids"),
    );
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

/// Pauses between reads that wait for a write to show, growing up to a bound.
pub struct Propagation {
    deadline: Instant,
    pause: Duration,
}

impl Propagation {
    pub fn start() -> Self {
        Propagation {
            deadline: Instant::now() + PROPAGATION_BOUND,
            pause: FIRST_PAUSE,
        }
    }

    /// Waits before the next read; `false` once the bound is reached.
    pub async fn pause(&mut self) -> bool {
        let now = Instant::now();
        if now >= self.deadline {
            return false;
        }
        tokio::time::sleep(self.pause.min(self.deadline - now)).await;
        self.pause = (self.pause * 2).min(LONGEST_PAUSE);
        true
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::api::policy_assignment::TeamsUserConfiguration;

    fn user(id: &str, upn: &str) -> TeamsUserConfiguration {
        TeamsUserConfiguration {
            id: id.into(),
            user_principal_name: upn.into(),
            ..Default::default()
        }
    }

    #[test]
    fn references_are_checked() {
        assert!(validate_user_ref("ann@contoso.com").is_ok());
        assert!(validate_user_ref("AAAAAAAA-0000-0000-0000-000000000001").is_ok());
        assert!(validate_user_ref("ann").is_err());
        assert!(validate_user_ref("@contoso.com").is_err());
        assert!(validate_user_ref("an n@contoso.com").is_err());
        let mut diags = Diagnostics::default();
        let set = set_of([
            "Ann@contoso.com".to_string(),
            "ann@CONTOSO.com".into(),
            "x".into(),
        ]);
        validate_user_set(&mut diags, "user_ids", &set);
        assert_eq!(diags.errors.len(), 2, "{:?}", diags.errors);
        assert!(validate_policy_name("Tag:Sea")
            .unwrap_err()
            .contains("bare name"));
        assert!(validate_policy_name("global")
            .unwrap_err()
            .contains("remove the assignment"));
        assert!(validate_policy_type("Teams Policy").is_err());
        assert!(validate_policy_type("OnlineVoiceRoutingPolicy").is_ok());
    }

    #[test]
    fn directory_resolves_ids_and_names_in_any_case() {
        let d = Directory::new(vec![
            user("AAAAAAAA-0000-0000-0000-000000000001", "Ann@contoso.com"),
            user("aaaaaaaa-0000-0000-0000-000000000002", "bob@contoso.com"),
        ]);
        let ok = d
            .resolve(&["ANN@contoso.com", "aaaaaaaa-0000-0000-0000-000000000002"])
            .unwrap();
        assert_eq!(ok[0].1, "aaaaaaaa-0000-0000-0000-000000000001");
        assert_eq!(
            d.resolve(&["zed@contoso.com", "ann@contoso.com"])
                .unwrap_err(),
            vec!["zed@contoso.com"]
        );
        assert_eq!(
            d.display("aaaaaaaa-0000-0000-0000-000000000002"),
            "bob@contoso.com"
        );
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
        let names: Vec<String> = (0..25).map(|i| i.to_string()).collect();
        assert!(name_list(&names).ends_with("and 5 more"));
    }
}
