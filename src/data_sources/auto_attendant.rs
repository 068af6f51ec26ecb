//! Data source `teamsphone_auto_attendant`: one auto attendant, by id or by name (read-only,
//! `Get-CsAutoAttendant`), so an association can point a resource account at a menu managed
//! elsewhere. By id it is one read; by name it is the list, and the name must be unique.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueBool, ValueList, ValueString};
use tf_provider::Diagnostics;

use crate::client::api::voice_apps::AutoAttendant;
use crate::client::Client;
use crate::domain::voice_apps::{find_one_by_name, MAX_NAME};
use crate::framework::attributes::{
    computed, computed_string, optional_computed_string, schema_of, string_list,
};
use crate::framework::data_source::ManagedDataSource;
use crate::framework::diagnostics::Reported;
use crate::framework::validators::{check_known, guid, text};
use crate::framework::values::{non_empty, owned};

const WHAT: &str = "auto attendant";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoAttendantData<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub language_id: ValueString<'a>,
    pub time_zone_id: ValueString<'a>,
    pub voice_response_enabled: ValueBool,
    pub resource_account_ids: ValueList<ValueString<'a>>,
}

#[derive(Default)]
pub struct AutoAttendantDataSource;

fn schema() -> Schema {
    schema_of(
"Reads a Teams auto attendant (`Get-CsAutoAttendant`) by id or by name, for example to associate a resource account with it. Set exactly one of `id` and `name`; a name must belong to exactly one auto attendant.",
[
            ("id", optional_computed_string("Id (GUID) of the auto attendant. Set this or `name`.")),
            ("name", optional_computed_string("Name of the auto attendant (letter case ignored). Set this or `id`.")),
            ("language_id", computed_string("Language of its prompts, e.g. `en-US`.")),
            ("time_zone_id", computed_string("Time zone its schedules use.")),
            ("voice_response_enabled", computed(AttributeType::Bool, "Whether callers can speak their choices.")),
            ("resource_account_ids", computed(string_list(), "Object ids of the resource accounts associated with it.")),
        ],
    )
}

/// The data source's state for what the API shows.
pub fn data_from_api<'a>(aa: &AutoAttendant) -> AutoAttendantData<'a> {
    AutoAttendantData {
        id: owned(aa.id.clone()),
        name: owned(aa.name.clone()),
        language_id: non_empty(aa.language_id.as_deref()),
        time_zone_id: non_empty(aa.time_zone_id.as_deref()),
        voice_response_enabled: aa.voice_response_enabled.map_or(Value::Null, Value::Value),
        resource_account_ids: Value::Value(
            aa.application_instances
                .iter()
                .map(|i| owned(i.clone()))
                .collect(),
        ),
    }
}

#[async_trait]
impl ManagedDataSource for AutoAttendantDataSource {
    type Model<'a> = AutoAttendantData<'a>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &AutoAttendantData<'_>) {
        check_known(diags, "id", &config.id, guid);
        check_known(diags, "name", &config.name, text(MAX_NAME));
        if config.id.is_null() == config.name.is_null() {
            diags.root_error(
                "Set exactly one of id and name",
                "An auto attendant is looked up either by its id or by its name.",
            );
        }
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: AutoAttendantData<'a>,
    ) -> Option<AutoAttendantData<'a>> {
        let found = if let Some(id) = config.id.as_deref_option() {
            client
                .get_cs_auto_attendant(id)
                .await
                .or_report(diags, "reading", WHAT, id)?
                .ok_or_else(|| {
                    format!(
                        "no auto attendant has id {id} in tenant {}",
                        client.tenant_id()
                    )
                })
        } else {
            let name = config.name.as_deref_option().unwrap_or_default();
            let all = client
                .list_cs_auto_attendants()
                .await
                .or_report(diags, "reading", WHAT, name)?;
            find_one_by_name(&all, name, WHAT, |a| &a.name, |a| &a.id).cloned()
        };
        let reference = config
            .id
            .as_deref_option()
            .or(config.name.as_deref_option())
            .unwrap_or_default();
        match found {
            Ok(aa) => {
                let mut state = data_from_api(&aa);
                // Keep the look-up key as written, so another spelling is not a diff.
                if config.id.is_value() {
                    state.id = config.id;
                } else {
                    state.name = config.name;
                }
                Some(state)
            }
            Err(why) => {
                diags.root_error(format!("Auto attendant ({reference}) not found"), why);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_lists_its_accounts() {
        let aa = AutoAttendant {
            id: "a".into(),
            name: "Main".into(),
            language_id: Some(String::new()),
            voice_response_enabled: Some(true),
            application_instances: vec!["r1".into()],
            ..Default::default()
        };
        let d = data_from_api(&aa);
        assert_eq!(d.language_id, Value::Null);
        assert_eq!(d.voice_response_enabled, Value::Value(true));
        assert_eq!(d.resource_account_ids, Value::Value(vec![owned("r1")]));
    }
}
