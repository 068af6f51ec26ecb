//! Our data source trait, [`ManagedDataSource`], and the adapter that implements tf-provider's
//! [`DataSource`] for it: validation fails on any reported error, and a read gets the configured
//! client, so no data source repeats the client lookup or the provider-meta plumbing.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{DataSource, Diagnostics};

use crate::client::Client;
use crate::provider::ProviderData;

/// A Terraform data source type, written against its model and a configured client.
#[async_trait]
pub trait ManagedDataSource: Send + Sync + 'static {
    /// The arguments and results, as Terraform sends and receives them.
    type Model<'a>: Serialize + Deserialize<'a> + Send + Sync;

    fn schema(&self) -> Schema;

    /// Plan-time checks of the arguments; report problems on `diags`.
    fn validate(&self, _diags: &mut Diagnostics, _config: &Self::Model<'_>) {}

    /// The arguments with every result filled in.
    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: Self::Model<'a>,
    ) -> Option<Self::Model<'a>>;
}

/// Implements tf-provider's [`DataSource`] for a [`ManagedDataSource`], with the provider's client.
pub struct DataSourceAdapter<D> {
    data: ProviderData,
    inner: D,
}

impl<D: ManagedDataSource> DataSourceAdapter<D> {
    pub fn new(data: &ProviderData, inner: D) -> Self {
        DataSourceAdapter {
            data: data.clone(),
            inner,
        }
    }
}

#[async_trait]
impl<D: ManagedDataSource> DataSource for DataSourceAdapter<D> {
    type State<'a> = D::Model<'a>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(self.inner.schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        self.inner.validate(diags, &config);
        diags.errors.is_empty().then_some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        let client = self.data.client(diags)?;
        self.inner.read(diags, &client, config).await
    }
}
