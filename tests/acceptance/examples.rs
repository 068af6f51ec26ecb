//! Every example in `examples/` applies against the emulator's demo tenant, settles, and destroys.
//!
//! The examples are what users copy first; this keeps them working. Each runs in its own working
//! directory with `examples/provider/provider.tf` and the credentials and endpoints from the
//! environment, exactly as `scripts/demo.sh` runs the complete example.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{Emulator, Workdir};

pub const DEMO_SECRET: &str = "demo-secret-not-for-production";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn demo_seed() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/emulator/demo-tenant.json")).unwrap(),
    )
    .unwrap()
}

const VERSIONS_TF: &str = r#"terraform {
  required_providers {
    teamsphone = { source = "teamsphone/teamsphone" }
  }
}
"#;

fn example_dirs(kind: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("examples").join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn apply_example(files: &[(&str, String)]) {
    let emulator = Emulator::start(&demo_seed());
    let work = Workdir::new();
    for (name, content) in files {
        work.file(name, content);
    }
    let env = [
        ("TEAMSPHONE_TENANT_ID", crate::harness::TENANT_ID),
        ("TEAMSPHONE_CLIENT_ID", crate::harness::CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", DEMO_SECRET),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
    ];
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let apply = work.run_with_env(&["apply", "-auto-approve", "-no-color"], &env);
    assert_eq!(apply.code, 0, "{names:?}:\n{}", apply.all());
    let plan = work.run_with_env(&["plan", "-detailed-exitcode", "-no-color"], &env);
    assert_eq!(plan.code, 0, "{names:?} must settle:\n{}", plan.all());
    let destroy = work.run_with_env(&["destroy", "-auto-approve", "-no-color"], &env);
    assert_eq!(destroy.code, 0, "{names:?}:\n{}", destroy.all());
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn resource_and_data_source_examples_apply() {
    let provider = read(&root().join("examples/provider/provider.tf"));
    let mut count = 0;
    for (kind, file) in [
        ("resources", "resource.tf"),
        ("data-sources", "data-source.tf"),
    ] {
        for dir in example_dirs(kind) {
            apply_example(&[
                ("versions.tf", VERSIONS_TF.to_string()),
                ("provider.tf", provider.clone()),
                ("example.tf", read(&dir.join(file))),
            ]);
            count += 1;
        }
    }
    assert!(count >= 2, "expected examples, found {count}");
}

#[test]
fn complete_example_applies() {
    let files: Vec<(String, String)> = std::fs::read_dir(root().join("examples/complete"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                read(&p),
            )
        })
        .collect();
    let borrowed: Vec<(&str, String)> =
        files.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    apply_example(&borrowed);
}
