//! Users as a voice admin names them, and the index that resolves many names from one read.
//!
//! Users may be named by object id or by user principal name. Both compare case-insensitively, as
//! Entra does, and whatever spelling the user wrote stays in state. A set of users is resolved against
//! one paged read of every user (id and name), never one call per user: [`Directory`] is that read,
//! indexed. It is generic over the record so that this vocabulary knows nothing of the wire format.

use std::collections::HashMap;

use super::text::is_guid;

/// A user reference: an object id or a user principal name.
pub fn validate_user_ref(value: &str) -> Result<(), String> {
    let at = value.find('@');
    let upn_ok = at.is_some_and(|i| i > 0 && i + 1 < value.len())
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if is_guid(value) || upn_ok {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is neither an object id (GUID) nor a user principal name (name@domain)"
        ))
    }
}

/// `users` in the order import records them: by principal name, case-insensitively. A user list in
/// state is ordered, so import must not follow Graph's listing order, which a configuration (or the
/// `export` command, which writes this order) cannot know.
pub fn sorted_users(mut users: Vec<String>) -> Vec<String> {
    users.sort_by_cached_key(|u| (u.to_ascii_lowercase(), u.clone()));
    users
}

/// What the index needs of a user record.
pub trait DirectoryEntry {
    fn object_id(&self) -> &str;
    /// Empty when the service did not say.
    fn principal_name(&self) -> &str;
}

/// Every user, by lower-case object id and user principal name, from one paged read.
pub struct Directory<U> {
    users: Vec<U>,
    by_ref: HashMap<String, usize>,
}

impl<U: DirectoryEntry> Directory<U> {
    pub fn new(users: Vec<U>) -> Self {
        let mut by_ref = HashMap::with_capacity(users.len() * 2);
        for (i, u) in users.iter().enumerate() {
            by_ref.insert(u.object_id().to_lowercase(), i);
            if !u.principal_name().is_empty() {
                by_ref.insert(u.principal_name().to_lowercase(), i);
            }
        }
        Directory { users, by_ref }
    }

    pub fn get(&self, reference: &str) -> Option<&U> {
        self.by_ref
            .get(&reference.to_lowercase())
            .map(|&i| &self.users[i])
    }

    pub fn users(&self) -> &[U] {
        &self.users
    }

    /// Object ids (lower-case) for `refs`, or the references that match no user.
    pub fn resolve<'r>(&self, refs: &[&'r str]) -> Result<Vec<(&'r str, String)>, Vec<String>> {
        let mut found = Vec::with_capacity(refs.len());
        let mut missing = Vec::new();
        for r in refs {
            match self.get(r) {
                Some(u) => found.push((*r, u.object_id().to_lowercase())),
                None => missing.push(r.to_string()),
            }
        }
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(missing)
        }
    }

    /// How a user is named in messages: the principal name when known.
    pub fn display(&self, id: &str) -> String {
        self.get(id)
            .filter(|u| !u.principal_name().is_empty())
            .map(|u| u.principal_name().to_string())
            .unwrap_or_else(|| id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct User(&'static str, &'static str);
    impl DirectoryEntry for User {
        fn object_id(&self) -> &str {
            self.0
        }
        fn principal_name(&self) -> &str {
            self.1
        }
    }

    #[test]
    fn references_are_checked() {
        assert!(validate_user_ref("ann@contoso.com").is_ok());
        assert!(validate_user_ref("AAAAAAAA-0000-0000-0000-000000000001").is_ok());
        assert!(validate_user_ref("ann").is_err());
        assert!(validate_user_ref("@contoso.com").is_err());
        assert!(validate_user_ref("an n@contoso.com").is_err());
    }

    #[test]
    fn directory_resolves_ids_and_names_in_any_case() {
        let d = Directory::new(vec![
            User("AAAAAAAA-0000-0000-0000-000000000001", "Ann@contoso.com"),
            User("aaaaaaaa-0000-0000-0000-000000000002", "bob@contoso.com"),
            User("aaaaaaaa-0000-0000-0000-000000000003", ""),
        ]);
        let ok = d
            .resolve(&["ANN@contoso.com", "aaaaaaaa-0000-0000-0000-000000000002"])
            .unwrap();
        assert_eq!(ok[0].1, "aaaaaaaa-0000-0000-0000-000000000001");
        assert_eq!(
            d.resolve(&["zed@contoso.com", "ann@contoso.com"])
                .unwrap_err(),
            vec!["zed@contoso.com"]
        );
        assert_eq!(
            d.display("aaaaaaaa-0000-0000-0000-000000000002"),
            "bob@contoso.com"
        );
        assert_eq!(
            d.display("aaaaaaaa-0000-0000-0000-000000000003"),
            "aaaaaaaa-0000-0000-0000-000000000003"
        );
    }
}
