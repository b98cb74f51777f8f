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
/// (`one_shot`). Scripts are read only when there are candidates.
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
    let packages: HashMap<usize, &str> = results
        .iter()
        .map(|(i, r)| (*i, r.package.as_str()))
        .collect();
    let scripts: Vec<(usize, String)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.is_test && is_launching_script(&f.rel))
        .filter_map(|(i, f)| {
            let bytes = crate::read_bytes(f, super::MAX_SEARCHED).ok()?;
            Some((i, String::from_utf8(bytes).ok()?))
        })
        .collect();
    for &here in candidates {
        let rel = &files[here].rel;
        let Some(class) = rel
            .rsplit('/')
            .next()
            .and_then(|name| name.strip_suffix(".java"))
        else {
            continue;
        };
        let Some(package) = packages.get(&here).filter(|p| !p.is_empty()) else {
            continue;
        };
        let full = format!("{package}.{class}");
        let mut tool = LaunchedTool {
            class: class.to_string(),
            scripts: Vec::new(),
            launchers: Vec::new(),
        };
        let mut every_line_launches = true;
        for (script, text) in &scripts {
            for line in text.lines().filter(|l| names_in_full(l, &full)) {
                match launcher_before(line, &full, files, one_shot) {
                    Some(launcher) => {
                        if !tool.scripts.contains(script) {
                            tool.scripts.push(*script);
                        }
                        if !tool.launchers.iter().any(|l| l == launcher) {
                            tool.launchers.push(launcher.to_string());
                        }
                    }
                    None => every_line_launches = false,
                }
            }
        }
        if every_line_launches && !tool.scripts.is_empty() {
            out.insert(here, tool);
        }
    }
    out
}

/// Whether a path is a script's: by its extension, or in a `bin`/`sbin`
/// folder, where launchers go without one (`bin/dlog`).
pub(super) fn is_launching_script(rel: &str) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let folder = dir.rsplit('/').next().unwrap_or(dir);
    super::is_script(name) || ((folder == "bin" || folder == "sbin") && !name.contains('.'))
}

/// Whether `line` names the class `full` as a whole token
/// (`a.b.LogTool`, not `a.b.LogToolkit` nor `x.a.b.LogTool`).
fn names_in_full(line: &str, full: &str) -> bool {
    line.match_indices(full).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + full.len()..].chars().next();
        !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
    })
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.'
}

/// The simple name of the launcher `line` hands `full` to: the nearest
/// full class name before it, when that is a source of the repository
/// whose `main()` exits when done.
fn launcher_before<'f>(
    line: &str,
    full: &str,
    files: &'f [RepoFile],
    one_shot: &dyn Fn(&str) -> bool,
) -> Option<&'f str> {
    let at = line.find(full)?;
    let token = line[..at]
        .split(|c: char| !is_name_char(c))
        .rev()
        .find(|t| is_class_name(t))?;
    let path = format!("{}.java", token.replace('.', "/"));
    files
        .iter()
        .find(|f| {
            f.rel
                .strip_suffix(path.as_str())
                .is_some_and(|dir| dir.is_empty() || dir.ends_with('/'))
                && one_shot(&f.rel)
        })
        .and_then(|f| f.rel.rsplit('/').next()?.strip_suffix(".java"))
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
    fn a_full_name_is_a_whole_token() {
        assert!(names_in_full(
            "exec java a.b.Tool a.b.LogTool \"$@\"",
            "a.b.LogTool"
        ));
        assert!(!names_in_full(
            "exec java a.b.Tool a.b.LogToolkit",
            "a.b.LogTool"
        ));
        assert!(!names_in_full("exec java x.a.b.LogTool", "a.b.LogTool"));
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
