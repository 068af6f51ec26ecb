//! `teamsphone_resource_account`: an Auto Attendant or Call Queue resource account.
//!
//! A resource account is two things at once: a Teams application instance (created with
//! `New-CsOnlineApplicationInstance`, whose application id makes it an Auto Attendant or a Call
//! Queue) and a disabled Entra user (renamed, located and licensed through Graph). Create therefore
//! chains calls and waits: the new account is eventually consistent, so after the create call the
//! provider polls Graph until the user is readable, bounded by the create timeout, before it sets the
//! usage location and license. If a later step fails, the partial state (with the new object id) is
//! still recorded, so the next apply replaces it instead of leaving an orphan.
//!
//! Delete follows Microsoft's order: unassign every number the account holds (each a long-running
//! operation), delete the user, then wait until Graph no longer finds it.
//! Conversion between Terraform and API models is pure and unit-tested in [`model`]; the schema is
//! in [`schema`].

pub mod model;
pub mod schema;

use std::time::{Duration, Instant};

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::resource_accounts::{
    ApplicationInstance, GraphUser, NewApplicationInstance, UserChanges,
};
use crate::client::waits::wait_until_found;
use crate::client::Client;
use crate::domain::accounts::{app_id_of, validate_upn, validate_usage_location, ACCOUNT_TYPES};
use crate::framework::diagnostics::{api_error, cannot_import, Reported};
use crate::framework::equality::Equality;
use crate::framework::replace::RequiresReplace;
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::timeouts::{self, Timeouts};
use crate::framework::validators::{check_known, guid, is_guid, one_of, text};
use crate::framework::values::owned;
pub use model::AccountModel;
use model::{license_changes, model_from_api, name_of, user_changes};

const WHAT: &str = "resource account";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest display name Entra accepts.
const MAX_DISPLAY_NAME: usize = 256;

#[derive(Default)]
pub struct ResourceAccountResource;

/// Reads the user and its application instance; `None` when the user is gone. A user whose
/// instance Teams does not show (yet) is not treated as gone: planning to re-create an account
/// that exists would only end in a conflict.
async fn fetch(
    client: &Client,
    id: &str,
) -> Result<Option<(GraphUser, Option<ApplicationInstance>)>, crate::client::ApiError> {
    let Some(user) = client.get_mg_user(id).await? else {
        return Ok(None);
    };
    let instance = client.application_instance(&user.id).await?;
    Ok(Some((user, instance)))
}

