//! `file-name`: files whose name matches one of these globs, ignoring case.
//! It needs the name only: a file nothing else reads is never opened.

use globset::{GlobBuilder, GlobSetBuilder};
use podready_rules::matcher::FileName;

use super::{non_empty, Compiled, Invalid};
use crate::finding::RawFinding;
use crate::walk::{FileKind, RepoFile};

pub(super) const READS: &[FileKind] = &[];

pub(super) fn compile(
    rule: usize,
    m: &FileName,
    c: &mut Compiled,
    globs: &mut GlobSetBuilder,
) -> Result<(), Invalid> {
    let glob = |field: &'static str, p: &str| {
        GlobBuilder::new(p)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
            .map_err(|e| Invalid::new(field, e.to_string()))
    };
    for p in non_empty("globs", &m.globs)? {
        globs.add(glob("globs", p)?);
        c.file_glob_rules.push(rule);
    }
    if !m.except.is_empty() {
        let mut except = GlobSetBuilder::new();
        for p in &m.except {
            except.add(glob("except", p)?);
        }
        let except = except
            .build()
            .map_err(|e| Invalid::new("except", e.to_string()))?;
        c.file_glob_exceptions.insert(rule, except);
    }
    Ok(())
}

/// The rules whose globs match a file's name, once each.
pub(crate) fn findings(name: &str, f: &RepoFile, c: &Compiled, raw: &mut Vec<RawFinding>) {
    for i in c.file_globs.matches(name) {
        let rule = c.file_glob_rules[i];
        let excepted = c
            .file_glob_exceptions
            .get(&rule)
            .is_some_and(|except| except.is_match(name));
        if c.applies(rule, f.is_test) && !excepted && !raw.iter().any(|r| r.rule == rule) {
            raw.push(RawFinding {
                rule,
                start: 0,
                end: 0,
                detail: name.to_string(),
                ..RawFinding::default()
            });
        }
    }
}
