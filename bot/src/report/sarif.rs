//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other
//! SARIF consumers. Columns count Unicode code points, as the analyzer's do.

use serde_json::{json, Value};

use super::{fingerprint, is_problem, Context};
use podready_rules::Severity;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(ctx: &Context) -> String {
    let rules: Vec<Value> = ctx
        .pack
        .rules
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.id,
                "name": r.id.replace('/', "-"),
                "shortDescription": { "text": r.message.replace("{detail}", "…") },
                "fullDescription": { "text": r.doc.what },
                "help": {
                    "text": format!("{}\n\nWhy: {}\n\nInstead: {}", r.doc.what, r.doc.why, r.doc.instead),
                    "markdown": format!(
                        "{}\n\n**Why:** {}\n\n**Instead:** {}\n\n```\n{}\n```",
                        r.doc.what, r.doc.why, r.doc.instead, r.doc.example.trim()
                    ),
                },
                "defaultConfiguration": { "level": level(r.severity), "enabled": r.enabled },
                "properties": { "tags": [r.category()] },
            });
            if let Some(base) = &ctx.pack.check.docs_url {
                rule["helpUri"] = json!(format!("{}/{}.md", base.trim_end_matches('/'), r.id));
            }
            rule
        })
        .collect();
    let results: Vec<Value> = ctx
        .analysis
        .findings
        .iter()
        .map(|f| {
            let index = ctx.pack.rules.iter().position(|r| r.id == f.rule);
            let source = f.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
            json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": format!("{}\nFix: {}", f.message, f.remediation) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.path, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column.max(f.column + 1),
                            "snippet": { "text": f.snippet },
                        },
                    },
                }],
                "partialFingerprints": {
                    "podready/v1": fingerprint(&[&f.rule, &f.path, &source]),
                },
            })
        })
        .collect();
    let notifications: Vec<Value> = ctx
        .analysis
        .notes
        .iter()
        .filter(|n| is_problem(n))
        .map(|n| {
            json!({
                "level": "warning",
                "message": { "text": n.message },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": n.path, "uriBaseId": "%SRCROOT%" } } }],
            })
        })
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "podready",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{
            "executionSuccessful": true,
            "toolExecutionNotifications": notifications,
        }],
    });
    if let Ok(abs) = std::fs::canonicalize(ctx.root) {
        let dir = if abs.is_dir() {
            abs
        } else {
            abs.parent().map(|p| p.to_path_buf()).unwrap_or(abs)
        };
        let uri = format!("file://{}/", dir.display());
        run["originalUriBaseIds"] = json!({ "%SRCROOT%": { "uri": uri } });
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
