//! Group policy assignments: at most [`MAX_GROUPS_PER_POLICY_TYPE`] groups per type, ranks kept
//! as 1..n with no gaps whatever a write asks for.

use super::catalog::{find_policy, known_type};
use super::model::{AssignError, GroupAssignment};
use crate::policy::normalize_guid;
use crate::state::Tenant;

/// Most groups one policy type can be assigned to (Microsoft's documented limit).
pub const MAX_GROUPS_PER_POLICY_TYPE: usize = 64;

/// Creates or changes the assignment of `policy_type` to a group; ranks are renumbered 1..n with
/// the written group at the rank it asked for (at the end when it gave none).
pub fn put_group_assignment(
    tenant: &mut Tenant,
    group_id: &str,
    policy_type: &str,
    policy_name: &str,
    rank: Option<u32>,
    created_time: String,
) -> Result<GroupAssignment, AssignError> {
    let group_id = normalize_guid("GroupId", group_id).map_err(AssignError::Invalid)?;
    if !tenant.groups.iter().any(|g| g.id == group_id) {
        return Err(AssignError::NotFound(format!(
            "Group '{group_id}' was not found in the tenant"
        )));
    }
    let Some(policy_type) = known_type(tenant, policy_type) else {
        return Err(AssignError::Invalid(format!(
            "'{policy_type}' is not a policy type"
        )));
    };
    let Some(name) = find_policy(tenant, &policy_type, policy_name) else {
        return Err(AssignError::Invalid(format!(
            "Policy '{policy_name}' of type {policy_type} does not exist in the tenant"
        )));
    };
    if rank == Some(0) {
        return Err(AssignError::Invalid("Rank must be 1 or more".to_string()));
    }
    let groups = &mut tenant.assignments.groups;
    let existing = groups
        .iter()
        .position(|g| g.group_id == group_id && g.policy_type == policy_type);
    let others = groups
        .iter()
        .filter(|g| g.policy_type == policy_type && g.group_id != group_id)
        .count();
    if others >= MAX_GROUPS_PER_POLICY_TYPE {
        return Err(AssignError::Invalid(format!(
            "A policy type can be assigned to at most {MAX_GROUPS_PER_POLICY_TYPE} groups; \
             {policy_type} already is assigned to {others}"
        )));
    }
    let created_time = match existing {
        Some(i) => groups.remove(i).created_time,
        None => created_time,
    };
    let mut same_type: Vec<GroupAssignment> = Vec::new();
    groups.retain(|g| {
        if g.policy_type == policy_type {
            same_type.push(g.clone());
            false
        } else {
            true
        }
    });
    same_type.sort_by_key(|g| g.rank);
    let at = rank
        .map(|r| (r as usize - 1).min(same_type.len()))
        .unwrap_or(same_type.len());
    let written = GroupAssignment {
        group_id,
        policy_type,
        policy_name: name,
        rank: 0,
        created_time,
    };
    same_type.insert(at, written);
    for (i, g) in same_type.iter_mut().enumerate() {
        g.rank = i as u32 + 1;
    }
    let out = same_type[at].clone();
    groups.extend(same_type);
    Ok(out)
}

pub fn remove_group_assignment(
    tenant: &mut Tenant,
    group_id: &str,
    policy_type: &str,
) -> Result<(), AssignError> {
    let groups = &mut tenant.assignments.groups;
    let Some(i) = groups.iter().position(|g| {
        g.group_id.eq_ignore_ascii_case(group_id) && g.policy_type.eq_ignore_ascii_case(policy_type)
    }) else {
        return Err(AssignError::NotFound(format!(
            "Group '{group_id}' has no {policy_type} assignment"
        )));
    };
    let removed = groups.remove(i);
    let mut rank = 0;
    let mut order: Vec<&mut GroupAssignment> = groups
        .iter_mut()
        .filter(|g| g.policy_type == removed.policy_type)
        .collect();
    order.sort_by_key(|g| g.rank);
    for g in order {
        rank += 1;
        g.rank = rank;
    }
    Ok(())
}
