//! What the tests of results through a cache share.

use std::path::Path;

use podready_analyzer::Analysis;

/// A copy of the folder `from` at `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

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
