use serde_json::{json, Value};

use super::*;
use crate::state::Tenant;
use teamsphone_contract::{AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};

const AA: &str = "aaaa0000-0000-0000-0000-000000000001";
const CQ: &str = "cccc0000-0000-0000-0000-000000000001";
const AA_ACCOUNT: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";
const CQ_ACCOUNT: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a12";

fn tenant() -> Tenant {
    let mut t: Tenant = serde_json::from_value(json!({
        "tenant_id": "11111111-2222-3333-4444-555555555555",
        "domain": "contoso.onmicrosoft.com",
        "users": [
            {"id": AA_ACCOUNT, "userPrincipalName": "aa@contoso.com", "displayName": "AA",
             "accountType": "resourceAccount", "applicationId": AUTO_ATTENDANT_APP_ID},
            {"id": CQ_ACCOUNT, "userPrincipalName": "cq@contoso.com", "displayName": "CQ",
             "accountType": "resourceAccount", "applicationId": CALL_QUEUE_APP_ID},
            {"id": "cccccccc-0000-0000-0000-000000000001", "userPrincipalName": "ann@contoso.com",
             "displayName": "Ann"}
        ],
        "voice_apps": {
            "auto_attendants": [{"Id": AA.to_uppercase(), "Name": "Main menu"}],
            "call_queues": [{"Identity": CQ, "Name": "Front desk"}]
        }
    }))
    .unwrap();
    normalize(&mut t).unwrap();
    t
}

fn post(t: &mut Tenant, body: Value) -> Result<Value, VoiceAppError> {
    associate(t, body.to_string().as_bytes(), 0, 0)
}

fn code(result: &Value) -> &str {
    result["ErrorCode"].as_str().unwrap_or("")
}

#[test]
fn each_endpoint_gets_its_own_result() {
    let mut t = tenant();
    assert_eq!(
        t.voice_apps.auto_attendants[0].id, AA,
        "ids are lower-cased"
    );
    let answer = post(
        &mut t,
        json!({"EndpointsIds": [AA_ACCOUNT, CQ_ACCOUNT, "cccccccc-0000-0000-0000-000000000001",
               "dddddddd-0000-0000-0000-000000000009"],
               "ConfigurationId": AA, "ConfigurationType": "AutoAttendant", "CallPriority": 2}),
    )
    .unwrap();
    let r = answer.as_array().unwrap();
    assert_eq!(r[0]["Status"], 3);
    assert!(
        code(&r[1]).ends_with("_AppEndpointTypeMismatch"),
        "{}",
        r[1]
    );
    assert!(
        code(&r[2]).ends_with("_AppEndpointNotFound"),
        "a person is no endpoint"
    );
    assert!(code(&r[3]).ends_with("_AppEndpointNotFound"));
    assert_eq!(t.voice_apps.associations.len(), 1);
    assert_eq!(t.voice_apps.associations[0].call_priority, 2);
    let aa = t.voice_apps.auto_attendant(AA).unwrap().clone();
    assert_eq!(
        t.voice_apps.auto_attendant_json(&aa)["ApplicationInstances"],
        json!([AA_ACCOUNT])
    );

    // One configuration per account: a second association names the first.
    let again = post(
        &mut t,
        json!({"EndpointsIds": [AA_ACCOUNT], "ConfigurationId": AA, "ConfigurationType": "AutoAttendant"}),
    )
    .unwrap();
    assert!(code(&again[0]).ends_with("_AppEndpointAlreadyAssociated"));
    assert!(again[0]["Message"].as_str().unwrap().contains(AA));

    assert_eq!(
        association_json(&t, &AA_ACCOUNT.to_uppercase()).unwrap()["ConfigurationId"],
        AA
    );
    assert_eq!(status_json(&t, AA_ACCOUNT).unwrap()["Status"], 3);
    assert_eq!(disassociate(&mut t, AA_ACCOUNT).unwrap()[0]["Status"], 3);
    assert!(association_json(&t, AA_ACCOUNT).is_none());
    assert!(disassociate(&mut t, AA_ACCOUNT).is_none());
}

