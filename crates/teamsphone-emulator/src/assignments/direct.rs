//! Direct assignments to users: batches of grants and removals (Graph `userAssignments/assign` and
//! `unassign`, and the Teams per-user route), checked whole before any is written, and written with
//! the value reads showed before, for propagation.

use super::catalog::{known_type, policy_by_id};
use super::model::{AssignError, DirectAssignment};
use super::user_index::UserIndex;
use crate::state::Tenant;

/// Most entries one assign or unassign call accepts.
pub const MAX_BATCH: usize = 5_000;

/// One entry of an assign call, after parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub user: String,
    pub policy_type: String,
    /// `None` unassigns.
    pub policy_id: Option<String>,
}

fn write_direct(
    tenant: &mut Tenant,
    user_id: &str,
    policy_type: &str,
    name: Option<String>,
    now: u64,
    delay: u64,
) {
    let per_user = tenant
        .assignments
        .users
        .entry(user_id.to_string())
        .or_default();
    let previous = per_user
        .get(policy_type)
        .and_then(|a| a.visible(now, delay))
        .map(str::to_string);
    if name.is_none() && previous.is_none() {
        per_user.remove(policy_type);
    } else {
        per_user.insert(
            policy_type.to_string(),
            DirectAssignment {
                policy_name: name,
                previous,
                written_at_ms: now,
            },
        );
    }
    // Settled removals are forgotten, so the map does not grow with every unassign.
    per_user.retain(|_, a| a.policy_name.is_some() || now < a.written_at_ms.saturating_add(delay));
    if per_user.is_empty() {
        tenant.assignments.users.remove(user_id);
    }
}

/// Applies a batch of assigns or unassigns, all or nothing: every entry is checked first, and the
/// error lists each entry that failed by its user.
pub fn apply_grants(
    tenant: &mut Tenant,
    grants: &[Grant],
    now: u64,
    delay: u64,
) -> Result<(), AssignError> {
    if grants.len() > MAX_BATCH {
        return Err(AssignError::Invalid(format!(
            "A request may hold at most {MAX_BATCH} entries; this one has {}",
            grants.len()
        )));
    }
    let mut resolved = Vec::with_capacity(grants.len());
    let mut failures = Vec::new();
    {
        let index = UserIndex::for_lookups(&tenant.users, grants.len());
        for g in grants {
            let Some(user) = index.get(&g.user) else {
                failures.push(format!("userId '{}': the user does not exist", g.user));
                continue;
            };
            if tenant
                .assignments
                .refused_users
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&user.id))
            {
                failures.push(format!(
                    "userId '{}': policies cannot be assigned to this user",
                    g.user
                ));
                continue;
            }
            let Some(policy_type) = known_type(tenant, &g.policy_type) else {
                failures.push(format!(
                    "userId '{}': '{}' is not a policy type",
                    g.user, g.policy_type
                ));
                continue;
            };
            let name = match &g.policy_id {
                None => None,
                Some(id) => match policy_by_id(tenant, &policy_type, id) {
                    Some(name) => Some(name),
                    None => {
                        failures.push(format!(
                            "userId '{}': policyId '{id}' is not a {policy_type} of this tenant",
                            g.user
                        ));
                        continue;
                    }
                },
            };
            resolved.push((user.id.clone(), policy_type, name));
        }
    }
    if !failures.is_empty() {
        let shown = failures.len().min(50);
        let mut message = format!(
            "{} of {} entries failed, nothing was changed: {}",
            failures.len(),
            grants.len(),
            failures[..shown].join("; ")
        );
        if shown < failures.len() {
            message.push_str(&format!("; and {} more", failures.len() - shown));
        }
        return Err(AssignError::Invalid(message));
    }
    for (user_id, policy_type, name) in resolved {
        write_direct(tenant, &user_id, &policy_type, name, now, delay);
    }
    Ok(())
}
