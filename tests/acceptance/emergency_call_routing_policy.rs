//! `teamsphone_emergency_call_routing_policy` (resource and data source) through the real terraform
//! binary: lifecycle with drift and import, the force_destroy guard, and the data source.

use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{provider_block, seed, Emulator, Workdir};

const ADDRESS: &str = "teamsphone_emergency_call_routing_policy.seattle";
const PATH: &str =
    "/Skype.Policy/configurations/TeamsEmergencyCallRoutingPolicy/configuration/Tag:Seattle-E911";
const ANN: &str = "cccccccc-0000-0000-0000-000000000001";

fn tenant(extra: Value) -> Value {
    let mut base = json!({"pstn_usages": ["US-Emergency", "US-Local"]});
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    seed(base)
}

fn config(emulator: &Emulator, description: &str, numbers: &str, extra: &str) -> String {
    format!(
        r#"{provider}
resource "teamsphone_emergency_call_routing_policy" "seattle" {{
  name              = "Seattle-E911"
  description       = "{description}"
  emergency_numbers = {numbers}
  {extra}
}}
"#,
        provider = provider_block(emulator)
    )
}

/// The policy as the emulator holds it.
fn stored(emulator: &Emulator, identity: &str) -> Option<Value> {
    emulator.tenant()["emergency_call_routing_policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["Identity"] == identity)
        .cloned()
}

const TWO: &str = r#"[
    { dial_string = "911", dial_masks = ["933", "112"], pstn_usage = "us-emergency" },
    { dial_string = "999", dial_masks = [], pstn_usage = null },
  ]"#;
const ONE: &str = r#"[{ dial_string = "911", dial_masks = ["933"], pstn_usage = "US-Emergency" }]"#;

#[test]
fn lifecycle_create_update_drift_import_destroy() {
    let emulator = Emulator::start(&tenant(json!({})));
    let work = Workdir::new();
    work.write(&config(&emulator, "Seattle", TWO, ""));
    work.apply();
    let created = stored(&emulator, "Tag:Seattle-E911").expect("policy created");
    assert_eq!(created["Description"], "Seattle");
    assert_eq!(created["AllowEnhancedEmergencyServices"], false);
    assert_eq!(
        created["EmergencyNumbers"],
        json!([
            {"EmergencyDialString": "911", "EmergencyDialMask": "933;112", "OnlinePSTNUsage": "us-emergency"},
            {"EmergencyDialString": "999", "EmergencyDialMask": null, "OnlinePSTNUsage": null}
        ])
    );
    let creates: Vec<Value> = emulator
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["service"] == "teams")
        .collect();
    assert_eq!(creates.len(), 1, "{creates:?}");
    work.assert_no_changes();

    // In place: description, enhanced services and one number fewer.
    work.write(&config(
        &emulator,
        "Seattle HQ",
        ONE,
        "enhanced_emergency_services = true",
    ));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.stdout);
    work.apply();
    let updated = stored(&emulator, "Tag:Seattle-E911").unwrap();
    assert_eq!(updated["Description"], "Seattle HQ");
    assert_eq!(updated["AllowEnhancedEmergencyServices"], true);
    assert_eq!(updated["EmergencyNumbers"][0]["EmergencyDialMask"], "933");
    assert_eq!(updated["EmergencyNumbers"].as_array().unwrap().len(), 1);
    work.assert_no_changes();

    // Changed in the admin center: the plan shows it, apply puts it back.
    let status = emulator.teams_call(
        Method::PUT,
        PATH,
        Some(json!({"EmergencyNumbers": [{"EmergencyDialString": "112"}]})),
    );
    assert_eq!(status, 200);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "drift must show:\n{}", plan.all());
    assert!(plan.stdout.contains("\"112\""), "{}", plan.stdout);
    work.apply();
    assert_eq!(
        stored(&emulator, "Tag:Seattle-E911").unwrap()["EmergencyNumbers"][0]
            ["EmergencyDialString"],
        "911"
    );

    // Deleted outside Terraform: planned for re-creation.
    assert_eq!(emulator.teams_call(Method::DELETE, PATH, None), 204);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("will be created"), "{}", plan.stdout);
    work.apply();
    assert!(stored(&emulator, "Tag:Seattle-E911").is_some());

    // Import into a fresh state (with the Tag: prefix, which is accepted): no diff afterwards.
    let fresh = Workdir::new();
    fresh.write(&config(
        &emulator,
        "Seattle HQ",
        ONE,
        "enhanced_emergency_services = true",
    ));
    fresh.import(ADDRESS, "Tag:Seattle-E911");
    fresh.assert_no_changes();

    work.destroy();
    assert!(stored(&emulator, "Tag:Seattle-E911").is_none());
    assert!(stored(&emulator, "Global").is_some(), "Global must survive");
}

