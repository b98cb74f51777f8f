//! Java files that name nothing the rules look for are not parsed unless
//! the summaries need them. Leaving them out changes no finding: every
//! fixture and a generated corpus give the same findings, files and lines
//! as a run that parses every file; only the syntax errors of files never
//! parsed go unnoted.

use std::path::Path;

use podready_analyzer::{analyze, Analysis, NoteKind, Options};
use podready_rules::RulePack;

fn both(root: &Path) -> (Analysis, Analysis) {
    let mut pack = RulePack::builtin().unwrap();
    let config = root.join("podready.toml");
    if config.is_file() {
        pack.apply_file(&config).unwrap();
    }
    let mut options = Options::from_pack(&pack);
    let some = analyze(root, &pack, &options).unwrap();
    options.parse_all = true;
    let all = analyze(root, &pack, &options).unwrap();
    (some, all)
}

fn assert_same_findings(root: &Path) {
    let (some, all) = both(root);
    assert_eq!(
        serde_json::to_string_pretty(&some.findings).unwrap(),
        serde_json::to_string_pretty(&all.findings).unwrap(),
        "{}",
        root.display()
    );
    assert_eq!((some.files, some.lines), (all.files, all.lines));
    let without_syntax = |a: &Analysis| {
        a.notes
            .iter()
            .filter(|n| n.kind != NoteKind::SyntaxError)
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(without_syntax(&some), without_syntax(&all));
    // A syntax error noted without parsing everything is one noted with.
    for n in some
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::SyntaxError)
    {
        assert!(all.notes.contains(n), "{n:?}");
    }
}

#[test]
fn every_fixture_gives_the_findings_of_a_run_parsing_every_file() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() && dir.join("src").is_dir() {
            assert_same_findings(&dir);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} fixtures with sources");
}

#[test]
fn a_generated_corpus_gives_the_findings_of_a_run_parsing_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/gen_corpus.py");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args(["--files", "300", "--lines", "60000", "--seed", "7"])
        .arg(&corpus)
        .status()
        .unwrap();
    assert!(status.success());
    assert_same_findings(&corpus);
}

/// `Registration` and `Text` name nothing a rule looks for: `Text` is
/// parsed because `Addresses` asks whether `trimmed` hands on its
/// argument, `Registration` because it names `trimmedIp`, which the
/// answer makes a lookup.
#[test]
fn helpers_in_files_no_rule_needs_are_still_followed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/helpers");
    let (some, _) = both(&root);
    let f = some
        .findings
        .iter()
        .find(|f| f.path.ends_with("app/Registration.java"))
        .expect("the helper's use in Registration is reported");
    assert_eq!(f.rule, "host/local-address");
    assert!(f.message.contains("Addresses.trimmedIp()"), "{}", f.message);
}

/// A repository of the given files, and what a check of it finds (rule
/// and line per finding), after checking that leaving files unparsed
/// changes nothing.
fn found_in(files: &[(&str, &str)]) -> Vec<(String, String, usize)> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    assert_same_findings(dir.path());
    let (some, _) = both(dir.path());
    some.findings
        .iter()
        .map(|f| (f.path.clone(), f.rule.clone(), f.line))
        .collect()
}

/// What a parser reads through — spaces and line breaks inside a
/// qualified name, comments between `System` and `.out`, in a class
/// header or after `interface` — the pre-filter reads through too.
#[test]
fn spaces_and_comments_inside_code_do_not_hide_it() {
    let legacy = found_in(&[(
        "src/main/java/com/acme/Legacy.java",
        "package com.acme;\n\nclass Legacy {\n    Object log = org.apache.logging\n        .log4j.LogManager.getLogger(Legacy.class);\n}\n",
    )]);
    assert!(
        legacy.iter().any(|f| f.1 == "logging/legacy-api"),
        "{legacy:?}"
    );
    let spaced = found_in(&[(
        "src/main/java/com/acme/Imp.java",
        "package com.acme;\n\nimport java.util. logging.Logger;\n\nclass Imp {\n    Logger log;\n}\n",
    )]);
    assert!(
        spaced.iter().any(|f| f.1 == "logging/legacy-api"),
        "{spaced:?}"
    );
    let out = found_in(&[(
        "src/main/java/com/acme/Out.java",
        "package com.acme;\n\nclass Out {\n    void f() {\n        System\n            // progress goes to the console\n            .out.println(\"done\");\n    }\n}\n",
    )]);
    assert!(out.iter().any(|f| f.1 == "logging/stdout"), "{out:?}");
    // Logging code: the sink's print is the implementation's own.
    let sink = (
        "src/main/java/com/acme/log/Sink.java",
        "package com.acme.log;\n\nclass Sink {\n    void write(String line) {\n        System.out.println(line);\n    }\n}\n",
    );
    for declaration in [
        "package com.acme.log;\n\nimport ch.qos.logback.core.AppenderBase;\n\npublic abstract class AsyncAppender<E> extends // TODO: queue size; later\n        AppenderBase<E> {\n}\n",
        "package com.acme.log;\n\npublic interface /* the facade */ Logger {\n    void info(String m);\n}\n",
    ] {
        found_in(&[sink, ("src/main/java/com/acme/log/Decl.java", declaration)]);
    }
}

