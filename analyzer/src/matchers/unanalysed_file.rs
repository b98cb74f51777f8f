//! `unanalysed-file`: files the analyzer could not read (over the size cap,
//! unreadable, not text, a pom that does not parse), so that the gate
//! cannot pass on them. It reads every kind of file the other kinds read,
//! since that is how it learns that one cannot be read.

use podready_rules::matcher::UnanalysedFile;

use super::{Compiled, Invalid, EVERY_CONTENT};
use crate::finding::{Finding, RawFinding};
use crate::finish;
use crate::text::SourceText;
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = EVERY_CONTENT;

pub(super) fn compile(rule: usize, _: &UnanalysedFile, c: &mut Compiled) -> Result<(), Invalid> {
    c.unanalysed_rules.push(rule);
    Ok(())
}

/// The findings of the `unanalysed-file` rules (the built-in
/// `podready/unanalysed-file`) for a file or directory that could not be
/// analysed: at its line 1, column 1, saying why.
pub(crate) fn findings(path: &str, why: &str, is_test: bool, c: &Compiled) -> Vec<Finding> {
    let raw = c
        .unanalysed_rules
        .iter()
        .filter(|&&rule| c.applies(rule, is_test))
        .map(|&rule| RawFinding {
            rule,
            start: 0,
            end: 0,
            detail: why.to_string(),
            ..RawFinding::default()
        })
        .collect();
    let nothing_read = SourceText::from_string(String::new(), "UTF-8");
    finish(path, &nothing_read, raw, c)
}
