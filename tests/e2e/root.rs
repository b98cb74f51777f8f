//! `podready check` pointed below the repository root, or run from inside
//! it: the root's configuration and test code, root-relative paths, and the
//! findings of a run at the root restricted to what was asked.

use std::path::Path;

use crate::gate::copy_fixture;
use crate::{git, podready, stderr, stdout};

type Found = Vec<(String, u64, String)>;

/// `(path, line, rule)` of each finding, and the exit code.
fn check(args: &[&str], cwd: &Path) -> (Found, i32) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = podready(&all, cwd);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("JSON output ({e}): {}{}", stdout(&out), stderr(&out)));
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (found, out.status.code().unwrap_or(-1))
}

fn under(found: &Found, dir: &str) -> Found {
    found
        .iter()
        .filter(|(path, _, _)| path.starts_with(dir))
        .cloned()
        .collect()
}

#[test]
fn a_module_reports_what_the_root_run_reports_under_it() {
    let repo = copy_fixture("multi-module");
    let (at_root, _) = check(&["."], repo.path());
    let want = under(&at_root, "order-core/");
    // The module's zookeeper version comes from the parent pom above it.
    assert!(
        want.contains(&(
            "order-core/pom.xml".into(),
            34,
            "sdk/container-ready".into()
        )),
        "{want:#?}"
    );
    // Named from the root, and run from inside the module with no argument.
    assert_eq!(check(&["order-core"], repo.path()), (want.clone(), 1));
    assert_eq!(check(&[], &repo.path().join("order-core")), (want, 1));
    assert_eq!(
        check(&["src/main/resources"], &repo.path().join("order-core")),
        (under(&at_root, "order-core/src/main/resources/"), 1)
    );
}

#[test]
fn a_single_file_gets_the_root_configuration_and_stays_test_code() {
    let repo = copy_fixture("multi-module");
    std::fs::write(
        repo.path().join("podready.toml"),
        "[rules.\"logging/stdout\"]\nenabled = false\n",
    )
    .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let core = repo.path().join("order-core/src");
    let main = core.join("main/java/com/acme/order/core/OrderFacadeImpl.java");
    // Line 21's System.out is off by the root's podready.toml.
    assert_eq!(
        check(&[main.to_str().unwrap()], elsewhere.path()),
        (
            vec![(
                "order-core/src/main/java/com/acme/order/core/OrderFacadeImpl.java".into(),
                18,
                "host/hardcoded-ip".into()
            )],
            1
        )
    );
    // Full of violations, but a test source: nothing to report.
    let test = core.join("test/java/com/acme/order/core/OrderFacadeImplTest.java");
    assert!(std::fs::read_to_string(&test)
        .unwrap()
        .contains("System.out"));
    assert_eq!(
        check(&[test.to_str().unwrap()], elsewhere.path()),
        (vec![], 0)
    );
}

#[test]
fn without_podready_toml_the_git_work_tree_is_the_root() {
    let repo = copy_fixture("multi-module");
    std::fs::remove_file(repo.path().join("podready.toml")).unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    let (at_root, _) = check(&["."], repo.path());
    assert_eq!(
        check(&[], &repo.path().join("order-web/src")),
        (under(&at_root, "order-web/src/"), 1)
    );
}

#[test]
fn a_baseline_below_the_root_is_written_and_read_with_root_paths() {
    let repo = copy_fixture("multi-module");
    let module = repo.path().join("order-core");
    let out = podready(&["check", "--write-baseline", "baseline.json"], &module);
    assert!(out.status.success(), "{}", stderr(&out));
    let baseline = std::fs::read_to_string(module.join("baseline.json")).unwrap();
    assert!(
        baseline.contains("\"order-core/src/main/resources/dubbo.properties\""),
        "{baseline}"
    );
    // The baseline holds the IPs of the findings; it is excluded as the
    // root sees it, so it is not scanned itself.
    assert_eq!(
        check(&["--baseline", "baseline.json"], &module),
        (vec![], 0)
    );
    // A baseline written at the root covers a run in the module.
    let out = podready(
        &["check", ".", "--write-baseline", "root-baseline.json"],
        repo.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        check(&["--baseline", "../root-baseline.json"], &module),
        (vec![], 0)
    );
}

#[test]
fn without_any_marker_the_path_itself_is_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("svc/src/main/java/com/acme");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("Boot.java"),
        "package com.acme;\nclass Boot {\n    void run() {\n        System.out.println(\"up\");\n    }\n}\n",
    )
    .unwrap();
    assert_eq!(
        check(&["svc"], dir.path()),
        (
            vec![(
                "src/main/java/com/acme/Boot.java".into(),
                4,
                "logging/stdout".into()
            )],
            1
        )
    );
}
