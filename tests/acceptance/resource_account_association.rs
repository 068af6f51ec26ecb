//! `teamsphone_resource_account_association` and the `teamsphone_auto_attendant` and
//! `teamsphone_call_queue` data sources through the real terraform binary.

use serde_json::{json, Value};

use crate::harness::{provider_block, Emulator, Workdir};
use crate::voice::{requests_to, user, voice_seed, SEEDED_RA};

const AA_MAIN: &str = "a7a00000-0000-4e00-9000-000000000001";
const AA_OTHER: &str = "a7a00000-0000-4e00-9000-000000000002";
const CQ_DESK: &str = "c0a00000-0000-4e00-9000-000000000001";
/// An auto attendant account already answering for `AA_OTHER`.
const TAKEN_RA: &str = "7d1b5c8e-2f0a-4c61-8e3b-0000000000aa";
const ASSOCIATIONS: &str = "/Teams.VoiceApps/applicationinstanceassociations";

/// The voice tenant (whose `SEEDED_RA` is a call queue account) with two auto attendants, a call
/// queue, and `TAKEN_RA` associated with `AA_OTHER`.
fn association_seed() -> Value {
    let mut s = voice_seed(json!({}));
    let tenant = &mut s["tenants"][0];
    tenant["users"].as_array_mut().unwrap().push(json!({
        "id": TAKEN_RA, "userPrincipalName": "aa-taken@contoso.onmicrosoft.com",
        "displayName": "Taken", "accountEnabled": false, "accountType": "resourceAccount",
        "applicationId": "ce933385-9390-45d1-9512-c8d228074e07"
    }));
    tenant["voice_apps"] = json!({
        "auto_attendants": [
            {"Id": AA_MAIN, "Name": "Main menu", "TimeZoneId": "Pacific Standard Time"},
            {"Id": AA_OTHER, "Name": "Twin", "VoiceResponseEnabled": true}
        ],
        "call_queues": [
            {"Identity": CQ_DESK, "Name": "Front desk", "RoutingMethod": "Serial"},
            {"Identity": "c0a00000-0000-4e00-9000-000000000002", "Name": "Twin"},
            {"Identity": "c0a00000-0000-4e00-9000-000000000003", "Name": "twin"}
        ],
        "associations": [{"endpoint_id": TAKEN_RA, "configuration_id": AA_OTHER,
                          "configuration_type": "AutoAttendant", "call_priority": 3}]
    });
    s
}

