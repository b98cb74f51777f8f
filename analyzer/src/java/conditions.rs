//! What decides whether Spring makes a bean, read from a main source's
//! tree: code it runs only under a property's value (a bean class, or a
//! `@Bean` method, carrying `@ConditionalOnProperty`), and the packages
//! its component scans reach. Annotations' arguments are read as
//! written: a constant or an expression for a name or value is not read,
//! and the code counts as running (a scan, as reaching everything).

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::owner::annotation_nodes as annotations;
use super::strings::string_value;

/// What `@ConditionalOnProperty` asks of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PropertyCondition {
    /// The properties, with the prefix (`project.iaas.ostype`).
    pub names: Vec<String>,
    /// `havingValue`; empty for any value but `false`.
    pub having_value: String,
    pub match_if_missing: bool,
}

/// A bean class or `@Bean` method under a [`PropertyCondition`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ConditionedCode {
    /// `IaasConfiguration.kodoManager()`, or the class's name.
    pub place: String,
    /// Its first and last lines, 1-based.
    pub lines: (usize, usize),
    pub condition: PropertyCondition,
    /// The types it makes (`new KODOManager(…)`), each with how many
    /// times it names them (as a type or an identifier).
    pub makes: Vec<(String, usize)>,
}

/// The code of a parsed file under a property condition, classes nested
/// or not. A condition on a method counts only with `@Bean` (elsewhere
/// Spring ignores it), and on a class only beside another annotation
/// (what makes it a bean).
pub(crate) fn conditioned_code(root: Node, src: &str) -> Vec<ConditionedCode> {
    let mut out = Vec::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
        let owner = match node.kind() {
            "class_declaration" => None,
            "method_declaration" => match enclosing_type_name(node, src) {
                Some(class) => Some(class),
                None => continue,
            },
            _ => continue,
        };
        let annotations = annotations(node, src);
        let Some(condition) = annotations
            .iter()
            .find(|(name, _)| *name == "ConditionalOnProperty")
            .and_then(|(_, a)| condition(*a, src))
        else {
            continue;
        };
        let makes_a_bean = match owner {
            Some(_) => annotations.iter().any(|(name, _)| *name == "Bean"),
            None => annotations.len() > 1,
        };
        let Some(name) = node
            .child_by_field_name("name")
            .map(|n| &src[n.byte_range()])
            .filter(|_| makes_a_bean)
        else {
            continue;
        };
        let place = match owner {
            Some(class) => format!("{class}.{name}()"),
            None => name.to_string(),
        };
        out.push(ConditionedCode {
            place,
            lines: (node.start_position().row + 1, node.end_position().row + 1),
            condition,
            makes: made_types(node, src),
        });
    }
    out.sort_by_key(|c| c.lines);
    out
}

/// What a component scan this cannot read reaches: everything.
pub(crate) const ANY_PACKAGE: &str = "*";

