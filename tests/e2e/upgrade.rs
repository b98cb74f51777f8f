//! `podready upgrade` on real git repositories (libgit2 on both sides of
//! local paths and `file://` bare remotes) and real Maven builds.

use std::path::Path;
use std::process::{Command, Output};

use crate::{git, stderr, stdout};

const BOT_EMAIL: &str = "podready-bot@noreply.podready";

/// A repository with the fixture committed on `main` by a developer.
fn repo_of(fixture: &str, dir: &Path) -> std::path::PathBuf {
    crate::committed_fixture(fixture, &dir.join("repo"))
}

/// The clean service with Dubbo pinned back to 2.7.3, committed: a
/// repository with one upgrade to make.
fn outdated_service(dir: &Path) -> std::path::PathBuf {
    let repo = repo_of("clean-service", dir);
    std::fs::write(
        repo.join("pom.xml"),
        std::fs::read_to_string(repo.join("pom.xml"))
            .unwrap()
            .replace("2.7.23", "2.7.3"),
    )
    .unwrap();
    git(&repo, &["commit", "-q", "-am", "pin dubbo"]);
    repo
}

/// `podready upgrade` on the pom text only: these tests are about git,
/// branches and the merge request; the resolved classpath has its own.
fn upgrade(dir: &Path, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.push("--no-resolve");
    upgrade_resolving(dir, &all)
}

