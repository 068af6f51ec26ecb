//! Conversions between the Terraform model of an auto attendant and the API's auto attendant
//! and schedules, pure and tested without a server.
//!
//! Terraform's call flow is `{greeting, action, target, menu}`; Teams' is a greeting and a menu
//! whose options are keyed by DTMF tone. `disconnect` and `transfer` are a menu of one
//! `Automatic` option (which runs at once), `menu` is the menu itself; a transfer to `operator`
//! is the action `TransferCallToOperator`. Business hours become a weekly schedule (written as
//! the open hours, `ComplementEnabled`) with an after-hours association; each holiday a fixed
//! schedule with a holiday association. Reads map all of it back, keeping the prior spelling of
//! values that mean the same (`2026-12-25` for `2026-12-25T00:00`, a number's separators, an id's
//! case), so only real changes show as drift.

use serde::{Deserialize, Serialize};
use tf_provider::value::{self, Value, ValueBool, ValueList, ValueString};

use crate::client::api::auto_attendants::{
    date_range_of, day_range_of, fixed_range, target_kind, target_type, weekly_range,
    AutoAttendant, CallFlow, CallTarget, FixedSchedule, Menu, MenuOption, Prompt, Schedule,
    WeeklySchedule,
};
use crate::client::workflows::auto_attendants::{
    AutoAttendantDesign, AutoAttendantRead, Scheduled,
};
use crate::domain::call_targets::{external_number, same_target_id, TargetKind};
use crate::domain::schedules::{parse_date_range, parse_day_range, DateTime, DayRange};
use crate::framework::equality::Equality;
use crate::framework::values::{known_strings, owned};
use teamsphone_contract::{
    AA_ACTION_ANNOUNCEMENT, AA_ACTION_DISCONNECT, AA_ACTION_TRANSFER_TO_OPERATOR,
    AA_ACTION_TRANSFER_TO_TARGET, AA_ASSOCIATION_AFTER_HOURS, AA_ASSOCIATION_HOLIDAY,
    AA_DTMF_AUTOMATIC, PROMPT_TEXT_TO_SPEECH, SCHEDULE_FIXED, SCHEDULE_WEEKLY,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoAttendantModel<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub language_id: ValueString<'a>,
    pub time_zone_id: ValueString<'a>,
    pub voice_response_enabled: ValueBool,
    #[serde(with = "value::serde_as_vec")]
    pub operator: Value<TargetModel<'a>>,
    pub default_call_flow: Value<CallFlowModel<'a>>,
    #[serde(with = "value::serde_as_vec")]
    pub after_hours_call_flow: Value<CallFlowModel<'a>>,
    #[serde(with = "value::serde_as_vec")]
    pub business_hours: Value<BusinessHoursModel<'a>>,
    pub holidays: ValueList<Value<HolidayModel<'a>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TargetModel<'a> {
    #[serde(rename = "type")]
    pub kind: ValueString<'a>,
    pub id: ValueString<'a>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallFlowModel<'a> {
    pub greeting: ValueString<'a>,
    pub action: ValueString<'a>,
    #[serde(with = "value::serde_as_vec")]
    pub target: Value<TargetModel<'a>>,
    #[serde(with = "value::serde_as_vec")]
    pub menu: Value<MenuModel<'a>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MenuModel<'a> {
    pub prompt: ValueString<'a>,
    pub dial_by_name: ValueBool,
    pub options: ValueList<Value<OptionModel<'a>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptionModel<'a> {
    pub key: ValueString<'a>,
    pub action: ValueString<'a>,
    pub greeting: ValueString<'a>,
    #[serde(with = "value::serde_as_vec")]
    pub target: Value<TargetModel<'a>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessHoursModel<'a> {
    pub monday: ValueList<ValueString<'a>>,
    pub tuesday: ValueList<ValueString<'a>>,
    pub wednesday: ValueList<ValueString<'a>>,
    pub thursday: ValueList<ValueString<'a>>,
    pub friday: ValueList<ValueString<'a>>,
    pub saturday: ValueList<ValueString<'a>>,
    pub sunday: ValueList<ValueString<'a>>,
}

impl<'a> BusinessHoursModel<'a> {
    /// The seven days, Monday first (the order of `domain::schedules::WEEKDAYS`).
    pub fn days(&self) -> [&ValueList<ValueString<'a>>; 7] {
        [
            &self.monday,
            &self.tuesday,
            &self.wednesday,
            &self.thursday,
            &self.friday,
            &self.saturday,
            &self.sunday,
        ]
    }

    fn from_days(days: [ValueList<ValueString<'a>>; 7]) -> Self {
        let [monday, tuesday, wednesday, thursday, friday, saturday, sunday] = days;
        BusinessHoursModel {
            monday,
            tuesday,
            wednesday,
            thursday,
            friday,
            saturday,
            sunday,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HolidayModel<'a> {
    pub name: ValueString<'a>,
    pub dates: ValueList<Value<DatesModel<'a>>>,
    pub call_flow: Value<CallFlowModel<'a>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DatesModel<'a> {
    pub start: ValueString<'a>,
    pub end: ValueString<'a>,
}

/// The known elements of a list of blocks.
pub fn items<T>(list: &ValueList<Value<T>>) -> Vec<&T> {
    list.as_ref_option()
        .map(|l| l.iter().filter_map(|v| v.as_ref_option()).collect())
        .unwrap_or_default()
}

fn str_of<'v>(v: &'v ValueString<'_>) -> &'v str {
    v.as_deref_option().unwrap_or_default()
}

fn tts(text: &str) -> Prompt {
    Prompt {
        active_type: PROMPT_TEXT_TO_SPEECH.into(),
        text_to_speech_prompt: Some(text.to_string()),
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The wire target of a configured one; `None` for `operator` (an action, not a target).
fn wire_target(t: &TargetModel<'_>) -> Option<CallTarget> {
    let kind = TargetKind::parse(str_of(&t.kind)).ok()?;
    let id = str_of(&t.id);
    Some(CallTarget {
        id: match kind {
            TargetKind::ExternalPstn => external_number(id).unwrap_or_else(|_| id.to_string()),
            _ => id.to_string(),
        },
        r#type: target_type(kind)?.to_string(),
    })
}

/// A transfer option to `target` (or to the operator) with `key`.
fn transfer(key: &str, target: Option<&TargetModel<'_>>, prompt: Option<Prompt>) -> MenuOption {
    let call_target = target.and_then(wire_target);
    MenuOption {
        action: if call_target.is_some() {
            AA_ACTION_TRANSFER_TO_TARGET
        } else {
            AA_ACTION_TRANSFER_TO_OPERATOR
        }
        .into(),
        dtmf_response: key.into(),
        call_target,
        prompt,
    }
}

/// The wire call flow of a configured one, named `name`, with id `id`.
pub fn wire_flow(flow: &CallFlowModel<'_>, name: &str, id: Option<String>) -> CallFlow {
    let greetings = flow
        .greeting
        .as_deref_option()
        .map(tts)
        .into_iter()
        .collect();
    let mut menu = Menu {
        name: format!("{name} menu"),
        directory_search_method: Some("None".into()),
        ..Default::default()
    };
    match str_of(&flow.action) {
        "transfer" => {
            menu.menu_options = vec![transfer(
                AA_DTMF_AUTOMATIC,
                flow.target.as_ref_option(),
                None,
            )]
        }
        "menu" => {
            let m = flow.menu.as_ref_option();
            menu.prompts = m
                .and_then(|m| m.prompt.as_deref_option())
                .map(tts)
                .into_iter()
                .collect();
            menu.dial_by_name_enabled = m.is_some_and(|m| m.dial_by_name == Value::Value(true));
            if menu.dial_by_name_enabled {
                menu.directory_search_method = Some("ByName".into());
            }
            menu.menu_options = m
                .map(|m| items(&m.options))
                .unwrap_or_default()
                .into_iter()
                .map(|o| {
                    let key = str_of(&o.key);
                    let prompt = o.greeting.as_deref_option().map(tts);
                    match str_of(&o.action) {
                        "transfer" => transfer(key, o.target.as_ref_option(), prompt),
                        action => MenuOption {
                            action: if action == "announcement" {
                                AA_ACTION_ANNOUNCEMENT
                            } else {
                                AA_ACTION_DISCONNECT
                            }
                            .into(),
                            dtmf_response: key.into(),
                            call_target: None,
                            prompt,
                        },
                    }
                })
                .collect();
        }
        _ => {
            menu.menu_options = vec![MenuOption {
                action: AA_ACTION_DISCONNECT.into(),
                dtmf_response: AA_DTMF_AUTOMATIC.into(),
                ..Default::default()
            }]
        }
    }
    CallFlow {
        id,
        name: name.to_string(),
        greetings,
        menu,
    }
}

/// The weekly schedule of business hours (ranges that do not parse were refused at plan).
fn hours_schedule(name: &str, hours: &BusinessHoursModel<'_>) -> Schedule {
    let days = hours.days().map(|day| {
        known_strings(day)
            .into_iter()
            .filter_map(|r| parse_day_range(r).ok())
            .map(weekly_range)
            .collect()
    });
    Schedule {
        name: format!("{name} business hours"),
        r#type: SCHEDULE_WEEKLY.into(),
        weekly_recurrent_schedule: Some(WeeklySchedule::from_days(days, true)),
        ..Default::default()
    }
}

fn holiday_schedule(h: &HolidayModel<'_>) -> Schedule {
    let ranges = items(&h.dates)
        .into_iter()
        .filter_map(|d| parse_date_range(str_of(&d.start), str_of(&d.end)).ok())
        .map(fixed_range)
        .collect();
    Schedule {
        name: str_of(&h.name).to_string(),
        r#type: SCHEDULE_FIXED.into(),
        fixed_schedule: Some(FixedSchedule {
            date_time_ranges: ranges,
        }),
        ..Default::default()
    }
}

/// What to write for a planned state: the auto attendant with fresh call flow ids, and the
/// schedules its after-hours and holiday call flows hang on.
pub fn design_from_model(m: &AutoAttendantModel<'_>) -> AutoAttendantDesign {
    let name = str_of(&m.name);
    let default_flow = m
        .default_call_flow
        .as_ref_option()
        .cloned()
        .unwrap_or_default();
    let mut aa = AutoAttendant {
        name: name.to_string(),
        language_id: m.language_id.as_deref_option().map(str::to_string),
        time_zone_id: m.time_zone_id.as_deref_option().map(str::to_string),
        voice_response_enabled: Some(m.voice_response_enabled == Value::Value(true)),
        // Its id marks the auto attendant, should a create answer without a body.
        default_call_flow: Some(wire_flow(
            &default_flow,
            &format!("{name} default"),
            Some(new_id()),
        )),
        operator: m.operator.as_ref_option().and_then(wire_target),
        ..Default::default()
    };
    let after_hours = match (
        m.after_hours_call_flow.as_ref_option(),
        m.business_hours.as_ref_option(),
    ) {
        (Some(flow), Some(hours)) => {
            let flow = wire_flow(flow, &format!("{name} after hours"), Some(new_id()));
            let call_flow_id = flow.id.clone().unwrap_or_default();
            aa.call_flows.push(flow);
            Some(Scheduled {
                schedule: hours_schedule(name, hours),
                call_flow_id,
            })
        }
        _ => None,
    };
    let holidays = items(&m.holidays)
        .into_iter()
        .map(|h| {
            let flow_model = h.call_flow.as_ref_option().cloned().unwrap_or_default();
            let flow = wire_flow(&flow_model, str_of(&h.name), Some(new_id()));
            let call_flow_id = flow.id.clone().unwrap_or_default();
            aa.call_flows.push(flow);
            Scheduled {
                schedule: holiday_schedule(h),
                call_flow_id,
            }
        })
        .collect();
    AutoAttendantDesign {
        aa,
        after_hours,
        holidays,
    }
}

/// A boolean the API always has: `false` reads as null when the prior said nothing.
fn flag(prior: &ValueBool, api: bool) -> ValueBool {
    match (api, prior) {
        (true, _) => Value::Value(true),
        (false, Value::Value(_)) => Value::Value(false),
        (false, _) => Value::Null,
    }
}

fn text_of(prompts: &[Prompt]) -> Option<&str> {
    prompts
        .first()
        .and_then(|p| p.text_to_speech_prompt.as_deref())
}

fn target_model<'a>(prior: Option<&TargetModel<'a>>, wire: &CallTarget) -> TargetModel<'a> {
    let Some(kind) = target_kind(&wire.r#type) else {
        // A target this provider does not manage shows as itself, so the plan names it.
        return TargetModel {
            kind: owned(wire.r#type.clone()),
            id: owned(wire.id.clone()),
        };
    };
    let id = match prior.and_then(|p| p.id.as_deref_option()) {
        Some(p) if same_target_id(kind, p, &wire.id) => prior.unwrap().id.clone(),
        _ => owned(wire.id.clone()),
    };
    TargetModel {
        kind: owned(kind.name()),
        id,
    }
}

fn operator_model<'a>() -> TargetModel<'a> {
    TargetModel {
        kind: owned(TargetKind::Operator.name()),
        id: Value::Null,
    }
}

/// The action and target of one wire option, as the configuration writes them.
fn option_parts<'a>(
    prior: Option<&TargetModel<'a>>,
    o: &MenuOption,
) -> (String, Value<TargetModel<'a>>) {
    let a = o.action.as_str();
    if a.eq_ignore_ascii_case(AA_ACTION_TRANSFER_TO_TARGET) {
        let target = o.call_target.as_ref().map(|t| target_model(prior, t));
        ("transfer".into(), target.map_or(Value::Null, Value::Value))
    } else if a.eq_ignore_ascii_case(AA_ACTION_TRANSFER_TO_OPERATOR) {
        ("transfer".into(), Value::Value(operator_model()))
    } else if a.eq_ignore_ascii_case(AA_ACTION_DISCONNECT) {
        ("disconnect".into(), Value::Null)
    } else if a.eq_ignore_ascii_case(AA_ACTION_ANNOUNCEMENT) {
        ("announcement".into(), Value::Null)
    } else {
        (a.to_string(), Value::Null)
    }
}

/// The state of a wire call flow, keeping `prior`'s spellings.
pub fn flow_model<'a>(prior: Option<&CallFlowModel<'a>>, wire: &CallFlow) -> CallFlowModel<'a> {
    let greeting = text_of(&wire.greetings).map_or(Value::Null, owned);
    let options = &wire.menu.menu_options;
    let prior_target = prior.and_then(|p| p.target.as_ref_option());
    if let [only] = options.as_slice() {
        if only.dtmf_response.eq_ignore_ascii_case(AA_DTMF_AUTOMATIC) {
            let (action, target) = option_parts(prior_target, only);
            return CallFlowModel {
                greeting,
                action: owned(action),
                target,
                menu: Value::Null,
            };
        }
    }
    let prior_menu = prior.and_then(|p| p.menu.as_ref_option());
    let prior_options = prior_menu.map(|m| items(&m.options)).unwrap_or_default();
    let options = options
        .iter()
        .map(|o| {
            let prior = prior_options
                .iter()
                .find(|p| str_of(&p.key).eq_ignore_ascii_case(&o.dtmf_response))
                .and_then(|p| p.target.as_ref_option());
            let (action, target) = option_parts(prior, o);
            Value::Value(OptionModel {
                key: owned(o.dtmf_response.clone()),
                action: owned(action),
                greeting: o
                    .prompt
                    .as_ref()
                    .and_then(|p| p.text_to_speech_prompt.as_deref())
                    .map_or(Value::Null, owned),
                target,
            })
        })
        .collect();
    let prior_dial = prior_menu.map_or(Value::Null, |m| m.dial_by_name);
    CallFlowModel {
        greeting,
        action: owned("menu"),
        target: Value::Null,
        menu: Value::Value(MenuModel {
            prompt: text_of(&wire.menu.prompts).map_or(Value::Null, owned),
            dial_by_name: flag(&prior_dial, wire.menu.dial_by_name_enabled),
            options: Value::Value(options),
        }),
    }
}

/// One day's state: the prior list when it means the same ranges, else the API's.
fn day_model<'a>(
    prior: Option<&ValueList<ValueString<'a>>>,
    wire: &[crate::client::api::auto_attendants::WireRange],
) -> ValueList<ValueString<'a>> {
    let api: Vec<DayRange> = wire.iter().filter_map(|r| day_range_of(r).ok()).collect();
    // A closed day reads as left out, unless the configuration wrote `[]`.
    if api.is_empty() && prior.is_none_or(|p| p.is_null()) {
        return Value::Null;
    }
    if let Some(prior) = prior {
        let parsed: Option<Vec<DayRange>> = prior.as_ref_option().map(|l| {
            l.iter()
                .filter_map(|v| v.as_deref_option().and_then(|t| parse_day_range(t).ok()))
                .collect()
        });
        match parsed {
            Some(p) if p == api => return prior.clone(),
            _ => {}
        }
    }
    Value::Value(api.iter().map(|r| owned(r.to_string())).collect())
}

fn hours_model<'a>(
    prior: Option<&BusinessHoursModel<'a>>,
    weekly: &WeeklySchedule,
) -> BusinessHoursModel<'a> {
    let prior_days = prior.map(|p| p.days());
    let wire = weekly.days();
    BusinessHoursModel::from_days(std::array::from_fn(|i| {
        day_model(prior_days.map(|d| d[i]), wire[i])
    }))
}

/// A moment's state: the prior spelling when it is the same moment.
fn moment<'a>(prior: Option<&ValueString<'a>>, api: DateTime) -> ValueString<'a> {
    match prior.and_then(|p| p.as_deref_option()) {
        Some(p) if DateTime::parse(p).ok() == Some(api) => prior.unwrap().clone(),
        _ => owned(api.to_string()),
    }
}

fn holiday_model<'a>(
    prior: Option<&HolidayModel<'a>>,
    schedule: &Schedule,
    flow: Option<&CallFlow>,
) -> HolidayModel<'a> {
    let prior_dates = prior.map(|p| items(&p.dates)).unwrap_or_default();
    let ranges = schedule
        .fixed_schedule
        .as_ref()
        .map(|f| f.date_time_ranges.as_slice())
        .unwrap_or_default();
    let dates = ranges
        .iter()
        .filter_map(|r| date_range_of(r).ok())
        .enumerate()
        .map(|(i, r)| {
            let p = prior_dates.get(i);
            Value::Value(DatesModel {
                start: moment(p.map(|p| &p.start), r.start),
                end: moment(p.map(|p| &p.end), r.end),
            })
        })
        .collect();
    let prior_flow = prior.and_then(|p| p.call_flow.as_ref_option());
    HolidayModel {
        name: owned(schedule.name.clone()),
        dates: Value::Value(dates),
        call_flow: flow.map_or(Value::Null, |f| Value::Value(flow_model(prior_flow, f))),
    }
}

