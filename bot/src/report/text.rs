//! The default, human format: each finding as `path:line:col`, the rule,
//! the message, the source line with a caret under the place, and what to
//! do instead; then what could not be analysed and a summary.

use std::fmt::Write;

use super::{is_problem, Context};
use crate::plural;
use podready_analyzer::Finding;
use podready_rules::Severity;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.wrap(code, s.as_str())
    }
}

/// The findings, then (unless `quiet`) what could not be analysed and a
/// summary.
pub fn render(ctx: &Context, color: bool, quiet: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    for f in &ctx.analysis.findings {
        finding(&mut out, f, &paint);
    }
    if quiet {
        return out;
    }
    let problems: Vec<_> = ctx
        .analysis
        .notes
        .iter()
        .filter(|n| is_problem(n))
        .collect();
    for n in &problems {
        let _ = writeln!(
            out,
            "{}: {}: {}",
            paint.wrap("1;35", "note"),
            n.path,
            n.message
        );
    }
    let decoded = ctx.analysis.notes.len() - problems.len();
    if decoded > 0 {
        let _ = writeln!(
            out,
            "{}: {} not UTF-8; decoded from GBK, windows-1252 or UTF-16 (`--format json` lists them)",
            paint.wrap("1;35", "note"),
            plural(decoded, "file was", "files were")
        );
    }
    if !problems.is_empty() || decoded > 0 {
        out.push('\n');
    }
    let a = ctx.analysis;
    let (deployed, not_deployed) = a.deployment.modules(&a.project);
    if deployed.len() + not_deployed.len() > 1 {
        let _ = writeln!(
            out,
            "{}: {}\n",
            paint.wrap("1;36", "modules"),
            a.deployment.describe(&a.project)
        );
    }
    let files = format!(
        "{} ({})",
        plural(a.files, "file", "files"),
        plural(a.lines, "line", "lines")
    );
    let with_findings = a
        .findings
        .iter()
        .map(|f| f.path.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if a.findings.is_empty() {
        let _ = write!(
            out,
            "{} No problems found in {files}",
            paint.wrap("1;32", "✓")
        );
    } else {
        let mut parts = Vec::new();
        for (s, name) in [
            (Severity::Error, "error"),
            (Severity::Warning, "warning"),
            (Severity::Info, "info"),
        ] {
            let n = ctx.count(s);
            if n > 0 {
                parts.push(format!(
                    "{n} {name}{}",
                    if n == 1 || s == Severity::Info {
                        ""
                    } else {
                        "s"
                    }
                ));
            }
        }
        let n = a.findings.len();
        let _ = write!(
            out,
            "Found {n} problem{} ({}) in {with_findings} of {files}",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        );
    }
    if ctx.baselined > 0 {
        let _ = write!(out, "; {} more in the baseline", ctx.baselined);
    }
    if a.findings.is_empty() {
        out.push_str(".\n");
    } else {
        out.push_str(":\n");
        for (rule, n) in ctx.by_rule() {
            let _ = writeln!(out, "  {n:>6}  {rule}");
        }
        out.push_str("Run `podready explain RULE` for what a rule finds and why.\n");
    }
    out
}

/// The source line to show: whole when short, else a window around the
/// finding, so minified or generated lines do not flood the log. Returns
/// the text and the column of the finding within it.
fn window(snippet: &str, column: usize) -> (String, usize) {
    const MAX: usize = 160;
    let chars: Vec<char> = snippet.chars().collect();
    if chars.len() <= MAX {
        return (snippet.to_string(), column);
    }
    let start = column.saturating_sub(1).saturating_sub(MAX / 4);
    let end = (start + MAX).min(chars.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    let shift = usize::from(start > 0);
    (text, column - start + shift)
}

fn finding(out: &mut String, f: &Finding, paint: &Paint) {
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}] {}",
        paint.wrap("1", &f.path),
        f.line,
        f.column,
        paint.severity(f.severity),
        paint.wrap("1", &f.rule),
        f.message
    );
    if !f.snippet.is_empty() {
        let (snippet, column) = window(&f.snippet, f.column);
        let end_column = f.end_column + column - f.column;
        let number = f.line.to_string();
        let gutter = " ".repeat(number.len());
        let bar = paint.wrap("34", "|");
        let _ = writeln!(out, "{gutter} {bar}");
        let _ = writeln!(out, "{} {bar} {}", paint.wrap("34", &number), snippet);
        // Keep tabs in the padding so the caret lines up with the source.
        let pad: String = snippet
            .chars()
            .take(column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let line_len = snippet.chars().count();
        let end = if f.end_line == f.line {
            end_column.min(line_len + 1)
        } else {
            line_len + 1
        };
        let width = end.saturating_sub(column).max(1);
        let _ = writeln!(
            out,
            "{gutter} {bar} {pad}{}",
            paint.wrap("1;31", &"^".repeat(width))
        );
    }
    let _ = writeln!(out, "  = {}: {}", paint.wrap("1;36", "help"), f.remediation);
    out.push('\n');
}

/// How many findings each rule has, most first: `--statistics`.
pub fn statistics(ctx: &Context) -> String {
    let mut out = String::new();
    for (rule, n) in ctx.by_rule() {
        let severity = ctx.pack.rule(rule).map_or("", |r| r.severity.as_str());
        let _ = writeln!(out, "{n:>6}  {severity:<7}  {rule}");
    }
    out
}
