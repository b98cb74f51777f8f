//! Catch blocks that never run: the exception they catch is thrown only
//! for a charset or an algorithm the JVM may lack, and the code they guard
//! names one that every JVM must have (`catch (UnsupportedEncodingException
//! e)` around `getBytes("UTF-8")`).

use tree_sitter::Node;

use super::flow::each_in;

/// Checked exceptions thrown only for an unsupported name, with the names
/// the Java SE specification makes every JVM support
/// (`java.nio.charset.Charset`, `java.security.MessageDigest`).
const REQUIRED_NAMES: [(&str, &[&str]); 2] = [
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
    ("NoSuchAlgorithmException", &["MD5", "SHA-1", "SHA-256"]),
];

/// Why the catch block around `node` never runs, when it does not: each
/// exception it catches is one of `REQUIRED_NAMES`' and the try block
/// names a charset or an algorithm every JVM has for it.
pub(super) fn never_thrown(node: Node, src: &str) -> Option<String> {
    let mut at = node;
    let catch = loop {
        at = at.parent()?;
        match at.kind() {
            "catch_clause" => break at,
            "method_declaration"
            | "constructor_declaration"
            | "lambda_expression"
            | "class_body" => return None,
            _ => {}
        }
    };
    let try_block = catch.parent()?.child_by_field_name("body")?;
    let mut literals = Vec::new();
    each_in(try_block, |n| {
        if n.kind() == "string_fragment" {
            literals.push(&src[n.byte_range()]);
        }
    });
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
    let mut shown = Vec::new();
    for exception in &caught {
        let (_, names) = REQUIRED_NAMES.iter().find(|(e, _)| e == exception)?;
        let named = literals
            .iter()
            .find(|l| names.iter().any(|n| n.eq_ignore_ascii_case(l)))?;
        shown.push(format!("{exception} around \"{named}\""));
    }
    (!shown.is_empty()).then(|| {
        format!(
            "in a catch of {}, which every JVM supports: it never runs",
            shown.join(" and ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::never_thrown;
    use crate::java::grammar::JavaParser;

    /// Why the catch around the first `printStackTrace` never runs.
    fn reason(body: &str) -> Option<String> {
        let src = format!("class A {{ void m(byte[] b, String s) throws Exception {{ {body} }} }}");
        let mut parser = JavaParser::new();
        let tree = parser.parse(&src).expect("parses");
        let at = src.find("printStackTrace").expect("a printStackTrace");
        let node = tree
            .root_node()
            .descendant_for_byte_range(at, at)
            .expect("a node");
        never_thrown(node, &src)
    }

    #[test]
    fn catches_of_names_every_jvm_has_never_run() {
        assert_eq!(
            reason(r#"try { s.getBytes("utf-8"); } catch (java.io.UnsupportedEncodingException e) { e.printStackTrace(); }"#).as_deref(),
            Some("in a catch of UnsupportedEncodingException around \"utf-8\", which every JVM supports: it never runs")
        );
        assert!(reason(r#"try { java.security.MessageDigest.getInstance("MD5").digest(s.getBytes("UTF-8")); } catch (NoSuchAlgorithmException | UnsupportedEncodingException e) { e.printStackTrace(); }"#).is_some());
    }

    #[test]
    fn other_names_and_other_exceptions_can_be_thrown() {
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
}
