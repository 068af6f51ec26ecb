//! The `teamsphone_auto_attendant` blocks of an export: one per auto attendant the resource can
//! express, in the order listed, named after it, written exactly as import reads it back
//! (booleans only when on, greetings only when set, days without ranges left out, midnight as a
//! bare date), so the plan after importing is empty.
//!
//! This walks the API's model directly (export does not use the resource's code): a call flow
//! whose menu is one `Automatic` option is `disconnect` or `transfer`, any other is a `menu`. An
//! auto attendant with something the resource does not manage (no default call flow, a target or
//! action of another kind, a prompt that is not text to speech) is left out with a warning.

use super::{identifier, Block, Expr, Names};
use crate::client::api::auto_attendants::{
    date_range_of, day_range_of, target_kind, CallFlow, CallTarget, MenuOption, Prompt,
};
use crate::client::workflows::auto_attendants::AutoAttendantRead;
use crate::domain::call_targets::TargetKind;
use crate::domain::schedules::WEEKDAYS;
use crate::provider::registry;
use teamsphone_contract::{
    AA_ACTION_ANNOUNCEMENT, AA_ACTION_DISCONNECT, AA_ACTION_TRANSFER_TO_OPERATOR,
    AA_ACTION_TRANSFER_TO_TARGET, AA_ASSOCIATION_AFTER_HOURS, AA_ASSOCIATION_HOLIDAY,
    AA_DTMF_AUTOMATIC, PROMPT_TEXT_TO_SPEECH,
};

pub(super) const AUTO_ATTENDANT: &str = registry::AUTO_ATTENDANT;

