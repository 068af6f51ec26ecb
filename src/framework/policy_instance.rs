//! One resource shape for every Teams policy instance (`Tag:<name>`): the shared calling routing
//! policy and the emergency call routing policy today, and any other `*-Cs*Policy` instance later.
//!
//! They behave alike, so the behaviour is written once here and each kind says only what differs
//! ([`PolicyKind`]: its model, its API object and the four client calls):
//! - users write the bare name, which forces replacement; the API's `Tag:<name>` becomes the `id`;
//! - a read that finds nothing removes the policy from state, so a deletion outside Terraform plans
//!   a re-creation;
//! - a create that meets a policy (409) adopts it only when it is identical (the apply's own first
//!   attempt whose answer was lost); a different one must be imported deliberately;
//! - an update sends only what changed;
//! - destroying a policy still granted to users or groups is refused unless `force_destroy`
//!   (outside the global cloud, where grants cannot be read, it warns and goes ahead);
//! - import takes the name, with or without `Tag:`.
//!
//! It lives in the framework because resources never import from each other.

use std::marker::PhantomData;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty, ValueString};
use tf_provider::Diagnostics;

use super::diagnostics::{api_error, cannot_import, Reported};
use super::equality::Equality;
use super::replace::RequiresReplace;
use super::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use super::validators::check_known;
use super::values::owned;
use crate::client::{ApiError, Client};
use crate::domain::policies::{
    bare_name, identity_of, validate_description, validate_instance_name,
};
use crate::domain::text::capitalized;

