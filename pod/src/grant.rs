//! `grant request|renew|revoke`: the pod's side of the grant center.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::client::{GrantClient, PodIdentity};

#[derive(Debug, Subcommand)]
pub enum PodGrantCommand {
    /// Ask the grant center to authorize this pod's IP (an init container).
    Request(RequestArgs),
    /// Renew this pod's lease (the hooks sidecar does it periodically).
    Renew(PodArgs),
    /// Revoke what this pod holds (the preStop hook).
    Revoke(PodArgs),
}

#[derive(Debug, Args)]
pub struct ClientArgs {
    /// The grant center.
    #[arg(
        long,
        env = "PODREADY_GRANT_URL",
        default_value = "http://127.0.0.1:8700"
    )]
    pub url: String,
    /// The app's token (prefer the environment: flags show in `ps`).
    #[arg(long, env = "PODREADY_GRANT_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Give up after this many seconds of retries.
    #[arg(long, default_value_t = 300)]
    pub deadline_seconds: u64,
}

#[derive(Debug, Args)]
pub struct RequestArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    #[arg(long, env = "PODREADY_APP")]
    pub app: String,
    #[arg(long, env = "POD_NAMESPACE")]
    pub namespace: String,
    #[arg(long, env = "POD_NAME")]
    pub pod: String,
    #[arg(long, env = "POD_UID")]
    pub pod_uid: String,
    #[arg(long, env = "POD_IP")]
    pub ip: String,
    /// Also copy this binary to DIR/podready (for the hooks and preStop).
    #[arg(long, value_name = "DIR")]
    pub install: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PodArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    #[arg(long, env = "POD_UID")]
    pub pod_uid: String,
}

pub fn run(cmd: &PodGrantCommand) -> Result<ExitCode> {
    let answer = match cmd {
        PodGrantCommand::Request(args) => request(args)?,
        PodGrantCommand::Renew(args) => client(&args.client).renew(&args.pod_uid)?,
        PodGrantCommand::Revoke(args) => client(&args.client).revoke(&args.pod_uid)?,
    };
    println!("{answer}");
    Ok(ExitCode::SUCCESS)
}

fn client(args: &ClientArgs) -> GrantClient {
    GrantClient::new(
        &args.url,
        &args.token,
        Duration::from_secs(args.deadline_seconds),
    )
}

fn request(args: &RequestArgs) -> Result<serde_json::Value> {
    if let Some(dir) = &args.install {
        let me = this_binary().context("cannot find this binary to install it")?;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        std::fs::copy(&me, dir.join("podready"))
            .with_context(|| format!("cannot install podready into {}", dir.display()))?;
    }
    let identity = PodIdentity {
        app: args.app.clone(),
        namespace: args.namespace.clone(),
        pod: args.pod.clone(),
        pod_uid: args.pod_uid.clone(),
        ip: args.ip.clone(),
    };
    client(&args.client)
        .request(&identity)
        .context("database access for this pod was not granted; the app must not start without it")
}

/// This binary's path: from `/proc`, or, where `/proc` is not mounted, from
/// how it was started when that was by path.
fn this_binary() -> std::io::Result<PathBuf> {
    std::env::current_exe().or_else(|e| {
        std::env::args_os()
            .next()
            .map(PathBuf::from)
            .filter(|p| p.components().count() > 1 && p.is_file())
            .ok_or(e)
    })
}
