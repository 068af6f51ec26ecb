//! Resource accounts: what makes one an Auto Attendant or a Call Queue account, and the rules for
//! the names and locations a voice admin writes for it.
//!
//! The kind of account is its application id (contract section 2); users write `auto_attendant` or
//! `call_queue`, and ids read back in any letter case.

use teamsphone_contract::{AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};

use super::text::text;

/// The `account_type` spellings, in the order the docs list them.
pub const ACCOUNT_TYPES: [&str; 2] = ["auto_attendant", "call_queue"];

/// The `configuration_type` spellings of an association: the account types' words, since an
/// account answers only for a configuration of its own kind.
pub const CONFIGURATION_TYPES: [&str; 2] = ACCOUNT_TYPES;

/// What a voice admin calls a configuration of `configuration_type`, for messages.
pub fn configuration_noun(configuration_type: &str) -> &str {
    match configuration_type {
        "auto_attendant" => "auto attendant",
        "call_queue" => "call queue",
        other => other,
    }
}

/// `noun` with its indefinite article: "an auto attendant", "a call queue".
pub fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// The application id for an `account_type`.
pub fn app_id_of(account_type: &str) -> Option<&'static str> {
    match account_type {
        "auto_attendant" => Some(AUTO_ATTENDANT_APP_ID),
        "call_queue" => Some(CALL_QUEUE_APP_ID),
        _ => None,
    }
}

/// The `account_type` for an application id (any letter case).
pub fn account_type_of(application_id: &str) -> Option<&'static str> {
    if application_id.eq_ignore_ascii_case(AUTO_ATTENDANT_APP_ID) {
        Some("auto_attendant")
    } else if application_id.eq_ignore_ascii_case(CALL_QUEUE_APP_ID) {
        Some("call_queue")
    } else {
        None
    }
}

/// A user principal name: `name@domain.tld`, at most 113 characters (Entra's limit).
pub fn validate_upn(upn: &str) -> Result<(), String> {
    text(113)(upn)?;
    match upn.split_once('@') {
        Some((name, domain))
            if !name.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !upn.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "{upn:?} is not a user principal name; expected name@domain, e.g. aa-seattle@contoso.com"
        )),
    }
}

/// Two capital letters naming a country libphonenumber knows (ISO 3166 alpha-2).
pub fn validate_usage_location(code: &str) -> Result<(), String> {
    let shaped = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
    if shaped && code.parse::<phonenumber::country::Id>().is_ok() {
        Ok(())
    } else {
        Err(format!(
            "{code:?} is not an ISO 3166 alpha-2 country code; write two capital letters such as US, GB or DE"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_types_round_trip_through_application_ids() {
        for t in ACCOUNT_TYPES {
            let app = app_id_of(t).unwrap();
            assert_eq!(account_type_of(&app.to_uppercase()), Some(t));
        }
        assert_eq!(app_id_of("voicemail"), None);
        assert_eq!(
            with_article(configuration_noun("auto_attendant")),
            "an auto attendant"
        );
        assert_eq!(
            with_article(configuration_noun("call_queue")),
            "a call queue"
        );
        assert_eq!(
            account_type_of("00000000-0000-0000-0000-000000000000"),
            None
        );
    }

    #[test]
    fn names_and_locations() {
        assert!(validate_upn("aa-seattle@contoso.com").is_ok());
        for bad in [
            "aa",
            "@contoso.com",
            "aa@contoso",
            "a a@contoso.com",
            "aa@.com",
        ] {
            assert!(validate_upn(bad).is_err(), "{bad}");
        }
        assert!(validate_usage_location("US").is_ok());
        assert!(validate_usage_location("us")
            .unwrap_err()
            .contains("capital"));
        assert!(validate_usage_location("XX").is_err());
    }
}
