//! Auto attendants, call queues and the association of resource accounts with them (contract
//! sections 2 and 5c), as pure functions over the tenant.
//!
//! Auto attendants are managed whole ([`auto_attendants`]): created, replaced by `PUT` and
//! deleted, checked against the service's rules, with their schedules as objects of their own
//! ([`schedules`]) that they reference by id. Call queues are managed whole too ([`call_queues`]),
//! checked against the service's rules; a seed lists them with the service's defaults for what it
//! omits. Also written is the association: which resource account answers for which configuration, with what
//! call priority ([`associations`]). Teams answers an association request per endpoint, so a
//! request naming one good and one bad account succeeds for one and fails for the other; the rules
//! here give each endpoint its own `Status` and `ErrorCode`, as the service does.
//!
//! A seed writes
//!
//! ```json
//! "voice_apps": {
//!   "auto_attendants": [{"Id": "<guid>", "Name": "Seattle main menu", "LanguageId": "en-US",
//!                        "TimeZoneId": "Pacific Standard Time"}],
//!   "call_queues": [{"Identity": "<guid>", "Name": "Seattle front desk", "RoutingMethod": "Attendant"}],
//!   "associations": [{"endpoint_id": "<resource account id>", "configuration_id": "<guid>",
//!                     "configuration_type": "AutoAttendant", "call_priority": 3}]
//! }
//! ```
//!
//! Each auto attendant and call queue shows the resource accounts associated with it in
//! `ApplicationInstances`, computed from the associations rather than stored twice.

pub mod associations;
pub mod auto_attendants;
pub mod call_queues;
pub mod model;
pub mod schedules;

pub use associations::{associate, association_json, disassociate, status_json};
pub use model::{normalize, Association, AutoAttendant, CallQueue, VoiceApps};

/// Why a voice application request (auto attendant, schedule, call queue, association) is
/// refused as a whole; the route answers 400 or 404.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceAppError {
    Invalid(String),
    NotFound(String),
}

/// The 400 refusal, as every rule module here words it.
fn invalid(message: impl Into<String>) -> VoiceAppError {
    VoiceAppError::Invalid(message.into())
}

#[cfg(test)]
mod tests;
