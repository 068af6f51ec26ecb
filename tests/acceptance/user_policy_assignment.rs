//! `teamsphone_user_policy_assignment` through the real terraform binary.

use serde_json::json;

use crate::directory::{direct_assignments, grant_outside, tenant, upn, user_id, E911, SHARED};
use crate::harness::{provider_block, seed, Emulator, Workdir};

fn config(emulator: &Emulator, shared_name: &str) -> String {
    format!(
        r#"{provider}
resource "teamsphone_user_policy_assignment" "ann" {{
  user_id     = "{ann}"
  policy_name = "{shared_name}"
}}

resource "teamsphone_user_policy_assignment" "bob_e911" {{
  user_id     = "{bob}"
  policy_type = "{E911}"
  policy_name = "Seattle-E911"
}}
"#,
        provider = provider_block(emulator),
        ann = upn(0),
        bob = user_id(1).to_uppercase(),
    )
}

#[test]
fn lifecycle_grant_regrant_drift_import_destroy() {
    let emulator = Emulator::start(&seed(tenant(3)));
    let work = Workdir::new();
    work.write(&config(&emulator, "Seattle"));
    work.apply();
    assert_eq!(
        direct_assignments(&emulator),
        vec![
            (user_id(0), SHARED.to_string(), "Seattle".to_string()),
            (user_id(1), E911.to_string(), "Seattle-E911".to_string()),
        ]
    );
    work.assert_no_changes();

    // A new policy name is granted in place, not by replacing the resource.
    work.write(&config(&emulator, "Tacoma"));
    let plan = work.plan();
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.all());
    work.apply();
    assert!(direct_assignments(&emulator).contains(&(user_id(0), SHARED.into(), "Tacoma".into())));
    work.assert_no_changes();

    // Changed by hand: drift that apply puts back.
    grant_outside(&emulator, &user_id(0), SHARED, Some("Seattle"));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(
        plan.stdout.contains("\"Seattle\" -> \"Tacoma\""),
        "{}",
        plan.stdout
    );
    work.apply();
    // Removed by hand: planned again.
    grant_outside(&emulator, &user_id(1), E911, None);
    let plan = work.plan();
    assert!(plan.stdout.contains("will be created"), "{}", plan.all());
    work.apply();
    work.assert_no_changes();

    // Import by <object id>/<policy type> into a fresh state.
    let fresh = Workdir::new();
    fresh.write(&format!(
        "{}\nresource \"teamsphone_user_policy_assignment\" \"ann\" {{\n  user_id = \"{}\"\n  policy_name = \"Tacoma\"\n}}\n",
        provider_block(&emulator),
        user_id(0)
    ));
    fresh.import(
        "teamsphone_user_policy_assignment.ann",
        &format!("{}/{SHARED}", user_id(0)),
    );
    fresh.assert_no_changes();

    work.destroy();
    assert_eq!(
        direct_assignments(&emulator),
        vec![],
        "the tenant is back to its seed"
    );
}

#[test]
fn unknown_policies_and_users_fail_with_their_names() {
    let emulator = Emulator::start(&seed(tenant(1)));
    let work = Workdir::new();
    work.write(&format!(
        "{}\nresource \"teamsphone_user_policy_assignment\" \"a\" {{\n  user_id = \"{}\"\n  policy_type = \"{E911}\"\n  policy_name = \"Portland-E911\"\n}}\n",
        provider_block(&emulator),
        upn(0)
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.all().contains("Portland-E911") && run.all().contains("does not exist"),
        "{}",
        run.all()
    );

    work.write(&format!(
        "{}\nresource \"teamsphone_user_policy_assignment\" \"a\" {{\n  user_id = \"nobody@contoso.com\"\n  policy_name = \"Seattle\"\n}}\n",
        provider_block(&emulator)
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("nobody@contoso.com"), "{}", run.all());
    assert_eq!(direct_assignments(&emulator), vec![]);

    for (line, message) in [
        (
            "user_id = \"nobody\"\n  policy_name = \"Seattle\"",
            "user principal name",
        ),
        (
            "user_id = \"a@contoso.com\"\n  policy_name = \"Tag:Seattle\"",
            "bare name",
        ),
        (
            "user_id = \"a@contoso.com\"\n  policy_name = \"Global\"",
            "remove the assignment",
        ),
        (
            "user_id = \"a@contoso.com\"\n  policy_name = \"S\"\n  policy_type = \"Teams Policy\"",
            "not a policy type",
        ),
    ] {
        work.write(&format!(
            "{}\nresource \"teamsphone_user_policy_assignment\" \"a\" {{\n  {line}\n}}\n",
            provider_block(&emulator)
        ));
        let out = work.plan_fails();
        assert!(out.contains(message), "{line}: {out}");
    }
}

#[test]
fn apply_waits_for_the_grant_to_show() {
    let mut s = seed(tenant(1));
    s["settings"]["propagation_delay_ms"] = json!(1500);
    let emulator = Emulator::start(&s);
    let work = Workdir::new();
    work.write(&format!(
        "{}\nresource \"teamsphone_user_policy_assignment\" \"a\" {{\n  user_id = \"{}\"\n  policy_name = \"Seattle\"\n}}\n",
        provider_block(&emulator),
        upn(0)
    ));
    work.apply();
    // Without the wait, this plan would still see Global and plan the grant again.
    work.assert_no_changes();
    work.destroy();
    work.write(&provider_block(&emulator));
    work.assert_no_changes();
    assert_eq!(direct_assignments(&emulator), vec![]);
}
