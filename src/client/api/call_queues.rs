//! Call queues (contract section 5c): `New-`, `Get-`, `Set-` and `Remove-CsCallQueue` on
//! `/Teams.VoiceApps/callqueues`.
//!
//! The routes and field names are `[3P]`; two things are `[I]` and each is kept in one place. The
//! enum values (`RoutingMethod`, `OverflowAction`, `TimeoutAction`) travel as their names, since
//! the PowerShell module sends some as integers whose mapping nobody has published: [`wire_name`]
//! is the one encoding, and reads decode through it too (a number or an unknown name is kept as
//! text, so a read never fails on it and the resource shows it as a change). The targets travel
//! as plain strings (`OverflowActionTarget`: an object id or `tel:+E.164`). Answers wrap the queue,
//! `{"CallQueue":{..,"Identity":".."}}`, decoded through the one answer decoder like every other
//! answer; a write sends the whole queue ([`CallQueueSettings`]), as the AA routes do.

use reqwest::Method;
use serde::de::Deserializer;
use serde::Deserialize;
use serde_json::{json, Value};

use super::null_as_empty;
use super::voice_apps::Wrapped;
use crate::client::http::error::{ApiError, Service};
use crate::client::Client;
use crate::domain::call_queues::{CallAction, RoutingMethod};
use crate::domain::voice_apps::made_since;
use teamsphone_contract::{CQ_OVERFLOW_ACTIONS, CQ_ROUTING_METHODS, CQ_TIMEOUT_ACTIONS};

/// A call queue as `Get-CsCallQueue` shows it; its id is `Identity`. Everything but the id is
/// lenient: a field the service leaves out reads as absent, not as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallQueue {
    pub identity: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub language_id: Option<String>,
    /// The wire name (see [`decode_routing_method`]).
    #[serde(default, deserialize_with = "text_or_number")]
    pub routing_method: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub users: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub distribution_lists: Vec<String>,
    #[serde(default)]
    pub allow_opt_out: Option<bool>,
    #[serde(default)]
    pub conference_mode: Option<bool>,
    #[serde(default)]
    pub presence_aware_routing: Option<bool>,
    #[serde(default)]
    pub agent_alert_time: Option<i64>,
    #[serde(default)]
    pub overflow_threshold: Option<i64>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub overflow_action: Option<String>,
    #[serde(default)]
    pub overflow_action_target: Option<String>,
    #[serde(default)]
    pub timeout_threshold: Option<i64>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub timeout_action: Option<String>,
    #[serde(default)]
    pub timeout_action_target: Option<String>,
    #[serde(default)]
    pub use_default_music_on_hold: Option<bool>,
    #[serde(default)]
    pub music_on_hold_audio_file_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub obo_resource_account_ids: Vec<String>,
    /// Resource accounts associated with it (read-only; set through the association).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub application_instances: Vec<String>,
}

impl Wrapped for CallQueue {
    const WRAPPER: &'static str = "CallQueues";
}

/// Everything a create or an update sends: the whole queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallQueueSettings {
    pub name: String,
    pub language_id: Option<String>,
    pub routing_method: RoutingMethod,
    pub users: Vec<String>,
    pub distribution_lists: Vec<String>,
    pub allow_opt_out: bool,
    pub conference_mode: bool,
    pub presence_aware_routing: bool,
    pub agent_alert_time: i64,
    pub overflow_threshold: i64,
    pub overflow_action: CallAction,
    pub overflow_action_target: Option<String>,
    pub timeout_threshold: i64,
    pub timeout_action: CallAction,
    pub timeout_action_target: Option<String>,
    /// `None`: the default music.
    pub music_on_hold_audio_file_id: Option<String>,
    pub obo_resource_account_ids: Vec<String>,
}

/// One enum value of a call queue, by the field it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireEnum {
    RoutingMethod(RoutingMethod),
    OverflowAction(CallAction),
    TimeoutAction(CallAction),
}

/// `[I]` The one encoding of the call queue enums: each value as its name on the wire (contract
/// 5c). Decoding goes through this function too, so a capture that shows other spellings (or
/// integers) is corrected here alone.
pub fn wire_name(value: WireEnum) -> &'static str {
    match value {
        WireEnum::RoutingMethod(m) => CQ_ROUTING_METHODS[m as usize],
        WireEnum::OverflowAction(a) => CQ_OVERFLOW_ACTIONS[a as usize],
        WireEnum::TimeoutAction(a) => CQ_TIMEOUT_ACTIONS[a as usize],
    }
}

