//! Shared calling routing policies: the server-side model, its validation rules and the
//! create / update / delete operations on a tenant's list of policies.
//!
//! Everything here is pure (no HTTP, no locks), so the rules are unit-tested directly and the same
//! checks guard both the seed loader and the API. The model is the emulator's own
//! ([`SharedCallingPolicy`], PascalCase like the Teams API); it deliberately shares no serde code
//! with the client, so a wrong field name on either side fails a test instead of agreeing with itself.
//!
//! Request bodies are parsed from a `serde_json` object by hand rather than derived, because the
//! API's semantics need what derive hides: an update must tell "absent" (unchanged) from `null`
//! (cleared), an `Identity` in an update body is an error, unknown fields are ignored, and each
//! wrong type should produce a message naming the property.
//!
//! Rules enforced (each error names the value and the rule):
//! - `Identity` is `Global` or `Tag:<name>`; the name is non-empty, at most 64 characters, holds no
//!   further `Tag:` and no control characters. Identities compare case-insensitively, as the Teams
//!   cmdlets do, and are stored as first spelled.
//! - `Description` is at most 1024 characters.
//! - `ResourceAccount` (required on create) is a GUID; it is stored lower-case, as the service
//!   normalises object ids, so clients must compare GUIDs semantically.
//! - `EmergencyNumbers`: each is `+` and 7–15 digits (first 1–9), optionally `;ext=<digits>`; no
//!   duplicates within a policy, and no number may already belong to another policy.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use teamsphone_contract::{GLOBAL_POLICY, SHARED_CALLING_POLICY_TYPE, TAG_PREFIX};

use crate::body::{json_object, kind, string_prop};
use crate::policy_instances::{
    self, ensure_global, refuse_existing, refuse_seeded_twice, Instance,
};

/// Longest policy name after `Tag:`.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 1024;

/// A shared calling routing policy as the Teams API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SharedCallingPolicy {
    pub identity: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Object id of the resource account whose number is shared; `null` only on `Global`.
    #[serde(default)]
    pub resource_account: Option<String>,
    #[serde(default)]
    pub emergency_numbers: Vec<String>,
}

impl Instance for SharedCallingPolicy {
    const POLICY_TYPE: &'static str = SHARED_CALLING_POLICY_TYPE;
    const GLOBAL_ADVICE: &'static str = "; change its properties instead";
    fn identity(&self) -> &str {
        &self.identity
    }
}

impl SharedCallingPolicy {
    /// The built-in instance every tenant has.
    pub fn global() -> Self {
        SharedCallingPolicy {
            identity: GLOBAL_POLICY.to_string(),
            description: None,
            resource_account: None,
            emergency_numbers: Vec::new(),
        }
    }
}

/// The properties an update changes; `None` leaves a property as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyPatch {
    /// `Some(None)` clears the description.
    pub description: Option<Option<String>>,
    pub resource_account: Option<String>,
    pub emergency_numbers: Option<Vec<String>>,
}

/// Why an operation on the policy list failed; the route maps each kind to a status code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    Invalid(String),
    NotFound(String),
    Conflict(String),
}

pub fn is_global(identity: &str) -> bool {
    identity.eq_ignore_ascii_case(GLOBAL_POLICY)
}

