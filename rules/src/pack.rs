//! The rule pack: the built-in rules, the SDK table and the deploy standard,
//! plus the overrides a repository (`podready.toml`) or a user (`--rules`)
//! layers on top.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::matcher::in_package;
use crate::model::{
    CheckSettings, ClasspathRequirement, DeployStandard, MiddlewareKind, ReturnTypes, Rule, Scope,
    SdkEntry, Severity, UpgradeSettings, CATEGORIES,
};
use crate::position::{floor_char_boundary, line_col};

/// The files of the built-in pack, embedded in the binary (the build
/// script lists `pack/`).
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_pack.rs"));

/// An error in a rule pack or rules file. Each variant renders as one line
/// that names the file, the place and, where known, the rule and field.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("cannot read rules file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {}{message}", path.display(), in_rule(rule))]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        rule: Option<String>,
        message: String,
    },
    #[error("{}{}: rule `{rule}`, field `{field}`: {message}", path.display(), at_line(*line))]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        rule: String,
        field: String,
        message: String,
    },
}

fn in_rule(rule: &Option<String>) -> String {
    rule.as_ref()
        .map(|r| format!("in rule `{r}`: "))
        .unwrap_or_default()
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

/// The built-in standard file: the deploy standard and the return-type table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardFile {
    standard: DeployStandard,
    returns: ReturnTypes,
    middleware: Vec<MiddlewareKind>,
    legacy_hooks: BTreeMap<String, Vec<String>>,
    logging_code: LoggingCode,
    developer_tools: DeveloperTools,
    logging_routes: LoggingRoutes,
    client_keys: Vec<ClientKeys>,
}

/// What makes a package the project's own logging code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingCode {
    /// Logging frameworks' types a logging implementation extends or
    /// implements, fully qualified.
    pub extension_points: Vec<String>,
}

/// What marks code a developer or an operator runs rather than a pod.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeveloperTools {
    /// Code generators that write source files: packages or classes.
    pub code_generators: Vec<String>,
    /// Interactive shells' command APIs, packages or classes: a class
    /// using one is a command an operator types in the shell.
    pub shell_commands: Vec<String>,
    /// Command-line parsers' parsed command lines, fully qualified: a
    /// method handed one is part of a command.
    pub parsed_command_lines: Vec<String>,
    /// Annotations, fully qualified, that declare a class a command a
    /// person runs (picocli's `@Command`).
    #[serde(default)]
    pub command_annotations: Vec<String>,
    /// Frameworks' command classes, fully qualified, whose subclasses are
    /// commands a person runs once (Dropwizard's `Command`): a method of
    /// one handed a parsed command line is the command's.
    #[serde(default)]
    pub command_supertypes: Vec<String>,
    /// Desktop toolkits' window classes, fully qualified: a subclass opens
    /// on a person's desktop, never in a pod.
    #[serde(default)]
    pub desktop_windows: Vec<String>,
}

/// Configuration keys only one kind of client library reads: with no
/// such library on an application's classpath, nothing reads them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientKeys {
    /// What reads them, for messages (`Zipkin or Sleuth`).
    pub name: String,
    /// Key prefixes, lower case, each ending with a dot.
    pub prefixes: Vec<String>,
    /// Words an artifactId of a library reading them holds.
    pub readers: Vec<String>,
    /// Words of an artifactId holding a reader word that reads none of
    /// them all the same (a Nacos discovery starter and Nacos'
    /// configuration keys).
    #[serde(default)]
    pub not_readers: Vec<String>,
}

/// What routes legacy logging APIs to SLF4J, and so to logback, on an
/// application's classpath, and what takes their logs first.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingRoutes {
    /// logback's artifact (`group:artifact`), which a bridge needs.
    pub logback: String,
    /// Logging backends other than logback (`group:artifact`).
    pub other_backends: Vec<String>,
    pub bridges: Vec<LoggingBridge>,
}

