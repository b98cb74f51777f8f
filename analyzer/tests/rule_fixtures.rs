//! Each built-in rule against its own fixture, in process: exactly the
//! findings its markers expect (`fixtures/README.md`), all of that rule,
//! and one fixture per rule. `fixtures/rules/<category>/<name>/` is the
//! fixture of rule `<category>/<name>`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use podready_analyzer::{analyze, Options};
use podready_rules::RulePack;
use podready_testkit::oracle::{expected, mismatch, Expected};

fn rule_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/rules")
}

/// The findings of `check` on a fixture, as the oracle counts them.
fn reported(root: &Path) -> Expected {
    let mut pack = RulePack::builtin().unwrap();
    let config = root.join("podready.toml");
    if config.is_file() {
        pack.apply_file(&config).unwrap();
    }
    let analysis = analyze(root, &pack, &Options::from_pack(&pack)).unwrap();
    let mut out = Expected::new();
    for f in analysis.findings {
        *out.entry((f.path, f.line, f.rule)).or_default() += 1;
    }
    out
}

#[test]
fn every_rule_reports_exactly_its_fixture_markers() {
    let pack = RulePack::builtin().unwrap();
    let mut failures = Vec::new();
    for rule in &pack.rules {
        let root = rule_fixtures().join(&rule.id);
        if !root.is_dir() {
            failures.push(format!("{}: no fixture at {}", rule.id, root.display()));
            continue;
        }
        let want = expected(&root);
        let got = reported(&root);
        if want.is_empty() {
            failures.push(format!("{}: the fixture has no positive case", rule.id));
        }
        if let Some(((path, line, other), _)) = want.iter().find(|((_, _, r), _)| r != &rule.id) {
            failures.push(format!(
                "{}: {path}:{line} expects another rule, {other}",
                rule.id
            ));
        }
        if let Some(difference) = mismatch(&want, &got) {
            failures.push(format!("{}: {difference}", rule.id));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_is_a_rule() {
    let ids: BTreeSet<String> = RulePack::builtin()
        .unwrap()
        .rules
        .into_iter()
        .map(|r| r.id)
        .collect();
    for category in std::fs::read_dir(rule_fixtures()).unwrap() {
        let category = category.unwrap();
        for rule in std::fs::read_dir(category.path()).unwrap() {
            let id = format!(
                "{}/{}",
                category.file_name().to_string_lossy(),
                rule.unwrap().file_name().to_string_lossy()
            );
            assert!(ids.contains(&id), "fixtures/rules/{id} names no rule");
        }
    }
}
