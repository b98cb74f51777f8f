//! Project-wide summaries: which of the repository's own methods and fields
//! hold a value a rule follows (the machine's address, its host name), so
//! that calling `AddressUtils.getHostIp()` is reported like calling
//! `InetAddress.getLocalHost()`.
//!
//! The Java pass records, per member, where its value comes from (a matched
//! call, or other members); [`resolve`] runs those facts to a fixed point.
//! Members are keyed by qualified class and name: `pkg.Outer.Inner.ip` for a
//! field, `pkg.Outer.getIp#0()` for a method with its number of parameters
//! (`#*` for varargs: see [`method_key`]), so that `getAddr(host, port)`
//! is not the `getAddr(port)` that looks up the machine's address.

use std::collections::{BTreeMap, HashMap, HashSet};

use podready_rules::Severity;
use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::matchers::Compiled;

/// Where a member's value may come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Dep {
    /// The result of a call a matcher matches (`derived`: a value taken
    /// from that result, such as its `getHostAddress()`), as written.
    Matched {
        matcher: usize,
        derived: bool,
        text: String,
    },
    /// Another member of the project, by key (`derived`: a value taken
    /// from it).
    Member { key: String, derived: bool },
    /// `dep`'s value handed to a project method as an argument: the
    /// member's value only if the method hands that argument on.
    Passed { through: Through, dep: Box<Dep> },
}

impl Dep {
    /// `dep` handed through these calls' arguments, outermost first.
    pub fn passed_through(through: Vec<Through>, dep: Dep) -> Dep {
        through
            .into_iter()
            .rev()
            .fold(dep, |dep, through| Dep::Passed {
                through,
                dep: Box::new(dep),
            })
    }

    /// The dep as it is once the methods handing on arguments are known:
    /// what went through them, or nothing.
    fn carried(&self, passes: &HashMap<String, Vec<usize>>) -> Option<&Dep> {
        match self {
            Dep::Passed { through, dep } if through.is_handed_on(passes) => dep.carried(passes),
            Dep::Passed { .. } => None,
            d => Some(d),
        }
    }
}

/// A call of a project method a value went into as an argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Through {
    pub method: String,
    pub position: usize,
}

impl Through {
    /// Whether the method hands on the argument at this position.
    pub fn is_handed_on(&self, passes: &HashMap<String, Vec<usize>>) -> bool {
        of_method(passes, &self.method).is_some_and(|p| p.contains(&self.position))
    }
}

/// The key of a method: its class, name and number of parameters
/// (`pkg.Net.getAddr#2()`), or `#*` for one taking varargs (`None`),
/// which a call of any arity may reach.
pub(crate) fn method_key(class: &str, name: &str, arity: Option<usize>) -> String {
    match arity {
        Some(n) => format!("{class}.{name}#{n}()"),
        None => format!("{class}.{name}#*()"),
    }
}

/// The key of the varargs overload of a call's method (`#*`).
pub(crate) fn varargs_key(key: &str) -> String {
    match key.strip_suffix("()").and_then(|k| k.rsplit_once('#')) {
        Some((method, _)) => format!("{method}#*()"),
        None => key.to_string(),
    }
}

/// A method's key without its number of parameters (`pkg.Net.getAddr()`),
/// which every overload shares; a field's as it is.
pub(crate) fn overloads_key(key: &str) -> std::borrow::Cow<'_, str> {
    match key.strip_suffix("()").and_then(|k| k.rsplit_once('#')) {
        Some((method, _)) => format!("{method}()").into(),
        None => key.into(),
    }
}

/// What a map keyed by member holds for a method a call reaches: its own
/// arity's entry, else a varargs overload's.
pub(crate) fn of_method<'m, T>(map: &'m HashMap<String, T>, key: &str) -> Option<&'m T> {
    map.get(key).or_else(|| map.get(&varargs_key(key)))
}

/// A parameter a method's result carries, if the calls it goes through
/// as an argument hand it on (`return normalize(address)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CarriedParam {
    pub position: usize,
    pub through: Vec<Through>,
}

/// What one file says about one of its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MemberFacts {
    pub key: String,
    /// How the member is shown in a chain: `AddressUtils.getHostIp()`.
    pub display: String,
    pub deps: Vec<Dep>,
    /// For a method: the parameters its result carries
    /// (`normalize(InetAddress a) { return a.getHostAddress(); }`).
    pub passes: Vec<CarriedParam>,
}