/// What one kind of policy instance adds to the common shape.
#[async_trait]
pub trait PolicyKind: Default + Send + Sync + 'static {
    type Model<'a>: Serialize + Deserialize<'a> + Clone + Default + Send + Sync;
    /// The policy as the API reads and writes it.
    type Api: Send + Sync;
    /// What an update sends.
    type Changes: Send + Sync;

    /// How the kind is named in messages, in lower case (`shared calling policy`).
    const WHAT: &'static str;
    /// Its policy type, for counting grants before a delete.
    const POLICY_TYPE: &'static str;
    /// What users who hold it lose when it is deleted anyway (ends the `force_destroy` advice).
    const DELETED_ANYWAY: &'static str;

    fn schema() -> Schema;
    /// Plan-time checks beyond the name and the description.
    fn validate_rest(diags: &mut Diagnostics, config: &Self::Model<'_>);

    // Implementations add `where 'a: 'a` to the accessors and `from_api`: here `'a` sits in a
    // projection, which makes it early-bound, and that bound makes the impl's early-bound too.
    fn name<'m, 'a>(model: &'m Self::Model<'a>) -> &'m ValueString<'a>;
    fn description<'m, 'a>(model: &'m Self::Model<'a>) -> &'m ValueString<'a>;
    fn id<'m, 'a>(model: &'m Self::Model<'a>) -> &'m ValueString<'a>;
    fn id_mut<'m, 'a>(model: &'m mut Self::Model<'a>) -> &'m mut ValueString<'a>;
    fn force_destroy(model: &Self::Model<'_>) -> bool;

    fn to_api(model: &Self::Model<'_>) -> Self::Api;
    fn api_identity(policy: &Self::Api) -> &str;
    /// The state for `policy`, keeping `prior`'s spelling where the API means the same.
    fn from_api<'a>(prior: &Self::Model<'a>, policy: &Self::Api) -> Self::Model<'a>;
    /// What an update must send to turn `prior` into `planned`; `None` when nothing changes.
    fn changes(prior: &Self::Model<'_>, planned: &Self::Model<'_>) -> Option<Self::Changes>;

    async fn get(client: &Client, identity: &str) -> Result<Option<Self::Api>, ApiError>;
    async fn create(client: &Client, policy: &Self::Api) -> Result<Self::Api, ApiError>;
    async fn set(client: &Client, identity: &str, changes: &Self::Changes) -> Result<(), ApiError>;
    async fn remove(client: &Client, identity: &str) -> Result<(), ApiError>;

    /// Checks that read the API before a write: `changes` is `None` on create. `None` (after
    /// reporting) writes nothing.
    async fn check_write(
        _diags: &mut Diagnostics,
        _client: &Client,
        _action: &str,
        _policy: &Self::Api,
        _changes: Option<&Self::Changes>,
    ) -> Option<()> {
        Some(())
    }
}

/// How a policy is named in messages: its name, else the name in its identity.
pub fn policy_display_name(name: &ValueString<'_>, id: &ValueString<'_>) -> String {
    name.as_deref_option()
        .map(str::to_string)
        .or_else(|| id.as_deref_option().map(|id| bare_name(id).to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// The identity to address a policy by: the recorded one, else the one its name gives.
pub fn policy_identity(name: &ValueString<'_>, id: &ValueString<'_>) -> String {
    id.as_deref_option()
        .map(str::to_string)
        .unwrap_or_else(|| identity_of(&policy_display_name(name, id)))
}

/// The resource for policy kind `K`.
// Derived: every kind is `Default`, so the bound the derive adds always holds.
#[derive(Default)]
pub struct PolicyInstanceResource<K>(PhantomData<K>);

fn shown<K: PolicyKind>(model: &K::Model<'_>) -> String {
    policy_display_name(K::name(model), K::id(model))
}

fn identity<K: PolicyKind>(model: &K::Model<'_>) -> String {
    policy_identity(K::name(model), K::id(model))
}

/// The kind's name with a capital, for summaries.
fn title<K: PolicyKind>() -> String {
    capitalized(K::WHAT)
}

#[async_trait]
impl<K: PolicyKind> ManagedResource for PolicyInstanceResource<K> {
    type Model<'a> = K::Model<'a>;
    type Private = ValueEmpty;
    /// The bare policy name.
    type ImportId = String;

    fn schema(&self) -> Schema {
        K::schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, K::Model<'a>>> {
        vec![RequiresReplace::new("name", Equality::Exact, |m| {
            K::name(m)
        })]
    }

    fn validate(&self, diags: &mut Diagnostics, config: &K::Model<'_>) {
        check_known(diags, "name", K::name(config), validate_instance_name);
        check_known(
            diags,
            "description",
            K::description(config),
            validate_description,
        );
        K::validate_rest(diags, config);
    }

    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        planned: &mut K::Model<'a>,
        _step: Step<'_, K::Model<'a>, ValueEmpty>,
    ) -> Option<()> {
        let id = match K::name(planned).as_deref_option() {
            Some(name) => owned(identity_of(name)),
            None => Value::Unknown,
        };
        *K::id_mut(planned) = id;
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: K::Model<'a>) -> Read<'a, Self> {
        let Cx { diags, client, .. } = cx;
        match K::get(client, &identity::<K>(&prior)).await.or_report(
            diags,
            "reading",
            K::WHAT,
            &shown::<K>(&prior),
        )? {
            Some(policy) => Some(Value::Value(K::from_api(&prior, &policy))),
            None => Some(Value::Null),
        }
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, mut model: K::Model<'a>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let policy = K::to_api(&model);
        let name = shown::<K>(&model);
        let what = K::WHAT;
        K::check_write(diags, client, "creating", &policy, None).await?;
        match K::create(client, &policy).await {
            Ok(created) => {
                *K::id_mut(&mut model) = owned(K::api_identity(&created));
                Some(model)
            }
            Err(e) if e.is_conflict() => {
                // A create whose answer was lost is retried (by us, or by the HTTP stack on a reused
                // connection) and meets its own first attempt as a 409. If the policy there is exactly
                // the one asked for, adopt it instead of failing or leaving an orphan; a different one
                // is someone else's and must be imported deliberately.
                if let Ok(Some(existing)) = K::get(client, K::api_identity(&policy)).await {
                    if K::changes(&K::from_api(&model, &existing), &model).is_none() {
                        diags.root_warning(
                            format!("Adopted existing {what} ({name})"),
                            "The create met a policy identical to the configuration, most likely made by this apply's own first attempt whose answer was lost. It is now managed by Terraform.",
                        );
                        *K::id_mut(&mut model) = owned(K::api_identity(&existing));
                        return Some(model);
                    }
                }
                diags.root_error(
                    format!("{} ({name}) already exists", title::<K>()),
                    format!(
                        "creating {what} ({name}): {e}\n\nBring the existing policy under Terraform with: terraform import <address> {name}"
                    ),
                );
                None
            }
            Err(e) => {
                api_error(diags, "creating", what, &name, &e);
                None
            }
        }
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let Change { prior, mut planned } = change;
        let identity = identity::<K>(&prior);
        if let Some(changes) = K::changes(&prior, &planned) {
            let name = shown::<K>(&planned);
            let policy = K::to_api(&planned);
            K::check_write(diags, client, "updating", &policy, Some(&changes)).await?;
            K::set(client, &identity, &changes).await.or_report(
                diags,
                "updating",
                K::WHAT,
                &name,
            )?;
        }
        *K::id_mut(&mut planned) = owned(identity);
        Some(planned)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: K::Model<'a>) -> Option<()> {
        let Cx { diags, client, .. } = cx;
        let identity = identity::<K>(&prior);
        let name = shown::<K>(&prior);
        let what = K::WHAT;
        if !K::force_destroy(&prior) {
            match client.count_policy_grants(K::POLICY_TYPE, &name).await {
                Ok((0, 0)) => {}
                Ok((users, groups)) => {
                    diags.root_error(
                        format!("{} ({name}) is still in use", title::<K>()),
                        format!(
                            "deleting {what} ({name}): it is granted directly to {users} users and to {groups} groups. Remove those grants first, or set force_destroy = true to delete it anyway (the users fall back to their group or Global policy{}).",
                            K::DELETED_ANYWAY
                        ),
                    );
                    return None;
                }
                // Outside the global cloud the grants cannot be read; say so rather than block.
                Err(e @ ApiError::UnsupportedInCloud { .. }) => diags.root_warning(
                    format!("Grants of {what} ({name}) not checked"),
                    e.to_string(),
                ),
                Err(e) => {
                    api_error(diags, "checking the grants of", what, &name, &e);
                    return None;
                }
            }
        }
        K::remove(client, &identity)
            .await
            .or_report(diags, "deleting", what, &name)
    }

    fn import_id(&self, id: &str) -> Result<String, String> {
        let name = bare_name(id.trim()).to_string();
        validate_instance_name(&name).map_err(|problem| {
            let article = if K::WHAT.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("Import {article} {} by its name: {problem}", K::WHAT)
        })?;
        Ok(name)
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, _: &str, name: String) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        match K::get(client, &identity_of(&name)).await.or_report(
            diags,
            "importing",
            K::WHAT,
            &name,
        )? {
            Some(policy) => Some(K::from_api(&K::Model::default(), &policy)),
            None => {
                cannot_import(
                    diags,
                    K::WHAT,
                    &name,
                    format!(
                        "No {} named {name:?} exists in tenant {}.",
                        K::WHAT,
                        client.tenant_id()
                    ),
                );
                None
            }
        }
    }
}