/// What routes one legacy logging API to SLF4J.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingBridge {
    /// The API's package, as imported (`org.apache.commons.logging`).
    pub api: String,
    /// Packages under it that are the API's implementation, not routed.
    #[serde(default)]
    pub except: Vec<String>,
    /// Bridge artifacts (`group:artifact`) that route it, with logback.
    #[serde(default)]
    pub artifacts: Vec<String>,
    /// The API's own implementation (`group:artifact`), which takes its
    /// logs when it is on the classpath too.
    #[serde(default)]
    pub conflicts: Vec<String>,
    /// Implementations of the API (`group:artifact`) that the bridge takes
    /// the API from when both are on the classpath: log4j 2 uses the
    /// provider of highest priority (log4j-to-slf4j's 15, log4j-core's 10).
    #[serde(default)]
    pub outranks: Vec<String>,
    /// The major versions of Spring Boot whose logging starter routes it.
    #[serde(default)]
    pub spring_boot: Vec<u32>,
    /// Whether Spring Boot routes it only once `SpringApplication` starts
    /// (it installs java.util.logging's bridge then).
    #[serde(default)]
    pub needs_spring_application: bool,
    /// Groups whose artifacts bring a bridge along (Spring's modules bring
    /// `spring-jcl`): a library depending on one, run by no application
    /// of the repository, hands the API to whatever logging the
    /// application that takes it uses.
    #[serde(default)]
    pub carried_by: Vec<String>,
}

impl LoggingBridge {
    /// Whether a fully qualified name (`org.apache.log4j.Logger`) is of
    /// this API and not of its implementation.
    pub fn covers(&self, name: &str) -> bool {
        in_package(name, &self.api) && !self.except.iter().any(|e| in_package(name, e))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SdkFile {
    sdk: Vec<SdkEntry>,
    #[serde(default)]
    requires: Vec<ClasspathRequirement>,
}

/// A partial override of the deploy standard.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardOverride {
    http_port: Option<u16>,
    deploy_path: Option<String>,
    hooks: Option<Vec<String>>,
    default_health_path: Option<String>,
    log_dir: Option<String>,
    log_pattern: Option<String>,
}

/// A partial override of one rule, by id.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleOverride {
    severity: Option<Severity>,
    /// The severity of findings whose value is only logged.
    only_logged: Option<Severity>,
    /// The severity of findings in command-line code.
    command_line: Option<Severity>,
    /// The severity of findings in code only a command-line program runs.
    command_program: Option<Severity>,
    /// The severity of findings in adapter modules.
    adapter: Option<Severity>,
    /// The severity of findings in the project's own logging code.
    logging_code: Option<Severity>,
    /// The severity of host lookups in the project's own logging code.
    log_layout: Option<Severity>,
    /// The severity of console output in a class named for it.
    console_class: Option<Severity>,
    /// The severity of findings in files outside every module.
    outside_modules: Option<Severity>,
    /// The severity of findings of an API the application routes to logback.
    bridged: Option<Severity>,
    /// The severity of findings of a backend a bridge outranks.
    outranked: Option<Severity>,
    /// The severity of findings of a dependency no build packages.
    unpackaged: Option<Severity>,
    /// The severity of findings in code written for Kubernetes.
    kubernetes_code: Option<Severity>,
    /// The severity of findings in a script no pod's definition runs.
    unstarted_script: Option<Severity>,
    /// The severity of findings in code that never runs.
    never_runs: Option<Severity>,
    /// The severity of findings in code that runs once, at start.
    start_up: Option<Severity>,
    /// The severity of console output a logger beside it records too.
    also_logged: Option<Severity>,
    /// The severity of a console appender beside a file appender.
    beside_file: Option<Severity>,
    /// The severity of findings in a developer profile's configuration.
    developer_profile: Option<Severity>,
    /// The severity of findings in a default the deployment replaces.
    environment_default: Option<Severity>,
    enabled: Option<bool>,
    scope: Option<Scope>,
    message: Option<String>,
    remediation: Option<String>,
}

/// `podready.toml` at a repository root, or a file given with `--rules`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideFile {
    #[serde(default)]
    check: Option<CheckSettings>,
    #[serde(default)]
    upgrade: Option<UpgradeSettings>,
    #[serde(default)]
    standard: Option<StandardOverride>,
    #[serde(default)]
    sdk: Vec<SdkEntry>,
    #[serde(default)]
    requires: Vec<ClasspathRequirement>,
    #[serde(default)]
    rules: BTreeMap<String, RuleOverride>,
    #[serde(default)]
    rule: Vec<Rule>,
}

