//! Compiling a matcher is validating it: each kind's wrong fields are
//! errors naming the rules file, the rule's line, the rule and the field.

use std::path::Path;

use podready_analyzer::check_pack;
use podready_rules::RulePack;

/// A rules file with one rule `id` whose only matcher is `matcher`, its id
/// on line 2.
fn rule(id: &str, matcher: &str) -> String {
    format!(
        "[[rule]]\nid = \"{id}\"\nseverity = \"error\"\nmessage = \"m {{detail}}\"\nremediation = \"r\"\ndoc = {{ what = \"w\", why = \"y\", instead = \"i\" }}\nmatcher = [{matcher}]\n"
    )
}

/// The error of loading and compiling a rules file layered on the pack.
fn error_of(text: &str) -> String {
    let mut pack = RulePack::builtin().unwrap();
    pack.apply_text(Path::new("rules.toml"), text).unwrap();
    check_pack(&pack).unwrap_err().to_string()
}

fn assert_names(e: &str, rule: &str, field: &str, says: &str) {
    assert!(e.starts_with("rules.toml:2:"), "{e}");
    assert!(
        e.contains(&format!("rule `{rule}`, field `{field}`")),
        "{e}"
    );
    assert!(e.contains(says), "{e}");
    assert!(!e.contains('\n'), "one line: {e}");
}

#[test]
fn the_built_in_pack_compiles() {
    // An analysis compiles the enabled rules: all of them, here.
    let mut pack = RulePack::builtin().unwrap();
    for rule in &mut pack.rules {
        rule.enabled = true;
    }
    let empty = tempfile::tempdir().unwrap();
    let options = podready_analyzer::Options::from_pack(&pack);
    podready_analyzer::analyze(empty.path(), &pack, &options).unwrap();
}

#[test]
fn a_bad_regex_names_its_field() {
    let e = error_of(&rule(
        "host/x",
        r#"{ kind = "java-call", targets = ["a.B.c"], first_arg_text = "(" }"#,
    ));
    assert_names(&e, "host/x", "first_arg_text", "regex");
    let e = error_of(&rule(
        "host/x",
        r#"{ kind = "java-call", targets = ["a.B.c"], derived = ["get"], derived_first_arg_text = "[" }"#,
    ));
    assert_names(&e, "host/x", "derived_first_arg_text", "regex");
    let e = error_of(&rule(
        "host/x",
        r#"{ kind = "java-call", targets = ["a.B.c"], derived_first_arg_text = "x" }"#,
    ));
    assert_names(&e, "host/x", "derived_first_arg_text", "`derived` is empty");
}

