//! `podready upgrade REPO`: one repository end to end — a worktree of the
//! default branch, scan, fix, deploy spec, scan again, verify, commit on
//! the bot's branch, and the merge request text.

pub mod git;
pub mod mr;
pub mod verify;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use podready_analyzer::{analyze, Finding, Options};
use podready_deploy::infer::infer;
use podready_deploy::{merge_spec, render_spec};
use podready_rewriter::{write_atomic, write_fixes};
use podready_rules::RulePack;

use crate::check::load_pack;
use crate::deploy::SPEC_FILE;
use crate::fix::{fix_project, ProjectFix};
use crate::forge::{self, github::GitHub, gitlab::GitLab, Forge};
use git::{BranchState, Identity, BRANCH};
use verify::{BaseBuild, Verification};

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
    /// Where to write the merge request text [default: the cache's mr/
    /// directory]. Written whatever the forge.
    #[arg(long, value_name = "FILE")]
    pub mr_file: Option<PathBuf>,
    /// Where to open the merge request [default: gitlab when GITLAB_TOKEN
    /// is set, github when GITHUB_TOKEN is, else none].
    #[arg(long, value_enum)]
    pub forge: Option<ForgeKind>,
    /// The GitLab URL [default: from the clone URL].
    #[arg(long)]
    pub gitlab_url: Option<String>,
    /// The GitLab project path, `group/project` [default: from the clone URL].
    #[arg(long)]
    pub gitlab_project: Option<String>,
    /// The GitHub API URL [default: https://api.github.com for github.com,
    /// https://HOST/api/v3 for GitHub Enterprise].
    #[arg(long)]
    pub github_api: Option<String>,
    /// The GitHub repository, `owner/repo` [default: from the clone URL].
    #[arg(long)]
    pub github_repo: Option<String>,
    /// Do not open or update a merge request when the build fails (report only).
    #[arg(long)]
    pub no_mr_on_failure: bool,
    /// Rules not to apply to this repository (a fleet's `skip_rules`).
    #[arg(long = "skip-rule", value_name = "RULE")]
    pub disable_rules: Vec<String>,
    /// Fix the pom text only; do not check the resolved classpath with
    /// Maven (a fleet's `resolve = false`).
    #[arg(long)]
    pub no_resolve: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ForgeKind {
    None,
    Gitlab,
    Github,
}

fn token(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|t| !t.is_empty())
}

/// The forge client for this run, if any.
fn forge_for(args: &UpgradeArgs, source: &git::Source, limits: &Limits) -> Result<Option<Forge>> {
    let origin = source.remote_url.clone().or_else(|| {
        let remote = source.repo.find_remote("origin").ok()?;
        remote.url().ok().map(str::to_string)
    });
    forge_of(args, origin.as_deref(), limits)
}

