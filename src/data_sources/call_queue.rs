//! Data source `teamsphone_call_queue`: one call queue, by id or by name (read-only,
//! `Get-CsCallQueue`), so an association can point a resource account at a queue managed
//! elsewhere. By id it is one read; by name it is the list, and the name must be unique.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueList, ValueNumber, ValueString};

use crate::client::api::voice_apps::CallQueue;
use crate::client::{ApiError, Client};
use crate::framework::attributes::{
    computed, computed_string, optional_computed_string, schema_of, string_list,
};
use crate::framework::lookup::{LookupDataSource, LookupKind};
use crate::framework::values::{non_empty, owned};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallQueueData<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub language_id: ValueString<'a>,
    pub routing_method: ValueString<'a>,
    pub agent_alert_time: ValueNumber,
    pub resource_account_ids: ValueList<ValueString<'a>>,
}

fn schema() -> Schema {
    schema_of(
"Reads a Teams call queue (`Get-CsCallQueue`) by id or by name, for example to associate a resource account with it. Set exactly one of `id` and `name`; a name must belong to exactly one call queue.",
[
            ("id", optional_computed_string("Id (GUID) of the call queue (its `Identity`). Set this or `name`.")),
            ("name", optional_computed_string("Name of the call queue (letter case ignored). Set this or `id`.")),
            ("language_id", computed_string("Language of its prompts, e.g. `en-US`.")),
            ("routing_method", computed_string("How calls reach agents: `Attendant`, `Serial`, `RoundRobin` or `LongestIdle`.")),
            ("agent_alert_time", computed(AttributeType::Number, "Seconds a call rings an agent before it moves on.")),
            ("resource_account_ids", computed(string_list(), "Object ids of the resource accounts associated with it.")),
        ],
    )
}

/// The data source's state for what the API shows.
pub fn data_from_api<'a>(cq: &CallQueue) -> CallQueueData<'a> {
    CallQueueData {
        id: owned(cq.identity.clone()),
        name: owned(cq.name.clone()),
        language_id: non_empty(cq.language_id.as_deref()),
        routing_method: non_empty(cq.routing_method.as_deref()),
        agent_alert_time: cq.agent_alert_time.map_or(Value::Null, Value::Value),
        resource_account_ids: Value::Value(
            cq.application_instances
                .iter()
                .map(|i| owned(i.clone()))
                .collect(),
        ),
    }
}

pub type CallQueueDataSource = LookupDataSource<CallQueueLookup>;

#[derive(Default)]
pub struct CallQueueLookup;

#[async_trait]
impl LookupKind for CallQueueLookup {
    type Model<'a> = CallQueueData<'a>;
    type Item = CallQueue;

    const WHAT: &'static str = "call queue";
    const A_WHAT: &'static str = "a call queue";

    fn schema() -> Schema {
        schema()
    }
    fn keys<'m, 'a>(model: &'m mut CallQueueData<'a>) -> [&'m mut ValueString<'a>; 2]
    where
        'a: 'a,
    {
        [&mut model.id, &mut model.name]
    }
    fn item_id(item: &CallQueue) -> &str {
        &item.identity
    }
    fn item_name(item: &CallQueue) -> &str {
        &item.name
    }
    fn state<'a>(item: &CallQueue) -> CallQueueData<'a>
    where
        'a: 'a,
    {
        data_from_api(item)
    }

    async fn get(client: &Client, id: &str) -> Result<Option<CallQueue>, ApiError> {
        client.get_cs_call_queue(id).await
    }
    async fn list(client: &Client) -> Result<Vec<CallQueue>, ApiError> {
        client.list_cs_call_queues().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_shows_routing_and_accounts() {
        let cq = CallQueue {
            identity: "q".into(),
            name: "Desk".into(),
            routing_method: Some("Serial".into()),
            agent_alert_time: Some(30),
            application_instances: vec!["r1".into(), "r2".into()],
            ..Default::default()
        };
        let d = data_from_api(&cq);
        assert_eq!(d.id, owned("q"));
        assert_eq!(d.routing_method, owned("Serial"));
        assert_eq!(d.agent_alert_time, Value::Value(30));
        assert_eq!(d.language_id, Value::Null);
    }
}
