//! Answer shapes: the other ways the real services spell the same answer (contract section 7).
//!
//! The emulator's handlers answer in one canonical shape: Graph entities as the bare object, Teams
//! entities as a PascalCase object. Public evidence shows the live services also answer Graph single
//! entities wrapped as `{"value":{..}}`, Teams single answers as one-element arrays, Teams writes
//! with no body, creates without the new object's id and camelCase field names, and that Graph may
//! refuse a policy type in `userAssignments/assign`. A client tested only against the canonical shape
//! would meet those first on a customer's tenant, so each is a knob here ([`AnswerShapes`], in the
//! seed's `settings.answer_shapes` or at run time through `PATCH /_emulator/settings`).
//!
//! The knobs act after the handler, in the front door, so no handler has to know them: a handler
//! marks an answer that is one entity ([`entity`]), and [`reshape`] rewrites marked answers (and,
//! for field names, every Teams answer). Only 2xx JSON answers are touched; errors keep their shape.

use axum::body::{to_bytes, Body};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::frontdoor::Service;

/// Most bytes of one answer the reshaping reads; the emulator's own answers are far smaller.
const MAX_RESHAPED: usize = 64 * 1024 * 1024;

/// Which of the live services' other answer shapes the emulator uses; all off is the canonical shape.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerShapes {
    /// Graph single entities come as `{"value":{..}}` (as Graph's docs show for
    /// `userConfigurations/{id}` and `operations/{id}`).
    #[serde(default)]
    pub graph_wrapped_entities: bool,
    /// Teams single answers come as a one-element array.
    #[serde(default)]
    pub teams_entity_arrays: bool,
    /// Teams writes (POST, PUT, PATCH) answer 2xx with no body.
    #[serde(default)]
    pub teams_empty_writes: bool,
    /// Creates answer without the new object's `ObjectId`.
    #[serde(default)]
    pub create_without_object_id: bool,
    /// Teams field names come in camelCase instead of PascalCase.
    #[serde(default)]
    pub teams_camel_case: bool,
    /// Policy types Graph's `userAssignments/assign` and `unassign` refuse as unsupported, so
    /// clients must grant them through the Teams per-user route.
    #[serde(default)]
    pub graph_refused_policy_types: Vec<String>,
}

impl AnswerShapes {
    /// Every knob on, with `refused` as Graph's refused policy type.
    pub fn all(refused: &str) -> AnswerShapes {
        AnswerShapes {
            graph_wrapped_entities: true,
            teams_entity_arrays: true,
            teams_empty_writes: true,
            create_without_object_id: true,
            teams_camel_case: true,
            graph_refused_policy_types: vec![refused.to_string()],
        }
    }

    fn reshapes_answers(&self) -> bool {
        self.graph_wrapped_entities
            || self.teams_entity_arrays
            || self.teams_empty_writes
            || self.create_without_object_id
            || self.teams_camel_case
    }

    /// Whether Graph refuses `policy_type` in `userAssignments` (compared case-insensitively).
    pub fn graph_refuses(&self, policy_type: &str) -> bool {
        self.graph_refused_policy_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(policy_type))
    }
}

/// Marks an answer as one entity (not a list or a page), which the entity knobs rewrite.
#[derive(Clone, Copy, Debug)]
pub struct Entity;

/// A JSON answer holding one entity.
pub fn entity(status: StatusCode, value: impl Serialize) -> Response {
    let mut response = (status, axum::Json(value)).into_response();
    response.extensions_mut().insert(Entity);
    response
}

