//! Finding the files of a repository worth reading.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use podready_cache::{KeyHasher, ResultCache};

use crate::AnalyzeError;

/// What a file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FileKind {
    Java,
    Pom,
    Logback,
    Xml,
    Properties,
    Yaml,
    Json,
    Conf,
    /// Read only because a file-name rule matches it.
    Other,
    /// Read by no rule: a page template, a Groovy or Kotlin source, SQL,
    /// a service list, only searched for the Java classes and methods it
    /// names (`crate::unreferenced`).
    Template,
}

#[derive(Debug, Clone)]
pub struct RepoFile {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub kind: FileKind,
    pub is_test: bool,
}

/// Directories never worth walking, wherever they are: dependencies and
/// tool state.
const SKIPPED_DIRS: [&str; 3] = ["node_modules", ".git", ".gradle"];

/// Build output folders and the build files beside which they are one:
/// Maven's `target` beside a pom.xml, Gradle's `build` beside a build
/// script. Elsewhere a folder of that name is a source package or a
/// folder of sources like any other (Kylin's `build/conf/`, the server's
/// configuration, beside its root pom), and one with a pom.xml of its own
/// is a module (seata's `build`).
const OUTPUT_DIRS: [(&str, &[&str]); 2] = [
    ("target", &["pom.xml"]),
    ("build", &["build.gradle", "build.gradle.kts"]),
];

/// What Gradle writes into `build/`: a project the root's `subprojects {}`
/// configures has no build script of its own beside it.
const GRADLE_OUTPUTS: [&str; 3] = ["classes", "libs", "tmp"];

/// Whether the directory `name` inside `parent` is skipped. Only a
/// directory named like an output folder costs a look for the build files.
fn is_skipped_dir(parent: &Path, name: &str) -> bool {
    SKIPPED_DIRS.contains(&name)
        || OUTPUT_DIRS.iter().any(|(output, builds)| {
            let folder = parent.join(name);
            *output == name
                && (builds.iter().any(|b| parent.join(b).is_file())
                    || (name == "build" && GRADLE_OUTPUTS.iter().any(|o| folder.join(o).is_dir())))
                && !folder.join("pom.xml").is_file()
        })
}

/// A front end's package manager writes these: every package it resolved,
/// nothing the service reads at run time (DataSphere Studio's
/// `web/package-lock.json` is 2.3 MB).
const LOCK_FILES: [&str; 3] = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml"];

