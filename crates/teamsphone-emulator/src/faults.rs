//! Injected faults: what the real APIs do on a bad day, on demand.
//!
//! The Teams admin APIs throttle (429, with or without `Retry-After`), answer 503/504, drop
//! connections, answer slowly, and sometimes carry out a write whose answer never arrives. Each fault
//! is a percentage of API requests (login and admin paths are never faulted), optionally narrowed to
//! some methods or paths, set in the seed's `settings.faults`, with `--faults JSON`, or at run time with
//! `PUT /_emulator/faults`. One roll per request picks at most one fault.
//!
//! The rolls come from one generator ([`FaultDice`]) seeded with `seed` when it is set (else from the
//! operating system), restarted by every change of the faults and by a reset: a test prints the seed
//! it chose, and a failure can be rolled again with it. Requests that race each other still take
//! their rolls in the order they arrive.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Percent of requests answered 429 with `Retry-After`.
    pub throttle_percent: u32,
    /// Percent answered 429 without `Retry-After`.
    pub throttle_bare_percent: u32,
    /// Percent answered 503.
    pub unavailable_percent: u32,
    /// Percent answered 504.
    pub gateway_timeout_percent: u32,
    /// Percent whose connection is cut before the request is handled.
    pub drop_percent: u32,
    /// Percent that are carried out but whose answer is cut off.
    pub lost_answer_percent: u32,
    /// Percent answered only after `slow_ms`.
    pub slow_percent: u32,
    pub slow_ms: u64,
    /// The `Retry-After` value sent with throttling, in seconds.
    pub retry_after_seconds: u64,
    /// Only requests with one of these methods are faulted; empty means all.
    pub methods: Vec<String>,
    /// Only requests whose path contains this text are faulted; empty means all.
    pub path_contains: String,
    /// Inject at most this many faults, then none (counted since start, reset or the last PUT).
    pub limit: Option<u32>,
    /// Seeds the rolls, so that a run can be repeated; none: a seed from the operating system.
    pub seed: Option<u64>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            throttle_percent: 0,
            throttle_bare_percent: 0,
            unavailable_percent: 0,
            gateway_timeout_percent: 0,
            drop_percent: 0,
            lost_answer_percent: 0,
            slow_percent: 0,
            slow_ms: 0,
            retry_after_seconds: 1,
            methods: Vec::new(),
            path_contains: String::new(),
            limit: None,
            seed: None,
        }
    }
}

/// The rolls and the count of faults handed out (for `Faults::limit`), since start, reset or the
/// last change of the faults.
#[derive(Default)]
pub struct FaultDice {
    injected: AtomicU32,
    /// Seeded at the first roll after a restart, from the faults in force then.
    rng: Mutex<Option<StdRng>>,
}

impl FaultDice {
    /// Starts afresh: no faults handed out, and the next roll seeds the generator again.
    pub fn restart(&self) {
        self.injected.store(0, Ordering::SeqCst);
        *self.rng.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn roll(&self, seed: Option<u64>) -> u32 {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        rng.get_or_insert_with(|| seed.map_or_else(StdRng::from_entropy, StdRng::seed_from_u64))
            .gen_range(0..100)
    }
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    None,
    Status(StatusCode, Option<u64>),
    Drop,
    LoseAnswer,
    Slow(Duration),
}

impl Faults {
    pub fn validate(&self) -> Result<(), String> {
        let total = self.throttle_percent
            + self.throttle_bare_percent
            + self.unavailable_percent
            + self.gateway_timeout_percent
            + self.drop_percent
            + self.lost_answer_percent
            + self.slow_percent;
        if total > 100 {
            return Err(format!(
                "fault percentages add up to {total}, more than 100"
            ));
        }
        Ok(())
    }

    fn applies_to(&self, method: &str, path: &str) -> bool {
        (self.methods.is_empty() || self.methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
            && path.contains(&self.path_contains)
    }

    /// Picks the fault for a request from a roll in 0..100.
    pub fn pick(&self, method: &str, path: &str, roll: u32) -> Fault {
        if !self.applies_to(method, path) {
            return Fault::None;
        }
        self.fault_of(roll)
    }

    /// The fault a roll in 0..100 lands on, for a request the faults apply to.
    fn fault_of(&self, roll: u32) -> Fault {
        let buckets = [
            (
                self.throttle_percent,
                Fault::Status(
                    StatusCode::TOO_MANY_REQUESTS,
                    Some(self.retry_after_seconds),
                ),
            ),
            (
                self.throttle_bare_percent,
                Fault::Status(StatusCode::TOO_MANY_REQUESTS, None),
            ),
            (
                self.unavailable_percent,
                Fault::Status(StatusCode::SERVICE_UNAVAILABLE, None),
            ),
            (
                self.gateway_timeout_percent,
                Fault::Status(StatusCode::GATEWAY_TIMEOUT, None),
            ),
            (self.drop_percent, Fault::Drop),
            (self.lost_answer_percent, Fault::LoseAnswer),
            (
                self.slow_percent,
                Fault::Slow(Duration::from_millis(self.slow_ms)),
            ),
        ];
        let mut edge = 0;
        for (percent, fault) in buckets {
            edge += percent;
            if roll < edge {
                return fault;
            }
        }
        Fault::None
    }

    /// Rolls for one request with `dice`, which also count the faults handed out, against `limit`.
    pub fn roll(&self, method: &str, path: &str, dice: &FaultDice) -> Fault {
        if !self.applies_to(method, path) {
            return Fault::None;
        }
        // Only requests the faults apply to take a roll, so a seed's sequence does not depend on
        // how many other requests came in between.
        let fault = self.fault_of(dice.roll(self.seed));
        if fault == Fault::None {
            return fault;
        }
        let limit = self.limit.unwrap_or(u32::MAX);
        let taken = dice
            .injected
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < limit).then_some(n + 1)
            });
        if taken.is_ok() {
            fault
        } else {
            Fault::None
        }
    }
}

