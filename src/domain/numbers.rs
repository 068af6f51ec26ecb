//! Phone number vocabulary: number types and assignment categories as users write them and as Graph
//! spells them, the activation state that means "done", and the plan-time rule tying an extension
//! to Direct Routing.
//!
//! Graph's enums evolve (`unknownFutureValue`), so the maps answer `None` for a spelling they do not
//! know and callers decide what an unknown value means; a read never fails on one.

use super::phone::TelephoneNumber;
use super::text::one_of;

/// `number_type` spellings, in the order the docs list them.
pub const NUMBER_TYPES: [&str; 3] = ["direct_routing", "calling_plan", "operator_connect"];
/// Checks a `number_type` as the user wrote it (one of [`NUMBER_TYPES`]).
pub fn validate_number_type(value: &str) -> Result<(), String> {
    one_of(&NUMBER_TYPES)(value)
}

/// `assignment_category` spellings (Graph spells them the same).
pub const CATEGORIES: [&str; 3] = ["primary", "private", "alternate"];
/// The `activationState` of a number whose assignment is complete.
pub const ACTIVATED: &str = "activated";

/// Graph's `numberType` for a `number_type`.
pub fn api_number_type(number_type: &str) -> Option<&'static str> {
    match number_type {
        "direct_routing" => Some("directRouting"),
        "calling_plan" => Some("callingPlan"),
        "operator_connect" => Some("operatorConnect"),
        _ => None,
    }
}

pub fn tf_number_type(api: &str) -> Option<&'static str> {
    NUMBER_TYPES
        .into_iter()
        .find(|t| api_number_type(t) == Some(api))
}

/// Plan-time checks of the number against its type.
pub fn validate_number(number: &str, number_type: Option<&str>) -> Result<TelephoneNumber, String> {
    let parsed = TelephoneNumber::parse(number).map_err(|e| e.to_string())?;
    if parsed.extension.is_some() && matches!(number_type, Some(t) if t != "direct_routing") {
        return Err(format!(
            "{number:?} has an extension (;ext=), which only Direct Routing numbers can carry; number_type is {}",
            number_type.unwrap_or_default()
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_types_map_both_ways() {
        for t in NUMBER_TYPES {
            assert_eq!(tf_number_type(api_number_type(t).unwrap()), Some(t));
        }
        assert_eq!(api_number_type("voip"), None);
        assert_eq!(tf_number_type("unknownFutureValue"), None);
    }
}
