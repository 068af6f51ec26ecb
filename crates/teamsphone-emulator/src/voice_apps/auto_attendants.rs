//! Auto attendants as the service keeps them (`New-CsAutoAttendant` and friends, contract section
//! 5c): the whole object is written at once (create, and `PUT` of the whole object), checked
//! against the service's rules, and its schedules are separate objects it references.
//!
//! What a write must satisfy, each refused with a 400 naming the problem:
//!
//! - `Name`, `LanguageId`, `TimeZoneId` set; a `DefaultCallFlow`;
//! - every call flow's menu: `DtmfResponse` from `Tone0`..`TonePound` and unique, or a single
//!   `Automatic` option; `Action` one of the four names; a transfer names a `CallTarget` that
//!   exists (a user, a resource account, a group for shared voicemail, an auto attendant or call
//!   queue, or `tel:+E.164`), a transfer to the operator needs an `Operator`, an announcement a
//!   prompt; text-to-speech prompts carry text (the emulator has no audio files);
//! - `CallFlows[].Id` unique; `CallHandlingAssociations` of type `AfterHours` (at most one, a
//!   weekly schedule) or `Holiday` (at most 20, fixed schedules), each naming an existing
//!   `ScheduleId` and a `CallFlowId` of `CallFlows`, priorities unique.
//!
//! Enum values travel as names; unknown fields are refused (`deny_unknown_fields`), so a client
//! that misspells one fails a test rather than being silently ignored.

use super::model::{position_of, remove_configuration};
use super::{invalid, VoiceAppError};
use serde::{Deserialize, Serialize};

use super::schedules::{self, Schedule};
use crate::directory::AccountType;
use crate::policy::normalize_guid;
use crate::state::Tenant;
use teamsphone_contract::{
    AA_ACTION_ANNOUNCEMENT, AA_ACTION_DISCONNECT, AA_ACTION_TRANSFER_TO_OPERATOR,
    AA_ACTION_TRANSFER_TO_TARGET, AA_ASSOCIATION_AFTER_HOURS, AA_ASSOCIATION_HOLIDAY,
    AA_DTMF_AUTOMATIC, AA_DTMF_TONES, AA_MAX_HOLIDAYS, AA_TARGET_APPLICATION_ENDPOINT,
    AA_TARGET_CONFIGURATION_ENDPOINT, AA_TARGET_EXTERNAL_PSTN, AA_TARGET_SHARED_VOICEMAIL,
    AA_TARGET_USER, PROMPT_TEXT_TO_SPEECH, SCHEDULE_FIXED, SCHEDULE_WEEKLY,
};

/// Longest text accepted for names and prompts.
const MAX_TEXT: usize = 1000;

/// An auto attendant. Seeds may give only `Id`, `Name` and the two ids of language and zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AutoAttendant {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default = "default_language")]
    pub language_id: String,
    #[serde(default = "default_time_zone")]
    pub time_zone_id: String,
    #[serde(default)]
    pub voice_response_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_call_flow: Option<CallFlow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub call_flows: Vec<CallFlow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub call_handling_associations: Vec<CallHandlingAssociation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<CallTarget>,
}

fn default_language() -> String {
    "en-US".into()
}

