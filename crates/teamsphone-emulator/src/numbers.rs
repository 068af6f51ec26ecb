//! The tenant's telephone numbers, emergency locations and the long-running operations that assign
//! and unassign them (contract section 3), plus the number rules of shared calling policies.
//!
//! Everything here is pure: functions take the tenant, the time and the settings and change the
//! tenant or answer an error, so the rules are unit-tested without a server. The model is the
//! emulator's own; seeds write numbers in Graph's camelCase (`telephoneNumber`, `numberType`,
//! `isoCountryCode`, ...), the way an admin reads them in Graph Explorer.
//!
//! Operations take time, as they do in Teams: an operation is `notStarted` for one step
//! (`settings.operation_step_ms`), `running` for the next, then final. Its outcome is decided when it
//! is submitted (the rules see the tenant as it is then), and its effect lands once it is final:
//! [`advance`] applies every operation whose time has come, and every route that reads or writes
//! numbers calls it first, so no background task is needed and a restarted emulator resumes exactly.
//! A valid assignment marks the number `assignmentPending` for its target straight away, so a second
//! assignment of the same number fails even while the first is still running.
//!
//! Rules (each message names the number and the rule, in the words Teams uses where they are known):
//! - a number is assigned to one target only ("has already been assigned to another user");
//! - the `numberType` given must be the number's type;
//! - a target needs a usage location and a license ("lacks appropriate licenses to assign a
//!   'CallingPlan' number");
//! - a location must exist and be in the number's country;
//! - a number serving as a policy's emergency number cannot be assigned (it shows `policyAssigned`);
//! - deleting a user who still holds a number leaves the number stuck in `assignmentPending`: it can
//!   then be neither assigned nor unassigned, which is why the provider unassigns first;
//! - shared calling policies ([`check_shared_calling_policy`]): the resource account must hold an
//!   activated number with an emergency location, and each emergency number must exist, share that
//!   number's type and country, and be assigned to nobody. A tenant seeded without any numbers skips
//!   these checks, so seeds written before numbers existed keep working.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::directory::{find_user, AccountType, User};
use super::policy::{check_emergency_number, normalize_guid, SharedCallingPolicy};
use super::state::Tenant;

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

fn activated() -> String {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OperationKind {
    Assign,
    Unassign,
}

/// A submitted assign or unassign, and what it will do when its time comes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NumberOperation {
    pub id: String,
    pub kind: OperationKind,
    pub telephone_number: String,
    pub created_at_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// `statusDetail` of a failure decided at submission; `None` succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// Nothing to do (unassigning a free number): the operation ends `skipped`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skip: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub applied: bool,
}

impl NumberOperation {
    /// `notStarted`, `running`, then the final status, one step each.
    pub fn status(&self, now_ms: u64, step_ms: u64) -> &'static str {
        let age = now_ms.saturating_sub(self.created_at_ms);
        if age < step_ms {
            "notStarted"
        } else if age < 2 * step_ms {
            "running"
        } else if self.failure.is_some() {
            "failed"
        } else if self.skip {
            "skipped"
        } else {
            "succeeded"
        }
    }

    fn due(&self, now_ms: u64, step_ms: u64) -> bool {
        now_ms.saturating_sub(self.created_at_ms) >= 2 * step_ms
    }
}

/// Most operations kept per tenant; the oldest finished ones go first.
const MAX_OPERATIONS: usize = 1000;

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
            let l = normalize_guid("locationId", l).map_err(|e| format!("{at}: {e}"))?;
            if !tenant.emergency_locations.iter().any(|x| x.id == l) {
                return Err(format!(
                    "{at}: locationId {l} is not one of emergency_locations"
                ));
            }
            n.location_id = Some(l);
        }
        if let Some(t) = &n.assignment_target_id {
            let t = normalize_guid("assignmentTargetId", t).map_err(|e| format!("{at}: {e}"))?;
            if !tenant.users.iter().any(|u| u.id == t) {
                return Err(format!(
                    "{at}: assignmentTargetId {t} is not a user of the tenant"
                ));
            }
            n.assignment_target_id = Some(t);
        }
    }
    Ok(())
}