/// A software bill of materials or its vulnerability report, CycloneDX's
/// or SPDX's (`camel-spring-boot-sbom.vex.json`, `app.cdx.json`): the
/// dependencies' versions and advisories, nothing the service reads.
fn is_bill_of_materials(lower: &str) -> bool {
    [".vex.json", ".cdx.json", ".spdx.json"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
        || (lower.ends_with(".json") && lower.contains("sbom"))
}

pub fn kind_of(name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    if LOCK_FILES.contains(&lower.as_str()) || is_bill_of_materials(&lower) {
        return None;
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    Some(match ext {
        "java" => FileKind::Java,
        "xml" if lower == "pom.xml" => FileKind::Pom,
        "xml" if lower.starts_with("logback") => FileKind::Logback,
        "xml" => FileKind::Xml,
        "properties" => FileKind::Properties,
        "yml" | "yaml" => FileKind::Yaml,
        "json" => FileKind::Json,
        "conf" => FileKind::Conf,
        "jsp" | "jspx" | "jspf" | "tag" | "tagx" | "tld" | "ftl" | "ftlh" | "vm" | "html"
        | "htm" | "xhtml" | "mustache" | "hbs" | "jte" | "peb" | "xsl" | "xslt" | "drl"
        | "jrxml" | "bpmn" | "groovy" | "gsp" | "kt" | "kts" | "scala" | "sql" | "factories"
        | "imports" | "sh" | "bash" | "cmd" | "bat" | "ps1" => FileKind::Template,
        _ => return None,
    })
}

/// Folders that hold test data by convention in the languages a Java
/// repository carries beside it (Go's `testdata`, Jest's `__tests__`), never
/// a service's own files. Java packages so named are left alone: they are
/// main code when under `src/main/java`.
const TEST_DATA_DIRS: [&str; 7] = [
    "testdata",
    "test-data",
    "test_data",
    "__tests__",
    "__mocks__",
    "__fixtures__",
    "__snapshots__",
];

/// Name parts that mark a front end's test data (`actuator.fixture.spec.json`,
/// `api.test.json`); JSON only: `app.test.properties` configures a test
/// environment.
const TEST_FILE_PARTS: [&str; 4] = ["spec", "test", "fixture", "fixtures"];

/// Whether one part of a data file's path marks it as test data: a test
/// data folder, or the file's name with a test part before its extension.
fn names_test_data(part: &str, is_file_name: bool) -> bool {
    let lower = part.to_ascii_lowercase();
    if !is_file_name {
        // And `test_case_data`, `tests-sample-data`: test words around others.
        let words: Vec<&str> = lower.split(['-', '_']).collect();
        let test_words =
            matches!(words.first(), Some(&("test" | "tests"))) && words.last() == Some(&"data");
        return TEST_DATA_DIRS.contains(&lower.as_str()) || test_words;
    }
    let mut name_parts = lower.split('.');
    name_parts.next_back() == Some("json")
        && name_parts.skip(1).any(|n| TEST_FILE_PARTS.contains(&n))
}

/// Whether a path is test code or test data: `src/test/**`, other
/// `src/<x>Test` style roots (`src/it`, `src/integrationTest`,
/// `src/functionalTests`, Spinnaker's `src/integration`, `src/e2e`) and
/// the JMH plugin's benchmarks (`src/jmh`), a test data folder, a file
/// named as a test's (`*.spec.json`), a Java source under a `test` or
/// `tests` folder of a build that is not Maven's (OpenTSDB's `test/core/`
/// beside its `src/`: the folder comes before any `src` or `java` one and
/// the path has no `src/main/`), or a configured test root.
pub fn is_test_path(rel: &str, test_roots: &GlobSet) -> bool {
    if rel.ends_with(".java") && !in_main_sources(rel) {
        let mut folders = rel.split('/');
        folders.next_back();
        let source_root = folders
            .take_while(|f| !matches!(*f, "src" | "java"))
            .any(|f| matches!(f, "test" | "tests"));
        if source_root {
            return true;
        }
    }
    // Maven puts a module's resources into its artifact, whatever their
    // names; a front end's sources beside them (`src/main/frontend`) are
    // built, and their tests' data left out.
    let shipped = ["src/main/resources/", "src/main/webapp/"]
        .iter()
        .any(|dir| rel.starts_with(dir) || rel.contains(&format!("/{dir}")));
    let data = !rel.ends_with(".java") && !shipped;
    let mut parts = rel.split('/').peekable();
    while let Some(p) = parts.next() {
        if data && names_test_data(p, parts.peek().is_none()) {
            return true;
        }
        if p == "src" {
            if let Some(next) = parts.peek() {
                let n = next.to_ascii_lowercase();
                let named_for_tests = n.starts_with("test")
                    || n.ends_with("test")
                    || n.ends_with("tests")
                    || n.starts_with("integration")
                    || matches!(n.as_str(), "it" | "e2e" | "jmh");
                // Maven's own test roots, whatever they hold (sample
                // projects under `src/test/resources`); another source set
                // so named (`src/integration/java`, `src/e2e/config`), not
                // a module folder so named holding main code
                // (`src/integration-service/src/main/java`).
                if matches!(n.as_str(), "test" | "it") {
                    return true;
                }
                if named_for_tests {
                    let rest: Vec<&str> = parts.clone().skip(1).collect();
                    if !in_main_sources(&rest.join("/")) {
                        return true;
                    }
                }
            }
        }
    }
    test_roots.is_match(rel)
}

/// Whether a path lies under a Maven module's main sources (`src/main/`).
pub fn in_main_sources(rel: &str) -> bool {
    rel.starts_with("src/main/") || rel.contains("/src/main/")
}

/// Builds a glob set where each glob also matches everything below it.
pub fn glob_set(globs: &[String]) -> Result<GlobSet, AnalyzeError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let g = g.trim_end_matches('/');
        for pattern in [g.to_string(), format!("{g}/**")] {
            b.add(
                Glob::new(&pattern)
                    .map_err(|e| AnalyzeError::Config(format!("glob `{g}`: {e}")))?,
            );
        }
    }
    b.build()
        .map_err(|e| AnalyzeError::Config(format!("globs: {e}")))
}

/// Something the walk could not read or settle.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct WalkError {
    /// Relative to the root, `/`-separated; empty when no path is known.
    pub path: String,
    pub message: String,
    /// A directory or file that could not be read, so nothing in it was
    /// analysed (rather than a problem with the walk as a whole).
    pub unread: bool,
}

pub struct WalkOutcome {
    pub files: Vec<RepoFile>,
    pub errors: Vec<WalkError>,
    /// Every folder the walk listed.
    pub dirs: Vec<PathBuf>,
    /// The folders on the way to the files the git index names outside
    /// the listed ones (there or not), not listed themselves: a file
    /// appearing or going away changes one of them.
    pub on_the_way: Vec<PathBuf>,
    /// The files the git index names that the walker did not list (it
    /// ignores them), of a kind worth reading and not left out, there or
    /// not: a listing of their folder adds those that are there.
    pub tracked_unlisted: Vec<String>,
}

