//! The Java pass: one walk over each syntax tree runs every Java rule.
//!
//! Names are resolved the way javac would for the cases that matter here:
//! single-type imports, types of the same package, on-demand imports
//! (`java.lang` implicitly), static imports, fully qualified names, and the
//! declared types of fields, locals and parameters. A small flow (see
//! `flow`) follows the result of a matched call into variables, fields and
//! the project's own methods, so that `local.getHostName()` is reported only
//! when `local` came from `InetAddress.getLocalHost()`, and a helper that
//! returns the machine's address is reported where it is called.

mod flow;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tree_sitter::{Language, Node, Parser, Tree};

use crate::compiled::{CallMatcher, Compiled};
use crate::finding::RawFinding;
use crate::ip::{find_ips, is_descriptive};
use crate::summary::{name_hash, MemberFacts, ProjectSources};

/// The node kinds the pass acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
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
struct Grammar {
    language: Language,
    kinds: Vec<K>,
    f_name: u16,
    f_object: u16,
    f_arguments: u16,
    f_type: u16,
    f_value: u16,
    f_field: u16,
    f_scope: u16,
    f_left: u16,
    f_right: u16,
    f_parameters: u16,
    f_key: u16,
    f_operator: u16,
    f_condition: u16,
    f_consequence: u16,
    f_alternative: u16,
    f_superclass: u16,
    f_interfaces: u16,
}

fn grammar() -> &'static Grammar {
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

fn kind(node: Node) -> K {
    grammar()
        .kinds
        .get(usize::from(node.kind_id()))
        .copied()
        .unwrap_or(K::Other)
}

fn field<'t>(node: Node<'t>, id: u16) -> Option<Node<'t>> {
    std::num::NonZeroU16::new(id).and_then(|f| node.child_by_field_id(f.get()))
}

/// A Java parser; one per thread.
pub struct JavaParser {
    parser: Parser,
}

impl JavaParser {
    pub fn new() -> JavaParser {
        let mut parser = Parser::new();
        // The grammar is compiled in; a version mismatch is a build error
        // the test suite catches, so falling back to an empty parse is fine.
        let _ = parser.set_language(&grammar().language);
        JavaParser { parser }
    }

    pub fn parse(&mut self, text: &str) -> Option<Tree> {
        self.parser.parse(text, None)
    }
}

impl Default for JavaParser {
    fn default() -> Self {
        JavaParser::new()
    }
}

/// What a file's neighbours tell about names: the types of its own package
/// (sibling files) and every type of the project, by qualified name.
pub struct ProjectTypes<'a> {
    pub same_package: &'a HashSet<String>,
    pub all: &'a HashSet<String>,
}

/// The result of the Java pass over one file.
pub struct JavaOutcome {
    pub findings: Vec<RawFinding>,
    pub has_errors: bool,
    /// Where the file's own methods and fields get their values from.
    pub(crate) facts: Vec<MemberFacts>,
    /// Hashes of the member names the file uses or declares, sorted.
    pub names: Vec<u64>,
    /// Whether a call the rules follow through helpers is in the file.
    pub has_followed_call: bool,
    pub package: String,
    /// Whether the file declares a logging implementation: a class
    /// extending or implementing one of the pack's logging extension
    /// points, or the project's own `Logger` or `Log` interface.
    pub is_logging_code: bool,
}

/// Runs every Java rule on one file. `sources` are the project's members
/// known to hold a followed value (empty on the first pass).
pub(crate) fn analyze(
    parser: &mut JavaParser,
    src: &str,
    is_test: bool,
    rules: &Compiled,
    project: &ProjectTypes<'_>,
    sources: &ProjectSources,
) -> JavaOutcome {
    let Some(tree) = parser.parse(src) else {
        return JavaOutcome {
            findings: Vec::new(),
            has_errors: true,
            facts: Vec::new(),
            names: Vec::new(),
            has_followed_call: false,
            package: String::new(),
            is_logging_code: false,
        };
    };
    let mut pass = Pass {
        c: rules,
        src,
        is_test,
        project,
        sources,
        package: String::new(),
        imports: HashMap::new(),
        wildcards: vec!["java.lang".to_string()],
        static_members: HashMap::new(),
        static_wildcards: Vec::new(),
        declared: HashMap::new(),
        frames: Vec::new(),
        out: Vec::new(),
        facts: Vec::new(),
        names: Vec::new(),
        has_followed_call: false,
        is_logging_code: false,
        pending_imports: Vec::new(),
    };
    pass.walk(&tree);
    pass.settle_imports();
    pass.keep_fields_read_here();
    pass.names.sort_unstable();
    pass.names.dedup();
    JavaOutcome {
        findings: pass.out,
        has_errors: tree.root_node().has_error(),
        facts: pass.facts,
        names: pass.names,
        has_followed_call: pass.has_followed_call,
        is_logging_code: pass.is_logging_code,
        package: pass.package,
    }
}

struct Var<'a> {
    name: String,
    ty: Option<String>,
    /// The expressions stored in the variable (any of them may be what it
    /// holds), whose origins are worked out when they matter.
    values: Vec<Node<'a>>,
    /// The member key when the variable is a field of a named class.
    field: Option<String>,
    /// The position of a method's parameter.
    param: Option<usize>,
    /// For a local: the block it is declared in (an assignment there
    /// replaces what it held; one in a nested branch may not run).
    block: Option<usize>,
}

