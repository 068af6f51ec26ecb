//! Call queues managed whole (contract section 5c): created, replaced by `PUT` and deleted,
//! checked against the service's rules.
//!
//! A request is the whole queue in PascalCase; an unknown key is a 400 naming it, so a misspelt
//! field fails loudly instead of being dropped. The rules are the service's: a name; the routing
//! method and actions by name (the wire spellings are shared with the provider only as constants);
//! at most 20 agents added individually, each a user of the tenant (not a resource account), each
//! distribution list a group of the tenant; agent alert time 15-180 s; overflow threshold 0-200;
//! timeout 0-2700 s, rounded to 15 as the service rounds it; a target for every action but
//! disconnect, of the action's kind (a forward goes to a user, a resource account or a
//! `tel:+<digits>` number, a voicemail to a user, a shared voicemail to a group, which also needs
//! the queue's `LanguageId`); `OboResourceAccountIds` naming resource accounts; an audio file id
//! when the default music on hold is off. Seeded queues may leave out everything but `Identity`
//! and `Name` and get the service's defaults.

use super::model::{position_of, remove_configuration};
use super::{invalid, VoiceAppError};
use serde::{Deserialize, Serialize};

use crate::directory::{find_user, AccountType};
use crate::policy::normalize_guid;
use crate::state::Tenant;
use teamsphone_contract::{
    CQ_AGENT_ALERT_DEFAULT, CQ_AGENT_ALERT_MAX, CQ_AGENT_ALERT_MIN, CQ_MAX_AGENTS,
    CQ_OVERFLOW_ACTIONS, CQ_OVERFLOW_DEFAULT, CQ_OVERFLOW_MAX, CQ_ROUTING_METHODS,
    CQ_TIMEOUT_ACTIONS, CQ_TIMEOUT_DEFAULT, CQ_TIMEOUT_MAX, CQ_TIMEOUT_STEP,
};

/// A call queue as the emulator stores it and the Teams API shows it; its id is `Identity`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CallQueue {
    pub identity: String,
    pub name: String,
    #[serde(default = "default_language")]
    pub language_id: Option<String>,
    #[serde(default = "default_routing")]
    pub routing_method: String,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub distribution_lists: Vec<String>,
    #[serde(default = "yes")]
    pub allow_opt_out: bool,
    #[serde(default)]
    pub conference_mode: bool,
    #[serde(default)]
    pub presence_aware_routing: bool,
    #[serde(default = "default_alert_time")]
    pub agent_alert_time: i64,
    #[serde(default = "default_overflow")]
    pub overflow_threshold: i64,
    #[serde(default = "default_overflow_action")]
    pub overflow_action: String,
    #[serde(default)]
    pub overflow_action_target: Option<String>,
    #[serde(default = "default_timeout")]
    pub timeout_threshold: i64,
    #[serde(default = "default_timeout_action")]
    pub timeout_action: String,
    #[serde(default)]
    pub timeout_action_target: Option<String>,
    #[serde(default = "yes")]
    pub use_default_music_on_hold: bool,
    #[serde(default)]
    pub music_on_hold_audio_file_id: Option<String>,
    #[serde(default)]
    pub obo_resource_account_ids: Vec<String>,
}

/// What a create or update sends: the queue without its `Identity` (sent or not, it is ignored;
/// the path names the queue).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Request {
    #[serde(default)]
    identity: Option<String>,
    name: String,
    #[serde(default)]
    language_id: Option<String>,
    #[serde(default = "default_routing")]
    routing_method: String,
    #[serde(default)]
    users: Option<Vec<String>>,
    #[serde(default)]
    distribution_lists: Option<Vec<String>>,
    #[serde(default = "yes")]
    allow_opt_out: bool,
    #[serde(default)]
    conference_mode: bool,
    #[serde(default)]
    presence_aware_routing: bool,
    #[serde(default = "default_alert_time")]
    agent_alert_time: i64,
    #[serde(default = "default_overflow")]
    overflow_threshold: i64,
    #[serde(default = "default_overflow_action")]
    overflow_action: String,
    #[serde(default)]
    overflow_action_target: Option<String>,
    #[serde(default = "default_timeout")]
    timeout_threshold: i64,
    #[serde(default = "default_timeout_action")]
    timeout_action: String,
    #[serde(default)]
    timeout_action_target: Option<String>,
    #[serde(default = "yes")]
    use_default_music_on_hold: bool,
    #[serde(default)]
    music_on_hold_audio_file_id: Option<String>,
    #[serde(default)]
    obo_resource_account_ids: Option<Vec<String>>,
}

