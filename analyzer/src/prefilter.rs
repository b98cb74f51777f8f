//! Which Java files need a syntax tree. A file that contains none of the
//! words the rules look for (a called method's name, an import's package,
//! a searched string, something shaped like an address) can give no
//! finding of its own: it is read for its lines and suppressions only, and
//! parsed later only if the summaries need it (it names a member found to
//! hold a followed value, or declares a method a parsed file asked about).
//! The test reads the text as a lexer would (comments, literals, text
//! blocks) and errs on the side of parsing: a word counts anywhere, a
//! shape (`System.out`, an `extends` clause) only in code.

use std::collections::{HashMap, HashSet};

use podready_rules::matcher::Matcher;
use podready_rules::Rule;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::matchers::type_part;
use crate::summary::{name_hash, NamedMember};
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
/// `names`.
pub(crate) fn needed(
    files: &[RepoFile],
    results: &[(usize, FileResult)],
    names: &HashSet<NamedMember>,
    max_file_size: u64,
) -> Vec<(usize, Pull)> {
    // A class `pkg.Outer.Inner` lives in `pkg/Outer.java` under a `java/`
    // source root, or in a file of its name elsewhere: files outside such
    // roots are asked by name, and all files are when no path matches.
    let mut by_class: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_stem: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_stem_elsewhere: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, (i, _)) in results.iter().enumerate() {
        let rel = files[*i].rel.as_str();
        let Some(stem) = rel.rsplit('/').next().and_then(|n| n.strip_suffix(".java")) else {
            continue;
        };
        by_stem.entry(stem).or_default().push(at);
        match crate::source_root_class(rel) {
            Some(fqn) => by_class.entry(fqn).or_default().push(at),
            None => by_stem_elsewhere.entry(stem).or_default().push(at),
        }
    }
    let mut asked: HashSet<usize> = HashSet::new();
    for key in results.iter().flat_map(|(_, r)| &r.asks) {
        let Some((class, _)) = key.strip_suffix("()").and_then(|k| k.rsplit_once('.')) else {
            continue;
        };
        let mut outer = Some(class);
        let found = std::iter::from_fn(|| {
            let c = outer?;
            outer = c.rsplit_once('.').map(|(o, _)| o);
            Some(c)
        })
        .take(3)
        .find_map(|c| by_class.get(c));
        if let Some(ats) = found {
            asked.extend(ats);
        }
        let stems = if found.is_some() {
            &by_stem_elsewhere
        } else {
            &by_stem
        };
        for simple in class.rsplit('.').take(3) {
            asked.extend(stems.get(simple).into_iter().flatten());
        }
    }
    asked.retain(|&at| results[at].1.inert);
    let mut out: Vec<(usize, Pull)> = results
        .par_iter()
        .enumerate()
        .filter(|(at, (_, r))| r.inert && !asked.contains(at))
        .filter(|(_, (i, r))| names_one_of(&files[*i], r.words.as_ref(), names, max_file_size))
        .map(|(at, _)| (at, Pull::Named))
        .collect();
    out.extend(asked.into_iter().map(|at| (at, Pull::Asked)));
    out.sort_unstable();
    out
}

/// Whether a Java file's text names one of `names` (both its words);
/// unreadable now, it names nothing (its result already says why). The
/// words its first reading kept answer "no" without reading it again.
pub(crate) fn names_one_of(
    f: &RepoFile,
    words: Option<&WordFilter>,
    names: &HashSet<NamedMember>,
    max_file_size: u64,
) -> bool {
    let named = |holds: &dyn Fn(u64) -> bool| names.iter().any(|n| holds(n.name) && holds(n.class));
    f.kind == FileKind::Java
        && !names.is_empty()
        && words.is_none_or(|w| named(&|h| w.may_hold(h)))
        && crate::read_text(f, max_file_size).is_ok_and(|src| {
            let wanted: HashSet<u64> = names.iter().flat_map(|n| [n.name, n.class]).collect();
            let bytes = src.text.as_bytes();
            let held: HashSet<u64> = word_spans(bytes)
                .map(|(start, end)| name_hash_bytes(&bytes[start..end]))
                .filter(|h| wanted.contains(h))
                .collect();
            named(&|h| held.contains(&h))
        })
}