/// Identities are case-insensitive in Teams (`Tag:Seattle` and `tag:seattle` are one policy).
pub fn same_identity(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Checks the Identity of a custom (non-Global) policy.
pub fn check_custom_identity(identity: &str) -> Result<(), String> {
    let Some(name) = identity.strip_prefix(TAG_PREFIX) else {
        return Err(format!(
            "Identity '{identity}' is not valid: a custom policy's Identity must be '{TAG_PREFIX}<name>' \
             (the prefix is case-sensitive)"
        ));
    };
    if name.is_empty() {
        return Err(format!(
            "Identity '{identity}' is not valid: the name after '{TAG_PREFIX}' must not be empty"
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "Identity '{identity}' is not valid: the name is {chars} characters long, the limit is {MAX_NAME_CHARS}"
        ));
    }
    if name.to_lowercase().contains(&TAG_PREFIX.to_lowercase()) {
        return Err(format!(
            "Identity '{identity}' is not valid: the name must not contain '{TAG_PREFIX}' again"
        ));
    }
    if let Some(c) = identity.chars().find(|c| c.is_control()) {
        return Err(format!(
            "Identity {identity:?} is not valid: it contains the control character U+{:04X}",
            c as u32
        ));
    }
    Ok(())
}

pub fn check_description(description: &str) -> Result<(), String> {
    let chars = description.chars().count();
    if chars > MAX_DESCRIPTION_CHARS {
        return Err(format!(
            "Description is {chars} characters long, the limit is {MAX_DESCRIPTION_CHARS}"
        ));
    }
    Ok(())
}

/// Accepts a GUID in any letter case and returns it lower-case.
pub fn normalize_guid(property: &str, value: &str) -> Result<String, String> {
    let groups: Vec<&str> = value.split('-').collect();
    let shape_ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if shape_ok {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(format!(
            "{property} '{value}' is not valid: it must be an object id (a GUID such as \
             00000000-0000-0000-0000-000000000000)"
        ))
    }
}

/// Checks one emergency number: `+` and 7–15 digits, the first 1–9, optionally `;ext=<digits>`.
pub fn check_emergency_number(number: &str) -> Result<(), String> {
    let rule = "an emergency number must be '+' followed by 7 to 15 digits (the first 1-9), \
                optionally ';ext=<digits>'";
    let (main, ext) = match number.split_once(";ext=") {
        Some((main, ext)) => (main, Some(ext)),
        None => (number, None),
    };
    let digits = main.strip_prefix('+').unwrap_or("");
    let main_ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    let ext_ok = ext.is_none_or(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()));
    if main_ok && ext_ok {
        Ok(())
    } else {
        Err(format!(
            "EmergencyNumbers value '{number}' is not valid: {rule}"
        ))
    }
}

/// Checks a policy's own list: every number well formed, none twice.
pub fn check_emergency_numbers(numbers: &[String]) -> Result<(), String> {
    for (i, n) in numbers.iter().enumerate() {
        check_emergency_number(n)?;
        if numbers[..i].contains(n) {
            return Err(format!(
                "EmergencyNumbers lists '{n}' more than once; each number may appear once"
            ));
        }
    }
    Ok(())
}

/// Checks that none of `numbers` already belongs to a policy other than `owner`.
pub fn check_numbers_free(
    policies: &[SharedCallingPolicy],
    owner: &str,
    numbers: &[String],
) -> Result<(), String> {
    for n in numbers {
        if let Some(other) = policies
            .iter()
            .find(|p| !same_identity(&p.identity, owner) && p.emergency_numbers.contains(n))
        {
            return Err(format!(
                "EmergencyNumbers value '{n}' is already an emergency number of policy '{}'; \
                 a number can be the emergency number of one policy only",
                other.identity
            ));
        }
    }
    Ok(())
}

/// Validates a whole policy (seed loading); `Global` may lack a resource account. Normalises the
/// spelling of `Global` and of the resource account GUID.
pub fn normalize_policy(p: &mut SharedCallingPolicy) -> Result<(), String> {
    let global = is_global(&p.identity);
    if global {
        p.identity = GLOBAL_POLICY.to_string();
    } else {
        check_custom_identity(&p.identity)?;
    }
    if let Some(d) = &p.description {
        check_description(d)?;
    }
    match &p.resource_account {
        Some(ra) => p.resource_account = Some(normalize_guid("ResourceAccount", ra)?),
        None if !global => return Err("ResourceAccount is required".to_string()),
        None => {}
    }
    check_emergency_numbers(&p.emergency_numbers)
}

/// Validates a tenant's seeded list as a whole and makes sure `Global` exists (first).
pub fn normalize_policies(policies: &mut Vec<SharedCallingPolicy>) -> Result<(), String> {
    for (i, p) in policies.iter_mut().enumerate() {
        normalize_policy(p).map_err(|e| format!("shared_calling_policies[{i}]: {e}"))?;
    }
    for (i, p) in policies.iter().enumerate() {
        refuse_seeded_twice(&policies[..i], p, "shared_calling_policies")?;
        // Only earlier entries, so the later policy is blamed for reusing an earlier one's number.
        check_numbers_free(&policies[..i], &p.identity, &p.emergency_numbers)
            .map_err(|e| format!("shared_calling_policies[{i}] ({}): {e}", p.identity))?;
    }
    ensure_global(policies, SharedCallingPolicy::global);
    Ok(())
}

pub fn create(
    policies: &mut Vec<SharedCallingPolicy>,
    new: SharedCallingPolicy,
) -> Result<SharedCallingPolicy, PolicyError> {
    refuse_existing(policies, &new)?;
    check_numbers_free(policies, &new.identity, &new.emergency_numbers)
        .map_err(PolicyError::Invalid)?;
    policies.push(new.clone());
    Ok(new)
}

