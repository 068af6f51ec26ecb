//! The `teamsphone-emulator` command line, kept in the library so its parsing is unit-tested and
//! the binary stays a few lines.
//!
//! ```text
//! teamsphone-emulator --listen IP:PORT --seed FILE [--state FILE] [--allow-remote]
//! ```
//!
//! Arguments are parsed by hand (no parser dependency for a handful of flags); `--flag value` and
//! `--flag=value` both work.
//!
//! The emulator hands out tokens to anyone who knows a seed's demo secret and answers without TLS,
//! so it listens on a loopback address (`127.0.0.1`, `::1`) only. Any other `--listen` address,
//! `0.0.0.0` included, is refused as a usage error unless `--allow-remote` says that exposing it to
//! the network is meant (a container whose port is published, a shared test host). Usage errors exit with code 2, failures after parsing (unreadable
//! seed, port taken) with 1. Once listening, exactly one line goes to stdout,
//! `listening on http://IP:PORT` with the real port, so a harness can start it on port 0 and read
//! the address; everything else goes to stderr. It runs until SIGINT or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use super::faults::Faults;
use super::{Emulator, EmulatorConfig, Seed};

pub const USAGE: &str = "\
Usage: teamsphone-emulator --listen IP:PORT --seed FILE [--state FILE] [--settings JSON] [--faults JSON]
                           [--allow-remote] [--generate-users N [--generate-seed S]]

Emulates the Entra ID token endpoint, Microsoft Graph and the Teams admin API for
terraform-provider-teamsphone, all on one port.

Options:
  --listen IP:PORT  address to listen on; port 0 picks a free port. Must be a
                    loopback address (127.0.0.1, ::1) unless --allow-remote is given
  --allow-remote    allow a --listen address other than loopback (such as 0.0.0.0):
                    the emulator has no TLS and its seeds hold well-known secrets
  --seed FILE       JSON seed with tenants, apps and policies (also the target of
                    POST /_emulator/reset)
  --state FILE      keep the state in FILE: loaded from it when it exists (instead of
                    the seed), rewritten atomically after every change
  --settings JSON   change settings of the seed, e.g. '{\"propagation_delay_ms\":30000}'
                    (also GET/PATCH /_emulator/settings at run time)
  --faults JSON     injected faults, overriding the seed's settings.faults, e.g.
                    '{\"throttle_percent\":10,\"unavailable_percent\":10}' (see the
                    faults module; also GET/PUT /_emulator/faults at run time)
  --generate-users N  add N users user000000@<domain>.. to the seed's first tenant
                    (100,000 take about a second); their ids are random from
  --generate-seed S the seed S (default 1), printed to stderr
  -h, --help        print this help

