//! `teamsphone_phone_number_assignment` through the real terraform binary: operation failures,
//! consistency waits, resumed operations and the number rules of policies.

use serde_json::json;

use crate::harness::{provider_block, Emulator, Workdir};
use crate::voice::{
    requests_to, stored_number, voice_seed, LOC_LONDON, LOC_SEATTLE, SEEDED_RA, SKU,
    UNLICENSED_USER,
};

fn assignment(emulator: &Emulator, body: &str) -> String {
    format!(
        "{}\nresource \"teamsphone_phone_number_assignment\" \"n\" {{\n{body}\n}}\n",
        provider_block(emulator)
    )
}

#[test]
fn a_failed_operation_shows_its_status_detail_and_records_nothing() {
    let emulator = Emulator::start(&voice_seed(json!({})));
    let work = Workdir::new();
    work.write(&assignment(
        &emulator,
        &format!("telephone_number = \"+12065550177\"\ntarget_id = \"{UNLICENSED_USER}\"\nnumber_type = \"calling_plan\""),
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    // Terraform wraps long diagnostics; compare with the line breaks folded.
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("lacks appropriate licenses to assign a 'CallingPlan' number"),
        "{out}"
    );
    assert!(out.contains("+12065550177"), "{out}");
    let list = work.run(&["state", "list"]);
    assert!(
        list.stdout.trim().is_empty(),
        "nothing recorded: {}",
        list.stdout
    );
    assert!(stored_number(&emulator, "+12065550177")["assignmentTargetId"].is_null());
}

#[test]
fn assignment_waits_for_a_just_created_account() {
    // Graph sees a new account after 500 ms, the number service 2.5 s later.
    let emulator = Emulator::start(&voice_seed(json!({
        "new_account_visibility_ms": 500, "number_service_lag_ms": 2500
    })));
    let work = Workdir::new();
    work.write(&format!(
        r#"{provider}
resource "teamsphone_resource_account" "new" {{
  user_principal_name = "cq-new@contoso.onmicrosoft.com"
  display_name        = "New queue"
  account_type        = "call_queue"
  usage_location      = "US"
  license_sku_id      = "{SKU}"
}}
resource "teamsphone_phone_number_assignment" "n" {{
  telephone_number = "+12065550160"
  target_id        = teamsphone_resource_account.new.id
  number_type      = "direct_routing"
  location_id      = "{LOC_SEATTLE}"
}}
"#,
        provider = provider_block(&emulator)
    ));
    work.apply();
    let assigns = requests_to(&emulator, "POST", "/assignNumber");
    let statuses: Vec<u64> = assigns
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert!(statuses.len() >= 2, "{statuses:?}");
    assert_eq!(statuses.last(), Some(&202), "{statuses:?}");
    assert!(
        statuses[..statuses.len() - 1].iter().all(|s| *s == 404),
        "{statuses:?}"
    );
    let id = crate::voice::user(&emulator, "cq-new@contoso.onmicrosoft.com").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let reads = requests_to(&emulator, "GET", &format!("/v1.0/users/{id}"));
    assert_eq!(
        reads[0]["status"], 404,
        "the account create waited too: {reads:?}"
    );
    let number = stored_number(&emulator, "+12065550160");
    assert_eq!(number["activationState"], "activated");
    work.assert_no_changes();
}

#[test]
fn an_interrupted_apply_resumes_its_operation() {
    // Each operation step takes 3 s, so the assignment needs 6 s; the create timeout is 1 s.
    let emulator = Emulator::start(&voice_seed(json!({"operation_step_ms": 3000})));
    let work = Workdir::new();
    work.write(&assignment(
        &emulator,
        &format!("telephone_number = \"+12065550100\"\ntarget_id = \"{SEEDED_RA}\"\nnumber_type = \"direct_routing\"\nlocation_id = \"{LOC_SEATTLE}\"\ntimeouts {{\n  create = \"1s\"\n}}"),
    ));
    let first = work.apply();
    assert!(first.all().contains("still in progress"), "{}", first.all());
    let show = work.run(&[
        "state",
        "show",
        "-no-color",
        "teamsphone_phone_number_assignment.n",
    ]);
    assert!(show.stdout.contains("assignmentPending"), "{}", show.stdout);

    let second = work.apply();
    assert!(
        second.stdout.contains("1 changed"),
        "the apply resumes:\n{}",
        second.all()
    );
    let assigns = requests_to(&emulator, "POST", "/assignNumber");
    assert_eq!(assigns.len(), 1, "exactly one assignNumber: {assigns:?}");
    let polls = emulator
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "GET" && r["path"].as_str().unwrap().contains("/operations/"))
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(
        polls.len(),
        1,
        "every poll is for the one operation: {polls:?}"
    );
    let number = stored_number(&emulator, "+12065550100");
    assert_eq!(number["assignmentTargetId"], SEEDED_RA);
    assert_eq!(number["activationState"], "activated");
    work.assert_no_changes();
    // Removing location_id clears the location in place.
    work.write(&assignment(
        &emulator,
        &format!("telephone_number = \"+12065550100\"\ntarget_id = \"{SEEDED_RA}\"\nnumber_type = \"direct_routing\"\ntimeouts {{\n  create = \"1s\"\n}}"),
    ));
    let plan = work.plan();
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.all());
    work.apply();
    assert!(stored_number(&emulator, "+12065550100")["locationId"].is_null());
    work.assert_no_changes();

    work.destroy();
    assert!(stored_number(&emulator, "+12065550100")["assignmentTargetId"].is_null());
}

