//! Our resource trait, [`ManagedResource`], and the one adapter, [`ResourceAdapter`], that turns it
//! into tf-provider's [`Resource`].
//!
//! tf-provider's trait is the protocol itself: every call gets `Value`s that may be null or unknown,
//! the provider-meta state nobody uses, and no client. Written per resource, that is the same dozen
//! openings seven times over: `let Value::Value(..) else`, `self.data.client(diags)?`, a
//! pass-through `plan_destroy`, a hand-written requires-replace in `plan_update`. The adapter does
//! those once, with the same answers every resource gave:
//!
//! - validate: a null configuration passes; otherwise the resource's checks, failing on any error;
//! - read: a null state stays null (gone); otherwise the resource reads with the client;
//! - plan: [`ManagedResource::defaults`], then the [`RequiresReplace`] rules (update only), then
//!   [`ManagedResource::plan`] told whether the object is new ([`Step`]), then, when the provider
//!   is configured, [`ManagedResource::check_plan`]: the plan-time checks that need to read the
//!   API (a referenced object's kind), so they fail the plan rather than the apply;
//! - create / update / delete: the known models and the client; a delete of a null state is done;
//! - import: [`ManagedResource::import_id`] parses the id before any API call (an "Invalid import id"
//!   error otherwise), then [`ManagedResource::import`] reads.
//!
//! Every call that reaches the API gets a [`Cx`]: the diagnostics, the client and the private state
//! (for example a long-running operation id), which is the resource's own type; create,
//! update and read may change it in place.

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::diagnostics::invalid_import_id;
use super::replace::{changed, RequiresReplace};
use crate::client::Client;
use crate::provider::ProviderData;

/// What a plan is for, as [`ManagedResource::plan`] sees it.
pub enum Step<'p, M, P> {
    /// A new object.
    Create,
    /// A new object replacing `prior` (a requires-replace attribute changed).
    Replace(&'p M),
    /// An in-place update of `prior`, with its private state.
    Update(&'p M, &'p P),
}

impl<'p, M, P> Step<'p, M, P> {
    /// The object this plan changes or replaces, if any.
    pub fn prior(&self) -> Option<&'p M> {
        match self {
            Step::Create => None,
            Step::Replace(prior) | Step::Update(prior, _) => Some(prior),
        }
    }

    /// Whether apply makes a new object (create, or replace).
    pub fn is_new(&self) -> bool {
        !matches!(self, Step::Update(..))
    }
}

/// What every call that reaches the API gets: where to report, the configured client, and the
/// resource's private state (its own type, changed in place).
pub struct Cx<'c, R: ManagedResource + ?Sized> {
    pub diags: &'c mut Diagnostics,
    pub client: &'c Client,
    pub private: &'c mut R::Private,
}

/// What `read` answers: the new state (`Value::Null` when gone), or `None` after an error.
pub type Read<'a, R> = Option<Value<<R as ManagedResource>::Model<'a>>>;

/// What `create`, `update` and `import` answer: the state written, or `None` after an error.
pub type Write<'a, R> = Option<<R as ManagedResource>::Model<'a>>;

/// An in-place update: the state before it and the plan to apply.
pub struct Change<'a, R: ManagedResource + ?Sized> {
    pub prior: R::Model<'a>,
    pub planned: R::Model<'a>,
}

/// A Terraform resource type, written against known models and a configured client.
#[async_trait]
pub trait ManagedResource: Send + Sync + 'static {
    /// The attributes, as Terraform sends them.
    type Model<'a>: Serialize + Deserialize<'a> + Clone + Default + Send + Sync;
    /// What survives between plan and apply, and between applies, next to the state.
    type Private: Serialize + DeserializeOwned + Default + Send + Sync;
    /// A parsed import id.
    type ImportId: Send;

    fn schema(&self) -> Schema;

    /// The attributes whose change replaces the object, with how they compare.
    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, Self::Model<'a>>> {
        Vec::new()
    }

    /// Plan-time checks of a configuration; report problems on `diags`.
    fn validate(&self, _diags: &mut Diagnostics, _config: &Self::Model<'_>) {}

    /// Fills values the configuration left out that have a default, before replacement is judged.
    fn defaults(&self, _planned: &mut Self::Model<'_>) {}

    /// Fills the computed values of a plan; `None` (with an error) refuses the plan.
    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        _planned: &mut Self::Model<'a>,
        _step: Step<'_, Self::Model<'a>, Self::Private>,
    ) -> Option<()> {
        Some(())
    }

    /// Plan-time checks that read the API, on the planned values (`is_new`: create or replace).
    /// Runs only when the provider is configured with a client; values still unknown are checked
    /// at apply instead. `None` (with an error) refuses the plan.
    async fn check_plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        _client: &Client,
        _planned: &Self::Model<'a>,
        _is_new: bool,
    ) -> Option<()> {
        Some(())
    }

    /// The state for what the API holds now; `Value::Null` when the object is gone.
    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: Self::Model<'a>) -> Read<'a, Self>;

    async fn create<'a>(&self, cx: Cx<'_, Self>, planned: Self::Model<'a>) -> Write<'a, Self>;

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self>;

    /// Deletes `prior`; private state is the resource's last, and is dropped afterwards.
    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: Self::Model<'a>) -> Option<()>;

    /// Parses an import id without the API; the error is the detail of "Invalid import id".
    fn import_id(&self, id: &str) -> Result<Self::ImportId, String>;

    /// The state of the object `key` names (`id` as the user typed it, for messages).
    /// Private state starts at its default here, and is not kept: the next plan starts afresh.
    async fn import<'a>(&self, cx: Cx<'_, Self>, id: &str, key: Self::ImportId) -> Write<'a, Self>;
}

