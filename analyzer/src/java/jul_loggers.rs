//! `java.util.logging` loggers a repository's own factory hands out
//! (Apache CXF's `LogUtils.getL7dLogger(Foo.class)`), and the factories
//! that hand out loggers logging through SLF4J when it has a binding
//! (CXF's `LogUtils` returns its `Slf4jLogger` then).

use std::collections::HashMap;

use tree_sitter::Node;

/// JUL's logger, as imported.
const JUL_LOGGER: &str = "java.util.logging.Logger";

/// The classes (in full) whose static methods give every JUL `Logger`
/// the file declares with a value (`Logger LOG = LogUtils.getL7dLogger(…)`,
/// a field or a local), when the file imports JUL's `Logger`: none when
/// one comes from JUL itself (`Logger.getLogger`) or from anything but a
/// call on a class's name, or when the file declares none.
pub(super) fn logger_factories(
    root: Node,
    src: &str,
    imports: &HashMap<String, String>,
    package: &str,
) -> Vec<String> {
    if imports.get("Logger").map(String::as_str) != Some(JUL_LOGGER)
        || src.contains("Logger.getLogger(")
        || src.contains("Logger.getAnonymousLogger(")
    {
        return Vec::new();
    }
    let mut factories: Vec<String> = Vec::new();
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if matches!(
            node.kind(),
            "field_declaration" | "local_variable_declaration"
        ) && node
            .child_by_field_name("type")
            .is_some_and(|t| matches!(&src[t.byte_range()], "Logger" | JUL_LOGGER))
        {
            let declarators = node
                .children_by_field_name("declarator", &mut node.walk())
                .collect::<Vec<_>>();
            for declarator in declarators {
                let Some(value) = declarator.child_by_field_name("value") else {
                    continue;
                };
                match factory_class(value, src, imports, package) {
                    Some(class) if !factories.contains(&class) => factories.push(class),
                    Some(_) => {}
                    None => return Vec::new(),
                }
            }
        }
        stack.extend(node.named_children(&mut cursor));
    }
    factories
}

/// The class in full a `Factory.method(…)` call is made on, its name a
/// class's (capitalized) other than JUL's `Logger`, resolved through the
/// file's imports or else in its package.
fn factory_class(
    value: Node,
    src: &str,
    imports: &HashMap<String, String>,
    package: &str,
) -> Option<String> {
    if value.kind() != "method_invocation" {
        return None;
    }
    let object = value.child_by_field_name("object")?;
    let name = &src[object.byte_range()];
    if object.kind() != "identifier"
        || name == "Logger"
        || !name.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return None;
    }
    Some(imports.get(name).cloned().unwrap_or_else(|| {
        if package.is_empty() {
            name.to_string()
        } else {
            format!("{package}.{name}")
        }
    }))
}

/// Whether the file hands out JUL loggers that log through SLF4J: it
/// declares a method returning JUL's `Logger` and names SLF4J (an import,
/// or a class it loads by name once it knows SLF4J has a binding).
pub(super) fn routes_to_slf4j(root: Node, src: &str, imports: &HashMap<String, String>) -> bool {
    if imports.get("Logger").map(String::as_str) != Some(JUL_LOGGER) || !src.contains("org.slf4j") {
        return false;
    }
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "method_declaration"
            && node
                .child_by_field_name("type")
                .is_some_and(|t| matches!(&src[t.byte_range()], "Logger" | JUL_LOGGER))
        {
            return true;
        }
        stack.extend(node.named_children(&mut cursor));
    }
    false
}
