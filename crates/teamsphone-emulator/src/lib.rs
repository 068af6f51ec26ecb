//! `teamsphone_emulator`: an emulator of the Microsoft services the provider talks to: the login
//! service, Microsoft Graph and the Teams admin API, served as one real HTTP server so the provider
//! can be tested end to end without a tenant. The package holds the library (for in-process use by
//! tests) and the `teamsphone-emulator` binary (`src/main.rs`, see [`cli`]).
//!
//! # Design
//!
//! The emulator implements `api-contract.md` from the server's side with its own models and rules;
//! it shares only constants ([`teamsphone_contract`]) with the client. If both sides used one serde
//! model, a wrong field name would be wrong on both and no test would notice.
//!
//! That independence used to be a convention; since the emulator became its own package the
//! compiler enforces it: this package depends on `teamsphone-contract` and nothing of the provider,
//! so `crate::client` or a provider validator cannot be imported here, not even by a test, and
//! `cargo tree -p teamsphone-emulator` shows neither the provider nor reqwest. Its wiring tests speak
//! HTTP through their own small hyper client (`test_http.rs`, test builds only); the tests that drive
//! the provider's client against the emulator live on the client's side
//! (`src/client/emulator_tests.rs` in the provider package).
//!
//! The three services live on one port and are told apart by path ([`frontdoor::Service`]); point
//! the provider's `login_endpoint`, `graph_endpoint` and `teams_endpoint` all at the emulator's URL.
//! Every request passes the [`frontdoor`], which names it (`request-id`, echoed
//! `client-request-id`), authenticates Teams and Graph calls ([`auth`]) and logs it. Routes per
//! service ([`routes_teams`], [`routes_graph`], [`admin`]) are thin; the rules live in pure modules
//! ([`policy`]) that are unit-tested without a server. State ([`state`]) sits behind one mutex: the
//! emulator serves tests, not load, and one lock keeps every change atomic and ordered.
//!
//! **Exposure.** The emulator is a test double with well-known demo secrets and no TLS, so it is
//! kept from becoming an open token service by accident: the binary refuses a `--listen` address
//! other than loopback unless `--allow-remote` is given ([`cli`]), the state file is written private
//! (mode 0600, through an exclusively created temporary file, [`state`]), and what it keeps per
//! request is bounded (the log and the per-kind counts, [`frontdoor`]).
//!
//! Modules:
//!
//! - [`state`]: tenants, apps, policies, tokens; seed and state file; atomic saves.
//! - [`policy`]: the shared calling policy model and its validation rules.
//! - [`emergency_policy`]: emergency call routing policies (section 5b); [`routes_policy_instances`]
//!   serves both policy types on their shared configuration routes.
//! - [`directory`]: Entra users (people and resource accounts) and groups.
//! - [`numbers`]: telephone numbers, emergency locations, number operations and their rules.
//! - [`resource_accounts`]: application instances and Graph user writes.
//! - [`routes_voice`]: the routes of those two (Teams and Graph) and a test view.
//! - [`voice_apps`], [`routes_voice_apps`], [`routes_voice_app_objects`]:
//!   auto attendants (managed, with their schedules), call queues (managed whole), and the
//!   association of resource accounts with them, per endpoint.
//! - [`auth`]: the token endpoint and the bearer check.
//! - [`assertions`]: certificate and federated (OIDC) client assertions.
//! - [`frontdoor`]: the middleware every request passes; the request log.
//! - [`routes_teams`], [`routes_graph`], [`admin`]: the routes.
//! - [`error`]: error bodies in the Teams, Graph and AAD shapes; [`body`]: request bodies as JSON objects.
//! - [`shapes`]: the live services' other answer shapes (wrapped, one-element arrays, empty writes,
//!   no `objectId`, camelCase, a policy type Graph refuses), each a knob.
//! - [`faults`]: injected throttling, 5xx, cut connections, lost answers and slowness.
//! - [`cli`]: the `teamsphone-emulator` command line (the binary itself is `src/main.rs`).
//! - [`assignments`], [`routes_assignments`]: policy assignment to users and groups, Enterprise
//!   Voice, `userConfigurations`; [`throttle`]: the per-app request budget (429 + `Retry-After`).
//!
//! # Seed format
//!
//! A seed is JSON (see `examples/emulator/demo-tenant.json`). Unknown keys are errors, to catch
//! typos; `_comment` at the top level is free text and ignored.
//!
//! ```json
//! {
//!   "settings": {"token_lifetime_seconds": 3599},
//!   "tenants": [{
//!     "tenant_id": "11111111-2222-3333-4444-555555555555",
//!     "domain": "contoso.onmicrosoft.com",
//!     "apps": [{"client_id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
//!               "client_secret": "demo-secret-not-for-production",
//!               "teams_administrator": true}],
//!     "shared_calling_policies": [{"Identity": "Tag:Existing", "Description": "..",
//!                                  "ResourceAccount": "<guid>", "EmergencyNumbers": []}]
//!   }]
//! }
//! ```
//!
//! - `settings` (optional): `token_lifetime_seconds` (default 3599; 0 issues already-expired tokens);
//!   `new_account_visibility_ms` (default 300): how long an account created through the API is not
//!   found; `number_service_lag_ms` (default 0): how much longer the number service takes to see it;
//!   `operation_step_ms` (default 150): how long a number operation stays `notStarted`, then `running`;
//!   `graph_page_size` (default 1000): the most items one page of a list holds, whatever `$top` asks;
//!   `answer_shapes` (default all off): the live services' other answer shapes, see [`shapes`].
//! - `phone_numbers[]` (optional): the number inventory in Graph's camelCase (`telephoneNumber`,
//!   `numberType`, `isoCountryCode`, `city`, `locationId`, `assignmentTargetId`, ...);
//!   `emergency_locations[]`: `{"id", "description", "countryOrRegion"}`. See [`numbers`].
//!   `propagation_delay_ms` (default 0) between an assignment or Enterprise Voice write and the read
//!   that shows it; `request_budget` `{"requests": N, "window_ms": M}` per app (default: unlimited).
//! - `tenants[].assignments` (optional): policy instances by type, direct and group assignments,
//!   users' phone numbers; see [`assignments`].
//! - `tenants[].tenant_id`: a GUID; the token endpoint also accepts `domain` in its place.
//! - `apps[]`: app registrations allowed to sign in with `client_secret`. `teams_administrator`
//!   (default `false`) grants the Teams Administrator role the Teams API requires (tokens list it in
//!   `wids`); `graph_permissions` (default: the four the contract names) the Graph application
//!   permissions, listed in Graph tokens' `roles` and enforced on Graph calls (403 without them).
//! - `tenants[].voice_apps` (optional): auto attendants, call queues and associations; see
//!   [`voice_apps`].
//! - `shared_calling_policies[]`: policy objects exactly as the Teams API shows them, checked by the
//!   same rules as the API. `Global` is added when missing.
//! - `emergency_call_routing_policies[]` (optional): emergency call routing policies as the Teams
//!   API shows them (`Identity`, `Description`, `AllowEnhancedEmergencyServices`, `EmergencyNumbers`
//!   of `{EmergencyDialString, EmergencyDialMask, OnlinePSTNUsage}`); names listed under
//!   `assignments.policies.TeamsEmergencyCallRoutingPolicy` become policies without numbers.
//!   `pstn_usages[]`: the online PSTN usage names those numbers may route through.
//!
//! A state file (`--state`) has the same format plus the issued tokens, so it can also serve as a
//! seed.
//!
//! # Use from tests
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use teamsphone_emulator::{Emulator, EmulatorConfig, Seed};
//! let seed = Seed::from_file("examples/emulator/demo-tenant.json".as_ref())?;
//! let emulator = Emulator::start(EmulatorConfig::new("127.0.0.1:0".parse()?, seed)).await?;
//! let base_url = emulator.url(); // e.g. http://127.0.0.1:41234
//! # let _ = base_url;
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

