//! Finding users by id or user principal name, in linear time for a batch: an index for many
//! lookups, a scan for a handful.

use std::collections::HashMap;

use crate::directory::User;

/// Users by lower-case id and lower-case user principal name, built once per request.
pub struct UserIndex<'a> {
    users: &'a [User],
    /// `None` for a handful of lookups, where a scan is cheaper than building the index.
    by_ref: Option<HashMap<String, &'a User>>,
}

/// Lookups up to which scanning the users beats indexing them.
const SCAN_LIMIT: usize = 8;

impl<'a> UserIndex<'a> {
    pub fn new(users: &'a [User]) -> Self {
        Self::for_lookups(users, usize::MAX)
    }

    pub fn for_lookups(users: &'a [User], lookups: usize) -> Self {
        let by_ref = (lookups > SCAN_LIMIT).then(|| {
            let mut by_ref = HashMap::with_capacity(users.len() * 2);
            for u in users {
                by_ref.insert(u.id.clone(), u);
                by_ref.insert(u.user_principal_name.to_lowercase(), u);
            }
            by_ref
        });
        UserIndex { users, by_ref }
    }

    pub fn get(&self, reference: &str) -> Option<&'a User> {
        match &self.by_ref {
            Some(map) => map.get(&reference.to_lowercase()).copied(),
            None => crate::directory::find_user(self.users, reference),
        }
    }
}
