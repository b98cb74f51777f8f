//! Console output that repeats what a logger records beside it: in a catch
//! block, a statement of its block that logs the caught exception at
//! error or warning level (`LOG.error("…", e)`) beside a
//! `e.printStackTrace()` (the logger given the exception itself, so its
//! trace) or a `System.err.println(e.getMessage())` that prints that
//! exception and literals only; anywhere, a print of a literal the
//! statement before or after logs word for word at info level or above
//! (`System.out.println("stopped"); LOGGER.info("stopped");`). The logs
//! already have it: the console line loses nothing in a pod.

use tree_sitter::Node;

/// The levels at which a failure's record is kept in production (debug
/// and trace are usually switched off there).
const FAILURE_LEVELS: [&str; 3] = ["error", "warn", "fatal"];

/// The levels at which a notice is kept in production.
const NOTICE_LEVELS: [&str; 4] = ["info", "error", "warn", "fatal"];

/// Why the console output at `node` repeats a logger's record, when it
/// does: the logger call that records it.
pub(super) fn repeated(node: Node, src: &str) -> Option<String> {
    let statement = std::iter::successors(Some(node), |n| n.parent())
        .take_while(|n| !is_boundary(n.kind()))
        .find(|n| n.kind() == "expression_statement")?;
    let call = statement
        .named_child(0)
        .filter(|c| c.kind() == "method_invocation")?;
    // Only the catch's own block: a logger call in a branch or a nested
    // catch may not run when the print does.
    let caught = statement
        .parent()
        .filter(|block| block.kind() == "block")
        .and_then(|block| block.parent())
        .filter(|p| p.kind() == "catch_clause")
        .and_then(|catch| caught_name(catch, src));
    if let Some(caught) = caught {
        let trace = is_trace_of(call, caught, src);
        if trace || prints_exception(call, caught, src) {
            let logs = |logger: Node| {
                arguments(logger).iter().any(|a| {
                    if trace {
                        a.kind() == "identifier" && &src[a.byte_range()] == caught
                    } else {
                        rooted_at(*a, caught, src)
                    }
                })
            };
            return sibling_calls(statement, false)
                .iter()
                .find_map(|c| logger_call(*c, src, &FAILURE_LEVELS).filter(|_| logs(*c)))
                .map(|at| {
                    format!("the catch also logs `{caught}` through `{at}(…)`: the console line repeats it")
                });
        }
    }
    let printed = console_print(call, src).and_then(|args| match args.as_slice() {
        [only] if only.kind() == "string_literal" => Some(&src[only.byte_range()]),
        _ => None,
    })?;
    sibling_calls(statement, true).iter().find_map(|c| {
        let at = logger_call(*c, src, &NOTICE_LEVELS)?;
        let first = *arguments(*c).first()?;
        (first.kind() == "string_literal" && &src[first.byte_range()] == printed)
            .then(|| format!("`{at}(…)` beside it logs the same text: the console line repeats it"))
    })
}

fn is_boundary(kind: &str) -> bool {
    matches!(
        kind,
        "method_declaration" | "constructor_declaration" | "lambda_expression" | "class_body"
    )
}

/// The calls the other statements of a statement's block make, as whole
/// statements; with `adjacent`, only the statements just before and after
/// it, comments aside.
fn sibling_calls(statement: Node, adjacent: bool) -> Vec<Node> {
    let is_comment = |n: &Node| matches!(n.kind(), "line_comment" | "block_comment");
    let before = std::iter::successors(statement.prev_named_sibling(), |n| n.prev_named_sibling())
        .filter(|n| !is_comment(n))
        .take(if adjacent { 1 } else { usize::MAX });
    let after = std::iter::successors(statement.next_named_sibling(), |n| n.next_named_sibling())
        .filter(|n| !is_comment(n))
        .take(if adjacent { 1 } else { usize::MAX });
    before
        .chain(after)
        .filter(|s| s.kind() == "expression_statement")
        .filter_map(|s| s.named_child(0).filter(|c| c.kind() == "method_invocation"))
        .collect()
}

/// The name a catch clause gives its exception.
fn caught_name<'s>(catch: Node, src: &'s str) -> Option<&'s str> {
    let mut cursor = catch.walk();
    let parameter = catch
        .named_children(&mut cursor)
        .find(|c| c.kind() == "catch_formal_parameter")?;
    Some(&src[parameter.child_by_field_name("name")?.byte_range()])
}

