//! Data source `teamsphone_phone_numbers`: the tenant's telephone number inventory, optionally
//! narrowed by type, assignment status and country.
//!
//! The filters travel to Graph as one `$filter` (so a tenant with thousands of numbers answers only
//! the matching ones) and the client follows every `@odata.nextLink` page. The result is a plain list
//! of objects rather than nested attributes, because Terraform 1.0.3 (the oldest client we test)
//! handles object lists everywhere. Number types use the provider's spelling (`direct_routing`), as
//! `teamsphone_phone_number_assignment` does; statuses and states keep Graph's, because Microsoft adds
//! values and an unknown one is shown as it comes rather than failing the read.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueList, ValueString};
use tf_provider::Diagnostics;

use crate::client::api::numbers::{NumberAssignment, NumberFilter};
use crate::client::Client;
use crate::domain::numbers::{api_number_type, tf_number_type, validate_number_type};
use crate::framework::attributes::{computed, object_of, optional_string, schema_of, string_list};
use crate::framework::data_source::ManagedDataSource;
use crate::framework::diagnostics::api_error;
use crate::framework::validators::{check_known, one_of};
use crate::framework::values::non_empty as text;

/// Graph's `assignmentStatus` values known today (contract section 3).
pub const ASSIGNMENT_STATUSES: [&str; 6] = [
    "unassigned",
    "userAssigned",
    "conferenceAssigned",
    "voiceApplicationAssigned",
    "thirdPartyAppAssigned",
    "policyAssigned",
];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneNumbersData<'a> {
    pub number_type: ValueString<'a>,
    pub assignment_status: ValueString<'a>,
    pub iso_country_code: ValueString<'a>,
    pub numbers: ValueList<Value<NumberEntry<'a>>>,
}

/// One number of the result; every field is always present (null when Graph has no value).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberEntry<'a> {
    pub telephone_number: ValueString<'a>,
    pub number_type: ValueString<'a>,
    pub assignment_status: ValueString<'a>,
    pub assignment_target_id: ValueString<'a>,
    pub activation_state: ValueString<'a>,
    pub iso_country_code: ValueString<'a>,
    pub city: ValueString<'a>,
    pub location_id: ValueString<'a>,
    pub capabilities: ValueList<ValueString<'a>>,
}

#[derive(Default)]
pub struct PhoneNumbersDataSource;

fn entry_type() -> AttributeType {
    object_of(
        &[
            "telephone_number",
            "number_type",
            "assignment_status",
            "assignment_target_id",
            "activation_state",
            "iso_country_code",
            "city",
            "location_id",
        ],
        [("capabilities", string_list())],
    )
}

fn schema() -> Schema {
    schema_of(
"Lists the tenant's telephone numbers (Graph `numberAssignments`, `Get-CsPhoneNumberAssignment`), optionally filtered. Every page of the inventory is read.",
[
                ("number_type", optional_string("Only numbers of this type: `direct_routing`, `calling_plan` or `operator_connect`.")),
                ("assignment_status", optional_string("Only numbers with this Graph `assignmentStatus`: `unassigned`, `userAssigned`, `conferenceAssigned`, `voiceApplicationAssigned`, `thirdPartyAppAssigned` or `policyAssigned` (an emergency number of a shared calling policy).")),
                ("iso_country_code", optional_string("Only numbers of this ISO 3166 alpha-2 country, e.g. `US`.")),
                (
                    "numbers",
                    computed(
                        AttributeType::List(Box::new(entry_type())),
                        "The matching numbers, in the order Graph lists them. Each has `telephone_number` (`+E.164`), `number_type` (`direct_routing`, `calling_plan`, `operator_connect`), `assignment_status` and `activation_state` (Graph's spelling; new values pass through), `assignment_target_id` (the user, resource account or policy holding it, or null), `iso_country_code`, `city`, `location_id` (emergency location, or null) and `capabilities` (list of strings, e.g. `firstPartyAppAssignment`).",
                    ),
                ),
            ],
)
}

