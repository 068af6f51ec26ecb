//! The release zip installs as a user installing offline would: through a `filesystem_mirror`.

use std::process::Command;

use serde_json::json;

use crate::harness::{provider_block, seed, terraform_binary, Emulator, RESOURCE_ACCOUNT};

#[test]
fn release_zip_installs_through_a_filesystem_mirror_and_plans() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let artifacts = dir.path().join("artifacts");
    let built = Command::new("bash")
        .arg(format!("{root}/scripts/release.sh"))
        .args([
            "--version",
            "0.1.0",
            "--binary",
            env!("CARGO_BIN_EXE_terraform-provider-teamsphone"),
            "--out",
        ])
        .arg(&artifacts)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let zip = String::from_utf8_lossy(&built.stdout).trim().to_string();
    let zip_name = std::path::Path::new(&zip)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        zip_name.starts_with("terraform-provider-teamsphone_0.1.0_"),
        "{zip_name}"
    );
    let sums =
        std::fs::read_to_string(artifacts.join("terraform-provider-teamsphone_0.1.0_SHA256SUMS"))
            .unwrap();
    assert!(
        sums.contains(&zip_name) && sums.contains("_manifest.json"),
        "{sums}"
    );

    // Packed mirror layout: <mirror>/<hostname>/<namespace>/<type>/<zip>.
    let mirror = dir
        .path()
        .join("mirror/registry.terraform.io/teamsphone/teamsphone");
    std::fs::create_dir_all(&mirror).unwrap();
    std::fs::copy(&zip, mirror.join(&zip_name)).unwrap();
    let rc = dir.path().join("terraformrc");
    std::fs::write(
        &rc,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = {:?}\n    include = [\"registry.terraform.io/teamsphone/teamsphone\"]\n  }}\n}}\n",
            dir.path().join("mirror").display().to_string()
        ),
    )
    .unwrap();

    let emulator = Emulator::start(&seed(json!({})));
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let config = provider_block(&emulator).replace(
        "source = \"teamsphone/teamsphone\"",
        "source  = \"teamsphone/teamsphone\"\n      version = \"0.1.0\"",
    );
    std::fs::write(
        work.join("main.tf"),
        format!("{config}\nresource \"teamsphone_shared_calling_policy\" \"p\" {{\n  name = \"Offline\"\n  resource_account_id = \"{RESOURCE_ACCOUNT}\"\n}}\n"),
    )
    .unwrap();
    let terraform = |args: &[&str]| {
        Command::new(terraform_binary())
            .args(args)
            .current_dir(&work)
            .env("TF_CLI_CONFIG_FILE", &rc)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .output()
            .unwrap()
    };
    let init = terraform(&["init", "-no-color", "-input=false"]);
    let init_out =
        String::from_utf8_lossy(&init.stdout).into_owned() + &String::from_utf8_lossy(&init.stderr);
    assert!(init.status.success(), "{init_out}");
    assert!(
        init_out.contains("teamsphone/teamsphone v0.1.0"),
        "{init_out}"
    );
    let plan = terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    let plan_out = String::from_utf8_lossy(&plan.stdout).into_owned();
    assert_eq!(
        plan.status.code(),
        Some(2),
        "{plan_out}{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    assert!(
        plan_out.contains("teamsphone_shared_calling_policy.p will be created"),
        "{plan_out}"
    );
}
