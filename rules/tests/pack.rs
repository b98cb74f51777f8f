//! The built-in pack is valid and complete, and rules files are layered on
//! it with errors that say where and what.

use std::path::Path;

use podready_rules::{builtin_files, Matcher, RulePack, Severity, CATEGORIES};

/// The rule ids the product's contract names: tools outside podready rely
/// on them, so none may disappear. New rules need no entry here.
const CONTRACT_IDS: [&str; 14] = [
    "host/local-address",
    "host/hostname-env",
    "host/hardcoded-ip",
    "logging/stdout",
    "logging/print-stack-trace",
    "logging/legacy-api",
    "logging/legacy-config",
    "logging/backend",
    "logging/console-appender",
    "deploy/post-start-hook",
    "deploy/port",
    "sdk/container-ready",
    "sdk/unresolved",
    "podready/unanalysed-file",
];

#[test]
fn builtin_pack_keeps_the_contract_rules_and_documents_every_rule() {
    let pack = RulePack::builtin().unwrap();
    for id in CONTRACT_IDS {
        assert!(pack.rule(id).is_some(), "{id} is gone");
    }
    for r in &pack.rules {
        assert!(CATEGORIES.contains(&r.category()));
        for (field, text) in [
            ("summary", &r.doc.summary),
            ("what", &r.doc.what),
            ("why", &r.doc.why),
            ("instead", &r.doc.instead),
            ("example", &r.doc.example),
            ("remediation", &r.remediation),
        ] {
            assert!(text.trim().len() > 20, "{}: {field} is too thin", r.id);
        }
        assert!(
            r.message.contains("{detail}"),
            "{}: message names no detail",
            r.id
        );
    }
}

#[test]
fn every_pack_file_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("pack");
    let mut on_disk = Vec::new();
    for entry in walk(&dir) {
        let rel = entry
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        on_disk.push(rel);
    }
    on_disk.sort();
    let mut embedded: Vec<String> = builtin_files().map(str::to_string).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn sdk_table_has_the_required_rows() {
    let pack = RulePack::builtin().unwrap();
    for (g, a) in [
        ("com.alibaba", "dubbo"),
        ("org.apache.dubbo", "dubbo"),
        ("log4j", "log4j"),
    ] {
        assert!(pack.sdk_entry(g, a).is_some(), "{g}:{a}");
    }
    assert!(pack.sdk.len() >= 5);
    let log4j = pack.sdk_entry("log4j", "log4j").unwrap();
    assert!(log4j.min_version.is_none());
    assert_eq!(log4j.replace_with.len(), 2);
    assert_eq!(pack.standard.http_port, 8080);
    assert_eq!(
        pack.standard.hooks,
        ["pre-start", "pre-online", "pre-offline"]
    );
}

#[test]
fn families_match_their_members_and_nothing_else() {
    let pack = RulePack::builtin().unwrap();
    let head = pack.family_of("com.alibaba", "dubbo-rpc-rest").unwrap();
    assert_eq!(
        (head.group.as_str(), head.artifact.as_str()),
        ("com.alibaba", "dubbo")
    );
    assert!(pack
        .family_of("com.alibaba", "dubbo-remoting-netty4")
        .is_some());
    // Released on its own schedule (0.0.x): not a member.
    assert!(pack
        .family_of("com.alibaba", "dubbo-registry-nacos")
        .is_none());
    // The SDK itself is not its own member.
    assert!(pack.family_of("com.alibaba", "dubbo").is_none());
    assert!(pack
        .family_of("org.apache.dubbo", "dubbo-rpc-dubbo")
        .is_some());
    assert!(pack.family_of("com.alibaba", "fastjson").is_none());
}

#[test]
fn classpath_requirements_are_validated_with_the_field() {
    let mut pack = RulePack::builtin().unwrap();
    assert!(pack
        .requires
        .iter()
        .any(|r| r.when == "ch.qos.logback:logback-classic"));
    let bad = "[[requires]]\nwhen = \"com.acme:rpc\"\nversions = \"1.0\"\nneeds = \"com.acme:codec\"\nneeds_versions = \"[2,)\"\npin = \"2.1\"\nwhy = \"x\"\n";
    let e = pack
        .apply_text(Path::new("podready.toml"), bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("versions") && e.contains("is not a Maven version range"),
        "{e}"
    );
    let bad_family = "[[sdk]]\ngroup = \"com.acme\"\nartifact = \"rpc\"\nmin_version = \"1\"\ntarget_version = \"2\"\nfamily = [\"rpc-*\"]\nwhy = \"x\"\n";
    let e = pack
        .apply_text(Path::new("podready.toml"), bad_family)
        .unwrap_err()
        .to_string();
    assert!(e.contains("podready.toml:6") && e.contains("family"), "{e}");
}

/// The example in README.md's configuration section, kept in step with it.
const README_EXAMPLE: &str = r#"
[check]
fail_on = "error"
exclude = ["legacy/**"]
max_file_size = 4194304
test_roots = ["qa"]

[standard]
http_port = 8080

[rules."logging/stdout"]
severity = "info"

[[rule]]
id = "host/jmx-hostname"
severity = "error"
message = "{detail} pins the JMX host name"
remediation = "Let the platform configure JMX."
doc = { what = "…", why = "…", instead = "…" }
matcher = [{ kind = "java-call", targets = ["java.lang.System.setProperty"], first_arg_text = "^java\\.rmi\\.server\\.hostname$" }]

