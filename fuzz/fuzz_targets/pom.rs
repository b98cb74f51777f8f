//! The pom reader and writer on any input: no panic; when a pom parses,
//! replacing each of its version spans keeps every other byte and gives a
//! pom that parses again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podready_analyzer::pom::Pom;
use podready_analyzer::text::SourceText;
use podready_rewriter::{apply, TextEdit};

fuzz_target!(|data: &[u8]| {
    let src = SourceText::decode(data);
    let Ok(pom) = Pom::parse("pom.xml", &src.text) else {
        return;
    };
    let edits: Vec<TextEdit> = pom
        .dependencies
        .iter()
        .filter_map(|d| d.version.as_ref())
        .chain(pom.properties.iter().map(|p| &p.value))
        .map(|v| TextEdit {
            span: v.span.clone(),
            text: "9.9.9".to_string(),
        })
        .collect();
    let Ok(out) = apply(&src.text, &edits) else {
        return; // overlapping spans are refused, not mangled
    };
    let again = Pom::parse("pom.xml", &out).expect("an edited pom parses");
    assert_eq!(again.dependencies.len(), pom.dependencies.len());
    let _ = src.encode_like(&out);
});
