//! The built binary against hostile endpoints: `export` as a subprocess, and terraform with values
//! that once panicked the plugin.
//!
//! The client's own tests (`src/client/hostile_tests.rs`) cover each misbehaviour in depth; these
//! check the same guarantees hold end to end, through the code a user runs: the process exits with a
//! clear message in bounded time, does not panic, never sends the secret or a token to the host a
//! redirect names, and prints neither. The server is a few lines of blocking std networking, one
//! thread per connection, answering whatever bytes the test scripts.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{provider_block, seed, Emulator, Run, Workdir, CLIENT_ID, TENANT_ID};

const SECRET: &str = "hostile-acceptance-secret-7Wq~";
const TOKEN: &str = "hostile-acceptance-bearer-token-1";
/// Longest an export against a hostile server may take.
const BOUND: Duration = Duration::from_secs(60);

enum Answer {
    Raw(Vec<u8>),
    /// A head, then this many bytes of filler until the client hangs up.
    Endless(String, usize),
}

type Script = dyn Fn(&str) -> Answer + Send + Sync;

struct Server {
    url: String,
    port: u16,
    /// Every request received, head and body, as text.
    seen: Arc<Mutex<Vec<String>>>,
}

fn respond(status: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    Answer::Raw(head.into_bytes())
}

fn read_request(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..at]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= at + 4 + length {
                break;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

impl Server {
    fn start(script: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (log, script) = (log.clone(), script.clone());
                std::thread::spawn(move || {
                    let request = read_request(&mut stream);
                    log.lock().unwrap().push(request.clone());
                    match script(&request) {
                        Answer::Raw(bytes) => {
                            let _ = stream.write_all(&bytes);
                        }
                        Answer::Endless(head, total) => {
                            let _ = stream.write_all(head.as_bytes());
                            let filler = vec![b' '; 64 * 1024];
                            let mut sent = 0;
                            while sent < total && stream.write_all(&filler).is_ok() {
                                sent += filler.len();
                            }
                        }
                    }
                });
            }
        });
        Server {
            url: format!("http://127.0.0.1:{port}"),
            port,
            seen,
        }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn token_login() -> Server {
    Server::start(|_| {
        respond(
            "200 OK",
            &[("Content-Type", "application/json")],
            &json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3599}).to_string(),
        )
    })
}

/// `export` against `login` and `api`; must fail within [`BOUND`] without a panic or a leak.
fn export_fails(case: &str, login: &Server, api: &Server) -> String {
    let out = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_terraform-provider-teamsphone"));
    command
        .arg("export")
        .arg("--out")
        .arg(out.path().join("exported"));
    for var in [
        "ARM_TENANT_ID",
        "ARM_CLIENT_ID",
        "ARM_CLIENT_SECRET",
        "ARM_USE_OIDC",
    ] {
        command.env_remove(var);
    }
    command
        .env("TEAMSPHONE_TENANT_ID", TENANT_ID)
        .env("TEAMSPHONE_CLIENT_ID", CLIENT_ID)
        .env("TEAMSPHONE_CLIENT_SECRET", SECRET)
        .env("TEAMSPHONE_LOGIN_ENDPOINT", &login.url)
        .env("TEAMSPHONE_GRAPH_ENDPOINT", &api.url)
        .env("TEAMSPHONE_TEAMS_ENDPOINT", &api.url)
        .env("RUST_BACKTRACE", "1");
    let started = Instant::now();
    let run = Run::from_output(command.output().expect("the plugin binary runs"));
    let elapsed = started.elapsed();
    let text = run.all();
    println!(
        "export, {case} ({elapsed:?}, exit {}): {}",
        run.code,
        text.trim()
    );
    assert_eq!(run.code, 1, "{case}: {text}");
    assert!(elapsed < BOUND, "{case}: took {elapsed:?}");
    assert!(!text.contains("panicked"), "{case}: {text}");
    assert!(!text.contains(SECRET), "{case}: the secret leaked: {text}");
    assert!(!text.contains(TOKEN), "{case}: the token leaked: {text}");
    text
}

#[test]
fn export_refuses_a_login_redirect_and_never_sends_the_secret_elsewhere() {
    let elsewhere = token_login();
    let target = format!("http://127.0.0.1:{}/steal?q=1", elsewhere.port);
    let login = Server::start(move |_| {
        respond(
            "307 Temporary Redirect",
            &[("Location", target.as_str())],
            "",
        )
    });
    let api = Server::start(|_| respond("200 OK", &[], "[]"));
    let text = export_fails("login 307", &login, &api);
    assert!(
        text.contains("307") && text.contains(&format!("127.0.0.1:{}", elsewhere.port)),
        "{text}"
    );
    assert!(!text.contains("steal"), "{text}");
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.seen());
    assert!(api.seen().is_empty());
}

#[test]
fn export_refuses_an_api_redirect_and_never_sends_the_token_elsewhere() {
    let elsewhere = Server::start(|_| respond("200 OK", &[], "[]"));
    let target = format!("http://127.0.0.1:{}/Skype.Policy/x", elsewhere.port);
    let login = token_login();
    let api = Server::start(move |_| {
        respond(
            "308 Permanent Redirect",
            &[("Location", target.as_str())],
            "",
        )
    });
    let text = export_fails("API 308", &login, &api);
    assert!(
        text.contains("308") && text.contains("teams_endpoint"),
        "{text}"
    );
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.seen());
}

#[test]
fn export_stops_reading_a_256_mib_answer_and_scrubs_an_echoed_request() {
    let login = token_login();
    let api = Server::start(|_| {
        Answer::Endless(
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n".into(),
            256 * 1024 * 1024,
        )
    });
    let text = export_fails("256 MiB body", &login, &api);
    assert!(text.contains("larger than 32 MiB"), "{text}");

    // The API echoes the request, bearer token included, in its error message.
    let api = Server::start(|request| {
        respond(
            "400 Bad Request",
            &[("Content-Type", "application/json")],
            &json!({"error": {"code": "Echo", "message": request}}).to_string(),
        )
    });
    let text = export_fails("echoed request", &login, &api);
    assert!(text.contains("Bearer ***"), "{text}");
    assert!(
        api.seen().iter().any(|r| r.contains(TOKEN)),
        "the request carried the token"
    );
}

/// A resource account with `extra` lines in its block, so terraform validates and configures.
fn account(provider: &str, extra: &str) -> String {
    format!(
        "{provider}\nresource \"teamsphone_resource_account\" \"a\" {{\n  user_principal_name = \"aa@contoso.onmicrosoft.com\"\n  display_name = \"AA\"\n  account_type = \"auto_attendant\"\n{extra}}}\n"
    )
}

#[test]
fn values_that_once_panicked_the_plugin_are_diagnostics_on_their_attribute() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let provider = provider_block(&emulator).replace(
        "provider \"teamsphone\" {",
        "provider \"teamsphone\" {\n  max_concurrent_requests = 1.5",
    );
    work.write(&account(&provider, ""));
    let out = work.plan_fails();
    assert!(
        out.contains("Invalid max_concurrent_requests")
            && out.contains("1.5 is not a whole number"),
        "{out}"
    );
    work.write(&account(
        &provider_block(&emulator),
        "  timeouts {\n    create = \"99999999999999999999h\"\n  }\n",
    ));
    let out = work.plan_fails();
    assert!(
        out.contains("Invalid timeouts.create") && out.contains("longer than 24h"),
        "{out}"
    );
}
