//! `podready upgrade REPO`: one repository end to end — a worktree of the
//! default branch, scan, fix, deploy spec, scan again, verify, commit on
//! the bot's branch, and the merge request text.

pub mod git;
pub mod mr;
pub mod verify;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use podready_analyzer::deploy::infer;
use podready_analyzer::{analyze, load_poms, Finding, Options};
use podready_rewriter::{fix, merge_spec, render_spec, write_atomic};

use crate::check::load_pack;
use crate::deploy::SPEC_FILE;
use git::{BranchState, Identity, BRANCH};
use verify::Verification;

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// A local repository path or a clone URL.
    pub repo: String,
    /// The branch to start from [default: the default branch].
    #[arg(long)]
    pub base: Option<String>,
    /// `default` (the repository's build: Maven when there is a pom),
    /// `none`, or a command to run instead.
    #[arg(long, default_value = "default")]
    pub verify: String,
    /// Seconds the verification may take.
    #[arg(long)]
    pub verify_timeout: Option<u64>,
    /// Where to write the merge request text (forge `none`)
    /// [default: the cache's mr/ directory].
    #[arg(long, value_name = "FILE")]
    pub mr_file: Option<PathBuf>,
}

/// The findings of `after` not in `before` count as new; those of `before`
/// not in `after` as fixed (matched on rule, path and source line).
fn fixed_findings(before: &[Finding], after: &[Finding]) -> Vec<Finding> {
    let key = |f: &Finding| (f.rule.clone(), f.path.clone(), f.snippet.trim().to_string());
    let remaining: HashSet<_> = after.iter().map(key).collect();
    before
        .iter()
        .filter(|f| !remaining.contains(&key(f)))
        .cloned()
        .collect()
}

pub fn run(args: &UpgradeArgs) -> Result<ExitCode> {
    let bot = Identity::from_env();
    let source = git::open(&args.repo, args.base.as_deref())?;
    let shown = git::redact(&args.repo);
    let state = git::branch_state(&source.repo, source.base_commit, &bot)?;
    if let BranchState::Human { commit, author } = &state {
        println!(
            "{BRANCH} in {shown} has a commit by {author} ({commit}); podready no longer updates it so as not to overwrite their work."
        );
        return Ok(ExitCode::from(1));
    }
    let wt = git::worktree(&source)?;
    let pack = load_pack(&wt.path, &[], true)?;
    let options = Options::from_pack(&pack);
    let before = analyze(&wt.path, &pack, &options)?;

    let poms = load_poms(&wt.path, &options)?;
    let fixed = fix(&poms, &pack);
    for f in &fixed.files {
        write_atomic(&wt.path.join(&f.path), &f.bytes)?;
    }

    let spec_path = wt.path.join(SPEC_FILE);
    let deploy_added = match infer(&wt.path, &pack, &options) {
        Ok(inferred) => {
            let (text, added) = if spec_path.exists() {
                let existing = std::fs::read_to_string(&spec_path)?;
                let merged = merge_spec(SPEC_FILE, &existing, &inferred)?;
                (merged.text, merged.added)
            } else {
                (render_spec(&inferred), vec!["everything".to_string()])
            };
            if added.is_empty() {
                None
            } else {
                write_atomic(&spec_path, text.as_bytes())?;
                Some(added)
            }
        }
        Err(podready_analyzer::AnalyzeError::NoPom(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let after = analyze(&wt.path, &pack, &options)?;
    let fixed_list = fixed_findings(&before.findings, &after.findings);

    let command = match args.verify.as_str() {
        "none" => None,
        "default" => pack.upgrade.verify.clone().or_else(|| {
            wt.path
                .join("pom.xml")
                .is_file()
                .then(|| verify::MAVEN.to_string())
        }),
        other => Some(other.to_string()),
    };
    let timeout = Duration::from_secs(
        args.verify_timeout
            .or(pack.upgrade.verify_timeout_seconds)
            .unwrap_or(1800),
    );
    let logs = wt.path.parent().map(PathBuf::from).unwrap_or_default();
    let verification = match command {
        None => Verification::NotRun {
            reason: if args.verify == "none" {
                "`--verify none`".into()
            } else {
                "no build to run (no pom.xml and no `[upgrade] verify`)".into()
            },
        },
        Some(cmd) => verify::run(
            &wt.path,
            &cmd,
            timeout,
            &logs.join(format!("{}.build.log", std::process::id())),
        )?,
    };

    let name = source
        .remote_url
        .as_deref()
        .unwrap_or(&args.repo)
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("repository")
        .to_string();
    let rerun = format!("podready upgrade {shown}");
    let input = mr::MrInput {
        name: &name,
        base: &source.base,
        changes: &fixed.changes,
        manual: &fixed.manual,
        fixed: &fixed_list,
        left: &after.findings,
        deploy: deploy_added.as_deref(),
        verification: &verification,
        rerun: &rerun,
    };
    let title = mr::title(&input);
    let body = mr::body(&input);
    let mut message = format!("{title}\n\n");
    for c in &fixed.changes {
        let (artifact, what) = mr::describe(&c.change);
        message.push_str(&format!("- {artifact}: {what} ({}:{})\n", c.pom, c.line));
    }
    if deploy_added.is_some() {
        message.push_str(&format!(
            "- {SPEC_FILE}: written by `podready deploy init`\n"
        ));
    }
    let committed = git::commit(&source, &wt, &bot, &message)?;
    drop(wt);
    if committed.is_some() && source.remote_url.is_some() {
        git::push(&source, matches!(state, BranchState::Bot(_)))?;
    }
    let status = match committed {
        Some(oid) => format!("committed {oid} on {BRANCH} (from {})", source.base),
        None => format!("nothing new to commit on {BRANCH}"),
    };
    let text = format!("# {title}\n\n{body}");
    let mr_file = match &args.mr_file {
        Some(f) => f.clone(),
        None => {
            let dir = std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cache/podready/mr"))
                .unwrap_or_else(|| PathBuf::from("."));
            std::fs::create_dir_all(&dir).context("cannot create the merge request directory")?;
            dir.join(format!("{name}.md"))
        }
    };
    write_atomic(&mr_file, text.as_bytes())?;
    println!("{text}");
    eprintln!("{status}; merge request text in {}", mr_file.display());
    Ok(if verification.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