#[test]
fn a_policy_still_granted_is_kept_unless_force_destroy() {
    let emulator = Emulator::start(&tenant(json!({
        "users": [{"id": ANN, "userPrincipalName": "ann@contoso.onmicrosoft.com", "displayName": "Ann"}],
        "emergency_call_routing_policies": [{
            "Identity": "Tag:Seattle-E911",
            "EmergencyNumbers": [{"EmergencyDialString": "911", "OnlinePSTNUsage": "US-Emergency"}]
        }],
        "assignments": {
            "users": {ANN: {"TeamsEmergencyCallRoutingPolicy": {"policy_name": "Seattle-E911"}}}
        }
    })));
    let work = Workdir::new();
    let numbers = r#"[{ dial_string = "911", dial_masks = [], pstn_usage = "US-Emergency" }]"#;
    // Created elsewhere: an apply is refused with the way to import it.
    work.write(&config(&emulator, "d", numbers, ""));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.text().contains("terraform import"), "{}", run.all());

    let work = Workdir::new();
    work.write(&config(&emulator, "", numbers, "").replace("  description       = \"\"\n", ""));
    work.import(ADDRESS, "Seattle-E911");
    work.assert_no_changes();
    let run = work.run(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.text().contains("granted directly to 1 users"),
        "{}",
        run.all()
    );
    assert!(stored(&emulator, "Tag:Seattle-E911").is_some());

    work.write(
        &config(&emulator, "", numbers, "force_destroy = true")
            .replace("  description       = \"\"\n", ""),
    );
    work.apply();
    work.destroy();
    assert!(stored(&emulator, "Tag:Seattle-E911").is_none());
}

#[test]
fn the_service_refuses_a_pstn_usage_the_tenant_lacks_with_a_clear_error() {
    let emulator = Emulator::start(&tenant(json!({})));
    let work = Workdir::new();
    work.write(&config(
        &emulator,
        "d",
        r#"[{ dial_string = "911", dial_masks = [], pstn_usage = "Nowhere" }]"#,
        "",
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.text();
    assert!(
        text.contains("creating emergency call routing policy (Seattle-E911)")
            && text.contains("'Nowhere'"),
        "{text}"
    );
}

#[test]
fn data_source_reads_a_policy_by_name_and_names_a_missing_one() {
    let emulator = Emulator::start(&tenant(json!({
        "emergency_call_routing_policies": [{
            "Identity": "Tag:Tacoma-E911", "Description": "Tacoma",
            "AllowEnhancedEmergencyServices": true,
            "EmergencyNumbers": [
                {"EmergencyDialString": "911", "EmergencyDialMask": "933;112", "OnlinePSTNUsage": "US-Emergency"},
                {"EmergencyDialString": "999"}
            ]
        }]
    })));
    let work = Workdir::new();
    work.write(&format!(
        "{}\ndata \"teamsphone_emergency_call_routing_policy\" \"t\" {{\n  name = \"Tacoma-E911\"\n}}\n\noutput \"t\" {{\n  value = data.teamsphone_emergency_call_routing_policy.t\n}}\n",
        provider_block(&emulator)
    ));
    work.apply();
    let out: Value = serde_json::from_str(&work.run(&["output", "-json", "t"]).stdout).unwrap();
    assert_eq!(out["id"], "Tag:Tacoma-E911");
    assert_eq!(out["description"], "Tacoma");
    assert_eq!(out["enhanced_emergency_services"], true);
    assert_eq!(
        out["emergency_numbers"],
        json!([
            {"dial_string": "911", "dial_masks": ["933", "112"], "pstn_usage": "US-Emergency"},
            {"dial_string": "999", "dial_masks": [], "pstn_usage": null}
        ])
    );

    work.write(&format!(
        "{}\ndata \"teamsphone_emergency_call_routing_policy\" \"t\" {{\n  name = \"Nowhere\"\n}}\n",
        provider_block(&emulator)
    ));
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.text()
            .contains("No emergency call routing policy named \"Nowhere\" exists"),
        "{}",
        run.all()
    );
}