/// The answer for a status fault, shaped like the services' own.
pub fn status_response(status: StatusCode, retry_after: Option<u64>) -> Response {
    let message = match status {
        StatusCode::TOO_MANY_REQUESTS => {
            "Too many requests; the tenant is being throttled (injected fault)."
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            "The service is temporarily unavailable (injected fault)."
        }
        _ => "The gateway timed out (injected fault).",
    };
    let code = status
        .canonical_reason()
        .unwrap_or("Error")
        .replace(' ', "");
    let mut response = (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response();
    if let Some(seconds) = retry_after {
        if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert("retry-after", v);
        }
    }
    response
}

/// A response whose body fails at once, so the server closes the connection mid-answer: the client
/// sees a cut connection, as when a load balancer drops it.
pub fn cut_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected fault: connection cut",
        ))
    });
    let mut response = Response::new(Body::from_stream(failing));
    response.extensions_mut().insert(Cut);
    response
}

/// Marks a response whose connection is cut, so the request log records status 0 (nothing answered).
#[derive(Clone, Copy, Debug)]
pub struct Cut;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_follow_the_percentages_in_order() {
        let f = Faults {
            throttle_percent: 10,
            unavailable_percent: 10,
            lost_answer_percent: 5,
            ..Faults::default()
        };
        assert_eq!(
            f.pick("GET", "/x", 0),
            Fault::Status(StatusCode::TOO_MANY_REQUESTS, Some(1))
        );
        assert_eq!(
            f.pick("GET", "/x", 15),
            Fault::Status(StatusCode::SERVICE_UNAVAILABLE, None)
        );
        assert_eq!(f.pick("GET", "/x", 22), Fault::LoseAnswer);
        assert_eq!(f.pick("GET", "/x", 25), Fault::None);
        assert_eq!(f.pick("GET", "/x", 99), Fault::None);
    }

    #[test]
    fn filters_and_limits() {
        let f = Faults {
            drop_percent: 100,
            methods: vec!["POST".into()],
            path_contains: "Skype.Policy".into(),
            ..Faults::default()
        };
        assert_eq!(f.pick("post", "/Skype.Policy/x", 50), Fault::Drop);
        assert_eq!(f.pick("GET", "/Skype.Policy/x", 50), Fault::None);
        assert_eq!(f.pick("POST", "/v1.0/users", 50), Fault::None);
        let once = Faults {
            unavailable_percent: 100,
            limit: Some(1),
            ..Faults::default()
        };
        let dice = FaultDice::default();
        assert_ne!(once.roll("GET", "/x", &dice), Fault::None);
        assert_eq!(once.roll("GET", "/x", &dice), Fault::None);
        dice.restart();
        assert_ne!(once.roll("GET", "/x", &dice), Fault::None);
        let too_much = Faults {
            throttle_percent: 60,
            drop_percent: 50,
            ..Faults::default()
        };
        assert!(too_much.validate().unwrap_err().contains("110"));
    }

    #[test]
    fn a_seed_rolls_the_same_faults_again_after_a_restart() {
        let half = Faults {
            unavailable_percent: 50,
            seed: Some(14),
            ..Faults::default()
        };
        let dice = FaultDice::default();
        let rolls = |dice: &FaultDice| -> Vec<Fault> {
            (0..64).map(|_| half.roll("GET", "/x", dice)).collect()
        };
        let first = rolls(&dice);
        assert!(first.contains(&Fault::None) && first.iter().any(|f| *f != Fault::None));
        dice.restart();
        assert_eq!(rolls(&dice), first);
        let other = Faults {
            seed: Some(15),
            ..half.clone()
        };
        dice.restart();
        let again: Vec<Fault> = (0..64).map(|_| other.roll("GET", "/x", &dice)).collect();
        assert_ne!(again, first, "another seed rolls otherwise");
    }
}
