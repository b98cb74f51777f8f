//! A durable store of per-file analysis results by content key.
//!
//! The analyzer names each result by a digest of everything that made it
//! (the file's bytes, the rule pack, the build, what the file saw of the
//! rest of the project), so an entry is never stale: it is found or not.
//! This crate keeps those entries in one SQLite file, which gives atomic
//! writes (one transaction per run), several runs at once (WAL, a busy
//! timeout) and a place to check damage: every value carries a checksum,
//! and a file that is not a database, or a damaged one, is rebuilt rather
//! than believed. A cache can make a run faster, never different.

use std::hash::Hasher as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use twox_hash::XxHash3_128;

/// What names a result: a 128-bit digest of its inputs.
pub type Key = [u8; 16];

/// The layout of the database. Another layout is dropped, not read.
const FORMAT: &str = "podready-results-1";

/// The database's file name in the cache directory.
const FILE_NAME: &str = "results.sqlite3";

/// Past this many entries, the oldest fifth is dropped at commit.
const MAX_ENTRIES: i64 = 400_000;

/// How long a run waits for another run's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot create the cache directory {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot remove the damaged cache {path}: {source}")]
    Remove {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cache {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// Builds a [`Key`] from parts; each part is length-prefixed, so that
/// `("ab", "c")` and `("a", "bc")` differ.
#[derive(Clone)]
pub struct KeyHasher(XxHash3_128);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(XxHash3_128::new())
    }
}

impl KeyHasher {
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.write(&(bytes.len() as u64).to_le_bytes());
        self.0.write(bytes);
        self
    }

    pub fn finish(&self) -> Key {
        self.0.finish_128().to_le_bytes()
    }
}

/// The checksum stored beside a value: over its key too, so that a
/// damaged key cannot hand one file's result to another.
fn checksum(key: &Key, value: &[u8]) -> i64 {
    let mut h = twox_hash::XxHash3_64::new();
    h.write(key);
    h.write(value);
    // Stored as SQLite's signed integer; the bits are what matter.
    i64::from_le_bytes(h.finish().to_le_bytes())
}

/// The cache of one directory, shared by the threads of a run.
pub struct ResultCache {
    path: PathBuf,
    conn: Mutex<Connection>,
    pending: Mutex<Vec<(Key, Vec<u8>)>>,
    /// A read met a damaged database: it is rebuilt at commit.
    damaged: AtomicBool,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Why the cache was emptied when opened, if it was.
    rebuilt: Option<String>,
}

impl ResultCache {
    /// Opens (or creates) the cache in `dir`. A file there that is not a
    /// podready cache of this layout is replaced, and [`rebuilt`] says why.
    ///
    /// [`rebuilt`]: ResultCache::rebuilt
    pub fn open(dir: &Path) -> Result<ResultCache, CacheError> {
        std::fs::create_dir_all(dir).map_err(|source| CacheError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(FILE_NAME);
        let (conn, rebuilt) = match connect(&path) {
            Ok(opened) => opened,
            Err(e) if is_damage(&e) => {
                remove_database(&path)?;
                let (conn, _) = connect(&path).map_err(|source| CacheError::Sqlite {
                    path: path.clone(),
                    source,
                })?;
                (conn, Some(format!("it was damaged ({e}); rebuilt")))
            }
            Err(source) => return Err(CacheError::Sqlite { path, source }),
        };
        Ok(ResultCache {
            path,
            conn: Mutex::new(conn),
            pending: Mutex::new(Vec::new()),
            damaged: AtomicBool::new(false),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            rebuilt,
        })
    }

    /// [`open`](ResultCache::open), keeping only the entries of this
    /// `build`: another build's keys are never asked for again, so they
    /// are dropped, and upgrades do not pile up dead entries.
    pub fn open_for_build(dir: &Path, build: &str) -> Result<ResultCache, CacheError> {
        let cache = ResultCache::open(dir)?;
        {
            let mut conn = cache.conn.lock().unwrap_or_else(|p| p.into_inner());
            keep_only_build(&mut conn, build).map_err(|e| cache.error(e))?;
        }
        Ok(cache)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the cache was emptied when opened, if it was.
    pub fn rebuilt(&self) -> Option<&str> {
        self.rebuilt.as_deref()
    }

    /// How many lookups found an entry, and how many did not.
    pub fn hits_and_misses(&self) -> (usize, usize) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// The value stored under `key`, if there is one and it is intact.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let found = self.read(key);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn read(&self, key: &Key) -> Option<Vec<u8>> {
        if self.damaged.load(Ordering::Relaxed) {
            return None;
        }
        let conn = self.conn.lock().ok()?;
        let row = conn
            .prepare_cached("SELECT value, checksum FROM entries WHERE key = ?1")
            .and_then(|mut s| {
                s.query_row(params![&key[..]], |r| {
                    Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?))
                })
                .optional()
            });
        match row {
            // A value whose checksum fails was cut or overwritten: it is
            // computed again and replaced.
            Ok(Some((value, sum))) => (checksum(key, &value) == sum).then_some(value),
            Ok(None) => None,
            Err(e) => {
                if is_damage(&e) {
                    self.damaged.store(true, Ordering::Relaxed);
                }
                None
            }
        }
    }

    /// Keeps `value` under `key`; written at [`commit`](ResultCache::commit).
    pub fn put(&self, key: &Key, value: Vec<u8>) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.push((*key, value));
        }
    }

    /// Writes what was put, in one transaction: another run sees all of it
    /// or none. A database found damaged during the run is replaced by a
    /// new one holding this run's entries.
    pub fn commit(&self) -> Result<(), CacheError> {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if self.damaged.load(Ordering::Relaxed) {
            remove_database(&self.path)?;
            *conn = connect(&self.path)
                .map(|(c, _)| c)
                .map_err(|source| self.error(source))?;
        }
        if pending.is_empty() {
            return Ok(());
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.error(e))?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO entries (key, value, checksum, created) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(|e| self.error(e))?;
            for (key, value) in &pending {
                insert
                    .execute(params![&key[..], value, checksum(key, value), now])
                    .map_err(|e| self.error(e))?;
            }
        }
        let count: i64 = tx
            .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
            .map_err(|e| self.error(e))?;
        if count > MAX_ENTRIES {
            tx.execute(
                "DELETE FROM entries WHERE rowid IN (SELECT rowid FROM entries ORDER BY created LIMIT ?1)",
                params![count / 5],
            )
            .map_err(|e| self.error(e))?;
        }
        tx.commit().map_err(|e| self.error(e))
    }

    fn error(&self, source: rusqlite::Error) -> CacheError {
        CacheError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}

