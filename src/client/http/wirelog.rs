//! The redacted wire log: `TEAMSPHONE_WIRE_LOG=FILE` appends one JSON line per request and answer.
//!
//! When a first apply against a real tenant fails on something the emulator never showed us, the
//! user must be able to send us what the service said. This log is that evidence: method, URL,
//! status, when and how long, the request's and the answer's headers and both bodies, for the
//! APIs and the sign-in endpoint alike. It is written from the two places that talk to the network
//! (the transport, once per attempt, and the token fetch), never from the calls above them.
//!
//! It must be safe to attach to an issue, so everything in it passes the client's one [`Scrubber`],
//! which knows the secret, every assertion signed and every token received, and masks what merely
//! looks like one: `Authorization`, `Cookie` and `Set-Cookie` headers are left out altogether;
//! URLs, header values and bodies are scrubbed. A body is cut to [`MAX_LOGGED_BODY`] characters
//! after scrubbing (a 32 MiB page is not evidence, its first part is). The file is opened for
//! appending and created private (0600 on Unix); each line goes out in one `write` call on an
//! `O_APPEND` descriptor, so several clients (one per tenant) in one process never interleave lines.
//! A log that cannot be written is reported once at debug level and does not fail the call: the
//! log is for diagnosis, and must not turn a working apply into a failing one.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use serde_json::{json, Map, Value};

use super::scrub::Scrubber;

/// The environment variable that turns the log on.
pub const WIRE_LOG_ENV: &str = "TEAMSPHONE_WIRE_LOG";
/// Most characters of one body in the log, after scrubbing.
pub const MAX_LOGGED_BODY: usize = 16 * 1024;
/// Bytes of a body scrubbed before cutting: more than is kept, so that cutting after scrubbing
/// cannot leave the first half of a secret that straddled the cut (assertions are a few KiB).
const SCRUBBED_PREFIX: usize = MAX_LOGGED_BODY * 2 + 16 * 1024;
/// Longest header value or URL kept.
const MAX_LOGGED_VALUE: usize = 2048;
/// Headers never written, whatever their value: they carry credentials by design.
const LEFT_OUT: [&str; 4] = [
    "authorization",
    "cookie",
    "set-cookie",
    "proxy-authorization",
];

/// One exchange as the log shows it. Strings here are raw; [`WireLog::record`] scrubs them.
pub struct Exchange<'a> {
    pub service: &'a str,
    pub method: &'a str,
    pub url: &'a str,
    pub request_headers: &'a HeaderMap,
    pub request_body: Option<&'a [u8]>,
    /// `None` when no answer came (a connection failure); then `error` says why.
    pub status: Option<u16>,
    pub response_headers: Option<&'a HeaderMap>,
    pub response_body: Option<&'a [u8]>,
    pub error: Option<String>,
    pub started: SystemTime,
    pub elapsed: Duration,
}

/// An open wire log. Cloned into every place that writes it through an `Arc`.
pub struct WireLog {
    path: PathBuf,
    file: Mutex<File>,
    scrub: Scrubber,
}

impl std::fmt::Debug for WireLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WireLog({})", self.path.display())
    }
}

