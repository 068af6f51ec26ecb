//! The number rules checked before a shared calling policy is written (`domain::policy_numbers`):
//! read from the inventory, judged, and every broken rule reported on its attribute, so an apply
//! names all of them at once instead of failing on the service's first. An inventory that cannot
//! be read (a sovereign cloud, an app without the number permission) leaves the judgement to the
//! service, with a warning that says so.

use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::shared_calling_policy::SharedCallingPolicy;
use crate::client::{ApiError, Client};
use crate::domain::policy_numbers::{policy_number_problems, PolicyAttribute};
use crate::framework::diagnostics::api_error;

use super::SharedCallingPolicyKind;
use crate::framework::policy_instance::PolicyKind;

const WHAT: &str = SharedCallingPolicyKind::WHAT;

/// `None` (after reporting) when a rule is broken or the inventory read failed: write nothing.
pub async fn check_policy_numbers(
    diags: &mut Diagnostics,
    client: &Client,
    action: &str,
    policy: &SharedCallingPolicy,
    name: &str,
) -> Option<()> {
    let Some(account) = policy.resource_account.as_deref() else {
        return Some(());
    };
    let numbers = match client
        .policy_numbers(account, &policy.emergency_numbers)
        .await
    {
        Ok(Some(numbers)) => numbers,
        Ok(None) => return Some(()),
        Err(e) if matches!(e, ApiError::UnsupportedInCloud { .. }) || e.status() == Some(403) => {
            diags.root_warning(
                format!("Numbers of shared calling policy ({name}) not checked"),
                format!("The phone number inventory could not be read, so the service alone judges the resource account's number and the emergency numbers: {e}"),
            );
            return Some(());
        }
        Err(e) => {
            api_error(diags, action, WHAT, name, &e);
            return None;
        }
    };
    let account_numbers: Vec<_> = numbers.account.iter().map(|n| n.facts()).collect();
    let emergency: Vec<_> = numbers
        .emergency
        .iter()
        .map(|(written, found)| (written.as_str(), found.as_ref().map(|n| n.facts())))
        .collect();
    let problems = policy_number_problems(&account_numbers, &emergency, &policy.identity);
    for (attribute, problem) in &problems {
        let path = match attribute {
            PolicyAttribute::ResourceAccount => "resource_account_id",
            PolicyAttribute::EmergencyNumbers => "emergency_numbers",
        };
        diags.error(
            format!("Shared calling policy ({name}) breaks a number rule"),
            format!("{action} {WHAT} ({name}): {problem}. Nothing was changed."),
            AttributePath::new(path),
        );
    }
    problems.is_empty().then_some(())
}
