//! Property tests (bounded fuzzing) of everything that parses untrusted text: numbers users type, and
//! answers the APIs send, including malformed JSON and enum values we have never seen. None may panic.
//! (The emulator's request parsers are fuzzed in its own package.)

use proptest::prelude::*;

use crate::client::api::emergency_call_routing_policy::EmergencyCallRoutingPolicy;
use crate::client::api::resource_accounts::GraphUser;
use crate::client::api::shared_calling_policy::SharedCallingPolicy;
use crate::client::http::error::{decode_error_response, Service};
use crate::domain::emergency_dialing::{check_entries, split_masks, Entry};
use crate::domain::phone::{canonical_or_raw, TelephoneNumber};

/// Arbitrary JSON, nested a few levels, with strings that look like enum values and numbers.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        "[a-zA-Z+0-9:;=_ -]{0,20}".prop_map(serde_json::Value::String),
        prop_oneof![
            Just("unknownFutureValue"),
            Just("policyAssigned"),
            Just("+12065550100")
        ]
        .prop_map(|s| serde_json::Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("Identity".to_string()),
                    Just("EmergencyNumbers".to_string()),
                    Just("Description".to_string()),
                    Just("id".to_string()),
                    Just("assignedLicenses".to_string()),
                    Just("error".to_string()),
                    "[a-zA-Z]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn number_parsing_never_panics_and_canonical_forms_are_stable(input in "\\PC{0,24}") {
        if let Ok(number) = TelephoneNumber::parse(&input) {
            let again = TelephoneNumber::parse(&number.canonical()).unwrap();
            prop_assert_eq!(again.canonical(), number.canonical());
        }
        let _ = canonical_or_raw(&input);
    }

    #[test]
    fn number_like_input_never_panics(input in "(tel:)?\\+?[0-9 ().-]{0,20}(;ext=[0-9a-z]{0,12})?") {
        let _ = TelephoneNumber::parse(&input);
    }

    #[test]
    fn api_answers_never_panic_the_decoders(value in json_value(), status in 100u16..600) {
        let bytes = serde_json::to_vec(&value).unwrap();
        let _ = serde_json::from_slice::<SharedCallingPolicy>(&bytes);
        let _ = serde_json::from_slice::<Vec<SharedCallingPolicy>>(&bytes);
        let _ = serde_json::from_slice::<GraphUser>(&bytes);
        if let Ok(p) = serde_json::from_slice::<EmergencyCallRoutingPolicy>(&bytes) {
            for n in &p.emergency_numbers {
                let _ = split_masks(n.emergency_dial_mask.as_deref());
            }
        }
        let e = decode_error_response(Service::Graph, status, None, &bytes, None);
        prop_assert!(!e.to_string().is_empty());
    }

    #[test]
    fn dialing_rules_never_panic_and_report_known_entries(
        entries in prop::collection::vec(("\\PC{0,12}", prop::collection::vec("[0-9;a]{0,11}", 0..3), prop::option::of("\\PC{0,6}")), 0..6)
    ) {
        let entries: Vec<Entry> = entries
            .iter()
            .map(|(d, m, u)| Entry {
                dial_string: Some(d.as_str()),
                dial_masks: m.iter().map(String::as_str).collect(),
                pstn_usage: u.as_deref(),
            })
            .collect();
        for problem in check_entries(&entries) {
            prop_assert!(problem.index < entries.len() && !problem.message.is_empty());
        }
    }

    #[test]
    fn malformed_bodies_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256), status in 100u16..600) {
        let _ = serde_json::from_slice::<SharedCallingPolicy>(&bytes);
        let _ = decode_error_response(Service::Teams, status, Some("r".into()), &bytes, None);
    }
}
