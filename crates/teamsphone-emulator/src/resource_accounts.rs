//! Resource accounts and the writes Graph allows on users: the rules behind
//! `/Teams.PlatformService/v2/ApplicationInstances` and `PATCH`/`DELETE`/`assignLicense` on
//! `/v1.0/users/{id}` (contract section 2).
//!
//! A resource account is a directory [`User`] with `accountType: resourceAccount`, disabled, and an
//! application id that makes it an Auto Attendant or a Call Queue; there is no separate store. New
//! accounts are eventually consistent: for `settings.new_account_visibility_ms` after creation every
//! read and every write that names the account answers "not found", as Teams does for seconds to
//! minutes ([`visible`]). Pure functions over the tenant, unit-tested without a server.

use serde_json::{json, Map, Value};

use super::body::json_object;
use super::directory::{find_user, find_user_mut, user_position, AssignedLicense, User};
use super::numbers::strand_numbers_of;
use super::policy::normalize_guid;
use super::state::Tenant;
use teamsphone_contract::{AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};

/// Why a request is refused; routes map each kind to a status and their service's error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountError {
    Invalid(String),
    NotFound(String),
    Conflict(String),
}

/// Whether a user can be seen yet: seeded users always, API-created accounts after the delay.
pub fn visible(tenant: &Tenant, user_id: &str, now_ms: u64, delay_ms: u64) -> bool {
    tenant
        .account_created_at_ms
        .get(user_id)
        .is_none_or(|created| now_ms >= created.saturating_add(delay_ms))
}

/// A visible user by id or UPN.
pub fn find_visible<'a>(
    tenant: &'a Tenant,
    reference: &str,
    now_ms: u64,
    delay_ms: u64,
) -> Option<&'a User> {
    find_user(&tenant.users, reference).filter(|u| visible(tenant, &u.id, now_ms, delay_ms))
}

/// An application instance as the Teams API shows it.
pub fn instance_json(tenant: &Tenant, user: &User) -> Value {
    let number = tenant
        .phone_numbers
        .iter()
        .find(|n| n.assignment_target_id.as_deref() == Some(user.id.as_str()))
        .map(|n| format!("tel:{}", n.telephone_number));
    json!({
        "objectId": user.id,
        "userPrincipalName": user.user_principal_name,
        "displayName": user.display_name,
        "applicationId": user.application_id,
        "phoneNumber": number,
    })
}

fn object(body: &[u8]) -> Result<Map<String, Value>, AccountError> {
    json_object(body).map_err(AccountError::Invalid)
}

fn string(map: &Map<String, Value>, name: &str) -> Result<String, AccountError> {
    match map.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        _ => Err(AccountError::Invalid(format!(
            "{name} is required and must be a non-empty string"
        ))),
    }
}

/// `New-CsOnlineApplicationInstance`: a disabled resource account user, invisible for a while.
pub fn create_instance(
    tenant: &mut Tenant,
    body: &[u8],
    new_id: String,
    now_ms: u64,
) -> Result<Value, AccountError> {
    let map = object(body)?;
    let upn = string(&map, "userPrincipalName")?;
    let display_name = string(&map, "displayName")?;
    let app = normalize_guid("applicationId", &string(&map, "applicationId")?)
        .map_err(AccountError::Invalid)?;
    match upn.split_once('@') {
        Some((name, domain)) if !name.is_empty() && domain.contains('.') => {}
        _ => {
            return Err(AccountError::Invalid(format!(
                "userPrincipalName '{upn}' is not of the form name@domain"
            )))
        }
    }
    if app != AUTO_ATTENDANT_APP_ID && app != CALL_QUEUE_APP_ID {
        return Err(AccountError::Invalid(format!(
            "applicationId '{app}' is not supported: use {AUTO_ATTENDANT_APP_ID} (Auto Attendant) or {CALL_QUEUE_APP_ID} (Call Queue)"
        )));
    }
    if find_user(&tenant.users, &upn).is_some() {
        return Err(AccountError::Conflict(format!(
            "Another object with the same value for property userPrincipalName already exists: '{upn}'"
        )));
    }
    // Built from JSON so that fields the directory model gains later take their seed defaults.
    let user: User = serde_json::from_value(json!({
        "id": new_id,
        "userPrincipalName": upn,
        "displayName": display_name,
        "accountEnabled": false,
        "accountType": "resourceAccount",
        "applicationId": app,
    }))
    .map_err(|e| AccountError::Invalid(format!("cannot build the account: {e}")))?;
    tenant.account_created_at_ms.insert(user.id.clone(), now_ms);
    let out = instance_json(tenant, &user);
    tenant.users.push(user);
    Ok(out)
}

