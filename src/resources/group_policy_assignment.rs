//! `teamsphone_group_policy_assignment`: a policy assigned to a group, with a rank.
//!
//! Direct members of the group get the policy unless they hold one of that type directly or through
//! a better-ranked group (rank 1 wins). Teams keeps ranks 1..n per policy type and renumbers them when
//! a group is added or removed, so `rank` is optional: left out, the group goes last and the state
//! follows whatever rank Teams gives it without showing a diff. Teams allows at most 64 groups per
//! policy type; creating the 65th fails before anything is written, with an error that says so.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueNumber, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::policy_assignment::GroupPolicyAssignment;
use crate::client::Client;
use crate::domain::policies::bare_name;
use crate::framework::attributes::{
    computed_string, optional_computed, required_string, schema_of,
};
use crate::framework::bindings::{
    binding_id, check_policy_binding, parse_binding_id, planned_binding_id, policy_lookup_error,
    policy_type_attribute, policy_type_or_default,
};
use crate::framework::diagnostics::{cannot_import, Reported};
use crate::framework::equality::Equality;
use crate::framework::replace::RequiresReplace;
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::validators::{check_known, guid};
use crate::framework::values::{known_str, owned};

const WHAT: &str = "group policy assignment";
/// Most groups Teams lets one policy type be assigned to.
pub const MAX_GROUPS_PER_POLICY_TYPE: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Model<'a> {
    pub id: ValueString<'a>,
    pub group_id: ValueString<'a>,
    pub policy_type: ValueString<'a>,
    pub policy_name: ValueString<'a>,
    pub rank: ValueNumber,
}

#[derive(Default)]
pub struct GroupPolicyAssignmentResource;

fn schema() -> Schema {
    schema_of(
"Assigns a Teams policy to a group (`New-CsGroupPolicyAssignment`); direct members get it unless they hold one directly or through a better-ranked group. At most 64 groups per policy type. Import with `<group id>/<policy type>`.",
[
                ("id", computed_string("`<group id>/<policy type>`.")),
                ("group_id", required_string("Object id of the Entra group. Changing it replaces the resource.")),
                ("policy_type", policy_type_attribute()),
                ("policy_name", required_string("Name of the policy instance, without `Tag:`. It must exist.")),
                ("rank", optional_computed(AttributeType::Number, "Rank among the groups assigned this policy type; 1 wins over 2. Teams keeps ranks 1..n: a rank past the end is refused. Left out, the group goes last and follows Teams' numbering.")),
            ],
)
}

fn id_of(group: &str, policy_type: &str) -> String {
    binding_id(group, policy_type)
}

fn planned_id(m: &Model<'_>) -> ValueString<'static> {
    planned_binding_id(&m.group_id, &m.policy_type)
}

pub fn parse_id(id: &str) -> Result<(String, String), String> {
    parse_binding_id(id, "<group object id>/<policy type>")
}

fn find<'l>(
    list: &'l [GroupPolicyAssignment],
    group: &str,
    policy_type: &str,
) -> Option<&'l GroupPolicyAssignment> {
    let same = |a: &str, b: &str| Equality::CaseInsensitive.same(a, b);
    list.iter()
        .find(|a| same(&a.group_id, group) && same(&a.policy_type, policy_type))
}

/// The state for what the API holds, keeping the prior spelling of an equal policy name.
pub fn model_from_api<'a>(prior: &Model<'a>, found: &GroupPolicyAssignment) -> Model<'a> {
    let mut m = prior.clone();
    m.policy_name =
        Equality::CaseInsensitive.keep(&prior.policy_name, bare_name(&found.policy_name));
    m.rank = Value::Value(i64::from(found.rank));
    if !prior.group_id.is_value() {
        m.group_id = owned(found.group_id.clone());
    }
    if !prior.policy_type.is_value() {
        m.policy_type = owned(found.policy_type.clone());
    }
    m.id = owned(id_of(&found.group_id, &found.policy_type));
    m
}

