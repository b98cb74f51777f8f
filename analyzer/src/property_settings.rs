//! Conditions no configuration meets: code under `@ConditionalOnProperty`
//! (see `java::conditions`) whose property the repository's Spring
//! configuration never sets as the condition asks. Any sign that the
//! value comes from elsewhere keeps the code running: the property named
//! in any other file (a Dockerfile's `-D`, a script, a manifest's
//! environment, in any spelling Spring's relaxed binding accepts), a
//! placeholder for its value, or a configuration center. A configuration
//! location given at start (`SPRING_CONFIG_LOCATION=…,file:/home/app/`)
//! is not such a sign: what the repository ships is what the pod runs
//! with, as everywhere else in the analysis. A condition that matches a
//! missing property (`matchIfMissing`) is not looked at.

use std::collections::{BTreeSet, HashMap};

use crate::config;
use crate::java::conditions::{ConditionedCode, PropertyCondition};
use crate::walk::{FileKind, RepoFile};
use crate::FileResult;

/// Conditioned code whose condition no configuration meets.
pub(crate) struct OffCode {
    pub lines: (usize, usize),
    /// See [`ConditionedCode::makes`].
    pub makes: Vec<(String, usize)>,
    pub place: String,
    /// Why the condition is never met, for a finding's message.
    pub why: String,
}

/// What serves the configuration from outside the repository's files.
const OUTSIDE_SOURCES: [&str; 5] = [
    "spring.cloud.nacos.config",
    "spring.cloud.config",
    "spring.config.import",
    "nacos.config",
    "apollo.meta",
];

/// By file index, its conditioned code no configuration of the repository
/// runs. Files are read only when a main source states a condition.
pub(crate) fn off_code(
    results: &[(usize, FileResult)],
    files: &[RepoFile],
    max_file_size: u64,
) -> HashMap<usize, Vec<OffCode>> {
    let conditioned: Vec<(usize, &ConditionedCode)> = results
        .iter()
        .filter(|(i, _)| !files[*i].is_test)
        .flat_map(|(i, r)| r.conditioned.iter().map(move |c| (*i, c)))
        .filter(|(_, c)| !c.condition.match_if_missing)
        .collect();
    if conditioned.is_empty() {
        return HashMap::new();
    }
    let names: BTreeSet<String> = conditioned
        .iter()
        .flat_map(|(_, c)| &c.condition.names)
        .map(|n| squeezed(n))
        .collect();
    let Some(settings) = Settings::read(files, max_file_size, &names) else {
        return HashMap::new();
    };
    let mut off: HashMap<usize, Vec<OffCode>> = HashMap::new();
    for (file, code) in conditioned {
        if let Some(why) = settings.unmet(&code.condition) {
            off.entry(file).or_default().push(OffCode {
                lines: code.lines,
                makes: code.makes.clone(),
                place: code.place.clone(),
                why,
            });
        }
    }
    off
}

/// A property's name as every spelling of it compares (`os-type`,
/// `osType`, `OS_TYPE`, `project.iaas.ostype` → `projectiaasostype`).
fn squeezed(name: &str) -> String {
    config::relaxed(name).replace('.', "")
}

/// What the repository's files set the conditions' properties to.
struct Settings {
    /// By squeezed name: the values Spring's configuration sets, as
    /// written.
    values: HashMap<String, Vec<String>>,
    /// Squeezed names that may be set where this cannot read the value.
    elsewhere: BTreeSet<String>,
}

impl Settings {
    /// `None` when the configuration may come from outside the repository.
    fn read(files: &[RepoFile], max_file_size: u64, names: &BTreeSet<String>) -> Option<Settings> {
        let mut settings = Settings {
            values: HashMap::new(),
            elsewhere: BTreeSet::new(),
        };
        let outside: Vec<String> = OUTSIDE_SOURCES.iter().map(|s| squeezed(s)).collect();
        let read = files.iter().filter(|f| {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            !f.is_test
                && !matches!(f.kind, FileKind::Java | FileKind::Pom)
                && (f.kind != FileKind::Template || crate::deployed::starts_a_process(name))
                && !is_documentation(&f.rel)
        });
        for f in read {
            let Ok(text) = crate::read_text(f, max_file_size) else {
                continue;
            };
            let text = text.text.as_str();
            let values = match f.kind {
                FileKind::Properties => config::properties(text),
                FileKind::Yaml => config::yaml(text),
                _ => {
                    // Any other file holding a name passes it to Spring.
                    let squeezed_text = squeezed(text);
                    if outside.iter().any(|o| squeezed_text.contains(o.as_str())) {
                        return None;
                    }
                    settings.elsewhere.extend(
                        names
                            .iter()
                            .filter(|n| squeezed_text.contains(n.as_str()))
                            .cloned(),
                    );
                    continue;
                }
            };
            for v in &values {
                let key = squeezed(&v.key);
                if outside.iter().any(|o| key.starts_with(o.as_str())) {
                    return None;
                }
                let value = v.value.trim();
                if names.contains(&key) {
                    if value.contains("${") {
                        settings.elsewhere.insert(key.clone());
                    }
                    settings
                        .values
                        .entry(key.clone())
                        .or_default()
                        .push(value.trim_matches(['"', '\'']).to_string());
                }
                // A manifest's or Compose file's environment
                // (`FTP_ENABLE: "true"`), an argument in a value.
                let last = v.key.rsplit('.').next().unwrap_or(&v.key);
                let squeezed_value = squeezed(value);
                settings.elsewhere.extend(
                    names
                        .iter()
                        .filter(|n| {
                            (squeezed(last) == **n && key != **n)
                                || squeezed_value.contains(n.as_str())
                        })
                        .cloned(),
                );
            }
        }
        Some(settings)
    }

