//! Which Java files need a syntax tree. A file that contains none of the
//! words the rules look for (a called method's name, an import's package,
//! a searched string, something shaped like an address) can give no
//! finding of its own: it is read for its lines and suppressions only, and
//! parsed later only if the summaries need it (it names a member found to
//! hold a followed value, or declares a method a parsed file asked about).
//! The test is lexical and errs on the side of parsing: a word counts in
//! comments and strings too.

use std::collections::{HashMap, HashSet};

use podready_rules::matcher::Matcher;
use podready_rules::Rule;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::summary::name_hash;
use crate::walk::{FileKind, RepoFile};
use crate::{ip, FileResult};

/// Why a file the triggers left out is parsed after all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Pull {
    /// A parsed file asked whether a method of its class hands on an
    /// argument: a question only its tree answers.
    Asked,
    /// It names a member the summaries found holding a followed value, or
    /// a static member a finding's value goes into (`names`): its uses
    /// are reported, or decide the finding's level.
    Named,
}

/// The unparsed files (positions in `results`) the summaries need: those
/// declaring a class a parsed file asked about, and those naming one of
/// `names` (hashes of simple member names).
pub(crate) fn needed(
    files: &[RepoFile],
    results: &[(usize, FileResult)],
    names: &HashSet<u64>,
    max_file_size: u64,
) -> Vec<(usize, Pull)> {
    // A class `pkg.Outer.Inner` lives in `Outer.java`, and one resolved
    // through its package in a file of its name: any file of that name is
    // asked (a few too many at worst).
    let mut by_stem: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, (i, r)) in results.iter().enumerate() {
        if r.inert {
            let name = files[*i].rel.rsplit('/').next().unwrap_or(&files[*i].rel);
            let stem = name.strip_suffix(".java").unwrap_or(name);
            by_stem.entry(stem).or_default().push(at);
        }
    }
    let mut asked: HashSet<usize> = HashSet::new();
    for key in results.iter().flat_map(|(_, r)| &r.asks) {
        let class = key.strip_suffix("()").and_then(|k| k.rsplit_once('.'));
        let mut segments = class.map_or("", |(c, _)| c).split('.').rev();
        for simple in segments.by_ref().take(3) {
            asked.extend(by_stem.get(simple).into_iter().flatten());
        }
    }
    let mut out: Vec<(usize, Pull)> = results
        .par_iter()
        .enumerate()
        .filter(|(at, (_, r))| r.inert && !asked.contains(at))
        .filter(|(_, (i, _))| names_one_of(&files[*i], names, max_file_size))
        .map(|(at, _)| (at, Pull::Named))
        .collect();
    out.extend(asked.into_iter().map(|at| (at, Pull::Asked)));
    out.sort_unstable();
    out
}

/// Whether a Java file's text names one of `names`; unreadable now, it
/// names nothing (its result already says why).
pub(crate) fn names_one_of(f: &RepoFile, names: &HashSet<u64>, max_file_size: u64) -> bool {
    f.kind == FileKind::Java
        && !names.is_empty()
        && crate::read_text(f, max_file_size)
            .is_ok_and(|src| words(&src.text).any(|w| names.contains(&name_hash(w))))
}

/// What makes a Java file worth parsing for the rules themselves.
#[derive(Debug, Default)]
pub(crate) struct JavaTriggers {
    /// Identifiers (their [`name_hash`]): called methods' names, the types
    /// of static fields a rule names (`System` for `System.out`), created
    /// types.
    words: HashSet<u64>,
    /// Texts any use must contain: imported packages, searched strings.
    texts: Vec<String>,
    /// Searched strings, which may be written with escapes (`"\/etc"`).
    strings: Vec<String>,
    /// Whether a rule looks for address literals.
    addresses: bool,
}

