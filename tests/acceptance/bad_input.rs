//! The bad-input table: every attribute of every resource and of the provider block, fed invalid values,
//! must fail at plan time with a diagnostic on that attribute, and values unknown at plan time must not.
//!
//! All rows go into one configuration (one resource or provider alias per row), because terraform
//! validates every block and reports every diagnostic in one run; each diagnostic is then matched to
//! its row by the resource address and the source line terraform quotes for the attribute.

use serde_json::json;

use crate::harness::{seed, Emulator, Workdir, CLIENT_ID, CLIENT_SECRET, TENANT_ID};

const GUID: &str = "3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01";

/// One row: the resource type, its valid attributes, the attribute to break, the bad value (HCL), and
/// a fragment the diagnostic must contain.
struct Row {
    resource: &'static str,
    valid: &'static [(&'static str, &'static str)],
    attribute: &'static str,
    bad: String,
    expect: &'static str,
}

const POLICY: &[(&str, &str)] = &[
    ("name", "\"Seattle\""),
    (
        "resource_account_id",
        "\"3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01\"",
    ),
];
const ACCOUNT: &[(&str, &str)] = &[
    ("user_principal_name", "\"aa@contoso.onmicrosoft.com\""),
    ("display_name", "\"Main line\""),
    ("account_type", "\"auto_attendant\""),
];
const CALLING_PLAN: &[(&str, &str)] = &[
    ("telephone_number", "\"+12065550140\""),
    ("target_id", "\"3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01\""),
    ("number_type", "\"calling_plan\""),
];
const USER_GRANT: &[(&str, &str)] = &[
    ("user_id", "\"ann@contoso.onmicrosoft.com\""),
    ("policy_name", "\"Seattle\""),
];
const SET: &[(&str, &str)] = &[
    ("policy_name", "\"Seattle\""),
    ("user_ids", "[\"ann@contoso.onmicrosoft.com\"]"),
];
const GROUP: &[(&str, &str)] = &[
    ("group_id", "\"dddddddd-0000-0000-0000-000000000001\""),
    ("policy_name", "\"Seattle\""),
];
const EMERGENCY: &[(&str, &str)] = &[("name", "\"Seattle-E911\"")];
const ASSOCIATION: &[(&str, &str)] = &[
    (
        "resource_account_id",
        "\"3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01\"",
    ),
    (
        "configuration_id",
        "\"a7a00000-5ea7-4e00-9000-000000000001\"",
    ),
    ("configuration_type", "\"auto_attendant\""),
];
/// A valid value that starts with `{` is a block (`default_call_flow { .. }`).
const AUTO_ATTENDANT: &[(&str, &str)] = &[
    ("name", "\"Reception\""),
    ("language_id", "\"en-US\""),
    ("time_zone_id", "\"Pacific Standard Time\""),
    ("default_call_flow", "{\n    action = \"disconnect\"\n  }"),
];
const QUEUE: &[(&str, &str)] = &[("name", "\"Front desk\"")];
const VOICE: &[(&str, &str)] = &[("user_ids", "[\"ann@contoso.onmicrosoft.com\"]")];
const ASSIGNMENT: &[(&str, &str)] = &[
    ("telephone_number", "\"+12065550140\""),
    ("target_id", "\"3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01\""),
    ("number_type", "\"direct_routing\""),
];

fn row(
    resource: &'static str,
    valid: &'static [(&'static str, &'static str)],
    attribute: &'static str,
    bad: impl Into<String>,
    expect: &'static str,
) -> Row {
    Row {
        resource,
        valid,
        attribute,
        bad: bad.into(),
        expect,
    }
}

