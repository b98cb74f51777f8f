//! Console output that repeats what a logger records beside it: in a catch
//! block, a statement of its block (or one before it of a block around it,
//! up to the catch's) that logs the caught exception at info level or
//! above (`LOG.error("…", e)`) beside a `e.printStackTrace()` (the logger
//! given the exception itself, so its trace) or a
//! `System.err.println(e.getMessage())` that prints that exception and
//! literals only; the same for an exception a method is given (an
//! `@ExceptionHandler`'s); a stack trace the next statement throws on
//! (`throw new IOException(e)`), which goes up with it; anywhere, a print
//! of a message that the statement before or after (or beside the `if`
//! whose branch is the print alone) logs with the same text at info
//! level or above (`System.out.println("stopped"); LOGGER.info("stopped");`,
//! `System.out.println("Bundle " + id + " is invalid"); LOG.warn("Bundle
//! {} is invalid", id);`). The logs already have it: the console line
//! loses nothing in a pod. And console output
//! after the method set the stream to one held in memory
//! (`System.setErr(new PrintStream(buffer))`, Zeppelin's Java REPL
//! collecting compiler errors): it is captured, not written out. And
//! console output in a catch around nothing but logging: it runs only
//! when the logger fails; and an empty line, which holds no record.

use tree_sitter::Node;

use crate::ip::name_words;

use super::flow::each_in;
use super::is_code_boundary;

/// The levels at which a record is kept in production (debug and trace
/// are usually switched off there): a failure's, with its trace
/// (neutrino-proxy's `log.info("create SSL handler failed", e)`), or a
/// notice.
const KEPT_LEVELS: [&str; 4] = ["info", "error", "warn", "fatal"];

/// Why the console output at `node` repeats a logger's record, when it
/// does: the logger call that records it; or why it is captured.
pub(super) fn repeated(node: Node, src: &str) -> Option<String> {
    let statement = std::iter::successors(Some(node), |n| n.parent())
        .take_while(|n| !is_code_boundary(n.kind()))
        .find(|n| n.kind() == "expression_statement")?;
    let call = statement
        .named_child(0)
        .filter(|c| c.kind() == "method_invocation")?;
    if let Some(why) = captured(statement, call, src) {
        return Some(why);
    }
    if let Some(why) = logging_failed(statement, src) {
        return Some(why);
    }
    if prints_an_empty_line(call, src) {
        return Some("it prints an empty line: no record is lost".to_string());
    }
    for (caught, scope) in exceptions_at(statement, src) {
        let trace = is_trace_of(call, caught, src);
        if trace {
            if let Some(thrown) = rethrown_next(statement, caught, src) {
                let how = match thrown {
                    Rethrown::AsCause(new) => {
                        format!("throws `{new}` with `{caught}` as its cause")
                    }
                    Rethrown::Itself => format!("throws `{caught}` again"),
                };
                return Some(format!(
                    "the next statement {how}: the trace goes up with it to the code that handles it"
                ));
            }
        }
        if !trace && !prints_exception(call, caught, src) {
            continue;
        }
        let is_caught = |a: Node| a.kind() == "identifier" && &src[a.byte_range()] == caught;
        let logs = |logger: Node| {
            let given = arguments(logger);
            // SLF4J takes the last element of an argument array after the
            // message as the throwable (`"…", new Object[]{key, e}`); a
            // lone array is a message of its own (commons-logging's).
            let in_last_array = || {
                given.len() >= 2
                    && given
                        .last()
                        .filter(|a| a.kind() == "array_creation_expression")
                        .and_then(|a| a.child_by_field_name("value"))
                        .and_then(|init| {
                            let mut cursor = init.walk();
                            init.named_children(&mut cursor).last()
                        })
                        .is_some_and(is_caught)
            };
            // The exception alone is the message (`log.warn(e)`): log4j 1
            // and commons-logging record its `toString()`, log4j 2 its
            // trace too.
            let alone_keeps_trace =
                || src.contains("org.apache.logging.log4j.Logger") || src.contains("@Log4j2");
            given.iter().any(|a| {
                if trace {
                    is_caught(*a) && (given.len() > 1 || alone_keeps_trace())
                } else {
                    rooted_at(*a, caught, src)
                }
            }) || (trace && in_last_array())
        };
        let around = logger_calls_around(statement, scope);
        let logged = around
            .iter()
            .find_map(|c| logger_call(*c, src, &KEPT_LEVELS).filter(|_| logs(*c)))
            .or_else(|| {
                around
                    .iter()
                    .find_map(|c| handed_logger(*c, caught, src).filter(|_| trace))
            });
        if let Some(at) = logged {
            let whose = match scope.parent().map(|p| p.kind()) {
                Some("catch_clause") => "the catch",
                _ => "the method",
            };
            return Some(format!(
                "{whose} also logs `{caught}` through `{at}(…)`: the console line repeats it"
            ));
        }
    }
    let printed = console_print(call, src).and_then(|args| match args.as_slice() {
        [only] => Some(*only),
        _ => None,
    })?;
    let mut message = Template::default();
    message.add(printed, src)?;
    if let Some(thrown) = thrown_with_message_next(statement, &message, src) {
        return Some(format!(
            "the next statement throws `{thrown}` with the same message: it goes up with it to the code that handles it"
        ));
    }
    adjacent_calls(statement, src).iter().find_map(|c| {
        let at = logger_call(*c, src, &KEPT_LEVELS)?;
        let given = arguments(*c);
        let (first, rest) = given.split_first()?;
        let mut logged = Template::default();
        logged.add(*first, src)?;
        logged
            .values
            .extend(rest.iter().map(|a| &src[a.byte_range()]));
        // Values past the template's `{}`s fill nothing: the exception
        // a logger records beside the message (`LOG.error(msg, e)`).
        let filled = logged.text.matches("{}").count();
        logged.values.truncate(filled);
        logged
            .same_as(&message)
            .then(|| format!("`{at}(…)` beside it logs the same text: the console line repeats it"))
    })
}

