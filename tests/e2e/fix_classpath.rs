//! `podready fix` judged on what Maven resolves and what the JVM runs, not
//! on the pom text: each fixture under `fixtures/classpath/` reproduces a
//! pattern that builds and still breaks at run time. After the fix, the
//! real `mvn package` + `dependency:list` must show the right classpath,
//! and where the fixture has a main class, the JVM must log through
//! logback.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use crate::gate::copy_fixture;
use crate::{podready, stderr, stdout};

const PLUGIN: &str = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

fn mvn(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("mvn")
        .args(["-B", "-q", "-Dstyle.color=never"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("Maven (mvn) is installed; scripts/test.sh installs it");
    assert!(
        out.status.success(),
        "mvn {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Builds the project and returns each module's run-time classpath as
/// Maven resolves it (`group:artifact` → version), by module directory.
fn package_and_list(root: &Path, modules: &[&str]) -> BTreeMap<String, BTreeMap<String, String>> {
    mvn(
        root,
        &[
            "-DskipTests",
            "package",
            &format!("{PLUGIN}:list"),
            "-DincludeScope=runtime",
            "-DoutputFile=podready-deps.txt",
        ],
    );
    modules
        .iter()
        .map(|m| {
            let text = std::fs::read_to_string(root.join(m).join("podready-deps.txt"))
                .unwrap_or_else(|e| panic!("{m}: no dependency list: {e}"));
            let deps = text
                .lines()
                .filter_map(|l| {
                    let parts: Vec<&str> = l.trim().split(':').collect();
                    match parts.as_slice() {
                        [g, a, _kind, v, _scope] | [g, a, _kind, _, v, _scope] => {
                            Some((format!("{g}:{a}"), v.to_string()))
                        }
                        _ => None,
                    }
                })
                .collect();
            (m.to_string(), deps)
        })
        .collect()
}

/// Runs `main` on the module's compiled classes and run-time classpath.
fn run_main(module: &Path, main: &str, log_dir: &Path) -> Output {
    let cp_file = module.join("podready-cp.txt");
    mvn(
        module,
        &[
            &format!("{PLUGIN}:build-classpath"),
            "-DincludeScope=runtime",
            &format!("-Dmdep.outputFile={}", cp_file.display()),
        ],
    );
    let cp = std::fs::read_to_string(&cp_file).unwrap();
    Command::new("java")
        .arg("-cp")
        .arg(format!(
            "{}:{}",
            module.join("target/classes").display(),
            cp.trim()
        ))
        .arg(main)
        .env("LOG_DIR", log_dir)
        .output()
        .expect("java runs")
}

const LEGACY_LOGGING: [&str; 3] = [
    "log4j:log4j",
    "org.slf4j:slf4j-log4j12",
    "ch.qos.reload4j:reload4j",
];

fn assert_logs_through_logback(module: &str, deps: &BTreeMap<String, String>) {
    for legacy in LEGACY_LOGGING {
        assert!(
            !deps.contains_key(legacy),
            "{module}: {legacy} is still on the classpath: {deps:?}"
        );
    }
    assert!(
        deps.contains_key("ch.qos.logback:logback-classic"),
        "{module}: no logback: {deps:?}"
    );
}

#[test]
fn transitive_log4j_is_excluded_and_the_app_logs_through_logback() {
    let repo = copy_fixture("classpath/zookeeper-log4j");
    let logs = tempfile::tempdir().unwrap();
    // Before: the build passes, and SLF4J binds log4j at run time.
    mvn(repo.path(), &["-DskipTests", "compile"]);
    let before = run_main(repo.path(), "com.acme.ledger.LedgerMain", logs.path());
    let before_text = format!("{}{}", stdout(&before), stderr(&before));
    assert!(before_text.contains("log4j"), "{before_text}");

    let out = podready(&["fix", "."], repo.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(
        text.contains(
            "excluded org.slf4j:slf4j-log4j12, log4j:log4j from org.apache.zookeeper:zookeeper"
        ),
        "{text}"
    );
    assert!(
        text.contains("- log4j:log4j:"),
        "the classpath diff shows log4j going: {text}"
    );

    let lists = package_and_list(repo.path(), &["."]);
    let deps = &lists["."];
    assert_logs_through_logback(".", deps);
    assert_eq!(deps["org.apache.zookeeper:zookeeper"], "3.4.14");
    assert!(deps.contains_key("org.slf4j:log4j-over-slf4j"), "{deps:?}");

    let after = run_main(repo.path(), "com.acme.ledger.LedgerMain", logs.path());
    let (out_text, err_text) = (stdout(&after), stderr(&after));
    assert!(after.status.success(), "{out_text}{err_text}");
    assert!(
        out_text.contains("ledger started with ch.qos.logback.classic.LoggerContext"),
        "SLF4J did not bind logback:\n{out_text}{err_text}"
    );
    assert!(!err_text.contains("multiple SLF4J bindings"), "{err_text}");

    let again = podready(&["fix", "."], repo.path());
    assert!(
        stdout(&again).contains("Nothing to change"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn an_sdk_family_split_across_properties_moves_together() {
    let repo = copy_fixture("classpath/dubbo-family");
    let out = podready(&["fix", "."], repo.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "upgraded com.alibaba:dubbo-rpc-rest 2.6.3 -> 2.6.12 via property `dubbo.rest.version`"
        ),
        "{text}"
    );
    let lists = package_and_list(repo.path(), &["."]);
    let dubbo: Vec<(&String, &String)> = lists["."]
        .iter()
        .filter(|(k, _)| k.starts_with("com.alibaba:dubbo"))
        .collect();
    assert!(dubbo.len() >= 5, "{dubbo:?}");
    for (artifact, version) in dubbo {
        assert_eq!(version, "2.6.12", "{artifact} is not aligned");
    }
}

#[test]
fn a_war_gets_its_logging_configuration_migrated() {
    let repo = copy_fixture("classpath/war-log4j");
    let web_xml = repo.path().join("src/main/webapp/WEB-INF/web.xml");
    let original = std::fs::read_to_string(&web_xml).unwrap();
    let out = podready(&["fix", "."], repo.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");

    assert!(!repo.path().join("src/main/resources/log4j.xml").exists());
    let logback =
        std::fs::read_to_string(repo.path().join("src/main/resources/logback.xml")).unwrap();
    assert!(
        logback.contains(r#"<logger name="com.acme.portal.dao" level="DEBUG"/>"#),
        "{logback}"
    );
    assert!(!logback.contains("ConsoleAppender"), "{logback}");

    // web.xml: the log4j context-param and listener go, whole lines, and
    // every other byte stays (the commented-out listener included).
    let lines: Vec<&str> = original.split_inclusive("\r\n").collect();
    let start_param = lines
        .iter()
        .position(|l| l.contains("<context-param>"))
        .unwrap();
    let end_listener = lines
        .iter()
        .position(|l| l.contains("Log4jConfigListener</listener-class>") && !l.contains("<!--"))
        .unwrap()
        + 1;
    let expected: String = lines[..start_param]
        .iter()
        .chain(&lines[end_listener + 1..])
        .copied()
        .collect();
    assert_eq!(std::fs::read_to_string(&web_xml).unwrap(), expected);

    let lists = package_and_list(repo.path(), &["."]);
    assert_logs_through_logback(".", &lists["."]);
    let war = repo.path().join("target/portal-web-3.2.0.war");
    let listing = Command::new("jar")
        .arg("tf")
        .arg(&war)
        .output()
        .expect("jar runs");
    let entries = stdout(&listing);
    assert!(entries.contains("WEB-INF/classes/logback.xml"), "{entries}");
    assert!(!entries.contains("log4j.xml"), "{entries}");
    assert!(!entries.contains("WEB-INF/lib/log4j-1.2"), "{entries}");

    // The log4j 1 API now writes through the bridge into the standard
    // file, in the standard pattern, with the DEBUG logger carried over.
    let logs = tempfile::tempdir().unwrap();
    let run = run_main(repo.path(), "com.acme.portal.PortalAudit", logs.path());
    assert!(run.status.success(), "{}{}", stdout(&run), stderr(&run));
    let written = std::fs::read_to_string(logs.path().join("portal.log")).unwrap();
    let pattern = regex::Regex::new(
        r"(?m)^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \[main\] INFO  com\.acme\.portal\.PortalAudit - portal audit started$",
    )
    .unwrap();
    assert!(pattern.is_match(&written), "{written}");
    assert!(
        written.contains("DEBUG com.acme.portal.dao - dao statement prepared"),
        "{written}"
    );
    assert!(
        stdout(&run).is_empty(),
        "business logs on the console: {}",
        stdout(&run)
    );
}

#[test]
fn old_clients_that_arrive_transitively_are_pinned_or_reported_with_their_path() {
    let repo = copy_fixture("classpath/transitive-client");
    let out = podready(&["fix", "."], repo.path());
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "kafka-clients is left for a person: {text}"
    );
    assert!(
        text.contains("(kafka_2.11 1.1.1 → kafka-clients 1.1.1)"),
        "{text}"
    );
    assert!(
        text.contains(
            "pinned org.apache.zookeeper:zookeeper 3.4.10 -> 3.4.14 in <dependencyManagement>"
        ),
        "{text}"
    );
    let lists = package_and_list(repo.path(), &["events-core", "events-app"]);
    for module in ["events-core", "events-app"] {
        assert_eq!(
            lists[module]["org.apache.zookeeper:zookeeper"], "3.4.14",
            "{module}"
        );
    }
    assert_logs_through_logback("events-app", &lists["events-app"]);
    assert_eq!(
        lists["events-app"]["org.apache.kafka:kafka-clients"],
        "1.1.1"
    );
}

#[test]
fn a_property_used_elsewhere_names_every_place() {
    let repo = copy_fixture("classpath/shared-property");
    let pom = std::fs::read_to_string(repo.path().join("pom.xml")).unwrap();
    let item_line = pom
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("<version>${zk.version}</version>"))
        .map(|(i, _)| i + 1)
        .nth(1)
        .unwrap();
    let out = podready(&["fix", "."], repo.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "is also used by pom.xml:{item_line} (in <artifactItem>)"
        )),
        "{text}"
    );
    // The upgrade is refused, the transitive log4j is still excluded.
    let lists = package_and_list(repo.path(), &["."]);
    assert_eq!(lists["."]["org.apache.zookeeper:zookeeper"], "3.4.6");
    assert!(!lists["."].contains_key("log4j:log4j"), "{:?}", lists["."]);
}

#[test]
fn modules_maven_cannot_resolve_are_named_and_the_others_still_fixed() {
    let repo = copy_fixture("classpath/unresolvable");
    let read = |p: &str| std::fs::read(repo.path().join(p)).unwrap();
    let (billing, broken) = (read("billing/pom.xml"), read("broken/pom.xml"));
    let out = podready(&["fix", "."], repo.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("not resolved in billing/pom.xml: com.acme.internal:billing-sdk:4.2.0 is not in any Maven repository"), "{text}");
    assert!(text.contains("Non-parseable POM broken/pom.xml"), "{text}");
    assert_eq!(read("billing/pom.xml"), billing);
    assert_eq!(read("broken/pom.xml"), broken);
    let ledger = String::from_utf8(read("ledger/pom.xml")).unwrap();
    assert!(ledger.contains("<version>3.4.14</version>"), "{ledger}");
    assert!(
        ledger.contains("<artifactId>slf4j-log4j12</artifactId>"),
        "{ledger}"
    );
}

/// nacos' log4j2 adapter, in small: a library whose log4j 2 is what it
/// is for, left to the applications that choose it. Replacing it would
/// stop the library compiling, so only the application is fixed.
#[test]
fn an_adapter_module_keeps_its_backend_and_the_application_is_fixed() {
    let repo = copy_fixture("classpath/log4j2-adapter");
    let adapter_pom = repo.path().join("events-log4j2/pom.xml");
    let original = std::fs::read_to_string(&adapter_pom).unwrap();
    let out = podready(&["fix", ".", "--format", "json"], repo.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["resolution"]["status"], "resolved", "{v}");
    let touched: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["manual"].as_array().unwrap())
        .map(|c| c["pom"].as_str().unwrap())
        .collect();
    assert!(touched.contains(&"shop-app/pom.xml"), "{v}");
    assert!(!touched.contains(&"events-log4j2/pom.xml"), "{v}");
    assert_eq!(std::fs::read_to_string(&adapter_pom).unwrap(), original);

    // The build passes, so the adapter still compiles against log4j-core;
    // the application runs on logback.
    let lists = package_and_list(repo.path(), &["shop-app"]);
    assert_logs_through_logback("shop-app", &lists["shop-app"]);
    assert!(repo
        .path()
        .join("events-log4j2/target/classes/com/acme/shop/events/EventCountingAppender.class")
        .is_file());

    let again = podready(&["fix", "."], repo.path());
    assert!(
        stdout(&again).contains("Nothing to change"),
        "{}{}",
        stdout(&again),
        stderr(&again)
    );
}

#[test]
fn without_maven_the_text_is_fixed_and_the_output_says_so() {
    let repo = copy_fixture("classpath/zookeeper-log4j");
    let out = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(["fix", ".", "--format", "json"])
        .current_dir(repo.path())
        .env("PODREADY_MVN", "/nonexistent/mvn")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["resolution"]["status"], "unavailable");
    assert!(
        v["resolution"]["reason"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/mvn"),
        "{v}"
    );
    assert_eq!(
        v["changes"].as_array().unwrap().len(),
        1,
        "text edits only: {v}"
    );
    let pom = std::fs::read_to_string(repo.path().join("pom.xml")).unwrap();
    assert!(pom.contains("<zookeeper.version>3.4.14</zookeeper.version>"));
}
