//! Where a value comes from and where it goes.
//!
//! Origins: a value followed backwards through variables, fields, string
//! concatenation, methods called on it and the project's own members, to
//! the matched calls it derives from. The first pass records, for each of
//! the file's methods and fields, the origins of what it returns or holds
//! (the facts `summary` runs to a fixed point); the second reports the
//! calls of members found to be sources.
//!
//! Sinks: whether a value only reaches a log call, an exception message or
//! `toString()`, or only the address a server listens on, in which case
//! nothing in a pod depends on it.

use tree_sitter::Node;

use super::owner::annotation_nodes;
use super::{compact, field, grammar, kind, simple_type_name, FrameKind, Pass, K};
use crate::finding::{Harmless, RawFinding};
use std::collections::HashMap;

use crate::summary::{name_hash, CarriedParam, Dep, MemberFacts, Through};

/// One place a value may come from.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Origin {
    /// A call a matcher matches, as written; `derived`: the value was taken
    /// from its result (a method called on it, a concatenation).
    Matched {
        matcher: usize,
        derived: bool,
        text: String,
    },
    /// A method or field of the project, by key.
    Member { key: String, derived: bool },
    /// The enclosing method's parameter at this position.
    Param(usize),
    /// A value handed to a project method as an argument: the call's
    /// result carries it only if the method hands that argument on, which
    /// the summaries settle.
    Through {
        through: Through,
        origin: Box<Origin>,
    },
}

impl Origin {
    /// The origin as the told summaries see it: through the methods that
    /// hand on the argument it went in as, or nothing.
    fn carried(self, passes: &HashMap<String, Vec<usize>>) -> Option<Origin> {
        match self {
            Origin::Through { through, origin } if through.is_handed_on(passes) => {
                origin.carried(passes)
            }
            Origin::Through { .. } => None,
            o => Some(o),
        }
    }

    /// The calls the value went through as an argument, outermost first,
    /// and where it came from.
    fn unwrapped(self) -> (Vec<Through>, Origin) {
        let mut through = Vec::new();
        let mut origin = self;
        while let Origin::Through {
            through: call,
            origin: inner,
        } = origin
        {
            through.push(call);
            origin = *inner;
        }
        (through, origin)
    }
}

/// One search for a value's origins: a bound on the work, the stored
/// values being followed (`t = "[" + t + "]"` refers to itself), and the
/// origins of those followed already, by value and whether derived (a
/// value read into a call and beside it is walked once).
struct Search {
    budget: usize,
    /// How many more origins it may hand on: a variable assigned from
    /// itself through many project calls (`result = protect(result, …)`
    /// forty times) would hand on every order of those calls.
    carried_left: usize,
    following: Vec<usize>,
    followed: HashMap<(usize, bool), Vec<Origin>>,
    /// The expression looked at next is a part of text joined with `+`
    /// (whose whole is asked whether it names the process).
    in_join: bool,
}

/// A followed value as the rules see it: the matcher at the end of its
/// chain, whether it was derived, and the members it came through.
struct Followed {
    matcher: usize,
    derived: bool,
    via: Vec<String>,
    /// The project member the value was read from, if any.
    member: Option<String>,
}

/// Where a followed value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reach {
    /// Only where nothing depends on it being the machine's address, and
    /// maybe a log: [`Harmless`] says where.
    Only(Harmless),
    /// Only into these static members of the project (and maybe a log):
    /// what becomes of it depends on their uses.
    Feeds(Vec<String>),
    /// Somewhere that may depend on it.
    Used,
}

/// A static field of the file a finding's value goes into (by its
/// declaration's initializer), and its name's occurrences after it: how
/// many the file has, how many the walk read, and where those reads go.
/// Only private ones are followed: no other file reads them.
#[derive(Debug)]
pub(super) struct FedField {
    expected: usize,
    seen: usize,
    reach: Reach,
}

impl Reach {
    /// The reach a finding reports at the rule's `only_logged` level.
    fn harmless(&self) -> Option<Harmless> {
        match self {
            Reach::Only(harmless) => Some(*harmless),
            Reach::Feeds(_) | Reach::Used => None,
        }
    }

    /// Where a value goes that goes both ways.
    fn and(self, other: Reach) -> Reach {
        match (self, other) {
            (Reach::Used, _) | (_, Reach::Used) => Reach::Used,
            (Reach::Feeds(mut a), Reach::Feeds(b)) => {
                for k in b {
                    if !a.contains(&k) {
                        a.push(k);
                    }
                }
                Reach::Feeds(a)
            }
            (Reach::Feeds(a), _) | (_, Reach::Feeds(a)) => Reach::Feeds(a),
            // The one that says more of where it goes ([`Harmless`]'s order).
            (Reach::Only(a), Reach::Only(b)) => Reach::Only(a.max(b)),
        }
    }
}

/// The headers a proxy sets to a request's client address.
const CLIENT_HEADERS: [&str; 7] = [
    "x-forwarded-for",
    "x-real-ip",
    "proxy-client-ip",
    "wl-proxy-client-ip",
    "http_client_ip",
    "http_x_forwarded_for",
    "x-client-ip",
];

/// How many expressions one question about a value may look at: the flow
/// is lazy and a chain of assignments must not make it exponential.
const ORIGIN_BUDGET: usize = 256;

/// How many origins one search may hand on, copies included.
const CARRIED_BUDGET: usize = 1024;

/// How many nodes a search for a variable's uses may visit.
const USE_BUDGET: usize = 20_000;

/// How many locals a value may pass through, one holding the next
/// (`address` → `hostName` → `url`), before where it goes counts as used.
const LOCAL_DEPTH: usize = 3;

/// The code bodies a local lives in: a method's, a constructor's, a
/// lambda's, a class's `static { … }` block (an id generator's machine
/// piece, worked out once).
const BODIES: [&str; 4] = [
    "method_declaration",
    "constructor_declaration",
    "lambda_expression",
    "static_initializer",
];

/// Methods whose result says something about a value (a test, a size)
/// rather than carrying it.
fn is_predicate(name: &str) -> bool {
    let prefixed = |p: &str| {
        name.strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    };
    matches!(
        name,
        "equals"
            | "equalsIgnoreCase"
            | "contains"
            | "startsWith"
            | "endsWith"
            | "matches"
            | "length"
            | "size"
            | "hashCode"
            | "compareTo"
            | "indexOf"
    ) || prefixed("is")
        || prefixed("has")
}

/// Calls whose result carries their arguments' value (`String.valueOf(ip)`,
/// `Collections.list(interfaces)`).
fn carries_arguments(name: &str) -> bool {
    matches!(
        name,
        "valueOf"
            | "format"
            | "list"
            | "toString"
            | "of"
            | "ofNullable"
            | "join"
            | "requireNonNull"
    )
}

/// Whether a file's source names the method `name` only by its
/// declaration and calls: no method reference (`this::ip`, `Net::ip`) and
/// no string that is the name alone (`getDeclaredMethod("ip")`). Comments,
/// strings and character literals are read as Java reads them (`"/**"` in
/// a string opens no comment). A call through another object of a nested
/// class is not told from another type's method of the same name.
fn only_called_here(src: &str, name: &str) -> bool {
    let mut code = String::with_capacity(src.len());
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        code.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for c in chars.by_ref() {
                    if star && c == '/' {
                        break;
                    }
                    star = c == '*';
                }
                code.push(' ');
            }
            quote @ ('"' | '\'') => {
                let mut literal = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '\n' => break,
                        c if c == quote => {
                            if quote == '"' && literal == name {
                                return false;
                            }
                            break;
                        }
                        c => literal.push(c),
                    }
                }
                code.push(' ');
            }
            c => code.push(c),
        }
    }
    let bytes = code.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    code.match_indices(name).all(|(at, _)| {
        let end = at + name.len();
        let glued = (at > 0 && word(bytes[at - 1])) || bytes.get(end).is_some_and(|&b| word(b));
        glued || !code[..at].trim_end().ends_with("::")
    })
}