/// What opened a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FrameKind {
    /// A class body; the class's qualified name, unless anonymous.
    Class(Option<String>),
    /// A method; its member key, when its class has a name.
    Method(Option<String>),
    /// `static void main(String[] args)`.
    Main,
    Lambda,
    /// A constructor or initializer.
    Other,
}

struct Frame<'a> {
    owner: usize,
    kind: FrameKind,
    vars: Vec<Var<'a>>,
    /// Methods declared in a class body (they shadow static imports).
    methods: Vec<String>,
}

/// An import an import rule names, waiting for the file's uses of it.
struct PendingImport {
    rule: usize,
    start: usize,
    end: usize,
    detail: String,
    simple: String,
    /// Used outside the signature of a method an interface imposes
    /// (`Logger getParentLogger()` of JDBC's `DataSource`).
    used: bool,
    /// Used in such a signature.
    in_signature: bool,
}

struct Pass<'a, 'c> {
    c: &'c Compiled,
    src: &'a str,
    is_test: bool,
    project: &'a ProjectTypes<'a>,
    sources: &'a ProjectSources,
    package: String,
    imports: HashMap<String, String>,
    wildcards: Vec<String>,
    static_members: HashMap<String, String>,
    static_wildcards: Vec<String>,
    /// Types declared in the file, simple name to qualified name.
    declared: HashMap<String, String>,
    frames: Vec<Frame<'a>>,
    out: Vec<RawFinding>,
    facts: Vec<MemberFacts>,
    names: Vec<u64>,
    has_followed_call: bool,
    is_logging_code: bool,
    /// Imports an import rule names, reported once the file shows they are
    /// used beyond a signature an interface imposes: (rule, import node
    /// range, detail, simple name, used elsewhere).
    pending_imports: Vec<PendingImport>,
}

