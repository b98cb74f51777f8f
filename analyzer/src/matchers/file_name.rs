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
    let except = if m.except.is_empty() {
        None
    } else {
        let mut except = GlobSetBuilder::new();
        for p in &m.except {
            except.add(glob("except", p)?);
        }
        let except = except
            .build()
            .map_err(|e| Invalid::new("except", e.to_string()))?;
        c.file_glob_exceptions.push(except);
        Some(c.file_glob_exceptions.len() - 1)
    };
    for p in non_empty("globs", &m.globs)? {
        globs.add(glob("globs", p)?);
        c.file_glob_rules.push((rule, except));
    }
    Ok(())
}

/// The rules whose globs match a file's name, once each.
pub(crate) fn findings(name: &str, f: &RepoFile, c: &Compiled, raw: &mut Vec<RawFinding>) {
    for i in c.file_globs.matches(name) {
        let (rule, except) = c.file_glob_rules[i];
        let excepted = except.is_some_and(|e| c.file_glob_exceptions[e].is_match(name));
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

#[cfg(test)]
mod tests {
    use super::*;
    use podready_rules::matcher::Matcher;
    use podready_rules::RulePack;

    #[test]
    fn a_matchers_exceptions_are_its_own() {
        let mut pack = RulePack::builtin().expect("the built-in pack loads");
        let hook = pack
            .rules
            .iter_mut()
            .find(|r| r.id == "deploy/post-start-hook")
            .expect("the hook rule");
        // A second matcher, without exceptions, that takes Java sources.
        hook.matchers.push(Matcher::FileName(FileName {
            globs: vec!["*StartUpHook.java".into()],
            except: Vec::new(),
        }));
        let c = Compiled::new(&pack).expect("the pack compiles");
        let file = |name: &str| RepoFile {
            rel: name.to_string(),
            abs: std::path::PathBuf::from(name),
            kind: FileKind::Other,
            is_test: false,
        };
        let found = |name: &str| {
            let mut raw = Vec::new();
            findings(name, &file(name), &c, &mut raw);
            raw.len()
        };
        assert_eq!(found("AfterStartUp.java"), 0);
        assert_eq!(found("after-start.sh"), 1);
        assert_eq!(found("AfterStartUpHook.java"), 1);
    }
}
