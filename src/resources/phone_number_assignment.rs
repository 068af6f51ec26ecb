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

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, Schema,
};
use tf_provider::value::{self, Value, ValueEmpty, ValueString};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::client::api::number_operations::OperationStatus;
use crate::client::api::numbers::{AssignNumber, NumberAssignment};
use crate::client::waits::wait_until_found;
use crate::client::workflows::AssignmentOutcome;
use crate::client::Client;
use crate::domain::numbers::{
    api_number_type, tf_number_type, validate_number, ACTIVATED, CATEGORIES, NUMBER_TYPES,
};
use crate::domain::phone::{same_number, TelephoneNumber};
use crate::domain::text::same_id;
use crate::framework::attributes::{attributes, computed_string, optional_string, required_string};
use crate::framework::diagnostics::api_error;
use crate::framework::timeouts::{self, Timeouts, TimeoutsBlock};
use crate::framework::validators::{check_known, guid, one_of};
use crate::provider::ProviderData;

const WHAT: &str = "phone number assignment";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest wait for a target the number service does not know yet (a brand-new account).
const CONSISTENCY_WINDOW: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssignmentModel<'a> {
    pub id: ValueString<'a>,
    pub telephone_number: ValueString<'a>,
    pub target_id: ValueString<'a>,
    pub number_type: ValueString<'a>,
    pub assignment_category: ValueString<'a>,
    pub location_id: ValueString<'a>,
    pub activation_state: ValueString<'a>,
    pub iso_country_code: ValueString<'a>,
    #[serde(with = "value::serde_as_vec")]
    pub timeouts: TimeoutsBlock<'a>,
}

pub type AssignmentState<'a> = Value<AssignmentModel<'a>>;

/// An operation submitted but not yet seen final: kept in private state to resume it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingOperation {
    pub operation_id: String,
}

pub struct PhoneNumberAssignmentResource {
    data: ProviderData,
}

impl PhoneNumberAssignmentResource {
    pub fn new(data: ProviderData) -> Self {
        PhoneNumberAssignmentResource { data }
    }
}

fn optional_computed_string(description: &str) -> Attribute {
    Attribute {
        attr_type: AttributeType::String,
        description: Description::markdown(description),
        constraint: AttributeConstraint::OptionalComputed,
        sensitive: false,
        deprecated: false,
    }
}

fn schema() -> Schema {
    let (name, block) = timeouts::block([DEFAULT_TIMEOUT; 3]);
    Schema {
        version: 1,
        block: Block {
            version: 1,
            description: Description::markdown(
                "Assigns a telephone number to a user or resource account (Graph `assignNumber`), optionally with an emergency location.",
            ),
            attributes: attributes([
                ("id", computed_string("The number in canonical `+E.164` form (with `;ext=N` for a Direct Routing extension).")),
                ("telephone_number", required_string("The number, `+E.164` (`+12065550100`; spaces, dashes and brackets are ignored). `;ext=N` only for Direct Routing. Changing it (to a different number) creates a new assignment.")),
                ("target_id", required_string("Object id (GUID) of the user or resource account that gets the number. Changing it re-assigns the number.")),
                ("number_type", required_string("`direct_routing`, `calling_plan` or `operator_connect`. Changing it creates a new assignment.")),
                ("assignment_category", optional_computed_string("`primary` (default), `private` or `alternate`. Changing it creates a new assignment.")),
                ("location_id", optional_string("Emergency location id (GUID). Updated in place; removing it clears the location.")),
                ("activation_state", computed_string("Teams' `activationState` of the number: `activated` once the assignment is done, `assignmentPending` while Teams is still working.")),
                ("iso_country_code", computed_string("ISO 3166 alpha-2 country of the number, known at plan time from the number itself.")),
            ]),
            blocks: HashMap::from([(name, block)]),
            ..Default::default()
        },
    }
}

fn s<'a>(v: impl Into<String>) -> ValueString<'a> {
    Value::Value(Cow::Owned(v.into()))
}

fn keep_case<'a>(prior: &ValueString<'a>, api: Option<&str>) -> ValueString<'a> {
    match (prior.as_deref_option(), api) {
        (_, None) | (_, Some("")) => Value::Null,
        (Some(p), Some(a)) if p.eq_ignore_ascii_case(a) => prior.clone(),
        (_, Some(a)) => s(a),
    }
}