type Body = Vec<(&'static str, Expr)>;

/// Why an auto attendant cannot be written.
type Unwritable = String;

fn text_prompt(prompts: &[Prompt]) -> Result<Option<String>, Unwritable> {
    match prompts {
        [] => Ok(None),
        [p] if p.active_type.eq_ignore_ascii_case(PROMPT_TEXT_TO_SPEECH) => {
            Ok(p.text_to_speech_prompt.clone().filter(|t| !t.is_empty()))
        }
        _ => Err("a prompt that is not one text-to-speech prompt".into()),
    }
}

fn target(t: &CallTarget) -> Result<Body, Unwritable> {
    match target_kind(&t.r#type) {
        Some(kind) => Ok(vec![
            ("type", Expr::Text(kind.name().to_string())),
            ("id", Expr::Text(t.id.clone())),
        ]),
        None => Err(format!("a call target of type {:?}", t.r#type)),
    }
}

fn operator_target() -> Body {
    vec![("type", Expr::Text(TargetKind::Operator.name().to_string()))]
}

/// An option's action and target block, as the configuration writes them.
fn action_of(o: &MenuOption) -> Result<(&'static str, Option<Body>), Unwritable> {
    let a = o.action.as_str();
    if a.eq_ignore_ascii_case(AA_ACTION_TRANSFER_TO_TARGET) {
        let t = o
            .call_target
            .as_ref()
            .ok_or("a transfer without a target")?;
        Ok(("transfer", Some(target(t)?)))
    } else if a.eq_ignore_ascii_case(AA_ACTION_TRANSFER_TO_OPERATOR) {
        Ok(("transfer", Some(operator_target())))
    } else if a.eq_ignore_ascii_case(AA_ACTION_DISCONNECT) {
        Ok(("disconnect", None))
    } else if a.eq_ignore_ascii_case(AA_ACTION_ANNOUNCEMENT) {
        Ok(("announcement", None))
    } else {
        Err(format!("the menu action {a:?}"))
    }
}

fn flow(f: &CallFlow) -> Result<Body, Unwritable> {
    let mut body: Body = Vec::new();
    if let Some(greeting) = text_prompt(&f.greetings)? {
        body.push(("greeting", Expr::Text(greeting)));
    }
    let options = &f.menu.menu_options;
    if let [only] = options.as_slice() {
        if only.dtmf_response.eq_ignore_ascii_case(AA_DTMF_AUTOMATIC) {
            let (action, t) = action_of(only)?;
            if action == "announcement" {
                return Err("an announcement as a whole call flow".into());
            }
            body.push(("action", Expr::Text(action.into())));
            if let Some(t) = t {
                body.push(("target", Expr::Blocks(vec![t])));
            }
            return Ok(body);
        }
    }
    if options.is_empty() {
        return Err("a menu without options".into());
    }
    body.push(("action", Expr::Text("menu".into())));
    let mut menu: Body = Vec::new();
    if let Some(prompt) = text_prompt(&f.menu.prompts)? {
        menu.push(("prompt", Expr::Text(prompt)));
    }
    if f.menu.dial_by_name_enabled {
        menu.push(("dial_by_name", Expr::Bool(true)));
    }
    let mut blocks = Vec::new();
    for o in options {
        let (action, t) = action_of(o)?;
        let mut option: Body = vec![
            ("key", Expr::Text(o.dtmf_response.clone())),
            ("action", Expr::Text(action.into())),
        ];
        if let Some(greeting) = text_prompt(o.prompt.as_slice())? {
            option.push(("greeting", Expr::Text(greeting)));
        }
        if let Some(t) = t {
            option.push(("target", Expr::Blocks(vec![t])));
        }
        blocks.push(option);
    }
    menu.push(("options", Expr::Blocks(blocks)));
    body.push(("menu", Expr::Blocks(vec![menu])));
    Ok(body)
}

fn attributes(read: &AutoAttendantRead) -> Result<Body, Unwritable> {
    let aa = &read.aa;
    let mut body: Body = vec![
        ("name", Expr::Text(aa.name.clone())),
        (
            "language_id",
            Expr::Text(aa.language_id.clone().unwrap_or_default()),
        ),
        (
            "time_zone_id",
            Expr::Text(aa.time_zone_id.clone().unwrap_or_default()),
        ),
    ];
    if aa.voice_response_enabled == Some(true) {
        body.push(("voice_response_enabled", Expr::Bool(true)));
    }
    if let Some(op) = &aa.operator {
        body.push(("operator", Expr::Blocks(vec![target(op)?])));
    }
    let default = aa
        .default_call_flow
        .as_ref()
        .ok_or("no default call flow")?;
    body.push(("default_call_flow", Expr::Blocks(vec![flow(default)?])));
    let flow_by_id = |id: &str| {
        aa.call_flows
            .iter()
            .find(|f| f.id.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(id)))
            .ok_or_else(|| format!("an association with the missing call flow {id}"))
    };
    let mut associations = aa.call_handling_associations.clone();
    associations.sort_by_key(|a| a.priority);
    let mut holidays = Vec::new();
    for a in &associations {
        let schedule = read
            .schedule(&a.schedule_id)
            .ok_or_else(|| format!("the missing schedule {}", a.schedule_id))?;
        if a.r#type.eq_ignore_ascii_case(AA_ASSOCIATION_AFTER_HOURS) {
            let weekly = schedule
                .weekly_recurrent_schedule
                .as_ref()
                .ok_or("after hours on a schedule that is not weekly")?;
            let mut days: Body = Vec::new();
            for (day, ranges) in WEEKDAYS.iter().zip(weekly.days()) {
                let ranges: Result<Vec<String>, String> = ranges
                    .iter()
                    .map(|r| day_range_of(r).map(|r| r.to_string()))
                    .collect();
                let ranges = ranges?;
                if !ranges.is_empty() {
                    days.push((day, Expr::TextList(ranges)));
                }
            }
            body.push(("business_hours", Expr::Blocks(vec![days])));
            body.push((
                "after_hours_call_flow",
                Expr::Blocks(vec![flow(flow_by_id(&a.call_flow_id)?)?]),
            ));
        } else if a.r#type.eq_ignore_ascii_case(AA_ASSOCIATION_HOLIDAY) {
            let fixed = schedule
                .fixed_schedule
                .as_ref()
                .ok_or("a holiday on a schedule that is not fixed")?;
            let mut dates = Vec::new();
            for r in &fixed.date_time_ranges {
                let r = date_range_of(r)?;
                dates.push(vec![
                    ("start", Expr::Text(r.start.to_string())),
                    ("end", Expr::Text(r.end.to_string())),
                ]);
            }
            holidays.push(vec![
                ("name", Expr::Text(schedule.name.clone())),
                ("dates", Expr::Blocks(dates)),
                (
                    "call_flow",
                    Expr::Blocks(vec![flow(flow_by_id(&a.call_flow_id)?)?]),
                ),
            ]);
        } else {
            return Err(format!(
                "a call handling association of type {:?}",
                a.r#type
            ));
        }
    }
    if !holidays.is_empty() {
        body.push(("holidays", Expr::Blocks(holidays)));
    }
    Ok(body)
}

/// The blocks, and for each written auto attendant its id and resource name (for references).
pub(super) fn blocks(
    all: &[AutoAttendantRead],
    names: &mut Names,
    warnings: &mut Vec<String>,
) -> Vec<Block> {
    let mut blocks = Vec::new();
    for read in all {
        match attributes(read) {
            Ok(attributes) => blocks.push(Block {
                kind: AUTO_ATTENDANT,
                name: names.claim(AUTO_ATTENDANT, identifier(&read.aa.name, "auto_attendant")),
                comment: None,
                attributes,
                import_id: read.aa.id.clone(),
            }),
            Err(why) => warnings.push(format!(
                "auto attendant {:?} ({}) has {why}, which the provider does not manage; left out",
                read.aa.name, read.aa.id
            )),
        }
    }
    blocks
}
