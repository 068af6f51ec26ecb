//! The tenant snapshot: one paged `userConfigurations` pass per tenant per provider process, shared
//! by every resource and data source that needs to know who holds what.
//!
//! Terraform runs each plan and each apply in a fresh provider process, and within a process every
//! resource instance asks separately. A 100,000-user tenant is 100 pages; 100 shards each reading
//! it would be 10,000 requests per plan. So the [`Client`] owns one [`Snapshot`]:
//!
//! - **One pass, single-flight.** The first caller reads; concurrent callers wait on the same
//!   `tokio` lock and then find the pass done (like the token cache in `auth`). A complete pass is
//!   published apart from that lock, so a confirmation pass under way never holds up a resource
//!   that the current pass serves. A pass is kept as
//!   compact [`UserRecord`]s (ids, principal name, three flags, direct grants with interned policy
//!   names, and the group grants of the two types the readiness rule needs), not the raw JSON:
//!   about 150 bytes a user.
//! - **Never stale after our own writes.** Every write this process makes (grants, revokes,
//!   Enterprise Voice switches) goes into a journal that every later answer applies over the pass,
//!   so a decision taken after a write sees it even while Teams still shows the old value (grants
//!   take 30-45 s to show). A pass is process-local and begins empty, so plan (its own process)
//!   always reads the tenant as it is now, and drift is found.
//! - **Confirmation reads the server.** Waiting for a write to show asks for the written users as
//!   read *after the write* ([`Client::confirmation_view`], see [`confirm`]) and compares without
//!   the journal; every waiter is served by one rolling scan, so a hundred shards confirming
//!   share one or two cycles, not a pass each.
//! - **Shards never fight.** Sets on one policy type write one at a time in this process
//!   ([`Client::assignment_writes`]) and claim the users they plan to hold; a revoke skips a user
//!   another set (or per-user assignment) of this process claims, and a grant decided after a
//!   revoke sees the revoke in the journal. So a user moved from one shard to another in one apply
//!   ends granted, whichever shard Terraform applies first.
//!
//! **The cost rule.** A run that needs a few users of a big tenant (a handful of
//! `teamsphone_user_policy_assignment`s) is cheaper read per user; a run that needs many is cheaper
//! as one pass. Which one is not known in advance: the number of users needed is unknown until the
//! run ends, and the pages of a pass until the pass ends. [`Client::user_record`] therefore pays
//! for both at the same rate: each user it cannot answer yet costs one direct read *and* advances
//! the pass by one page; users on pages already read, and every user once the pass is complete,
//! cost nothing. With `n` users needed and `P` pages in a pass, that is at most `2n` requests when
//! `n < P` and at most `2P` otherwise: never more than twice the cheaper plan. (1,000 per-user
//! resources in a 1,010-user tenant: two direct reads and two pages, then the pass answers the rest.)
//! An apply that decides from the plan's refresh makes no pass of its own; it learns the pages of
//! one from the refresh's private state ([`Client::note_pass_pages`]), so that confirming a few
//! writes still reads them one by one.

use std::collections::{HashMap, HashSet};
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

mod confirm;

use super::api::policy_assignment::{ConfigurationPager, TeamsUserConfiguration};
use super::{ApiError, Client};
use crate::domain::directory::{Directory, DirectoryEntry};
use crate::domain::readiness::{has_teams_phone, VoiceFacts, READINESS_TYPES};
use teamsphone_contract::{EMERGENCY_CALL_ROUTING_POLICY_TYPE, SHARED_CALLING_POLICY_TYPE};

/// Every Teams user of a tenant, indexed by object id and principal name.
pub type UserDirectory = Directory<UserRecord>;

