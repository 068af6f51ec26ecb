//! The `teamsphone` provider block: its schema, plan-time checks, and building the API client.
//!
//! Terraform constructs resources before it configures the provider, so the configured client lives in
//! [`ProviderData`], shared by every resource and filled once by `configure`. Each setting comes from the
//! block, else from `TEAMSPHONE_*`, else from the azuread/azurerm `ARM_*` variable, so existing pipelines
//! work unchanged. Known values are checked in `validate` (diagnostic on the attribute); missing ones in
//! `configure`, because the environment may supply them. Values unknown at plan time (computed by other
//! resources) are not an error: resources that need the client then say so when they need it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{Block, Description, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics, DynamicDataSource, DynamicResource, Provider};

use crate::attributes::{attributes, optional_string, sensitive};
use crate::client::retry::RetryPolicy;
use crate::client::{Client, ClientConfig, Credential, Environment, Secret};
use crate::resources;
use crate::validators::{check_known, endpoint_url, guid, one_of, text};

/// The provider block as Terraform sends it.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderConfig<'a> {
    pub tenant_id: ValueString<'a>,
    pub client_id: ValueString<'a>,
    pub client_secret: ValueString<'a>,
    pub environment: ValueString<'a>,
    pub login_endpoint: ValueString<'a>,
    pub graph_endpoint: ValueString<'a>,
    pub teams_endpoint: ValueString<'a>,
}

/// One provider setting: its attribute name and the environment variables that stand in for it.
struct Setting {
    name: &'static str,
    env: &'static [&'static str],
}

const TENANT_ID: Setting = Setting {
    name: "tenant_id",
    env: &["TEAMSPHONE_TENANT_ID", "ARM_TENANT_ID"],
};
const CLIENT_ID: Setting = Setting {
    name: "client_id",
    env: &["TEAMSPHONE_CLIENT_ID", "ARM_CLIENT_ID"],
};
const CLIENT_SECRET: Setting = Setting {
    name: "client_secret",
    env: &["TEAMSPHONE_CLIENT_SECRET", "ARM_CLIENT_SECRET"],
};
const ENVIRONMENT: Setting = Setting {
    name: "environment",
    env: &["TEAMSPHONE_ENVIRONMENT"],
};
const LOGIN_ENDPOINT: Setting = Setting {
    name: "login_endpoint",
    env: &["TEAMSPHONE_LOGIN_ENDPOINT"],
};
const GRAPH_ENDPOINT: Setting = Setting {
    name: "graph_endpoint",
    env: &["TEAMSPHONE_GRAPH_ENDPOINT"],
};
const TEAMS_ENDPOINT: Setting = Setting {
    name: "teams_endpoint",
    env: &["TEAMSPHONE_TEAMS_ENDPOINT"],
};

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
    fn resolve(&self, value: &ValueString<'_>) -> Resolved {
        match value {
            Value::Value(v) => Resolved::Value(v.to_string(), Source::Block),
            Value::Unknown => Resolved::Unknown,
            Value::Null => self
                .env
                .iter()
                .find_map(|var| {
                    std::env::var(var)
                        .ok()
                        .filter(|v| !v.is_empty())
                        .map(|v| Resolved::Value(v, Source::Env(var)))
                })
                .unwrap_or(Resolved::Missing),
        }
    }

    fn env_list(&self) -> String {
        self.env.join(" or ")
    }
}

/// The configured client, shared by all resources of one provider instance.
#[derive(Clone, Default)]
pub struct ProviderData {
    state: Arc<OnceLock<Configured>>,
}

enum Configured {
    Ready(Arc<Client>),
    /// Some settings are known only after apply; the text says which.
    Deferred(String),
}

impl ProviderData {
    /// The client, or an error diagnostic saying why there is none.
    pub fn client(&self, diags: &mut Diagnostics) -> Option<Arc<Client>> {
        match self.state.get() {
            Some(Configured::Ready(client)) => Some(client.clone()),
            Some(Configured::Deferred(why)) => {
                diags.root_error(
                    "Provider configuration is not known yet",
                    format!("{why}. Apply the resources it depends on first (terraform apply -target=...)."),
                );
                None
            }
            None => {
                diags.root_error_short("The teamsphone provider was used before it was configured");
                None
            }
        }
    }

    fn set(&self, configured: Configured) {
        // Terraform configures a provider instance once; a second call keeps the first client.
        let _ = self.state.set(configured);
    }
}

#[derive(Default)]
pub struct TeamsPhoneProvider {
    data: ProviderData,
}