fn default_language() -> Option<String> {
    Some("en-US".into())
}
fn default_routing() -> String {
    CQ_ROUTING_METHODS[0].into()
}
fn yes() -> bool {
    true
}
fn default_alert_time() -> i64 {
    CQ_AGENT_ALERT_DEFAULT
}
fn default_overflow() -> i64 {
    CQ_OVERFLOW_DEFAULT
}
fn default_overflow_action() -> String {
    CQ_OVERFLOW_ACTIONS[0].into()
}
fn default_timeout() -> i64 {
    CQ_TIMEOUT_DEFAULT
}
fn default_timeout_action() -> String {
    CQ_TIMEOUT_ACTIONS[0].into()
}

/// The service's spelling of `value` among `allowed` (names compare ignoring case).
fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String, VoiceAppError> {
    allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(value))
        .map(|a| a.to_string())
        .ok_or_else(|| {
            invalid(format!(
                "{field} '{value}' is not valid; expected one of {}",
                allowed.join(", ")
            ))
        })
}

fn in_range(field: &str, value: i64, min: i64, max: i64) -> Result<(), VoiceAppError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(invalid(format!(
            "{field} {value} is out of range: {min} to {max}"
        )))
    }
}

fn guid(field: &str, value: &str) -> Result<String, VoiceAppError> {
    normalize_guid(field, value).map_err(invalid)
}

/// A person of the tenant (not a resource account) by object id.
fn is_person(t: &Tenant, id: &str) -> bool {
    find_user(&t.users, id).is_some_and(|u| u.account_type == AccountType::User)
}

fn is_resource_account(t: &Tenant, id: &str) -> bool {
    find_user(&t.users, id).is_some_and(|u| u.account_type == AccountType::ResourceAccount)
}

fn is_group(t: &Tenant, id: &str) -> bool {
    t.groups.iter().any(|g| g.id.eq_ignore_ascii_case(id))
}

/// The target of an action, checked against its kind; `kind` is the action's position in the
/// contract's lists (disconnect, forward, voicemail, shared voicemail).
fn target(
    t: &Tenant,
    field: &str,
    kind: usize,
    target: Option<String>,
    language: Option<&str>,
) -> Result<Option<String>, VoiceAppError> {
    let target = target.filter(|s| !s.trim().is_empty());
    if kind == 0 {
        return Ok(None);
    }
    let Some(target) = target else {
        return Err(invalid(format!(
            "{field} is required when the action is not a disconnect"
        )));
    };
    let unknown = || invalid(format!("{field} '{target}' was not found in the tenant"));
    match kind {
        1 => {
            if let Some(number) = target.strip_prefix("tel:+") {
                if !(7..=15).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(invalid(format!(
                        "{field} '{target}' is not a tel:+E.164 number"
                    )));
                }
                return Ok(Some(target));
            }
            let id = guid(field, &target)?;
            (is_person(t, &id) || is_resource_account(t, &id))
                .then_some(Some(id))
                .ok_or_else(unknown)
        }
        2 => {
            let id = guid(field, &target)?;
            is_person(t, &id).then_some(Some(id)).ok_or_else(unknown)
        }
        _ => {
            if language.is_none_or(|l| l.trim().is_empty()) {
                return Err(invalid(
                    "LanguageId is required for a shared voicemail target",
                ));
            }
            let id = guid(field, &target)?;
            is_group(t, &id).then_some(Some(id)).ok_or_else(unknown)
        }
    }
}

fn ids(
    field: &str,
    list: Option<Vec<String>>,
    exists: impl Fn(&str) -> bool,
) -> Result<Vec<String>, VoiceAppError> {
    let mut out: Vec<String> = Vec::new();
    for id in list.unwrap_or_default() {
        let id = guid(field, &id)?;
        if !exists(&id) {
            return Err(invalid(format!(
                "{field}: '{id}' was not found in the tenant"
            )));
        }
        if out.contains(&id) {
            return Err(invalid(format!("{field}: '{id}' is listed twice")));
        }
        out.push(id);
    }
    Ok(out)
}

