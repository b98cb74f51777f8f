//! The result cache never changes a result: random sequences of edits,
//! additions, deletions and renames over copies of the fixtures, with the
//! analysis through a cache (kept across the steps, as between runs)
//! equal to the analysis without one, byte for byte, at every step. The
//! edits include the ones that change what the project's helpers hand
//! out, so the summaries, and the files reading them, change too.

use std::path::{Path, PathBuf};

use podready_analyzer::{analyze, analyze_cached, Options};
use podready_cache::ResultCache;
use podready_rules::RulePack;

mod cached;
mod common;

use cached::rendered;
use common::Rng;
use podready_testkit::copy_dir;

/// A number below `n` (0 when `n` is 0).
fn below(rng: &mut Rng, n: usize) -> usize {
    (rng.next() % n.max(1) as u64) as usize
}

/// Text swaps that change what a method hands out, how a value is used
/// or what is named, each way round.
const SWAPS: &[(&str, &str)] = &[
    ("getLocalHost()", "getLoopbackAddress()"),
    ("getHostAddress()", "toString()"),
    ("return ", "return null; // "),
    ("log.info(", "registry.put(\"k\", "),
    ("System.out.println(", "String.valueOf("),
    ("10.", "localhost."),
    ("8080", "8081"),
    // Which methods and classes something names: code nothing names never runs.
    ("placed(", "cancelled("),
    ("com.acme.net.Registrar", "com.acme.net.Registrars"),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// The repository's Java and configuration files, sorted.
fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "java" | "properties" | "yml" | "xml"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// One random change; says what it did.
fn change(root: &Path, rng: &mut Rng, step: usize) -> String {
    let all = files(root);
    if all.is_empty() {
        return "nothing left to change".into();
    }
    let file = &all[below(rng, all.len())];
    let rel = file.strip_prefix(root).unwrap().display().to_string();
    match below(rng, 10) {
        0..=4 => {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let (a, b) = SWAPS[below(rng, SWAPS.len())];
            let (from, to) = if below(rng, 2) == 0 { (a, b) } else { (b, a) };
            let edited = text.replacen(from, to, 1 + below(rng, 2));
            std::fs::write(file, edited).unwrap();
            format!("edit {rel}: {from} -> {to}")
        }
        5 => {
            std::fs::remove_file(file).unwrap();
            format!("delete {rel}")
        }
        6 => {
            // To another folder of the repository: another package, so
            // the project's types change.
            let dirs: Vec<&Path> = all.iter().filter_map(|f| f.parent()).collect();
            let dir = dirs[below(rng, dirs.len())];
            let name = file.file_name().unwrap();
            let to = dir.join(format!("Moved{step}{}", name.to_string_lossy()));
            std::fs::rename(file, &to).unwrap();
            format!(
                "rename {rel} -> {}",
                to.strip_prefix(root).unwrap().display()
            )
        }
        7 => {
            let to = file.with_file_name(format!(
                "Copy{step}{}",
                file.file_name().unwrap().to_string_lossy()
            ));
            std::fs::copy(file, &to).unwrap();
            format!("add a copy of {rel}")
        }
        8 => {
            let mut text = std::fs::read_to_string(file).unwrap_or_default();
            text.push_str("\n// an edit that changes nothing\n");
            std::fs::write(file, text).unwrap();
            format!("append a comment to {rel}")
        }
        _ => {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let cut = below(rng, text.len().max(1));
            let cut = (0..=cut)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            std::fs::write(file, &text[..cut]).unwrap();
            format!("truncate {rel} at byte {cut}")
        }
    }
}

#[test]
fn cached_results_equal_uncached_ones_through_random_changes() {
    let pack = RulePack::builtin().unwrap();
    let options = Options::from_pack(&pack);
    for seed in 1..=12u64 {
        let fixture = ["helpers", "legacy-order-service", "deployed-modules"][seed as usize % 3];
        let work = tempfile::tempdir().unwrap();
        let root = work.path().join("repo");
        copy_dir(&fixtures().join(fixture), &root);
        let cache_dir = work.path().join("cache");
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut history = Vec::new();
        for step in 0..8 {
            if step > 0 {
                history.push(change(&root, &mut rng, step));
            }
            let plain = analyze(&root, &pack, &options).unwrap();
            let cache = ResultCache::open(&cache_dir).unwrap();
            let through = analyze_cached(&root, &pack, &options, Some(&cache)).unwrap();
            cache.commit().unwrap();
            assert_eq!(
                rendered(&through),
                rendered(&plain),
                "seed {seed} ({fixture}), step {step}, after: {history:#?}"
            );
            // The second run of a step is served from the cache.
            if step == 0 {
                let again = ResultCache::open(&cache_dir).unwrap();
                let warm = analyze_cached(&root, &pack, &options, Some(&again)).unwrap();
                assert_eq!(rendered(&warm), rendered(&plain));
                let (hits, misses) = again.hits_and_misses();
                assert!(hits > 0 && misses == 0, "{hits} hits, {misses} misses");
            }
        }
    }
}