/// The state for what Graph shows, keeping prior spellings; `None` when the number is assigned to
/// nobody (`unassigned`, or serving a policy), i.e. the assignment is gone.
pub fn model_from_api<'a>(
    prior: &AssignmentModel<'a>,
    n: &NumberAssignment,
) -> Option<AssignmentModel<'a>> {
    let target = n
        .assignment_target_id
        .as_deref()
        .filter(|t| !t.is_empty())?;
    if matches!(
        n.assignment_status.as_deref(),
        Some("unassigned" | "policyAssigned")
    ) {
        return None;
    }
    let canonical = TelephoneNumber::parse(&n.telephone_number)
        .map(|p| p.canonical())
        .unwrap_or_else(|_| n.telephone_number.clone());
    let telephone_number = match prior.telephone_number.as_deref_option() {
        Some(p) if same_number(p, &n.telephone_number) => prior.telephone_number.clone(),
        _ => s(n.telephone_number.clone()),
    };
    let number_type = match n.number_type.as_deref().and_then(tf_number_type) {
        Some(t) => s(t),
        None => prior.number_type.clone(),
    };
    Some(AssignmentModel {
        id: s(canonical),
        telephone_number,
        target_id: keep_case(&prior.target_id, Some(target)),
        number_type,
        assignment_category: s(n
            .assignment_category
            .clone()
            .unwrap_or_else(|| "primary".into())),
        location_id: keep_case(&prior.location_id, n.location_id.as_deref()),
        activation_state: n.activation_state.as_deref().map(s).unwrap_or(Value::Null),
        iso_country_code: match &n.iso_country_code {
            Some(c) if !c.is_empty() => s(c.clone()),
            _ => prior.iso_country_code.clone(),
        },
        timeouts: prior.timeouts.clone(),
    })
}

/// The `assignNumber` body for a planned state.
pub fn assign_request(model: &AssignmentModel<'_>) -> AssignNumber {
    let number = model.telephone_number.as_deref_option().unwrap_or_default();
    AssignNumber {
        telephone_number: TelephoneNumber::parse(number)
            .map(|n| n.canonical())
            .unwrap_or_else(|_| number.to_string()),
        assignment_target_id: model
            .target_id
            .as_deref_option()
            .unwrap_or_default()
            .to_string(),
        number_type: model
            .number_type
            .as_deref_option()
            .and_then(api_number_type)
            .unwrap_or_default()
            .to_string(),
        assignment_category: model
            .assignment_category
            .as_deref_option()
            .unwrap_or("primary")
            .to_string(),
        location_id: model.location_id.as_deref_option().map(str::to_string),
    }
}

/// Which changes force a new assignment.
pub fn replace_paths(
    prior: &AssignmentModel<'_>,
    planned: &AssignmentModel<'_>,
) -> Vec<AttributePath> {
    let mut paths = Vec::new();
    let same_number = match (
        prior.telephone_number.as_deref_option(),
        planned.telephone_number.as_deref_option(),
    ) {
        (Some(a), Some(b)) => same_number(a, b),
        (a, b) => a == b,
    };
    if !same_number {
        paths.push(AttributePath::new("telephone_number"));
    }
    if !same_id(
        prior.target_id.as_deref_option(),
        planned.target_id.as_deref_option(),
    ) {
        paths.push(AttributePath::new("target_id"));
    }
    if prior.number_type.as_deref_option() != planned.number_type.as_deref_option() {
        paths.push(AttributePath::new("number_type"));
    }
    if prior.assignment_category.as_deref_option() != planned.assignment_category.as_deref_option()
    {
        paths.push(AttributePath::new("assignment_category"));
    }
    paths
}

/// States Teams is still working on; a failed state (`assignmentFailed`, `updateFailed`) is final
/// and shows in state without planning a change on every run.
fn is_pending(activation_state: Option<&str>) -> bool {
    matches!(
        activation_state,
        Some("assignmentPending" | "updatePending")
    )
}

fn canonical_of(model: &AssignmentModel<'_>) -> String {
    assign_request(model).telephone_number
}

