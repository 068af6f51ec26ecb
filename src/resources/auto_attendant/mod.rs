//! `teamsphone_auto_attendant`: an auto attendant with its business hours and holidays (contract
//! section 5c).
//!
//! Teams keeps an auto attendant's schedules as objects of their own; here they belong to the
//! auto attendant: `client::workflows::auto_attendants` creates them before it, replaces holiday
//! schedules on update and removes them after it, and cleans up after a write that fails part way
//! (naming what it could not remove). Every attribute is read back, so a change made in the admin
//! center shows as drift; a read that finds nothing removes the auto attendant from state. The
//! plan-time checks are in [`validate`], the conversions in [`model`], the schema in [`schema`];
//! this file holds the calls.

pub mod model;
pub mod schema;
pub mod validate;

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::Diagnostics;

use crate::client::workflows::auto_attendants::PartialWrite;
use crate::domain::text::guid;
use crate::framework::diagnostics::{cannot_import, Reported};
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::values::owned;
pub use model::AutoAttendantModel;
use model::{design_from_model, model_from_api};

const WHAT: &str = "auto attendant";

#[derive(Default)]
pub struct AutoAttendantResource;

fn display_name(m: &AutoAttendantModel<'_>) -> String {
    m.name
        .as_deref_option()
        .or(m.id.as_deref_option())
        .unwrap_or("unknown")
        .to_string()
}

fn partial(diags: &mut Diagnostics, action: &str, name: &str, e: &PartialWrite) {
    diags.root_error(
        format!("Error {action} {WHAT} ({name})"),
        format!("{action} {WHAT} ({name}): {e}"),
    );
}

fn leftovers(diags: &mut Diagnostics, name: &str, ids: &[String]) {
    if !ids.is_empty() {
        diags.root_warning(
            format!("Schedules of {WHAT} ({name}) left behind"),
            format!(
                "These schedules are no longer used but could not be removed; remove them by hand (Remove-CsOnlineSchedule -Id): {}",
                ids.join(", ")
            ),
        );
    }
}

#[async_trait]
impl ManagedResource for AutoAttendantResource {
    type Model<'a> = AutoAttendantModel<'a>;
    type Private = ValueEmpty;
    /// The auto attendant's id.
    type ImportId = String;

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &AutoAttendantModel<'_>) {
        validate::validate(diags, config);
    }

    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        planned: &mut AutoAttendantModel<'a>,
        step: Step<'_, AutoAttendantModel<'a>, ValueEmpty>,
    ) -> Option<()> {
        planned.id = match step {
            Step::Update(prior, _) => prior.id.clone(),
            _ => Value::Unknown,
        };
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: AutoAttendantModel<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let id = prior.id.as_deref_option().unwrap_or_default().to_string();
        match client.read_auto_attendant(&id).await.or_report(
            diags,
            "reading",
            WHAT,
            &display_name(&prior),
        )? {
            Some(read) => Some(Value::Value(model_from_api(&prior, &read))),
            None => Some(Value::Null),
        }
    }

    async fn create<'a>(
        &self,
        cx: Cx<'_, Self>,
        mut planned: AutoAttendantModel<'a>,
    ) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let name = display_name(&planned);
        match client
            .create_auto_attendant(&design_from_model(&planned))
            .await
        {
            Ok(created) => {
                planned.id = owned(created.id);
                Some(planned)
            }
            Err(e) => {
                partial(diags, "creating", &name, &e);
                None
            }
        }
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Change { prior, mut planned } = change;
        let id = prior.id.as_deref_option().unwrap_or_default().to_string();
        let name = display_name(&planned);
        match client
            .update_auto_attendant(&id, &design_from_model(&planned))
            .await
        {
            Ok(Some(left)) => {
                leftovers(diags, &name, &left);
                planned.id = owned(id);
                Some(planned)
            }
            Ok(None) => {
                diags.root_error(
                    format!("Error updating {WHAT} ({name})"),
                    format!("updating {WHAT} ({name}): auto attendant {id} no longer exists (deleted outside Terraform?). Run terraform apply again to create it anew."),
                );
                None
            }
            Err(e) => {
                partial(diags, "updating", &name, &e);
                None
            }
        }
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: AutoAttendantModel<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let id = prior.id.as_deref_option().unwrap_or_default().to_string();
        let name = display_name(&prior);
        let left = client
            .delete_auto_attendant(&id)
            .await
            .or_report(diags, "deleting", WHAT, &name)?;
        leftovers(diags, &name, &left);
        Some(())
    }

    fn import_id(&self, id: &str) -> Result<String, String> {
        let id = id.trim();
        guid(id).map_err(|problem| format!("Import an auto attendant by its id: {problem}"))?;
        Ok(id.to_string())
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, _: &str, id: String) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        match client
            .read_auto_attendant(&id)
            .await
            .or_report(diags, "importing", WHAT, &id)?
        {
            Some(read) => Some(model_from_api(&AutoAttendantModel::default(), &read)),
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    &id,
                    format!(
                        "No auto attendant with id {id} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