#[test]
fn a_policy_with_a_number_of_another_country_is_rejected_clearly() {
    let emulator = Emulator::start(&voice_seed(json!({})));
    let work = Workdir::new();
    work.write(&format!(
        r#"{provider}
resource "teamsphone_phone_number_assignment" "main" {{
  telephone_number = "+12065550100"
  target_id        = "{SEEDED_RA}"
  number_type      = "direct_routing"
  location_id      = "{LOC_SEATTLE}"
}}
resource "teamsphone_shared_calling_policy" "p" {{
  name                = "Mixed"
  resource_account_id = "{SEEDED_RA}"
  emergency_numbers   = ["+12065550150", "+44 20 7946 0958"]
  depends_on          = [teamsphone_phone_number_assignment.main]
}}
"#,
        provider = provider_block(&emulator)
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let out = run.all();
    assert!(
        out.contains("creating shared calling policy (Mixed)"),
        "{out}"
    );
    // Checked from the inventory before the write (the service's own refusal quotes it the same way).
    assert!(out.contains("+442079460958"), "names the number: {out}");
    assert!(out.contains("breaks a number rule"), "{out}");
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("same number type and country"),
        "names the rule: {out}"
    );
    assert!(emulator.policy("Tag:Mixed").is_none());
}

#[test]
fn bad_assignment_input_fails_at_plan_time_on_the_attribute() {
    let emulator = Emulator::start(&voice_seed(json!({})));
    let work = Workdir::new();
    let cases = [
        ("telephone_number = \"2065550100\"\ntarget_id = \"{RA}\"\nnumber_type = \"direct_routing\"", "must start with +", "telephone_number"),
        ("telephone_number = \"+12065550100;ext=7\"\ntarget_id = \"{RA}\"\nnumber_type = \"calling_plan\"", "only Direct Routing", "telephone_number"),
        ("telephone_number = \"+12065550100\"\ntarget_id = \"ra\"\nnumber_type = \"direct_routing\"", "is not a GUID", "target_id"),
        ("telephone_number = \"+12065550100\"\ntarget_id = \"{RA}\"\nnumber_type = \"pstn\"", "is not allowed", "number_type"),
        ("telephone_number = \"+12065550100\"\ntarget_id = \"{RA}\"\nnumber_type = \"direct_routing\"\nlocation_id = \"{LOC}\"\ntimeouts {\n  create = \"soon\"\n}", "not a duration", "timeouts"),
    ];
    for (body, message, attribute) in cases {
        let body = body.replace("{RA}", SEEDED_RA).replace("{LOC}", LOC_LONDON);
        work.write(&assignment(&emulator, &body));
        let out = work.plan_fails();
        assert!(
            out.contains(message),
            "{body}: expected {message:?} in\n{out}"
        );
        assert!(
            out.contains(attribute),
            "{body}: should name {attribute}:\n{out}"
        );
    }
    assert!(requests_to(&emulator, "POST", "/assignNumber").is_empty());
}

#[test]
fn an_apply_killed_while_polling_adopts_its_assignment_instead_of_submitting_again() {
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let emulator = Emulator::start(&voice_seed(json!({"operation_step_ms": 2500})));
    let work = Workdir::new();
    work.write(&assignment(
        &emulator,
        &format!("telephone_number = \"+12065550151\"\ntarget_id = \"{SEEDED_RA}\"\nnumber_type = \"direct_routing\""),
    ));
    // terraform and the provider it starts share a process group, so one kill ends both, as a
    // crashed CI runner would.
    let mut child = Command::new(crate::harness::terraform_binary())
        .args(["apply", "-auto-approve", "-no-color"])
        .current_dir(work.path())
        .env("TF_CLI_CONFIG_FILE", work.path().join("terraformrc"))
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while requests_to(&emulator, "POST", "/assignNumber").is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no assignNumber was sent"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let group = format!("-{}", child.id());
    let killed = Command::new("kill")
        .args(["-KILL", "--", &group])
        .status()
        .unwrap();
    assert!(killed.success());
    let _ = child.wait();
    let list = work.run(&["state", "list"]);
    assert!(
        !list.stdout.contains("teamsphone_phone_number_assignment"),
        "nothing was recorded"
    );
    assert_eq!(
        stored_number(&emulator, "+12065550151")["activationState"],
        "assignmentPending"
    );

    let run = work.run(&["apply", "-auto-approve", "-no-color", "-lock=false"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(
        requests_to(&emulator, "POST", "/assignNumber").len(),
        1,
        "adopted, not submitted again"
    );
    assert_eq!(
        stored_number(&emulator, "+12065550151")["activationState"],
        "activated"
    );
    work.assert_no_changes();
}

#[test]
fn changes_made_outside_terraform_show_as_drift() {
    let emulator = Emulator::start(&voice_seed(json!({})));
    let work = Workdir::new();
    work.write(&assignment(
        &emulator,
        &format!("telephone_number = \"+12065550150\"\ntarget_id = \"{SEEDED_RA}\"\nnumber_type = \"direct_routing\"\nlocation_id = \"{LOC_SEATTLE}\""),
    ));
    work.apply();
    let graph = |path: &str, body: serde_json::Value| {
        let token = emulator.token(teamsphone_contract::GRAPH_SCOPE);
        reqwest::blocking::Client::new()
            .post(format!(
                "{}/v1.0/admin/teams/telephoneNumberManagement/numberAssignments/{path}",
                emulator.url
            ))
            .bearer_auth(token)
            .json(&body)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };

    // The location cleared in the admin center: an in-place update puts it back.
    assert_eq!(
        graph(
            "updateNumber",
            json!({"telephoneNumber": "+12065550150", "locationId": ""})
        ),
        200
    );
    let plan = work.plan();
    assert!(
        plan.stdout.contains("updated in-place") && plan.stdout.contains(LOC_SEATTLE),
        "{}",
        plan.all()
    );
    work.apply();
    assert_eq!(
        stored_number(&emulator, "+12065550150")["locationId"],
        LOC_SEATTLE
    );

    // The number unassigned outside Terraform: planned for assignment again.
    assert_eq!(
        graph(
            "unassignNumber",
            json!({"telephoneNumber": "+12065550150", "numberType": "directRouting"})
        ),
        202
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    let plan = work.plan();
    assert!(plan.stdout.contains("will be created"), "{}", plan.all());
    work.apply();
    assert_eq!(
        stored_number(&emulator, "+12065550150")["assignmentTargetId"],
        SEEDED_RA
    );
    work.assert_no_changes();
}
