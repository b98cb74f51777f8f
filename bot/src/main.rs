//! The `podready` command line.

mod bulk;
mod check;
mod check_mr;
mod deploy;
mod fix;
mod forge;
mod grant_cmd;
mod report;
mod rules_cmd;
mod runtime;
mod upgrade;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Gets a fleet of Java services ready to run in Kubernetes pods.
#[derive(Parser)]
#[command(
    name = "podready",
    version,
    about,
    propagate_version = true,
    after_help = EXIT_STATUS
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What the exit status means, for every subcommand.
const EXIT_STATUS: &str = "Exit status:\n  0  success: no finding at the failing severity, nothing left to change, the release done\n  1  findings at or above the failing severity (check), changes pending (fix --dry-run), a release that did not finish (deploy apply, abort)\n  2  a usage or input error, or an internal error: nothing was changed";

#[derive(Subcommand)]
enum Command {
    /// Scan a repository for what blocks it from running in a pod (the CI gate).
    Check(check::CheckArgs),
    /// Upgrade the poms to container-ready SDK versions, in place, with a diff.
    Fix(fix::FixArgs),
    /// Write the deploy spec, render it to Kubernetes, plan and apply releases.
    #[command(subcommand)]
    Deploy(deploy::DeployCommand),
    /// The grant center: database access for a pod's IP (serve, request,
    /// renew, revoke).
    #[command(subcommand)]
    Grant(grant_cmd::GrantCommand),
    /// What runs in the pod around the app: the hooks sidecar, its probes,
    /// and the preStop hook.
    #[command(subcommand)]
    Hooks(podready_pod::hooks::HooksCommand),
    /// Upgrade one repository end to end: scan, fix, deploy spec, verify,
    /// commit on podready/container-ready, merge request text.
    Upgrade(upgrade::UpgradeArgs),
    /// The scheduled run over a fleet: every repository upgraded, one merge
    /// request each, resumable, with a summary report.
    Bulk(bulk::BulkArgs),
    /// Print a shell's completion script for podready (bash, zsh, fish,
    /// elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// List the rules of the pack (and, with --sdk, the SDK table).
    Rules(rules_cmd::RulesArgs),
    /// Explain one rule: what it finds, why, what to do instead, an example.
    Explain(rules_cmd::ExplainArgs),
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn main() -> ExitCode {
    // A reader that goes away (`podready check | head`) ends the process
    // the usual way, by SIGPIPE, not with a panic on the next write.
    // SAFETY: setting a signal's disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Deploy(cmd) => deploy::run(&cmd),
        Command::Grant(cmd) => grant_cmd::run(&cmd),
        Command::Hooks(cmd) => podready_pod::hooks::run(&cmd),
        Command::Upgrade(args) => upgrade::run(&args),
        Command::Bulk(args) => bulk::run(&args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "podready",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules(args) => rules_cmd::rules(&args),
        Command::Explain(args) => rules_cmd::explain(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", podready_pod::one_line(&e));
            ExitCode::from(2)
        }
    }
}
