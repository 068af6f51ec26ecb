//! Policy assignment to users (Graph, in batches) and groups (Teams API), Enterprise Voice, and the
//! `userConfigurations` reads that show the result (contract sections 4 and 5).
//!
//! The Graph calls are documented `[C]`. The Teams calls are not: group policy assignment is known
//! from third-party code `[3P]` and the Enterprise Voice switch is inferred `[I]`, so each lives in
//! one function named after its cmdlet. Whether `$top` is honoured on `userConfigurations` is also
//! `[I]`: we ask for [`CONFIGURATION_PAGE`] (999, as third-party clients do) and follow
//! `@odata.nextLink` whatever page size comes back; a full page without a link continues by `$skip`
//! (contract section 7).
//!
//! Batching is the client's business: [`Client::assign_mg_user_policies`] splits any number of users into
//! requests of [`ASSIGN_BATCH`] and reports, per request, which users it carried and whether it
//! succeeded, so a caller can name the users that failed and keep only what succeeded.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::client::http::error::{ApiError, Service};
use crate::client::paging::{Continuation, Pages};
use crate::client::Client;
use crate::domain::policies::bare_name;
use crate::domain::readiness::{companion_types, effective_name, has_teams_phone, VoiceFacts};
use teamsphone_contract::{
    EMERGENCY_CALL_ROUTING_POLICY_TYPE, GLOBAL_POLICY, SHARED_CALLING_POLICY_TYPE,
};

/// Users per assign/unassign request: 10,000 users take 20 requests. Teams' own batch cmdlet takes
/// up to 5,000; smaller requests keep one failure's blast radius and each request's time small.
pub const ASSIGN_BATCH: usize = 500;
/// Users per `userConfigurations` page we ask for.
pub const CONFIGURATION_PAGE: usize = 999;
/// Most `userConfigurations` pages followed: 2 million users at the page size we ask for, 200,000
/// if the server pages by 100 instead. Past that the server is looping, not listing.
pub const MAX_CONFIGURATION_PAGES: usize = 2000;

/// Most `featureTypes` entries kept per user.
const MAX_FEATURE_TYPES: usize = 64;

const ASSIGN_PERMISSION: &str = "TeamsPolicyUserAssign.ReadWrite.All";
const READ_PERMISSION: &str = "TeamsUserConfiguration.Read.All";

/// `getPolicyId`'s answer: the stored name (`Tag:Seattle`) and the id assignments use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyId {
    #[serde(default)]
    pub name: String,
    pub policy_id: String,
}

#[derive(Deserialize)]
struct PolicyIdList {
    value: Vec<PolicyId>,
}

/// A Teams user's configuration as Graph shows it (only what we use; the rest is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamsUserConfiguration {
    pub id: String,
    #[serde(default)]
    pub user_principal_name: String,
    #[serde(default)]
    pub account_type: Option<String>,
    #[serde(default)]
    pub is_enterprise_voice_enabled: bool,
    /// Licensed features, such as `Teams` and `PhoneSystem`; bounded like every list we keep.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub feature_types: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub telephone_numbers: Vec<UserTelephoneNumber>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub effective_policy_assignments: Vec<EffectivePolicyAssignment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserTelephoneNumber {
    #[serde(default)]
    pub telephone_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectivePolicyAssignment {
    pub policy_type: String,
    #[serde(default)]
    pub policy_assignment: Option<PolicyAssignment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyAssignment {
    #[serde(default)]
    pub display_name: Option<String>,
    /// `direct`, `group`, or a value added later.
    #[serde(default)]
    pub assignment_type: Option<String>,
    #[serde(default)]
    pub policy_id: Option<String>,
    #[serde(default)]
    pub group_id: Option<String>,
}

impl TeamsUserConfiguration {
    /// The bare name of the policy of `policy_type` assigned to this user directly, if any. Group
    /// assignments and the `Global` default are not direct grants.
    pub fn direct_policy(&self, policy_type: &str) -> Option<&str> {
        self.effective_policy_assignments
            .iter()
            .filter(|e| e.policy_type.eq_ignore_ascii_case(policy_type))
            .filter_map(|e| e.policy_assignment.as_ref())
            .filter(|a| a.assignment_type.as_deref() == Some("direct"))
            .filter_map(|a| a.display_name.as_deref())
            .map(|n| n.strip_prefix(teamsphone_contract::TAG_PREFIX).unwrap_or(n))
            .find(|n| !n.eq_ignore_ascii_case(GLOBAL_POLICY))
    }

    /// The bare name of the policy of `policy_type` in effect, however it is assigned; `None` for
    /// none or `Global`.
    pub fn effective_policy(&self, policy_type: &str) -> Option<&str> {
        self.effective_policy_assignments
            .iter()
            .filter(|e| e.policy_type.eq_ignore_ascii_case(policy_type))
            .filter_map(|e| e.policy_assignment.as_ref())
            .filter_map(|a| effective_name(a.display_name.as_deref().map(bare_name)))
            .next()
    }

    /// What the readiness rule needs of this user (`domain::readiness`).
    pub fn voice_facts(&self) -> VoiceFacts<'_> {
        VoiceFacts {
            enterprise_voice: self.is_enterprise_voice_enabled,
            teams_phone: has_teams_phone(&self.feature_types),
            own_number: self.holds_a_number(),
            emergency_policy: self.effective_policy(EMERGENCY_CALL_ROUTING_POLICY_TYPE),
            shared_calling_policy: self.effective_policy(SHARED_CALLING_POLICY_TYPE),
        }
    }

    pub fn holds_a_number(&self) -> bool {
        self.telephone_numbers
            .iter()
            .any(|n| !n.telephone_number.is_empty())
    }
}

