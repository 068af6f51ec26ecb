//! The `teamsphone_resource_account_association` block of an exported resource account: one per
//! account that answers for an auto attendant or call queue, named after the account and
//! referencing it, written as import reads it back. The configuration is a reference to the
//! exported auto attendant when there is one, else a literal id (an exported call queue's id is
//! turned into a reference to it by `super::call_queue::references`), and `call_priority` is
//! written only when Teams shows one other than the default, since import records the default
//! when it shows none; so the plan after importing is empty.

use super::{Block, Expr};
use crate::client::api::voice_apps::{Association, ConfigurationType};
use crate::provider::registry;
use teamsphone_contract::CALL_PRIORITY_DEFAULT;

pub(super) const ASSOCIATION: &str = registry::RESOURCE_ACCOUNT_ASSOCIATION;

/// The block for `account_id`'s association, or `None` with a warning when its kind is one the
/// resource cannot express. `name` is the account's resource name (unique within the account
/// type, so unique here too: one association per account).
pub(super) fn block(
    found: &Association,
    account_id: &str,
    name: &str,
    account_ref: &str,
    configurations: &std::collections::BTreeMap<String, String>,
    warnings: &mut Vec<String>,
) -> Option<Block> {
    let kind = match ConfigurationType::parse(&found.configuration_type) {
        Some(ConfigurationType::AutoAttendant) => "auto_attendant",
        Some(ConfigurationType::CallQueue) => "call_queue",
        None => {
            warnings.push(format!(
                "resource account {account_id} is associated with a {:?} configuration, which the provider does not manage; association left out",
                found.configuration_type
            ));
            return None;
        }
    };
    if found.configuration_id.is_empty() {
        warnings.push(format!(
            "resource account {account_id}'s association names no configuration; left out"
        ));
        return None;
    }
    let mut attributes = vec![
        (
            "resource_account_id",
            Expr::Reference(format!("{account_ref}.id")),
        ),
        (
            "configuration_id",
            match configurations.get(&found.configuration_id.to_ascii_lowercase()) {
                Some(reference) => Expr::Reference(format!("{reference}.id")),
                None => Expr::Text(found.configuration_id.clone()),
            },
        ),
        ("configuration_type", Expr::Text(kind.to_string())),
    ];
    if let Some(priority) = found
        .call_priority
        .filter(|p| *p != i64::from(CALL_PRIORITY_DEFAULT))
    {
        attributes.push(("call_priority", Expr::Number(priority)));
    }
    Some(Block {
        kind: ASSOCIATION,
        name: name.to_string(),
        comment: None,
        attributes,
        import_id: account_id.to_string(),
    })
}