fn country(property: &str, value: &str) -> Result<String, String> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(format!(
            "{property} '{value}' is not an ISO 3166 alpha-2 country code"
        ))
    }
}

/// Whether any operation is waiting for [`advance`].
pub fn any_due(tenant: &Tenant, now_ms: u64, step_ms: u64) -> bool {
    tenant
        .number_operations
        .iter()
        .any(|o| !o.applied && o.due(now_ms, step_ms))
}

/// Applies every operation whose time has come.
pub fn advance(tenant: &mut Tenant, now_ms: u64, step_ms: u64) {
    for i in 0..tenant.number_operations.len() {
        let op = &tenant.number_operations[i];
        if op.applied || !op.due(now_ms, step_ms) {
            continue;
        }
        let op = op.clone();
        tenant.number_operations[i].applied = true;
        if op.failure.is_some() || op.skip {
            continue;
        }
        match op.kind {
            OperationKind::Assign => finish_assign(tenant, &op),
            OperationKind::Unassign => finish_unassign(tenant, &op),
        }
    }
    let finished = tenant
        .number_operations
        .iter()
        .filter(|o| o.applied)
        .count();
    if tenant.number_operations.len() > MAX_OPERATIONS && finished > 0 {
        let mut drop = tenant.number_operations.len() - MAX_OPERATIONS;
        tenant.number_operations.retain(|o| {
            let gone = drop > 0 && o.applied;
            drop -= usize::from(gone);
            !gone
        });
    }
}

fn finish_assign(tenant: &mut Tenant, op: &NumberOperation) {
    let target = op.target_id.clone().unwrap_or_default();
    if let Some(n) = number_mut(tenant, &op.telephone_number) {
        n.assignment_target_id = Some(target.clone());
        n.assignment_category = op.assignment_category.clone();
        if op.location_id.is_some() {
            n.location_id = op.location_id.clone();
        }
        n.activation_state = activated();
    }
    if let Some(u) = tenant.users.iter_mut().find(|u| u.id == target) {
        u.enterprise_voice_enabled = true;
    }
}

fn finish_unassign(tenant: &mut Tenant, op: &NumberOperation) {
    let mut former = None;
    if let Some(n) = number_mut(tenant, &op.telephone_number) {
        former = n.assignment_target_id.take();
        n.assignment_category = None;
        // The emergency location belongs to the assignment in the emulator: an unassigned number is
        // back to how it sat in the inventory.
        n.location_id = None;
        n.activation_state = activated();
    }
    if let Some(id) = former {
        let still_holds = tenant
            .phone_numbers
            .iter()
            .any(|n| n.assignment_target_id.as_deref() == Some(&id));
        if let Some(u) = tenant.users.iter_mut().find(|u| u.id == id) {
            u.enterprise_voice_enabled = still_holds;
        }
    }
}

pub fn number<'a>(tenant: &'a Tenant, telephone_number: &str) -> Option<&'a PhoneNumber> {
    tenant
        .phone_numbers
        .iter()
        .find(|n| n.telephone_number == telephone_number)
}

fn number_mut<'a>(tenant: &'a mut Tenant, telephone_number: &str) -> Option<&'a mut PhoneNumber> {
    tenant
        .phone_numbers
        .iter_mut()
        .find(|n| n.telephone_number == telephone_number)
}

/// The policy that uses `telephone_number` as an emergency number, if any.
fn policy_using<'a>(tenant: &'a Tenant, telephone_number: &str) -> Option<&'a SharedCallingPolicy> {
    tenant
        .shared_calling_policies
        .iter()
        .find(|p| p.emergency_numbers.iter().any(|e| e == telephone_number))
}

