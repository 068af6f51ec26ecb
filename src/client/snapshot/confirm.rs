//! Confirming writes: one rolling scan of `userConfigurations` serves every resource waiting.
//!
//! A write is confirmed when the server shows it, which takes a read made *after* the write. The
//! first design asked for a whole pass begun after each write; Terraform applies ten resources at a
//! time and each shard writes in turn, so a pass begun for one shard was already too old for the
//! next: 100 shards of 1,000 users needed 21 passes (2,121 pages) to confirm. Here a waiter needs
//! only *its own users* read after *its own write*, and the pages come from one scan that goes
//! round the tenant while anyone waits: each page read is checked against every waiter's users,
//! so a waiter whose users are on pages 40-41 is served as soon as the scan passes them, whoever
//! started it. Shards written one after another are served by one or two cycles.
//!
//! Only the users someone waits on are kept (as compact records, with the instant their page was
//! asked for), so memory follows the writes, not the tenant. A user the scan never meets in a
//! full cycle begun after the waiter arrived does not exist any more, and is left out.
//!
//! The cost rule again: a waiter with few users in a big tenant (half a pass's pages or fewer)
//! reads them one by one instead of scanning: that costs at most half a cycle, where a waiter
//! arriving just after the scan passed its pages waits for most of two.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{lock, Interner, Snapshot, TenantView, UserRecord};
use crate::client::api::policy_assignment::{ConfigurationPager, CONFIGURATION_PAGE};
use crate::client::{ApiError, Client};
use crate::domain::directory::Directory;

/// The scan's cycle under way, if any; held (a `tokio` lock) while a page is read.
#[derive(Default)]
pub(super) struct Scan {
    cycle: Option<Cycle>,
}

struct Cycle {
    started: Instant,
    pager: ConfigurationPager,
    names: Interner,
}

/// What the scan has seen of the users someone waits on.
#[derive(Default)]
pub(super) struct Seen {
    /// Lower-case user id -> how many waiters want it.
    wanted: HashMap<String, usize>,
    /// Lower-case user id -> the latest record read, and when its page was asked for.
    fresh: HashMap<String, (Instant, UserRecord)>,
    /// When the last complete cycle began.
    last_complete: Option<Instant>,
}

/// A waiter's registration; dropping it (also on error or cancellation) forgets its users.
struct Waiting<'a> {
    seen: &'a Mutex<Seen>,
    ids: Vec<String>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut seen = lock(self.seen);
        for id in &self.ids {
            if let Some(n) = seen.wanted.get_mut(id) {
                *n -= 1;
                if *n == 0 {
                    seen.wanted.remove(id);
                    seen.fresh.remove(id);
                }
            }
        }
    }
}

impl Seen {
    /// The records of `ids` read at or after `since`, once every one of them is known (or known
    /// absent: a full cycle begun after `registered` did not meet it).
    fn ready(
        &self,
        ids: &[String],
        since: Instant,
        registered: Instant,
    ) -> Option<Vec<UserRecord>> {
        let swept = self.last_complete.is_some_and(|t| t >= registered);
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            match self.fresh.get(id) {
                Some((asked, record)) if *asked >= since => out.push(record.clone()),
                _ if swept => {}
                _ => return None,
            }
        }
        Some(out)
    }
}

/// The pages a pass of `users` users takes.
fn pages_of(users: usize) -> usize {
    users / CONFIGURATION_PAGE + 1
}

impl Snapshot {
    /// Pages of a pass, as far as this process knows: its own pass, else the hint an earlier
    /// process left (`None` when neither).
    pub(super) fn pass_pages(&self) -> Option<usize> {
        lock(&self.current)
            .as_ref()
            .map(|(_, dir)| pages_of(dir.users().len()))
            .or(*lock(&self.pages_hint))
    }
}

impl Client {
    /// The server's view of `user_ids` (object ids), each read at or after `since`, with the
    /// journal over it as in any [`TenantView`]: to confirm writes made before `since` (module
    /// essay). Users that no longer exist are absent from the view.
    pub async fn confirmation_view(
        &self,
        since: Instant,
        user_ids: &[String],
    ) -> Result<TenantView, ApiError> {
        let mut ids: Vec<String> = user_ids.iter().map(|u| u.to_lowercase()).collect();
        ids.sort_unstable();
        ids.dedup();
        let snapshot = &self.snapshot;
        if snapshot.pass_pages().is_some_and(|p| ids.len() * 2 <= p) {
            return self.confirm_one_by_one(&ids).await;
        }
        let waiting = {
            let mut seen = lock(&snapshot.seen);
            for id in &ids {
                *seen.wanted.entry(id.clone()).or_default() += 1;
            }
            Waiting {
                seen: &snapshot.seen,
                ids,
            }
        };
        let registered = Instant::now();
        loop {
            if let Some(records) = lock(&snapshot.seen).ready(&waiting.ids, since, registered) {
                return Ok(snapshot.view(Arc::new(Directory::new(records))));
            }
            let mut scan = snapshot.scan.lock().await;
            // Whoever held the scan before us may have read what we need.
            if let Some(records) = lock(&snapshot.seen).ready(&waiting.ids, since, registered) {
                return Ok(snapshot.view(Arc::new(Directory::new(records))));
            }
            if let Err(e) = self.scan_one_page(&mut scan).await {
                scan.cycle = None;
                return Err(e);
            }
        }
    }

    async fn confirm_one_by_one(&self, ids: &[String]) -> Result<TenantView, ApiError> {
        let mut records = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(c) = self.get_mg_teams_user_configuration(id).await? {
                records.push(UserRecord::from_one(&c));
            }
        }
        Ok(self.snapshot.view(Arc::new(Directory::new(records))))
    }

    /// Reads the scan's next page (starting a cycle when none is under way) and keeps what it
    /// shows of wanted users.
    async fn scan_one_page(&self, scan: &mut Scan) -> Result<(), ApiError> {
        let cycle = scan.cycle.get_or_insert_with(|| Cycle {
            started: Instant::now(),
            pager: ConfigurationPager::new(self),
            names: Interner::default(),
        });
        let asked = Instant::now();
        let page = cycle.pager.next_page(self).await?.unwrap_or_default();
        let mut seen = lock(&self.snapshot.seen);
        for c in &page {
            let key = c.id.to_lowercase();
            if seen.wanted.contains_key(&key) {
                let record = UserRecord::from_configuration(c, &mut cycle.names);
                seen.fresh.insert(key, (asked, record));
            }
        }
        if cycle.pager.is_done() {
            let started = cycle.started;
            seen.last_complete = Some(seen.last_complete.map_or(started, |t| t.max(started)));
            scan.cycle = None;
        }
        Ok(())
    }
}