fn default_time_zone() -> String {
    "UTC".into()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CallFlow {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub greetings: Vec<Prompt>,
    pub menu: Menu,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Menu {
    pub name: String,
    #[serde(default)]
    pub dial_by_name_enabled: bool,
    #[serde(default)]
    pub directory_search_method: Option<String>,
    #[serde(default)]
    pub prompts: Vec<Prompt>,
    #[serde(default)]
    pub menu_options: Vec<MenuOption>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MenuOption {
    pub action: String,
    pub dtmf_response: String,
    #[serde(default)]
    pub call_target: Option<CallTarget>,
    #[serde(default)]
    pub prompt: Option<Prompt>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CallTarget {
    pub id: String,
    pub r#type: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Prompt {
    pub active_type: String,
    #[serde(default)]
    pub text_to_speech_prompt: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CallHandlingAssociation {
    pub r#type: String,
    pub schedule_id: String,
    pub call_flow_id: String,
    #[serde(default)]
    pub priority: u32,
}

/// Parses a create or update body: a JSON object with the fields above (any extra field but
/// `ApplicationInstances` is refused).
pub fn parse(body: &[u8]) -> Result<AutoAttendant, VoiceAppError> {
    let mut map = crate::body::json_object(body).map_err(invalid)?;
    // Read-only (set through the association); a client sending back what it read is not wrong.
    map.remove("ApplicationInstances");
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| invalid(format!("The auto attendant is not valid: {e}")))
}

fn text(what: &str, value: &str) -> Result<(), VoiceAppError> {
    if value.trim().is_empty() || value.chars().count() > MAX_TEXT {
        return Err(invalid(format!(
            "{what} must be 1 to {MAX_TEXT} characters."
        )));
    }
    Ok(())
}

fn check_prompt(where_: &str, p: &Prompt) -> Result<(), VoiceAppError> {
    if p.active_type != PROMPT_TEXT_TO_SPEECH {
        return Err(invalid(format!(
            "{where_}: prompt type '{}' is not supported here; use {PROMPT_TEXT_TO_SPEECH} (no audio file is uploaded).",
            p.active_type
        )));
    }
    text(
        &format!("{where_}: TextToSpeechPrompt"),
        p.text_to_speech_prompt.as_deref().unwrap_or(""),
    )
}

/// Whether `target` names something that exists in the tenant, as the service checks.
fn check_target(t: &Tenant, where_: &str, target: &CallTarget) -> Result<(), VoiceAppError> {
    let missing = |what: &str| {
        Err(invalid(format!(
            "{where_}: the call target '{}' of type {} is not {what}.",
            target.id, target.r#type
        )))
    };
    let id = target.id.as_str();
    let user = t.users.iter().find(|u| u.id.eq_ignore_ascii_case(id));
    match target.r#type.as_str() {
        AA_TARGET_USER => match user {
            Some(u) if u.account_type == AccountType::User => Ok(()),
            _ => missing("a user of the tenant"),
        },
        AA_TARGET_APPLICATION_ENDPOINT => match user {
            Some(u) if u.account_type == AccountType::ResourceAccount => Ok(()),
            _ => missing("a resource account of the tenant"),
        },
        AA_TARGET_SHARED_VOICEMAIL => {
            match t.groups.iter().any(|g| g.id.eq_ignore_ascii_case(id)) {
                true => Ok(()),
                false => missing("a group of the tenant"),
            }
        }
        AA_TARGET_CONFIGURATION_ENDPOINT => match t.voice_apps.configuration(id) {
            Some(_) => Ok(()),
            None => missing("an auto attendant or call queue of the tenant"),
        },
        AA_TARGET_EXTERNAL_PSTN => {
            let digits = id.strip_prefix("tel:+").unwrap_or("");
            if (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                missing("a tel:+E.164 number")
            }
        }
        other => Err(invalid(format!(
            "{where_}: call target type '{other}' is not valid."
        ))),
    }
}

fn check_flow(t: &Tenant, aa: &AutoAttendant, flow: &CallFlow) -> Result<(), VoiceAppError> {
    let at = format!("call flow '{}'", flow.name);
    text("A call flow's Name", &flow.name)?;
    for g in &flow.greetings {
        check_prompt(&at, g)?;
    }
    for p in &flow.menu.prompts {
        check_prompt(&at, p)?;
    }
    let options = &flow.menu.menu_options;
    let mut keys: Vec<&str> = Vec::new();
    for o in options {
        let key = o.dtmf_response.as_str();
        if key == AA_DTMF_AUTOMATIC {
            if options.len() > 1 {
                return Err(invalid(format!(
                    "{at}: an {AA_DTMF_AUTOMATIC} option must be the menu's only option."
                )));
            }
        } else if !AA_DTMF_TONES.contains(&key) {
            return Err(invalid(format!("{at}: DtmfResponse '{key}' is not valid.")));
        }
        if keys.contains(&key) {
            return Err(invalid(format!(
                "{at}: DtmfResponse '{key}' is used twice."
            )));
        }
        keys.push(key);
        match (o.action.as_str(), &o.call_target) {
            (AA_ACTION_DISCONNECT, _) => {}
            (AA_ACTION_TRANSFER_TO_TARGET, Some(target)) => check_target(t, &at, target)?,
            (AA_ACTION_TRANSFER_TO_TARGET, None) => {
                return Err(invalid(format!(
                    "{at}: {AA_ACTION_TRANSFER_TO_TARGET} needs a CallTarget."
                )))
            }
            (AA_ACTION_TRANSFER_TO_OPERATOR, _) if aa.operator.is_none() => {
                return Err(invalid(format!(
                    "{at}: {AA_ACTION_TRANSFER_TO_OPERATOR} needs the auto attendant's Operator."
                )))
            }
            (AA_ACTION_TRANSFER_TO_OPERATOR, _) => {}
            (AA_ACTION_ANNOUNCEMENT, _) => match &o.prompt {
                Some(p) => check_prompt(&at, p)?,
                None => {
                    return Err(invalid(format!(
                        "{at}: an {AA_ACTION_ANNOUNCEMENT} option needs a Prompt."
                    )))
                }
            },
            (other, _) => return Err(invalid(format!("{at}: Action '{other}' is not valid."))),
        }
        if o.action != AA_ACTION_ANNOUNCEMENT {
            if let Some(p) = &o.prompt {
                check_prompt(&at, p)?;
            }
        }
    }
    Ok(())
}

/// Checks a whole auto attendant against the tenant (its targets and schedules).
pub fn check(t: &Tenant, aa: &AutoAttendant) -> Result<(), VoiceAppError> {
    text("Name", &aa.name)?;
    text("LanguageId", &aa.language_id)?;
    text("TimeZoneId", &aa.time_zone_id)?;
    if let Some(operator) = &aa.operator {
        if ![
            AA_TARGET_USER,
            AA_TARGET_APPLICATION_ENDPOINT,
            AA_TARGET_EXTERNAL_PSTN,
        ]
        .contains(&operator.r#type.as_str())
        {
            return Err(invalid(format!(
                "Operator type '{}' is not valid; use {AA_TARGET_USER}, {AA_TARGET_APPLICATION_ENDPOINT} or {AA_TARGET_EXTERNAL_PSTN}.",
                operator.r#type
            )));
        }
        check_target(t, "Operator", operator)?;
    }
    let default = aa
        .default_call_flow
        .as_ref()
        .ok_or_else(|| invalid("An auto attendant needs a DefaultCallFlow."))?;
    check_flow(t, aa, default)?;
    let mut ids: Vec<&str> = Vec::new();
    for flow in &aa.call_flows {
        if flow.id.is_empty() || ids.contains(&flow.id.as_str()) {
            return Err(invalid(format!(
                "CallFlows: every call flow needs its own Id ('{}').",
                flow.id
            )));
        }
        ids.push(&flow.id);
        check_flow(t, aa, flow)?;
    }
    let mut priorities = Vec::new();
    let (mut after_hours, mut holidays) = (0, 0);
    for a in &aa.call_handling_associations {
        let wanted = match a.r#type.as_str() {
            AA_ASSOCIATION_AFTER_HOURS => {
                after_hours += 1;
                SCHEDULE_WEEKLY
            }
            AA_ASSOCIATION_HOLIDAY => {
                holidays += 1;
                SCHEDULE_FIXED
            }
            other => {
                return Err(invalid(format!(
                    "CallHandlingAssociations: Type '{other}' is not valid."
                )))
            }
        };
        let Some(schedule) = schedule(t, &a.schedule_id) else {
            return Err(invalid(format!(
                "CallHandlingAssociations: the schedule '{}' does not exist.",
                a.schedule_id
            )));
        };
        if schedule.r#type != wanted {
            return Err(invalid(format!(
                "CallHandlingAssociations: a {} association needs a {wanted} schedule; '{}' is {}.",
                a.r#type, a.schedule_id, schedule.r#type
            )));
        }
        if !ids.contains(&a.call_flow_id.as_str()) {
            return Err(invalid(format!(
                "CallHandlingAssociations: the call flow '{}' is not among CallFlows.",
                a.call_flow_id
            )));
        }
        if priorities.contains(&a.priority) {
            return Err(invalid(format!(
                "CallHandlingAssociations: priority {} is used twice.",
                a.priority
            )));
        }
        priorities.push(a.priority);
    }
    if after_hours > 1 {
        return Err(invalid(
            "An auto attendant has at most one after-hours call flow.",
        ));
    }
    if holidays > AA_MAX_HOLIDAYS {
        return Err(invalid(format!(
            "An auto attendant has at most {AA_MAX_HOLIDAYS} holiday call handling associations, not {holidays}."
        )));
    }
    Ok(())
}

/// `POST /auto-attendants`: the stored auto attendant with its new `Id`.
pub fn create(
    t: &mut Tenant,
    mut aa: AutoAttendant,
    id: String,
) -> Result<AutoAttendant, VoiceAppError> {
    check(t, &aa)?;
    aa.id = id;
    t.voice_apps.auto_attendants.push(aa.clone());
    Ok(aa)
}

/// `PUT /auto-attendants/{id}`: replaces the whole object.
pub fn update(
    t: &mut Tenant,
    id: &str,
    mut aa: AutoAttendant,
) -> Result<AutoAttendant, VoiceAppError> {
    let Some(index) = position_of(&t.voice_apps.auto_attendants, id, |a| &a.id) else {
        return Err(not_found(id));
    };
    let stored_id = t.voice_apps.auto_attendants[index].id.clone();
    if !aa.id.is_empty() && !aa.id.eq_ignore_ascii_case(&stored_id) {
        return Err(invalid(format!(
            "The body's Id '{}' is not the auto attendant's '{stored_id}'.",
            aa.id
        )));
    }
    check(t, &aa)?;
    aa.id = stored_id;
    t.voice_apps.auto_attendants[index] = aa.clone();
    Ok(aa)
}

/// `DELETE /auto-attendants/{id}`: the resource accounts associated with it answer for nothing
/// afterwards; its schedules stay (they are objects of their own).
pub fn delete(t: &mut Tenant, id: &str) -> Result<(), VoiceAppError> {
    let apps = &mut t.voice_apps;
    let list = &mut apps.auto_attendants;
    if remove_configuration(list, &mut apps.associations, id, |a| &a.id) {
        Ok(())
    } else {
        Err(not_found(id))
    }
}

fn not_found(id: &str) -> VoiceAppError {
    VoiceAppError::NotFound(format!("Auto attendant '{id}' was not found."))
}

fn schedule_not_found(id: &str) -> VoiceAppError {
    VoiceAppError::NotFound(format!("Schedule '{id}' was not found."))
}

pub fn schedule<'t>(t: &'t Tenant, id: &str) -> Option<&'t Schedule> {
    t.voice_apps
        .schedules
        .iter()
        .find(|s| s.id.eq_ignore_ascii_case(id))
}

