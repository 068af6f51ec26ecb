//! `terraform-provider-teamsphone export`, round trip: export a seeded tenant, import everything into
//! a fresh state with the real terraform binary, and see an empty plan.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

use crate::harness::{
    seed, terraform_binary, Emulator, Run, Workdir, CLIENT_ID, CLIENT_SECRET, TENANT_ID,
};

const AA_SEATTLE: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11";
const CQ_LONDON: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a22";
const UNUSED: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a33";
const SEATTLE_LOCATION: &str = "5a0c7e1e-7a4b-4f3e-9d0a-5ea771e00001";
const LONDON_LOCATION: &str = "5a0c7e1e-7a4b-4f3e-9d0a-10d00e000001";
const SKU: &str = "440eaaa8-b3e0-484b-a8be-62870b9ba70a";
const ANN: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a41";
const BOB: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a42";
const CY: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a43";
const DEE: &str = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a44";
const SEATTLE_GROUP: &str = "6a0c7e1e-7a4b-4f3e-9d0a-5ea771e0000a";
const LONDON_GROUP: &str = "6a0c7e1e-7a4b-4f3e-9d0a-10d00e00000b";
const SEATTLE_MENU: &str = "a7a00000-5ea7-4e00-9000-000000000001";
const LONDON_DESK: &str = "c0a00000-10d0-4e00-9000-000000000001";

fn account(id: &str, upn: &str, name: &str, app: &str, country: &str) -> Value {
    json!({"id": id, "userPrincipalName": upn, "displayName": name, "accountEnabled": false,
           "accountType": "resourceAccount", "applicationId": app, "usageLocation": country,
           "assignedLicenses": [{"skuId": SKU}], "enterpriseVoiceEnabled": true})
}

fn person(id: &str, upn: &str, name: &str) -> Value {
    json!({"id": id, "userPrincipalName": upn, "displayName": name})
}

/// Two policies, each with its resource account holding a number with an emergency location, plus an
/// account no policy uses (which must be neither exported nor read). Bob and Ann hold Seattle
/// directly, Cy holds London Office directly; Dee holds Seattle only through a group (not a direct
/// grant), and each policy is assigned to one group. The Seattle account answers for an auto
/// attendant, the London one for a call queue.
const HOURS_SCHEDULE: &str = "5c4ed01e-0000-4000-8000-000000000001";
const HOLIDAY_SCHEDULE: &str = "5c4ed01e-0000-4000-8000-000000000002";

