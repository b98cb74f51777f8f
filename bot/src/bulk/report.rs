//! The report of a bulk run: one summary of the repositories' rows, written
//! as Markdown (tables and Mermaid charts GitLab and GitHub draw), JSON, and
//! a self-contained HTML page (inline SVG charts, nothing fetched), with the
//! trend since the previous run read from the previous JSON.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::{json, Value};

/// A repository's row in the run's state.
pub struct Row {
    pub url: String,
    pub status: String,
    /// The upgrade's report, JSON.
    pub report: Option<String>,
    pub error: Option<String>,
    pub attempts: i64,
    pub owners: Vec<String>,
}

/// One repository, as the report shows it.
struct Line {
    repository: String,
    owners: Vec<String>,
    status: String,
    attempts: i64,
    result: Value,
    error: Option<String>,
}

impl Line {
    fn failed(&self) -> bool {
        self.status != "done"
    }

    fn verification(&self) -> String {
        let v = &self.result["verification"];
        let blamed = self.result["breaks_the_build"].as_bool();
        match (v["result"].as_str(), v["run"]["state"].as_str(), blamed) {
            (Some("ci"), None, _) => "ci: not started".into(),
            (Some("ci"), Some("failed"), Some(false)) => match v["base"]["state"].as_str() {
                Some("failed") => "ci: failed (the base fails too)".into(),
                _ => "ci: failed (no finished run of the base)".into(),
            },
            (Some("ci"), Some(state), _) => format!("ci: {state}"),
            (Some("failed"), _, Some(false)) => "failed (the base fails too)".into(),
            (Some(result), _, _) => result.into(),
            (None, _, _) => "-".into(),
        }
    }
}

/// What changed since the previous run of the same fleet.
#[derive(Default)]
struct Trend {
    newly_done: Vec<String>,
    newly_failed: Vec<String>,
}

/// The whole report.
pub struct FleetReport {
    lines: Vec<Line>,
    by_status: BTreeMap<String, usize>,
    by_rule: BTreeMap<String, u64>,
    /// Owner → (repositories, failed, findings left).
    by_owner: BTreeMap<String, (usize, usize, u64)>,
    pub failures: usize,
    trend: Option<Trend>,
}

