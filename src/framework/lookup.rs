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
    type Model<'a>: Serialize + Deserialize<'a> + Clone + Send + Sync;
    type Item: Clone + Send + Sync;

    /// How the kind is named in messages, in lower case, with its article (`a call queue`).
    const WHAT: &'static str;
    const A_WHAT: &'static str;

    fn schema() -> Schema;
    // As in `policy_instance`: implementations add `where 'a: 'a`, since `'a` here sits in a
    // projection and is early-bound.
    /// The model's look-up keys, `[id, name]`.
    fn keys<'m, 'a>(model: &'m mut Self::Model<'a>) -> [&'m mut ValueString<'a>; 2];
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
        let mut config = config.clone();
        let [id, name] = K::keys(&mut config);
        check_known(diags, "id", id, guid);
        check_known(diags, "name", name, text(MAX_NAME));
        if id.is_null() == name.is_null() {
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
        mut config: K::Model<'a>,
    ) -> Option<K::Model<'a>> {
        let [id, name] = K::keys(&mut config);
        let (id, name) = (id.clone(), name.clone());
        let found = if let Some(id) = id.as_deref_option() {
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
            let name = name.as_deref_option().unwrap_or_default();
            let all = K::list(client)
                .await
                .or_report(diags, "reading", K::WHAT, name)?;
            find_one_by_name(&all, name, K::WHAT, K::item_name, K::item_id).cloned()
        };
        let reference = id
            .as_deref_option()
            .or(name.as_deref_option())
            .unwrap_or_default()
            .to_string();
        match found {
            Ok(item) => {
                let mut state = K::state(&item);
                // Keep the look-up key as written, so another spelling is not a diff.
                let [state_id, state_name] = K::keys(&mut state);
                if id.is_value() {
                    *state_id = id;
                } else {
                    *state_name = name;
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
