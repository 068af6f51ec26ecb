//! `teamsphone_user_policy_assignment`: one policy granted directly to one user.
//!
//! The user may be named by object id or principal name; a name is resolved to the object id once,
//! at create, and the id `<object id>/<policy type>` is what every later call uses. Changing the user
//! or the type replaces the resource; changing the policy name re-grants in place. Only a direct
//! assignment counts: when the user gets the policy through a group, or only `Global`, the binding
//! is gone and is planned again. Each create or update costs one policy-id lookup (cached per
//! provider process), one assign request and one configuration read per poll. Refresh, delete and
//! import read the user through the tenant snapshot's cost rule (`client::snapshot`): a few users
//! are read one by one, many share one paged pass, and this process's own writes always count. A
//! shared calling grant warns about a user who will not call out as the shared number
//! (`domain::readiness`), from the first confirmation read: no extra request.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::policy_assignment::TeamsUserConfiguration;
use crate::client::snapshot::UserRecord;
use crate::client::waits::{Backoff, Wait, PROPAGATION_BOUND};
use crate::client::Client;
use crate::domain::directory::validate_user_ref;
use crate::framework::attributes::{computed_string, required_string, schema_of};
use crate::framework::bindings::{
    binding_id, check_policy_binding, not_yet_visible, parse_binding_id, planned_binding_id,
    policy_lookup_error, policy_type_attribute, policy_type_or_default, warn_unready_grantees,
};
use crate::framework::diagnostics::{api_error, cannot_import, Reported};
use crate::framework::equality::Equality;
use crate::framework::replace::RequiresReplace;
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::validators::{check_known, is_guid};
use crate::framework::values::{known_str, owned};

const WHAT: &str = "user policy assignment";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Model<'a> {
    pub id: ValueString<'a>,
    pub user_id: ValueString<'a>,
    pub policy_type: ValueString<'a>,
    pub policy_name: ValueString<'a>,
}

#[derive(Default)]
pub struct UserPolicyAssignmentResource;

fn schema() -> Schema {
    schema_of(
"Grants one Teams policy directly to one user (`Grant-CsTeams...Policy -Identity`), for example the shared calling routing policy or an emergency call routing policy. Import with `<user object id>/<policy type>`.",
[
                ("id", computed_string("`<user object id>/<policy type>`.")),
                ("user_id", required_string("The user: object id or user principal name, resolved to the object id once. Changing it replaces the resource.")),
                ("policy_type", policy_type_attribute()),
                ("policy_name", required_string("Name of the policy instance to grant, without `Tag:`. It must exist. Changing it re-grants in place.")),
            ],
)
}

/// `<object id>/<type>` for an id that is known at plan time (a GUID user reference).
fn planned_id(model: &Model<'_>) -> ValueString<'static> {
    planned_binding_id(&model.user_id, &model.policy_type)
}

/// Splits `<object id>/<type>`.
pub fn parse_id(id: &str) -> Result<(String, String), String> {
    parse_binding_id(
        id,
        "<user object id>/<policy type>, e.g. 3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01/TeamsSharedCallingRoutingPolicy",
    )
}

/// The state for what a read found: the prior spelling when it names the same policy.
pub fn model_from_read<'a>(prior: &Model<'a>, direct: Option<&str>) -> Value<Model<'a>> {
    let Some(found) = direct else {
        return Value::Null;
    };
    let mut model = prior.clone();
    model.policy_name = Equality::CaseInsensitive.keep(&prior.policy_name, found);
    Value::Value(model)
}

/// Whether the user holds policy `name` of `policy_type` directly.
fn holds(c: &TeamsUserConfiguration, policy_type: &str, name: &str) -> bool {
    c.direct_policy(policy_type)
        .is_some_and(|p| Equality::CaseInsensitive.same(p, name))
}

/// The same, for a record of the tenant snapshot.
fn record_holds(c: &UserRecord, policy_type: &str, name: &str) -> bool {
    c.direct_policy(policy_type)
        .is_some_and(|p| Equality::CaseInsensitive.same(p, name))
}

/// The `<object id>/<type>` recorded in state, or an error saying it cannot be read.
fn id_in_state(diags: &mut Diagnostics, model: &Model<'_>) -> Option<(String, String)> {
    match parse_id(known_str(&model.id)) {
        Ok(parts) => Some(parts),
        Err(problem) => {
            diags.root_error("Invalid user policy assignment id in state", problem);
            None
        }
    }
}

