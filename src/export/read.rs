//! Reading the tenant's Shared Calling slice for `export`: custom policies (shared calling and
//! emergency call routing), the resource accounts they use, the numbers those accounts hold and
//! the auto attendant or call queue each answers for, who holds the shared calling policies
//! (directly or through a group), the auto attendants with their schedules (one list, then one
//! read per schedule they reference), and the tenant's call queues (one list).
//!
//! The number of requests stays linear: one list of policies of each type, then per referenced
//! account its Graph user, its application instance, one filtered (paged) list of its numbers and
//! its association, then one paged pass
//! over `userConfigurations` (1,000 users a page) for the direct grants and one list of group
//! assignments. Nothing is read per user or per group, and no number of the tenant is listed that
//! an exported account does not hold. What cannot be read
//! as a whole (an account that is gone, a kind the provider does not manage) is reported as a
//! warning and left out, so one odd object does not block adopting the rest.

use std::collections::BTreeMap;

use crate::client::api::call_queues::CallQueue;
use crate::client::api::emergency_call_routing_policy::EmergencyCallRoutingPolicy;
use crate::client::api::numbers::NumberAssignment;
use crate::client::api::policy_assignment::GroupPolicyAssignment;
use crate::client::api::resource_accounts::ApplicationInstance;
use crate::client::api::resource_accounts::GraphUser;
use crate::client::api::shared_calling_policy::SharedCallingPolicy;
use crate::client::api::voice_apps::Association;
use crate::client::workflows::auto_attendants::AutoAttendantRead;
use crate::client::{ApiError, Client};
use crate::domain::policies::bare_name;
use teamsphone_contract::{SHARED_CALLING_POLICY_TYPE, TAG_PREFIX};

/// A resource account with what the export writes about it.
#[derive(Debug, Clone, Default)]
pub struct Account {
    pub user: GraphUser,
    pub instance: ApplicationInstance,
    /// Numbers assigned to the account, in the order Graph lists them.
    pub numbers: Vec<NumberAssignment>,
    /// The auto attendant or call queue it answers for, if any.
    pub association: Option<Association>,
}

/// Everything `export` writes, read from one tenant.
#[derive(Debug, Clone, Default)]
pub struct Slice {
    /// Custom policies (never `Global`), by identity.
    pub policies: Vec<SharedCallingPolicy>,
    /// Custom emergency call routing policies (never `Global`), by identity.
    pub emergency_policies: Vec<EmergencyCallRoutingPolicy>,
    /// Accounts the policies use, keyed by lower-case object id.
    pub accounts: BTreeMap<String, Account>,
    /// Users holding an exported policy directly, keyed by lower-case bare policy name: their
    /// principal names (the object id when a user has none), in the order Graph lists them.
    pub direct_grants: BTreeMap<String, Vec<String>>,
    /// Group assignments of exported policies (shared calling type only), in the order listed.
    pub group_assignments: Vec<GroupPolicyAssignment>,
    /// Every auto attendant of the tenant with its schedules, in the order listed.
    pub auto_attendants: Vec<AutoAttendantRead>,
    /// Every call queue of the tenant, as listed.
    pub call_queues: Vec<CallQueue>,
    /// Things left out, for the user to read.
    pub warnings: Vec<String>,
}

/// Reports what is being read; `export` shows it on a terminal.
pub trait Progress {
    fn step(&self, message: &str);
}

/// Why the slice could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {error}")]
pub struct ReadError {
    action: String,
    // Not a `source`: the message already carries it, and error chains would print it twice.
    error: ApiError,
}

fn failed(action: impl Into<String>) -> impl FnOnce(ApiError) -> ReadError {
    let action = action.into();
    move |error| ReadError { action, error }
}

