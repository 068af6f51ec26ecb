//! `terraform-provider-teamsphone doctor`: the verdict and exit code for a full app, an app lacking
//! a Graph permission, an app without the Teams Administrator role, and an unreachable endpoint.
//! The emulator's tokens carry `roles` and `wids` from the seed, as Entra's do.

use std::process::Command;

use serde_json::{json, Value};

use crate::harness::{seed, Emulator, Run, CLIENT_ID, CLIENT_SECRET, TENANT_ID};

fn doctor(emulator: &Emulator, teams_endpoint: Option<&str>, args: &[&str]) -> Run {
    doctor_logging(emulator, teams_endpoint, args, None)
}

fn doctor_logging(
    emulator: &Emulator,
    teams_endpoint: Option<&str>,
    args: &[&str],
    wire_log: Option<&std::path::Path>,
) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_terraform-provider-teamsphone"))
        .arg("doctor")
        .args(args)
        .env_clear()
        .envs(wire_log.map(|log| ("TEAMSPHONE_WIRE_LOG", log)))
        .env("ARM_TENANT_ID", TENANT_ID)
        .env("ARM_CLIENT_ID", CLIENT_ID)
        .env("ARM_CLIENT_SECRET", CLIENT_SECRET)
        .env("TEAMSPHONE_LOGIN_ENDPOINT", &emulator.url)
        .env("TEAMSPHONE_GRAPH_ENDPOINT", &emulator.url)
        .env(
            "TEAMSPHONE_TEAMS_ENDPOINT",
            teams_endpoint.unwrap_or(&emulator.url),
        )
        .output()
        .expect("the provider binary runs");
    Run::from_output(output)
}

fn report(emulator: &Emulator, teams_endpoint: Option<&str>) -> (i32, Value) {
    let run = doctor(emulator, teams_endpoint, &["--json"]);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("--json prints JSON ({e}):\n{}", run.all()));
    (run.code, report)
}

fn app(extra: Value) -> Value {
    let mut app = json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "teams_administrator": true});
    for (k, v) in extra.as_object().unwrap() {
        app[k] = v.clone();
    }
    seed(json!({"apps": [app]}))
}

fn grant<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"].as_str().unwrap().starts_with(name))
        .unwrap_or_else(|| panic!("no grant {name}: {report}"))
}

fn read<'a>(report: &'a Value, call: &str) -> &'a Value {
    report["reads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["call"] == call)
        .unwrap_or_else(|| panic!("no read {call}: {report}"))
}

fn not_ready(report: &Value) -> Vec<String> {
    report["resource_types"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["ready"] == false)
        .map(|t| t["type_name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_full_app_is_ready_and_every_read_decodes() {
    let emulator = Emulator::start(&app(json!({})));
    let (code, report) = report(&emulator, None);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["ready"], true);
    assert_eq!(report["reads"].as_array().unwrap().len(), 6, "{report:#}");
    for r in report["reads"].as_array().unwrap() {
        assert_eq!(r["status"], 200, "{r}");
        assert_eq!(r["decodes"], true, "{r}");
        assert!(r["shape"].is_string() && r["elapsed_ms"].is_u64(), "{r}");
    }
    assert_eq!(
        read(&report, "Get-CsPhoneNumberAssignment")["shape"],
        "{\"value\":[..]}"
    );
    assert_eq!(
        grant(&report, "Teams Administrator")["evidence"],
        "in the token's wids"
    );
    assert_eq!(grant(&report, "User.ReadWrite.All")["status"], "granted");
    assert!(not_ready(&report).is_empty());
    // Read-only: the emulator saw reads and sign-ins only.
    let writes: Vec<Value> = emulator
        .requests()
        .into_iter()
        .filter(|r| r["method"] != "GET" && r["service"] != "login")
        .collect();
    assert!(writes.is_empty(), "doctor wrote: {writes:?}");

    let text = doctor(&emulator, None, &[]);
    assert_eq!(text.code, 0, "{}", text.all());
    assert!(
        text.stdout
            .contains("Ready: everything the provider needs works."),
        "{}",
        text.stdout
    );
    assert!(!text.all().contains("eyJ"), "no token is printed");
}

#[test]
fn an_app_lacking_a_graph_permission_is_told_which_and_for_what() {
    let emulator = Emulator::start(&app(json!({"graph_permissions": [
        "TeamsPolicyUserAssign.ReadWrite.All", "TeamsUserConfiguration.Read.All", "User.ReadWrite.All"
    ]})));
    let (code, report) = report(&emulator, None);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["ready"], false);
    let missing = grant(&report, "TeamsTelephoneNumber.ReadWrite.All");
    assert_eq!(missing["status"], "missing", "{missing}");
    let numbers = read(&report, "Get-CsPhoneNumberAssignment");
    assert_eq!(numbers["status"], 403, "{numbers}");
    assert_eq!(
        not_ready(&report),
        vec!["teamsphone_phone_number_assignment"]
    );
    assert_eq!(grant(&report, "Teams Administrator")["status"], "granted");
}

#[test]
fn an_app_without_the_teams_administrator_role_is_not_ready() {
    let emulator = Emulator::start(&app(json!({"teams_administrator": false})));
    let (code, report) = report(&emulator, None);
    assert_eq!(code, 1, "{report:#}");
    let role = grant(&report, "Teams Administrator");
    assert_eq!(role["status"], "missing", "{role}");
    let policies = read(&report, "Get-CsTeamsSharedCallingRoutingPolicy");
    assert_eq!(policies["status"], 403, "{policies}");
    let mut blocked = not_ready(&report);
    blocked.sort();
    assert_eq!(
        blocked,
        [
            "teamsphone_call_queue",
            "teamsphone_emergency_call_routing_policy",
            "teamsphone_enterprise_voice_users",
            "teamsphone_group_policy_assignment",
            "teamsphone_resource_account",
            "teamsphone_resource_account_association",
            "teamsphone_shared_calling_policy",
        ]
    );
    assert_eq!(
        grant(&report, "TeamsTelephoneNumber.ReadWrite.All")["status"],
        "granted"
    );
}

#[test]
fn an_unreachable_endpoint_is_reported_with_exit_code_one() {
    let emulator = Emulator::start(&app(json!({})));
    // A port nobody listens on: bound, then released.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let teams = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("wire.jsonl");
    let run = doctor_logging(&emulator, Some(&teams), &["--json"], Some(&log));
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(run.code, 1, "{report:#}");
    // Requests that got no answer are in the wire log too, with why.
    let unanswered: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|l: &Value| l["status"].is_null())
        .collect();
    assert!(!unanswered.is_empty());
    assert!(
        unanswered
            .iter()
            .all(|l| l["url"].as_str().unwrap().starts_with(&teams)
                && l["error"].as_str().unwrap().contains("could not reach")),
        "{unanswered:?}"
    );
    let policies = read(&report, "Get-CsTeamsSharedCallingRoutingPolicy");
    assert!(policies["status"].is_null(), "{policies}");
    assert!(
        policies["error"]
            .as_str()
            .unwrap()
            .contains("could not reach Teams admin API"),
        "{policies}"
    );
    // Graph is reachable and its reads still answer.
    assert_eq!(read(&report, "Get-MgTeamsUserConfiguration")["status"], 200);
    assert!(report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p.as_str().unwrap().contains("Get-CsGroupPolicyAssignment")));
}
