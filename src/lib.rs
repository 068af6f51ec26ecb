//! terraform-provider-teamsphone: Teams Phone Shared Calling as code, and the Teams admin API emulator
//! it is tested against.
//!
//! Layers, top to bottom: [`provider`] (the provider block, client set-up and the registry of type
//! names), [`resources`] and [`data_sources`] (one module per type, built on [`framework`], which
//! supplies what tf-provider lacks), [`client`] (typed API calls over a transport that owns auth,
//! retries and error decoding), and beside them [`emulator`], which implements the same contract from
//! the server side.

pub mod client;
pub mod data_sources;
pub mod docs;
pub mod domain;
pub mod emulator;
pub mod export;
pub mod framework;
#[cfg(test)]
mod fuzz;
pub mod ids;
pub mod provider;
pub mod resources;
