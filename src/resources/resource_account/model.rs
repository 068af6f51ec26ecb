//! Conversions between the Terraform model of a resource account and Graph's user and Teams'
//! application instance, pure and tested without a server. Ids, principal names, usage locations
//! and license SKUs compare case-insensitively ([`Equality`]): the prior spelling stays in state.

use serde::{Deserialize, Serialize};
use tf_provider::value::{self, Value, ValueString};

use crate::client::api::resource_accounts::{ApplicationInstance, GraphUser, UserChanges};
use crate::domain::accounts::account_type_of;
use crate::framework::equality::Equality;
use crate::framework::timeouts::TimeoutsBlock;
use crate::framework::values::{optional, owned};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountModel<'a> {
    pub id: ValueString<'a>,
    pub user_principal_name: ValueString<'a>,
    pub display_name: ValueString<'a>,
    pub account_type: ValueString<'a>,
    pub usage_location: ValueString<'a>,
    pub license_sku_id: ValueString<'a>,
    pub application_id: ValueString<'a>,
    #[serde(with = "value::serde_as_vec")]
    pub timeouts: TimeoutsBlock<'a>,
}

/// The state for what the API holds. `adopt_license` (import) takes the account's only license when
/// the prior state names none; otherwise an unmanaged license stays out of state. Without an
/// application instance (Teams can lag behind Graph) the prior application id and type stay.
pub fn model_from_api<'a>(
    prior: &AccountModel<'a>,
    user: &GraphUser,
    instance: Option<&ApplicationInstance>,
    adopt_license: bool,
) -> AccountModel<'a> {
    let licenses: Vec<&str> = user
        .assigned_licenses
        .iter()
        .map(|l| l.sku_id.as_str())
        .collect();
    let license_sku_id = match prior.license_sku_id.as_deref_option() {
        Some(p)
            if licenses
                .iter()
                .any(|l| Equality::CaseInsensitive.same(l, p)) =>
        {
            prior.license_sku_id.clone()
        }
        Some(_) => Value::Null,
        None if adopt_license && licenses.len() == 1 => owned(licenses[0]),
        None => Value::Null,
    };
    let application_id = instance
        .and_then(|i| i.application_id.clone())
        .or_else(|| prior.application_id.as_deref_option().map(str::to_string))
        .unwrap_or_default();
    let account_type = match account_type_of(&application_id) {
        Some(t) => owned(t),
        None if prior.account_type.is_value() => prior.account_type.clone(),
        None => owned(application_id.clone()),
    };
    let same = Equality::CaseInsensitive;
    AccountModel {
        id: same.keep(&prior.id, &user.id),
        user_principal_name: same.keep(&prior.user_principal_name, &user.user_principal_name),
        display_name: optional(user.display_name.as_deref()),
        account_type,
        usage_location: same.keep_option(&prior.usage_location, user.usage_location.as_deref()),
        license_sku_id,
        application_id: same.keep(&prior.application_id, &application_id),
        timeouts: prior.timeouts.clone(),
    }
}

/// The Graph PATCH that turns `prior` into `planned`.
pub fn user_changes(prior: &AccountModel<'_>, planned: &AccountModel<'_>) -> UserChanges {
    let mut changes = UserChanges::default();
    let display_name = planned.display_name.as_deref_option();
    if !Equality::Exact.same_option(prior.display_name.as_deref_option(), display_name) {
        changes.display_name = display_name.map(str::to_string);
    }
    let location = planned.usage_location.as_deref_option();
    if !Equality::CaseInsensitive.same_option(prior.usage_location.as_deref_option(), location) {
        changes.usage_location = Some(location.map(str::to_string));
    }
    changes
}

/// Licenses to add and remove to go from `prior` to `planned`.
pub fn license_changes(
    prior: &AccountModel<'_>,
    planned: &AccountModel<'_>,
) -> (Vec<String>, Vec<String>) {
    let (p, n) = (
        prior.license_sku_id.as_deref_option(),
        planned.license_sku_id.as_deref_option(),
    );
    if Equality::CaseInsensitive.same_option(p, n) {
        return (vec![], vec![]);
    }
    (
        n.map(str::to_string).into_iter().collect(),
        p.map(str::to_string).into_iter().collect(),
    )
}

