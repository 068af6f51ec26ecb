//! Phone number assignment through Graph's telephone number management API (contract section 3,
//! `[C]`).
//!
//! Reads filter `numberAssignments` with `$filter` and follow `@odata.nextLink` pages; writes start a
//! long-running operation whose id comes back for [`super::number_operations`] to poll. Enum-like fields stay
//! strings, because Microsoft adds values (`unknownFutureValue`) and a read must never fail on one.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::number_operations::{operation_of, NUMBER_MANAGEMENT};
use crate::client::http::error::{ApiError, Service};
use crate::client::paging::{Continuation, Pages};
use crate::client::Client;
use crate::domain::numbers::ACTIVATED;
use crate::domain::policy_numbers::NumberFacts;

const PERMISSION: &str = "TeamsTelephoneNumber.ReadWrite.All";
/// Page size asked for; Graph allows up to 1000.
const PAGE_SIZE: &str = "1000";
/// Most pages followed before giving up, so a server that links back to itself cannot loop us forever.
const MAX_PAGES: usize = 1000;

/// A number and its assignment, as Graph shows it (`numberAssignment`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NumberAssignment {
    pub id: Option<String>,
    pub telephone_number: String,
    pub number_type: Option<String>,
    pub activation_state: Option<String>,
    pub assignment_status: Option<String>,
    pub assignment_target_id: Option<String>,
    pub assignment_category: Option<String>,
    pub location_id: Option<String>,
    pub iso_country_code: Option<String>,
    pub city: Option<String>,
    /// What the number may be used for (`userAssignment`, `firstPartyAppAssignment`, ...).
    #[serde(deserialize_with = "null_as_empty")]
    pub capabilities: Vec<String>,
}

impl NumberAssignment {
    /// What the shared calling policy's number rules need of this number.
    pub fn facts(&self) -> NumberFacts<'_> {
        NumberFacts {
            telephone_number: &self.telephone_number,
            number_type: self.number_type.as_deref().unwrap_or_default(),
            country: self.iso_country_code.as_deref().unwrap_or_default(),
            has_location: self.location_id.as_deref().is_some_and(|l| !l.is_empty()),
            activated: self.activation_state.as_deref() == Some(ACTIVATED),
            status: self.assignment_status.as_deref().unwrap_or_default(),
            target: self.assignment_target_id.as_deref(),
        }
    }
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

/// `$filter` clauses on the inventory; `None` leaves a property unfiltered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberFilter {
    /// Graph's `numberType` spelling (`directRouting`, ...).
    pub number_type: Option<String>,
    pub assignment_status: Option<String>,
    pub iso_country_code: Option<String>,
    pub assignment_target_id: Option<String>,
}

impl NumberFilter {
    /// The OData `$filter` text: the clauses joined by `and`, empty when nothing is filtered.
    pub fn odata(&self) -> String {
        [
            ("numberType", &self.number_type),
            ("assignmentStatus", &self.assignment_status),
            ("isoCountryCode", &self.iso_country_code),
            ("assignmentTargetId", &self.assignment_target_id),
        ]
        .into_iter()
        .filter_map(|(property, value)| value.as_deref().map(|v| eq_clause(property, v)))
        .collect::<Vec<_>>()
        .join(" and ")
    }
}