/// The words of a file left unparsed, as a Bloom filter of their
/// [`name_hash`]es: enough to rule out, without reading the file again,
/// that it names a member the summaries look for.
#[derive(Debug, Clone)]
pub(crate) struct WordFilter(Box<[u64]>);

impl WordFilter {
    /// Eight bits a distinct word and three probes: a name the file does
    /// not hold passes for one of its words about 3 % of the time (the
    /// file is then read to be sure).
    fn of(mut hashes: Vec<u64>) -> WordFilter {
        hashes.sort_unstable();
        hashes.dedup();
        let words = (hashes.len() * 8).div_ceil(64).max(1);
        let mut filter = WordFilter(vec![0; words].into_boxed_slice());
        for h in hashes {
            for bit in filter.probes(h) {
                filter.0[bit / 64] |= 1 << (bit % 64);
            }
        }
        filter
    }

    /// Whether the file may hold the word (a false yes about 3 % of the
    /// time, never a false no).
    pub(crate) fn may_name(&self, word: &str) -> bool {
        self.may_hold(name_hash(word))
    }

    fn may_hold(&self, hash: u64) -> bool {
        self.probes(hash)
            .into_iter()
            .all(|bit| self.0[bit / 64] & (1 << (bit % 64)) != 0)
    }

    fn probes(&self, hash: u64) -> [usize; 3] {
        let bits = (self.0.len() * 64) as u128;
        // FNV's low bits are weak: spread them, then map three rotations
        // of the result onto the bits (a multiply, not a power-of-two mask,
        // so the filter is as small as its words).
        let mixed = (hash ^ (hash >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        [0, 21, 42].map(|turn| ((u128::from(mixed.rotate_left(turn)) * bits) >> 64) as usize)
    }
}

/// What a Java file's text is to the rules.
#[derive(Debug)]
pub(crate) enum Triggered {
    /// A rule may report something in it, or learn that it declares
    /// logging code: it is parsed.
    Hit,
    /// Nothing of the rules: its words, for the summaries' later rounds.
    Inert(WordFilter),
}

/// What makes a Java file worth parsing for the rules themselves.
#[derive(Debug, Default)]
pub(crate) struct JavaTriggers {
    /// Identifiers (their [`name_hash`]): called methods' names and
    /// created types.
    words: HashSet<u64, Prehashed>,
    /// Static fields a rule names, as their type's and their own simple
    /// names (`System`, `out`): every use writes one after the other
    /// (`System.out`, `import static java.lang.System.out`), or imports
    /// all of the type's statics (`System.*`).
    fields: HashSet<(u64, u64), Prehashed>,
    field_types: HashSet<u64, Prehashed>,
    /// The simple names of the types a logging implementation extends or
    /// implements.
    extended: HashSet<u64, Prehashed>,
    /// The longest run of letters and digits of each searched string: a
    /// literal equal to it holds the run as written, escapes (`\\`) only
    /// around it. A pack searches few strings: each is looked for on its
    /// own, with `memchr`'s vectorised search.
    string_runs: Vec<memchr::memmem::Finder<'static>>,
    /// Whether a rule looks for address literals.
    addresses: bool,
}

/// Keys that are already hashes ([`name_hash`]).
type Prehashed = std::hash::BuildHasherDefault<PrehashedKey>;

#[derive(Default)]
struct PrehashedKey(u64);

impl std::hash::Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    /// A pair of hashes (`fields`) is their two halves' mix; one hash is
    /// itself.
    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(32) ^ n;
    }
}

