//! Rules for plain text values that several kinds of object share: GUIDs, bounded printable text,
//! and a closed list of spellings. Each returns the sentence a user reads, so the same rule gives the
//! same message on every attribute, data source and import id.

/// Whether `s` is a GUID in the canonical 8-4-4-4-12 hexadecimal form.
pub fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
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

/// Object ids compare case-insensitively (Graph and Teams differ in the case they answer with).
/// `text` with its first letter capitalised, for summaries that open with a kind's name.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub fn same_id(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalized_raises_the_first_letter_only() {
        assert_eq!(capitalized("an auto attendant"), "An auto attendant");
        assert_eq!(capitalized("émergency"), "Émergency");
        assert_eq!(capitalized(""), "");
    }

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
    fn text_rules() {
        assert!(text(5)("abc").is_ok());
        assert!(text(5)("   ").is_err());
        assert!(text(2)("abc").unwrap_err().contains("at most 2"));
        assert!(text(9)("a\nb").unwrap_err().contains("control"));
        assert!(text(9)("Zürich").is_ok());
    }
}