/// Code as shown in a message: on one line, without the spaces a line
/// break left around dots (`new Helper()\n    .name()` → `new Helper().name()`).
fn one_line(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for word in code.split_whitespace() {
        let joins = out.is_empty() || out.ends_with('.') || word.starts_with('.');
        if !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Calls that print their arguments to a log.
fn is_log_method(name: &str) -> bool {
    matches!(
        name,
        "trace"
            | "debug"
            | "info"
            | "warn"
            | "warning"
            | "error"
            | "fatal"
            | "log"
            | "println"
            | "print"
            | "printf"
    )
}

impl<'a> Pass<'a, '_> {
    /// The origins of an expression's value, as far as the told summaries
    /// say the project's methods hand on their arguments.
    pub(super) fn origins(&self, node: Node<'a>) -> Vec<Origin> {
        self.all_origins(node)
            .into_iter()
            .filter_map(|o| o.carried(&self.sources.passes))
            .collect()
    }

    /// The origins of an expression's value, those passed through the
    /// project's methods kept with the argument they went in as: the facts
    /// a file records do not depend on what it was told.
    fn all_origins(&self, node: Node<'a>) -> Vec<Origin> {
        let mut search = Search {
            budget: ORIGIN_BUDGET,
            carried_left: CARRIED_BUDGET,
            following: Vec::new(),
            followed: HashMap::new(),
            in_join: false,
        };
        let mut out = Vec::new();
        self.collect_origins(node, false, &mut search, &mut out);
        out
    }

    fn collect_origins(
        &self,
        node: Node<'a>,
        derived: bool,
        search: &mut Search,
        out: &mut Vec<Origin>,
    ) {
        if search.budget == 0 {
            return;
        }
        search.budget -= 1;
        let in_join = std::mem::take(&mut search.in_join);
        let g = grammar();
        match kind(node) {
            K::Call => {
                let Some(name_node) = field(node, g.f_name) else {
                    return;
                };
                let name = self.text(name_node);
                let object = field(node, g.f_object);
                let before = out.len();
                if self.c.calls.contains_key(name) {
                    for i in self.matching_calls(node) {
                        out.push(Origin::Matched {
                            matcher: i,
                            derived,
                            text: self.call_detail(node, object, name, &self.c.matchers[i]),
                        });
                    }
                }
                if let Some(key) = self.member_key_of_call(node) {
                    // A project method returning one of its arguments
                    // (`normalize(address)`) hands that value on.
                    let args = self.arguments(node);
                    for (position, arg) in args.iter().enumerate() {
                        if !self.may_have_origins(*arg) {
                            continue;
                        }
                        let mut carried = Vec::new();
                        self.collect_origins(*arg, true, search, &mut carried);
                        // An argument with no origin (a literal, a `new`,
                        // a local holding one) gives nothing, whatever the
                        // method hands on: its declaration is not asked.
                        if !carried.is_empty() {
                            self.asks.borrow_mut().push(key.clone());
                        }
                        let kept = carried.len().min(search.carried_left);
                        search.carried_left -= kept;
                        out.extend(
                            carried
                                .into_iter()
                                .take(kept)
                                .map(|origin| Origin::Through {
                                    through: Through {
                                        method: key.clone(),
                                        position,
                                    },
                                    origin: Box::new(origin),
                                }),
                        );
                    }
                    out.push(Origin::Member { key, derived });
                }
                // A metrics label made of the value is a label, and an
                // interface's hardware address a MAC: no address.
                if out.len() > before
                    || is_predicate(name)
                    || name == "getHardwareAddress"
                    || self.labels_metrics(node)
                {
                    return;
                }
                if let Some(o) = object {
                    self.collect_origins(o, true, search, out);
                }
                if out.len() == before && carries_arguments(name) {
                    for arg in self.arguments(node) {
                        self.collect_origins(arg, true, search, out);
                    }
                }
            }
            K::Identifier => {
                let name = self.text(node);
                if let Some(var) = self.var(name) {
                    // A field of a named class is a member: its values
                    // are its facts, and a chain names it.
                    if let Some(key) = &var.field {
                        out.push(Origin::Member {
                            key: key.clone(),
                            derived,
                        });
                        return;
                    }
                    if let Some(position) = var.param {
                        out.push(Origin::Param(position));
                    }
                    for value in &var.values {
                        let id = value.id();
                        if search.following.contains(&id) {
                            continue;
                        }
                        if !search.followed.contains_key(&(id, derived)) {
                            // The machine's address standing in for a
                            // request's loopback client is the client, not
                            // a lookup.
                            if self.stands_in_for_loopback_client(*value, name) {
                                continue;
                            }
                            // Found apart, so that what is kept is whole.
                            let mut found = Vec::new();
                            search.following.push(id);
                            self.collect_origins(*value, derived, search, &mut found);
                            search.following.pop();
                            search.followed.insert((id, derived), found);
                        }
                        for origin in search.followed.get(&(id, derived)).into_iter().flatten() {
                            if search.carried_left == 0 {
                                break;
                            }
                            if !out.contains(origin) {
                                search.carried_left -= 1;
                                out.push(origin.clone());
                            }
                        }
                    }
                } else if let Some(key) = self.static_field_key(name) {
                    out.push(Origin::Member { key, derived });
                }
            }
            K::Dotted => {
                if let Some(key) = self.member_key_of_field(node) {
                    out.push(Origin::Member { key, derived });
                }
            }
            K::Paren => {
                if let Some(inner) = node.named_child(0) {
                    search.in_join = in_join;
                    self.collect_origins(inner, derived, search, out);
                }
            }
            K::Cast => {
                if let Some(value) = field(node, g.f_value) {
                    self.collect_origins(value, derived, search, out);
                }
            }
            K::Binary if field(node, g.f_operator).is_some_and(|o| self.text(o) == "+") => {
                let before = out.len();
                for side in [field(node, g.f_left), field(node, g.f_right)]
                    .into_iter()
                    .flatten()
                {
                    search.in_join = true;
                    self.collect_origins(side, true, search, out);
                }
                // Asked of the whole text, when it holds the machine's
                // address.
                if !in_join
                    && out.len() > before
                    && self.may_name_process()
                    && process_name(node, self.src).is_some()
                {
                    out.truncate(before);
                }
            }
            K::Ternary => {
                for branch in [field(node, g.f_consequence), field(node, g.f_alternative)]
                    .into_iter()
                    .flatten()
                {
                    self.collect_origins(branch, derived, search, out);
                }
            }
            _ => {}
        }
    }

    /// Whether the file holds anything [`process_name`] looks for.
    fn may_name_process(&self) -> bool {
        *self
            .process_marks
            .get_or_init(|| PROCESS_MARKS.iter().any(|m| self.src.contains(m)))
    }

    /// Whether [`Self::collect_origins`] may find anything in an
    /// expression of this kind.
    fn may_have_origins(&self, node: Node) -> bool {
        match kind(node) {
            K::Call | K::Identifier | K::Dotted | K::Paren | K::Cast | K::Ternary => true,
            K::Binary => field(node, grammar().f_operator).is_some_and(|o| self.text(o) == "+"),
            _ => false,
        }
    }

    /// What an origin is to the rules: a matched call directly, or through
    /// a member already known to be a source (second pass).
    fn followed(&self, origin: Origin) -> Vec<Followed> {
        match origin {
            Origin::Matched {
                matcher, derived, ..
            } => vec![Followed {
                matcher,
                derived,
                via: Vec::new(),
                member: None,
            }],
            Origin::Member { key, derived } => self
                .sources
                .by_key
                .get(&key)
                .into_iter()
                .flatten()
                .map(|s| Followed {
                    matcher: s.matcher,
                    derived: s.derived || derived,
                    via: s.via.clone(),
                    member: Some(key.clone()),
                })
                .collect(),
            Origin::Param(_) | Origin::Through { .. } => Vec::new(),
        }
    }

    /// Whether a type is one of the repository's own.
    pub(super) fn is_project_type(&self, ty: &str) -> bool {
        if self.declared.values().any(|d| d == ty) {
            return true;
        }
        if let Some((package, simple)) = ty.rsplit_once('.') {
            if package == self.package && self.project.same_package.contains(simple) {
                return true;
            }
        }
        // `pkg.Outer.Inner` is known by its file, `pkg.Outer`.
        let mut candidate = ty;
        for _ in 0..3 {
            if self.project.all.contains(candidate) {
                return true;
            }
            match candidate.rsplit_once('.') {
                Some((outer, _)) => candidate = outer,
                None => return false,
            }
        }
        false
    }

    /// The member a call invokes, when it is one of the project's: a
    /// method of a project type, of an enclosing class, or statically
    /// imported from a project class.
    pub(super) fn member_key_of_call(&self, node: Node) -> Option<String> {
        let g = grammar();
        let name = self.text(field(node, g.f_name)?);
        let class = match field(node, g.f_object) {
            Some(o) if kind(o) == K::This => self.current_class()?.to_string(),
            Some(o) => self.expr_type(o).filter(|t| self.is_project_type(t))?,
            None => match self
                .frames
                .iter()
                .rev()
                .find(|f| f.methods.iter().any(|m| m == name))
            {
                Some(frame) => match &frame.kind {
                    FrameKind::Class(Some(class)) => class.clone(),
                    _ => return None,
                },
                None => self
                    .static_members
                    .get(name)
                    .filter(|c| self.is_project_type(c))?
                    .clone(),
            },
        };
        let arity = self.arguments(node).len();
        Some(crate::summary::method_key(&class, name, Some(arity)))
    }

    /// The project field a field access reads (`this.ip`, `Net.LOCAL_IP`).
    fn member_key_of_field(&self, node: Node) -> Option<String> {
        let g = grammar();
        let (object, name) = (field(node, g.f_object)?, field(node, g.f_field)?);
        let class = if kind(object) == K::This {
            self.current_class()?.to_string()
        } else {
            self.expr_type(object).filter(|t| self.is_project_type(t))?
        };
        Some(format!("{class}.{}", self.text(name)))
    }

    /// The project field a bare name statically imports.
    fn static_field_key(&self, name: &str) -> Option<String> {
        let class = self
            .static_members
            .get(name)
            .filter(|c| self.is_project_type(c))?;
        Some(format!("{class}.{name}"))
    }

    /// `return value;` in a method of a named class: a fact about the
    /// method.
    pub(super) fn on_return(&mut self, node: Node<'a>) {
        let Some(value) = node.named_child(0).filter(|n| kind(*n) != K::Comment) else {
            return;
        };
        // The innermost frame says whose return this is (a lambda's own,
        // a constructor's, or a method's).
        let Some(FrameKind::Method(Some(key))) = self.frames.last().map(|f| f.kind.clone()) else {
            return;
        };
        self.record_member(&key, value);
    }

    /// `x = value`: a variable now holds `value`; a field gains an origin.
    pub(super) fn on_assign(&mut self, left: Node<'a>, right: Node<'a>) {
        match kind(left) {
            K::Identifier => {
                let name = self.text(left);
                match self.var(name).map(|v| v.field.clone()) {
                    Some(Some(key)) => self.record_member(&key, right),
                    Some(None) => {
                        // `a = lookup(peer)` in the block `a` is declared in
                        // replaces what it held; `t = "[" + t + "]"` builds on
                        // it, and an assignment in a branch may not run.
                        let builds_on_itself = self.mentions(right, name);
                        let statement_block = left
                            .parent()
                            .and_then(|assignment| assignment.parent())
                            .and_then(|statement| statement.parent())
                            .map(|block| block.id());
                        if let Some(var) = self.var_mut(name) {
                            if !builds_on_itself
                                && var.block.is_some()
                                && var.block == statement_block
                            {
                                var.values.clear();
                            }
                            var.values.push(right);
                        }
                    }
                    None => {}
                }
            }
            K::Dotted if field(left, grammar().f_object).is_some_and(|o| kind(o) == K::This) => {
                if let Some(key) = self.member_key_of_field(left) {
                    self.record_member(&key, right);
                }
            }
            _ => {}
        }
    }

    /// `ips.add(ip)`, `sb.append(host)`: a local collection or builder now
    /// holds the value too (`ips.get(0)` hands it back).
    pub(super) fn on_store_into(&mut self, object: Node<'a>, method: &str, call: Node<'a>) {
        if kind(object) != K::Identifier
            || !matches!(
                method,
                "add" | "addAll" | "put" | "offer" | "push" | "addFirst" | "addLast" | "append"
            )
        {
            return;
        }
        let Some(value) = self.arguments(call).last().copied() else {
            return;
        };
        let name = self.text(object);
        if let Some(var) = self.var_mut(name).filter(|v| v.field.is_none()) {
            var.values.push(value);
        }
    }

    /// Whether `value`, assigned to the local `name`, only stands in for a
    /// request's loopback client: `ip = InetAddress.getLocalHost()…` as
    /// the whole of a branch's assignment, under `if
    /// ("127.0.0.1".equals(ip))` (or `||` of such tests), where `ip`
    /// otherwise holds the request's client address (`getRemoteAddr()`,
    /// `getRemoteHost()`, a forwarding header). The client was this
    /// machine, so the address still names the client, not one the pod
    /// gives out.
    fn stands_in_for_loopback_client(&self, value: Node<'a>, name: &str) -> bool {
        let g = grammar();
        let Some(assignment) = value.parent().filter(|a| {
            a.kind() == "assignment_expression"
                && field(*a, g.f_right).is_some_and(|r| r.id() == value.id())
                && field(*a, g.f_left)
                    .is_some_and(|l| kind(l) == K::Identifier && self.text(l) == name)
        }) else {
            return false;
        };
        if !self.holds_request_client(name) {
            return false;
        }
        enclosing_branch(assignment)
            .is_some_and(|(condition, _)| self.is_loopback_test(condition, name))
    }

    /// The local a lookup's value is assigned to, when the lookup (with the
    /// calls taken on its result) is the whole right side of the
    /// assignment and that stands in for a loopback client.
    fn loopback_client_assignment(&self, node: Node<'a>) -> bool {
        let g = grammar();
        let mut value = node;
        for _ in 0..6 {
            let Some(parent) = value.parent() else {
                return false;
            };
            match parent.kind() {
                // A call on the result, `getLocalHost().getHostAddress()`.
                "method_invocation"
                    if field(parent, g.f_object).is_some_and(|o| o.id() == value.id()) => {}
                "parenthesized_expression" | "cast_expression" => {}
                "assignment_expression" => {
                    return field(parent, g.f_left)
                        .filter(|l| kind(*l) == K::Identifier)
                        .is_some_and(|l| {
                            let name = self.text(l);
                            self.stands_in_for_loopback_client(value, name)
                                || (field(parent, g.f_right).is_some_and(|r| r.id() == value.id())
                                    && self.carries_stand_in(parent, name))
                        });
                }
                _ => return false,
            }
            value = parent;
        }
        false
    }

    /// Whether a condition is only equality tests of `name` with a loopback
    /// address (a literal, or a local or constant holding one), joined by
    /// `||`: `"127.0.0.1".equals(ip) || "0:0:0:0:0:0:0:1".equals(ip)`.
    fn is_loopback_test(&self, condition: Node<'a>, name: &str) -> bool {
        let g = grammar();
        match kind(condition) {
            K::Paren => condition
                .named_child(0)
                .is_some_and(|inner| self.is_loopback_test(inner, name)),
            K::Binary => match field(condition, g.f_operator).map(|o| self.text(o)) {
                Some("||") => [field(condition, g.f_left), field(condition, g.f_right)]
                    .into_iter()
                    .all(|side| side.is_some_and(|s| self.is_loopback_test(s, name))),
                Some("==") => {
                    let sides = [field(condition, g.f_left), field(condition, g.f_right)];
                    self.one_is_name_other_loopback(sides, name)
                }
                _ => false,
            },
            K::Call => {
                let method = field(condition, g.f_name).map(|m| self.text(m));
                let argument = self.arguments(condition);
                // `"127.0.0.1".equals(ip)`, or a helper given both:
                // `StringUtils.equals(ip, "127.0.0.1")`, `Objects.equals`.
                let sides = match argument.as_slice() {
                    [one] => [field(condition, g.f_object), Some(*one)],
                    [a, b] => [Some(*a), Some(*b)],
                    _ => return false,
                };
                matches!(method, Some("equals" | "equalsIgnoreCase"))
                    && self.one_is_name_other_loopback(sides, name)
            }
            _ => false,
        }
    }

    fn one_is_name_other_loopback(&self, sides: [Option<Node<'a>>; 2], name: &str) -> bool {
        let [Some(a), Some(b)] = sides else {
            return false;
        };
        let is_name = |n: Node<'a>| kind(n) == K::Identifier && self.text(n) == name;
        (is_name(a) && self.is_loopback(b)) || (is_name(b) && self.is_loopback(a))
    }

    /// A loopback address: a literal, a local holding one, or a constant
    /// named for one (`GlobalConstant.LOCALHOST_IP`, `LOOPBACK_V6`), whose
    /// value is in another class.
    fn is_loopback(&self, node: Node<'a>) -> bool {
        let literal = |n: Node<'a>| {
            kind(n) == K::Str
                && matches!(
                    super::strings::string_value(self.text(n)).as_str(),
                    "127.0.0.1" | "0:0:0:0:0:0:0:1" | "::1" | "localhost"
                )
        };
        let named_constant = |name: &str| {
            let name = name.rsplit('.').next().unwrap_or(name);
            !name.bytes().any(|b| b.is_ascii_lowercase())
                && (name.contains("LOCALHOST") || name.contains("LOOPBACK"))
        };
        match kind(node) {
            K::Str => literal(node),
            K::Identifier => match self.var(self.text(node)) {
                Some(v) => v.values.len() == 1 && literal(v.values[0]),
                None => named_constant(self.text(node)),
            },
            _ => node.kind() == "field_access" && named_constant(self.text(node)),
        }
    }

    /// Whether the local `name` otherwise holds what a request says of its
    /// client: `getRemoteAddr()`, `getRemoteHost()`, a reactive request's
    /// `getRemoteAddress()` and what is taken from it, or a forwarding
    /// header (`X-Forwarded-For`, `X-Real-IP`, `Proxy-Client-IP`, …) by
    /// `getHeader`, or `get`/`getFirst` of the headers.
    fn holds_request_client(&self, name: &str) -> bool {
        let g = grammar();
        let Some(var) = self.var(name).filter(|v| v.field.is_none()) else {
            return false;
        };
        var.values.iter().any(|value| {
            if kind(*value) != K::Call {
                return false;
            }
            // `request.getRemoteAddress().getAddress().getHostAddress()`,
            // of a request (`exchange.getRequest()`), not of a connection
            // the pod opened.
            let mut call = Some(*value);
            // Through locals holding a step of the chain too
            // (`InetSocketAddress remote = request.getRemoteAddress();`).
            let mut through_locals = 3;
            while let Some(c) = call.filter(|c| kind(*c) == K::Call) {
                let mut receiver = field(c, g.f_object);
                if let Some(local) =
                    receiver.filter(|r| kind(*r) == K::Identifier && through_locals > 0)
                {
                    let held = self
                        .var(self.text(local))
                        .filter(|v| v.field.is_none())
                        .and_then(|v| v.values.iter().copied().find(|v| kind(*v) == K::Call));
                    if let Some(held) = held {
                        through_locals -= 1;
                        receiver = Some(held);
                    }
                }
                let of_request = receiver.is_some_and(|r| {
                    let text = self.text(r);
                    let named =
                        kind(r) == K::Identifier && text.to_ascii_lowercase().contains("request");
                    let taken = kind(r) == K::Call
                        && field(r, g.f_name).is_some_and(|m| self.text(m) == "getRequest");
                    named || taken
                });
                if of_request
                    && field(c, g.f_name).is_some_and(|m| self.text(m) == "getRemoteAddress")
                {
                    return true;
                }
                call = receiver;
            }
            match field(*value, g.f_name).map(|m| self.text(m)) {
                Some("getRemoteAddr" | "getRemoteHost") => true,
                Some("getHeader" | "getFirst" | "get") => {
                    self.arguments(*value).first().is_some_and(|h| {
                        kind(*h) == K::Str
                            && CLIENT_HEADERS.contains(
                                &super::strings::string_value(self.text(*h))
                                    .to_ascii_lowercase()
                                    .as_str(),
                            )
                    })
                }
                _ => false,
            }
        })
    }

    /// Whether an expression uses a variable of this name.
    fn mentions(&self, expression: Node, name: &str) -> bool {
        first_in(expression, |n| {
            kind(n) == K::Identifier && self.text(n) == name
        })
        .is_some()
    }

    /// `inet = InetAddress.getLocalHost();` then `ip = inet.getHostAddress();`
    /// in the branch of `if ("127.0.0.1".equals(ip))`, `ip` holding the
    /// request's client: the local `local`, declared in that branch, only
    /// carries the stand-in for the loopback client to `ip`.
    fn carries_stand_in(&self, assignment: Node<'a>, local: &str) -> bool {
        let g = grammar();
        let Some((condition, branch)) = enclosing_branch(assignment) else {
            return false;
        };
        let client = first_in(branch, |n| {
            n.kind() == "assignment_expression"
                && field(n, g.f_right).is_some_and(|r| self.is_taken_from(r, local))
        })
        .and_then(|a| field(a, g.f_left))
        .filter(|l| kind(*l) == K::Identifier)
        .map(|l| self.text(l));
        let Some(client) =
            client.filter(|c| self.holds_request_client(c) && self.is_loopback_test(condition, c))
        else {
            return false;
        };
        // Declared in the branch, and read only on the way to
        // the client's variable: nothing else gets the address.
        let mut declared = false;
        let mut escapes = false;
        each_in(branch, |n| {
            if kind(n) != K::Identifier || self.text(n) != local {
                return;
            }
            let Some(parent) = n.parent() else {
                escapes = true;
                return;
            };
            let is_field = |f| field(parent, f).is_some_and(|x| x.id() == n.id());
            let assigned = parent.kind() == "assignment_expression" && is_field(g.f_left);
            // `assert inet != null;`, `if (inet == null)`: tested, not read.
            let null_test = parent.kind() == "binary_expression"
                && matches!(
                    field(parent, g.f_operator).map(|o| self.text(o)),
                    Some("==" | "!=")
                )
                && [g.f_left, g.f_right]
                    .into_iter()
                    .filter_map(|f| field(parent, f))
                    .any(|side| side.kind() == "null_literal");
            if parent.kind() == "variable_declarator" && is_field(g.f_name) {
                declared = true;
            } else if !(assigned || null_test || self.goes_to(n, client)) {
                escapes = true;
            }
        });
        declared && !escapes
    }

    /// Whether a node is within the right side of an assignment to the
    /// variable `name`, only through calls made on it.
    fn goes_to(&self, node: Node<'a>, name: &str) -> bool {
        let g = grammar();
        let mut current = node;
        while let Some(parent) = current.parent() {
            match parent.kind() {
                "method_invocation"
                    if field(parent, g.f_object).is_some_and(|o| o.id() == current.id()) => {}
                "assignment_expression" => {
                    return field(parent, g.f_right).is_some_and(|r| r.id() == current.id())
                        && field(parent, g.f_left)
                            .is_some_and(|l| kind(l) == K::Identifier && self.text(l) == name);
                }
                _ => return false,
            }
            current = parent;
        }
        false
    }

    /// Whether an expression is the local `name`, or calls made on it
    /// (`inet.getHostAddress()`).
    fn is_taken_from(&self, expression: Node, name: &str) -> bool {
        let g = grammar();
        match kind(expression) {
            K::Identifier => self.text(expression) == name,
            K::Call => field(expression, g.f_object).is_some_and(|o| self.is_taken_from(o, name)),
            _ => false,
        }
    }

    /// Records where a member's value comes from, when that is a followed
    /// call or another member.
    pub(super) fn record_member(&mut self, key: &str, value: Node<'a>) {
        let mut deps: Vec<Dep> = Vec::new();
        let mut passes: Vec<CarriedParam> = Vec::new();
        for origin in self.all_origins(value) {
            let (through, origin) = origin.unwrapped();
            let dep = match origin {
                Origin::Param(position) => {
                    let carried = CarriedParam { position, through };
                    if !passes.contains(&carried) {
                        passes.push(carried);
                    }
                    continue;
                }
                Origin::Matched {
                    matcher,
                    derived,
                    text,
                } if self.c.matchers[matcher].through_helpers
                    && self.c.carries_followed(matcher, derived) =>
                {
                    Dep::Matched {
                        matcher,
                        derived,
                        text,
                    }
                }
                Origin::Member {
                    key: other,
                    derived,
                } if other != key => Dep::Member {
                    key: other,
                    derived,
                },
                _ => continue,
            };
            deps.push(Dep::passed_through(through, dep));
        }
        if deps.is_empty() && passes.is_empty() {
            return;
        }
        if let Some(facts) = self.facts.iter_mut().find(|f| f.key == key) {
            for d in deps {
                if !facts.deps.contains(&d) {
                    facts.deps.push(d);
                }
            }
            for p in passes {
                if !facts.passes.contains(&p) {
                    facts.passes.push(p);
                }
            }
            return;
        }
        let prefix = format!("{}.", self.package);
        let shown = crate::summary::overloads_key(key);
        let display = shown.strip_prefix(&prefix).unwrap_or(&shown).to_string();
        self.facts.push(MemberFacts {
            key: key.to_string(),
            display,
            deps,
            passes,
        });
    }

    /// `x.getHostName()` where `x` holds a matched call's result (or a
    /// source member's).
    pub(super) fn on_derived_call(&mut self, node: Node<'a>, object: Node<'a>, name: &str) {
        let args = self.arguments(node);
        let first_literal = args
            .first()
            .filter(|a| kind(**a) == K::Str)
            .map(|a| super::string_value(self.text(*a)));
        let wanted = |m: &crate::matchers::java_call::CallMatcher| {
            m.derived.iter().any(|d| d == name)
                && m.derived_first_arg_text
                    .as_ref()
                    .is_none_or(|re| first_literal.as_deref().is_some_and(|v| re.is_match(v)))
        };
        // Most calls of these names (`map.get(key)`) are on nothing
        // followed: the arguments tell before the flow is asked.
        if !self.c.matchers.iter().any(&wanted) {
            return;
        }
        // `getLocalHost().getHostName()`: the inner call is reported
        // itself (unless its matcher reports only derived calls).
        let inner_call = kind(object) == K::Call;
        for origin in self.origins(object) {
            for f in self.followed(origin) {
                let m = &self.c.matchers[f.matcher];
                if f.derived
                    || (inner_call && m.reported)
                    || !wanted(m)
                    || !self.c.applies(m.rule, self.is_test)
                {
                    continue;
                }
                // One finding per line: `a.getHostName() + a.getHostAddress()`.
                if self.last_on_same_line(m.rule, node.start_byte()) {
                    continue;
                }
                let shown_arg = if m.derived_first_arg_text.is_some() {
                    args.first()
                        .map(|a| compact(self.text(*a)))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                let detail = format!("{}.{name}({shown_arg})", self.shown_receiver(object));
                self.report_flow(m.rule, node, detail, f.via, f.member);
            }
        }
    }

    /// A receiver as shown in a message: as written, unless it is long.
    pub(super) fn shown_receiver(&self, object: Node) -> String {
        let t = one_line(self.text(object));
        if t.chars().count() > 40 {
            "…".to_string()
        } else {
            t
        }
    }

    /// A call or field read of a project member known to be a source.
    pub(super) fn report_member(&mut self, node: Node<'a>, key: &str) {
        let Some(sources) = crate::summary::of_method(&self.sources.by_key, key) else {
            return;
        };
        // The member as the summaries know it (a varargs method's own key).
        let key = self
            .sources
            .by_key
            .get_key_value(key)
            .map_or_else(|| crate::summary::varargs_key(key), |(k, _)| k.clone());
        let detail = match kind(node) {
            K::Call => {
                let g = grammar();
                let name = field(node, g.f_name).map_or("", |n| self.text(n));
                let args = if self.arguments(node).is_empty() {
                    ""
                } else {
                    "…"
                };
                match field(node, g.f_object) {
                    Some(o) => format!("{}.{name}({args})", self.shown_receiver(o)),
                    None => format!("{name}({args})"),
                }
            }
            _ => compact(self.text(node)),
        };
        for s in sources {
            // A member handing out the environment map is reported where a
            // host name is read from it (a derived call), not where called.
            if self.c.matchers[s.matcher].reported && self.c.applies(s.rule, self.is_test) {
                self.report_flow(
                    s.rule,
                    node,
                    detail.clone(),
                    s.via.clone(),
                    Some(key.clone()),
                );
            }
        }
    }

    /// Reports a followed value (read from the project member `uses`, if
    /// any), at the rule's `only_logged` severity when it only reaches a
    /// log; one that only goes into static members is settled once their
    /// uses are known.
    pub(super) fn report_flow(
        &mut self,
        rule: usize,
        node: Node<'a>,
        detail: String,
        via: Vec<String>,
        uses: Option<String>,
    ) {
        let harmless = self.c.rules[rule].only_logged.is_some();
        let reach = if harmless {
            self.reach(node, 0)
        } else {
            Reach::Used
        };
        if let Reach::Feeds(keys) = &reach {
            self.note_fed_fields(keys, node);
        }
        let loopback_client = harmless && self.loopback_client_assignment(node);
        self.push_finding(RawFinding {
            rule,
            start: node.start_byte(),
            end: node.end_byte(),
            detail,
            via,
            harmless: reach.harmless(),
            loopback_client,
            never_runs: self.never_runs(rule, node),
            start_up: self.start_up(rule, node),
            also_logged: self.also_logged(rule, node),
            debugging: self.debugging(rule, node),
            owner: self.owner(rule, node),
            uses,
            feeds: match reach {
                Reach::Feeds(keys) => keys,
                _ => Vec::new(),
            },
            ..RawFinding::default()
        });
    }

    /// `props.list(System.out)`: a static field a rule names, passed as an
    /// argument (directly or through a variable holding it).
    pub(super) fn on_field_arguments(&mut self, call: Node<'a>) {
        if self.c.field_arguments.is_empty() {
            return;
        }
        // `System.setOut(originalOut)`: the call's receiver type and
        // method, worked out only for a call handed such a field.
        let mut callee: Option<Option<(String, String)>> = None;
        for arg in self.arguments(call) {
            let ty = match kind(arg) {
                K::Dotted => {
                    let text = self.text(arg);
                    let simple = text.rsplit('.').next().unwrap_or(text).trim();
                    if !self.c.field_arguments.contains_key(simple) {
                        continue;
                    }
                    self.expr_type(arg)
                }
                K::Identifier => self.var(self.text(arg)).and_then(|v| v.ty.clone()),
                _ => continue,
            };
            let Some(ty) = ty else { continue };
            let simple = ty.rsplit('.').next().unwrap_or(&ty);
            let Some(fields) = self.c.field_arguments.get(simple) else {
                continue;
            };
            let callee = callee.get_or_insert_with(|| {
                let g = grammar();
                // `System.setOut(new SystemLogHandler(System.out))`: a
                // stream wrapped around the console and handed to the
                // setter, which writes nothing itself (Tomcat's capture).
                let mut setter = call;
                while kind(setter) == K::New {
                    match setter
                        .parent()
                        .filter(|p| p.kind() == "argument_list")
                        .and_then(|list| list.parent())
                    {
                        Some(outer) => setter = outer,
                        None => break,
                    }
                }
                (kind(setter) == K::Call && !self.c.field_argument_exceptions.is_empty())
                    .then(|| {
                        let name = self.text(field(setter, g.f_name)?).to_string();
                        Some((self.expr_type(field(setter, g.f_object)?)?, name))
                    })
                    .flatten()
            });
            let excepted = |rule: usize| {
                callee.as_ref().is_some_and(|(ty, name)| {
                    self.c
                        .field_argument_exceptions
                        .contains(&(rule, ty.clone(), name.clone()))
                })
            };
            let rules: Vec<usize> = fields
                .iter()
                .filter(|(f, rule)| {
                    *f == ty && self.c.applies(*rule, self.is_test) && !excepted(*rule)
                })
                .map(|(_, rule)| *rule)
                .collect();
            for rule in rules {
                if !self.last_on_same_line(rule, arg.start_byte()) {
                    self.report(rule, arg, compact(self.text(arg)));
                }
            }
        }
    }

    /// The private static fields of the file that `keys` name, which the
    /// value at `node` goes into through their declaration: each is
    /// followed to its reads in the file when that declaration is its
    /// name's first occurrence (a read the walk met before would be
    /// missed).
    fn note_fed_fields(&mut self, keys: &[String], node: Node<'a>) {
        for key in keys.iter().filter(|k| !k.ends_with("()")) {
            let name = key.rsplit('.').next().unwrap_or(key);
            if self.fed_fields.contains_key(key) {
                continue;
            }
            // Private, and no accessor Lombok generates reads it (an
            // annotation on the field, or `@Getter`/`@Data`/`@Value` on its
            // class): only this file reads it. Another field is settled by
            // every file's reads, as before.
            let Some((declaration, declarator)) = self
                .ancestors(node)
                .find(|a| kind(*a) == K::FieldDecl)
                .and_then(|d| {
                    let declarator = self
                        .ancestors(node)
                        .find(|a| a.kind() == "variable_declarator")?;
                    Some((d, declarator))
                })
                .or_else(|| self.assigned_in_static_block(node, name))
            else {
                continue;
            };
            let lombok_class = declaration
                .parent()
                .and_then(|body| body.parent())
                .is_some_and(|class| {
                    annotation_nodes(class, self.src)
                        .iter()
                        .any(|(a, _)| matches!(*a, "Getter" | "Data" | "Value"))
                });
            let private = self.has_modifier(declaration, "private")
                && annotation_nodes(declaration, self.src).is_empty()
                && !lombok_class;
            // Its declaration is the name's first occurrence: no read the
            // walk met before it.
            let declared_first = field(declarator, grammar().f_name).is_some_and(|n| {
                super::word_offsets(self.src, name).next() == Some(n.start_byte())
            });
            if !private || !declared_first {
                continue;
            }
            // The name of an environment variable or system property read
            // (`System.getenv("HOSTNAME")` beside the field `HOSTNAME`) is
            // no read of the field.
            let variable_names = ["getenv", "getProperty"]
                .iter()
                .map(|read| self.src.matches(&format!("{read}(\"{name}\"")).count())
                .sum::<usize>();
            self.fed_fields.insert(
                key.clone(),
                FedField {
                    expected: self
                        .identifier_count(name)
                        .saturating_sub(1 + variable_names),
                    seen: 0,
                    reach: Reach::Only(Harmless::Logged),
                },
            );
        }
    }

    /// The declaration of the field `name` of the class whose `static { … }`
    /// block holds `node`, with its declarator, when the block holds the
    /// name's first occurrence after the declaration (`HOSTNAME =
    /// hostname;`): no read before the block's assignment.
    fn assigned_in_static_block(&self, node: Node<'a>, name: &str) -> Option<(Node<'a>, Node<'a>)> {
        let block = self
            .ancestors(node)
            .take_while(|a| a.kind() != "class_body")
            .find(|a| a.kind() == "static_initializer")?;
        let body = block.parent()?;
        let mut cursor = body.walk();
        let (declaration, declarator) = body
            .named_children(&mut cursor)
            .filter(|c| kind(*c) == K::FieldDecl)
            .find_map(|d| {
                let mut inner = d.walk();
                let declarator = d.named_children(&mut inner).find(|v| {
                    v.kind() == "variable_declarator"
                        && field(*v, grammar().f_name).is_some_and(|n| self.text(n) == name)
                })?;
                Some((d, declarator))
            })?;
        let second = super::word_offsets(self.src, name).nth(1)?;
        block
            .byte_range()
            .contains(&second)
            .then_some((declaration, declarator))
    }

    /// A read of a static field of the file a finding feeds: where the
    /// value read there goes. A name written (`NAME = …`) counts as seen,
    /// read nowhere; one the walk cannot place (`Class.NAME`) is not
    /// counted, so the field stays used.
    fn on_fed_field_name(&mut self, node: Node<'a>) {
        let name = self.text(node);
        let Some(key) = self.current_class().map(|c| format!("{c}.{name}")) else {
            return;
        };
        if !self.fed_fields.contains_key(&key) || self.var(name).is_some_and(|v| v.field.is_none())
        {
            return;
        }
        let g = grammar();
        let written = node.parent().is_some_and(|p| {
            kind(p) == K::Assign && field(p, g.f_left).is_some_and(|l| l.id() == node.id())
        });
        let placed = node
            .parent()
            .is_none_or(|p| !matches!(kind(p), K::Dotted | K::Call | K::MethodDecl | K::MethodRef));
        if !placed {
            return;
        }
        let reach = if written {
            Reach::Only(Harmless::Logged)
        } else {
            self.reach(node, 0)
        };
        if let Some(fed) = self.fed_fields.get_mut(&key) {
            fed.seen += 1;
            fed.reach = std::mem::replace(&mut fed.reach, Reach::Used).and(reach);
        }
    }

    /// Where the value a finding's static fields of this file hold goes,
    /// once every read of them is known: the keys they hand it on to, and
    /// what the rest of their reads do. `None` when a field is read in a
    /// way not followed.
    fn fed_fields_reach(&self, key: &str) -> Option<Reach> {
        let fed = self.fed_fields.get(key)?;
        (fed.seen == fed.expected).then(|| fed.reach.clone())
    }

    /// Settles a finding's `feeds` and its `only_*` marks from where its
    /// private fields of this file go ([`Self::fed_fields_reach`]): each
    /// gives way to where its reads go. `None` when one of them is read in
    /// the file in a way not followed, or hands the value on to another
    /// field (whose reads would need settling in turn).
    pub(super) fn settle_own_fields(&self, f: &mut RawFinding) -> Option<()> {
        let mut feeds = Vec::new();
        let mut rest = Reach::Only(Harmless::Logged);
        for key in std::mem::take(&mut f.feeds) {
            if !self.fed_fields.contains_key(&key) {
                feeds.push(key);
                continue;
            }
            match self.fed_fields_reach(&key) {
                None | Some(Reach::Used) => return None,
                Some(Reach::Feeds(keys)) if keys.iter().any(|k| !k.ends_with("()")) => return None,
                Some(Reach::Feeds(keys)) => feeds.extend(keys),
                Some(other) => rest = rest.and(other),
            }
        }
        if feeds.is_empty() {
            f.harmless = rest.harmless();
        }
        f.feeds = feeds;
        Some(())
    }

    /// A bare name: a statically imported source field of the project, or
    /// a read of a static field of the file a finding feeds.
    pub(super) fn on_identifier(&mut self, node: Node<'a>) {
        if !self.fed_fields.is_empty() {
            self.on_fed_field_name(node);
        }
        if self.sources.is_empty() {
            return;
        }
        let name = self.text(node);
        if !self.sources.names.contains(name) || self.var(name).is_some() {
            return;
        }
        // A name being declared, called or selected is not a read.
        if node.parent().is_some_and(|p| {
            matches!(
                kind(p),
                K::Call | K::Dotted | K::MethodDecl | K::Import | K::MethodRef
            ) || p.kind() == "variable_declarator"
        }) {
            return;
        }
        if let Some(key) = self.static_field_key(name) {
            self.report_member(node, &key);
        }
    }

    /// `Net.LOCAL_IP`: a read of another class's source field. Returns
    /// whether it was reported.
    pub(super) fn on_member_field(&mut self, node: Node<'a>) -> bool {
        let Some(name) = field(node, grammar().f_field) else {
            return false;
        };
        let name = self.text(name);
        self.names.push(name_hash(name));
        self.name_class_of(field(node, grammar().f_object));
        if self.sources.is_empty() || !self.sources.names.contains(name) {
            return false;
        }
        let Some(key) = self.member_key_of_field(node) else {
            return false;
        };
        // The class's own reads are where the value is, not a new use.
        let own = self
            .current_class()
            .is_some_and(|c| key.strip_prefix(c).is_some_and(|r| r[1..] == *name));
        if own || !self.sources.by_key.contains_key(&key) {
            return false;
        }
        self.report_member(node, &key);
        true
    }

    /// Where the value an expression produces goes: only to a log call,
    /// an exception's message or `toString()` (or nowhere), only into
    /// static members, or somewhere that may depend on it.
    fn reach(&self, node: Node<'a>, depth: usize) -> Reach {
        let g = grammar();
        let mut into_builder = false;
        // Joined to other text on the way (`"…?ip=" + ip`).
        let mut concatenated = false;
        // Whether the text joined with `+` the value is in was asked
        // whether it names the process (once a chain: it is asked whole).
        let mut joined_asked = false;
        let mut current = node;
        loop {
            let Some(parent) = current.parent() else {
                return Reach::Used;
            };
            if !matches!(
                parent.kind(),
                "binary_expression" | "parenthesized_expression"
            ) {
                joined_asked = false;
            }
            match parent.kind() {
                "parenthesized_expression" | "cast_expression" => {}
                // `for (NetworkInterface ni : interfaces)`: where the loop's
                // variable goes in its body.
                "enhanced_for_statement"
                    if field(parent, g.f_value).is_some_and(|v| v.id() == current.id()) =>
                {
                    return match (field(parent, g.f_name), parent.child_by_field_name("body")) {
                        (Some(name), Some(body)) if depth < LOCAL_DEPTH => {
                            self.uses_reach(body, name, depth)
                        }
                        _ => Reach::Used,
                    };
                }
                // How many there are (`getInterfaces().length`): a size.
                "field_access"
                    if field(parent, g.f_field).is_some_and(|f| self.text(f) == "length") =>
                {
                    return Reach::Only(Harmless::Logged);
                }
                "binary_expression" => {
                    // A test for null takes nothing from the value.
                    if self.is_null_check(current) {
                        return Reach::Only(Harmless::Logged);
                    }
                    if field(parent, g.f_operator).is_none_or(|o| self.text(o) != "+") {
                        return Reach::Used;
                    }
                    // A name for the process that is only logged is
                    // only logged.
                    let whole = (!joined_asked && self.may_name_process())
                        .then(|| process_name(parent, self.src))
                        .flatten();
                    joined_asked = true;
                    if let Some(whole) = whole {
                        return match self.reach(whole, depth) {
                            Reach::Used | Reach::Feeds(_) => Reach::Only(Harmless::NamesProcess),
                            onward => onward,
                        };
                    }
                    concatenated = true;
                }
                "ternary_expression" => {
                    if field(parent, g.f_condition).is_some_and(|c| c.id() == current.id()) {
                        return Reach::Used;
                    }
                }
                // A method called on the value: derived from it, unless it
                // tests it.
                "method_invocation" => {
                    let name = field(parent, g.f_name).map_or("", |n| self.text(n));
                    let on_it = field(parent, g.f_object).is_some_and(|o| o.id() == current.id());
                    if on_it && name == "hashCode" && !self.compared(parent) {
                        return Reach::Only(Harmless::Hashed);
                    }
                    if on_it && name == "getHardwareAddress" {
                        return Reach::Only(Harmless::HardwareAddress);
                    }
                    // A test of the value's own state (`isLoopback()`,
                    // `hasMoreElements()`) carries nothing of it; one
                    // comparing it with something (`equals(leader)`) may
                    // decide what the service does.
                    if is_predicate(name) {
                        let alone = field(parent, g.f_arguments)
                            .is_some_and(|a| a.named_child_count() == 0);
                        let own_state = ["is", "has"].iter().any(|p| {
                            name.strip_prefix(p)
                                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
                        });
                        return if on_it && alone && own_state {
                            Reach::Only(Harmless::Logged)
                        } else {
                            Reach::Used
                        };
                    }
                }
                "argument_list" => {
                    let Some(call) = parent.parent() else {
                        return Reach::Used;
                    };
                    match call.kind() {
                        "method_invocation" => {
                            if self.is_log_call(call) {
                                return Reach::Only(Harmless::Logged);
                            }
                            if self.labels_metrics(call) {
                                return Reach::Only(Harmless::LabelsMetrics);
                            }
                            if self.sets_log_record(call) {
                                return Reach::Only(Harmless::Logged);
                            }
                            let name = field(call, g.f_name).map_or("", |n| self.text(n));
                            match name {
                                // The interface holding the address
                                // (`NetworkInterface.getByInetAddress(ip)`)
                                // carries it on.
                                "getByInetAddress" => {}
                                // A copy of the value (`Collections.list(e)`,
                                // `Objects.requireNonNull(ip)`) carries it on.
                                "list" | "requireNonNull"
                                    if field(call, g.f_object).is_some_and(|o| {
                                        matches!(self.text(o), "Collections" | "Objects")
                                    }) => {}
                                // A socket of this process set on the
                                // interface (a multicast socket's): in a
                                // pod, the pod's own.
                                "setNetworkInterface" | "setInterface"
                                    if field(call, g.f_object)
                                        .and_then(|o| self.receiver_type(o))
                                        .is_some_and(|t| t.ends_with("Socket")) =>
                                {
                                    return Reach::Only(Harmless::Bound)
                                }
                                "format" | "formatted" | "valueOf" | "join" | "toString" => {
                                    // A name for the process formatted
                                    // (`"%s-%s".formatted(host, uuid)`).
                                    let whole = (matches!(name, "format" | "formatted")
                                        && self.may_name_process())
                                    .then(|| process_name(current, self.src))
                                    .flatten();
                                    if let Some(whole) = whole {
                                        return match self.reach(whole, depth) {
                                            Reach::Used | Reach::Feeds(_) => {
                                                Reach::Only(Harmless::NamesProcess)
                                            }
                                            onward => onward,
                                        };
                                    }
                                }
                                "append" => into_builder = true,
                                // A test whether it is blank
                                // (`StringUtils.isNotBlank(host)`), like a
                                // test for null, takes nothing from it.
                                "isBlank" | "isNotBlank" | "isEmpty" | "isNotEmpty" | "hasText"
                                | "hasLength" | "isNullOrEmpty"
                                    if parent.named_child_count() == 1 =>
                                {
                                    return Reach::Only(Harmless::Logged)
                                }
                                _ if self.describes_machine(call, name, current) => {
                                    return Reach::Only(Harmless::Displayed)
                                }
                                _ => return Reach::Used,
                            }
                        }
                        "object_creation_expression" => {
                            let ty = field(call, g.f_type).map_or("", |t| self.text(t));
                            let simple = simple_type_name(ty);
                            if simple.ends_with("Exception")
                                || simple.ends_with("Error")
                                || simple == "Throwable"
                            {
                                return Reach::Only(Harmless::Logged);
                            }
                            let as_written = !concatenated && !into_builder;
                            match simple {
                                "ImmutableTag" => return Reach::Only(Harmless::LabelsMetrics),
                                "StringBuilder" | "StringBuffer" => into_builder = true,
                                "InetSocketAddress" | "URL" | "URI" if as_written => {
                                    return self.listened_on(call);
                                }
                                "ServerSocket" if as_written => {
                                    return Reach::Only(Harmless::Bound)
                                }
                                _ => return Reach::Used,
                            }
                        }
                        _ => return Reach::Used,
                    }
                    current = call;
                    continue;
                }
                "variable_declarator" => {
                    if into_builder {
                        return Reach::Used;
                    }
                    let Some(declaration) = parent.parent() else {
                        return Reach::Used;
                    };
                    return match kind(declaration) {
                        K::LocalVar if depth < LOCAL_DEPTH => {
                            match (declaration.parent(), field(parent, g.f_name)) {
                                (Some(scope), Some(name)) => self.uses_reach(scope, name, depth),
                                _ => Reach::Used,
                            }
                        }
                        K::FieldDecl if self.is_static(declaration) => {
                            match (self.current_class(), field(parent, g.f_name)) {
                                (Some(class), Some(name)) => {
                                    Reach::Feeds(vec![format!("{class}.{}", self.text(name))])
                                }
                                _ => Reach::Used,
                            }
                        }
                        _ => Reach::Used,
                    };
                }
                // `url += path;` on a local holding the value, as a statement
                // of its own: it stays in the local, whose later reads say
                // where it goes.
                "assignment_expression"
                    if !into_builder
                        && current.kind() == "identifier"
                        && field(parent, g.f_left).is_some_and(|l| l.id() == current.id())
                        && field(parent, g.f_operator).is_some_and(|o| self.text(o) == "+=")
                        && parent
                            .parent()
                            .is_some_and(|p| p.kind() == "expression_statement")
                        && self.declared_before(parent, self.text(current)) =>
                {
                    return Reach::Only(Harmless::Logged);
                }
                // `local = value`: where the local goes after it.
                "assignment_expression" => {
                    return self.assigned_local_reach(parent, current, depth, into_builder);
                }
                "return_statement" => {
                    if into_builder {
                        return Reach::Used;
                    }
                    if self.in_method_named(parent, "toString") {
                        return Reach::Only(Harmless::Logged);
                    }
                    return self
                        .member_method_returning(parent)
                        .map_or(Reach::Used, |key| Reach::Feeds(vec![key]));
                }
                // `sb.append(value);` on a local builder: where the
                // builder goes after it.
                "expression_statement" => {
                    return if !into_builder {
                        Reach::Only(Harmless::Logged)
                    } else if let Some((scope, local)) =
                        self.builder_local(current).filter(|_| depth < LOCAL_DEPTH)
                    {
                        self.uses_reach(scope, local, depth)
                    } else {
                        Reach::Used
                    };
                }
                _ => return Reach::Used,
            }
            current = parent;
        }
    }

    /// Whether a number is compared, through the arithmetic around it
    /// (`ip.hashCode() % n == shard` decides by the address).
    fn compared(&self, number: Node<'a>) -> bool {
        let g = grammar();
        let mut current = number;
        while let Some(parent) = current.parent() {
            match parent.kind() {
                "parenthesized_expression" | "cast_expression" => {}
                "binary_expression" => {
                    let operator = field(parent, g.f_operator).map_or("", |o| self.text(o));
                    if !matches!(
                        operator,
                        "%" | "*" | "+" | "-" | "/" | "&" | "|" | "^" | ">>" | ">>>" | "<<"
                    ) {
                        return true;
                    }
                }
                "method_invocation"
                    if field(parent, g.f_name).is_some_and(|n| self.text(n) == "abs") => {}
                "argument_list" => {}
                _ => return false,
            }
            current = parent;
        }
        false
    }

    /// Where a new socket address or URL holding the value as its host
    /// goes: the address a server of this process listens on when it is
    /// handed straight to `bind`, `listen` or `open` on something that is
    /// not a client socket (`SocketChannel.open(address)` connects out),
    /// and what that call returns is not read on (`bind(..).getLocalAddress()`
    /// hands the address on; Netty's `sync()` and `await()` do not).
    fn listened_on(&self, address: Node<'a>) -> Reach {
        let g = grammar();
        // The local end an exception reports (Dubbo's
        // `new RemotingException(new InetSocketAddress(localHost, 0), …)`).
        let in_exception = address
            .parent()
            .filter(|p| p.kind() == "argument_list")
            .and_then(|list| list.parent())
            .filter(|c| c.kind() == "object_creation_expression")
            .and_then(|c| field(c, g.f_type))
            .is_some_and(|t| {
                let simple = simple_type_name(self.text(t));
                simple.ends_with("Exception") || simple.ends_with("Error")
            });
        if in_exception {
            return Reach::Only(Harmless::Logged);
        }
        let Some(call) = address
            .parent()
            .filter(|p| p.kind() == "argument_list")
            .and_then(|list| list.parent())
            .filter(|c| c.kind() == "method_invocation")
        else {
            return Reach::Used;
        };
        let name = field(call, g.f_name).map_or("", |n| self.text(n));
        if !matches!(name, "bind" | "listen" | "open") {
            return Reach::Used;
        }
        let receiver = field(call, g.f_object).map_or(String::new(), |o| {
            self.expr_type(o)
                .unwrap_or_else(|| self.text(o).to_string())
        });
        let receiver = receiver.rsplit('.').next().unwrap_or("");
        let client = (receiver.contains("Socket") || receiver.contains("Datagram"))
            && !receiver.contains("Server");
        if client {
            return Reach::Used;
        }
        let mut result = call;
        while let Some(next) = result
            .parent()
            .filter(|p| p.kind() == "method_invocation")
            .filter(|p| field(*p, g.f_object).is_some_and(|o| o.id() == result.id()))
        {
            let then = field(next, g.f_name).map_or("", |n| self.text(n));
            if !matches!(
                then,
                "sync" | "syncUninterruptibly" | "await" | "awaitUninterruptibly"
            ) {
                return Reach::Used;
            }
            result = next;
        }
        Reach::Only(Harmless::Bound)
    }

    /// Where a value assigned to a local (`inet = InetAddress.getLocalHost()`,
    /// the local declared before) goes: its uses after the assignment, in
    /// the enclosing method. Anything else, or an assignment in a loop
    /// (whose earlier uses may read it on the next round), may depend on it.
    fn assigned_local_reach(
        &self,
        assignment: Node<'a>,
        value: Node<'a>,
        depth: usize,
        into_builder: bool,
    ) -> Reach {
        let g = grammar();
        let Some(left) = field(assignment, g.f_left).filter(|l| {
            kind(*l) == K::Identifier
                && field(assignment, g.f_operator).is_some_and(|o| self.text(o) == "=")
                && field(assignment, g.f_right).is_some_and(|r| r.id() == value.id())
        }) else {
            return Reach::Used;
        };
        // `HOSTNAME = hostname;` in a class's static block: into the
        // class's static field, whose uses settle it, as its
        // declaration's value would.
        let in_static_block = std::iter::successors(assignment.parent(), |n| n.parent())
            .take_while(|n| n.kind() != "class_body")
            .any(|n| n.kind() == "static_initializer");
        if let Some(key) = self
            .var(self.text(left))
            .and_then(|v| v.field.clone())
            .filter(|_| in_static_block && !into_builder)
        {
            return Reach::Feeds(vec![key]);
        }
        // Declared before it in a body around it, whether or not the walk
        // has reached that declaration yet (a lookup's value is followed
        // from where it is made, `address` into the `hostName` below it).
        let is_local = self.declared_before(assignment, self.text(left));
        if into_builder || depth >= LOCAL_DEPTH || !is_local {
            return Reach::Used;
        }
        let mut current = assignment;
        while let Some(parent) = current.parent() {
            match parent.kind() {
                "for_statement" | "enhanced_for_statement" | "while_statement" | "do_statement" => {
                    return Reach::Used;
                }
                kind if BODIES.contains(&kind) => {
                    return self.uses_reach(parent, left, depth);
                }
                _ => current = parent,
            }
        }
        Reach::Used
    }

    /// The type of a call's receiver: as the walk knows it, or, for a
    /// local its method declares after the walk's place (a loop's body read
    /// from its head), by that declaration.
    fn receiver_type(&self, receiver: Node<'a>) -> Option<String> {
        self.expr_type(receiver).or_else(|| {
            let name = self.text(receiver);
            let method = std::iter::successors(receiver.parent(), |n| n.parent())
                .find(|n| BODIES.contains(&n.kind()))?;
            let declaration = first_in(method, |d| {
                d.kind() == "local_variable_declaration"
                    && super::grammar::declared(d, self.src)
                        .is_some_and(|(_, names)| names.contains(&name))
            })?;
            super::grammar::declared(declaration, self.src).map(|(ty, _)| ty.to_string())
        })
    }

    /// The local builder an `append` chain statement appends to
    /// (`sb.append(a).append(b)`), with the method or lambda declaring it.
    fn builder_local(&self, call: Node<'a>) -> Option<(Node<'a>, Node<'a>)> {
        let g = grammar();
        let mut receiver = call;
        while receiver.kind() == "method_invocation" {
            if field(receiver, g.f_name).is_none_or(|n| self.text(n) != "append") {
                return None;
            }
            receiver = field(receiver, g.f_object)?;
        }
        let name = self.text(receiver);
        let is_local = kind(receiver) == K::Identifier
            && self.var(name).is_some_and(|v| v.field.is_none())
            && self.declared_before(call, name);
        if !is_local {
            return None;
        }
        let mut current = call;
        while let Some(parent) = current.parent() {
            if BODIES.contains(&parent.kind()) {
                return Some((parent, receiver));
            }
            current = parent;
        }
        None
    }

    /// Whether a local or parameter `name` is declared in a scope enclosing
    /// `node`, before it, within its method: not a field that a local of a
    /// closed block (`if (…) { String ip = …; }`) shares its name with.
    fn declared_before(&self, node: Node<'a>, name: &str) -> bool {
        let g = grammar();
        let declares = |declaration: Node<'a>| {
            first_in(declaration, |d| {
                matches!(
                    d.kind(),
                    "variable_declarator" | "formal_parameter" | "catch_formal_parameter"
                ) && field(d, g.f_name).is_some_and(|v| self.text(v) == name)
            })
            .is_some()
        };
        let mut current = node;
        while let Some(parent) = current.parent() {
            let lambda_or_loop = matches!(
                parent.kind(),
                "lambda_expression" | "enhanced_for_statement"
            );
            let mut cursor = parent.walk();
            let earlier = parent
                .named_children(&mut cursor)
                .take_while(|c| c.id() != current.id())
                .any(|c| {
                    let declaration = matches!(
                        c.kind(),
                        "local_variable_declaration"
                            | "formal_parameters"
                            | "catch_formal_parameter"
                            | "resource_specification"
                    );
                    (declaration && declares(c))
                        || (lambda_or_loop && c.kind() == "identifier" && self.text(c) == name)
                });
            if earlier {
                return true;
            }
            if matches!(
                parent.kind(),
                "method_declaration" | "constructor_declaration" | "class_body"
            ) {
                return false;
            }
            current = parent;
        }
        false
    }

    /// Where the uses of the variable `name` after it, in `scope`, go (a
    /// null check is no use).
    fn uses_reach(&self, scope: Node<'a>, name: Node<'a>, depth: usize) -> Reach {
        let wanted = self.text(name);
        let mut budget = USE_BUDGET;
        let mut reach = Reach::Only(Harmless::Logged);
        let mut cursor = scope.walk();
        'walk: loop {
            let node = cursor.node();
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return Reach::Used;
            }
            // `h = "x";` replaces what it held: no use of it.
            let overwritten = || {
                node.parent().is_some_and(|p| {
                    p.kind() == "assignment_expression"
                        && field(p, grammar().f_left).is_some_and(|l| l.id() == node.id())
                        && field(p, grammar().f_operator).is_some_and(|o| self.text(o) == "=")
                })
            };
            if node.start_byte() > name.end_byte()
                && kind(node) == K::Identifier
                && self.text(node) == wanted
                && !self.is_null_check(node)
                && !overwritten()
            {
                reach = reach.and(self.reach(node, depth + 1));
                if reach == Reach::Used {
                    return reach;
                }
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() || cursor.node().id() == scope.id() {
                    break 'walk;
                }
            }
        }
        reach
    }

    /// The member key of the method a `return` statement returns from,
    /// when its callers are the reported uses of what it returns: a static
    /// method, or a private one (its class's own calls; not a lambda's nor
    /// another instance method's, which a subclass or an interface may
    /// hand anywhere) — with no annotation (`@JsonProperty` hands it to a
    /// framework) and its file naming it only by its declaration and calls
    /// ([`only_called_here`]): not a method reference (`this::ownAddress`)
    /// nor a name for reflection.
    fn member_method_returning(&self, statement: Node) -> Option<String> {
        let mut current = statement;
        let method = loop {
            let parent = current.parent()?;
            match kind(parent) {
                K::MethodDecl => break parent,
                K::Lambda | K::ClassBody => return None,
                _ => current = parent,
            }
        };
        if !self.is_static(method) && !self.has_modifier(method, "private") {
            return None;
        }
        let annotated = method
            .children(&mut method.walk())
            .any(|c| kind(c) == K::Modifiers && self.text(c).contains('@'));
        let name = field(method, grammar().f_name).map(|n| self.text(n))?;
        if annotated || !only_called_here(self.src, name) {
            return None;
        }
        self.frames
            .iter()
            .rev()
            .find(|f| f.owner == method.id())
            .and_then(|f| match &f.kind {
                FrameKind::Method(key) => key.clone(),
                _ => None,
            })
    }

    /// `x == null`, `x != null`.
    fn is_null_check(&self, node: Node) -> bool {
        let Some(parent) = node.parent().filter(|p| kind(*p) == K::Binary) else {
            return false;
        };
        let g = grammar();
        let op = field(parent, g.f_operator).map_or("", |o| self.text(o));
        let null_side = [field(parent, g.f_left), field(parent, g.f_right)]
            .into_iter()
            .flatten()
            .any(|side| side.kind() == "null_literal");
        matches!(op, "==" | "!=") && null_side
    }

    /// Whether a call labels metrics with its arguments: Micrometer's
    /// `Tag.of(k, v)` and `Tags.of`/`and` (resolved through the imports), a
    /// meter builder's `tag`/`tags`, a registry's `commonTags`, a
    /// Prometheus collector's `labels`.
    fn labels_metrics(&self, call: Node) -> bool {
        const TAG_TYPES: [&str; 2] = [
            "io.micrometer.core.instrument.Tag",
            "io.micrometer.core.instrument.Tags",
        ];
        let g = grammar();
        match field(call, g.f_name).map_or("", |n| self.text(n)) {
            // A builder's or a registry's: what follows builds the meter.
            "tag" | "tags" | "commonTags" | "labels" => true,
            "of" | "and" => {
                // Through `import io.micrometer.core.instrument.*;` too.
                let tag = field(call, g.f_object)
                    .filter(|o| o.kind() == "identifier")
                    .is_some_and(|o| {
                        let name = self.text(o);
                        match self.resolve_simple(name) {
                            Some(ty) => TAG_TYPES.contains(&ty.as_str()),
                            None => self.wildcards.iter().any(|package| {
                                TAG_TYPES.contains(&format!("{package}.{name}").as_str())
                            }),
                        }
                    });
                // A tag read back (`Tag.of("host", h).getValue()`) is the
                // value again, unless another label is made of it
                // (`Tags.of(…).and(…)`).
                let read_back = call.parent().filter(|p| {
                    p.kind() == "method_invocation"
                        && field(*p, g.f_object).is_some_and(|o| o.id() == call.id())
                });
                tag && read_back.is_none_or(|outer| self.labels_metrics(outer))
            }
            _ => false,
        }
    }

    /// `log.info(..)`, `LOGGER.warn(..)`, `System.out.println(..)`.
    fn is_log_call(&self, call: Node) -> bool {
        let g = grammar();
        let name = field(call, g.f_name).map_or("", |n| self.text(n));
        // The project's own logging helpers: `logPersistenceEvent(..)`,
        // `TraceUtil.logEvent(..)`.
        let logging_helper = name
            .strip_prefix("log")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
        // And the project's own setter of the logging context:
        // `ServiceLogger.MDCput("HOST", host)`.
        let lower = name.to_ascii_lowercase();
        if logging_helper || lower.starts_with("mdc") || lower.ends_with("mdc") {
            return true;
        }
        let Some(object) = field(call, g.f_object) else {
            return false;
        };
        let receiver = self.text(object);
        let receiver_name = receiver.rsplit('.').next().unwrap_or(receiver);
        // The logging context: `MDC.put("host", ip)`.
        if name == "put" {
            return matches!(receiver_name, "MDC" | "ThreadContext");
        }
        if !is_log_method(name) {
            return false;
        }
        if let Some(ty) = self.expr_type(object) {
            let simple = ty.rsplit('.').next().unwrap_or(&ty);
            if matches!(simple, "out" | "err") || simple.ends_with("Logger") || simple == "Log" {
                return true;
            }
        }
        receiver_name.to_ascii_lowercase().contains("log")
    }

    /// Whether `call` sets one value of a log record: a setter's only
    /// argument (`setServerIp(ip)`, a fluent `.serverIp(ip)`) on an object
    /// whose type is named for a log entry (`BaseLogger`, `AccessLog`,
    /// `OperationLogRecord`), made right there (`new BaseLogger()…`) or
    /// held by a local or field of that type: the entry is written to the
    /// logs.
    fn sets_log_record(&self, call: Node<'a>) -> bool {
        const ENTRY_SUFFIXES: [&str; 6] = [
            "Log",
            "Logger",
            "LogEntity",
            "LogRecord",
            "LogInfo",
            "LogEntry",
        ];
        let g = grammar();
        let one_argument = field(call, g.f_arguments).is_some_and(|a| a.named_child_count() == 1);
        let name = field(call, g.f_name).map_or("", |n| self.text(n));
        if !one_argument || is_log_method(name) {
            return false;
        }
        let mut root = call;
        while root.kind() == "method_invocation" {
            match field(root, g.f_object) {
                Some(object) => root = object,
                None => return false,
            }
        }
        let ty = match root.kind() {
            "object_creation_expression" => field(root, g.f_type).map(|t| self.text(t).to_string()),
            "identifier" | "field_access" => self.receiver_type(root),
            _ => None,
        };
        ty.is_some_and(|ty| {
            let simple = simple_type_name(&ty);
            ENTRY_SUFFIXES.iter().any(|suffix| simple.ends_with(suffix))
        })
    }

    /// Whether `call` (named `name`, given `argument`) sets a value of a
    /// description of the machine: a setter's only argument or a `put`'s
    /// value, in a method that also reads what describes the machine (the
    /// OS's name or architecture, the JVM's version or figures, OSHI's or
    /// the JMX `OperatingSystem`), on an object that goes nowhere else: a
    /// local the method neither returns, nor hands to a call (a registry's
    /// `register(instance)`), nor stores; or a field set only where it is
    /// declared that no code of the class hands to a call or stores
    /// elsewhere (a getter may return it). Not a parameter: the caller's
    /// object. RuoYi's `Server.setSysInfo`, a server-monitor page's system
    /// information.
    fn describes_machine(&self, call: Node<'a>, name: &str, argument: Node<'a>) -> bool {
        const DESCRIPTIONS: [&str; 9] = [
            "\"os.name\"",
            "\"os.arch\"",
            "\"os.version\"",
            "\"java.version\"",
            "\"java.vm.name\"",
            "\"user.dir\"",
            "OperatingSystem",
            "getRuntimeMXBean",
            "availableProcessors",
        ];
        let Some(arguments) = field(call, grammar().f_arguments) else {
            return false;
        };
        let count = arguments.named_child_count();
        let sets = (name.len() > 3 && name.starts_with("set") && count == 1)
            || (name == "put"
                && count == 2
                && arguments.named_child(1).map(|a| a.id()) == Some(argument.id()));
        // The object set: a local, a parameter or a field (`this.sys`).
        let receiver = field(call, grammar().f_object).and_then(|o| match o.kind() {
            "identifier" => Some((self.text(o), false)),
            "field_access" => field(o, grammar().f_field).map(|f| (self.text(f), true)),
            _ => None,
        });
        let (true, Some((receiver, through_this))) = (sets, receiver) else {
            return false;
        };
        let mut current = call;
        while let Some(parent) = current.parent() {
            match kind(parent) {
                K::MethodDecl => {
                    let text = self.text(parent);
                    if !DESCRIPTIONS.iter().any(|d| text.contains(d)) {
                        return false;
                    }
                    let src = self.src;
                    let escapes = |root: Node| {
                        hands_on(root, receiver, src) || assigned_from(root, receiver, src)
                    };
                    return match (through_this, declared(parent, receiver, src)) {
                        // The caller's object: what it does with it is not here.
                        (false, Some(Declared::Parameter)) => false,
                        (false, Some(Declared::Local)) => {
                            !escapes(parent) && !returns(parent, receiver, src)
                        }
                        // A field, made in its declaration and set nowhere
                        // (not one given to the class), that no code of the
                        // class hands on. Its own plain setter is what
                        // Lombok's `@Data` writes unseen: it sets nothing.
                        // Not when its class calls the setter (a caller's
                        // object), nor a field made only by it.
                        _ => parent.parent().is_some_and(|body| {
                            let mut cursor = body.walk();
                            let (setters, members): (Vec<Node>, Vec<Node>) = body
                                .named_children(&mut cursor)
                                .partition(|m| plain_setter_of(*m, receiver, src));
                            let setter_called = setters.iter().any(|setter| {
                                let name = setter
                                    .child_by_field_name("name")
                                    .map(|n| &src[n.byte_range()]);
                                members.iter().any(|m| {
                                    // `setSys(given)`, `this::setSys`; not
                                    // `cpu.setSys(…)` on another object.
                                    any_below(*m, |n| {
                                        let (object, called) = match n.kind() {
                                            "method_invocation" => (
                                                n.child_by_field_name("object"),
                                                n.child_by_field_name("name"),
                                            ),
                                            "method_reference" => {
                                                (n.named_child(0), n.named_child(1))
                                            }
                                            _ => return false,
                                        };
                                        object.is_none_or(|o| o.kind() == "this")
                                            && called.map(|c| &src[c.byte_range()]) == name
                                    })
                                })
                            });
                            made_in_declaration(&members, receiver, src)
                                && !setter_called
                                && members
                                    .iter()
                                    .all(|m| !escapes(*m) && !assigned(*m, receiver, src))
                        }),
                    };
                }
                K::Lambda | K::ClassBody => return false,
                _ => current = parent,
            }
        }
        false
    }

    /// Whether a node is in the body of a method with this name.
    pub(super) fn in_method_named(&self, node: Node<'a>, name: &str) -> bool {
        for parent in self.ancestors(node) {
            match kind(parent) {
                K::MethodDecl => {
                    return field(parent, grammar().f_name).is_some_and(|n| self.text(n) == name)
                }
                K::Lambda | K::ClassBody => return false,
                _ => {}
            }
        }
        false
    }
}

