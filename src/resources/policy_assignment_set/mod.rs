//! `teamsphone_policy_assignment_set`: one policy granted directly to a set of users, thousands at a
//! time, in linear time.
//!
//! Reads come from the tenant snapshot (`client::snapshot`): one paged pass over
//! `userConfigurations` per provider process, shared with every other set, so a refresh of 100
//! shards of 1,000 users costs one pass of about 100 requests, not 100 passes. Writes are the difference between what the users hold and what is
//! planned, sent in batches (see `client::policy_assignment`). Users whose batch failed are named in
//! the error and left out of the state, so state records only what really happened, and the next
//! plan tries them again.
//!
//! Shards: several sets on one policy each manage their own users. Their writes take turns
//! ([`Client::assignment_writes`]); each set claims the users it plans, and a revoke skips users
//! another resource of this run claims, so a user moved between shards in one apply ends granted.
//!
//! A change by object id skips the apply's pass. Terraform plans again in the apply's process and
//! drops what the first plan put in private state, but it does hand over the state the plan's
//! refresh read, private state included: so `read` records the pass's size ([`RefreshMemo`]), and
//! an update whose added and removed users are all object ids ([`model::change_by_object_id`])
//! trusts that refresh: it grants the added, revokes the removed, and confirms with reads of just
//! those users (the recorded size lets the cost rule read them one by one). A principal name needs
//! the directory, so such a change, a rename, or a failed batch (a user deleted since the plan)
//! decides from a pass as before.
//!
//! The set manages the users it lists; other users holding the same policy directly are left alone,
//! and a user holding it through a group only does not count as holding it (that is not drift of a
//! direct assignment). Import takes `<policy type>/<policy name>` and brings in every user holding
//! the policy directly.
//!
//! The schema is in [`schema`], the model and its pure rules in [`model`], sending and confirming
//! writes in [`writes`]; this file decides what to write.

pub mod model;
pub mod schema;
mod writes;

use std::collections::HashSet;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::client::snapshot::TenantView;
use crate::client::workflows::PolicyLookup;
use crate::client::Client;
use crate::domain::policies::{validate_grant_name, validate_policy_type};
use crate::framework::bindings::{
    check_policy_binding, policy_lookup_error, policy_type_or_default, resolve_users,
    validate_user_set, warn_unready_grantees,
};
use crate::framework::diagnostics::{api_error, cannot_import, name_list, Reported};
use crate::framework::equality::Equality;
use crate::framework::replace::RequiresReplace;
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::values::{known_str, known_strings as members, list_of as set_of, owned};

use model::{
    all_holders, change_by_object_id, holding_members, holds, id_of, planned_id, removed_users,
};
pub use model::{Model, DEFAULT_MAX_UNASSIGN};
use writes::{send_grants, send_revokes, settle, write, Sent, Target};

const WHAT: &str = "policy assignment set";

/// The object ids of resolved users.
fn ids_of(resolved: &[(&str, String)]) -> Vec<String> {
    resolved.iter().map(|(_, id)| id.clone()).collect()
}

#[derive(Default)]
pub struct PolicyAssignmentSetResource;

/// What a set keeps in private state: the size of the pass its last refresh read. The apply's
/// process has not read the tenant, and with this its cost rule knows that confirming a few writes
/// one user at a time is cheaper than a scan. Lenient (`default`): a state written by another
/// version of the provider must not fail its plan over a cost hint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefreshMemo {
    pub pass_pages: usize,
}