fn validate_rank(diags: &mut Diagnostics, rank: &ValueNumber) {
    if let Value::Value(r) = rank {
        if *r < 1 || *r > MAX_GROUPS_PER_POLICY_TYPE as i64 {
            diags.error(
                "Invalid rank",
                format!("rank {r} is out of range; ranks run from 1 (wins) to {MAX_GROUPS_PER_POLICY_TYPE}"),
                AttributePath::new("rank"),
            );
        }
    }
}

/// Writes the planned assignment and returns the state Teams recorded.
async fn put<'a>(
    diags: &mut Diagnostics,
    client: &Client,
    action: &str,
    model: Model<'a>,
) -> Option<Model<'a>> {
    let group = known_str(&model.group_id).to_lowercase();
    let policy_type = known_str(&model.policy_type).to_string();
    let name = known_str(&model.policy_name).to_string();
    let label = format!("{group}/{policy_type}");
    if let Err(e) = client.policy_ids().get(client, &policy_type, &name).await {
        policy_lookup_error(diags, action, WHAT, &policy_type, &name, client, e);
        return None;
    }
    let existing = client
        .get_cs_group_policy_assignments()
        .await
        .or_report(diags, action, WHAT, &label)?;
    let same_type = existing
        .iter()
        .filter(|a| Equality::CaseInsensitive.same(&a.policy_type, &policy_type))
        .count();
    let ours = find(&existing, &group, &policy_type);
    if action == "creating" {
        if ours.is_some() {
            diags.root_error(
                format!("Group policy assignment ({label}) already exists"),
                format!("creating {WHAT} ({label}): group {group} already has a {policy_type} assignment. Bring it under Terraform with: terraform import <address> {label}"),
            );
            return None;
        }
        if same_type >= MAX_GROUPS_PER_POLICY_TYPE {
            diags.root_error(
                format!("Too many groups for {policy_type}"),
                format!("creating {WHAT} ({label}): {policy_type} is already assigned to {same_type} groups, and Teams allows at most {MAX_GROUPS_PER_POLICY_TYPE} per policy type. Remove another group's assignment first."),
            );
            return None;
        }
    }
    let slots = if ours.is_some() {
        same_type
    } else {
        same_type + 1
    };
    let rank = model.rank.as_ref_option().copied();
    if let Some(r) = rank {
        if r as usize > slots {
            diags.error(
                "Invalid rank",
                format!("{action} {WHAT} ({label}): rank {r} is past the end: with this group {policy_type} is assigned to {slots} group(s), so ranks run 1..{slots}"),
                AttributePath::new("rank"),
            );
            return None;
        }
    }
    let written = client
        .new_cs_group_policy_assignment(&group, &policy_type, &name, rank.map(|r| r as u32))
        .await
        .or_report(diags, action, WHAT, &label)?;
    Some(model_from_api(&model, &written))
}

#[async_trait]
impl ManagedResource for GroupPolicyAssignmentResource {
    type Model<'a> = Model<'a>;
    type Private = ValueEmpty;
    /// Group object id (lower case) and policy type.
    type ImportId = (String, String);

    fn schema(&self) -> Schema {
        schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, Model<'a>>> {
        vec![
            RequiresReplace::new("group_id", Equality::CaseInsensitive, |m| &m.group_id),
            RequiresReplace::new("policy_type", Equality::CaseInsensitive, |m| &m.policy_type),
        ]
    }

    fn validate(&self, diags: &mut Diagnostics, config: &Model<'_>) {
        check_known(diags, "group_id", &config.group_id, guid);
        check_policy_binding(diags, &config.policy_type, &config.policy_name);
        validate_rank(diags, &config.rank);
    }

