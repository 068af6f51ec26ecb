//! Turning the provider block and the environment into a [`ClientConfig`].
//!
//! Each setting comes from the block, else from `TEAMSPHONE_*`, else from the azuread/azurerm `ARM_*`
//! variable, so existing pipelines work unchanged. Exactly one sign-in method is used:
//!
//! 1. the one the block names (`client_secret`, `client_certificate_path`, or `oidc_token_file_path` /
//!    `use_oidc = true`); naming more than one is a plan-time error that lists them;
//! 2. otherwise, from the environment, in this order: workload identity federation (OIDC) when
//!    `TEAMSPHONE_USE_OIDC`/`ARM_USE_OIDC` is true or `TEAMSPHONE_OIDC_TOKEN_FILE_PATH`/
//!    `ARM_OIDC_TOKEN_FILE_PATH` is set, then a client certificate, then a client secret.
//!
//! Known values are checked in `validate` (diagnostic on the attribute); missing ones in `configure`,
//! because the environment may supply them. Values unknown at plan time are not an error: the client is
//! deferred, and resources that need it say why.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tf_provider::value::{Value, ValueBool, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::auth::assertion::ClientCertificate;
use crate::client::grant_routes::AssignmentRoute;
use crate::client::http::retry::RetryPolicy;
use crate::client::{ClientConfig, Credential, Environment, Secret};
use crate::framework::number::ConfigNumber;
use crate::framework::validators::{check_known, endpoint_url, guid, one_of, text};

/// The provider block as Terraform sends it. Its `Debug` shows whether a secret is set, never the
/// secret, so a `{:?}` in a log or a test failure cannot leak one.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderConfig<'a> {
    pub tenant_id: ValueString<'a>,
    pub client_id: ValueString<'a>,
    pub client_secret: ValueString<'a>,
    pub client_certificate_path: ValueString<'a>,
    pub client_certificate_password: ValueString<'a>,
    pub use_oidc: ValueBool,
    pub oidc_token_file_path: ValueString<'a>,
    pub environment: ValueString<'a>,
    pub login_endpoint: ValueString<'a>,
    pub graph_endpoint: ValueString<'a>,
    pub teams_endpoint: ValueString<'a>,
    pub max_concurrent_requests: Value<ConfigNumber>,
    pub policy_assignment_route: ValueString<'a>,
}

impl fmt::Debug for ProviderConfig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// A sensitive value as `"***"` when set, otherwise as null or unknown.
        fn redacted(value: &ValueString<'_>) -> &'static str {
            match value {
                Value::Value(_) => "***",
                Value::Null => "null",
                Value::Unknown => "unknown",
            }
        }
        f.debug_struct("ProviderConfig")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &redacted(&self.client_secret))
            .field("client_certificate_path", &self.client_certificate_path)
            .field(
                "client_certificate_password",
                &redacted(&self.client_certificate_password),
            )
            .field("use_oidc", &self.use_oidc)
            .field("oidc_token_file_path", &self.oidc_token_file_path)
            .field("environment", &self.environment)
            .field("login_endpoint", &self.login_endpoint)
            .field("graph_endpoint", &self.graph_endpoint)
            .field("teams_endpoint", &self.teams_endpoint)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("policy_assignment_route", &self.policy_assignment_route)
            .finish()
    }
}

/// One provider setting: its attribute name and the environment variables that stand in for it.
pub struct Setting {
    pub name: &'static str,
    pub env: &'static [&'static str],
}

