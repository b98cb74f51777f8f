//! Rendering an analysis for people (text) and machines (JSON, SARIF,
//! GitLab Code Quality).

pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod text;

use std::path::Path;

use podready_analyzer::{Analysis, Note, NoteKind};
use podready_rules::{RulePack, Severity};

/// What every renderer gets.
pub struct Context<'a> {
    pub root: &'a Path,
    pub pack: &'a RulePack,
    pub analysis: &'a Analysis,
    /// Findings left out because the baseline has them.
    pub baselined: usize,
}

impl Context<'_> {
    /// Findings per rule, most frequent first (then by id).
    pub fn by_rule(&self) -> Vec<(&str, usize)> {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for f in &self.analysis.findings {
            *counts.entry(f.rule.as_str()).or_default() += 1;
        }
        let mut v: Vec<(&str, usize)> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.analysis
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Notes that mean part of the repository was not (fully) analysed.
pub fn is_problem(note: &Note) -> bool {
    note.kind != NoteKind::Decoded
}

/// FNV-1a, 64 bits: a stable fingerprint (std's hasher may change between
/// Rust releases, and fingerprints must not).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}
