//! Waiting out eventual consistency: a bounded retry of "not found" right after a create.
//!
//! A new resource account is not readable (and cannot receive a number) for seconds to minutes after
//! Teams accepted it (contract section 2). Anywhere else a 404 means "gone" and is never retried
//! blindly; here, and only for the duration of the caller's timeout, it means "not yet". The helper
//! takes the call as a closure that answers `Ok(None)` for "not (yet) there" and backs off between
//! tries (250 ms doubling to 5 s), so each call site states exactly which answer counts as "not yet".

use std::future::Future;
use std::time::{Duration, Instant};

/// Wait before retry number `attempt` (1-based).
pub fn consistency_delay(attempt: u32) -> Duration {
    Duration::from_millis(250)
        .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(5)))
        .min(Duration::from_secs(5))
}

/// Calls `attempt` until it returns `Ok(Some(_))`, an error, or `deadline` passes (then `Ok(None)`).
/// The result also says how many tries it took, for logs and tests.
pub async fn wait_until_found<T, E, F, Fut>(
    deadline: Instant,
    mut attempt: F,
) -> Result<(Option<T>, u32), E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, E>>,
{
    let mut tries = 0;
    loop {
        tries += 1;
        if let Some(found) = attempt().await? {
            return Ok((Some(found), tries));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok((None, tries));
        }
        tokio::time::sleep(consistency_delay(tries).min(deadline - now)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

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