/// A policy assigned to a group (Teams API, PascalCase) [3P path, body I].
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupPolicyAssignment {
    pub group_id: String,
    pub policy_type: String,
    #[serde(default)]
    pub policy_name: String,
    #[serde(default)]
    pub rank: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GroupPolicyAssignmentBody<'a> {
    policy_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rank: Option<u32>,
}

/// One request of a batched write: the users it carried and how it went.
#[derive(Debug)]
pub struct BatchOutcome {
    pub user_ids: Vec<String>,
    pub result: Result<(), ApiError>,
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Deserialize)]
pub(crate) struct ConfigurationPage {
    #[serde(default)]
    pub(crate) value: Vec<TeamsUserConfiguration>,
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
}

/// One `userAssignments` entry per user, keyed by the user it is for: with a policy id to assign,
/// without one to unassign.
fn assignment_entries(
    user_ids: &[String],
    policy_type: &str,
    policy_id: Option<&str>,
) -> Vec<(String, serde_json::Value)> {
    user_ids
        .iter()
        .map(|u| {
            let mut entry = json!({"userId": u, "policyType": policy_type});
            if let Some(id) = policy_id {
                entry["policyId"] = json!(id);
            }
            (u.clone(), entry)
        })
        .collect()
}

/// One paged pass over `userConfigurations` `[C]`, a page at a time, so that a caller can spread a
/// pass over time (the tenant snapshot's cost rule) or read it whole.
pub struct ConfigurationPager {
    first_page: url::Url,
    /// The next page to ask for; `None` once the last page was read.
    next: Option<url::Url>,
    pages: Pages,
    users_read: usize,
    first_id: Option<String>,
}

impl ConfigurationPager {
    pub fn new(client: &Client) -> Self {
        let mut first_page = client.graph_url(&["admin", "teams", "userConfigurations"]);
        first_page
            .query_pairs_mut()
            .append_pair("$top", &CONFIGURATION_PAGE.to_string());
        ConfigurationPager {
            next: Some(first_page.clone()),
            first_page,
            pages: Pages::new(
                "userConfigurations",
                Service::Graph,
                Continuation::NextLink,
                MAX_CONFIGURATION_PAGES,
            ),
            users_read: 0,
            first_id: None,
        }
    }

    /// Whether the last page has been read.
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// Pages requested so far.
    pub fn pages_read(&self) -> usize {
        self.pages.read() - usize::from(self.next.is_some())
    }