/// A message as a logger's template sees it: the text of its string
/// literals with `{}` for each other operand of its concatenation, and
/// those operands as written (`"Bundle " + id + " is invalid"` is `Bundle
/// {} is invalid` with `id`). A terminal's style (`SimpleAnsi.INTENSITY_BOLD`,
/// [`is_terminal_style`]) adds nothing.
#[derive(Default)]
struct Template<'s> {
    text: String,
    values: Vec<&'s str>,
}

impl<'s> Template<'s> {
    fn add(&mut self, expression: Node, src: &'s str) -> Option<()> {
        let written = &src[expression.byte_range()];
        match expression.kind() {
            "string_literal" => self.text.push_str(&super::strings::string_value(written)),
            "binary_expression" => {
                let operator = expression.child_by_field_name("operator")?;
                if &src[operator.byte_range()] != "+" {
                    return None;
                }
                for operand in operands(expression) {
                    self.add(operand, src)?;
                }
            }
            "identifier" | "field_access" if is_terminal_style(written) => {}
            "identifier" | "field_access" => self.value(written),
            // A getter gives the same value twice (`outFile.getPath()`); a
            // call such as `it.next()` may not.
            "method_invocation" if is_getter(expression, src) => self.value(written),
            _ => return None,
        }
        Some(())
    }

    fn value(&mut self, written: &'s str) {
        self.text.push_str("{}");
        self.values.push(written);
    }

    /// Whether another template says the same: the same text and values,
    /// and something said (two constants of a terminal's styles say
    /// nothing).
    fn same_as(&self, other: &Template) -> bool {
        !(self.text.trim().is_empty() && self.values.is_empty())
            && self.text.trim() == other.text.trim()
            && self.values == other.values
    }
}

/// A constant of a terminal's styles (`SimpleAnsi.INTENSITY_BOLD`,
/// `Ansi.RESET`, `COLOR_RED`): of a class a word of whose name is for
/// ANSI codes or colours (not `Transition`), or a constant written
/// without its class (a static import's, or the class's own) every word
/// of whose name is a style's (`BOLD_RED`; not `PASSWORD_RESET`).
fn is_terminal_style(written: &str) -> bool {
    const STYLE_WORDS: [&str; 25] = [
        "ANSI",
        "BOLD",
        "RESET",
        "INTENSITY",
        "UNDERLINE",
        "COLOR",
        "COLOUR",
        "RED",
        "GREEN",
        "YELLOW",
        "BLUE",
        "CYAN",
        "MAGENTA",
        "WHITE",
        "BLACK",
        "PURPLE",
        "GRAY",
        "GREY",
        "BRIGHT",
        "FAINT",
        "DIM",
        "ITALIC",
        "BLINK",
        "FG",
        "BG",
    ];
    let (owner, name) = written.rsplit_once('.').unwrap_or(("", written));
    let constant = name.len() > 1
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit());
    let owner = owner.rsplit('.').next().unwrap_or(owner);
    constant
        && (name_words(owner)
            .any(|w| w.starts_with("ansi") || w.contains("color") || w.contains("colour"))
            || owner.is_empty()
                && name
                    .split('_')
                    .filter(|w| !w.is_empty())
                    .all(|w| STYLE_WORDS.contains(&w)))
}

/// `x.getPath()`, `x.isEmpty()`, `x.toString()`: a call taking nothing
/// whose name says it reads a value; not one that moves on as it reads
/// (`getAndIncrement()`, `getNextId()`).
fn is_getter(call: Node, src: &str) -> bool {
    let name = call
        .child_by_field_name("name")
        .map_or("", |n| &src[n.byte_range()]);
    let reads = ["get", "is", "to"].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
    });
    let moves_on = ["getAnd", "getNext"].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
    });
    reads && !moves_on && arguments(call).is_empty()
}

/// The type of the new exception the statement after a print throws with
/// the printed message as its own (`System.out.println(sb); throw new
/// IllegalStateException(sb.toString());`, or the same literals and
/// values).
fn thrown_with_message_next<'s>(
    statement: Node,
    message: &Template,
    src: &'s str,
) -> Option<&'s str> {
    let thrown = next_throw_out_of_method(statement, src)?
        .named_child(0)
        .filter(|t| t.kind() == "object_creation_expression")?;
    let given = thrown.child_by_field_name("arguments")?.named_child(0)?;
    // `sb.toString()` is `sb`'s text.
    let given = match given.kind() {
        "method_invocation"
            if given
                .child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == "toString")
                && arguments(given).is_empty() =>
        {
            given.child_by_field_name("object")?
        }
        _ => given,
    };
    let mut thrown_message = Template::default();
    thrown_message.add(given, src)?;
    thrown_message
        .same_as(message)
        .then(|| thrown.child_by_field_name("type"))
        .flatten()
        .map(|t| &src[t.byte_range()])
}

/// How the statement after a stack trace throws the caught exception on.
enum Rethrown<'s> {
    /// `throw e;`
    Itself,
    /// `throw new IOException("read failed", e);`: the new exception's type.
    AsCause(&'s str),
}

/// Whether the statement after a stack trace throws the caught exception
/// on, out of the method ([`next_throw_out_of_method`]).
fn rethrown_next<'s>(statement: Node, caught: &str, src: &'s str) -> Option<Rethrown<'s>> {
    let thrown = next_throw_out_of_method(statement, src)?.named_child(0)?;
    carried(thrown, caught, src)
}

/// How a thrown expression carries the caught exception: itself (cast,
/// in parentheses), or as the cause of a new one; both branches of a
/// conditional must (`e instanceof WxPayException ? (WxPayException) e
/// : new WxPayException(e.getMessage(), e)`), and the new one is named.
fn carried<'s>(thrown: Node, caught: &str, src: &'s str) -> Option<Rethrown<'s>> {
    match thrown.kind() {
        "identifier" => (&src[thrown.byte_range()] == caught).then_some(Rethrown::Itself),
        "parenthesized_expression" => carried(thrown.named_child(0)?, caught, src),
        "cast_expression" => carried(thrown.child_by_field_name("value")?, caught, src),
        "ternary_expression" => {
            let then = carried(thrown.child_by_field_name("consequence")?, caught, src)?;
            let otherwise = carried(thrown.child_by_field_name("alternative")?, caught, src)?;
            Some(match (then, otherwise) {
                (Rethrown::AsCause(new), _) | (_, Rethrown::AsCause(new)) => Rethrown::AsCause(new),
                _ => Rethrown::Itself,
            })
        }
        "object_creation_expression" => {
            let given = thrown.child_by_field_name("arguments")?;
            let mut cursor = given.walk();
            let holds = given
                .named_children(&mut cursor)
                .any(|a| a.kind() == "identifier" && &src[a.byte_range()] == caught);
            holds
                .then(|| thrown.child_by_field_name("type"))
                .flatten()
                .map(|t| Rethrown::AsCause(&src[t.byte_range()]))
        }
        _ => None,
    }
}

