//! The gate's behaviour in CI: exit codes, configuration, baselines and
//! bad input.

use std::path::Path;

use crate::{fixtures, podready, stderr, stdout};

use podready_testkit::copy_dir;

pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join(name), dir.path());
    dir
}

fn json_count(repo: &Path, extra: &[&str]) -> (usize, i32) {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let out = podready(&args, repo);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    (
        v["findings"].as_array().unwrap().len(),
        out.status.code().unwrap(),
    )
}

#[test]
fn baseline_survives_line_shifts_and_catches_new_findings() {
    let repo = copy_fixture("legacy-order-service");
    let before = json_count(repo.path(), &[]).0;
    assert!(before > 10);
    let out = podready(
        &["check", ".", "--write-baseline", "baseline.json"],
        repo.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        json_count(repo.path(), &["--baseline", "baseline.json"]),
        (0, 0)
    );

    // Unrelated edits move every line of a file down.
    let file = repo
        .path()
        .join("src/main/java/com/acme/order/web/StartupListener.java");
    let text = std::fs::read_to_string(&file).unwrap();
    let shifted = text.replacen("package ", "// a new header line\n\n\npackage ", 1);
    std::fs::write(&file, &shifted).unwrap();
    assert_eq!(
        json_count(repo.path(), &["--baseline", "baseline.json"]),
        (0, 0)
    );

    // A new problem is reported, and only it.
    let added = shifted.replacen(
        "package com.acme.order.web;",
        "package com.acme.order.web;\n@Component class Extra { @Scheduled(fixedRate = 1000) void m() { System.out.println(\"new\"); } }",
        1,
    );
    std::fs::write(&file, added).unwrap();
    let out = podready(&["check", ".", "--baseline", "baseline.json"], repo.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("Found 1 problem (1 warning)"), "{text}");
    assert!(text.contains("more in the baseline"), "{text}");
}

#[test]
fn fail_on_decides_the_exit_code() {
    let repo = fixtures().join("rules/logging/stdout");
    assert_eq!(json_count(&repo, &[]).1, 1);
    // logging/stdout is a warning: failing on errors only lets it pass.
    assert_eq!(json_count(&repo, &["--fail-on", "error"]).1, 0);
}

#[test]
fn repository_config_disables_and_reconfigures_rules() {
    let repo = copy_fixture("rules/deploy/port");
    assert!(json_count(repo.path(), &[]).0 > 0);
    std::fs::write(
        repo.path().join("podready.toml"),
        "[rules.\"deploy/port\"]\nenabled = false\n",
    )
    .unwrap();
    assert_eq!(json_count(repo.path(), &[]), (0, 0));
    assert!(json_count(repo.path(), &["--no-config"]).0 > 0);
    std::fs::write(
        repo.path().join("podready.toml"),
        "[standard]\nhttp_port = 8081\n",
    )
    .unwrap();
    let out = podready(&["check", ".", "--format", "json"], repo.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(messages.iter().all(|m| !m.contains("8081")), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("port 8080")),
        "{messages:?}"
    );
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let repo = fixtures().join("clean-service");
    let out = podready(&["check", "no/such/dir"], &repo);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no/such/dir: no such file or directory (give the path of a repository to scan)\n"
    );

    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[[rule]]\nid = \"host/x\"\nseverity = \"loud\"\n").unwrap();
    let out = podready(&["check", ".", "--rules", rules.to_str().unwrap()], &repo);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("rules.toml:3:12: in rule `host/x`: unknown variant `loud`"),
        "{err}"
    );

    std::fs::write(
        dir.path().join("b.json"),
        "{\"version\": 1, \"entries\": [}",
    )
    .unwrap();
    let b = dir.path().join("b.json");
    let out = podready(&["check", ".", "--baseline", b.to_str().unwrap()], &repo);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not valid: line 1, column"),
        "{}",
        stderr(&out)
    );

    let out = podready(&["explain", "host/nope"], &repo);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(
        "error: no rule `host/nope`; the rules are: deploy/background-start, deploy/port"
    ));
}

