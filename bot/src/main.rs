//! The `podready` command line.

mod bulk;
mod check;
mod check_mr;
mod deploy;
mod fix;
mod forge;
mod grant_cmd;
mod hooks;
mod report;
mod rules_cmd;
mod upgrade;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Gets a fleet of Java services ready to run in Kubernetes pods.
#[derive(Parser)]
#[command(name = "podready", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

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
    Hooks(hooks::HooksCommand),
    /// Upgrade one repository end to end: scan, fix, deploy spec, verify,
    /// commit on podready/container-ready, merge request text.
    Upgrade(upgrade::UpgradeArgs),
    /// The scheduled run over a fleet: every repository upgraded, one merge
    /// request each, resumable, with a summary report.
    Bulk(bulk::BulkArgs),
    /// List the rules of the pack (and, with --sdk, the SDK table).
    Rules(rules_cmd::RulesArgs),
    /// Explain one rule: what it finds, why, what to do instead, an example.
    Explain(rules_cmd::ExplainArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Deploy(cmd) => deploy::run(&cmd),
        Command::Grant(cmd) => grant_cmd::run(&cmd),
        Command::Hooks(cmd) => hooks::run(&cmd),
        Command::Upgrade(args) => upgrade::run(&args),
        Command::Bulk(args) => bulk::run(&args),
        Command::Rules(args) => rules_cmd::rules(&args),
        Command::Explain(args) => rules_cmd::explain(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

/// An error and its causes on one line: `what: why: root cause`. A cause
/// its error already quotes is not repeated.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain().map(|c| c.to_string()) {
        if line.ends_with(&cause) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&cause);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn a_cause_its_error_quotes_is_said_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot read grant.toml: {source}")]
        struct Quoting {
            source: std::io::Error,
        }
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = anyhow::Error::new(Quoting { source: io() }).context("grant serve");
        assert_eq!(
            one_line(&e),
            "grant serve: cannot read grant.toml: no such file"
        );
        let plain = anyhow::Error::new(io()).context("cannot open the ledger");
        assert_eq!(one_line(&plain), "cannot open the ledger: no such file");
    }
}
