//! The schema of `teamsphone_call_queue`; its descriptions are the docs page.
//!
//! `overflow` and `timeout` are blocks nested as a group: each appears at most once, and when
//! left out it still exists with its defaults (a call queue always has both behaviours), so the
//! state never holds a null block and Terraform 1.0.3 plans them like any other attribute.

use std::collections::HashMap;

use tf_provider::schema::{
    AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
};

use crate::framework::attributes::{
    attribute, attributes, computed_string, optional_computed, optional_computed_string,
    optional_string, required_string, schema_of, string_list,
};

fn group(description: &str, pairs: [(&str, tf_provider::schema::Attribute); 3]) -> NestedBlock {
    NestedBlock::Group(Block {
        version: 1,
        description: Description::markdown(description),
        attributes: attributes(pairs),
        blocks: HashMap::new(),
        deprecated: false,
    })
}

const TARGET: &str = "Where the action sends the call: for `forward` a user's or resource account's object id, or a number as `tel:+E.164` (such as `\"tel:+12065550100\"`); for `voicemail` the object id of the user whose voicemail takes it; for `shared_voicemail` a Microsoft 365 group's object id (the queue then needs `language_id`). Required for every action but `disconnect`, which takes none.";

pub fn schema() -> Schema {
    let mut schema = schema_of(
"A Teams call queue (`New-CsCallQueue`): the agents who answer calls for a resource account, how calls are offered to them, and what happens when too many callers wait or one waits too long. Associate a call queue resource account with it through `teamsphone_resource_account_association`. Import with the call queue's id.",
[
            ("id", computed_string("The call queue's id (`Identity`), a GUID.")),
            ("name", required_string("Name of the call queue, 1 to 64 characters.")),
            ("language_id", optional_computed_string("Language of the queue's system prompts, such as `\"en-US\"`. Required when an action is `shared_voicemail`. Left out, Teams' choice is recorded.")),
            ("routing_method", optional_computed_string("How calls are offered to agents: `attendant` (all at once, the default), `serial` (in the order of `agents`), `round_robin` or `longest_idle`.")),
            ("agents", attribute(string_list(), AttributeConstraint::Optional, "Object ids of the users who answer, at most 20 (add more through `distribution_lists`). The order matters for `serial` routing.")),
            ("distribution_lists", attribute(string_list(), AttributeConstraint::Optional, "Object ids of groups whose members answer (compared as a set).")),
            ("allow_opt_out", optional_computed(AttributeType::Bool, "Whether agents may opt out of taking calls. Default `true`.")),
            ("conference_mode", optional_computed(AttributeType::Bool, "Whether calls are connected to agents through conference mode, which shortens the time to connect. Default `false`.")),
            ("presence_based_routing", optional_computed(AttributeType::Bool, "Whether calls skip agents whose presence is not Available. Default `false`.")),
            ("agent_alert_time", optional_computed(AttributeType::Number, "Seconds a call rings an agent before it moves on, 15 to 180. Default 30.")),
            ("music_on_hold", optional_computed_string("`\"default\"` (the default) for Teams' music, or the id (GUID) of an uploaded audio file.")),
            ("obo_resource_account_ids", attribute(string_list(), AttributeConstraint::Optional, "Object ids of resource accounts whose numbers agents may call out on behalf of the queue (compared as a set).")),
        ],
    );
    let blocks = [
        (
            "overflow",
            group(
                "What happens when too many calls wait. Left out: disconnect once 50 calls wait.",
                [
                    ("threshold", optional_computed(AttributeType::Number, "Calls waiting at which the action applies, 0 to 200. Default 50.")),
                    ("action", optional_computed_string("`disconnect` (the default), `forward`, `voicemail` or `shared_voicemail`.")),
                    ("target", optional_string(TARGET)),
                ],
            ),
        ),
        (
            "timeout",
            group(
                "What happens when a call waits too long. Left out: disconnect after 1200 seconds.",
                [
                    ("seconds", optional_computed(AttributeType::Number, "Seconds a call may wait, 0 to 2700 in steps of 15. Default 1200.")),
                    ("action", optional_computed_string("`disconnect` (the default), `forward`, `voicemail` or `shared_voicemail`.")),
                    ("target", optional_string(TARGET)),
                ],
            ),
        ),
    ];
    for (name, block) in blocks {
        schema.block.blocks.insert(name.to_string(), block);
    }
    schema
}
