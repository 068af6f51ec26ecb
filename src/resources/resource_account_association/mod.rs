//! `teamsphone_resource_account_association`: the auto attendant or call queue a resource account
//! answers for (`New-CsOnlineApplicationInstanceAssociation`), so that calls to its number, and
//! Shared Calling callbacks, reach a configured menu or queue.
//!
//! One resource account answers for one configuration, so the resource's id is the account's id.
//! The API has no update: a different configuration or call priority is a replacement (remove,
//! then associate again). Its read shows no priority, so a priority changed outside Terraform is
//! not seen; a removed association is, and plans a new one.
//!
//! An account answers only for a configuration of its own kind: `configuration_type` must match
//! the account's `account_type`. That is checked at plan time when the account id is known (the
//! plan reads the account, and the configuration, through [`ManagedResource::check_plan`]), and
//! otherwise at apply before anything is written: an account created in the same apply has no id
//! until then. Teams answers per endpoint; each refusal becomes an error that says what to do
//! (already associated: import it or remove that association).

pub mod model;

use std::time::{Duration, Instant};

use async_trait::async_trait;
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::voice_apps::{
    AssociationProblem, AssociationResult, ConfigurationType, NewAssociation,
};
use crate::client::waits::wait_until_found;
use crate::client::Client;
use crate::domain::accounts::{
    account_type_of, configuration_noun, with_article, CONFIGURATION_TYPES,
};
use crate::framework::attributes::{
    computed_string, optional_computed, required_string, schema_of, with_block,
};
use crate::framework::diagnostics::{api_error, cannot_import, invalid_attribute, Reported};
use crate::framework::equality::Equality;
use crate::framework::replace::RequiresReplace;
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::timeouts::{self, Timeouts};
use crate::framework::validators::{check_known, guid, is_guid, one_of};
use crate::framework::values::{known_str, owned};
use model::{api_type, check_priority, configuration_type_of, model_from_api, Model};
use teamsphone_contract::CALL_PRIORITY_DEFAULT;

const WHAT: &str = "resource account association";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct ResourceAccountAssociationResource;

fn schema() -> Schema {
    let (name, block) = timeouts::block([DEFAULT_TIMEOUT; 3]);
    with_block(schema_of(
"Associates a resource account with the auto attendant or call queue it answers for (`New-CsOnlineApplicationInstanceAssociation`), so inbound calls to its number reach that configuration. One per resource account. Import with the resource account's object id.",
[
            ("id", computed_string("The resource account's object id (one association per account).")),
            ("resource_account_id", required_string("Object id (GUID) of the resource account, e.g. `teamsphone_resource_account.x.id`. Changing it replaces the association.")),
            ("configuration_id", required_string("Id (GUID) of the auto attendant or call queue, e.g. `data.teamsphone_auto_attendant.x.id`. Changing it replaces the association.")),
            ("configuration_type", required_string("`auto_attendant` or `call_queue`: what `configuration_id` is. It must match the resource account's `account_type`; checked at plan time when the account id is known, else before anything is written. Changing it replaces the association.")),
            ("call_priority", optional_computed(AttributeType::Number, "Priority of calls through this account, 1 (answered first) to 5; default 3. The API cannot change it in place, so a change replaces the association, and its read does not show it: a change made outside Terraform is not detected.")),
        ],
    ), (name, block))
}

/// Why the account cannot answer for the configuration, if it cannot: `None` when it can or when
/// its kind is not one we know (the API then decides).
fn kind_mismatch(account: &str, application_id: Option<&str>, wanted: &str) -> Option<String> {
    let kind = account_type_of(application_id?)?;
    (kind != wanted).then(|| {
        format!(
            "resource account {account} is {} account (account_type {kind:?}), so it can answer only for {}; configuration_type is {wanted:?}. Use {} resource account, or point configuration_id at {} with configuration_type {kind:?}.",
            with_article(&kind.replace('_', " ")),
            with_article(configuration_noun(kind)),
            with_article(&wanted.replace('_', " ")),
            with_article(configuration_noun(kind)),
        )
    })
}

