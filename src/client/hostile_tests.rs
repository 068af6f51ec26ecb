//! The client against endpoints that misbehave on purpose.
//!
//! The emulator is a well-mannered server; these tests are not about the contract but about what a
//! broken, compromised or malicious endpoint can make the client do. [`Hostile`] is a loopback TCP
//! server that answers whatever bytes a test scripts (a redirect to a second listener, numbers that
//! overflow, pages that never end, a body of 256 MiB, the request echoed back) and records every
//! request it got. For each case the test asserts the client neither panics nor hangs: it returns a
//! clear error within a bounded time (printed, for a reader of `--nocapture`), and neither the client
//! secret nor a bearer token reaches the second listener or the error text.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::api::number_operations::WaitError;
use super::http::retry::RetryPolicy;
use super::{ApiError, Client, ClientConfig, Credential, Environment, Secret};
use teamsphone_contract::{GRAPH_SCOPE, TEAMS_SCOPE};

const SECRET: &str = "hostile-test-secret-9f3Kq~";
/// Every token the hostile login hands out starts with this, so a leak is easy to spot.
const TOKEN_PREFIX: &str = "hostile-bearer-token-";
/// Longest any case may take; the retry budget below is 2 s.
const BOUND: Duration = Duration::from_secs(20);

/// One request as the hostile server read it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query, as sent.
    target: String,
    /// The whole request, head and body, for leak checks.
    raw: String,
    body: String,
}

impl Seen {
    fn query(&self, key: &str) -> Option<String> {
        let url = Url::parse(&format!("http://x{}", self.target)).ok()?;
        let found = url.query_pairs().find(|(k, _)| k == key);
        found.map(|(_, v)| v.into_owned())
    }
}

/// What the server sends back.
enum Answer {
    /// These bytes, then close.
    Raw(Vec<u8>),
    /// A head, then `total` bytes of filler as fast as the client takes them, then close.
    Endless { head: String, total: usize },
    /// Wait, then answer.
    Later(Duration, Box<Answer>),
}

type Script = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

/// A loopback server answering by script; `seen` holds every request, `written` counts filler bytes
/// the client accepted.
struct Hostile {
    url: String,
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    written: Arc<AtomicUsize>,
}

fn respond(status: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    Answer::Raw([head.as_bytes(), body.as_bytes()].concat())
}

fn json(status: &str, body: &str) -> Answer {
    respond(status, &[("Content-Type", "application/json")], body)
}

fn token_answer(n: usize, expires_in: &str) -> Answer {
    json(
        "200 OK",
        &format!(
            r#"{{"access_token":"{TOKEN_PREFIX}{n}","token_type":"Bearer","expires_in":{expires_in}}}"#
        ),
    )
}

impl Hostile {
    async fn start(script: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let written = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let (s, w) = (seen.clone(), written.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (s, w, script) = (s.clone(), w.clone(), script.clone());
                tokio::spawn(async move { serve(stream, s, w, script).await });
            }
        });
        Hostile {
            url: format!("http://127.0.0.1:{port}/"),
            port,
            seen,
            written,
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, pred: impl Fn(&Seen) -> bool) -> usize {
        self.seen().iter().filter(|s| pred(s)).count()
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut first = head.lines().next().unwrap_or("").split(' ');
    Some(Seen {
        method: first.next().unwrap_or("").to_string(),
        target: first.next().unwrap_or("").to_string(),
        raw: String::from_utf8_lossy(&buf).into_owned(),
        body: String::from_utf8_lossy(&buf[head_end..]).into_owned(),
    })
}

async fn serve(
    mut stream: TcpStream,
    seen: Arc<Mutex<Vec<Seen>>>,
    written: Arc<AtomicUsize>,
    script: Arc<Script>,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut seen = seen.lock().unwrap();
        seen.push(request.clone());
        seen.len() - 1
    };
    let mut answer = script(&request, index);
    while let Answer::Later(wait, inner) = answer {
        tokio::time::sleep(wait).await;
        answer = *inner;
    }
    match answer {
        Answer::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
        }
        Answer::Endless { head, total } => {
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let filler = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < total {
                // The client hanging up is the point of the test, not a failure.
                if stream.write_all(&filler).await.is_err() {
                    break;
                }
                sent += filler.len();
                written.fetch_add(filler.len(), Ordering::Relaxed);
            }
        }
        Answer::Later(..) => unreachable!("unwrapped above"),
    }
    let _ = stream.shutdown().await;
}

