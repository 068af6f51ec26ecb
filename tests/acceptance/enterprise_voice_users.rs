//! `teamsphone_enterprise_voice_users` through the real terraform binary.

use reqwest::Method;
use serde_json::json;

use crate::directory::{tenant, upn, user_id};
use crate::harness::{provider_block, seed, Emulator, Workdir};

fn config(emulator: &Emulator, users: &[String]) -> String {
    let list: Vec<String> = users.iter().map(|u| format!("{u:?}")).collect();
    format!(
        "{}\nresource \"teamsphone_enterprise_voice_users\" \"shared\" {{\n  user_ids = [{}]\n}}\n",
        provider_block(emulator),
        list.join(", ")
    )
}

fn enabled(emulator: &Emulator) -> Vec<String> {
    let mut ids: Vec<String> = emulator.tenant()["enterprise_voice_users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn enable_drift_remove_import_destroy_keep_users_with_numbers() {
    let mut extra = tenant(4);
    // User 3 holds a phone number and is voice-enabled for it.
    extra["users"][3]["enterpriseVoiceEnabled"] = json!(true);
    extra["assignments"]["user_numbers"] = json!({user_id(3): ["+12065550123"]});
    let emulator = Emulator::start(&seed(extra));
    let work = Workdir::new();
    work.write(&config(&emulator, &[upn(0), user_id(1)]));
    work.apply();
    assert_eq!(enabled(&emulator), vec![user_id(0), user_id(1), user_id(3)]);
    work.assert_no_changes();

    // Switched off by hand: drift, re-enabled by apply.
    let off = json!({"EnterpriseVoiceEnabled": false});
    assert_eq!(
        emulator.teams_call(
            Method::PATCH,
            &format!("/Teams.User/users/{}", user_id(1)),
            Some(off)
        ),
        204
    );
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    work.apply();
    assert!(enabled(&emulator).contains(&user_id(1)));

    // Add users 2 and 3, drop 1: 1 is switched off.
    work.write(&config(&emulator, &[upn(0), upn(2), upn(3)]));
    work.apply();
    assert_eq!(enabled(&emulator), vec![user_id(0), user_id(2), user_id(3)]);
    work.assert_no_changes();

    let fresh = Workdir::new();
    fresh.write(&config(&emulator, &[upn(0), upn(2), upn(3)]));
    fresh.import(
        "teamsphone_enterprise_voice_users.shared",
        &format!("{},{},{}", upn(0), upn(2), upn(3)),
    );
    fresh.assert_no_changes();

    // Destroy switches off everyone but user 3, who needs it for the number: the seeded tenant.
    work.destroy();
    assert_eq!(enabled(&emulator), vec![user_id(3)]);
}

#[test]
fn unknown_users_are_named() {
    let emulator = Emulator::start(&seed(tenant(1)));
    let work = Workdir::new();
    work.write(&config(&emulator, &[upn(0), "ghost@contoso.com".into()]));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("ghost@contoso.com"), "{}", run.all());
    assert_eq!(enabled(&emulator), Vec::<String>::new());
}
