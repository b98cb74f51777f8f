//! Complete outputs of each format, reviewed as snapshots, plus the
//! structural promises each consumer relies on.

use std::collections::HashSet;

use serde_json::Value;

use crate::{fixtures, podready, stdout};

fn run(fixture: &str, format: &str) -> String {
    let out = podready(
        &["check", ".", "--format", format],
        &fixtures().join(fixture),
    );
    assert_eq!(out.status.code(), Some(1), "{fixture} has findings");
    stdout(&out)
}

#[test]
fn text_format() {
    insta::assert_snapshot!(run("rules/host/local-address", "text"));
}

#[test]
fn text_format_has_no_colour_without_a_terminal() {
    assert!(!run("legacy-order-service", "text").contains('\x1b'));
}

#[test]
fn json_format_of_the_legacy_app() {
    insta::assert_snapshot!(run("legacy-order-service", "json"));
}

#[test]
fn sarif_format() {
    let text = run("rules/logging/stdout", "sarif");
    let mut v: Value = serde_json::from_str(&text).unwrap();
    let run0 = &mut v["runs"][0];
    assert!(run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .starts_with("file:///"));
    run0["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[root]/".into();
    assert_eq!(v["version"], "2.1.0");
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .clone();
    for r in v["runs"][0]["results"].as_array().unwrap() {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn gitlab_code_quality_format() {
    let text = run("rules/host/hardcoded-ip", "gitlab");
    let v: Value = serde_json::from_str(&text).unwrap();
    let issues = v.as_array().unwrap();
    let prints: HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    for i in issues {
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    insta::assert_snapshot!(text);
}

#[test]
fn explain_prints_the_rule_documentation() {
    let out = podready(&["explain", "host/local-address"], &fixtures());
    assert!(out.status.success());
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn rules_lists_the_pack_and_sdk_table() {
    let out = podready(&["rules", "--sdk"], &fixtures());
    assert!(out.status.success());
    insta::assert_snapshot!(stdout(&out));
}
