//! The association of a resource account with an auto attendant or a call queue (contract
//! section 2, `*-CsOnlineApplicationInstanceAssociation`), and the list decoding both voice app
//! modules share; auto attendants are in [`super::auto_attendants`], call queues in
//! [`super::call_queues`].
//!
//! Every call is `[3P]` in its route and partly `[I]` in its shapes, so each is one function named
//! after its cmdlet. Single reads answer the object wrapped (`{"AutoAttendant":{..}}`); lists are
//! not captured anywhere and are read as a bare array or as an object wrapping one
//! ([`Listed`]). The association answers per endpoint (`[{"Id","Status","ErrorCode","Message"}]`);
//! [`AssociationResult::problem`] turns one result into what went wrong, comparing error codes
//! by their part after the last `_`, the only part known.

use std::fmt;
use std::marker::PhantomData;

use reqwest::Method;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

// Call queues are read and written in `call_queues`; data sources and the association use them here.
pub use super::call_queues::CallQueue;
use crate::client::http::error::{ApiError, Service};
use crate::client::Client;
use teamsphone_contract::{
    ASSOCIATION_ALREADY_ASSOCIATED, ASSOCIATION_ENDPOINT_NOT_FOUND, ASSOCIATION_STATUS_ERROR,
    ASSOCIATION_STATUS_PENDING, ASSOCIATION_STATUS_SUCCESS, ASSOCIATION_TYPE_MISMATCH,
};

/// Auto attendants are read and written in [`super::auto_attendants`]; the data sources read
/// the same model.
pub use super::auto_attendants::AutoAttendant;

/// What kind of configuration an association points at, as the API spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigurationType {
    AutoAttendant,
    CallQueue,
}

impl ConfigurationType {
    /// The API's spelling, compared case-insensitively on read.
    pub fn parse(text: &str) -> Option<Self> {
        use teamsphone_contract::{
            CONFIGURATION_TYPE_AUTO_ATTENDANT as AA, CONFIGURATION_TYPE_CALL_QUEUE as CQ,
        };
        if text.eq_ignore_ascii_case(AA) {
            Some(ConfigurationType::AutoAttendant)
        } else if text.eq_ignore_ascii_case(CQ) {
            Some(ConfigurationType::CallQueue)
        } else {
            None
        }
    }
}

/// The body of `New-CsOnlineApplicationInstanceAssociation` (key spellings `[I]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewAssociation {
    pub endpoints_ids: Vec<String>,
    pub configuration_id: String,
    pub configuration_type: ConfigurationType,
    pub call_priority: u8,
}

/// An association as `Get-CsOnlineApplicationInstanceAssociation` shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Association {
    #[serde(default)]
    pub id: String,
    /// Kept as text: an unknown future kind must not fail the read.
    pub configuration_type: String,
    pub configuration_id: String,
    /// Not in the captured answer; read when a tenant sends it.
    #[serde(default)]
    pub call_priority: Option<i64>,
}

/// One endpoint's result of an association write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociationResult {
    #[serde(default)]
    pub id: String,
    #[serde(deserialize_with = "status_code")]
    pub status: u8,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// What an endpoint's result says went wrong, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssociationProblem {
    /// The account answers for another configuration already.
    AlreadyAssociated,
    /// Not a resource account, or not visible yet (new accounts are eventually consistent).
    EndpointNotFound,
    /// The account's kind is not the configuration's.
    TypeMismatch,
    /// Accepted, not finished: poll the status.
    Pending,
    /// Any other error code (or none), with the code as sent.
    Other(Option<String>),
}

impl AssociationResult {
    /// `None` on success.
    pub fn problem(&self) -> Option<AssociationProblem> {
        let code = self.error_code.as_deref().filter(|c| !c.is_empty());
        let suffix = code.map(|c| c.rsplit('_').next().unwrap_or(c));
        let known = |name: &str| suffix.is_some_and(|s| s.eq_ignore_ascii_case(name));
        match self.status {
            ASSOCIATION_STATUS_SUCCESS => None,
            _ if known(ASSOCIATION_ALREADY_ASSOCIATED) => {
                Some(AssociationProblem::AlreadyAssociated)
            }
            _ if known(ASSOCIATION_ENDPOINT_NOT_FOUND) => {
                Some(AssociationProblem::EndpointNotFound)
            }
            _ if known(ASSOCIATION_TYPE_MISMATCH) => Some(AssociationProblem::TypeMismatch),
            ASSOCIATION_STATUS_ERROR => Some(AssociationProblem::Other(code.map(str::to_string))),
            // Pending, unknown, or a status from the future: not done, not refused.
            _ => Some(AssociationProblem::Pending),
        }
    }
}