/// The `throw` right after `statement` in its block (comments aside),
/// when what it throws leaves the method for its caller: no `try` of the
/// method whose body holds the throw catches (it may swallow it) nor has
/// a `finally` that may leave (a `return` there drops it), the method is
/// no anonymous class's (whoever is handed the object calls it), and any
/// lambda around it is one a call runs in line ([`RUNS_IN_LINE`]:
/// `forEach`), which throws through that call — not one a task runs (a
/// future no one may read) or one kept for later.
fn next_throw_out_of_method<'t>(statement: Node<'t>, src: &str) -> Option<Node<'t>> {
    statement.parent().filter(|p| {
        matches!(
            p.kind(),
            "block" | "switch_block_statement_group" | "constructor_body"
        )
    })?;
    let throw = std::iter::successors(statement.next_named_sibling(), |n| n.next_named_sibling())
        .find(|n| !matches!(n.kind(), "line_comment" | "block_comment"))
        .filter(|n| n.kind() == "throw_statement")?;
    let mut inner = throw;
    for outer in std::iter::successors(throw.parent(), |n| n.parent()) {
        match outer.kind() {
            "method_declaration" | "constructor_declaration" => {
                let anonymous = outer
                    .parent()
                    .and_then(|body| body.parent())
                    .is_some_and(|class| class.kind() == "object_creation_expression");
                return (!anonymous).then_some(throw);
            }
            "lambda_expression" => {
                let in_line = outer
                    .parent()
                    .filter(|p| p.kind() == "argument_list")
                    .and_then(|list| list.parent())
                    .filter(|call| call.kind() == "method_invocation")
                    .and_then(|call| call.child_by_field_name("name"))
                    .is_some_and(|name| RUNS_IN_LINE.contains(&&src[name.byte_range()]));
                if !in_line {
                    return None;
                }
            }
            "try_statement" | "try_with_resources_statement" => {
                let mut cursor = outer.walk();
                let children: Vec<Node> = outer.named_children(&mut cursor).collect();
                let catches = children.iter().any(|c| c.kind() == "catch_clause");
                let finally_leaves = children
                    .iter()
                    .any(|c| c.kind() == "finally_clause" && may_leave(*c));
                if finally_leaves || (catches && outer.child_by_field_name("body") == Some(inner)) {
                    return None;
                }
            }
            kind if is_code_boundary(kind) => return None,
            _ => {}
        }
        inner = outer;
    }
    None
}

/// The calls that run the lambda they are given before they return, so
/// that what it throws goes up through them: a collection's, a stream's,
/// a map's, an `Optional`'s.
const RUNS_IN_LINE: [&str; 22] = [
    "forEach",
    "forEachOrdered",
    "map",
    "flatMap",
    "filter",
    "peek",
    "reduce",
    "collect",
    "anyMatch",
    "allMatch",
    "noneMatch",
    "computeIfAbsent",
    "computeIfPresent",
    "compute",
    "merge",
    "ifPresent",
    "ifPresentOrElse",
    "orElseGet",
    "orElseThrow",
    "removeIf",
    "replaceAll",
    "sort",
];

/// The calls the statements just before and after a statement make, as
/// whole statements, comments and other console prints aside (`LOG.error(msg);
/// System.err.println(); System.err.println(msg);`); only statements of a
/// block run one after the other (not the two branches of an `if`
/// without braces). And for a print alone in a branch of an `if`, the
/// calls beside the `if` ([`branch_calls`]).
fn adjacent_calls<'t>(statement: Node<'t>, src: &str) -> Vec<Node<'t>> {
    let in_sequence = statement.parent().is_some_and(|p| {
        matches!(
            p.kind(),
            "block" | "switch_block_statement_group" | "constructor_body"
        )
    });
    let mut calls = Vec::new();
    if in_sequence {
        let before =
            std::iter::successors(statement.prev_named_sibling(), |n| n.prev_named_sibling())
                .find(|n| !skipped(n, src));
        let after =
            std::iter::successors(statement.next_named_sibling(), |n| n.next_named_sibling())
                .find(|n| !skipped(n, src));
        calls = statement_calls(before.into_iter().chain(after));
    }
    calls.extend(branch_calls(statement, src));
    calls
}

/// Comments and console prints, which [`adjacent_calls`] passes over.
fn skipped(n: &Node, src: &str) -> bool {
    matches!(n.kind(), "line_comment" | "block_comment")
        || (n.kind() == "expression_statement"
            && n.named_child(0)
                .filter(|c| c.kind() == "method_invocation")
                .and_then(|c| console_print(c, src))
                .is_some())
}

/// For the print alone (other prints and comments aside) in a branch of
/// an `if` (`LOGGER.info(m); if (verbose) { System.out.println(m); }`):
/// the calls beside the `if`, which run whenever it does. Not when the
/// condition asks the logger whether it records (`if
/// (!LOG.isInfoEnabled())`): the print then stands in for the log.
fn branch_calls<'t>(statement: Node<'t>, src: &str) -> Vec<Node<'t>> {
    let branch = statement
        .parent()
        .filter(|block| {
            let mut cursor = block.walk();
            let alone = block.kind() == "block"
                && block
                    .named_children(&mut cursor)
                    .all(|n| n == statement || skipped(&n, src));
            alone
        })
        .map_or(statement.parent(), |block| block.parent())
        .filter(|b| b.kind() == "if_statement")
        .filter(|b| {
            b.child_by_field_name("condition")
                .is_none_or(|c| !src[c.byte_range()].contains("Enabled("))
        });
    branch.map_or_else(Vec::new, |b| adjacent_calls(b, src))
}