/// What the provider keeps of one user: enough to resolve names and decide grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    id: Box<str>,
    principal_name: Box<str>,
    voice: bool,
    numbered: bool,
    /// Licensed for Teams Phone (`featureTypes` has `PhoneSystem`).
    teams_phone: bool,
    /// Direct grants other than `Global`: (policy type, bare policy name), both interned.
    direct: Box<[(Arc<str>, Arc<str>)]>,
    /// Of the types the readiness rule looks at only (`domain::readiness::READINESS_TYPES`), the
    /// policy in effect through a group when there is no direct grant. Other types' group grants
    /// are dropped: nothing reads them, and 100,000 users would pay for them.
    inherited: Box<[(Arc<str>, Arc<str>)]>,
}

impl DirectoryEntry for UserRecord {
    fn object_id(&self) -> &str {
        &self.id
    }
    fn principal_name(&self) -> &str {
        &self.principal_name
    }
}

/// Shares one allocation per distinct policy type and name across a pass.
#[derive(Default)]
struct Interner(HashSet<Arc<str>>);

impl Interner {
    fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(found) = self.0.get(s) {
            return found.clone();
        }
        let new: Arc<str> = Arc::from(s);
        self.0.insert(new.clone());
        new
    }
}

impl UserRecord {
    fn from_configuration(c: &TeamsUserConfiguration, names: &mut Interner) -> Self {
        let mut types: Vec<&str> = c
            .effective_policy_assignments
            .iter()
            .map(|e| e.policy_type.as_str())
            .collect();
        types.sort_unstable_by_key(|t| t.to_ascii_lowercase());
        types.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let direct = types
            .into_iter()
            .filter_map(|t| c.direct_policy(t).map(|n| (names.get(t), names.get(n))))
            .collect();
        let inherited = READINESS_TYPES
            .iter()
            .filter(|t| c.direct_policy(t).is_none())
            .filter_map(|t| c.effective_policy(t).map(|n| (names.get(t), names.get(n))))
            .collect();
        UserRecord {
            id: c.id.as_str().into(),
            principal_name: c.user_principal_name.as_str().into(),
            voice: c.is_enterprise_voice_enabled,
            numbered: c.holds_a_number(),
            teams_phone: has_teams_phone(&c.feature_types),
            direct,
            inherited,
        }
    }

    /// A record from a direct read of one user.
    pub fn from_one(c: &TeamsUserConfiguration) -> Self {
        UserRecord::from_configuration(c, &mut Interner::default())
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The principal name, else the object id.
    pub fn name(&self) -> &str {
        if self.principal_name.is_empty() {
            &self.id
        } else {
            &self.principal_name
        }
    }

    pub fn is_enterprise_voice_enabled(&self) -> bool {
        self.voice
    }

    pub fn holds_a_number(&self) -> bool {
        self.numbered
    }

    pub fn has_teams_phone(&self) -> bool {
        self.teams_phone
    }

    /// The bare name of the policy of `policy_type` in effect, directly (counting this process's
    /// writes) or through a group; `None` for none or `Global`. Group grants are kept only for
    /// the readiness types.
    pub fn policy_in_effect(&self, policy_type: &str) -> Option<&str> {
        self.direct_policy(policy_type).or_else(|| {
            self.inherited
                .iter()
                .find(|(t, _)| t.eq_ignore_ascii_case(policy_type))
                .map(|(_, n)| &**n)
        })
    }

    /// What the readiness rule needs of this user (`domain::readiness`).
    pub fn voice_facts(&self) -> VoiceFacts<'_> {
        VoiceFacts {
            enterprise_voice: self.voice,
            teams_phone: self.teams_phone,
            own_number: self.numbered,
            emergency_policy: self.policy_in_effect(EMERGENCY_CALL_ROUTING_POLICY_TYPE),
            shared_calling_policy: self.policy_in_effect(SHARED_CALLING_POLICY_TYPE),
        }
    }

