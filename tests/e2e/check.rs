//! `podready check` on the fixtures.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::{committed_fixture, fixtures, git, podready, stderr, stdout};
use podready_testkit::oracle::{expected, mismatch, Expected};

fn findings_json(repo: &Path) -> (Value, i32) {
    let out = podready(&["check", ".", "--format", "json"], repo);
    let code = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("JSON output ({e}): {}{}", stdout(&out), stderr(&out)));
    (v, code)
}

/// `check` on a copy of a fixture with `toml` as its podready.toml.
fn findings_with_config(fixture: &str, toml: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    podready_testkit::copy_dir(&fixtures().join(fixture), dir.path());
    std::fs::write(dir.path().join("podready.toml"), toml).unwrap();
    findings_json(dir.path()).0
}

fn actual(v: &Value) -> Expected {
    let mut out = BTreeMap::new();
    for f in v["findings"].as_array().unwrap() {
        let key = (
            f["path"].as_str().unwrap().to_string(),
            f["line"].as_u64().unwrap() as usize,
            f["rule"].as_str().unwrap().to_string(),
        );
        *out.entry(key).or_default() += 1;
    }
    out
}

/// Runs check on a fixture and compares with its markers; returns the JSON.
fn assert_matches_markers(name: &str) -> Value {
    let repo = fixtures().join(name);
    let (v, code) = findings_json(&repo);
    let want = expected(&repo);
    let got = actual(&v);
    if let Some(difference) = mismatch(&want, &got) {
        panic!("{name}: {difference}");
    }
    let expected_code = if want.is_empty() { 0 } else { 1 };
    assert_eq!(code, expected_code, "{name}: exit code");
    v
}

#[test]
fn legacy_order_service_reports_exactly_the_planted_problems() {
    let v = assert_matches_markers("legacy-order-service");
    // Nothing from test sources, whatever the rule.
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["path"].as_str().unwrap().contains("src/test/")));
}

#[test]
fn clean_service_has_no_findings() {
    let v = assert_matches_markers("clean-service");
    assert_eq!(v["summary"]["findings"], 0);
}

#[test]
fn multi_module_resolves_parent_properties_and_management() {
    assert_matches_markers("multi-module");
}

#[test]
fn gbk_and_latin1_sources_keep_their_line_numbers() {
    let v = assert_matches_markers("encodings");
    let decoded: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "decoded")
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(decoded.contains(&"not UTF-8; read as GBK"), "{decoded:?}");
}

#[test]
fn syntax_errors_are_analysed_as_far_as_possible() {
    let v = assert_matches_markers("syntax-error");
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "syntax-error"));
}

#[test]
fn source_packages_named_build_or_target_are_checked_build_output_is_not() {
    let v = assert_matches_markers("scan-scope");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["path"].as_str().unwrap().starts_with("target/")));
    // The pom's test roots, sources and resources (Storm's `test/jvm`,
    // `test/resources`), are tests; main resources a test reads too, and
    // a folder not named for tests (`conf/`), stay shipped.
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["path"].as_str().unwrap().starts_with("test/")));
    // Maven writes no build/: beside a pom it is a folder of sources.
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "build/conf/deployer-server.properties"));
    // Beside build.gradle, build/ is Gradle's output.
    let v = assert_matches_markers("gradle-single");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["path"].as_str().unwrap().starts_with("build/")));
}

#[test]
fn in_git_a_file_committed_under_an_ignored_folder_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let repo = committed_fixture("scan-scope", dir.path());
    // canal's story: conf/ listed in .gitignore after its files were
    // committed; a developer's own file there stays untracked.
    std::fs::write(repo.join(".gitignore"), "conf/\n").unwrap();
    std::fs::write(
        repo.join("conf/local.properties"),
        "canal.instance.master.address = 10.20.30.42:3306\n",
    )
    .unwrap();
    git(&repo, &["add", ".gitignore"]);
    git(&repo, &["commit", "-q", "-m", "conf/ is per environment"]);
    let (v, code) = findings_json(&repo);
    assert_eq!(actual(&v), expected(&fixtures().join("scan-scope")));
    assert_eq!(code, 1);

    // Outside git only .gitignore speaks, as it always did.
    std::fs::remove_dir_all(repo.join(".git")).unwrap();
    let (v, _) = findings_json(&repo);
    let paths = crate::finding_paths(&v);
    assert!(!paths.is_empty());
    assert!(paths.iter().all(|p| !p.starts_with("conf/")), "{paths:?}");
}

#[test]
fn an_unresolved_version_names_each_bom_it_may_come_from_in_mavens_order() {
    let v = assert_matches_markers("rules/sdk/unresolved");
    assert_level(
        &v,
        |path| path == "ledger/pom.xml",
        "warning",
        "the version comes from an imported BOM the SDK table does not name: `org.springframework:spring-framework-bom` if it manages it, else `com.acme.platform:acme-middleware-bom`, so the gate cannot tell whether it is at least the container-ready 2.1.1",
    );
}

#[test]
fn a_bom_the_sdk_table_says_manages_no_sdk_is_passed_over() {
    // Spring's BOMs before Dubbo's: Dubbo's, which the table names, gives
    // the version (fix upgrades it), so the gate has nothing to report.
    let v = assert_matches_markers("rules/sdk/unresolved");
    let paths = crate::finding_paths(&v);
    assert!(
        !paths.iter().any(|p| p.starts_with("gateway/")),
        "{paths:?}"
    );
}

#[test]
fn every_rule_fixture_reports_exactly_its_markers() {
    let rules_dir = fixtures().join("rules");
    let mut seen = 0;
    for category in std::fs::read_dir(&rules_dir).unwrap() {
        let category = category.unwrap().path();
        for rule in std::fs::read_dir(&category).unwrap() {
            let rule = rule.unwrap().path();
            let name = rule
                .strip_prefix(fixtures())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let v = assert_matches_markers(&name);
            // A rule's fixture has positive cases, all of that rule.
            let id = rule
                .strip_prefix(&rules_dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let findings = v["findings"].as_array().unwrap();
            assert!(!findings.is_empty(), "{id} has no positive case");
            assert!(
                findings.iter().all(|f| f["rule"] == id.as_str()),
                "{id} fixture reports other rules"
            );
            seen += 1;
        }
    }
    let rules = podready_rules::RulePack::builtin().unwrap().rules.len();
    assert_eq!(seen, rules, "one fixture per rule");
}

#[test]
fn helpers_are_reported_where_they_are_called_with_the_chain() {
    let v = assert_matches_markers("helpers");
    let findings = v["findings"].as_array().unwrap();
    let at = |path: &str, line: u64| {
        findings
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(path) && f["line"] == line)
            .unwrap_or_else(|| panic!("no finding at {path}:{line}"))
    };
    // Registered in ZooKeeper: an error, with the chain to the interfaces.
    let registered = at("app/Controller.java", 22);
    assert_eq!(registered["severity"], "error");
    assert_eq!(
        registered["via"],
        serde_json::json!([
            "AddressUtils.getHostIp()",
            "AddressUtils.getHostAddress()",
            "AddressUtils.firstAddress()",
            "NetworkInterface.getNetworkInterfaces()"
        ])
    );
    assert!(registered["message"]
        .as_str()
        .unwrap()
        .contains("(via AddressUtils.getHostIp() → AddressUtils.getHostAddress()"));
    // Only logged, put in an exception message or in toString(): info.
    for line in [38, 39, 43, 44, 52, 57] {
        let f = at("app/Controller.java", line);
        assert_eq!(f["severity"], "info", "line {line}");
        assert!(f["message"].as_str().unwrap().contains("only logged"));
    }
    for line in [23, 24, 25, 26, 27, 28, 30, 32, 33, 34] {
        assert_eq!(
            at("app/Controller.java", line)["severity"],
            "error",
            "line {line}"
        );
    }
    // Only the address a server of this process listens on: info; the
    // same address registered elsewhere stays an error.
    for line in [27, 31, 35] {
        let f = at("app/Listeners.java", line);
        assert_eq!(f["severity"], "info", "line {line}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .ends_with("; only the address a server of this process listens on, which in a pod is the pod's own"),
            "{}",
            f["message"]
        );
    }
    // Registered, sent in a query, connected out to, or read back from
    // what bind returns: errors.
    for line in [39, 44, 49, 54, 59] {
        assert_eq!(
            at("app/Listeners.java", line)["severity"],
            "error",
            "line {line}"
        );
    }
    // In a main() method the console is the program's interface.
    let in_main = at("other/Caller.java", 29);
    assert_eq!(in_main["severity"], "info");
    assert!(in_main["message"]
        .as_str()
        .unwrap()
        .ends_with("; in main(), a command-line entry point"));
    let only_main_reaches = at("other/Caller.java", 36);
    assert_eq!(only_main_reaches["severity"], "info");
    assert!(only_main_reaches["message"]
        .as_str()
        .unwrap()
        .ends_with("; in a private method only a command-line entry point (main(), the run(String[]) main() hands its arguments to, or a method handed a parsed command line) reaches"));
    let assert_info = |file: &str, line: u64, why: &str| {
        let f = at(file, line);
        assert_eq!(f["severity"], "info", "{file}:{line}");
        assert!(
            f["message"].as_str().unwrap().contains(why),
            "{}",
            f["message"]
        );
    };
    // The run(String[]) main() hands its command line to, and the usage
    // text of its class, are the command line too; a public method it
    // calls may be an application's.
    for (file, line, why) in [
        (
            "other/ReindexTool.java",
            15,
            "in run(String[]), which main() hands its command-line arguments to",
        ),
        (
            "other/ReindexTool.java",
            28,
            "in a command line's usage text (a method named for printing it)",
        ),
        (
            "other/KeystoreCli.java",
            14,
            "in a class named for a command-line interface, which takes a command line",
        ),
        (
            "other/PurgeTool.java",
            7,
            "in main(), a command-line entry point",
        ),
        (
            "other/ZooInfo.java",
            11,
            "in a method handed a parsed command line",
        ),
        (
            "other/ZooInfo.java",
            16,
            "in a private method only a command-line entry point",
        ),
    ] {
        assert_info(file, line, why);
    }
    // A used class's main() nothing starts is a developer's harness; one
    // a script starts runs.
    let harness = at("other/PeerAddresses.java", 14);
    assert_eq!(harness["severity"], "info");
    assert!(harness["message"]
        .as_str()
        .unwrap()
        .ends_with("; in main(), which nothing starts: no file of the repository names com.acme.other.PeerAddresses as a program and no code calls its main()"));
    // Imported in full and given to a JSON parser as a class literal:
    // nothing starts it; started by reflection from its name: it runs.
    assert_eq!(at("other/PeerTable.java", 17)["severity"], "info");
    assert_eq!(at("other/ReplayLoop.java", 11)["severity"], "error");
    assert_eq!(at("other/Probe.java", 14)["severity"], "error");
    // Called in its own file, or a nested class's: it runs.
    assert_eq!(at("other/SelfCheck.java", 14)["severity"], "error");
    assert_eq!(at("other/Relay.java", 15)["severity"], "error");
    assert_eq!(at("other/RenderWorker.java", 10)["severity"], "error");
    // Classes only command-line programs use, in turn: info.
    for (file, by) in [
        ("other/ImportReport.java", "ImportTool"),
        ("other/ReportLine.java", "ImportReport"),
    ] {
        let f = findings
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(file))
            .unwrap();
        assert_eq!(f["severity"], "info", "{file}");
        assert!(f["message"].as_str().unwrap().ends_with(&format!(
            "; in {}, which only command-line programs and their helpers use ({by}): what it prints is their answer on a terminal",
            file.trim_start_matches("other/").trim_end_matches(".java")
        )));
    }
    assert_eq!(at("other/AuditTrail.java", 7)["severity"], "warning");
    // Help text printed by a method named for it, a desktop window's
    // output, a nested self-test only main() uses, a private debugging
    // aid nothing calls (another class's `dump()` is called), a method
    // only main() methods call: info. The action itself and the nested
    // type the service uses print in the pod.
    for (file, line, why) in [
        (
            "other/ActionFactory.java",
            11,
            "in a command line's usage text",
        ),
        (
            "other/ExportActionFactory.java",
            18,
            "in a command line's usage text",
        ),
        (
            "other/TraceWindow.java",
            9,
            "in a window of a desktop toolkit",
        ),
        ("other/ZoneTable.java", 22, "in a nested type only main()"),
        (
            "other/RouteTable.java",
            20,
            "in RouteTable.dump(), a debugging aid named so, which nothing in the repository calls",
        ),
        (
            "other/Envelope.java",
            21,
            "in Envelope.dumpParts(), which only Envelope.main() and other classes' main() reach, command-line entry points",
        ),
    ] {
        assert_info(file, line, why);
    }
    assert_eq!(
        at("other/ExportActionFactory.java", 13)["severity"],
        "warning"
    );
    assert_eq!(at("other/ZoneTable.java", 29)["severity"], "warning");
    // A program no file names, in a jar whose manifest names another main
    // class: `java -jar` never starts it.
    let viewer = at("other/SpoolViewer.java", 17);
    assert_eq!(viewer["severity"], "info");
    assert!(viewer["message"].as_str().unwrap().ends_with(
        "; in SpoolViewer, a command-line program no other file of the repository names: no application starts it"
    ));
    // A program the service also uses is none.
    assert_eq!(at("other/SchemaDiff.java", 7)["severity"], "warning");
    // Nor a helper a framework's bean uses too, nothing naming the bean.
    assert_eq!(at("other/ExportFormat.java", 7)["severity"], "warning");
    // A program of a command line's package (`ops.client`), which a script
    // starts: its subcommand prints its answer, though a test names it too;
    // the subcommand the service also runs does not.
    let status = at("ops/client/StatusCommand.java", 8);
    assert_eq!(status["severity"], "info");
    assert!(status["message"]
        .as_str()
        .unwrap()
        .contains("only command-line programs and their helpers use (OrderCtl)"));
    assert_eq!(at("ops/client/DrainCommand.java", 8)["severity"], "warning");
    // Its logging set-up, which only it uses, logs where it runs.
    let log = at("ops/client/CtlLog.java", 3);
    assert_eq!(log["severity"], "info");
    assert!(log["message"].as_str().unwrap().ends_with(
        "; in CtlLog, which only command-line programs and their helpers use (OrderCtl): it runs where an operator runs their code, not in a pod"
    ));
    // The program's own code beyond main() is the command's too...
    let ctl = at("ops/client/OrderCtl.java", 14);
    assert_eq!(ctl["severity"], "info");
    assert!(ctl["message"].as_str().unwrap().ends_with(
        "; in OrderCtl, a program of com.acme.ops.client, a package of command-line programs, that no service uses: what it prints is its answer on a terminal"
    ));
    // ...but not a try-out main() of a class the service uses, nor one
    // of a class a framework's bean uses (`StatusPage`, nothing naming it).
    assert_eq!(at("ops/tools/PortCheck.java", 10)["severity"], "warning");
    assert_eq!(at("ops/client/FeedClient.java", 7)["severity"], "warning");
    assert_eq!(at("other/RuleEngine.java", 7)["severity"], "warning");
    // A server's class the application's main() hands the parsed options
    // to is no command.
    assert_eq!(at("other/ConsoleServer.java", 9)["severity"], "warning");
    // Nor is a figure's report, a server's run() that never returns, nor
    // a class a framework makes, whatever its name.
    for (file, line) in [
        ("other/ReindexTool.java", 23),
        ("other/ReindexTool.java", 33),
        ("other/IndexJob.java", 11),
        ("other/HealthCli.java", 7),
        ("other/EchoServer.java", 18),
        ("other/OrderCli.java", 13),
    ] {
        assert_eq!(at(file, line)["severity"], "warning", "{file}:{line}");
    }
    // Called by serve() too; and the main() the pom names starts the
    // application.
    assert_eq!(at("other/Caller.java", 41)["severity"], "warning");
    assert_eq!(at("other/Launcher.java", 7)["severity"], "warning");
    // A main() that starts Spring Boot starts the service itself.
    assert_eq!(at("boot/OrderApplication.java", 10)["severity"], "warning");
    assert_eq!(at("boot/BillingMain.java", 12)["severity"], "warning");
    // Named in a comment and a string only: still a command-line tool.
    assert_eq!(at("boot/Migrate.java", 8)["severity"], "info");
    // A lookup that only goes into static members follows their uses: none
    // at all, or only logged, and it is info; read and registered in its
    // own class or elsewhere, an error.
    let net = "net/HostConstants.java";
    // Banner's `HostConstants.NODE_NAME` is com.acme.net's, which it
    // imports: the other package's class of that name is read by nothing.
    let other = "other/HostConstants.java";
    for (file, line, why) in [
        (
            net,
            12,
            "it only goes into HostConstants.UNREAD_IP, which nothing in this repository reads",
        ),
        (
            net,
            15,
            "it only goes into HostConstants.LOGGED_IP, whose every use is reported at info",
        ),
        (
            net,
            61,
            "it only goes into HostConstants.lookup(), whose every use is reported at info",
        ),
        // Files calling InetAddress's `getHostName()` do not name the class.
        (
            net,
            33,
            "it only goes into HostConstants.getHostName(), which nothing in this repository reads",
        ),
        (
            other,
            13,
            "it only goes into HostConstants.NODE_NAME, which nothing in this repository reads",
        ),
        (
            other,
            22,
            "it only goes into HostConstants.hostName(), whose every use is reported at info",
        ),
    ] {
        let f = at(file, line);
        assert_eq!(f["severity"], "info", "{file}:{line}");
        assert!(
            f["message"].as_str().unwrap().ends_with(why),
            "{}",
            f["message"]
        );
    }
    // Read in its own class only to log it: followed to that read.
    let constants = "helpers/src/main/java/com/acme/net/HostConstants.java";
    let banner_host = line_in(constants, "BANNER_HOST = lookupBanner()");
    let f = at(net, banner_host);
    assert_eq!(f["severity"], "info");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .ends_with("; only logged, so nothing in a pod depends on it"));
    let banner_lookup = line_in(constants, "private static String lookupBanner()") + 2;
    assert_eq!(at(net, banner_lookup)["severity"], "info");
    // Read through a subclass in Announcer (`HostsCompat.hostName()`).
    assert_eq!(at("net/Hosts.java", 11)["severity"], "error");
    // Lombok's getter of `advertised` reads it in Heartbeat.
    for line in [18, 53, 22, 41] {
        assert_eq!(
            at("net/HostConstants.java", line)["severity"],
            "error",
            "line {line}"
        );
    }
    assert_eq!(at("net/Constants.java", 5)["severity"], "error");
    // The machine's address standing in for a request's loopback client
    // still names the client: info, and of() is no lookup for its callers.
    let stand_in = at("app/ClientAddress.java", 29);
    assert_eq!(stand_in["severity"], "info");
    assert!(stand_in["message"]
        .as_str()
        .unwrap()
        .ends_with("; only stands in for a request's loopback client address, so it names the caller, not an address the pod gives out"));
    // Assigned to a local declared before: where the local goes.
    assert_eq!(at("app/Assigned.java", 17)["severity"], "info");
    // Grown with `+=` into a URL that is only logged, or registered.
    let assigned = "helpers/src/main/java/com/acme/app/Assigned.java";
    let banner = line_in(assigned, "InetAddress address = InetAddress.getLocalHost()");
    for line in [banner, banner + 1] {
        assert_eq!(
            at("app/Assigned.java", line)["severity"],
            "info",
            "line {line}"
        );
    }
    let announced = line_in(assigned, "String url = \"http://\" + InetAddress");
    assert_eq!(at("app/Assigned.java", announced)["severity"], "error");
    let handed = line_in(assigned, "Grown and handed on") + 2;
    assert_eq!(at("app/Assigned.java", handed)["severity"], "error");
    for line in [26, 27, 37] {
        assert_eq!(
            at("app/Assigned.java", line)["severity"],
            "error",
            "line {line}"
        );
    }
    // Carried by a local declared in the branch (litemall's `IpUtil`); what
    // is assigned to the client's variable is a stand-in, whatever the
    // local's other uses.
    // Also in a reactive gateway (microservices-platform's `ReactiveAddrUtil`).
    let client = "helpers/src/main/java/com/acme/app/ClientAddress.java";
    let by_helper = line_in(client, "StringUtils.equals(ip, \"127.0.0.1\")") + 1;
    assert!(at("app/ClientAddress.java", by_helper)["message"]
        .as_str()
        .unwrap()
        .ends_with("; only stands in for a request's loopback client address, so it names the caller, not an address the pod gives out"));
    for line in [84, 88, 100, 114, by_helper] {
        assert_eq!(
            at("app/ClientAddress.java", line)["severity"],
            "info",
            "line {line}"
        );
    }
    // Not stand-ins: a configured host, another variable, a negated test,
    // the Host header, a local that outlives the branch, the far end of a
    // connection the pod opened.
    for line in [45, 55, 64, 73, 99, 102, 125] {
        assert_eq!(
            at("app/ClientAddress.java", line)["severity"],
            "error",
            "line {line}"
        );
    }
    // The default gate fails on the errors, not on what is only logged.
    let out = podready(
        &["check", ".", "--format", "json", "--fail-on", "error"],
        &fixtures().join("helpers"),
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn only_logged_severity_is_configurable_per_rule() {
    let v = findings_with_config(
        "helpers",
        "[rules.\"host/local-address\"]\nonly_logged = \"error\"\n",
    );
    let logged = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("app/Controller.java") && f["line"] == 38)
        .expect("the logged helper call is still reported");
    assert_eq!(logged["severity"], "error");
}