pub const TENANT_ID: Setting = Setting {
    name: "tenant_id",
    env: &["TEAMSPHONE_TENANT_ID", "ARM_TENANT_ID"],
};
pub const CLIENT_ID: Setting = Setting {
    name: "client_id",
    env: &["TEAMSPHONE_CLIENT_ID", "ARM_CLIENT_ID"],
};
pub const CLIENT_SECRET: Setting = Setting {
    name: "client_secret",
    env: &["TEAMSPHONE_CLIENT_SECRET", "ARM_CLIENT_SECRET"],
};
pub const CLIENT_CERTIFICATE_PATH: Setting = Setting {
    name: "client_certificate_path",
    env: &[
        "TEAMSPHONE_CLIENT_CERTIFICATE_PATH",
        "ARM_CLIENT_CERTIFICATE_PATH",
    ],
};
pub const CLIENT_CERTIFICATE_PASSWORD: Setting = Setting {
    name: "client_certificate_password",
    env: &[
        "TEAMSPHONE_CLIENT_CERTIFICATE_PASSWORD",
        "ARM_CLIENT_CERTIFICATE_PASSWORD",
    ],
};
pub const USE_OIDC: Setting = Setting {
    name: "use_oidc",
    env: &["TEAMSPHONE_USE_OIDC", "ARM_USE_OIDC"],
};
pub const OIDC_TOKEN_FILE_PATH: Setting = Setting {
    name: "oidc_token_file_path",
    env: &[
        "TEAMSPHONE_OIDC_TOKEN_FILE_PATH",
        "ARM_OIDC_TOKEN_FILE_PATH",
        "AZURE_FEDERATED_TOKEN_FILE",
    ],
};
pub const ENVIRONMENT: Setting = Setting {
    name: "environment",
    env: &["TEAMSPHONE_ENVIRONMENT"],
};
pub const LOGIN_ENDPOINT: Setting = Setting {
    name: "login_endpoint",
    env: &["TEAMSPHONE_LOGIN_ENDPOINT"],
};
pub const GRAPH_ENDPOINT: Setting = Setting {
    name: "graph_endpoint",
    env: &["TEAMSPHONE_GRAPH_ENDPOINT"],
};
pub const TEAMS_ENDPOINT: Setting = Setting {
    name: "teams_endpoint",
    env: &["TEAMSPHONE_TEAMS_ENDPOINT"],
};
pub const MAX_CONCURRENT_REQUESTS: Setting = Setting {
    name: "max_concurrent_requests",
    env: &["TEAMSPHONE_MAX_CONCURRENT_REQUESTS"],
};
pub const POLICY_ASSIGNMENT_ROUTE: Setting = Setting {
    name: "policy_assignment_route",
    env: &["TEAMSPHONE_POLICY_ASSIGNMENT_ROUTE"],
};

/// In-flight requests per provider instance (that is, per tenant) unless configured otherwise.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: i64 = 10;
const MAX_CONCURRENT_REQUESTS_LIMIT: i64 = 64;
/// Longest wait for one HTTP answer before it counts as a transient failure.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Where a resolved setting came from, for error messages.
enum Source {
    Block,
    Env(&'static str),
}

enum Resolved {
    Value(String, Source),
    Missing,
    Unknown,
}

impl Setting {
    fn env_value(&self) -> Option<(String, &'static str)> {
        self.env.iter().find_map(|var| {
            std::env::var(var)
                .ok()
                .filter(|v| !v.is_empty())
                .map(|v| (v, *var))
        })
    }

    fn resolve(&self, value: Value<String>) -> Resolved {
        match value {
            Value::Value(v) => Resolved::Value(v, Source::Block),
            Value::Unknown => Resolved::Unknown,
            Value::Null => match self.env_value() {
                Some((v, var)) => Resolved::Value(v, Source::Env(var)),
                None => Resolved::Missing,
            },
        }
    }

    fn env_list(&self) -> String {
        self.env.join(" or ")
    }
}

/// A sign-in method and the attribute that selects it in the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Secret,
    Certificate,
    Oidc,
}

impl Method {
    fn attribute(self) -> &'static str {
        match self {
            Method::Secret => CLIENT_SECRET.name,
            Method::Certificate => CLIENT_CERTIFICATE_PATH.name,
            Method::Oidc => OIDC_TOKEN_FILE_PATH.name,
        }
    }
}

