//! `teamsphone_call_queue`: a Teams call queue (`New-CsCallQueue`, contract section 5c), the
//! agents behind a call queue resource account and what happens to calls they do not take.
//!
//! The API replaces a queue whole (`Set-CsCallQueue` sends every field), so every attribute
//! changes in place and an update sends the planned queue as it is. What the service defaults
//! (routing, alert time, the overflow and timeout behaviour, music on hold) is filled in at plan
//! time, so the plan shows what the queue will do. The rules Teams documents are checked at plan
//! time ([`model::validate`], from `crate::domain::call_queues`), each on its attribute; what
//! needs the directory (an agent that is not a user, a group that does not exist) is the
//! service's to refuse, and comes back as the apply error. A read that finds no queue removes it
//! from state, so a deletion outside Terraform plans a re-creation; any field changed outside
//! Terraform shows as a change back. The conversions are in [`model`], the schema in [`schema`].

pub mod model;
pub mod schema;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::Diagnostics;

use crate::framework::diagnostics::{cannot_import, Reported};
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::validators::guid;
use crate::framework::values::{optional, owned};
use model::{display_name, model_from_api, settings_from_model, Model};

const WHAT: &str = "call queue";

#[derive(Default)]
pub struct CallQueueResource;

#[async_trait]
impl ManagedResource for CallQueueResource {
    type Model<'a> = Model<'a>;
    type Private = ValueEmpty;
    /// The call queue's id, lower case.
    type ImportId = String;

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &Model<'_>) {
        model::validate(diags, config);
    }

    fn defaults(&self, planned: &mut Model<'_>) {
        model::defaults(planned);
    }

    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        planned: &mut Model<'a>,
        step: Step<'_, Model<'a>, ValueEmpty>,
    ) -> Option<()> {
        match step {
            Step::Update(prior, _) => planned.id = prior.id.clone(),
            _ => {
                planned.id = Value::Unknown;
                // Left out, the language is the service's choice, known after the create.
                if planned.language_id.is_null() {
                    planned.language_id = Value::Unknown;
                }
            }
        }
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let id = prior.id.as_deref_option().unwrap_or_default().to_string();
        match client.get_cs_call_queue(&id).await.or_report(
            diags,
            "reading",
            WHAT,
            &display_name(&prior),
        )? {
            Some(queue) => Some(Value::Value(model_from_api(&prior, &queue))),
            None => Some(Value::Null),
        }
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, mut planned: Model<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let created = client
            .create_call_queue(&settings_from_model(&planned))
            .await
            .or_report(diags, "creating", WHAT, &display_name(&planned))?;
        planned.id = owned(created.identity);
        if planned.language_id.is_unknown() {
            planned.language_id =
                optional(created.language_id.as_deref().filter(|l| !l.is_empty()));
        }
        Some(planned)
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Change { prior, mut planned } = change;
        let id = prior.id.as_deref_option().unwrap_or_default().to_string();
        client
            .set_cs_call_queue(&id, &settings_from_model(&planned))
            .await
            .or_report(diags, "updating", WHAT, &display_name(&planned))?;
        planned.id = prior.id;
        Some(planned)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let id = prior.id.as_deref_option().unwrap_or_default().to_string();
        client.remove_cs_call_queue(&id).await.or_report(
            diags,
            "deleting",
            WHAT,
            &display_name(&prior),
        )
    }

    fn import_id(&self, id: &str) -> Result<String, String> {
        let id = id.trim();
        guid(id).map_err(|problem| format!("Import a call queue by its id: {problem}"))?;
        Ok(id.to_ascii_lowercase())
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, typed: &str, id: String) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        match client
            .get_cs_call_queue(&id)
            .await
            .or_report(diags, "importing", WHAT, typed)?
        {
            Some(queue) => Some(model_from_api(&Model::default(), &queue)),
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    typed,
                    format!(
                        "No call queue with id {typed} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                None
            }
        }
    }
}
