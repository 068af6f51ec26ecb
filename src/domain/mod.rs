//! The provider's vocabulary: the rules and spellings of Teams Phone objects, as pure functions.
//!
//! Nothing here knows Terraform (no tf-provider types) or HTTP (no reqwest types): resources, data
//! sources, export and the client all speak this vocabulary, so a rule such as "a policy name is bare
//! and not `Global`" exists once and gives one message wherever a name is written.
//!
//! - [`policies`]: policy names (`Tag:` and `Global`) and policy types.
//! - [`accounts`]: resource account kinds, user principal names, usage locations.
//! - [`emergency_dialing`]: dial strings and masks of emergency call routing policies.
//! - [`numbers`]: number types, assignment categories, activation.
//! - [`phone`]: telephone numbers in `+E.164`, compared as numbers.
//! - [`policy_numbers`]: the number rules of a shared calling policy.
//! - [`readiness`]: whether a user will call out through a shared calling policy.
//! - [`directory`]: user references (GUID or UPN) and the index resolving many from one read.
//! - [`text`]: GUIDs, bounded text, closed lists.
//! - [`voice_apps`]: auto attendants and call queues looked up by name.

pub mod accounts;
pub mod directory;
pub mod emergency_dialing;
pub mod numbers;
pub mod phone;
pub mod policies;
pub mod policy_numbers;
pub mod readiness;
pub mod text;
pub mod voice_apps;
