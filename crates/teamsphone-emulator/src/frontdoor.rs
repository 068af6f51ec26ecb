//! The front door: one middleware every request passes through, so that what must hold for *every*
//! answer is written once instead of in each handler.
//!
//! For each request it
//!
//! 1. names the request: a fresh `request-id` (UUID) and the caller's `client-request-id`, both
//!    attached to the request as a [`RequestCtx`] (error bodies quote them) and set on the answer;
//! 2. decides which emulated service the path belongs to ([`Service`]): the three real hosts share
//!    one port here, so the path is the only thing that can tell them apart;
//! 3. enforces bearer authentication for Teams and Graph paths (see `auth::authenticate`) and
//!    hands the handler the authenticated [`Caller`](super::auth::Caller), so no handler can
//!    forget the check and every service answers auth failures in its own error shape;
//! 4. appends an entry to the request log (never bodies, tokens or secrets) and, when asked,
//!    prints a line to stderr.
//!
//! The log is bounded ([`LOG_CAPACITY`]) so a long-lived emulator cannot grow without limit;
//! sequence numbers keep counting across clears, so "requests after seq N" stays meaningful. The
//! counts per request kind are bounded too: ids in paths count as one kind ([`request_kind`]), and
//! past [`MAX_COUNTED_KINDS`] distinct kinds a new kind counts under `<service> (other kinds)`
//! ([`overflow_kind`]), so a client spraying unique paths or methods cannot grow the map.

use std::collections::VecDeque;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use super::auth;
use super::faults::{self, Fault};
use super::shapes;
use super::AppState;

/// The header clients send to correlate their logs with the service's.
pub const CLIENT_REQUEST_ID: &str = "client-request-id";
/// The header the service answers with, naming the request on its side.
pub const REQUEST_ID: &str = "request-id";
/// Most entries the request log keeps; older ones are dropped first.
pub const LOG_CAPACITY: usize = 10_000;
/// Most distinct request kinds the counts keep; later kinds share one bucket per service.
pub const MAX_COUNTED_KINDS: usize = 1_000;

/// The bucket of a service's requests whose kind came after the counts were full.
pub fn overflow_kind(service: Service) -> String {
    format!("{} (other kinds)", service.as_str())
}

/// Which real service a path stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Login,
    Graph,
    Teams,
    Admin,
}

impl Service {
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Login => "login",
            Service::Graph => "graph",
            Service::Teams => "teams",
            Service::Admin => "admin",
        }
    }

    /// Login is `/{tenant}/oauth2/v2.0/token`, Graph is `/v1.0/...` (and `/beta/...`), admin is
    /// `/_emulator/...`, and everything else is the Teams host, whose API spans several prefixes
    /// (`/Skype.Policy`, `/Teams.PlatformService`, `/Teams.VoiceApps`, ...).
    pub fn of_path(path: &str) -> Service {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match segments.as_slice() {
            [tenant, "oauth2", "v2.0", "token"] if !tenant.is_empty() => Service::Login,
            ["_emulator", ..] => Service::Admin,
            ["v1.0" | "beta", ..] => Service::Graph,
            _ => Service::Teams,
        }
    }
}

/// Facts about the request that handlers and error bodies need.
#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub request_id: String,
    pub client_request_id: Option<String>,
    pub service: Service,
}

/// What the front door attaches to every authenticated Teams or Graph request: who called and
/// the request's names. Handlers take it as one extractor (`Authenticated { caller, ctx }`)
/// instead of two `Extension`s; a missing part is rejected exactly as `Extension` rejects it.
#[derive(Clone, Debug)]
pub struct Authenticated {
    pub caller: auth::Caller,
    pub ctx: RequestCtx,
}

#[axum::async_trait]
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Authenticated {
    type Rejection = axum::extract::rejection::ExtensionRejection;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::Extension;
        let Extension(caller) = Extension::<auth::Caller>::from_request_parts(parts, state).await?;
        let Extension(ctx) = Extension::<RequestCtx>::from_request_parts(parts, state).await?;
        Ok(Authenticated { caller, ctx })
    }
}

/// Who made a request, for the log; handlers that learn it themselves (the token endpoint) put it
/// in the response extensions.
#[derive(Clone, Debug, Default)]
pub struct Who {
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
}

