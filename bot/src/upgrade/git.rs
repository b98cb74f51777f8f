//! Git for the bot (libgit2): the repository as a local path or a clone
//! cached between runs, a separate worktree on the bot's branch, the
//! commit, and the guard that never overwrites a person's commits.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use git2::{BranchType, Oid, Repository, Signature, WorktreeAddOptions, WorktreePruneOptions};

/// The branch the bot works on.
pub const BRANCH: &str = "podready/container-ready";

/// Who the bot commits as.
#[derive(Debug, Clone)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

impl Identity {
    pub fn from_env() -> Identity {
        Identity {
            name: std::env::var("PODREADY_BOT_NAME").unwrap_or_else(|_| "podready-bot".into()),
            email: std::env::var("PODREADY_BOT_EMAIL")
                .unwrap_or_else(|_| "podready-bot@noreply.podready".into()),
        }
    }
}

/// A clone URL without its credentials, for logs and messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Where the repository lives for this run.
pub struct Source {
    pub repo: Repository,
    /// The clone URL when the repository was cloned, else `None`.
    pub remote_url: Option<String>,
    /// The branch the upgrade starts from.
    pub base: String,
    pub base_commit: Oid,
}

/// The branches of the bot's own worktrees (one per run), never anyone's
/// work.
const SCRATCH_PREFIX: &str = "podready/work-";

/// Where podready keeps its caches: `PODREADY_CACHE`, else
/// `~/.cache/podready`.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("PODREADY_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/podready")))
        .unwrap_or_else(|| PathBuf::from(".podready-cache"))
}

