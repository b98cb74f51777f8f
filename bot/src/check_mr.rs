//! `podready check --report mr`: inside a GitLab merge-request pipeline or
//! a GitHub Actions pull-request workflow, one comment with the findings on
//! the lines the change touches (edited in place on every run) and a
//! line comment on each such line (never posted twice).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use podready_analyzer::Finding;

use crate::forge::github::GitHub;
use crate::forge::gitlab::GitLab;
use crate::forge::{Forge, LinePosition, MergeRequest};
use crate::report::fingerprint;

/// The marker of the gate's note (the upgrade bot has its own).
const NOTE_MARKER: &str = "<!-- podready:check -->";

fn env(name: &str) -> Result<String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .with_context(|| {
            format!("--report mr runs in a GitLab merge-request pipeline; {name} is not set")
        })
}

/// Lines added or changed on the new side, by path relative to the repo.
fn changed_lines(
    repo: &git2::Repository,
    base: &str,
    head: &str,
) -> Result<HashMap<String, HashSet<usize>>> {
    let tree_of = |sha: &str| -> Result<git2::Tree<'_>> {
        let oid =
            git2::Oid::from_str(sha).with_context(|| format!("`{sha}` is not a commit id"))?;
        Ok(repo
            .find_commit(oid)
            .with_context(|| format!("commit {sha} is not in the clone (fetch more history)"))?
            .tree()?)
    };
    let diff = repo.diff_tree_to_tree(Some(&tree_of(base)?), Some(&tree_of(head)?), None)?;
    let mut out: HashMap<String, HashSet<usize>> = HashMap::new();
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, _hunk, line| {
            if line.origin() == '+' {
                if let (Some(path), Some(n)) = (delta.new_file().path(), line.new_lineno()) {
                    out.entry(path.to_string_lossy().replace('\\', "/"))
                        .or_default()
                        .insert(n as usize);
                }
            }
            true
        }),
    )?;
    Ok(out)
}

/// This CI job's forge, change request and diff (base, head).
fn target() -> Result<(Forge, MergeRequest, String, String)> {
    if let Ok(event_path) = std::env::var("GITHUB_EVENT_PATH") {
        let event: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&event_path)
                .with_context(|| format!("cannot read {event_path}"))?,
        )
        .context("GITHUB_EVENT_PATH is not JSON")?;
        let pr = &event["pull_request"];
        let number = pr["number"]
            .as_u64()
            .context("--report mr runs on pull_request events; this event has no pull request")?;
        let base = pr["base"]["sha"]
            .as_str()
            .context("the event has no base sha")?
            .to_string();
        let head = pr["head"]["sha"]
            .as_str()
            .context("the event has no head sha")?
            .to_string();
        let repo = env("GITHUB_REPOSITORY")?;
        let api =
            std::env::var("GITHUB_API_URL").unwrap_or_else(|_| "https://api.github.com".into());
        let token = std::env::var("GITHUB_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())
            .context("--report mr needs GITHUB_TOKEN (with pull-requests: write)")?;
        let gh = GitHub::new(&api, &repo, &token, None)?;
        let mr = MergeRequest {
            number,
            url: String::new(),
        };
        return Ok((Forge::GitHub(gh), mr, base, head));
    }
    let api = env("CI_API_V4_URL")?;
    let project = env("CI_PROJECT_ID")?;
    let iid: u64 = env("CI_MERGE_REQUEST_IID")?
        .parse()
        .context("CI_MERGE_REQUEST_IID is not a number")?;
    let base = env("CI_MERGE_REQUEST_DIFF_BASE_SHA")?;
    let head = env("CI_COMMIT_SHA")?;
    let token = std::env::var("GITLAB_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .context("--report mr needs a token with the api scope in GITLAB_TOKEN")?;
    let Some(base_url) = api.strip_suffix("/api/v4") else {
        bail!("CI_API_V4_URL `{api}` does not end in /api/v4");
    };
    let gl = GitLab::new(base_url, &project, &token, None);
    let mr = MergeRequest {
        number: iid,
        url: String::new(),
    };
    Ok((Forge::GitLab(gl), mr, base, head))
}

/// Posts the gate's findings to the change request of this CI job.
pub fn report(root: &Path, findings: &[Finding]) -> Result<String> {
    let (forge, mr, base, head) = target()?;
    let iid = mr.number;
    let repo = git2::Repository::discover(root).context("--report mr needs the git checkout")?;
    let workdir = repo.workdir().context("the checkout has no work tree")?;
    let abs_root = std::fs::canonicalize(root)?;
    let prefix = abs_root
        .strip_prefix(std::fs::canonicalize(workdir)?)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let changed = changed_lines(&repo, &base, &head)?;
    let on_changed: Vec<(&Finding, String)> = findings
        .iter()
        .filter_map(|f| {
            let path = if prefix.is_empty() {
                f.path.clone()
            } else {
                format!("{prefix}/{}", f.path)
            };
            changed
                .get(&path)
                .is_some_and(|lines| lines.contains(&f.line))
                .then_some((f, path))
        })
        .collect();

    let mut note = format!(
        "**podready check**: {} on lines this merge request changes ({} in the whole repository).\n",
        crate::plural(on_changed.len(), "finding", "findings"),
        findings.len()
    );
    for (f, path) in &on_changed {
        note.push_str(&format!(
            "\n- `{path}:{}` `{}`: {}",
            f.line, f.rule, f.message
        ));
    }
    forge.upsert_marked_note(&mr, NOTE_MARKER, &note)?;
    let posted = forge.line_comment_bodies(&mr)?;
    let mut new = 0;
    for (f, path) in &on_changed {
        let marker = format!(
            "<!-- podready:check:{} -->",
            fingerprint(&[&f.rule, path, f.snippet.trim()])
        );
        if posted.iter().any(|b| b.starts_with(&marker)) {
            continue;
        }
        let body = format!(
            "{marker}\n**`{}`** {}\n\n{}",
            f.rule, f.message, f.remediation
        );
        let position = LinePosition {
            base_sha: base.clone(),
            head_sha: head.clone(),
            path: path.clone(),
            line: f.line,
        };
        forge.line_comment(&mr, &position, &body)?;
        new += 1;
    }
    Ok(format!(
        "merge request !{iid}: {} on changed lines, {}",
        crate::plural(on_changed.len(), "finding", "findings"),
        crate::plural(new, "new line comment", "new line comments")
    ))
}
