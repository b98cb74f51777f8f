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
    let cli = Cli::parse();
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
