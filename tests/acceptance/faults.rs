//! Reliability under injected faults, through terraform: throttling and 5xx change nothing about the
//! outcome, and a create whose answer was lost is adopted instead of repeated or orphaned.

use serde_json::{json, Value};

use crate::harness::{provider_block, seed, with_fault_seed, Emulator, Workdir, RESOURCE_ACCOUNT};

fn policies_config(emulator: &Emulator, count: usize) -> String {
    let mut config = provider_block(emulator);
    for i in 0..count {
        config.push_str(&format!(
            "resource \"teamsphone_shared_calling_policy\" \"p{i}\" {{\n  name = \"Office{i}\"\n  description = \"office {i}\"\n  resource_account_id = \"{RESOURCE_ACCOUNT}\"\n  emergency_numbers = [\"+1206555{:04}\"]\n}}\n",
            100 + i
        ));
    }
    config
}

/// The tenant's policies, in a stable order (creation order depends on terraform's parallelism).
fn policies(emulator: &Emulator) -> Value {
    let mut list = emulator.tenant()["shared_calling_policies"]
        .as_array()
        .unwrap()
        .clone();
    list.sort_by_key(|p| p["Identity"].as_str().unwrap_or_default().to_string());
    Value::Array(list)
}

#[test]
fn throttling_and_server_errors_do_not_change_the_outcome() {
    const COUNT: usize = 10;
    let clean = Emulator::start(&seed(json!({})));
    let clean_work = Workdir::new();
    clean_work.write(&policies_config(&clean, COUNT));
    clean_work.apply();

    // 20% of API requests fail transiently: 429 with and without Retry-After, 503 and 504.
    let mut faulty_seed = seed(json!({}));
    faulty_seed["settings"]["faults"] = with_fault_seed(json!({
        "throttle_percent": 5, "throttle_bare_percent": 5,
        "unavailable_percent": 5, "gateway_timeout_percent": 5,
        "retry_after_seconds": 1
    }));
    let faulty = Emulator::start(&faulty_seed);
    let work = Workdir::new();
    work.write(&policies_config(&faulty, COUNT));
    work.apply();
    work.assert_no_changes();
    work.assert_no_changes();

    assert_eq!(
        policies(&faulty),
        policies(&clean),
        "faults must not change the tenant"
    );
    let faulted = faulty
        .requests()
        .iter()
        .filter(|r| [429, 503, 504].contains(&r["status"].as_u64().unwrap_or(0)))
        .count();
    assert!(faulted > 0, "the faults should have fired at least once");
}

#[test]
fn a_create_whose_answer_is_lost_is_adopted_not_repeated() {
    let mut lossy_seed = seed(json!({}));
    // The first create is carried out but its answer is cut off.
    lossy_seed["settings"]["faults"] = json!({
        "lost_answer_percent": 100, "methods": ["POST"],
        "path_contains": "TeamsSharedCallingRoutingPolicy", "limit": 1
    });
    let emulator = Emulator::start(&lossy_seed);
    let work = Workdir::new();
    work.write(&policies_config(&emulator, 1));
    work.apply();
    work.assert_no_changes();

    let posts: Vec<u64> = emulator
        .requests()
        .iter()
        .filter(|r| r["method"] == "POST" && r["service"] == "teams")
        .map(|r| r["status"].as_u64().unwrap_or(0))
        .collect();
    // The lost create (logged as status 0: its connection was cut), then the retry's conflict, which
    // the provider adopted. Nothing more.
    assert_eq!(posts, vec![0, 409], "one lost create and one retry");
    let count = policies(&emulator)
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["Identity"] == "Tag:Office0")
        .count();
    assert_eq!(count, 1);
    work.destroy();
    assert!(
        emulator.policy("Tag:Office0").is_none(),
        "the adopted policy is managed and destroyed"
    );
}

#[test]
fn cut_connections_are_retried() {
    let mut flaky_seed = seed(json!({}));
    flaky_seed["settings"]["faults"] = with_fault_seed(json!({"drop_percent": 30}));
    let emulator = Emulator::start(&flaky_seed);
    let work = Workdir::new();
    work.write(&policies_config(&emulator, 4));
    work.apply();
    work.assert_no_changes();
    assert_eq!(
        policies(&emulator).as_array().unwrap().len(),
        5,
        "Global and four offices"
    );
}

