//! Declarative requires-replace: a resource lists the attributes whose change forces a new object.
//!
//! tf-provider leaves "requires replace" to each `plan_update`, which ends up hand-written per
//! resource, each with its own idea of letter case and unknown values. Here a resource declares
//! `RequiresReplace::new("group_id", Equality::CaseInsensitive, |m| &m.group_id)` and the adapter in
//! [`super::resource`] compares prior and planned with that [`Equality`]: a respelling
//! (`AAAA...` for `aaaa...`, `+1 206 555 0100` for `+12065550100`) plans no replacement, an unknown
//! planned value always does (it may turn out different), and the attributes are reported in the
//! order listed.

use tf_provider::value::{ValueNumber, ValueString};
use tf_provider::AttributePath;

use super::equality::Equality;

/// How a rule reaches its attribute: a string compared with an [`Equality`], or a number.
enum Getter<'a, M> {
    Text(Equality, for<'m> fn(&'m M) -> &'m ValueString<'a>),
    Number(for<'m> fn(&'m M) -> &'m ValueNumber),
}

/// One attribute whose change replaces the object.
pub struct RequiresReplace<'a, M> {
    attribute: &'static str,
    value: Getter<'a, M>,
}

impl<'a, M> RequiresReplace<'a, M> {
    pub fn new(
        attribute: &'static str,
        equality: Equality,
        value: for<'m> fn(&'m M) -> &'m ValueString<'a>,
    ) -> Self {
        RequiresReplace {
            attribute,
            value: Getter::Text(equality, value),
        }
    }

    /// A number attribute (for example a priority the API cannot change in place).
    pub fn number(attribute: &'static str, value: for<'m> fn(&'m M) -> &'m ValueNumber) -> Self {
        RequiresReplace {
            attribute,
            value: Getter::Number(value),
        }
    }

    fn same(&self, prior: &M, planned: &M) -> bool {
        match &self.value {
            Getter::Text(equality, get) => equality.same_value(get(prior), get(planned)),
            Getter::Number(get) => {
                let (a, b) = (get(prior), get(planned));
                !a.is_unknown() && !b.is_unknown() && a == b
            }
        }
    }
}

/// The attributes of `rules` that differ between `prior` and `planned`, in the order of `rules`.
pub fn changed<M>(rules: &[RequiresReplace<'_, M>], prior: &M, planned: &M) -> Vec<AttributePath> {
    rules
        .iter()
        .filter(|r| !r.same(prior, planned))
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
        rank: ValueNumber,
    }

    fn rules<'a>() -> Vec<RequiresReplace<'a, M<'a>>> {
        vec![
            RequiresReplace::new("id", Equality::CaseInsensitive, |m| &m.id),
            RequiresReplace::new("name", Equality::Exact, |m| &m.name),
            RequiresReplace::number("rank", |m| &m.rank),
        ]
    }

    #[test]
    fn numbers_replace_on_a_change_or_an_unknown() {
        let m = |rank| M {
            rank,
            ..Default::default()
        };
        assert!(changed(&rules(), &m(Value::Value(3)), &m(Value::Value(3))).is_empty());
        for planned in [Value::Value(4), Value::Unknown, Value::Null] {
            assert_eq!(
                changed(&rules(), &m(Value::Value(3)), &m(planned)),
                vec![AttributePath::new("rank")]
            );
        }
    }

    #[test]
    fn respellings_keep_unknowns_and_changes_replace() {
        let prior = M {
            id: owned("AB"),
            name: owned("n"),
            ..Default::default()
        };
        let respelled = M {
            id: owned("ab"),
            name: owned("n"),
            ..Default::default()
        };
        assert!(changed(&rules(), &prior, &respelled).is_empty());
        let unknown = M {
            id: Value::Unknown,
            name: owned("N"),
            ..Default::default()
        };
        assert_eq!(
            changed(&rules(), &prior, &unknown),
            vec![AttributePath::new("id"), AttributePath::new("name")]
        );
    }
}
