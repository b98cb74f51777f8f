//! The state a run over a repository reached once the summaries were
//! settled, kept so that the next run skips what did not change.
//!
//! Per-file results (`cached`) still cost a read, a hash and a lookup per
//! file, and the summaries' fixed point is computed again. This keeps, in
//! one cache entry per repository and settings, every file's result after
//! the summaries' rounds, the sources of each round and a digest of the
//! facts each file gave each round. A file whose status (times, size,
//! inode) is unchanged is taken as it was; a changed one is analysed
//! again through the same rounds, and the state is used only if the file
//! gave the same facts at every round — then every other file's rounds
//! went exactly as before. Anything else (a file added, removed or
//! renamed, other facts, a damaged entry) is a run without it.
//!
//! The walk is skipped too when no folder it listed, and no file deciding
//! what it ignores (`.gitignore`, `info/exclude`, the git index, the
//! global excludes), changed: a file added, removed or renamed changes its
//! folder's status.
//!
//! A status is trusted only when it is older than the run that recorded it
//! by more than [`RACY`]: a file changed again within the same timestamp
//! tick would look the same (git's "racily clean" entries).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use podready_cache::{Key, KeyHasher, ResultCache};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cached::Reuse;
use crate::java::JavaParser;
use crate::prefilter::{names_one_of, Pull};
use crate::summary::{MemberFacts, NamedMember, ProjectSources};
use crate::walk::{self, FileKind, RepoFile, Selection, WalkError, WalkOutcome};
use crate::{FileResult, Options, Parse};

/// The layout of a stored state; part of its key.
const FORMAT: &str = "run-state-21";

/// How much older than the recording run a status must be to be trusted.
pub(crate) const RACY: Duration = Duration::from_secs(1);

/// How many files a run may read again (changed, or too recent to trust)
/// before it records the state anew: below it, reading them and taking
/// their rounds' results from the per-file cache costs less than writing
/// the whole state.
pub(crate) const RECORD_AFTER: usize = 32;

/// What a file's status says about its content: modification and change
/// times (seconds, nanoseconds), size and inode.
pub(crate) type Stamp = [i64; 6];

/// The status of the file at `path` (of what a link points to: a root,
/// a `.gitignore` or a git configuration reached through a link changes
/// where it points), when it has one.
#[cfg(unix)]
pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some([
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
        i64::try_from(m.size()).ok()?,
        i64::from_ne_bytes(m.ino().to_ne_bytes()),
    ])
}

/// Every walked file's status, taken once and in parallel: the run's
/// state and the search for unreferenced code both ask for it.
pub(crate) struct Stamps(Vec<Option<Stamp>>);

impl Stamps {
    pub fn take(files: &[RepoFile]) -> Stamps {
        Stamps(files.par_iter().map(|f| stamp(&f.abs)).collect())
    }

    /// The status of the walked file at `index`, when it has one.
    pub fn of(&self, index: usize) -> Option<Stamp> {
        self.0.get(index).copied().flatten()
    }
}

/// Without change times there is no state ([`key`]).
#[cfg(not(unix))]
pub(crate) fn stamp(_path: &Path) -> Option<Stamp> {
    None
}

/// A moment as (seconds, nanoseconds) since the epoch, the form of a
/// [`Stamp`]'s times.
pub(crate) fn instant(t: SystemTime) -> (i64, i64) {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    (
        i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        i64::from(d.subsec_nanos()),
    )
}

/// A digest of a file's facts, to compare a round's with the recorded one.
pub(crate) fn facts_digest(facts: &[MemberFacts]) -> u64 {
    let mut key = KeyHasher::default();
    key.part(format!("{facts:?}").as_bytes());
    let k = key.finish();
    u64::from_le_bytes([k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]])
}

/// The key of the state of the run over the folder `root` with these
/// settings; none for a single file, and none without change times
/// (no status could be trusted).
pub(crate) fn key(root: &Path, pack: &Key, options: &Options) -> Option<Key> {
    if !cfg!(unix) || !root.is_dir() {
        return None;
    }
    let root = std::fs::canonicalize(root).ok()?;
    let mut key = KeyHasher::default();
    key.part(FORMAT.as_bytes())
        .part(crate::BUILD.as_bytes())
        .part(pack)
        .part(format!("{options:?}").as_bytes())
        .part(root.to_string_lossy().as_bytes());
    // `ignore` reads a relative excludes file or `gitdir:` from there.
    key.part(
        std::env::current_dir()
            .unwrap_or_default()
            .to_string_lossy()
            .as_bytes(),
    );
    // Where git's global configuration and excludes are.
    for var in [
        "HOME",
        "XDG_CONFIG_HOME",
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
    ] {
        key.part(std::env::var_os(var).unwrap_or_default().as_encoded_bytes());
    }
    Some(key.finish())
}

