//! No input makes the readers panic: random text built from the characters
//! that matter to each format, plus truncations of real-looking files.

use podready_analyzer::{analyze, config, ip, pom::Pom, text::SourceText, xml, Options};
use podready_rules::RulePack;

mod common;

use common::Rng;

/// Random text from the pieces that matter to a format.
fn text(rng: &mut Rng, alphabet: &[&str], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
        .collect()
}

const XML_BITS: &[&str] = &[
    "<",
    ">",
    "/",
    "=",
    "\"",
    "'",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?xml",
    "?>",
    "&amp;",
    "&#x2014;",
    "&",
    "project",
    "dependency",
    "version",
    "groupId",
    "configuration",
    "appender",
    "Appenders",
    " ",
    "\n",
    "\r\n",
    "10.0.0.1",
    "${a}",
    "中",
    "\u{feff}",
];
const CONFIG_BITS: &[&str] = &[
    ":",
    "=",
    " ",
    "\n",
    "#",
    "!",
    "\\",
    "-",
    "- ",
    "\"",
    "'",
    "{",
    "}",
    "[",
    "]",
    ",",
    "|",
    ">",
    "server",
    ".",
    "port",
    "8081",
    "10.1.2.3",
    "::1",
    "fe80::1",
    "1.2.3.4.5",
    "中文",
    "如",
    "例如",
    "eg:",
];
const JAVA_BITS: &[&str] = &[
    "import ",
    "static ",
    "java.net.*;",
    "InetAddress",
    ".",
    "getLocalHost",
    "(",
    ")",
    "{",
    "}",
    ";",
    "\"10.0.0.1\"",
    "\"",
    "//",
    "/*",
    "*/",
    "\n",
    "class A ",
    "extends ",
    "ConsoleAppender",
    "<E>",
    "'\\''",
    "\"\"\"",
    "var x = ",
    "System.out.println",
    "e.printStackTrace()",
    "->",
    "new ProcessBuilder",
    "\"hostname\"",
    " ",
    "@",
    "<",
    ">",
];

#[test]
fn readers_survive_random_input() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..3000 {
        let len = (rng.next() % 60) as usize;
        let x = text(&mut rng, XML_BITS, len);
        let _ = xml::scan(&x);
        let (items, _) = xml::scan(&x);
        let _ = xml::values(&items);
        let _ = xml::logback_uses(&items, &["catalina.out".into()]);
        let _ = xml::is_logback_configuration(&items);
        let _ = Pom::parse("pom.xml", &x);
        let c = text(&mut rng, CONFIG_BITS, len);
        for values in [
            config::properties(&c),
            config::yaml(&c),
            config::json(&c),
            config::conf(&c),
        ] {
            for v in values {
                assert_eq!(
                    c.get(v.start..v.start + v.value.len()),
                    Some(v.value),
                    "round {round}: {c:?}"
                );
            }
        }
        let _ = ip::is_descriptive(&c, &c);
        for span in ip::find_ips(&c) {
            assert!(c.get(span.start..span.end).is_some());
        }
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xff) as u8).collect();
        let s = SourceText::decode(&bytes);
        let _ = s.line_col(s.text.len());
    }
}

#[test]
fn analyzer_survives_random_java_and_binary_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(42);
    let main = dir.path().join("src/main/java/com/acme");
    std::fs::create_dir_all(&main).unwrap();
    for i in 0..200 {
        let len = (rng.next() % 200) as usize;
        std::fs::write(
            main.join(format!("F{i}.java")),
            text(&mut rng, JAVA_BITS, len),
        )
        .unwrap();
    }
    let bytes: Vec<u8> = (0..5000).map(|_| (rng.next() & 0xff) as u8).collect();
    std::fs::write(main.join("Binary.java"), &bytes).unwrap();
    std::fs::write(dir.path().join("pom.xml"), "<project><dependencies>").unwrap();
    // An empty pom builds nothing: nothing in it goes unchecked.
    std::fs::create_dir_all(dir.path().join("moved")).unwrap();
    std::fs::write(dir.path().join("moved/pom.xml"), "\n").unwrap();
    let pack = RulePack::builtin().unwrap();
    let a = analyze(dir.path(), &pack, &Options::default()).unwrap();
    assert!(a.notes.iter().any(|n| n.path == "pom.xml"));
    let unanalysed: Vec<&str> = a
        .findings
        .iter()
        .filter(|f| f.rule == "podready/unanalysed-file" && f.path.ends_with("pom.xml"))
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(unanalysed, ["pom.xml"]);
    assert!(a.files >= 200);
}

