//! The rule pack turned into lookup tables, so that one pass over each file
//! runs every rule at once.

use std::collections::{HashMap, HashSet};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use podready_rules::{CallReport, Matcher, RootElement, Rule, RulePack, Scope};
use regex::Regex;

use crate::AnalyzeError;

/// One `java-call` target with its constraints.
#[derive(Debug)]
pub(crate) struct CallMatcher {
    pub rule: usize,
    /// The receiver type or static field (`java.lang.System.out`); `None`
    /// matches any receiver.
    pub receiver: Option<String>,
    pub is_new: bool,
    pub max_args: Option<usize>,
    pub first_arg_text: Option<Regex>,
    pub first_arg_is: Vec<String>,
    pub derived: Vec<String>,
    pub derived_first_arg_text: Option<Regex>,
    /// Whether the call itself is a finding (else only derived calls are).
    pub reported: bool,
    /// Whether the project's methods and fields returning its result
    /// become sources too.
    pub through_helpers: bool,
}

#[derive(Debug)]
pub(crate) struct Compiled {
    pub rules: Vec<Rule>,
    /// Every call matcher; others refer to them by index.
    pub matchers: Vec<CallMatcher>,
    /// Call matchers by method name (or simple type name for `new`).
    pub calls: HashMap<String, Vec<usize>>,
    /// Static fields whose use as an argument a rule reports, by their
    /// simple name (`out` → `java.lang.System.out`).
    pub field_arguments: HashMap<String, Vec<(String, usize)>>,
    /// Method names that are `derived` of some call matcher.
    pub derived_methods: HashSet<String>,
    pub imports: Vec<(usize, Vec<String>)>,
    /// First segments of the import packages (`org`, `java`), to skip
    /// dotted names that cannot be one quickly.
    pub import_roots: HashSet<String>,
    pub strings: HashMap<String, Vec<usize>>,
    pub ip_rules: Vec<usize>,
    pub file_globs: GlobSet,
    pub file_glob_rules: Vec<usize>,
    pub pom_deps: HashMap<String, Vec<usize>>,
    /// The artifacts (`group:artifact`) whose being left to dependents
    /// makes a module an adapter: those of the rules with `adapter` set.
    pub adapter_artifacts: HashSet<String>,
    /// The logging frameworks' types a logging implementation extends or
    /// implements (the pack's `logging_code`).
    pub logging_extension_points: HashSet<String>,
    pub logback: Vec<(usize, Vec<String>, Vec<String>)>,
    /// What a Java source must name for its classes to be read as
    /// possible subclasses of the logback rules' appender classes:
    /// `Appender`, and the simple names of listed classes not called so.
    pub appender_names: Vec<String>,
    /// Rules reporting XML files by their root element.
    pub xml_roots: Vec<(usize, Vec<RootElement>)>,
    pub ports: Vec<(usize, Vec<String>)>,
    pub sdk_rules: Vec<usize>,
    /// Rules that report SDK versions the repository does not resolve.
    pub sdk_unresolved_rules: Vec<usize>,
    /// Rules that report files the analyzer could not read.
    pub unanalysed_rules: Vec<usize>,
    /// Types named anywhere in the rules, so that a wildcard import can be
    /// resolved to them (`import java.net.*;` + `InetAddress`).
    pub known_types: HashSet<String>,
    pub returns: HashMap<String, String>,
    pub http_port: u16,
}

