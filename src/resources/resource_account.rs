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
//! Conversion between Terraform and API models is pure and unit-tested below.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{Block, Description, Schema};
use tf_provider::value::{self, Value, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api_error;
use crate::attributes::{attributes, computed_string, optional_string, required_string};
use crate::client::api::number_operations::{OperationStatus, WaitError};
use crate::client::api::numbers::eq_clause;
use crate::client::api::resource_accounts::GraphUser;
use crate::client::api::resource_accounts::{
    ApplicationInstance, NewApplicationInstance, UserChanges,
};
use crate::client::waits::wait_until_found;
use crate::client::Client;
use crate::ids::{AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};
use crate::provider::ProviderData;
use crate::timeouts::{self, Timeouts, TimeoutsBlock};
use crate::validators::{check_known, guid, is_guid, one_of, text};

const WHAT: &str = "resource account";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest display name Entra accepts.
const MAX_DISPLAY_NAME: usize = 256;
pub const ACCOUNT_TYPES: [&str; 2] = ["auto_attendant", "call_queue"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountModel<'a> {
    pub id: ValueString<'a>,
    pub user_principal_name: ValueString<'a>,
    pub display_name: ValueString<'a>,
    pub account_type: ValueString<'a>,
    pub usage_location: ValueString<'a>,
    pub license_sku_id: ValueString<'a>,
    pub application_id: ValueString<'a>,
    #[serde(with = "value::serde_as_vec")]
    pub timeouts: TimeoutsBlock<'a>,
}

pub type AccountState<'a> = Value<AccountModel<'a>>;

pub struct ResourceAccountResource {
    data: ProviderData,
}

impl ResourceAccountResource {
    pub fn new(data: ProviderData) -> Self {
        ResourceAccountResource { data }
    }
}

fn schema() -> Schema {
    let (name, block) = timeouts::block([DEFAULT_TIMEOUT; 3]);
    Schema {
        version: 1,
        block: Block {
            version: 1,
            description: Description::markdown(
                "A Teams resource account (`New-CsOnlineApplicationInstance`): the disabled Entra user an Auto Attendant or Call Queue answers as, and which can hold the phone number a shared calling policy shares.",
            ),
            attributes: attributes([
                ("id", computed_string("Object id (GUID) of the account's Entra user.")),
                ("user_principal_name", required_string("Sign-in name of the account, e.g. `aa-seattle@contoso.com`. Changing it creates a new account.")),
                ("display_name", required_string("Name shown in Teams and Entra. Updated in place.")),
                ("account_type", required_string("`auto_attendant` or `call_queue`. Changing it creates a new account (Microsoft does not support changing it in place).")),
                ("usage_location", optional_string("ISO 3166 alpha-2 country where the account is used (e.g. `US`). Needed before a license or phone number can be assigned. Updated in place.")),
                ("license_sku_id", optional_string("SKU id (GUID) of the license to assign with Graph `assignLicense`, normally Microsoft Teams Phone Resource Account (`440eaaa8-b3e0-484b-a8be-62870b9ba70a`). Needs `usage_location`.")),
                ("application_id", computed_string("Application id that makes the account an Auto Attendant or a Call Queue.")),
            ]),
            blocks: HashMap::from([(name, block)]),
            ..Default::default()
        },
    }
}

/// The application id for an `account_type`.
pub fn app_id_of(account_type: &str) -> Option<&'static str> {
    match account_type {
        "auto_attendant" => Some(AUTO_ATTENDANT_APP_ID),
        "call_queue" => Some(CALL_QUEUE_APP_ID),
        _ => None,
    }
}

/// The `account_type` for an application id (any letter case).
pub fn account_type_of(application_id: &str) -> Option<&'static str> {
    if application_id.eq_ignore_ascii_case(AUTO_ATTENDANT_APP_ID) {
        Some("auto_attendant")
    } else if application_id.eq_ignore_ascii_case(CALL_QUEUE_APP_ID) {
        Some("call_queue")
    } else {
        None
    }
}

pub fn validate_upn(upn: &str) -> Result<(), String> {
    text(113)(upn)?;
    match upn.split_once('@') {
        Some((name, domain))
            if !name.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !upn.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "{upn:?} is not a user principal name; expected name@domain, e.g. aa-seattle@contoso.com"
        )),
    }
}

