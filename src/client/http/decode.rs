//! The one decoder of answers (contract section 7).
//!
//! Every answer the client decodes goes through here, so the shapes the live service is known (or
//! suspected) to use are tolerated in one place:
//!
//! - a single entity as the object itself, as `{"value":{..}}` or as `{"value":[{..}]}` (Graph), or as
//!   a one-element array (Teams);
//! - no body on a 2xx write ("nothing": the caller reads back);
//! - field names compared case-insensitively (Teams usually answers PascalCase, sometimes camelCase):
//!   [`CaseInsensitive`] remaps each JSON key to the field name serde asks for, recursively.
//!
//! A field the provider needs and the answer lacks is an error naming the field and the call
//! (`Get-CsPhoneNumberOperation answered without "status"`), never a default. [`Shape`] says which
//! shape came back, for a `doctor` report.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde_json::{Map, Value};

use super::error::{ApiError, Service, MAX_QUOTED_BODY};
use super::scrub::Scrubber;

/// Which shape an answer came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The object (or, for collections, the whole body) itself.
    Object,
    /// `{"value":{..}}`.
    ValueObject,
    /// `{"value":[{..}]}` with exactly one element.
    ValueArray,
    /// `[{..}]` with exactly one element.
    Array,
    /// No body (a 2xx write): the caller reads back.
    Empty,
}

/// What came back: the value (none for an empty body) and its shape.
#[derive(Debug)]
pub struct Decoded<T> {
    pub value: Option<T>,
    pub shape: Shape,
}

/// Where the decoder reports its errors.
pub struct Context<'a> {
    pub service: Service,
    pub status: u16,
    /// The cmdlet (or Graph call) the answer belongs to, named in every error.
    pub call: &'a str,
    pub scrub: &'a Scrubber,
}

impl Context<'_> {
    fn invalid(&self, detail: String) -> ApiError {
        ApiError::InvalidResponse {
            service: self.service,
            status: self.status,
            detail: self.scrub.clean(&detail, MAX_QUOTED_BODY),
        }
    }

    /// serde's message for a missing field becomes `<call> answered without "<field>"`.
    fn serde_error(&self, e: serde_json::Error) -> ApiError {
        let text = e.to_string();
        if let Some(rest) = text.strip_prefix("missing field `") {
            if let Some(field) = rest.split('`').next() {
                return self.invalid(format!("{} answered without \"{field}\"", self.call));
            }
        }
        self.invalid(format!(
            "{} answered with a body that is not what the contract describes: {text}",
            self.call
        ))
    }
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

fn parse(body: &[u8], cx: &Context) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        cx.invalid(format!(
            "{} answered with a body that is not JSON: {e}",
            cx.call
        ))
    })
}

fn from_value<T: DeserializeOwned>(value: Value, cx: &Context) -> Result<T, ApiError> {
    T::deserialize(CaseInsensitive(value)).map_err(|e| cx.serde_error(e))
}

/// A single entity, in any shape of section 7; an empty body is `value: None`.
pub fn entity<T: DeserializeOwned>(body: &[u8], cx: &Context) -> Result<Decoded<T>, ApiError> {
    if is_blank(body) {
        return Ok(Decoded {
            value: None,
            shape: Shape::Empty,
        });
    }
    let (value, shape) = unwrap_entity(parse(body, cx)?, cx)?;
    Ok(Decoded {
        value: Some(from_value(value, cx)?),
        shape,
    })
}

/// A single entity wrapped under `key` (`{"AutoAttendant":{..}}`, the key in any letter case), the
/// wrapper itself in any shape of section 7; an empty body is `value: None`. A wrapper without
/// `key` is an error naming the key and the call.
pub fn wrapped<T: DeserializeOwned>(
    body: &[u8],
    key: &str,
    cx: &Context,
) -> Result<Decoded<T>, ApiError> {
    if is_blank(body) {
        return Ok(Decoded {
            value: None,
            shape: Shape::Empty,
        });
    }
    let (value, shape) = unwrap_entity(parse(body, cx)?, cx)?;
    let inner = match value {
        Value::Object(map) => map
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v),
        _ => None,
    };
    match inner {
        Some(inner @ Value::Object(_)) => Ok(Decoded {
            value: Some(from_value(inner, cx)?),
            shape,
        }),
        Some(_) => Err(cx.invalid(format!(
            "{} answered a \"{key}\" that is not an object",
            cx.call
        ))),
        None => Err(cx.invalid(format!("{} answered without \"{key}\"", cx.call))),
    }
}

/// A whole body (a collection or a page) decoded as it is, with case-insensitive field names.
pub fn whole<T: DeserializeOwned>(body: &[u8], cx: &Context) -> Result<T, ApiError> {
    if is_blank(body) {
        return Err(cx.invalid(format!("{} answered without a body", cx.call)));
    }
    from_value(parse(body, cx)?, cx)
}

