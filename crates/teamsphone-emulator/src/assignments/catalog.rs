//! The policy catalog: which policy types a tenant knows, which instances each has (shared calling
//! from `shared_calling_policies`, emergency call routing from `emergency_call_routing_policies`
//! and, in tenants built by hand, `assignments.policies`; the others from `assignments.policies`;
//! `Global` always), how a
//! user-written name finds its stored spelling, and the stable ids Graph's `getPolicyId` hands out.

use crate::policy_instances::{self, Instance};
use crate::state::Tenant;
use teamsphone_contract::{
    EMERGENCY_CALL_ROUTING_POLICY_TYPE, GLOBAL_POLICY, SHARED_CALLING_POLICY_TYPE, TAG_PREFIX,
};

/// Policy types the emulator knows even when a tenant lists no custom instance of them.
pub const KNOWN_POLICY_TYPES: [&str; 8] = [
    SHARED_CALLING_POLICY_TYPE,
    EMERGENCY_CALL_ROUTING_POLICY_TYPE,
    "TeamsEmergencyCallingPolicy",
    "OnlineVoiceRoutingPolicy",
    "CallingLineIdentity",
    "TeamsCallingPolicy",
    "TenantDialPlan",
    "TeamsVoiceApplicationsPolicy",
];

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
    let tagged = format!("{TAG_PREFIX}{name}");
    if policy_type.eq_ignore_ascii_case(SHARED_CALLING_POLICY_TYPE) {
        return stored_name(&tenant.shared_calling_policies, &tagged);
    }
    if policy_type.eq_ignore_ascii_case(EMERGENCY_CALL_ROUTING_POLICY_TYPE) {
        if let Some(found) = stored_name(&tenant.emergency_call_routing_policies, &tagged) {
            return Some(found);
        }
    }
    listed_names(tenant, policy_type)
        .find(|n| bare(n).eq_ignore_ascii_case(name))
        .map(|n| bare(n).to_string())
}

/// Every instance of a type, `Global` first.
pub fn instances(tenant: &Tenant, policy_type: &str) -> Vec<String> {
    let mut names = vec![GLOBAL_POLICY.to_string()];
    if policy_type.eq_ignore_ascii_case(SHARED_CALLING_POLICY_TYPE) {
        names.extend(custom_names(&tenant.shared_calling_policies));
        return names;
    }
    if policy_type.eq_ignore_ascii_case(EMERGENCY_CALL_ROUTING_POLICY_TYPE) {
        names.extend(custom_names(&tenant.emergency_call_routing_policies));
    }
    names.extend(listed_names(tenant, policy_type).map(|n| bare(n).to_string()));
    names
}

/// The names `assignments.policies` lists under `policy_type` (any letter case), as stored.
fn listed_names<'t>(tenant: &'t Tenant, policy_type: &str) -> impl Iterator<Item = &'t String> {
    tenant
        .assignments
        .policies
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(policy_type))
        .into_iter()
        .flat_map(|(_, names)| names)
}

/// The stored spelling, without `Tag:`, of the instance `identity` names in a typed policy list.
fn stored_name<P: Instance>(policies: &[P], identity: &str) -> Option<String> {
    policy_instances::find(policies, identity).map(|p| bare(p.identity()).to_string())
}

/// The names, without `Tag:`, of a typed policy list's instances other than `Global` (which
/// [`instances`] lists first whatever the list holds).
fn custom_names<P: Instance>(policies: &[P]) -> impl Iterator<Item = String> + '_ {
    policies
        .iter()
        .filter(|p| !p.identity().eq_ignore_ascii_case(GLOBAL_POLICY))
        .map(|p| bare(p.identity()).to_string())
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
