//! Every wait the client makes, on one backoff: eventual consistency, operation polling, and
//! propagation of a write into reads.
//!
//! Three things take time on the Teams admin APIs: a new resource account is not readable (and cannot
//! receive a number) for seconds to minutes (contract section 2); a number assignment is a long-running
//! operation (section 3); a grant takes 30-45 s to show in reads (section 5). Each is a loop of "try,
//! pause, try again" bounded by a deadline, and they differ only in their schedule, so one [`Wait`]
//! serves all three with a named [`Backoff`]. A server's own hint (`Retry-After` on an operation
//! poll) wins over the schedule but is capped and jittered, and no pause ever runs past the deadline: the last try
//! lands on it. Request-level retries of throttling and transient failures are the transport's
//! business (`http::retry`), not a wait's.
//!
//! A 404 elsewhere means "gone" and is never retried blindly; inside [`wait_until_found`], and only
//! until the caller's deadline, it means "not yet", and each call site states which answer counts.

use std::future::Future;
use std::time::{Duration, Instant};

use super::http::retry::jitter_above;

/// Longest wait for a write to show in reads.
pub const PROPAGATION_BOUND: Duration = Duration::from_secs(90);
/// A server's hint is believed up to this long; past it, we ask again.
const LONGEST_HINT: Duration = Duration::from_secs(30);

/// Pauses that double from `first` up to `longest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub longest: Duration,
}

impl Backoff {
    /// Reads right after a create: 250 ms doubling to 5 s.
    pub const CONSISTENCY: Backoff = Backoff {
        first: Duration::from_millis(250),
        longest: Duration::from_secs(5),
    };
    /// Polls of a long-running number operation: 250 ms doubling to 10 s.
    pub const OPERATION_POLL: Backoff = Backoff {
        first: Duration::from_millis(250),
        longest: Duration::from_secs(10),
    };
    /// Reads waiting for a grant or switch to show: 200 ms doubling to 5 s.
    pub const PROPAGATION: Backoff = Backoff {
        first: Duration::from_millis(200),
        longest: Duration::from_secs(5),
    };

    /// The pause before try number `attempt + 1`, after `attempt` (1-based) tries failed.
    pub fn delay(&self, attempt: u32) -> Duration {
        self.first
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(16)))
            .min(self.longest)
    }
}

/// `Instant::now() + bound`, clamped so that an absurd bound cannot overflow the clock.
pub fn deadline_after(bound: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(bound)
        .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 3600)))
        .unwrap_or(now)
}

/// One bounded series of tries with pauses between them.
#[derive(Debug)]
pub struct Wait {
    backoff: Backoff,
    started: Instant,
    deadline: Instant,
    pauses: u32,
}

impl Wait {
    /// A wait that ends at `deadline`.
    pub fn until(backoff: Backoff, deadline: Instant) -> Self {
        Wait {
            backoff,
            started: Instant::now(),
            deadline,
            pauses: 0,
        }
    }

    /// A wait that ends `bound` from now.
    pub fn for_at_most(backoff: Backoff, bound: Duration) -> Self {
        Wait::until(backoff, deadline_after(bound))
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// How many tries have been paused after so far.
    pub fn pauses(&self) -> u32 {
        self.pauses
    }

    /// Pauses before the next try: the server's `hint` when it gave one (capped), else the schedule,
    /// never past the deadline. `false`, without pausing, once the deadline has passed.
    pub async fn pause(&mut self, hint: Option<Duration>) -> bool {
        let now = Instant::now();
        if now >= self.deadline {
            return false;
        }
        self.pauses += 1;
        // A server's wish is capped by ours, then jittered upwards so that parallel waits on one
        // tenant do not poll in lockstep.
        let wait = hint
            .map(|h| jitter_above(h.min(LONGEST_HINT)))
            .unwrap_or_else(|| self.backoff.delay(self.pauses));
        tokio::time::sleep(wait.min(self.deadline - now)).await;
        true
    }
}

/// Calls `attempt` until it returns `Ok(Some(_))`, an error, or `deadline` passes (then `Ok(None)`),
/// pausing on the [`Backoff::CONSISTENCY`] schedule. The result also says how many tries it took,
/// for logs and tests.
pub async fn wait_until_found<T, E, F, Fut>(
    deadline: Instant,
    mut attempt: F,
) -> Result<(Option<T>, u32), E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, E>>,
{
    let mut wait = Wait::until(Backoff::CONSISTENCY, deadline);
    let mut tries = 0;
    loop {
        tries += 1;
        if let Some(found) = attempt().await? {
            return Ok((Some(found), tries));
        }
        if !wait.pause(None).await {
            return Ok((None, tries));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn schedules_double_to_their_cap() {
        assert_eq!(Backoff::OPERATION_POLL.delay(1), Duration::from_millis(250));
        assert_eq!(Backoff::OPERATION_POLL.delay(2), Duration::from_millis(500));
        assert_eq!(Backoff::OPERATION_POLL.delay(40), Duration::from_secs(10));
        assert_eq!(Backoff::CONSISTENCY.delay(u32::MAX), Duration::from_secs(5));
        assert_eq!(Backoff::PROPAGATION.delay(1), Duration::from_millis(200));
    }

    #[test]
    fn absurd_bounds_do_not_overflow() {
        assert!(deadline_after(Duration::MAX) > Instant::now());
    }

    #[tokio::test]
    async fn hints_are_capped_and_no_pause_passes_the_deadline() {
        let start = Instant::now();
        let mut wait = Wait::until(Backoff::PROPAGATION, start + Duration::from_millis(150));
        assert!(wait.pause(Some(Duration::from_secs(3600))).await);
        assert!(start.elapsed() < Duration::from_secs(2));
        assert!(!wait.pause(None).await);
        assert_eq!(wait.pauses(), 1);
    }

    #[tokio::test]
    async fn retries_until_found_then_stops() {
        let calls = Cell::new(0);
        let (found, tries) = wait_until_found(Instant::now() + Duration::from_secs(5), || {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move { Ok::<_, ()>((n >= 3).then_some(n)) }
        })
        .await
        .unwrap();
        assert_eq!((found, tries), (Some(3), 3));
    }

    #[tokio::test]
    async fn gives_up_at_the_deadline_and_passes_errors_through() {
        let start = Instant::now();
        let (found, _) = wait_until_found(start + Duration::from_millis(300), || async {
            Ok::<Option<()>, ()>(None)
        })
        .await
        .unwrap();
        assert_eq!(found, None);
        assert!(start.elapsed() < Duration::from_secs(2));
        let e = wait_until_found(start + Duration::from_secs(5), || async {
            Err::<Option<()>, &str>("boom")
        })
        .await;
        assert_eq!(e.unwrap_err(), "boom");
    }
}
