//! The bodies of `assignNumber`, `unassignNumber` and `updateNumber`, parsed and checked for
//! form (required fields, enum spellings, GUIDs) before any rule looks at the tenant: a malformed
//! body is a synchronous 400, whereas a broken rule fails the operation (see [`super::rules`]).

use serde_json::{Map, Value};

use super::inventory::NumberType;
use crate::body::json_object as object;
use crate::policy::{check_emergency_number, normalize_guid};

/// A validated `assignNumber` body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignRequest {
    pub telephone_number: String,
    pub target_id: String,
    pub number_type: String,
    pub assignment_category: String,
    pub location_id: Option<String>,
}

fn required_string(map: &Map<String, Value>, name: &str) -> Result<String, String> {
    match map.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(format!("{name} is required")),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

fn optional_string(map: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

pub fn parse_assign(body: &[u8]) -> Result<AssignRequest, String> {
    let map = object(body)?;
    let telephone_number = required_string(&map, "telephoneNumber")?;
    check_emergency_number(&telephone_number)
        .map_err(|_| format!("telephoneNumber '{telephone_number}' is not in E.164 form (+ and digits, optionally ;ext=)"))?;
    let target_id = normalize_guid(
        "assignmentTargetId",
        &required_string(&map, "assignmentTargetId")?,
    )?;
    let number_type = required_string(&map, "numberType")?;
    if NumberType::parse(&number_type).is_none() {
        return Err(format!(
            "numberType '{number_type}' is not valid; use directRouting, callingPlan or operatorConnect"
        ));
    }
    let assignment_category =
        optional_string(&map, "assignmentCategory")?.unwrap_or_else(|| "primary".into());
    if !["primary", "private", "alternate"].contains(&assignment_category.as_str()) {
        return Err(format!(
            "assignmentCategory '{assignment_category}' is not valid; use primary, private or alternate"
        ));
    }
    let location_id = match optional_string(&map, "locationId")? {
        Some(l) if !l.is_empty() => Some(normalize_guid("locationId", &l)?),
        _ => None,
    };
    Ok(AssignRequest {
        telephone_number,
        target_id,
        number_type,
        assignment_category,
        location_id,
    })
}

/// `unassignNumber` body: the number and its type.
pub fn parse_unassign(body: &[u8]) -> Result<(String, String), String> {
    let map = object(body)?;
    let number = required_string(&map, "telephoneNumber")?;
    let number_type = required_string(&map, "numberType")?;
    if NumberType::parse(&number_type).is_none() {
        return Err(format!("numberType '{number_type}' is not valid"));
    }
    Ok((number, number_type))
}

/// `updateNumber` body: the number and the location (`Some("")` clears, `None` leaves it).
pub fn parse_update(body: &[u8]) -> Result<(String, Option<String>), String> {
    let map = object(body)?;
    let number = required_string(&map, "telephoneNumber")?;
    let location = optional_string(&map, "locationId")?;
    Ok((number, location))
}