/// What makes a name unique to one process, in the text of a part of it:
/// its id, the time, a random UUID.
const PROCESS_MARKS: [&str; 6] = [
    "currentTimeMillis(",
    "nanoTime(",
    ".pid()",
    "randomUUID(",
    "getRuntimeMXBean(",
    ".now(",
];

/// The whole text joined with `+` around `node`, or formatted with it
/// (`String.format("%s-%s", host, id)`, `"%s-%s".formatted(…)`), when it
/// is a name for this process: one of its parts (or the local it reads,
/// as its method declares it) holds the process's id or the time (`ip +
/// "-" + pid + "-" + System.currentTimeMillis()`), and none of its
/// literals makes it an address or a link (`/`, `?`, `=`: `"http://" + ip
/// + "/?t=" + now`).
fn process_name<'t>(node: Node<'t>, src: &str) -> Option<Node<'t>> {
    let is_join = |n: Node| {
        n.kind() == "parenthesized_expression"
            || (n.kind() == "binary_expression"
                && n.child_by_field_name("operator")
                    .is_some_and(|o| &src[o.byte_range()] == "+"))
    };
    let formatting = node
        .parent()
        .filter(|list| list.kind() == "argument_list")
        .and_then(|list| list.parent())
        .filter(|call| {
            call.kind() == "method_invocation"
                && call
                    .child_by_field_name("name")
                    .is_some_and(|n| matches!(&src[n.byte_range()], "format" | "formatted"))
        });
    let mut parts = Vec::new();
    let top = if let Some(call) = formatting {
        let list = call.child_by_field_name("arguments")?;
        parts.extend(list.named_children(&mut list.walk()));
        parts.extend(
            call.child_by_field_name("object")
                .filter(|o| o.kind() == "string_literal"),
        );
        call
    } else {
        let mut top = node;
        while let Some(parent) = top.parent().filter(|p| is_join(*p)) {
            top = parent;
        }
        let mut pending = vec![top];
        while let Some(n) = pending.pop() {
            if is_join(n) {
                pending.extend(n.named_children(&mut n.walk()));
            } else {
                parts.push(n);
            }
        }
        top
    };
    let text = |n: &Node| &src[n.byte_range()];
    let marked = |text: &str| PROCESS_MARKS.iter().any(|m| text.contains(m));
    if parts
        .iter()
        .any(|p| p.kind() == "string_literal" && text(p).contains(['/', '?', '=']))
    {
        return None;
    }
    if parts.iter().any(|p| marked(text(p))) {
        return Some(top);
    }
    let read: Vec<&str> = parts
        .iter()
        .filter(|p| p.kind() == "identifier")
        .map(text)
        .collect();
    if read.is_empty() {
        return None;
    }
    let method = std::iter::successors(Some(top), |n| n.parent())
        .find(|n| matches!(n.kind(), "method_declaration" | "constructor_declaration"))?;
    any_below(method, |d| {
        d.kind() == "variable_declarator"
            && d.child_by_field_name("name")
                .is_some_and(|n| read.contains(&text(&n)))
            && d.child_by_field_name("value")
                .is_some_and(|v| marked(text(&v)))
    })
    .then_some(top)
}