/// What a walk found and what decided it, with the statuses that tell
/// whether a walk now would find the same.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct WalkRecord {
    /// The folders it listed.
    dirs: Vec<(PathBuf, Option<Stamp>)>,
    /// The folders on the way to the tracked files it did not list.
    on_the_way: Vec<(PathBuf, Option<Stamp>)>,
    /// The files deciding what it ignores ([`walk::walk_inputs`]).
    inputs: Vec<(PathBuf, Option<Stamp>)>,
    errors: Vec<WalkError>,
    /// Each file: its path from the root, its kind, and whether the walk
    /// took it for test code.
    files: Vec<(String, FileKind, bool)>,
    /// The tracked files it did not list ([`WalkOutcome::tracked_unlisted`]).
    tracked_unlisted: Vec<String>,
    /// No input outside the walked folders changed while it ran.
    steady: bool,
}

/// The statuses of the walk's inputs outside the walked folders, taken
/// before it: one that changes while it runs makes its record unusable.
pub(crate) struct BeforeWalk(Vec<(PathBuf, Option<Stamp>)>);

impl BeforeWalk {
    pub fn take(root: &Path) -> BeforeWalk {
        BeforeWalk(
            walk::outside_inputs(root)
                .into_iter()
                .map(|p| {
                    let s = stamp(&p);
                    (p, s)
                })
                .collect(),
        )
    }
}

impl WalkRecord {
    /// The record of a walk of `root` that found `walked`, begun when the
    /// inputs outside it were as `before` says. Folders under the root are
    /// kept relative to it, so that naming the root another way finds
    /// them; the other inputs are kept absolute (the working directory is
    /// part of the state's key).
    pub fn new(root: &Path, walked: &WalkOutcome, before: BeforeWalk) -> WalkRecord {
        let cwd = std::env::current_dir().unwrap_or_default();
        let kept = |dirs: &[PathBuf]| {
            dirs.iter()
                .map(|p| {
                    let kept = p.strip_prefix(root).map_or(p.clone(), Path::to_path_buf);
                    (kept, stamp(p))
                })
                .collect()
        };
        let inputs = walk::walk_inputs(root, walked.dirs.iter().chain(&walked.on_the_way))
            .into_iter()
            .map(|p| {
                let p = cwd.join(p);
                let s = stamp(&p);
                (p, s)
            })
            .collect();
        WalkRecord {
            dirs: kept(&walked.dirs),
            on_the_way: kept(&walked.on_the_way),
            inputs,
            errors: walked.errors.clone(),
            files: walked
                .files
                .iter()
                .map(|f| (f.rel.clone(), f.kind, f.is_test))
                .collect(),
            tracked_unlisted: walked.tracked_unlisted.clone(),
            steady: before.0.iter().all(|(p, s)| stamp(p) == *s),
        }
    }
}

impl WalkRecord {
    /// Whether the folder at `rel_dir` lists directly these files and
    /// folders (from [`walk::list_folder`]), as when recorded.
    fn lists(&self, root: &Path, rel_dir: &Path, files: &[RepoFile], dirs: &[PathBuf]) -> bool {
        let in_here = |rel: &Path| rel.parent() == Some(rel_dir);
        let recorded_files = self
            .files
            .iter()
            .filter(|(rel, _, _)| in_here(Path::new(rel)))
            .map(|(rel, kind, _)| (rel.as_str(), *kind));
        let recorded_dirs = self
            .dirs
            .iter()
            .filter(|(d, _)| in_here(d))
            .map(|(d, _)| d.as_path());
        recorded_files.eq(files.iter().map(|f| (f.rel.as_str(), f.kind)))
            && recorded_dirs.eq(dirs.iter().map(|d| d.strip_prefix(root).unwrap_or(d)))
    }
}