/// The queue a request describes, with its rules checked against the tenant.
fn checked(t: &Tenant, identity: String, body: &[u8]) -> Result<CallQueue, VoiceAppError> {
    let map = crate::body::json_object(body).map_err(invalid)?;
    let r: Request = serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| invalid(format!("The call queue is not valid: {e}")))?;
    let _ = r.identity;
    if r.name.trim().is_empty() || r.name.chars().count() > 64 {
        return Err(invalid("Name must be 1 to 64 characters"));
    }
    let routing_method = one_of("RoutingMethod", &r.routing_method, &CQ_ROUTING_METHODS)?;
    let users = ids("Users", r.users, |id| is_person(t, id))?;
    if users.len() > CQ_MAX_AGENTS {
        return Err(invalid(format!(
            "Users: {} users are listed; at most {CQ_MAX_AGENTS} can be added individually",
            users.len()
        )));
    }
    let distribution_lists = ids("DistributionLists", r.distribution_lists, |id| {
        is_group(t, id)
    })?;
    let obo = ids("OboResourceAccountIds", r.obo_resource_account_ids, |id| {
        is_resource_account(t, id)
    })?;
    in_range(
        "AgentAlertTime",
        r.agent_alert_time,
        CQ_AGENT_ALERT_MIN,
        CQ_AGENT_ALERT_MAX,
    )?;
    in_range(
        "OverflowThreshold",
        r.overflow_threshold,
        0,
        CQ_OVERFLOW_MAX,
    )?;
    in_range("TimeoutThreshold", r.timeout_threshold, 0, CQ_TIMEOUT_MAX)?;
    // The service rounds the timeout to the nearest 15 seconds.
    let step = CQ_TIMEOUT_STEP;
    let timeout_threshold = ((r.timeout_threshold + step / 2) / step * step).min(CQ_TIMEOUT_MAX);
    let overflow_action = one_of("OverflowAction", &r.overflow_action, &CQ_OVERFLOW_ACTIONS)?;
    let timeout_action = one_of("TimeoutAction", &r.timeout_action, &CQ_TIMEOUT_ACTIONS)?;
    let kind = |all: &[&str], a: &str| all.iter().position(|x| *x == a).unwrap_or(0);
    let language = r.language_id.clone().filter(|l| !l.trim().is_empty());
    let overflow_action_target = target(
        t,
        "OverflowActionTarget",
        kind(&CQ_OVERFLOW_ACTIONS, &overflow_action),
        r.overflow_action_target,
        language.as_deref(),
    )?;
    let timeout_action_target = target(
        t,
        "TimeoutActionTarget",
        kind(&CQ_TIMEOUT_ACTIONS, &timeout_action),
        r.timeout_action_target,
        language.as_deref(),
    )?;
    let music_on_hold_audio_file_id =
        match (r.use_default_music_on_hold, r.music_on_hold_audio_file_id) {
            (true, _) => None,
            (false, Some(id)) => Some(guid("MusicOnHoldAudioFileId", &id)?),
            (false, None) => {
                return Err(invalid(
                    "MusicOnHoldAudioFileId is required when UseDefaultMusicOnHold is false",
                ))
            }
        };
    Ok(CallQueue {
        identity,
        name: r.name,
        language_id: language,
        routing_method,
        users,
        distribution_lists,
        allow_opt_out: r.allow_opt_out,
        conference_mode: r.conference_mode,
        presence_aware_routing: r.presence_aware_routing,
        agent_alert_time: r.agent_alert_time,
        overflow_threshold: r.overflow_threshold,
        overflow_action,
        overflow_action_target,
        timeout_threshold,
        timeout_action,
        timeout_action_target,
        use_default_music_on_hold: r.use_default_music_on_hold,
        music_on_hold_audio_file_id,
        obo_resource_account_ids: obo,
    })
}

fn not_found(id: &str) -> VoiceAppError {
    VoiceAppError::NotFound(format!("Call queue '{id}' was not found."))
}

/// `New-CsCallQueue`: the queue stored under the new `id`.
pub fn create(t: &mut Tenant, body: &[u8], id: String) -> Result<CallQueue, VoiceAppError> {
    let cq = checked(t, id, body)?;
    t.voice_apps.call_queues.push(cq.clone());
    Ok(cq)
}

/// `Set-CsCallQueue`: the whole queue `id` replaced.
pub fn update(t: &mut Tenant, id: &str, body: &[u8]) -> Result<CallQueue, VoiceAppError> {
    let Some(at) = position_of(&t.voice_apps.call_queues, id, |q| &q.identity) else {
        return Err(not_found(id));
    };
    let identity = t.voice_apps.call_queues[at].identity.clone();
    let cq = checked(t, identity, body)?;
    t.voice_apps.call_queues[at] = cq.clone();
    Ok(cq)
}

