//! Acceptance tests: the real terraform binary drives the provider against the emulator.
//!
//! One test binary (link time on 2 cores), one module per resource.

mod answer_shapes;
mod authentication;
mod bad_input;
mod complete;
mod crash;
mod data_sources;
mod directory;
mod doctor;
mod emergency_call_routing_policy;
mod enterprise_voice_users;
mod examples;
mod export;
mod faults;
mod group_policy_assignment;
mod guardrails;
mod harness;
mod hostile;
mod phone_number_assignment;
mod policy_assignment_set;
mod provider_config;
mod readiness;
mod release;
mod resource_account;
mod resource_account_association;
mod secrets;
mod shared_calling_policy;
mod user_policy_assignment;
mod voice;
mod wire_log;
