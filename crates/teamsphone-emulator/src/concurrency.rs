//! How many API requests each tenant has in flight, and the most it ever had.
//!
//! Tests of the provider's `max_concurrent_requests` need to see what the server saw: the front door
//! counts requests per tenant while their handlers run (plus the configured latency, which makes
//! overlap observable), and the admin surface reports the high-water mark.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub in_flight: u32,
    pub max_in_flight: u32,
}

#[derive(Debug, Default)]
pub struct InFlight {
    tenants: Mutex<BTreeMap<String, Counts>>,
}

/// Counts one request until dropped.
pub struct Guard {
    owner: Arc<InFlight>,
    tenant: String,
}

impl InFlight {
    fn counts(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Counts>> {
        self.tenants.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn enter(self: &Arc<Self>, tenant: &str) -> Guard {
        let mut tenants = self.counts();
        let counts = tenants.entry(tenant.to_string()).or_default();
        counts.in_flight += 1;
        counts.max_in_flight = counts.max_in_flight.max(counts.in_flight);
        Guard {
            owner: self.clone(),
            tenant: tenant.to_string(),
        }
    }

    pub fn snapshot(&self) -> BTreeMap<String, Counts> {
        self.counts().clone()
    }

    /// Forgets the high-water marks (requests still running keep counting).
    pub fn reset_max(&self) {
        for counts in self.counts().values_mut() {
            counts.max_in_flight = counts.in_flight;
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(counts) = self.owner.counts().get_mut(&self.tenant) {
            counts.in_flight = counts.in_flight.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_water_mark_per_tenant() {
        let inflight = Arc::new(InFlight::default());
        let a1 = inflight.enter("a");
        let a2 = inflight.enter("a");
        let _b = inflight.enter("b");
        drop(a1);
        let _a3 = inflight.enter("a");
        drop(a2);
        let snap = inflight.snapshot();
        assert_eq!(
            snap["a"],
            Counts {
                in_flight: 1,
                max_in_flight: 2
            }
        );
        assert_eq!(snap["b"].max_in_flight, 1);
        inflight.reset_max();
        assert_eq!(inflight.snapshot()["a"].max_in_flight, 1);
    }
}
