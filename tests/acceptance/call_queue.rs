//! `teamsphone_call_queue` through the real terraform binary: create with the service's defaults,
//! update in place, drift made through the API behind Terraform's back, deletion outside
//! Terraform, import by id, an agent the service refuses, and the association with a call queue
//! resource account.

use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{provider_block, seed, Emulator, Workdir};

const ADDRESS: &str = "teamsphone_call_queue.desk";
const ANN: &str = "cccccccc-0000-0000-0000-000000000001";
const BOB: &str = "cccccccc-0000-0000-0000-000000000002";
const GROUP: &str = "dddddddd-0000-0000-0000-000000000001";
const CQ_ACCOUNT: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a12";

fn tenant() -> Value {
    seed(json!({
        "users": [
            {"id": ANN, "userPrincipalName": "ann@contoso.onmicrosoft.com", "displayName": "Ann"},
            {"id": BOB, "userPrincipalName": "bob@contoso.onmicrosoft.com", "displayName": "Bob"},
            {"id": CQ_ACCOUNT, "userPrincipalName": "cq@contoso.onmicrosoft.com",
             "displayName": "Desk line", "accountEnabled": false, "accountType": "resourceAccount",
             "applicationId": teamsphone_contract::CALL_QUEUE_APP_ID}
        ],
        "groups": [{"id": GROUP, "displayName": "Desk team", "members": [ANN]}]
    }))
}

fn config(emulator: &Emulator, body: &str) -> String {
    format!(
        "{provider}\nresource \"teamsphone_call_queue\" \"desk\" {{\n{body}\n}}\n",
        provider = provider_block(emulator)
    )
}

/// The only call queue the emulator holds.
fn stored(emulator: &Emulator) -> Option<Value> {
    let queues = emulator.tenant()["voice_apps"]["call_queues"].clone();
    let queues = queues.as_array().cloned().unwrap_or_default();
    assert!(queues.len() <= 1, "{queues:?}");
    queues.into_iter().next()
}

fn state_id(work: &Workdir) -> String {
    let show = work.run(&["state", "show", "-no-color", ADDRESS]);
    let line = show
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("id "))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no id in:\n{}", show.all()));
    line.split('"').nth(1).unwrap().to_string()
}

const FIRST: &str = r#"  name   = "Front desk"
  agents = ["CCCCCCCC-0000-0000-0000-000000000001"]"#;

const SECOND: &str = r#"  name                   = "Front desk"
  language_id            = "en-US"
  routing_method         = "serial"
  agents                 = ["cccccccc-0000-0000-0000-000000000002", "CCCCCCCC-0000-0000-0000-000000000001"]
  distribution_lists     = ["dddddddd-0000-0000-0000-000000000001"]
  agent_alert_time       = 45
  conference_mode        = true
  music_on_hold          = "a0d10f11-0000-4000-8000-000000000001"
  obo_resource_account_ids = ["0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a12"]
  overflow {
    threshold = 5
    action    = "shared_voicemail"
    target    = "dddddddd-0000-0000-0000-000000000001"
  }
  timeout {
    seconds = 600
    action  = "forward"
    target  = "tel:+1 206 555 0199"
  }"#;

