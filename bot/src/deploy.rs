//! `podready deploy`: write the deploy spec, render it to Kubernetes, plan
//! and apply a batched release.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use podready_analyzer::deploy::infer;
use podready_analyzer::Options;
use podready_rewriter::{merge_spec, render_spec, unified_diff, write_atomic};
use podready_rules::deploy::{DeploySpec, FailurePolicy};
use podready_runtime::executor::{KubeRelease, ANNOTATION_ABORT};
use podready_runtime::release::{simulate, Action, Phase, ReleaseConfig};
use podready_runtime::render::{deployment_name, RenderInput};
use std::time::Duration;

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
    /// Print the steps of a batched release without a cluster.
    Plan(PlanArgs),
    /// Run a batched release against the cluster of the current kubeconfig.
    Apply(ApplyArgs),
    /// Ask a running release to abort: its Deployment goes to zero and the
    /// old one back to its replicas.
    Abort(AbortArgs),
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The repository (with its deploy.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The release id [default: r2].
    #[arg(long, default_value = "r2")]
    pub release: String,
    /// The app's current Deployments, as NAME=REPLICAS
    /// [default: <app>-r1 at the spec's replicas].
    #[arg(long = "from", value_name = "NAME=REPLICAS")]
    pub from: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub render: RenderArgs,
    /// Seconds between observations of the cluster.
    #[arg(long, default_value_t = 5)]
    pub poll_seconds: u64,
}

#[derive(Debug, Args)]
pub struct AbortArgs {
    /// The repository (with its deploy.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The release to abort.
    #[arg(long)]
    pub release: String,
    #[arg(long)]
    pub namespace: Option<String>,
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
        DeployCommand::Plan(args) => plan(args),
        DeployCommand::Apply(args) => apply(args),
        DeployCommand::Abort(args) => abort(args),
    }
}

fn plan(args: &PlanArgs) -> Result<ExitCode> {
    let spec = load_spec(&args.path)?;
    let new_name = deployment_name(&spec.app.name, &args.release);
    let cfg = ReleaseConfig::from_spec(&spec, &new_name);
    let mut old = Vec::new();
    for f in &args.from {
        let (name, replicas) = f
            .split_once('=')
            .and_then(|(n, r)| Some((n.to_string(), r.parse::<u32>().ok()?)))
            .with_context(|| format!("--from {f}: expected NAME=REPLICAS"))?;
        old.push((name, replicas));
    }
    if args.from.is_empty() {
        old.push((deployment_name(&spec.app.name, "r1"), spec.release.replicas));
    }
    println!(
        "Release {new_name}: {} replicas in batches of {}; {}; {}s progress deadline per batch.",
        cfg.replicas,
        cfg.steps
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(" → "),
        match cfg.failure {
            FailurePolicy::Rebuild { max_rebuilds } =>
                format!("failed pods are rebuilt up to {max_rebuilds} times"),
            FailurePolicy::Fail => "a failed pod fails the release".to_string(),
            FailurePolicy::Tolerate { max_failed_percent } =>
                format!("up to {max_failed_percent}% failed pods are tolerated"),
        },
        cfg.deadline_seconds
    );
    let mut batch = 0;
    for (n, (_, action)) in simulate(&cfg, &old).iter().enumerate() {
        let line = match action {
            Action::CreateNew => format!("create Deployment {new_name} with 0 replicas"),
            Action::ScaleNew { replicas } => {
                batch += 1;
                format!(
                    "batch {batch}: scale {new_name} to {replicas} and wait until they are ready"
                )
            }
            Action::ScaleOld { name, replicas } => format!("scale {name} down to {replicas}"),
            Action::DeleteOld { name } => format!("remove Deployment {name}"),
            Action::DeletePod { name } => format!("delete failed pod {name}"),
            Action::Wait { reason } => reason.clone(),
        };
        println!("{:>3}. {line}", n + 1);
    }
    if cfg.pause_seconds > 0 {
        println!(
            "(a pause of {}s follows every batch but the last)",
            cfg.pause_seconds
        );
    }
    println!("Abort at any point scales {new_name} to 0 and the old Deployments back.");
    Ok(ExitCode::SUCCESS)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn apply(args: &ApplyArgs) -> Result<ExitCode> {
    let spec = load_spec(&args.render.path)?;
    let r = &args.render;
    let settings = RenderSettings::new(r, &spec);
    let release = settings.release.clone();
    runtime()?.block_on(async {
        let client = kube::Client::try_default()
            .await
            .context("cannot reach a cluster (is KUBECONFIG set?)")?;
        let namespace = r
            .namespace
            .clone()
            .unwrap_or_else(|| client.default_namespace().to_string());
        let rendered =
            podready_runtime::render::render(&settings.input(r, &spec, Some(&namespace)))?;
        let new_name = deployment_name(&spec.app.name, &release);
        let exec = KubeRelease {
            client,
            namespace,
            app: spec.app.name.clone(),
            config: ReleaseConfig::from_spec(&spec, &new_name),
            rendered,
        };
        exec.apply_companions().await?;
        let phase = exec
            .run(Duration::from_secs(args.poll_seconds), |phase, actions| {
                for a in actions {
                    eprintln!("{phase:?}: {a:?}");
                }
            })
            .await?;
        println!("release {new_name}: {phase:?}");
        Ok(if phase == Phase::Done {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

fn abort(args: &AbortArgs) -> Result<ExitCode> {
    let spec = load_spec(&args.path)?;
    let name = deployment_name(&spec.app.name, &args.release);
    runtime()?.block_on(async {
        let client = kube::Client::try_default()
            .await
            .context("cannot reach a cluster (is KUBECONFIG set?)")?;
        let ns = args
            .namespace
            .clone()
            .unwrap_or_else(|| client.default_namespace().to_string());
        let api: kube::Api<k8s_openapi::api::apps::v1::Deployment> = kube::Api::namespaced(client, &ns);
        let patch = serde_json::json!({ "metadata": { "annotations": { ANNOTATION_ABORT: "true" } } });
        api.patch(&name, &kube::api::PatchParams::default(), &kube::api::Patch::Merge(&patch))
            .await
            .with_context(|| format!("cannot mark {name} for abort"))?;
        println!("{name} marked for abort; the running `deploy apply` scales it to 0 and restores the old release.");
        Ok(ExitCode::SUCCESS)
    })
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

/// The render flags with their defaults filled in from the spec.
struct RenderSettings {
    image: String,
    release: String,
    secret: String,
}

impl RenderSettings {
    fn new(args: &RenderArgs, spec: &DeploySpec) -> RenderSettings {
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
        RenderSettings {
            image,
            release,
            secret,
        }
    }

    fn input<'a>(
        &'a self,
        args: &'a RenderArgs,
        spec: &'a DeploySpec,
        namespace: Option<&'a str>,
    ) -> RenderInput<'a> {
        RenderInput {
            spec,
            env: &args.env,
            image: &self.image,
            release: &self.release,
            namespace,
            podready_image: &args.podready_image,
            grant_url: &args.grant_url,
            grant_secret: &self.secret,
        }
    }
}

fn render(args: &RenderArgs) -> Result<ExitCode> {
    let spec = load_spec(&args.path)?;
    let settings = RenderSettings::new(args, &spec);
    let rendered =
        podready_runtime::render::render(&settings.input(args, &spec, args.namespace.as_deref()))?;
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
    print!("{}", unified_diff(SPEC_FILE, Some(&before), Some(&after)));
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