[[sdk]]
group = "com.acme"
artifact = "rpc-client"
min_version = "3.2.0"
target_version = "3.4.1"
family = ["com.acme:rpc-*"]
transitive = "pin"
why = "3.2 registers the address from POD_IP."
"#;

#[test]
fn readme_example_layers_on_the_pack() {
    let mut pack = RulePack::builtin().unwrap();
    pack.apply_text(Path::new("podready.toml"), README_EXAMPLE)
        .unwrap();
    assert_eq!(pack.check.fail_on, Some(Severity::Error));
    assert_eq!(
        pack.rule("logging/stdout").unwrap().severity,
        Severity::Info
    );
    let custom = pack.rule("host/jmx-hostname").unwrap();
    assert!(matches!(custom.matchers[0], Matcher::JavaCall { .. }));
    assert!(pack.sdk_entry("com.acme", "rpc-client").is_some());
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    for line in README_EXAMPLE.lines().filter(|l| {
        ["matcher", "id =", "family =", "transitive ="]
            .iter()
            .any(|p| l.starts_with(p))
    }) {
        assert!(readme.contains(line), "README no longer shows: {line}");
    }
}

fn error_of(text: &str) -> String {
    let mut pack = RulePack::builtin().unwrap();
    pack.apply_text(Path::new("rules.toml"), text)
        .unwrap_err()
        .to_string()
}

#[test]
fn unknown_field_names_file_line_rule_and_field() {
    let e = error_of("[[rule]]\nid = \"host/custom\"\nseverty = \"error\"\nmessage = \"m\"\n");
    assert!(
        e.starts_with("rules.toml:3:1: in rule `host/custom`:"),
        "{e}"
    );
    assert!(e.contains("severty"), "{e}");
    assert!(!e.contains('\n'), "one line: {e}");
}

#[test]
fn bad_severity_and_bad_id() {
    let base = |id: &str, sev: &str, re: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\nseverity = \"{sev}\"\nmessage = \"m {{detail}}\"\nremediation = \"r\"\ndoc = {{ what = \"w\", why = \"y\", instead = \"i\" }}\nmatcher = [{{ kind = \"java-call\", targets = [\"a.B.c\"], first_arg_text = \"{re}\" }}]\n"
        )
    };
    let e = error_of(&base("host/x", "fatal", "x"));
    assert!(e.contains("rules.toml:3") && e.contains("fatal"), "{e}");
    let e = error_of(&base("network/x", "error", "x"));
    assert!(e.contains("rule `network/x`, field `id`"), "{e}");
}

#[test]
fn a_lowering_level_needs_the_matcher_it_lowers() {
    // `outranked` lowers backends a bridge outranks: pom dependencies.
    let e = error_of("[rules.\"logging/stdout\"]\noutranked = \"info\"\n");
    assert!(
        e.contains("rule `logging/stdout`, field `outranked`"),
        "{e}"
    );
    assert!(e.contains("pom-dependency"), "{e}");
    let mut pack = RulePack::builtin().unwrap();
    pack.apply_text(
        Path::new("p.toml"),
        "[rules.\"logging/backend\"]\noutranked = \"error\"\n",
    )
    .unwrap();
    assert_eq!(
        pack.rule("logging/backend").unwrap().outranked,
        Some(podready_rules::Severity::Error)
    );
}

#[test]
fn override_of_an_unknown_rule_is_an_error() {
    let e = error_of("[rules.\"host/nope\"]\nenabled = false\n");
    assert!(e.contains("rule `host/nope`"), "{e}");
}

#[test]
fn overrides_change_only_what_they_name() {
    let mut pack = RulePack::builtin().unwrap();
    let before = pack.rule("deploy/port").unwrap().clone();
    pack.apply_text(
        Path::new("p.toml"),
        "[rules.\"deploy/port\"]\nenabled = false\n",
    )
    .unwrap();
    let after = pack.rule("deploy/port").unwrap();
    assert!(!after.enabled);
    assert_eq!(after.message, before.message);
    assert_eq!(after.severity, before.severity);
}

#[test]
fn xml_root_matchers_know_their_fields() {
    let rule = |roots: &str| {
        format!(
            "[[rule]]\nid = \"logging/x\"\nseverity = \"warning\"\nmessage = \"m {{detail}}\"\nremediation = \"r\"\ndoc = {{ what = \"w\", why = \"y\", instead = \"i\" }}\nmatcher = [{{ kind = \"xml-root\", roots = {roots} }}]\n"
        )
    };
    let e = error_of(&rule(
        "[{ element = \"Configuration\", kid = \"Appenders\" }]",
    ));
    assert!(e.contains("kid"), "{e}");
    let mut pack = RulePack::builtin().unwrap();
    pack.apply_text(
        Path::new("rules.toml"),
        &rule("[{ element = \"Configuration\", child = \"Appenders\" }]"),
    )
    .unwrap();
    assert!(matches!(
        &pack.rule("logging/x").unwrap().matchers[0],
        Matcher::XmlRoot(m) if m.roots[0].is_child("appenders") && m.roots[0].is_element("configuration")
    ));
}