impl JavaTriggers {
    /// The triggers of the enabled rules' Java matchers, and of the
    /// logging implementations a file may declare (`extension_points`).
    pub fn new(rules: &[Rule], extension_points: &HashSet<String>) -> JavaTriggers {
        let mut t = JavaTriggers::default();
        let simple = |name: &str| name_hash(name.rsplit('.').next().unwrap_or(name));
        let field = |t: &mut JavaTriggers, receiver: &str| {
            let ty = simple(&type_part(receiver));
            t.fields.insert((ty, simple(receiver)));
            t.field_types.insert(ty);
        };
        for m in rules.iter().flat_map(|r| &r.matchers) {
            match m {
                Matcher::JavaCall(m) => {
                    for target in &m.targets {
                        match target.strip_prefix("new ") {
                            Some(created) => {
                                t.words.insert(simple(created.trim()));
                            }
                            None => match target.rsplit_once('.') {
                                // `System.out.println`: `println` is
                                // everywhere, `System.out` is not.
                                Some((receiver, _)) if type_part(receiver) != receiver => {
                                    field(&mut t, receiver);
                                }
                                // A server's `start`, `create`, `listen`:
                                // everywhere; the server's class, which a
                                // file names to call it so, is not (the
                                // outermost, `Undertow` of
                                // `Undertow.Builder`).
                                Some((receiver, _)) if m.port_arg => {
                                    let class = receiver
                                        .split('.')
                                        .find(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
                                        .unwrap_or(receiver);
                                    t.words.insert(name_hash(class));
                                }
                                Some((_, method)) => {
                                    t.words.insert(name_hash(method));
                                }
                                None => {
                                    t.words.insert(name_hash(target));
                                }
                            },
                        }
                    }
                }
                Matcher::JavaFieldArgument(m) => {
                    for f in &m.fields {
                        field(&mut t, f);
                    }
                }
                // `org.apache.log4j`, however spaced or broken: `log4j`.
                Matcher::JavaImport(m) => t.words.extend(m.packages.iter().map(|p| simple(p))),
                Matcher::JavaString(m) => t.string_runs.extend(m.values.iter().map(|v| {
                    let run = v
                        .split(|c: char| !c.is_alphanumeric())
                        .max_by_key(|run| run.len())
                        .unwrap_or("");
                    memchr::memmem::Finder::new(run).into_owned()
                })),
                Matcher::IpLiteral(_) => t.addresses = true,
                _ => {}
            }
        }
        // A class extending `ch.qos.logback.core.AppenderBase` names it
        // in its `extends` or `implements` clause, imported or qualified.
        t.extended = extension_points.iter().map(|p| simple(p)).collect();
        t
    }

    /// Whether a rule may report something in `text`, or learn from it
    /// that the file declares logging code.
    pub fn triggered(&self, text: &str) -> Triggered {
        if self
            .string_runs
            .iter()
            .any(|run| run.find(text.as_bytes()).is_some())
        {
            return Triggered::Hit;
        }
        let [class, interface, log, logger, extends, implements] = [
            "class",
            "interface",
            "Log",
            "Logger",
            "extends",
            "implements",
        ]
        .map(name_hash);
        let bytes = text.as_bytes();
        // The code around a word decides the rest: a static field is
        // `Type.field` (or `Type.*` imported), a logging implementation
        // names an extension point in its `extends` or `implements`
        // clause, the project's own facade is `interface Logger`, its own
        // appender or logger `class …Appender extends …Appender`, `class
        // …Logger extends …Logger`, a dialect of it `class …Log extends
        // …Log`, `class …LogFactory extends …LogFactory`.
        let mut previous: Option<u64> = None;
        let mut in_clause = false;
        // Within the header of a class named `…Appender`, `…Logger`,
        // `…LogFactory` or `…Log`: which of them.
        let mut own: Option<&[u8]> = None;
        let mut seen = Vec::with_capacity(text.len() / 16);
        let found = scan(bytes, |event| match event {
            Event::Word {
                hash,
                word,
                code,
                gap,
            } => {
                seen.push(hash);
                if self.words.contains(&hash) {
                    return true;
                }
                if !code {
                    return false;
                }
                let joined = gap.dot && !gap.other && !gap.star;
                if joined && previous.is_some_and(|ty| self.fields.contains(&(ty, hash))) {
                    return true;
                }
                if gap.plain() && previous == Some(interface) && (hash == log || hash == logger) {
                    return true;
                }
                let supertype = hash == extends || hash == implements;
                in_clause = (in_clause && !gap.stop) || supertype;
                let named = [b"Appender".as_slice(), b"Logger", b"LogFactory", b"Log"]
                    .into_iter()
                    .find(|suffix| word.ends_with(suffix));
                if own.is_some() && !gap.stop && in_clause && !supertype && named == own {
                    return true;
                }
                own = match own {
                    Some(suffix) if !gap.stop => Some(suffix),
                    _ if gap.plain() && previous == Some(class) => named,
                    _ => None,
                };
                if in_clause && self.extended.contains(&hash) {
                    return true;
                }
                previous = Some(hash);
                false
            }
            Event::Star { gap } => {
                gap.dot && !gap.other && previous.is_some_and(|ty| self.field_types.contains(&ty))
            }
        });
        if found || (self.addresses && ip::may_hold_address(text)) {
            Triggered::Hit
        } else {
            Triggered::Inert(WordFilter::of(seen))
        }
    }
}

/// The code characters between two words of code: comments, strings and
/// spaces left out.
#[derive(Debug, Default, Clone, Copy)]
struct Gap {
    dot: bool,
    star: bool,
    /// `{` or `;`: the end of a declaration's header or of a statement.
    stop: bool,
    other: bool,
}

impl Gap {
    fn plain(&self) -> bool {
        !(self.dot || self.star || self.stop || self.other)
    }
}

enum Event<'t> {
    /// A word; `code` unless in a comment or a literal.
    Word {
        hash: u64,
        word: &'t [u8],
        code: bool,
        gap: Gap,
    },
    /// A `*` in code.
    Star { gap: Gap },
}

