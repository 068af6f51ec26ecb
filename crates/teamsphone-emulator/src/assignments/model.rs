//! The stored shape of a tenant's assignments (the seed's `assignments` block, see the folder's
//! essay) and the error every assignment operation answers with. Each write keeps the value reads
//! showed before it, so propagation needs no other history.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