/// `Remove-CsCallQueue`; the associations of resource accounts with it go with it.
pub fn delete(t: &mut Tenant, id: &str) -> Result<(), VoiceAppError> {
    let apps = &mut t.voice_apps;
    let list = &mut apps.call_queues;
    if remove_configuration(list, &mut apps.associations, id, |q| &q.identity) {
        Ok(())
    } else {
        Err(not_found(id))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ANN: &str = "cccccccc-0000-0000-0000-000000000001";
    const CQ_ACCOUNT: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a12";
    const GROUP: &str = "dddddddd-0000-0000-0000-000000000001";

    fn tenant() -> Tenant {
        let mut t: Tenant = serde_json::from_value(json!({
            "tenant_id": "11111111-2222-3333-4444-555555555555",
            "domain": "contoso.onmicrosoft.com",
            "users": [
                {"id": CQ_ACCOUNT, "userPrincipalName": "cq@contoso.com", "displayName": "CQ",
                 "accountType": "resourceAccount",
                 "applicationId": teamsphone_contract::CALL_QUEUE_APP_ID},
                {"id": ANN, "userPrincipalName": "ann@contoso.com", "displayName": "Ann"}
            ],
            "groups": [{"id": GROUP, "displayName": "Desk"}],
            "voice_apps": {"call_queues": [{"Identity": "cccc0000-0000-0000-0000-000000000001",
                                            "Name": "Seeded"}]}
        }))
        .unwrap();
        crate::voice_apps::normalize(&mut t).unwrap();
        t
    }

    fn body(extra: serde_json::Value) -> Vec<u8> {
        let mut b = json!({"Name": "Desk", "Users": [ANN]});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b.to_string().into_bytes()
    }

    fn refused(t: &mut Tenant, extra: serde_json::Value) -> String {
        match create(t, &body(extra), "x".into()) {
            Err(VoiceAppError::Invalid(m)) => m,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn seeded_queues_get_defaults_and_created_ones_keep_what_was_sent() {
        let mut t = tenant();
        let seeded = &t.voice_apps.call_queues[0];
        assert_eq!(seeded.agent_alert_time, 30);
        assert_eq!(seeded.timeout_action, "Disconnect");
        let id = "eeee0000-0000-0000-0000-000000000001".to_string();
        let cq = create(
            &mut t,
            &body(
                json!({"RoutingMethod": "roundrobin", "TimeoutThreshold": 100,
                        "TimeoutAction": "Forward", "TimeoutActionTarget": "tel:+12065550100",
                        "OverflowAction": "SharedVoicemail", "OverflowActionTarget": GROUP,
                        "LanguageId": "en-US", "OboResourceAccountIds": [CQ_ACCOUNT]}),
            ),
            id.clone(),
        )
        .unwrap();
        assert_eq!(cq.routing_method, "RoundRobin");
        assert_eq!(cq.timeout_threshold, 105, "rounded to 15 seconds");
        assert_eq!(cq.overflow_action_target.as_deref(), Some(GROUP));
        update(
            &mut t,
            &id.to_uppercase(),
            &body(json!({"Name": "Renamed"})),
        )
        .unwrap();
        assert_eq!(t.voice_apps.call_queue(&id).unwrap().name, "Renamed");
        delete(&mut t, &id).unwrap();
        assert!(matches!(
            delete(&mut t, &id),
            Err(VoiceAppError::NotFound(_))
        ));
    }

    #[test]
    fn the_service_rules_refuse_what_the_service_refuses() {
        let mut t = tenant();
        let many: Vec<String> = (0..21).map(|_| ANN.to_string()).collect();
        assert!(refused(&mut t, json!({"Users": many})).contains("listed twice"));
        assert!(refused(&mut t, json!({"Users": [CQ_ACCOUNT]})).contains("not found"));
        assert!(refused(&mut t, json!({"DistributionLists": [ANN]})).contains("not found"));
        assert!(refused(&mut t, json!({"AgentAlertTime": 10})).contains("out of range"));
        assert!(refused(&mut t, json!({"OverflowThreshold": 201})).contains("out of range"));
        assert!(refused(&mut t, json!({"TimeoutThreshold": 2701})).contains("out of range"));
        assert!(refused(&mut t, json!({"RoutingMethod": "Random"})).contains("expected one of"));
        assert!(refused(&mut t, json!({"TimeoutAction": "Forward"})).contains("is required"));
        assert!(refused(
            &mut t,
            json!({"TimeoutAction": "Forward", "TimeoutActionTarget": "tel:2065550100"})
        )
        .contains("must be an object id"));
        assert!(refused(
            &mut t,
            json!({"TimeoutAction": "Forward", "TimeoutActionTarget": "tel:+12x"})
        )
        .contains("not a tel:+E.164 number"));
        assert!(refused(
            &mut t,
            json!({"TimeoutAction": "Voicemail", "TimeoutActionTarget": CQ_ACCOUNT})
        )
        .contains("not found"));
        assert!(refused(
            &mut t,
            json!({"OverflowAction": "SharedVoicemail", "OverflowActionTarget": GROUP})
        )
        .contains("LanguageId is required"));
        assert!(refused(&mut t, json!({"UseDefaultMusicOnHold": false})).contains("AudioFileId"));
        assert!(refused(&mut t, json!({"Agents": []})).contains("unknown field"));
        assert!(refused(&mut t, json!({"OboResourceAccountIds": [ANN]})).contains("not found"));
    }
}
