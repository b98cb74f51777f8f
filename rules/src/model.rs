//! The rule model: what a rule is, how it is documented, and the matchers
//! the analyzer knows how to run. Everything here is plain data, read from
//! TOML, so that a repository or a platform team can add rules without code.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::matcher::Matcher;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected info, warning or error)"
            )),
        }
    }
}

/// Which sources a rule looks at. Test code never runs in a pod, so the
/// built-in rules only look at main sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Main,
    All,
}

/// The rule categories; a rule id starts with one of them. The four the
/// product is about (a pod's host, its logs, its deployment, its SDKs),
/// and `podready` for what the tool says about its own run.
pub const CATEGORIES: [&str; 5] = ["host", "logging", "deploy", "sdk", "podready"];

/// The documentation of a rule, in the shape ruff uses: what it finds, why
/// that breaks in a container, what to do instead, and an example.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// One line for the rule tables (the README, `podready rules`).
    #[serde(default)]
    pub summary: String,
    pub what: String,
    pub why: String,
    pub instead: String,
    #[serde(default)]
    pub example: String,
}

/// One rule: an id, how bad it is, what to say, and how to find it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// The finding's message. `{detail}` is replaced by what the matcher saw
    /// (the call, the address, the file name, the version).
    pub message: String,
    /// What the developer should do instead, in a container.
    pub remediation: String,
    pub doc: RuleDoc,
    /// The severity of a finding whose value only reaches a log call, an
    /// exception message or `toString()` (it breaks nothing in a pod);
    /// unset, such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_logged: Option<Severity>,
    /// The severity of a finding in command-line code — a `main()` method,
    /// or a module named as a command-line tool — where it is the
    /// program's user interface; unset, such findings keep the rule's
    /// severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_line: Option<Severity>,
    /// The severity of a finding in code only a command-line program runs
    /// — the command's own places beyond `main()`, a class only such
    /// programs use, a program no file names, a command-line interface's
    /// package — where it concerns that program, not the service; unlike
    /// `command_line`, not a `main()` or what only it reaches (a server's
    /// sets up its logging there), a shell's command (it runs in the
    /// service's process), a module named as a tool (a release's scripts
    /// may start its programs as the service) nor a Java agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_program: Option<Severity>,
    /// The severity of a finding in an adapter module: a library that
    /// leaves the logging backends the pack lists (the pom-dependency
    /// artifacts of the rules with this field) to the applications using
    /// it, `provided` or `<optional>`, so that they reach an application
    /// only if it chooses them; unset, such findings keep the rule's
    /// severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adapter: Option<Severity>,
    /// The severity of a finding in the project's own logging code (the
    /// pack's `logging_code`), which cannot log through itself; unset,
    /// such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logging_code: Option<Severity>,
    /// The severity of a host lookup in a package extending a logging
    /// framework (the pack's `logging_code` extension points: a layout, a
    /// converter, an appender):
    /// what it finds goes into log lines, to say where they came from;
    /// unset, such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_layout: Option<Severity>,
    /// The severity of console output in a class named for it (`StdOutIndexer`,
    /// `SysoutSink`) or for debugging (`DebugParseFilter`): printing is
    /// what the class is for, and a person picks it in a configuration;
    /// unset, such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_class: Option<Severity>,
    /// The severity of a finding in a file outside every module that
    /// builds something (its nearest pom is an aggregator): no artifact
    /// ships it; unset, such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_modules: Option<Severity>,
    /// The severity of a finding of a legacy logging API that every
    /// application running the file's code routes to SLF4J and logback
    /// (the pack's `logging_routes`): its logs already reach the standard
    /// pipeline; unset, such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridged: Option<Severity>,
    /// The severity of a finding of a logging backend that a bridge on the
    /// same classpath of every application running the module outranks
    /// (log4j-core beside log4j-to-slf4j, with logback: the pack's
    /// `logging_routes`): the API's logs never reach it; unset, such
    /// findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outranked: Option<Severity>,
    /// The severity of a finding of a dependency no build of the
    /// repository packages: `provided` where no Spring Boot jar (which
    /// packs those too) is made of its module or of one inheriting its
    /// dependencies, or declared only in a profile nothing activates;
    /// unset, such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpackaged: Option<Severity>,
    /// The severity of a finding in code written for Kubernetes (it uses
    /// the Kubernetes API or reads a variable only a pod has, `POD_NAME`),
    /// where the host name is the pod's own name; unset, such findings
    /// keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_code: Option<Severity>,
    /// The severity of a finding in a script no pod's definition runs
    /// (no Dockerfile, manifest or Compose file names it): a VM's, which
    /// the platform's deploy spec replaces; unset, such findings keep the
    /// rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unstarted_script: Option<Severity>,
    /// The severity of a finding in code that never runs: a catch block
    /// of an exception thrown only for a charset or an algorithm the JVM
    /// may lack, around one every JVM has, or a branch a `static final`
    /// flag set to `false` switches off; unset, such findings keep the
    /// rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_runs: Option<Severity>,
    /// The severity of a finding in code that runs once, when the
    /// application starts (a Spring runner's `run`, a listener of
    /// `ApplicationReadyEvent`): a start-up notice, not the business's
    /// logs; unset, such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_up: Option<Severity>,
    /// The severity of console output that repeats what a logger beside
    /// it records (a catch that logs the exception it also prints); unset,
    /// such findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also_logged: Option<Severity>,
    /// The severity of a console appender whose every user also writes
    /// the same events to a file appender (`<appender-ref>`s side by
    /// side): the files hold them; unset, such findings keep the rule's
    /// severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beside_file: Option<Severity>,
    /// The severity of a finding in the configuration of a profile meant
    /// for a developer's machine (`application-dev.yml`,
    /// `order-local.properties`, `logback-dev.xml`), which no pod runs with; unset, such
    /// findings keep the rule's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_profile: Option<Severity>,
    /// The severity of a finding in a placeholder's default whose
    /// environment variable the repository's deployment files set
    /// (`${ZOOKEEPER_URL:localhost:2181}`), which no pod runs with; unset,
    /// such findings keep the rule's severity (a port the deployment
    /// gives may be no standard one either).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_default: Option<Severity>,
    #[serde(rename = "matcher")]
    pub matchers: Vec<Matcher>,
}