    /// The bare name of the policy of `policy_type` this user holds directly, as the pass saw it.
    pub fn direct_policy(&self, policy_type: &str) -> Option<&str> {
        self.direct
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(policy_type))
            .map(|(_, n)| &**n)
    }

    /// This record with the process's own writes applied.
    fn with_journal(&self, journal: &Journal) -> UserRecord {
        let mut out = self.clone();
        let key = self.id.to_lowercase();
        if let Some(&on) = journal.voice.get(&key) {
            out.voice = on;
        }
        if let Some(types) = journal.policies.get(&key) {
            let mut direct: Vec<(Arc<str>, Arc<str>)> = out
                .direct
                .iter()
                .filter(|(t, _)| !types.contains_key(&t.to_lowercase()))
                .cloned()
                .collect();
            for (t, name) in types {
                if let Some(name) = name {
                    direct.push((Arc::from(t.as_str()), name.clone()));
                }
            }
            out.direct = direct.into();
        }
        out
    }
}

/// What this process wrote, by lower-case user id, and which users its resources claim.
#[derive(Default)]
struct Journal {
    /// Per user, per lower-case policy type: the policy granted, or `None` when revoked.
    policies: HashMap<String, HashMap<String, Option<Arc<str>>>>,
    voice: HashMap<String, bool>,
    /// Per lower-case policy type, the users some resource of this process plans to hold it.
    claims: HashMap<String, HashSet<String>>,
}

/// One pass with the journal over it. Dereferences to the pass as read ([`UserDirectory`]); the
/// methods below answer with this process's writes applied.
pub struct TenantView {
    dir: Arc<UserDirectory>,
    journal: Arc<Mutex<Journal>>,
}

impl Deref for TenantView {
    type Target = UserDirectory;
    fn deref(&self) -> &UserDirectory {
        &self.dir
    }
}

impl TenantView {
    /// A view of `configurations` with an empty journal, for unit tests of rules over a view.
    #[cfg(test)]
    pub fn of(configurations: &[TeamsUserConfiguration]) -> TenantView {
        let mut names = Interner::default();
        let users = configurations
            .iter()
            .map(|c| UserRecord::from_configuration(c, &mut names))
            .collect();
        TenantView {
            dir: Arc::new(Directory::new(users)),
            journal: Arc::default(),
        }
    }

    /// The user `reference` names, with this process's writes applied.
    pub fn user(&self, reference: &str) -> Option<UserRecord> {
        let record = self.dir.get(reference)?;
        Some(record.with_journal(&lock(&self.journal)))
    }

    /// Whether `reference` holds `name` of `policy_type` directly, counting our own writes.
    pub fn holds(&self, reference: &str, policy_type: &str, name: &str) -> bool {
        self.user(reference)
            .is_some_and(|u| u.direct_policy(policy_type).is_some_and(|p| same(p, name)))
    }

    /// Whether the pass itself (the server, without our journal) shows the grant.
    pub fn server_holds(&self, reference: &str, policy_type: &str, name: &str) -> bool {
        self.dir
            .get(reference)
            .is_some_and(|u| u.direct_policy(policy_type).is_some_and(|p| same(p, name)))
    }

    /// Every user, with our own writes applied, in the order of the pass.
    pub fn all_users(&self) -> Vec<UserRecord> {
        let journal = lock(&self.journal);
        self.dir
            .users()
            .iter()
            .map(|u| u.with_journal(&journal))
            .collect()
    }
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A pass under way, page by page (the cost rule spreads it over direct reads).
struct Partial {
    started: Instant,
    pager: ConfigurationPager,
    users: Vec<UserRecord>,
    by_id: HashMap<String, usize>,
    names: Interner,
}

impl Partial {
    fn new(client: &Client) -> Self {
        Partial {
            started: Instant::now(),
            pager: ConfigurationPager::new(client),
            users: Vec::new(),
            by_id: HashMap::new(),
            names: Interner::default(),
        }
    }