/// The state for what the API holds.
pub fn model_from_api<'a>(
    prior: &AutoAttendantModel<'a>,
    read: &AutoAttendantRead,
) -> AutoAttendantModel<'a> {
    let aa = &read.aa;
    let flow_by_id = |id: &str| {
        aa.call_flows
            .iter()
            .find(|f| f.id.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(id)))
    };
    let mut associations = aa.call_handling_associations.clone();
    associations.sort_by_key(|a| a.priority);
    let mut business_hours = Value::Null;
    let mut after_hours_call_flow = Value::Null;
    let mut holidays = Vec::new();
    let prior_holidays = items(&prior.holidays);
    for a in &associations {
        let schedule = read.schedule(&a.schedule_id);
        if a.r#type.eq_ignore_ascii_case(AA_ASSOCIATION_AFTER_HOURS) {
            if let Some(weekly) = schedule.and_then(|s| s.weekly_recurrent_schedule.as_ref()) {
                business_hours =
                    Value::Value(hours_model(prior.business_hours.as_ref_option(), weekly));
            }
            if let Some(flow) = flow_by_id(&a.call_flow_id) {
                after_hours_call_flow = Value::Value(flow_model(
                    prior.after_hours_call_flow.as_ref_option(),
                    flow,
                ));
            }
        } else if a.r#type.eq_ignore_ascii_case(AA_ASSOCIATION_HOLIDAY) {
            // A holiday whose schedule is gone is gone: the plan puts it back.
            if let Some(schedule) = schedule {
                let prior = prior_holidays.get(holidays.len()).copied();
                holidays.push(Value::Value(holiday_model(
                    prior,
                    schedule,
                    flow_by_id(&a.call_flow_id),
                )));
            }
        }
    }
    let default_call_flow = aa.default_call_flow.as_ref().map_or(Value::Null, |f| {
        Value::Value(flow_model(prior.default_call_flow.as_ref_option(), f))
    });
    AutoAttendantModel {
        id: owned(aa.id.clone()),
        name: owned(aa.name.clone()),
        language_id: Equality::CaseInsensitive
            .keep_option(&prior.language_id, aa.language_id.as_deref()),
        time_zone_id: Equality::Exact.keep_option(&prior.time_zone_id, aa.time_zone_id.as_deref()),
        voice_response_enabled: flag(
            &prior.voice_response_enabled,
            aa.voice_response_enabled.unwrap_or(false),
        ),
        operator: aa.operator.as_ref().map_or(Value::Null, |o| {
            Value::Value(target_model(prior.operator.as_ref_option(), o))
        }),
        default_call_flow,
        after_hours_call_flow,
        business_hours,
        holidays: Value::Value(holidays),
    }
}
