//! The emulator's world: tenants, their apps and policies, and the tokens handed out, plus how that
//! world is seeded, saved and restored.
//!
//! One serde model serves three purposes, so there is one format to learn:
//!
//! - the **seed** a test or a demo writes by hand (`--seed FILE`, [`Seed`]);
//! - the **state file** (`--state FILE`), which is a seed plus the issued tokens: any state file is
//!   also a valid seed;
//! - the in-memory [`State`] the routes read and change.
//!
//! Loading is strict (`deny_unknown_fields`, every policy validated by the same rules as the API),
//! because a typo in a test seed should fail loudly at start-up, not show up as a puzzling 404 later.
//! Loading also normalises: GUIDs lower-case, `Global` added to every tenant that lacks it.
//!
//! Changes go through [`Store::mutate`], which applies the change to a copy, writes the copy to the
//! state file (write a fresh private temporary file beside it, created exclusively with mode 0600,
//! then rename, so a crash leaves the old or the new file, never half of one, and no file planted
//! under the temporary name can be followed or read) and only then makes it current. A failed write therefore leaves memory and disk agreeing.
//! The write happens while the caller holds the store's lock: the files are small, and holding the
//! lock is what keeps two concurrent changes from reaching the disk in the wrong order.
//!
//! Growth: later resources (resource accounts, users, phone numbers, operations, assignments) become
//! new fields on [`Tenant`] with `#[serde(default)]`; emulator-wide knobs (throttling, faults) go in
//! [`Settings`]. Old seeds keep loading.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::assertions::{self, FederatedCredential};
use super::directory::{self, Group, User};
use super::emergency_policy::{self, EmergencyCallRoutingPolicy};
use super::faults::Faults;
use super::numbers::{self, EmergencyLocation, NumberOperation, PhoneNumber};
use super::policy::{self, SharedCallingPolicy};

mod file;
#[cfg(test)]
mod tests;

/// Everything the emulator knows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Free text for people reading a seed file; ignored.
    #[serde(default, rename = "_comment", skip_serializing)]
    pub comment: Option<serde_json::Value>,
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub tenants: Vec<Tenant>,
    /// Issued access tokens by token value. Kept in the state file so a restart does not log
    /// clients out; absent from hand-written seeds.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tokens: BTreeMap<String, IssuedToken>,
}

/// Emulator-wide behaviour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `expires_in` of issued tokens; 0 issues tokens that are already expired (for tests).
    #[serde(default = "default_token_lifetime")]
    pub token_lifetime_seconds: u64,
    /// Milliseconds between a policy assignment or Enterprise Voice write and the read that shows
    /// it (real tenants take 30-45 s); 0 shows writes at once.
    #[serde(default)]
    pub propagation_delay_ms: u64,
    /// Requests each app may send per window before it gets 429 with `Retry-After`; none: no limit.
    #[serde(default)]
    pub request_budget: Option<super::throttle::RequestBudget>,
    /// Added to every Teams and Graph answer, so concurrent requests overlap observably.
    #[serde(default)]
    pub latency_ms: u64,
    /// Injected faults (throttling, 5xx, cut connections, lost answers, slowness).
    #[serde(default)]
    pub faults: Faults,
    /// How long a newly created resource account stays invisible to reads (eventual consistency).
    #[serde(default = "default_visibility_delay")]
    pub new_account_visibility_ms: u64,
    /// How long a number operation stays in each of `notStarted` and `running`.
    #[serde(default = "default_operation_step")]
    pub operation_step_ms: u64,
    /// How much longer than Graph the number service takes to see a new account.
    #[serde(default)]
    pub number_service_lag_ms: u64,
    /// Most items one page of a list holds, whatever the client asks for (Graph may return fewer
    /// than `$top`; clients must follow `@odata.nextLink`).
    #[serde(default = "default_page_size")]
    pub graph_page_size: usize,
    /// The live services' other answer shapes (contract section 7), off by default.
    #[serde(default)]
    pub answer_shapes: super::shapes::AnswerShapes,
}

fn default_page_size() -> usize {
    1000
}

fn default_visibility_delay() -> u64 {
    300
}

fn default_operation_step() -> u64 {
    150
}

impl Settings {
    /// These settings with the keys of `patch` (a JSON object) replaced: how `--settings` and
    /// `PATCH /_emulator/settings` change delays, budgets and faults of a running emulator.
    pub fn merged(&self, patch: &serde_json::Value) -> Result<Settings, String> {
        let serde_json::Value::Object(changes) = patch else {
            return Err("settings must be a JSON object".into());
        };
        let mut current = serde_json::to_value(self).map_err(|e| e.to_string())?;
        if let serde_json::Value::Object(map) = &mut current {
            for (key, value) in changes {
                map.insert(key.clone(), value.clone());
            }
        }
        let merged: Settings = serde_json::from_value(current).map_err(|e| e.to_string())?;
        merged
            .faults
            .validate()
            .map_err(|e| format!("faults: {e}"))?;
        Ok(merged)
    }
}

