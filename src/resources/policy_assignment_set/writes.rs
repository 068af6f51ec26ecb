//! Sending a set's writes and waiting for them to show: grants and revokes go in batches
//! ([`send_grants`], [`send_revokes`]), then [`settle`] records what was accepted in the snapshot's journal, gives the write
//! turn to the next resource, reports the users whose batch failed, and waits until reads of the
//! written users agree (the shared confirmation scan, or single reads when few). Both ways an
//! update decides, from a pass or from the plan's refresh, and a delete end here.

use std::collections::HashSet;
use std::time::Instant;

use tf_provider::Diagnostics;

use super::WHAT;
use crate::client::api::policy_assignment::BatchOutcome;
use crate::client::snapshot::TenantView;
use crate::client::waits::{Backoff, Wait, PROPAGATION_BOUND};
use crate::client::Client;
use crate::framework::bindings::{not_yet_visible, split_outcomes};
use crate::framework::diagnostics::{api_error, name_list};

/// What one kind of write did: the users whose batch was accepted or failed, and one line per
/// failed batch.
#[derive(Default)]
pub(super) struct Outcome {
    pub(super) done: Vec<String>,
    pub(super) failed: Vec<String>,
    pub(super) errors: Vec<String>,
}

impl Outcome {
    fn of(outcomes: Vec<BatchOutcome>, display: &(dyn Fn(&str) -> String + Sync)) -> Outcome {
        let (done, failed, errors) = split_outcomes(outcomes, display);
        Outcome {
            done,
            failed,
            errors,
        }
    }
}

/// The grants and the revokes sent, for [`settle`].
pub(super) struct Sent {
    pub(super) grants: Outcome,
    pub(super) revokes: Outcome,
}

/// Which set writes, for the calls, the journal and the messages.
#[derive(Clone, Copy)]
pub(super) struct Target<'t> {
    /// "updating", "deleting", ...
    pub(super) action: &'t str,
    pub(super) policy_type: &'t str,
    pub(super) name: &'t str,
    /// How a user id reads in a message.
    pub(super) display: &'t (dyn Fn(&str) -> String + Sync),
}

/// Grants the policy to `users` in batches (nothing without a policy id: nothing to grant).
pub(super) async fn send_grants(
    client: &Client,
    target: Target<'_>,
    policy_id: Option<&str>,
    users: &[String],
) -> Outcome {
    match policy_id {
        Some(policy_id) if !users.is_empty() => {
            let outcomes = client
                .grant_user_policies(target.policy_type, policy_id, target.name, users)
                .await;
            Outcome::of(outcomes, target.display)
        }
        _ => Outcome::default(),
    }
}

/// Removes `users`' direct assignment of the type, in batches.
pub(super) async fn send_revokes(client: &Client, target: Target<'_>, users: &[String]) -> Outcome {
    if users.is_empty() {
        return Outcome::default();
    }
    let outcomes = client.revoke_user_policies(target.policy_type, users).await;
    Outcome::of(outcomes, target.display)
}

/// The users whose write failed; everyone else was changed.
pub(super) struct Writes {
    pub(super) failed_grants: HashSet<String>,
    pub(super) failed_revokes: HashSet<String>,
}

/// Grants and revokes in batches, reports failures by user, records what was accepted in the
/// snapshot's journal, lets other resources write (`writing` is the write turn), then waits for
/// reads to agree.
#[allow(clippy::too_many_arguments)]
pub(super) async fn write(
    diags: &mut Diagnostics,
    client: &Client,
    writing: tokio::sync::MutexGuard<'_, ()>,
    target: Target<'_>,
    policy_id: Option<&str>,
    grant: Vec<String>,
    revoke: Vec<String>,
    revoke_name: &str,
) -> Writes {
    let sent = Sent {
        grants: send_grants(client, target, policy_id, &grant).await,
        revokes: send_revokes(client, target, &revoke).await,
    };
    settle(diags, client, writing, target, &sent, revoke_name)
        .await
        .0
}

/// After the writes were sent: records the accepted ones in the journal, gives up the write turn,
/// reports the failures, and waits for reads to agree; answers the users whose write failed and
/// the last confirmation read (the written users as the server shows them, our writes applied).
pub(super) async fn settle(
    diags: &mut Diagnostics,
    client: &Client,
    writing: tokio::sync::MutexGuard<'_, ()>,
    target: Target<'_>,
    sent: &Sent,
    revoke_name: &str,
) -> (Writes, Option<TenantView>) {
    let Target {
        action,
        policy_type,
        name,
        display,
    } = target;
    let (granted, revoked) = (&sent.grants.done, &sent.revokes.done);
    let (failed_grants, failed_revokes) = (&sent.grants.failed, &sent.revokes.failed);
    client.note_policy_writes(policy_type, Some(name), granted);
    client.note_policy_writes(policy_type, None, revoked);
    drop(writing);
    // Reads asked for from now on show the writes (each round then asks for newer ones).
    let mut since = Instant::now();
    let errors: Vec<&str> = [&sent.grants.errors, &sent.revokes.errors]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !errors.is_empty() {
        let failed: Vec<String> = failed_grants
            .iter()
            .chain(failed_revokes)
            .map(|u| display(u))
            .collect();
        diags.root_error(
            format!("{} user(s) could not be changed", failed.len()),
            format!(
                "{action} {WHAT} ({name}): these users were not changed and are left out of the state: {}.\n{}",
                name_list(&failed),
                errors.join("\n")
            ),
        );
    }
    // Wait until reads show every accepted write.
    let mut wait = Wait::for_at_most(Backoff::PROPAGATION, PROPAGATION_BOUND);
    let mut pending = granted.len() + revoked.len();
    let written: Vec<String> = granted.iter().chain(revoked).cloned().collect();
    let mut last = None;
    while pending > 0 && wait.pause(None).await {
        // Our users as read after `since`, from the scan every waiting resource shares.
        match client.confirmation_view(since, &written).await {
            Ok(now) => {
                // A next round must not be answered by these same reads.
                since = Instant::now();
                // Waiting for what this process wrote last: a user revoked here and since
                // granted by another shard is waited for as granted.
                pending = granted
                    .iter()
                    .filter(|u| now.holds(u, policy_type, name))
                    .filter(|u| !now.server_holds(u, policy_type, name))
                    .count()
                    + revoked
                        .iter()
                        .filter(|u| !now.holds(u, policy_type, revoke_name))
                        .filter(|u| now.server_holds(u, policy_type, revoke_name))
                        .count();
                last = Some(now);
            }
            Err(e) => {
                api_error(diags, action, WHAT, name, &e);
                break;
            }
        }
    }
    if pending > 0 {
        not_yet_visible(diags, WHAT, name, pending);
    }
    let writes = Writes {
        failed_grants: failed_grants.iter().cloned().collect(),
        failed_revokes: failed_revokes.iter().cloned().collect(),
    };
    (writes, last)
}
