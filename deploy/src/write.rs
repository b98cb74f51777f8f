//! Writing `deploy.yaml`: a fresh spec with a comment on every inferred
//! value saying where it came from, or, when the file exists, only the
//! values that are missing, inserted into the person's text without
//! touching a byte of what they wrote.

use std::fmt::Write;

use crate::infer::InferredSpec;
use crate::spec::{line_of_key, Batch, DeploySpec, FailurePolicy, Packaging, SpecError, Zones};

/// A YAML node to write: a scalar, a mapping or a list, with a comment.
#[derive(Debug, Clone)]
enum Value {
    Scalar(String),
    /// A flow list of scalars (`[1, "25%"]`).
    Flow(Vec<String>),
    Map(Vec<Node>),
    /// A block list of mappings.
    List(Vec<(Vec<Node>, Option<String>)>),
}

#[derive(Debug, Clone)]
struct Node {
    key: &'static str,
    value: Value,
    comment: Option<String>,
}

fn node(key: &'static str, value: Value, comment: Option<String>) -> Node {
    Node {
        key,
        value,
        comment,
    }
}

fn scalar(s: impl Into<String>) -> Value {
    Value::Scalar(quote(&s.into()))
}

/// A YAML scalar, quoted when plain style would change its meaning.
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c))
        && !s.starts_with(['-', '.'])
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The document tree of a spec, with the origins as comments.
fn tree(inferred: &InferredSpec) -> Vec<Node> {
    let s = &inferred.spec;
    let o = |field: &str| inferred.origins.get(field).cloned();
    let mut app = vec![
        node("name", scalar(&s.app.name), o("app.name")),
        node(
            "packaging",
            scalar(match s.app.packaging {
                Packaging::War => "war",
                Packaging::Jar => "jar",
            }),
            o("app.packaging"),
        ),
        node("port", Value::Scalar(s.app.port.to_string()), o("app.port")),
        node("path", scalar(&s.app.path), o("app.path")),
        node("health", scalar(&s.app.health), o("app.health")),
    ];
    for (key, path) in [
        ("liveness", &s.app.liveness),
        ("readiness", &s.app.readiness),
    ] {
        if let Some(p) = path {
            app.push(node(key, scalar(p), o(&format!("app.{key}"))));
        }
    }
    let r = &s.env.resources;
    let env = vec![
        node(
            "environments",
            Value::Flow(s.env.environments.iter().map(|e| quote(e)).collect()),
            None,
        ),
        node(
            "zones",
            scalar(match s.env.zones {
                Zones::Multi => "multi",
                Zones::Single => "single",
            }),
            Some("spread across zones; no node selectors or host networking".into()),
        ),
        node(
            "resources",
            Value::Map(vec![
                node("cpu", scalar(&r.cpu), None),
                node("memory", scalar(&r.memory), None),
                node("cpu_limit", scalar(&r.cpu_limit), None),
                node("memory_limit", scalar(&r.memory_limit), None),
            ]),
            Some("requests and limits of the app container".into()),
        ),
        node(
            "security",
            Value::Map(vec![
                node(
                    "run_as_user",
                    Value::Scalar(s.env.security.run_as_user.to_string()),
                    None,
                ),
                node(
                    "service_account_token",
                    Value::Scalar(s.env.security.service_account_token.to_string()),
                    None,
                ),
            ]),
            Some("the restricted Pod Security Standard; read_only_root: false if the app writes outside /tmp".into()),
        ),
    ];
    let rel = &s.release;
    let failure = match rel.failure {
        FailurePolicy::Rebuild { max_rebuilds } => vec![
            node("policy", scalar("rebuild"), None),
            node(
                "max_rebuilds",
                Value::Scalar(max_rebuilds.to_string()),
                None,
            ),
        ],
        FailurePolicy::Fail => vec![node("policy", scalar("fail"), None)],
        FailurePolicy::Tolerate { max_failed_percent } => vec![
            node("policy", scalar("tolerate"), None),
            node(
                "max_failed_percent",
                Value::Scalar(max_failed_percent.to_string()),
                None,
            ),
        ],
    };
    let release = vec![
        node("replicas", Value::Scalar(rel.replicas.to_string()), None),
        node(
            "batches",
            Value::Flow(
                rel.batches
                    .iter()
                    .map(|b| match b {
                        Batch::Pods(n) => n.to_string(),
                        Batch::Percent(_) => quote(&b.to_string()),
                    })
                    .collect(),
            ),
            Some("cumulative: pods, or a share of the replicas; the last reaches 100%".into()),
        ),
        node("pause_seconds", Value::Scalar(rel.pause_seconds.to_string()), Some("between batches".into())),
        node(
            "failure",
            Value::Map(failure),
            Some("rebuild failed pods (max_rebuilds), or `policy: fail`, or `policy: tolerate` with max_failed_percent".into()),
        ),
        node(
            "progress_deadline_seconds",
            Value::Scalar(rel.progress_deadline_seconds.to_string()),
            Some("per batch".into()),
        ),
    ];
    let databases: Vec<(Vec<Node>, Option<String>)> = s
        .dependencies
        .databases
        .iter()
        .map(|d| {
            (
                vec![
                    node("name", scalar(&d.name), None),
                    node("schema", scalar(&d.schema), None),
                    node(
                        "privileges",
                        Value::Flow(d.privileges.iter().map(|p| quote(p)).collect()),
                        None,
                    ),
                ],
                o(&format!("dependencies.databases.{}", d.schema)),
            )
        })
        .collect();
    let middleware: Vec<(Vec<Node>, Option<String>)> = s
        .dependencies
        .middleware
        .iter()
        .map(|m| {
            (
                vec![
                    node("kind", scalar(&m.kind), None),
                    node("artifact", scalar(&m.artifact), None),
                ],
                o(&format!("dependencies.middleware.{}", m.kind)),
            )
        })
        .collect();
    let hooks: Vec<Node> = s
        .hooks()
        .into_iter()
        .map(|(name, path)| {
            let key: &'static str = match name {
                "pre-start" => "pre-start",
                "pre-online" => "pre-online",
                _ => "pre-offline",
            };
            node(key, scalar(path), o(&format!("hooks.{name}")))
        })
        .collect();
    let mut doc = vec![
        node("apiVersion", scalar(&s.api_version), None),
        node("app", Value::Map(app), None),
        node("env", Value::Map(env), None),
        node("release", Value::Map(release), None),
        node(
            "dependencies",
            Value::Map(vec![
                node("databases", Value::List(databases), None),
                node("middleware", Value::List(middleware), None),
            ]),
            None,
        ),
    ];
    doc.push(node(
        "hooks",
        Value::Map(hooks),
        Some("only pre-start, pre-online and pre-offline exist".into()),
    ));
    doc
}