fn tenant_seed() -> Value {
    let aa = "ce933385-9390-45d1-9512-c8d228074e07";
    let cq = "11cd3e2e-fccb-42ad-ad00-878b93575e07";
    let mut seed = seed(json!({
        "users": [
            account(AA_SEATTLE, "aa-seattle@contoso.onmicrosoft.com", "Seattle main line", aa, "US"),
            account(CQ_LONDON, "cq-london@contoso.onmicrosoft.com", "London queue", cq, "GB"),
            account(UNUSED, "aa-unused@contoso.onmicrosoft.com", "Unused", aa, "US"),
            person(BOB, "bob@contoso.onmicrosoft.com", "Bob"),
            person(ANN, "Ann@contoso.onmicrosoft.com", "Ann"),
            person(CY, "cy@contoso.onmicrosoft.com", "Cy"),
            person(DEE, "dee@contoso.onmicrosoft.com", "Dee")
        ],
        "groups": [
            {"id": SEATTLE_GROUP, "displayName": "Seattle office", "members": [ANN, DEE]},
            {"id": LONDON_GROUP, "displayName": "London office", "members": [CY]}
        ],
        "assignments": {
            "users": {
                BOB: {"TeamsSharedCallingRoutingPolicy": {"policy_name": "Seattle"}},
                ANN: {"TeamsSharedCallingRoutingPolicy": {"policy_name": "Seattle"}},
                CY: {"TeamsSharedCallingRoutingPolicy": {"policy_name": "London Office"}}
            },
            "groups": [
                {"GroupId": SEATTLE_GROUP, "PolicyType": "TeamsSharedCallingRoutingPolicy",
                 "PolicyName": "Seattle", "Rank": 1},
                {"GroupId": LONDON_GROUP, "PolicyType": "TeamsSharedCallingRoutingPolicy",
                 "PolicyName": "London Office", "Rank": 2}
            ]
        },
        "emergency_locations": [
            {"id": SEATTLE_LOCATION, "description": "Seattle office", "countryOrRegion": "US"},
            {"id": LONDON_LOCATION, "description": "London office", "countryOrRegion": "GB"}
        ],
        "phone_numbers": [
            {"telephoneNumber": "+12065550101", "numberType": "directRouting", "isoCountryCode": "US",
             "city": "Seattle", "assignmentTargetId": AA_SEATTLE, "assignmentCategory": "primary",
             "locationId": SEATTLE_LOCATION},
            {"telephoneNumber": "+12065550150", "numberType": "directRouting", "isoCountryCode": "US", "city": "Seattle"},
            {"telephoneNumber": "+12065550151", "numberType": "directRouting", "isoCountryCode": "US", "city": "Seattle"},
            {"telephoneNumber": "+442079460958", "numberType": "directRouting", "isoCountryCode": "GB",
             "city": "London", "assignmentTargetId": CQ_LONDON, "assignmentCategory": "primary",
             "locationId": LONDON_LOCATION},
            {"telephoneNumber": "+12065550199", "numberType": "directRouting", "isoCountryCode": "US",
             "city": "Seattle", "assignmentTargetId": UNUSED, "assignmentCategory": "primary"}
        ],
        "pstn_usages": ["US-Emergency"],
        "voice_apps": {
            // A whole auto attendant: a menu, business hours and a holiday on their own schedules.
            "auto_attendants": [{"Id": SEATTLE_MENU, "Name": "Seattle main menu",
                "LanguageId": "en-US", "TimeZoneId": "Pacific Standard Time",
                "DefaultCallFlow": {"Id": "f0", "Name": "Default",
                    "Greetings": [{"ActiveType": "TextToSpeech", "TextToSpeechPrompt": "Welcome"}],
                    "Menu": {"Name": "Main", "DialByNameEnabled": true, "MenuOptions": [
                        {"Action": "TransferCallToTarget", "DtmfResponse": "Tone1",
                         "CallTarget": {"Id": BOB, "Type": "User"}},
                        {"Action": "DisconnectCall", "DtmfResponse": "TonePound"}]}},
                "CallFlows": [
                    {"Id": "f1", "Name": "After hours", "Menu": {"Name": "m", "MenuOptions": [
                        {"Action": "DisconnectCall", "DtmfResponse": "Automatic"}]}},
                    {"Id": "f2", "Name": "Christmas", "Greetings": [
                        {"ActiveType": "TextToSpeech", "TextToSpeechPrompt": "Closed"}],
                     "Menu": {"Name": "m", "MenuOptions": [
                        {"Action": "TransferCallToTarget", "DtmfResponse": "Automatic",
                         "CallTarget": {"Id": "tel:+12065550100", "Type": "ExternalPstn"}}]}}],
                "CallHandlingAssociations": [
                    {"Type": "Holiday", "ScheduleId": HOLIDAY_SCHEDULE, "CallFlowId": "f2", "Priority": 1},
                    {"Type": "AfterHours", "ScheduleId": HOURS_SCHEDULE, "CallFlowId": "f1", "Priority": 2}]}],
            "schedules": [
                {"Id": HOURS_SCHEDULE, "Name": "Seattle hours", "Type": "WeeklyRecurrence",
                 "WeeklyRecurrentSchedule": {"MondayHours": [{"Start": "09:00", "End": "17:30"}],
                    "FridayHours": [{"Start": "09:00", "End": "12:00"}, {"Start": "13:00", "End": "24:00"}],
                    "ComplementEnabled": true}},
                {"Id": HOLIDAY_SCHEDULE, "Name": "Christmas", "Type": "Fixed",
                 "FixedSchedule": {"DateTimeRanges": [{"Start": "2026-12-24T12:30:00", "End": "2026-12-27T00:00:00"}]}}],
            "call_queues": [{"Identity": LONDON_DESK, "Name": "London desk", "LanguageId": "en-GB",
                             "RoutingMethod": "Serial", "Users": [CY, BOB], "AgentAlertTime": 45,
                             "OverflowAction": "Forward", "OverflowActionTarget": "tel:+442079460999",
                             "TimeoutThreshold": 600, "TimeoutAction": "SharedVoicemail",
                             "TimeoutActionTarget": LONDON_GROUP}],
            "associations": [
                {"endpoint_id": AA_SEATTLE, "configuration_id": SEATTLE_MENU,
                 "configuration_type": "AutoAttendant", "call_priority": 3},
                {"endpoint_id": CQ_LONDON, "configuration_id": LONDON_DESK,
                 "configuration_type": "CallQueue", "call_priority": 3}
            ]
        },
        "emergency_call_routing_policies": [
            {"Identity": "Tag:Seattle-E911", "AllowEnhancedEmergencyServices": true,
             "EmergencyNumbers": [
                {"EmergencyDialString": "911", "EmergencyDialMask": "933;112", "OnlinePSTNUsage": "US-Emergency"},
                {"EmergencyDialString": "999"}
             ]}
        ],
        "shared_calling_policies": [
            {"Identity": "Tag:Seattle", "Description": "Seattle \"HQ\" ${not_interpolated}",
             "ResourceAccount": AA_SEATTLE, "EmergencyNumbers": ["+12065550151", "+12065550150"]},
            {"Identity": "Tag:London Office", "ResourceAccount": CQ_LONDON, "EmergencyNumbers": []}
        ]
    }));
    // One item per page, so the export has to follow nextLink/skipToken pages.
    seed["settings"]["graph_page_size"] = json!(1);
    seed
}

