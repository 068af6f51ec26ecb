//! Policy names and types as users write them and as Teams stores them.
//!
//! Users write the bare name (`Seattle`); Teams stores custom instances as `Tag:Seattle` and has one
//! built-in instance, `Global`, that always exists. One rule checks a name wherever it is written (a
//! policy being created, a policy being granted, a data source lookup, an import id), so the message
//! for `Tag:Seattle` is the same everywhere; only what `Global` means differs between creating and
//! granting, and [`NameUse`] says which.

use teamsphone_contract::{GLOBAL_POLICY, SHARED_CALLING_POLICY_TYPE, TAG_PREFIX};

use super::text::text;

/// Longest policy name the Teams admin center accepts.
pub const MAX_NAME: usize = 64;
/// Longest policy description the Teams admin center accepts.
pub const MAX_DESCRIPTION: usize = 1024;
/// The policy type a binding uses when `policy_type` is not set.
pub const DEFAULT_POLICY_TYPE: &str = SHARED_CALLING_POLICY_TYPE;

/// What a policy name is being used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameUse {
    /// Naming an instance to create, read or import.
    Instance,
    /// Naming the instance to grant to users or groups.
    Grant,
}

/// `Tag:<name>` for a bare policy name.
pub fn identity_of(name: &str) -> String {
    format!("{TAG_PREFIX}{name}")
}

/// The bare name from an identity or a name given by a user (`Tag:Seattle` or `Seattle`).
pub fn bare_name(identity: &str) -> &str {
    identity.strip_prefix(TAG_PREFIX).unwrap_or(identity)
}

/// A bare, printable name of at most [`MAX_NAME`] characters that is not `Global`.
pub fn validate_policy_name(name: &str, purpose: NameUse) -> Result<(), String> {
    text(MAX_NAME)(name)?;
    if name
        .get(..TAG_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(TAG_PREFIX))
    {
        return Err(format!(
            "{name:?} starts with {TAG_PREFIX:?}; write the bare name ({:?}) and the provider adds the prefix",
            &name[TAG_PREFIX.len()..]
        ));
    }
    if name.eq_ignore_ascii_case(GLOBAL_POLICY) {
        return Err(match purpose {
            NameUse::Instance => "\"Global\" is the built-in policy instance and cannot be created or deleted; choose another name",
            NameUse::Grant => "\"Global\" is what users get without an assignment; remove the assignment instead of granting Global",
        }
        .into());
    }
    Ok(())
}

/// A policy description: at most [`MAX_DESCRIPTION`] characters, no control characters but line
/// breaks and tabs. Every policy type's `description` gives this one message.
pub fn validate_description(description: &str) -> Result<(), String> {
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(format!("is longer than {MAX_DESCRIPTION} characters"));
    }
    if description
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("must not contain control characters".into());
    }
    Ok(())
}

/// [`validate_policy_name`] for an instance being created, read or imported.
pub fn validate_instance_name(name: &str) -> Result<(), String> {
    validate_policy_name(name, NameUse::Instance)
}

/// [`validate_policy_name`] for the policy a binding grants.
pub fn validate_grant_name(name: &str) -> Result<(), String> {
    validate_policy_name(name, NameUse::Grant)
}

/// A policy type is a PowerShell noun: letters and digits.
pub fn validate_policy_type(value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > 64 || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!(
            "{value:?} is not a policy type; use a Teams policy type name such as {SHARED_CALLING_POLICY_TYPE} or TeamsEmergencyCallRoutingPolicy"
        ));
    }
    Ok(())
}

/// Whether a policy name as Teams shows it (`Tag:Seattle`, `Seattle`) names the bare `name`.
pub fn names_policy(shown: &str, name: &str) -> bool {
    bare_name(shown).eq_ignore_ascii_case(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_once_for_every_use() {
        for purpose in [NameUse::Instance, NameUse::Grant] {
            assert!(validate_policy_name("Seattle", purpose).is_ok());
            assert!(validate_policy_name("tag:Seattle", purpose)
                .unwrap_err()
                .contains("bare name (\"Seattle\")"));
            assert!(validate_policy_name("", purpose)
                .unwrap_err()
                .contains("empty"));
            assert!(validate_policy_name(&"x".repeat(65), purpose)
                .unwrap_err()
                .contains("at most 64"));
        }
        assert!(validate_policy_name("global", NameUse::Instance)
            .unwrap_err()
            .contains("built-in"));
        assert!(validate_policy_name("Global", NameUse::Grant)
            .unwrap_err()
            .contains("remove the assignment"));
    }

    #[test]
    fn identities_and_types() {
        assert_eq!(identity_of("Seattle"), "Tag:Seattle");
        assert_eq!(bare_name("Tag:Seattle"), "Seattle");
        assert_eq!(bare_name("Seattle"), "Seattle");
        assert!(names_policy("Tag:SEATTLE", "seattle"));
        assert!(!names_policy("Tag:Seattle2", "seattle"));
        assert!(validate_policy_type("TeamsEmergencyCallRoutingPolicy").is_ok());
        assert!(validate_policy_type("Teams Policy").is_err());
        assert!(validate_policy_type("").is_err());
    }
}
