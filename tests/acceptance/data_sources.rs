//! Data sources through terraform against the emulator.

use serde_json::{json, Value};

use crate::harness::{provider_block, seed, Emulator, Workdir, RESOURCE_ACCOUNT};

#[test]
fn shared_calling_policy_is_read_by_name() {
    let emulator = Emulator::start(&seed(json!({
        "shared_calling_policies": [{
            "Identity": "Tag:Existing", "Description": "made in the admin center",
            "ResourceAccount": RESOURCE_ACCOUNT, "EmergencyNumbers": ["+12065550100"]
        }]
    })));
    let work = Workdir::new();
    work.write(&format!(
        r#"{}
data "teamsphone_shared_calling_policy" "existing" {{
  name = "Existing"
}}

output "policy" {{
  value = data.teamsphone_shared_calling_policy.existing
}}
"#,
        provider_block(&emulator)
    ));
    work.apply();
    let out = work.run(&["output", "-json", "policy"]);
    let policy: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(policy["id"], "Tag:Existing");
    assert_eq!(policy["description"], "made in the admin center");
    assert_eq!(policy["resource_account_id"], RESOURCE_ACCOUNT);
    assert_eq!(policy["emergency_numbers"], json!(["+12065550100"]));

    work.write(&format!(
        "{}\ndata \"teamsphone_shared_calling_policy\" \"missing\" {{\n  name = \"Missing\"\n}}\n",
        provider_block(&emulator)
    ));
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.text()
            .contains("No shared calling policy named \"Missing\""),
        "{}",
        run.all()
    );
}

const ACCOUNT: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";
const LOCATION: &str = "5a0c7e1e-7a4b-4f3e-9d0a-5ea771e00001";
const SKU: &str = "440eaaa8-b3e0-484b-a8be-62870b9ba70a";

/// A tenant with a resource account holding one number, a person, and a small number inventory
/// listed two to a page, so every list must follow `@odata.nextLink`.
fn inventory_seed() -> Value {
    let mut seed = seed(json!({
        "users": [
            {"id": ACCOUNT, "userPrincipalName": "cq-sales@contoso.onmicrosoft.com",
             "displayName": "Sales queue", "accountEnabled": false, "accountType": "resourceAccount",
             "applicationId": "11cd3e2e-fccb-42ad-ad00-878b93575e07", "usageLocation": "US",
             "assignedLicenses": [{"skuId": SKU}]},
            {"id": "cccccccc-0000-0000-0000-000000000001", "userPrincipalName": "ann@contoso.onmicrosoft.com",
             "displayName": "Ann", "usageLocation": "US"}
        ],
        "emergency_locations": [
            {"id": LOCATION, "description": "Seattle office", "countryOrRegion": "US"}
        ],
        "phone_numbers": [
            {"telephoneNumber": "+12065550101", "numberType": "directRouting", "isoCountryCode": "US",
             "city": "Seattle", "assignmentTargetId": ACCOUNT, "assignmentCategory": "primary",
             "locationId": LOCATION, "capabilities": ["firstPartyAppAssignment"]},
            {"telephoneNumber": "+12065550102", "numberType": "directRouting", "isoCountryCode": "US", "city": "Seattle"},
            {"telephoneNumber": "+12065550103", "numberType": "directRouting", "isoCountryCode": "US", "city": "Seattle"},
            {"telephoneNumber": "+12065550104", "numberType": "directRouting", "isoCountryCode": "US", "city": "Seattle"},
            {"telephoneNumber": "+12065550177", "numberType": "callingPlan", "isoCountryCode": "US", "city": "Seattle"},
            {"telephoneNumber": "+442079460958", "numberType": "directRouting", "isoCountryCode": "GB", "city": "London"}
        ]
    }));
    seed["settings"]["graph_page_size"] = json!(2);
    seed
}

/// Terraform's wrapped diagnostics on one line, for matching phrases.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn output(work: &Workdir, name: &str) -> Value {
    let out = work.run(&["output", "-json", name]);
    assert_eq!(out.code, 0, "{}", out.all());
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn phone_numbers_are_listed_across_pages_and_filtered() {
    let emulator = Emulator::start(&inventory_seed());
    let work = Workdir::new();
    work.write(&format!(
        r#"{}
data "teamsphone_phone_numbers" "all" {{}}

data "teamsphone_phone_numbers" "free_us_direct" {{
  number_type       = "direct_routing"
  assignment_status = "unassigned"
  iso_country_code  = "US"
}}

output "all" {{
  value = data.teamsphone_phone_numbers.all.numbers
}}

output "free" {{
  value = data.teamsphone_phone_numbers.free_us_direct.numbers[*].telephone_number
}}
"#,
        provider_block(&emulator)
    ));
    work.apply();
    let all = output(&work, "all");
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 6, "every page is read: {all:?}");
    let held = all
        .iter()
        .find(|n| n["telephone_number"] == "+12065550101")
        .unwrap();
    assert_eq!(held["number_type"], "direct_routing");
    assert_eq!(held["assignment_status"], "voiceApplicationAssigned");
    assert_eq!(held["assignment_target_id"], ACCOUNT);
    assert_eq!(held["activation_state"], "activated");
    assert_eq!(held["iso_country_code"], "US");
    assert_eq!(held["city"], "Seattle");
    assert_eq!(held["location_id"], LOCATION);
    assert_eq!(held["capabilities"], json!(["firstPartyAppAssignment"]));
    let plan = all
        .iter()
        .find(|n| n["telephone_number"] == "+12065550177")
        .unwrap();
    assert_eq!(plan["number_type"], "calling_plan");
    assert_eq!(plan["assignment_target_id"], Value::Null);
    assert_eq!(
        output(&work, "free"),
        json!(["+12065550102", "+12065550103", "+12065550104"])
    );
    // The filter went to Graph, and more than one page was asked for.
    let lists: Vec<String> = emulator
        .requests()
        .iter()
        .filter_map(|r| r["path"].as_str().map(str::to_string))
        .filter(|p| p.contains("numberAssignments"))
        .collect();
    assert!(lists.len() >= 4, "{lists:?}");

    work.write(&format!(
        "{}\ndata \"teamsphone_phone_numbers\" \"bad\" {{\n  number_type = \"sip\"\n}}\n",
        provider_block(&emulator)
    ));
    let out = flat(&work.plan_fails());
    assert!(
        out.contains("direct_routing, calling_plan, operator_connect"),
        "{out}"
    );
}