#[test]
fn a_module_overriding_the_managed_property_is_reported_in_the_module() {
    let v = assert_matches_markers("poms/child-override");
    let message = v["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("3.4.6") && message.contains("in service/pom.xml"),
        "{message}"
    );
}

#[test]
fn a_module_in_a_folder_named_build_is_a_module_not_build_output() {
    assert_matches_markers("poms/build-module");
}

/// The severity and message of the first finding whose path `wanted` accepts.
fn level_and_message(v: &serde_json::Value, wanted: impl Fn(&str) -> bool) -> (String, String) {
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| wanted(f["path"].as_str().unwrap()))
        .unwrap_or_else(|| panic!("no such finding in {v}"));
    (
        f["severity"].as_str().unwrap().to_string(),
        f["message"].as_str().unwrap().to_string(),
    )
}

/// Asserts the level of the first finding whose path `wanted` accepts, and
/// that its message ends with `reason` (empty: any).
fn assert_level(v: &serde_json::Value, wanted: impl Fn(&str) -> bool, level: &str, reason: &str) {
    let (got, why) = level_and_message(v, wanted);
    assert_eq!(got, level, "{why}");
    assert!(why.ends_with(reason), "{why}");
}

#[test]
fn a_data_engines_plugin_logs_under_the_engines_logging() {
    let v = assert_matches_markers("engine-plugin");
    assert_level(
        &v,
        |path| path.ends_with("/OrderTableFactory.java"),
        "info",
        "; in a Flink plugin (its jar registers with Flink), which runs in Flink's workers under Flink's logging",
    );
    assert_level(
        &v,
        |path| path.ends_with("/OrderAnalysisPlugin.java"),
        "info",
        "; in an Elasticsearch plugin (its plugin-descriptor.properties), which runs in Elasticsearch's nodes under Elasticsearch's logging",
    );
    assert_level(
        &v,
        |path| path.ends_with("/OrderQueryPlugin.java"),
        "info",
        "; in a Trino plugin (its jar registers with Trino), which runs in Trino's workers under Trino's logging",
    );
    assert_level(&v, |path| path.ends_with("/SyncJob.java"), "warning", "");
}

#[test]
fn code_spring_makes_only_under_a_property_no_configuration_sets_never_runs() {
    let v = assert_matches_markers("conditional-beans");
    assert_level(
        &v,
        |path| path.ends_with("/QiniuStore.java"),
        "info",
        "; in QiniuStore, which only StorageConfiguration.qiniuStore() makes (a bean Spring makes only when `order.storage.type` is `qiniu` (`@ConditionalOnProperty`), and the repository's configuration sets it only to `local`): it never runs",
    );
    assert_level(
        &v,
        |path| path.ends_with("/FtpReceiptExport.java"),
        "info",
        "; in FtpReceiptExport, a bean Spring makes only when `order.ftp.enable` is `true` (`@ConditionalOnProperty`), and no file of the repository sets it: it never runs",
    );
    assert_level(
        &v,
        |path| path.ends_with("/StorageConfiguration.java"),
        "info",
        "; in StorageConfiguration.qiniuStore(), a bean Spring makes only when `order.storage.type` is `qiniu` (`@ConditionalOnProperty`), and the repository's configuration sets it only to `local`: it never runs",
    );
    // The store the configuration picks runs, and so does what the
    // image's environment switches on.
    assert_level(&v, |path| path.ends_with("/LocalStore.java"), "warning", "");
    assert_level(
        &v,
        |path| path.ends_with("/ReceiptArchive.java"),
        "warning",
        "",
    );
}

#[test]
fn a_spring_librarys_commons_logging_goes_where_the_applications_logging_goes() {
    let v = assert_matches_markers("spring-library");
    assert_level(
        &v,
        |path| path.ends_with("/AcmeEnvironmentPostProcessor.java"),
        "info",
        "; spring-jcl, which spring-boot brings, routes it to the logging of the application that takes this library",
    );
    // Provided: the application taking the library brings Spring Boot.
    assert_level(
        &v,
        |path| path.ends_with("/AcmeConfigDataLoader.java"),
        "info",
        "; spring-jcl, which spring-boot-autoconfigure brings, routes it to the logging of the application that takes this library",
    );
    assert_level(
        &v,
        |path| path.ends_with("/PlainClient.java"),
        "warning",
        "",
    );
    // Spring 4 has no spring-jcl: its commons-logging is the real one.
    assert_level(
        &v,
        |path| path.ends_with("/LegacyListener.java"),
        "warning",
        "",
    );
    // With no application, every module counts as deployed, but one
    // named for generating code runs in none.
    assert_level(
        &v,
        |path| path.starts_with("codegen/"),
        "info",
        "; not deployed: acme-lib-codegen",
    );
    assert_level(
        &v,
        |path| path.starts_with("testutils/"),
        "info",
        "; not deployed: acme-lib-testutils",
    );
    assert_level(
        &v,
        |path| path.starts_with("testing-internal/"),
        "info",
        "; not deployed: acme-lib-testing-internal",
    );
}

#[test]
fn a_spring_cloud_librarys_boot_is_the_one_its_build_parent_goes_with() {
    let v = assert_matches_markers("spring-cloud-library");
    assert_level(
        &v,
        |path| path.ends_with("/PrefixFilter.java"),
        "info",
        "; spring-jcl, which spring-boot-starter brings, routes it to the logging of the application that takes this library",
    );
    assert_level(
        &v,
        |path| path.ends_with("/HeaderAudit.java"),
        "warning",
        "",
    );
}

#[test]
fn a_logback_file_where_slf4j_binds_another_backend_is_info() {
    let v = assert_matches_markers("logging-bridges");
    assert_level(
        &v,
        |path| path == "exporter/src/main/resources/logback.xml",
        "info",
        "; not read: log4j-slf4j-impl binds SLF4J to another backend where shop-exporter runs, and no logback is on its classpath",
    );
    assert_level(&v, |path| path == "exporter/pom.xml", "error", "");
}

#[test]
fn a_legacy_logging_api_every_application_routes_to_logback_is_info() {
    let v = assert_matches_markers("logging-bridges");
    let findings = v["findings"].as_array().unwrap();
    let levels = |file: &str| -> Vec<(u64, String, String)> {
        findings
            .iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(file))
            .map(|f| {
                let level = f["severity"].as_str().unwrap().to_string();
                let message = f["message"].as_str().unwrap().to_string();
                (f["line"].as_u64().unwrap(), level, message)
            })
            .collect()
    };
    // Spring Boot's starter routes commons-logging, JUL and log4j 2.
    let catalog = levels("catalog/PriceList.java");
    assert_eq!(
        catalog.len(),
        7,
        "neither Strings nor JUL's Level is a logging API"
    );
    for (line, level, message) in catalog {
        // log4j 2's own implementation is not what log4j-to-slf4j routes.
        if line == 8 {
            assert_eq!(level, "warning");
            continue;
        }
        assert_eq!(level, "info", "line {line}");
        assert!(
            message.ends_with(
                "; Spring Boot's logging starter routes it to SLF4J and logback in shop-api"
            ),
            "{message}"
        );
    }
    // But not log4j 1.
    assert!(levels("catalog/LegacyFeed.java")
        .iter()
        .all(|(_, level, _)| level == "warning"));
    // Each API is routed in only one of common's two applications.
    let common = levels("common/Retry.java");
    assert_eq!(common.len(), 3);
    assert!(common.iter().all(|(_, level, _)| level == "warning"));
    let nightly = levels("nightly/Reindex.java");
    assert_eq!(nightly[0].1, "info");
    assert!(nightly[0]
        .2
        .ends_with("; log4j-over-slf4j routes it to SLF4J and logback in shop-nightly"));
    // spring-boot-starter-log4j2 in place of the logging starter.
    assert!(levels("reports/SalesReport.java")
        .iter()
        .all(|(_, level, _)| level == "warning"));
    // Spring Boot 1 routes log4j 1, not the log4j 2 API.
    let admin = levels("admin/AdminAudit.java");
    let admin: Vec<&str> = admin.iter().map(|(_, level, _)| level.as_str()).collect();
    assert_eq!(admin, ["info", "warning", "warning"]);
    // The logging starter excluded.
    assert_eq!(levels("jobs/Cleanup.java")[0].1, "warning");
    // log4j-to-slf4j outranks log4j-core beside it: the log4j 2 API is
    // routed, and log4j-core is a leftover that writes nothing; log4j 2's
    // own implementation, used directly, is still log4j-core's.
    let search: Vec<String> = levels("search/IndexServer.java")
        .into_iter()
        .map(|(_, level, _)| level)
        .collect();
    assert_eq!(search, ["info", "info", "warning"]);
    let backend = levels("search/pom.xml");
    assert_eq!(backend.len(), 1);
    assert_eq!(backend[0].1, "info");
    assert!(backend[0].2.ends_with(
        "; writes nothing: a bridge outranks it as the `org.apache.logging.log4j` API's provider (log4j-to-slf4j routes it to SLF4J and logback in shop-search)"
    ), "{}", backend[0].2);
}

#[test]
fn without_a_pom_a_folder_named_as_examples_or_samples_is_info() {
    // A Gradle build: no pom says which modules a pod runs.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let write = |rel: &str, text: &str| {
        let path = repo.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("podready.toml", "");
    write(
        "settings.gradle",
        "include 'order-service', 'order-examples'\n",
    );
    let datasource = "spring.datasource.url=jdbc:mysql://localhost:3306/orders\n";
    write(
        "order-service/src/main/resources/application.properties",
        datasource,
    );
    write(
        "order-examples/src/main/resources/application.properties",
        datasource,
    );
    write(
        "order-examples/src/main/java/org/acme/Demo.java",
        "package org.acme;\nclass Demo {\n    void run() { System.out.println(\"sent\"); }\n}\n",
    );
    write(
        "operator/config/samples/runtime.yaml",
        "data:\n  registry: 127.0.0.1:8848\n",
    );
    let (v, _) = findings_json(repo);
    let at = |wanted: &str| level_and_message(&v, |path| path.starts_with(wanted));
    assert_eq!(at("order-service/").0, "warning");
    for folder in [
        "order-examples/src/main/resources",
        "order-examples/src/main/java",
        "operator/",
    ] {
        let (level, why) = at(folder);
        assert_eq!(level, "info", "{folder}");
        assert!(
            why.contains(
                "named as a test harness or an example (no pom says which modules a pod runs)"
            ),
            "{why}"
        );
    }
}