/// The forge client for a repository whose clone URL is `origin`.
pub fn forge_of(
    args: &UpgradeArgs,
    origin: Option<&str>,
    limits: &Limits,
) -> Result<Option<Forge>> {
    let kind = args.forge.unwrap_or(if token("GITLAB_TOKEN").is_some() {
        ForgeKind::Gitlab
    } else if token("GITHUB_TOKEN").is_some() {
        ForgeKind::Github
    } else {
        ForgeKind::None
    });
    let inferred = origin.and_then(forge::project_of);
    match kind {
        ForgeKind::None => Ok(None),
        ForgeKind::Gitlab => {
            let token = token("GITLAB_TOKEN")
                .context("--forge gitlab needs a token in the GITLAB_TOKEN environment variable")?;
            let base = args
                .gitlab_url
                .clone()
                .or_else(|| inferred.as_ref().map(|(b, _)| b.clone()))
                .context("cannot tell the GitLab URL; pass --gitlab-url")?;
            let project = args
                .gitlab_project
                .clone()
                .or_else(|| inferred.map(|(_, p)| p))
                .context("cannot tell the GitLab project; pass --gitlab-project")?;
            Ok(Some(Forge::GitLab(GitLab::new(
                &base,
                &project,
                &token,
                limits.limiter.clone(),
            ))))
        }
        ForgeKind::Github => {
            let token = token("GITHUB_TOKEN")
                .context("--forge github needs a token in the GITHUB_TOKEN environment variable")?;
            let api = args
                .github_api
                .clone()
                .or_else(|| {
                    inferred.as_ref().map(|(b, _)| {
                        if b == "https://github.com" {
                            "https://api.github.com".to_string()
                        } else {
                            format!("{b}/api/v3")
                        }
                    })
                })
                .context("cannot tell the GitHub API URL; pass --github-api")?;
            let repo = args
                .github_repo
                .clone()
                .or_else(|| inferred.map(|(_, p)| p))
                .context("cannot tell the GitHub repository; pass --github-repo")?;
            Ok(Some(Forge::GitHub(GitHub::new(
                &api,
                &repo,
                &token,
                limits.limiter.clone(),
            )?)))
        }
    }
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

/// What happened to one repository.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UpgradeReport {
    pub repo: String,
    pub outcome: Outcome,
    pub findings_before: usize,
    pub findings_after: usize,
    /// The findings left after the upgrade, by rule.
    pub findings_by_rule: std::collections::BTreeMap<String, usize>,
    pub changes: Vec<String>,
    /// Findings above info left after the upgrade, and dependencies `fix`
    /// could not change.
    pub left_for_a_person: usize,
    pub verification: Verification,
    /// The same build on the base, run when the upgraded tree failed.
    pub base_build: Option<BaseBuild>,
    /// The upgraded tree fails where the base builds: the upgrade's fault.
    pub breaks_the_build: bool,
    /// The bot's branch's commit as pushed, and the base commit (for
    /// reading the forge's CI later).
    pub head: Option<String>,
    pub base_commit: String,
    /// The base branch's name.
    pub base: String,
    pub commit: Option<String>,
    pub merge_request: Option<String>,
    /// The merge request's title and description.
    #[serde(skip)]
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A new commit on the bot's branch.
    Committed,
    /// The branch already holds this upgrade (or nothing needed changing).
    Unchanged,
    /// Someone else committed on the bot's branch: left alone.
    HumanCommits,
}

/// Shared limits of a bulk run.
#[derive(Default)]
pub struct Limits {
    /// New merge requests this run may still open (`None`: no limit).
    pub new_mrs: Option<std::sync::atomic::AtomicUsize>,
    pub limiter: Option<std::sync::Arc<forge::RateLimiter>>,
}

impl Limits {
    /// Takes one new-merge-request slot; false when none is left.
    fn take_new_mr(&self) -> bool {
        self.new_mrs.as_ref().is_none_or(|n| {
            n.fetch_update(
                std::sync::atomic::Ordering::SeqCst,
                std::sync::atomic::Ordering::SeqCst,
                |left| left.checked_sub(1),
            )
            .is_ok()
        })
    }
}

