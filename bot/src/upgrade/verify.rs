//! Verification: the repository's build, run on the upgraded tree with a
//! timeout, its log kept. A failing build is reported, never hidden.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

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
}

impl Verification {
    pub fn failed(&self) -> bool {
        matches!(self, Verification::Failed { .. })
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
