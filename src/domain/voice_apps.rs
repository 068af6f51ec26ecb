//! Auto attendants and call queues as a voice admin names them: by id or by display name.
//!
//! Teams does not keep configuration names unique, so a look-up by name must find exactly one:
//! none is "not found", two or more is an error listing their ids so the admin can pick one.

/// Longest configuration name accepted in a look-up (Teams' own limit is lower; this bounds input).
pub const MAX_NAME: usize = 256;

/// The one item whose name is `name` (ASCII case ignored), or the sentence saying why there is not
/// exactly one. `kind` names the things for the message ("auto attendant").
pub fn find_one_by_name<'i, T>(
    items: &'i [T],
    name: &str,
    kind: &str,
    name_of: impl Fn(&T) -> &str,
    id_of: impl Fn(&T) -> &str,
) -> Result<&'i T, String> {
    let matches: Vec<&T> = items
        .iter()
        .filter(|i| name_of(i).eq_ignore_ascii_case(name))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no {kind} is named {name:?} ({} {kind}s looked at)",
            items.len()
        )),
        many => {
            let ids: Vec<&str> = many.iter().take(20).map(|i| id_of(i)).collect();
            Err(format!(
                "{} {kind}s are named {name:?} ({}); look it up by id instead",
                many.len(),
                ids.join(", ")
            ))
        }
    }
}

/// The one item that `is_ours` and was not among `before` (ids, ASCII case ignored): what a create
/// whose answer was lost made. `Ok(None)`: nothing new, the create did not happen. `Err`: the ids
/// of several new ones (at most 20), which no one can tell apart.
pub fn made_since<T>(
    items: Vec<T>,
    before: &[String],
    id_of: impl Fn(&T) -> &str,
    is_ours: impl Fn(&T) -> bool,
) -> Result<Option<T>, Vec<String>> {
    let mut new: Vec<T> = items
        .into_iter()
        .filter(|i| is_ours(i) && !before.iter().any(|b| b.eq_ignore_ascii_case(id_of(i))))
        .collect();
    match new.len() {
        0 => Ok(None),
        1 => Ok(new.pop()),
        _ => Err(new.iter().take(20).map(|i| id_of(i).to_string()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_single_new_match_is_ours() {
        let items = || vec![("a", "Desk"), ("b", "Desk"), ("c", "Other")];
        let before = ["A".to_string()];
        let ours = |i: &(&str, &str)| i.1 == "Desk";
        assert_eq!(
            made_since(items(), &before, |i| i.0, ours),
            Ok(Some(("b", "Desk")))
        );
        let both = ["a".to_string(), "b".to_string()];
        assert_eq!(made_since(items(), &both, |i| i.0, ours), Ok(None));
        assert_eq!(
            made_since(items(), &[], |i| i.0, ours),
            Err(vec!["a".to_string(), "b".to_string()])
        );
    }

    #[test]
    fn exactly_one_name_matches() {
        let items = [("a", "Main"), ("b", "Desk"), ("c", "desk")];
        let find = |n: &str| find_one_by_name(&items, n, "call queue", |i| i.1, |i| i.0);
        assert_eq!(find("MAIN").unwrap().0, "a");
        assert!(find("Other")
            .unwrap_err()
            .contains("no call queue is named"));
        let two = find("Desk").unwrap_err();
        assert!(
            two.contains("2 call queues") && two.contains("b, c"),
            "{two}"
        );
    }
}
