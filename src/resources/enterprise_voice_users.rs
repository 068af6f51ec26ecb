//! `teamsphone_enterprise_voice_users`: Enterprise Voice switched on for a set of users without
//! giving them a phone number, which is what Shared Calling users need.
//!
//! Reads are one paged pass over `userConfigurations` (`isEnterpriseVoiceEnabled`, and the numbers a
//! user holds). There is no batch call for the switch, so writes are one request per user that
//! actually changes. Removing a user from the set, or destroying the resource, switches Enterprise
//! Voice off again, except for users holding a phone number: they need it for that number, and
//! turning it off would break their calling. Users whose write failed are named and left out of the
//! state. Users to switch on who have no Teams Phone license (`featureTypes` without `PhoneSystem`)
//! are refused by name before any write, rather than one by one halfway through. Import takes a
//! comma-separated list of object ids or principal names.

use std::collections::HashSet;
use std::time::Instant;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::Diagnostics;

use crate::client::snapshot::TenantView;
use crate::client::waits::{Backoff, Wait, PROPAGATION_BOUND};
use crate::client::Client;
use crate::domain::directory::validate_user_ref;
use crate::framework::attributes::schema_of;
use crate::framework::bindings::{
    not_yet_visible, require_teams_phone, resolve_users, user_set_attribute, validate_user_set,
    UserRefs,
};
use crate::framework::diagnostics::{api_error, name_list, Reported};
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Write};
use crate::framework::values::{known_strings as members, list_of as set_of};

const WHAT: &str = "Enterprise Voice users";
/// What this resource claims users for in the tenant snapshot, so that a user moved from one set
/// to another in one apply is not switched off after being switched on.
const CLAIM: &str = "EnterpriseVoice";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Model<'a> {
    pub user_ids: UserRefs<'a>,
}

#[derive(Default)]
pub struct EnterpriseVoiceUsersResource;

fn schema() -> Schema {
    schema_of(
"Enables Enterprise Voice for users without assigning them a phone number (`Set-CsPhoneNumberAssignment -EnterpriseVoiceEnabled $true`), as Shared Calling requires. Removing a user disables it again unless the user holds a phone number. Import with a comma-separated list of users.",
[(
                "user_ids",
                user_set_attribute("Users to enable: object ids or user principal names (case-insensitive; your spelling is kept)."),
            )],
)
}

/// The members of `refs` that exist and have Enterprise Voice on.
pub fn enabled_members(dir: &TenantView, refs: &[&str]) -> Vec<String> {
    refs.iter()
        .filter(|r| dir.user(r).is_some_and(|c| c.is_enterprise_voice_enabled()))
        .map(|r| r.to_string())
        .collect()
}

/// Users (object ids) to switch off when they leave the set: those on, and without a number.
pub fn to_disable(dir: &TenantView, leaving: &[&str]) -> Vec<String> {
    leaving
        .iter()
        .filter_map(|r| dir.user(r))
        .filter(|c| c.is_enterprise_voice_enabled() && !c.holds_a_number())
        .map(|c| c.id().to_lowercase())
        .collect()
}

/// The users of `refs` to switch on: those that exist with Enterprise Voice off.
fn to_enable(dir: &TenantView, resolved: &[(&str, String)]) -> Vec<String> {
    resolved
        .iter()
        .filter(|(r, _)| {
            dir.user(r)
                .is_some_and(|c| !c.is_enterprise_voice_enabled())
        })
        .map(|(_, id)| id.clone())
        .collect()
}

async fn read_directory(
    diags: &mut Diagnostics,
    client: &Client,
    action: &str,
) -> Option<TenantView> {
    client
        .tenant_view()
        .await
        .or_report(diags, action, WHAT, "users")
}

