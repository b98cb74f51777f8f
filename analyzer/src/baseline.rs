//! Baselines: the findings a repository already had when it adopted the
//! gate, so that only new ones fail it.
//!
//! An entry matches on rule, path and the finding's source line with its
//! whitespace normalised, never on the line number, so edits elsewhere in
//! the file that move the line do not bring the finding back.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub rule: String,
    pub path: String,
    /// The source line, whitespace collapsed.
    pub source: String,
    /// How many findings share this rule, path and source.
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<BaselineEntry>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BaselineError(String);

fn normalise(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut counts: HashMap<(String, String, String), usize> = HashMap::new();
        for f in findings {
            *counts
                .entry((f.rule.clone(), f.path.clone(), normalise(&f.snippet)))
                .or_default() += 1;
        }
        let mut entries: Vec<BaselineEntry> = counts
            .into_iter()
            .map(|((rule, path, source), count)| BaselineEntry {
                rule,
                path,
                source,
                count,
            })
            .collect();
        entries.sort_by(|a, b| (&a.path, &a.rule, &a.source).cmp(&(&b.path, &b.rule, &b.source)));
        Baseline {
            version: 1,
            entries,
        }
    }

    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let b: Baseline = serde_json::from_str(text)
            .map_err(|e| BaselineError(format!("line {}, column {}: {e}", e.line(), e.column())))?;
        if b.version != 1 {
            return Err(BaselineError(format!(
                "version {} is not supported (this podready writes version 1)",
                b.version
            )));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The findings not in the baseline, and how many were.
    pub fn filter(&self, findings: Vec<Finding>) -> (Vec<Finding>, usize) {
        let mut budget: HashMap<(String, String, String), usize> = HashMap::new();
        for e in &self.entries {
            *budget
                .entry((e.rule.clone(), e.path.clone(), e.source.clone()))
                .or_default() += e.count;
        }
        let mut known = 0;
        let mut kept = Vec::new();
        for f in findings {
            let source = normalise(&f.snippet);
            let left = budget.get_mut(&(f.rule.clone(), f.path.clone(), source));
            match left {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    known += 1;
                }
                _ => kept.push(f),
            }
        }
        (kept, known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podready_rules::Severity;

    fn finding(line: usize, snippet: &str) -> Finding {
        Finding {
            rule: "logging/stdout".into(),
            severity: Severity::Warning,
            path: "A.java".into(),
            line,
            column: 9,
            end_line: line,
            end_column: 20,
            message: "m".into(),
            remediation: "r".into(),
            snippet: snippet.into(),
            via: Vec::new(),
            members: Default::default(),
            command_line: None,
            never_runs: None,
            start_up: None,
            also_logged: None,
            debugging: None,
            profile_sections: None,
            owner: None,
            detail: String::new(),
        }
    }

    #[test]
    fn survives_line_shifts_but_not_new_findings() {
        let base = Baseline::from_findings(&[finding(10, "    System.out.println(x);")]);
        let round = Baseline::parse(&base.to_json()).unwrap();
        let (kept, known) = round.filter(vec![
            finding(14, "\tSystem.out.println(x);"),
            finding(20, "System.out.println(y);"),
        ]);
        assert_eq!(known, 1);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].line, 20);
    }

    #[test]
    fn a_second_identical_line_is_new() {
        let base = Baseline::from_findings(&[finding(10, "System.out.println(x);")]);
        let (kept, known) = base.filter(vec![
            finding(10, "System.out.println(x);"),
            finding(11, "System.out.println(x);"),
        ]);
        assert_eq!((kept.len(), known), (1, 1));
    }
}
