//! Data sources that read one policy instance by its name (the shared calling and the emergency
//! call routing policy today), for configurations that grant a policy managed elsewhere (another
//! state, the admin center, PowerShell) and should fail at plan time when it does not exist.
//!
//! Written once, each kind saying only its model, its schema and its one read: the name is checked
//! at plan time by the instance-name rule, is given with or without `Tag:`, stays in state as
//! written, and a policy that does not exist is an error naming the tenant.

use std::marker::PhantomData;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{Attribute, Schema};
use tf_provider::value::ValueString;
use tf_provider::Diagnostics;

use super::attributes::{computed_string, required_string, schema_of};
use super::data_source::ManagedDataSource;
use super::diagnostics::Reported;
use super::validators::check_known;
use crate::client::{ApiError, Client};
use crate::domain::policies::{bare_name, identity_of, validate_instance_name};
use crate::domain::text::capitalized;

/// One kind of policy read by name.
#[async_trait]
pub trait PolicyLookupKind: Default + Send + Sync + 'static {
    type Model<'a>: Serialize + Deserialize<'a> + Send + Sync;
    /// The policy as the API shows it.
    type Api: Send;

    /// How the kind is named in messages, in lower case (`shared calling policy`).
    const WHAT: &'static str;

    fn schema() -> Schema;
    // As in `policy_instance`: implementations add `where 'a: 'a`, since `'a` here sits in a
    // projection and is early-bound.
    fn name<'m, 'a>(model: &'m Self::Model<'a>) -> &'m ValueString<'a>;
    /// The data source's state for `policy`, with `name` as the configuration wrote it.
    fn state<'a>(name: ValueString<'a>, policy: Self::Api) -> Self::Model<'a>;

    async fn get(client: &Client, identity: &str) -> Result<Option<Self::Api>, ApiError>;
}

/// A policy data source's schema: `name`, `id` and `description`, which every kind has, then the
/// kind's own `attributes`.
pub fn policy_schema<const N: usize>(
    description: &str,
    attributes: [(&str, Attribute); N],
) -> Schema {
    let mut schema = schema_of(
        description,
        [
            (
                "name",
                required_string("Name of the policy, without the `Tag:` prefix."),
            ),
            (
                "id",
                computed_string("The policy's identity in Teams, `Tag:<name>`."),
            ),
            ("description", computed_string("The policy's description.")),
        ],
    );
    schema.block.attributes.extend(
        attributes
            .into_iter()
            .map(|(name, attribute)| (name.to_string(), attribute)),
    );
    schema
}

/// The data source for policy kind `K`.
// Derived: every kind is `Default`, so the bound the derive adds always holds.
#[derive(Default)]
pub struct PolicyLookupDataSource<K>(PhantomData<K>);

#[async_trait]
impl<K: PolicyLookupKind> ManagedDataSource for PolicyLookupDataSource<K> {
    type Model<'a> = K::Model<'a>;

    fn schema(&self) -> Schema {
        K::schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &K::Model<'_>) {
        check_known(diags, "name", K::name(config), |n| {
            validate_instance_name(bare_name(n))
        });
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: K::Model<'a>,
    ) -> Option<K::Model<'a>> {
        let written = K::name(&config).clone();
        let name = bare_name(written.as_deref_option().unwrap_or_default()).to_string();
        match K::get(client, &identity_of(&name)).await.or_report(
            diags,
            "reading",
            K::WHAT,
            &name,
        )? {
            Some(policy) => Some(K::state(written, policy)),
            None => {
                diags.root_error(
                    format!("{} ({name}) not found", capitalized(K::WHAT)),
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