/// Switches each user on or off (in the write turn `writing`), then waits for reads to agree.
/// Returns the ids that failed.
async fn switch(
    diags: &mut Diagnostics,
    client: &Client,
    writing: tokio::sync::MutexGuard<'_, ()>,
    dir: &TenantView,
    action: &str,
    enable: &[String],
    disable: &[String],
) -> HashSet<String> {
    let mut failed = HashSet::new();
    let mut errors = Vec::new();
    for (ids, on) in [(enable, true), (disable, false)] {
        for id in ids {
            if let Err(e) = client
                .set_cs_phone_number_assignment_enterprise_voice(id, on)
                .await
            {
                errors.push(format!("{}: {e}", dir.display(id)));
                failed.insert(id.clone());
            }
        }
        let done: Vec<String> = ids
            .iter()
            .filter(|id| !failed.contains(*id))
            .cloned()
            .collect();
        client.note_voice_writes(&done, on);
    }
    drop(writing);
    if !errors.is_empty() {
        let names: Vec<String> = failed.iter().map(|id| dir.display(id)).collect();
        diags.root_error(
            format!("{} user(s) could not be changed", failed.len()),
            format!(
                "{action} {WHAT}: these users were not changed and are left out of the state: {}.\n{}",
                name_list(&names),
                name_list(&errors)
            ),
        );
    }
    let mut wait = Wait::for_at_most(Backoff::PROPAGATION, PROPAGATION_BOUND);
    let mut pending = enable.len() + disable.len() - failed.len();
    // Reads asked for from now on show the writes (each round then asks for newer ones).
    let mut since = Instant::now();
    let written: Vec<String> = enable.iter().chain(disable).cloned().collect();
    while pending > 0 && wait.pause(None).await {
        // Our users as read after `since`, compared without our journal.
        match client.confirmation_view(since, &written).await {
            Ok(now) => {
                // A next round must not be answered by these same reads.
                since = Instant::now();
                // Still wrong: the server differs from what this process wrote last (another
                // set may have switched the user back since).
                let wrong = |id: &String, on: bool| {
                    !failed.contains(id)
                        && now
                            .user(id)
                            .is_some_and(|c| c.is_enterprise_voice_enabled() == on)
                        && now
                            .get(id)
                            .is_some_and(|c| c.is_enterprise_voice_enabled() != on)
                };
                pending = enable.iter().filter(|id| wrong(id, true)).count()
                    + disable.iter().filter(|id| wrong(id, false)).count();
            }
            Err(e) => {
                api_error(diags, action, WHAT, "users", &e);
                break;
            }
        }
    }
    if pending > 0 {
        not_yet_visible(diags, WHAT, "users", pending);
    }
    failed
}

/// Records that this resource plans the users to have Enterprise Voice on.
fn claim(client: &Client, resolved: &[(&str, String)]) {
    let ids: Vec<String> = resolved.iter().map(|(_, id)| id.clone()).collect();
    client.claim_users(CLAIM, &ids);
}

