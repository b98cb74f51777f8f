//! The rule pack compiled into typed matchers, one module per matcher kind
//! (its serialised shape is `podready_rules::matcher`). Compiling is
//! validating: a module's `compile` is the only place its fields are
//! checked, and a wrong one is an error naming the rule's file, line and
//! field. Each module also says which files' contents its kind reads
//! (`READS`), so a file no enabled rule reads is not read at all, and holds
//! the code that runs the kind where it runs on its own; the Java kinds run
//! inside the one walk of each syntax tree (`crate::java`).
//!
//! The compiled kinds are kept as lookup tables (by method name, by string,
//! by artifact) so that one pass over each file runs every rule at once.
//! A new matcher kind is a variant in `podready_rules::Matcher`, a module
//! here, and its line in [`Compiled::new`].

pub(crate) mod background_start;
pub(crate) mod config_value;
pub(crate) mod file_name;
pub(crate) mod ip_literal;
pub(crate) mod java_call;
mod java_field_argument;
mod java_import;
mod java_string;
pub(crate) mod listen_port;
pub(crate) mod logback_appender;
pub(crate) mod loopback_service;
pub(crate) mod pom_dependency;
pub(crate) mod properties_key;
mod sdk_unresolved;
pub(crate) mod sdk_version;
pub(crate) mod unanalysed_file;
pub(crate) mod xml_root;

use std::collections::{HashMap, HashSet};

use globset::{GlobSet, GlobSetBuilder};
use podready_rules::{Matcher, Rule, RuleError, RulePack, Scope};

use crate::walk::FileKind;
use java_call::CallMatcher;

/// What a matcher's serialised form got wrong: the field and why.
#[derive(Debug)]
struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Invalid {
        Invalid {
            field,
            message: message.into(),
        }
    }
}

/// Configuration files, read for their values.
const CONFIGURATION: &[FileKind] = &[
    FileKind::Properties,
    FileKind::Yaml,
    FileKind::Json,
    FileKind::Conf,
    FileKind::Xml,
    FileKind::Logback,
];

/// Every kind of file read for its contents: Java sources and
/// configuration.
const EVERY_CONTENT: &[FileKind] = &[
    FileKind::Java,
    FileKind::Properties,
    FileKind::Yaml,
    FileKind::Json,
    FileKind::Conf,
    FileKind::Xml,
    FileKind::Logback,
];

/// The file kinds whose contents something reads, as a set.
#[derive(Debug, Clone, Copy, Default)]
struct Kinds(u16);

impl Kinds {
    fn of(kinds: &[FileKind]) -> Kinds {
        Kinds(kinds.iter().fold(0, |acc, k| acc | 1 << *k as u16))
    }

    fn contains(self, kind: FileKind) -> bool {
        self.0 & 1 << kind as u16 != 0
    }
}

