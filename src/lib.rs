//! terraform-provider-teamsphone: Teams Phone Shared Calling as code.
//!
//! Layers, top to bottom: [`provider`] (the provider block, client set-up and the registry of type
//! names), [`resources`] and [`data_sources`] (one module per type, built on [`framework`], which
//! supplies what tf-provider lacks, and on [`domain`], the vocabulary), [`client`] (typed API calls
//! over a transport that owns auth, retries and error decoding). Beside them, in packages of their
//! own in this workspace: `teamsphone-emulator` (`crates/teamsphone-emulator`), which implements the
//! same contract from the server side and is only a dev-dependency here, and `teamsphone-contract`,
//! the constants both sides share.

// Module essays link the private modules they are made of, for contributors: the docs are built
// with `--document-private-items` (`.ci/run`), where those links resolve.
#![allow(rustdoc::private_intra_doc_links)]

pub mod client;
pub mod data_sources;
pub mod docs;
pub mod doctor;
pub mod domain;
pub mod export;
pub mod framework;
#[cfg(test)]
mod fuzz;
pub mod provider;
pub mod resources;
