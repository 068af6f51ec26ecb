//! The schema of `teamsphone_shared_calling_policy`; its descriptions are the docs page.

use tf_provider::schema::Schema;

use crate::framework::attributes::{
    computed_string, optional_bool, optional_string, optional_string_set, required_string,
    schema_of,
};

pub fn schema() -> Schema {
    schema_of(
"A Teams shared calling routing policy (`New-CsTeamsSharedCallingRoutingPolicy`). Users granted it call out with the phone number of its resource account, and its emergency numbers serve as their emergency callback numbers. Before a create, or an update of the account or the numbers, the phone number inventory is read and Microsoft's number rules are checked: the account holds an activated number with an emergency location, and each emergency number exists in the tenant, has that number's type and country, and is assigned to nobody. Every broken rule is an error on its attribute and nothing is written (with no numbers in the inventory at all, or none readable, the service judges alone).",
[
                ("id", computed_string("The policy's identity in Teams, `Tag:<name>`.")),
                ("name", required_string("Name of the policy, without the `Tag:` prefix. Changing it creates a new policy.")),
                ("description", optional_string("Free-text description shown in the Teams admin center (at most 1024 characters).")),
                ("resource_account_id", required_string("Object id (GUID) of the resource account whose phone number users call out with. The account must hold a number with an emergency location.")),
                ("force_destroy", optional_bool("Guardrail: destroying a policy still granted to users (directly or through groups) fails with the count, unless this is `true`. Only Terraform reads it.")),
                ("emergency_numbers", optional_string_set("Emergency callback numbers in E.164 form (`+12065550100`). Each must be of the same number type and country as the resource account's number, assigned to nobody, and unused by other policies. Equivalent spellings of one number are treated as equal.")),
            ],
)
}