/// How a method declares a name.
enum Declared {
    Parameter,
    Local,
}

/// How a method declares `name`, if it does.
fn declared(method: Node, name: &str, src: &str) -> Option<Declared> {
    let named = |node: Node| {
        node.child_by_field_name("name")
            .is_some_and(|n| &src[n.byte_range()] == name)
    };
    if any_below(method, |n| n.kind() == "formal_parameter" && named(n)) {
        Some(Declared::Parameter)
    } else if any_below(method, |n| n.kind() == "variable_declarator" && named(n)) {
        Some(Declared::Local)
    } else {
        None
    }
}

/// Whether `name` is assigned below `root` (`name = …`, `this.name = …`).
fn assigned(root: Node, name: &str, src: &str) -> bool {
    any_below(root, |node| {
        node.kind() == "assignment_expression"
            && node
                .child_by_field_name("left")
                .map(|l| l.child_by_field_name("field").unwrap_or(l))
                .is_some_and(|l| l.kind() == "identifier" && &src[l.byte_range()] == name)
    })
}

/// Whether one of a class's members declares `field` with a value
/// (`private Sys sys = new Sys();`).
fn made_in_declaration(members: &[Node], field: &str, src: &str) -> bool {
    members
        .iter()
        .filter(|m| m.kind() == "field_declaration")
        .any(|m| {
            super::grammar::declarator_named(*m, field, src)
                .is_some_and(|d| d.child_by_field_name("value").is_some())
        })
}