/// `Status` as a number (0-3) or as its name; anything else reads as "unknown" (2), since a new
/// status must not fail a write that may have worked.
fn status_code<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(u64),
        Text(String),
    }
    Ok(match Raw::deserialize(d)? {
        Raw::Number(n) if n <= 3 => n as u8,
        Raw::Text(t) => match t.to_ascii_lowercase().as_str() {
            "error" => ASSOCIATION_STATUS_ERROR,
            "pending" => ASSOCIATION_STATUS_PENDING,
            "success" => ASSOCIATION_STATUS_SUCCESS,
            _ => teamsphone_contract::ASSOCIATION_STATUS_UNKNOWN,
        },
        Raw::Number(_) => teamsphone_contract::ASSOCIATION_STATUS_UNKNOWN,
    })
}

/// The name a list may be wrapped under.
pub trait Wrapped {
    const WRAPPER: &'static str;
}

impl Wrapped for AutoAttendant {
    const WRAPPER: &'static str = "AutoAttendants";
}

impl Wrapped for super::auto_attendants::Schedule {
    const WRAPPER: &'static str = "Schedules";
}

impl Wrapped for AssociationResult {
    const WRAPPER: &'static str = "Results";
}

/// A list as a bare array or as `{"<WRAPPER>": [..]}` (any letter case), its elements decoded
/// like every other answer.
pub struct Listed<T>(pub Vec<T>);