impl<'a, 'c> Pass<'a, 'c> {
    fn text(&self, node: Node) -> &'a str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    /// Walks the tree without recursion, so that deeply nested input (a
    /// thousand concatenated strings) cannot overflow the stack.
    fn walk(&mut self, tree: &'a Tree) {
        self.declare_top_level_types(tree.root_node());
        let mut cursor = tree.walk();
        'outer: loop {
            let node = cursor.node();
            if self.enter(node) && cursor.goto_first_child() {
                continue;
            }
            loop {
                self.leave(cursor.node());
                if cursor.goto_next_sibling() {
                    continue 'outer;
                }
                if !cursor.goto_parent() {
                    break 'outer;
                }
            }
        }
    }

    fn leave(&mut self, node: Node) {
        if self.frames.last().is_some_and(|f| f.owner == node.id()) {
            self.frames.pop();
        }
    }

    /// The package and the file's top-level types, before anything uses
    /// them (a class may use a type declared below it).
    fn declare_top_level_types(&mut self, root: Node) {
        let g = grammar();
        for child in root.named_children(&mut root.walk()) {
            match kind(child) {
                K::Package => {
                    if let Some(name) = child
                        .named_children(&mut child.walk())
                        .find(|n| matches!(kind(*n), K::Identifier | K::Dotted))
                    {
                        self.package = compact(self.text(name));
                    }
                }
                K::TypeDecl => {
                    if let Some(name) = field(child, g.f_name) {
                        let name = self.text(name);
                        let fqn = self.qualify(name);
                        self.declared.insert(name.to_string(), fqn);
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether a type declaration implements logging: it extends or
    /// implements one of the pack's logging extension points, or is an
    /// interface named `Logger` or `Log`.
    fn declares_logging_code(&self, node: Node) -> bool {
        let g = grammar();
        if node.kind() == "interface_declaration" {
            return field(node, g.f_name).is_some_and(|n| matches!(self.text(n), "Logger" | "Log"));
        }
        if self.c.logging_extension_points.is_empty() {
            return false;
        }
        [field(node, g.f_superclass), field(node, g.f_interfaces)]
            .into_iter()
            .flatten()
            .flat_map(|clause| {
                // `extends T` holds the type; `implements A, B` a list.
                let list = clause
                    .named_child(0)
                    .filter(|c| c.kind() == "type_list")
                    .unwrap_or(clause);
                list.named_children(&mut list.walk()).collect::<Vec<_>>()
            })
            .filter_map(|ty| self.resolve_type_node(ty))
            .any(|fqn| {
                self.c.logging_extension_points.contains(&fqn)
                    || self.c.logging_extension_points.iter().any(|p| {
                        fqn.strip_suffix(p.as_str())
                            .is_some_and(|shade| shade.ends_with('.'))
                    })
            })
    }

    /// The qualified name of a type declared in the file's package.
    fn qualify(&self, simple: &str) -> String {
        if self.package.is_empty() {
            simple.to_string()
        } else {
            format!("{}.{simple}", self.package)
        }
    }

    /// The qualified name of the innermost enclosing named class.
    fn current_class(&self) -> Option<&str> {
        self.frames.iter().rev().find_map(|f| match &f.kind {
            FrameKind::Class(name) => Some(name.as_deref()),
            _ => None,
        })?
    }

    /// Acts on a node; returns whether to walk into its children.
    fn enter(&mut self, node: Node<'a>) -> bool {
        let g = grammar();
        match kind(node) {
            K::Comment | K::Package => false,
            K::Import => {
                self.on_import(node);
                false
            }
            K::TypeDecl => {
                if !self.is_logging_code {
                    self.is_logging_code = self.declares_logging_code(node);
                }
                true
            }
            K::ClassBody => {
                // A named class's body, or an anonymous class's.
                let class = node
                    .parent()
                    .filter(|p| kind(*p) == K::TypeDecl)
                    .and_then(|p| field(p, g.f_name))
                    .map(|name| self.nested_name(self.text(name)));
                self.push_frame(node, FrameKind::Class(class));
                self.prescan_body(node);
                true
            }
            K::MethodDecl => {
                let kind = if self.is_main(node) {
                    FrameKind::Main
                } else {
                    FrameKind::Method(match (self.current_class(), field(node, g.f_name)) {
                        (Some(class), Some(name)) => Some(format!("{class}.{}()", self.text(name))),
                        _ => None,
                    })
                };
                self.push_frame(node, kind);
                true
            }
            K::Scope => {
                self.push_frame(node, FrameKind::Other);
                true
            }
            K::Return => {
                self.on_return(node);
                true
            }
            K::Lambda => {
                self.push_frame(node, FrameKind::Lambda);
                if let Some(params) = field(node, g.f_parameters) {
                    let names: Vec<Node> = match kind(params) {
                        K::Identifier => vec![params],
                        _ => params
                            .named_children(&mut params.walk())
                            .filter(|n| kind(*n) == K::Identifier)
                            .collect(),
                    };
                    for n in names {
                        self.declare(self.text(n), None, None);
                    }
                }
                true
            }
            K::Param => {
                let ty = field(node, g.f_type).and_then(|t| self.resolve_type_node(t));
                if let Some(name) = field(node, g.f_name) {
                    self.declare(self.text(name), ty, None);
                    let position = node
                        .parent()
                        .filter(|p| p.kind() == "formal_parameters")
                        .and_then(|p| {
                            p.named_children(&mut p.walk())
                                .filter(|c| kind(*c) == K::Param)
                                .position(|c| c.id() == node.id())
                        });
                    if let Some(var) = self.frames.last_mut().and_then(|f| f.vars.last_mut()) {
                        var.param = position;
                    }
                }
                // Into the type: `org.apache.log4j.Logger logger` is a use.
                true
            }
            K::LocalVar => {
                let ty_node = field(node, g.f_type);
                let mut cursor = node.walk();
                let declarators: Vec<Node> = node
                    .children_by_field_name("declarator", &mut cursor)
                    .collect();
                for d in declarators {
                    let value = field(d, g.f_value);
                    // `PrintStream out = System.out`: the variable is the
                    // static field it holds.
                    let held_field = value
                        .filter(|v| matches!(kind(*v), K::Dotted | K::Identifier))
                        .and_then(|v| self.expr_type(v))
                        .filter(|t| is_static_field_path(t));
                    let ty = match ty_node {
                        _ if held_field.is_some() => held_field,
                        Some(t) if self.text(t) == "var" => value.and_then(|v| self.expr_type(v)),
                        Some(t) => self.resolve_type_node(t),
                        None => None,
                    };
                    if let Some(name) = field(d, g.f_name) {
                        self.declare(self.text(name), ty, value);
                        if let Some(var) = self.frames.last_mut().and_then(|f| f.vars.last_mut()) {
                            var.block = node.parent().map(|p| p.id());
                        }
                    }
                }
                true
            }
            K::EnhancedFor | K::Resource => {
                let ty = field(node, g.f_type).and_then(|t| self.resolve_type_node(t));
                if let Some(name) = field(node, g.f_name) {
                    self.declare(self.text(name), ty, field(node, g.f_value));
                }
                true
            }
            K::Assign => {
                if let (Some(left), Some(right)) = (field(node, g.f_left), field(node, g.f_right)) {
                    self.on_assign(left, right);
                }
                true
            }
            K::Call => {
                self.on_call(node);
                true
            }
            K::New => {
                self.on_new(node);
                true
            }
            K::MethodRef => {
                self.on_method_ref(node);
                true
            }
            K::Identifier => {
                if !self.pending_imports.is_empty() {
                    self.on_name_use(node);
                }
                self.on_identifier(node);
                false
            }
            K::TypeIdentifier => {
                if !self.pending_imports.is_empty() {
                    self.on_name_use(node);
                }
                false
            }
            K::Str => {
                self.on_string(node);
                false
            }
            K::Dotted => {
                if self.on_member_field(node) {
                    return false;
                }
                !self.on_qualified_name(node)
            }
            K::ScopedTypeIdentifier => !self.on_qualified_name(node),
            _ => true,
        }
    }

    /// The qualified name of a class declared in the current class body.
    fn nested_name(&self, simple: &str) -> String {
        match self.current_class() {
            Some(outer) => format!("{outer}.{simple}"),
            None => self
                .declared
                .get(simple)
                .cloned()
                .unwrap_or_else(|| self.qualify(simple)),
        }
    }

    /// Whether a declaration (a method, a field) is `static`.
    fn is_static(&self, declaration: Node) -> bool {
        declaration
            .children(&mut declaration.walk())
            .filter(|c| kind(*c) == K::Modifiers)
            .any(|m| self.text(m).split_whitespace().any(|w| w == "static"))
    }

    /// `public static void main(String[] args)`: where a program starts.
    fn is_main(&self, method: Node) -> bool {
        let g = grammar();
        let named_main = field(method, g.f_name).is_some_and(|n| self.text(n) == "main");
        let is_static = self.is_static(method);
        let one_parameter = field(method, g.f_parameters).is_some_and(|p| {
            p.named_children(&mut p.walk())
                .filter(|c| kind(*c) == K::Param)
                .count()
                == 1
        });
        named_main && is_static && one_parameter
    }

    fn push_frame(&mut self, node: Node, kind: FrameKind) {
        self.frames.push(Frame {
            owner: node.id(),
            kind,
            vars: Vec::new(),
            methods: Vec::new(),
        });
    }

    fn declare(&mut self, name: &str, ty: Option<String>, value: Option<Node<'a>>) {
        if let Some(frame) = self.frames.last_mut() {
            frame.vars.push(Var {
                name: name.to_string(),
                ty,
                values: value.into_iter().collect(),
                field: None,
                param: None,
                block: None,
            });
        }
    }

    fn var(&self, name: &str) -> Option<&Var<'a>> {
        self.frames
            .iter()
            .rev()
            .flat_map(|f| f.vars.iter().rev())
            .find(|v| v.name == name)
    }

    fn var_mut(&mut self, name: &str) -> Option<&mut Var<'a>> {
        self.frames
            .iter_mut()
            .rev()
            .flat_map(|f| f.vars.iter_mut().rev())
            .find(|v| v.name == name)
    }

    /// Records the fields and methods of a class body before its members
    /// are walked, since a method may use a field declared below it.
    fn prescan_body(&mut self, body: Node<'a>) {
        let g = grammar();
        let class = self.current_class().map(str::to_string);
        let mut members: Vec<Node> = body.named_children(&mut body.walk()).collect();
        let mut initialized: Vec<(String, Node<'a>)> = Vec::new();
        let mut i = 0;
        while i < members.len() {
            let m = members[i];
            i += 1;
            match kind(m) {
                K::EnumBodyDecls => members.extend(m.named_children(&mut m.walk())),
                K::MethodDecl => {
                    if let Some(name) = field(m, g.f_name) {
                        let name = self.text(name);
                        self.names.push(name_hash(name));
                        if let Some(frame) = self.frames.last_mut() {
                            frame.methods.push(name.to_string());
                        }
                    }
                }
                K::FieldDecl => {
                    let ty = field(m, g.f_type).and_then(|t| self.resolve_type_node(t));
                    let mut cursor = m.walk();
                    let declarators: Vec<Node> = m
                        .children_by_field_name("declarator", &mut cursor)
                        .collect();
                    for d in declarators {
                        let Some(name) = field(d, g.f_name) else {
                            continue;
                        };
                        let name = self.text(name);
                        let value = field(d, g.f_value);
                        self.declare(name, ty.clone(), value);
                        if let Some(class) = &class {
                            self.names.push(name_hash(name));
                            let key = format!("{class}.{name}");
                            if let Some(v) = value {
                                initialized.push((key.clone(), v));
                            }
                            if let Some(var) =
                                self.frames.last_mut().and_then(|f| f.vars.last_mut())
                            {
                                var.field = Some(key);
                            }
                        }
                    }
                }
                K::TypeDecl => {
                    if let Some(name) = field(m, g.f_name) {
                        let name = self.text(name);
                        let fqn = self.nested_name(name);
                        self.declared.insert(name.to_string(), fqn);
                    }
                }
                _ => {}
            }
        }
        // Initializers are followed once every member is known: one may
        // call a method declared below it.
        for (key, value) in initialized {
            self.record_member(&key, value);
        }
    }

    fn on_import(&mut self, node: Node) {
        let (mut is_static, mut wildcard, mut path) = (false, false, None);
        for child in node.children(&mut node.walk()) {
            match kind(child) {
                K::StaticKw => is_static = true,
                K::Asterisk => wildcard = true,
                K::Identifier | K::Dotted => path = Some(compact(self.text(child))),
                _ => {}
            }
        }
        let Some(path) = path else { return };
        let simple = path.rsplit('.').next().unwrap_or(&path).to_string();
        if is_static {
            self.names.push(name_hash(&simple));
        }
        match (is_static, wildcard) {
            (false, false) => {
                self.imports.insert(simple, path.clone());
            }
            (false, true) => self.wildcards.push(path.clone()),
            (true, false) => {
                if let Some((class, _)) = path.rsplit_once('.') {
                    self.static_members.insert(simple, class.to_string());
                }
            }
            (true, true) => self.static_wildcards.push(path.clone()),
        }
        let shown = if wildcard {
            format!("{path}.*")
        } else {
            path.clone()
        };
        for (rule, packages) in &self.c.imports {
            if self.c.applies(*rule, self.is_test) && packages.iter().any(|p| in_package(&path, p))
            {
                match path.rsplit_once('.').filter(|_| !wildcard && !is_static) {
                    Some((_, simple)) => self.pending_imports.push(PendingImport {
                        rule: *rule,
                        start: node.start_byte(),
                        end: node.end_byte(),
                        detail: shown.clone(),
                        simple: simple.to_string(),
                        used: false,
                        in_signature: false,
                    }),
                    None => self.report(*rule, node, shown.clone()),
                }
            }
        }
    }

    /// A name in the code: a use of a pending import, unless it is in the
    /// signature of a method an interface imposes.
    fn on_name_use(&mut self, node: Node) {
        let name = self.text(node);
        if !self.pending_imports.iter().any(|p| p.simple == name) {
            return;
        }
        let in_signature = self.in_get_parent_logger_signature(node);
        for p in self.pending_imports.iter_mut().filter(|p| p.simple == name) {
            if in_signature {
                p.in_signature = true;
            } else {
                p.used = true;
            }
        }
    }

    /// A value going into a static field this file reads elsewhere (a read
    /// in its own class is no reported use) is used: its finding keeps its
    /// level. Any other occurrence of the field's name counts as a read.
    fn keep_fields_read_here(&mut self) {
        let src = self.src;
        for f in self.out.iter_mut().filter(|f| !f.feeds.is_empty()) {
            let read_here = f.feeds.iter().any(|key| {
                !key.ends_with("()")
                    && key
                        .rsplit('.')
                        .next()
                        .is_some_and(|name| word_count(src, name) > 1)
            });
            if read_here {
                f.feeds.clear();
            }
        }
    }

    /// Reports the pending imports, but those used only in signatures an
    /// interface imposes: implementing `DataSource` needs
    /// `java.util.logging.Logger` without logging through it.
    fn settle_imports(&mut self) {
        for p in std::mem::take(&mut self.pending_imports) {
            if p.used || !p.in_signature {
                self.push_finding(RawFinding {
                    rule: p.rule,
                    start: p.start,
                    end: p.end,
                    detail: p.detail,
                    ..RawFinding::default()
                });
            }
        }
    }

    /// A fully qualified use of a package the import rules name
    /// (`org.apache.log4j.Logger.getLogger(..)` with no import). Returns
    /// whether it was reported (its parts are then not looked at again).
    fn on_qualified_name(&mut self, node: Node) -> bool {
        if self.c.imports.is_empty() {
            return false;
        }
        let mut leftmost = node;
        while let Some(first) = leftmost.named_child(0) {
            leftmost = first;
        }
        if !self.c.import_roots.contains(self.text(leftmost)) {
            return false;
        }
        let Some(name) = self.dotted_text(node) else {
            return false;
        };
        if self.in_override_signature(node) {
            return false;
        }
        let mut reported = false;
        for (rule, packages) in &self.c.imports {
            if !self.c.applies(*rule, self.is_test) {
                continue;
            }
            if let Some(p) = packages.iter().find(|p| name.starts_with(&format!("{p}."))) {
                let class = name[p.len() + 1..].split('.').next().unwrap_or("");
                if self.last_on_same_line(*rule, node.start_byte()) {
                    reported = true;
                    continue;
                }
                self.report(*rule, node, format!("{p}.{class}"));
                reported = true;
            }
        }
        reported
    }

    /// Whether a node is in the signature of a `getParentLogger()`, which
    /// JDBC's `DataSource` and `Driver` impose with JUL's `Logger`.
    fn in_get_parent_logger_signature(&self, node: Node) -> bool {
        let mut current = node;
        while let Some(parent) = current.parent() {
            match kind(parent) {
                K::Block | K::ClassBody | K::Lambda => return false,
                K::MethodDecl => {
                    return field(parent, grammar().f_name)
                        .is_some_and(|n| self.text(n) == "getParentLogger")
                }
                _ => current = parent,
            }
        }
        false
    }

    /// Whether a node is in the signature (return or parameter types) of an
    /// `@Override` method: a type the implemented interface imposes, such as
    /// `java.util.logging.Logger getParentLogger()` of `javax.sql.DataSource`.
    fn in_override_signature(&self, node: Node) -> bool {
        let mut current = node;
        while let Some(parent) = current.parent() {
            match kind(parent) {
                K::Block | K::ClassBody | K::Lambda => return false,
                // getParentLogger is imposed by JDBC's DataSource and Driver.
                K::MethodDecl
                    if field(parent, grammar().f_name)
                        .is_some_and(|n| self.text(n) == "getParentLogger") =>
                {
                    return true;
                }
                K::MethodDecl => {
                    let mut cursor = parent.walk();
                    let modifiers: Vec<Node> = parent
                        .children(&mut cursor)
                        .filter(|c| kind(*c) == K::Modifiers)
                        .collect();
                    return modifiers.iter().any(|m| {
                        let mut mc = m.walk();
                        let annotations: Vec<Node> = m.named_children(&mut mc).collect();
                        annotations.iter().any(|a| {
                            field(*a, grammar().f_name).is_some_and(|n| {
                                matches!(self.text(n), "Override" | "java.lang.Override")
                            })
                        })
                    });
                }
                _ => current = parent,
            }
        }
        false
    }

    /// Whether the last finding is for `rule` on the line of `start`: one
    /// legacy-API finding per line is enough.
    fn last_on_same_line(&self, rule: usize, start: usize) -> bool {
        self.out.last().is_some_and(|f| {
            f.rule == rule
                && f.start <= start
                && !self.src.as_bytes()[f.start..start].contains(&b'\n')
        })
    }

    /// `a.b.C` when a node is made only of identifiers and dots.
    fn dotted_text(&self, node: Node) -> Option<String> {
        let text = self.text(node);
        let valid = text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c.is_whitespace());
        valid.then(|| compact(text))
    }

    fn on_call(&mut self, node: Node<'a>) {
        let g = grammar();
        let Some(name_node) = field(node, g.f_name) else {
            return;
        };
        let name = self.text(name_node);
        self.names.push(name_hash(name));
        let object = field(node, g.f_object);
        let mut matched_any = false;
        if self.c.calls.contains_key(name) {
            let mut reported_rules: Vec<usize> = Vec::new();
            for i in self.matching_calls(node) {
                let m = &self.c.matchers[i];
                matched_any = true;
                self.has_followed_call |= m.through_helpers;
                if !m.reported || reported_rules.contains(&m.rule) {
                    continue;
                }
                reported_rules.push(m.rule);
                let detail = self.call_detail(node, object, name, m);
                self.report_flow(m.rule, node, detail, Vec::new(), None);
            }
        }
        if !matched_any {
            self.on_field_arguments(node);
        }
        if self.c.derived_methods.contains(name) {
            if let Some(obj) = object {
                self.on_derived_call(node, obj, name);
            }
        }
        if let Some(obj) = object {
            self.on_store_into(obj, name, node);
        }
        if self.sources.names.contains(name) {
            if let Some(key) = self.member_key_of_call(node) {
                self.report_member(node, &key);
            }
        }
    }

    /// The call matchers (by index) a method invocation satisfies.
    fn matching_calls(&self, node: Node) -> Vec<usize> {
        let g = grammar();
        let Some(name_node) = field(node, g.f_name) else {
            return Vec::new();
        };
        let name = self.text(name_node);
        let Some(candidates) = self.c.calls.get(name) else {
            return Vec::new();
        };
        let object = field(node, g.f_object);
        let receiver = match object {
            Some(o) => self.expr_type(o),
            None => self.static_import_owner(name),
        };
        let args = self.arguments(node);
        candidates
            .iter()
            .copied()
            .filter(|&i| {
                let m = &self.c.matchers[i];
                !m.is_new
                    && self.c.applies(m.rule, self.is_test)
                    && (m.receiver.is_none() || m.receiver == receiver)
                    && self.args_match(m, &args)
            })
            .collect()
    }

    /// The class a bare call `name()` comes from through a static import,
    /// unless the enclosing classes declare a method of that name.
    fn static_import_owner(&self, name: &str) -> Option<String> {
        if self
            .frames
            .iter()
            .any(|f| f.methods.iter().any(|m| m == name))
        {
            return None;
        }
        if let Some(class) = self.static_members.get(name) {
            return Some(class.clone());
        }
        let candidates = self.c.calls.get(name)?;
        self.static_wildcards
            .iter()
            .find(|class| {
                candidates
                    .iter()
                    .any(|&i| self.c.matchers[i].receiver.as_deref() == Some(class.as_str()))
            })
            .cloned()
    }

    fn arguments(&self, call: Node<'a>) -> Vec<Node<'a>> {
        match field(call, grammar().f_arguments) {
            Some(list) => list
                .named_children(&mut list.walk())
                .filter(|n| kind(*n) != K::Comment)
                .collect(),
            None => Vec::new(),
        }
    }

    fn args_match(&self, m: &CallMatcher, args: &[Node]) -> bool {
        if m.max_args.is_some_and(|max| args.len() > max) {
            return false;
        }
        if let Some(re) = &m.first_arg_text {
            match args.first() {
                Some(a) if kind(*a) == K::Str => {
                    if !re.is_match(&string_value(self.text(*a))) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        if !m.first_arg_is.is_empty() {
            match args.first().and_then(|a| self.expr_type(*a)) {
                Some(t) if m.first_arg_is.contains(&t) => {}
                _ => return false,
            }
        }
        true
    }

    fn call_detail(&self, node: Node, object: Option<Node>, name: &str, m: &CallMatcher) -> String {
        let receiver = object
            .map(|o| format!("{}.", self.shown_receiver(o)))
            .unwrap_or_default();
        let args = self.arguments(node);
        let shown_args = match args.first() {
            None => String::new(),
            Some(a) if m.first_arg_text.is_some() || !m.first_arg_is.is_empty() => {
                let t = compact(self.text(*a));
                if args.len() > 1 {
                    format!("{t}, …")
                } else {
                    t
                }
            }
            Some(_) => "…".to_string(),
        };
        format!("{receiver}{name}({shown_args})")
    }

    /// `System.out::println`: a call of `println` on `System.out` whose
    /// arguments are not written, so only matchers without argument
    /// constraints (other than "none") apply.
    fn on_method_ref(&mut self, node: Node) {
        let Some(receiver_node) = node.named_child(0) else {
            return;
        };
        let Some(name_node) = node
            .named_child(node.named_child_count().saturating_sub(1))
            .filter(|n| kind(*n) == K::Identifier && n.id() != receiver_node.id())
        else {
            return;
        };
        let name = self.text(name_node);
        self.names.push(name_hash(name));
        let Some(candidates) = self.c.calls.get(name) else {
            return;
        };
        let receiver = self.expr_type(receiver_node);
        let matched: Vec<&CallMatcher> = candidates
            .iter()
            .map(|&i| &self.c.matchers[i])
            .filter(|m| !m.is_new && m.reported && self.c.applies(m.rule, self.is_test))
            .filter(|m| m.first_arg_text.is_none() && m.first_arg_is.is_empty())
            .filter(|m| m.receiver.is_none() || m.receiver == receiver)
            .collect();
        if let Some(m) = matched.first() {
            let detail = format!("{}::{name}", compact(self.text(receiver_node)));
            self.report(m.rule, node, detail);
        }
    }

    fn on_new(&mut self, node: Node<'a>) {
        let g = grammar();
        let Some(ty) = field(node, g.f_type) else {
            return;
        };
        let type_text = compact(self.text(ty));
        let simple = simple_type_name(&type_text);
        let Some(candidates) = self.c.calls.get(simple) else {
            self.on_field_arguments(node);
            return;
        };
        let resolved = self.resolve_type_node(ty);
        let args = self.arguments(node);
        let matched: Vec<usize> = candidates
            .iter()
            .map(|&i| &self.c.matchers[i])
            .filter(|m| m.is_new && self.c.applies(m.rule, self.is_test))
            .filter(|m| m.receiver == resolved && self.args_match(m, &args))
            .map(|m| m.rule)
            .collect();
        if matched.is_empty() {
            self.on_field_arguments(node);
        }
        for rule in matched {
            let first = args
                .first()
                .map(|a| compact(self.text(*a)))
                .unwrap_or_default();
            self.report(rule, node, format!("new {simple}({first})"));
        }
    }

    fn on_string(&mut self, node: Node) {
        let raw = self.text(node);
        let quote = if raw.starts_with("\"\"\"") { 3 } else { 1 };
        if raw.len() < quote * 2 {
            return;
        }
        let inner_start = node.start_byte() + quote;
        let inner = &raw[quote..raw.len() - quote];
        if !self.c.strings.is_empty() {
            if let Some(rules) = self.c.strings.get(string_value(raw).as_str()) {
                for &rule in rules {
                    if self.c.applies(rule, self.is_test) {
                        self.report(rule, node, raw.to_string());
                    }
                }
            }
        }
        if self.c.ip_rules.is_empty() || !inner.bytes().any(|b| b == b'.' || b == b':') {
            return;
        }
        let ips = find_ips(inner);
        if ips.is_empty() || self.in_descriptive_context(node, inner) {
            return;
        }
        for ip in ips {
            for &rule in &self.c.ip_rules {
                if self.c.applies(rule, self.is_test) {
                    self.out.push(RawFinding {
                        rule,
                        start: inner_start + ip.start,
                        end: inner_start + ip.end,
                        detail: inner[ip.start..ip.end].to_string(),
                        ..RawFinding::default()
                    });
                }
            }
        }
    }

    /// A string assigned to something named like a version or a message
    /// (`VERSION =`, `setVersion(..)`, `example = ".."` in an annotation),
    /// or prose giving an example, is not configuration.
    fn in_descriptive_context(&self, node: Node, value: &str) -> bool {
        if is_descriptive("", value)
            || self
                .concatenated_literals(node)
                .is_some_and(|prose| is_descriptive("", &prose))
        {
            return true;
        }
        let g = grammar();
        let mut current = node;
        for _ in 0..3 {
            let Some(parent) = current.parent() else {
                return false;
            };
            let name = match parent.kind() {
                "variable_declarator" => field(parent, g.f_name),
                "assignment_expression" => field(parent, g.f_left),
                "element_value_pair" => field(parent, g.f_key),
                "method_invocation" => field(parent, g.f_name),
                _ => None,
            };
            if let Some(n) = name {
                return is_descriptive(self.text(n), "");
            }
            current = parent;
        }
        false
    }

    /// The string literals of the `+` concatenation a literal is part of,
    /// joined: prose split over several literals (`"set it as follows, "
    /// + "\"10.0.0.1:9876\""`). `None` for a literal on its own.
    fn concatenated_literals(&self, node: Node) -> Option<String> {
        let g = grammar();
        let is_plus = |n: Node| {
            kind(n) == K::Binary && field(n, g.f_operator).is_some_and(|o| self.text(o) == "+")
        };
        let mut top = node;
        while let Some(parent) = top.parent().filter(|p| is_plus(*p)) {
            top = parent;
        }
        if top == node {
            return None;
        }
        let mut joined = String::new();
        let mut pending = vec![top];
        while let Some(n) = pending.pop() {
            if is_plus(n) {
                pending.extend(field(n, g.f_right));
                pending.extend(field(n, g.f_left));
            } else if kind(n) == K::Str {
                joined.push_str(self.text(n));
            }
        }
        Some(joined)
    }

    fn report(&mut self, rule: usize, node: Node, detail: String) {
        self.push_finding(RawFinding {
            rule,
            start: node.start_byte(),
            end: node.end_byte(),
            detail,
            ..RawFinding::default()
        });
    }

    /// Records a finding unless the same rule was just reported at the same
    /// place (one node can satisfy several matchers of a rule).
    fn push_finding(&mut self, mut finding: RawFinding) {
        finding.in_main = self.frames.iter().any(|f| f.kind == FrameKind::Main);
        if self
            .out
            .iter()
            .rev()
            .take(4)
            .any(|f| f.rule == finding.rule && f.start == finding.start)
        {
            return;
        }
        self.out.push(finding);
    }

    /// The static type of an expression as a qualified name, or the path of
    /// a static field (`java.lang.System.out`), when it can be known.
    fn expr_type(&self, node: Node) -> Option<String> {
        self.expr_type_within(node, 0)
    }

    /// `expr_type` with a bound on how deep it follows nested expressions:
    /// generated code can chain thousands of calls, and rayon's worker
    /// threads have small stacks.
    fn expr_type_within(&self, node: Node, depth: usize) -> Option<String> {
        if depth > 48 {
            return None;
        }
        let g = grammar();
        match kind(node) {
            K::Identifier => {
                let name = self.text(node);
                if let Some(var) = self.var(name) {
                    return var.ty.clone();
                }
                if let Some(class) = self.static_members.get(name) {
                    return Some(format!("{class}.{name}"));
                }
                self.resolve_simple(name)
            }
            K::Dotted => {
                let (obj, member) = match (field(node, g.f_object), field(node, g.f_field)) {
                    (Some(o), Some(f)) => (Some(o), Some(f)),
                    _ => (field(node, g.f_scope), field(node, g.f_name)),
                };
                if let (Some(o), Some(m)) = (obj, member) {
                    if let Some(t) = self.expr_type_within(o, depth + 1) {
                        return Some(format!("{t}.{}", self.text(m)));
                    }
                }
                let name = self.dotted_text(node)?;
                self.known_qualified(&name).then_some(name)
            }
            K::Call => {
                let name = self.text(field(node, g.f_name)?);
                let receiver = match field(node, g.f_object) {
                    Some(o) => self.expr_type_within(o, depth + 1)?,
                    None => self.static_import_owner(name)?,
                };
                self.c.returns.get(&format!("{receiver}.{name}")).cloned()
            }
            K::New => field(node, g.f_type).and_then(|t| self.resolve_type_node(t)),
            K::Paren => node
                .named_child(0)
                .and_then(|n| self.expr_type_within(n, depth + 1)),
            K::Cast => field(node, g.f_type).and_then(|t| self.resolve_type_node(t)),
            _ => None,
        }
    }

    /// Whether a dotted name is a known type or a static field of one.
    fn known_qualified(&self, name: &str) -> bool {
        if self.c.known_types.contains(name) {
            return true;
        }
        name.rsplit_once('.')
            .is_some_and(|(ty, _)| self.c.known_types.contains(ty))
    }

    fn resolve_type_node(&self, node: Node) -> Option<String> {
        match kind(node) {
            K::TypeIdentifier => self.resolve_simple(self.text(node)),
            K::ScopedTypeIdentifier => {
                let name = compact(self.text(node));
                let first = name.split('.').next().unwrap_or("");
                if first.starts_with(|c: char| c.is_uppercase()) {
                    // Outer.Inner: resolve the outer type.
                    let outer = self.resolve_simple(first)?;
                    Some(format!("{outer}{}", &name[first.len()..]))
                } else {
                    Some(name)
                }
            }
            K::GenericType => node.named_child(0).and_then(|n| self.resolve_type_node(n)),
            _ => None,
        }
    }

    /// Resolves a simple type name as javac would: types declared in the
    /// file, single-type imports, the same package, then on-demand imports.
    /// Only names that can matter to a rule are resolved through on-demand
    /// imports; project types found there shadow nothing else.
    fn resolve_simple(&self, name: &str) -> Option<String> {
        if let Some(fqn) = self.declared.get(name) {
            return Some(fqn.clone());
        }
        if let Some(fqn) = self.imports.get(name) {
            return Some(fqn.clone());
        }
        if self.project.same_package.contains(name) {
            return Some(self.qualify(name));
        }
        for pkg in &self.wildcards {
            let candidate = format!("{pkg}.{name}");
            if self.project.all.contains(&candidate) {
                return Some(candidate);
            }
            if self.c.known_types.contains(&candidate) {
                return Some(candidate);
            }
        }
        None
    }
}

/// How many times `word` occurs in `text` as a whole identifier.
fn word_count(text: &str, word: &str) -> usize {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + word.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .count()
}

/// Whether `path` (a package or a qualified name) is `package` or lies
/// in it.
fn in_package(path: &str, package: &str) -> bool {
    path == package
        || path
            .strip_prefix(package)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// `Map` for `java.util.Map<K, V>`: the name a type is known by.
fn simple_type_name(type_text: &str) -> &str {
    type_text
        .split('<')
        .next()
        .unwrap_or("")
        .rsplit('.')
        .next()
        .unwrap_or("")
        .trim()
}

/// Whether a resolved name is a static field (`java.lang.System.out`)
/// rather than a type: its last segment starts in lowercase after a type.
fn is_static_field_path(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(owner, last)| {
        last.starts_with(|c: char| c.is_lowercase())
            && owner
                .rsplit('.')
                .next()
                .is_some_and(|t| t.starts_with(|c: char| c.is_uppercase()))
    })
}

/// Removes whitespace and comments' line breaks from a dotted name.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The value of a Java string literal (quotes removed, simple escapes
/// applied).
fn string_value(raw: &str) -> String {
    let quote = if raw.starts_with("\"\"\"") { 3 } else { 1 };
    let inner = raw
        .get(quote..raw.len().saturating_sub(quote))
        .unwrap_or("");
    if !inner.contains('\\') {
        return inner.to_string();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}