/// Whether a class member is `field`'s plain setter: `setSys(Sys s) {
/// this.sys = s; }`, an instance method with no annotation (not one a
/// framework injects through), one parameter stored and nothing else.
fn plain_setter_of(member: Node, field: &str, src: &str) -> bool {
    let text = |n: Node| &src[n.byte_range()];
    let mut cursor = member.walk();
    let modified = member.named_children(&mut cursor).any(|c| {
        c.kind() == "modifiers"
            && (text(c).contains('@') || text(c).split_whitespace().any(|w| w == "static"))
    });
    if modified {
        return false;
    }
    if field.is_empty() {
        return false;
    }
    let setter = crate::summary::accessor("set", field);
    if member.kind() != "method_declaration"
        || member.child_by_field_name("name").map(text) != Some(setter.as_str())
    {
        return false;
    }
    let mut cursor = member.walk();
    let parameters: Vec<Node> = member
        .child_by_field_name("parameters")
        .map(|p| p.named_children(&mut cursor).collect())
        .unwrap_or_default();
    let [parameter] = parameters.as_slice() else {
        return false;
    };
    let Some(given) = parameter.child_by_field_name("name").map(text) else {
        return false;
    };
    let Some(body) = member.child_by_field_name("body") else {
        return false;
    };
    let mut cursor = body.walk();
    let statements: Vec<Node> = body.named_children(&mut cursor).collect();
    let [statement] = statements.as_slice() else {
        return false;
    };
    let assignment = statement.named_child(0).filter(|a| {
        statement.kind() == "expression_statement" && a.kind() == "assignment_expression"
    });
    assignment.is_some_and(|a| {
        let left = a.child_by_field_name("left");
        let target = left.map(|l| l.child_by_field_name("field").unwrap_or(l));
        let this_or_plain = left.is_some_and(|l| {
            l.kind() == "identifier"
                || l.child_by_field_name("object")
                    .is_some_and(|o| o.kind() == "this")
        });
        this_or_plain
            && target.map(text) == Some(field)
            && a.child_by_field_name("right")
                .is_some_and(|r| r.kind() == "identifier" && text(r) == given)
    })
}

