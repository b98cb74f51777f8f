//! Code that never runs: a catch block whose exception is thrown only for
//! a charset or an algorithm the JVM may lack, around code naming one that
//! every JVM must have (`catch (UnsupportedEncodingException e)` around
//! `getBytes("UTF-8")`), a broad catch around only what cannot throw
//! (reads of settings, such lookups), a catch of
//! `CloneNotSupportedException` around `super.clone()` in a `Cloneable`
//! class, a catch of `IllegalAccessException` around reading a member
//! `setAccessible(true)` opened, a catch of `IOException` around closing,
//! flushing or writing a stream held in memory (`ByteArrayOutputStream`)
//! or around a try with resources opening only such streams and printers
//! over them, a branch a `static final` flag set to `false` guards
//! (`if (debug)`), a branch a field named for tests guards that the
//! file never assigns (`if (drainedForTest != null)`: Tez's scheduler),
//! and a method or class marked `@TestOnly`.

use tree_sitter::Node;

use super::flow::each_in;
use super::grammar::{declarator_named, declared};
use super::is_code_boundary;

/// Checked exceptions thrown only for an unsupported name, with the names
/// the Java SE specification makes every JVM support
/// (`java.nio.charset.Charset`, `java.security.MessageDigest`,
/// `javax.crypto.Cipher`, whose transformations a `NoSuchAlgorithmException`
/// cannot miss either).
const REQUIRED_NAMES: [(&str, &[&str]); 3] = [
    (
        "UnsupportedEncodingException",
        &[
            "US-ASCII",
            "ISO-8859-1",
            "UTF-8",
            "UTF-16BE",
            "UTF-16LE",
            "UTF-16",
        ],
    ),
    ("NoSuchAlgorithmException", &DIGESTS),
    ("NoSuchPaddingException", &TRANSFORMATIONS),
];

/// Why the code at `node` never runs, when it does not. `up`: the
/// node's ancestors, nearest first.
pub(super) fn never_runs(node: Node, up: &[Node], src: &str) -> Option<String> {
    never_thrown(up, src)
        .or_else(|| guarded_off(node, up, src))
        .or_else(|| test_only(up, src))
}

/// Why code in a method or class marked `@TestOnly` (JetBrains'
/// annotation, or a project's own of that name) never runs in a service:
/// the mark says only tests call it.
fn test_only(up: &[Node], src: &str) -> Option<String> {
    up.iter()
        .filter(|n| {
            matches!(
                n.kind(),
                "method_declaration" | "constructor_declaration" | "class_declaration"
            )
        })
        .find(|n| {
            super::owner::annotation_nodes(**n, src)
                .iter()
                .any(|(name, _)| *name == "TestOnly")
        })
        .map(|n| {
            let name = n
                .child_by_field_name("name")
                .map_or("", |name| &src[name.byte_range()]);
            let what = if n.kind() == "class_declaration" {
                name.to_string()
            } else {
                format!("{name}()")
            };
            format!("in {what}, marked `@TestOnly`: only tests call it")
        })
}

/// Why the catch block around a node (`up`: its ancestors, nearest
/// first) never runs, when it does not: each exception it catches is one
/// of `REQUIRED_NAMES`' and the try block names a charset or an algorithm
/// every JVM has for it.
fn never_thrown(up: &[Node], src: &str) -> Option<String> {
    let catch = *up
        .iter()
        .take_while(|n| !is_code_boundary(n.kind()))
        .find(|n| n.kind() == "catch_clause")?;
    let try_block = catch.parent()?.child_by_field_name("body")?;
    // What the try block's throwing calls name: `getBytes(cs)` may throw,
    // `getBytes("UTF-8")` may not; a `Charset` object never does.
    let mut named: Vec<(&str, Node)> = Vec::new();
    each_in(try_block, |n| named.extend(named_argument(n, src)));
    let mut caught = Vec::new();
    each_in(catch, |n| {
        if n.kind() == "catch_type" {
            let mut cursor = n.walk();
            caught.extend(n.named_children(&mut cursor).map(|t| {
                let name = &src[t.byte_range()];
                name.rsplit('.').next().unwrap_or(name)
            }));
        }
    });
    if let [broad] = caught.as_slice() {
        if BROAD_CATCHES.contains(broad) {
            // A resource the statement opens may throw too.
            if catch
                .parent()
                .is_some_and(|t| t.kind() == "try_with_resources_statement")
            {
                return None;
            }
            return only_what_cannot_throw(try_block, src).map(|what| {
                format!(
                    "in a catch of {broad} around only {what}, which cannot fail: it never runs"
                )
            });
        }
    }
    if caught == ["IllegalAccessException"] {
        if let Some(member) = catch
            .parent()
            .and_then(|t| reads_accessible_members(t, src))
        {
            return Some(format!(
                "in a catch of IllegalAccessException around reading {member}, which setAccessible(true) opened first: it never runs"
            ));
        }
    }
    if caught == ["CloneNotSupportedException"] && clones_a_cloneable(try_block, catch, src) {
        return Some(
            "in a catch of CloneNotSupportedException around super.clone() of a Cloneable class: it never runs"
                .to_string(),
        );
    }
    // A resource the statement opens may throw.
    let opens_resources = catch
        .parent()
        .is_some_and(|t| t.kind() == "try_with_resources_statement");
    if caught == ["IOException"] && !opens_resources {
        if let Some(stream) = only_in_memory_io(try_block, src) {
            return Some(format!(
                "in a catch of IOException around closing or writing {stream}, which holds its bytes in memory: it never runs"
            ));
        }
    }
    if caught == ["IOException"] && opens_resources {
        if let Some(streams) = catch
            .parent()
            .and_then(|t| opens_only_in_memory(t, try_block, src))
        {
            return Some(format!(
                "in a catch of IOException around opening and closing {streams}, which hold their text in memory: it never runs"
            ));
        }
    }
    let mut shown = Vec::new();
    for exception in &caught {
        let (_, names) = REQUIRED_NAMES.iter().find(|(e, _)| e == exception)?;
        let mut first = None;
        for (_, argument) in named.iter().filter(|(e, _)| e == exception) {
            let text = match argument.kind() {
                "string_literal" => src[argument.byte_range()].trim_matches('"'),
                // `MD5_NAME`, a constant of the file (`static final
                // String MD5_NAME = "MD5";`).
                "identifier" => constant_value(src, &src[argument.byte_range()])?,
                "field_access" => continue,
                _ => return None,
            };
            let cipher = *exception == "NoSuchAlgorithmException"
                && TRANSFORMATIONS.iter().any(|t| t.eq_ignore_ascii_case(text));
            if !cipher && !names.iter().any(|n| n.eq_ignore_ascii_case(text)) {
                return None;
            }
            first.get_or_insert(text);
        }
        shown.push(format!("{exception} around \"{}\"", first?));
    }
    (!shown.is_empty()).then(|| {
        format!(
            "in a catch of {}, which every JVM supports: it never runs",
            shown.join(" and ")
        )
    })
}