/// A searched string written with escapes (`\\`) still makes its file
/// parsed.
#[test]
fn a_searched_string_written_with_escapes_is_found() {
    let found = found_in(&[
        (
            "podready.toml",
            "[[rule]]\nid = \"host/hosts-file\"\nseverity = \"error\"\nmessage = \"{detail} reads the hosts file\"\nremediation = \"Use DNS.\"\ndoc = { what = \"x\", why = \"y\", instead = \"z\" }\nmatcher = [{ kind = \"java-string\", values = ['C:\\Windows\\System32\\drivers\\etc\\hosts'] }]\n",
        ),
        (
            "src/main/java/com/acme/Hosts.java",
            "package com.acme;\n\nclass Hosts {\n    static final String WINDOWS = \"C:\\\\Windows\\\\System32\\\\drivers\\\\etc\\\\hosts\";\n}\n",
        ),
    ]);
    assert!(found.iter().any(|f| f.1 == "host/hosts-file"), "{found:?}");
}

/// A helper's uses are found however its class is named — imported, in
/// the same package, statically imported, in full, by the class itself,
/// through a nested class — while a method of the same name on another
/// class, in files that name the helper's method but not its class, is
/// not one.
#[test]
fn a_helpers_uses_are_found_however_its_class_is_named() {
    let net = (
        "src/main/java/com/acme/net/Net.java",
        "package com.acme.net;\n\nimport java.net.InetAddress;\n\npublic final class Net {\n    public static String ip() throws Exception {\n        return InetAddress.getLocalHost().getHostAddress();\n    }\n\n    public static String url() throws Exception {\n        return \"http://\" + ip();\n    }\n\n    public static final class Holder {\n        public static String ip() throws Exception {\n            return Net.ip();\n        }\n    }\n}\n",
    );
    let uses = [
        ("Imported", "import com.acme.net.Net;\n\nclass Imported {\n    String at() throws Exception {\n        return Net.ip();\n    }\n}\n"),
        ("Static", "import static com.acme.net.Net.ip;\n\nclass Static {\n    String at() throws Exception {\n        return ip();\n    }\n}\n"),
        ("Full", "class Full {\n    String at() throws Exception {\n        return com.acme.net.Net.ip();\n    }\n}\n"),
        ("Nested", "import com.acme.net.Net;\n\nclass Nested {\n    String at() throws Exception {\n        return Net.Holder.ip();\n    }\n}\n"),
        ("Typed", "import com.acme.net.Net;\n\nclass Typed {\n    String at(Net net) throws Exception {\n        return net.ip();\n    }\n}\n"),
    ];
    let same_package = (
        "src/main/java/com/acme/net/Local.java",
        "package com.acme.net;\n\nclass Local {\n    String at() throws Exception {\n        return Net.ip();\n    }\n}\n",
    );
    let lookalikes = [
        (
            "src/main/java/com/acme/cache/Cache.java",
            "package com.acme.cache;\n\npublic class Cache {\n    public String ip() {\n        return \"cached\";\n    }\n}\n",
        ),
        (
            "src/main/java/com/acme/cache/Reader.java",
            "package com.acme.cache;\n\nclass Reader {\n    String at(Cache cache) {\n        return cache.ip();\n    }\n}\n",
        ),
    ];
    let paths: Vec<String> = uses
        .iter()
        .map(|(class, _)| format!("src/main/java/com/acme/app/{class}.java"))
        .collect();
    let texts: Vec<String> = uses
        .iter()
        .map(|(_, body)| format!("package com.acme.app;\n\n{body}"))
        .collect();
    let mut files = vec![net, same_package];
    files.extend(lookalikes);
    files.extend(
        paths
            .iter()
            .zip(&texts)
            .map(|(p, t)| (p.as_str(), t.as_str())),
    );
    let found = found_in(&files);
    let reported = |path: &str| found.iter().any(|f| f.0 == path);
    for path in paths.iter().map(String::as_str).chain([same_package.0]) {
        assert!(reported(path), "{path}: {found:?}");
    }
    assert!(
        found.iter().any(|f| f.0 == net.0 && f.2 == 11),
        "the class's own use in url(): {found:?}"
    );
    assert!(
        !lookalikes.iter().any(|(path, _)| reported(path)),
        "{found:?}"
    );
}
