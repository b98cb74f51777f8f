//! Name resolution cases of the Java pass, each a tiny repository.

use podready_analyzer::{analyze, Analysis, Options};
use podready_rules::RulePack;

/// The analysis of a tiny repository holding `files`.
fn analysis(files: &[(&str, &str)]) -> Analysis {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let pack = RulePack::builtin().unwrap();
    analyze(dir.path(), &pack, &Options::default()).unwrap()
}

fn scan(files: &[(&str, &str)]) -> Vec<(String, String, usize)> {
    analysis(files)
        .findings
        .into_iter()
        .map(|f| (f.rule, f.path, f.line))
        .collect()
}

fn rules_on(findings: &[(String, String, usize)], line: usize) -> Vec<&str> {
    findings
        .iter()
        .filter(|f| f.2 == line)
        .map(|f| f.0.as_str())
        .collect()
}

const MAIN: &str = "src/main/java/com/acme/A.java";

#[test]
fn static_wildcard_import_and_var() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nimport static java.net.InetAddress.*;\nclass A {\n  void m() throws Exception {\n    var h = getLocalHost();\n    String n = h.getHostName();\n  }\n}\n",
    )]);
    assert_eq!(rules_on(&f, 5), ["host/local-address"]);
    assert_eq!(rules_on(&f, 6), ["host/local-address"]);
}

#[test]
fn a_method_of_the_class_shadows_a_static_import() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nimport static java.net.InetAddress.getLocalHost;\nclass A {\n  static Object getLocalHost() { return null; }\n  void m() { getLocalHost(); }\n}\n",
    )]);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn a_same_package_class_shadows_a_wildcard_import() {
    let f = scan(&[
        (
            MAIN,
            "package com.acme;\nimport java.net.*;\nclass A {\n  void m() { InetAddress.getLocalHost(); }\n}\n",
        ),
        (
            "src/main/java/com/acme/InetAddress.java",
            "package com.acme;\npublic class InetAddress { public static Object getLocalHost() { return null; } }\n",
        ),
    ]);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn a_field_initialised_from_the_local_host_taints_its_uses() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nimport java.net.InetAddress;\nclass A {\n  String id() { return LOCAL.getHostAddress(); }\n  private static final InetAddress LOCAL = InetAddress.getLocalHost();\n}\n",
    )]);
    assert_eq!(rules_on(&f, 4), ["host/local-address"]);
    assert_eq!(rules_on(&f, 5), ["host/local-address"]);
}

#[test]
fn reassignment_from_a_remote_lookup_clears_the_taint() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nimport java.net.InetAddress;\nclass A {\n  void m(String remote) throws Exception {\n    InetAddress a = InetAddress.getLocalHost();\n    a = InetAddress.getByName(remote);\n    a.getHostName();\n  }\n}\n",
    )]);
    assert_eq!(rules_on(&f, 5), ["host/local-address"]);
    assert!(rules_on(&f, 7).is_empty(), "{f:?}");
}

#[test]
fn a_lambda_parameter_shadows_an_outer_variable() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nimport java.net.InetAddress;\nimport java.util.List;\nclass A {\n  void m(List<InetAddress> peers) throws Exception {\n    InetAddress a = InetAddress.getLocalHost();\n    peers.forEach(a -> a.getHostName());\n  }\n}\n",
    )]);
    assert_eq!(rules_on(&f, 6), ["host/local-address"]);
    assert!(rules_on(&f, 7).is_empty(), "{f:?}");
}

#[test]
fn static_imported_stream_and_runtime_chain() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nimport static java.lang.System.out;\nclass A {\n  void m() throws Exception {\n    out.println(\"x\");\n    Runtime.getRuntime().exec(\"hostname -f\");\n    new ProcessBuilder(\"hostname\").start();\n    Runtime.getRuntime().exec(\"ls\");\n  }\n}\n",
    )]);
    assert_eq!(rules_on(&f, 5), ["logging/stdout"]);
    assert_eq!(rules_on(&f, 6), ["host/hostname-env"]);
    assert_eq!(rules_on(&f, 7), ["host/hostname-env"]);
    assert!(rules_on(&f, 8).is_empty());
}

