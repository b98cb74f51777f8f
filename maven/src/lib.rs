//! Maven itself, asked what a project's classpath really is.
//!
//! The pom text says what a module declares; what it runs with is Maven's
//! resolution of that (parents, management, transitive dependencies,
//! nearest-wins). [`Maven::resolve`] copies a project's poms (with any
//! edits not yet written) into a scratch directory, runs the dependency
//! plugin there with machine-readable output, and returns every module's
//! resolved tree and what Maven could not resolve. The project itself is
//! never touched.

mod diff;
mod log;
mod tree;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use diff::{classpath_diff, runtime_classpath, ClasspathDiff, VersionChange};
pub use log::{strip_ansi, ResolutionProblem};
pub use tree::{parse_trees, DependencyNode, DependencyPath, ModuleTree, ResolvedArtifact};

/// The dependency plugin release that writes JSON trees (3.7.0 and later).
pub const DEPENDENCY_PLUGIN: &str = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

#[derive(Debug, thiserror::Error)]
pub enum MavenError {
    #[error("Maven (`{0}`) is not installed or not on PATH")]
    NotInstalled(String),
    #[error("cannot run Maven (`{program}`): {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("cannot prepare the scratch copy of the poms: {0}")]
    Scratch(std::io::Error),
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// Every module's resolved tree, and what could not be resolved.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// `Apache Maven 3.8.7`, as Maven names itself.
    pub maven: String,
    pub modules: Vec<ModuleTree>,
    pub problems: Vec<ResolutionProblem>,
    pub seconds: f64,
}

impl Resolution {
    /// The tree of the module `group:artifact`.
    pub fn module(&self, group: &str, artifact: &str) -> Option<&ModuleTree> {
        self.modules
            .iter()
            .find(|m| m.artifact.group == group && m.artifact.artifact == artifact)
    }
}

/// How to run Maven.
#[derive(Debug, Clone)]
pub struct Maven {
    program: String,
    version: String,
    timeout: Duration,
}

impl Maven {
    /// Maven from `PODREADY_MVN` or `mvn` on PATH, if it runs. Asked once
    /// per process: a bulk run fixes thousands of repositories.
    pub fn find() -> Result<Maven, MavenError> {
        static FOUND: std::sync::OnceLock<Maven> = std::sync::OnceLock::new();
        if let Some(m) = FOUND.get() {
            return Ok(m.clone());
        }
        let found = Self::ask()?;
        Ok(FOUND.get_or_init(|| found).clone())
    }

