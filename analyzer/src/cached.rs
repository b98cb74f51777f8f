//! Per-file results kept between runs. A file's analysis is named by a
//! digest of everything it depends on — this build, the rule pack, the
//! project's types, the file's path and bytes, and what the summaries
//! tell it — so a result found under that name is the result: there is
//! nothing to invalidate.

use podready_cache::{Key, KeyHasher, ResultCache};
use podready_rules::RulePack;
use serde::{Deserialize, Deserializer, Serializer};

use crate::finding::{CodeOwner, CommandLine, Finding, MemberFlow, ProfileSections};
use crate::summary::ProjectSources;
use crate::walk::{FileKind, RepoFile};
use crate::{analyze_file, read_input, Compiled, FileResult, Parse, ProjectTypeIndex};

/// The layout of a stored result; part of every key.
const FORMAT: &str = "file-result-48";

/// A run's way to a file's result: from the cache when it has it.
pub(crate) struct Reuse<'a> {
    cache: Option<&'a ResultCache>,
    c: &'a Compiled,
    types: &'a ProjectTypeIndex,
    max_file_size: u64,
    /// How a Java file is parsed unless the summaries need it.
    first_parse: Parse,
    /// The key parts every file shares.
    common: KeyHasher,
}

/// The rule pack as a part of cache keys: made once per run.
pub(crate) fn pack_key(pack: &RulePack) -> Key {
    let mut key = KeyHasher::default();
    key.part(format!("{pack:?}").as_bytes());
    key.finish()
}

impl<'a> Reuse<'a> {
    /// `cache` with the [`pack_key`] of the run's pack; without one, every
    /// file is analysed.
    pub fn new(
        cache: Option<(&'a ResultCache, &Key)>,
        c: &'a Compiled,
        files: &[RepoFile],
        types: &'a ProjectTypeIndex,
        (max_file_size, parse_all): (u64, bool),
    ) -> Reuse<'a> {
        let mut common = KeyHasher::default();
        if let Some((_, pack)) = cache {
            common
                .part(FORMAT.as_bytes())
                .part(crate::BUILD.as_bytes())
                .part(pack)
                .part(&max_file_size.to_le_bytes());
            // The Java pass resolves names against the project's types,
            // which come from the paths of its Java files.
            let mut java: Vec<&str> = files
                .iter()
                .filter(|f| f.kind == FileKind::Java)
                .map(|f| f.rel.as_str())
                .collect();
            java.sort_unstable();
            for rel in java {
                common.part(rel.as_bytes());
            }
        }
        Reuse {
            cache: cache.map(|(cache, _)| cache),
            c,
            types,
            max_file_size,
            first_parse: if parse_all {
                Parse::Always
            } else {
                Parse::IfNamed
            },
            common,
        }
    }

    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// How a Java file is parsed unless the summaries need it.
    pub fn first_parse(&self) -> Parse {
        self.first_parse
    }

    /// The key of a file's content as it is now, when it can be read.
    pub fn current_content_key(&self, f: &RepoFile) -> Option<Key> {
        match read_input(f, self.c, self.max_file_size) {
            Some(Ok(bytes)) => Some(self.content_key(f, &bytes)),
            _ => None,
        }
    }

    /// A file's result, given what the summaries tell it and whether it
    /// must be parsed. `known` is the key of the file's content from an
    /// earlier pass of this run: with it, a cached result is found without
    /// reading the file again.
    pub fn analyze(
        &self,
        f: &RepoFile,
        parser: &mut crate::java::JavaParser,
        told: (&ProjectSources, Parse),
        known: Option<Key>,
    ) -> FileResult {
        let (c, types, max_file_size) = (self.c, self.types, self.max_file_size);
        let Some(cache) = self.cache else {
            return analyze_file(f, c, parser, types, told, read_input(f, c, max_file_size));
        };
        let (sources, parse) = told;
        let digest = format!("{parse:?} {}", sources.digest());
        if let Some(found) = known.and_then(|k| self.lookup(cache, &k, &digest)) {
            return found;
        }
        let input = read_input(f, c, max_file_size);
        // Files not read, or not readable, cost nothing to look at again.
        let Some(Ok(bytes)) = &input else {
            return analyze_file(f, c, parser, types, told, input);
        };
        let content = self.content_key(f, bytes);
        if let Some(mut found) = self.lookup(cache, &content, &digest) {
            found.content_key = Some(content);
            return found;
        }
        let mut result = analyze_file(f, c, parser, types, told, input);
        if let Ok(value) = serde_json::to_vec(&result) {
            cache.put(&result_key(&content, &digest), value);
        }
        result.content_key = Some(content);
        result
    }

    /// What names a file's content for this run: everything but the
    /// summaries.
    fn content_key(&self, f: &RepoFile, bytes: &[u8]) -> Key {
        let mut key = self.common.clone();
        key.part(f.rel.as_bytes())
            .part(format!("{:?} {}", f.kind, f.is_test).as_bytes())
            .part(bytes);
        key.finish()
    }

    fn lookup(&self, cache: &ResultCache, content: &Key, digest: &str) -> Option<FileResult> {
        let mut found: FileResult = cache
            .get(&result_key(content, digest))
            .and_then(|v| serde_json::from_slice(&v).ok())?;
        found.content_key = Some(*content);
        Some(found)
    }
}

/// A result's key: its file's content and what the summaries told it.
fn result_key(content: &Key, digest: &str) -> Key {
    let mut key = KeyHasher::default();
    key.part(content).part(digest.as_bytes());
    key.finish()
}

/// Findings as stored: with the members their level follows, the
/// command-line entry point they are in and what their matcher saw, which
/// the report leaves out.
pub(crate) mod findings_with_members {
    use super::*;

    pub fn serialize<S: Serializer>(findings: &[Finding], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(findings.iter().map(|f| {
            (
                f,
                &f.members,
                f.command_line,
                &f.never_runs,
                &f.start_up,
                &f.also_logged,
                &f.debugging,
                &f.profile_sections,
                &f.owner,
                &f.detail,
            )
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Finding>, D::Error> {
        type Stored = (
            Finding,
            MemberFlow,
            Option<CommandLine>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<ProfileSections>,
            Option<CodeOwner>,
            String,
        );
        let stored: Vec<Stored> = Deserialize::deserialize(d)?;
        Ok(stored
            .into_iter()
            .map(
                |(
                    mut f,
                    members,
                    command_line,
                    never_runs,
                    start_up,
                    also_logged,
                    debugging,
                    profile_sections,
                    owner,
                    detail,
                )| {
                    f.members = members;
                    f.command_line = command_line;
                    f.never_runs = never_runs;
                    f.start_up = start_up;
                    f.also_logged = also_logged;
                    f.debugging = debugging;
                    f.profile_sections = profile_sections;
                    f.owner = owner;
                    f.detail = detail;
                    f
                },
            )
            .collect())
    }
}
