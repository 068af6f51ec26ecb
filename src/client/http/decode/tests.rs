use serde::Deserialize;

use super::*;
use crate::client::api::number_operations::Operation;
use crate::client::api::resource_accounts::ApplicationInstance;
use crate::client::api::shared_calling_policy::SharedCallingPolicy;

fn cx(scrub: &Scrubber) -> Context<'_> {
    Context {
        service: Service::Graph,
        status: 200,
        call: "Get-Thing",
        scrub,
    }
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Thing {
    id: String,
    #[serde(default)]
    inner: Option<Inner>,
    #[serde(default)]
    list: Vec<Inner>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
struct Inner {
    display_name: String,
}

fn thing(body: &str) -> Result<Decoded<Thing>, ApiError> {
    let scrub = Scrubber::default();
    entity(body.as_bytes(), &cx(&scrub))
}

#[test]
fn every_entity_shape_decodes_and_is_named() {
    for (body, shape) in [
        (r#"{"id":"a"}"#, Shape::Object),
        (r#"{"value":{"id":"a"}}"#, Shape::ValueObject),
        (
            r#"{"@odata.context":"x","value":{"id":"a"}}"#,
            Shape::ValueObject,
        ),
        (r#"{"value":[{"id":"a"}]}"#, Shape::ValueArray),
        (r#"[{"id":"a"}]"#, Shape::Array),
    ] {
        let d = thing(body).unwrap();
        assert_eq!(d.shape, shape, "{body}");
        assert_eq!(d.value.unwrap().id, "a", "{body}");
    }
}

#[test]
fn an_empty_body_is_nothing() {
    for body in ["", "  \n"] {
        let d = thing(body).unwrap();
        assert_eq!(d.shape, Shape::Empty);
        assert!(d.value.is_none());
    }
}

#[test]
fn more_or_fewer_than_one_element_is_an_error() {
    for body in [r#"[]"#, r#"[{"id":"a"},{"id":"b"}]"#, r#"{"value":[]}"#] {
        let e = thing(body).unwrap_err().to_string();
        assert!(e.contains("Get-Thing") && e.contains("elements"), "{e}");
    }
    assert!(thing("7").unwrap_err().to_string().contains("Get-Thing"));
    assert!(thing("{").unwrap_err().to_string().contains("not JSON"));
}

#[test]
fn an_object_with_a_value_field_and_others_is_the_object() {
    #[derive(Deserialize)]
    struct V {
        value: String,
        id: String,
    }
    let scrub = Scrubber::default();
    let d: Decoded<V> = entity(br#"{"value":"x","id":"a"}"#, &cx(&scrub)).unwrap();
    assert_eq!(d.shape, Shape::Object);
    let v = d.value.unwrap();
    assert_eq!((v.value.as_str(), v.id.as_str()), ("x", "a"));
}

#[test]
fn keys_match_fields_in_any_case_at_every_depth() {
    let d = thing(
        r#"{"ID":"a","Inner":{"displayName":"x"},"LIST":[{"DISPLAYNAME":"y"},{"display_name_not":1,"DisplayName":"z"}]}"#,
    )
    .unwrap();
    assert_eq!(
        d.value.unwrap(),
        Thing {
            id: "a".into(),
            inner: Some(Inner {
                display_name: "x".into()
            }),
            list: vec![
                Inner {
                    display_name: "y".into()
                },
                Inner {
                    display_name: "z".into()
                }
            ],
        }
    );
}

#[test]
fn a_policy_in_camel_case_decodes() {
    let scrub = Scrubber::default();
    let d: Decoded<SharedCallingPolicy> = entity(
        br#"[{"identity":"Tag:Sea","resourceAccount":"r","emergencyNumbers":["+1"]}]"#,
        &cx(&scrub),
    )
    .unwrap();
    let p = d.value.unwrap();
    assert_eq!(p.identity, "Tag:Sea");
    assert_eq!(p.resource_account.as_deref(), Some("r"));
    assert_eq!(p.emergency_numbers, vec!["+1".to_string()]);
}

#[test]
fn a_whole_body_decodes_case_insensitively() {
    let scrub = Scrubber::default();
    let v: Vec<Inner> = whole(br#"[{"displayname":"a"}]"#, &cx(&scrub)).unwrap();
    assert_eq!(v[0].display_name, "a");
    assert!(whole::<Vec<Inner>>(b"", &cx(&scrub))
        .unwrap_err()
        .to_string()
        .contains("Get-Thing answered without a body"));
}

fn missing<T: DeserializeOwned + std::fmt::Debug>(call: &str, body: &str) -> String {
    let scrub = Scrubber::default();
    let cx = Context {
        service: Service::Teams,
        status: 200,
        call,
        scrub: &scrub,
    };
    entity::<T>(body.as_bytes(), &cx).unwrap_err().to_string()
}

#[test]
fn a_required_field_that_is_missing_names_field_and_call() {
    let e = missing::<Operation>(
        "Get-CsPhoneNumberOperation",
        r#"{"value":{"id":"op","numbers":[]}}"#,
    );
    assert!(
        e.contains(r#"Get-CsPhoneNumberOperation answered without "status""#),
        "{e}"
    );
    let e = missing::<ApplicationInstance>(
        "New-CsOnlineApplicationInstance",
        r#"{"userPrincipalName":"aa@x"}"#,
    );
    assert!(
        e.contains(r#"New-CsOnlineApplicationInstance answered without "objectId""#),
        "{e}"
    );
    let e = missing::<SharedCallingPolicy>(
        "Get-CsTeamsSharedCallingRoutingPolicy",
        r#"{"Description":"d"}"#,
    );
    assert!(
        e.contains(r#"Get-CsTeamsSharedCallingRoutingPolicy answered without "Identity""#),
        "{e}"
    );
}

#[test]
fn an_operation_wrapped_in_value_reads_its_status() {
    let scrub = Scrubber::default();
    let op: Decoded<Operation> = entity(
        br#"{"value":{"id":"op","status":"succeeded","numbers":null}}"#,
        &cx(&scrub),
    )
    .unwrap();
    assert_eq!(op.shape, Shape::ValueObject);
    assert!(op.value.unwrap().status().is_final());
}

#[test]
fn shape_of_names_what_came_back_without_decoding() {
    assert_eq!(shape_of(b""), Some(Shape::Empty));
    assert_eq!(shape_of(b"[{\"a\":1},{\"a\":2}]"), Some(Shape::Array));
    assert_eq!(
        shape_of(br#"{"value":[],"@odata.nextLink":"x"}"#),
        Some(Shape::ValueArray)
    );
    assert_eq!(
        shape_of(br#"{"value":{"id":"x"}}"#),
        Some(Shape::ValueObject)
    );
    assert_eq!(
        shape_of(br#"{"applicationInstances":[],"skipToken":null}"#),
        Some(Shape::Object)
    );
    assert_eq!(shape_of(b"<html>"), None);
    assert_eq!(shape_of(b"42"), None);
}

#[test]
fn wrapped_entities_unwrap_in_any_shape_and_name_a_missing_wrapper() {
    let scrub = Scrubber::default();
    let get = |body: &str| wrapped::<Thing>(body.as_bytes(), "AutoAttendant", &cx(&scrub));
    for body in [
        r#"{"AutoAttendant":{"id":"a"}}"#,
        r#"{"autoAttendant":{"ID":"a"},"other":1}"#,
        r#"[{"AutoAttendant":{"id":"a"}}]"#,
        r#"{"value":{"AutoAttendant":{"id":"a"}}}"#,
    ] {
        assert_eq!(get(body).unwrap().value.unwrap().id, "a", "{body}");
    }
    assert!(get("").unwrap().value.is_none());
    let missing = get(r#"{"id":"a"}"#).unwrap_err().to_string();
    assert!(
        missing.contains("Get-Thing answered without \"AutoAttendant\""),
        "{missing}"
    );
    assert!(get(r#"{"AutoAttendant":[1]}"#).is_err());
    assert!(get(r#"{"AutoAttendant":{}}"#)
        .unwrap_err()
        .to_string()
        .contains("without \"id\""));
}

#[test]
fn the_streamed_decoder_agrees_with_the_tree_one() {
    use crate::client::api::policy_assignment::TeamsUserConfiguration;
    let scrub = Scrubber::default();
    let cx = cx(&scrub);
    let things = [
        r#"{"id":"a","inner":{"displayName":"x"},"list":[{"DISPLAYNAME":"y"}]}"#,
        r#"{"ID":"a","Inner":null,"List":[],"extra":{"deep":[1,2,{"a":null}]}}"#,
        r#"{"Id":"a","INNER":{"DisplayName":"x","Other":true}}"#,
        r#"{"inner":{"displayName":"x"}}"#,
        r#"{"id":"a","inner":{"display_name":"x"}}"#,
        r#"{"id":"a"} trailing"#,
        r#"{"id":"a""#,
        r#"{"id":7}"#,
    ];
    for body in things {
        let tree: Result<Thing, _> = whole(body.as_bytes(), &cx);
        let stream: Result<Thing, _> = streamed(body.as_bytes(), &cx);
        match (&tree, &stream) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{body}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{body}: tree {tree:?}, streamed {stream:?}"),
        }
    }
    // A missing field is named the same way.
    let missing = streamed::<Thing>(br#"{"inner":null}"#, &cx).unwrap_err();
    assert!(
        missing.to_string().contains("answered without \"id\""),
        "{missing}"
    );
    let user = r#"{"Id":"u1","UserPrincipalName":"a@b","IsEnterpriseVoiceEnabled":true,
        "telephoneNumbers":null,"featureTypes":["Teams"],
        "EffectivePolicyAssignments":[{"PolicyType":"TeamsSharedCallingRoutingPolicy",
          "policyAssignment":{"DisplayName":"Tag:Seattle","assignmentType":"direct","policyId":"p"}}]}"#;
    let tree: TeamsUserConfiguration = whole(user.as_bytes(), &cx).unwrap();
    let stream: TeamsUserConfiguration = streamed(user.as_bytes(), &cx).unwrap();
    assert_eq!(tree, stream);
    assert_eq!(
        stream.direct_policy("TeamsSharedCallingRoutingPolicy"),
        Some("Seattle")
    );
    assert!(stream.is_enterprise_voice_enabled);
}
