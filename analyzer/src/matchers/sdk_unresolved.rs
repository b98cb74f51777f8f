//! `sdk-unresolved`: SDK dependencies whose version the repository does
//! not define (a remote parent, a version range, a BOM the SDK table does
//! not name), so the gate cannot tell whether it is container-ready. The
//! versions are resolved once, by `sdk_version::findings`, which reports
//! these too.

use podready_rules::matcher::SdkUnresolved;

use super::{Compiled, Invalid};
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = &[FileKind::Pom];

pub(super) fn compile(rule: usize, _: &SdkUnresolved, c: &mut Compiled) -> Result<(), Invalid> {
    c.sdk_unresolved_rules.push(rule);
    Ok(())
}
