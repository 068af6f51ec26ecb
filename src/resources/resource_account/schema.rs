//! The schema of `teamsphone_resource_account`; its descriptions are the docs page.

use tf_provider::schema::Schema;

use super::DEFAULT_TIMEOUT;
use crate::framework::attributes::{
    computed_string, optional_string, required_string, schema_of, with_block,
};
use crate::framework::timeouts;

pub fn schema() -> Schema {
    let (name, block) = timeouts::block([DEFAULT_TIMEOUT; 3]);
    with_block(schema_of(
"A Teams resource account (`New-CsOnlineApplicationInstance`): the disabled Entra user an Auto Attendant or Call Queue answers as, and which can hold the phone number a shared calling policy shares.",
[
                ("id", computed_string("Object id (GUID) of the account's Entra user.")),
                ("user_principal_name", required_string("Sign-in name of the account, e.g. `aa-seattle@contoso.com`. Changing it creates a new account.")),
                ("display_name", required_string("Name shown in Teams and Entra. Updated in place.")),
                ("account_type", required_string("`auto_attendant` or `call_queue`. Changing it creates a new account (Microsoft does not support changing it in place).")),
                ("usage_location", optional_string("ISO 3166 alpha-2 country where the account is used (e.g. `US`). Needed before a license or phone number can be assigned. Updated in place.")),
                ("license_sku_id", optional_string("SKU id (GUID) of the license to assign with Graph `assignLicense`, normally Microsoft Teams Phone Resource Account (`440eaaa8-b3e0-484b-a8be-62870b9ba70a`). Needs `usage_location`.")),
                ("application_id", computed_string("Application id that makes the account an Auto Attendant or a Call Queue.")),
            ],
), (name, block))
}