fn iso_country(code: &str) -> Result<(), String> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "{code:?} is not an ISO 3166 alpha-2 country code; write two capital letters such as US or GB"
        ))
    }
}

/// The Graph filter for the data source's optional filters (already validated).
pub fn filter_of(config: &PhoneNumbersData<'_>) -> NumberFilter {
    let owned = |v: &ValueString<'_>| v.as_deref_option().map(str::to_string);
    NumberFilter {
        number_type: config
            .number_type
            .as_deref_option()
            .and_then(api_number_type)
            .map(str::to_string),
        assignment_status: owned(&config.assignment_status),
        iso_country_code: owned(&config.iso_country_code),
        assignment_target_id: None,
    }
}

/// One result entry for a number as Graph shows it.
pub fn entry_of<'a>(n: &NumberAssignment) -> NumberEntry<'a> {
    let number_type = n.number_type.as_deref();
    NumberEntry {
        telephone_number: text(Some(&n.telephone_number)),
        // An unknown future type shows in Graph's spelling rather than disappearing.
        number_type: text(number_type.and_then(tf_number_type).or(number_type)),
        assignment_status: text(n.assignment_status.as_deref()),
        assignment_target_id: text(n.assignment_target_id.as_deref()),
        activation_state: text(n.activation_state.as_deref()),
        iso_country_code: text(n.iso_country_code.as_deref()),
        city: text(n.city.as_deref()),
        location_id: text(n.location_id.as_deref()),
        capabilities: Value::Value(n.capabilities.iter().map(|c| text(Some(c))).collect()),
    }
}

#[async_trait]
impl ManagedDataSource for PhoneNumbersDataSource {
    type Model<'a> = PhoneNumbersData<'a>;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, diags: &mut Diagnostics, config: &PhoneNumbersData<'_>) {
        check_known(
            diags,
            "number_type",
            &config.number_type,
            validate_number_type,
        );
        check_known(
            diags,
            "assignment_status",
            &config.assignment_status,
            one_of(&ASSIGNMENT_STATUSES),
        );
        check_known(
            diags,
            "iso_country_code",
            &config.iso_country_code,
            iso_country,
        );
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        client: &Client,
        config: PhoneNumbersData<'a>,
    ) -> Option<PhoneNumbersData<'a>> {
        let filter = filter_of(&config);
        match client
            .list_cs_phone_number_assignments(&filter.odata())
            .await
        {
            Ok(found) => {
                let numbers = found.iter().map(|n| Value::Value(entry_of(n))).collect();
                Some(PhoneNumbersData {
                    numbers: Value::Value(numbers),
                    ..config
                })
            }
            Err(e) => {
                let what = match filter.odata() {
                    f if f.is_empty() => "all".to_string(),
                    f => f,
                };
                api_error(diags, "listing", "phone numbers", &what, &e);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_use_graph_spellings() {
        let config = PhoneNumbersData {
            number_type: Value::Value("calling_plan".into()),
            iso_country_code: Value::Value("GB".into()),
            ..Default::default()
        };
        assert_eq!(
            filter_of(&config).odata(),
            "numberType eq 'callingPlan' and isoCountryCode eq 'GB'"
        );
    }

    #[test]
    fn entries_translate_types_and_keep_unknown_values() {
        let n: NumberAssignment = serde_json::from_str(
            r#"{"telephoneNumber":"+12065550100","numberType":"operatorConnect","assignmentStatus":"unknownFutureValue","city":"","capabilities":["userAssignment"]}"#,
        )
        .unwrap();
        let e = entry_of(&n);
        assert_eq!(e.number_type.as_deref_option(), Some("operator_connect"));
        assert_eq!(
            e.assignment_status.as_deref_option(),
            Some("unknownFutureValue")
        );
        assert_eq!(e.city, Value::Null);
        assert_eq!(e.location_id, Value::Null);
        let future: NumberAssignment =
            serde_json::from_str(r#"{"telephoneNumber":"+1","numberType":"teamsNew"}"#).unwrap();
        assert_eq!(
            entry_of(&future).number_type.as_deref_option(),
            Some("teamsNew")
        );
    }
}
