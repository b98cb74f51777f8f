//! `java-string`: Java string literals equal to one of these values. It
//! runs in the Java walk (`crate::java::strings`).

use podready_rules::matcher::JavaString;

use super::{non_empty, Compiled, Invalid};
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = &[FileKind::Java];

pub(super) fn compile(rule: usize, m: &JavaString, c: &mut Compiled) -> Result<(), Invalid> {
    for v in non_empty("values", &m.values)? {
        c.strings.entry(v.clone()).or_default().push(rule);
    }
    Ok(())
}
