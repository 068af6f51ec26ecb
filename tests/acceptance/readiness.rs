//! Shared Calling readiness through the real terraform binary: the readiness data source over one
//! tenant with one user per gap, the warnings a shared calling grant gives for the same users, and
//! Enterprise Voice refusing a user without Teams Phone before any write.

use serde_json::{json, Value};

use crate::directory::{direct_assignments, tenant, upn, user_id, E911, SHARED};
use crate::harness::{provider_block, seed, Emulator, Workdir};

/// Five users: 0 is ready for Seattle; 1 is not Enterprise Voice enabled; 2 has no Teams Phone;
/// 3 holds a number of their own; 4 has no emergency call routing policy (only `Global`).
fn readiness_tenant() -> Value {
    let mut t = tenant(5);
    for i in [0, 2, 3, 4] {
        t["users"][i]["enterpriseVoiceEnabled"] = json!(true);
    }
    t["users"][2]["featureTypes"] = json!(["Teams"]);
    t["assignments"]["user_numbers"] = json!({user_id(3): ["+12065550123"]});
    let mut direct = serde_json::Map::new();
    for i in 0..5 {
        let mut held = json!({SHARED: {"policy_name": "Seattle"}});
        if i != 4 {
            held[E911] = json!({"policy_name": "Seattle-E911"});
        }
        direct.insert(user_id(i), held);
    }
    t["assignments"]["users"] = Value::Object(direct);
    t
}

fn readiness_config(emulator: &Emulator, policy: &str, users: &[String]) -> String {
    let list: Vec<String> = users.iter().map(|u| format!("{u:?}")).collect();
    format!(
        r#"{}
data "teamsphone_shared_calling_readiness" "r" {{
  policy_name = "{policy}"
  user_ids    = [{}]
}}

output "r" {{
  value = data.teamsphone_shared_calling_readiness.r
}}
"#,
        provider_block(emulator),
        list.join(", ")
    )
}

fn reasons_of(out: &Value, user: &str) -> Vec<String> {
    out["not_ready"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["user_id"] == user)
        .unwrap_or_else(|| panic!("{user} not in not_ready: {out}"))["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn readiness_names_each_gap_per_user() {
    let emulator = Emulator::start(&seed(readiness_tenant()));
    let work = Workdir::new();
    // User 0 by principal name in another case, the rest by object id.
    let users: Vec<String> = std::iter::once(upn(0).to_uppercase())
        .chain((1..5).map(user_id))
        .collect();
    work.write(&readiness_config(&emulator, "seattle", &users));
    work.apply();
    let out: Value = serde_json::from_str(&work.run(&["output", "-json", "r"]).stdout).unwrap();
    assert_eq!(out["ready"], json!([upn(0).to_uppercase()]), "{out}");
    let flags = &out["users"];
    assert_eq!(flags.as_array().unwrap().len(), 5);
    assert_eq!(flags[0]["id"], user_id(0));
    assert_eq!(flags[0]["shared_calling_policy"], true);
    assert_eq!(flags[1]["enterprise_voice"], false);
    assert_eq!(flags[2]["teams_phone"], false);
    assert_eq!(flags[3]["own_number"], true);
    assert_eq!(flags[4]["emergency_routing_policy"], false);
    let one = |i: usize| reasons_of(&out, &user_id(i));
    assert!(
        one(1).len() == 1 && one(1)[0].contains("Enterprise Voice"),
        "{out}"
    );
    assert!(
        one(2).len() == 1 && one(2)[0].contains("Teams Phone"),
        "{out}"
    );
    assert!(
        one(3).len() == 1 && one(3)[0].contains("number of their own"),
        "{out}"
    );
    assert!(
        one(4).len() == 1 && one(4)[0].contains("emergency"),
        "{out}"
    );
    work.assert_no_changes();

    // Another policy: nobody has it in effect, so user 0 is not ready either.
    work.write(&readiness_config(&emulator, "Tacoma", &users));
    work.apply();
    let out: Value = serde_json::from_str(&work.run(&["output", "-json", "r"]).stdout).unwrap();
    assert_eq!(out["ready"], json!([]), "{out}");
    assert_eq!(out["users"][0]["shared_calling_policy"], false);

    // Bad input: an unknown user, a Tag: name and a duplicate are errors on their attributes.
    let missing = "nobody@contoso.com".to_string();
    work.write(&readiness_config(&emulator, "Seattle", &[upn(0), missing]));
    let text = work
        .plan_fails()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("nobody@contoso.com") && text.contains("do not exist"),
        "{text}"
    );
    work.write(&readiness_config(
        &emulator,
        "Tag:Seattle",
        &[upn(0), upn(0).to_uppercase()],
    ));
    let text = work
        .plan_fails()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("write the bare name"), "{text}");
    assert!(text.contains("are the same user"), "{text}");
}

#[test]
fn shared_calling_grants_warn_about_users_who_are_not_ready() {
    let mut t = readiness_tenant();
    // Nobody holds Seattle yet, so every grant below is a write.
    t["assignments"]["users"] = json!({});
    t["assignments"]["users"][user_id(3)] = json!({E911: {"policy_name": "Seattle-E911"}});
    let emulator = Emulator::start(&seed(t));
    let work = Workdir::new();
    work.write(&format!(
        r#"{}
resource "teamsphone_policy_assignment_set" "seattle" {{
  policy_name = "Seattle"
  user_ids    = ["{}", "{}"]
}}

resource "teamsphone_user_policy_assignment" "three" {{
  user_id     = "{}"
  policy_name = "Seattle"
}}
"#,
        provider_block(&emulator),
        upn(1),
        upn(2),
        upn(3)
    ));
    let run = work.apply();
    let text = run.text();
    assert!(
        text.contains("1 user(s): not Enterprise Voice enabled") && text.contains(&upn(1)),
        "{text}"
    );
    assert!(text.contains("1 user(s): no Teams Phone license"), "{text}");
    assert!(
        text.contains("2 user(s): no emergency call routing policy"),
        "{text}"
    );
    assert!(
        text.contains("1 user(s): holds a phone number of their own"),
        "{text}"
    );
    // The grants happened regardless: they are legal.
    let held = direct_assignments(&emulator);
    for i in 1..4 {
        let grant = (user_id(i), SHARED.to_string(), "Seattle".to_string());
        assert!(held.contains(&grant), "{held:?}");
    }
    // Nothing to grant, nothing to warn about.
    let plan = work.plan();
    assert_eq!(plan.code, 0, "{}", plan.all());
    assert!(!plan.text().contains("user(s):"), "{}", plan.all());
}

#[test]
fn enterprise_voice_refuses_users_without_teams_phone_before_any_write() {
    let mut t = tenant(3);
    t["users"][2]["featureTypes"] = json!(["Teams"]);
    let emulator = Emulator::start(&seed(t));
    let work = Workdir::new();
    work.write(&format!(
        "{}\nresource \"teamsphone_enterprise_voice_users\" \"v\" {{\n  user_ids = [{:?}, {:?}]\n}}\n",
        provider_block(&emulator),
        upn(0),
        upn(2)
    ));
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.text();
    assert!(
        text.contains("1 user(s) have no Teams Phone license"),
        "{text}"
    );
    let named = text
        .split("no PhoneSystem: ")
        .nth(1)
        .and_then(|rest| rest.split(". Assign").next())
        .unwrap_or_else(|| panic!("no list of users: {text}"));
    assert_eq!(named, upn(2), "only the user without Teams Phone is named");
    assert_eq!(
        emulator.tenant()["enterprise_voice_users"],
        json!([]),
        "nobody was switched on"
    );
}