/// Walks a Java text's words (their [`name_hash`]) in order, knowing
/// comments, string and character literals and text blocks, until
/// `visit` says stop; returns whether it did.
fn scan(bytes: &[u8], mut visit: impl FnMut(Event) -> bool) -> bool {
    #[derive(PartialEq)]
    enum In {
        Code,
        Line,
        Block,
        Text(&'static [u8]),
    }
    let mut state = In::Code;
    let mut gap = Gap::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_word_byte(b) {
            let start = i;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            let code = state == In::Code;
            let word = &bytes[start..i];
            let hash = name_hash_bytes(word);
            if visit(Event::Word {
                hash,
                word,
                code,
                gap,
            }) {
                return true;
            }
            if code {
                gap = Gap::default();
            }
            continue;
        }
        let rest = &bytes[i..];
        match state {
            In::Code => {
                if rest.starts_with(b"//") || rest.starts_with(b"/*") {
                    state = if rest[1] == b'/' { In::Line } else { In::Block };
                    i += 2;
                    continue;
                } else if rest.starts_with(b"\"\"\"") {
                    state = In::Text(b"\"\"\"");
                    i += 3;
                    continue;
                } else {
                    match b {
                        b'"' => state = In::Text(b"\""),
                        b'\'' => state = In::Text(b"'"),
                        b'.' => gap.dot = true,
                        b'*' => {
                            if visit(Event::Star { gap }) {
                                return true;
                            }
                            gap.star = true;
                        }
                        b'{' | b';' => gap.stop = true,
                        // Java's white space, form feed included.
                        b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => {}
                        _ => gap.other = true,
                    }
                }
            }
            In::Line if b == b'\n' => state = In::Code,
            In::Block if rest.starts_with(b"*/") => {
                state = In::Code;
                i += 2;
                continue;
            }
            // `\"` does not end the literal; `\n` starts a word, as
            // [`word_spans`] splits it (the file's words are its words).
            In::Text(_) if b == b'\\' => {
                i += if bytes.get(i + 1).copied().is_some_and(is_word_byte) {
                    1
                } else {
                    2
                };
                continue;
            }
            In::Text(end) if rest.starts_with(end) => {
                state = In::Code;
                i += end.len();
                continue;
            }
            // An unterminated literal ends with its line.
            In::Text(end) if b == b'\n' && end.len() == 1 => state = In::Code,
            _ => {}
        }
        i += 1;
    }
    false
}

fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

/// Letters, digits, `_`, `$` and the bytes of non-ASCII characters, as a
/// table: the test runs on every byte of every Java file.
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
        b += 1;
    }
    table
};