#[test]
fn resource_account_is_read_by_id_or_user_principal_name() {
    let emulator = Emulator::start(&inventory_seed());
    let work = Workdir::new();
    work.write(&format!(
        r#"{}
data "teamsphone_resource_account" "by_upn" {{
  user_principal_name = "CQ-Sales@contoso.onmicrosoft.com"
}}

data "teamsphone_resource_account" "by_id" {{
  id = "{ACCOUNT}"
}}

output "by_upn" {{
  value = data.teamsphone_resource_account.by_upn
}}

output "by_id_upn" {{
  value = data.teamsphone_resource_account.by_id.user_principal_name
}}
"#,
        provider_block(&emulator)
    ));
    work.apply();
    let account = output(&work, "by_upn");
    assert_eq!(account["id"], ACCOUNT);
    assert_eq!(
        account["user_principal_name"],
        "CQ-Sales@contoso.onmicrosoft.com"
    );
    assert_eq!(account["display_name"], "Sales queue");
    assert_eq!(account["account_type"], "call_queue");
    assert_eq!(
        account["application_id"],
        "11cd3e2e-fccb-42ad-ad00-878b93575e07"
    );
    assert_eq!(account["usage_location"], "US");
    assert_eq!(account["license_sku_ids"], json!([SKU]));
    assert_eq!(account["phone_numbers"], json!(["+12065550101"]));
    assert_eq!(
        output(&work, "by_id_upn"),
        json!("cq-sales@contoso.onmicrosoft.com")
    );
    work.assert_no_changes();

    work.write(&format!(
        "{}\ndata \"teamsphone_resource_account\" \"person\" {{\n  user_principal_name = \"ann@contoso.onmicrosoft.com\"\n}}\n",
        provider_block(&emulator)
    ));
    let out = flat(&work.plan_fails());
    assert!(
        out.contains("is a user but not a resource account"),
        "{out}"
    );
    work.write(&format!(
        "{}\ndata \"teamsphone_resource_account\" \"none\" {{}}\n",
        provider_block(&emulator)
    ));
    let out = flat(&work.plan_fails());
    assert!(
        out.contains("exactly one of id and user_principal_name"),
        "{out}"
    );
}

#[test]
fn user_shows_effective_policies_with_their_assignment_type() {
    const ANN: &str = "cccccccc-0000-0000-0000-000000000001";
    const GROUP: &str = "dddddddd-0000-0000-0000-000000000001";
    let emulator = Emulator::start(&seed(json!({
        "shared_calling_policies": [{
            "Identity": "Tag:Seattle", "ResourceAccount": RESOURCE_ACCOUNT, "EmergencyNumbers": []
        }],
        "users": [{"id": ANN, "userPrincipalName": "ann@contoso.onmicrosoft.com", "displayName": "Ann",
                   "enterpriseVoiceEnabled": true}],
        "groups": [{"id": GROUP, "displayName": "Seattle", "members": [ANN]}],
        "assignments": {
            "policies": {"TeamsEmergencyCallRoutingPolicy": ["Seattle-E911"]},
            "users": {ANN: {"TeamsEmergencyCallRoutingPolicy": {"policy_name": "Seattle-E911"}}},
            "groups": [{"GroupId": GROUP, "PolicyType": "TeamsSharedCallingRoutingPolicy",
                        "PolicyName": "Seattle", "Rank": 1}]
        }
    })));
    let work = Workdir::new();
    work.write(&format!(
        "{}\ndata \"teamsphone_user\" \"ann\" {{\n  user_id = \"ANN@contoso.onmicrosoft.com\"\n}}\n\noutput \"ann\" {{\n  value = data.teamsphone_user.ann\n}}\n",
        provider_block(&emulator)
    ));
    work.apply();
    let out = work.run(&["output", "-json", "ann"]);
    let user: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(user["id"], ANN);
    assert_eq!(user["enterprise_voice_enabled"], true);
    let policy = |t: &str| {
        user["effective_policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["policy_type"] == t)
            .cloned()
            .unwrap_or_else(|| panic!("no {t} in {user}"))
    };
    let shared = policy("TeamsSharedCallingRoutingPolicy");
    assert_eq!(shared["policy_name"], "Seattle");
    assert_eq!(shared["assignment_type"], "group");
    assert_eq!(shared["group_id"], GROUP);
    let emergency = policy("TeamsEmergencyCallRoutingPolicy");
    assert_eq!(emergency["policy_name"], "Seattle-E911");
    assert_eq!(emergency["assignment_type"], "direct");

    work.write(&format!(
        "{}\ndata \"teamsphone_user\" \"nobody\" {{\n  user_id = \"nobody@contoso.onmicrosoft.com\"\n}}\n",
        provider_block(&emulator)
    ));
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.text()
            .contains("No user \"nobody@contoso.onmicrosoft.com\" exists"),
        "{}",
        run.all()
    );
}