/// Two capital letters naming a country libphonenumber knows (ISO 3166 alpha-2).
pub fn validate_usage_location(code: &str) -> Result<(), String> {
    let shaped = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
    if shaped && code.parse::<phonenumber::country::Id>().is_ok() {
        Ok(())
    } else {
        Err(format!(
            "{code:?} is not an ISO 3166 alpha-2 country code; write two capital letters such as US, GB or DE"
        ))
    }
}

fn s<'a>(v: impl Into<String>) -> ValueString<'a> {
    Value::Value(Cow::Owned(v.into()))
}

/// Prior spelling when equal ignoring case, else the API's.
fn keep_case<'a>(prior: &ValueString<'a>, api: &str) -> ValueString<'a> {
    match prior.as_deref_option() {
        Some(p) if p.eq_ignore_ascii_case(api) => prior.clone(),
        _ => s(api),
    }
}

/// The state for what the API holds. `adopt_license` (import) takes the account's only license when
/// the prior state names none; otherwise an unmanaged license stays out of state. Without an
/// application instance (Teams can lag behind Graph) the prior application id and type stay.
pub fn model_from_api<'a>(
    prior: &AccountModel<'a>,
    user: &GraphUser,
    instance: Option<&ApplicationInstance>,
    adopt_license: bool,
) -> AccountModel<'a> {
    let licenses: Vec<&str> = user
        .assigned_licenses
        .iter()
        .map(|l| l.sku_id.as_str())
        .collect();
    let license_sku_id = match prior.license_sku_id.as_deref_option() {
        Some(p) if licenses.iter().any(|l| l.eq_ignore_ascii_case(p)) => {
            prior.license_sku_id.clone()
        }
        Some(_) => Value::Null,
        None if adopt_license && licenses.len() == 1 => s(licenses[0]),
        None => Value::Null,
    };
    let application_id = instance
        .and_then(|i| i.application_id.clone())
        .or_else(|| prior.application_id.as_deref_option().map(str::to_string))
        .unwrap_or_default();
    let account_type = match account_type_of(&application_id) {
        Some(t) => s(t),
        None if prior.account_type.is_value() => prior.account_type.clone(),
        None => s(application_id.clone()),
    };
    AccountModel {
        id: keep_case(&prior.id, &user.id),
        user_principal_name: keep_case(&prior.user_principal_name, &user.user_principal_name),
        display_name: match &user.display_name {
            Some(d) => s(d.clone()),
            None => Value::Null,
        },
        account_type,
        usage_location: match &user.usage_location {
            Some(u) if !u.is_empty() => keep_case(&prior.usage_location, u),
            _ => Value::Null,
        },
        license_sku_id,
        application_id: keep_case(&prior.application_id, &application_id),
        timeouts: prior.timeouts.clone(),
    }
}

/// The Graph PATCH that turns `prior` into `planned`.
pub fn user_changes(prior: &AccountModel<'_>, planned: &AccountModel<'_>) -> UserChanges {
    let mut changes = UserChanges::default();
    if prior.display_name.as_deref_option() != planned.display_name.as_deref_option() {
        changes.display_name = planned.display_name.as_deref_option().map(str::to_string);
    }
    let (p, n) = (
        prior.usage_location.as_deref_option(),
        planned.usage_location.as_deref_option(),
    );
    if !matches!((p, n), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b)) && p != n {
        changes.usage_location = Some(n.map(str::to_string));
    }
    changes
}

/// Licenses to add and remove to go from `prior` to `planned`.
pub fn license_changes(
    prior: &AccountModel<'_>,
    planned: &AccountModel<'_>,
) -> (Vec<String>, Vec<String>) {
    let (p, n) = (
        prior.license_sku_id.as_deref_option(),
        planned.license_sku_id.as_deref_option(),
    );
    match (p, n) {
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => (vec![], vec![]),
        (a, b) => (
            b.map(str::to_string).into_iter().collect(),
            a.map(str::to_string).into_iter().collect(),
        ),
    }
}

fn name_of(model: &AccountModel<'_>) -> String {
    model
        .user_principal_name
        .as_deref_option()
        .or(model.id.as_deref_option())
        .unwrap_or("unknown")
        .to_string()
}

/// A failed wait for a number operation, as the user should read it.
pub fn wait_error_text(e: &WaitError) -> String {
    match e {
        WaitError::Api(api) => api.to_string(),
        WaitError::TimedOut { .. } => {
            format!("{e}; raise the timeout in the timeouts block if Teams is slow")
        }
    }
}

