//! `java-import`: imports from, or fully qualified uses of, these packages.
//! It runs in the Java walk (`crate::java::imports`), settled once the file
//! is walked.

use podready_rules::matcher::JavaImport;

use super::{non_empty, Compiled, Invalid};
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = &[FileKind::Java];

pub(super) fn compile(rule: usize, m: &JavaImport, c: &mut Compiled) -> Result<(), Invalid> {
    for p in non_empty("packages", &m.packages)? {
        if let Some(root) = p.split('.').next() {
            c.import_roots.insert(root.to_string());
        }
    }
    c.imports.push((rule, m.packages.clone()));
    Ok(())
}