/// A member known to hold a followed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Source {
    pub rule: usize,
    /// The matcher at the end of the chain (its derived methods apply to
    /// the member's value when `derived` is false).
    pub matcher: usize,
    pub derived: bool,
    /// From this member to the matched call:
    /// `[AddressUtils.getHostIp(), NetworkInterface.getNetworkInterfaces()]`.
    pub via: Vec<String>,
}

/// The members that are sources, the methods that hand on an argument,
/// and their simple names (a file that names none of them has nothing to
/// report or learn through them).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct ProjectSources {
    pub by_key: HashMap<String, Vec<Source>>,
    pub passes: HashMap<String, Vec<usize>>,
    /// The sources' simple names.
    pub names: HashSet<String>,
}

/// The names that make a file worth reading again: those of the sources
/// and of the methods handing on an argument learnt since the last read,
/// each with its class's (`named_class`). A file resolves a member only
/// through a class it names: its receiver's type, a type it declares or
/// imports (statically too).
pub(crate) struct ReadAgain {
    sources: Vec<(u64, u64)>,
    passes: Vec<(u64, u64)>,
    /// Every source: a file naming one holds a followed value.
    all_sources: Vec<(u64, u64)>,
}

impl ReadAgain {
    /// Whether nothing was learnt.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.passes.is_empty()
    }

    /// Whether a file must be read again: it names a new source (its uses
    /// are reported, and it may hand the value on), or it holds a followed
    /// value (a matched call of its own, or a source's) and names a new
    /// method that may hand that value on. `hashes` are the file's names,
    /// sorted.
    pub fn wants(&self, hashes: &[u64], has_followed_call: bool) -> bool {
        let holds = |h: &u64| hashes.binary_search(h).is_ok();
        let named = |wanted: &[(u64, u64)]| wanted.iter().any(|(m, c)| holds(m) && holds(c));
        named(&self.sources)
            || (named(&self.passes) && (has_followed_call || named(&self.all_sources)))
    }
}