    /// The next page, or `None` when the pass is complete.
    pub async fn next_page(
        &mut self,
        client: &Client,
    ) -> Result<Option<Vec<TeamsUserConfiguration>>, ApiError> {
        let Some(url) = self.next.take() else {
            return Ok(None);
        };
        let request = client.graph_request(
            "Get-MgTeamsUserConfiguration",
            Method::GET,
            url.clone(),
            None,
            READ_PERMISSION,
        );
        // Streamed: a page is about a megabyte, mostly fields the provider ignores.
        let page: ConfigurationPage = client.transport.send(&request).await?.json_streamed()?;
        let count = page.value.len();
        let by_offset = url.query_pairs().any(|(k, _)| k == "$skip");
        if by_offset && count > 0 && self.first_id.as_ref() == Some(&page.value[0].id) {
            // A service that ignores `$skip` would hand out page one forever.
            return Err(ApiError::InvalidResponse {
                service: Service::Graph,
                status: 200,
                detail: "userConfigurations ignored $skip and answered its first page again".into(),
            });
        }
        if self.first_id.is_none() {
            self.first_id = page.value.first().map(|u| u.id.clone());
        }
        self.users_read += count;
        match page.next_link {
            Some(next) => {
                self.pages.next(&next, client.transport.scrubber())?;
                self.next = Some(client.same_origin_link(&next)?);
            }
            // A full page without a link may not be the last (contract section 7): ask for
            // what follows it by offset, under the same page cap and loop check.
            None if count >= CONFIGURATION_PAGE => {
                let offset = self.users_read.to_string();
                self.pages
                    .next(&format!("$skip={offset}"), client.transport.scrubber())?;
                let mut next = self.first_page.clone();
                next.query_pairs_mut().append_pair("$skip", &offset);
                self.next = Some(next);
            }
            None => {}
        }
        Ok(Some(page.value))
    }
}

impl Client {
    /// `Get-CsOnlinePolicy`-like lookup through Graph `getPolicyId` `[C]`: the id of policy `name`
    /// of `policy_type`, `None` when the tenant has no such policy.
    pub async fn get_mg_teams_policy_id(
        &self,
        policy_type: &str,
        name: &str,
    ) -> Result<Option<PolicyId>, ApiError> {
        let call = format!(
            "getPolicyId(type='{}',name='{}')",
            policy_type.replace('\'', "''"),
            name.replace('\'', "''")
        );
        let url = self.graph_url(&["admin", "teams", "policy", &call]);
        let request = self.graph_request(
            "Get-MgTeamsPolicyId",
            Method::GET,
            url,
            None,
            ASSIGN_PERMISSION,
        );
        let Some(answer) = self.transport.send_unless_absent(&request).await? else {
            return Ok(None);
        };
        Ok(answer.json::<PolicyIdList>()?.value.into_iter().next())
    }

    async fn user_assignment_batches(
        &self,
        action: &'static str,
        entries: Vec<(String, serde_json::Value)>,
    ) -> Vec<BatchOutcome> {
        let url = self.graph_url(&["admin", "teams", "policy", "userAssignments", action]);
        let mut outcomes = Vec::new();
        for chunk in entries.chunks(ASSIGN_BATCH) {
            let body = json!({"value": chunk.iter().map(|(_, e)| e).collect::<Vec<_>>()});
            let call = if action == "assign" {
                "userAssignments/assign"
            } else {
                "userAssignments/unassign"
            };
            let request = self.graph_request(
                call,
                Method::POST,
                url.clone(),
                Some(body),
                ASSIGN_PERMISSION,
            );
            let result = self.transport.send(&request).await.map(drop);
            outcomes.push(BatchOutcome {
                user_ids: chunk.iter().map(|(u, _)| u.clone()).collect(),
                result,
            });
        }
        outcomes
    }

    /// Graph `userAssignments/assign` `[C]`: grants `policy_id` of `policy_type` to every user, in
    /// requests of [`ASSIGN_BATCH`]. Resources grant through `Client::grant_user_policies`, which
    /// picks the route (see `client::grant_routes`).
    pub async fn assign_mg_user_policies(
        &self,
        policy_type: &str,
        policy_id: &str,
        user_ids: &[String],
    ) -> Vec<BatchOutcome> {
        let entries = assignment_entries(user_ids, policy_type, Some(policy_id));
        self.user_assignment_batches("assign", entries).await
    }

    /// Graph `userAssignments/unassign` `[C]`: removes the direct assignment of `policy_type`.
    pub async fn unassign_mg_user_policies(
        &self,
        policy_type: &str,
        user_ids: &[String],
    ) -> Vec<BatchOutcome> {
        let entries = assignment_entries(user_ids, policy_type, None);
        self.user_assignment_batches("unassign", entries).await
    }

