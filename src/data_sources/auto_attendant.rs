//! Data source `teamsphone_auto_attendant`: one auto attendant, by id or by name (read-only,
//! `Get-CsAutoAttendant`), so an association can point a resource account at a menu managed
//! elsewhere. By id it is one read; by name it is the list, and the name must be unique.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueBool, ValueList, ValueString};

use crate::client::api::voice_apps::AutoAttendant;
use crate::client::{ApiError, Client};
use crate::framework::attributes::{
    computed, computed_string, optional_computed_string, schema_of, string_list,
};
use crate::framework::lookup::{LookupDataSource, LookupKind};
use crate::framework::values::{non_empty, owned};

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

pub type AutoAttendantDataSource = LookupDataSource<AutoAttendantLookup>;

#[derive(Default)]
pub struct AutoAttendantLookup;

#[async_trait]
impl LookupKind for AutoAttendantLookup {
    type Model<'a> = AutoAttendantData<'a>;
    type Item = AutoAttendant;

    const WHAT: &'static str = "auto attendant";
    const A_WHAT: &'static str = "an auto attendant";

    fn schema() -> Schema {
        schema()
    }
    fn keys<'m, 'a>(model: &'m mut AutoAttendantData<'a>) -> [&'m mut ValueString<'a>; 2]
    where
        'a: 'a,
    {
        [&mut model.id, &mut model.name]
    }
    fn item_id(item: &AutoAttendant) -> &str {
        &item.id
    }
    fn item_name(item: &AutoAttendant) -> &str {
        &item.name
    }
    fn state<'a>(item: &AutoAttendant) -> AutoAttendantData<'a>
    where
        'a: 'a,
    {
        data_from_api(item)
    }

    async fn get(client: &Client, id: &str) -> Result<Option<AutoAttendant>, ApiError> {
        client.get_cs_auto_attendant(id).await
    }
    async fn list(client: &Client) -> Result<Vec<AutoAttendant>, ApiError> {
        client.list_cs_auto_attendants().await
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
