//! Auto attendants and their schedules (contract section 5c): `New-`, `Get-`, `Set-` and
//! `Remove-CsAutoAttendant`, and the same four of `CsOnlineSchedule`.
//!
//! The routes and field names are `[3P]`; the nesting is `[I]`, and so are the wire formats of
//! times, which is why each sits in one function here: weekly ranges as 24-hour `HH:mm`
//! ([`weekly_range`], [`day_range_of`]), holiday ranges as `yyyy-MM-ddTHH:mm:ss` ([`fixed_range`],
//! [`date_range_of`]), call target kinds by their enum names ([`target_type`], [`target_kind`]).
//! Auto attendant answers are wrapped (`{"AutoAttendant":{..}}`) and unwrapped by the one decoder
//! (`decode::wrapped`); schedules answer bare. Reads are lenient (missing lists are empty,
//! unknown fields ignored); `Id` is required.
//!
//! The data sources read the same model ([`AutoAttendant`] is re-exported by `voice_apps`), so
//! one `Get-CsAutoAttendant` serves them and the resource.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::null_as_empty;
use crate::client::http::error::ApiError;
use crate::client::Client;
use crate::domain::call_targets::TargetKind;
use crate::domain::schedules::{parse_clock, DateRange, DateTime, DayRange};
use crate::domain::voice_apps::made_since;
use teamsphone_contract::{
    AA_TARGET_APPLICATION_ENDPOINT, AA_TARGET_EXTERNAL_PSTN, AA_TARGET_SHARED_VOICEMAIL,
    AA_TARGET_USER,
};

