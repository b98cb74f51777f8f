//! One project fixed as a whole: the pom-text edits, then rounds of edits
//! planned from Maven's resolution of the edited poms until the resolved
//! classpath needs nothing more, then the logging configuration, all
//! landing together or not at all.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};
use podready_analyzer::{load_poms, Note, Options, PomSet};
use podready_maven::{classpath_diff, ClasspathDiff, Maven, Resolution, ResolutionProblem};
use podready_rewriter::{fix, fix_classpath, FileFix, FixOutcome, ManualItem, PlannedChange};
use podready_rules::RulePack;
use serde::Serialize;

use super::change_line;
use super::logging::{migrate_logging, ConfigChange, ModuleLogging};

/// Rounds planned from the resolved classpath before podready stops and
/// reports what is still wrong (each exclusion can reveal the same
/// artifact arriving by another path).
const MAX_ROUNDS: usize = 4;

/// Whether and how the resolved classpath was looked at.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum ResolutionSummary {
    /// `--no-resolve`.
    Off,
    /// No Maven (or it does not run): text edits only.
    Unavailable { reason: String },
    Resolved {
        maven: String,
        /// Maven runs (before, and after each round of edits).
        runs: usize,
        seconds: f64,
        modules: Vec<ModuleChange>,
        problems: Vec<ResolutionProblem>,
    },
}

/// What the fix did to one module's run-time classpath.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleChange {
    /// The module's pom, relative to the root.
    pub pom: String,
    #[serde(flatten)]
    pub diff: ClasspathDiff,
}

/// Everything `fix` does to a project.
#[derive(Debug)]
pub struct ProjectFix {
    pub files: Vec<FileFix>,
    pub changes: Vec<PlannedChange>,
    pub config: Vec<ConfigChange>,
    pub manual: Vec<ManualItem>,
    /// Poms that could not be read.
    pub notes: Vec<Note>,
    pub resolution: ResolutionSummary,
}

impl ProjectFix {
    /// Whether something is left for a person.
    pub fn needs_person(&self) -> bool {
        !self.manual.is_empty()
            || !self.notes.is_empty()
            || matches!(&self.resolution, ResolutionSummary::Resolved { problems, .. } if !problems.is_empty())
    }
}

/// Plans every fix of the project at `root`, in memory.
pub fn fix_project(
    root: &Path,
    pack: &RulePack,
    options: &Options,
    resolve: bool,
) -> Result<ProjectFix> {
    let set = load_poms(root, options)?;
    if set.project.poms.is_empty() && set.notes.is_empty() {
        bail!(
            "{}: no pom.xml found; podready fix upgrades Maven projects",
            root.display()
        );
    }
    let mut plan = Plan {
        texts: BTreeMap::new(),
        changes: Vec::new(),
        manual: Vec::new(),
    };
    plan.take(&set, fix(&set, pack));
    let (resolution, edited, last) = if !resolve {
        (ResolutionSummary::Off, set.with_texts(&plan.texts)?, None)
    } else {
        match Maven::find() {
            Err(e) => (
                ResolutionSummary::Unavailable {
                    reason: format!(
                        "{e}; only the pom text was fixed, the resolved classpath was not checked"
                    ),
                },
                set.with_texts(&plan.texts)?,
                None,
            ),
            Ok(maven) => {
                let (summary, edited, last) =
                    classpath_rounds(root, &set, pack, &maven, &mut plan)?;
                (summary, edited, Some(last))
            }
        }
    };
    let Plan {
        texts,
        mut changes,
        mut manual,
    } = plan;
    // Same-position changes from several rounds read best in file order.
    changes.sort_by(|a, b| (&a.pom, a.line).cmp(&(&b.pom, b.line)));
    manual.sort_by(|a, b| (&a.pom, a.line, &a.artifact).cmp(&(&b.pom, b.line, &b.artifact)));
    manual.dedup();

    let mut files: Vec<FileFix> = texts
        .iter()
        .map(|(&i, after)| FileFix {
            path: set.project.poms[i].path.clone(),
            before: Some(set.sources[i].text.clone()),
            after: Some(after.clone()),
            bytes: set.sources[i].encode_like(after),
        })
        .collect();
    let logging = ModuleLogging::new(&edited, last.as_ref());
    let migrated = migrate_logging(root, &edited, &logging, pack);
    files.extend(migrated.files);
    manual.extend(migrated.manual);
    Ok(ProjectFix {
        files,
        changes,
        config: migrated.changes,
        manual,
        notes: set.notes.clone(),
        resolution,
    })
}

