//! The `teamsphone` provider: its schema, and the configured client every resource shares.
//!
//! Terraform constructs resources before it configures the provider, so the configured client lives in
//! [`ProviderData`], shared by every resource and filled once by `configure`. How settings are resolved
//! (block, `TEAMSPHONE_*`, `ARM_*`) and which sign-in method is used is in [`settings`]; the
//! resource and data source types it offers are listed once, in [`registry`].

pub mod registry;
pub mod settings;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{Diagnostics, DynamicDataSource, DynamicResource, Provider};

use crate::client::Client;
use crate::framework::attributes::{
    optional_bool, optional_number, optional_string, schema_of, sensitive,
};
use settings::{build_client_config, validate_config, ProviderConfig};

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

/// The provider block's schema (also rendered into `docs/index.md`).
pub fn provider_schema() -> Schema {
    schema_of(
"Manages Microsoft Teams Phone Shared Calling: shared calling policies, resource accounts, phone numbers and policy assignments, through Microsoft Graph and the Teams tenant admin API.",
[
                ("tenant_id", optional_string("Microsoft Entra tenant id (a GUID). Falls back to `TEAMSPHONE_TENANT_ID`, then `ARM_TENANT_ID`.")),
                ("client_id", optional_string("Application (client) id of the app registration (a GUID). Falls back to `TEAMSPHONE_CLIENT_ID`, then `ARM_CLIENT_ID`.")),
                ("client_secret", sensitive(optional_string("Client secret of the app registration. Falls back to `TEAMSPHONE_CLIENT_SECRET`, then `ARM_CLIENT_SECRET`. Prefer the environment variable so the secret stays out of configuration files."))),
                ("client_certificate_path", optional_string("Path to the app's certificate with its private key, PEM (certificate and unencrypted key) or PKCS#12, for certificate sign-in (a signed RS256 client assertion). Falls back to `TEAMSPHONE_CLIENT_CERTIFICATE_PATH`, then `ARM_CLIENT_CERTIFICATE_PATH`.")),
                ("client_certificate_password", sensitive(optional_string("Password of a PKCS#12 `client_certificate_path`. Falls back to `TEAMSPHONE_CLIENT_CERTIFICATE_PASSWORD`, then `ARM_CLIENT_CERTIFICATE_PASSWORD`."))),
                ("use_oidc", optional_bool("Sign in with workload identity federation (OIDC), reading the federated token from `oidc_token_file_path` or its environment variables. Falls back to `TEAMSPHONE_USE_OIDC`, then `ARM_USE_OIDC`.")),
                ("oidc_token_file_path", optional_string("File holding the federated (OIDC) token a CI system issued; re-read for every sign-in. Falls back to `TEAMSPHONE_OIDC_TOKEN_FILE_PATH`, `ARM_OIDC_TOKEN_FILE_PATH`, then `AZURE_FEDERATED_TOKEN_FILE`.")),
                ("policy_assignment_route", optional_string("How policy grants are sent: `auto` (default) uses Graph `userAssignments` batches and, for a policy type Graph answers it does not support, the Teams per-user route from then on (per tenant and type, for the run); `graph` and `teams` force one route. Falls back to `TEAMSPHONE_POLICY_ASSIGNMENT_ROUTE`.")),
                ("max_concurrent_requests", optional_number("Most requests in flight at once to this tenant (1 to 64, default 10), so one configuration touching many tenants stays under each tenant's throttling. Falls back to `TEAMSPHONE_MAX_CONCURRENT_REQUESTS`.")),
                ("environment", optional_string("Microsoft cloud: `global` (default), `gcch` or `dod`. Picks the default login, Graph and Teams hosts. Falls back to `TEAMSPHONE_ENVIRONMENT`.")),
                ("login_endpoint", optional_string("Overrides the Microsoft Entra login host, for example the local emulator. Falls back to `TEAMSPHONE_LOGIN_ENDPOINT`.")),
                ("graph_endpoint", optional_string("Overrides the Microsoft Graph host. Falls back to `TEAMSPHONE_GRAPH_ENDPOINT`.")),
                ("teams_endpoint", optional_string("Overrides the Teams tenant admin API host. Falls back to `TEAMSPHONE_TEAMS_ENDPOINT`.")),
            ],
)
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
        Some(registry::resources(&self.data))
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(registry::data_sources(&self.data))
    }
}