/// The methods the block itself names (a value or an unknown counts: the user wrote it).
fn block_methods(config: &ProviderConfig<'_>) -> Vec<Method> {
    let mut methods = Vec::new();
    if !config.client_secret.is_null() {
        methods.push(Method::Secret);
    }
    if !config.client_certificate_path.is_null() {
        methods.push(Method::Certificate);
    }
    if !config.oidc_token_file_path.is_null() || config.use_oidc == Value::Value(true) {
        methods.push(Method::Oidc);
    }
    methods
}

fn truthy(value: &str) -> bool {
    matches!(value.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

/// The method the environment selects, in the documented order.
fn env_method(config: &ProviderConfig<'_>) -> Option<Method> {
    let use_oidc = config.use_oidc == Value::Value(true)
        || USE_OIDC.env_value().is_some_and(|(v, _)| truthy(&v));
    let explicit_oidc_file = OIDC_TOKEN_FILE_PATH.env[..2]
        .iter()
        .any(|var| std::env::var(var).is_ok_and(|v| !v.is_empty()));
    if use_oidc || explicit_oidc_file {
        Some(Method::Oidc)
    } else if CLIENT_CERTIFICATE_PATH.env_value().is_some() {
        Some(Method::Certificate)
    } else if CLIENT_SECRET.env_value().is_some() {
        Some(Method::Secret)
    } else {
        None
    }
}

fn owned(value: &ValueString<'_>) -> Value<String> {
    value.as_ref().map(|v| v.to_string())
}

fn non_empty(value: &str) -> Result<(), String> {
    if value.is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(())
    }
}

fn concurrency(value: i64) -> Result<(), String> {
    if (1..=MAX_CONCURRENT_REQUESTS_LIMIT).contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{value} is out of range; use 1 to {MAX_CONCURRENT_REQUESTS_LIMIT}"
        ))
    }
}

/// Checks the values written in the block; returns false when any is malformed.
pub fn validate_config(diags: &mut Diagnostics, config: &ProviderConfig<'_>) -> bool {
    let before = diags.errors.len();
    check_known(diags, TENANT_ID.name, &config.tenant_id, guid);
    check_known(diags, CLIENT_ID.name, &config.client_id, guid);
    check_known(diags, CLIENT_SECRET.name, &config.client_secret, non_empty);
    check_known(
        diags,
        CLIENT_CERTIFICATE_PATH.name,
        &config.client_certificate_path,
        non_empty,
    );
    check_known(
        diags,
        OIDC_TOKEN_FILE_PATH.name,
        &config.oidc_token_file_path,
        non_empty,
    );
    check_known(
        diags,
        ENVIRONMENT.name,
        &config.environment,
        one_of(&Environment::NAMES),
    );
    check_known(
        diags,
        POLICY_ASSIGNMENT_ROUTE.name,
        &config.policy_assignment_route,
        one_of(&AssignmentRoute::NAMES),
    );
    for (setting, value) in [
        (&LOGIN_ENDPOINT, &config.login_endpoint),
        (&GRAPH_ENDPOINT, &config.graph_endpoint),
        (&TEAMS_ENDPOINT, &config.teams_endpoint),
    ] {
        check_known(diags, setting.name, value, endpoint_url);
    }
    if let Value::Value(n) = &config.max_concurrent_requests {
        let checked = match n {
            ConfigNumber::Whole(n) => concurrency(*n),
            ConfigNumber::Other(text) => Err(format!(
                "{text} is not a whole number; use 1 to {MAX_CONCURRENT_REQUESTS_LIMIT}"
            )),
        };
        if let Err(problem) = checked {
            diags.error(
                "Invalid max_concurrent_requests",
                problem,
                AttributePath::new(MAX_CONCURRENT_REQUESTS.name),
            );
        }
    }
    let methods = block_methods(config);
    if methods.len() > 1 {
        let names: Vec<&str> = methods.iter().map(|m| m.attribute()).collect();
        diags.error(
            "Conflicting authentication methods",
            format!(
                "{} are all set; the provider signs in with exactly one method. Keep one of them.",
                names.join(" and ")
            ),
            AttributePath::new(methods[1].attribute()),
        );
    }
    if !config.client_certificate_password.is_null() && !methods.contains(&Method::Certificate) {
        diags.warning(
            "client_certificate_password has no effect",
            "It is used only with client_certificate_path.",
            AttributePath::new(CLIENT_CERTIFICATE_PASSWORD.name),
        );
    }
    diags.errors.len() == before
}

