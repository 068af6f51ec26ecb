//! Creates without a unique key whose answer is lost, against the emulator over real HTTP: the
//! emulator carries the write out and then cuts the connection (`lost_answer_percent`), or cuts
//! it before the write (`drop_percent`), and the client must end with exactly one object either
//! way, sending a second create only when the first made nothing (`workflows::creates`).

use serde_json::{json, Value};

use super::api::auto_attendants::{
    AutoAttendant, CallFlow, FixedSchedule, Menu, MenuOption, Schedule, WeeklySchedule, WireRange,
};
use super::emulator_tests::{queue_settings, start};
use super::workflows::auto_attendants::{AutoAttendantDesign, Scheduled};
use teamsphone_emulator::EmulatorHandle;

/// Faults on the voice app creates whose path contains `path`: the first `limit` of them.
fn faults(kind: &str, path: &str, limit: u32) -> Value {
    json!({"faults": {kind: 100, "methods": ["POST"], "path_contains": path, "limit": limit}})
}

/// The statuses the emulator logged for POSTs whose path contains `path` (0: cut connection).
async fn posts(emulator: &EmulatorHandle, path: &str) -> Vec<u64> {
    let log: Vec<Value> = reqwest::get(format!("{}/_emulator/requests", emulator.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log.iter()
        .filter(|r| r["method"] == "POST" && r["path"].as_str().unwrap_or("").contains(path))
        .map(|r| r["status"].as_u64().unwrap_or(0))
        .collect()
}

fn fixed(name: &str, day: u32) -> Schedule {
    Schedule {
        name: name.into(),
        r#type: "Fixed".into(),
        fixed_schedule: Some(FixedSchedule {
            date_time_ranges: vec![WireRange {
                start: format!("2026-12-{day:02}T00:00:00"),
                end: format!("2026-12-{:02}T00:00:00", day + 1),
            }],
        }),
        ..Default::default()
    }
}

fn flow(id: &str) -> CallFlow {
    CallFlow {
        id: Some(id.into()),
        name: format!("flow {id}"),
        greetings: vec![],
        menu: Menu {
            name: "menu".into(),
            menu_options: vec![MenuOption {
                action: "DisconnectCall".into(),
                dtmf_response: "Automatic".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
    }
}

/// An auto attendant with business hours and two holidays: three schedules and the auto
/// attendant, four creates. Each call flow id is fresh, as the resource makes them.
fn design() -> AutoAttendantDesign {
    let id = || uuid::Uuid::new_v4().to_string();
    let (default, hours, eve, day) = (id(), id(), id(), id());
    let hours_schedule = Schedule {
        name: "Reception hours".into(),
        r#type: "WeeklyRecurrence".into(),
        weekly_recurrent_schedule: Some(WeeklySchedule {
            monday_hours: vec![WireRange {
                start: "09:00".into(),
                end: "17:00".into(),
            }],
            complement_enabled: true,
            ..Default::default()
        }),
        ..Default::default()
    };
    AutoAttendantDesign {
        aa: AutoAttendant {
            name: "Reception".into(),
            language_id: Some("en-US".into()),
            time_zone_id: Some("Pacific Standard Time".into()),
            voice_response_enabled: Some(false),
            default_call_flow: Some(flow(&default)),
            call_flows: vec![flow(&hours), flow(&eve), flow(&day)],
            ..Default::default()
        },
        after_hours: Some(Scheduled {
            schedule: hours_schedule,
            call_flow_id: hours,
        }),
        holidays: vec![
            Scheduled {
                schedule: fixed("Christmas Eve", 24),
                call_flow_id: eve,
            },
            Scheduled {
                schedule: fixed("Christmas Day", 25),
                call_flow_id: day,
            },
        ],
    }
}

#[tokio::test]
async fn a_call_queue_create_whose_answer_is_lost_is_adopted_not_repeated() {
    let (emulator, client) = start(faults("lost_answer_percent", "callqueues", 1), 0).await;
    let created = client
        .create_call_queue(&queue_settings("Callbacks"))
        .await
        .unwrap();
    let named: Vec<String> = client
        .list_cs_call_queues()
        .await
        .unwrap()
        .into_iter()
        .filter(|q| q.name == "Callbacks")
        .map(|q| q.identity)
        .collect();
    assert_eq!(named, [created.identity], "one queue, the one adopted");
    assert_eq!(
        posts(&emulator, "callqueues").await,
        [0],
        "one lost create, not sent again"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_call_queue_named_like_an_existing_one_is_told_apart_and_a_cut_create_is_resent() {
    // The connection is cut before the write: nothing was made, so the create is sent again;
    // the queue already named alike is not mistaken for it.
    let (emulator, client) = start(faults("drop_percent", "callqueues", 1), 0).await;
    let mut existing = queue_settings("Front desk");
    existing.language_id = None;
    let seeded = client.list_cs_call_queues().await.unwrap();
    assert!(seeded.iter().any(|q| q.name == "Front desk"));
    let created = client.create_call_queue(&existing).await.unwrap();
    let named: Vec<String> = client
        .list_cs_call_queues()
        .await
        .unwrap()
        .into_iter()
        .filter(|q| q.name == "Front desk")
        .map(|q| q.identity)
        .collect();
    assert_eq!(
        named.len(),
        2,
        "the seeded queue and the new one: {named:?}"
    );
    assert!(named.contains(&created.identity));
    assert_eq!(posts(&emulator, "callqueues").await, [0, 201]);
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_auto_attendant_whose_every_create_answer_is_lost_is_made_once() {
    // The three schedule creates and the auto attendant create all write, then lose their answer.
    let (emulator, client) = start(faults("lost_answer_percent", "Teams.VoiceApps", 4), 0).await;
    let schedules_before = client.list_cs_online_schedules().await.unwrap().len();
    let aas_before = client.list_cs_auto_attendants().await.unwrap().len();
    let design = design();
    let created = client.create_auto_attendant(&design).await.unwrap();

    let aas = client.list_cs_auto_attendants().await.unwrap();
    assert_eq!(aas.len(), aas_before + 1, "one new auto attendant");
    assert!(aas.iter().any(|a| a.id == created.id));
    let schedules = client.list_cs_online_schedules().await.unwrap();
    assert_eq!(schedules.len(), schedules_before + 3, "three new schedules");
    let read = client
        .read_auto_attendant(&created.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        read.schedules.len(),
        3,
        "each referenced by the new auto attendant"
    );
    assert_eq!(
        posts(&emulator, "Teams.VoiceApps").await,
        [0, 0, 0, 0],
        "four lost creates, none sent again"
    );
    // It is whole: deleting it leaves nothing behind.
    assert!(client
        .delete_auto_attendant(&created.id)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        client.list_cs_online_schedules().await.unwrap().len(),
        schedules_before
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_lost_schedule_create_is_not_confused_with_an_identical_older_one() {
    // A schedule with the same content as the first holiday exists already (left by someone
    // else); the lost create's own schedule is the new one, and the older one stays unused.
    let (emulator, client) = start(json!({}), 0).await;
    let design = design();
    let older = client
        .new_cs_online_schedule(&design.holidays[0].schedule, &[])
        .await
        .unwrap();
    let put = reqwest::Client::new()
        .put(format!("{}/_emulator/faults", emulator.url()))
        .json(&faults("lost_answer_percent", "/schedules", 3)["faults"])
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{}", put.status());
    let created = client.create_auto_attendant(&design).await.unwrap();
    let read = client
        .read_auto_attendant(&created.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.schedules.len(), 3);
    assert!(
        read.schedules.iter().all(|s| s.id != older.id),
        "the older schedule was not taken"
    );
    assert_eq!(client.list_cs_online_schedules().await.unwrap().len(), 4);
    assert_eq!(posts(&emulator, "/schedules").await, [201, 0, 0, 0]);
    emulator.shutdown().await;
}