fn rows() -> Vec<Row> {
    let p = "teamsphone_shared_calling_policy";
    let a = "teamsphone_resource_account";
    let n = "teamsphone_phone_number_assignment";
    let u = "teamsphone_user_policy_assignment";
    let set = "teamsphone_policy_assignment_set";
    let g = "teamsphone_group_policy_assignment";
    let v = "teamsphone_enterprise_voice_users";
    let e = "teamsphone_emergency_call_routing_policy";
    let number = |dial: &str, masks: &str, usage: &str| {
        format!("{{ dial_string = {dial:?}, dial_masks = [{masks}], pstn_usage = {usage} }}")
    };
    let aa = "teamsphone_resource_account_association";
    let att = "teamsphone_auto_attendant";
    let q = "teamsphone_call_queue";
    let mut rows = auto_attendant_rows(att);
    rows.extend(vec![
        row(e, EMERGENCY, "name", "\"Tag:Seattle-E911\"", "bare name"),
        row(e, EMERGENCY, "name", "\"Global\"", "built-in"),
        row(
            e,
            EMERGENCY,
            "description",
            format!("\"{}\"", "d".repeat(1025)),
            "longer than 1024",
        ),
        row(
            e,
            EMERGENCY,
            "emergency_numbers",
            format!("[{}]", number("9-1-1", "", "null")),
            "emergency_numbers[0] (dial string \"9-1-1\"): dial string \"9-1-1\" must be 1 to 10 digits",
        ),
        row(
            e,
            EMERGENCY,
            "emergency_numbers",
            format!(
                "[{}, {}]",
                number("911", "", "null"),
                number("999", "\"12345678901\"", "null")
            ),
            "emergency_numbers[1] (dial string \"999\"): dial mask \"12345678901\"",
        ),
        row(
            e,
            EMERGENCY,
            "emergency_numbers",
            format!(
                "[{}, {}]",
                number("911", "\"933\"", "null"),
                number("999", "\"933\"", "null")
            ),
            "\"933\" is used twice",
        ),
        row(
            e,
            EMERGENCY,
            "emergency_numbers",
            format!("[{}]", number("911", "", "\"\"")),
            "pstn_usage must not be empty",
        ),
        row(p, POLICY, "name", "\"Tag:Seattle\"", "bare name"),
        row(p, POLICY, "name", "\"\"", "empty"),
        row(p, POLICY, "name", "\"Global\"", "built-in"),
        row(
            p,
            POLICY,
            "name",
            format!("\"{}\"", "x".repeat(65)),
            "at most 64",
        ),
        row(
            p,
            POLICY,
            "name",
            "\"Seattle\\u0007\"",
            "control characters",
        ),
        row(
            p,
            POLICY,
            "description",
            format!("\"{}\"", "d".repeat(1025)),
            "longer than 1024",
        ),
        row(
            p,
            POLICY,
            "resource_account_id",
            "\"not-a-guid\"",
            "not a GUID",
        ),
        row(
            p,
            POLICY,
            "resource_account_id",
            "\"{3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01}\"",
            "not a GUID",
        ),
        row(
            p,
            POLICY,
            "emergency_numbers",
            "[\"2065550100\"]",
            "must start with +",
        ),
        row(
            p,
            POLICY,
            "emergency_numbers",
            "[\"+１２０６５５５０１００\"]",
            "unexpected character",
        ),
        row(
            p,
            POLICY,
            "emergency_numbers",
            "[\"+12065550100\", \"+1 206 555 0100\"]",
            "same number",
        ),
        row(
            a,
            ACCOUNT,
            "user_principal_name",
            "\"not-an-upn\"",
            "name@domain",
        ),
        row(a, ACCOUNT, "display_name", "\"\"", "empty"),
        row(
            a,
            ACCOUNT,
            "account_type",
            "\"voicemail\"",
            "auto_attendant, call_queue",
        ),
        row(a, ACCOUNT, "usage_location", "\"usa\"", "ISO 3166"),
        row(a, ACCOUNT, "license_sku_id", "\"x\"", "not a GUID"),
        row(
            n,
            ASSIGNMENT,
            "telephone_number",
            "\"2065550140\"",
            "must start with +",
        ),
        row(
            n,
            ASSIGNMENT,
            "telephone_number",
            "\"+１２０６５５５０１４０\"",
            "unexpected character",
        ),
        row(n, ASSIGNMENT, "target_id", "\"x\"", "not a GUID"),
        row(n, ASSIGNMENT, "number_type", "\"sip\"", "direct_routing"),
        row(
            n,
            ASSIGNMENT,
            "assignment_category",
            "\"secondary\"",
            "primary",
        ),
        row(n, ASSIGNMENT, "location_id", "\"x\"", "not a GUID"),
        row(
            n,
            CALLING_PLAN,
            "telephone_number",
            "\"+12065550140;ext=12\"",
            "Direct Routing",
        ),
        row(
            a,
            ACCOUNT,
            "timeouts.create",
            "\"forever\"",
            "not a duration",
        ),
        row(
            n,
            ASSIGNMENT,
            "timeouts.delete",
            "\"10 minutes\"",
            "not a duration",
        ),
        row(u, USER_GRANT, "user_id", "\"ann\"", "neither an object id"),
        row(
            u,
            USER_GRANT,
            "policy_type",
            "\"Teams Emergency\"",
            "not a policy type",
        ),
        row(u, USER_GRANT, "policy_name", "\"Tag:Seattle\"", "bare name"),
        row(
            u,
            USER_GRANT,
            "policy_name",
            "\"Global\"",
            "remove the assignment",
        ),
        row(u, USER_GRANT, "policy_name", "\"\"", "empty"),
        row(
            set,
            SET,
            "user_ids",
            "[\"ann@contoso.onmicrosoft.com\", \"ANN@contoso.onmicrosoft.com\"]",
            "same user",
        ),
        row(
            set,
            SET,
            "user_ids",
            "[\"not a user\"]",
            "neither an object id",
        ),
        row(set, SET, "policy_type", "\"\"", "not a policy type"),
        row(set, SET, "max_unassign", "-1", "negative"),
        row(g, GROUP, "group_id", "\"sales\"", "GUID"),
        row(g, GROUP, "rank", "0", "out of range"),
        row(g, GROUP, "rank", "65", "out of range"),
        row(g, GROUP, "policy_name", "\"Tag:Seattle\"", "bare name"),
        row(v, VOICE, "user_ids", "[\"b@x\", \"B@X\"]", "same user"),
        row(v, VOICE, "user_ids", "[\"\"]", "neither an object id"),
        row(
            aa,
            ASSOCIATION,
            "resource_account_id",
            "\"aa@contoso.com\"",
            "not a GUID",
        ),
        row(
            aa,
            ASSOCIATION,
            "configuration_id",
            "\"Main menu\"",
            "not a GUID",
        ),
        row(
            aa,
            ASSOCIATION,
            "configuration_type",
            "\"AutoAttendant\"",
            "auto_attendant, call_queue",
        ),
        row(aa, ASSOCIATION, "call_priority", "0", "out of range"),
        row(aa, ASSOCIATION, "call_priority", "6", "out of range"),
        row(
            aa,
            ASSOCIATION,
            "timeouts.create",
            "\"soon\"",
            "not a duration",
        ),
        row(q, QUEUE, "name", format!("\"{}\"", "n".repeat(65)), "at most 64"),
        row(q, QUEUE, "routing_method", "\"random\"", "round_robin"),
        row(q, QUEUE, "agents", format!("[{}]", agents(21)), "21 agents"),
        row(q, QUEUE, "agents", "[\"ann@contoso.com\"]", "not an object id"),
        row(q, QUEUE, "distribution_lists", "[\"sales\"]", "not an object id"),
        row(q, QUEUE, "obo_resource_account_ids", "[\"x\"]", "not an object id"),
        row(q, QUEUE, "agent_alert_time", "14", "15 to 180"),
        row(q, QUEUE, "agent_alert_time", "181", "15 to 180"),
        row(q, QUEUE, "music_on_hold", "\"jazz\"", "neither \"default\""),
        row(q, QUEUE, "overflow.threshold", "201", "0 to 200"),
        row(q, QUEUE, "overflow.action", "\"busy\"", "shared_voicemail"),
        row(q, QUEUE, "overflow.action", "\"forward\"", "needs a target"),
        // A shared voicemail greeting needs the queue's language_id, which this row leaves out.
        row(
            q,
            QUEUE,
            "overflow.action",
            format!("\"shared_voicemail\"\n    target = \"{GUID}\""),
            "needs the queue's language_id",
        ),
        row(q, QUEUE, "timeout.seconds", "2715", "0 to 2700"),
        row(q, QUEUE, "timeout.seconds", "100", "not a multiple of 15"),
        row(
            q,
            QUEUE,
            "timeout.target",
            "\"+12065550100\"\n    action = \"forward\"",
            "without the tel: prefix",
        ),
        row(
            q,
            QUEUE,
            "timeout.target",
            "\"tel:+1206\"\n    action = \"forward\"",
            "not a valid telephone number",
        ),
        row(
            q,
            QUEUE,
            "timeout.target",
            format!("\"{GUID}\""),
            "takes no target",
        ),
    ]);
    rows
}

