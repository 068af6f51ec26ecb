//! The Terraform model of a call queue and its conversions to and from the API's, pure and tested
//! without a server.
//!
//! What the API normalises compares semantically and keeps the user's spelling: ids ignore case,
//! `tel:` targets compare as numbers, `distribution_lists` and `obo_resource_account_ids` as sets
//! (the order of `agents` matters for serial routing, so it is compared in order). A list the
//! user left out reads back as null while the API holds none. An enum value the provider does not
//! know reads back as the API's own text, so it shows as a change instead of failing the read.

use serde::{Deserialize, Serialize};
use tf_provider::value::{Value, ValueBool, ValueList, ValueNumber, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::call_queues::{
    decode_overflow_action, decode_routing_method, decode_timeout_action, CallQueue,
    CallQueueSettings,
};
use crate::domain::call_queues::{
    canonical_target, check_agent_alert_time, check_agents, check_ids, check_overflow_threshold,
    check_shared_voicemail_language, check_timeout_seconds, same_target, CallAction, MusicOnHold,
    RoutingMethod, MUSIC_ON_HOLD_DEFAULT,
};
use crate::framework::diagnostics::invalid_attribute;
use crate::framework::equality::Equality;
use crate::framework::validators::{check_known, one_of, text};
use crate::framework::values::{known_strings, owned};
use teamsphone_contract::{CQ_AGENT_ALERT_DEFAULT, CQ_OVERFLOW_DEFAULT, CQ_TIMEOUT_DEFAULT};

/// Longest call queue name the service takes.
pub const MAX_NAME: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Model<'a> {
    pub id: ValueString<'a>,
    pub name: ValueString<'a>,
    pub language_id: ValueString<'a>,
    pub routing_method: ValueString<'a>,
    pub agents: ValueList<ValueString<'a>>,
    pub distribution_lists: ValueList<ValueString<'a>>,
    pub allow_opt_out: ValueBool,
    pub conference_mode: ValueBool,
    pub presence_based_routing: ValueBool,
    pub agent_alert_time: ValueNumber,
    pub music_on_hold: ValueString<'a>,
    pub obo_resource_account_ids: ValueList<ValueString<'a>>,
    pub overflow: Value<Overflow<'a>>,
    pub timeout: Value<Timeout<'a>>,
}

/// The `overflow` block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Overflow<'a> {
    pub threshold: ValueNumber,
    pub action: ValueString<'a>,
    pub target: ValueString<'a>,
}

/// The `timeout` block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timeout<'a> {
    pub seconds: ValueNumber,
    pub action: ValueString<'a>,
    pub target: ValueString<'a>,
}

fn path(block: &'static str, attribute: &'static str) -> AttributePath {
    AttributePath::new(block).attribute(attribute)
}

fn block_error(
    diags: &mut Diagnostics,
    block: &'static str,
    attribute: &'static str,
    problem: String,
) {
    diags.error(
        format!("Invalid {block}.{attribute}"),
        format!("{block}.{attribute}: {problem}"),
        path(block, attribute),
    );
}

/// The checks of one action block: its number, its action and its target (reported on the
/// target, or on the action when the target is missing). Unknown values pass.
fn check_action(
    diags: &mut Diagnostics,
    block: &'static str,
    action: &ValueString<'_>,
    target: &ValueString<'_>,
    language_id: &ValueString<'_>,
) {
    // Left out, the action is the default disconnect.
    let action = match action {
        Value::Unknown => return,
        Value::Null => CallAction::Disconnect,
        Value::Value(text) => match CallAction::parse(text) {
            Some(action) => action,
            None => {
                let problem = one_of(&CallAction::NAMES)(text).err().unwrap_or_default();
                block_error(diags, block, "action", problem);
                return;
            }
        },
    };
    if target.is_unknown() {
        return;
    }
    if let Err(problem) = canonical_target(action, target.as_deref_option()) {
        let on = if target.is_null() { "action" } else { "target" };
        block_error(diags, block, on, problem);
    }
    if !language_id.is_unknown() {
        if let Err(problem) = check_shared_voicemail_language(action, language_id.as_deref_option())
        {
            block_error(diags, block, "action", problem);
        }
    }
}