    /// Why no configuration meets `condition`; `None` when one may.
    fn unmet(&self, condition: &PropertyCondition) -> Option<String> {
        let asked = |name: &str| {
            if condition.having_value.is_empty() {
                format!("`{name}` is set to anything but `false`")
            } else {
                format!("`{name}` is `{}`", condition.having_value)
            }
        };
        condition.names.iter().find_map(|name| {
            let key = squeezed(name);
            if self.elsewhere.contains(&key) {
                return None;
            }
            let values = self.values.get(&key).map(Vec::as_slice).unwrap_or_default();
            let meets = |value: &String| {
                if condition.having_value.is_empty() {
                    !value.eq_ignore_ascii_case("false")
                } else {
                    value.eq_ignore_ascii_case(&condition.having_value)
                }
            };
            if values.iter().any(meets) {
                return None;
            }
            let set = if values.is_empty() {
                "no file of the repository sets it".to_string()
            } else {
                let mut distinct: Vec<&str> = values.iter().map(String::as_str).collect();
                distinct.sort_unstable();
                distinct.dedup();
                let shown: Vec<String> = distinct.iter().map(|v| format!("`{v}`")).collect();
                format!(
                    "the repository's configuration sets it only to {}",
                    shown.join(", ")
                )
            };
            Some(format!(
                "a bean Spring makes only when {} (`@ConditionalOnProperty`), and {set}",
                asked(name)
            ))
        })
    }
}

/// Documentation names a property to explain it, not to set it (any
/// page or text besides what the name search counts as documentation),
/// and so does the metadata a build generates for IDEs
/// (`META-INF/spring-configuration-metadata.json`).
fn is_documentation(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    crate::unreferenced::is_documentation(rel)
        || [".txt", ".html", "configuration-metadata.json"]
            .iter()
            .any(|e| lower.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unmet(files: &[(&str, &str)], condition: &PropertyCondition) -> Option<String> {
        let bytes: Vec<(&str, &[u8])> = files.iter().map(|(rel, t)| (*rel, t.as_bytes())).collect();
        let (_dir, files) = crate::walk::written_files(&bytes);
        let names = condition.names.iter().map(|n| squeezed(n)).collect();
        Settings::read(&files, 1 << 20, &names)?.unmet(condition)
    }

    fn qiniu() -> PropertyCondition {
        PropertyCondition {
            names: vec!["project.iaas.ostype".into()],
            having_value: "qiniu".into(),
            match_if_missing: false,
        }
    }

    #[test]
    fn a_value_no_configuration_sets_is_unmet_in_any_spelling() {
        let prod = (
            "app/src/main/resources/application-prod.yml",
            "project:\n  iaas:\n    os-type: blossom\n",
        );
        let why = unmet(&[prod], &qiniu()).expect("unmet");
        assert!(why.contains("sets it only to `blossom`"), "{why}");
        let dev = (
            "app/src/main/resources/application-dev.properties",
            "project.iaas.osType=QINIU\n",
        );
        assert_eq!(unmet(&[prod, dev], &qiniu()), None);
        let ftp = PropertyCondition {
            names: vec!["ftp.enable".into()],
            having_value: String::new(),
            match_if_missing: false,
        };
        let why = unmet(&[prod], &ftp).expect("unmet");
        assert!(why.contains("no file of the repository sets it"), "{why}");
        assert_eq!(
            unmet(&[("application.yml", "ftp:\n  enable: yes\n")], &ftp),
            None
        );
        assert!(unmet(&[("application.yml", "ftp:\n  enable: false\n")], &ftp).is_some());
    }

    #[test]
    fn a_value_that_may_come_from_elsewhere_meets_the_condition() {
        let prod = (
            "application.yml",
            "project:\n  iaas:\n    ostype: blossom\n",
        );
        for other in [
            (
                "Dockerfile",
                "ENTRYPOINT java -Dproject.iaas.ostype=qiniu -jar app.jar\n",
            ),
            ("deploy/env.sh", "export PROJECT_IAAS_OSTYPE=qiniu\n"),
            (
                "docker-compose.yml",
                "services:\n  app:\n    environment:\n      PROJECT_IAAS_OSTYPE: qiniu\n",
            ),
            ("k8s/app.yml", "args: [\"--project.iaas.os-type=qiniu\"]\n"),
            (
                "application-k8s.yml",
                "project:\n  iaas:\n    ostype: ${OSTYPE:blossom}\n",
            ),
            (
                "bootstrap.yml",
                "spring:\n  cloud:\n    nacos:\n      config:\n        server-addr: nacos:8848\n",
            ),
        ] {
            assert_eq!(unmet(&[prod, other], &qiniu()), None, "{other:?}");
        }
        // Documentation explains a switch; it sets nothing. A folder for
        // more configuration holds what the repository ships.
        let readme = (
            "README.md",
            "Set `project.iaas.ostype=qiniu` to store on Qiniu.\n",
        );
        let location = (
            "Dockerfile",
            "ENV SPRING_CONFIG_LOCATION=optional:file:/home/bl/\n",
        );
        for other in [readme, location] {
            assert!(unmet(&[prod, other], &qiniu()).is_some(), "{other:?}");
        }
    }
}