/// Everything the analyzer needs to know about what to look for.
#[derive(Debug, Clone)]
pub struct RulePack {
    pub rules: Vec<Rule>,
    pub sdk: Vec<SdkEntry>,
    /// Run-time pairings checked on the resolved classpath.
    pub requires: Vec<ClasspathRequirement>,
    pub standard: DeployStandard,
    pub returns: ReturnTypes,
    pub check: CheckSettings,
    pub upgrade: UpgradeSettings,
    pub middleware: Vec<MiddlewareKind>,
    /// Hook name → file-name globs of legacy scripts that map to it.
    pub legacy_hooks: BTreeMap<String, Vec<String>>,
    pub logging_code: LoggingCode,
    pub developer_tools: DeveloperTools,
    /// What routes legacy logging APIs to SLF4J.
    pub logging_routes: LoggingRoutes,
    /// Configuration keys only one kind of client library reads; the
    /// first whose prefix a key has decides.
    pub client_keys: Vec<ClientKeys>,
    origins: RuleOrigins,
}

/// Where each rule was last defined: its file and the line of its id.
/// Where a rule is written is not what it finds, so it stays out of the
/// pack's `Debug`, which the result cache keys on: the same rules read from
/// another checkout's path find the same things.
#[derive(Clone, Default)]
struct RuleOrigins(BTreeMap<String, (PathBuf, Option<usize>)>);

impl std::fmt::Debug for RuleOrigins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RuleOrigins")
    }
}

