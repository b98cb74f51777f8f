//! `podready fix` on the pom fixtures: the exact diffs (snapshots), bytes
//! outside the edits untouched, idempotence, and a real Maven build of the
//! fixed project.

use std::path::Path;
use std::process::Command;

use crate::gate::copy_fixture;
use crate::{fixtures, podready, stdout};

const POM_CASES: [&str; 9] = [
    "literal",
    "boot-starters",
    "child-override",
    "bom-crlf",
    "property-in-parent",
    "remote-parent",
    "shared-property",
    "version-range",
    "malformed",
];

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(read_all(&p));
        } else {
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            out.push((rel, std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn dry_run_diffs_and_summaries() {
    for case in POM_CASES {
        let repo = fixtures().join("poms").join(case);
        let before = read_all(&repo);
        let out = podready(&["fix", ".", "--dry-run", "--no-resolve"], &repo);
        assert_eq!(read_all(&repo), before, "{case}: --dry-run wrote");
        let needs_person = [
            "bom-crlf",
            "remote-parent",
            "shared-property",
            "version-range",
            "malformed",
        ];
        // Changes pending fail a dry run, as ruff's --diff does.
        let pending = stdout(&out).contains("Dry run: nothing was written");
        let code = if needs_person.contains(&case) || pending {
            1
        } else {
            0
        };
        assert_eq!(out.status.code(), Some(code), "{case}: {}", stdout(&out));
        insta::assert_snapshot!(format!("fix_{case}"), stdout(&out));
    }
}

#[test]
fn fix_writes_in_place_keeps_the_format_and_is_idempotent() {
    for case in POM_CASES {
        let repo = copy_fixture(&format!("poms/{case}"));
        let dry = stdout(&podready(
            &["fix", ".", "--dry-run", "--no-resolve"],
            repo.path(),
        ));
        let applied = podready(&["fix", ".", "--no-resolve"], repo.path());
        // The same diff is printed; only the last line differs.
        let diff_of = |s: &str| s.split("\n\n").next().unwrap_or("").to_string();
        assert_eq!(diff_of(&dry), diff_of(&stdout(&applied)), "{case}");
        let once = read_all(repo.path());
        let again = podready(&["fix", ".", "--no-resolve"], repo.path());
        assert_eq!(
            read_all(repo.path()),
            once,
            "{case}: the second run changed files"
        );
        assert!(
            !stdout(&again).contains("Changed"),
            "{case}: {}",
            stdout(&again)
        );
    }
}

#[test]
fn crlf_and_byte_order_mark_survive() {
    let repo = copy_fixture("poms/bom-crlf");
    podready(&["fix", ".", "--no-resolve"], repo.path());
    let bytes = std::fs::read(repo.path().join("pom.xml")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF<?xml"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("<dubbo-bom.version>2.7.23</dubbo-bom.version>\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
}

#[test]
fn a_malformed_pom_is_left_byte_for_byte() {
    let repo = copy_fixture("poms/malformed");
    let bad = std::fs::read(repo.path().join("bad/pom.xml")).unwrap();
    let out = podready(&["fix", "."], repo.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(repo.path().join("bad/pom.xml")).unwrap(), bad);
    let good = std::fs::read_to_string(repo.path().join("good/pom.xml")).unwrap();
    assert!(good.contains("<version>2.6.12</version>"));
    assert!(stdout(&out).contains("bad/pom.xml: not changed, line 10:"));
}

#[test]
fn json_summary_for_the_bot() {
    let out = podready(
        &["fix", ".", "--dry-run", "--no-resolve", "--format", "json"],
        &fixtures().join("poms/shared-property"),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["changes"][0]["change"], "upgrade");
    assert_eq!(v["changes"][0]["via"]["name"], "zk.version");
    assert_eq!(v["manual"][0]["artifact"], "com.alibaba:dubbo");
    assert!(v["diff"]
        .as_str()
        .unwrap()
        .contains("+    <zk.version>3.4.14</zk.version>"));
}

/// The fixed project builds against Maven Central: the target versions and
/// the log4j replacement resolve and compile.
#[test]
fn the_fixed_project_builds_with_maven() {
    let repo = copy_fixture("maven-build");
    let out = podready(&["fix", "."], repo.path());
    assert!(out.status.success(), "{}", stdout(&out));
    let pom = std::fs::read_to_string(repo.path().join("pom.xml")).unwrap();
    assert!(pom.contains("<zookeeper.version>3.4.14</zookeeper.version>"));
    assert!(pom.contains("<artifactId>log4j-over-slf4j</artifactId>"));
    assert!(!pom.contains("<artifactId>log4j</artifactId>\n            <version>"));
    let check = podready(&["check", ".", "--format", "json"], repo.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&check)).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| { f["rule"] != "sdk/container-ready" && f["rule"] != "logging/backend" }),
        "{v}"
    );
    let mvn = Command::new("mvn")
        .args(["-B", "-q", "-DskipTests", "package"])
        .current_dir(repo.path())
        .output()
        .expect("Maven (mvn) is installed; scripts/test.sh installs it");
    assert!(
        mvn.status.success(),
        "mvn package failed:\n{}\n{}",
        String::from_utf8_lossy(&mvn.stdout),
        String::from_utf8_lossy(&mvn.stderr)
    );
    assert!(repo
        .path()
        .join("target/inventory-sync-1.3.0.jar")
        .is_file());
}
