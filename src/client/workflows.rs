//! Sequences of calls that together make one thing happen, so that resources state what they want
//! and never choreograph the API themselves.
//!
//! - [`Client::follow_number_assignment`]: after `assignNumber` was accepted, follow its operation to
//!   a final status, then re-read the number until it shows the target activated (a short grace, since
//!   the operation already said it succeeded). The outcome says which of four things happened; the
//!   resource decides what each means for state.
//! - [`Client::unassign_all_numbers`]: every number a target holds, unassigned and waited for
//!   (Microsoft's rule: a number still held by a deleted account gets stuck pending).
//! - [`Client::count_policy_grants`]: how many users and groups hold a policy directly (from the
//!   tenant snapshot, see `snapshot`).
//! - [`PolicyIds`]: policy ids looked up once per client (provider instance), since many resources
//!   grant one policy.
//! - [`Client::create_application_instance`] and [`Client::application_instance`]: a resource
//!   account's create resolved by principal name when its answer names no object id, and a single
//!   read checked against the list when it answers 404 or 405 (contract section 2).
//! - [`Client::associate_application_instance`]: an association written and followed to its end:
//!   "endpoint not found" is retried while a new account becomes visible, "pending" is polled
//!   through the status read; the endpoint's last result comes back for the caller to explain.
//! - [`Client::policy_numbers`]: what the inventory shows of a shared calling policy's resource
//!   account and emergency numbers, for `domain::policy_numbers` to judge before the write.
//! - [`auto_attendants`]: an auto attendant and its schedules created, updated and deleted as one
//!   thing, cleaning up after a write that fails part way.
//! - [`creates`]: creates of objects without a unique key (auto attendants, schedules, call
//!   queues) that an unanswered attempt never makes twice: look for what it made, adopt or resend.
//!
//! Waiting for a grant to show in reads is a [`Wait`] on
//! [`Backoff::PROPAGATION`](super::waits::Backoff::PROPAGATION) in the caller's
//! loop, because only the caller knows which users it is waiting for.

pub mod auto_attendants;
pub mod creates;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::api::number_operations::{OperationStatus, WaitError};
use super::api::numbers::NumberAssignment;
use super::api::resource_accounts::{ApplicationInstance, NewApplicationInstance};
use super::api::voice_apps::{AssociationProblem, AssociationResult, NewAssociation};
use super::http::error::Service;
use super::waits::{wait_until_found, Backoff, Wait};
use super::{ApiError, Client};
use crate::domain::numbers::ACTIVATED;
use crate::domain::policies::names_policy;
use crate::domain::text::same_id;

/// The inventory's view of a shared calling policy's numbers (see [`Client::policy_numbers`]).
pub struct PolicyNumbers {
    /// The numbers the resource account holds.
    pub account: Vec<NumberAssignment>,
    /// Each emergency number as given, with the inventory's entry (`None`: not in the tenant).
    pub emergency: Vec<(String, Option<NumberAssignment>)>,
}

impl Client {
    /// Reads what the number rules of a shared calling policy need: the numbers `account` holds,
    /// and each of `emergency`. `None` when the tenant lists no numbers at all: the inventory then
    /// says nothing (an app that may not read it sees none), and the service judges alone.
    pub async fn policy_numbers(
        &self,
        account: &str,
        emergency: &[String],
    ) -> Result<Option<PolicyNumbers>, ApiError> {
        let held = self.list_numbers_held_by(account).await?;
        if held.is_empty() && !self.tenant_lists_numbers().await? {
            return Ok(None);
        }
        let mut numbers = Vec::with_capacity(emergency.len());
        for number in emergency {
            let found = self.get_cs_phone_number_assignment(number).await?;
            numbers.push((number.clone(), found));
        }
        Ok(Some(PolicyNumbers {
            account: held,
            emergency: numbers,
        }))
    }
}

/// How long a number may take to show as activated after its operation succeeded.
const SETTLE_GRACE: Duration = Duration::from_secs(30);

