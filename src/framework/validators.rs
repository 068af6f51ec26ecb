//! Plan-time checks on single attribute values, each reporting a diagnostic on the attribute's path.
//!
//! Only generic shapes live here (GUID, bounded text, one-of, endpoint URL); rules about Teams
//! vocabulary (policy names, principal names, countries) belong to `crate::domain`.
//!
//! Unknown values (known only after another resource is applied) and nulls always pass: the value is
//! checked again when it becomes known.

use std::borrow::Cow;

use tf_provider::value::Value;
use tf_provider::Diagnostics;

use super::diagnostics::invalid_attribute;

/// Whether `s` is a GUID in the canonical 8-4-4-4-12 hexadecimal form.
pub fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Reports `problem` on `path` when `check` fails on a known value.
pub fn check_known(
    diags: &mut Diagnostics,
    path: &str,
    value: &Value<Cow<'_, str>>,
    check: impl FnOnce(&str) -> Result<(), String>,
) -> bool {
    match value {
        Value::Value(v) => match check(v) {
            Ok(()) => true,
            Err(problem) => {
                invalid_attribute(diags, path, problem);
                false
            }
        },
        Value::Null | Value::Unknown => true,
    }
}

pub fn guid(value: &str) -> Result<(), String> {
    if is_guid(value) {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not a GUID; expected the form 00000000-0000-0000-0000-000000000000"
        ))
    }
}

pub fn one_of<'a>(allowed: &'a [&'a str]) -> impl FnOnce(&str) -> Result<(), String> + 'a {
    move |value| {
        if allowed.contains(&value) {
            Ok(())
        } else {
            Err(format!(
                "{value:?} is not allowed; use one of: {}",
                allowed.join(", ")
            ))
        }
    }
}

/// Printable text of 1..=`max` characters, no control characters.
pub fn text(max: usize) -> impl FnOnce(&str) -> Result<(), String> {
    move |value| {
        if value.trim().is_empty() {
            Err("must not be empty".to_string())
        } else if value.chars().count() > max {
            Err(format!(
                "is {} characters long; at most {max} are allowed",
                value.chars().count()
            ))
        } else if value.chars().any(char::is_control) {
            Err("must not contain control characters".to_string())
        } else {
            Ok(())
        }
    }
}

/// An absolute http(s) URL; plain http only for loopback hosts (the emulator), never for a real cloud.
pub fn endpoint_url(value: &str) -> Result<(), String> {
    let url = url::Url::parse(value).map_err(|e| format!("{value:?} is not a URL: {e}"))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(format!(
                "{value:?} uses plain http; only https is allowed, except for a loopback emulator"
            ))
        }
        other => return Err(format!("{value:?} has scheme {other:?}; use https")),
    }
    if url.host().is_none() {
        return Err(format!("{value:?} has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{value:?} must not have a query or fragment"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert!(is_guid("11111111-2222-3333-4444-55555555aaaa"));
        assert!(is_guid("ABCDEF01-2222-3333-4444-55555555AAAA"));
        assert!(!is_guid("11111111222233334444555555555555"));
        assert!(!is_guid("{11111111-2222-3333-4444-555555555555}"));
        assert!(!is_guid("11111111-2222-3333-4444-55555555555g"));
        assert!(!is_guid(""));
    }

    #[test]
    fn endpoints() {
        assert!(endpoint_url("https://graph.microsoft.com").is_ok());
        assert!(endpoint_url("http://127.0.0.1:8080").is_ok());
        assert!(endpoint_url("http://localhost:1/x").is_ok());
        assert!(endpoint_url("http://[::1]:1").is_ok());
        assert!(endpoint_url("http://graph.microsoft.com")
            .unwrap_err()
            .contains("plain http"));
        assert!(endpoint_url("ftp://x").unwrap_err().contains("scheme"));
        assert!(endpoint_url("not a url").unwrap_err().contains("not a URL"));
        assert!(endpoint_url("https://x/?a=1")
            .unwrap_err()
            .contains("query"));
    }

    #[test]
    fn text_rules() {
        assert!(text(5)("abc").is_ok());
        assert!(text(5)("   ").is_err());
        assert!(text(2)("abc").unwrap_err().contains("at most 2"));
        assert!(text(9)("a\nb").unwrap_err().contains("control"));
        assert!(text(9)("Zürich").is_ok());
    }

    #[test]
    fn unknown_and_null_pass() {
        let mut diags = Diagnostics::default();
        assert!(check_known(&mut diags, "x", &Value::Unknown, guid));
        assert!(check_known(&mut diags, "x", &Value::Null, guid));
        assert!(!check_known(
            &mut diags,
            "x",
            &Value::Value("no".into()),
            guid
        ));
        assert_eq!(diags.errors.len(), 1);
    }
}