/// Calls that declare no checked exception, whatever they are called on
/// (a collection's, a logger's, an annotation's or a member's own
/// accessors): beside them, a try block's reads of accessible members.
const DECLARE_NOTHING: [&str; 16] = [
    "put",
    "add",
    "remove",
    "contains",
    "containsKey",
    "size",
    "isEmpty",
    "name",
    "value",
    "getName",
    "getType",
    "debug",
    "info",
    "warn",
    "error",
    "trace",
];

/// The member a try block reads by reflection after `setAccessible(true)`
/// opened it (`field.setAccessible(true); try { … field.get(obj) … }`),
/// when that read (`get…` of a field, `invoke` of a method) is all it does
/// that could declare an `IllegalAccessException`: then it cannot throw
/// one. Opened means by a statement of the try's own block before it, not
/// undone there (`setAccessible(false)`, an assignment, a declaration of
/// the name). Writes stay (a `static final` field refuses them all the
/// same), and so does a try with resources, whose opening may throw.
fn reads_accessible_members<'s>(try_statement: Node, src: &'s str) -> Option<&'s str> {
    if try_statement.kind() != "try_statement" {
        return None;
    }
    let try_block = try_statement.child_by_field_name("body")?;
    // The way up to the method, outermost first: each node with the one
    // on the way below it.
    let mut way: Vec<(Node, Node)> = std::iter::successors(Some(try_statement), |n| n.parent())
        .zip(std::iter::successors(try_statement.parent(), |n| {
            n.parent()
        }))
        .take_while(|(_, up)| !is_code_boundary(up.kind()))
        .map(|(below, up)| (up, below))
        .collect();
    way.reverse();
    let mut opened: Vec<&str> = Vec::new();
    for (up, below) in way {
        if up.kind() != "block" {
            // A loop's or a catch's variable replaces what the name held.
            if let Some(name) = rebound(up, src) {
                opened.retain(|m| *m != name);
            }
            continue;
        }
        let mut cursor = up.walk();
        for statement in up.named_children(&mut cursor) {
            if statement.id() == below.id() {
                break;
            }
            if let Some((member, on)) = sets_accessible(statement, src) {
                opened.retain(|m| *m != member);
                if on {
                    opened.push(member);
                }
                continue;
            }
            each_in(statement, |n| {
                if let Some(name) = rebound(n, src) {
                    opened.retain(|m| *m != name);
                }
            });
        }
    }
    let mut read = None;
    let mut other = false;
    each_in(try_block, |n| {
        if other {
            return;
        }
        if rebound(n, src).is_some_and(|name| opened.contains(&name)) {
            other = true;
            return;
        }
        match n.kind() {
            "method_invocation" => {
                let name = n.child_by_field_name("name").map(|m| &src[m.byte_range()]);
                let object = n.child_by_field_name("object");
                let member = object
                    .filter(|o| o.kind() == "identifier")
                    .map(|o| &src[o.byte_range()])
                    .filter(|m| opened.contains(m));
                match (member, name) {
                    (Some(member), Some(name)) if name.starts_with("get") || name == "invoke" => {
                        read.get_or_insert(member);
                    }
                    // On an object: not the class's own helper of that name.
                    (_, Some(name)) if object.is_some() && DECLARE_NOTHING.contains(&name) => {}
                    _ => other = true,
                }
            }
            "object_creation_expression" | "throw_statement" => other = true,
            _ => {}
        }
    });
    read.filter(|_| !other)
}

/// The member a statement `member.setAccessible(true|false);` opens or
/// closes, and which.
fn sets_accessible<'s>(statement: Node, src: &'s str) -> Option<(&'s str, bool)> {
    let call = (statement.kind() == "expression_statement")
        .then(|| statement.named_child(0))
        .flatten()
        .filter(|c| c.kind() == "method_invocation")?;
    let name = call.child_by_field_name("name")?;
    let object = call
        .child_by_field_name("object")
        .filter(|o| o.kind() == "identifier")?;
    let arguments = call.child_by_field_name("arguments")?;
    if &src[name.byte_range()] != "setAccessible" || arguments.named_child_count() != 1 {
        return None;
    }
    let on = match arguments.named_child(0).map(|a| a.kind()) {
        Some("true") => true,
        Some("false") => false,
        _ => return None,
    };
    Some((&src[object.byte_range()], on))
}

/// The name an assignment or a declaration gives a new value (`field = …`,
/// `Field field = …`, a loop's or a catch's variable).
fn rebound<'s>(node: Node, src: &'s str) -> Option<&'s str> {
    let name = match node.kind() {
        "assignment_expression" => node
            .child_by_field_name("left")
            .filter(|l| l.kind() == "identifier"),
        "variable_declarator" | "enhanced_for_statement" | "catch_formal_parameter" => {
            node.child_by_field_name("name")
        }
        _ => None,
    }?;
    Some(&src[name.byte_range()])
}

/// Whether the try block calls nothing but `super.clone()` and throws
/// nothing, in a class that implements `Cloneable` and extends no class:
/// `Object.clone()` then never throws.
fn clones_a_cloneable(try_block: Node, catch: Node, src: &str) -> bool {
    let mut clones = 0;
    let mut others = false;
    each_in(try_block, |n| {
        let name = n.child_by_field_name("name").map(|m| &src[m.byte_range()]);
        match n.kind() {
            "method_invocation" if name == Some("clone") => {
                match n.child_by_field_name("object").map(|o| o.kind()) {
                    Some("super") => clones += 1,
                    _ => others = true,
                }
            }
            "method_invocation" | "object_creation_expression" | "throw_statement" => {
                others = true;
            }
            _ => {}
        }
    });
    let class = std::iter::successors(catch.parent(), |n| n.parent())
        .find(|n| matches!(n.kind(), "class_declaration" | "object_creation_expression"));
    let cloneable = class
        .filter(|c| c.kind() == "class_declaration")
        .filter(|c| c.child_by_field_name("superclass").is_none())
        .and_then(|c| c.child_by_field_name("interfaces"))
        .is_some_and(|i| {
            src[i.byte_range()]
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == "Cloneable")
        });
    clones > 0 && !others && cloneable
}

/// Streams over memory: their `close`, `flush` and `write` declare an
/// `IOException` they never throw.
const IN_MEMORY_STREAMS: [&str; 6] = [
    "ByteArrayOutputStream",
    "ByteArrayInputStream",
    "CharArrayWriter",
    "CharArrayReader",
    "StringWriter",
    "StringReader",
];

