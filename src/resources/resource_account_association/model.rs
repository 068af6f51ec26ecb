//! The Terraform model of an association and its conversions to and from the API's, pure and
//! tested without a server. Ids compare case-insensitively and keep the prior spelling.

use serde::{Deserialize, Serialize};
use tf_provider::value::{self, Value, ValueNumber, ValueString};

use crate::client::api::voice_apps::{Association, ConfigurationType};
use crate::framework::equality::Equality;
use crate::framework::timeouts::TimeoutsBlock;
use crate::framework::values::owned;
use teamsphone_contract::{CALL_PRIORITY_DEFAULT, CALL_PRIORITY_MAX};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Model<'a> {
    pub id: ValueString<'a>,
    pub resource_account_id: ValueString<'a>,
    pub configuration_id: ValueString<'a>,
    pub configuration_type: ValueString<'a>,
    pub call_priority: ValueNumber,
    #[serde(with = "value::serde_as_vec")]
    pub timeouts: TimeoutsBlock<'a>,
}

/// The API's spelling of a `configuration_type`.
pub fn api_type(configuration_type: &str) -> Option<ConfigurationType> {
    match configuration_type {
        "auto_attendant" => Some(ConfigurationType::AutoAttendant),
        "call_queue" => Some(ConfigurationType::CallQueue),
        _ => None,
    }
}

/// The `configuration_type` for the API's spelling; an unknown kind shows as sent.
pub fn configuration_type_of(api: &str) -> String {
    match ConfigurationType::parse(api) {
        Some(ConfigurationType::AutoAttendant) => "auto_attendant".into(),
        Some(ConfigurationType::CallQueue) => "call_queue".into(),
        None => api.to_string(),
    }
}

/// A priority of 1 to 5, or the problem with it.
pub fn check_priority(priority: i64) -> Result<u8, String> {
    u8::try_from(priority)
        .ok()
        .filter(|p| (1..=CALL_PRIORITY_MAX).contains(p))
        .ok_or_else(|| {
            format!(
                "call_priority {priority} is out of range: 1 (answered first) to {CALL_PRIORITY_MAX}"
            )
        })
}

/// The state for what the API holds. The captured read carries no priority: then the prior one
/// stays (or, with none, the default), since nothing else can be known.
pub fn model_from_api<'a>(prior: &Model<'a>, endpoint: &str, found: &Association) -> Model<'a> {
    let same = Equality::CaseInsensitive;
    let call_priority = match found.call_priority {
        Some(p) => Value::Value(p),
        None if prior.call_priority.is_value() => prior.call_priority,
        None => Value::Value(i64::from(CALL_PRIORITY_DEFAULT)),
    };
    Model {
        id: same.keep(&prior.id, endpoint),
        resource_account_id: same.keep(&prior.resource_account_id, endpoint),
        configuration_id: same.keep(&prior.configuration_id, &found.configuration_id),
        configuration_type: owned(configuration_type_of(&found.configuration_type)),
        call_priority,
        timeouts: prior.timeouts.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(kind: &str, priority: Option<i64>) -> Association {
        Association {
            id: "E".into(),
            configuration_type: kind.into(),
            configuration_id: "AAAA".into(),
            call_priority: priority,
        }
    }

    #[test]
    fn reads_keep_spelling_and_the_priority_they_cannot_see() {
        let prior = Model {
            id: owned("e"),
            resource_account_id: owned("e"),
            configuration_id: owned("aaaa"),
            configuration_type: owned("auto_attendant"),
            call_priority: Value::Value(5),
            ..Default::default()
        };
        let read = model_from_api(&prior, "E", &found("autoattendant", None));
        assert_eq!(read, prior);
        let moved = model_from_api(&prior, "E", &found("CallQueue", Some(2)));
        assert_eq!(moved.configuration_type, owned("call_queue"));
        assert_eq!(moved.call_priority, Value::Value(2));
        let imported = model_from_api(&Model::default(), "E", &found("Future", None));
        assert_eq!(imported.configuration_type, owned("Future"));
        assert_eq!(imported.call_priority, Value::Value(3));
        assert_eq!(imported.id, owned("E"));
    }

    #[test]
    fn priorities_and_types() {
        assert_eq!(check_priority(1), Ok(1));
        assert_eq!(check_priority(5), Ok(5));
        for bad in [0, 6, -1, i64::MAX] {
            assert!(check_priority(bad).unwrap_err().contains("out of range"));
        }
        assert_eq!(api_type("call_queue"), Some(ConfigurationType::CallQueue));
        assert_eq!(api_type("queue"), None);
    }
}