impl UserPolicyAssignmentResource {
    /// Grants the planned policy to `user` and waits for reads to show it.
    async fn grant(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        action: &str,
        user: &str,
        model: &Model<'_>,
    ) -> bool {
        let policy_type = known_str(&model.policy_type);
        let name = known_str(&model.policy_name);
        let policy_id = match client.policy_ids().get(client, policy_type, name).await {
            Ok(id) => id,
            Err(e) => {
                policy_lookup_error(diags, action, WHAT, policy_type, name, client, e);
                return false;
            }
        };
        let writing = client.assignment_writes().await;
        let user_ids = [user.to_string()];
        client.claim_users(policy_type, &user_ids);
        let outcome = client
            .grant_user_policies(policy_type, &policy_id, name, &user_ids)
            .await;
        let result = outcome.into_iter().next().map(|o| o.result);
        if matches!(result, Some(Ok(()))) {
            client.note_policy_writes(policy_type, Some(name), &user_ids);
        }
        drop(writing);
        if let Some(Err(e)) = result {
            api_error(
                diags,
                action,
                WHAT,
                &format!("{name} to {}", known_str(&model.user_id)),
                &e,
            );
            return false;
        }
        let mut wait = Wait::for_at_most(Backoff::PROPAGATION, PROPAGATION_BOUND);
        // The confirmation read carries everything the readiness warnings need: no extra request
        // per resource, which matters at thousands of them.
        let mut warned = false;
        loop {
            let read = client.get_mg_teams_user_configuration(user).await;
            if let (Ok(Some(c)), false) = (&read, warned) {
                let record = UserRecord::from_one(c);
                warn_unready_grantees(diags, "user_id", (policy_type, name), [&record]);
                warned = true;
            }
            match read {
                Ok(Some(c)) if holds(&c, policy_type, name) => return true,
                Ok(_) => {}
                Err(e) => {
                    api_error(diags, action, WHAT, name, &e);
                    return true;
                }
            }
            if !wait.pause(None).await {
                not_yet_visible(diags, WHAT, name, 1);
                return true;
            }
        }
    }
}

#[async_trait]
impl ManagedResource for UserPolicyAssignmentResource {
    type Model<'a> = Model<'a>;
    type Private = ValueEmpty;
    /// User object id (lower case) and policy type.
    type ImportId = (String, String);

    fn schema(&self) -> Schema {
        schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, Model<'a>>> {
        vec![
            RequiresReplace::new("user_id", Equality::CaseInsensitive, |m| &m.user_id),
            RequiresReplace::new("policy_type", Equality::CaseInsensitive, |m| &m.policy_type),
        ]
    }

