//! Request bodies: the one place a JSON body becomes an object, with the messages every write
//! route answers for a body that is not JSON or not an object.

use serde_json::{Map, Value};

/// The body as a JSON object, or the 400 message saying why it is not one.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("The request body must be a JSON object".to_string()),
        Err(e) => Err(format!("The request body is not valid JSON: {e}")),
    }
}
