//! Emergency call routing policies (contract section 5b): the server-side model, the service's
//! rules, and create / update / delete on a tenant's list, as pure functions.
//!
//! The configuration surface is the shared calling policy's ([`crate::policy`]), whose identity and
//! description rules are reused; what differs is the body. Bodies are parsed by hand, as there, so an
//! update tells "absent" from `null` and each wrong type gets a message naming the property. Rules:
//!
//! - A create names the policy by its bare name (`Seattle-E911`, as public clients send it) or by
//!   `Tag:Seattle-E911`; it is stored as `Tag:<name>`. Identities compare case-insensitively.
//! - `EmergencyNumbers` is a JSON array of objects. A JSON *string* in its place is silently
//!   dropped, as the real service does `[3P]`: the policy is written without numbers, and only a
//!   read-back shows it. `null` clears the list.
//! - Each number: `EmergencyDialString` required, 1-10 digits; `EmergencyDialMask` optional,
//!   `;`-separated, each 1-10 digits; `OnlinePSTNUsage` optional, and when given it must be one of the
//!   tenant's PSTN usages (`pstn_usages` in the seed), compared case-insensitively.
//! - No dial string or mask appears twice in one policy.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::body::{json_object, kind, string_prop};
use crate::policy::PolicyError;
use crate::policy::{
    check_custom_identity, check_description, description_prop, is_global, same_identity,
};
use crate::policy_instances::{
    self, ensure_global, refuse_existing, refuse_seeded_twice, Instance,
};
use teamsphone_contract::{EMERGENCY_CALL_ROUTING_POLICY_TYPE, GLOBAL_POLICY, TAG_PREFIX};

/// Longest dial string or mask.
pub const MAX_DIGITS: usize = 10;

/// An emergency call routing policy as the Teams API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EmergencyCallRoutingPolicy {
    pub identity: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub allow_enhanced_emergency_services: bool,
    #[serde(default)]
    pub emergency_numbers: Vec<EmergencyNumber>,
}

/// One emergency number of a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EmergencyNumber {
    pub emergency_dial_string: String,
    #[serde(default)]
    pub emergency_dial_mask: Option<String>,
    #[serde(default, rename = "OnlinePSTNUsage")]
    pub online_pstn_usage: Option<String>,
}

impl Instance for EmergencyCallRoutingPolicy {
    const POLICY_TYPE: &'static str = EMERGENCY_CALL_ROUTING_POLICY_TYPE;
    const GLOBAL_ADVICE: &'static str = "";
    fn identity(&self) -> &str {
        &self.identity
    }
}

impl EmergencyCallRoutingPolicy {
    pub fn global() -> Self {
        EmergencyCallRoutingPolicy {
            identity: GLOBAL_POLICY.to_string(),
            description: None,
            allow_enhanced_emergency_services: false,
            emergency_numbers: Vec::new(),
        }
    }

    /// A policy with only a name, as older seeds listed them under `assignments.policies`.
    pub fn named(name: &str) -> Self {
        EmergencyCallRoutingPolicy {
            identity: format!(
                "{TAG_PREFIX}{}",
                name.strip_prefix(TAG_PREFIX).unwrap_or(name)
            ),
            ..Self::global()
        }
    }
}

/// The properties an update changes; `None` leaves a property as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmergencyPatch {
    /// `Some(None)` clears the description.
    pub description: Option<Option<String>>,
    pub allow_enhanced_emergency_services: Option<bool>,
    pub emergency_numbers: Option<Vec<EmergencyNumber>>,
}

fn digits(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > MAX_DIGITS || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{what} '{value}' is not valid: it must be 1 to {MAX_DIGITS} digits"
        ));
    }
    Ok(())
}

