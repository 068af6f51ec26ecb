//! Short constructors for schema attributes, so each schema reads as a list of fields.
//!
//! Every attribute must carry a description: the docs are generated from them (a test in
//! `crate::docs` fails on a missing one). The constraint is in the name (`required_`, `optional_`,
//! `computed_`, `optional_computed_`) because Terraform 1.0.3 rejects a computed-only attribute that
//! is also set in configuration: the choice should be visible where the schema is written.

use std::collections::HashMap;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
};

/// Any attribute; the named constructors below cover the common shapes.
pub fn attribute(
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
    computed(AttributeType::String, description)
}

/// Set by the user or, when left out, by the provider (a default or what the API chose).
pub fn optional_computed_string(description: &str) -> Attribute {
    optional_computed(AttributeType::String, description)
}

pub fn optional_computed(attr_type: AttributeType, description: &str) -> Attribute {
    attribute(
        attr_type,
        AttributeConstraint::OptionalComputed,
        description,
    )
}

pub fn computed(attr_type: AttributeType, description: &str) -> Attribute {
    attribute(attr_type, AttributeConstraint::Computed, description)
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
    attribute(string_set(), AttributeConstraint::Optional, description)
}

/// A list of strings used as a set (see `values::list_of`): required, in the user's order.
pub fn required_string_list(description: &str) -> Attribute {
    attribute(string_list(), AttributeConstraint::Required, description)
}

pub fn string_list() -> AttributeType {
    AttributeType::List(Box::new(AttributeType::String))
}

pub fn string_set() -> AttributeType {
    AttributeType::Set(Box::new(AttributeType::String))
}

/// An object type whose fields are all strings, except those given in `others`.
pub fn object_of<const N: usize>(
    strings: &[&str],
    others: [(&str, AttributeType); N],
) -> AttributeType {
    AttributeType::Object(
        strings
            .iter()
            .map(|name| (name.to_string(), AttributeType::String))
            .chain(others.into_iter().map(|(n, t)| (n.to_string(), t)))
            .collect(),
    )
}

/// The schema of a resource, data source or provider: a description (the docs page's opening) and
/// its attributes. Every schema here is at version 1; a change that needs a state upgrade would
/// bump it in one place.
pub fn schema_of<const N: usize>(description: &str, pairs: [(&str, Attribute); N]) -> Schema {
    Schema {
        version: 1,
        block: Block {
            version: 1,
            description: Description::markdown(description),
            attributes: attributes(pairs),
            ..Default::default()
        },
    }
}

/// `schema` with a nested block, such as the `timeouts` block of `super::timeouts::block`.
pub fn with_block(mut schema: Schema, (name, block): (String, NestedBlock)) -> Schema {
    schema.block.blocks.insert(name, block);
    schema
}

/// Builds the attribute map of a block from `(name, attribute)` pairs.
pub fn attributes<const N: usize>(pairs: [(&str, Attribute); N]) -> HashMap<String, Attribute> {
    pairs
        .into_iter()
        .map(|(name, attribute)| (name.to_string(), attribute))
        .collect()
}