impl PolicyAssignmentSetResource {
    /// An update carried out on the plan's refresh, without reading the tenant first (module
    /// essay): every user the change adds is granted and every user it removes is revoked. `None`
    /// when the change does not qualify ([`model::change_by_object_id`]) or a batch failed; then
    /// [`Self::converge`] decides from a pass, and what this sent is sent again if still needed.
    /// `Some(None)`: an error is reported (the policy's id could not be read).
    async fn update_from_refresh<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        memo: &RefreshMemo,
        prior: &Model<'a>,
        planned: &Model<'a>,
    ) -> Option<Write<'a, Self>> {
        let policy_type = known_str(&planned.policy_type).to_string();
        let name = known_str(&planned.policy_name).to_string();
        if !Equality::CaseInsensitive.same(known_str(&prior.policy_name), &name) {
            return None;
        }
        let change = change_by_object_id(&members(&prior.user_ids), &members(&planned.user_ids))?;
        client.note_pass_pages(memo.pass_pages);
        let writing = client.assignment_writes().await;
        client.claim_users(&policy_type, &change.added);
        let policy_id = if change.added.is_empty() {
            None
        } else {
            match self
                .policy_id(diags, client, "updating", &policy_type, &name)
                .await
            {
                Some(id) => Some(id),
                None => return Some(None),
            }
        };
        // Another shard of this run now holds the user: revoking would undo its grant.
        let revoke: Vec<String> = change
            .removed
            .into_iter()
            .filter(|id| !client.is_claimed(&policy_type, id))
            .collect();
        let target = Target {
            action: "updating",
            policy_type: &policy_type,
            name: &name,
            display: &|id: &str| id.to_string(),
        };
        // Grants first: a user deleted since the plan fails its whole batch, and then nothing
        // else is sent; a pass decides again, naming the missing users (its "nothing was
        // changed" stays true).
        let grants = send_grants(client, target, policy_id.as_deref(), &change.added).await;
        if !grants.errors.is_empty() {
            return None;
        }
        let revokes = send_revokes(client, target, &revoke).await;
        if !revokes.errors.is_empty() {
            // The grants stand; a pass decides the rest again (a repeated grant changes nothing).
            return None;
        }
        let sent = Sent { grants, revokes };
        let (_, confirmed) = settle(diags, client, writing, target, &sent, &name).await;
        // Readiness is judged on the users as read after the write (Enterprise Voice switched on
        // earlier in this apply counts), from the confirmation reads: no read of its own.
        if let Some(now) = confirmed {
            let grantees: Vec<_> = sent
                .grants
                .done
                .iter()
                .filter_map(|id| now.user(id))
                .collect();
            warn_unready_grantees(diags, "user_ids", (&policy_type, &name), &grantees);
        }
        let mut model = planned.clone();
        model.id = owned(id_of(&policy_type, &name));
        Some(Some(model))
    }

    /// Create and update in one: grants the planned users that do not hold the policy and revokes
    /// the prior members that are no longer planned (none on create), deciding while no other
    /// resource of this process writes (module essay).
    async fn converge<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        prior: Option<&Model<'a>>,
        mut planned: Model<'a>,
    ) -> Option<Model<'a>> {
        let action = if prior.is_some() {
            "updating"
        } else {
            "creating"
        };
        let policy_type = known_str(&planned.policy_type).to_string();
        let name = known_str(&planned.policy_name).to_string();
        let prior_name = prior.map_or(name.clone(), |p| known_str(&p.policy_name).to_string());
        let renamed = !Equality::CaseInsensitive.same(&prior_name, &name);
        let writing = client.assignment_writes().await;
        let dir = self.directory(diags, client, action, &name).await?;
        let planned_refs = members(&planned.user_ids);
        let resolved = resolve_users(diags, &dir, &planned_refs, (action, WHAT, &name))?;
        client.claim_users(&policy_type, &ids_of(&resolved));
        let planned_ids: HashSet<&str> = resolved.iter().map(|(_, id)| id.as_str()).collect();
        // Prior members that still exist; a deleted user has nothing left to revoke.
        let prior_refs = prior.map(|p| members(&p.user_ids)).unwrap_or_default();
        let prior_resolved: Vec<(&str, String)> = prior_refs
            .iter()
            .filter_map(|r| dir.get(r).map(|c| (*r, c.id().to_lowercase())))
            .collect();
        let grant: Vec<String> = resolved
            .iter()
            .filter(|(_, id)| !holds(&dir, id, &policy_type, &name))
            .map(|(_, id)| id.clone())
            .collect();
        // A create always checks that the policy exists; an update only when it grants.
        let policy_id = if prior.is_none() || !grant.is_empty() {
            Some(
                self.policy_id(diags, client, action, &policy_type, &name)
                    .await?,
            )
        } else {
            None
        };
        let revoke: Vec<String> = prior_resolved
            .iter()
            .filter(|(_, id)| !planned_ids.contains(id.as_str()))
            .filter(|(_, id)| holds(&dir, id, &policy_type, &prior_name))
            // Another shard of this run now holds the user: revoking would undo its grant.
            .filter(|(_, id)| !client.is_claimed(&policy_type, id))
            .map(|(_, id)| id.clone())
            .collect();
        // With this process's own writes applied: users switched to Enterprise Voice or given an
        // emergency policy earlier in this apply are ready.
        let grantees: Vec<_> = grant.iter().filter_map(|id| dir.user(id)).collect();
        warn_unready_grantees(diags, "user_ids", (&policy_type, &name), &grantees);
        let writes = write(
            diags,
            client,
            writing,
            Target {
                action,
                policy_type: &policy_type,
                name: &name,
                display: &|id: &str| dir.display(id),
            },
            policy_id.as_deref(),
            grant,
            revoke,
            &prior_name,
        )
        .await;
        let mut kept: Vec<String> = resolved
            .iter()
            .filter(|(_, id)| !writes.failed_grants.contains(id))
            .map(|(r, _)| r.to_string())
            .collect();
        // A create that granted no one has nothing to record.
        if prior.is_none() && kept.is_empty() && !planned_refs.is_empty() {
            return None;
        }
        if !renamed {
            // A user we failed to remove still holds the policy, so it stays in the set.
            kept.extend(
                prior_resolved
                    .iter()
                    .filter(|(_, id)| writes.failed_revokes.contains(id))
                    .map(|(r, _)| r.to_string()),
            );
        }
        planned.user_ids = set_of(kept);
        planned.id = owned(id_of(&policy_type, &name));
        Some(planned)
    }

    async fn policy_id(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        action: &str,
        policy_type: &str,
        name: &str,
    ) -> Option<String> {
        match client.policy_ids().get(client, policy_type, name).await {
            Ok(id) => Some(id),
            Err(e) => {
                policy_lookup_error(diags, action, WHAT, policy_type, name, client, e);
                None
            }
        }
    }

    async fn directory(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        action: &str,
        name: &str,
    ) -> Option<TenantView> {
        client
            .tenant_view()
            .await
            .or_report(diags, action, WHAT, name)
    }
}

