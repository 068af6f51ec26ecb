//! Telephone numbers as Teams wants them: `+E.164`, with `;ext=N` only where Direct Routing allows it.
//!
//! Users write numbers the way they read them (`+1 (206) 555-0100`), the API stores them as
//! `+12065550100`. Everything that compares numbers goes through [`TelephoneNumber::parse`] so two
//! spellings of one number are equal, and validity and the number's country come from libphonenumber's
//! metadata (the `phonenumber` crate) rather than a home-grown regex.

use std::fmt;

/// A parsed, normalised telephone number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TelephoneNumber {
    /// `+` and digits only, e.g. `+12065550100`.
    pub e164: String,
    /// Digits of a `;ext=` suffix, if any.
    pub extension: Option<String>,
    /// ISO 3166 alpha-2 region the number belongs to (e.g. `US`), when libphonenumber knows it.
    pub country: Option<String>,
}

/// Why a string is not an acceptable telephone number; the text is shown to users as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidNumber(pub String);

impl fmt::Display for InvalidNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidNumber {}

/// Characters people put between digits that carry no meaning.
const SEPARATORS: &[char] = &[' ', '-', '.', '(', ')'];

impl TelephoneNumber {
    /// Parses `input` in international form. Accepts an optional `tel:` prefix, visual separators and a
    /// `;ext=` suffix; rejects anything else, including national formats without a country code.
    pub fn parse(input: &str) -> Result<Self, InvalidNumber> {
        let invalid = |why: &str| {
            Err(InvalidNumber(format!(
                "{input:?} is not a valid telephone number: {why} (expected +E.164, for example +12065550100)"
            )))
        };
        let trimmed = input.trim();
        let trimmed = trimmed.strip_prefix("tel:").unwrap_or(trimmed);
        let (number_part, extension) = match trimmed.split_once(";ext=") {
            Some((number, ext)) => (number, Some(ext)),
            None => (trimmed, None),
        };
        let Some(rest) = number_part.strip_prefix('+') else {
            return invalid("it must start with + and the country code");
        };
        if let Some(bad) = rest
            .chars()
            .find(|c| !c.is_ascii_digit() && !SEPARATORS.contains(c))
        {
            return invalid(&format!("unexpected character {bad:?}"));
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if digits.starts_with('0') {
            return invalid("a country code never starts with 0");
        }
        if !(7..=15).contains(&digits.len()) {
            return invalid("E.164 numbers have 7 to 15 digits after the +");
        }
        let extension = match extension {
            Some(ext)
                if !ext.is_empty()
                    && ext.len() <= 10
                    && ext.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(ext.to_string())
            }
            Some(_) => return invalid("the extension after ;ext= must be 1 to 10 digits"),
            None => None,
        };
        let e164 = format!("+{digits}");
        let parsed = match phonenumber::parse(None, &e164) {
            Ok(parsed) => parsed,
            Err(_) => return invalid("no country uses that country code"),
        };
        if !phonenumber::is_valid(&parsed) {
            return invalid("the number is not valid in its country's numbering plan");
        }
        let country = parsed.country().id().map(|id| id.as_ref().to_string());
        Ok(TelephoneNumber {
            e164,
            extension,
            country,
        })
    }

    /// The spelling the Teams APIs use: `+E.164` with `;ext=N` when there is an extension.
    pub fn canonical(&self) -> String {
        match &self.extension {
            Some(ext) => format!("{};ext={ext}", self.e164),
            None => self.e164.clone(),
        }
    }
}

impl fmt::Display for TelephoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// Canonical spelling of `input`, or `input` unchanged when it does not parse, so that comparisons of
/// values the server sent (which may be odd) never fail.
pub fn canonical_or_raw(input: &str) -> String {
    TelephoneNumber::parse(input)
        .map(|n| n.canonical())
        .unwrap_or_else(|_| input.trim().to_string())
}

/// Whether two spellings denote the same number.
pub fn same_number(a: &str, b: &str) -> bool {
    canonical_or_raw(a) == canonical_or_raw(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_separators_and_keeps_country() {
        let n = TelephoneNumber::parse("+1 (206) 555-0100").unwrap();
        assert_eq!(n.e164, "+12065550100");
        assert_eq!(n.country.as_deref(), Some("US"));
        assert_eq!(n.extension, None);
        let uk = TelephoneNumber::parse("tel:+44 20 7946 0958").unwrap();
        assert_eq!(uk.canonical(), "+442079460958");
        assert_eq!(uk.country.as_deref(), Some("GB"));
    }

    #[test]
    fn keeps_extension() {
        let n = TelephoneNumber::parse("+12065550100;ext=1234").unwrap();
        assert_eq!(n.canonical(), "+12065550100;ext=1234");
        assert_eq!(n.extension.as_deref(), Some("1234"));
    }

    #[test]
    fn rejects_bad_spellings_with_reason() {
        for (input, why) in [
            ("12065550100", "must start with +"),
            ("+1206555010a", "unexpected character 'a'"),
            ("+0123456789", "never starts with 0"),
            ("+123", "7 to 15 digits"),
            ("+1234567890123456", "7 to 15 digits"),
            ("+12065550100;ext=", "1 to 10 digits"),
            ("+12065550100;ext=12a", "1 to 10 digits"),
            ("+1 206 555 01000", "not valid"),
            ("", "must start with +"),
            ("+１２０６５５５０１００", "unexpected character"),
        ] {
            let err = TelephoneNumber::parse(input).unwrap_err();
            assert!(err.0.contains(why), "{input:?}: {err}");
        }
    }

    #[test]
    fn equivalent_spellings_compare_equal() {
        assert!(same_number("+1 206 555 0100", "+12065550100"));
        assert!(same_number("+1.206.555.0100", "tel:+1-206-555-0100"));
        assert!(!same_number("+12065550100", "+12065550101"));
        assert!(!same_number("+12065550100;ext=1", "+12065550100"));
    }
}