/// How following a number assignment ended.
#[derive(Debug)]
pub enum AssignmentOutcome {
    /// The operation failed; the text is Teams' `statusDetail`.
    Failed(String),
    /// The deadline passed while the operation still ran (or its polls failed); the text says why.
    StillRunning(String),
    /// The number shows the target, activated.
    Activated(NumberAssignment),
    /// The operation succeeded, but the number then showed something else (or nothing).
    NotActivated(Option<NumberAssignment>),
}

fn is_activated_for(n: &NumberAssignment, target: &str) -> bool {
    same_id(n.assignment_target_id.as_deref(), Some(target))
        && n.activation_state.as_deref() == Some(ACTIVATED)
}

/// Policy ids by (type, name), looked up once per provider process: many resources grant one policy.
#[derive(Clone, Default)]
pub struct PolicyIds(Arc<Mutex<HashMap<(String, String), String>>>);

/// Why a policy could not be granted.
pub enum PolicyLookup {
    Missing,
    Failed(ApiError),
}

impl PolicyIds {
    pub async fn get(
        &self,
        client: &Client,
        policy_type: &str,
        name: &str,
    ) -> Result<String, PolicyLookup> {
        let key = (policy_type.to_lowercase(), name.to_lowercase());
        if let Some(id) = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(id.clone());
        }
        match client.get_mg_teams_policy_id(policy_type, name).await {
            Ok(Some(found)) => {
                self.0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, found.policy_id.clone());
                Ok(found.policy_id)
            }
            Ok(None) => Err(PolicyLookup::Missing),
            Err(e) => Err(PolicyLookup::Failed(e)),
        }
    }
}

impl Client {
    /// Writes `new` (one endpoint) and follows it until it succeeds, is refused, or `deadline`
    /// passes; the endpoint's last result (see module essay).
    pub async fn associate_application_instance(
        &self,
        new: &NewAssociation,
        deadline: Instant,
    ) -> Result<AssociationResult, ApiError> {
        let endpoint = new.endpoints_ids.first().cloned().unwrap_or_default();
        let mut wait = Wait::until(Backoff::CONSISTENCY, deadline);
        let mut result = loop {
            let result = self
                .new_cs_online_application_instance_association(new)
                .await?;
            match result.problem() {
                Some(AssociationProblem::EndpointNotFound) if wait.pause(None).await => continue,
                _ => break result,
            }
        };
        let mut wait = Wait::until(Backoff::OPERATION_POLL, deadline);
        while result.problem() == Some(AssociationProblem::Pending) && wait.pause(None).await {
            if let Some(status) = self
                .get_cs_online_application_instance_association_status(&endpoint)
                .await?
            {
                result = status;
            }
        }
        Ok(result)
    }

    /// Follows the assignment operation `operation_id` of `number` to `target` (see module essay).
    pub async fn follow_number_assignment(
        &self,
        operation_id: &str,
        number: &str,
        target: &str,
        deadline: Instant,
    ) -> Result<AssignmentOutcome, ApiError> {
        match self.wait_for_number_operation(operation_id, deadline).await {
            Ok(op) if op.status() == OperationStatus::Failed => {
                return Ok(AssignmentOutcome::Failed(op.detail()))
            }
            Ok(_) => {}
            Err(e) => return Ok(AssignmentOutcome::StillRunning(e.for_user())),
        }
        Ok(
            match self
                .settle_number_assignment(number, target, deadline)
                .await?
            {
                Some(n) if is_activated_for(&n, target) => AssignmentOutcome::Activated(n),
                other => AssignmentOutcome::NotActivated(other),
            },
        )
    }

    /// Re-reads `number` until it shows `target` activated, or a short grace passes (bounded by
    /// `deadline`): the activated number, else what the last read showed.
    pub async fn settle_number_assignment(
        &self,
        number: &str,
        target: &str,
        deadline: Instant,
    ) -> Result<Option<NumberAssignment>, ApiError> {
        let grace = deadline.min(Instant::now() + SETTLE_GRACE);
        let last = Mutex::new(None);
        let (found, _) = wait_until_found(grace, || async {
            let n = self.get_cs_phone_number_assignment(number).await?;
            let done = n.as_ref().is_some_and(|n| is_activated_for(n, target));
            *last.lock().unwrap_or_else(|e| e.into_inner()) = n.clone();
            Ok::<_, ApiError>(if done { n } else { None })
        })
        .await?;
        Ok(found.or_else(|| last.into_inner().unwrap_or_else(|e| e.into_inner())))
    }