/// Whether configuration `id` exists as `kind`; when it does not, what it is instead, if anything.
async fn configuration_problem(
    client: &Client,
    id: &str,
    kind: &str,
) -> Result<Option<String>, crate::client::ApiError> {
    let (is_aa, is_cq) = match kind {
        "auto_attendant" => (client.get_cs_auto_attendant(id).await?.is_some(), false),
        _ => (false, client.get_cs_call_queue(id).await?.is_some()),
    };
    if is_aa || is_cq {
        return Ok(None);
    }
    let other = match kind {
        "auto_attendant" => client.get_cs_call_queue(id).await?.map(|_| "call_queue"),
        _ => client
            .get_cs_auto_attendant(id)
            .await?
            .map(|_| "auto_attendant"),
    };
    Ok(Some(match other {
        Some(other) => format!(
            "{id} is {}, not {}: set configuration_type = {other:?} (with a resource account of that type)",
            with_article(configuration_noun(other)),
            with_article(configuration_noun(kind))
        ),
        None => format!(
            "no {} with id {id} exists in tenant {}",
            configuration_noun(kind),
            client.tenant_id()
        ),
    }))
}

/// The error for an endpoint's refusal, with what to do about it.
async fn refusal(
    diags: &mut Diagnostics,
    client: &Client,
    account: &str,
    result: &AssociationResult,
) {
    let said = result.message.clone().unwrap_or_default();
    let summary = format!("Error creating {WHAT} ({account})");
    match result.problem() {
        Some(AssociationProblem::AlreadyAssociated) => {
            let existing = client
                .get_cs_online_application_instance_association(account)
                .await
                .ok()
                .flatten();
            let with = match existing {
                Some(a) => format!(
                    "{} {}",
                    configuration_noun(&configuration_type_of(&a.configuration_type)),
                    a.configuration_id
                ),
                None => "another auto attendant or call queue".into(),
            };
            diags.root_error(
                summary,
                format!("creating {WHAT} ({account}): resource account {account} is already associated with {with}: import it (terraform import <address> {account}) or remove that association. Teams said: {said}"),
            );
        }
        Some(AssociationProblem::EndpointNotFound) => diags.error(
            summary,
            format!("creating {WHAT} ({account}): Teams does not know resource account {account} (still not found when the create timeout ran out; a new account can take minutes to show). Teams said: {said}"),
            AttributePath::new("resource_account_id"),
        ),
        Some(AssociationProblem::TypeMismatch) => diags.error(
            summary,
            format!("creating {WHAT} ({account}): the resource account's kind does not match configuration_type. Teams said: {said}"),
            AttributePath::new("configuration_type"),
        ),
        Some(AssociationProblem::Pending) => diags.root_error(
            summary,
            format!("creating {WHAT} ({account}): the association was still pending when the create timeout ran out; raise timeouts.create, or check it with Get-CsOnlineApplicationInstanceAssociationStatus. Teams said: {said}"),
        ),
        Some(AssociationProblem::Other(code)) => diags.root_error(
            summary,
            format!("creating {WHAT} ({account}): Teams refused it ({}): {said}", code.unwrap_or_else(|| "no error code".into())),
        ),
        None => {}
    }
}

#[async_trait]
impl ManagedResource for ResourceAccountAssociationResource {
    type Model<'a> = Model<'a>;
    type Private = ValueEmpty;
    /// The resource account's object id.
    type ImportId = String;

    fn schema(&self) -> Schema {
        schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, Model<'a>>> {
        vec![
            RequiresReplace::new("resource_account_id", Equality::CaseInsensitive, |m| {
                &m.resource_account_id
            }),
            RequiresReplace::new("configuration_id", Equality::CaseInsensitive, |m| {
                &m.configuration_id
            }),
            RequiresReplace::new("configuration_type", Equality::Exact, |m| {
                &m.configuration_type
            }),
            RequiresReplace::number("call_priority", |m| &m.call_priority),
        ]
    }

    fn validate(&self, diags: &mut Diagnostics, config: &Model<'_>) {
        check_known(
            diags,
            "resource_account_id",
            &config.resource_account_id,
            guid,
        );
        check_known(diags, "configuration_id", &config.configuration_id, guid);
        check_known(
            diags,
            "configuration_type",
            &config.configuration_type,
            one_of(&CONFIGURATION_TYPES),
        );
        if let Value::Value(p) = config.call_priority {
            if let Err(problem) = check_priority(p) {
                invalid_attribute(diags, "call_priority", problem);
            }
        }
        timeouts::validate(diags, &config.timeouts);
    }

