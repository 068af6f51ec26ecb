//! Number operations: the long-running assign and unassign Graph answers with `202` and a
//! `Location` to poll, and the synchronous location update.
//!
//! An operation is `notStarted` for one step (`settings.operation_step_ms`), `running` for the
//! next, then final. Its outcome is decided when it is submitted ([`super::rules`] see the tenant
//! as it is then) and its effect lands once it is final: [`advance`] applies every operation whose
//! time has come, and every route that reads or writes numbers calls it first, so no background
//! task is needed and a restarted emulator resumes exactly. A valid assignment marks the number
//! `assignmentPending` for its target straight away, so a second assignment of the same number
//! fails even while the first is still running.

use serde::{Deserialize, Serialize};

use super::inventory::{activated, number, number_mut};
use super::requests::AssignRequest;
use super::rules::{assign_failure, check_location, usable_number};
use crate::directory::find_user;
use crate::policy::normalize_guid;
use crate::state::Tenant;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OperationKind {
    Assign,
    Unassign,
}

/// A submitted assign or unassign, and what it will do when its time comes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NumberOperation {
    pub id: String,
    pub kind: OperationKind,
    pub telephone_number: String,
    pub created_at_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// `statusDetail` of a failure decided at submission; `None` succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// Nothing to do (unassigning a free number): the operation ends `skipped`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skip: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub applied: bool,
}

impl NumberOperation {
    /// `notStarted`, `running`, then the final status, one step each.
    pub fn status(&self, now_ms: u64, step_ms: u64) -> &'static str {
        let age = now_ms.saturating_sub(self.created_at_ms);
        if age < step_ms {
            "notStarted"
        } else if age < 2 * step_ms {
            "running"
        } else if self.failure.is_some() {
            "failed"
        } else if self.skip {
            "skipped"
        } else {
            "succeeded"
        }
    }

    fn due(&self, now_ms: u64, step_ms: u64) -> bool {
        now_ms.saturating_sub(self.created_at_ms) >= 2 * step_ms
    }
}

/// Most operations kept per tenant; the oldest finished ones go first.
const MAX_OPERATIONS: usize = 1000;

/// Whether any operation is waiting for [`advance`].
pub fn any_due(tenant: &Tenant, now_ms: u64, step_ms: u64) -> bool {
    tenant
        .number_operations
        .iter()
        .any(|o| !o.applied && o.due(now_ms, step_ms))
}

/// Applies every operation whose time has come.
pub fn advance(tenant: &mut Tenant, now_ms: u64, step_ms: u64) {
    for i in 0..tenant.number_operations.len() {
        let op = &tenant.number_operations[i];
        if op.applied || !op.due(now_ms, step_ms) {
            continue;
        }
        let op = op.clone();
        tenant.number_operations[i].applied = true;
        if op.failure.is_some() || op.skip {
            continue;
        }
        match op.kind {
            OperationKind::Assign => finish_assign(tenant, &op),
            OperationKind::Unassign => finish_unassign(tenant, &op),
        }
    }
    let finished = tenant
        .number_operations
        .iter()
        .filter(|o| o.applied)
        .count();
    if tenant.number_operations.len() > MAX_OPERATIONS && finished > 0 {
        let mut drop = tenant.number_operations.len() - MAX_OPERATIONS;
        tenant.number_operations.retain(|o| {
            let gone = drop > 0 && o.applied;
            drop -= usize::from(gone);
            !gone
        });
    }
}

fn finish_assign(tenant: &mut Tenant, op: &NumberOperation) {
    let target = op.target_id.clone().unwrap_or_default();
    if let Some(n) = number_mut(tenant, &op.telephone_number) {
        n.assignment_target_id = Some(target.clone());
        n.assignment_category = op.assignment_category.clone();
        if op.location_id.is_some() {
            n.location_id = op.location_id.clone();
        }
        n.activation_state = activated();
    }
    if let Some(u) = tenant.users.iter_mut().find(|u| u.id == target) {
        u.enterprise_voice_enabled = true;
    }
}

