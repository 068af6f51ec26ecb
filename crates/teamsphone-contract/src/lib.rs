//! `teamsphone-contract`: the constants both sides of `api-contract.md` agree on: OAuth scopes,
//! application ids and enum spellings.
//!
//! The provider's client and the emulator share only these values, never request or response code,
//! so that a wrong model on one side shows up as a failing test instead of being copied to the
//! other. The package has no dependencies and nothing but `const`s, so depending on it cannot tie
//! the emulator to the client.

/// OAuth scope for Microsoft Graph.
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";
/// OAuth scope for the Skype and Teams Tenant Admin API.
pub const TEAMS_SCOPE: &str = "48ac35b8-9aa8-4d74-927d-1f4a14a0b239/.default";

/// Application id that makes a resource account an Auto Attendant.
pub const AUTO_ATTENDANT_APP_ID: &str = "ce933385-9390-45d1-9512-c8d228074e07";
/// Application id that makes a resource account a Call Queue.
pub const CALL_QUEUE_APP_ID: &str = "11cd3e2e-fccb-42ad-ad00-878b93575e07";

/// Policy type name of the shared calling routing policy.
pub const SHARED_CALLING_POLICY_TYPE: &str = "TeamsSharedCallingRoutingPolicy";

/// Prefix the Teams API puts in front of the name of a custom policy instance.
pub const TAG_PREFIX: &str = "Tag:";

/// Name of the built-in policy instance that always exists and cannot be deleted.
pub const GLOBAL_POLICY: &str = "Global";

/// Policy type name of the emergency call routing policy (contract section 5b).
pub const EMERGENCY_CALL_ROUTING_POLICY_TYPE: &str = "TeamsEmergencyCallRoutingPolicy";
/// The Microsoft Graph application permissions the provider uses (contract: Authentication), as
/// they appear in an app-only token's `roles` claim (contract section 8).
pub const GRAPH_PERMISSIONS: [&str; 4] = [
    "TeamsTelephoneNumber.ReadWrite.All",
    "TeamsPolicyUserAssign.ReadWrite.All",
    "TeamsUserConfiguration.Read.All",
    "User.ReadWrite.All",
];

/// Role template id of the Teams Administrator directory role, as it appears in a token's `wids`.
pub const TEAMS_ADMINISTRATOR_ROLE_ID: &str = "69091246-20e8-4a56-aa4d-066075b2a7a8";
/// Role template id of the Teams Telephony Administrator directory role.
pub const TEAMS_TELEPHONY_ADMINISTRATOR_ROLE_ID: &str = "aa38014f-0993-46e9-9b45-30501a20909d";
