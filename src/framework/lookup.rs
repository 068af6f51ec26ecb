//! Data sources that find one object by its id or by its unique name (the auto attendant and call
//! queue look-ups today): written once, each kind saying only its model and its two calls.
//!
//! Exactly one of `id` and `name` is set (a plan-time error otherwise). By id it is one read and a
//! missing object is "not found"; by name it is the list, matched without regard to letter case,
//! and no match or several matches are errors that say how many were looked at (and which ids
//! share the name, up to 20). The look-up key stays in state as written, so another spelling of it
//! is never a diff.

use std::marker::PhantomData;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::ValueString;
use tf_provider::Diagnostics;

use super::data_source::ManagedDataSource;
use super::diagnostics::Reported;
use super::validators::{check_known, guid, text};
use crate::client::{ApiError, Client};
use crate::domain::text::capitalized;
use crate::domain::voice_apps::{find_one_by_name, MAX_NAME};

/// One kind of object looked up by id or name.
#[async_trait]
pub trait LookupKind: Default + Send + Sync + 'static {
    type Model<'a>: Serialize + Deserialize<'a> + Send + Sync;
    type Item: Clone + Send + Sync;

    /// How the kind is named in messages, in lower case, with its article (`a call queue`).
    const WHAT: &'static str;
    const A_WHAT: &'static str;

    fn schema() -> Schema;
    // As in `policy_instance`: implementations add `where 'a: 'a`, since `'a` here sits in a
    // projection and is early-bound.
    fn id<'m, 'a>(model: &'m Self::Model<'a>) -> &'m ValueString<'a>;
    fn name<'m, 'a>(model: &'m Self::Model<'a>) -> &'m ValueString<'a>;
    fn id_mut<'m, 'a>(model: &'m mut Self::Model<'a>) -> &'m mut ValueString<'a>;
    fn name_mut<'m, 'a>(model: &'m mut Self::Model<'a>) -> &'m mut ValueString<'a>;
    fn item_id(item: &Self::Item) -> &str;
    fn item_name(item: &Self::Item) -> &str;
    /// The data source's state for what the API shows.
    fn state<'a>(item: &Self::Item) -> Self::Model<'a>;

    async fn get(client: &Client, id: &str) -> Result<Option<Self::Item>, ApiError>;
    async fn list(client: &Client) -> Result<Vec<Self::Item>, ApiError>;
}

/// The data source for look-up kind `K`.
// Derived: every kind is `Default`, so the bound the derive adds always holds.
#[derive(Default)]
pub struct LookupDataSource<K>(PhantomData<K>);

#[async_trait]
impl<K: LookupKind> ManagedDataSource for LookupDataSource<K> {
    type Model<'a> = K::Model<'a>;

    fn schema(&self) -> Schema {
        K::schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &K::Model<'_>) {
        check_known(diags, "id", K::id(config), guid);
        check_known(diags, "name", K::name(config), text(MAX_NAME));
        if K::id(config).is_null() == K::name(config).is_null() {
            diags.root_error(
                "Set exactly one of id and name",
                format!(
                    "{} is looked up either by its id or by its name.",
                    capitalized(K::A_WHAT)
                ),
            );
        }
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: K::Model<'a>,
    ) -> Option<K::Model<'a>> {
        let found = if let Some(id) = K::id(&config).as_deref_option() {
            K::get(client, id)
                .await
                .or_report(diags, "reading", K::WHAT, id)?
                .ok_or_else(|| {
                    format!(
                        "no {} has id {id} in tenant {}",
                        K::WHAT,
                        client.tenant_id()
                    )
                })
        } else {
            let name = K::name(&config).as_deref_option().unwrap_or_default();
            let all = K::list(client)
                .await
                .or_report(diags, "reading", K::WHAT, name)?;
            find_one_by_name(&all, name, K::WHAT, K::item_name, K::item_id).cloned()
        };
        let reference = K::id(&config)
            .as_deref_option()
            .or(K::name(&config).as_deref_option())
            .unwrap_or_default()
            .to_string();
        match found {
            Ok(item) => {
                let mut state = K::state(&item);
                // Keep the look-up key as written, so another spelling is not a diff.
                if K::id(&config).is_value() {
                    *K::id_mut(&mut state) = K::id(&config).clone();
                } else {
                    *K::name_mut(&mut state) = K::name(&config).clone();
                }
                Some(state)
            }
            Err(why) => {
                let title = capitalized(K::WHAT);
                diags.root_error(format!("{title} ({reference}) not found"), why);
                None
            }
        }
    }
}