fn check_number(
    diags: &mut Diagnostics,
    block: &'static str,
    attribute: &'static str,
    value: &ValueNumber,
    check: fn(i64) -> Result<(), String>,
) {
    if let Value::Value(n) = value {
        if let Err(problem) = check(*n) {
            block_error(diags, block, attribute, problem);
        }
    }
}

fn check_list(
    diags: &mut Diagnostics,
    attribute: &str,
    list: &ValueList<ValueString<'_>>,
    check: impl FnOnce(&[&str]) -> Result<(), String>,
) {
    let ids = known_strings(list);
    if let Err(problem) = check(&ids) {
        invalid_attribute(diags, attribute, problem);
    }
}

/// Every plan-time rule, each on its attribute.
pub fn validate(diags: &mut Diagnostics, m: &Model<'_>) {
    check_known(diags, "name", &m.name, text(MAX_NAME));
    check_known(
        diags,
        "routing_method",
        &m.routing_method,
        one_of(&RoutingMethod::NAMES),
    );
    check_known(diags, "language_id", &m.language_id, text(16));
    check_known(diags, "music_on_hold", &m.music_on_hold, |v| {
        MusicOnHold::parse(v).map(drop)
    });
    if let Value::Value(t) = m.agent_alert_time {
        if let Err(problem) = check_agent_alert_time(t) {
            invalid_attribute(diags, "agent_alert_time", problem);
        }
    }
    check_list(diags, "agents", &m.agents, check_agents);
    check_list(diags, "distribution_lists", &m.distribution_lists, |ids| {
        check_ids(ids, "group", None)
    });
    check_list(
        diags,
        "obo_resource_account_ids",
        &m.obo_resource_account_ids,
        |ids| check_ids(ids, "resource account", None),
    );
    if let Value::Value(o) = &m.overflow {
        check_number(
            diags,
            "overflow",
            "threshold",
            &o.threshold,
            check_overflow_threshold,
        );
        check_action(diags, "overflow", &o.action, &o.target, &m.language_id);
    }
    if let Value::Value(t) = &m.timeout {
        check_number(
            diags,
            "timeout",
            "seconds",
            &t.seconds,
            check_timeout_seconds,
        );
        check_action(diags, "timeout", &t.action, &t.target, &m.language_id);
    }
}

/// Fills what the configuration left out with the service's defaults.
pub fn defaults(m: &mut Model<'_>) {
    let text = |v: &mut ValueString<'_>, d: &str| {
        if v.is_null() {
            *v = owned(d);
        }
    };
    let flag = |v: &mut ValueBool, d: bool| {
        if v.is_null() {
            *v = Value::Value(d);
        }
    };
    let number = |v: &mut ValueNumber, d: i64| {
        if v.is_null() {
            *v = Value::Value(d);
        }
    };
    text(&mut m.routing_method, RoutingMethod::Attendant.name());
    text(&mut m.music_on_hold, MUSIC_ON_HOLD_DEFAULT);
    flag(&mut m.allow_opt_out, true);
    flag(&mut m.conference_mode, false);
    flag(&mut m.presence_based_routing, false);
    number(&mut m.agent_alert_time, CQ_AGENT_ALERT_DEFAULT);
    let mut overflow = m.overflow.as_ref_option().cloned().unwrap_or_default();
    number(&mut overflow.threshold, CQ_OVERFLOW_DEFAULT);
    text(&mut overflow.action, CallAction::Disconnect.name());
    untargeted(&mut overflow.action, &overflow.target);
    m.overflow = Value::Value(overflow);
    let mut timeout = m.timeout.as_ref_option().cloned().unwrap_or_default();
    number(&mut timeout.seconds, CQ_TIMEOUT_DEFAULT);
    text(&mut timeout.action, CallAction::Disconnect.name());
    untargeted(&mut timeout.action, &timeout.target);
    m.timeout = Value::Value(timeout);
}

