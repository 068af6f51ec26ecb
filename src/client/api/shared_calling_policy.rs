//! Calls to the Teams tenant admin API (`/Skype.Policy/...`, `/Teams.PlatformService/...`).
//!
//! These paths are known from public third-party code, not Microsoft's documentation (contract section
//! 1, marked [3P]/[I]). Each call therefore lives in exactly one function named after the PowerShell
//! cmdlet it stands for, so that a capture from a real tenant corrects it in one edit.

use reqwest::Method;

use serde::{Deserialize, Serialize};

use super::null_as_empty;
use crate::client::http::error::ApiError;
use crate::client::http::Request;
use crate::client::Client;
use crate::domain::policies::bare_name;
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

    /// `Get-CsTeamsSharedCallingRoutingPolicy -Identity`: one policy, `None` when it does not exist.
    pub async fn get_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
    ) -> Result<Option<SharedCallingPolicy>, ApiError> {
        let request = self.teams_request(
            "Get-CsTeamsSharedCallingRoutingPolicy",
            Method::GET,
            self.policy_url(identity),
            None,
        );
        self.transport
            .send_unless_absent(&request)
            .await?
            .map(|answer| answer.one())
            .transpose()
    }

    /// The request of `Get-CsTeamsSharedCallingRoutingPolicy` without an identity (also the
    /// `doctor`'s probe of it).
    pub(crate) fn list_policies_request(&self) -> Request {
        self.teams_request(
            "Get-CsTeamsSharedCallingRoutingPolicy",
            Method::GET,
            self.policy_collection_url(),
            None,
        )
    }

    /// `Get-CsTeamsSharedCallingRoutingPolicy` without an identity: every instance.
    pub async fn list_cs_teams_shared_calling_routing_policies(
        &self,
    ) -> Result<Vec<SharedCallingPolicy>, ApiError> {
        let request = self.list_policies_request();
        self.transport.send(&request).await?.json()
    }

    /// `New-CsTeamsSharedCallingRoutingPolicy` [3P]. The answer may be the policy, a one-element
    /// array or nothing; nothing is read back.
    ///
    /// `Identity` goes as the bare name, as public clients send it (contract section 1); the service
    /// stores it as `Tag:<name>`, which is how `policy.identity` and the answer spell it.
    pub async fn new_cs_teams_shared_calling_routing_policy(
        &self,
        policy: &SharedCallingPolicy,
    ) -> Result<SharedCallingPolicy, ApiError> {
        let mut body = serde_json::to_value(policy).expect("policy serialises");
        body["Identity"] = bare_name(&policy.identity).into();
        let request = self.teams_request(
            "New-CsTeamsSharedCallingRoutingPolicy",
            Method::POST,
            self.policy_collection_url(),
            Some(body),
        );
        let answer = self.transport.send(&request).await?;
        let what = format!("policy '{}'", answer.quote(&policy.identity));
        answer
            .entity_or_read_back(
                &what,
                self.get_cs_teams_shared_calling_routing_policy(&policy.identity),
            )
            .await
    }

    /// `Set-CsTeamsSharedCallingRoutingPolicy`: changes the given properties only.
    pub async fn set_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
        changes: &SharedCallingPolicyChanges,
    ) -> Result<(), ApiError> {
        let body = serde_json::to_value(changes).expect("changes serialise");
        let request = self.teams_request(
            "Set-CsTeamsSharedCallingRoutingPolicy",
            Method::PUT,
            self.policy_url(identity),
            Some(body),
        );
        self.transport.send(&request).await.map(drop)
    }

    /// `Remove-CsTeamsSharedCallingRoutingPolicy`; a policy that is already gone is not an error.
    pub async fn remove_cs_teams_shared_calling_routing_policy(
        &self,
        identity: &str,
    ) -> Result<(), ApiError> {
        let request = self.teams_request(
            "Remove-CsTeamsSharedCallingRoutingPolicy",
            Method::DELETE,
            self.policy_url(identity),
            None,
        );
        self.transport.send_unless_absent(&request).await.map(drop)
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