/// Longest wait for one HTTP answer before it counts as a transient failure.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

fn provider_schema() -> Schema {
    Schema {
        version: 1,
        block: Block {
            version: 1,
            description: Description::markdown(
                "Manages Microsoft Teams Phone Shared Calling: shared calling policies, resource accounts, phone numbers and policy assignments, through Microsoft Graph and the Teams tenant admin API.",
            ),
            attributes: attributes([
                ("tenant_id", optional_string("Microsoft Entra tenant id (a GUID). Falls back to `TEAMSPHONE_TENANT_ID`, then `ARM_TENANT_ID`.")),
                ("client_id", optional_string("Application (client) id of the app registration (a GUID). Falls back to `TEAMSPHONE_CLIENT_ID`, then `ARM_CLIENT_ID`.")),
                ("client_secret", sensitive(optional_string("Client secret of the app registration. Falls back to `TEAMSPHONE_CLIENT_SECRET`, then `ARM_CLIENT_SECRET`. Prefer the environment variable so the secret stays out of configuration files."))),
                ("environment", optional_string("Microsoft cloud: `global` (default), `gcch` or `dod`. Picks the default login, Graph and Teams hosts. Falls back to `TEAMSPHONE_ENVIRONMENT`.")),
                ("login_endpoint", optional_string("Overrides the Microsoft Entra login host, for example the local emulator. Falls back to `TEAMSPHONE_LOGIN_ENDPOINT`.")),
                ("graph_endpoint", optional_string("Overrides the Microsoft Graph host. Falls back to `TEAMSPHONE_GRAPH_ENDPOINT`.")),
                ("teams_endpoint", optional_string("Overrides the Teams tenant admin API host. Falls back to `TEAMSPHONE_TEAMS_ENDPOINT`.")),
            ]),
            ..Default::default()
        },
    }
}

/// Checks the values written in the block; returns false when any is malformed.
fn validate_config(diags: &mut Diagnostics, config: &ProviderConfig<'_>) -> bool {
    let before = diags.errors.len();
    check_known(diags, TENANT_ID.name, &config.tenant_id, guid);
    check_known(diags, CLIENT_ID.name, &config.client_id, guid);
    check_known(diags, CLIENT_SECRET.name, &config.client_secret, |v| {
        if v.is_empty() {
            Err("must not be empty".into())
        } else {
            Ok(())
        }
    });
    check_known(
        diags,
        ENVIRONMENT.name,
        &config.environment,
        one_of(&Environment::NAMES),
    );
    for (setting, value) in [
        (&LOGIN_ENDPOINT, &config.login_endpoint),
        (&GRAPH_ENDPOINT, &config.graph_endpoint),
        (&TEAMS_ENDPOINT, &config.teams_endpoint),
    ] {
        check_known(diags, setting.name, value, endpoint_url);
    }
    diags.errors.len() == before
}

/// Resolves and checks every setting; `Err` carries the reason the client must wait (unknown values).
fn build_client_config(
    diags: &mut Diagnostics,
    config: &ProviderConfig<'_>,
) -> Option<Result<ClientConfig, String>> {
    let mut unknown = Vec::new();
    let mut failed = false;
    let mut get = |setting: &Setting,
                   value: &ValueString<'_>,
                   required: bool,
                   check: &dyn Fn(&str) -> Result<(), String>|
     -> Option<String> {
        match setting.resolve(value) {
            Resolved::Value(v, source) => match (check(&v), source) {
                (Ok(()), _) => Some(v),
                (Err(problem), Source::Env(var)) => {
                    failed = true;
                    diags.error(
                        format!("Invalid {}", setting.name),
                        format!("{problem} (from environment variable {var})"),
                        AttributePath::new(setting.name),
                    );
                    None
                }
                (Err(problem), Source::Block) => {
                    failed = true;
                    diags.error(
                        format!("Invalid {}", setting.name),
                        problem,
                        AttributePath::new(setting.name),
                    );
                    None
                }
            },
            Resolved::Unknown => {
                unknown.push(setting.name);
                None
            }
            Resolved::Missing if required => {
                failed = true;
                diags.error(
                    format!("Missing {}", setting.name),
                    format!(
                        "Set {} in the provider block or the environment variable {}.",
                        setting.name,
                        setting.env_list()
                    ),
                    AttributePath::new(setting.name),
                );
                None
            }
            Resolved::Missing => None,
        }
    };
    let tenant_id = get(&TENANT_ID, &config.tenant_id, true, &guid);
    let client_id = get(&CLIENT_ID, &config.client_id, true, &guid);
    let client_secret = get(&CLIENT_SECRET, &config.client_secret, true, &|v: &str| {
        text(4096)(v)
    });
    let environment = get(&ENVIRONMENT, &config.environment, false, &|v: &str| {
        one_of(&Environment::NAMES)(v)
    });
    let login = get(
        &LOGIN_ENDPOINT,
        &config.login_endpoint,
        false,
        &endpoint_url,
    );
    let graph = get(
        &GRAPH_ENDPOINT,
        &config.graph_endpoint,
        false,
        &endpoint_url,
    );
    let teams = get(
        &TEAMS_ENDPOINT,
        &config.teams_endpoint,
        false,
        &endpoint_url,
    );
    if failed {
        return None;
    }
    if !unknown.is_empty() {
        return Some(Err(format!(
            "the provider settings {} depend on values known only after apply",
            unknown.join(", ")
        )));
    }
    let environment: Environment = environment
        .as_deref()
        .unwrap_or("global")
        .parse()
        .unwrap_or(Environment::Global);
    let url = |given: Option<String>, default: &str| {
        url::Url::parse(given.as_deref().unwrap_or(default)).expect("endpoints were validated")
    };
    Some(Ok(ClientConfig {
        tenant_id: tenant_id?,
        client_id: client_id?,
        credential: Credential::ClientSecret(Secret::new(client_secret?)),
        environment,
        login_endpoint: url(login, environment.default_login()),
        graph_endpoint: url(graph, environment.default_graph()),
        teams_endpoint: url(teams, environment.default_teams()),
        retry: RetryPolicy::default(),
        request_timeout: REQUEST_TIMEOUT,
    }))
}

