//! terraform-provider-teamsphone: Teams Phone Shared Calling as code, and the Teams admin API emulator
//! it is tested against.
//!
//! Layers, top to bottom: [`provider`] (the provider block and client set-up), [`resources`] (one module
//! per resource type), [`client`] (typed API calls over a transport that owns auth, retries and error
//! decoding), and beside them [`emulator`], which implements the same contract from the server side.

pub mod attributes;
pub mod client;
pub mod data_sources;
pub mod docs;
pub mod emulator;
pub mod export;
#[cfg(test)]
mod fuzz;
pub mod phone;
pub mod provider;
pub mod resources;
pub mod timeouts;
pub mod validators;
