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
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::assertions::{self, FederatedCredential};
use super::directory::{self, Group, User};
use super::faults::Faults;
use super::numbers::{self, EmergencyLocation, NumberOperation, PhoneNumber};
use super::policy::{self, SharedCallingPolicy};

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
            directory::normalize(&mut t.users, &mut t.groups).map_err(|e| format!("{at}: {e}"))?;
            numbers::normalize(t).map_err(|e| format!("{at}: {e}"))?;
            super::assignments::normalize(t).map_err(|e| format!("{at}: {e}"))?;
        }
        Ok(())
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
        write_atomically(path, state).map_err(|source| PersistError {
            path: path.clone(),
            source,
        })
    }
}

/// Writes `state` to `path` so that a crash leaves the old or the new file, and so that nobody
/// else can see or steer the bytes on the way: the copy goes to a fresh temporary file beside
/// `path`, created exclusively (`create_new`, so a file or symlink already there, planted or left
/// over, is never opened, followed or truncated) with mode 0600 (the state holds client secrets
/// and live tokens), then renamed over `path`, which therefore ends up 0600 too.
fn write_atomically(path: &Path, state: &State) -> std::io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    let (tmp, mut f) = create_temporary_beside(path)?;
    let written = f
        .write_all(&bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| {
            drop(f);
            fs::rename(&tmp, path)
        });
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Opens a new, private (0600) file named `.<name>.<random>.tmp` in the directory of `path`. A
/// name that is taken is never reused: another random name is tried, a few times.
fn create_temporary_beside(path: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("state file '{}' names no file", path.display()),
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut last = None;
    for _ in 0..8 {
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
        let tmp = dir.join(tmp_name);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = r#"{
        "_comment": ["anything"],
        "settings": {"token_lifetime_seconds": 60},
        "tenants": [{
            "tenant_id": "11111111-2222-3333-4444-55555555555A",
            "domain": "contoso.onmicrosoft.com",
            "apps": [{"client_id": "AAAAAAAA-bbbb-cccc-dddd-eeeeeeeeeeee", "client_secret": "s"}],
            "shared_calling_policies": [{"Identity": "Tag:A", "ResourceAccount": "0E5A2A42-1B55-4B3B-9F68-1F0D6C0B2A11"}]
        }]
    }"#;

    #[test]
    fn seed_is_normalised() {
        let s = State::from_json(SEED).unwrap();
        assert_eq!(s.settings.token_lifetime_seconds, 60);
        let t = &s.tenants[0];
        assert_eq!(t.tenant_id, "11111111-2222-3333-4444-55555555555a");
        assert_eq!(t.apps[0].client_id, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        assert!(!t.apps[0].teams_administrator, "the role must be opt-in");
        let ids: Vec<&str> = t
            .shared_calling_policies
            .iter()
            .map(|p| p.identity.as_str())
            .collect();
        assert_eq!(ids, ["Global", "Tag:A"]);
        assert_eq!(
            t.shared_calling_policies[1].resource_account.as_deref(),
            Some("0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11")
        );
        assert!(s.tenant_by_ref("CONTOSO.onmicrosoft.com").is_some());
        assert!(s
            .tenant_by_ref("11111111-2222-3333-4444-55555555555A")
            .is_some());
    }

    #[test]
    fn seed_errors_are_specific() {
        let typo = SEED.replace("\"apps\"", "\"appz\"");
        assert!(State::from_json(&typo).unwrap_err().contains("appz"));

        let bad_tenant = SEED.replace("11111111-2222-3333-4444-55555555555A", "contoso");
        assert!(State::from_json(&bad_tenant)
            .unwrap_err()
            .contains("tenant_id 'contoso'"));

        let two = r#"{"tenants":[
            {"tenant_id":"11111111-2222-3333-4444-555555555555","domain":"a.example"},
            {"tenant_id":"11111111-2222-3333-4444-555555555555","domain":"b.example"}]}"#;
        assert!(State::from_json(two).unwrap_err().contains("already used"));

        let bad_policy = SEED.replace("Tag:A", "A");
        let e = State::from_json(&bad_policy).unwrap_err();
        assert!(
            e.contains("shared_calling_policies[0]") && e.contains("'A'"),
            "{e}"
        );
    }

    #[test]
    fn empty_seed_uses_default_settings() {
        let s = State::from_json("{}").unwrap();
        assert_eq!(s.settings.token_lifetime_seconds, 3599);
        assert!(s.tenants.is_empty());
    }

    #[test]
    fn state_file_round_trips_and_failed_changes_leave_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let seed = Seed::from_json(SEED).unwrap();
        let mut store = Store::open(seed.clone(), Some(path.clone())).unwrap();
        assert!(
            path.exists(),
            "opening from the seed creates the state file"
        );

        let tenant_id = "11111111-2222-3333-4444-55555555555a";
        store
            .mutate(|s| -> Result<(), PersistError> {
                s.tenant_mut(tenant_id).unwrap().domain = "changed.example".into();
                Ok(())
            })
            .unwrap();
        let failed: Result<(), TestErr> = store.mutate(|s| {
            s.tenants.clear();
            Err(TestErr)
        });
        assert!(failed.is_err());
        assert_eq!(store.state().tenants.len(), 1);
        // With a file, a checked change is copied too, so even one that breaks its promise
        // leaves no trace.
        let broken: Result<(), TestErr> = store.mutate_checked(|s| {
            s.tenants.clear();
            Err(TestErr)
        });
        assert!(broken.is_err());
        assert_eq!(store.state().tenants.len(), 1);
        assert!(!dir.path().join("state.json.tmp").exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left behind"
        );

        // A second store over the same file ignores its (different) seed.
        let reopened = Store::open(Seed::from_json("{}").unwrap(), Some(path.clone())).unwrap();
        assert_eq!(reopened.state().tenants[0].domain, "changed.example");

        store.reset().unwrap();
        let reopened = Store::open(Seed::from_json("{}").unwrap(), Some(path)).unwrap();
        assert_eq!(
            reopened.state().tenants[0].domain,
            "contoso.onmicrosoft.com"
        );
    }

    /// The state holds client secrets and tokens: it is private to its owner, even when the file
    /// was there before with looser permissions, and a file or symlink planted where a temporary
    /// file could go is never written through.
    #[cfg(unix)]
    #[test]
    fn state_file_is_private_and_planted_files_are_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "keep me").unwrap();
        // The names a naive writer would use.
        std::os::unix::fs::symlink(&victim, dir.path().join("state.json.tmp")).unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join(".state.json.tmp")).unwrap();

        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let mut store = Store::open(Seed::from_json(SEED).unwrap(), Some(path.clone())).unwrap();
        assert_eq!(mode(&path), 0o600, "a new state file is 0600");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        store
            .mutate(|s| -> Result<(), PersistError> {
                s.tenants[0].domain = "changed.example".into();
                Ok(())
            })
            .unwrap();
        assert_eq!(mode(&path), 0o600, "a rewritten state file is 0600 again");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
        assert!(fs::read_to_string(&path)
            .unwrap()
            .contains("changed.example"));
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".state.json.tmp",
                "state.json",
                "state.json.tmp",
                "victim.txt"
            ]
        );
    }

    #[test]
    fn temporary_names_are_fresh_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let (a, _fa) = create_temporary_beside(&path).unwrap();
        let (b, _fb) = create_temporary_beside(&path).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.parent(), Some(dir.path()));
        assert!(create_temporary_beside(Path::new("/")).is_err());
    }

    #[derive(Debug)]
    struct TestErr;
    impl From<PersistError> for TestErr {
        fn from(_: PersistError) -> Self {
            TestErr
        }
    }

    #[test]
    fn settings_patches_replace_only_their_keys_and_reject_typos() {
        let base = Settings::default();
        let merged = base
            .merged(&serde_json::json!({"latency_ms": 25, "faults": {"unavailable_percent": 10}}))
            .unwrap();
        assert_eq!(merged.latency_ms, 25);
        assert_eq!(merged.faults.unavailable_percent, 10);
        assert_eq!(merged.token_lifetime_seconds, base.token_lifetime_seconds);
        assert!(base.merged(&serde_json::json!({"latency": 1})).is_err());
        assert!(base.merged(&serde_json::json!([1])).is_err());
        assert!(base
            .merged(&serde_json::json!({"faults": {"drop_percent": 200}}))
            .unwrap_err()
            .contains("more than 100"));
    }
}
