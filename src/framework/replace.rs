//! Declarative requires-replace: a resource lists the attributes whose change forces a new object.
//!
//! tf-provider leaves "requires replace" to each `plan_update`, which ends up hand-written per
//! resource, each with its own idea of letter case and unknown values. Here a resource declares
//! `RequiresReplace::new("group_id", Equality::CaseInsensitive, |m| &m.group_id)` and the adapter in
//! [`super::resource`] compares prior and planned with that [`Equality`]: a respelling
//! (`AAAA...` for `aaaa...`, `+1 206 555 0100` for `+12065550100`) plans no replacement, an unknown
//! planned value always does (it may turn out different), and the attributes are reported in the
//! order listed.

use tf_provider::value::ValueString;
use tf_provider::AttributePath;

use super::equality::Equality;

/// One attribute whose change replaces the object.
pub struct RequiresReplace<'a, M> {
    attribute: &'static str,
    equality: Equality,
    value: for<'m> fn(&'m M) -> &'m ValueString<'a>,
}

impl<'a, M> RequiresReplace<'a, M> {
    pub fn new(
        attribute: &'static str,
        equality: Equality,
        value: for<'m> fn(&'m M) -> &'m ValueString<'a>,
    ) -> Self {
        RequiresReplace {
            attribute,
            equality,
            value,
        }
    }
}

/// The attributes of `rules` that differ between `prior` and `planned`, in the order of `rules`.
pub fn changed<M>(rules: &[RequiresReplace<'_, M>], prior: &M, planned: &M) -> Vec<AttributePath> {
    rules
        .iter()
        .filter(|r| !r.equality.same_value((r.value)(prior), (r.value)(planned)))
        .map(|r| AttributePath::new(r.attribute))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::values::owned;
    use tf_provider::value::Value;

    #[derive(Default)]
    struct M<'a> {
        id: ValueString<'a>,
        name: ValueString<'a>,
    }

    fn rules<'a>() -> Vec<RequiresReplace<'a, M<'a>>> {
        vec![
            RequiresReplace::new("id", Equality::CaseInsensitive, |m| &m.id),
            RequiresReplace::new("name", Equality::Exact, |m| &m.name),
        ]
    }

    #[test]
    fn respellings_keep_unknowns_and_changes_replace() {
        let prior = M {
            id: owned("AB"),
            name: owned("n"),
        };
        let respelled = M {
            id: owned("ab"),
            name: owned("n"),
        };
        assert!(changed(&rules(), &prior, &respelled).is_empty());
        let unknown = M {
            id: Value::Unknown,
            name: owned("N"),
        };
        assert_eq!(
            changed(&rules(), &prior, &unknown),
            vec![AttributePath::new("id"), AttributePath::new("name")]
        );
    }
}