/// [`whole`] without the JSON tree, for large pages: the same case-insensitive field names, fields
/// the type does not name skipped unbuilt ([`stream`]).
pub fn streamed<T: DeserializeOwned>(body: &[u8], cx: &Context) -> Result<T, ApiError> {
    if is_blank(body) {
        return Err(cx.invalid(format!("{} answered without a body", cx.call)));
    }
    let not_json = |e: serde_json::Error| {
        if e.is_data() {
            cx.serde_error(e)
        } else {
            cx.invalid(format!(
                "{} answered with a body that is not JSON: {e}",
                cx.call
            ))
        }
    };
    let mut stream = serde_json::Deserializer::from_slice(body);
    let value = T::deserialize(stream::Folded(&mut stream)).map_err(not_json)?;
    stream.end().map_err(not_json)?;
    Ok(value)
}

fn one_element(items: Vec<Value>, what: &str, cx: &Context) -> Result<Value, ApiError> {
    let n = items.len();
    let mut items = items.into_iter();
    match (items.next(), n) {
        (Some(item @ Value::Object(_)), 1) => Ok(item),
        _ => Err(cx.invalid(format!(
            "{} answered {what} with {n} elements where one object was expected",
            cx.call
        ))),
    }
}

/// Takes the entity out of its wrapping. `{"value":..}` counts as a wrapper when `value` is its only
/// field besides `@odata.*` annotations.
fn unwrap_entity(value: Value, cx: &Context) -> Result<(Value, Shape), ApiError> {
    match value {
        Value::Array(items) => Ok((one_element(items, "an array", cx)?, Shape::Array)),
        Value::Object(map) if is_value_wrapper(&map) => {
            let inner = map.into_iter().find(|(k, _)| k == "value").map(|(_, v)| v);
            match inner {
                Some(inner @ Value::Object(_)) => Ok((inner, Shape::ValueObject)),
                Some(Value::Array(items)) => Ok((
                    one_element(items, "a \"value\" array", cx)?,
                    Shape::ValueArray,
                )),
                _ => Err(cx.invalid(format!(
                    "{} answered a \"value\" that is neither an object nor an array",
                    cx.call
                ))),
            }
        }
        object @ Value::Object(_) => Ok((object, Shape::Object)),
        _ => Err(cx.invalid(format!(
            "{} answered a JSON value where an object was expected",
            cx.call
        ))),
    }
}

/// Which [`Shape`] `body` has, without decoding it: for the `doctor`, which reports what came
/// back. For a collection, [`Shape::ValueArray`] is Graph's `{"value":[..]}` page (of any length),
/// [`Shape::Array`] a bare JSON array and [`Shape::Object`] any other object (a Teams page such as
/// `{"applicationInstances":[..]}`). `None`: the body is not JSON, or not an object or array.
pub fn shape_of(body: &[u8]) -> Option<Shape> {
    if is_blank(body) {
        return Some(Shape::Empty);
    }
    match serde_json::from_slice::<Value>(body).ok()? {
        Value::Array(_) => Some(Shape::Array),
        Value::Object(map) if is_value_wrapper(&map) => match map.get("value") {
            Some(Value::Array(_)) => Some(Shape::ValueArray),
            Some(Value::Object(_)) => Some(Shape::ValueObject),
            _ => None,
        },
        Value::Object(_) => Some(Shape::Object),
        _ => None,
    }
}

impl Shape {
    /// The shape as `doctor` prints it.
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Object => "object",
            Shape::ValueObject => "{\"value\":{..}}",
            Shape::ValueArray => "{\"value\":[..]}",
            Shape::Array => "array",
            Shape::Empty => "empty",
        }
    }
}

fn is_value_wrapper(map: &Map<String, Value>) -> bool {
    map.contains_key("value") && map.keys().all(|k| k == "value" || k.starts_with("@odata"))
}

/// A JSON value whose object keys match struct fields case-insensitively, at every depth.
pub struct CaseInsensitive(pub Value);

impl<'de> Deserializer<'de> for CaseInsensitive {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries::new(map, &[])),
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries::new(map, fields)),
            other => CaseInsensitive(other).deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(CaseInsensitive(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// An object's entries, each key renamed to the struct field it matches ignoring case.
struct Entries {
    entries: serde_json::map::IntoIter,
    fields: &'static [&'static str],
    value: Option<Value>,
}

impl Entries {
    fn new(map: Map<String, Value>, fields: &'static [&'static str]) -> Self {
        Entries {
            entries: map.into_iter(),
            fields,
            value: None,
        }
    }

    fn field_name(&self, key: String) -> String {
        if self.fields.contains(&key.as_str()) {
            return key;
        }
        match self.fields.iter().find(|f| f.eq_ignore_ascii_case(&key)) {
            Some(field) => (*field).to_string(),
            None => key,
        }
    }
}

impl<'de> MapAccess<'de> for Entries {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key: de::value::StringDeserializer<serde_json::Error> =
                    self.field_name(key).into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let value = self.value.take().unwrap_or(Value::Null);
        seed.deserialize(CaseInsensitive(value))
    }
}

struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(CaseInsensitive(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

mod stream;

#[cfg(test)]
mod tests;
