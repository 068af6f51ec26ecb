use std::time::Duration;

use super::*;
use crate::client::http::decode::Shape;

fn who() -> Identity {
    Identity {
        tenant_id: "t".into(),
        client_id: "c".into(),
        method: "client secret",
    }
}

fn probe(call: &'static str, needs: Permission, status: Option<u16>, ok: bool) -> Probe {
    Probe {
        what: "things",
        call,
        service: match needs {
            Permission::Graph(_) => Service::Graph,
            Permission::TeamsAdministrator => Service::Teams,
        },
        needs,
        status,
        elapsed: Duration::from_millis(7),
        shape: ok.then_some(Shape::Array),
        outcome: if ok { Ok(1) } else { Err("it failed".into()) },
    }
}

fn full_claims() -> SignInResult {
    Ok(Claims::Read {
        roles: GRAPH_PERMISSIONS.iter().map(|s| s.to_string()).collect(),
        wids: Some(vec![TEAMS_ADMINISTRATOR_ROLE_ID.into()]),
    })
}

fn probes_answering(numbers: Option<u16>, teams: Option<u16>) -> Vec<Probe> {
    vec![
        probe(
            "Get-CsTeamsSharedCallingRoutingPolicy",
            Permission::TeamsAdministrator,
            teams,
            teams == Some(200),
        ),
        probe(
            "Get-CsPhoneNumberAssignment",
            Permission::Graph("TeamsTelephoneNumber.ReadWrite.All"),
            numbers,
            numbers == Some(200),
        ),
    ]
}

#[test]
fn a_full_app_is_ready() {
    let r = evaluate(
        who(),
        &full_claims(),
        &full_claims(),
        &probes_answering(Some(200), Some(200)),
    );
    assert!(r.ready, "{:?}", r.problems);
    assert!(
        r.grants.iter().all(|g| g.status == Status::Granted),
        "{:?}",
        r.grants
    );
    assert!(r
        .resource_types
        .iter()
        .all(|t| t.ready && t.unknown.is_empty()));
    let text = render(&r);
    assert!(
        text.contains("Ready:") && text.contains("decodes (1 item)"),
        "{text}"
    );
}

#[test]
fn a_missing_graph_permission_names_itself_and_the_types_it_blocks() {
    let graph = Ok(Claims::Read {
        roles: vec![
            "User.ReadWrite.All".into(),
            "TeamsUserConfiguration.Read.All".into(),
        ],
        wids: None,
    });
    let r = evaluate(
        who(),
        &graph,
        &full_claims(),
        &probes_answering(Some(403), Some(200)),
    );
    assert!(!r.ready);
    let numbers = r
        .grants
        .iter()
        .find(|g| g.name == "TeamsTelephoneNumber.ReadWrite.All")
        .unwrap();
    assert_eq!(numbers.status, Status::Missing);
    assert!(
        numbers.evidence.contains("403"),
        "the API's refusal is the evidence"
    );
    let assign = r
        .grants
        .iter()
        .find(|g| g.name == "TeamsPolicyUserAssign.ReadWrite.All")
        .unwrap();
    assert_eq!(assign.status, Status::Missing, "not in roles");
    let blocked: Vec<&str> = r
        .resource_types
        .iter()
        .filter(|t| !t.ready)
        .map(|t| t.type_name)
        .collect();
    assert!(
        blocked.contains(&registry::PHONE_NUMBER_ASSIGNMENT),
        "{blocked:?}"
    );
    assert!(
        !blocked.contains(&registry::GROUP_POLICY_ASSIGNMENT),
        "{blocked:?}"
    );
    assert!(render(&r).contains("NOT READY, missing TeamsTelephoneNumber.ReadWrite.All"));
}

#[test]
fn the_teams_role_is_judged_by_wids_and_by_a_403() {
    let no_wids = Ok(Claims::Read {
        roles: GRAPH_PERMISSIONS.iter().map(|s| s.to_string()).collect(),
        wids: None,
    });
    // No wids anywhere, the Teams API answered 403: missing.
    let r = evaluate(
        who(),
        &no_wids,
        &no_wids,
        &probes_answering(Some(200), Some(403)),
    );
    let role = r
        .grants
        .iter()
        .find(|g| g.name == TEAMS_ADMINISTRATOR)
        .unwrap();
    assert_eq!(role.status, Status::Missing);
    assert!(!r.ready);
    // No wids, the Teams API answered: granted by the evidence of the answer.
    let r = evaluate(
        who(),
        &no_wids,
        &no_wids,
        &probes_answering(Some(200), Some(200)),
    );
    let role = r
        .grants
        .iter()
        .find(|g| g.name == TEAMS_ADMINISTRATOR)
        .unwrap();
    assert_eq!(role.status, Status::Granted);
    assert!(r.ready, "{:?}", r.problems);
}

#[test]
fn unreadable_tokens_and_unreachable_endpoints_are_said_and_go_on() {
    let opaque: SignInResult = Ok(Claims::Unreadable("it has 2 parts".into()));
    let r = evaluate(who(), &opaque, &opaque, &probes_answering(Some(200), None));
    assert!(!r.ready, "a failed read fails the check");
    assert!(
        r.sign_in[0].detail.contains("not a readable JWT"),
        "{:?}",
        r.sign_in
    );
    let numbers = r
        .grants
        .iter()
        .find(|g| g.name == "TeamsTelephoneNumber.ReadWrite.All")
        .unwrap();
    assert_eq!(numbers.status, Status::Granted, "the read answered");
    let users = r
        .grants
        .iter()
        .find(|g| g.name == "User.ReadWrite.All")
        .unwrap();
    assert_eq!(users.status, Status::Unknown);
    assert!(r
        .problems
        .iter()
        .any(|p| p.contains("Get-CsTeamsSharedCallingRoutingPolicy") && p.contains("it failed")));
    // A failed sign-in is a problem of its own.
    let r = evaluate(who(), &Err("AADSTS7000215".into()), &full_claims(), &[]);
    assert!(!r.ready && r.problems[0].contains("AADSTS7000215"));
}