#[derive(Debug)]
pub(crate) struct Compiled {
    pub rules: Vec<Rule>,
    /// By rule: the file kinds whose contents its matchers read.
    reads: Vec<Kinds>,
    /// Every call matcher; others refer to them by index.
    pub matchers: Vec<CallMatcher>,
    /// Call matchers by method name (or simple type name for `new`).
    pub calls: HashMap<String, Vec<usize>>,
    /// Static fields whose use as an argument a rule reports, by their
    /// simple name (`out` → `java.lang.System.out`).
    pub field_arguments: HashMap<String, Vec<(String, usize)>>,
    /// By rule: the methods (type, name) that take its fields without
    /// writing to them.
    pub field_argument_exceptions: HashSet<(usize, String, String)>,
    /// Method names that are `derived` of some call matcher.
    pub derived_methods: HashSet<String>,
    pub imports: Vec<java_import::ImportMatcher>,
    /// First segments of the import packages (`org`, `java`), to skip
    /// dotted names that cannot be one quickly.
    pub import_roots: HashSet<String>,
    pub strings: HashMap<String, Vec<usize>>,
    pub ip_rules: Vec<usize>,
    pub file_globs: GlobSet,
    /// By glob of [`Self::file_globs`]: its rule, and the names its
    /// matcher leaves out (a position in [`Self::file_glob_exceptions`]).
    pub file_glob_rules: Vec<(usize, Option<usize>)>,
    /// The names `file-name` matchers leave out, one set a matcher.
    pub file_glob_exceptions: Vec<GlobSet>,
    pub pom_deps: HashMap<String, Vec<usize>>,
    /// The artifacts (`group:artifact`) whose being left to dependents
    /// makes a module an adapter: those of the rules with `adapter` set.
    pub adapter_artifacts: HashSet<String>,
    /// The logging frameworks' types a logging implementation extends or
    /// implements (the pack's `logging_code`).
    pub logging_extension_points: HashSet<String>,
    /// Code generators that write source files, packages or classes (the
    /// pack's `developer_tools`).
    pub code_generators: Vec<String>,
    /// Interactive shells' command APIs (the pack's `developer_tools`).
    pub shell_commands: Vec<String>,
    /// Command-line parsers' parsed command lines (the pack's
    /// `developer_tools`).
    pub parsed_command_lines: Vec<String>,
    /// Annotations declaring a command (the pack's `developer_tools`).
    pub command_annotations: Vec<String>,
    /// Frameworks' command classes (the pack's `developer_tools`).
    pub command_supertypes: Vec<String>,
    /// Desktop toolkits' window classes (the pack's `developer_tools`).
    pub desktop_windows: Vec<String>,
    /// What routes legacy logging APIs to SLF4J (the pack's
    /// `logging_routes`).
    pub logging_routes: podready_rules::LoggingRoutes,
    /// Configuration keys only one kind of client reads (the pack's
    /// `client_keys`).
    pub client_keys: Vec<podready_rules::ClientKeys>,
    pub logback: Vec<(usize, Vec<String>, Vec<String>)>,
    /// The `logback-appender` rules that report Spring Boot's default
    /// logging configuration (`spring_boot_default`).
    pub spring_boot_default_logging: Vec<usize>,
    /// What a Java source must name for its classes to be read as
    /// possible subclasses of the logback rules' appender classes:
    /// `Appender`, and the simple names of listed classes not called so.
    pub appender_names: Vec<String>,
    /// Rules reporting XML files by their root element.
    pub xml_roots: Vec<(usize, Vec<podready_rules::matcher::RootElement>)>,
    /// Rules reporting `.properties` files by a key's prefix.
    pub properties_keys: Vec<(usize, Vec<String>)>,
    pub ports: Vec<(usize, Vec<String>)>,
    /// Products whose own server keeps its port (`listen-port`'s `products`).
    pub product_ports: Vec<podready_rules::matcher::ProductPort>,
    pub loopback: Vec<loopback_service::LoopbackMatcher>,
    pub settings: Vec<config_value::SettingMatcher>,
    pub sdk_rules: Vec<usize>,
    /// Rules that report SDK versions the repository does not resolve.
    pub sdk_unresolved_rules: Vec<usize>,
    /// Rules that report files the analyzer could not read.
    pub unanalysed_rules: Vec<usize>,
    /// Rules reporting shell scripts that start a program in the
    /// background, with the programs (lowercase).
    pub background_starts: Vec<(usize, Vec<String>)>,
    /// Types named anywhere in the rules, so that a wildcard import can be
    /// resolved to them (`import java.net.*;` + `InetAddress`).
    pub known_types: HashSet<String>,
    pub returns: HashMap<String, String>,
    pub http_port: u16,
    /// What makes a Java file worth parsing.
    pub java_triggers: crate::prefilter::JavaTriggers,
}

