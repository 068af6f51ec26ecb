//! `teamsphone_shared_calling_policy` through the real terraform binary.

use reqwest::Method;
use serde_json::json;

use crate::harness::{provider_block, seed, Emulator, Workdir, RESOURCE_ACCOUNT};

const ADDRESS: &str = "teamsphone_shared_calling_policy.seattle";

fn policy_config(emulator: &Emulator, description: &str, numbers: &[&str]) -> String {
    let numbers: Vec<String> = numbers.iter().map(|n| format!("{n:?}")).collect();
    format!(
        r#"{provider}
resource "teamsphone_shared_calling_policy" "seattle" {{
  name                = "Seattle"
  description         = "{description}"
  resource_account_id = "{RESOURCE_ACCOUNT}"
  emergency_numbers   = [{numbers}]
}}
"#,
        provider = provider_block(emulator),
        numbers = numbers.join(", ")
    )
}

#[test]
fn lifecycle_plan_apply_update_drift_import_destroy() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    // The user's spelling differs from the API's; it must never show as a diff.
    work.write(&policy_config(
        &emulator,
        "Seattle office",
        &["+1 206 555 0100", "+12065550101"],
    ));

    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("will be created"), "{}", plan.stdout);
    assert!(
        emulator.policy("Tag:Seattle").is_none(),
        "plan must not write"
    );

    work.apply();
    let created = emulator.policy("Tag:Seattle").expect("policy created");
    assert_eq!(created["Description"], "Seattle office");
    assert_eq!(created["ResourceAccount"], RESOURCE_ACCOUNT);
    assert_eq!(
        created["EmergencyNumbers"],
        json!(["+12065550100", "+12065550101"])
    );
    work.assert_no_changes();

    // Update in place: description and one number fewer.
    work.write(&policy_config(&emulator, "Seattle HQ", &["+12065550100"]));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.stdout);
    work.apply();
    let updated = emulator.policy("Tag:Seattle").unwrap();
    assert_eq!(updated["Description"], "Seattle HQ");
    assert_eq!(updated["EmergencyNumbers"], json!(["+12065550100"]));
    work.assert_no_changes();

    // A change made in the admin center shows as drift and is put back.
    let path =
        "/Skype.Policy/configurations/TeamsSharedCallingRoutingPolicy/configuration/Tag:Seattle";
    let status = emulator.teams_call(
        Method::PUT,
        path,
        Some(json!({"Description": "edited by hand"})),
    );
    assert_eq!(status, 200);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "drift must show:\n{}", plan.all());
    assert!(plan.stdout.contains("edited by hand"), "{}", plan.stdout);
    work.apply();
    assert_eq!(
        emulator.policy("Tag:Seattle").unwrap()["Description"],
        "Seattle HQ"
    );

    // Deleted outside Terraform: planned for re-creation.
    assert_eq!(emulator.teams_call(Method::DELETE, path, None), 204);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("will be created"), "{}", plan.stdout);
    work.apply();
    assert!(emulator.policy("Tag:Seattle").is_some());

    // Import into a fresh state: no diff afterwards.
    let fresh = Workdir::new();
    fresh.write(&policy_config(&emulator, "Seattle HQ", &["+12065550100"]));
    fresh.import(ADDRESS, "Seattle");
    fresh.assert_no_changes();
    let show = fresh.run(&["state", "show", "-no-color", ADDRESS]);
    assert!(show.stdout.contains("Tag:Seattle"), "{}", show.stdout);

    work.destroy();
    assert!(emulator.policy("Tag:Seattle").is_none());
    assert!(emulator.policy("Global").is_some(), "Global must survive");
}

#[test]
fn renaming_replaces_the_policy() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    work.write(&policy_config(&emulator, "d", &[]));
    work.apply();
    let renamed = policy_config(&emulator, "d", &[]).replace("\"Seattle\"", "\"Tacoma\"");
    work.write(&renamed);
    let plan = work.plan();
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.all());
    work.apply();
    assert!(emulator.policy("Tag:Seattle").is_none());
    assert!(emulator.policy("Tag:Tacoma").is_some());
}

#[test]
fn existing_policy_must_be_imported_not_recreated() {
    let emulator = Emulator::start(&seed(json!({
        "shared_calling_policies": [{
            "Identity": "Tag:Seattle", "Description": "made by hand",
            "ResourceAccount": RESOURCE_ACCOUNT, "EmergencyNumbers": []
        }]
    })));
    let work = Workdir::new();
    work.write(&policy_config(&emulator, "d", &[]));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("already exists"), "{}", run.all());
    assert!(run.all().contains("terraform import"), "{}", run.all());
    assert_eq!(
        emulator.policy("Tag:Seattle").unwrap()["Description"],
        "made by hand",
        "the existing policy must be left alone"
    );
}

#[test]
fn bad_policy_input_fails_at_plan_time_on_the_attribute() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let cases: [(&str, &str, &str); 6] = [
        ("name = \"Tag:Seattle\"", "write the bare name", "name"),
        ("name = \"\"", "must not be empty", "name"),
        ("name = \"Global\"", "built-in", "name"),
        (
            "resource_account_id = \"not-a-guid\"",
            "is not a GUID",
            "resource_account_id",
        ),
        (
            "emergency_numbers = [\"2065550100\"]",
            "must start with +",
            "emergency_numbers",
        ),
        (
            "emergency_numbers = [\"+12065550100\", \"+1 206 555 0100\"]",
            "same number",
            "emergency_numbers",
        ),
    ];
    for (line, message, attribute) in cases {
        let key = line.split('=').next().unwrap().trim();
        let mut body = vec![
            "name = \"Seattle\"".to_string(),
            format!("resource_account_id = \"{RESOURCE_ACCOUNT}\""),
        ];
        body.retain(|l| !l.starts_with(key));
        body.push(line.to_string());
        work.write(&format!(
            "{}\nresource \"teamsphone_shared_calling_policy\" \"p\" {{\n{}\n}}\n",
            provider_block(&emulator),
            body.join("\n")
        ));
        let out = work.plan_fails();
        assert!(
            out.contains(message),
            "{line}: expected {message:?} in\n{out}"
        );
        assert!(
            out.contains(&format!("{attribute} ")) || out.contains(&format!("{attribute}=")),
            "{line}: diagnostic should point at {attribute}:\n{out}"
        );
        assert!(!out.contains("panic"), "{out}");
    }
    assert!(
        emulator
            .requests()
            .iter()
            .all(|r| r["service"] != "teams" || r["method"] == "GET"),
        "nothing may be written for invalid input"
    );
}