/// The file `base` + `suffix` (a dot in the name is not an extension).
fn with_suffix(base: &Path, suffix: &str) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl FleetReport {
    /// Failures first, then by repository; `previous` is the JSON of the
    /// run before, for the trend.
    pub fn new(mut rows: Vec<Row>, previous: Option<&Value>) -> FleetReport {
        rows.sort_by(|a, b| (a.status == "done", &a.url).cmp(&(b.status == "done", &b.url)));
        let mut report = FleetReport {
            lines: Vec::new(),
            by_status: BTreeMap::new(),
            by_rule: BTreeMap::new(),
            by_owner: BTreeMap::new(),
            failures: 0,
            trend: None,
        };
        for row in rows {
            let result: Value = row
                .report
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or(Value::Null);
            let line = Line {
                repository: crate::upgrade::git::redact(&row.url),
                owners: row.owners,
                status: row.status,
                attempts: row.attempts,
                result,
                error: row.error,
            };
            report.failures += usize::from(line.failed());
            *report.by_status.entry(line.status.clone()).or_default() += 1;
            if let Some(rules) = line.result["findings_by_rule"].as_object() {
                for (rule, n) in rules {
                    *report.by_rule.entry(rule.clone()).or_default() += n.as_u64().unwrap_or(0);
                }
            }
            for o in &line.owners {
                let entry = report.by_owner.entry(o.clone()).or_default();
                entry.0 += 1;
                entry.1 += usize::from(line.failed());
                entry.2 += line.result["findings_after"].as_u64().unwrap_or(0);
            }
            report.lines.push(line);
        }
        report.trend = previous.map(|p| report.trend_since(p));
        report
    }

    fn trend_since(&self, previous: &Value) -> Trend {
        let before: BTreeMap<&str, &str> = previous["repositories"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| Some((r["repository"].as_str()?, r["status"].as_str()?)))
            .collect();
        let mut trend = Trend::default();
        for l in &self.lines {
            let was = before.get(l.repository.as_str()).copied();
            if !l.failed() && was != Some("done") {
                trend.newly_done.push(l.repository.clone());
            }
            if l.failed() && was == Some("done") || l.failed() && was.is_none() {
                trend.newly_failed.push(l.repository.clone());
            }
        }
        trend
    }

    /// Writes `BASE.md`, `BASE.json` and `BASE.html`; the trend was taken
    /// from the `BASE.json` these replace.
    pub fn write(&self, base: &Path) -> Result<()> {
        podready_rewriter::write_atomic(&with_suffix(base, ".md"), self.markdown().as_bytes())?;
        podready_rewriter::write_atomic(
            &with_suffix(base, ".json"),
            serde_json::to_string_pretty(&self.json())?.as_bytes(),
        )?;
        podready_rewriter::write_atomic(&with_suffix(base, ".html"), self.html().as_bytes())?;
        Ok(())
    }

    /// The previous run's JSON at `base`, if there is one.
    pub fn previous(base: &Path) -> Option<Value> {
        let text = std::fs::read_to_string(with_suffix(base, ".json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    pub fn json(&self) -> Value {
        let repositories: Vec<Value> = self
            .lines
            .iter()
            .map(|l| {
                json!({
                    "repository": l.repository,
                    "owners": l.owners,
                    "status": l.status,
                    "attempts": l.attempts,
                    "result": l.result,
                    "error": l.error,
                })
            })
            .collect();
        let by_owner: serde_json::Map<String, Value> = self
            .by_owner
            .iter()
            .map(|(o, (n, failed, left))| {
                (
                    o.clone(),
                    json!({ "repositories": n, "failed": failed, "findings_left": left }),
                )
            })
            .collect();
        let mut out = json!({
            "repositories": repositories,
            "failed": self.failures,
            "totals": { "by_status": self.by_status, "by_rule": self.by_rule, "by_owner": by_owner },
        });
        if let Some(t) = &self.trend {
            out["trend"] = json!({ "newly_done": t.newly_done, "newly_failed": t.newly_failed });
        }
        out
    }

    pub fn markdown(&self) -> String {
        let mut md = String::from(
            "# podready bulk run\n\n| repository | owners | status | findings before → after | upgrades | verification | merge request | error |\n|---|---|---|--:|--:|---|---|---|\n",
        );
        for l in &self.lines {
            let r = &l.result;
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} → {} | {} | {} | {} | {} |",
                l.repository,
                if l.owners.is_empty() {
                    "-".to_string()
                } else {
                    l.owners.join(", ")
                },
                l.status,
                count(&r["findings_before"]),
                count(&r["findings_after"]),
                r["changes"].as_array().map_or(0, |c| c.len()),
                l.verification(),
                r["merge_request"].as_str().unwrap_or("-"),
                l.error.as_deref().unwrap_or("").replace('|', "\\|"),
            );
        }
        let _ = writeln!(
            md,
            "\n{}, {} failed.",
            crate::plural(self.lines.len(), "repository", "repositories"),
            self.failures
        );
        if let Some(t) = &self.trend {
            let _ = writeln!(
                md,
                "\nSince the previous run: {} newly done, {} newly failed.",
                t.newly_done.len(),
                t.newly_failed.len()
            );
            for r in &t.newly_failed {
                let _ = writeln!(md, "- newly failed: {r}");
            }
        }
        md.push_str("\n## By status\n\n| status | repositories |\n|---|--:|\n");
        for (status, n) in &self.by_status {
            let _ = writeln!(md, "| {status} | {n} |");
        }
        md.push_str("\n```mermaid\npie title Repositories by status\n");
        for (status, n) in &self.by_status {
            let _ = writeln!(md, "    \"{status}\" : {n}");
        }
        md.push_str("```\n");
        if !self.by_rule.is_empty() {
            md.push_str("\n## Findings left, by rule\n\n| rule | findings |\n|---|--:|\n");
            for (rule, n) in &self.by_rule {
                let _ = writeln!(md, "| `{rule}` | {n} |");
            }
            md.push_str(&mermaid_bars(
                "Findings left, by rule",
                "findings",
                self.by_rule.iter().map(|(k, v)| (k.as_str(), *v)),
            ));
        }
        if !self.by_owner.is_empty() {
            md.push_str("\n## By owner\n\n| owner | repositories | failed | findings left |\n|---|--:|--:|--:|\n");
            for (owner, (n, failed, left)) in &self.by_owner {
                let _ = writeln!(md, "| {owner} | {n} | {failed} | {left} |");
            }
            md.push_str(&mermaid_bars(
                "Findings left, by owner",
                "findings",
                self.by_owner.iter().map(|(k, v)| (k.as_str(), v.2)),
            ));
        }
        md
    }

    /// A page that needs nothing but itself: tables and SVG bar charts.
    pub fn html(&self) -> String {
        let mut body = String::new();
        let _ = write!(
            body,
            "<p class=\"totals\">{}, {} failed.</p>",
            crate::plural(self.lines.len(), "repository", "repositories"),
            self.failures
        );
        if let Some(t) = &self.trend {
            let _ = write!(
                body,
                "<p class=\"trend\">Since the previous run: <b>{}</b> newly done, <b>{}</b> newly failed.</p>",
                t.newly_done.len(),
                t.newly_failed.len()
            );
        }
        body.push_str("<div class=\"charts\">");
        body.push_str(&svg_bars(
            "status",
            "Repositories by status",
            &self
                .by_status
                .iter()
                .map(|(k, v)| (k.clone(), *v as u64))
                .collect::<Vec<_>>(),
        ));
        body.push_str(&svg_bars(
            "rules",
            "Findings left, by rule",
            &self
                .by_rule
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect::<Vec<_>>(),
        ));
        body.push_str(&svg_bars(
            "owners",
            "Findings left, by owner",
            &self
                .by_owner
                .iter()
                .map(|(k, v)| (k.clone(), v.2))
                .collect::<Vec<_>>(),
        ));
        body.push_str("</div><table><thead><tr><th>repository</th><th>owners</th><th>status</th><th>findings before → after</th><th>verification</th><th>merge request</th><th>error</th></tr></thead><tbody>");
        for l in &self.lines {
            let mr = match l.result["merge_request"].as_str() {
                Some(url) => format!("<a href=\"{0}\">{0}</a>", escape(url)),
                None => "-".into(),
            };
            let _ = write!(
                body,
                "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{mr}</td><td>{}</td></tr>",
                if l.failed() { "failed" } else { "done" },
                escape(&l.repository),
                escape(&l.owners.join(", ")),
                escape(&l.status),
                count(&l.result["findings_before"]),
                count(&l.result["findings_after"]),
                escape(&l.verification()),
                escape(l.error.as_deref().unwrap_or("")),
            );
        }
        body.push_str("</tbody></table>");
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>podready bulk run</title><style>{STYLE}</style></head><body><h1>podready bulk run</h1>{body}</body></html>\n"
        )
    }
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-top:1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}tr.failed td{background:#fde8e8}.charts{display:flex;flex-wrap:wrap;gap:2em}svg text{font-size:12px}.bar{fill:#3b7dd8}";

fn count(v: &Value) -> String {
    v.as_u64().map_or("-".into(), |n| n.to_string())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A Mermaid bar chart (`xychart-beta`).
fn mermaid_bars<'a>(title: &str, axis: &str, bars: impl Iterator<Item = (&'a str, u64)>) -> String {
    let (labels, values): (Vec<String>, Vec<String>) = bars
        .map(|(k, v)| (format!("\"{}\"", k.replace('"', "'")), v.to_string()))
        .unzip();
    format!(
        "\n```mermaid\nxychart-beta\n    title \"{title}\"\n    x-axis [{}]\n    y-axis \"{axis}\"\n    bar [{}]\n```\n",
        labels.join(", "),
        values.join(", ")
    )
}

/// A horizontal bar chart as inline SVG; `id` names it for the page.
fn svg_bars(id: &str, title: &str, bars: &[(String, u64)]) -> String {
    const LABEL: u32 = 190;
    const WIDTH: u32 = 260;
    const ROW: u32 = 22;
    let height = 30 + ROW * bars.len().max(1) as u32;
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let mut svg = format!(
        "<figure id=\"chart-{id}\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"{}\"><text x=\"0\" y=\"16\" font-weight=\"bold\">{}</text>",
        LABEL + WIDTH + 50,
        escape(title),
        escape(title)
    );
    if bars.is_empty() {
        svg.push_str("<text x=\"0\" y=\"40\">none</text>");
    }
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = 26 + ROW * i as u32;
        let w = (u64::from(WIDTH) * value / max) as u32;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text><rect class=\"bar\" x=\"{LABEL}\" y=\"{y}\" width=\"{}\" height=\"{}\"/><text x=\"{}\" y=\"{}\">{value}</text>",
            y + 14,
            escape(label),
            w.max(1),
            ROW - 6,
            LABEL + w.max(1) + 6,
            y + 14
        );
    }
    svg.push_str("</svg></figure>");
    svg
}