// Module essays link the private modules they are made of, for contributors: the docs are built
// with `--document-private-items` (`.ci/run`), where those links resolve.
#![allow(rustdoc::private_intra_doc_links)]

pub mod admin;
pub mod assertions;
pub mod assignments;
pub mod auth;
pub mod body;
pub mod cli;
pub mod concurrency;
pub mod directory;
pub mod emergency_policy;
pub mod error;
pub mod faults;
pub mod frontdoor;
pub mod generate;
pub mod numbers;
pub mod policy;
pub mod policy_instances;
pub mod resource_accounts;
pub mod routes_assignments;
pub mod routes_graph;
pub mod routes_policy_instances;
pub mod routes_teams;
pub mod routes_voice;
pub mod routes_voice_app_objects;
pub mod routes_voice_apps;
pub mod shapes;
pub mod state;
pub mod throttle;
pub mod voice_apps;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod test_http;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_assignments;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::http::{Method, Uri};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use frontdoor::{RequestCtx, RequestLog, Service};
use state::Store;
pub use state::{Seed, StateError};

/// How to run an emulator.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Address to bind; port 0 picks a free port (read it back from [`EmulatorHandle::addr`]).
    pub listen: SocketAddr,
    pub seed: Seed,
    /// Where to keep the state across restarts; `None` keeps it in memory only.
    pub state_file: Option<PathBuf>,
    /// Print one line per request to stderr.
    pub log_to_stderr: bool,
}