/// `e.printStackTrace()` of the caught exception.
fn is_trace_of(call: Node, caught: &str, src: &str) -> bool {
    call.child_by_field_name("name")
        .is_some_and(|n| &src[n.byte_range()] == "printStackTrace")
        && call
            .child_by_field_name("object")
            .is_some_and(|o| o.kind() == "identifier" && &src[o.byte_range()] == caught)
}

/// A console print of the caught exception and literals only, the
/// exception among them: `System.err.println("failed: " + e.getMessage())`.
fn prints_exception(call: Node, caught: &str, src: &str) -> bool {
    console_print(call, src).is_some_and(|args| {
        args.iter().any(|a| rooted_at(*a, caught, src))
            && args
                .iter()
                .all(|a| only_exception_and_literals(*a, caught, src))
    })
}

fn only_exception_and_literals(expression: Node, caught: &str, src: &str) -> bool {
    match expression.kind() {
        "string_literal" => true,
        "binary_expression" => operands(expression)
            .iter()
            .all(|o| only_exception_and_literals(*o, caught, src)),
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
        "binary_expression" => operands(expression)
            .iter()
            .any(|o| rooted_at(*o, name, src)),
        _ => false,
    }
}

fn operands(expression: Node) -> Vec<Node> {
    let mut cursor = expression.walk();
    let found = expression.named_children(&mut cursor).collect();
    found
}

/// `LOG.error`, `logger.warn`, `this.log.info`: a call at one of `levels`
/// on a receiver named as a logger (`log`, `LOG`, `logger`, `_logger`,
/// `auditLog`; not `catalog` or `dialog`).
fn logger_call<'s>(call: Node, src: &'s str, levels: &[&str]) -> Option<&'s str> {
    let name = &src[call.child_by_field_name("name")?.byte_range()];
    let object = call.child_by_field_name("object")?;
    let receiver = match object.kind() {
        "identifier" => &src[object.byte_range()],
        "field_access" => &src[object.child_by_field_name("field")?.byte_range()],
        _ => return None,
    };
    let lower = receiver.to_ascii_lowercase();
    let named_as_logger = lower == "log"
        || lower.ends_with("logger")
        || lower.ends_with("_log")
        || receiver.ends_with("Log")
        || receiver.ends_with("LOG");
    let arguments = call.child_by_field_name("arguments")?;
    (levels.contains(&name) && named_as_logger)
        .then(|| &src[call.start_byte()..arguments.start_byte()])
}

/// The arguments of a `System.out`/`System.err` `println` or `print`.
fn console_print<'t>(call: Node<'t>, src: &str) -> Option<Vec<Node<'t>>> {
    let object = call.child_by_field_name("object")?;
    let name = &src[call.child_by_field_name("name")?.byte_range()];
    (matches!(&src[object.byte_range()], "System.out" | "System.err")
        && matches!(name, "println" | "print"))
    .then(|| arguments(call))
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
            r#"try { run(); } catch (Exception ex) { ex.printStackTrace(); this.logger.warn("failed", ex); }"#,
            "ex.printStackTrace"
        )
        .is_some());
        for kept in [
            // The logger does not record the exception.
            r#"try { run(); } catch (Exception e) { LOG.error("failed"); e.printStackTrace(); }"#,
            // Only its message: the trace is not in the logs.
            r#"try { run(); } catch (Exception e) { LOG.error("failed: " + e.getMessage()); e.printStackTrace(); }"#,
            // At a level production does not keep.
            r#"try { run(); } catch (Exception e) { LOG.debug("pull failed", e); e.printStackTrace(); }"#,
            // In a branch of the catch, not beside the print.
            r#"try { run(); } catch (Exception e) { if (retry) { LOG.warn("will retry", e); } else { e.printStackTrace(); } }"#,
            // A receiver that only sounds like a logger.
            r#"try { run(); } catch (Exception e) { catalog.error("pull", e); e.printStackTrace(); }"#,
            // Another exception's trace.
            r#"try { run(); } catch (Exception e) { LOG.error("failed", e); cause.printStackTrace(); }"#,
            // The console prints more than the exception, or not it at all.
            r#"try { run(); } catch (Exception e) { LOG.error("failed", e); System.err.println(order.getId() + e.getMessage()); }"#,
            r#"try { run(); } catch (Exception e) { LOG.error("import failed", e); System.err.println("ALERT: nightly import aborted"); }"#,
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
        for kept in [
            r#"System.out.println("stopped"); LOGGER.info("stopped: {}", id);"#,
            r#"System.out.println("stopped"); audit("x"); LOGGER.info("stopped");"#,
            r#"System.out.println("sync stopped"); LOG.trace("sync stopped");"#,
        ] {
            assert!(reason(kept, "System.out").is_none(), "{kept}");
        }
    }
}