/// The type of the in-memory stream the try block only closes, flushes
/// or writes (each statement one such call on a local of that type, as
/// its method declares it), when it does nothing else.
fn only_in_memory_io<'s>(try_block: Node, src: &'s str) -> Option<&'s str> {
    let method = std::iter::successors(try_block.parent(), |n| n.parent()).find(|n| {
        matches!(
            n.kind(),
            "method_declaration" | "constructor_declaration" | "lambda_expression"
        )
    })?;
    let mut cursor = try_block.walk();
    let statements: Vec<Node> = try_block.named_children(&mut cursor).collect();
    let mut stream = None;
    for statement in &statements {
        let call = (statement.kind() == "expression_statement")
            .then(|| statement.named_child(0))
            .flatten()
            .filter(|c| c.kind() == "method_invocation")?;
        let name = &src[call.child_by_field_name("name")?.byte_range()];
        let object = call
            .child_by_field_name("object")
            .filter(|o| o.kind() == "identifier")?;
        if !matches!(name, "close" | "flush" | "write") {
            return None;
        }
        // What is written must be at hand: reading it may fail
        // (`buf.write(Files.readAllBytes(path))`).
        let arguments = call.child_by_field_name("arguments")?;
        let mut cursor = arguments.walk();
        let at_hand = arguments.named_children(&mut cursor).all(|a| {
            matches!(
                a.kind(),
                "identifier" | "string_literal" | "decimal_integer_literal" | "character_literal"
            )
        });
        if !at_hand {
            return None;
        }
        let ty = local_type(method, &src[object.byte_range()], src)?;
        stream = Some(IN_MEMORY_STREAMS.iter().find(|t| **t == ty)?);
    }
    stream.copied()
}

/// Writers over another stream that declare no `IOException`.
const PRINTERS: [&str; 2] = ["PrintWriter", "PrintStream"];

/// Methods of the JDK that no class declares an `IOException` for,
/// called on anything.
const NEVER_IO: [&str; 9] = [
    "printStackTrace",
    "toString",
    "getMessage",
    "getLocalizedMessage",
    "getClass",
    "getName",
    "now",
    "valueOf",
    "format",
];

/// The resources a try-with-resources statement opens (`try (StringWriter
/// sw = new StringWriter(); PrintWriter pw = new PrintWriter(sw))`), when
/// each is a stream over memory or a printer over an earlier one, and the
/// block only calls them and methods that throw no `IOException`
/// (`e.printStackTrace(pw)`, `sw.toString()`): closing them is all that
/// could throw it, and never does.
fn opens_only_in_memory(statement: Node, try_block: Node, src: &str) -> Option<String> {
    let resources = statement.child_by_field_name("resources")?;
    let mut cursor = resources.walk();
    let mut opened: Vec<(&str, &str)> = Vec::new();
    for resource in resources.named_children(&mut cursor) {
        if resource.kind() != "resource" {
            return None;
        }
        let name = &src[resource.child_by_field_name("name")?.byte_range()];
        let value = resource
            .child_by_field_name("value")
            .filter(|v| v.kind() == "object_creation_expression")?;
        let ty = &src[value.child_by_field_name("type")?.byte_range()];
        let ty = ty.rsplit('.').next().unwrap_or(ty);
        // What the stream is made over must be at hand: reading it may
        // fail (`new ByteArrayInputStream(Files.readAllBytes(path))`).
        let mut arguments = Vec::new();
        if let Some(list) = value.child_by_field_name("arguments") {
            let mut cursor = list.walk();
            arguments.extend(list.named_children(&mut cursor));
        }
        let at_hand = arguments.iter().all(|a| {
            matches!(
                a.kind(),
                "identifier" | "string_literal" | "decimal_integer_literal" | "true" | "false"
            )
        });
        let over_memory = at_hand
            && (IN_MEMORY_STREAMS.contains(&ty)
                || PRINTERS.contains(&ty)
                    && arguments
                        .first()
                        .is_some_and(|a| opened.iter().any(|(n, _)| *n == &src[a.byte_range()])));
        if !over_memory {
            return None;
        }
        opened.push((name, ty));
    }
    let mut others = false;
    each_in(try_block, |n| match n.kind() {
        "method_invocation" => {
            let name = n.child_by_field_name("name").map(|m| &src[m.byte_range()]);
            // `buffer.writeTo(out)`, `in.transferTo(out)` write to another
            // stream.
            let on_resource = !matches!(name, Some("writeTo" | "transferTo"))
                && n.child_by_field_name("object")
                    .is_some_and(|o| opened.iter().any(|(r, _)| *r == &src[o.byte_range()]));
            others |= !on_resource && !name.is_some_and(|m| NEVER_IO.contains(&m));
        }
        "object_creation_expression" | "throw_statement" => others = true,
        _ => {}
    });
    if others || opened.is_empty() {
        return None;
    }
    let types: Vec<&str> = opened.iter().map(|(_, ty)| *ty).collect();
    Some(types.join(" and "))
}

/// The simple type a method declares its local or parameter `name` with,
/// when it declares that name once.
fn local_type<'s>(method: Node, name: &str, src: &'s str) -> Option<&'s str> {
    let mut types = Vec::new();
    each_in(method, |n| {
        if matches!(n.kind(), "local_variable_declaration" | "formal_parameter") {
            types.extend(
                declared(n, src)
                    .filter(|(_, names)| names.contains(&name))
                    .map(|(ty, _)| ty),
            );
        }
    });
    match types.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// Catches that take any exception, `NoSuchAlgorithmException` included.
const BROAD_CATCHES: [&str; 3] = ["Exception", "Throwable", "GeneralSecurityException"];

/// What the try block does, when each of its statements only does what
/// cannot throw, not even a `NullPointerException`, which a broad catch
/// would take: looks up an algorithm every JVM has, statically (`md5 =
/// MessageDigest.getInstance("MD5");`, `return …;`), or reads a setting
/// (`System.getenv(KEY)`, `System.getProperty("k")`, also compared with
/// a literal, `"on".equalsIgnoreCase(…)`, or parsed by
/// `Boolean.parseBoolean`).
fn only_what_cannot_throw(try_block: Node, src: &str) -> Option<String> {
    let mut cursor = try_block.walk();
    let mut first = None;
    for statement in try_block.named_children(&mut cursor) {
        let value = match statement.kind() {
            "expression_statement" | "return_statement" => statement.named_child(0),
            "local_variable_declaration" => statement
                .child_by_field_name("declarator")
                .and_then(|d| d.child_by_field_name("value")),
            "line_comment" | "block_comment" => continue,
            _ => None,
        }?;
        let call = match value.kind() {
            "assignment_expression" => value
                .child_by_field_name("left")
                .filter(|l| l.kind() == "identifier")
                .and_then(|_| value.child_by_field_name("right"))?,
            _ => value,
        };
        let shown = match required_lookup(call, src) {
            Some(algorithm) => format!("MessageDigest.getInstance(\"{algorithm}\")"),
            None if reads_a_setting(call, src) => {
                "reads of the environment or system properties".to_string()
            }
            None => return None,
        };
        first.get_or_insert(shown);
    }
    first
}

