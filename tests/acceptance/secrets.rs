//! Secret hygiene: at TF_LOG=trace, neither the client secret nor any bearer token appears anywhere in
//! terraform's log (which includes everything the provider logs), and the state holds no token.

use serde_json::json;

use crate::harness::{provider_block, seed, Emulator, Workdir, CLIENT_SECRET, RESOURCE_ACCOUNT};

#[test]
fn trace_logs_and_state_hold_no_secret_or_token() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    work.write(&format!(
        "{}\nresource \"teamsphone_shared_calling_policy\" \"p\" {{\n  name = \"Seattle\"\n  resource_account_id = \"{RESOURCE_ACCOUNT}\"\n}}\n",
        provider_block(&emulator)
    ));
    let log_path = work.file("trace.log", "");
    let env = [("TF_LOG", "trace"), ("TF_LOG_PATH", log_path.as_str())];
    let run = work.run_with_env(&["apply", "-auto-approve", "-no-color"], &env);
    assert_eq!(run.code, 0, "{}", run.all());
    let run = work.run_with_env(&["plan", "-no-color"], &env);
    assert_eq!(run.code, 0, "{}", run.all());

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.len() > 10_000,
        "the trace log should be substantial, got {} bytes",
        log.len()
    );
    assert!(
        log.contains("teamsphone"),
        "the provider ran under the trace log"
    );
    // The emulator issued tokens to this provider: none of them may be in the log.
    let tokens = emulator.issued_tokens();
    assert!(!tokens.is_empty(), "the emulator should have issued tokens");
    for token in &tokens {
        assert!(
            !log.contains(token.as_str()),
            "a bearer token leaked into the trace log"
        );
    }
    assert!(
        !log.contains(CLIENT_SECRET),
        "the client secret leaked into the trace log"
    );
    assert!(
        !log.to_ascii_lowercase().contains("bearer ey"),
        "a bearer header was logged"
    );

    let state = std::fs::read_to_string(work.path().join("terraform.tfstate")).unwrap();
    assert!(!state.contains(CLIENT_SECRET));
    for token in &tokens {
        assert!(!state.contains(token.as_str()));
    }
}