/// Which files a walk keeps, and which of them are test code.
pub struct Selection<'a> {
    pub exclude: &'a GlobSet,
    pub test_roots: &'a GlobSet,
    /// A file-name rule reads a file of this name.
    pub wanted: &'a (dyn Fn(&str) -> bool + Sync),
}

impl Selection<'_> {
    /// What the file at `rel` (named `name`) is read as, if it is read.
    fn kind(&self, rel: &str, name: &str) -> Option<FileKind> {
        if self.exclude.is_match(rel) {
            return None;
        }
        match kind_of(name) {
            // A file-name rule reads it (a `post-start.groovy` hook).
            Some(FileKind::Template) | None if (self.wanted)(name) => Some(FileKind::Other),
            // Service lists of any loader (`META-INF/services/`, Dubbo's
            // `META-INF/dubbo/`, arthas' `META-INF/arthas/`): they name
            // classes. Not a web jar's static files (`META-INF/resources/`).
            None if rel.contains("META-INF/") && !rel.contains("META-INF/resources/") => {
                Some(FileKind::Template)
            }
            // A pom among a module's resources is a file the jar carries (a
            // code generator's or an archetype's project template), never a
            // module of the build: Maven reads none there.
            Some(FileKind::Pom) if rel.contains("src/main/resources/") => Some(FileKind::Xml),
            // What starts a program: a launcher under `bin/`
            // (`bin/mqbroker`), an image's `Dockerfile`.
            None if !name.contains('.') && (rel.starts_with("bin/") || rel.contains("/bin/")) => {
                Some(FileKind::Template)
            }
            None if name.starts_with("Dockerfile") => Some(FileKind::Template),
            // A Go module's root: the folder is another language's program.
            None if name == "go.mod" => Some(FileKind::Template),
            kind => kind,
        }
    }

    /// The file a walker's entry is, when it is one worth reading.
    fn file(&self, root: &Path, entry: ignore::DirEntry) -> Option<RepoFile> {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            return None;
        }
        let rel = relative(root, entry.path());
        let kind = self.kind(&rel, &entry.file_name().to_string_lossy())?;
        Some(RepoFile {
            is_test: is_test_path(&rel, self.test_roots),
            rel,
            abs: entry.into_path(),
            kind,
        })
    }
}

/// The walker of `dir`, as every walk and listing sets it up: the
/// `.gitignore` files of `dir`, of the folders in it and of its parents.
fn walker(dir: &Path) -> WalkBuilder {
    let mut builder = WalkBuilder::new(dir);
    // .gitignore files only: ripgrep's own `.ignore` files are not
    // the repository's, and looking for them costs a stat per folder.
    builder
        .ignore(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let skipped = || match (e.path().parent(), e.file_name().to_str()) {
                (Some(parent), Some(name)) => is_skipped_dir(parent, name),
                _ => false,
            };
            !(is_dir && e.depth() > 0 && skipped())
        });
    builder
}

/// Walks `root`, keeping the files worth reading: those of a known kind, and
/// those a file-name rule wants to see. In a git work tree these are the
/// tracked files plus the untracked ones .gitignore does not exclude (so a
/// file committed under an ignored folder is read); elsewhere the files
/// .gitignore does not exclude. Hidden files and folders (tooling such as
/// `.github`, `.idea`, `.mvn`) are not the application and are left out,
/// but for a tracked env file (`.env`): it may give a deployment its
/// environment (a developer's untracked one does not).
pub fn walk(root: &Path, selection: &Selection<'_>, cache: Option<&ResultCache>) -> WalkOutcome {
    // Two walker threads or more: the stat of every entry dominates.
    let found: Mutex<(Vec<RepoFile>, Vec<WalkError>)> = Mutex::new((Vec::new(), Vec::new()));
    let listed: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    walker(root).build_parallel().run(|| {
        Box::new(|entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let error = walk_error(root, &e);
                    found
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .1
                        .push(error);
                    return WalkState::Continue;
                }
            };
            if entry.file_type().is_some_and(|t| t.is_dir()) {
                listed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(entry.into_path());
            } else if let Some(file) = selection.file(root, entry) {
                found.lock().unwrap_or_else(|p| p.into_inner()).0.push(file);
            }
            WalkState::Continue
        })
    });
    let (mut files, mut errors) = found.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut dirs = listed.into_inner().unwrap_or_else(|p| p.into_inner());
    errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    dirs.sort_unstable();
    dirs.dedup();

    let mut on_the_way = Vec::new();
    let mut tracked_unlisted = Vec::new();
    match tracked_files_cached(root, cache) {
        Ok(tracked) => {
            // Only what .gitignore hid from the walker is added here.
            let walked: HashSet<String> = files.iter().map(|f| f.rel.clone()).collect();
            let mut way = HashSet::new();
            for rel in tracked {
                let name = rel.rsplit('/').next().unwrap_or(&rel);
                let Some(kind) = selection.kind(&rel, name) else {
                    continue;
                };
                if walked.contains(&rel) {
                    continue;
                }
                // The folders on its way decide whether it is there and
                // whether it is left out (a pom.xml beside an output folder
                // or in it), even when it is not (yet).
                let mut dir = root.to_path_buf();
                way.insert(dir.clone());
                if let Some((folders, _)) = rel.rsplit_once('/') {
                    for part in folders.split('/') {
                        dir.push(part);
                        way.insert(dir.clone());
                    }
                }
                if is_left_out(root, &rel) {
                    continue;
                }
                tracked_unlisted.push(rel.clone());
                if let Some(file) = tracked_file(root, rel, kind, selection) {
                    files.push(file);
                }
            }
            on_the_way = way
                .into_iter()
                .filter(|d| dirs.binary_search(d).is_err())
                .collect();
            on_the_way.sort_unstable();
        }
        Err(e) => errors.push(e),
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    tracked_unlisted.sort_unstable();
    WalkOutcome {
        files,
        errors,
        dirs,
        on_the_way,
        tracked_unlisted,
    }
}