/// The rules of one policy's numbers that need nothing but the numbers.
pub fn check_numbers(numbers: &[EmergencyNumber]) -> Result<(), String> {
    let mut seen: Vec<&str> = Vec::new();
    for n in numbers {
        digits("EmergencyDialString", &n.emergency_dial_string)?;
        let masks = n
            .emergency_dial_mask
            .as_deref()
            .unwrap_or_default()
            .split(';')
            .filter(|m| !m.is_empty());
        for value in std::iter::once(n.emergency_dial_string.as_str()).chain(masks) {
            if value != n.emergency_dial_string {
                digits("EmergencyDialMask value", value)?;
            }
            if seen.contains(&value) {
                return Err(format!(
                    "EmergencyNumbers uses '{value}' more than once (as a dial string or mask); each may appear once in a policy"
                ));
            }
            seen.push(value);
        }
    }
    Ok(())
}

/// Every PSTN usage a policy names exists in the tenant.
pub fn check_usages(usages: &[String], p: &EmergencyCallRoutingPolicy) -> Result<(), String> {
    for n in &p.emergency_numbers {
        if let Some(usage) = &n.online_pstn_usage {
            if !usages.iter().any(|u| u.eq_ignore_ascii_case(usage)) {
                return Err(format!(
                    "OnlinePSTNUsage '{usage}' of dial string '{}' does not exist; the tenant's PSTN usages are: {}",
                    n.emergency_dial_string,
                    if usages.is_empty() { "(none)".to_string() } else { usages.join(", ") }
                ));
            }
        }
    }
    Ok(())
}

/// Validates a seeded list (Global added first when missing) and every usage it names.
pub fn normalize_policies(
    policies: &mut Vec<EmergencyCallRoutingPolicy>,
    usages: &[String],
) -> Result<(), String> {
    for (i, p) in policies.iter_mut().enumerate() {
        let at = format!("emergency_call_routing_policies[{i}]");
        if is_global(&p.identity) {
            p.identity = GLOBAL_POLICY.to_string();
        } else {
            check_custom_identity(&p.identity).map_err(|e| format!("{at}: {e}"))?;
        }
        if let Some(d) = &p.description {
            check_description(d).map_err(|e| format!("{at}: {e}"))?;
        }
        check_numbers(&p.emergency_numbers).map_err(|e| format!("{at}: {e}"))?;
        check_usages(usages, p).map_err(|e| format!("{at}: {e}"))?;
    }
    for (i, p) in policies.iter().enumerate() {
        refuse_seeded_twice(&policies[..i], p, "emergency_call_routing_policies")?;
    }
    ensure_global(policies, EmergencyCallRoutingPolicy::global);
    Ok(())
}

pub fn create(
    policies: &mut Vec<EmergencyCallRoutingPolicy>,
    new: EmergencyCallRoutingPolicy,
) -> Result<EmergencyCallRoutingPolicy, PolicyError> {
    refuse_existing(policies, &new)?;
    policies.push(new.clone());
    Ok(new)
}

/// The policy `identity` with `patch` applied, not yet stored (the route checks usages first).
pub fn patched(
    policies: &[EmergencyCallRoutingPolicy],
    identity: &str,
    patch: EmergencyPatch,
) -> Result<EmergencyCallRoutingPolicy, PolicyError> {
    let mut updated = policy_instances::find(policies, identity)
        .cloned()
        .ok_or_else(|| policy_instances::not_found::<EmergencyCallRoutingPolicy>(identity))?;
    if let Some(d) = patch.description {
        updated.description = d;
    }
    if let Some(on) = patch.allow_enhanced_emergency_services {
        updated.allow_enhanced_emergency_services = on;
    }
    if let Some(numbers) = patch.emergency_numbers {
        updated.emergency_numbers = numbers;
    }
    Ok(updated)
}

/// Stores `updated` in place of the policy of the same identity.
pub fn store(policies: &mut [EmergencyCallRoutingPolicy], updated: EmergencyCallRoutingPolicy) {
    if let Some(p) = policies
        .iter_mut()
        .find(|p| same_identity(&p.identity, &updated.identity))
    {
        *p = updated;
    }
}

fn optional_string(map: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => string_prop(name, v).map(Some),
    }
}

