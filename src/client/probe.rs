//! One read of each endpoint, to see what a tenant answers: the `doctor`'s probes.
//!
//! Each probe sends the request the client's own read sends (built by the same function in
//! [`super::api`], so a corrected path is corrected for both), asks for the smallest page, and
//! reports what happened rather than failing: the status, how long it took, which answer
//! [`Shape`] came back ([`decode::shape_of`]) and whether the body decodes into the model the client
//! reads it with. Probes only read; none writes. They run together, so one slow endpoint costs its
//! own time and not the sum.

use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use super::api::emergency_call_routing_policy::EmergencyCallRoutingPolicy;
use super::api::numbers::Page as NumberPage;
use super::api::policy_assignment::{ConfigurationPage, GroupPolicyAssignment};
use super::api::resource_accounts::ApplicationInstancePage;
use super::api::shared_calling_policy::SharedCallingPolicy;
use super::http::decode::{self, Shape};
use super::http::error::{ApiError, Permission, Service};
use super::http::Request;
use super::{Client, Secret};

/// The smallest page each paged read is asked for.
const SMALLEST_PAGE: usize = 1;

/// What one read answered.
#[derive(Debug, Clone)]
pub struct Probe {
    /// What is read, for people (`shared calling policies`).
    pub what: &'static str,
    /// The cmdlet (or Graph call) the read stands for.
    pub call: &'static str,
    pub service: Service,
    /// What the app needs for this read.
    pub needs: Permission,
    /// The HTTP status of the (last) answer; `None` when none came.
    pub status: Option<u16>,
    pub elapsed: Duration,
    /// The shape of a 2xx answer's body; `None` without one or when it is not JSON.
    pub shape: Option<Shape>,
    /// How many items the page decoded into, or why it did not (a failed call's error, too).
    pub outcome: Result<usize, String>,
}

impl Client {
    /// A token for `scope` (Graph's or the Teams API's), signed in as every call would be: for
    /// reading its claims. It is a [`Secret`]: never print it.
    pub async fn access_token(&self, scope: &str) -> Result<Secret, ApiError> {
        self.transport.token(scope).await
    }

    /// One smallest-page read of each endpoint the provider reads, in a fixed order.
    pub async fn probe_reads(&self) -> Vec<Probe> {
        let smallest = SMALLEST_PAGE.to_string();
        let (policies, instances, numbers, users, groups, emergency) = tokio::join!(
            self.probe::<Vec<SharedCallingPolicy>>(
                "shared calling policies",
                self.list_policies_request(),
                Vec::len,
            ),
            self.probe::<ApplicationInstancePage>(
                "application instances (resource accounts)",
                self.application_instances_request(&smallest, None),
                |page| page.application_instances.len(),
            ),
            self.probe::<NumberPage>(
                "number inventory",
                self.number_assignments_request(self.number_assignments_url("", &smallest)),
                |page| page.value.len(),
            ),
            self.probe::<ConfigurationPage>(
                "user configurations",
                self.user_configurations_request(self.user_configurations_url(SMALLEST_PAGE)),
                |page| page.value.len(),
            ),
            self.probe::<Vec<GroupPolicyAssignment>>(
                "group policy assignments",
                self.group_policy_assignments_request(),
                Vec::len,
            ),
            self.probe::<Vec<EmergencyCallRoutingPolicy>>(
                "emergency call routing policies",
                self.list_emergency_policies_request(),
                Vec::len,
            ),
        );
        vec![policies, instances, numbers, users, groups, emergency]
    }

    async fn probe<T: DeserializeOwned>(
        &self,
        what: &'static str,
        request: Request,
        count: fn(&T) -> usize,
    ) -> Probe {
        let started = Instant::now();
        let sent = self.transport.send(&request).await;
        let elapsed = started.elapsed();
        let (status, shape, outcome) = match sent {
            Ok(answer) => (
                Some(answer.status),
                decode::shape_of(&answer.body),
                answer
                    .json::<T>()
                    .map(|page| count(&page))
                    .map_err(|e| e.to_string()),
            ),
            Err(e) => (e.status(), None, Err(e.to_string())),
        };
        Probe {
            what,
            call: request.call,
            service: request.service,
            needs: request.permission,
            status,
            elapsed,
            shape,
            outcome,
        }
    }
}