/// The tracked file at `rel` the walker did not list, when it is there to
/// be read: deleted in the work tree, a symlink or a submodule is nothing
/// to read, as for the walker.
fn tracked_file(
    root: &Path,
    rel: String,
    kind: FileKind,
    selection: &Selection,
) -> Option<RepoFile> {
    let abs = root.join(&rel);
    if !std::fs::symlink_metadata(&abs).ok()?.is_file() {
        return None;
    }
    Some(RepoFile {
        is_test: is_test_path(&rel, selection.test_roots),
        rel,
        abs,
        kind,
    })
}

/// What the walk of `root` finds directly in `dir`, one of the folders it
/// lists: the files worth reading there (with the tracked ones of
/// `tracked_unlisted` there) and the folders it enters; `None` when the
/// listing fails (a whole walk then says what failed).
pub fn list_folder(
    root: &Path,
    dir: &Path,
    selection: &Selection<'_>,
    tracked_unlisted: &[String],
) -> Option<(Vec<RepoFile>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walker(dir).max_depth(Some(1)).build() {
        let entry = entry.ok()?;
        if entry.depth() == 0 {
            continue;
        }
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            dirs.push(entry.into_path());
        } else if let Some(file) = selection.file(root, entry) {
            files.push(file);
        }
    }
    let here = (dir != root).then(|| relative(root, dir));
    let in_here = |rel: &str| rel.rsplit_once('/').map(|(parent, _)| parent) == here.as_deref();
    let listed: HashSet<String> = files.iter().map(|f| f.rel.clone()).collect();
    for rel in tracked_unlisted.iter().filter(|r| in_here(r)) {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if listed.contains(rel) {
            continue;
        }
        if let Some(file) = selection
            .kind(rel, name)
            .and_then(|kind| tracked_file(root, rel.clone(), kind, selection))
        {
            files.push(file);
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    dirs.sort_unstable();
    Some((files, dirs))
}

/// The files besides the listed folders' entries whose status decides
/// what a walk of `root` finds: [`outside_inputs`], and in each listed
/// folder its `.gitignore` and `.git`, its git directory's `info/exclude`
/// (a worktree's in its common directory), and beside an output folder the
/// pom.xml there and the one the output folder may gain (it is then a
/// module). `dirs`: the folders the walk listed and those on the way to
/// the tracked files it did not list. A path named here may not
/// exist: its absence counts.
pub fn walk_inputs<'a>(root: &Path, dirs: impl IntoIterator<Item = &'a PathBuf>) -> Vec<PathBuf> {
    let mut inputs = outside_inputs(root);
    for dir in dirs {
        inputs.extend(folder_inputs(dir));
    }
    inputs
}

/// The inputs of [`walk_inputs`] a folder brings: its `.gitignore` and
/// `.git` (an entry there at all, even a dangling link or one that cannot
/// be read: what it points to may appear or become readable), its git
/// directory's excludes, and beside an output folder the build files there,
/// the pom.xml the output folder may gain and, in `build/`, the folders
/// Gradle writes there.
pub fn folder_inputs(dir: &Path) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for name in [".gitignore", ".git"] {
        let entry = dir.join(name);
        if entry.symlink_metadata().is_ok() {
            inputs.push(entry);
        }
    }
    inputs.extend(git_excludes(dir));
    for (output, builds) in OUTPUT_DIRS {
        let folder = dir.join(output);
        if folder.is_dir() {
            inputs.extend(builds.iter().map(|b| dir.join(b)));
            inputs.push(folder.join("pom.xml"));
            if output == "build" {
                inputs.extend(GRADLE_OUTPUTS.iter().map(|o| folder.join(o)));
            }
        }
    }
    inputs
}

