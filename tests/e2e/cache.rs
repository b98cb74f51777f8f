//! The result cache from the command line: a run through it says what a
//! run without it says, whatever the cache holds — nothing, this run's
//! results, garbage, entries from another rule pack — and two runs may
//! share it at once.

use std::path::Path;
use std::process::{Command, Output};

use crate::gate::copy_fixture;
use crate::{git, podready, stderr, stdout};

/// `check --format json` through the cache in `cache`.
fn cached(repo: &Path, cache: &Path) -> Output {
    podready(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--cache-dir",
            cache.to_str().unwrap(),
        ],
        repo,
    )
}

fn uncached(repo: &Path) -> String {
    stdout(&podready(
        &["check", ".", "--format", "json", "--no-cache"],
        repo,
    ))
}

#[test]
fn a_second_run_says_the_same_from_the_cache() {
    let repo = copy_fixture("helpers");
    let cache = tempfile::tempdir().unwrap();
    let want = uncached(repo.path());
    let first = cached(repo.path(), cache.path());
    assert_eq!(stdout(&first), want);
    assert!(cache.path().join("results.sqlite3").is_file());
    let second = cached(repo.path(), cache.path());
    assert_eq!(stdout(&second), want);
    assert_eq!(second.status.code(), first.status.code());
    // Changing one helper changes what its callers are told, not only
    // the helper's own findings.
    let helper = repo
        .path()
        .join("src/main/java/com/acme/net/AddressUtils.java");
    let text = std::fs::read_to_string(&helper).unwrap();
    std::fs::write(
        &helper,
        text.replace("getNetworkInterfaces()", "getLoopbackAddress()"),
    )
    .unwrap();
    let after = uncached(repo.path());
    assert_ne!(after, want, "the edit changes the findings");
    assert_eq!(stdout(&cached(repo.path(), cache.path())), after);
}

#[test]
fn no_cache_reads_and_writes_none() {
    let repo = copy_fixture("helpers");
    let home = tempfile::tempdir().unwrap();
    // As a user runs it: no cache directory named, a home of its own.
    let check = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_podready"))
            .args(["check", ".", "--format", "json"])
            .args(extra)
            .current_dir(repo.path())
            .env_remove("PODREADY_CACHE_DIR")
            .env_remove("XDG_CACHE_HOME")
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    };
    check(&["--no-cache"]);
    assert!(!home.path().join(".cache").exists());
    // Without the flag, the user's cache directory is used.
    check(&[]);
    assert!(home
        .path()
        .join(".cache/podready/check/results.sqlite3")
        .is_file());
}

#[test]
fn garbage_or_a_cut_cache_is_rebuilt_and_changes_nothing() {
    let repo = copy_fixture("legacy-order-service");
    let cache = tempfile::tempdir().unwrap();
    let want = uncached(repo.path());
    let db = cache.path().join("results.sqlite3");
    std::fs::write(
        &db,
        "this is not a database, and it is long enough to have a header".repeat(100),
    )
    .unwrap();
    let out = cached(repo.path(), cache.path());
    assert_eq!(stdout(&out), want);
    assert!(
        stderr(&out).contains("was emptied: it was damaged"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&cached(repo.path(), cache.path())), want);
    // Cut in the middle, as by a full disk or a killed copy.
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    for _ in 0..2 {
        assert_eq!(stdout(&cached(repo.path(), cache.path())), want);
    }
}

#[test]
fn entries_of_another_rule_pack_are_not_used() {
    let repo = copy_fixture("legacy-order-service");
    let cache = tempfile::tempdir().unwrap();
    cached(repo.path(), cache.path());
    std::fs::write(
        repo.path().join("podready.toml"),
        "[rules.\"logging/stdout\"]\nseverity = \"error\"\n",
    )
    .unwrap();
    let want = uncached(repo.path());
    assert!(want.contains("\"severity\": \"error\""), "{want}");
    assert_eq!(stdout(&cached(repo.path(), cache.path())), want);
}

#[test]
fn two_runs_at_once_share_the_cache() {
    let repo = copy_fixture("helpers");
    let cache = tempfile::tempdir().unwrap();
    let want = uncached(repo.path());
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_podready"))
            .args(["check", ".", "--format", "json", "--cache-dir"])
            .arg(cache.path())
            .current_dir(repo.path())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let runs: Vec<_> = (0..3).map(|_| spawn()).collect();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        assert_eq!(stdout(&out), want, "{}", stderr(&out));
        assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    }
    assert_eq!(stdout(&cached(repo.path(), cache.path())), want);
}

#[test]
fn the_tracked_file_list_follows_the_git_index() {
    // A file committed under an ignored folder is read; the list of
    // tracked files is cached under the index's bytes, so committing a new
    // one changes what the next run reads.
    let repo = copy_fixture("clean-service");
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join(".gitignore"), "conf/\n").unwrap();
    let conf = repo.path().join("conf");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(conf.join("app.properties"), "db.host=10.1.2.3\n").unwrap();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["add", "-f", "conf/app.properties"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    std::fs::write(conf.join("extra.properties"), "mq.host=10.9.8.7\n").unwrap();
    let before = uncached(repo.path());
    assert!(
        before.contains("10.1.2.3") && !before.contains("10.9.8.7"),
        "{before}"
    );
    assert_eq!(stdout(&cached(repo.path(), cache.path())), before);
    assert_eq!(stdout(&cached(repo.path(), cache.path())), before);
    git(repo.path(), &["add", "-f", "conf/extra.properties"]);
    let after = uncached(repo.path());
    assert!(after.contains("10.9.8.7"), "{after}");
    assert_eq!(stdout(&cached(repo.path(), cache.path())), after);
}
