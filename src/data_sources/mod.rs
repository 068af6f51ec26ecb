//! One module per Terraform data source type, each a
//! [`crate::framework::data_source::ManagedDataSource`]; the provider finds them through
//! `crate::provider::registry`. Like resources, they import from the framework, the domain and the
//! client only.

pub mod auto_attendant;
pub mod call_queue;
pub mod emergency_call_routing_policy;
pub mod phone_numbers;
pub mod resource_account;
pub mod shared_calling_policy;
pub mod shared_calling_readiness;
pub mod user;
