//! `New-`, `Get-` and `Remove-CsOnlineApplicationInstanceAssociation` (contract section 2): the
//! rules, per endpoint.
//!
//! A request is refused as a whole (400) when its body is not the contract's (unknown keys
//! included, so a misspelt `EndpointsId` fails loudly) or its priority is out of range, and with
//! 404 when the configuration does not exist. Past that, every endpoint gets its own result:
//! success (`Status` 3), or an error (`Status` 0) with a code: the account is not a resource
//! account or not visible yet (`AppEndpointNotFound`), its application id is of the other kind
//! (`AppEndpointTypeMismatch`), or it already answers for a configuration
//! (`AppEndpointAlreadyAssociated`, the message naming which). One resource account answers for
//! at most one configuration.

use super::{invalid, VoiceAppError};
use serde_json::{json, Map, Value};

use super::model::Association;
use crate::body::json_object;
use crate::directory::AccountType;
use crate::policy::normalize_guid;
use crate::resource_accounts::find_visible;
use crate::state::Tenant;
use teamsphone_contract::{
    ASSOCIATION_ALREADY_ASSOCIATED, ASSOCIATION_ENDPOINT_NOT_FOUND, ASSOCIATION_ERROR_PREFIX,
    ASSOCIATION_STATUS_ERROR, ASSOCIATION_STATUS_SUCCESS, ASSOCIATION_TYPE_MISMATCH,
    AUTO_ATTENDANT_APP_ID, CALL_PRIORITY_DEFAULT, CALL_PRIORITY_MAX, CALL_QUEUE_APP_ID,
    CONFIGURATION_TYPE_AUTO_ATTENDANT, CONFIGURATION_TYPE_CALL_QUEUE,
};

/// Most endpoints one request may name (the cmdlet takes a list; ours is a bound, not a rule).
const MAX_ENDPOINTS: usize = 100;
const KEYS: [&str; 4] = [
    "EndpointsIds",
    "ConfigurationId",
    "ConfigurationType",
    "CallPriority",
];

fn result(id: &str, status: u8, code: Option<&str>, message: String) -> Value {
    json!({
        "Id": id,
        "Status": status,
        "ErrorCode": code.map(|c| format!("{ASSOCIATION_ERROR_PREFIX}{c}")),
        "Message": message,
    })
}

fn endpoints(map: &Map<String, Value>) -> Result<Vec<String>, VoiceAppError> {
    let Some(Value::Array(items)) = map.get("EndpointsIds") else {
        return Err(invalid(
            "EndpointsIds is required: an array of resource account object ids",
        ));
    };
    if items.is_empty() || items.len() > MAX_ENDPOINTS {
        return Err(invalid(format!(
            "EndpointsIds must name 1 to {MAX_ENDPOINTS} resource accounts"
        )));
    }
    items
        .iter()
        .map(|v| match v {
            Value::String(s) => normalize_guid("EndpointsIds", s).map_err(invalid),
            other => Err(invalid(format!("EndpointsIds holds strings, not {other}"))),
        })
        .collect()
}

fn priority(map: &Map<String, Value>) -> Result<u8, VoiceAppError> {
    match map.get("CallPriority") {
        None | Some(Value::Null) => Ok(CALL_PRIORITY_DEFAULT),
        Some(v) => v
            .as_u64()
            .filter(|p| (1..=u64::from(CALL_PRIORITY_MAX)).contains(p))
            .map(|p| p as u8)
            .ok_or_else(|| {
                invalid(format!(
                    "CallPriority {v} is not valid: it must be a whole number from 1 to {CALL_PRIORITY_MAX}"
                ))
            }),
    }
}

fn kind_name(configuration_type: &str) -> &'static str {
    if configuration_type == CONFIGURATION_TYPE_CALL_QUEUE {
        "call queue"
    } else {
        "auto attendant"
    }
}