fn cache_name(url: &str) -> String {
    redact(url)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Opens a local repository, or clones (fetches, when cached) a URL.
pub fn open(repo: &str, base: Option<&str>) -> Result<Source> {
    let local = Path::new(repo);
    let looks_like_url =
        repo.contains("://") || repo.split_once(':').is_some_and(|(h, _)| h.contains('@'));
    if !local.exists() && !looks_like_url {
        bail!("no repository at {repo}: the path does not exist; give the directory of a git repository or a clone URL");
    }
    let (repository, remote_url) = if local.exists() {
        let r = Repository::open(local).map_err(|e| {
            anyhow::anyhow!(
                "{repo} is not a git repository ({}); give the root of a git checkout",
                e.message()
            )
        })?;
        (r, None)
    } else {
        let dir = cache_dir().join("repos").join(cache_name(repo));
        let r = if dir.exists() {
            remove_stale_locks(&dir);
            let r = Repository::open_bare(&dir)
                .with_context(|| format!("cannot open the cached clone {}", dir.display()))?;
            {
                let mut remote = r.find_remote("origin")?;
                remote
                    .fetch(&["+refs/heads/*:refs/heads/*"], None, None)
                    .map_err(|e| unreachable(repo, "fetch", &e))?;
            }
            r
        } else {
            // Clone beside it and rename into place, so a run killed while
            // cloning leaves no half-cloned cache behind.
            let partial = dir.with_extension(format!("partial-{}", std::process::id()));
            if partial.exists() {
                std::fs::remove_dir_all(&partial)?;
            }
            std::fs::create_dir_all(&partial)?;
            let cloned = git2::build::RepoBuilder::new()
                .bare(true)
                .clone(repo, &partial);
            if cloned.is_err() {
                let _ = std::fs::remove_dir_all(&partial);
            }
            drop(cloned.map_err(|e| unreachable(repo, "clone", &e))?);
            std::fs::rename(&partial, &dir)
                .with_context(|| format!("cannot move the clone to {}", dir.display()))?;
            Repository::open_bare(&dir)?
        };
        (r, Some(repo.to_string()))
    };
    prune_own_worktrees(&repository);
    let base = match base {
        Some(b) => b.to_string(),
        None => default_branch(&repository)?,
    };
    let Ok(branch) = repository.find_branch(&base, BranchType::Local) else {
        let branches: Vec<String> = repository
            .branches(Some(BranchType::Local))?
            .filter_map(|b| b.ok()?.0.name().ok().flatten().map(str::to_string))
            .filter(|n| !n.starts_with("podready/"))
            .collect();
        bail!(
            "no branch `{base}` in {}; its branches are {}; pass one with --base",
            redact(repo),
            if branches.is_empty() {
                "none".to_string()
            } else {
                branches.join(", ")
            }
        );
    };
    let base_commit = branch.get().peel_to_commit()?.id();
    drop(branch);
    Ok(Source {
        repo: repository,
        remote_url,
        base,
        base_commit,
    })
}

/// A clone or fetch that failed, in words: what could not be done, the
/// remote's or the system's reason (without libgit2's codes), and what to
/// check.
fn unreachable(repo: &str, what: &str, e: &git2::Error) -> anyhow::Error {
    let shown = redact(repo);
    let reason = e.message();
    if reason.contains("No such file or directory") || e.code() == git2::ErrorCode::NotFound {
        anyhow::anyhow!(
            "cannot {what} {shown}: there is no repository there ({reason}); check the URL"
        )
    } else if e.class() == git2::ErrorClass::Http && reason.contains("401")
        || reason.contains("authentication")
    {
        anyhow::anyhow!("cannot {what} {shown}: the remote refused the credentials ({reason}); check the token or key that has read access")
    } else {
        anyhow::anyhow!("cannot {what} {shown}: {reason}; check the URL, the network, and that the remote is up")
    }
}

/// Lock files a killed run left in the bot's own cached clone (nothing
/// else writes there), which would make every later run fail.
fn remove_stale_locks(dir: &Path) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() && p.file_name().is_some_and(|n| n != "objects") {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "lock") {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

/// Worktrees and scratch branches of earlier runs that were killed: only
/// the bot's own (named `podready-…`), and only when their directory is gone.
fn prune_own_worktrees(repo: &Repository) {
    let Ok(names) = repo.worktrees() else { return };
    for name in names
        .iter()
        .flatten()
        .flatten()
        .filter(|n| n.starts_with("podready-"))
    {
        if let Ok(wt) = repo.find_worktree(name) {
            if !wt.path().exists() {
                let mut opts = WorktreePruneOptions::new();
                opts.valid(true);
                let _ = wt.prune(Some(&mut opts));
            }
        }
    }
    if let Ok(branches) = repo.branches(Some(BranchType::Local)) {
        for (mut b, _) in branches.flatten() {
            let stale = b
                .name()
                .ok()
                .flatten()
                .and_then(|n| n.strip_prefix(SCRATCH_PREFIX))
                .is_some_and(|wt| repo.find_worktree(wt).is_err());
            if stale {
                let _ = b.delete();
            }
        }
    }
}

/// The default branch: the remote's HEAD when known, else `main`, `master`,
/// else the branch HEAD is on.
fn default_branch(repo: &Repository) -> Result<String> {
    if let Ok(r) = repo.find_reference("refs/remotes/origin/HEAD") {
        if let Some(target) = r.symbolic_target().ok().flatten() {
            if let Some(name) = target.strip_prefix("refs/remotes/origin/") {
                if repo.find_branch(name, BranchType::Local).is_ok() {
                    return Ok(name.to_string());
                }
            }
        }
    }
    if repo.is_bare() {
        if let Ok(head) = repo.find_reference("HEAD") {
            if let Some(t) = head
                .symbolic_target()
                .ok()
                .flatten()
                .and_then(|t| t.strip_prefix("refs/heads/"))
            {
                return Ok(t.to_string());
            }
        }
    }
    for name in ["main", "master"] {
        if repo.find_branch(name, BranchType::Local).is_ok() {
            return Ok(name.to_string());
        }
    }
    let head = repo.head().context("the repository has no HEAD")?;
    match head.shorthand().ok() {
        Some(h) if head.is_branch() => Ok(h.to_string()),
        _ => bail!("cannot tell the default branch; pass --base BRANCH"),
    }
}

/// What is on the bot's branch already.
#[derive(Debug, PartialEq, Eq)]
pub enum BranchState {
    Absent,
    /// Only the bot's commits since the base; its tip.
    Bot(Oid),
    /// Someone else committed: the commit, its author and its subject.
    Human {
        commit: Oid,
        author: String,
        subject: String,
    },
}

/// Looks at the bot's branch: who committed on it. Only commits that are
/// on no other branch count: after `--base` moves from `develop` to
/// `master`, the bot's branch still holds `develop`'s history, which is
/// nobody's work on the bot's branch.
pub fn branch_state(repo: &Repository, base: Oid, bot: &Identity) -> Result<BranchState> {
    let Ok(branch) = repo.find_branch(BRANCH, BranchType::Local) else {
        return Ok(BranchState::Absent);
    };
    let tip = branch.get().peel_to_commit()?.id();
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.hide(base)?;
    for reference in repo.references()? {
        let reference = reference?;
        let name = reference.name().unwrap_or("");
        let is_bots = name == format!("refs/heads/{BRANCH}")
            || name == format!("refs/remotes/origin/{BRANCH}")
            || name
                .strip_prefix("refs/heads/")
                .is_some_and(|n| n.starts_with(SCRATCH_PREFIX));
        let is_branch = name.starts_with("refs/heads/") || name.starts_with("refs/remotes/");
        if is_branch && !is_bots {
            if let Ok(c) = reference.peel_to_commit() {
                walk.hide(c.id())?;
            }
        }
    }
    for oid in walk {
        let c = repo.find_commit(oid?)?;
        let author = c.author();
        let committer = c.committer();
        let bot_email = Some(bot.email.as_str());
        if author.email().ok() != bot_email || committer.email().ok() != bot_email {
            return Ok(BranchState::Human {
                commit: c.id(),
                author: format!(
                    "{} <{}>",
                    author.name().unwrap_or("?"),
                    author.email().unwrap_or("?")
                ),
                subject: c.summary().ok().flatten().unwrap_or("").to_string(),
            });
        }
    }
    Ok(BranchState::Bot(tip))
}

/// A worktree of the base commit, removed when dropped.
pub struct Worktree {
    pub path: PathBuf,
    name: String,
    repo_path: PathBuf,
    branch: String,
}

/// Checks the base commit out into a new worktree on a scratch branch, so
/// the user's own working tree and HEAD are never touched.
pub fn worktree(source: &Source) -> Result<Worktree> {
    let repo = &source.repo;
    // Unique per run and per repository: a bulk run has many at once, and
    // repositories of one fleet can share a base commit.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let seq = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let commit = source.base_commit.to_string();
    let name = format!("podready-{}-{seq}-{}", std::process::id(), &commit[..12]);
    let scratch = format!("{SCRATCH_PREFIX}{name}");
    let base = repo.find_commit(source.base_commit)?;
    let branch = repo.branch(&scratch, &base, true)?;
    let path = cache_dir().join("worktrees").join(&name);
    if path.exists() {
        std::fs::remove_dir_all(&path)?;
    }
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
    let mut opts = WorktreeAddOptions::new();
    opts.reference(Some(branch.get()));
    repo.worktree(&name, &path, Some(&opts))
        .context("cannot create a worktree")?;
    Ok(Worktree {
        path,
        name,
        repo_path: repo.path().to_path_buf(),
        branch: scratch,
    })
}

impl Drop for Worktree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
        if let Ok(repo) = Repository::open(&self.repo_path) {
            if let Ok(wt) = repo.find_worktree(&self.name) {
                let mut opts = WorktreePruneOptions::new();
                opts.valid(true).working_tree(true);
                let _ = wt.prune(Some(&mut opts));
            }
            if let Ok(mut b) = repo.find_branch(&self.branch, BranchType::Local) {
                let _ = b.delete();
            }
        }
    }
}

