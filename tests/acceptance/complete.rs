//! The complete Shared Calling setup through the real terraform binary: resource account -> number
//! with an emergency location -> shared calling policy using that account and two emergency numbers.

use serde_json::{json, Value};

use crate::harness::{provider_block, Emulator, Workdir};
use crate::voice::{
    graph_number, snapshot, stored_number, user, voice_seed, LOC_SEATTLE, LOC_SEATTLE_2, SKU,
};

const UPN: &str = "aa-seattle@contoso.onmicrosoft.com";

fn config(emulator: &Emulator, display_name: &str, location: &str) -> String {
    format!(
        r#"{provider}
resource "teamsphone_resource_account" "main" {{
  user_principal_name = "{UPN}"
  display_name        = "{display_name}"
  account_type        = "auto_attendant"
  usage_location      = "US"
  license_sku_id      = "{SKU}"
}}

resource "teamsphone_phone_number_assignment" "main" {{
  telephone_number = "+1 206 555 0100"
  target_id        = teamsphone_resource_account.main.id
  number_type      = "direct_routing"
  location_id      = "{location}"
}}

resource "teamsphone_shared_calling_policy" "seattle" {{
  name                = "Seattle"
  resource_account_id = teamsphone_resource_account.main.id
  emergency_numbers   = ["+12065550150", "+12065550151"]
  depends_on          = [teamsphone_phone_number_assignment.main]
}}
"#,
        provider = provider_block(emulator)
    )
}

