//! Data source `teamsphone_emergency_call_routing_policy`: reads one emergency call routing policy by
//! name, so a grant can name a policy that is managed elsewhere (another state, the admin center,
//! PowerShell) and fail at plan time when it does not exist.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueBool, ValueList, ValueString};
use tf_provider::Diagnostics;

use crate::client::api::emergency_call_routing_policy::EmergencyNumber;
use crate::client::Client;
use crate::domain::emergency_dialing::split_masks;
use crate::domain::policies::{bare_name, identity_of, validate_instance_name};
use crate::framework::attributes::{
    computed, computed_string, object_of, required_string, schema_of, string_list,
};
use crate::framework::data_source::ManagedDataSource;
use crate::framework::diagnostics::Reported;
use crate::framework::validators::check_known;
use crate::framework::values::{list_of, non_empty, owned};

const WHAT: &str = "emergency call routing policy";

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

#[derive(Default)]
pub struct EmergencyCallRoutingPolicyDataSource;

fn entry_type() -> AttributeType {
    object_of(
        &["dial_string", "pstn_usage"],
        [("dial_masks", string_list())],
    )
}

fn schema() -> Schema {
    schema_of(
        "Reads a Teams emergency call routing policy by name (`Get-CsTeamsEmergencyCallRoutingPolicy`).",
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

#[async_trait]
impl ManagedDataSource for EmergencyCallRoutingPolicyDataSource {
    type Model<'a> = EmergencyPolicyData<'a>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &EmergencyPolicyData<'_>) {
        check_known(diags, "name", &config.name, |n| {
            validate_instance_name(bare_name(n))
        });
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: EmergencyPolicyData<'a>,
    ) -> Option<EmergencyPolicyData<'a>> {
        let name = bare_name(config.name.as_deref_option().unwrap_or_default()).to_string();
        match client
            .get_cs_teams_emergency_call_routing_policy(&identity_of(&name))
            .await
            .or_report(diags, "reading", WHAT, &name)?
        {
            Some(policy) => Some(EmergencyPolicyData {
                id: owned(policy.identity),
                name: config.name,
                description: non_empty(policy.description.as_deref()),
                enhanced_emergency_services: Value::Value(
                    policy.allow_enhanced_emergency_services.unwrap_or(false),
                ),
                emergency_numbers: Value::Value(
                    policy.emergency_numbers.iter().map(number).collect(),
                ),
            }),
            None => {
                diags.root_error(
                    format!("Emergency call routing policy ({name}) not found"),
                    format!(
                        "No emergency call routing policy named {name:?} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                None
            }
        }
    }
}