impl Compiled {
    pub fn new(pack: &RulePack) -> Result<Compiled, AnalyzeError> {
        let rules: Vec<Rule> = pack.rules.iter().filter(|r| r.enabled).cloned().collect();
        let mut c = Compiled {
            matchers: Vec::new(),
            calls: HashMap::new(),
            field_arguments: HashMap::new(),
            derived_methods: HashSet::new(),
            imports: Vec::new(),
            import_roots: HashSet::new(),
            strings: HashMap::new(),
            ip_rules: Vec::new(),
            file_globs: GlobSet::empty(),
            file_glob_rules: Vec::new(),
            pom_deps: HashMap::new(),
            adapter_artifacts: HashSet::new(),
            logging_extension_points: pack.logging_code.extension_points.iter().cloned().collect(),
            logback: Vec::new(),
            appender_names: Vec::new(),
            xml_roots: Vec::new(),
            ports: Vec::new(),
            sdk_rules: Vec::new(),
            sdk_unresolved_rules: Vec::new(),
            unanalysed_rules: Vec::new(),
            known_types: HashSet::new(),
            returns: pack.returns.clone().into_iter().collect(),
            http_port: pack.standard.http_port,
            rules: Vec::new(),
        };
        let mut globs = GlobSetBuilder::new();
        for (idx, rule) in rules.iter().enumerate() {
            for m in &rule.matchers {
                match m {
                    Matcher::JavaCall {
                        targets,
                        max_args,
                        first_arg_text,
                        first_arg_is,
                        derived,
                        derived_first_arg_text,
                        report,
                        through_helpers,
                    } => {
                        let regex = |field: &str, re: &Option<String>| {
                            re.as_deref()
                                .map(|re| {
                                    Regex::new(re).map_err(|e| {
                                        AnalyzeError::Rules(format!(
                                            "rule `{}`: field `{field}`: {e}",
                                            rule.id
                                        ))
                                    })
                                })
                                .transpose()
                        };
                        let first_arg_text = regex("first_arg_text", first_arg_text)?;
                        let derived_first_arg_text =
                            regex("derived_first_arg_text", derived_first_arg_text)?;
                        for target in targets {
                            let (is_new, body) = match target.strip_prefix("new ") {
                                Some(t) => (true, t.trim()),
                                None => (false, target.as_str()),
                            };
                            let (receiver, key) = if is_new {
                                let simple = body.rsplit('.').next().unwrap_or(body);
                                c.known_types.insert(body.to_string());
                                (Some(body.to_string()), simple.to_string())
                            } else {
                                let (recv, method) = body.rsplit_once('.').unwrap_or(("*", body));
                                let receiver = (recv != "*").then(|| recv.to_string());
                                if let Some(r) = &receiver {
                                    c.known_types.insert(type_part(r));
                                }
                                (receiver, method.to_string())
                            };
                            for d in derived {
                                c.derived_methods.insert(d.clone());
                            }
                            for f in first_arg_is {
                                c.known_types.insert(type_part(f));
                            }
                            c.calls.entry(key).or_default().push(c.matchers.len());
                            c.matchers.push(CallMatcher {
                                rule: idx,
                                receiver,
                                is_new,
                                max_args: *max_args,
                                first_arg_text: first_arg_text.clone(),
                                first_arg_is: first_arg_is.clone(),
                                derived: derived.clone(),
                                derived_first_arg_text: derived_first_arg_text.clone(),
                                reported: *report == CallReport::Call,
                                through_helpers: *through_helpers,
                            });
                        }
                    }
                    Matcher::JavaFieldArgument { fields } => {
                        for f in fields {
                            let simple = f.rsplit('.').next().unwrap_or(f);
                            c.known_types.insert(type_part(f));
                            c.field_arguments
                                .entry(simple.to_string())
                                .or_default()
                                .push((f.clone(), idx));
                        }
                    }
                    Matcher::JavaImport { packages } => {
                        for p in packages {
                            if let Some(root) = p.split('.').next() {
                                c.import_roots.insert(root.to_string());
                            }
                        }
                        c.imports.push((idx, packages.clone()));
                    }
                    Matcher::JavaString { values } => {
                        for v in values {
                            c.strings.entry(v.clone()).or_default().push(idx);
                        }
                    }
                    Matcher::IpLiteral {} => c.ip_rules.push(idx),
                    Matcher::FileName { globs: patterns } => {
                        for p in patterns {
                            let glob = GlobBuilder::new(p)
                                .case_insensitive(true)
                                .literal_separator(true)
                                .build()
                                .map_err(|e| {
                                    AnalyzeError::Rules(format!(
                                        "rule `{}`: field `globs`: {e}",
                                        rule.id
                                    ))
                                })?;
                            globs.add(glob);
                            c.file_glob_rules.push(idx);
                        }
                    }
                    Matcher::PomDependency { artifacts } => {
                        for a in artifacts {
                            c.pom_deps.entry(a.clone()).or_default().push(idx);
                            if rule.adapter.is_some() {
                                c.adapter_artifacts.insert(a.clone());
                            }
                        }
                    }
                    Matcher::LogbackAppender {
                        classes,
                        file_contains,
                    } => {
                        if c.appender_names.is_empty() {
                            c.appender_names.push("Appender".to_string());
                        }
                        for class in classes {
                            let simple = class.rsplit('.').next().unwrap_or(class);
                            if !c.appender_names.iter().any(|n| simple.contains(n.as_str())) {
                                c.appender_names.push(simple.to_string());
                            }
                        }
                        c.logback
                            .push((idx, classes.clone(), file_contains.clone()));
                    }
                    Matcher::XmlRoot { roots } => c.xml_roots.push((idx, roots.clone())),
                    Matcher::ListenPort { keys } => c.ports.push((idx, keys.clone())),
                    Matcher::SdkVersion {} => c.sdk_rules.push(idx),
                    Matcher::SdkUnresolved {} => c.sdk_unresolved_rules.push(idx),
                    Matcher::UnanalysedFile {} => c.unanalysed_rules.push(idx),
                }
            }
        }
        for (method, ret) in &c.returns {
            if let Some((ty, _)) = method.rsplit_once('.') {
                c.known_types.insert(ty.to_string());
            }
            c.known_types.insert(ret.clone());
        }
        c.known_types
            .extend(c.logging_extension_points.iter().cloned());
        c.file_globs = globs
            .build()
            .map_err(|e| AnalyzeError::Rules(format!("file-name globs: {e}")))?;
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
}

/// The type in a receiver: `java.lang.System` for `java.lang.System.out`
/// (a segment starting with a lowercase letter after a type is a field).
fn type_part(receiver: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::type_part;

    #[test]
    fn type_part_strips_static_fields() {
        assert_eq!(type_part("java.lang.System.out"), "java.lang.System");
        assert_eq!(type_part("java.net.InetAddress"), "java.net.InetAddress");
    }
}