/// The inputs of [`walk_inputs`] outside the walked folders, which do not
/// depend on what the walk lists: the `.gitignore` and `.git` of the
/// root's parent folders (not the folders themselves: `/tmp` or a home
/// folder changes all the time), the git index and configuration, the
/// global excludes file and the git configuration naming it.
pub fn outside_inputs(root: &Path) -> Vec<PathBuf> {
    let parents: Vec<PathBuf> = std::fs::canonicalize(root)
        .map(|abs| abs.ancestors().skip(1).map(Path::to_path_buf).collect())
        .unwrap_or_default();
    let mut inputs: Vec<PathBuf> = Vec::new();
    for dir in &parents {
        inputs.push(dir.join(".gitignore"));
        inputs.push(dir.join(".git"));
        inputs.extend(git_excludes(dir));
    }
    if let Some(index) = git_index(root) {
        // The configuration beside it says where the work tree is.
        inputs.extend(index.parent().map(|git| git.join("config")));
        inputs.push(index);
    }
    inputs.extend(ignore::gitignore::gitconfig_excludes_path());
    // As `ignore` finds them: the home folder from the environment, else
    // the user's account.
    let home = std::env::home_dir();
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|x| !x.as_os_str().is_empty())
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    inputs.extend(home.map(|h| h.join(".gitconfig")));
    inputs.extend(xdg.map(|x| x.join("git/config")));
    for var in ["GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"] {
        inputs.extend(std::env::var_os(var).map(PathBuf::from));
    }
    inputs.push(PathBuf::from("/etc/gitconfig"));
    inputs
}

/// The files of `dir`'s git directory that decide what is ignored: the
/// `.git` itself, and its `info/exclude` — for a worktree or submodule
/// (`.git` a file naming the git directory), the one of the common
/// directory its `commondir` names. A relative `gitdir:` is taken both
/// from `dir` (as git does) and from the working directory (as `ignore`
/// does).
fn git_excludes(dir: &Path) -> Vec<PathBuf> {
    let dot_git = dir.join(".git");
    if dot_git.is_dir() {
        return vec![dot_git.join("info/exclude")];
    }
    let Ok(text) = std::fs::read_to_string(&dot_git) else {
        return Vec::new();
    };
    let Some(named) = text.lines().find_map(|l| l.strip_prefix("gitdir:")) else {
        return Vec::new();
    };
    let named = Path::new(named.trim());
    let mut out = Vec::new();
    for git_dir in [dir.join(named), named.to_path_buf()] {
        let commondir = git_dir.join("commondir");
        let common = std::fs::read_to_string(&commondir)
            .ok()
            .and_then(|t| t.lines().next().map(|l| git_dir.join(l.trim())))
            .unwrap_or_else(|| git_dir.clone());
        out.push(commondir);
        out.push(common.join("info/exclude"));
    }
    out
}

/// Whether a file or folder is hidden tooling, not an env file.
fn is_hidden(name: &str, is_dir: bool) -> bool {
    name.starts_with('.') && (is_dir || name != ".env")
}

