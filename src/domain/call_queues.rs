//! Call queues as a voice admin writes them: the routing methods, what happens on overflow and on
//! timeout, the targets those actions send calls to, and the service's limits (contract 5c).
//!
//! Everything here is knowable without the API, so it is checked at plan time and reads as one
//! sentence per problem. A target's form depends on its action: `forward` takes an object id (a
//! user or resource account) or a `tel:+E.164` number, `voicemail` a user's object id,
//! `shared_voicemail` a Microsoft 365 group id (and the queue then needs a `language_id`, since
//! the greeting is read in it); `disconnect` takes none. Targets are kept in one canonical
//! spelling ([`canonical_target`]): GUIDs lower case, numbers as `tel:+<digits>`, so a read of
//! what the service normalised compares equal to what the user wrote.

use super::phone::TelephoneNumber;
use super::text::is_guid;
use teamsphone_contract::{
    CQ_AGENT_ALERT_MAX, CQ_AGENT_ALERT_MIN, CQ_MAX_AGENTS, CQ_OVERFLOW_MAX, CQ_TIMEOUT_MAX,
    CQ_TIMEOUT_STEP,
};

/// How a queue offers calls to its agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutingMethod {
    Attendant,
    Serial,
    RoundRobin,
    LongestIdle,
}

impl RoutingMethod {
    pub const ALL: [RoutingMethod; 4] = [
        RoutingMethod::Attendant,
        RoutingMethod::Serial,
        RoutingMethod::RoundRobin,
        RoutingMethod::LongestIdle,
    ];
    pub const NAMES: [&'static str; 4] = ["attendant", "serial", "round_robin", "longest_idle"];

    /// The spelling users write.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == text)
    }
}

/// What a queue does with a call on overflow or on timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallAction {
    Disconnect,
    Forward,
    Voicemail,
    SharedVoicemail,
}

impl CallAction {
    pub const ALL: [CallAction; 4] = [
        CallAction::Disconnect,
        CallAction::Forward,
        CallAction::Voicemail,
        CallAction::SharedVoicemail,
    ];
    pub const NAMES: [&'static str; 4] = ["disconnect", "forward", "voicemail", "shared_voicemail"];

    /// The spelling users write.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == text)
    }

    /// What a target of this action is, for messages; `None` when it takes no target.
    fn target_noun(self) -> Option<&'static str> {
        match self {
            CallAction::Disconnect => None,
            CallAction::Forward => {
                Some("an object id (user or resource account) or a tel:+E.164 number")
            }
            CallAction::Voicemail => {
                Some("the object id of the user whose voicemail takes the call")
            }
            CallAction::SharedVoicemail => {
                Some("the object id of the Microsoft 365 group whose voicemail takes the call")
            }
        }
    }
}

/// The target `text` of `action` in its canonical spelling, or why it is not one. `None` for
/// `text` means no target was given.
pub fn canonical_target(action: CallAction, text: Option<&str>) -> Result<Option<String>, String> {
    let Some(noun) = action.target_noun() else {
        return match text {
            None => Ok(None),
            Some(t) => Err(format!(
                "action \"disconnect\" takes no target, but target is {t:?}; remove it or choose forward, voicemail or shared_voicemail"
            )),
        };
    };
    let Some(text) = text else {
        return Err(format!("action {:?} needs a target: {noun}", action.name()));
    };
    let text = text.trim();
    if is_guid(text) {
        return Ok(Some(text.to_ascii_lowercase()));
    }
    if action == CallAction::Forward {
        if let Some(number) = text.strip_prefix("tel:") {
            return TelephoneNumber::parse(number)
                .map(|n| Some(format!("tel:{}", n.e164)))
                .map_err(|e| format!("target {text:?}: {e}"));
        }
        if text.starts_with('+') {
            return Err(format!(
                "target {text:?} is a number without the tel: prefix; write \"tel:{text}\""
            ));
        }
    }
    Err(format!("target {text:?} is not {noun}"))
}