pub fn run(args: &UpgradeArgs) -> Result<ExitCode> {
    let report = upgrade_repo(args, &Limits::default())?;
    let mr_file = match &args.mr_file {
        Some(f) => f.clone(),
        None => {
            let dir = std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cache/podready/mr"))
                .unwrap_or_else(|| PathBuf::from("."));
            std::fs::create_dir_all(&dir).context("cannot create the merge request directory")?;
            dir.join(format!("{}.md", report_name(&args.repo)))
        }
    };
    write_atomic(&mr_file, report.text.as_bytes())?;
    if report.outcome == Outcome::HumanCommits {
        eprintln!("{}", report.text);
        eprintln!("merge request text in {}", mr_file.display());
        return Ok(ExitCode::from(1));
    }
    println!("{}", report.text);
    let status = match &report.commit {
        Some(oid) => format!("committed {oid} on {BRANCH}"),
        None => format!("nothing new to commit on {BRANCH}"),
    };
    eprintln!("{status}; merge request text in {}", mr_file.display());
    if let Some(url) = &report.merge_request {
        eprintln!("merge request: {url}");
    }
    if report.verification.failed() && !report.breaks_the_build {
        eprintln!("the build fails on the base too: not the upgrade's failure (the merge request says so)");
    }
    Ok(if report.breaks_the_build {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The repository's short name, from its path or URL.
pub fn report_name(repo: &str) -> String {
    repo.trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("repository")
        .to_string()
}

/// Upgrades one repository; the merge request is opened or updated when a
/// forge is configured.
pub fn upgrade_repo(args: &UpgradeArgs, limits: &Limits) -> Result<UpgradeReport> {
    let bot = Identity::from_env();
    let source = git::open(&args.repo, args.base.as_deref())?;
    let shown = git::redact(&args.repo);
    let forge = forge_for(args, &source, limits)?;
    let state = git::branch_state(&source.repo, source.base_commit, &bot)?;
    if let BranchState::Human {
        commit,
        author,
        subject,
    } = &state
    {
        let short = &commit.to_string()[..12];
        let note = format!(
            "{BRANCH} has a commit by {author} that is on no other branch ({short} \"{subject}\"); podready no longer updates this branch so as not to overwrite their work. Delete the branch, or move that commit elsewhere, for podready to update it again."
        );
        if let Some(gl) = &forge {
            if let Some(mr) = gl.find(BRANCH)? {
                gl.upsert_note(&mr, &note)?;
            }
        }
        return Ok(left_to_a_person(shown, &source, &note));
    }
    let wt = git::worktree(&source)?;
    let mut pack = load_pack(&wt.path, &[], true)?;
    for id in &args.disable_rules {
        let rule = pack
            .rules
            .iter_mut()
            .find(|r| &r.id == id)
            .with_context(|| format!("no rule `{id}` to skip"))?;
        rule.enabled = false;
    }
    let options = Options::from_pack(&pack);
    let before = analyze(&wt.path, &pack, &options)?;

    let fixed = fix_project(&wt.path, &pack, &options, !args.no_resolve)?;
    write_fixes(&wt.path, &fixed.files)?;

    let (deploy_added, deploy_text) = match write_deploy_spec(&wt.path, &pack, &options)? {
        Some((added, text)) => (Some(added), Some(text)),
        None => (None, None),
    };
    let after = analyze(&wt.path, &pack, &options)?;
    let fixed_list = fixed_findings(&before.findings, &after.findings);

    // `ci`: the forge's CI builds the pushed branch; nothing runs here.
    let on_ci = args.verify == "ci"
        || args.verify == "default" && pack.upgrade.verify.as_deref() == Some("ci");
    if on_ci && forge.is_none() {
        anyhow::bail!("verify = \"ci\" reads the result of the forge's CI: configure a forge (--forge gitlab|github and its token), or verify locally");
    }
    let build = LocalBuild::of(args, &pack, &wt.path, on_ci);
    let verification = build.verify(args, on_ci)?;
    // A failing upgraded tree: is the base already failing?
    let base_build = match &verification {
        Verification::Failed { .. } => build.on_base(&source)?,
        _ => None,
    };

    let name = report_name(source.remote_url.as_deref().unwrap_or(&args.repo));
    let rerun = format!("podready upgrade {shown}");
    let fail_on = pack
        .check
        .fail_on
        .unwrap_or(podready_rules::Severity::Warning);
    let input = mr::MrInput {
        name: &name,
        base: &source.base,
        changes: &fixed.changes,
        config: &fixed.config,
        resolution: &fixed.resolution,
        manual: &fixed.manual,
        fixed: &fixed_list,
        left: &after.findings,
        deploy: deploy_added.as_deref(),
        deploy_text: deploy_text.as_deref(),
        verification: &verification,
        base_build: base_build.as_ref(),
        rerun: &rerun,
        blob_url: forge.as_ref().map(|f| f.blob_url(BRANCH)),
        fail_on,
    };
    let mut title = mr::title(&input);
    let mut body = mr::body(&input);
    let mut breaks_the_build = input.breaks_the_build();
    let message = commit_message(&title, &fixed, deploy_added.is_some());
    // Only what the bot wrote: a build's output never reaches the commit.
    let mut paths: Vec<String> = fixed.files.iter().map(|f| f.path.clone()).collect();
    if deploy_added.is_some() {
        paths.push(SPEC_FILE.to_string());
    }
    let committed = git::commit(&source, &wt, &bot, &message, &paths)?;
    drop(wt);
    let pushable = source.remote_url.is_some() || forge.is_some();
    if committed.is_some() && pushable {
        git::push(&source, matches!(state, BranchState::Bot(_)))?;
    }
    let has_branch = committed.is_some() || matches!(state, BranchState::Bot(_));
    let head = committed.or(match state {
        BranchState::Bot(tip) => Some(tip),
        _ => None,
    });
    let mut ci_verification = None;
    if let (true, Some(gl)) = (on_ci, &forge) {
        let ci = ci_verification.insert(ci_result(gl, head, &source)?);
        let input = mr::MrInput {
            verification: ci,
            ..input
        };
        title = mr::title(&input);
        body = mr::body(&input);
        breaks_the_build = input.breaks_the_build();
    }
    let verification = ci_verification.unwrap_or(verification);
    let mut opened = None;
    if let Some(gl) = &forge {
        if breaks_the_build && args.no_mr_on_failure {
            eprintln!("the build fails: no merge request opened (--no-mr-on-failure)");
        } else if has_branch {
            let request = MergeRequestText {
                title: &title,
                body: &body,
                note: &mr::verification_note(&verification, &source.base),
            };
            opened = open_merge_request(gl, limits, &source.base, &request, &shown)?;
        }
    }
    let text = format!("# {title}\n\n{body}");
    Ok(UpgradeReport {
        repo: shown,
        outcome: if committed.is_some() {
            Outcome::Committed
        } else {
            Outcome::Unchanged
        },
        findings_before: before.findings.len(),
        findings_after: after.findings.len(),
        findings_by_rule: after.findings.iter().fold(Default::default(), |mut m, f| {
            *m.entry(f.rule.clone()).or_default() += 1;
            m
        }),
        changes: fixed
            .changes
            .iter()
            .map(|c| {
                let (artifact, what) = mr::describe(&c.change);
                format!("{artifact}: {what}")
            })
            .collect(),
        left_for_a_person: after
            .findings
            .iter()
            .filter(|f| mr::needs_a_person(f, fail_on))
            .count()
            + fixed.manual.len(),
        verification,
        base_build,
        breaks_the_build,
        head: head.map(|h| h.to_string()),
        base_commit: source.base_commit.to_string(),
        base: source.base.clone(),
        commit: committed.map(|c| c.to_string()),
        merge_request: opened.map(|m| m.url),
        text,
    })
}

/// The report of a repository whose bot branch has a person's commits:
/// nothing is touched.
fn left_to_a_person(shown: String, source: &git::Source, note: &str) -> UpgradeReport {
    UpgradeReport {
        text: format!("{shown}: {note}"),
        repo: shown,
        outcome: Outcome::HumanCommits,
        findings_before: 0,
        findings_after: 0,
        findings_by_rule: Default::default(),
        changes: Vec::new(),
        left_for_a_person: 0,
        verification: Verification::NotRun {
            reason: "the branch has a person's commits".into(),
        },
        base_build: None,
        breaks_the_build: false,
        head: None,
        base_commit: source.base_commit.to_string(),
        base: source.base.clone(),
        commit: None,
        merge_request: None,
    }
}

/// Writes or completes `deploy.yaml` in the upgraded tree; what was added
/// and the file's text, or `None` when nothing was (or, without a pom,
/// nothing could be inferred).
fn write_deploy_spec(
    root: &Path,
    pack: &RulePack,
    options: &Options,
) -> Result<Option<(Vec<String>, String)>> {
    let inferred = match infer(root, pack, options, None) {
        Ok(inferred) => inferred,
        Err(podready_deploy::InferError::NoPom(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let spec_path = root.join(SPEC_FILE);
    let (text, added) = if spec_path.exists() {
        let existing = std::fs::read_to_string(&spec_path)?;
        let merged = merge_spec(SPEC_FILE, &existing, &inferred)?;
        (merged.text, merged.added)
    } else {
        (render_spec(&inferred), vec!["everything".to_string()])
    };
    if added.is_empty() {
        return Ok(None);
    }
    write_atomic(&spec_path, text.as_bytes())?;
    Ok(Some((added, text)))
}

/// The build that verifies an upgrade on this machine: its command (none
/// when the forge's CI verifies, or there is nothing to build), its time
/// limit and where its logs go.
struct LocalBuild {
    command: Option<String>,
    timeout: Duration,
    logs: PathBuf,
    tree: PathBuf,
}

impl LocalBuild {
    fn of(args: &UpgradeArgs, pack: &RulePack, tree: &Path, on_ci: bool) -> LocalBuild {
        let command = match args.verify.as_str() {
            _ if on_ci => None,
            "none" => None,
            "default" => pack.upgrade.verify.clone().or_else(|| {
                tree.join("pom.xml")
                    .is_file()
                    .then(|| verify::MAVEN.to_string())
            }),
            other => Some(other.to_string()),
        };
        LocalBuild {
            command,
            timeout: Duration::from_secs(
                args.verify_timeout
                    .or(pack.upgrade.verify_timeout_seconds)
                    .unwrap_or(1800),
            ),
            logs: tree.parent().map(PathBuf::from).unwrap_or_default(),
            tree: tree.to_path_buf(),
        }
    }

    /// The build of the upgraded tree, or why none ran.
    fn verify(&self, args: &UpgradeArgs, on_ci: bool) -> Result<Verification> {
        Ok(match &self.command {
            None if on_ci => Verification::Ci {
                run: None,
                base: None,
            },
            None => Verification::NotRun {
                reason: if args.verify == "none" {
                    "`--verify none`".into()
                } else {
                    "no build to run (no pom.xml and no `[upgrade] verify`)".into()
                },
            },
            Some(cmd) => verify::run(
                &self.tree,
                cmd,
                self.timeout,
                &self.logs.join(format!("{}.build.log", std::process::id())),
            )?,
        })
    }

    /// The same build on the base commit (cached by commit and command).
    fn on_base(&self, source: &git::Source) -> Result<Option<BaseBuild>> {
        let Some(cmd) = &self.command else {
            return Ok(None);
        };
        let commit = source.base_commit.to_string();
        let cache = git::cache_dir();
        if let Some(b) = BaseBuild::cached(&cache, &commit, cmd) {
            return Ok(Some(b));
        }
        let base_tree = git::worktree(source)?;
        Ok(Some(BaseBuild::run(
            &base_tree.path,
            &commit,
            cmd,
            self.timeout,
            &cache,
            &self
                .logs
                .join(format!("{}.base-build.log", std::process::id())),
        )?))
    }
}

/// The bot's commit message: the title, then one line per change.
fn commit_message(title: &str, fixed: &ProjectFix, deploy_spec: bool) -> String {
    let mut message = format!("{title}\n\n");
    for c in &fixed.changes {
        let (artifact, what) = mr::describe(&c.change);
        message.push_str(&format!("- {artifact}: {what} ({}:{})\n", c.pom, c.line));
    }
    for c in &fixed.config {
        message.push_str(&format!("- {}: {}\n", c.path, c.what));
    }
    if deploy_spec {
        message.push_str(&format!(
            "- {SPEC_FILE}: written by `podready deploy init`\n"
        ));
    }
    message
}

/// The forge's CI of the branch's commit as pushed, and of the base when
/// it failed (a failing default branch is not the upgrade's fault).
fn ci_result(forge: &Forge, head: Option<git2::Oid>, source: &git::Source) -> Result<Verification> {
    let run = match head {
        Some(h) => forge.ci_run(&h.to_string())?,
        None => None,
    };
    let base = match &run {
        Some(r) if r.state == crate::forge::CiState::Failed => {
            forge.ci_run(&source.base_commit.to_string())?
        }
        _ => None,
    };
    Ok(Verification::Ci { run, base })
}

/// What the merge request says: its title, description and the bot's note.
struct MergeRequestText<'a> {
    title: &'a str,
    body: &'a str,
    note: &'a str,
}

/// Updates the open merge request, or opens one if the run's budget of new
/// ones allows, with the bot's note.
fn open_merge_request(
    forge: &Forge,
    limits: &Limits,
    base: &str,
    text: &MergeRequestText<'_>,
    shown: &str,
) -> Result<Option<forge::MergeRequest>> {
    let existing = forge.find(BRANCH)?;
    if existing.is_none() && !limits.take_new_mr() {
        eprintln!("{shown}: the run's limit of new merge requests is reached");
        return Ok(None);
    }
    let (mr, created) = forge.upsert(existing, BRANCH, base, text.title, text.body)?;
    forge.upsert_note(&mr, text.note)?;
    eprintln!(
        "{} merge request !{}: {}",
        if created { "opened" } else { "updated" },
        mr.number,
        mr.url
    );
    Ok(Some(mr))
}