/// The packages the file's component scans reach: a
/// `@SpringBootApplication`'s (its own, or its `scanBasePackages`), a
/// `@ComponentScan`'s (its own, or its `value`/`basePackages`);
/// [`ANY_PACKAGE`] for one naming classes or constants.
pub(crate) fn component_scans(root: Node, src: &str) -> Vec<String> {
    let own_package = {
        let mut cursor = root.walk();
        let declaration = root
            .named_children(&mut cursor)
            .find(|n| n.kind() == "package_declaration");
        declaration
            .and_then(|d| d.named_child(0))
            .map_or(String::new(), |n| src[n.byte_range()].to_string())
    };
    let mut out = Vec::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
        if node.kind() != "class_declaration" {
            continue;
        }
        for (name, annotation) in annotations(node, src) {
            let bases_key: &[&str] = match name {
                "SpringBootApplication" => &["scanBasePackages"],
                "ComponentScan" => &["value", "basePackages"],
                _ => continue,
            };
            let classes_key = match name {
                "SpringBootApplication" => "scanBasePackageClasses",
                _ => "basePackageClasses",
            };
            let mut bases = Vec::new();
            let mut readable = true;
            let arguments: Vec<Node> = annotation
                .child_by_field_name("arguments")
                .map(|a| {
                    let mut cursor = a.walk();
                    a.named_children(&mut cursor).collect()
                })
                .unwrap_or_default();
            for argument in arguments.iter().filter(|a| a.kind() != "comment") {
                let (key, value) = if argument.kind() == "element_value_pair" {
                    let Some((key, value)) = argument
                        .child_by_field_name("key")
                        .zip(argument.child_by_field_name("value"))
                    else {
                        continue;
                    };
                    (&src[key.byte_range()], value)
                } else {
                    ("value", *argument)
                };
                if bases_key.contains(&key) {
                    match strings(value, src) {
                        Some(found) => bases.extend(found),
                        None => readable = false,
                    }
                } else if key == classes_key {
                    readable = false;
                }
            }
            if !readable || bases.iter().any(|b| b.contains('*') || b.contains("${")) {
                out.push(ANY_PACKAGE.to_string());
            } else if bases.is_empty() {
                out.push(own_package.clone());
            } else {
                out.extend(bases);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The packages an XML configuration's `<context:component-scan
/// base-package="…">` reaches; [`ANY_PACKAGE`] for a pattern or a
/// placeholder.
pub(crate) fn xml_component_scans(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in xml.split("component-scan").skip(1) {
        let tag = part.split('>').next().unwrap_or_default();
        let Some(value) = tag
            .split_once("base-package")
            .and_then(|(_, rest)| rest.trim_start().strip_prefix('='))
            .map(str::trim_start)
            .and_then(|rest| {
                let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
                rest[1..].split(quote).next()
            })
        else {
            continue;
        };
        for base in value
            .split([',', ';', ' ', '\t', '\n'])
            .filter(|b| !b.is_empty())
        {
            if base.contains('*') || base.contains("${") {
                out.push(ANY_PACKAGE.to_string());
            } else {
                out.push(base.to_string());
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The name of the type a method is declared in.
fn enclosing_type_name<'s>(method: Node, src: &'s str) -> Option<&'s str> {
    let body = method.parent()?;
    let class = body.parent().filter(|_| body.kind() == "class_body")?;
    (class.kind() == "class_declaration")
        .then(|| class.child_by_field_name("name"))
        .flatten()
        .map(|n| &src[n.byte_range()])
}

/// The condition an `@ConditionalOnProperty(…)` states, when every part
/// of it is written as a literal.
fn condition(annotation: Node, src: &str) -> Option<PropertyCondition> {
    let arguments = annotation.child_by_field_name("arguments")?;
    let mut names = Vec::new();
    let mut prefix = String::new();
    let mut having_value = String::new();
    let mut match_if_missing = false;
    let mut cursor = arguments.walk();
    for argument in arguments.named_children(&mut cursor) {
        if argument.kind() == "comment" {
            continue;
        }
        let (key, value) = if argument.kind() == "element_value_pair" {
            let key = &src[argument.child_by_field_name("key")?.byte_range()];
            (key, argument.child_by_field_name("value")?)
        } else {
            ("value", argument)
        };
        match key {
            "name" | "value" => names.extend(strings(value, src)?),
            "prefix" => prefix = strings(value, src)?.pop()?,
            "havingValue" => having_value = strings(value, src)?.pop()?,
            "matchIfMissing" => {
                match_if_missing = match value.kind() {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    let prefix = prefix.trim_end_matches('.');
    let names: Vec<String> = names
        .into_iter()
        .map(|n| {
            if prefix.is_empty() {
                n
            } else {
                format!("{prefix}.{n}")
            }
        })
        .collect();
    (!names.is_empty() && names.iter().all(|n| !n.is_empty())).then_some(PropertyCondition {
        names,
        having_value,
        match_if_missing,
    })
}

/// The strings an annotation's value holds: one literal, or an array of
/// them; `None` for anything else (a constant, a concatenation).
fn strings(value: Node, src: &str) -> Option<Vec<String>> {
    match value.kind() {
        "string_literal" => Some(vec![string_value(&src[value.byte_range()])]),
        "element_value_array_initializer" => {
            let mut cursor = value.walk();
            let items: Vec<Node> = value
                .named_children(&mut cursor)
                .filter(|n| n.kind() != "comment")
                .collect();
            items.into_iter().map(|n| strings(n, src)?.pop()).collect()
        }
        _ => None,
    }
}

/// The types `new` makes in `node`, each with how many times `node`
/// names it.
fn made_types(node: Node, src: &str) -> Vec<(String, usize)> {
    let mut made: Vec<String> = Vec::new();
    let mut mentions: Vec<&str> = Vec::new();
    let mut pending = vec![node];
    while let Some(n) = pending.pop() {
        match n.kind() {
            "object_creation_expression" => {
                let ty = n.child_by_field_name("type").map(|t| match t.kind() {
                    "generic_type" => t.named_child(0).unwrap_or(t),
                    _ => t,
                });
                if let Some(ty) = ty {
                    let written = &src[ty.byte_range()];
                    made.push(written.rsplit('.').next().unwrap_or(written).to_string());
                }
            }
            "identifier" | "type_identifier" => mentions.push(&src[n.byte_range()]),
            _ => {}
        }
        let mut cursor = n.walk();
        pending.extend(n.named_children(&mut cursor));
    }
    made.sort_unstable();
    made.dedup();
    made.into_iter()
        .map(|ty| {
            let n = mentions.iter().filter(|m| **m == ty).count();
            (ty, n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::java::JavaParser;

    fn read(src: &str) -> Vec<ConditionedCode> {
        let tree = JavaParser::new().parse(src).expect("parses");
        conditioned_code(tree.root_node(), src)
    }

    #[test]
    fn a_bean_method_and_a_bean_class_under_a_property() {
        let src = r#"package p;
@Configuration
public class Storage {
    @Bean
    @ConditionalOnProperty(name = "store.type", havingValue = "qiniu")
    public Store kodo(Props props) {
        return new KodoStore(props, new java.util.HashMap<String, String>());
    }

    @Bean
    @ConditionalOnProperty(prefix = "store.", value = {"a", "b"}, matchIfMissing = true)
    public Store both() { KodoStore s = new p.KodoStore(); return s; }

    @ConditionalOnProperty("ignored.without.bean")
    public Store plain() { return new KodoStore(); }
}
"#;
        let found = read(src);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].place, "Storage.kodo()");
        assert_eq!(found[0].lines, (4, 8));
        assert_eq!(
            found[0].condition,
            PropertyCondition {
                names: vec!["store.type".into()],
                having_value: "qiniu".into(),
                match_if_missing: false,
            }
        );
        assert_eq!(
            found[0].makes,
            vec![("HashMap".into(), 1), ("KodoStore".into(), 1)]
        );
        assert_eq!(found[1].place, "Storage.both()");
        assert_eq!(found[1].condition.names, ["store.a", "store.b"]);
        assert!(found[1].condition.match_if_missing);
        assert_eq!(found[1].makes, vec![("KodoStore".into(), 2)]);

        let class = read(
            "@Component\n@ConditionalOnProperty(value = \"ftp.enable\", havingValue = \"true\")\nclass Ftp {}\n",
        );
        assert_eq!(class.len(), 1);
        assert_eq!(class[0].place, "Ftp");
        assert_eq!(class[0].lines, (1, 3));
    }

    #[test]
    fn component_scans_reach_their_own_package_or_the_packages_they_name() {
        let scans = |src: &str| {
            let tree = JavaParser::new().parse(src).expect("parses");
            component_scans(tree.root_node(), src)
        };
        assert_eq!(
            scans("package com.acme.app;\n@SpringBootApplication\nclass App {}"),
            ["com.acme.app"]
        );
        assert_eq!(
            scans("package com.acme.app;\n@SpringBootApplication(scanBasePackages = {\"com.acme\", \"org.x\"}, exclude = X.class)\nclass App {}"),
            ["com.acme", "org.x"]
        );
        assert_eq!(
            scans("package a;\n@Configuration @ComponentScan(\"com.acme.common\") class C {}"),
            ["com.acme.common"]
        );
        for unreadable in [
            "package a;\n@ComponentScan(basePackageClasses = Marker.class) class C {}",
            "package a;\n@SpringBootApplication(scanBasePackages = Packages.ALL) class C {}",
            "package a;\n@ComponentScan(\"com.*.service\") class C {}",
        ] {
            assert_eq!(scans(unreadable), [ANY_PACKAGE], "{unreadable}");
        }
        assert!(scans("package a;\n@Configuration class C {}").is_empty());
        assert_eq!(
            xml_component_scans("<context:component-scan base-package=\"com.acme.web, com.acme.api\"/>\n<context:component-scan\n  base-package='${pkg}'/>"),
            [ANY_PACKAGE, "com.acme.api", "com.acme.web"]
        );
    }

    #[test]
    fn a_condition_not_written_as_literals_is_not_read() {
        for src in [
            "@Component @ConditionalOnProperty(name = Keys.TYPE) class A {}",
            "@Component @ConditionalOnProperty(name = \"a\", havingValue = \"x\" + \"y\") class A {}",
            "@Component @ConditionalOnProperty(name = \"a\", matchIfMissing = MISSING) class A {}",
            "@ConditionalOnProperty(name = \"a\") class OnlyTheCondition {}",
        ] {
            assert!(read(src).is_empty(), "{src}");
        }
    }
}
