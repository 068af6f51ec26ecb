//! Turning a [`Slice`] into Terraform files: `provider.tf`, `main.tf` (one resource per object, with
//! references between them), `imports.tf` (Terraform 1.5+ `import` blocks) and `import.sh`
//! (`terraform import` commands for older Terraform).
//!
//! Everything here is pure and deterministic: the same tenant gives byte-identical files, so a second
//! export diffs cleanly against the first. Resource names come from the objects themselves (policy
//! `Seattle` -> `seattle`, account `aa-seattle@...` -> `aa_seattle`; a policy's assignment set takes
//! the policy's name, a group assignment `<policy>_<first block of the group id>`), made unique in a
//! stable order.
//! Each attribute written is one the resource's import reads back the same way, so that after
//! importing, `terraform plan` shows no changes. Call queues are written by [`call_queue`] (with
//! their `overflow` and `timeout` blocks), and associations with them reference them.

use std::collections::{BTreeMap, BTreeSet};

mod association;
mod auto_attendant;
mod call_queue;
mod emergency;

use super::read::{Account, Slice};
use crate::client::api::numbers::NumberAssignment;
use crate::client::api::policy_assignment::GroupPolicyAssignment;
use crate::domain::accounts::account_type_of;
use crate::domain::directory::sorted_users;
use crate::domain::numbers::tf_number_type;
use crate::domain::policies::bare_name;
use crate::provider::registry;
use teamsphone_contract::SHARED_CALLING_POLICY_TYPE;

// Type names come from the one registry, so export writes exactly what the provider serves.
const POLICY: &str = registry::SHARED_CALLING_POLICY;
const ACCOUNT: &str = registry::RESOURCE_ACCOUNT;
const NUMBER: &str = registry::PHONE_NUMBER_ASSIGNMENT;
const SET: &str = registry::POLICY_ASSIGNMENT_SET;
const GROUP: &str = registry::GROUP_POLICY_ASSIGNMENT;

/// The generated files, by file name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Files {
    pub files: BTreeMap<&'static str, String>,
    /// What was written, e.g. "2 shared calling policies".
    pub summary: Vec<String>,
    /// What was left out and why.
    pub warnings: Vec<String>,
}

