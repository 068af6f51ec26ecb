//! Unit tests of the seed, the state file and settings patches.

use std::fs;
use std::path::Path;

use super::*;

const SEED: &str = r#"{
    "_comment": ["anything"],
    "settings": {"token_lifetime_seconds": 60},
    "tenants": [{
        "tenant_id": "11111111-2222-3333-4444-55555555555A",
        "domain": "contoso.onmicrosoft.com",
        "apps": [{"client_id": "AAAAAAAA-bbbb-cccc-dddd-eeeeeeeeeeee", "client_secret": "s"}],
        "shared_calling_policies": [{"Identity": "Tag:A", "ResourceAccount": "0E5A2A42-1B55-4B3B-9F68-1F0D6C0B2A11"}]
    }]
}"#;

#[test]
fn seed_is_normalised() {
    let s = State::from_json(SEED).unwrap();
    assert_eq!(s.settings.token_lifetime_seconds, 60);
    let t = &s.tenants[0];
    assert_eq!(t.tenant_id, "11111111-2222-3333-4444-55555555555a");
    assert_eq!(t.apps[0].client_id, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    assert!(!t.apps[0].teams_administrator, "the role must be opt-in");
    let ids: Vec<&str> = t
        .shared_calling_policies
        .iter()
        .map(|p| p.identity.as_str())
        .collect();
    assert_eq!(ids, ["Global", "Tag:A"]);
    assert_eq!(
        t.shared_calling_policies[1].resource_account.as_deref(),
        Some("0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11")
    );
    assert!(s.tenant_by_ref("CONTOSO.onmicrosoft.com").is_some());
    assert!(s
        .tenant_by_ref("11111111-2222-3333-4444-55555555555A")
        .is_some());
}

#[test]
fn seed_errors_are_specific() {
    let typo = SEED.replace("\"apps\"", "\"appz\"");
    assert!(State::from_json(&typo).unwrap_err().contains("appz"));

    let bad_tenant = SEED.replace("11111111-2222-3333-4444-55555555555A", "contoso");
    assert!(State::from_json(&bad_tenant)
        .unwrap_err()
        .contains("tenant_id 'contoso'"));

    let two = r#"{"tenants":[
        {"tenant_id":"11111111-2222-3333-4444-555555555555","domain":"a.example"},
        {"tenant_id":"11111111-2222-3333-4444-555555555555","domain":"b.example"}]}"#;
    assert!(State::from_json(two).unwrap_err().contains("already used"));

    let bad_policy = SEED.replace("Tag:A", "A");
    let e = State::from_json(&bad_policy).unwrap_err();
    assert!(
        e.contains("shared_calling_policies[0]") && e.contains("'A'"),
        "{e}"
    );
}

#[test]
fn empty_seed_uses_default_settings() {
    let s = State::from_json("{}").unwrap();
    assert_eq!(s.settings.token_lifetime_seconds, 3599);
    assert!(s.tenants.is_empty());
}

#[test]
fn state_file_round_trips_and_failed_changes_leave_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let seed = Seed::from_json(SEED).unwrap();
    let mut store = Store::open(seed.clone(), Some(path.clone())).unwrap();
    assert!(
        path.exists(),
        "opening from the seed creates the state file"
    );

    let tenant_id = "11111111-2222-3333-4444-55555555555a";
    store
        .mutate(|s| -> Result<(), PersistError> {
            s.tenant_mut(tenant_id).unwrap().domain = "changed.example".into();
            Ok(())
        })
        .unwrap();
    let failed: Result<(), TestErr> = store.mutate(|s| {
        s.tenants.clear();
        Err(TestErr)
    });
    assert!(failed.is_err());
    assert_eq!(store.state().tenants.len(), 1);
    // With a file, a checked change is copied too, so even one that breaks its promise
    // leaves no trace.
    let broken: Result<(), TestErr> = store.mutate_checked(|s| {
        s.tenants.clear();
        Err(TestErr)
    });
    assert!(broken.is_err());
    assert_eq!(store.state().tenants.len(), 1);
    assert!(!dir.path().join("state.json.tmp").exists());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left behind"
    );

    // A second store over the same file ignores its (different) seed.
    let reopened = Store::open(Seed::from_json("{}").unwrap(), Some(path.clone())).unwrap();
    assert_eq!(reopened.state().tenants[0].domain, "changed.example");

    store.reset().unwrap();
    let reopened = Store::open(Seed::from_json("{}").unwrap(), Some(path)).unwrap();
    assert_eq!(
        reopened.state().tenants[0].domain,
        "contoso.onmicrosoft.com"
    );
}

/// The state holds client secrets and tokens: it is private to its owner, even when the file
/// was there before with looser permissions, and a file or symlink planted where a temporary
/// file could go is never written through.
#[cfg(unix)]
#[test]
fn state_file_is_private_and_planted_files_are_not_followed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    // The names a naive writer would use.
    std::os::unix::fs::symlink(&victim, dir.path().join("state.json.tmp")).unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join(".state.json.tmp")).unwrap();

    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut store = Store::open(Seed::from_json(SEED).unwrap(), Some(path.clone())).unwrap();
    assert_eq!(mode(&path), 0o600, "a new state file is 0600");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    store
        .mutate(|s| -> Result<(), PersistError> {
            s.tenants[0].domain = "changed.example".into();
            Ok(())
        })
        .unwrap();
    assert_eq!(mode(&path), 0o600, "a rewritten state file is 0600 again");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(fs::read_to_string(&path)
        .unwrap()
        .contains("changed.example"));
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".state.json.tmp",
            "state.json",
            "state.json.tmp",
            "victim.txt"
        ]
    );
}

#[derive(Debug)]
struct TestErr;
impl From<PersistError> for TestErr {
    fn from(_: PersistError) -> Self {
        TestErr
    }
}

#[test]
fn settings_patches_replace_only_their_keys_and_reject_typos() {
    let base = Settings::default();
    let merged = base
        .merged(&serde_json::json!({"latency_ms": 25, "faults": {"unavailable_percent": 10}}))
        .unwrap();
    assert_eq!(merged.latency_ms, 25);
    assert_eq!(merged.faults.unavailable_percent, 10);
    assert_eq!(merged.token_lifetime_seconds, base.token_lifetime_seconds);
    assert!(base.merged(&serde_json::json!({"latency": 1})).is_err());
    assert!(base.merged(&serde_json::json!([1])).is_err());
    assert!(base
        .merged(&serde_json::json!({"faults": {"drop_percent": 200}}))
        .unwrap_err()
        .contains("more than 100"));
}
