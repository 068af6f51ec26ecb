//! `teamsphone_auto_attendant` through the real terraform binary: create with business hours and
//! holidays, update (holiday schedules replaced, the old ones removed), drift on every attribute
//! (changed through the emulator behind Terraform's back), deletion outside Terraform, import,
//! destroy (schedules removed with it), and a create that fails part way leaving nothing behind.

use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{provider_block, seed, Emulator, Workdir};
use teamsphone_contract::CALL_QUEUE_APP_ID;

const ADDRESS: &str = "teamsphone_auto_attendant.reception";
const ANN: &str = "cccccccc-0000-0000-0000-000000000001";
const BOB: &str = "cccccccc-0000-0000-0000-000000000002";
const QUEUE: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a12";
const GROUP: &str = "dddddddd-0000-0000-0000-000000000001";
const AAS: &str = "/Teams.VoiceApps/auto-attendants";
const SCHEDULES: &str = "/Teams.VoiceApps/schedules";

fn tenant() -> Value {
    seed(json!({
        "users": [
            {"id": ANN, "userPrincipalName": "ann@contoso.onmicrosoft.com", "displayName": "Ann"},
            {"id": BOB, "userPrincipalName": "bob@contoso.onmicrosoft.com", "displayName": "Bob"},
            {"id": QUEUE, "userPrincipalName": "cq@contoso.onmicrosoft.com", "displayName": "Queue",
             "accountType": "resourceAccount", "applicationId": CALL_QUEUE_APP_ID, "accountEnabled": false}
        ],
        "groups": [{"id": GROUP, "displayName": "Reception voicemail"}]
    }))
}

/// The configuration: `hours` is Monday's ranges, `holidays` the holiday blocks.
fn config(emulator: &Emulator, greeting: &str, monday: &str, holidays: &str) -> String {
    format!(
        r#"{provider}
resource "teamsphone_auto_attendant" "reception" {{
  name         = "Reception"
  language_id  = "en-US"
  time_zone_id = "Pacific Standard Time"
  operator {{
    type = "user"
    id   = "{ANN}"
  }}
  default_call_flow {{
    greeting = "{greeting}"
    action   = "menu"
    menu {{
      prompt       = "For the front desk press 1, for the operator press 0."
      dial_by_name = true
      options {{
        key    = "Tone1"
        action = "transfer"
        target {{
          type = "resource_account"
          id   = "{QUEUE}"
        }}
      }}
      options {{
        key    = "Tone0"
        action = "transfer"
        target {{
          type = "operator"
        }}
      }}
      options {{
        key      = "Tone9"
        action   = "announcement"
        greeting = "We are at 1 Main Street."
      }}
    }}
  }}
  business_hours {{
    monday = [{monday}]
    friday = ["09:00-12:30", "13:30-17:00"]
  }}
  after_hours_call_flow {{
    greeting = "We are closed."
    action   = "transfer"
    target {{
      type = "shared_voicemail"
      id   = "{GROUP}"
    }}
  }}
  {holidays}
}}
"#,
        provider = provider_block(emulator)
    )
}

fn holiday(name: &str, start: &str, end: &str, action: &str) -> String {
    let target = if action == "transfer" {
        "target {\n        type = \"external_pstn\"\n        id   = \"tel:+1 206 555 0199\"\n      }"
    } else {
        ""
    };
    format!(
        r#"holidays {{
    name = "{name}"
    dates {{
      start = "{start}"
      end   = "{end}"
    }}
    call_flow {{
      greeting = "Closed for {name}."
      action   = "{action}"
      {target}
    }}
  }}
  "#
    )
}

fn two_holidays() -> String {
    holiday("Christmas", "2026-12-25", "2026-12-26T00:00", "disconnect")
        + &holiday("New Year", "2027-01-01", "2027-01-02", "transfer")
}

fn voice_apps(emulator: &Emulator) -> Value {
    emulator.tenant()["voice_apps"].clone()
}

