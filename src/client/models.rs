//! The API's own shapes, as the client reads and writes them.
//!
//! Reads are lenient (missing fields default, unknown fields are ignored) because Microsoft adds fields
//! and enum values over time; writes send only what the contract names.

use serde::{Deserialize, Serialize};

/// A shared calling routing policy instance (Teams API, PascalCase).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SharedCallingPolicy {
    /// `Tag:<name>` for custom instances, `Global` for the built-in one.
    pub identity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Object id of the resource account whose number users call out with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub emergency_numbers: Vec<String>,
}

/// The properties of a policy that can change in place (the body of an update).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SharedCallingPolicyChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_numbers: Option<Vec<String>>,
}

/// A Microsoft Graph user (people and resource accounts alike).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphUser {
    pub id: String,
    #[serde(default)]
    pub user_principal_name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub account_enabled: Option<bool>,
    #[serde(default)]
    pub usage_location: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub assigned_licenses: Vec<AssignedLicense>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedLicense {
    pub sku_id: String,
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_reads_leniently() {
        let p: SharedCallingPolicy = serde_json::from_str(
            r#"{"Identity":"Tag:Sea","EmergencyNumbers":null,"SomethingNew":1}"#,
        )
        .unwrap();
        assert_eq!(p.identity, "Tag:Sea");
        assert!(p.emergency_numbers.is_empty());
        assert_eq!(p.description, None);
    }

    #[test]
    fn changes_send_only_what_changes() {
        let c = SharedCallingPolicyChanges {
            description: Some("d".into()),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"Description":"d"}"#);
    }
}
