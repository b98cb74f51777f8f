//! `ip-literal`: IP address literals in Java string literals (the Java
//! walk, `crate::java::strings`) and in configuration values (here), except
//! where the key or the text around says it is an example or a description.

use podready_rules::matcher::IpLiteral;

use super::{Compiled, Invalid, EVERY_CONTENT};
use crate::config::{ConfigValue, FormFields, UnusedSections};
use crate::finding::RawFinding;
use crate::ip;
use crate::walk::{FileKind, RepoFile};

pub(super) const READS: &[FileKind] = EVERY_CONTENT;

pub(super) fn compile(rule: usize, _: &IpLiteral, c: &mut Compiled) -> Result<(), Invalid> {
    c.ip_rules.push(rule);
    Ok(())
}

/// The addresses in a configuration file's values.
pub(crate) fn in_config(
    values: &[ConfigValue<'_>],
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    let rules: Vec<usize> = c
        .ip_rules
        .iter()
        .copied()
        .filter(|r| c.applies(*r, f.is_test))
        .collect();
    if rules.is_empty() {
        return;
    }
    // An address in a section of Spring's or a chart's settings not in use
    // (`mysql.enabled: false`) connects nowhere, nor a field's default in
    // a form a user fills in: both worked out once a value holds one.
    let unused = std::cell::OnceCell::new();
    let forms = std::cell::OnceCell::new();
    let in_use = |v: &ConfigValue<'_>| {
        let unused = unused.get_or_init(|| match f.kind {
            FileKind::Properties | FileKind::Yaml => Some(UnusedSections::of(values)),
            FileKind::Conf => Some(UnusedSections::of_hocon(values)),
            _ => None,
        });
        let forms =
            forms.get_or_init(|| (f.kind == FileKind::Yaml).then(|| FormFields::of(values)));
        !unused.as_ref().is_some_and(|u| u.holds(v))
            && !forms.as_ref().is_some_and(|forms| forms.holds_default(v))
    };
    for v in values
        .iter()
        .filter(|v| !ip::is_descriptive(&v.key, v.value))
    {
        let ips = ip::find_ips(v.value);
        if ips.is_empty() || !in_use(v) {
            continue;
        }
        for ip in ips {
            for &rule in &rules {
                raw.push(RawFinding {
                    rule,
                    start: v.start + ip.start,
                    end: v.start + ip.end,
                    detail: v.value[ip.start..ip.end].to_string(),
                    ..RawFinding::default()
                });
            }
        }
    }
}
