//! The Terraform model of a policy assignment set and the pure rules over one directory read: who
//! holds the policy directly, what a change removes, in which order import records users. Users
//! compare case-insensitively, as Entra does ([`Equality`]).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use tf_provider::value::{Value, ValueNumber, ValueString};

use crate::client::snapshot::TenantView;
use crate::domain::directory::sorted_users;
use crate::domain::text::is_guid;
use crate::framework::bindings::UserRefs;
use crate::framework::equality::Equality;
use crate::framework::values::owned;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Model<'a> {
    pub id: ValueString<'a>,
    pub policy_type: ValueString<'a>,
    pub policy_name: ValueString<'a>,
    pub user_ids: UserRefs<'a>,
    pub max_unassign: ValueNumber,
}

/// Most users one change may take the policy from unless `max_unassign` says otherwise: a typo in a
/// variable must not silently strip Shared Calling from a whole office.
pub const DEFAULT_MAX_UNASSIGN: i64 = 500;

/// Users in `prior` that `planned` no longer lists (case-insensitive, as Entra compares).
pub fn removed_users(prior: &[&str], planned: &[&str]) -> usize {
    let key = |u: &&str| Equality::CaseInsensitive.key(u);
    let keep: HashSet<String> = planned.iter().map(key).collect();
    prior.iter().filter(|u| !keep.contains(&key(u))).count()
}