/// Whether two targets name the same thing (GUID case, number spelling ignored).
pub fn same_target(a: &str, b: &str) -> bool {
    let canon = |t: &str| {
        canonical_target(CallAction::Forward, Some(t))
            .ok()
            .flatten()
            .unwrap_or_else(|| t.to_string())
    };
    canon(a) == canon(b)
}

/// A shared voicemail greeting is read in the queue's language, which must then be set.
pub fn check_shared_voicemail_language(
    action: CallAction,
    language_id: Option<&str>,
) -> Result<(), String> {
    if action == CallAction::SharedVoicemail && language_id.is_none_or(|l| l.trim().is_empty()) {
        return Err(
            "action \"shared_voicemail\" needs the queue's language_id (such as \"en-US\"): the shared voicemail greeting is read in it".into(),
        );
    }
    Ok(())
}

/// Agent alert time in seconds: 15 to 180.
pub fn check_agent_alert_time(seconds: i64) -> Result<(), String> {
    if (CQ_AGENT_ALERT_MIN..=CQ_AGENT_ALERT_MAX).contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "agent_alert_time {seconds} is out of range: {CQ_AGENT_ALERT_MIN} to {CQ_AGENT_ALERT_MAX} seconds"
        ))
    }
}

/// Overflow threshold in calls waiting: 0 to 200.
pub fn check_overflow_threshold(calls: i64) -> Result<(), String> {
    if (0..=CQ_OVERFLOW_MAX).contains(&calls) {
        Ok(())
    } else {
        Err(format!(
            "threshold {calls} is out of range: 0 to {CQ_OVERFLOW_MAX} calls waiting"
        ))
    }
}

/// Timeout in seconds: 0 to 2700, a multiple of 15 (the service rounds anything else, which
/// would plan a change on every run).
pub fn check_timeout_seconds(seconds: i64) -> Result<(), String> {
    if !(0..=CQ_TIMEOUT_MAX).contains(&seconds) {
        return Err(format!(
            "seconds {seconds} is out of range: 0 to {CQ_TIMEOUT_MAX}"
        ));
    }
    if seconds % CQ_TIMEOUT_STEP != 0 {
        let down = seconds - seconds % CQ_TIMEOUT_STEP;
        return Err(format!(
            "seconds {seconds} is not a multiple of {CQ_TIMEOUT_STEP}; use {down} or {}",
            down + CQ_TIMEOUT_STEP
        ));
    }
    Ok(())
}

