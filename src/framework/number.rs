//! Number attributes that decode whatever number Terraform sends, so a bad one is reported on its
//! attribute instead of failing the whole request.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A number attribute as Terraform sends it, whole or not. tf-provider's `ValueNumber` is an `i64`,
/// so `max_concurrent_requests = 1.5` failed to decode with "data did not match any variant of
/// untagged enum Value", naming no attribute. Accepting any number here moves the complaint into
/// `validate`, onto the attribute. Terraform sends a fractional number as a float and one too big
/// for 64 bits as its decimal text; both are kept as [`ConfigNumber::Other`] for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigNumber {
    Whole(i64),
    Other(String),
}

impl From<i64> for ConfigNumber {
    fn from(n: i64) -> Self {
        ConfigNumber::Whole(n)
    }
}

impl fmt::Display for ConfigNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigNumber::Whole(n) => write!(f, "{n}"),
            ConfigNumber::Other(text) => f.write_str(text),
        }
    }
}

impl Serialize for ConfigNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ConfigNumber::Whole(n) => serializer.serialize_i64(*n),
            ConfigNumber::Other(text) => match text.parse::<f64>() {
                Ok(x) => serializer.serialize_f64(x),
                Err(_) => serializer.serialize_str(text),
            },
        }
    }
}

impl<'de> Deserialize<'de> for ConfigNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ConfigNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, n: i64) -> Result<ConfigNumber, E> {
                Ok(ConfigNumber::Whole(n))
            }
            fn visit_u64<E>(self, n: u64) -> Result<ConfigNumber, E> {
                Ok(i64::try_from(n)
                    .map_or_else(|_| ConfigNumber::Other(n.to_string()), ConfigNumber::Whole))
            }
            fn visit_f64<E>(self, x: f64) -> Result<ConfigNumber, E> {
                // A float that is exactly a small whole number (`4.0`) is that number.
                if x.fract() == 0.0 && x.abs() < 9.0e15 {
                    Ok(ConfigNumber::Whole(x as i64))
                } else {
                    Ok(ConfigNumber::Other(x.to_string()))
                }
            }
            fn visit_str<E>(self, text: &str) -> Result<ConfigNumber, E> {
                Ok(text.trim().parse::<i64>().map_or_else(
                    |_| ConfigNumber::Other(text.chars().take(40).collect()),
                    ConfigNumber::Whole,
                ))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
