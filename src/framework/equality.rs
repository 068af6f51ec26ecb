//! One semantic equality for the values the API normalises, used alike by plan, read and update.
//!
//! The API answers with its own spelling: GUIDs and principal names in another letter case, phone
//! numbers in canonical `+E.164`. Terraform compares strings exactly, so every place that looks at a
//! value the API also holds must compare it the same way, or the provider plans a change the API would
//! not see (or misses one it would):
//!
//! - plan: a requires-replace rule ([`super::replace`]) replaces only on a real change;
//! - read: [`Equality::keep`] keeps the prior spelling when the API holds the same value, so an
//!   equivalent spelling never shows as drift;
//! - update: [`Equality::same_option`] decides whether a field is sent at all.
//!
//! Case-insensitive means ASCII case, as Entra and Teams compare ids and names.

use tf_provider::value::{Value, ValueString};

use super::values::owned;

/// How two spellings of one attribute are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Equality {
    /// Byte for byte: names and enum values the API keeps as sent.
    Exact,
    /// Ignoring ASCII letter case: object ids, principal names, policy names and types.
    CaseInsensitive,
    /// As telephone numbers: `+1 (206) 555-0100` equals `+12065550100`; unparsable text compares
    /// as trimmed text.
    PhoneNumber,
}

impl Equality {
    /// Whether two known values mean the same.
    pub fn same(self, a: &str, b: &str) -> bool {
        match self {
            Equality::Exact => a == b,
            Equality::CaseInsensitive => a.eq_ignore_ascii_case(b),
            Equality::PhoneNumber => crate::domain::phone::same_number(a, b),
        }
    }

    /// Like [`Self::same`]; two absent values are the same, one absent value differs.
    pub fn same_option(self, a: Option<&str>, b: Option<&str>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => self.same(a, b),
            (a, b) => a == b,
        }
    }

    /// Plan-time sameness: an unknown value may be anything, so it is never the same; nulls are.
    pub fn same_value(self, a: &ValueString<'_>, b: &ValueString<'_>) -> bool {
        if a.is_unknown() || b.is_unknown() {
            return false;
        }
        self.same_option(a.as_deref_option(), b.as_deref_option())
    }

    /// The form two equal values share, for sets and look-ups keyed by it.
    pub fn key(self, value: &str) -> String {
        match self {
            Equality::Exact => value.to_string(),
            Equality::CaseInsensitive => value.to_ascii_lowercase(),
            Equality::PhoneNumber => crate::domain::phone::canonical_or_raw(value),
        }
    }

    /// The spelling to record for `api`: the first of `prior` that means the same, else `api`'s.
    pub fn spelling<'p>(self, prior: impl IntoIterator<Item = &'p str>, api: &str) -> String {
        prior
            .into_iter()
            .find(|p| self.same(p, api))
            .unwrap_or(api)
            .to_string()
    }

    /// The state value for what the API holds: the prior value when it means the same.
    pub fn keep<'a>(self, prior: &ValueString<'a>, api: &str) -> ValueString<'a> {
        match prior.as_deref_option() {
            Some(p) if self.same(p, api) => prior.clone(),
            _ => owned(api),
        }
    }

    /// [`Self::keep`] for a value the API may not have; absent or empty reads as null.
    pub fn keep_option<'a>(self, prior: &ValueString<'a>, api: Option<&str>) -> ValueString<'a> {
        match api {
            Some(api) if !api.is_empty() => self.keep(prior, api),
            _ => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_compares_its_way() {
        assert!(Equality::Exact.same("a", "a") && !Equality::Exact.same("a", "A"));
        assert!(Equality::CaseInsensitive.same("Ann@X.com", "ann@x.COM"));
        assert!(Equality::PhoneNumber.same("+1 (206) 555-0100", "+12065550100"));
        assert!(!Equality::PhoneNumber.same("+12065550100", "+12065550101"));
        assert!(Equality::Exact.same_option(None, None));
        assert!(!Equality::CaseInsensitive.same_option(Some("a"), None));
        assert_eq!(Equality::CaseInsensitive.key("AbC"), "abc");
        assert_eq!(
            Equality::PhoneNumber.key(" +1 206 555 0100"),
            "+12065550100"
        );
    }

    #[test]
    fn unknown_is_never_the_same_and_reads_keep_the_prior_spelling() {
        let a: ValueString = owned("A");
        assert!(!Equality::Exact.same_value(&Value::Unknown, &Value::Unknown));
        assert!(Equality::Exact.same_value(&Value::Null, &Value::Null));
        assert!(Equality::CaseInsensitive.same_value(&a, &owned("a")));
        assert_eq!(Equality::CaseInsensitive.keep(&a, "a"), a);
        assert_eq!(Equality::Exact.keep(&a, "a"), owned("a"));
        assert_eq!(Equality::Exact.keep_option(&a, Some("")), Value::Null);
        assert_eq!(
            Equality::PhoneNumber.spelling(["+1 206 555 0100", "+1 206 555 0101"], "+12065550101"),
            "+1 206 555 0101"
        );
    }
}
