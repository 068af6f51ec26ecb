//! Data source `teamsphone_emergency_call_routing_policy`: reads one emergency call routing policy by
//! name, so a grant can name a policy that is managed elsewhere (another state, the admin center,
//! PowerShell) and fail at plan time when it does not exist.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueBool, ValueList, ValueString};

use crate::client::api::emergency_call_routing_policy::{
    EmergencyCallRoutingPolicy, EmergencyNumber,
};
use crate::client::{ApiError, Client};
use crate::domain::emergency_dialing::split_masks;
use crate::framework::attributes::{computed, object_of, string_list};
use crate::framework::policy_lookup::{policy_schema, PolicyLookupDataSource, PolicyLookupKind};
use crate::framework::values::{list_of, non_empty, owned};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmergencyPolicyData<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub description: ValueString<'a>,
    pub enhanced_emergency_services: ValueBool,
    pub emergency_numbers: ValueList<Value<NumberData<'a>>>,
}

/// One emergency number; masks are always a list (empty when none), the usage null when none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberData<'a> {
    pub dial_string: ValueString<'a>,
    pub dial_masks: ValueList<ValueString<'a>>,
    pub pstn_usage: ValueString<'a>,
}

fn entry_type() -> AttributeType {
    object_of(
        &["dial_string", "pstn_usage"],
        [("dial_masks", string_list())],
    )
}

fn schema() -> Schema {
    policy_schema(
        "Reads a Teams emergency call routing policy by name (`Get-CsTeamsEmergencyCallRoutingPolicy`).",
        [
            (
                "enhanced_emergency_services",
                computed(
                    AttributeType::Bool,
                    "Whether enhanced emergency services are on.",
                ),
            ),
            (
                "emergency_numbers",
                computed(
                    AttributeType::List(Box::new(entry_type())),
                    "The emergency numbers in order: `dial_string`, `dial_masks` (a list, empty when none) and `pstn_usage` (null when none).",
                ),
            ),
        ],
    )
}

fn number(n: &EmergencyNumber) -> Value<NumberData<'static>> {
    Value::Value(NumberData {
        dial_string: owned(n.emergency_dial_string.clone()),
        dial_masks: list_of(split_masks(n.emergency_dial_mask.as_deref())),
        pstn_usage: non_empty(n.online_pstn_usage.as_deref()),
    })
}

#[derive(Default)]
pub struct EmergencyCallRoutingPolicyLookup;

pub type EmergencyCallRoutingPolicyDataSource =
    PolicyLookupDataSource<EmergencyCallRoutingPolicyLookup>;

#[async_trait]
impl PolicyLookupKind for EmergencyCallRoutingPolicyLookup {
    type Model<'a> = EmergencyPolicyData<'a>;
    type Api = EmergencyCallRoutingPolicy;

    const WHAT: &'static str = "emergency call routing policy";

    fn schema() -> Schema {
        schema()
    }

    fn name<'m, 'a>(model: &'m EmergencyPolicyData<'a>) -> &'m ValueString<'a>
    where
        'a: 'a,
    {
        &model.name
    }

    fn state<'a>(
        name: ValueString<'a>,
        policy: EmergencyCallRoutingPolicy,
    ) -> EmergencyPolicyData<'a> {
        EmergencyPolicyData {
            id: owned(policy.identity),
            name,
            description: non_empty(policy.description.as_deref()),
            enhanced_emergency_services: Value::Value(
                policy.allow_enhanced_emergency_services.unwrap_or(false),
            ),
            emergency_numbers: Value::Value(policy.emergency_numbers.iter().map(number).collect()),
        }
    }

    async fn get(
        client: &Client,
        identity: &str,
    ) -> Result<Option<EmergencyCallRoutingPolicy>, ApiError> {
        client
            .get_cs_teams_emergency_call_routing_policy(identity)
            .await
    }
}
