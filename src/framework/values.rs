//! Building and reading tf-provider values without the `Value::Value(Cow::Owned(..))` ceremony.
//!
//! A `Value` is null, unknown (known only after apply) or known. Readers here treat null and unknown
//! alike as "no value" where the caller only wants what is known, and say so in their names.

use std::borrow::Cow;

use tf_provider::value::{Value, ValueList, ValueString};

/// A known string.
pub fn owned<'a>(value: impl Into<String>) -> ValueString<'a> {
    Value::Value(Cow::Owned(value.into()))
}

/// A known string, or null when there is none.
pub fn optional<'a>(value: Option<&str>) -> ValueString<'a> {
    value.map_or(Value::Null, owned)
}

/// A known string, or null when there is none or it is empty (the API's way of saying "unset").
pub fn non_empty<'a>(value: Option<&str>) -> ValueString<'a> {
    optional(value.filter(|v| !v.is_empty()))
}

/// The known text of a value, `""` when null or unknown.
pub fn known_str<'v>(value: &'v ValueString<'_>) -> &'v str {
    value.as_deref_option().unwrap_or_default()
}

/// The known elements of a list or set of strings, in order; none when it is null or unknown.
pub fn known_strings<'v, 's: 'v, C>(collection: &'v Value<C>) -> Vec<&'v str>
where
    &'v C: IntoIterator<Item = &'v ValueString<'s>>,
{
    collection
        .as_ref_option()
        .map(|c| c.into_iter().filter_map(|v| v.as_deref_option()).collect())
        .unwrap_or_default()
}

/// A known list of known strings, in the order given.
pub fn list_of<'a>(values: impl IntoIterator<Item = String>) -> ValueList<ValueString<'a>> {
    Value::Value(values.into_iter().map(owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_see_only_known_values() {
        let list = Value::Value(vec![owned("a"), Value::Unknown, owned("b")]);
        assert_eq!(known_strings(&list), ["a", "b"]);
        assert!(known_strings::<Vec<ValueString>>(&Value::Unknown).is_empty());
        assert_eq!(known_str(&Value::Null), "");
        assert_eq!(non_empty(Some("")), Value::Null);
        assert_eq!(optional(Some("")), owned(""));
        assert_eq!(list_of(["x".to_string()]), Value::Value(vec![owned("x")]));
    }
}