/// An action left out keeps its prior value (it is computed), but a target left out is gone: a
/// prior `forward` without its target would be refused, so it falls back to `disconnect`. (A
/// configuration that names such an action without a target fails validation first.)
fn untargeted(action: &mut ValueString<'_>, target: &ValueString<'_>) {
    let needs_target = action
        .as_deref_option()
        .and_then(CallAction::parse)
        .is_some_and(|a| a != CallAction::Disconnect);
    if needs_target && target.is_null() {
        *action = owned(CallAction::Disconnect.name());
    }
}

fn ids(list: &ValueList<ValueString<'_>>) -> Vec<String> {
    known_strings(list)
        .into_iter()
        .map(str::to_ascii_lowercase)
        .collect()
}

fn action_of(v: &ValueString<'_>) -> CallAction {
    v.as_deref_option()
        .and_then(CallAction::parse)
        .unwrap_or(CallAction::Disconnect)
}

fn target_of(action: CallAction, v: &ValueString<'_>) -> Option<String> {
    canonical_target(action, v.as_deref_option()).ok().flatten()
}

/// What a create or update sends for a planned (known, validated) state.
pub fn settings_from_model(m: &Model<'_>) -> CallQueueSettings {
    let overflow = m.overflow.as_ref_option().cloned().unwrap_or_default();
    let timeout = m.timeout.as_ref_option().cloned().unwrap_or_default();
    let overflow_action = action_of(&overflow.action);
    let timeout_action = action_of(&timeout.action);
    let music = m
        .music_on_hold
        .as_deref_option()
        .and_then(|v| MusicOnHold::parse(v).ok());
    CallQueueSettings {
        name: m.name.as_deref_option().unwrap_or_default().to_string(),
        language_id: m.language_id.as_deref_option().map(str::to_string),
        routing_method: m
            .routing_method
            .as_deref_option()
            .and_then(RoutingMethod::parse)
            .unwrap_or(RoutingMethod::Attendant),
        users: ids(&m.agents),
        distribution_lists: ids(&m.distribution_lists),
        allow_opt_out: m.allow_opt_out != Value::Value(false),
        conference_mode: m.conference_mode == Value::Value(true),
        presence_aware_routing: m.presence_based_routing == Value::Value(true),
        agent_alert_time: m
            .agent_alert_time
            .as_ref_option()
            .copied()
            .unwrap_or(CQ_AGENT_ALERT_DEFAULT),
        overflow_threshold: overflow
            .threshold
            .as_ref_option()
            .copied()
            .unwrap_or(CQ_OVERFLOW_DEFAULT),
        overflow_action,
        overflow_action_target: target_of(overflow_action, &overflow.target),
        timeout_threshold: timeout
            .seconds
            .as_ref_option()
            .copied()
            .unwrap_or(CQ_TIMEOUT_DEFAULT),
        timeout_action,
        timeout_action_target: target_of(timeout_action, &timeout.target),
        music_on_hold_audio_file_id: match music {
            Some(MusicOnHold::AudioFile(id)) => Some(id),
            _ => None,
        },
        obo_resource_account_ids: ids(&m.obo_resource_account_ids),
    }
}

/// The prior list when it holds the same ids (in order when `ordered`, else as a set); else the
/// API's, with the prior spellings kept. Nothing on either side reads as the prior null.
fn list_from_api<'a>(
    prior: &ValueList<ValueString<'a>>,
    api: &[String],
    ordered: bool,
) -> ValueList<ValueString<'a>> {
    let before = known_strings(prior);
    if api.is_empty() && !prior.is_value() {
        return Value::Null;
    }
    let same = Equality::CaseInsensitive;
    let equal = if ordered {
        before.len() == api.len() && before.iter().zip(api).all(|(a, b)| same.same(a, b))
    } else {
        before.len() == api.len()
            && api.iter().all(|a| before.iter().any(|b| same.same(a, b)))
            && before.iter().all(|b| api.iter().any(|a| same.same(a, b)))
    };
    if equal && prior.is_value() {
        return prior.clone();
    }
    Value::Value(
        api.iter()
            .map(|a| owned(same.spelling(before.iter().copied(), a)))
            .collect(),
    )
}

