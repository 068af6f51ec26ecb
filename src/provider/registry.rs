//! The one list of type names: every resource and data source type with its constructor.
//!
//! The provider hands these to Terraform, the docs generator renders a page for each, and `export`
//! writes configuration with the same names, so a type is added (or renamed) in one place. Names
//! here are full Terraform type names (`teamsphone_<name>`); tf-provider wants them without the
//! provider prefix, which [`short_name`] strips.

use std::collections::HashMap;

use tf_provider::{DynamicDataSource, DynamicResource};

use super::ProviderData;
use crate::data_sources;
use crate::framework::data_source::DataSourceAdapter;
use crate::framework::resource::ResourceAdapter;
use crate::resources;

/// The provider's local name, the prefix of every type name.
pub const PROVIDER: &str = "teamsphone";

pub const SHARED_CALLING_POLICY: &str = "teamsphone_shared_calling_policy";
pub const RESOURCE_ACCOUNT: &str = "teamsphone_resource_account";
pub const PHONE_NUMBER_ASSIGNMENT: &str = "teamsphone_phone_number_assignment";
pub const USER_POLICY_ASSIGNMENT: &str = "teamsphone_user_policy_assignment";
pub const POLICY_ASSIGNMENT_SET: &str = "teamsphone_policy_assignment_set";
pub const GROUP_POLICY_ASSIGNMENT: &str = "teamsphone_group_policy_assignment";
pub const ENTERPRISE_VOICE_USERS: &str = "teamsphone_enterprise_voice_users";
pub const EMERGENCY_CALL_ROUTING_POLICY: &str = "teamsphone_emergency_call_routing_policy";
pub const RESOURCE_ACCOUNT_ASSOCIATION: &str = "teamsphone_resource_account_association";
/// Data source names (three share their name with a resource, as is usual in providers).
pub const PHONE_NUMBERS: &str = "teamsphone_phone_numbers";
pub const USER: &str = "teamsphone_user";
pub const AUTO_ATTENDANT: &str = "teamsphone_auto_attendant";
pub const CALL_QUEUE: &str = "teamsphone_call_queue";
pub const SHARED_CALLING_READINESS: &str = "teamsphone_shared_calling_readiness";

/// A type name and how to build the type for one provider instance.
pub struct TypeEntry<T: ?Sized> {
    pub name: &'static str,
    pub build: fn(&ProviderData) -> Box<T>,
}

fn resource<R: crate::framework::resource::ManagedResource + Default>(
    data: &ProviderData,
) -> Box<dyn DynamicResource> {
    Box::new(ResourceAdapter::new(data, R::default()))
}

fn data_source<D: crate::framework::data_source::ManagedDataSource + Default>(
    data: &ProviderData,
) -> Box<dyn DynamicDataSource> {
    Box::new(DataSourceAdapter::new(data, D::default()))
}

/// Every resource type.
pub const RESOURCES: [TypeEntry<dyn DynamicResource>; 9] = [
    TypeEntry {
        name: SHARED_CALLING_POLICY,
        build: resource::<resources::shared_calling_policy::SharedCallingPolicyResource>,
    },
    TypeEntry {
        name: RESOURCE_ACCOUNT,
        build: resource::<resources::resource_account::ResourceAccountResource>,
    },
    TypeEntry {
        name: PHONE_NUMBER_ASSIGNMENT,
        build: resource::<resources::phone_number_assignment::PhoneNumberAssignmentResource>,
    },
    TypeEntry {
        name: USER_POLICY_ASSIGNMENT,
        build: resource::<resources::user_policy_assignment::UserPolicyAssignmentResource>,
    },
    TypeEntry {
        name: POLICY_ASSIGNMENT_SET,
        build: resource::<resources::policy_assignment_set::PolicyAssignmentSetResource>,
    },
    TypeEntry {
        name: GROUP_POLICY_ASSIGNMENT,
        build: resource::<resources::group_policy_assignment::GroupPolicyAssignmentResource>,
    },
    TypeEntry {
        name: ENTERPRISE_VOICE_USERS,
        build: resource::<resources::enterprise_voice_users::EnterpriseVoiceUsersResource>,
    },
    TypeEntry {
        name: EMERGENCY_CALL_ROUTING_POLICY,
        build: resource::<
            resources::emergency_call_routing_policy::EmergencyCallRoutingPolicyResource,
        >,
    },
    TypeEntry {
        name: RESOURCE_ACCOUNT_ASSOCIATION,
        build: resource::<
            resources::resource_account_association::ResourceAccountAssociationResource,
        >,
    },
];

/// Every data source type.
pub const DATA_SOURCES: [TypeEntry<dyn DynamicDataSource>; 8] = [
    TypeEntry {
        name: SHARED_CALLING_POLICY,
        build: data_source::<data_sources::shared_calling_policy::SharedCallingPolicyDataSource>,
    },
    TypeEntry {
        name: PHONE_NUMBERS,
        build: data_source::<data_sources::phone_numbers::PhoneNumbersDataSource>,
    },
    TypeEntry {
        name: RESOURCE_ACCOUNT,
        build: data_source::<data_sources::resource_account::ResourceAccountDataSource>,
    },
    TypeEntry {
        name: USER,
        build: data_source::<data_sources::user::UserDataSource>,
    },
    TypeEntry {
        name: EMERGENCY_CALL_ROUTING_POLICY,
        build: data_source::<
            data_sources::emergency_call_routing_policy::EmergencyCallRoutingPolicyDataSource,
        >,
    },
    TypeEntry {
        name: AUTO_ATTENDANT,
        build: data_source::<data_sources::auto_attendant::AutoAttendantDataSource>,
    },
    TypeEntry {
        name: CALL_QUEUE,
        build: data_source::<data_sources::call_queue::CallQueueDataSource>,
    },
    TypeEntry {
        name: SHARED_CALLING_READINESS,
        build: data_source::<
            data_sources::shared_calling_readiness::SharedCallingReadinessDataSource,
        >,
    },
];

/// A type name without the `teamsphone_` prefix, as tf-provider keys its maps.
pub fn short_name(name: &str) -> &str {
    name.strip_prefix(PROVIDER)
        .and_then(|n| n.strip_prefix('_'))
        .unwrap_or(name)
}

fn build_all<T: ?Sized>(entries: &[TypeEntry<T>], data: &ProviderData) -> HashMap<String, Box<T>> {
    entries
        .iter()
        .map(|e| (short_name(e.name).to_string(), (e.build)(data)))
        .collect()
}

/// Every resource type for one provider instance, keyed by [`short_name`].
pub fn resources(data: &ProviderData) -> HashMap<String, Box<dyn DynamicResource>> {
    build_all(&RESOURCES, data)
}

/// Every data source type for one provider instance, keyed by [`short_name`].
pub fn data_sources(data: &ProviderData) -> HashMap<String, Box<dyn DynamicDataSource>> {
    build_all(&DATA_SOURCES, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_kind_and_prefixed() {
        for names in [
            RESOURCES.iter().map(|e| e.name).collect::<Vec<_>>(),
            DATA_SOURCES.iter().map(|e| e.name).collect(),
        ] {
            let unique: std::collections::BTreeSet<_> = names.iter().collect();
            assert_eq!(unique.len(), names.len());
            assert!(names.iter().all(|n| short_name(n) != *n));
        }
        assert_eq!(short_name(USER), "user");
    }
}
