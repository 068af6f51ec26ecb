//! Policy assignments (to users directly and to groups by rank), Enterprise Voice, and the policy
//! instances a tenant has: the rules behind contract sections 4 and 5, as pure functions.
//!
//! What a tenant holds lives in one [`Assignments`] value on the tenant, so a seed can write
//!
//! ```json
//! "assignments": {
//!   "policies": {"TeamsEmergencyCallRoutingPolicy": ["Seattle-E911"]},
//!   "users": {"<user id>": {"TeamsEmergencyCallRoutingPolicy": {"policy_name": "Seattle-E911"}}},
//!   "groups": [{"GroupId": "<group id>", "PolicyType": "..", "PolicyName": "..", "Rank": 1}],
//!   "user_numbers": {"<user id>": ["+12065550100"]},
//!   "refused_users": ["<user id>"]
//! }
//! ```
//!
//! Shared calling policy names come from the tenant's `shared_calling_policies`; every other type's
//! instances are listed in `policies` (plus `Global`, which every type has). Granting a name that is
//! not there fails, as it does in Teams.
//!
//! **Propagation.** Real grants take 30-45 s to show in reads. Each write records when it happened
//! and what reads showed before it; a read before `written_at + propagation_delay_ms` still sees the
//! old value. One level of history is enough: a second write inside the window keeps the value that
//! was visible when it was made.
//!
//! **Effective policy** of a user for a type: the visible direct assignment, else the assignment of
//! the best-ranked (lowest `Rank`) group the user is a direct member of, else `Global`.
//!
//! Lookups run over indexes built per request (users by id and name, groups by member), so reading
//! every configuration of a 10,000-user tenant or assigning a batch of 5,000 is linear, not quadratic.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::directory::User;
use super::policy::{normalize_guid, same_identity};
use super::state::Tenant;
use crate::ids::{GLOBAL_POLICY, SHARED_CALLING_POLICY_TYPE, TAG_PREFIX};

/// Most groups one policy type can be assigned to (Microsoft's documented limit).
pub const MAX_GROUPS_PER_POLICY_TYPE: usize = 64;
/// Most entries one assign or unassign call accepts.
pub const MAX_BATCH: usize = 5_000;

/// Policy types the emulator knows even when a tenant lists no custom instance of them.
pub const KNOWN_POLICY_TYPES: [&str; 8] = [
    SHARED_CALLING_POLICY_TYPE,
    "TeamsEmergencyCallRoutingPolicy",
    "TeamsEmergencyCallingPolicy",
    "OnlineVoiceRoutingPolicy",
    "CallingLineIdentity",
    "TeamsCallingPolicy",
    "TenantDialPlan",
    "TeamsVoiceApplicationsPolicy",
];

/// A tenant's policy instances and who holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignments {
    /// Custom policy instances by type (bare names), for types other than shared calling.
    #[serde(default)]
    pub policies: BTreeMap<String, Vec<String>>,
    /// Direct assignments: user id -> policy type -> assignment.
    #[serde(default)]
    pub users: BTreeMap<String, BTreeMap<String, DirectAssignment>>,
    #[serde(default)]
    pub groups: Vec<GroupAssignment>,
    /// Enterprise Voice writes still propagating: user id -> change.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub voice_changes: BTreeMap<String, VoiceChange>,
    /// Phone numbers users hold (shown in `telephoneNumbers`; a user with one keeps Enterprise Voice).
    #[serde(default)]
    pub user_numbers: BTreeMap<String, Vec<String>>,
    /// A fault for tests: users the service refuses to assign policies to, as it does for users it
    /// cannot serve (for example without a Teams license). A batch holding one fails as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused_users: Vec<String>,
}

/// A direct assignment of one policy type to one user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectAssignment {
    /// Bare policy name; `None` while a removal propagates.
    pub policy_name: Option<String>,
    /// What reads showed before the last write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    #[serde(default)]
    pub written_at_ms: u64,
}

impl DirectAssignment {
    pub fn visible(&self, now_ms: u64, delay_ms: u64) -> Option<&str> {
        if now_ms >= self.written_at_ms.saturating_add(delay_ms) {
            self.policy_name.as_deref()
        } else {
            self.previous.as_deref()
        }
    }
}

/// An Enterprise Voice write still propagating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceChange {
    pub previous: bool,
    pub written_at_ms: u64,
}

