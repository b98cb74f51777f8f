//! What Maven's console log says could not be resolved, module by module.
//! The tree goal succeeds with a warning when an artifact's pom is missing,
//! so the warnings matter as much as the errors.

use serde::Serialize;

/// Something Maven could not resolve; `module` is the artifactId of the
/// module it happened in, `None` for the whole reactor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ResolutionProblem {
    pub module: Option<String>,
    pub message: String,
}

impl ResolutionProblem {
    pub fn whole(message: String) -> ResolutionProblem {
        ResolutionProblem {
            module: None,
            message,
        }
    }
}

/// Removes terminal colour sequences (`ESC [ … m`) Maven prints even in
/// batch mode for some lines.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for n in chars.by_ref() {
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The module a line announces: the reactor's `----< group:artifact >----`
/// banner before a module is built (dependency warnings follow it, before
/// the goal runs), or a `--- plugin:version:goal (execution) @ artifact ---`
/// line.
fn module_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("[INFO] -")?;
    if let (Some(open), Some(close)) = (rest.find("< "), rest.rfind(" >")) {
        let coords = rest.get(open + 2..close)?;
        return coords.split(':').nth(1).map(str::trim);
    }
    let rest = rest.strip_prefix("-- ")?.strip_suffix(" ---")?;
    rest.rsplit_once(" @ ").map(|(_, m)| m.trim())
}

/// The problems in a log.
pub fn problems(log: &str) -> Vec<ResolutionProblem> {
    let log = strip_ansi(log);
    let mut out = Vec::new();
    let mut module: Option<String> = None;
    for line in log.lines() {
        if let Some(m) = module_header(line) {
            module = Some(m.to_string());
        } else if let Some(rest) = line.strip_prefix("[WARNING] The POM for ") {
            let coords = rest.split_whitespace().next().unwrap_or("");
            let why = if rest.contains("is missing") {
                "is not in any Maven repository this machine reaches; what it brings in is unknown"
            } else {
                "is invalid; what it brings in is unknown"
            };
            out.push(ResolutionProblem {
                module: module.clone(),
                message: format!("{} {why}", without_type(coords)),
            });
        } else if let Some(rest) = line.strip_prefix("[ERROR] Failed to execute goal") {
            // `… [plugin goal] on project NAME: reason -> [Help 1]`; the
            // goal is left out when the module's dependencies failed.
            if let Some((_, after)) = rest.split_once("on project ") {
                let (name, reason) = after.split_once(": ").unwrap_or((after, ""));
                out.push(ResolutionProblem {
                    module: Some(name.trim().to_string()),
                    message: trim_help(reason).to_string(),
                });
            }
        } else if is_reactor_error(line) {
            let text = line
                .trim_start_matches("[ERROR]")
                .trim_start_matches("[FATAL]")
                .trim();
            out.push(ResolutionProblem::whole(trim_help(text).to_string()));
        }
    }
    out
}

/// A line of the reactor's own failure: a pom Maven cannot read or a
/// model error, which name the pom and line (`… @ line 10, column 3`).
fn is_reactor_error(line: &str) -> bool {
    (line.starts_with("[ERROR]") || line.starts_with("[FATAL]"))
        && (line.contains("Non-parseable POM ")
            || line.contains(" @ line ")
            || line.contains("Child module ") && line.contains(" does not exist"))
}

/// The last `[ERROR]` line with content, for a failure with no better
/// reason.
pub fn last_error(log: &str) -> Option<&str> {
    log.lines()
        .rev()
        .filter_map(|l| l.strip_prefix("[ERROR]"))
        .map(str::trim)
        .find(|l| {
            !l.is_empty()
                && !["Re-run", "To see", "For more", "[Help"]
                    .iter()
                    .any(|boring| l.starts_with(boring))
        })
}

/// `g:a:jar:v` → `g:a:v`.
fn without_type(coords: &str) -> String {
    let parts: Vec<&str> = coords.split(':').collect();
    match parts.as_slice() {
        [g, a, _kind, v] => format!("{g}:{a}:{v}"),
        [g, a, _kind, _classifier, v] => format!("{g}:{a}:{v}"),
        _ => coords.to_string(),
    }
}

fn trim_help(s: &str) -> &str {
    s.split(" -> [Help").next().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_given_to_the_module_being_built() {
        let log = "\
[INFO] -------------------< com.acme.finance:finance-billing >-------------------
[INFO] Building Finance billing 5.0.0                                       [2/3]
[WARNING] The POM for com.acme.internal:billing-sdk:jar:4.2.0 is missing, no dependency information available
[INFO] --- maven-dependency-plugin:3.8.1:tree (default-cli) @ finance-billing ---
[INFO] -------------------< com.acme.finance:finance-ledger >-------------------
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-dependency-plugin:3.8.1:tree (default-cli) on project finance-ledger: Could not resolve dependencies -> [Help 1]
[ERROR] Failed to execute goal on project finance-rdb: Could not resolve dependencies for project com.acme.finance:finance-rdb:jar:5.0.0: Blocked mirror for repositories: [central (http://repo.acme.test/, default, releases)] -> [Help 1]
[ERROR]     Non-parseable POM broken/pom.xml: Unrecognised tag: 'dependencies' @ line 11, column 19 -> [Help 2]
";
        assert_eq!(
            problems(log),
            vec![
                ResolutionProblem {
                    module: Some("finance-billing".into()),
                    message: "com.acme.internal:billing-sdk:4.2.0 is not in any Maven repository this machine reaches; what it brings in is unknown".into()
                },
                ResolutionProblem {
                    module: Some("finance-ledger".into()),
                    message: "Could not resolve dependencies".into()
                },
                ResolutionProblem {
                    module: Some("finance-rdb".into()),
                    message: "Could not resolve dependencies for project com.acme.finance:finance-rdb:jar:5.0.0: Blocked mirror for repositories: [central (http://repo.acme.test/, default, releases)]".into()
                },
                ResolutionProblem::whole(
                    "Non-parseable POM broken/pom.xml: Unrecognised tag: 'dependencies' @ line 11, column 19".into()
                ),
            ]
        );
        assert_eq!(last_error(log), Some("Non-parseable POM broken/pom.xml: Unrecognised tag: 'dependencies' @ line 11, column 19 -> [Help 2]"));
    }
}