impl RulePack {
    /// The pack that ships inside the binary.
    pub fn builtin() -> Result<RulePack, RuleError> {
        let mut standard = None;
        let mut sdk = Vec::new();
        let mut requires = Vec::new();
        let mut rules = Vec::new();
        let mut origins = RuleOrigins::default();
        for (name, text) in BUILTIN {
            let path = Path::new("<builtin>").join(name);
            match *name {
                "standard.toml" => standard = Some(parse::<StandardFile>(&path, text)?),
                "sdk.toml" => {
                    let file = parse::<SdkFile>(&path, text)?;
                    for entry in &file.sdk {
                        validate_sdk(entry, &path, text)?;
                    }
                    for r in &file.requires {
                        validate_requirement(r, &path, text)?;
                    }
                    sdk = file.sdk;
                    requires = file.requires;
                }
                _ => {
                    let rule: Rule = parse(&path, text)?;
                    validate_rule(&rule, &path, text)?;
                    origins
                        .0
                        .insert(rule.id.clone(), origin(&path, text, &rule.id));
                    rules.push(rule);
                }
            }
        }
        let standard = standard.ok_or_else(|| RuleError::Invalid {
            path: PathBuf::from("<builtin>"),
            line: None,
            rule: "-".into(),
            field: "standard".into(),
            message: "the built-in pack has no standard.toml".into(),
        })?;
        for keys in &standard.client_keys {
            let wrong = keys
                .prefixes
                .iter()
                .find(|p| !p.ends_with('.') || p.to_lowercase() != **p);
            if let Some(prefix) = wrong.or(keys.readers.is_empty().then_some(&keys.name)) {
                return Err(RuleError::Invalid {
                    path: Path::new("<builtin>").join("standard.toml"),
                    line: None,
                    rule: "-".into(),
                    field: "client_keys".into(),
                    message: format!("`{prefix}` of `{}`: prefixes are lower case and end with a dot, and readers are listed", keys.name),
                });
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(RulePack {
            rules,
            sdk,
            requires,
            standard: standard.standard,
            returns: standard.returns,
            check: CheckSettings::default(),
            upgrade: UpgradeSettings::default(),
            middleware: standard.middleware,
            legacy_hooks: standard.legacy_hooks,
            logging_code: standard.logging_code,
            developer_tools: standard.developer_tools,
            logging_routes: standard.logging_routes,
            client_keys: standard.client_keys,
            origins,
        })
    }

    /// Whether the rule `id` is the built-in one: no rules file defined it
    /// anew.
    pub fn is_builtin(&self, id: &str) -> bool {
        self.origins
            .0
            .get(id)
            .is_some_and(|(path, _)| path.starts_with("<builtin>"))
    }

    /// The error for a field of rule `id` that is wrong, naming the file and
    /// line where the rule is defined: what compiling a matcher returns.
    pub fn invalid_rule(&self, id: &str, field: &str, message: &str) -> RuleError {
        let (path, line) = self
            .origins
            .0
            .get(id)
            .cloned()
            .unwrap_or_else(|| (PathBuf::from("<pack>"), None));
        RuleError::Invalid {
            path,
            line,
            rule: id.to_string(),
            field: field.to_string(),
            message: message.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    /// Layers a rules file (`podready.toml` or `--rules FILE`) on this pack.
    pub fn apply_file(&mut self, path: &Path) -> Result<(), RuleError> {
        let text = std::fs::read_to_string(path).map_err(|source| RuleError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.apply_text(path, &text)
    }

    /// Layers the text of a rules file; `path` is used in error messages.
    pub fn apply_text(&mut self, path: &Path, text: &str) -> Result<(), RuleError> {
        let file: OverrideFile = parse(path, text)?;
        if let Some(check) = file.check {
            if let Some(url) = &check.docs_url {
                let absolute = ["https://", "http://"]
                    .iter()
                    .any(|scheme| url.len() > scheme.len() && url.starts_with(scheme));
                if !absolute {
                    return Err(RuleError::Invalid {
                        path: path.to_path_buf(),
                        line: find_line(text, "docs_url"),
                        rule: "-".into(),
                        field: "check.docs_url".into(),
                        message: format!("`{url}` is not an absolute http(s) URL"),
                    });
                }
            }
            if let Some(library) = check.logging_libraries.iter().find(|l| {
                l.split_once(':').is_none_or(|(group, artifact)| {
                    group.is_empty() || artifact.is_empty() || artifact.contains(':')
                })
            }) {
                return Err(RuleError::Invalid {
                    path: path.to_path_buf(),
                    line: find_line(text, "logging_libraries"),
                    rule: "-".into(),
                    field: "check.logging_libraries".into(),
                    message: format!("`{library}` is not `groupId:artifactId`"),
                });
            }
            merge_check(&mut self.check, check);
        }
        if let Some(u) = file.upgrade {
            if u.verify.is_some() {
                self.upgrade.verify = u.verify;
            }
            if u.verify_timeout_seconds.is_some() {
                self.upgrade.verify_timeout_seconds = u.verify_timeout_seconds;
            }
        }
        if let Some(std_override) = file.standard {
            let s = &mut self.standard;
            if let Some(port) = std_override.http_port {
                s.http_port = port;
            }
            if let Some(p) = std_override.deploy_path {
                s.deploy_path = p;
            }
            if let Some(h) = std_override.hooks {
                s.hooks = h;
            }
            if let Some(h) = std_override.default_health_path {
                s.default_health_path = h;
            }
            if let Some(d) = std_override.log_dir {
                s.log_dir = d;
            }
            if let Some(p) = std_override.log_pattern {
                s.log_pattern = p;
            }
        }
        for entry in file.sdk {
            validate_sdk(&entry, path, text)?;
            match self
                .sdk
                .iter_mut()
                .find(|e| e.group == entry.group && e.artifact == entry.artifact)
            {
                Some(existing) => *existing = entry,
                None => self.sdk.push(entry),
            }
        }
        for r in file.requires {
            validate_requirement(&r, path, text)?;
            self.requires
                .retain(|e| !(e.when == r.when && e.versions == r.versions && e.needs == r.needs));
            self.requires.push(r);
        }
        for rule in file.rule {
            validate_rule(&rule, path, text)?;
            self.origins
                .0
                .insert(rule.id.clone(), origin(path, text, &rule.id));
            match self.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(existing) => *existing = rule,
                None => self.rules.push(rule),
            }
        }
        for (id, o) in file.rules {
            let rule =
                self.rules
                    .iter_mut()
                    .find(|r| r.id == id)
                    .ok_or_else(|| RuleError::Invalid {
                        path: path.to_path_buf(),
                        line: find_line(text, &format!("\"{id}\"")),
                        rule: id.clone(),
                        field: "rules".into(),
                        message: "no rule has this id; `podready rules` lists them".into(),
                    })?;
            if let Some(s) = o.severity {
                rule.severity = s;
            }
            if let Some(s) = o.only_logged {
                rule.only_logged = Some(s);
            }
            if let Some(s) = o.command_line {
                rule.command_line = Some(s);
            }
            if let Some(s) = o.command_program {
                rule.command_program = Some(s);
            }
            if let Some(s) = o.adapter {
                rule.adapter = Some(s);
            }
            if let Some(s) = o.logging_code {
                rule.logging_code = Some(s);
            }
            if let Some(s) = o.log_layout {
                rule.log_layout = Some(s);
            }
            if let Some(s) = o.console_class {
                rule.console_class = Some(s);
            }
            if let Some(s) = o.outside_modules {
                rule.outside_modules = Some(s);
            }
            if let Some(s) = o.bridged {
                rule.bridged = Some(s);
                validate_rule(rule, path, text)?;
            }
            if let Some(s) = o.outranked {
                rule.outranked = Some(s);
                validate_rule(rule, path, text)?;
            }
            if let Some(s) = o.unpackaged {
                rule.unpackaged = Some(s);
                validate_rule(rule, path, text)?;
            }
            if let Some(s) = o.kubernetes_code {
                rule.kubernetes_code = Some(s);
            }
            if let Some(s) = o.unstarted_script {
                rule.unstarted_script = Some(s);
            }
            if let Some(s) = o.never_runs {
                rule.never_runs = Some(s);
            }
            if let Some(s) = o.start_up {
                rule.start_up = Some(s);
            }
            if let Some(s) = o.also_logged {
                rule.also_logged = Some(s);
            }
            if let Some(s) = o.beside_file {
                rule.beside_file = Some(s);
            }
            if let Some(s) = o.developer_profile {
                rule.developer_profile = Some(s);
            }
            if let Some(s) = o.environment_default {
                rule.environment_default = Some(s);
            }
            if let Some(e) = o.enabled {
                rule.enabled = e;
            }
            if let Some(s) = o.scope {
                rule.scope = s;
            }
            if let Some(m) = o.message {
                rule.message = m;
            }
            if let Some(r) = o.remediation {
                rule.remediation = r;
            }
        }
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(())
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The SDK table row for an artifact.
    pub fn sdk_entry(&self, group: &str, artifact: &str) -> Option<&SdkEntry> {
        self.sdk
            .iter()
            .find(|e| e.group == group && e.artifact == artifact)
    }

    /// The SDK whose family `group:artifact` belongs to (not the SDK's own
    /// artifact).
    pub fn family_of(&self, group: &str, artifact: &str) -> Option<&SdkEntry> {
        self.sdk.iter().find(|e| {
            !(e.group == group && e.artifact == artifact) && e.has_member(group, artifact)
        })
    }

    /// The logging backends other than logback: the SDK entries that are
    /// replaced rather than upgraded.
    pub fn legacy_backends(&self) -> impl Iterator<Item = &SdkEntry> {
        self.sdk.iter().filter(|e| !e.replace_with.is_empty())
    }
}

fn merge_check(into: &mut CheckSettings, from: CheckSettings) {
    if from.fail_on.is_some() {
        into.fail_on = from.fail_on;
    }
    if from.max_file_size.is_some() {
        into.max_file_size = from.max_file_size;
    }
    if from.docs_url.is_some() {
        into.docs_url = from.docs_url;
    }
    into.exclude.extend(from.exclude);
    into.test_roots.extend(from.test_roots);
    into.deployed.extend(from.deployed);
    into.logging_libraries.extend(from.logging_libraries);
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, RuleError> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let (line, column) = line_col(text, offset);
        RuleError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            rule: enclosing_rule(text, offset),
            message: e.message().trim().replace('\n', " "),
        }
    })
}

/// The id of the rule whose definition contains `offset`: the nearest
/// `id = "…"` line or `[rules."…"]` header before it.
fn enclosing_rule(text: &str, offset: usize) -> Option<String> {
    let before = &text[..floor_char_boundary(text, offset)];
    for line in before.lines().rev() {
        let line = line.trim();
        if line == "[[rule]]" {
            return None;
        }
        if let Some(rest) = line.strip_prefix("id") {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                return Some(value.trim().trim_matches('"').to_string());
            }
        }
        if let Some(rest) = line.strip_prefix("[rules.") {
            return Some(rest.trim_end_matches(']').trim_matches('"').to_string());
        }
    }
    None
}

/// Where a rule is defined: its file and the line of its id.
fn origin(path: &Path, text: &str, id: &str) -> (PathBuf, Option<usize>) {
    (path.to_path_buf(), find_line(text, &format!("\"{id}\"")))
}

fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|i| line_col(text, i).0)
}

