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
/// `ConfigurationType` of an association with an auto attendant (contract section 2).
pub const CONFIGURATION_TYPE_AUTO_ATTENDANT: &str = "AutoAttendant";
/// `ConfigurationType` of an association with a call queue.
pub const CONFIGURATION_TYPE_CALL_QUEUE: &str = "CallQueue";

/// Per-endpoint `Status` values of the association API: error, pending, unknown, success.
pub const ASSOCIATION_STATUS_ERROR: u8 = 0;
pub const ASSOCIATION_STATUS_PENDING: u8 = 1;
pub const ASSOCIATION_STATUS_UNKNOWN: u8 = 2;
pub const ASSOCIATION_STATUS_SUCCESS: u8 = 3;

/// Per-endpoint `ErrorCode` suffixes of the association API. The service's codes look like
/// `<Prefix>_AppEndpointAlreadyAssociated` and only the part after the last `_` is known `[3P]`, so
/// clients compare that part; the emulator answers `ApplicationInstanceAssociation_<suffix>` `[I]`.
pub const ASSOCIATION_ERROR_PREFIX: &str = "ApplicationInstanceAssociation_";
pub const ASSOCIATION_ALREADY_ASSOCIATED: &str = "AppEndpointAlreadyAssociated";
pub const ASSOCIATION_ENDPOINT_NOT_FOUND: &str = "AppEndpointNotFound";
/// The endpoint's application id is not the configuration's kind (an Auto Attendant account for a
/// call queue) `[I]`.
pub const ASSOCIATION_TYPE_MISMATCH: &str = "AppEndpointTypeMismatch";
/// Most an association's `CallPriority` may be; 1 is the highest, 3 the default `[C]`.
pub const CALL_PRIORITY_MAX: u8 = 5;
pub const CALL_PRIORITY_DEFAULT: u8 = 3;

/// Auto attendant enum spellings (contract section 5c `[C]`), as names on the wire.
/// `MenuOptions[].Action`:
pub const AA_ACTION_DISCONNECT: &str = "DisconnectCall";
pub const AA_ACTION_TRANSFER_TO_OPERATOR: &str = "TransferCallToOperator";
pub const AA_ACTION_TRANSFER_TO_TARGET: &str = "TransferCallToTarget";
pub const AA_ACTION_ANNOUNCEMENT: &str = "Announcement";
/// `MenuOptions[].DtmfResponse`: `Tone0`..`Tone9`, these two, and `Automatic` (no key: the option
/// runs as soon as the menu starts).
pub const AA_DTMF_TONES: [&str; 12] = [
    "Tone0",
    "Tone1",
    "Tone2",
    "Tone3",
    "Tone4",
    "Tone5",
    "Tone6",
    "Tone7",
    "Tone8",
    "Tone9",
    "ToneStar",
    "TonePound",
];
pub const AA_DTMF_AUTOMATIC: &str = "Automatic";
/// `CallTarget.Type`.
pub const AA_TARGET_USER: &str = "User";
pub const AA_TARGET_APPLICATION_ENDPOINT: &str = "ApplicationEndpoint";
pub const AA_TARGET_CONFIGURATION_ENDPOINT: &str = "ConfigurationEndpoint";
pub const AA_TARGET_EXTERNAL_PSTN: &str = "ExternalPstn";
pub const AA_TARGET_SHARED_VOICEMAIL: &str = "SharedVoicemail";
/// `CallHandlingAssociations[].Type`.
pub const AA_ASSOCIATION_AFTER_HOURS: &str = "AfterHours";
pub const AA_ASSOCIATION_HOLIDAY: &str = "Holiday";
/// `Prompt.ActiveType` of a text-to-speech prompt.
pub const PROMPT_TEXT_TO_SPEECH: &str = "TextToSpeech";
/// Schedule `Type`.
pub const SCHEDULE_WEEKLY: &str = "WeeklyRecurrence";
pub const SCHEDULE_FIXED: &str = "Fixed";
/// Limits `[C]`: holiday sets per auto attendant, date-time ranges per fixed schedule, the minute
/// boundaries of weekly ranges and of fixed ranges.
pub const AA_MAX_HOLIDAYS: usize = 20;
pub const SCHEDULE_MAX_FIXED_RANGES: usize = 10;
pub const SCHEDULE_WEEKLY_STEP_MINUTES: u32 = 15;
pub const SCHEDULE_FIXED_STEP_MINUTES: u32 = 30;
/// The `featureTypes` entry of a user licensed for Teams Phone (Graph `teamsUserConfiguration`).
pub const PHONE_SYSTEM_FEATURE: &str = "PhoneSystem";

/// Call queue enum spellings as names on the wire (contract section 5c; the module sends some as
/// integers whose mapping is unknown, so names are sent `[I]`). `RoutingMethod`:
pub const CQ_ROUTING_METHODS: [&str; 4] = ["Attendant", "Serial", "RoundRobin", "LongestIdle"];
/// `OverflowAction` (disconnect, forward, personal voicemail, shared voicemail, in that order).
pub const CQ_OVERFLOW_ACTIONS: [&str; 4] = [
    "DisconnectWithBusy",
    "Forward",
    "Voicemail",
    "SharedVoicemail",
];
/// `TimeoutAction`, in the same order as [`CQ_OVERFLOW_ACTIONS`].
pub const CQ_TIMEOUT_ACTIONS: [&str; 4] = ["Disconnect", "Forward", "Voicemail", "SharedVoicemail"];
/// Call queue limits `[C]`: users added individually, agent alert time (s), overflow threshold
/// (calls), timeout threshold (s) and its step.
pub const CQ_MAX_AGENTS: usize = 20;
pub const CQ_AGENT_ALERT_MIN: i64 = 15;
pub const CQ_AGENT_ALERT_MAX: i64 = 180;
pub const CQ_AGENT_ALERT_DEFAULT: i64 = 30;
pub const CQ_OVERFLOW_MAX: i64 = 200;
pub const CQ_OVERFLOW_DEFAULT: i64 = 50;
pub const CQ_TIMEOUT_MAX: i64 = 2700;
pub const CQ_TIMEOUT_STEP: i64 = 15;
pub const CQ_TIMEOUT_DEFAULT: i64 = 1200;
