//! Checking a seeded `assignments` block at load: every user, group and policy it names exists;
//! users are stored by id; group ranks are renumbered by the same rule as the API's writes.

use std::collections::BTreeMap;

use super::catalog::find_policy;
use super::groups::put_group_assignment;
use super::model::AssignError;
use super::user_index::UserIndex;
use crate::state::Tenant;

/// Checks a seeded `assignments` block: known users, groups and policies; ranks renumbered.
pub fn normalize(tenant: &mut Tenant) -> Result<(), String> {
    let mut users = std::mem::take(&mut tenant.assignments.users);
    let mut fixed = BTreeMap::new();
    {
        let index = UserIndex::new(&tenant.users);
        for (user, per_type) in users.iter_mut() {
            let Some(u) = index.get(user) else {
                return Err(format!(
                    "assignments.users: '{user}' is not a user of the tenant"
                ));
            };
            for (policy_type, a) in per_type.iter() {
                if let Some(name) = &a.policy_name {
                    if find_policy(tenant, policy_type, name).is_none() {
                        return Err(format!(
                            "assignments.users.{user}: policy '{name}' of type {policy_type} does not exist"
                        ));
                    }
                }
            }
            fixed.insert(u.id.clone(), std::mem::take(per_type));
        }
    }
    tenant.assignments.users = fixed;
    let seeded = std::mem::take(&mut tenant.assignments.groups);
    for g in seeded {
        put_group_assignment(
            tenant,
            &g.group_id,
            &g.policy_type,
            &g.policy_name,
            Some(g.rank.max(1)),
            g.created_time,
        )
        .map_err(|e| match e {
            AssignError::Invalid(m) | AssignError::NotFound(m) => {
                format!("assignments.groups: {m}")
            }
        })?;
    }
    let numbers = std::mem::take(&mut tenant.assignments.user_numbers);
    let index = UserIndex::new(&tenant.users);
    for r in tenant.assignments.refused_users.iter_mut() {
        let Some(u) = index.get(r) else {
            return Err(format!(
                "assignments.refused_users: '{r}' is not a user of the tenant"
            ));
        };
        *r = u.id.clone();
    }
    for (user, list) in numbers {
        let Some(u) = index.get(&user) else {
            return Err(format!(
                "assignments.user_numbers: '{user}' is not a user of the tenant"
            ));
        };
        tenant.assignments.user_numbers.insert(u.id.clone(), list);
    }
    Ok(())
}