/// Whether `name` is stored below `root`: the value of an assignment or
/// of another variable's declaration (`this.current = instance`).
fn assigned_from(root: Node, name: &str, src: &str) -> bool {
    any_below(root, |node| {
        let value = match node.kind() {
            "assignment_expression" => node.child_by_field_name("right"),
            "variable_declarator" => node.child_by_field_name("value"),
            _ => None,
        };
        value.is_some_and(|v| v.kind() == "identifier" && &src[v.byte_range()] == name)
    })
}

/// Whether a method returns `name` itself.
fn returns(method: Node, name: &str, src: &str) -> bool {
    any_below(method, |node| {
        node.kind() == "return_statement"
            && node
                .named_child(0)
                .is_some_and(|e| e.kind() == "identifier" && &src[e.byte_range()] == name)
    })
}

/// Whether `name` is an argument of a call or a new object below `root`
/// (`registry.register(instance)`, `this.instance` too).
fn hands_on(root: Node, name: &str, src: &str) -> bool {
    any_below(root, |node| {
        let mut cursor = node.walk();
        node.kind() == "argument_list"
            && node.named_children(&mut cursor).any(|a| {
                let a = match a.kind() {
                    "field_access" => a.child_by_field_name("field").unwrap_or(a),
                    _ => a,
                };
                a.kind() == "identifier" && &src[a.byte_range()] == name
            })
    })
}