/// Modules Maven gave no tree for and said nothing about (skipped after a
/// failure, or outside the active reactor): that must not pass silently.
fn unresolved_modules(
    set: &PomSet,
    resolution: &Resolution,
    known: &[ResolutionProblem],
) -> Vec<ResolutionProblem> {
    set.project
        .poms
        .iter()
        .enumerate()
        .filter(|(i, pom)| {
            !set.is_test[*i]
                && resolution
                    .module(pom.effective_group(), pom.artifact())
                    .is_none()
                && !known.iter().any(|k| k.module.as_deref() == Some(pom.path.as_str()))
        })
        .map(|(_, pom)| ResolutionProblem {
            module: Some(pom.path.clone()),
            message: "Maven gave no dependency tree for this module (it was skipped after a module it depends on failed, or it is not in the active reactor, such as a module listed only in a profile); its classpath was not checked".into(),
        })
        .collect()
}

/// The pom edits so far.
struct Plan {
    /// By pom index: the new text.
    texts: BTreeMap<usize, String>,
    changes: Vec<PlannedChange>,
    manual: Vec<ManualItem>,
}

impl Plan {
    /// Adds a round's outcome (its poms' new texts replace the old).
    fn take(&mut self, set: &PomSet, outcome: FixOutcome) {
        self.changes.extend(outcome.changes);
        self.manual.extend(outcome.manual);
        for f in outcome.files {
            if let (Some(i), Some(after)) = (pom_index(set, &f.path), f.after) {
                self.texts.insert(i, after);
            }
        }
    }
}

/// Resolves the project before any edit and after the text edits, then
/// plans rounds of edits from the resolved classpath until one finds
/// nothing to do. Returns the summary, the edited poms and the last
/// resolution.
fn classpath_rounds(
    root: &Path,
    set: &PomSet,
    pack: &RulePack,
    maven: &Maven,
    plan: &mut Plan,
) -> Result<(ResolutionSummary, PomSet, Resolution)> {
    let inputs = MavenInputs::new(set);
    let resolve = |texts: &BTreeMap<usize, String>| {
        maven.resolve(root, &inputs.poms, &inputs.roots, &overlay(set, texts))
    };
    // The project as it is and after the text edits do not depend on each
    // other: both Maven runs go at once (most of a run is the JVM starting).
    let (before, mut current) = if plan.texts.is_empty() {
        let before = resolve(&BTreeMap::new())?;
        (before.clone(), before)
    } else {
        let (before, after) = std::thread::scope(|scope| {
            let before = scope.spawn(|| resolve(&BTreeMap::new()));
            let after = resolve(&plan.texts);
            (before.join(), after)
        });
        let before = before
            .map_err(|_| anyhow::anyhow!("the Maven run of the unchanged project panicked"))??;
        (before, after?)
    };
    let mut runs = if plan.texts.is_empty() { 1 } else { 2 };
    let mut seconds = before.seconds.max(current.seconds);
    let mut edited = set.with_texts(&plan.texts)?;
    for n in 0..=MAX_ROUNDS {
        let mut round = fix_classpath(&edited, pack, &current);
        if round.files.is_empty() {
            plan.manual.append(&mut round.manual);
            break;
        }
        if n == MAX_ROUNDS {
            plan.manual.append(&mut round.manual);
            plan.manual.extend(round.changes.iter().map(|c| ManualItem {
                pom: c.pom.clone(),
                line: c.line,
                artifact: String::new(),
                reason: format!(
                    "still needed after {MAX_ROUNDS} rounds on the resolved classpath, not applied: {}",
                    change_line(&c.change)
                ),
            }));
            break;
        }
        plan.take(set, round);
        edited = set.with_texts(&plan.texts)?;
        current = resolve(&plan.texts)?;
        runs += 1;
        seconds += current.seconds;
    }
    // What is still unresolved after the last edits.
    let mut problems = current.problems.clone();
    for p in &mut problems {
        p.module = p.module.take().map(|m| module_pom(set, &m));
    }
    problems.extend(unresolved_modules(&edited, &current, &problems));
    problems.sort();
    problems.dedup();
    let summary = ResolutionSummary::Resolved {
        maven: maven.version().to_string(),
        runs,
        seconds,
        modules: module_changes(set, &before, &current),
        problems,
    };
    Ok((summary, edited, current))
}

