//! `properties-key`: `.properties` files setting a key with one of these
//! prefixes, whatever the file is called (a renamed `log4j.properties`).

use podready_rules::matcher::PropertiesKey;

use super::{non_empty, Compiled, Invalid};
use crate::config::ConfigValue;
use crate::finding::RawFinding;
use crate::walk::{FileKind, RepoFile};

pub(super) const READS: &[FileKind] = &[FileKind::Properties];

pub(super) fn compile(rule: usize, m: &PropertiesKey, c: &mut Compiled) -> Result<(), Invalid> {
    if non_empty("prefixes", &m.prefixes)?
        .iter()
        .any(|p| p.trim().is_empty())
    {
        return Err(Invalid::new("prefixes", "a prefix needs text"));
    }
    c.properties_keys.push((rule, m.prefixes.clone()));
    Ok(())
}

/// `properties-key` rules over a `.properties` file's settings, at the
/// first key matching; a file its name already reports is reported once.
pub(crate) fn findings(
    values: &[ConfigValue<'_>],
    name: &str,
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    for (rule, prefixes) in &c.properties_keys {
        if !c.applies(*rule, f.is_test) || raw.iter().any(|r| r.rule == *rule) {
            continue;
        }
        let first = values
            .iter()
            .find(|v| prefixes.iter().any(|p| v.key.starts_with(p.as_str())));
        if let Some(v) = first {
            raw.push(RawFinding {
                rule: *rule,
                start: v.start,
                end: v.start + v.value.len(),
                detail: name.to_string(),
                ..RawFinding::default()
            });
        }
    }
}