impl<'c, R: ManagedResource + ?Sized> Cx<'c, R> {
    fn new(diags: &'c mut Diagnostics, client: &'c Client, private: &'c mut R::Private) -> Self {
        Cx {
            diags,
            client,
            private,
        }
    }
}

/// Implements tf-provider's [`Resource`] for a [`ManagedResource`], with the provider's client.
pub struct ResourceAdapter<R> {
    data: ProviderData,
    inner: R,
}

impl<R: ManagedResource> ResourceAdapter<R> {
    pub fn new(data: &ProviderData, inner: R) -> Self {
        ResourceAdapter {
            data: data.clone(),
            inner,
        }
    }

    /// [`ManagedResource::check_plan`] when there is a client; without one (a provider whose
    /// settings are known only after apply) the checks wait for apply.
    async fn check_plan(
        &self,
        diags: &mut Diagnostics,
        planned: &R::Model<'_>,
        is_new: bool,
    ) -> Option<()> {
        match self.data.client(&mut Diagnostics::default()) {
            Some(client) => self.inner.check_plan(diags, &client, planned, is_new).await,
            None => Some(()),
        }
    }
}

#[async_trait]
impl<R: ManagedResource> Resource for ResourceAdapter<R> {
    type State<'a> = Value<R::Model<'a>>;
    type PrivateState<'a> = R::Private;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(self.inner.schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        if let Value::Value(config) = &config {
            self.inner.validate(diags, config);
        }
        diags.errors.is_empty().then_some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        mut private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(prior) = state else {
            return Some((Value::Null, private));
        };
        let client = self.data.client(diags)?;
        let cx = Cx::new(diags, &client, &mut private);
        let state = self.inner.read(cx, prior).await?;
        Some((state, private))
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let planned = match proposed {
            Value::Value(mut planned) => {
                self.inner.defaults(&mut planned);
                self.inner.plan(diags, &mut planned, Step::Create)?;
                self.check_plan(diags, &planned, true).await?;
                Value::Value(planned)
            }
            other => other,
        };
        Some((planned, R::Private::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        prior_private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let (Value::Value(prior), Value::Value(mut planned)) = (prior, proposed) else {
            return Some((Value::Null, prior_private, Vec::new()));
        };
        self.inner.defaults(&mut planned);
        let replace = changed(&self.inner.requires_replace(), &prior, &planned);
        let step = if replace.is_empty() {
            Step::Update(&prior, &prior_private)
        } else {
            Step::Replace(&prior)
        };
        let is_new = step.is_new();
        self.inner.plan(diags, &mut planned, step)?;
        self.check_plan(diags, &planned, is_new).await?;
        Some((Value::Value(planned), prior_private, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        prior_private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        mut private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(planned) = planned else {
            return None;
        };
        let client = self.data.client(diags)?;
        let created = self
            .inner
            .create(Cx::new(diags, &client, &mut private), planned);
        let created = created.await?;
        Some((Value::Value(created), private))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        mut private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let (Value::Value(prior), Value::Value(planned)) = (prior, planned) else {
            return None;
        };
        let client = self.data.client(diags)?;
        let cx = Cx::new(diags, &client, &mut private);
        let updated = self.inner.update(cx, Change { prior, planned }).await?;
        Some((Value::Value(updated), private))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        mut private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let Value::Value(prior) = prior else {
            return Some(());
        };
        let client = self.data.client(diags)?;
        self.inner
            .delete(Cx::new(diags, &client, &mut private), prior)
            .await
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let key = match self.inner.import_id(&id) {
            Ok(key) => key,
            Err(detail) => {
                invalid_import_id(diags, detail);
                return None;
            }
        };
        let client = self.data.client(diags)?;
        let mut private = R::Private::default();
        let cx = Cx::new(diags, &client, &mut private);
        let imported = self.inner.import(cx, &id, key).await?;
        Some((Value::Value(imported), R::Private::default()))
    }
}
