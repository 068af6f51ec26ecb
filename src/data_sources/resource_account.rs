//! Data source `teamsphone_resource_account`: one resource account, by object id or user principal
//! name, with its licenses and phone numbers, for configurations that point a policy at an account
//! managed elsewhere.
//!
//! Three reads answer it: the Graph user (names, usage location, licenses), the Teams application
//! instance (which makes the user a resource account, and of which kind) and the numbers assigned to
//! it. A user without an application instance is an error, not an empty result: pointing a policy at
//! a person would only fail later, at apply, with a less clear message.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueList, ValueString};
use tf_provider::Diagnostics;

use crate::client::api::numbers::NumberAssignment;
use crate::client::api::resource_accounts::{ApplicationInstance, GraphUser};
use crate::client::Client;
use crate::domain::accounts::{account_type_of, validate_upn};
use crate::framework::attributes::{
    computed, computed_string, optional_computed_string, schema_of, string_list,
};
use crate::framework::data_source::ManagedDataSource;
use crate::framework::diagnostics::Reported;
use crate::framework::validators::{check_known, guid};
use crate::framework::values::non_empty as text;

const WHAT: &str = "resource account";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountData<'a> {
    pub id: ValueString<'a>,
    pub user_principal_name: ValueString<'a>,
    pub display_name: ValueString<'a>,
    pub account_type: ValueString<'a>,
    pub application_id: ValueString<'a>,
    pub usage_location: ValueString<'a>,
    pub license_sku_ids: ValueList<ValueString<'a>>,
    pub phone_numbers: ValueList<ValueString<'a>>,
}

#[derive(Default)]
pub struct ResourceAccountDataSource;

fn schema() -> Schema {
    schema_of(
"Reads a Teams resource account (Auto Attendant or Call Queue, `Get-CsOnlineApplicationInstance`) by object id or user principal name. Set exactly one of `id` and `user_principal_name`.",
[
                ("id", optional_computed_string("Object id (GUID) of the account's Entra user. Set this or `user_principal_name`.")),
                ("user_principal_name", optional_computed_string("Sign-in name of the account, e.g. `aa-seattle@contoso.com`. Set this or `id`.")),
                ("display_name", computed_string("Name shown in Teams and Entra.")),
                ("account_type", computed_string("`auto_attendant` or `call_queue` (another application id shows as the id itself).")),
                ("application_id", computed_string("Application id that makes the account an Auto Attendant or a Call Queue.")),
                ("usage_location", computed_string("ISO 3166 alpha-2 country where the account is used, or null.")),
                ("license_sku_ids", computed(string_list(), "SKU ids of the licenses assigned to the account.")),
                ("phone_numbers", computed(string_list(), "Telephone numbers assigned to the account, `+E.164`.")),
            ],
)
}

/// The data source's state for what the APIs show.
pub fn data_from_api<'a>(
    user: &GraphUser,
    instance: &ApplicationInstance,
    numbers: &[NumberAssignment],
) -> AccountData<'a> {
    let application_id = instance.application_id.as_deref().unwrap_or_default();
    AccountData {
        id: text(Some(&user.id)),
        user_principal_name: text(Some(&user.user_principal_name)),
        display_name: text(user.display_name.as_deref()),
        account_type: text(account_type_of(application_id).or(Some(application_id))),
        application_id: text(Some(application_id)),
        usage_location: text(user.usage_location.as_deref()),
        license_sku_ids: Value::Value(
            user.assigned_licenses
                .iter()
                .map(|l| text(Some(&l.sku_id)))
                .collect(),
        ),
        phone_numbers: Value::Value(
            numbers
                .iter()
                .map(|n| text(Some(&n.telephone_number)))
                .collect(),
        ),
    }
}

#[async_trait]
impl ManagedDataSource for ResourceAccountDataSource {
    type Model<'a> = AccountData<'a>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &AccountData<'_>) {
        check_known(diags, "id", &config.id, guid);
        check_known(
            diags,
            "user_principal_name",
            &config.user_principal_name,
            validate_upn,
        );
        if config.id.is_null() == config.user_principal_name.is_null() {
            diags.root_error(
                "Set exactly one of id and user_principal_name",
                "A resource account is looked up either by its object id or by its user principal name.",
            );
        }
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: AccountData<'a>,
    ) -> Option<AccountData<'a>> {
        let reference = config
            .id
            .as_deref_option()
            .or(config.user_principal_name.as_deref_option())
            .unwrap_or_default()
            .to_string();
        let not_found = |diags: &mut Diagnostics, why: String| {
            diags.root_error(format!("Resource account ({reference}) not found"), why);
        };
        let user = match client
            .get_mg_user(&reference)
            .await
            .or_report(diags, "reading", WHAT, &reference)?
        {
            Some(user) => user,
            None => {
                not_found(
                    diags,
                    format!(
                        "No user {reference:?} exists in tenant {}.",
                        client.tenant_id()
                    ),
                );
                return None;
            }
        };
        let instance = match client
            .application_instance(&user.id)
            .await
            .or_report(diags, "reading", WHAT, &reference)?
        {
            Some(instance) => instance,
            None => {
                not_found(
                    diags,
                    format!(
                        "{} is a user but not a resource account (it has no Teams application instance).",
                        user.user_principal_name
                    ),
                );
                return None;
            }
        };
        let numbers = client.list_numbers_held_by(&user.id).await.or_report(
            diags,
            "reading phone numbers of",
            WHAT,
            &reference,
        )?;
        let mut state = data_from_api(&user, &instance, &numbers);
        // Keep the lookup key as written, so a differently cased reference is not a diff.
        if config.id.is_value() {
            state.id = config.id;
        } else {
            state.user_principal_name = config.user_principal_name;
        }
        Some(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::api::resource_accounts::AssignedLicense;
    use teamsphone_contract::CALL_QUEUE_APP_ID;

    #[test]
    fn state_shows_kind_licenses_and_numbers() {
        let user = GraphUser {
            id: "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11".into(),
            user_principal_name: "cq@contoso.com".into(),
            display_name: Some("Queue".into()),
            usage_location: None,
            assigned_licenses: vec![AssignedLicense {
                sku_id: "440eaaa8-b3e0-484b-a8be-62870b9ba70a".into(),
            }],
            ..Default::default()
        };
        let instance = ApplicationInstance {
            application_id: Some(CALL_QUEUE_APP_ID.into()),
            ..Default::default()
        };
        let numbers = [NumberAssignment {
            telephone_number: "+12065550101".into(),
            ..Default::default()
        }];
        let d = data_from_api(&user, &instance, &numbers);
        assert_eq!(d.account_type.as_deref_option(), Some("call_queue"));
        assert_eq!(d.usage_location, Value::Null);
        assert_eq!(
            d.license_sku_ids,
            Value::Value(vec![text(Some("440eaaa8-b3e0-484b-a8be-62870b9ba70a"))])
        );
        assert_eq!(
            d.phone_numbers,
            Value::Value(vec![text(Some("+12065550101"))])
        );
    }
}