fn number(v: &Value) -> Result<EmergencyNumber, String> {
    let Value::Object(map) = v else {
        return Err(format!(
            "each EmergencyNumbers value must be an object, not {}",
            kind(v)
        ));
    };
    let Some(dial) = optional_string(map, "EmergencyDialString")? else {
        return Err("EmergencyDialString is required in each EmergencyNumbers value".to_string());
    };
    Ok(EmergencyNumber {
        emergency_dial_string: dial,
        emergency_dial_mask: optional_string(map, "EmergencyDialMask")?,
        online_pstn_usage: optional_string(map, "OnlinePSTNUsage")?,
    })
}

/// `None` when the property is to be left alone: absent, or a JSON string (silently dropped,
/// `[3P]`).
fn numbers_prop(v: Option<&Value>) -> Result<Option<Vec<EmergencyNumber>>, String> {
    let numbers = match v {
        None | Some(Value::String(_)) => return Ok(None),
        Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(number).collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "EmergencyNumbers must be an array of objects, not {}",
                kind(other)
            ))
        }
    };
    check_numbers(&numbers)?;
    Ok(Some(numbers))
}

fn bool_prop(map: &Map<String, Value>) -> Result<Option<bool>, String> {
    match map.get("AllowEnhancedEmergencyServices") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(format!(
            "AllowEnhancedEmergencyServices must be a boolean, not {}",
            kind(other)
        )),
    }
}

/// Parses and validates a create body; usages and conflicts are checked against the tenant later.
pub fn parse_create(body: &[u8]) -> Result<EmergencyCallRoutingPolicy, String> {
    let map = json_object(body)?;
    let Some(name) = optional_string(&map, "Identity")? else {
        return Err("Identity is required (property names are PascalCase)".to_string());
    };
    let identity = if name.starts_with(TAG_PREFIX) {
        name
    } else {
        format!("{TAG_PREFIX}{name}")
    };
    check_custom_identity(&identity)?;
    Ok(EmergencyCallRoutingPolicy {
        identity,
        description: map
            .get("Description")
            .map(description_prop)
            .transpose()?
            .flatten(),
        allow_enhanced_emergency_services: bool_prop(&map)?.unwrap_or(false),
        emergency_numbers: numbers_prop(map.get("EmergencyNumbers"))?.unwrap_or_default(),
    })
}

