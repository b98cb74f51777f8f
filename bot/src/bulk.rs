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

use crate::forge::RateLimiter;
use crate::upgrade::{upgrade_repo, ForgeKind, Limits, UpgradeArgs, UpgradeReport};

#[derive(Debug, Args)]
pub struct BulkArgs {
    /// The fleet file.
    pub fleet: PathBuf,
    /// Forget the state of an earlier run and start over.
    #[arg(long)]
    pub fresh: bool,
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
    /// The run's state (SQLite), relative to the fleet file.
    #[serde(default = "default_state")]
    state: PathBuf,
    /// The summary report, written as REPORT.md and REPORT.json.
    #[serde(default = "default_report")]
    report: PathBuf,
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
            state: default_state(),
            report: default_report(),
            max_new_merge_requests: None,
            api_requests_per_minute: None,
            verify: default_verify(),
            verify_timeout_seconds: None,
            resolve: default_resolve(),
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
fn default_concurrency() -> usize {
    2
}
fn default_state() -> PathBuf {
    "podready-bulk.sqlite".into()
}
fn default_report() -> PathBuf {
    "podready-bulk-report".into()
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

/// A repository's row: url, status, report (JSON), error, attempts.
type Row = (String, String, Option<String>, Option<String>, i64);

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
        url: &str,
        status: &str,
        report: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.execute(
            "INSERT INTO repos (url, status, report, error, attempts) VALUES (?1, ?2, ?3, ?4, 1)
             ON CONFLICT(url) DO UPDATE SET status = ?2, report = ?3, error = ?4,
                 attempts = attempts + (CASE WHEN ?2 = 'running' THEN 1 ELSE 0 END)",
            params![url, status, report, error],
        )?;
        Ok(())
    }

