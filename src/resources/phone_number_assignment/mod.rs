//! `teamsphone_phone_number_assignment`: a telephone number assigned to a user or resource account.
//!
//! Assigning and unassigning are long-running Graph operations: the provider submits, follows the
//! operation until it is final (bounded by the timeouts block), then re-reads the number and checks
//! its target and `activationState`. A `failed` operation's `statusDetail` is the error the user
//! reads. The operation id is kept in the resource's private state from the moment it is submitted:
//!
//! - if the create timeout runs out while Teams is still working, the assignment is recorded with
//!   `activation_state = "assignmentPending"` and a warning instead of an error. An error would make
//!   Terraform taint the instance, and replacing it would unassign and submit a second assignment;
//!   instead the next plan refreshes the operation and, while it still runs, plans an in-place update
//!   that resumes waiting for the *same* operation;
//! - a create that finds the number already assigned (or pending) to the same target adopts it
//!   rather than submitting again, which covers an apply killed before anything was recorded.
//!
//! A new resource account may not be visible to the number service yet: a "not found" answer to the
//! assignment is retried for up to two minutes (within the create timeout), never longer, so a typo
//! in `target_id` still fails in reasonable time. Numbers are compared as numbers
//! ([`crate::domain::phone`]): the user's spelling stays in state and the `id` is the canonical `+E.164`.

//!
//! The schema is in [`schema`], the pure conversions in [`model`]; this file holds the calls.

pub mod model;
pub mod schema;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::client::api::number_operations::OperationStatus;
use crate::client::waits::wait_until_found;
use crate::client::workflows::AssignmentOutcome;
use crate::client::Client;
use crate::domain::numbers::{validate_number, validate_number_type, ACTIVATED, CATEGORIES};
use crate::domain::phone::TelephoneNumber;
use crate::framework::diagnostics::{api_error, cannot_import, Reported};
use crate::framework::equality::Equality;
use crate::framework::replace::RequiresReplace;
use crate::framework::resource::{Change, Cx, ManagedResource, Read, Step, Write};
use crate::framework::timeouts::{self, Timeouts};
use crate::framework::validators::{check_known, guid, one_of};
use crate::framework::values::{known_str, owned};
pub use model::AssignmentModel;
use model::{
    assign_request, canonical_of, is_pending, model_from_api, name_of, plan_new, replace_rules,
    with_computed,
};

const WHAT: &str = "phone number assignment";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest wait for a target the number service does not know yet (a brand-new account).
const CONSISTENCY_WINDOW: Duration = Duration::from_secs(120);

/// An operation submitted but not yet seen final: kept in private state to resume it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingOperation {
    pub operation_id: String,
}

#[derive(Default)]
pub struct PhoneNumberAssignmentResource;

fn still_running_warning(diags: &mut Diagnostics, name: &str, id: &str, why: &str) {
    diags.root_warning(
        format!("Assignment of {name} is still in progress"),
        format!(
            "Teams accepted the assignment of {name} (operation {id}) but it had not finished: {why}. It is recorded as assignmentPending; the next terraform apply resumes waiting for this same operation instead of submitting another."
        ),
    );
}

/// Waits for `operation_id` and turns the result into the state to record (see module essay).
async fn finish_assignment<'a>(
    diags: &mut Diagnostics,
    client: &Client,
    planned: AssignmentModel<'a>,
    operation_id: String,
    deadline: Instant,
    action: &str,
) -> Option<(AssignmentModel<'a>, Option<PendingOperation>)> {
    let name = name_of(&planned);
    let number = canonical_of(&planned);
    let target = known_str(&planned.target_id).to_string();
    let followed = client
        .follow_number_assignment(&operation_id, &number, &target, deadline)
        .await;
    match followed.or_report(diags, action, WHAT, &name)? {
        AssignmentOutcome::Failed(detail) => {
            diags.root_error(
                format!("Error {action} {WHAT} ({name})"),
                format!("{action} {WHAT} ({name}): Teams could not assign {number} to {target}: {detail}"),
            );
            None
        }
        AssignmentOutcome::StillRunning(why) => {
            still_running_warning(diags, &name, &operation_id, &why);
            let mut pending = planned;
            pending.id = owned(number);
            pending.activation_state = owned("assignmentPending");
            if !pending.assignment_category.is_value() {
                pending.assignment_category = owned("primary");
            }
            if !pending.iso_country_code.is_value() {
                pending.iso_country_code = Value::Null;
            }
            Some((pending, Some(PendingOperation { operation_id })))
        }
        AssignmentOutcome::Activated(n) => Some((with_computed(planned, &n), None)),
        AssignmentOutcome::NotActivated(other) => {
            let shows = other
                .as_ref()
                .map(|n| {
                    format!(
                        "target {:?}, activationState {:?}",
                        n.assignment_target_id.clone().unwrap_or_default(),
                        n.activation_state.clone().unwrap_or_default()
                    )
                })
                .unwrap_or_else(|| "no such number".into());
            diags.root_error(
                format!("Error {action} {WHAT} ({name})"),
                format!("{action} {WHAT} ({name}): operation {operation_id} succeeded, but the number then showed {shows} instead of {target}, activated"),
            );
            // Held by our target but not activated: record it (Terraform taints it, so the
            // next apply unassigns and assigns again); held by nobody of ours: nothing to record.
            other
                .filter(|n| {
                    Equality::CaseInsensitive
                        .same_option(n.assignment_target_id.as_deref(), Some(&target))
                })
                .map(|n| (with_computed(planned, &n), None))
        }
    }
}

