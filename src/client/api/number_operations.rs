//! Long-running operations of Graph's telephone number management (contract section 3).
//!
//! `assignNumber` and `unassignNumber` answer 202 with a `Location` header naming an operation; the
//! work happens later and the operation passes `notStarted` -> `running` -> `succeeded`/`failed`/
//! `skipped`. The client takes the operation id out of `Location` and polls it at our own configured
//! Graph endpoint rather than fetching the header's URL as given: a bearer token must never go to a host
//! the provider was not configured for, and the id alone is what a resource keeps in its private state
//! to resume the wait after an interrupted apply. Polls back off (250 ms doubling to 10 s, or the
//! server's `Retry-After`) and stop at the caller's deadline, which comes from the resource's timeout.

use std::time::{Duration, Instant, SystemTime};

use reqwest::Method;
use serde::Deserialize;

use crate::client::http::error::{ApiError, Service};
use crate::client::http::retry::parse_retry_after;
use crate::client::waits::{Backoff, Wait};
use crate::client::Client;

/// Path of the number management API under `/v1.0`.
pub(crate) const NUMBER_MANAGEMENT: [&str; 3] = ["admin", "teams", "telephoneNumberManagement"];

/// Where an operation stands (`longRunningOperationStatus`); unknown future values are kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationStatus {
    NotStarted,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Other(String),
}

impl OperationStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "notStarted" => OperationStatus::NotStarted,
            "running" => OperationStatus::Running,
            "succeeded" => OperationStatus::Succeeded,
            "failed" => OperationStatus::Failed,
            "skipped" => OperationStatus::Skipped,
            other => OperationStatus::Other(other.to_string()),
        }
    }

    /// `succeeded`, `failed` and `skipped` end an operation; anything else (even an unknown value)
    /// means keep waiting, bounded by the deadline.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            OperationStatus::Succeeded | OperationStatus::Failed | OperationStatus::Skipped
        )
    }
}

/// One number's part of an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OperationNumber {
    pub resource_location: Option<String>,
    pub status: Option<String>,
    pub status_detail: Option<String>,
}

/// A telephone number long-running operation as Graph shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub created_date_time: Option<String>,
    /// Required: a missing status is an error naming the call, never `""` (which would poll until
    /// the timeout).
    pub status: String,
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub numbers: Vec<OperationNumber>,
}

impl Operation {
    pub fn status(&self) -> OperationStatus {
        OperationStatus::parse(&self.status)
    }

    /// Every `statusDetail` the operation carries, joined, for the user to read.
    pub fn detail(&self) -> String {
        let details: Vec<&str> = self
            .numbers
            .iter()
            .filter_map(|n| n.status_detail.as_deref())
            .filter(|d| !d.is_empty())
            .collect();
        if details.is_empty() {
            "(the operation gave no statusDetail)".to_string()
        } else {
            details.join("; ")
        }
    }
}

/// Why waiting for an operation ended without a final status.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WaitError {
    #[error("{0}")]
    Api(ApiError),
    #[error("operation {id} was still {status} when the timeout of {}s ran out", waited.as_secs())]
    TimedOut {
        id: String,
        status: String,
        waited: Duration,
    },
}

impl WaitError {
    /// The error as the user should read it: a timeout says which setting to raise.
    pub fn for_user(&self) -> String {
        match self {
            WaitError::Api(api) => api.to_string(),
            WaitError::TimedOut { .. } => {
                format!("{self}; raise the timeout in the timeouts block if Teams is slow")
            }
        }
    }
}

/// The operation id in a `Location` header: `.../operations('<id>')` or `.../operations/<id>`.
pub fn operation_id_from_location(location: &str) -> Option<String> {
    let path = location.split(['?', '#']).next().unwrap_or(location);
    let tail = path.rsplit_once("operations")?.1;
    let id = if let Some(quoted) = tail.strip_prefix("('") {
        quoted.strip_suffix("')")?
    } else {
        tail.strip_prefix('/')?
    };
    let id = id.trim_matches('/');
    (!id.is_empty() && !id.contains('/')).then(|| id.to_string())
}

/// The operation a 202 answer started, or an error saying the answer lacked it.
pub(crate) fn operation_of(
    answer: &crate::client::http::Response,
    what: &str,
) -> Result<String, ApiError> {
    let location = answer.header("location").unwrap_or_default();
    operation_id_from_location(location).ok_or_else(|| ApiError::InvalidResponse {
        service: Service::Graph,
        status: answer.status,
        detail: format!(
            "{what} was accepted but the answer's Location header ({:?}) names no operation",
            answer.quote(location)
        ),
    })
}

impl Client {
    /// `GET /admin/teams/telephoneNumberManagement/operations/{id}` `[C]`.
    pub async fn get_cs_phone_number_operation(
        &self,
        id: &str,
    ) -> Result<(Operation, Option<Duration>), ApiError> {
        let mut segments: Vec<&str> = NUMBER_MANAGEMENT.to_vec();
        segments.extend(["operations", id]);
        let request = self.graph_request(
            "Get-CsPhoneNumberOperation",
            Method::GET,
            self.graph_url(&segments),
            None,
            "TeamsTelephoneNumber.ReadWrite.All",
        );
        let answer = self.transport.send(&request).await?;
        let retry_after = answer
            .header("retry-after")
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        Ok((answer.one()?, retry_after))
    }

    /// Polls operation `id` until it is final or `deadline` passes, on the operation-poll schedule
    /// or the server's `Retry-After`.
    pub async fn wait_for_number_operation(
        &self,
        id: &str,
        deadline: Instant,
    ) -> Result<Operation, WaitError> {
        let mut wait = Wait::until(Backoff::OPERATION_POLL, deadline);
        loop {
            let (operation, retry_after) = self
                .get_cs_phone_number_operation(id)
                .await
                .map_err(WaitError::Api)?;
            if operation.status().is_final() {
                return Ok(operation);
            }
            if !wait.pause(retry_after).await {
                return Err(WaitError::TimedOut {
                    id: id.to_string(),
                    status: operation.status,
                    waited: wait.elapsed(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_out_of_both_location_spellings() {
        assert_eq!(
            operation_id_from_location(
                "https://graph.microsoft.com/v1.0/admin/teams/telephoneNumberManagement/operations('abc-1')"
            ),
            Some("abc-1".into())
        );
        assert_eq!(
            operation_id_from_location(
                "/v1.0/admin/teams/telephoneNumberManagement/operations/xyz?x=1"
            ),
            Some("xyz".into())
        );
        assert_eq!(operation_id_from_location(""), None);
        assert_eq!(operation_id_from_location("https://x/operations('')"), None);
        assert_eq!(operation_id_from_location("https://x/users/1"), None);
    }

    #[test]
    fn statuses_and_details() {
        assert!(OperationStatus::parse("skipped").is_final());
        assert!(!OperationStatus::parse("running").is_final());
        assert_eq!(
            OperationStatus::parse("unknownFutureValue"),
            OperationStatus::Other("unknownFutureValue".into())
        );
        let op: Operation = serde_json::from_str(
            r#"{"id":"1","status":"failed","numbers":[{"status":"failed","statusDetail":"nope"},{"status":"failed"}],"new":1}"#,
        )
        .unwrap();
        assert_eq!(op.status(), OperationStatus::Failed);
        assert_eq!(op.detail(), "nope");
    }
}