fn client(login: &str, api: &str) -> Client {
    Client::new(ClientConfig {
        tenant_id: "t-hostile".into(),
        client_id: "c-hostile".into(),
        credential: Credential::ClientSecret(Secret::new(SECRET)),
        environment: Environment::Global,
        login_endpoint: Url::parse(login).unwrap(),
        graph_endpoint: Url::parse(api).unwrap(),
        teams_endpoint: Url::parse(api).unwrap(),
        retry: RetryPolicy {
            base: Duration::from_millis(10),
            max_delay: Duration::from_millis(200),
            budget: Duration::from_secs(2),
        },
        request_timeout: Duration::from_secs(10),
        max_concurrent_requests: 4,
        policy_assignment_route: Default::default(),
        wire_log: None,
    })
    .unwrap()
}

/// A login that hands out token `n` for every request.
fn good_login(_: &Seen, n: usize) -> Answer {
    token_answer(n, "3599")
}

/// Runs `call`, requires it to fail within [`BOUND`], prints and returns the error text after
/// checking it carries no credential.
async fn fails<T: std::fmt::Debug>(
    case: &str,
    call: impl std::future::Future<Output = Result<T, ApiError>>,
) -> String {
    let started = Instant::now();
    let result = tokio::time::timeout(BOUND, call)
        .await
        .unwrap_or_else(|_| panic!("{case}: no answer within {BOUND:?}"));
    let error = match result {
        Ok(v) => panic!("{case}: expected an error, got {v:?}"),
        Err(e) => e.to_string(),
    };
    println!("{case} ({:?}): {error}", started.elapsed());
    assert_clean(case, &error);
    error
}

fn assert_clean(case: &str, text: &str) {
    assert!(!text.contains(SECRET), "{case}: the secret leaked: {text}");
    assert!(
        !text.contains(TOKEN_PREFIX),
        "{case}: a bearer token leaked: {text}"
    );
}

#[tokio::test]
async fn a_login_redirect_is_refused_and_the_secret_stays_home() {
    let elsewhere = Hostile::start(|_, n| token_answer(n, "3599")).await;
    let target = format!("http://127.0.0.1:{}/steal?client_secret=x", elsewhere.port);
    let login = Hostile::start(move |_, _| {
        respond(
            "307 Temporary Redirect",
            &[("Location", target.as_str())],
            "",
        )
    })
    .await;
    let api = Hostile::start(|_, _| json("200 OK", "[]")).await;
    let c = client(&login.url, &api.url);
    let error = fails(
        "login 307",
        c.list_cs_teams_shared_calling_routing_policies(),
    )
    .await;
    assert!(error.contains("307"), "{error}");
    assert!(
        error.contains(&format!("127.0.0.1:{}", elsewhere.port)),
        "{error}"
    );
    assert!(
        error.contains("login_endpoint") && !error.contains("steal"),
        "{error}"
    );
    assert!(
        elsewhere.seen().is_empty(),
        "the form was re-posted elsewhere"
    );
    assert_eq!(api.seen().len(), 0, "no API call without a token");
}

#[tokio::test]
async fn an_api_redirect_is_refused_and_the_token_stays_home() {
    let elsewhere = Hostile::start(|_, _| json("200 OK", "[]")).await;
    let target = format!("http://127.0.0.1:{}/v1.0/x?y=1", elsewhere.port);
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(move |_, _| {
        respond(
            "307 Temporary Redirect",
            &[("Location", target.as_str())],
            "",
        )
    })
    .await;
    let c = client(&login.url, &api.url);
    let error = fails("API 307", c.list_cs_teams_shared_calling_routing_policies()).await;
    assert!(
        error.contains("teams_endpoint") && error.contains("307"),
        "{error}"
    );
    assert!(
        elsewhere.seen().is_empty(),
        "the bearer token went elsewhere"
    );
    // A redirect is not transient: one request, no retries.
    assert_eq!(api.seen().len(), 1);
}