#[test]
fn too_large_files_are_reported_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("big.properties"),
        "x=10.0.0.1\n".repeat(100),
    )
    .unwrap();
    let pack = RulePack::builtin().unwrap();
    let options = Options {
        max_file_size: 100,
        ..Options::default()
    };
    let a = analyze(dir.path(), &pack, &options).unwrap();
    assert_eq!(a.notes.len(), 1);
    assert!(
        a.notes[0].message.contains("over the 100-byte limit"),
        "{:?}",
        a.notes
    );
    // The gate fails on it: nothing of the file was looked at.
    let found: Vec<_> = a
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.as_str(),
                f.path.as_str(),
                f.line,
                f.column,
                f.severity,
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "podready/unanalysed-file",
            "big.properties",
            1,
            1,
            podready_rules::Severity::Error
        )]
    );
    assert_eq!(
        a.findings[0].message,
        "not analysed: 1100 bytes, over the 100-byte limit (raise it with `[check] max_file_size` in podready.toml)"
    );
}

#[test]
fn utf16_and_a_stray_nul_are_text_random_bytes_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("src/main/java/com/acme");
    std::fs::create_dir_all(&main).unwrap();
    let java = "package com.acme;\n\nclass Boot {\n    void run() {\n        System.out.println(\"up\");\n    }\n}\n";
    let utf16: Vec<u8> = b"\xFF\xFE"
        .iter()
        .copied()
        .chain(java.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(main.join("Boot.java"), utf16).unwrap();
    let with_nul = java
        .replace("class Boot", "class Nul")
        .replace("\"up\"", "\"up\\u0000\" /*\0*/");
    std::fs::write(main.join("Nul.java"), with_nul).unwrap();
    let noise: Vec<u8> = (0..4000u32)
        .map(|i| (i * 7919 % 251) as u8 | 0x80)
        .chain([0, 0])
        .collect();
    std::fs::write(main.join("Noise.java"), noise).unwrap();
    let pack = RulePack::builtin().unwrap();
    let a = analyze(dir.path(), &pack, &Options::default()).unwrap();
    for file in ["Boot.java", "Nul.java"] {
        assert!(
            a.findings
                .iter()
                .any(|f| f.path.ends_with(file) && f.rule == "logging/stdout" && f.line == 5),
            "{file}: {:?}",
            a.findings
        );
    }
    let note = |file: &str| {
        a.notes
            .iter()
            .find(|n| n.path.ends_with(file))
            .map(|n| n.kind)
    };
    assert_eq!(
        note("Boot.java"),
        Some(podready_analyzer::NoteKind::Decoded)
    );
    // Read and analysed (tree-sitter stops at the NUL: a syntax note, not
    // a skipped file).
    assert_ne!(note("Nul.java"), Some(podready_analyzer::NoteKind::Binary));
    assert_eq!(
        note("Noise.java"),
        Some(podready_analyzer::NoteKind::Binary)
    );
    let unread: Vec<(&str, &str)> = a
        .findings
        .iter()
        .filter(|f| f.rule == "podready/unanalysed-file")
        .map(|f| (f.path.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(
        unread,
        [(
            "src/main/java/com/acme/Noise.java",
            "not analysed: not a text file (NUL bytes, and not UTF-8 or UTF-16)"
        )]
    );
}