fn default_token_lifetime() -> u64 {
    3599
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            token_lifetime_seconds: default_token_lifetime(),
            latency_ms: 0,
            faults: Faults::default(),
            new_account_visibility_ms: default_visibility_delay(),
            operation_step_ms: default_operation_step(),
            number_service_lag_ms: 0,
            graph_page_size: default_page_size(),
            propagation_delay_ms: 0,
            request_budget: None,
            answer_shapes: Default::default(),
        }
    }
}

/// One Entra tenant and what lives in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    /// Directory id (GUID), stored lower-case.
    pub tenant_id: String,
    /// Initial domain, e.g. `contoso.onmicrosoft.com`; the token endpoint accepts it in place of the id.
    pub domain: String,
    /// App registrations that may request tokens.
    #[serde(default)]
    pub apps: Vec<App>,
    #[serde(default)]
    pub shared_calling_policies: Vec<SharedCallingPolicy>,
    /// Emergency call routing policies (contract 5b); `Global` is added when missing.
    #[serde(default)]
    pub emergency_call_routing_policies: Vec<EmergencyCallRoutingPolicy>,
    /// Online PSTN usage names emergency numbers may route through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pstn_usages: Vec<String>,
    /// Entra users: people and resource accounts.
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Telephone number inventory and assignments.
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumber>,
    #[serde(default)]
    pub emergency_locations: Vec<EmergencyLocation>,
    /// Assign/unassign operations, finished or not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub number_operations: Vec<NumberOperation>,
    /// When each resource account was created through the API, by object id (for the visibility delay).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub account_created_at_ms: BTreeMap<String, u64>,
    /// Policy assignments to users and groups, Enterprise Voice changes, and the policy instances
    /// of types other than shared calling (see `assignments`).
    #[serde(default)]
    pub assignments: super::assignments::Assignments,
    /// Auto attendants and call queues (read-only for now) and the resource accounts associated
    /// with them (see `voice_apps`).
    #[serde(default)]
    pub voice_apps: super::voice_apps::VoiceApps,
}

/// An app registration (service principal) of a tenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub client_id: String,
    /// Empty when the app signs in only with a certificate or a federated credential.
    #[serde(default)]
    pub client_secret: String,
    /// PEM certificates registered on the app, for certificate sign-in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<String>,
    /// Federated identity records, for workload identity federation (OIDC) sign-in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub federated_credentials: Vec<FederatedCredential>,
    /// Whether the app holds the Teams Administrator directory role, which the Teams admin API
    /// requires. Defaults to `false`, as in a fresh tenant.
    #[serde(default)]
    pub teams_administrator: bool,
    /// The Microsoft Graph application permissions granted (admin-consented), carried in the
    /// Graph token's `roles` claim and enforced on Graph calls. Absent: every permission the
    /// contract names, as for a fully set-up app (and as every seed before this field meant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph_permissions: Option<Vec<String>>,
}

impl App {
    /// The Graph permissions this app holds (see [`App::graph_permissions`]).
    pub fn graph_roles(&self) -> Vec<String> {
        match &self.graph_permissions {
            Some(granted) => granted.clone(),
            None => teamsphone_contract::GRAPH_PERMISSIONS
                .iter()
                .map(|p| p.to_string())
                .collect(),
        }
    }

    /// The directory role template ids this app holds, as a token's `wids` claim lists them.
    pub fn directory_roles(&self) -> Vec<String> {
        if self.teams_administrator {
            vec![teamsphone_contract::TEAMS_ADMINISTRATOR_ROLE_ID.to_string()]
        } else {
            Vec::new()
        }
    }
}

/// Which API a token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Graph,
    Teams,
}

impl Audience {
    pub fn scope(self) -> &'static str {
        match self {
            Audience::Graph => teamsphone_contract::GRAPH_SCOPE,
            Audience::Teams => teamsphone_contract::TEAMS_SCOPE,
        }
    }

    pub fn from_scope(scope: &str) -> Option<Audience> {
        [Audience::Graph, Audience::Teams]
            .into_iter()
            .find(|a| a.scope() == scope)
    }
}

/// What an access token stands for. The token itself is opaque; all meaning stays server-side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuedToken {
    pub tenant_id: String,
    pub client_id: String,
    pub audience: Audience,
    pub expires_at_unix_ms: u64,
}