#[async_trait]
impl Provider for TeamsPhoneProvider {
    type Config<'a> = ProviderConfig<'a>;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(provider_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        validate_config(diags, &config).then_some(())
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        _terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        match build_client_config(diags, &config)? {
            Ok(client_config) => match Client::new(client_config) {
                Ok(client) => self.data.set(Configured::Ready(Arc::new(client))),
                Err(e) => {
                    diags.root_error("Could not set up the Teams admin API client", e.to_string());
                    return None;
                }
            },
            Err(why) => self.data.set(Configured::Deferred(why)),
        }
        Some(())
    }

    fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(resources::all(&self.data))
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(HashMap::new())
    }
}

/// Shorthand for tests and callers that only have borrowed strings.
pub fn known(value: &str) -> ValueString<'static> {
    Value::Value(Cow::Owned(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> ProviderConfig<'static> {
        ProviderConfig {
            tenant_id: known("11111111-2222-3333-4444-555555555555"),
            client_id: known("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
            client_secret: known("s3cret"),
            environment: Value::Null,
            login_endpoint: known("http://127.0.0.1:9"),
            graph_endpoint: known("http://127.0.0.1:9"),
            teams_endpoint: known("http://127.0.0.1:9"),
        }
    }

    fn error_paths(diags: &Diagnostics) -> Vec<String> {
        diags
            .errors
            .iter()
            .map(|d| format!("{:?}", d.attribute))
            .collect()
    }

    #[test]
    fn malformed_values_are_reported_on_their_attribute() {
        let mut config = full();
        config.tenant_id = known("contoso");
        config.environment = known("public");
        config.graph_endpoint = known("http://graph.microsoft.com");
        let mut diags = Diagnostics::default();
        assert!(!validate_config(&mut diags, &config));
        let paths = error_paths(&diags).join(" ");
        assert_eq!(diags.errors.len(), 3, "{paths}");
        for name in ["tenant_id", "environment", "graph_endpoint"] {
            assert!(paths.contains(name), "{name} missing from {paths}");
        }
    }

    #[test]
    fn unknown_values_pass_validation_and_defer_the_client() {
        let mut config = full();
        config.tenant_id = Value::Unknown;
        let mut diags = Diagnostics::default();
        assert!(validate_config(&mut diags, &config));
        let built = build_client_config(&mut diags, &config).unwrap();
        assert!(built.unwrap_err().contains("tenant_id"));
        assert!(diags.errors.is_empty());
    }

    #[test]
    fn complete_block_builds_a_client_config() {
        let mut diags = Diagnostics::default();
        let built = build_client_config(&mut diags, &full()).unwrap().unwrap();
        assert_eq!(built.environment, Environment::Global);
        assert_eq!(built.teams_endpoint.as_str(), "http://127.0.0.1:9/");
        assert!(!format!("{built:?}").contains("s3cret"));
    }
}