/// Commits everything in the worktree (on top of the base) and points the
/// bot's branch at it. Returns the commit, or `None` when nothing changed
/// or when the branch already holds exactly this content.
/// Commits exactly `paths` (relative to the worktree; a path whose file is
/// gone is committed as deleted) on the bot's branch: never what a build
/// left in the worktree, whatever `.gitignore` says.
pub fn commit(
    source: &Source,
    wt: &Worktree,
    bot: &Identity,
    message: &str,
    paths: &[String],
) -> Result<Option<Oid>> {
    let wrepo = Repository::open(&wt.path)?;
    let mut index = wrepo.index()?;
    for path in paths {
        let rel = Path::new(path);
        if wt.path.join(rel).is_file() {
            index.add_path(rel)?;
        } else {
            // Not in the index is fine: nothing to delete.
            let _ = index.remove_path(rel);
        }
    }
    index.write()?;
    let tree_id = index.write_tree()?;
    let base = source.repo.find_commit(source.base_commit)?;
    if tree_id == base.tree_id() {
        return Ok(None);
    }
    if let Ok(existing) = source.repo.find_branch(BRANCH, BranchType::Local) {
        let tip = existing.get().peel_to_commit()?;
        if tip.tree_id() == tree_id && tip.parent_id(0).ok() == Some(base.id()) {
            return Ok(None);
        }
    }
    let sig = Signature::now(&bot.name, &bot.email)?;
    let tree = source.repo.find_tree(tree_id)?;
    let oid = source
        .repo
        .commit(None, &sig, &sig, message, &tree, &[&base])?;
    source.repo.reference(
        &format!("refs/heads/{BRANCH}"),
        oid,
        true,
        "podready: container-ready upgrade",
    )?;
    Ok(Some(oid))
}

/// Pushes the bot's branch to the clone's origin.
pub fn push(source: &Source, force: bool) -> Result<()> {
    let mut remote = source.repo.find_remote("origin")?;
    let spec = format!(
        "{}refs/heads/{BRANCH}:refs/heads/{BRANCH}",
        if force { "+" } else { "" }
    );
    remote.push(&[spec.as_str()], None).with_context(|| {
        format!(
            "cannot push {BRANCH} to {}",
            redact(source.remote_url.as_deref().unwrap_or("origin"))
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(
            redact("https://bot:s3cret@git.acme/x.git"),
            "https://***@git.acme/x.git"
        );
        assert_eq!(redact("https://git.acme/x.git"), "https://git.acme/x.git");
        assert_eq!(redact("file:///srv/x.git"), "file:///srv/x.git");
    }
}