/// Whether the walker leaves a tracked path out: a hidden file, or one in
/// a hidden, skipped or output directory.
fn is_left_out(root: &Path, rel: &str) -> bool {
    let (dirs, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if is_hidden(name, false) {
        return true;
    }
    let mut parent = root.to_path_buf();
    for dir in dirs.split('/').filter(|d| !d.is_empty()) {
        if is_hidden(dir, true) || is_skipped_dir(&parent, dir) {
            return true;
        }
        parent.push(dir);
    }
    false
}

/// [`tracked_files`], kept in the result cache under the index's bytes:
/// a large index takes longer to read than the rest of a warm run.
fn tracked_files_cached(
    root: &Path,
    cache: Option<&ResultCache>,
) -> Result<Vec<String>, WalkError> {
    let Some(index) = git_index(root) else {
        return Ok(Vec::new());
    };
    let (Some(cache), Ok(bytes), Ok(root_abs)) =
        (cache, std::fs::read(&index), std::fs::canonicalize(root))
    else {
        return tracked_files(root);
    };
    // The configuration says where the work tree is (`core.worktree`).
    let config = index
        .parent()
        .and_then(|git| std::fs::read(git.join("config")).ok())
        .unwrap_or_default();
    let mut key = KeyHasher::default();
    key.part(b"tracked-files-1")
        .part(crate::BUILD.as_bytes())
        .part(root_abs.to_string_lossy().as_bytes())
        .part(&bytes)
        .part(&config);
    let key = key.finish();
    if let Some(paths) = cache
        .get(&key)
        .and_then(|v| serde_json::from_slice::<Vec<String>>(&v).ok())
    {
        return Ok(paths);
    }
    let paths = tracked_files(root)?;
    if let Ok(value) = serde_json::to_vec(&paths) {
        cache.put(&key, value);
    }
    Ok(paths)
}

/// The index of the git work tree `root` is in: beside the nearest `.git`
/// at or above it, a folder or a file naming the git directory (a
/// worktree, a submodule).
fn git_index(root: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(root).ok()?;
    let dot_git = start
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|g| g.exists())?;
    if dot_git.is_dir() {
        return Some(dot_git.join("index"));
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let dir = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
    let dir = dot_git.parent()?.join(dir);
    Some(dir.join("index"))
}

/// The paths (relative to `root`) of the files git tracks under it; none
/// when `root` is not in a git work tree. The index is read as git writes
/// it (`gix-index`), without setting up a git library: reading it is all
/// a check needs of git.
fn tracked_files(root: &Path) -> Result<Vec<String>, WalkError> {
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    let Some((workdir, index, hash)) = git_work_tree(root) else {
        return Ok(Vec::new());
    };
    if !index.exists() {
        return Ok(Vec::new()); // nothing committed or staged yet
    }
    let (Ok(root_abs), Ok(workdir)) = (std::fs::canonicalize(root), std::fs::canonicalize(workdir))
    else {
        return Ok(Vec::new());
    };
    let Ok(prefix) = root_abs.strip_prefix(&workdir) else {
        return Ok(Vec::new());
    };
    let prefix = relative(Path::new(""), prefix);
    let options = gix_index::decode::Options {
        thread_limit: Some(1),
        ..Default::default()
    };
    let file = gix_index::File::at(&index, hash, false, options).map_err(|e| WalkError {
        path: String::new(),
        message: format!(
            "cannot read the git index {} (damaged, or in a form this reader does not know: {e}); files committed under ignored folders were not read — `git status` rewrites a damaged index",
            index.display()
        ),
        unread: false,
    })?;
    Ok(file
        .entries()
        .iter()
        // A sparse index's folder entries stand for files not checked out.
        .filter(|entry| !entry.mode.is_sparse())
        .filter_map(|entry| {
            // A name that is not UTF-8 is no Java or config file name in
            // practice; the walker still reads it when it is not ignored.
            let path = std::str::from_utf8(entry.path(&file)).ok()?;
            if prefix.is_empty() {
                Some(path.to_string())
            } else {
                path.strip_prefix(prefix.as_str())?
                    .strip_prefix('/')
                    .map(str::to_string)
            }
        })
        .collect())
}

/// The work tree, the index and the object hash of the git repository
/// `root` is in: the folder holding the nearest `.git` (or the
/// `core.worktree` its configuration names), [`git_index`], and SHA-1
/// unless `extensions.objectFormat` says SHA-256. `None` for a bare
/// repository.
fn git_work_tree(root: &Path) -> Option<(PathBuf, PathBuf, gix_index::hash::Kind)> {
    let start = std::fs::canonicalize(root).ok()?;
    let top = start.ancestors().find(|d| d.join(".git").exists())?;
    let index = git_index(root)?;
    let git_dir = index.parent()?;
    let config = std::fs::read_to_string(git_dir.join("config")).unwrap_or_default();
    let bare = config_value(&config, "core", "bare").is_some_and(|v| v == "true");
    if bare {
        return None;
    }
    let workdir = match config_value(&config, "core", "worktree") {
        Some(dir) => git_dir.join(dir),
        None => top.to_path_buf(),
    };
    let hash = match config_value(&config, "extensions", "objectformat") {
        Some(format) if format.eq_ignore_ascii_case("sha256") => gix_index::hash::Kind::Sha256,
        _ => gix_index::hash::Kind::Sha1,
    };
    Some((workdir, index, hash))
}

/// A value of a git configuration file: `key` in section `section`.
fn config_value(config: &str, section: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    for line in config.lines() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            let name = header.trim_end_matches(']').split_whitespace().next();
            in_section = name.is_some_and(|n| n.eq_ignore_ascii_case(section));
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if in_section && k.trim().eq_ignore_ascii_case(key) {
            return Some(v.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// A walker error, with the path it names (relative to the root) when
/// there is one.
fn walk_error(root: &Path, e: &ignore::Error) -> WalkError {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    let path = path_of(e).map(|p| relative(root, p));
    match (path, e.io_error()) {
        (Some(path), Some(io)) => WalkError {
            path,
            message: format!("cannot read: {io}"),
            unread: true,
        },
        (path, _) => WalkError {
            path: path.unwrap_or_default(),
            message: e.to_string(),
            unread: false,
        },
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if s.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        s.join("/")
    }
}

/// Files written under a temporary folder, as the walk lists them (the
/// kind their names give, [`FileKind::Other`] for the rest): for the
/// tests of what reads them.
#[cfg(test)]
pub(crate) fn written_files(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Vec<RepoFile>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let listed = files
        .iter()
        .map(|(rel, bytes)| {
            let abs = dir.path().join(rel);
            std::fs::create_dir_all(abs.parent().expect("a parent")).expect("folders");
            std::fs::write(&abs, bytes).expect("written");
            let name = rel.rsplit('/').next().unwrap_or(rel);
            RepoFile {
                rel: rel.to_string(),
                abs,
                kind: kind_of(name).unwrap_or(FileKind::Other),
                is_test: false,
            }
        })
        .collect();
    (dir, listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths() {
        let none = GlobSet::empty();
        assert!(is_test_path("src/test/java/A.java", &none));
        assert!(is_test_path("mod/src/integrationTest/java/A.java", &none));
        assert!(is_test_path("mod/src/it/java/A.java", &none));
        assert!(is_test_path("mod/src/integration/java/A.java", &none));
        assert!(is_test_path("mod/src/functionalTests/java/A.java", &none));
        assert!(is_test_path("mod/src/jmh/java/A.java", &none));
        assert!(!is_test_path("mod/src/main/java/integration/A.java", &none));
        // A module folder so named holds main code.
        assert!(!is_test_path(
            "src/integration-service/src/main/java/A.java",
            &none
        ));
        assert!(is_test_path("mod/src/e2e/resources/application.yml", &none));
        assert!(is_test_path("src/e2e/config/application.yml", &none));
        assert!(is_test_path(
            "src/test/resources/sample/src/main/java/A.java",
            &none
        ));
        assert!(!is_test_path(
            "src/test-support/src/main/java/com/acme/Helper.java",
            &none
        ));
        // A build that is not Maven's: its tests beside its sources.
        assert!(is_test_path("test/core/TestTSDB.java", &none));
        assert!(is_test_path("plugin/tests/org/acme/PluginTest.java", &none));
        assert!(!is_test_path("src/org/acme/test/Probe.java", &none));
        assert!(!is_test_path(
            "test/src/main/java/org/acme/Harness.java",
            &none
        ));
        assert!(!is_test_path("test/conf/app.properties", &none));
        assert!(!is_test_path("src/main/java/test/A.java", &none));
        assert!(!is_test_path("src/main/java/A.java", &none));
        assert!(is_test_path("lens/testdata/trace.json", &none));
        assert!(is_test_path(
            "examples/test_case_data/meta/kafka/orders.json",
            &none
        ));
        assert!(!is_test_path("conf/test-env/orders.json", &none));
        assert!(is_test_path("ui/src/main/frontend/__tests__/a.json", &none));
        assert!(is_test_path(
            "ui/src/main/frontend/services/actuator.fixture.spec.json",
            &none
        ));
        assert!(is_test_path("web/api.test.json", &none));
        assert!(!is_test_path("src/main/resources/test.json", &none));
        assert!(!is_test_path(
            "src/main/resources/testdata/seed.json",
            &none
        ));
        assert!(!is_test_path(
            "app/src/main/resources/application.spec.json",
            &none
        ));
        assert!(!is_test_path("conf/app.test.properties", &none));
        assert!(is_test_path("ui/__TESTS__/a.json", &none));
        assert!(!is_test_path(
            "src/main/resources/application-test.yml",
            &none
        ));
        assert!(!is_test_path("src/main/java/testdata/Seed.java", &none));
        assert!(!is_test_path("src/main/java/a/Spec.test.java", &none));
        let roots = glob_set(&["qa".into()]).unwrap();
        assert!(is_test_path("qa/A.java", &roots));
    }

    fn walked(root: &Path) -> Vec<String> {
        let none = GlobSet::empty();
        let selection = Selection {
            exclude: &none,
            test_roots: &none,
            wanted: &|_| false,
        };
        let outcome = walk(root, &selection, None);
        assert!(
            outcome.errors.is_empty(),
            "{:?}",
            outcome
                .errors
                .iter()
                .map(|e| &e.message)
                .collect::<Vec<_>>()
        );
        outcome.files.into_iter().map(|f| f.rel).collect()
    }

    fn write(root: &Path, rel: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x=1\n").unwrap();
    }

    #[test]
    fn output_folders_are_skipped_only_beside_their_build_file() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "pom.xml",
            "target/classes/app.properties",
            "build/conf/server.properties",
            "app/build.gradle",
            "app/build/resources/main/app.properties",
            // A subproject the root's build script configures.
            "svc/build/classes/java/main/A.class",
            "svc/build/resources/main/svc.properties",
            "core/pom.xml",
            "core/target/classes/app.properties",
            "core/src/main/java/com/acme/build/Builder.java",
            "core/src/main/java/com/acme/target/Target.java",
            "web/target/app.properties",
            "node_modules/left-pad/package.json",
            ".idea/dataSources.xml",
        ] {
            write(dir.path(), rel);
        }
        assert_eq!(
            walked(dir.path()),
            [
                // Maven writes no build/: beside a pom it holds sources.
                "build/conf/server.properties",
                "core/pom.xml",
                "core/src/main/java/com/acme/build/Builder.java",
                "core/src/main/java/com/acme/target/Target.java",
                "pom.xml",
                // No pom beside it: a folder like any other.
                "web/target/app.properties",
            ]
        );
    }

    #[test]
    fn git_configuration_values_by_section_and_key() {
        let config = "[core]\n\trepositoryformatversion = 1\n\tbare = false\n\tworktree = ../tree\n[extensions]\n\tobjectFormat = sha256\n[remote \"origin\"]\n\turl = x\n";
        assert_eq!(
            config_value(config, "core", "worktree").as_deref(),
            Some("../tree")
        );
        assert_eq!(
            config_value(config, "extensions", "objectformat").as_deref(),
            Some("sha256")
        );
        assert_eq!(config_value(config, "remote", "bare"), None);
        assert_eq!(config_value(config, "core", "url"), None);
    }

    #[test]
    fn a_damaged_git_index_is_a_note_and_the_walk_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git2::Repository::init(root).unwrap();
        write(root, "pom.xml");
        std::fs::write(root.join(".git/index"), b"DIRC\0\0\0\x02garbage").unwrap();
        let none = GlobSet::empty();
        let selection = Selection {
            exclude: &none,
            test_roots: &none,
            wanted: &|_| false,
        };
        let outcome = walk(root, &selection, None);
        assert_eq!(outcome.files.len(), 1);
        let message = &outcome.errors[0].message;
        assert!(
            message.starts_with("cannot read the git index "),
            "{message}"
        );
        assert!(
            message.contains("`git status` rewrites a damaged index"),
            "{message}"
        );
    }

    #[test]
    fn in_a_git_work_tree_tracked_files_under_ignored_folders_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let repo = git2::Repository::init(root).unwrap();
        std::fs::write(root.join(".gitignore"), "conf/\nlogs/\ntarget/\n").unwrap();
        for rel in [
            "pom.xml",
            "conf/app.properties",
            "logs/run.properties",
            "src/main/java/A.java",
            "target/app.properties",
            "svc/conf/svc.properties",
            "svc/src/main/java/B.java",
        ] {
            write(root, rel);
        }
        let mut index = repo.index().unwrap();
        for tracked in ["pom.xml", "conf/app.properties", "svc/conf/svc.properties"] {
            index.add_path(Path::new(tracked)).unwrap();
        }
        index.write().unwrap();
        // Tracked under an ignored folder: read. Ignored and untracked: not.
        // Untracked and not ignored: read.
        assert_eq!(
            walked(root),
            [
                "conf/app.properties",
                "pom.xml",
                "src/main/java/A.java",
                "svc/conf/svc.properties",
                "svc/src/main/java/B.java",
            ]
        );
        // From a folder inside the work tree, paths are relative to it.
        assert_eq!(
            walked(&root.join("svc")),
            ["conf/svc.properties", "src/main/java/B.java"]
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("pom.xml"), Some(FileKind::Pom));
        assert_eq!(kind_of("logback-spring.xml"), Some(FileKind::Logback));
        assert_eq!(kind_of("App.java"), Some(FileKind::Java));
        // A script is searched for the classes it starts (a file-name
        // rule reads a hook as another kind).
        assert_eq!(kind_of("post-start.sh"), Some(FileKind::Template));
        assert_eq!(kind_of("mqbroker"), None);
        assert_eq!(kind_of("orders.jsp"), Some(FileKind::Template));
        assert_eq!(kind_of("package-lock.json"), None);
        assert_eq!(kind_of("camel-spring-boot-sbom.vex.json"), None);
        assert_eq!(kind_of("order-sbom.json"), None);
        assert_eq!(kind_of("app.cdx.json"), None);
        assert_eq!(kind_of("routes.json"), Some(FileKind::Json));
        assert_eq!(kind_of("package.json"), Some(FileKind::Json));
    }
}
