//! The assignment routes over real HTTP: paging of `userConfigurations`, getPolicyId, batched
//! assign/unassign, Enterprise Voice, group assignments, and the request budget.

use crate::test_http::{Client, Method, StatusCode};
use serde_json::{json, Value};

use super::{Emulator, EmulatorConfig, EmulatorHandle, Seed};
use teamsphone_contract::{GRAPH_SCOPE, TEAMS_SCOPE};

const TENANT: &str = "11111111-2222-3333-4444-555555555555";
const APP: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const GROUP: &str = "dddddddd-0000-0000-0000-000000000001";
const E911: &str = "TeamsEmergencyCallRoutingPolicy";

fn user_id(i: usize) -> String {
    format!("cccccccc-0000-0000-0000-{i:012}")
}

async fn start(settings: Value) -> EmulatorHandle {
    let mut users: Vec<Value> = (0..250)
        .map(|i| json!({"id": user_id(i), "userPrincipalName": format!("u{i}@contoso.com"), "displayName": "U"}))
        .collect();
    // One user without Teams Phone: its `featureTypes` is seeded, everyone else's is the default.
    users[2]["featureTypes"] = json!(["Teams"]);
    let seed = json!({
        "settings": settings,
        "tenants": [{
            "tenant_id": TENANT, "domain": "contoso.onmicrosoft.com",
            "apps": [{"client_id": APP, "client_secret": "s", "teams_administrator": true}],
            "users": users,
            "groups": [{"id": GROUP, "displayName": "G", "members": [user_id(1)]}],
            "assignments": {"policies": {E911: ["Seattle-E911"]}}
        }]
    });
    let seed = Seed::from_json(&seed.to_string()).unwrap();
    Emulator::start(EmulatorConfig::new("127.0.0.1:0".parse().unwrap(), seed))
        .await
        .unwrap()
}

async fn token(emu: &EmulatorHandle, scope: &str) -> String {
    let body: Value = Client::new()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", emu.url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", "s"),
            ("scope", scope),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

async fn call(
    emu: &EmulatorHandle,
    scope: &str,
    method: Method,
    url: &str,
    body: Option<Value>,
) -> (StatusCode, Value, Option<String>) {
    let url = if url.starts_with("http") {
        url.to_string()
    } else {
        format!("{}{url}", emu.url())
    };
    let mut req = Client::new()
        .request(method, url)
        .bearer_auth(token(emu, scope).await);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        retry,
    )
}

/// User `i`'s Teams configuration as Graph answers it.
async fn configuration(emu: &EmulatorHandle, i: usize) -> (StatusCode, Value) {
    let url = format!("/v1.0/admin/teams/userConfigurations/{}", user_id(i));
    let (status, body, _) = call(emu, GRAPH_SCOPE, Method::GET, &url, None).await;
    (status, body)
}

