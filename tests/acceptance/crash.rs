//! Crash test: the complete example applied while the plugin is SIGKILLed at random points.
//!
//! A provider process can die at any instant: an OOM kill, a CI runner cancelled, a laptop lid
//! closed. Terraform then keeps the state it had recorded, and whatever the plugin had sent but not
//! yet reported is in the tenant without being in the state. The next apply must converge anyway:
//! no object twice (a second resource account, a duplicate policy), no object left behind that the
//! state does not know (an orphan nobody will ever destroy), and then an empty plan.
//!
//! The test applies `examples/complete` against the demo tenant and kills the plugin process (the
//! child of terraform, found through `/proc`) after a random delay until an apply outruns its kill,
//! re-applies until an apply succeeds, checks, and destroys back to the seed; and again, until
//! [`KILLS`] kills are spent (at most [`CYCLES`] cycles). The delays come from a seeded generator; the seed is printed
//! at the start and `TEAMSPHONE_CRASH_SEED` replays a failure exactly (as exactly as timing allows).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::harness::{Emulator, Workdir, CLIENT_ID, TENANT_ID};

/// Most kills in one run.
const KILLS: usize = 10;
/// Most apply-kill-converge-destroy cycles.
const CYCLES: usize = 4;
/// Most applies after the kills before the run counts as not converging.
const CONVERGE_APPLIES: usize = 5;
/// Longest one terraform command may take before the test gives up on it.
const COMMAND_LIMIT: Duration = Duration::from_secs(180);

/// Process ids of `parent`'s children whose command name is the plugin's (`comm` holds 15 bytes).
fn plugin_children(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // `pid (comm) state ppid ...`; comm may hold spaces, so split after the last ')'.
            let Some((head, tail)) = stat.rsplit_once(')') else {
                return false;
            };
            let comm = head.split_once('(').map_or("", |(_, c)| c);
            let ppid = tail.split_whitespace().nth(1).and_then(|p| p.parse().ok());
            comm.starts_with("terraform-provi") && ppid == Some(parent)
        })
        .collect()
}

fn sigkill(pid: u32) {
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status();
}

