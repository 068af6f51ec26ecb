//! Unit tests of assignments: catalog, direct and group writes, propagation, effective policy.

use super::*;
use crate::directory::Group;
use crate::directory::User;
use crate::state::Tenant;

const A: &str = "aaaaaaaa-0000-0000-0000-000000000001";
const B: &str = "aaaaaaaa-0000-0000-0000-000000000002";
const G1: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const G2: &str = "bbbbbbbb-0000-0000-0000-000000000002";
const E911: &str = "TeamsEmergencyCallRoutingPolicy";

/// A direct grant of the emergency call routing policy `policy` to `user`.
fn e911_grant(user: &str, policy: &str) -> Grant {
    Grant {
        user: user.into(),
        policy_type: E911.into(),
        policy_id: Some(policy_id(E911, policy)),
    }
}

fn tenant() -> Tenant {
    let user = |id: &str, upn: &str| -> User {
        serde_json::from_value(serde_json::json!({
            "id": id, "userPrincipalName": upn, "displayName": upn
        }))
        .unwrap()
    };
    let mut t: Tenant = serde_json::from_value(serde_json::json!({
        "tenant_id": "11111111-2222-3333-4444-555555555555",
        "domain": "contoso.example",
    }))
    .unwrap();
    t.users = vec![user(A, "ann@contoso.com"), user(B, "bob@contoso.com")];
    t.groups = vec![
        Group {
            id: G1.into(),
            display_name: "One".into(),
            members: vec![A.into(), B.into()],
        },
        Group {
            id: G2.into(),
            display_name: "Two".into(),
            members: vec![A.into()],
        },
    ];
    t.assignments.policies.insert(
        E911.into(),
        vec!["Seattle-E911".into(), "Tacoma-E911".into()],
    );
    t
}

fn effective_name(t: &Tenant, user: usize, now: u64, delay: u64) -> (String, bool) {
    let index = EffectiveIndex::new(t);
    let e = index
        .effective(t, &t.users[user], now, delay)
        .into_iter()
        .find(|e| e.policy_type == E911)
        .unwrap();
    (e.name, e.direct)
}

#[test]
fn direct_beats_group_and_best_rank_wins() {
    let mut t = tenant();
    assert_eq!(effective_name(&t, 0, 0, 0), ("Global".into(), false));
    put_group_assignment(&mut t, G1, E911, "Tacoma-E911", None, String::new()).unwrap();
    put_group_assignment(&mut t, G2, E911, "Seattle-E911", Some(1), String::new()).unwrap();
    // G2 took rank 1 and pushed G1 to 2.
    let ranks: Vec<(String, u32)> = t
        .assignments
        .groups
        .iter()
        .map(|g| (g.group_id.clone(), g.rank))
        .collect();
    assert!(
        ranks.contains(&(G2.into(), 1)) && ranks.contains(&(G1.into(), 2)),
        "{ranks:?}"
    );
    assert_eq!(effective_name(&t, 0, 0, 0), ("Seattle-E911".into(), false));
    assert_eq!(effective_name(&t, 1, 0, 0), ("Tacoma-E911".into(), false));
    apply_grants(
        &mut t,
        &[e911_grant("ANN@contoso.com", "tacoma-e911")],
        0,
        0,
    )
    .unwrap();
    assert_eq!(effective_name(&t, 0, 0, 0), ("Tacoma-E911".into(), true));
    remove_group_assignment(&mut t, G2, E911).unwrap();
    assert_eq!(t.assignments.groups[0].rank, 1);
}

#[test]
fn batches_are_all_or_nothing_and_name_each_failure() {
    let mut t = tenant();
    let good = e911_grant(A, "Seattle-E911");
    let bad_user = Grant {
        user: "zed@contoso.com".into(),
        ..good.clone()
    };
    let bad_policy = e911_grant(B, "Nowhere");
    let e = apply_grants(&mut t, &[good.clone(), bad_user, bad_policy], 0, 0).unwrap_err();
    let AssignError::Invalid(m) = e else { panic!() };
    assert!(m.contains("zed@contoso.com") && m.contains(B), "{m}");
    assert!(t.assignments.users.is_empty(), "nothing may change");
    apply_grants(&mut t, &[good], 0, 0).unwrap();
    assert_eq!(
        t.assignments.users[A][E911].policy_name.as_deref(),
        Some("Seattle-E911")
    );
}

#[test]
fn writes_show_after_the_propagation_delay() {
    let mut t = tenant();
    let grant = e911_grant(A, "Seattle-E911");
    apply_grants(&mut t, std::slice::from_ref(&grant), 1_000, 500).unwrap();
    assert_eq!(effective_name(&t, 0, 1_499, 500).0, "Global");
    assert_eq!(effective_name(&t, 0, 1_500, 500).0, "Seattle-E911");
    let removal = Grant {
        policy_id: None,
        ..grant
    };
    apply_grants(&mut t, &[removal], 2_000, 500).unwrap();
    assert_eq!(effective_name(&t, 0, 2_100, 500).0, "Seattle-E911");
    assert_eq!(effective_name(&t, 0, 2_500, 500).0, "Global");

    set_enterprise_voice(&mut t, A, true, 3_000, 500).unwrap();
    assert!(!visible_enterprise_voice(&t, &t.users[0], 3_100, 500));
    assert!(visible_enterprise_voice(&t, &t.users[0], 3_500, 500));
}

#[test]
fn group_limit_and_unknown_policies_are_refused() {
    let mut t = tenant();
    let e = put_group_assignment(&mut t, G1, E911, "Nowhere", None, String::new()).unwrap_err();
    assert!(matches!(e, AssignError::Invalid(m) if m.contains("Nowhere")));
    for i in 0..MAX_GROUPS_PER_POLICY_TYPE {
        let id = format!("cccccccc-0000-0000-0000-{i:012}");
        t.groups.push(Group {
            id: id.clone(),
            display_name: id.clone(),
            members: vec![],
        });
        put_group_assignment(&mut t, &id, E911, "Global", None, String::new()).unwrap();
    }
    let e = put_group_assignment(&mut t, G1, E911, "Global", None, String::new()).unwrap_err();
    assert!(matches!(e, AssignError::Invalid(m) if m.contains("at most 64")));
}

#[test]
fn policy_ids_are_stable_guids() {
    let id = policy_id(E911, "Seattle-E911");
    assert_eq!(id, policy_id(E911, "Tag:seattle-e911"));
    assert_ne!(id, policy_id(E911, "Tacoma-E911"));
    // The emulator's own GUID rule (the provider's validators are out of reach on purpose).
    assert_eq!(crate::policy::normalize_guid("id", &id), Ok(id.clone()));
}