#[test]
fn findings_in_modules_no_pod_runs_are_info_with_the_reason() {
    let v = assert_matches_markers("deployed-modules");
    let severity_of = |module: &str| level_and_message(&v, |path| path.starts_with(module));
    assert_eq!(
        severity_of("web/src/main/java/com/acme/order/web/Registration.java").0,
        "error"
    );
    assert_eq!(
        severity_of("core/src/main/java/com/acme/order/core/OrderLog.java").0,
        "warning"
    );
    let (tool, why) = severity_of("tools/");
    assert_eq!(tool, "info");
    assert!(why.ends_with("; not deployed: order-tools"), "{why}");
    // Spring Boot's plugin told to find no main class makes no application.
    let (limiter, why) = severity_of("rate-limit/");
    assert_eq!(limiter, "info");
    assert!(why.ends_with("; not deployed: order-rate-limit"), "{why}");
    // A quick start's image carries configuration for its Compose stack:
    // an address the stack pins for a service is that network's.
    let backends = |line: u64| {
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["path"] == "docker/proxy-image/quick-start/backends.xml" && f["line"] == line
            })
            .unwrap();
        (
            f["severity"].as_str().unwrap(),
            f["message"].as_str().unwrap(),
        )
    };
    assert_eq!(
        backends(4),
        ("info", "hard-coded IP address 172.28.0.3; an address docker/quick-start/docker-compose.yml:9 gives a Compose service: configuration for that Compose stack, whose network no pod joins")
    );
    assert_eq!(backends(6).0, "error", "an address no Compose file gives");
    // A contributed extra's executable jar is no application.
    let (extra, why) = severity_of("contrib/");
    assert_eq!(extra, "info");
    assert!(why.ends_with("; not deployed: order-console"), "{why}");
    // A Maven plugin runs in the builds that use it.
    let (plugin, why) = severity_of("build-plugin/");
    assert_eq!(plugin, "info");
    assert!(why.ends_with("; not deployed: order-maven-plugin"), "{why}");
    assert_eq!(severity_of("order-example/").0, "info");
    // A stand-in for another system; a load generator by its README, which
    // the RPC package carries in lib/ beside the service.
    let (mock, why) = severity_of("mock-bank/");
    assert_eq!(mock, "info");
    assert!(why.ends_with("; not deployed: order-mock-bank"), "{why}");
    // What only picocli's subcommands use prints their answers, though
    // the war holds their module.
    let (printer, why) = severity_of("admin-commands/");
    assert_eq!(printer, "info");
    assert!(
        why.ends_with("; in SummaryPrinter, which only command-line programs and their helpers use (SummaryCommand): what it prints is their answer on a terminal"),
        "{why}"
    );
    // One of a set of samples, by its parent's name.
    let (sample, why) = severity_of("flows/refund-flow/");
    assert_eq!(sample, "info");
    assert!(why.ends_with("; not deployed: refund-flow"), "{why}");
    // A desktop application: its jar's main class opens a JavaFX window.
    let (viewer, why) = severity_of("order-viewer/");
    assert_eq!(viewer, "info");
    assert!(why.ends_with("; not deployed: order-viewer"), "{why}");
    let (replay, why) = severity_of("rpc-replay/");
    assert_eq!(replay, "info");
    assert!(why.ends_with("; not deployed: order-rpc-replay"), "{why}");
    // Named for tools, but a library the war holds, with no program.
    assert_eq!(severity_of("mail-tools/").0, "warning");
    // The tests' application below the root `test` folder, and the data
    // its tests expect.
    let (scenario, why) = severity_of("test/scenarios/order-scenario/config/");
    assert_eq!(scenario, "info");
    assert!(why.ends_with("; not deployed: order-scenario"), "{why}");
    // A Spring Boot application in a folder named in Chinese for cases.
    let (hello, why) = severity_of("入门案例源码/order-hello/src/main/resources/");
    assert_eq!(hello, "info");
    assert!(why.ends_with("; not deployed: order-hello"), "{why}");
    // Integration tests by their name, though the RPC package carries them.
    let (itests, why) = severity_of("rpc-itests/");
    assert_eq!(itests, "info");
    assert!(why.ends_with("; not deployed: order-rpc-itests"), "{why}");
    // A browser application's data.
    let (browser, why) = severity_of("console-ui/src/dashboards/traffic-by-client.json");
    assert_eq!(browser, "info");
    assert!(
        why.ends_with("; in console-ui/, a browser application's sources (its package.json, its components): the browser runs them, not the pod"),
        "{why}"
    );
    // Its tests' data too: no JVM build or source lies in the folder.
    let (browser, why) = severity_of("console-ui/test/data/clients-week.json");
    assert_eq!(browser, "info");
    assert!(why.ends_with("; in console-ui/, a browser application's sources (its package.json, its components): the browser runs them, not the pod"), "{why}");
    let (harness, why) = severity_of("order-e2e/");
    assert_eq!(harness, "info");
    assert!(why.ends_with("; not deployed: order-e2e"), "{why}");
    // Functional integration tests' war; a war only a developer's profile
    // builds.
    let (fit, why) = severity_of("fit/order-reference/");
    assert_eq!(fit, "info");
    assert!(
        why.ends_with("; not deployed: order-fit-reference"),
        "{why}"
    );
    let (workbench, why) = severity_of("workbench/");
    assert_eq!(workbench, "info");
    assert!(why.ends_with("; not deployed: order-workbench"), "{why}");
    // A demo on the war's classpath runs in its pod; so does what a
    // parent's dependency gives its children.
    assert_eq!(severity_of("order-demo/").0, "warning");
    assert_eq!(
        severity_of("common/src/main/java/com/acme/order/common/Retries.java").0,
        "warning"
    );
    // A library's package of examples, and a command-line interface's.
    assert_level(
        &v,
        |path| path.starts_with("common/src/main/java/com/acme/order/common/example/"),
        "info",
        "; in com.acme.order.common.example, a package of examples and demos, not the service's own code",
    );
    assert_level(
        &v,
        |path| path.starts_with("core/src/main/java/com/acme/order/core/cli/"),
        "info",
        "; in com.acme.order.core.cli, a command-line interface's package",
    );
    let (bundle, why) = severity_of("web/src/main/resources/messages_de.properties");
    assert_eq!(bundle, "info");
    assert!(
        why.ends_with("; in a resource bundle of texts for people, which configures nothing"),
        "{why}"
    );
    let (mock, why) = severity_of("web/src/main/resources/mock/");
    assert_eq!(mock, "info");
    assert!(why.ends_with("; mock data in web/src/main/resources/mock/, which stands in for real responses and connects nowhere"), "{why}");
    let (snippet, why) = severity_of("snippets/");
    assert_eq!(snippet, "info");
    assert!(
        why.ends_with("; not compiled: its nearest pom, order-parent, is an aggregator"),
        "{why}"
    );
    assert_level(
        &v,
        |path| path.starts_with("web/vendor/"),
        "info",
        "; not compiled: outside the folders order-web compiles (src/main/java/)",
    );
    // A log message naming a method calls nothing, nor does a page's
    // script calling a function of the same name (`static/receipt.js`),
    // nor generated Javadoc listing it (`core/doc/javadoc/`).
    assert_level(
        &v,
        |path| path.ends_with("/OrderMail.java"),
        "info",
        "; in OrderMail.mailOrderReceipt(), which nothing in the repository calls: it never runs",
    );
    // A library's log4j 2 file beside its logback counterpart is its
    // hosts' choice.
    assert_level(
        &v,
        |path| path.ends_with("/order-client-log4j2.xml"),
        "info",
        "; beside order-client-logback.xml, its logback counterpart, in the library order-core: the application taking it loads the file of its own backend",
    );
    // Or in a folder named for the backend beside a `logback` one; the
    // protoc plugin's main class makes no program of the library.
    assert_level(
        &v,
        |path| path.ends_with("/log/log4j2/log-conf.xml"),
        "info",
        "; beside logback/log-conf.xml, its logback counterpart, in the library order-core: the application taking it loads the file of its own backend",
    );
    // A resource only a method named for mock data loads is sample data;
    // the one the service reads is its configuration.
    assert_level(
        &v,
        |path| path.ends_with("/partners/partners-stub.json"),
        "info",
        "; sample data: only methods named for mock or sample data load partners-stub.json (PartnerDirectory.java)",
    );
    assert_level(
        &v,
        |path| path.ends_with("/partners/partners.json"),
        "error",
        "",
    );
    // An anonymous class runs once the method making it runs.
    assert_level(
        &v,
        |path| path.ends_with("/OrderFeedback.java"),
        "info",
        "; in OrderFeedback.console(), which nothing in the repository calls: it never runs",
    );
    // A static method only uncalled methods of its class call; one a
    // called method calls runs.
    let digest = "deployed-modules/web/src/main/java/com/acme/order/web/PageDigest.java";
    assert_level_at(
        &v,
        ("/PageDigest.java", line_in(digest, "\"digest of \"")),
        "info",
        "; in PageDigest.digest(), which only PageDigest.digestBase64() and PageDigest.digestHex() call, which nothing in the repository calls: it never runs",
    );
    assert_level_at(
        &v,
        ("/PageDigest.java", line_in(digest, "\"checksum of \"")),
        "warning",
        "",
    );
    // A developer's launcher in a library of the war (a page links to its
    // source): its nested starter only its main() uses; and the class only
    // it names.
    assert_level(
        &v,
        |path| path.ends_with("/dev/DevServers.java"),
        "info",
        "; in a nested type only main(), a command-line entry point, and the methods only it reaches use",
    );
    assert_level(
        &v,
        |path| path.ends_with("/dev/DevDatabase.java"),
        "info",
        "; in DevDatabase, a command-line program only code that never runs names (DevServers): no application starts it",
    );
    // One whose supertype no framework scans for, and a tool that makes the
    // application's context only to borrow a bean, then ends the process.
    assert_level(
        &v,
        |path| path.ends_with("/dev/QueueWatchDemo.java"),
        "info",
        "; in QueueWatchDemo, a command-line program no other file of the repository names: no application starts it",
    );
    assert_level(
        &v,
        |path| path.ends_with("/dev/SeedUsersSql.java"),
        "info",
        "; in SeedUsersSql, which only code that never runs names (SeedUsers): it never runs",
    );
    // The logging the Flink cluster the service starts jobs on reads.
    assert_level(
        &v,
        |path| path == "flinkconf/log4j.properties",
        "info",
        "; in flinkconf/, Flink's configuration, which Flink's own processes read",
    );
    // A server product's logging a distribution installs beside the service.
    assert_level(
        &v,
        |path| path == "distribution/conf/zookeeper/log4j.properties",
        "info",
        "; in distribution/conf/zookeeper/, ZooKeeper's configuration, which ZooKeeper's own processes read",
    );
    // The jar handed to YARN, whose main class is an ApplicationMaster.
    assert_level(
        &v,
        |path| path.starts_with("yarn-job/"),
        "info",
        "; not deployed: order-yarn-job",
    );
    assert_level(
        &v,
        |path| path.starts_with("web/src/main/test/"),
        "info",
        "; not compiled: outside the folders order-web compiles (src/main/java/)",
    );
    // Code of the war's classpath nothing in the repository names, tests
    // and comments aside (the controller's call commented out), never
    // runs; what a page names does.
    let file = "deployed-modules/core/src/main/java/com/acme/order/core/OrderLog.java";
    let (level, why) = finding_at(&v, "OrderLog.java", line_in(file, "order withdrawn"));
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with(
            "; in OrderLog.cancelled(), which nothing in the repository calls: it never runs"
        ),
        "{why}"
    );
    // A static method is called through its class's name: files naming
    // only `dispatched`, or `OrderLog` for another method, call another
    // class's.
    assert_level_at(
        &v,
        ("OrderLog.java", line_in(file, "order left")),
        "info",
        "; in OrderLog.dispatched(), which nothing in the repository calls: it never runs",
    );
    // A private method runs when the one method reaching it does.
    let images = "deployed-modules/core/src/main/java/com/acme/order/core/OrderImages.java";
    assert_level_at(
        &v,
        ("OrderImages.java", line_in(images, "getFile()") + 2),
        "info",
        "; in OrderImages.fetch(), which only OrderImages.collage() reaches, which nothing in the repository calls: it never runs",
    );
    let (level, why) = finding_at(&v, "OrderImages.java", line_in(images, "getPath()") + 2);
    assert_eq!(level, "warning", "{why}");
    // A bean's conditions call none of its methods; a call through one of
    // its fields, however chained, is another object's.
    let cache = "deployed-modules/core/src/main/java/com/acme/order/core/OrderCache.java";
    assert_level_at(
        &v,
        (
            "OrderCache.java",
            line_in(cache, "containsKey(\"value\")") + 2,
        ),
        "info",
        "; in OrderCache.containsKey(), which nothing in the repository calls: it never runs",
    );
    let (level, why) = finding_at(&v, "OrderCache.java", line_in(cache, "get(\"value\")") + 2);
    assert_eq!(level, "warning", "{why}");
    // A variable of a method's name does not call it.
    assert_level_at(
        &v,
        ("OrderLog.java", line_in(file, "stamping ")),
        "info",
        "; in OrderLog.stamp(), which nothing in the repository calls: it never runs",
    );
    for called in ["placed ", "audited "] {
        let (level, why) = finding_at(&v, "OrderLog.java", line_in(file, called));
        assert_eq!(level, "warning", "{why}");
    }
    assert_level(
        &v,
        |path| path.ends_with("/ShippingReport.java"),
        "info",
        "; in ShippingReport, which no other file of the repository names: it never runs",
    );
    // A class of the same simple name in another package is another
    // class; a comment of a configuration file calls nothing.
    assert_level(
        &v,
        |path| path.ends_with("/pay/legacy/PayNotice.java"),
        "info",
        "; in PayNotice, which no other file of the repository names: it never runs",
    );
    let file = "deployed-modules/core/src/main/java/com/acme/order/core/pay/PayNotice.java";
    assert_level_at(
        &v,
        ("pay/PayNotice.java", line_in(file, "raw notice")),
        "info",
        "; in PayNotice.logResult(), which nothing in the repository calls: it never runs",
    );
    let (level, why) = finding_at(&v, "pay/PayNotice.java", line_in(file, "notice verified"));
    assert_eq!(level, "warning", "{why}");
    // A static method is called bare or through its class: another
    // object's `getHostName()`, in its own body or elsewhere, is not it.
    let node = "deployed-modules/core/src/main/java/com/acme/order/core/NodeAddress.java";
    assert_level_at(
        &v,
        (
            "core/NodeAddress.java",
            line_in(node, "return local().getHostName()"),
        ),
        "info",
        "; in NodeAddress.getHostName(), which nothing in the repository calls: it never runs",
    );
    assert_level_at(
        &v,
        (
            "core/NodeAddress.java",
            line_in(node, "local().getHostAddress()"),
        ),
        "error",
        "",
    );
    // An import of one class of a package computes no name in it.
    assert_level(
        &v,
        |path| path.ends_with("/text/CardCodes.java"),
        "info",
        "; in CardCodes, which no other file of the repository names: it never runs",
    );
    // A class of the same name in a module the caller's does not compile
    // against is another class.
    assert_level(
        &v,
        |path| path == "sync-job/src/main/java/com/acme/order/jobs/JobClock.java",
        "info",
        "; in JobClock, which no other file of the repository names: it never runs",
    );
    assert_level(
        &v,
        |path| path == "settle-job/src/main/java/com/acme/order/jobs/JobClock.java",
        "warning",
        "",
    );
    // A configuration file only a reader naming it loads, which nothing
    // names, is never loaded.
    assert_level(
        &v,
        |path| path.ends_with("/vault.properties"),
        "info",
        "; not loaded: no file of the repository names vault.properties (documentation and a pom's `<exclude>` aside), and no framework reads a file of that name unasked",
    );
    // A resource below an `examples/` folder is a sample a person copies.
    assert_level(
        &v,
        |path| path.ends_with("/orders-import.yaml"),
        "info",
        "; an example in order-web's resources (`examples/`): what a person or a quick start copies, not the service's configuration",
    );
    // Spring Boot reads `application-{profile}.*`, not `application.legacy.*`.
    assert_level(
        &v,
        |path| path.ends_with("/application.legacy.properties"),
        "info",
        "; not loaded: no file of the repository names application.legacy.properties (documentation and a pom's `<exclude>` aside), and no framework reads a file of that name unasked",
    );
    // Named only by documentation and by the pom's `<exclude>` leaving it
    // out; a name in another script than Latin is searched as well.
    assert_level(
        &v,
        |path| path.ends_with("/配置详情.yml"),
        "info",
        "; not loaded: no file of the repository names 配置详情.yml (documentation and a pom's `<exclude>` aside), and no framework reads a file of that name unasked",
    );
    for named in ["/search.properties", "/sms.properties"] {
        assert_level(&v, |path| path.ends_with(named), "warning", "");
    }
    // No web server listens on the port of an application that starts
    // none, by its code or by its base configuration.
    assert_level(
        &v,
        |path| path == "settle-job/src/main/resources/application.yml",
        "info",
        "; no web server listens on it: order-settle-job starts its application with `WebApplicationType.NONE` (SettleJob.java)",
    );
    assert_level(
        &v,
        |path| path == "sync-job/src/main/resources/application.properties",
        "info",
        "; no web server listens on it: order-sync-job starts its application with `spring.main.web-application-type = none` (application.properties)",
    );
    // A key only a client library reads is read by nothing where no such
    // library is on the application's classpath; a library a module on it
    // depends on reads it.
    let sync = "deployed-modules/sync-job/src/main/resources/application.properties";
    assert_level_at(
        &v,
        ("sync-job/src/main/resources/application.properties", line_in(sync, "spring.zipkin")),
        "info",
        "; read by nothing: no dependency where order-sync-job runs is Zipkin or Sleuth, which reads `spring.zipkin.base-url`",
    );
    assert_level_at(
        &v,
        (
            "sync-job/src/main/resources/application.properties",
            line_in(sync, "spring.redis"),
        ),
        "warning",
        "",
    );
    // Another key's placeholder reads it whatever the dependencies.
    assert_level_at(
        &v,
        (
            "sync-job/src/main/resources/application.properties",
            line_in(sync, "config.server-addr="),
        ),
        "error",
        "",
    );
    // A key of the project's own namespace no code or configuration names
    // is read by nothing; one a class binds is read.
    assert_level_at(
        &v,
        (
            "sync-job/src/main/resources/application.properties",
            line_in(sync, "order.feed.url"),
        ),
        "info",
        "; read by nothing: `order` is the project's own namespace (com.acme.order), and no code or configuration of the repository names `order.feed.url` or a prefix of it",
    );
    assert_level_at(
        &v,
        (
            "sync-job/src/main/resources/application.properties",
            line_in(sync, "order.warehouse.url"),
        ),
        "warning",
        "",
    );
    // A parent from the company's repository manager may bring the client.
    assert_level(
        &v,
        |path| path == "audit-job/src/main/resources/application.properties",
        "error",
        "",
    );
    // A module only its logback.xml makes an application of, holding four
    // programs a person starts and no application, is no service; one
    // whose program a script starts is.
    assert_level(
        &v,
        |path| path.ends_with("/EchoHandler.java"),
        "info",
        "; not deployed: order-lab",
    );
    assert_level(
        &v,
        |path| path.ends_with("/RelayHandler.java"),
        "warning",
        "",
    );
    // Another program's release unpacked in the repository logs as that
    // program does; the service's own release folder is the service's.
    assert_level(
        &v,
        |path| path == "vendor/nacos/conf/nacos-logback.xml",
        "info",
        "; in vendor/nacos/, an unpacked release of another program (its bin/, conf/ and license), which the repository does not build",
    );
    assert_level(&v, |path| path == "release/conf/logback.xml", "error", "");
    // A backup copy outside every module is loaded by nothing.
    assert_level(
        &v,
        |path| path == "ops/backup/nacos/order-logback.xml",
        "info",
        "; in ops/backup/, a backup copy outside every module, which nothing loads",
    );
    // Unless an image takes it, or it is a project of its own beside the
    // aggregator (an outside parent): those run in pods.
    assert_level(
        &v,
        |path| path == "ops/tool/healthcheck/healthcheck.properties",
        "error",
        "",
    );
    assert_level(
        &v,
        |path| path == "edge-gateway/src/main/resources/application.properties",
        "error",
        "",
    );
    // A folder of tools outside every module is an operator's.
    assert_level(
        &v,
        |path| path == "ops/tools/replay/replay-log4j2.xml",
        "info",
        "; in ops/tools/, a folder of tools outside every module, which a person runs",
    );
    // A `name` or `type` beside sections picks one: the others are read by
    // nothing (the markers: no finding on the Kafka line), the one picked
    // is what runs.
    let web_yml = "deployed-modules/web/src/main/resources/application.yml";
    assert_level_at(
        &v,
        (
            "web/src/main/resources/application.yml",
            line_in(web_yml, "endpoint:"),
        ),
        "error",
        "",
    );
    // A document only a developer's profile activates is a developer's.
    assert_level_at(
        &v,
        (
            "web/src/main/resources/application.yml",
            line_in(web_yml, "host: 127.0.0.1"),
        ),
        "info",
        "; in the document for the `development-h2` profile, meant for a developer's machine",
    );
    assert_level_at(
        &v,
        (
            "web/src/main/resources/application.yml",
            line_in(web_yml, "host: 10.1.2.4"),
        ),
        "error",
        "",
    );
    // A module whose parent pom was moved out of the repository, listed by
    // no aggregator, builds nowhere.
    assert_level(
        &v,
        |path| path.ends_with("/StockApplication.java"),
        "info",
        "; not deployed: stock-start",
    );
    // A module the aggregator beside it leaves out builds nowhere either.
    assert_level(
        &v,
        |path| path.ends_with("/ArchiveApplication.java"),
        "info",
        "; not deployed: order-archive",
    );
    // A project skeleton among a module's resources is what a generator
    // copies: its pom is no module of the build, its configuration no
    // application's.
    assert_level(
        &v,
        |path| path.ends_with("templates/gen/web/src/main/resources/config/bootstrap-prod.yml"),
        "info",
        "; in a project template under core/src/main/resources/, which a code generator copies for a new project; no application loads it",
    );
    // A developer's copy of a module's settings beside production's.
    assert_level(
        &v,
        |path| path == "conf/local/web/application.yml",
        "info",
        "; in conf/local/, a copy for a developer's machine outside every module",
    );
    assert_level(
        &v,
        |path| path == "conf/prod/web/application.yml",
        "warning",
        "",
    );
    // An editor's site-sync notes, carried with vendored web assets.
    assert_level(
        &v,
        |path| path.ends_with("/_notes/dwsync.xml"),
        "info",
        "; in web/src/main/webapp/static/editor/_notes/, an editor's own notes, which configure nothing",
    );
    // A job method only a seed row the SQL leaves paused names does not
    // run; the one a running row names does.
    let file = "deployed-modules/core/src/main/java/com/acme/order/core/OrderJobs.java";
    let at = |needle: &str| ("OrderJobs.java", line_in(file, needle));
    assert_level_at(
        &v,
        at("\"hello \""),
        "info",
        "; in OrderJobs.sayHello(), which nothing in the repository calls (only rows sql/jobs.sql seeds paused name it): it never runs",
    );
    assert_level_at(&v, at("report done"), "warning", "");
    // A subtype made from a name computed in its package runs.
    assert_level(
        &v,
        |path| path.ends_with("/AlipayHandler.java"),
        "warning",
        "",
    );
    // A static import names the class whose member it brings.
    assert_level(&v, |path| path.ends_with("/OrderHosts.java"), "error", "");
    // A loader's list under META-INF/ names a class.
    assert_level(
        &v,
        |path| path.ends_with("/CloudRegistrar.java"),
        "warning",
        "",
    );
    // An interface does not make an object; an import names nothing.
    assert_level(
        &v,
        |path| path.ends_with("/ZoneRegistrar.java"),
        "info",
        "; in ZoneRegistrar, which no other file of the repository names: it never runs",
    );
    assert_eq!(
        severity_of("web/src/main/java/com/acme/order/web/PageClock.java").0,
        "warning"
    );
    // A public method only its class's main() calls is the tool's; one the
    // controller calls too runs in the pod.
    let file = "deployed-modules/core/src/main/java/com/acme/order/core/Secrets.java";
    let (level, why) = finding_at(&v, "Secrets.java", line_in(file, "return null;") - 1);
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with(
            "; in Secrets.encode(), which only Secrets.main(), a command-line entry point, reaches"
        ),
        "{why}"
    );
    // Through a method only `main()` calls, too.
    assert_level(
        &v,
        |path| path.ends_with("/KeyPrinter.java"),
        "info",
        "; in KeyPrinter.printKey(), which only KeyPrinter.main(), a command-line entry point, reaches",
    );
    let decoding = line_in(file, "decode(String encoded)") + 4;
    assert_eq!(finding_at(&v, "Secrets.java", decoding).0, "warning");
    let rotating = line_in(file, "rotate(String encoded)") + 4;
    let (level, why) = finding_at(&v, "Secrets.java", rotating);
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with(
            "; in Secrets.rotate(), which nothing in the repository calls: it never runs"
        ),
        "{why}"
    );
    let masking = line_in(file, "masking");
    let (level, why) = finding_at(&v, "Secrets.java", masking);
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with("; in Secrets.mask(), which nothing in the repository calls: it never runs"),
        "{why}"
    );
    // Not when another class of the file calls it too, nor when main()
    // hands over to a method starting Spring.
    let file = "deployed-modules/core/src/main/java/com/acme/order/core/ClockCheck.java";
    let (level, why) = finding_at(&v, "ClockCheck.java", line_in(file, "printStackTrace"));
    assert_eq!(level, "warning", "{why}");
    assert_eq!(
        severity_of("web/src/main/java/com/acme/order/web/WebLauncher.java").0,
        "warning"
    );
    // Code driving a code generator runs on a developer's machine.
    assert_level(
        &v,
        |path| path.ends_with("/SchemaGenerator.java"),
        "info",
        "; in code that drives a code generator, which a developer or the build runs to write sources or documentation",
    );
    // And a doclet, which javadoc runs.
    assert_level(
        &v,
        |path| path.ends_with("/ApiDoclet.java"),
        "info",
        "; in code that drives a code generator, which a developer or the build runs to write sources or documentation",
    );
    // And a plugin declared in the generator's own package.
    assert_level(
        &v,
        |path| path.ends_with("/OrderCommentPlugin.java"),
        "info",
        "; in code that drives a code generator, which a developer or the build runs to write sources or documentation",
    );
    // So does a class only such code names.
    assert_level(
        &v,
        |path| path.ends_with("/SchemaSource.java"),
        "info",
        "; in SchemaSource, which only code driving a code generator names (SchemaGenerator): a developer or the build runs it",
    );
    // Not a class only a controller using the generator's API names: a
    // framework makes the controller.
    assert_level(
        &v,
        |path| path.ends_with("/PreviewCache.java"),
        "warning",
        "",
    );
    // So does code writing sources with JavaPoet or JFinal's model
    // generator, and an annotation processor, which javac runs.
    for class in [
        "EventSourceWriter",
        "ModelSourceWriter",
        "OrderEventProcessor",
    ] {
        assert_level(
            &v,
            |path| path.ends_with(&format!("/{class}.java")),
            "info",
            "; in code that drives a code generator, which a developer or the build runs to write sources or documentation",
        );
    }
    // A command of the container's shell answers on the operator's
    // terminal; what it logs is the container's log.
    let shell_command =
        "deployed-modules/core/src/main/java/com/acme/order/core/shell/OpenOrdersCommand.java";
    assert_level_at(
        &v,
        ("OpenOrdersCommand.java", line_in(shell_command, "open orders: 0")),
        "info",
        "; in a command of an interactive shell (Karaf's, Spring Shell's): what it prints is the answer on the operator's terminal",
    );
    assert_level_at(
        &v,
        (
            "OpenOrdersCommand.java",
            line_in(shell_command, "getLogger(\"order\")"),
        ),
        "warning",
        "",
    );
    // A prompt asks the person typing at the terminal.
    let prompt =
        "deployed-modules/core/src/main/java/com/acme/order/core/shell/ReopenDayPrompt.java";
    assert_level_at(
        &v,
        ("ReopenDayPrompt.java", line_in(prompt, "print(\"day to reopen")),
        "info",
        "; in a program that reads what a person types at the terminal: what it prints is its conversation with them",
    );
    // Of two programs the build packs, the one whose `main()` ends the
    // process when done is an operator's command; the server runs.
    assert_level(
        &v,
        |path| path.ends_with("/LedgerAdmin.java"),
        "info",
        "; in LedgerAdmin.execute(), which only LedgerAdmin.main(), a command-line entry point, reaches",
    );
    assert_eq!(
        severity_of("ledger/src/main/java/com/acme/order/ledger/LedgerServer.java").0,
        "warning"
    );
    // A Spring Boot job exits with its status: an application all the same.
    assert_eq!(
        severity_of("ledger/src/main/java/com/acme/order/ledger/LedgerCloseJob.java").0,
        "warning"
    );
    assert_level(
        &v,
        |path| path == "web/src/site/xdoc/clustering.xml",
        "info",
        "; in web/src/site/, the project's web site pages: documentation no artifact holds",
    );
    // Maven 1's and Anakia's `xdocs/` beside the sources.
    assert_level(
        &v,
        |path| path == "xdocs/changes.xml",
        "info",
        "; in xdocs/, the project's web site pages: documentation no artifact holds",
    );
    assert_level(
        &v,
        |path| path == "dev-support/test-cluster/install.conf",
        "info",
        "; in dev-support/, the developers' own tooling (installers, a developer's cluster), which no pod runs",
    );
    assert_level(
        &v,
        |path| path == "dev/local-template/log4j2.xml",
        "info",
        "; in dev/, the developers' own tooling (installers, a developer's cluster), which no pod runs",
    );
    assert_level(
        &v,
        |path| path == "ledger/src/main/resources/log4j2.xml",
        "info",
        "; not packaged: order-ledger's jar plugin leaves it out (`<exclude>log4j2.xml</exclude>`)",
    );
    // A page using the generator's table model runs in the pod.
    assert_eq!(
        severity_of("web/src/main/java/com/acme/order/web/CodegenPage.java").0,
        "warning"
    );
    // Named by no other file, but by a class of its own file a framework runs.
    assert_eq!(
        severity_of("web/src/main/java/com/acme/order/web/OrderSync.java").0,
        "warning"
    );
    let deployment = &v["summary"]["deployment"];
    assert_eq!(deployment["found_by"], "build");
    let mut not_deployed: Vec<&str> = deployment["not_deployed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    not_deployed.sort_unstable();
    // The RPC service's assembly packs its own dependencies only
    // (`<dependencySets>`): the client SDK no module uses is not shipped.
    assert_eq!(
        not_deployed,
        [
            "order-archive",
            "order-client",
            "order-client-sdk",
            "order-code-generator",
            "order-console",
            "order-example",
            "order-fit-reference",
            "order-hello",
            "order-lab",
            "order-maven-plugin",
            "order-migrator",
            "order-mock-bank",
            "order-notify-sdk",
            "order-push-sdk",
            "order-rate-limit",
            "order-replay",
            "order-rpc-itests",
            "order-rpc-replay",
            "order-scenario",
            "order-schema-compiler",
            "order-stub",
            "order-tools",
            "order-tutorial",
            "order-viewer",
            "order-workbench",
            "order-yarn-job",
            "refund-flow",
            "registry",
            "stock-core",
            "stock-start"
        ]
    );
    assert!(deployment["deployed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "order-rpc"));
    // The text report says which modules it took as deployed.
    let out = podready(&["check", "."], &fixtures().join("deployed-modules"));
    assert!(stdout(&out)
        .contains("deployed: order-audit-job (Spring Boot), edge-gateway (Spring Boot), order-ledger (executable jar), order-relay (logback.xml), order-rpc (assembly), order-settle-job (Spring Boot), order-sync-job (Spring Boot), order-web (war) and what they depend on"));
}

#[test]
fn configuration_outside_every_module_in_a_harness_or_a_compose_stack_is_info() {
    let v = assert_matches_markers("deployed-modules");
    let at = |wanted: &str| level_and_message(&v, |path| path == wanted);
    let (level, why) = at("e2e/order.yml");
    assert_eq!(level, "info");
    assert!(
        why.ends_with("; in e2e/, a test harness or example folder outside every module"),
        "{why}"
    );
    // The start script points Spring and logback outside the jar: at a
    // file of its own for Spring, at the jar's copy the assembly also
    // ships for logback.
    let (level, why) = at("rpc/src/main/resources/application.yml");
    assert_eq!(level, "info");
    assert!(
        why.ends_with("; not loaded: rpc/src/main/assembly/bin/start-rpc.sh starts it with `spring.config.location` pointing outside the jar"),
        "{why}"
    );
    assert_eq!(at("rpc/src/main/resources/logback.xml").0, "error");
    // A demo environment's manifests are what its pods are given.
    assert_eq!(at("deploy/demo/k8s/configmap.yaml").0, "error");
    // Kubernetes manifests of the harness are the harness's.
    let (level, why) = at("e2e/k8s/order-db.yaml");
    assert_eq!(level, "info");
    assert!(
        why.ends_with("; in e2e/, a test harness or example folder outside every module"),
        "{why}"
    );
    let (level, why) = at("compose/docker-compose.yml");
    assert_eq!(level, "info");
    assert!(
        why.ends_with("; a Docker Compose file, which no pod runs"),
        "{why}"
    );
    let (level, why) = at("ops/docker-compose/env.base.yml");
    assert_eq!(level, "info");
    assert!(
        why.ends_with("; a Docker Compose file, which no pod runs"),
        "{why}"
    );
    let (level, why) = at("compose/conf/application.yml");
    assert_eq!(level, "info");
    assert!(
        why.ends_with("; in the Docker Compose stack compose/, outside every module"),
        "{why}"
    );
    // A playground's stack is a try-out, no pod's configuration.
    assert_level(
        &v,
        |path| path == "docker/playground/conf/log4j2.xml",
        "info",
        "; in docker/playground/, a test harness or example folder outside every module",
    );
    // `test` beside a harness word names a test image's folder.
    assert_level(
        &v,
        |path| path == "docker/test-images/broker/config/log4j2.properties",
        "info",
        "; in docker/test-images/, a test harness or example folder outside every module",
    );
    // So does it for a module below it, a Spring Boot application though it is.
    assert_level(
        &v,
        |path| path == "docker/test-images/registry/src/main/resources/application.yml",
        "info",
        "; not deployed: registry",
    );
    // A stock image's configuration in a stack whose own image is built
    // below it: that image takes only its own folder.
    let (level, why) = at("sandbox/redis/redis.conf");
    assert_eq!(level, "info");
    assert!(
        why.ends_with("; in the Docker Compose stack sandbox/, outside every module"),
        "{why}"
    );
    assert_eq!(at("sandbox/gateway/gateway.properties").0, "error");
    // A Dockerfile beside the stack builds an image that takes the file.
    let (level, why) = at("image/application.yml");
    assert_eq!(level, "warning", "{why}");
    // What a Kubernetes folder holds is what the pod is given.
    assert_eq!(at("compose/k8s/configmap.yaml").0, "error");
    // Beside the file a Dockerfile copies one by one, but the folder's
    // name is a word of the Compose file beside it: it may mount it.
    assert_eq!(at("image/application-cache.properties").0, "warning");
    // A folder beside the modules that a module's jar takes as resources.
    assert_eq!(at("shared/defaults/application.properties").0, "warning");
    // A rule with an `outside_modules` level: a template beside the modules.
    let (level, why) = at("script/client/application.properties");
    assert_eq!(level, "info");
    assert!(
        why.ends_with("; outside every module: its nearest pom, order-parent, is an aggregator, and no artifact ships it"),
        "{why}"
    );
}

#[test]
fn a_value_a_mounted_config_map_or_compose_folder_sets_again_is_info() {
    let v = assert_matches_markers("mounted-config");
    let file = |module: &str| format!("mounted-config/{module}/src/main/resources/application.yml");
    let redis = line_in(&file("buyer-api"), "host: 127.0.0.1");
    assert_level_at(
        &v,
        ("buyer-api/src/main/resources/application.yml", redis),
        "info",
        "; deploy/api.yml mounts its own application.yml (ConfigMap `api-config`) into buyer-api's containers, which sets it again: not what a pod runs with",
    );
    // A key the mounted file does not set, and a module it is not mounted into.
    let database = line_in(&file("buyer-api"), "url: jdbc");
    assert_level_at(
        &v,
        ("buyer-api/src/main/resources/application.yml", database),
        "warning",
        "on this machine",
    );
    // Nor a developer's Compose stack (`dev/docker-compose.yml`).
    let redis = line_in(&file("seller-api"), "host: 127.0.0.1");
    assert_level_at(
        &v,
        ("seller-api/src/main/resources/application.yml", redis),
        "warning",
        "on this machine",
    );
    // A folder a Compose service binds where Spring reads.
    let database = line_in(&file("admin-api"), "url: jdbc");
    assert_level_at(
        &v,
        ("admin-api/src/main/resources/application.yml", database),
        "info",
        "; deploy/compose/admin-api.yml mounts its own application.yml (`deploy/compose/config/admin-api/application.yml`) into admin-api's containers, which sets it again: not what a pod runs with",
    );
    let redis = line_in(&file("admin-api"), "host: 127.0.0.1");
    assert_level_at(
        &v,
        ("admin-api/src/main/resources/application.yml", redis),
        "warning",
        "on this machine",
    );
    // The mounted file itself is what the pod runs with, though it lies
    // outside every module.
    let redis = line_in(
        "mounted-config/deploy/compose/config/admin-api/application.yml",
        "host: 127.0.0.1",
    );
    assert_level_at(
        &v,
        ("deploy/compose/config/admin-api/application.yml", redis),
        "warning",
        "on this machine",
    );
    let port = line_in(
        "mounted-config/deploy/compose/config/admin-api/application.yml",
        "port: 8603",
    );
    assert_level_at(
        &v,
        ("deploy/compose/config/admin-api/application.yml", port),
        "warning",
        "not the standard port",
    );
}

#[test]
fn a_production_profile_the_image_does_not_run_is_info() {
    let v = assert_matches_markers("mounted-config");
    let file = "mounted-config/seller-api/src/main/resources/application-prod.yml";
    assert_level_at(
        &v,
        ("seller-api/src/main/resources/application-prod.yml", line_in(file, "url: jdbc")),
        "info",
        "; in the `prod` profile's configuration, which no deployment of the application activates (they activate docker)",
    );
    // The base value the image's profile sets again.
    let base = "mounted-config/seller-api/src/main/resources/application.yml";
    let (level, why) = finding_at(
        &v,
        "seller-api/src/main/resources/application.yml",
        line_in(base, "url: jdbc"),
    );
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with(
            "seller-api/src/main/resources/application-prod.yml): not what a pod runs with"
        ),
        "{why}"
    );
}

#[test]
fn a_base_value_every_deployed_profile_sets_again_is_info() {
    let v = assert_matches_markers("spring-profiles");
    let file = "spring-profiles/src/main/resources/application.yml";
    let prod = "(src/main/resources/application-prod.yml, config/shop-prod.yaml)";
    // An empty value (`log-impl:`) sets the key again too.
    for (needle, level) in [
        ("port: 8081", "info"),
        ("host: localhost", "info"),
        ("log-impl: org", "info"),
    ] {
        let (got, why) = finding_at(&v, "/application.yml", line_in(file, needle));
        assert_eq!(got, level, "{why}");
        assert!(
            why.ends_with(&format!(
                "; every profile a pod may run with sets it again {prod}: not what a pod runs with"
            )),
            "{why}"
        );
    }
    // No profile sets Redis' host (the developers' aside): it runs.
    let (got, why) = finding_at(&v, "/application.yml", line_in(file, "host: 127.0.0.1"));
    assert_eq!(got, "warning", "{why}");
    // bootstrap.yml's values, by bootstrap-{profile}.yml.
    assert_level(
        &v,
        |path| path.ends_with("/bootstrap.yml"),
        "info",
        "; every profile a pod may run with sets it again (src/main/resources/bootstrap-prod.yml): not what a pod runs with",
    );
    // A profile no deployment activates, while the manifest activates `prod`.
    assert_level(
        &v,
        |path| path.ends_with("/application-beta.yml"),
        "info",
        "; in the `beta` profile's configuration, which no deployment of the application activates (they activate prod)",
    );
    // A placeholder's default, when the deployment sets its variable.
    assert_level_at(
        &v,
        ("/application.yml", line_in(file, "SHOP_DB_URL")),
        "info",
        "; a default for the environment variable SHOP_DB_URL, which the deployment sets (k8s/shop-deployment.yaml)",
    );
    assert_level_at(
        &v,
        ("/application.yml", line_in(file, "SHOP_MQ_HOST")),
        "warning",
        "",
    );
    // A key whose environment variable the manifest sets (a folded
    // scalar's text read): Spring Boot takes the environment first.
    assert_level_at(
        &v,
        ("/application.yml", line_in(file, "addresses: localhost:5672")),
        "info",
        "; replaced in the pods: k8s/shop-deployment.yaml sets SPRING_RABBITMQ_ADDRESSES, which Spring Boot takes before this file",
    );
    // An env file is read, hidden as its name is.
    assert_level_at(
        &v,
        ("/application.yml", line_in(file, "SHOP_KAFKA_SERVERS")),
        "info",
        "; a default for the environment variable SHOP_KAFKA_SERVERS, which the deployment sets (docker/.env)",
    );
    // The CI build's profile.
    assert_level(
        &v,
        |path| path.ends_with("/application-ci.yml"),
        "info",
        "; in the `ci` profile's configuration, meant for the CI build's tests",
    );
    // A folder kept for the CI build.
    assert_level(
        &v,
        |path| path == "ci/travis/conf/order-server.properties",
        "info",
        "; in a folder kept for the `travis` CI build, whose tests read it",
    );
    // The developers' logging configuration, named after their profile.
    assert_level(
        &v,
        |path| path.ends_with("/logback-dev.xml"),
        "info",
        "; in the `dev` profile's configuration, meant for a developer's machine",
    );
    // A file named for the profile alone.
    assert_level(
        &v,
        |path| path.ends_with("/config/dev.properties"),
        "info",
        "; in the `dev` profile's configuration, meant for a developer's machine",
    );
    // The folder a `dev` Maven profile copies its resources from.
    assert_level(
        &v,
        |path| path.ends_with("/dev/log4j2-spring.xml"),
        "info",
        "; in the `dev` profile's configuration, meant for a developer's machine",
    );
}

#[test]
fn a_start_script_putting_the_jvm_in_the_background_fails_where_an_image_runs_it() {
    let v = assert_matches_markers("rules/deploy/background-start");
    assert_level(&v, |path| path == "bin/start.sh", "warning", "");
    assert_level(
        &v,
        |path| path == "bin/startup.sh",
        "info",
        "; no Dockerfile, manifest or Compose file of the repository runs this script: a VM's, which the platform's deploy spec replaces",
    );
}

#[test]
fn a_librarys_uncalled_debugging_aid_is_info() {
    let v = assert_matches_markers("library-debug-aids");
    let file = "library-debug-aids/src/main/java/com/acme/ledger/Ledger.java";
    assert_level_at(
        &v,
        ("Ledger.java", line_in(file, "\"entry \"")),
        "info",
        "; in Ledger.dumpEntries(), a debugging aid named so, which nothing in the repository calls",
    );
    assert_level_at(
        &v,
        ("Ledger.java", line_in(file, "\"total \"")),
        "warning",
        "",
    );
}

#[test]
fn a_tool_a_coverage_report_depends_on_is_still_a_tool() {
    let v = assert_matches_markers("library-tools");
    assert_level(
        &v,
        |path| path.ends_with("/Answer.java"),
        "info",
        "; in the command-line tool rates-app, which no application found runs: no pod runs it",
    );
    assert_level(&v, |path| path.ends_with("/RateTable.java"), "warning", "");
}

#[test]
fn a_developer_profile_the_base_configuration_activates_is_what_pods_run() {
    let v = assert_matches_markers("default-dev-profile");
    // `admin`'s base activates `dev` and nothing deploys it otherwise.
    assert_level(
        &v,
        |path| path == "admin/src/main/resources/application-dev.yml",
        "warning",
        "on this machine",
    );
    // `portal`'s image activates `prod`: its `dev` file is a developer's.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["path"].as_str().unwrap().starts_with("portal/")),
        "{v}"
    );
}

