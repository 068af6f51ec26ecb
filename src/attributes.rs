//! Short constructors for schema attributes, so each resource's schema reads as a list of fields.
//!
//! Every attribute must carry a description: the docs are generated from them.

use std::collections::HashMap;

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Description};

fn attribute(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    description: &str,
) -> Attribute {
    Attribute {
        attr_type,
        description: Description::markdown(description),
        constraint,
        sensitive: false,
        deprecated: false,
    }
}

pub fn required_string(description: &str) -> Attribute {
    attribute(
        AttributeType::String,
        AttributeConstraint::Required,
        description,
    )
}

pub fn optional_string(description: &str) -> Attribute {
    attribute(
        AttributeType::String,
        AttributeConstraint::Optional,
        description,
    )
}

pub fn computed_string(description: &str) -> Attribute {
    attribute(
        AttributeType::String,
        AttributeConstraint::Computed,
        description,
    )
}

pub fn optional_bool(description: &str) -> Attribute {
    attribute(
        AttributeType::Bool,
        AttributeConstraint::Optional,
        description,
    )
}

pub fn optional_number(description: &str) -> Attribute {
    attribute(
        AttributeType::Number,
        AttributeConstraint::Optional,
        description,
    )
}

pub fn sensitive(mut attribute: Attribute) -> Attribute {
    attribute.sensitive = true;
    attribute
}

pub fn optional_string_set(description: &str) -> Attribute {
    attribute(
        AttributeType::Set(Box::new(AttributeType::String)),
        AttributeConstraint::Optional,
        description,
    )
}

/// Builds the attribute map of a block from `(name, attribute)` pairs.
pub fn attributes<const N: usize>(pairs: [(&str, Attribute); N]) -> HashMap<String, Attribute> {
    pairs
        .into_iter()
        .map(|(name, attribute)| (name.to_string(), attribute))
        .collect()
}
