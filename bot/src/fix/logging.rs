//! The logging configuration that goes with the logging backend: once a
//! module runs on logback without log4j 1, its `log4j.xml` /
//! `log4j.properties` is never read again (its loggers and levels are
//! lost) and `web.xml` listeners that start log4j fail or do nothing. The
//! configuration is migrated to the standard `logback.xml` and the
//! listeners removed, only in modules whose classpath has logback and no
//! log4j 1.

use std::path::Path;

use podready_analyzer::pom::DependencySection;
use podready_analyzer::text::SourceText;
use podready_analyzer::PomSet;
use podready_maven::{runtime_classpath, Resolution};
use podready_rewriter::logging_config::{
    migrate_log4j_properties, migrate_log4j_xml, web_xml_log4j_removals, LogStandard,
    LoggingConfigError,
};
use podready_rewriter::{apply, FileFix, ManualItem, TextEdit};
use podready_rules::RulePack;
use serde::Serialize;

const LOGBACK: (&str, &str) = ("ch.qos.logback", "logback-classic");
/// log4j 1 and its maintained fork: what reads `log4j.xml`.
const LOG4J1: [(&str, &str); 2] = [("log4j", "log4j"), ("ch.qos.reload4j", "reload4j")];

/// log4j 1 configuration files a module may have, in the order log4j 1
/// looks for them (XML first).
const LOG4J_FILES: [&str; 4] = [
    "src/main/resources/log4j.xml",
    "src/main/resources/log4j.properties",
    "src/main/webapp/WEB-INF/log4j.xml",
    "src/main/webapp/WEB-INF/log4j.properties",
];
const LOGBACK_FILES: [&str; 3] = [
    "src/main/resources/logback.xml",
    "src/main/resources/logback-spring.xml",
    "src/main/resources/logback.groovy",
];
const WEB_XML: &str = "src/main/webapp/WEB-INF/web.xml";

/// One change to a configuration file, for the summary and the MR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigChange {
    pub path: String,
    pub what: String,
    pub why: String,
}

/// What each module runs with, as far as logging goes.
pub struct ModuleLogging {
    /// By pom index: (logback present, log4j 1 present).
    modules: Vec<(bool, bool)>,
}

impl ModuleLogging {
    /// From the resolved classpath when there is one, else from what the
    /// poms (and their parents in the repository) declare.
    pub fn new(set: &PomSet, resolved: Option<&Resolution>) -> ModuleLogging {
        let modules = set
            .project
            .poms
            .iter()
            .enumerate()
            .map(|(p, pom)| {
                let on_classpath = |(g, a): (&str, &str)| match resolved {
                    Some(r) => r
                        .module(pom.effective_group(), pom.artifact())
                        .is_some_and(|t| runtime_classpath(t).contains_key(&format!("{g}:{a}"))),
                    None => set.project.lineage(p).into_iter().any(|q| {
                        set.project.poms[q].dependencies.iter().any(|d| {
                            d.section == DependencySection::Dependencies
                                && d.group() == g
                                && d.artifact() == a
                                && matches!(d.scope(), "compile" | "runtime")
                        })
                    }),
                };
                (on_classpath(LOGBACK), LOG4J1.into_iter().any(on_classpath))
            })
            .collect();
        ModuleLogging { modules }
    }

    fn on_logback_only(&self, p: usize) -> bool {
        self.modules
            .get(p)
            .is_some_and(|&(logback, log4j)| logback && !log4j)
    }
}

/// The files written, the changes made and what is left for a person.
#[derive(Default)]
pub struct MigratedLogging {
    pub files: Vec<FileFix>,
    pub changes: Vec<ConfigChange>,
    pub manual: Vec<ManualItem>,
}

/// Migrates the logging configuration of every module that runs on
/// logback without log4j 1.
pub fn migrate_logging(
    root: &Path,
    set: &PomSet,
    logging: &ModuleLogging,
    pack: &RulePack,
) -> MigratedLogging {
    let mut out = MigratedLogging::default();
    let standard = LogStandard {
        dir: &pack.standard.log_dir,
        pattern: &pack.standard.log_pattern,
    };
    for (p, pom) in set.project.poms.iter().enumerate() {
        if set.is_test[p] || pom.packaging() == "pom" || !logging.on_logback_only(p) {
            continue;
        }
        let dir = pom
            .path
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        let mut module = MigratedLogging::default();
        if migrate_module(root, &dir, &standard, &mut module) {
            out.files.extend(module.files);
            out.changes.extend(module.changes);
        }
        out.manual.extend(module.manual);
    }
    out
}

