//! Data source `teamsphone_shared_calling_policy`: reads one policy by name, for configurations that
//! reference a policy managed elsewhere (another state, the admin center, PowerShell).

use std::borrow::Cow;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, Schema,
};
use tf_provider::value::{Value, ValueEmpty, ValueSet, ValueString};
use tf_provider::{DataSource, Diagnostics};

use crate::attributes::{attributes, computed_string, required_string};
use crate::domain::policies::{bare_name, identity_of, validate_instance_name};
use crate::provider::ProviderData;
use crate::resources::api_error;
use crate::validators::check_known;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyData<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub description: ValueString<'a>,
    pub resource_account_id: ValueString<'a>,
    pub emergency_numbers: ValueSet<ValueString<'a>>,
}

pub struct SharedCallingPolicyDataSource {
    data: ProviderData,
}

impl SharedCallingPolicyDataSource {
    pub fn new(data: ProviderData) -> Self {
        SharedCallingPolicyDataSource { data }
    }
}

fn schema() -> Schema {
    Schema {
        version: 1,
        block: Block {
            version: 1,
            description: Description::markdown(
                "Reads a Teams shared calling routing policy by name.",
            ),
            attributes: attributes([
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
                    Attribute {
                        attr_type: AttributeType::Set(Box::new(AttributeType::String)),
                        description: Description::markdown(
                            "Emergency callback numbers, in E.164 form.",
                        ),
                        constraint: AttributeConstraint::Computed,
                        sensitive: false,
                        deprecated: false,
                    },
                ),
            ]),
            ..Default::default()
        },
    }
}

fn text(value: &str) -> ValueString<'static> {
    Value::Value(Cow::Owned(value.to_string()))
}

#[async_trait]
impl DataSource for SharedCallingPolicyDataSource {
    type State<'a> = PolicyData<'a>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        check_known(diags, "name", &config.name, |n| {
            validate_instance_name(bare_name(n))
        });
        diags.errors.is_empty().then_some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        let name = bare_name(config.name.as_deref_option().unwrap_or_default()).to_string();
        let client = self.data.client(diags)?;
        match client
            .get_cs_teams_shared_calling_routing_policy(&identity_of(&name))
            .await
        {
            Ok(Some(policy)) => Some(PolicyData {
                id: text(&policy.identity),
                name: config.name,
                description: policy.description.as_deref().map_or(Value::Null, text),
                resource_account_id: policy.resource_account.as_deref().map_or(Value::Null, text),
                emergency_numbers: Value::Value(
                    policy.emergency_numbers.iter().map(|n| text(n)).collect(),
                ),
            }),
            Ok(None) => {
                diags.root_error(
                    format!("Shared calling policy ({name}) not found"),
                    format!(
                        "No shared calling policy named {name:?} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                None
            }
            Err(e) => {
                api_error(diags, "reading", "shared calling policy", &name, &e);
                None
            }
        }
    }
}