fn write_node(out: &mut String, n: &Node, indent: usize) {
    let pad = " ".repeat(indent);
    let comment = n
        .comment
        .as_ref()
        .map(|c| format!("  # {c}"))
        .unwrap_or_default();
    match &n.value {
        Value::Scalar(s) => {
            let _ = writeln!(out, "{pad}{}: {s}{comment}", n.key);
        }
        Value::Flow(items) => {
            let _ = writeln!(out, "{pad}{}: [{}]{comment}", n.key, items.join(", "));
        }
        Value::Map(children) if children.is_empty() => {
            let _ = writeln!(out, "{pad}{}: {{}}{comment}", n.key);
        }
        Value::Map(children) => {
            let _ = writeln!(out, "{pad}{}:{comment}", n.key);
            for c in children {
                write_node(out, c, indent + 2);
            }
        }
        Value::List(items) if items.is_empty() => {
            let _ = writeln!(out, "{pad}{}: []{comment}", n.key);
        }
        Value::List(items) => {
            let _ = writeln!(out, "{pad}{}:{comment}", n.key);
            for (fields, item_comment) in items {
                let mut item = String::new();
                for f in fields {
                    write_node(&mut item, f, indent + 4);
                }
                // The first field goes on the `- ` line.
                let first_pad = " ".repeat(indent + 4);
                let mut lines = item.lines();
                if let Some(first) = lines.next() {
                    let c = item_comment
                        .as_ref()
                        .map(|c| format!("  # {c}"))
                        .unwrap_or_default();
                    let _ = writeln!(out, "{pad}  - {}{c}", first.trim_start_matches(&first_pad));
                }
                for l in lines {
                    let _ = writeln!(out, "{l}");
                }
            }
        }
    }
}

/// A new `deploy.yaml`.
pub fn render_spec(inferred: &InferredSpec) -> String {
    let mut out = format!(
        "# How {} is deployed. Written by `podready deploy init`; edit it freely:\n# a later `deploy init` only adds what is missing. Comments say where\n# inferred values came from.\n",
        inferred.spec.app.name
    );
    for n in tree(inferred) {
        write_node(&mut out, &n, 0);
    }
    out
}

/// The result of merging into an existing spec.
#[derive(Debug, Clone)]
pub struct SpecMerge {
    pub text: String,
    /// Dotted fields that were added.
    pub added: Vec<String>,
    /// Fields that could not be added automatically, and why.
    pub skipped: Vec<String>,
}

