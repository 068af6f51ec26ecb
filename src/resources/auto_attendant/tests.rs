//! Unit tests of the conversions and plan-time checks: a configuration written and read back
//! is unchanged, a change behind Terraform's back is not, and each bad input is reported on its
//! attribute.

use tf_provider::value::Value;
use tf_provider::Diagnostics;

use super::model::*;
use super::validate::validate;
use crate::client::api::auto_attendants::{CallHandlingAssociation, Schedule};
use crate::client::workflows::auto_attendants::AutoAttendantRead;
use crate::framework::values::{list_of, owned};

const ANN: &str = "cccccccc-0000-0000-0000-000000000001";
const QUEUE: &str = "dddddddd-0000-0000-0000-000000000002";

fn target(kind: &str, id: Option<&str>) -> Value<TargetModel<'static>> {
    Value::Value(TargetModel {
        kind: owned(kind),
        id: id.map_or(Value::Null, owned),
    })
}

fn option(key: &str, action: &str, t: Value<TargetModel<'static>>) -> Value<OptionModel<'static>> {
    Value::Value(OptionModel {
        key: owned(key),
        action: owned(action),
        greeting: if action == "announcement" {
            owned("We are at 1 Main St.")
        } else {
            Value::Null
        },
        target: t,
    })
}

fn flow(action: &str) -> CallFlowModel<'static> {
    let mut f = CallFlowModel {
        greeting: owned("Welcome to Contoso"),
        action: owned(action),
        target: Value::Null,
        menu: Value::Null,
    };
    match action {
        "transfer" => f.target = target("external_pstn", Some("tel:+1 (206) 555-0100")),
        "menu" => {
            f.menu = Value::Value(MenuModel {
                prompt: owned("For sales press 1"),
                dial_by_name: Value::Value(true),
                options: Value::Value(vec![
                    option("Tone1", "transfer", target("resource_account", Some(QUEUE))),
                    option("Tone0", "transfer", target("operator", None)),
                    option("Tone9", "announcement", Value::Null),
                    option("TonePound", "disconnect", Value::Null),
                ]),
            })
        }
        _ => {}
    }
    f
}

fn dates(start: &str, end: &str) -> Value<DatesModel<'static>> {
    Value::Value(DatesModel {
        start: owned(start),
        end: owned(end),
    })
}

fn config() -> AutoAttendantModel<'static> {
    AutoAttendantModel {
        id: owned("eeee0000-0000-0000-0000-000000000001"),
        name: owned("Reception"),
        language_id: owned("en-US"),
        time_zone_id: owned("Pacific Standard Time"),
        voice_response_enabled: Value::Null,
        operator: target("user", Some(ANN)),
        default_call_flow: Value::Value(flow("menu")),
        after_hours_call_flow: Value::Value(flow("transfer")),
        business_hours: Value::Value(BusinessHoursModel {
            monday: list_of(["09:00-12:00".to_string(), "13:00-17:30".to_string()]),
            friday: list_of(["09:00-24:00".to_string()]),
            saturday: Value::Value(Vec::new()),
            ..Default::default()
        }),
        holidays: Value::Value(vec![
            Value::Value(HolidayModel {
                name: owned("Christmas"),
                dates: Value::Value(vec![dates("2026-12-25", "2026-12-26T00:00")]),
                call_flow: Value::Value(flow("disconnect")),
            }),
            Value::Value(HolidayModel {
                name: owned("New Year"),
                dates: Value::Value(vec![
                    dates("2026-12-31T12:30", "2027-01-01"),
                    dates("2027-01-01T08:00", "2027-01-01T12:00"),
                ]),
                call_flow: Value::Value(flow("transfer")),
            }),
        ]),
    }
}

/// What the server would hold after the workflow wrote `m`: schedules with ids, associations.
fn written(m: &AutoAttendantModel<'_>) -> AutoAttendantRead {
    let design = design_from_model(m);
    let mut aa = design.aa.clone();
    aa.id = "eeee0000-0000-0000-0000-000000000001".into();
    let mut schedules = Vec::new();
    let mut add = |s: &Schedule, flow: &str, kind: &str, priority: u32| {
        let id = format!("s{priority}");
        schedules.push(Schedule {
            id: id.clone(),
            ..s.clone()
        });
        aa.call_handling_associations.push(CallHandlingAssociation {
            r#type: kind.into(),
            schedule_id: id,
            call_flow_id: flow.into(),
            priority,
        });
    };
    for (i, h) in design.holidays.iter().enumerate() {
        add(&h.schedule, &h.call_flow_id, "Holiday", i as u32 + 1);
    }
    if let Some(a) = &design.after_hours {
        add(&a.schedule, &a.call_flow_id, "AfterHours", 9);
    }
    AutoAttendantRead { aa, schedules }
}