#[test]
fn malformed_requests_are_refused_whole() {
    let mut t = tenant();
    let base = json!({"EndpointsIds": [CQ_ACCOUNT], "ConfigurationId": CQ, "ConfigurationType": "CallQueue"});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (body, expect) in [
        (with("CallPriority", json!(6)), "CallPriority"),
        (with("CallPriority", json!(0)), "CallPriority"),
        (with("CallPriority", json!("3")), "CallPriority"),
        (with("EndpointsId", json!([CQ_ACCOUNT])), "Unknown property"),
        (with("EndpointsIds", json!([])), "1 to"),
        (with("EndpointsIds", json!(["x"])), "not valid"),
        (
            with("ConfigurationType", json!("Queue")),
            "ConfigurationType",
        ),
    ] {
        match post(&mut t, body.clone()) {
            Err(VoiceAppError::Invalid(m)) => assert!(m.contains(expect), "{body}: {m}"),
            other => panic!("{body}: {other:?}"),
        }
    }
    assert!(matches!(
        post(&mut t, with("ConfigurationId", json!(AA)).clone()),
        Err(VoiceAppError::NotFound(m)) if m.contains("call queue")
    ));
    assert!(associate(&mut t, b"not json", 0, 0).is_err());
    assert!(t.voice_apps.associations.is_empty(), "nothing written");
    assert_eq!(post(&mut t, base).unwrap()[0]["Status"], 3);
    assert_eq!(t.voice_apps.associations[0].call_priority, 3, "default");
}

#[test]
fn new_accounts_are_not_found_until_visible() {
    let mut t = tenant();
    t.account_created_at_ms.insert(AA_ACCOUNT.into(), 1000);
    let body = json!({"EndpointsIds": [AA_ACCOUNT], "ConfigurationId": AA, "ConfigurationType": "AutoAttendant"});
    let early = associate(&mut t, body.to_string().as_bytes(), 1100, 300).unwrap();
    assert!(code(&early[0]).ends_with("_AppEndpointNotFound"));
    let later = associate(&mut t, body.to_string().as_bytes(), 1300, 300).unwrap();
    assert_eq!(later[0]["Status"], 3);
}

#[test]
fn seeds_are_checked() {
    let mut t = tenant();
    t.voice_apps.associations.push(Association {
        endpoint_id: CQ_ACCOUNT.into(),
        configuration_id: AA.into(),
        configuration_type: "CallQueue".into(),
        call_priority: 3,
    });
    assert!(normalize(&mut t)
        .unwrap_err()
        .contains("is a AutoAttendant"));
    t.voice_apps.associations[0].configuration_type = "AutoAttendant".into();
    t.voice_apps.associations[0].call_priority = 9;
    assert!(normalize(&mut t).unwrap_err().contains("call_priority"));
    t.voice_apps.associations[0].call_priority = 1;
    normalize(&mut t).unwrap();
    let dup: CallQueue = serde_json::from_value(json!({"Identity": AA, "Name": "Dup"})).unwrap();
    t.voice_apps.call_queues.push(dup);
    assert!(normalize(&mut t).unwrap_err().contains("twice"));
}

mod auto_attendants_rules {
    use super::*;
    use crate::voice_apps::auto_attendants as aa;
    use crate::voice_apps::VoiceAppError;

    const ANN: &str = "cccccccc-0000-0000-0000-000000000001";

    fn body(extra: Value) -> Vec<u8> {
        let mut base = json!({
            "Name": "Reception", "LanguageId": "en-US", "TimeZoneId": "Pacific Standard Time",
            "DefaultCallFlow": {"Name": "Default", "Greetings": [],
                "Menu": {"Name": "Default menu", "MenuOptions": [
                    {"Action": "TransferCallToTarget", "DtmfResponse": "Automatic",
                     "CallTarget": {"Id": ANN, "Type": "User"}}]}}
        });
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        base.to_string().into_bytes()
    }

    fn holiday_schedule(t: &mut Tenant) -> String {
        let s = json!({"Name": "Christmas", "Type": "Fixed", "FixedSchedule": {"DateTimeRanges": [
            {"Start": "2026-12-25T00:00:00", "End": "2026-12-26T00:00:00"}]}});
        aa::create_schedule(
            t,
            s.to_string().as_bytes(),
            "dddd0000-0000-0000-0000-000000000001".into(),
        )
        .unwrap()
        .id
    }

