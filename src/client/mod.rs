//! Typed client for the Teams admin APIs: one method per contract row, no Terraform types.
//!
//! [`Client`] owns the endpoints and an [`http::Transport`]. The rooms, bottom up:
//!
//! - [`http`]: sending a request (headers, retries, `Retry-After`, error decoding into [`ApiError`]).
//! - [`auth`]: tokens per scope, from a secret, a certificate or a federated token.
//! - [`endpoints`]: where each API lives; every URL is built there.
//! - [`api`]: the calls, one module per contract section, each named after its cmdlet, with its models.
//! - [`waits`]: the one backoff every wait uses (eventual consistency, operation polling, propagation).
//! - [`paging`]: the page cap and loop check every paged read walks with.
//! - [`grant_routes`]: which route a policy grant takes (Graph batches or the Teams per-user route).
//! - [`probe`]: one smallest-page read of each endpoint, reporting what came back (`doctor`).
//! - [`workflows`]: sequences of calls (assign a number and settle it, unassign every number of a
//!   target, count grants).
//! - [`snapshot`]: the one `userConfigurations` pass per tenant per process that every resource
//!   shares, with this process's own writes applied over it.
//! - [`planned_lists`]: which users each policy assignment set planned in this process lists, so
//!   that two sets of one type listing a user fail at plan time.
//!
//! Resource modules call these methods and never build a URL, a filter or parse a body.

pub mod api;
pub mod auth;
pub mod endpoints;
pub mod grant_routes;
pub mod http;
pub mod paging;
pub mod planned_lists;
pub mod probe;
pub mod snapshot;
pub mod waits;
pub mod workflows;

// The client driven against the emulator (in-process, a dev-dependency) over real HTTP.
#[cfg(test)]
mod emulator_tests;

#[cfg(test)]
mod hostile_tests;
// Creates whose answer the emulator drops after doing the write (`workflows::creates`).
#[cfg(test)]
mod lost_answer_tests;
#[cfg(test)]
mod parser_props;
#[cfg(test)]
mod snapshot_tests;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use url::Url;

pub use auth::{Credential, Secret};
use grant_routes::AssignmentRoute;
pub use http::error::{ApiError, Service};
use http::retry::RetryPolicy;
use http::Transport;

/// The Microsoft cloud a tenant lives in; it picks the default hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Global,
    Gcch,
    Dod,
}

impl Environment {
    pub const NAMES: [&'static str; 3] = ["global", "gcch", "dod"];

    pub fn default_login(self) -> &'static str {
        match self {
            Environment::Global => "https://login.microsoftonline.com",
            Environment::Gcch | Environment::Dod => "https://login.microsoftonline.us",
        }
    }

    pub fn default_graph(self) -> &'static str {
        match self {
            Environment::Global => "https://graph.microsoft.com",
            Environment::Gcch => "https://graph.microsoft.us",
            Environment::Dod => "https://dod-graph.microsoft.us",
        }
    }

    pub fn default_teams(self) -> &'static str {
        match self {
            Environment::Global => "https://api.interfaces.records.teams.microsoft.com",
            Environment::Gcch => "https://api.interfaces.records.gov.teams.microsoft.us",
            Environment::Dod => "https://api.interfaces.records.dod.teams.microsoft.us",
        }
    }
}

impl FromStr for Environment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "global" => Ok(Environment::Global),
            "gcch" => Ok(Environment::Gcch),
            "dod" => Ok(Environment::Dod),
            other => Err(format!(
                "{other:?} is not an environment; use one of {}",
                Environment::NAMES.join(", ")
            )),
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Environment::Global => "global",
            Environment::Gcch => "gcch",
            Environment::Dod => "dod",
        })
    }
}

