//! The Java pass: one walk over each syntax tree runs every Java rule.
//!
//! Names are resolved the way javac would for the cases that matter here:
//! single-type imports, types of the same package, on-demand imports
//! (`java.lang` implicitly), static imports, fully qualified names, and the
//! declared types of fields, locals and parameters. A small flow follows the
//! result of a matched call into the variable it is stored in, so that
//! `local.getHostName()` is reported only when `local` came from
//! `InetAddress.getLocalHost()`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tree_sitter::{Language, Node, Parser, Tree};

use crate::compiled::{CallMatcher, Compiled};
use crate::finding::RawFinding;
use crate::ip::{find_ips, is_descriptive};

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
}

/// Runs every Java rule on one file.
pub(crate) fn analyze(
    parser: &mut JavaParser,
    src: &str,
    is_test: bool,
    rules: &Compiled,
    project: &ProjectTypes<'_>,
) -> JavaOutcome {
    let Some(tree) = parser.parse(src) else {
        return JavaOutcome {
            findings: Vec::new(),
            has_errors: true,
        };
    };
    let mut pass = Pass {
        c: rules,
        src,
        is_test,
        project,
        package: String::new(),
        imports: HashMap::new(),
        wildcards: vec!["java.lang".to_string()],
        static_members: HashMap::new(),
        static_wildcards: Vec::new(),
        declared: HashSet::new(),
        frames: Vec::new(),
        out: Vec::new(),
    };
    pass.walk(&tree);
    JavaOutcome {
        findings: pass.out,
        has_errors: tree.root_node().has_error(),
    }
}

struct Var<'c> {
    name: String,
    ty: Option<String>,
    /// The call matcher whose result this variable holds.
    taint: Option<&'c CallMatcher>,
}

struct Frame<'c> {
    owner: usize,
    vars: Vec<Var<'c>>,
    /// Methods declared in a class body (they shadow static imports).
    methods: Vec<String>,
}

struct Pass<'a, 'c> {
    c: &'c Compiled,
    src: &'a str,
    is_test: bool,
    project: &'a ProjectTypes<'a>,
    package: String,
    imports: HashMap<String, String>,
    wildcards: Vec<String>,
    static_members: HashMap<String, String>,
    static_wildcards: Vec<String>,
    declared: HashSet<String>,
    frames: Vec<Frame<'c>>,
    out: Vec<RawFinding>,
}

impl<'a, 'c> Pass<'a, 'c> {
    fn text(&self, node: Node) -> &'a str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    /// Walks the tree without recursion, so that deeply nested input (a
    /// thousand concatenated strings) cannot overflow the stack.
    fn walk(&mut self, tree: &Tree) {
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

    /// Acts on a node; returns whether to walk into its children.
    fn enter(&mut self, node: Node) -> bool {
        let g = grammar();
        match kind(node) {
            K::Comment => false,
            K::Package => {
                if let Some(name) = node
                    .named_children(&mut node.walk())
                    .find(|n| matches!(kind(*n), K::Identifier | K::Dotted))
                {
                    self.package = compact(self.text(name));
                }
                false
            }
            K::Import => {
                self.on_import(node);
                false
            }
            K::TypeDecl => {
                if let Some(name) = field(node, g.f_name) {
                    self.declared.insert(self.text(name).to_string());
                }
                true
            }
            K::ClassBody => {
                self.push_frame(node);
                self.prescan_body(node);
                true
            }
            K::MethodDecl | K::Scope => {
                self.push_frame(node);
                true
            }
            K::Lambda => {
                self.push_frame(node);
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
                }
                false
            }
            K::LocalVar => {
                let ty_node = field(node, g.f_type);
                let mut cursor = node.walk();
                let declarators: Vec<Node> = node
                    .children_by_field_name("declarator", &mut cursor)
                    .collect();
                for d in declarators {
                    let value = field(d, g.f_value);
                    let ty = match ty_node {
                        Some(t) if self.text(t) == "var" => value.and_then(|v| self.expr_type(v)),
                        Some(t) => self.resolve_type_node(t),
                        None => None,
                    };
                    let taint = value.and_then(|v| self.tainting_call(v));
                    if let Some(name) = field(d, g.f_name) {
                        self.declare(self.text(name), ty, taint);
                    }
                }
                true
            }
            K::EnhancedFor | K::Resource => {
                let ty = field(node, g.f_type).and_then(|t| self.resolve_type_node(t));
                if let Some(name) = field(node, g.f_name) {
                    self.declare(self.text(name), ty, None);
                }
                true
            }
            K::Assign => {
                if let (Some(left), Some(right)) = (field(node, g.f_left), field(node, g.f_right)) {
                    if kind(left) == K::Identifier {
                        let taint = self.tainting_call(right);
                        let name = self.text(left);
                        if let Some(var) = self.var_mut(name) {
                            var.taint = taint;
                        }
                    }
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
            K::Str => {
                self.on_string(node);
                false
            }
            K::Dotted | K::ScopedTypeIdentifier => !self.on_qualified_name(node),
            _ => true,
        }
    }

    fn push_frame(&mut self, node: Node) {
        self.frames.push(Frame {
            owner: node.id(),
            vars: Vec::new(),
            methods: Vec::new(),
        });
    }

    fn declare(&mut self, name: &str, ty: Option<String>, taint: Option<&'c CallMatcher>) {
        if let Some(frame) = self.frames.last_mut() {
            frame.vars.push(Var {
                name: name.to_string(),
                ty,
                taint,
            });
        }
    }

    fn var(&self, name: &str) -> Option<&Var<'c>> {
        self.frames
            .iter()
            .rev()
            .flat_map(|f| f.vars.iter().rev())
            .find(|v| v.name == name)
    }

    fn var_mut(&mut self, name: &str) -> Option<&mut Var<'c>> {
        self.frames
            .iter_mut()
            .rev()
            .flat_map(|f| f.vars.iter_mut().rev())
            .find(|v| v.name == name)
    }

