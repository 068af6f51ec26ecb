//! Resource accounts (contract section 2): the Teams application instance that makes a disabled
//! Entra user an Auto Attendant or Call Queue account, and the Graph user calls that name, locate,
//! license and delete it.
//!
//! The Teams half is undocumented (`[I]` create and single read, `[3P]` list), so each call is one
//! function named after its cmdlet; the Graph half is Microsoft's documented users API `[C]`.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::null_as_empty;
use crate::client::http::error::{ApiError, Service};
use crate::client::paging::{Continuation, Pages};
use crate::client::Client;

/// An application instance as the Teams API shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInstance {
    /// Required: an answer without it is an error naming the call, never `""`.
    pub object_id: String,
    #[serde(default)]
    pub user_principal_name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub application_id: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// What a create answers: the instance, though public evidence has creates answer without
/// `objectId` or without a body (contract section 2), so here nothing is required.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct CreatedInstance {
    object_id: Option<String>,
    user_principal_name: Option<String>,
    display_name: Option<String>,
    application_id: Option<String>,
}

/// The body of `New-CsOnlineApplicationInstance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewApplicationInstance {
    pub user_principal_name: String,
    pub display_name: String,
    pub application_id: String,
}

/// A page of the application instance list `[3P]`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct ApplicationInstancePage {
    pub(crate) application_instances: Vec<ApplicationInstance>,
    skip_token: Option<String>,
}

/// What a Graph user PATCH changes; `None` leaves a property alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_location: Option<Option<String>>,
}

impl UserChanges {
    pub fn is_empty(&self) -> bool {
        self == &UserChanges::default()
    }
}

/// Page size asked of the application instance list.
const PAGE_SIZE: &str = "100";
/// Most application instance pages followed: 100,000 resource accounts, far more than any tenant.
const MAX_PAGES: usize = 1000;

/// A Microsoft Graph user (people and resource accounts alike).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphUser {
    pub id: String,
    #[serde(default)]
    pub user_principal_name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub account_enabled: Option<bool>,
    #[serde(default)]
    pub usage_location: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub assigned_licenses: Vec<AssignedLicense>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedLicense {
    pub sku_id: String,
}

/// Properties read for every user, so one call answers every resource's question.
const USER_PROPERTIES: &str =
    "id,userPrincipalName,displayName,accountEnabled,usageLocation,assignedLicenses";

impl Client {
    fn application_instances_url(&self, object_id: Option<&str>) -> url::Url {
        let mut segments = vec!["Teams.PlatformService", "v2", "ApplicationInstances"];
        segments.extend(object_id);
        self.teams_url(&segments)
    }

    /// `New-CsOnlineApplicationInstance` `[I]`: creates the account. `None` when the answer does
    /// not name the new object id (no body, or no `objectId`): the account exists, and
    /// `Client::create_application_instance` finds it by principal name.
    pub async fn new_cs_online_application_instance(
        &self,
        new: &NewApplicationInstance,
    ) -> Result<Option<ApplicationInstance>, ApiError> {
        let body = serde_json::to_value(new).expect("application instance serialises");
        let request = self.teams_request(
            "New-CsOnlineApplicationInstance",
            Method::POST,
            self.application_instances_url(None),
            Some(body),
        );
        let created = self
            .transport
            .send(&request)
            .await?
            .entity::<CreatedInstance>()?;
        let Some(created) = created.value else {
            return Ok(None);
        };
        Ok(created
            .object_id
            .filter(|id| !id.trim().is_empty())
            .map(|object_id| ApplicationInstance {
                object_id,
                user_principal_name: created
                    .user_principal_name
                    .unwrap_or_else(|| new.user_principal_name.clone()),
                display_name: created.display_name.or(Some(new.display_name.clone())),
                application_id: created.application_id.or(Some(new.application_id.clone())),
                phone_number: None,
            }))
    }

    /// `Get-CsOnlineApplicationInstance -Identity` `[I]`; `None` when there is none (or none yet).
    pub async fn get_cs_online_application_instance(
        &self,
        object_id: &str,
    ) -> Result<Option<ApplicationInstance>, ApiError> {
        let request = self.teams_request(
            "Get-CsOnlineApplicationInstance",
            Method::GET,
            self.application_instances_url(Some(object_id)),
            None,
        );
        self.transport
            .send_unless_absent(&request)
            .await?
            .map(|answer| answer.one())
            .transpose()
    }

    /// `Get-CsOnlineApplicationInstance -Identity <upn>`, for a create that met 409: the account with
    /// this UPN, if it is an application instance of `application_id` (then it is the one a lost
    /// first attempt made, and may be adopted); `None` when it is a different account, someone
    /// else's to import deliberately. The 409 proves the account exists, so "not found" here means
    /// "not visible yet" (contract section 2) and is waited out until `deadline`.
    pub async fn find_cs_online_application_instance(
        &self,
        user_principal_name: &str,
        application_id: &str,
        deadline: std::time::Instant,
    ) -> Result<Option<ApplicationInstance>, ApiError> {
        let found = crate::client::waits::wait_until_found(deadline, || async {
            let Some(user) = self.get_mg_user(user_principal_name).await? else {
                return Ok(None);
            };
            // Through the list when the single read is refused (404/405), as every account read.
            self.application_instance(&user.id).await
        })
        .await?
        .0;
        Ok(found.filter(|instance| {
            instance
                .user_principal_name
                .eq_ignore_ascii_case(user_principal_name)
                && instance
                    .application_id
                    .as_deref()
                    .is_some_and(|id| id.eq_ignore_ascii_case(application_id))
        }))
    }