fn name_of(model: &AssignmentModel<'_>) -> String {
    model
        .telephone_number
        .as_deref_option()
        .or(model.id.as_deref_option())
        .unwrap_or("unknown")
        .to_string()
}

/// Fills the computed attributes of `planned` from what Graph shows.
fn with_computed<'a>(
    mut planned: AssignmentModel<'a>,
    n: &NumberAssignment,
) -> AssignmentModel<'a> {
    planned.id = s(canonical_of(&planned));
    planned.activation_state = n.activation_state.as_deref().map(s).unwrap_or(Value::Null);
    if !planned.iso_country_code.is_value() {
        planned.iso_country_code = n.iso_country_code.as_deref().map(s).unwrap_or(Value::Null);
    }
    if !planned.assignment_category.is_value() {
        planned.assignment_category = s("primary");
    }
    planned
}

fn still_running_warning(diags: &mut Diagnostics, name: &str, id: &str, why: &str) {
    diags.root_warning(
        format!("Assignment of {name} is still in progress"),
        format!(
            "Teams accepted the assignment of {name} (operation {id}) but it had not finished: {why}. It is recorded as assignmentPending; the next terraform apply resumes waiting for this same operation instead of submitting another."
        ),
    );
}

impl PhoneNumberAssignmentResource {
    /// Waits for `operation_id` and turns the result into the state to record (see module essay).
    async fn finish_assignment<'a>(
        diags: &mut Diagnostics,
        client: &Client,
        planned: AssignmentModel<'a>,
        operation_id: String,
        deadline: Instant,
        action: &str,
    ) -> Option<(AssignmentState<'a>, Option<PendingOperation>)> {
        let name = name_of(&planned);
        let number = canonical_of(&planned);
        let target = planned
            .target_id
            .as_deref_option()
            .unwrap_or_default()
            .to_string();
        let followed = client
            .follow_number_assignment(&operation_id, &number, &target, deadline)
            .await;
        match followed {
            Ok(AssignmentOutcome::Failed(detail)) => {
                diags.root_error(
                    format!("Error {action} {WHAT} ({name})"),
                    format!("{action} {WHAT} ({name}): Teams could not assign {number} to {target}: {detail}"),
                );
                None
            }
            Ok(AssignmentOutcome::StillRunning(why)) => {
                still_running_warning(diags, &name, &operation_id, &why);
                let mut pending = planned;
                pending.id = s(number);
                pending.activation_state = s("assignmentPending");
                if !pending.assignment_category.is_value() {
                    pending.assignment_category = s("primary");
                }
                if !pending.iso_country_code.is_value() {
                    pending.iso_country_code = Value::Null;
                }
                Some((
                    Value::Value(pending),
                    Some(PendingOperation { operation_id }),
                ))
            }
            Ok(AssignmentOutcome::Activated(n)) => {
                Some((Value::Value(with_computed(planned, &n)), None))
            }
            Ok(AssignmentOutcome::NotActivated(other)) => {
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
                    .filter(|n| same_id(n.assignment_target_id.as_deref(), Some(&target)))
                    .map(|n| (Value::Value(with_computed(planned, &n)), None))
            }
            Err(e) => {
                api_error(diags, action, WHAT, &name, &e);
                None
            }
        }
    }
}

