//! The live services' other answer shapes (contract section 7), one emulator knob at a time and all
//! together: the complete example and a 1,000-user set each apply, re-plan empty, import and
//! destroy back to the seed, exactly as with the canonical shape.

use serde_json::{json, Value};

use crate::directory::{count_of, direct_assignments, request_counts, tenant, upn, SHARED};
use crate::examples::write_complete_example;
use crate::harness::{provider_block, seed, Emulator, Workdir, CLIENT_ID, TENANT_ID};
use crate::voice::snapshot;

const ALL: [&str; 5] = [
    "graph_wrapped_entities",
    "teams_entity_arrays",
    "teams_empty_writes",
    "create_without_object_id",
    "teams_camel_case",
];
const E911: &str = "TeamsEmergencyCallRoutingPolicy";

/// The `answer_shapes` setting with `knobs` on; `"graph_refused"` makes Graph refuse both policy
/// types the example grants.
fn shapes(knobs: &[&str]) -> Value {
    let mut shapes = json!({});
    for knob in knobs {
        if *knob == "graph_refused" {
            shapes["graph_refused_policy_types"] = json!([SHARED, E911]);
        } else {
            shapes[*knob] = json!(true);
        }
    }
    shapes
}

fn complete_example(knobs: &[&str]) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut demo: Value = serde_json::from_slice(
        &std::fs::read(root.join("examples/emulator/demo-tenant.json")).unwrap(),
    )
    .unwrap();
    demo["settings"]["answer_shapes"] = shapes(knobs);
    let emulator = Emulator::start(&demo);
    let seeded = snapshot(&emulator);
    let secret = demo["tenants"][0]["apps"][0]["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    let env = [
        ("TEAMSPHONE_TENANT_ID", TENANT_ID),
        ("TEAMSPHONE_CLIENT_ID", CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", secret.as_str()),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
    ];
    let work = Workdir::new();
    write_complete_example(&work);
    let run = |dir: &Workdir, args: &[&str]| {
        let run = dir.run_with_env(args, &env);
        assert_eq!(run.code, 0, "{knobs:?}: {args:?}\n{}", run.all());
        run
    };
    run(&work, &["apply", "-auto-approve", "-no-color"]);
    run(&work, &["plan", "-detailed-exitcode", "-no-color"]);
    let grants = direct_assignments(&emulator);
    assert!(
        grants.iter().any(|(_, t, n)| t == SHARED && n == "Seattle"),
        "{knobs:?}: the shared calling policy is granted: {grants:?}"
    );

    // The account, its number and the policy import into a fresh state with no diff.
    let fresh = Workdir::new();
    write_complete_example(&fresh);
    let imports = [
        (
            "module.seattle.teamsphone_resource_account.site",
            "aa-seattle@contoso.onmicrosoft.com",
        ),
        (
            "module.seattle.teamsphone_phone_number_assignment.shared_number",
            "+1 206 555 0140",
        ),
        (
            "module.seattle.teamsphone_shared_calling_policy.site",
            "Seattle",
        ),
    ];
    for (address, id) in imports {
        run(&fresh, &["import", "-no-color", address, id]);
    }
    let targets: Vec<String> = imports
        .iter()
        .map(|(address, _)| format!("-target={address}"))
        .collect();
    // No resource changes. Not `-detailed-exitcode`: Terraform 1.0 also counts the root outputs
    // (fed through the module's) that the targeted, freshly imported state has not recorded yet.
    let mut plan = vec!["plan", "-no-color"];
    plan.extend(targets.iter().map(String::as_str));
    let planned = run(&fresh, &plan);
    assert!(
        !planned.stdout.contains("Plan:") && !planned.stdout.contains("will be"),
        "{knobs:?}: the imported resources must plan no changes:\n{}",
        planned.all()
    );

    run(&work, &["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(snapshot(&emulator), seeded, "{knobs:?}: back to the seed");
}

fn thousand_user_set(knobs: &[&str]) {
    let mut s = seed(tenant(1_000));
    s["settings"]["answer_shapes"] = shapes(knobs);
    let emulator = Emulator::start(&s);
    let list: Vec<String> = (0..1_000).map(|i| format!("    \"{}\",", upn(i))).collect();
    let config = format!(
        "{}\nresource \"teamsphone_policy_assignment_set\" \"seattle\" {{\n  policy_name = \"Seattle\"\n  user_ids = [\n{}\n  ]\n}}\n",
        provider_block(&emulator),
        list.join("\n")
    );
    let work = Workdir::new();
    work.write(&config);
    work.apply();
    let held = direct_assignments(&emulator)
        .into_iter()
        .filter(|(_, t, n)| t == SHARED && n == "Seattle")
        .count();
    assert_eq!(held, 1_000, "{knobs:?}");
    let counts = request_counts(&emulator);
    if knobs.contains(&"graph_refused") {
        assert_eq!(
            count_of(&counts, "PATCH /Skype.Policy/users"),
            1_000,
            "one Teams request per user once Graph refused: {counts}"
        );
        assert!(
            count_of(&counts, "userAssignments/assign") <= 1,
            "Graph is asked once, then remembered: {counts}"
        );
    }
    work.assert_no_changes();
    let fresh = Workdir::new();
    fresh.write(&config);
    fresh.import(
        "teamsphone_policy_assignment_set.seattle",
        &format!("{SHARED}/Seattle"),
    );
    fresh.assert_no_changes();
    work.destroy();
    assert_eq!(direct_assignments(&emulator), vec![], "{knobs:?}");
}

macro_rules! under {
    ($($name:ident => $knobs:expr;)*) => {$(
        mod $name {
            #[test]
            fn complete_example() {
                super::complete_example(&$knobs);
            }
            #[test]
            fn thousand_user_set() {
                super::thousand_user_set(&$knobs);
            }
        }
    )*};
}

under! {
    graph_wrapped_entities => ["graph_wrapped_entities"];
    teams_entity_arrays => ["teams_entity_arrays"];
    teams_empty_writes => ["teams_empty_writes"];
    create_without_object_id => ["create_without_object_id"];
    teams_camel_case => ["teams_camel_case"];
    graph_refused => ["graph_refused"];
    all_together => [super::ALL[0], super::ALL[1], super::ALL[2], super::ALL[3], super::ALL[4], "graph_refused"];
}
