//! Sign-in methods, clouds and many tenants, through terraform against the emulator.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::harness::{
    seed, Emulator, Workdir, CLIENT_ID, CLIENT_SECRET, RESOURCE_ACCOUNT, TENANT_ID,
};

const OIDC_ISSUER: &str = "https://token.actions.example.com";
const OIDC_SUBJECT: &str = "repo:contoso/voice:ref:refs/heads/main";
const OIDC_AUDIENCE: &str = "api://AzureADTokenExchange";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/auth")
        .join(name)
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// A tenant whose app accepts the fixture certificate and federated tokens from the test issuer, and
/// no secret.
fn passwordless_seed() -> Value {
    let mut seed = seed(json!({}));
    seed["tenants"][0]["apps"] = json!([{
        "client_id": CLIENT_ID,
        "teams_administrator": true,
        "certificates": [fixture_text("app.crt")],
        "federated_credentials": [{
            "issuer": OIDC_ISSUER,
            "subject": OIDC_SUBJECT,
            "audience": OIDC_AUDIENCE,
            "issuer_certificate": fixture_text("issuer.crt")
        }]
    }]);
    seed
}

/// A federated token as a CI system would issue it, signed with the fixture issuer's key.
fn federated_token(valid_from_offset: i64, lifetime: i64) -> String {
    let pem = fixture_text("issuer-pkcs8.key");
    let der = rustls_pemfile::private_key(&mut pem.as_bytes())
        .unwrap()
        .unwrap();
    let key = ring::signature::RsaKeyPair::from_pkcs8(der.secret_der()).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let nbf = now + valid_from_offset;
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": "test"});
    let claims = json!({
        "iss": OIDC_ISSUER, "sub": OIDC_SUBJECT, "aud": OIDC_AUDIENCE,
        "nbf": nbf, "iat": nbf, "exp": nbf + lifetime
    });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// A provider block with the given sign-in lines, pointed at `emulator`.
fn config_with(emulator: &Emulator, auth: &str, policy_name: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    teamsphone = {{ source = "teamsphone/teamsphone" }}
  }}
}}

provider "teamsphone" {{
  tenant_id      = "{TENANT_ID}"
  client_id      = "{CLIENT_ID}"
{auth}
  login_endpoint = "{url}"
  graph_endpoint = "{url}"
  teams_endpoint = "{url}"
}}

resource "teamsphone_shared_calling_policy" "p" {{
  name                = "{policy_name}"
  resource_account_id = "{RESOURCE_ACCOUNT}"
}}
"#,
        url = emulator.url
    )
}

fn apply_with_env(work: &Workdir, env: &[(&str, &str)]) -> crate::harness::Run {
    work.run_with_env(&["apply", "-auto-approve", "-no-color"], env)
}