fn decode<T: Copy>(all: &[T], wrap: impl Fn(T) -> WireEnum, text: &str) -> Option<T> {
    all.iter()
        .copied()
        .find(|v| wire_name(wrap(*v)).eq_ignore_ascii_case(text))
}

/// The routing method a read shows, if it is one we know.
pub fn decode_routing_method(text: &str) -> Option<RoutingMethod> {
    decode(&RoutingMethod::ALL, WireEnum::RoutingMethod, text)
}

pub fn decode_overflow_action(text: &str) -> Option<CallAction> {
    decode(&CallAction::ALL, WireEnum::OverflowAction, text)
}

pub fn decode_timeout_action(text: &str) -> Option<CallAction> {
    decode(&CallAction::ALL, WireEnum::TimeoutAction, text)
}

impl CallQueueSettings {
    /// The body of `New-CsCallQueue` and `Set-CsCallQueue` (PascalCase, contract 5c).
    pub fn to_wire(&self) -> Value {
        json!({
            "Name": self.name,
            "LanguageId": self.language_id,
            "RoutingMethod": wire_name(WireEnum::RoutingMethod(self.routing_method)),
            "Users": self.users,
            "DistributionLists": self.distribution_lists,
            "AllowOptOut": self.allow_opt_out,
            "ConferenceMode": self.conference_mode,
            "PresenceAwareRouting": self.presence_aware_routing,
            "AgentAlertTime": self.agent_alert_time,
            "OverflowThreshold": self.overflow_threshold,
            "OverflowAction": wire_name(WireEnum::OverflowAction(self.overflow_action)),
            "OverflowActionTarget": self.overflow_action_target,
            "TimeoutThreshold": self.timeout_threshold,
            "TimeoutAction": wire_name(WireEnum::TimeoutAction(self.timeout_action)),
            "TimeoutActionTarget": self.timeout_action_target,
            "UseDefaultMusicOnHold": self.music_on_hold_audio_file_id.is_none(),
            "MusicOnHoldAudioFileId": self.music_on_hold_audio_file_id,
            "OboResourceAccountIds": self.obo_resource_account_ids,
        })
    }
}

/// An enum as its name, or a number as its digits (the module's integer encoding): text either way.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Number(i64),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|r| match r {
        Raw::Text(t) => t,
        Raw::Number(n) => n.to_string(),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CallQueueAnswer {
    call_queue: CallQueue,
}

const GET: &str = "Get-CsCallQueue";
const NEW: &str = "New-CsCallQueue";
const SET: &str = "Set-CsCallQueue";
const REMOVE: &str = "Remove-CsCallQueue";

impl Client {
    fn call_queues_url(&self, id: Option<&str>) -> url::Url {
        let mut segments = vec!["Teams.VoiceApps", "callqueues"];
        segments.extend(id);
        self.teams_url(&segments)
    }

    /// `Get-CsCallQueue` `[3P]`: every call queue of the tenant.
    pub async fn list_cs_call_queues(&self) -> Result<Vec<CallQueue>, ApiError> {
        let request = self.teams_request(GET, Method::GET, self.call_queues_url(None), None);
        let answer = self.transport.send(&request).await?;
        let super::voice_apps::Listed(all) = answer.json()?;
        Ok(all)
    }

    /// `Get-CsCallQueue -Identity` `[3P]`; `None` when there is none.
    pub async fn get_cs_call_queue(&self, id: &str) -> Result<Option<CallQueue>, ApiError> {
        let request = self.teams_request(GET, Method::GET, self.call_queues_url(Some(id)), None);
        let answer = self.transport.send_unless_absent(&request).await?;
        answer
            .map(|a| a.one::<CallQueueAnswer>())
            .transpose()
            .map(|a| a.map(|a| a.call_queue))
    }