#[test]
fn lifecycle_defaults_update_drift_import_destroy() {
    let emulator = Emulator::start(&tenant());
    let work = Workdir::new();
    work.write(&config(&emulator, FIRST));
    let apply = work.apply();
    // The plan showed the service's defaults for what the configuration left out.
    assert!(
        apply.text().contains("agent_alert_time") && apply.text().contains("= 1200"),
        "{}",
        apply.text()
    );
    let created = stored(&emulator).expect("queue created");
    assert_eq!(created["Users"], json!([ANN]), "ids are sent lower case");
    assert_eq!(created["RoutingMethod"], "Attendant");
    assert_eq!(created["OverflowAction"], "DisconnectWithBusy");
    assert_eq!(created["TimeoutAction"], "Disconnect");
    assert_eq!(created["TimeoutThreshold"], 1200);
    assert_eq!(created["UseDefaultMusicOnHold"], true);
    work.assert_no_changes();
    let id = state_id(&work);
    assert_eq!(id, created["Identity"].as_str().unwrap());

    // In place: every field, and the same id.
    work.write(&config(&emulator, SECOND));
    let apply = work.apply();
    assert!(
        apply.text().contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        apply.text()
    );
    let updated = stored(&emulator).expect("queue kept");
    assert_eq!(updated["Identity"], created["Identity"]);
    assert_eq!(updated["RoutingMethod"], "Serial");
    assert_eq!(updated["Users"], json!([BOB, ANN]), "order kept for serial");
    assert_eq!(updated["OverflowAction"], "SharedVoicemail");
    assert_eq!(updated["OverflowActionTarget"], GROUP);
    assert_eq!(updated["TimeoutActionTarget"], "tel:+12065550199");
    assert_eq!(updated["UseDefaultMusicOnHold"], false);
    assert_eq!(updated["OboResourceAccountIds"], json!([CQ_ACCOUNT]));
    work.assert_no_changes();

    // Drift: an admin changes the queue through the API; the plan changes it back.
    let mut changed = updated.clone();
    let object = changed.as_object_mut().unwrap();
    for read_only in ["Identity", "ApplicationInstances"] {
        object.remove(read_only);
    }
    object.insert("AgentAlertTime".into(), json!(90));
    object.insert("Users".into(), json!([ANN]));
    let path = format!("/Teams.VoiceApps/callqueues/{id}");
    assert_eq!(emulator.teams_call(Method::PUT, &path, Some(changed)), 200);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "drift must show:\n{}", plan.all());
    assert!(
        plan.text().contains("agent_alert_time") && plan.text().contains("90 -> 45"),
        "{}",
        plan.text()
    );
    work.apply();
    assert_eq!(stored(&emulator).unwrap()["AgentAlertTime"], 45);
    work.assert_no_changes();

    // Import by id (any case) reads the same queue and plans nothing for a configuration in the
    // service's spelling (an import has no prior spelling to keep, so another spelling of the
    // same ids plans a no-op update, as for every resource).
    let rm = work.run(&["state", "rm", "-no-color", ADDRESS]);
    assert_eq!(rm.code, 0, "{}", rm.all());
    work.write(&config(
        &emulator,
        &SECOND
            .replace("CCCCCCCC", "cccccccc")
            .replace("tel:+1 206 555 0199", "tel:+12065550199"),
    ));
    work.import(ADDRESS, &id.to_uppercase());
    work.assert_no_changes();

    // Deleted outside Terraform: the plan creates it again.
    assert_eq!(emulator.teams_call(Method::DELETE, &path, None), 204);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.text().contains("will be created"), "{}", plan.text());

    work.apply();
    assert!(stored(&emulator).is_some());

    // Blocks removed: their actions fall back to disconnect (a target cannot be carried over).
    work.write(&config(&emulator, FIRST));
    work.apply();
    let back = stored(&emulator).unwrap();
    assert_eq!(
        (&back["TimeoutAction"], &back["OverflowAction"]),
        (&json!("Disconnect"), &json!("DisconnectWithBusy"))
    );
    assert_eq!(back["TimeoutActionTarget"], Value::Null);
    work.assert_no_changes();
    work.destroy();
    assert!(stored(&emulator).is_none(), "destroy removes the queue");
}

#[test]
fn refusals_of_the_service_name_what_it_refused_and_bad_import_ids_fail_early() {
    let emulator = Emulator::start(&tenant());
    let work = Workdir::new();
    // A resource account is not an agent: only the service knows, so the apply says so.
    work.write(&config(
        &emulator,
        &format!("  name = \"Front desk\"\n  agents = [\"{CQ_ACCOUNT}\"]"),
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Error creating call queue (Front desk)") && text.contains(CQ_ACCOUNT),
        "{text}"
    );
    assert!(stored(&emulator).is_none());

    work.write(&config(&emulator, FIRST));
    let import = work.run(&["import", "-no-color", ADDRESS, "Front desk"]);
    assert_eq!(import.code, 1);
    assert!(
        import.all().contains("Import a call queue by its id"),
        "{}",
        import.all()
    );
    let missing = work.run(&[
        "import",
        "-no-color",
        ADDRESS,
        "c0a00000-5ea7-4e00-9000-00000000dead",
    ]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.all().contains("No call queue with id"),
        "{}",
        missing.all()
    );
}

#[test]
fn a_call_queue_account_answers_for_a_managed_queue() {
    let emulator = Emulator::start(&tenant());
    let work = Workdir::new();
    work.write(&format!(
        r#"{}
resource "teamsphone_call_queue" "desk" {{
{FIRST}
}}

resource "teamsphone_resource_account_association" "desk" {{
  resource_account_id = "{CQ_ACCOUNT}"
  configuration_id    = teamsphone_call_queue.desk.id
  configuration_type  = "call_queue"
}}
"#,
        provider_block(&emulator)
    ));
    work.apply();
    let tenant = emulator.tenant();
    let association = &tenant["voice_apps"]["associations"][0];
    assert_eq!(association["endpoint_id"], CQ_ACCOUNT);
    assert_eq!(
        association["configuration_id"],
        stored(&emulator).unwrap()["Identity"]
    );
    work.assert_no_changes();
    work.destroy();
    let tenant = emulator.tenant();
    assert!(tenant["voice_apps"]["associations"]
        .as_array()
        .is_none_or(|a| a.is_empty()));
    assert!(stored(&emulator).is_none());
}