#[async_trait]
impl ManagedResource for ResourceAccountResource {
    type Model<'a> = AccountModel<'a>;
    type Private = ValueEmpty;
    /// An object id or user principal name, trimmed.
    type ImportId = String;

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, AccountModel<'a>>> {
        vec![
            RequiresReplace::new("user_principal_name", Equality::CaseInsensitive, |m| {
                &m.user_principal_name
            }),
            RequiresReplace::new("account_type", Equality::Exact, |m| &m.account_type),
        ]
    }

    fn validate(&self, diags: &mut Diagnostics, config: &AccountModel<'_>) {
        check_known(
            diags,
            "user_principal_name",
            &config.user_principal_name,
            validate_upn,
        );
        check_known(
            diags,
            "display_name",
            &config.display_name,
            text(MAX_DISPLAY_NAME),
        );
        check_known(
            diags,
            "account_type",
            &config.account_type,
            one_of(&ACCOUNT_TYPES),
        );
        check_known(
            diags,
            "usage_location",
            &config.usage_location,
            validate_usage_location,
        );
        check_known(diags, "license_sku_id", &config.license_sku_id, guid);
        if config.license_sku_id.is_value() && config.usage_location.is_null() {
            diags.error(
                "Missing usage_location",
                "A license can only be assigned to an account with a usage location; set usage_location too.",
                AttributePath::new("usage_location"),
            );
        }
        timeouts::validate(diags, &config.timeouts);
    }

    /// A new account's object id is known only after create; its application id follows its type.
    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        m: &mut AccountModel<'a>,
        step: Step<'_, AccountModel<'a>, ValueEmpty>,
    ) -> Option<()> {
        if step.is_new() {
            m.id = Value::Unknown;
            m.application_id = match m.account_type.as_deref_option().and_then(app_id_of) {
                Some(app) => owned(app),
                None => Value::Unknown,
            };
        }
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: AccountModel<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Some(id) = prior.id.as_deref_option().map(str::to_string) else {
            return Some(Value::Null);
        };
        match fetch(client, &id)
            .await
            .or_report(diags, "reading", WHAT, &name_of(&prior))?
        {
            Some((user, instance)) => Some(Value::Value(model_from_api(
                &prior,
                &user,
                instance.as_ref(),
                false,
            ))),
            None => Some(Value::Null),
        }
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, mut model: AccountModel<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let name = name_of(&model);
        let deadline = Instant::now() + Timeouts::create(&model.timeouts, DEFAULT_TIMEOUT);
        let account_type = model
            .account_type
            .as_deref_option()
            .unwrap_or_default()
            .to_string();
        let Some(application_id) = app_id_of(&account_type) else {
            diags.error(
                "Invalid account_type",
                format!(
                    "{account_type:?} is not allowed; use one of: {}",
                    ACCOUNT_TYPES.join(", ")
                ),
                AttributePath::new("account_type"),
            );
            return None;
        };
        let new = NewApplicationInstance {
            user_principal_name: model
                .user_principal_name
                .as_deref_option()
                .unwrap_or_default()
                .to_string(),
            display_name: model
                .display_name
                .as_deref_option()
                .unwrap_or_default()
                .to_string(),
            application_id: application_id.to_string(),
        };
        let created = match client.create_application_instance(&new, deadline).await {
            Ok(created) => created,
            Err(e) if e.is_conflict() => {
                // A lost answer's retry meets its own first attempt: adopt it when it is the same
                // account (as the shared calling policy does); anything else must be imported.
                if let Ok(Some(existing)) = client
                    .find_cs_online_application_instance(
                        &new.user_principal_name,
                        &new.application_id,
                        deadline,
                    )
                    .await
                {
                    diags.root_warning(format!("Adopted existing resource account ({name})"), "The create met an account with this user principal name and account type, most likely made by this apply's own first attempt whose answer was lost. It is now managed by Terraform.");
                    existing
                } else {
                    diags.root_error(
                        format!("Resource account ({name}) already exists"),
                        format!("creating {WHAT} ({name}): {e}\n\nBring the existing account under Terraform with: terraform import <address> {name}"),
                    );
                    return None;
                }
            }
            Err(e) => {
                api_error(diags, "creating", WHAT, &name, &e);
                return None;
            }
        };
        let id = created.object_id.clone();
        model.id = owned(id.clone());
        model.application_id = owned(application_id);
        // What is not yet done stays out of the recorded state, so a partial create is honest.
        let want_location = model.usage_location.clone();
        let want_license = model.license_sku_id.clone();
        model.usage_location = Value::Null;
        model.license_sku_id = Value::Null;

        // Readable means both halves: the Graph user and the Teams application instance.
        let readable = || async {
            if client.get_mg_user(&id).await?.is_none() {
                return Ok(None);
            }
            client.application_instance(&id).await
        };
        match wait_until_found(deadline, readable).await {
            Ok((Some(_), _)) => {}
            Ok((None, tries)) => {
                diags.root_error(
                    format!("Error creating {WHAT} ({name})"),
                    format!("creating {WHAT} ({name}): the account {id} was created but was still not readable after {tries} tries within the create timeout; Microsoft 365 can take minutes to make a new account visible. Raise timeouts.create; the next apply replaces this account."),
                );
                return Some(model);
            }
            Err(e) => {
                api_error(diags, "creating", WHAT, &name, &e);
                return Some(model);
            }
        }
        if let Some(location) = want_location.as_deref_option() {
            let changes = UserChanges {
                usage_location: Some(Some(location.to_string())),
                ..Default::default()
            };
            if let Err(e) = client.update_mg_user(&id, &changes).await {
                api_error(diags, "setting the usage location of", WHAT, &name, &e);
                return Some(model);
            }
            model.usage_location = want_location.clone();
        }
        if let Some(sku) = want_license.as_deref_option() {
            if let Err(e) = client
                .set_mg_user_license(&id, &[sku.to_string()], &[])
                .await
            {
                api_error(diags, "licensing", WHAT, &name, &e);
                return Some(model);
            }
            model.license_sku_id = want_license.clone();
        }
        Some(model)
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Change { prior, planned } = change;
        let name = name_of(&planned);
        let id = prior.id.as_deref_option().unwrap_or_default().to_string();
        let changes = user_changes(&prior, &planned);
        let (add, remove) = license_changes(&prior, &planned);
        // A license needs a usage location: set the location before adding, clear it after removing.
        let clearing = matches!(changes.usage_location, Some(None));
        let mut done = prior.clone();
        let patch = |c: UserChanges| {
            let id = id.clone();
            async move { client.update_mg_user(&id, &c).await }
        };
        if !changes.is_empty() && !clearing {
            patch(changes.clone())
                .await
                .or_report(diags, "updating", WHAT, &name)?;
            done.display_name = planned.display_name.clone();
            done.usage_location = planned.usage_location.clone();
        }
        if !add.is_empty() || !remove.is_empty() {
            if let Err(e) = client.set_mg_user_license(&id, &add, &remove).await {
                api_error(diags, "licensing", WHAT, &name, &e);
                // What did change is recorded; the license stays as it was.
                return Some(done);
            }
        }
        if clearing {
            if let Err(e) = patch(changes).await {
                api_error(diags, "updating", WHAT, &name, &e);
                let mut partial = done;
                partial.license_sku_id = planned.license_sku_id.clone();
                return Some(partial);
            }
        }
        Some(planned)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: AccountModel<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let name = name_of(&prior);
        let Some(id) = prior.id.as_deref_option().map(str::to_string) else {
            return Some(());
        };
        let deadline = Instant::now() + Timeouts::delete(&prior.timeouts, DEFAULT_TIMEOUT);
        if let Err(problem) = client.unassign_all_numbers(&id, deadline).await {
            diags.root_error(
                format!("Error deleting {WHAT} ({name})"),
                format!("deleting {WHAT} ({name}): {problem}. The account was not deleted, so its number cannot get stuck."),
            );
            return None;
        }
        client
            .remove_mg_user(&id)
            .await
            .or_report(diags, "deleting", WHAT, &name)?;
        let gone = wait_until_found(deadline, || async {
            Ok::<_, crate::client::ApiError>(client.get_mg_user(&id).await?.is_none().then_some(()))
        })
        .await;
        match gone.or_report(diags, "deleting", WHAT, &name)? {
            (Some(()), _) => Some(()),
            (None, _) => {
                diags.root_error(
                    format!("Error deleting {WHAT} ({name})"),
                    format!("deleting {WHAT} ({name}): the account was deleted but Graph still returned it when the delete timeout ran out"),
                );
                None
            }
        }
    }

    fn import_id(&self, id: &str) -> Result<String, String> {
        let reference = id.trim().to_string();
        if !is_guid(&reference) && validate_upn(&reference).is_err() {
            return Err(format!("Import a resource account by its object id (GUID) or user principal name, not {reference:?}."));
        }
        Ok(reference)
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, _: &str, reference: String) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let user = match client.get_mg_user(&reference).await.or_report(
            diags,
            "importing",
            WHAT,
            &reference,
        )? {
            Some(user) => user,
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    &reference,
                    format!(
                        "No user {reference:?} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                return None;
            }
        };
        match client.application_instance(&user.id).await.or_report(
            diags,
            "importing",
            WHAT,
            &reference,
        )? {
            Some(instance) => {
                let prior = AccountModel::default();
                Some(model_from_api(&prior, &user, Some(&instance), true))
            }
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    &reference,
                    format!("{} is a user but not a resource account (it has no Teams application instance).", user.user_principal_name),
                );
                None
            }
        }
    }
}
