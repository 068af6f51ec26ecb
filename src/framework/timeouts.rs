//! The optional `timeouts` block a resource offers for its long waits (`create`, `update`, `delete`).
//!
//! Terraform users know this block from the big providers: `timeouts { create = "10m" }`. Values are
//! duration strings of one or more `<number><unit>` parts with units `s`, `m`, `h` (`"90s"`, `"1h30m"`),
//! checked at plan time with a diagnostic on the exact attribute. A resource declares the block with
//! [`block`], puts a [`TimeoutsBlock`] field in its model (serialised with `value::serde_as_vec`, since
//! tf-provider renders an optional block as a list of at most one), and asks [`Timeouts::create`] and
//! friends for a duration with its own default. The block changes nothing on the remote side, so a
//! change to it alone is an in-place update that calls no API.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tf_provider::schema::{Block, Description, NestedBlock};
use tf_provider::value::{Value, ValueString};
use tf_provider::{AttributePath, Diagnostics};

use super::attributes::{attributes, optional_string};

/// The block's attributes as Terraform sends them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timeouts<'a> {
    pub create: ValueString<'a>,
    pub update: ValueString<'a>,
    pub delete: ValueString<'a>,
}

/// The block in a resource model: null when the configuration has no `timeouts` block.
pub type TimeoutsBlock<'a> = Value<Timeouts<'a>>;

/// Longest timeout accepted; anything longer is almost certainly a typo.
const MAX: Duration = Duration::from_secs(24 * 3600);

/// The schema of the block, with `defaults` (create, update, delete) named in its descriptions.
pub fn block(defaults: [Duration; 3]) -> (String, NestedBlock) {
    let text = |what: &str, d: Duration| {
        format!(
            "How long to wait for the {what} to finish, as a duration such as `\"30s\"`, `\"10m\"` or `\"1h30m\"`. Default `{}`.",
            format_duration(d)
        )
    };
    let block = Block {
        version: 1,
        description: Description::markdown("Time limits for the long waits of this resource."),
        attributes: attributes([
            ("create", optional_string(&text("creation", defaults[0]))),
            ("update", optional_string(&text("update", defaults[1]))),
            ("delete", optional_string(&text("deletion", defaults[2]))),
        ]),
        blocks: HashMap::new(),
        deprecated: false,
    };
    ("timeouts".to_string(), NestedBlock::Optional(block))
}

/// Parses `"30s"`, `"10m"`, `"1h30m"`, `"1.5h"`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = |why: &str| {
        Err(format!(
            "{text:?} is not a duration: {why} (write for example \"30s\", \"10m\" or \"1h30m\")"
        ))
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return bad("it is empty");
    }
    let mut total = 0f64;
    let mut number = String::new();
    for c in trimmed.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3600.0,
            other => return bad(&format!("unknown unit {other:?}; use s, m or h")),
        };
        let Ok(value) = number.parse::<f64>() else {
            return bad("each unit needs a number before it");
        };
        total += value * unit;
        number.clear();
    }
    if !number.is_empty() {
        return bad("the last number has no unit");
    }
    // Compared as a float before any conversion: `Duration::from_secs_f64` panics on values past
    // u64::MAX seconds (`"99999999999999999999h"`), and a panic at validate crashes the plugin.
    if !total.is_finite() || total > MAX.as_secs_f64() {
        return bad("it is longer than 24h");
    }
    let Ok(duration) = Duration::try_from_secs_f64(total) else {
        return bad("it is not a number of seconds a timer can hold");
    };
    if duration.is_zero() {
        return bad("it must be longer than zero");
    }
    Ok(duration)
}

/// `1h30m`, `10m`, `45s`: the shortest exact spelling of whole seconds.
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// Reports every malformed duration on its attribute (`timeouts[0].create` and so on).
pub fn validate(diags: &mut Diagnostics, block: &TimeoutsBlock<'_>) {
    let Value::Value(t) = block else {
        return;
    };
    for (name, value) in [
        ("create", &t.create),
        ("update", &t.update),
        ("delete", &t.delete),
    ] {
        if let Value::Value(text) = value {
            if let Err(problem) = parse_duration(text) {
                diags.error(
                    format!("Invalid timeouts.{name}"),
                    problem,
                    AttributePath::new("timeouts").index(0).attribute(name),
                );
            }
        }
    }
}

fn pick(value: Option<&ValueString<'_>>, default: Duration) -> Duration {
    value
        .and_then(|v| v.as_deref_option())
        .and_then(|text| parse_duration(text).ok())
        .unwrap_or(default)
}

impl Timeouts<'_> {
    pub fn create(block: &TimeoutsBlock<'_>, default: Duration) -> Duration {
        pick(block.as_ref_option().map(|t| &t.create), default)
    }

    pub fn update(block: &TimeoutsBlock<'_>, default: Duration) -> Duration {
        pick(block.as_ref_option().map(|t| &t.update), default)
    }

    pub fn delete(block: &TimeoutsBlock<'_>, default: Duration) -> Duration {
        pick(block.as_ref_option().map(|t| &t.delete), default)
    }
}

/// A block value for tests and imports.
pub fn with_create(create: &str) -> TimeoutsBlock<'static> {
    Value::Value(Timeouts {
        create: Value::Value(Cow::Owned(create.to_string())),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration(" 1.5h "), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0.5s"), Ok(Duration::from_millis(500)));
        for (bad, why) in [
            ("", "empty"),
            ("10", "no unit"),
            ("10d", "unknown unit 'd'"),
            ("m", "needs a number"),
            ("0s", "longer than zero"),
            ("25h", "longer than 24h"),
            ("1..2s", "needs a number"),
            // These panicked in Duration::from_secs_f64 before the total was checked.
            ("99999999999999999999h", "longer than 24h"),
            ("1e400s", "unknown unit 'e'"),
            ("179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000h1h", "longer than 24h"),
        ] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_duration(Duration::from_secs(45)), "45s");
        assert_eq!(format_duration(Duration::ZERO), "0s");
    }

    #[test]
    fn defaults_apply_when_unset_and_errors_name_the_attribute() {
        let block = with_create("2m");
        assert_eq!(
            Timeouts::create(&block, Duration::from_secs(1)),
            Duration::from_secs(120)
        );
        assert_eq!(
            Timeouts::delete(&block, Duration::from_secs(7)),
            Duration::from_secs(7)
        );
        assert_eq!(
            Timeouts::update(&Value::Null, Duration::from_secs(9)),
            Duration::from_secs(9)
        );
        let mut diags = Diagnostics::default();
        validate(&mut diags, &with_create("ten minutes"));
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].summary.contains("timeouts.create"));
        let mut diags = Diagnostics::default();
        validate(&mut diags, &with_create("10m"));
        assert!(diags.errors.is_empty());
        let mut diags = Diagnostics::default();
        validate(&mut diags, &with_create("99999999999999999999h"));
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].detail.contains("longer than 24h"));
        assert_eq!(
            Timeouts::create(
                &with_create("99999999999999999999h"),
                Duration::from_secs(3)
            ),
            Duration::from_secs(3)
        );
    }
}