pub fn update(
    policies: &mut [SharedCallingPolicy],
    identity: &str,
    patch: PolicyPatch,
) -> Result<SharedCallingPolicy, PolicyError> {
    let Some(index) = policies
        .iter()
        .position(|p| same_identity(&p.identity, identity))
    else {
        return Err(policy_instances::not_found::<SharedCallingPolicy>(identity));
    };
    let mut updated = policies[index].clone();
    if let Some(d) = patch.description {
        updated.description = d;
    }
    if let Some(ra) = patch.resource_account {
        updated.resource_account = Some(ra);
    }
    if let Some(numbers) = patch.emergency_numbers {
        check_numbers_free(policies, &updated.identity, &numbers).map_err(PolicyError::Invalid)?;
        updated.emergency_numbers = numbers;
    }
    policies[index] = updated.clone();
    Ok(updated)
}

fn numbers_prop(v: &Value) -> Result<Vec<String>, String> {
    let numbers = match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .map(|i| string_prop("each EmergencyNumbers value", i))
            .collect::<Result<_, _>>()?,
        other => {
            return Err(format!(
                "EmergencyNumbers must be an array of strings, not {}",
                kind(other)
            ))
        }
    };
    check_emergency_numbers(&numbers)?;
    Ok(numbers)
}

pub(crate) fn description_prop(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        other => {
            let d = string_prop("Description", other)?;
            check_description(&d)?;
            Ok(Some(d))
        }
    }
}

/// Parses and validates a create body. Rules that need the other policies (conflicts, numbers in
/// use) are checked by [`create`].
/// A create names the policy by its bare name, as the PowerShell module sends it (contract section
/// 1); the service stores it as `Tag:<name>`. A `Tag:` name on create is refused, so a client that
/// sends the stored spelling is caught here rather than on a real tenant.
fn new_policy_identity(name: &str) -> Result<String, String> {
    if name
        .get(..TAG_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(TAG_PREFIX))
    {
        return Err(format!(
            "Identity '{name}' is not valid for a new policy: give the bare name; the service stores \
             it as '{TAG_PREFIX}<name>'"
        ));
    }
    let identity = format!("{TAG_PREFIX}{name}");
    check_custom_identity(&identity)?;
    Ok(identity)
}

pub fn parse_create(body: &[u8]) -> Result<SharedCallingPolicy, String> {
    let map = json_object(body)?;
    let identity = match map.get("Identity") {
        None | Some(Value::Null) => {
            return Err("Identity is required (property names are PascalCase)".to_string())
        }
        Some(v) => new_policy_identity(&string_prop("Identity", v)?)?,
    };
    let description = map
        .get("Description")
        .map(description_prop)
        .transpose()?
        .flatten();
    let resource_account = match map.get("ResourceAccount") {
        None | Some(Value::Null) => {
            return Err(format!(
                "ResourceAccount is required: give the object id of the resource account whose \
                 number '{identity}' shares"
            ))
        }
        Some(v) => normalize_guid("ResourceAccount", &string_prop("ResourceAccount", v)?)?,
    };
    let emergency_numbers = map
        .get("EmergencyNumbers")
        .map(numbers_prop)
        .transpose()?
        .unwrap_or_default();
    Ok(SharedCallingPolicy {
        identity,
        description,
        resource_account: Some(resource_account),
        emergency_numbers,
    })
}

