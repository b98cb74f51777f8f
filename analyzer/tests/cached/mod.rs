//! What the tests of results through a cache share: one way to render
//! an analysis for comparison.

use podready_analyzer::Analysis;

/// Everything a report is made of, as one string.
pub fn rendered(a: &Analysis) -> String {
    format!(
        "{}\n{}\n{} files, {} lines",
        serde_json::to_string_pretty(&a.findings).unwrap(),
        serde_json::to_string_pretty(&a.notes).unwrap(),
        a.files,
        a.lines
    )
}
