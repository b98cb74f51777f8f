//! `--format gitlab`: GitLab Code Quality, for the merge-request widget.
//! Each issue needs a fingerprint unique within the report and stable
//! across runs, so it hashes rule, path, the normalised source line and
//! the occurrence of that triple, not the line number.

use std::collections::HashMap;

use serde_json::json;

use super::{fingerprint, Context};
use podready_rules::Severity;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(ctx: &Context) -> String {
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let issues: Vec<_> = ctx
        .analysis
        .findings
        .iter()
        .map(|f| {
            let source = f.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
            let n = seen
                .entry((f.rule.clone(), f.path.clone(), source.clone()))
                .or_default();
            *n += 1;
            json!({
                "type": "issue",
                "check_name": f.rule,
                "description": format!("{} [{}]", f.message, f.rule),
                "content": { "body": f.remediation },
                "categories": ["Bug Risk"],
                "severity": severity(f.severity),
                "fingerprint": fingerprint(&[&f.rule, &f.path, &source, &n.to_string()]),
                "location": {
                    "path": f.path,
                    "lines": { "begin": f.line, "end": f.end_line },
                },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_default();
    s.push('\n');
    s
}
