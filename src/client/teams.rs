//! Calls to the Teams tenant admin API (`/Skype.Policy/...`, `/Teams.PlatformService/...`).
//!
//! These paths are known from public third-party code, not Microsoft's documentation (contract section
//! 1, marked [3P]/[I]). Each call therefore lives in exactly one function named after the PowerShell
//! cmdlet it stands for, so that a capture from a real tenant corrects it in one edit.

use reqwest::Method;

use super::error::{ApiError, Permission, Service};
use super::models::{SharedCallingPolicy, SharedCallingPolicyChanges};
use super::transport::Request;
use super::Client;
use teamsphone_contract::SHARED_CALLING_POLICY_TYPE;

impl Client {
    fn policy_collection_url(&self) -> url::Url {
        self.teams_url(&["Skype.Policy", "configurations", SHARED_CALLING_POLICY_TYPE])
    }

    fn policy_url(&self, identity: &str) -> url::Url {
        self.teams_url(&[
            "Skype.Policy",
            "configurations",
            SHARED_CALLING_POLICY_TYPE,
            "configuration",
            identity,
        ])
    }

    pub(crate) fn teams_request(
        &self,
        method: Method,
        url: url::Url,
        body: Option<serde_json::Value>,
    ) -> Request {
        Request {
            service: Service::Teams,
            method,
            url,
            body,
            permission: Permission::TeamsAdministrator,
        }
    }

    /// `Get-CsTeamsSharedCallingRoutingPolicy -Identity`: one policy, `None` when it does not exist.
    pub async fn get_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
    ) -> Result<Option<SharedCallingPolicy>, ApiError> {
        let request = self.teams_request(Method::GET, self.policy_url(identity), None);
        match self.transport.send(&request).await {
            Ok(answer) => answer.json(Service::Teams).map(Some),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `Get-CsTeamsSharedCallingRoutingPolicy` without an identity: every instance.
    pub async fn list_cs_teams_shared_calling_routing_policies(
        &self,
    ) -> Result<Vec<SharedCallingPolicy>, ApiError> {
        let request = self.teams_request(Method::GET, self.policy_collection_url(), None);
        self.transport.send(&request).await?.json(Service::Teams)
    }

    /// `New-CsTeamsSharedCallingRoutingPolicy`.
    pub async fn new_cs_teams_shared_calling_routing_policy(
        &self,
        policy: &SharedCallingPolicy,
    ) -> Result<SharedCallingPolicy, ApiError> {
        let body = serde_json::to_value(policy).expect("policy serialises");
        let request = self.teams_request(Method::POST, self.policy_collection_url(), Some(body));
        self.transport.send(&request).await?.json(Service::Teams)
    }

    /// `Set-CsTeamsSharedCallingRoutingPolicy`: changes the given properties only.
    pub async fn set_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
        changes: &SharedCallingPolicyChanges,
    ) -> Result<(), ApiError> {
        let body = serde_json::to_value(changes).expect("changes serialise");
        let request = self.teams_request(Method::PUT, self.policy_url(identity), Some(body));
        self.transport.send(&request).await.map(drop)
    }

    /// `Remove-CsTeamsSharedCallingRoutingPolicy`; a policy that is already gone is not an error.
    pub async fn remove_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
    ) -> Result<(), ApiError> {
        let request = self.teams_request(Method::DELETE, self.policy_url(identity), None);
        match self.transport.send(&request).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }
}