/// A list of object ids: each a GUID, none twice (ignoring case), at most `max` when given.
/// `what` names one element for messages ("agent").
pub fn check_ids(ids: &[&str], what: &str, max: Option<usize>) -> Result<(), String> {
    if let Some(max) = max.filter(|m| ids.len() > *m) {
        return Err(format!(
            "{} {what}s are listed; a call queue takes at most {max} added individually (add more through distribution_lists)",
            ids.len()
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        if !is_guid(id) {
            return Err(format!("{what} {id:?} is not an object id (GUID)"));
        }
        if ids[..i].iter().any(|o| o.eq_ignore_ascii_case(id)) {
            return Err(format!("{what} {id} is listed twice"));
        }
    }
    Ok(())
}

/// Agents: at most 20 users added individually `[C]`.
pub fn check_agents(ids: &[&str]) -> Result<(), String> {
    check_ids(ids, "agent", Some(CQ_MAX_AGENTS))
}

/// The music played while callers wait: the default, or an uploaded audio file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MusicOnHold {
    Default,
    AudioFile(String),
}

pub const MUSIC_ON_HOLD_DEFAULT: &str = "default";

impl MusicOnHold {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text == MUSIC_ON_HOLD_DEFAULT {
            Ok(MusicOnHold::Default)
        } else if is_guid(text) {
            Ok(MusicOnHold::AudioFile(text.to_ascii_lowercase()))
        } else {
            Err(format!(
                "{text:?} is neither \"default\" nor an audio file id (GUID)"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = "3F0C9A51-7B1E-4C52-9F4A-0D2B8E6A1C01";

    #[test]
    fn targets_take_the_form_their_action_needs() {
        use CallAction::*;
        assert_eq!(canonical_target(Disconnect, None), Ok(None));
        assert!(canonical_target(Disconnect, Some(G))
            .unwrap_err()
            .contains("takes no target"));
        for a in [Forward, Voicemail, SharedVoicemail] {
            assert!(canonical_target(a, None)
                .unwrap_err()
                .contains("needs a target"));
            assert_eq!(
                canonical_target(a, Some(G)),
                Ok(Some(G.to_ascii_lowercase()))
            );
        }
        assert_eq!(
            canonical_target(Forward, Some("tel:+1 (206) 555-0100")),
            Ok(Some("tel:+12065550100".into()))
        );
        assert!(canonical_target(Forward, Some("+12065550100"))
            .unwrap_err()
            .contains("without the tel: prefix"));
        assert!(canonical_target(Forward, Some("tel:2065550100"))
            .unwrap_err()
            .contains("must start with +"));
        assert!(canonical_target(Voicemail, Some("tel:+12065550100"))
            .unwrap_err()
            .contains("is not the object id of the user"));
        assert!(same_target(G, &G.to_ascii_lowercase()));
        assert!(same_target("tel:+12065550100", "tel:+1 206 555 0100"));
        assert!(!same_target("tel:+12065550100", "tel:+12065550101"));
    }

    #[test]
    fn limits() {
        assert!(check_agent_alert_time(15).is_ok() && check_agent_alert_time(180).is_ok());
        assert!(check_agent_alert_time(14).is_err() && check_agent_alert_time(181).is_err());
        assert!(check_overflow_threshold(0).is_ok() && check_overflow_threshold(200).is_ok());
        assert!(check_overflow_threshold(201)
            .unwrap_err()
            .contains("out of range"));
        assert!(check_overflow_threshold(-1).is_err());
        assert!(check_timeout_seconds(0).is_ok() && check_timeout_seconds(2700).is_ok());
        assert!(check_timeout_seconds(2715)
            .unwrap_err()
            .contains("out of range"));
        assert_eq!(
            check_timeout_seconds(100).unwrap_err(),
            "seconds 100 is not a multiple of 15; use 90 or 105"
        );
        assert!(check_shared_voicemail_language(CallAction::SharedVoicemail, None).is_err());
        assert!(
            check_shared_voicemail_language(CallAction::SharedVoicemail, Some("en-US")).is_ok()
        );
        assert!(check_shared_voicemail_language(CallAction::Voicemail, None).is_ok());
    }

    #[test]
    fn agents_and_music() {
        let many: Vec<String> = (0..21)
            .map(|i| format!("3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c{i:02}"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(check_agents(&many[..20]).is_ok());
        assert!(check_agents(&many).unwrap_err().contains("21 agents"));
        assert!(check_agents(&[G, &G.to_ascii_lowercase()])
            .unwrap_err()
            .contains("listed twice"));
        assert!(check_agents(&["ann@contoso.com"])
            .unwrap_err()
            .contains("not an object id"));
        assert_eq!(MusicOnHold::parse("default"), Ok(MusicOnHold::Default));
        assert_eq!(
            MusicOnHold::parse(G),
            Ok(MusicOnHold::AudioFile(G.to_ascii_lowercase()))
        );
        assert!(MusicOnHold::parse("jazz").is_err());
        for (i, m) in RoutingMethod::ALL.into_iter().enumerate() {
            assert_eq!(RoutingMethod::parse(RoutingMethod::NAMES[i]), Some(m));
        }
        assert_eq!(
            CallAction::parse("shared_voicemail"),
            Some(CallAction::SharedVoicemail)
        );
    }
}
