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
//!
//! The rooms: [`model`] (what is stored), [`catalog`] (policy types, instances, ids),
//! [`user_index`], [`direct`] (user grants), [`voice`] (Enterprise Voice), [`groups`] (group
//! assignments and ranks), [`effective`] (what reads show), [`seed`] (checking a seed).

mod catalog;
mod direct;
mod effective;
mod groups;
mod model;
mod seed;
mod user_index;
mod voice;

pub use catalog::{
    bare, find_policy, instances, known_type, policy_by_id, policy_id, KNOWN_POLICY_TYPES,
};
pub use direct::{apply_grants, Grant, MAX_BATCH};
pub use effective::{Effective, EffectiveIndex};
pub use groups::{put_group_assignment, remove_group_assignment, MAX_GROUPS_PER_POLICY_TYPE};
pub use model::{AssignError, Assignments, DirectAssignment, GroupAssignment, VoiceChange};
pub use seed::normalize;
pub use user_index::UserIndex;
pub use voice::{set_enterprise_voice, visible_enterprise_voice};

#[cfg(test)]
mod tests;
