//! tree-sitter-java's node kinds and fields as the pass uses them, looked
//! up once by name into ids, and the parser.

use std::sync::OnceLock;

use tree_sitter::{Language, Node, Parser, Tree};

/// The node kinds the pass acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum K {
    Other,
    Comment,
    Package,
    Import,
    TypeDecl,
    ClassBody,
    Scope,
    Lambda,
    Param,
    LocalVar,
    EnhancedFor,
    Resource,
    Assign,
    Call,
    New,
    Str,
    Dotted,
    Identifier,
    TypeIdentifier,
    ScopedTypeIdentifier,
    GenericType,
    Paren,
    Cast,
    FieldDecl,
    EnumBodyDecls,
    MethodDecl,
    Asterisk,
    StaticKw,
    MethodRef,
    Block,
    Modifiers,
    Return,
    Binary,
    Ternary,
    This,
}

/// Kind and field ids of tree-sitter-java, computed once.
pub(super) struct Grammar {
    pub(super) language: Language,
    pub(super) kinds: Vec<K>,
    pub(super) f_name: u16,
    pub(super) f_object: u16,
    pub(super) f_arguments: u16,
    pub(super) f_type: u16,
    pub(super) f_value: u16,
    pub(super) f_field: u16,
    pub(super) f_scope: u16,
    pub(super) f_left: u16,
    pub(super) f_right: u16,
    pub(super) f_parameters: u16,
    pub(super) f_key: u16,
    pub(super) f_operator: u16,
    pub(super) f_condition: u16,
    pub(super) f_consequence: u16,
    pub(super) f_alternative: u16,
    pub(super) f_superclass: u16,
    pub(super) f_interfaces: u16,
}

pub(super) fn grammar() -> &'static Grammar {
    static G: OnceLock<Grammar> = OnceLock::new();
    G.get_or_init(|| {
        let language: Language = tree_sitter_java::LANGUAGE.into();
        let count = language.node_kind_count();
        let mut kinds = vec![K::Other; count];
        for (id, slot) in kinds.iter_mut().enumerate() {
            let Ok(id16) = u16::try_from(id) else { break };
            let named = language.node_kind_is_named(id16);
            let name = language.node_kind_for_id(id16).unwrap_or("");
            *slot = match (name, named) {
                ("line_comment" | "block_comment", true) => K::Comment,
                ("package_declaration", true) => K::Package,
                ("import_declaration", true) => K::Import,
                (
                    "class_declaration"
                    | "interface_declaration"
                    | "enum_declaration"
                    | "record_declaration"
                    | "annotation_type_declaration",
                    true,
                ) => K::TypeDecl,
                ("class_body" | "interface_body" | "enum_body" | "annotation_type_body", true) => {
                    K::ClassBody
                }
                ("method_declaration", true) => K::MethodDecl,
                (
                    "constructor_declaration"
                    | "compact_constructor_declaration"
                    | "static_initializer",
                    true,
                ) => K::Scope,
                ("lambda_expression", true) => K::Lambda,
                ("formal_parameter" | "catch_formal_parameter", true) => K::Param,
                ("local_variable_declaration", true) => K::LocalVar,
                ("field_declaration" | "constant_declaration", true) => K::FieldDecl,
                ("enum_body_declarations", true) => K::EnumBodyDecls,
                ("enhanced_for_statement", true) => K::EnhancedFor,
                ("resource", true) => K::Resource,
                ("assignment_expression", true) => K::Assign,
                ("method_invocation", true) => K::Call,
                ("object_creation_expression", true) => K::New,
                ("string_literal", true) => K::Str,
                ("field_access" | "scoped_identifier", true) => K::Dotted,
                ("identifier", true) => K::Identifier,
                ("type_identifier", true) => K::TypeIdentifier,
                ("scoped_type_identifier", true) => K::ScopedTypeIdentifier,
                ("generic_type", true) => K::GenericType,
                ("parenthesized_expression", true) => K::Paren,
                ("cast_expression", true) => K::Cast,
                ("asterisk", true) => K::Asterisk,
                ("method_reference", true) => K::MethodRef,
                ("block" | "constructor_body", true) => K::Block,
                ("modifiers", true) => K::Modifiers,
                ("return_statement", true) => K::Return,
                ("binary_expression", true) => K::Binary,
                ("ternary_expression", true) => K::Ternary,
                ("this", true) => K::This,
                ("static", false) => K::StaticKw,
                _ => K::Other,
            };
        }
        let field = |n: &str| language.field_id_for_name(n).map_or(0, |f| f.get());
        Grammar {
            f_name: field("name"),
            f_object: field("object"),
            f_arguments: field("arguments"),
            f_type: field("type"),
            f_value: field("value"),
            f_field: field("field"),
            f_scope: field("scope"),
            f_left: field("left"),
            f_right: field("right"),
            f_parameters: field("parameters"),
            f_key: field("key"),
            f_operator: field("operator"),
            f_condition: field("condition"),
            f_consequence: field("consequence"),
            f_alternative: field("alternative"),
            f_superclass: field("superclass"),
            f_interfaces: field("interfaces"),
            kinds,
            language,
        }
    })
}