/// A policy assigned to a group, PascalCase as the Teams API lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GroupAssignment {
    pub group_id: String,
    pub policy_type: String,
    pub policy_name: String,
    pub rank: u32,
    #[serde(default)]
    pub created_time: String,
}

/// Why an assignment operation failed; routes map each kind to a status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignError {
    Invalid(String),
    NotFound(String),
}

/// The name without `Tag:`.
pub fn bare(name: &str) -> &str {
    name.strip_prefix(TAG_PREFIX).unwrap_or(name)
}

/// Whether the tenant knows `policy_type` at all.
pub fn known_type(tenant: &Tenant, policy_type: &str) -> Option<String> {
    KNOWN_POLICY_TYPES
        .iter()
        .map(|t| t.to_string())
        .chain(tenant.assignments.policies.keys().cloned())
        .find(|t| t.eq_ignore_ascii_case(policy_type))
}

/// The stored spelling of policy `name` of `policy_type`, if it exists (`Global` always does).
pub fn find_policy(tenant: &Tenant, policy_type: &str, name: &str) -> Option<String> {
    let name = bare(name);
    if name.eq_ignore_ascii_case(GLOBAL_POLICY) {
        return Some(GLOBAL_POLICY.to_string());
    }
    if policy_type.eq_ignore_ascii_case(SHARED_CALLING_POLICY_TYPE) {
        return tenant
            .shared_calling_policies
            .iter()
            .find(|p| same_identity(&p.identity, &format!("{TAG_PREFIX}{name}")))
            .map(|p| bare(&p.identity).to_string());
    }
    tenant
        .assignments
        .policies
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(policy_type))
        .and_then(|(_, names)| names.iter().find(|n| bare(n).eq_ignore_ascii_case(name)))
        .map(|n| bare(n).to_string())
}

/// Every instance of a type, `Global` first.
pub fn instances(tenant: &Tenant, policy_type: &str) -> Vec<String> {
    let mut names = vec![GLOBAL_POLICY.to_string()];
    if policy_type.eq_ignore_ascii_case(SHARED_CALLING_POLICY_TYPE) {
        names.extend(
            tenant
                .shared_calling_policies
                .iter()
                .filter(|p| !p.identity.eq_ignore_ascii_case(GLOBAL_POLICY))
                .map(|p| bare(&p.identity).to_string()),
        );
    } else if let Some((_, list)) = tenant
        .assignments
        .policies
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(policy_type))
    {
        names.extend(list.iter().map(|n| bare(n).to_string()));
    }
    names
}