#[test]
fn a_test_environments_folder_a_plain_build_takes_is_not_what_the_release_build_ships() {
    let v = assert_matches_markers("environment-folders");
    // `offline` is active by default, but the `online` profile's build
    // replaces its folder.
    assert_level(
        &v,
        |path| path.ends_with("/offline/application.properties"),
        "info",
        "; in the `offline` profile's configuration, meant for a developer's machine",
    );
    assert_level(
        &v,
        |path| path.ends_with("/online/application.properties"),
        "warning",
        "",
    );
}

#[test]
fn a_vendored_librarys_classes_only_unused_code_names_never_run() {
    let v = assert_matches_markers("vendored-library");
    // The proxy and its factory name each other and nothing else names
    // either: the import of one and the code of the other never run.
    assert_level(
        &v,
        |path| path.ends_with("/RpcProxy.java"),
        "info",
        "; in RpcProxy, which only code that never runs names (RpcProxyFactory): it never runs",
    );
    assert_level(
        &v,
        |path| path.ends_with("/RpcProxyFactory.java"),
        "info",
        "; in RpcProxyFactory, which only code that never runs names (RpcProxy): it never runs",
    );
    // The codec, which the application uses, and so what names it.
    assert_level(&v, |path| path.ends_with("/Codec.java"), "warning", "");
}

