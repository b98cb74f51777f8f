//! `podready bulk FLEET.toml`: the scheduled run over a fleet. Repositories
//! run concurrently (bounded); the run's state is kept in SQLite, so a run
//! killed at any point continues where it stopped, repeats no finished
//! repository, and — because a merge request is found by its branch before
//! one is opened — never opens a duplicate. One repository's failure is
//! recorded with its reason and never stops the run.

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use clap::Args;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::{json, Value};

mod report;

use report::{FleetReport, Row};

use crate::forge::RateLimiter;
use crate::upgrade::{upgrade_repo, ForgeKind, Limits, UpgradeArgs, UpgradeReport};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BulkArgs {
    #[command(subcommand)]
    pub command: Option<BulkCommand>,
    /// The fleet file.
    #[arg(required = true)]
    pub fleet: Option<PathBuf>,
    /// Run only shard I of N (1-based, as GitLab's CI_NODE_INDEX/CI_NODE_TOTAL):
    /// the repositories whose URL hashes to it. Each shard keeps its own state.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Forget the state of an earlier run and start over.
    #[arg(long)]
    pub fresh: bool,
    /// Run the repositories that failed in an earlier run again (the
    /// finished ones are kept).
    #[arg(long)]
    pub retry_failed: bool,
    /// With `verify = "ci"`: wait for the forge's CI runs still going at
    /// the end, reading their results into the comments and the report.
    #[arg(long)]
    pub wait: bool,
    /// How long `--wait` waits at most.
    #[arg(long, value_name = "MINUTES", default_value_t = 60)]
    pub wait_minutes: u64,
}

#[derive(Debug, clap::Subcommand)]
pub enum BulkCommand {
    /// Merge the states of several runs (the shards of a fleet) into one report.
    Report {
        /// The state files (`*.podready-state*.sqlite`).
        #[arg(required = true)]
        states: Vec<PathBuf>,
        /// Where to write the report (`.md` and `.json` are appended).
        #[arg(long, default_value = "podready-report")]
        report: PathBuf,
    },
}

/// One shard of a fleet: index (1-based) and count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Whether `url` belongs to this shard: a stable hash (FNV-1a, the
    /// same on every machine and release) of the URL, modulo the count.
    fn owns(&self, url: &str) -> bool {
        let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        hash % self.count == self.index - 1
    }

    fn suffix(&self) -> String {
        format!(".shard-{}-of-{}", self.index, self.count)
    }
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let bad = || format!("`{text}` is not I/N with 1 <= I <= N (e.g. 2/4)");
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (index, count) = (
        i.trim().parse::<u64>().map_err(|_| bad())?,
        n.trim().parse::<u64>().map_err(|_| bad())?,
    );
    if index == 0 || count == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fleet {
    #[serde(default)]
    run: RunSettings,
    #[serde(rename = "repo", default)]
    repos: Vec<FleetRepo>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunSettings {
    #[serde(default = "default_concurrency")]
    concurrency: usize,
    /// The run's state (SQLite), relative to the fleet file [default:
    /// `<fleet file stem>.podready-state.sqlite`: one state per fleet file].
    #[serde(default)]
    state: Option<PathBuf>,
    /// The summary report, written as REPORT.md and REPORT.json [default:
    /// `<fleet file stem>.podready-report`].
    #[serde(default)]
    report: Option<PathBuf>,
    #[serde(default)]
    max_new_merge_requests: Option<usize>,
    #[serde(default)]
    api_requests_per_minute: Option<u32>,
    #[serde(default = "default_verify")]
    verify: String,
    #[serde(default)]
    verify_timeout_seconds: Option<u64>,
    /// Check each repository's resolved classpath with Maven (`fix`'s
    /// second round); `false` fixes the pom text only.
    #[serde(default = "default_resolve")]
    resolve: bool,
    /// How often `--wait` asks the forge about pending CI runs.
    #[serde(default = "default_ci_poll_seconds")]
    ci_poll_seconds: u64,
    #[serde(default)]
    forge: Option<String>,
    #[serde(default)]
    gitlab_url: Option<String>,
    #[serde(default)]
    github_api: Option<String>,
    /// The project (GitLab `group/project`, GitHub `owner/repo`) whose
    /// dashboard issue shows the latest run's report, updated in place.
    #[serde(default)]
    dashboard: Option<String>,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            concurrency: default_concurrency(),
            state: None,
            report: None,
            max_new_merge_requests: None,
            api_requests_per_minute: None,
            verify: default_verify(),
            verify_timeout_seconds: None,
            resolve: default_resolve(),
            ci_poll_seconds: default_ci_poll_seconds(),
            forge: None,
            gitlab_url: None,
            github_api: None,
            dashboard: None,
        }
    }
}

