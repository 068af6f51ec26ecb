//! The per-app request budget: after `requests` calls in one window an app gets 429 with
//! `Retry-After` until the window ends, as Graph and the Teams API throttle busy apps.
//!
//! It runs inside the front door (which has authenticated the caller, so the app is known, and which
//! logs the 429 like any answer) and counts per tenant and app in fixed windows. The budget is read
//! from the settings at every request, so a seed can set it per test; without one nothing is counted.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::auth::Caller;
use super::error::{GraphError, TeamsError};
use super::frontdoor::{RequestCtx, Service};
use super::state::now_unix_ms;
use super::AppState;

/// How many requests an app may send per window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestBudget {
    pub requests: u32,
    pub window_ms: u64,
}

/// (tenant id, client id).
type AppKey = (String, String);

/// Window start and count per app.
#[derive(Clone, Default)]
pub struct Windows(Arc<Mutex<HashMap<AppKey, (u64, u32)>>>);

impl Windows {
    /// Counts one request; `Some(wait_ms)` when it is over budget.
    pub fn admit(&self, key: AppKey, budget: &RequestBudget, now: u64) -> Option<u64> {
        let mut windows = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (start, count) = windows.entry(key).or_insert((now, 0));
        if now >= start.saturating_add(budget.window_ms) {
            *start = now;
            *count = 0;
        }
        if *count >= budget.requests {
            return Some(start.saturating_add(budget.window_ms) - now);
        }
        *count += 1;
        None
    }
}

pub async fn limit(
    State((app, windows)): State<(AppState, Windows)>,
    req: Request,
    next: Next,
) -> Response {
    let budget = app.store().state().settings.request_budget.clone();
    let (Some(budget), Some(caller), Some(ctx)) = (
        budget,
        req.extensions().get::<Caller>().cloned(),
        req.extensions().get::<RequestCtx>().cloned(),
    ) else {
        return next.run(req).await;
    };
    let key = (caller.tenant_id, caller.client_id.clone());
    let Some(wait_ms) = windows.admit(key, &budget, now_unix_ms()) else {
        return next.run(req).await;
    };
    let seconds = wait_ms.div_ceil(1000).max(1);
    let message = format!(
        "Application '{}' sent more than {} requests in {} ms; retry after {seconds} s.",
        caller.client_id, budget.requests, budget.window_ms
    );
    let mut response = match ctx.service {
        Service::Graph => GraphError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            message,
            &ctx,
        )
        .into_response(),
        _ => TeamsError::new(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests", message)
            .into_response(),
    };
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert("retry-after", v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_resets_each_window() {
        let w = Windows::default();
        let b = RequestBudget {
            requests: 2,
            window_ms: 1000,
        };
        let key = || ("t".to_string(), "a".to_string());
        assert_eq!(w.admit(key(), &b, 0), None);
        assert_eq!(w.admit(key(), &b, 10), None);
        assert_eq!(w.admit(key(), &b, 400), Some(600));
        assert_eq!(w.admit(("t".into(), "other".into()), &b, 400), None);
        assert_eq!(w.admit(key(), &b, 1000), None);
    }
}
