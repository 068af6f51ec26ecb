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

/// Applies `files` (and whatever `setup` writes) to the demo tenant, re-plans empty, destroys.
fn apply_example(files: &[(&str, String)], setup: fn(&Workdir)) {
    let emulator = Emulator::start(&demo_seed());
    let work = Workdir::new();
    for (name, content) in files {
        work.file(name, content);
    }
    setup(&work);
    let env = [
        ("TEAMSPHONE_TENANT_ID", crate::harness::TENANT_ID),
        ("TEAMSPHONE_CLIENT_ID", crate::harness::CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", DEMO_SECRET),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
    ];
    let names: Vec<String> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tf"))
        .collect();
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

/// Where the complete example calls the site module from, and where its copy goes in a working
/// directory (a temporary directory has no `../modules`).
const SITE_MODULE_SOURCE: &str = "\"../modules/shared-calling-site\"";
const SITE_MODULE_COPY: &str = "\"./modules/shared-calling-site\"";

/// Writes `examples/complete` (every `.tf`) into `work` with the site module it calls copied beside
/// it, and installs the module (`terraform get`: even with dev_overrides, a module must be
/// installed before a plan). Every test that applies the complete example goes through here, so
/// each also applies the module.
pub fn write_complete_example(work: &Workdir) {
    let mut calls = 0;
    for path in tf_files(&root().join("examples/complete")) {
        let text = read(&path);
        calls += text.matches(SITE_MODULE_SOURCE).count();
        work.file(
            &path.file_name().unwrap().to_string_lossy(),
            &text.replace(SITE_MODULE_SOURCE, SITE_MODULE_COPY),
        );
    }
    assert_eq!(
        calls, 1,
        "examples/complete should call the site module once"
    );
    for path in tf_files(&root().join("examples/modules/shared-calling-site")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        work.file(&format!("modules/shared-calling-site/{name}"), &read(&path));
    }
    let get = work.run(&["get", "-no-color"]);
    assert_eq!(get.code, 0, "terraform get:\n{}", get.all());
}

fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    files
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
            apply_example(
                &[
                    ("versions.tf", VERSIONS_TF.to_string()),
                    ("provider.tf", provider.clone()),
                    ("example.tf", read(&dir.join(file))),
                ],
                |_| {},
            );
            count += 1;
        }
    }
    assert!(count >= 2, "expected examples, found {count}");
}

#[test]
fn complete_example_applies() {
    apply_example(&[], write_complete_example);
}

/// The module's README is its documentation: every variable and output has a row there (and a
/// description in the module), and the README lists nothing the module does not have.
#[test]
fn the_site_module_documents_every_input_and_output() {
    let dir = root().join("examples/modules/shared-calling-site");
    let readme = read(&dir.join("README.md"));
    let mut documented = 0;
    for (file, kind) in [("variables.tf", "variable"), ("outputs.tf", "output")] {
        let text = read(&dir.join(file));
        let prefix = format!("{kind} \"");
        let names: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix(prefix.as_str()))
            .filter_map(|l| l.split('"').next())
            .collect();
        assert!(names.len() >= 5, "{file}: {names:?}");
        assert_eq!(
            text.matches("\n  description").count(),
            names.len(),
            "{file}: each {kind} has a description"
        );
        for name in &names {
            assert!(
                readme.contains(&format!("| `{name}` |")),
                "README.md does not document {kind} {name}"
            );
        }
        documented += names.len();
    }
    let rows = readme.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(
        rows, documented,
        "README.md rows that are neither input nor output"
    );
}