impl<'de, T: DeserializeOwned + Wrapped> Deserialize<'de> for Listed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned + Wrapped> Visitor<'de> for V<T> {
            type Value = Listed<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an array, or an object with {:?}", T::WRAPPER)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<T>()? {
                    items.push(item);
                }
                Ok(Listed(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key.eq_ignore_ascii_case(T::WRAPPER) && found.is_none() {
                        found = Some(map.next_value::<Vec<T>>()?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                found
                    .map(Listed)
                    .ok_or_else(|| de::Error::missing_field(T::WRAPPER))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Our endpoint's result among an answer's, or an error naming the call.
fn result_for(
    results: Vec<AssociationResult>,
    endpoint: &str,
    call: &str,
    status: u16,
) -> Result<AssociationResult, ApiError> {
    let n = results.len();
    let mut results = results.into_iter();
    // A single result with no id is taken as ours; otherwise it must name the endpoint.
    match (
        n,
        results
            .clone()
            .find(|r| r.id.eq_ignore_ascii_case(endpoint)),
    ) {
        (_, Some(ours)) => Ok(ours),
        (1, None) => Ok(results
            .next()
            .filter(|r| r.id.is_empty())
            .ok_or_else(|| invalid(call, status, "a result for another endpoint".to_string()))?),
        _ => Err(invalid(
            call,
            status,
            format!("{n} results, none for the endpoint it was asked about"),
        )),
    }
}

fn invalid(call: &str, status: u16, what: String) -> ApiError {
    ApiError::InvalidResponse {
        service: Service::Teams,
        status,
        detail: format!("{call} answered {what}"),
    }
}

const NEW_ASSOCIATION: &str = "New-CsOnlineApplicationInstanceAssociation";
const GET_ASSOCIATION: &str = "Get-CsOnlineApplicationInstanceAssociation";
const GET_ASSOCIATION_STATUS: &str = "Get-CsOnlineApplicationInstanceAssociationStatus";
const REMOVE_ASSOCIATION: &str = "Remove-CsOnlineApplicationInstanceAssociation";

impl Client {
    pub(super) fn voice_apps_url(&self, segments: &[&str]) -> url::Url {
        let mut all = vec!["Teams.VoiceApps"];
        all.extend_from_slice(segments);
        self.teams_url(&all)
    }

    /// `New-CsOnlineApplicationInstanceAssociation` [3P path, I keys] for one endpoint: its
    /// result (which may be an error the caller explains).
    pub async fn new_cs_online_application_instance_association(
        &self,
        new: &NewAssociation,
    ) -> Result<AssociationResult, ApiError> {
        let body = serde_json::to_value(new).expect("association serialises");
        let url = self.voice_apps_url(&["applicationinstanceassociations"]);
        let request = self.teams_request(NEW_ASSOCIATION, Method::POST, url, Some(body));
        let answer = self.transport.send(&request).await?;
        let Listed(results) = answer.json()?;
        let endpoint = new.endpoints_ids.first().map(String::as_str).unwrap_or("");
        result_for(results, endpoint, NEW_ASSOCIATION, answer.status)
    }

    /// `Get-CsOnlineApplicationInstanceAssociation -Identity` `[3P]`; `None` when the account
    /// answers for nothing (or does not exist).
    pub async fn get_cs_online_application_instance_association(
        &self,
        endpoint: &str,
    ) -> Result<Option<Association>, ApiError> {
        let url = self.voice_apps_url(&["applicationinstanceassociations", endpoint]);
        let request = self.teams_request(GET_ASSOCIATION, Method::GET, url, None);
        let answer = self.transport.send_unless_absent(&request).await?;
        answer.map(|a| a.one()).transpose()
    }

    /// `Get-CsOnlineApplicationInstanceAssociationStatus` [3P path, I body]; `None` when there is
    /// no association.
    pub async fn get_cs_online_application_instance_association_status(
        &self,
        endpoint: &str,
    ) -> Result<Option<AssociationResult>, ApiError> {
        let url = self.voice_apps_url(&["applicationinstanceassociations", endpoint, "status"]);
        let request = self.teams_request(GET_ASSOCIATION_STATUS, Method::GET, url, None);
        let answer = self.transport.send_unless_absent(&request).await?;
        answer.map(|a| a.one()).transpose()
    }

    /// `Remove-CsOnlineApplicationInstanceAssociation` `[3P]`: `None` when there was nothing to
    /// remove, else the endpoint's result (an empty body counts as success).
    pub async fn remove_cs_online_application_instance_association(
        &self,
        endpoint: &str,
    ) -> Result<Option<AssociationResult>, ApiError> {
        let url = self.voice_apps_url(&["applicationinstanceassociations", endpoint]);
        let request = self.teams_request(REMOVE_ASSOCIATION, Method::DELETE, url, None);
        let Some(answer) = self.transport.send_unless_absent(&request).await? else {
            return Ok(None);
        };
        if answer.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Some(AssociationResult {
                id: endpoint.to_string(),
                status: ASSOCIATION_STATUS_SUCCESS,
                ..Default::default()
            }));
        }
        let Listed(results) = answer.json()?;
        result_for(results, endpoint, REMOVE_ASSOCIATION, answer.status).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::http::decode::CaseInsensitive;

    fn decode<T: DeserializeOwned>(json: &str) -> T {
        T::deserialize(CaseInsensitive(serde_json::from_str(json).unwrap())).unwrap()
    }

    #[test]
    fn lists_come_bare_or_wrapped_in_any_case() {
        let Listed(bare): Listed<AutoAttendant> =
            decode(r#"[{"Id":"a","Name":"Main","ApplicationInstances":null}]"#);
        assert_eq!(bare[0].id, "a");
        assert!(bare[0].application_instances.is_empty());
        let Listed(wrapped): Listed<CallQueue> =
            decode(r#"{"callQueues":[{"identity":"q","name":"Desk","agentAlertTime":30}],"x":1}"#);
        assert_eq!(wrapped[0].agent_alert_time, Some(30));
        let missing = Listed::<CallQueue>::deserialize(CaseInsensitive(serde_json::json!({"a":1})));
        assert!(missing.is_err());
    }

    #[test]
    fn results_say_what_went_wrong_by_code_suffix() {
        let r = |status: serde_json::Value, code: Option<&str>| -> AssociationResult {
            decode(&serde_json::json!({"Id":"e","Status":status,"ErrorCode":code}).to_string())
        };
        assert_eq!(r(3.into(), None).problem(), None);
        assert_eq!(r("Success".into(), None).problem(), None);
        assert_eq!(
            r(0.into(), Some("Whatever_AppEndpointAlreadyAssociated")).problem(),
            Some(AssociationProblem::AlreadyAssociated)
        );
        assert_eq!(
            r(0.into(), Some("appendpointnotfound")).problem(),
            Some(AssociationProblem::EndpointNotFound)
        );
        assert_eq!(
            r(1.into(), None).problem(),
            Some(AssociationProblem::Pending)
        );
        assert_eq!(
            r(99.into(), None).problem(),
            Some(AssociationProblem::Pending)
        );
        assert_eq!(
            r(0.into(), Some("X_Other")).problem(),
            Some(AssociationProblem::Other(Some("X_Other".into())))
        );
    }

    #[test]
    fn our_result_is_picked_by_endpoint() {
        let results = vec![
            AssociationResult {
                id: "other".into(),
                status: 3,
                ..Default::default()
            },
            AssociationResult {
                id: "Ours".into(),
                status: 0,
                ..Default::default()
            },
        ];
        assert_eq!(
            result_for(results.clone(), "ours", "X", 200)
                .unwrap()
                .status,
            0
        );
        assert!(result_for(results[..1].to_vec(), "ours", "X", 200).is_err());
        assert!(result_for(Vec::new(), "ours", "X", 200).is_err());
        let anonymous = vec![AssociationResult {
            status: 3,
            ..Default::default()
        }];
        assert_eq!(result_for(anonymous, "ours", "X", 200).unwrap().status, 3);
        let body = serde_json::to_value(NewAssociation {
            endpoints_ids: vec!["e".into()],
            configuration_id: "c".into(),
            configuration_type: ConfigurationType::CallQueue,
            call_priority: 3,
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"EndpointsIds":["e"],"ConfigurationId":"c","ConfigurationType":"CallQueue","CallPriority":3})
        );
    }
}