#[test]
fn a_single_file_can_be_checked() {
    let file = fixtures().join("legacy-order-service/src/main/resources/application.properties");
    let out = podready(
        &["check", file.to_str().unwrap(), "--format", "json"],
        &fixtures(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let paths = crate::finding_paths(&v);
    assert!(!paths.is_empty());
    // Relative to the repository's root, as in a run at the root.
    assert!(
        paths
            .iter()
            .all(|p| *p == "src/main/resources/application.properties"),
        "{paths:?}"
    );
}

#[test]
fn a_file_over_the_size_cap_fails_the_gate_with_a_finding_of_its_own() {
    let repo = copy_fixture("clean-service");
    let rel = "src/main/resources/i18n/messages_zh.properties";
    let big = repo.path().join(rel);
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    let line = "order.status.title=Order status in the settlement report\n";
    std::fs::write(&big, line.repeat(3 * 1024 * 1024 / line.len())).unwrap();
    let size = std::fs::metadata(&big).unwrap().len();

    let out = podready(&["check", ".", "--format", "json"], repo.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(
        (
            &f["rule"],
            &f["severity"],
            &f["path"],
            &f["line"],
            &f["column"]
        ),
        (
            &"podready/unanalysed-file".into(),
            &"error".into(),
            &rel.into(),
            &1.into(),
            &1.into()
        )
    );
    assert_eq!(
        f["message"],
        format!("not analysed: {size} bytes, over the 2097152-byte limit (raise it with `[check] max_file_size` in podready.toml)")
    );
    // The note stays, for whoever reads the JSON.
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["path"] == rel && n["kind"] == "too-large"));

    // Its severity is configurable like any rule's ...
    std::fs::write(
        repo.path().join("podready.toml"),
        "[rules.\"podready/unanalysed-file\"]\nseverity = \"info\"\n",
    )
    .unwrap();
    assert_eq!(json_count(repo.path(), &[]), (1, 0));
    // ... and with a higher cap the file is read (and is clean).
    std::fs::write(
        repo.path().join("podready.toml"),
        "[check]\nmax_file_size = 4194304\n",
    )
    .unwrap();
    assert_eq!(json_count(repo.path(), &[]), (0, 0));
}

#[test]
fn generated_code_over_the_size_cap_is_info_with_its_marker() {
    let repo = copy_fixture("clean-service");
    let rel = "src/main/java/com/acme/sql/SqlParser.java";
    let big = repo.path().join(rel);
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    let mut text = String::from(
        "// Generated from SqlParser.g4 by ANTLR 4.13.1\npackage com.acme.sql;\nclass SqlParser {\n",
    );
    let rule = "    static final int[] T = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};\n";
    text.push_str(&rule.repeat(3 * 1024 * 1024 / rule.len()));
    text.push_str("}\n");
    std::fs::write(&big, text).unwrap();

    let (count, code) = json_count(repo.path(), &[]);
    assert_eq!((count, code), (1, 0), "an info finding; the gate passes");
    let out = podready(&["check", ".", "--format", "json"], repo.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "podready/unanalysed-file");
    assert_eq!(f["severity"], "info");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .ends_with("; generated code (`Generated from SqlParser.g4 by ANTLR 4.13.1`)"));
}