/// Without `configuration_id` the site has no association of its own (the rest is the complete
/// example, whose call queue account keeps its association).
#[test]
fn the_site_module_without_a_configuration_makes_no_association() {
    let emulator = Emulator::start(&demo_seed());
    let seeded = crate::voice::snapshot(&emulator);
    let work = Workdir::new();
    write_complete_example(&work);
    let main = read(&work.path().join("main.tf"));
    let lines = "  configuration_id              = teamsphone_auto_attendant.reception.id\n  associate                     = true # the auto attendant is made in this apply\n";
    assert!(main.contains(lines), "{main}");
    work.file("main.tf", &main.replace(lines, ""));
    let env = [
        ("TEAMSPHONE_TENANT_ID", crate::harness::TENANT_ID),
        ("TEAMSPHONE_CLIENT_ID", crate::harness::CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", DEMO_SECRET),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
    ];
    let associations = || emulator.tenant()["voice_apps"]["associations"].clone();
    let before = associations();
    let apply = work.run_with_env(&["apply", "-auto-approve", "-no-color"], &env);
    assert_eq!(apply.code, 0, "{}", apply.all());
    assert!(apply.stdout.contains("11 added"), "{}", apply.stdout);
    let site = crate::voice::user(&emulator, "aa-seattle@contoso.onmicrosoft.com").unwrap();
    let after = associations();
    let after = after.as_array().unwrap();
    assert_eq!(
        after.len(),
        before.as_array().unwrap().len() + 1,
        "only the queue's: {after:?}"
    );
    assert!(
        after.iter().all(|a| a["endpoint_id"] != site["id"]),
        "the site's account has no association: {after:?}"
    );
    let output = work.run_with_env(&["output", "-json"], &env);
    assert!(
        output.stdout.contains("resource_account_id"),
        "{}",
        output.all()
    );
    let destroy = work.run_with_env(&["destroy", "-auto-approve", "-no-color"], &env);
    assert_eq!(destroy.code, 0, "{}", destroy.all());
    assert_eq!(crate::voice::snapshot(&emulator), seeded);
}

/// The demo tenant under another id, domain and app secret: a customer tenant of a managed service
/// provider, with its own accounts, numbers, location and users.
fn customer_tenant(demo: &Value, tenant_id: &str, domain: &str) -> Value {
    let text = demo["tenants"][0]
        .to_string()
        .replace("contoso.onmicrosoft.com", domain);
    let mut tenant: Value = serde_json::from_str(&text).unwrap();
    tenant["tenant_id"] = tenant_id.into();
    tenant["apps"] = serde_json::json!([{
        "client_id": crate::harness::CLIENT_ID,
        "client_secret": format!("secret-{domain}"),
        "teams_administrator": true
    }]);
    tenant
}

fn tenant_state(emulator: &Emulator, tenant_id: &str) -> Value {
    reqwest::blocking::get(format!("{}/_emulator/tenants/{tenant_id}", emulator.url))
        .unwrap()
        .json()
        .unwrap()
}

/// `examples/many-tenants`: one configuration, a provider alias per tenant, the site module once per
/// tenant. Each site lands in its own tenant only, the re-plan is empty, and destroy takes both away.
#[test]
fn the_many_tenants_example_applies_each_site_in_its_own_tenant() {
    const CONTOSO: &str = "aaaaaaaa-0000-0000-0000-00000000000a";
    const FABRIKAM: &str = "bbbbbbbb-0000-0000-0000-00000000000b";
    const BYSTANDER: &str = "cccccccc-0000-0000-0000-00000000000c";
    let demo = demo_seed();
    let seed = serde_json::json!({
        "settings": demo["settings"],
        "tenants": [
            customer_tenant(&demo, CONTOSO, "contoso.onmicrosoft.com"),
            customer_tenant(&demo, FABRIKAM, "fabrikam.onmicrosoft.com"),
            customer_tenant(&demo, BYSTANDER, "bystander.onmicrosoft.com"),
        ]
    });
    let emulator = Emulator::start(&seed);
    let work = Workdir::new();
    let main = read(&root().join("examples/many-tenants/main.tf"));
    assert_eq!(main.matches(SITE_MODULE_SOURCE).count(), 2, "{main}");
    work.file(
        "main.tf",
        &main.replace(SITE_MODULE_SOURCE, SITE_MODULE_COPY),
    );
    for path in tf_files(&root().join("examples/modules/shared-calling-site")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        work.file(&format!("modules/shared-calling-site/{name}"), &read(&path));
    }
    let secrets = serde_json::json!({
        CONTOSO: "secret-contoso.onmicrosoft.com",
        FABRIKAM: "secret-fabrikam.onmicrosoft.com",
    })
    .to_string();
    let env = [
        ("TF_VAR_client_id", crate::harness::CLIENT_ID),
        ("TF_VAR_tenant_secrets", secrets.as_str()),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
    ];
    assert_eq!(work.run_with_env(&["get", "-no-color"], &env).code, 0);
    let run = work.run_with_env(&["apply", "-auto-approve", "-no-color"], &env);
    assert_eq!(run.code, 0, "{}", run.all());
    let policy = |tenant: &str| {
        tenant_state(&emulator, tenant)["shared_calling_policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["Identity"] == "Tag:Seattle")
            .cloned()
    };
    let contoso = policy(CONTOSO).expect("Contoso's site policy");
    let fabrikam = policy(FABRIKAM).expect("Fabrikam's site policy");
    assert_eq!(
        contoso["EmergencyNumbers"],
        serde_json::json!(["+12065550150"])
    );
    assert_eq!(
        fabrikam["EmergencyNumbers"],
        serde_json::json!(["+12065550151"])
    );
    assert_ne!(
        contoso["ResourceAccount"], fabrikam["ResourceAccount"],
        "each tenant's policy lends its own tenant's account"
    );
    assert!(policy(BYSTANDER).is_none(), "the third tenant is untouched");
    let plan = work.run_with_env(&["plan", "-detailed-exitcode", "-no-color"], &env);
    assert_eq!(plan.code, 0, "re-plan after apply:\n{}", plan.all());
    let destroy = work.run_with_env(&["destroy", "-auto-approve", "-no-color"], &env);
    assert_eq!(destroy.code, 0, "{}", destroy.all());
    assert!(policy(CONTOSO).is_none() && policy(FABRIKAM).is_none());
}
