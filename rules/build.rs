//! Embeds every file of the built-in pack (`pack/`): a new rule is one new
//! file, with no list to edit.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let pack = manifest.join("pack");
    println!("cargo:rerun-if-changed={}", pack.display());
    let mut files = Vec::new();
    collect(&pack, &pack, &mut files);
    files.sort();
    let mut out = String::from("&[\n");
    for rel in &files {
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            pack.join(rel).display().to_string()
        ));
    }
    out.push_str("]\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin_pack.rs");
    std::fs::write(&dest, out).expect("the generated list of pack files");
}

/// The `.toml` files under `dir`, relative to `root`, with `/` separators.
fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a pack entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path.strip_prefix(root).expect("under the pack");
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
}
