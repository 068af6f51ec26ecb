//! Data source `teamsphone_shared_calling_policy`: reads one policy by name, for configurations that
//! reference a policy managed elsewhere (another state, the admin center, PowerShell).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueSet, ValueString};

use crate::client::api::shared_calling_policy::SharedCallingPolicy;
use crate::client::{ApiError, Client};
use crate::framework::attributes::{computed, computed_string, string_set};
use crate::framework::policy_lookup::{policy_schema, PolicyLookupDataSource, PolicyLookupKind};
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

fn schema() -> Schema {
    policy_schema(
        "Reads a Teams shared calling routing policy by name.",
        [
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

#[derive(Default)]
pub struct SharedCallingPolicyLookup;

pub type SharedCallingPolicyDataSource = PolicyLookupDataSource<SharedCallingPolicyLookup>;

#[async_trait]
impl PolicyLookupKind for SharedCallingPolicyLookup {
    type Model<'a> = PolicyData<'a>;
    type Api = SharedCallingPolicy;

    const WHAT: &'static str = "shared calling policy";

    fn schema() -> Schema {
        schema()
    }

    fn name<'m, 'a>(model: &'m PolicyData<'a>) -> &'m ValueString<'a>
    where
        'a: 'a,
    {
        &model.name
    }

    fn state<'a>(name: ValueString<'a>, policy: SharedCallingPolicy) -> PolicyData<'a> {
        PolicyData {
            id: owned(policy.identity),
            name,
            description: optional(policy.description.as_deref()),
            resource_account_id: optional(policy.resource_account.as_deref()),
            emergency_numbers: Value::Value(policy.emergency_numbers.iter().map(owned).collect()),
        }
    }

    async fn get(client: &Client, identity: &str) -> Result<Option<SharedCallingPolicy>, ApiError> {
        client
            .get_cs_teams_shared_calling_routing_policy(identity)
            .await
    }
}
