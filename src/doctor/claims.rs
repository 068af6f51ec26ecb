//! What an access token says it grants (contract section 8), read without trusting it.
//!
//! App-only tokens are JWTs: `roles` lists the Graph application permissions granted, `wids` the
//! directory role template ids the app holds. The signature is not checked (clients never do, and
//! the claims only explain; the API still decides). A token is server text: its length is capped
//! before decoding, and a token that is not a readable JWT is a [`Claims::Unreadable`] with the
//! reason, never a panic or a failure of the whole check.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;

/// Longest token read; Entra's are 1-3 KiB, an app with hundreds of roles stays under this.
const MAX_TOKEN: usize = 64 * 1024;
/// Most values read of one claim.
const MAX_VALUES: usize = 500;

/// The claims `doctor` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claims {
    Read {
        /// Graph application permissions (`roles`); empty when the claim is absent.
        roles: Vec<String>,
        /// Directory role template ids (`wids`); `None` when the claim is absent.
        wids: Option<Vec<String>>,
    },
    /// Why the token could not be read as a JWT.
    Unreadable(String),
}

#[derive(Deserialize)]
struct Payload {
    #[serde(default)]
    roles: Option<serde_json::Value>,
    #[serde(default)]
    wids: Option<serde_json::Value>,
}

fn strings(value: Option<serde_json::Value>) -> Option<Vec<String>> {
    match value? {
        serde_json::Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(|v| v.as_str().map(|s| s.chars().take(200).collect()))
                .take(MAX_VALUES)
                .collect(),
        ),
        _ => None,
    }
}

/// Reads the claims of `token`.
pub fn read(token: &str) -> Claims {
    if token.len() > MAX_TOKEN {
        return Claims::Unreadable(format!("the token is longer than {MAX_TOKEN} bytes"));
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Claims::Unreadable(format!(
            "the token is not a JWT (it has {} dot-separated parts, a JWT has 3)",
            parts.len()
        ));
    }
    let Ok(json) = URL_SAFE_NO_PAD.decode(parts[1].trim_end_matches('=')) else {
        return Claims::Unreadable("the token's claims are not base64url".into());
    };
    // An object only: serde would also read a struct from a JSON array.
    let object = serde_json::from_slice::<serde_json::Value>(&json)
        .ok()
        .filter(serde_json::Value::is_object);
    match object.map(serde_json::from_value::<Payload>) {
        Some(Ok(payload)) => Claims::Read {
            roles: strings(payload.roles).unwrap_or_default(),
            wids: strings(payload.wids),
        },
        _ => Claims::Unreadable("the token's claims are not a JSON object".into()),
    }
}

/// Whether `roles` grants `needed`: by name (case-insensitively), or by the `ReadWrite` form of a
/// `Read` permission, which includes it.
pub fn grants(roles: &[String], needed: &str) -> bool {
    let has = |p: &str| roles.iter().any(|r| r.eq_ignore_ascii_case(p));
    has(needed) || needed.contains(".Read.") && has(&needed.replacen(".Read.", ".ReadWrite.", 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &serde_json::Value) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims.to_string())
        )
    }

    #[test]
    fn roles_and_wids_are_read_and_absent_claims_differ_from_empty() {
        let token = jwt(&serde_json::json!({"roles": ["User.ReadWrite.All"], "wids": ["r1", 5]}));
        assert_eq!(
            read(&token),
            Claims::Read {
                roles: vec!["User.ReadWrite.All".into()],
                wids: Some(vec!["r1".into()])
            }
        );
        assert_eq!(
            read(&jwt(&serde_json::json!({"aud": "x"}))),
            Claims::Read {
                roles: vec![],
                wids: None
            }
        );
    }

    #[test]
    fn tokens_that_are_not_jwts_say_why() {
        for (token, why) in [
            ("emu.0123", "2 dot-separated parts"),
            ("a.!!!.c", "not base64url"),
            (&jwt(&serde_json::json!([1])), "not a JSON object"),
        ] {
            match read(token) {
                Claims::Unreadable(reason) => assert!(reason.contains(why), "{reason}"),
                other => panic!("{token}: {other:?}"),
            }
        }
        assert!(matches!(
            read(&"a".repeat(MAX_TOKEN + 1)),
            Claims::Unreadable(_)
        ));
    }

    #[test]
    fn read_write_includes_read() {
        let roles = vec!["user.readwrite.all".to_string()];
        assert!(grants(&roles, "User.Read.All"));
        assert!(grants(&roles, "User.ReadWrite.All"));
        assert!(!grants(&roles, "TeamsUserConfiguration.Read.All"));
    }
}
