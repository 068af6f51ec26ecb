//! The number rules, in the words Teams uses where they are known: why an assignment, an
//! unassignment or a location change is refused, and the number rules of shared calling policies
//! ([`check_shared_calling_policy`]). Each function looks at the tenant and answers; none changes it.

use super::inventory::{number, PhoneNumber};
use super::requests::AssignRequest;
use crate::directory::{find_user, AccountType, User};
use crate::policy::SharedCallingPolicy;
use crate::state::Tenant;

/// The policy that uses `telephone_number` as an emergency number, if any.
pub(super) fn policy_using<'a>(
    tenant: &'a Tenant,
    telephone_number: &str,
) -> Option<&'a SharedCallingPolicy> {
    tenant
        .shared_calling_policies
        .iter()
        .find(|p| p.emergency_numbers.iter().any(|e| e == telephone_number))
}

/// Why an assignment cannot happen, decided against the tenant as it is now; `None` when it can.
pub(super) fn assign_failure(
    tenant: &Tenant,
    req: &AssignRequest,
    target: &User,
) -> Option<String> {
    let tn = &req.telephone_number;
    let n = match usable_number(tenant, tn, &req.number_type) {
        Ok(n) => n,
        Err(refusal) => return Some(refusal),
    };
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
    req.location_id
        .as_deref()
        .and_then(|l| check_location(tenant, l, n).err())
}

/// The number an assign or unassign of `number_type` can act on, or why it cannot: it does not
/// exist, it is stuck (its holder was deleted), or it is of another type.
pub(super) fn usable_number<'a>(
    tenant: &'a Tenant,
    telephone_number: &str,
    number_type: &str,
) -> Result<&'a PhoneNumber, String> {
    let tn = telephone_number;
    let Some(n) = number(tenant, tn) else {
        return Err(format!("Telephone Number '{tn}' is not found from tenant."));
    };
    if n.stuck {
        return Err(format!(
            "Telephone Number '{tn}' is stuck in a pending state because the user it was assigned to was deleted; contact Microsoft support."
        ));
    }
    if n.number_type.api_name() != number_type {
        return Err(format!(
            "Telephone Number '{tn}' is a {} number, not {number_type}.",
            n.number_type.api_name()
        ));
    }
    Ok(n)
}

/// Whether emergency location `location_id` (normalised) exists and is in the number's country.
pub(super) fn check_location(
    tenant: &Tenant,
    location_id: &str,
    n: &PhoneNumber,
) -> Result<(), String> {
    let l = location_id;
    match tenant.emergency_locations.iter().find(|x| x.id == l) {
        None => Err(format!("Location '{l}' is not found from tenant.")),
        Some(loc) if loc.country_or_region != n.iso_country_code => Err(format!(
            "Location '{l}' is in {}, but Telephone Number '{}' is a number of {}; a number's emergency location must be in its country.",
            loc.country_or_region, n.telephone_number, n.iso_country_code
        )),
        Some(_) => Ok(()),
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
