//! `podready deploy`: write the deploy spec, render it to Kubernetes, plan
//! and apply a batched release.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use podready_analyzer::deploy::infer;
use podready_analyzer::Options;
use podready_rewriter::{merge_spec, render_spec, unified_diff, write_atomic};

use crate::check::load_pack;

/// The spec's file name at the repository root.
pub const SPEC_FILE: &str = "deploy.yaml";

#[derive(Debug, Subcommand)]
pub enum DeployCommand {
    /// Write deploy.yaml, inferred from the repository (or fill in what an
    /// existing one lacks, never changing what a person wrote).
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Show the diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(cmd: &DeployCommand) -> Result<ExitCode> {
    match cmd {
        DeployCommand::Init(args) => init(args),
    }
}

fn init(args: &InitArgs) -> Result<ExitCode> {
    if !args.path.is_dir() {
        bail!(
            "{}: not a directory (give the root of a repository)",
            args.path.display()
        );
    }
    let pack = load_pack(&args.path, &[], true)?;
    let inferred = infer(&args.path, &pack, &Options::from_pack(&pack))?;
    let target = args.path.join(SPEC_FILE);
    let (before, after, added) = if target.exists() {
        let existing = std::fs::read_to_string(&target)
            .with_context(|| format!("cannot read {}", target.display()))?;
        let merged = merge_spec(SPEC_FILE, &existing, &inferred)?;
        for s in &merged.skipped {
            eprintln!("warning: {s}");
        }
        (existing, merged.text, merged.added)
    } else {
        (
            String::new(),
            render_spec(&inferred),
            vec!["everything".to_string()],
        )
    };
    for w in &inferred.warnings {
        eprintln!("warning: {w}");
    }
    if before == after {
        println!("{SPEC_FILE} is complete; nothing to add.");
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", unified_diff(SPEC_FILE, &before, &after));
    if args.dry_run {
        println!(
            "\nDry run: {SPEC_FILE} not written. Would add: {}.",
            added.join(", ")
        );
    } else {
        write(&target, &after)?;
        println!("\nWrote {}; added: {}.", target.display(), added.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, text: &str) -> Result<()> {
    write_atomic(path, text.as_bytes())?;
    Ok(())
}