#[async_trait]
impl ManagedResource for EnterpriseVoiceUsersResource {
    type Model<'a> = Model<'a>;
    type Private = ValueEmpty;
    /// The users named, as written.
    type ImportId = Vec<String>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &Model<'_>) {
        validate_user_set(diags, "user_ids", &config.user_ids);
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, mut model: Model<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let dir = read_directory(diags, client, "reading").await?;
        let refs = members(&model.user_ids);
        let enabled = enabled_members(&dir, &refs);
        if enabled.len() != refs.len() {
            model.user_ids = set_of(enabled);
        }
        Some(Value::Value(model))
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, mut model: Model<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let writing = client.assignment_writes().await;
        let dir = read_directory(diags, client, "creating").await?;
        let refs = members(&model.user_ids);
        let resolved = resolve_users(diags, &dir, &refs, ("creating", WHAT, "users"))?;
        let enable = to_enable(&dir, &resolved);
        require_teams_phone(
            diags,
            ("creating", WHAT),
            enable.iter().filter_map(|id| dir.get(id)),
        )?;
        claim(client, &resolved);
        let failed = switch(diags, client, writing, &dir, "creating", &enable, &[]).await;
        let kept: Vec<String> = resolved
            .iter()
            .filter(|(_, id)| !failed.contains(id))
            .map(|(r, _)| r.to_string())
            .collect();
        if kept.is_empty() && !refs.is_empty() {
            return None;
        }
        model.user_ids = set_of(kept);
        Some(model)
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Change { prior, mut planned } = change;
        let writing = client.assignment_writes().await;
        let dir = read_directory(diags, client, "updating").await?;
        let planned_refs = members(&planned.user_ids);
        let resolved = resolve_users(diags, &dir, &planned_refs, ("updating", WHAT, "users"))?;
        claim(client, &resolved);
        let staying: HashSet<&str> = resolved.iter().map(|(_, id)| id.as_str()).collect();
        let prior_refs = members(&prior.user_ids);
        let leaving: Vec<&str> = prior_refs
            .iter()
            .copied()
            .filter(|r| {
                dir.get(r).is_some_and(|c| {
                    let id = c.id().to_lowercase();
                    !staying.contains(id.as_str()) && !client.is_claimed(CLAIM, &id)
                })
            })
            .collect();
        let enable = to_enable(&dir, &resolved);
        let disable = to_disable(&dir, &leaving);
        require_teams_phone(
            diags,
            ("updating", WHAT),
            enable.iter().filter_map(|id| dir.get(id)),
        )?;
        let failed = switch(diags, client, writing, &dir, "updating", &enable, &disable).await;
        let mut kept: Vec<String> = resolved
            .iter()
            .filter(|(_, id)| !failed.contains(id))
            .map(|(r, _)| r.to_string())
            .collect();
        kept.extend(
            leaving
                .iter()
                .filter(|r| {
                    dir.get(r)
                        .is_some_and(|c| failed.contains(&c.id().to_lowercase()))
                })
                .map(|r| r.to_string()),
        );
        planned.user_ids = set_of(kept);
        Some(planned)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let writing = client.assignment_writes().await;
        let dir = read_directory(diags, client, "deleting").await?;
        let disable: Vec<String> = to_disable(&dir, &members(&prior.user_ids))
            .into_iter()
            .filter(|id| !client.is_claimed(CLAIM, id))
            .collect();
        let failed = switch(diags, client, writing, &dir, "deleting", &[], &disable).await;
        failed.is_empty().then_some(())
    }

    fn import_id(&self, id: &str) -> Result<Vec<String>, String> {
        let refs: Vec<String> = id
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        match refs
            .iter()
            .find_map(|r| validate_user_ref(r).err())
            .or_else(|| refs.is_empty().then(|| "the list is empty".to_string()))
        {
            Some(problem) => Err(format!("Import Enterprise Voice users as a comma-separated list of object ids or user principal names: {problem}")),
            None => Ok(refs),
        }
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, _: &str, refs: Vec<String>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let dir = read_directory(diags, client, "importing").await?;
        resolve_users(diags, &dir, &refs, ("importing", WHAT, "users"))?;
        Some(Model {
            user_ids: set_of(enabled_members(&dir, &refs)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::api::policy_assignment::{TeamsUserConfiguration, UserTelephoneNumber};

    fn user(id: &str, upn: &str, ev: bool, number: bool) -> TeamsUserConfiguration {
        TeamsUserConfiguration {
            id: id.into(),
            user_principal_name: upn.into(),
            is_enterprise_voice_enabled: ev,
            telephone_numbers: if number {
                vec![UserTelephoneNumber {
                    telephone_number: "+12065550100".into(),
                }]
            } else {
                vec![]
            },
            ..Default::default()
        }
    }

    #[test]
    fn users_with_a_number_keep_enterprise_voice() {
        let dir = TenantView::of(&[
            user(
                "aaaaaaaa-0000-0000-0000-000000000001",
                "ann@contoso.com",
                true,
                false,
            ),
            user(
                "aaaaaaaa-0000-0000-0000-000000000002",
                "bob@contoso.com",
                true,
                true,
            ),
            user(
                "aaaaaaaa-0000-0000-0000-000000000003",
                "cy@contoso.com",
                false,
                false,
            ),
        ]);
        let refs = [
            "Ann@contoso.com",
            "bob@contoso.com",
            "cy@contoso.com",
            "gone@contoso.com",
        ];
        assert_eq!(
            to_disable(&dir, &refs),
            vec!["aaaaaaaa-0000-0000-0000-000000000001"]
        );
        assert_eq!(
            enabled_members(&dir, &refs),
            vec!["Ann@contoso.com", "bob@contoso.com"]
        );
    }
}