/// Reads the slice. Warnings collect what was skipped; an API error stops the export.
pub async fn read_slice(client: &Client, progress: &dyn Progress) -> Result<Slice, ReadError> {
    progress.step("reading shared calling policies");
    let mut policies: Vec<SharedCallingPolicy> = client
        .list_cs_teams_shared_calling_routing_policies()
        .await
        .map_err(failed("listing shared calling policies"))?
        .into_iter()
        .filter(|p| p.identity.starts_with(TAG_PREFIX))
        .collect();
    policies.sort_by(|a, b| a.identity.cmp(&b.identity));

    let mut slice = Slice::default();
    let referenced: Vec<String> = policies
        .iter()
        .filter_map(|p| p.resource_account.as_deref())
        .map(str::to_ascii_lowercase)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for (i, id) in referenced.iter().enumerate() {
        progress.step(&format!(
            "reading resource account {} of {} ({id})",
            i + 1,
            referenced.len()
        ));
        if let Some(account) = read_account(client, id, &mut slice.warnings).await? {
            slice.accounts.insert(id.clone(), account);
        }
    }
    read_grants(client, progress, &policies, &mut slice).await?;
    slice.policies = policies;
    progress.step("reading emergency call routing policies");
    let mut emergency: Vec<EmergencyCallRoutingPolicy> = client
        .list_cs_teams_emergency_call_routing_policies()
        .await
        .map_err(failed("listing emergency call routing policies"))?
        .into_iter()
        .filter(|p| p.identity.starts_with(TAG_PREFIX))
        .collect();
    emergency.sort_by(|a, b| a.identity.cmp(&b.identity));
    slice.emergency_policies = emergency;
    progress.step("reading auto attendants");
    let listed = client
        .list_cs_auto_attendants()
        .await
        .map_err(failed("listing auto attendants"))?;
    for aa in listed {
        let action = format!("reading the schedules of auto attendant {}", aa.name);
        slice
            .auto_attendants
            .push(client.with_schedules(aa).await.map_err(failed(action))?);
    }
    progress.step("reading call queues");
    slice.call_queues = client
        .list_cs_call_queues()
        .await
        .map_err(failed("listing call queues"))?;
    Ok(slice)
}

/// Who holds the exported policies: one paged pass over every user's configuration (the only way to
/// find direct holders without a request per user) and one list of group assignments. Grants of
/// policies that are not exported (`Global`, other types) are dropped as they are read.
async fn read_grants(
    client: &Client,
    progress: &dyn Progress,
    policies: &[SharedCallingPolicy],
    slice: &mut Slice,
) -> Result<(), ReadError> {
    let exported: std::collections::BTreeSet<String> = policies
        .iter()
        .map(|p| bare_name(&p.identity).to_ascii_lowercase())
        .collect();
    if exported.is_empty() {
        return Ok(());
    }
    progress.step("reading direct policy grants of users");
    let users = client
        .list_mg_teams_user_configurations(Some(SHARED_CALLING_POLICY_TYPE))
        .await
        .map_err(failed("listing users' shared calling policies"))?;
    for user in &users {
        let Some(policy) = user.direct_policy(SHARED_CALLING_POLICY_TYPE) else {
            continue;
        };
        let key = policy.to_ascii_lowercase();
        if exported.contains(&key) {
            let holder = if user.user_principal_name.is_empty() {
                user.id.clone()
            } else {
                user.user_principal_name.clone()
            };
            slice.direct_grants.entry(key).or_default().push(holder);
        }
    }
    progress.step("reading group policy assignments");
    slice.group_assignments = client
        .get_cs_group_policy_assignments()
        .await
        .map_err(failed("listing group policy assignments"))?
        .into_iter()
        .filter(|g| {
            g.policy_type
                .eq_ignore_ascii_case(SHARED_CALLING_POLICY_TYPE)
        })
        .filter(|g| exported.contains(&bare_name(&g.policy_name).to_ascii_lowercase()))
        .collect();
    Ok(())
}

async fn read_account(
    client: &Client,
    id: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<Account>, ReadError> {
    let action = || format!("reading resource account {id}");
    let Some(user) = client.get_mg_user(id).await.map_err(failed(action()))? else {
        warnings.push(format!(
            "resource account {id} is used by a policy but does not exist; the policy keeps the bare id"
        ));
        return Ok(None);
    };
    let Some(instance) = client
        .application_instance(&user.id)
        .await
        .map_err(failed(action()))?
    else {
        warnings.push(format!(
            "{} is used by a policy but is not a resource account (no Teams application instance); left out",
            user.user_principal_name
        ));
        return Ok(None);
    };
    let numbers = client
        .list_numbers_held_by(&user.id)
        .await
        .map_err(failed(format!(
            "listing phone numbers of {}",
            user.user_principal_name
        )))?;
    let association = client
        .get_cs_online_application_instance_association(&user.id)
        .await
        .map_err(failed(format!(
            "reading the association of {}",
            user.user_principal_name
        )))?;
    Ok(Some(Account {
        user,
        instance,
        numbers,
        association,
    }))
}
