//! `podready fix`: upgrades a repository's poms to container-ready SDK
//! versions in place, with a diff a reviewer accepts at a glance.

use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use podready_analyzer::{load_poms, Options};
use podready_rewriter::{fix, unified_diff, write_atomic, Change, FixOutcome, Via};

use crate::check::load_pack;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FixFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// The repository whose poms to fix.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Print the diff; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = FixFormat::Text)]
    pub format: FixFormat,
    /// A rules file layered over the built-in pack and podready.toml.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// Do not read podready.toml from the repository.
    #[arg(long)]
    pub no_config: bool,
}

pub fn run(args: &FixArgs) -> Result<ExitCode> {
    if !args.path.is_dir() {
        bail!(
            "{}: not a directory (give the root of a repository with a pom.xml)",
            args.path.display()
        );
    }
    let pack = load_pack(&args.path, &args.rules, !args.no_config)?;
    let set = load_poms(&args.path, &Options::from_pack(&pack))?;
    if set.project.poms.is_empty() && set.notes.is_empty() {
        bail!(
            "{}: no pom.xml found; podready fix upgrades Maven projects",
            args.path.display()
        );
    }
    let outcome = fix(&set, &pack);
    let mut diff = String::new();
    for f in &outcome.files {
        diff.push_str(&unified_diff(&f.path, &f.before, &f.after));
    }
    let mut written = Vec::new();
    if !args.dry_run {
        for f in &outcome.files {
            let target = args.path.join(&f.path);
            // Each file is replaced atomically; one that fails is reported
            // and leaves the others done.
            match write_atomic(&target, &f.bytes) {
                Ok(()) => written.push(f.path.clone()),
                Err(e) => eprintln!("error: {e}"),
            }
        }
    }
    let needs_person = !outcome.manual.is_empty()
        || !set.notes.is_empty()
        || written.len() < outcome.files.len() && !args.dry_run;
    match args.format {
        FixFormat::Text => {
            print!("{diff}");
            if !diff.is_empty() {
                println!();
            }
            print!("{}", summary(&outcome, &set.notes, args.dry_run));
        }
        FixFormat::Json => {
            let value = serde_json::json!({
                "dry_run": args.dry_run,
                "changed_files": outcome.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
                "changes": outcome.changes,
                "manual": outcome.manual,
                "unreadable_poms": set.notes,
                "diff": diff,
            });
            println!("{}", serde_json::to_string_pretty(&value)?);
        }
    }
    Ok(if needs_person {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn summary(outcome: &FixOutcome, notes: &[podready_analyzer::Note], dry_run: bool) -> String {
    let mut out = String::new();
    if outcome.changes.is_empty() && outcome.manual.is_empty() && notes.is_empty() {
        out.push_str("Nothing to change: every SDK is container-ready.\n");
    } else if outcome.changes.is_empty() {
        out.push_str("Nothing was changed automatically.\n");
    } else {
        let verb = if dry_run { "Would change" } else { "Changed" };
        let _ = writeln!(out, "{verb} {} pom(s):", outcome.files.len());
        for c in &outcome.changes {
            let what = match &c.change {
                Change::Upgrade {
                    artifact,
                    from,
                    to,
                    via,
                } => {
                    let how = match via {
                        Via::Literal => String::new(),
                        Via::Property { name, shared_by } if shared_by.len() > 1 => {
                            format!(" via property `{name}`, shared by {}", shared_by.join(", "))
                        }
                        Via::Property { name, .. } => format!(" via property `{name}`"),
                        Via::Bom { manages } => format!(" (the BOM that manages {manages})"),
                    };
                    format!("upgraded {artifact} {from} -> {to}{how}")
                }
                Change::Replace { artifact, with } => {
                    format!("replaced {artifact} with {}", with.join(" + "))
                }
                Change::Remove { artifact, because } => {
                    format!("removed {artifact}: {because}")
                }
            };
            let _ = writeln!(out, "  {}:{}: {what}", c.pom, c.line);
        }
    }
    if !outcome.manual.is_empty() || !notes.is_empty() {
        let _ = writeln!(out, "\nNeeds a person:");
        for m in &outcome.manual {
            let _ = writeln!(out, "  {}:{}: {}: {}", m.pom, m.line, m.artifact, m.reason);
        }
        for n in notes {
            let _ = writeln!(out, "  {}: not changed, {}", n.path, n.message);
        }
    }
    if dry_run && !outcome.files.is_empty() {
        out.push_str("\nDry run: nothing was written. Run without --dry-run to apply.\n");
    }
    out
}
