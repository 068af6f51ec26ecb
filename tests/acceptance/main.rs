//! Acceptance tests: the real terraform binary drives the provider against the emulator.
//!
//! One test binary (link time on 2 cores), one module per resource.

mod harness;
mod provider_config;
mod shared_calling_policy;
mod directory;
mod policy_assignment_set;
mod user_policy_assignment;