/// The pom of the module Maven names by artifactId (the name itself when
/// no pom, or several, have it).
fn module_pom(set: &PomSet, artifact: &str) -> String {
    let mut poms = set.project.poms.iter().filter(|p| p.artifact() == artifact);
    match (poms.next(), poms.next()) {
        (Some(p), None) => p.path.clone(),
        _ => artifact.to_string(),
    }
}

fn pom_index(set: &PomSet, path: &str) -> Option<usize> {
    set.project.poms.iter().position(|p| p.path == path)
}

/// The edited poms' bytes, by path, for Maven's scratch copy.
fn overlay(set: &PomSet, texts: &BTreeMap<usize, String>) -> BTreeMap<String, Vec<u8>> {
    texts
        .iter()
        .map(|(&i, t)| {
            (
                set.project.poms[i].path.clone(),
                set.sources[i].encode_like(t),
            )
        })
        .collect()
}

/// Which poms Maven sees, and where its reactors start.
struct MavenInputs {
    /// Every pom, readable or not (Maven reports the unreadable ones).
    poms: Vec<String>,
    /// Poms no other pom lists in `<modules>`.
    roots: Vec<String>,
}

impl MavenInputs {
    fn new(set: &PomSet) -> MavenInputs {
        let mut poms: Vec<String> = set.project.poms.iter().map(|p| p.path.clone()).collect();
        poms.extend(
            set.notes
                .iter()
                .filter(|n| n.path.ends_with("pom.xml"))
                .map(|n| n.path.clone()),
        );
        let mut listed = std::collections::HashSet::new();
        for pom in &set.project.poms {
            let dir = pom.path.rsplit_once('/').map_or("", |(d, _)| d);
            for m in pom.modules.iter().map(|m| &m.path) {
                let joined = normalize(&if dir.is_empty() {
                    m.clone()
                } else {
                    format!("{dir}/{m}")
                });
                let path = if joined.ends_with(".xml") {
                    joined
                } else if joined.is_empty() {
                    "pom.xml".to_string()
                } else {
                    format!("{joined}/pom.xml")
                };
                listed.insert(path);
            }
        }
        let roots = set
            .project
            .poms
            .iter()
            .enumerate()
            .filter(|(i, p)| !set.is_test[*i] && !listed.contains(&p.path))
            .map(|(_, p)| p.path.clone())
            .collect();
        MavenInputs { poms, roots }
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn module_changes(set: &PomSet, before: &Resolution, after: &Resolution) -> Vec<ModuleChange> {
    set.project
        .poms
        .iter()
        .filter_map(|pom| {
            let old = before.module(pom.effective_group(), pom.artifact())?;
            let new = after.module(pom.effective_group(), pom.artifact())?;
            let diff = classpath_diff(old, new);
            (!diff.is_empty()).then(|| ModuleChange {
                pom: pom.path.clone(),
                diff,
            })
        })
        .collect()
}