/// A walk taken from a state.
pub(crate) struct Walked {
    pub outcome: WalkOutcome,
    /// The listed folders that changed and were listed again, found as
    /// recorded: each one's position in the record and its status now.
    pub relisted: Vec<(usize, Stamp)>,
}

/// An analysed file's result after the rounds, and the digest of its facts
/// at each resolution (after the first pass, then after each round).
#[derive(Serialize, Deserialize)]
struct Settled {
    index: usize,
    /// The file's status and the key of its content (as a number).
    stamp: Option<Stamp>,
    content: Option<u128>,
    result: FileResult,
    digests: Vec<u64>,
    /// Why the file was parsed though it names nothing the rules look for.
    pulled: Option<Pull>,
}

/// The rounds of one run: the sources each round settled on, and the
/// digest of each analysed file's facts at each resolution.
#[derive(Default)]
pub(crate) struct Rounds {
    pub sources: Vec<ProjectSources>,
    /// By position in the run's results.
    pub digests: Vec<Vec<u64>>,
}

impl Rounds {
    /// Records the facts of every result at a resolution.
    pub fn record(&mut self, results: &[(usize, FileResult)]) {
        self.digests.resize_with(results.len(), Vec::new);
        for (d, (_, r)) in self.digests.iter_mut().zip(results) {
            d.push(facts_digest(&r.facts));
        }
    }
}

/// The state a run reached once the summaries were settled.
pub(crate) struct RunState {
    /// When the recording run started.
    started: (i64, i64),
    walk: WalkRecord,
    /// Whether each file is test code once the poms' test roots apply.
    tests: Vec<bool>,
    settled: Vec<Settled>,
    rounds: Vec<ProjectSources>,
    /// The name hashes of the members findings fed when it was recorded:
    /// the only names kept of each file.
    fed: Vec<u64>,
    /// The members that made a file naming one parsed, sorted.
    pull_names: Vec<NamedMember>,
}

/// How a [`RunState`] is kept: this head, then the walk and the files'
/// results (in chunks), each as JSON of its own in a frame
/// ([`framed`]), which a run loading it parses on both threads without
/// scanning the rest.
#[derive(Serialize, Deserialize)]
struct StoredHead {
    started: (i64, i64),
    tests: Vec<bool>,
    rounds: Vec<ProjectSources>,
    fed: Vec<u64>,
    pull_names: Vec<NamedMember>,
}