/// A number as Graph's `numberAssignment` shows it.
pub fn number_json(tenant: &Tenant, n: &PhoneNumber) -> Value {
    let (status, target) = match &n.assignment_target_id {
        Some(t) => {
            let status = match tenant
                .users
                .iter()
                .find(|u| &u.id == t)
                .map(|u| u.account_type)
            {
                Some(AccountType::ResourceAccount) => "voiceApplicationAssigned",
                _ => "userAssigned",
            };
            (status, Some(t.clone()))
        }
        None => match policy_using(tenant, &n.telephone_number) {
            Some(p) => ("policyAssigned", Some(p.identity.clone())),
            None => ("unassigned", None),
        },
    };
    json!({
        "id": n.telephone_number.trim_start_matches('+'),
        "telephoneNumber": n.telephone_number,
        "numberType": n.number_type.api_name(),
        "activationState": n.activation_state,
        "assignmentStatus": status,
        "assignmentTargetId": target,
        "assignmentCategory": n.assignment_category,
        "locationId": n.location_id,
        "civicAddressId": Value::Null,
        "networkSiteId": Value::Null,
        "operatorId": Value::Null,
        "isoCountryCode": n.iso_country_code,
        "city": n.city,
        "capabilities": n.capabilities,
        "numberSource": if n.number_type == NumberType::DirectRouting { "onPremises" } else { "online" },
        "portInStatus": "completed",
        "supportedCustomerActions": [],
        "reverseNumberLookupOptions": [],
    })
}

/// An operation as Graph shows it.
pub fn operation_json(op: &NumberOperation, now_ms: u64, step_ms: u64, base: &str) -> Value {
    let status = op.status(now_ms, step_ms);
    let detail = match status {
        "failed" => op.failure.clone(),
        "skipped" => Some(format!(
            "Telephone Number '{}' is not assigned; nothing to unassign.",
            op.telephone_number
        )),
        _ => None,
    };
    json!({
        "id": op.id,
        "createdDateTime": format!("{}Z", super::error::iso8601(std::time::UNIX_EPOCH + std::time::Duration::from_millis(op.created_at_ms))),
        "status": status,
        "numbers": [{
            "resourceLocation": format!("{base}/v1.0/admin/teams/telephoneNumberManagement/numberAssignments('{}')", op.telephone_number),
            "status": status,
            "statusDetail": detail,
        }],
    })
}

/// A parsed `$filter`: `<property> eq '<value>'` clauses joined by `and`.
pub fn parse_filter(filter: &str) -> Result<Vec<(String, String)>, String> {
    const PROPERTIES: [&str; 7] = [
        "telephoneNumber",
        "assignmentTargetId",
        "numberType",
        "assignmentStatus",
        "activationState",
        "isoCountryCode",
        "locationId",
    ];
    let mut clauses = Vec::new();
    let mut rest = filter.trim();
    while !rest.is_empty() {
        let (property, after) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("Invalid filter clause: '{rest}'"))?;
        if !PROPERTIES.contains(&property) {
            return Err(format!(
                "Invalid filter: the property '{property}' cannot be filtered on; use one of {}",
                PROPERTIES.join(", ")
            ));
        }
        let after = after.trim_start();
        let Some(after) = after.strip_prefix("eq ").map(str::trim_start) else {
            return Err(format!(
                "Invalid filter: only 'eq' is supported after '{property}'"
            ));
        };
        let Some(quoted) = after.strip_prefix('\'') else {
            return Err(format!(
                "Invalid filter: the value for '{property}' must be quoted"
            ));
        };
        let mut value = String::new();
        let mut chars = quoted.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, c)| *c) == Some('\'') {
                    chars.next();
                    value.push('\'');
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                value.push(c);
            }
        }
        let end =
            end.ok_or_else(|| format!("Invalid filter: unterminated value for '{property}'"))?;
        clauses.push((property.to_string(), value));
        rest = quoted[end..].trim_start();
        if let Some(next) = rest.strip_prefix("and ") {
            rest = next.trim_start();
        } else if !rest.is_empty() {
            return Err(format!("Invalid filter: expected 'and' before '{rest}'"));
        }
    }
    Ok(clauses)
}