/// Adds to `existing` every inferred field it lacks; what is there stays
/// byte for byte. The result must be a valid spec.
pub fn merge_spec(
    path: &str,
    existing: &str,
    inferred: &InferredSpec,
) -> Result<SpecMerge, SpecError> {
    let parsed: yaml_serde::Value = yaml_serde::from_str(existing).map_err(|e| SpecError {
        path: path.to_string(),
        line: e.location().map(|l| l.line()),
        message: e.to_string(),
    })?;
    let mut merge = SpecMerge {
        text: existing.to_string(),
        added: Vec::new(),
        skipped: Vec::new(),
    };
    let doc = tree(inferred);
    fill(&mut merge, &parsed, &doc, "", 0);
    if let Err(merged) = DeploySpec::parse(path, &merge.text) {
        // A mistake in the person's file is reported at its line there,
        // not at the line it moved to in the merged text.
        return Err(DeploySpec::parse(path, existing).err().unwrap_or(merged));
    }
    Ok(merge)
}

fn fill(
    merge: &mut SpecMerge,
    existing: &yaml_serde::Value,
    nodes: &[Node],
    parent: &str,
    indent: usize,
) {
    let Some(map) = existing.as_mapping() else {
        if !parent.is_empty() {
            merge
                .skipped
                .push(format!("{parent}: not a mapping in the existing file"));
        }
        return;
    };
    for n in nodes {
        let path = if parent.is_empty() {
            n.key.to_string()
        } else {
            format!("{parent}.{}", n.key)
        };
        match map.get(n.key) {
            Some(child) => {
                if let Value::Map(children) = &n.value {
                    fill(merge, child, children, &path, indent + 2);
                }
            }
            None => {
                let mut text = String::new();
                write_node(&mut text, n, indent);
                if insert_under(&mut merge.text, parent, &text) {
                    merge.added.push(path);
                } else {
                    merge.skipped.push(format!(
                        "{path}: {parent} is written inline; add it by hand"
                    ));
                }
            }
        }
    }
}

/// Inserts `block` at the end of the mapping `parent` (the document when
/// empty); false when the mapping is written in flow style.
fn insert_under(text: &mut String, parent: &str, block: &str) -> bool {
    if parent.is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(block);
        return true;
    }
    let Some(line_no) = line_of_key(text, parent) else {
        return false;
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let header = lines[line_no - 1];
    let header_indent = header.len() - header.trim_start().len();
    let after_colon = header.split_once(':').map_or("", |(_, v)| v);
    let value = after_colon.split(" #").next().unwrap_or("").trim();
    if !value.is_empty() {
        return false; // `app: {name: x}`: flow style
    }
    // The block ends at the last line indented deeper than the header; its
    // children's indentation is the file's, not ours.
    let mut end = line_no;
    let mut child_indent = None;
    for (i, l) in lines.iter().enumerate().skip(line_no) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = l.len() - t.len();
        if ind <= header_indent {
            break;
        }
        child_indent.get_or_insert(ind);
        end = i + 1;
    }
    let offset: usize = lines[..end].iter().map(|l| l.len()).sum();
    let ours = block.len() - block.trim_start().len();
    let theirs = child_indent.unwrap_or(header_indent + 2);
    let mut insert = String::new();
    if offset > 0 && !text[..offset].ends_with('\n') {
        insert.push('\n');
    }
    for l in block.split_inclusive('\n') {
        let own = l.len() - l.trim_start().len();
        let _ = write!(
            insert,
            "{}{}",
            " ".repeat(own - ours.min(own) + theirs),
            l.trim_start()
        );
    }
    text.insert_str(offset, &insert);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("order-service"), "order-service");
        assert_eq!(quote("25%"), "\"25%\"");
        assert_eq!(quote("yes"), "\"yes\"");
        assert_eq!(quote("2"), "\"2\"");
        assert_eq!(quote("1.5"), "\"1.5\"");
        assert_eq!(quote("a: b"), "\"a: b\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn inserts_at_the_end_of_a_block() {
        let mut t = "app:\n  name: x\n  # a note\nrelease:\n  replicas: 3\n".to_string();
        assert!(insert_under(&mut t, "app", "  port: 8080\n"));
        assert_eq!(
            t,
            "app:\n  name: x\n  port: 8080\n  # a note\nrelease:\n  replicas: 3\n"
        );
        let mut four = "app:\n    name: x\n".to_string();
        assert!(insert_under(&mut four, "app", "  resources:\n    cpu: 1\n"));
        assert_eq!(four, "app:\n    name: x\n    resources:\n      cpu: 1\n");
        let mut flow = "app: {name: x}\n".to_string();
        assert!(!insert_under(&mut flow, "app", "  port: 8080\n"));
    }
}