#[async_trait]
impl ManagedResource for PhoneNumberAssignmentResource {
    type Model<'a> = AssignmentModel<'a>;
    type Private = Option<PendingOperation>;
    /// The number as typed, and parsed.
    type ImportId = (String, TelephoneNumber);

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn requires_replace<'a>(&self) -> Vec<RequiresReplace<'a, AssignmentModel<'a>>> {
        replace_rules()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &AssignmentModel<'_>) {
        let number_type = config.number_type.as_deref_option();
        check_known(diags, "telephone_number", &config.telephone_number, |n| {
            validate_number(n, number_type).map(drop)
        });
        check_known(diags, "target_id", &config.target_id, guid);
        check_known(
            diags,
            "number_type",
            &config.number_type,
            validate_number_type,
        );
        check_known(
            diags,
            "assignment_category",
            &config.assignment_category,
            one_of(&CATEGORIES),
        );
        check_known(diags, "location_id", &config.location_id, guid);
        timeouts::validate(diags, &config.timeouts);
    }

    fn defaults(&self, planned: &mut AssignmentModel<'_>) {
        if planned.assignment_category.is_null() {
            planned.assignment_category = owned("primary");
        }
    }

    fn plan<'a>(
        &self,
        _diags: &mut Diagnostics,
        m: &mut AssignmentModel<'a>,
        step: Step<'_, AssignmentModel<'a>, Option<PendingOperation>>,
    ) -> Option<()> {
        match step {
            Step::Create | Step::Replace(_) => plan_new(m),
            Step::Update(prior, private) => {
                if private.is_some() || is_pending(prior.activation_state.as_deref_option()) {
                    // An unfinished operation: plan an update whose apply resumes waiting for it.
                    m.activation_state = Value::Unknown;
                }
            }
        }
        Some(())
    }

    async fn read<'a>(&self, cx: Cx<'_, Self>, prior: AssignmentModel<'a>) -> Read<'a, Self> {
        let (diags, client, private) = (cx.diags, cx.client, cx.private);
        let name = name_of(&prior);
        // A pending operation is looked at once: finished ones are forgotten, running ones kept.
        *private = match private.take() {
            Some(p) => match client.get_cs_phone_number_operation(&p.operation_id).await {
                Ok((op, _)) if op.status().is_final() => None,
                Ok(_) => Some(p),
                Err(e) if e.is_not_found() => None,
                Err(e) => {
                    api_error(diags, "reading", WHAT, &name, &e);
                    return None;
                }
            },
            None => None,
        };
        match client
            .get_cs_phone_number_assignment(&canonical_of(&prior))
            .await
            .or_report(diags, "reading", WHAT, &name)?
        {
            Some(n) => match model_from_api(&prior, &n) {
                Some(model) => Some(Value::Value(model)),
                None => {
                    *private = None;
                    Some(Value::Null)
                }
            },
            None => {
                *private = None;
                Some(Value::Null)
            }
        }
    }

    async fn create<'a>(&self, cx: Cx<'_, Self>, planned: AssignmentModel<'a>) -> Write<'a, Self> {
        let (diags, client, private) = (cx.diags, cx.client, cx.private);
        let name = name_of(&planned);
        let deadline = Instant::now() + Timeouts::create(&planned.timeouts, DEFAULT_TIMEOUT);
        let request = assign_request(&planned);

        // Already ours (an earlier apply was cut off before it could record anything): adopt it.
        match client
            .get_cs_phone_number_assignment(&request.telephone_number)
            .await
        {
            Ok(Some(n))
                if Equality::CaseInsensitive.same_option(
                    n.assignment_target_id.as_deref(),
                    Some(&request.assignment_target_id),
                ) =>
            {
                if n.activation_state.as_deref() == Some(ACTIVATED)
                    && Equality::CaseInsensitive
                        .same_option(n.location_id.as_deref(), request.location_id.as_deref())
                {
                    return Some(with_computed(planned, &n));
                }
                if n.activation_state.as_deref() == Some("assignmentPending") {
                    return match client
                        .settle_number_assignment(
                            &request.telephone_number,
                            &request.assignment_target_id,
                            deadline,
                        )
                        .await
                        .or_report(diags, "creating", WHAT, &name)?
                    {
                        Some(n) if n.activation_state.as_deref() == Some(ACTIVATED) => {
                            Some(with_computed(planned, &n))
                        }
                        _ => {
                            diags.root_error(
                                format!("Error creating {WHAT} ({name})"),
                                format!("creating {WHAT} ({name}): the number is already being assigned to {} by an earlier request that has not finished; run apply again later", request.assignment_target_id),
                            );
                            None
                        }
                    };
                }
            }
            Ok(_) => {}
            Err(e) => {
                api_error(diags, "creating", WHAT, &name, &e);
                return None;
            }
        }

        // Submit, waiting out a target the number service does not know yet.
        let window = deadline.min(Instant::now() + CONSISTENCY_WINDOW);
        let last_not_found = Mutex::new(None);
        let submitted = wait_until_found(window, || async {
            match client.set_cs_phone_number_assignment(&request).await {
                Ok(op) => Ok(Some(op)),
                Err(e) if e.is_not_found() => {
                    *last_not_found.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        })
        .await;
        let operation_id = match submitted.or_report(diags, "creating", WHAT, &name)? {
            (Some(op), _) => op,
            (None, tries) => {
                let last = last_not_found
                    .into_inner()
                    .unwrap_or_else(|p| p.into_inner());
                let detail = last.map(|e| e.to_string()).unwrap_or_default();
                diags.error(
                    format!("Error creating {WHAT} ({name})"),
                    format!("creating {WHAT} ({name}): the target {} was still not found after {tries} tries: {detail}. A new account can take a while to become visible; otherwise check target_id.", request.assignment_target_id),
                    AttributePath::new("target_id"),
                );
                return None;
            }
        };
        tracing::info!(number = %request.telephone_number, operation = %operation_id, "assignNumber accepted");
        let (model, pending) =
            finish_assignment(diags, client, planned, operation_id, deadline, "creating").await?;
        *private = pending;
        Some(model)
    }

    async fn update<'a>(&self, cx: Cx<'_, Self>, change: Change<'a, Self>) -> Write<'a, Self> {
        let (diags, client, private) = (cx.diags, cx.client, cx.private);
        let Change { prior, planned } = change;
        let name = name_of(&planned);
        let number = canonical_of(&planned);
        let target = known_str(&planned.target_id).to_string();
        let deadline = Instant::now() + Timeouts::update(&planned.timeouts, DEFAULT_TIMEOUT);
        let mut current = prior.clone();
        if let Some(p) = private.take() {
            match finish_assignment(
                diags,
                client,
                prior.clone(),
                p.operation_id,
                deadline,
                "updating",
            )
            .await
            {
                // Settled wrongly (an error is reported): record what Teams shows, change nothing.
                Some((state, None)) if !diags.errors.is_empty() => return Some(state),
                Some((done, None)) => current = done,
                // Still running: keep the operation for the next apply; nothing else can happen yet.
                Some((mut state, pending @ Some(_))) => {
                    state.location_id = prior.location_id.clone();
                    state.timeouts = planned.timeouts.clone();
                    *private = pending;
                    return Some(state);
                }
                None => return None,
            }
        } else if is_pending(current.activation_state.as_deref_option()) {
            let settled = client
                .settle_number_assignment(&number, &target, deadline)
                .await
                .or_report(diags, "updating", WHAT, &name)?;
            if let Some(n) = settled {
                current = with_computed(current, &n);
            }
        }
        if !Equality::CaseInsensitive.same_option(
            current.location_id.as_deref_option(),
            planned.location_id.as_deref_option(),
        ) {
            if let Err(e) = client
                .set_cs_phone_number_location(&number, planned.location_id.as_deref_option())
                .await
            {
                diags.error(
                    format!("Error updating {WHAT} ({name})"),
                    format!("updating {WHAT} ({name}): setting the emergency location: {e}"),
                    AttributePath::new("location_id"),
                );
                return Some(current);
            }
        }
        let mut result = planned;
        result.id = owned(number);
        result.activation_state = current.activation_state.clone();
        result.iso_country_code = current.iso_country_code.clone();
        if !result.activation_state.is_value() {
            result.activation_state = owned(ACTIVATED);
        }
        Some(result)
    }

    async fn delete<'a>(&self, cx: Cx<'_, Self>, prior: AssignmentModel<'a>) -> Option<()> {
        let (diags, client, private) = (cx.diags, cx.client, cx.private);
        let name = name_of(&prior);
        let number = canonical_of(&prior);
        let deadline = Instant::now() + Timeouts::delete(&prior.timeouts, DEFAULT_TIMEOUT);
        if let Some(p) = private {
            // Let an unfinished assignment end first; its outcome does not matter any more.
            let _ = client
                .wait_for_number_operation(&p.operation_id, deadline)
                .await;
        }
        let current = client
            .get_cs_phone_number_assignment(&number)
            .await
            .or_report(diags, "deleting", WHAT, &name)?;
        let ours = current.as_ref().is_some_and(|n| {
            Equality::CaseInsensitive.same_option(
                n.assignment_target_id.as_deref(),
                prior.target_id.as_deref_option(),
            )
        });
        if !ours {
            // Gone already, or someone else's now: nothing of ours to remove.
            return Some(());
        }
        let number_type = current
            .and_then(|n| n.number_type)
            .unwrap_or_else(|| assign_request(&prior).number_type);
        let op = client
            .remove_cs_phone_number_assignment(&number, &number_type)
            .await
            .or_report(diags, "deleting", WHAT, &name)?;
        match client.wait_for_number_operation(&op, deadline).await {
            Ok(done) if done.status() == OperationStatus::Failed => {
                let detail = done.detail();
                diags.root_error(
                    format!("Error deleting {WHAT} ({name})"),
                    format!(
                        "deleting {WHAT} ({name}): Teams could not unassign {number}: {detail}"
                    ),
                );
                None
            }
            Ok(_) => Some(()),
            Err(e) => {
                let why = e.for_user();
                diags.root_error(
                    format!("Error deleting {WHAT} ({name})"),
                    format!("deleting {WHAT} ({name}): unassigning {number} (operation {op}) did not finish: {why}"),
                );
                None
            }
        }
    }

    fn import_id(&self, id: &str) -> Result<(String, TelephoneNumber), String> {
        let typed = id.trim().to_string();
        match TelephoneNumber::parse(&typed) {
            Ok(parsed) => Ok((typed, parsed)),
            Err(problem) => Err(format!(
                "Import a phone number assignment by its telephone number: {problem}"
            )),
        }
    }

    async fn import<'a>(&self, cx: Cx<'_, Self>, _: &str, key: Self::ImportId) -> Write<'a, Self> {
        let Cx { diags, client, .. } = cx;
        let (typed, parsed) = key;
        match client
            .get_cs_phone_number_assignment(&parsed.canonical())
            .await
            .or_report(diags, "importing", WHAT, &typed)?
        {
            Some(n) => {
                let prior = AssignmentModel {
                    telephone_number: owned(typed.clone()),
                    ..Default::default()
                };
                match model_from_api(&prior, &n) {
                    Some(model) => Some(model),
                    None => {
                        cannot_import(
                            diags,
                            WHAT,
                            &typed,
                            format!("{} is not assigned to a user or resource account (assignmentStatus {:?}); there is no assignment to import.", parsed.canonical(), n.assignment_status.unwrap_or_default()),
                        );
                        None
                    }
                }
            }
            None => {
                cannot_import(
                    diags,
                    WHAT,
                    &typed,
                    format!(
                        "Tenant {} has no telephone number {}.",
                        client.tenant_id(),
                        parsed.canonical()
                    ),
                );
                None
            }
        }
    }
}