/// The one auto attendant the tests made (the seed has none).
fn stored(emulator: &Emulator) -> Option<Value> {
    voice_apps(emulator)["auto_attendants"]
        .as_array()
        .and_then(|all| all.first().cloned())
}

fn schedules(emulator: &Emulator) -> Vec<Value> {
    voice_apps(emulator)["schedules"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn schedule_ids(aa: &Value) -> Vec<String> {
    aa["CallHandlingAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ScheduleId"].as_str().unwrap().to_string())
        .collect()
}

fn put(emulator: &Emulator, path: &str, body: &Value) {
    let status = emulator.teams_call(Method::PUT, path, Some(body.clone()));
    assert_eq!(status, 200, "PUT {path}");
}

#[test]
fn lifecycle_create_update_drift_import_destroy() {
    let emulator = Emulator::start(&tenant());
    let work = Workdir::new();
    work.write(&config(
        &emulator,
        "Welcome",
        "\"09:00-17:00\"",
        &two_holidays(),
    ));
    work.apply();
    let aa = stored(&emulator).expect("auto attendant created");
    let id = aa["Id"].as_str().unwrap().to_string();
    assert_eq!(aa["Operator"], json!({"Id": ANN, "Type": "User"}));
    assert_eq!(aa["CallFlows"].as_array().unwrap().len(), 3);
    let kinds: Vec<&str> = aa["CallHandlingAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Holiday", "Holiday", "AfterHours"]);
    let made = schedules(&emulator);
    assert_eq!(made.len(), 3, "{made:#?}");
    let christmas = made.iter().find(|s| s["Name"] == "Christmas").unwrap();
    assert_eq!(
        christmas["FixedSchedule"]["DateTimeRanges"],
        json!([{"Start": "2026-12-25T00:00:00", "End": "2026-12-26T00:00:00"}])
    );
    // Writes: one POST per schedule, then one for the auto attendant.
    let posts: Vec<String> = emulator
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["service"] == "teams")
        .map(|r| r["path"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(posts.len(), 4, "{posts:?}");
    assert!(posts[3].ends_with("/auto-attendants"), "{posts:?}");
    let before = emulator.requests().len();
    work.assert_no_changes();
    // A refresh reads the auto attendant and each of its schedules once.
    let reads = emulator.requests()[before..]
        .iter()
        .filter(|r| r["service"] == "teams")
        .count();
    assert_eq!(reads, 1 + 3, "{:#?}", &emulator.requests()[before..]);

    // In place: a greeting, Monday's hours, Christmas moved, New Year dropped.
    let hours_id = schedule_ids(&aa).pop().unwrap();
    work.write(&config(
        &emulator,
        "Welcome to Contoso",
        "\"08:00-12:00\", \"13:00-18:15\"",
        &holiday("Christmas", "2026-12-24T12:30", "2026-12-27", "disconnect"),
    ));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.stdout);
    work.apply();
    let aa = stored(&emulator).unwrap();
    assert_eq!(aa["Id"], id.as_str(), "updated, not replaced");
    let ids = schedule_ids(&aa);
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[1], hours_id, "business hours are changed in place");
    let left = schedules(&emulator);
    assert_eq!(
        left.len(),
        2,
        "old holiday schedules are removed: {left:#?}"
    );
    let hours = left.iter().find(|s| s["Id"] == hours_id.as_str()).unwrap();
    assert_eq!(
        hours["WeeklyRecurrentSchedule"]["MondayHours"],
        json!([{"Start": "08:00", "End": "12:00"}, {"Start": "13:00", "End": "18:15"}])
    );
    work.assert_no_changes();

    // Drift on every attribute: each change made behind Terraform's back shows in the plan.
    let original = stored(&emulator).unwrap();
    let original_schedules = schedules(&emulator);
    let aa_path = format!("{AAS}/{id}");
    type Drift = Box<dyn Fn(&mut Value)>;
    let drifts: Vec<(&str, Drift)> = vec![
        ("name", Box::new(|a| a["Name"] = json!("Lobby"))),
        (
            "language_id",
            Box::new(|a| a["LanguageId"] = json!("fr-FR")),
        ),
        ("time_zone_id", Box::new(|a| a["TimeZoneId"] = json!("UTC"))),
        (
            "voice_response_enabled",
            Box::new(|a| a["VoiceResponseEnabled"] = json!(true)),
        ),
        ("operator", Box::new(|a| a["Operator"]["Id"] = json!(BOB))),
        (
            "greeting",
            Box::new(|a| a["DefaultCallFlow"]["Greetings"] = json!([])),
        ),
        (
            "key",
            Box::new(|a| {
                a["DefaultCallFlow"]["Menu"]["MenuOptions"][0]["DtmfResponse"] = json!("Tone2")
            }),
        ),
        (
            "prompt",
            Box::new(|a| {
                a["DefaultCallFlow"]["Menu"]["Prompts"][0]["TextToSpeechPrompt"] = json!("Hi")
            }),
        ),
        (
            "dial_by_name",
            Box::new(|a| a["DefaultCallFlow"]["Menu"]["DialByNameEnabled"] = json!(false)),
        ),
        (
            "option target",
            Box::new(|a| {
                a["DefaultCallFlow"]["Menu"]["MenuOptions"][0]["CallTarget"] =
                    json!({"Id": ANN, "Type": "User"})
            }),
        ),
        (
            "after hours",
            Box::new(|a| {
                a["CallFlows"][0]["Menu"]["MenuOptions"][0] =
                    json!({"Action": "DisconnectCall", "DtmfResponse": "Automatic"})
            }),
        ),
        (
            "holidays",
            Box::new(|a| {
                a["CallHandlingAssociations"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|c| c["Type"] != "Holiday")
            }),
        ),
        (
            "business_hours",
            Box::new(|a| {
                a["CallHandlingAssociations"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|c| c["Type"] != "AfterHours")
            }),
        ),
    ];
    for (what, drift) in drifts {
        let mut changed = original.clone();
        drift(&mut changed);
        put(&emulator, &aa_path, &changed);
        let plan = work.plan();
        assert_eq!(plan.code, 2, "drift of {what} must show:\n{}", plan.all());
        put(&emulator, &aa_path, &original);
    }
    for (what, field, value) in [
        (
            "holiday dates",
            "FixedSchedule",
            json!({"DateTimeRanges": [{"Start": "2026-12-24T12:30:00", "End": "2026-12-28T00:00:00"}]}),
        ),
        (
            "weekly hours",
            "WeeklyRecurrentSchedule",
            json!({"MondayHours": [{"Start": "08:00", "End": "12:00"}], "ComplementEnabled": true}),
        ),
    ] {
        let mut s = original_schedules
            .iter()
            .find(|s| s.get(field).is_some())
            .unwrap()
            .clone();
        let path = format!("{SCHEDULES}/{}", s["Id"].as_str().unwrap());
        s[field] = value;
        put(&emulator, &path, &s);
        let plan = work.plan();
        assert_eq!(plan.code, 2, "drift of {what} must show:\n{}", plan.all());
        work.apply();
        work.assert_no_changes();
    }
    assert_eq!(stored(&emulator).unwrap()["Id"], id.as_str());

    // Deleted outside Terraform: planned for re-creation.
    assert_eq!(emulator.teams_call(Method::DELETE, &aa_path, None), 204);
    let orphans = schedules(&emulator).len();
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("will be created"), "{}", plan.stdout);
    work.apply();
    let aa = stored(&emulator).expect("re-created");
    let id = aa["Id"].as_str().unwrap().to_string();

    // Import into a fresh state: no diff afterwards.
    let fresh = Workdir::new();
    fresh.write(&config(
        &emulator,
        "Welcome to Contoso",
        "\"08:00-12:00\", \"13:00-18:15\"",
        &holiday("Christmas", "2026-12-24T12:30", "2026-12-27", "disconnect"),
    ));
    fresh.import(ADDRESS, &id);
    fresh.assert_no_changes();
    let other = Workdir::new();
    other.write(&config(&emulator, "Welcome", "\"09:00-17:00\"", ""));
    let bad = other.run(&["import", "-no-color", ADDRESS, "Reception"]);
    assert_ne!(bad.code, 0);
    assert!(
        bad.all().contains("Import an auto attendant by its id"),
        "{}",
        bad.all()
    );

    // Destroy removes the auto attendant and its schedules (the orphans of the outside delete
    // stay: they were never this configuration's to remove).
    work.destroy();
    assert!(stored(&emulator).is_none());
    assert_eq!(schedules(&emulator).len(), orphans);
}