/// Rewrites a handler's answer per `shapes`; answers it does not apply to pass unchanged.
pub async fn reshape(
    response: Response,
    service: Service,
    method: &Method,
    shapes: &AnswerShapes,
) -> Response {
    if !shapes.reshapes_answers()
        || !response.status().is_success()
        || !matches!(service, Service::Teams | Service::Graph)
    {
        return response;
    }
    let is_entity = response.extensions().get::<Entity>().is_some();
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_RESHAPED).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "answer too large to reshape",
        )
            .into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let write = matches!(*method, Method::POST | Method::PUT | Method::PATCH);
    if is_entity && *method == Method::POST && shapes.create_without_object_id {
        if let Value::Object(map) = &mut value {
            map.retain(|k, _| !k.eq_ignore_ascii_case("objectId"));
        }
    }
    match service {
        Service::Teams => {
            if shapes.teams_camel_case {
                value = camel_case(value);
            }
            if is_entity && write && shapes.teams_empty_writes {
                parts.headers.remove(header::CONTENT_TYPE);
                parts.headers.remove(header::CONTENT_LENGTH);
                return Response::from_parts(parts, Body::empty());
            }
            if is_entity && shapes.teams_entity_arrays {
                value = Value::Array(vec![value]);
            }
        }
        _ => {
            if is_entity && shapes.graph_wrapped_entities {
                value = serde_json::json!({ "value": value });
            }
        }
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::to_vec(&value).unwrap_or_default();
    Response::from_parts(parts, Body::from(body))
}

/// Field names with their first letter in lower case, at every depth.
fn camel_case(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let key = match chars.next() {
                        Some(first) => first.to_lowercase().chain(chars).collect(),
                        None => k,
                    };
                    (key, camel_case(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_case).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    async fn body_of(response: Response) -> (StatusCode, Vec<u8>) {
        let status = response.status();
        (
            status,
            to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap()
                .to_vec(),
        )
    }

    fn shapes(f: impl FnOnce(&mut AnswerShapes)) -> AnswerShapes {
        let mut s = AnswerShapes::default();
        f(&mut s);
        s
    }

    #[tokio::test]
    async fn graph_entities_are_wrapped_and_lists_are_not() {
        let s = shapes(|s| s.graph_wrapped_entities = true);
        let one = entity(StatusCode::OK, json!({"id": "a"}));
        let (_, body) = body_of(reshape(one, Service::Graph, &Method::GET, &s).await).await;
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap(),
            json!({"value": {"id": "a"}})
        );
        let list = axum::Json(json!({"value": [{"id": "a"}]})).into_response();
        let (_, body) = body_of(reshape(list, Service::Graph, &Method::GET, &s).await).await;
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap(),
            json!({"value": [{"id": "a"}]})
        );
    }

    #[tokio::test]
    async fn teams_entities_become_arrays_in_camel_case_and_writes_lose_their_body() {
        let s = shapes(|s| {
            s.teams_entity_arrays = true;
            s.teams_camel_case = true;
        });
        let one = entity(
            StatusCode::OK,
            json!({"Identity": "Tag:A", "Inner": {"ObjectId": "x"}}),
        );
        let (_, body) = body_of(reshape(one, Service::Teams, &Method::GET, &s).await).await;
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap(),
            json!([{"identity": "Tag:A", "inner": {"objectId": "x"}}])
        );
        let s = shapes(|s| s.teams_empty_writes = true);
        let created = entity(StatusCode::CREATED, json!({"Identity": "Tag:A"}));
        let (status, body) =
            body_of(reshape(created, Service::Teams, &Method::POST, &s).await).await;
        assert_eq!((status, body.len()), (StatusCode::CREATED, 0));
        let read = entity(StatusCode::OK, json!({"Identity": "Tag:A"}));
        let (_, body) = body_of(reshape(read, Service::Teams, &Method::GET, &s).await).await;
        assert!(!body.is_empty(), "reads keep their body");
    }

    #[tokio::test]
    async fn creates_can_lose_the_object_id_and_errors_are_untouched() {
        let s = shapes(|s| s.create_without_object_id = true);
        let created = entity(StatusCode::OK, json!({"ObjectId": "x", "DisplayName": "d"}));
        let (_, body) = body_of(reshape(created, Service::Teams, &Method::POST, &s).await).await;
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap(),
            json!({"DisplayName": "d"})
        );
        let s = AnswerShapes::all("TeamsSharedCallingRoutingPolicy");
        let mut failed = (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"Message": "no"})),
        )
            .into_response();
        failed.extensions_mut().insert(Entity);
        let (status, body) =
            body_of(reshape(failed, Service::Teams, &Method::POST, &s).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap(),
            json!({"Message": "no"})
        );
        assert!(s.graph_refuses("teamssharedcallingroutingpolicy"));
    }
}
