//! Which route grants a policy to users: Graph batches, or the Teams per-user route.
//!
//! Graph's `userAssignments/assign` takes 500 users per request, but whether it accepts every
//! policy type is unconfirmed (contract section 5): the batch cmdlet's type list omits
//! `TeamsSharedCallingRoutingPolicy`. The Teams route `PATCH /Skype.Policy/users/{id}/policies/{type}`
//! takes any type, one user per request. So a grant goes to Graph first; when Graph answers that the
//! type is not supported, this tenant and type are remembered as Teams-only for the rest of the
//! process and the same users go the Teams way, several requests at a time. The provider setting
//! `policy_assignment_route` (`auto`, `graph`, `teams`) overrides the choice for tenants whose answer
//! is known. Reads stay on Graph `userConfigurations` either way.
//!
//! Every route reports per user (Teams) or per request (Graph) in the same [`BatchOutcome`], so the
//! resources do not know which route ran.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::Mutex;

use futures_util::stream::{self, StreamExt};

use super::api::policy_assignment::{BatchOutcome, ASSIGN_BATCH};
use super::{ApiError, Client};

/// Teams per-user requests in flight at once during one grant; the transport's per-tenant limit
/// (`max_concurrent_requests`) still caps the total.
const TEAMS_ROUTE_CONCURRENCY: usize = 8;

/// How grants are sent, as the provider setting `policy_assignment_route` spells it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssignmentRoute {
    /// Graph batches, falling back to the Teams route for a type Graph refuses.
    #[default]
    Auto,
    Graph,
    Teams,
}

impl AssignmentRoute {
    pub const NAMES: [&'static str; 3] = ["auto", "graph", "teams"];
}

impl FromStr for AssignmentRoute {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(AssignmentRoute::Auto),
            "graph" => Ok(AssignmentRoute::Graph),
            "teams" => Ok(AssignmentRoute::Teams),
            other => Err(format!("{other:?} is not one of auto, graph, teams")),
        }
    }
}

/// The policy types this process learned Graph refuses, per client (that is, per tenant).
#[derive(Debug, Default)]
pub struct RefusedTypes(Mutex<HashSet<String>>);

impl RefusedTypes {
    fn knows(&self, policy_type: &str) -> bool {
        self.0
            .lock()
            .map(|m| m.contains(&policy_type.to_ascii_lowercase()))
            .unwrap_or(false)
    }

    fn remember(&self, policy_type: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(policy_type.to_ascii_lowercase());
        }
    }
}

/// Whether Graph's answer says it does not take this policy type (an `[I]` wording: a 400 that
/// names the type as not supported), as opposed to a bad user or policy.
pub fn is_type_refusal(error: &ApiError, policy_type: &str) -> bool {
    let ApiError::Response(response) = error else {
        return false;
    };
    let text = response.message.to_ascii_lowercase();
    response.status == 400
        && text.contains(&policy_type.to_ascii_lowercase())
        && text.contains("not supported")
}

impl Client {
    fn teams_route_for(&self, policy_type: &str) -> bool {
        match self.config.policy_assignment_route {
            AssignmentRoute::Teams => true,
            AssignmentRoute::Graph => false,
            AssignmentRoute::Auto => self.refused_types.knows(policy_type),
        }
    }

    /// Grants `policy_name` (whose Graph id is `policy_id`) of `policy_type` directly to every user.
    pub async fn grant_user_policies(
        &self,
        policy_type: &str,
        policy_id: &str,
        policy_name: &str,
        user_ids: &[String],
    ) -> Vec<BatchOutcome> {
        self.write_user_policies(policy_type, Some((policy_id, policy_name)), user_ids)
            .await
    }

    /// Removes every user's direct assignment of `policy_type`.
    pub async fn revoke_user_policies(
        &self,
        policy_type: &str,
        user_ids: &[String],
    ) -> Vec<BatchOutcome> {
        self.write_user_policies(policy_type, None, user_ids).await
    }

