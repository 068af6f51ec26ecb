//! Seed pieces and outside-Terraform calls shared by the policy-binding tests: numbered users and
//! groups, and Graph/Teams calls an admin would make by hand to create drift.

use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{Emulator, RESOURCE_ACCOUNT};

pub const E911: &str = "TeamsEmergencyCallRoutingPolicy";
pub const SHARED: &str = "TeamsSharedCallingRoutingPolicy";

/// Object id of numbered user `i`.
pub fn user_id(i: usize) -> String {
    format!("cccccccc-0000-4000-8000-{i:012}")
}

/// Principal name of numbered user `i`.
pub fn upn(i: usize) -> String {
    format!("user{i:05}@contoso.com")
}

pub fn group_id(i: usize) -> String {
    format!("dddddddd-0000-4000-8000-{i:012}")
}

/// `n` users, numbered from 0.
pub fn users(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"id": user_id(i), "userPrincipalName": upn(i), "displayName": format!("User {i}")}))
        .collect()
}

/// Tenant extras: `n` users, shared calling policies Seattle and Tacoma, and emergency call routing
/// policies Seattle-E911 and Tacoma-E911.
pub fn tenant(n: usize) -> Value {
    json!({
        "users": users(n),
        "shared_calling_policies": [
            {"Identity": "Tag:Seattle", "ResourceAccount": RESOURCE_ACCOUNT, "EmergencyNumbers": []},
            {"Identity": "Tag:Tacoma", "ResourceAccount": RESOURCE_ACCOUNT, "EmergencyNumbers": []}
        ],
        "assignments": {"policies": {E911: ["Seattle-E911", "Tacoma-E911"]}}
    })
}

/// A Graph call with an app token, as an admin script would make it; returns the status.
pub fn graph_call(
    emulator: &Emulator,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let token = emulator.token(teamsphone_contract::GRAPH_SCOPE);
    let mut request = reqwest::blocking::Client::new()
        .request(method, format!("{}{path}", emulator.url))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let answer = request.send().unwrap();
    let status = answer.status().as_u16();
    let text = answer.text().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The direct assignments the emulator holds, as (user id, policy type, policy name).
pub fn direct_assignments(emulator: &Emulator) -> Vec<(String, String, String)> {
    let mut list: Vec<(String, String, String)> = emulator.tenant()["user_policy_assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["userId"].as_str().unwrap().to_string(),
                a["policyType"].as_str().unwrap().to_string(),
                a["policyName"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    list.sort();
    list
}

/// Grants or removes a policy outside Terraform (`policy_name` `None` unassigns).
pub fn grant_outside(
    emulator: &Emulator,
    user: &str,
    policy_type: &str,
    policy_name: Option<&str>,
) {
    let (status, body) = match policy_name {
        Some(name) => {
            let (s, found) = graph_call(
                emulator,
                Method::GET,
                &format!(
                    "/v1.0/admin/teams/policy/getPolicyId(type='{policy_type}',name='{name}')"
                ),
                None,
            );
            assert_eq!(s, 200, "{found}");
            let id = found["value"][0]["policyId"].as_str().unwrap().to_string();
            graph_call(
                emulator,
                Method::POST,
                "/v1.0/admin/teams/policy/userAssignments/assign",
                Some(
                    json!({"value": [{"userId": user, "policyType": policy_type, "policyId": id}]}),
                ),
            )
        }
        None => graph_call(
            emulator,
            Method::POST,
            "/v1.0/admin/teams/policy/userAssignments/unassign",
            Some(json!({"value": [{"userId": user, "policyType": policy_type}]})),
        ),
    };
    assert_eq!(status, 204, "{body}");
}

/// Requests per kind the emulator counted since the last clear.
pub fn request_counts(emulator: &Emulator) -> Value {
    reqwest::blocking::get(format!("{}/_emulator/requests/counts", emulator.url))
        .unwrap()
        .json()
        .unwrap()
}

pub fn clear_requests(emulator: &Emulator) {
    reqwest::blocking::Client::new()
        .delete(format!("{}/_emulator/requests", emulator.url))
        .send()
        .unwrap();
}

/// Sum of counts whose kind contains `needle`.
pub fn count_of(counts: &Value, needle: &str) -> u64 {
    counts
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.contains(needle))
        .map(|(_, v)| v.as_u64().unwrap())
        .sum()
}
