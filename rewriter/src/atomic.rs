//! Writing a file so that readers see the old content or the new one,
//! never a mix: write a temporary file beside it, flush it, rename it over.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct AtomicWriteError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Replaces `path` with `contents` atomically. The file keeps its
/// permissions when it already exists. On failure the original is intact.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), AtomicWriteError> {
    let err = |source| AtomicWriteError {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.podready-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// One file of a change that lands whole or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    pub path: PathBuf,
    /// The new content; `None` deletes the file.
    pub contents: Option<Vec<u8>>,
}

fn temp_beside(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.podready-{}.{what}", std::process::id()))
}

/// Writes and deletes several files so that either all of it happens or
/// none of it: every new content is first written to a temporary file
/// beside its target, then the renames run; a failure on any of them puts
/// back every file already replaced or deleted.
pub fn write_all(files: &[FileWrite]) -> Result<(), AtomicWriteError> {
    let mut staged: Vec<PathBuf> = Vec::new();
    let cleanup = |staged: &[PathBuf]| {
        for t in staged {
            let _ = fs::remove_file(t);
        }
    };
    for f in files {
        let Some(contents) = &f.contents else {
            staged.push(PathBuf::new());
            continue;
        };
        let tmp = temp_beside(&f.path, "new");
        let result = (|| {
            if let Some(dir) = f.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::create_dir_all(dir)?;
            }
            let mut out = fs::File::create(&tmp)?;
            out.write_all(contents)?;
            out.sync_all()?;
            if let Ok(meta) = fs::metadata(&f.path) {
                fs::set_permissions(&tmp, meta.permissions())?;
            }
            Ok(())
        })();
        if let Err(source) = result {
            let _ = fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(AtomicWriteError {
                path: f.path.clone(),
                source,
            });
        }
        staged.push(tmp);
    }
    // The originals, kept aside until everything is in place.
    let mut done: Vec<(usize, Option<PathBuf>)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let backup = f.path.exists().then(|| temp_beside(&f.path, "old"));
        let result = (|| {
            if let Some(b) = &backup {
                fs::hard_link(&f.path, b).or_else(|_| fs::copy(&f.path, b).map(|_| ()))?;
            }
            match &f.contents {
                Some(_) => fs::rename(&staged[i], &f.path),
                None => fs::remove_file(&f.path),
            }
        })();
        if let Err(source) = result {
            if let Some(b) = &backup {
                let _ = fs::remove_file(b);
            }
            for (j, old) in done.into_iter().rev() {
                match old {
                    Some(b) => {
                        let _ = fs::rename(&b, &files[j].path);
                    }
                    None => {
                        let _ = fs::remove_file(&files[j].path);
                    }
                }
            }
            cleanup(&staged[i..]);
            return Err(AtomicWriteError {
                path: f.path.clone(),
                source,
            });
        }
        done.push((i, backup));
    }
    for (_, backup) in done {
        if let Some(b) = backup {
            let _ = fs::remove_file(b);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_write(dir: &Path, name: &str, contents: Option<&str>) -> FileWrite {
        FileWrite {
            path: dir.join(name),
            contents: contents.map(|c| c.as_bytes().to_vec()),
        }
    }

    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = walk(dir)
            .into_iter()
            .map(|p| {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                (rel, fs::read_to_string(&p).unwrap_or_default())
            })
            .collect();
        out.sort();
        out
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn writes_creates_and_deletes_together() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("pom.xml"), "old pom").unwrap();
        fs::write(dir.path().join("log4j.xml"), "old config").unwrap();
        write_all(&[
            file_write(dir.path(), "pom.xml", Some("new pom")),
            file_write(dir.path(), "res/logback.xml", Some("logback")),
            file_write(dir.path(), "log4j.xml", None),
        ])
        .unwrap();
        assert_eq!(
            listing(dir.path()),
            vec![
                ("pom.xml".into(), "new pom".into()),
                ("res/logback.xml".into(), "logback".into())
            ]
        );
    }

    #[test]
    fn a_failure_on_the_last_file_puts_back_the_others() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("pom.xml"), "old pom").unwrap();
        fs::write(dir.path().join("log4j.xml"), "old config").unwrap();
        // A non-empty directory where a file should be replaced: staging
        // succeeds, the rename over it fails.
        fs::create_dir_all(dir.path().join("web.xml/inside")).unwrap();
        let before = listing(dir.path());
        let e = write_all(&[
            file_write(dir.path(), "pom.xml", Some("new pom")),
            file_write(dir.path(), "log4j.xml", None),
            file_write(dir.path(), "web.xml", Some("new web")),
        ])
        .unwrap_err();
        assert!(e.to_string().contains("web.xml"), "{e}");
        assert_eq!(listing(dir.path()), before);
    }

    #[test]
    fn a_failure_while_staging_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("pom.xml"), "old pom").unwrap();
        fs::write(dir.path().join("a-file"), "x").unwrap();
        let before = listing(dir.path());
        let e = write_all(&[
            file_write(dir.path(), "pom.xml", Some("new pom")),
            file_write(dir.path(), "a-file/logback.xml", Some("x")),
        ])
        .unwrap_err();
        assert!(e.to_string().contains("a-file"), "{e}");
        assert_eq!(listing(dir.path()), before);
    }

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pom.xml");
        fs::write(&p, "old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failure_leaves_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-dir").join("pom.xml");
        let e = write_atomic(&missing, b"x").unwrap_err();
        assert!(e.to_string().contains("no-such-dir"), "{e}");
    }
}