#[test]
fn certificate_sign_in_from_pem_and_pkcs12() {
    let emulator = Emulator::start(&passwordless_seed());
    let work = Workdir::new();
    let pem = fixture("app-cert.pem").display().to_string();
    work.write(&config_with(
        &emulator,
        &format!("  client_certificate_path = {pem:?}"),
        "FromPem",
    ));
    work.apply();
    assert!(emulator.policy("Tag:FromPem").is_some());
    work.assert_no_changes();

    // PKCS#12 with path and password from the azurerm environment variables.
    let other = Workdir::new();
    other.write(&config_with(&emulator, "", "FromPkcs12"));
    let p12 = fixture("app-cert.p12").display().to_string();
    let run = apply_with_env(
        &other,
        &[
            ("ARM_CLIENT_CERTIFICATE_PATH", &p12),
            ("ARM_CLIENT_CERTIFICATE_PASSWORD", "fixture-password"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(emulator.policy("Tag:FromPkcs12").is_some());
    assert!(!run.all().contains("fixture-password"));
}

#[test]
fn wrong_certificate_and_wrong_password_fail_clearly() {
    let emulator = Emulator::start(&passwordless_seed());
    let work = Workdir::new();
    let wrong = fixture("wrong-cert.pem").display().to_string();
    work.write(&config_with(
        &emulator,
        &format!("  client_certificate_path = {wrong:?}"),
        "Nope",
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("AADSTS700027"), "{}", run.all());
    assert!(run.text().contains("key was not found"), "{}", run.all());
    assert!(emulator.policy("Tag:Nope").is_none());

    let p12 = fixture("app-cert.p12").display().to_string();
    work.write(&config_with(
        &emulator,
        &format!("  client_certificate_path = {p12:?}\n  client_certificate_password = \"not-it\""),
        "Nope",
    ));
    let out = work.plan_fails();
    assert!(out.contains("client_certificate_password"), "{out}");
    assert!(
        out.contains("client_certificate_path"),
        "the diagnostic points at the path: {out}"
    );
    assert!(!out.contains("not-it"), "the password leaked: {out}");
}

#[test]
fn workload_identity_federation_reads_the_token_file() {
    let emulator = Emulator::start(&passwordless_seed());
    let work = Workdir::new();
    let token_file = work.file("federated-token", &federated_token(0, 600));
    work.write(&config_with(
        &emulator,
        &format!("  use_oidc = true\n  oidc_token_file_path = {token_file:?}"),
        "Federated",
    ));
    work.apply();
    assert!(emulator.policy("Tag:Federated").is_some());

    // The conventional variables of CI systems select it too.
    let other = Workdir::new();
    other.write(&config_with(&emulator, "", "FromEnv"));
    let run = apply_with_env(
        &other,
        &[
            ("ARM_USE_OIDC", "true"),
            ("AZURE_FEDERATED_TOKEN_FILE", &token_file),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(emulator.policy("Tag:FromEnv").is_some());
}

#[test]
fn expired_federated_token_is_refused_with_the_reason() {
    let emulator = Emulator::start(&passwordless_seed());
    let work = Workdir::new();
    let token_file = work.file("federated-token", &federated_token(-7200, 600));
    work.write(&config_with(
        &emulator,
        &format!("  oidc_token_file_path = {token_file:?}"),
        "Expired",
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("AADSTS700024"), "{}", run.all());
    assert!(run.all().contains("valid time range"), "{}", run.all());
    assert!(
        run.all().contains("workload identity federation"),
        "{}",
        run.all()
    );
}

#[test]
fn conflicting_methods_fail_at_plan_time_naming_them() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let pem = fixture("app-cert.pem").display().to_string();
    work.write(&config_with(
        &emulator,
        &format!("  client_secret = \"{CLIENT_SECRET}\"\n  client_certificate_path = {pem:?}"),
        "Both",
    ));
    let out = work.plan_fails();
    assert!(out.contains("Conflicting authentication methods"), "{out}");
    assert!(
        out.contains("client_secret and client_certificate_path"),
        "{out}"
    );
}

#[test]
fn sovereign_cloud_uses_the_teams_api() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    work.write(&config_with(
        &emulator,
        &format!("  client_secret = \"{CLIENT_SECRET}\"\n  environment = \"gcch\""),
        "GovCloud",
    ));
    work.apply();
    assert!(emulator.policy("Tag:GovCloud").is_some());
    work.assert_no_changes();
}

/// Three tenants, one configuration: a module applied per tenant through provider aliases.
fn three_tenants(emulator_seed_latency_ms: u64) -> Value {
    let tenant = |id: &str, domain: &str| {
        json!({
            "tenant_id": id, "domain": domain,
            "apps": [{"client_id": CLIENT_ID, "client_secret": format!("secret-{domain}"), "teams_administrator": true}]
        })
    };
    json!({
        "settings": {"latency_ms": emulator_seed_latency_ms},
        "tenants": [
            tenant("aaaaaaaa-0000-0000-0000-00000000000a", "alpha.example"),
            tenant("bbbbbbbb-0000-0000-0000-00000000000b", "bravo.example"),
            tenant("cccccccc-0000-0000-0000-00000000000c", "charlie.example"),
        ]
    })
}

const POLICY_MODULE: &str = r#"
terraform {
  required_providers {
    teamsphone = { source = "teamsphone/teamsphone" }
  }
}

variable "office" { type = string }

resource "teamsphone_shared_calling_policy" "office" {
  name                = var.office
  resource_account_id = "3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01"
}
"#;

fn many_tenant_config(emulator: &Emulator, secret_for: impl Fn(&str) -> String) -> String {
    let mut config = String::from(
        "terraform {\n  required_providers {\n    teamsphone = { source = \"teamsphone/teamsphone\" }\n  }\n}\n",
    );
    for (alias, id, domain) in [
        (
            "alpha",
            "aaaaaaaa-0000-0000-0000-00000000000a",
            "alpha.example",
        ),
        (
            "bravo",
            "bbbbbbbb-0000-0000-0000-00000000000b",
            "bravo.example",
        ),
        (
            "charlie",
            "cccccccc-0000-0000-0000-00000000000c",
            "charlie.example",
        ),
    ] {
        config.push_str(&format!(
            r#"
provider "teamsphone" {{
  alias          = "{alias}"
  tenant_id      = "{id}"
  client_id      = "{CLIENT_ID}"
  client_secret  = "{secret}"
  login_endpoint = "{url}"
  graph_endpoint = "{url}"
  teams_endpoint = "{url}"
}}

module "{alias}" {{
  source    = "./modules/shared-calling"
  office    = "Main"
  providers = {{ teamsphone = teamsphone.{alias} }}
}}
"#,
            secret = secret_for(domain),
            url = emulator.url
        ));
    }
    config
}

fn tenant_policy(emulator: &Emulator, tenant: &str, identity: &str) -> Option<Value> {
    let view: Value =
        reqwest::blocking::get(format!("{}/_emulator/tenants/{tenant}", emulator.url))
            .unwrap()
            .json()
            .unwrap();
    view["shared_calling_policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["Identity"] == identity)
        .cloned()
}

#[test]
fn one_configuration_many_tenants_and_a_failure_stays_local() {
    let emulator = Emulator::start(&three_tenants(0));
    let work = Workdir::new();
    work.file("modules/shared-calling/main.tf", POLICY_MODULE);
    // `get` installs the local module without touching the (overridden) provider, unlike `init`.
    work.write(&many_tenant_config(&emulator, |domain| {
        if domain == "charlie.example" {
            "wrong-secret".to_string()
        } else {
            format!("secret-{domain}")
        }
    }));
    let get = work.run(&["get", "-no-color"]);
    assert_eq!(get.code, 0, "{}", get.all());
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.all().contains("cccccccc-0000-0000-0000-00000000000c"),
        "the error names the failing tenant: {}",
        run.all()
    );
    assert!(
        !run.all().contains("aaaaaaaa-0000-0000-0000-00000000000a"),
        "{}",
        run.all()
    );
    assert!(tenant_policy(&emulator, "alpha.example", "Tag:Main").is_some());
    assert!(tenant_policy(&emulator, "bravo.example", "Tag:Main").is_some());
    assert!(tenant_policy(&emulator, "charlie.example", "Tag:Main").is_none());

    // With the secret fixed, the same configuration completes and settles.
    work.write(&many_tenant_config(&emulator, |domain| {
        format!("secret-{domain}")
    }));
    work.apply();
    assert!(tenant_policy(&emulator, "charlie.example", "Tag:Main").is_some());
    work.assert_no_changes();
}

fn max_in_flight(emulator: &Emulator, tenant: &str) -> u64 {
    let stats: Value = reqwest::blocking::get(format!("{}/_emulator/stats", emulator.url))
        .unwrap()
        .json()
        .unwrap();
    stats["tenants"][tenant]["max_in_flight"]
        .as_u64()
        .unwrap_or(0)
}

#[test]
fn max_concurrent_requests_bounds_requests_in_flight_per_tenant() {
    const TENANT: &str = "aaaaaaaa-0000-0000-0000-00000000000a";
    let many_policies = |limit: &str| {
        let mut config = String::new();
        config.push_str(&format!(
            "terraform {{\n  required_providers {{\n    teamsphone = {{ source = \"teamsphone/teamsphone\" }}\n  }}\n}}\nprovider \"teamsphone\" {{\n  tenant_id = \"{TENANT}\"\n  client_id = \"{CLIENT_ID}\"\n  client_secret = \"secret-alpha.example\"\n{limit}\n  login_endpoint = \"URL\"\n  graph_endpoint = \"URL\"\n  teams_endpoint = \"URL\"\n}}\n"
        ));
        for i in 0..6 {
            config.push_str(&format!(
                "resource \"teamsphone_shared_calling_policy\" \"p{i}\" {{\n  name = \"Office{i}\"\n  resource_account_id = \"{RESOURCE_ACCOUNT}\"\n}}\n"
            ));
        }
        config
    };

    // Without a tight limit, six creates overlap at the server: the measurement can see concurrency.
    let emulator = Emulator::start(&three_tenants(300));
    let work = Workdir::new();
    work.write(&many_policies("").replace("URL", &emulator.url));
    work.apply();
    let unbounded = max_in_flight(&emulator, TENANT);
    assert!(
        unbounded > 2,
        "expected overlap without a limit, saw {unbounded}"
    );

    let emulator = Emulator::start(&three_tenants(300));
    let work = Workdir::new();
    work.write(&many_policies("  max_concurrent_requests = 2").replace("URL", &emulator.url));
    work.apply();
    let bounded = max_in_flight(&emulator, TENANT);
    assert!(
        (1..=2).contains(&bounded),
        "max_concurrent_requests = 2 but the tenant saw {bounded} at once"
    );
}

#[test]
fn graph_teams_administration_is_refused_clearly_in_sovereign_clouds() {
    let demo: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/emulator/demo-tenant.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let emulator = Emulator::start(&demo);
    let work = Workdir::new();
    let config = config_with(
        &emulator,
        "  client_secret = \"demo-secret-not-for-production\"\n  environment = \"dod\"",
        "GovCloud",
    )
    .replace(RESOURCE_ACCOUNT, "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11");
    work.write(&format!(
        "{config}\nresource \"teamsphone_phone_number_assignment\" \"ann\" {{\n  telephone_number = \"+12065550140\"\n  target_id = \"cccccccc-0000-0000-0000-000000000001\"\n  number_type = \"direct_routing\"\n}}\n"
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.text();
    assert!(
        text.contains("available only in the global Microsoft cloud"),
        "{text}"
    );
    assert!(text.contains("\"dod\""), "{text}");
    assert!(
        !text.contains("404"),
        "a cloud limit must not read as a 404: {text}"
    );
    assert!(
        emulator
            .requests()
            .iter()
            .all(|r| !r["path"].as_str().unwrap_or("").contains("/admin/teams/")),
        "nothing may be sent to Graph's Teams administration endpoints"
    );
    // The Teams API part of the same configuration works in that cloud.
    assert!(emulator.policy("Tag:GovCloud").is_some());
}

/// The wire log keeps the assertions out too: the federated token read from its file and the
/// certificate assertions the provider signs (none of which the log's reader could know).
#[test]
fn the_wire_log_holds_no_assertion_of_either_kind() {
    let emulator = Emulator::start(&passwordless_seed());
    let work = Workdir::new();
    let federated = federated_token(0, 600);
    let token_file = work.file("federated-token", &federated);
    let log = work.path().join("wire.jsonl").display().to_string();
    work.write(&config_with(
        &emulator,
        &format!("  oidc_token_file_path = {token_file:?}"),
        "Federated",
    ));
    let run = apply_with_env(&work, &[("TEAMSPHONE_WIRE_LOG", &log)]);
    assert_eq!(run.code, 0, "{}", run.all());
    let pem = fixture("app-cert.pem").display().to_string();
    let other = Workdir::new();
    other.write(&config_with(
        &emulator,
        &format!("  client_certificate_path = {pem:?}"),
        "Certified",
    ));
    let run = apply_with_env(&other, &[("TEAMSPHONE_WIRE_LOG", &log)]);
    assert_eq!(run.code, 0, "{}", run.all());

    let text = std::fs::read_to_string(&log).unwrap();
    let sign_ins = text
        .lines()
        .filter(|l| l.contains("client_assertion=***"))
        .count();
    assert!(sign_ins >= 2, "a sign-in per method at least: {sign_ins}");
    assert!(
        !text.contains(&federated),
        "the federated token is in the log"
    );
    // Every assertion and token is a JWT; none is left in any spelling.
    assert!(!text.contains("eyJ"), "a JWT is in the log");
    for token in emulator.issued_tokens() {
        assert!(!text.contains(&token), "an issued token is in the log");
    }
}