    /// Reads one more page; true when the pass is complete.
    async fn advance(&mut self, client: &Client) -> Result<bool, ApiError> {
        if let Some(page) = self.pager.next_page(client).await? {
            for c in &page {
                self.by_id.insert(c.id.to_lowercase(), self.users.len());
                self.users
                    .push(UserRecord::from_configuration(c, &mut self.names));
            }
        }
        Ok(self.pager.is_done())
    }
}

/// A complete pass: when it began, and what it read.
type Pass = (Instant, Arc<UserDirectory>);

/// The pass under way, if any; held (a `tokio` lock) while a page is read, so that callers wait on
/// the one read in flight.
#[derive(Default)]
struct Reading {
    partial: Option<Partial>,
}

/// The per-client snapshot (see the module essay).
#[derive(Default)]
pub struct Snapshot {
    /// The latest complete pass, readable without waiting for a read in flight: a confirmation
    /// pass under way must not hold up resources that are content with the current one.
    current: Mutex<Option<Pass>>,
    reading: tokio::sync::Mutex<Reading>,
    journal: Arc<Mutex<Journal>>,
    writes: tokio::sync::Mutex<()>,
    /// The confirmation scan ([`confirm`]) and what it has seen of the users waited on.
    scan: tokio::sync::Mutex<confirm::Scan>,
    seen: Mutex<confirm::Seen>,
    /// The pages of a pass as an earlier process (the plan's refresh) found them, for the cost
    /// rule of a process that has made no pass of its own.
    pages_hint: Mutex<Option<usize>>,
}

impl Snapshot {
    fn view(&self, dir: Arc<UserDirectory>) -> TenantView {
        TenantView {
            dir,
            journal: self.journal.clone(),
        }
    }

    /// The current pass, if it began at or after `not_before`.
    fn current(&self, not_before: Option<Instant>) -> Option<Arc<UserDirectory>> {
        lock(&self.current)
            .as_ref()
            .filter(|(started, _)| not_before.is_none_or(|t| *started >= t))
            .map(|(_, dir)| dir.clone())
    }

    fn publish(&self, started: Instant, users: Vec<UserRecord>) -> Arc<UserDirectory> {
        let dir = Arc::new(Directory::new(users));
        let mut current = lock(&self.current);
        // A later pass may have been published meanwhile; keep the newer one.
        if current.as_ref().is_none_or(|(t, _)| *t <= started) {
            *current = Some((started, dir.clone()));
        }
        dir
    }
}

/// Finishes the pass under way (or a new one, when that began before `not_before`) and publishes it.
async fn complete(
    client: &Client,
    reading: &mut Reading,
    not_before: Option<Instant>,
) -> Result<Arc<UserDirectory>, ApiError> {
    let mut partial = match reading.partial.take() {
        Some(p) if not_before.is_none_or(|t| p.started >= t) => p,
        _ => Partial::new(client),
    };
    while !partial.advance(client).await? {}
    Ok(client.snapshot.publish(partial.started, partial.users))
}

impl Client {
    /// The tenant as one pass shows it, with this process's writes applied: the pass already made
    /// in this process, else one read now (concurrent callers share it).
    pub async fn tenant_view(&self) -> Result<TenantView, ApiError> {
        self.tenant_view_after(None).await
    }

    /// A pass that started at or after `since` (to confirm a write made then): the current one if
    /// it is recent enough, else a new one, which then serves everyone.
    pub async fn tenant_view_since(&self, since: Instant) -> Result<TenantView, ApiError> {
        self.tenant_view_after(Some(since)).await
    }

    async fn tenant_view_after(&self, since: Option<Instant>) -> Result<TenantView, ApiError> {
        if let Some(dir) = self.snapshot.current(since) {
            return Ok(self.snapshot.view(dir));
        }
        let mut reading = self.snapshot.reading.lock().await;
        // Whoever held the lock before us may have read what we need.
        if let Some(dir) = self.snapshot.current(since) {
            return Ok(self.snapshot.view(dir));
        }
        let dir = complete(self, &mut reading, since).await?;
        Ok(self.snapshot.view(dir))
    }

    /// How many pages a pass of this tenant takes, as far as this process knows: from its own
    /// pass, else from [`Client::note_pass_pages`]; `None` when it knows neither.
    pub fn pass_pages(&self) -> Option<usize> {
        self.snapshot.pass_pages()
    }

