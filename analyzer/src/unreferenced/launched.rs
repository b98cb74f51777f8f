//! Tools a command-line launcher runs: a script's line hands a class of
//! the repository, by its full name, to another class's `main()`
//! (`java … dlog.tools.Tool dlog.tools.LogTool "$@"`), which makes it by
//! reflection and exits when it is done. The class has no `main()` of
//! its own; what it prints is a command's output.

use std::collections::HashMap;

use crate::walk::RepoFile;
use crate::FileResult;

/// A class scripts hand to launchers.
pub(super) struct LaunchedTool {
    /// The class's simple name (its source's).
    pub class: String,
    /// The scripts handing it on, by index in the files.
    pub scripts: Vec<usize>,
    /// The launchers' simple names.
    pub launchers: Vec<String>,
}

/// Of the sources in `candidates` (index in `files`), those every script
/// naming them hands to a launcher: a class of the repository named
/// before them on the same line, whose `main()` exits when done
/// (`one_shot`). Scripts are read only when there are candidates, once.
pub(super) fn launched_tools(
    candidates: &[usize],
    results: &[(usize, FileResult)],
    files: &[RepoFile],
    one_shot: &dyn Fn(&str) -> bool,
) -> HashMap<usize, LaunchedTool> {
    let mut out = HashMap::new();
    if candidates.is_empty() {
        return out;
    }
    let scripts: Vec<(usize, String)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.is_test && is_launching_script(&f.rel))
        .filter_map(|(i, f)| {
            let bytes = crate::read_bytes(f, super::MAX_SEARCHED).ok()?;
            Some((i, String::from_utf8(bytes).ok()?))
        })
        .collect();
    // Each full class name the scripts' lines hold, with the script and
    // the class named before it on the line, if any.
    let mut named: HashMap<&str, Vec<(usize, Option<&str>)>> = HashMap::new();
    for (script, text) in &scripts {
        for line in text.lines() {
            for (token, before) in class_names(line) {
                named.entry(token).or_default().push((*script, before));
            }
        }
    }
    let packages: HashMap<usize, &str> = results
        .iter()
        .map(|(i, r)| (*i, r.package.as_str()))
        .collect();
    let mut launchers: HashMap<&str, Option<&str>> = HashMap::new();
    for &here in candidates {
        let Some(class) = super::source_class(&files[here].rel) else {
            continue;
        };
        let Some(package) = packages.get(&here).filter(|p| !p.is_empty()) else {
            continue;
        };
        let Some(lines) = named.get(format!("{package}.{class}").as_str()) else {
            continue;
        };
        let mut tool = LaunchedTool {
            class: class.to_string(),
            scripts: Vec::new(),
            launchers: Vec::new(),
        };
        let every_line_launches = lines.iter().all(|&(script, before)| {
            let launcher = before.and_then(|token| {
                *launchers
                    .entry(token)
                    .or_insert_with(|| one_shot_class(token, files, one_shot))
            });
            if let Some(launcher) = launcher {
                if !tool.scripts.contains(&script) {
                    tool.scripts.push(script);
                }
                if !tool.launchers.iter().any(|l| l == launcher) {
                    tool.launchers.push(launcher.to_string());
                }
            }
            launcher.is_some()
        });
        if every_line_launches {
            out.insert(here, tool);
        }
    }
    out
}

/// Whether a path is a script's: by its extension, or in a `bin` folder,
/// where launchers go without one (`bin/dlog`; the walk lists such files
/// only there).
fn is_launching_script(rel: &str) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let folder = dir.rsplit('/').next().unwrap_or(dir);
    super::is_script(name) || (folder == "bin" && !name.contains('.'))
}

/// The full class names of a line, each with the one before it, if any
/// (`java a.b.Tool a.b.LogTool`: `a.b.LogTool` after `a.b.Tool`).
fn class_names(line: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    let mut before = None;
    line.split(|c: char| !is_name_char(c))
        .filter(|t| is_class_name(t))
        .map(move |token| (token, before.replace(token)))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.'
}

/// The simple name of the class `token` names in full, when it is a
/// source of the repository whose `main()` exits when done with a status
/// it worked out (`System.exit(tool.run(args))`, not `System.exit(0)`
/// after a server's loop).
fn one_shot_class<'f>(
    token: &str,
    files: &'f [RepoFile],
    one_shot: &dyn Fn(&str) -> bool,
) -> Option<&'f str> {
    let path = format!("{}.java", token.replace('.', "/"));
    let launcher = files.iter().find(|f| {
        f.rel
            .strip_suffix(path.as_str())
            .is_some_and(|dir| dir.is_empty() || dir.ends_with('/'))
            && one_shot(&f.rel)
    })?;
    let text = crate::read_bytes(launcher, super::MAX_SEARCHED).ok()?;
    let text = crate::java::without_comments(std::str::from_utf8(&text).ok()?);
    exits_with_worked_out_status(&text)
        .then(|| super::source_class(&launcher.rel))
        .flatten()
}

/// Whether the last `System.exit(…)` of a source is given something other
/// than a number.
fn exits_with_worked_out_status(code: &str) -> bool {
    code.rfind("System.exit(").is_some_and(|at| {
        let argument = &code[at + "System.exit(".len()..];
        let argument = argument[..argument.find(')').unwrap_or(argument.len())].trim();
        let number = argument.strip_prefix('-').unwrap_or(argument);
        !number.is_empty() && !number.chars().all(|c| c.is_ascii_digit())
    })
}

/// `org.acme.Tool`: lower-case package words, then a capitalised name.
fn is_class_name(token: &str) -> bool {
    let mut parts: Vec<&str> = token.split('.').collect();
    let Some(class) = parts.pop() else {
        return false;
    };
    !parts.is_empty()
        && class.starts_with(|c: char| c.is_ascii_uppercase())
        && parts.iter().all(|p| {
            p.starts_with(|c: char| c.is_ascii_lowercase())
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_class_name_with_the_one_before_it() {
        let line = "exec java $OPTS a.b.Tool a.b.LogTool x.a.b.LogToolkit \"$@\"";
        assert_eq!(
            class_names(line).collect::<Vec<_>>(),
            [
                ("a.b.Tool", None),
                ("a.b.LogTool", Some("a.b.Tool")),
                ("x.a.b.LogToolkit", Some("a.b.LogTool")),
            ]
        );
    }

    #[test]
    fn a_launcher_exits_with_the_status_its_tool_gave() {
        assert!(exits_with_worked_out_status("System.exit(tool.run(rest));"));
        assert!(exits_with_worked_out_status(
            "rc = tool.run(a);\n System.exit(rc);"
        ));
        assert!(!exits_with_worked_out_status(
            "server.run();\n System.exit(0);"
        ));
        assert!(!exits_with_worked_out_status("System.exit( -1 );"));
    }

    #[test]
    fn class_names_and_script_paths() {
        assert!(is_class_name("org.acme.Tool"));
        assert!(!is_class_name("Tool"));
        assert!(!is_class_name("org.acme.tool"));
        assert!(!is_class_name("${OPTS}"));
        assert!(is_launching_script("bin/dlog"));
        assert!(is_launching_script("tools/run-tool.sh"));
        assert!(!is_launching_script("bin/dlog.conf"));
        assert!(!is_launching_script("src/dlog"));
    }
}