#[test]
fn a_project_class_named_system_is_not_java_lang_system() {
    let f = scan(&[
        (
            MAIN,
            "package com.acme;\nclass A {\n  void m() { System.out.println(\"x\"); }\n}\n",
        ),
        (
            "src/main/java/com/acme/System.java",
            "package com.acme;\npublic class System { public static java.io.PrintStream out; }\n",
        ),
    ]);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn fully_qualified_legacy_logger_once_per_line() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nclass A {\n  private static final org.apache.log4j.Logger LOG = org.apache.log4j.Logger.getLogger(A.class);\n}\n",
    )]);
    assert_eq!(rules_on(&f, 3), ["logging/legacy-api"]);
}

#[test]
fn versions_in_java_are_not_addresses() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nclass A {\n  static final String VERSION = \"10.2.3.4\";\n  String url = \"http://10.2.3.4:8080/x\"; // 10.9.9.9\n  /* \"10.8.8.8\" */\n}\n",
    )]);
    assert_eq!(f, [("host/hardcoded-ip".to_string(), MAIN.to_string(), 4)]);
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut expr = String::from("\"10.0.0.1\"");
    for _ in 0..20_000 {
        expr.push_str(" + \"a\"");
    }
    let mut chain = String::from("x");
    for _ in 0..5_000 {
        chain.push_str(".next()");
    }
    let src = format!(
        "package com.acme;\nclass A {{\n  String s = {expr};\n  Object o = {chain}.getHostName();\n}}\n"
    );
    let f = scan(&[(MAIN, &src)]);
    assert_eq!(rules_on(&f, 3), ["host/hardcoded-ip"]);
}

#[test]
fn method_references_to_the_standard_streams() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nimport java.util.List;\nclass A {\n  void m(List<String> urls) {\n    urls.forEach(System.out::println);\n    urls.forEach(this::println);\n  }\n  void println(String s) {}\n}\n",
    )]);
    assert_eq!(rules_on(&f, 5), ["logging/stdout"]);
    assert!(rules_on(&f, 6).is_empty(), "{f:?}");
}

#[test]
fn interface_imposed_legacy_logger_is_not_reported() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nabstract class Ds implements javax.sql.DataSource {\n  @Override\n  public java.util.logging.Logger getParentLogger() { return null; }\n  public java.util.logging.Logger mine() { return null; }\n  public java.util.logging.Logger getParentLogger(int x) { return null; }\n}\n",
    )]);
    assert!(rules_on(&f, 4).is_empty(), "{f:?}");
    assert_eq!(rules_on(&f, 5), ["logging/legacy-api"]);
    assert!(rules_on(&f, 6).is_empty(), "without @Override too: {f:?}");
}

#[test]
fn dubbo_net_utils_is_the_same_problem() {
    let f = scan(&[(
        MAIN,
        "package com.acme;\nimport org.apache.dubbo.common.utils.NetUtils;\nclass A {\n  String ip() { return NetUtils.getLocalHost(); }\n}\n",
    )]);
    assert_eq!(rules_on(&f, 4), ["host/local-address"]);
}

#[test]
fn examples_subnets_and_multicast_are_not_addresses() {
    let f = scan(&[
        (
            MAIN,
            "package com.acme;\nclass A {\n  String hint = \"must look like 10.1.2.3:80\";\n  String group = \"224.0.0.251\";\n  String net = \"10.0.0.0/8\";\n  String db = \"10.1.2.3\";\n}\n",
        ),
        (
            "src/main/resources/app.yml",
            "validation:\n  message: address such as 10.9.9.9\nsubnet: 10.0.0.0/8\nserver:\n  port: ${PORT:8081}\n",
        ),
    ]);
    assert_eq!(
        f,
        [
            ("host/hardcoded-ip".to_string(), MAIN.to_string(), 6),
            (
                "deploy/port".to_string(),
                "src/main/resources/app.yml".to_string(),
                5
            ),
        ]
    );
}

