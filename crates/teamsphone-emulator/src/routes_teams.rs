//! What every Teams admin API route (host `api.interfaces.records.teams.microsoft.com`) shares.
//!
//! Handlers are thin: the front door has already authenticated the caller and attached a
//! [`Caller`], so a handler picks the caller's tenant with [`with_tenant`], [`change_tenant`] or
//! [`change_tenant_checked`], lets a pure module parse, validate and apply, and maps its error
//! (here [`PolicyError`]) to the Teams error shape. Bodies are read as raw bytes rather than with axum's `Json` extractor so that
//! malformed JSON, a missing content type or a wrong property type all come back as a
//! Teams-shaped 400 that names the problem, not as axum's plain-text rejection.
//!
//! Any other path on the Teams host answers 404 in the Teams shape (after authentication, as the
//! real host does), so a client calling a not-yet-emulated endpoint gets a clear message.

use axum::http::{Method, Uri};
use axum::response::IntoResponse;

use super::auth::Caller;
use super::error::TeamsError;
use super::policy::PolicyError;
use super::state::{State, Tenant};
use super::AppState;

impl From<PolicyError> for TeamsError {
    fn from(e: PolicyError) -> Self {
        match e {
            PolicyError::Invalid(m) => TeamsError::bad_request(m),
            PolicyError::NotFound(m) => TeamsError::not_found(m),
            PolicyError::Conflict(m) => TeamsError::conflict(m),
        }
    }
}

/// Runs `f` on the caller's tenant, read-only.
pub(crate) fn with_tenant<T>(
    app: &AppState,
    caller: &Caller,
    f: impl FnOnce(&Tenant) -> Result<T, TeamsError>,
) -> Result<T, TeamsError> {
    let store = app.store();
    let tenant = store
        .state()
        .tenant(&caller.tenant_id)
        .ok_or_else(|| gone_tenant(caller))?;
    f(tenant)
}

/// Runs `f` on the caller's tenant as one saved change.
pub(crate) fn change_tenant<T>(
    app: &AppState,
    caller: &Caller,
    f: impl FnOnce(&mut Tenant) -> Result<T, TeamsError>,
) -> Result<T, TeamsError> {
    app.store().mutate(|s| f(caller_tenant_mut(s, caller)?))
}

/// [`change_tenant`] for changes that check everything before they write anything (see
/// [`Store::mutate_checked`](super::state::Store::mutate_checked)); `f` also gets the
/// emulator's propagation delay setting, which such changes stamp on what they write.
pub(crate) fn change_tenant_checked<T>(
    app: &AppState,
    caller: &Caller,
    f: impl FnOnce(&mut Tenant, u64) -> Result<T, TeamsError>,
) -> Result<T, TeamsError> {
    app.store().mutate_checked(|s| {
        let delay = s.settings.propagation_delay_ms;
        f(caller_tenant_mut(s, caller)?, delay)
    })
}

fn caller_tenant_mut<'s>(s: &'s mut State, caller: &Caller) -> Result<&'s mut Tenant, TeamsError> {
    s.tenant_mut(&caller.tenant_id)
        .ok_or_else(|| gone_tenant(caller))
}

fn gone_tenant(caller: &Caller) -> TeamsError {
    TeamsError::unauthorized(format!(
        "Authentication failed: tenant '{}' no longer exists in the emulator.",
        caller.tenant_id
    ))
}

/// Any Teams-host path the emulator does not serve.
pub fn unknown(method: &Method, uri: &Uri) -> axum::response::Response {
    TeamsError::not_found(format!(
        "The emulator does not serve {method} {} on the Teams admin API.",
        uri.path()
    ))
    .into_response()
}
