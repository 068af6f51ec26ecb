//! When and how long to wait before trying a request again.
//!
//! The Teams admin APIs throttle (429) and have bad moments (503, 504, 408, dropped connections). The
//! server's `Retry-After` wins when it is given, in seconds or as an HTTP date; otherwise we back off
//! exponentially with full jitter, capped, so that many parallel Terraform operations do not retry in
//! lockstep. Every wait is bounded by the operation's deadline: better a clear "gave up" than a hang.

use std::time::{Duration, Instant, SystemTime};

use rand::Rng;

/// Backoff settings for one client.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// First backoff step when the server gives no `Retry-After`.
    pub base: Duration,
    /// Longest single wait, whether computed or asked for by the server.
    pub max_delay: Duration,
    /// How long one logical request may keep retrying.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            budget: Duration::from_secs(300),
        }
    }
}

/// Whether an HTTP status is worth retrying unchanged.
pub fn is_transient_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 503 | 504)
}

/// Parses a `Retry-After` header value: delta seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_finite() && seconds >= 0.0 {
            return Some(Duration::from_secs_f64(seconds));
        }
        return None;
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

impl RetryPolicy {
    /// Delay before attempt number `attempt` (1 = the first retry).
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(asked) = retry_after {
            return asked.min(self.max_delay);
        }
        let exp = self
            .base
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(16)));
        let ceiling = exp.min(self.max_delay);
        // Full jitter, but never less than a tenth of the step so we do not hammer a throttled server.
        let floor = ceiling / 10;
        let jittered = rand::thread_rng().gen_range(floor.as_secs_f64()..=ceiling.as_secs_f64());
        Duration::from_secs_f64(jittered)
    }

    /// The wait before the next attempt, or `None` when it would end past `deadline`.
    pub fn next_wait(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        deadline: Instant,
    ) -> Option<Duration> {
        let wait = self.delay(attempt, retry_after);
        (Instant::now() + wait <= deadline).then_some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("0.5", now),
            Some(Duration::from_millis(500))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(12))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy {
            base: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            budget: Duration::from_secs(60),
        };
        for attempt in 1..40 {
            let d = p.delay(attempt, None);
            let step = Duration::from_millis(100)
                .saturating_mul(2u32.saturating_pow((attempt - 1).min(16)))
                .min(Duration::from_secs(2));
            assert!(d <= step, "attempt {attempt}: {d:?} > {step:?}");
            assert!(d >= step / 10, "attempt {attempt}: {d:?} < {:?}", step / 10);
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(60))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn deadline_bounds_the_wait() {
        let p = RetryPolicy::default();
        let soon = Instant::now() + Duration::from_millis(10);
        assert_eq!(p.next_wait(1, Some(Duration::from_secs(5)), soon), None);
        let later = Instant::now() + Duration::from_secs(60);
        assert_eq!(
            p.next_wait(1, Some(Duration::from_secs(5)), later),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn transient_statuses() {
        for s in [408, 429, 503, 504] {
            assert!(is_transient_status(s));
        }
        for s in [400, 401, 403, 404, 409, 500] {
            assert!(!is_transient_status(s));
        }
    }
}