#[test]
fn a_configuration_written_and_read_back_is_unchanged() {
    let m = config();
    let read = written(&m);
    let back = model_from_api(&m, &read);
    assert_eq!(back, m);
    let wire = &read.aa.default_call_flow.as_ref().unwrap().menu;
    assert_eq!(wire.menu_options[1].action, "TransferCallToOperator");
    assert_eq!(
        wire.menu_options[0].call_target.as_ref().unwrap().r#type,
        "ApplicationEndpoint"
    );
    let after = &read.aa.call_flows[0].menu.menu_options[0];
    assert_eq!(
        (
            after.dtmf_response.as_str(),
            after.call_target.as_ref().unwrap().id.as_str()
        ),
        ("Automatic", "tel:+12065550100")
    );
    let hours = read
        .schedules
        .iter()
        .find(|s| s.r#type == "WeeklyRecurrence")
        .unwrap();
    let weekly = hours.weekly_recurrent_schedule.as_ref().unwrap();
    assert!(weekly.complement_enabled);
    assert_eq!(weekly.monday_hours[1].end, "17:30");
    let christmas = &read.schedules[0]
        .fixed_schedule
        .as_ref()
        .unwrap()
        .date_time_ranges[0];
    assert_eq!(christmas.start, "2026-12-25T00:00:00");
}

#[test]
fn import_reads_every_part_in_the_canonical_spelling() {
    let read = written(&config());
    let imported = model_from_api(&AutoAttendantModel::default(), &read);
    let h = items(&imported.holidays);
    assert_eq!(
        h[0].dates,
        Value::Value(vec![dates("2026-12-25", "2026-12-26")])
    );
    let after = imported.after_hours_call_flow.as_ref_option().unwrap();
    assert_eq!(
        after.target,
        target("external_pstn", Some("tel:+12065550100"))
    );
    let hours = imported.business_hours.as_ref_option().unwrap();
    assert_eq!(hours.tuesday, Value::Null);
    assert_eq!(hours.saturday, Value::Null);
    // Read again with the imported state as prior: stable.
    assert_eq!(model_from_api(&imported, &read), imported);
}

#[test]
fn changes_behind_terraforms_back_show() {
    let m = config();
    type Change = Box<dyn Fn(&mut AutoAttendantRead)>;
    let changes: Vec<(&str, Change)> = vec![
        (
            "language",
            Box::new(|r| r.aa.language_id = Some("fr-FR".into())),
        ),
        (
            "voice",
            Box::new(|r| r.aa.voice_response_enabled = Some(true)),
        ),
        ("operator", Box::new(|r| r.aa.operator = None)),
        (
            "greeting",
            Box::new(|r| r.aa.default_call_flow.as_mut().unwrap().greetings.clear()),
        ),
        (
            "key",
            Box::new(|r| {
                r.aa.default_call_flow.as_mut().unwrap().menu.menu_options[0].dtmf_response =
                    "Tone2".into()
            }),
        ),
        (
            "hours",
            Box::new(|r| {
                let s = r.schedules.iter_mut().find(|s| s.id == "s9").unwrap();
                s.weekly_recurrent_schedule
                    .as_mut()
                    .unwrap()
                    .monday_hours
                    .pop();
            }),
        ),
        (
            "holiday range",
            Box::new(|r| {
                r.schedules[0]
                    .fixed_schedule
                    .as_mut()
                    .unwrap()
                    .date_time_ranges[0]
                    .end = "2026-12-27T00:00:00".into()
            }),
        ),
        (
            "holiday gone",
            Box::new(|r| {
                r.schedules.remove(1);
            }),
        ),
        (
            "after hours gone",
            Box::new(|r| {
                r.aa.call_handling_associations
                    .retain(|a| a.r#type != "AfterHours")
            }),
        ),
    ];
    for (what, change) in changes {
        let mut read = written(&m);
        change(&mut read);
        assert_ne!(model_from_api(&m, &read), m, "{what} must show as drift");
    }
}

fn hours<'m>(m: &'m mut AutoAttendantModel<'static>) -> &'m mut BusinessHoursModel<'static> {
    m.business_hours.as_mut_option().unwrap()
}

fn holiday<'m>(m: &'m mut AutoAttendantModel<'static>, i: usize) -> &'m mut HolidayModel<'static> {
    m.holidays.as_mut_option().unwrap()[i]
        .as_mut_option()
        .unwrap()
}

