//! The calls every Teams policy instance type shares (`/Skype.Policy/configurations/<type>`):
//! read one, list, create, change, remove. Contract sections 1 and 5b give the same routes for the
//! shared calling and the emergency call routing policy, so they are written once here, over the
//! model type; each cmdlet keeps its own named function in its section's module, which calls in
//! with its [`PolicyCmdlets`], so a capture that corrects one cmdlet still corrects it in one edit.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::http::error::ApiError;
use crate::client::http::Request;
use crate::client::Client;
use crate::domain::policies::{bare_name, identity_of};

/// One policy type and the names of its cmdlets (sent as `X-MS-CmdletName`, named in errors).
pub(crate) struct PolicyCmdlets {
    pub policy_type: &'static str,
    pub get: &'static str,
    pub new: &'static str,
    pub set: &'static str,
    pub remove: &'static str,
}

/// The create body: the policy with its bare name as `Identity` (public clients send it so, and
/// the service stores `Tag:<name>`).
pub(crate) fn create_body<T: Serialize>(policy: &T, identity: &str) -> serde_json::Value {
    let mut body = serde_json::to_value(policy).expect("policy serialises");
    body["Identity"] = bare_name(identity).into();
    body
}

impl Client {
    fn policy_configuration_url(&self, policy_type: &str, identity: Option<&str>) -> url::Url {
        let mut segments = vec!["Skype.Policy", "configurations", policy_type];
        if let Some(identity) = identity {
            segments.extend(["configuration", identity]);
        }
        self.teams_url(&segments)
    }

    /// One instance, `None` when it does not exist.
    pub(crate) async fn get_policy_instance<T: DeserializeOwned>(
        &self,
        cmdlets: &PolicyCmdlets,
        identity: &str,
    ) -> Result<Option<T>, ApiError> {
        let url = self.policy_configuration_url(cmdlets.policy_type, Some(identity));
        let request = self.teams_request(cmdlets.get, Method::GET, url, None);
        self.transport
            .send_unless_absent(&request)
            .await?
            .map(|answer| answer.one())
            .transpose()
    }

    /// The request listing every instance (also the `doctor`'s probe).
    pub(crate) fn list_policy_instances_request(&self, cmdlets: &PolicyCmdlets) -> Request {
        let url = self.policy_configuration_url(cmdlets.policy_type, None);
        self.teams_request(cmdlets.get, Method::GET, url, None)
    }

    pub(crate) async fn list_policy_instances<T: DeserializeOwned>(
        &self,
        cmdlets: &PolicyCmdlets,
    ) -> Result<Vec<T>, ApiError> {
        let request = self.list_policy_instances_request(cmdlets);
        self.transport.send(&request).await?.json()
    }

    /// Creates `policy` named by `identity`. The answer may be the policy, a one-element array or
    /// nothing; nothing is read back (contract section 7).
    pub(crate) async fn new_policy_instance<T: Serialize + DeserializeOwned>(
        &self,
        cmdlets: &PolicyCmdlets,
        policy: &T,
        identity: &str,
    ) -> Result<T, ApiError> {
        let url = self.policy_configuration_url(cmdlets.policy_type, None);
        let body = create_body(policy, identity);
        let request = self.teams_request(cmdlets.new, Method::POST, url, Some(body));
        let answer = self.transport.send(&request).await?;
        let identity = identity_of(bare_name(identity));
        let what = format!("policy '{}'", answer.quote(&identity));
        answer
            .entity_or_read_back(&what, self.get_policy_instance(cmdlets, &identity))
            .await
    }

    /// Changes the given properties only.
    pub(crate) async fn set_policy_instance<C: Serialize>(
        &self,
        cmdlets: &PolicyCmdlets,
        identity: &str,
        changes: &C,
    ) -> Result<(), ApiError> {
        let url = self.policy_configuration_url(cmdlets.policy_type, Some(identity));
        let body = serde_json::to_value(changes).expect("changes serialise");
        let request = self.teams_request(cmdlets.set, Method::PUT, url, Some(body));
        self.transport.send(&request).await.map(drop)
    }

    /// Removes an instance; one already gone is not an error.
    pub(crate) async fn remove_policy_instance(
        &self,
        cmdlets: &PolicyCmdlets,
        identity: &str,
    ) -> Result<(), ApiError> {
        let url = self.policy_configuration_url(cmdlets.policy_type, Some(identity));
        let request = self.teams_request(cmdlets.remove, Method::DELETE, url, None);
        self.transport.send_unless_absent(&request).await.map(drop)
    }
}
