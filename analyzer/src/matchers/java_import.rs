//! `java-import`: imports from, or fully qualified uses of, these packages.
//! It runs in the Java walk (`crate::java::imports`), settled once the file
//! is walked.

use podready_rules::matcher::{in_package, JavaImport};

use super::{non_empty, Compiled, Invalid};
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = &[FileKind::Java];

pub(super) fn compile(rule: usize, m: &JavaImport, c: &mut Compiled) -> Result<(), Invalid> {
    for p in non_empty("packages", &m.packages)? {
        if let Some(root) = p.split('.').next() {
            c.import_roots.insert(root.to_string());
        }
    }
    for e in &m.except {
        if !m.packages.iter().any(|p| e.starts_with(&format!("{p}."))) {
            return Err(Invalid::new(
                "except",
                format!("`{e}` is not under any of `packages`, so it leaves nothing out"),
            ));
        }
    }
    c.imports.push(ImportMatcher {
        rule,
        packages: m.packages.clone(),
        except: m.except.clone(),
    });
    Ok(())
}

/// A compiled `java-import` matcher.
#[derive(Debug)]
pub struct ImportMatcher {
    pub rule: usize,
    pub packages: Vec<String>,
    pub except: Vec<String>,
}

impl ImportMatcher {
    /// The listed package a fully qualified name (`org.apache.log4j.Logger`,
    /// or a package on its own) is in, unless it is in a left-out one.
    pub fn package_of(&self, name: &str) -> Option<&str> {
        if self.except.iter().any(|e| in_package(name, e)) {
            return None;
        }
        self.packages
            .iter()
            .find(|p| in_package(name, p))
            .map(String::as_str)
    }
}
