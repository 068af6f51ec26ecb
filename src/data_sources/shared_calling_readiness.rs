//! Data source `teamsphone_shared_calling_readiness`: which of a list of users will call out as the
//! shared number of policy `policy_name`, and why the others will not, so a plan in a pull request
//! shows who is not ready before anything changes.
//!
//! One paged `userConfigurations` read answers for every user: the tenant snapshot
//! (`client::snapshot`) the binding resources share, so 10,000 users cost about ten requests and
//! nothing more when a set in the same run has read the tenant already. The rule itself is `domain::readiness`, which the
//! grant warnings of the binding resources use too: the two never disagree. A user that does not
//! exist is an error on `user_ids`, as it is for the resources, since a typo is not "not ready".

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueBool, ValueList, ValueString};
use tf_provider::Diagnostics;

use crate::client::snapshot::UserRecord;
use crate::client::Client;
use crate::domain::policies::validate_grant_name;
use crate::domain::readiness::{gaps, holds_policy};
use crate::framework::attributes::{computed, object_of, required_string, schema_of, string_list};
use crate::framework::bindings::{resolve_users, user_set_attribute, validate_user_set, UserRefs};
use crate::framework::data_source::ManagedDataSource;
use crate::framework::diagnostics::Reported;
use crate::framework::validators::check_known;
use crate::framework::values::{known_str, known_strings, owned as text};

const WHAT: &str = "shared calling readiness";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadinessData<'a> {
    pub policy_name: ValueString<'a>,
    pub user_ids: UserRefs<'a>,
    pub users: ValueList<Value<UserReadiness<'a>>>,
    pub ready: ValueList<ValueString<'a>>,
    pub not_ready: ValueList<Value<NotReady<'a>>>,
}

/// One user's flags, in the order of `user_ids`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserReadiness<'a> {
    pub user_id: ValueString<'a>,
    pub id: ValueString<'a>,
    pub enterprise_voice: ValueBool,
    pub teams_phone: ValueBool,
    pub own_number: ValueBool,
    pub emergency_routing_policy: ValueBool,
    pub shared_calling_policy: ValueBool,
    pub ready: ValueBool,
    pub reasons: ValueList<ValueString<'a>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotReady<'a> {
    pub user_id: ValueString<'a>,
    pub reasons: ValueList<ValueString<'a>>,
}

#[derive(Default)]
pub struct SharedCallingReadinessDataSource;

