//! Keeping credentials out of everything a server can make us say.
//!
//! An error body, a login `error_description`, a `Location` header or a `nextLink` is text the other
//! side chose. A hostile or merely buggy endpoint can echo our request back in it, and the request
//! carries the client secret (or the signed assertion standing in for it) and the bearer token. Every
//! path that turns server text into an [`super::error::ApiError`] or a log line goes through
//! [`Scrubber::clean`], which does two things:
//!
//! - replaces every value the client knows to be sensitive (the secret, each assertion it signed, each
//!   token it received; in raw, form-encoded and JSON-escaped spellings, since an echo may quote any of
//!   them) with `***`;
//! - replaces what looks like a credential even when the value is not known (a JWT, the value after
//!   `Bearer `, `client_secret=` or `client_assertion=`), for tokens read from a federated token file
//!   or issued to someone else;
//!
//! and then truncates to a length the caller picks, after scrubbing, so that cutting the text cannot
//! leave the first half of a secret behind. The known values are few and bounded (the newest
//! [`REMEMBERED`]), so a long run does not grow the list.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// How many sensitive values are remembered; older ones (expired tokens, used assertions) drop out.
pub const REMEMBERED: usize = 48;
/// Values shorter than this are not treated as secrets: replacing `ab` everywhere would garble text
/// and protects nothing (the emulator's and tests' secrets are all longer).
const MIN_SECRET_LEN: usize = 6;
/// What stands in for a removed credential.
const MASK: &str = "***";

/// The sensitive values one client has used, shared by its token source and its transport.
#[derive(Clone, Default)]
pub struct Scrubber {
    known: Arc<Mutex<VecDeque<String>>>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scrubber(***)")
    }
}

impl Scrubber {
    /// Remembers `value` (a secret, an assertion, a token) so that [`Scrubber::clean`] removes it.
    pub fn remember(&self, value: &str) {
        if value.len() < MIN_SECRET_LEN {
            return;
        }
        let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let json = serde_json::to_string(value).unwrap_or_default();
        let json = json.trim_matches('"').to_string();
        // A poisoned lock only means another thread panicked while holding it; the list is still a
        // list, and refusing to scrub would be worse than using it.
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        for spelling in [value.to_string(), form, json] {
            if known.contains(&spelling) {
                continue;
            }
            known.push_back(spelling);
            while known.len() > REMEMBERED {
                known.pop_front();
            }
        }
    }

    /// `text` without credentials, at most `max_chars` characters (an ellipsis marks a cut).
    pub fn clean(&self, text: &str, max_chars: usize) -> String {
        let mut out = text.to_string();
        {
            let known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            // Longest first, so a value that contains another is removed whole.
            let mut values: Vec<&String> = known.iter().collect();
            values.sort_by_key(|v| std::cmp::Reverse(v.len()));
            for value in values {
                if out.contains(value.as_str()) {
                    out = out.replace(value.as_str(), MASK);
                }
            }
        }
        let out = mask_credential_shapes(&out);
        truncate(&out, max_chars)
    }
}

/// At most `max_chars` characters of `text`, with `…` when something was cut.
pub fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '=' | '%')
}

/// Masks what has the shape of a credential: JWTs, and the values after `Bearer `, `client_secret=`,
/// `client_assertion=` and `access_token` keys.
fn mask_credential_shapes(text: &str) -> String {
    const PREFIXES: [&str; 6] = [
        "bearer ",
        "client_secret=",
        "client_assertion=",
        "\"client_secret\":\"",
        "\"access_token\":\"",
        "access_token=",
    ];
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'scan: while i < text.len() {
        for prefix in PREFIXES {
            if lower[i..].starts_with(prefix) {
                out.push_str(&text[i..i + prefix.len()]);
                i += prefix.len();
                let value_len = token_run(&text[i..]);
                // Credentials are long; a short word after "bearer " is prose, not a token.
                if value_len >= MIN_SECRET_LEN {
                    out.push_str(MASK);
                    i += value_len;
                }
                continue 'scan;
            }
        }
        // A JWT: `eyJ` (base64url of `{"`), then three dot-separated base64url parts.
        if text[i..].starts_with("eyJ") {
            let run = token_run(&text[i..]);
            if text[i..i + run].matches('.').count() >= 2 {
                out.push_str(MASK);
                i += run;
                continue;
            }
        }
        let c = text[i..].chars().next().expect("i is below the length");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Length in bytes of the run of token characters at the start of `text`.
fn token_run(text: &str) -> usize {
    text.char_indices()
        .find(|&(_, c)| !is_token_char(c))
        .map_or(text.len(), |(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_in_every_spelling_are_masked() {
        let s = Scrubber::default();
        s.remember("acceptance-secret-Zq8~x \"q\"");
        let echoed = "grant_type=client_credentials&client_secret=acceptance-secret-Zq8%7Ex+%22q%22 and {\"v\":\"acceptance-secret-Zq8~x \\\"q\\\"\"} and acceptance-secret-Zq8~x \"q\"";
        let clean = s.clean(echoed, 1000);
        assert!(!clean.contains("Zq8"), "{clean}");
        assert!(clean.contains("grant_type=client_credentials"), "{clean}");
    }

    #[test]
    fn credential_shapes_are_masked_without_knowing_them() {
        let s = Scrubber::default();
        let text = "Authorization: Bearer abc.def-ghi\r\nx: eyJhbGciOi.eyJzdWIi.c2ln tail; client_assertion=eyJx.y.z&k=v";
        let clean = s.clean(text, 1000);
        assert!(!clean.contains("abc.def"), "{clean}");
        assert!(!clean.contains("eyJhbGciOi"), "{clean}");
        assert!(!clean.contains("eyJx"), "{clean}");
        assert!(clean.contains("Bearer ***") && clean.contains("tail") && clean.contains("&k=v"));
        // Ordinary text that merely mentions the words stays readable.
        assert_eq!(s.clean("the bearer was eyJ", 100), "the bearer was eyJ");
    }

    #[test]
    fn truncation_happens_after_scrubbing_and_on_char_boundaries() {
        let s = Scrubber::default();
        s.remember("0123456789secret");
        // Cutting first would leave "0123456789" of the secret in the text.
        let clean = s.clean("xx0123456789secret", 12);
        assert!(!clean.contains("0123"), "{clean}");
        assert_eq!(truncate("ééé", 2), "éé…");
        assert_eq!(truncate("ab", 2), "ab");
    }

    #[test]
    fn the_list_is_bounded_and_short_values_are_ignored() {
        let s = Scrubber::default();
        s.remember("ab");
        for i in 0..200 {
            s.remember(&format!("token-number-{i}"));
        }
        let known = s.known.lock().unwrap();
        assert!(known.len() <= REMEMBERED);
        assert!(!known.contains(&"ab".to_string()));
    }
}