fn invalid(path: &Path, text: &str, rule: &str, field: &str, message: String) -> RuleError {
    RuleError::Invalid {
        path: path.to_path_buf(),
        line: find_line(text, &format!("\"{rule}\"")),
        rule: rule.to_string(),
        field: field.to_string(),
        message,
    }
}

/// Checks what serde cannot about a rule itself: the id's shape, that
/// it has a matcher, that a `bridged` level has imports to lower and an
/// `outranked` or `unpackaged` level dependencies. Each matcher is checked by compiling it, in the
/// analyzer (see [`RulePack::invalid_rule`]).
fn validate_rule(rule: &Rule, path: &Path, text: &str) -> Result<(), RuleError> {
    let bad = |field: &str, message: String| invalid(path, text, &rule.id, field, message);
    let (category, name) = rule.id.split_once('/').unwrap_or(("", ""));
    if !CATEGORIES.contains(&category) {
        return Err(bad(
            "id",
            format!(
                "the category must be one of {} (ids look like `host/local-address`)",
                CATEGORIES.join(", ")
            ),
        ));
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(bad(
            "id",
            "the name after the category must be lowercase letters, digits and `-`".into(),
        ));
    }
    if rule.matchers.is_empty() {
        return Err(bad(
            "matcher",
            "a rule needs at least one [[matcher]]".into(),
        ));
    }
    let imports = rule
        .matchers
        .iter()
        .any(|m| matches!(m, crate::Matcher::JavaImport(_)));
    if rule.bridged.is_some() && !imports {
        return Err(bad(
            "bridged",
            "only a rule with a java-import matcher finds logging APIs a bridge routes".into(),
        ));
    }
    let dependencies = rule
        .matchers
        .iter()
        .any(|m| matches!(m, crate::Matcher::PomDependency(_)));
    if rule.outranked.is_some() && !dependencies {
        return Err(bad(
            "outranked",
            "only a rule with a pom-dependency matcher finds logging backends a bridge outranks"
                .into(),
        ));
    }
    let versions = rule
        .matchers
        .iter()
        .any(|m| matches!(m, crate::Matcher::SdkVersion(_)));
    if rule.unpackaged.is_some() && !dependencies && !versions {
        return Err(bad(
            "unpackaged",
            "only a rule with a pom-dependency or sdk-version matcher finds dependencies a build may leave out"
                .into(),
        ));
    }
    Ok(())
}

