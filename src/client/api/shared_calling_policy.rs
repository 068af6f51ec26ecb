//! Calls to the Teams tenant admin API (`/Skype.Policy/...`, `/Teams.PlatformService/...`).
//!
//! These paths are known from public third-party code, not Microsoft's documentation (contract section
//! 1, marked `[3P]`/`[I]`). Each call therefore lives in exactly one function named after the
//! PowerShell cmdlet it stands for, so that a capture from a real tenant corrects it in one edit.

use serde::{Deserialize, Serialize};

use super::null_as_empty;
use super::policy_instances::PolicyCmdlets;
use crate::client::http::error::ApiError;
use crate::client::http::Request;
use crate::client::Client;
use teamsphone_contract::SHARED_CALLING_POLICY_TYPE;

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

const CMDLETS: PolicyCmdlets = PolicyCmdlets {
    policy_type: SHARED_CALLING_POLICY_TYPE,
    get: "Get-CsTeamsSharedCallingRoutingPolicy",
    new: "New-CsTeamsSharedCallingRoutingPolicy",
    set: "Set-CsTeamsSharedCallingRoutingPolicy",
    remove: "Remove-CsTeamsSharedCallingRoutingPolicy",
};

impl Client {
    /// `Get-CsTeamsSharedCallingRoutingPolicy -Identity`: one policy, `None` when it does not exist.
    pub async fn get_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
    ) -> Result<Option<SharedCallingPolicy>, ApiError> {
        self.get_policy_instance(&CMDLETS, identity).await
    }

    /// The request of `Get-CsTeamsSharedCallingRoutingPolicy` without an identity (also the
    /// `doctor`'s probe of it).
    pub(crate) fn list_policies_request(&self) -> Request {
        self.list_policy_instances_request(&CMDLETS)
    }

    /// `Get-CsTeamsSharedCallingRoutingPolicy` without an identity: every instance.
    pub async fn list_cs_teams_shared_calling_routing_policies(
        &self,
    ) -> Result<Vec<SharedCallingPolicy>, ApiError> {
        self.list_policy_instances(&CMDLETS).await
    }

    /// `New-CsTeamsSharedCallingRoutingPolicy` `[3P]`. `Identity` goes as the bare name, as public
    /// clients send it (contract section 1); the service stores it as `Tag:<name>`, which is how
    /// `policy.identity` and the answer spell it.
    pub async fn new_cs_teams_shared_calling_routing_policy(
        &self,
        policy: &SharedCallingPolicy,
    ) -> Result<SharedCallingPolicy, ApiError> {
        self.new_policy_instance(&CMDLETS, policy, &policy.identity)
            .await
    }

    /// `Set-CsTeamsSharedCallingRoutingPolicy`: changes the given properties only.
    pub async fn set_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
        changes: &SharedCallingPolicyChanges,
    ) -> Result<(), ApiError> {
        self.set_policy_instance(&CMDLETS, identity, changes).await
    }

    /// `Remove-CsTeamsSharedCallingRoutingPolicy`; a policy that is already gone is not an error.
    pub async fn remove_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
    ) -> Result<(), ApiError> {
        self.remove_policy_instance(&CMDLETS, identity).await
    }
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
