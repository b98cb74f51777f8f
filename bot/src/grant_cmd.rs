//! `podready grant`: the grant center service, and the client a pod runs
//! (from the pod crate, which the small pod binary also carries).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use podready_deploy::render::to_yaml_stream;
use podready_grant::audit::Audit;
use podready_grant::auth::{token_hash, TokenAuthenticator, TokenReviewAuthenticator};
use podready_grant::config::{GrantConfig, TlsMode};
use podready_grant::manifests::{render_center, CenterInput};
use podready_grant::server::{listen, router, spawn_reaper, AppState};
use podready_grant::service::GrantCenter;
use podready_pod::grant::PodGrantCommand;

#[derive(Debug, Subcommand)]
pub enum GrantCommand {
    /// Run the grant center.
    Serve(ServeArgs),
    #[command(flatten)]
    Pod(PodGrantCommand),
    /// Print the grant center's Kubernetes objects for a config: its
    /// Deployment, Service, PodDisruptionBudget, NetworkPolicy, ConfigMap
    /// and ServiceAccount.
    Render(CenterRenderArgs),
    /// Print the SHA-256 of a token, for the config's token_sha256.
    HashToken {
        /// The token; read from standard input when absent.
        token: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthKind {
    /// Per-app tokens whose hashes are in the config.
    Tokens,
    /// Kubernetes service-account tokens, checked with a TokenReview.
    Tokenreview,
}

#[derive(Debug, Args)]
pub struct CenterRenderArgs {
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    #[arg(long, default_value = "podready")]
    pub namespace: String,
    /// The name of its objects.
    #[arg(long, default_value = "podready-grant")]
    pub name: String,
    /// An image with the full podready binary at /usr/local/bin/podready.
    #[arg(long, default_value = concat!("podready/podready-grant:", env!("CARGO_PKG_VERSION")))]
    pub image: String,
    /// [default: 3 with ledger_instance set, else 1]
    #[arg(long)]
    pub replicas: Option<u32>,
    /// How pods authenticate: the app tokens of the config (what `deploy
    /// render` gives pods), or their ServiceAccount tokens (TokenReview).
    #[arg(long, value_enum, default_value_t = AuthKind::Tokens)]
    pub auth: AuthKind,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8700")]
    pub listen: SocketAddr,
    #[arg(long, value_enum, default_value_t = AuthKind::Tokens)]
    pub auth: AuthKind,
    /// With --auth tokenreview: the audience the tokens are minted for.
    #[arg(long)]
    pub audience: Option<String>,
    /// Where a relative ledger and audit_log live [default: beside the
    /// config]; for a read-only config, as in a pod.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Append the audit log here instead of the config's audit_log
    /// (`/dev/stdout` in a pod whose logs are collected).
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
}

pub fn run(cmd: &GrantCommand) -> Result<ExitCode> {
    match cmd {
        GrantCommand::Serve(args) => serve(args),
        GrantCommand::Render(args) => {
            let objects = render_center(
                &args.config,
                &CenterInput {
                    name: &args.name,
                    namespace: &args.namespace,
                    image: &args.image,
                    replicas: args.replicas,
                    tokenreview: args.auth == AuthKind::Tokenreview,
                },
            )?;
            print!("{}", to_yaml_stream(&objects));
            Ok(ExitCode::SUCCESS)
        }
        GrantCommand::Pod(cmd) => podready_pod::grant::run(cmd),
        GrantCommand::HashToken { token } => {
            let token = match token {
                Some(t) => t.clone(),
                None => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end().to_string()
                }
            };
            println!("{}", token_hash(&token));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn serve(args: &ServeArgs) -> Result<ExitCode> {
    let mut config = GrantConfig::load_with_state_dir(&args.config, args.state_dir.as_deref())?;
    if let Some(file) = &args.audit_log {
        config.audit_log = file.clone();
    }
    let audit = Audit::open(&config.audit_log)
        .with_context(|| format!("cannot open the audit log {}", config.audit_log.display()))?;
    crate::runtime::runtime()?.block_on(async {
        let reap_every = Duration::from_secs(config.reaper_interval_seconds.max(1));
        let apps: BTreeMap<String, String> = config
            .apps
            .iter()
            .map(|a| (a.name.clone(), a.token_sha256.clone()))
            .collect();
        let operators = config.operator_tokens_sha256.clone();
        let accounts = config.service_accounts.clone();
        let center = GrantCenter::start(config, audit, |i| {
            std::env::var(&i.admin_url_env).map_err(|_| {
                format!(
                    "instance `{}`: the environment variable {} (its admin URL) is not set",
                    i.name, i.admin_url_env
                )
            })
        })
        .await
        .map_err(anyhow::Error::msg)?;
        // A configuration that cannot work stops the center before it
        // answers: pods would otherwise retry a refusal forever.
        let (problems, warnings) = center.check_accounts().await;
        for w in &warnings {
            eprintln!("warning: {w}");
        }
        if !problems.is_empty() {
            bail!("{}", problems.join("; "));
        }
        for i in &center.config.instances {
            match i.tls {
                TlsMode::Disabled => eprintln!(
                    "warning: instance `{}`: the admin connection is not encrypted (tls = \"disabled\"); use \"verify-identity\" unless the database is on this host",
                    i.name
                ),
                TlsMode::Required => eprintln!(
                    "warning: instance `{}`: the database's certificate is not checked (tls = \"required\"); use \"verify-identity\" with its CA in ca_file",
                    i.name
                ),
                TlsMode::VerifyIdentity => {}
            }
        }
        let center = Arc::new(center);
        // Finish what a crash interrupted while already answering: every
        // operation is idempotent and serialised per pod and per IP.
        let reconciling = center.clone();
        tokio::spawn(async move {
            match reconciling.reconcile().await {
                Ok(left) => {
                    for l in left {
                        eprintln!("warning: reconcile: {l} (retried by the reaper)");
                    }
                }
                Err(e) => eprintln!("warning: reconcile: {e}"),
            }
        });
        spawn_reaper(center.clone(), reap_every);
        let listener =
            listen(args.listen).with_context(|| format!("cannot listen on {}", args.listen))?;
        eprintln!("grant center listening on {}", args.listen);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match args.auth {
            AuthKind::Tokens => {
                let state = Arc::new(AppState {
                    center,
                    auth: TokenAuthenticator::new(&apps, &operators),
                });
                axum::serve(listener, router(state))
                    .with_graceful_shutdown(shutdown)
                    .await?;
            }
            AuthKind::Tokenreview => {
                let client = kube::Client::try_default()
                    .await
                    .context("TokenReview needs access to the Kubernetes API")?;
                let state = Arc::new(AppState {
                    center,
                    auth: TokenReviewAuthenticator {
                        client,
                        accounts,
                        audience: args.audience.clone(),
                    },
                });
                axum::serve(listener, router(state))
                    .with_graceful_shutdown(shutdown)
                    .await?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
