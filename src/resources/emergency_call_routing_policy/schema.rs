//! The schema of `teamsphone_emergency_call_routing_policy`; its descriptions are the docs page.

use tf_provider::schema::{AttributeConstraint, AttributeType, Schema};

use crate::framework::attributes::{
    attribute, computed_string, object_of, optional_bool, optional_string, required_string,
    schema_of, string_list,
};

/// `{dial_string, dial_masks, pstn_usage}`: a plain object type, which Terraform 1.0.3 handles
/// everywhere (nested attributes it does not).
pub fn entry_type() -> AttributeType {
    object_of(
        &["dial_string", "pstn_usage"],
        [("dial_masks", string_list())],
    )
}

pub fn schema() -> Schema {
    schema_of(
"A Teams emergency call routing policy (`New-CsTeamsEmergencyCallRoutingPolicy`): which emergency numbers users can dial and the PSTN usage each is routed through (Direct Routing). Microsoft requires every Shared Calling user to be granted one.",
[
                ("id", computed_string("The policy's identity in Teams, `Tag:<name>`.")),
                ("name", required_string("Name of the policy, without the `Tag:` prefix. Changing it creates a new policy.")),
                ("description", optional_string("Free-text description shown in the Teams admin center (at most 1024 characters).")),
                ("enhanced_emergency_services", optional_bool("Whether enhanced emergency services (location sent with the call) are on. Left out, they are off.")),
                ("emergency_numbers", attribute(AttributeType::List(Box::new(entry_type())), AttributeConstraint::Optional, "The emergency numbers, in order. Each is an object with all three keys: `dial_string` (the number dialled, digits only, 1-10, such as `\"911\"`), `dial_masks` (other numbers dialled for it, each 1-10 digits, `[]` for none) and `pstn_usage` (the online PSTN usage the call is routed through, `null` for none; it must exist in the tenant). No dial string or mask may appear twice in a policy.")),
                ("force_destroy", optional_bool("Guardrail: destroying a policy still granted to users (directly or through groups) fails with the count, unless this is `true`. Only Terraform reads it.")),
            ],
)
}
