//! Where each API lives, and how a call to it is described for the transport.
//!
//! Every URL the client sends to is built here from the configured endpoints and percent-encoded path
//! segments, so no caller can splice a user-supplied value into a path or leave the configured host:
//! Graph `nextLink`s are accepted only on the configured Graph origin.

use reqwest::Method;

use super::http::error::{ApiError, Permission, Service};
use super::http::Request;
use super::Client;

impl Client {
    /// A Teams API URL from path segments, each percent-encoded as needed.
    pub(crate) fn teams_url(&self, segments: &[&str]) -> url::Url {
        let mut url = self.config.teams_endpoint.clone();
        url.path_segments_mut()
            .expect("validated endpoints are http(s) URLs and can have paths")
            .pop_if_empty()
            .extend(segments);
        url
    }

    /// A Teams API call standing for `cmdlet`, which it names in `X-MS-CmdletName` as the
    /// PowerShell module does (contract: Authentication), so the service's logs and ours match.
    pub(crate) fn teams_request(
        &self,
        cmdlet: &'static str,
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
            call: cmdlet,
        }
    }

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
        // The link is server text: quoted scrubbed and short, whatever its length.
        let quoted = || format!("{:?}", self.transport.scrubber().clean(link, 120));
        let url = base.join(link).map_err(|e| ApiError::InvalidResponse {
            service: Service::Graph,
            status: 200,
            detail: format!("@odata.nextLink {} is not a URL: {e}", quoted()),
        })?;
        if url.origin() != base.origin() {
            return Err(ApiError::InvalidResponse {
                service: Service::Graph,
                status: 200,
                detail: format!(
                    "@odata.nextLink {} leaves the configured Graph endpoint",
                    quoted()
                ),
            });
        }
        Ok(url)
    }

    /// A Graph v1.0 call, named by `call` (the Microsoft Graph PowerShell cmdlet it stands for) in
    /// errors about its answer; Graph is not sent a cmdlet header.
    pub(crate) fn graph_request(
        &self,
        call: &'static str,
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
            call,
        }
    }
}