impl Compiled {
    /// Compiles every enabled rule's matchers; the first wrong field is an
    /// error naming the rule's file and line.
    pub fn new(pack: &RulePack) -> Result<Compiled, RuleError> {
        let rules: Vec<Rule> = pack.rules.iter().filter(|r| r.enabled).cloned().collect();
        let mut c = Compiled {
            reads: Vec::new(),
            matchers: Vec::new(),
            calls: HashMap::new(),
            field_arguments: HashMap::new(),
            field_argument_exceptions: HashSet::new(),
            derived_methods: HashSet::new(),
            imports: Vec::new(),
            import_roots: HashSet::new(),
            strings: HashMap::new(),
            ip_rules: Vec::new(),
            file_globs: GlobSet::empty(),
            file_glob_rules: Vec::new(),
            file_glob_exceptions: Vec::new(),
            pom_deps: HashMap::new(),
            adapter_artifacts: HashSet::new(),
            logging_extension_points: pack.logging_code.extension_points.iter().cloned().collect(),
            code_generators: pack.developer_tools.code_generators.clone(),
            shell_commands: pack.developer_tools.shell_commands.clone(),
            parsed_command_lines: pack.developer_tools.parsed_command_lines.clone(),
            command_annotations: pack.developer_tools.command_annotations.clone(),
            command_supertypes: pack.developer_tools.command_supertypes.clone(),
            desktop_windows: pack.developer_tools.desktop_windows.clone(),
            logging_routes: pack.logging_routes.clone(),
            client_keys: pack.client_keys.clone(),
            logback: Vec::new(),
            spring_boot_default_logging: Vec::new(),
            appender_names: Vec::new(),
            xml_roots: Vec::new(),
            properties_keys: Vec::new(),
            ports: Vec::new(),
            product_ports: Vec::new(),
            loopback: Vec::new(),
            settings: Vec::new(),
            sdk_rules: Vec::new(),
            sdk_unresolved_rules: Vec::new(),
            unanalysed_rules: Vec::new(),
            background_starts: Vec::new(),
            known_types: HashSet::new(),
            returns: pack.returns.clone().into_iter().collect(),
            http_port: pack.standard.http_port,
            rules: Vec::new(),
            java_triggers: crate::prefilter::JavaTriggers::default(),
        };
        let mut globs = GlobSetBuilder::new();
        for (idx, rule) in rules.iter().enumerate() {
            let mut reads = Kinds::default();
            for m in &rule.matchers {
                let (compiled, kinds) = match m {
                    Matcher::JavaCall(m) => (java_call::compile(idx, m, &mut c), java_call::READS),
                    Matcher::JavaFieldArgument(m) => (
                        java_field_argument::compile(idx, m, &mut c),
                        java_field_argument::READS,
                    ),
                    Matcher::JavaImport(m) => {
                        (java_import::compile(idx, m, &mut c), java_import::READS)
                    }
                    Matcher::JavaString(m) => {
                        (java_string::compile(idx, m, &mut c), java_string::READS)
                    }
                    Matcher::IpLiteral(m) => {
                        (ip_literal::compile(idx, m, &mut c), ip_literal::READS)
                    }
                    Matcher::FileName(m) => (
                        file_name::compile(idx, m, &mut c, &mut globs),
                        file_name::READS,
                    ),
                    Matcher::XmlRoot(m) => (xml_root::compile(idx, m, &mut c), xml_root::READS),
                    Matcher::PropertiesKey(m) => (
                        properties_key::compile(idx, m, &mut c),
                        properties_key::READS,
                    ),
                    Matcher::PomDependency(m) => (
                        pom_dependency::compile(idx, rule, m, &mut c),
                        pom_dependency::READS,
                    ),
                    Matcher::LogbackAppender(m) => (
                        logback_appender::compile(idx, m, &mut c),
                        logback_appender::READS,
                    ),
                    Matcher::ListenPort(m) => {
                        (listen_port::compile(idx, m, &mut c), listen_port::READS)
                    }
                    Matcher::LoopbackService(m) => (
                        loopback_service::compile(idx, m, &mut c),
                        loopback_service::READS,
                    ),
                    Matcher::ConfigValue(m) => {
                        (config_value::compile(idx, m, &mut c), config_value::READS)
                    }
                    Matcher::SdkVersion(m) => {
                        (sdk_version::compile(idx, m, &mut c), sdk_version::READS)
                    }
                    Matcher::SdkUnresolved(m) => (
                        sdk_unresolved::compile(idx, m, &mut c),
                        sdk_unresolved::READS,
                    ),
                    Matcher::UnanalysedFile(m) => (
                        unanalysed_file::compile(idx, m, &mut c),
                        unanalysed_file::READS,
                    ),
                    Matcher::BackgroundStart(m) => (
                        background_start::compile(idx, m, &mut c),
                        background_start::READS,
                    ),
                };
                compiled.map_err(|e| pack.invalid_rule(&rule.id, e.field, &e.message))?;
                reads.0 |= Kinds::of(kinds).0;
            }
            c.reads.push(reads);
        }
        for (method, ret) in &c.returns {
            if let Some((ty, _)) = method.rsplit_once('.') {
                c.known_types.insert(ty.to_string());
            }
            c.known_types.insert(ret.clone());
        }
        c.known_types
            .extend(c.logging_extension_points.iter().cloned());
        // A parser's command line under a wildcard import (`import
        // org.apache.commons.cli.*;`) is that parser's.
        c.known_types.extend(c.parsed_command_lines.iter().cloned());
        c.file_globs = globs
            .build()
            .map_err(|e| pack.invalid_rule("-", "globs", &e.to_string()))?;
        c.java_triggers = crate::prefilter::JavaTriggers::new(&rules, &c.logging_extension_points);
        c.rules = rules;
        Ok(c)
    }