/// Terraform's output with its line wrapping undone.
fn flat(out: &str) -> String {
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn associations(emulator: &Emulator) -> Vec<Value> {
    emulator.tenant()["voice_apps"]["associations"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn association(emulator: &Emulator, body: &str) -> String {
    format!(
        "{}\nresource \"teamsphone_resource_account_association\" \"a\" {{\n{body}\n}}\n",
        provider_block(emulator)
    )
}

#[test]
fn create_import_replace_drift_and_destroy() {
    let emulator = Emulator::start(&association_seed());
    let work = Workdir::new();
    let config = |priority: &str| {
        format!(
            "{}\ndata \"teamsphone_call_queue\" \"desk\" {{\n  name = \"FRONT desk\"\n}}\n\nresource \"teamsphone_resource_account_association\" \"a\" {{\n  resource_account_id = \"{}\"\n  configuration_id    = data.teamsphone_call_queue.desk.id\n  configuration_type  = \"call_queue\"\n  {priority}\n}}\n",
            provider_block(&emulator),
            SEEDED_RA.to_uppercase()
        )
    };
    work.write(&config(""));
    work.apply();
    let made = associations(&emulator);
    let ours: Vec<&Value> = made
        .iter()
        .filter(|a| a["endpoint_id"] == SEEDED_RA)
        .collect();
    assert_eq!(ours.len(), 1, "{made:?}");
    assert_eq!(ours[0]["configuration_id"], CQ_DESK);
    assert_eq!(ours[0]["call_priority"], 3, "the default");
    work.assert_no_changes();

    // Import by the account's id brings back the same state: the plan stays empty.
    let rm = work.run(&["state", "rm", "teamsphone_resource_account_association.a"]);
    assert_eq!(rm.code, 0, "{}", rm.all());
    let import = work.import(
        "teamsphone_resource_account_association.a",
        &SEEDED_RA.to_uppercase(),
    );
    assert!(import.text().contains("call priority"), "{}", import.all());
    work.assert_no_changes();

    // The API has no update: a new priority replaces the association.
    work.write(&config("call_priority = 1"));
    let plan = work.plan();
    assert!(
        plan.code == 2 && plan.stdout.contains("must be replaced"),
        "{}",
        plan.all()
    );
    work.apply();
    let ours = associations(&emulator)
        .into_iter()
        .find(|a| a["endpoint_id"] == SEEDED_RA)
        .unwrap();
    assert_eq!(ours["call_priority"], 1);
    assert_eq!(
        requests_to(
            &emulator,
            "DELETE",
            &format!("{ASSOCIATIONS}/{}", SEEDED_RA.to_uppercase())
        )
        .len(),
        1
    );
    work.assert_no_changes();

    // Removed outside Terraform: drift, put back by the next apply.
    let status = emulator.teams_call(
        reqwest::Method::DELETE,
        &format!("{ASSOCIATIONS}/{SEEDED_RA}"),
        None,
    );
    assert_eq!(status, 200);
    let plan = work.plan();
    assert!(
        plan.code == 2 && plan.stdout.contains("will be created"),
        "{}",
        plan.all()
    );
    work.apply();
    assert!(associations(&emulator)
        .iter()
        .any(|a| a["endpoint_id"] == SEEDED_RA));
    work.assert_no_changes();

    work.destroy();
    let left = associations(&emulator);
    assert!(
        left.iter().all(|a| a["endpoint_id"] != SEEDED_RA),
        "{left:?}"
    );
    assert_eq!(left.len(), 1, "the seeded association stays: {left:?}");
}

#[test]
fn a_new_account_is_checked_at_apply_before_anything_is_written() {
    let emulator = Emulator::start(&association_seed());
    let work = Workdir::new();
    let config = |kind: &str, target: &str| {
        format!(
            "{}\nresource \"teamsphone_resource_account\" \"aa\" {{\n  user_principal_name = \"aa-new@contoso.onmicrosoft.com\"\n  display_name = \"New AA\"\n  account_type = \"auto_attendant\"\n}}\n\nresource \"teamsphone_resource_account_association\" \"a\" {{\n  resource_account_id = teamsphone_resource_account.aa.id\n  configuration_id    = \"{target}\"\n  configuration_type  = \"{kind}\"\n}}\n",
            provider_block(&emulator)
        )
    };
    // The account's id is unknown at plan, so its kind is checked at apply: refused, unwritten.
    work.write(&config("call_queue", CQ_DESK));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.text().contains("is an auto attendant account")
            && run.text().contains("configuration_type"),
        "{}",
        run.all()
    );
    assert!(requests_to(&emulator, "POST", ASSOCIATIONS).is_empty());

    // Of the right kind, the association follows the new account in one apply.
    work.write(&config("auto_attendant", AA_MAIN));
    work.apply();
    let aa = user(&emulator, "aa-new@contoso.onmicrosoft.com").unwrap();
    assert!(associations(&emulator)
        .iter()
        .any(|a| a["endpoint_id"] == aa["id"] && a["configuration_id"] == AA_MAIN));
    work.assert_no_changes();
    work.destroy();
    assert_eq!(associations(&emulator).len(), 1);
}

#[test]
fn conflicts_and_mismatches_are_clear_errors() {
    let emulator = Emulator::start(&association_seed());
    let work = Workdir::new();

    // Known at plan: the account is a call queue account; the configuration is an auto attendant.
    work.write(&association(
        &emulator,
        &format!("  resource_account_id = \"{SEEDED_RA}\"\n  configuration_id = \"{CQ_DESK}\"\n  configuration_type = \"auto_attendant\""),
    ));
    let out = flat(&work.plan_fails());
    assert!(
        out.contains("is a call queue account") && out.contains("configuration_type"),
        "{out}"
    );
    work.write(&association(
        &emulator,
        &format!("  resource_account_id = \"{SEEDED_RA}\"\n  configuration_id = \"{AA_MAIN}\"\n  configuration_type = \"call_queue\""),
    ));
    let out = flat(&work.plan_fails());
    assert!(
        out.contains("is an auto attendant, not a call queue") && out.contains("configuration_id"),
        "{out}"
    );
    work.write(&association(
        &emulator,
        "  resource_account_id = \"7d1b5c8e-2f0a-4c61-8e3b-00000000dead\"\n  configuration_id = \"c0a00000-0000-4e00-9000-000000000001\"\n  configuration_type = \"call_queue\"",
    ));
    assert!(work
        .plan_fails()
        .contains("no resource account with object id"));

    // Only the API knows the account is taken: the apply says by what, and what to do.
    work.write(&association(
        &emulator,
        &format!("  resource_account_id = \"{TAKEN_RA}\"\n  configuration_id = \"{AA_MAIN}\"\n  configuration_type = \"auto_attendant\""),
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.text();
    assert!(
        text.contains(&format!(
            "already associated with auto attendant {AA_OTHER}: import it"
        )) && text.contains("remove that association"),
        "{}",
        run.all()
    );
    assert!(
        requests_to(&emulator, "POST", ASSOCIATIONS)
            .iter()
            .all(|r| r["status"] == 200),
        "the refusal is per endpoint"
    );
    let left = associations(&emulator);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["configuration_id"], AA_OTHER, "untouched");
}

#[test]
fn auto_attendants_and_call_queues_are_found_by_name_or_id() {
    let emulator = Emulator::start(&association_seed());
    let work = Workdir::new();
    work.write(&format!(
        r#"{}
data "teamsphone_auto_attendant" "by_name" {{
  name = "main MENU"
}}

data "teamsphone_auto_attendant" "by_id" {{
  id = "{}"
}}

data "teamsphone_call_queue" "by_id" {{
  id = "{CQ_DESK}"
}}

output "aa" {{
  value = [data.teamsphone_auto_attendant.by_name.id, data.teamsphone_auto_attendant.by_name.name, data.teamsphone_auto_attendant.by_name.time_zone_id]
}}

output "taken" {{
  value = data.teamsphone_auto_attendant.by_id.resource_account_ids
}}

output "cq" {{
  value = [data.teamsphone_call_queue.by_id.name, data.teamsphone_call_queue.by_id.routing_method, tostring(data.teamsphone_call_queue.by_id.agent_alert_time)]
}}
"#,
        provider_block(&emulator),
        AA_OTHER.to_uppercase()
    ));
    work.apply();
    let out = work.run(&["output", "-json"]);
    let outputs: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        outputs["aa"]["value"],
        json!([AA_MAIN, "main MENU", "Pacific Standard Time"])
    );
    assert_eq!(outputs["taken"]["value"], json!([TAKEN_RA]));
    assert_eq!(
        outputs["cq"]["value"],
        json!(["Front desk", "Serial", "30"])
    );
    work.assert_no_changes();

    for (block, expect) in [
        ("data \"teamsphone_auto_attendant\" \"x\" {\n  name = \"Nobody\"\n}", "no auto attendant is named"),
        ("data \"teamsphone_call_queue\" \"x\" {\n  id = \"c0a00000-0000-4e00-9000-00000000beef\"\n}", "no call queue has id"),
        ("data \"teamsphone_auto_attendant\" \"x\" {\n  id = \"x\"\n}", "not a GUID"),
        ("data \"teamsphone_call_queue\" \"x\" {\n  id = \"{CQ}\"\n  name = \"Front desk\"\n}", "exactly one of id and name"),
    ] {
        work.write(&format!("{}\n{}\n", provider_block(&emulator), block.replace("{CQ}", CQ_DESK)));
        let out = work.plan_fails();
        assert!(out.contains(expect), "{block}:\n{out}");
    }
    // Two call queues are named "Twin": a name must pick one, so the error lists both.
    work.write(&format!(
        "{}\ndata \"teamsphone_call_queue\" \"x\" {{\n  name = \"Twin\"\n}}\n",
        provider_block(&emulator)
    ));
    let out = work.plan_fails();
    assert!(
        out.contains("2 call queues are named")
            && out.contains("c0a00000-0000-4e00-9000-000000000003"),
        "{out}"
    );
}

#[test]
fn a_create_whose_answer_is_lost_adopts_its_own_association() {
    let mut lossy = association_seed();
    // The first association is made but its answer is cut off; the retry meets it.
    lossy["settings"]["faults"] = json!({
        "lost_answer_percent": 100, "methods": ["POST"],
        "path_contains": "applicationinstanceassociations", "limit": 1
    });
    let emulator = Emulator::start(&lossy);
    let work = Workdir::new();
    work.write(&association(
        &emulator,
        &format!("  resource_account_id = \"{SEEDED_RA}\"\n  configuration_id = \"{CQ_DESK}\"\n  configuration_type = \"call_queue\""),
    ));
    let run = work.apply();
    assert!(
        run.text()
            .contains("Adopted existing resource account association"),
        "{}",
        run.all()
    );
    let posts: Vec<u64> = requests_to(&emulator, "POST", ASSOCIATIONS)
        .iter()
        .map(|r| r["status"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(posts, vec![0, 200], "one lost create and one retry");
    work.assert_no_changes();
    work.destroy();
    assert_eq!(
        associations(&emulator).len(),
        1,
        "the adopted one is managed"
    );
}