/// `New-CsOnlineApplicationInstanceAssociation`: the per-endpoint results, in request order.
/// `visible` delays new accounts as every other route does (`now_ms`, `delay_ms`).
pub fn associate(
    t: &mut Tenant,
    body: &[u8],
    now_ms: u64,
    delay_ms: u64,
) -> Result<Value, VoiceAppError> {
    let map = json_object(body).map_err(invalid)?;
    if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(invalid(format!(
            "Unknown property '{key}'; an association takes {}",
            KEYS.join(", ")
        )));
    }
    let endpoints = endpoints(&map)?;
    let configuration_id = match map.get("ConfigurationId") {
        Some(Value::String(s)) => normalize_guid("ConfigurationId", s).map_err(invalid)?,
        _ => {
            return Err(invalid(
                "ConfigurationId is required: the auto attendant or call queue id",
            ))
        }
    };
    let configuration_type = match map.get("ConfigurationType").and_then(Value::as_str) {
        Some(t @ (CONFIGURATION_TYPE_AUTO_ATTENDANT | CONFIGURATION_TYPE_CALL_QUEUE)) => t,
        _ => {
            return Err(invalid(format!(
                "ConfigurationType is required: {CONFIGURATION_TYPE_AUTO_ATTENDANT} or {CONFIGURATION_TYPE_CALL_QUEUE}"
            )))
        }
    };
    let call_priority = priority(&map)?;
    let kind = kind_name(configuration_type);
    let exists = match configuration_type {
        CONFIGURATION_TYPE_CALL_QUEUE => t.voice_apps.call_queue(&configuration_id).is_some(),
        _ => t.voice_apps.auto_attendant(&configuration_id).is_some(),
    };
    if !exists {
        return Err(VoiceAppError::NotFound(format!(
            "No {kind} with id '{configuration_id}' exists in this tenant."
        )));
    }
    let wanted_app = match configuration_type {
        CONFIGURATION_TYPE_CALL_QUEUE => CALL_QUEUE_APP_ID,
        _ => AUTO_ATTENDANT_APP_ID,
    };
    let mut results = Vec::with_capacity(endpoints.len());
    for id in endpoints {
        let account = find_visible(t, &id, now_ms, delay_ms)
            .filter(|u| u.account_type == AccountType::ResourceAccount);
        let Some(account) = account else {
            results.push(result(
                &id,
                ASSOCIATION_STATUS_ERROR,
                Some(ASSOCIATION_ENDPOINT_NOT_FOUND),
                format!("Application instance '{id}' was not found."),
            ));
            continue;
        };
        if account.application_id.as_deref() != Some(wanted_app) {
            results.push(result(
                &id,
                ASSOCIATION_STATUS_ERROR,
                Some(ASSOCIATION_TYPE_MISMATCH),
                format!(
                    "Application instance '{id}' has application id '{}', which cannot answer for a {kind}.",
                    account.application_id.as_deref().unwrap_or("")
                ),
            ));
            continue;
        }
        if let Some(existing) = t.voice_apps.association_of(&id) {
            results.push(result(
                &id,
                ASSOCIATION_STATUS_ERROR,
                Some(ASSOCIATION_ALREADY_ASSOCIATED),
                format!(
                    "Application instance '{id}' is already associated with {} '{}'.",
                    existing.configuration_type, existing.configuration_id
                ),
            ));
            continue;
        }
        t.voice_apps.associations.push(Association {
            endpoint_id: id.clone(),
            configuration_id: configuration_id.clone(),
            configuration_type: configuration_type.to_string(),
            call_priority,
        });
        results.push(result(
            &id,
            ASSOCIATION_STATUS_SUCCESS,
            None,
            format!("Associated with {configuration_type} '{configuration_id}'."),
        ));
    }
    Ok(Value::Array(results))
}

/// `Get-CsOnlineApplicationInstanceAssociation`: `{"Id","ConfigurationType","ConfigurationId"}`.
pub fn association_json(t: &Tenant, endpoint: &str) -> Option<Value> {
    t.voice_apps.association_of(endpoint).map(|a| {
        json!({
            "Id": a.endpoint_id,
            "ConfigurationType": a.configuration_type,
            "ConfigurationId": a.configuration_id,
        })
    })
}

/// `Get-CsOnlineApplicationInstanceAssociationStatus`: the emulator associates at once, so an
/// association that exists is a success.
pub fn status_json(t: &Tenant, endpoint: &str) -> Option<Value> {
    t.voice_apps.association_of(endpoint).map(|a| {
        result(
            &a.endpoint_id,
            ASSOCIATION_STATUS_SUCCESS,
            None,
            format!(
                "Associated with {} '{}'.",
                a.configuration_type, a.configuration_id
            ),
        )
    })
}

/// `Remove-CsOnlineApplicationInstanceAssociation`: the one result, or `None` when there is none.
pub fn disassociate(t: &mut Tenant, endpoint: &str) -> Option<Value> {
    let at = t
        .voice_apps
        .associations
        .iter()
        .position(|a| a.endpoint_id.eq_ignore_ascii_case(endpoint))?;
    let gone = t.voice_apps.associations.remove(at);
    Some(json!([result(
        &gone.endpoint_id,
        ASSOCIATION_STATUS_SUCCESS,
        None,
        format!(
            "Removed the association with {} '{}'.",
            gone.configuration_type, gone.configuration_id
        ),
    )]))
}
