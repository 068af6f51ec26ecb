//! Rendering tests: what `export` writes for a known slice, byte for byte where it matters.

use super::*;
use crate::client::api::resource_accounts::ApplicationInstance;
use crate::client::api::resource_accounts::{AssignedLicense, GraphUser};
use crate::client::api::shared_calling_policy::SharedCallingPolicy;
use teamsphone_contract::{AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};

fn account(id: &str, upn: &str, app: &str, numbers: &[&str]) -> Account {
    Account {
        user: GraphUser {
            id: id.into(),
            user_principal_name: upn.into(),
            display_name: Some(format!("{upn} line")),
            usage_location: Some("US".into()),
            assigned_licenses: vec![AssignedLicense {
                sku_id: "440eaaa8-b3e0-484b-a8be-62870b9ba70a".into(),
            }],
            ..Default::default()
        },
        instance: ApplicationInstance {
            object_id: id.into(),
            application_id: Some(app.into()),
            ..Default::default()
        },
        numbers: numbers
            .iter()
            .map(|n| NumberAssignment {
                telephone_number: n.to_string(),
                number_type: Some("directRouting".into()),
                assignment_category: Some("primary".into()),
                location_id: Some("loc".into()),
                ..Default::default()
            })
            .collect(),
        association: None,
    }
}