/// Parses and validates an update body: absent properties stay as they are.
pub fn parse_update(body: &[u8]) -> Result<EmergencyPatch, String> {
    let map = json_object(body)?;
    if map.contains_key("Identity") {
        return Err(
            "Identity must not be in the body of an update: the policy is named by the URL"
                .to_string(),
        );
    }
    Ok(EmergencyPatch {
        description: map.get("Description").map(description_prop).transpose()?,
        allow_enhanced_emergency_services: bool_prop(&map)?,
        emergency_numbers: numbers_prop(map.get("EmergencyNumbers"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy_instances::{delete, find};

    fn n(dial: &str, mask: Option<&str>, usage: Option<&str>) -> EmergencyNumber {
        EmergencyNumber {
            emergency_dial_string: dial.into(),
            emergency_dial_mask: mask.map(str::to_string),
            online_pstn_usage: usage.map(str::to_string),
        }
    }

    #[test]
    fn seeded_lists_get_a_global_and_refuse_an_identity_twice() {
        let mut list = vec![EmergencyCallRoutingPolicy::named("A")];
        normalize_policies(&mut list, &[]).unwrap();
        assert_eq!(list[0].identity, "Global");
        assert_eq!(list[1].identity, "Tag:A");

        let mut list = vec![
            EmergencyCallRoutingPolicy::named("A"),
            EmergencyCallRoutingPolicy::named("a"),
        ];
        assert_eq!(
            normalize_policies(&mut list, &[]).unwrap_err(),
            "emergency_call_routing_policies: 'Tag:a' is listed twice"
        );
    }

    #[test]
    fn create_takes_the_bare_name_and_nested_objects() {
        let p = parse_create(
            br#"{"Identity":"Seattle-E911","AllowEnhancedEmergencyServices":true,
                 "EmergencyNumbers":[{"EmergencyDialString":"911","EmergencyDialMask":"933;112",
                                      "OnlinePSTNUsage":"US-Emergency"}]}"#,
        )
        .unwrap();
        assert_eq!(p.identity, "Tag:Seattle-E911");
        assert!(p.allow_enhanced_emergency_services);
        assert_eq!(
            p.emergency_numbers,
            [n("911", Some("933;112"), Some("US-Emergency"))]
        );
        assert_eq!(
            parse_create(br#"{"Identity":"Tag:X"}"#).unwrap().identity,
            "Tag:X"
        );
    }

    #[test]
    fn numbers_sent_as_a_string_are_silently_dropped() {
        let p = parse_create(
            br#"{"Identity":"X","EmergencyNumbers":"[{\"EmergencyDialString\":\"911\"}]"}"#,
        )
        .unwrap();
        assert!(p.emergency_numbers.is_empty());
        let patch = parse_update(br#"{"EmergencyNumbers":"911"}"#).unwrap();
        assert_eq!(patch.emergency_numbers, None);
        let patch = parse_update(br#"{"EmergencyNumbers":null}"#).unwrap();
        assert_eq!(patch.emergency_numbers, Some(vec![]));
    }

    #[test]
    fn the_service_rules_name_the_value() {
        for (body, expect) in [
            (
                r#"{"EmergencyNumbers":[{"EmergencyDialString":"9-1-1"}]}"#,
                "'9-1-1'",
            ),
            (
                r#"{"EmergencyNumbers":[{"EmergencyDialMask":"933"}]}"#,
                "EmergencyDialString is required",
            ),
            (
                r#"{"EmergencyNumbers":[{"EmergencyDialString":"911","EmergencyDialMask":"93x"}]}"#,
                "'93x'",
            ),
            (
                r#"{"EmergencyNumbers":[{"EmergencyDialString":"911","EmergencyDialMask":"12345678901"}]}"#,
                "1 to 10",
            ),
            (
                r#"{"EmergencyNumbers":[{"EmergencyDialString":"911"},{"EmergencyDialString":"999","EmergencyDialMask":"911"}]}"#,
                "more than once",
            ),
            (r#"{"EmergencyNumbers":[5]}"#, "must be an object"),
            (
                r#"{"AllowEnhancedEmergencyServices":"yes"}"#,
                "must be a boolean",
            ),
            (r#"{"Identity":"Tag:X"}"#, "must not be in the body"),
        ] {
            let e = parse_update(body.as_bytes()).unwrap_err();
            assert!(e.contains(expect), "{body}: {e}");
        }
        assert!(parse_create(br#"{"Identity":"Tag:Tag:X"}"#)
            .unwrap_err()
            .contains("again"));
    }

    #[test]
    fn usages_must_exist_and_lists_conflict_case_insensitively() {
        let usages = vec!["US-Emergency".to_string()];
        let mut p = EmergencyCallRoutingPolicy::named("A");
        p.emergency_numbers = vec![n("911", None, Some("us-emergency"))];
        assert!(check_usages(&usages, &p).is_ok());
        p.emergency_numbers = vec![n("911", None, Some("Nowhere"))];
        let e = check_usages(&usages, &p).unwrap_err();
        assert!(e.contains("'Nowhere'") && e.contains("US-Emergency"), "{e}");

        let mut list = vec![EmergencyCallRoutingPolicy::named("A")];
        normalize_policies(&mut list, &usages).unwrap();
        assert_eq!(list[0].identity, "Global");
        assert!(create(&mut list, EmergencyCallRoutingPolicy::named("a")).is_err());
        let patch = EmergencyPatch {
            allow_enhanced_emergency_services: Some(true),
            ..Default::default()
        };
        let updated = patched(&list, "tag:a", patch).unwrap();
        store(&mut list, updated);
        assert!(
            find(&list, "Tag:A")
                .unwrap()
                .allow_enhanced_emergency_services
        );
        assert!(matches!(
            delete(&mut list, "Global"),
            Err(PolicyError::Invalid(_))
        ));
        delete(&mut list, "Tag:A").unwrap();
        assert!(
            matches!(delete(&mut list, "A"), Err(PolicyError::NotFound(m)) if m.contains("'Tag:A'"))
        );
    }
}
