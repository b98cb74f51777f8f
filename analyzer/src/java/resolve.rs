//! Names and types, resolved the way javac would for the cases that
//! matter here: single-type imports, types of the same package and of the
//! project, on-demand imports (`java.lang` implicitly), static imports,
//! fully qualified names, nested types, and the declared types of fields,
//! locals and parameters.

use tree_sitter::Node;

use super::FrameKind;
use super::{field, grammar, kind, Pass, Var, K};

impl<'a> Pass<'a, '_> {
    /// The qualified name of a type declared in the file's package.
    pub(super) fn qualify(&self, simple: &str) -> String {
        if self.package.is_empty() {
            simple.to_string()
        } else {
            format!("{}.{simple}", self.package)
        }
    }

    /// The qualified name of the innermost enclosing named class.
    pub(super) fn current_class(&self) -> Option<&str> {
        self.frames.iter().rev().find_map(|f| match &f.kind {
            FrameKind::Class(name) => Some(name.as_deref()),
            _ => None,
        })?
    }

    /// The qualified name of a class declared in the current class body.
    pub(super) fn nested_name(&self, simple: &str) -> String {
        match self.current_class() {
            Some(outer) => format!("{outer}.{simple}"),
            None => self
                .declared
                .get(simple)
                .cloned()
                .unwrap_or_else(|| self.qualify(simple)),
        }
    }

    pub(super) fn declare(&mut self, name: &str, ty: Option<String>, value: Option<Node<'a>>) {
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

    pub(super) fn var(&self, name: &str) -> Option<&Var<'a>> {
        self.frames
            .iter()
            .rev()
            .flat_map(|f| f.vars.iter().rev())
            .find(|v| v.name == name)
    }

    pub(super) fn var_mut(&mut self, name: &str) -> Option<&mut Var<'a>> {
        self.frames
            .iter_mut()
            .rev()
            .flat_map(|f| f.vars.iter_mut().rev())
            .find(|v| v.name == name)
    }

    /// `a.b.C` when a node is made only of identifiers and dots.
    pub(super) fn dotted_text(&self, node: Node) -> Option<String> {
        let text = self.text(node);
        let valid = text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c.is_whitespace());
        valid.then(|| compact(text))
    }

    /// The class a bare call `name()` comes from through a static import,
    /// unless the enclosing classes declare a method of that name.
    pub(super) fn static_import_owner(&self, name: &str) -> Option<String> {
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

    /// The static type of an expression as a qualified name, or the path of
    /// a static field (`java.lang.System.out`), when it can be known.
    pub(super) fn expr_type(&self, node: Node) -> Option<String> {
        self.expr_type_within(node, 0)
    }

    /// `expr_type` with a bound on how deep it follows nested expressions:
    /// generated code can chain thousands of calls, and rayon's worker
    /// threads have small stacks.
    pub(super) fn expr_type_within(&self, node: Node, depth: usize) -> Option<String> {
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
                // `com.acme.Net`: a type named in full.
                let name = self.dotted_text(node)?;
                (self.known_qualified(&name) || self.is_project_type(&name)).then_some(name)
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
    pub(super) fn known_qualified(&self, name: &str) -> bool {
        if self.c.known_types.contains(name) {
            return true;
        }
        name.rsplit_once('.')
            .is_some_and(|(ty, _)| self.c.known_types.contains(ty))
    }

    pub(super) fn resolve_type_node(&self, node: Node) -> Option<String> {
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
    pub(super) fn resolve_simple(&self, name: &str) -> Option<String> {
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

/// `Map` for `java.util.Map<K, V>`: the name a type is known by.
pub(super) fn simple_type_name(type_text: &str) -> &str {
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
pub(super) fn is_static_field_path(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(owner, last)| {
        last.starts_with(|c: char| c.is_lowercase())
            && owner
                .rsplit('.')
                .next()
                .is_some_and(|t| t.starts_with(|c: char| c.is_uppercase()))
    })
}

/// Removes whitespace and comments' line breaks from a dotted name.
pub(super) fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