#[test]
fn an_executable_jar_leaving_its_backend_to_the_jvm_it_runs_in_is_an_adapter() {
    let v = assert_matches_markers("rules/logging/backend");
    assert_level(
        &v,
        |path| path == "agent/pom.xml",
        "info",
        "; in the adapter module backend-inspector (log4j-core is provided: not in its jar, the JVM it runs in brings it)",
    );
    // An assembly leaves a provided backend to what loads it.
    assert_level(
        &v,
        |path| path == "plugin/pom.xml",
        "info",
        "; in the adapter module backend-export-plugin (log4j-slf4j2-impl is provided: not in its package, what loads it brings it)",
    );
}

#[test]
fn adapter_modules_and_the_projects_own_logging_code_are_info_with_the_reason() {
    let v = assert_matches_markers("deployed-modules");
    let findings = v["findings"].as_array().unwrap();
    let under = |prefix: &str| -> Vec<(&str, &str, &str)> {
        findings
            .iter()
            .filter(|f| f["path"].as_str().unwrap().starts_with(prefix))
            .map(|f| {
                (
                    f["rule"].as_str().unwrap(),
                    f["severity"].as_str().unwrap(),
                    f["message"].as_str().unwrap(),
                )
            })
            .collect()
    };
    // The bridge leaves log4j-core to the applications (provided,
    // optional): its pom, code and configuration are at info.
    let bridge = under("log4j2-bridge/");
    assert_eq!(bridge.len(), 4, "{bridge:?}");
    for (_, severity, message) in &bridge {
        assert_eq!(*severity, "info", "{message}");
        assert!(
            message.ends_with("; in the adapter module order-log4j2-bridge (log4j-core is provided: an application gets it only by choosing it)"),
            "{message}"
        );
    }
    // The facade's package, the handler's and the console dialect's
    // (`ConsoleLog extends AbstractLog`) are logging code: the console is
    // their fallback. Their legacy API stays a warning, but for the JUL
    // handler's: a plugin JUL calls, taking no logger from it.
    let plugin = "; in a plugin of that API (a class of the file extends or implements `java.util.logging.Handler`, and the file takes no logger from the API): the API calls it where its configuration names it, and code logging through the API is reported where it logs";
    for (rule, severity, message) in under("core/src/main/java/com/acme/order/core/log/") {
        if rule == "logging/legacy-api" && message.ends_with(plugin) {
            assert_eq!(severity, "info", "{message}");
        } else if rule == "logging/legacy-api" {
            assert_eq!(severity, "warning", "{message}");
        } else {
            assert_eq!(severity, "info", "{message}");
            assert!(
                message.ends_with("; in the project's own logging code (package com.acme.order.core.log), which cannot log through itself")
                    || message.ends_with("; in the project's own logging code (package com.acme.order.core.log.jul), which cannot log through itself")
                    || message.ends_with("; in the project's own logging code (package com.acme.order.core.log.console), which cannot log through itself"),
                "{message}"
            );
        }
    }
    let handler = under("core/src/main/java/com/acme/order/core/log/jul/FileHandler.java");
    assert_eq!(
        handler
            .iter()
            .filter(|(rule, _, m)| *rule == "logging/legacy-api" && m.ends_with(plugin))
            .count(),
        2,
        "{handler:?}"
    );
    // A dialect of the facade in a package of its own: it implements the
    // project's `Logger`.
    assert_level(
        &v,
        |path| path.ends_with("/audit/plain/PlainAuditLogger.java"),
        "info",
        "; in the project's own logging code (package com.acme.order.core.audit.plain), which cannot log through itself",
    );
    assert!(
        under("core/src/main/java/com/acme/order/core/log/console/Console.java")
            .iter()
            .any(|(rule, _, _)| *rule == "logging/stdout")
    );
    // A dialect of a facade whose service list names its SLF4J dialect
    // first.
    assert_level(
        &v,
        |path| path.ends_with("/dialect/jul/JulTraceLogSource.java"),
        "info",
        "; in the jul dialect of a logging facade whose service list core/src/main/resources/META-INF/services/com.acme.order.core.tracing.TraceLogSource names its SLF4J dialect first: it runs only where SLF4J is missing (every Spring Boot application has it)",
    );
    // A configuration file named as a sample is for people to copy.
    let sample = under("web/src/main/resources/application.sample.properties");
    assert_eq!(sample.len(), 1, "{sample:?}");
    assert_eq!(sample[0].1, "info");
    assert!(sample[0]
        .2
        .ends_with("; a sample file, which no application loads"));
    // An appender of the service's own audit log is logging code too.
    assert_level(
        &v,
        |path| path.ends_with("/audit/AuditFileAppender.java"),
        "info",
        "; in the project's own logging code (package com.acme.order.core.audit), which cannot log through itself",
    );
    // An appender of rows (a table's export) is no logging code.
    assert_level(
        &v,
        |path| path.ends_with("/export/CsvRowAppender.java"),
        "warning",
        "",
    );
    // A job logger of the service's own, one a job may choose, too.
    assert_level(
        &v,
        |path| path.ends_with("/joblog/StdOutJobLogger.java"),
        "info",
        "; in the project's own logging code (package com.acme.order.core.joblog), which cannot log through itself",
    );
    // Outside those packages, the same module's console output is a warning.
    let order_log = under("core/src/main/java/com/acme/order/core/OrderLog.java");
    assert_eq!(order_log[0].1, "warning");
    // Maven packages src/main/resources, not what lies beside it.
    assert_level(
        &v,
        |path| path == "common/src/main/log4j.properties",
        "info",
        "; not packaged: outside the resource folders order-common's jar takes",
    );
    // A command-line program nothing names is no service's; one a script
    // starts runs where the script runs.
    assert_level(
        &v,
        |path| path.ends_with("/OrderReplay.java"),
        "info",
        "; in OrderReplay, a command-line program no other file of the repository names: no application starts it",
    );
    assert_level(
        &v,
        |path| path.ends_with("/OrderExport.java"),
        "warning",
        "",
    );
    // One only an operator's task script starts is run by hand.
    assert_level(
        &v,
        |path| path.ends_with("/OrderImport.java"),
        "info",
        "; in OrderImport, a command-line program only an operator's task script starts (scripts/import-orders.sh): no application starts it",
    );
    // So in a Spring Boot job's module too, whose jar may start any of
    // its main classes.
    assert_level(
        &v,
        |path| path.ends_with("/SettleRepair.java"),
        "info",
        "; in SettleRepair, a command-line program only an operator's task script starts (scripts/repair-settlements.sh): no application starts it",
    );
    // A class a script hands to a launcher whose main() exits is a
    // command of a tool; one handed to a host that keeps running is not.
    assert_level(
        &v,
        |path| path.ends_with("/admin/LedgerAudit.java"),
        "info",
        "; in LedgerAudit, a command-line tool that bin/orderctl runs through AdminTool's main(), which exits when done: no application starts it",
    );
    assert_level(
        &v,
        |path| path.ends_with("/admin/SettleWorker.java"),
        "warning",
        "",
    );
    // A bean the application's scan finds runs there too.
    assert_level(
        &v,
        |path| path.ends_with("/admin/ReconcileJob.java"),
        "warning",
        "",
    );
    // Declared resource folders replace src/main/resources.
    assert_level(
        &v,
        |path| path == "common/src/main/resources/cache.properties",
        "info",
        "; not packaged: outside the resource folders order-common's jar takes",
    );
    // Unless an assembly takes it from there.
    assert_level(
        &v,
        |path| path == "common/src/main/rpc.properties",
        "error",
        "",
    );
}

#[test]
fn code_for_another_cluster_manager_a_code_generator_and_a_tutorial_run_in_no_pod() {
    let v = assert_matches_markers("deployed-modules");
    let launch = "core/src/main/java/com/acme/order/core/launch";
    let beside = format!("(its sibling {launch}/kubernetes/ is for Kubernetes): no pod runs it");
    assert_level(
        &v,
        |path| path.ends_with("/YarnLauncher.java"),
        "info",
        &format!("; in {launch}/yarn/, for another cluster manager than Kubernetes {beside}"),
    );
    assert_level(
        &v,
        |path| path.ends_with("/MesosLauncher.java"),
        "info",
        &format!("; in {launch}/mesos/, for another cluster manager than Kubernetes {beside}"),
    );
    assert_level(
        &v,
        |path| path.ends_with("/KubernetesLauncher.java"),
        "warning",
        "",
    );
    // A jar whose main class compiles schemas is no application.
    assert_level(
        &v,
        |path| path.ends_with("/OrderSchemaCompiler.java"),
        "info",
        "; not deployed: order-schema-compiler",
    );
    // A file the gate cannot read, in a module no pod runs.
    assert_level(
        &v,
        |path| path.ends_with("/sample-orders.json"),
        "info",
        "; not deployed: order-example, where what it holds would be info",
    );
    // A code generator's application runs on a developer's machine.
    assert_level(
        &v,
        |path| path.starts_with("code-generator/"),
        "info",
        "; not deployed: order-code-generator",
    );
    // An SDK's own main class is a person's check of it.
    assert_level(
        &v,
        |path| path.ends_with("/PushCheck.java"),
        "info",
        "; not deployed: order-push-sdk",
    );
    assert_level(
        &v,
        |path| path.starts_with("order-tutorial/"),
        "info",
        "; not deployed: order-tutorial",
    );
    assert_level(
        &v,
        |path| path.starts_with("extras/order-migrator/"),
        "info",
        "; not deployed: order-migrator",
    );
    assert_level(
        &v,
        |path| path.ends_with("/ConsolePanel.java"),
        "info",
        "; in com.acme.order.web.client, which GWT compiles to JavaScript for the browser (OrderConsole.gwt.xml): it never runs in the pod",
    );
    assert_level(
        &v,
        |path| path.ends_with("/logback-order-test.xml"),
        "info",
        "; a logging configuration named for the tests, outside the folders a jar takes",
    );
}

#[test]
fn a_key_a_manifest_sets_as_a_system_property_and_an_api_description_are_info() {
    let v = assert_matches_markers("rules/host/loopback-service");
    assert_level_at(
        &v,
        ("src/main/resources/application.properties", 17),
        "info",
        "; replaced at start: config/deployment.yaml sets `-Dcache.broker.host`, which comes before the file",
    );
    let v = assert_matches_markers("rules/host/hardcoded-ip");
    assert_level(
        &v,
        |path| path.ends_with("/openapi/orders.yaml"),
        "info",
        "; in an HTTP API's description (OpenAPI, Swagger), whose examples document requests; no application connects to them",
    );
}

#[test]
fn a_java_agents_console_output_is_info_and_its_address_lookup_an_error() {
    let v = assert_matches_markers("java-agent");
    let why =
        "; in the Java agent trace-agent, which the JVM starts before the application's logging";
    for f in v["findings"].as_array().unwrap() {
        let (rule, message) = (f["rule"].as_str().unwrap(), f["message"].as_str().unwrap());
        if rule == "host/local-address" {
            assert_eq!(f["severity"], "error", "{message}");
            assert!(!message.contains("Java agent"), "{message}");
        } else {
            assert_eq!(f["severity"], "info", "{message}");
            assert!(message.ends_with(why), "{message}");
        }
    }
}

#[test]
fn podready_toml_names_the_deployed_modules() {
    let v = findings_with_config("deployed-modules", "[check]\ndeployed = [\"tools\"]\n");
    let info: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "info")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(info.iter().all(|p| !p.starts_with("tools/")), "{info:?}");
    assert!(
        info.iter().any(|p| p.starts_with("order-example/")),
        "{info:?}"
    );
    assert_eq!(v["summary"]["deployment"]["found_by"], "configured");
}

#[test]
fn a_single_project_gradle_build_is_its_own_application() {
    let v = assert_matches_markers("gradle-single");
    assert_level(&v, |path| path.ends_with("/Courier.java"), "error", "");
    assert_level(
        &v,
        |path| path.ends_with("/LegacyCodec.java"),
        "info",
        "; in LegacyCodec, which no other file of the repository names: it never runs",
    );
    let deployment = &v["summary"]["deployment"];
    assert_eq!(deployment["found_by"], "build");
    assert_eq!(deployment["deployed"], serde_json::json!(["courier"]));
}