/// A stable GUID for a policy instance (FNV-1a over type and lower-case name), so ids survive
/// restarts without being stored.
pub fn policy_id(policy_type: &str, name: &str) -> String {
    let key = format!(
        "{}/{}",
        policy_type.to_ascii_lowercase(),
        bare(name).to_lowercase()
    );
    let mut h1: u64 = 0xcbf2_9ce4_8422_2325;
    let mut h2: u64 = 0x8422_2325_cbf2_9ce4;
    for b in key.bytes() {
        h1 = (h1 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        h2 = (h2 ^ u64::from(b))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(7);
    }
    let hex = format!("{h1:016x}{h2:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The policy (type, name) a policy id stands for.
pub fn policy_by_id(tenant: &Tenant, policy_type: &str, id: &str) -> Option<String> {
    instances(tenant, policy_type)
        .into_iter()
        .find(|n| policy_id(policy_type, n).eq_ignore_ascii_case(id))
}

/// Users by lower-case id and lower-case user principal name, built once per request.
pub struct UserIndex<'a> {
    users: &'a [User],
    /// `None` for a handful of lookups, where a scan is cheaper than building the index.
    by_ref: Option<HashMap<String, &'a User>>,
}

/// Lookups up to which scanning the users beats indexing them.
const SCAN_LIMIT: usize = 8;

impl<'a> UserIndex<'a> {
    pub fn new(users: &'a [User]) -> Self {
        Self::for_lookups(users, usize::MAX)
    }

    pub fn for_lookups(users: &'a [User], lookups: usize) -> Self {
        let by_ref = (lookups > SCAN_LIMIT).then(|| {
            let mut by_ref = HashMap::with_capacity(users.len() * 2);
            for u in users {
                by_ref.insert(u.id.clone(), u);
                by_ref.insert(u.user_principal_name.to_lowercase(), u);
            }
            by_ref
        });
        UserIndex { users, by_ref }
    }

    pub fn get(&self, reference: &str) -> Option<&'a User> {
        match &self.by_ref {
            Some(map) => map.get(&reference.to_lowercase()).copied(),
            None => super::directory::find_user(self.users, reference),
        }
    }
}

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

/// Sets a user's Enterprise Voice flag (recording the visible value for propagation).
pub fn set_enterprise_voice(
    tenant: &mut Tenant,
    user_ref: &str,
    enabled: bool,
    now: u64,
    delay: u64,
) -> Result<(), AssignError> {
    let Some(user) = tenant.users.iter_mut().find(|u| {
        u.id.eq_ignore_ascii_case(user_ref) || u.user_principal_name.eq_ignore_ascii_case(user_ref)
    }) else {
        return Err(AssignError::NotFound(format!(
            "User '{user_ref}' was not found in the tenant"
        )));
    };
    let visible = match tenant.assignments.voice_changes.get(&user.id) {
        Some(c) if now < c.written_at_ms.saturating_add(delay) => c.previous,
        _ => user.enterprise_voice_enabled,
    };
    user.enterprise_voice_enabled = enabled;
    let id = user.id.clone();
    tenant.assignments.voice_changes.insert(
        id,
        VoiceChange {
            previous: visible,
            written_at_ms: now,
        },
    );
    tenant
        .assignments
        .voice_changes
        .retain(|_, c| now < c.written_at_ms.saturating_add(delay));
    Ok(())
}

/// What reads show for a user's Enterprise Voice flag.
pub fn visible_enterprise_voice(tenant: &Tenant, user: &User, now: u64, delay: u64) -> bool {
    match tenant.assignments.voice_changes.get(&user.id) {
        Some(c) if now < c.written_at_ms.saturating_add(delay) => c.previous,
        _ => user.enterprise_voice_enabled,
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::directory::Group;

    const A: &str = "aaaaaaaa-0000-0000-0000-000000000001";
    const B: &str = "aaaaaaaa-0000-0000-0000-000000000002";
    const G1: &str = "bbbbbbbb-0000-0000-0000-000000000001";
    const G2: &str = "bbbbbbbb-0000-0000-0000-000000000002";
    const E911: &str = "TeamsEmergencyCallRoutingPolicy";

    fn tenant() -> Tenant {
        let user = |id: &str, upn: &str| -> User {
            serde_json::from_value(serde_json::json!({
                "id": id, "userPrincipalName": upn, "displayName": upn
            }))
            .unwrap()
        };
        let mut t: Tenant = serde_json::from_value(serde_json::json!({
            "tenant_id": "11111111-2222-3333-4444-555555555555",
            "domain": "contoso.example",
        }))
        .unwrap();
        t.users = vec![user(A, "ann@contoso.com"), user(B, "bob@contoso.com")];
        t.groups = vec![
            Group {
                id: G1.into(),
                display_name: "One".into(),
                members: vec![A.into(), B.into()],
            },
            Group {
                id: G2.into(),
                display_name: "Two".into(),
                members: vec![A.into()],
            },
        ];
        t.assignments.policies.insert(
            E911.into(),
            vec!["Seattle-E911".into(), "Tacoma-E911".into()],
        );
        t
    }

    fn effective_name(t: &Tenant, user: usize, now: u64, delay: u64) -> (String, bool) {
        let index = EffectiveIndex::new(t);
        let e = index
            .effective(t, &t.users[user], now, delay)
            .into_iter()
            .find(|e| e.policy_type == E911)
            .unwrap();
        (e.name, e.direct)
    }

    #[test]
    fn direct_beats_group_and_best_rank_wins() {
        let mut t = tenant();
        assert_eq!(effective_name(&t, 0, 0, 0), ("Global".into(), false));
        put_group_assignment(&mut t, G1, E911, "Tacoma-E911", None, String::new()).unwrap();
        put_group_assignment(&mut t, G2, E911, "Seattle-E911", Some(1), String::new()).unwrap();
        // G2 took rank 1 and pushed G1 to 2.
        let ranks: Vec<(String, u32)> = t
            .assignments
            .groups
            .iter()
            .map(|g| (g.group_id.clone(), g.rank))
            .collect();
        assert!(
            ranks.contains(&(G2.into(), 1)) && ranks.contains(&(G1.into(), 2)),
            "{ranks:?}"
        );
        assert_eq!(effective_name(&t, 0, 0, 0), ("Seattle-E911".into(), false));
        assert_eq!(effective_name(&t, 1, 0, 0), ("Tacoma-E911".into(), false));
        let id = policy_id(E911, "tacoma-e911");
        apply_grants(
            &mut t,
            &[Grant {
                user: "ANN@contoso.com".into(),
                policy_type: E911.into(),
                policy_id: Some(id),
            }],
            0,
            0,
        )
        .unwrap();
        assert_eq!(effective_name(&t, 0, 0, 0), ("Tacoma-E911".into(), true));
        remove_group_assignment(&mut t, G2, E911).unwrap();
        assert_eq!(t.assignments.groups[0].rank, 1);
    }

    #[test]
    fn batches_are_all_or_nothing_and_name_each_failure() {
        let mut t = tenant();
        let good = Grant {
            user: A.into(),
            policy_type: E911.into(),
            policy_id: Some(policy_id(E911, "Seattle-E911")),
        };
        let bad_user = Grant {
            user: "zed@contoso.com".into(),
            ..good.clone()
        };
        let bad_policy = Grant {
            user: B.into(),
            policy_id: Some(policy_id(E911, "Nowhere")),
            ..good.clone()
        };
        let e = apply_grants(&mut t, &[good.clone(), bad_user, bad_policy], 0, 0).unwrap_err();
        let AssignError::Invalid(m) = e else { panic!() };
        assert!(m.contains("zed@contoso.com") && m.contains(B), "{m}");
        assert!(t.assignments.users.is_empty(), "nothing may change");
        apply_grants(&mut t, &[good], 0, 0).unwrap();
        assert_eq!(
            t.assignments.users[A][E911].policy_name.as_deref(),
            Some("Seattle-E911")
        );
    }

    #[test]
    fn writes_show_after_the_propagation_delay() {
        let mut t = tenant();
        let grant = Grant {
            user: A.into(),
            policy_type: E911.into(),
            policy_id: Some(policy_id(E911, "Seattle-E911")),
        };
        apply_grants(&mut t, std::slice::from_ref(&grant), 1_000, 500).unwrap();
        assert_eq!(effective_name(&t, 0, 1_499, 500).0, "Global");
        assert_eq!(effective_name(&t, 0, 1_500, 500).0, "Seattle-E911");
        let removal = Grant {
            policy_id: None,
            ..grant
        };
        apply_grants(&mut t, &[removal], 2_000, 500).unwrap();
        assert_eq!(effective_name(&t, 0, 2_100, 500).0, "Seattle-E911");
        assert_eq!(effective_name(&t, 0, 2_500, 500).0, "Global");

        set_enterprise_voice(&mut t, A, true, 3_000, 500).unwrap();
        assert!(!visible_enterprise_voice(&t, &t.users[0], 3_100, 500));
        assert!(visible_enterprise_voice(&t, &t.users[0], 3_500, 500));
    }

    #[test]
    fn group_limit_and_unknown_policies_are_refused() {
        let mut t = tenant();
        let e = put_group_assignment(&mut t, G1, E911, "Nowhere", None, String::new()).unwrap_err();
        assert!(matches!(e, AssignError::Invalid(m) if m.contains("Nowhere")));
        for i in 0..MAX_GROUPS_PER_POLICY_TYPE {
            let id = format!("cccccccc-0000-0000-0000-{i:012}");
            t.groups.push(Group {
                id: id.clone(),
                display_name: id.clone(),
                members: vec![],
            });
            put_group_assignment(&mut t, &id, E911, "Global", None, String::new()).unwrap();
        }
        let e = put_group_assignment(&mut t, G1, E911, "Global", None, String::new()).unwrap_err();
        assert!(matches!(e, AssignError::Invalid(m) if m.contains("at most 64")));
    }

    #[test]
    fn policy_ids_are_stable_guids() {
        let id = policy_id(E911, "Seattle-E911");
        assert_eq!(id, policy_id(E911, "Tag:seattle-e911"));
        assert_ne!(id, policy_id(E911, "Tacoma-E911"));
        assert!(crate::framework::validators::is_guid(&id));
    }
}
