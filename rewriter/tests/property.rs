//! Properties of the pom writer, over every pom fixture of the project:
//! random edits change exactly their spans (every other byte is the same),
//! the result still parses, and `fix` run on its own output changes nothing.

use std::path::{Path, PathBuf};

use podready_analyzer::pom::{Pom, Spanned};
use podready_analyzer::{load_poms, Options};
use podready_rewriter::{apply, fix, TextEdit};
use podready_rules::RulePack;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn poms_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(poms_under(&p));
        } else if p.file_name().is_some_and(|n| n == "pom.xml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn version(&mut self) -> String {
        const CHARS: &[u8] = b"0123456789.-abcRCSNAPSHOT";
        let len = 1 + self.below(12);
        (0..len)
            .map(|_| CHARS[self.below(CHARS.len())] as char)
            .collect()
    }
}

/// Every value span of a pom: coordinates, dependency fields, properties.
fn value_spans(pom: &Pom) -> Vec<Spanned> {
    let mut out: Vec<Spanned> = Vec::new();
    out.extend(pom.group_id.clone());
    out.extend(pom.artifact_id.clone());
    out.extend(pom.version.clone());
    for d in &pom.dependencies {
        out.extend(d.group_id.clone());
        out.extend(d.artifact_id.clone());
        out.extend(d.version.clone());
    }
    for p in &pom.properties {
        out.push(p.value.clone());
    }
    out.retain(|s| !s.span.is_empty());
    out.sort_by_key(|s| s.span.start);
    out.dedup_by_key(|s| s.span.start);
    out
}

#[test]
fn random_edits_touch_only_their_spans_and_keep_the_pom_valid() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut checked = 0;
    for path in poms_under(&fixtures()) {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = String::from_utf8(
            bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&bytes)
                .to_vec(),
        ) else {
            continue;
        };
        let Ok(pom) = Pom::parse("pom.xml", &text) else {
            continue; // the malformed fixture
        };
        let spans = value_spans(&pom);
        for _ in 0..40 {
            let mut edits: Vec<TextEdit> = Vec::new();
            for s in &spans {
                if rng.below(3) == 0 {
                    edits.push(TextEdit {
                        span: s.span.clone(),
                        text: rng.version(),
                    });
                }
            }
            let out = apply(&text, &edits).unwrap();
            // Every byte between edits is the original's.
            let mut pos_in = 0;
            let mut pos_out = 0;
            for e in &edits {
                let keep = &text[pos_in..e.span.start];
                assert_eq!(
                    &out[pos_out..pos_out + keep.len()],
                    keep,
                    "{}",
                    path.display()
                );
                pos_out += keep.len();
                assert_eq!(&out[pos_out..pos_out + e.text.len()], e.text);
                pos_out += e.text.len();
                pos_in = e.span.end;
            }
            assert_eq!(&out[pos_out..], &text[pos_in..]);
            let reparsed = Pom::parse("pom.xml", &out)
                .unwrap_or_else(|e| panic!("{}: {e}\n{out}", path.display()));
            assert_eq!(reparsed.dependencies.len(), pom.dependencies.len());
            assert_eq!(reparsed.properties.len(), pom.properties.len());
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} edit rounds");
}

#[test]
fn fixing_the_output_again_changes_nothing() {
    let pack = RulePack::builtin().unwrap();
    let mut repos: Vec<PathBuf> = std::fs::read_dir(fixtures().join("poms"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    repos.extend(
        [
            "legacy-order-service",
            "multi-module",
            "maven-build",
            "clean-service",
        ]
        .iter()
        .map(|r| fixtures().join(r)),
    );
    for repo in repos {
        let dir = tempfile::tempdir().unwrap();
        podready_testkit::copy_dir(&repo, dir.path());
        let set = load_poms(dir.path(), &Options::default()).unwrap();
        let first = fix(&set, &pack);
        for f in &first.files {
            std::fs::write(dir.path().join(&f.path), &f.bytes).unwrap();
        }
        let set = load_poms(dir.path(), &Options::default()).unwrap();
        let second = fix(&set, &pack);
        assert!(
            second.files.is_empty(),
            "{}: {:?}",
            repo.display(),
            second.changes
        );
        assert!(second.changes.is_empty());
    }
}
