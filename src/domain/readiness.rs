//! Whether a user is ready to call out through a shared calling policy: the one rule that both
//! `data "teamsphone_shared_calling_readiness"` and the grant warnings of the binding resources use.
//!
//! Microsoft's requirements for Shared Calling name four things a user needs besides the grant: the
//! user is Enterprise Voice enabled, licensed for Teams Phone (`featureTypes` has `PhoneSystem`),
//! holds no number of their own (a user's own number wins over the shared one), and has an emergency
//! call routing policy in effect. The built-in `Global` emergency policy does not count: it has no
//! emergency numbers until someone gives it some, and "create and assign one for each user" is the
//! requirement. Facts come in as [`VoiceFacts`], so this knows nothing of the wire format.

use teamsphone_contract::{
    EMERGENCY_CALL_ROUTING_POLICY_TYPE, GLOBAL_POLICY, PHONE_SYSTEM_FEATURE,
    SHARED_CALLING_POLICY_TYPE,
};

/// What the readiness rule needs to know about one user, from one directory record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VoiceFacts<'a> {
    pub enterprise_voice: bool,
    pub teams_phone: bool,
    pub own_number: bool,
    /// The bare name of the emergency call routing policy in effect, `Global` excluded.
    pub emergency_policy: Option<&'a str>,
    /// The bare name of the shared calling policy in effect (direct or group), `Global` excluded.
    pub shared_calling_policy: Option<&'a str>,
}

/// One reason a user will not call out as the shared number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gap {
    NotEnterpriseVoice,
    NoTeamsPhone,
    OwnNumber,
    NoEmergencyPolicy,
    /// Only for a readiness check of a named policy: the user does not have it in effect.
    OtherSharedCallingPolicy,
}

impl Gap {
    /// Every gap a grant warns about (all but the policy itself, which the grant is giving).
    pub const FOR_GRANTS: [Gap; 4] = [
        Gap::NotEnterpriseVoice,
        Gap::NoTeamsPhone,
        Gap::OwnNumber,
        Gap::NoEmergencyPolicy,
    ];

    pub fn reason(self) -> &'static str {
        match self {
            Gap::NotEnterpriseVoice => "not Enterprise Voice enabled",
            Gap::NoTeamsPhone => "no Teams Phone license (featureTypes has no PhoneSystem)",
            Gap::OwnNumber => "holds a phone number of their own",
            Gap::NoEmergencyPolicy => {
                "no emergency call routing policy in effect (Global does not count)"
            }
            Gap::OtherSharedCallingPolicy => "the shared calling policy is not in effect",
        }
    }
}

/// The policy types whose assignment in effect (direct or through a group) the rule reads.
pub const READINESS_TYPES: [&str; 2] = [
    SHARED_CALLING_POLICY_TYPE,
    EMERGENCY_CALL_ROUTING_POLICY_TYPE,
];

/// Whether a user's `featureTypes` include Teams Phone.
pub fn has_teams_phone<S: AsRef<str>>(feature_types: &[S]) -> bool {
    feature_types
        .iter()
        .any(|f| f.as_ref().eq_ignore_ascii_case(PHONE_SYSTEM_FEATURE))
}

/// A policy name as it shows in effect, or `None` for no name or `Global`.
pub fn effective_name(name: Option<&str>) -> Option<&str> {
    name.filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(GLOBAL_POLICY))
}

/// Whether granting `policy_type` should be checked for readiness.
pub fn checks_readiness(policy_type: &str) -> bool {
    policy_type.eq_ignore_ascii_case(SHARED_CALLING_POLICY_TYPE)
}

/// The other policy types a directory read for `policy_type` must keep so the readiness rule can
/// run on it without a second read.
pub fn companion_types(policy_type: &str) -> &'static [&'static str] {
    if checks_readiness(policy_type) {
        &[EMERGENCY_CALL_ROUTING_POLICY_TYPE]
    } else {
        &[]
    }
}

/// Why a user is not ready, in [`Gap`] order; empty when ready. With `policy`, a user who does
/// not have that shared calling policy in effect is not ready either.
pub fn gaps(facts: &VoiceFacts<'_>, policy: Option<&str>) -> Vec<Gap> {
    let mut out = Vec::new();
    if !facts.enterprise_voice {
        out.push(Gap::NotEnterpriseVoice);
    }
    if !facts.teams_phone {
        out.push(Gap::NoTeamsPhone);
    }
    if facts.own_number {
        out.push(Gap::OwnNumber);
    }
    if facts.emergency_policy.is_none() {
        out.push(Gap::NoEmergencyPolicy);
    }
    if let Some(wanted) = policy {
        if !holds_policy(facts, wanted) {
            out.push(Gap::OtherSharedCallingPolicy);
        }
    }
    out
}

/// Whether `wanted` (a bare name) is the shared calling policy in effect.
pub fn holds_policy(facts: &VoiceFacts<'_>, wanted: &str) -> bool {
    facts
        .shared_calling_policy
        .is_some_and(|p| p.eq_ignore_ascii_case(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    const READY: VoiceFacts<'static> = VoiceFacts {
        enterprise_voice: true,
        teams_phone: true,
        own_number: false,
        emergency_policy: Some("Seattle-E911"),
        shared_calling_policy: Some("Seattle"),
    };

    #[test]
    fn a_ready_user_has_no_gaps() {
        assert!(gaps(&READY, Some("seattle")).is_empty());
        assert!(gaps(&READY, None).is_empty());
    }

    #[test]
    fn each_missing_fact_is_one_gap() {
        let facts = VoiceFacts {
            enterprise_voice: false,
            teams_phone: false,
            own_number: true,
            emergency_policy: None,
            shared_calling_policy: Some("Other"),
        };
        assert_eq!(
            gaps(&facts, Some("Seattle")),
            vec![
                Gap::NotEnterpriseVoice,
                Gap::NoTeamsPhone,
                Gap::OwnNumber,
                Gap::NoEmergencyPolicy,
                Gap::OtherSharedCallingPolicy
            ]
        );
        assert_eq!(gaps(&facts, None).len(), 4);
        let own = VoiceFacts {
            own_number: true,
            ..READY
        };
        assert_eq!(gaps(&own, Some("Seattle")), vec![Gap::OwnNumber]);
    }

    #[test]
    fn global_and_feature_spelling() {
        assert_eq!(effective_name(Some("global")), None);
        assert_eq!(effective_name(Some("")), None);
        assert_eq!(effective_name(Some("E911")), Some("E911"));
        assert!(has_teams_phone(&["Teams", "phonesystem"]));
        assert!(!has_teams_phone(&["Teams", "AudioConferencing"]));
        assert!(!has_teams_phone::<&str>(&[]));
        assert_eq!(companion_types("teamssharedcallingroutingpolicy").len(), 1);
        assert!(companion_types("OnlineVoiceRoutingPolicy").is_empty());
    }
}
