//! Data source `teamsphone_user`: one user's Teams voice configuration, by object id or user principal
//! name: account type, Enterprise Voice, numbers, and every effective policy with how it is assigned
//! (`direct`, `group`, or the tenant default). It answers "why does this user call out as that number?"
//! without PowerShell. A principal name is resolved with one Graph user read, then one
//! `userConfigurations` read gives the rest.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueBool, ValueList, ValueString};
use tf_provider::Diagnostics;

use crate::client::api::policy_assignment::TeamsUserConfiguration;
use crate::client::Client;
use crate::domain::directory::validate_user_ref;
use crate::framework::attributes::{
    computed, computed_string, object_of, required_string, schema_of, string_list,
};
use crate::framework::data_source::ManagedDataSource;
use crate::framework::diagnostics::Reported;
use crate::framework::validators::{check_known, is_guid};
use crate::framework::values::{optional, owned as text};

const WHAT: &str = "user";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserData<'a> {
    pub user_id: ValueString<'a>,
    pub id: ValueString<'a>,
    pub user_principal_name: ValueString<'a>,
    pub account_type: ValueString<'a>,
    pub enterprise_voice_enabled: ValueBool,
    pub telephone_numbers: ValueList<ValueString<'a>>,
    pub effective_policies: ValueList<Value<EffectivePolicy<'a>>>,
}

/// One effective policy; every field is always present (null when Teams gives no value).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EffectivePolicy<'a> {
    pub policy_type: ValueString<'a>,
    pub policy_name: ValueString<'a>,
    pub assignment_type: ValueString<'a>,
    pub group_id: ValueString<'a>,
}

#[derive(Default)]
pub struct UserDataSource;

fn policy_type() -> AttributeType {
    object_of(
        &["policy_type", "policy_name", "assignment_type", "group_id"],
        [],
    )
}

fn schema() -> Schema {
    schema_of(
"Reads a user's Teams voice configuration (Graph `userConfigurations`): Enterprise Voice, phone numbers, and each effective policy with how it is assigned.",
[
                ("user_id", required_string("The user's object id (GUID) or user principal name.")),
                ("id", computed_string("Object id of the user.")),
                ("user_principal_name", computed_string("The user's principal name.")),
                ("account_type", computed_string("`user`, `resourceAccount`, `guest`, `sfbOnPremUser` or `unknown` (new values pass through).")),
                ("enterprise_voice_enabled", computed(AttributeType::Bool, "Whether the user is Enterprise Voice enabled.")),
                ("telephone_numbers", computed(string_list(), "Numbers assigned to the user.")),
                ("effective_policies", computed(AttributeType::List(Box::new(policy_type())), "Effective policies: `policy_type`, `policy_name` (without `Tag:`), `assignment_type` (`direct` or `group`; Teams' value otherwise) and `group_id` for group assignments.")),
            ],
)
}

/// The data source's view of a configuration (pure, for tests).
pub fn user_data(user_id: ValueString<'static>, c: &TeamsUserConfiguration) -> UserData<'static> {
    let policies = c
        .effective_policy_assignments
        .iter()
        .map(|e| {
            let a = e.policy_assignment.as_ref();
            let name = a
                .and_then(|a| a.display_name.as_deref())
                .map(|n| n.strip_prefix(teamsphone_contract::TAG_PREFIX).unwrap_or(n));
            Value::Value(EffectivePolicy {
                policy_type: text(&e.policy_type),
                policy_name: optional(name),
                assignment_type: optional(a.and_then(|a| a.assignment_type.as_deref())),
                group_id: optional(a.and_then(|a| a.group_id.as_deref())),
            })
        })
        .collect();
    UserData {
        user_id,
        id: text(&c.id),
        user_principal_name: text(&c.user_principal_name),
        account_type: optional(c.account_type.as_deref()),
        enterprise_voice_enabled: Value::Value(c.is_enterprise_voice_enabled),
        telephone_numbers: Value::Value(
            c.telephone_numbers
                .iter()
                .map(|n| text(&n.telephone_number))
                .collect(),
        ),
        effective_policies: Value::Value(policies),
    }
}

#[async_trait]
impl ManagedDataSource for UserDataSource {
    type Model<'a> = UserData<'a>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &UserData<'_>) {
        check_known(diags, "user_id", &config.user_id, validate_user_ref);
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: UserData<'a>,
    ) -> Option<UserData<'a>> {
        let reference = config
            .user_id
            .as_deref_option()
            .unwrap_or_default()
            .to_string();
        let not_found = |diags: &mut Diagnostics| {
            diags.root_error(
                format!("User ({reference}) not found"),
                format!(
                    "No user {reference:?} exists in tenant {}.",
                    client.tenant_id()
                ),
            );
        };
        let object_id = if is_guid(&reference) {
            reference.clone()
        } else {
            match client
                .get_mg_user(&reference)
                .await
                .or_report(diags, "reading", WHAT, &reference)?
            {
                Some(user) => user.id,
                None => {
                    not_found(diags);
                    return None;
                }
            }
        };
        match client
            .get_mg_teams_user_configuration(&object_id)
            .await
            .or_report(diags, "reading", WHAT, &reference)?
        {
            Some(configuration) => Some(user_data(text(reference.clone()), &configuration)),
            None => {
                not_found(diags);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_maps_policies_and_strips_tag() {
        let c: TeamsUserConfiguration = serde_json::from_value(serde_json::json!({
            "id": "u1", "userPrincipalName": "ann@contoso.com", "accountType": "user",
            "isEnterpriseVoiceEnabled": true,
            "telephoneNumbers": [{"telephoneNumber": "+12065550100"}],
            "effectivePolicyAssignments": [
                {"policyType": "TeamsSharedCallingRoutingPolicy",
                 "policyAssignment": {"displayName": "Tag:Seattle", "assignmentType": "group", "groupId": "g1"}},
                {"policyType": "TeamsEmergencyCallRoutingPolicy", "policyAssignment": null}
            ]
        }))
        .unwrap();
        let d = user_data(text("ann@contoso.com"), &c);
        assert_eq!(d.id, text("u1"));
        assert_eq!(d.enterprise_voice_enabled, Value::Value(true));
        let Value::Value(policies) = &d.effective_policies else {
            panic!()
        };
        let Value::Value(first) = &policies[0] else {
            panic!()
        };
        assert_eq!(first.policy_name, text("Seattle"));
        assert_eq!(first.assignment_type, text("group"));
        assert_eq!(first.group_id, text("g1"));
        let Value::Value(second) = &policies[1] else {
            panic!()
        };
        assert_eq!(second.policy_name, Value::Null);
    }
}
