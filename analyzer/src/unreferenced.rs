//! Code nothing in the repository names never runs, in the modules of an
//! application the repository builds (a library's callers are elsewhere):
//! a finding in a class
//! that no other file names (and that nothing runs without naming it: no
//! annotation, no supertype, no `main()`), or in a method whose name
//! appears nowhere but its declaration, is at the rule's `never_runs`
//! level. Tests do not count: what only a test names does not run in a
//! pod. Pages, templates, Groovy and Kotlin sources, SQL and service
//! lists do: they may name a class or call a method.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use podready_rules::{Rule, Severity};
use rayon::prelude::*;

use crate::finding::Finding;
use crate::java::property_of;
use crate::walk::RepoFile;
use crate::FileResult;

/// What the repository's files say of a word: in how many places each
/// file holds it.
type Places = HashMap<usize, usize>;

/// Lowers the failing findings in code nothing names, in the files
/// `in_an_application` says. `results` pairs a file's index in `files`
/// with its result.
pub(crate) fn settle(
    results: &mut [(usize, FileResult)],
    files: &[RepoFile],
    rules: &HashMap<&str, &Rule>,
    in_an_application: &dyn Fn(&str) -> bool,
) {
    let never_runs = |f: &Finding| {
        rules
            .get(f.rule.as_str())
            .and_then(|r| r.never_runs)
            .filter(|level| f.severity > *level && f.owner.is_some() && in_an_application(&f.path))
    };
    let mut words: Vec<String> = results
        .iter()
        .flat_map(|(_, r)| &r.findings)
        .filter(|f| never_runs(f).is_some())
        .filter_map(|f| f.owner.as_ref())
        .flat_map(|o| {
            let class = o.class_runs_when_named.then(|| o.class.clone());
            let method = o
                .method
                .iter()
                .flat_map(|m| [Some(m.clone()), property_of(m)]);
            class.into_iter().chain(method.flatten())
        })
        // A name in another script may be written in another encoding.
        .filter(|w| w.is_ascii())
        .collect();
    words.sort_unstable();
    words.dedup();
    if words.is_empty() {
        return;
    }
    let places = places_of(&words, files);
    let seen = |word: &str| {
        words
            .binary_search_by(|w| w.as_str().cmp(word))
            .ok()
            .map(|i| &places[i])
    };
    for (here, r) in results.iter_mut() {
        let here = *here;
        for f in &mut r.findings {
            let (Some(level), Some(owner)) = (never_runs(f), f.owner.as_ref()) else {
                continue;
            };
            // Named in another file, or (a method) once more in its own.
            let used = |word: &str, again_here: bool| {
                seen(word).is_none_or(|p| {
                    p.iter()
                        .any(|(&file, &n)| file != here || (again_here && n > 1))
                })
            };
            let why = if owner.class_runs_when_named && !used(&owner.class, false) {
                format!(
                    "in {}, which no other file of the repository names: it never runs",
                    owner.class
                )
            } else if let Some(method) = owner.method.as_deref().filter(|m| {
                // An accessor is also reached through its property
                // (`${ipUtil.localIp}` in a template).
                !used(m, true) && property_of(m).is_none_or(|p| !used(&p, false))
            }) {
                format!(
                    "in {}.{method}(), which nothing in the repository calls: it never runs",
                    owner.class
                )
            } else {
                continue;
            };
            lower(f, level, &why);
        }
    }
}

fn lower(f: &mut Finding, level: Severity, why: &str) {
    f.severity = level;
    f.message.push_str(&format!("; {why}"));
}

/// The largest file searched for names, in bytes.
const MAX_SEARCHED: u64 = 16 << 20;

/// For each of `words` (sorted), the files outside the tests that hold
/// it as a whole word, and how many times.
fn places_of(words: &[String], files: &[RepoFile]) -> Vec<Places> {
    let Ok(searcher) = AhoCorasick::new(words) else {
        // Too many words to build a searcher for: everything counts as named.
        return vec![HashMap::from([(usize::MAX, 1)]); words.len()];
    };
    let found: Vec<(usize, Vec<usize>)> = files
        .par_iter()
        .enumerate()
        .filter(|(_, f)| !f.is_test)
        .filter_map(|(i, f)| {
            // A data dump names nothing that runs.
            let size = std::fs::metadata(&f.abs).ok()?.len();
            if size > MAX_SEARCHED {
                return None;
            }
            let bytes = std::fs::read(&f.abs).ok()?;
            let mut counts = vec![0; words.len()];
            for m in searcher.find_overlapping_iter(&bytes) {
                let glued = |b: Option<&u8>| b.is_some_and(|&b| is_identifier_byte(b));
                let before = m.start().checked_sub(1).and_then(|p| bytes.get(p));
                if !glued(before) && !glued(bytes.get(m.end())) {
                    counts[m.pattern().as_usize()] += 1;
                }
            }
            counts.iter().any(|&n| n > 0).then_some((i, counts))
        })
        .collect();
    let mut places = vec![Places::new(); words.len()];
    for (file, counts) in found {
        for (word, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
            places[word].insert(file, n);
        }
    }
    places
}

fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}
