//! Finding the files of a repository worth reading.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

use crate::AnalyzeError;

/// What a file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Java,
    Pom,
    Logback,
    Xml,
    Properties,
    Yaml,
    Json,
    Conf,
    /// Read only because a file-name rule matches it.
    Other,
}

#[derive(Debug, Clone)]
pub struct RepoFile {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub kind: FileKind,
    pub is_test: bool,
    pub size: u64,
}

/// Directories never worth walking: build output and dependencies.
const SKIPPED_DIRS: [&str; 5] = ["target", "build", "node_modules", ".git", ".gradle"];

pub fn kind_of(name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    Some(match ext {
        "java" => FileKind::Java,
        "xml" if lower == "pom.xml" => FileKind::Pom,
        "xml" if lower.starts_with("logback") => FileKind::Logback,
        "xml" => FileKind::Xml,
        "properties" => FileKind::Properties,
        "yml" | "yaml" => FileKind::Yaml,
        "json" => FileKind::Json,
        "conf" => FileKind::Conf,
        _ => return None,
    })
}

/// Whether a path is test code: `src/test/**`, other `src/<x>Test` style
/// roots (`src/it`, `src/integrationTest`), or a configured test root.
pub fn is_test_path(rel: &str, test_roots: &GlobSet) -> bool {
    let mut parts = rel.split('/').peekable();
    while let Some(p) = parts.next() {
        if p == "src" {
            if let Some(next) = parts.peek() {
                let n = next.to_ascii_lowercase();
                if n.starts_with("test") || n.ends_with("test") || n == "it" {
                    return true;
                }
            }
        }
    }
    test_roots.is_match(rel)
}

/// Builds a glob set where each glob also matches everything below it.
pub fn glob_set(globs: &[String]) -> Result<GlobSet, AnalyzeError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let g = g.trim_end_matches('/');
        for pattern in [g.to_string(), format!("{g}/**")] {
            b.add(
                Glob::new(&pattern)
                    .map_err(|e| AnalyzeError::Config(format!("glob `{g}`: {e}")))?,
            );
        }
    }
    b.build()
        .map_err(|e| AnalyzeError::Config(format!("globs: {e}")))
}

pub struct WalkOutcome {
    pub files: Vec<RepoFile>,
    /// Paths the walker could not enter, with the reason.
    pub errors: Vec<(String, String)>,
}

/// Walks `root` respecting .gitignore, keeping the files worth reading:
/// those of a known kind, and those a file-name rule wants to see.
pub fn walk(
    root: &Path,
    exclude: &GlobSet,
    test_roots: &GlobSet,
    wanted_name: &dyn Fn(&str) -> bool,
) -> WalkOutcome {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = WalkBuilder::new(root)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push((String::new(), e.to_string()));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let rel = relative(root, entry.path());
        if exclude.is_match(&rel) {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let kind = match kind_of(&name) {
            Some(k) => k,
            None if wanted_name(&name) => FileKind::Other,
            None => continue,
        };
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        files.push(RepoFile {
            is_test: is_test_path(&rel, test_roots),
            rel,
            abs: entry.into_path(),
            kind,
            size,
        });
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    WalkOutcome { files, errors }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if s.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        s.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths() {
        let none = GlobSet::empty();
        assert!(is_test_path("src/test/java/A.java", &none));
        assert!(is_test_path("mod/src/integrationTest/java/A.java", &none));
        assert!(is_test_path("mod/src/it/java/A.java", &none));
        assert!(!is_test_path("src/main/java/test/A.java", &none));
        assert!(!is_test_path("src/main/java/A.java", &none));
        let roots = glob_set(&["qa".into()]).unwrap();
        assert!(is_test_path("qa/A.java", &roots));
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("pom.xml"), Some(FileKind::Pom));
        assert_eq!(kind_of("logback-spring.xml"), Some(FileKind::Logback));
        assert_eq!(kind_of("App.java"), Some(FileKind::Java));
        assert_eq!(kind_of("post-start.sh"), None);
    }
}