    fn ask() -> Result<Maven, MavenError> {
        let program = std::env::var("PODREADY_MVN").unwrap_or_else(|_| "mvn".to_string());
        let out = Command::new(&program)
            .args(["-v", "-B"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => MavenError::NotInstalled(program.clone()),
                _ => MavenError::Spawn {
                    program: program.clone(),
                    source: e,
                },
            })?;
        let text = log::strip_ansi(&String::from_utf8_lossy(&out.stdout));
        let version = text
            .lines()
            .find(|l| l.starts_with("Apache Maven"))
            .map(|l| l.split(" (").next().unwrap_or(l).trim().to_string());
        match version {
            Some(version) if out.status.success() => Ok(Maven {
                program,
                version,
                // A resolution that needs longer is stuck on the network.
                timeout: Duration::from_secs(900),
            }),
            _ => Err(MavenError::NotInstalled(program)),
        }
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// Resolves every module of the reactors rooted at `roots` (pom paths
    /// relative to `root`), on a scratch copy of `poms` in which `overlay`
    /// (path → new bytes) replaces what is on disk.
    pub fn resolve(
        &self,
        root: &Path,
        poms: &[String],
        roots: &[String],
        overlay: &BTreeMap<String, Vec<u8>>,
    ) -> Result<Resolution, MavenError> {
        let started = Instant::now();
        let scratch = tempfile::Builder::new()
            .prefix("podready-resolve-")
            .tempdir()
            .map_err(MavenError::Scratch)?;
        for rel in poms {
            let bytes = match overlay.get(rel) {
                Some(b) => b.clone(),
                None => std::fs::read(root.join(rel)).map_err(|source| MavenError::Read {
                    path: rel.clone(),
                    source,
                })?,
            };
            let target = scratch.path().join(rel);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(MavenError::Scratch)?;
            }
            std::fs::write(&target, bytes).map_err(MavenError::Scratch)?;
        }
        // Project-level Maven settings (`.mvn/maven.config`, extensions).
        copy_tree(&root.join(".mvn"), &scratch.path().join(".mvn")).map_err(MavenError::Scratch)?;

        let mut resolution = Resolution {
            maven: self.version.clone(),
            ..Resolution::default()
        };
        for (n, reactor) in roots.iter().enumerate() {
            let out = scratch.path().join(format!(".podready-tree-{n}.json"));
            let run = self.run(scratch.path(), reactor, false, &out)?;
            resolution.problems.extend(run.problems);
            if !run.trees.is_empty() || run.success {
                resolution.modules.extend(run.trees);
                continue;
            }
            // The reactor itself could not be built (a malformed module
            // pom): resolve each module on its own so the others still are.
            let dir = reactor.rsplit_once('/').map_or("", |(d, _)| d);
            for (m, pom) in poms
                .iter()
                .filter(|p| dir.is_empty() || p.starts_with(&format!("{dir}/")))
                .enumerate()
            {
                let out = scratch.path().join(format!(".podready-tree-{n}-{m}.json"));
                let single = self.run(scratch.path(), pom, true, &out)?;
                resolution.problems.extend(single.problems);
                resolution.modules.extend(single.trees);
            }
        }
        resolution.problems.sort();
        resolution.problems.dedup();
        resolution.seconds = started.elapsed().as_secs_f64();
        Ok(resolution)
    }

    fn run(&self, dir: &Path, pom: &str, alone: bool, out: &Path) -> Result<Run, MavenError> {
        let mut cmd = Command::new(&self.program);
        cmd.current_dir(dir)
            .args(["-B", "-Dstyle.color=never", "--fail-at-end", "-f", pom]);
        if alone {
            cmd.arg("-N");
        }
        cmd.arg(format!("{DEPENDENCY_PLUGIN}:tree"))
            .arg("-DoutputType=json")
            .arg(format!("-DoutputFile={}", out.display()))
            .arg("-DappendOutput=true")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (success, text) =
            run_with_timeout(cmd, self.timeout).map_err(|source| MavenError::Spawn {
                program: self.program.clone(),
                source,
            })?;
        let prefix = format!("{}/", dir.display());
        let text = text.replace(&prefix, "");
        let mut problems = log::problems(&text);
        let trees = match std::fs::read_to_string(out) {
            Ok(json) => match parse_trees(&json) {
                Ok(trees) => trees,
                Err(e) => {
                    problems.push(ResolutionProblem::whole(format!(
                        "Maven's dependency tree could not be read ({e})"
                    )));
                    Vec::new()
                }
            },
            Err(_) => Vec::new(),
        };
        if !success && problems.is_empty() {
            problems.push(ResolutionProblem::whole(format!(
                "Maven failed on {pom}: {}",
                log::last_error(&text).unwrap_or("no reason given")
            )));
        }
        Ok(Run {
            success,
            trees,
            problems,
        })
    }
}

struct Run {
    success: bool,
    trees: Vec<ModuleTree>,
    problems: Vec<ResolutionProblem>,
}

/// Runs `cmd` to completion or until `timeout`, returning whether it
/// succeeded and its combined output.
fn run_with_timeout(mut cmd: Command, timeout: Duration) -> std::io::Result<(bool, String)> {
    let mut child = cmd.spawn()?;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    // Drain both pipes while waiting, so a chatty build never blocks.
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = stdout.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_end(&mut s);
        }
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut text = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    text.push_str(&String::from_utf8_lossy(
        &err_reader.join().unwrap_or_default(),
    ));
    match status {
        Some(s) => Ok((s.success(), text)),
        None => {
            text.push_str(&format!(
                "\n[ERROR] podready stopped Maven after {} s (the resolution timeout)\n",
                timeout.as_secs()
            ));
            Ok((false, text))
        }
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