#[tokio::test]
async fn huge_expires_in_and_retry_after_on_a_token_answer_do_not_panic() {
    // u64::MAX once overflowed Instant + Duration; a Retry-After of 1e20 on the same 200 answer
    // once panicked in Duration::from_secs_f64 before the status was even looked at.
    let login = Hostile::start(|_, n| {
        let body =
            format!(r#"{{"access_token":"{TOKEN_PREFIX}{n}","expires_in":18446744073709551615}}"#);
        respond(
            "200 OK",
            &[
                ("Content-Type", "application/json"),
                ("Retry-After", "1e20"),
            ],
            &body,
        )
    })
    .await;
    let api = Hostile::start(|_, _| json("200 OK", "[]")).await;
    let c = client(&login.url, &api.url);
    let started = Instant::now();
    let policies = tokio::time::timeout(BOUND, c.list_cs_teams_shared_calling_routing_policies())
        .await
        .unwrap()
        .unwrap();
    println!(
        "expires_in 2^64-1 ({:?}): ok, {policies:?}",
        started.elapsed()
    );
    // The clamped token is cached and reused.
    c.list_cs_teams_shared_calling_routing_policies()
        .await
        .unwrap();
    assert_eq!(login.seen().len(), 1);
}

/// One `Retry-After` value, on a throttled API answer and on a throttled sign-in.
async fn throttled_with(value: &'static str) {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(move |_, _| {
        respond(
            "429 Too Many Requests",
            &[("Retry-After", value)],
            r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#,
        )
    })
    .await;
    let c = client(&login.url, &api.url);
    let started = Instant::now();
    let error = fails(
        &format!("API 429 Retry-After {value:?}"),
        c.list_cs_teams_shared_calling_routing_policies(),
    )
    .await;
    assert!(
        error.contains("429") && error.contains("gave up"),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(api.seen().len() >= 2, "throttled calls are retried");

    let login = Hostile::start(move |_, _| {
        respond(
            "429 Too Many Requests",
            &[("Retry-After", value), ("Content-Type", "application/json")],
            r#"{"error":"temporarily_unavailable","error_description":"busy"}"#,
        )
    })
    .await;
    let c = client(&login.url, &api.url);
    let started = Instant::now();
    let error = fails(
        &format!("login 429 Retry-After {value:?}"),
        c.list_cs_teams_shared_calling_routing_policies(),
    )
    .await;
    assert!(error.contains("temporarily_unavailable"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn hostile_retry_after_values_end_in_a_clear_error_in_bounded_time() {
    // Each value on its own task, so the cases (each a 2 s retry budget, twice) run side by side.
    let cases: Vec<_> = [
        "1e20",
        "18446744073709551616",
        "-5",
        "NaN",
        "garbage ;; soon",
    ]
    .into_iter()
    .map(|value| tokio::spawn(throttled_with(value)))
    .collect();
    for case in cases {
        case.await.unwrap();
    }
}

#[tokio::test]
async fn an_operation_poll_with_a_huge_retry_after_times_out_cleanly() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|_, _| {
        respond(
            "200 OK",
            &[
                ("Content-Type", "application/json"),
                ("Retry-After", "18446744073709551616"),
            ],
            r#"{"id":"op-1","status":"running"}"#,
        )
    })
    .await;
    let c = client(&login.url, &api.url);
    let started = Instant::now();
    let deadline = started + Duration::from_millis(800);
    let error = tokio::time::timeout(BOUND, c.wait_for_number_operation("op-1", deadline))
        .await
        .unwrap()
        .unwrap_err();
    println!(
        "operation poll Retry-After 2^64 ({:?}): {error}",
        started.elapsed()
    );
    assert!(matches!(error, WaitError::TimedOut { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

/// A Graph page whose `@odata.nextLink` is `next`.
fn graph_page(next: &str) -> Answer {
    json(
        "200 OK",
        &format!(r#"{{"value":[],"@odata.nextLink":"{next}"}}"#),
    )
}

#[tokio::test]
async fn a_self_link_and_an_endless_next_link_stop_with_an_error() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|seen, _| {
        if seen.target.contains("userConfigurations") {
            // Every page links to itself.
            graph_page("/v1.0/admin/teams/userConfigurations?$top=1000")
        } else {
            // Every page links to a new one, for ever.
            let page: usize = seen.query("page").and_then(|p| p.parse().ok()).unwrap_or(0);
            graph_page(&format!(
                "/v1.0/admin/teams/telephoneNumberManagement/numberAssignments?page={}",
                page + 1
            ))
        }
    })
    .await;
    let c = client(&login.url, &api.url);
    let error = fails(
        "nextLink to itself",
        c.list_mg_teams_user_configurations(None),
    )
    .await;
    assert!(error.contains("already followed"), "{error}");
    assert_eq!(api.count(|s| s.target.contains("userConfigurations")), 2);

    let error = fails("endless nextLink", c.list_cs_phone_number_assignments("")).await;
    assert!(error.contains("after 1000 pages"), "{error}");
    assert_eq!(api.count(|s| s.target.contains("numberAssignments")), 1000);
}

#[tokio::test]
async fn a_skip_token_cycle_stops_with_an_error() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|seen, _| {
        let next = match seen.query("skipToken").as_deref() {
            None | Some("B") => "A",
            _ => "B",
        };
        json(
            "200 OK",
            &format!(
                r#"{{"applicationInstances":[{{"objectId":"o-{next}","userPrincipalName":"{next}@x"}}],"skipToken":"{next}"}}"#
            ),
        )
    })
    .await;
    let c = client(&login.url, &api.url);
    let error = fails("skipToken A/B", c.list_cs_online_application_instances()).await;
    assert!(
        error.contains("already followed") && error.contains("skipToken"),
        "{error}"
    );
    assert_eq!(
        api.seen().len(),
        3,
        "first page, A, B; then A again is refused"
    );
}

#[tokio::test]
async fn a_256_mib_body_is_streamed_up_to_the_cap_and_refused() {
    const BIG: usize = 256 * 1024 * 1024;
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|seen, _| {
        // No Content-Length: the body ends when the server closes, so only streaming can stop it.
        let status = if seen.target.contains("configuration/") {
            "500 Internal Server Error"
        } else {
            "200 OK"
        };
        Answer::Endless {
            head: format!(
                "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n"
            ),
            total: BIG,
        }
    })
    .await;
    let c = client(&login.url, &api.url);
    let error = fails(
        "256 MiB success body",
        c.list_cs_teams_shared_calling_routing_policies(),
    )
    .await;
    assert!(error.contains("larger than 32 MiB"), "{error}");
    let written = api.written.load(Ordering::Relaxed);
    assert!(
        written < 96 * 1024 * 1024,
        "the client read {written} bytes of a body it should have cut at 32 MiB"
    );

    let before = api.written.load(Ordering::Relaxed);
    let error = fails(
        "256 MiB error body",
        c.get_cs_teams_shared_calling_routing_policy("Tag:x"),
    )
    .await;
    assert!(error.contains("500"), "{error}");
    assert!(
        error.len() < 2000,
        "the quoted body is cut short: {} bytes",
        error.len()
    );
    let written = api.written.load(Ordering::Relaxed) - before;
    assert!(
        written < 32 * 1024 * 1024,
        "{written} bytes read of an error body"
    );
}

#[tokio::test]
async fn an_error_body_that_echoes_the_request_leaks_no_credential() {
    let login = Hostile::start(|seen, n| {
        if seen
            .body
            .contains(&format!("scope={}", url_form(GRAPH_SCOPE)))
        {
            // The login echoes the whole form, secret included, padded past any sensible length.
            let description = format!("{} {}", seen.raw.replace('"', "'"), "x".repeat(20_000));
            json(
                "401 Unauthorized",
                &serde_json::json!({"error": "invalid_client", "error_description": description})
                    .to_string(),
            )
        } else {
            token_answer(n, "3599")
        }
    })
    .await;
    let api = Hostile::start(|seen, _| {
        // The API echoes the request (with its Authorization header) as JSON and as plain text.
        if seen.target.contains("Skype.Policy") {
            json(
                "400 Bad Request",
                &serde_json::json!({"error": {"code": "Echo", "message": seen.raw}}).to_string(),
            )
        } else {
            respond("502 Bad Gateway", &[], &seen.raw)
        }
    })
    .await;
    let c = client(&login.url, &api.url);
    let error = fails(
        "Teams API echo",
        c.list_cs_teams_shared_calling_routing_policies(),
    )
    .await;
    assert!(
        error.contains("400") && error.contains("Bearer ***"),
        "{error}"
    );
    let error = fails("login echo", c.get_mg_user("someone")).await;
    assert!(error.contains("invalid_client"), "{error}");
    assert!(
        error.len() < 1000,
        "error_description is cut short: {} bytes",
        error.len()
    );
    assert!(
        login
            .seen()
            .iter()
            .any(|s| s.body.contains("client_secret=")),
        "the test must echo a request that carried the secret"
    );
}

fn url_form(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn concurrent_callers_share_one_failed_sign_in_and_it_is_remembered() {
    let login = Hostile::start(|_, _| {
        Answer::Later(
            Duration::from_millis(300),
            Box::new(json(
                "400 Bad Request",
                r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#,
            )),
        )
    })
    .await;
    let api = Hostile::start(|_, _| json("200 OK", "[]")).await;
    let c = Arc::new(client(&login.url, &api.url));
    let started = Instant::now();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.list_cs_teams_shared_calling_routing_policies().await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err().to_string();
        assert!(error.contains("AADSTS7000215"), "{error}");
    }
    // One fetch for all eight callers, and the failure answers a ninth without asking again.
    assert_eq!(login.seen().len(), 1, "{:?}", login.seen());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    c.list_cs_teams_shared_calling_routing_policies()
        .await
        .unwrap_err();
    assert_eq!(login.seen().len(), 1);
}

#[tokio::test]
async fn a_slow_sign_in_for_one_scope_does_not_hold_up_the_other() {
    let teams_scope = url_form(TEAMS_SCOPE);
    let login = Hostile::start(move |seen, n| {
        if seen.body.contains(&teams_scope) {
            Answer::Later(Duration::from_secs(3), Box::new(token_answer(n, "3599")))
        } else {
            token_answer(n, "3599")
        }
    })
    .await;
    let api = Hostile::start(|seen, _| {
        if seen.target.contains("/users/") {
            json("200 OK", r#"{"id":"u-1","userPrincipalName":"a@x"}"#)
        } else {
            json("200 OK", "[]")
        }
    })
    .await;
    let c = Arc::new(client(&login.url, &api.url));
    let teams = {
        let c = c.clone();
        tokio::spawn(async move { c.list_cs_teams_shared_calling_routing_policies().await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let user = c.get_mg_user("a@x").await.unwrap();
    assert!(user.is_some());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the Graph call waited for the Teams sign-in: {:?}",
        started.elapsed()
    );
    teams.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_401_drops_the_token_only_if_it_is_still_the_one_that_failed() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|_, _| json("200 OK", "[]")).await;
    let c = client(&login.url, &api.url);
    let tokens = c.transport.tokens();
    let first = tokens.token(TEAMS_SCOPE).await.unwrap();
    // A caller that saw an older token fail must not throw away the current one.
    tokens
        .invalidate(TEAMS_SCOPE, &Secret::new(format!("{TOKEN_PREFIX}older")))
        .await;
    assert_eq!(tokens.token(TEAMS_SCOPE).await.unwrap(), first);
    assert_eq!(login.seen().len(), 1);
    tokens.invalidate(TEAMS_SCOPE, &first).await;
    let second = tokens.token(TEAMS_SCOPE).await.unwrap();
    assert_ne!(second, first);
    assert_eq!(login.seen().len(), 2);
    // A 401 from the API fetches a fresh token once and tries again.
    let api_401 = Hostile::start(|seen, _| {
        if seen.raw.contains(&format!("{TOKEN_PREFIX}0")) {
            json(
                "401 Unauthorized",
                r#"{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}"#,
            )
        } else {
            json("200 OK", "[]")
        }
    })
    .await;
    let login = Hostile::start(good_login).await;
    let c = client(&login.url, &api_401.url);
    c.list_cs_teams_shared_calling_routing_policies()
        .await
        .unwrap();
    assert_eq!(login.seen().len(), 2);
    assert_eq!(api_401.seen().len(), 2);
    assert!(api_401.seen().iter().all(|s| s.method == "GET"));
}

#[tokio::test]
async fn only_an_account_of_the_same_upn_and_application_is_found_for_adoption() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|seen, _| {
        if seen.target.contains("/users/") {
            json("200 OK", r#"{"id":"o-1","userPrincipalName":"AA@x.com"}"#)
        } else {
            json(
                "200 OK",
                r#"{"objectId":"o-1","userPrincipalName":"aa@x.com","applicationId":"app-1"}"#,
            )
        }
    })
    .await;
    let c = client(&login.url, &api.url);
    let soon = Instant::now() + Duration::from_secs(1);
    let found = c
        .find_cs_online_application_instance("aa@x.com", "APP-1", soon)
        .await
        .unwrap();
    assert_eq!(found.map(|i| i.object_id), Some("o-1".to_string()));
    // Another account type under the same name is someone else's account: not adopted.
    let other = c
        .find_cs_online_application_instance("aa@x.com", "app-2", soon)
        .await
        .unwrap();
    assert_eq!(other, None);
}

#[tokio::test]
async fn teams_calls_name_their_cmdlet_and_graph_calls_do_not() {
    // Not hostile, but this server shows the request head byte for byte.
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|seen, _| {
        if seen.target.starts_with("/v1.0/") {
            json(
                "404 Not Found",
                r#"{"error":{"code":"Request_ResourceNotFound","message":"no"}}"#,
            )
        } else {
            json("200 OK", "[]")
        }
    })
    .await;
    let c = client(&login.url, &api.url);
    c.list_cs_teams_shared_calling_routing_policies()
        .await
        .unwrap();
    assert_eq!(c.get_mg_user("ann@contoso.com").await.unwrap(), None);
    let seen = api.seen();
    let head = |s: &Seen| s.raw.split("\r\n\r\n").next().unwrap_or("").to_lowercase();
    let teams = seen
        .iter()
        .find(|s| s.target.starts_with("/Skype.Policy/"))
        .unwrap();
    assert!(
        head(teams).contains("\r\nx-ms-cmdletname: get-csteamssharedcallingroutingpolicy"),
        "{}",
        teams.raw
    );
    let graph = seen
        .iter()
        .find(|s| s.target.starts_with("/v1.0/"))
        .unwrap();
    assert!(!head(graph).contains("x-ms-cmdletname"), "{}", graph.raw);
}

#[tokio::test]
async fn an_association_answered_pending_in_another_shape_is_followed_and_named_by_cmdlet() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(
        |seen, _| match (seen.method.as_str(), seen.target.as_str()) {
            // Wrapped results, Status as a name, an id in another letter case.
            ("POST", _) => json(
                "200 OK",
                r#"{"results":[{"id":"EP-1","status":"Pending"}]}"#,
            ),
            (_, t) if t.ends_with("/status") => json("200 OK", r#"{"Id":"ep-1","Status":3}"#),
            (_, t) if t.ends_with("/ep-2") => {
                json("200 OK", r#"[{"Id":"someone-else","Status":3}]"#)
            }
            _ => json("200 OK", r#"[{"Id":"x"}]"#),
        },
    )
    .await;
    let c = client(&login.url, &api.url);
    let new = crate::client::api::voice_apps::NewAssociation {
        endpoints_ids: vec!["ep-1".into()],
        configuration_id: "cfg".into(),
        configuration_type: crate::client::api::voice_apps::ConfigurationType::AutoAttendant,
        call_priority: 3,
    };
    let done = c
        .associate_application_instance(&new, Instant::now() + Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(done.problem(), None, "{done:?}");
    // A result about another endpoint, or an association without its type, is an error.
    let other = c
        .remove_cs_online_application_instance_association("ep-2")
        .await;
    assert!(other.unwrap_err().to_string().contains("another endpoint"));
    let bare = c
        .get_cs_online_application_instance_association("ep-3")
        .await;
    assert!(
        bare.unwrap_err()
            .to_string()
            .contains("without \"ConfigurationType\""),
        "a missing field is named"
    );
    let head = |s: &Seen| s.raw.split("\r\n\r\n").next().unwrap_or("").to_lowercase();
    for (method, cmdlet) in [
        ("POST", "new-csonlineapplicationinstanceassociation"),
        ("GET", "get-csonlineapplicationinstanceassociationstatus"),
        ("DELETE", "remove-csonlineapplicationinstanceassociation"),
    ] {
        let seen = api.seen();
        let call = seen.iter().find(|s| s.method == method).unwrap();
        assert!(
            head(call).contains(&format!("\r\nx-ms-cmdletname: {cmdlet}\r\n")),
            "{}",
            call.raw
        );
    }
}

fn configuration_page(from: usize, count: usize) -> String {
    let users: Vec<String> = (from..from + count)
        .map(|i| format!(r#"{{"id":"u{i}","userPrincipalName":"u{i}@contoso.com"}}"#))
        .collect();
    format!(r#"{{"value":[{}]}}"#, users.join(","))
}

#[tokio::test]
async fn a_full_configuration_page_without_a_link_continues_by_skip() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|seen, _| match seen.query("$skip").as_deref() {
        None => json("200 OK", &configuration_page(0, 999)),
        Some("999") => json("200 OK", &configuration_page(999, 2)),
        Some(_) => json("200 OK", &configuration_page(0, 0)),
    })
    .await;
    let c = client(&login.url, &api.url);
    let users = c.list_mg_teams_user_configurations(None).await.unwrap();
    assert_eq!(users.len(), 1001);
    assert_eq!(users[1000].id, "u1000");
    let seen = api.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen
        .iter()
        .all(|s| s.query("$top").as_deref() == Some("999")));
}

#[tokio::test]
async fn a_service_that_ignores_skip_is_an_error_not_a_loop() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|_, _| json("200 OK", &configuration_page(0, 999))).await;
    let c = client(&login.url, &api.url);
    let error = fails("$skip ignored", c.list_mg_teams_user_configurations(None)).await;
    assert!(error.contains("ignored $skip"), "{error}");
    assert_eq!(api.seen().len(), 2);
}

#[tokio::test]
async fn an_auto_attendant_naming_endless_schedules_is_refused_before_any_is_read() {
    let login = Hostile::start(good_login).await;
    let api = Hostile::start(|seen, _| {
        if seen.target.ends_with("/aa-unwrapped") {
            return json("200 OK", r#"{"Id":"aa-unwrapped","Name":"x"}"#);
        }
        let associations: Vec<String> = (0..500)
            .map(|i| {
                format!(
                    r#"{{"Type":"Holiday","ScheduleId":"s{i}","CallFlowId":"f","Priority":{i}}}"#
                )
            })
            .collect();
        json(
            "200 OK",
            &format!(
                r#"{{"AutoAttendant":{{"Id":"aa","Name":"x","CallHandlingAssociations":[{}]}}}}"#,
                associations.join(",")
            ),
        )
    })
    .await;
    let c = client(&login.url, &api.url);
    let error = fails("500 associations", c.read_auto_attendant("aa")).await;
    assert!(error.contains("500 call handling associations"), "{error}");
    assert_eq!(
        api.count(|s| s.target.contains("/schedules/")),
        0,
        "no schedule read"
    );
    let error = fails("no wrapper", c.read_auto_attendant("aa-unwrapped")).await;
    assert!(
        error.contains("Get-CsAutoAttendant answered without \"AutoAttendant\""),
        "{error}"
    );
}
