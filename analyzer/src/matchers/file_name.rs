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
    for p in non_empty("globs", &m.globs)? {
        let glob = GlobBuilder::new(p)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
            .map_err(|e| Invalid::new("globs", e.to_string()))?;
        globs.add(glob);
        c.file_glob_rules.push(rule);
    }
    Ok(())
}

/// The rules whose globs match a file's name, once each.
pub(crate) fn findings(name: &str, f: &RepoFile, c: &Compiled, raw: &mut Vec<RawFinding>) {
    for i in c.file_globs.matches(name) {
        let rule = c.file_glob_rules[i];
        if c.applies(rule, f.is_test) && !raw.iter().any(|r| r.rule == rule) {
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
