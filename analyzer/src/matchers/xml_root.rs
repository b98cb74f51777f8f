//! `xml-root`: XML files (other than poms) whose root element, and the
//! child it must have, is one of these, whatever the file is called.

use podready_rules::matcher::XmlRoot;

use super::{non_empty, Compiled, Invalid};
use crate::finding::RawFinding;
use crate::walk::{FileKind, RepoFile};
use crate::xml;

pub(super) const READS: &[FileKind] = &[FileKind::Xml, FileKind::Logback];

pub(super) fn compile(rule: usize, m: &XmlRoot, c: &mut Compiled) -> Result<(), Invalid> {
    if non_empty("roots", &m.roots)?
        .iter()
        .any(|r| r.element.trim().is_empty())
    {
        return Err(Invalid::new("roots", "a root needs an `element` name"));
    }
    c.xml_roots.push((rule, m.roots.clone()));
    Ok(())
}

/// `xml-root` rules over an XML file; a file its name already reports is
/// reported once.
pub(crate) fn findings(
    items: &[xml::XmlItem<'_>],
    name: &str,
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    let Some((root, start)) = xml::root_element(items) else {
        return;
    };
    for (rule, roots) in &c.xml_roots {
        let matched = roots.iter().any(|r| {
            r.is_element(root)
                && (r.child.is_none() || xml::root_has_child(items, &|n| r.is_child(n)))
        });
        if matched && c.applies(*rule, f.is_test) && !raw.iter().any(|r| r.rule == *rule) {
            raw.push(RawFinding {
                rule: *rule,
                start,
                end: start + 1 + root.len(),
                detail: name.to_string(),
                ..RawFinding::default()
            });
        }
    }
}