#[test]
fn a_gradle_scripts_logging_backend_is_found_where_it_runs() {
    let v = assert_matches_markers("gradle-modules");
    assert_level(&v, |path| path == "server/build.gradle", "error", "");
    assert_level(
        &v,
        |path| path == "sdk/client/build.gradle",
        "info",
        "; not deployed: client",
    );
    // The finding spans the coordinates, `log4j:log4j`.
    let client = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "sdk/client/build.gradle")
        .unwrap();
    assert_eq!(
        (&client["column"], &client["end_column"]),
        (&21.into(), &32.into())
    );
}

#[test]
fn an_unread_gradle_builds_project_named_as_a_test_harness_is_info() {
    let v = assert_matches_markers("gradle-unread");
    let reason = "; in ship-test/, named as a test harness or an example (no pom says which modules a pod runs)";
    assert_level(&v, |path| path.ends_with("/LoadCheck.java"), "info", reason);
    assert_level(
        &v,
        |path| path.ends_with("/ThroughputRun.java"),
        "info",
        "; in ship-perftests/, named as a test harness or an example (no pom says which modules a pod runs)",
    );
    assert_level(
        &v,
        |path| path.ends_with("/load.properties"),
        "info",
        reason,
    );
    assert_level(&v, |path| path.ends_with("/ShipStats.java"), "warning", "");
}

#[test]
fn a_gradle_build_in_a_subfolder_is_the_repositorys_build() {
    let v = assert_matches_markers("gradle-subfolder");
    assert_level(
        &v,
        |path| path.ends_with("/JobsApplication.java"),
        "warning",
        "",
    );
    assert_level(
        &v,
        |path| path.ends_with("/SeedLoader.java"),
        "info",
        "; not deployed: loader",
    );
    let deployment = &v["summary"]["deployment"];
    assert_eq!(deployment["found_by"], "build");
    assert_eq!(deployment["deployed"], serde_json::json!(["app"]));
}

#[test]
fn a_gradle_build_says_which_projects_run_in_a_pod() {
    let v = assert_matches_markers("gradle-modules");
    assert_level(&v, |path| path.ends_with("/Dispatcher.java"), "error", "");
    assert_level(
        &v,
        |path| path.ends_with("/ShippingClient.java"),
        "info",
        "; not deployed: client",
    );
    // A side project's pom makes no Maven repository of a Gradle one.
    assert_level(
        &v,
        |path| path.ends_with("/SsoBridge.java"),
        "info",
        "; not deployed: partner-sso",
    );
    // An instance method nothing names, of a class nothing extends.
    assert_level(
        &v,
        |path| path.ends_with("/Labels.java"),
        "info",
        "; in Labels.barcode(), which nothing in the repository calls: it never runs",
    );
    assert_level(&v, |path| path.ends_with("/Codec.java"), "warning", "");
    // Gradle's build logic runs when the project is built.
    assert_level(
        &v,
        |path| path.ends_with("/ReleaseNotesTask.java"),
        "info",
        "; in buildSrc/, Gradle's build logic, which runs when the project is built, not in a pod",
    );
    let deployment = &v["summary"]["deployment"];
    assert_eq!(deployment["found_by"], "build");
    assert_eq!(
        deployment["deployed"],
        serde_json::json!(["core", "server"])
    );
    assert_eq!(
        deployment["not_deployed"],
        serde_json::json!(["partner-sso", "client"])
    );
    // Named in podready.toml, the client runs in a pod too.
    let v = findings_with_config(
        "gradle-modules",
        "[check]\ndeployed = [\"server\", \"sdk/client\"]\n",
    );
    let deployment = &v["summary"]["deployment"];
    assert_eq!(deployment["found_by"], "configured");
    assert_eq!(
        deployment["deployed"],
        serde_json::json!(["client", "core", "server"])
    );
}

#[test]
fn logging_configuration_is_read_by_content_and_console_appenders_by_type() {
    let v = assert_matches_markers("broker-service");
    let findings = v["findings"].as_array().unwrap();
    let messages_in = |path: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["path"] == path)
            .map(|f| f["message"].as_str().unwrap())
            .collect()
    };
    // Logback files named otherwise: the repository's own subclasses (a
    // subclass of one too) and well-known ones count; the live panel's
    // `TidyConsoleAppender`, which extends another `ConsoleAppender`, not.
    let renamed = messages_in("src/main/resources/rmq.broker.logback.xml");
    for appender in [
        "appender `STDOUT` (ConsoleAppender)",
        "appender `TIDY` (TidyConsoleAppender)",
        "appender `QUIET` (QuietConsoleAppender)",
        "appender `JANSI` (JansiConsoleAppender)",
    ] {
        assert!(
            renamed.iter().any(|m| m.starts_with(appender)),
            "{appender} in {renamed:?}"
        );
    }
    assert!(!renamed.iter().any(|m| m.contains("PANEL")), "{renamed:?}");
    let shipped = messages_in("distribution/conf/broker-logback.xml");
    assert!(
        shipped
            .iter()
            .any(|m| m.starts_with("appender `CONSOLE` (CustomConsoleAppender)")),
        "{shipped:?}"
    );
    // Several addresses on a line: one finding naming each once.
    assert_eq!(
        messages_in("src/main/resources/broker.properties"),
        ["hard-coded IP address 10.8.1.21, 10.8.1.22"]
    );
    let startup = messages_in("src/main/java/com/acme/broker/BrokerStartup.java");
    assert!(
        startup.contains(&"hard-coded IP address 10.8.2.1, 10.8.2.2"),
        "{startup:?}"
    );
}

#[test]
fn a_console_appender_only_profiles_outside_production_use_is_info() {
    let v = assert_matches_markers("rules/logging/console-appender");
    let file = "rules/logging/console-appender/src/main/resources/logback-spring.xml";
    let at = |appender: &str| {
        let line = line_in(file, &format!("name=\"{appender}\" class"));
        ("src/main/resources/logback-spring.xml", line)
    };
    assert_level_at(
        &v,
        at("DEV_CONSOLE"),
        "info",
        "; used only in the <springProfile> sections `dev & !kubernetes`, meant for a developer's machine",
    );
    assert_level_at(
        &v,
        at("STDOUT"),
        "info",
        "; used only in the <springProfile> sections `local`, meant for a developer's machine",
    );
    assert_level_at(
        &v,
        at("QA_CONSOLE"),
        "info",
        "; used only in the <springProfile> sections `dev & !kubernetes`, `test`, not in the file's production section `prod`",
    );
    // `!local` holds in production.
    assert_level_at(&v, at("SHARED_CONSOLE"), "error", "");
}

#[test]
fn a_console_appender_copied_to_a_file_or_a_tools_own_is_info() {
    let v = assert_matches_markers("rules/logging/console-appender");
    let line_of_named = |file: &str, name: &str| {
        let line = line_in(
            &format!("rules/logging/console-appender/{file}"),
            &format!("name=\"{name}\" class"),
        );
        (file.to_string(), line)
    };
    let at = |file: &str| line_of_named(file, "CONSOLE");
    let (copied, line) = at("src/main/resources/logback-copied.xml");
    assert_level_at(
        &v,
        (copied.as_str(), line),
        "info",
        "; every logger and appender using it also writes to the file appender `LOG_FILE`, so the files hold what it prints",
    );
    // Files each keeping one level hold all the root logs at INFO, not
    // at DEBUG.
    let (levels, line) = at("src/main/resources/logback-levels.xml");
    assert_level_at(
        &v,
        (levels.as_str(), line),
        "info",
        "; every logger and appender using it also writes to the file appender `INFO_FILE`, so the files hold what it prints",
    );
    // Behind a wrapper whose users also write a file.
    let (wrapped, line) = line_of_named("src/main/resources/logback-wrapped.xml", "STDOUT");
    assert_level_at(
        &v,
        (wrapped.as_str(), line),
        "info",
        "; every logger and appender using it also writes to the file appender `FILE`, so the files hold what it prints",
    );
    let (debug, line) = at("src/main/resources/logback-wider.xml");
    assert_level_at(&v, (debug.as_str(), line), "error", "");
    // The root writes a file beside it, but a logger prints to it alone.
    let (alone, line) = at("src/main/resources/logback.xml");
    assert_level_at(&v, (alone.as_str(), line), "error", "");
    // A command-line tool's own configuration.
    let (tool, line) = at("conf/logback-cli.xml");
    assert_level_at(
        &v,
        (tool.as_str(), line),
        "info",
        "; a logging configuration named for a command-line tool, which the tool's launcher loads: the tool prints for the person running it",
    );
}

#[test]
fn a_literal_include_adds_only_the_profiles_it_names() {
    let v = assert_matches_markers("profile-include");
    let file = "profile-include/src/main/resources/logback-spring.xml";
    let at = |appender: &str| {
        let line = line_in(file, &format!("name=\"{appender}\" class"));
        ("src/main/resources/logback-spring.xml", line)
    };
    assert_level_at(
        &v,
        at("DEV_CONSOLE"),
        "info",
        "; used only in the <springProfile> sections `dev`, meant for a developer's machine",
    );
    assert_level_at(&v, at("GEN_CONSOLE"), "error", "");
}

#[test]
fn an_interactive_console_client_and_what_only_it_runs_are_info() {
    let v = assert_matches_markers("deployed-modules");
    for (file, module) in [
        (
            "order-client/src/main/java/com/acme/order/client/ChatClient.java",
            "order-client",
        ),
        (
            "order-client/src/main/resources/application.yml",
            "order-client",
        ),
        (
            "order-client-sdk/src/main/java/com/acme/order/client/sdk/Replies.java",
            "order-client-sdk",
        ),
    ] {
        let reason = format!("; not deployed: {module}");
        assert_level(&v, |path| path == file, "info", &reason);
    }
    // A service that asks for a password at a terminal is still a service.
    assert_level(
        &v,
        |path| path.ends_with("/AdminPassword.java"),
        "warning",
        "",
    );
}

#[test]
fn a_code_generators_configuration_is_info() {
    let v = assert_matches_markers("rules/host/loopback-service");
    assert_level(
        &v,
        |path| path.ends_with("/generator.properties"),
        "info",
        "; a code generator's configuration, which a developer or the build runs to write sources",
    );
}

#[test]
fn a_lookup_a_private_method_returns_takes_its_callers_level() {
    let v = assert_matches_markers("rules/host/local-address");
    let file = "/StartNotice.java";
    assert_level_at(
        &v,
        (file, 23),
        "info",
        "; it only goes into StartNotice.hostLabel(), whose every use is reported at info",
    );
    assert_level_at(&v, (file, 31), "error", "");
    // Handed on as `this::nodeName`, which no reported use shows.
    assert_level_at(&v, (file, 40), "error", "");
}

#[test]
fn an_address_that_only_labels_metrics_is_info() {
    let v = assert_matches_markers("rules/host/local-address");
    let file = "/InstanceTags.java";
    for line in [20, 26, 28] {
        assert_level_at(
            &v,
            (file, line),
            "info",
            "; only labels metrics (a tag naming this instance's figures), which in a pod names the pod",
        );
    }
    // A tag's value read back is the address again.
    assert_level_at(&v, (file, 34), "error", "");
}

#[test]
fn an_address_only_hashed_into_a_number_is_info() {
    let v = assert_matches_markers("rules/host/local-address");
    let file = "/WorkerIds.java";
    assert_level_at(
        &v,
        (file, 14),
        "info",
        "; only hashed into a number (an id's worker number), which gives no address away",
    );
    // A hash compared decides by the address.
    assert_level_at(&v, (file, 30), "error", "");
}

#[test]
fn an_interfaces_mac_or_a_hash_of_its_description_is_info() {
    let v = assert_matches_markers("rules/host/local-address");
    let file = "/MachineBytes.java";
    let mac = "; only its network interface's hardware (MAC) address is read (an id's machine bytes), which no other machine connects to";
    // Tests of the interface's own state and null checks take nothing.
    assert_level_at(&v, (file, 14), "info", mac);
    // The interface holding the host's address, for its MAC.
    assert_level_at(&v, (file, 40), "info", mac);
    // A builder of the descriptions, hashed.
    assert_level_at(
        &v,
        (file, 31),
        "info",
        "; only hashed into a number (an id's worker number), which gives no address away",
    );
    // The addresses beside the MAC are registered.
    assert_level_at(&v, (file, 51), "error", "");
    assert_level_at(&v, (file, 63), "error", "");
    // A value set on an entry of the access log is logged.
    assert_level(
        &v,
        |path| path.ends_with("/AccessLogs.java"),
        "info",
        "; only logged, so nothing in a pod depends on it",
    );
    // A static field a class's static block sets, read by a method whose
    // every use labels metrics.
    assert_level(
        &v,
        |path| path.ends_with("/NodeNames.java"),
        "info",
        "; it only goes into NodeNames.node(), whose every use is reported at info",
    );
    // The same in a class's static block, through a local.
    let source = "rules/host/local-address/src/main/java/com/acme/rules/host/MachineBytes.java";
    assert_level_at(
        &v,
        (file, line_in(source, "each = NetworkInterface")),
        "info",
        "; only hashed into a number (an id's worker number), which gives no address away",
    );
}

#[test]
fn a_host_name_read_by_code_written_for_kubernetes_is_the_pods_name() {
    let v = assert_matches_markers("rules/host/hostname-env");
    assert_level(
        &v,
        |path| path.ends_with("/PodIdentity.java"),
        "info",
        "; in code written for Kubernetes (it uses the Kubernetes API or reads a variable only a pod has, `POD_NAME`): there the host name is the pod's own name, which that code means",
    );
}

#[test]
fn the_local_end_an_exception_reports_is_only_logged() {
    let v = assert_matches_markers("rules/host/local-address");
    assert_level(
        &v,
        |path| path.ends_with("/PeerReadException.java"),
        "info",
        "; only logged, so nothing in a pod depends on it",
    );
}

#[test]
fn interfaces_counted_bound_by_a_multicast_socket_or_put_in_the_logging_context_are_info() {
    let v = assert_matches_markers("rules/host/local-address");
    let source = "rules/host/local-address/src/main/java/com/acme/rules/host/MulticastJoin.java";
    let at = |needle: &str| ("MulticastJoin.java", line_in(source, needle));
    // `.length`: how many there are.
    assert_level_at(&v, at("int count = interfaces().length"), "info", "");
    // A loop's variable set on a multicast socket: the pod's own interface.
    let (file, socket) = at("socket.setNetworkInterface(ni)");
    assert_level_at(
        &v,
        (file, socket - 2),
        "info",
        "; only the address a server of this process listens on, which in a pod is the pod's own",
    );
    // The project's own setter of the logging context.
    assert_level_at(
        &v,
        at("AuditLog.mdcPut("),
        "info",
        "; only logged, so nothing in a pod depends on it",
    );
    // A loop's variable whose address is announced, and so the lookup.
    let (file, announced) = at("registry.put(ni.getName()");
    assert_level_at(&v, (file, announced - 1), "error", "");
    // Set on something other than a socket: the registry's.
    let (file, registered) = at("registration.setInterface(ni)");
    assert_level_at(&v, (file, registered - 1), "error", "");
    assert_level_at(
        &v,
        at("NetworkInterface.getNetworkInterfaces()"),
        "error",
        "",
    );
}

#[test]
fn an_alternative_profile_the_application_does_not_ship_with_is_info() {
    let v = assert_matches_markers("profile-alternatives");
    assert_level(
        &v,
        |path| path.ends_with("/application-pg.yml"),
        "info",
        "; in the `pg` profile's configuration, an alternative the application does not run with as shipped (application.yml activates h2, and no deployment file of the repository activates a profile)",
    );
    // An environment's profile and production's may be what pods run.
    for file in ["/application-test.yml", "/application-prod.yml"] {
        assert_level(&v, |path| path.ends_with(file), "error", "");
    }
}

#[test]
fn sources_no_pom_holds_are_judged_by_their_folders() {
    let v = assert_matches_markers("unread-build");
    assert_level(
        &v,
        |path| path.starts_with("examples/"),
        "info",
        "; in examples/, a test harness or example folder outside every module",
    );
    assert_level(
        &v,
        |path| path.starts_with("tools/"),
        "info",
        "; in tools/, a folder of tools outside every module, which a person runs",
    );
    assert_level(&v, |path| path.starts_with("server/"), "warning", "");
}

#[test]
fn an_sdk_a_library_leaves_to_its_applications_is_info() {
    let v = assert_matches_markers("rules/sdk/container-ready");
    let dubbo = |module: &str| {
        line_in(
            &format!("rules/sdk/container-ready/{module}/pom.xml"),
            "<artifactId>dubbo</artifactId>",
        )
    };
    // `provided` in a library beside a Spring Boot jar, which packs its
    // own module's provided dependencies only.
    assert_level_at(
        &v,
        ("integration/pom.xml", dubbo("integration")),
        "info",
        "; provided: the runtime is to bring it, and no build of the repository packages it (no Spring Boot jar is made of its module, of one inheriting its dependencies or of one declaring it too, which would)",
    );
    let (level, why) = finding_at(&v, "provider/pom.xml", dubbo("provider"));
    assert_eq!(level, "error", "{why}");
    // Provided there too, but the Spring Boot jar declares it itself.
    let zookeeper = line_in(
        "rules/sdk/container-ready/integration/pom.xml",
        "<artifactId>zookeeper</artifactId>",
    );
    let (level, why) = finding_at(&v, "integration/pom.xml", zookeeper);
    assert_eq!(level, "error", "{why}");
}

