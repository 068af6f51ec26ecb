//! `teamsphone-emulator`: the Teams admin API emulator as a process. All logic lives in
//! `teamsphone_emulator` (see `cli` for the command line); this file only maps results
//! to exit codes: 0 after a clean shutdown, 1 on a runtime failure, 2 on bad arguments.

use std::process::ExitCode;

use teamsphone_emulator::cli;

fn main() -> ExitCode {
    let options = match cli::parse(std::env::args().skip(1)) {
        Ok(cli::Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(cli::Command::Run(options)) => options,
        Err(message) => {
            eprintln!("teamsphone-emulator: {message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("teamsphone-emulator: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("teamsphone-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}