impl ProjectSources {
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty() && self.passes.is_empty()
    }

    /// The sources as the words a file using one holds.
    pub fn named_members(&self) -> impl Iterator<Item = NamedMember> + '_ {
        self.by_key.keys().map(|k| NamedMember::of_key(k))
    }

    /// What a file naming these members (`names`: their simple names'
    /// hashes, sorted) can learn from the sources: a file's analysis is
    /// given only this, so that it is all a cached result depends on.
    pub fn restricted_to(&self, names: &[u64]) -> ProjectSources {
        let named = |k: &String| names.binary_search(&name_hash(simple_name(k))).is_ok();
        let by_key: HashMap<String, Vec<Source>> = self
            .by_key
            .iter()
            .filter(|(k, _)| named(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        ProjectSources {
            names: by_key.keys().map(|k| simple_name(k).to_string()).collect(),
            passes: self
                .passes
                .iter()
                .filter(|(k, _)| named(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            by_key,
        }
    }

    /// The sources in a stable form, for a cache key.
    pub fn digest(&self) -> String {
        let by_key: BTreeMap<&String, &Vec<Source>> = self.by_key.iter().collect();
        let passes: BTreeMap<&String, &Vec<usize>> = self.passes.iter().collect();
        format!("{by_key:?}{passes:?}")
    }

    /// What was learnt since `earlier`: the members that are new or
    /// changed. A file naming none of them reads the same as before.
    pub fn learnt_since(&self, earlier: &ProjectSources) -> ReadAgain {
        let hashes = |changed: Vec<&String>| {
            let mut h: Vec<(u64, u64)> = changed
                .into_iter()
                .map(|k| {
                    let class = name_hash(&named_class(class_name(k)));
                    (name_hash(simple_name(k)), class)
                })
                .collect();
            h.sort_unstable();
            h.dedup();
            h
        };
        ReadAgain {
            sources: hashes(
                self.by_key
                    .iter()
                    .filter(|(k, v)| earlier.by_key.get(*k) != Some(*v))
                    .map(|(k, _)| k)
                    .collect(),
            ),
            passes: hashes(
                self.passes
                    .iter()
                    .filter(|(k, v)| earlier.passes.get(*k) != Some(*v))
                    .map(|(k, _)| k)
                    .collect(),
            ),
            all_sources: hashes(self.by_key.keys().collect()),
        }
    }
}

/// Runs the facts of every file to a fixed point: a member is a source
/// when one of its deps is a matched call of a matcher that follows
/// through helpers, or a member that is a source. Chains are kept short
/// (each round extends them by one member) and recursion ends because a
/// member gains each rule once.
pub(crate) fn resolve<'f>(
    facts: impl IntoIterator<Item = &'f MemberFacts>,
    c: &Compiled,
) -> ProjectSources {
    let facts: Vec<&'f MemberFacts> = facts.into_iter().collect();
    let passes = handed_on(&facts);
    let mut merged: HashMap<&'f str, (&'f String, Vec<&'f Dep>)> = HashMap::new();
    for f in facts {
        let entry = merged
            .entry(f.key.as_str())
            .or_insert_with(|| (&f.display, Vec::new()));
        for d in f.deps.iter().filter_map(|d| d.carried(&passes)) {
            if !entry.1.contains(&d) {
                entry.1.push(d);
            }
        }
    }
    let mut members: Vec<(&str, &String, Vec<&Dep>)> = merged
        .into_iter()
        .map(|(k, (display, deps))| (k, display, deps))
        .collect();
    members.sort_unstable_by_key(|(k, _, _)| *k);
    // Level by level, as a whole sweep would, but looking only at the
    // members whose deps gained something at the level before: each
    // member looks at its deps in order, in key order, and takes a rule
    // from the first that carries it.
    let index_of: HashMap<String, usize> = members
        .iter()
        .enumerate()
        .map(|(i, (k, _, _))| (k.to_string(), i))
        .collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for (i, (_, _, deps)) in members.iter().enumerate() {
        for d in deps.iter() {
            if let Dep::Member { key, .. } = d {
                if let Some(&j) = of_method(&index_of, key) {
                    dependents[j].push(i);
                }
            }
        }
    }
    for d in &mut dependents {
        d.dedup();
    }
    let mut known: Vec<Vec<Source>> = vec![Vec::new(); members.len()];
    let mut level: Vec<usize> = (0..members.len())
        .filter(|&i| {
            members[i]
                .2
                .iter()
                .any(|d| matches!(d, Dep::Matched { .. }))
        })
        .collect();
    while !level.is_empty() {
        let mut found: Vec<(usize, Source)> = Vec::new();
        for &i in &level {
            let (display, deps) = (members[i].1, &members[i].2);
            for &dep in deps {
                let candidates: Vec<Source> = match dep {
                    Dep::Matched {
                        matcher,
                        derived,
                        text,
                    } => {
                        let m = &c.matchers[*matcher];
                        if !m.through_helpers || !c.carries_followed(*matcher, *derived) {
                            continue;
                        }
                        vec![Source {
                            rule: m.rule,
                            matcher: *matcher,
                            derived: *derived,
                            via: vec![display.clone(), text.clone()],
                        }]
                    }
                    Dep::Member {
                        key: other,
                        derived,
                    } => of_method(&index_of, other)
                        .map(|&j| known[j].as_slice())
                        .unwrap_or_default()
                        .iter()
                        .filter(|s| c.carries_followed(s.matcher, s.derived || *derived))
                        .map(|s| Source {
                            derived: s.derived || *derived,
                            via: std::iter::once(display.clone())
                                .chain(s.via.iter().cloned())
                                .collect(),
                            ..s.clone()
                        })
                        .collect(),
                    // Carried to what went through already.
                    Dep::Passed { .. } => continue,
                };
                for s in candidates {
                    // This member's finds of this level are the last ones.
                    let has_rule = known[i].iter().any(|k| k.rule == s.rule)
                        || found
                            .iter()
                            .rev()
                            .take_while(|(k, _)| *k == i)
                            .any(|(_, f)| f.rule == s.rule);
                    if !has_rule {
                        found.push((i, s));
                    }
                }
            }
        }
        let mut next: Vec<usize> = Vec::new();
        for (i, s) in found {
            known[i].push(s);
            next.extend(&dependents[i]);
        }
        next.sort_unstable();
        next.dedup();
        level = next;
    }
    let by_key: HashMap<String, Vec<Source>> = known
        .into_iter()
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, s)| (members[i].0.to_string(), s))
        .collect();
    let names: HashSet<String> = by_key.keys().map(|k| simple_name(k).to_string()).collect();
    ProjectSources {
        by_key,
        passes,
        names,
    }
}

