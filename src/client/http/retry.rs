//! When and how long to wait before trying a request again.
//!
//! The Teams admin APIs throttle (429) and have bad moments (503, 504, 408, dropped connections). The
//! server's `Retry-After` wins when it is given, in seconds or as an HTTP date; otherwise we back off
//! exponentially with full jitter, capped, so that many parallel Terraform operations do not retry in
//! lockstep. Every wait is bounded by the operation's deadline: better a clear "gave up" than a hang.
//!
//! The header is the server's text, so its parser never panics and never trusts a number: negative,
//! NaN, infinite and unreadable values count as absent, and anything longer than [`MAX_RETRY_AFTER`]
//! (`1e20`, `18446744073709551616`, a date in the year 9999) is clamped to it. The server's wait then
//! gets a little jitter on top (never below what it asked), so that every caller throttled by the same
//! answer does not come back in the same millisecond.

use std::time::{Duration, Instant, SystemTime};

use rand::Rng;

use super::error::ApiError;

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

/// Whether a transient status leaves open whether the service acted first: 503 and 504 come from
/// a service or gateway that may have carried the request out, whereas 408 (the request was not
/// read) and 429 (throttled at the door) say it was not.
pub fn is_unsure_status(status: u16) -> bool {
    matches!(status, 503 | 504)
}

/// Longest wait a server's `Retry-After` (or any other server-supplied delay) can ask for; longer
/// values are clamped to it. The retry budget usually ends the wait sooner.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Most jitter added to a server's `Retry-After`.
const MAX_RETRY_AFTER_JITTER: Duration = Duration::from_secs(1);

/// Parses a `Retry-After` header value: delta seconds (decimals tolerated) or an HTTP date. Never
/// panics; `None` for negative, NaN, infinite or unreadable values; at most [`MAX_RETRY_AFTER`].
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // Only digits, so a failed parse can only mean "more than u64 holds": huge, not garbage.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds.min(MAX_RETRY_AFTER.as_secs())));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        // A numeral too big for f64 (`1.8e308`) parses as infinity: huge, so clamped. The words
        // `inf` and `infinity` are not numerals and stay garbage.
        if seconds == f64::INFINITY && value.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(MAX_RETRY_AFTER);
        }
        return seconds_to_duration(seconds, MAX_RETRY_AFTER);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

/// A server-supplied number of seconds as a duration of at most `max`: `None` when it is negative,
/// NaN or infinite. The checked conversion (`Duration::from_secs_f64` panics past `u64::MAX`
/// seconds) is the point.
pub fn seconds_to_duration(seconds: f64, max: Duration) -> Option<Duration> {
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    let clamped = seconds.min(max.as_secs_f64());
    Duration::try_from_secs_f64(clamped)
        .ok()
        .map(|d| d.min(max))
}

/// `asked` plus a little random jitter: up to a tenth of it, at most [`MAX_RETRY_AFTER_JITTER`].
/// Never less than `asked`, so the server's wish is always honoured.
pub fn jitter_above(asked: Duration) -> Duration {
    let most = (asked / 10).min(MAX_RETRY_AFTER_JITTER);
    if most.is_zero() {
        return asked;
    }
    let extra = rand::thread_rng().gen_range(0..=most.as_micros() as u64);
    asked.saturating_add(Duration::from_micros(extra))
}

/// The error to report once no retry is left: the error itself after a single attempt, else one
/// that says how many attempts were made over how long.
pub fn gave_up(attempts: u32, started: Instant, last: ApiError) -> ApiError {
    if attempts <= 1 {
        last
    } else {
        ApiError::RetriesExhausted {
            attempts,
            elapsed: started.elapsed(),
            last: Box::new(last),
        }
    }
}

impl RetryPolicy {
    /// Delay before attempt number `attempt` (1 = the first retry).
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(asked) = retry_after {
            // The policy's cap wins over the server (a day-long Retry-After must not park an apply),
            // then the jitter goes on top, so waiters spread out without resuming early.
            return jitter_above(asked.min(self.max_delay));
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
        let resume = Instant::now().checked_add(wait)?;
        (resume <= deadline).then_some(wait)
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
    fn hostile_retry_after_values_never_panic() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        // These panicked in Duration::from_secs_f64 before the values were checked.
        for huge in [
            "1e20",
            "18446744073709551616",
            "18446744073709551615",
            "99999999999999999999999999999",
            "1.8e308",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            assert_eq!(
                parse_retry_after(huge, now),
                Some(MAX_RETRY_AFTER),
                "{huge}"
            );
        }
        for absent in [
            "-5", "-0.5", "NaN", "nan", "inf", "-inf", "infinity", "", "  ", "5s", "0x10", "1e",
            "\u{0}",
        ] {
            assert_eq!(parse_retry_after(absent, now), None, "{absent:?}");
        }
        assert_eq!(
            seconds_to_duration(f64::MAX, Duration::from_secs(9)),
            Some(Duration::from_secs(9))
        );
        assert_eq!(
            seconds_to_duration(-0.0, Duration::from_secs(9)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_gets_bounded_jitter_never_below_the_server() {
        let p = RetryPolicy::default();
        let asked = Duration::from_secs(5);
        let waits: Vec<Duration> = (0..200).map(|_| p.delay(1, Some(asked))).collect();
        for w in &waits {
            assert!(*w >= asked && *w <= asked + asked / 10, "{w:?}");
        }
        assert!(
            waits.iter().any(|w| *w != waits[0]),
            "200 waits were all {:?}: no jitter",
            waits[0]
        );
        assert!(jitter_above(Duration::from_secs(3000)) <= Duration::from_secs(3001));
        assert_eq!(jitter_above(Duration::ZERO), Duration::ZERO);
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
        let capped = p.delay(1, Some(Duration::from_secs(60)));
        assert!(capped >= Duration::from_secs(2) && capped <= Duration::from_millis(2200));
    }

    #[test]
    fn deadline_bounds_the_wait() {
        let p = RetryPolicy::default();
        let soon = Instant::now() + Duration::from_millis(10);
        assert_eq!(p.next_wait(1, Some(Duration::from_secs(5)), soon), None);
        let later = Instant::now() + Duration::from_secs(60);
        let wait = p.next_wait(1, Some(Duration::from_secs(5)), later).unwrap();
        assert!(wait >= Duration::from_secs(5) && wait <= Duration::from_millis(5500));
    }

    #[test]
    fn transient_statuses() {
        for s in [408, 429, 503, 504] {
            assert!(is_transient_status(s));
        }
        for s in [400, 401, 403, 404, 409, 500] {
            assert!(!is_transient_status(s));
        }
        for s in [503, 504] {
            assert!(is_unsure_status(s));
        }
        for s in [408, 429, 500] {
            assert!(!is_unsure_status(s));
        }
    }
}
