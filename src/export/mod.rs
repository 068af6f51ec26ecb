//! `terraform-provider-teamsphone export --out DIR`: writes the tenant's Shared Calling setup as
//! Terraform configuration, with the import blocks and commands to adopt it into a state.
//!
//! It is the first step of moving from PowerShell or the admin center to Terraform: read what exists,
//! write it as code, import it, and see an empty plan. The command signs in exactly as the provider
//! would with an empty provider block (`TEAMSPHONE_*`, then `ARM_*` variables; every sign-in method),
//! so whatever works for `terraform plan` in a pipeline works here. Reading is in [`read`] (requests
//! linear in what is exported), writing in [`render`] (pure, deterministic). Progress goes to stderr
//! only when it is a terminal, so scripted runs stay quiet; the summary goes to stdout.

pub mod read;
pub mod render;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::client::Client;
use crate::provider::settings::client_config_from_environment;

const USAGE: &str = "usage: terraform-provider-teamsphone export --out DIR [--force]

Writes the tenant's shared calling and emergency call routing policies (except Global), the
resource accounts they use, the numbers those accounts hold, their associations with auto attendants or
call queues, every auto attendant (with its business hours and holidays) and every call queue, and
who holds the policies (one assignment set per policy for direct user grants, one group policy
assignment per group) as Terraform configuration in DIR: provider.tf, main.tf,
imports.tf (Terraform 1.5+ import blocks) and import.sh (terraform import commands).
Sign-in settings come from the environment, as for the provider: TEAMSPHONE_TENANT_ID,
TEAMSPHONE_CLIENT_ID, TEAMSPHONE_CLIENT_SECRET (or a certificate / OIDC), or the ARM_* variables.
--force overwrites those files when DIR already has them.";

/// The parsed command line.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub out: PathBuf,
    pub force: bool,
}

/// Parses the arguments after `export`; `Ok(None)` means help was asked for.
pub fn parse_args(args: &[String]) -> anyhow::Result<Option<Options>> {
    let mut out = None;
    let mut force = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--force" => force = true,
            "--out" => match args.next() {
                Some(dir) => out = Some(PathBuf::from(dir)),
                None => bail!("--out needs a directory\n\n{USAGE}"),
            },
            other => match other.strip_prefix("--out=") {
                Some(dir) => out = Some(PathBuf::from(dir)),
                None => bail!("unknown argument {other:?}\n\n{USAGE}"),
            },
        }
    }
    match out {
        Some(out) if !out.as_os_str().is_empty() => Ok(Some(Options { out, force })),
        _ => bail!("--out DIR is required\n\n{USAGE}"),
    }
}

/// Progress lines that overwrite each other on a terminal, nothing otherwise.
struct Terminal {
    enabled: bool,
}

impl read::Progress for Terminal {
    fn step(&self, message: &str) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K{message}...");
            let _ = err.flush();
        }
    }
}

impl Terminal {
    fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[K");
        }
    }
}

/// Runs `export` with the arguments after the subcommand.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(options) = parse_args(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    check_out_dir(&options)?;
    let config = client_config_from_environment()
        .map_err(|e| anyhow::anyhow!("the sign-in settings are incomplete:\n{e}"))?;
    let tenant_id = config.tenant_id.clone();
    let client = Client::new(config).context("setting up the Teams admin API client")?;
    let progress = Terminal {
        enabled: std::io::stderr().is_terminal(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let slice = runtime.block_on(read::read_slice(&client, &progress));
    progress.clear();
    let slice = slice.context(format!("exporting tenant {tenant_id}"))?;
    let files = render::render(&slice, &tenant_id);
    write_files(&options.out, &files)?;
    for warning in &files.warnings {
        eprintln!("warning: {warning}");
    }
    println!(
        "Exported {} from tenant {tenant_id} to {}.",
        files.summary.join(", "),
        options.out.display()
    );
    println!("Next: cd {} && terraform init, then `terraform plan` (Terraform 1.5+, imports.tf) or `sh import.sh` (older; delete imports.tf first).", options.out.display());
    Ok(())
}

const FILES: [&str; 4] = ["provider.tf", "main.tf", "imports.tf", "import.sh"];

fn check_out_dir(options: &Options) -> anyhow::Result<()> {
    if options.force {
        return Ok(());
    }
    let existing: Vec<&str> = FILES
        .into_iter()
        .filter(|f| options.out.join(f).exists())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} already has {}; choose an empty directory or pass --force to overwrite them",
            options.out.display(),
            existing.join(", ")
        );
    }
    Ok(())
}

fn write_files(dir: &Path, files: &render::Files) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, content) in &files.files {
        let path = dir.join(name);
        std::fs::write(&path, content).with_context(|| format!("writing {}", path.display()))?;
        #[cfg(unix)]
        if name.ends_with(".sh") {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .with_context(|| format!("making {} executable", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_parse_and_mistakes_say_how_to_call() {
        assert_eq!(
            parse_args(&args(&["--out", "x"])).unwrap(),
            Some(Options {
                out: "x".into(),
                force: false
            })
        );
        assert_eq!(
            parse_args(&args(&["--force", "--out=y"])).unwrap(),
            Some(Options {
                out: "y".into(),
                force: true
            })
        );
        assert_eq!(parse_args(&args(&["--help"])).unwrap(), None);
        let e = parse_args(&args(&[])).unwrap_err().to_string();
        assert!(
            e.contains("--out DIR is required") && e.contains("usage:"),
            "{e}"
        );
        assert!(parse_args(&args(&["--bogus"]))
            .unwrap_err()
            .to_string()
            .contains("\"--bogus\""));
    }

    #[test]
    fn existing_files_are_not_overwritten_without_force() {
        let dir = std::env::temp_dir().join(format!("teamsphone-export-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.tf"), "# mine").unwrap();
        let options = Options {
            out: dir.clone(),
            force: false,
        };
        let e = check_out_dir(&options).unwrap_err().to_string();
        assert!(e.contains("main.tf") && e.contains("--force"), "{e}");
        assert!(check_out_dir(&Options {
            force: true,
            ..options
        })
        .is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