/// `podready upgrade` as users run it: the fix checks the resolved
/// classpath with Maven.
fn upgrade_resolving(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podready"))
        .arg("upgrade")
        .args(args)
        .env("HOME", dir)
        .env("PODREADY_CACHE", dir.join("cache"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn a_local_repository_gets_the_branch_and_keeps_its_working_tree() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo_of("legacy-order-service", dir.path());
    // A developer's uncommitted work in progress.
    std::fs::write(repo.join("NOTES.txt"), "work in progress\n").unwrap();
    let mr = dir.path().join("mr.md");
    let out = upgrade_resolving(
        dir.path(),
        &[
            repo.to_str().unwrap(),
            "--verify",
            "none",
            "--mr-file",
            mr.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(git(&repo, &["rev-parse", "--abbrev-ref", "HEAD"]), "main");
    assert_eq!(git(&repo, &["status", "--porcelain"]), "?? NOTES.txt");
    assert_eq!(
        git(&repo, &["branch", "--list", "podready/*"]),
        "podready/container-ready"
    );
    let log = git(
        &repo,
        &[
            "log",
            "--format=%an <%ae>|%s",
            "main..podready/container-ready",
        ],
    );
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(
        log.starts_with(&format!(
            "podready-bot <{BOT_EMAIL}>|podready: container-ready upgrade of repo"
        )),
        "{log}"
    );
    let changed = git(
        &repo,
        &["diff", "--name-only", "main", "podready/container-ready"],
    );
    // The pom, the deploy spec, and the log4j configuration migrated with
    // the backend (its web.xml listener removed).
    assert_eq!(
        changed,
        "deploy.yaml\npom.xml\nsrc/main/resources/log4j.properties\nsrc/main/resources/logback.xml\nsrc/main/webapp/WEB-INF/web.xml"
    );
    let text = std::fs::read_to_string(&mr).unwrap();
    assert_eq!(text, format!("{}\n", stdout(&out).trim_end()));
    for section in [
        "# podready: container-ready upgrade of repo",
        "| `com.alibaba:dubbo` | 2.5.3 → 2.6.12 (property `dubbo.version`) | `pom.xml:18` |",
        "### Findings fixed",
        "### Logging configuration",
        "- `src/main/resources/log4j.properties`: deleted",
        "### Resolved classpath",
        "removed `log4j:log4j:1.2.17`",
        "- `sdk/container-ready`: 3",
        "#### `host/hardcoded-ip`",
        "`deploy.yaml` was added",
        "Not verified: `--verify none`.",
        "### How to re-run",
        "<details><summary>deploy.yaml</summary>",
        "<details><summary>14 places</summary>",
    ] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
    // Each artifact's reason once, however many rows it has.
    assert_eq!(
        text.matches("| `org.apache.zookeeper:zookeeper` |").count(),
        2,
        "{text}"
    );
    assert_eq!(
        text.matches("- `org.apache.zookeeper:zookeeper`: ").count(),
        1,
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no terminal escapes");
    // Info findings (the data-fix tool's main(), an address only logged)
    // ask nothing of a person: they are notes, not in the count.
    let (left, notes) = text
        .split_once("### Notes")
        .expect("the info findings are notes");
    let notes = notes.split("### Deploy spec").next().unwrap();
    assert!(
        notes.contains(
            "`src/main/java/com/acme/order/tools/DataFixTool.java:29`: `System.out.printf(…)`"
        ),
        "{notes}"
    );
    assert!(!left.contains("DataFixTool.java:29"), "{left}");
    // Counted: the findings listed, and the dependencies fix left.
    let items = |section: &str| {
        left.split(section).nth(1).map_or(0, |rest| {
            rest.split("\n### ")
                .next()
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("- "))
                .count()
        })
    };
    let listed =
        items("### Findings left for a person") + items("### Dependencies left for a person");
    assert!(
        text.contains(&format!(" {listed} left for a person;")),
        "the count is the findings listed ({listed}):\n{text}"
    );
    // A re-run changes nothing: no second commit.
    let tip = git(&repo, &["rev-parse", "podready/container-ready"]);
    let again = upgrade_resolving(
        dir.path(),
        &[
            repo.to_str().unwrap(),
            "--verify",
            "none",
            "--mr-file",
            mr.to_str().unwrap(),
        ],
    );
    assert!(again.status.success());
    assert!(
        stderr(&again).contains("nothing new to commit"),
        "{}",
        stderr(&again)
    );
    assert_eq!(git(&repo, &["rev-parse", "podready/container-ready"]), tip);
    // No worktree or scratch branch is left behind.
    assert_eq!(git(&repo, &["worktree", "list"]).lines().count(), 1);
    assert_eq!(git(&repo, &["branch", "--list"]).lines().count(), 2);
}

#[test]
fn a_persons_commit_on_the_branch_stops_the_bot() {
    let dir = tempfile::tempdir().unwrap();
    let repo = outdated_service(dir.path());
    assert!(
        upgrade(dir.path(), &[repo.to_str().unwrap(), "--verify", "none"])
            .status
            .success()
    );
    // Someone builds on the bot's branch.
    git(&repo, &["checkout", "-q", "podready/container-ready"]);
    std::fs::write(repo.join("NOTES.md"), "reviewed\n").unwrap();
    git(&repo, &["add", "NOTES.md"]);
    git(&repo, &["commit", "-q", "-m", "review notes"]);
    git(&repo, &["checkout", "-q", "main"]);
    let tip = git(&repo, &["rev-parse", "podready/container-ready"]);
    let mr = dir.path().join("refused.md");
    let out = upgrade(
        dir.path(),
        &[
            repo.to_str().unwrap(),
            "--verify",
            "none",
            "--mr-file",
            mr.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    // The refusal goes to stderr, names the commit, and the file is written.
    let said = stderr(&out);
    assert!(
        said.contains("has a commit by Dev <dev@acme.test>") && said.contains("\"review notes\""),
        "{said}"
    );
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(std::fs::read_to_string(&mr)
        .unwrap()
        .contains("\"review notes\""));
    assert_eq!(git(&repo, &["rev-parse", "podready/container-ready"]), tip);
}

#[test]
fn the_bots_branch_follows_a_switched_base_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let repo = outdated_service(dir.path());
    // develop has a developer's commit that main does not.
    git(&repo, &["checkout", "-q", "-b", "develop"]);
    std::fs::write(repo.join("CHANGES.md"), "next release\n").unwrap();
    git(&repo, &["add", "CHANGES.md"]);
    git(
        &repo,
        &["commit", "-q", "-m", "changelog for the next release"],
    );
    git(&repo, &["checkout", "-q", "main"]);
    let path = repo.to_str().unwrap();
    for base in ["develop", "main", "develop"] {
        let out = upgrade(dir.path(), &[path, "--base", base, "--verify", "none"]);
        assert!(out.status.success(), "--base {base}: {}", stderr(&out));
        let parent = git(&repo, &["rev-parse", "podready/container-ready^"]);
        assert_eq!(parent, git(&repo, &["rev-parse", base]), "--base {base}");
        assert_eq!(
            git(
                &repo,
                &[
                    "rev-list",
                    "--count",
                    &format!("{base}..podready/container-ready")
                ]
            ),
            "1"
        );
    }
}

#[test]
fn a_clone_url_is_cached_fetched_and_pushed_to() {
    let dir = tempfile::tempdir().unwrap();
    let work = repo_of("multi-module", dir.path());
    let remote = dir.path().join("remote.git");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            work.to_str().unwrap(),
            remote.to_str().unwrap(),
        ],
    );
    let url = format!("file://{}", remote.display());
    let out = upgrade(dir.path(), &[&url, "--verify", "none"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pushed = git(
        &remote,
        &["log", "--format=%ae", "-1", "podready/container-ready"],
    );
    assert_eq!(pushed, BOT_EMAIL);
    // The default branch moves on; the bot's branch is rebuilt on it (only
    // its own commits are replaced).
    std::fs::write(work.join("CHANGELOG.md"), "1.1\n").unwrap();
    git(&work, &["add", "CHANGELOG.md"]);
    git(&work, &["commit", "-q", "-m", "changelog"]);
    git(&work, &["push", "-q", remote.to_str().unwrap(), "main"]);
    let out = upgrade(dir.path(), &[&url, "--verify", "none"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let base = git(&remote, &["rev-parse", "main"]);
    let parent = git(&remote, &["rev-parse", "podready/container-ready^"]);
    assert_eq!(parent, base);
    assert_eq!(
        git(
            &remote,
            &["rev-list", "--count", "main..podready/container-ready"]
        ),
        "1"
    );
}

#[test]
fn verification_runs_the_real_build() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo_of("maven-build", dir.path());
    let mr = dir.path().join("ok.md");
    let out = upgrade(
        dir.path(),
        &[repo.to_str().unwrap(), "--mr-file", mr.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = std::fs::read_to_string(&mr).unwrap();
    assert!(
        text.contains("`mvn -B -q -DskipTests package` on the upgraded tree: passed in"),
        "{text}"
    );
    assert!(text.contains("the build passes"));
    assert!(
        !text.contains("/worktrees/"),
        "paths in the log are the repository's:\n{text}"
    );
    // The build wrote target/ in the worktree (no .gitignore here): the
    // commit holds only the bot's edits.
    let committed = git(
        &repo,
        &["diff", "--name-only", "main", "podready/container-ready"],
    );
    assert!(!committed.contains("target/"), "{committed}");
    assert!(committed.lines().any(|l| l == "pom.xml"), "{committed}");

    let dir = tempfile::tempdir().unwrap();
    let repo = repo_of("maven-broken", dir.path());
    let mr = dir.path().join("broken.md");
    let out = upgrade(
        dir.path(),
        &[repo.to_str().unwrap(), "--mr-file", mr.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "a failing build fails the run");
    let text = std::fs::read_to_string(&mr).unwrap();
    assert!(
        text.starts_with("# podready: container-ready upgrade of repo [build failing]"),
        "{text}"
    );
    assert!(text.contains("**the build fails**"));
    assert!(text.contains("**failed**"), "{text}");
    assert!(
        text.contains("package org.apache.log4j.net does not exist"),
        "the compiler error is shown:\n{text}"
    );
    assert!(
        text.contains("The same command **passes on `main`**"),
        "the base was built and passes:\n{text}"
    );
    assert!(
        text.contains("[ERROR] src/main/java/") && !text.contains("/worktrees/"),
        "the compiler's paths are the repository's:\n{text}"
    );
    // The failing upgrade is still committed for a person to finish.
    assert_eq!(
        git(
            &repo,
            &["rev-list", "--count", "main..podready/container-ready"]
        ),
        "1"
    );
}

#[test]
fn a_base_that_already_fails_is_not_blamed_on_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo_of("maven-build", dir.path());
    // The default branch does not compile, upgrade or not.
    let source = repo.join("src/main/java/com/acme/inventory/StockEvents.java");
    let java = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, format!("{java}\nclass Broken {{ int x = ; }}\n")).unwrap();
    git(&repo, &["commit", "-q", "-am", "work in progress"]);
    let mr = dir.path().join("mr.md");
    let args = [repo.to_str().unwrap(), "--mr-file", mr.to_str().unwrap()];
    let out = upgrade(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the build fails on the base too"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&mr).unwrap();
    assert!(
        text.starts_with("# podready: container-ready upgrade of repo\n"),
        "no [build failing] in the title:\n{text}"
    );
    assert!(
        text.contains("the build fails, as it already does on the base"),
        "{text}"
    );
    assert!(
        text.contains("The same command **fails on `main` too**"),
        "{text}"
    );
    assert!(
        text.contains("Last lines of the build log on `main`"),
        "{text}"
    );
    let message = git(
        &repo,
        &["log", "-1", "--format=%s", "podready/container-ready"],
    );
    assert!(!message.contains("[build failing]"), "{message}");
    // Run again: the base's result is kept for its commit and command.
    let again = upgrade(dir.path(), &args);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let text = std::fs::read_to_string(&mr).unwrap();
    assert!(text.contains("result kept from an earlier run"), "{text}");
}

#[test]
fn errors_say_what_is_wrong_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo_of("clean-service", dir.path());
    let not_a_repo = dir.path().join("plain");
    std::fs::create_dir_all(&not_a_repo).unwrap();
    let missing = dir.path().join("missing");
    let cases: [(Vec<&str>, &str); 5] = [
        (
            vec![missing.to_str().unwrap()],
            "the path does not exist; give the directory of a git repository or a clone URL",
        ),
        (
            vec![not_a_repo.to_str().unwrap()],
            "is not a git repository",
        ),
        (
            vec![repo.to_str().unwrap(), "--base", "nosuch"],
            "no branch `nosuch` in",
        ),
        // A port nothing listens on, on this machine.
        (
            vec!["http://127.0.0.1:9/pay/order.git"],
            "check the URL, the network, and that the remote is up",
        ),
        (
            vec!["file:///nowhere/missing.git"],
            "there is no repository there",
        ),
    ];
    for (args, expected) in cases {
        let mut all = args.clone();
        all.extend(["--verify", "none"]);
        let out = upgrade(dir.path(), &all);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {said}");
        assert!(said.contains(expected), "{args:?}: {said}");
        assert_eq!(said.lines().count(), 1, "{args:?}: one line: {said}");
        assert!(
            !said.contains("class=") && !said.contains("code="),
            "{said}"
        );
    }
    let said = stderr(&upgrade(
        dir.path(),
        &[repo.to_str().unwrap(), "--base", "nosuch"],
    ));
    assert!(
        said.contains("its branches are main; pass one with --base"),
        "{said}"
    );
}

#[test]
fn a_gate_failing_on_info_lists_info_findings_for_a_person() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo_of("legacy-order-service", dir.path());
    let toml = repo.join("podready.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("\n[check]\nfail_on = \"info\"\n");
    std::fs::write(&toml, text).unwrap();
    git(&repo, &["commit", "-q", "-am", "fail on info"]);
    let mr = dir.path().join("mr.md");
    let out = upgrade(
        dir.path(),
        &[
            repo.to_str().unwrap(),
            "--verify",
            "none",
            "--mr-file",
            mr.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&mr).unwrap();
    // The data-fix tool's console output fails this gate: it is work.
    assert!(!text.contains("### Notes"), "{text}");
    let left = text.split("### Findings left for a person").nth(1).unwrap();
    assert!(
        left.contains("`src/main/java/com/acme/order/tools/DataFixTool.java:29`"),
        "{left}"
    );
}