    /// Records the fields and methods of a class body before its members
    /// are walked, since a method may use a field declared below it.
    fn prescan_body(&mut self, body: Node) {
        let g = grammar();
        let mut members: Vec<Node> = body.named_children(&mut body.walk()).collect();
        let mut i = 0;
        while i < members.len() {
            let m = members[i];
            i += 1;
            match kind(m) {
                K::EnumBodyDecls => members.extend(m.named_children(&mut m.walk())),
                K::MethodDecl => {
                    if let (Some(name), Some(frame)) = (field(m, g.f_name), self.frames.last_mut())
                    {
                        frame
                            .methods
                            .push(self.src.get(name.byte_range()).unwrap_or("").to_string());
                    }
                }
                K::FieldDecl => {
                    let ty = field(m, g.f_type).and_then(|t| self.resolve_type_node(t));
                    let mut cursor = m.walk();
                    let declarators: Vec<Node> = m
                        .children_by_field_name("declarator", &mut cursor)
                        .collect();
                    for d in declarators {
                        let taint = field(d, g.f_value).and_then(|v| self.tainting_call(v));
                        if let Some(name) = field(d, g.f_name) {
                            self.declare(self.text(name), ty.clone(), taint);
                        }
                    }
                }
                K::TypeDecl => {
                    if let Some(name) = field(m, g.f_name) {
                        self.declared.insert(self.text(name).to_string());
                    }
                }
                _ => {}
            }
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
                self.report(*rule, node, shown.clone());
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

    fn on_call(&mut self, node: Node) {
        let g = grammar();
        let Some(name_node) = field(node, g.f_name) else {
            return;
        };
        let name = self.text(name_node);
        let has_matchers = self.c.calls.contains_key(name);
        let is_derived = self.c.derived_methods.contains(name);
        if !has_matchers && !is_derived {
            return;
        }
        let object = field(node, g.f_object);
        if has_matchers {
            let matched = self.matching_calls(node);
            let mut reported_rules: Vec<usize> = Vec::new();
            for m in matched {
                if reported_rules.contains(&m.rule) {
                    continue;
                }
                reported_rules.push(m.rule);
                let detail = self.call_detail(node, object, name, m);
                self.report(m.rule, node, detail);
            }
        }
        if is_derived {
            if let Some(obj) = object.filter(|o| kind(*o) == K::Identifier) {
                let var_name = self.text(obj);
                if let Some(m) = self.var(var_name).and_then(|v| v.taint) {
                    // One finding per line is enough: `a.getHostName() + a.getHostAddress()`.
                    if m.derived.iter().any(|d| d == name)
                        && self.c.applies(m.rule, self.is_test)
                        && !self.last_on_same_line(m.rule, node.start_byte())
                    {
                        self.report(m.rule, node, format!("{var_name}.{name}()"));
                    }
                }
            }
        }
    }

    /// The call matchers a method invocation satisfies.
    fn matching_calls(&self, node: Node) -> Vec<&'c CallMatcher> {
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
            .filter(|m| !m.is_new && self.c.applies(m.rule, self.is_test))
            .filter(|m| m.receiver.is_none() || m.receiver == receiver)
            .filter(|m| self.args_match(m, &args))
            .collect()
    }

    /// The matcher (with derived methods) whose result an expression is.
    fn tainting_call(&self, value: Node) -> Option<&'c CallMatcher> {
        if kind(value) != K::Call {
            return None;
        }
        self.matching_calls(value)
            .into_iter()
            .find(|m| !m.derived.is_empty())
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
                    .any(|m| m.receiver.as_deref() == Some(class.as_str()))
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
            .map(|o| {
                let t = compact(self.text(o));
                if t.chars().count() > 40 {
                    "…".to_string()
                } else {
                    t
                }
            })
            .map(|t| format!("{t}."))
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
        let Some(candidates) = self.c.calls.get(name) else {
            return;
        };
        let receiver = self.expr_type(receiver_node);
        let matched: Vec<&CallMatcher> = candidates
            .iter()
            .filter(|m| !m.is_new && self.c.applies(m.rule, self.is_test))
            .filter(|m| m.first_arg_text.is_none() && m.first_arg_is.is_empty())
            .filter(|m| m.receiver.is_none() || m.receiver == receiver)
            .collect();
        if let Some(m) = matched.first() {
            let detail = format!("{}::{name}", compact(self.text(receiver_node)));
            self.report(m.rule, node, detail);
        }
    }