/// Whether a rendered number matches every clause (strings compare case-insensitively, as in Graph).
pub fn matches(number: &Value, clauses: &[(String, String)]) -> bool {
    clauses.iter().all(|(property, value)| {
        number[property]
            .as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case(value))
    })
}

/// A validated `assignNumber` body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignRequest {
    pub telephone_number: String,
    pub target_id: String,
    pub number_type: String,
    pub assignment_category: String,
    pub location_id: Option<String>,
}

fn object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("The request body must be a JSON object".to_string()),
        Err(e) => Err(format!("The request body is not valid JSON: {e}")),
    }
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

/// Why an assignment cannot happen, decided against the tenant as it is now; `None` when it can.
fn assign_failure(tenant: &Tenant, req: &AssignRequest, target: &User) -> Option<String> {
    let tn = &req.telephone_number;
    let Some(n) = number(tenant, tn) else {
        return Some(format!("Telephone Number '{tn}' is not found from tenant."));
    };
    if n.stuck {
        return Some(format!(
            "Telephone Number '{tn}' is stuck in a pending state because the user it was assigned to was deleted; contact Microsoft support."
        ));
    }
    if n.number_type.api_name() != req.number_type {
        return Some(format!(
            "Telephone Number '{tn}' is a {} number, not {}.",
            n.number_type.api_name(),
            req.number_type
        ));
    }
    match &n.assignment_target_id {
        Some(t) if *t != target.id => {
            return Some(format!(
                "Telephone Number '{tn}' has already been assigned to another user."
            ))
        }
        _ => {}
    }
    if let Some(p) = policy_using(tenant, tn) {
        return Some(format!(
            "Telephone Number '{tn}' is an emergency number of the shared calling policy '{}' and cannot be assigned.",
            p.identity
        ));
    }
    if target.usage_location.is_none() {
        return Some(format!(
            "User '{}' has no usage location; set usageLocation before assigning a number.",
            target.id
        ));
    }
    if target.assigned_licenses.is_empty() {
        return Some(format!(
            "User '{}' lacks appropriate licenses to assign a '{}' number.",
            target.id,
            n.number_type.title()
        ));
    }
    if let Some(l) = &req.location_id {
        match tenant.emergency_locations.iter().find(|x| &x.id == l) {
            None => return Some(format!("Location '{l}' is not found from tenant.")),
            Some(loc) if loc.country_or_region != n.iso_country_code => {
                return Some(format!(
                    "Location '{l}' is in {}, but Telephone Number '{tn}' is a number of {}; a number's emergency location must be in its country.",
                    loc.country_or_region, n.iso_country_code
                ))
            }
            Some(_) => {}
        }
    }
    None
}

/// Submits an assignment. `Err` is a synchronous 404: the target user does not exist (or is not yet
/// visible). Every other rule fails the operation instead, as Teams does.
pub fn submit_assign(
    tenant: &mut Tenant,
    req: AssignRequest,
    id: String,
    now_ms: u64,
    target_visible: bool,
) -> Result<NumberOperation, String> {
    let target = match find_user(&tenant.users, &req.target_id) {
        Some(u) if target_visible => u.clone(),
        _ => return Err(format!("User '{}' not found.", req.target_id)),
    };
    let failure = assign_failure(tenant, &req, &target);
    if failure.is_none() {
        if let Some(n) = number_mut(tenant, &req.telephone_number) {
            if n.assignment_target_id.is_none() {
                n.assignment_target_id = Some(target.id.clone());
                n.activation_state = "assignmentPending".into();
            }
        }
    }
    let op = NumberOperation {
        id,
        kind: OperationKind::Assign,
        telephone_number: req.telephone_number,
        created_at_ms: now_ms,
        target_id: Some(target.id),
        assignment_category: Some(req.assignment_category),
        location_id: req.location_id,
        failure,
        skip: false,
        applied: false,
    };
    tenant.number_operations.push(op.clone());
    Ok(op)
}

