//! Data sources through terraform against the emulator.

use serde_json::{json, Value};

use crate::harness::{provider_block, seed, Emulator, Workdir, RESOURCE_ACCOUNT};

#[test]
fn shared_calling_policy_is_read_by_name() {
    let emulator = Emulator::start(&seed(json!({
        "shared_calling_policies": [{
            "Identity": "Tag:Existing", "Description": "made in the admin center",
            "ResourceAccount": RESOURCE_ACCOUNT, "EmergencyNumbers": ["+12065550100"]
        }]
    })));
    let work = Workdir::new();
    work.write(&format!(
        r#"{}
data "teamsphone_shared_calling_policy" "existing" {{
  name = "Existing"
}}

output "policy" {{
  value = data.teamsphone_shared_calling_policy.existing
}}
"#,
        provider_block(&emulator)
    ));
    work.apply();
    let out = work.run(&["output", "-json", "policy"]);
    let policy: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(policy["id"], "Tag:Existing");
    assert_eq!(policy["description"], "made in the admin center");
    assert_eq!(policy["resource_account_id"], RESOURCE_ACCOUNT);
    assert_eq!(policy["emergency_numbers"], json!(["+12065550100"]));

    work.write(&format!(
        "{}\ndata \"teamsphone_shared_calling_policy\" \"missing\" {{\n  name = \"Missing\"\n}}\n",
        provider_block(&emulator)
    ));
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.text()
            .contains("No shared calling policy named \"Missing\""),
        "{}",
        run.all()
    );
}