#[test]
fn writes_refused_by_the_service_leave_no_schedules_behind() {
    let emulator = Emulator::start(&tenant());
    let work = Workdir::new();
    // A well-formed user id that is nobody: only the service can tell.
    let nobody = "cccccccc-0000-0000-0000-00000000dead";
    work.write(
        &config(&emulator, "Welcome", "\"09:00-17:00\"", &two_holidays()).replace(
            &format!("id   = \"{ANN}\""),
            &format!("id   = \"{nobody}\""),
        ),
    );
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("creating auto attendant (Reception)"),
        "{text}"
    );
    assert!(text.contains("is not a user of the tenant"), "{text}");
    let posts = emulator
        .requests()
        .into_iter()
        .filter(|r| {
            r["method"] == "POST"
                && r["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with("/schedules"))
        })
        .count();
    assert_eq!(posts, 3, "the schedules were made first");
    assert!(stored(&emulator).is_none());
    assert_eq!(
        schedules(&emulator),
        Vec::<Value>::new(),
        "and removed again"
    );

    // An update refused part way: its new holiday schedule is removed, the old ones stay in use.
    work.write(&config(
        &emulator,
        "Welcome",
        "\"09:00-17:00\"",
        &two_holidays(),
    ));
    work.apply();
    let before = schedules(&emulator);
    let bad_update = config(
        &emulator,
        "Welcome",
        "\"09:00-17:00\"",
        &holiday("Easter", "2027-03-28", "2027-03-29", "disconnect"),
    )
    .replace(
        &format!("id   = \"{ANN}\""),
        &format!("id   = \"{nobody}\""),
    );
    work.write(&bad_update);
    let run = work.run(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.all().contains("updating auto attendant (Reception)"),
        "{}",
        run.all()
    );
    assert_eq!(schedules(&emulator), before, "nothing made, nothing lost");
    assert_eq!(schedule_ids(&stored(&emulator).unwrap()).len(), 3);
}

/// Every other answer shape of contract section 7 at once: one-element arrays, writes without a
/// body (the auto attendant and its schedules are read back), camelCase fields.
#[test]
fn every_answer_shape_creates_updates_and_destroys() {
    let mut seed = tenant();
    seed["settings"]["answer_shapes"] = json!({
        "graph_wrapped_entities": true, "teams_entity_arrays": true, "teams_empty_writes": true,
        "create_without_object_id": true, "teams_camel_case": true
    });
    let emulator = Emulator::start(&seed);
    let work = Workdir::new();
    work.write(&config(
        &emulator,
        "Welcome",
        "\"09:00-17:00\"",
        &two_holidays(),
    ));
    work.apply();
    assert_eq!(schedules(&emulator).len(), 3);
    work.assert_no_changes();
    work.write(&config(
        &emulator,
        "Hello",
        "\"09:00-17:00\"",
        &holiday("Christmas", "2026-12-24", "2026-12-27", "disconnect"),
    ));
    work.apply();
    work.assert_no_changes();
    assert_eq!(schedules(&emulator).len(), 2);
    work.destroy();
    assert!(stored(&emulator).is_none());
    assert_eq!(schedules(&emulator), Vec::<Value>::new());
}
