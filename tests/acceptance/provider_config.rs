//! The provider block: plan-time diagnostics, environment fallbacks and sign-in errors, through terraform.

use serde_json::json;

use crate::harness::{
    provider_block, seed, Emulator, Workdir, CLIENT_ID, CLIENT_SECRET, RESOURCE_ACCOUNT, TENANT_ID,
};

fn with_policy(provider: &str) -> String {
    format!(
        "{provider}\nresource \"teamsphone_shared_calling_policy\" \"p\" {{\n  name = \"Seattle\"\n  resource_account_id = \"{RESOURCE_ACCOUNT}\"\n}}\n"
    )
}

#[test]
fn malformed_settings_are_reported_on_their_attribute() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    for (from, to, message) in [
        (TENANT_ID, "contoso.example", "tenant_id"),
        (CLIENT_ID, "not-a-guid", "client_id"),
        (
            emulator.url.as_str(),
            "http://graph.example.com",
            "plain http",
        ),
    ] {
        let config = with_policy(&provider_block(&emulator).replacen(from, to, 1));
        work.write(&config);
        let out = work.plan_fails();
        assert!(out.contains(message), "expected {message:?} in\n{out}");
        assert!(out.contains("Invalid "), "{out}");
        assert!(
            !out.contains("panic") && !out.contains("plugin crashed"),
            "{out}"
        );
    }
    let config = with_policy(&provider_block(&emulator)).replace(
        "provider \"teamsphone\" {",
        "provider \"teamsphone\" {\n  environment = \"azure\"",
    );
    work.write(&config);
    let out = work.plan_fails();
    assert!(out.contains("global, gcch, dod"), "{out}");
}

#[test]
fn missing_settings_name_the_attribute_and_variables() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let config = with_policy(&provider_block(&emulator))
        .replace(&format!("  client_secret  = \"{CLIENT_SECRET}\"\n"), "");
    work.write(&config);
    let out = work.plan_fails();
    assert!(out.contains("Missing credential"), "{out}");
    assert!(out.contains("client_certificate_path"), "{out}");
    assert!(out.contains("TEAMSPHONE_CLIENT_SECRET"), "{out}");
    assert!(out.contains("ARM_CLIENT_SECRET"), "{out}");
}

#[test]
fn settings_fall_back_to_environment_variables() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let config = with_policy(&provider_block(&emulator))
        .replace(&format!("  tenant_id      = \"{TENANT_ID}\"\n"), "")
        .replace(&format!("  client_id      = \"{CLIENT_ID}\"\n"), "")
        .replace(&format!("  client_secret  = \"{CLIENT_SECRET}\"\n"), "");
    work.write(&config);
    // TEAMSPHONE_* wins over ARM_*: the wrong ARM secret must not be used.
    let env = [
        ("TEAMSPHONE_TENANT_ID", TENANT_ID),
        ("ARM_CLIENT_ID", CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", CLIENT_SECRET),
        ("ARM_CLIENT_SECRET", "wrong-secret"),
    ];
    let run = work.run_with_env(&["apply", "-auto-approve", "-no-color"], &env);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(emulator.policy("Tag:Seattle").is_some());
}

#[test]
fn wrong_secret_fails_clearly_without_printing_it() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let wrong = "definitely-wrong-secret-123";
    work.write(&with_policy(
        &provider_block(&emulator).replace(CLIENT_SECRET, wrong),
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let out = run.all();
    assert!(out.contains("AADSTS7000215"), "{out}");
    assert!(out.contains(TENANT_ID), "the error names the tenant: {out}");
    assert!(!out.contains(wrong), "the secret leaked: {out}");
    assert!(emulator.policy("Tag:Seattle").is_none());
}

#[test]
fn values_unknown_at_validation_do_not_fail() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let config = format!(
        "{}\nprovider \"teamsphone\" {{\n  alias = \"second\"\n  tenant_id = teamsphone_shared_calling_policy.p.resource_account_id\n  client_id = \"{CLIENT_ID}\"\n  client_secret = \"x\"\n}}\n",
        with_policy(&provider_block(&emulator))
    );
    work.write(&config);
    let run = work.run(&["validate", "-no-color"]);
    assert_eq!(run.code, 0, "{}", run.all());
}
