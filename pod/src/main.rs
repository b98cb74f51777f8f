//! `podready-pod`: the commands a pod runs, and nothing else.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use podready_pod::grant::PodGrantCommand;
use podready_pod::hooks::HooksCommand;

#[derive(Debug, Parser)]
#[command(
    name = "podready",
    version,
    about = "What runs inside a pod: the grant client and the hooks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Database access for this pod's IP.
    #[command(subcommand)]
    Grant(PodGrantCommand),
    /// What runs in the pod around the app: the hooks sidecar, its probes,
    /// and the preStop hook.
    #[command(subcommand)]
    Hooks(HooksCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help, --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {}", usage_error(&e));
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Command::Grant(cmd) => podready_pod::grant::run(cmd),
        Command::Hooks(cmd) => podready_pod::hooks::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", podready_pod::one_line(&e));
            ExitCode::from(2)
        }
    }
}

/// A usage error on one line: what is missing or wrong, and where to set
/// it (hooks print their first line into the pod's events, where only one
/// line shows).
fn usage_error(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let what: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:"))
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
        .collect();
    let what = what.join(" ");
    let what = what.strip_prefix("error: ").unwrap_or(&what);
    format!("{what} (flags, or the pod's environment: see --help)")
}