    fn defaults(&self, planned: &mut Model<'_>) {
        if planned.call_priority.is_null() {
            planned.call_priority = Value::Value(i64::from(CALL_PRIORITY_DEFAULT));
        }
    }

    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        m: &mut Model<'a>,
        step: Step<'_, Model<'a>, ValueEmpty>,
    ) -> Option<()> {
        m.id = match step {
            Step::Update(prior, _) => prior.id.clone(),
            _ if m.resource_account_id.is_value() => m.resource_account_id.clone(),
            _ => Value::Unknown,
        };
        Some(())
    }

    /// The account's kind and the configuration, read when their ids are known: a mismatch fails
    /// the plan, on the attribute.
    async fn check_plan<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        planned: &Model<'a>,
        is_new: bool,
    ) -> Option<()> {
        let (Some(account), Some(kind)) = (
            planned.resource_account_id.as_deref_option(),
            planned.configuration_type.as_deref_option(),
        ) else {
            return Some(());
        };
        if !is_new || api_type(kind).is_none() {
            return Some(());
        }
        let action = "planning";
        match client
            .application_instance(account)
            .await
            .or_report(diags, action, WHAT, account)?
        {
            None => {
                invalid_attribute(diags, "resource_account_id", format!("no resource account with object id {account} exists in tenant {} (or it is a user without a Teams application instance)", client.tenant_id()));
                return None;
            }
            Some(instance) => {
                if let Some(problem) =
                    kind_mismatch(account, instance.application_id.as_deref(), kind)
                {
                    invalid_attribute(diags, "configuration_type", problem);
                    return None;
                }
            }
        }
        if let Some(configuration) = planned.configuration_id.as_deref_option() {
            if let Some(problem) = configuration_problem(client, configuration, kind)
                .await
                .or_report(diags, action, WHAT, account)?
            {
                invalid_attribute(diags, "configuration_id", problem);
                return None;
            }
        }
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let account = known_str(&prior.resource_account_id).to_string();
        let found = client
            .get_cs_online_application_instance_association(&account)
            .await
            .or_report(diags, "reading", WHAT, &account)?;
        Some(match found {
            Some(found) => Value::Value(model_from_api(&prior, &account, &found)),
            None => Value::Null,
        })
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, planned: Model<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let account = known_str(&planned.resource_account_id).to_string();
        let configuration = known_str(&planned.configuration_id).to_string();
        let kind = known_str(&planned.configuration_type).to_string();
        let deadline = Instant::now() + Timeouts::create(&planned.timeouts, DEFAULT_TIMEOUT);
        // Validation has checked both; a value that still fails here is reported, never assumed.
        let Some(configuration_type) = api_type(&kind) else {
            invalid_attribute(
                diags,
                "configuration_type",
                format!("{kind:?} is not one of {}", CONFIGURATION_TYPES.join(", ")),
            );
            return None;
        };
        let priority = planned.call_priority.as_ref_option().copied();
        let call_priority = match check_priority(priority.unwrap_or(CALL_PRIORITY_DEFAULT.into())) {
            Ok(p) => p,
            Err(problem) => {
                invalid_attribute(diags, "call_priority", problem);
                return None;
            }
        };
        // The check plan time could not make (the account is new in this apply), before writing.
        // A new account may take a moment to show: waited out within the create timeout.
        let instance = wait_until_found(deadline, || client.application_instance(&account))
            .await
            .or_report(diags, "creating", WHAT, &account)?
            .0;
        let Some(instance) = instance else {
            invalid_attribute(diags, "resource_account_id", format!("creating {WHAT} ({account}): no resource account with object id {account} was found within the create timeout"));
            return None;
        };
        if let Some(problem) = kind_mismatch(&account, instance.application_id.as_deref(), &kind) {
            invalid_attribute(
                diags,
                "configuration_type",
                format!("creating {WHAT} ({account}): {problem}"),
            );
            return None;
        }
        let new = NewAssociation {
            endpoints_ids: vec![account.clone()],
            configuration_id: configuration.clone(),
            configuration_type,
            call_priority,
        };
        let result = match client.associate_application_instance(&new, deadline).await {
            Ok(result) => result,
            Err(e) if e.is_not_found() => {
                // The whole request refused with 404: the configuration is not there.
                invalid_attribute(
                    diags,
                    "configuration_id",
                    format!("creating {WHAT} ({account}): {e}"),
                );
                return None;
            }
            Err(e) => {
                api_error(diags, "creating", WHAT, &account, &e);
                return None;
            }
        };
        if result.problem() == Some(AssociationProblem::AlreadyAssociated) {
            // A lost answer's retry meets its own first attempt: the same association is adopted.
            let existing = client
                .get_cs_online_application_instance_association(&account)
                .await
                .ok()
                .flatten();
            let same = existing.as_ref().is_some_and(|a| {
                a.configuration_id.eq_ignore_ascii_case(&configuration)
                    && ConfigurationType::parse(&a.configuration_type) == Some(configuration_type)
            });
            if same {
                diags.root_warning(
                    format!("Adopted existing {WHAT} ({account})"),
                    "The resource account was already associated with this configuration (most likely by this apply's own first attempt, whose answer was lost). It is now managed by Terraform; its call priority is the one it was made with.",
                );
                let mut state = planned;
                state.id = owned(account);
                return Some(state);
            }
        }
        if result.problem().is_some() {
            refusal(diags, client, &account, &result).await;
            return None;
        }
        let mut state = planned;
        state.id = owned(account);
        Some(state)
    }

    /// Only `timeouts` can change in place (everything else replaces): nothing to send.
    async fn update<'a>(&self, _cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        Some(change.planned)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let account = known_str(&prior.resource_account_id).to_string();
        let removed = client
            .remove_cs_online_application_instance_association(&account)
            .await
            .or_report(diags, "deleting", WHAT, &account)?;
        match removed.as_ref().and_then(AssociationResult::problem) {
            None | Some(AssociationProblem::Pending) => Some(()),
            Some(problem) => {
                diags.root_error(
                    format!("Error deleting {WHAT} ({account})"),
                    format!(
                        "deleting {WHAT} ({account}): Teams refused to remove it ({problem:?}): {}",
                        removed.and_then(|r| r.message).unwrap_or_default()
                    ),
                );
                None
            }
        }
    }

    fn import_id(&self, id: &str) -> Result<String, String> {
        let id = id.trim();
        if is_guid(id) {
            Ok(id.to_string())
        } else {
            Err(format!(
                "Import an association by its resource account's object id (a GUID), not {id:?}."
            ))
        }
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, id: &str, account: String) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let found = client
            .get_cs_online_application_instance_association(&account)
            .await
            .or_report(diags, "importing", WHAT, id)?;
        let Some(found) = found else {
            cannot_import(diags, WHAT, id, format!("Resource account {account} is not associated with any auto attendant or call queue (or does not exist)."));
            return None;
        };
        if found.call_priority.is_none() {
            diags.root_warning(
                format!("Call priority of {WHAT} ({account}) is not known"),
                format!("Teams does not show an association's call priority, so the state records the default, {CALL_PRIORITY_DEFAULT}. If it was made with another, set call_priority to that value; a different value in configuration replaces the association."),
            );
        }
        Some(model_from_api(&Model::default(), &account, &found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use teamsphone_contract::{AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};

    #[test]
    fn an_account_answers_only_for_its_own_kind() {
        assert_eq!(
            kind_mismatch("a", Some(AUTO_ATTENDANT_APP_ID), "auto_attendant"),
            None
        );
        let problem = kind_mismatch(
            "a",
            Some(&CALL_QUEUE_APP_ID.to_uppercase()),
            "auto_attendant",
        )
        .unwrap();
        assert!(problem.contains("is a call queue account"), "{problem}");
        assert!(problem.contains("only for a call queue"), "{problem}");
        assert_eq!(
            kind_mismatch("a", Some("other"), "call_queue"),
            None,
            "the API decides"
        );
        assert_eq!(kind_mismatch("a", None, "call_queue"), None);
    }

    #[test]
    fn import_ids_are_account_ids() {
        let r = ResourceAccountAssociationResource;
        assert!(r
            .import_id(" 3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01 ")
            .is_ok());
        assert!(r
            .import_id("aa@contoso.com")
            .unwrap_err()
            .contains("object id"));
    }
}
