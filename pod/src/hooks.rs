//! `hooks`: what runs inside the pod around the application.
//!
//! `run` is the hooks sidecar: it runs `pre-start` (its output on the
//! sidecar's stdout, so a hanging hook is visible), waits until the app is
//! healthy, runs `pre-online`, then renews the grant lease until the pod
//! stops, and revokes the grant when it gets SIGTERM (a native sidecar gets
//! it once the app has stopped). `status` is the sidecar's startup and
//! readiness probe. `copy` puts the app's hook scripts into the shared
//! volume. `stop` is the app's preStop hook: `pre-offline`. Only the hook
//! scripts themselves need a shell (`sh`); nothing here needs any other
//! tool in the app's image.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode};
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicBool, Ordering};

use crate::client::{ClientError, GrantClient, PodIdentity};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum HooksCommand {
    /// The hooks sidecar: pre-start, wait for health, pre-online, renew the
    /// grant lease, revoke it at SIGTERM.
    Run(RunArgs),
    /// Exit 0 when a hook has completed (a probe).
    Status {
        #[arg(long, default_value = "/podready")]
        dir: PathBuf,
        /// pre-start or pre-online.
        hook: String,
    },
    /// Copy the app's hook scripts into the shared volume (the hooks-copy
    /// init container, in the app's image: no shell or `cp` needed there).
    Copy {
        #[arg(long, default_value = "/podready")]
        dir: PathBuf,
        /// HOOK=PATH: the script in the app's image that is that hook
        /// (pre-start, pre-online or pre-offline).
        #[arg(value_name = "HOOK=PATH")]
        hooks: Vec<String>,
    },
    /// The app container's preStop hook: pre-offline (the hooks sidecar
    /// revokes the grant once the app has stopped).
    Stop {
        #[arg(long, default_value = "/podready")]
        dir: PathBuf,
        /// Seconds pre-offline may run.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[arg(long, default_value = "/podready")]
    pub dir: PathBuf,
    /// The app's health URL.
    #[arg(long, env = "PODREADY_HEALTH_URL")]
    pub health_url: String,
    /// Seconds between lease renewals.
    #[arg(long, env = "PODREADY_RENEW_SECONDS", default_value_t = 300)]
    pub renew_seconds: u64,
    /// Stop after pre-online instead of renewing until the pod stops.
    #[arg(long)]
    pub once: bool,
}

pub fn run(cmd: &HooksCommand) -> Result<ExitCode> {
    match cmd {
        HooksCommand::Run(args) => run_sidecar(args),
        HooksCommand::Status { dir, hook } => {
            if !HOOKS.contains(&hook.as_str()) {
                bail!("`{hook}` is not a hook: one of {}", HOOKS.join(", "));
            }
            let done = marker(dir, hook).exists();
            Ok(if done {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        HooksCommand::Copy { dir, hooks } => {
            copy_hooks(dir, hooks)?;
            Ok(ExitCode::SUCCESS)
        }
        HooksCommand::Stop { dir, timeout } => {
            if let Err(e) = run_hook(dir, "pre-offline", Some(Duration::from_secs(*timeout))) {
                eprintln!("warning: {e:#}");
            }
            // In the rendered pod the app container has no grant settings:
            // the hooks sidecar revokes once the app has stopped (its
            // SIGTERM). Run where the settings are, this revokes too.
            if let Some((client, pod_uid)) = grant_client(Duration::from_secs(15)) {
                revoke(&client, &pod_uid);
            }
            // A failing preStop must not hold the pod: the lease expires.
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The hooks podready runs, in the order it runs them.
const HOOKS: [&str; 3] = ["pre-start", "pre-online", "pre-offline"];

fn copy_hooks(dir: &Path, hooks: &[String]) -> Result<()> {
    let into = dir.join("hooks");
    std::fs::create_dir_all(&into).with_context(|| format!("cannot create {}", into.display()))?;
    for spec in hooks {
        let Some((hook, from)) = spec.split_once('=').filter(|(h, _)| HOOKS.contains(h)) else {
            bail!(
                "`{spec}` is not HOOK=PATH with HOOK one of {}",
                HOOKS.join(", ")
            );
        };
        std::fs::copy(from, into.join(hook))
            .with_context(|| format!("cannot copy the {hook} hook from {from}"))?;
    }
    Ok(())
}

fn marker(dir: &Path, hook: &str) -> PathBuf {
    dir.join("state").join(format!("{hook}.done"))
}

/// Runs `dir/hooks/<hook>` with `sh` when it exists, output inherited.
fn run_hook(dir: &Path, hook: &str, timeout: Option<Duration>) -> Result<()> {
    let script = dir.join("hooks").join(hook);
    if script.is_file() {
        eprintln!("podready: running the {hook} hook");
        // Its own process group, so a timeout stops what it started too
        // (a `sleep` left behind would hold the pod's output open).
        let mut child = Command::new("sh")
            .arg(&script)
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot run the {hook} hook"))?;
        let started = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait()? {
                break s;
            }
            if stopping() {
                kill_group(&child);
                let _ = child.wait();
                bail!("the {hook} hook was stopped: the pod is stopping");
            }
            if timeout.is_some_and(|t| started.elapsed() > t) {
                kill_group(&child);
                let _ = child.wait();
                bail!(
                    "the {hook} hook ran longer than {}s and was stopped",
                    timeout.unwrap_or_default().as_secs()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        if !status.success() {
            bail!("the {hook} hook failed ({status})");
        }
    }
    let m = marker(dir, hook);
    if let Some(parent) = m.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&m, b"").with_context(|| format!("cannot write {}", m.display()))?;
    Ok(())
}

/// Kills a hook and everything in its process group.
fn kill_group(child: &Child) {
    let Ok(group) = libc::pid_t::try_from(child.id()) else {
        return;
    };
    // SAFETY: kill(2) with a negative pid signals that process group; the
    // group was made for this hook alone (`process_group(0)`).
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

fn grant_client(deadline: Duration) -> Option<(GrantClient, String)> {
    let url = std::env::var("PODREADY_GRANT_URL").ok()?;
    let token = std::env::var("PODREADY_GRANT_TOKEN").ok()?;
    let pod_uid = std::env::var("POD_UID").ok()?;
    Some((GrantClient::new(&url, &token, deadline), pod_uid))
}

/// The pod's identity from its environment, to ask for a grant again.
fn identity() -> Option<PodIdentity> {
    let var = |name: &str| std::env::var(name).ok();
    Some(PodIdentity {
        app: var("PODREADY_APP")?,
        namespace: var("POD_NAMESPACE")?,
        pod: var("POD_NAME")?,
        pod_uid: var("POD_UID")?,
        ip: var("POD_IP")?,
    })
}

fn revoke(client: &GrantClient, pod_uid: &str) {
    match client.revoke(pod_uid) {
        Ok(answer) => println!("revoked: {answer}"),
        Err(e) => eprintln!("warning: the grant was not revoked ({e}); its lease expires"),
    }
}

/// Set by SIGTERM: the pod is stopping.
static TERM: AtomicBool = AtomicBool::new(false);

extern "C" fn on_term(_: libc::c_int) {
    TERM.store(true, Ordering::SeqCst);
}

fn stopping() -> bool {
    TERM.load(Ordering::SeqCst)
}

/// Sleeps up to `d`, waking early when the pod stops.
fn pause(d: Duration) {
    let until = Instant::now() + d;
    while !stopping() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100).min(until - Instant::now()));
    }
}

/// Collects children that have exited: the sidecar is its container's
/// PID 1, so what a hook left behind becomes its child. Only while no hook
/// runs (it would take the hook's own exit status).
fn reap_orphans() {
    // SAFETY: waitpid with WNOHANG only collects exited children.
    while unsafe { libc::waitpid(-1, std::ptr::null_mut(), libc::WNOHANG) } > 0 {}
}

fn healthy(agent: &ureq::Agent, url: &str) -> bool {
    agent.get(url).call().is_ok_and(|r| r.status().is_success())
}

/// Renews the lease every `interval` until the process ends; a lease that
/// is gone (expired, revoked) is asked for again.
fn renew_forever(interval: Duration) {
    loop {
        pause(interval);
        if stopping() {
            return;
        }
        let Some((client, pod_uid)) = grant_client(interval) else {
            continue;
        };
        match client.renew(&pod_uid) {
            Ok(_) => {}
            // Gone, and the pod is not stopping: ask again.
            Err(ClientError::Refused {
                status: 404 | 409, ..
            }) if !stopping() => match identity().map(|id| client.request(&id)) {
                Some(Ok(_)) => eprintln!("podready: the lease was gone; granted again"),
                Some(Err(e)) => {
                    eprintln!("warning: the lease is gone and was not granted again: {e}")
                }
                None => eprintln!(
                    "warning: the lease is gone; the pod's identity is not in the environment"
                ),
            },
            Err(e) => eprintln!("warning: the grant lease was not renewed: {e}"),
        }
    }
}

fn run_sidecar(args: &RunArgs) -> Result<ExitCode> {
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        libc::signal(libc::SIGTERM, on_term as *const () as libc::sighandler_t);
    }
    // A restarted sidecar runs the hooks again: its probes must wait.
    for hook in HOOKS {
        let _ = std::fs::remove_file(marker(&args.dir, hook));
    }
    let interval = Duration::from_secs(args.renew_seconds.max(1));
    if !args.once {
        // From the start: pre-start and the wait for health may outlast a
        // lease.
        std::thread::spawn(move || renew_forever(interval));
    }
    let result = run_phases(args);
    if args.once {
        return result.map(|()| ExitCode::SUCCESS);
    }
    if let Err(e) = result {
        // SIGTERM before the app was online may be the kubelet restarting
        // this container, not the pod going away: nothing is revoked (a
        // pod that is gone lets its lease expire).
        if stopping() {
            eprintln!("podready: stopped before the app was online ({e:#}); the grant is kept");
            return Ok(ExitCode::SUCCESS);
        }
        return Err(e);
    }
    // Online: wait for the pod to stop, then revoke. A native sidecar gets
    // its SIGTERM once the app has stopped, so the app never loses its
    // database while it drains.
    while !stopping() {
        reap_orphans();
        pause(Duration::from_secs(5));
    }
    if let Some((client, pod_uid)) = grant_client(Duration::from_secs(15)) {
        revoke(&client, &pod_uid);
    }
    Ok(ExitCode::SUCCESS)
}

/// pre-start, the wait for the app's health, pre-online.
fn run_phases(args: &RunArgs) -> Result<()> {
    run_hook(&args.dir, "pre-start", None)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(5)))
        .http_status_as_error(false)
        .build()
        .into();
    eprintln!("podready: waiting until {} answers", args.health_url);
    while !healthy(&agent, &args.health_url) {
        if stopping() {
            bail!("the pod stopped before the app answered");
        }
        pause(Duration::from_secs(2));
    }
    run_hook(&args.dir, "pre-online", None)?;
    eprintln!("podready: online");
    Ok(())
}