/// An auto attendant as `Get-CsAutoAttendant` shows it and `New-`/`Set-CsAutoAttendant` send it
/// (`Set` sends the whole object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AutoAttendant {
    /// Required on read: an answer without it is an error naming the call. Not sent on create.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub language_id: Option<String>,
    #[serde(default)]
    pub time_zone_id: Option<String>,
    #[serde(default)]
    pub voice_response_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_call_flow: Option<CallFlow>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub call_flows: Vec<CallFlow>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub call_handling_associations: Vec<CallHandlingAssociation>,
    #[serde(default)]
    pub operator: Option<CallTarget>,
    /// Resource accounts associated with it (read-only; set through the association).
    #[serde(default, deserialize_with = "null_as_empty", skip_serializing)]
    pub application_instances: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallFlow {
    /// Chosen by the client (a GUID); associations refer to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub greetings: Vec<Prompt>,
    #[serde(default)]
    pub menu: Menu,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Menu {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub dial_by_name_enabled: bool,
    #[serde(default)]
    pub directory_search_method: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub prompts: Vec<Prompt>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub menu_options: Vec<MenuOption>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MenuOption {
    /// Kept as text: an action from the future must not fail the read.
    pub action: String,
    pub dtmf_response: String,
    #[serde(default)]
    pub call_target: Option<CallTarget>,
    #[serde(default)]
    pub prompt: Option<Prompt>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallTarget {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub r#type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Prompt {
    #[serde(default)]
    pub active_type: String,
    #[serde(default)]
    pub text_to_speech_prompt: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallHandlingAssociation {
    pub r#type: String,
    pub schedule_id: String,
    pub call_flow_id: String,
    #[serde(default)]
    pub priority: u32,
}

/// A schedule (`New-CsOnlineSchedule`): weekly or fixed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Schedule {
    /// Required on read; not sent on create.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub r#type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_recurrent_schedule: Option<WeeklySchedule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_schedule: Option<FixedSchedule>,
}

/// The ranges of each weekday, Monday first ([`WeeklySchedule::days`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WeeklySchedule {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub monday_hours: Vec<WireRange>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tuesday_hours: Vec<WireRange>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub wednesday_hours: Vec<WireRange>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub thursday_hours: Vec<WireRange>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub friday_hours: Vec<WireRange>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub saturday_hours: Vec<WireRange>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub sunday_hours: Vec<WireRange>,
    /// The schedule is the complement of its ranges: business hours written, after hours meant
    /// (`-Complement` of `New-CsOnlineSchedule`) `[I]`.
    #[serde(default)]
    pub complement_enabled: bool,
}

impl WeeklySchedule {
    /// The seven days, Monday first.
    pub fn days(&self) -> [&Vec<WireRange>; 7] {
        [
            &self.monday_hours,
            &self.tuesday_hours,
            &self.wednesday_hours,
            &self.thursday_hours,
            &self.friday_hours,
            &self.saturday_hours,
            &self.sunday_hours,
        ]
    }

    /// Built from seven days, Monday first.
    pub fn from_days(days: [Vec<WireRange>; 7], complement_enabled: bool) -> Self {
        let [monday_hours, tuesday_hours, wednesday_hours, thursday_hours, friday_hours, saturday_hours, sunday_hours] =
            days;
        WeeklySchedule {
            monday_hours,
            tuesday_hours,
            wednesday_hours,
            thursday_hours,
            friday_hours,
            saturday_hours,
            sunday_hours,
            complement_enabled,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FixedSchedule {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub date_time_ranges: Vec<WireRange>,
}

/// `{"Start":..,"End":..}` of either kind of schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WireRange {
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
}

/// A weekly range on the wire `[I]`: `{"Start":"09:00","End":"17:00"}`, `End` may be `24:00`.
pub fn weekly_range(range: DayRange) -> WireRange {
    let clock = crate::domain::schedules::clock;
    WireRange {
        start: clock(range.start),
        end: clock(range.end),
    }
}

/// The range a weekly wire range stands for (`HH:mm`, seconds `:00` tolerated), or why not.
pub fn day_range_of(wire: &WireRange) -> Result<DayRange, String> {
    let trim = |t: &str| {
        t.strip_suffix(":00")
            .filter(|t| t.len() == 5)
            .unwrap_or(t)
            .to_string()
    };
    let (start, end) = (trim(&wire.start), trim(&wire.end));
    Ok(DayRange {
        start: parse_clock(&start, false)?,
        end: parse_clock(&end, true)?,
    })
}

/// A holiday range on the wire `[I]`:
/// `{"Start":"2026-12-25T00:00:00","End":"2026-12-26T00:00:00"}`.
pub fn fixed_range(range: DateRange) -> WireRange {
    let wire = |d: DateTime| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:00",
            d.year, d.month, d.day, d.hour, d.minute
        )
    };
    WireRange {
        start: wire(range.start),
        end: wire(range.end),
    }
}

/// The range a fixed wire range stands for, or why not.
pub fn date_range_of(wire: &WireRange) -> Result<DateRange, String> {
    Ok(DateRange {
        start: DateTime::parse(&wire.start)?,
        end: DateTime::parse(&wire.end)?,
    })
}

/// A target kind's `CallTarget.Type` `[C]`; the operator is an action, not a target type.
pub fn target_type(kind: TargetKind) -> Option<&'static str> {
    match kind {
        TargetKind::User => Some(AA_TARGET_USER),
        TargetKind::ResourceAccount => Some(AA_TARGET_APPLICATION_ENDPOINT),
        TargetKind::ExternalPstn => Some(AA_TARGET_EXTERNAL_PSTN),
        TargetKind::SharedVoicemail => Some(AA_TARGET_SHARED_VOICEMAIL),
        TargetKind::Operator => None,
    }
}

/// The kind a `CallTarget.Type` stands for (any letter case); `None` for a type this provider
/// does not manage (such as `ConfigurationEndpoint`).
pub fn target_kind(wire: &str) -> Option<TargetKind> {
    TargetKind::ALL
        .into_iter()
        .find(|k| target_type(*k).is_some_and(|t| t.eq_ignore_ascii_case(wire)))
}

const NEW_AA: &str = "New-CsAutoAttendant";
const GET_AA: &str = "Get-CsAutoAttendant";
const SET_AA: &str = "Set-CsAutoAttendant";
const REMOVE_AA: &str = "Remove-CsAutoAttendant";
const NEW_SCHEDULE: &str = "New-CsOnlineSchedule";
const GET_SCHEDULE: &str = "Get-CsOnlineSchedule";
const SET_SCHEDULE: &str = "Set-CsOnlineSchedule";
const REMOVE_SCHEDULE: &str = "Remove-CsOnlineSchedule";

/// The key auto attendant answers are wrapped under `[3P]`.
const WRAPPER: &str = "AutoAttendant";

fn body_of(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).expect("wire models serialise")
}

impl Client {
    /// `Get-CsAutoAttendant` `[3P]`: every auto attendant of the tenant.
    pub async fn list_cs_auto_attendants(&self) -> Result<Vec<AutoAttendant>, ApiError> {
        let url = self.voice_apps_url(&["auto-attendants"]);
        let request = self.teams_request(GET_AA, Method::GET, url, None);
        let answer = self.transport.send(&request).await?;
        let super::voice_apps::Listed(all) = answer.json()?;
        Ok(all)
    }

    /// `Get-CsAutoAttendant -Identity` `[3P]`; `None` when there is none.
    pub async fn get_cs_auto_attendant(&self, id: &str) -> Result<Option<AutoAttendant>, ApiError> {
        let url = self.voice_apps_url(&["auto-attendants", id]);
        let request = self.teams_request(GET_AA, Method::GET, url, None);
        let Some(answer) = self.transport.send_unless_absent(&request).await? else {
            return Ok(None);
        };
        let read = answer.wrapped::<AutoAttendant>(WRAPPER)?;
        read.map(Some).ok_or_else(|| ApiError::InvalidResponse {
            service: crate::client::http::error::Service::Teams,
            status: answer.status,
            detail: format!("{GET_AA} answered without a body"),
        })
    }