    fn rows(&self) -> Result<Vec<Row>> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt =
            conn.prepare("SELECT url, status, report, error, attempts FROM repos ORDER BY url")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

fn load_fleet(path: &Path) -> Result<Fleet> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let fleet: Fleet = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
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
    let fleet = load_fleet(&args.fleet)?;
    let base = args.fleet.parent().unwrap_or(Path::new("."));
    let state_path = base.join(&fleet.run.state);
    let state = State::open(&state_path, args.fresh)?;
    let todo: VecDeque<FleetRepo> = fleet
        .repos
        .iter()
        .filter(|r| {
            !matches!(
                state.status(&r.url).ok().flatten().as_deref(),
                Some("done" | "failed")
            )
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
        eprintln!("resuming: {skipped} of {total} repositories already finished");
    }
    let queue = Mutex::new(todo);
    let done = AtomicUsize::new(skipped);
    std::thread::scope(|s| {
        for _ in 0..fleet.run.concurrency.min(total.max(1)) {
            s.spawn(|| loop {
                let Some(repo) = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front() else {
                    return;
                };
                let _ = state.set(&repo.url, "running", None, None);
                let args = upgrade_args(&fleet.run, &repo);
                // A panic in one repository is its failure, not the run's.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    upgrade_repo(&args, &limits)
                }));
                let line = match result {
                    Ok(Ok(report)) => {
                        let mut value = serde_json::to_value(&report).unwrap_or(Value::Null);
                        value["owners"] = json!(repo.owners);
                        let _ = state.set(&repo.url, "done", Some(&value.to_string()), None);
                        summary_line(&report)
                    }
                    Ok(Err(e)) => {
                        let reason = crate::one_line(&e);
                        let _ = state.set(&repo.url, "failed", None, Some(&reason));
                        format!("failed: {reason}")
                    }
                    Err(_) => {
                        let _ = state.set(
                            &repo.url,
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
    let (markdown, json_report, failures) = report(&state)?;
    let report_base = base.join(&fleet.run.report);
    podready_rewriter::write_atomic(&report_base.with_extension("md"), markdown.as_bytes())?;
    podready_rewriter::write_atomic(
        &report_base.with_extension("json"),
        serde_json::to_string_pretty(&json_report)?.as_bytes(),
    )?;
    print!("{markdown}");
    let mut failed = failures > 0;
    if let Some(project) = &fleet.run.dashboard {
        match dashboard(&fleet.run, project, &markdown) {
            Ok(url) => eprintln!("fleet dashboard: {url}"),
            Err(e) => {
                eprintln!(
                    "error: the fleet dashboard was not updated: {}",
                    crate::one_line(&e)
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
fn dashboard(run: &RunSettings, project: &str, markdown: &str) -> Result<String> {
    let token = |name: &str| std::env::var(name).ok().filter(|t| !t.is_empty());
    let forge = match run.forge.as_deref() {
        Some("github") => {
            let token = token("GITHUB_TOKEN").context("the dashboard needs GITHUB_TOKEN")?;
            let api = run
                .github_api
                .clone()
                .unwrap_or_else(|| "https://api.github.com".into());
            crate::forge::Forge::GitHub(crate::forge::github::GitHub::new(
                &api, project, &token, None,
            )?)
        }
        _ => {
            let token = token("GITLAB_TOKEN").context("the dashboard needs GITLAB_TOKEN")?;
            let base = run
                .gitlab_url
                .clone()
                .context("the dashboard needs run.gitlab_url")?;
            crate::forge::Forge::GitLab(crate::forge::gitlab::GitLab::new(
                &base, project, &token, None,
            ))
        }
    };
    forge.upsert_issue(DASHBOARD_TITLE, markdown)
}

fn summary_line(r: &UpgradeReport) -> String {
    let verification = match &r.verification {
        crate::upgrade::verify::Verification::Passed { .. } => "build passes",
        crate::upgrade::verify::Verification::Failed { .. } if r.breaks_the_build => "BUILD FAILS",
        crate::upgrade::verify::Verification::Failed { .. } => "build fails, as on the base",
        crate::upgrade::verify::Verification::NotRun { .. } => "not verified",
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

/// The summary in Markdown and JSON, and how many repositories failed.
fn report(state: &State) -> Result<(String, Value, usize)> {
    let rows = state.rows()?;
    let mut md = String::from(
        "# podready bulk run\n\n| repository | status | findings before → after | upgrades | verification | merge request | error |\n|---|---|--:|--:|---|---|---|\n",
    );
    let mut items = Vec::new();
    let mut failures = 0;
    for (url, status, report, error, attempts) in rows {
        let r: Value = report
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(Value::Null);
        if status != "done" {
            failures += 1;
        }
        let verification = match (
            r["verification"]["result"].as_str(),
            r["breaks_the_build"].as_bool(),
        ) {
            (Some("failed"), Some(false)) => "failed (the base fails too)",
            (Some(result), _) => result,
            (None, _) => "-",
        };
        let mr = r["merge_request"].as_str().unwrap_or("-");
        md.push_str(&format!(
            "| {} | {status} | {} → {} | {} | {verification} | {mr} | {} |\n",
            crate::upgrade::git::redact(&url),
            r["findings_before"]
                .as_u64()
                .map_or("-".into(), |n| n.to_string()),
            r["findings_after"]
                .as_u64()
                .map_or("-".into(), |n| n.to_string()),
            r["changes"].as_array().map_or(0, |c| c.len()),
            error.as_deref().unwrap_or("").replace('|', "\\|"),
        ));
        items.push(json!({
            "repository": crate::upgrade::git::redact(&url),
            "status": status,
            "attempts": attempts,
            "result": r,
            "error": error,
        }));
    }
    md.push_str(&format!(
        "\n{} repositories, {failures} failed.\n",
        items.len()
    ));
    Ok((
        md,
        json!({ "repositories": items, "failed": failures }),
        failures,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_fleet_example_is_valid() {
        let readme = include_str!("../../README.md");
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
