//! The `teamsphone_emergency_call_routing_policy` blocks of an export: one per custom policy, in
//! identity order, written exactly as import reads them back (masks `[]` and usage `null` when the
//! API has none; `enhanced_emergency_services` only when on; no empty description), so the plan
//! after importing is empty.

use super::{identifier, Block, Expr, Names};
use crate::client::api::emergency_call_routing_policy::EmergencyCallRoutingPolicy;
use crate::domain::emergency_dialing::split_masks;
use crate::domain::policies::bare_name;
use crate::provider::registry;

pub(super) const EMERGENCY_POLICY: &str = registry::EMERGENCY_CALL_ROUTING_POLICY;

pub(super) fn blocks(policies: &[EmergencyCallRoutingPolicy], names: &mut Names) -> Vec<Block> {
    policies
        .iter()
        .map(|policy| {
            let bare = bare_name(&policy.identity);
            let mut attributes = vec![("name", Expr::Text(bare.to_string()))];
            if let Some(description) = policy.description.as_deref().filter(|d| !d.is_empty()) {
                attributes.push(("description", Expr::Text(description.to_string())));
            }
            if policy.allow_enhanced_emergency_services == Some(true) {
                attributes.push(("enhanced_emergency_services", Expr::Bool(true)));
            }
            if !policy.emergency_numbers.is_empty() {
                let numbers = policy
                    .emergency_numbers
                    .iter()
                    .map(|n| {
                        let usage = n.online_pstn_usage.as_deref().filter(|u| !u.is_empty());
                        vec![
                            ("dial_string", Expr::Text(n.emergency_dial_string.clone())),
                            (
                                "dial_masks",
                                Expr::TextList(split_masks(n.emergency_dial_mask.as_deref())),
                            ),
                            (
                                "pstn_usage",
                                usage.map_or(Expr::Null, |u| Expr::Text(u.to_string())),
                            ),
                        ]
                    })
                    .collect();
                attributes.push(("emergency_numbers", Expr::Objects(numbers)));
            }
            Block {
                kind: EMERGENCY_POLICY,
                name: names.claim(EMERGENCY_POLICY, identifier(bare, "emergency_policy")),
                comment: None,
                attributes,
                import_id: bare.to_string(),
            }
        })
        .collect()
}
