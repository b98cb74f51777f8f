//! The state a run leaves for the next: a run with nothing changed reads
//! no file and looks up no per-file result; a changed file is analysed
//! again; and whatever changed — a file's content, its facts, a new file,
//! a `.gitignore` edited in place — the result is the one a run without
//! any cache gives.

use std::path::Path;
use std::time::Duration;

use podready_analyzer::{analyze, analyze_cached, Analysis, Options};
use podready_cache::ResultCache;
use podready_rules::RulePack;

/// Longer than the time within which a status is not trusted.
const PAST_RACY: Duration = Duration::from_millis(1_100);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn rendered(a: &Analysis) -> String {
    format!(
        "{}\n{}\n{} files, {} lines",
        serde_json::to_string_pretty(&a.findings).unwrap(),
        serde_json::to_string_pretty(&a.notes).unwrap(),
        a.files,
        a.lines
    )
}

/// One run through the cache in `dir`: what it says and how many
/// lookups (hits + misses) it made.
fn through(root: &Path, dir: &Path, pack: &RulePack, options: &Options) -> (String, usize) {
    let cache = ResultCache::open(dir).unwrap();
    let a = analyze_cached(root, pack, options, Some(&cache)).unwrap();
    cache.commit().unwrap();
    let (hits, misses) = cache.hits_and_misses();
    (rendered(&a), hits + misses)
}

#[test]
fn the_next_run_reuses_what_did_not_change_and_says_the_same() {
    let pack = RulePack::builtin().unwrap();
    let options = Options::from_pack(&pack);
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/helpers"),
        &root,
    );
    std::fs::write(root.join(".gitignore"), "*.log\n").unwrap();
    let cache = work.path().join("cache");
    let plain = || rendered(&analyze(&root, &pack, &options).unwrap());
    std::thread::sleep(PAST_RACY);

    let (first, lookups) = through(&root, &cache, &pack, &options);
    assert_eq!(first, plain());
    assert!(lookups > 10, "the first run looks up every file: {lookups}");

    // Nothing changed: the state alone.
    let (warm, lookups) = through(&root, &cache, &pack, &options);
    assert_eq!(warm, first);
    assert_eq!(lookups, 1, "only the run's state is looked up");

    // A comment appended: that file alone is analysed again (its first
    // pass and its rounds), the rest comes from the state.
    let caller = root.join("src/main/java/com/acme/other/Caller.java");
    let mut text = std::fs::read_to_string(&caller).unwrap();
    text.push_str("\n// an edit that changes nothing\n");
    std::fs::write(&caller, text).unwrap();
    let (edited, lookups) = through(&root, &cache, &pack, &options);
    assert_eq!(edited, plain());
    assert!(
        (2..=6).contains(&lookups),
        "the state and the edited file's rounds: {lookups}"
    );

    // A helper that no longer asks the machine: other files' findings go,
    // which the state cannot know; the run is done again.
    let helper = root.join("src/main/java/com/acme/net/AddressUtils.java");
    let text = std::fs::read_to_string(&helper).unwrap();
    std::fs::write(
        &helper,
        text.replace("getNetworkInterfaces()", "getLoopbackAddress()"),
    )
    .unwrap();
    let after = plain();
    assert_ne!(after, edited, "the edit changes the findings");
    assert_eq!(through(&root, &cache, &pack, &options).0, after);

    // A new file in a folder the walk listed.
    let added = root.join("src/main/java/com/acme/app/Added.java");
    std::fs::write(
        &added,
        "package com.acme.app;\n\nclass Added {\n    void run() {\n        System.out.println(\"added\");\n    }\n}\n",
    )
    .unwrap();
    let with_added = plain();
    assert!(with_added.contains("Added.java"));
    assert_eq!(through(&root, &cache, &pack, &options).0, with_added);

    // The .gitignore rewritten in place (its folder unchanged) to leave the
    // new file out, once every status is old enough to be trusted.
    std::thread::sleep(PAST_RACY);
    assert_eq!(through(&root, &cache, &pack, &options), (with_added, 1));
    std::fs::write(root.join(".gitignore"), "*.log\nAdded.java\n").unwrap();
    let ignored = plain();
    assert!(!ignored.contains("Added.java"));
    assert_eq!(through(&root, &cache, &pack, &options).0, ignored);
}
