//! `teamsphone_shared_calling_policy` through the real terraform binary.

use reqwest::Method;
use serde_json::json;

use crate::harness::{provider_block, seed, Emulator, Workdir, CLIENT_SECRET, RESOURCE_ACCOUNT};

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

/// The number rules (contract section 1) are read from the inventory before the write: every broken
/// rule is named on its attribute, nothing is created, and the fixed configuration applies.
#[test]
fn number_rules_are_checked_before_the_write_and_named_on_their_attribute() {
    const ACCOUNT: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";
    let config = |emulator: &Emulator, numbers: &str| {
        format!(
            "{}\nresource \"teamsphone_shared_calling_policy\" \"checked\" {{\n  name = \"Checked\"\n  resource_account_id = \"{ACCOUNT}\"\n  emergency_numbers = [{numbers}]\n}}\n",
            provider_block(emulator).replace(CLIENT_SECRET, crate::examples::DEMO_SECRET)
        )
    };
    let emulator = Emulator::start(&crate::examples::demo_seed());
    let work = Workdir::new();
    // Held by the seeded policy, another country, another number type, and not in the tenant.
    work.write(&config(
        &emulator,
        r#""+12065550100", "+44 20 7946 0958", "+12065550177", "+12065550199", "+12065550150""#,
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.text();
    for expected in [
        "+12065550100 is assigned to Tag:Existing",
        "is a directRouting number of GB",
        "+12065550177 is a callingPlan number of US",
        "+12065550199 is not a number of this tenant",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    assert!(
        !text.contains("+12065550150 is"),
        "a good number is not named: {text}"
    );
    assert_eq!(text.matches("breaks a number rule").count(), 4, "{text}");
    let errors = &text[text.find("Error:").unwrap()..];
    assert!(
        errors.contains("emergency_numbers ="),
        "points at the attribute: {errors}"
    );
    assert!(emulator.policy("Tag:Checked").is_none());
    assert!(
        emulator.requests().iter().all(|r| r["method"] != "POST"
            || !r["path"]
                .as_str()
                .unwrap_or("")
                .contains("TeamsSharedCallingRoutingPolicy")),
        "nothing may be written when a rule is broken"
    );

    // An account whose number has no emergency location is named on resource_account_id.
    let mut seed = crate::examples::demo_seed();
    for n in seed["tenants"][0]["phone_numbers"].as_array_mut().unwrap() {
        if n["telephoneNumber"] == "+12065550101" {
            n.as_object_mut().unwrap().remove("locationId");
        }
    }
    let unlocated = Emulator::start(&seed);
    let work = Workdir::new();
    work.write(&config(&unlocated, r#""+12065550150""#));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.text();
    assert!(
        text.contains("+12065550101 has no emergency location"),
        "{text}"
    );
    let errors = &text[text.find("Error:").unwrap()..];
    assert!(
        errors.contains("resource_account_id ="),
        "points at the attribute: {errors}"
    );
    assert!(unlocated.policy("Tag:Checked").is_none());

    // With free numbers of the account's type and country it applies, and re-plans empty.
    let work = Workdir::new();
    work.write(&config(&emulator, r#""+12065550150", "+12065550151""#));
    let run = work.apply();
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(emulator.policy("Tag:Checked").is_some());
    work.assert_no_changes();
}
