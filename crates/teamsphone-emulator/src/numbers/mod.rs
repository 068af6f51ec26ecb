//! The tenant's telephone numbers, emergency locations and the long-running operations that assign
//! and unassign them (contract section 3), plus the number rules of shared calling policies.
//!
//! Everything here is pure: functions take the tenant, the time and the settings and change the
//! tenant or answer an error, so the rules are unit-tested without a server. The model is the
//! emulator's own; seeds write numbers in Graph's camelCase (`telephoneNumber`, `numberType`,
//! `isoCountryCode`, ...), the way an admin reads them in Graph Explorer.
//!
//! Operations take time, as they do in Teams: `notStarted`, `running`, then final, one step each;
//! [`advance`] lands their effects (see [`operations`]).
//!
//! Rules (each message names the number and the rule, in the words Teams uses where they are known):
//! - a number is assigned to one target only ("has already been assigned to another user");
//! - the `numberType` given must be the number's type;
//! - a target needs a usage location and a license ("lacks appropriate licenses to assign a
//!   'CallingPlan' number");
//! - a location must exist and be in the number's country;
//! - a number serving as a policy's emergency number cannot be assigned (it shows `policyAssigned`);
//! - deleting a user who still holds a number leaves the number stuck in `assignmentPending`: it can
//!   then be neither assigned nor unassigned, which is why the provider unassigns first;
//! - shared calling policies ([`check_shared_calling_policy`]): the resource account must hold an
//!   activated number with an emergency location, and each emergency number must exist, share that
//!   number's type and country, and be assigned to nobody. A tenant seeded without any numbers skips
//!   these checks, so seeds written before numbers existed keep working.
//!
//! The rooms: [`inventory`] (the model, seed checks, look-ups), [`requests`] (request bodies),
//! [`rules`] (why a change is refused), [`operations`] (assign, unassign, update and their
//! progress), [`views`] (Graph's answers and `$filter`).

mod inventory;
mod operations;
mod requests;
mod rules;
mod views;

pub use inventory::{normalize, number, EmergencyLocation, NumberType, PhoneNumber};
pub use operations::{
    advance, any_due, strand_numbers_of, submit_assign, submit_unassign, update_location,
    NumberOperation, OperationKind, UpdateError,
};
pub use requests::{parse_assign, parse_unassign, parse_update, AssignRequest};
pub use rules::check_shared_calling_policy;
pub use views::{matches, number_json, operation_json, parse_filter};

#[cfg(test)]
mod tests;