/// The body of `assignNumber`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignNumber {
    pub telephone_number: String,
    pub assignment_target_id: String,
    pub number_type: String,
    pub assignment_category: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Page {
    pub(crate) value: Vec<NumberAssignment>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

/// One `$filter` clause, `<property> eq '<value>'`, with quotes doubled as OData wants.
pub fn eq_clause(property: &str, value: &str) -> String {
    format!("{property} eq '{}'", value.replace('\'', "''"))
}

impl Client {
    fn numbers_url(&self, tail: &[&str]) -> url::Url {
        let mut segments: Vec<&str> = NUMBER_MANAGEMENT.to_vec();
        segments.push("numberAssignments");
        segments.extend(tail);
        self.graph_url(&segments)
    }

    /// `Get-CsPhoneNumberAssignment -AssignedPstnTargetId`: every number `object_id` holds.
    pub async fn list_numbers_held_by(
        &self,
        object_id: &str,
    ) -> Result<Vec<NumberAssignment>, ApiError> {
        let filter = NumberFilter {
            assignment_target_id: Some(object_id.to_string()),
            ..Default::default()
        };
        self.list_cs_phone_number_assignments(&filter.odata()).await
    }

    /// The first page's URL of `Get-CsPhoneNumberAssignment -Filter` (also the `doctor`'s probe,
    /// with the smallest `top`).
    pub(crate) fn number_assignments_url(&self, filter: &str, top: &str) -> url::Url {
        let mut url = self.numbers_url(&[]);
        // An empty `$filter=` is a syntax error to OData; the whole inventory is asked without one.
        if !filter.is_empty() {
            url.query_pairs_mut().append_pair("$filter", filter);
        }
        url.query_pairs_mut().append_pair("$top", top);
        url
    }

    /// One page of `Get-CsPhoneNumberAssignment` at `url`.
    pub(crate) fn number_assignments_request(&self, url: url::Url) -> crate::client::http::Request {
        self.graph_request(
            "Get-CsPhoneNumberAssignment",
            Method::GET,
            url,
            None,
            PERMISSION,
        )
    }

    /// `Get-CsPhoneNumberAssignment -Filter`: every number matching the OData `filter`.
    pub async fn list_cs_phone_number_assignments(
        &self,
        filter: &str,
    ) -> Result<Vec<NumberAssignment>, ApiError> {
        let mut url = self.number_assignments_url(filter, PAGE_SIZE);
        let mut all = Vec::new();
        let mut pages = Pages::new(
            "numberAssignments",
            Service::Graph,
            Continuation::NextLink,
            MAX_PAGES,
        );
        loop {
            let request = self.number_assignments_request(url.clone());
            let page: Page = self.transport.send(&request).await?.json()?;
            all.extend(page.value);
            let Some(next) = page.next_link else {
                return Ok(all);
            };
            pages.next(&next, self.transport.scrubber())?;
            url = self.same_origin_link(&next)?;
        }
    }

    /// Whether the inventory lists any number at all (one number asked for).
    pub async fn tenant_lists_numbers(&self) -> Result<bool, ApiError> {
        let request = self.number_assignments_request(self.number_assignments_url("", "1"));
        let page: Page = self.transport.send(&request).await?.json()?;
        Ok(!page.value.is_empty())
    }

    /// `Get-CsPhoneNumberAssignment -TelephoneNumber`: the number, `None` when the tenant has no
    /// such number.
    pub async fn get_cs_phone_number_assignment(
        &self,
        telephone_number: &str,
    ) -> Result<Option<NumberAssignment>, ApiError> {
        let found = self
            .list_cs_phone_number_assignments(&eq_clause("telephoneNumber", telephone_number))
            .await?;
        Ok(found
            .into_iter()
            .find(|n| n.telephone_number == telephone_number))
    }

    /// `Set-CsPhoneNumberAssignment` (assignNumber): starts the assignment; answers the operation id.
    pub async fn set_cs_phone_number_assignment(
        &self,
        assign: &AssignNumber,
    ) -> Result<String, ApiError> {
        let body = serde_json::to_value(assign).expect("assignNumber serialises");
        let request = self.graph_request(
            "Set-CsPhoneNumberAssignment",
            Method::POST,
            self.numbers_url(&["assignNumber"]),
            Some(body),
            PERMISSION,
        );
        let answer = self.transport.send(&request).await?;
        operation_of(&answer, "assignNumber")
    }

    /// `Remove-CsPhoneNumberAssignment` (unassignNumber): starts the removal; answers the operation id.
    pub async fn remove_cs_phone_number_assignment(
        &self,
        telephone_number: &str,
        number_type: &str,
    ) -> Result<String, ApiError> {
        let body =
            serde_json::json!({"telephoneNumber": telephone_number, "numberType": number_type});
        let request = self.graph_request(
            "Remove-CsPhoneNumberAssignment",
            Method::POST,
            self.numbers_url(&["unassignNumber"]),
            Some(body),
            PERMISSION,
        );
        let answer = self.transport.send(&request).await?;
        operation_of(&answer, "unassignNumber")
    }

    /// `Set-CsPhoneNumberAssignment -LocationId` (updateNumber): sets the emergency location, or
    /// clears it with `None` (sent as `""`, as the contract says).
    pub async fn set_cs_phone_number_location(
        &self,
        telephone_number: &str,
        location_id: Option<&str>,
    ) -> Result<(), ApiError> {
        let body = serde_json::json!({
            "telephoneNumber": telephone_number,
            "locationId": location_id.unwrap_or(""),
        });
        let request = self.graph_request(
            "Set-CsPhoneNumberAssignment -LocationId",
            Method::POST,
            self.numbers_url(&["updateNumber"]),
            Some(body),
            PERMISSION,
        );
        self.transport.send(&request).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_quote_values() {
        assert_eq!(
            eq_clause("telephoneNumber", "+12065550100"),
            "telephoneNumber eq '+12065550100'"
        );
        assert_eq!(eq_clause("x", "o'brien"), "x eq 'o''brien'");
    }

    #[test]
    fn number_filters_join_only_what_is_set() {
        assert_eq!(NumberFilter::default().odata(), "");
        let f = NumberFilter {
            number_type: Some("directRouting".into()),
            iso_country_code: Some("US".into()),
            ..Default::default()
        };
        assert_eq!(
            f.odata(),
            "numberType eq 'directRouting' and isoCountryCode eq 'US'"
        );
    }

    #[test]
    fn assignments_read_unknown_values_and_nulls() {
        let n: NumberAssignment = serde_json::from_str(
            r#"{"telephoneNumber":"+1","activationState":"unknownFutureValue","locationId":null,"capabilities":["x"]}"#,
        )
        .unwrap();
        assert_eq!(n.activation_state.as_deref(), Some("unknownFutureValue"));
        assert_eq!(n.location_id, None);
        assert_eq!(n.capabilities, vec!["x".to_string()]);
        let n: NumberAssignment =
            serde_json::from_str(r#"{"telephoneNumber":"+1","capabilities":null}"#).unwrap();
        assert!(n.capabilities.is_empty());
    }

    #[test]
    fn assign_body_omits_a_missing_location() {
        let a = AssignNumber {
            telephone_number: "+12065550100".into(),
            assignment_target_id: "t".into(),
            number_type: "directRouting".into(),
            assignment_category: "primary".into(),
            location_id: None,
        };
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["assignmentTargetId"], "t");
        assert!(v.get("locationId").is_none());
    }
}