fn env(emulator: &Emulator) -> Vec<(&'static str, String)> {
    vec![
        ("TEAMSPHONE_TENANT_ID", TENANT_ID.to_string()),
        ("TEAMSPHONE_CLIENT_ID", CLIENT_ID.to_string()),
        ("TEAMSPHONE_CLIENT_SECRET", CLIENT_SECRET.to_string()),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.clone()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.clone()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.clone()),
    ]
}

fn export(emulator: &Emulator, out: &Path) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_terraform-provider-teamsphone"));
    command.arg("export").arg("--out").arg(out);
    for var in [
        "ARM_TENANT_ID",
        "ARM_CLIENT_ID",
        "ARM_CLIENT_SECRET",
        "ARM_USE_OIDC",
    ] {
        command.env_remove(var);
    }
    command.envs(env(emulator));
    Run::from_output(command.output().expect("the plugin binary runs"))
}

fn copy(from: &Path, work: &Workdir, names: &[&str]) {
    for name in names {
        work.file(name, &std::fs::read_to_string(from.join(name)).unwrap());
    }
}

/// Runs the exported `import.sh` in `work` the way a user would, with the test's terraform.
fn import_script(work: &Workdir, emulator: &Emulator) -> Run {
    let output = Command::new("sh")
        .arg("import.sh")
        .current_dir(work.path())
        .env("TERRAFORM", terraform_binary())
        .env("TF_CLI_CONFIG_FILE", work.path().join("terraformrc"))
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("CHECKPOINT_DISABLE", "1")
        .env("NO_COLOR", "1")
        .envs(env(emulator))
        .output()
        .expect("sh runs");
    Run::from_output(output)
}

fn terraform_at_least_1_5() -> bool {
    let out = Command::new(terraform_binary())
        .args(["version", "-json"])
        .output()
        .expect("terraform runs");
    let version: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let parts: Vec<u64> = version["terraform_version"]
        .as_str()
        .unwrap_or("0.0")
        .split('.')
        .take(2)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    parts.as_slice() >= [1, 5].as_slice()
}