fn flags() -> [(&'static str, AttributeType); 7] {
    [
        ("enterprise_voice", AttributeType::Bool),
        ("teams_phone", AttributeType::Bool),
        ("own_number", AttributeType::Bool),
        ("emergency_routing_policy", AttributeType::Bool),
        ("shared_calling_policy", AttributeType::Bool),
        ("ready", AttributeType::Bool),
        ("reasons", string_list()),
    ]
}

fn schema() -> Schema {
    schema_of(
"Says which users will call out as the shared number of a shared calling policy, and why the others will not: Enterprise Voice, a Teams Phone license (`featureTypes` has `PhoneSystem`), no number of their own, an emergency call routing policy in effect (the built-in `Global` one does not count), and the policy itself in effect (directly or through a group). One paged read of every user's Teams configuration answers for the whole list.",
[
        ("policy_name", required_string("Name of the shared calling policy (`TeamsSharedCallingRoutingPolicy`) the users should have in effect, without `Tag:`. It need not exist yet.")),
        ("user_ids", user_set_attribute("Users to check: object ids or user principal names (case-insensitive). Each must exist.")),
        ("users", computed(AttributeType::List(Box::new(object_of(&["user_id", "id"], flags()))), "Per user, in the order of `user_ids`: `user_id` (as written), `id` (object id), the flags `enterprise_voice`, `teams_phone`, `own_number` (true is a problem: a user's own number wins over the shared one), `emergency_routing_policy`, `shared_calling_policy` (the named policy is in effect), and `ready` with the `reasons` when not.")),
        ("ready", computed(string_list(), "The `user_ids` entries that are ready, as written.")),
        ("not_ready", computed(AttributeType::List(Box::new(object_of(&["user_id"], [("reasons", string_list())]))), "The `user_ids` entries that are not ready, as written, each with its `reasons`.")),
    ],
)
}

/// The data source's answer for `refs` (each found in `lookup`) against `policy` (pure, for tests).
pub fn readiness<'c>(
    policy: &str,
    users: impl IntoIterator<Item = (&'c str, UserRecord)>,
) -> (
    Vec<UserReadiness<'static>>,
    Vec<String>,
    Vec<NotReady<'static>>,
) {
    let (mut all, mut ready, mut not_ready) = (Vec::new(), Vec::new(), Vec::new());
    for (reference, c) in users {
        let facts = c.voice_facts();
        let reasons: Vec<String> = gaps(&facts, Some(policy))
            .into_iter()
            .map(|g| g.reason().to_string())
            .collect();
        let reason_list = || Value::Value(reasons.iter().map(text).collect());
        if reasons.is_empty() {
            ready.push(reference.to_string());
        } else {
            not_ready.push(NotReady {
                user_id: text(reference),
                reasons: reason_list(),
            });
        }
        all.push(UserReadiness {
            user_id: text(reference),
            id: text(c.id()),
            enterprise_voice: Value::Value(facts.enterprise_voice),
            teams_phone: Value::Value(facts.teams_phone),
            own_number: Value::Value(facts.own_number),
            emergency_routing_policy: Value::Value(facts.emergency_policy.is_some()),
            shared_calling_policy: Value::Value(holds_policy(&facts, policy)),
            ready: Value::Value(reasons.is_empty()),
            reasons: reason_list(),
        });
    }
    (all, ready, not_ready)
}

#[async_trait]
impl ManagedDataSource for SharedCallingReadinessDataSource {
    type Model<'a> = ReadinessData<'a>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &ReadinessData<'_>) {
        check_known(
            diags,
            "policy_name",
            &config.policy_name,
            validate_grant_name,
        );
        validate_user_set(diags, "user_ids", &config.user_ids);
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        mut config: ReadinessData<'a>,
    ) -> Option<ReadinessData<'a>> {
        let policy = known_str(&config.policy_name).to_string();
        let dir = client
            .tenant_view()
            .await
            .or_report(diags, "reading", WHAT, &policy)?;
        let refs = known_strings(&config.user_ids);
        resolve_users(diags, &dir, &refs, ("reading", WHAT, &policy))?;
        let found = refs.iter().filter_map(|r| dir.user(r).map(|c| (*r, c)));
        let (all, ready, not_ready) = readiness(&policy, found);
        config.users = Value::Value(all.into_iter().map(Value::Value).collect());
        config.ready = Value::Value(ready.into_iter().map(text).collect());
        config.not_ready = Value::Value(not_ready.into_iter().map(Value::Value).collect());
        Some(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(json: serde_json::Value) -> UserRecord {
        let c: crate::client::api::policy_assignment::TeamsUserConfiguration =
            serde_json::from_value(json).unwrap();
        UserRecord::from_one(&c)
    }

    #[test]
    fn users_split_into_ready_and_not_ready_with_reasons() {
        let ready = user(serde_json::json!({
            "id": "u1", "userPrincipalName": "ann@contoso.com", "isEnterpriseVoiceEnabled": true,
            "featureTypes": ["Teams", "PhoneSystem"], "telephoneNumbers": [],
            "effectivePolicyAssignments": [
                {"policyType": "TeamsSharedCallingRoutingPolicy",
                 "policyAssignment": {"displayName": "Tag:Seattle", "assignmentType": "group"}},
                {"policyType": "TeamsEmergencyCallRoutingPolicy",
                 "policyAssignment": {"displayName": "Tag:Seattle-E911", "assignmentType": "direct"}}
            ]
        }));
        let not = user(serde_json::json!({
            "id": "u2", "userPrincipalName": "bob@contoso.com", "isEnterpriseVoiceEnabled": true,
            "featureTypes": ["Teams"], "telephoneNumbers": [{"telephoneNumber": "+12065550100"}],
            "effectivePolicyAssignments": [
                {"policyType": "TeamsSharedCallingRoutingPolicy",
                 "policyAssignment": {"displayName": "Global"}},
                {"policyType": "TeamsEmergencyCallRoutingPolicy",
                 "policyAssignment": {"displayName": "Global"}}
            ]
        }));
        let (all, ready_refs, not_ready) =
            readiness("seattle", [("Ann@contoso.com", ready), ("u2", not)]);
        assert_eq!(ready_refs, vec!["Ann@contoso.com"]);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].ready, Value::Value(true));
        assert_eq!(all[0].shared_calling_policy, Value::Value(true));
        assert_eq!(all[1].teams_phone, Value::Value(false));
        assert_eq!(all[1].own_number, Value::Value(true));
        assert_eq!(all[1].emergency_routing_policy, Value::Value(false));
        assert_eq!(all[1].shared_calling_policy, Value::Value(false));
        assert_eq!(not_ready.len(), 1);
        assert_eq!(not_ready[0].user_id, text("u2"));
        let Value::Value(reasons) = &not_ready[0].reasons else {
            panic!("reasons are known")
        };
        assert_eq!(reasons.len(), 4, "{reasons:?}");
    }
}
