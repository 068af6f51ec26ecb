//! The schema of `teamsphone_auto_attendant`; its descriptions are the docs page.
//!
//! The nested parts are blocks, not object-typed attributes: blocks let every key inside be
//! optional and let a diagnostic point at `holidays[1].dates[0]` on every Terraform version we
//! test (Terraform 1.0.3 has no optional object attributes and no nested attribute types).

use std::collections::HashMap;

use tf_provider::schema::{Attribute, Block, Description, NestedBlock, Schema};

use crate::domain::schedules::WEEKDAYS;
use crate::framework::attributes::{
    attribute, attributes, computed_string, optional_bool, optional_string, required_string,
    schema_of, string_list,
};
use tf_provider::schema::AttributeConstraint;

fn block(
    description: &str,
    attributes: HashMap<String, Attribute>,
    blocks: Vec<(&str, NestedBlock)>,
) -> Block {
    Block {
        version: 1,
        description: Description::markdown(description),
        attributes,
        blocks: blocks
            .into_iter()
            .map(|(n, b)| (n.to_string(), b))
            .collect(),
        deprecated: false,
    }
}

fn target(description: &str) -> NestedBlock {
    NestedBlock::Optional(block(
        description,
        attributes([
            ("type", required_string("`user`, `resource_account` (for example a call queue's), `external_pstn`, `shared_voicemail` (a Microsoft 365 group) or `operator` (the auto attendant's operator).")),
            ("id", optional_string("The user's, resource account's or group's object id (GUID), or for `external_pstn` the number as `tel:+E.164` (`tel:+12065550100`). Left out for `operator`.")),
        ]),
        Vec::new(),
    ))
}

/// A call flow: what a caller hears and what happens next.
pub fn call_flow(description: &str) -> Block {
    let option = block(
        "A menu option: the key a caller presses and what it does.",
        attributes([
            ("key", required_string("The key: `Tone0` to `Tone9`, `ToneStar` or `TonePound`. Each key at most once per menu.")),
            ("action", required_string("`transfer` (to `target`), `disconnect` or `announcement` (reads `greeting`, then returns to the menu).")),
            ("greeting", optional_string("Text to speech played when the option is chosen; required for `announcement`.")),
        ]),
        vec![("target", target("Where `transfer` sends the call; required for it."))],
    );
    let menu = block(
        "The menu of `action = \"menu\"`.",
        attributes([
            (
                "prompt",
                optional_string("Text to speech read as the menu (\"For sales press 1 ...\")."),
            ),
            (
                "dial_by_name",
                optional_bool(
                    "Whether callers may search the directory by name. Left out, they may not.",
                ),
            ),
        ]),
        vec![("options", NestedBlock::List(option))],
    );
    block(
        description,
        attributes([
            (
                "greeting",
                optional_string("Text to speech played first (at most 1000 characters)."),
            ),
            (
                "action",
                required_string(
                    "`disconnect`, `transfer` (to `target`) or `menu` (the `menu` block).",
                ),
            ),
        ]),
        vec![
            (
                "target",
                target("Where `action = \"transfer\"` sends the call; required for it."),
            ),
            ("menu", NestedBlock::Optional(menu)),
        ],
    )
}

pub fn schema() -> Schema {
    let mut schema = schema_of(
"A Teams auto attendant (`New-CsAutoAttendant`) with its business hours and holidays. The schedules Teams keeps as objects of their own (`New-CsOnlineSchedule`) belong to this resource: they are created, changed and removed with it. Associate a resource account with it through `teamsphone_resource_account_association` so that calls to the account's number reach it.",
[
            ("id", computed_string("The auto attendant's id (a GUID).")),
            ("name", required_string("Display name of the auto attendant.")),
            ("language_id", required_string("Language of its prompts and speech recognition, such as `en-US`. Compared without regard to case.")),
            ("time_zone_id", required_string("Time zone its business hours and holidays are in, such as `Pacific Standard Time`.")),
            ("voice_response_enabled", optional_bool("Whether callers may speak instead of pressing keys. Left out, they may not.")),
        ],
    );
    let days = WEEKDAYS.map(|day| {
        (
            day,
            attribute(
                string_list(),
                AttributeConstraint::Optional,
                "Ranges the auto attendant is open that day, each `HH:MM-HH:MM` (24-hour, on 15-minute boundaries; the end may be `24:00`). Left out or `[]`: closed all day.",
            ),
        )
    });
    let holiday = block(
        "A holiday: its name, when it is, and what callers get then. Holidays take precedence over business hours, in the order written.",
        attributes([("name", required_string("Name of the holiday (also the name of its schedule).")) ]),
        vec![
            ("dates", NestedBlock::List(block(
                "A range of the holiday, from `start` to `end` (at most 10 per holiday).",
                attributes([
                    ("start", required_string("Start, `YYYY-MM-DD` (midnight) or `YYYY-MM-DDTHH:MM`, on a 30-minute boundary.")),
                    ("end", required_string("End, after `start`, in the same forms.")),
                ]),
                Vec::new(),
            ))),
            ("call_flow", NestedBlock::Single(call_flow("What callers get during the holiday."))),
        ],
    );
    for (name, nested) in [
        ("operator", target("The operator callers reach with a transfer to `operator` (type `user`, `resource_account` or `external_pstn`).")),
        ("default_call_flow", NestedBlock::Single(call_flow("What callers get during business hours (always, without `business_hours`)."))),
        ("after_hours_call_flow", NestedBlock::Optional(call_flow("What callers get outside business hours; set together with `business_hours`."))),
        ("business_hours", NestedBlock::Optional(block(
            "When the auto attendant is open, per weekday; outside these hours `after_hours_call_flow` answers. Set together with `after_hours_call_flow`.",
            attributes(days),
            Vec::new(),
        ))),
        ("holidays", NestedBlock::List(holiday)),
    ] {
        schema.block.blocks.insert(name.to_string(), nested);
    }
    schema
}
