//! `TEAMSPHONE_WIRE_LOG`: the complete example applied, re-planned and destroyed with the log on.
//! The log must be complete (every request the emulator counted is in it, kind for kind, sign-ins
//! included) and must hold neither the secret nor any token the emulator issued.

use std::collections::BTreeMap;

use serde_json::Value;
use teamsphone_emulator::frontdoor::{request_kind, Service};

use crate::examples::{demo_seed, DEMO_SECRET};
use crate::harness::{Emulator, Workdir, CLIENT_ID, TENANT_ID};

#[test]
fn the_complete_example_leaves_a_complete_log_without_credentials() {
    let emulator = Emulator::start(&demo_seed());
    let work = Workdir::new();
    crate::examples::write_complete_example(&work);
    let log_path = work.path().join("wire.jsonl");
    let log = log_path.display().to_string();
    let env = [
        ("TEAMSPHONE_TENANT_ID", TENANT_ID),
        ("TEAMSPHONE_CLIENT_ID", CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", DEMO_SECRET),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_WIRE_LOG", log.as_str()),
    ];
    for args in [
        &["apply", "-auto-approve", "-no-color"][..],
        &["plan", "-detailed-exitcode", "-no-color"],
        &["destroy", "-auto-approve", "-no-color"],
    ] {
        let run = work.run_with_env(args, &env);
        assert_eq!(run.code, 0, "{args:?}:\n{}", run.all());
    }

    let text = std::fs::read_to_string(&log_path).expect("the wire log was written");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&log_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the log is private: {mode:o}");
    }
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();

    // Complete: the same requests, kind for kind, as the emulator counted.
    let mut logged: BTreeMap<String, u64> = BTreeMap::new();
    for line in &lines {
        let url = url::Url::parse(line["url"].as_str().unwrap()).unwrap();
        let method = line["method"].as_str().unwrap();
        assert!(
            line["status"].is_u64(),
            "every request was answered: {line}"
        );
        let kind = format!(
            "{} {}",
            Service::of_path(url.path()).as_str(),
            request_kind(method, url.path())
        );
        *logged.entry(kind).or_default() += 1;
    }
    let counted = emulator.request_counts();
    assert_eq!(logged, counted, "the log and the emulator's counts differ");
    let total: u64 = counted.values().sum();
    assert!(
        total > 20,
        "the complete example makes many requests: {total}"
    );
    assert!(
        counted.keys().any(|k| k.starts_with("login ")),
        "sign-ins are logged: {counted:?}"
    );
    // Bodies and headers are there, as evidence.
    let policy_create = lines
        .iter()
        .find(|l| {
            l["method"] == "POST"
                && l["url"]
                    .as_str()
                    .unwrap()
                    .contains("TeamsSharedCallingRoutingPolicy")
        })
        .expect("the policy create is logged");
    assert!(
        policy_create["request_body"]["text"]
            .as_str()
            .unwrap()
            .contains("Seattle"),
        "{policy_create}"
    );
    assert!(
        policy_create["request_headers"]["x-ms-cmdletname"].is_string(),
        "{policy_create}"
    );
    assert!(policy_create["elapsed_ms"].is_u64() && policy_create["time"].is_string());

    // Without credentials: not the secret, not one issued token, no Authorization header.
    let tokens = emulator.issued_tokens();
    assert!(!tokens.is_empty());
    assert!(
        !text.contains(DEMO_SECRET),
        "the client secret is in the log"
    );
    for token in &tokens {
        assert!(
            !text.contains(token.as_str()),
            "an issued token is in the log"
        );
    }
    assert!(
        !text.to_ascii_lowercase().contains("authorization"),
        "an Authorization header is in the log"
    );
    assert!(
        text.contains("client_secret=***"),
        "the sign-in form is logged, masked"
    );
}
