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

// The pure text rules live in the domain; they are re-exported here for the attribute checks.
pub use crate::domain::text::{guid, is_guid, one_of, text};

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