/// The auto attendant's rows; a bad value is often a whole block, built by the helpers here.
fn auto_attendant_rows(att: &'static str) -> Vec<Row> {
    let flow = |body: &str| format!("{{\n    {body}\n  }}");
    let menu = |options: &str| {
        flow(&format!(
            "action = \"menu\"\n    menu {{\n      prompt = \"Press 1\"\n      {options}\n    }}"
        ))
    };
    let option = |key: &str| {
        format!("options {{\n        key = \"{key}\"\n        action = \"disconnect\"\n      }}")
    };
    let holiday = |dates: &str| {
        format!(
            "{{\n    name = \"Christmas\"\n    {dates}\n    call_flow {{\n      action = \"disconnect\"\n    }}\n  }}"
        )
    };
    let range = |start: &str, end: &str| {
        format!("dates {{\n      start = \"{start}\"\n      end = \"{end}\"\n    }}")
    };
    let a = AUTO_ATTENDANT;
    let christmas = range("2026-12-25", "2026-12-26");
    vec![
        row(att, a, "name", "\"\"", "must not be empty"),
        row(att, a, "business_hours.monday", "[\"09:10-17:00\"]", "15-minute boundaries"),
        row(att, a, "business_hours.friday", "[\"09:00-12:00\", \"11:45-13:00\"]", "overlap"),
        row(att, a, "business_hours.sunday", "[\"17:00-09:00\"]", "end after it starts"),
        row(att, a, "business_hours.monday", "[\"09:00-17:00\"]", "needs an after_hours_call_flow"),
        row(att, a, "holidays.dates.start", holiday(&range("2026-12-25T00:15", "2026-12-26")), "30-minute boundaries"),
        row(att, a, "holidays.dates.end", holiday(&range("2026-12-25", "2026-12-24")), "must end after it starts"),
        row(att, a, "holidays.dates.start", holiday(&[christmas.as_str(); 11].join("\n    ")), "at most 10 date ranges, not 11"),
        row(att, a, "holidays.name", vec![holiday(&christmas); 21].join("\n  holidays "), "at most 20 holidays, not 21"),
        row(att, a, "default_call_flow.menu.options.key", menu(&format!("{}\n      {}", option("Tone1"), option("Tone1"))), "used twice"),
        row(att, a, "default_call_flow.menu.options.key", menu(&option("1")), "not a menu key"),
        row(att, a, "default_call_flow.action", flow("action = \"transfer\""), "needs a target block"),
        row(att, a, "default_call_flow.action", flow("action = \"hang up\""), "disconnect, transfer, menu"),
        row(att, a, "default_call_flow.target.id", flow("action = \"transfer\"\n    target {\n      type = \"external_pstn\"\n      id = \"+12065550100\"\n    }"), "tel:+E.164"),
        row(att, a, "default_call_flow.target.type", flow("action = \"transfer\"\n    target {\n      type = \"operator\"\n    }"), "needs the auto attendant's operator block"),
        row(att, a, "default_call_flow.target.type", flow("action = \"transfer\"\n    target {\n      type = \"User\"\n      id = \"x\"\n    }"), "not a call target type"),
        row(att, a, "operator.id", "{\n    type = \"user\"\n    id = \"ann\"\n  }", "not an object id"),
    ]
}