#[test]
fn a_third_partys_release_copy_over_the_size_cap_is_info() {
    let repo = copy_fixture("clean-service");
    let folder = "src/main/resources/static/lib/iconfont-5.11.2";
    let data = repo.path().join(folder).join("metadata/icons.json");
    std::fs::create_dir_all(data.parent().unwrap()).unwrap();
    let icon = "{\"name\": \"cart\", \"unicode\": \"f07a\"},\n";
    let mut text = String::from("[\n");
    text.push_str(&icon.repeat(3 * 1024 * 1024 / icon.len()));
    text.push_str("{}]\n");
    std::fs::write(&data, &text).unwrap();
    let out = podready(&["check", ".", "--format", "json"], repo.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "podready/unanalysed-file");
    assert_eq!(f["severity"], "info");
    assert!(f["message"].as_str().unwrap().ends_with(&format!(
        "; in {folder}, a copy of a third party's release (named for its version): nothing in it is the team's to fix"
    )));
    assert_eq!(out.status.code(), Some(0), "the gate passes");
    // A module of the repository named for a version is the team's.
    std::fs::write(repo.path().join(folder).join("pom.xml"), "<project/>").unwrap();
    let out = podready(&["check", ".", "--format", "json"], repo.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let big = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["rule"] == "podready/unanalysed-file"
                && f["path"].as_str().unwrap().ends_with("icons.json")
        })
        .expect("the file is still reported");
    assert_eq!(big["severity"], "error");
}

#[test]
fn a_source_whose_lines_end_with_a_carriage_return_alone_is_read_line_by_line() {
    // As classic Mac OS editors wrote: a `//` comment ends at the first
    // carriage return, not at the end of the file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("podready.toml"), "").unwrap();
    let src = dir.path().join("src/main/java/com/acme");
    std::fs::create_dir_all(&src).unwrap();
    let text = "// Where orders are sent.\rpackage com.acme;\r\rclass OrderSink {\r    static final String HOST = \"10.20.30.40\";\r}\r";
    std::fs::write(src.join("OrderSink.java"), text).unwrap();
    let out = podready(&["check", ".", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(&str, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(found, [("host/hardcoded-ip", 5)], "{}", stderr(&out));
    assert_eq!(v["notes"], serde_json::json!([]), "no syntax error");
}

#[test]
fn a_suppression_of_no_rule_is_said_with_the_closest_id() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src/main/java/com/acme");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(dir.path().join("podready.toml"), "").unwrap();
    std::fs::write(
        src.join("Boot.java"),
        "package com.acme;\nclass Boot {\n    void run() {\n        System.out.println(\"up\"); // podready:ignore[logging/stdot] startup banner\n    }\n}\n",
    )
    .unwrap();
    let out = podready(&["check", "."], dir.path());
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the typo suppresses nothing: {text}"
    );
    assert!(
        text.contains("src/main/java/com/acme/Boot.java: line 4: `podready:ignore[logging/stdot]` names no rule, so it suppresses nothing; did you mean `logging/stdout`?"),
        "{text}"
    );
}

#[test]
fn a_library_named_as_bringing_logging_configuration_keeps_the_default_off() {
    let repo = copy_fixture("spring-default-logging");
    let notify = repo.path().join("notify-app/pom.xml");
    let pom = std::fs::read_to_string(&notify).unwrap();
    let starter = "<dependency>\n      <groupId>com.acme.platform</groupId>\n      <artifactId>acme-boot-starter</artifactId>\n      <version>2.1.0</version>\n    </dependency>\n  </dependencies>";
    std::fs::write(&notify, pom.replacen("</dependencies>", starter, 1)).unwrap();
    // Without the setting, the company's starter is just another library.
    assert_eq!(json_count(repo.path(), &[]), (1, 1));
    let config = repo.path().join("podready.toml");
    std::fs::write(
        &config,
        "[check]\nlogging_libraries = [\"com.acme.platform:acme-boot-starter\"]\n",
    )
    .unwrap();
    assert_eq!(json_count(repo.path(), &[]), (0, 0));
    std::fs::write(
        &config,
        "[check]\nlogging_libraries = [\"acme-boot-starter\"]\n",
    )
    .unwrap();
    let out = podready(&["check", "."], repo.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "field `check.logging_libraries`: `acme-boot-starter` is not `groupId:artifactId`"
        ),
        "{}",
        stderr(&out)
    );
}