/// One request log entry.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    pub seq: u64,
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub service: Service,
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    /// The `request-id` the answer carried, to match a client error to its log entry.
    pub request_id: String,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    next_seq: u64,
    entries: VecDeque<LogEntry>,
    /// Requests per kind since the last clear, for benchmarks that send more requests than the log
    /// keeps. The numbers are not capped; the kinds are ([`MAX_COUNTED_KINDS`]).
    counts: std::collections::BTreeMap<String, u64>,
}

/// `METHOD /path` with ids, names and function arguments replaced by `{}`, so that requests of one
/// kind count together.
pub fn request_kind(method: &str, path: &str) -> String {
    let shape: Vec<&str> = path
        .split('/')
        .map(|segment| {
            let idish = segment.contains(['@', ':', '(', '%'])
                || (segment.len() >= 8 && segment.bytes().any(|b| b.is_ascii_digit()));
            if idish {
                "{}"
            } else {
                segment
            }
        })
        .collect();
    format!("{method} {}", shape.join("/"))
}

impl RequestLog {
    fn push(&mut self, mut entry: LogEntry) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        let kind = format!(
            "{} {}",
            entry.service.as_str(),
            request_kind(&entry.method, &entry.path)
        );
        // The overflow buckets (one per service) may come on top of the cap.
        let kind = if self.counts.contains_key(&kind) || self.counts.len() < MAX_COUNTED_KINDS {
            kind
        } else {
            overflow_kind(entry.service)
        };
        *self.counts.entry(kind).or_default() += 1;
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.counts.clear();
    }

    pub fn counts(&self) -> std::collections::BTreeMap<String, u64> {
        self.counts.clone()
    }
}