/// Whether `root` or a node below it is one `found` accepts.
fn any_below(root: Node, found: impl Fn(Node) -> bool) -> bool {
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        if found(node) {
            return true;
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
    }
    false
}

/// The condition and the branch of the `if` a statement is in, up through
/// blocks and `try`s only: a loop or another branch in between is not
/// that test.
fn enclosing_branch(statement: Node) -> Option<(Node, Node)> {
    let g = grammar();
    let mut current = statement;
    for _ in 0..8 {
        let parent = current.parent()?;
        match parent.kind() {
            "expression_statement" | "block" | "try_statement" => {}
            "if_statement" => {
                return field(parent, g.f_consequence)
                    .filter(|c| c.id() == current.id())
                    .and_then(|_| field(parent, g.f_condition))
                    .map(|condition| (condition, current));
            }
            _ => return None,
        }
        current = parent;
    }
    None
}

/// The first node of a subtree, in document order, that `wanted` accepts.
pub(super) fn first_in<'t>(root: Node<'t>, wanted: impl Fn(Node<'t>) -> bool) -> Option<Node<'t>> {
    let mut found = None;
    walk_subtree(root, |node| {
        if wanted(node) {
            found = Some(node);
        }
        found.is_none()
    });
    found
}

/// Calls `visit` on every node of a subtree, in document order.
pub(super) fn each_in<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>)) {
    walk_subtree(root, |node| {
        visit(node);
        true
    });
}

/// Visits a subtree in document order while `visit` says to go on.
fn walk_subtree<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = root.walk();
    'walk: loop {
        if !visit(cursor.node()) {
            return;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node().id() == root.id() {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::only_called_here;

    #[test]
    fn a_method_named_only_by_its_declaration_and_calls() {
        let plain = "class A { private String ip() { return x.ip(); } void f() { log(ip()); String ip = \"ip=\" + ip(); } }";
        assert!(only_called_here(plain, "ip"));
        assert!(!only_called_here(
            "class A { Supplier<String> s = this::ip; }",
            "ip"
        ));
        assert!(!only_called_here(
            "class A { Object m = getDeclaredMethod(\"ip\"); }",
            "ip"
        ));
        // `"/**"` in a string opens no comment; a char literal holding a
        // quote ends where it opened.
        assert!(!only_called_here(
            "class A { String p = \"/api/**\"; char q = '\"'; Supplier<String> s = this::ip; /** doc */ }",
            "ip"
        ));
        assert!(only_called_here(
            "class A { // this::ip\n String ip() { return \"\"; } }",
            "ip"
        ));
    }
}
