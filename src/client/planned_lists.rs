//! Which users the policy assignment sets planned in this provider process list, per policy type:
//! so that two sets (two shards, or two policies of one type) that both list a user fail at plan
//! time instead of undoing each other's grant on every apply.
//!
//! A user holds one policy of a type. When two sets of one type list the same user, each apply
//! grants it once for each set, the last write wins, and the next refresh shows the other set
//! drifted: a plan that never settles. Terraform plans every resource instance of a configuration
//! in one provider process and asks each once, and each tenant has its own [`Client`], so a
//! per-client list of what each planned set lists sees every overlap in the tenant's
//! configuration. The lists hold references as written (lower case), or the object id when this
//! process has already read the user, so that a principal name in one set and the object id in
//! another are still found.

use std::collections::HashMap;
use std::sync::Mutex;

use super::Client;

/// Per lower-case policy type: each listed user's key, and which planned set (a number) lists it.
#[derive(Default)]
pub struct PlannedLists {
    inner: Mutex<Listed>,
}

#[derive(Default)]
struct Listed {
    sets: usize,
    by_type: HashMap<String, HashMap<String, usize>>,
}

impl Client {
    /// Records the users a set of `policy_type` plans to hold; answers those that another set
    /// planned in this process lists too (as this set wrote them).
    pub fn list_planned_users<'r>(&self, policy_type: &str, refs: &[&'r str]) -> Vec<&'r str> {
        let known = self.snapshot_directory();
        let key = |r: &str| {
            known
                .as_ref()
                .and_then(|dir| dir.get(r))
                .map_or_else(|| r.to_lowercase(), |u| u.id().to_lowercase())
        };
        let mut listed = self
            .planned_lists
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        listed.sets += 1;
        let this = listed.sets;
        let users = listed
            .by_type
            .entry(policy_type.to_lowercase())
            .or_default();
        let mut shared = Vec::new();
        for r in refs {
            let owner = *users.entry(key(r)).or_insert(this);
            if owner != this {
                shared.push(*r);
            }
        }
        shared
    }
}
