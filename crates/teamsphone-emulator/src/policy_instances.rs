//! What every policy instance list of a tenant does alike, whatever the policy type: look an
//! instance up by identity (case-insensitively), say "not found" the way Teams does (with a hint
//! when the client forgot `Tag:`), refuse a second instance of one identity, and delete anything
//! but the built-in `Global`; and, loading a seed, refuse an identity listed twice and put a
//! missing `Global` first. The shared calling and emergency call routing policies each add
//! their own body rules on top ([`crate::policy`], [`crate::emergency_policy`]).

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use teamsphone_contract::{GLOBAL_POLICY, TAG_PREFIX};

use crate::error::TeamsError;
use crate::policy::{is_global, same_identity, PolicyError};

/// One policy instance of a type.
pub trait Instance: Clone {
    const POLICY_TYPE: &'static str;
    /// Appended to the refusal to delete `Global` (what to do instead), or empty.
    const GLOBAL_ADVICE: &'static str;
    fn identity(&self) -> &str;
}

pub fn find<'a, P: Instance>(policies: &'a [P], identity: &str) -> Option<&'a P> {
    policies
        .iter()
        .find(|p| same_identity(p.identity(), identity))
}

pub fn not_found<P: Instance>(identity: &str) -> PolicyError {
    let mut message = format!(
        "{} with Identity '{identity}' was not found.",
        P::POLICY_TYPE
    );
    // A client that forgets the prefix gets told, since that is the likeliest cause.
    if !is_global(identity) && !identity.starts_with(TAG_PREFIX) {
        message.push_str(&format!(
            " Custom policies are addressed as '{TAG_PREFIX}{identity}'."
        ));
    }
    PolicyError::NotFound(message)
}

/// The 409 of a create whose identity exists already.
pub fn refuse_existing<P: Instance>(policies: &[P], new: &P) -> Result<(), PolicyError> {
    match find(policies, new.identity()) {
        Some(existing) => Err(PolicyError::Conflict(format!(
            "{} '{}' already exists",
            P::POLICY_TYPE,
            existing.identity()
        ))),
        None => Ok(()),
    }
}

pub fn delete<P: Instance>(policies: &mut Vec<P>, identity: &str) -> Result<(), PolicyError> {
    if is_global(identity) {
        return Err(PolicyError::Invalid(format!(
            "The {GLOBAL_POLICY} {} is built in and cannot be deleted{}",
            P::POLICY_TYPE,
            P::GLOBAL_ADVICE
        )));
    }
    let before = policies.len();
    policies.retain(|p| !same_identity(p.identity(), identity));
    if policies.len() == before {
        return Err(not_found::<P>(identity));
    }
    Ok(())
}

/// A seed's refusal of an instance listed twice: `earlier` are the entries before `p`, `list` is
/// the seed's name for the list.
pub fn refuse_seeded_twice<P: Instance>(earlier: &[P], p: &P, list: &str) -> Result<(), String> {
    if find(earlier, p.identity()).is_some() {
        return Err(format!("{list}: '{}' is listed twice", p.identity()));
    }
    Ok(())
}

/// Puts the built-in `Global` first in a seeded list that left it out: every tenant has one.
pub fn ensure_global<P: Instance>(policies: &mut Vec<P>, global: fn() -> P) {
    if !policies.iter().any(|p| is_global(p.identity())) {
        policies.insert(0, global());
    }
}

/// The policy identity of an instance route's URL.
pub fn identity_in_path(path: Result<Path<String>, PathRejection>) -> Result<String, TeamsError> {
    path.map(|Path(id)| id).map_err(|e| {
        TeamsError::bad_request(format!("The policy Identity in the URL is not valid: {e}"))
    })
}