#[async_trait]
impl ManagedResource for PolicyAssignmentSetResource {
    type Model<'a> = Model<'a>;
    type Private = Option<RefreshMemo>;
    /// Policy type and policy name.
    type ImportId = (String, String);

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, Model<'a>>> {
        vec![RequiresReplace::new(
            "policy_type",
            Equality::CaseInsensitive,
            |m| &m.policy_type,
        )]
    }

    fn validate(&self, diags: &mut Diagnostics, config: &Model<'_>) {
        check_policy_binding(diags, &config.policy_type, &config.policy_name);
        validate_user_set(diags, "user_ids", &config.user_ids);
        if let Value::Value(n) = config.max_unassign {
            if n < 0 {
                diags.error(
                    "Invalid max_unassign",
                    format!("{n} is negative; use 0 or more"),
                    AttributePath::new("max_unassign"),
                );
            }
        }
    }

    fn defaults(&self, planned: &mut Model<'_>) {
        planned.policy_type = policy_type_or_default(&planned.policy_type);
    }

    /// The id follows type and name (a rename re-grants in place); on update, the `max_unassign`
    /// guardrail refuses a plan that takes the policy from too many users.
    fn plan<'a>(
        &self,
        diags: &mut Diagnostics,
        m: &mut Model<'a>,
        step: Step<'_, Model<'a>, Option<RefreshMemo>>,
    ) -> Option<()> {
        m.id = planned_id(m);
        let Some(prior) = step.prior() else {
            return Some(());
        };
        let limit = m
            .max_unassign
            .as_ref_option()
            .copied()
            .unwrap_or(DEFAULT_MAX_UNASSIGN);
        let removed = if m.user_ids.is_unknown() {
            0
        } else {
            removed_users(&members(&prior.user_ids), &members(&m.user_ids))
        };
        if removed as i64 > limit {
            diags.error(
                "Too many users would lose the policy",
                format!(
                    "This change takes the policy from {removed} users, more than max_unassign ({limit}). If that is intended, set max_unassign to at least {removed}."
                ),
                AttributePath::new("user_ids"),
            );
            return None;
        }
        Some(())
    }

    /// Two sets of one type listing the same user would undo each other's grant on every apply
    /// (`client::planned_lists`): refused here, on `user_ids`, naming the users.
    async fn check_plan<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        planned: &Model<'a>,
        _is_new: bool,
    ) -> Option<()> {
        if planned.user_ids.is_unknown() || !planned.policy_type.is_value() {
            return Some(());
        }
        let policy_type = known_str(&planned.policy_type);
        let shared: Vec<String> = client
            .list_planned_users(policy_type, &members(&planned.user_ids))
            .into_iter()
            .map(str::to_string)
            .collect();
        if shared.is_empty() {
            return Some(());
        }
        diags.error(
            "Users listed by two policy assignment sets",
            format!(
                "{} user(s) of this set (policy {}) are also listed by another teamsphone_policy_assignment_set of {policy_type} in this configuration: {}. A user holds one policy of a type, so the two sets would undo each other's grant on every apply. List each user in one set (keep shards disjoint).",
                shared.len(),
                known_str(&planned.policy_name),
                name_list(&shared)
            ),
            AttributePath::new("user_ids"),
        );
        None
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, mut model: Model<'a>) -> Read<'a, Self> {
        let Cx {
            diags,
            client,
            private,
        } = cx;
        let policy_type = known_str(&model.policy_type).to_string();
        let name = known_str(&model.policy_name).to_string();
        let dir = self.directory(diags, client, "reading", &name).await?;
        // Terraform hands this to the apply's process (module essay).
        *private = client
            .pass_pages()
            .map(|pass_pages| RefreshMemo { pass_pages });
        let refs = members(&model.user_ids);
        let holding = holding_members(&dir, &refs, &policy_type, &name);
        if holding.len() != refs.len() {
            model.user_ids = set_of(holding);
        }
        Some(Value::Value(model))
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, model: Model<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        self.converge(diags, client, None, model).await
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx {
            diags,
            client,
            private,
        } = cx;
        let Change { prior, planned } = change;
        if let Some(memo) = private.as_ref() {
            let done = self.update_from_refresh(diags, client, memo, &prior, &planned);
            if let Some(written) = done.await {
                return written;
            }
        }
        self.converge(diags, client, Some(&prior), planned).await
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let policy_type = known_str(&prior.policy_type).to_string();
        let name = known_str(&prior.policy_name).to_string();
        let writing = client.assignment_writes().await;
        let dir = self.directory(diags, client, "deleting", &name).await?;
        let revoke: Vec<String> = members(&prior.user_ids)
            .into_iter()
            .filter(|r| holds(&dir, r, &policy_type, &name))
            .filter_map(|r| dir.get(r))
            .map(|c| c.id().to_lowercase())
            .filter(|id| !client.is_claimed(&policy_type, id))
            .collect();
        let writes = write(
            diags,
            client,
            writing,
            Target {
                action: "deleting",
                policy_type: &policy_type,
                name: &name,
                display: &|id: &str| dir.display(id),
            },
            None,
            Vec::new(),
            revoke,
            &name,
        )
        .await;
        writes.failed_revokes.is_empty().then_some(())
    }

    fn import_id(&self, id: &str) -> Result<(String, String), String> {
        id.trim()
            .split_once('/')
            .filter(|(t, n)| validate_policy_type(t).is_ok() && validate_grant_name(n).is_ok())
            .map(|(t, n)| (t.to_string(), n.to_string()))
            .ok_or_else(|| format!("{id:?} is not of the form <policy type>/<policy name>, e.g. TeamsSharedCallingRoutingPolicy/Seattle"))
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, id: &str, key: Self::ImportId) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let (policy_type, name) = key;
        if let Err(e) = client.policy_ids().get(client, &policy_type, &name).await {
            match e {
                PolicyLookup::Missing => cannot_import(
                    diags,
                    WHAT,
                    id,
                    format!(
                        "Tenant {} has no {policy_type} named {name:?}.",
                        client.tenant_id()
                    ),
                ),
                PolicyLookup::Failed(e) => api_error(diags, "importing", WHAT, id, &e),
            }
            return None;
        }
        let dir = self.directory(diags, client, "importing", &name).await?;
        Some(Model {
            id: owned(id_of(&policy_type, &name)),
            user_ids: set_of(all_holders(&dir, &policy_type, &name)),
            policy_type: owned(policy_type),
            policy_name: owned(name),
            max_unassign: Value::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::RefreshMemo;

    #[test]
    fn private_state_of_earlier_versions_reads_as_no_memo_or_an_empty_one() {
        let read = |text: &str| serde_json::from_str::<Option<RefreshMemo>>(text).unwrap();
        assert_eq!(read("null"), None);
        assert_eq!(read("{}"), Some(RefreshMemo { pass_pages: 0 }));
        assert_eq!(
            read(r#"{"pass_pages":101,"later":true}"#),
            Some(RefreshMemo { pass_pages: 101 })
        );
    }
}