#[async_trait]
impl Resource for PhoneNumberAssignmentResource {
    type State<'a> = AssignmentState<'a>;
    type PrivateState<'a> = Option<PendingOperation>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        let Value::Value(config) = config else {
            return Some(());
        };
        let number_type = config.number_type.as_deref_option();
        check_known(diags, "telephone_number", &config.telephone_number, |n| {
            validate_number(n, number_type).map(drop)
        });
        check_known(diags, "target_id", &config.target_id, guid);
        check_known(
            diags,
            "number_type",
            &config.number_type,
            one_of(&NUMBER_TYPES),
        );
        check_known(
            diags,
            "assignment_category",
            &config.assignment_category,
            one_of(&CATEGORIES),
        );
        check_known(diags, "location_id", &config.location_id, guid);
        timeouts::validate(diags, &config.timeouts);
        diags.errors.is_empty().then_some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(prior) = state else {
            return Some((Value::Null, private));
        };
        let client = self.data.client(diags)?;
        let name = name_of(&prior);
        // A pending operation is looked at once: finished ones are forgotten, running ones kept.
        let private = match private {
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
        {
            Ok(Some(n)) => match model_from_api(&prior, &n) {
                Some(model) => Some((Value::Value(model), private)),
                None => Some((Value::Null, None)),
            },
            Ok(None) => Some((Value::Null, None)),
            Err(e) => {
                api_error(diags, "reading", WHAT, &name, &e);
                None
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let planned = proposed.map(|mut m| {
            let parsed = m
                .telephone_number
                .as_deref_option()
                .and_then(|n| TelephoneNumber::parse(n).ok());
            m.id = match &parsed {
                Some(p) => s(p.canonical()),
                None => Value::Unknown,
            };
            m.iso_country_code = match parsed.and_then(|p| p.country) {
                Some(c) => s(c),
                None => Value::Unknown,
            };
            if m.assignment_category.is_null() {
                m.assignment_category = s("primary");
            }
            m.activation_state = Value::Unknown;
            m
        });
        Some((planned, None))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: Self::State<'a>,
        proposed: Self::State<'a>,
        _config: Self::State<'a>,
        prior_private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let (Value::Value(prior), Value::Value(mut m)) = (prior, proposed) else {
            return Some((Value::Null, prior_private, vec![]));
        };
        if m.assignment_category.is_null() {
            m.assignment_category = s("primary");
        }
        let replace = replace_paths(&prior, &m);
        if !replace.is_empty() {
            let parsed = m
                .telephone_number
                .as_deref_option()
                .and_then(|n| TelephoneNumber::parse(n).ok());
            m.id = parsed
                .as_ref()
                .map(|p| s(p.canonical()))
                .unwrap_or(Value::Unknown);
            m.iso_country_code = parsed
                .and_then(|p| p.country)
                .map(s)
                .unwrap_or(Value::Unknown);
            m.activation_state = Value::Unknown;
        } else if prior_private.is_some() || is_pending(prior.activation_state.as_deref_option()) {
            // An unfinished operation: plan an update whose apply resumes waiting for it.
            m.activation_state = Value::Unknown;
        }
        Some((Value::Value(m), prior_private, replace))
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
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(planned) = planned else {
            return None;
        };
        let client = self.data.client(diags)?;
        let name = name_of(&planned);
        let deadline = Instant::now() + Timeouts::create(&planned.timeouts, DEFAULT_TIMEOUT);
        let request = assign_request(&planned);

        // Already ours (an earlier apply was cut off before it could record anything): adopt it.
        match client
            .get_cs_phone_number_assignment(&request.telephone_number)
            .await
        {
            Ok(Some(n))
                if same_id(
                    n.assignment_target_id.as_deref(),
                    Some(&request.assignment_target_id),
                ) =>
            {
                if n.activation_state.as_deref() == Some(ACTIVATED)
                    && same_id(n.location_id.as_deref(), request.location_id.as_deref())
                {
                    return Some((Value::Value(with_computed(planned, &n)), None));
                }
                if n.activation_state.as_deref() == Some("assignmentPending") {
                    return match client
                        .settle_number_assignment(
                            &request.telephone_number,
                            &request.assignment_target_id,
                            deadline,
                        )
                        .await
                    {
                        Ok(Some(n)) if n.activation_state.as_deref() == Some(ACTIVATED) => {
                            Some((Value::Value(with_computed(planned, &n)), None))
                        }
                        Ok(_) => {
                            diags.root_error(
                                format!("Error creating {WHAT} ({name})"),
                                format!("creating {WHAT} ({name}): the number is already being assigned to {} by an earlier request that has not finished; run apply again later", request.assignment_target_id),
                            );
                            None
                        }
                        Err(e) => {
                            api_error(diags, "creating", WHAT, &name, &e);
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
        let operation_id = match submitted {
            Ok((Some(op), _)) => op,
            Ok((None, tries)) => {
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
            Err(e) => {
                api_error(diags, "creating", WHAT, &name, &e);
                return None;
            }
        };
        tracing::info!(number = %request.telephone_number, operation = %operation_id, "assignNumber accepted");
        Self::finish_assignment(diags, &client, planned, operation_id, deadline, "creating").await
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        planned: Self::State<'a>,
        _config: Self::State<'a>,
        private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let (Value::Value(prior), Value::Value(planned)) = (prior, planned) else {
            return None;
        };
        let client = self.data.client(diags)?;
        let name = name_of(&planned);
        let number = canonical_of(&planned);
        let target = planned
            .target_id
            .as_deref_option()
            .unwrap_or_default()
            .to_string();
        let deadline = Instant::now() + Timeouts::update(&planned.timeouts, DEFAULT_TIMEOUT);
        let mut current = prior.clone();
        if let Some(p) = private {
            match Self::finish_assignment(
                diags,
                &client,
                prior.clone(),
                p.operation_id,
                deadline,
                "updating",
            )
            .await
            {
                // Settled wrongly (an error is reported): record what Teams shows, change nothing.
                Some((state, None)) if !diags.errors.is_empty() => return Some((state, None)),
                Some((Value::Value(done), None)) => current = done,
                // Still running: keep the operation for the next apply; nothing else can happen yet.
                Some((state, pending @ Some(_))) => {
                    let state = state.map(|mut s| {
                        s.location_id = prior.location_id.clone();
                        s.timeouts = planned.timeouts.clone();
                        s
                    });
                    return Some((state, pending));
                }
                _ => return None,
            }
        } else if is_pending(current.activation_state.as_deref_option()) {
            match client
                .settle_number_assignment(&number, &target, deadline)
                .await
            {
                Ok(Some(n)) => current = with_computed(current, &n),
                Ok(None) => {}
                Err(e) => {
                    api_error(diags, "updating", WHAT, &name, &e);
                    return None;
                }
            }
        }
        if !same_id(
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
                return Some((Value::Value(current), None));
            }
        }
        let mut result = planned;
        result.id = s(number);
        result.activation_state = current.activation_state.clone();
        result.iso_country_code = current.iso_country_code.clone();
        if !result.activation_state.is_value() {
            result.activation_state = s(ACTIVATED);
        }
        Some((Value::Value(result), None))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let Value::Value(prior) = prior else {
            return Some(());
        };
        let client = self.data.client(diags)?;
        let name = name_of(&prior);
        let number = canonical_of(&prior);
        let deadline = Instant::now() + Timeouts::delete(&prior.timeouts, DEFAULT_TIMEOUT);
        if let Some(p) = private {
            // Let an unfinished assignment end first; its outcome does not matter any more.
            let _ = client
                .wait_for_number_operation(&p.operation_id, deadline)
                .await;
        }
        let current = match client.get_cs_phone_number_assignment(&number).await {
            Ok(n) => n,
            Err(e) => {
                api_error(diags, "deleting", WHAT, &name, &e);
                return None;
            }
        };
        let ours = current.as_ref().is_some_and(|n| {
            same_id(
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
        let op = match client
            .remove_cs_phone_number_assignment(&number, &number_type)
            .await
        {
            Ok(op) => op,
            Err(e) => {
                api_error(diags, "deleting", WHAT, &name, &e);
                return None;
            }
        };
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

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let typed = id.trim().to_string();
        let parsed = match TelephoneNumber::parse(&typed) {
            Ok(p) => p,
            Err(problem) => {
                diags.root_error(
                    "Invalid import id",
                    format!("Import a phone number assignment by its telephone number: {problem}"),
                );
                return None;
            }
        };
        let client = self.data.client(diags)?;
        match client
            .get_cs_phone_number_assignment(&parsed.canonical())
            .await
        {
            Ok(Some(n)) => {
                let prior = AssignmentModel {
                    telephone_number: s(typed.clone()),
                    ..Default::default()
                };
                match model_from_api(&prior, &n) {
                    Some(model) => Some((Value::Value(model), None)),
                    None => {
                        diags.root_error(
                            format!("Cannot import {WHAT} ({typed})"),
                            format!("{} is not assigned to a user or resource account (assignmentStatus {:?}); there is no assignment to import.", parsed.canonical(), n.assignment_status.unwrap_or_default()),
                        );
                        None
                    }
                }
            }
            Ok(None) => {
                diags.root_error(
                    format!("Cannot import {WHAT} ({typed})"),
                    format!(
                        "Tenant {} has no telephone number {}.",
                        client.tenant_id(),
                        parsed.canonical()
                    ),
                );
                None
            }
            Err(e) => {
                api_error(diags, "importing", WHAT, &typed, &e);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: &str = "AAAAAAAA-0000-0000-0000-000000000001";
    const LOC: &str = "11111111-0000-0000-0000-0000000000AA";

    fn model() -> AssignmentModel<'static> {
        AssignmentModel {
            id: s("+12065550100"),
            telephone_number: s("+1 (206) 555-0100"),
            target_id: s(TARGET),
            number_type: s("direct_routing"),
            assignment_category: s("primary"),
            location_id: s(LOC),
            activation_state: s("activated"),
            iso_country_code: s("US"),
            timeouts: Value::Null,
        }
    }

    fn api() -> NumberAssignment {
        NumberAssignment {
            telephone_number: "+12065550100".into(),
            number_type: Some("directRouting".into()),
            activation_state: Some("activated".into()),
            assignment_status: Some("voiceApplicationAssigned".into()),
            assignment_target_id: Some(TARGET.to_lowercase()),
            assignment_category: Some("primary".into()),
            location_id: Some(LOC.to_lowercase()),
            iso_country_code: Some("US".into()),
            ..Default::default()
        }
    }

    #[test]
    fn api_spellings_keep_the_users_spelling() {
        assert_eq!(model_from_api(&model(), &api()), Some(model()));
    }

    #[test]
    fn unassigned_or_policy_numbers_are_gone_and_drift_shows() {
        let mut n = api();
        n.assignment_target_id = None;
        n.assignment_status = Some("unassigned".into());
        assert_eq!(model_from_api(&model(), &n), None);
        n.assignment_target_id = Some("Tag:Seattle".into());
        n.assignment_status = Some("policyAssigned".into());
        assert_eq!(model_from_api(&model(), &n), None);
        let mut n = api();
        n.location_id = None;
        n.assignment_target_id = Some("bbbbbbbb-0000-0000-0000-000000000002".into());
        n.activation_state = Some("unknownFutureValue".into());
        let read = model_from_api(&model(), &n).unwrap();
        assert_eq!(read.location_id, Value::Null);
        assert_eq!(read.target_id, s("bbbbbbbb-0000-0000-0000-000000000002"));
        assert_eq!(read.activation_state, s("unknownFutureValue"));
        assert_eq!(
            replace_paths(&model(), &read),
            vec![AttributePath::new("target_id")]
        );
    }

    #[test]
    fn assign_body_is_canonical() {
        let a = assign_request(&model());
        assert_eq!(a.telephone_number, "+12065550100");
        assert_eq!(a.number_type, "directRouting");
        assert_eq!(a.location_id.as_deref(), Some(LOC));
    }

    #[test]
    fn respelling_does_not_replace_but_real_changes_do() {
        let mut respelled = model();
        respelled.telephone_number = s("+12065550100");
        respelled.target_id = s(TARGET.to_lowercase());
        assert!(replace_paths(&model(), &respelled).is_empty());
        let mut other = model();
        other.telephone_number = s("+12065550101");
        other.number_type = s("calling_plan");
        assert_eq!(
            replace_paths(&model(), &other),
            vec![
                AttributePath::new("telephone_number"),
                AttributePath::new("number_type")
            ]
        );
    }

    #[test]
    fn only_pending_states_wait() {
        assert!(is_pending(Some("assignmentPending")));
        assert!(is_pending(Some("updatePending")));
        assert!(!is_pending(Some("assignmentFailed")));
        assert!(!is_pending(Some(ACTIVATED)));
        assert!(!is_pending(None));
    }

    #[test]
    fn numbers_are_checked_against_their_type() {
        assert_eq!(
            validate_number("+1 206 555 0100", Some("calling_plan"))
                .unwrap()
                .country
                .as_deref(),
            Some("US")
        );
        assert!(validate_number("+12065550100;ext=12", Some("direct_routing")).is_ok());
        let e = validate_number("+12065550100;ext=12", Some("calling_plan")).unwrap_err();
        assert!(e.contains("only Direct Routing"), "{e}");
        assert!(validate_number("2065550100", None)
            .unwrap_err()
            .contains("must start with +"));
        assert_eq!(tf_number_type("operatorConnect"), Some("operator_connect"));
        assert_eq!(tf_number_type("unknownFutureValue"), None);
    }
}
