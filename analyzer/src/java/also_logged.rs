//! Console output that repeats what a logger records beside it: in a catch
//! block that logs the caught exception (`LOG.error("…", e)`), a
//! `e.printStackTrace()` or a `System.err.println(e.getMessage())` that
//! prints only that exception and literals; anywhere, a print of a literal
//! the statement before or after logs word for word
//! (`System.out.println("stopped"); LOGGER.info("stopped");`). The logs
//! already have it: the console line loses nothing in a pod.

use tree_sitter::Node;

use super::flow::each_in;

/// The levels a logger is called at.
const LEVELS: [&str; 6] = ["error", "warn", "info", "debug", "trace", "fatal"];

/// Why the console output at `node` repeats a logger's record, when it
/// does: the logger call that records it.
pub(super) fn repeated(node: Node, src: &str) -> Option<String> {
    let statement = std::iter::successors(Some(node), |n| n.parent())
        .take_while(|n| !is_boundary(n.kind()))
        .find(|n| n.kind() == "expression_statement")?;
    let call = statement
        .named_child(0)
        .filter(|c| c.kind() == "method_invocation")?;
    if let Some(catch) = enclosing_catch(statement) {
        let caught = caught_name(catch, src)?;
        if prints_only(call, caught, src) {
            let body = catch.child_by_field_name("body")?;
            let mut logged = None;
            each_in(body, |n| {
                if logged.is_none() && n.kind() == "method_invocation" {
                    logged = logger_call(n, src)
                        .filter(|_| arguments(n).iter().any(|a| rooted_at(*a, caught, src)));
                }
            });
            return logged.map(|at| {
                format!(
                    "the catch also logs `{caught}` through `{at}(…)`: the console line repeats it"
                )
            });
        }
    }
    let printed = console_literal(call, src)?;
    let is_comment = |n: &Node| matches!(n.kind(), "line_comment" | "block_comment");
    let before = std::iter::successors(statement.prev_named_sibling(), |n| n.prev_named_sibling())
        .find(|n| !is_comment(n));
    let after = std::iter::successors(statement.next_named_sibling(), |n| n.next_named_sibling())
        .find(|n| !is_comment(n));
    [before, after]
        .into_iter()
        .flatten()
        .filter(|s| s.kind() == "expression_statement")
        .filter_map(|s| s.named_child(0).filter(|c| c.kind() == "method_invocation"))
        .find_map(|c| {
            let at = logger_call(c, src)?;
            let first = *arguments(c).first()?;
            (first.kind() == "string_literal" && &src[first.byte_range()] == printed).then(|| {
                format!("`{at}(…)` beside it logs the same text: the console line repeats it")
            })
        })
}

fn is_boundary(kind: &str) -> bool {
    matches!(
        kind,
        "method_declaration" | "constructor_declaration" | "lambda_expression" | "class_body"
    )
}

/// The catch clause a statement sits in, within its method.
fn enclosing_catch(statement: Node) -> Option<Node> {
    std::iter::successors(statement.parent(), |n| n.parent())
        .take_while(|n| !is_boundary(n.kind()))
        .find(|n| n.kind() == "catch_clause")
}

/// The name a catch clause gives its exception.
fn caught_name<'s>(catch: Node, src: &'s str) -> Option<&'s str> {
    let mut cursor = catch.walk();
    let parameter = catch
        .named_children(&mut cursor)
        .find(|c| c.kind() == "catch_formal_parameter")?;
    Some(&src[parameter.child_by_field_name("name")?.byte_range()])
}

/// Whether a console call prints only the exception `caught` and literals:
/// `e.printStackTrace()`, `System.err.println(e.getMessage())`,
/// `System.out.println("failed: " + e)`.
fn prints_only(call: Node, caught: &str, src: &str) -> bool {
    let Some(name) = call
        .child_by_field_name("name")
        .map(|n| &src[n.byte_range()])
    else {
        return false;
    };
    let object = call.child_by_field_name("object");
    if name == "printStackTrace" {
        return object.is_some_and(|o| o.kind() == "identifier" && &src[o.byte_range()] == caught);
    }
    let to_console =
        object.is_some_and(|o| matches!(&src[o.byte_range()], "System.out" | "System.err"));
    let args = arguments(call);
    to_console
        && matches!(name, "println" | "print")
        && !args.is_empty()
        && args
            .iter()
            .all(|a| only_exception_and_literals(*a, caught, src))
}

fn only_exception_and_literals(expression: Node, caught: &str, src: &str) -> bool {
    match expression.kind() {
        "string_literal" => true,
        "binary_expression" => {
            let mut cursor = expression.walk();
            let operands: Vec<Node> = expression.named_children(&mut cursor).collect();
            operands
                .iter()
                .all(|o| only_exception_and_literals(*o, caught, src))
        }
        _ => rooted_at(expression, caught, src),
    }
}