    fn defaults(&self, planned: &mut Model<'_>) {
        planned.policy_type = policy_type_or_default(&planned.policy_type);
    }

    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        m: &mut Model<'a>,
        step: Step<'_, Model<'a>, ValueEmpty>,
    ) -> Option<()> {
        match step {
            // Left out, the rank is whatever Teams gives a new group; in place it stays as it is.
            Step::Update(prior, _) => {
                if m.rank.is_null() {
                    m.rank = prior.rank;
                }
                m.id = prior.id.clone();
            }
            Step::Create | Step::Replace(_) => {
                if m.rank.is_null() {
                    m.rank = Value::Unknown;
                }
                m.id = planned_id(m);
            }
        }
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let group = known_str(&prior.group_id).to_string();
        let policy_type = known_str(&prior.policy_type).to_string();
        let label = id_of(&group, &policy_type);
        let list = client
            .get_cs_group_policy_assignments()
            .await
            .or_report(diags, "reading", WHAT, &label)?;
        Some(match find(&list, &group, &policy_type) {
            Some(found) => Value::Value(model_from_api(&prior, found)),
            None => Value::Null,
        })
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, planned: Model<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        put(diags, client, "creating", planned).await
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Change { planned, .. } = change;
        put(diags, client, "updating", planned).await
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let group = known_str(&prior.group_id).to_lowercase();
        let policy_type = known_str(&prior.policy_type).to_string();
        client
            .remove_cs_group_policy_assignment(&group, &policy_type)
            .await
            .or_report(diags, "deleting", WHAT, &id_of(&group, &policy_type))
    }

    fn import_id(&self, id: &str) -> Result<(String, String), String> {
        parse_id(id)
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, id: &str, key: Self::ImportId) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let (group, policy_type) = key;
        let list = client.get_cs_group_policy_assignments().await.or_report(
            diags,
            "importing",
            WHAT,
            id,
        )?;
        match find(&list, &group, &policy_type) {
            Some(found) => Some(model_from_api(&Model::default(), found)),
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    id,
                    format!("Group {group} has no {policy_type} assignment."),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(name: &str, rank: u32) -> GroupPolicyAssignment {
        GroupPolicyAssignment {
            group_id: "BBBBBBBB-0000-0000-0000-000000000001".into(),
            policy_type: "TeamsSharedCallingRoutingPolicy".into(),
            policy_name: name.into(),
            rank,
        }
    }

    #[test]
    fn reads_follow_rank_and_keep_name_spelling() {
        let prior = Model {
            id: owned("bbbbbbbb-0000-0000-0000-000000000001/TeamsSharedCallingRoutingPolicy"),
            group_id: owned("BBBBBBBB-0000-0000-0000-000000000001"),
            policy_type: owned("TeamsSharedCallingRoutingPolicy"),
            policy_name: owned("Seattle"),
            rank: Value::Value(1),
        };
        let read = model_from_api(&prior, &api("Tag:seattle", 2));
        assert_eq!(read.policy_name, prior.policy_name);
        assert_eq!(read.rank, Value::Value(2));
        assert_eq!(read.id, prior.id);
        let imported = model_from_api(&Model::default(), &api("Tacoma", 1));
        assert_eq!(imported.policy_name, owned("Tacoma"));
        assert_eq!(
            imported.group_id,
            owned("BBBBBBBB-0000-0000-0000-000000000001")
        );
    }

    #[test]
    fn ranks_out_of_range_fail_at_plan_time() {
        let mut diags = Diagnostics::default();
        validate_rank(&mut diags, &Value::Value(0));
        validate_rank(&mut diags, &Value::Value(65));
        validate_rank(&mut diags, &Value::Value(64));
        validate_rank(&mut diags, &Value::Unknown);
        assert_eq!(diags.errors.len(), 2);
        assert!(parse_id("bbbbbbbb-0000-0000-0000-000000000001/CallingLineIdentity").is_ok());
        assert!(parse_id("sales/CallingLineIdentity").is_err());
    }
}