#[test]
fn call_targets_have_a_shape() {
    for target in ["c", "a..c", "a.*.c", "new ", "new a.*", "new *.Type"] {
        let e = error_of(&rule(
            "host/x",
            &format!(r#"{{ kind = "java-call", targets = ["{target}"] }}"#),
        ));
        assert_names(&e, "host/x", "targets", "is not `pkg.Type.method`");
    }
    let e = error_of(&rule("host/x", r#"{ kind = "java-call", targets = [] }"#));
    assert_names(&e, "host/x", "targets", "empty list");
}

#[test]
fn lists_a_matcher_needs_are_not_empty() {
    for (matcher, field) in [
        (r#"{ kind = "java-import", packages = [] }"#, "packages"),
        (r#"{ kind = "java-string", values = [] }"#, "values"),
        (r#"{ kind = "java-field-argument", fields = [] }"#, "fields"),
        (r#"{ kind = "file-name", globs = [] }"#, "globs"),
        (r#"{ kind = "xml-root", roots = [] }"#, "roots"),
        (r#"{ kind = "listen-port", keys = [] }"#, "keys"),
        (
            r#"{ kind = "config-value", keys = [], values = ["x"] }"#,
            "keys",
        ),
        (
            r#"{ kind = "config-value", keys = ["a.b"], values = [] }"#,
            "values",
        ),
    ] {
        let e = error_of(&rule("logging/x", matcher));
        assert_names(&e, "logging/x", field, "empty list");
    }
}

#[test]
fn each_kind_checks_its_values() {
    let e = error_of(&rule(
        "logging/x",
        r#"{ kind = "xml-root", roots = [{ element = " " }] }"#,
    ));
    assert_names(&e, "logging/x", "roots", "`element`");
    let e = error_of(&rule(
        "logging/x",
        r#"{ kind = "java-field-argument", fields = ["System.out"] }"#,
    ));
    assert_names(&e, "logging/x", "fields", "`pkg.Type.field`");
    let e = error_of(&rule(
        "logging/x",
        r#"{ kind = "java-field-argument", fields = ["java.lang.System.out"], except_calls = ["setOut"] }"#,
    ));
    assert_names(&e, "logging/x", "except_calls", "`pkg.Type.method`");
    let e = error_of(&rule(
        "logging/x",
        r#"{ kind = "config-value", keys = ["-_"], values = ["x"] }"#,
    ));
    assert_names(&e, "logging/x", "keys", "a key needs a name");
    let e = error_of(&rule(
        "logging/x",
        r#"{ kind = "config-value", keys = ["a.log-impl"], values = [" "] }"#,
    ));
    assert_names(&e, "logging/x", "values", "a value needs text");
    let e = error_of(&rule(
        "logging/x",
        r#"{ kind = "pom-dependency", artifacts = ["log4j"] }"#,
    ));
    assert_names(&e, "logging/x", "artifacts", "`groupId:artifactId`");
    let e = error_of(&rule(
        "deploy/x",
        r#"{ kind = "file-name", globs = ["a[b"] }"#,
    ));
    assert_names(&e, "deploy/x", "globs", "a[b");
    let e = error_of(&rule(
        "logging/x",
        r#"{ kind = "java-import", packages = ["org.apache.log4j"], except = ["org.apache.logging.log4j.util"] }"#,
    ));
    assert_names(&e, "logging/x", "except", "not under any of `packages`");
}

#[test]
fn a_disabled_rule_is_checked_too() {
    let mut text = rule(
        "host/x",
        r#"{ kind = "java-call", targets = ["a.B.c"], first_arg_text = "(" }"#,
    );
    text = text.replace(
        "severity = \"error\"\n",
        "severity = \"error\"\nenabled = false\n",
    );
    let mut pack = RulePack::builtin().unwrap();
    pack.apply_text(Path::new("rules.toml"), &text).unwrap();
    let e = check_pack(&pack).unwrap_err().to_string();
    assert_names(&e, "host/x", "first_arg_text", "regex");
}

#[test]
fn loopback_key_words_are_single_lowercase_words() {
    let e = error_of(&rule(
        "host/x",
        r#"{ kind = "loopback-service", ignore_key_words = ["bind", "allowed-origins"] }"#,
    ));
    assert_names(&e, "host/x", "ignore_key_words", "`allowed-origins`");
    let e = error_of(&rule(
        "host/x",
        r#"{ kind = "loopback-service", ignore_key_words = [] }"#,
    ));
    assert_names(&e, "host/x", "ignore_key_words", "empty list");
    let e = error_of(&rule(
        "host/x",
        r#"{ kind = "loopback-service", ignore_key_words = ["bind"], advertised_key_words = ["Dev"] }"#,
    ));
    assert_names(&e, "host/x", "advertised_key_words", "`Dev`");
}

#[test]
fn a_bridged_level_needs_an_import_matcher() {
    let mut pack = RulePack::builtin().unwrap();
    let e = pack
        .apply_text(
            Path::new("rules.toml"),
            "[rules.\"host/hardcoded-ip\"]\nbridged = \"info\"\n",
        )
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("rules.toml:1:"), "{e}");
    assert!(e.contains("field `bridged`"), "{e}");
    assert!(e.contains("java-import"), "{e}");
}
