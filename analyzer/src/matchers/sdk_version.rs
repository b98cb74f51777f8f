//! `sdk-version`: SDK dependencies older than the SDK table's
//! container-ready minimum, reported where the version is defined (a
//! property, a managed entry), with the version to upgrade to. The same
//! resolution finds the versions the repository does not define, which
//! `sdk-unresolved` reports.

use podready_rules::matcher::SdkVersion;
use podready_rules::RulePack;

use super::{Compiled, Invalid};
use crate::finding::RawFinding;
use crate::pom::{Project, VersionSource};
use crate::version::{self, MavenVersion};
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = &[FileKind::Pom];

pub(super) fn compile(rule: usize, _: &SdkVersion, c: &mut Compiled) -> Result<(), Invalid> {
    c.sdk_rules.push(rule);
    Ok(())
}

/// The dependency `d_idx` of pom `i` against the SDK table: an
/// `sdk-version` finding when it is too old, an `sdk-unresolved` one when
/// its version is not the repository's to tell.
pub(crate) fn findings(
    project: &Project,
    i: usize,
    d_idx: usize,
    c: &Compiled,
    pack: &RulePack,
    is_test: bool,
    raw: &mut Vec<RawFinding>,
) {
    let d = &project.poms[i].dependencies[d_idx];
    let coords = format!("{}:{}", d.group(), d.artifact());
    let anchor = d.anchor();
    let Some(entry) = pack.sdk_entry(d.group(), d.artifact()) else {
        return;
    };
    let Some(min) = entry.min_version.as_deref() else {
        return;
    };
    let resolved = if d.version.is_some() {
        project.resolve_version(i, d_idx)
    } else {
        let r = project.resolve_sdk_managed(i, d.group(), d.artifact(), &entry.not_managed_by);
        // The managed entry is reported where it is written, unless
        // this module overrides its property: Maven then resolves it
        // here to another version.
        if matches!(r.source, VersionSource::Managed { .. })
            && project.overriding_source(&r).is_none()
        {
            return;
        }
        r
    };
    let unresolved = match (resolved.value.as_deref(), &resolved.source) {
        (Some(v), _) if version::is_range(v) => Some(format!("the version is the range `{v}`")),
        (Some(_), _) => None,
        (None, VersionSource::Outside { reason }) => Some(reason.clone()),
        (None, VersionSource::BuiltIn { name }) => Some(format!(
            "the version is `${{{name}}}`, not defined in the repository"
        )),
        (None, VersionSource::Bom { pom, dependency }) => {
            let bom = &project.poms[*pom].dependencies[*dependency];
            let named = entry
                .bom
                .as_ref()
                .is_some_and(|b| b.group == bom.group() && b.artifact == bom.artifact());
            // A BOM the table names is upgraded by `fix`; any other
            // one manages a version the gate cannot see, and so may the
            // ones Maven asks after it.
            (!named).then(|| {
                let boms: Vec<String> = project
                    .outside_boms_from(i, *pom, *dependency)
                    .iter()
                    .map(|b| format!("`{}:{}`", b.group(), b.artifact()))
                    .collect();
                match boms.as_slice() {
                    [first, rest @ ..] if !rest.is_empty() => format!(
                        "the version comes from an imported BOM the SDK table does not name: {first} if it manages it, else {}",
                        rest.join(", then ")
                    ),
                    _ => format!(
                        "the version comes from the imported BOM `{}:{}`, which the SDK table does not name",
                        bom.group(),
                        bom.artifact()
                    ),
                }
            })
        }
        (None, _) => Some("the version cannot be resolved".to_string()),
    };
    // Each of `rules` that applies here, at the dependency's artifactId.
    let mut report = |rules: &[usize], detail: String| {
        for &rule in rules.iter().filter(|&&r| c.applies(r, is_test)) {
            raw.push(RawFinding {
                rule,
                start: anchor.start,
                end: anchor.end,
                detail: detail.clone(),
                ..RawFinding::default()
            });
        }
    };
    if let Some(why) = unresolved {
        report(
            &c.sdk_unresolved_rules,
            format!("`{coords}`: {why}, so the gate cannot tell whether it is at least the container-ready {min}"),
        );
        return;
    }
    let Some(value) = resolved.value.as_deref() else {
        return;
    };
    if MavenVersion::parse(value) >= MavenVersion::parse(min) {
        return;
    }
    let defined_by = project
        .overriding_source(&resolved)
        .unwrap_or(&resolved.source);
    let place = match defined_by {
        VersionSource::Property { name, pom: p, .. } => {
            format!(", set by property `{name}` in {}", project.poms[*p].path)
        }
        _ => String::new(),
    };
    let target = entry.target_version.as_deref().unwrap_or(min);
    report(
        &c.sdk_rules,
        format!("`{coords}` {value} predates container support (first container-ready version {min}; upgrade to {target}{place})"),
    );
}
