//! Unit tests of the number inventory, operations and rules.

use serde_json::json;

use super::*;
use crate::directory::User;
use crate::policy::SharedCallingPolicy;
use crate::state::Tenant;

const RA: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";
const LOC_US: &str = "11111111-0000-0000-0000-0000000000aa";
const LOC_GB: &str = "11111111-0000-0000-0000-0000000000bb";

fn tenant() -> Tenant {
    let mut t: Tenant = serde_json::from_value(json!({
        "tenant_id": "11111111-2222-3333-4444-555555555555",
        "domain": "contoso.onmicrosoft.com",
        "users": [{"id": RA, "userPrincipalName": "aa@contoso.com", "displayName": "AA",
                   "accountEnabled": false, "accountType": "resourceAccount",
                   "usageLocation": "US",
                   "assignedLicenses": [{"skuId": "440eaaa8-b3e0-484b-a8be-62870b9ba70a"}]},
                  {"id": "cccccccc-0000-0000-0000-000000000001", "userPrincipalName": "bob@contoso.com",
                   "displayName": "Bob"}],
        "emergency_locations": [{"id": LOC_US, "countryOrRegion": "us"},
                                {"id": LOC_GB, "countryOrRegion": "GB"}],
        "phone_numbers": [
            {"telephoneNumber": "+12065550100", "numberType": "directRouting", "isoCountryCode": "US"},
            {"telephoneNumber": "+12065550150", "numberType": "directRouting", "isoCountryCode": "US"},
            {"telephoneNumber": "+442079460958", "numberType": "directRouting", "isoCountryCode": "GB"},
            {"telephoneNumber": "+12065550177", "numberType": "callingPlan", "isoCountryCode": "US"}
        ]
    }))
    .unwrap();
    normalize(&mut t).unwrap();
    t
}

fn assign(number: &str, target: &str, location: Option<&str>) -> AssignRequest {
    AssignRequest {
        telephone_number: number.into(),
        target_id: target.into(),
        number_type: "directRouting".into(),
        assignment_category: "primary".into(),
        location_id: location.map(str::to_string),
    }
}

/// Submits `req` at time 0 for a target already visible, as most of these tests do.
fn submit(t: &mut Tenant, req: AssignRequest, id: &str) -> NumberOperation {
    submit_assign(t, req, id.into(), 0, true).unwrap()
}

/// Why the operation submitted for `req` (see [`submit`]) will fail.
fn failure(t: &mut Tenant, req: AssignRequest, id: &str) -> String {
    submit(t, req, id).failure.unwrap()
}

#[test]
fn operations_pass_through_their_states_and_land_at_the_end() {
    let mut t = tenant();
    let op = submit_assign(
        &mut t,
        assign("+12065550100", RA, Some(LOC_US)),
        "op1".into(),
        1000,
        true,
    )
    .unwrap();
    assert_eq!(op.status(1000, 100), "notStarted");
    assert_eq!(op.status(1150, 100), "running");
    assert_eq!(op.status(1200, 100), "succeeded");
    assert_eq!(
        number(&t, "+12065550100").unwrap().activation_state,
        "assignmentPending"
    );
    advance(&mut t, 1150, 100);
    assert!(!any_due(&t, 1150, 100) && any_due(&t, 1200, 100));
    assert!(!t.users[0].enterprise_voice_enabled);
    advance(&mut t, 1200, 100);
    let n = number(&t, "+12065550100").unwrap();
    assert_eq!(n.activation_state, "activated");
    assert_eq!(n.location_id.as_deref(), Some(LOC_US));
    assert!(t.users[0].enterprise_voice_enabled);
    assert_eq!(
        number_json(&t, n)["assignmentStatus"],
        "voiceApplicationAssigned"
    );

    let op = submit_unassign(
        &mut t,
        "+12065550100".into(),
        "directRouting",
        "op2".into(),
        2000,
    );
    advance(&mut t, 2200, 100);
    assert_eq!(op.status(2200, 100), "succeeded");
    let n = number(&t, "+12065550100").unwrap();
    assert_eq!(
        (n.assignment_target_id.as_ref(), n.location_id.as_ref()),
        (None, None)
    );
    assert!(!t.users[0].enterprise_voice_enabled);
    let again = submit_unassign(
        &mut t,
        "+12065550100".into(),
        "directRouting",
        "op3".into(),
        3000,
    );
    assert_eq!(again.status(3200, 100), "skipped");
}

