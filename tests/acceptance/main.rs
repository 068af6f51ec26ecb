//! Acceptance tests: the real terraform binary drives the provider against the emulator.
//!
//! One test binary (link time on 2 cores), one module per resource.

mod authentication;
mod bad_input;
mod complete;
mod data_sources;
mod examples;
mod export;
mod faults;
mod harness;
mod phone_number_assignment;
mod provider_config;
mod release;
mod resource_account;
mod secrets;
mod shared_calling_policy;
mod voice;
