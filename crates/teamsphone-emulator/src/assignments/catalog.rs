//! The policy catalog: which policy types a tenant knows, which instances each has (shared calling
//! from `shared_calling_policies`, emergency call routing from `emergency_call_routing_policies`
//! and, in tenants built by hand, `assignments.policies`; the others from `assignments.policies`;
//! `Global` always), how a
//! user-written name finds its stored spelling, and the stable ids Graph's `getPolicyId` hands out.

use crate::policy::same_identity;
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
    if policy_type.eq_ignore_ascii_case(SHARED_CALLING_POLICY_TYPE) {
        return tenant
            .shared_calling_policies
            .iter()
            .find(|p| same_identity(&p.identity, &format!("{TAG_PREFIX}{name}")))
            .map(|p| bare(&p.identity).to_string());
    }
    if policy_type.eq_ignore_ascii_case(EMERGENCY_CALL_ROUTING_POLICY_TYPE) {
        if let Some(p) = tenant
            .emergency_call_routing_policies
            .iter()
            .find(|p| same_identity(&p.identity, &format!("{TAG_PREFIX}{name}")))
        {
            return Some(bare(&p.identity).to_string());
        }
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
        return names;
    }
    if policy_type.eq_ignore_ascii_case(EMERGENCY_CALL_ROUTING_POLICY_TYPE) {
        names.extend(
            tenant
                .emergency_call_routing_policies
                .iter()
                .filter(|p| !p.identity.eq_ignore_ascii_case(GLOBAL_POLICY))
                .map(|p| bare(&p.identity).to_string()),
        );
    }
    if let Some((_, list)) = tenant
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
