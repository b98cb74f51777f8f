//! `podready-parse-floor`: the performance floor for `podready check`.
//!
//! It does the minimum any tree-sitter based Java scanner must do: walk the
//! tree with the `ignore` crate (honouring `.gitignore` and skipping the same
//! directories as podready's walker), read
//! every `.java` file and parse it with tree-sitter-java, in parallel with one
//! parser per rayon worker. No rule runs. The time it takes is the floor
//! against which podready (and other tools) are compared in `bench/compare.sh`.
//!
//! It also reports the files whose parse tree holds ERROR or MISSING nodes, so
//! it doubles as the syntax check of the generated benchmark corpus.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use podready_analyzer::walk;
use rayon::prelude::*;
use tree_sitter::{Language, Node, Parser};

const USAGE: &str = "\
usage: podready-parse-floor [OPTIONS] [PATH]

Walks PATH (default: .) honouring .gitignore, parses every .java file with
tree-sitter-java in parallel and prints files, lines, bytes and the number of
files whose parse tree contains ERROR or MISSING nodes.

options:
  --json            print the summary as one JSON object
  --list-errors     print every file with a syntax error and its first error
                    location (path:line:column) on stderr
  --fail-on-errors  exit 1 when any file has a syntax error
  --skip-tests      skip test sources (src/test*, src/*test, src/it), as podready
                    does when no rule applies to tests (its default)
  --threads N       number of parser threads (default: number of CPUs)
  -h, --help        print this help";

struct Options {
    root: PathBuf,
    json: bool,
    list_errors: bool,
    fail_on_errors: bool,
    skip_tests: bool,
    threads: Option<usize>,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        root: PathBuf::from("."),
        json: false,
        list_errors: false,
        fail_on_errors: false,
        skip_tests: false,
        threads: None,
    };
    let mut root_seen = false;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("-h" | "--help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Some("--json") => opts.json = true,
            Some("--list-errors") => opts.list_errors = true,
            Some("--fail-on-errors") => opts.fail_on_errors = true,
            Some("--skip-tests") => opts.skip_tests = true,
            Some("--threads") => {
                let value = args
                    .next()
                    .and_then(|v| v.into_string().ok())
                    .ok_or("--threads needs a value")?;
                let n: usize = value
                    .parse()
                    .map_err(|_| format!("--threads: not a number: {value}"))?;
                if n == 0 {
                    return Err("--threads must be at least 1".into());
                }
                opts.threads = Some(n);
            }
            Some(s) if s.starts_with('-') && s != "-" => {
                return Err(format!("unknown option: {s}"));
            }
            _ => {
                if root_seen {
                    return Err("only one PATH may be given".into());
                }
                root_seen = true;
                opts.root = PathBuf::from(arg);
            }
        }
    }
    Ok(opts)
}

/// What parsing one file found.
#[derive(Default)]
struct FileResult {
    lines: u64,
    bytes: u64,
    /// First ERROR or MISSING node: (1-based line, 1-based column, description).
    first_error: Option<(usize, usize, String)>,
    /// The file could not be read or tree-sitter returned no tree.
    failure: Option<String>,
}

#[derive(Default)]
struct Totals {
    files: u64,
    lines: u64,
    bytes: u64,
    files_with_errors: u64,
    unreadable: u64,
}

fn count_lines(src: &[u8]) -> u64 {
    if src.is_empty() {
        return 0;
    }
    let newlines = src.iter().filter(|&&b| b == b'\n').count() as u64;
    if src.ends_with(b"\n") {
        newlines
    } else {
        newlines + 1
    }
}

/// Depth-first search for the first ERROR or MISSING node, descending only
/// into subtrees that report an error.
fn first_error(root: Node<'_>) -> Option<(usize, usize, String)> {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            let pos = node.start_position();
            let what = if node.is_missing() {
                format!("MISSING {}", node.kind())
            } else {
                "ERROR".to_string()
            };
            return Some((pos.row + 1, pos.column + 1, what));
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        // Move to the next sibling, climbing up as needed.
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}

fn parse_file(parser: &mut Parser, path: &Path) -> FileResult {
    let src = match std::fs::read(path) {
        Ok(src) => src,
        Err(e) => {
            return FileResult {
                failure: Some(format!("read failed: {e}")),
                ..FileResult::default()
            }
        }
    };
    let mut result = FileResult {
        lines: count_lines(&src),
        bytes: src.len() as u64,
        ..FileResult::default()
    };
    match parser.parse(&src, None) {
        Some(tree) => {
            let root = tree.root_node();
            if root.has_error() {
                result.first_error = first_error(root)
                    .or_else(|| Some((1, 1, "ERROR (location unknown)".to_string())));
            }
        }
        None => result.failure = Some("tree-sitter returned no tree".to_string()),
    }
    result
}

/// The Java files podready's own walker yields (same .gitignore handling,
/// skipped directories and test classification), so the floor reads exactly
/// what the analyzer reads.
fn collect_java_files(root: &Path, skip_tests: bool) -> Vec<PathBuf> {
    let none = globset::GlobSet::empty();
    let selection = walk::Selection {
        exclude: &none,
        test_roots: &none,
        wanted: &|_| false,
    };
    let walked = walk::walk(root, &selection, None);
    for e in &walked.errors {
        eprintln!("warning: {}: {}", e.path, e.message);
    }
    walked
        .files
        .into_iter()
        .filter(|f| f.kind == walk::FileKind::Java && !(skip_tests && f.is_test))
        .map(|f| f.abs)
        .collect()
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn run(opts: &Options) -> Result<Totals, String> {
    if !opts.root.exists() {
        return Err(format!(
            "{}: no such file or directory",
            opts.root.display()
        ));
    }
    if let Some(n) = opts.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| format!("cannot start thread pool: {e}"))?;
    }
    let language: Language = tree_sitter_java::LANGUAGE.into();

    let files = collect_java_files(&opts.root, opts.skip_tests);
    let results: Vec<FileResult> = files
        .par_iter()
        .map_init(
            || {
                let mut parser = Parser::new();
                parser
                    .set_language(&language)
                    .expect("tree-sitter-java is compatible with this tree-sitter");
                parser
            },
            |parser, path| parse_file(parser, path),
        )
        .collect();

    let mut totals = Totals::default();
    for (path, result) in files.iter().zip(&results) {
        if let Some(failure) = &result.failure {
            totals.unreadable += 1;
            eprintln!("{}: {failure}", path.display());
            continue;
        }
        totals.files += 1;
        totals.lines += result.lines;
        totals.bytes += result.bytes;
        if let Some((line, column, what)) = &result.first_error {
            totals.files_with_errors += 1;
            if opts.list_errors {
                eprintln!("{}:{line}:{column}: {what}", path.display());
            }
        }
    }
    Ok(totals)
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(opts) => opts,
        Err(e) => {
            eprintln!("podready-parse-floor: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let totals = match run(&opts) {
        Ok(totals) => totals,
        Err(e) => {
            eprintln!("podready-parse-floor: {e}");
            return ExitCode::from(2);
        }
    };
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;

    if opts.json {
        println!(
            "{{\"root\":{},\"skip_tests\":{},\"files\":{},\"lines\":{},\"bytes\":{},\"files_with_syntax_errors\":{},\"unreadable_files\":{},\"threads\":{},\"elapsed_ms\":{:.1}}}",
            json_string(&opts.root.to_string_lossy()),
            opts.skip_tests,
            totals.files,
            totals.lines,
            totals.bytes,
            totals.files_with_errors,
            totals.unreadable,
            rayon::current_num_threads(),
            elapsed_ms
        );
    } else {
        println!("root:                     {}", opts.root.display());
        if opts.skip_tests {
            println!("skip_tests:               true");
        }
        println!("files:                    {}", totals.files);
        println!("lines:                    {}", totals.lines);
        println!("bytes:                    {}", totals.bytes);
        println!("files_with_syntax_errors: {}", totals.files_with_errors);
        if totals.unreadable > 0 {
            println!("unreadable_files:         {}", totals.unreadable);
        }
        println!("threads:                  {}", rayon::current_num_threads());
        println!("elapsed_ms:               {elapsed_ms:.1}");
    }

    if opts.fail_on_errors && (totals.files_with_errors > 0 || totals.unreadable > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn java_parser() -> Parser {
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_java::LANGUAGE.into())
            .unwrap();
        parser
    }

    #[test]
    fn counts_lines_with_and_without_trailing_newline() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\n"), 1);
        assert_eq!(count_lines(b"a\nb"), 2);
        assert_eq!(count_lines(b"a\nb\n\n"), 3);
    }

    #[test]
    fn valid_java_has_no_error() {
        let mut parser = java_parser();
        let tree = parser
            .parse("class A { void f() { System.out.println(\"x\"); } }", None)
            .unwrap();
        assert!(!tree.root_node().has_error());
        assert!(first_error(tree.root_node()).is_none());
    }

    #[test]
    fn broken_java_reports_first_error_location() {
        let mut parser = java_parser();
        let src = "class A {\n  void f() {\n    int x = ;\n  }\n}\n";
        let tree = parser.parse(src, None).unwrap();
        let (line, _col, _what) = first_error(tree.root_node()).expect("an error");
        assert_eq!(line, 3);
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