fn default_resolve() -> bool {
    true
}
fn default_ci_poll_seconds() -> u64 {
    30
}
fn default_concurrency() -> usize {
    2
}
/// `<fleet file stem><suffix>`, beside the fleet file: two fleet files in
/// one folder never share a state or a report.
fn beside_fleet(fleet: &Path, suffix: &str) -> PathBuf {
    let stem = fleet
        .file_stem()
        .map_or("fleet".into(), |s| s.to_string_lossy().into_owned());
    PathBuf::from(format!("{stem}{suffix}"))
}
fn default_verify() -> String {
    "default".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FleetRepo {
    url: String,
    #[serde(default)]
    base: Option<String>,
    /// The build command for this repository.
    #[serde(default)]
    verify: Option<String>,
    #[serde(default)]
    skip_rules: Vec<String>,
    #[serde(default)]
    owners: Vec<String>,
    #[serde(default)]
    gitlab_project: Option<String>,
    #[serde(default)]
    github_repo: Option<String>,
}

/// The run's durable state: one row per repository.
struct State {
    conn: Mutex<Connection>,
}

impl State {
    fn open(path: &Path, fresh: bool) -> Result<State> {
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the run state {}", path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS repos (
                 url TEXT PRIMARY KEY,
                 status TEXT NOT NULL,
                 report TEXT,
                 error TEXT,
                 attempts INTEGER NOT NULL DEFAULT 0
             );",
        )?;
        // The owners, so a report merged from states alone has them (a
        // state written before this column gets it empty).
        let has_owners = conn.prepare("SELECT owners FROM repos LIMIT 0").is_ok();
        if !has_owners {
            conn.execute(
                "ALTER TABLE repos ADD COLUMN owners TEXT NOT NULL DEFAULT '[]'",
                [],
            )?;
        }
        if fresh {
            conn.execute("DELETE FROM repos", [])?;
        }
        Ok(State {
            conn: Mutex::new(conn),
        })
    }

    fn status(&self, url: &str) -> Result<Option<String>> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        Ok(conn
            .query_row(
                "SELECT status FROM repos WHERE url = ?1",
                params![url],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn set(
        &self,
        repo: &FleetRepo,
        status: &str,
        report: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let owners = serde_json::to_string(&repo.owners)?;
        conn.execute(
            "INSERT INTO repos (url, status, report, error, attempts, owners) VALUES (?1, ?2, ?3, ?4, 1, ?5)
             ON CONFLICT(url) DO UPDATE SET status = ?2, report = ?3, error = ?4, owners = ?5,
                 attempts = attempts + (CASE WHEN ?2 = 'running' THEN 1 ELSE 0 END)",
            params![repo.url, status, report, error, owners],
        )?;
        Ok(())
    }

    fn rows(&self) -> Result<Vec<Row>> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt = conn.prepare(
            "SELECT url, status, report, error, attempts, owners FROM repos ORDER BY url",
        )?;
        let rows = stmt.query_map([], |r| {
            let owners: String = r.get(5)?;
            Ok(Row {
                url: r.get(0)?,
                status: r.get(1)?,
                report: r.get(2)?,
                error: r.get(3)?,
                attempts: r.get(4)?,
                owners: serde_json::from_str(&owners).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

fn load_fleet(path: &Path) -> Result<Fleet> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let fleet: Fleet = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|s| podready_rules::line_of(&text, s.start));
        anyhow::anyhow!(
            "{}{}: {}",
            path.display(),
            line.map(|l| format!(":{l}")).unwrap_or_default(),
            e.message().trim()
        )
    })?;
    if fleet.run.concurrency == 0 {
        anyhow::bail!("{}: run.concurrency must be at least 1", path.display());
    }
    // A repository listed twice would run twice at once on one branch.
    let mut seen = std::collections::HashSet::new();
    for repo in &fleet.repos {
        if !seen.insert(repo.url.as_str()) {
            let line = text
                .match_indices(&format!("\"{}\"", repo.url))
                .nth(1)
                .map(|(at, _)| podready_rules::line_of(&text, at));
            anyhow::bail!(
                "{}{}: `{}` is listed twice; list each repository once",
                path.display(),
                line.map(|l| format!(":{l}")).unwrap_or_default(),
                repo.url
            );
        }
    }
    Ok(fleet)
}

fn upgrade_args(run: &RunSettings, repo: &FleetRepo) -> UpgradeArgs {
    UpgradeArgs {
        repo: repo.url.clone(),
        base: repo.base.clone(),
        verify: repo.verify.clone().unwrap_or_else(|| run.verify.clone()),
        verify_timeout: run.verify_timeout_seconds,
        mr_file: None,
        forge: run.forge.as_deref().map(|f| match f {
            "gitlab" => ForgeKind::Gitlab,
            "github" => ForgeKind::Github,
            _ => ForgeKind::None,
        }),
        gitlab_url: run.gitlab_url.clone(),
        gitlab_project: repo.gitlab_project.clone(),
        github_api: run.github_api.clone(),
        github_repo: repo.github_repo.clone(),
        no_mr_on_failure: false,
        disable_rules: repo.skip_rules.clone(),
        no_resolve: !run.resolve,
    }
}

pub fn run(args: &BulkArgs) -> Result<ExitCode> {
    if let Some(BulkCommand::Report { states, report }) = &args.command {
        return merge_reports(states, report);
    }
    let fleet_path = args.fleet.as_deref().context("give the fleet file")?;
    let mut fleet = load_fleet(fleet_path)?;
    if let Some(shard) = &args.shard {
        fleet.repos.retain(|r| shard.owns(&r.url));
    }
    let shard_suffix = args.shard.map(|s| s.suffix()).unwrap_or_default();
    let base = fleet_path.parent().unwrap_or(Path::new("."));
    // One clear error before any repository is touched.
    if let Some(forge) = fleet_forge(&fleet, None)? {
        let who = forge.check_token().map_err(|e| {
            anyhow::anyhow!(
                "the fleet's forge refused the run: {}",
                podready_pod::one_line(&e)
            )
        })?;
        eprintln!("forge token of {who}: accepted");
    }
    let state_path = base.join(fleet.run.state.clone().unwrap_or_else(|| {
        beside_fleet(fleet_path, &format!(".podready-state{shard_suffix}.sqlite"))
    }));
    let state = State::open(&state_path, args.fresh)?;
    let finished: &[&str] = if args.retry_failed {
        &["done"]
    } else {
        &["done", "failed"]
    };
    let todo: VecDeque<FleetRepo> = fleet
        .repos
        .iter()
        .filter(|r| {
            let status = state.status(&r.url).ok().flatten();
            !status.is_some_and(|s| finished.contains(&s.as_str()))
        })
        .cloned()
        .collect();
    let total = fleet.repos.len();
    let skipped = total - todo.len();
    let limits = Limits {
        new_mrs: fleet.run.max_new_merge_requests.map(AtomicUsize::new),
        limiter: fleet
            .run
            .api_requests_per_minute
            .map(|n| Arc::new(RateLimiter::new(n))),
    };
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_position(skipped as u64);
        bar
    });
    if skipped > 0 {
        eprintln!(
            "resuming: {skipped} of {} already finished",
            crate::plural(total, "repository", "repositories")
        );
    }
    let queue = Mutex::new(todo);
    let done = AtomicUsize::new(skipped);
    std::thread::scope(|s| {
        for _ in 0..fleet.run.concurrency.min(total.max(1)) {
            s.spawn(|| loop {
                let Some(repo) = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front() else {
                    return;
                };
                let _ = state.set(&repo, "running", None, None);
                let args = upgrade_args(&fleet.run, &repo);
                // A panic in one repository is its failure, not the run's.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    upgrade_repo(&args, &limits)
                }));
                let line = match result {
                    Ok(Ok(report)) => {
                        let mut value = serde_json::to_value(&report).unwrap_or(Value::Null);
                        value["owners"] = json!(repo.owners);
                        let _ = state.set(&repo, "done", Some(&value.to_string()), None);
                        summary_line(&report)
                    }
                    Ok(Err(e)) => {
                        let reason = podready_pod::one_line(&e);
                        let _ = state.set(&repo, "failed", None, Some(&reason));
                        format!("failed: {reason}")
                    }
                    Err(_) => {
                        let _ = state.set(
                            &repo,
                            "failed",
                            None,
                            Some("podready crashed on this repository"),
                        );
                        "failed: podready crashed on this repository".to_string()
                    }
                };
                let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                let name = crate::upgrade::git::redact(&repo.url);
                match &progress {
                    Some(bar) => {
                        bar.set_position(n as u64);
                        bar.set_message(format!("{name}: {line}"));
                    }
                    None => eprintln!("[{n}/{total}] {name}: {line}"),
                }
            });
        }
    });
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if args.wait {
        wait_for_ci(
            &fleet,
            &state,
            &limits,
            std::time::Duration::from_secs(args.wait_minutes * 60),
        );
    }
    let report_base =
        base.join(fleet.run.report.clone().unwrap_or_else(|| {
            beside_fleet(fleet_path, &format!(".podready-report{shard_suffix}"))
        }));
    let report = fleet_report(&state, &fleet.repos, &report_base)?;
    report.write(&report_base)?;
    let markdown = report.markdown();
    print!("{markdown}");
    let mut failed = report.failures > 0;
    if let Some(project) = &fleet.run.dashboard {
        match dashboard(&fleet, project, &markdown) {
            Ok(url) => eprintln!("fleet dashboard: {url}"),
            Err(e) => {
                eprintln!(
                    "error: the fleet dashboard was not updated: {}",
                    podready_pod::one_line(&e)
                );
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The title of the fleet dashboard issue.
const DASHBOARD_TITLE: &str = "podready fleet dashboard";

/// Updates (or opens) the fleet's dashboard issue with the run's report.
fn dashboard(fleet: &Fleet, project: &str, markdown: &str) -> Result<String> {
    let forge = fleet_forge(fleet, Some(project))?
        .context("the dashboard needs a forge: set run.forge and its token")?;
    forge.upsert_issue(DASHBOARD_TITLE, markdown)
}

/// The fleet's forge client, on `project` (`None`: for calls about the
/// token only), or `None` when the fleet uses no forge. A forge that is
/// named but has no token or address is an error.
fn fleet_forge(fleet: &Fleet, project: Option<&str>) -> Result<Option<crate::forge::Forge>> {
    let run = &fleet.run;
    let token = |name: &str| std::env::var(name).ok().filter(|t| !t.is_empty());
    let kind = run.forge.as_deref().or_else(|| {
        if token("GITLAB_TOKEN").is_some() {
            Some("gitlab")
        } else if token("GITHUB_TOKEN").is_some() {
            Some("github")
        } else {
            None
        }
    });
    let first = fleet.repos.first();
    match kind {
        Some("github") => {
            let token = token("GITHUB_TOKEN").context(
                "the fleet's forge is github: set GITHUB_TOKEN to a token that may write pull requests",
            )?;
            let api = run
                .github_api
                .clone()
                .unwrap_or_else(|| "https://api.github.com".into());
            // `GET /user` needs no repository; the client wants one.
            let project = project.unwrap_or("podready/token-check");
            Ok(Some(crate::forge::Forge::GitHub(
                crate::forge::github::GitHub::new(&api, project, &token, None)?,
            )))
        }
        Some("gitlab") => {
            let token = token("GITLAB_TOKEN").context(
                "the fleet's forge is gitlab: set GITLAB_TOKEN to a token with the api scope",
            )?;
            let base = run
                .gitlab_url
                .clone()
                .or_else(|| {
                    first
                        .and_then(|r| crate::forge::project_of(&r.url))
                        .map(|(b, _)| b)
                })
                .context("the fleet's forge is gitlab: set run.gitlab_url")?;
            let project = project.unwrap_or("podready/token-check");
            Ok(Some(crate::forge::Forge::GitLab(
                crate::forge::gitlab::GitLab::new(&base, project, &token, None),
            )))
        }
        _ => Ok(None),
    }
}

fn summary_line(r: &UpgradeReport) -> String {
    use crate::forge::CiState;
    use crate::upgrade::verify::Verification;
    let verification = match &r.verification {
        Verification::Passed { .. } => "build passes",
        Verification::Failed { .. } if r.breaks_the_build => "BUILD FAILS",
        Verification::Failed { .. } => "build fails, as on the base",
        Verification::NotRun { .. } => "not verified",
        Verification::Ci { run: None, .. } => "CI not started",
        Verification::Ci { run: Some(run), .. } => match run.state {
            CiState::Pending => "CI running",
            CiState::Passed => "CI passes",
            CiState::Failed if r.breaks_the_build => "CI FAILS",
            CiState::Failed => "CI fails, not known to pass on the base",
        },
    };
    format!(
        "{:?}, findings {} → {}, {verification}{}",
        r.outcome,
        r.findings_before,
        r.findings_after,
        r.merge_request
            .as_deref()
            .map(|u| format!(", {u}"))
            .unwrap_or_default()
    )
}

/// `--wait`: asks the forge, every `ci_poll_seconds` (through the run's
/// rate limiter), about the CI runs that were not finished when their
/// repository was done, and writes each result into the state and the
/// bot's comment as it comes. What is still running at the deadline is
/// left for the next run.
fn wait_for_ci(fleet: &Fleet, state: &State, limits: &Limits, deadline: std::time::Duration) {
    use crate::forge::CiState;
    use crate::upgrade::verify::Verification;
    let started = std::time::Instant::now();
    let pending = |v: &Value| {
        v["verification"]["result"] == "ci"
            && !matches!(
                v["verification"]["run"]["state"].as_str(),
                Some("passed" | "failed")
            )
            && v["head"].is_string()
    };
    let rows: std::collections::HashMap<String, Row> = state
        .rows()
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.url.clone(), r))
        .collect();
    let mut waiting: Vec<(FleetRepo, Value)> = fleet
        .repos
        .iter()
        .filter_map(|repo| {
            let row = rows.get(&repo.url)?;
            let report: Value = serde_json::from_str(row.report.as_deref()?).ok()?;
            (row.status == "done" && pending(&report)).then(|| (repo.clone(), report))
        })
        .collect();
    if !waiting.is_empty() {
        eprintln!("waiting for {} CI runs", waiting.len());
    }
    while !waiting.is_empty() {
        waiting.retain_mut(|(repo, report)| {
            let args = upgrade_args(&fleet.run, repo);
            let read = (|| -> Result<bool> {
                let Some(forge) = crate::upgrade::forge_of(&args, Some(&repo.url), limits)? else {
                    return Ok(false);
                };
                let head = report["head"].as_str().unwrap_or_default();
                let Some(run) = forge.ci_run(head)? else {
                    return Ok(true);
                };
                if run.state == CiState::Pending {
                    return Ok(true);
                }
                let base = match run.state {
                    CiState::Failed => {
                        forge.ci_run(report["base_commit"].as_str().unwrap_or_default())?
                    }
                    _ => None,
                };
                let verification = Verification::Ci {
                    run: Some(run),
                    base,
                };
                report["breaks_the_build"] = json!(verification.ci_blames_the_upgrade());
                report["verification"] = serde_json::to_value(&verification)?;
                state.set(repo, "done", Some(&report.to_string()), None)?;
                if let Some(mr) = forge.find(crate::upgrade::git::BRANCH)? {
                    let base_branch = report["base"].as_str().unwrap_or("the base");
                    forge.upsert_note(
                        &mr,
                        &crate::upgrade::mr::verification_note(&verification, base_branch),
                    )?;
                }
                eprintln!(
                    "{}: CI {}",
                    crate::upgrade::git::redact(&repo.url),
                    report["verification"]["run"]["state"]
                        .as_str()
                        .unwrap_or("?")
                );
                Ok(false)
            })();
            read.unwrap_or_else(|e| {
                eprintln!(
                    "{}: the CI result could not be read: {}",
                    crate::upgrade::git::redact(&repo.url),
                    podready_pod::one_line(&e)
                );
                false
            })
        });
        if waiting.is_empty() {
            break;
        }
        if started.elapsed() >= deadline {
            eprintln!(
                "{} CI runs still going after {} minutes; the next run reads them",
                waiting.len(),
                deadline.as_secs() / 60
            );
            break;
        }
        std::thread::sleep(std::time::Duration::from_secs(
            fleet.run.ci_poll_seconds.max(1),
        ));
    }
}

/// The report of the repositories the fleet file lists.
fn fleet_report(state: &State, fleet: &[FleetRepo], base: &Path) -> Result<FleetReport> {
    let listed: std::collections::HashSet<&str> = fleet.iter().map(|r| r.url.as_str()).collect();
    let rows: Vec<Row> = state
        .rows()?
        .into_iter()
        .filter(|row| listed.contains(row.url.as_str()))
        .collect();
    Ok(FleetReport::new(rows, FleetReport::previous(base).as_ref()))
}

/// Writes the merged report of several states (the shards of a fleet).
fn merge_reports(states: &[PathBuf], report_base: &Path) -> Result<ExitCode> {
    let mut rows: Vec<Row> = Vec::new();
    for path in states {
        if !path.is_file() {
            anyhow::bail!(
                "{}: no such state file (a bulk run writes <fleet>.podready-state*.sqlite)",
                path.display()
            );
        }
        let state = State::open(path, false)?;
        for row in state.rows()? {
            // A repository in two states (a fleet re-sharded): the finished one wins.
            match rows.iter_mut().find(|r| r.url == row.url) {
                Some(existing) if existing.status != "done" => *existing = row,
                Some(_) => {}
                None => rows.push(row),
            }
        }
    }
    let report = FleetReport::new(rows, FleetReport::previous(report_base).as_ref());
    report.write(report_base)?;
    print!("{}", report.markdown());
    Ok(if report.failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_fleet_example_is_valid() {
        let readme = include_str!("../../../README.md");
        let start = readme
            .find("`bulk` runs a fleet file:")
            .expect("the README shows a fleet file");
        let block = &readme[start..];
        let toml_start = block.find("```toml\n").expect("a toml block") + 8;
        let toml_end = block[toml_start..].find("```").expect("its end") + toml_start;
        let fleet: Fleet = toml::from_str(&block[toml_start..toml_end]).unwrap();
        assert_eq!(fleet.run.concurrency, 4);
        assert_eq!(fleet.repos.len(), 1);
        assert_eq!(fleet.repos[0].skip_rules, ["deploy/port"]);
    }

    #[test]
    fn a_repository_listed_twice_names_the_second_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fleet.toml");
        std::fs::write(
            &path,
            "[run]\n\n[[repo]]\nurl = \"https://g/a.git\"\n\n[[repo]]\nurl = \"https://g/b.git\"\n\n[[repo]]\nurl = \"https://g/a.git\"\n",
        )
        .unwrap();
        let e = load_fleet(&path).unwrap_err().to_string();
        assert!(
            e.contains("fleet.toml:10: `https://g/a.git` is listed twice"),
            "{e}"
        );
    }

    #[test]
    fn unknown_fleet_fields_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fleet.toml");
        std::fs::write(
            &path,
            "[run]\nconcurrency = 2\n\n[[repo]]\nurl = \"x\"\nbranch = \"main\"\n",
        )
        .unwrap();
        let e = load_fleet(&path).unwrap_err().to_string();
        assert!(e.contains("fleet.toml:6: unknown field `branch`"), "{e}");
    }
}