#[test]
fn a_helper_building_on_a_local_through_calls_is_still_a_source() {
    // Each reassignment hands the local to a project method and builds on
    // it: the search walks the value once, not once per path.
    let reassigned = "        id = Strs.mix(id, id.trim());\n".repeat(12);
    let ids = format!(
        "package com.acme;\nimport java.net.InetAddress;\npublic class Ids {{\n    public static String nodeId(String base) throws Exception {{\n        String id = base;\n{reassigned}        return id + \"@\" + InetAddress.getLocalHost().getHostName();\n    }}\n}}\n"
    );
    let f = scan(&[
        ("src/main/java/com/acme/Ids.java", &ids),
        (
            "src/main/java/com/acme/Strs.java",
            "package com.acme;\npublic class Strs {\n    public static String mix(String a, String b) {\n        return a.trim() + b;\n    }\n}\n",
        ),
        (
            "src/main/java/com/acme/Use.java",
            "package com.acme;\npublic class Use {\n    interface Registry { void register(String name, String host); }\n    void one(Registry registry) throws Exception {\n        registry.register(\"a\", Ids.nodeId(\"x\"));\n    }\n}\n",
        ),
    ]);
    let in_use: Vec<usize> = f
        .iter()
        .filter(|(_, path, _)| path.ends_with("Use.java"))
        .map(|(_, _, line)| *line)
        .collect();
    assert_eq!(in_use, [5], "{f:?}");
}

/// The modules the analysis takes as deployed, by artifactId.
fn deployed(files: &[(&str, &str)]) -> Vec<String> {
    let a = analysis(files);
    let (yes, _) = a.deployment.modules(&a.project);
    yes.into_iter().map(str::to_string).collect()
}

#[test]
fn a_client_module_reading_the_terminal_is_a_console_program_unless_it_is_a_service() {
    let pom = |artifact: &str| {
        format!("<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>{artifact}</artifactId><version>1</version><build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest><mainClass>a.Main</mainClass></manifest></archive></configuration></plugin></plugins></build></project>")
    };
    let reads = "package a;\nimport java.util.Scanner;\nclass Prompt implements Runnable {\n  public void run() { Scanner in = new Scanner(System.in); in.nextLine(); }\n}\n";
    let main = "package a;\npublic class Main {\n  public static void main(String[] args) { new Thread(new Prompt()).start(); }\n}\n";
    let client = pom("pay-client");
    let base = [
        ("pom.xml", client.as_str()),
        ("src/main/java/a/Main.java", main),
        ("src/main/java/a/Prompt.java", reads),
    ];
    assert!(deployed(&base).is_empty(), "a console program");
    // An image of its own makes it a service.
    let mut with_image = base.to_vec();
    with_image.push(("Dockerfile", "FROM eclipse-temurin:17\n"));
    assert_eq!(deployed(&with_image), ["pay-client"]);
    // A developer's program of its own reading the terminal says nothing.
    let debug = "package a;\nimport java.util.Scanner;\npublic class DebugSigner {\n  public static void main(String[] args) { new Scanner(System.in).nextLine(); }\n}\n";
    let service = [
        ("pom.xml", client.as_str()),
        ("src/main/java/a/Main.java", main),
        ("src/main/java/a/DebugSigner.java", debug),
    ];
    assert_eq!(deployed(&service), ["pay-client"]);
}

#[test]
fn a_variable_rebuilt_from_itself_through_project_calls_is_followed_once() {
    // Each assignment hands the variable on twice: every order of the
    // calls is another path (2^16 of them), which the search must not walk.
    let mut helper = String::from(
        "package com.acme;\n\nimport java.net.InetAddress;\n\nclass A {\n    static String mark(String s, String k) { return s + k; }\n\n    static String host() throws Exception {\n        String result = InetAddress.getLocalHost().getHostName();\n",
    );
    for _ in 0..16 {
        helper.push_str("        result = mark(result, result);\n");
    }
    helper.push_str("        return result;\n    }\n}\n");
    let caller = "package com.acme;\n\nclass B {\n    void register(java.util.Map<String, String> registry) throws Exception {\n        registry.put(\"node\", A.host());\n    }\n}\n";
    let f = scan(&[(MAIN, &helper), ("src/main/java/com/acme/B.java", caller)]);
    let at = |path: &str, line: usize| {
        f.iter()
            .any(|(rule, p, l)| rule == "host/local-address" && p.ends_with(path) && *l == line)
    };
    assert!(at("A.java", 9), "{f:?}");
    assert!(at("B.java", 5), "{f:?}");
}