/// Where the words that could be Java identifiers are: runs of letters,
/// digits, `_`, `$` and non-ASCII characters, in code, comments and
/// strings alike.
fn word_spans(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_word_byte(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && is_word_byte(bytes[i]) {
            i += 1;
        }
        (i > start).then_some((start, i))
    })
}

/// [`name_hash`] of a word's bytes.
fn name_hash_bytes(word: &[u8]) -> u64 {
    word.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
            "public class EagleEyeRollingFileAppender extends EagleEyeAppender {}",
            "public class OmsStdOutLogger extends AbstractOmsLogger {}",
            "public class ConsoleLog extends AbstractLog {}",
            "public class JdkLogFactory extends LogFactory {}",
            "import org.slf4j.Logger;\nclass Quiet implements Runnable, Logger {}",
            "class A<T> extends ch.qos.logback.core.AppenderBase<T> {}",
            "class A { Object l = org.apache.logging\n    .log4j.LogManager.getLogger(A.class); }",
            "import java.util. logging.Logger; class A {}",
            "class A { void f() { System\n // progress\n .out.println(1); } }",
            "class A extends // TODO: size; later\n AppenderBase<E> {}",
            "public interface /* the facade */ Logger {}",
            "public interface\x0cLogger {}",
            "class A { void f() { System\x0c.out.println(1); } }",
            "class A { String u = \"http://x\"; void f() { System.out.println(u); } }",
            "class A { void f(Exception e) { e.printStackTrace(); } }",
            "import static java.lang.System.*; class A { void f() { out.println(1); } }",
            "class A { java.io.PrintStream o = System\n    .err; }",
            "class A { Object o = new java.io.FileOutputStream(FileDescriptor.out); }",
            "import io.javalin.Javalin; class A { void f(Javalin app) { app.start(7000); } }",
            "class A { void f() throws Exception { com.sun.net.httpserver.HttpServer.create(null, 0); } }",
        ] {
            assert!(matches!(t.triggered(text), Triggered::Hit), "{text}");
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
            "class OrderAppender { void append(Order o) {} }",
            "class TraceHeaderAppender implements HandlerInterceptor {}",
            "class RequestLogger implements HandlerInterceptor {}",
            "class AuditLogger extends AuditAppender {}",
            "class OperLog extends BaseEntity {}",
            "class A { long t = System.currentTimeMillis(); String s = System.lineSeparator(); }",
            "import org.slf4j.Logger; class A implements Runnable { Logger log; public void run() {} }",
            "interface Repository { Logger log(); }",
            "class A { String s = \"System.currentTimeMillis()\"; /* System. */ int out; }",
            // A server's method names alone: every file starts, creates
            // and listens.
            "class A { void f(Job job) { job.start(); worker.listen(q); create(1); port(2); } }",
        ] {
            assert!(matches!(t.triggered(text), Triggered::Inert(_)), "{text}");
        }
    }

    #[test]
    fn an_unparsed_files_words_are_all_in_its_filter() {
        let t = triggers();
        let text = "class Orders { String s = \"\\nlineBreak\\tTabbed\\\"quoted\"; /* note */ int count$ = 1; char c = '\\u0041'; String b = \"\"\"\n  block\\nText\"\"\"; }";
        let Triggered::Inert(words) = t.triggered(text) else {
            panic!("nothing in {text} is a trigger");
        };
        let spans: Vec<&str> = word_spans(text.as_bytes())
            .map(|(start, end)| &text[start..end])
            .collect();
        assert!(spans.contains(&"nlineBreak") && spans.contains(&"u0041"));
        for word in spans {
            assert!(words.may_hold(name_hash(word)), "{word}");
        }
        let absent = ["getLocalHost", "ip", "hostName", "register", "OrderService"];
        assert!(absent.iter().any(|w| !words.may_hold(name_hash(w))));
    }

    #[test]
    fn words_split_on_punctuation_only() {
        let text = "a.b$c(d_1, é); // x";
        let w: Vec<&str> = word_spans(text.as_bytes())
            .map(|(start, end)| &text[start..end])
            .collect();
        assert_eq!(w, ["a", "b$c", "d_1", "é", "x"]);
    }
}
