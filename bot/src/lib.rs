//! The `podready` command line: the commands' arguments and what runs them.
//!
//! Two binaries share it. `podready` runs what works on the files at hand
//! (check, fix, deploy init/render/plan, rules, explain, hooks) and hands
//! every command that talks to a forge, a cluster or a database to
//! `podready-net`, installed beside it, which runs them all. A check then
//! maps none of the forge, Kubernetes, Git and database clients nor
//! OpenSSL (4.5 MiB of its peak memory on dubbo: README, round 34).

pub mod bulk;
pub mod check;
pub mod check_mr;
pub mod deploy;
pub mod fix;
pub mod forge;
pub mod grant_cmd;
pub mod report;
pub mod rules_cmd;
pub mod runtime;
pub mod upgrade;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use deploy::DeployCommand;

/// Gets a fleet of Java services ready to run in Kubernetes pods.
#[derive(Parser)]
#[command(
    name = "podready",
    version,
    about,
    propagate_version = true,
    after_help = EXIT_STATUS
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What the exit status means, for every subcommand.
const EXIT_STATUS: &str = "Exit status:\n  0  success: no finding at the failing severity, nothing left to change, the release done\n  1  findings at or above the failing severity (check), changes pending (fix --dry-run), a release that did not finish (deploy apply, abort)\n  2  a usage or input error, or an internal error: nothing was changed";

#[derive(Subcommand)]
pub enum Command {
    /// Scan a repository for what blocks it from running in a pod (the CI gate).
    Check(check::CheckArgs),
    /// Upgrade the poms to container-ready SDK versions, in place, with a diff.
    Fix(fix::FixArgs),
    /// Write the deploy spec, render it to Kubernetes, plan and apply releases.
    #[command(subcommand)]
    Deploy(DeployCommand),
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

/// A command that talks to a forge, a cluster or a database: what
/// `podready-net` runs.
pub enum Remote {
    /// `check --report mr`: the check, then its merge-request comments.
    Check(check::CheckArgs),
    /// `deploy apply` and `deploy abort`.
    Deploy(DeployCommand),
    Grant(grant_cmd::GrantCommand),
    Upgrade(upgrade::UpgradeArgs),
    Bulk(bulk::BulkArgs),
}

/// Runs `command` here when it needs no server, else hands it to `remote`.
pub fn run(command: Command, remote: impl FnOnce(Remote) -> Result<ExitCode>) -> Result<ExitCode> {
    match command {
        Command::Check(args) if args.report.is_some() => remote(Remote::Check(args)),
        Command::Check(args) => check::run(&args).map(|checked| checked.exit),
        Command::Fix(args) => fix::run(&args),
        Command::Deploy(DeployCommand::Init(args)) => deploy::init(&args),
        Command::Deploy(DeployCommand::Render(args)) => deploy::render(&args),
        Command::Deploy(DeployCommand::Plan(args)) => deploy::plan(&args),
        Command::Deploy(cmd) => remote(Remote::Deploy(cmd)),
        Command::Grant(cmd) => remote(Remote::Grant(cmd)),
        Command::Hooks(cmd) => podready_pod::hooks::run(&cmd),
        Command::Upgrade(args) => remote(Remote::Upgrade(args)),
        Command::Bulk(args) => remote(Remote::Bulk(args)),
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
    }
}

/// Runs a command that talks to a server (`podready-net`).
pub fn run_remote(command: Remote) -> Result<ExitCode> {
    match command {
        Remote::Check(args) => {
            let checked = check::run(&args)?;
            if let Some((root, findings)) = &checked.printed {
                eprintln!("{}", check_mr::report(root, findings)?);
            }
            Ok(checked.exit)
        }
        Remote::Deploy(cmd) => deploy::run(&cmd),
        Remote::Grant(cmd) => grant_cmd::run(&cmd),
        Remote::Upgrade(args) => upgrade::run(&args),
        Remote::Bulk(args) => bulk::run(&args),
    }
}

/// Parses the arguments, runs, and turns an error into its one line on
/// stderr and exit status 2.
pub fn main_with(remote: impl FnOnce(Remote) -> Result<ExitCode>) -> ExitCode {
    // A reader that goes away (`podready check | head`) ends the process
    // the usual way, by SIGPIPE, not with a panic on the next write.
    // SAFETY: setting a signal's disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match run(Cli::parse().command, remote) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", podready_pod::one_line(&e));
            ExitCode::from(2)
        }
    }
}