fn validate_sdk(entry: &SdkEntry, path: &Path, text: &str) -> Result<(), RuleError> {
    let id = format!("{}:{}", entry.group, entry.artifact);
    if entry.min_version.is_none() && entry.replace_with.is_empty() {
        return Err(RuleError::Invalid {
            path: path.to_path_buf(),
            line: find_line(text, &format!("\"{}\"", entry.artifact)),
            rule: id,
            field: "min_version".into(),
            message: "an SDK entry needs `min_version` or `replace_with`".into(),
        });
    }
    if let Some(pattern) = entry
        .family
        .iter()
        .find(|p| p.split(':').count() != 2 || p.split(':').any(str::is_empty))
    {
        return Err(RuleError::Invalid {
            path: path.to_path_buf(),
            line: find_line(text, &format!("\"{pattern}\"")),
            rule: id,
            field: "family".into(),
            message: format!(
                "`{pattern}` is not `group:artifact` (`*` may stand for any part of the artifact)"
            ),
        });
    }
    if !entry.family.is_empty() && entry.target_version.is_none() {
        return Err(RuleError::Invalid {
            path: path.to_path_buf(),
            line: find_line(text, &format!("\"{}\"", entry.artifact)),
            rule: id,
            field: "family".into(),
            message: "a family moves to `target_version`; this entry has none".into(),
        });
    }
    if entry.min_version.is_some() && entry.target_version.is_none() {
        return Err(RuleError::Invalid {
            path: path.to_path_buf(),
            line: find_line(text, &format!("\"{}\"", entry.artifact)),
            rule: id,
            field: "target_version".into(),
            message: "an SDK entry with `min_version` needs a `target_version`".into(),
        });
    }
    Ok(())
}

fn validate_requirement(
    r: &ClasspathRequirement,
    path: &Path,
    text: &str,
) -> Result<(), RuleError> {
    let invalid = |field: &str, message: String| RuleError::Invalid {
        path: path.to_path_buf(),
        line: find_line(text, &format!("\"{}\"", r.when)),
        rule: format!("requires {}", r.when),
        field: field.into(),
        message,
    };
    for (field, value) in [("when", &r.when), ("needs", &r.needs)] {
        if value.split(':').count() != 2 || value.split(':').any(str::is_empty) {
            return Err(invalid(field, format!("`{value}` is not `group:artifact`")));
        }
    }
    for (field, value) in [
        ("versions", &r.versions),
        ("needs_versions", &r.needs_versions),
    ] {
        let bracketed =
            value.starts_with(['[', '(']) && value.ends_with([']', ')']) && value.contains(',');
        if !bracketed {
            return Err(invalid(
                field,
                format!("`{value}` is not a Maven version range such as `[1.2,1.3)`"),
            ));
        }
    }
    Ok(())
}

/// The names of the built-in pack files, for the test that every file in
/// `rules/pack` is embedded.
pub fn builtin_files() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}
