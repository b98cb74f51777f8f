//! `podready check --report mr`: inside a GitLab merge-request pipeline,
//! one note with the findings on the lines the merge request changes
//! (edited in place on every pipeline) and a discussion on each such line
//! (never posted twice).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use podready_analyzer::Finding;

use crate::forge::gitlab::{GitLab, LinePosition};
use crate::forge::MergeRequest;
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

/// Posts the gate's findings to the merge request of this pipeline.
pub fn report(root: &Path, findings: &[Finding]) -> Result<String> {
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

    let gl = GitLab::new(base_url, &project, &token, None);
    let mr = MergeRequest {
        number: iid,
        url: String::new(),
    };
    let mut note = format!(
        "**podready check**: {} finding(s) on lines this merge request changes ({} in the whole repository).\n",
        on_changed.len(),
        findings.len()
    );
    for (f, path) in &on_changed {
        note.push_str(&format!(
            "\n- `{path}:{}` `{}`: {}",
            f.line, f.rule, f.message
        ));
    }
    gl.upsert_marked_note(&mr, NOTE_MARKER, &note)?;

    let posted = gl.discussion_bodies(&mr)?;
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
        gl.line_discussion(
            &mr,
            &body,
            &LinePosition {
                base_sha: base.clone(),
                head_sha: head.clone(),
                path: path.clone(),
                line: f.line,
            },
        )?;
        new += 1;
    }
    Ok(format!(
        "merge request !{iid}: {} finding(s) on changed lines, {new} new line comment(s)",
        on_changed.len()
    ))
}