/// Unassigns every number `object_id` holds, waiting for each operation (Microsoft's rule: a
/// number still held by a deleted account gets stuck in a pending state).
pub async fn unassign_all_numbers(
    client: &Client,
    object_id: &str,
    deadline: Instant,
) -> Result<(), String> {
    let held = client
        .list_cs_phone_number_assignments(&eq_clause("assignmentTargetId", object_id))
        .await
        .map_err(|e| format!("listing its phone numbers: {e}"))?;
    for number in held {
        let number_type = number.number_type.clone().unwrap_or_default();
        let op = client
            .remove_cs_phone_number_assignment(&number.telephone_number, &number_type)
            .await
            .map_err(|e| format!("unassigning {}: {e}", number.telephone_number))?;
        let done = client
            .wait_for_number_operation(&op, deadline)
            .await
            .map_err(|e| {
                format!(
                    "unassigning {}: {}",
                    number.telephone_number,
                    wait_error_text(&e)
                )
            })?;
        if done.status() == OperationStatus::Failed {
            return Err(format!(
                "unassigning {} failed: {}",
                number.telephone_number,
                done.detail()
            ));
        }
    }
    Ok(())
}

impl ResourceAccountResource {
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
        let instance = client.get_cs_online_application_instance(&user.id).await?;
        Ok(Some((user, instance)))
    }
}