fn e911_of(config: &Value) -> Value {
    config["effectivePolicyAssignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["policyType"] == E911)
        .unwrap()["policyAssignment"]
        .clone()
}

#[tokio::test]
async fn feature_types_default_to_teams_phone_and_can_be_seeded() {
    let emu = start(json!({})).await;
    let (s, default) = configuration(&emu, 1).await;
    assert_eq!(s, StatusCode::OK, "{default}");
    assert_eq!(default["featureTypes"], json!(["Teams", "PhoneSystem"]));
    let (s, seeded) = configuration(&emu, 2).await;
    assert_eq!(s, StatusCode::OK, "{seeded}");
    assert_eq!(seeded["featureTypes"], json!(["Teams"]));
}

#[tokio::test]
async fn assignments_paging_groups_and_voice() {
    let emu = start(json!({})).await;
    let (s, found, _) = call(
        &emu,
        GRAPH_SCOPE,
        Method::GET,
        &format!("/v1.0/admin/teams/policy/getPolicyId(type='{E911}',name='seattle-e911')"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(found["value"][0]["name"], "Tag:Seattle-E911");
    let policy_id = found["value"][0]["policyId"].as_str().unwrap().to_string();
    let (s, _, _) = call(
        &emu,
        GRAPH_SCOPE,
        Method::GET,
        &format!("/v1.0/admin/teams/policy/getPolicyId(type='{E911}',name='Nowhere')"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let batch: Vec<Value> = (0..3)
        .map(|i| json!({"userId": user_id(i), "policyType": E911, "policyId": policy_id}))
        .collect();
    let assign = "/v1.0/admin/teams/policy/userAssignments/assign";
    let (s, body, _) = call(
        &emu,
        GRAPH_SCOPE,
        Method::POST,
        assign,
        Some(json!({"value": batch})),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    let bad = json!({"value": [{"userId": "ghost@contoso.com", "policyType": E911, "policyId": policy_id}]});
    let (s, body, _) = call(&emu, GRAPH_SCOPE, Method::POST, assign, Some(bad)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ghost@contoso.com"),
        "{body}"
    );
    let (s, _, _) = call(
        &emu,
        GRAPH_SCOPE,
        Method::POST,
        "/v1.0/admin/teams/policy/userAssignments/unassign",
        Some(json!({"value": [{"userId": user_id(2), "policyType": E911}]})),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    // Group assignment reaches user 1's effective policy only where no direct one exists.
    let group = format!("/Skype.Policy/groupPolicyAssignments/{GROUP}/policyTypes/{E911}");
    let (s, written, _) = call(
        &emu,
        TEAMS_SCOPE,
        Method::PATCH,
        &group,
        Some(json!({"PolicyName": "Seattle-E911"})),
    )
    .await;
    assert_eq!((s, written["Rank"].clone()), (StatusCode::OK, json!(1)));
    let (_, list, _) = call(
        &emu,
        TEAMS_SCOPE,
        Method::GET,
        "/Skype.Policy/groupPolicyAssignments/",
        None,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Pages of 100 by default; $top honoured; every user once.
    let mut url = "/v1.0/admin/teams/userConfigurations?$top=120".to_string();
    let mut seen = Vec::new();
    while !url.is_empty() {
        let (s, page, _) = call(&emu, GRAPH_SCOPE, Method::GET, &url, None).await;
        assert_eq!(s, StatusCode::OK);
        seen.extend(page["value"].as_array().unwrap().iter().cloned());
        url = page["@odata.nextLink"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    assert_eq!(seen.len(), 250);
    // Paging by offset reaches the same users.
    let (s, by_offset, _) = call(
        &emu,
        GRAPH_SCOPE,
        Method::GET,
        "/v1.0/admin/teams/userConfigurations?$top=120&$skip=240",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(by_offset["value"].as_array().unwrap().len(), 10);
    assert_eq!(by_offset["value"][0]["id"], seen[240]["id"]);
    assert_eq!(e911_of(&seen[0])["assignmentType"], "direct");
    assert_eq!(e911_of(&seen[0])["displayName"], "Seattle-E911");
    assert_eq!(e911_of(&seen[2])["displayName"], "Global", "unassigned");
    assert_eq!(e911_of(&seen[5])["displayName"], "Global");

    let (s, _, _) = call(
        &emu,
        GRAPH_SCOPE,
        Method::POST,
        "/v1.0/admin/teams/policy/userAssignments/unassign",
        Some(json!({"value": [{"userId": user_id(1), "policyType": E911}]})),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, one) = configuration(&emu, 1).await;
    assert_eq!(e911_of(&one)["assignmentType"], "group");
    assert_eq!(e911_of(&one)["groupId"], GROUP);

    let voice = format!("/Teams.User/users/{}", user_id(7));
    let (s, _, _) = call(
        &emu,
        TEAMS_SCOPE,
        Method::PATCH,
        &voice,
        Some(json!({"EnterpriseVoiceEnabled": true})),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, one) = configuration(&emu, 7).await;
    assert_eq!(one["isEnterpriseVoiceEnabled"], true);
    let (s, _, _) = call(
        &emu,
        TEAMS_SCOPE,
        Method::PATCH,
        "/Teams.User/users/ghost@contoso.com",
        Some(json!({"EnterpriseVoiceEnabled": true})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    emu.shutdown().await;
}

#[tokio::test]
async fn both_routes_that_name_a_policy_refuse_an_unknown_type_or_instance_alike() {
    let emu = start(json!({})).await;
    let get_id = |kind: &str, name: &str| {
        format!("/v1.0/admin/teams/policy/getPolicyId(type='{kind}',name='{name}')")
    };
    let grant = |kind: &str| format!("/Skype.Policy/users/{}/policies/{kind}", user_id(1));
    let named = |name: &str| Some(json!({ "PolicyName": name }));
    let unknown_type = "'NoSuchPolicy' is not a policy type".to_string();
    let unknown_instance = format!("Policy 'Nowhere' of type {E911} was not found");
    let (bad, missing) = (
        (StatusCode::BAD_REQUEST, "BadRequest"),
        (StatusCode::NOT_FOUND, "NotFound"),
    );
    let cases = [
        (
            GRAPH_SCOPE,
            Method::GET,
            get_id("NoSuchPolicy", "x"),
            None,
            bad,
            &unknown_type,
        ),
        (
            GRAPH_SCOPE,
            Method::GET,
            get_id(E911, "Nowhere"),
            None,
            missing,
            &unknown_instance,
        ),
        (
            TEAMS_SCOPE,
            Method::PATCH,
            grant("NoSuchPolicy"),
            named("x"),
            bad,
            &unknown_type,
        ),
        (
            TEAMS_SCOPE,
            Method::PATCH,
            grant(E911),
            named("Nowhere"),
            missing,
            &unknown_instance,
        ),
    ];
    for (scope, method, url, body, (status, code), message) in cases {
        let (s, answer, _) = call(&emu, scope, method, &url, body).await;
        let error = &answer["error"];
        assert_eq!(
            (s, &error["code"], &error["message"]),
            (status, &json!(code), &json!(message)),
            "{url}"
        );
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn the_budget_answers_429_with_retry_after() {
    let emu = start(json!({"request_budget": {"requests": 2, "window_ms": 60000}})).await;
    let url = "/v1.0/admin/teams/userConfigurations?$top=1";
    let token = token(&emu, GRAPH_SCOPE).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..3 {
        let r = Client::new()
            .get(format!("{}{url}", emu.url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        retry_after = r
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
    }
    assert_eq!(statuses, vec![200, 200, 429]);
    let seconds: u64 = retry_after.unwrap().parse().unwrap();
    assert!((1..=60).contains(&seconds));
    emu.shutdown().await;
}
