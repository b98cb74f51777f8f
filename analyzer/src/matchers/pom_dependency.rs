//! `pom-dependency`: dependencies `groupId:artifactId` a pom declares (not
//! managed ones, not test scope). A rule with `adapter` set makes its
//! artifacts the ones whose being left to dependents marks an adapter
//! module.

use podready_rules::matcher;
use podready_rules::Rule;

use super::{Compiled, Invalid};
use crate::finding::RawFinding;
use crate::pom::{DependencySection, PomDependency};
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = &[FileKind::Pom];

pub(super) fn compile(
    rule: usize,
    definition: &Rule,
    m: &matcher::PomDependency,
    c: &mut Compiled,
) -> Result<(), Invalid> {
    if let Some(a) = m.artifacts.iter().find(|a| a.split(':').count() != 2) {
        return Err(Invalid::new(
            "artifacts",
            format!("`{a}` is not `groupId:artifactId`"),
        ));
    }
    for a in &m.artifacts {
        c.pom_deps.entry(a.clone()).or_default().push(rule);
        if definition.adapter.is_some() {
            c.adapter_artifacts.insert(a.clone());
        }
    }
    Ok(())
}

/// The rules naming a dependency a pom declares.
pub(crate) fn findings(d: &PomDependency, c: &Compiled, is_test: bool, raw: &mut Vec<RawFinding>) {
    if d.section != DependencySection::Dependencies {
        return;
    }
    let coords = format!("{}:{}", d.group(), d.artifact());
    let anchor = d.anchor();
    for &rule in c.pom_deps.get(&coords).into_iter().flatten() {
        if c.applies(rule, is_test) {
            raw.push(RawFinding {
                rule,
                start: anchor.start,
                end: anchor.end,
                detail: format!("`{coords}`"),
                ..RawFinding::default()
            });
        }
    }
}