    fn on_new(&mut self, node: Node) {
        let g = grammar();
        let Some(ty) = field(node, g.f_type) else {
            return;
        };
        let type_text = compact(self.text(ty));
        let simple = type_text
            .split('<')
            .next()
            .unwrap_or("")
            .rsplit('.')
            .next()
            .unwrap_or("");
        let Some(candidates) = self.c.calls.get(simple) else {
            return;
        };
        let resolved = self.resolve_type_node(ty);
        let args = self.arguments(node);
        let matched: Vec<&CallMatcher> = candidates
            .iter()
            .filter(|m| m.is_new && self.c.applies(m.rule, self.is_test))
            .filter(|m| m.receiver == resolved && self.args_match(m, &args))
            .collect();
        for m in matched {
            let first = args
                .first()
                .map(|a| compact(self.text(*a)))
                .unwrap_or_default();
            self.report(m.rule, node, format!("new {simple}({first})"));
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
                    });
                }
            }
        }
    }

    /// A string assigned to something named like a version or a message
    /// (`VERSION =`, `setVersion(..)`, `example = ".."` in an annotation),
    /// or prose giving an example, is not configuration.
    fn in_descriptive_context(&self, node: Node, value: &str) -> bool {
        if is_descriptive("", value) {
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

    fn report(&mut self, rule: usize, node: Node, detail: String) {
        let start = node.start_byte();
        if self
            .out
            .iter()
            .rev()
            .take(4)
            .any(|f| f.rule == rule && f.start == start)
        {
            return;
        }
        self.out.push(RawFinding {
            rule,
            start,
            end: node.end_byte(),
            detail,
        });
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
        if self.declared.contains(name) {
            return None;
        }
        if let Some(fqn) = self.imports.get(name) {
            return Some(fqn.clone());
        }
        if self.project.same_package.contains(name) {
            return None;
        }
        for pkg in &self.wildcards {
            let candidate = format!("{pkg}.{name}");
            if self.project.all.contains(&candidate) {
                return None;
            }
            if self.c.known_types.contains(&candidate) {
                return Some(candidate);
            }
        }
        None
    }
}

fn in_package(path: &str, package: &str) -> bool {
    path == package
        || path
            .strip_prefix(package)
            .is_some_and(|rest| rest.starts_with('.'))
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