fn enabled_by_default() -> bool {
    true
}

impl Rule {
    /// The message with `{detail}` filled in.
    pub fn message_for(&self, detail: &str) -> String {
        self.message.replace("{detail}", detail)
    }

    pub fn category(&self) -> &str {
        self.id.split('/').next().unwrap_or_default()
    }
}

/// Maven coordinates without a version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    pub group: String,
    pub artifact: String,
}

impl fmt::Display for Artifact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.group, self.artifact)
    }
}

/// A dependency that replaces another one, at a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    pub group: String,
    pub artifact: String,
    /// `None`: the version the replaced dependency is given, as written
    /// (or none where it has none): an artifact of the same release, as
    /// one Spring Boot starter for another.
    #[serde(default)]
    pub version: Option<String>,
}

/// A BOM at the version that manages an SDK's target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bom {
    pub group: String,
    pub artifact: String,
    pub version: String,
}

/// One row of the SDK table: the first container-ready version of an SDK
/// and the version the bot upgrades to, or the artifacts that replace it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkEntry {
    pub group: String,
    pub artifact: String,
    /// The first version that works in a container. Absent for an SDK that
    /// has none and must be replaced.
    #[serde(default)]
    pub min_version: Option<String>,
    /// The version the bot upgrades to (at or above `min_version`).
    #[serde(default)]
    pub target_version: Option<String>,
    /// Artifacts that replace this one (log4j 1 → SLF4J + logback).
    #[serde(default)]
    pub replace_with: Vec<Replacement>,
    /// The BOM that manages this SDK, at the version that brings the
    /// target. An imported BOM is upgraded only when it is this one;
    /// otherwise the bot reports that the version comes from a BOM.
    #[serde(default)]
    pub bom: Option<Bom>,
    /// BOMs from outside the repository (`group:artifact`) known not to
    /// manage this SDK (Spring Boot's `spring-boot-dependencies` does not
    /// manage Dubbo): the version is looked for in the BOMs imported after
    /// them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_managed_by: Vec<String>,
    /// Other artifacts released together with this SDK, which must run at
    /// the same version (`group:artifact`, `*` matching any run of
    /// characters in the artifact): when the SDK is upgraded, every member
    /// found in the repository is aligned to `target_version` too.
    #[serde(default)]
    pub family: Vec<String>,
    /// What `fix` does when an old version arrives transitively (through
    /// another dependency): pin the target in `<dependencyManagement>`
    /// (only when the target is compatible with what brings it), or
    /// report it for a person with the path.
    #[serde(default)]
    pub transitive: TransitivePolicy,
    /// Why the minimum is what it is, for the merge request and `explain`.
    pub why: String,
}

