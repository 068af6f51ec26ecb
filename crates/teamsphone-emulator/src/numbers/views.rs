//! How Graph shows numbers and operations (`numberAssignment`, the operation poll), and the
//! `$filter` subset the number list understands.

use serde_json::{json, Value};

use super::inventory::{NumberType, PhoneNumber};
use super::operations::NumberOperation;
use super::rules::policy_using;
use crate::directory::AccountType;
use crate::state::Tenant;

/// A number as Graph's `numberAssignment` shows it.
pub fn number_json(tenant: &Tenant, n: &PhoneNumber) -> Value {
    let (status, target) = match &n.assignment_target_id {
        Some(t) => {
            let status = match tenant
                .users
                .iter()
                .find(|u| &u.id == t)
                .map(|u| u.account_type)
            {
                Some(AccountType::ResourceAccount) => "voiceApplicationAssigned",
                _ => "userAssigned",
            };
            (status, Some(t.clone()))
        }
        None => match policy_using(tenant, &n.telephone_number) {
            Some(p) => ("policyAssigned", Some(p.identity.clone())),
            None => ("unassigned", None),
        },
    };
    json!({
        "id": n.telephone_number.trim_start_matches('+'),
        "telephoneNumber": n.telephone_number,
        "numberType": n.number_type.api_name(),
        "activationState": n.activation_state,
        "assignmentStatus": status,
        "assignmentTargetId": target,
        "assignmentCategory": n.assignment_category,
        "locationId": n.location_id,
        "civicAddressId": Value::Null,
        "networkSiteId": Value::Null,
        "operatorId": Value::Null,
        "isoCountryCode": n.iso_country_code,
        "city": n.city,
        "capabilities": n.capabilities,
        "numberSource": if n.number_type == NumberType::DirectRouting { "onPremises" } else { "online" },
        "portInStatus": "completed",
        "supportedCustomerActions": [],
        "reverseNumberLookupOptions": [],
    })
}

/// An operation as Graph shows it.
pub fn operation_json(op: &NumberOperation, now_ms: u64, step_ms: u64, base: &str) -> Value {
    let status = op.status(now_ms, step_ms);
    let detail = match status {
        "failed" => op.failure.clone(),
        "skipped" => Some(format!(
            "Telephone Number '{}' is not assigned; nothing to unassign.",
            op.telephone_number
        )),
        _ => None,
    };
    json!({
        "id": op.id,
        "createdDateTime": format!("{}Z", crate::error::iso8601(std::time::UNIX_EPOCH + std::time::Duration::from_millis(op.created_at_ms))),
        "status": status,
        "numbers": [{
            "resourceLocation": format!("{base}/v1.0/admin/teams/telephoneNumberManagement/numberAssignments('{}')", op.telephone_number),
            "status": status,
            "statusDetail": detail,
        }],
    })
}

/// A parsed `$filter`: `<property> eq '<value>'` clauses joined by `and`.
pub fn parse_filter(filter: &str) -> Result<Vec<(String, String)>, String> {
    const PROPERTIES: [&str; 7] = [
        "telephoneNumber",
        "assignmentTargetId",
        "numberType",
        "assignmentStatus",
        "activationState",
        "isoCountryCode",
        "locationId",
    ];
    let mut clauses = Vec::new();
    let mut rest = filter.trim();
    while !rest.is_empty() {
        let (property, after) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("Invalid filter clause: '{rest}'"))?;
        if !PROPERTIES.contains(&property) {
            return Err(format!(
                "Invalid filter: the property '{property}' cannot be filtered on; use one of {}",
                PROPERTIES.join(", ")
            ));
        }
        let after = after.trim_start();
        let Some(after) = after.strip_prefix("eq ").map(str::trim_start) else {
            return Err(format!(
                "Invalid filter: only 'eq' is supported after '{property}'"
            ));
        };
        let Some(quoted) = after.strip_prefix('\'') else {
            return Err(format!(
                "Invalid filter: the value for '{property}' must be quoted"
            ));
        };
        let mut value = String::new();
        let mut chars = quoted.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, c)| *c) == Some('\'') {
                    chars.next();
                    value.push('\'');
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                value.push(c);
            }
        }
        let end =
            end.ok_or_else(|| format!("Invalid filter: unterminated value for '{property}'"))?;
        clauses.push((property.to_string(), value));
        rest = quoted[end..].trim_start();
        if let Some(next) = rest.strip_prefix("and ") {
            rest = next.trim_start();
        } else if !rest.is_empty() {
            return Err(format!("Invalid filter: expected 'and' before '{rest}'"));
        }
    }
    Ok(clauses)
}

/// Whether a rendered number matches every clause (strings compare case-insensitively, as in Graph).
pub fn matches(number: &Value, clauses: &[(String, String)]) -> bool {
    clauses.iter().all(|(property, value)| {
        number[property]
            .as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case(value))
    })
}
