//! Emergency dialing: the numbers of an emergency call routing policy (contract section 5b).
//!
//! An entry says "calls to `dial_string` (or to any of its `dial_masks`, which Teams translates to
//! it) go out through the PSTN usage `pstn_usage`". The rules are Microsoft's: the dial string is
//! required and digits only, each mask is 1-10 digits, and the service sends masks as one
//! `;`-separated string. We add one the service would only find by routing wrongly: no dial string
//! or mask may be used twice in one policy (as two dial strings, two masks, or a mask that is also a
//! dial string), since a dialled number can route only one way.
//!
//! [`check_entries`] returns every problem with the index of the entry it concerns, so the caller can
//! name the entry in one diagnostic on the list (Terraform 1.0.3 quotes only the resource line for a
//! path into a list of objects).

use super::text::text;

/// Longest dial string or mask.
pub const MAX_DIGITS: usize = 10;
/// Longest PSTN usage name we accept (the service publishes none; the admin center stops at 256).
pub const MAX_PSTN_USAGE: usize = 256;
/// Most entries one policy holds (the service publishes none; a bound keeps plans readable).
pub const MAX_ENTRIES: usize = 100;

/// One entry as the user wrote it; unknown parts are `None` and not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry<'a> {
    pub dial_string: Option<&'a str>,
    /// Known masks (unknown ones are left out by the caller).
    pub dial_masks: Vec<&'a str>,
    pub pstn_usage: Option<&'a str>,
}

/// A problem with entry `index` (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub index: usize,
    pub message: String,
}

fn digits(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > MAX_DIGITS || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{what} {value:?} must be 1 to {MAX_DIGITS} digits (0-9), nothing else"
        ));
    }
    Ok(())
}

pub fn validate_dial_string(value: &str) -> Result<(), String> {
    digits("dial string", value)
}

pub fn validate_dial_mask(value: &str) -> Result<(), String> {
    digits("dial mask", value)
}

pub fn validate_pstn_usage(value: &str) -> Result<(), String> {
    text(MAX_PSTN_USAGE)(value).map_err(|p| format!("pstn_usage {p}"))
}

/// Every problem of a list of entries, in entry order.
pub fn check_entries(entries: &[Entry<'_>]) -> Vec<Problem> {
    let mut problems = Vec::new();
    if entries.len() > MAX_ENTRIES {
        problems.push(Problem {
            index: MAX_ENTRIES,
            message: format!(
                "{} entries; a policy holds at most {MAX_ENTRIES}",
                entries.len()
            ),
        });
    }
    // Every dial string and mask seen so far, with where it was used.
    let mut seen: Vec<(&str, usize, &'static str)> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let mut report = |message: String| problems.push(Problem { index, message });
        let uses = entry
            .dial_string
            .map(|d| (d, "dial string", validate_dial_string(d)))
            .into_iter()
            .chain(
                entry
                    .dial_masks
                    .iter()
                    .map(|m| (*m, "dial mask", validate_dial_mask(m))),
            );
        for (value, role, valid) in uses {
            if let Err(problem) = valid {
                report(problem);
                continue;
            }
            match seen.iter().find(|(v, _, _)| *v == value) {
                Some((_, first, first_role)) => report(format!(
                    "{value:?} is used twice: as a {first_role} of emergency_numbers[{first}] and as a {role} here; each dial string and mask may appear once in a policy"
                )),
                None => seen.push((value, index, role)),
            }
        }
        if let Some(Err(problem)) = entry.pstn_usage.map(validate_pstn_usage) {
            report(problem);
        }
    }
    problems
}

/// The masks as the API sends them: `933;112`; `None` when there are none.
pub fn join_masks<S: AsRef<str>>(masks: &[S]) -> Option<String> {
    (!masks.is_empty()).then(|| {
        masks
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(";")
    })
}

/// The masks of an API answer, tolerating spaces and empty pieces (`"933; 112;"`).
pub fn split_masks(joined: Option<&str>) -> Vec<String> {
    joined
        .unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(dial: &'a str, masks: &[&'a str]) -> Entry<'a> {
        Entry {
            dial_string: Some(dial),
            dial_masks: masks.to_vec(),
            pstn_usage: Some("US-Emergency"),
        }
    }

    #[test]
    fn good_entries_pass() {
        assert!(check_entries(&[entry("911", &["933", "112"]), entry("999", &[])]).is_empty());
        assert!(check_entries(&[]).is_empty());
    }

    #[test]
    fn bad_digits_are_named_with_their_entry() {
        let problems = check_entries(&[
            entry("911", &[]),
            entry("9-1-1", &["", "12345678901", "93a"]),
        ]);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems.iter().all(|p| p.index == 1));
        assert!(problems[0].message.contains("\"9-1-1\""), "{problems:?}");
        assert!(problems[2].message.contains("1 to 10 digits"));
    }

    #[test]
    fn a_value_used_twice_is_refused_wherever_it_appears() {
        let twice = |entries: &[Entry]| check_entries(entries);
        let p = twice(&[entry("911", &[]), entry("911", &[])]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].index, 1);
        assert!(p[0].message.contains("emergency_numbers[0]"), "{p:?}");
        assert_eq!(twice(&[entry("911", &["933", "933"])]).len(), 1);
        let p = twice(&[entry("911", &["112"]), entry("112", &[])]);
        assert!(
            p[0].message.contains("dial mask of emergency_numbers[0]"),
            "{p:?}"
        );
        assert_eq!(twice(&[entry("911", &["911"])]).len(), 1);
    }

    #[test]
    fn unknown_parts_are_not_checked_and_usage_must_be_text() {
        let e = Entry {
            dial_string: None,
            dial_masks: vec![],
            pstn_usage: None,
        };
        assert!(check_entries(&[e]).is_empty());
        let mut bad = entry("911", &[]);
        bad.pstn_usage = Some(" ");
        assert!(check_entries(&[bad])[0].message.contains("pstn_usage"));
    }

    #[test]
    fn masks_join_and_split() {
        assert_eq!(join_masks(&["933", "112"]).as_deref(), Some("933;112"));
        assert_eq!(join_masks::<&str>(&[]), None);
        assert_eq!(split_masks(Some(" 933; 112;")), ["933", "112"]);
        assert!(split_masks(None).is_empty());
    }

    #[test]
    fn too_many_entries() {
        let dials: Vec<String> = (0..=MAX_ENTRIES).map(|i| i.to_string()).collect();
        let entries: Vec<Entry> = dials.iter().map(|d| entry(d, &[])).collect();
        assert!(check_entries(&entries)[0].message.contains("at most 100"));
    }
}