/// Whether an expression is `name` or calls made on it
/// (`e.getMessage()`), or a concatenation holding one.
fn rooted_at(expression: Node, name: &str, src: &str) -> bool {
    match expression.kind() {
        "identifier" => &src[expression.byte_range()] == name,
        "method_invocation" => expression
            .child_by_field_name("object")
            .is_some_and(|o| rooted_at(o, name, src)),
        "binary_expression" => {
            let mut cursor = expression.walk();
            let found = expression
                .named_children(&mut cursor)
                .any(|o| rooted_at(o, name, src));
            found
        }
        _ => false,
    }
}

/// `LOG.error`, `logger.warn`, `this.log.info`: a call at a logging level
/// on a receiver named for a logger.
fn logger_call<'s>(call: Node, src: &'s str) -> Option<&'s str> {
    let name = &src[call.child_by_field_name("name")?.byte_range()];
    let object = call.child_by_field_name("object")?;
    let receiver = match object.kind() {
        "identifier" => &src[object.byte_range()],
        "field_access" => &src[object.child_by_field_name("field")?.byte_range()],
        _ => return None,
    };
    let arguments = call.child_by_field_name("arguments")?;
    (LEVELS.contains(&name) && receiver.to_ascii_lowercase().contains("log"))
        .then(|| &src[call.start_byte()..arguments.start_byte()])
}

/// The literal a console print prints, alone: `System.out.println("x")`.
fn console_literal<'s>(call: Node, src: &'s str) -> Option<&'s str> {
    let object = call.child_by_field_name("object")?;
    let name = &src[call.child_by_field_name("name")?.byte_range()];
    if !matches!(&src[object.byte_range()], "System.out" | "System.err")
        || !matches!(name, "println" | "print")
    {
        return None;
    }
    match arguments(call).as_slice() {
        [only] if only.kind() == "string_literal" => Some(&src[only.byte_range()]),
        _ => None,
    }
}

fn arguments(call: Node) -> Vec<Node> {
    let Some(list) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = list.walk();
    let args = list.named_children(&mut cursor).collect();
    args
}

#[cfg(test)]
mod tests {
    use super::repeated;
    use crate::java::grammar::at_first;

    fn reason(body: &str, needle: &str) -> Option<String> {
        let src = format!("class A {{ void m() throws Exception {{ {body} }} }}");
        at_first(&src, needle, |node| repeated(node, &src))
    }

    #[test]
    fn a_console_copy_of_what_the_catch_logs_repeats_it() {
        assert_eq!(
            reason(
                r#"try { run(); } catch (Exception e) { LOG.error("Error while expanding arguments", e); System.err.println(e.getMessage()); }"#,
                "System.err"
            )
            .as_deref(),
            Some("the catch also logs `e` through `LOG.error(…)`: the console line repeats it")
        );
        assert!(reason(
            r#"try { run(); } catch (Exception ex) { ex.printStackTrace(); this.logger.warn("failed: " + ex.getMessage()); }"#,
            "ex.printStackTrace"
        )
        .is_some());
        for kept in [
            // The logger does not record the exception.
            r#"try { run(); } catch (Exception e) { LOG.error("failed"); e.printStackTrace(); }"#,
            // The console prints more than the exception.
            r#"try { run(); } catch (Exception e) { LOG.error("failed", e); System.err.println(order.getId() + e.getMessage()); }"#,
            // No logger: a method that only sounds like one.
            r#"try { run(); } catch (Exception e) { audit.error(e); e.printStackTrace(); }"#,
            // Another exception's trace.
            r#"try { run(); } catch (Exception e) { LOG.error("failed", e); cause.printStackTrace(); }"#,
        ] {
            let needle = if kept.contains("System.err") {
                "System.err"
            } else {
                "printStackTrace"
            };
            assert_eq!(reason(kept, needle), None, "{kept}");
        }
    }

    #[test]
    fn a_printed_literal_the_next_statement_logs_repeats_it() {
        assert_eq!(
            reason(
                r#"System.out.println("carrera producer stopped!"); // the hook's last words
                LOGGER.info("carrera producer stopped!");"#,
                "System.out"
            )
            .as_deref(),
            Some("`LOGGER.info(…)` beside it logs the same text: the console line repeats it")
        );
        assert!(reason(
            r#"System.out.println("stopped"); LOGGER.info("stopped: {}", id);"#,
            "System.out"
        )
        .is_none());
        assert!(reason(
            r#"System.out.println("stopped"); audit("x"); LOGGER.info("stopped");"#,
            "System.out"
        )
        .is_none());
    }
}