/// Parts one after another, each after its length (8 bytes, little-endian).
fn framed(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 8).sum());
    for part in parts {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// The parts of [`framed`] bytes; `None` when a length runs past the end.
fn frames(mut bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut parts = Vec::new();
    while !bytes.is_empty() {
        let (len, rest) = bytes.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        if len > rest.len() {
            return None;
        }
        let (part, rest) = rest.split_at(len);
        parts.push(part);
        bytes = rest;
    }
    Some(parts)
}

/// Files' results per stored chunk.
const CHUNK: usize = 256;

impl RunState {
    /// The state recorded after a run that started at `started`, walked as
    /// `walk` says, and whose results (with their facts) and rounds are
    /// these. `fed`: the name hashes of the members its findings feed;
    /// `pulled`: the files parsed for the summaries only, and the members
    /// that pull a file naming one.
    pub fn new(
        started: SystemTime,
        walk: WalkRecord,
        files: &[RepoFile],
        results: &[(usize, FileResult)],
        (stamps, rounds): (&Stamps, Rounds),
        fed: &HashSet<u64>,
        (pulled, pull_names): (&[(usize, Pull)], &HashSet<NamedMember>),
    ) -> RunState {
        let settled = results
            .iter()
            .zip(rounds.digests)
            .map(|((i, r), digests)| Settled {
                index: *i,
                stamp: stamps.of(*i),
                content: r.content_key.map(u128::from_le_bytes),
                result: stored(r, fed),
                digests,
                pulled: pulled.iter().find(|(p, _)| p == i).map(|(_, why)| *why),
            })
            .collect();
        fn sorted<T: Copy + Ord>(set: &HashSet<T>) -> Vec<T> {
            let mut v: Vec<T> = set.iter().copied().collect();
            v.sort_unstable();
            v
        }
        RunState {
            started: instant(started),
            walk,
            tests: files.iter().map(|f| f.is_test).collect(),
            settled,
            rounds: rounds.sources,
            fed: sorted(fed),
            pull_names: sorted(pull_names),
        }
    }

    pub fn load(cache: &ResultCache, key: &Key) -> Option<RunState> {
        let bytes = cache.get(key)?;
        let parts = frames(&bytes)?;
        let [head, walk, settled @ ..] = parts.as_slice() else {
            return None;
        };
        let (head, (walk, settled)) = rayon::join(
            || serde_json::from_slice::<StoredHead>(head).ok(),
            || {
                rayon::join(
                    || serde_json::from_slice::<WalkRecord>(walk).ok(),
                    || {
                        settled
                            .par_iter()
                            .map(|chunk| serde_json::from_slice::<Vec<Settled>>(chunk).ok())
                            .collect::<Option<Vec<Vec<Settled>>>>()
                    },
                )
            },
        );
        let head = head?;
        Some(RunState {
            started: head.started,
            walk: walk?,
            tests: head.tests,
            settled: settled?.into_iter().flatten().collect(),
            rounds: head.rounds,
            fed: head.fed,
            pull_names: head.pull_names,
        })
    }

    pub fn store(&self, cache: &ResultCache, key: &Key) {
        if let Some(value) = self.to_bytes() {
            cache.put(key, value);
        }
    }

    fn to_bytes(&self) -> Option<Vec<u8>> {
        let head = StoredHead {
            started: self.started,
            tests: self.tests.clone(),
            rounds: self.rounds.clone(),
            fed: self.fed.clone(),
            pull_names: self.pull_names.clone(),
        };
        let mut parts = vec![
            serde_json::to_vec(&head).ok()?,
            serde_json::to_vec(&self.walk).ok()?,
        ];
        for chunk in self.settled.chunks(CHUNK) {
            parts.push(serde_json::to_vec(chunk).ok()?);
        }
        Some(framed(&parts))
    }

    /// The moment before which a status is trusted.
    fn trusted_before(&self) -> Option<(i64, i64)> {
        let (s, n) = self.started;
        let since = Duration::new(u64::try_from(s).ok()?, u32::try_from(n).ok()?);
        let recorded = UNIX_EPOCH.checked_add(since)?;
        Some(instant(recorded.checked_sub(RACY)?))
    }

    /// The recorded walk, when a walk of `root` now would find the same:
    /// no file deciding what it ignores changed, and each listed folder
    /// that changed (a file written anew by an editor or `git checkout`
    /// changes its folder) still lists what it did, up to [`RECORD_AFTER`]
    /// of them: more, and a walk costs less.
    pub fn walked(&self, root: &Path, selection: &Selection<'_>) -> Option<Walked> {
        if !self.walk.steady {
            return None;
        }
        let trusted_before = self.trusted_before()?;
        let unchanged = |(path, then): &(PathBuf, Option<Stamp>)| {
            let now = stamp(&root.join(path));
            now == *then && now.is_none_or(|st| (st[2], st[3]) < trusted_before)
        };
        let changed: Vec<usize> = (0..self.walk.dirs.len())
            .into_par_iter()
            .filter(|&i| !unchanged(&self.walk.dirs[i]))
            .collect();
        if changed.len() > RECORD_AFTER || !self.walk.on_the_way.iter().all(unchanged) {
            return None;
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut relisted = Vec::with_capacity(changed.len());
        for i in changed {
            let rel_dir = &self.walk.dirs[i].0;
            let dir = root.join(rel_dir);
            // Taken before the listing: a change while it runs is seen
            // next time.
            let now = stamp(&dir)?;
            // A `.gitignore`, `.git` or output folder it gained decides
            // what lies deeper: a walk.
            let recorded =
                |input: &PathBuf| self.walk.inputs.iter().any(|(p, _)| *p == cwd.join(input));
            if !walk::folder_inputs(&dir).iter().all(recorded) {
                return None;
            }
            let (files, dirs) =
                walk::list_folder(root, &dir, selection, &self.walk.tracked_unlisted)?;
            if !self.walk.lists(root, rel_dir, &files, &dirs) {
                return None;
            }
            relisted.push((i, now));
        }
        // Checked after the listings, which a change to one would upset.
        if !self.walk.inputs.iter().all(unchanged) {
            return None;
        }
        Some(Walked {
            outcome: WalkOutcome {
                files: self
                    .walk
                    .files
                    .iter()
                    .map(|(rel, kind, is_test)| RepoFile {
                        rel: rel.clone(),
                        abs: root.join(rel),
                        kind: *kind,
                        is_test: *is_test,
                    })
                    .collect(),
                errors: self.walk.errors.clone(),
                dirs: Vec::new(),
                on_the_way: Vec::new(),
                tracked_unlisted: Vec::new(),
            },
            relisted,
        })
    }

    /// The results after the rounds and the settled sources for `files`,
    /// when this state holds them: the same files, each unchanged or
    /// giving the same facts at every round; else the recorded walk, for
    /// the run that does without. The state comes back to be recorded
    /// again, as of `started`, when the walk was done again
    /// (`walked_again`, its record) or when more than [`RECORD_AFTER`]
    /// files and folders (`relisted`, from [`RunState::walked`]) had to be
    /// read: reading a few again, their results in the per-file cache,
    /// costs less than writing the whole state.
    pub fn reuse(
        mut self,
        (files, stamps): (&[RepoFile], &Stamps),
        (walked_again, relisted): (Option<&WalkRecord>, &[(usize, Stamp)]),
        reuse: &Reuse<'_>,
        started: SystemTime,
    ) -> Result<Reused, Box<WalkRecord>> {
        for &(i, now) in relisted {
            if let Some(dir) = self.walk.dirs.get_mut(i) {
                dir.1 = Some(now);
            }
        }
        match self.settle(
            (files, stamps),
            walked_again,
            relisted.len(),
            reuse,
            started,
        ) {
            Some(reused) => Ok(reused),
            None => Err(Box::new(self.walk)),
        }
    }

    fn settle(
        &mut self,
        (files, stamps): (&[RepoFile], &Stamps),
        walked_again: Option<&WalkRecord>,
        relisted: usize,
        reuse: &Reuse<'_>,
        started: SystemTime,
    ) -> Option<Reused> {
        let same_files = self.walk.files.len() == files.len()
            && self.tests.len() == files.len()
            && self.walk.files.iter().zip(&self.tests).zip(files).all(
                |(((rel, kind, _), is_test), f)| {
                    *rel == f.rel && *kind == f.kind && *is_test == f.is_test
                },
            );
        // A damaged writer's state must not index out of the files.
        let in_order = self.settled.windows(2).all(|w| w[0].index < w[1].index)
            && self.settled.last().is_none_or(|s| s.index < files.len());
        if !same_files || !in_order {
            return None;
        }
        let trusted_before = self.trusted_before()?;
        let mut changed = Vec::new();
        let mut read = relisted;
        let record_again = walked_again.is_some();
        for (at, s) in self.settled.iter_mut().enumerate() {
            let f = &files[s.index];
            let now = stamps.of(s.index);
            let older = |before: (i64, i64)| now.is_some_and(|st| (st[2], st[3]) < before);
            if older(trusted_before) && now == s.stamp {
                continue;
            }
            read += 1;
            s.stamp = now;
            let content = reuse.current_content_key(f).map(u128::from_le_bytes);
            if content.is_none() || content != s.content {
                changed.push(at);
            }
        }
        let mut parser = JavaParser::remembering();
        let empty = ProjectSources::default();
        let mut replayed = Vec::new();
        let pull_names: HashSet<NamedMember> = self.pull_names.iter().copied().collect();
        for at in changed {
            let s = &self.settled[at];
            let f = &files[s.index];
            let parse = match s.pulled {
                // Whether it still names what pulled it is a question for
                // every round: a run without the state answers it.
                Some(Pull::Named) => return None,
                Some(Pull::Asked) => Parse::Always,
                None => reuse.first_parse(),
            };
            let mut r = reuse.analyze(f, &mut parser, (&empty, parse), None);
            let mut digests = vec![facts_digest(&r.facts)];
            for (round, sources) in self.rounds.iter().enumerate() {
                let before = if round == 0 {
                    &empty
                } else {
                    &self.rounds[round - 1]
                };
                if sources
                    .learnt_since(before)
                    .wants(&r.names, r.has_followed_call)
                {
                    let again = reuse.analyze(
                        f,
                        &mut parser,
                        (&sources.restricted_to(&r.names), parse),
                        r.content_key,
                    );
                    r.take_reading(again);
                }
                digests.push(facts_digest(&r.facts));
            }
            // Other questions, or a name that would pull it, mean other
            // files parsed.
            // A file no longer parsed may be one another file asks about.
            if digests != s.digests
                || r.asks != s.result.asks
                || (r.inert && !s.result.inert)
                || (r.inert
                    && names_one_of(f, r.words.as_ref(), &pull_names, reuse.max_file_size()))
            {
                return None;
            }
            replayed.push((at, r));
        }
        let fed: HashSet<u64> = self.fed.iter().copied().collect();
        for (at, r) in &replayed {
            let s = &mut self.settled[*at];
            s.content = r.content_key.map(u128::from_le_bytes);
            s.result = stored(r, &fed);
        }
        let record = (record_again || read > RECORD_AFTER)
            .then(|| {
                self.started = instant(started);
                if let Some(walk) = walked_again {
                    self.walk = walk.clone();
                }
                self.to_bytes()
            })
            .flatten();
        for (at, r) in replayed {
            self.settled[at].result = r;
        }
        let results: Vec<(usize, FileResult)> = std::mem::take(&mut self.settled)
            .into_iter()
            .map(|s| (s.index, s.result))
            .collect();
        // Each file's names were kept for the members fed when recorded.
        if !crate::fed_names(&results)
            .iter()
            .all(|h| self.fed.binary_search(h).is_ok())
        {
            return None;
        }
        Some(Reused {
            sources: self.rounds.pop().unwrap_or_default(),
            results,
            record,
        })
    }
}

/// A result as a state keeps it: without its facts (the digests stand for
/// them), with only the names of fed members.
fn stored(r: &FileResult, fed: &HashSet<u64>) -> FileResult {
    FileResult {
        findings: r.findings.clone(),
        notes: r.notes.clone(),
        lines: r.lines,
        read: r.read,
        facts: Vec::new(),
        names: r
            .names
            .iter()
            .copied()
            .filter(|h| fed.contains(h))
            .collect(),
        has_followed_call: r.has_followed_call,
        package: r.package.clone(),
        is_logging_code: r.is_logging_code,
        configures_logging: r.configures_logging,
        extends_logging_framework: r.extends_logging_framework,
        bridges_to_slf4j: r.bridges_to_slf4j,
        installs_jul_bridge: r.installs_jul_bridge,
        imports_slf4j: r.imports_slf4j,
        plugin_of: r.plugin_of.clone(),
        requires_classes: r.requires_classes.clone(),
        for_kubernetes: r.for_kubernetes,
        jul_logger_factories: r.jul_logger_factories.clone(),
        routes_jul_to_slf4j: r.routes_jul_to_slf4j,
        drives_code_generator: r.drives_code_generator,
        takes_command_line: r.takes_command_line,
        opens_window: r.opens_window,
        sets_profiles: r.sets_profiles,
        conditioned: r.conditioned.clone(),
        scans: r.scans.clone(),
        reads_terminal: r.reads_terminal,
        declares_main: r.declares_main,
        launches_application: r.launches_application,
        main_exits: r.main_exits,
        log4j_plugin: r.log4j_plugin.clone(),
        web_server: r.web_server.clone(),
        appender_subclasses: r.appender_subclasses.clone(),
        other_appender_uses: r.other_appender_uses.clone(),
        asks: r.asks.clone(),
        inert: r.inert,
        words: None,
        content_key: None,
    }
}

/// What a recorded state gave a run.
pub(crate) struct Reused {
    pub results: Vec<(usize, FileResult)>,
    pub sources: ProjectSources,
    /// The state to record again (see [`RunState::reuse`]).
    pub record: Option<Vec<u8>>,
}

#[cfg(test)]
mod tests {
    use super::{framed, frames};

    #[test]
    fn frames_come_back_as_written_and_a_cut_one_is_refused() {
        let parts = vec![b"{\"a\":1}".to_vec(), Vec::new(), vec![0u8; 300]];
        let bytes = framed(&parts);
        let back: Vec<Vec<u8>> = frames(&bytes)
            .expect("whole frames")
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect();
        assert_eq!(back, parts);
        for cut in [1, 7, bytes.len() - 1] {
            assert!(frames(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut huge = framed(&parts);
        huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(frames(&huge).is_none());
    }
}