fn menu<'m>(m: &'m mut AutoAttendantModel<'static>) -> &'m mut MenuModel<'static> {
    m.default_call_flow
        .as_mut_option()
        .unwrap()
        .menu
        .as_mut_option()
        .unwrap()
}

fn problems(m: &AutoAttendantModel<'_>) -> Vec<String> {
    let mut diags = Diagnostics::default();
    validate(&mut diags, m);
    diags
        .errors
        .iter()
        .map(|d| format!("{} | {}", d.summary, d.detail))
        .collect()
}

#[test]
fn good_configuration_passes_and_each_bad_input_names_its_attribute() {
    assert_eq!(problems(&config()), Vec::<String>::new());
    type Edit = Box<dyn Fn(&mut AutoAttendantModel<'static>)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("Invalid business_hours[0].monday[0] | \"09:10-12:00\": business hours start and end on 15-minute", Box::new(|m| hours(m).monday = list_of(["09:10-12:00".to_string()]))),
        ("Invalid business_hours[0].friday | the ranges", Box::new(|m| hours(m).friday = list_of(["09:00-12:00".to_string(), "11:00-13:00".to_string()]))),
        ("Invalid holidays[0].dates[0].start | \"2026-12-25T00:15\": holiday ranges start and end on 30-minute", Box::new(|m| holiday(m, 0).dates = Value::Value(vec![dates("2026-12-25T00:15", "2026-12-26")]))),
        ("Invalid holidays[1].dates[10].start | a holiday has at most 10 date ranges, not 11", Box::new(|m| holiday(m, 1).dates = Value::Value(vec![dates("2026-12-25", "2026-12-26"); 11]))),
        ("Invalid holidays[20].name | an auto attendant has at most 20 holidays, not 21", Box::new(|m| { let one = m.holidays.as_ref_option().unwrap()[0].clone(); m.holidays = Value::Value(vec![one; 21]); })),
        ("Invalid default_call_flow.menu[0].options[1].key | the key \"Tone1\" is used twice", Box::new(|m| menu(m).options.as_mut_option().unwrap()[1].as_mut_option().unwrap().key = owned("Tone1"))),
        ("Invalid default_call_flow.menu[0].options[0].key | \"1\" is not a menu key", Box::new(|m| menu(m).options.as_mut_option().unwrap()[0].as_mut_option().unwrap().key = owned("1"))),
        ("Invalid default_call_flow.menu[0].options[0].action | action = \"transfer\" needs a target block", Box::new(|m| menu(m).options.as_mut_option().unwrap()[0].as_mut_option().unwrap().target = Value::Null)),
        ("Invalid after_hours_call_flow[0].target[0].id | \"+12065550100\" is not an external number; write it as tel:+E.164", Box::new(|m| m.after_hours_call_flow.as_mut_option().unwrap().target = target("external_pstn", Some("+12065550100")))),
        ("Invalid default_call_flow.menu[0].options[1].target[0].type | a transfer to the operator needs the auto attendant's operator block", Box::new(|m| m.operator = Value::Null)),
        ("Invalid after_hours_call_flow[0] | after_hours_call_flow needs business_hours", Box::new(|m| m.business_hours = Value::Null)),
        ("Invalid operator[0].id | \"ann\" is not an object id", Box::new(|m| m.operator = target("user", Some("ann")))),
        ("Invalid holidays[0].call_flow.action | \"hangup\" is not allowed", Box::new(|m| holiday(m, 0).call_flow.as_mut_option().unwrap().action = owned("hangup"))),
    ];
    for (expected, edit) in cases {
        let mut m = config();
        edit(&mut m);
        let found = problems(&m);
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "expected {expected:?}, got {found:?}"
        );
    }
}

#[test]
fn unknown_values_wait_for_apply() {
    let mut m = config();
    m.operator = target("user", None);
    if let Value::Value(op) = &mut m.operator {
        op.id = Value::Unknown;
    }
    m.holidays = Value::Unknown;
    assert_eq!(problems(&m), Vec::<String>::new());
}
