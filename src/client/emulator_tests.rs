//! The provider's API client against the emulator over real HTTP, for resource accounts, numbers,
//! emergency call routing policies and call queues:
//! both sides of contract sections 2, 3, 5b and 5c written independently, checked against each other
//! (paging, `Location` headers, operation states, consistency delays, error shapes).

use std::time::{Duration, Instant};

use serde_json::json;
use url::Url;

use crate::client::api::number_operations::OperationStatus;
use crate::client::api::numbers::{eq_clause, AssignNumber};
use crate::client::api::resource_accounts::{NewApplicationInstance, UserChanges};
use crate::client::api::voice_apps::{AssociationProblem, ConfigurationType, NewAssociation};
use crate::client::http::retry::RetryPolicy;
use crate::client::{Client, ClientConfig, Credential, Environment, Secret};
use teamsphone_contract::{AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};
use teamsphone_emulator::{Emulator, EmulatorConfig, EmulatorHandle, Seed};

const TENANT: &str = "11111111-2222-3333-4444-555555555555";
const APP: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SECRET: &str = "voice-secret";
const SKU: &str = "440eaaa8-b3e0-484b-a8be-62870b9ba70a";
const AA: &str = "a7a00000-0000-4e00-9000-000000000001";
const CQ: &str = "c0a00000-0000-4e00-9000-000000000001";

pub(super) async fn start(settings: serde_json::Value, numbers: usize) -> (EmulatorHandle, Client) {
    let phone_numbers: Vec<_> = (0..numbers)
        .map(|i| {
            json!({"telephoneNumber": format!("+1206555{:04}", 1000 + i),
                        "numberType": "directRouting", "isoCountryCode": "US"})
        })
        .collect();
    let seed = json!({
        "settings": settings,
        "tenants": [{
            "tenant_id": TENANT, "domain": "contoso.onmicrosoft.com",
            "apps": [{"client_id": APP, "client_secret": SECRET, "teams_administrator": true}],
            "phone_numbers": phone_numbers,
            "voice_apps": {
                "auto_attendants": [{"Id": AA, "Name": "Main menu"}],
                "call_queues": [{"Identity": CQ, "Name": "Front desk"}]
            },
        }]
    });
    let seed = Seed::from_json(&seed.to_string()).unwrap();
    let emulator = Emulator::start(EmulatorConfig::new("127.0.0.1:0".parse().unwrap(), seed))
        .await
        .unwrap();
    let url = Url::parse(&emulator.url()).unwrap();
    let client = Client::new(ClientConfig {
        tenant_id: TENANT.into(),
        client_id: APP.into(),
        credential: Credential::ClientSecret(Secret::new(SECRET)),
        environment: Environment::Global,
        login_endpoint: url.clone(),
        graph_endpoint: url.clone(),
        teams_endpoint: url,
        retry: RetryPolicy::default(),
        request_timeout: Duration::from_secs(10),
        max_concurrent_requests: 4,
        policy_assignment_route: Default::default(),
        wire_log: None,
    })
    .unwrap();
    (emulator, client)
}

