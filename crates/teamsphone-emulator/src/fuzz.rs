//! Property tests (bounded fuzzing) of what the emulator parses from its callers: a request body
//! may be any bytes, and no body may panic a handler. Each parser answers `Err` with a message
//! instead. (The provider's own parsers are fuzzed in the provider package.)

use proptest::prelude::*;

use crate::emergency_policy;
use crate::policy::parse_create;

/// JSON objects with the policy's own keys and values of every kind, so the rules past the JSON
/// parser are reached, not only the parser's errors.
fn policy_like_body() -> impl Strategy<Value = Vec<u8>> {
    let value = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        "[a-zA-Z+0-9:;=_ -]{0,40}".prop_map(serde_json::Value::String),
        prop::collection::vec("[+0-9a-z]{0,16}", 0..4).prop_map(|v| serde_json::json!(v)),
        prop::collection::vec(("[0-9a]{0,11}", "[0-9;]{0,12}"), 0..4).prop_map(|v| {
            let numbers: Vec<_> = v
                .into_iter()
                .map(|(d, m)| serde_json::json!({"EmergencyDialString": d, "EmergencyDialMask": m}))
                .collect();
            serde_json::json!(numbers)
        }),
    ];
    prop::collection::btree_map(
        prop_oneof![
            Just("Identity".to_string()),
            Just("Description".to_string()),
            Just("ResourceAccount".to_string()),
            Just("EmergencyNumbers".to_string()),
            Just("AllowEnhancedEmergencyServices".to_string()),
            "[a-zA-Z]{1,8}"
        ],
        value,
        0..6,
    )
    .prop_map(|m| serde_json::to_vec(&m).unwrap_or_default())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn malformed_bodies_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse_create(&bytes);
        let _ = emergency_policy::parse_create(&bytes);
        let _ = emergency_policy::parse_update(&bytes);
    }

    #[test]
    fn policy_like_bodies_never_panic(bytes in policy_like_body()) {
        if let Err(message) = parse_create(&bytes) {
            prop_assert!(!message.is_empty());
        }
        for result in [
            emergency_policy::parse_create(&bytes).map(drop),
            emergency_policy::parse_update(&bytes).map(drop),
        ] {
            if let Err(message) = result {
                prop_assert!(!message.is_empty());
            }
        }
    }
}