/// The exceptions in scope at `statement`, each with the block it is
/// known in: the catches' around it, and the method's parameters of an
/// exception type (`Exception`, `Throwable`, `…Error`).
fn exceptions_at<'s, 't>(statement: Node<'t>, src: &'s str) -> Vec<(&'s str, Node<'t>)> {
    let mut found = Vec::new();
    let mut node = statement.parent();
    while let Some(n) = node {
        match n.kind() {
            "block" => {
                let catch = n.parent().filter(|p| p.kind() == "catch_clause");
                if let Some(name) = catch.and_then(|c| caught_name(c, src)) {
                    found.push((name, n));
                }
            }
            "method_declaration" | "constructor_declaration" => {
                let (Some(parameters), Some(body)) = (
                    n.child_by_field_name("parameters"),
                    n.child_by_field_name("body"),
                ) else {
                    break;
                };
                let mut cursor = parameters.walk();
                for p in parameters.named_children(&mut cursor) {
                    let ty = p.child_by_field_name("type").map(|t| &src[t.byte_range()]);
                    let is_exception = ty.is_some_and(|t| {
                        ["Exception", "Throwable", "Error"]
                            .iter()
                            .any(|end| t.ends_with(end))
                    });
                    if let (true, Some(name)) = (is_exception, p.child_by_field_name("name")) {
                        found.push((&src[name.byte_range()], body));
                    }
                }
                break;
            }
            kind if is_code_boundary(kind) => break,
            _ => {}
        }
        node = n.parent();
    }
    found
}

/// The calls a logger may have recorded an exception with whenever
/// `statement` runs, in `scope` (the block the exception is known in):
/// the statements of its own block before it, and after it up to one that
/// may leave the block (a `return`, `throw`, `break` or `continue` in it);
/// and the statements before it of each block around it up to `scope`.
/// Not a branch beside it, which may not run when it does.
fn logger_calls_around<'t>(statement: Node<'t>, scope: Node<'t>) -> Vec<Node<'t>> {
    let before = std::iter::successors(statement.prev_named_sibling(), |n| n.prev_named_sibling());
    let after = std::iter::successors(statement.next_named_sibling(), |n| n.next_named_sibling())
        .take_while(|n| !may_leave(*n));
    let mut calls = statement_calls(before.chain(after));
    let mut inner = statement;
    while let Some(outer) = inner.parent() {
        if outer == scope || is_code_boundary(outer.kind()) {
            break;
        }
        if outer.parent().is_some_and(|b| b.kind() == "block") {
            let before =
                std::iter::successors(outer.prev_named_sibling(), |n| n.prev_named_sibling());
            calls.extend(statement_calls(before));
        }
        inner = outer;
    }
    calls
}

/// Whether a statement may leave its block: it is, or holds outside a
/// lambda or a nested class, a `return`, `throw`, `break`, `continue` or
/// `yield`.
fn may_leave(statement: Node) -> bool {
    let mut pending = vec![statement];
    while let Some(node) = pending.pop() {
        match node.kind() {
            "return_statement" | "throw_statement" | "break_statement" | "continue_statement"
            | "yield_statement" => return true,
            "lambda_expression" | "class_body" => continue,
            _ => {}
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
    }
    false
}

/// The calls that are whole expression statements among `statements`.
fn statement_calls<'t>(statements: impl Iterator<Item = Node<'t>>) -> Vec<Node<'t>> {
    statements
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
    let arguments = call.child_by_field_name("arguments")?;
    (levels.contains(&name) && names_a_logger(object, src))
        .then(|| &src[call.start_byte()..arguments.start_byte()])
}

/// Whether a call is `System.out.println()` (or `System.err`'s) with no
/// argument: a line break, which holds no record.
fn prints_an_empty_line(call: Node, src: &str) -> bool {
    let text = |field: &str| {
        call.child_by_field_name(field)
            .map(|n| &src[n.byte_range()])
    };
    matches!(text("object"), Some("System.out" | "System.err"))
        && text("name") == Some("println")
        && call
            .child_by_field_name("arguments")
            .is_some_and(|a| a.named_child_count() == 0)
}

/// The levels a logger's call names (`log.warn`, JUL's `log`).
const ANY_LEVEL: [&str; 8] = [
    "trace", "debug", "info", "warn", "error", "fatal", "severe", "log",
];

/// Why console output in a catch is the fallback of a logger's call: the
/// try block it catches for does nothing but log (`try { LOGGER.warn(msg);
/// } catch (Throwable e) { e.printStackTrace(); }`, Ctrip DAL's logger
/// wrapper), so it runs only when logging itself fails, and the console is
/// where that can be told. Each statement of the try block is a logger's
/// call, an `if` whose branches are nothing else, or a local holding the
/// message (built of strings, the exception's own methods and the
/// logging helpers' calls).
fn logging_failed(statement: Node, src: &str) -> Option<String> {
    let catch = std::iter::successors(statement.parent(), |n| n.parent())
        .take_while(|n| !is_code_boundary(n.kind()))
        .find(|n| n.kind() == "catch_clause")?;
    let body = catch
        .parent()
        .filter(|t| t.kind() == "try_statement")?
        .child_by_field_name("body")?;
    let mut logger = None;
    let mut only_logs = |stmt: Node| -> bool {
        let call = Some(stmt)
            .filter(|s| s.kind() == "expression_statement")
            .and_then(|s| s.named_child(0))
            .filter(|c| c.kind() == "method_invocation");
        match call.and_then(|c| logger_call(c, src, &ANY_LEVEL)) {
            Some(at) => {
                logger = logger.or(Some(at));
                true
            }
            None => false,
        }
    };
    let statements: Vec<Node> = body.named_children(&mut body.walk()).collect();
    let all_log = !statements.is_empty()
        && statements.iter().all(|stmt| match stmt.kind() {
            "local_variable_declaration" => builds_a_message(*stmt, src),
            "if_statement" => ["consequence", "alternative"]
                .iter()
                .filter_map(|f| stmt.child_by_field_name(f))
                .all(|branch| {
                    let inner: Vec<Node> = if branch.kind() == "block" {
                        branch.named_children(&mut branch.walk()).collect()
                    } else {
                        vec![branch]
                    };
                    !inner.is_empty() && inner.into_iter().all(&mut only_logs)
                }),
            "line_comment" | "block_comment" => true,
            _ => only_logs(*stmt),
        });
    let at = logger.filter(|_| all_log)?;
    Some(format!(
        "it runs only when `{at}(…)` in its try block fails: the console is where that can be told"
    ))
}

