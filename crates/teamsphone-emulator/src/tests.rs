//! End-to-end tests of the emulator over real HTTP: each starts a server on port 0 in-process and
//! talks to it through [`crate::test_http`], as the provider will. Rules are unit-tested in their
//! own modules; these tests check the wiring (routing, status codes, error shapes, headers,
//! persistence).

use crate::test_http::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};

use super::{Emulator, EmulatorConfig, EmulatorHandle, Seed};
use teamsphone_contract::{GRAPH_SCOPE, TEAMS_SCOPE};

const TENANT: &str = "11111111-2222-3333-4444-555555555555";
const OTHER_TENANT: &str = "99999999-8888-7777-6666-555555555555";
const ADMIN: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const READER: &str = "bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee";
const SECRET: &str = "test-secret-1";
const RA: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";
const USER: &str = "cccccccc-0000-0000-0000-000000000001";
const POLICIES: &str = "/Skype.Policy/configurations/TeamsSharedCallingRoutingPolicy";

fn seed_json(token_lifetime: u64) -> String {
    json!({
        "settings": {"token_lifetime_seconds": token_lifetime},
        "tenants": [
            {
                "tenant_id": TENANT,
                "domain": "contoso.onmicrosoft.com",
                "apps": [
                    {"client_id": ADMIN, "client_secret": SECRET, "teams_administrator": true},
                    {"client_id": READER, "client_secret": SECRET,
                     "graph_permissions": ["User.Read.All"]}
                ],
                "shared_calling_policies": [
                    {"Identity": "Tag:Existing", "Description": "seeded", "ResourceAccount": RA,
                     "EmergencyNumbers": ["+12065550100"]}
                ],
                "users": [
                    {"id": USER, "userPrincipalName": "ann@contoso.com", "displayName": "Ann",
                     "usageLocation": "US"}
                ]
            },
            {
                "tenant_id": OTHER_TENANT,
                "domain": "fabrikam.onmicrosoft.com",
                "apps": [{"client_id": ADMIN, "client_secret": "other", "teams_administrator": true}]
            }
        ]
    })
    .to_string()
}

async fn start_with(lifetime: u64, state: Option<&std::path::Path>) -> EmulatorHandle {
    let seed = Seed::from_json(&seed_json(lifetime)).unwrap();
    let mut config = EmulatorConfig::new("127.0.0.1:0".parse().unwrap(), seed);
    if let Some(path) = state {
        config = config.with_state_file(path);
    }
    Emulator::start(config).await.unwrap()
}

async fn start() -> EmulatorHandle {
    start_with(3599, None).await
}

fn http() -> Client {
    // Never through a proxy: a proxy variable in the test environment must not intercept loopback
    // calls (the test client has no proxy support at all).
    Client::new()
}

async fn token_response(
    emu: &EmulatorHandle,
    tenant: &str,
    client: &str,
    secret: &str,
    scope: &str,
) -> Response {
    http()
        .post(format!("{}/{tenant}/oauth2/v2.0/token", emu.url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client),
            ("client_secret", secret),
            ("scope", scope),
        ])
        .send()
        .await
        .unwrap()
}

async fn token(emu: &EmulatorHandle, client: &str, scope: &str) -> String {
    let r = token_response(emu, TENANT, client, SECRET, scope).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

/// Sends a request with a bearer token and returns status and JSON body (`Null` when empty).
async fn call(
    emu: &EmulatorHandle,
    method: Method,
    path: &str,
    bearer: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = http()
        .request(method, format!("{}{path}", emu.url()))
        .bearer_auth(bearer);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    };
    (status, json)
}