fn finish_unassign(tenant: &mut Tenant, op: &NumberOperation) {
    let mut former = None;
    if let Some(n) = number_mut(tenant, &op.telephone_number) {
        former = n.assignment_target_id.take();
        n.assignment_category = None;
        // The emergency location belongs to the assignment in the emulator: an unassigned number is
        // back to how it sat in the inventory.
        n.location_id = None;
        n.activation_state = activated();
    }
    if let Some(id) = former {
        let still_holds = tenant
            .phone_numbers
            .iter()
            .any(|n| n.assignment_target_id.as_deref() == Some(&id));
        if let Some(u) = tenant.users.iter_mut().find(|u| u.id == id) {
            u.enterprise_voice_enabled = still_holds;
        }
    }
}

/// Submits an assignment. `Err` is a synchronous 404: the target user does not exist (or is not yet
/// visible). Every other rule fails the operation instead, as Teams does.
pub fn submit_assign(
    tenant: &mut Tenant,
    req: AssignRequest,
    id: String,
    now_ms: u64,
    target_visible: bool,
) -> Result<NumberOperation, String> {
    let target = match find_user(&tenant.users, &req.target_id) {
        Some(u) if target_visible => u.clone(),
        _ => return Err(format!("User '{}' not found.", req.target_id)),
    };
    let failure = assign_failure(tenant, &req, &target);
    if failure.is_none() {
        if let Some(n) = number_mut(tenant, &req.telephone_number) {
            if n.assignment_target_id.is_none() {
                n.assignment_target_id = Some(target.id.clone());
                n.activation_state = "assignmentPending".into();
            }
        }
    }
    let op = NumberOperation {
        id,
        kind: OperationKind::Assign,
        telephone_number: req.telephone_number,
        created_at_ms: now_ms,
        target_id: Some(target.id),
        assignment_category: Some(req.assignment_category),
        location_id: req.location_id,
        failure,
        skip: false,
        applied: false,
    };
    tenant.number_operations.push(op.clone());
    Ok(op)
}

pub fn submit_unassign(
    tenant: &mut Tenant,
    telephone_number: String,
    number_type: &str,
    id: String,
    now_ms: u64,
) -> NumberOperation {
    let (failure, skip) = match usable_number(tenant, &telephone_number, number_type) {
        Err(refusal) => (Some(refusal), false),
        Ok(n) => (None, n.assignment_target_id.is_none()),
    };
    let op = NumberOperation {
        id,
        kind: OperationKind::Unassign,
        telephone_number,
        created_at_ms: now_ms,
        target_id: None,
        assignment_category: None,
        location_id: None,
        failure,
        skip,
        applied: false,
    };
    tenant.number_operations.push(op.clone());
    op
}

/// Why `updateNumber` is refused (400), or `Ok` after setting or clearing the location.
pub enum UpdateError {
    NotFound(String),
    Invalid(String),
}

pub fn update_location(
    tenant: &mut Tenant,
    telephone_number: &str,
    location: Option<String>,
) -> Result<(), UpdateError> {
    let Some(n) = number(tenant, telephone_number) else {
        return Err(UpdateError::NotFound(format!(
            "Telephone Number '{telephone_number}' is not found from tenant."
        )));
    };
    let new = match location {
        None => return Ok(()),
        Some(l) if l.is_empty() => None,
        Some(l) => {
            let l = normalize_guid("locationId", &l).map_err(UpdateError::Invalid)?;
            check_location(tenant, &l, n).map_err(UpdateError::Invalid)?;
            Some(l)
        }
    };
    if let Some(n) = number_mut(tenant, telephone_number) {
        n.location_id = new;
    }
    Ok(())
}

/// Called when a user is deleted: numbers it still held get stuck.
pub fn strand_numbers_of(tenant: &mut Tenant, user_id: &str) {
    for n in tenant.phone_numbers.iter_mut() {
        if n.assignment_target_id.as_deref() == Some(user_id) {
            n.stuck = true;
            n.activation_state = "assignmentPending".into();
        }
    }
}