impl IssuedToken {
    pub fn expired(&self, now_ms: u64) -> bool {
        now_ms >= self.expires_at_unix_ms
    }
}

pub fn now_unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl State {
    /// Parses and validates a seed or state document.
    pub fn from_json(text: &str) -> Result<State, String> {
        let mut state: State = serde_json::from_str(text).map_err(|e| e.to_string())?;
        state.normalize()?;
        Ok(state)
    }

    pub fn tenant(&self, tenant_id: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.tenant_id == tenant_id)
    }

    pub fn tenant_mut(&mut self, tenant_id: &str) -> Option<&mut Tenant> {
        self.tenants.iter_mut().find(|t| t.tenant_id == tenant_id)
    }

    /// Finds a tenant by id or by domain, both case-insensitively, as the login service does.
    pub fn tenant_by_ref(&self, reference: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| {
            t.tenant_id.eq_ignore_ascii_case(reference) || t.domain.eq_ignore_ascii_case(reference)
        })
    }

    fn normalize(&mut self) -> Result<(), String> {
        self.settings
            .faults
            .validate()
            .map_err(|e| format!("settings.faults: {e}"))?;
        for i in 0..self.tenants.len() {
            let (earlier, rest) = self.tenants.split_at_mut(i);
            let t = &mut rest[0];
            let at = format!("tenants[{i}]");
            t.tenant_id = policy::normalize_guid("tenant_id", &t.tenant_id)
                .map_err(|e| format!("{at}: {e}"))?;
            let at = format!("tenant {}", t.tenant_id);
            if t.domain.trim().is_empty() || t.domain.contains(char::is_whitespace) {
                return Err(format!("{at}: domain '{}' is not a domain name", t.domain));
            }
            if let Some(other) = earlier
                .iter()
                .find(|o| o.tenant_id == t.tenant_id || o.domain.eq_ignore_ascii_case(&t.domain))
            {
                return Err(format!(
                    "{at}: tenant id or domain is already used by tenant {}",
                    other.tenant_id
                ));
            }
            for j in 0..t.apps.len() {
                let (seen, rest) = t.apps.split_at_mut(j);
                let app = &mut rest[0];
                app.client_id = policy::normalize_guid("client_id", &app.client_id)
                    .map_err(|e| format!("{at}: apps[{j}]: {e}"))?;
                if app.client_secret.is_empty()
                    && app.certificates.is_empty()
                    && app.federated_credentials.is_empty()
                {
                    return Err(format!(
                        "{at}: app {}: has no credential (client_secret, certificates or federated_credentials)",
                        app.client_id
                    ));
                }
                for pem in app.certificates.iter().chain(
                    app.federated_credentials
                        .iter()
                        .map(|f| &f.issuer_certificate),
                ) {
                    assertions::check_certificate(pem)
                        .map_err(|e| format!("{at}: app {}: certificate: {e}", app.client_id))?;
                }
                if seen.iter().any(|a| a.client_id == app.client_id) {
                    return Err(format!("{at}: app {} is listed twice", app.client_id));
                }
            }
            policy::normalize_policies(&mut t.shared_calling_policies)
                .map_err(|e| format!("{at}: {e}"))?;
            adopt_listed_emergency_policies(t);
            emergency_policy::normalize_policies(
                &mut t.emergency_call_routing_policies,
                &t.pstn_usages,
            )
            .map_err(|e| format!("{at}: {e}"))?;
            directory::normalize(&mut t.users, &mut t.groups).map_err(|e| format!("{at}: {e}"))?;
            numbers::normalize(t).map_err(|e| format!("{at}: {e}"))?;
            super::assignments::normalize(t).map_err(|e| format!("{at}: {e}"))?;
            super::voice_apps::normalize(t).map_err(|e| format!("{at}: voice_apps: {e}"))?;
        }
        Ok(())
    }
}

/// Older seeds name emergency call routing policies under `assignments.policies`; those become
/// real policies (without numbers), so every policy a grant can name can also be read and deleted.
fn adopt_listed_emergency_policies(t: &mut Tenant) {
    let key = t
        .assignments
        .policies
        .keys()
        .find(|k| k.eq_ignore_ascii_case(teamsphone_contract::EMERGENCY_CALL_ROUTING_POLICY_TYPE))
        .cloned();
    let Some(names) = key.and_then(|k| t.assignments.policies.remove(&k)) else {
        return;
    };
    for name in names {
        let policy = EmergencyCallRoutingPolicy::named(&name);
        if crate::policy_instances::find(&t.emergency_call_routing_policies, &policy.identity)
            .is_none()
        {
            t.emergency_call_routing_policies.push(policy);
        }
    }
}

