//! terraform-provider-teamsphone: Teams Phone Shared Calling as code.
//!
//! Layers, top to bottom: [`provider`] (the provider block and client set-up), [`resources`] (one module
//! per resource type), [`client`] (typed API calls over a transport that owns auth, retries and error
//! decoding). Beside them, in packages of their own in this workspace: `teamsphone-emulator`
//! (`crates/teamsphone-emulator`), which implements the same contract from the server side and is
//! only a dev-dependency here, and `teamsphone-contract`, the constants both sides share.

pub mod attributes;
pub mod client;
pub mod data_sources;
pub mod docs;
pub mod domain;
pub mod export;
#[cfg(test)]
mod fuzz;
pub mod provider;
pub mod resources;
pub mod timeouts;
pub mod validators;