pub(super) fn kind(node: Node) -> K {
    grammar()
        .kinds
        .get(usize::from(node.kind_id()))
        .copied()
        .unwrap_or(K::Other)
}

pub(super) fn field<'t>(node: Node<'t>, id: u16) -> Option<Node<'t>> {
    std::num::NonZeroU16::new(id).and_then(|f| node.child_by_field_id(f.get()))
}

/// What a declaration of variables declares: its type's simple name,
/// type arguments aside (`Map<K, V>` → `Map`, `java.io.Writer` →
/// `Writer`), and the names, for a local, a field, a parameter or a
/// caught exception; `None` for any other node.
/// The declarator of a field or local declaration that declares `name`
/// (`b` of `int a = 1, b;`).
pub(super) fn declarator_named<'t>(
    declaration: Node<'t>,
    name: &str,
    src: &str,
) -> Option<Node<'t>> {
    let mut cursor = declaration.walk();
    let found = declaration
        .children_by_field_name("declarator", &mut cursor)
        .find(|d| {
            d.child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == name)
        });
    found
}

pub(super) fn declared<'s>(node: Node, src: &'s str) -> Option<(&'s str, Vec<&'s str>)> {
    let g = grammar();
    let names = match node.kind() {
        "formal_parameter" | "catch_formal_parameter" => field(node, g.f_name)
            .map(|n| &src[n.byte_range()])
            .into_iter()
            .collect(),
        "local_variable_declaration" | "field_declaration" => {
            let mut cursor = node.walk();
            let names = node
                .children_by_field_name("declarator", &mut cursor)
                .filter_map(|d| field(d, g.f_name))
                .map(|n| &src[n.byte_range()])
                .collect();
            names
        }
        _ => return None,
    };
    let ty = &src[field(node, g.f_type)?.byte_range()];
    let ty = ty.split('<').next().unwrap_or(ty);
    Some((ty.rsplit('.').next().unwrap_or(ty).trim(), names))
}

/// A Java parser; one per thread.
pub struct JavaParser {
    parser: Parser,
    /// With [`JavaParser::remembering`]: the last text parsed and its tree.
    last: Option<Option<(String, Tree)>>,
}

impl JavaParser {
    pub fn new() -> JavaParser {
        let mut parser = Parser::new();
        // The grammar is compiled in; a version mismatch is a build error
        // the test suite catches, so falling back to an empty parse is fine.
        let _ = parser.set_language(&grammar().language);
        JavaParser { parser, last: None }
    }

    /// A parser that keeps its last tree, for a caller that analyses the
    /// same file again and again (a changed file through the summaries'
    /// rounds): the same text is not parsed twice in a row.
    pub fn remembering() -> JavaParser {
        JavaParser {
            last: Some(None),
            ..JavaParser::new()
        }
    }

    pub fn parse(&mut self, text: &str) -> Option<Tree> {
        let Some(last) = &mut self.last else {
            return self.parser.parse(text, None);
        };
        if let Some((_, tree)) = last.as_ref().filter(|(before, _)| before == text) {
            return Some(tree.clone());
        }
        let tree = self.parser.parse(text, None)?;
        *last = Some((text.to_string(), tree.clone()));
        Some(tree)
    }
}

impl Default for JavaParser {
    fn default() -> Self {
        JavaParser::new()
    }
}

/// Parses `src` and hands `f` the innermost node where `needle` first
/// starts: the place a test asks about.
#[cfg(test)]
pub(crate) fn at_first<R>(src: &str, needle: &str, f: impl FnOnce(tree_sitter::Node) -> R) -> R {
    let mut parser = JavaParser::new();
    let tree = parser.parse(src).expect("parses");
    let at = src.find(needle).expect("the needle");
    let node = tree
        .root_node()
        .descendant_for_byte_range(at, at)
        .expect("a node");
    f(node)
}

#[cfg(test)]
mod tests {
    use super::JavaParser;

    #[test]
    fn a_remembering_parser_parses_a_text_again_only_when_it_changed() {
        let mut parser = JavaParser::remembering();
        let a = "class A { void m() {} }";
        let first = parser.parse(a).expect("parses");
        let again = parser.parse(a).expect("parses");
        assert_eq!(first.root_node().to_sexp(), again.root_node().to_sexp());
        let b = "class A { int x; }";
        let other = parser.parse(b).expect("parses");
        assert_ne!(first.root_node().to_sexp(), other.root_node().to_sexp());
        assert_eq!(
            parser.parse(a).expect("parses").root_node().to_sexp(),
            first.root_node().to_sexp()
        );
    }
}