/// The tenant view with every user id replaced by `user:<upn>`, every voice app object's id by its
/// name, and lists sorted, so two tenants built by the same configuration compare equal although
/// their new objects got different random ids.
fn normalized(emulator: &Emulator) -> Value {
    let mut tenant = emulator.tenant();
    let mut voice = crate::voice::voice(emulator);
    // Operations are the history (ids, times, retries), not the outcome.
    voice["number_operations"] = Value::Null;
    tenant["voice"] = voice;
    let mut text = tenant.to_string();
    for user in tenant["voice"]["users"].as_array().into_iter().flatten() {
        let (Some(id), Some(upn)) = (user["id"].as_str(), user["userPrincipalName"].as_str())
        else {
            continue;
        };
        text = text.replace(id, &format!("user:{upn}"));
    }
    // Auto attendants, their call flows and schedules, and call queues get random ids too (a
    // call flow's is chosen by the client); each is named by what the configuration calls it.
    let apps = &tenant["voice_apps"];
    let list = |key: &str| apps[key].as_array().cloned().unwrap_or_default();
    let mut names: Vec<(String, String)> = Vec::new();
    for aa in list("auto_attendants") {
        let name = aa["Name"].as_str().unwrap_or_default().to_string();
        names.push((
            aa["Id"].as_str().unwrap_or_default().into(),
            format!("aa:{name}"),
        ));
        let flows = aa["CallFlows"].as_array().cloned().unwrap_or_default();
        for flow in flows.iter().chain(std::iter::once(&aa["DefaultCallFlow"])) {
            if let Some(id) = flow["Id"].as_str() {
                names.push((
                    id.into(),
                    format!("flow:{name}/{}", flow["Name"].as_str().unwrap_or_default()),
                ));
            }
        }
    }
    for schedule in list("schedules") {
        let id = schedule["Id"].as_str().unwrap_or_default().to_string();
        names.push((
            id,
            format!("schedule:{}", schedule["Name"].as_str().unwrap_or_default()),
        ));
    }
    for queue in list("call_queues") {
        let id = queue["Identity"].as_str().unwrap_or_default().to_string();
        names.push((
            id,
            format!("cq:{}", queue["Name"].as_str().unwrap_or_default()),
        ));
    }
    for (id, name) in names.into_iter().filter(|(id, _)| !id.is_empty()) {
        text = text.replace(&id, &name);
    }
    fn sort(value: &mut Value) {
        match value {
            Value::Array(items) => {
                items.iter_mut().for_each(sort);
                items.sort_by_key(|v| v.to_string());
            }
            Value::Object(map) => map.values_mut().for_each(sort),
            _ => {}
        }
    }
    let mut value: Value = serde_json::from_str(&text).unwrap();
    sort(&mut value);
    value
}

fn demo_seed() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/emulator/demo-tenant.json"
        ))
        .unwrap(),
    )
    .unwrap()
}

fn apply_complete(emulator: &Emulator) -> Workdir {
    let work = Workdir::new();
    crate::examples::write_complete_example(&work);
    let env = [
        ("TEAMSPHONE_TENANT_ID", crate::harness::TENANT_ID),
        ("TEAMSPHONE_CLIENT_ID", crate::harness::CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", "demo-secret-not-for-production"),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
    ];
    let apply = work.run_with_env(&["apply", "-auto-approve", "-no-color"], &env);
    assert_eq!(apply.code, 0, "{}", apply.all());
    let plan = work.run_with_env(&["plan", "-detailed-exitcode", "-no-color"], &env);
    assert_eq!(plan.code, 0, "the next plan must be empty:\n{}", plan.all());
    work
}

#[test]
fn the_complete_example_under_20_percent_faults_builds_the_same_tenant() {
    let clean = Emulator::start(&demo_seed());
    apply_complete(&clean);

    let mut faulty_seed = demo_seed();
    faulty_seed["settings"]["faults"] = with_fault_seed(json!({
        "throttle_percent": 8, "throttle_bare_percent": 2,
        "unavailable_percent": 8, "gateway_timeout_percent": 2,
        "retry_after_seconds": 1
    }));
    let faulty = Emulator::start(&faulty_seed);
    apply_complete(&faulty);

    let (mut want, mut got) = (normalized(&clean), normalized(&faulty));
    // Fault settings are the one intended difference.
    want["settings"] = Value::Null;
    got["settings"] = Value::Null;
    assert_eq!(
        got, want,
        "faults must not change what the complete example builds"
    );
    let faulted = faulty
        .requests()
        .iter()
        .filter(|r| [429, 503, 504].contains(&r["status"].as_u64().unwrap_or(0)))
        .count();
    assert!(faulted > 0, "the faults should have fired");
}