/// Opens the database and makes sure it has this layout; says why it was
/// emptied if it had another.
fn connect(path: &Path) -> Result<(Connection, Option<String>), rusqlite::Error> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Reading the journal mode reads the header: a file that is not a
    // database fails here. Switching a new file to WAL needs it to itself,
    // and SQLite answers busy at once rather than waiting, so runs that
    // start together retry.
    let started = std::time::Instant::now();
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            result => {
                result?;
                break;
            }
        }
    }
    // Read through a mapping: a run reads its state, a few large values,
    // once, and mapped pages cost a copy where reading them costs a
    // system call each (2 ms of a warm run's state on dubbo). SQLite
    // never shrinks the file in WAL mode without a vacuum, which nothing
    // here runs.
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 268435456;")?;
    // Most opens find the layout in place: a read, no write lock.
    let format: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE name = 'format'", [], |r| {
            r.get(0)
        })
        .optional()
        .or_else(|e| match e {
            rusqlite::Error::SqliteFailure(_, Some(ref m)) if m.starts_with("no such table") => {
                Ok(None)
            }
            e => Err(e),
        })?;
    if format.as_deref() == Some(FORMAT) {
        return Ok((conn, None));
    }
    // Another layout (or none yet): its tables are replaced whole, so a
    // layout with other columns cannot break this one's writes.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let again: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE name = 'format'", [], |r| {
            r.get(0)
        })
        .optional()
        .unwrap_or(None);
    if again.as_deref() == Some(FORMAT) {
        // Another run set it up meanwhile.
        tx.commit()?;
        return Ok((conn, None));
    }
    tx.execute_batch(
        "DROP TABLE IF EXISTS entries;
         DROP TABLE IF EXISTS meta;
         CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE entries (
             key BLOB PRIMARY KEY,
             value BLOB NOT NULL,
             checksum INTEGER NOT NULL,
             created INTEGER NOT NULL
         );",
    )?;
    tx.execute(
        "INSERT INTO meta (name, value) VALUES ('format', ?1)",
        params![FORMAT],
    )?;
    tx.commit()?;
    let emptied = again.map(|f| format!("it had another layout ({f}); emptied"));
    Ok((conn, emptied))
}

