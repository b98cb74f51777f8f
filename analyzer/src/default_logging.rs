//! Spring Boot's default logging: an application that gives logback no
//! configuration of its own (no logback file on its classpath, no
//! `logging.config`) and sets no log file runs the configuration Spring
//! Boot builds, whose one appender is the console. Worked out once every
//! file is read: a configuration file of any module on the application's
//! classpath, or a start file of the repository, may give it one.

use std::collections::HashSet;

use crate::config::{relaxed, ConfigValue};
use crate::deployed::{declares_any, starts_a_process, Deployment};
use crate::finding::RawFinding;
use crate::matchers::Compiled;
use crate::pom::Project;
use crate::walk::{FileKind, RepoFile};
use crate::Options;

/// The Spring settings, in their relaxed form, that give logback a
/// configuration file or Spring Boot's default configuration a log file.
const LOGGING_KEYS: [&str; 5] = [
    "logging.config",
    "logging.file.name",
    "logging.file.path",
    "logging.file",
    "logging.path",
];

/// The same settings as a command line, an environment or a manifest
/// gives them (`-Dlogging.config=…`, `--logging.file.name=…`,
/// `LOGGING_CONFIG`), and logback's own system property.
const LOGGING_MARKERS: [&str; 7] = [
    "logging.config",
    "logging.file",
    "logging.path",
    "LOGGING_CONFIG",
    "LOGGING_FILE",
    "LOGGING_PATH",
    "logback.configurationFile",
];

/// The settings, in their relaxed form, that take the application's
/// configuration from a configuration server (Nacos, Spring Cloud
/// Config, Apollo, Consul, ZooKeeper), which may set the logging ones.
const CONFIG_SERVER_KEYS: [&str; 7] = [
    "spring.cloud.nacos.config.",
    "spring.cloud.config.uri",
    "spring.cloud.config.discovery.",
    "spring.cloud.consul.config.",
    "spring.cloud.zookeeper.config.",
    "apollo.",
    "app.id",
];

/// The imports of `spring.config.import` that read a configuration server.
const CONFIG_SERVER_IMPORTS: [&str; 5] =
    ["nacos:", "configserver:", "apollo", "consul:", "zookeeper:"];