    /// Unassigns every number `object_id` holds, waiting for each operation; the error says which
    /// number and why.
    pub async fn unassign_all_numbers(
        &self,
        object_id: &str,
        deadline: Instant,
    ) -> Result<(), String> {
        let held = self
            .list_numbers_held_by(object_id)
            .await
            .map_err(|e| format!("listing its phone numbers: {e}"))?;
        for number in held {
            let number_type = number.number_type.clone().unwrap_or_default();
            let op = self
                .remove_cs_phone_number_assignment(&number.telephone_number, &number_type)
                .await
                .map_err(|e| format!("unassigning {}: {e}", number.telephone_number))?;
            let done = self
                .wait_for_number_operation(&op, deadline)
                .await
                .map_err(|e: WaitError| {
                    format!("unassigning {}: {}", number.telephone_number, e.for_user())
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

    /// How many users hold policy `name` of `policy_type` directly and how many groups it is
    /// assigned to: the tenant snapshot (this process's writes applied) and one read of group
    /// assignments.
    pub async fn count_policy_grants(
        &self,
        policy_type: &str,
        name: &str,
    ) -> Result<(usize, usize), ApiError> {
        let users = self
            .tenant_view()
            .await?
            .all_users()
            .iter()
            .filter(|c| {
                c.direct_policy(policy_type)
                    .is_some_and(|p| p.eq_ignore_ascii_case(name))
            })
            .count();
        let groups = self
            .get_cs_group_policy_assignments()
            .await?
            .iter()
            .filter(|g| {
                g.policy_type.eq_ignore_ascii_case(policy_type)
                    && names_policy(&g.policy_name, name)
            })
            .count();
        Ok((users, groups))
    }
}

/// Resource accounts: the create and single read whose answers public evidence shows in more than
/// one shape (contract section 2).
impl Client {
    /// Creates the application instance and names its object id. A create that answered without one
    /// (no body, or no `objectId`) is resolved by principal name through Graph, waiting out the
    /// new account's invisibility until `deadline`.
    pub async fn create_application_instance(
        &self,
        new: &NewApplicationInstance,
        deadline: Instant,
    ) -> Result<ApplicationInstance, ApiError> {
        if let Some(created) = self.new_cs_online_application_instance(new).await? {
            return Ok(created);
        }
        let upn = &new.user_principal_name;
        match wait_until_found(deadline, || self.get_mg_user(upn)).await? {
            (Some(user), _) => Ok(ApplicationInstance {
                object_id: user.id,
                user_principal_name: user.user_principal_name,
                display_name: Some(new.display_name.clone()),
                application_id: Some(new.application_id.clone()),
                phone_number: None,
            }),
            (None, tries) => Err(ApiError::InvalidResponse {
                service: Service::Teams,
                status: 200,
                detail: format!(
                    "New-CsOnlineApplicationInstance answered without the new account's objectId, \
                     and Graph showed no user '{}' after {tries} tries",
                    self.transport.scrubber().clean(upn, 120)
                ),
            }),
        }
    }

    /// The application instance of account `object_id`, `None` when Teams has none. A single
    /// read that answers 404 or 405 is checked against the list, which public clients use where
    /// the single read is not served.
    pub async fn application_instance(
        &self,
        object_id: &str,
    ) -> Result<Option<ApplicationInstance>, ApiError> {
        match self.get_cs_online_application_instance(object_id).await {
            Ok(Some(found)) => return Ok(Some(found)),
            Ok(None) => {}
            Err(e) if e.status() == Some(405) => {}
            Err(e) => return Err(e),
        }
        Ok(self
            .list_cs_online_application_instances()
            .await?
            .into_iter()
            .find(|instance| instance.object_id.eq_ignore_ascii_case(object_id)))
    }
}
