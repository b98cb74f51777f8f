//! `logback-appender`: logback appenders of the listed classes, or of the
//! repository's own subclasses of them, that a logger uses, and appenders
//! whose `<file>` contains one of the listed texts. Logback configuration
//! is found by content, whatever its name; the Java sources are read for
//! the subclasses (`crate::appender`), settled once every file is read.

use podready_rules::matcher::LogbackAppender;

use super::{Compiled, Invalid};
use crate::finding::{Finding, ProfileSections, RawFinding};
use crate::text::SourceText;
use crate::walk::{FileKind, RepoFile};
use crate::{finish, xml};

pub(super) const READS: &[FileKind] = &[FileKind::Logback, FileKind::Xml, FileKind::Java];

pub(super) fn compile(rule: usize, m: &LogbackAppender, c: &mut Compiled) -> Result<(), Invalid> {
    if c.appender_names.is_empty() {
        c.appender_names.push("Appender".to_string());
    }
    for class in &m.classes {
        let simple = class.rsplit('.').next().unwrap_or(class);
        if !c.appender_names.iter().any(|n| simple.contains(n.as_str())) {
            c.appender_names.push(simple.to_string());
        }
    }
    c.logback
        .push((rule, m.classes.clone(), m.file_contains.clone()));
    if m.spring_boot_default {
        c.spring_boot_default_logging.push(rule);
    }
    Ok(())
}

/// `logback-appender` rules over a logback file: the uses of listed
/// appender classes and of forbidden files go to `raw`; the uses of other
/// classes are returned as (rule, class, finding), settled once every Java
/// file has said which classes are the repository's own subclasses.
pub(crate) fn findings(
    items: &[xml::XmlItem<'_>],
    f: &RepoFile,
    src: &SourceText,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) -> Vec<(usize, String, Finding)> {
    let mut other_classes = Vec::new();
    for (rule, classes, files) in &c.logback {
        if !c.applies(*rule, f.is_test) {
            continue;
        }
        let uses = xml::logback_uses(items, files);
        let at = |u: xml::AppenderUse| RawFinding {
            rule: *rule,
            start: u.start,
            end: u.end,
            detail: u.detail,
            beside_file: u.copied_to,
            profile_sections: (!u.used_in.is_empty()).then(|| ProfileSections {
                used_in: u.used_in,
                in_file: uses.sections.clone(),
            }),
            ..RawFinding::default()
        };
        for (class, u) in uses.appenders {
            if classes.iter().any(|listed| listed == class) {
                raw.push(at(u));
            } else {
                for finding in finish(&f.rel, src, vec![at(u)], c) {
                    other_classes.push((*rule, class.to_string(), finding));
                }
            }
        }
        raw.extend(uses.forbidden_files.into_iter().map(at));
    }
    other_classes
}