fn parse_schedule(body: &[u8]) -> Result<Schedule, VoiceAppError> {
    let map = crate::body::json_object(body).map_err(invalid)?;
    let s: Schedule = serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| invalid(format!("The schedule is not valid: {e}")))?;
    schedules::check(&s).map_err(invalid)?;
    Ok(s)
}

/// `POST /schedules`.
pub fn create_schedule(t: &mut Tenant, body: &[u8], id: String) -> Result<Schedule, VoiceAppError> {
    let mut s = parse_schedule(body)?;
    s.id = id;
    t.voice_apps.schedules.push(s.clone());
    Ok(s)
}

/// `PUT /schedules/{id}`: a schedule keeps its type; a change of type must be a new schedule.
pub fn update_schedule(t: &mut Tenant, id: &str, body: &[u8]) -> Result<Schedule, VoiceAppError> {
    let mut s = parse_schedule(body)?;
    let stored = t
        .voice_apps
        .schedules
        .iter_mut()
        .find(|s| s.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| schedule_not_found(id))?;
    if stored.r#type != s.r#type {
        return Err(invalid("A schedule's Type cannot change."));
    }
    s.id = stored.id.clone();
    *stored = s.clone();
    Ok(s)
}

/// `DELETE /schedules/{id}`: refused while an auto attendant references it.
pub fn delete_schedule(t: &mut Tenant, id: &str) -> Result<(), VoiceAppError> {
    if schedule(t, id).is_none() {
        return Err(schedule_not_found(id));
    }
    if let Some(user) = t.voice_apps.auto_attendants.iter().find(|a| {
        a.call_handling_associations
            .iter()
            .any(|c| c.schedule_id.eq_ignore_ascii_case(id))
    }) {
        return Err(invalid(format!(
            "Schedule '{id}' is in use by auto attendant '{}' and cannot be removed.",
            user.name
        )));
    }
    t.voice_apps
        .schedules
        .retain(|s| !s.id.eq_ignore_ascii_case(id));
    Ok(())
}

/// Checks seeded schedules and lower-cases their ids (seeds write auto attendants through
/// `super::normalize`).
pub fn normalize_schedules(t: &mut Tenant) -> Result<(), String> {
    let mut seen: Vec<String> = Vec::new();
    for s in &mut t.voice_apps.schedules {
        s.id = normalize_guid("schedule Id", &s.id)?;
        schedules::check(s).map_err(|e| format!("schedule {}: {e}", s.id))?;
        if seen.contains(&s.id) {
            return Err(format!("schedule {} is listed twice", s.id));
        }
        seen.push(s.id.clone());
    }
    Ok(())
}
