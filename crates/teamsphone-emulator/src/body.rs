//! Request bodies: the one place a body is read as JSON (and, for most routes, as an object), with
//! the messages every write route answers for a body that is not JSON or not an object, and the
//! words a refusal uses for a property of the wrong JSON type.

use serde_json::{Map, Value};

/// The body as JSON, or the 400 message saying it is not JSON.
pub fn json_value(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| format!("The request body is not valid JSON: {e}"))
}

/// The body as a JSON object, or the 400 message saying why it is not one.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match json_value(body)? {
        Value::Object(map) => Ok(map),
        other => Err(format!(
            "The request body must be a JSON object, not {}",
            kind(&other)
        )),
    }
}

/// What a JSON value is, as a refusal names it ("a number").
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Property `name` as a string, or the refusal naming what it is instead.
pub fn string_prop(name: &str, v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(format!("{name} must be a string, not {}", kind(other))),
    }
}
