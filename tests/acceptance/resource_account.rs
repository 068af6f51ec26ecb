//! `teamsphone_resource_account` through the real terraform binary.

use serde_json::json;

use crate::harness::{provider_block, Emulator, Workdir};
use crate::voice::{requests_to, stored_number, user, voice_seed, SKU};

const UPN: &str = "aa-tacoma@contoso.onmicrosoft.com";

fn account(emulator: &Emulator, extra: &str) -> String {
    format!(
        r#"{provider}
resource "teamsphone_resource_account" "a" {{
  user_principal_name = "{UPN}"
  display_name        = "Tacoma AA"
  account_type        = "auto_attendant"
  {extra}
}}
"#,
        provider = provider_block(emulator)
    )
}

#[test]
fn create_waits_for_visibility_and_type_change_replaces() {
    let emulator = Emulator::start(&voice_seed(json!({"new_account_visibility_ms": 1500})));
    let work = Workdir::new();
    work.write(&account(
        &emulator,
        "usage_location = \"US\"\n  license_sku_id = \"440eaaa8-b3e0-484b-a8be-62870b9ba70a\"",
    ));
    work.apply();
    let created = user(&emulator, UPN).unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let reads: Vec<u64> = requests_to(&emulator, "GET", &format!("/v1.0/users/{id}"))
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert!(
        reads.first() == Some(&404) && reads.contains(&200),
        "waited out the delay: {reads:?}"
    );
    assert_eq!(created["assignedLicenses"][0]["skuId"], SKU);
    work.assert_no_changes();

    // Drift: the license removed outside Terraform shows and is put back.
    let token = emulator.token(teamsphone_contract::GRAPH_SCOPE);
    let status = reqwest::blocking::Client::new()
        .post(format!("{}/v1.0/users/{id}/assignLicense", emulator.url))
        .bearer_auth(token)
        .json(&json!({"addLicenses": [], "removeLicenses": [SKU]}))
        .send()
        .unwrap()
        .status();
    assert!(status.is_success());
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    work.apply();
    assert_eq!(
        user(&emulator, UPN).unwrap()["assignedLicenses"][0]["skuId"],
        SKU
    );

    let replaced = account(
        &emulator,
        "usage_location = \"US\"\n  license_sku_id = \"440eaaa8-b3e0-484b-a8be-62870b9ba70a\"",
    )
    .replace("\"auto_attendant\"", "\"call_queue\"");
    work.write(&replaced);
    let plan = work.plan();
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.all());
    work.apply();
    let now = user(&emulator, UPN).unwrap();
    assert_ne!(now["id"], id.as_str());
    assert_eq!(now["applicationId"], "11cd3e2e-fccb-42ad-ad00-878b93575e07");
    work.destroy();
    assert!(user(&emulator, UPN).is_none());
}

#[test]
fn delete_unassigns_the_accounts_number_first() {
    let emulator = Emulator::start(&voice_seed(json!({})));
    let work = Workdir::new();
    work.write(&account(
        &emulator,
        "usage_location = \"US\"\n  license_sku_id = \"440eaaa8-b3e0-484b-a8be-62870b9ba70a\"",
    ));
    work.apply();
    let id = user(&emulator, UPN).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A number assigned outside Terraform.
    let token = emulator.token(teamsphone_contract::GRAPH_SCOPE);
    let answer = reqwest::blocking::Client::new()
        .post(format!("{}/v1.0/admin/teams/telephoneNumberManagement/numberAssignments/assignNumber", emulator.url))
        .bearer_auth(token)
        .json(&json!({"telephoneNumber": "+12065550160", "assignmentTargetId": id, "numberType": "directRouting"}))
        .send()
        .unwrap();
    assert_eq!(answer.status().as_u16(), 202);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        stored_number(&emulator, "+12065550160")["assignmentTargetId"],
        id.as_str()
    );
    work.destroy();
    let number = stored_number(&emulator, "+12065550160");
    assert!(number["assignmentTargetId"].is_null(), "{number}");
    assert!(number.get("stuck").is_none(), "not left stuck: {number}");
    assert!(user(&emulator, UPN).is_none());
}

#[test]
fn bad_account_input_fails_at_plan_time() {
    let emulator = Emulator::start(&voice_seed(json!({})));
    let work = Workdir::new();
    for (extra, message, attribute) in [
        ("usage_location = \"usa\"", "ISO 3166", "usage_location"),
        (
            "license_sku_id = \"440eaaa8-b3e0-484b-a8be-62870b9ba70a\"",
            "Missing usage_location",
            "usage_location",
        ),
        (
            "license_sku_id = \"x\"\n  usage_location = \"US\"",
            "is not a GUID",
            "license_sku_id",
        ),
    ] {
        work.write(&account(&emulator, extra));
        let out = work.plan_fails();
        assert!(
            out.contains(message) && out.contains(attribute),
            "{extra}:\n{out}"
        );
    }
    work.write(&account(&emulator, "").replace("\"auto_attendant\"", "\"voicemail\""));
    assert!(work.plan_fails().contains("auto_attendant, call_queue"));
    work.write(&account(&emulator, "").replace(UPN, "not-an-upn"));
    assert!(work.plan_fails().contains("name@domain"));
}

#[test]
fn a_create_whose_answer_is_lost_adopts_the_account_it_made() {
    let mut lossy = voice_seed(json!({}));
    // The first create is carried out but its answer is cut off; the retry meets it as a 409.
    lossy["settings"]["faults"] = json!({
        "lost_answer_percent": 100, "methods": ["POST"],
        "path_contains": "ApplicationInstances", "limit": 1
    });
    let emulator = Emulator::start(&lossy);
    let work = Workdir::new();
    work.write(&account(&emulator, "usage_location = \"US\""));
    let run = work.apply();
    assert!(
        run.text().contains("Adopted existing resource account"),
        "{}",
        run.all()
    );
    let posts: Vec<u64> = requests_to(&emulator, "POST", "/ApplicationInstances")
        .iter()
        .map(|r| r["status"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(posts, vec![0, 409], "one lost create and one retry");
    assert_eq!(user(&emulator, UPN).unwrap()["usageLocation"], "US");
    work.assert_no_changes();
    work.destroy();
    assert!(
        user(&emulator, UPN).is_none(),
        "the adopted account is managed"
    );
}