    /// Tells the cost rule how many pages a pass took in an earlier process (a resource's
    /// refresh records it in private state), so that confirming a few writes reads them one by
    /// one instead of scanning a tenant this process has not read.
    pub fn note_pass_pages(&self, pages: usize) {
        // Zero is no figure (a memo of another version): the cost rule then scans, as it would.
        if pages > 0 {
            lock(&self.snapshot.pages_hint).get_or_insert(pages);
        }
    }

    /// The pass this process has completed, if any, without reading (as the server showed it).
    pub(crate) fn snapshot_directory(&self) -> Option<Arc<UserDirectory>> {
        self.snapshot.current(None)
    }

    /// One user by object id, with our writes applied, at the cost the module essay's rule sets:
    /// from the pass when it has the user, else a direct read that also advances the pass a page.
    pub async fn user_record(&self, object_id: &str) -> Result<Option<UserRecord>, ApiError> {
        let key = object_id.to_lowercase();
        if let Some(dir) = self.snapshot.current(None) {
            return Ok(self.snapshot.view(dir).user(&key));
        }
        {
            let mut reading = self.snapshot.reading.lock().await;
            if let Some(dir) = self.snapshot.current(None) {
                return Ok(self.snapshot.view(dir).user(&key));
            }
            let journal = &self.snapshot.journal;
            let partial = reading.partial.get_or_insert_with(|| Partial::new(self));
            if let Some(&i) = partial.by_id.get(&key) {
                return Ok(Some(partial.users[i].with_journal(&lock(journal))));
            }
            if partial.advance(self).await? {
                let done = reading.partial.take().expect("a pass under way");
                let dir = self.snapshot.publish(done.started, done.users);
                return Ok(self.snapshot.view(dir).user(&key));
            }
            if let Some(&i) = partial.by_id.get(&key) {
                return Ok(Some(partial.users[i].with_journal(&lock(journal))));
            }
        }
        Ok(self
            .get_mg_teams_user_configuration(object_id)
            .await?
            .map(|c| UserRecord::from_one(&c).with_journal(&lock(&self.snapshot.journal))))
    }

    /// Held while a resource decides and sends policy-assignment writes, so that two resources of
    /// this process never decide on the same user from the same stale view.
    pub async fn assignment_writes(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.snapshot.writes.lock().await
    }

    /// Records that a resource of this process plans `user_ids` (lower-case) to hold `policy_type`.
    pub fn claim_users(&self, policy_type: &str, user_ids: &[String]) {
        let mut journal = lock(&self.snapshot.journal);
        let claims = journal
            .claims
            .entry(policy_type.to_lowercase())
            .or_default();
        claims.extend(user_ids.iter().map(|u| u.to_lowercase()));
    }

    /// Whether a resource of this process plans `user_id` to hold `policy_type`.
    pub fn is_claimed(&self, policy_type: &str, user_id: &str) -> bool {
        lock(&self.snapshot.journal)
            .claims
            .get(&policy_type.to_lowercase())
            .is_some_and(|c| c.contains(&user_id.to_lowercase()))
    }

    /// Records accepted writes: `name` granted (or, with `None`, the type revoked) for `user_ids`.
    pub fn note_policy_writes(&self, policy_type: &str, name: Option<&str>, user_ids: &[String]) {
        let mut journal = lock(&self.snapshot.journal);
        let name: Option<Arc<str>> = name.map(Arc::from);
        for u in user_ids {
            journal
                .policies
                .entry(u.to_lowercase())
                .or_default()
                .insert(policy_type.to_lowercase(), name.clone());
        }
    }

