//! The calls, one module per section of the API contract, each with the models it reads and writes.
//!
//! Every function stands for one cmdlet and is named after it (`get_cs_...`, `new_mg_...`), so that a
//! capture from a real tenant corrects an inferred (`[I]`) or third-party (`[3P]`) call in one
//! edit. Reads are lenient (missing fields default, unknown fields are ignored) because Microsoft
//! adds fields and enum values over time; writes send only what the contract names.

pub mod auto_attendants;
pub mod call_queues;
pub mod emergency_call_routing_policy;
pub mod number_operations;
pub mod numbers;
pub mod policy_assignment;
pub mod policy_instances;
pub mod resource_accounts;
pub mod shared_calling_policy;
pub mod voice_apps;

use serde::Deserialize;

pub(crate) fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}