/// What a change does to a set listed by object id: the lower-case ids it adds and removes.
#[derive(Debug, PartialEq, Eq)]
pub struct ChangeById {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// The users `planned` adds to `prior` and those it removes, when every one of them is an object
/// id: then they can be written without reading the tenant (a principal name needs the directory
/// to become an id). `None` when one of them is a principal name. Members in both are left alone:
/// the plan's refresh found them holding the policy.
pub fn change_by_object_id(prior: &[&str], planned: &[&str]) -> Option<ChangeById> {
    let key = |u: &&str| Equality::CaseInsensitive.key(u);
    let before: HashSet<String> = prior.iter().map(key).collect();
    let after: HashSet<String> = planned.iter().map(key).collect();
    let only = |from: &[&str], other: &HashSet<String>| -> Option<Vec<String>> {
        let mut seen = HashSet::new();
        from.iter()
            .map(key)
            .filter(|k| !other.contains(k) && seen.insert(k.clone()))
            .map(|k| is_guid(&k).then_some(k))
            .collect()
    };
    Some(ChangeById {
        added: only(planned, &before)?,
        removed: only(prior, &after)?,
    })
}

/// `<policy type>/<policy name>`.
pub fn id_of(policy_type: &str, name: &str) -> String {
    format!("{policy_type}/{name}")
}

/// The id when type and name are known at plan time.
pub fn planned_id(model: &Model<'_>) -> ValueString<'static> {
    match (
        model.policy_type.as_deref_option(),
        model.policy_name.as_deref_option(),
    ) {
        (Some(t), Some(n)) => owned(id_of(t, n)),
        _ => Value::Unknown,
    }
}

/// Whether the user `reference` (object id or principal name) holds `name` directly.
/// This process's own writes count (see `client::snapshot`).
pub fn holds(dir: &TenantView, reference: &str, policy_type: &str, name: &str) -> bool {
    dir.holds(reference, policy_type, name)
}

/// The members of `refs` (as written) that hold the policy directly.
pub fn holding_members(
    dir: &TenantView,
    refs: &[&str],
    policy_type: &str,
    name: &str,
) -> Vec<String> {
    refs.iter()
        .filter(|r| holds(dir, r, policy_type, name))
        .map(|r| r.to_string())
        .collect()
}

/// Every user holding the policy directly, by principal name (import), in [`sorted_users`] order.
pub fn all_holders(dir: &TenantView, policy_type: &str, name: &str) -> Vec<String> {
    let holders = dir
        .all_users()
        .iter()
        .filter(|c| {
            c.direct_policy(policy_type)
                .is_some_and(|p| Equality::CaseInsensitive.same(p, name))
        })
        .map(|c| c.name().to_string())
        .collect();
    sorted_users(holders)
}

#[cfg(test)]
mod tests {
    #[test]
    fn removals_are_counted_case_insensitively() {
        use super::removed_users;
        let prior = ["Ann@contoso.com", "bob@contoso.com", "cy@contoso.com"];
        assert_eq!(
            removed_users(&prior, &["ann@CONTOSO.com", "cy@contoso.com"]),
            1
        );
        assert_eq!(removed_users(&prior, &[]), 3);
        assert_eq!(removed_users(&[], &["ann@contoso.com"]), 0);
    }

    #[test]
    fn a_change_by_object_id_is_what_it_adds_and_removes_and_a_name_rules_it_out() {
        use super::{change_by_object_id, ChangeById};
        let a = "0a0a0a0a-0000-4000-8000-00000000000a";
        let b = "0B0B0B0B-0000-4000-8000-00000000000B";
        let c = "0c0c0c0c-0000-4000-8000-00000000000c";
        assert_eq!(
            change_by_object_id(&[a, b], &[&b.to_lowercase(), c, c]),
            Some(ChangeById {
                added: vec![c.to_string()],
                removed: vec![a.to_string()],
            })
        );
        // Unchanged members may be named: only what changes must be an id.
        assert!(change_by_object_id(&["ann@contoso.com", a], &["ann@contoso.com"]).is_some());
        assert_eq!(change_by_object_id(&[a], &[a, "bob@contoso.com"]), None);
        assert_eq!(change_by_object_id(&["bob@contoso.com"], &[a]), None);
    }

    #[test]
    fn import_order_is_by_principal_name_whatever_graph_lists() {
        let listed = ["zoe@contoso.com", "Bob@contoso.com", "ann@contoso.com"];
        assert_eq!(
            super::sorted_users(listed.iter().map(|u| u.to_string()).collect()),
            ["ann@contoso.com", "Bob@contoso.com", "zoe@contoso.com"]
        );
    }

    use super::*;
    use crate::client::api::policy_assignment::{
        EffectivePolicyAssignment, PolicyAssignment, TeamsUserConfiguration,
    };

    fn user(id: &str, upn: &str, policy: Option<(&str, &str)>) -> TeamsUserConfiguration {
        TeamsUserConfiguration {
            id: id.into(),
            user_principal_name: upn.into(),
            effective_policy_assignments: vec![EffectivePolicyAssignment {
                policy_type: "TeamsSharedCallingRoutingPolicy".into(),
                policy_assignment: Some(PolicyAssignment {
                    display_name: Some(policy.map_or("Global", |p| p.0).into()),
                    assignment_type: Some(policy.map_or("direct", |p| p.1).into()),
                    ..Default::default()
                }),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn only_direct_holders_count_and_spelling_is_kept() {
        let dir = TenantView::of(&[
            user(
                "aaaaaaaa-0000-0000-0000-000000000001",
                "ann@contoso.com",
                Some(("Seattle", "direct")),
            ),
            user(
                "aaaaaaaa-0000-0000-0000-000000000002",
                "bob@contoso.com",
                Some(("Seattle", "group")),
            ),
            user(
                "aaaaaaaa-0000-0000-0000-000000000003",
                "cy@contoso.com",
                None,
            ),
            user(
                "aaaaaaaa-0000-0000-0000-000000000004",
                "di@contoso.com",
                Some(("seattle", "direct")),
            ),
        ]);
        let t = "TeamsSharedCallingRoutingPolicy";
        let refs = [
            "ANN@contoso.com",
            "bob@contoso.com",
            "cy@contoso.com",
            "gone@contoso.com",
        ];
        assert_eq!(
            holding_members(&dir, &refs, t, "Seattle"),
            vec!["ANN@contoso.com"]
        );
        assert_eq!(
            all_holders(&dir, t, "Seattle"),
            vec!["ann@contoso.com", "di@contoso.com"]
        );
    }
}
