//! The plan-time checks of an auto attendant, each a diagnostic on the attribute it is about
//! (`holidays[1].dates[0]`, `default_call_flow.menu[0].options[2].key`), from the contract's
//! limits: business hours on 15-minute boundaries, holiday ranges on 30-minute boundaries, at
//! most 10 ranges per holiday and 20 holidays, menu keys unique and from `Tone0`..`TonePound`,
//! a target for every transfer, `tel:+E.164` for external numbers. The rules themselves are in
//! `crate::domain`; this file walks the configuration and says where.
//!
//! Unknown values (known only after another resource is applied) pass; they are checked when
//! known, and the API has the last word.

use tf_provider::value::{Value, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use super::model::{items, AutoAttendantModel, BusinessHoursModel, CallFlowModel, TargetModel};
use crate::domain::call_targets::{validate_target_id, TargetKind};
use crate::domain::schedules::{
    check_day, parse_day_range, parse_holiday_moment, MAX_HOLIDAYS, MAX_HOLIDAY_RANGES, WEEKDAYS,
};
use crate::domain::text::{one_of, text};
use teamsphone_contract::AA_DTMF_TONES;

/// An attribute path and its text, for the diagnostic's summary.
#[derive(Clone)]
struct At {
    path: AttributePath,
    text: String,
}

impl At {
    fn root(name: &'static str) -> At {
        At {
            path: AttributePath::new(name),
            text: name.to_string(),
        }
    }

    fn attr(&self, name: &'static str) -> At {
        At {
            path: self.path.clone().attribute(name),
            text: format!("{}.{name}", self.text),
        }
    }

    fn index(&self, i: usize) -> At {
        At {
            path: self.path.clone().index(i as i64),
            text: format!("{}[{i}]", self.text),
        }
    }

    fn error(&self, diags: &mut Diagnostics, detail: impl Into<String>) {
        diags.error(
            format!("Invalid {}", self.text),
            detail.into(),
            self.path.clone(),
        );
    }

    /// Reports `check`'s problem with a known value.
    fn check(
        &self,
        diags: &mut Diagnostics,
        value: &ValueString<'_>,
        check: impl FnOnce(&str) -> Result<(), String>,
    ) {
        if let Some(v) = value.as_deref_option() {
            if let Err(problem) = check(v) {
                self.error(diags, problem);
            }
        }
    }
}

/// Every check of a configuration.
pub fn validate(diags: &mut Diagnostics, m: &AutoAttendantModel<'_>) {
    At::root("name").check(diags, &m.name, text(256));
    At::root("language_id").check(diags, &m.language_id, text(32));
    At::root("time_zone_id").check(diags, &m.time_zone_id, text(128));
    // Unknown counts as present: the check waits for the value.
    let has_operator = !m.operator.is_null();
    if let Some(op) = m.operator.as_ref_option() {
        let at = At::root("operator").index(0);
        if let Some(kind) = op.kind.as_deref_option() {
            if matches!(
                TargetKind::parse(kind),
                Ok(TargetKind::Operator | TargetKind::SharedVoicemail)
            ) {
                at.attr("type").error(
                    diags,
                    "the operator is a \"user\", a \"resource_account\" or an \"external_pstn\" number",
                );
                return;
            }
        }
        check_target(diags, &at, op, true);
    }
    if let Some(flow) = m.default_call_flow.as_ref_option() {
        check_flow(diags, &At::root("default_call_flow"), flow, has_operator);
    }
    if let Some(flow) = m.after_hours_call_flow.as_ref_option() {
        check_flow(
            diags,
            &At::root("after_hours_call_flow").index(0),
            flow,
            has_operator,
        );
    }
    match (&m.business_hours, &m.after_hours_call_flow) {
        // Terraform quotes the line of an attribute, never of a block: on the first day set.
        (Value::Value(hours), Value::Null) => first_day(hours).error(
            diags,
            "business_hours needs an after_hours_call_flow: what callers get outside them",
        ),
        (Value::Null, Value::Value(_)) => At::root("after_hours_call_flow").index(0).error(
            diags,
            "after_hours_call_flow needs business_hours: without them the auto attendant is always open",
        ),
        _ => {}
    }
    if let Some(hours) = m.business_hours.as_ref_option() {
        let at = At::root("business_hours").index(0);
        for (day, list) in WEEKDAYS.iter().zip(hours.days()) {
            let Some(list) = list.as_ref_option() else {
                continue;
            };
            let day_at = at.attr(day);
            let mut ranges = Vec::new();
            for (i, range) in list.iter().enumerate() {
                if let Some(text) = range.as_deref_option() {
                    match parse_day_range(text) {
                        Ok(r) => ranges.push(r),
                        Err(problem) => day_at.index(i).error(diags, problem),
                    }
                }
            }
            if let Err(problem) = check_day(&ranges) {
                day_at.error(diags, problem);
            }
        }
    }
    check_holidays(diags, m, has_operator);
}

/// The first weekday `hours` sets, else the block.
fn first_day(hours: &BusinessHoursModel<'_>) -> At {
    let at = At::root("business_hours").index(0);
    match WEEKDAYS
        .iter()
        .zip(hours.days())
        .find(|(_, d)| !d.is_null())
    {
        Some((day, _)) => at.attr(day),
        None => at,
    }
}

fn check_holidays(diags: &mut Diagnostics, m: &AutoAttendantModel<'_>, has_operator: bool) {
    let Some(list) = m.holidays.as_ref_option() else {
        return;
    };
    // On the name of the first holiday past the limit (an attribute, so Terraform quotes it).
    if list.len() > MAX_HOLIDAYS {
        At::root("holidays").index(MAX_HOLIDAYS).attr("name").error(
            diags,
            format!(
                "an auto attendant has at most {MAX_HOLIDAYS} holidays, not {}",
                list.len()
            ),
        );
    }
    for (i, holiday) in list.iter().enumerate() {
        let Some(h) = holiday.as_ref_option() else {
            continue;
        };
        let at = At::root("holidays").index(i);
        at.attr("name").check(diags, &h.name, text(64));
        if let Some(dates) = h.dates.as_ref_option() {
            let dates_at = at.attr("dates");
            if dates.is_empty() {
                at.attr("name")
                    .error(diags, "a holiday needs at least one dates block");
            } else if dates.len() > MAX_HOLIDAY_RANGES {
                dates_at.index(MAX_HOLIDAY_RANGES).attr("start").error(
                    diags,
                    format!(
                        "a holiday has at most {MAX_HOLIDAY_RANGES} date ranges, not {}",
                        dates.len()
                    ),
                );
            }
            for (j, range) in dates.iter().enumerate() {
                let Some(r) = range.as_ref_option() else {
                    continue;
                };
                // Each end on its own attribute; the order of the two on `end`.
                let range_at = dates_at.index(j);
                let mut moment = |name: &'static str, value: &ValueString<'_>| {
                    let text = value.as_deref_option()?;
                    parse_holiday_moment(text)
                        .map_err(|problem| range_at.attr(name).error(diags, problem))
                        .ok()
                };
                let (start, end) = (moment("start", &r.start), moment("end", &r.end));
                if let (Some(start), Some(end)) = (start, end) {
                    if start >= end {
                        range_at.attr("end").error(
                            diags,
                            format!("the range must end after it starts ({start} to {end})"),
                        );
                    }
                }
            }
        }
        if let Some(flow) = h.call_flow.as_ref_option() {
            check_flow(diags, &at.attr("call_flow"), flow, has_operator);
        }
    }
}

fn check_target(diags: &mut Diagnostics, at: &At, t: &TargetModel<'_>, has_operator: bool) {
    let Some(kind) = t.kind.as_deref_option() else {
        return;
    };
    let kind = match TargetKind::parse(kind) {
        Ok(kind) => kind,
        Err(problem) => return at.attr("type").error(diags, problem),
    };
    if kind == TargetKind::Operator && !has_operator {
        at.attr("type").error(
            diags,
            "a transfer to the operator needs the auto attendant's operator block",
        );
    }
    if t.id.is_unknown() {
        return;
    }
    if let Err(problem) = validate_target_id(kind, t.id.as_deref_option()) {
        at.attr("id").error(diags, problem);
    }
}

/// The target block's rules for an action: required for `transfer`, refused otherwise.
fn check_action_target(
    diags: &mut Diagnostics,
    at: &At,
    action: Option<&str>,
    target: &Value<TargetModel<'_>>,
    has_operator: bool,
) {
    match (action, target) {
        (Some("transfer"), Value::Null) => at
            .attr("action")
            .error(diags, "action = \"transfer\" needs a target block"),
        (Some(a), Value::Value(_)) if a != "transfer" => at.attr("target").index(0).error(
            diags,
            format!("a target is only for action = \"transfer\", not {a:?}"),
        ),
        (_, Value::Value(t)) => check_target(diags, &at.attr("target").index(0), t, has_operator),
        _ => {}
    }
}

fn check_flow(diags: &mut Diagnostics, at: &At, flow: &CallFlowModel<'_>, has_operator: bool) {
    at.attr("greeting").check(diags, &flow.greeting, text(1000));
    let action = flow.action.as_deref_option();
    at.attr("action").check(
        diags,
        &flow.action,
        one_of(&["disconnect", "transfer", "menu"]),
    );
    check_action_target(diags, at, action, &flow.target, has_operator);
    match (action, &flow.menu) {
        (Some("menu"), Value::Null) => at
            .attr("action")
            .error(diags, "action = \"menu\" needs a menu block"),
        (Some(a), Value::Value(_)) if a != "menu" => at.attr("menu").index(0).error(
            diags,
            format!("a menu block is only for action = \"menu\", not {a:?}"),
        ),
        _ => {}
    }
    let Some(menu) = flow.menu.as_ref_option() else {
        return;
    };
    let menu_at = at.attr("menu").index(0);
    menu_at
        .attr("prompt")
        .check(diags, &menu.prompt, text(1000));
    let Some(options) = menu.options.as_ref_option() else {
        return;
    };
    if options.is_empty() {
        menu_at
            .attr("options")
            .error(diags, "a menu needs at least one options block");
    }
    let mut keys: Vec<&str> = Vec::new();
    for (k, option) in items(&menu.options).into_iter().enumerate() {
        let o_at = menu_at.attr("options").index(k);
        if let Some(key) = option.key.as_deref_option() {
            if !AA_DTMF_TONES.contains(&key) {
                o_at.attr("key").error(
                    diags,
                    format!(
                        "{key:?} is not a menu key; use one of: {}",
                        AA_DTMF_TONES.join(", ")
                    ),
                );
            } else if keys.contains(&key) {
                o_at.attr("key")
                    .error(diags, format!("the key {key:?} is used twice in this menu"));
            }
            keys.push(key);
        }
        let action = option.action.as_deref_option();
        o_at.attr("action").check(
            diags,
            &option.action,
            one_of(&["transfer", "disconnect", "announcement"]),
        );
        o_at.attr("greeting")
            .check(diags, &option.greeting, text(1000));
        if action == Some("announcement") && option.greeting.is_null() {
            o_at.attr("action").error(
                diags,
                "action = \"announcement\" needs a greeting to announce",
            );
        }
        check_action_target(diags, &o_at, action, &option.target, has_operator);
    }
}