/// Parses and validates an update body: absent properties stay unchanged, `null` clears
/// `Description` and `EmergencyNumbers`.
pub fn parse_update(body: &[u8]) -> Result<PolicyPatch, String> {
    let map = json_object(body)?;
    if map.contains_key("Identity") {
        return Err(
            "Identity must not be in the body of an update: the policy is named by the \
                    URL and cannot be renamed"
                .to_string(),
        );
    }
    let resource_account = match map.get("ResourceAccount") {
        None => None,
        Some(Value::Null) => {
            return Err(
                "ResourceAccount cannot be removed; give the object id of a resource account"
                    .to_string(),
            )
        }
        Some(v) => Some(normalize_guid(
            "ResourceAccount",
            &string_prop("ResourceAccount", v)?,
        )?),
    };
    Ok(PolicyPatch {
        description: map.get("Description").map(description_prop).transpose()?,
        resource_account,
        emergency_numbers: map.get("EmergencyNumbers").map(numbers_prop).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy_instances::delete;

    const RA: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";

    fn policy(identity: &str, numbers: &[&str]) -> SharedCallingPolicy {
        SharedCallingPolicy {
            identity: identity.to_string(),
            description: None,
            resource_account: Some(RA.to_string()),
            emergency_numbers: numbers.iter().map(|n| n.to_string()).collect(),
        }
    }

    #[test]
    fn identity_rules() {
        assert!(check_custom_identity("Tag:Seattle").is_ok());
        assert!(check_custom_identity("Tag:Seattle Office-2").is_ok());
        assert!(check_custom_identity(&format!("Tag:{}", "é".repeat(64))).is_ok());

        let e = check_custom_identity("Seattle").unwrap_err();
        assert!(e.contains("'Seattle'") && e.contains("Tag:<name>"), "{e}");
        assert!(check_custom_identity("tag:Seattle").is_err());
        assert!(check_custom_identity("Tag:").unwrap_err().contains("empty"));
        let e = check_custom_identity(&format!("Tag:{}", "a".repeat(65))).unwrap_err();
        assert!(e.contains("65") && e.contains("64"), "{e}");
        assert!(check_custom_identity("Tag:Tag:x")
            .unwrap_err()
            .contains("again"));
        assert!(check_custom_identity("Tag:a-tag:b").is_err());
        let e = check_custom_identity("Tag:a\nb").unwrap_err();
        assert!(e.contains("U+000A"), "{e}");
    }

    #[test]
    fn description_limit_counts_characters() {
        assert!(check_description(&"ü".repeat(1024)).is_ok());
        let e = check_description(&"x".repeat(1025)).unwrap_err();
        assert!(e.contains("1025") && e.contains("1024"), "{e}");
    }

    #[test]
    fn guids_are_checked_and_lowercased() {
        assert_eq!(
            normalize_guid("ResourceAccount", "0E5A2A42-1B55-4B3B-9F68-1F0D6C0B2A11").unwrap(),
            RA
        );
        for bad in [
            "",
            "not-a-guid",
            "0e5a2a421b554b3b9f681f0d6c0b2a11",
            "{0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11}",
            "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a1g",
        ] {
            let e = normalize_guid("ResourceAccount", bad).unwrap_err();
            assert!(e.contains("ResourceAccount") && e.contains("GUID"), "{e}");
        }
    }

    #[test]
    fn emergency_number_format() {
        for ok in [
            "+1234567",
            "+123456789012345",
            "+12065550100",
            "+12065550100;ext=1234",
        ] {
            assert!(check_emergency_number(ok).is_ok(), "{ok}");
        }
        for bad in [
            "12065550100",
            "+123456",
            "+1234567890123456",
            "+02065550100",
            "+1206555010a",
            "+1 206 555 0100",
            "+12065550100;ext=",
            "+12065550100;ext=12a",
            "+12065550100;EXT=1",
            "",
        ] {
            let e = check_emergency_number(bad).unwrap_err();
            assert!(e.contains(&format!("'{bad}'")), "{e}");
        }
    }

    #[test]
    fn duplicate_numbers_in_one_policy_are_rejected() {
        let list = vec!["+12065550100".to_string(), "+12065550100".to_string()];
        let e = check_emergency_numbers(&list).unwrap_err();
        assert!(e.contains("more than once"), "{e}");
        let list = vec!["+12065550100".to_string(), "+12065550100;ext=1".to_string()];
        assert!(check_emergency_numbers(&list).is_ok());
    }

    #[test]
    fn numbers_of_another_policy_are_refused_and_named() {
        let mut policies = vec![
            SharedCallingPolicy::global(),
            policy("Tag:A", &["+12065550100"]),
        ];
        let err = create(&mut policies, policy("Tag:B", &["+12065550100"])).unwrap_err();
        match err {
            PolicyError::Invalid(m) => assert!(m.contains("'Tag:A'"), "{m}"),
            other => panic!("unexpected {other:?}"),
        }
        // A policy may keep its own numbers on update.
        let patch = PolicyPatch {
            emergency_numbers: Some(vec!["+12065550100".into(), "+12065550101".into()]),
            ..Default::default()
        };
        let updated = update(&mut policies, "tag:a", patch).unwrap();
        assert_eq!(updated.emergency_numbers.len(), 2);
        assert_eq!(policies.len(), 2);
    }

    #[test]
    fn create_conflicts_case_insensitively_and_delete_protects_global() {
        let mut policies = vec![SharedCallingPolicy::global()];
        create(&mut policies, policy("Tag:Seattle", &[])).unwrap();
        let err = create(&mut policies, policy("Tag:SEATTLE", &[])).unwrap_err();
        assert_eq!(
            err,
            PolicyError::Conflict(format!(
                "{SHARED_CALLING_POLICY_TYPE} 'Tag:Seattle' already exists"
            ))
        );
        assert!(
            matches!(delete(&mut policies, "global"), Err(PolicyError::Invalid(m)) if m.contains("cannot be deleted"))
        );
        assert!(
            matches!(delete(&mut policies, "Seattle"), Err(PolicyError::NotFound(m)) if m.contains("'Tag:Seattle'"))
        );
        delete(&mut policies, "Tag:seattle").unwrap();
        assert_eq!(policies, vec![SharedCallingPolicy::global()]);
    }

    #[test]
    fn parse_create_requires_and_normalises() {
        let p = parse_create(
            br#"{"Identity":"Sea","ResourceAccount":"0E5A2A42-1B55-4B3B-9F68-1F0D6C0B2A11","Extra":1}"#,
        )
        .unwrap();
        assert_eq!(p.identity, "Tag:Sea");
        assert_eq!(p.resource_account.as_deref(), Some(RA));
        let e = parse_create(
            format!(r#"{{"Identity":"tag:Sea","ResourceAccount":"{RA}"}}"#).as_bytes(),
        )
        .unwrap_err();
        assert!(e.contains("give the bare name"), "{e}");
        assert_eq!(p.description, None);
        assert!(p.emergency_numbers.is_empty());

        assert!(parse_create(br#"{"ResourceAccount":"x"}"#)
            .unwrap_err()
            .contains("Identity is required"));
        assert!(parse_create(br#"{"Identity":"Sea"}"#)
            .unwrap_err()
            .contains("ResourceAccount is required"));
        assert!(parse_create(br#"{"Identity":"Sea","ResourceAccount":"#)
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(parse_create(b"[]").unwrap_err().contains("an array"));
        let e = parse_create(
            format!(r#"{{"Identity":"Sea","ResourceAccount":"{RA}","Description":5}}"#).as_bytes(),
        )
        .unwrap_err();
        assert!(e.contains("Description must be a string"), "{e}");
        let e = parse_create(
            format!(r#"{{"Identity":"Sea","ResourceAccount":"{RA}","EmergencyNumbers":["911"]}}"#)
                .as_bytes(),
        )
        .unwrap_err();
        assert!(e.contains("'911'"), "{e}");
    }

    #[test]
    fn parse_update_tells_absent_from_null() {
        let patch = parse_update(br#"{"Description":"new"}"#).unwrap();
        assert_eq!(patch.description, Some(Some("new".to_string())));
        assert_eq!(patch.emergency_numbers, None);
        assert_eq!(patch.resource_account, None);

        let patch = parse_update(br#"{"Description":null,"EmergencyNumbers":null}"#).unwrap();
        assert_eq!(patch.description, Some(None));
        assert_eq!(patch.emergency_numbers, Some(vec![]));

        assert!(parse_update(br#"{"Identity":"Tag:X"}"#)
            .unwrap_err()
            .contains("Identity must not be"));
        assert!(parse_update(br#"{"ResourceAccount":null}"#)
            .unwrap_err()
            .contains("cannot be removed"));
    }

    #[test]
    fn seeded_lists_get_a_global_and_are_checked_as_a_whole() {
        let mut list = vec![policy("Tag:A", &[])];
        normalize_policies(&mut list).unwrap();
        assert_eq!(list[0].identity, "Global");

        let mut list = vec![SharedCallingPolicy {
            identity: "GLOBAL".into(),
            ..SharedCallingPolicy::global()
        }];
        normalize_policies(&mut list).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].identity, "Global");

        let mut list = vec![policy("Tag:A", &[]), policy("Tag:a", &[])];
        assert!(normalize_policies(&mut list)
            .unwrap_err()
            .contains("listed twice"));

        let mut list = vec![
            policy("Tag:A", &["+12065550100"]),
            policy("Tag:B", &["+12065550100"]),
        ];
        let e = normalize_policies(&mut list).unwrap_err();
        assert!(e.contains("[1] (Tag:B)") && e.contains("'Tag:A'"), "{e}");

        let mut list = vec![SharedCallingPolicy {
            resource_account: None,
            ..policy("Tag:A", &[])
        }];
        assert!(normalize_policies(&mut list)
            .unwrap_err()
            .contains("ResourceAccount is required"));
    }
}