#[test]
fn export_then_import_plans_no_changes() {
    let emulator = Emulator::start(&tenant_seed());
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("exported");

    let before = emulator.requests().len();
    let run = export(&emulator, &out);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains(
            "Exported 2 shared calling policies, 2 resource accounts, 2 phone number assignments, \
             2 policy assignment sets, 2 group policy assignments, 1 emergency call routing policy, \
             2 resource account associations, 1 auto attendant, 1 call queue"
        ),
        "{}",
        run.all()
    );
    // Requests stay linear: the two policy lists, then per account its user, its application instance,
    // its numbers and its association, then the pages of user configurations (this seed's page size is 1, so one page per
    // user) and one list of group assignments. Nothing else per user or per group; the unused
    // account is never touched.
    let requests: Vec<Value> = emulator.requests()[before..]
        .iter()
        .filter(|r| !r["path"].as_str().unwrap_or("").contains("oauth2"))
        .cloned()
        .collect();
    let users = crate::voice::voice(&emulator)["users"]
        .as_array()
        .unwrap()
        .len();
    let configuration_pages = requests
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .unwrap_or("")
                .ends_with("/userConfigurations")
        })
        .count();
    assert_eq!(configuration_pages, users, "{requests:#?}");
    // And one list of auto attendants, one read per schedule they reference, and one list of
    // call queues.
    assert_eq!(
        requests.len() - configuration_pages,
        11 + 3 + 1,
        "{requests:#?}"
    );
    assert!(
        !serde_json::to_string(&requests).unwrap().contains(UNUSED),
        "{requests:#?}"
    );

    let main = std::fs::read_to_string(out.join("main.tf")).unwrap();
    for expected in [
        "resource \"teamsphone_shared_calling_policy\" \"seattle\" {",
        "resource \"teamsphone_shared_calling_policy\" \"london_office\" {",
        "resource_account_id = teamsphone_resource_account.aa_seattle.id",
        "resource_account_id = teamsphone_resource_account.cq_london.id",
        "target_id        = teamsphone_resource_account.cq_london.id",
        "emergency_numbers   = [\"+12065550150\", \"+12065550151\"]",
        "description         = \"Seattle \\\"HQ\\\" $${not_interpolated}\"",
        "resource \"teamsphone_policy_assignment_set\" \"seattle\" {\n  policy_name = teamsphone_shared_calling_policy.seattle.name\n  user_ids    = [\"Ann@contoso.onmicrosoft.com\", \"bob@contoso.onmicrosoft.com\"]\n}",
        "user_ids    = [\"cy@contoso.onmicrosoft.com\"]",
        "policy_name = teamsphone_shared_calling_policy.london_office.name",
        "group_id    = \"6a0c7e1e-7a4b-4f3e-9d0a-10d00e00000b\"",
        "rank        = 2",
        "resource \"teamsphone_resource_account_association\" \"aa_seattle\" {\n  resource_account_id = teamsphone_resource_account.aa_seattle.id\n  configuration_id    = teamsphone_auto_attendant.seattle_main_menu.id\n  configuration_type  = \"auto_attendant\"\n}",
        "resource \"teamsphone_auto_attendant\" \"seattle_main_menu\" {",
        "  business_hours {\n    monday = [\"09:00-17:30\"]\n    friday = [\"09:00-12:00\", \"13:00-24:00\"]\n  }",
        "configuration_id    = teamsphone_call_queue.london_desk.id\n  configuration_type  = \"call_queue\"",
        "resource \"teamsphone_call_queue\" \"london_desk\" {\n  name             = \"London desk\"\n  language_id      = \"en-GB\"\n  routing_method   = \"serial\"\n  agents           = [\"0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a43\", \"0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a42\"]\n  agent_alert_time = 45\n  overflow {\n    action = \"forward\"\n    target = \"tel:+442079460999\"\n  }\n  timeout {\n    seconds = 600\n    action  = \"shared_voicemail\"\n    target  = \"6a0c7e1e-7a4b-4f3e-9d0a-10d00e00000b\"\n  }\n}",
        "resource \"teamsphone_emergency_call_routing_policy\" \"seattle_e911\" {\n  name                        = \"Seattle-E911\"\n  enhanced_emergency_services = true\n  emergency_numbers           = [\n    { dial_string = \"911\", dial_masks = [\"933\", \"112\"], pstn_usage = \"US-Emergency\" },\n    { dial_string = \"999\", dial_masks = [], pstn_usage = null },\n  ]\n}",
    ] {
        assert!(main.contains(expected), "missing {expected:?} in:\n{main}");
    }
    assert!(
        !main.contains("Global") && !main.contains("aa-unused") && !main.contains("dee@"),
        "{main}"
    );

    // A second export into the same directory refuses to overwrite the first.
    let again = export(&emulator, &out);
    assert_eq!(again.code, 1, "{}", again.all());
    assert!(again.stderr.contains("--force"), "{}", again.all());

    // Any Terraform: import.sh into a fresh state, then an empty plan.
    let work = Workdir::new();
    copy(&out, &work, &["provider.tf", "main.tf", "import.sh"]);
    let run = import_script(&work, &emulator);
    assert_eq!(run.code, 0, "import.sh failed:\n{}", run.all());
    let env_pairs = env(&emulator);
    let env: Vec<(&str, &str)> = env_pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let list = work.run_with_env(&["state", "list"], &env);
    assert_eq!(list.stdout.lines().count(), 15, "{}", list.all());
    let plan = work.run_with_env(&["plan", "-detailed-exitcode", "-no-color"], &env);
    assert_eq!(
        plan.code,
        0,
        "expected no changes after import:\n{}",
        plan.all()
    );

    // Terraform 1.5+: the import blocks plan only imports, and after applying them nothing is left.
    if terraform_at_least_1_5() {
        let work = Workdir::new();
        copy(&out, &work, &["provider.tf", "main.tf", "imports.tf"]);
        let plan = work.run_with_env(&["plan", "-detailed-exitcode", "-no-color"], &env);
        assert_eq!(plan.code, 2, "{}", plan.all());
        assert!(
            plan.text()
                .contains("Plan: 15 to import, 0 to add, 0 to change, 0 to destroy."),
            "{}",
            plan.all()
        );
        let apply = work.run_with_env(&["apply", "-auto-approve", "-no-color"], &env);
        assert_eq!(apply.code, 0, "{}", apply.all());
        let plan = work.run_with_env(&["plan", "-detailed-exitcode", "-no-color"], &env);
        assert_eq!(plan.code, 0, "{}", plan.all());
    }
}