    /// `New-CsAutoAttendant` [3P route, I body]: the created auto attendant with its `Id`, sent
    /// once (`send_unrepeated`: `workflows::creates` settles an unanswered attempt). An answer
    /// without a body is read back by the default call flow's id, which the client chose.
    pub async fn new_cs_auto_attendant(
        &self,
        aa: &AutoAttendant,
    ) -> Result<AutoAttendant, ApiError> {
        let url = self.voice_apps_url(&["auto-attendants"]);
        let request = self.teams_request(NEW_AA, Method::POST, url, Some(body_of(aa)));
        let answer = self.transport.send_unrepeated(&request).await?;
        if let Some(created) = answer.wrapped::<AutoAttendant>(WRAPPER)? {
            return Ok(created);
        }
        let found = self.find_cs_auto_attendant_made(aa).await?;
        found.ok_or_else(|| ApiError::InvalidResponse {
            service: crate::client::http::error::Service::Teams,
            status: answer.status,
            detail: format!(
                "{NEW_AA} answered without a body and the auto attendant {:?} could not be read back",
                aa.name
            ),
        })
    }

    /// The auto attendant `aa` was created as, found by the id of its default call flow: the
    /// client chose it (a fresh GUID per create), so it marks the object one create made. `None`:
    /// there is none, or `aa` carries no such id.
    pub async fn find_cs_auto_attendant_made(
        &self,
        aa: &AutoAttendant,
    ) -> Result<Option<AutoAttendant>, ApiError> {
        let Some(marker) = aa.default_call_flow.as_ref().and_then(|f| f.id.as_deref()) else {
            return Ok(None);
        };
        let marked = |a: &AutoAttendant| {
            a.default_call_flow
                .as_ref()
                .and_then(|f| f.id.as_deref())
                .is_some_and(|id| id.eq_ignore_ascii_case(marker))
        };
        Ok(self
            .list_cs_auto_attendants()
            .await?
            .into_iter()
            .find(marked))
    }

    /// `Set-CsAutoAttendant` [3P route, I body]: `PUT` of the whole object (the answer, if any, is
    /// not needed: the caller knows what it sent).
    pub async fn set_cs_auto_attendant(&self, aa: &AutoAttendant) -> Result<(), ApiError> {
        let url = self.voice_apps_url(&["auto-attendants", &aa.id]);
        let request = self.teams_request(SET_AA, Method::PUT, url, Some(body_of(aa)));
        self.transport.send(&request).await.map(|_| ())
    }

    /// `Remove-CsAutoAttendant` `[3P]`: `false` when it was already gone.
    pub async fn remove_cs_auto_attendant(&self, id: &str) -> Result<bool, ApiError> {
        let url = self.voice_apps_url(&["auto-attendants", id]);
        let request = self.teams_request(REMOVE_AA, Method::DELETE, url, None);
        Ok(self.transport.send_unless_absent(&request).await?.is_some())
    }

    /// `New-CsOnlineSchedule` [3P route, I body]: the schedule with its new `Id`, sent once
    /// (`send_unrepeated`: `workflows::creates` settles an unanswered attempt). An answer without
    /// a body (contract section 7) is read back from the list: the one schedule with exactly this
    /// content that is not among `before` (ids known before the create); none or several is an
    /// error naming the call.
    pub async fn new_cs_online_schedule(
        &self,
        schedule: &Schedule,
        before: &[String],
    ) -> Result<Schedule, ApiError> {
        let url = self.voice_apps_url(&["schedules"]);
        let request = self.teams_request(NEW_SCHEDULE, Method::POST, url, Some(body_of(schedule)));
        let answer = self.transport.send_unrepeated(&request).await?;
        if let Some(created) = answer.entity::<Schedule>()?.value {
            return Ok(created);
        }
        let found = self.find_cs_online_schedule_made(schedule, before).await?;
        match found {
            Ok(Some(created)) => Ok(created),
            other => Err(ApiError::InvalidResponse {
                service: crate::client::http::error::Service::Teams,
                status: answer.status,
                detail: format!(
                    "{NEW_SCHEDULE} answered without a body and {} new schedules named {:?} have its content, so the new one cannot be told apart",
                    other.map_or_else(|ids| ids.len(), |_| 0),
                    schedule.name
                ),
            }),
        }
    }

