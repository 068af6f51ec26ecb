//! Calls to Microsoft Graph v1.0 (documented by Microsoft; contract sections 2, 3 and 5).
//!
//! Like the Teams calls, each is one function named after the cmdlet it stands for.

use reqwest::Method;

use super::error::{ApiError, Permission, Service};
use super::models::GraphUser;
use super::transport::Request;
use super::Client;

/// Properties read for every user, so one call answers every resource's question.
const USER_PROPERTIES: &str =
    "id,userPrincipalName,displayName,accountEnabled,usageLocation,assignedLicenses";

impl Client {
    /// A Graph v1.0 URL from path segments, each percent-encoded as needed.
    pub(crate) fn graph_url(&self, segments: &[&str]) -> url::Url {
        let mut url = self.config.graph_endpoint.clone();
        url.path_segments_mut()
            .expect("validated endpoints are http(s) URLs and can have paths")
            .pop_if_empty()
            .push("v1.0")
            .extend(segments);
        url
    }

    /// A `nextLink` as a URL, refused when it points anywhere but the configured Graph host (the
    /// token must not travel elsewhere).
    /// Shared by every paged Graph read.
    pub(crate) fn same_origin_link(&self, link: &str) -> Result<url::Url, ApiError> {
        let base = self.graph_url(&[]);
        let url = base.join(link).map_err(|e| ApiError::InvalidResponse {
            service: Service::Graph,
            status: 200,
            detail: format!("@odata.nextLink {link:?} is not a URL: {e}"),
        })?;
        if url.origin() != base.origin() {
            return Err(ApiError::InvalidResponse {
                service: Service::Graph,
                status: 200,
                detail: format!("@odata.nextLink {link:?} leaves the configured Graph endpoint"),
            });
        }
        Ok(url)
    }

    pub(crate) fn graph_request(
        &self,
        method: Method,
        url: url::Url,
        body: Option<serde_json::Value>,
        permission: &'static str,
    ) -> Request {
        Request {
            service: Service::Graph,
            method,
            url,
            body,
            permission: Permission::Graph(permission),
        }
    }

    /// `Get-MgUser -UserId`: a user by object id or user principal name; `None` when there is none.
    pub async fn get_mg_user(&self, id_or_upn: &str) -> Result<Option<GraphUser>, ApiError> {
        let mut url = self.graph_url(&["users", id_or_upn]);
        url.query_pairs_mut()
            .append_pair("$select", USER_PROPERTIES);
        let request = self.graph_request(Method::GET, url, None, "User.Read.All");
        match self.transport.send(&request).await {
            Ok(answer) => answer.json(Service::Graph).map(Some),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }
}
