//! Where `java-call` runs: method calls, object creations and method
//! references matched against the rules' targets (see
//! `crate::matchers::java_call`), with their argument constraints.

use tree_sitter::Node;

use super::{compact, simple_type_name, string_value};
use super::{field, grammar, kind, Pass, K};
use crate::matchers::java_call::CallMatcher;
use crate::summary::{name_hash, named_class};

impl<'a> Pass<'a, '_> {
    /// `Net.ip()`, `com.acme.Net.LOCAL_IP`, `Net::ip`: keeps the name of
    /// the class a static member may be read through (any qualifier's
    /// last name: classes are not always capitalised, as jeecg's
    /// `oConvertUtils`).
    pub(super) fn name_class_of(&mut self, object: Option<Node>) {
        if let Some(class) = object
            .map(|o| self.text(o))
            .and_then(|o| o.rsplit('.').next())
        {
            self.names.push(name_hash(&named_class(class)));
        }
    }

    pub(super) fn on_call(&mut self, node: Node<'a>) {
        let g = grammar();
        let Some(name_node) = field(node, g.f_name) else {
            return;
        };
        let name = self.text(name_node);
        self.names.push(name_hash(name));
        let object = field(node, g.f_object);
        self.name_class_of(object);
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
    pub(super) fn matching_calls(&self, node: Node) -> Vec<usize> {
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
                    && !self.in_excepted_method(m, node)
            })
            .collect()
    }

    pub(super) fn arguments(&self, call: Node<'a>) -> Vec<Node<'a>> {
        match field(call, grammar().f_arguments) {
            Some(list) => list
                .named_children(&mut list.walk())
                .filter(|n| kind(*n) != K::Comment)
                .collect(),
            None => Vec::new(),
        }
    }

    /// Whether a call lies in a method the matcher's `except_inside`
    /// names (an override handing on to the method it overrides).
    fn in_excepted_method(&self, m: &CallMatcher, node: Node<'a>) -> bool {
        m.except_inside
            .iter()
            .any(|name| self.in_method_named(node, name))
    }

    pub(super) fn args_match(&self, m: &CallMatcher, args: &[Node]) -> bool {
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
        if let Some(re) = &m.except_first_arg_text {
            let first = args.first().filter(|a| kind(**a) == K::Str);
            if first.is_some_and(|a| re.is_match(&string_value(self.text(*a)))) {
                return false;
            }
        }
        if !m.first_arg_is.is_empty() {
            match args.first().and_then(|a| self.expr_type(*a)) {
                Some(t) if m.first_arg_is.contains(&t) => {}
                _ => return false,
            }
        }
        if m.port_arg {
            let port = args.first().and_then(|a| self.written_port(*a));
            if port.is_none_or(|(port, _)| port == u32::from(self.c.http_port)) {
                return false;
            }
        }
        true
    }

    /// The port a server is given as a number (`9090`), or as the last
    /// argument of a `new InetSocketAddress(…)`, with the literal's node.
    fn written_port(&self, arg: Node<'a>) -> Option<(u32, Node<'a>)> {
        let literal = match arg.kind() {
            "decimal_integer_literal" => arg,
            "object_creation_expression" => {
                let ty = field(arg, grammar().f_type)?;
                if simple_type_name(self.text(ty)) != "InetSocketAddress" {
                    return None;
                }
                *self.arguments(arg).last()?
            }
            _ => return None,
        };
        let port = (literal.kind() == "decimal_integer_literal")
            .then(|| self.text(literal).replace('_', "").parse::<u32>().ok())
            .flatten()?;
        Some((port, literal))
    }

    /// A `port_arg` matcher's finding names the port as written (`9090`).
    fn shown_port(&self, port_arg: bool, args: &[Node<'a>]) -> Option<String> {
        let (_, literal) = args
            .first()
            .filter(|_| port_arg)
            .and_then(|a| self.written_port(*a))?;
        Some(self.text(literal).to_string())
    }

    pub(super) fn call_detail(
        &self,
        node: Node,
        object: Option<Node>,
        name: &str,
        m: &CallMatcher,
    ) -> String {
        let args = self.arguments(node);
        if let Some(port) = self.shown_port(m.port_arg, &args) {
            return port;
        }
        let receiver = object
            .map(|o| format!("{}.", self.shown_receiver(o)))
            .unwrap_or_default();
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
    pub(super) fn on_method_ref(&mut self, node: Node) {
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
        self.name_class_of(Some(receiver_node));
        let Some(candidates) = self.c.calls.get(name) else {
            return;
        };
        let receiver = self.expr_type(receiver_node);
        let matched: Vec<&CallMatcher> = candidates
            .iter()
            .map(|&i| &self.c.matchers[i])
            .filter(|m| !m.is_new && m.reported && self.c.applies(m.rule, self.is_test))
            .filter(|m| m.first_arg_text.is_none() && m.first_arg_is.is_empty() && !m.port_arg)
            .filter(|m| m.receiver.is_none() || m.receiver == receiver)
            .collect();
        if let Some(m) = matched.first() {
            let detail = format!("{}::{name}", compact(self.text(receiver_node)));
            self.report(m.rule, node, detail);
        }
    }

    pub(super) fn on_new(&mut self, node: Node<'a>) {
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
        let matched: Vec<(usize, bool)> = candidates
            .iter()
            .map(|&i| &self.c.matchers[i])
            .filter(|m| m.is_new && self.c.applies(m.rule, self.is_test))
            .filter(|m| m.receiver == resolved && self.args_match(m, &args))
            .filter(|m| !self.in_excepted_method(m, node))
            .map(|m| (m.rule, m.port_arg))
            .collect();
        if matched.is_empty() {
            self.on_field_arguments(node);
        }
        for (rule, port_arg) in matched {
            let detail = self.shown_port(port_arg, &args).unwrap_or_else(|| {
                let first = args
                    .first()
                    .map(|a| compact(self.text(*a)))
                    .unwrap_or_default();
                format!("new {simple}({first})")
            });
            self.report(rule, node, detail);
        }
    }
}
