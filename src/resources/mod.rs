//! One module per Terraform resource type, each a [`crate::framework::resource::ManagedResource`];
//! the provider finds them through `crate::provider::registry`.
//!
//! A resource module imports from the framework, the domain and the client only, never from a
//! sibling: what two resources share belongs in one of those.

pub mod auto_attendant;
pub mod call_queue;
pub mod emergency_call_routing_policy;
pub mod enterprise_voice_users;
pub mod group_policy_assignment;
pub mod phone_number_assignment;
pub mod policy_assignment_set;
pub mod resource_account;
pub mod resource_account_association;
pub mod shared_calling_policy;
pub mod user_policy_assignment;
