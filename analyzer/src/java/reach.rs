//! Private methods that only an entry method reaches: in a class with a
//! command-line entry point, the private helpers it alone calls
//! (`RsaUtils.test1()`, called from `RsaUtils.main()`) are developer code
//! like `main()` itself, whatever they print; those only a start-up hook
//! calls (`StartedUpRunner.printSystemUpBanner()`) run once, as it does.
//! Private methods that only call each other (shopizer's `createBucket()`
//! and `getBucket()`) are reached by nothing: they never run.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::{field, grammar, kind, Pass, K};

/// Who calls a private method, as far as the class body shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller<'a> {
    Entry,
    /// Another private method of the same class, by name.
    Private(&'a str),
    /// Anything else: a method a framework or another class may call, a
    /// constructor, an initializer, a nested class.
    Other,
}

impl<'a> Pass<'a, '_> {
    /// The names of the private methods of a class body that only its
    /// entry methods reach (directly, or through other such methods; one
    /// nothing calls is reached by nothing else either), when the body
    /// declares one. Overloads count as one method; a name with a
    /// non-private overload is never included. `called_in_line`: only a
    /// call made by the entry itself counts (not one in a lambda or a
    /// method reference, which may run later and again), and a method
    /// nothing calls is not included.
    pub(super) fn only_reached_from(
        &self,
        body: Node<'a>,
        methods: &[Node<'a>],
        is_entry: &dyn Fn(Node<'a>) -> bool,
        called_in_line: bool,
    ) -> Vec<&'a str> {
        if !methods.iter().any(|m| is_entry(*m)) {
            return Vec::new();
        }
        self.private_reached_only_from(body, methods, is_entry, called_in_line, false)
    }

    /// The private methods of a class body that only other such methods
    /// call, in line (a pair calling each other that nothing else calls):
    /// nothing runs them. A name the file holds more often than its
    /// declarations and the calls seen (`server.start()` on another
    /// instance, a method reference elsewhere) is called from elsewhere.
    pub(super) fn unreached_private(&self, body: Node<'a>, methods: &[Node<'a>]) -> Vec<&'a str> {
        self.private_reached_only_from(body, methods, &|_| false, true, true)
    }

    /// The names only private methods of `methods` declare (each `true`,
    /// kept as a set the callers ask), and how many methods declare each
    /// name.
    fn private_names(
        &self,
        methods: &[Node<'a>],
    ) -> (HashMap<&'a str, bool>, HashMap<&'a str, usize>) {
        let g = grammar();
        let mut private: HashMap<&'a str, bool> = HashMap::new();
        let mut declarations: HashMap<&'a str, usize> = HashMap::new();
        for m in methods {
            if let Some(name) = field(*m, g.f_name) {
                let is_private = self.has_modifier(*m, "private");
                *private.entry(self.text(name)).or_insert(true) &= is_private;
                *declarations.entry(self.text(name)).or_default() += 1;
            }
        }
        private.retain(|_, all_private| *all_private);
        (private, declarations)
    }

    /// Each private method of a class body that one other method of the
    /// body reaches, through private methods alone and in line, and
    /// nothing else does (every use of its name, and of theirs, in the
    /// file a declaration or such a call), with that method's node id.
    /// One walk of the body.
    pub(super) fn private_entry_methods(
        &self,
        body: Node<'a>,
        methods: &[Node<'a>],
    ) -> HashMap<&'a str, usize> {
        let (private, declarations) = self.private_names(methods);
        if private.is_empty() {
            return HashMap::new();
        }
        let mut callers: HashMap<&'a str, Vec<CalledBy<'a>>> = HashMap::new();
        let mut cursor = body.walk();
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            stack.extend(node.named_children(&mut cursor));
            let Some(name) = self
                .own_method_named(node)
                .filter(|n| private.contains_key(n))
            else {
                continue;
            };
            let caller = match self.caller_of(node, body, &private, &|_| false, true) {
                Caller::Private(p) => CalledBy::Private(p),
                Caller::Other => self
                    .enclosing_method(node, body)
                    .map_or(CalledBy::Other, |m| CalledBy::Method(m.id())),
                Caller::Entry => CalledBy::Other,
            };
            callers.entry(name).or_default().push(caller);
        }
        // A call on a variable of another type (`graphics.drawImage(…)`)
        // is another class's method; a comment names nothing.
        let foreign = std::cell::OnceCell::new();
        let code = super::without_comments(self.src);
        // Counted once for the file: each method's chain of callers asks
        // of every name in it.
        let uses = super::identifier_counts(&code);
        let every_use_seen = |name: &str| {
            let seen = declarations.get(name).copied().unwrap_or(0)
                + callers.get(name).map_or(0, Vec::len);
            let uses = uses.get(name).copied().unwrap_or(0);
            uses == seen || uses == seen + self.calls_on_other_types(body, name, &foreign)
        };
        let mut entries = HashMap::new();
        for &start in private.keys() {
            let mut reached_from = HashSet::new();
            let mut seen = HashSet::from([start]);
            let mut stack = vec![start];
            let mut alone = true;
            while let Some(name) = stack.pop() {
                if !every_use_seen(name) {
                    alone = false;
                    break;
                }
                for caller in callers.get(name).into_iter().flatten() {
                    match caller {
                        CalledBy::Other => alone = false,
                        CalledBy::Private(p) => {
                            if seen.insert(p) {
                                stack.push(p);
                            }
                        }
                        CalledBy::Method(id) => {
                            reached_from.insert(*id);
                        }
                    }
                }
            }
            if alone && reached_from.len() == 1 {
                entries.extend(reached_from.into_iter().map(|id| (start, id)));
            }
        }
        entries
    }

    /// The method of `body` (its own declaration) a node sits in, called in
    /// line: not in a lambda, a field or a nested type.
    fn enclosing_method(&self, node: Node<'a>, body: Node<'a>) -> Option<Node<'a>> {
        if node.kind() == "method_reference" {
            return None;
        }
        let mut at = node;
        while let Some(parent) = at.parent() {
            match kind(parent) {
                K::MethodDecl if parent.parent() == Some(body) => return Some(parent),
                K::ClassBody | K::Scope | K::FieldDecl => return None,
                _ if parent.kind() == "lambda_expression" => return None,
                _ => at = parent,
            }
        }
        None
    }

    /// [`Self::only_reached_from`], whether or not the body declares an
    /// entry method; `every_use_seen`: only names whose every use in the
    /// file is a declaration or a call seen count.
    fn private_reached_only_from(
        &self,
        body: Node<'a>,
        methods: &[Node<'a>],
        is_entry: &dyn Fn(Node<'a>) -> bool,
        called_in_line: bool,
        every_use_seen: bool,
    ) -> Vec<&'a str> {
        let (private, declarations) = self.private_names(methods);
        if private.is_empty() {
            return Vec::new();
        }
        let mut callers: HashMap<&'a str, Vec<Caller<'a>>> = HashMap::new();
        let mut cursor = body.walk();
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            stack.extend(node.named_children(&mut cursor));
            let Some(name) = self.own_method_named(node) else {
                continue;
            };
            if private.contains_key(name) {
                callers.entry(name).or_default().push(self.caller_of(
                    node,
                    body,
                    &private,
                    is_entry,
                    called_in_line,
                ));
            }
        }
        // The largest set whose callers are all entries or in the set.
        let mut only: HashSet<&'a str> = private.into_keys().collect();
        let candidates = only.clone();
        let foreign = std::cell::OnceCell::new();
        // Whether every use of a name in the file is seen; asked only of
        // the names the fixed point keeps (usually none), and then the
        // fixed point is found again without those that fail.
        let every_use_is_seen = |name: &str| {
            let seen = declarations.get(name).copied().unwrap_or(0)
                + callers.get(name).map_or(0, Vec::len);
            let uses = self.identifier_count(name);
            uses == seen || uses == seen + self.calls_on_other_types(body, name, &foreign)
        };
        let mut checked: HashSet<&'a str> = HashSet::new();
        let mut failed: HashSet<&'a str> = HashSet::new();
        loop {
            loop {
                let before = only.len();
                let kept: HashSet<&'a str> = only
                    .iter()
                    .copied()
                    .filter(|name| {
                        callers.get(name).into_iter().flatten().all(|c| match c {
                            Caller::Entry => true,
                            Caller::Private(p) => only.contains(p),
                            Caller::Other => false,
                        })
                    })
                    .collect();
                only = kept;
                if only.len() == before {
                    break;
                }
            }
            if !every_use_seen {
                break;
            }
            let failing: Vec<&'a str> = only
                .iter()
                .copied()
                .filter(|name| checked.insert(name) && !every_use_is_seen(name))
                .collect();
            if failing.is_empty() {
                break;
            }
            failed.extend(failing);
            only = candidates
                .iter()
                .copied()
                .filter(|name| !failed.contains(name))
                .collect();
        }
        if called_in_line {
            only.retain(|name| callers.get(name).is_some_and(|c| !c.is_empty()));
        }
        let mut names: Vec<&'a str> = only.into_iter().collect();
        names.sort_unstable();
        names
    }

    /// How many calls of `name` in a class body are made on a variable
    /// the file declares with another type than the class
    /// (`s3.createBucket(…)` on an `AmazonS3`): another class's method of
    /// the same name. `counts` keeps every name's count, found in one walk
    /// of the body when first asked.
    fn calls_on_other_types(
        &self,
        body: Node<'a>,
        name: &str,
        counts: &std::cell::OnceCell<HashMap<&'a str, usize>>,
    ) -> usize {
        counts
            .get_or_init(|| self.count_calls_on_other_types(body))
            .get(name)
            .copied()
            .unwrap_or(0)
    }

    /// [`Self::calls_on_other_types`] for every method name of a body.
    fn count_calls_on_other_types(&self, body: Node<'a>) -> HashMap<&'a str, usize> {
        let g = grammar();
        let mut counts = HashMap::new();
        let Some(class) = body
            .parent()
            .and_then(|c| field(c, g.f_name))
            .map(|n| self.text(n))
        else {
            return counts;
        };
        let types = self.variable_types(body);
        let mut cursor = body.walk();
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            stack.extend(node.named_children(&mut cursor));
            if kind(node) != K::Call {
                continue;
            }
            let Some(name) = field(node, g.f_name).map(|n| self.text(n)) else {
                continue;
            };
            let declared = field(node, g.f_object)
                .filter(|o| kind(*o) == K::Identifier)
                .and_then(|o| types.get(self.text(o)).copied().flatten());
            if declared.is_some_and(|t| t != class) {
                *counts.entry(name).or_default() += 1;
            }
        }
        counts
    }

    /// The simple type of each field, local and parameter of a class body,
    /// by name; `None` for a name declared with two types.
    fn variable_types(&self, body: Node<'a>) -> HashMap<&'a str, Option<&'a str>> {
        let mut types: HashMap<&'a str, Option<&'a str>> = HashMap::new();
        let mut cursor = body.walk();
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            stack.extend(node.named_children(&mut cursor));
            let Some((ty, names)) = super::grammar::declared(node, self.src) else {
                continue;
            };
            for name in names {
                types
                    .entry(name)
                    .and_modify(|known| {
                        if *known != Some(ty) {
                            *known = None;
                        }
                    })
                    .or_insert(Some(ty));
            }
        }
        types
    }

    /// The methods of a class body, private or not, that only its entry
    /// methods and the methods `entry_only` names (those only an entry
    /// reaches) call in the body
    /// (at least once), the name mentioned nowhere in the file outside the
    /// body: as far as the file shows, only an entry runs them.
    /// Whether another file calls one is the repository's to say. A name
    /// with an overload is left out (calls are matched by name).
    pub(super) fn called_here_only_from(
        &self,
        body: Node<'a>,
        methods: &[Node<'a>],
        is_entry: &dyn Fn(Node<'a>) -> bool,
        entry_only: &[&'a str],
    ) -> Vec<&'a str> {
        let g = grammar();
        if !methods.iter().any(|m| is_entry(*m)) {
            return Vec::new();
        }
        let mut declared: HashMap<&'a str, usize> = HashMap::new();
        for m in methods.iter().filter(|m| !is_entry(**m)) {
            if let Some(name) = field(*m, g.f_name) {
                *declared.entry(self.text(name)).or_default() += 1;
            }
        }
        declared.retain(|name, n| *n == 1 && !entry_only.contains(name));
        if declared.is_empty() {
            return Vec::new();
        }
        let private: HashMap<&'a str, bool> = entry_only.iter().map(|n| (*n, true)).collect();
        let mut callers: HashMap<&'a str, Vec<Caller<'a>>> = HashMap::new();
        let mut cursor = body.walk();
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            stack.extend(node.named_children(&mut cursor));
            if let Some(name) = self
                .own_method_named(node)
                .filter(|n| declared.contains_key(n))
            {
                let caller = self.caller_of(node, body, &private, is_entry, false);
                callers.entry(name).or_default().push(caller);
            }
        }
        // Outside the class body the file does not name it: another
        // class of the file does not call it.
        let (before, after) = (&self.src[..body.start_byte()], &self.src[body.end_byte()..]);
        let mut names: Vec<&'a str> = callers
            .into_iter()
            .filter(|(name, by)| {
                by.iter().all(|c| *c != Caller::Other)
                    && super::word_count(before, name) + super::word_count(after, name) == 0
            })
            .map(|(name, _)| name)
            .collect();
        names.sort_unstable();
        names
    }

    /// The method a call or method reference names on the class itself
    /// (no object, `this`, or a type name), if `node` is one.
    fn own_method_named(&self, node: Node<'a>) -> Option<&'a str> {
        let g = grammar();
        let on_self = |object: Option<Node>| {
            object.is_none_or(|o| {
                let text = self.text(o);
                text == "this" || text.starts_with(|c: char| c.is_ascii_uppercase())
            })
        };
        let (object, name) = match kind(node) {
            K::Call => (field(node, g.f_object), field(node, g.f_name)?),
            _ if node.kind() == "method_reference" => {
                let parts: Vec<Node> = node.named_children(&mut node.walk()).collect();
                let name = *parts.last().filter(|n| kind(**n) == K::Identifier)?;
                (parts.first().copied(), name)
            }
            _ => return None,
        };
        on_self(object).then(|| self.text(name))
    }

    /// The method of `body` a call inside it sits in.
    fn caller_of(
        &self,
        call: Node<'a>,
        body: Node<'a>,
        private: &HashMap<&'a str, bool>,
        is_entry: &dyn Fn(Node<'a>) -> bool,
        called_in_line: bool,
    ) -> Caller<'a> {
        let g = grammar();
        if called_in_line && call.kind() == "method_reference" {
            return Caller::Other;
        }
        let mut node = call;
        while let Some(parent) = node.parent() {
            match kind(parent) {
                K::MethodDecl if parent.parent() == Some(body) => {
                    if is_entry(parent) {
                        return Caller::Entry;
                    }
                    return match field(parent, g.f_name).map(|n| self.text(n)) {
                        Some(name) if private.contains_key(name) => Caller::Private(name),
                        _ => Caller::Other,
                    };
                }
                K::ClassBody | K::Scope | K::FieldDecl => return Caller::Other,
                _ if called_in_line && parent.kind() == "lambda_expression" => {
                    return Caller::Other
                }
                _ => node = parent,
            }
        }
        Caller::Other
    }
}

/// What calls a private method of a class body, in line: another private
/// method of it, another method of it (its node id), or something else
/// (a field, a lambda, a nested type, a method reference).
enum CalledBy<'a> {
    Private(&'a str),
    Method(usize),
    Other,
}