impl EmulatorConfig {
    pub fn new(listen: SocketAddr, seed: Seed) -> Self {
        EmulatorConfig {
            listen,
            seed,
            state_file: None,
            log_to_stderr: false,
        }
    }

    pub fn with_state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    pub fn with_stderr_log(mut self, on: bool) -> Self {
        self.log_to_stderr = on;
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    State(#[from] StateError),
}

/// What all handlers share: the store and the request log.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    store: Mutex<Store>,
    log: Mutex<RequestLog>,
    log_to_stderr: bool,
    in_flight: Arc<concurrency::InFlight>,
    /// The fault rolls and the faults injected since start, reset or the last change of the faults.
    fault_dice: faults::FaultDice,
}

impl AppState {
    /// The state; a poisoned lock is taken over, since every change is applied to a copy first
    /// (see `Store::mutate`) and so a panic cannot leave the state half-changed.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.0.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn log(&self) -> MutexGuard<'_, RequestLog> {
        self.0.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn in_flight(&self) -> &Arc<concurrency::InFlight> {
        &self.0.in_flight
    }

    pub fn fault_dice(&self) -> &faults::FaultDice {
        &self.0.fault_dice
    }

    pub fn log_to_stderr(&self) -> bool {
        self.0.log_to_stderr
    }
}

/// Builds the HTTP application over the given state.
pub fn router(app: AppState) -> Router {
    Router::new()
        .route("/:tenant/oauth2/v2.0/token", post(auth::token))
        .merge(routes_policy_instances::router())
        .merge(routes_graph::router())
        .merge(routes_voice::router())
        .merge(routes_voice_apps::router())
        .merge(routes_voice_app_objects::router())
        .merge(admin::router())
        .merge(routes_assignments::router())
        .fallback(fallback)
        // Inside the front door, so it sees the authenticated caller and its 429s are logged.
        .layer(axum::middleware::from_fn_with_state(
            (app.clone(), throttle::Windows::default()),
            throttle::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            frontdoor::front_door,
        ))
        .with_state(app)
}

/// Unmatched paths answer 404 in the shape of the service they belong to.
async fn fallback(Extension(ctx): Extension<RequestCtx>, method: Method, uri: Uri) -> Response {
    match ctx.service {
        Service::Graph => routes_graph::unknown(&method, &uri, &ctx),
        Service::Admin => admin::unknown(&method, &uri),
        Service::Teams | Service::Login => routes_teams::unknown(&method, &uri),
    }
}

/// Entry point: see [`Emulator::start`].
pub struct Emulator;

impl Emulator {
    /// Loads the state, binds the address and serves in a background task until the handle is
    /// shut down or dropped.
    pub async fn start(config: EmulatorConfig) -> Result<EmulatorHandle, StartError> {
        let store = Store::open(config.seed, config.state_file)?;
        let app = AppState(Arc::new(Inner {
            store: Mutex::new(store),
            log: Mutex::new(RequestLog::default()),
            log_to_stderr: config.log_to_stderr,
            in_flight: Arc::default(),
            fault_dice: Default::default(),
        }));
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let (stop, stopped) = oneshot::channel::<()>();
        let server = axum::serve(listener, router(app).into_make_service())
            // Resolves on an explicit stop and when the handle is dropped.
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
        let task = tokio::spawn(async move { server.await });
        Ok(EmulatorHandle {
            addr,
            stop: Some(stop),
            task,
        })
    }
}

/// A running emulator. Dropping it stops the server.
pub struct EmulatorHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl EmulatorHandle {
    /// The bound address (the real port when started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://IP:PORT`, the value for all three endpoint settings of the provider.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting requests, lets in-flight ones finish, and waits for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let task = &mut self.task;
        if let Ok(Err(e)) = task.await {
            eprintln!("teamsphone-emulator: server error: {e}");
        }
    }
}
