//! `--format json`: one object with `findings`, `notes` and `summary`.

use serde_json::json;

use super::Context;
use podready_rules::Severity;

pub fn render(ctx: &Context) -> String {
    let a = ctx.analysis;
    let (deployed, not_deployed) = a.deployment.modules(&a.project);
    let value = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "findings": a.findings,
        "notes": a.notes,
        "summary": {
            "files": a.files,
            "lines": a.lines,
            "findings": a.findings.len(),
            "errors": ctx.count(Severity::Error),
            "warnings": ctx.count(Severity::Warning),
            "infos": ctx.count(Severity::Info),
            "baselined": ctx.baselined,
            "deployment": {
                "found_by": a.deployment.found_by,
                "deployed": deployed,
                "not_deployed": not_deployed,
            },
            "by_rule": ctx
                .by_rule()
                .into_iter()
                .map(|(r, n)| (r.to_string(), serde_json::Value::from(n)))
                .collect::<serde_json::Map<String, serde_json::Value>>(),
        },
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// `--statistics --format json`: one object per rule with findings, most
/// first.
pub fn statistics(ctx: &Context) -> String {
    let rows: Vec<serde_json::Value> = ctx
        .by_rule()
        .into_iter()
        .map(|(rule, count)| {
            json!({
                "rule": rule,
                "severity": ctx.pack.rule(rule).map(|r| r.severity.as_str()),
                "count": count,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_default();
    s.push('\n');
    s
}