/// Resolves settings one by one, collecting diagnostics, unknowns and failure.
struct Resolver<'d> {
    diags: &'d mut Diagnostics,
    unknown: Vec<&'static str>,
    failed: bool,
}

impl Resolver<'_> {
    fn get(
        &mut self,
        setting: &Setting,
        value: Value<String>,
        required: bool,
        check: impl FnOnce(&str) -> Result<(), String>,
    ) -> Option<String> {
        match setting.resolve(value) {
            Resolved::Value(v, source) => match check(&v) {
                Ok(()) => Some(v),
                Err(problem) => {
                    let detail = match source {
                        Source::Env(var) => format!("{problem} (from environment variable {var})"),
                        Source::Block => problem,
                    };
                    self.error(setting.name, format!("Invalid {}", setting.name), detail);
                    None
                }
            },
            Resolved::Unknown => {
                self.unknown.push(setting.name);
                None
            }
            Resolved::Missing if required => {
                self.error(
                    setting.name,
                    format!("Missing {}", setting.name),
                    format!(
                        "Set {} in the provider block or the environment variable {}.",
                        setting.name,
                        setting.env_list()
                    ),
                );
                None
            }
            Resolved::Missing => None,
        }
    }

    fn error(&mut self, attribute: &'static str, summary: String, detail: String) {
        self.failed = true;
        self.diags
            .error(summary, detail, AttributePath::new(attribute));
    }
}

/// Resolves and checks every setting; `Err` carries the reason the client must wait (unknown values).
pub fn build_client_config(
    diags: &mut Diagnostics,
    config: &ProviderConfig<'_>,
) -> Option<Result<ClientConfig, String>> {
    let mut r = Resolver {
        diags,
        unknown: Vec::new(),
        failed: false,
    };
    let tenant_id = r.get(&TENANT_ID, owned(&config.tenant_id), true, guid);
    let client_id = r.get(&CLIENT_ID, owned(&config.client_id), true, guid);
    let environment = r.get(&ENVIRONMENT, owned(&config.environment), false, |v| {
        one_of(&Environment::NAMES)(v)
    });
    let login = r.get(
        &LOGIN_ENDPOINT,
        owned(&config.login_endpoint),
        false,
        endpoint_url,
    );
    let graph = r.get(
        &GRAPH_ENDPOINT,
        owned(&config.graph_endpoint),
        false,
        endpoint_url,
    );
    let teams = r.get(
        &TEAMS_ENDPOINT,
        owned(&config.teams_endpoint),
        false,
        endpoint_url,
    );
    let max_concurrent = r
        .get(
            &MAX_CONCURRENT_REQUESTS,
            config
                .max_concurrent_requests
                .as_ref()
                .map(|n| n.to_string()),
            false,
            |v| {
                v.parse::<i64>()
                    .map_err(|_| format!("{v:?} is not a whole number"))
                    .and_then(concurrency)
            },
        )
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(DEFAULT_MAX_CONCURRENT_REQUESTS);
    let route = r.get(
        &POLICY_ASSIGNMENT_ROUTE,
        owned(&config.policy_assignment_route),
        false,
        |v| one_of(&AssignmentRoute::NAMES)(v),
    );
    let credential = resolve_credential(&mut r, config);
    if r.failed {
        return None;
    }
    if !r.unknown.is_empty() {
        return Some(Err(format!(
            "the provider settings {} depend on values known only after apply",
            r.unknown.join(", ")
        )));
    }
    let environment: Environment = environment
        .as_deref()
        .unwrap_or("global")
        .parse()
        .unwrap_or(Environment::Global);
    let policy_assignment_route = route
        .as_deref()
        .and_then(|r| r.parse().ok())
        .unwrap_or_default();
    let url = |given: Option<String>, default: &str| {
        url::Url::parse(given.as_deref().unwrap_or(default)).expect("endpoints were validated")
    };
    Some(Ok(ClientConfig {
        tenant_id: tenant_id?,
        client_id: client_id?,
        credential: credential?,
        environment,
        login_endpoint: url(login, environment.default_login()),
        graph_endpoint: url(graph, environment.default_graph()),
        teams_endpoint: url(teams, environment.default_teams()),
        retry: RetryPolicy::default(),
        request_timeout: REQUEST_TIMEOUT,
        max_concurrent_requests: max_concurrent as usize,
        policy_assignment_route,
        // Environment only: it is a diagnostic switch for one run, not part of a configuration.
        wire_log: std::env::var_os(crate::client::http::wirelog::WIRE_LOG_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from),
    }))
}

