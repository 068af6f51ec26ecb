//! Effective policy: for each type, the visible direct assignment, else the best-ranked group's,
//! else `Global`, computed for many users over one index.

use std::collections::{BTreeSet, HashMap};

use super::catalog::KNOWN_POLICY_TYPES;
use super::model::GroupAssignment;
use crate::directory::User;
use crate::state::Tenant;
use teamsphone_contract::GLOBAL_POLICY;

/// One entry of a user's `effectivePolicyAssignments`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effective {
    pub policy_type: String,
    pub name: String,
    /// `None` for direct assignments and `Global`.
    pub group_id: Option<String>,
    pub direct: bool,
}

/// Everything needed to compute effective policies for many users in linear time.
pub struct EffectiveIndex<'a> {
    types: Vec<String>,
    /// user id -> groups it is a direct member of.
    member_of: HashMap<&'a str, Vec<&'a str>>,
    /// (policy type, group id) -> assignment.
    group_assignments: HashMap<(&'a str, &'a str), &'a GroupAssignment>,
}

impl<'a> EffectiveIndex<'a> {
    pub fn new(tenant: &'a Tenant) -> Self {
        let mut types: BTreeSet<String> =
            KNOWN_POLICY_TYPES.iter().map(|t| t.to_string()).collect();
        types.extend(tenant.assignments.policies.keys().cloned());
        let mut member_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for g in &tenant.groups {
            for m in &g.members {
                member_of.entry(m.as_str()).or_default().push(g.id.as_str());
            }
        }
        let group_assignments = tenant
            .assignments
            .groups
            .iter()
            .map(|g| ((g.policy_type.as_str(), g.group_id.as_str()), g))
            .collect();
        EffectiveIndex {
            types: types.into_iter().collect(),
            member_of,
            group_assignments,
        }
    }

    pub fn effective(&self, tenant: &Tenant, user: &User, now: u64, delay: u64) -> Vec<Effective> {
        let direct = tenant.assignments.users.get(&user.id);
        let groups = self.member_of.get(user.id.as_str());
        self.types
            .iter()
            .map(|t| {
                if let Some(name) = direct
                    .and_then(|d| d.get(t))
                    .and_then(|a| a.visible(now, delay))
                {
                    return Effective {
                        policy_type: t.clone(),
                        name: name.to_string(),
                        group_id: None,
                        direct: true,
                    };
                }
                let best = groups.and_then(|gs| {
                    gs.iter()
                        .filter_map(|g| self.group_assignments.get(&(t.as_str(), *g)))
                        .min_by_key(|a| a.rank)
                });
                match best {
                    Some(a) => Effective {
                        policy_type: t.clone(),
                        name: a.policy_name.clone(),
                        group_id: Some(a.group_id.clone()),
                        direct: false,
                    },
                    None => Effective {
                        policy_type: t.clone(),
                        name: GLOBAL_POLICY.to_string(),
                        group_id: None,
                        direct: false,
                    },
                }
            })
            .collect()
    }
}
