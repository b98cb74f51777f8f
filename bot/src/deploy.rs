//! `podready deploy`: write the deploy spec, render it to Kubernetes, plan
//! and apply a batched release.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use podready_analyzer::Options;
use podready_deploy::infer::infer;
use podready_deploy::render::{
    deployment_name, to_value, to_yaml_stream, token_secret, RenderInput, Rendered,
};
use podready_deploy::spec::{DeploySpec, FailurePolicy};
use podready_deploy::{merge_spec, render_spec};
use podready_release::executor::{deployment_image, KubeRelease};
use podready_release::plan::{simulate, Action, Phase, ReleaseConfig};
use podready_rewriter::{unified_diff, write_atomic};
use std::time::Duration;

use crate::check::load_pack;
use crate::runtime::runtime;

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
    /// Abort a release, running or failed: the old Deployments back to
    /// their replicas and ready, then the release's Deployment to zero.
    Abort(AbortArgs),
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The repository (with its deploy.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The environment [default: the spec's first].
    #[arg(long)]
    pub env: Option<String>,
    /// The release id [default: r2].
    #[arg(long, default_value = "r2")]
    pub release: String,
    /// The app's current Deployments, as NAME=REPLICAS
    /// [default: <app>-<env>-r1 at the spec's replicas].
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
    /// The environment of the release.
    #[arg(long)]
    pub env: String,
    /// The release to abort.
    #[arg(long)]
    pub release: String,
    #[arg(long)]
    pub namespace: Option<String>,
    /// Seconds between observations of the cluster.
    #[arg(long, default_value_t = 5)]
    pub poll_seconds: u64,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The repository (with its deploy.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The environment, one of the spec's env.environments.
    #[arg(long)]
    pub env: String,
    /// The application image, with its version tag or digest.
    #[arg(long)]
    pub image: String,
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
    /// Print the template of the grant-token Secret instead (apply it once
    /// per namespace, with the token filled in).
    #[arg(long)]
    pub token_secret: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The folder of the application module to describe, when the
    /// repository builds several [default: a war module, else the first
    /// Spring Boot jar].
    #[arg(long, value_name = "FOLDER")]
    pub module: Option<String>,
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

pub fn plan(args: &PlanArgs) -> Result<ExitCode> {
    let spec = load_spec(&args.path)?;
    let env = match &args.env {
        Some(e) => e.clone(),
        None => spec.env.environments.first().cloned().unwrap_or_default(),
    };
    let new_name = deployment_name(&spec.app.name, &env, &args.release);
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
        old.push((
            deployment_name(&spec.app.name, &env, "r1"),
            spec.release.replicas,
        ));
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
        println!("{:>3}. {}", n + 1, describe(action, &new_name, &mut batch));
    }
    if cfg.pause_seconds > 0 {
        println!(
            "(a pause of {}s follows every batch but the last)",
            cfg.pause_seconds
        );
    }
    println!(
        "Abort at any point brings the old Deployments back and ready, then scales {new_name} to 0."
    );
    Ok(ExitCode::SUCCESS)
}

/// One action, as a person reads it; `batch` counts the batches so far.
fn describe(action: &Action, new_name: &str, batch: &mut u32) -> String {
    match action {
        Action::CreateNew => format!("create Deployment {new_name} with 0 replicas"),
        Action::ScaleNew { replicas } => {
            *batch += 1;
            format!("batch {batch}: scale {new_name} to {replicas} and wait until they are ready")
        }
        Action::ScaleOld { name, replicas } => format!("scale {name} to {replicas}"),
        Action::DeleteOld { name } => format!("remove Deployment {name}"),
        Action::DeletePod { name } => format!("delete failed pod {name} so it is rebuilt"),
        Action::ParkAutoscaler { deployment, name } => {
            format!("park autoscaler {name} on {deployment} for the release")
        }
        Action::RestoreAutoscaler { deployment } => {
            format!("put the autoscaler of {deployment} back")
        }
        Action::CreateAutoscaler => format!("create the autoscaler of {new_name}"),
        Action::Wait { reason } => reason.clone(),
    }
}

/// A client of the current kubeconfig's cluster and the namespace to use.
async fn connect(namespace: Option<&str>) -> Result<(kube::Client, String)> {
    let client = kube::Client::try_default().await.map_err(|e| {
        anyhow::anyhow!(
            "cannot reach a cluster: {} (set KUBECONFIG or the current context)",
            podready_pod::error_line(&e)
        )
    })?;
    let namespace = namespace
        .map(str::to_string)
        .unwrap_or_else(|| client.default_namespace().to_string());
    let api: kube::Api<k8s_openapi::api::core::v1::Namespace> = kube::Api::all(client.clone());
    match api.get_opt(&namespace).await {
        Ok(Some(_)) => Ok((client, namespace)),
        Ok(None) => bail!(
            "namespace {namespace} does not exist in the cluster (create it, or pass --namespace)"
        ),
        // Without the right to read namespaces, the calls that follow tell.
        Err(kube::Error::Api(s)) if s.code == 403 => Ok((client, namespace)),
        Err(e) => bail!("cannot reach the cluster: {}", podready_pod::error_line(&e)),
    }
}

/// Prints each step of a release as it is taken.
fn reporter(new_name: String) -> impl FnMut(&Phase, &[Action]) {
    let mut batch = 0;
    let mut last = String::new();
    move |phase, actions| {
        let phase = format!("{phase:?}");
        for a in actions {
            let line = describe(a, &new_name, &mut batch);
            if line != last {
                eprintln!("{new_name}: {line}");
                last = line;
            }
        }
        if actions.is_empty() && phase != last {
            eprintln!("{new_name}: {phase}");
            last = phase;
        }
    }
}

fn finished(new_name: &str, phase: &Phase, success: bool) -> ExitCode {
    let text = match phase {
        Phase::Done => "done".to_string(),
        Phase::Aborted { reason } => format!("aborted ({reason})"),
        Phase::Failed { reason } => format!(
            "failed: {reason}; fix the cause and apply again to go on, or abort to bring the old release back"
        ),
        Phase::Superseded => "superseded by a newer release".to_string(),
        other => format!("{other:?}"),
    };
    println!("release {new_name}: {text}");
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn apply(args: &ApplyArgs) -> Result<ExitCode> {
    let r = &args.render;
    let spec = load_spec(&r.path)?;
    let settings = RenderSettings::new(r, &spec);
    // Values are checked before anything reaches the cluster.
    let rendered =
        podready_deploy::render::render(&settings.input(r, &spec, r.namespace.as_deref()))?;
    check_hooks(&r.path, &spec)?;
    runtime()?.block_on(async {
        let (client, namespace) = connect(r.namespace.as_deref()).await?;
        let rendered = if r.namespace.is_some() {
            rendered
        } else {
            podready_deploy::render::render(&settings.input(r, &spec, Some(&namespace)))?
        };
        let exec = release(
            client,
            namespace,
            &spec,
            &r.env,
            &settings.release,
            rendered,
        );
        let new_name = exec.config.new_name.clone();
        exec.apply_companions().await?;
        let phase = exec
            .run(
                Duration::from_secs(args.poll_seconds),
                reporter(new_name.clone()),
            )
            .await?;
        Ok(finished(&new_name, &phase, phase == Phase::Done))
    })
}

fn release(
    client: kube::Client,
    namespace: String,
    spec: &DeploySpec,
    env: &str,
    release: &str,
    rendered: Rendered,
) -> KubeRelease {
    let new_name = deployment_name(&spec.app.name, env, release);
    KubeRelease {
        client,
        namespace,
        app: spec.app.name.clone(),
        env: env.to_string(),
        release: release.to_string(),
        config: ReleaseConfig::from_spec(spec, &new_name),
        rendered,
    }
}

fn abort(args: &AbortArgs) -> Result<ExitCode> {
    let spec = load_spec(&args.path)?;
    let name = deployment_name(&spec.app.name, &args.env, &args.release);
    runtime()?.block_on(async {
        let (client, namespace) = connect(args.namespace.as_deref()).await?;
        let api: kube::Api<k8s_openapi::api::apps::v1::Deployment> =
            kube::Api::namespaced(client.clone(), &namespace);
        let existing = api
            .get_opt(&name)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot read Deployment {name}: {}",
                    podready_pod::error_line(&e)
                )
            })?
            .with_context(|| format!("no release {name} in namespace {namespace}"))?;
        let image = deployment_image(&existing)
            .with_context(|| format!("Deployment {name} names no image"))?;
        let render_args = RenderArgs {
            path: args.path.clone(),
            env: args.env.clone(),
            image,
            release: Some(args.release.clone()),
            namespace: Some(namespace.clone()),
            podready_image: String::new(),
            grant_url: String::new(),
            grant_secret: None,
            token_secret: false,
        };
        let settings = RenderSettings::new(&render_args, &spec);
        let rendered = podready_deploy::render::render(&settings.input(
            &render_args,
            &spec,
            Some(&namespace),
        ))?;
        let exec = release(client, namespace, &spec, &args.env, &args.release, rendered);
        let phase = exec
            .abort(
                Duration::from_secs(args.poll_seconds),
                reporter(name.clone()),
            )
            .await?;
        let aborted = matches!(phase, Phase::Aborted { .. });
        Ok(finished(&name, &phase, aborted))
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

/// The hook scripts the spec names must be in the repository, where the
/// image build takes them from.
fn check_hooks(repo: &Path, spec: &DeploySpec) -> Result<()> {
    let path = repo.join(SPEC_FILE);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    for (hook, file) in spec.hooks() {
        if !repo.join(file).is_file() {
            let line = podready_deploy::spec::line_of_key(&text, &format!("hooks.{hook}"))
                .map(|l| format!(":{l}"))
                .unwrap_or_default();
            bail!(
                "{}{line}: hooks.{hook}: `{file}` is not a file in {} (the image's {}/{file} is copied from it)",
                path.display(),
                repo.display(),
                spec.app.path.trim_end_matches('/')
            );
        }
    }
    Ok(())
}

/// The release id an image's tag gives (`1.4.2` → `1-4-2`); a tag longer
/// than an id can be keeps its start and a hash of the whole reference, so
/// that two long tags never share an id. A release id that exists for
/// another image is refused by `apply`, never reused.
pub fn release_from_image(image: &str) -> String {
    let rest = image.split('@').next().unwrap_or(image);
    let name = rest.rsplit('/').next().unwrap_or(rest);
    let tag = name.split_once(':').map_or("", |(_, t)| t);
    let id: String = tag
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = id.trim_matches('-');
    if !id.is_empty() && id.len() <= 20 {
        return id.to_string();
    }
    // Stable across builds and platforms.
    let fingerprint = crate::report::fingerprint(&[image]);
    let hash = &fingerprint[..6];
    let start: String = id.chars().take(13).collect();
    match start.trim_matches('-') {
        "" => format!("i{hash}"),
        start => format!("{start}-{hash}"),
    }
}

/// The render flags with their defaults filled in from the spec.
struct RenderSettings {
    release: String,
    secret: String,
}

impl RenderSettings {
    fn new(args: &RenderArgs, spec: &DeploySpec) -> RenderSettings {
        let release = args
            .release
            .clone()
            .unwrap_or_else(|| release_from_image(&args.image));
        let secret = args
            .grant_secret
            .clone()
            .unwrap_or_else(|| format!("{}-grant-token", spec.app.name));
        RenderSettings { release, secret }
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
            image: &args.image,
            release: &self.release,
            namespace,
            podready_image: &args.podready_image,
            grant_url: &args.grant_url,
            grant_secret: &self.secret,
        }
    }
}

pub fn render(args: &RenderArgs) -> Result<ExitCode> {
    let spec = load_spec(&args.path)?;
    let settings = RenderSettings::new(args, &spec);
    let rendered =
        podready_deploy::render::render(&settings.input(args, &spec, args.namespace.as_deref()))?;
    check_hooks(&args.path, &spec)?;
    if args.token_secret {
        let secret = token_secret(&spec.app.name, args.namespace.as_deref(), &settings.secret);
        print!("{}", to_yaml_stream(&[to_value(&secret)]));
    } else {
        print!("{}", rendered.to_yaml());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn init(args: &InitArgs) -> Result<ExitCode> {
    if !args.path.is_dir() {
        bail!(
            "{}: not a directory (give the root of a repository)",
            args.path.display()
        );
    }
    let pack = load_pack(&args.path, &[], true)?;
    let inferred = infer(
        &args.path,
        &pack,
        &Options::from_pack(&pack),
        args.module.as_deref(),
    )?;
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
