//! Unit tests of the provider settings: block, `TEAMSPHONE_*` and `ARM_*` resolution, sign-in method
//! choice, and the checks that report on the attribute.

use super::*;

fn full() -> ProviderConfig<'static> {
    ProviderConfig {
        tenant_id: known("11111111-2222-3333-4444-555555555555"),
        client_id: known("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
        client_secret: known("s3cret"),
        login_endpoint: known("http://127.0.0.1:9"),
        graph_endpoint: known("http://127.0.0.1:9"),
        teams_endpoint: known("http://127.0.0.1:9"),
        ..Default::default()
    }
}

fn error_paths(diags: &Diagnostics) -> String {
    diags
        .errors
        .iter()
        .map(|d| format!("{:?}", d.attribute))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn malformed_values_are_reported_on_their_attribute() {
    let mut config = full();
    config.tenant_id = known("contoso");
    config.environment = known("public");
    config.graph_endpoint = known("http://graph.microsoft.com");
    config.max_concurrent_requests = Value::Value(0.into());
    let mut diags = Diagnostics::default();
    assert!(!validate_config(&mut diags, &config));
    let paths = error_paths(&diags);
    assert_eq!(diags.errors.len(), 4, "{paths}");
    for name in [
        "tenant_id",
        "environment",
        "graph_endpoint",
        "max_concurrent_requests",
    ] {
        assert!(paths.contains(name), "{name} missing from {paths}");
    }
}

#[test]
fn a_fractional_concurrency_is_reported_on_its_attribute() {
    // The shape Terraform's msgpack decodes to, seen through serde.
    let config: ProviderConfig<'static> =
        serde_json::from_value(serde_json::json!({"max_concurrent_requests": 1.5})).unwrap();
    assert_eq!(
        config.max_concurrent_requests,
        Value::Value(ConfigNumber::Other("1.5".into()))
    );
    let mut diags = Diagnostics::default();
    assert!(!validate_config(&mut diags, &config));
    assert!(error_paths(&diags).contains("max_concurrent_requests"));
    assert!(diags.errors[0].detail.contains("1.5 is not a whole number"));
    for (sent, read) in [
        (serde_json::json!(4), ConfigNumber::Whole(4)),
        (serde_json::json!(4.0), ConfigNumber::Whole(4)),
        (
            serde_json::json!(u64::MAX),
            ConfigNumber::Other(u64::MAX.to_string()),
        ),
        (
            serde_json::json!("99999999999999999999"),
            ConfigNumber::Other("99999999999999999999".into()),
        ),
    ] {
        let config: ProviderConfig<'static> =
            serde_json::from_value(serde_json::json!({"max_concurrent_requests": sent})).unwrap();
        assert_eq!(config.max_concurrent_requests, Value::Value(read));
    }
}

#[test]
fn debug_never_shows_a_secret() {
    let mut config = full();
    config.client_certificate_password = known("p12-pass-word");
    let shown = format!("{config:?}");
    assert!(
        !shown.contains("s3cret") && !shown.contains("p12-pass-word"),
        "{shown}"
    );
    assert!(
        shown.contains("client_secret: \"***\"") && shown.contains("tenant_id"),
        "{shown}"
    );
}

#[test]
fn two_methods_in_the_block_conflict() {
    let mut config = full();
    config.client_certificate_path = known("/x.pem");
    config.use_oidc = Value::Value(true);
    let mut diags = Diagnostics::default();
    assert!(!validate_config(&mut diags, &config));
    let detail = &diags.errors[0].detail;
    assert!(
        detail.contains("client_secret and client_certificate_path and oidc_token_file_path"),
        "{detail}"
    );
}

#[test]
fn unknown_values_pass_validation_and_defer_the_client() {
    let mut config = full();
    config.tenant_id = Value::Unknown;
    let mut diags = Diagnostics::default();
    assert!(validate_config(&mut diags, &config));
    let built = build_client_config(&mut diags, &config).unwrap();
    assert!(built.unwrap_err().contains("tenant_id"));
    assert!(diags.errors.is_empty());
}

#[test]
fn complete_block_builds_a_client_config() {
    let mut diags = Diagnostics::default();
    let built = build_client_config(&mut diags, &full()).unwrap().unwrap();
    assert_eq!(built.environment, Environment::Global);
    assert_eq!(built.teams_endpoint.as_str(), "http://127.0.0.1:9/");
    assert_eq!(built.max_concurrent_requests, 10);
    assert!(matches!(built.credential, Credential::ClientSecret(_)));
    assert!(!format!("{built:?}").contains("s3cret"));
}

#[test]
fn certificate_problems_point_at_the_path() {
    let mut config = full();
    config.client_secret = Value::Null;
    config.client_certificate_path = known("/nonexistent/cert.pem");
    let mut diags = Diagnostics::default();
    assert!(build_client_config(&mut diags, &config).is_none());
    assert!(error_paths(&diags).contains("client_certificate_path"));
    assert!(diags.errors[0].detail.contains("cannot be read"));
}