    /// Graph `GET /admin/teams/userConfigurations/{id}` `[C]`; `None` when there is no such user.
    pub async fn get_mg_teams_user_configuration(
        &self,
        user_id: &str,
    ) -> Result<Option<TeamsUserConfiguration>, ApiError> {
        let url = self.graph_url(&["admin", "teams", "userConfigurations", user_id]);
        let request = self.graph_request(
            "Get-MgTeamsUserConfiguration",
            Method::GET,
            url,
            None,
            READ_PERMISSION,
        );
        self.transport
            .send_unless_absent(&request)
            .await?
            .map(|answer| answer.one())
            .transpose()
    }

    /// The first page's URL of the `userConfigurations` list (also the `doctor`'s probe, with the
    /// smallest `top`).
    pub(crate) fn user_configurations_url(&self, top: usize) -> url::Url {
        let mut url = self.graph_url(&["admin", "teams", "userConfigurations"]);
        url.query_pairs_mut().append_pair("$top", &top.to_string());
        url
    }

    /// One page of the `userConfigurations` list at `url`.
    pub(crate) fn user_configurations_request(
        &self,
        url: url::Url,
    ) -> crate::client::http::Request {
        self.graph_request(
            "Get-MgTeamsUserConfiguration",
            Method::GET,
            url,
            None,
            READ_PERMISSION,
        )
    }

    /// The request of `Get-CsGroupPolicyAssignment` (also the `doctor`'s probe of it).
    pub(crate) fn group_policy_assignments_request(&self) -> crate::client::http::Request {
        let url = self.teams_url(&["Skype.Policy", "groupPolicyAssignments", ""]);
        self.teams_request("Get-CsGroupPolicyAssignment", Method::GET, url, None)
    }

    /// Every user's configuration in one paged pass `[C]`. With `only_type`, effective assignments
    /// of other policy types are dropped as pages arrive, to keep memory small on large tenants;
    /// the types the readiness rule needs beside it (`domain::readiness::companion_types`) are
    /// kept.
    pub async fn list_mg_teams_user_configurations(
        &self,
        only_type: Option<&str>,
    ) -> Result<Vec<TeamsUserConfiguration>, ApiError> {
        let mut pager = ConfigurationPager::new(self);
        let mut all: Vec<TeamsUserConfiguration> = Vec::new();
        while let Some(page) = pager.next_page(self).await? {
            for mut configuration in page {
                if let Some(keep) = only_type {
                    let also = companion_types(keep);
                    configuration.effective_policy_assignments.retain(|e| {
                        e.policy_type.eq_ignore_ascii_case(keep)
                            || also.iter().any(|t| e.policy_type.eq_ignore_ascii_case(t))
                    });
                }
                // Graph lists a handful of features; a longer list is not one we act on.
                configuration.feature_types.truncate(MAX_FEATURE_TYPES);
                all.push(configuration);
            }
        }
        Ok(all)
    }

    /// `Set-CsPhoneNumberAssignment -Identity <user> -EnterpriseVoiceEnabled <bool>` `[I]`: turns
    /// Enterprise Voice on or off without touching phone numbers.
    pub async fn set_cs_phone_number_assignment_enterprise_voice(
        &self,
        user_id: &str,
        enabled: bool,
    ) -> Result<(), ApiError> {
        let url = self.teams_url(&["Teams.User", "users", user_id]);
        let body = json!({"EnterpriseVoiceEnabled": enabled});
        let request = self.teams_request(
            "Set-CsPhoneNumberAssignment",
            Method::PATCH,
            url,
            Some(body),
        );
        self.transport.send(&request).await.map(drop)
    }

    /// The one group's assignment of one policy type, which the PATCH and DELETE share.
    fn group_assignment_url(&self, group_id: &str, policy_type: &str) -> url::Url {
        self.teams_url(&[
            "Skype.Policy",
            "groupPolicyAssignments",
            group_id,
            "policyTypes",
            policy_type,
        ])
    }