pub async fn front_door(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let service = Service::of_path(req.uri().path());
    let client_request_id = req.headers().get(CLIENT_REQUEST_ID).cloned();
    let ctx = RequestCtx {
        request_id: uuid::Uuid::new_v4().to_string(),
        client_request_id: client_request_id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        service,
    };
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    req.extensions_mut().insert(ctx.clone());

    let mut who = Who::default();
    let mut response = match service {
        Service::Teams | Service::Graph => {
            match auth::authenticate(&app, req.method(), req.uri().path(), req.headers(), &ctx) {
                Ok(caller) => {
                    who = Who {
                        tenant_id: Some(caller.tenant_id.clone()),
                        client_id: Some(caller.client_id.clone()),
                    };
                    let _counted = app.in_flight().enter(&caller.tenant_id);
                    req.extensions_mut().insert(caller);
                    let (latency, fault, shapes) = {
                        let store = app.store();
                        let settings = &store.state().settings;
                        (
                            settings.latency_ms,
                            settings.faults.roll(&method, &path, app.fault_dice()),
                            settings.answer_shapes.clone(),
                        )
                    };
                    if latency > 0 {
                        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
                    }
                    let http_method = req.method().clone();
                    let answer = match fault {
                        Fault::None => next.run(req).await,
                        Fault::Status(status, retry_after) => {
                            faults::status_response(status, retry_after)
                        }
                        Fault::Drop => faults::cut_connection(),
                        Fault::LoseAnswer => {
                            let _ = next.run(req).await;
                            faults::cut_connection()
                        }
                        Fault::Slow(delay) => {
                            tokio::time::sleep(delay).await;
                            next.run(req).await
                        }
                    };
                    shapes::reshape(answer, service, &http_method, &shapes).await
                }
                Err(mut rejected) => {
                    who = std::mem::take(&mut rejected.who);
                    rejected.render(&ctx)
                }
            }
        }
        Service::Login | Service::Admin => next.run(req).await,
    };
    if let Some(w) = response.extensions().get::<Who>() {
        who = w.clone();
    }

    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&ctx.request_id) {
        headers.insert(REQUEST_ID, v);
    }
    if let Some(v) = client_request_id {
        headers.insert(CLIENT_REQUEST_ID, v);
    }

    let status = if response.extensions().get::<faults::Cut>().is_some() {
        0
    } else {
        response.status().as_u16()
    };
    if app.log_to_stderr() {
        eprintln!(
            "teamsphone-emulator: {method} {path} -> {status} [{}] request-id={}",
            service.as_str(),
            ctx.request_id
        );
    }
    if service != Service::Admin {
        app.log().push(LogEntry {
            seq: 0,
            method,
            path,
            query,
            status,
            service,
            tenant_id: who.tenant_id,
            client_id: who.client_id,
            request_id: ctx.request_id,
        });
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_services() {
        assert_eq!(
            Service::of_path("/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token"),
            Service::Login
        );
        assert_eq!(
            Service::of_path("/contoso.onmicrosoft.com/oauth2/v2.0/token"),
            Service::Login
        );
        assert_eq!(Service::of_path("//oauth2/v2.0/token"), Service::Teams);
        assert_eq!(Service::of_path("/v1.0/users"), Service::Graph);
        assert_eq!(Service::of_path("/beta/users"), Service::Graph);
        assert_eq!(Service::of_path("/_emulator/health"), Service::Admin);
        assert_eq!(
            Service::of_path("/Skype.Policy/configurations/TeamsSharedCallingRoutingPolicy"),
            Service::Teams
        );
        assert_eq!(
            Service::of_path("/Teams.PlatformService/v2/ApplicationInstances"),
            Service::Teams
        );
        assert_eq!(Service::of_path("/"), Service::Teams);
    }

    #[test]
    fn log_is_bounded_and_numbers_keep_counting() {
        let entry = || LogEntry {
            seq: 0,
            method: "GET".into(),
            path: "/".into(),
            query: None,
            status: 200,
            service: Service::Teams,
            tenant_id: None,
            client_id: None,
            request_id: String::new(),
        };
        let mut log = RequestLog::default();
        for _ in 0..LOG_CAPACITY + 5 {
            log.push(entry());
        }
        let entries = log.entries();
        assert_eq!(entries.len(), LOG_CAPACITY);
        assert_eq!(entries[0].seq, 6);
        assert_eq!(log.counts()["teams GET /"], LOG_CAPACITY as u64 + 5);
        log.clear();
        log.push(entry());
        assert_eq!(log.entries()[0].seq, LOG_CAPACITY as u64 + 6);
        assert_eq!(log.counts()["teams GET /"], 1);
        assert_eq!(
            request_kind(
                "GET",
                "/v1.0/admin/teams/userConfigurations/aaaaaaaa-0000-0000-0000-000000000001"
            ),
            "GET /v1.0/admin/teams/userConfigurations/{}"
        );
    }

    #[test]
    fn counts_keep_a_bounded_number_of_kinds() {
        let entry = |method: &str, path: String| LogEntry {
            seq: 0,
            method: method.into(),
            path,
            query: None,
            status: 404,
            service: Service::Teams,
            tenant_id: None,
            client_id: None,
            request_id: String::new(),
        };
        let mut log = RequestLog::default();
        log.push(entry("GET", "/known".into()));
        // Unique short names (no digits, no id punctuation) and unique methods each make a kind.
        let letters = |mut n: usize| {
            let mut word = String::new();
            loop {
                word.push((b'a' + (n % 26) as u8) as char);
                n /= 26;
                if n == 0 {
                    return word;
                }
            }
        };
        let sprayed = 3 * MAX_COUNTED_KINDS;
        for n in 0..sprayed {
            log.push(entry("GET", format!("/spray/{}", letters(n))));
            log.push(entry(
                &format!("X{}", letters(n).to_uppercase()),
                "/".into(),
            ));
        }
        log.push(entry("GET", "/known".into()));
        let counts = log.counts();
        assert!(
            counts.len() <= MAX_COUNTED_KINDS + 4,
            "{} kinds kept",
            counts.len()
        );
        assert_eq!(counts["teams GET /known"], 2, "a kept kind keeps counting");
        let total: u64 = counts.values().sum();
        assert_eq!(total, 2 * sprayed as u64 + 2, "no request goes uncounted");
        assert_eq!(
            counts[&overflow_kind(Service::Teams)],
            total - MAX_COUNTED_KINDS as u64 - 1
        );
        log.clear();
        assert!(log.counts().is_empty());
    }
}
