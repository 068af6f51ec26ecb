//! The tenant's directory: Entra users (people and resource accounts) and groups.
//!
//! One user model serves every API that looks at a person: Graph `/users` (names, usage location,
//! licenses), the Teams side (Enterprise Voice, application instances for resource accounts) and
//! `userConfigurations`. Seeds write users and groups in Graph's camelCase, the way an admin reads
//! them in Graph Explorer. Ids are GUIDs stored lower-case; user principal names compare
//! case-insensitively, as Entra does.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use super::policy::normalize_guid;

/// Whether a user is a person or a resource account (`userConfigurations.accountType`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AccountType {
    #[default]
    User,
    ResourceAccount,
}

/// A license assigned to a user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignedLicense {
    pub sku_id: String,
}

/// An Entra user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct User {
    pub id: String,
    pub user_principal_name: String,
    pub display_name: String,
    /// Resource accounts are disabled users.
    #[serde(default = "enabled")]
    pub account_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_location: Option<String>,
    #[serde(default)]
    pub assigned_licenses: Vec<AssignedLicense>,
    #[serde(default)]
    pub account_type: AccountType,
    /// For resource accounts: the application id that makes it an Auto Attendant or Call Queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    #[serde(default)]
    pub enterprise_voice_enabled: bool,
    /// `featureTypes` of the user's Teams configuration; unset means Teams and Teams Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_types: Option<Vec<String>>,
}

impl User {
    /// What `featureTypes` answers: the seeded list, else `["Teams", "PhoneSystem"]`.
    pub fn feature_types(&self) -> Vec<String> {
        self.feature_types.clone().unwrap_or_else(|| {
            vec![
                "Teams".to_string(),
                teamsphone_contract::PHONE_SYSTEM_FEATURE.to_string(),
            ]
        })
    }
}

fn enabled() -> bool {
    true
}

/// An Entra group; only direct members count for policy assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub display_name: String,
    /// Object ids of direct members.
    #[serde(default)]
    pub members: Vec<String>,
}

/// Whether `reference` (an object id or a user principal name, any case) names `user`.
fn names(user: &User, reference: &str) -> bool {
    user.id.eq_ignore_ascii_case(reference)
        || user.user_principal_name.eq_ignore_ascii_case(reference)
}

/// Where the user named by `reference` (object id or user principal name) sits in `users`.
pub fn user_position(users: &[User], reference: &str) -> Option<usize> {
    users.iter().position(|u| names(u, reference))
}

/// Finds a user by object id or user principal name.
pub fn find_user<'a>(users: &'a [User], reference: &str) -> Option<&'a User> {
    users.iter().find(|u| names(u, reference))
}

pub fn find_user_mut<'a>(users: &'a mut [User], reference: &str) -> Option<&'a mut User> {
    users.iter_mut().find(|u| names(u, reference))
}

/// Checks and normalises seeded users and groups: GUID ids, unique ids and names, members that exist.
/// Linear in users and members (hash sets, not a scan per user): generated tenants hold 100,000.
pub fn normalize(users: &mut [User], groups: &mut [Group]) -> Result<(), String> {
    let mut ids: HashSet<String> = HashSet::with_capacity(users.len());
    let mut names: HashSet<String> = HashSet::with_capacity(users.len());
    for user in users.iter_mut() {
        user.id = normalize_guid("users[].id", &user.id)?;
        if !user.user_principal_name.contains('@') {
            return Err(format!(
                "user {}: userPrincipalName '{}' is not of the form name@domain",
                user.id, user.user_principal_name
            ));
        }
        if let Some(app) = &user.application_id {
            user.application_id = Some(normalize_guid("applicationId", app)?);
        }
        if !ids.insert(user.id.clone())
            || !names.insert(user.user_principal_name.to_ascii_lowercase())
        {
            return Err(format!(
                "user {} ({}) is listed twice",
                user.id, user.user_principal_name
            ));
        }
    }
    let mut group_ids: HashSet<String> = HashSet::with_capacity(groups.len());
    for group in groups.iter_mut() {
        group.id = normalize_guid("groups[].id", &group.id)?;
        if !group_ids.insert(group.id.clone()) {
            return Err(format!("group {} is listed twice", group.id));
        }
        for member in group.members.iter_mut() {
            *member = normalize_guid("members[]", member)?;
            if !ids.contains(member.as_str()) {
                return Err(format!(
                    "group {}: member {member} is not a user of the tenant",
                    group.id
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, upn: &str) -> User {
        serde_json::from_value(serde_json::json!({
            "id": id, "userPrincipalName": upn, "displayName": upn
        }))
        .unwrap()
    }

    #[test]
    fn users_are_found_by_id_or_upn_in_any_case() {
        let users = vec![user(
            "aaaaaaaa-0000-0000-0000-000000000001",
            "Ann@contoso.com",
        )];
        assert!(find_user(&users, "ann@CONTOSO.com").is_some());
        assert!(find_user(&users, "AAAAAAAA-0000-0000-0000-000000000001").is_some());
        assert!(find_user(&users, "bob@contoso.com").is_none());
        assert!(
            users[0].account_enabled,
            "users are enabled unless the seed says otherwise"
        );
    }

    #[test]
    fn seeds_are_checked() {
        let mut users = vec![
            user("AAAAAAAA-0000-0000-0000-000000000001", "ann@contoso.com"),
            user("aaaaaaaa-0000-0000-0000-000000000002", "ANN@contoso.com"),
        ];
        assert!(normalize(&mut users, &mut [])
            .unwrap_err()
            .contains("twice"));
        let mut users = vec![user(
            "AAAAAAAA-0000-0000-0000-000000000001",
            "ann@contoso.com",
        )];
        let mut groups = vec![Group {
            id: "bbbbbbbb-0000-0000-0000-000000000001".into(),
            display_name: "Sales".into(),
            members: vec!["cccccccc-0000-0000-0000-000000000009".into()],
        }];
        assert!(normalize(&mut users, &mut groups)
            .unwrap_err()
            .contains("not a user"));
        assert_eq!(users[0].id, "aaaaaaaa-0000-0000-0000-000000000001");
        let mut bad = vec![user("aaaaaaaa-0000-0000-0000-000000000003", "no-at-sign")];
        assert!(normalize(&mut bad, &mut [])
            .unwrap_err()
            .contains("name@domain"));
    }
}