    async fn write_user_policies(
        &self,
        policy_type: &str,
        policy: Option<(&str, &str)>,
        user_ids: &[String],
    ) -> Vec<BatchOutcome> {
        if user_ids.is_empty() {
            return Vec::new();
        }
        if self.teams_route_for(policy_type) {
            return self
                .teams_route(policy_type, policy.map(|(_, name)| name), user_ids)
                .await;
        }
        // The first batch alone asks Graph whether it takes the type, so a refusal costs one request.
        let (first, rest) = user_ids.split_at(user_ids.len().min(ASSIGN_BATCH));
        let mut outcomes = self.graph_route(policy_type, policy, first).await;
        let refused = outcomes
            .iter()
            .any(|o| matches!(&o.result, Err(e) if is_type_refusal(e, policy_type)));
        if !refused || self.config.policy_assignment_route == AssignmentRoute::Graph {
            outcomes.extend(self.graph_route(policy_type, policy, rest).await);
            return outcomes;
        }
        tracing::info!(
            policy_type,
            "Graph refused the policy type in userAssignments; using the Teams per-user route"
        );
        self.refused_types.remember(policy_type);
        self.teams_route(policy_type, policy.map(|(_, name)| name), user_ids)
            .await
    }

    async fn graph_route(
        &self,
        policy_type: &str,
        policy: Option<(&str, &str)>,
        user_ids: &[String],
    ) -> Vec<BatchOutcome> {
        if user_ids.is_empty() {
            return Vec::new();
        }
        match policy {
            Some((id, _)) => {
                self.assign_mg_user_policies(policy_type, id, user_ids)
                    .await
            }
            None => self.unassign_mg_user_policies(policy_type, user_ids).await,
        }
    }

    /// One Teams request per user, [`TEAMS_ROUTE_CONCURRENCY`] at a time.
    async fn teams_route(
        &self,
        policy_type: &str,
        policy_name: Option<&str>,
        user_ids: &[String],
    ) -> Vec<BatchOutcome> {
        // The futures are made before the stream runs them: a closure inside the stream would make
        // the future of every resource method that grants too general for `Send` to be proven.
        let requests: Vec<_> = user_ids
            .iter()
            .map(|user| self.teams_route_one(user, policy_type, policy_name))
            .collect();
        stream::iter(requests)
            .buffer_unordered(TEAMS_ROUTE_CONCURRENCY)
            .collect()
            .await
    }

    async fn teams_route_one(
        &self,
        user: &str,
        policy_type: &str,
        policy_name: Option<&str>,
    ) -> BatchOutcome {
        BatchOutcome {
            user_ids: vec![user.to_string()],
            result: self
                .grant_cs_user_policy(user, policy_type, policy_name)
                .await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::http::error::{ErrorResponse, Service};

    fn answer(status: u16, message: &str) -> ApiError {
        ApiError::Response(ErrorResponse {
            service: Service::Graph,
            status,
            code: Some("BadRequest".into()),
            message: message.into(),
            request_id: None,
            hint: None,
        })
    }

    #[test]
    fn only_a_400_naming_the_type_as_unsupported_is_a_refusal() {
        let t = "TeamsSharedCallingRoutingPolicy";
        assert!(is_type_refusal(
            &answer(
                400,
                "The policy type 'teamssharedcallingroutingpolicy' is not supported by this API"
            ),
            t
        ));
        assert!(!is_type_refusal(
            &answer(400, "userId 'x': the user does not exist"),
            t
        ));
        assert!(!is_type_refusal(
            &answer(400, "TeamsCallingPolicy is not supported"),
            t
        ));
        assert!(!is_type_refusal(
            &answer(500, &format!("{t} is not supported")),
            t
        ));
    }

    #[test]
    fn routes_parse_from_their_setting_and_types_are_remembered_case_insensitively() {
        assert_eq!("teams".parse(), Ok(AssignmentRoute::Teams));
        assert!("Teams".parse::<AssignmentRoute>().is_err());
        let refused = RefusedTypes::default();
        assert!(!refused.knows("TeamsSharedCallingRoutingPolicy"));
        refused.remember("TeamsSharedCallingRoutingPolicy");
        assert!(refused.knows("teamssharedcallingroutingpolicy"));
        assert!(!refused.knows("TeamsEmergencyCallRoutingPolicy"));
    }
}