    fn validate(&self, diags: &mut Diagnostics, config: &Model<'_>) {
        check_known(diags, "user_id", &config.user_id, validate_user_ref);
        check_policy_binding(diags, &config.policy_type, &config.policy_name);
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
        m.id = match step {
            Step::Update(prior, _) => prior.id.clone(),
            Step::Create | Step::Replace(_) => planned_id(m),
        };
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let (user, policy_type) = id_in_state(diags, &prior)?;
        match client.user_record(&user).await.or_report(
            diags,
            "reading",
            WHAT,
            known_str(&prior.id),
        )? {
            Some(c) => Some(model_from_read(&prior, c.direct_policy(&policy_type))),
            None => Some(Value::Null),
        }
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, mut model: Model<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let reference = known_str(&model.user_id).to_string();
        let user = if is_guid(&reference) {
            reference.to_lowercase()
        } else {
            match client
                .get_mg_user(&reference)
                .await
                .or_report(diags, "creating", WHAT, &reference)?
            {
                Some(u) => u.id.to_lowercase(),
                None => {
                    diags.error(
                        format!("User {reference} does not exist"),
                        format!("creating {WHAT} ({reference}): no user with principal name {reference:?} exists in tenant {}", client.tenant_id()),
                        AttributePath::new("user_id"),
                    );
                    return None;
                }
            }
        };
        if !self.grant(diags, client, "creating", &user, &model).await {
            return None;
        }
        model.id = owned(binding_id(&user, known_str(&model.policy_type)));
        Some(model)
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Change { prior, mut planned } = change;
        let (user, _) = id_in_state(diags, &prior)?;
        let renamed = !Equality::CaseInsensitive.same(
            known_str(&prior.policy_name),
            known_str(&planned.policy_name),
        );
        if renamed && !self.grant(diags, client, "updating", &user, &planned).await {
            return None;
        }
        planned.id = prior.id;
        Some(planned)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: Model<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let Ok((user, policy_type)) = parse_id(known_str(&prior.id)) else {
            return Some(());
        };
        let name = known_str(&prior.policy_name).to_string();
        let writing = client.assignment_writes().await;
        match client.user_record(&user).await.or_report(
            diags,
            "deleting",
            WHAT,
            known_str(&prior.id),
        )? {
            // Another resource of this run now grants the user this type: leave it to that one.
            _ if client.is_claimed(&policy_type, &user) => return Some(()),
            Some(c) if record_holds(&c, &policy_type, &name) => {}
            // The user is gone, or no longer holds this policy directly: nothing to undo.
            _ => return Some(()),
        }
        let outcome = client
            .revoke_user_policies(&policy_type, std::slice::from_ref(&user))
            .await;
        let result = outcome.into_iter().next().map(|o| o.result);
        if matches!(result, Some(Ok(()))) {
            client.note_policy_writes(&policy_type, None, std::slice::from_ref(&user));
        }
        drop(writing);
        if let Some(Err(e)) = result {
            api_error(diags, "deleting", WHAT, known_str(&prior.id), &e);
            return None;
        }
        let mut wait = Wait::for_at_most(Backoff::PROPAGATION, PROPAGATION_BOUND);
        loop {
            match client.get_mg_teams_user_configuration(&user).await {
                Ok(Some(c)) if holds(&c, &policy_type, &name) => {}
                _ => return Some(()),
            }
            if !wait.pause(None).await {
                not_yet_visible(diags, WHAT, &name, 1);
                return Some(());
            }
        }
    }

    fn import_id(&self, id: &str) -> Result<(String, String), String> {
        parse_id(id)
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, id: &str, key: Self::ImportId) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let (user, policy_type) = key;
        let config = client
            .user_record(&user)
            .await
            .or_report(diags, "importing", WHAT, id)?;
        match config.as_ref().and_then(|c| c.direct_policy(&policy_type)) {
            Some(name) => Some(Model {
                id: owned(binding_id(&user, &policy_type)),
                user_id: owned(user.clone()),
                policy_type: owned(policy_type.clone()),
                policy_name: owned(name),
            }),
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    id,
                    format!("User {user} has no direct {policy_type} assignment (a policy inherited from a group or Global cannot be imported)."),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str) -> Model<'static> {
        Model {
            id: owned("aaaaaaaa-0000-0000-0000-000000000001/TeamsSharedCallingRoutingPolicy"),
            user_id: owned("Ann@contoso.com"),
            policy_type: owned("TeamsSharedCallingRoutingPolicy"),
            policy_name: owned(name),
        }
    }

    #[test]
    fn ids_parse_and_reject_other_shapes() {
        assert_eq!(
            parse_id("AAAAAAAA-0000-0000-0000-000000000001/CallingLineIdentity").unwrap(),
            (
                "aaaaaaaa-0000-0000-0000-000000000001".into(),
                "CallingLineIdentity".into()
            )
        );
        assert!(parse_id("ann@contoso.com/CallingLineIdentity").is_err());
        assert!(parse_id("aaaaaaaa-0000-0000-0000-000000000001").is_err());
    }

    #[test]
    fn reads_keep_the_spelling_and_see_drift() {
        assert_eq!(
            model_from_read(&model("Seattle"), Some("seattle")),
            Value::Value(model("Seattle"))
        );
        assert_eq!(
            model_from_read(&model("Seattle"), Some("Tacoma")),
            Value::Value(model("Tacoma"))
        );
        assert_eq!(model_from_read(&model("Seattle"), None), Value::Null);
    }

    #[test]
    fn plan_knows_the_id_only_for_object_ids() {
        let mut m = model("Seattle");
        assert_eq!(planned_id(&m), Value::Unknown);
        m.user_id = owned("AAAAAAAA-0000-0000-0000-000000000001");
        assert_eq!(planned_id(&m), model("x").id);
    }
}
