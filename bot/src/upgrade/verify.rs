//! Verification: the repository's build, run on the upgraded tree with a
//! timeout, its log kept. A failing build is reported, never hidden.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::forge::{CiRun, CiState};

/// The default build of a Maven repository.
pub const MAVEN: &str = "mvn -B -q -DskipTests package";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Verification {
    /// `--verify none`, or no build to run.
    NotRun { reason: String },
    Passed {
        command: String,
        seconds: f64,
        log_tail: String,
    },
    Failed {
        command: String,
        seconds: f64,
        log_tail: String,
        status: String,
    },
    /// `verify = "ci"`: the repository's own CI on the forge builds the
    /// pushed branch; the run after reads its result.
    Ci {
        /// The newest run of the branch's commit; `None`: none started yet.
        run: Option<CiRun>,
        /// The base commit's run, looked up when the branch's failed.
        base: Option<CiRun>,
    },
}

impl Verification {
    pub fn failed(&self) -> bool {
        match self {
            Verification::Failed { .. } => true,
            Verification::Ci { run: Some(r), .. } => r.state == CiState::Failed,
            _ => false,
        }
    }

    /// For CI: the branch's run failed where the base's passed. Only then
    /// is a failure the upgrade's (a base still running, or failing too,
    /// proves nothing against it).
    pub fn ci_blames_the_upgrade(&self) -> bool {
        self.failed()
            && matches!(self, Verification::Ci { base: Some(b), .. } if b.state == CiState::Passed)
    }
}

/// The same build on the base commit, run when the upgraded tree fails, so
/// that a default branch that already fails is not blamed on the upgrade.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct BaseBuild {
    pub commit: String,
    pub passed: bool,
    pub seconds: f64,
    pub log_tail: String,
    /// Read from the cache (another run built this base with this command).
    #[serde(skip)]
    pub cached: bool,
}

impl BaseBuild {
    /// Where the result for `commit` and `command` is kept: a fleet that
    /// shares a base pays for its build once.
    fn cache_file(cache: &Path, commit: &str, command: &str) -> std::path::PathBuf {
        use sha2::{Digest, Sha256};
        let key = Sha256::digest(format!("{commit}\0{command}").as_bytes());
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        cache.join("base-builds").join(format!("{hex}.json"))
    }

    /// The cached result, if any (an unreadable entry is built again).
    pub fn cached(cache: &Path, commit: &str, command: &str) -> Option<BaseBuild> {
        let text = std::fs::read_to_string(Self::cache_file(cache, commit, command)).ok()?;
        let mut build: BaseBuild = serde_json::from_str(&text).ok()?;
        build.cached = true;
        Some(build)
    }

    /// Builds `dir` (a worktree of `commit`) and keeps the result.
    pub fn run(
        dir: &Path,
        commit: &str,
        command: &str,
        timeout: Duration,
        cache: &Path,
        log_path: &Path,
    ) -> Result<BaseBuild> {
        let (passed, seconds, log_tail) = match run(dir, command, timeout, log_path)? {
            Verification::Passed {
                seconds, log_tail, ..
            } => (true, seconds, log_tail),
            Verification::Failed {
                seconds, log_tail, ..
            } => (false, seconds, log_tail),
            Verification::NotRun { reason } => (false, 0.0, reason),
            Verification::Ci { .. } => (false, 0.0, "the forge's CI".into()),
        };
        let build = BaseBuild {
            commit: commit.to_string(),
            passed,
            seconds,
            log_tail,
            cached: false,
        };
        let file = Self::cache_file(cache, commit, command);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        podready_rewriter::write_atomic(&file, serde_json::to_string(&build)?.as_bytes())?;
        Ok(build)
    }
}

/// The last `n` lines of a log.
fn tail(log: &str, n: usize) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Runs `command` with `sh -c` in `dir`; the whole process group is killed
/// at the timeout. The log goes to `log_path`.
pub fn run(dir: &Path, command: &str, timeout: Duration, log_path: &Path) -> Result<Verification> {
    use std::os::unix::process::CommandExt;
    let log = std::fs::File::create(log_path)
        .with_context(|| format!("cannot write the build log {}", log_path.display()))?;
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .with_context(|| format!("cannot run `{command}`"))?;
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break Some(s);
        }
        if started.elapsed() > timeout {
            // The build's whole process group (Maven forks). `--` keeps
            // procps' kill from reading `-PGID` as an option, which would
            // signal every process instead of the group.
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let seconds = started.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&std::fs::read(log_path).unwrap_or_default()).into_owned();
    // For a reader: no terminal colours, paths relative to the repository.
    let text = podready_maven::strip_ansi(&text).replace(&format!("{}/", dir.display()), "");
    let log_tail = tail(&text, 40);
    Ok(match status {
        Some(s) if s.success() => Verification::Passed {
            command: command.to_string(),
            seconds,
            log_tail,
        },
        Some(s) => Verification::Failed {
            command: command.to_string(),
            seconds,
            log_tail,
            status: s.to_string(),
        },
        None => Verification::Failed {
            command: command.to_string(),
            seconds,
            log_tail,
            status: format!("timed out after {}s", timeout.as_secs()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_fails_and_times_out() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let ok = run(dir.path(), "echo built", Duration::from_secs(10), &log).unwrap();
        assert!(matches!(ok, Verification::Passed { ref log_tail, .. } if log_tail == "built"));
        let bad = run(
            dir.path(),
            "echo 'error: x' >&2; exit 3",
            Duration::from_secs(10),
            &log,
        )
        .unwrap();
        assert!(
            matches!(bad, Verification::Failed { ref log_tail, .. } if log_tail.contains("error: x"))
        );
        // A build that forks: the timeout kills its whole process group
        // (and nothing else: this test process lives on).
        let pidfile = dir.path().join("pid");
        let cmd = format!("sleep 31 & echo $! > {}; wait", pidfile.display());
        let slow = run(dir.path(), &cmd, Duration::from_millis(500), &log).unwrap();
        assert!(
            matches!(slow, Verification::Failed { ref status, .. } if status.contains("timed out"))
        );
        let forked = std::fs::read_to_string(&pidfile).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let alive = std::fs::read_to_string(format!("/proc/{}/stat", forked.trim()))
            .is_ok_and(|stat| !stat.contains(") Z "));
        assert!(!alive, "the forked process {} survived", forked.trim());
    }
}
