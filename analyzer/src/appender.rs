//! The repository's own logback appender classes: which class each one
//! extends, read from Java sources with a cheap textual scan (only files
//! naming an appender are scanned), so that a logback file using a
//! subclass of a console appender is reported like one using the console
//! appender itself.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

/// A class declared in the repository and what its `extends` may name,
/// fully qualified: one class, or several when only wildcard imports can
/// say which it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subclass {
    pub class: String,
    pub extends: Vec<String>,
}

/// The classes of a Java source whose superclass's simple name contains
/// one of `names` (the appender classes the rules list, and `Appender`,
/// which every logback appender is called by convention, so that a
/// subclass of a subclass is found too). `is_project_type` says whether a
/// fully qualified name is a type of the repository.
pub fn appender_subclasses(
    text: &str,
    names: &[String],
    is_project_type: &dyn Fn(&str) -> bool,
) -> Vec<Subclass> {
    // Most files name no appender: nothing is scanned.
    if !text.contains("extends") || !names.iter().any(|n| text.contains(n.as_str())) {
        return Vec::new();
    }
    let code = code_only(text);
    let tokens = tokens(&code);
    let mut package = String::new();
    let mut single_imports: Vec<&str> = Vec::new();
    let mut wildcard_imports: Vec<&str> = Vec::new();
    let mut declared: Vec<(&str, &str)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "package" => {
                if let Some(name) = tokens.get(i + 1) {
                    package = (*name).to_string();
                }
            }
            "import" => {
                let name = match tokens.get(i + 1) {
                    Some(&"static") => None,
                    name => name.copied(),
                };
                if let Some(name) = name {
                    match name.strip_suffix(".*") {
                        Some(pkg) => wildcard_imports.push(pkg),
                        None => single_imports.push(name),
                    }
                }
            }
            "class" if i == 0 || tokens[i - 1] != "." => {
                if let Some(&class) = tokens.get(i + 1) {
                    let mut j = i + 2;
                    // Type parameters, which may hold `extends` of their own.
                    if tokens.get(j) == Some(&"<") {
                        let mut depth = 0usize;
                        while let Some(&t) = tokens.get(j) {
                            match t {
                                "<" => depth += 1,
                                ">" => depth = depth.saturating_sub(1),
                                _ => {}
                            }
                            j += 1;
                            if depth == 0 {
                                break;
                            }
                        }
                    }
                    if tokens.get(j) == Some(&"extends") {
                        if let Some(&superclass) = tokens.get(j + 1) {
                            declared.push((class, superclass));
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let qualified = |simple: &str| {
        if package.is_empty() {
            simple.to_string()
        } else {
            format!("{package}.{simple}")
        }
    };
    declared
        .into_iter()
        .filter(|(_, superclass)| {
            let simple = superclass.rsplit('.').next().unwrap_or(superclass);
            names.iter().any(|n| simple.contains(n.as_str()))
        })
        .map(|(class, superclass)| {
            // Java's order: a qualified name as written, a single-type
            // import, the class's own package, then on-demand imports.
            let extends = if superclass.contains('.') {
                vec![superclass.to_string()]
            } else if let Some(import) = single_imports
                .iter()
                .find(|i| i.rsplit('.').next() == Some(superclass))
            {
                vec![(*import).to_string()]
            } else if is_project_type(&qualified(superclass)) || wildcard_imports.is_empty() {
                vec![qualified(superclass)]
            } else {
                wildcard_imports
                    .iter()
                    .map(|pkg| format!("{pkg}.{superclass}"))
                    .collect()
            };
            Subclass {
                class: qualified(class),
                extends,
            }
        })
        .collect()
}

/// The console appender classes of each `logback-appender` rule: those it
/// lists and the repository's own subclasses of them.
pub struct ConsoleClasses {
    by_rule: Vec<(usize, HashSet<String>)>,
}

impl ConsoleClasses {
    /// From the compiled `logback-appender` rules (rule, classes, files).
    pub fn new(
        rules: &[(usize, Vec<String>, Vec<String>)],
        subclasses: &[Subclass],
    ) -> ConsoleClasses {
        ConsoleClasses {
            by_rule: rules
                .iter()
                .map(|(rule, classes, _)| (*rule, with_subclasses(classes, subclasses)))
                .collect(),
        }
    }

    /// The findings, of uses as (rule, class, finding), whose class is one
    /// of the rule's console appenders.
    pub fn settle(
        &self,
        uses: Vec<(usize, String, Finding)>,
    ) -> impl Iterator<Item = Finding> + '_ {
        uses.into_iter()
            .filter(|(rule, class, _)| {
                self.by_rule
                    .iter()
                    .any(|(r, classes)| r == rule && is_one_of(class, classes))
            })
            .map(|(_, _, finding)| finding)
    }
}

/// `classes` and every class of `subclasses` that extends one of them,
/// directly or through another.
fn with_subclasses(classes: &[String], subclasses: &[Subclass]) -> HashSet<String> {
    let mut all: HashSet<String> = classes.iter().cloned().collect();
    loop {
        let before = all.len();
        for s in subclasses {
            if !all.contains(&s.class) && s.extends.iter().any(|e| all.contains(e)) {
                all.insert(s.class.clone());
            }
        }
        if all.len() == before {
            return all;
        }
    }
}

/// Whether a class named in a logback file is one of `classes`. A nested
/// class (`pkg.Outer$Inner`) is known by its package and simple name, as
/// the textual scan records it.
fn is_one_of(class: &str, classes: &HashSet<String>) -> bool {
    let class = class.trim();
    if classes.contains(class) {
        return true;
    }
    let Some((outer, inner)) = class.split_once('$') else {
        return false;
    };
    let simple = inner.rsplit('$').next().unwrap_or(inner);
    let package = outer.rsplit_once('.').map_or("", |(p, _)| p);
    let key = if package.is_empty() {
        simple.to_string()
    } else {
        format!("{package}.{simple}")
    };
    classes.contains(&key)
}

/// The text with comments, string and character literals blanked out, so
/// that `class` or `extends` in them is not read as code.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let skip_to = if rest.starts_with(b"//") {
            rest.iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| i + p)
        } else if rest.starts_with(b"/*") {
            find(&rest[2..], b"*/").map_or(bytes.len(), |p| i + 2 + p + 2)
        } else if rest.starts_with(b"\"\"\"") {
            find(&rest[3..], b"\"\"\"").map_or(bytes.len(), |p| i + 3 + p + 3)
        } else if rest[0] == b'"' || rest[0] == b'\'' {
            let quote = rest[0];
            let mut j = 1;
            while j < rest.len() && rest[j] != quote && rest[j] != b'\n' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            i + (j + 1).min(rest.len())
        } else {
            out.push(bytes[i]);
            i += 1;
            continue;
        };
        out.push(b' ');
        i = skip_to;
    }
    // Only ASCII was replaced, and only whole comments and literals were
    // dropped, so the rest is still UTF-8; a lossy conversion never loses
    // an identifier.
    String::from_utf8_lossy(&out).into_owned()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Words (dotted names kept whole, `.*` included), and `<`, `>`, `.` as