#[test]
fn a_backend_no_build_packages_is_info() {
    let v = assert_matches_markers("rules/logging/backend");
    let file = "connector/pom.xml";
    let at = |artifact: &str| {
        (
            file,
            line_in(
                &format!("rules/logging/backend/{file}"),
                &format!("<artifactId>{artifact}</artifactId>"),
            ),
        )
    };
    assert_level_at(
        &v,
        at("log4j-core"),
        "info",
        "; provided: the runtime is to bring it, and no build of the repository packages it (no Spring Boot jar is made of its module, of one inheriting its dependencies or of one declaring it too, which would)",
    );
    assert_level_at(
        &v,
        at("log4j-slf4j-impl"),
        "info",
        "; only in the profile `hadoop3`, which nothing activates: not by default, by no condition, and no script, Dockerfile or CI file of the repository passes `-Phadoop3`",
    );
    // A script builds with it; a JDK activates it.
    assert_level_at(&v, at("slf4j-simple"), "error", "");
    assert_level_at(&v, at("reload4j"), "error", "");
}

#[test]
fn jul_loggers_from_a_factory_logging_through_slf4j_are_bridged() {
    let v = assert_matches_markers("rules/logging/legacy-api");
    assert_level(
        &v,
        |path| path.ends_with("/jul/ServiceRegistry.java"),
        "info",
        "; its loggers come from com.acme.rules.logging.jul.LogUtils, which hands out loggers that log through SLF4J, to logback, once SLF4J has a binding",
    );
    // A factory of JUL's own loggers routes nothing, nor is the factory
    // itself its own user.
    for file in ["/jul/ReportWriter.java", "/jul/LogUtils.java"] {
        assert_level(&v, |path| path.ends_with(file), "warning", "");
    }
}

#[test]
fn a_jul_handler_logging_through_slf4j_is_a_bridge() {
    let v = assert_matches_markers("rules/logging/legacy-api");
    assert_level(
        &v,
        |path| path.ends_with("/JulToSlf4jHandler.java"),
        "info",
        "; in a bridge to SLF4J: a `java.util.logging` handler that logs the records it takes through SLF4J, to logback",
    );
}

#[test]
fn a_bean_made_only_where_the_legacy_backend_is_is_info() {
    let v = assert_matches_markers("rules/logging/legacy-api");
    assert_level(
        &v,
        |path| path.ends_with("/levels/Log4jLevelSetter.java"),
        "info",
        "; in a bean made only where the application has `org.apache.logging.log4j.core.LoggerContext` (its class's `@ConditionalOnClass` or `@Requires`): it concerns only applications that chose that backend",
    );
}

#[test]
fn a_plugin_of_a_legacy_api_taking_no_logger_from_it_is_info() {
    let v = assert_matches_markers("rules/logging/legacy-api");
    // A dialect of the project's facade beside its SLF4J one.
    assert_level(
        &v,
        |path| path.ends_with("/facade/JulLogger.java"),
        "info",
        "; in a dialect of the project's logging facade (package com.acme.rules.logging.facade), beside its SLF4J one: the facade logs through the backend the application has, and SLF4J is on every Spring Boot application's classpath",
    );
    assert_level(
        &v,
        |path| path.ends_with("/plugin/OneLineFormatter.java"),
        "info",
        "; in a plugin of that API (a class of the file extends or implements `java.util.logging.Formatter`, and the file takes no logger from the API): the API calls it where its configuration names it, and code logging through the API is reported where it logs",
    );
    // An appender logging its own troubles through log4j logs through it.
    assert_level(
        &v,
        |path| path.ends_with("/plugin/AuditAppender.java"),
        "warning",
        "",
    );
}

#[test]
fn a_maven_archetypes_template_and_a_notebook_are_info() {
    let v = assert_matches_markers("rules/host/loopback-service");
    assert_level(
        &v,
        |path| path.contains("/archetype-resources/"),
        "info",
        "; in a project template under src/main/resources/, which a code generator copies for a new project; no application loads it",
    );
    let v = assert_matches_markers("rules/host/hardcoded-ip");
    assert_level(
        &v,
        |path| path.ends_with("/order-ip-report.json"),
        "info",
        "; a notebook's paragraphs (Zeppelin's, Jupyter's), which an analyst runs; no application loads it",
    );
    // A manual's page in the xdoc format, which a build renders.
    assert_level(
        &v,
        |path| path == "docs/config/valves.xml",
        "info",
        "; a page of documentation (xdoc: its root is <document>) that a build renders to HTML; nothing reads it as configuration",
    );
}

#[test]
fn console_output_of_a_class_named_for_the_console_or_for_debugging_is_info() {
    let reason = "a class named for the console or for debugging: printing is its job, and a person picks it";
    let v = assert_matches_markers("rules/logging/stdout");
    assert_level(
        &v,
        |path| path.ends_with("/StdOutIndexer.java"),
        "info",
        &format!("; in StdOutIndexer, {reason}"),
    );
    let file = "rules/logging/stdout/src/main/java/com/acme/rules/logging/ImportRunner.java";
    assert_level_at(
        &v,
        ("ImportRunner.java", line_in(file, "\"queued: \"")),
        "info",
        "; in debugPrint(), a method named for debugging: printing is its job, and a person calls it while debugging",
    );
    // A branch debugging turns on; its negation runs when debugging is off.
    assert_level_at(
        &v,
        ("ImportRunner.java", line_in(file, "\"plan for \"")),
        "info",
        "; in a branch only debugging turns on (`if (ImportSettings.DEBUG.enabled())`): printing is what debugging asks for, and a person turns it on",
    );
    assert_level_at(
        &v,
        ("ImportRunner.java", line_in(file, "\"planned \"")),
        "warning",
        "",
    );
    // A class annotated as a command, and a subcommand nested in it; not
    // a server's, which the command keeps running.
    for (file, needle) in [
        ("ExportCommand.java", "\"exported 3 files\""),
        ("ExportCommand.java", "\"enabled\""),
    ] {
        let path = format!("rules/logging/stdout/src/main/java/com/acme/rules/logging/{file}");
        assert_level_at(
            &v,
            (file, line_in(&path, needle)),
            "info",
            "; in a command a person runs (a class annotated as one: picocli's `@Command`): what it prints is the command's answer on a terminal",
        );
    }
    let server = "rules/logging/stdout/src/main/java/com/acme/rules/logging/ExportServer.java";
    let (level, why) = finding_at(
        &v,
        "ExportServer.java",
        line_in(server, "\"export server listening\""),
    );
    assert_eq!(level, "warning", "{why}");
    // One a scheduler calls by its annotation runs whether or not anyone debugs.
    let (level, why) = finding_at(&v, "ImportRunner.java", line_in(file, "\"queue size: \""));
    assert_eq!(level, "warning", "{why}");
    let v = assert_matches_markers("rules/logging/print-stack-trace");
    assert_level(
        &v,
        |path| path.ends_with("/DebugTraceFilter.java"),
        "info",
        &format!("; in DebugTraceFilter, {reason}"),
    );
}

#[test]
fn what_a_method_parsing_the_command_line_prints_is_info() {
    let v = assert_matches_markers("rules/logging/stdout");
    let file = "/GeoLoader.java";
    for line in [15, 16] {
        assert_level_at(
            &v,
            (file, line),
            "info",
            "; in a method that parses the program's command line (it returns JCommander's, Commons CLI's, picocli's… parsed command line): what it prints answers whoever started the program",
        );
    }
    assert_level(
        &v,
        |path| path.ends_with("/ArchiveCLITool.java"),
        "info",
        "; in a class named for a command-line interface, which takes a command line: what it prints is the command's answer on a terminal",
    );
    // An annotation processor runs in javac.
    assert_level(
        &v,
        |path| path.ends_with("/EventCodeProcessor.java"),
        "info",
        "; in code that drives a code generator, which a developer or the build runs to write sources or documentation",
    );
    // Commons CLI's `CommandLine` through a wildcard import.
    assert_level_at(
        &v,
        (file, 23),
        "info",
        "; in a method handed a parsed command line (JCommander's, Commons CLI's, picocli's…) in a command's class: what it prints is the command's answer on a terminal",
    );
}