    fn create(t: &mut Tenant, extra: Value) -> Result<aa::AutoAttendant, VoiceAppError> {
        let parsed = aa::parse(&body(extra))?;
        aa::create(t, parsed, "eeee0000-0000-0000-0000-000000000001".into())
    }

    fn refused(result: Result<aa::AutoAttendant, VoiceAppError>) -> String {
        match result {
            Err(VoiceAppError::Invalid(m)) => m,
            other => panic!("expected a 400, got {other:?}"),
        }
    }

    #[test]
    fn a_whole_auto_attendant_with_a_holiday_is_stored_and_its_schedule_is_pinned() {
        let mut t = tenant();
        let schedule = holiday_schedule(&mut t);
        let flow = json!({"Id": "f1", "Name": "Christmas", "Greetings": [
                {"ActiveType": "TextToSpeech", "TextToSpeechPrompt": "Closed"}],
            "Menu": {"Name": "m", "MenuOptions": [{"Action": "DisconnectCall", "DtmfResponse": "Automatic"}]}});
        let created = create(
            &mut t,
            json!({"CallFlows": [flow], "CallHandlingAssociations": [
                {"Type": "Holiday", "ScheduleId": schedule, "CallFlowId": "f1", "Priority": 1}],
                "ApplicationInstances": []}),
        )
        .unwrap();
        assert_eq!(
            t.voice_apps
                .auto_attendant(&created.id)
                .unwrap()
                .call_flows
                .len(),
            1
        );
        let in_use = aa::delete_schedule(&mut t, &schedule).unwrap_err();
        assert!(
            matches!(&in_use, VoiceAppError::Invalid(m) if m.contains("in use")),
            "{in_use:?}"
        );
        aa::delete(&mut t, &created.id).unwrap();
        aa::delete_schedule(&mut t, &schedule).unwrap();
        assert!(t.voice_apps.schedules.is_empty());
    }

    #[test]
    fn what_the_service_refuses_is_refused() {
        let mut t = tenant();
        let m = refused(create(
            &mut t,
            json!({"CallFlows": [], "CallHandlingAssociations": [
                {"Type": "Holiday", "ScheduleId": "nope", "CallFlowId": "f1", "Priority": 1}]}),
        ));
        assert!(m.contains("does not exist"), "{m}");
        let unknown_user = json!({"DefaultCallFlow": {"Name": "d", "Menu": {"Name": "m", "MenuOptions": [
            {"Action": "TransferCallToTarget", "DtmfResponse": "Automatic",
             "CallTarget": {"Id": "dddddddd-0000-0000-0000-000000000009", "Type": "User"}}]}}});
        assert!(refused(create(&mut t, unknown_user)).contains("not a user"));
        let twice = json!({"DefaultCallFlow": {"Name": "d", "Menu": {"Name": "m", "MenuOptions": [
            {"Action": "DisconnectCall", "DtmfResponse": "Tone1"},
            {"Action": "DisconnectCall", "DtmfResponse": "Tone1"}]}}});
        assert!(refused(create(&mut t, twice)).contains("used twice"));
        let operator = json!({"DefaultCallFlow": {"Name": "d", "Menu": {"Name": "m", "MenuOptions": [
            {"Action": "TransferCallToOperator", "DtmfResponse": "Tone0"}]}}});
        assert!(refused(create(&mut t, operator)).contains("Operator"));
        let misspelt = json!({"DefaultCallFlows": {}});
        assert!(refused(create(&mut t, misspelt)).contains("unknown field"));
        let weekly = json!({"Name": "Hours", "Type": "WeeklyRecurrence", "WeeklyRecurrentSchedule": {
            "MondayHours": [{"Start": "09:10", "End": "17:00"}]}});
        let e = aa::create_schedule(&mut t, weekly.to_string().as_bytes(), "x".into()).unwrap_err();
        assert!(
            matches!(&e, VoiceAppError::Invalid(m) if m.contains("15-minute")),
            "{e:?}"
        );
        assert!(
            t.voice_apps.auto_attendants.len() == 1,
            "only the seeded one is left"
        );
    }
}