/// The algorithm a `MessageDigest.getInstance` call looks up, when every
/// JVM has it.
fn required_lookup<'s>(call: Node, src: &'s str) -> Option<&'s str> {
    if call.kind() != "method_invocation" {
        return None;
    }
    let object = call.child_by_field_name("object")?;
    let type_name = src[object.byte_range()].rsplit('.').next()?;
    let arguments = call.child_by_field_name("arguments")?.named_child_count();
    let (exception, argument) = named_argument(call, src).into_iter().next()?;
    let text = src[argument.byte_range()].trim_matches('"');
    // With a provider, `NoSuchProviderException` may come.
    (type_name == "MessageDigest"
        && arguments == 1
        && exception == "NoSuchAlgorithmException"
        && argument.kind() == "string_literal"
        && DIGESTS.iter().any(|a| a.eq_ignore_ascii_case(text)))
    .then_some(text)
}

/// The digests every JVM's `MessageDigest` supports.
const DIGESTS: [&str; 3] = ["MD5", "SHA-1", "SHA-256"];

/// The transformations every JVM's `Cipher` supports: neither its
/// algorithm nor its padding can be missing.
const TRANSFORMATIONS: [&str; 8] = [
    "AES/CBC/NoPadding",
    "AES/CBC/PKCS5Padding",
    "AES/ECB/NoPadding",
    "AES/ECB/PKCS5Padding",
    "AES/GCM/NoPadding",
    "RSA/ECB/PKCS1Padding",
    "RSA/ECB/OAEPWithSHA-1AndMGF1Padding",
    "RSA/ECB/OAEPWithSHA-256AndMGF1Padding",
];

/// Whether an expression only reads a setting by a literal or constant
/// name, `System.getenv(KEY)` or `System.getProperty("k", "d")`, as is,
/// compared with a string literal or parsed as a boolean: none of these
/// throws.
fn reads_a_setting(expression: Node, src: &str) -> bool {
    if expression.kind() != "method_invocation" {
        return false;
    }
    let text = |n: Node| &src[n.byte_range()];
    let Some(name) = expression.child_by_field_name("name").map(text) else {
        return false;
    };
    let object = expression.child_by_field_name("object");
    let Some(arguments) = expression.child_by_field_name("arguments") else {
        return false;
    };
    let mut cursor = arguments.walk();
    let list: Vec<Node> = arguments.named_children(&mut cursor).collect();
    let object_is = |ty: &str| object.is_some_and(|o| text(o).rsplit('.').next() == Some(ty));
    match (name, list.as_slice()) {
        ("getenv", [key]) | ("getProperty", [key]) | ("getProperty", [key, _])
            if object_is("System") =>
        {
            is_named_constant(*key, src) && list[1..].iter().all(|d| d.kind() == "string_literal")
        }
        ("equals" | "equalsIgnoreCase", [other]) => {
            object.is_some_and(|o| o.kind() == "string_literal") && reads_a_setting(*other, src)
        }
        ("parseBoolean", [read]) if object_is("Boolean") => reads_a_setting(*read, src),
        _ => false,
    }
}

/// A string literal, or a name written as a constant (`ENV_KEY`,
/// `Constants.ENV_KEY`): a name that is not null.
fn is_named_constant(node: Node, src: &str) -> bool {
    let last = src[node.byte_range()]
        .rsplit('.')
        .next()
        .unwrap_or_default();
    match node.kind() {
        "string_literal" => true,
        "identifier" | "field_access" => {
            last.chars().any(|c| c.is_ascii_uppercase())
                && last
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        }
        _ => false,
    }
}