async fn admin_get(emu: &EmulatorHandle, path: &str) -> Value {
    let r = http()
        .get(format!("{}{path}", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

fn message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or_default()
}

fn instance(identity: &str) -> String {
    format!(
        "{POLICIES}/configuration/{}",
        url::form_urlencoded::byte_serialize(identity.as_bytes()).collect::<String>()
    )
}

#[tokio::test]
async fn issues_tokens_and_rejects_bad_logins_in_aad_shape() {
    let emu = start().await;

    let r = token_response(&emu, TENANT, ADMIN, SECRET, TEAMS_SCOPE).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    assert_eq!(body["ext_expires_in"], 3599);
    assert!(body["access_token"].as_str().unwrap().len() >= 32);

    // The domain works in place of the tenant id.
    let r = token_response(&emu, "contoso.onmicrosoft.com", ADMIN, SECRET, GRAPH_SCOPE).await;
    assert_eq!(r.status(), StatusCode::OK);

    let cases = [
        (
            OTHER_TENANT.replace('9', "0"),
            ADMIN,
            SECRET,
            TEAMS_SCOPE,
            400,
            "invalid_request",
            90002,
        ),
        (
            TENANT.to_string(),
            "cccccccc-bbbb-cccc-dddd-eeeeeeeeeeee",
            SECRET,
            TEAMS_SCOPE,
            400,
            "unauthorized_client",
            700016,
        ),
        (
            TENANT.to_string(),
            ADMIN,
            "wrong",
            TEAMS_SCOPE,
            401,
            "invalid_client",
            7000215,
        ),
        (
            TENANT.to_string(),
            ADMIN,
            SECRET,
            "https://graph.microsoft.com/User.Read",
            400,
            "invalid_scope",
            70011,
        ),
        // The other tenant's secret does not open this tenant's app of the same client id.
        (
            TENANT.to_string(),
            ADMIN,
            "other",
            TEAMS_SCOPE,
            401,
            "invalid_client",
            7000215,
        ),
    ];
    for (tenant, client, secret, scope, status, error, code) in cases {
        let r = token_response(&emu, &tenant, client, secret, scope).await;
        assert_eq!(r.status().as_u16(), status, "{error}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], error);
        assert_eq!(body["error_codes"], json!([code]));
        let description = body["error_description"].as_str().unwrap();
        assert!(
            description.starts_with(&format!("AADSTS{code}: ")),
            "{description}"
        );
        assert!(uuid::Uuid::parse_str(body["trace_id"].as_str().unwrap()).is_ok());
        assert!(body["correlation_id"].is_string());
    }
    let bad_secret = token_response(&emu, TENANT, ADMIN, "wrong", TEAMS_SCOPE).await;
    let body: Value = bad_secret.json().await.unwrap();
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("Invalid client secret provided."));

    let r = http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", emu.url()))
        .form(&[
            ("grant_type", "password"),
            ("client_id", ADMIN),
            ("client_secret", SECRET),
            ("scope", TEAMS_SCOPE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_grant_type");
    emu.shutdown().await;
}

#[tokio::test]
async fn bearer_check_enforces_token_audience_and_role() {
    let emu = start().await;
    let teams = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let graph = token(&emu, ADMIN, GRAPH_SCOPE).await;
    let reader = token(&emu, READER, TEAMS_SCOPE).await;

    let (status, _) = call(&emu, Method::GET, POLICIES, &teams, None).await;
    assert_eq!(status, StatusCode::OK);

    // No token at all.
    let r = http()
        .get(format!("{}{POLICIES}", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().contains_key("www-authenticate"));

    let (status, body) = call(&emu, Method::GET, POLICIES, "emu.forged", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");

    // A Graph token on the Teams API: Teams error shape.
    let (status, body) = call(&emu, Method::GET, POLICIES, &graph, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(message(&body).contains("invalid audience"), "{body}");
    assert!(body["error"].get("innerError").is_none());

    // A Teams token on Graph: Graph error shape with innerError.
    let (status, body) = call(&emu, Method::GET, "/v1.0/users", &teams, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert!(message(&body).contains("invalid audience"), "{body}");
    assert!(body["error"]["innerError"]["request-id"].is_string());
    assert!(body["error"]["innerError"]["date"].is_string());

    // Graph paths are not served yet, but still answer in Graph's shape after auth.
    let (status, body) = call(&emu, Method::GET, "/v1.0/users", &graph, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"]["innerError"]["request-id"].is_string());

    // An app without the role: 403 naming the role.
    let (status, body) = call(&emu, Method::GET, POLICIES, &reader, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(message(&body).contains("Teams Administrator"), "{body}");
    emu.shutdown().await;
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let emu = start_with(0, None).await;
    let r = token_response(&emu, TENANT, ADMIN, SECRET, TEAMS_SCOPE).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["expires_in"], 0);
    let t = body["access_token"].as_str().unwrap();
    let (status, body) = call(&emu, Method::GET, POLICIES, t, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(message(&body).contains("expired"), "{body}");
    emu.shutdown().await;
}

#[tokio::test]
async fn policy_lifecycle() {
    let emu = start().await;
    let t = token(&emu, ADMIN, TEAMS_SCOPE).await;

    let (status, list) = call(&emu, Method::GET, POLICIES, &t, None).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Identity"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["Global", "Tag:Existing"]);

    let new = json!({
        "Identity": "Seattle",
        "Description": "Seattle office",
        "ResourceAccount": RA.to_uppercase(),
        "EmergencyNumbers": ["+12065550199"],
        "SomethingNew": true
    });
    let (status, created) = call(&emu, Method::POST, POLICIES, &t, Some(new.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["ResourceAccount"], RA, "GUIDs come back lower-case");
    assert_eq!(
        created["Identity"], "Tag:Seattle",
        "the service stores the bare name with its prefix"
    );
    assert_eq!(created["EmergencyNumbers"], json!(["+12065550199"]));
    assert!(created.get("SomethingNew").is_none());

    let (status, body) = call(&emu, Method::POST, POLICIES, &t, Some(new)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message(&body).contains("already exists"));

    let (status, read) = call(&emu, Method::GET, &instance("Tag:Seattle"), &t, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, created);

    let (status, body) = call(&emu, Method::GET, &instance("Seattle"), &t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        message(&body).contains("'Tag:Seattle'"),
        "hint at the prefix: {body}"
    );

    // Update changes only what is given.
    let (status, updated) = call(
        &emu,
        Method::PUT,
        &instance("Tag:Seattle"),
        &t,
        Some(json!({"Description": "changed"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["Description"], "changed");
    assert_eq!(updated["EmergencyNumbers"], json!(["+12065550199"]));
    assert_eq!(updated["ResourceAccount"], RA);

    let (status, body) = call(
        &emu,
        Method::PUT,
        &instance("Tag:Seattle"),
        &t,
        Some(json!({"Identity": "Tag:Other"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("Identity"));

    // A number already in another policy is refused, naming that policy.
    let (status, body) = call(
        &emu,
        Method::PUT,
        &instance("Tag:Seattle"),
        &t,
        Some(json!({"EmergencyNumbers": ["+12065550100"]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("'Tag:Existing'"), "{body}");

    let (status, body) = call(
        &emu,
        Method::PUT,
        &instance("Tag:Nowhere"),
        &t,
        Some(json!({"Description": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let (status, body) = call(&emu, Method::DELETE, &instance("Global"), &t, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("cannot be deleted"));

    let (status, body) = call(&emu, Method::DELETE, &instance("Tag:Seattle"), &t, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
    let (status, _) = call(&emu, Method::DELETE, &instance("Tag:Seattle"), &t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&emu, Method::GET, &instance("Tag:Seattle"), &t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    emu.shutdown().await;
}

#[tokio::test]
async fn bad_bodies_get_teams_shaped_400s() {
    let emu = start().await;
    let t = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let r = http()
        .post(format!("{}{POLICIES}", emu.url()))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{\"Identity\": \"Tag:X\",")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "BadRequest");
    assert!(message(&body).contains("not valid JSON"));

    let (status, body) = call(
        &emu,
        Method::POST,
        POLICIES,
        &t,
        Some(json!({"Identity": "Tag:Seattle", "ResourceAccount": RA})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("give the bare name"), "{body}");

    let (status, body) = call(
        &emu,
        Method::POST,
        POLICIES,
        &t,
        Some(json!({"Identity": "Y", "ResourceAccount": "not-a-guid"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("'not-a-guid'"));
    emu.shutdown().await;
}

#[tokio::test]
async fn tenants_are_isolated_by_token() {
    let emu = start().await;
    let r = token_response(&emu, OTHER_TENANT, ADMIN, "other", TEAMS_SCOPE).await;
    let other: Value = r.json().await.unwrap();
    let other = other["access_token"].as_str().unwrap();
    let (status, list) = call(&emu, Method::GET, POLICIES, other, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1, "only Global: {list}");
    let (status, _) = call(&emu, Method::GET, &instance("Tag:Existing"), other, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    emu.shutdown().await;
}

#[tokio::test]
async fn headers_request_log_and_admin_surface() {
    let emu = start().await;
    let t = token(&emu, ADMIN, TEAMS_SCOPE).await;

    let r = http()
        .get(format!("{}{POLICIES}", emu.url()))
        .bearer_auth(&t)
        .header("client-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["client-request-id"], "abc-123");
    let request_id = r.headers()["request-id"].to_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&request_id).is_ok());
    // Errors carry the headers too.
    let r = http()
        .get(format!("{}/nowhere?x=1", emu.url()))
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("request-id"));

    assert_eq!(
        admin_get(&emu, "/_emulator/health").await,
        json!({"ok": true})
    );
    assert_eq!(
        admin_get(&emu, "/_emulator/tenants").await,
        json!([TENANT, OTHER_TENANT])
    );
    let tenant = admin_get(&emu, &format!("/_emulator/tenants/{TENANT}")).await;
    assert_eq!(
        tenant["shared_calling_policies"][1]["Identity"],
        "Tag:Existing"
    );
    assert_eq!(tenant["apps"][0]["client_id"], ADMIN);
    assert!(!tenant.to_string().contains(SECRET), "no secrets: {tenant}");

    let log = admin_get(&emu, "/_emulator/requests").await;
    let entries = log.as_array().unwrap();
    assert_eq!(
        entries.len(),
        3,
        "token, list, /nowhere; admin calls not logged: {log}"
    );
    assert_eq!(entries[0]["service"], "login");
    assert_eq!(entries[0]["client_id"], ADMIN);
    assert_eq!(entries[1]["service"], "teams");
    assert_eq!(entries[1]["path"], POLICIES);
    assert_eq!(entries[1]["status"], 200);
    assert_eq!(entries[1]["tenant_id"], TENANT);
    assert_eq!(entries[1]["request_id"], request_id.as_str());
    assert_eq!(entries[2]["query"], "x=1");
    assert_eq!(entries[2]["status"], 401);
    assert_eq!(entries[2]["tenant_id"], Value::Null);
    assert!(!log.to_string().contains(&t), "no tokens in the log");
    assert!(!log.to_string().contains(SECRET), "no secrets in the log");

    let r = http()
        .delete(format!("{}/_emulator/requests", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(admin_get(&emu, "/_emulator/requests").await, json!([]));
    emu.shutdown().await;
}

#[tokio::test]
async fn reset_restores_the_seed_and_keeps_tokens() {
    let emu = start().await;
    let t = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let (status, _) = call(&emu, Method::DELETE, &instance("Tag:Existing"), &t, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let r = http()
        .post(format!("{}/_emulator/reset", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(admin_get(&emu, "/_emulator/requests").await, json!([]));
    let (status, body) = call(&emu, Method::GET, &instance("Tag:Existing"), &t, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["Description"], "seeded");
    emu.shutdown().await;
}

#[tokio::test]
async fn state_file_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");

    let emu = start_with(3599, Some(&path)).await;
    let t = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let (status, _) = call(
        &emu,
        Method::POST,
        POLICIES,
        &t,
        Some(json!({"Identity": "Persisted", "ResourceAccount": RA})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    emu.shutdown().await;
    assert!(!dir.path().join("state.json.tmp").exists());

    // Restart from the same file, with a seed that has no such policy: the file wins.
    let emu = start_with(3599, Some(&path)).await;
    let (status, body) = call(&emu, Method::GET, &instance("Tag:Persisted"), &t, None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the token and the policy both survive: {body}"
    );
    assert_eq!(body["ResourceAccount"], RA);
    emu.shutdown().await;
}

#[tokio::test]
async fn graph_reads_users_by_id_or_principal_name() {
    let emu = start().await;
    let graph = token(&emu, ADMIN, GRAPH_SCOPE).await;
    let (status, body) = call(
        &emu,
        Method::GET,
        "/v1.0/users/ANN@contoso.com",
        &graph,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["id"], USER);
    assert_eq!(body["usageLocation"], "US");
    let (status, body) = call(
        &emu,
        Method::GET,
        &format!("/v1.0/users/{USER}"),
        &graph,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["userPrincipalName"], "ann@contoso.com");
    let (status, body) = call(
        &emu,
        Method::GET,
        "/v1.0/users/bob@contoso.com",
        &graph,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "Request_ResourceNotFound");
    let teams = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let (status, _) = call(
        &emu,
        Method::GET,
        "/v1.0/users/ann@contoso.com",
        &teams,
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a Teams token is refused on Graph"
    );
}

/// The answer-shape knobs act on real answers through the front door, set at run time.
#[tokio::test]
async fn answer_shapes_reshape_real_answers_when_set_at_run_time() {
    let emu = start().await;
    let t = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let set = |shapes: Value| {
        let url = format!("{}/_emulator/settings", emu.url());
        async move {
            let r = http()
                .request(Method::PATCH, url)
                .json(&json!({"answer_shapes": shapes}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
    };
    set(json!({"teams_entity_arrays": true, "teams_camel_case": true})).await;
    let (status, read) = call(&emu, Method::GET, &instance("Tag:Existing"), &t, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read[0]["identity"], "Tag:Existing", "{read}");
    let (_, list) = call(&emu, Method::GET, POLICIES, &t, None).await;
    assert!(
        list[0].get("identity").is_some(),
        "lists are renamed too: {list}"
    );
    assert!(
        list.as_array().unwrap().len() >= 2,
        "but not wrapped: {list}"
    );

    set(json!({"teams_empty_writes": true})).await;
    let (status, created) = call(
        &emu,
        Method::POST,
        POLICIES,
        &t,
        Some(json!({"Identity": "Quiet", "ResourceAccount": RA})),
    )
    .await;
    assert_eq!((status, created), (StatusCode::CREATED, Value::Null));
    let (status, read) = call(&emu, Method::GET, &instance("Tag:Quiet"), &t, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["Identity"], "Tag:Quiet", "reads keep their body");
}

#[tokio::test]
async fn emergency_policy_routes_answer_in_the_teams_shape() {
    const E911: &str = "/Skype.Policy/configurations/TeamsEmergencyCallRoutingPolicy";
    let emu = start().await;
    let t = token(&emu, ADMIN, TEAMS_SCOPE).await;
    // The bare name on create; numbers sent as a JSON string are dropped without an error.
    let body = json!({"Identity": "Seattle-E911", "EmergencyNumbers": "[{\"EmergencyDialString\":\"911\"}]"});
    let (status, created) = call(&emu, Method::POST, E911, &t, Some(body.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["Identity"], "Tag:Seattle-E911");
    assert_eq!(created["EmergencyNumbers"], json!([]));
    let (status, again) = call(&emu, Method::POST, E911, &t, Some(body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");

    let one = format!("{E911}/configuration/Tag:Seattle-E911");
    let numbers =
        json!({"EmergencyNumbers": [{"EmergencyDialString": "911", "EmergencyDialMask": "933"}]});
    let (status, updated) = call(&emu, Method::PUT, &one, &t, Some(numbers)).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["EmergencyNumbers"][0]["EmergencyDialMask"], "933");
    let bad =
        json!({"EmergencyNumbers": [{"EmergencyDialString": "911", "EmergencyDialMask": "933;x"}]});
    let (status, refused) = call(&emu, Method::PUT, &one, &t, Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&refused).contains("'x'"), "{refused}");

    let bare = format!("{E911}/configuration/Seattle-E911");
    let (status, missing) = call(&emu, Method::GET, &bare, &t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        message(&missing).contains("'Tag:Seattle-E911'"),
        "{missing}"
    );
    let global = format!("{E911}/configuration/Global");
    let (status, _) = call(&emu, Method::DELETE, &global, &t, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(&emu, Method::DELETE, &one, &t, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&emu, Method::DELETE, &one, &t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn graph_calls_need_the_permission_the_seed_grants() {
    let emu = start().await;
    let reader = token(&emu, READER, GRAPH_SCOPE).await;
    // User.Read.All lets it read users, not change them nor read Teams configurations.
    let (status, _) = call(
        &emu,
        Method::GET,
        &format!("/v1.0/users/{USER}"),
        &reader,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = call(
        &emu,
        Method::PATCH,
        &format!("/v1.0/users/{USER}"),
        &reader,
        Some(json!({"displayName": "Ann B"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
    assert!(message(&body).contains("User.ReadWrite.All"), "{body}");
    let (status, body) = call(
        &emu,
        Method::GET,
        "/v1.0/admin/teams/userConfigurations",
        &reader,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        message(&body).contains("TeamsUserConfiguration.Read.All"),
        "{body}"
    );
    // An app without the field holds every permission the contract names.
    let admin = token(&emu, ADMIN, GRAPH_SCOPE).await;
    let (status, _) = call(
        &emu,
        Method::GET,
        "/v1.0/admin/teams/userConfigurations",
        &admin,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn voice_apps_routes_answer_in_the_teams_shape() {
    let emu = start().await;
    let admin = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let reader = token(&emu, READER, TEAMS_SCOPE).await;
    let (status, body) = call(
        &emu,
        Method::GET,
        "/Teams.VoiceApps/callqueues",
        &admin,
        None,
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!([])));
    let (status, body) = call(
        &emu,
        Method::GET,
        "/Teams.VoiceApps/auto-attendants/a7a00000-0000-4e00-9000-000000000001",
        &admin,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&body).contains("was not found"), "{body}");
    let associations = "/Teams.VoiceApps/applicationinstanceassociations";
    let new = json!({"EndpointsIds": [RA], "ConfigurationId": "a7a00000-0000-4e00-9000-000000000001",
                     "ConfigurationType": "AutoAttendant", "CallPriority": 3});
    let (status, body) = call(&emu, Method::POST, associations, &admin, Some(new.clone())).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no such configuration: {body}"
    );
    assert!(message(&body).contains("No auto attendant"), "{body}");
    let mut misspelt = new.clone();
    misspelt["EndpointsId"] = json!([RA]);
    let (status, body) = call(&emu, Method::POST, associations, &admin, Some(misspelt)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        message(&body).contains("Unknown property 'EndpointsId'"),
        "{body}"
    );
    let (status, _) = call(&emu, Method::POST, associations, &reader, Some(new)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the Teams role is required");
    let one = format!("{associations}/{RA}");
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = call(&emu, method, &one, &admin, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(message(&body).contains("is not associated"), "{body}");
    }
}

#[tokio::test]
async fn auto_attendants_and_their_schedules_are_written_over_http() {
    let emu = start().await;
    let admin = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let reader = token(&emu, READER, TEAMS_SCOPE).await;
    let schedule = json!({"Name": "Christmas", "Type": "Fixed", "FixedSchedule": {"DateTimeRanges": [
        {"Start": "2026-12-25T00:00:00", "End": "2026-12-26T00:00:00"}]}});
    let (status, body) = call(
        &emu,
        Method::POST,
        "/Teams.VoiceApps/schedules",
        &admin,
        Some(schedule),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let schedule_id = body["Id"].as_str().unwrap().to_string();
    let disconnect = json!({"Name": "m", "MenuOptions": [{"Action": "DisconnectCall", "DtmfResponse": "Automatic"}]});
    let aa = json!({"Name": "Reception", "LanguageId": "en-US", "TimeZoneId": "UTC",
        "DefaultCallFlow": {"Name": "d", "Menu": disconnect},
        "CallFlows": [{"Id": "f1", "Name": "Christmas", "Menu": disconnect}],
        "CallHandlingAssociations": [{"Type": "Holiday", "ScheduleId": schedule_id, "CallFlowId": "f1", "Priority": 1}]});
    let collection = "/Teams.VoiceApps/auto-attendants";
    let (status, _) = call(&emu, Method::POST, collection, &reader, Some(aa.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the Teams role is required");
    let (status, body) = call(&emu, Method::POST, collection, &admin, Some(aa.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["AutoAttendant"]["Id"].as_str().unwrap().to_string();
    let one = format!("{collection}/{id}");
    let (status, body) = call(&emu, Method::GET, &one, &admin, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["AutoAttendant"]["CallFlows"][0]["Id"], "f1", "{body}");
    let mut renamed = aa.clone();
    renamed["Name"] = json!("Lobby");
    let (status, body) = call(&emu, Method::PUT, &one, &admin, Some(renamed)).await;
    assert_eq!(
        (status, &body["AutoAttendant"]["Name"]),
        (StatusCode::OK, &json!("Lobby")),
        "{body}"
    );
    let schedule_path = format!("/Teams.VoiceApps/schedules/{schedule_id}");
    let (status, body) = call(&emu, Method::DELETE, &schedule_path, &admin, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "in use: {body}");
    let (status, _) = call(&emu, Method::DELETE, &one, &admin, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&emu, Method::DELETE, &schedule_path, &admin, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for path in [one.as_str(), schedule_path.as_str()] {
        let (status, _) = call(&emu, Method::GET, path, &admin, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let mut dangling = aa;
    dangling["CallHandlingAssociations"][0]["ScheduleId"] = json!(schedule_id);
    let (status, body) = call(&emu, Method::POST, collection, &admin, Some(dangling)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("does not exist"), "{body}");
}

#[tokio::test]
async fn call_queue_routes_create_replace_and_delete_whole_queues() {
    let emu = start().await;
    let admin = token(&emu, ADMIN, TEAMS_SCOPE).await;
    let reader = token(&emu, READER, TEAMS_SCOPE).await;
    let queues = "/Teams.VoiceApps/callqueues";
    let new = json!({"Name": "Desk", "RoutingMethod": "RoundRobin", "TimeoutAction": "Forward",
                     "TimeoutActionTarget": "tel:+12065550100"});
    let (status, body) = call(&emu, Method::POST, queues, &admin, Some(new.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["CallQueue"]["Identity"].as_str().unwrap().to_string();
    assert_eq!(body["CallQueue"]["RoutingMethod"], "RoundRobin");
    assert_eq!(body["CallQueue"]["ApplicationInstances"], json!([]));
    let one = format!("{queues}/{id}");
    let (status, body) = call(&emu, Method::GET, &one, &admin, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["CallQueue"]["TimeoutActionTarget"], "tel:+12065550100");

    let mut misspelt = new.clone();
    misspelt["Agents"] = json!([]);
    let (status, body) = call(&emu, Method::PUT, &one, &admin, Some(misspelt)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("Agents"), "{body}");
    let mut too_long = new.clone();
    too_long["AgentAlertTime"] = json!(181);
    let (status, body) = call(&emu, Method::PUT, &one, &admin, Some(too_long)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("AgentAlertTime 181"), "{body}");
    let (status, _) = call(&emu, Method::POST, queues, &reader, Some(new.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the Teams role is required");

    let mut renamed = new.clone();
    renamed["Name"] = json!("Front desk");
    let (status, body) = call(&emu, Method::PUT, &one, &admin, Some(renamed)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["CallQueue"]["Name"], "Front desk");
    assert_eq!(body["CallQueue"]["Identity"], id.as_str());

    let (status, _) = call(&emu, Method::DELETE, &one, &admin, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for method in [Method::GET, Method::DELETE, Method::PUT] {
        let (status, body) = call(&emu, method, &one, &admin, Some(new.clone())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(message(&body).contains("was not found"), "{body}");
    }
}