/// Reads `rel` under `root` when it exists.
fn read(root: &Path, rel: &str) -> Option<SourceText> {
    std::fs::read(root.join(rel))
        .ok()
        .map(|b| SourceText::decode(&b))
}

fn manual(out: &mut MigratedLogging, path: &str, line: usize, reason: String) {
    out.manual.push(ManualItem {
        pom: path.to_string(),
        line,
        artifact: String::new(),
        reason,
    });
}

/// A file that could not be read as what it should be, for a person.
fn refused(out: &mut MigratedLogging, path: &str, e: LoggingConfigError, what: &str) {
    let LoggingConfigError::Malformed { line, message } = e;
    manual(out, path, line, format!("{what}: {message}"));
}

/// One module; `false` means nothing of this module is to be changed (the
/// reason is in `out.manual`).
fn migrate_module(
    root: &Path,
    dir: &str,
    standard: &LogStandard,
    out: &mut MigratedLogging,
) -> bool {
    let found: Vec<(String, SourceText)> = LOG4J_FILES
        .iter()
        .map(|f| format!("{dir}{f}"))
        .filter_map(|rel| read(root, &rel).map(|t| (rel, t)))
        .collect();
    let logback = LOGBACK_FILES
        .iter()
        .map(|f| format!("{dir}{f}"))
        .find(|rel| root.join(rel).is_file());
    if let Some((first, src)) = found.first() {
        match &logback {
            Some(existing) => {
                for (rel, _) in &found {
                    manual(
                        out,
                        rel,
                        1,
                        format!("log4j 1 is no longer on the classpath, so this file is never read; {existing} configures logging: carry over its loggers by hand and delete it"),
                    );
                }
            }
            None => {
                let migrated = if first.ends_with(".xml") {
                    migrate_log4j_xml(&src.text, first, standard)
                } else {
                    migrate_log4j_properties(&src.text, first, standard)
                };
                let migrated = match migrated {
                    Ok(m) => m,
                    Err(e) => {
                        refused(out, first, e, "not migrated to logback.xml");
                        return false;
                    }
                };
                let target = format!("{dir}{}", LOGBACK_FILES[0]);
                for note in migrated.notes {
                    manual(out, &target, 1, note);
                }
                out.files.push(FileFix {
                    path: target.clone(),
                    before: None,
                    bytes: migrated.logback_xml.clone().into_bytes(),
                    after: Some(migrated.logback_xml),
                });
                out.changes.push(ConfigChange {
                    path: target,
                    what: format!("written from {first}: its loggers and levels, file appenders writing under {}", standard.dir),
                    why: "log4j 1 is gone from the classpath; logback reads logback.xml, and business logs go to files in the standard directory and format, never the console.".into(),
                });
                for (rel, src) in &found {
                    out.files.push(FileFix {
                        path: rel.clone(),
                        before: Some(src.text.clone()),
                        after: None,
                        bytes: Vec::new(),
                    });
                    out.changes.push(ConfigChange {
                        path: rel.clone(),
                        what: "deleted".into(),
                        why: "log4j 1 configuration, no longer read; migrated to logback.xml"
                            .into(),
                    });
                }
            }
        }
    }
    let web = format!("{dir}{WEB_XML}");
    if let Some(src) = read(root, &web) {
        let removals = match web_xml_log4j_removals(&src.text) {
            Ok(r) => r,
            Err(e) => {
                refused(out, &web, e, "log4j listeners not looked for");
                return false;
            }
        };
        if !removals.is_empty() {
            let edits: Vec<TextEdit> = removals
                .iter()
                .map(|r| TextEdit {
                    span: r.span.clone(),
                    text: String::new(),
                })
                .collect();
            let Ok(after) = apply(&src.text, &edits) else {
                manual(
                    out,
                    &web,
                    1,
                    "the log4j listeners could not be removed (overlapping elements)".into(),
                );
                return false;
            };
            for r in &removals {
                out.changes.push(ConfigChange {
                    path: web.clone(),
                    what: format!("removed {}", r.what),
                    why: "it starts log4j 1, which is no longer on the classpath; logback configures itself from logback.xml".into(),
                });
            }
            out.files.push(FileFix {
                path: web,
                bytes: src.encode_like(&after),
                before: Some(src.text.clone()),
                after: Some(after),
            });
        }
    }
    true
}