/// The user's spelling of an enum the API sent, or the API's text when it is none we know.
fn enum_from_api<'a, T: Copy>(
    api: Option<&str>,
    decode: fn(&str) -> Option<T>,
    name: fn(T) -> &'static str,
    default: T,
) -> ValueString<'a> {
    match api {
        None => owned(name(default)),
        Some(text) => owned(decode(text).map_or(text, name)),
    }
}

fn target_from_api<'a>(prior: &ValueString<'a>, api: Option<&str>) -> ValueString<'a> {
    match (prior.as_deref_option(), api.filter(|t| !t.is_empty())) {
        (_, None) => Value::Null,
        (Some(p), Some(a)) if same_target(p, a) => prior.clone(),
        (_, Some(a)) => owned(a),
    }
}

/// The state for what the API holds.
pub fn model_from_api<'a>(prior: &Model<'a>, q: &CallQueue) -> Model<'a> {
    let same = Equality::CaseInsensitive;
    let prior_overflow = prior.overflow.as_ref_option().cloned().unwrap_or_default();
    let prior_timeout = prior.timeout.as_ref_option().cloned().unwrap_or_default();
    let music_on_hold = match (
        q.use_default_music_on_hold,
        q.music_on_hold_audio_file_id.as_deref(),
    ) {
        (Some(false), Some(id)) if !id.is_empty() => same.keep(&prior.music_on_hold, id),
        _ => owned(MUSIC_ON_HOLD_DEFAULT),
    };
    Model {
        id: same.keep(&prior.id, &q.identity),
        name: owned(q.name.clone()),
        language_id: same.keep_option(&prior.language_id, q.language_id.as_deref()),
        routing_method: enum_from_api(
            q.routing_method.as_deref(),
            decode_routing_method,
            RoutingMethod::name,
            RoutingMethod::Attendant,
        ),
        agents: list_from_api(&prior.agents, &q.users, true),
        distribution_lists: list_from_api(&prior.distribution_lists, &q.distribution_lists, false),
        allow_opt_out: Value::Value(q.allow_opt_out.unwrap_or(true)),
        conference_mode: Value::Value(q.conference_mode.unwrap_or(false)),
        presence_based_routing: Value::Value(q.presence_aware_routing.unwrap_or(false)),
        agent_alert_time: Value::Value(q.agent_alert_time.unwrap_or(CQ_AGENT_ALERT_DEFAULT)),
        music_on_hold,
        obo_resource_account_ids: list_from_api(
            &prior.obo_resource_account_ids,
            &q.obo_resource_account_ids,
            false,
        ),
        overflow: Value::Value(Overflow {
            threshold: Value::Value(q.overflow_threshold.unwrap_or(CQ_OVERFLOW_DEFAULT)),
            action: enum_from_api(
                q.overflow_action.as_deref(),
                decode_overflow_action,
                CallAction::name,
                CallAction::Disconnect,
            ),
            target: target_from_api(&prior_overflow.target, q.overflow_action_target.as_deref()),
        }),
        timeout: Value::Value(Timeout {
            seconds: Value::Value(q.timeout_threshold.unwrap_or(CQ_TIMEOUT_DEFAULT)),
            action: enum_from_api(
                q.timeout_action.as_deref(),
                decode_timeout_action,
                CallAction::name,
                CallAction::Disconnect,
            ),
            target: target_from_api(&prior_timeout.target, q.timeout_action_target.as_deref()),
        }),
    }
}