/// Everything needed to talk to one tenant.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub tenant_id: String,
    pub client_id: String,
    pub credential: Credential,
    pub environment: Environment,
    pub login_endpoint: Url,
    pub graph_endpoint: Url,
    pub teams_endpoint: Url,
    pub retry: RetryPolicy,
    /// Longest wait for one HTTP answer.
    pub request_timeout: Duration,
    /// Most requests in flight at once for this tenant.
    pub max_concurrent_requests: usize,
    /// Which route policy grants take (`client::grant_routes`).
    pub policy_assignment_route: AssignmentRoute,
    /// Where the redacted wire log goes (`TEAMSPHONE_WIRE_LOG`), if anywhere.
    pub wire_log: Option<std::path::PathBuf>,
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientBuildError {
    #[error("the HTTP client could not be created: {0}")]
    Http(String),
    #[error("the login endpoint cannot be combined with the tenant id: {0}")]
    LoginUrl(url::ParseError),
    #[error("the wire log {} (TEAMSPHONE_WIRE_LOG) cannot be opened for appending: {error}", path.display())]
    WireLog {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
}

pub struct Client {
    config: ClientConfig,
    transport: Transport,
    snapshot: snapshot::Snapshot,
    policy_ids: workflows::PolicyIds,
    /// Policy types Graph refused for this tenant, learned once per process.
    refused_types: grant_routes::RefusedTypes,
    /// The users each planned policy assignment set lists (`planned_lists`).
    planned_lists: planned_lists::PlannedLists,
}

/// Makes `url` end in `/` so that joining relative paths appends instead of replacing the last segment.
pub fn with_trailing_slash(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, ClientBuildError> {
        // One HTTP client, redirects off, for the token endpoint and both APIs (contract section 6).
        let http = http::http_client(config.request_timeout)
            .map_err(|e| ClientBuildError::Http(e.to_string()))?;
        let login = with_trailing_slash(config.login_endpoint.clone());
        let tokens = auth::TokenSource::new(
            http.clone(),
            &login,
            &config.tenant_id,
            &config.client_id,
            config.credential.clone(),
            config.retry.clone(),
        )
        .map_err(ClientBuildError::LoginUrl)?;
        // One log for the API calls and the sign-ins, scrubbed by the one scrubber that knows
        // this client's secret, assertions and tokens.
        let wire_log = match &config.wire_log {
            Some(path) => Some(std::sync::Arc::new(
                http::wirelog::WireLog::open(path, tokens.scrubber()).map_err(|error| {
                    ClientBuildError::WireLog {
                        path: path.clone(),
                        error,
                    }
                })?,
            )),
            None => None,
        };
        let tokens = tokens.with_wire_log(wire_log.clone());
        let transport = Transport::new(
            http,
            tokens,
            config.retry.clone(),
            config.environment,
            config.max_concurrent_requests,
            wire_log,
        );
        Ok(Client {
            config,
            transport,
            snapshot: snapshot::Snapshot::default(),
            policy_ids: workflows::PolicyIds::default(),
            refused_types: Default::default(),
            planned_lists: Default::default(),
        })
    }

    pub fn tenant_id(&self) -> &str {
        &self.config.tenant_id
    }

    pub fn environment(&self) -> Environment {
        self.config.environment
    }

    /// Policy ids looked up so far by this client (every resource of the provider instance).
    pub fn policy_ids(&self) -> &workflows::PolicyIds {
        &self.policy_ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(teams: &str) -> Client {
        client_in(teams, Environment::Global)
    }

    fn client_in(teams: &str, environment: Environment) -> Client {
        Client::new(ClientConfig {
            tenant_id: "t".into(),
            client_id: "c".into(),
            credential: Credential::ClientSecret(Secret::new("s")),
            environment,
            login_endpoint: Url::parse("http://127.0.0.1:1/").unwrap(),
            graph_endpoint: Url::parse("http://127.0.0.1:1/").unwrap(),
            teams_endpoint: Url::parse(teams).unwrap(),
            // Short, so calls to the closed port give up quickly.
            retry: RetryPolicy {
                base: Duration::from_millis(10),
                max_delay: Duration::from_millis(50),
                budget: Duration::from_millis(300),
            },
            request_timeout: Duration::from_secs(5),
            max_concurrent_requests: 2,
            policy_assignment_route: Default::default(),
            wire_log: None,
        })
        .unwrap()
    }

    #[test]
    fn teams_urls_encode_segments_and_keep_base_path() {
        let c = client("http://127.0.0.1:1/prefix");
        let u = c.teams_url(&["Skype.Policy", "configuration", "Tag:Sea ttle/x"]);
        assert_eq!(
            u.as_str(),
            "http://127.0.0.1:1/prefix/Skype.Policy/configuration/Tag:Sea%20ttle%2Fx"
        );
        let c = client("http://127.0.0.1:1/");
        assert_eq!(c.teams_url(&["a"]).as_str(), "http://127.0.0.1:1/a");
    }

    #[test]
    fn environments_parse_and_pick_hosts() {
        assert_eq!("gcch".parse::<Environment>(), Ok(Environment::Gcch));
        assert!("public"
            .parse::<Environment>()
            .unwrap_err()
            .contains("global, gcch, dod"));
        assert_eq!(
            Environment::Dod.default_teams(),
            "https://api.interfaces.records.dod.teams.microsoft.us"
        );
    }

    #[tokio::test]
    async fn graph_teams_admin_calls_are_refused_outside_the_global_cloud() {
        let request = |c: &Client, path: &[&str]| {
            c.graph_request(
                "Get-MgTeamsUserConfiguration",
                reqwest::Method::GET,
                c.graph_url(path),
                None,
                "User.Read.All",
            )
        };
        let gcch = client_in("http://127.0.0.1:1/", Environment::Gcch);
        let err = gcch
            .transport
            .send(&request(&gcch, &["admin", "teams", "userConfigurations"]))
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::UnsupportedInCloud { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("only in the global Microsoft cloud"),
            "{err}"
        );
        assert!(err.to_string().contains("gcch"), "{err}");
        // Elsewhere on Graph the call goes out (and fails to connect to the closed port instead).
        let err = gcch
            .transport
            .send(&request(&gcch, &["users", "x"]))
            .await
            .unwrap_err();
        assert!(!matches!(err, ApiError::UnsupportedInCloud { .. }), "{err}");
    }
}
