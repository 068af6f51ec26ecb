//! Enterprise Voice (contract section 4): the flag a write sets at once, and the value reads show
//! while it propagates.

use super::model::{AssignError, VoiceChange};
use std::collections::BTreeMap;

use crate::directory::{find_user_mut, User};
use crate::state::Tenant;

/// Sets a user's Enterprise Voice flag (recording the visible value for propagation).
pub fn set_enterprise_voice(
    tenant: &mut Tenant,
    user_ref: &str,
    enabled: bool,
    now: u64,
    delay: u64,
) -> Result<(), AssignError> {
    let Some(user) = find_user_mut(&mut tenant.users, user_ref) else {
        return Err(AssignError::NotFound(format!(
            "User '{user_ref}' was not found in the tenant"
        )));
    };
    let visible = shown(&tenant.assignments.voice_changes, user, now, delay);
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
    shown(&tenant.assignments.voice_changes, user, now, delay)
}

/// The flag before a write still propagating, else the flag as stored.
fn shown(changes: &BTreeMap<String, VoiceChange>, user: &User, now: u64, delay: u64) -> bool {
    match changes.get(&user.id) {
        Some(c) if now < c.written_at_ms.saturating_add(delay) => c.previous,
        _ => user.enterprise_voice_enabled,
    }
}