/// Whether a Spring configuration file (its values) may set one of the
/// logging settings: it sets one, by key or in a value that hands them
/// on (a manifest's `JAVA_OPTS: -Dlogging.config=…`, an environment
/// variable's name), or takes the configuration from a server, which may.
pub(crate) fn may_set_logging(values: &[ConfigValue<'_>]) -> bool {
    values.iter().any(|v| {
        let key = relaxed(&v.key);
        LOGGING_MARKERS.iter().any(|m| v.value.contains(m))
            || LOGGING_KEYS.iter().any(|k| {
                key.strip_suffix(k)
                    .is_some_and(|above| above.is_empty() || above.ends_with('.'))
            })
            || CONFIG_SERVER_KEYS
                .iter()
                .any(|k| key.starts_with(k) || key == k.trim_end_matches('.'))
            || (key == "spring.config.import"
                && CONFIG_SERVER_IMPORTS.iter().any(|i| v.value.contains(i)))
    })
}

/// Whether the walk names a file logback's configuration wherever it lies
/// (`logback-spring.xml`: [`FileKind::Logback`]), or it is logback's Groovy
/// configuration.
fn named_for_logback(f: &RepoFile) -> bool {
    f.kind == FileKind::Logback
        || f.rel
            .rsplit('/')
            .next()
            .is_some_and(|name| name.eq_ignore_ascii_case("logback.groovy"))
}

/// The applications that run Spring Boot's default logging, as findings
/// of the rules that report it, each on its module's pom (`(pom, raw)`):
/// at Spring Boot's plugin there, else at the module's `<artifactId>`.
/// An application is a war, or a jar Spring Boot's plugin packs whose
/// module holds a `main()` starting Spring Boot (`launchers`: a starter
/// library with the plugin by mistake starts nothing). `configuring`:
/// the files, read already, that configure logging (a logback file found
/// by content, a Spring file setting a logging key). Not an application
/// with one of the `[check] logging_libraries` on its classpath.
pub(crate) fn findings(
    project: &Project,
    deployment: &Deployment,
    files: &[RepoFile],
    launchers: &[&str],
    configuring: &HashSet<&str>,
    c: &Compiled,
    options: &Options,
) -> Vec<(usize, RawFinding)> {
    if c.spring_boot_default_logging.is_empty() {
        return Vec::new();
    }
    let configured: Vec<&str> = files
        .iter()
        .filter(|f| !f.is_test && (configuring.contains(f.rel.as_str()) || named_for_logback(f)))
        .map(|f| f.rel.as_str())
        .collect();
    let unconfigured: Vec<usize> = deployment
        .applications()
        .iter()
        .filter_map(|classpath| {
            let module = *classpath.first()?;
            let launched = launchers
                .iter()
                .any(|p| deployment.module_of(p) == Some(module));
            let application = match project.application_kind(module) {
                Some("war") => true,
                Some("Spring Boot") => launched,
                _ => false,
            };
            // A file outside every module, or of a module no application
            // runs (a distribution's `production.yml`, a
            // `config/application.yml` put beside the jar), may be read by
            // whichever application runs there; another application's own
            // is not.
            let has_configuration = || {
                configured.iter().any(|rel| {
                    deployment.module_of(rel).is_none_or(|m| {
                        classpath.contains(&m)
                            || !deployment.applications().iter().any(|a| a.contains(&m))
                    })
                })
            };
            (application
                && project.spring_boot_major(module).is_some()
                && !declares_any(classpath, project, &options.logging_libraries)
                && deployment
                    .logback_unbound(module, project, &c.logging_routes)
                    .is_none()
                && !has_configuration())
            .then_some(module)
        })
        .collect();
    // A start file setting it (a Dockerfile's `-Dlogging.config`, a
    // script's `--logging.file.name`) may start any of them: read only
    // when one is left.
    if unconfigured.is_empty()
        || files
            .iter()
            .filter(|f| !f.is_test && starts_a_process(f.rel.rsplit('/').next().unwrap_or(&f.rel)))
            .filter_map(|f| crate::read_text(f, options.max_file_size).ok())
            .any(|src| LOGGING_MARKERS.iter().any(|m| src.text.contains(m)))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for module in unconfigured {
        let pom = &project.poms[module];
        let at = pom
            .plugins
            .iter()
            .find(|p| p.artifact() == "spring-boot-maven-plugin")
            .and_then(|p| p.artifact_id.as_ref())
            .or(pom.artifact_id.as_ref())
            .map_or(0..0, |a| a.span.clone());
        for &rule in &c.spring_boot_default_logging {
            out.push((
                module,
                RawFinding {
                    rule,
                    start: at.start,
                    end: at.end,
                    detail: format!(
                        "Spring Boot's default logging configuration, which `{}` runs (no logback file on its classpath, no `logging.config` and no log file set),",
                        pom.artifact()
                    ),
                    ..RawFinding::default()
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    #[test]
    fn a_logging_setting_by_key_handed_on_in_a_value_or_from_a_server() {
        assert!(may_set_logging(&config::properties(
            "logging.file.name=/app/logs/order.log\n"
        )));
        assert!(may_set_logging(&config::yaml(
            "logging:\n  config: classpath:log/app.xml\n"
        )));
        assert!(may_set_logging(&config::yaml(
            "env:\n  - name: LOGGING_CONFIG\n    value: /etc/order/logback.xml\n"
        )));
        assert!(may_set_logging(&config::yaml(
            "env:\n  JAVA_OPTS: -Dlogging.config=/etc/order/logback.xml\n"
        )));
        assert!(may_set_logging(&config::yaml(
            "spring:\n  cloud:\n    nacos:\n      config:\n        server-addr: nacos:8848\n"
        )));
        assert!(may_set_logging(&config::properties(
            "spring.config.import=optional:configserver:http://config:8888\n"
        )));
        assert!(!may_set_logging(&config::properties(
            "logging.level.root=INFO\nlogging.pattern.console=%msg%n\nspring.config.import=classpath:extra.yml\n"
        )));
    }

    #[test]
    fn logback_files_by_name() {
        let file = |rel: &str| RepoFile {
            rel: rel.to_string(),
            abs: rel.into(),
            kind: crate::walk::kind_of(rel.rsplit('/').next().unwrap_or(rel))
                .unwrap_or(FileKind::Template),
            is_test: false,
        };
        assert!(named_for_logback(&file(
            "order-web/src/main/resources/logback-spring.xml"
        )));
        assert!(named_for_logback(&file("conf/logback.groovy")));
        assert!(!named_for_logback(&file("conf/log4j2.xml")));
        assert!(!named_for_logback(&file("docs/logback.md")));
    }
}
