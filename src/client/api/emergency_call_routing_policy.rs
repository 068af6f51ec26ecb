//! Emergency call routing policies (contract section 5b): the Teams API's configuration surface of
//! type `TeamsEmergencyCallRoutingPolicy`, the same shape as the shared calling policy's (section 1).
//!
//! The routes are known from public third-party code only (`[3P]`), so each cmdlet is one function
//! named after it. Two details of the wire are easy to get wrong and are kept here alone: the
//! nested `EmergencyNumbers` travel as a JSON array of PascalCase objects (a JSON string in their
//! place is silently dropped by the service), and the masks of one number are a single
//! `;`-separated string. A create sends the bare name as `Identity`, as public clients do; the
//! service stores `Tag:<name>`.

use serde::{Deserialize, Serialize};

use super::null_as_empty;
use super::policy_instances::PolicyCmdlets;
use crate::client::http::error::ApiError;
use crate::client::http::Request;
use crate::client::Client;
use teamsphone_contract::EMERGENCY_CALL_ROUTING_POLICY_TYPE;

/// One emergency number of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmergencyNumber {
    pub emergency_dial_string: String,
    /// `933;112`; absent when the number has no masks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_dial_mask: Option<String>,
    #[serde(
        default,
        rename = "OnlinePSTNUsage",
        skip_serializing_if = "Option::is_none"
    )]
    pub online_pstn_usage: Option<String>,
}

/// An emergency call routing policy instance as the Teams API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmergencyCallRoutingPolicy {
    /// `Tag:<name>` for custom instances, `Global` for the built-in one.
    pub identity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_enhanced_emergency_services: Option<bool>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub emergency_numbers: Vec<EmergencyNumber>,
}

/// The properties an update changes (absent: unchanged).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmergencyCallRoutingPolicyChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_enhanced_emergency_services: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_numbers: Option<Vec<EmergencyNumber>>,
}

const CMDLETS: PolicyCmdlets = PolicyCmdlets {
    policy_type: EMERGENCY_CALL_ROUTING_POLICY_TYPE,
    get: "Get-CsTeamsEmergencyCallRoutingPolicy",
    new: "New-CsTeamsEmergencyCallRoutingPolicy",
    set: "Set-CsTeamsEmergencyCallRoutingPolicy",
    remove: "Remove-CsTeamsEmergencyCallRoutingPolicy",
};

impl Client {
    /// `Get-CsTeamsEmergencyCallRoutingPolicy -Identity`: one policy, `None` when it does not exist.
    pub async fn get_cs_teams_emergency_call_routing_policy(
        &self,
        identity: &str,
    ) -> Result<Option<EmergencyCallRoutingPolicy>, ApiError> {
        self.get_policy_instance(&CMDLETS, identity).await
    }

    /// The request of `Get-CsTeamsEmergencyCallRoutingPolicy` without an identity (also the
    /// `doctor`'s probe of it).
    pub(crate) fn list_emergency_policies_request(&self) -> Request {
        self.list_policy_instances_request(&CMDLETS)
    }

    /// `Get-CsTeamsEmergencyCallRoutingPolicy` without an identity: every instance.
    pub async fn list_cs_teams_emergency_call_routing_policies(
        &self,
    ) -> Result<Vec<EmergencyCallRoutingPolicy>, ApiError> {
        self.list_policy_instances(&CMDLETS).await
    }

    /// `New-CsTeamsEmergencyCallRoutingPolicy`, with the bare name as `Identity` (contract 5b).
    pub async fn new_cs_teams_emergency_call_routing_policy(
        &self,
        policy: &EmergencyCallRoutingPolicy,
    ) -> Result<EmergencyCallRoutingPolicy, ApiError> {
        self.new_policy_instance(&CMDLETS, policy, &policy.identity)
            .await
    }

    /// `Set-CsTeamsEmergencyCallRoutingPolicy`: changes the given properties only.
    pub async fn set_cs_teams_emergency_call_routing_policy(
        &self,
        identity: &str,
        changes: &EmergencyCallRoutingPolicyChanges,
    ) -> Result<(), ApiError> {
        self.set_policy_instance(&CMDLETS, identity, changes).await
    }

    /// `Remove-CsTeamsEmergencyCallRoutingPolicy`; a policy already gone is not an error.
    pub async fn remove_cs_teams_emergency_call_routing_policy(
        &self,
        identity: &str,
    ) -> Result<(), ApiError> {
        self.remove_policy_instance(&CMDLETS, identity).await
    }
}

#[cfg(test)]
mod tests {
    use super::super::policy_instances::create_body;
    use super::*;

    #[test]
    fn numbers_travel_as_pascal_case_objects_and_create_sends_the_bare_name() {
        let policy = EmergencyCallRoutingPolicy {
            identity: "Tag:Seattle-E911".into(),
            description: None,
            allow_enhanced_emergency_services: Some(true),
            emergency_numbers: vec![EmergencyNumber {
                emergency_dial_string: "911".into(),
                emergency_dial_mask: Some("933;112".into()),
                online_pstn_usage: Some("US-Emergency".into()),
            }],
        };
        assert_eq!(
            create_body(&policy, &policy.identity),
            serde_json::json!({
                "Identity": "Seattle-E911",
                "AllowEnhancedEmergencyServices": true,
                "EmergencyNumbers": [{"EmergencyDialString": "911", "EmergencyDialMask": "933;112",
                                      "OnlinePSTNUsage": "US-Emergency"}]
            })
        );
    }

    #[test]
    fn reads_are_lenient() {
        let p: EmergencyCallRoutingPolicy =
            serde_json::from_str(r#"{"Identity":"Tag:X","EmergencyNumbers":null,"Unknown":1}"#)
                .unwrap();
        assert!(p.emergency_numbers.is_empty());
        assert_eq!(p.allow_enhanced_emergency_services, None);
    }
}