#[test]
fn a_rule_listing_a_repository_class_also_finds_its_subclasses() {
    // A team's own rule naming one of its appender classes.
    let v = findings_with_config("broker-service", "[[rule]]\nid = \"logging/jansi-console\"\nseverity = \"error\"\nmessage = \"{detail} colours the console\"\nremediation = \"Log to files.\"\ndoc = { what = \"w\", why = \"y\", instead = \"i\" }\nmatcher = [{ kind = \"logback-appender\", classes = [\"com.acme.broker.log.TidyConsoleAppender\"] }]\n");
    let custom: Vec<(&str, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "logging/jansi-console")
        .map(|f| (f["path"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    // TIDY (the listed class) and QUIET (its subclass), nothing else.
    assert_eq!(
        custom,
        [
            ("src/main/resources/rmq.broker.logback.xml", 11),
            ("src/main/resources/rmq.broker.logback.xml", 17),
        ]
    );
}

/// The 1-based line of a fixture file (under `fixtures/`) holding `needle`.
fn line_in(file: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in {file}")) as u64
        + 1
}

/// The level and message of the finding at `line` of a file whose path
/// ends with `file`.
/// The finding at (file's path suffix, line) has `level` and a message
/// ending in `reason`.
fn assert_level_at(v: &serde_json::Value, (file, line): (&str, u64), level: &str, reason: &str) {
    let (got, why) = finding_at(v, file, line);
    assert_eq!(got, level, "{why}");
    assert!(why.ends_with(reason), "{why}");
}

fn finding_at(v: &serde_json::Value, file: &str, line: u64) -> (String, String) {
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["line"] == line && f["path"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no finding at {file}:{line}"));
    (
        f["severity"].as_str().unwrap().to_string(),
        f["message"].as_str().unwrap().to_string(),
    )
}

#[test]
fn code_that_never_runs_is_info() {
    let v = assert_matches_markers("rules/logging/print-stack-trace");
    let file =
        "rules/logging/print-stack-trace/src/main/java/com/acme/rules/logging/StackTraces.java";
    let at = |needle: &str, below: u64| {
        finding_at(&v, "StackTraces.java", line_in(file, needle) + below)
    };
    let (level, why) = at("getInstance(\"MD5\").digest", 2);
    assert_eq!(level, "info", "{why}");
    assert!(why.ends_with("; in a catch of NoSuchAlgorithmException around \"MD5\" and UnsupportedEncodingException around \"UTF-8\", which every JVM supports: it never runs"), "{why}");
    let (level, why) = at("getBytes(\"GBK\")", 2);
    assert_eq!(level, "warning", "{why}");
    // Names in constants; a transformation every `Cipher` has.
    let (level, why) = at("Cipher.getInstance(TRANSFORMATION)", 3);
    assert_eq!(level, "info", "{why}");
    assert!(why.ends_with("; in a catch of NoSuchPaddingException around \"AES/GCM/NoPadding\", which every JVM supports: it never runs"), "{why}");
    // A broad catch around nothing but the lookup.
    let (level, why) = at("md5 = MessageDigest.getInstance(\"MD5\")", 2);
    assert_eq!(level, "info", "{why}");
    assert!(why.ends_with("; in a catch of Exception around only MessageDigest.getInstance(\"MD5\"), which cannot fail: it never runs"), "{why}");
    let (level, why) = finding_at(&v, "OrderSnapshot.java", line_in("rules/logging/print-stack-trace/src/main/java/com/acme/rules/logging/OrderSnapshot.java", "CloneNotSupportedException e") + 1);
    assert_eq!(level, "info", "{why}");
    assert!(why.ends_with("; in a catch of CloneNotSupportedException around super.clone() of a Cloneable class: it never runs"), "{why}");
    let script_values =
        "rules/logging/print-stack-trace/src/main/java/com/acme/rules/logging/ScriptValues.java";
    let (level, why) = finding_at(
        &v,
        "ScriptValues.java",
        line_in(script_values, "values.put(field.getName()") + 2,
    );
    assert_eq!(level, "info", "{why}");
    assert!(why.ends_with("; in a catch of IllegalAccessException around reading field, which setAccessible(true) opened first: it never runs"), "{why}");
    let (level, why) = finding_at(
        &v,
        "ScriptValues.java",
        line_in(script_values, "field.set(this, null)") + 2,
    );
    assert_eq!(level, "warning", "{why}");
    let (level, why) = finding_at(
        &v,
        "TraceText.java",
        line_in(
            "rules/logging/print-stack-trace/src/main/java/com/acme/rules/logging/TraceText.java",
            "catch (IOException e)",
        ) + 1,
    );
    assert_eq!(level, "info", "{why}");
    assert!(why.ends_with("; in a catch of IOException around closing or writing ByteArrayOutputStream, which holds its bytes in memory: it never runs"), "{why}");
    let (level, why) = finding_at(
        &v,
        "TraceText.java",
        line_in(
            "rules/logging/print-stack-trace/src/main/java/com/acme/rules/logging/TraceText.java",
            "text = out.toString()",
        ) + 2,
    );
    assert_eq!(level, "info", "{why}");
    assert!(why.ends_with("; in a catch of IOException around opening and closing StringWriter and PrintWriter, which hold their text in memory: it never runs"), "{why}");
    let (level, why) = at("if (TRACE && e != null)", 1);
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with(
            "; in a branch `TRACE`, a static final flag set to false, switches off: it never runs"
        ),
        "{why}"
    );
    let (level, why) = at("if (pauseForTest != null)", 4);
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with("; in a branch only `pauseForTest` opens, a field named for tests that no code of the file sets: it runs in tests only"),
        "{why}"
    );
}

#[test]
fn a_legacy_logger_declared_and_never_called_is_info() {
    let v = assert_matches_markers("rules/logging/legacy-api");
    let dir = "rules/logging/legacy-api/src/main/java/com/acme/rules/logging";
    assert_level_at(
        &v,
        (
            "QuietCache.java",
            line_in(
                &format!("{dir}/QuietCache.java"),
                "import org.apache.log4j.Logger",
            ),
        ),
        "info",
        "; it only declares LOGGER, which nothing in the file uses: nothing logs through it",
    );
    // An import used nowhere logs nothing.
    assert_level(
        &v,
        |path| path.ends_with("/OrderClock.java"),
        "info",
        "; imported, and used nowhere in the file: nothing logs through it",
    );
    // A logger the class calls logs, and so does one Lombok's getter reads.
    for file in ["Log4jUser.java", "AuditedCache.java"] {
        let (level, why) = finding_at(
            &v,
            file,
            line_in(&format!("{dir}/{file}"), "import org.apache.log4j.Logger"),
        );
        assert_eq!(level, "warning", "{why}");
    }
}

#[test]
fn a_shipped_command_line_tool_no_module_depends_on_runs_in_no_pod() {
    let v = assert_matches_markers("shipped-tools");
    for file in [
        "admin-tools/pom.xml",
        "admin-tools/src/main/resources/admin-tools.properties",
        "history/src/main/java/com/acme/ship/history/HistoryImportTool.java",
    ] {
        assert_level(
            &v,
            |path| path == file,
            "info",
            "which no application found runs: no pod runs it",
        );
    }
    assert_level(
        &v,
        |path| path.ends_with("/AuditRunner.java"),
        "info",
        "; in the command-line tool ship-audit",
    );
    assert_level(&v, |path| path.ends_with("/ConfigServer.java"), "error", "");
    // The program exec-maven-plugin runs beside it is the build's.
    for line in [7, 11] {
        assert_level_at(
            &v,
            ("/SchemaTool.java", line),
            "info",
            "; in a program exec-maven-plugin runs from the build, which no pod runs",
        );
    }
    assert_level(&v, |path| path.ends_with("/ShipMain.java"), "warning", "");
    // A command line that starts a server, by its main class's name.
    assert_level(
        &v,
        |path| path.ends_with("/TrackerServerCli.java"),
        "warning",
        "",
    );
    let deployment = &v["summary"]["deployment"];
    assert_eq!(deployment["not_deployed"], serde_json::json!([]));
    let out = podready(&["check", "."], &fixtures().join("shipped-tools"));
    assert!(
        stdout(&out).contains("ship-config-server (Spring Boot)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_plugin_bundle_runs_under_the_logging_of_the_program_loading_it() {
    let v = assert_matches_markers("plugin-bundles");
    assert_level(
        &v,
        |path| path == "appconns/mail-appconn/src/main/resources/log4j2.xml",
        "info",
        "; not read: mail-appconn packs a plugin (its assembly holds no start script, it has no main class, and no script or module names it), which the program loading it runs under the logging that program configured",
    );
    assert_level(
        &v,
        |path| path.ends_with("/MailConnector.java"),
        "error",
        "",
    );
    assert_level(
        &v,
        |path| path == "server/src/main/resources/log4j2.xml",
        "warning",
        "",
    );
}

#[test]
fn a_main_a_start_script_runs_as_a_daemon_is_deployed() {
    let v = assert_matches_markers("script-started");
    let deployment = &v["summary"]["deployment"];
    assert_eq!(
        deployment["deployed"],
        serde_json::json!(["broker", "broker-relay"])
    );
    assert_eq!(
        deployment["not_deployed"],
        serde_json::json!(["broker-admin", "broker-load-simulator"])
    );
    let out = podready(&["check", "."], &fixtures().join("script-started"));
    assert!(
        stdout(&out).contains("deployed: broker (started by bin/start-broker.sh), broker-relay (started by relay/assembly/bin/startup.sh)"),
        "{}",
        stdout(&out)
    );
    assert_level(&v, |path| path.ends_with("/BrokerServer.java"), "error", "");
    assert_level(
        &v,
        |path| path.ends_with("/RelayStartup.java"),
        "warning",
        "",
    );
    for (file, module) in [
        ("/BrokerAdmin.java", "broker-admin"),
        ("/LoadSimulator.java", "broker-load-simulator"),
    ] {
        assert_level(
            &v,
            |path| path.ends_with(file),
            "info",
            &format!("; not deployed: {module}"),
        );
    }
}

#[test]
fn a_log4j_plugin_runs_where_a_logging_configuration_names_it() {
    let v = assert_matches_markers("deployed-modules");
    // Only a data engine's configuration names it: it runs in the engine.
    assert_level(
        &v,
        |path| path.ends_with("/archive/JobArchiveAppender.java"),
        "info",
        "; in JobArchiveAppender, a log4j 2 plugin (JobArchiveAppender) only Spark's logging configurations name (conf/spark-job-log4j2.xml): it runs in Spark's processes",
    );
    // Its base class is a plugin of log4j's API, taking no logger from it.
    assert_level(
        &v,
        |path| path.ends_with("/archive/AbstractArchiveAppender.java"),
        "info",
        "; in a plugin of that API (a class of the file extends or implements `org.apache.logging.log4j.core.appender.AbstractAppender`, and the file takes no logger from the API): the API calls it where its configuration names it, and code logging through the API is reported where it logs",
    );
    assert_level(
        &v,
        |path| path == "conf/spark-job-log4j2.xml",
        "info",
        "; a logging configuration named for Spark, which Spark's own processes read",
    );
    // An application's plugin no file names is never loaded.
    assert_level(
        &v,
        |path| path.ends_with("/archive/LedgerMaskAppender.java"),
        "info",
        "; in LedgerMaskAppender, a log4j 2 plugin (LedgerMask) no file of the repository names: log4j never loads it",
    );
}

#[test]
fn console_output_a_logger_beside_it_records_is_info() {
    let v = assert_matches_markers("rules/logging/stdout");
    let file = "rules/logging/stdout/src/main/java/com/acme/rules/logging/ImportRunner.java";
    let at = |needle: &str| ("ImportRunner.java", line_in(file, needle));
    assert_level_at(
        &v,
        at("System.err.println(e.getMessage())"),
        "info",
        "; the catch also logs `e` through `LOG.error(…)`: the console line repeats it",
    );
    assert_level_at(
        &v,
        at("System.out.println(\"order import stopped\")"),
        "info",
        "; `LOG.info(…)` beside it logs the same text: the console line repeats it",
    );
    assert_level_at(
        &v,
        at("System.out.println(banner)"),
        "info",
        "; `LOG.info(…)` beside it logs the same text: the console line repeats it",
    );
    // The logger's line says something else.
    assert_level_at(&v, at("imported "), "warning", "");
    // The fallback of a logger's call that failed; not of other work.
    let in_rule = |file: &'static str, needle: &str| {
        let path = format!("rules/logging/stdout/src/main/java/com/acme/rules/{file}");
        (file, line_in(&path, needle))
    };
    assert_level_at(
        &v,
        in_rule("logging/AuditLogger.java", "audit logging failed"),
        "info",
        "; it runs only when `LOGGER.warn(…)` in its try block fails: the console is where that can be told",
    );
    assert_level_at(
        &v,
        in_rule("logging/AuditLogger.java", "replay failed"),
        "warning",
        "",
    );
    // A logging facade of the project's own (a `Logger` declaring the
    // levels' methods) prints when nothing is set to log through; a `Log`
    // row of an audit trail is no facade.
    assert_level_at(
        &v,
        in_rule("pluginapi/Logger.java", "System.out.println(message)"),
        "info",
        "; in the project's own logging code (package com.acme.rules.pluginapi), which cannot log through itself",
    );
    assert_level_at(
        &v,
        in_rule("audit/Log.java", "System.out.println(entry)"),
        "warning",
        "",
    );
    // An empty line holds no record.
    assert_level_at(
        &v,
        in_rule("logging/AuditLogger.java", "System.out.println();"),
        "info",
        "; it prints an empty line: no record is lost",
    );
    // The same text as the logger's template, in a branch beside it.
    assert_level_at(
        &v,
        at("System.out.println(\"skipped \""),
        "info",
        "; `LOG.warn(…)` beside it logs the same text: the console line repeats it",
    );
    // A blank line printed between them aside.
    assert_level_at(
        &v,
        at("System.err.println(message)"),
        "info",
        "; `LOG.error(…)` beside it logs the same text: the console line repeats it",
    );
    // The blank line itself holds no record.
    assert_level_at(
        &v,
        at("System.err.println();"),
        "info",
        "; it prints an empty line: no record is lost",
    );
    let capture = "rules/logging/stdout/src/main/java/com/acme/rules/logging/OutputCapture.java";
    assert_level_at(
        &v,
        ("OutputCapture.java", line_in(capture, "\"error: \" + error")),
        "info",
        "; `System.setErr(newErr)` before it sets the stream to one held in memory: the text is captured, not written out",
    );
    let v = assert_matches_markers("rules/logging/print-stack-trace");
    let file =
        "rules/logging/print-stack-trace/src/main/java/com/acme/rules/logging/ExportRunner.java";
    assert_level_at(
        &v,
        ("ExportRunner.java", line_in(file, "e.printStackTrace()")),
        "info",
        "; the catch also logs `e` through `log.warn(…)`: the console line repeats it",
    );
    assert_level_at(
        &v,
        (
            "ExportRunner.java",
            line_in(file, "\"draft export failed\"") + 1,
        ),
        "info",
        "; the catch also logs `e` through `log.info(…)`: the console line repeats it",
    );
    assert_level_at(
        &v,
        ("ExportRunner.java", line_in(file, "failure.printStackTrace()")),
        "info",
        "; the next statement throws `IllegalArgumentException` with `failure` as its cause: the trace goes up with it to the code that handles it",
    );
    assert_level_at(
        &v,
        ("ExportRunner.java", line_in(file, "broken.printStackTrace()")),
        "info",
        "; the next statement throws `ExportException` with `broken` as its cause: the trace goes up with it to the code that handles it",
    );
    assert_level_at(
        &v,
        (
            "ExportRunner.java",
            line_in(file, "Failures.record(log, e)") - 2,
        ),
        "info",
        "; the catch also logs `e` through `Failures.record(…)`: the console line repeats it",
    );
    let last_trace = std::fs::read_to_string(fixtures().join(file))
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(" e.printStackTrace()"))
        .map(|(i, _)| i as u64 + 1)
        .last()
        .unwrap();
    assert_level_at(
        &v,
        ("ExportRunner.java", last_trace),
        "info",
        "; the catch also logs `e` through `log.error(…)`: the console line repeats it",
    );
    // An exception handler that logged the exception before its branches.
    let file =
        "rules/logging/print-stack-trace/src/main/java/com/acme/rules/logging/OrderErrorAdvice.java";
    let traces: Vec<u64> = std::fs::read_to_string(fixtures().join(file))
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("e.printStackTrace()"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_level_at(
        &v,
        ("OrderErrorAdvice.java", traces[0]),
        "info",
        "; the method also logs `e` through `log.error(…)`: the console line repeats it",
    );
    // Logged only after the branch that prints and returns.
    assert_level_at(&v, ("OrderErrorAdvice.java", traces[1]), "warning", "");
}

#[test]
fn private_methods_only_each_other_call_never_run() {
    let v = assert_matches_markers("rules/logging/stdout");
    let file = "rules/logging/stdout/src/main/java/com/acme/rules/logging/BucketStore.java";
    let at = |needle: &str| ("BucketStore.java", line_in(file, needle));
    assert_level_at(
        &v,
        at("creating bucket "),
        "info",
        "; in BucketStore.createBucket(), a private method only private methods nothing else calls reach: it never runs",
    );
    assert_level_at(&v, at("ensuring bucket "), "warning", "");
    assert_level_at(
        &v,
        at("buckets: "),
        "info",
        "; in dump(), marked `@TestOnly`: only tests call it",
    );
    // Called on another instance of the class: the chain runs.
    let file = "rules/logging/stdout/src/main/java/com/acme/rules/logging/Relay.java";
    assert_level_at(
        &v,
        ("Relay.java", line_in(file, "relay started")),
        "warning",
        "",
    );
}

#[test]
fn a_start_up_notice_is_info() {
    let v = assert_matches_markers("rules/logging/stdout");
    let file = "rules/logging/stdout/src/main/java/com/acme/rules/logging/StartupNotice.java";
    let at = |needle: &str| finding_at(&v, "StartupNotice.java", line_in(file, needle));
    let (level, why) = at("order-service is up");
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with("; in ApplicationRunner.run, which runs once, when the application starts"),
        "{why}"
    );
    let (level, why) = at("port: ");
    assert_eq!(level, "info", "{why}");
    assert!(why.ends_with("; in StartupNotice.printBanner(), which only a start-up hook of its class calls: it runs once, when the application starts"), "{why}");
    // What the hook schedules runs on after the start.
    assert_eq!(at("queue: ").0, "warning");
    // A war's start in a servlet container.
    let file = "rules/logging/stdout/src/main/java/com/acme/rules/logging/WebStartListener.java";
    let (level, why) = finding_at(
        &v,
        "WebStartListener.java",
        line_in(file, "order settings: "),
    );
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with("; in ServletContextListener.contextInitialized, which runs once, when the web application starts"),
        "{why}"
    );
    // A line main() prints once the application has started, text or
    // text joined with what it holds.
    let file = "rules/logging/stdout/src/main/java/com/acme/rules/logging/OrderApplication.java";
    let at = |needle: &str| finding_at(&v, "OrderApplication.java", line_in(file, needle));
    let (level, why) = at("order-service started");
    assert_eq!(level, "info", "{why}");
    assert!(
        why.ends_with("; in main(), once the application has started: a line printed once"),
        "{why}"
    );
    assert_eq!(at("profiles: ").0, "info");
    assert_eq!(at("queue depth: ").0, "warning");
    // A banner kept in a local first is literal text too.
    let (level, why) = at("println(banner)");
    assert_eq!(level, "info", "{why}");
    // What is printed before the process exits is its last words.
    let file = "rules/logging/stdout/src/main/java/com/acme/rules/logging/StartOptions.java";
    for needle in ["bad port: ", "usage: "] {
        assert_level_at(
            &v,
            ("StartOptions.java", line_in(file, needle)),
            "info",
            "; before System.exit(): the process's last words, printed once as it ends",
        );
    }
    assert_level_at(
        &v,
        ("StartOptions.java", line_in(file, "port chosen: ")),
        "warning",
        "",
    );
}

#[test]
fn a_developer_profiles_configuration_is_info() {
    let v = assert_matches_markers("rules/deploy/port");
    assert_level(
        &v,
        |path| path.ends_with("application-dev.yml"),
        "info",
        "; in the `dev` profile's configuration, meant for a developer's machine",
    );
    assert_level(
        &v,
        |path| path.ends_with("main/resources/application.properties"),
        "warning",
        "",
    );
    let v = assert_matches_markers("rules/host/hardcoded-ip");
    assert_level(
        &v,
        |path| path.ends_with("application-local.properties"),
        "info",
        "; in the `local` profile's configuration, meant for a developer's machine",
    );
    // A dashboard's saved selection connects nothing.
    assert_level(
        &v,
        |path| path.ends_with("order-dashboard.json"),
        "info",
        "; in a Grafana dashboard, which only the monitoring server reads",
    );
    // Nor does a front end's recorded API response, linking itself.
    assert_level(
        &v,
        |path| path.ends_with("order-hosts.json"),
        "info",
        "; in a recorded response of a REST API (its `href` links to the API): sample data, not configuration",
    );
}

#[test]
fn a_library_modules_spring_configuration_its_application_shadows_is_info() {
    let v = assert_matches_markers("packed-services");
    let order_yaml = |p: &str| p == "order-service/src/main/resources/application.yaml";
    assert_level(
        &v,
        order_yaml,
        "info",
        "; not read: rail-order-service is a library of rail-aggregation-service, whose own application.yaml Spring reads instead",
    );
    // Its code runs in the aggregation service's pod.
    assert_level(&v, |p| p.ends_with("OrderController.java"), "warning", "");
    // A file only the shadowed file names is not read either; one its
    // code loads is.
    assert_level(
        &v,
        |p| p.ends_with("order-sharding.yaml"),
        "info",
        "; not read: only rail-order-service's application.yaml names it, which rail-aggregation-service's own shadows",
    );
    assert_level(&v, |p| p.ends_with("order-cache.yaml"), "warning", "");
    // Logback finds its file by name, whatever names it.
    assert_level(
        &v,
        |p| p.ends_with("order-service/src/main/resources/logback.xml"),
        "error",
        "",
    );
    // log4j 2 reads the first log4j2.xml on the classpath too.
    assert_level(
        &v,
        |p| p == "order-service/src/main/resources/log4j2.xml",
        "info",
        "; not read: rail-order-service is a library of rail-aggregation-service, whose own log4j2.xml comes first on its classpath",
    );
    // No bootstrap.yml of the application's own: the library's is read.
    assert_level(&v, |p| p.ends_with("bootstrap.yml"), "warning", "");
    assert_level(&v, |p| p.starts_with("aggregation-service/"), "warning", "");

    // An image built for the order service makes it an application too.
    let dir = tempfile::tempdir().unwrap();
    podready_testkit::copy_dir(&fixtures().join("packed-services"), dir.path());
    std::fs::write(
        dir.path().join("order-service/Dockerfile"),
        "FROM eclipse-temurin:17-jre\nCOPY target/rail-order-service.jar /app.jar\n",
    )
    .unwrap();
    let (v, _) = findings_json(dir.path());
    assert_level(&v, order_yaml, "warning", "");
}

#[test]
fn a_renamed_log4j_properties_is_found_by_its_keys() {
    let v = assert_matches_markers("rules/logging/legacy-config");
    let file = "rules/logging/legacy-config/src/main/resources/billing-log4j.properties";
    // Loaded: the code names it. Reported at its first log4j key, once.
    assert_level_at(
        &v,
        (
            "billing-log4j.properties",
            line_in(file, "log4j.rootLogger"),
        ),
        "warning",
        "billing-log4j.properties configures a legacy logging framework",
    );
    let named = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "src/main/resources/log4j.properties")
        .count();
    assert_eq!(named, 1, "a file its name reports is reported once");
}

#[test]
fn a_configuration_file_left_beside_the_ones_an_image_copies_is_info() {
    let v = assert_matches_markers("image-config");
    let severity = |path: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("no finding in {path}"))
            .clone()
    };
    assert_eq!(severity("config/monitor.properties")["severity"], "warning");
    assert_eq!(severity("config/staging.properties")["severity"], "warning");
    // A manifest beside them is the pod's, not the image's.
    assert_eq!(severity("config/lag-monitor.yaml")["severity"], "error");
    let example = severity("config/multi-region.properties");
    assert_eq!(example["severity"], "info");
    assert!(example["message"].as_str().unwrap().ends_with(
        "; not in the image: docker/Dockerfile copies other files of config/ into it, not this one, and no file of the repository names it or its folder (documentation aside)"
    ));
}

#[test]
fn a_task_script_a_kubernetes_job_runs_starts_its_program_in_a_pod() {
    let dir = tempfile::tempdir().unwrap();
    podready_testkit::copy_dir(&fixtures().join("deployed-modules"), dir.path());
    std::fs::write(
        dir.path().join("deploy/import-job.yaml"),
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: import-orders\nspec:\n  template:\n    spec:\n      containers:\n        - name: import\n          image: registry.acme.com/order-import:1.0\n          command: [\"/opt/order/scripts/import-orders.sh\"]\n      restartPolicy: Never\n",
    )
    .unwrap();
    let (v, _) = findings_json(dir.path());
    assert_level(
        &v,
        |path| path.ends_with("/OrderImport.java"),
        "warning",
        "",
    );
}

#[test]
fn a_program_a_pods_script_starts_is_no_command() {
    // An image whose entrypoint is the script starting order control runs
    // it as the pod's process: what its subcommand prints is lost.
    let dir = tempfile::tempdir().unwrap();
    podready_testkit::copy_dir(&fixtures().join("helpers"), dir.path());
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM eclipse-temurin:17-jre\nCOPY bin/ /app/bin/\nENTRYPOINT [\"/app/bin/orderctl.sh\", \"status\"]\n",
    )
    .unwrap();
    let (v, _) = findings_json(dir.path());
    assert_level(
        &v,
        |p| p.ends_with("ops/client/StatusCommand.java"),
        "warning",
        "",
    );

    // So does an entrypoint script running it; one that only mentions it
    // for an operator (a comment, an `echo`) does not.
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM eclipse-temurin:17-jre\nCOPY docker-entrypoint.sh /\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n",
    )
    .unwrap();
    for (entrypoint, level) in [
        ("#!/bin/sh\nexec /app/bin/orderctl.sh status\n", "warning"),
        (
            "#!/bin/sh\n# Operators run bin/orderctl.sh by hand.\necho \"see bin/orderctl.sh\"\nexec java -jar /app/helpers.jar\n",
            "info",
        ),
    ] {
        std::fs::write(dir.path().join("docker-entrypoint.sh"), entrypoint).unwrap();
        let (v, _) = findings_json(dir.path());
        assert_level(
            &v,
            |p| p.ends_with("ops/client/StatusCommand.java"),
            level,
            "",
        );
    }
}

#[test]
fn poms_maven_cannot_build_beside_another_build_ship_nothing() {
    let v = assert_matches_markers("stale-poms");
    assert_level(
        &v,
        |p| p == "engine/pom.xml",
        "info",
        "; not built: pom.xml lists the module `ledger`, which is not in the repository, so Maven cannot build it; the repository has another build (Rakefile)",
    );
    assert_level(&v, |p| p.ends_with("Engine.java"), "warning", "");

    // Without another build, the module list is the Maven build's own
    // mistake: what the poms declare is reported.
    let dir = tempfile::tempdir().unwrap();
    podready_testkit::copy_dir(&fixtures().join("stale-poms"), dir.path());
    std::fs::remove_file(dir.path().join("Rakefile")).unwrap();
    let (v, _) = findings_json(dir.path());
    assert_level(&v, |p| p == "engine/pom.xml", "error", "");
}

#[test]
fn a_spring_boot_application_with_no_logging_of_its_own_logs_to_the_console() {
    let v = assert_matches_markers("spring-default-logging");
    // Only `post-notify`: the others set a log file, bring a logback file
    // through a library, take their settings from Nacos, or start nothing.
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "notify-app/pom.xml")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(finding["severity"], "error", "{v}");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .starts_with("Spring Boot's default logging configuration, which `post-notify` runs"),
        "{v}"
    );
}