/// Opens `path` for appending, creating it private to the user.
pub fn open_private_append(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl WireLog {
    /// Opens the log at `path`; every line is scrubbed with `scrub`.
    pub fn open(path: &Path, scrub: Scrubber) -> std::io::Result<WireLog> {
        Ok(WireLog {
            path: path.to_path_buf(),
            file: Mutex::new(open_private_append(path)?),
            scrub,
        })
    }

    /// The line for `exchange`, scrubbed and bounded.
    pub fn line(&self, exchange: &Exchange<'_>) -> Value {
        let clean = |text: &str| self.scrub.clean(text, MAX_LOGGED_VALUE);
        let body = |bytes: Option<&[u8]>| match bytes {
            None => Value::Null,
            Some(b) => {
                let prefix = &b[..b.len().min(SCRUBBED_PREFIX)];
                let text = String::from_utf8_lossy(prefix);
                let mut kept = self.scrub.clean(&text, MAX_LOGGED_BODY);
                if b.len() > prefix.len() && !kept.ends_with('…') {
                    kept.push('…');
                }
                json!({"bytes": b.len(), "text": kept})
            }
        };
        let headers = |map: Option<&HeaderMap>| match map {
            None => Value::Null,
            Some(map) => {
                let mut out = Map::new();
                for (name, value) in map {
                    if LEFT_OUT.contains(&name.as_str()) {
                        continue;
                    }
                    let value = clean(&String::from_utf8_lossy(value.as_bytes()));
                    match out.get_mut(name.as_str()) {
                        Some(Value::String(existing)) => {
                            existing.push_str(", ");
                            existing.push_str(&value);
                        }
                        _ => {
                            out.insert(name.as_str().to_string(), Value::String(value));
                        }
                    }
                }
                Value::Object(out)
            }
        };
        json!({
            "time": httpdate::fmt_http_date(exchange.started),
            "unix_ms": exchange.started
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
            "elapsed_ms": exchange.elapsed.as_millis() as u64,
            "service": exchange.service,
            "method": exchange.method,
            "url": clean(exchange.url),
            "status": exchange.status,
            "error": exchange.error.as_deref().map(clean),
            "request_headers": headers(Some(exchange.request_headers)),
            "request_body": body(exchange.request_body),
            "response_headers": headers(exchange.response_headers),
            "response_body": body(exchange.response_body),
        })
    }

    /// Appends the line for `exchange`.
    pub fn record(&self, exchange: &Exchange<'_>) {
        let mut line = self.line(exchange).to_string();
        line.push('\n');
        // A poisoned lock only means another writer panicked mid-call; the file is still a file.
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = file.write_all(line.as_bytes()) {
            tracing::debug!(path = %self.path.display(), "the wire log could not be written: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn exchange<'a>(
        headers: &'a HeaderMap,
        request_body: &'a [u8],
        response_body: &'a [u8],
    ) -> Exchange<'a> {
        Exchange {
            service: "Microsoft Entra sign-in",
            method: "POST",
            url: "http://127.0.0.1:1/t/oauth2/v2.0/token?x=super-secret-value-1",
            request_headers: headers,
            request_body: Some(request_body),
            status: Some(200),
            response_headers: Some(headers),
            response_body: Some(response_body),
            error: None,
            started: SystemTime::now(),
            elapsed: Duration::from_millis(12),
        }
    }

    #[test]
    fn secrets_tokens_and_credential_headers_never_reach_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wire.jsonl");
        let scrub = Scrubber::default();
        scrub.remember("super-secret-value-1");
        scrub.remember("issued-token-abcdef");
        let log = WireLog::open(&path, scrub).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "authorization",
            HeaderValue::from_static("Bearer xyz123456"),
        );
        headers.insert("cookie", HeaderValue::from_static("session=opaque-cookie"));
        headers.insert("x-echo", HeaderValue::from_static("issued-token-abcdef"));
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let form = b"grant_type=client_credentials&client_secret=super-secret-value-1&scope=s";
        let answer = br#"{"access_token":"issued-token-abcdef","other":"eyJa.eyJb.c2ln"}"#;
        log.record(&exchange(&headers, form, answer));
        log.record(&exchange(&headers, form, answer));
        let text = std::fs::read_to_string(&path).unwrap();
        for leaked in [
            "super-secret-value-1",
            "issued-token-abcdef",
            "xyz123456",
            "opaque-cookie",
            "eyJa",
        ] {
            assert!(!text.contains(leaked), "{leaked} in {text}");
        }
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "appended, one line each");
        let line = &lines[0];
        assert_eq!(line["status"], 200);
        assert_eq!(line["elapsed_ms"], 12);
        assert_eq!(
            line["request_headers"]["content-type"], "application/json",
            "{line}"
        );
        assert!(line["request_headers"].get("authorization").is_none());
        assert!(line["response_headers"].get("cookie").is_none());
        assert!(line["request_body"]["text"]
            .as_str()
            .unwrap()
            .contains("grant_type=client_credentials"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
    }

    #[test]
    fn bodies_are_bounded_and_say_how_big_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let log = WireLog::open(&dir.path().join("w"), Scrubber::default()).unwrap();
        let headers = HeaderMap::new();
        let big = vec![b'a'; 5 * 1024 * 1024];
        let line = log.line(&exchange(&headers, b"", &big));
        let text = line["response_body"]["text"].as_str().unwrap();
        assert!(
            text.chars().count() <= MAX_LOGGED_BODY + 1,
            "{}",
            text.len()
        );
        assert!(text.ends_with('…'));
        assert_eq!(line["response_body"]["bytes"], 5 * 1024 * 1024);
    }
}
