//! The binary's exit codes for refused arguments, run as a process: a usage error is 2.

use std::process::Command;

#[test]
fn a_remote_listen_address_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_teamsphone-emulator"))
        .args(["--listen", "0.0.0.0:0", "--seed", "no-such-seed.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a loopback address"), "{stderr}");
    assert!(stderr.contains("--allow-remote"), "{stderr}");
    assert!(out.stdout.is_empty());

    // With the flag the address is accepted, and the run fails later (no seed): exit code 1.
    let out = Command::new(env!("CARGO_BIN_EXE_teamsphone-emulator"))
        .args([
            "--listen",
            "0.0.0.0:0",
            "--seed",
            "no-such-seed.json",
            "--allow-remote",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}
