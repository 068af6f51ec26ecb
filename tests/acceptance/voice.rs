//! Helpers for the resource account and phone number tests: a tenant with a number inventory and
//! emergency locations, the emulator's voice view, and calls made the way an admin outside
//! Terraform would make them.

use serde_json::{json, Value};

use crate::harness::{seed, Emulator, TENANT_ID};

pub const LOC_SEATTLE: &str = "5a0c7e1e-7a4b-4f3e-9d0a-000000000001";
pub const LOC_SEATTLE_2: &str = "5a0c7e1e-7a4b-4f3e-9d0a-000000000002";
pub const LOC_LONDON: &str = "5a0c7e1e-7a4b-4f3e-9d0a-000000000003";
/// A licensed resource account that is seeded, so tests of numbers need not create one.
pub const SEEDED_RA: &str = "7d1b5c8e-2f0a-4c61-8e3b-000000000001";
/// A person with a usage location but no license.
pub const UNLICENSED_USER: &str = "7d1b5c8e-2f0a-4c61-8e3b-000000000002";
/// Teams Phone Resource Account.
pub const SKU: &str = "440eaaa8-b3e0-484b-a8be-62870b9ba70a";

/// A tenant with US and GB numbers of every type and three emergency locations; `settings` are
/// merged into the emulator settings (e.g. slower operations).
pub fn voice_seed(settings: Value) -> Value {
    let dr = |n: &str, country: &str| json!({"telephoneNumber": n, "numberType": "directRouting", "isoCountryCode": country});
    let mut s = seed(json!({
        "emergency_locations": [
            {"id": LOC_SEATTLE, "description": "Seattle HQ", "countryOrRegion": "US"},
            {"id": LOC_SEATTLE_2, "description": "Seattle annex", "countryOrRegion": "US"},
            {"id": LOC_LONDON, "description": "London", "countryOrRegion": "GB"}
        ],
        "phone_numbers": [
            dr("+12065550100", "US"), dr("+12065550150", "US"), dr("+12065550151", "US"),
            dr("+12065550160", "US"), dr("+442079460958", "GB"),
            {"telephoneNumber": "+12065550177", "numberType": "callingPlan", "isoCountryCode": "US"}
        ],
        "users": [
            {"id": SEEDED_RA, "userPrincipalName": "cq-main@contoso.onmicrosoft.com",
             "displayName": "Main line", "accountEnabled": false, "accountType": "resourceAccount",
             "applicationId": "11cd3e2e-fccb-42ad-ad00-878b93575e07", "usageLocation": "US",
             "assignedLicenses": [{"skuId": SKU}]},
            {"id": UNLICENSED_USER, "userPrincipalName": "ann@contoso.onmicrosoft.com",
             "displayName": "Ann", "usageLocation": "US"}
        ]
    }));
    if let (Some(target), Some(extra)) = (s["settings"].as_object_mut(), settings.as_object()) {
        for (k, v) in extra {
            target.insert(k.clone(), v.clone());
        }
    }
    s
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
}

/// Users, numbers and operations as the emulator holds them.
pub fn voice(emulator: &Emulator) -> Value {
    http()
        .get(format!(
            "{}/_emulator/tenants/{TENANT_ID}/voice",
            emulator.url
        ))
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap()
}

pub fn user(emulator: &Emulator, upn: &str) -> Option<Value> {
    voice(emulator)["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| {
            u["userPrincipalName"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(upn)
        })
        .cloned()
}

/// A number as stored by the emulator.
pub fn stored_number(emulator: &Emulator, number: &str) -> Value {
    voice(emulator)["phone_numbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["telephoneNumber"] == number)
        .cloned()
        .unwrap_or_else(|| panic!("{number} is not in the inventory"))
}

/// A number as Graph shows it to a client (with derived `assignmentStatus`).
pub fn graph_number(emulator: &Emulator, number: &str) -> Value {
    let token = emulator.token(teamsphone_contract::GRAPH_SCOPE);
    let page: Value = http()
        .get(format!(
            "{}/v1.0/admin/teams/telephoneNumberManagement/numberAssignments",
            emulator.url
        ))
        .query(&[("$filter", format!("telephoneNumber eq '{number}'"))])
        .bearer_auth(token)
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap();
    page["value"][0].clone()
}

/// Request log entries with `method` whose path ends with `suffix`.
pub fn requests_to(emulator: &Emulator, method: &str, suffix: &str) -> Vec<Value> {
    emulator
        .requests()
        .into_iter()
        .filter(|r| r["method"] == method && r["path"].as_str().unwrap().ends_with(suffix))
        .collect()
}

/// Everything `terraform destroy` must give back: users, numbers (without operations) and policies.
pub fn snapshot(emulator: &Emulator) -> Value {
    let v = voice(emulator);
    json!({
        "users": v["users"],
        "phone_numbers": v["phone_numbers"],
        "policies": emulator.tenant()["shared_calling_policies"],
    })
}
