//! The error shapes every resource and data source reports, written once so they read alike.
//!
//! A failed call reads like the AWS provider's: summary `Error creating shared calling policy
//! (Seattle)`, detail `creating shared calling policy (Seattle): <status> <code>: <message> (request
//! id ...)`. An error about one attribute carries that attribute's path, so Terraform points at the
//! line in the configuration. Long lists of names are cut after [`NAMES_SHOWN`], so an error about
//! 10,000 users stays readable.

use tf_provider::{AttributePath, Diagnostics};

use crate::client::ApiError;

/// How many names an error lists before it says "and N more".
pub const NAMES_SHOWN: usize = 20;

/// Reports a failed API call the way every resource does: `<action> <what> (<name>): <error>`.
pub fn api_error(diags: &mut Diagnostics, action: &str, what: &str, name: &str, error: &ApiError) {
    diags.root_error(
        format!("Error {action} {what} ({name})"),
        format!("{action} {what} ({name}): {error}"),
    );
}

/// A failed call becomes [`api_error`] and `None`, so a call site reads
/// `client.get_mg_user(id).await.or_report(diags, "reading", WHAT, &name)?`.
pub trait Reported<T> {
    fn or_report(self, diags: &mut Diagnostics, action: &str, what: &str, name: &str) -> Option<T>;
}

impl<T> Reported<T> for Result<T, ApiError> {
    fn or_report(self, diags: &mut Diagnostics, action: &str, what: &str, name: &str) -> Option<T> {
        self.map_err(|e| api_error(diags, action, what, name, &e))
            .ok()
    }
}

/// Reports a plan-time problem with the value of attribute `path`.
pub fn invalid_attribute(diags: &mut Diagnostics, path: &str, problem: impl Into<String>) {
    diags.error(
        format!("Invalid {path}"),
        problem.into(),
        AttributePath::new(path.to_string()),
    );
}

/// Reports an import id of the wrong shape; `detail` says which shape is expected.
pub fn invalid_import_id(diags: &mut Diagnostics, detail: impl Into<String>) {
    diags.root_error("Invalid import id", detail.into());
}

/// Reports an import id of the right shape that names nothing importable.
pub fn cannot_import(diags: &mut Diagnostics, what: &str, id: &str, detail: impl Into<String>) {
    diags.root_error(format!("Cannot import {what} ({id})"), detail.into());
}

/// "a, b, c and 7 more".
pub fn name_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_SHOWN).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if names.len() > NAMES_SHOWN {
        text.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_cut() {
        let names: Vec<String> = (0..25).map(|i| i.to_string()).collect();
        assert!(name_list(&names).ends_with("and 5 more"));
        assert_eq!(name_list(&names[..2]), "0, 1");
    }
}
