//! Reliability under injected faults, through terraform: throttling and 5xx change nothing about the
//! outcome, and a create whose answer was lost is adopted instead of repeated or orphaned.

use serde_json::{json, Value};

use crate::harness::{provider_block, seed, Emulator, Workdir, RESOURCE_ACCOUNT};

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
    faulty_seed["settings"]["faults"] = json!({
        "throttle_percent": 5, "throttle_bare_percent": 5,
        "unavailable_percent": 5, "gateway_timeout_percent": 5,
        "retry_after_seconds": 1
    });
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
    flaky_seed["settings"]["faults"] = json!({"drop_percent": 30});
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