#[async_trait]
impl Resource for ResourceAccountResource {
    type State<'a> = AccountState<'a>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        let Value::Value(config) = config else {
            return Some(());
        };
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
        diags.errors.is_empty().then_some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(prior) = state else {
            return Some((Value::Null, private_state));
        };
        let client = self.data.client(diags)?;
        let Some(id) = prior.id.as_deref_option().map(str::to_string) else {
            return Some((Value::Null, private_state));
        };
        match Self::fetch(&client, &id).await {
            Ok(Some((user, instance))) => Some((
                Value::Value(model_from_api(&prior, &user, instance.as_ref(), false)),
                private_state,
            )),
            Ok(None) => Some((Value::Null, private_state)),
            Err(e) => {
                api_error(diags, "reading", WHAT, &name_of(&prior), &e);
                None
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let planned = proposed.map(|mut m| {
            m.id = Value::Unknown;
            m.application_id = match m.account_type.as_deref_option().and_then(app_id_of) {
                Some(app) => s(app),
                None => Value::Unknown,
            };
            m
        });
        Some((planned, ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: Self::State<'a>,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        prior_private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let mut replace = Vec::new();
        let planned = match (prior, proposed) {
            (Value::Value(prior), Value::Value(mut m)) => {
                let same_upn = match (
                    prior.user_principal_name.as_deref_option(),
                    m.user_principal_name.as_deref_option(),
                ) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    (a, b) => a == b,
                };
                if !same_upn {
                    replace.push(AttributePath::new("user_principal_name"));
                }
                if prior.account_type.as_deref_option() != m.account_type.as_deref_option() {
                    replace.push(AttributePath::new("account_type"));
                }
                if !replace.is_empty() {
                    m.id = Value::Unknown;
                    m.application_id = match m.account_type.as_deref_option().and_then(app_id_of) {
                        Some(app) => s(app),
                        None => Value::Unknown,
                    };
                }
                Value::Value(m)
            }
            (_, proposed) => proposed,
        };
        Some((planned, prior_private, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        prior_private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(mut model) = planned else {
            return None;
        };
        let client = self.data.client(diags)?;
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
        let created = match client.new_cs_online_application_instance(&new).await {
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
        model.id = s(id.clone());
        model.application_id = s(application_id);
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
            client.get_cs_online_application_instance(&id).await
        };
        match wait_until_found(deadline, readable).await {
            Ok((Some(_), _)) => {}
            Ok((None, tries)) => {
                diags.root_error(
                    format!("Error creating {WHAT} ({name})"),
                    format!("creating {WHAT} ({name}): the account {id} was created but was still not readable after {tries} tries within the create timeout; Microsoft 365 can take minutes to make a new account visible. Raise timeouts.create; the next apply replaces this account."),
                );
                return Some((Value::Value(model), private));
            }
            Err(e) => {
                api_error(diags, "creating", WHAT, &name, &e);
                return Some((Value::Value(model), private));
            }
        }
        if let Some(location) = want_location.as_deref_option() {
            let changes = UserChanges {
                usage_location: Some(Some(location.to_string())),
                ..Default::default()
            };
            if let Err(e) = client.update_mg_user(&id, &changes).await {
                api_error(diags, "setting the usage location of", WHAT, &name, &e);
                return Some((Value::Value(model), private));
            }
            model.usage_location = want_location.clone();
        }
        if let Some(sku) = want_license.as_deref_option() {
            if let Err(e) = client
                .set_mg_user_license(&id, &[sku.to_string()], &[])
                .await
            {
                api_error(diags, "licensing", WHAT, &name, &e);
                return Some((Value::Value(model), private));
            }
            model.license_sku_id = want_license.clone();
        }
        Some((Value::Value(model), private))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let (Value::Value(prior), Value::Value(planned)) = (prior, planned) else {
            return None;
        };
        let client = self.data.client(diags)?;
        let name = name_of(&planned);
        let id = prior.id.as_deref_option().unwrap_or_default().to_string();
        let changes = user_changes(&prior, &planned);
        let (add, remove) = license_changes(&prior, &planned);
        // A license needs a usage location: set the location before adding, clear it after removing.
        let clearing = matches!(changes.usage_location, Some(None));
        let mut done = prior.clone();
        let patch = |c: UserChanges| {
            let client = client.clone();
            let id = id.clone();
            async move { client.update_mg_user(&id, &c).await }
        };
        if !changes.is_empty() && !clearing {
            if let Err(e) = patch(changes.clone()).await {
                api_error(diags, "updating", WHAT, &name, &e);
                return None;
            }
            done.display_name = planned.display_name.clone();
            done.usage_location = planned.usage_location.clone();
        }
        if !add.is_empty() || !remove.is_empty() {
            if let Err(e) = client.set_mg_user_license(&id, &add, &remove).await {
                api_error(diags, "licensing", WHAT, &name, &e);
                // What did change is recorded; the license stays as it was.
                return Some((Value::Value(done), private));
            }
        }
        if clearing {
            if let Err(e) = patch(changes).await {
                api_error(diags, "updating", WHAT, &name, &e);
                let mut partial = done;
                partial.license_sku_id = planned.license_sku_id.clone();
                return Some((Value::Value(partial), private));
            }
        }
        Some((Value::Value(planned), private))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let Value::Value(prior) = prior else {
            return Some(());
        };
        let client = self.data.client(diags)?;
        let name = name_of(&prior);
        let Some(id) = prior.id.as_deref_option().map(str::to_string) else {
            return Some(());
        };
        let deadline = Instant::now() + Timeouts::delete(&prior.timeouts, DEFAULT_TIMEOUT);
        if let Err(problem) = unassign_all_numbers(&client, &id, deadline).await {
            diags.root_error(
                format!("Error deleting {WHAT} ({name})"),
                format!("deleting {WHAT} ({name}): {problem}. The account was not deleted, so its number cannot get stuck."),
            );
            return None;
        }
        if let Err(e) = client.remove_mg_user(&id).await {
            api_error(diags, "deleting", WHAT, &name, &e);
            return None;
        }
        let gone = wait_until_found(deadline, || async {
            Ok::<_, crate::client::ApiError>(client.get_mg_user(&id).await?.is_none().then_some(()))
        })
        .await;
        match gone {
            Ok((Some(()), _)) => Some(()),
            Ok((None, _)) => {
                diags.root_error(
                    format!("Error deleting {WHAT} ({name})"),
                    format!("deleting {WHAT} ({name}): the account was deleted but Graph still returned it when the delete timeout ran out"),
                );
                None
            }
            Err(e) => {
                api_error(diags, "deleting", WHAT, &name, &e);
                None
            }
        }
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let reference = id.trim().to_string();
        if !is_guid(&reference) && validate_upn(&reference).is_err() {
            diags.root_error(
                "Invalid import id",
                format!("Import a resource account by its object id (GUID) or user principal name, not {reference:?}."),
            );
            return None;
        }
        let client = self.data.client(diags)?;
        let user = match client.get_mg_user(&reference).await {
            Ok(Some(user)) => user,
            Ok(None) => {
                diags.root_error(
                    format!("Cannot import {WHAT} ({reference})"),
                    format!(
                        "No user {reference:?} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                return None;
            }
            Err(e) => {
                api_error(diags, "importing", WHAT, &reference, &e);
                return None;
            }
        };
        match client.get_cs_online_application_instance(&user.id).await {
            Ok(Some(instance)) => {
                let prior = AccountModel::default();
                Some((
                    Value::Value(model_from_api(&prior, &user, Some(&instance), true)),
                    ValueEmpty::default(),
                ))
            }
            Ok(None) => {
                diags.root_error(
                    format!("Cannot import {WHAT} ({reference})"),
                    format!("{} is a user but not a resource account (it has no Teams application instance).", user.user_principal_name),
                );
                None
            }
            Err(e) => {
                api_error(diags, "importing", WHAT, &reference, &e);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::api::resource_accounts::AssignedLicense;

    const SKU: &str = "440eaaa8-b3e0-484b-a8be-62870b9ba70a";

    fn model() -> AccountModel<'static> {
        AccountModel {
            id: s("AAAAAAAA-0000-0000-0000-000000000001"),
            user_principal_name: s("AA-Sea@contoso.com"),
            display_name: s("Seattle AA"),
            account_type: s("auto_attendant"),
            usage_location: s("US"),
            license_sku_id: s(SKU.to_uppercase()),
            application_id: s(AUTO_ATTENDANT_APP_ID),
            timeouts: Value::Null,
        }
    }

    fn api(licenses: &[&str]) -> (GraphUser, ApplicationInstance) {
        let user = GraphUser {
            id: "aaaaaaaa-0000-0000-0000-000000000001".into(),
            user_principal_name: "aa-sea@contoso.com".into(),
            display_name: Some("Seattle AA".into()),
            account_enabled: Some(false),
            usage_location: Some("US".into()),
            assigned_licenses: licenses
                .iter()
                .map(|l| AssignedLicense {
                    sku_id: l.to_string(),
                })
                .collect(),
        };
        let instance = ApplicationInstance {
            object_id: user.id.clone(),
            application_id: Some(AUTO_ATTENDANT_APP_ID.into()),
            ..Default::default()
        };
        (user, instance)
    }

    #[test]
    fn the_api_spelling_keeps_the_prior_spelling() {
        let (user, instance) = api(&[SKU]);
        assert_eq!(
            model_from_api(&model(), &user, Some(&instance), false),
            model()
        );
        // Teams lagging behind Graph keeps what the state knew.
        assert_eq!(model_from_api(&model(), &user, None, false), model());
    }

    #[test]
    fn drift_shows_and_import_adopts_the_single_license() {
        let (mut user, mut instance) = api(&["11111111-1111-1111-1111-111111111111"]);
        user.display_name = Some("Renamed".into());
        instance.application_id = Some(CALL_QUEUE_APP_ID.into());
        let read = model_from_api(&model(), &user, Some(&instance), false);
        assert_eq!(read.display_name, s("Renamed"));
        assert_eq!(read.account_type, s("call_queue"));
        assert_eq!(
            read.license_sku_id,
            Value::Null,
            "a removed license shows as a diff"
        );
        let imported = model_from_api(&AccountModel::default(), &user, Some(&instance), true);
        assert_eq!(
            imported.license_sku_id,
            s("11111111-1111-1111-1111-111111111111")
        );
        assert_eq!(imported.user_principal_name, s("aa-sea@contoso.com"));
    }

    #[test]
    fn changes_are_minimal() {
        let prior = model();
        let mut same = model();
        same.usage_location = s("US");
        same.license_sku_id = s(SKU);
        assert!(user_changes(&prior, &same).is_empty());
        assert_eq!(license_changes(&prior, &same), (vec![], vec![]));
        let mut planned = model();
        planned.display_name = s("New");
        planned.usage_location = Value::Null;
        planned.license_sku_id = Value::Null;
        let c = user_changes(&prior, &planned);
        assert_eq!(c.display_name.as_deref(), Some("New"));
        assert_eq!(c.usage_location, Some(None));
        assert_eq!(
            license_changes(&prior, &planned),
            (vec![], vec![SKU.to_uppercase()])
        );
    }

    #[test]
    fn inputs_are_checked() {
        assert!(validate_upn("aa@contoso.com").is_ok());
        for bad in [
            "aa",
            "@contoso.com",
            "aa@contoso",
            "a a@contoso.com",
            "aa@.com",
        ] {
            assert!(validate_upn(bad).is_err(), "{bad}");
        }
        assert!(validate_usage_location("US").is_ok());
        assert!(validate_usage_location("us")
            .unwrap_err()
            .contains("capital"));
        assert!(validate_usage_location("XQ").is_err());
        assert_eq!(app_id_of("call_queue"), Some(CALL_QUEUE_APP_ID));
        assert_eq!(
            account_type_of(&AUTO_ATTENDANT_APP_ID.to_uppercase()),
            Some("auto_attendant")
        );
        assert_eq!(app_id_of("voicemail"), None);
    }
}
