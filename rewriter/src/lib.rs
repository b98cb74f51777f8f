//! podready's rewriter: changes files so that a reviewer sees exactly what
//! had to change and nothing else, and never leaves a half-written file.
//!
//! `fix` plans the pom edits that make a repository's SDKs container-ready
//! (following each version to where it is defined), splices them into the
//! original text, checks that every changed pom still parses, and returns
//! the new bytes in the file's own encoding. Writing is the caller's job,
//! with [`write_atomic`].

mod atomic;
mod classpath;
mod edit;
mod element;
pub mod logging_config;
mod plan;

use podready_analyzer::pom::Pom;
use podready_analyzer::PomSet;
use podready_maven::Resolution;
use podready_rules::RulePack;

pub use atomic::{write_all, write_atomic, AtomicWriteError, FileWrite};
pub use classpath::{is_deployable, plan_classpath};
pub use edit::{apply, EditError, TextEdit};
pub use plan::{mask_comments, plan, Change, FixPlan, ManualItem, PlannedChange, Via};

/// The new content of one file: a pom edited in place, a configuration
/// file written or deleted.
#[derive(Debug, Clone)]
pub struct FileFix {
    pub path: String,
    /// `None`: a new file.
    pub before: Option<String>,
    /// `None`: the file is deleted.
    pub after: Option<String>,
    /// `after`, encoded like the original file (encoding, byte-order mark).
    pub bytes: Vec<u8>,
}

/// Everything `fix` would do to a repository.
#[derive(Debug, Default)]
pub struct FixOutcome {
    pub files: Vec<FileFix>,
    pub changes: Vec<PlannedChange>,
    pub manual: Vec<ManualItem>,
}

/// Writes every file of a fix under `root`, all or nothing (see
/// [`write_all`]).
pub fn write_fixes(root: &std::path::Path, files: &[FileFix]) -> Result<(), AtomicWriteError> {
    let writes: Vec<FileWrite> = files
        .iter()
        .map(|f| FileWrite {
            path: root.join(&f.path),
            contents: f.after.as_ref().map(|_| f.bytes.clone()),
        })
        .collect();
    write_all(&writes)
}

/// Plans and applies, in memory, every fix the pom text shows.
pub fn fix(set: &PomSet, pack: &RulePack) -> FixOutcome {
    apply_plan(set, plan::plan(set, pack))
}

/// Plans and applies, in memory, the fixes the resolved classpath shows.
/// `set` must be the poms Maven resolved.
pub fn fix_classpath(set: &PomSet, pack: &RulePack, resolution: &Resolution) -> FixOutcome {
    apply_plan(set, classpath::plan_classpath(set, pack, resolution))
}

fn apply_plan(set: &PomSet, plan: FixPlan) -> FixOutcome {
    let mut outcome = FixOutcome {
        changes: plan.changes,
        manual: plan.manual,
        files: Vec::new(),
    };
    for (pom, edits) in plan.edits {
        let src = &set.sources[pom];
        let path = set.project.poms[pom].path.clone();
        let result = edit::apply(&src.text, &edits)
            .map_err(|e| e.to_string())
            .and_then(|after| match Pom::parse(&path, &after) {
                Ok(_) => Ok(after),
                Err(e) => Err(format!("the edited pom would not parse ({e})")),
            });
        match result {
            Ok(after) => outcome.files.push(FileFix {
                bytes: src.encode_like(&after),
                path,
                before: Some(src.text.clone()),
                after: Some(after),
            }),
            Err(reason) => {
                // Nothing in this pom is changed; say so for each change.
                outcome.changes.retain(|c| {
                    let keep = c.pom != path;
                    if !keep {
                        outcome.manual.push(ManualItem {
                            pom: path.clone(),
                            line: c.line,
                            artifact: String::new(),
                            reason: format!("podready left this pom unchanged: {reason}"),
                        });
                    }
                    keep
                });
            }
        }
    }
    outcome
}

/// A unified diff of one file, as `git diff` shows it (`/dev/null` for a
/// new or deleted file).
pub fn unified_diff(path: &str, before: Option<&str>, after: Option<&str>) -> String {
    let old = before.map_or("/dev/null".to_string(), |_| format!("a/{path}"));
    let new = after.map_or("/dev/null".to_string(), |_| format!("b/{path}"));
    similar::TextDiff::from_lines(before.unwrap_or(""), after.unwrap_or(""))
        .unified_diff()
        .context_radius(3)
        .header(&old, &new)
        .to_string()
}