On start, prints `listening on http://IP:PORT` to stdout; logs go to stderr.";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
// Parsed once at start-up; boxing the options would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    Help,
    Run(Options),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub listen: SocketAddr,
    pub seed: PathBuf,
    pub state: Option<PathBuf>,
    pub faults: Option<Faults>,
    /// Settings to change after loading the seed (same keys as the seed's `settings`).
    pub settings: Option<serde_json::Value>,
    /// `--allow-remote`: the listen address may be other than loopback.
    pub allow_remote: bool,
    /// `--generate-users N` and `--generate-seed S`: users added to the seed's first tenant.
    pub generate: Option<(usize, u64)>,
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut listen: Option<SocketAddr> = None;
    let mut seed: Option<PathBuf> = None;
    let mut state: Option<PathBuf> = None;
    let mut faults: Option<Faults> = None;
    let mut settings: Option<serde_json::Value> = None;
    let mut allow_remote = false;
    let mut generate_users: Option<usize> = None;
    let mut generate_seed: Option<u64> = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--allow-remote" if inline.is_none() => {
                if std::mem::replace(&mut allow_remote, true) {
                    return Err("--allow-remote is given more than once".into());
                }
            }
            "--allow-remote" => return Err("--allow-remote takes no value".into()),
            "--listen" | "--seed" | "--state" | "--faults" | "--settings" | "--generate-users"
            | "--generate-seed" => {
                let value = match inline {
                    Some(v) => v,
                    None => args
                        .next()
                        .filter(|v| !v.starts_with("--"))
                        .ok_or_else(|| format!("{flag} needs a value"))?,
                };
                if value.is_empty() {
                    return Err(format!("{flag} needs a value"));
                }
                let duplicate = match flag.as_str() {
                    "--listen" => listen
                        .replace(value.parse().map_err(|_| {
                            format!("--listen '{value}' is not an address; expected IP:PORT such as 127.0.0.1:0")
                        })?)
                        .is_some(),
                    "--seed" => seed.replace(PathBuf::from(value)).is_some(),
                    "--generate-users" => generate_users
                        .replace(value.parse().map_err(|_| {
                            format!("--generate-users '{value}' is not a number of users")
                        })?)
                        .is_some(),
                    "--generate-seed" => generate_seed
                        .replace(value.parse().map_err(|_| {
                            format!("--generate-seed '{value}' is not a whole number")
                        })?)
                        .is_some(),
                    "--settings" => {
                        let parsed: serde_json::Value = serde_json::from_str(&value)
                            .map_err(|e| format!("--settings is not JSON: {e}"))?;
                        if !parsed.is_object() {
                            return Err("--settings must be a JSON object".into());
                        }
                        settings.replace(parsed).is_some()
                    }
                    "--faults" => {
                        let parsed: Faults = serde_json::from_str(&value)
                            .map_err(|e| format!("--faults is not a faults object: {e}"))?;
                        parsed.validate().map_err(|e| format!("--faults: {e}"))?;
                        faults.replace(parsed).is_some()
                    }
                    _ => state.replace(PathBuf::from(value)).is_some(),
                };
                if duplicate {
                    return Err(format!("{flag} is given more than once"));
                }
            }
            other if other.starts_with('-') => return Err(format!("unknown option '{other}'")),
            other => return Err(format!("unexpected argument '{other}'")),
        }
    }
    let listen = listen.ok_or("--listen IP:PORT is required")?;
    if !listen.ip().is_loopback() && !allow_remote {
        return Err(format!(
            "--listen {listen} is not a loopback address: the emulator has no TLS and hands out \
             tokens for well-known seed secrets, so it listens on 127.0.0.1 or ::1 only; add \
             --allow-remote to expose it on {} anyway",
            listen.ip()
        ));
    }
    if generate_seed.is_some() && generate_users.is_none() {
        return Err("--generate-seed needs --generate-users".into());
    }
    Ok(Command::Run(Options {
        generate: generate_users.map(|n| (n, generate_seed.unwrap_or(1))),
        listen,
        seed: seed.ok_or("--seed FILE is required")?,
        state,
        faults,
        settings,
        allow_remote,
    }))
}

/// Runs the emulator until SIGINT or SIGTERM.
pub async fn run(options: Options) -> Result<(), String> {
    let mut seed = Seed::from_file(&options.seed).map_err(|e| e.to_string())?;
    if let Some((count, generator)) = options.generate {
        seed.add_generated_users(count, generator)?;
        eprintln!("teamsphone-emulator: generated {count} users with --generate-seed {generator}");
    }
    if let Some(patch) = &options.settings {
        seed.0.settings = seed
            .0
            .settings
            .merged(patch)
            .map_err(|e| format!("--settings: {e}"))?;
    }
    if let Some(faults) = options.faults {
        seed.0.settings.faults = faults;
    }
    let mut config = EmulatorConfig::new(options.listen, seed).with_stderr_log(true);
    if let Some(state) = options.state {
        config = config.with_state_file(state);
    }
    let emulator = Emulator::start(config).await.map_err(|e| e.to_string())?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", emulator.url())
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
    }
    let signal = wait_for_signal().await;
    eprintln!("teamsphone-emulator: {signal}, shutting down");
    emulator.shutdown().await;
    Ok(())
}