/// How the queue is named in messages.
pub fn display_name(m: &Model<'_>) -> String {
    m.name
        .as_deref_option()
        .or(m.id.as_deref_option())
        .unwrap_or("unknown")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::values::list_of;

    const ANN: &str = "cccccccc-0000-0000-0000-000000000001";
    const BOB: &str = "cccccccc-0000-0000-0000-000000000002";
    const GROUP: &str = "dddddddd-0000-0000-0000-000000000001";

    fn planned() -> Model<'static> {
        let mut m = Model {
            id: owned("Q1"),
            name: owned("Front desk"),
            agents: list_of([ANN.to_uppercase(), BOB.to_string()]),
            timeout: Value::Value(Timeout {
                seconds: Value::Value(300),
                action: owned("forward"),
                target: owned("tel:+1 206 555 0100"),
            }),
            ..Default::default()
        };
        defaults(&mut m);
        m
    }

    /// What the service keeps for `m`: the settings it was sent, normalised.
    fn stored(m: &Model<'_>) -> CallQueue {
        let s = settings_from_model(m);
        let wire = s.to_wire();
        CallQueue {
            identity: "q1".into(),
            name: s.name,
            language_id: s.language_id,
            routing_method: wire["RoutingMethod"].as_str().map(str::to_string),
            users: s.users,
            distribution_lists: s.distribution_lists,
            allow_opt_out: Some(s.allow_opt_out),
            conference_mode: Some(s.conference_mode),
            presence_aware_routing: Some(s.presence_aware_routing),
            agent_alert_time: Some(s.agent_alert_time),
            overflow_threshold: Some(s.overflow_threshold),
            overflow_action: wire["OverflowAction"].as_str().map(str::to_string),
            overflow_action_target: s.overflow_action_target,
            timeout_threshold: Some(s.timeout_threshold),
            timeout_action: wire["TimeoutAction"].as_str().map(str::to_string),
            timeout_action_target: s.timeout_action_target,
            use_default_music_on_hold: Some(s.music_on_hold_audio_file_id.is_none()),
            music_on_hold_audio_file_id: s.music_on_hold_audio_file_id,
            obo_resource_account_ids: s.obo_resource_account_ids,
            application_instances: vec![],
        }
    }

    #[test]
    fn what_the_service_keeps_reads_back_as_planned() {
        let m = planned();
        let s = settings_from_model(&m);
        assert_eq!(s.users, [ANN, BOB], "ids are sent lower case");
        assert_eq!(s.timeout_action_target.as_deref(), Some("tel:+12065550100"));
        assert_eq!(s.overflow_action, CallAction::Disconnect);
        assert_eq!(model_from_api(&m, &stored(&m)), m);
    }

    #[test]
    fn changes_behind_terraforms_back_show() {
        let m = planned();
        let mut q = stored(&m);
        q.users.reverse();
        q.routing_method = Some("LongestIdle".into());
        q.timeout_action = Some("7".into());
        q.distribution_lists = vec![GROUP.into()];
        let read = model_from_api(&m, &q);
        assert_eq!(read.agents, list_of([BOB.to_string(), ANN.to_uppercase()]));
        assert_eq!(read.routing_method, owned("longest_idle"));
        assert_eq!(read.timeout.as_ref_option().unwrap().action, owned("7"));
        assert_eq!(read.distribution_lists, list_of([GROUP.to_string()]));
    }

    #[test]
    fn a_removed_target_takes_its_carried_over_action_with_it() {
        let mut m = planned();
        // What Terraform proposes when the timeout block is removed: computed values carried over.
        m.timeout = Value::Value(Timeout {
            seconds: Value::Value(300),
            action: owned("forward"),
            target: Value::Null,
        });
        defaults(&mut m);
        let t = m.timeout.as_ref_option().unwrap();
        assert_eq!(
            (t.seconds, t.action.clone()),
            (Value::Value(300), owned("disconnect"))
        );
        assert_eq!(settings_from_model(&m).timeout_action_target, None);
    }

    #[test]
    fn import_reads_everything_with_nothing_prior() {
        let q = stored(&planned());
        let read = model_from_api(&Model::default(), &q);
        assert_eq!(read.distribution_lists, Value::Null);
        assert_eq!(read.agents, list_of([ANN.to_string(), BOB.to_string()]));
        assert_eq!(
            read.timeout.as_ref_option().unwrap().target,
            owned("tel:+12065550100")
        );
        assert_eq!(read.music_on_hold, owned("default"));
    }

    fn errors(m: &Model<'_>) -> Vec<(String, String)> {
        let mut diags = Diagnostics::default();
        validate(&mut diags, m);
        diags
            .errors
            .iter()
            .map(|d| (d.summary.to_string(), d.detail.to_string()))
            .collect()
    }

    #[test]
    fn each_rule_reports_on_its_attribute() {
        let mut m = planned();
        assert!(errors(&m).is_empty(), "{:?}", errors(&m));
        m.overflow = Value::Value(Overflow {
            threshold: Value::Value(201),
            action: owned("shared_voicemail"),
            target: owned(GROUP),
        });
        m.timeout = Value::Value(Timeout {
            seconds: Value::Value(100),
            action: owned("voicemail"),
            target: Value::Null,
        });
        m.agent_alert_time = Value::Value(10);
        let e = errors(&m);
        let summaries: Vec<&str> = e.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "Invalid agent_alert_time",
                "Invalid overflow.threshold",
                "Invalid overflow.action",
                "Invalid timeout.seconds",
                "Invalid timeout.action"
            ],
            "{e:?}"
        );
        assert!(e[2].1.contains("language_id"), "{e:?}");
        assert!(e[4].1.contains("needs a target"), "{e:?}");
        m.language_id = Value::Unknown;
        m.timeout = Value::Value(Timeout {
            seconds: Value::Unknown,
            action: owned("forward"),
            target: Value::Unknown,
        });
        m.overflow = Value::Value(Overflow::default());
        m.agent_alert_time = Value::Unknown;
        assert!(
            errors(&m).is_empty(),
            "unknown values pass: {:?}",
            errors(&m)
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Whatever the service answers, the read never panics, an enum it spells as we do reads
        /// as the user's name, and a second read of the same answer changes nothing.
        #[test]
        fn any_answer_reads_without_panicking_and_settles(
            texts in proptest::collection::vec(proptest::prelude::any::<Option<String>>(), 6),
            numbers in proptest::collection::vec(proptest::prelude::any::<Option<i64>>(), 3),
            users in proptest::collection::vec("[0-9a-fA-F-]{0,40}", 0..25),
            pick in 0usize..4,
        ) {
            let known = RoutingMethod::ALL[pick];
            let q = CallQueue {
                identity: "q".into(),
                routing_method: Some(crate::client::api::call_queues::wire_name(
                    crate::client::api::call_queues::WireEnum::RoutingMethod(known),
                ).to_ascii_lowercase()),
                overflow_action: texts[0].clone(),
                overflow_action_target: texts[1].clone(),
                timeout_action: texts[2].clone(),
                timeout_action_target: texts[3].clone(),
                music_on_hold_audio_file_id: texts[4].clone(),
                use_default_music_on_hold: texts[5].as_ref().map(|t| t.len() % 2 == 0),
                agent_alert_time: numbers[0],
                overflow_threshold: numbers[1],
                timeout_threshold: numbers[2],
                users: users.clone(),
                ..Default::default()
            };
            let first = model_from_api(&Model::default(), &q);
            proptest::prop_assert_eq!(&first.routing_method, &owned(known.name()));
            let second = model_from_api(&first, &q);
            proptest::prop_assert_eq!(&second, &first);
            let _ = settings_from_model(&first).to_wire();
            let mut diags = Diagnostics::default();
            validate(&mut diags, &first);
        }
    }
}
