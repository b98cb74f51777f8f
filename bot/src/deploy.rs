//! `podready deploy`: write the deploy spec, render it to Kubernetes, plan
//! and apply a batched release.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use podready_analyzer::deploy::infer;
use podready_analyzer::Options;
use podready_rewriter::{merge_spec, render_spec, unified_diff, write_atomic};
use podready_rules::deploy::DeploySpec;
use podready_runtime::render::RenderInput;

use crate::check::load_pack;

/// The spec's file name at the repository root.
pub const SPEC_FILE: &str = "deploy.yaml";

#[derive(Debug, Subcommand)]
pub enum DeployCommand {
    /// Write deploy.yaml, inferred from the repository (or fill in what an
    /// existing one lacks, never changing what a person wrote).
    Init(InitArgs),
    /// Render the spec to Kubernetes YAML (Deployment, Service,
    /// PodDisruptionBudget, HPA) for one environment.
    Render(RenderArgs),
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The repository (with its deploy.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The environment, one of the spec's env.environments.
    #[arg(long)]
    pub env: String,
    /// The application image [default: <app>:latest].
    #[arg(long)]
    pub image: Option<String>,
    /// The release id [default: from the image tag].
    #[arg(long)]
    pub release: Option<String>,
    /// The namespace of the objects [default: none, kubectl's current one].
    #[arg(long)]
    pub namespace: Option<String>,
    /// The image with the podready binary (grant and hooks containers).
    #[arg(long, default_value = concat!("podready/podready:", env!("CARGO_PKG_VERSION")))]
    pub podready_image: String,
    /// The grant center's URL.
    #[arg(long, default_value = "http://podready-grant.podready.svc:8700")]
    pub grant_url: String,
    /// The Secret with the app's grant token [default: <app>-grant-token].
    #[arg(long)]
    pub grant_secret: Option<String>,
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
        DeployCommand::Render(args) => render(args),
    }
}

/// Reads and validates the repository's deploy.yaml.
pub fn load_spec(repo: &Path) -> Result<DeploySpec> {
    let path = repo.join(SPEC_FILE);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (write one with `podready deploy init`)",
            path.display()
        )
    })?;
    Ok(DeploySpec::parse(&path.display().to_string(), &text)?)
}

/// The release id an image's tag gives (`1.4.2` → `1-4-2`).
pub fn release_from_image(image: &str) -> String {
    let name = image.rsplit('/').next().unwrap_or(image);
    let tag = name.split_once(':').map_or("latest", |(_, t)| t);
    let id: String = tag
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(20)
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "latest".into()
    } else {
        id
    }
}

fn render(args: &RenderArgs) -> Result<ExitCode> {
    let spec = load_spec(&args.path)?;
    let image = args
        .image
        .clone()
        .unwrap_or_else(|| format!("{}:latest", spec.app.name));
    let release = args
        .release
        .clone()
        .unwrap_or_else(|| release_from_image(&image));
    let secret = args
        .grant_secret
        .clone()
        .unwrap_or_else(|| format!("{}-grant-token", spec.app.name));
    let rendered = podready_runtime::render::render(&RenderInput {
        spec: &spec,
        env: &args.env,
        image: &image,
        release: &release,
        namespace: args.namespace.as_deref(),
        podready_image: &args.podready_image,
        grant_url: &args.grant_url,
        grant_secret: &secret,
    })?;
    print!("{}", rendered.to_yaml());
    Ok(ExitCode::SUCCESS)
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
