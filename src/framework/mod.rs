//! What tf-provider 0.2.2 lacks, written once for every resource and data source.
//!
//! tf-provider speaks the plugin protocol and hands each call its raw values; it has no plan
//! modifiers, defaults, validators or semantic equality, which the big Go providers get from the
//! plugin framework. Those live here, small and without API knowledge:
//!
//! - [`resource`] and [`data_source`]: our own traits with already-unwrapped models and the
//!   configured client, and one generic adapter each that implements tf-provider's trait, so no
//!   resource repeats the `Value::Value` openings, the client lookup or the pass-through calls;
//! - [`replace`]: the attributes whose change forces a new object, declared as a list;
//! - [`equality`]: one semantic equality (exact, case-insensitive, phone number) used by plan, read
//!   (keep the prior spelling) and the update diff alike;
//! - [`number`]: a number attribute that decodes a fraction or an overflow, to report it on the
//!   attribute;
//! - [`attributes`], [`values`], [`diagnostics`], [`validators`], [`timeouts`]: schema constructors,
//!   value helpers, the shared error shapes, attribute checks and the `timeouts` block.
//!
//! Some shapes speak Teams, because they must live outside `resources` and `data_sources` (no
//! resource imports a sibling): [`bindings`] (the attributes and diagnostics the four
//! policy-binding resources share), [`policy_instance`] (every `Tag:` policy resource),
//! [`policy_lookup`] (every policy data source by name) and [`lookup`] (the voice app data
//! sources by id or name). Domain rules
//! belong in `crate::domain`, API calls in `crate::client`.

pub mod attributes;
pub mod bindings;
pub mod data_source;
pub mod diagnostics;
pub mod equality;
pub mod lookup;
pub mod number;
pub mod policy_instance;
pub mod policy_lookup;
pub mod replace;
pub mod resource;
pub mod timeouts;
pub mod validators;
pub mod values;