    /// One page of `Get-CsOnlineApplicationInstance` without an identity (also the `doctor`'s
    /// probe of it, with the smallest page).
    pub(crate) fn application_instances_request(
        &self,
        page_size: &str,
        skip_token: Option<&str>,
    ) -> crate::client::http::Request {
        let mut url = self.application_instances_url(None);
        url.query_pairs_mut().append_pair("pageSize", page_size);
        if let Some(t) = skip_token {
            url.query_pairs_mut().append_pair("skipToken", t);
        }
        self.teams_request("Get-CsOnlineApplicationInstance", Method::GET, url, None)
    }

    /// `Get-CsOnlineApplicationInstance` without an identity `[3P]`: every instance, following
    /// `skipToken` pages.
    pub async fn list_cs_online_application_instances(
        &self,
    ) -> Result<Vec<ApplicationInstance>, ApiError> {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = Pages::new(
            "application instances",
            Service::Teams,
            Continuation::SkipToken,
            MAX_PAGES,
        );
        loop {
            let request = self.application_instances_request(PAGE_SIZE, token.as_deref());
            let page: ApplicationInstancePage = self.transport.send(&request).await?.json()?;
            all.extend(page.application_instances);
            // An empty token ends the list; a token seen before is a loop (an error, not the end:
            // stopping quietly would hand back a partial list as if it were whole).
            match page.skip_token.filter(|t| !t.is_empty()) {
                Some(next) => {
                    pages.next(&next, self.transport.scrubber())?;
                    token = Some(next);
                }
                None => return Ok(all),
            }
        }
    }

    /// `Update-MgUser` `[C]`: display name and usage location.
    pub async fn update_mg_user(
        &self,
        object_id: &str,
        changes: &UserChanges,
    ) -> Result<(), ApiError> {
        let body = serde_json::to_value(changes).expect("user changes serialise");
        let request = self.graph_request(
            "Update-MgUser",
            Method::PATCH,
            self.graph_url(&["users", object_id]),
            Some(body),
            "User.ReadWrite.All",
        );
        self.transport.send(&request).await.map(drop)
    }

    /// `Set-MgUserLicense` `[C]`: adds and removes licenses by SKU id.
    pub async fn set_mg_user_license(
        &self,
        object_id: &str,
        add: &[String],
        remove: &[String],
    ) -> Result<GraphUser, ApiError> {
        let body = serde_json::json!({
            "addLicenses": add.iter().map(|sku| serde_json::json!({"skuId": sku, "disabledPlans": []})).collect::<Vec<_>>(),
            "removeLicenses": remove,
        });
        let request = self.graph_request(
            "Set-MgUserLicense",
            Method::POST,
            self.graph_url(&["users", object_id, "assignLicense"]),
            Some(body),
            "User.ReadWrite.All",
        );
        self.transport.send(&request).await?.one()
    }

    /// `Remove-MgUser` `[C]`; a user that is already gone is not an error.
    pub async fn remove_mg_user(&self, object_id: &str) -> Result<(), ApiError> {
        let request = self.graph_request(
            "Remove-MgUser",
            Method::DELETE,
            self.graph_url(&["users", object_id]),
            None,
            "User.ReadWrite.All",
        );
        self.transport.send_unless_absent(&request).await.map(drop)
    }

    /// `Get-MgUser -UserId`: a user by object id or user principal name; `None` when there is none.
    pub async fn get_mg_user(&self, id_or_upn: &str) -> Result<Option<GraphUser>, ApiError> {
        let mut url = self.graph_url(&["users", id_or_upn]);
        url.query_pairs_mut()
            .append_pair("$select", USER_PROPERTIES);
        let request = self.graph_request("Get-MgUser", Method::GET, url, None, "User.Read.All");
        self.transport
            .send_unless_absent(&request)
            .await?
            .map(|answer| answer.one())
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_changes_tell_unchanged_from_cleared() {
        let c = UserChanges {
            display_name: Some("AA".into()),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"displayName":"AA"}"#
        );
        let c = UserChanges {
            usage_location: Some(None),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"usageLocation":null}"#
        );
        assert!(UserChanges::default().is_empty());
    }

    #[test]
    fn application_instances_read_leniently() {
        let a: ApplicationInstance = serde_json::from_str(
            r#"{"objectId":"x","userPrincipalName":"aa@c.com","applicationId":"y","phoneNumber":null,"new":1}"#,
        )
        .unwrap();
        assert_eq!(a.object_id, "x");
        assert_eq!(a.display_name, None);
    }
}