    /// The schedule a create of `schedule` made: the one with exactly its content whose id is not
    /// among `before`. `Err`: the ids of several such.
    pub async fn find_cs_online_schedule_made(
        &self,
        schedule: &Schedule,
        before: &[String],
    ) -> Result<Result<Option<Schedule>, Vec<String>>, ApiError> {
        let same = |s: &Schedule| {
            Schedule {
                id: String::new(),
                ..s.clone()
            } == *schedule
        };
        let all = self.list_cs_online_schedules().await?;
        Ok(made_since(all, before, |s| &s.id, same))
    }

    /// `Get-CsOnlineSchedule` `[3P]`: every schedule of the tenant (a bare array or wrapped).
    pub async fn list_cs_online_schedules(&self) -> Result<Vec<Schedule>, ApiError> {
        let url = self.voice_apps_url(&["schedules"]);
        let request = self.teams_request(GET_SCHEDULE, Method::GET, url, None);
        let answer = self.transport.send(&request).await?;
        let super::voice_apps::Listed(all) = answer.json()?;
        Ok(all)
    }

    /// `Get-CsOnlineSchedule -Id` `[3P]`; `None` when there is none.
    pub async fn get_cs_online_schedule(&self, id: &str) -> Result<Option<Schedule>, ApiError> {
        let url = self.voice_apps_url(&["schedules", id]);
        let request = self.teams_request(GET_SCHEDULE, Method::GET, url, None);
        let answer = self.transport.send_unless_absent(&request).await?;
        answer.map(|a| a.one()).transpose()
    }

    /// `Set-CsOnlineSchedule` [3P route, I body]: `PUT` of the whole schedule (same type).
    pub async fn set_cs_online_schedule(&self, schedule: &Schedule) -> Result<(), ApiError> {
        let url = self.voice_apps_url(&["schedules", &schedule.id]);
        let request = self.teams_request(SET_SCHEDULE, Method::PUT, url, Some(body_of(schedule)));
        self.transport.send(&request).await.map(|_| ())
    }

    /// `Remove-CsOnlineSchedule` `[3P]`: `false` when it was already gone.
    pub async fn remove_cs_online_schedule(&self, id: &str) -> Result<bool, ApiError> {
        let url = self.voice_apps_url(&["schedules", id]);
        let request = self.teams_request(REMOVE_SCHEDULE, Method::DELETE, url, None);
        Ok(self.transport.send_unless_absent(&request).await?.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::http::decode::CaseInsensitive;
    use crate::domain::schedules::{parse_date_range, parse_day_range};

    #[test]
    fn time_formats_round_trip_through_their_one_function() {
        let day = parse_day_range("08:15-24:00").unwrap();
        let wire = weekly_range(day);
        assert_eq!((wire.start.as_str(), wire.end.as_str()), ("08:15", "24:00"));
        assert_eq!(day_range_of(&wire), Ok(day));
        let seconds = WireRange {
            start: "08:15:00".into(),
            end: "24:00:00".into(),
        };
        assert_eq!(day_range_of(&seconds), Ok(day));
        let holiday = parse_date_range("2026-12-24T12:30", "2026-12-26").unwrap();
        let wire = fixed_range(holiday);
        assert_eq!(wire.start, "2026-12-24T12:30:00");
        assert_eq!(wire.end, "2026-12-26T00:00:00");
        assert_eq!(date_range_of(&wire), Ok(holiday));
        assert!(date_range_of(&WireRange::default()).is_err());
    }

    #[test]
    fn target_kinds_map_to_their_names_and_back() {
        for kind in TargetKind::ALL {
            match target_type(kind) {
                Some(wire) => assert_eq!(target_kind(&wire.to_lowercase()), Some(kind)),
                None => assert_eq!(kind, TargetKind::Operator),
            }
        }
        assert_eq!(target_kind("ConfigurationEndpoint"), None);
    }

    #[test]
    fn reads_are_lenient_and_writes_send_no_read_only_fields() {
        let aa: AutoAttendant = AutoAttendant::deserialize(CaseInsensitive(serde_json::json!({
            "id": "a", "callFlows": null, "defaultCallFlow": {"menu": {"menuOptions": [
                {"action": "Whatever", "dtmfResponse": "Automatic"}]}},
            "applicationInstances": ["x"], "Unknown": 1
        })))
        .unwrap();
        assert_eq!(aa.application_instances, ["x"]);
        assert_eq!(
            aa.default_call_flow.unwrap().menu.menu_options[0].action,
            "Whatever"
        );
        let missing = AutoAttendant::deserialize(CaseInsensitive(serde_json::json!({"Name": "x"})));
        assert!(missing.is_err());
        let body = body_of(&AutoAttendant {
            name: "n".into(),
            application_instances: vec!["x".into()],
            ..Default::default()
        });
        assert!(body.get("Id").is_none() && body.get("ApplicationInstances").is_none());
        assert_eq!(body["Name"], "n");
    }
}
