//! podready's rewriter: changes files so that a reviewer sees exactly what
//! had to change and nothing else, and never leaves a half-written file.
//!
//! `fix` plans the pom edits that make a repository's SDKs container-ready
//! (following each version to where it is defined), splices them into the
//! original text, checks that every changed pom still parses, and returns
//! the new bytes in the file's own encoding. Writing is the caller's job,
//! with [`write_atomic`].

mod atomic;
mod deploy_spec;
mod edit;
mod element;
mod plan;

use podready_analyzer::pom::Pom;
use podready_analyzer::PomSet;
use podready_rules::RulePack;

pub use atomic::{write_atomic, AtomicWriteError};
pub use deploy_spec::{merge_spec, render_spec, SpecMerge};
pub use edit::{apply, EditError, TextEdit};
pub use plan::{mask_comments, plan, Change, FixPlan, ManualItem, PlannedChange, Via};

/// The new content of one pom.
#[derive(Debug, Clone)]
pub struct FileFix {
    pub path: String,
    pub before: String,
    pub after: String,
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

/// Plans and applies every automatic fix in memory.
pub fn fix(set: &PomSet, pack: &RulePack) -> FixOutcome {
    let plan = plan::plan(set, pack);
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
                before: src.text.clone(),
                after,
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

/// A unified diff of one file, as `git diff` shows it.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
