//! Acceptance tests: the real terraform binary drives the provider against the emulator.
//!
//! One test binary (link time on 2 cores), one module per resource.

mod complete;
mod harness;
mod phone_number_assignment;
mod provider_config;
mod resource_account;
mod shared_calling_policy;
mod voice;