    /// `New-CsCallQueue` `[3P]`: the queue as created, with its `Identity`, sent once
    /// (`send_unrepeated`: `workflows::creates` settles an unanswered attempt). A 2xx without a
    /// body (contract section 7) is read back from the list: the one queue with its name that is
    /// not among `before` (the ids of those named alike before the create); nothing else says
    /// which id it got.
    pub async fn new_cs_call_queue(
        &self,
        settings: &CallQueueSettings,
        before: &[String],
    ) -> Result<CallQueue, ApiError> {
        let request = self.teams_request(
            NEW,
            Method::POST,
            self.call_queues_url(None),
            Some(settings.to_wire()),
        );
        let answer = self.transport.send_unrepeated(&request).await?;
        if let Some(created) = answer.entity::<CallQueueAnswer>()?.value {
            return Ok(created.call_queue);
        }
        let all = self.list_cs_call_queues().await?;
        let looked_at = all.len();
        let found = made_since(
            all,
            before,
            |q| &q.identity,
            |q| q.name.eq_ignore_ascii_case(&settings.name),
        );
        let why = match found {
            Ok(Some(created)) => return Ok(created),
            Ok(None) => format!(
                "no new call queue is named {:?} ({looked_at} looked at)",
                settings.name
            ),
            Err(ids) => format!(
                "{} new call queues are named {:?} ({})",
                ids.len(),
                settings.name,
                ids.join(", ")
            ),
        };
        Err(ApiError::InvalidResponse {
            service: Service::Teams,
            status: answer.status,
            detail: format!("{NEW} answered without a body, and the list says {why}"),
        })
    }

    /// `Set-CsCallQueue` `[3P]`: replaces the whole queue `id`. The answer (the queue, or no body)
    /// is not used; the caller's next read shows what the service kept.
    pub async fn set_cs_call_queue(
        &self,
        id: &str,
        settings: &CallQueueSettings,
    ) -> Result<(), ApiError> {
        let request = self.teams_request(
            SET,
            Method::PUT,
            self.call_queues_url(Some(id)),
            Some(settings.to_wire()),
        );
        self.transport.send(&request).await.map(drop)
    }

    /// `Remove-CsCallQueue` `[3P]`; a queue already gone is not an error.
    pub async fn remove_cs_call_queue(&self, id: &str) -> Result<(), ApiError> {
        let request =
            self.teams_request(REMOVE, Method::DELETE, self.call_queues_url(Some(id)), None);
        self.transport.send_unless_absent(&request).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::http::decode::CaseInsensitive;

    fn settings() -> CallQueueSettings {
        CallQueueSettings {
            name: "Desk".into(),
            language_id: None,
            routing_method: RoutingMethod::RoundRobin,
            users: vec!["u".into()],
            distribution_lists: vec![],
            allow_opt_out: true,
            conference_mode: false,
            presence_aware_routing: true,
            agent_alert_time: 30,
            overflow_threshold: 50,
            overflow_action: CallAction::Disconnect,
            overflow_action_target: None,
            timeout_threshold: 1200,
            timeout_action: CallAction::Forward,
            timeout_action_target: Some("tel:+12065550100".into()),
            music_on_hold_audio_file_id: None,
            obo_resource_account_ids: vec![],
        }
    }

    #[test]
    fn enums_travel_as_names_and_decode_through_the_same_table() {
        let body = settings().to_wire();
        assert_eq!(body["RoutingMethod"], "RoundRobin");
        assert_eq!(body["OverflowAction"], "DisconnectWithBusy");
        assert_eq!(body["TimeoutAction"], "Forward");
        assert_eq!(body["UseDefaultMusicOnHold"], true);
        assert_eq!(body["LanguageId"], Value::Null);
        for a in CallAction::ALL {
            assert_eq!(
                decode_overflow_action(wire_name(WireEnum::OverflowAction(a))),
                Some(a)
            );
            assert_eq!(
                decode_timeout_action(wire_name(WireEnum::TimeoutAction(a))),
                Some(a)
            );
        }
        assert_eq!(
            decode_routing_method("longestidle"),
            Some(RoutingMethod::LongestIdle)
        );
        assert_eq!(decode_overflow_action("Disconnect"), None);
        assert_eq!(decode_timeout_action("2"), None);
    }

    #[test]
    fn reads_are_lenient_and_keep_integers_as_text() {
        let answer: CallQueueAnswer = CallQueueAnswer::deserialize(CaseInsensitive(
            serde_json::json!({"callQueue": {"identity": "q", "routingMethod": 2,
                "Users": null, "OverflowAction": "Forward", "Unknown": 1}}),
        ))
        .unwrap();
        let q = answer.call_queue;
        assert_eq!(q.routing_method.as_deref(), Some("2"));
        assert!(q.users.is_empty());
        assert_eq!(q.overflow_action.as_deref(), Some("Forward"));
        assert_eq!(q.agent_alert_time, None);
        let missing =
            CallQueueAnswer::deserialize(CaseInsensitive(serde_json::json!({"Name":"x"})));
        assert!(missing.is_err());
    }
}
