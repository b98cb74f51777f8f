//! `config-value`: settings set to a value a rule names, such as MyBatis'
//! SQL log sent to standard output (`mybatis.configuration.log-impl:
//! org.apache.ibatis.logging.stdout.StdOutImpl`, `<setting
//! name="logImpl" value="STDOUT_LOGGING"/>`).

use podready_rules::matcher::ConfigValue as Serialised;

use super::{non_empty, Compiled, Invalid};
use crate::config::{effective_value, relaxed, ConfigValue};
use crate::finding::RawFinding;
use crate::walk::{FileKind, RepoFile};

pub(super) const READS: &[FileKind] = &[FileKind::Properties, FileKind::Yaml, FileKind::Xml];

/// A compiled `config-value` matcher: its keys as Spring binds them.
#[derive(Debug)]
pub(crate) struct SettingMatcher {
    rule: usize,
    keys: Vec<String>,
    values: Vec<String>,
}

pub(super) fn compile(rule: usize, m: &Serialised, c: &mut Compiled) -> Result<(), Invalid> {
    if non_empty("keys", &m.keys)?
        .iter()
        .any(|k| relaxed(k).is_empty())
    {
        return Err(Invalid::new("keys", "a key needs a name"));
    }
    if non_empty("values", &m.values)?
        .iter()
        .any(|v| v.trim().is_empty())
    {
        return Err(Invalid::new("values", "a value needs text"));
    }
    c.settings.push(SettingMatcher {
        rule,
        keys: m.keys.iter().map(|k| relaxed(k)).collect(),
        values: m.values.iter().map(|v| v.trim().to_string()).collect(),
    });
    Ok(())
}

/// The settings of a configuration file set to a matcher's value; a
/// placeholder's default (`${LOG_IMPL:…StdOutImpl}`) is what runs when
/// nothing sets it, so it counts.
pub(crate) fn in_config(
    values: &[ConfigValue<'_>],
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    if c.settings.is_empty() || !READS.contains(&f.kind) {
        return;
    }
    for v in values {
        let (value, start) = effective_value(v.value, v.start);
        for m in &c.settings {
            // The value first: most values are no matcher's.
            if m.values.iter().any(|x| x == value)
                && m.keys.contains(&relaxed(&v.key))
                && c.applies(m.rule, f.is_test)
            {
                raw.push(RawFinding {
                    rule: m.rule,
                    start,
                    end: start + value.len(),
                    detail: format!("{} = {value}", v.key),
                    ..RawFinding::default()
                });
            }
        }
    }
}