/// The exception a call may throw for the name it is given, and the
/// argument naming it: a charset (`getBytes(cs)`, `URLEncoder.encode(s,
/// cs)`, `new String(bytes, cs)`, `new InputStreamReader(in, cs)`) or an
/// algorithm (`MessageDigest.getInstance(alg)`).
fn named_argument<'t>(call: Node<'t>, src: &str) -> Vec<(&'static str, Node<'t>)> {
    let Some(arguments) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = arguments.walk();
    let list: Vec<Node> = arguments.named_children(&mut cursor).collect();
    let (Some(&first), Some(&last)) = (list.first(), list.last()) else {
        return Vec::new();
    };
    match call.kind() {
        "method_invocation" => {
            let text = |field: &str| {
                call.child_by_field_name(field)
                    .map(|n| &src[n.byte_range()])
            };
            match (text("name").unwrap_or(""), list.len()) {
                ("getBytes", 1) | ("encode" | "decode", 2) => {
                    vec![("UnsupportedEncodingException", last)]
                }
                // `Cipher.getInstance(transformation)` throws both.
                ("getInstance", 1 | 2)
                    if text("object").is_some_and(|o| o.rsplit('.').next() == Some("Cipher")) =>
                {
                    vec![
                        ("NoSuchAlgorithmException", first),
                        ("NoSuchPaddingException", first),
                    ]
                }
                ("getInstance", 1 | 2) => vec![("NoSuchAlgorithmException", first)],
                _ => Vec::new(),
            }
        }
        "object_creation_expression" => {
            let Some(ty) = call.child_by_field_name("type") else {
                return Vec::new();
            };
            let ty = &src[ty.byte_range()];
            let ty = ty.rsplit('.').next().unwrap_or(ty);
            let with_charset = match ty {
                "String" => matches!(list.len(), 2 | 4),
                "InputStreamReader" | "OutputStreamWriter" => list.len() == 2,
                _ => false,
            };
            if with_charset {
                vec![("UnsupportedEncodingException", last)]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// The value of a string constant the file declares
/// (`static final String MD5_NAME = "MD5";`), when one declaration of
/// that name gives one.
fn constant_value<'s>(src: &'s str, name: &str) -> Option<&'s str> {
    let mut values = src.lines().filter_map(|line| {
        let (head, tail) = line.split_once('=')?;
        let mut words = head.split_whitespace().rev();
        (words.next() == Some(name)
            && words.next() == Some("String")
            && words.any(|w| w == "final"))
        .then(|| {
            let value = tail.trim().strip_prefix('"')?;
            let (value, rest) = value.split_once('"')?;
            rest.trim_start().starts_with(';').then_some(value)
        })
        .flatten()
    });
    let value = values.next()?;
    values.next().is_none().then_some(value)
}

/// Why the branch around `node` never runs, when an `if` whose condition
/// is (or is a conjunction with) `false` or a `static final boolean` field
/// of the class set to `false` guards it: the compiler drops such a
/// branch. `up`: the node's ancestors, nearest first.
fn guarded_off(node: Node, up: &[Node], src: &str) -> Option<String> {
    let mut at = node;
    for &parent in up {
        match parent.kind() {
            kind if is_code_boundary(kind) => return None,
            "if_statement" => {
                let in_branch = parent
                    .child_by_field_name("consequence")
                    .is_some_and(|c| c.id() == at.id());
                let flag = parent
                    .child_by_field_name("condition")
                    .and_then(|c| false_flag(c, src));
                if let Some(flag) = flag.filter(|_| in_branch) {
                    return Some(if flag == "false" {
                        "in a branch that `false` switches off: it never runs".to_string()
                    } else {
                        format!("in a branch `{flag}`, a static final flag set to false, switches off: it never runs")
                    });
                }
                let test_field = parent
                    .child_by_field_name("condition")
                    .and_then(|c| test_only_field(c, src));
                if let Some(name) = test_field.filter(|_| in_branch) {
                    return Some(format!(
                        "in a branch only `{name}` opens, a field named for tests that no code of the file sets: it runs in tests only"
                    ));
                }
            }
            _ => {}
        }
        at = parent;
    }
    None
}

/// The field named for tests (`…ForTest`, `…ForTests`, `…ForTesting`)
/// that a condition needs set — `f`, `f != null`, `f.get()`, or one of
/// these in a conjunction — when it is a field of the class around the
/// condition (no parameter or local of that name in the method), neither
/// public nor protected nor final, declared with no value or `null`,
/// `false`, `new AtomicBoolean()` or `new AtomicBoolean(false)`, and the
/// file never sets it (`f = …`; for `f.get()`, also `f.set(…)`,
/// `f.lazySet(…)`, `f.compareAndSet(…)`, `f.getAndSet(…)`): tests set it,
/// through the access their package gives them.
fn test_only_field<'s>(condition: Node, src: &'s str) -> Option<&'s str> {
    let named_for_tests = |name: &str| {
        ["ForTest", "ForTests", "ForTesting"]
            .iter()
            .any(|w| name.ends_with(w))
    };
    // `f.get()` asks the value `f.set(…)` gives; `f != null` the field.
    let mut reads_value = false;
    let field = match condition.kind() {
        "parenthesized_expression" => return test_only_field(condition.named_child(0)?, src),
        "binary_expression" => {
            let operator = &src[condition.child_by_field_name("operator")?.byte_range()];
            let left = condition.child_by_field_name("left")?;
            let right = condition.child_by_field_name("right")?;
            match operator {
                "&&" => return test_only_field(left, src).or_else(|| test_only_field(right, src)),
                "!=" if right.kind() == "null_literal" => left,
                _ => return None,
            }
        }
        "method_invocation"
            if condition
                .child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == "get")
                && arguments_empty(condition) =>
        {
            reads_value = true;
            condition.child_by_field_name("object")?
        }
        "method_invocation" => return None,
        _ => condition,
    };
    let name = match field.kind() {
        "identifier" => &src[field.byte_range()],
        "field_access" if field.child_by_field_name("object")?.kind() == "this" => {
            &src[field.child_by_field_name("field")?.byte_range()]
        }
        _ => return None,
    };
    if !named_for_tests(name) || declared_in_method(condition, name, src) {
        return None;
    }
    let class_body = std::iter::successors(condition.parent(), |n| n.parent())
        .find(|n| n.kind() == "class_body")?;
    let mut cursor = class_body.walk();
    let (declaration, declarator) = class_body
        .named_children(&mut cursor)
        .filter(|member| member.kind() == "field_declaration")
        .find_map(|member| Some((member, declarator_named(member, name, src)?)))?;
    if ["public", "protected", "final"]
        .iter()
        .any(|w| super::owner::has_modifier(declaration, src, w))
    {
        return None;
    }
    let unset = declarator.child_by_field_name("value").is_none_or(|v| {
        let value: String = src[v.byte_range()].split_whitespace().collect();
        matches!(
            value.as_str(),
            "null" | "false" | "newAtomicBoolean()" | "newAtomicBoolean(false)"
        ) || value.ends_with(".AtomicBoolean()")
            || value.ends_with(".AtomicBoolean(false)")
    });
    let mut root = condition;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    let names = |n: Node| {
        let target = match n.kind() {
            "field_access" => n.child_by_field_name("field").unwrap_or(n),
            _ => n,
        };
        &src[target.byte_range()] == name
    };
    let mut set = false;
    each_in(root, |n| match n.kind() {
        "assignment_expression" => {
            set |= n.child_by_field_name("left").is_some_and(names);
        }
        "method_invocation" => {
            let setter = n.child_by_field_name("name").is_some_and(|m| {
                matches!(
                    &src[m.byte_range()],
                    "set" | "lazySet" | "compareAndSet" | "getAndSet"
                )
            });
            set |= reads_value && setter && n.child_by_field_name("object").is_some_and(names);
        }
        _ => {}
    });
    (unset && !set).then_some(name)
}

/// Whether a call has no arguments.
fn arguments_empty(call: Node) -> bool {
    call.child_by_field_name("arguments")
        .is_some_and(|a| a.named_child_count() == 0)
}

/// Whether a parameter or a local of the method around `node` is named
/// `name` (it hides a field of that name).
fn declared_in_method(node: Node, name: &str, src: &str) -> bool {
    let Some(method) = std::iter::successors(node.parent(), |n| n.parent()).find(|n| {
        matches!(
            n.kind(),
            "method_declaration" | "constructor_declaration" | "lambda_expression"
        )
    }) else {
        return false;
    };
    let mut found = false;
    each_in(method, |n| {
        if matches!(
            n.kind(),
            "formal_parameter"
                | "variable_declarator"
                | "catch_formal_parameter"
                | "spread_parameter"
        ) {
            found |= n
                .child_by_field_name("name")
                .is_some_and(|v| &src[v.byte_range()] == name);
        }
    });
    found
}

