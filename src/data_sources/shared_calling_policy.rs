//! Data source `teamsphone_shared_calling_policy`: reads one policy by name, for configurations that
//! reference a policy managed elsewhere (another state, the admin center, PowerShell).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueSet, ValueString};
use tf_provider::Diagnostics;

use crate::client::Client;
use crate::domain::policies::{bare_name, identity_of, validate_instance_name};
use crate::framework::attributes::{
    computed, computed_string, required_string, schema_of, string_set,
};
use crate::framework::data_source::ManagedDataSource;
use crate::framework::diagnostics::Reported;
use crate::framework::validators::check_known;
use crate::framework::values::{optional, owned};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyData<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub description: ValueString<'a>,
    pub resource_account_id: ValueString<'a>,
    pub emergency_numbers: ValueSet<ValueString<'a>>,
}

#[derive(Default)]
pub struct SharedCallingPolicyDataSource;

fn schema() -> Schema {
    schema_of(
        "Reads a Teams shared calling routing policy by name.",
        [
            (
                "name",
                required_string("Name of the policy, without the `Tag:` prefix."),
            ),
            (
                "id",
                computed_string("The policy's identity in Teams, `Tag:<name>`."),
            ),
            ("description", computed_string("The policy's description.")),
            (
                "resource_account_id",
                computed_string("Object id of the resource account users call out with."),
            ),
            (
                "emergency_numbers",
                computed(string_set(), "Emergency callback numbers, in E.164 form."),
            ),
        ],
    )
}

#[async_trait]
impl ManagedDataSource for SharedCallingPolicyDataSource {
    type Model<'a> = PolicyData<'a>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &PolicyData<'_>) {
        check_known(diags, "name", &config.name, |n| {
            validate_instance_name(bare_name(n))
        });
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: PolicyData<'a>,
    ) -> Option<PolicyData<'a>> {
        let name = bare_name(config.name.as_deref_option().unwrap_or_default()).to_string();
        match client
            .get_cs_teams_shared_calling_routing_policy(&identity_of(&name))
            .await
            .or_report(diags, "reading", "shared calling policy", &name)?
        {
            Some(policy) => Some(PolicyData {
                id: owned(policy.identity),
                name: config.name,
                description: optional(policy.description.as_deref()),
                resource_account_id: optional(policy.resource_account.as_deref()),
                emergency_numbers: Value::Value(
                    policy.emergency_numbers.iter().map(owned).collect(),
                ),
            }),
            None => {
                diags.root_error(
                    format!("Shared calling policy ({name}) not found"),
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
