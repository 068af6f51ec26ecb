//! The schema of `teamsphone_policy_assignment_set`; its descriptions are the docs page.

use tf_provider::schema::Schema;

use crate::framework::attributes::{computed_string, optional_number, required_string, schema_of};
use crate::framework::bindings::{policy_type_attribute, user_set_attribute};

pub fn schema() -> Schema {
    schema_of(
"Grants one Teams policy directly to a set of users, in batches. Reads all users in one paged pass, so plans stay fast with tens of thousands of users. Users not listed are left alone. Import with `<policy type>/<policy name>` (every user holding it directly).",
[
                ("id", computed_string("`<policy type>/<policy name>`.")),
                ("policy_type", policy_type_attribute()),
                ("policy_name", required_string("Name of the policy instance to grant, without `Tag:`. It must exist. Changing it re-grants to every user in place.")),
                ("user_ids", user_set_attribute("Users to hold the policy directly: object ids or user principal names (case-insensitive; your spelling is kept).")),
                ("max_unassign", optional_number("Guardrail: a change that would take the policy from more users than this fails at plan time, with the count (default 500). Raise it for a deliberate large removal.")),
            ],
)
}