/// `n` distinct agent ids, as HCL list elements.
fn agents(n: usize) -> String {
    (0..n)
        .map(|i| format!("\"cccccccc-0000-0000-0000-0000000000{i:02}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn block(index: usize, row: &Row) -> String {
    let top = row.attribute.split('.').next().unwrap_or(row.attribute);
    let mut lines: Vec<String> = row
        .valid
        .iter()
        .filter(|(k, _)| *k != row.attribute && *k != top)
        .map(|(k, v)| match v.starts_with('{') {
            true => format!("  {k} {v}"),
            false => format!("  {k} = {v}"),
        })
        .collect();
    // A bad value that starts with `{` is the whole top-level block, for attributes nested deeper.
    match row.attribute.split_once('.') {
        Some((block, _)) if row.bad.starts_with('{') => {
            lines.push(format!("  {block} {}", row.bad))
        }
        Some((block, inner)) => {
            lines.push(format!("  {block} {{\n    {inner} = {}\n  }}", row.bad))
        }
        None if row.bad.starts_with('{') => lines.push(format!("  {} {}", row.attribute, row.bad)),
        None => lines.push(format!("  {} = {}", row.attribute, row.bad)),
    }
    format!(
        "resource \"{}\" \"row{index}\" {{\n{}\n}}\n",
        row.resource,
        lines.join("\n")
    )
}

/// Terraform's diagnostics, one string per `Error:` block, with line wrapping undone.
fn diagnostics(output: &str) -> Vec<String> {
    output
        .split("Error: ")
        .skip(1)
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn provider_header(url: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    teamsphone = {{ source = \"teamsphone/teamsphone\" }}\n  }}\n}}\n\nprovider \"teamsphone\" {{\n  tenant_id = \"{TENANT_ID}\"\n  client_id = \"{CLIENT_ID}\"\n  client_secret = \"{CLIENT_SECRET}\"\n  login_endpoint = \"{url}\"\n  graph_endpoint = \"{url}\"\n  teams_endpoint = \"{url}\"\n}}\n"
    )
}

#[test]
fn every_resource_attribute_rejects_bad_input_at_plan_time_on_the_attribute() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let rows = rows();
    let mut config = provider_header(&emulator.url);
    for (i, row) in rows.iter().enumerate() {
        config.push_str(&block(i, row));
    }
    work.write(&config);
    let out = work.plan_fails();
    let diags = diagnostics(&out);
    let mut missing = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let address = format!("with {}.row{i},", row.resource);
        // A nested attribute (`timeouts.create`) is quoted by its last name.
        let attribute = row.attribute.rsplit('.').next().unwrap_or(row.attribute);
        // Terraform quotes the attribute's line, or a block's opening line.
        let found = diags.iter().find(|d| {
            d.contains(&address)
                && (d.contains(&format!("{attribute} = "))
                    || d.contains(&format!("{attribute} {{")))
                && d.contains(row.expect)
        });
        if found.is_none() {
            missing.push(format!(
                "row {i}: {} {} = {} should fail with {:?} on the attribute; diagnostics for it:\n{:#?}",
                row.resource,
                row.attribute,
                row.bad,
                row.expect,
                diags.iter().filter(|d| d.contains(&address)).collect::<Vec<_>>()
            ));
        }
    }
    // Every failing row at once: one plan covers the whole table.
    assert!(missing.is_empty(), "{}", missing.join("\n\n"));
    assert!(
        emulator
            .requests()
            .iter()
            .all(|r| r["method"] == "GET" || r["service"] == "login"),
        "invalid input must not write anything"
    );
}

#[test]
fn every_provider_setting_rejects_bad_input_at_plan_time_on_the_attribute() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    let url = emulator.url.as_str();
    let rows: Vec<(&str, String, &str)> = vec![
        ("tenant_id", "\"contoso\"".into(), "not a GUID"),
        ("client_id", "\"x\"".into(), "not a GUID"),
        ("client_secret", "\"\"".into(), "must not be empty"),
        (
            "client_certificate_path",
            "\"\"".into(),
            "must not be empty",
        ),
        ("oidc_token_file_path", "\"\"".into(), "must not be empty"),
        ("environment", "\"azure\"".into(), "global, gcch, dod"),
        (
            "login_endpoint",
            "\"http://login.example.com\"".into(),
            "plain http",
        ),
        ("graph_endpoint", "\"not a url\"".into(), "not a URL"),
        (
            "teams_endpoint",
            "\"ftp://teams.example.com\"".into(),
            "scheme",
        ),
        ("max_concurrent_requests", "0".into(), "out of range"),
        (
            "policy_assignment_route",
            "\"both\"".into(),
            "auto, graph, teams",
        ),
    ];
    let mut config = provider_header(url);
    for (i, (attribute, bad, _)) in rows.iter().enumerate() {
        let mut lines = vec![
            format!("  alias = \"row{i}\""),
            format!("  tenant_id = \"{TENANT_ID}\""),
            format!("  client_id = \"{CLIENT_ID}\""),
            format!("  teams_endpoint = \"{url}\""),
        ];
        lines.retain(|l| !l.trim_start().starts_with(&format!("{attribute} ")));
        lines.push(format!("  {attribute} = {bad}"));
        config.push_str(&format!(
            "provider \"teamsphone\" {{\n{}\n}}\n",
            lines.join("\n")
        ));
        // Terraform validates only provider configurations that something uses.
        config.push_str(&format!(
            "resource \"teamsphone_shared_calling_policy\" \"row{i}\" {{\n  provider = teamsphone.row{i}\n  name = \"Row{i}\"\n  resource_account_id = \"{GUID}\"\n}}\n"
        ));
    }
    work.write(&config);
    let out = work.plan_fails();
    let diags = diagnostics(&out);
    for (attribute, bad, expect) in &rows {
        let found = diags
            .iter()
            .find(|d| d.contains(&format!("{attribute} = {bad}")) && d.contains(expect));
        assert!(
            found.is_some(),
            "provider {attribute} = {bad} should fail with {expect:?}:\n{out}"
        );
    }
}

#[test]
fn values_unknown_at_plan_time_are_not_rejected() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    // Every checked attribute gets a value known only after the account exists.
    let config = format!(
        r#"{header}
resource "teamsphone_resource_account" "a" {{
  user_principal_name = "aa@contoso.onmicrosoft.com"
  display_name        = "Main line"
  account_type        = "auto_attendant"
}}

resource "teamsphone_resource_account" "b" {{
  user_principal_name = "b-${{teamsphone_resource_account.a.id}}@contoso.onmicrosoft.com"
  display_name        = teamsphone_resource_account.a.id
  account_type        = "auto_attendant"
  usage_location      = substr(teamsphone_resource_account.a.application_id, 0, 0) == "" ? "US" : "GB"
  license_sku_id      = teamsphone_resource_account.a.id
}}

resource "teamsphone_phone_number_assignment" "n" {{
  telephone_number = "+1206555014${{length(teamsphone_resource_account.a.id) > 0 ? 0 : 1}}"
  target_id        = teamsphone_resource_account.a.id
  number_type      = "direct_routing"
  location_id      = teamsphone_resource_account.a.id
}}

resource "teamsphone_user_policy_assignment" "u" {{
  user_id     = teamsphone_resource_account.a.id
  policy_type = "Teams${{substr(teamsphone_resource_account.a.id, 0, 0)}}EmergencyCallRoutingPolicy"
  policy_name = "E${{substr(teamsphone_resource_account.a.id, 0, 4)}}"
}}

resource "teamsphone_policy_assignment_set" "s" {{
  policy_name  = "S${{substr(teamsphone_resource_account.a.id, 0, 4)}}"
  user_ids     = [teamsphone_resource_account.a.id, "ann@contoso.onmicrosoft.com"]
  max_unassign = length(teamsphone_resource_account.a.id)
}}

resource "teamsphone_group_policy_assignment" "g" {{
  group_id    = teamsphone_resource_account.a.id
  policy_name = "G${{substr(teamsphone_resource_account.a.id, 0, 4)}}"
  rank        = length(teamsphone_resource_account.a.id) > 0 ? 1 : 2
}}

resource "teamsphone_enterprise_voice_users" "v" {{
  user_ids = [teamsphone_resource_account.a.id]
}}

resource "teamsphone_emergency_call_routing_policy" "e" {{
  name        = "E${{substr(teamsphone_resource_account.a.id, 0, 4)}}"
  description = teamsphone_resource_account.a.id
  emergency_numbers = [
    {{ dial_string = substr(teamsphone_resource_account.a.id, 0, 0), dial_masks = [teamsphone_resource_account.a.id], pstn_usage = teamsphone_resource_account.a.id }},
    {{ dial_string = "911", dial_masks = ["933"], pstn_usage = null }},
  ]
}}

resource "teamsphone_resource_account_association" "r" {{
  resource_account_id = teamsphone_resource_account.a.id
  configuration_id    = teamsphone_resource_account.a.id
  configuration_type  = substr(teamsphone_resource_account.a.id, 0, 0) == "" ? "auto_attendant" : "call_queue"
  call_priority       = length(teamsphone_resource_account.a.id) > 0 ? 1 : 2
}}

resource "teamsphone_auto_attendant" "t" {{
  name         = teamsphone_resource_account.a.id
  language_id  = substr(teamsphone_resource_account.a.id, 0, 0) == "" ? "en-US" : "fr-FR"
  time_zone_id = "Pacific Standard Time"
  operator {{
    type = "user"
    id   = teamsphone_resource_account.a.id
  }}
  default_call_flow {{
    greeting = teamsphone_resource_account.a.id
    action   = substr(teamsphone_resource_account.a.id, 0, 0) == "" ? "transfer" : "menu"
    target {{
      type = "resource_account"
      id   = teamsphone_resource_account.a.id
    }}
  }}
  business_hours {{
    monday = [substr(teamsphone_resource_account.a.id, 0, 0) == "" ? "09:00-17:00" : "x"]
  }}
  after_hours_call_flow {{
    action = "disconnect"
  }}
  holidays {{
    name = teamsphone_resource_account.a.id
    dates {{
      start = substr(teamsphone_resource_account.a.id, 0, 0) == "" ? "2026-12-25" : "x"
      end   = "2026-12-26"
    }}
    call_flow {{
      action = "disconnect"
    }}
  }}
}}

resource "teamsphone_call_queue" "q" {{
  name             = "Q${{substr(teamsphone_resource_account.a.id, 0, 4)}}"
  language_id      = substr(teamsphone_resource_account.a.id, 0, 0)
  routing_method   = substr(teamsphone_resource_account.a.id, 0, 0)
  agents           = [teamsphone_resource_account.a.id]
  agent_alert_time = length(teamsphone_resource_account.a.id)
  music_on_hold    = teamsphone_resource_account.a.id
  overflow {{
    threshold = length(teamsphone_resource_account.a.id) * 10
    action    = "shared_voicemail"
    target    = teamsphone_resource_account.a.id
  }}
  timeout {{
    seconds = length(teamsphone_resource_account.a.id)
    action  = substr(teamsphone_resource_account.a.id, 0, 0)
    target  = teamsphone_resource_account.a.id
  }}
}}

resource "teamsphone_shared_calling_policy" "p" {{
  name                = "P${{substr(teamsphone_resource_account.a.id, 0, 4)}}"
  description         = teamsphone_resource_account.a.id
  resource_account_id = teamsphone_resource_account.a.id
  emergency_numbers   = ["+1206555015${{length(teamsphone_resource_account.a.id) > 0 ? 0 : 1}}"]
}}
"#,
        header = provider_header(&emulator.url)
    );
    work.write(&config);
    let run = work.plan();
    assert_eq!(
        run.code,
        2,
        "unknown values must plan, not fail:\n{}",
        run.all()
    );
    let validate = work.run(&["validate", "-no-color"]);
    assert_eq!(validate.code, 0, "{}", validate.all());
}

/// A configuration bigger than gRPC's customary 4 MiB reaches the provider, which answers with its
/// own diagnostic on the attribute. Before the patch in `vendor/README.md` the plugin channel
/// refused it ("decoded message length too large"), as it refused the no-op plan of one set of
/// 50,000 users.
#[test]
fn a_configuration_over_4_mib_reaches_the_provider() {
    let emulator = Emulator::start(&seed(json!({})));
    let work = Workdir::new();
    work.write(&format!(
        r#"{header}
resource "teamsphone_shared_calling_policy" "big" {{
  name                = "Seattle"
  resource_account_id = "{GUID}"
  description         = format("%5000000s", "")
}}
"#,
        header = provider_header(&emulator.url)
    ));
    let out = work.plan_fails();
    assert!(
        !out.contains("message length too large") && !out.contains("Plugin error"),
        "{out}"
    );
    assert!(
        out.contains("longer than 1024 characters") && out.contains("description"),
        "{out}"
    );
}
