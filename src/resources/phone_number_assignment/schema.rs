//! The schema of `teamsphone_phone_number_assignment`; its descriptions are the docs page.

use tf_provider::schema::Schema;

use super::DEFAULT_TIMEOUT;
use crate::framework::attributes::{
    computed_string, optional_computed_string, optional_string, required_string, schema_of,
    with_block,
};
use crate::framework::timeouts;

pub fn schema() -> Schema {
    let (name, block) = timeouts::block([DEFAULT_TIMEOUT; 3]);
    with_block(schema_of(
"Assigns a telephone number to a user or resource account (Graph `assignNumber`), optionally with an emergency location.",
[
                ("id", computed_string("The number in canonical `+E.164` form (with `;ext=N` for a Direct Routing extension).")),
                ("telephone_number", required_string("The number, `+E.164` (`+12065550100`; spaces, dashes and brackets are ignored). `;ext=N` only for Direct Routing. Changing it (to a different number) creates a new assignment.")),
                ("target_id", required_string("Object id (GUID) of the user or resource account that gets the number. Changing it re-assigns the number.")),
                ("number_type", required_string("`direct_routing`, `calling_plan` or `operator_connect`. Changing it creates a new assignment.")),
                ("assignment_category", optional_computed_string("`primary` (default), `private` or `alternate`. Changing it creates a new assignment.")),
                ("location_id", optional_string("Emergency location id (GUID). Updated in place; removing it clears the location.")),
                ("activation_state", computed_string("Teams' `activationState` of the number: `activated` once the assignment is done, `assignmentPending` while Teams is still working.")),
                ("iso_country_code", computed_string("ISO 3166 alpha-2 country of the number, known at plan time from the number itself.")),
            ],
), (name, block))
}