/// How the account is named in messages.
pub fn name_of(model: &AccountModel<'_>) -> String {
    model
        .user_principal_name
        .as_deref_option()
        .or(model.id.as_deref_option())
        .unwrap_or("unknown")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::api::resource_accounts::AssignedLicense;
    use teamsphone_contract::{AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};

    const SKU: &str = "440eaaa8-b3e0-484b-a8be-62870b9ba70a";

    fn model() -> AccountModel<'static> {
        AccountModel {
            id: owned("AAAAAAAA-0000-0000-0000-000000000001"),
            user_principal_name: owned("AA-Sea@contoso.com"),
            display_name: owned("Seattle AA"),
            account_type: owned("auto_attendant"),
            usage_location: owned("US"),
            license_sku_id: owned(SKU.to_uppercase()),
            application_id: owned(AUTO_ATTENDANT_APP_ID),
            timeouts: Value::Null,
        }
    }

    fn api(licenses: &[&str]) -> (GraphUser, ApplicationInstance) {
        let user = GraphUser {
            id: "aaaaaaaa-0000-0000-0000-000000000001".into(),
            user_principal_name: "aa-sea@contoso.com".into(),
            display_name: Some("Seattle AA".into()),
            account_enabled: Some(false),
            usage_location: Some("US".into()),
            assigned_licenses: licenses
                .iter()
                .map(|l| AssignedLicense {
                    sku_id: l.to_string(),
                })
                .collect(),
        };
        let instance = ApplicationInstance {
            object_id: user.id.clone(),
            application_id: Some(AUTO_ATTENDANT_APP_ID.into()),
            ..Default::default()
        };
        (user, instance)
    }

    #[test]
    fn the_api_spelling_keeps_the_prior_spelling() {
        let (user, instance) = api(&[SKU]);
        assert_eq!(
            model_from_api(&model(), &user, Some(&instance), false),
            model()
        );
        // Teams lagging behind Graph keeps what the state knew.
        assert_eq!(model_from_api(&model(), &user, None, false), model());
    }

    #[test]
    fn drift_shows_and_import_adopts_the_single_license() {
        let (mut user, mut instance) = api(&["11111111-1111-1111-1111-111111111111"]);
        user.display_name = Some("Renamed".into());
        instance.application_id = Some(CALL_QUEUE_APP_ID.into());
        let read = model_from_api(&model(), &user, Some(&instance), false);
        assert_eq!(read.display_name, owned("Renamed"));
        assert_eq!(read.account_type, owned("call_queue"));
        assert_eq!(
            read.license_sku_id,
            Value::Null,
            "a removed license shows as a diff"
        );
        let imported = model_from_api(&AccountModel::default(), &user, Some(&instance), true);
        assert_eq!(
            imported.license_sku_id,
            owned("11111111-1111-1111-1111-111111111111")
        );
        assert_eq!(imported.user_principal_name, owned("aa-sea@contoso.com"));
    }

    #[test]
    fn changes_are_minimal() {
        let prior = model();
        let mut same = model();
        same.usage_location = owned("US");
        same.license_sku_id = owned(SKU);
        assert!(user_changes(&prior, &same).is_empty());
        assert_eq!(license_changes(&prior, &same), (vec![], vec![]));
        let mut planned = model();
        planned.display_name = owned("New");
        planned.usage_location = Value::Null;
        planned.license_sku_id = Value::Null;
        let c = user_changes(&prior, &planned);
        assert_eq!(c.display_name.as_deref(), Some("New"));
        assert_eq!(c.usage_location, Some(None));
        assert_eq!(
            license_changes(&prior, &planned),
            (vec![], vec![SKU.to_uppercase()])
        );
    }
}