/// tokens of their own; everything else separates.
fn tokens(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_name(b) {
            let start = i;
            while i < bytes.len() {
                if is_name(bytes[i]) {
                    i += 1;
                } else if bytes[i] == b'.'
                    && bytes.get(i + 1).is_some_and(|&n| is_name(n) || n == b'*')
                {
                    i += 1;
                    if bytes[i] == b'*' {
                        i += 1;
                        break;
                    }
                } else {
                    break;
                }
            }
            out.push(&code[start..i]);
        } else {
            if matches!(b, b'<' | b'>' | b'.') {
                out.push(&code[i..i + 1]);
            }
            i += 1;
        }
    }
    out
}

/// The name a log4j 2 core plugin of a Java source (an appender, a
/// layout, a filter: `@Plugin(name = "HdfsAppender", category =
/// Core.CATEGORY_NAME, …)`) is known by: the element or `type` a logging
/// configuration uses it with (comments removed). Other categories
/// (converters, lookups) are named otherwise, and a plugin with aliases
/// (`@PluginAliases`) by other names too: neither is one.
pub fn log4j_core_plugin(code: &str) -> Option<&str> {
    if code.contains("@PluginAliases") {
        return None;
    }
    code.match_indices("@Plugin(").find_map(|(at, open)| {
        let args = &code[at + open.len()..];
        let args = &args[..args.find(')')?];
        let core = [
            "Core.CATEGORY_NAME",
            "Node.CATEGORY",
            "\"Core\"",
            "\"core\"",
        ]
        .iter()
        .any(|c| args.contains(c));
        if !core {
            return None;
        }
        let name = args.split(',').find_map(|arg| {
            let (key, value) = arg.split_once('=')?;
            (key.trim() == "name").then(|| value.trim().strip_prefix('"')?.strip_suffix('"'))?
        })?;
        (!name.is_empty()).then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log4j_core_plugin_is_known_by_its_name() {
        let appender = r#"@Plugin(name = "DriverHdfsAppender", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public class DriverAppender extends AbstractAppender {}"#;
        assert_eq!(log4j_core_plugin(appender), Some("DriverHdfsAppender"));
        let converter = r#"@Plugin(name = "Masker", category = "Converter")"#;
        assert_eq!(log4j_core_plugin(converter), None);
        assert_eq!(log4j_core_plugin("class A {}"), None);
        let aliased = r#"@Plugin(name = "Audit", category = "Core") @PluginAliases("audit2")"#;
        assert_eq!(log4j_core_plugin(aliased), None);
    }

    fn names() -> Vec<String> {
        vec!["Appender".to_string()]
    }

    fn scan(text: &str) -> Vec<Subclass> {
        appender_subclasses(text, &names(), &|_| false)
    }

    #[test]
    fn resolves_the_superclass_through_the_imports() {
        let found = scan(
            "package com.acme.log;\nimport ch.qos.logback.core.ConsoleAppender;\n\
             /** not a class Foo extends BarAppender */\n\
             public class TidyConsoleAppender<E> extends ConsoleAppender<E> {}\n",
        );
        assert_eq!(
            found,
            [Subclass {
                class: "com.acme.log.TidyConsoleAppender".into(),
                extends: vec!["ch.qos.logback.core.ConsoleAppender".into()],
            }]
        );
    }

    #[test]
    fn without_an_import_the_superclass_is_in_the_same_package() {
        let found = scan("package com.acme.ui;\nclass PanelAppender extends ConsoleAppender {}\n");
        assert_eq!(found[0].extends, ["com.acme.ui.ConsoleAppender"]);
    }

    #[test]
    fn wildcard_imports_leave_several_candidates_unless_the_package_has_it() {
        let text = "package p;\nimport a.*;\nimport b.*;\nclass X extends ConsoleAppender {}\n";
        assert_eq!(
            scan(text)[0].extends,
            ["a.ConsoleAppender", "b.ConsoleAppender"]
        );
        let own = appender_subclasses(text, &names(), &|fqn| fqn == "p.ConsoleAppender");
        assert_eq!(own[0].extends, ["p.ConsoleAppender"]);
    }

    #[test]
    fn type_parameters_strings_and_other_classes_are_not_read_as_extends() {
        let found = scan(
            "package p;\nimport q.OutputStreamAppender;\n\
             class A<E extends Event> extends q.BaseAppender<E> {}\n\
             class B extends Helper {}\n\
             String s = \"class C extends DAppender\";\n\
             Class<?> k = Foo.class;\n",
        );
        let pairs: Vec<(&str, &[String])> = found
            .iter()
            .map(|s| (s.class.as_str(), s.extends.as_slice()))
            .collect();
        assert_eq!(pairs, [("p.A", &["q.BaseAppender".to_string()][..])]);
    }

    #[test]
    fn files_naming_no_appender_are_not_scanned() {
        assert!(scan("package p; class X extends Y {}").is_empty());
    }

    #[test]
    fn subclasses_of_subclasses_count_and_lookalikes_do_not() {
        let console = vec!["ch.qos.logback.core.ConsoleAppender".to_string()];
        let subclasses = [
            Subclass {
                class: "a.Colored".into(),
                extends: vec!["a.Base".into()],
            },
            Subclass {
                class: "a.Base".into(),
                extends: vec!["ch.qos.logback.core.ConsoleAppender".into()],
            },
            Subclass {
                class: "ui.Panel".into(),
                extends: vec!["ui.ConsoleAppender".into()],
            },
        ];
        let all = with_subclasses(&console, &subclasses);
        assert!(is_one_of("a.Colored", &all));
        assert!(is_one_of(" a.Base ", &all));
        assert!(!is_one_of("ui.Panel", &all));
        assert!(is_one_of("a.Holder$Base", &all));
        assert!(!is_one_of("b.Holder$Base", &all));
    }
}
