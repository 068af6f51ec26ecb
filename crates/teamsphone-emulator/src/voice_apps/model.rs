//! What the emulator stores of associations (auto attendants and schedules are in
//! [`super::auto_attendants`] and [`super::schedules`], call queues in [`super::call_queues`]), how
//! a seed of them is checked, and how either kind of configuration is found and deleted by id (a
//! deletion takes the configuration's associations with it). Auto attendants and call queues are
//! PascalCase, as the Teams API shows them (contract section 5c); associations are the emulator's
//! own record, snake_case like the rest of the seed's bookkeeping.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use super::auto_attendants::AutoAttendant;
pub use super::call_queues::CallQueue;
use super::schedules::Schedule;

use crate::policy::normalize_guid;
use crate::state::Tenant;
use teamsphone_contract::{
    CALL_PRIORITY_MAX, CONFIGURATION_TYPE_AUTO_ATTENDANT, CONFIGURATION_TYPE_CALL_QUEUE,
};

/// The tenant's voice applications.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceApps {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auto_attendants: Vec<AutoAttendant>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub call_queues: Vec<CallQueue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associations: Vec<Association>,
    /// Schedules auto attendants reference (their own objects, as the service keeps them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<Schedule>,
}

/// One resource account answering for one configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Association {
    pub endpoint_id: String,
    pub configuration_id: String,
    /// `AutoAttendant` or `CallQueue`.
    pub configuration_type: String,
    pub call_priority: u8,
}

impl VoiceApps {
    /// The `ConfigurationType` of the configuration `id` names (any letter case), if there is one.
    pub fn configuration(&self, id: &str) -> Option<&'static str> {
        if self.auto_attendant(id).is_some() {
            Some(CONFIGURATION_TYPE_AUTO_ATTENDANT)
        } else if self.call_queue(id).is_some() {
            Some(CONFIGURATION_TYPE_CALL_QUEUE)
        } else {
            None
        }
    }

    pub fn auto_attendant(&self, id: &str) -> Option<&AutoAttendant> {
        self.auto_attendants
            .iter()
            .find(|a| a.id.eq_ignore_ascii_case(id))
    }

    pub fn call_queue(&self, id: &str) -> Option<&CallQueue> {
        self.call_queues
            .iter()
            .find(|q| q.identity.eq_ignore_ascii_case(id))
    }

    /// The association of resource account `endpoint`, if it has one.
    pub fn association_of(&self, endpoint: &str) -> Option<&Association> {
        self.associations
            .iter()
            .find(|a| a.endpoint_id.eq_ignore_ascii_case(endpoint))
    }

    /// Resource account ids associated with configuration `id`, in association order.
    fn instances_of(&self, id: &str) -> Vec<String> {
        self.associations
            .iter()
            .filter(|a| a.configuration_id.eq_ignore_ascii_case(id))
            .map(|a| a.endpoint_id.clone())
            .collect()
    }

    /// An auto attendant as the Teams API shows it, with its `ApplicationInstances`.
    pub fn auto_attendant_json(&self, aa: &AutoAttendant) -> Value {
        let mut v = serde_json::to_value(aa).unwrap_or(Value::Null);
        v["ApplicationInstances"] = json!(self.instances_of(&aa.id));
        v
    }

    /// A call queue as the Teams API shows it, with its `ApplicationInstances`.
    pub fn call_queue_json(&self, cq: &CallQueue) -> Value {
        let mut v = serde_json::to_value(cq).unwrap_or(Value::Null);
        v["ApplicationInstances"] = json!(self.instances_of(&cq.identity));
        v
    }
}

/// Where configuration `id` (any letter case) stands in `list`, auto attendants or call queues.
pub(super) fn position_of<C>(list: &[C], id: &str, id_of: fn(&C) -> &str) -> Option<usize> {
    list.iter().position(|c| id_of(c).eq_ignore_ascii_case(id))
}

/// Deletes configuration `id` (any letter case) from `list` together with the associations of
/// resource accounts with it, so that they answer for nothing afterwards; `false` when `list`
/// had no such configuration (and nothing was removed).
pub(super) fn remove_configuration<C>(
    list: &mut Vec<C>,
    associations: &mut Vec<Association>,
    id: &str,
    id_of: fn(&C) -> &str,
) -> bool {
    let before = list.len();
    list.retain(|c| !id_of(c).eq_ignore_ascii_case(id));
    if list.len() == before {
        return false;
    }
    associations.retain(|a| !a.configuration_id.eq_ignore_ascii_case(id));
    true
}

/// Checks and normalises a seed's voice applications: GUIDs lower case and unique, names not
/// empty, associations naming a resource account and a configuration of the tenant, one per
/// account, with a priority of 1 to 5.
pub fn normalize(t: &mut Tenant) -> Result<(), String> {
    let apps = &mut t.voice_apps;
    let mut ids: Vec<String> = Vec::new();
    let mut check = |what: &str, id: &mut String, name: &str| -> Result<(), String> {
        *id = normalize_guid(what, id)?;
        if name.trim().is_empty() {
            return Err(format!("{what} {id}: Name must not be empty"));
        }
        if ids.contains(id) {
            return Err(format!("{what} {id} is listed twice"));
        }
        ids.push(id.clone());
        Ok(())
    };
    for aa in &mut apps.auto_attendants {
        check("auto attendant", &mut aa.id, &aa.name)?;
    }
    for cq in &mut apps.call_queues {
        check("call queue", &mut cq.identity, &cq.name)?;
    }
    super::auto_attendants::normalize_schedules(t)?;
    let apps = &mut t.voice_apps;
    let mut seen: Vec<String> = Vec::new();
    for a in &mut apps.associations {
        a.endpoint_id = normalize_guid("association endpoint_id", &a.endpoint_id)?;
        a.configuration_id = normalize_guid("association configuration_id", &a.configuration_id)?;
        let is_account = t.users.iter().any(|u| {
            u.id == a.endpoint_id
                && u.account_type == crate::directory::AccountType::ResourceAccount
        });
        if !is_account {
            return Err(format!(
                "association of {}: no resource account has that id",
                a.endpoint_id
            ));
        }
        let kind = if apps
            .auto_attendants
            .iter()
            .any(|x| x.id == a.configuration_id)
        {
            CONFIGURATION_TYPE_AUTO_ATTENDANT
        } else if apps
            .call_queues
            .iter()
            .any(|x| x.identity == a.configuration_id)
        {
            CONFIGURATION_TYPE_CALL_QUEUE
        } else {
            return Err(format!(
                "association of {}: no auto attendant or call queue {}",
                a.endpoint_id, a.configuration_id
            ));
        };
        if a.configuration_type != kind {
            return Err(format!(
                "association of {}: configuration {} is a {kind}, not a {}",
                a.endpoint_id, a.configuration_id, a.configuration_type
            ));
        }
        if !(1..=CALL_PRIORITY_MAX).contains(&a.call_priority) {
            return Err(format!(
                "association of {}: call_priority must be 1 to {CALL_PRIORITY_MAX}",
                a.endpoint_id
            ));
        }
        if seen.contains(&a.endpoint_id) {
            return Err(format!(
                "resource account {} is associated twice",
                a.endpoint_id
            ));
        }
        seen.push(a.endpoint_id.clone());
    }
    Ok(())
}