/// The parameters each method hands on, to a fixed point: one going into
/// another method's argument is handed on once that method hands that
/// argument on.
fn handed_on(facts: &[&MemberFacts]) -> HashMap<String, Vec<usize>> {
    let mut passes: HashMap<String, Vec<usize>> = HashMap::new();
    let mut pending: Vec<(&str, &CarriedParam)> = facts
        .iter()
        .filter(|f| f.key.ends_with("()"))
        .flat_map(|f| f.passes.iter().map(|p| (f.key.as_str(), p)))
        .collect();
    loop {
        let before = pending.len();
        pending.retain(|(key, p)| {
            if !p.through.iter().all(|t| t.is_handed_on(&passes)) {
                return true;
            }
            let known = passes.entry(key.to_string()).or_default();
            if !known.contains(&p.position) {
                known.push(p.position);
            }
            false
        });
        if pending.len() == before {
            return passes;
        }
    }
}

/// Settles the level of the findings whose value only goes into static
/// members of the project (a constant, a static helper's result): the
/// worst level of those members' uses, found to a fixed point, and `info`
/// when nothing reads them. Run after every other lowering, over the
/// whole repository: a static member nothing reads (`MixAll.LOCALHOST`)
/// makes the lookup feeding it harmless, one only logged makes it as
/// harmless as the log.
pub(crate) fn settle_static_feeds<'f>(
    findings: impl IntoIterator<Item = &'f mut Finding>,
    sources: &ProjectSources,
    files_naming: &HashMap<u64, Vec<String>>,
    subclassed: &dyn Fn(&str) -> bool,
    sees_class_of: &dyn Fn(&str, &str) -> bool,
) {
    let mut findings: Vec<&mut Finding> = findings.into_iter().collect();
    let mut users: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let Some(key) = &f.members.uses {
            users
                .entry((f.rule.clone(), key.clone()))
                .or_default()
                .push(i);
        }
    }
    let uses_of = |f: &Finding| -> Vec<usize> {
        f.members
            .feeds
            .iter()
            .flat_map(|k| {
                users
                    .get(&(f.rule.clone(), k.clone()))
                    .into_iter()
                    .flatten()
                    .copied()
            })
            .collect()
    };
    // A member the summaries do not know as a source has uses nobody
    // reported, and one named by a file with no reported use of it may be
    // read in a way resolution does not see (inherited, through another
    // class): the finding feeding it stays as it is. A static member of a
    // class no main source extends is read only where its class is named
    // too (`Net.ip()`, `Net::ip`, an import, a static import): a file
    // calling `address.getHostName()` does not read `Net.getHostName()`.
    let read_unseen = |f: &Finding, key: &String| {
        let users: Vec<&str> = users
            .get(&(f.rule.clone(), key.clone()))
            .into_iter()
            .flatten()
            .map(|&j| findings[j].path.as_str())
            .collect();
        let naming = |name: &str| {
            files_naming
                .get(&name_hash(name))
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
        };
        let readers: Vec<&String> = reading_names(key)
            .iter()
            .flat_map(|name| naming(name))
            .filter(|path| **path != f.path && !users.contains(&path.as_str()))
            .collect();
        let naming_class = naming(&named_class(class_name(key)));
        // Through a subclass (`NetUtils.ip()` for `Net.ip()`) any file
        // naming the member may read it. A class of the same name in
        // another package the file does not import is another class
        // (DataLink's three `LocalUtil`s).
        readers
            .iter()
            .any(|path| naming_class.contains(path) && sees_class_of(path, key))
            || (!readers.is_empty() && subclassed(class_name(key)))
    };
    let feeding: Vec<(usize, Vec<usize>)> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            !f.members.feeds.is_empty()
                && f.members
                    .feeds
                    .iter()
                    .all(|k| sources.by_key.contains_key(k) && !read_unseen(f, k))
        })
        .map(|(i, f)| (i, uses_of(f)))
        .collect();
    let mut level: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
    for (i, _) in &feeding {
        level[*i] = Severity::Info;
    }
    loop {
        let mut changed = false;
        for (i, uses) in &feeding {
            let worst = uses
                .iter()
                .map(|&j| level[j])
                .max()
                .unwrap_or(Severity::Info)
                .min(findings[*i].severity);
            if worst > level[*i] {
                level[*i] = worst;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (i, uses) in feeding {
        let f = &mut findings[i];
        if level[i] >= f.severity {
            continue;
        }
        let fed: Vec<String> = f.members.feeds.iter().map(|k| shown_member(k)).collect();
        let why = if uses.is_empty() {
            "which nothing in this repository reads".to_string()
        } else {
            format!("whose every use is reported at {}", level[i])
        };
        f.severity = level[i];
        f.message
            .push_str(&format!("; it only goes into {}, {why}", fed.join(", ")));
    }
}

/// A member as people name it: `MixAll.LOCALHOST` for
/// `org.apache.rocketmq.common.MixAll.LOCALHOST`, `Net.ip()` for a method.
fn shown_member(key: &str) -> String {
    let key = overloads_key(key);
    let segments: Vec<&str> = key.trim_end_matches("()").split('.').collect();
    let first_type = segments
        .iter()
        .position(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or(0);
    let mut shown = segments[first_type..].join(".");
    if key.ends_with("()") {
        shown.push_str("()");
    }
    shown
}

/// The names a member is read by: a method's own; a field's, and those of
/// the accessors Lombok's `@Getter` or `@Data` may generate for it
/// (`localAddress` → `getLocalAddress`, `isLocalAddress`).
pub(crate) fn reading_names(key: &str) -> Vec<String> {
    let name = simple_name(key);
    let mut names = vec![name.to_string()];
    if !key.ends_with("()") && !name.is_empty() {
        names.push(accessor("get", name));
        names.push(accessor("is", name));
    }
    names
}

/// A JavaBeans accessor's name: `getLocalAddress` for `get` and
/// `localAddress`.
pub(crate) fn accessor(prefix: &str, property: &str) -> String {
    let mut chars = property.chars();
    let first: String = chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .collect();
    format!("{prefix}{first}{}", chars.as_str())
}

/// The name a file records for a class it names (`Net.ip()`, `import
/// com.acme.Net`), apart from the member names it uses, whose files the
/// helper rounds read again: a variable or class named like a member
/// (`address.getHostName()`, a field `address`) must not send them there.
pub(crate) fn named_class(class: &str) -> String {
    format!("class {class}")
}

/// `C` for `pkg.C.getIp#0()` and `pkg.C.ip`: the member's class.
pub(crate) fn class_name(key: &str) -> &str {
    let k = key.strip_suffix("()").unwrap_or(key);
    k.rsplit('.').nth(1).unwrap_or(k)
}

/// `getIp` for `pkg.C.getIp#0()`, `ip` for `pkg.C.ip`.
pub(crate) fn simple_name(key: &str) -> &str {
    let k = key.strip_suffix("()").unwrap_or(key);
    let name = k.rsplit('.').next().unwrap_or(k);
    name.split('#').next().unwrap_or(name)
}

/// A member as the words of a text that may use it: its simple name and
/// its class's (`NetUtils` … `getLocalHost`), or one name on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct NamedMember {
    pub name: u64,
    pub class: u64,
}

impl NamedMember {
    /// `pkg.C.getIp()`: `getIp` with `C`. A file resolves a member only
    /// through a class it names (its receiver's type, a type it declares
    /// or imports).
    pub fn of_key(key: &str) -> NamedMember {
        NamedMember {
            name: name_hash(simple_name(key)),
            class: name_hash(class_name(key)),
        }
    }

    /// A name that is enough on its own.
    pub fn alone(name: u64) -> NamedMember {
        NamedMember { name, class: name }
    }
}

/// FNV-1a of a member's simple name: files keep these hashes of the names
/// they use, which is enough to tell which files to look at again.
pub(crate) fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use podready_rules::RulePack;

    fn compiled() -> Compiled {
        Compiled::new(&RulePack::builtin().expect("built-in pack")).expect("compiles")
    }

    /// The first matcher that follows through helpers.
    fn followed(c: &Compiled) -> usize {
        c.matchers
            .iter()
            .position(|m| m.through_helpers)
            .expect("a matcher follows through helpers")
    }

    fn member(key: &str, deps: Vec<Dep>) -> MemberFacts {
        MemberFacts {
            key: key.into(),
            display: key.to_string(),
            deps,
            passes: Vec::new(),
        }
    }

    #[test]
    fn chains_follow_members_and_recursion_ends() {
        let c = compiled();
        let m = followed(&c);
        let facts = vec![
            member(
                "p.A.top()",
                vec![Dep::Member {
                    key: "p.A.mid()".into(),
                    derived: false,
                }],
            ),
            member(
                "p.A.mid()",
                vec![
                    Dep::Member {
                        key: "p.A.mid()".into(),
                        derived: false,
                    },
                    Dep::Member {
                        key: "p.B.leaf()".into(),
                        derived: false,
                    },
                ],
            ),
            member(
                "p.B.leaf()",
                vec![Dep::Matched {
                    matcher: m,
                    derived: true,
                    text: "X.y()".into(),
                }],
            ),
            member(
                "p.C.unrelated()",
                vec![Dep::Member {
                    key: "p.C.other()".into(),
                    derived: false,
                }],
            ),
        ];
        let sources = resolve(&facts, &c);
        let top = &sources.by_key["p.A.top()"][0];
        assert_eq!(top.via.len(), 4);
        assert_eq!(top.via.last().map(String::as_str), Some("X.y()"));
        assert!(top.derived);
        assert!(!sources.by_key.contains_key("p.C.unrelated()"));
        let mut names: Vec<&str> = sources.names.iter().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["leaf", "mid", "top"]);
    }

    #[test]
    fn values_through_methods_handing_on_arguments_settle_from_the_first_reading() {
        let c = compiled();
        let through = |method: &str| Through {
            method: method.into(),
            position: 0,
        };
        let lookup = Dep::Matched {
            matcher: followed(&c),
            derived: true,
            text: "X.y()".into(),
        };
        let mut trim = member("p.Net.trim()", Vec::new());
        trim.passes = vec![CarriedParam {
            position: 0,
            through: Vec::new(),
        }];
        // `normalize(a) { return trim(a); }`: known only through `trim`.
        let mut normalize = member("p.Net.normalize()", Vec::new());
        normalize.passes = vec![CarriedParam {
            position: 0,
            through: vec![through("p.Net.trim()")],
        }];
        let facts = vec![
            member(
                "p.Conf.ip",
                vec![Dep::passed_through(
                    vec![through("p.Net.normalize()")],
                    lookup.clone(),
                )],
            ),
            member(
                "p.Conf.hash",
                vec![Dep::passed_through(
                    vec![through("p.Net.digest()")],
                    lookup.clone(),
                )],
            ),
            // Listed before what it needs: the order of files is no matter.
            normalize,
            trim,
        ];
        let sources = resolve(&facts, &c);
        assert_eq!(sources.passes["p.Net.normalize()"], [0]);
        assert_eq!(sources.by_key["p.Conf.ip"][0].via, ["p.Conf.ip", "X.y()"]);
        assert!(!sources.by_key.contains_key("p.Conf.hash"));
    }

    #[test]
    fn a_round_reads_again_only_files_naming_what_was_learnt() {
        let c = compiled();
        let m = followed(&c);
        let leaf = member(
            "p.B.leaf()",
            vec![Dep::Matched {
                matcher: m,
                derived: false,
                text: "X.y()".into(),
            }],
        );
        let first = resolve(std::slice::from_ref(&leaf), &c);
        let top = member(
            "p.A.top()",
            vec![Dep::Member {
                key: "p.B.leaf()".into(),
                derived: true,
            }],
        );
        let second = resolve(&[leaf, top], &c);
        let sorted = |names: &[&str]| {
            let mut h: Vec<u64> = names.iter().map(|n| name_hash(n)).collect();
            h.sort_unstable();
            h
        };
        let learnt = second.learnt_since(&first);
        assert!(learnt.wants(&sorted(&["top", "other", "class A"]), false));
        // A `top` of another class is not `A.top()`.
        assert!(!learnt.wants(&sorted(&["top", "class C"]), false));
        // `leaf` did not change: a file naming only it reads the same.
        assert!(!learnt.wants(&sorted(&["leaf", "class B"]), false));
        assert!(second.learnt_since(&second).is_empty());
        assert!(first
            .learnt_since(&ProjectSources::default())
            .wants(&sorted(&["leaf", "class B"]), false));
    }

    fn finding(severity: Severity, uses: Option<&str>, feeds: &[&str]) -> Finding {
        Finding {
            rule: "host/local-address".into(),
            severity,
            path: "A.java".into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            message: "m".into(),
            remediation: "r".into(),
            snippet: String::new(),
            via: Vec::new(),
            members: crate::finding::MemberFlow {
                uses: uses.map(str::to_string),
                feeds: feeds.iter().map(|k| k.to_string()).collect(),
            },
            command_line: None,
            never_runs: None,
            start_up: None,
            also_logged: None,
            debugging: None,
            profile_sections: None,
            owner: None,
            detail: String::new(),
        }
    }

    fn sources_named(keys: &[&str]) -> ProjectSources {
        ProjectSources {
            by_key: keys.iter().map(|k| (k.to_string(), Vec::new())).collect(),
            ..ProjectSources::default()
        }
    }

    #[test]
    fn static_members_feeding_each_other_take_the_worst_outside_use() {
        // `a()` falls back on `b()` and `b()` on `a()`, as rocketmq's
        // `MixAll.localhost()` does.
        let sources = sources_named(&["p.M.a()", "p.M.b()"]);
        let cycle = || {
            vec![
                finding(Severity::Error, Some("p.M.b()"), &["p.M.a()"]),
                finding(Severity::Error, Some("p.M.a()"), &["p.M.b()"]),
            ]
        };
        let mut unread = cycle();
        settle_static_feeds(
            unread.iter_mut(),
            &sources,
            &HashMap::new(),
            &|_| false,
            &|_, _| true,
        );
        assert!(unread.iter().all(|f| f.severity == Severity::Info));
        assert!(unread[0]
            .message
            .ends_with("; it only goes into M.a(), whose every use is reported at info"));

        let mut registered = cycle();
        registered.push(finding(Severity::Error, Some("p.M.a()"), &[]));
        settle_static_feeds(
            registered.iter_mut(),
            &sources,
            &HashMap::new(),
            &|_| false,
            &|_, _| true,
        );
        assert!(registered.iter().all(|f| f.severity == Severity::Error));
        assert!(registered.iter().all(|f| f.message == "m"));
    }

    #[test]
    fn a_member_the_summaries_do_not_know_keeps_what_feeds_it() {
        let mut findings = [finding(Severity::Error, None, &["p.M.CONSTANT"])];
        let none = |_: &str| false;
        let sees = |_: &str, _: &str| true;
        settle_static_feeds(
            findings.iter_mut(),
            &ProjectSources::default(),
            &HashMap::new(),
            &none,
            &sees,
        );
        assert_eq!(findings[0].severity, Severity::Error);
        let naming = |names: &[String]| -> HashMap<u64, Vec<String>> {
            names
                .iter()
                .map(|n| (name_hash(n), vec!["B.java".to_string()]))
                .collect()
        };
        let sources = sources_named(&["p.M.CONSTANT"]);
        let both = naming(&["CONSTANT".to_string(), named_class("M")]);
        // Another package's `M`, which B.java does not import, is another class.
        settle_static_feeds(findings.iter_mut(), &sources, &both, &none, &|_, _| false);
        assert_eq!(findings[0].severity, Severity::Info, "another M");
        findings[0] = finding(Severity::Error, None, &["p.M.CONSTANT"]);
        settle_static_feeds(findings.iter_mut(), &sources, &both, &none, &sees);
        assert_eq!(
            findings[0].severity,
            Severity::Error,
            "B.java names M.CONSTANT"
        );
        // `Sub.CONSTANT` in B.java, where `Sub extends M`, reads it too.
        let member_only = naming(&["CONSTANT".to_string()]);
        settle_static_feeds(
            findings.iter_mut(),
            &sources,
            &member_only,
            &|c| c == "M",
            &sees,
        );
        assert_eq!(findings[0].severity, Severity::Error, "through a subclass");
        // `other.CONSTANT` in B.java reads no member of M.
        settle_static_feeds(findings.iter_mut(), &sources, &member_only, &none, &sees);
        assert_eq!(findings[0].severity, Severity::Info);
        assert!(findings[0]
            .message
            .ends_with("; it only goes into M.CONSTANT, which nothing in this repository reads"));
    }

    #[test]
    fn matchers_that_do_not_follow_make_no_source() {
        let c = compiled();
        let not_followed = c
            .matchers
            .iter()
            .position(|m| !m.through_helpers)
            .expect("some matcher does not follow");
        let facts = vec![member(
            "p.A.print()",
            vec![Dep::Matched {
                matcher: not_followed,
                derived: false,
                text: "System.out.println(…)".into(),
            }],
        )];
        assert!(resolve(&facts, &c).is_empty());
    }
}
