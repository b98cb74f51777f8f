//! Where `java-import` runs: imports and fully qualified names from the
//! rules' packages, settled once the file is walked (an import used only
//! in a signature an interface imposes is not reported).

use tree_sitter::Node;

use super::compact;
use super::{field, grammar, kind, Pass, PendingImport, K};
use crate::finding::RawFinding;
use crate::summary::{name_hash, named_class};
use podready_rules::matcher::in_package;

impl<'a> Pass<'a, '_> {
    pub(super) fn on_import(&mut self, node: Node) {
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
        // `@Generated` marks generated code, which drives nothing.
        if self.c.code_generators.iter().any(|g| in_package(&path, g))
            && !path.ends_with(".Generated")
        {
            self.drives_code_generator = true;
        }
        if self.c.shell_commands.iter().any(|s| in_package(&path, s)) {
            self.is_shell_command = true;
        }
        let simple = path.rsplit('.').next().unwrap_or(&path).to_string();
        if is_static && !wildcard {
            // `import static com.acme.Net.ip`: the member and its class.
            self.names.push(name_hash(&simple));
            if let Some(class) = path.rsplit('.').nth(1) {
                self.names.push(name_hash(&named_class(class)));
            }
        } else {
            // `import com.acme.Net`, `import static com.acme.Net.*`.
            self.names.push(name_hash(&named_class(&simple)));
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
        for m in &self.c.imports {
            if self.c.applies(m.rule, self.is_test) && m.package_of(&path).is_some() {
                match path.rsplit_once('.').filter(|_| !wildcard && !is_static) {
                    Some((_, simple)) => self.pending_imports.push(PendingImport {
                        rule: m.rule,
                        start: node.start_byte(),
                        end: node.end_byte(),
                        detail: shown.clone(),
                        simple: simple.to_string(),
                        used: false,
                        in_signature: false,
                        fields: Vec::new(),
                        outside_fields: false,
                        owner: self.owner(m.rule, node),
                    }),
                    None => self.report(m.rule, node, shown.clone()),
                }
            }
        }
    }

    /// Reports the pending imports, but those used only in signatures an
    /// interface imposes: implementing `DataSource` needs
    /// `java.util.logging.Logger` without logging through it. One used only
    /// to declare private fields nothing else in the file names (a logger
    /// declared and never called), or not used at all, logs nothing: it
    /// never runs.
    pub(super) fn settle_imports(&mut self) {
        for p in std::mem::take(&mut self.pending_imports) {
            if p.used || !p.in_signature {
                // Lombok writes accessors that read the field unseen
                // (looked for last: the text is searched).
                let unread = !p.outside_fields
                    && !p.fields.is_empty()
                    && p.fields.iter().all(|f| self.named_once(f))
                    && !["@Getter", "@Data", "@Value", "@Delegate"]
                        .iter()
                        .any(|a| self.src.contains(a));
                let never_runs = if !p.used {
                    Some(
                        "imported, and used nowhere in the file: nothing logs through it"
                            .to_string(),
                    )
                } else {
                    unread.then(|| {
                        format!(
                            "it only declares {}, which nothing in the file uses: nothing logs through it",
                            p.fields.join(", ")
                        )
                    })
                };
                self.push_finding(RawFinding {
                    rule: p.rule,
                    start: p.start,
                    end: p.end,
                    detail: p.detail,
                    never_runs,
                    owner: p.owner,
                    ..RawFinding::default()
                });
            }
        }
    }

    /// Whether the file holds `name` as a whole word only once (its
    /// declaration), comments and strings included.
    fn named_once(&self, name: &str) -> bool {
        let bytes = self.src.as_bytes();
        let word = |b: Option<&u8>| {
            b.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$'))
        };
        self.src
            .match_indices(name)
            .filter(|(at, _)| {
                !word(at.checked_sub(1).and_then(|i| bytes.get(i)))
                    && !word(bytes.get(at + name.len()))
            })
            .count()
            == 1
    }

    /// A fully qualified use of a package the import rules name
    /// (`org.apache.log4j.Logger.getLogger(..)` with no import). Returns
    /// whether it was reported (its parts are then not looked at again).
    pub(super) fn on_qualified_name(&mut self, node: Node) -> bool {
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
        if self.in_override_signature(node) || self.in_get_parent_logger(node) {
            return false;
        }
        let mut reported = false;
        for m in &self.c.imports {
            if !self.c.applies(m.rule, self.is_test) {
                continue;
            }
            if let Some(p) = m.package_of(&name).filter(|p| p.len() < name.len()) {
                let class = name[p.len() + 1..].split('.').next().unwrap_or("");
                if self.last_on_same_line(m.rule, node.start_byte()) {
                    reported = true;
                    continue;
                }
                self.report(m.rule, node, format!("{p}.{class}"));
                reported = true;
            }
        }
        reported
    }

    /// Whether a node is in a `getParentLogger()`, which JDBC's
    /// `DataSource` and `Driver` impose with JUL's `Logger`: its signature,
    /// and its body, which only hands that logger on (otter's
    /// `(java.util.logging.Logger) method.invoke(delegate)`).
    pub(super) fn in_get_parent_logger(&self, node: Node) -> bool {
        self.in_method_named(node, "getParentLogger")
    }

    /// Whether a node is in the signature (return or parameter types) of an
    /// `@Override` method: a type the implemented interface imposes.
    pub(super) fn in_override_signature(&self, node: Node) -> bool {
        let mut current = node;
        while let Some(parent) = current.parent() {
            match kind(parent) {
                K::Block | K::ClassBody | K::Lambda => return false,
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
}