/// A validated seed: the state the emulator starts from (without `--state`, or when the state file
/// does not exist yet) and returns to on `POST /_emulator/reset`.
#[derive(Clone, Debug, PartialEq)]
pub struct Seed(pub(crate) State);

impl Seed {
    pub fn from_json(text: &str) -> Result<Seed, StateError> {
        State::from_json(text)
            .map(Seed)
            .map_err(StateError::Invalid)
    }

    pub fn from_file(path: &Path) -> Result<Seed, StateError> {
        read_state(path).map(Seed)
    }

    pub fn state(&self) -> &State {
        &self.0
    }

    /// Adds `count` generated users ([`crate::generate`]) to the first tenant, ids from `seed`,
    /// and checks the result as any seed is checked.
    pub fn add_generated_users(&mut self, count: usize, seed: u64) -> Result<(), String> {
        let tenant = self
            .0
            .tenants
            .first_mut()
            .ok_or("--generate-users needs a seed with at least one tenant")?;
        let domain = tenant.domain.clone();
        tenant
            .users
            .extend(crate::generate::users(count, seed, &domain));
        self.0.normalize()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid emulator seed or state file: {message}")]
    InvalidFile { path: PathBuf, message: String },
    #[error("invalid emulator seed: {0}")]
    Invalid(String),
    #[error(transparent)]
    Persist(#[from] PersistError),
}

/// Writing the state file failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct PersistError {
    path: PathBuf,
    source: std::io::Error,
}

fn read_state(path: &Path) -> Result<State, StateError> {
    let text = fs::read_to_string(path).map_err(|source| StateError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    State::from_json(&text).map_err(|message| StateError::InvalidFile {
        path: path.to_path_buf(),
        message,
    })
}

/// The live state, the seed to reset to, and where to save.
#[derive(Debug)]
pub struct Store {
    state: State,
    seed: State,
    file: Option<PathBuf>,
}

impl Store {
    /// Starts from `file` if it exists, else from the seed (and then creates `file`).
    pub fn open(seed: Seed, file: Option<PathBuf>) -> Result<Store, StateError> {
        let existing = match &file {
            Some(path) if path.exists() => Some(read_state(path)?),
            _ => None,
        };
        let loaded = existing.is_some();
        let mut state = existing.unwrap_or_else(|| seed.0.clone());
        let now = now_unix_ms();
        state.tokens.retain(|_, t| !t.expired(now));
        let store = Store {
            state,
            seed: seed.0,
            file,
        };
        if !loaded {
            store.persist(&store.state)?;
        }
        Ok(store)
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn state_file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Applies `change` to a copy of the state and, if it succeeds, saves the copy and makes it
    /// current. On any error nothing changes, in memory or on disk.
    pub fn mutate<T, E: From<PersistError>>(
        &mut self,
        change: impl FnOnce(&mut State) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut next = self.state.clone();
        let out = change(&mut next)?;
        self.persist(&next)?;
        self.state = next;
        Ok(out)
    }

    /// [`Store::mutate`] for changes that check everything before they change anything (so an
    /// `Err` leaves the state untouched): without a state file there is no disk to keep in step,
    /// so the change is applied in place instead of to a copy. Copying a 10,000-user tenant costs
    /// milliseconds, which dominated the emulator's time when every one of 10,000 Terraform
    /// resources wrote once. With a state file this is `mutate`, copy and all.
    pub fn mutate_checked<T, E: From<PersistError>>(
        &mut self,
        change: impl FnOnce(&mut State) -> Result<T, E>,
    ) -> Result<T, E> {
        if self.file.is_some() {
            return self.mutate(change);
        }
        change(&mut self.state)
    }

    /// Returns to the seed. Tokens whose tenant and app still exist stay valid, so a client in the
    /// middle of its work is not logged out by a test resetting the data.
    pub fn reset(&mut self) -> Result<(), PersistError> {
        let mut next = self.seed.clone();
        let now = now_unix_ms();
        next.tokens = self
            .state
            .tokens
            .iter()
            .filter(|(_, t)| {
                !t.expired(now)
                    && next
                        .tenant(&t.tenant_id)
                        .is_some_and(|ten| ten.apps.iter().any(|a| a.client_id == t.client_id))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.persist(&next)?;
        self.state = next;
        Ok(())
    }

    fn persist(&self, state: &State) -> Result<(), PersistError> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let mut bytes = serde_json::to_vec_pretty(state).map_err(std::io::Error::other);
        if let Ok(bytes) = &mut bytes {
            bytes.push(b'\n');
        }
        bytes
            .and_then(|bytes| file::write_atomically(path, &bytes))
            .map_err(|source| PersistError {
                path: path.clone(),
                source,
            })
    }
}