fn resolve_credential(r: &mut Resolver<'_>, config: &ProviderConfig<'_>) -> Option<Credential> {
    let method = match block_methods(config).as_slice() {
        [one] => *one,
        [] => match env_method(config) {
            Some(method) => method,
            None => {
                r.error(
                    CLIENT_SECRET.name,
                    "Missing credential".into(),
                    format!(
                        "Set one sign-in method: client_secret ({}), client_certificate_path ({}) or oidc_token_file_path with use_oidc ({}).",
                        CLIENT_SECRET.env_list(),
                        CLIENT_CERTIFICATE_PATH.env_list(),
                        OIDC_TOKEN_FILE_PATH.env_list()
                    ),
                );
                return None;
            }
        },
        // Reported by validate_config already.
        _ => {
            r.failed = true;
            return None;
        }
    };
    match method {
        Method::Secret => r
            .get(&CLIENT_SECRET, owned(&config.client_secret), true, |v| {
                text(4096)(v)
            })
            .map(|s| Credential::ClientSecret(Secret::new(s))),
        Method::Certificate => {
            let path = r.get(
                &CLIENT_CERTIFICATE_PATH,
                owned(&config.client_certificate_path),
                true,
                non_empty,
            )?;
            let password = r
                .get(
                    &CLIENT_CERTIFICATE_PASSWORD,
                    owned(&config.client_certificate_password),
                    false,
                    |_| Ok(()),
                )
                .map(Secret::new);
            match ClientCertificate::load(&PathBuf::from(&path), password.as_ref()) {
                Ok(cert) => Some(Credential::Certificate(Arc::new(cert))),
                Err(e) => {
                    r.error(
                        CLIENT_CERTIFICATE_PATH.name,
                        "Unusable client certificate".into(),
                        e.to_string(),
                    );
                    None
                }
            }
        }
        Method::Oidc => r
            .get(
                &OIDC_TOKEN_FILE_PATH,
                owned(&config.oidc_token_file_path),
                true,
                non_empty,
            )
            .map(|p| Credential::FederatedTokenFile(PathBuf::from(p))),
    }
}

/// The client configuration from the environment alone, as an empty provider block would resolve it:
/// for tools outside Terraform (the `export` command). `Err` carries every problem, one per line.
pub fn client_config_from_environment() -> Result<ClientConfig, String> {
    let config = ProviderConfig::default();
    let mut diags = Diagnostics::default();
    let built = if validate_config(&mut diags, &config) {
        build_client_config(&mut diags, &config)
    } else {
        None
    };
    match built {
        Some(Ok(client_config)) => Ok(client_config),
        // An empty block has no unknown values, so a deferral cannot happen; say so if it does.
        Some(Err(why)) => Err(why),
        None => Err(diags
            .errors
            .iter()
            .map(|d| format!("{}: {}", d.summary, d.detail))
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// Shorthand for tests: a known string value.
pub fn known(value: &str) -> ValueString<'static> {
    Value::Value(Cow::Owned(value.to_string()))
}

#[cfg(test)]
mod tests;
