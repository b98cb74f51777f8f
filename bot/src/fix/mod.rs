//! `podready fix`: upgrades a repository's poms to container-ready SDK
//! versions in place, with a diff a reviewer accepts at a glance, and
//! checks the result on the classpath Maven resolves.

mod logging;
mod project;

use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use podready_analyzer::Options;
use podready_rewriter::{unified_diff, write_fixes, Change, Via};

pub use logging::ConfigChange;
pub use project::{fix_project, ProjectFix, ResolutionSummary};

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
    /// Print the diff; change nothing (exit 1 when there are changes to make).
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
    /// Edit the pom text only; do not ask Maven for the resolved classpath
    /// (faster; transitive legacy logging and old SDKs are not seen).
    #[arg(long)]
    pub no_resolve: bool,
}

pub fn run(args: &FixArgs) -> Result<ExitCode> {
    if !args.path.is_dir() {
        bail!(
            "{}: not a directory (give the root of a repository with a pom.xml)",
            args.path.display()
        );
    }
    let pack = load_pack(&args.path, &args.rules, !args.no_config)?;
    let options = Options::from_pack(&pack);
    let outcome = fix_project(&args.path, &pack, &options, !args.no_resolve)?;
    let diff = diff_of(&outcome);
    let mut write_error = None;
    // All or nothing: a failure puts every file back as it was.
    if !args.dry_run && !outcome.files.is_empty() {
        if let Err(e) = write_fixes(&args.path, &outcome.files) {
            write_error = Some(e.to_string());
        }
    }
    match args.format {
        FixFormat::Text => {
            print!("{diff}");
            if !diff.is_empty() {
                println!();
            }
            print!("{}", summary(&outcome, args.dry_run));
            if let Some(e) = &write_error {
                println!("\nerror: {e}; no file was changed");
            }
        }
        FixFormat::Json => {
            let value = serde_json::json!({
                "dry_run": args.dry_run,
                "written": !args.dry_run && write_error.is_none() && !outcome.files.is_empty(),
                "write_error": write_error,
                "changed_files": outcome.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
                "changes": outcome.changes,
                "config_changes": outcome.config,
                "manual": outcome.manual,
                "unreadable_poms": outcome.notes,
                "resolution": outcome.resolution,
                "diff": diff,
            });
            println!("{}", serde_json::to_string_pretty(&value)?);
        }
    }
    // As ruff's --diff: a dry run with changes pending fails, so CI can
    // require a fixed repository.
    let pending = args.dry_run && !outcome.files.is_empty();
    Ok(
        if outcome.needs_person() || write_error.is_some() || pending {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// Every file's unified diff, in order.
pub fn diff_of(outcome: &ProjectFix) -> String {
    outcome
        .files
        .iter()
        .map(|f| unified_diff(&f.path, f.before.as_deref(), f.after.as_deref()))
        .collect()
}

fn summary(outcome: &ProjectFix, dry_run: bool) -> String {
    let mut out = String::new();
    let poms = outcome
        .files
        .iter()
        .filter(|f| f.path == "pom.xml" || f.path.ends_with("/pom.xml"))
        .count();
    if outcome.changes.is_empty()
        && outcome.config.is_empty()
        && outcome.manual.is_empty()
        && outcome.notes.is_empty()
    {
        out.push_str("Nothing to change: every SDK is container-ready.\n");
    } else if outcome.changes.is_empty() && outcome.config.is_empty() {
        out.push_str("Nothing was changed automatically.\n");
    } else if !outcome.changes.is_empty() {
        let verb = if dry_run { "Would change" } else { "Changed" };
        let _ = writeln!(out, "{verb} {}:", crate::plural(poms, "pom", "poms"));
        for c in &outcome.changes {
            let _ = writeln!(out, "  {}:{}: {}", c.pom, c.line, change_line(&c.change));
        }
    }
    if !outcome.config.is_empty() {
        let verb = if dry_run { "Would migrate" } else { "Migrated" };
        let _ = writeln!(out, "{verb} the logging configuration:");
        for c in &outcome.config {
            let _ = writeln!(out, "  {}: {}", c.path, c.what);
        }
    }
    match &outcome.resolution {
        ResolutionSummary::Off => {}
        ResolutionSummary::Unavailable { reason } => {
            let _ = writeln!(out, "\nResolved classpath: not checked ({reason}).");
        }
        ResolutionSummary::Resolved {
            maven,
            runs,
            seconds,
            modules,
            problems,
        } => {
            let _ = writeln!(
                out,
                "\nResolved classpath ({maven}, {runs} run{}, {seconds:.1} s):",
                if *runs == 1 { "" } else { "s" }
            );
            if modules.is_empty() {
                out.push_str("  unchanged\n");
            }
            for m in modules {
                let _ = writeln!(out, "  {}:", m.pom);
                for a in &m.diff.removed {
                    let _ = writeln!(out, "    - {a}");
                }
                for a in &m.diff.added {
                    let _ = writeln!(out, "    + {a}");
                }
                for c in &m.diff.changed {
                    let _ = writeln!(out, "    ~ {} {} -> {}", c.artifact, c.from, c.to);
                }
            }
            for p in problems {
                let module = p.module.as_deref().unwrap_or("the build");
                let _ = writeln!(out, "  not resolved in {module}: {}", p.message);
            }
        }
    }
    if !outcome.manual.is_empty() || !outcome.notes.is_empty() {
        let _ = writeln!(out, "\nNeeds a person:");
        for m in &outcome.manual {
            let artifact = if m.artifact.is_empty() {
                String::new()
            } else {
                format!("{}: ", m.artifact)
            };
            let _ = writeln!(out, "  {}:{}: {artifact}{}", m.pom, m.line, m.reason);
        }
        for n in &outcome.notes {
            let _ = writeln!(out, "  {}: not changed, {}", n.path, n.message);
        }
    }
    if dry_run && !outcome.files.is_empty() {
        out.push_str("\nDry run: nothing was written. Run without --dry-run to apply.\n");
    }
    out
}

/// One change, in the words of `fix`'s summary.
pub(crate) fn change_line(change: &Change) -> String {
    match change {
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
        Change::Remove { artifact, because } => format!("removed {artifact}: {because}"),
        Change::Exclude { artifact, excluded } => {
            format!("excluded {} from {artifact}", excluded.join(", "))
        }
        Change::Add { artifact } => format!("added {artifact}"),
        Change::Pin { artifact, from, to } => {
            format!("pinned {artifact} {from} -> {to} in <dependencyManagement>")
        }
    }
}