fn policy(name: &str, account: &str, emergency: &[&str]) -> SharedCallingPolicy {
    SharedCallingPolicy {
        identity: format!("Tag:{name}"),
        description: Some(format!("{name} \"HQ\" ${{x}}")),
        resource_account: Some(account.into()),
        emergency_numbers: emergency.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn strings_and_names_are_safe() {
    assert_eq!(
        quote("a\"b\\c\n${x} %{y} $z"),
        r#""a\"b\\c\n$${x} %%{y} $z""#
    );
    assert_eq!(identifier("aa-Seattle.Main", "x"), "aa_seattle_main");
    assert_eq!(identifier("--", "policy"), "policy");
    assert_eq!(identifier("1st floor", "policy"), "policy_1st_floor");
    assert_eq!(shell_quote("it's"), r#"'it'\''s'"#);
    let mut names = Names::default();
    assert_eq!(names.claim(POLICY, "a".into()), "a");
    assert_eq!(names.claim(POLICY, "a".into()), "a_2");
    assert_eq!(names.claim(ACCOUNT, "a".into()), "a");
}

#[test]
fn policies_reference_their_accounts_and_numbers_their_holders() {
    let slice = Slice {
        policies: vec![
            policy(
                "Seattle",
                "AAAA0000-0000-0000-0000-000000000001",
                &["+12065550150"],
            ),
            policy("Seattle!", "bbbb0000-0000-0000-0000-000000000002", &[]),
            policy("Gone", "cccc0000-0000-0000-0000-000000000003", &[]),
        ],
        accounts: BTreeMap::from([
            (
                "aaaa0000-0000-0000-0000-000000000001".to_string(),
                account(
                    "aaaa0000-0000-0000-0000-000000000001",
                    "aa-seattle@contoso.com",
                    AUTO_ATTENDANT_APP_ID,
                    &["+12065550101"],
                ),
            ),
            (
                "bbbb0000-0000-0000-0000-000000000002".to_string(),
                account(
                    "bbbb0000-0000-0000-0000-000000000002",
                    "cq@contoso.com",
                    CALL_QUEUE_APP_ID,
                    &["+12065550103", "+12065550102"],
                ),
            ),
        ]),
        ..Default::default()
    };
    let files = render(&slice, "t");
    let main = &files.files["main.tf"];
    assert!(
        main.contains("resource \"teamsphone_resource_account\" \"aa_seattle\" {"),
        "{main}"
    );
    assert!(
        main.contains("  resource_account_id = teamsphone_resource_account.aa_seattle.id\n"),
        "{main}"
    );
    assert!(
        main.contains("  target_id        = teamsphone_resource_account.cq.id\n"),
        "{main}"
    );
    assert!(
        main.contains("\"teamsphone_phone_number_assignment\" \"cq_12065550102\""),
        "{main}"
    );
    assert!(
        main.contains("\"teamsphone_phone_number_assignment\" \"aa_seattle\""),
        "{main}"
    );
    assert!(
        main.contains("\"teamsphone_shared_calling_policy\" \"seattle_2\""),
        "{main}"
    );
    // An account that could not be read stays a literal id.
    assert!(
        main.contains("resource_account_id = \"cccc0000-0000-0000-0000-000000000003\""),
        "{main}"
    );
    assert!(
        main.contains(r#"description         = "Seattle \"HQ\" $${x}""#),
        "{main}"
    );
    assert!(
        main.contains("emergency_numbers   = [\"+12065550150\"]"),
        "{main}"
    );
    let imports = &files.files["imports.tf"];
    assert!(
        imports.contains(
            "import {\n  to = teamsphone_shared_calling_policy.seattle\n  id = \"Seattle\"\n}"
        ),
        "{imports}"
    );
    let script = &files.files["import.sh"];
    assert!(script.contains("\"$TERRAFORM\" import 'teamsphone_phone_number_assignment.aa_seattle' '+12065550101'\n"), "{script}");
    assert_eq!(script.matches("\" import '").count(), 8, "{script}");
    assert_eq!(
        files.summary,
        [
            "3 shared calling policies",
            "2 resource accounts",
            "3 phone number assignments",
            "0 policy assignment sets",
            "0 group policy assignments",
            "0 emergency call routing policies",
            "0 resource account associations",
            "0 auto attendants",
            "0 call queues"
        ]
    );
    // Deterministic: the same slice renders the same bytes.
    assert_eq!(render(&slice, "t"), files);
}

#[test]
fn what_the_provider_cannot_manage_is_left_out_with_a_warning() {
    let mut odd = account(
        "dddd",
        "odd@contoso.com",
        "00000000-0000-0000-0000-000000000000",
        &[],
    );
    odd.user
        .assigned_licenses
        .push(AssignedLicense { sku_id: "x".into() });
    let slice = Slice {
        policies: vec![SharedCallingPolicy {
            identity: "Tag:Empty".into(),
            ..Default::default()
        }],
        accounts: BTreeMap::from([("dddd".to_string(), odd)]),
        ..Default::default()
    };
    let files = render(&slice, "t");
    assert_eq!(files.warnings.len(), 2, "{:?}", files.warnings);
    assert!(!files.files["main.tf"].contains("resource \""));
    assert_eq!(files.summary[0], "0 shared calling policies");
}

fn group(id: &str, policy: &str, rank: u32) -> GroupPolicyAssignment {
    GroupPolicyAssignment {
        group_id: id.into(),
        policy_type: SHARED_CALLING_POLICY_TYPE.into(),
        policy_name: policy.into(),
        rank,
    }
}

#[test]
fn grants_are_one_set_per_policy_and_one_block_per_group() {
    let seattle = "aaaa0000-0000-0000-0000-000000000001";
    let slice = Slice {
        policies: vec![
            policy("London", seattle, &[]),
            policy("Seattle", seattle, &[]),
            // Left out (no account), and its grants with it.
            SharedCallingPolicy {
                identity: "Tag:Orphan".into(),
                ..Default::default()
            },
        ],
        direct_grants: BTreeMap::from([
            (
                "seattle".to_string(),
                vec![
                    "zoe@contoso.com".to_string(),
                    "Ann@contoso.com".to_string(),
                    "bob@contoso.com".to_string(),
                ],
            ),
            ("london".to_string(), vec![]),
            ("orphan".to_string(), vec!["cy@contoso.com".to_string()]),
        ]),
        group_assignments: vec![
            group("CCCCCCCC-0000-0000-0000-000000000003", "Tag:seattle", 2),
            group("bbbbbbbb-0000-0000-0000-000000000002", "Seattle", 1),
            group("dddddddd-0000-0000-0000-000000000004", "London", 1),
            group("eeeeeeee-0000-0000-0000-000000000005", "Orphan", 1),
        ],
        ..Default::default()
    };
    let files = render(&slice, "t");
    let main = &files.files["main.tf"];
    // Users sorted case-insensitively; the policy by reference, its type left at the default.
    assert!(
        main.contains(concat!(
            "resource \"teamsphone_policy_assignment_set\" \"seattle\" {\n",
            "  policy_name = teamsphone_shared_calling_policy.seattle.name\n",
            "  user_ids    = [\"Ann@contoso.com\", \"bob@contoso.com\", \"zoe@contoso.com\"]\n",
            "}\n"
        )),
        "{main}"
    );
    // No empty set for a policy nobody holds directly.
    assert!(
        !main.contains("\"teamsphone_policy_assignment_set\" \"london\""),
        "{main}"
    );
    assert!(
        main.contains(concat!(
            "resource \"teamsphone_group_policy_assignment\" \"seattle_bbbbbbbb\" {\n",
            "  group_id    = \"bbbbbbbb-0000-0000-0000-000000000002\"\n",
            "  policy_name = teamsphone_shared_calling_policy.seattle.name\n",
            "  rank        = 1\n",
            "}\n"
        )),
        "{main}"
    );
    assert!(
        main.contains("\"teamsphone_group_policy_assignment\" \"london_dddddddd\""),
        "{main}"
    );
    assert!(!main.contains("orphan") && !main.contains("cy@"), "{main}");
    assert!(!main.contains("policy_type"), "{main}");
    // Per policy in policy order: its set, then its groups by rank.
    let order: Vec<usize> = [
        "\"london_dddddddd\"",
        "\"teamsphone_policy_assignment_set\" \"seattle\"",
        "\"seattle_bbbbbbbb\"",
        "\"seattle_cccccccc\"",
    ]
    .iter()
    .map(|needle| {
        main.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {main}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{main}");

    let imports = &files.files["imports.tf"];
    assert!(
        imports.contains(concat!(
            "import {\n  to = teamsphone_policy_assignment_set.seattle\n",
            "  id = \"TeamsSharedCallingRoutingPolicy/Seattle\"\n}"
        )),
        "{imports}"
    );
    assert!(
        imports.contains(concat!(
            "import {\n  to = teamsphone_group_policy_assignment.seattle_cccccccc\n",
            "  id = \"cccccccc-0000-0000-0000-000000000003/TeamsSharedCallingRoutingPolicy\"\n}"
        )),
        "{imports}"
    );
    let script = &files.files["import.sh"];
    assert!(
        script.contains("\"$TERRAFORM\" import 'teamsphone_policy_assignment_set.seattle' 'TeamsSharedCallingRoutingPolicy/Seattle'\n"),
        "{script}"
    );
    assert!(
        script.contains("\"$TERRAFORM\" import 'teamsphone_group_policy_assignment.london_dddddddd' 'dddddddd-0000-0000-0000-000000000004/TeamsSharedCallingRoutingPolicy'\n"),
        "{script}"
    );
    assert_eq!(
        files.summary[3..5],
        ["1 policy assignment set", "3 group policy assignments"]
    );
    assert_eq!(render(&slice, "t"), files);
}

#[test]
fn emergency_policies_are_written_as_import_reads_them() {
    use crate::client::api::emergency_call_routing_policy::{
        EmergencyCallRoutingPolicy, EmergencyNumber,
    };
    let slice = Slice {
        emergency_policies: vec![EmergencyCallRoutingPolicy {
            identity: "Tag:Seattle-E911".into(),
            description: Some(String::new()),
            allow_enhanced_emergency_services: Some(true),
            emergency_numbers: vec![
                EmergencyNumber {
                    emergency_dial_string: "911".into(),
                    emergency_dial_mask: Some("933;112".into()),
                    online_pstn_usage: Some("US-Emergency".into()),
                },
                EmergencyNumber {
                    emergency_dial_string: "999".into(),
                    ..Default::default()
                },
            ],
        }],
        ..Default::default()
    };
    let files = render(&slice, "t");
    let main = &files.files["main.tf"];
    let expected = "resource \"teamsphone_emergency_call_routing_policy\" \"seattle_e911\" {\n  name                        = \"Seattle-E911\"\n  enhanced_emergency_services = true\n  emergency_numbers           = [\n    { dial_string = \"911\", dial_masks = [\"933\", \"112\"], pstn_usage = \"US-Emergency\" },\n    { dial_string = \"999\", dial_masks = [], pstn_usage = null },\n  ]\n}\n";
    assert!(main.contains(expected), "{main}");
    assert!(files.files["imports.tf"].contains("id = \"Seattle-E911\""));
    assert!(files
        .summary
        .contains(&"1 emergency call routing policy".to_string()));
}

#[test]
fn associations_reference_their_accounts_and_keep_only_a_priority_import_cannot_assume() {
    use crate::client::api::voice_apps::Association;
    let aa = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";
    let cq = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a22";
    let odd = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a33";
    let associated = |id: &str, upn: &str, app: &str, kind: &str, priority: Option<i64>| {
        let mut a = account(id, upn, app, &[]);
        a.association = Some(Association {
            id: id.into(),
            configuration_type: kind.into(),
            configuration_id: format!("conf-{kind}"),
            call_priority: priority,
        });
        (id.to_string(), a)
    };
    let slice = Slice {
        accounts: BTreeMap::from([
            associated(
                aa,
                "aa-seattle@c.com",
                AUTO_ATTENDANT_APP_ID,
                "AutoAttendant",
                None,
            ),
            associated(
                cq,
                "cq-london@c.com",
                CALL_QUEUE_APP_ID,
                "CallQueue",
                Some(5),
            ),
            associated(
                odd,
                "aa-odd@c.com",
                AUTO_ATTENDANT_APP_ID,
                "FutureThing",
                Some(3),
            ),
        ]),
        ..Default::default()
    };
    let files = render(&slice, "t");
    let main = &files.files["main.tf"];
    let seattle = "resource \"teamsphone_resource_account_association\" \"aa_seattle\" {\n  resource_account_id = teamsphone_resource_account.aa_seattle.id\n  configuration_id    = \"conf-AutoAttendant\"\n  configuration_type  = \"auto_attendant\"\n}\n";
    assert!(main.contains(seattle), "{main}");
    assert!(
        main.contains("  configuration_type  = \"call_queue\"\n  call_priority       = 5\n}"),
        "{main}"
    );
    assert!(!main.contains("FutureThing"), "{main}");
    assert!(
        files
            .warnings
            .iter()
            .any(|w| w.contains(odd) && w.contains("FutureThing")),
        "{:?}",
        files.warnings
    );
    let imports = &files.files["imports.tf"];
    assert!(
        imports.contains(&format!(
            "to = teamsphone_resource_account_association.cq_london\n  id = \"{cq}\""
        )),
        "{imports}"
    );
    assert!(files
        .summary
        .contains(&"2 resource account associations".to_string()));
    assert_eq!(render(&slice, "t"), files);
}

#[test]
fn auto_attendants_are_written_as_import_reads_them_and_referenced_by_associations() {
    use crate::client::api::auto_attendants::AutoAttendant;
    use crate::client::workflows::auto_attendants::AutoAttendantRead;
    let wire = serde_json::json!({
        "Id": "AAAA0000-0000-0000-0000-000000000001", "Name": "Reception",
        "LanguageId": "en-US", "TimeZoneId": "UTC", "VoiceResponseEnabled": false,
        "Operator": {"Id": "u1", "Type": "User"},
        "DefaultCallFlow": {"Id": "d", "Name": "d",
            "Greetings": [{"ActiveType": "TextToSpeech", "TextToSpeechPrompt": "Hi ${x}"}],
            "Menu": {"Name": "m", "DialByNameEnabled": true,
                "Prompts": [{"ActiveType": "TextToSpeech", "TextToSpeechPrompt": "Press 1"}],
                "MenuOptions": [
                    {"Action": "TransferCallToTarget", "DtmfResponse": "Tone1",
                     "CallTarget": {"Id": "tel:+12065550100", "Type": "ExternalPstn"}},
                    {"Action": "TransferCallToOperator", "DtmfResponse": "Tone0"}]}},
        "CallFlows": [{"Id": "h", "Name": "h", "Menu": {"Name": "m", "MenuOptions": [
            {"Action": "DisconnectCall", "DtmfResponse": "Automatic"}]}}],
        "CallHandlingAssociations": [{"Type": "Holiday", "ScheduleId": "s1", "CallFlowId": "h", "Priority": 1}]
    });
    let aa: AutoAttendant = serde_json::from_value(wire).unwrap();
    let schedule = serde_json::from_value(serde_json::json!({
        "Id": "s1", "Name": "Christmas", "Type": "Fixed",
        "FixedSchedule": {"DateTimeRanges": [{"Start": "2026-12-24T12:30:00", "End": "2026-12-26T00:00:00"}]}
    }))
    .unwrap();
    let unmanaged = AutoAttendant {
        id: "bbbb".into(),
        name: "Seeded".into(),
        ..Default::default()
    };
    let mut account = account("a1", "aa-reception@c.com", AUTO_ATTENDANT_APP_ID, &[]);
    account.association = Some(crate::client::api::voice_apps::Association {
        configuration_type: "AutoAttendant".into(),
        configuration_id: "aaaa0000-0000-0000-0000-000000000001".into(),
        ..Default::default()
    });
    let slice = Slice {
        accounts: BTreeMap::from([("a1".to_string(), account)]),
        auto_attendants: vec![
            AutoAttendantRead {
                aa,
                schedules: vec![schedule],
            },
            AutoAttendantRead {
                aa: unmanaged,
                schedules: Vec::new(),
            },
        ],
        ..Default::default()
    };
    let files = render(&slice, "t");
    let main = &files.files["main.tf"];
    let expected = r#"resource "teamsphone_auto_attendant" "reception" {
  name         = "Reception"
  language_id  = "en-US"
  time_zone_id = "UTC"
  operator {
    type = "user"
    id   = "u1"
  }
  default_call_flow {
    greeting = "Hi $${x}"
    action   = "menu"
    menu {
      prompt       = "Press 1"
      dial_by_name = true
      options {
        key    = "Tone1"
        action = "transfer"
        target {
          type = "external_pstn"
          id   = "tel:+12065550100"
        }
      }
      options {
        key    = "Tone0"
        action = "transfer"
        target {
          type = "operator"
        }
      }
    }
  }
  holidays {
    name = "Christmas"
    dates {
      start = "2026-12-24T12:30"
      end   = "2026-12-26"
    }
    call_flow {
      action = "disconnect"
    }
  }
}
"#;
    assert!(main.contains(expected), "{main}");
    assert!(
        main.contains("configuration_id    = teamsphone_auto_attendant.reception.id"),
        "{main}"
    );
    assert!(!main.contains("Seeded"), "{main}");
    assert!(
        files
            .warnings
            .iter()
            .any(|w| w.contains("\"Seeded\"") && w.contains("no default call flow")),
        "{:?}",
        files.warnings
    );
    assert!(files.files["imports.tf"].contains(
        "to = teamsphone_auto_attendant.reception\n  id = \"AAAA0000-0000-0000-0000-000000000001\""
    ));
    assert!(files.summary.contains(&"1 auto attendant".to_string()));
}

#[test]
fn call_queues_write_only_what_import_cannot_assume_and_associations_reference_them() {
    use crate::client::api::call_queues::CallQueue;
    use crate::client::api::voice_apps::Association;
    let cq = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a22";
    let mut account = account(cq, "cq-desk@c.com", CALL_QUEUE_APP_ID, &[]);
    account.association = Some(Association {
        id: cq.into(),
        configuration_type: "CallQueue".into(),
        configuration_id: "C0A00000-0000-0000-0000-000000000001".into(),
        call_priority: None,
    });
    let queue = |id: &str, name: &str| CallQueue {
        identity: id.into(),
        name: name.into(),
        routing_method: Some("Attendant".into()),
        allow_opt_out: Some(true),
        agent_alert_time: Some(30),
        overflow_threshold: Some(50),
        overflow_action: Some("DisconnectWithBusy".into()),
        timeout_threshold: Some(1200),
        timeout_action: Some("Disconnect".into()),
        use_default_music_on_hold: Some(true),
        ..Default::default()
    };
    let mut desk = queue("c0a00000-0000-0000-0000-000000000001", "Front desk");
    desk.users = vec!["u2".into(), "u1".into()];
    desk.timeout_action = Some("Voicemail".into());
    desk.timeout_action_target = Some("u1".into());
    desk.conference_mode = Some(true);
    let mut future = queue("c0a00000-0000-0000-0000-000000000002", "Future");
    future.routing_method = Some("Skills".into());
    let slice = Slice {
        accounts: BTreeMap::from([(cq.to_string(), account)]),
        call_queues: vec![
            future,
            desk,
            queue("c0a00000-0000-0000-0000-000000000003", "Plain"),
        ],
        ..Default::default()
    };
    let files = render(&slice, "t");
    let main = &files.files["main.tf"];
    let desk = "resource \"teamsphone_call_queue\" \"front_desk\" {\n  name            = \"Front desk\"\n  agents          = [\"u2\", \"u1\"]\n  conference_mode = true\n  timeout {\n    action = \"voicemail\"\n    target = \"u1\"\n  }\n}\n";
    assert!(main.contains(desk), "{main}");
    assert!(
        main.contains("resource \"teamsphone_call_queue\" \"plain\" {\n  name = \"Plain\"\n}\n"),
        "{main}"
    );
    assert!(
        main.contains("configuration_id    = teamsphone_call_queue.front_desk.id"),
        "{main}"
    );
    assert!(!main.contains("Future"), "{main}");
    assert!(
        files
            .warnings
            .iter()
            .any(|w| w.contains("Future") && w.contains("\"Skills\"")),
        "{:?}",
        files.warnings
    );
    assert!(files.summary.contains(&"2 call queues".to_string()));
    assert!(files.files["imports.tf"].contains(
        "to = teamsphone_call_queue.plain\n  id = \"c0a00000-0000-0000-0000-000000000003\""
    ));
}