/// Whether a local's declaration only builds a log message: every call in
/// it is on a string, the system's line separator, an exception's own
/// methods or a class named for logging (`LoggerHelper.getExceptionStack`).
fn builds_a_message(declaration: Node, src: &str) -> bool {
    const READS: [&str; 7] = [
        "getMessage",
        "getLocalizedMessage",
        "toString",
        "lineSeparator",
        "format",
        "valueOf",
        "getClass",
    ];
    let mut plain = true;
    each_in(declaration, |n| {
        if n.kind() == "method_invocation" {
            let name = n
                .child_by_field_name("name")
                .map_or("", |m| &src[m.byte_range()]);
            let object = n
                .child_by_field_name("object")
                .map_or("", |o| &src[o.byte_range()]);
            plain &= READS.contains(&name) || object.contains("Log") || object == "String";
        }
    });
    plain
}

/// Whether an expression is a variable or field named as a logger (`log`,
/// `LOG`, `logger`, `this._logger`, `auditLog`).
fn names_a_logger(expression: Node, src: &str) -> bool {
    let name = match expression.kind() {
        "identifier" => &src[expression.byte_range()],
        "field_access" => match expression.child_by_field_name("field") {
            Some(field) => &src[field.byte_range()],
            None => return false,
        },
        _ => return false,
    };
    let lower = name.to_ascii_lowercase();
    lower == "log"
        || lower.ends_with("logger")
        || lower.ends_with("_log")
        || name.ends_with("Log")
        || name.ends_with("LOG")
}

/// A call that hands the project's helper both a logger and the caught
/// exception itself (wildfirechat's `Utility.printExecption(LOG, e)`): the
/// helper records the exception through that logger. The call as written
/// up to its arguments.
fn handed_logger<'s>(call: Node, caught: &str, src: &'s str) -> Option<&'s str> {
    let given = arguments(call);
    let gets_exception = given
        .iter()
        .any(|a| a.kind() == "identifier" && &src[a.byte_range()] == caught);
    let gets_logger = given.iter().any(|a| names_a_logger(*a, src));
    let list = call.child_by_field_name("arguments")?;
    (gets_exception && gets_logger).then(|| &src[call.start_byte()..list.start_byte()])
}

/// The arguments of a `System.out`/`System.err` `println` or `print`.
fn console_print<'t>(call: Node<'t>, src: &str) -> Option<Vec<Node<'t>>> {
    let object = call.child_by_field_name("object")?;
    let name = &src[call.child_by_field_name("name")?.byte_range()];
    (matches!(&src[object.byte_range()], "System.out" | "System.err")
        && matches!(name, "println" | "print"))
    .then(|| arguments(call))
}

/// Why a console print's stream is held in memory at `statement`: the
/// nearest statement before it in its method that sets the stream
/// (`System.setErr(…)` for `System.err` and a stack trace, `System.setOut`
/// for `System.out`), itself a statement, sets it to a `PrintStream` over
/// a `ByteArrayOutputStream`, written there or held by locals; none when
/// a statement between holds a setter (a restore in a `finally` or a
/// branch) or the print is in a loop that sets the stream.
fn captured(statement: Node, call: Node, src: &str) -> Option<String> {
    let name = &src[call.child_by_field_name("name")?.byte_range()];
    let object = call
        .child_by_field_name("object")
        .map(|o| &src[o.byte_range()]);
    let setter = match (object, name) {
        (Some("System.err"), "println" | "print" | "printf" | "format") => "setErr",
        (Some("System.out"), "println" | "print" | "printf" | "format") => "setOut",
        (Some(_), "printStackTrace") if arguments(call).is_empty() => "setErr",
        _ => return None,
    };
    let sets = |c: Node| {
        c.kind() == "method_invocation"
            && c.child_by_field_name("object")
                .is_some_and(|o| &src[o.byte_range()] == "System")
            && c.child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == setter)
    };
    let sets_within = |n: Node| {
        let mut found = false;
        each_in(n, |c| found |= sets(c));
        found
    };
    // In a loop that sets the stream, a later round may print to the
    // restored one.
    let in_setting_loop = std::iter::successors(statement.parent(), |n| n.parent())
        .take_while(|n| !is_code_boundary(n.kind()))
        .any(|n| {
            matches!(
                n.kind(),
                "for_statement" | "enhanced_for_statement" | "while_statement" | "do_statement"
            ) && sets_within(n)
        });
    if in_setting_loop {
        return None;
    }
    let mut at = statement;
    while let Some(block) = at.parent().filter(|p| !is_code_boundary(p.kind())) {
        let before = std::iter::successors(at.prev_named_sibling(), |n| n.prev_named_sibling());
        for earlier in before {
            let set = (earlier.kind() == "expression_statement")
                .then(|| earlier.named_child(0))
                .flatten()
                .filter(|c| sets(*c));
            let Some(set) = set else {
                // A restore inside a statement (a `finally`, a branch)
                // may have run: the stream is not known.
                if sets_within(earlier) {
                    return None;
                }
                continue;
            };
            let stream = *arguments(set).first()?;
            return in_memory(stream, block, src, 0).then(|| {
                format!(
                    "`System.{setter}({})` before it sets the stream to one held in memory: the text is captured, not written out",
                    &src[stream.byte_range()]
                )
            });
        }
        at = block;
    }
    None
}