pub fn submit_unassign(
    tenant: &mut Tenant,
    telephone_number: String,
    number_type: &str,
    id: String,
    now_ms: u64,
) -> NumberOperation {
    let (failure, skip) = match number(tenant, &telephone_number) {
        None => (
            Some(format!("Telephone Number '{telephone_number}' is not found from tenant.")),
            false,
        ),
        Some(n) if n.stuck => (
            Some(format!(
                "Telephone Number '{telephone_number}' is stuck in a pending state because the user it was assigned to was deleted; contact Microsoft support."
            )),
            false,
        ),
        Some(n) if n.number_type.api_name() != number_type => (
            Some(format!(
                "Telephone Number '{telephone_number}' is a {} number, not {number_type}.",
                n.number_type.api_name()
            )),
            false,
        ),
        Some(n) if n.assignment_target_id.is_none() => (None, true),
        Some(_) => (None, false),
    };
    let op = NumberOperation {
        id,
        kind: OperationKind::Unassign,
        telephone_number,
        created_at_ms: now_ms,
        target_id: None,
        assignment_category: None,
        location_id: None,
        failure,
        skip,
        applied: false,
    };
    tenant.number_operations.push(op.clone());
    op
}

/// Why `updateNumber` is refused (400), or `Ok` after setting or clearing the location.
pub enum UpdateError {
    NotFound(String),
    Invalid(String),
}

pub fn update_location(
    tenant: &mut Tenant,
    telephone_number: &str,
    location: Option<String>,
) -> Result<(), UpdateError> {
    let Some(n) = number(tenant, telephone_number) else {
        return Err(UpdateError::NotFound(format!(
            "Telephone Number '{telephone_number}' is not found from tenant."
        )));
    };
    let country = n.iso_country_code.clone();
    let new = match location {
        None => return Ok(()),
        Some(l) if l.is_empty() => None,
        Some(l) => {
            let l = normalize_guid("locationId", &l).map_err(UpdateError::Invalid)?;
            match tenant.emergency_locations.iter().find(|x| x.id == l) {
                None => {
                    return Err(UpdateError::Invalid(format!(
                        "Location '{l}' is not found from tenant."
                    )))
                }
                Some(loc) if loc.country_or_region != country => {
                    return Err(UpdateError::Invalid(format!(
                        "Location '{l}' is in {}, but Telephone Number '{telephone_number}' is a number of {country}; a number's emergency location must be in its country.",
                        loc.country_or_region
                    )))
                }
                Some(_) => Some(l),
            }
        }
    };
    if let Some(n) = number_mut(tenant, telephone_number) {
        n.location_id = new;
    }
    Ok(())
}

/// Called when a user is deleted: numbers it still held get stuck.
pub fn strand_numbers_of(tenant: &mut Tenant, user_id: &str) {
    for n in tenant.phone_numbers.iter_mut() {
        if n.assignment_target_id.as_deref() == Some(user_id) {
            n.stuck = true;
            n.activation_state = "assignmentPending".into();
        }
    }
}