#[test]
fn assignment_rules_fail_the_operation_with_a_reason() {
    let mut t = tenant();
    let bob = "cccccccc-0000-0000-0000-000000000001";
    submit(&mut t, assign("+12065550100", RA, None), "a");
    let twice = failure(&mut t, assign("+12065550100", bob, None), "b");
    assert!(twice.contains("already been assigned to another user"));
    let mut cp = assign("+12065550177", bob, None);
    cp.number_type = "callingPlan".into();
    let e = failure(&mut t, cp, "c");
    assert!(e.contains("has no usage location"), "{e}");
    t.users[1].usage_location = Some("US".into());
    let mut cp = assign("+12065550177", bob, None);
    cp.number_type = "callingPlan".into();
    let e = failure(&mut t, cp, "d");
    assert!(
        e.contains("lacks appropriate licenses to assign a 'CallingPlan' number"),
        "{e}"
    );
    let e = failure(&mut t, assign("+12065550150", RA, Some(LOC_GB)), "e");
    assert!(e.contains("must be in its country"), "{e}");
    let e = failure(&mut t, assign("+19995550100", RA, None), "f");
    assert!(e.contains("not found from tenant"), "{e}");
    assert!(submit_assign(
        &mut t,
        assign("+12065550150", RA, None),
        "g".into(),
        0,
        false
    )
    .unwrap_err()
    .contains("not found"));
}

#[test]
fn deleting_a_holder_strands_its_number() {
    let mut t = tenant();
    submit(&mut t, assign("+12065550100", RA, None), "a");
    advance(&mut t, 1000, 100);
    strand_numbers_of(&mut t, RA);
    let op = submit_unassign(
        &mut t,
        "+12065550100".into(),
        "directRouting",
        "u".into(),
        2000,
    );
    assert!(op.failure.unwrap().contains("stuck in a pending state"));
}

#[test]
fn policy_number_rules() {
    let mut t = tenant();
    let policy = |numbers: &[&str]| SharedCallingPolicy {
        identity: "Tag:Sea".into(),
        description: None,
        resource_account: Some(RA.into()),
        emergency_numbers: numbers.iter().map(|n| n.to_string()).collect(),
    };
    let visible = |_: &User| true;
    let e = check_shared_calling_policy(&t, &policy(&[]), visible).unwrap_err();
    assert!(e.contains("has no phone number assigned"), "{e}");
    submit(&mut t, assign("+12065550100", RA, None), "a");
    advance(&mut t, 1000, 100);
    let e = check_shared_calling_policy(&t, &policy(&[]), visible).unwrap_err();
    assert!(e.contains("has no emergency location"), "{e}");
    update_location(&mut t, "+12065550100", Some(LOC_US.into()))
        .ok()
        .unwrap();
    check_shared_calling_policy(&t, &policy(&["+12065550150"]), visible).unwrap();
    let e = check_shared_calling_policy(&t, &policy(&["+442079460958"]), visible).unwrap_err();
    assert!(
        e.contains("'+442079460958'") && e.contains("same number type and country"),
        "{e}"
    );
    let e = check_shared_calling_policy(&t, &policy(&["+12065550100"]), visible).unwrap_err();
    assert!(e.contains("must not be assigned"), "{e}");
    let e = check_shared_calling_policy(&t, &policy(&["+12065550177"]), visible).unwrap_err();
    assert!(e.contains("callingPlan number of US"), "{e}");
    t.shared_calling_policies.push(policy(&["+12065550150"]));
    let n = number(&t, "+12065550150").unwrap();
    assert_eq!(number_json(&t, n)["assignmentStatus"], "policyAssigned");
    assert_eq!(number_json(&t, n)["assignmentTargetId"], "Tag:Sea");
    let e = failure(&mut t, assign("+12065550150", RA, None), "x");
    assert!(e.contains("emergency number of the shared calling policy"));
}

#[test]
fn filters_parse_and_match() {
    let clauses =
        parse_filter("telephoneNumber eq '+1' and numberType eq 'directRouting'").unwrap();
    assert_eq!(clauses.len(), 2);
    assert!(parse_filter("x eq 'o''b'")
        .unwrap_err()
        .contains("cannot be filtered"));
    assert!(parse_filter("city eq 'a'").is_err());
    assert_eq!(
        parse_filter("telephoneNumber eq 'o''b'").unwrap()[0].1,
        "o'b"
    );
    assert!(parse_filter("telephoneNumber gt '1'")
        .unwrap_err()
        .contains("only 'eq'"));
    assert!(parse_filter("telephoneNumber eq '1")
        .unwrap_err()
        .contains("unterminated"));
    assert!(matches(
        &json!({"numberType": "directRouting"}),
        &[("numberType".into(), "DIRECTROUTING".into())]
    ));
    assert!(!matches(
        &json!({"numberType": null}),
        &[("numberType".into(), "x".into())]
    ));
}

#[test]
fn bodies_are_checked() {
    let ok = parse_assign(br#"{"telephoneNumber":"+12065550100","assignmentTargetId":"0E5A2A42-1B55-4B3B-9F68-1F0D6C0B2A11","numberType":"directRouting"}"#).unwrap();
    assert_eq!(ok.target_id, RA);
    assert_eq!(ok.assignment_category, "primary");
    assert!(parse_assign(br#"{"telephoneNumber":"2065550100","assignmentTargetId":"x","numberType":"directRouting"}"#).unwrap_err().contains("E.164"));
    assert!(parse_assign(br#"{"telephoneNumber":"+12065550100","assignmentTargetId":"0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11","numberType":"pstn"}"#).unwrap_err().contains("numberType 'pstn'"));
}
