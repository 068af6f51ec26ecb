//! One module per Terraform data source, and the registry that hands them to the provider.

pub mod phone_numbers;
pub mod resource_account;
pub mod shared_calling_policy;
pub mod user;

use std::collections::HashMap;

use tf_provider::DynamicDataSource;

use crate::provider::ProviderData;

/// Every data source type, keyed by its name without the `teamsphone_` prefix.
pub fn all(data: &ProviderData) -> HashMap<String, Box<dyn DynamicDataSource>> {
    let mut sources: HashMap<String, Box<dyn DynamicDataSource>> = HashMap::new();
    sources.insert(
        "shared_calling_policy".into(),
        Box::new(shared_calling_policy::SharedCallingPolicyDataSource::new(
            data.clone(),
        )),
    );
    sources.insert(
        "phone_numbers".into(),
        Box::new(phone_numbers::PhoneNumbersDataSource::new(data.clone())),
    );
    sources.insert(
        "resource_account".into(),
        Box::new(resource_account::ResourceAccountDataSource::new(
            data.clone(),
        )),
    );
    sources.insert(
        "user".into(),
        Box::new(user::UserDataSource::new(data.clone())),
    );
    sources
}