#[test]
fn export_without_credentials_names_what_is_missing() {
    let out_dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_terraform-provider-teamsphone"));
    command.arg("export").arg("--out").arg(out_dir.path());
    for var in [
        "TEAMSPHONE_TENANT_ID",
        "TEAMSPHONE_CLIENT_ID",
        "TEAMSPHONE_CLIENT_SECRET",
        "ARM_TENANT_ID",
        "ARM_CLIENT_ID",
        "ARM_CLIENT_SECRET",
    ] {
        command.env_remove(var);
    }
    let run = Run::from_output(command.output().unwrap());
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.text();
    assert!(
        text.contains("TEAMSPHONE_TENANT_ID or ARM_TENANT_ID"),
        "{text}"
    );
    assert!(!out_dir.path().join("main.tf").exists());
}

#[test]
fn export_errors_say_what_failed_and_keep_the_secret() {
    let mut seed = tenant_seed();
    seed["tenants"][0]["apps"][0]["teams_administrator"] = json!(false);
    let emulator = Emulator::start(&seed);
    let out_dir = tempfile::tempdir().unwrap();
    let run = export(&emulator, &out_dir.path().join("x"));
    assert_eq!(run.code, 1, "{}", run.all());
    let text = run.text();
    assert!(text.contains("listing shared calling policies"), "{text}");
    assert!(text.contains("Teams Administrator"), "{text}");
    assert_eq!(
        text.matches("listing shared calling policies").count(),
        1,
        "{text}"
    );
    assert!(!text.contains(CLIENT_SECRET), "{text}");
    assert!(!out_dir.path().join("x").join("main.tf").exists());
}