    /// Records accepted Enterprise Voice switches.
    pub fn note_voice_writes(&self, user_ids: &[String], on: bool) {
        let mut journal = lock(&self.snapshot.journal);
        for u in user_ids {
            journal.voice.insert(u.to_lowercase(), on);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configuration(id: &str, grants: serde_json::Value) -> TeamsUserConfiguration {
        serde_json::from_value(serde_json::json!({
            "id": id, "userPrincipalName": format!("{id}@contoso.com"),
            "isEnterpriseVoiceEnabled": false, "effectivePolicyAssignments": grants
        }))
        .unwrap()
    }

    #[test]
    fn records_keep_direct_grants_only_and_intern_names() {
        let mut names = Interner::default();
        let grants = serde_json::json!([
            {"policyType": "TeamsSharedCallingRoutingPolicy",
             "policyAssignment": {"displayName": "Tag:Seattle", "assignmentType": "direct"}},
            {"policyType": "TeamsEmergencyCallRoutingPolicy",
             "policyAssignment": {"displayName": "E911", "assignmentType": "group"}},
            {"policyType": "TenantDialPlan",
             "policyAssignment": {"displayName": "Global", "assignmentType": "direct"}}
        ]);
        let a = UserRecord::from_configuration(&configuration("a", grants.clone()), &mut names);
        let b = UserRecord::from_configuration(&configuration("b", grants), &mut names);
        assert_eq!(
            a.direct_policy("teamssharedcallingroutingpolicy"),
            Some("Seattle")
        );
        assert_eq!(a.direct_policy("TeamsEmergencyCallRoutingPolicy"), None);
        assert_eq!(a.direct_policy("TenantDialPlan"), None);
        assert!(Arc::ptr_eq(&a.direct[0].1, &b.direct[0].1));
        // A group grant counts for readiness, of the readiness types only.
        assert_eq!(
            a.policy_in_effect("TeamsEmergencyCallRoutingPolicy"),
            Some("E911")
        );
        assert_eq!(a.voice_facts().emergency_policy, Some("E911"));
        assert_eq!(a.voice_facts().shared_calling_policy, Some("Seattle"));
        assert!(!a.has_teams_phone() && !a.voice_facts().enterprise_voice);
    }

    #[test]
    fn group_grants_of_other_types_are_not_kept() {
        let grants = serde_json::json!([
            {"policyType": "TenantDialPlan",
             "policyAssignment": {"displayName": "Tag:Seattle-DP", "assignmentType": "group"}},
            {"policyType": "TeamsEmergencyCallRoutingPolicy",
             "policyAssignment": {"displayName": "Global", "assignmentType": "group"}}
        ]);
        let a = UserRecord::from_one(&configuration("a", grants));
        assert!(a.inherited.is_empty());
        assert_eq!(a.policy_in_effect("TenantDialPlan"), None);
        assert_eq!(a.voice_facts().emergency_policy, None);
    }

    #[test]
    fn the_journal_overrides_the_pass() {
        let mut names = Interner::default();
        let grants = serde_json::json!([
            {"policyType": "TeamsSharedCallingRoutingPolicy",
             "policyAssignment": {"displayName": "Seattle", "assignmentType": "direct"}}
        ]);
        let a = UserRecord::from_configuration(&configuration("A", grants), &mut names);
        let mut journal = Journal::default();
        journal
            .policies
            .entry("a".into())
            .or_default()
            .insert("teamssharedcallingroutingpolicy".into(), None);
        journal.voice.insert("a".into(), true);
        let now = a.with_journal(&journal);
        assert_eq!(now.direct_policy("TeamsSharedCallingRoutingPolicy"), None);
        assert!(now.is_enterprise_voice_enabled());
        journal.policies.get_mut("a").unwrap().insert(
            "teamssharedcallingroutingpolicy".into(),
            Some("Tacoma".into()),
        );
        let now = a.with_journal(&journal);
        assert_eq!(
            now.direct_policy("TeamsSharedCallingRoutingPolicy"),
            Some("Tacoma")
        );
        // The pass itself is untouched: confirmation compares against it.
        assert_eq!(
            a.direct_policy("TeamsSharedCallingRoutingPolicy"),
            Some("Seattle")
        );
    }
}