/// See [`SdkEntry::transitive`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransitivePolicy {
    Pin,
    #[default]
    Report,
}

/// A run-time pairing Maven does not enforce: when `when` is on the
/// classpath at a version in `versions`, `needs` must be in
/// `needs_versions`, else `fix` pins it to `pin` (logback-classic 1.2
/// binds only SLF4J 1.7; with SLF4J 2 the application logs nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClasspathRequirement {
    /// `group:artifact`.
    pub when: String,
    /// A Maven version range, e.g. `[1.2,1.3)`.
    pub versions: String,
    /// `group:artifact`.
    pub needs: String,
    pub needs_versions: String,
    pub pin: String,
    pub why: String,
}

impl SdkEntry {
    /// Whether `group:artifact` is a member of this SDK's family.
    pub fn has_member(&self, group: &str, artifact: &str) -> bool {
        self.family.iter().any(|pattern| {
            let (g, a) = pattern.split_once(':').unwrap_or(("", pattern));
            g == group && glob_match(a, artifact)
        })
    }

    pub fn artifact_key(&self) -> Artifact {
        Artifact {
            group: self.group.clone(),
            artifact: self.artifact.clone(),
        }
    }
}

/// `*` matches any run of characters; everything else literally.
fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    if parts.len() == 1 {
        return pattern == text;
    }
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The deploy standard every application follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeployStandard {
    /// The one HTTP port every application listens on.
    pub http_port: u16,
    /// The one path every application is deployed under.
    pub deploy_path: String,
    /// The only hook names a deploy spec may use.
    pub hooks: Vec<String>,
    /// The health-check path used when the app has no actuator.
    pub default_health_path: String,
    /// Where business logs are written in the pod (logback's `LOG_DIR`).
    #[serde(default = "default_log_dir")]
    pub log_dir: String,
    /// The one logback pattern every application logs with.
    #[serde(default = "default_log_pattern")]
    pub log_pattern: String,
}

fn default_log_dir() -> String {
    "/app/logs".into()
}

fn default_log_pattern() -> String {
    "%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %-5level %logger{50} - %msg%n".into()
}

/// A kind of middleware and the artifacts that mean an app uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MiddlewareKind {
    pub kind: String,
    pub artifacts: Vec<String>,
}

/// Known return types of library methods, so that a call chain such as
/// `Runtime.getRuntime().exec(..)` resolves to `java.lang.Runtime.exec`.
pub type ReturnTypes = BTreeMap<String, String>;

/// How `podready upgrade` verifies a repository (`[upgrade]` in
/// `podready.toml` or a fleet file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpgradeSettings {
    /// The build command run on the upgraded tree.
    #[serde(default)]
    pub verify: Option<String>,
    #[serde(default)]
    pub verify_timeout_seconds: Option<u64>,
}

/// Settings of the `check` gate that a repository sets in `podready.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    #[serde(default)]
    pub fail_on: Option<Severity>,
    /// Globs (relative to the repository root) of paths not to scan.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this are skipped and reported.
    #[serde(default)]
    pub max_file_size: Option<u64>,
    /// Extra test source roots, beside `src/test/**`.
    #[serde(default)]
    pub test_roots: Vec<String>,
    /// The modules that run in pods (directories or artifactIds); unset,
    /// they are found from deploy specs and builds.
    #[serde(default)]
    pub deployed: Vec<String>,
    /// Libraries (`groupId:artifactId`) that bring an application its
    /// logging configuration from outside the repository (a company's base
    /// starter shipping `logback-spring.xml`): with one on its classpath, a
    /// Spring Boot application does not run Boot's console-only default.
    #[serde(default)]
    pub logging_libraries: Vec<String>,
    /// Where the rule pages (`docs/rules/<id>.md`) are published, an
    /// absolute URL: SARIF links each rule to `<docs_url>/<id>.md`.
    #[serde(default)]
    pub docs_url: Option<String>,
}