    /// Whether a value from a matcher's call still is what its rule
    /// follows: anything derived from a reported call (the address's
    /// `getHostAddress()`), but only the call's own result when just its
    /// derived calls are reported (the environment map, not
    /// `getenv().get(key)` for any key).
    pub fn carries_followed(&self, matcher: usize, derived: bool) -> bool {
        self.matchers[matcher].reported || !derived
    }

    /// Whether a rule looks at a file, given whether the file is a test.
    pub fn applies(&self, rule: usize, is_test: bool) -> bool {
        !is_test || self.rules[rule].scope == Scope::All
    }

    /// Whether some rule that looks at a file of this kind reads its
    /// contents: else the file is not read (a file-name rule needs its name
    /// only).
    pub fn reads(&self, kind: FileKind, is_test: bool) -> bool {
        (0..self.rules.len()).any(|r| self.applies(r, is_test) && self.reads[r].contains(kind))
    }
}

/// The type in a receiver: `java.lang.System` for `java.lang.System.out`
/// (a segment starting with a lowercase letter after a type is a field).
pub(crate) fn type_part(receiver: &str) -> String {
    let mut end = receiver.len();
    let mut seen_type = false;
    let mut pos = 0;
    for seg in receiver.split('.') {
        if seen_type && seg.starts_with(|c: char| c.is_lowercase()) {
            end = pos - 1;
            break;
        }
        if seg.starts_with(|c: char| c.is_uppercase()) {
            seen_type = true;
        }
        pos += seg.len() + 1;
    }
    receiver[..end].to_string()
}

/// Every item of a list the matcher needs at least one of.
fn non_empty<'a, T>(field: &'static str, items: &'a [T]) -> Result<&'a [T], Invalid> {
    if items.is_empty() {
        Err(Invalid::new(field, "empty list"))
    } else {
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::type_part;

    #[test]
    fn type_part_strips_static_fields() {
        assert_eq!(type_part("java.lang.System.out"), "java.lang.System");
        assert_eq!(type_part("java.net.InetAddress"), "java.net.InetAddress");
    }
}
