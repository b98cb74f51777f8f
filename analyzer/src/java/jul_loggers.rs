//! `java.util.logging` loggers a repository's own factory hands out
//! (Apache CXF's `LogUtils.getL7dLogger(Foo.class)`), and the factories
//! that hand out loggers logging through SLF4J when it has a binding
//! (CXF's `LogUtils` returns its `Slf4jLogger` then).

use std::collections::HashMap;

use tree_sitter::Node;

/// JUL's logger, as imported.
const JUL_LOGGER: &str = "java.util.logging.Logger";

/// What a file importing JUL's `Logger` does with it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct JulLoggers {
    /// The classes (in full) whose static methods give every JUL `Logger`
    /// the file declares with a value (`Logger LOG =
    /// LogUtils.getL7dLogger(…)`, a field or a local): none when one
    /// comes from JUL itself (`Logger.getLogger`) or from anything but a
    /// call on a class's name, or when the file declares none.
    pub factories: Vec<String>,
    /// The file hands out JUL loggers that log through SLF4J: it declares
    /// a method returning JUL's `Logger` and names SLF4J (an import, or a
    /// class it loads by name once it knows SLF4J has a binding).
    pub routes_to_slf4j: bool,
}

/// Reads a file's JUL loggers in one walk of its tree; nothing for a
/// file that does not import JUL's `Logger`.
pub(super) fn jul_loggers(
    root: Node,
    src: &str,
    imports: &HashMap<String, String>,
    package: &str,
) -> JulLoggers {
    if imports.get("Logger").map(String::as_str) != Some(JUL_LOGGER) {
        return JulLoggers::default();
    }
    let is_logger = |n: Node| {
        n.child_by_field_name("type")
            .is_some_and(|t| matches!(&src[t.byte_range()], "Logger" | JUL_LOGGER))
    };
    // A logger of JUL's own anywhere leaves the file's loggers JUL's.
    let mut factories = (!src.contains("Logger.getLogger(")
        && !src.contains("Logger.getAnonymousLogger("))
    .then(Vec::new);
    let mut returns_logger = false;
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "field_declaration" | "local_variable_declaration" if is_logger(node) => {
                let values: Vec<Node> = node
                    .children_by_field_name("declarator", &mut node.walk())
                    .filter_map(|d| d.child_by_field_name("value"))
                    .collect();
                for value in values {
                    match (
                        factory_class(value, src, imports, package),
                        factories.as_mut(),
                    ) {
                        (Some(class), Some(found)) if !found.contains(&class) => found.push(class),
                        (Some(_), _) => {}
                        (None, _) => factories = None,
                    }
                }
            }
            "method_declaration" if is_logger(node) => returns_logger = true,
            _ => {}
        }
        stack.extend(node.named_children(&mut cursor));
    }
    JulLoggers {
        factories: factories.unwrap_or_default(),
        routes_to_slf4j: returns_logger && src.contains("org.slf4j"),
    }
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