#[test]
fn complete_setup_applies_updates_imports_and_destroys_back_to_the_seed() {
    let emulator = Emulator::start(&voice_seed(json!({})));
    let seeded = snapshot(&emulator);
    let work = Workdir::new();
    work.write(&config(&emulator, "Seattle AA", LOC_SEATTLE));

    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("3 to add"), "{}", plan.stdout);
    work.apply();

    let account = user(&emulator, UPN).expect("account created");
    let id = account["id"].as_str().unwrap().to_string();
    assert_eq!(account["accountType"], "resourceAccount");
    assert_eq!(account["accountEnabled"], false);
    assert_eq!(account["usageLocation"], "US");
    assert_eq!(account["assignedLicenses"][0]["skuId"], SKU);
    assert_eq!(account["enterpriseVoiceEnabled"], true);
    let number = stored_number(&emulator, "+12065550100");
    assert_eq!(number["assignmentTargetId"], id.as_str());
    assert_eq!(number["locationId"], LOC_SEATTLE);
    let policy = emulator.policy("Tag:Seattle").expect("policy created");
    assert_eq!(policy["ResourceAccount"], id.as_str());
    for emergency in ["+12065550150", "+12065550151"] {
        let shown = graph_number(&emulator, emergency);
        assert_eq!(shown["assignmentStatus"], "policyAssigned", "{shown}");
        assert_eq!(shown["assignmentTargetId"], "Tag:Seattle");
    }
    assert_eq!(
        graph_number(&emulator, "+12065550100")["assignmentStatus"],
        "voiceApplicationAssigned"
    );
    work.assert_no_changes();

    // Display name and emergency location change in place.
    work.write(&config(&emulator, "Seattle Main Line", LOC_SEATTLE_2));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(
        plan.stdout.contains("2 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply();
    assert_eq!(
        user(&emulator, UPN).unwrap()["displayName"],
        "Seattle Main Line"
    );
    assert_eq!(
        stored_number(&emulator, "+12065550100")["locationId"],
        LOC_SEATTLE_2
    );
    assert_eq!(
        user(&emulator, UPN).unwrap()["id"],
        id.as_str(),
        "updated, not replaced"
    );
    work.assert_no_changes();

    // Each resource imports into a fresh state with no diff.
    let fresh = Workdir::new();
    fresh.write(&config(&emulator, "Seattle Main Line", LOC_SEATTLE_2));
    fresh.import("teamsphone_resource_account.main", UPN);
    fresh.import("teamsphone_phone_number_assignment.main", "+1 206 555 0100");
    fresh.import("teamsphone_shared_calling_policy.seattle", "Seattle");
    fresh.assert_no_changes();
    let by_id = Workdir::new();
    by_id.write(&config(&emulator, "Seattle Main Line", LOC_SEATTLE_2));
    by_id.import("teamsphone_resource_account.main", &id);
    let show = by_id.run(&[
        "state",
        "show",
        "-no-color",
        "teamsphone_resource_account.main",
    ]);
    assert!(
        show.stdout.contains(UPN) && show.stdout.contains(SKU),
        "{}",
        show.stdout
    );

    // Destroy in dependency order: policy, number, account; the tenant is as seeded again.
    work.destroy();
    assert_eq!(snapshot(&emulator), seeded);
    let unassigns = crate::voice::requests_to(&emulator, "POST", "/unassignNumber");
    assert_eq!(unassigns.len(), 1, "the assignment resource unassigns once");
}

#[test]
fn the_complete_example_file_applies_to_the_demo_tenant_and_destroys_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("examples/emulator/demo-tenant.json")).unwrap(),
    )
    .unwrap();
    let emulator = Emulator::start(&demo);
    let seeded = snapshot(&emulator);
    let work = Workdir::new();
    crate::examples::write_complete_example(&work);
    let secret = demo["tenants"][0]["apps"][0]["client_secret"]
        .as_str()
        .unwrap();
    let env = [
        ("TEAMSPHONE_TENANT_ID", crate::harness::TENANT_ID),
        ("TEAMSPHONE_CLIENT_ID", crate::harness::CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", secret),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
    ];
    let run = |args: &[&str]| work.run_with_env(args, &env);
    let apply = run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(apply.code, 0, "{}", apply.all());
    assert!(apply.stdout.contains("12 added"), "{}", apply.stdout);
    let plan = run(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(plan.code, 0, "{}", plan.all());
    let account = user(&emulator, "aa-seattle@contoso.onmicrosoft.com").unwrap();
    assert_eq!(
        stored_number(&emulator, "+12065550140")["assignmentTargetId"],
        account["id"]
    );
    // The account answers for the example's reception auto attendant; its key 1 reaches the
    // reception call queue (Ann and Bob) through the queue's own resource account.
    let apps = emulator.tenant()["voice_apps"].clone();
    let named = |list: &str, name: &str| {
        apps[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["Name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {list} named {name}: {apps}"))
    };
    let reception = named("auto_attendants", "Seattle reception");
    let queue = named("call_queues", "Seattle reception queue");
    let queue_account = user(&emulator, "cq-seattle-reception@contoso.onmicrosoft.com").unwrap();
    let associated = |endpoint: &Value, configuration: &Value| {
        apps["associations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| &a["endpoint_id"] == endpoint && &a["configuration_id"] == configuration)
    };
    assert!(associated(&account["id"], &reception["Id"]), "{apps}");
    assert!(
        associated(&queue_account["id"], &queue["Identity"]),
        "{apps}"
    );
    assert_eq!(
        queue["Users"],
        json!([
            "cccccccc-0000-0000-0000-000000000001",
            "cccccccc-0000-0000-0000-000000000002"
        ])
    );
    assert!(
        reception
            .to_string()
            .contains(queue_account["id"].as_str().unwrap()),
        "the menu transfers to the queue's account: {reception}"
    );
    let schedules = apps["schedules"].as_array().unwrap();
    assert_eq!(
        schedules.len(),
        3,
        "business hours and two holidays: {apps}"
    );
    // Both light users hold the shared calling and the emergency policy directly, with Enterprise Voice.
    let grants = crate::directory::direct_assignments(&emulator);
    for user in [
        "cccccccc-0000-0000-0000-000000000001",
        "cccccccc-0000-0000-0000-000000000002",
    ] {
        for (policy_type, name) in [
            ("TeamsSharedCallingRoutingPolicy", "Seattle"),
            ("TeamsEmergencyCallRoutingPolicy", "Seattle-E911"),
        ] {
            assert!(
                grants.contains(&(user.to_string(), policy_type.to_string(), name.to_string())),
                "{user} should hold {policy_type} {name}: {grants:?}"
            );
        }
    }
    let destroy = run(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(destroy.code, 0, "{}", destroy.all());
    assert_eq!(snapshot(&emulator), seeded);
    assert_eq!(
        crate::directory::direct_assignments(&emulator),
        vec![],
        "grants removed"
    );
}