/// Waits for `child` up to [`COMMAND_LIMIT`]; kills it if it hangs. Exit code, or -1.
fn wait(child: &mut Child) -> i32 {
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return status.code().unwrap_or(-1);
        }
        if started.elapsed() > COMMAND_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("terraform did not finish within {COMMAND_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One apply whose plugin is killed `delay` after it first appears. True when the kill landed (the
/// apply was cut short), false when the apply finished first.
fn apply_and_kill(work: &Workdir, env: &[(&str, &str)], delay: Duration) -> bool {
    let mut child = work
        .command(&["apply", "-auto-approve", "-no-color"], env)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("terraform starts");
    let terraform = child.id();
    let mut first_seen = None;
    let started = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        let plugins = plugin_children(terraform);
        let now = Instant::now();
        if !plugins.is_empty() && first_seen.is_none() {
            first_seen = Some(now);
        }
        if first_seen.is_some_and(|seen| now >= seen + delay) && !plugins.is_empty() {
            for pid in plugins {
                sigkill(pid);
            }
            wait(&mut child);
            return true;
        }
        assert!(
            started.elapsed() < COMMAND_LIMIT,
            "apply ran past {COMMAND_LIMIT:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The state's resources as (type, values).
fn state_resources(work: &Workdir, env: &[(&str, &str)]) -> Vec<(String, Value)> {
    let show = work.run_with_env(&["show", "-json", "-no-color"], env);
    assert_eq!(show.code, 0, "{}", show.all());
    let state: Value = serde_json::from_str(&show.stdout).unwrap_or_default();
    let mut resources = Vec::new();
    module_resources(&state["values"]["root_module"], &mut resources);
    resources
}

/// A module's resources and, recursively, its child modules' (the example calls the site module).
fn module_resources(module: &Value, out: &mut Vec<(String, Value)>) {
    for r in module["resources"].as_array().into_iter().flatten() {
        out.push((
            r["type"].as_str().unwrap_or("").to_string(),
            r["values"].clone(),
        ));
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        module_resources(child, out);
    }
}

fn count_by<'a>(items: impl Iterator<Item = &'a Value>, key: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for item in items {
        let k = item[key].as_str().unwrap_or("").to_ascii_lowercase();
        *counts.entry(k).or_insert(0) += 1;
    }
    counts
}

#[test]
fn killing_the_plugin_mid_apply_converges_without_duplicates_or_orphans() {
    let seed: u64 = std::env::var("TEAMSPHONE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    println!("crash test seed: {seed} (replay with TEAMSPHONE_CRASH_SEED={seed})");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo: Value = serde_json::from_slice(
        &std::fs::read(root.join("examples/emulator/demo-tenant.json")).unwrap(),
    )
    .unwrap();
    let emulator = Emulator::start(&demo);
    let seeded_users: BTreeSet<String> = crate::voice::voice(&emulator)["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();
    let seeded_policies: BTreeSet<String> = emulator.tenant()["shared_calling_policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["Identity"].as_str().map(str::to_string))
        .collect();
    let seeded_grants: BTreeSet<_> = crate::directory::direct_assignments(&emulator)
        .into_iter()
        .collect();
    let work = Workdir::new();
    crate::examples::write_complete_example(&work);
    let secret = demo["tenants"][0]["apps"][0]["client_secret"]
        .as_str()
        .unwrap();
    let env = [
        ("TEAMSPHONE_TENANT_ID", TENANT_ID),
        ("TEAMSPHONE_CLIENT_ID", CLIENT_ID),
        ("TEAMSPHONE_CLIENT_SECRET", secret),
        ("TEAMSPHONE_LOGIN_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_GRAPH_ENDPOINT", emulator.url.as_str()),
        ("TEAMSPHONE_TEAMS_ENDPOINT", emulator.url.as_str()),
    ];

    // Cycles of: applies killed at random points until one finishes, applies until converged, the
    // checks, and a clean destroy back to the seed; until KILLS kills are spent.
    let started = Instant::now();
    let seeded = crate::voice::snapshot(&emulator);
    let mut kills = Vec::new();
    for cycle in 1..=CYCLES {
        while kills.len() < KILLS {
            let delay = Duration::from_millis(rng.gen_range(0..2500));
            if !apply_and_kill(&work, &env, delay) {
                break;
            }
            kills.push(delay);
        }
        println!(
            "cycle {cycle}: {} kills so far, {kills:?} ({:?})",
            kills.len(),
            started.elapsed()
        );
        converge_and_check(
            &emulator,
            &work,
            &env,
            seed,
            &seeded_users,
            &seeded_policies,
            &seeded_grants,
        );
        let destroy = work.run_with_env(&["destroy", "-auto-approve", "-no-color"], &env);
        assert_eq!(destroy.code, 0, "destroy (seed {seed}):\n{}", destroy.all());
        assert_eq!(
            crate::voice::snapshot(&emulator),
            seeded,
            "destroy left something behind (seed {seed})"
        );
        if kills.len() >= KILLS {
            break;
        }
    }
    println!(
        "{} kills in {:?} (seed {seed})",
        kills.len(),
        started.elapsed()
    );
}

fn converge_and_check(
    emulator: &Emulator,
    work: &Workdir,
    env: &[(&str, &str)],
    seed: u64,
    seeded_users: &BTreeSet<String>,
    seeded_policies: &BTreeSet<String>,
    seeded_grants: &BTreeSet<(String, String, String)>,
) {
    let mut converged = false;
    for attempt in 1..=CONVERGE_APPLIES {
        let run = work.run_with_env(&["apply", "-auto-approve", "-no-color"], env);
        let out = run.all();
        assert!(
            !out.contains("panicked") && !out.contains("already exists"),
            "apply {attempt} after the kills (seed {seed}):\n{out}"
        );
        if run.code == 0 {
            converged = true;
            break;
        }
        println!("apply {attempt} after the kills failed (seed {seed}):\n{out}");
    }
    assert!(
        converged,
        "no convergence in {CONVERGE_APPLIES} applies (seed {seed})"
    );
    let plan = work.run_with_env(&["plan", "-detailed-exitcode", "-no-color"], env);
    assert_eq!(
        plan.code,
        0,
        "final plan is not empty (seed {seed}):\n{}",
        plan.all()
    );

    // No duplicates in the tenant.
    let voice = crate::voice::voice(emulator);
    let users = voice["users"].as_array().unwrap();
    for (upn, n) in count_by(users.iter(), "userPrincipalName") {
        assert_eq!(n, 1, "{n} users named {upn} (seed {seed})");
    }
    let policies = emulator.tenant()["shared_calling_policies"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (identity, n) in count_by(policies.iter(), "Identity") {
        assert_eq!(n, 1, "{n} policies {identity} (seed {seed})");
    }

    // No orphans: whatever the apply made is in the state.
    let state = state_resources(work, env);
    let in_state = |kind: &str, key: &str| -> BTreeSet<String> {
        state
            .iter()
            .filter(|(t, _)| t == kind)
            .filter_map(|(_, v)| v[key].as_str().map(str::to_ascii_lowercase))
            .collect()
    };
    let accounts = in_state("teamsphone_resource_account", "id");
    for u in users {
        let id = u["id"].as_str().unwrap();
        if !seeded_users.contains(id) {
            assert!(
                accounts.contains(&id.to_ascii_lowercase()),
                "user {} ({id}) is in the tenant but not in the state: an orphan (seed {seed})",
                u["userPrincipalName"]
            );
        }
    }
    let policy_names = in_state("teamsphone_shared_calling_policy", "name");
    for p in &policies {
        let identity = p["Identity"].as_str().unwrap_or("");
        let seeded = seeded_policies.contains(&identity.to_string());
        if let Some(name) = identity.strip_prefix("Tag:").filter(|_| !seeded) {
            assert!(
                policy_names.contains(&name.to_ascii_lowercase()),
                "policy {identity} is in the tenant but not in the state (seed {seed})"
            );
        }
    }
    let numbers = in_state("teamsphone_phone_number_assignment", "target_id");
    for n in voice["phone_numbers"].as_array().unwrap() {
        if let Some(target) = n["assignmentTargetId"].as_str() {
            if !seeded_users.contains(target) {
                assert!(
                    numbers.contains(&target.to_ascii_lowercase()),
                    "number {} is assigned to {target}, which the state does not hold (seed {seed})",
                    n["telephoneNumber"]
                );
            }
        }
    }
    let sets = in_state("teamsphone_policy_assignment_set", "policy_name");
    for (user, policy_type, name) in crate::directory::direct_assignments(emulator) {
        if !seeded_grants.contains(&(user.clone(), policy_type.clone(), name.clone())) {
            assert!(
                sets.contains(&name.to_ascii_lowercase()),
                "{user} holds {policy_type} {name}, which no assignment set in the state grants (seed {seed})"
            );
        }
    }
}