/// The user `id` (object id or user principal name) names, or `NotFound`.
fn user_mut<'a>(tenant: &'a mut Tenant, id: &str) -> Result<&'a mut User, AccountError> {
    find_user_mut(&mut tenant.users, id).ok_or_else(|| AccountError::NotFound(id.to_string()))
}

/// Graph `PATCH /users/{id}`: `displayName`, `usageLocation` (`null` clears) and `accountEnabled`.
pub fn patch_user(tenant: &mut Tenant, id: &str, body: &[u8]) -> Result<(), AccountError> {
    let map = object(body)?;
    let user = user_mut(tenant, id)?;
    let mut next = user.clone();
    for (key, value) in &map {
        match (key.as_str(), value) {
            ("displayName", Value::String(s)) if !s.trim().is_empty() => {
                next.display_name = s.clone()
            }
            ("usageLocation", Value::Null) => next.usage_location = None,
            ("usageLocation", Value::String(s))
                if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                next.usage_location = Some(s.to_ascii_uppercase())
            }
            ("accountEnabled", Value::Bool(b)) => next.account_enabled = *b,
            ("displayName" | "usageLocation" | "accountEnabled", other) => {
                return Err(AccountError::Invalid(format!(
                    "Invalid value for property '{key}': {other}"
                )))
            }
            _ => {
                return Err(AccountError::Invalid(format!(
                    "Property '{key}' cannot be changed through the emulator's users API"
                )))
            }
        }
    }
    *user = next;
    Ok(())
}

/// Graph `POST /users/{id}/assignLicense`: both lists are required, as in Graph; adding a license
/// needs a usage location.
pub fn assign_license(tenant: &mut Tenant, id: &str, body: &[u8]) -> Result<User, AccountError> {
    let map = object(body)?;
    let (Some(Value::Array(add)), Some(Value::Array(remove))) =
        (map.get("addLicenses"), map.get("removeLicenses"))
    else {
        return Err(AccountError::Invalid(
            "addLicenses and removeLicenses are both required (use [] for none)".into(),
        ));
    };
    let mut adds = Vec::new();
    for a in add {
        let sku = a
            .get("skuId")
            .and_then(Value::as_str)
            .ok_or_else(|| AccountError::Invalid("each addLicenses entry needs a skuId".into()))?;
        adds.push(normalize_guid("skuId", sku).map_err(AccountError::Invalid)?);
    }
    let mut removes = Vec::new();
    for r in remove {
        let sku = r
            .as_str()
            .ok_or_else(|| AccountError::Invalid("removeLicenses holds skuId strings".into()))?;
        removes.push(normalize_guid("skuId", sku).map_err(AccountError::Invalid)?);
    }
    let user = user_mut(tenant, id)?;
    if !adds.is_empty() && user.usage_location.is_none() {
        return Err(AccountError::Invalid(
            "License assignment cannot be done for user with invalid usage location.".into(),
        ));
    }
    user.assigned_licenses
        .retain(|l| !removes.contains(&l.sku_id));
    for sku in adds {
        if !user.assigned_licenses.iter().any(|l| l.sku_id == sku) {
            user.assigned_licenses.push(AssignedLicense { sku_id: sku });
        }
    }
    Ok(user.clone())
}

