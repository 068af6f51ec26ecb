//! One module per Terraform resource type, and the registry that hands them to the provider.

pub mod enterprise_voice_users;
pub mod group_policy_assignment;
pub mod phone_number_assignment;
pub mod policy_assignment_set;
pub mod policy_binding;
pub mod resource_account;
pub mod shared_calling_policy;
pub mod user_policy_assignment;

use std::collections::HashMap;

use tf_provider::{Diagnostics, DynamicResource};

use crate::client::ApiError;
use crate::provider::ProviderData;

/// Every resource type, keyed by its name without the `teamsphone_` prefix.
pub fn all(data: &ProviderData) -> HashMap<String, Box<dyn DynamicResource>> {
    let mut resources: HashMap<String, Box<dyn DynamicResource>> = HashMap::new();
    resources.insert(
        "shared_calling_policy".into(),
        Box::new(shared_calling_policy::SharedCallingPolicyResource::new(
            data.clone(),
        )),
    );
    resources.insert(
        "resource_account".into(),
        Box::new(resource_account::ResourceAccountResource::new(data.clone())),
    );
    resources.insert(
        "phone_number_assignment".into(),
        Box::new(phone_number_assignment::PhoneNumberAssignmentResource::new(
            data.clone(),
        )),
    );
    resources.insert(
        "user_policy_assignment".into(),
        Box::new(user_policy_assignment::UserPolicyAssignmentResource::new(
            data.clone(),
        )),
    );
    resources.insert(
        "policy_assignment_set".into(),
        Box::new(policy_assignment_set::PolicyAssignmentSetResource::new(
            data.clone(),
        )),
    );
    resources.insert(
        "group_policy_assignment".into(),
        Box::new(group_policy_assignment::GroupPolicyAssignmentResource::new(
            data.clone(),
        )),
    );
    resources.insert(
        "enterprise_voice_users".into(),
        Box::new(enterprise_voice_users::EnterpriseVoiceUsersResource::new(
            data.clone(),
        )),
    );
    resources
}

/// Reports a failed API call the way every resource does: `<action> <what> (<name>): <error>`.
pub fn api_error(diags: &mut Diagnostics, action: &str, what: &str, name: &str, error: &ApiError) {
    diags.root_error(
        format!("Error {action} {what} ({name})"),
        format!("{action} {what} ({name}): {error}"),
    );
}