impl JavaTriggers {
    /// The triggers of the enabled rules' Java matchers, and of the
    /// logging implementations a file may declare (`extension_points`).
    pub fn new(rules: &[Rule], extension_points: &HashSet<String>) -> JavaTriggers {
        let mut t = JavaTriggers::default();
        let simple = |name: &str| name_hash(name.rsplit('.').next().unwrap_or(name));
        for m in rules.iter().flat_map(|r| &r.matchers) {
            match m {
                Matcher::JavaCall(m) => {
                    for target in &m.targets {
                        let word = match target.strip_prefix("new ") {
                            Some(created) => simple(created.trim()),
                            None => match target.rsplit_once('.') {
                                // `System.out.println`: every use names
                                // `System`; `println` is everywhere.
                                Some((receiver, _))
                                    if super::matchers::type_part(receiver) != receiver =>
                                {
                                    simple(&super::matchers::type_part(receiver))
                                }
                                Some((_, method)) => name_hash(method),
                                None => name_hash(target),
                            },
                        };
                        t.words.insert(word);
                    }
                }
                Matcher::JavaFieldArgument(m) => {
                    for f in &m.fields {
                        t.words.insert(simple(&super::matchers::type_part(f)));
                    }
                }
                Matcher::JavaImport(m) => t.texts.extend(m.packages.iter().cloned()),
                Matcher::JavaString(m) => t.strings.extend(m.values.iter().cloned()),
                Matcher::IpLiteral(_) => t.addresses = true,
                _ => {}
            }
        }
        // A class extending `ch.qos.logback.core.AppenderBase` names its
        // package: in an import, fully qualified, or as its own package.
        t.texts.extend(
            extension_points
                .iter()
                .filter_map(|p| p.rsplit_once('.').map(|(package, _)| package.to_string())),
        );
        t.texts.sort_unstable();
        t.texts.dedup();
        t
    }

    /// Whether a rule may report something in `text`, or learn from it
    /// that the file declares logging code.
    pub fn hit(&self, text: &str) -> bool {
        if self.addresses && ip::may_hold_address(text) {
            return true;
        }
        if self
            .texts
            .iter()
            .chain(&self.strings)
            .any(|t| text.contains(t.as_str()))
        {
            return true;
        }
        if !self.strings.is_empty() && text.contains('\\') {
            let unescaped: String = text.chars().filter(|&c| c != '\\').collect();
            if self.strings.iter().any(|s| unescaped.contains(s.as_str())) {
                return true;
            }
        }
        // The project's own `Logger` or `Log` interface is logging code.
        let [interface, log, logger] = ["interface", "Log", "Logger"].map(name_hash);
        let (mut declares_interface, mut names_log) = (false, false);
        for h in words(text).map(name_hash) {
            if self.words.contains(&h) {
                return true;
            }
            declares_interface |= h == interface;
            names_log |= h == log || h == logger;
        }
        declares_interface && names_log
    }
}

/// The words of a text that could be Java identifiers: runs of letters,
/// digits, `_`, `$` and non-ASCII characters, in code, comments and
/// strings alike.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triggers() -> JavaTriggers {
        let pack = podready_rules::RulePack::builtin().expect("the built-in pack loads");
        let points: HashSet<String> = pack.logging_code.extension_points.iter().cloned().collect();
        JavaTriggers::new(&pack.rules, &points)
    }

    #[test]
    fn files_naming_what_the_rules_look_for_are_parsed() {
        let t = triggers();
        for text in [
            "class A { void f() { System.out.println(1); } }",
            "import static java.lang.System.out; class A {}",
            "class A { Object a = InetAddress.getLocalHost(); }",
            "import org.apache.log4j.Logger; class A {}",
            "class A { String h = \"10.20.30.40\"; }",
            "class A { String f = \"\\/etc\\/hostname\"; }",
            "class A extends ch.qos.logback.core.AppenderBase<E> {}",
            "public interface Logger { void info(String m); }",
            "class A { void f(Exception e) { e.printStackTrace(); } }",
        ] {
            assert!(t.hit(text), "{text}");
        }
    }

    #[test]
    fn files_naming_nothing_of_the_rules_are_not() {
        let t = triggers();
        for text in [
            "class A { int size() { return items.size(); } }",
            "class A { String v = \"1.2.3\"; StringBuilder b = new StringBuilder().append(v); }",
            "class A { private static final Logger LOG = LoggerFactory.getLogger(A.class); }",
            "interface Repository { Order find(long id); }",
        ] {
            assert!(!t.hit(text), "{text}");
        }
    }

    #[test]
    fn words_split_on_punctuation_only() {
        let w: Vec<&str> = words("a.b$c(d_1, é); // x").collect();
        assert_eq!(w, ["a", "b$c", "d_1", "é", "x"]);
    }
}
