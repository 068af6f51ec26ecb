//! `teamsphone_group_policy_assignment` through the real terraform binary.

use reqwest::Method;
use serde_json::{json, Value};

use crate::directory::{graph_call, group_id, tenant, user_id, E911, SHARED};
use crate::harness::{provider_block, seed, Emulator, Workdir};

fn two_groups() -> Value {
    let mut extra = tenant(3);
    extra["groups"] = json!([
        {"id": group_id(1), "displayName": "Seattle office", "members": [user_id(0), user_id(1)]},
        {"id": group_id(2), "displayName": "Everyone", "members": [user_id(0), user_id(1), user_id(2)]}
    ]);
    extra
}

fn config(emulator: &Emulator, first_rank: Option<u32>, name: &str) -> String {
    let rank = first_rank
        .map(|r| format!("  rank = {r}\n"))
        .unwrap_or_default();
    format!(
        r#"{provider}
resource "teamsphone_group_policy_assignment" "everyone" {{
  group_id    = "{everyone}"
  policy_name = "Tacoma"
}}

resource "teamsphone_group_policy_assignment" "seattle" {{
  group_id    = "{seattle}"
  policy_name = "{name}"
{rank}  depends_on  = [teamsphone_group_policy_assignment.everyone]
}}
"#,
        provider = provider_block(emulator),
        everyone = group_id(2),
        seattle = group_id(1),
    )
}

/// (group id, policy name, rank) of the tenant's shared calling group assignments, by rank.
fn groups(emulator: &Emulator) -> Vec<(String, String, u64)> {
    let mut list: Vec<(String, String, u64)> = emulator.tenant()["group_policy_assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["PolicyType"] == SHARED)
        .map(|g| {
            (
                g["GroupId"].as_str().unwrap().to_string(),
                g["PolicyName"].as_str().unwrap().to_string(),
                g["Rank"].as_u64().unwrap(),
            )
        })
        .collect();
    list.sort_by_key(|g| g.2);
    list
}

/// The shared calling policy a user effectively gets, and how.
fn effective(emulator: &Emulator, user: &str) -> (String, String) {
    let (status, c) = graph_call(
        emulator,
        Method::GET,
        &format!("/v1.0/admin/teams/userConfigurations/{user}"),
        None,
    );
    assert_eq!(status, 200);
    let a = c["effectivePolicyAssignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["policyType"] == SHARED)
        .unwrap()["policyAssignment"]
        .clone();
    (
        a["displayName"].as_str().unwrap().into(),
        a["assignmentType"].as_str().unwrap().into(),
    )
}

#[test]
fn ranked_groups_apply_drift_import_destroy() {
    let emulator = Emulator::start(&seed(two_groups()));
    let work = Workdir::new();
    work.write(&config(&emulator, Some(1), "Seattle"));
    work.apply();
    assert_eq!(
        groups(&emulator),
        vec![
            (group_id(1), "Seattle".into(), 1),
            (group_id(2), "Tacoma".into(), 2)
        ]
    );
    // Rank 1 wins for members of both groups; only-"Everyone" members get Tacoma.
    assert_eq!(
        effective(&emulator, &user_id(0)),
        ("Seattle".into(), "group".into())
    );
    assert_eq!(
        effective(&emulator, &user_id(2)),
        ("Tacoma".into(), "group".into())
    );
    work.assert_no_changes();

    // The rank computed for "everyone" moved from 1 to 2 without a diff; now change a name in place.
    work.write(&config(&emulator, Some(1), "Tacoma"));
    let plan = work.plan();
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.all());
    work.apply();
    work.write(&config(&emulator, Some(1), "Seattle"));
    work.apply();

    // Re-ranked by hand: drift on the explicit rank, put back by apply.
    let path = format!(
        "/Skype.Policy/groupPolicyAssignments/{}/policyTypes/{SHARED}",
        group_id(2)
    );
    assert_eq!(
        emulator.teams_call(
            Method::PATCH,
            &path,
            Some(json!({"PolicyName": "Tacoma", "Rank": 1}))
        ),
        200
    );
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("rank"), "{}", plan.stdout);
    work.apply();
    assert_eq!(groups(&emulator)[0].0, group_id(1));
    work.assert_no_changes();

    let fresh = Workdir::new();
    fresh.write(&config(&emulator, Some(1), "Seattle"));
    fresh.import(
        "teamsphone_group_policy_assignment.seattle",
        &format!("{}/{SHARED}", group_id(1)),
    );
    fresh.import(
        "teamsphone_group_policy_assignment.everyone",
        &format!("{}/{SHARED}", group_id(2)),
    );
    fresh.assert_no_changes();

    work.destroy();
    assert_eq!(groups(&emulator), vec![]);
    assert_eq!(
        effective(&emulator, &user_id(0)),
        ("Global".into(), "direct".into())
    );
}

#[test]
fn the_65th_group_and_bad_input_get_clear_errors() {
    let mut extra = tenant(1);
    let mut group_list = Vec::new();
    let mut seeded = Vec::new();
    for i in 0..65 {
        group_list.push(json!({"id": group_id(i), "displayName": format!("G{i}"), "members": []}));
        if i < 64 {
            seeded.push(json!({"GroupId": group_id(i), "PolicyType": E911, "PolicyName": "Seattle-E911", "Rank": i + 1}));
        }
    }
    extra["groups"] = json!(group_list);
    extra["assignments"]["groups"] = json!(seeded);
    let emulator = Emulator::start(&seed(extra));
    let work = Workdir::new();
    let resource = |body: &str| {
        format!(
            "{}\nresource \"teamsphone_group_policy_assignment\" \"g\" {{\n{body}\n}}\n",
            provider_block(&emulator)
        )
    };
    work.write(&resource(&format!(
        "group_id = \"{}\"\npolicy_type = \"{E911}\"\npolicy_name = \"Tacoma-E911\"",
        group_id(64)
    )));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("at most 64"), "{}", run.all());

    work.write(&resource(&format!(
        "group_id = \"{}\"\npolicy_name = \"Nowhere\"",
        group_id(64)
    )));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        run.all().contains("Nowhere") && run.all().contains("does not exist"),
        "{}",
        run.all()
    );

    for (body, message) in [
        (
            "group_id = \"sales\"\npolicy_name = \"Seattle\"",
            "not a GUID",
        ),
        (
            &*format!(
                "group_id = \"{}\"\npolicy_name = \"Seattle\"\nrank = 0",
                group_id(1)
            ),
            "out of range",
        ),
    ] {
        work.write(&resource(body));
        let out = work.plan_fails();
        assert!(out.contains(message), "{out}");
    }
    assert_eq!(
        emulator.tenant()["group_policy_assignments"]
            .as_array()
            .unwrap()
            .len(),
        64
    );
}