/// Graph `DELETE /users/{id}`: numbers the user still holds get stuck (see `numbers`).
pub fn delete_user(tenant: &mut Tenant, id: &str) -> Result<(), AccountError> {
    let index =
        user_position(&tenant.users, id).ok_or_else(|| AccountError::NotFound(id.to_string()))?;
    let user = tenant.users.remove(index);
    strand_numbers_of(tenant, &user.id);
    tenant.account_created_at_ms.remove(&user.id);
    // An account that is gone answers for nothing.
    tenant
        .voice_apps
        .associations
        .retain(|a| a.endpoint_id != user.id);
    for g in tenant.groups.iter_mut() {
        g.members.retain(|m| *m != user.id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant() -> Tenant {
        serde_json::from_value(json!({
            "tenant_id": "11111111-2222-3333-4444-555555555555",
            "domain": "contoso.onmicrosoft.com",
            "phone_numbers": [{"telephoneNumber": "+12065550100", "numberType": "directRouting",
                               "isoCountryCode": "US"}]
        }))
        .unwrap()
    }

    fn create(t: &mut Tenant, upn: &str, id: &str) -> Result<Value, AccountError> {
        let body = json!({"userPrincipalName": upn, "displayName": "AA", "applicationId": AUTO_ATTENDANT_APP_ID});
        create_instance(t, body.to_string().as_bytes(), id.into(), 1000)
    }

    #[test]
    fn new_accounts_appear_after_the_delay() {
        let mut t = tenant();
        let made = create(&mut t, "aa@contoso.com", "a1").unwrap();
        assert_eq!(made["objectId"], "a1");
        assert!(!t.users[0].account_enabled);
        assert!(find_visible(&t, "a1", 1200, 300).is_none());
        assert!(find_visible(&t, "AA@contoso.com", 1300, 300).is_some());
        assert!(matches!(
            create(&mut t, "AA@CONTOSO.com", "a2"),
            Err(AccountError::Conflict(_))
        ));
        let bad = json!({"userPrincipalName": "x@c.com", "displayName": "X", "applicationId": "00000000-0000-0000-0000-000000000001"});
        assert!(
            matches!(create_instance(&mut t, bad.to_string().as_bytes(), "a3".into(), 0),
            Err(AccountError::Invalid(m)) if m.contains("not supported"))
        );
    }

    #[test]
    fn licenses_need_a_usage_location_and_patches_are_checked() {
        let mut t = tenant();
        create(&mut t, "aa@contoso.com", "a1").unwrap();
        let lic = br#"{"addLicenses":[{"skuId":"440EAAA8-b3e0-484b-a8be-62870b9ba70a","disabledPlans":[]}],"removeLicenses":[]}"#;
        assert!(
            matches!(assign_license(&mut t, "a1", lic), Err(AccountError::Invalid(m)) if m.contains("usage location"))
        );
        patch_user(
            &mut t,
            "a1",
            br#"{"usageLocation":"us","displayName":"Seattle AA"}"#,
        )
        .unwrap();
        let u = assign_license(&mut t, "a1", lic).unwrap();
        assert_eq!(
            u.assigned_licenses[0].sku_id,
            "440eaaa8-b3e0-484b-a8be-62870b9ba70a"
        );
        assert_eq!(u.usage_location.as_deref(), Some("US"));
        assert!(matches!(
            patch_user(&mut t, "a1", br#"{"usageLocation":"USA"}"#),
            Err(AccountError::Invalid(_))
        ));
        assert!(matches!(
            patch_user(&mut t, "a1", br#"{"mail":"x"}"#),
            Err(AccountError::Invalid(_))
        ));
        assert!(matches!(
            assign_license(&mut t, "a1", br#"{"addLicenses":[]}"#),
            Err(AccountError::Invalid(_))
        ));
        let removed = assign_license(
            &mut t,
            "a1",
            br#"{"addLicenses":[],"removeLicenses":["440eaaa8-b3e0-484b-a8be-62870b9ba70a"]}"#,
        )
        .unwrap();
        assert!(removed.assigned_licenses.is_empty());
    }

    #[test]
    fn deleting_a_holder_strands_its_number() {
        let mut t = tenant();
        create(&mut t, "aa@contoso.com", "a1").unwrap();
        t.phone_numbers[0].assignment_target_id = Some("a1".into());
        delete_user(&mut t, "a1").unwrap();
        assert!(t.users.is_empty());
        assert!(t.phone_numbers[0].stuck);
        assert_eq!(t.phone_numbers[0].activation_state, "assignmentPending");
        assert!(matches!(
            delete_user(&mut t, "a1"),
            Err(AccountError::NotFound(_))
        ));
    }
}