    /// `Grant-CsUserPolicy` `[3P]`: the Teams per-user route, `PATCH
    /// /Skype.Policy/users/{id}/policies/{type}` with `{"PolicyName": name}`, or `null` to remove
    /// the direct assignment (contract section 5). For policy types Graph does not take.
    pub async fn grant_cs_user_policy(
        &self,
        user_id: &str,
        policy_type: &str,
        policy_name: Option<&str>,
    ) -> Result<(), ApiError> {
        let url = self.teams_url(&["Skype.Policy", "users", user_id, "policies", policy_type]);
        let body = json!({"PolicyName": policy_name.map(bare_name)});
        let request = self.teams_request("Grant-CsUserPolicy", Method::PATCH, url, Some(body));
        self.transport.send(&request).await.map(drop)
    }

    /// `Get-CsGroupPolicyAssignment` [3P path, body I]: every group assignment of the tenant.
    pub async fn get_cs_group_policy_assignments(
        &self,
    ) -> Result<Vec<GroupPolicyAssignment>, ApiError> {
        let request = self.group_policy_assignments_request();
        self.transport.send(&request).await?.json()
    }

    /// `New-CsGroupPolicyAssignment` and `Set-CsGroupPolicyAssignment` `[3P]`: one PATCH creates
    /// the assignment or changes its policy name and rank. Without a rank the group goes last. A
    /// write that answers no body is read back from the list (contract section 7).
    pub async fn new_cs_group_policy_assignment(
        &self,
        group_id: &str,
        policy_type: &str,
        policy_name: &str,
        rank: Option<u32>,
    ) -> Result<GroupPolicyAssignment, ApiError> {
        let url = self.group_assignment_url(group_id, policy_type);
        let body = serde_json::to_value(GroupPolicyAssignmentBody { policy_name, rank })
            .expect("body serialises");
        let request = self.teams_request(
            "New-CsGroupPolicyAssignment",
            Method::PATCH,
            url,
            Some(body),
        );
        let answer = self.transport.send(&request).await?;
        let what = format!("the assignment of group '{}'", answer.quote(group_id));
        let read_back = async {
            Ok(self
                .get_cs_group_policy_assignments()
                .await?
                .into_iter()
                .find(|a| {
                    a.group_id.eq_ignore_ascii_case(group_id)
                        && a.policy_type.eq_ignore_ascii_case(policy_type)
                }))
        };
        answer.entity_or_read_back(&what, read_back).await
    }

    /// `Remove-CsGroupPolicyAssignment` `[I]`; an assignment that is already gone is not an error.
    pub async fn remove_cs_group_policy_assignment(
        &self,
        group_id: &str,
        policy_type: &str,
    ) -> Result<(), ApiError> {
        let url = self.group_assignment_url(group_id, policy_type);
        let request =
            self.teams_request("Remove-CsGroupPolicyAssignment", Method::DELETE, url, None);
        self.transport.send_unless_absent(&request).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_policy_ignores_group_and_global() {
        let c: TeamsUserConfiguration = serde_json::from_value(json!({
            "id": "u", "userPrincipalName": "ann@contoso.com", "telephoneNumbers": null,
            "effectivePolicyAssignments": [
                {"policyType": "TeamsSharedCallingRoutingPolicy",
                 "policyAssignment": {"displayName": "Tag:Seattle", "assignmentType": "direct"}},
                {"policyType": "TeamsEmergencyCallRoutingPolicy",
                 "policyAssignment": {"displayName": "E911", "assignmentType": "group", "groupId": "g"}},
                {"policyType": "CallingLineIdentity",
                 "policyAssignment": {"displayName": "Global", "assignmentType": "direct"}},
                {"policyType": "TenantDialPlan", "policyAssignment": null},
                {"policyType": "Future", "policyAssignment": {"displayName": "X", "assignmentType": "unknownFutureValue"}}
            ],
            "somethingNew": 1
        }))
        .unwrap();
        assert_eq!(
            c.direct_policy("teamssharedcallingroutingpolicy"),
            Some("Seattle")
        );
        assert_eq!(c.direct_policy("TeamsEmergencyCallRoutingPolicy"), None);
        assert_eq!(c.direct_policy("CallingLineIdentity"), None);
        assert_eq!(c.direct_policy("Future"), None);
        assert!(!c.holds_a_number());
    }

    #[test]
    fn group_body_leaves_out_a_missing_rank() {
        let body = serde_json::to_string(&GroupPolicyAssignmentBody {
            policy_name: "Seattle",
            rank: None,
        })
        .unwrap();
        assert_eq!(body, r#"{"PolicyName":"Seattle"}"#);
    }
}
