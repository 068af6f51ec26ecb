//! Data source `teamsphone_call_queue`: one call queue, by id or by name (read-only,
//! `Get-CsCallQueue`), so an association can point a resource account at a queue managed
//! elsewhere. By id it is one read; by name it is the list, and the name must be unique.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueList, ValueNumber, ValueString};
use tf_provider::Diagnostics;

use crate::client::api::voice_apps::CallQueue;
use crate::client::Client;
use crate::domain::voice_apps::{find_one_by_name, MAX_NAME};
use crate::framework::attributes::{
    computed, computed_string, optional_computed_string, schema_of, string_list,
};
use crate::framework::data_source::ManagedDataSource;
use crate::framework::diagnostics::Reported;
use crate::framework::validators::{check_known, guid, text};
use crate::framework::values::{non_empty, owned};

const WHAT: &str = "call queue";

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

#[derive(Default)]
pub struct CallQueueDataSource;

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

#[async_trait]
impl ManagedDataSource for CallQueueDataSource {
    type Model<'a> = CallQueueData<'a>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &CallQueueData<'_>) {
        check_known(diags, "id", &config.id, guid);
        check_known(diags, "name", &config.name, text(MAX_NAME));
        if config.id.is_null() == config.name.is_null() {
            diags.root_error(
                "Set exactly one of id and name",
                "A call queue is looked up either by its id or by its name.",
            );
        }
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: CallQueueData<'a>,
    ) -> Option<CallQueueData<'a>> {
        let found = if let Some(id) = config.id.as_deref_option() {
            client
                .get_cs_call_queue(id)
                .await
                .or_report(diags, "reading", WHAT, id)?
                .ok_or_else(|| {
                    format!("no call queue has id {id} in tenant {}", client.tenant_id())
                })
        } else {
            let name = config.name.as_deref_option().unwrap_or_default();
            let all = client
                .list_cs_call_queues()
                .await
                .or_report(diags, "reading", WHAT, name)?;
            find_one_by_name(&all, name, WHAT, |q| &q.name, |q| &q.identity).cloned()
        };
        let reference = config
            .id
            .as_deref_option()
            .or(config.name.as_deref_option())
            .unwrap_or_default();
        match found {
            Ok(cq) => {
                let mut state = data_from_api(&cq);
                // Keep the look-up key as written, so another spelling is not a diff.
                if config.id.is_value() {
                    state.id = config.id;
                } else {
                    state.name = config.name;
                }
                Some(state)
            }
            Err(why) => {
                diags.root_error(format!("Call queue ({reference}) not found"), why);
                None
            }
        }
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
