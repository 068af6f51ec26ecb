//! Guardrails against expensive mistakes: deleting a policy people still use, and a set change that
//! strips a policy from many users at once.

use serde_json::{json, Value};

use crate::harness::{provider_block, Emulator, Workdir};

const ANN: &str = "cccccccc-0000-0000-0000-000000000001";
const BOB: &str = "cccccccc-0000-0000-0000-000000000002";
const CY: &str = "cccccccc-0000-0000-0000-000000000003";

/// The demo tenant plus a third user, a Seattle policy, and grants given in the seed.
fn seed_with(grants: Value) -> Value {
    let mut seed: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/emulator/demo-tenant.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let tenant = &mut seed["tenants"][0];
    tenant["apps"][0]["client_secret"] = json!(crate::harness::CLIENT_SECRET);
    tenant["users"].as_array_mut().unwrap().push(json!({
        "id": CY, "userPrincipalName": "cy@contoso.onmicrosoft.com", "displayName": "Cy"
    }));
    tenant["shared_calling_policies"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "Identity": "Tag:Seattle", "Description": "Seattle",
            "ResourceAccount": "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11", "EmergencyNumbers": []
        }));
    tenant["assignments"]["users"] = grants;
    seed
}

fn policy_config(emulator: &Emulator, force_destroy: bool) -> String {
    format!(
        "{}\nresource \"teamsphone_shared_calling_policy\" \"seattle\" {{\n  name = \"Seattle\"\n  description = \"Seattle\"\n  resource_account_id = \"0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11\"\n  force_destroy = {force_destroy}\n}}\n",
        provider_block(emulator)
    )
}

#[test]
fn a_policy_still_granted_is_not_destroyed_without_force_destroy() {
    let granted = json!({"TeamsSharedCallingRoutingPolicy": {"policy_name": "Seattle"}});
    let emulator = Emulator::start(&seed_with(json!({ANN: granted, BOB: granted})));
    let work = Workdir::new();
    work.write(&policy_config(&emulator, false));
    work.import("teamsphone_shared_calling_policy.seattle", "Seattle");

    let run = work.run(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.text()
            .contains("granted directly to 2 users and to 0 groups"),
        "{}",
        run.all()
    );
    assert!(run.text().contains("force_destroy = true"), "{}", run.all());
    assert!(
        emulator.policy("Tag:Seattle").is_some(),
        "the policy must survive"
    );

    work.write(&policy_config(&emulator, true));
    work.apply();
    work.destroy();
    assert!(emulator.policy("Tag:Seattle").is_none());
}

fn set_config(emulator: &Emulator, users: &[&str], max_unassign: Option<u32>) -> String {
    let users: Vec<String> = users.iter().map(|u| format!("{u:?}")).collect();
    let limit = max_unassign.map_or(String::new(), |n| format!("  max_unassign = {n}\n"));
    format!(
        "{}\nresource \"teamsphone_policy_assignment_set\" \"seattle\" {{\n  policy_name = \"Seattle\"\n  user_ids = [{}]\n{limit}}}\n",
        provider_block(emulator),
        users.join(", ")
    )
}

#[test]
fn a_set_change_removing_more_users_than_max_unassign_fails_at_plan_time() {
    let emulator = Emulator::start(&seed_with(json!({})));
    let work = Workdir::new();
    work.write(&set_config(&emulator, &[ANN, BOB, CY], Some(1)));
    work.apply();

    work.write(&set_config(&emulator, &[ANN], Some(1)));
    let out = work.plan_fails();
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("takes the policy from 2 users, more than max_unassign (1)"),
        "{out}"
    );
    assert!(
        flat.contains("user_ids"),
        "the diagnostic points at user_ids: {out}"
    );

    // Nothing was unassigned by the refused plan; raising the limit lets the change through.
    work.write(&set_config(&emulator, &[ANN], Some(2)));
    work.apply();
    work.assert_no_changes();
}