/// Empties the entries unless they were made by `build`, and records it.
fn keep_only_build(conn: &mut Connection, build: &str) -> Result<(), rusqlite::Error> {
    let stored = |c: &Connection| {
        c.query_row("SELECT value FROM meta WHERE name = 'build'", [], |r| {
            r.get::<_, String>(0)
        })
        .optional()
    };
    if stored(conn)?.as_deref() == Some(build) {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if stored(&tx)?.as_deref() != Some(build) {
        tx.execute("DELETE FROM entries", [])?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('build', ?1)",
            params![build],
        )?;
    }
    tx.commit()
}

/// Whether SQLite says the file is not a database or is damaged.
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// Removes the database and its journal files.
fn remove_database(path: &Path) -> Result<(), CacheError> {
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(CacheError::Remove { path: p, source }),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        let mut h = KeyHasher::default();
        h.part(s.as_bytes());
        h.finish()
    }

    #[test]
    fn values_survive_a_commit_and_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::open(dir.path()).unwrap();
        assert_eq!(cache.get(&key("a")), None);
        cache.put(&key("a"), b"value".to_vec());
        // Not visible to another run before the commit.
        assert_eq!(ResultCache::open(dir.path()).unwrap().get(&key("a")), None);
        cache.commit().unwrap();
        let again = ResultCache::open(dir.path()).unwrap();
        assert_eq!(again.get(&key("a")), Some(b"value".to_vec()));
        assert_eq!(again.hits_and_misses(), (1, 0));
        assert_eq!(cache.hits_and_misses(), (0, 1));
        assert!(again.rebuilt().is_none());
    }

    #[test]
    fn key_parts_are_delimited() {
        let two = |a: &str, b: &str| {
            let mut h = KeyHasher::default();
            h.part(a.as_bytes()).part(b.as_bytes());
            h.finish()
        };
        assert_ne!(two("ab", "c"), two("a", "bc"));
        assert_eq!(two("a", "bc"), two("a", "bc"));
    }

    #[test]
    fn a_value_that_fails_its_checksum_is_not_returned() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::open(dir.path()).unwrap();
        cache.put(&key("a"), b"a whole value".to_vec());
        cache.commit().unwrap();
        let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
        conn.execute("UPDATE entries SET value = substr(value, 1, 4)", [])
            .unwrap();
        drop(conn);
        let reopened = ResultCache::open(dir.path()).unwrap();
        assert_eq!(reopened.get(&key("a")), None);
        reopened.put(&key("a"), b"a whole value".to_vec());
        reopened.commit().unwrap();
        assert_eq!(
            ResultCache::open(dir.path()).unwrap().get(&key("a")),
            Some(b"a whole value".to_vec())
        );
    }

    #[test]
    fn garbage_in_place_of_the_database_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), vec![0x5a; 8192]).unwrap();
        let cache = ResultCache::open(dir.path()).unwrap();
        assert!(
            cache.rebuilt().unwrap().contains("damaged"),
            "{:?}",
            cache.rebuilt()
        );
        cache.put(&key("a"), b"v".to_vec());
        cache.commit().unwrap();
        assert_eq!(
            ResultCache::open(dir.path()).unwrap().get(&key("a")),
            Some(b"v".to_vec())
        );
    }

    #[test]
    fn another_layout_is_emptied() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::open(dir.path()).unwrap();
        cache.put(&key("a"), b"v".to_vec());
        cache.commit().unwrap();
        let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
        conn.execute(
            "UPDATE meta SET value = 'podready-results-0' WHERE name = 'format'",
            [],
        )
        .unwrap();
        drop(conn);
        let reopened = ResultCache::open(dir.path()).unwrap();
        assert_eq!(reopened.get(&key("a")), None);
        assert!(reopened.rebuilt().unwrap().contains("podready-results-0"));
    }

    #[test]
    fn another_builds_entries_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::open_for_build(dir.path(), "b1").unwrap();
        cache.put(&key("a"), b"v".to_vec());
        cache.commit().unwrap();
        let same = ResultCache::open_for_build(dir.path(), "b1").unwrap();
        assert_eq!(same.get(&key("a")), Some(b"v".to_vec()));
        let next = ResultCache::open_for_build(dir.path(), "b2").unwrap();
        assert_eq!(next.get(&key("a")), None);
        assert!(next.rebuilt().is_none(), "an upgrade is no damage");
    }

    #[test]
    fn runs_at_once_both_commit() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let dir = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    let cache = ResultCache::open(&dir).unwrap();
                    for j in 0..50 {
                        cache.put(&key(&format!("{i}-{j}")), vec![i as u8; 64]);
                    }
                    cache.commit().unwrap();
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let cache = ResultCache::open(dir.path()).unwrap();
        for i in 0..4u8 {
            assert_eq!(cache.get(&key(&format!("{i}-49"))), Some(vec![i; 64]));
        }
    }
}
