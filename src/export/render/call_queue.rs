//! The `teamsphone_call_queue` blocks of an export: one per call queue of the tenant, in name
//! order, written as import reads them back, so the plan after importing is empty.
//!
//! Import records every value Teams shows, so only what differs from the service's defaults is
//! written (the resource fills the rest the same way); a target is always written, since it
//! has no default. Ids stay in Teams' spelling, which is what import records. A queue with an
//! enum value the provider does not know (a future routing method) cannot be written as valid
//! configuration: it is left out with a warning. Associations of exported accounts with an
//! exported queue reference it by address ([`references`]), so Terraform orders them after it.

use std::collections::BTreeMap;

use super::{identifier, Block, Expr, Names};
use crate::client::api::call_queues::{
    decode_overflow_action, decode_routing_method, decode_timeout_action, CallQueue,
};
use crate::domain::call_queues::{CallAction, RoutingMethod};
use crate::provider::registry;
use teamsphone_contract::{CQ_AGENT_ALERT_DEFAULT, CQ_OVERFLOW_DEFAULT, CQ_TIMEOUT_DEFAULT};

pub(super) const CALL_QUEUE: &str = registry::CALL_QUEUE;

/// The blocks, and each written queue's resource name by lower-case id.
pub(super) fn blocks(
    queues: &[CallQueue],
    names: &mut Names,
    warnings: &mut Vec<String>,
) -> (Vec<Block>, BTreeMap<String, String>) {
    let mut sorted: Vec<&CallQueue> = queues.iter().collect();
    sorted.sort_by(|a, b| {
        (a.name.to_ascii_lowercase(), &a.identity).cmp(&(b.name.to_ascii_lowercase(), &b.identity))
    });
    let mut blocks = Vec::new();
    let mut written = BTreeMap::new();
    for q in sorted {
        match attributes(q) {
            Ok(attributes) => {
                let name = names.claim(CALL_QUEUE, identifier(&q.name, "call_queue"));
                written.insert(q.identity.to_ascii_lowercase(), name.clone());
                blocks.push(Block {
                    kind: CALL_QUEUE,
                    name,
                    comment: None,
                    attributes,
                    import_id: q.identity.clone(),
                });
            }
            Err(why) => warnings.push(format!(
                "call queue {} ({}): {why}; left out",
                q.name, q.identity
            )),
        }
    }
    (blocks, written)
}

/// Points `configuration_id` of association blocks at the exported queue it names.
pub(super) fn references(associations: &mut [Block], written: &BTreeMap<String, String>) {
    for block in associations {
        for (key, value) in block.attributes.iter_mut() {
            if let ("configuration_id", Expr::Text(id)) = (*key, &*value) {
                if let Some(name) = written.get(&id.to_ascii_lowercase()) {
                    *value = Expr::Reference(format!("{CALL_QUEUE}.{name}.id"));
                }
            }
        }
    }
}

fn known<T>(
    field: &str,
    text: Option<&str>,
    decode: fn(&str) -> Option<T>,
) -> Result<Option<T>, String> {
    match text {
        None => Ok(None),
        Some(t) => decode(t)
            .map(Some)
            .ok_or_else(|| format!("{field} {t:?} is not one the provider knows")),
    }
}

fn action_block(
    number: (&'static str, i64, i64),
    action: Option<CallAction>,
    target: Option<&str>,
) -> Option<Expr> {
    let (key, value, default) = number;
    let mut fields = Vec::new();
    if value != default {
        fields.push((key, Expr::Number(value)));
    }
    let action = action.unwrap_or(CallAction::Disconnect);
    if action != CallAction::Disconnect {
        fields.push(("action", Expr::Text(action.name().to_string())));
    }
    if let Some(target) = target.filter(|t| !t.is_empty()) {
        fields.push(("target", Expr::Text(target.to_string())));
    }
    (!fields.is_empty()).then_some(Expr::Blocks(vec![fields]))
}

fn attributes(q: &CallQueue) -> Result<Vec<(&'static str, Expr)>, String> {
    let routing = known(
        "RoutingMethod",
        q.routing_method.as_deref(),
        decode_routing_method,
    )?;
    let overflow = known(
        "OverflowAction",
        q.overflow_action.as_deref(),
        decode_overflow_action,
    )?;
    let timeout = known(
        "TimeoutAction",
        q.timeout_action.as_deref(),
        decode_timeout_action,
    )?;
    let mut out = vec![("name", Expr::Text(q.name.clone()))];
    if let Some(language) = q.language_id.as_deref().filter(|l| !l.is_empty()) {
        out.push(("language_id", Expr::Text(language.to_string())));
    }
    if let Some(m) = routing.filter(|m| *m != RoutingMethod::Attendant) {
        out.push(("routing_method", Expr::Text(m.name().to_string())));
    }
    for (key, list) in [
        ("agents", &q.users),
        ("distribution_lists", &q.distribution_lists),
        ("obo_resource_account_ids", &q.obo_resource_account_ids),
    ] {
        if !list.is_empty() {
            out.push((key, Expr::TextList(list.clone())));
        }
    }
    for (key, value, default) in [
        ("allow_opt_out", q.allow_opt_out, true),
        ("conference_mode", q.conference_mode, false),
        ("presence_based_routing", q.presence_aware_routing, false),
    ] {
        if let Some(v) = value.filter(|v| *v != default) {
            out.push((key, Expr::Bool(v)));
        }
    }
    if let Some(t) = q.agent_alert_time.filter(|t| *t != CQ_AGENT_ALERT_DEFAULT) {
        out.push(("agent_alert_time", Expr::Number(t)));
    }
    if q.use_default_music_on_hold == Some(false) {
        if let Some(file) = q
            .music_on_hold_audio_file_id
            .as_deref()
            .filter(|f| !f.is_empty())
        {
            out.push(("music_on_hold", Expr::Text(file.to_string())));
        }
    }
    let overflow = action_block(
        (
            "threshold",
            q.overflow_threshold.unwrap_or(CQ_OVERFLOW_DEFAULT),
            CQ_OVERFLOW_DEFAULT,
        ),
        overflow,
        q.overflow_action_target.as_deref(),
    );
    out.extend(overflow.map(|b| ("overflow", b)));
    let timeout = action_block(
        (
            "seconds",
            q.timeout_threshold.unwrap_or(CQ_TIMEOUT_DEFAULT),
            CQ_TIMEOUT_DEFAULT,
        ),
        timeout,
        q.timeout_action_target.as_deref(),
    );
    out.extend(timeout.map(|b| ("timeout", b)));
    Ok(out)
}
