//! Acceptance tests: the real terraform binary drives the provider against the emulator.
//!
//! One test binary (link time on 2 cores), one module per resource.

mod directory;
mod enterprise_voice_users;
mod group_policy_assignment;
mod harness;
mod policy_assignment_set;
mod provider_config;
mod shared_calling_policy;
mod user_policy_assignment;
