//! The inventory: the tenant's telephone numbers and emergency locations as seeded and stored,
//! the checks a seed's inventory must pass ([`normalize`]), and looking a number up.
//!
//! The model is the emulator's own; seeds write numbers in Graph's camelCase (`telephoneNumber`,
//! `numberType`, `isoCountryCode`, ...), the way an admin reads them in Graph Explorer. How Graph
//! shows a number is [`super::views`]; what changes it is [`super::operations`].

use serde::{Deserialize, Serialize};

use crate::policy::{check_emergency_number, normalize_guid};
use crate::state::Tenant;

/// How a number reaches the phone network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NumberType {
    DirectRouting,
    CallingPlan,
    OperatorConnect,
}

impl NumberType {
    pub fn api_name(self) -> &'static str {
        match self {
            NumberType::DirectRouting => "directRouting",
            NumberType::CallingPlan => "callingPlan",
            NumberType::OperatorConnect => "operatorConnect",
        }
    }

    /// The spelling Teams uses in its error messages (`'CallingPlan' number`).
    pub fn title(self) -> &'static str {
        match self {
            NumberType::DirectRouting => "DirectRouting",
            NumberType::CallingPlan => "CallingPlan",
            NumberType::OperatorConnect => "OperatorConnect",
        }
    }

    pub fn parse(text: &str) -> Option<NumberType> {
        [
            NumberType::DirectRouting,
            NumberType::CallingPlan,
            NumberType::OperatorConnect,
        ]
        .into_iter()
        .find(|t| t.api_name() == text)
    }
}

/// A telephone number of the tenant's inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PhoneNumber {
    pub telephone_number: String,
    pub number_type: NumberType,
    pub iso_country_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_target_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_category: Option<String>,
    #[serde(default = "activated")]
    pub activation_state: String,
    /// Set when the number's target was deleted while holding it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stuck: bool,
    /// Graph's `capabilities` (e.g. `userAssignment`), as seeded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<String>,
}

pub(super) fn activated() -> String {
    "activated".to_string()
}

/// An emergency (civic) location numbers can point at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmergencyLocation {
    pub id: String,
    #[serde(default)]
    pub description: String,
    /// ISO 3166 alpha-2 country of the address.
    pub country_or_region: String,
}

/// Checks and normalises a seeded inventory: well-formed, unique numbers; `;ext=` only on Direct
/// Routing; countries as two capitals; known locations; targets that are users.
pub fn normalize(tenant: &mut Tenant) -> Result<(), String> {
    for loc in tenant.emergency_locations.iter_mut() {
        loc.id = normalize_guid("emergency_locations[].id", &loc.id)?;
        loc.country_or_region = country("countryOrRegion", &loc.country_or_region)?;
    }
    for i in 0..tenant.phone_numbers.len() {
        let (seen, rest) = tenant.phone_numbers.split_at_mut(i);
        let n = &mut rest[0];
        let at = format!("phone_numbers[{i}] ({})", n.telephone_number);
        check_emergency_number(&n.telephone_number)
            .map_err(|e| format!("{at}: {}", e.replace("EmergencyNumbers value", "number")))?;
        if n.telephone_number.contains(";ext=") && n.number_type != NumberType::DirectRouting {
            return Err(format!("{at}: only Direct Routing numbers can carry ;ext="));
        }
        if seen
            .iter()
            .any(|o| o.telephone_number == n.telephone_number)
        {
            return Err(format!("{at}: listed twice"));
        }
        n.iso_country_code =
            country("isoCountryCode", &n.iso_country_code).map_err(|e| format!("{at}: {e}"))?;
        if let Some(l) = &n.location_id {
            n.location_id = Some(seeded_reference(
                &at,
                "locationId",
                l,
                "is not one of emergency_locations",
                |l| tenant.emergency_locations.iter().any(|x| x.id == l),
            )?);
        }
        if let Some(t) = &n.assignment_target_id {
            n.assignment_target_id = Some(seeded_reference(
                &at,
                "assignmentTargetId",
                t,
                "is not a user of the tenant",
                |t| tenant.users.iter().any(|u| u.id == t),
            )?);
        }
    }
    Ok(())
}

/// A GUID a seeded number refers to, normalised, that must name something the tenant has.
fn seeded_reference(
    at: &str,
    property: &str,
    value: &str,
    missing: &str,
    known: impl Fn(&str) -> bool,
) -> Result<String, String> {
    let id = normalize_guid(property, value).map_err(|e| format!("{at}: {e}"))?;
    if !known(&id) {
        return Err(format!("{at}: {property} {id} {missing}"));
    }
    Ok(id)
}

pub(super) fn country(property: &str, value: &str) -> Result<String, String> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(format!(
            "{property} '{value}' is not an ISO 3166 alpha-2 country code"
        ))
    }
}

/// Where `telephone_number` sits in the inventory.
fn position(tenant: &Tenant, telephone_number: &str) -> Option<usize> {
    tenant
        .phone_numbers
        .iter()
        .position(|n| n.telephone_number == telephone_number)
}

pub fn number<'a>(tenant: &'a Tenant, telephone_number: &str) -> Option<&'a PhoneNumber> {
    position(tenant, telephone_number).map(|i| &tenant.phone_numbers[i])
}

pub(super) fn number_mut<'a>(
    tenant: &'a mut Tenant,
    telephone_number: &str,
) -> Option<&'a mut PhoneNumber> {
    position(tenant, telephone_number).map(|i| &mut tenant.phone_numbers[i])
}