/// One resource to write: its address parts, its body and its import id.
struct Block {
    kind: &'static str,
    name: String,
    comment: Option<String>,
    attributes: Vec<(&'static str, Expr)>,
    import_id: String,
}

enum Expr {
    Text(String),
    Reference(String),
    TextList(Vec<String>),
    Number(i64),
    Bool(bool),
    Null,
    /// A list of objects, one per line: `{ key = value, ... }`.
    Objects(Vec<Vec<(&'static str, Expr)>>),
    /// Nested blocks of this name, one per body (rendered by [`render_body`], not as a value).
    Blocks(Vec<Vec<(&'static str, Expr)>>),
}

impl Expr {
    fn render(&self) -> String {
        match self {
            Expr::Text(t) => quote(t),
            Expr::Reference(r) => r.clone(),
            Expr::Number(n) => n.to_string(),
            Expr::Bool(b) => b.to_string(),
            Expr::Null => "null".into(),
            Expr::TextList(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| quote(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Expr::Blocks(_) => String::new(),
            Expr::Objects(objects) => {
                let mut out = String::from("[\n");
                for fields in objects {
                    let fields: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| format!("{k} = {}", v.render()))
                        .collect();
                    out.push_str(&format!("    {{ {} }},\n", fields.join(", ")));
                }
                out.push_str("  ]");
                out
            }
        }
    }
}

/// A quoted HCL string: escapes, and `${`/`%{` doubled so nothing is interpolated.
pub fn quote(value: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Terraform identifier from free text: lower case, `_` for anything else, never leading digit.
pub fn identifier(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_matches('_');
    match trimmed.chars().next() {
        None => fallback.to_string(),
        Some(c) if c.is_ascii_digit() => format!("{fallback}_{trimmed}"),
        Some(_) => trimmed.to_string(),
    }
}

/// Names unique within one resource type, first come first served, then `_2`, `_3`...
#[derive(Default)]
struct Names(BTreeSet<(&'static str, String)>);

impl Names {
    fn claim(&mut self, kind: &'static str, wanted: String) -> String {
        let mut name = wanted.clone();
        let mut n = 1;
        while !self.0.insert((kind, name.clone())) {
            n += 1;
            name = format!("{wanted}_{n}");
        }
        name
    }
}

fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

fn account_block(account: &Account, name: String, warnings: &mut Vec<String>) -> Option<Block> {
    let user = &account.user;
    let application_id = account.instance.application_id.as_deref().unwrap_or("");
    let Some(account_type) = account_type_of(application_id) else {
        warnings.push(format!(
            "{} has application id {application_id:?}, neither Auto Attendant nor Call Queue; left out",
            user.user_principal_name
        ));
        return None;
    };
    let mut attributes = vec![
        (
            "user_principal_name",
            Expr::Text(user.user_principal_name.clone()),
        ),
        (
            "display_name",
            Expr::Text(
                user.display_name
                    .clone()
                    .unwrap_or_else(|| user.user_principal_name.clone()),
            ),
        ),
        ("account_type", Expr::Text(account_type.to_string())),
    ];
    let location = user.usage_location.clone().filter(|l| !l.is_empty());
    if let Some(location) = &location {
        attributes.push(("usage_location", Expr::Text(location.clone())));
    }
    let licenses: Vec<&str> = user
        .assigned_licenses
        .iter()
        .map(|l| l.sku_id.as_str())
        .collect();
    // Import adopts a license only when it is the account's only one (and needs a usage location).
    let mut comment = None;
    match licenses.as_slice() {
        [one] if location.is_some() => {
            attributes.push(("license_sku_id", Expr::Text(one.to_string())));
        }
        [] => {}
        many => {
            comment = Some(format!(
                "Licenses not managed here (the resource manages one): {}",
                many.join(", ")
            ))
        }
    }
    Some(Block {
        kind: ACCOUNT,
        name,
        comment,
        attributes,
        import_id: user.id.clone(),
    })
}

fn number_block(
    number: &NumberAssignment,
    name: String,
    account_ref: &str,
    warnings: &mut Vec<String>,
) -> Option<Block> {
    let api_type = number.number_type.as_deref().unwrap_or("");
    let Some(number_type) = tf_number_type(api_type) else {
        warnings.push(format!(
            "{} has number type {api_type:?}, which the provider does not manage; left out",
            number.telephone_number
        ));
        return None;
    };
    let mut attributes = vec![
        (
            "telephone_number",
            Expr::Text(number.telephone_number.clone()),
        ),
        ("target_id", Expr::Reference(format!("{account_ref}.id"))),
        ("number_type", Expr::Text(number_type.to_string())),
    ];
    match number.assignment_category.as_deref() {
        None | Some("") | Some("primary") => {}
        Some(other) => attributes.push(("assignment_category", Expr::Text(other.to_string()))),
    }
    if let Some(location) = number.location_id.as_deref().filter(|l| !l.is_empty()) {
        attributes.push(("location_id", Expr::Text(location.to_string())));
    }
    Some(Block {
        kind: NUMBER,
        name,
        comment: None,
        attributes,
        import_id: number.telephone_number.clone(),
    })
}

fn render_block(block: &Block) -> String {
    let mut out = String::new();
    if let Some(comment) = &block.comment {
        out.push_str(&format!("# {comment}\n"));
    }
    out.push_str(&format!(
        "resource \"{}\" \"{}\" {{\n",
        block.kind, block.name
    ));
    render_body(&block.attributes, 1, &mut out);
    out.push_str("}\n");
    out
}

/// Attributes aligned at their `=`, nested blocks as `key { .. }`, indented two spaces a level.
fn render_body(attributes: &[(&'static str, Expr)], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let width = attributes
        .iter()
        .filter(|(_, v)| !matches!(v, Expr::Blocks(_)))
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0);
    for (key, value) in attributes {
        match value {
            Expr::Blocks(bodies) => {
                for body in bodies {
                    out.push_str(&format!("{pad}{key} {{\n"));
                    render_body(body, depth + 1, out);
                    out.push_str(&format!("{pad}}}\n"));
                }
            }
            value => out.push_str(&format!("{pad}{key:<width$} = {}\n", value.render())),
        }
    }
}

/// The policy grants: per exported policy (in policy order), its direct user grants collapsed into
/// one `teamsphone_policy_assignment_set`, then its group assignments by rank (then group id). Both
/// reference `teamsphone_shared_calling_policy.<name>.name`, so Terraform orders them after the
/// policy. `policy_names` maps each written policy's identity to its resource name; grants of a
/// policy left out are left out with it. `policy_type` stays unwritten: its default is the shared
/// calling type, and import reads the same value back.
fn grant_blocks(
    slice: &Slice,
    policy_names: &BTreeMap<String, String>,
    names: &mut Names,
) -> Vec<Block> {
    let mut blocks = Vec::new();
    for policy in &slice.policies {
        let Some(policy_name) = policy_names.get(&policy.identity) else {
            continue;
        };
        let bare = bare_name(&policy.identity);
        let key = bare.to_ascii_lowercase();
        let policy_ref = || Expr::Reference(format!("{POLICY}.{policy_name}.name"));
        // No set for a policy nobody holds directly: an empty set would import as nothing anyway.
        if let Some(holders) = slice.direct_grants.get(&key).filter(|h| !h.is_empty()) {
            // The order import records, so the imported list equals the written one.
            let users = sorted_users(holders.clone());
            blocks.push(Block {
                kind: SET,
                name: names.claim(SET, policy_name.clone()),
                comment: None,
                attributes: vec![
                    ("policy_name", policy_ref()),
                    ("user_ids", Expr::TextList(users)),
                ],
                import_id: format!("{SHARED_CALLING_POLICY_TYPE}/{bare}"),
            });
        }
        let mut groups: Vec<&GroupPolicyAssignment> = slice
            .group_assignments
            .iter()
            .filter(|g| bare_name(&g.policy_name).eq_ignore_ascii_case(bare))
            .collect();
        groups.sort_by_key(|g| (g.rank, g.group_id.to_ascii_lowercase()));
        for group in groups {
            let head = group.group_id.split('-').next().unwrap_or_default();
            let wanted = identifier(&format!("{policy_name}_{head}"), policy_name);
            blocks.push(Block {
                kind: GROUP,
                name: names.claim(GROUP, wanted),
                comment: None,
                attributes: vec![
                    ("group_id", Expr::Text(group.group_id.clone())),
                    ("policy_name", policy_ref()),
                    ("rank", Expr::Number(i64::from(group.rank))),
                ],
                import_id: format!(
                    "{}/{SHARED_CALLING_POLICY_TYPE}",
                    group.group_id.to_ascii_lowercase()
                ),
            });
        }
    }
    blocks
}

/// Every file `export` writes for `slice`, read from `tenant_id`.
pub fn render(slice: &Slice, tenant_id: &str) -> Files {
    let mut warnings = slice.warnings.clone();
    let mut names = Names::default();
    let mut blocks: Vec<Block> = Vec::new();
    // Accounts first (in user principal name order), then their numbers and associations, then
    // the policies.
    let mut accounts: Vec<(&String, &Account)> = slice.accounts.iter().collect();
    accounts.sort_by(|a, b| {
        a.1.user
            .user_principal_name
            .to_ascii_lowercase()
            .cmp(&b.1.user.user_principal_name.to_ascii_lowercase())
    });
    // Auto attendants are named first, so associations can reference the ones written.
    let aa_blocks = auto_attendant::blocks(&slice.auto_attendants, &mut names, &mut warnings);
    let configurations: BTreeMap<String, String> = aa_blocks
        .iter()
        .map(|b| {
            (
                b.import_id.to_ascii_lowercase(),
                format!("{}.{}", b.kind, b.name),
            )
        })
        .collect();
    let mut account_refs: BTreeMap<String, String> = BTreeMap::new();
    let mut number_blocks = Vec::new();
    let mut association_blocks = Vec::new();
    for (id, account) in accounts {
        let local = account
            .user
            .user_principal_name
            .split('@')
            .next()
            .unwrap_or_default();
        let name = names.claim(ACCOUNT, identifier(local, "account"));
        let Some(block) = account_block(account, name.clone(), &mut warnings) else {
            continue;
        };
        let reference = format!("{ACCOUNT}.{name}");
        let mut numbers: Vec<&NumberAssignment> = account.numbers.iter().collect();
        numbers.sort_by(|a, b| a.telephone_number.cmp(&b.telephone_number));
        for number in &numbers {
            let wanted = if numbers.len() == 1 {
                name.clone()
            } else {
                let digits: String = number
                    .telephone_number
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect();
                format!("{name}_{digits}")
            };
            let number_name = names.claim(NUMBER, wanted);
            number_blocks.extend(number_block(number, number_name, &reference, &mut warnings));
        }
        if let Some(found) = &account.association {
            association_blocks.extend(association::block(
                found,
                &account.user.id,
                &name,
                &reference,
                &configurations,
                &mut warnings,
            ));
        }
        account_refs.insert(id.clone(), reference);
        blocks.push(block);
    }
    let account_count = blocks.len();
    let number_count = number_blocks.len();
    let association_count = association_blocks.len();
    let (queue_blocks, queues) = call_queue::blocks(&slice.call_queues, &mut names, &mut warnings);
    let queue_count = queue_blocks.len();
    call_queue::references(&mut association_blocks, &queues);
    blocks.extend(number_blocks);
    blocks.extend(queue_blocks);
    blocks.extend(association_blocks);
    let mut policy_names = BTreeMap::new();
    let mut policy_count = 0;
    for policy in &slice.policies {
        let bare = bare_name(&policy.identity);
        let Some(account_id) = policy.resource_account.as_deref().filter(|a| !a.is_empty()) else {
            warnings.push(format!(
                "policy {bare} has no resource account, which the provider requires; left out"
            ));
            continue;
        };
        let name = names.claim(POLICY, identifier(bare, "policy"));
        policy_names.insert(policy.identity.clone(), name.clone());
        let mut attributes = vec![("name", Expr::Text(bare.to_string()))];
        if let Some(description) = policy.description.as_deref().filter(|d| !d.is_empty()) {
            attributes.push(("description", Expr::Text(description.to_string())));
        }
        let account = match account_refs.get(&account_id.to_ascii_lowercase()) {
            Some(reference) => Expr::Reference(format!("{reference}.id")),
            None => Expr::Text(account_id.to_string()),
        };
        attributes.push(("resource_account_id", account));
        if !policy.emergency_numbers.is_empty() {
            let mut numbers = policy.emergency_numbers.clone();
            numbers.sort();
            attributes.push(("emergency_numbers", Expr::TextList(numbers)));
        }
        blocks.push(Block {
            kind: POLICY,
            name,
            comment: None,
            attributes,
            import_id: bare.to_string(),
        });
        policy_count += 1;
    }
    let aa_count = aa_blocks.len();
    blocks.extend(aa_blocks);
    let emergency_blocks = emergency::blocks(&slice.emergency_policies, &mut names);
    let emergency_count = emergency_blocks.len();
    blocks.extend(emergency_blocks);
    let grants = grant_blocks(slice, &policy_names, &mut names);
    let set_count = grants.iter().filter(|b| b.kind == SET).count();
    let group_count = grants.len() - set_count;
    blocks.extend(grants);

    let header = format!(
        "# Generated by `terraform-provider-teamsphone export` from tenant {tenant_id}.\n# Review, rename and move freely; then adopt with imports.tf (Terraform 1.5+) or import.sh.\n"
    );
    let main = std::iter::once(header.clone())
        .chain(blocks.iter().map(render_block))
        .collect::<Vec<_>>()
        .join("\n");
    let imports = std::iter::once(format!(
        "{header}# Terraform older than 1.5 does not know import blocks: delete this file and run import.sh.\n"
    ))
    .chain(blocks.iter().map(|b| {
        format!(
            "import {{\n  to = {}.{}\n  id = {}\n}}\n",
            b.kind,
            b.name,
            quote(&b.import_id)
        )
    }))
    .collect::<Vec<_>>()
    .join("\n");
    let mut script = format!(
        "#!/bin/sh\n# Generated by `terraform-provider-teamsphone export` from tenant {tenant_id}.\n# Imports every exported object into the current state with `terraform import`, for Terraform\n# older than 1.5 (delete imports.tf first there). Set TERRAFORM to use another binary.\nset -eu\nTERRAFORM=\"${{TERRAFORM:-terraform}}\"\n"
    );
    for b in &blocks {
        script.push_str(&format!(
            "\"$TERRAFORM\" import {} {}\n",
            shell_quote(&format!("{}.{}", b.kind, b.name)),
            shell_quote(&b.import_id)
        ));
    }
    let provider = "terraform {\n  required_providers {\n    teamsphone = { source = \"teamsphone/teamsphone\" }\n  }\n}\n\n# Settings come from TEAMSPHONE_* / ARM_* environment variables, as for the export itself.\nprovider \"teamsphone\" {}\n".to_string();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    Files {
        files: BTreeMap::from([
            ("provider.tf", provider),
            ("main.tf", main),
            ("imports.tf", imports),
            ("import.sh", script),
        ]),
        summary: vec![
            plural(
                policy_count,
                "shared calling policy",
                "shared calling policies",
            ),
            plural(account_count, "resource account", "resource accounts"),
            plural(
                number_count,
                "phone number assignment",
                "phone number assignments",
            ),
            plural(set_count, "policy assignment set", "policy assignment sets"),
            plural(
                group_count,
                "group policy assignment",
                "group policy assignments",
            ),
            plural(
                emergency_count,
                "emergency call routing policy",
                "emergency call routing policies",
            ),
            plural(
                association_count,
                "resource account association",
                "resource account associations",
            ),
            plural(aa_count, "auto attendant", "auto attendants"),
            plural(queue_count, "call queue", "call queues"),
        ],
        warnings,
    }
}

#[cfg(test)]
mod tests;