async fn wait_for_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_both_spellings() {
        let want = Command::Run(Options {
            listen: "127.0.0.1:0".parse().unwrap(),
            seed: "seed.json".into(),
            state: Some("state.json".into()),
            faults: None,
            settings: None,
            allow_remote: false,
            generate: None,
        });
        assert_eq!(
            parse(args(&[
                "--listen",
                "127.0.0.1:0",
                "--seed",
                "seed.json",
                "--state",
                "state.json"
            ])),
            Ok(want)
        );
        let got = parse(args(&["--seed=seed.json", "--listen=[::1]:8080"])).unwrap();
        assert_eq!(
            got,
            Command::Run(Options {
                listen: "[::1]:8080".parse().unwrap(),
                seed: "seed.json".into(),
                state: None,
                faults: None,
                settings: None,
                allow_remote: false,
                generate: None,
            })
        );
        assert_eq!(parse(args(&["--seed", "x", "--help"])), Ok(Command::Help));
        let Command::Run(with_faults) = parse(args(&[
            "--listen=127.0.0.1:0",
            "--seed=s",
            "--faults={\"throttle_percent\":20}",
        ]))
        .unwrap() else {
            panic!("expected options")
        };
        assert_eq!(with_faults.faults.unwrap().throttle_percent, 20);
        let Command::Run(with_settings) = parse(args(&[
            "--listen=127.0.0.1:0",
            "--seed=s",
            "--settings={\"propagation_delay_ms\":5}",
        ]))
        .unwrap() else {
            panic!("expected options")
        };
        assert_eq!(
            with_settings.settings,
            Some(serde_json::json!({"propagation_delay_ms": 5}))
        );
        assert!(parse(args(&[
            "--listen=127.0.0.1:0",
            "--seed=s",
            "--settings=[1]"
        ]))
        .unwrap_err()
        .contains("JSON object"));
        let err = parse(args(&[
            "--listen=127.0.0.1:0",
            "--seed=s",
            "--faults={\"drop_percent\":101}",
        ]))
        .unwrap_err();
        assert!(err.contains("more than 100"), "{err}");
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let err = |a: &[&str]| parse(args(a)).unwrap_err();
        assert!(
            err(&["--listen=127.0.0.1:0", "--seed=s", "--generate-users=many"])
                .contains("not a number")
        );
        assert!(
            err(&["--listen=127.0.0.1:0", "--seed=s", "--generate-seed=3"])
                .contains("needs --generate-users")
        );
        let Ok(Command::Run(generated)) = parse(args(&[
            "--listen=127.0.0.1:0",
            "--seed=s",
            "--generate-users",
            "100000",
        ])) else {
            panic!("--generate-users parses")
        };
        assert_eq!(generated.generate, Some((100_000, 1)));
        assert!(err(&["--seed", "s"]).contains("--listen"));
        assert!(err(&["--listen", "127.0.0.1:0"]).contains("--seed"));
        assert!(err(&["--listen", "localhost:80", "--seed", "s"]).contains("IP:PORT"));
        assert!(err(&["--listen"]).contains("needs a value"));
        assert!(err(&["--listen", "--seed", "s"]).contains("--listen needs a value"));
        assert!(err(&["--seed", "a", "--seed", "b"]).contains("more than once"));
        assert!(err(&["--port", "1"]).contains("unknown option '--port'"));
        assert!(err(&["seed.json"]).contains("unexpected argument"));
    }

    #[test]
    fn a_remote_listen_address_needs_allow_remote() {
        for addr in ["0.0.0.0:8080", "192.0.2.7:0", "[::]:0", "[2001:db8::1]:443"] {
            let refused = parse(args(&["--listen", addr, "--seed", "s"])).unwrap_err();
            assert!(refused.contains("not a loopback address"), "{refused}");
            assert!(refused.contains("--allow-remote"), "{refused}");
            let Ok(Command::Run(allowed)) =
                parse(args(&["--listen", addr, "--seed", "s", "--allow-remote"]))
            else {
                panic!("--allow-remote should accept {addr}")
            };
            assert!(allowed.allow_remote);
            assert_eq!(allowed.listen, addr.parse().unwrap());
        }
        for addr in ["127.0.0.1:0", "127.8.9.10:1", "[::1]:0"] {
            let Ok(Command::Run(local)) = parse(args(&["--listen", addr, "--seed", "s"])) else {
                panic!("{addr} is loopback")
            };
            assert!(!local.allow_remote);
        }
        let err = |a: &[&str]| parse(args(a)).unwrap_err();
        assert!(err(&["--listen=[::1]:0", "--seed=s", "--allow-remote=yes"]).contains("no value"));
        assert!(err(&[
            "--listen=[::1]:0",
            "--seed=s",
            "--allow-remote",
            "--allow-remote"
        ])
        .contains("more than once"));
        assert!(USAGE.contains("--allow-remote"));
    }
}