#[tokio::test]
async fn number_reads_follow_next_links_across_pages() {
    let (emulator, client) = start(json!({"graph_page_size": 7}), 40).await;
    let all = client
        .list_cs_phone_number_assignments(&eq_clause("numberType", "directRouting"))
        .await
        .unwrap();
    assert_eq!(all.len(), 40);
    let mut seen: Vec<&str> = all.iter().map(|n| n.telephone_number.as_str()).collect();
    seen.dedup();
    assert_eq!(seen.len(), 40, "no page read twice");
    // Errors come back in Graph's shape, naming the problem, with the request id.
    let e = client
        .list_cs_phone_number_assignments("city eq 'Seattle'")
        .await
        .unwrap_err();
    let crate::client::ApiError::Response(r) = &e else {
        panic!("unexpected {e:?}");
    };
    assert_eq!((r.status, r.code.as_deref()), (400, Some("BadRequest")));
    assert!(
        r.message.contains("'city' cannot be filtered"),
        "{}",
        r.message
    );
    assert!(r.request_id.is_some());
    let e = client
        .get_cs_phone_number_operation("nope")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let one = client
        .get_cs_phone_number_assignment("+12065551039")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one.assignment_status.as_deref(), Some("unassigned"));
    assert_eq!(
        client
            .get_cs_phone_number_assignment("+19995550000")
            .await
            .unwrap(),
        None
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn account_then_number_through_operations() {
    let (emulator, client) = start(
        json!({"new_account_visibility_ms": 400, "operation_step_ms": 100}),
        2,
    )
    .await;
    let created = client
        .new_cs_online_application_instance(&NewApplicationInstance {
            user_principal_name: "cq@contoso.onmicrosoft.com".into(),
            display_name: "CQ".into(),
            application_id: CALL_QUEUE_APP_ID.into(),
        })
        .await
        .unwrap()
        .expect("the emulator's create names the object id");
    let id = created.object_id.clone();
    // Not visible at first, then visible; the application id comes back as sent.
    assert_eq!(client.get_mg_user(&id).await.unwrap(), None);
    let (found, tries) =
        crate::client::waits::wait_until_found(Instant::now() + Duration::from_secs(5), || {
            client.get_mg_user(&id)
        })
        .await
        .unwrap();
    assert!(found.is_some() && tries > 1, "tries {tries}");
    let instance = client
        .get_cs_online_application_instance(&id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(instance.application_id.as_deref(), Some(CALL_QUEUE_APP_ID));
    assert_eq!(
        client
            .list_cs_online_application_instances()
            .await
            .unwrap()
            .len(),
        1
    );

    // A license needs a usage location: the order matters and the error says so.
    let e = client
        .set_mg_user_license(&id, &[SKU.into()], &[])
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(e.to_string().contains("usage location"), "{e}");
    client
        .update_mg_user(
            &id,
            &UserChanges {
                usage_location: Some(Some("US".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let user = client
        .set_mg_user_license(&id, &[SKU.into()], &[])
        .await
        .unwrap();
    assert_eq!(user.assigned_licenses[0].sku_id, SKU);

    let op = client
        .set_cs_phone_number_assignment(&AssignNumber {
            telephone_number: "+12065551000".into(),
            assignment_target_id: id.clone(),
            number_type: "directRouting".into(),
            assignment_category: "primary".into(),
            location_id: None,
        })
        .await
        .unwrap();
    let (first, _) = client.get_cs_phone_number_operation(&op).await.unwrap();
    assert_eq!(first.status(), OperationStatus::NotStarted);
    let done = client
        .wait_for_number_operation(&op, Instant::now() + Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(done.status(), OperationStatus::Succeeded);
    let n = client
        .get_cs_phone_number_assignment("+12065551000")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n.assignment_target_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        n.assignment_status.as_deref(),
        Some("voiceApplicationAssigned")
    );

    // A second assignment of the same number fails in the operation, with Teams' words.
    let other = client
        .new_cs_online_application_instance(&NewApplicationInstance {
            user_principal_name: "aa@contoso.onmicrosoft.com".into(),
            display_name: "AA".into(),
            application_id: AUTO_ATTENDANT_APP_ID.into(),
        })
        .await
        .unwrap()
        .expect("the emulator's create names the object id");
    tokio::time::sleep(Duration::from_millis(450)).await;
    let op = client
        .set_cs_phone_number_assignment(&AssignNumber {
            telephone_number: "+12065551000".into(),
            assignment_target_id: other.object_id.clone(),
            number_type: "directRouting".into(),
            assignment_category: "primary".into(),
            location_id: None,
        })
        .await
        .unwrap();
    let failed = client
        .wait_for_number_operation(&op, Instant::now() + Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(failed.status(), OperationStatus::Failed);
    assert!(
        failed
            .detail()
            .contains("already been assigned to another user"),
        "{}",
        failed.detail()
    );

    // A slow operation times out with its last status.
    let op = client
        .remove_cs_phone_number_assignment("+12065551000", "directRouting")
        .await
        .unwrap();
    let e = client
        .wait_for_number_operation(&op, Instant::now() + Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("still notStarted"), "{e}");
    client.remove_mg_user(&id).await.unwrap();
    client.remove_mg_user(&id).await.unwrap(); // already gone is fine
    emulator.shutdown().await;
}

#[tokio::test]
async fn emergency_call_routing_policies_round_trip_through_the_emulator() {
    use crate::client::api::emergency_call_routing_policy::{
        EmergencyCallRoutingPolicy, EmergencyCallRoutingPolicyChanges, EmergencyNumber,
    };
    let (emulator, client) = start(json!({}), 0).await;
    let number = |dial: &str, mask: Option<&str>| EmergencyNumber {
        emergency_dial_string: dial.into(),
        emergency_dial_mask: mask.map(str::to_string),
        online_pstn_usage: None,
    };
    let policy = EmergencyCallRoutingPolicy {
        identity: "Tag:Seattle-E911".into(),
        description: Some("Seattle".into()),
        allow_enhanced_emergency_services: Some(false),
        emergency_numbers: vec![number("911", Some("933;112"))],
    };
    // Sent with the bare name, stored and answered as Tag:<name>.
    let created = client
        .new_cs_teams_emergency_call_routing_policy(&policy)
        .await
        .unwrap();
    assert_eq!(created, policy);
    let e = client
        .new_cs_teams_emergency_call_routing_policy(&policy)
        .await
        .unwrap_err();
    assert!(e.is_conflict(), "{e}");

    let changes = EmergencyCallRoutingPolicyChanges {
        allow_enhanced_emergency_services: Some(true),
        emergency_numbers: Some(vec![number("112", None)]),
        ..Default::default()
    };
    client
        .set_cs_teams_emergency_call_routing_policy("Tag:Seattle-E911", &changes)
        .await
        .unwrap();
    let read = client
        .get_cs_teams_emergency_call_routing_policy("tag:seattle-e911")
        .await
        .unwrap()
        .expect("found case-insensitively");
    assert_eq!(read.allow_enhanced_emergency_services, Some(true));
    assert_eq!(read.emergency_numbers, [number("112", None)]);
    assert_eq!(read.description.as_deref(), Some("Seattle"));

    // A PSTN usage the tenant lacks is the service's 400, naming it.
    let unknown_usage = EmergencyCallRoutingPolicyChanges {
        emergency_numbers: Some(vec![EmergencyNumber {
            online_pstn_usage: Some("Nowhere".into()),
            ..number("911", None)
        }]),
        ..Default::default()
    };
    let e = client
        .set_cs_teams_emergency_call_routing_policy("Tag:Seattle-E911", &unknown_usage)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("'Nowhere'"), "{e}");

    let all = client
        .list_cs_teams_emergency_call_routing_policies()
        .await
        .unwrap();
    let names: Vec<&str> = all.iter().map(|p| p.identity.as_str()).collect();
    assert_eq!(names, ["Global", "Tag:Seattle-E911"]);

    client
        .remove_cs_teams_emergency_call_routing_policy("Tag:Seattle-E911")
        .await
        .unwrap();
    // Gone is not an error, for a delete, and reads as None.
    client
        .remove_cs_teams_emergency_call_routing_policy("Tag:Seattle-E911")
        .await
        .unwrap();
    assert_eq!(
        client
            .get_cs_teams_emergency_call_routing_policy("Tag:Seattle-E911")
            .await
            .unwrap(),
        None
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_new_account_is_associated_once_it_is_visible_and_only_once() {
    let (emulator, client) = start(json!({"new_account_visibility_ms": 400}), 0).await;
    let id = client
        .new_cs_online_application_instance(&NewApplicationInstance {
            user_principal_name: "cq@contoso.onmicrosoft.com".into(),
            display_name: "CQ".into(),
            application_id: CALL_QUEUE_APP_ID.into(),
        })
        .await
        .unwrap()
        .expect("the emulator's create names the object id")
        .object_id;
    let new = NewAssociation {
        endpoints_ids: vec![id.clone()],
        configuration_id: CQ.into(),
        configuration_type: ConfigurationType::CallQueue,
        call_priority: 2,
    };
    // At once the endpoint is not found; the workflow waits until it is, then succeeds.
    let first = client
        .new_cs_online_application_instance_association(&new)
        .await
        .unwrap();
    assert_eq!(first.problem(), Some(AssociationProblem::EndpointNotFound));
    let done = client
        .associate_application_instance(&new, Instant::now() + Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(done.problem(), None, "{done:?}");
    let read = client
        .get_cs_online_application_instance_association(&id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            read.configuration_type.as_str(),
            read.configuration_id.as_str()
        ),
        ("CallQueue", CQ)
    );
    let queues = client.list_cs_call_queues().await.unwrap();
    assert_eq!(queues[0].application_instances, vec![id.clone()]);
    assert_eq!(client.list_cs_auto_attendants().await.unwrap()[0].id, AA);
    assert_eq!(client.get_cs_auto_attendant(CQ).await.unwrap(), None);
    assert_eq!(
        client.get_cs_call_queue(CQ).await.unwrap().unwrap().name,
        "Front desk"
    );
    let again = client
        .new_cs_online_application_instance_association(&new)
        .await
        .unwrap();
    assert_eq!(again.problem(), Some(AssociationProblem::AlreadyAssociated));
    let status = client
        .get_cs_online_application_instance_association_status(&id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.problem(), None);
    let removed = client
        .remove_cs_online_application_instance_association(&id)
        .await
        .unwrap();
    assert_eq!(removed.and_then(|r| r.problem()), None);
    assert!(client
        .remove_cs_online_application_instance_association(&id)
        .await
        .unwrap()
        .is_none());
    assert!(client
        .get_cs_online_application_instance_association(&id)
        .await
        .unwrap()
        .is_none());
    emulator.shutdown().await;
}

/// The call queue settings the round trip writes, with `name`.
pub(super) fn queue_settings(name: &str) -> crate::client::api::call_queues::CallQueueSettings {
    use crate::domain::call_queues::{CallAction, RoutingMethod};
    crate::client::api::call_queues::CallQueueSettings {
        name: name.into(),
        language_id: Some("en-US".into()),
        routing_method: RoutingMethod::Serial,
        users: vec![],
        distribution_lists: vec![],
        allow_opt_out: false,
        conference_mode: true,
        presence_aware_routing: true,
        agent_alert_time: 45,
        overflow_threshold: 10,
        overflow_action: CallAction::Forward,
        overflow_action_target: Some("tel:+12065550100".into()),
        timeout_threshold: 600,
        timeout_action: CallAction::Disconnect,
        timeout_action_target: None,
        music_on_hold_audio_file_id: Some("a0d10f11-0000-4000-8000-000000000001".into()),
        obo_resource_account_ids: vec![],
    }
}

/// `New-`, `Get-`, `Set-` and `Remove-CsCallQueue` against the emulator's own model of them, in
/// the canonical shapes and with every Teams answer-shape knob on (a create that answers no body
/// is read back from the list by name; camelCase and one-element arrays decode alike).
#[tokio::test]
async fn call_queues_round_trip_in_every_answer_shape() {
    use crate::client::api::call_queues::{
        decode_overflow_action, decode_routing_method, decode_timeout_action,
    };
    use crate::domain::call_queues::{CallAction, RoutingMethod};
    for shapes in [
        json!({}),
        json!({"teams_empty_writes": true, "teams_camel_case": true, "teams_entity_arrays": true}),
    ] {
        let (emulator, client) = start(json!({"answer_shapes": shapes}), 0).await;
        let created = client
            .new_cs_call_queue(&queue_settings("Callbacks"), &[])
            .await
            .unwrap_or_else(|e| panic!("{shapes}: {e}"));
        assert!(
            crate::domain::text::is_guid(&created.identity),
            "{created:?}"
        );
        let read = client
            .get_cs_call_queue(&created.identity)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.name, "Callbacks");
        let routing = read
            .routing_method
            .as_deref()
            .and_then(decode_routing_method);
        assert_eq!(routing, Some(RoutingMethod::Serial));
        let overflow = read
            .overflow_action
            .as_deref()
            .and_then(decode_overflow_action);
        assert_eq!(overflow, Some(CallAction::Forward));
        let timeout = read
            .timeout_action
            .as_deref()
            .and_then(decode_timeout_action);
        assert_eq!(timeout, Some(CallAction::Disconnect));
        assert_eq!(
            read.overflow_action_target.as_deref(),
            Some("tel:+12065550100")
        );
        assert_eq!(
            (read.use_default_music_on_hold, read.agent_alert_time),
            (Some(false), Some(45))
        );

        let mut changed = queue_settings("Callbacks");
        changed.timeout_action = CallAction::Forward;
        changed.timeout_action_target = None;
        let refused = client
            .set_cs_call_queue(&created.identity, &changed)
            .await
            .unwrap_err();
        assert_eq!(refused.status(), Some(400), "{refused}");
        assert!(
            refused.to_string().contains("TimeoutActionTarget"),
            "{refused}"
        );
        changed.timeout_action_target = Some("tel:+12065550101".into());
        client
            .set_cs_call_queue(&created.identity, &changed)
            .await
            .unwrap();
        let read = client
            .get_cs_call_queue(&created.identity)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            read.timeout_action_target.as_deref(),
            Some("tel:+12065550101")
        );
        assert_eq!(client.list_cs_call_queues().await.unwrap().len(), 2);
        client
            .remove_cs_call_queue(&created.identity)
            .await
            .unwrap();
        client
            .remove_cs_call_queue(&created.identity)
            .await
            .unwrap();
        assert!(client
            .get_cs_call_queue(&created.identity)
            .await
            .unwrap()
            .is_none());
        emulator.shutdown().await;
    }
}