/// The documented number rules of a shared calling policy (see the module essay).
pub fn check_shared_calling_policy(
    tenant: &Tenant,
    policy: &SharedCallingPolicy,
    account_visible: impl Fn(&User) -> bool,
) -> Result<(), String> {
    if tenant.phone_numbers.is_empty() {
        return Ok(());
    }
    let Some(ra_id) = &policy.resource_account else {
        return Ok(());
    };
    let account = find_user(&tenant.users, ra_id)
        .filter(|u| u.account_type == AccountType::ResourceAccount && account_visible(u))
        .ok_or_else(|| {
            format!("ResourceAccount '{ra_id}' is not a resource account of this tenant")
        })?;
    let ra_number = tenant
        .phone_numbers
        .iter()
        .find(|n| n.assignment_target_id.as_deref() == Some(&account.id) && n.activation_state == "activated")
        .ok_or_else(|| {
            format!(
                "Resource account '{}' has no phone number assigned; a shared calling policy needs a resource account that holds a number with an emergency location",
                account.user_principal_name
            )
        })?;
    if ra_number.location_id.is_none() {
        return Err(format!(
            "The phone number '{}' of resource account '{}' has no emergency location; set one before using the account in a shared calling policy",
            ra_number.telephone_number, account.user_principal_name
        ));
    }
    for e in &policy.emergency_numbers {
        let n = number(tenant, e)
            .ok_or_else(|| format!("EmergencyNumbers value '{e}' is not found from tenant"))?;
        if n.number_type != ra_number.number_type
            || n.iso_country_code != ra_number.iso_country_code
        {
            return Err(format!(
                "EmergencyNumbers value '{e}' is a {} number of {}, but the resource account's number '{}' is a {} number of {}: emergency numbers must have the same number type and country as the resource account's number",
                n.number_type.api_name(),
                n.iso_country_code,
                ra_number.telephone_number,
                ra_number.number_type.api_name(),
                ra_number.iso_country_code
            ));
        }
        if let Some(t) = &n.assignment_target_id {
            return Err(format!(
                "EmergencyNumbers value '{e}' is assigned to '{t}': an emergency number must not be assigned to a user or resource account"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RA: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";
    const LOC_US: &str = "11111111-0000-0000-0000-0000000000aa";
    const LOC_GB: &str = "11111111-0000-0000-0000-0000000000bb";

    fn tenant() -> Tenant {
        let mut t: Tenant = serde_json::from_value(json!({
            "tenant_id": "11111111-2222-3333-4444-555555555555",
            "domain": "contoso.onmicrosoft.com",
            "users": [{"id": RA, "userPrincipalName": "aa@contoso.com", "displayName": "AA",
                       "accountEnabled": false, "accountType": "resourceAccount",
                       "usageLocation": "US",
                       "assignedLicenses": [{"skuId": "440eaaa8-b3e0-484b-a8be-62870b9ba70a"}]},
                      {"id": "cccccccc-0000-0000-0000-000000000001", "userPrincipalName": "bob@contoso.com",
                       "displayName": "Bob"}],
            "emergency_locations": [{"id": LOC_US, "countryOrRegion": "us"},
                                    {"id": LOC_GB, "countryOrRegion": "GB"}],
            "phone_numbers": [
                {"telephoneNumber": "+12065550100", "numberType": "directRouting", "isoCountryCode": "US"},
                {"telephoneNumber": "+12065550150", "numberType": "directRouting", "isoCountryCode": "US"},
                {"telephoneNumber": "+442079460958", "numberType": "directRouting", "isoCountryCode": "GB"},
                {"telephoneNumber": "+12065550177", "numberType": "callingPlan", "isoCountryCode": "US"}
            ]
        }))
        .unwrap();
        normalize(&mut t).unwrap();
        t
    }

    fn assign(number: &str, target: &str, location: Option<&str>) -> AssignRequest {
        AssignRequest {
            telephone_number: number.into(),
            target_id: target.into(),
            number_type: "directRouting".into(),
            assignment_category: "primary".into(),
            location_id: location.map(str::to_string),
        }
    }

    #[test]
    fn operations_pass_through_their_states_and_land_at_the_end() {
        let mut t = tenant();
        let op = submit_assign(
            &mut t,
            assign("+12065550100", RA, Some(LOC_US)),
            "op1".into(),
            1000,
            true,
        )
        .unwrap();
        assert_eq!(op.status(1000, 100), "notStarted");
        assert_eq!(op.status(1150, 100), "running");
        assert_eq!(op.status(1200, 100), "succeeded");
        assert_eq!(
            number(&t, "+12065550100").unwrap().activation_state,
            "assignmentPending"
        );
        advance(&mut t, 1150, 100);
        assert!(!any_due(&t, 1150, 100) && any_due(&t, 1200, 100));
        assert!(!t.users[0].enterprise_voice_enabled);
        advance(&mut t, 1200, 100);
        let n = number(&t, "+12065550100").unwrap();
        assert_eq!(n.activation_state, "activated");
        assert_eq!(n.location_id.as_deref(), Some(LOC_US));
        assert!(t.users[0].enterprise_voice_enabled);
        assert_eq!(
            number_json(&t, n)["assignmentStatus"],
            "voiceApplicationAssigned"
        );

        let op = submit_unassign(
            &mut t,
            "+12065550100".into(),
            "directRouting",
            "op2".into(),
            2000,
        );
        advance(&mut t, 2200, 100);
        assert_eq!(op.status(2200, 100), "succeeded");
        let n = number(&t, "+12065550100").unwrap();
        assert_eq!(
            (n.assignment_target_id.as_ref(), n.location_id.as_ref()),
            (None, None)
        );
        assert!(!t.users[0].enterprise_voice_enabled);
        let again = submit_unassign(
            &mut t,
            "+12065550100".into(),
            "directRouting",
            "op3".into(),
            3000,
        );
        assert_eq!(again.status(3200, 100), "skipped");
    }

    #[test]
    fn assignment_rules_fail_the_operation_with_a_reason() {
        let mut t = tenant();
        let bob = "cccccccc-0000-0000-0000-000000000001";
        submit_assign(
            &mut t,
            assign("+12065550100", RA, None),
            "a".into(),
            0,
            true,
        )
        .unwrap();
        let twice = submit_assign(
            &mut t,
            assign("+12065550100", bob, None),
            "b".into(),
            0,
            true,
        )
        .unwrap();
        assert!(twice
            .failure
            .unwrap()
            .contains("already been assigned to another user"));
        let mut cp = assign("+12065550177", bob, None);
        cp.number_type = "callingPlan".into();
        let e = submit_assign(&mut t, cp, "c".into(), 0, true)
            .unwrap()
            .failure
            .unwrap();
        assert!(e.contains("has no usage location"), "{e}");
        t.users[1].usage_location = Some("US".into());
        let mut cp = assign("+12065550177", bob, None);
        cp.number_type = "callingPlan".into();
        let e = submit_assign(&mut t, cp, "d".into(), 0, true)
            .unwrap()
            .failure
            .unwrap();
        assert!(
            e.contains("lacks appropriate licenses to assign a 'CallingPlan' number"),
            "{e}"
        );
        let e = submit_assign(
            &mut t,
            assign("+12065550150", RA, Some(LOC_GB)),
            "e".into(),
            0,
            true,
        )
        .unwrap()
        .failure
        .unwrap();
        assert!(e.contains("must be in its country"), "{e}");
        let e = submit_assign(
            &mut t,
            assign("+19995550100", RA, None),
            "f".into(),
            0,
            true,
        )
        .unwrap()
        .failure
        .unwrap();
        assert!(e.contains("not found from tenant"), "{e}");
        assert!(submit_assign(
            &mut t,
            assign("+12065550150", RA, None),
            "g".into(),
            0,
            false
        )
        .unwrap_err()
        .contains("not found"));
    }

    #[test]
    fn deleting_a_holder_strands_its_number() {
        let mut t = tenant();
        submit_assign(
            &mut t,
            assign("+12065550100", RA, None),
            "a".into(),
            0,
            true,
        )
        .unwrap();
        advance(&mut t, 1000, 100);
        strand_numbers_of(&mut t, RA);
        let op = submit_unassign(
            &mut t,
            "+12065550100".into(),
            "directRouting",
            "u".into(),
            2000,
        );
        assert!(op.failure.unwrap().contains("stuck in a pending state"));
    }

    #[test]
    fn policy_number_rules() {
        let mut t = tenant();
        let policy = |numbers: &[&str]| SharedCallingPolicy {
            identity: "Tag:Sea".into(),
            description: None,
            resource_account: Some(RA.into()),
            emergency_numbers: numbers.iter().map(|n| n.to_string()).collect(),
        };
        let visible = |_: &User| true;
        let e = check_shared_calling_policy(&t, &policy(&[]), visible).unwrap_err();
        assert!(e.contains("has no phone number assigned"), "{e}");
        submit_assign(
            &mut t,
            assign("+12065550100", RA, None),
            "a".into(),
            0,
            true,
        )
        .unwrap();
        advance(&mut t, 1000, 100);
        let e = check_shared_calling_policy(&t, &policy(&[]), visible).unwrap_err();
        assert!(e.contains("has no emergency location"), "{e}");
        update_location(&mut t, "+12065550100", Some(LOC_US.into()))
            .ok()
            .unwrap();
        check_shared_calling_policy(&t, &policy(&["+12065550150"]), visible).unwrap();
        let e = check_shared_calling_policy(&t, &policy(&["+442079460958"]), visible).unwrap_err();
        assert!(
            e.contains("'+442079460958'") && e.contains("same number type and country"),
            "{e}"
        );
        let e = check_shared_calling_policy(&t, &policy(&["+12065550100"]), visible).unwrap_err();
        assert!(e.contains("must not be assigned"), "{e}");
        let e = check_shared_calling_policy(&t, &policy(&["+12065550177"]), visible).unwrap_err();
        assert!(e.contains("callingPlan number of US"), "{e}");
        t.shared_calling_policies.push(policy(&["+12065550150"]));
        let n = number(&t, "+12065550150").unwrap();
        assert_eq!(number_json(&t, n)["assignmentStatus"], "policyAssigned");
        assert_eq!(number_json(&t, n)["assignmentTargetId"], "Tag:Sea");
        let op = submit_assign(
            &mut t,
            assign("+12065550150", RA, None),
            "x".into(),
            0,
            true,
        )
        .unwrap();
        assert!(op
            .failure
            .unwrap()
            .contains("emergency number of the shared calling policy"));
    }

    #[test]
    fn filters_parse_and_match() {
        let clauses =
            parse_filter("telephoneNumber eq '+1' and numberType eq 'directRouting'").unwrap();
        assert_eq!(clauses.len(), 2);
        assert!(parse_filter("x eq 'o''b'")
            .unwrap_err()
            .contains("cannot be filtered"));
        assert!(parse_filter("city eq 'a'").is_err());
        assert_eq!(
            parse_filter("telephoneNumber eq 'o''b'").unwrap()[0].1,
            "o'b"
        );
        assert!(parse_filter("telephoneNumber gt '1'")
            .unwrap_err()
            .contains("only 'eq'"));
        assert!(parse_filter("telephoneNumber eq '1")
            .unwrap_err()
            .contains("unterminated"));
        assert!(matches(
            &json!({"numberType": "directRouting"}),
            &[("numberType".into(), "DIRECTROUTING".into())]
        ));
        assert!(!matches(
            &json!({"numberType": null}),
            &[("numberType".into(), "x".into())]
        ));
    }

    #[test]
    fn bodies_are_checked() {
        let ok = parse_assign(br#"{"telephoneNumber":"+12065550100","assignmentTargetId":"0E5A2A42-1B55-4B3B-9F68-1F0D6C0B2A11","numberType":"directRouting"}"#).unwrap();
        assert_eq!(ok.target_id, RA);
        assert_eq!(ok.assignment_category, "primary");
        assert!(parse_assign(br#"{"telephoneNumber":"2065550100","assignmentTargetId":"x","numberType":"directRouting"}"#).unwrap_err().contains("E.164"));
        assert!(parse_assign(br#"{"telephoneNumber":"+12065550100","assignmentTargetId":"0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11","numberType":"pstn"}"#).unwrap_err().contains("numberType 'pstn'"));
    }
}