/// The name of a `static final boolean` field set to `false`, in its class,
/// or the literal `false`, that a condition is or that a conjunction
/// condition has.
fn false_flag<'s>(condition: Node, src: &'s str) -> Option<&'s str> {
    match condition.kind() {
        "parenthesized_expression" => false_flag(condition.named_child(0)?, src),
        "binary_expression" => {
            let operator = condition.child_by_field_name("operator")?;
            if &src[operator.byte_range()] != "&&" {
                return None;
            }
            ["left", "right"]
                .into_iter()
                .filter_map(|side| condition.child_by_field_name(side))
                .find_map(|side| false_flag(side, src))
        }
        "identifier" => {
            let name = &src[condition.byte_range()];
            declares_false_flag(condition, name, src).then_some(name)
        }
        "false" => Some("false"),
        _ => None,
    }
}

/// Whether the class around `node`, or a class around it (a nested class
/// sees its outer classes' constants), declares `static final boolean
/// name = false`: the nearest class declaring a field `name` decides.
fn declares_false_flag(node: Node, name: &str, src: &str) -> bool {
    let mut at = node;
    while let Some(parent) = at.parent() {
        at = parent;
        if parent.kind() != "class_body" {
            continue;
        }
        let mut cursor = parent.walk();
        let field = parent.named_children(&mut cursor).find_map(|member| {
            if member.kind() != "field_declaration" {
                return None;
            }
            let declarator = declarator_named(member, name, src)?;
            Some((member, declarator))
        });
        if let Some((member, declarator)) = field {
            let mut modifiers = member.walk();
            let constant = member
                .children(&mut modifiers)
                .find(|c| c.kind() == "modifiers")
                .is_some_and(|m| {
                    let words: Vec<&str> = src[m.byte_range()].split_whitespace().collect();
                    words.contains(&"static") && words.contains(&"final")
                });
            let boolean = member
                .child_by_field_name("type")
                .is_some_and(|t| &src[t.byte_range()] == "boolean");
            let set_false = declarator
                .child_by_field_name("value")
                .is_some_and(|v| &src[v.byte_range()] == "false");
            return constant && boolean && set_false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::never_runs;
    use crate::java::grammar::at_first;

    /// Why the code at `node` never runs, its ancestors found through the
    /// tree.
    fn never_runs_at(node: tree_sitter::Node, src: &str) -> Option<String> {
        let up: Vec<_> = std::iter::successors(node.parent(), |n| n.parent()).collect();
        never_runs(node, &up, src)
    }

    /// Why the first `printStackTrace` in a method of a class never runs.
    fn reason(body: &str) -> Option<String> {
        reason_in("", body)
    }

    fn reason_in(fields: &str, body: &str) -> Option<String> {
        let src = format!(
            "class A {{ {fields} void m(byte[] b, String s) throws Exception {{ {body} }} }}"
        );
        at_first(&src, "printStackTrace", |node| never_runs_at(node, &src))
    }

    #[test]
    fn a_catch_around_reading_an_opened_member_never_runs() {
        for body in [
            "field.setAccessible(true); try { map.put(tag.name(), field.get(this)); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "for (Field field : a) { field.setAccessible(true); try { log.debug(field.getName()); map.put(field.getName(), field.get(this)); } catch (IllegalAccessException e) { e.printStackTrace(); } }",
            "for (Field field : a) { field.setAccessible(true); if (field.getType() != null) { try { map.put(field.getName(), field.get(this)); } catch (IllegalAccessException e) { e.printStackTrace(); } } }",
        ] {
            assert_eq!(
                reason(body).as_deref(),
                Some("in a catch of IllegalAccessException around reading field, which setAccessible(true) opened first: it never runs"),
                "{body}"
            );
        }
        // Not opened, a write, another call that may declare it.
        for body in [
            "try { map.put(tag.name(), field.get(this)); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "field.setAccessible(true); try { field.set(this, 1); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "field.setAccessible(true); try { copy(field.get(this)); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "other.setAccessible(true); try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "myfield.setAccessible(true); try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            // Commented out, in a string, on one path, another variable
            // of the name, closed or replaced again, a helper of the
            // class's own, a resource that may throw.
            "// field.setAccessible(true);\n try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "log.info(\"field.setAccessible(true)\"); try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "if (s == null) field.setAccessible(true); try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "for (Field field : a) { field.setAccessible(true); } for (Field field : b) { try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); } }",
            "field.setAccessible(true); for (Field field : b) { try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); } }",
            "field.setAccessible(true); field.setAccessible(false); try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "field.setAccessible(true); field = B.class.getDeclaredField(\"y\"); try { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "field.setAccessible(true); try { add(field.get(this)); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "field.setAccessible(true); try (R r = R.open()) { field.get(this); } catch (IllegalAccessException e) { e.printStackTrace(); }",
            "field.setAccessible(true); try { field.get(this); if (saved != null) throw saved; } catch (IllegalAccessException e) { e.printStackTrace(); }",
        ] {
            assert_eq!(reason(body), None, "{body}");
        }
    }

    #[test]
    fn catches_of_names_every_jvm_has_never_run() {
        assert_eq!(
            reason(r#"try { s.getBytes("utf-8"); } catch (java.io.UnsupportedEncodingException e) { e.printStackTrace(); }"#).as_deref(),
            Some("in a catch of UnsupportedEncodingException around \"utf-8\", which every JVM supports: it never runs")
        );
        assert!(reason(r#"try { java.security.MessageDigest.getInstance("MD5").digest(s.getBytes("UTF-8")); } catch (NoSuchAlgorithmException | UnsupportedEncodingException e) { e.printStackTrace(); }"#).is_some());
        assert!(reason(r#"try { return new String(b, "ISO-8859-1") + java.net.URLEncoder.encode(s, "utf-8"); } catch (UnsupportedEncodingException e) { e.printStackTrace(); }"#).is_some());
        // Names in constants of the file; a transformation every `Cipher`
        // has, for its padding too.
        let constants = r#"private static final String MD5_NAME = "MD5"; static final String CHARSET = "UTF-8"; String other = "X";"#;
        assert!(reason_in(constants, r#"try { MessageDigest.getInstance(MD5_NAME).digest(s.getBytes(CHARSET)); } catch (NoSuchAlgorithmException e) { e.printStackTrace(); }"#).is_some());
        assert!(reason_in(constants, r#"try { MessageDigest.getInstance(other); } catch (NoSuchAlgorithmException e) { e.printStackTrace(); }"#).is_none());
        assert!(reason(r#"try { Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding"); } catch (NoSuchPaddingException e) { e.printStackTrace(); }"#).is_some());
        assert!(reason(r#"try { Cipher c = Cipher.getInstance("RSA/NONE/OAEPPadding"); } catch (NoSuchPaddingException e) { e.printStackTrace(); }"#).is_none());
        // A broad catch around nothing but the lookup (cachecloud's MD5Util).
        assert_eq!(
            reason(r#"MessageDigest md5 = null; try { md5 = MessageDigest.getInstance("MD5"); } catch (Exception e) { e.printStackTrace(); }"#).as_deref(),
            Some("in a catch of Exception around only MessageDigest.getInstance(\"MD5\"), which cannot fail: it never runs")
        );
        // Reading a setting throws nothing (Sentinel's `RlsAccessLogger`).
        assert_eq!(
            reason(r#"try { enabled = "on".equalsIgnoreCase(System.getenv(Keys.ACCESS_LOG)); } catch (Exception e) { e.printStackTrace(); }"#).as_deref(),
            Some("in a catch of Exception around only reads of the environment or system properties, which cannot fail: it never runs")
        );
        for throwing in [
            r#"try { enabled = System.getenv(key).equals("on"); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try { port = Integer.parseInt(System.getProperty("port")); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try { enabled = "on".equals(System.getenv(key)); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try (java.io.InputStream in = new java.io.FileInputStream(FILE)) { return System.getenv(KEY); } catch (Exception e) { e.printStackTrace(); }"#,
        ] {
            assert_eq!(reason(throwing), None, "{throwing}");
        }
        assert!(reason(r#"try { MessageDigest d = java.security.MessageDigest.getInstance("SHA-256"); return d; } catch (Throwable e) { e.printStackTrace(); }"#).is_none());
    }

    #[test]
    fn closing_a_stream_held_in_memory_never_fails() {
        let closed = reason(
            "java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(); buf.write(b); try { buf.flush(); buf.close(); } catch (java.io.IOException e) { e.printStackTrace(); }",
        );
        assert_eq!(
            closed.as_deref(),
            Some("in a catch of IOException around closing or writing ByteArrayOutputStream, which holds its bytes in memory: it never runs")
        );
        for throwing in [
            // A file, an unknown stream, another call, another exception.
            "java.io.FileOutputStream out = open(); try { out.close(); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "try { out.close(); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "java.io.ByteArrayOutputStream buf = make(); try { buf.writeTo(sink); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "java.io.StringWriter w = new java.io.StringWriter(); try { w.close(); copy(); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "java.io.StringWriter w = new java.io.StringWriter(); try { w.close(); } catch (Exception e) { e.printStackTrace(); }",
            // What is written is read from a file first.
            "java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(); try { buf.write(java.nio.file.Files.readAllBytes(path)); } catch (java.io.IOException e) { e.printStackTrace(); }",
            // A resource the statement opens.
            "java.io.StringWriter log = new java.io.StringWriter(); try (java.io.FileOutputStream out = new java.io.FileOutputStream(\"/var/data/o.bin\")) { log.write(s); } catch (java.io.IOException e) { e.printStackTrace(); }",
            // The same name declared twice: which one is meant is the scope's.
            "if (b.length > 0) { java.io.FileOutputStream out = open(); try { out.write(b); } catch (java.io.IOException e) { e.printStackTrace(); } } else { java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(); }",
        ] {
            assert_eq!(reason(throwing), None, "{throwing}");
        }
    }

    #[test]
    fn opening_streams_held_in_memory_never_fails() {
        let opened = reason(
            "try (java.io.StringWriter sw = new java.io.StringWriter(); java.io.PrintWriter pw = new java.io.PrintWriter(sw)) { pw.println(java.time.LocalDateTime.now()); error = sw.toString() + s.getClass().getName(); } catch (java.io.IOException ioe) { ioe.printStackTrace(); }",
        );
        assert_eq!(
            opened.as_deref(),
            Some("in a catch of IOException around opening and closing StringWriter and PrintWriter, which hold their text in memory: it never runs")
        );
        for throwing in [
            // A file, a printer over a file, another call, a new object.
            "try (java.io.FileWriter w = new java.io.FileWriter(f)) { w.write(s); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "try (java.io.PrintWriter pw = new java.io.PrintWriter(new java.io.FileWriter(f))) { pw.println(s); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "try (java.io.StringWriter sw = new java.io.StringWriter()) { copy(sw); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "try (java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream()) { buf.writeTo(out); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "try (java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(b)) { in.transferTo(out); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "try (java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(java.nio.file.Files.readAllBytes(p))) { s = in.toString(); } catch (java.io.IOException e) { e.printStackTrace(); }",
            "try (java.io.StringWriter sw = new java.io.StringWriter()) { sw.write(new String(java.nio.file.Files.readAllBytes(p))); } catch (java.io.IOException e) { e.printStackTrace(); }",
            // Another exception.
            "try (java.io.StringWriter sw = new java.io.StringWriter()) { sw.write(s); } catch (Exception e) { e.printStackTrace(); }",
        ] {
            assert_eq!(reason(throwing), None, "{throwing}");
        }
    }

    #[test]
    fn a_cloneable_class_cloning_itself_never_fails() {
        let unit = |decl: &str, body: &str| {
            let src = format!("{decl} {{ public Object clone() {{ try {{ {body} }} catch (CloneNotSupportedException e) {{ e.printStackTrace(); return null; }} }} }}");
            at_first(&src, "e.printStackTrace", |n| never_runs_at(n, &src))
        };
        assert!(unit(
            "class P implements java.io.Serializable, Cloneable",
            "P p = (P) super.clone(); p.x = 1; return p;"
        )
        .is_some());
        // Not Cloneable, or another object's clone(): it may throw.
        assert!(unit("class P", "return super.clone();").is_none());
        assert!(unit("class P implements Cloneable", "return inner.clone();").is_none());
        // A parent's clone(), a throw, another call: they may.
        assert!(unit(
            "class P extends Q implements Cloneable",
            "return super.clone();"
        )
        .is_none());
        assert!(unit(
            "class P implements Cloneable",
            "if (frozen) throw new CloneNotSupportedException(); return super.clone();"
        )
        .is_none());
        assert!(unit(
            "class P implements Cloneable",
            "check(); return super.clone();"
        )
        .is_none());
    }

    #[test]
    fn other_names_and_other_exceptions_can_be_thrown() {
        assert_eq!(
            reason(
                r#"try { String cs = s != null ? s : "UTF-8"; s.getBytes(cs); } catch (UnsupportedEncodingException e) { e.printStackTrace(); }"#
            ),
            None
        );
        assert_eq!(
            reason(
                r#"try { java.security.SecureRandom.getInstance("SHA1PRNG"); MessageDigest.getInstance("SHA-256"); } catch (NoSuchAlgorithmException e) { e.printStackTrace(); }"#
            ),
            None
        );
        assert_eq!(
            reason(
                r#"try { new String(b, s); s.getBytes("UTF-8"); } catch (UnsupportedEncodingException e) { e.printStackTrace(); }"#
            ),
            None
        );
        assert_eq!(
            reason(
                r#"try { s.getBytes("GBK"); } catch (UnsupportedEncodingException e) { e.printStackTrace(); }"#
            ),
            None
        );
        assert_eq!(
            reason(
                r#"try { s.getBytes(s); } catch (UnsupportedEncodingException e) { e.printStackTrace(); }"#
            ),
            None
        );
        assert_eq!(
            reason(r#"try { s.getBytes("UTF-8"); } catch (Exception e) { e.printStackTrace(); }"#),
            None
        );
        // Anything else in the try block may throw what a broad catch takes.
        for body in [
            r#"try { md5 = MessageDigest.getInstance("MD5"); md5.update(b); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try { md5 = MessageDigest.getInstance(name); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try { this.md5 = MessageDigest.getInstance("MD5"); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try { md5 = factory.getInstance("MD5"); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try { md = MessageDigest.getInstance("SHA-256", "BC"); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try { mac = Mac.getInstance("SHA-256"); } catch (Exception e) { e.printStackTrace(); }"#,
            r#"try { md5 = MessageDigest.getInstance("MD5"); } catch (RuntimeException e) { e.printStackTrace(); }"#,
        ] {
            assert_eq!(reason(body), None, "{body}");
        }
        assert_eq!(
            reason(
                r#"try { MessageDigest.getInstance("SHA-512"); } catch (NoSuchAlgorithmException e) { e.printStackTrace(); }"#
            ),
            None
        );
        assert_eq!(
            reason(
                r#"try { s.getBytes("UTF-8"); } finally { new Exception().printStackTrace(); }"#
            ),
            None
        );
    }

    #[test]
    fn branches_a_false_flag_switches_off_never_run() {
        let debug = "static final boolean debug = /*true;*/ false;";
        assert_eq!(
            reason_in(debug, "if (debug) { new Exception().printStackTrace(); }").as_deref(),
            Some("in a branch `debug`, a static final flag set to false, switches off: it never runs")
        );
        assert!(reason_in(
            debug,
            "if (debug && s.isEmpty()) new Exception().printStackTrace();"
        )
        .is_some());
        assert_eq!(
            reason("if (false) { new Exception().printStackTrace(); }").as_deref(),
            Some("in a branch that `false` switches off: it never runs")
        );
        assert!(reason("if (true) { new Exception().printStackTrace(); }").is_none());
        // Set to true, not final, read in the else branch or negated: it runs.
        for (fields, body) in [
            (
                "static final boolean debug = true;",
                "if (debug) new Exception().printStackTrace();",
            ),
            (
                "static boolean debug = false;",
                "if (debug) new Exception().printStackTrace();",
            ),
            (
                debug,
                "if (debug) {} else { new Exception().printStackTrace(); }",
            ),
            (debug, "if (!debug) new Exception().printStackTrace();"),
            (
                debug,
                "if (debug || s.isEmpty()) new Exception().printStackTrace();",
            ),
        ] {
            assert_eq!(reason_in(fields, body), None, "{fields} {body}");
        }
    }

    #[test]
    fn branches_a_field_named_for_tests_opens_run_in_tests_only() {
        let field = "volatile java.util.concurrent.atomic.AtomicBoolean drainedForTest = null;";
        assert_eq!(
            reason_in(
                field,
                "if (drainedForTest != null) { try { Thread.sleep(100); } catch (InterruptedException e) { e.printStackTrace(); } }"
            )
            .as_deref(),
            Some("in a branch only `drainedForTest` opens, a field named for tests that no code of the file sets: it runs in tests only")
        );
        // The guard asks for the field, not the value set on it.
        assert!(reason_in(
            field,
            "if (drainedForTest != null) { drainedForTest.set(true); new Exception().printStackTrace(); }"
        )
        .is_some());
        assert!(reason_in(
            "boolean failForTesting;",
            "if (this.failForTesting && s.isEmpty()) new Exception().printStackTrace();"
        )
        .is_some());
        for (fields, body) in [
            // Set by the class itself: production may open it.
            (
                "boolean failForTesting;",
                "failForTesting = s.isEmpty(); if (failForTesting) new Exception().printStackTrace();",
            ),
            (
                "java.util.concurrent.atomic.AtomicBoolean pausedForTest = new java.util.concurrent.atomic.AtomicBoolean();",
                "pausedForTest.set(s.isEmpty()); if (pausedForTest.get()) new Exception().printStackTrace();",
            ),
            // A parameter or a local, a public or final field, a field
            // with a value, a call other than get(): no test's hook.
            (
                "",
                "boolean echoForTesting = Boolean.getBoolean(\"echo\"); if (echoForTesting) new Exception().printStackTrace();",
            ),
            (
                "",
                "if (s.isEmpty()) { boolean retryForTest = true; if (retryForTest) new Exception().printStackTrace(); }",
            ),
            (
                "public boolean hookForTest;",
                "if (hookForTest) new Exception().printStackTrace();",
            ),
            (
                "private final boolean enabledForTest = true;",
                "if (enabledForTest) new Exception().printStackTrace();",
            ),
            (
                "java.util.List<String> queueForTests = new java.util.ArrayList<>();",
                "if (queueForTests.isEmpty()) new Exception().printStackTrace();",
            ),
            // Closed, or in the other branch, or either way: it runs.
            (field, "if (drainedForTest == null) new Exception().printStackTrace();"),
            (
                field,
                "if (drainedForTest != null) {} else { new Exception().printStackTrace(); }",
            ),
            (
                field,
                "if (drainedForTest != null || s.isEmpty()) new Exception().printStackTrace();",
            ),
            // Not named for tests.
            (
                "java.util.concurrent.atomic.AtomicBoolean drained = null;",
                "if (drained != null) new Exception().printStackTrace();",
            ),
        ] {
            assert_eq!(reason_in(fields, body), None, "{fields} {body}");
        }
    }

    #[test]
    fn a_nested_class_sees_its_outer_classs_false_flag() {
        let src = "package a;\nclass Table { private static final boolean DEBUG = false; static class Builder { void size() { if (DEBUG) { new Exception().printStackTrace(); } } } }\n";
        let why = at_first(src, "printStackTrace", |node| never_runs_at(node, src));
        assert!(why.is_some());
        // A field of the nested class's own name hides the outer one.
        let src = "package a;\nclass Table { private static final boolean DEBUG = false; static class Builder { boolean DEBUG = true; void size() { if (DEBUG) { new Exception().printStackTrace(); } } } }\n";
        let why = at_first(src, "printStackTrace", |node| never_runs_at(node, src));
        assert_eq!(why, None);
    }
}