/// Whether an expression is a `PrintStream` over a `ByteArrayOutputStream`
/// (each `new` written there, or a local of the enclosing blocks holding
/// one).
fn in_memory(value: Node, scope: Node, src: &str, depth: usize) -> bool {
    // The class itself, not a subclass written there (one overriding
    // `write` may forward to the console).
    let created = |v: Node, ty: &str| {
        let mut cursor = v.walk();
        let subclassed = v
            .named_children(&mut cursor)
            .any(|c| c.kind() == "class_body");
        v.kind() == "object_creation_expression"
            && !subclassed
            && v.child_by_field_name("type")
                .is_some_and(|t| src[t.byte_range()].rsplit('.').next() == Some(ty))
    };
    let local = |v: Node| -> Option<Node> {
        (v.kind() == "identifier" && depth < 4).then_some(())?;
        let name = &src[v.byte_range()];
        let mut block = Some(scope);
        while let Some(b) = block.filter(|b| !is_code_boundary(b.kind())) {
            let mut cursor = b.walk();
            for d in b.named_children(&mut cursor) {
                if d.kind() != "local_variable_declaration" {
                    continue;
                }
                let found = super::grammar::declarator_named(d, name, src)
                    .and_then(|x| x.child_by_field_name("value"));
                if found.is_some() {
                    // Assigned again, it may hold anything.
                    let mut reassigned = false;
                    each_in(b, |n| {
                        reassigned |= n.kind() == "assignment_expression"
                            && n.child_by_field_name("left")
                                .is_some_and(|l| &src[l.byte_range()] == name);
                    });
                    return found.filter(|_| !reassigned);
                }
            }
            block = b.parent();
        }
        None
    };
    let stream = if created(value, "PrintStream") {
        Some(value)
    } else {
        local(value).filter(|v| created(*v, "PrintStream"))
    };
    let Some(over) = stream.and_then(|s| arguments(s).first().copied()) else {
        return false;
    };
    created(over, "ByteArrayOutputStream")
        || local(over).is_some_and(|v| created(v, "ByteArrayOutputStream"))
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
    use super::{is_terminal_style, repeated};
    use crate::java::grammar::at_first;

    fn reason(body: &str, needle: &str) -> Option<String> {
        let src = format!("class A {{ void m() throws Exception {{ {body} }} }}");
        at_first(&src, needle, |node| repeated(node, &src))
    }

    #[test]
    fn console_output_into_a_stream_held_in_memory_is_captured() {
        let set = "java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(); PrintStream err = new PrintStream(buffer); PrintStream old = System.err; System.setErr(err);";
        assert_eq!(
            reason(
                &format!("{set} if (failed) {{ System.err.println(\"line \" + n); }} System.setErr(old);"),
                "System.err.println"
            )
            .as_deref(),
            Some("`System.setErr(err)` before it sets the stream to one held in memory: the text is captured, not written out")
        );
        assert!(reason(
            "System.setOut(new PrintStream(new ByteArrayOutputStream())); System.out.println(x);",
            "System.out.println"
        )
        .is_some());
        for (kept, needle) in [
            // Restored before the print.
            (
                format!("{set} System.setErr(old); System.err.println(x);"),
                "System.err.println(x)",
            ),
            // The other stream.
            (
                format!("{set} System.out.println(x);"),
                "System.out.println(x)",
            ),
            // Set after the print.
            (
                "System.err.println(x); System.setErr(new PrintStream(new ByteArrayOutputStream()));"
                    .to_string(),
                "System.err.println(x)",
            ),
            // Restored in a finally, in a branch, or later in the loop.
            (
                "System.setErr(new PrintStream(new ByteArrayOutputStream())); try { run(); } finally { System.setErr(old); } System.err.println(x);"
                    .to_string(),
                "System.err.println(x)",
            ),
            (
                "System.setErr(new PrintStream(new ByteArrayOutputStream())); for (String y : ys) { System.err.println(x); System.setErr(old); }"
                    .to_string(),
                "System.err.println(x)",
            ),
            // A local assigned again, a subclass that may forward.
            (
                "PrintStream ps = new PrintStream(new ByteArrayOutputStream()); ps = System.err; System.setErr(ps); System.err.println(x);"
                    .to_string(),
                "System.err.println(x)",
            ),
            (
                "System.setErr(new PrintStream(new ByteArrayOutputStream() { }));  System.err.println(x);"
                    .to_string(),
                "System.err.println(x)",
            ),
            // A file's stream is written out.
            (
                "System.setErr(new PrintStream(new FileOutputStream(f))); System.err.println(x);"
                    .to_string(),
                "System.err.println(x)",
            ),
        ] {
            assert_eq!(reason(&kept, needle), None, "{kept}");
        }
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
        // At info, the trace is kept too.
        assert!(reason(
            r#"try { run(); } catch (Exception e) { log.info("create SSL handler failed", e); e.printStackTrace(); }"#,
            "e.printStackTrace"
        )
        .is_some());
        // SLF4J's argument array, the exception last.
        assert!(reason(
            r#"try { run(); } catch (Exception e) { e.printStackTrace(); LOG.error("filter {} key {}", new Object[]{name, key, e}); }"#,
            "e.printStackTrace"
        )
        .is_some());
        // The exception alone: log4j 2 makes its trace part of the event.
        let log4j2 = "import org.apache.logging.log4j.Logger;\nclass A { Logger log; void m() { try { run(); } catch (Exception e) { e.printStackTrace(); log.warn(e); } } }";
        assert!(at_first(log4j2, "e.printStackTrace", |node| repeated(node, log4j2)).is_some());
        for kept in [
            // The exception alone: log4j 1's and commons-logging's message,
            // its `toString()`, no trace.
            r#"try { run(); } catch (Throwable e) { e.printStackTrace(); log.warn(e); }"#,
            // A lone array: commons-logging's message, no trace.
            r#"try { run(); } catch (Exception e) { e.printStackTrace(); LOG.error(new Object[]{key, e}); }"#,
            // Not last in the array: a placeholder's value, no trace.
            r#"try { run(); } catch (Exception e) { e.printStackTrace(); LOG.error("{} {}", new Object[]{e, key}); }"#,
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
    fn a_trace_the_method_logged_before_a_branch_repeats_it() {
        let handler = |body: &str, parameter: &str| {
            let src = format!(
                "class A {{ @ExceptionHandler(Exception.class) Object handle({parameter}, HttpServletRequest req) {{ {body} }} }}"
            );
            at_first(&src, "printStackTrace", |node| repeated(node, &src))
        };
        assert_eq!(
            handler(
                r#"log.error("handler:", e); Result r = new Result(); if (e instanceof AppException) { r.setMessage(e.getMessage()); } else { e.printStackTrace(); } return r;"#,
                "Exception e"
            )
            .as_deref(),
            Some("the method also logs `e` through `log.error(…)`: the console line repeats it")
        );
        for (kept, parameter) in [
            // Logged after the branch: the print's branch may return first.
            (
                r#"if (e instanceof AppException) { e.printStackTrace(); return null; } log.error("handler:", e); return null;"#,
                "Exception e",
            ),
            // Logged in another branch.
            (
                r#"if (retry) { log.warn("retry", e); } else { e.printStackTrace(); }"#,
                "Exception e",
            ),
            // Logged after a branch that may return first.
            (
                r#"e.printStackTrace(); if (e instanceof IllegalStateException) { return "busy"; } log.error("failed", e); return "error";"#,
                "Exception e",
            ),
            // A parameter that is no exception, whose trace is another's.
            (
                r#"log.error("failed", job); job.printStackTrace();"#,
                "Job job",
            ),
        ] {
            assert_eq!(handler(kept, parameter), None, "{kept}");
        }
        // In a catch, a logger call before the branch holding the print.
        assert!(reason(
            r#"try { run(); } catch (Exception e) { LOG.error("failed", e); if (verbose) { e.printStackTrace(); } }"#,
            "printStackTrace"
        )
        .is_some());
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
        // A variable, as it is.
        assert!(reason(
            r#"logger.info(banner); System.out.println(banner);"#,
            "System.out"
        )
        .is_some());
        // The logger records an exception beside the message.
        assert!(reason(
            r#"LOGGER.error(msg, e); System.err.println(msg);"#,
            "System.err"
        )
        .is_some());
        // Other console prints between them (a blank line) aside.
        assert!(reason(
            r#"LOG.error(formatMsg); System.err.println(); System.err.println(formatMsg);"#,
            "System.err.println(formatMsg)"
        )
        .is_some());
        for kept in [
            r#"logger.info(banner); System.out.println(banner.trim());"#,
            r#"logger.info("banner"); System.out.println(banner);"#,
            r#"System.out.println("stopped"); LOGGER.info("stopped: {}", id);"#,
            r#"System.out.println("stopped"); audit("x"); LOGGER.info("stopped");"#,
            r#"System.out.println("sync stopped"); LOG.trace("sync stopped");"#,
        ] {
            assert!(reason(kept, "System.out").is_none(), "{kept}");
        }
    }

    #[test]
    fn a_printed_concatenation_the_logger_beside_it_formats_alike_repeats_it() {
        // Karaf's pairs: the literals with `{}` for the values, the same
        // values; a terminal's styles in capitals add nothing.
        for repeated in [
            r#"System.out.println("Bundle ID " + bundleId + " is invalid"); LOGGER.warn("Bundle ID {} is invalid", bundleId);"#,
            r#"LOGGER.info("Creating file: {}", outFile.getPath()); System.out.println("Creating file: " + SimpleAnsi.INTENSITY_BOLD + outFile.getPath() + SimpleAnsi.INTENSITY_NORMAL);"#,
            r#"LOGGER.info("Stopping " + name); System.out.println("Stopping " + name);"#,
        ] {
            assert!(reason(repeated, "System.out").is_some(), "{repeated}");
        }
        for kept in [
            // Another value, another order, another text, a value more.
            r#"System.out.println("Bundle ID " + other + " is invalid"); LOGGER.warn("Bundle ID {} is invalid", bundleId);"#,
            r#"System.out.println("Copy " + a + " to " + b); LOGGER.info("Copy {} to {}", b, a);"#,
            r#"System.out.println("Bundle " + id + " stopped"); LOGGER.warn("Bundle {} is invalid", id);"#,
            r#"System.out.println("Bundle " + id + " at " + version); LOGGER.warn("Bundle {} at", id);"#,
            // Arithmetic is not a message.
            r#"System.out.println(a - b); LOGGER.warn("{}", a - b);"#,
            // Other constants; a constant that is a value, not a style.
            r#"System.out.println(USAGE); LOG.info(STARTED);"#,
            r#"System.out.println(USAGE); LOG.info(AUDIT, "order {} deleted", id);"#,
            r#"System.out.println("Order " + id + " rejected: " + REASON_OUT_OF_STOCK); LOG.warn("Order {} rejected: ", id);"#,
            // A call that may give another value each time.
            r#"System.out.println(it.next()); LOG.info(it.next());"#,
        ] {
            assert!(reason(kept, "System.out").is_none(), "{kept}");
        }
    }

    #[test]
    fn a_print_the_next_statement_throws_as_its_message_goes_up_with_it() {
        assert_eq!(
            reason(
                r#"if (sb.length() > 0) { System.out.println(sb); throw new IllegalStateException(sb.toString()); }"#,
                "System.out"
            )
            .as_deref(),
            Some("the next statement throws `IllegalStateException` with the same message: it goes up with it to the code that handles it")
        );
        assert!(reason(
            r#"System.err.println("no route to " + host); throw new RouteException("no route to " + host);"#,
            "System.err"
        )
        .is_some());
        for kept in [
            // Another message, or a throw that is not the next statement.
            r#"System.err.println("no route to " + host); throw new RouteException("no route");"#,
            r#"System.err.println(sb); cleanup(); throw new IllegalStateException(sb.toString());"#,
        ] {
            assert!(reason(kept, "System.err").is_none(), "{kept}");
        }
    }

    #[test]
    fn a_print_alone_in_a_branch_beside_the_logger_repeats_it() {
        assert!(reason(
            r#"LOGGER.info(message); if (verbose) { System.out.println(message); }"#,
            "System.out"
        )
        .is_some());
        assert!(reason(
            r#"if (quiet) return; else System.out.println(message); LOGGER.info(message);"#,
            "System.out"
        )
        .is_some());
        for kept in [
            // The other branch logs; the print stands in for the log.
            r#"if (useLog) LOG.info(msg); else if (console) { System.out.println(msg); }"#,
            r#"if (useLog) LOG.info(msg); else System.out.println(msg);"#,
            r#"if (!LOG.isInfoEnabled()) { System.out.println(msg); } LOG.info(msg);"#,
            // Not alone in its branch: the branch does more than print.
            r#"LOGGER.info(message); if (verbose) { System.out.println(message); count++; }"#,
            // A loop's body, which the statement beside it does not match.
            r#"LOGGER.info(message); for (String m : all) { System.out.println(m); }"#,
        ] {
            assert!(reason(kept, "System.out").is_none(), "{kept}");
        }
    }

    #[test]
    fn a_stack_trace_before_the_catch_throws_the_exception_on_goes_up_with_it() {
        assert_eq!(
            reason(
                r#"try { run(); } catch (ClassNotFoundException e) { e.printStackTrace(); throw new DoNotRetryIOException(e); }"#,
                "printStackTrace"
            )
            .as_deref(),
            Some("the next statement throws `DoNotRetryIOException` with `e` as its cause: the trace goes up with it to the code that handles it")
        );
        assert!(reason(
            r#"try { run(); } catch (IOException e) { e.printStackTrace(); // keep it
            throw e; }"#,
            "printStackTrace"
        )
        .is_some());
        // Either itself, cast, or wrapped: the conditional carries it.
        assert_eq!(
            reason(
                r#"try { run(); } catch (Exception e) { e.printStackTrace(); throw (e instanceof PayException) ? (PayException) e : new PayException(e.getMessage(), e); }"#,
                "printStackTrace"
            )
            .as_deref(),
            Some("the next statement throws `PayException` with `e` as its cause: the trace goes up with it to the code that handles it")
        );
        // A branch that drops it: the trace is the only one.
        assert!(reason(
            r#"try { run(); } catch (Exception e) { e.printStackTrace(); throw e instanceof PayException ? (PayException) e : new PayException(e.getMessage()); }"#,
            "printStackTrace"
        )
        .is_none());
        // In a stream's lambda, and in a `try` with only a `finally`
        // around: it still leaves the method.
        assert!(reason(
            r#"rows.forEach(row -> { try { write(row); } catch (IOException e) { e.printStackTrace(); throw new RuntimeException(e); } });"#,
            "printStackTrace"
        )
        .is_some());
        assert!(reason(
            r#"try { try { run(); } catch (IOException e) { e.printStackTrace(); throw e; } } finally { close(); }"#,
            "printStackTrace"
        )
        .is_some());
        for kept in [
            // The new exception loses the cause, or another one is thrown.
            r#"try { run(); } catch (Exception e) { e.printStackTrace(); throw new IllegalStateException(e.getMessage()); }"#,
            r#"try { run(); } catch (Exception e) { e.printStackTrace(); throw other; }"#,
            // A statement between may end the method first.
            r#"try { run(); } catch (Exception e) { e.printStackTrace(); if (lenient) return; throw e; }"#,
            // A try of the method around it may swallow it; a task's
            // future nobody reads.
            r#"try { try { run(); } catch (IOException e) { e.printStackTrace(); throw new IllegalStateException(e); } } catch (IllegalStateException ignored) { }"#,
            r#"new Thread(() -> { try { run(); } catch (IOException e) { e.printStackTrace(); throw new IllegalStateException(e); } }).start();"#,
            r#"pool.submit(() -> { try { run(); } catch (IOException e) { e.printStackTrace(); throw new IllegalStateException(e); } });"#,
            // A lambda kept for later, and a try whose body holds the
            // throw; a trace that is not a statement of a block.
            r#"Runnable r = () -> { try { run(); } catch (IOException e) { e.printStackTrace(); throw new IllegalStateException(e); } };"#,
            r#"try { run(); } catch (IOException e) { try { e.printStackTrace(); throw new IllegalStateException(e); } catch (IllegalStateException again) { } }"#,
            r#"try { run(); } catch (IOException e) { if (verbose) e.printStackTrace(); throw e; }"#,
            // Threads, callbacks and listeners run it later or elsewhere;
            // an anonymous class's method is whoever holds it's; a finally
            // that returns drops what was thrown.
            r#"Thread.startVirtualThread(() -> { try { run(); } catch (IOException e) { e.printStackTrace(); throw new UncheckedIOException(e); } });"#,
            r#"future.thenApply(v -> { try { return run(v); } catch (IOException e) { e.printStackTrace(); throw new UncheckedIOException(e); } });"#,
            r#"listeners.add(() -> { try { run(); } catch (IOException e) { e.printStackTrace(); throw new UncheckedIOException(e); } });"#,
            r#"pool.submit(new Runnable() { public void run() { try { work(); } catch (IOException e) { e.printStackTrace(); throw new UncheckedIOException(e); } } });"#,
            r#"try { try { run(); } catch (IOException e) { e.printStackTrace(); throw new UncheckedIOException(e); } } finally { return; }"#,
        ] {
            assert!(reason(kept, "printStackTrace").is_none(), "{kept}");
        }
        // An exception the method is given, thrown on.
        let src = "class A { void fail(IOException e) throws IOException { e.printStackTrace(); throw e; } }";
        assert!(at_first(src, "printStackTrace", |node| repeated(node, src)).is_some());
    }

    #[test]
    fn a_terminal_style_is_named_for_one() {
        for style in [
            "SimpleAnsi.INTENSITY_BOLD",
            "Ansi.RESET",
            "COLOR_RED",
            "BOLD_RED",
            "ConsoleColors.RESET",
        ] {
            assert!(is_terminal_style(style), "{style}");
        }
        for value in [
            "Transition.RESET",
            "PASSWORD_RESET",
            "Messages.NAME",
            "bold",
        ] {
            assert!(!is_terminal_style(value), "{value}");
        }
    }

    #[test]
    fn a_print_before_a_throw_a_try_of_the_method_catches_stays() {
        let body = r#"try { System.err.println("no route to " + host); throw new RouteException("no route to " + host); } catch (RouteException e) { retry(); }"#;
        assert!(reason(body, "System.err").is_none());
        let body = r#"if (failed) System.err.println("no route to " + host); throw new RouteException("no route to " + host);"#;
        assert!(reason(body, "System.err").is_none());
    }
}
