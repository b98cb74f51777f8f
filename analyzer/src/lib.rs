//! podready's analyzer: walks a repository, parses its Java sources,
//! configuration and poms, runs the rule pack over them, and returns the
//! findings and the project model.
//!
//! Files are analysed in parallel, each on its own (nothing of a file is
//! kept once its findings are made), then the poms are linked and checked
//! together, since versions resolve across parents.

mod appender;
mod baseline;
mod cached;
pub mod config;
mod default_logging;
pub mod deployed;
mod finding;
pub mod gradle;
pub mod ip;
mod java;
mod key_readers;
mod matchers;
mod mounted;
mod named_places;
pub mod pom;
mod prefilter;
mod profiles;
mod property_settings;
mod seed_rows;
mod snapshot;
mod start_lines;
mod summary;
mod suppress;
pub mod text;
mod unreferenced;
pub mod version;
pub mod walk;
pub mod xml;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use podready_rules::{RulePack, Severity};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use baseline::{Baseline, BaselineEntry, BaselineError};
pub use finding::{Finding, Note, NoteKind};
use finding::{MemberFlow, RawFinding};
use matchers::Compiled;
use named_places::{
    api_description_file, build_logic_folder, ci_folder, ci_profile, code_generator_file,
    console_class, developer_condition, developer_profile, developer_profile_folder,
    developer_profile_of_spring_file, developer_support_folder, editor_notes_folder,
    engine_configuration_folder, engine_logging_file, example_file, is_command_line_package,
    is_example_package, is_resource_bundle, maven_site_folder, mock_data_folder, notebook_file,
    project_template_folder, test_logging_file, tool_logging_file, xdoc_page,
};
use pom::{Pom, Project};
use summary::{NamedMember, ProjectSources};
use text::SourceText;
use walk::{FileKind, RepoFile};

/// Why an analysis could not run at all (a file that cannot be read is a
/// [`Note`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error("{}: no such file or directory", .0.display())]
    NotFound(PathBuf),
    #[error("invalid rule pack: {0}")]
    Rules(#[from] podready_rules::RuleError),
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// How many times the files naming the project's sources are read again
/// at most. A file's facts do not depend on what it is told (a value
/// handed through a method's argument is recorded with that call), so the
/// first round learns nothing new and ends them; the bound is a guard.
const MAX_SUMMARY_ROUNDS: usize = 4;

/// This build of the analyzer, as the result cache knows it: a digest of
/// the sources that decide what an analysis says.
pub const BUILD: &str = env!("PODREADY_ANALYZER_BUILD");

/// Compiles every matcher a rules file defined, disabled rules too (an
/// analysis compiles the enabled ones), so that a wrong field in a rules
/// file is reported when the pack is loaded: with the file, the line of
/// the rule and the field. The built-in rules compile (a test says so):
/// they are not compiled again on every run.
pub fn check_pack(pack: &RulePack) -> Result<(), podready_rules::RuleError> {
    if pack.rules.iter().all(|r| pack.is_builtin(&r.id)) {
        return Ok(());
    }
    let mut written = pack.clone();
    written.rules.retain(|r| !pack.is_builtin(&r.id));
    for rule in &mut written.rules {
        rule.enabled = true;
    }
    Compiled::new(&written).map(drop)
}

/// Knobs of one analysis.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files larger than this are skipped and reported.
    pub max_file_size: u64,
    /// Globs of paths (relative to the root) not to scan.
    pub exclude: Vec<String>,
    /// Globs of test source roots beside `src/test/**`.
    pub test_roots: Vec<String>,
    /// The modules that run in pods, when configured (directories or
    /// artifactIds).
    pub deployed: Vec<String>,
    /// Libraries (`groupId:artifactId`) that bring an application its
    /// logging configuration from outside the repository.
    pub logging_libraries: Vec<String>,
    /// Only files at or under this path (relative to the root,
    /// `/`-separated) are analysed and reported; the rest of the repository
    /// is still read for what resolution needs (parent poms, the project's
    /// types), so findings are those of the whole run, restricted.
    pub only_under: Option<String>,
    /// Parse every Java file, also those that name nothing a rule looks
    /// for: the same findings, more time, and a syntax error noted in
    /// every file (else only in the files parsed).
    pub parse_all: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: 2 * 1024 * 1024,
            exclude: Vec::new(),
            test_roots: Vec::new(),
            deployed: Vec::new(),
            logging_libraries: Vec::new(),
            only_under: None,
            parse_all: false,
        }
    }
}

impl Options {
    /// The options a rule pack's `[check]` settings ask for.
    pub fn from_pack(pack: &RulePack) -> Options {
        let mut o = Options::default();
        if let Some(max) = pack.check.max_file_size {
            o.max_file_size = max;
        }
        o.exclude = pack.check.exclude.clone();
        o.test_roots = pack.check.test_roots.clone();
        o.deployed = pack.check.deployed.clone();
        o.logging_libraries = pack.check.logging_libraries.clone();
        o
    }
}

/// What was analysed and what was found.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
    pub files: usize,
    pub lines: usize,
    pub project: Project,
    /// Which modules run in pods; findings elsewhere are at `info`.
    pub deployment: deployed::Deployment,
    /// Whether the repository was walked: not when the run's state showed
    /// that nothing a walk depends on changed.
    pub walked: bool,
}

/// Analyses the repository (or single file) at `root`.
pub fn analyze(root: &Path, pack: &RulePack, options: &Options) -> Result<Analysis, AnalyzeError> {
    analyze_cached(root, pack, options, None)
}

/// [`analyze`], taking each file's result from `cache` when it holds it
/// and putting the others there (the caller commits). The result is the
/// same with a cache, without one, or with a damaged one.
pub fn analyze_cached(
    root: &Path,
    pack: &RulePack,
    options: &Options,
    cache: Option<&podready_cache::ResultCache>,
) -> Result<Analysis, AnalyzeError> {
    if !root.exists() {
        return Err(AnalyzeError::NotFound(root.to_path_buf()));
    }
    let started = std::time::SystemTime::now();
    let compiled = Compiled::new(pack)?;
    let exclude = walk::glob_set(&options.exclude)?;
    let mut test_globs = options.test_roots.clone();
    // Dockerfiles (whether an image is built beside a Compose stack
    // decides whether its configuration ships), scripts, pipelines, env
    // files, manifests and build files say how the applications start:
    // the profiles they activate, the environment they are given, the
    // main classes they name.
    let wanted = |name: &str| {
        compiled.file_globs.is_match(name)
            || deployed::starts_a_process(name)
            || matches!(name, "build.gradle" | "MANIFEST.MF")
    };
    let pack_key = cache.map(|_| cached::pack_key(pack));
    let state_key = pack_key
        .as_ref()
        .and_then(|pack| snapshot::key(root, pack, options));
    let state = cache
        .zip(state_key.as_ref())
        .and_then(|(cache, key)| snapshot::RunState::load(cache, key));
    let walk_tests = walk::glob_set(&test_globs)?;
    let selection = walk::Selection {
        exclude: &exclude,
        test_roots: &walk_tests,
        wanted: &wanted,
    };
    // A walk done again gets a new record; else the state holds it.
    let (walked, new_walk, relisted, walk_was_done) =
        match state.as_ref().and_then(|s| s.walked(root, &selection)) {
            Some(walked) => (walked.outcome, None, walked.relisted, false),
            None => {
                let before = state_key.map(|_| snapshot::BeforeWalk::take(root));
                let walked = walk::walk(root, &selection, cache);
                let record = before.map(|before| snapshot::WalkRecord::new(root, &walked, before));
                (walked, record, Vec::new(), true)
            }
        };
    let in_scope = |rel: &str| {
        options
            .only_under
            .as_deref()
            .is_none_or(|under| is_at_or_under(rel, under))
    };
    let mut files = walked.files;

    // Poms first: they name extra test source roots.
    let pom_files: Vec<&RepoFile> = files.iter().filter(|f| f.kind == FileKind::Pom).collect();
    let poms = read_poms(&pom_files, options.max_file_size);
    let extra_roots = poms.test_roots();
    if !extra_roots.is_empty() {
        test_globs.extend(extra_roots);
        let set = walk::glob_set(&test_globs)?;
        for f in &mut files {
            f.is_test = walk::is_test_path(&f.rel, &set);
        }
    }
    let test_set = walk::glob_set(&test_globs)?;

    let (mut notes, unread) = unreadable(walked.errors, &poms, &in_scope, &test_set, &compiled);

    let types = ProjectTypeIndex::new(&files);
    let reuse = cached::Reuse::new(
        cache.zip(pack_key.as_ref()),
        &compiled,
        &files,
        &types,
        (options.max_file_size, options.parse_all),
    );
    let stamps = state_key.map(|_| snapshot::Stamps::take(&files));
    let mut walk_record = new_walk;
    let outcome = state.zip(stamps.as_ref()).map(|(state, stamps)| {
        state.reuse(
            (&files, stamps),
            (walk_record.as_ref(), &relisted),
            &reuse,
            started,
        )
    });
    let reused = match outcome {
        Some(Ok(reused)) => Some(reused),
        // Without the state, the walk it recorded is still this run's.
        Some(Err(recorded)) => {
            walk_record.get_or_insert(*recorded);
            None
        }
        None => None,
    };
    let (mut results, sources) = match reused {
        Some(reused) => {
            if let (Some(cache), Some(key), Some(record)) = (cache, state_key, reused.record) {
                cache.put(&key, record);
            }
            (reused.results, reused.sources)
        }
        None => {
            let run = settle_summaries(
                &files,
                &in_scope,
                &reuse,
                &compiled,
                state_key.is_some(),
                options.max_file_size,
            );
            if let (Some(cache), Some(key), Some(rounds), Some(walk), Some(stamps)) = (
                cache,
                state_key.as_ref(),
                run.rounds,
                walk_record,
                stamps.as_ref(),
            ) {
                snapshot::RunState::new(
                    started,
                    walk,
                    &files,
                    &run.results,
                    (stamps, rounds),
                    &fed_names(&run.results),
                    (&run.pulled, &run.names),
                )
                .store(cache, key);
            }
            (run.results, run.sources)
        }
    };

    let appender_subclasses: Vec<appender::Subclass> = results
        .iter_mut()
        .flat_map(|(_, r)| std::mem::take(&mut r.appender_subclasses))
        .collect();
    // A main class ending the process when done, that starts no
    // framework (a Spring Batch job's `System.exit(SpringApplication.exit(…))`
    // is an application all the same).
    let one_shot: HashSet<&str> = results
        .iter()
        .filter(|(_, r)| r.main_exits && !r.launches_application)
        .map(|(i, _)| files[*i].rel.as_str())
        .collect();
    let main_classes = main_class_paths(&poms.project);
    // A developer's program of its own (a `main()` no pom names) that
    // reads the terminal says nothing of its module.
    let terminal_readers: Vec<&str> = results
        .iter()
        .filter(|(i, r)| {
            r.reads_terminal
                && (!r.declares_main
                    || starts_application(&main_classes, &one_shot, &files[*i].rel))
        })
        .map(|(i, _)| files[*i].rel.as_str())
        .collect();
    let programs: Vec<deployed::Program> = results
        .iter()
        .filter(|(_, r)| r.declares_main)
        .map(|(i, r)| deployed::Program {
            path: files[*i].rel.as_str(),
            launches_application: r.launches_application,
            opens_window: r.opens_window,
        })
        .collect();
    let deployment = deployed::Deployment::find(
        root,
        &poms.project,
        &options.deployed,
        files.iter().map(|f| f.rel.as_str()),
        &terminal_readers,
        &programs,
    );
    let consoles = appender::ConsoleClasses::new(&compiled.logback, &appender_subclasses);
    for (_, r) in &mut results {
        let settled: Vec<Finding> = consoles
            .settle(std::mem::take(&mut r.other_appender_uses))
            .collect();
        r.findings.extend(settled);
    }
    // Levels are settled over the whole repository, in scope or not: a
    // use elsewhere decides what a helper's lookup is worth.
    let places = PlaceLowering {
        deployment: &deployment,
        project: &poms.project,
        c: &compiled,
        rules: compiled.rules.iter().map(|r| (r.id.as_str(), r)).collect(),
        // The package itself only: a facade declared high up
        // (`com.acme.Log`) must not make the whole application logging code.
        logging_packages: results
            .iter()
            .filter(|(i, r)| r.is_logging_code && !r.package.is_empty() && !files[*i].is_test)
            .map(|(_, r)| r.package.clone())
            .collect(),
        // A layout's or a converter's package: what it looks up labels log
        // lines. Not a package of the project's own loggers, which may
        // hold anything else.
        framework_logging_packages: results
            .iter()
            .filter(|(i, r)| {
                r.extends_logging_framework && !r.package.is_empty() && !files[*i].is_test
            })
            .map(|(_, r)| r.package.clone())
            .collect(),
        fallback_dialects: fallback_dialects(
            &files,
            &results.iter().map(|(_, r)| r.package.as_str()).collect(),
        ),
        slf4j_facades: {
            let logging: HashSet<&str> = results
                .iter()
                .filter(|(i, r)| r.is_logging_code && !files[*i].is_test)
                .map(|(_, r)| r.package.as_str())
                .collect();
            results
                .iter()
                .filter(|(_, r)| r.imports_slf4j && logging.contains(r.package.as_str()))
                .map(|(_, r)| r.package.clone())
                .collect()
        },
        routes: Default::default(),
        unbound: Default::default(),
        classpaths: Default::default(),
        named_keys: Default::default(),
        profiles: profiles::ProfileOverrides::new(
            &files,
            options.max_file_size,
            results.iter().any(|(_, r)| r.sets_profiles),
            poms.project
                .poms
                .iter()
                .filter_map(|p| {
                    let dir = p.path.rsplit_once('/').map_or("", |(dir, _)| dir);
                    Some((dir.to_string(), p.artifact_id.as_ref()?.value.clone()))
                })
                .collect(),
        ),
        files: &files,
        max_file_size: options.max_file_size,
        replaced: std::cell::OnceCell::new(),
        plugins: std::cell::OnceCell::new(),
        compose_addresses: std::cell::OnceCell::new(),
        without_web_server: without_web_server(&results, &files, &deployment),
        one_shot: &one_shot,
        main_classes: &main_classes,
        unbuilt_poms: unbuilt_poms(root, &poms.project),
        root,
        build_programs: build_program_paths(&poms.project),
        maven_profiles: std::cell::OnceCell::new(),
    };
    let store = cache
        .zip(state_key)
        .zip(stamps.as_ref())
        .map(|((cache, run), stamps)| unreferenced::PlacesStore {
            cache,
            run,
            started,
            stamps,
        });
    // The name search's record is read while the findings are lowered
    // (which decides whether the search is needed).
    let recorded = std::thread::scope(|scope| {
        let loading = store.as_ref().map(|s| scope.spawn(|| s.recorded()));
        // The repository's factories of JUL loggers that log through
        // SLF4J, in full (CXF's `org.apache.cxf.common.logging.LogUtils`).
        let slf4j_factories: HashSet<String> = results
            .iter()
            .filter(|(_, r)| r.routes_jul_to_slf4j)
            .filter_map(|(i, r)| {
                let class = files[*i].rel.rsplit('/').next()?.strip_suffix(".java")?;
                Some(if r.package.is_empty() {
                    class.to_string()
                } else {
                    format!("{}.{class}", r.package)
                })
            })
            .collect();
        for (_, r) in &mut results {
            let routed = &r.jul_logger_factories;
            let jul_factory = (!routed.is_empty()
                && routed.iter().all(|f| slf4j_factories.contains(f)))
            .then(|| routed.join(", "));
            places.lower(
                &mut r.findings,
                &r.package,
                FileFacts {
                    bridge: r.bridges_to_slf4j,
                    installs_jul_bridge: r.installs_jul_bridge,
                    // A log4j 2 plugin's own analysis says where it runs.
                    plugin_of: if r.log4j_plugin.is_some() {
                        &[]
                    } else {
                        &r.plugin_of
                    },
                    requires_classes: &r.requires_classes,
                    for_kubernetes: r.for_kubernetes,
                    jul_factory: jul_factory.as_deref(),
                },
            );
        }
        settle_static_members(&mut results, &files, &sources);
        loading.and_then(|l| l.join().ok()).flatten()
    });
    let off_code = property_settings::off_code(&results, &files, options.max_file_size);
    unreferenced::settle(
        &mut results,
        &files,
        &places.rules,
        &unreferenced::RepositoryFacts {
            off_code: &off_code,
            in_an_application: &|path| deployment.in_an_application(path),
            compiles_against: &|from, to| deployment.compiles_against(from, to),
            starts_application: &|path| starts_application(&main_classes, &one_shot, path),
            one_shot: &|path| one_shot.contains(path),
            main_class: &|path| is_main_class(&main_classes, path),
            // An assembly may take the folder into an archive the image
            // unpacks, a jar its resources.
            left_beside_picked: &|path| {
                if deployment.is_assembled(path) || deployed::declared_resource(path, &poms.project)
                {
                    None
                } else {
                    places.replacements().left_beside_picked(path)
                }
            },
            group_of: &|path| {
                deployment
                    .module_of(path)
                    .map(|i| poms.project.poms[i].effective_group())
            },
            pod_starts_script: &|path| places.replacements().pod_starts_script(path),
            command_program_applies: &|path| {
                command_program_applies(&deployment, &poms.project, path)
            },
            // A Gradle build's modules are not read that closely; a module
            // whose build makes an application (a war's container starts no
            // main()) may start any of its main classes.
            runs_programs: &|path| {
                poms.project.poms.is_empty()
                    || deployment.in_gradle_build(path)
                    || deployment.is_named_as_deployed(path)
                    || deployment.module_of(path).is_some_and(|i| {
                        poms.project
                            .application_kind(i)
                            .is_some_and(|kind| !matches!(kind, "war" | "ear"))
                    })
            },
            // `java -jar` starts the main class a jar's manifest names;
            // another needs a file naming it (Carbonio's image writes
            // `zmprov` to start `ProvUtil`).
            names_its_main: &|path| {
                !deployment.in_gradle_build(path)
                    && !deployment.is_named_as_deployed(path)
                    && deployment
                        .module_of(path)
                        .is_some_and(|i| poms.project.application_kind(i) == Some("executable jar"))
            },
        },
        store.as_ref().map(|s| (s, recorded)),
    );
    // Applications running Spring Boot's default logging, on their poms.
    let mut default_logging = {
        let configuring: HashSet<&str> = results
            .iter()
            .filter(|(_, r)| r.configures_logging)
            .map(|(i, _)| files[*i].rel.as_str())
            .collect();
        let launchers: Vec<&str> = programs
            .iter()
            .filter(|p| p.launches_application)
            .map(|p| p.path)
            .collect();
        default_logging::findings(
            &poms.project,
            &deployment,
            &files,
            &launchers,
            &configuring,
            &compiled,
            options,
        )
    };
    results.retain(|(i, _)| in_scope(&files[*i].rel));

    let poms_in_scope: Vec<usize> = (0..poms.sources.len())
        .filter(|&i| in_scope(&poms.project.poms[i].path))
        .collect();
    let mut analysis = Analysis {
        findings: unread,
        files: poms_in_scope.len(),
        lines: poms_in_scope
            .iter()
            .map(|&i| poms.sources[i].line_count())
            .sum(),
        walked: walk_was_done,
        ..Analysis::default()
    };
    for i in poms_in_scope {
        let mut raw = pom_findings(&poms.project, i, &compiled, pack, poms.is_test[i]);
        raw.extend(
            default_logging
                .extract_if(.., |(pom, _)| *pom == i)
                .map(|(_, finding)| finding),
        );
        analysis.findings.extend(finish(
            &poms.project.poms[i].path,
            &poms.sources[i],
            raw,
            &compiled,
        ));
    }
    // A Gradle build's scripts, where no root pom makes it a side project.
    if !root.join("pom.xml").is_file() {
        for (rel, source) in gradle_scripts(root, &files)
            .into_iter()
            .filter(|(rel, _)| in_scope(rel))
        {
            let raw = gradle_dependency_findings(&source, &compiled);
            analysis
                .findings
                .extend(finish(&rel, &source, raw, &compiled));
        }
    }
    // Shell scripts starting the service in the background, as on a VM.
    let scripts = matchers::background_start::findings(
        files.iter().filter(|f| in_scope(&f.rel)),
        &compiled,
        options.max_file_size,
    );
    analysis.findings.extend(scripts.findings);
    analysis.files += scripts.files;
    analysis.lines += scripts.lines;
    places.lower(&mut analysis.findings, "", FileFacts::default());
    for (_, r) in results {
        analysis.findings.extend(r.findings);
        notes.extend(r.notes);
        if r.read {
            analysis.files += 1;
            analysis.lines += r.lines;
        }
    }
    analysis.project = poms.project;
    analysis.deployment = deployment;

    for f in &mut analysis.findings {
        // Settled: what they came through no longer tells findings apart.
        f.members = MemberFlow::default();
    }
    analysis
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    analysis.findings.dedup();
    notes.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    analysis.notes = notes;
    Ok(analysis)
}

/// The build files of other tools that may build a repository beside its
/// poms: Buildr's, Gradle's, Ant's, sbt's, Bazel's.
const OTHER_BUILDS: &[&str] = &[
    "Rakefile",
    "buildfile",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
    "build.xml",
    "build.sbt",
    "WORKSPACE",
    "WORKSPACE.bazel",
    "MODULE.bazel",
];

/// The level of a finding of `rule` in code only a command-line program
/// runs: console output's `command_line`, or `command_program` where the
/// place is the command's own (`commands_own`: not a `main()` nor what
/// only it reaches, nor a shell's command) and `applies`
/// ([`command_program_applies`]).
pub(crate) fn command_level(
    rule: &podready_rules::Rule,
    commands_own: bool,
    applies: impl FnOnce() -> bool,
) -> Option<Severity> {
    rule.command_line
        .or(rule.command_program.filter(|_| commands_own && applies()))
}

/// Whether a finding at `path` may take its rule's `command_program`
/// level: it lies in no module named for command-line tools (a release's
/// scripts may start its programs as the service, as Sentry's
/// `SentryMain`) and in no Java agent (it runs in the application's
/// process).
fn command_program_applies(
    deployment: &deployed::Deployment,
    project: &Project,
    path: &str,
) -> bool {
    deployment.command_line_tool(path, project).is_none()
        && deployment.java_agent(path, project).is_none()
}

/// The poms that build nothing, and why: the root pom's reactor, when the
/// root pom lists a module that is not there, so Maven cannot build it,
/// and another tool's build file sits at the root (Apache ODE's poms,
/// left behind when Buildr took over). A project of its own elsewhere in
/// the repository still builds. `None` otherwise.
fn unbuilt_poms(root: &Path, project: &Project) -> Option<UnbuiltPoms> {
    let build = OTHER_BUILDS.iter().find(|name| root.join(name).is_file())?;
    let module = project.missing_module(&|folder| root.join(folder).is_dir())?;
    Some(UnbuiltPoms {
        paths: project
            .root_reactor()
            .into_iter()
            .map(|i| project.poms[i].path.clone())
            .collect(),
        why: format!(
            "not built: pom.xml lists the module `{module}`, which is not in the repository, so Maven cannot build it; the repository has another build ({build})"
        ),
    })
}

/// The poms of a reactor Maven cannot build, and why ([`unbuilt_poms`]).
struct UnbuiltPoms {
    paths: HashSet<String>,
    why: String,
}

/// What could not be read, as notes and, for the gate, findings: walk
/// errors, and poms that do not parse (dropped whole: nothing of them is
/// checked).
fn unreadable(
    errors: Vec<walk::WalkError>,
    poms: &PomSet,
    in_scope: &dyn Fn(&str) -> bool,
    test_set: &globset::GlobSet,
    c: &Compiled,
) -> (Vec<Note>, Vec<Finding>) {
    let mut notes = Vec::new();
    let mut unread = Vec::new();
    for e in errors
        .into_iter()
        .filter(|e| e.path.is_empty() || in_scope(&e.path))
    {
        if e.unread {
            let is_test = walk::is_test_path(&e.path, test_set);
            unread.extend(matchers::unanalysed_file::findings(
                &e.path, &e.message, is_test, c,
            ));
        }
        notes.push(Note {
            path: e.path,
            kind: NoteKind::Unreadable,
            message: e.message,
        });
    }
    for n in poms.notes.iter().filter(|n| in_scope(&n.path)) {
        let why = match n.kind {
            NoteKind::MalformedXml => format!("the pom does not parse ({})", n.message),
            _ => n.message.clone(),
        };
        let is_test = walk::is_test_path(&n.path, test_set);
        unread.extend(matchers::unanalysed_file::findings(
            &n.path, &why, is_test, c,
        ));
        notes.push(n.clone());
    }
    (notes, unread)
}

/// A run's results once the summaries settled.
struct SettledRun {
    results: Vec<(usize, FileResult)>,
    sources: ProjectSources,
    /// Kept only for a state to record.
    rounds: Option<snapshot::Rounds>,
    /// The files parsed only because the summaries needed them.
    pulled: Vec<(usize, prefilter::Pull)>,
    /// The members that pull a file naming one of them.
    names: HashSet<NamedMember>,
}

/// The summaries' rounds over the files the rules need parsed, then again
/// with the files the summaries turn out to need, until they need no
/// more. Each pass starts from every file's first result, so the rounds go
/// as they would with every file parsed from the start.
fn settle_summaries(
    files: &[RepoFile],
    in_scope: &(dyn Fn(&str) -> bool + Sync),
    reuse: &cached::Reuse<'_>,
    c: &Compiled,
    record: bool,
    max_file_size: u64,
) -> SettledRun {
    let no_sources = ProjectSources::default();
    let mut parse = vec![reuse.first_parse(); files.len()];
    let mut first: Vec<(usize, FileResult)> = files
        .par_iter()
        .enumerate()
        // Java outside the scope is read for its members' facts only.
        .filter(|(_, f)| {
            !matches!(f.kind, FileKind::Pom | FileKind::Template)
                && (f.kind == FileKind::Java || in_scope(&f.rel))
        })
        .map_init(java::JavaParser::new, |parser, (i, f)| {
            (
                i,
                reuse.analyze(f, parser, (&no_sources, reuse.first_parse()), None),
            )
        })
        .collect();
    // The files not pulled were checked for the names seen before.
    let needed = |results: &[(usize, FileResult)],
                  names: &HashSet<NamedMember>,
                  checked: &mut HashSet<NamedMember>| {
        let new_names: HashSet<NamedMember> = names.difference(checked).copied().collect();
        checked.extend(&new_names);
        prefilter::needed(files, results, &new_names, max_file_size)
    };
    let mut pulled = Vec::new();
    let mut checked = HashSet::new();
    let memo = ReadAgainMemo::default();
    loop {
        // What the first results already say is needed costs no rounds.
        let learnt = summary::resolve(first.iter().flat_map(|(_, r)| &r.facts), c);
        let mut names: HashSet<NamedMember> = learnt.named_members().collect();
        let mut more = needed(&first, &names, &mut checked);
        if more.is_empty() {
            let mut rounds = record.then(snapshot::Rounds::default);
            let firsts = FirstReadings::default();
            let sources = follow_helpers(
                &mut first,
                files,
                (reuse, &parse, &memo, &firsts),
                c,
                rounds.as_mut(),
                &mut names,
            );
            names.extend(fed_names(&first).into_iter().map(NamedMember::alone));
            more = needed(&first, &names, &mut checked);
            if more.is_empty() {
                return SettledRun {
                    results: first,
                    sources,
                    rounds,
                    pulled,
                    names: checked,
                };
            }
            firsts.restore(&mut first);
        }
        for &(at, why) in &more {
            parse[first[at].0] = Parse::Always;
            pulled.push((first[at].0, why));
        }
        let parsed: Vec<(usize, FileResult)> = more
            .par_iter()
            .map_init(java::JavaParser::new, |parser, &(at, _)| {
                let f = &files[first[at].0];
                (
                    at,
                    reuse.analyze(f, parser, (&no_sources, Parse::Always), None),
                )
            })
            .collect();
        for (at, r) in parsed {
            first[at].1 = r;
        }
    }
}

/// The first results of the files the rounds read again, by file: a
/// pass that turns out to need more files starts again from them, and
/// the results of the files never read again are kept rather than copied.
#[derive(Default)]
struct FirstReadings(std::sync::Mutex<HashMap<usize, FileResult>>);

impl FirstReadings {
    fn keep(&self, i: usize, first: &FileResult) {
        if let Ok(mut kept) = self.0.lock() {
            kept.entry(i).or_insert_with(|| first.clone());
        }
    }

    fn restore(self, results: &mut [(usize, FileResult)]) {
        let mut kept = self.0.into_inner().unwrap_or_else(|p| p.into_inner());
        for (i, r) in results.iter_mut() {
            if let Some(first) = kept.remove(i) {
                *r = first;
            }
        }
    }
}

/// The results of the files read again in a round, by file, with what
/// the summaries told them: the rounds run again once more files are
/// parsed.
#[derive(Default)]
struct ReadAgainMemo(std::sync::Mutex<HashMap<usize, Vec<(ProjectSources, FileResult)>>>);

impl ReadAgainMemo {
    /// A result of the file told the same sources, and the same about
    /// every method its analysis asked whether it hands on an argument:
    /// the analysis asks nothing else, so it would go the same way.
    fn get(&self, i: usize, told: &ProjectSources) -> Option<FileResult> {
        let memo = self.0.lock().ok()?;
        memo.get(&i)?
            .iter()
            .find(|(before, r)| {
                before.by_key == told.by_key
                    && r.asks
                        .iter()
                        .all(|k| before.passes.get(k) == told.passes.get(k))
            })
            .map(|(_, r)| r.clone())
    }

    fn put(&self, i: usize, told: ProjectSources, result: &FileResult) {
        if let Ok(mut memo) = self.0.lock() {
            memo.entry(i).or_default().push((told, result.clone()));
        }
    }
}

/// The project's own members that hand out a followed value, from every
/// file in scope or not (a helper may live anywhere). The files that name
/// one are read again, reporting those members' uses; what they record
/// does not depend on what they are told, so the next resolution learns
/// nothing new and the rounds end. `names` gains every source found on
/// the way.
fn follow_helpers(
    results: &mut [(usize, FileResult)],
    files: &[RepoFile],
    (reuse, parse, memo, firsts): (&cached::Reuse<'_>, &[Parse], &ReadAgainMemo, &FirstReadings),
    c: &Compiled,
    mut rounds: Option<&mut snapshot::Rounds>,
    names: &mut HashSet<NamedMember>,
) -> ProjectSources {
    let mut sources = ProjectSources::default();
    if let Some(rounds) = rounds.as_deref_mut() {
        rounds.record(results);
    }
    for _ in 0..MAX_SUMMARY_ROUNDS {
        let learnt = summary::resolve(results.iter().flat_map(|(_, r)| &r.facts), c);
        names.extend(learnt.named_members());
        let read_again = learnt.learnt_since(&sources);
        // New methods handing on an argument matter only through new
        // sources: the same sources mean nothing more to report.
        if read_again.is_empty() || (learnt.by_key == sources.by_key && !sources.is_empty()) {
            break;
        }
        sources = learnt;
        results
            .par_iter_mut()
            .filter(|(_, r)| read_again.wants(&r.names, r.has_followed_call))
            .for_each_init(java::JavaParser::new, |parser, (i, r)| {
                // Given only what it names, the file's result depends on
                // nothing else the summaries learnt.
                let told = sources.restricted_to(&r.names);
                // A file the triggers sent to the parser goes there again
                // without their scan.
                let mode = if r.inert { parse[*i] } else { Parse::Always };
                let again = memo.get(*i, &told).unwrap_or_else(|| {
                    let again = reuse.analyze(&files[*i], parser, (&told, mode), r.content_key);
                    memo.put(*i, told, &again);
                    again
                });
                firsts.keep(*i, r);
                r.take_reading(again);
            });
        if let Some(rounds) = rounds.as_deref_mut() {
            rounds.sources.push(sources.clone());
            rounds.record(results);
        }
    }
    sources
}

/// The name hashes of the static members the findings' values go into,
/// of the accessors a field may have, and of their classes.
fn fed_names(results: &[(usize, FileResult)]) -> HashSet<u64> {
    results
        .iter()
        .flat_map(|(_, r)| &r.findings)
        .flat_map(|f| &f.members.feeds)
        .flat_map(|k| {
            let class = summary::class_name(k);
            summary::reading_names(k)
                .into_iter()
                .chain([summary::named_class(class)])
        })
        .map(|name| summary::name_hash(&name))
        .collect()
}

/// Whether a Java file is a main class a pom names: its `main()` starts
/// the application, unless it ends the process when its work is done
/// (`one_shot`: such programs' paths), as a tool the build packs beside
/// the service does (Helix' `helix-admin` beside its controller).
fn starts_application(main_classes: &[String], one_shot: &HashSet<&str>, path: &str) -> bool {
    !one_shot.contains(path) && is_main_class(main_classes, path)
}

/// The classes the poms name as `<mainClass>` of what starts a module
/// (not `exec-maven-plugin`'s), as paths below a source root
/// (`com/acme/Main`), worked out once: a property's value
/// (`${main.class}`) as any pom's context gives it (a module inheriting
/// the plugin sets it).
fn main_class_paths(project: &Project) -> Vec<String> {
    class_paths(project, project.poms.iter().flat_map(|p| &p.main_classes))
}

/// The classes `exec-maven-plugin` runs from the build (a step of a
/// phase, a developer's `mvn exec:java`), as paths below a source root.
fn build_program_paths(project: &Project) -> Vec<String> {
    let exec = project
        .poms
        .iter()
        .flat_map(|p| &p.plugins)
        .filter(|pl| pl.artifact() == "exec-maven-plugin")
        .flat_map(|pl| &pl.main_classes);
    class_paths(project, exec)
}

/// Classes named in poms (a property's value as any pom's context gives
/// it) as paths below a source root (`com/acme/Main`).
fn class_paths<'p>(project: &Project, classes: impl Iterator<Item = &'p String>) -> Vec<String> {
    let mut paths: Vec<String> = classes
        .flat_map(|main| {
            if main.contains("${") {
                (0..project.poms.len())
                    .filter_map(|i| project.interpolate(i, main))
                    .collect()
            } else {
                vec![main.clone()]
            }
        })
        .map(|main| main.replace('.', "/"))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
}

/// Whether a Java file is a main class a pom names (`main_classes`, from
/// [`main_class_paths`]).
fn is_main_class(main_classes: &[String], path: &str) -> bool {
    let Some(class_path) = path.strip_suffix(".java") else {
        return false;
    };
    main_classes.iter().any(|main| {
        class_path
            .strip_suffix(main.as_str())
            .is_some_and(|dir| dir.is_empty() || dir.ends_with('/'))
    })
}

/// The packages of a logging facade's dialects other than its SLF4J one,
/// with why they do not run, when a service list of the main resources
/// names the SLF4J dialect first (`META-INF/services/…LogFactory` listing
/// `….dialect.slf4j.Slf4jLogFactory`, as hutool's facade and its copies
/// do, taking the first available): the dialects are the packages beside
/// it (`….dialect.log4j2`, `….dialect.jdk`), and SLF4J is on every Spring
/// Boot application's classpath.
fn fallback_dialects(files: &[RepoFile], packages: &HashSet<&str>) -> HashMap<String, String> {
    let mut dialects = HashMap::new();
    for list in files
        .iter()
        .filter(|f| !f.is_test && f.rel.contains("src/main/resources/META-INF/services/"))
    {
        let Ok(text) = std::fs::read_to_string(&list.abs) else {
            continue;
        };
        let first = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or_default().trim())
            .find(|l| !l.is_empty());
        let Some((parent, "slf4j")) = first
            .and_then(|entry| entry.rsplit_once('.'))
            .and_then(|(package, _)| package.rsplit_once('.'))
        else {
            continue;
        };
        for package in packages {
            let Some(dialect) = package
                .strip_prefix(parent)
                .and_then(|rest| rest.strip_prefix('.'))
                .filter(|d| !d.is_empty() && !d.contains('.') && *d != "slf4j")
            else {
                continue;
            };
            dialects.entry(package.to_string()).or_insert_with(|| {
                format!(
                    "in the {dialect} dialect of a logging facade whose service list {} names its SLF4J dialect first: it runs only where SLF4J is missing (every Spring Boot application has it)",
                    list.rel
                )
            });
        }
    }
    dialects
}

/// Whether a Java source is named as a logging facade's dialect: its class
/// ends with `Logger`, `LoggerFactory`, `Log` or `LogFactory` (Netty's
/// `JdkLogger`, `Log4J2LoggerFactory`; not a `LogUtil`).
fn names_a_dialect(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".java").is_some_and(|class| {
        ["Logger", "LoggerFactory", "Log", "LogFactory"]
            .iter()
            .any(|suffix| class.ends_with(suffix))
    })
}

/// Lookups that go only into static members take the worst level of those
/// members' uses. Which files name such a member matters too: a file
/// naming one where no use was reported may read it in a way resolution
/// does not see.
fn settle_static_members(
    results: &mut [(usize, FileResult)],
    files: &[RepoFile],
    sources: &ProjectSources,
) {
    let fed = fed_names(results);
    let mut files_naming: HashMap<u64, Vec<String>> = HashMap::new();
    for (i, r) in results.iter() {
        for h in r.names.iter().filter(|h| fed.contains(h)) {
            files_naming
                .entry(*h)
                .or_default()
                .push(files[*i].rel.clone());
        }
    }
    // Whether a main source declares `extends Class`: read from the files
    // themselves (one without the rules' words is never parsed), once per
    // class and only when a lowering depends on it.
    let extended: std::cell::RefCell<HashMap<String, bool>> = Default::default();
    let subclassed = |class: &str| {
        *extended
            .borrow_mut()
            .entry(class.to_string())
            .or_insert_with(|| {
                let needle = format!("extends {class}");
                files
                    .iter()
                    .filter(|f| f.kind == FileKind::Java && !f.is_test)
                    .filter_map(|f| std::fs::read(&f.abs).ok())
                    .any(|bytes| {
                        let text = String::from_utf8_lossy(&bytes);
                        text.match_indices(&needle).any(|(at, _)| {
                            !text[at + needle.len()..]
                                .starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$')
                        })
                    })
            })
    };
    // Whether a file naming a member's class can mean that class: it is
    // in the class's package, imports it or names it in full. Read only
    // for the files a lowering depends on; a nested class's is assumed.
    let by_rel: HashMap<&str, &RepoFile> = files.iter().map(|f| (f.rel.as_str(), f)).collect();
    let sees_class_of = |path: &str, key: &str| {
        let member = key.strip_suffix("()").unwrap_or(key);
        let mut parts = member.rsplitn(3, '.');
        let (Some(_), Some(class), Some(package)) = (parts.next(), parts.next(), parts.next())
        else {
            return true;
        };
        let nested = package
            .rsplit('.')
            .next()
            .is_some_and(|p| p.starts_with(|c: char| c.is_ascii_uppercase()));
        let Some(file) = by_rel
            .get(path)
            .filter(|f| f.kind == FileKind::Java && !nested)
        else {
            return true;
        };
        std::fs::read(&file.abs).map_or(true, |bytes| {
            let text = String::from_utf8_lossy(&bytes);
            unreferenced::declared_package(&text).is_none_or(|p| p == package)
                || unreferenced::sees_class(&text, package, class)
        })
    };
    summary::settle_static_feeds(
        results.iter_mut().flat_map(|(_, r)| r.findings.iter_mut()),
        sources,
        &files_naming,
        &subclassed,
        &sees_class_of,
    );
}

/// What a Java file's own analysis says that lowers its findings: what it
/// hands JUL's logs to, the logging API it plugs into, the classes its
/// beans need, whether it is written for Kubernetes.
#[derive(Default, Clone, Copy)]
struct FileFacts<'a> {
    /// The file is a bridge that hands JUL's records to SLF4J.
    bridge: bool,
    /// The file installs SLF4J's bridge for JUL (`SLF4JBridgeHandler`).
    installs_jul_bridge: bool,
    /// The repository's factories (in full) that give every JUL logger
    /// of the file, all handing out loggers that log through SLF4J.
    jul_factory: Option<&'a str>,
    /// The library types the file is a plugin of.
    plugin_of: &'a [String],
    /// The classes without which the file's beans are not made.
    requires_classes: &'a [String],
    /// The file is written for Kubernetes.
    for_kubernetes: bool,
}

/// The type of `types` in the API of a legacy-API finding's `detail` (the
/// package of the rule's `java-import` matcher holding both).
fn same_api<'p>(rule: &podready_rules::Rule, detail: &str, types: &'p [String]) -> Option<&'p str> {
    let under = |fqn: &str, package: &str| {
        fqn.strip_prefix(package)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    let api = rule
        .matchers
        .iter()
        .filter_map(|m| match m {
            podready_rules::Matcher::JavaImport(m) => Some(&m.packages),
            _ => None,
        })
        .flatten()
        .filter(|p| under(detail, p))
        .max_by_key(|p| p.len())?;
    types.iter().find(|t| under(t, api)).map(String::as_str)
}

/// What lowers a finding because of where it is: a developer profile's
/// configuration or a base value every deployed profile sets again
/// (`developer_profile`), a configuration file
/// named as an example or a template, or outside every module in a test
/// harness or a Compose stack, a file outside every module (for the rules
/// with an `outside_modules` level), the project's own logging code (for
/// the rules with a `logging_code` level), a Java source no module
/// compiles, a module no pod runs, a value only a client library missing
/// from the classpath reads (host rules), an adapter module (`adapter`), a
/// legacy logging API every application running the file routes to
/// logback (`bridged`), a command-line tool or a command-line entry point
/// that does not start an application (`command_line`), code that never
/// runs (`never_runs`), code that runs once, at start (`start_up`). The
/// first that applies gives the level and the reason.
struct PlaceLowering<'a> {
    deployment: &'a deployed::Deployment,
    project: &'a Project,
    c: &'a Compiled,
    rules: HashMap<&'a str, &'a podready_rules::Rule>,
    logging_packages: HashSet<String>,
    /// The packages of logging code extending a logging framework
    /// (`FileResult::extends_logging_framework`).
    framework_logging_packages: HashSet<String>,
    /// By package: why a logging facade's dialect runs only without SLF4J
    /// ([`fallback_dialects`]).
    fallback_dialects: HashMap<String, String>,
    /// The packages of the project's logging code holding a source that
    /// logs through SLF4J: a facade with an SLF4J dialect (Netty's
    /// `io.netty.util.internal.logging`).
    slf4j_facades: HashSet<String>,
    /// By module and logging bridge: how the API reaches logback there.
    routes: std::cell::RefCell<HashMap<(usize, usize), Option<String>>>,
    /// By module: why logback never reads its configuration.
    unbound: std::cell::RefCell<HashMap<usize, Option<String>>>,
    /// By module: the artifactIds its applications' classpath holds
    /// ([`deployed::Deployment::classpath_artifacts`]).
    classpaths: std::cell::RefCell<HashMap<usize, Option<HashSet<&'a str>>>>,
    /// What the repository's code and configuration name of keys, read
    /// when a key is first found unread by its libraries.
    named_keys: std::cell::OnceCell<key_readers::NamedKeys>,
    profiles: profiles::ProfileOverrides<'a>,
    files: &'a [RepoFile],
    max_file_size: u64,
    /// See [`start_lines::replaced`]; read when a finding asks.
    replaced: std::cell::OnceCell<start_lines::Replacements>,
    /// By module: the engine that loads it as a plugin, as said in a
    /// finding's reason.
    plugins: std::cell::OnceCell<HashMap<usize, String>>,
    /// By module: the file making its application start no web server,
    /// and how.
    without_web_server: HashMap<usize, (String, String)>,
    /// The addresses Compose files give their services, with where; read
    /// when a finding asks.
    compose_addresses: std::cell::OnceCell<HashMap<String, String>>,
    /// The programs whose `main()` ends the process when done.
    one_shot: &'a HashSet<&'a str>,
    /// The classes the poms name as `<mainClass>` ([`main_class_paths`]).
    main_classes: &'a [String],
    /// The poms that build nothing, when Maven cannot build the root's
    /// reactor and another build does ([`unbuilt_poms`]).
    unbuilt_poms: Option<UnbuiltPoms>,
    root: &'a Path,
    /// The classes `exec-maven-plugin` runs ([`build_program_paths`]).
    build_programs: Vec<String>,
    /// See [`PlaceLowering::maven_profiles_passed`].
    maven_profiles: std::cell::OnceCell<HashSet<String>>,
}

impl PlaceLowering<'_> {
    /// [`command_level`] of a finding at `path`.
    fn command_level(
        &self,
        rule: &podready_rules::Rule,
        path: &str,
        commands_own: bool,
    ) -> Option<Severity> {
        command_level(rule, commands_own, || {
            command_program_applies(self.deployment, self.project, path)
        })
    }

    /// Whether a Java source is a class some module's build names as its
    /// `<mainClass>`: its `main()` starts an application, not a tool.
    fn starts_application(&self, path: &str) -> bool {
        starts_application(self.main_classes, self.one_shot, path)
    }

    /// Why the configuration value at `line` of `path` is read by nothing:
    /// its keys belong to a client library no application holding the
    /// file's module has on its classpath ([`key_readers`]).
    fn unread_key(&self, path: &str, line: usize) -> Option<String> {
        let keys = self.profiles.keys_at(path, line);
        if keys.is_empty() {
            return None;
        }
        // A file in the module's jar: the application holding the module
        // reads it (a configuration center's file may be any one's).
        let module = self.deployment.module_of(path)?;
        let dir = self.project.poms[module]
            .path
            .rsplit_once('/')
            .map_or("", |(d, _)| d);
        let in_jar = path
            .strip_prefix(dir)
            .map(|rest| rest.trim_start_matches('/'))
            .is_some_and(|rest| rest.starts_with("src/main/resources/"));
        if !in_jar {
            return None;
        }
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let libraries = {
            let mut classpaths = self.classpaths.borrow_mut();
            let artifacts = classpaths
                .entry(module)
                .or_insert_with(|| self.deployment.classpath_artifacts(module, self.project))
                .as_ref()?;
            key_readers::unread(&self.c.client_keys, &keys, artifacts.iter().copied())
        };
        // Its own code (`@Value("${spring.redis.host}")`) or another key's
        // placeholder may read it all the same.
        let named = || {
            self.named_keys
                .get_or_init(|| key_readers::NamedKeys::of(self.files, self.max_file_size))
        };
        if let Some(libraries) = libraries {
            return (!keys.iter().any(|k| named().names(k))).then(|| {
                format!(
                    "read by nothing: no dependency where {} runs is {}, which reads `{}`",
                    self.project.poms[module].artifact(),
                    libraries.join(" or "),
                    keys.join("`, `"),
                )
            });
        }
        // A key in the project's own namespace only the project's code
        // can read.
        let group = self.project.poms[module].effective_group();
        let namespace = own_namespace(&keys, group)?;
        (!keys.iter().any(|k| named().names_own(k))).then(|| {
            format!(
                "read by nothing: `{namespace}` is the project's own namespace ({group}), and no code or configuration of the repository names `{}` or a prefix of it",
                keys.join("`, `"),
            )
        })
    }

    /// Why a library's log4j configuration file is only its hosts' choice:
    /// the library ships a logback counterpart beside it, named alike
    /// (`log4j2_zms_client.xml` and `logback_zms_client.xml`,
    /// `nacos-log4j2.xml` and `nacos-logback.xml`) or in a folder so named
    /// (`log4j2/log-conf.xml` and `logback/log-conf.xml`), and loads the one of
    /// the backend the application taking it logs through.
    fn logback_counterpart(&self, path: &str) -> Option<String> {
        const BACKENDS: [&str; 2] = ["log4j2", "log4j"];
        let (dir, name) = path.rsplit_once('/')?;
        let exists = |rel: &str| self.files.iter().any(|f| f.rel == rel);
        let lower = name.to_ascii_lowercase();
        let by_name = BACKENDS
            .iter()
            .find_map(|word| lower.find(word).map(|at| (at, word.len())))
            .and_then(|(at, len)| {
                let named = format!("{}logback{}", &name[..at], &name[at + len..]);
                let as_xml = named
                    .rsplit_once('.')
                    .map(|(stem, _)| format!("{stem}.xml"));
                std::iter::once(named)
                    .chain(as_xml)
                    .find(|candidate| exists(&format!("{dir}/{candidate}")))
            });
        // Or in a folder named for the backend beside a `logback` one
        // holding the same name (SOFABoot's `log/log4j2/log-conf.xml`).
        let by_folder = || {
            let (parent, folder) = dir.rsplit_once('/')?;
            BACKENDS
                .contains(&folder.to_ascii_lowercase().as_str())
                .then(|| format!("{parent}/logback/{name}"))
                .filter(|rel| exists(rel))
                .map(|_| format!("logback/{name}"))
        };
        let counterpart = by_name.or_else(by_folder)?;
        let module = self.deployment.module_of(path)?;
        if self.project.application_kind(module).is_some() {
            return None;
        }
        Some(format!(
            "beside {counterpart}, its logback counterpart, in the library {}: the application taking it loads the file of its own backend",
            self.project.poms[module].artifact()
        ))
    }

    /// Where a Compose file of the repository gives one of its services
    /// the address a finding saw (`ipv4_address: 172.18.0.3`), for a file
    /// no module's jar packs (a sources folder's aside): configuration
    /// written for that Compose stack, whose network no pod joins.
    fn compose_address(&self, path: &str, address: &str) -> Option<&str> {
        if path.split('/').any(|folder| folder == "src") {
            return None;
        }
        let addresses = self.compose_addresses.get_or_init(|| {
            let mut addresses = HashMap::new();
            let mut compose_files: Vec<&str> = self.deployment.compose_files().collect();
            compose_files.sort_unstable();
            for rel in compose_files {
                let Some(text) = self
                    .files
                    .iter()
                    .find(|f| f.rel == rel)
                    .and_then(|f| read_text(f, self.max_file_size).ok())
                else {
                    continue;
                };
                for (n, line) in text.text.lines().enumerate() {
                    let Some(value) = ["ipv4_address:", "ipv6_address:"]
                        .iter()
                        .find_map(|key| line.trim_start().strip_prefix(key))
                    else {
                        continue;
                    };
                    let value = value.split(" #").next().unwrap_or_default();
                    let value = value.trim().trim_matches(['"', '\'']);
                    addresses
                        .entry(value.to_string())
                        .or_insert_with(|| format!("{rel}:{}", n + 1));
                }
            }
            addresses
        });
        addresses.get(address).map(String::as_str)
    }

    /// How the legacy logging API a finding saw (`detail`) reaches logback
    /// in every application running the path's module, worked out once
    /// per module and API.
    fn bridged(&self, path: &str, detail: &str) -> Option<String> {
        let bridge = self
            .c
            .logging_routes
            .bridges
            .iter()
            .position(|b| b.covers(detail))?;
        self.routed(path, bridge)
    }

    /// Why the logging backend a finding saw (`` `group:artifact` ``)
    /// writes nothing: a bridge of its API that outranks it routes that API
    /// to logback in every application running the path's module.
    fn outranked(&self, path: &str, detail: &str) -> Option<String> {
        let backend = detail.trim_matches('`');
        let bridges = &self.c.logging_routes.bridges;
        let bridge = bridges
            .iter()
            .position(|b| b.outranks.iter().any(|o| o == backend))?;
        let how = self.routed(path, bridge)?;
        Some(format!(
            "writes nothing: a bridge outranks it as the `{}` API's provider ({how})",
            bridges[bridge].api
        ))
    }

    /// How the API of `bridge` reaches logback in every application
    /// running the path's module, worked out once per module and bridge.
    fn routed(&self, path: &str, bridge: usize) -> Option<String> {
        let routes = &self.c.logging_routes;
        let module = self.deployment.module_of(path)?;
        self.routes
            .borrow_mut()
            .entry((module, bridge))
            .or_insert_with(|| {
                self.deployment
                    .bridged(module, self.project, routes, &routes.bridges[bridge])
            })
            .clone()
    }

    /// Why logback never reads the path's module's configuration, worked
    /// out once per module.
    fn logback_unbound(&self, path: &str) -> Option<String> {
        let module = self.deployment.module_of(path)?;
        self.unbound
            .borrow_mut()
            .entry(module)
            .or_insert_with(|| {
                self.deployment
                    .logback_unbound(module, self.project, &self.c.logging_routes)
            })
            .clone()
    }

    /// What the repository's start files start, set and copy.
    fn replacements(&self) -> &start_lines::Replacements {
        self.replaced.get_or_init(|| {
            start_lines::replaced(
                self.files,
                self.max_file_size,
                self.project,
                self.deployment,
            )
        })
    }

    /// The text of the repository's file at `path`, when it can be read.
    fn text_of(&self, path: &str) -> Option<String> {
        let file = self.files.iter().find(|f| f.rel == path)?;
        read_text(file, self.max_file_size).ok().map(|t| t.text)
    }

    /// Why the dependency a pom declares at `line` of `path` goes into no
    /// package a build of the repository makes: `provided`, when no module
    /// builds a Spring Boot jar (whose repackaging takes those too); or
    /// declared only in a profile that nothing activates — not by default,
    /// by no condition, not named for production, and passed as `-P` by no
    /// script, Dockerfile or CI file of the repository.
    fn unpackaged(&self, path: &str, line: usize) -> Option<String> {
        let pom = self.project.poms.iter().find(|p| p.path == path)?;
        let file = self.files.iter().find(|f| f.rel == path)?;
        let src = read_text(file, self.max_file_size).ok()?;
        let d = pom
            .dependencies
            .iter()
            .find(|d| src.line_of(d.anchor().start) == line)?;
        // Spring Boot's jar packs its own module's `provided` dependencies
        // and those its parents declare, not a library module's (Druid's
        // core beside its Spring Boot `druid-admin`): `provided` is not
        // passed on. Unless it declares the artifact itself (DHIS2's web
        // server, its log4j binding).
        let here = self.project.poms.iter().position(|p| p.path == path)?;
        let boot = (0..self.project.poms.len()).any(|i| {
            self.project.application_kind(i) == Some("Spring Boot")
                && self.project.lineage(i).iter().any(|&p| {
                    p == here
                        || self.project.poms[p].dependencies.iter().any(|o| {
                            o.section == pom::DependencySection::Dependencies
                                && o.artifact() == d.artifact()
                                && o.group() == d.group()
                        })
                })
        });
        if d.scope() == "provided" && !boot {
            return Some(
                "provided: the runtime is to bring it, and no build of the repository packages it (no Spring Boot jar is made of its module, of one inheriting its dependencies or of one declaring it too, which would)".to_string(),
            );
        }
        let at = d.profile?;
        let id = pom.profiles.get(at)?;
        let chosen = pom.active_by_default.contains(&at)
            || pom.activated_by_condition.contains(&at)
            || id.is_empty()
            || named_places::PRODUCTION_PROFILES.contains(&id.as_str())
            || self.maven_profiles_passed().contains(id.as_str());
        (!chosen).then(|| {
            format!("only in the profile `{id}`, which nothing activates: not by default, by no condition, and no script, Dockerfile or CI file of the repository passes `-P{id}`")
        })
    }

    /// The profiles the repository's scripts, Dockerfiles and CI files
    /// pass to Maven (`-Pdist,spark3`, `-P release`), read once.
    fn maven_profiles_passed(&self) -> &HashSet<String> {
        self.maven_profiles.get_or_init(|| {
            let mut passed = HashSet::new();
            let builds = self.files.iter().filter(|f| {
                let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
                start_lines::is_script_name(name)
                    || deployed::is_dockerfile(&f.rel)
                    || matches!(
                        name,
                        "Makefile"
                            | "Jenkinsfile"
                            | ".gitlab-ci.yml"
                            | ".travis.yml"
                            | "azure-pipelines.yml"
                    )
            });
            // GitHub's workflows, which the walk leaves out with `.github/`,
            // as any file read: within the size cap.
            let workflows = std::fs::read_dir(self.root.join(".github/workflows"))
                .into_iter()
                .flatten()
                .flatten()
                .filter(|entry| {
                    entry
                        .metadata()
                        .is_ok_and(|m| m.is_file() && m.len() <= self.max_file_size)
                })
                .filter_map(|entry| std::fs::read_to_string(entry.path()).ok());
            let texts = builds.filter_map(|f| self.text_of(&f.rel)).chain(workflows);
            for text in texts {
                passed.extend(pom::maven_profile_args(&text));
            }
            passed
        })
    }

    /// Why the value at `line` of the configuration file `path` is not what
    /// a pod runs with: a Dockerfile or a manifest sets its key as a system
    /// property on the command line (`-Dbroker.host=${BROKER_ADDR}`), which
    /// the application reads before its file. The start file counts when it
    /// lies in the file's module or in an application holding it; for a
    /// file outside every module that builds something, when it lies
    /// outside them too.
    fn set_as_system_property(&self, path: &str, line: usize) -> Option<String> {
        let keys = self.profiles.keys_at(path, line);
        if keys.is_empty() {
            return None;
        }
        // An application's own start file may not be the one copying a
        // root `config/` file.
        let module = self
            .deployment
            .module_of(path)
            .filter(|&m| self.project.poms[m].packaging() != "pom");
        let holders = module
            .map(|m| self.deployment.applications_holding(m))
            .unwrap_or_default();
        let starts_it = |file: &str| match self.deployment.module_of(file) {
            Some(m) if self.project.poms[m].packaging() != "pom" => {
                Some(m) == module || holders.contains(&m)
            }
            _ => true,
        };
        let replaced = self.replacements();
        keys.iter().find_map(|key| {
            replaced
                .system_property_setters(key)
                .iter()
                .find(|file| starts_it(file))
                .map(|file| {
                    format!("replaced at start: {file} sets `-D{key}`, which comes before the file")
                })
        })
    }

    /// The start file and setting that replace the configuration file
    /// `path` of a module's resources: every command line starting its
    /// application (every application holding it, for a library's
    /// logging configuration that nothing starts itself) points Spring or
    /// the logging framework elsewhere — unless an assembly or an image
    /// ships that very file.
    fn replaced_at_start(&self, path: &str) -> Option<start_lines::Replacement> {
        let what = start_lines::configured_by(path)?;
        let module = self.deployment.module_of(path)?;
        let replaced = self.replacements();
        if self.deployment.is_assembled(path) || replaced.copied(path) {
            return None;
        }
        if replaced.started(module) {
            return replaced.replacing(module, what);
        }
        let holders = self.deployment.applications_holding(module);
        if what == start_lines::Configured::Spring || holders.is_empty() {
            return None;
        }
        let each: Option<Vec<start_lines::Replacement>> = holders
            .iter()
            .map(|&a| replaced.replacing(a, what))
            .collect();
        each.and_then(|e| e.into_iter().next())
    }

    /// The engine that loads the module of `path` as a plugin: its jar
    /// registers a Flink table factory or a Spark data source
    /// (`META-INF/services/org.apache.flink.table.factories.Factory`), or
    /// carries a search server's plugin descriptor
    /// (`plugin-descriptor.properties`, read by Elasticsearch and
    /// OpenSearch when the plugin is installed), so it runs in the engine's
    /// processes, under the engine's logging.
    fn engine_plugin(&self, path: &str) -> Option<&str> {
        const REGISTRIES: [(&str, &str); 6] = [
            ("org.apache.flink.table.factories.Factory", "Flink"),
            ("org.apache.flink.table.factories.TableFactory", "Flink"),
            ("org.apache.spark.sql.sources.DataSourceRegister", "Spark"),
            ("io.trino.spi.Plugin", "Trino"),
            ("io.prestosql.spi.Plugin", "Presto"),
            ("com.facebook.presto.spi.Plugin", "Presto"),
        ];
        let plugins = self.plugins.get_or_init(|| {
            self.files
                .iter()
                .filter(|f| !f.is_test)
                .filter_map(|f| {
                    // The file's name first: most files are not services.
                    let (dir, name) = f.rel.rsplit_once('/')?;
                    let why = if name == "plugin-descriptor.properties" {
                        dir.contains("src/main/").then_some(())?;
                        let engine = search_engine(f, self.max_file_size);
                        format!("in an {engine} plugin (its {name}), which runs in {engine}'s nodes under {engine}'s logging")
                    } else {
                        let (_, engine) = REGISTRIES.iter().find(|(r, _)| *r == name)?;
                        dir.ends_with("src/main/resources/META-INF/services")
                            .then_some(())?;
                        format!("in a {engine} plugin (its jar registers with {engine}), which runs in {engine}'s workers under {engine}'s logging")
                    };
                    Some((self.deployment.module_of(&f.rel)?, why))
                })
                .collect()
        });
        plugins
            .get(&self.deployment.module_of(path)?)
            .map(String::as_str)
    }

    /// Lowers, saying why, the findings of a file in `package` (empty for
    /// files other than Java), with what its own analysis says of it.
    fn lower(&self, findings: &mut Vec<Finding>, package: &str, facts: FileFacts) {
        // Localhost belongs in a developer profile's file: unreported,
        // unless the base configuration activates that profile and no
        // deployment replaces it, when it is what a pod runs with.
        findings.retain(|f| {
            let loopback = self.rules.get(f.rule.as_str()).is_some_and(|r| {
                r.matchers
                    .iter()
                    .any(|m| matches!(m, podready_rules::Matcher::LoopbackService(_)))
            });
            !loopback
                || developer_profile_of_spring_file(&f.path)
                    .is_none_or(|p| self.profiles.runs_by_default(&f.path, p))
        });
        let FileFacts {
            bridge,
            installs_jul_bridge,
            jul_factory,
            plugin_of,
            requires_classes,
            for_kubernetes,
        } = facts;
        let (deployment, project) = (self.deployment, self.project);
        // A file a Compose service binds counts as deployed only outside a
        // developer's stack.
        let shipped = |file: &str| deployment.unshipped_file(file, project).is_none();
        for f in findings {
            let Some(rule) = self.rules.get(f.rule.as_str()) else {
                continue;
            };
            // A file that could not be analysed fails the gate wherever a
            // pod may run it: what it holds is unknown. In a module no pod
            // runs or a browser application's sources, whatever it holds
            // would be info; not a pom, which may say the module is an
            // application.
            if rule.category() == "podready" {
                let elsewhere = || {
                    deployment
                        .not_deployed(&f.path, project)
                        .map(|module| format!("not deployed: {module}"))
                        .or_else(|| deployment.outside_the_jvm(&f.path))
                };
                if let Some(place) = (f.severity > Severity::Info && !f.path.ends_with("pom.xml"))
                    .then(elsewhere)
                    .flatten()
                {
                    f.severity = Severity::Info;
                    f.message
                        .push_str(&format!("; {place}, where what it holds would be info"));
                }
                continue;
            }
            // A developer profile the base configuration activates, which
            // no deployment replaces, is what a pod runs with; a folder a
            // profile active by default copies is what a plain build
            // ships, unless a production profile's build replaces it.
            let profile = || {
                developer_profile(&f.path)
                    .filter(|p| !self.profiles.runs_by_default(&f.path, p))
                    .or_else(|| {
                        developer_profile_folder(&f.path).filter(|p| {
                            !project.profile_active_by_default(p)
                                || project.has_production_profile()
                        })
                    })
            };
            let unbuilt = self
                .unbuilt_poms
                .as_ref()
                .filter(|u| u.paths.contains(&f.path));
            let (level, why) = if let Some(unbuilt) = unbuilt {
                (Severity::Info, unbuilt.why.clone())
            } else if let Some(level) = rule
                .unstarted_script
                .filter(|_| !self.replacements().pod_starts_script(&f.path))
            {
                (
                    level,
                    "no Dockerfile, manifest or Compose file of the repository runs this script: a VM's, which the platform's deploy spec replaces".to_string(),
                )
            } else if let Some((level, profile)) = rule
                .developer_profile
                .and_then(|level| profile().map(|p| (level, p)))
            {
                (
                    level,
                    format!("in the `{profile}` profile's configuration, meant for a developer's machine"),
                )
            } else if let Some((level, condition)) = rule.developer_profile.and_then(|level| {
                self.profiles
                    .document_condition(&f.path, f.line)
                    .filter(|c| {
                        developer_condition(c) && !self.profiles.runs_by_default(&f.path, c.trim())
                    })
                    .map(|c| (level, c))
            }) {
                (
                    level,
                    format!("in the document for the `{condition}` profile, meant for a developer's machine"),
                )
            } else if let Some((level, profile)) = rule
                .developer_profile
                .and_then(|level| ci_profile(&f.path).map(|p| (level, p)))
                .filter(|(_, p)| !self.profiles.may_run_with(p))
            {
                (
                    level,
                    format!("in the `{profile}` profile's configuration, meant for the CI build's tests"),
                )
            } else if let Some((level, ci)) = rule
                .developer_profile
                .filter(|_| !f.path.ends_with(".java"))
                .and_then(|level| ci_folder(&f.path).map(|c| (level, c)))
            {
                (
                    level,
                    format!("in a folder kept for the `{ci}` CI build, whose tests read it"),
                )
            } else if let Some((level, why)) = rule.developer_profile.and_then(|level| {
                let emptied_counts = rule.category() != "host";
                self.profiles
                    .overridden(&f.path, f.line, emptied_counts)
                    .or_else(|| {
                        self.profiles
                            .shadowed_by_properties(&f.path, f.line, emptied_counts)
                    })
                    .or_else(|| self.profiles.mounted_over(&f.path, f.line, &shipped))
                    .or_else(|| self.profiles.not_activated(&f.path))
                    .map(|why| (level, why))
            }) {
                (level, why)
            } else if let Some((level, why)) = rule.developer_profile.and_then(|level| {
                f.profile_sections
                    .as_ref()
                    .and_then(|s| self.profiles.only_in_sections(s))
                    .map(|why| (level, why))
            }) {
                (level, why)
            } else if let Some((level, why)) = rule.environment_default.and_then(|level| {
                self.profiles
                    .environment_replaced(&f.path, f.line, f.column)
                    .or_else(|| self.profiles.set_in_pods(&f.path, f.line))
                    .or_else(|| self.set_as_system_property(&f.path, f.line))
                    .map(|why| (level, why))
            }) {
                (level, why)
            } else if is_resource_bundle(&f.path) {
                (
                    Severity::Info,
                    "in a resource bundle of texts for people, which configures nothing"
                        .to_string(),
                )
            } else if let Some(folder) = maven_site_folder(&f.path) {
                (
                    Severity::Info,
                    format!(
                        "in {folder}/, the project's web site pages: documentation no artifact holds"
                    ),
                )
            } else if xdoc_page(&f.path, || self.text_of(&f.path)) {
                (
                    Severity::Info,
                    "a page of documentation (xdoc: its root is <document>) that a build renders to HTML; nothing reads it as configuration".to_string(),
                )
            } else if let Some(folder) = developer_support_folder(&f.path).filter(|folder| {
                // A module of its own there that an application holds runs.
                !(deployment.in_an_application(&f.path)
                    && deployment
                        .module_dir(&f.path, project)
                        .is_some_and(|dir| is_at_or_under(dir, folder)))
            }) {
                (
                    Severity::Info,
                    format!("in {folder}/, the developers' own tooling (installers, a developer's cluster), which no pod runs"),
                )
            } else if notebook_file(&f.path, || self.text_of(&f.path)) {
                (
                    Severity::Info,
                    "a notebook's paragraphs (Zeppelin's, Jupyter's), which an analyst runs; no application loads it".to_string(),
                )
            } else if let Some(folder) = editor_notes_folder(&f.path) {
                (
                    Severity::Info,
                    format!("in {folder}/, an editor's own notes, which configure nothing"),
                )
            } else if let Some(folder) = build_logic_folder(&f.path) {
                (
                    Severity::Info,
                    format!("in {folder}/, Gradle's build logic, which runs when the project is built, not in a pod"),
                )
            } else if let Some(kind) = example_file(&f.path) {
                (
                    Severity::Info,
                    format!("{kind} file, which no application loads"),
                )
            } else if let Some((engine, folder)) = (!f.path.ends_with(".java"))
                .then(|| engine_configuration_folder(&f.path))
                .flatten()
            {
                (
                    Severity::Info,
                    format!("in {folder}/, {engine}'s configuration, which {engine}'s own processes read"),
                )
            } else if test_logging_file(&f.path) && !self.replacements().copied(&f.path) {
                (
                    Severity::Info,
                    "a logging configuration named for the tests, outside the folders a jar takes"
                        .to_string(),
                )
            } else if tool_logging_file(&f.path) && !self.replacements().copied(&f.path) {
                (
                    Severity::Info,
                    "a logging configuration named for a command-line tool, which the tool's launcher loads: the tool prints for the person running it".to_string(),
                )
            } else if api_description_file(&f.path, || self.text_of(&f.path)) {
                (
                    Severity::Info,
                    "in an HTTP API's description (OpenAPI, Swagger), whose examples document requests; no application connects to them".to_string(),
                )
            } else if let Some(engine) = engine_logging_file(&f.path) {
                (
                    Severity::Info,
                    format!("a logging configuration named for {engine}, which {engine}'s own processes read"),
                )
            } else if let Some(resources) = project_template_folder(&f.path) {
                (
                    Severity::Info,
                    format!("in a project template under {resources}/, which a code generator copies for a new project; no application loads it"),
                )
            } else if code_generator_file(&f.path) {
                (
                    Severity::Info,
                    "a code generator's configuration, which a developer or the build runs to write sources".to_string(),
                )
            } else if let Some(folder) = (rule.category() == "host")
                .then(|| mock_data_folder(&f.path))
                .flatten()
            {
                (
                    Severity::Info,
                    format!("mock data in {folder}/, which stands in for real responses and connects nowhere"),
                )
            } else if let Some(why) = deployment
                .unshipped_file(&f.path, project)
                .or_else(|| deployment.for_another_platform(&f.path))
                .or_else(|| deployment.outside_the_jvm(&f.path))
            {
                (Severity::Info, why)
            } else if let Some(level) = rule.kubernetes_code.filter(|_| for_kubernetes) {
                (
                    level,
                    "in code written for Kubernetes (it uses the Kubernetes API or reads a variable only a pod has, `POD_NAME`): there the host name is the pod's own name, which that code means".to_string(),
                )
            } else if let Some(pinned) = (f.rule == "host/hardcoded-ip")
                .then(|| self.compose_address(&f.path, &f.detail))
                .flatten()
            {
                (
                    Severity::Info,
                    format!("an address {pinned} gives a Compose service: configuration for that Compose stack, whose network no pod joins"),
                )
            } else if let Some(why) = deployment.shadowed(&f.path, project) {
                (Severity::Info, why)
            } else if let Some(why) = rule
                .matchers
                .iter()
                .any(|m| matches!(m, podready_rules::Matcher::LogbackAppender(_)))
                .then(|| self.logback_unbound(&f.path))
                .flatten()
            {
                (Severity::Info, why)
            } else if let Some((script, setting)) = self.replaced_at_start(&f.path) {
                (
                    Severity::Info,
                    format!(
                        "not loaded: {script} starts it with `{setting}` pointing outside the jar"
                    ),
                )
            } else if let Some((level, why)) = rule
                .never_runs
                .filter(|_| rule.category() == "logging")
                .zip(self.fallback_dialects.get(package))
            {
                (level, why.clone())
            } else if let Some(level) = rule
                .adapter
                .filter(|_| self.slf4j_facades.contains(package) && names_a_dialect(&f.path))
            {
                (
                    level,
                    format!("in a dialect of the project's logging facade (package {package}), beside its SLF4J one: the facade logs through the backend the application has, and SLF4J is on every Spring Boot application's classpath"),
                )
            } else if let Some(level) = rule.bridged.filter(|_| bridge) {
                (
                    level,
                    "in a bridge to SLF4J: a `java.util.logging` handler that logs the records it takes through SLF4J, to logback".to_string(),
                )
            } else if let Some(level) = rule.bridged.filter(|_| {
                installs_jul_bridge
                    && matches!(
                        f.detail.as_str(),
                        "java.util.logging.LogManager" | "java.util.logging.Handler"
                    )
            }) {
                (
                    level,
                    "where SLF4J's bridge for `java.util.logging` is installed (`SLF4JBridgeHandler`): JUL's manager and handlers are taken there to clear JUL's own handlers, so that its records go to logback".to_string(),
                )
            } else if let Some((level, factory)) = rule
                .bridged
                .zip(jul_factory)
                .filter(|_| f.detail == "java.util.logging.Logger")
            {
                (
                    level,
                    format!("its loggers come from {factory}, which hands out loggers that log through SLF4J, to logback, once SLF4J has a binding"),
                )
            } else if let Some(level) = rule
                .logging_code
                .filter(|_| self.logging_packages.contains(package))
            {
                (
                    level,
                    format!("in the project's own logging code (package {package}), which cannot log through itself"),
                )
            } else if let Some(level) = rule
                .log_layout
                .filter(|_| self.framework_logging_packages.contains(package))
            {
                (
                    level,
                    format!("in a package of the project's extensions of a logging framework (package {package}: its layouts, converters, appenders): what it finds goes into log lines, to say which machine wrote them"),
                )
            } else if let Some((level, class)) = rule
                .console_class
                // Not a class a framework makes (`@RestController DebugController`).
                .filter(|_| f.owner.as_ref().is_some_and(|o| o.class_runs_when_named))
                .and_then(|level| console_class(&f.path).map(|c| (level, c)))
            {
                (
                    level,
                    format!("in {class}, a class named for the console or for debugging: printing is its job, and a person picks it"),
                )
            } else if let Some((level, why)) = rule.console_class.zip(f.debugging.as_ref()) {
                (level, why.clone())
            } else if let Some(aggregator) = deployment.uncompiled_source(&f.path, project) {
                (
                    Severity::Info,
                    format!("not compiled: its nearest pom, {aggregator}, is an aggregator"),
                )
            } else if let Some((module, pattern)) = deployment.jar_excluded(&f.path, project) {
                (
                    Severity::Info,
                    format!("not packaged: {module}'s jar plugin leaves it out (`<exclude>{pattern}</exclude>`)"),
                )
            } else if let Some((module, folder)) = deployment.example_resource(&f.path, project) {
                (
                    Severity::Info,
                    format!("an example in {module}'s resources (`{folder}/`): what a person or a quick start copies, not the service's configuration"),
                )
            } else if let Some(module) = deployment.unpackaged_resource(&f.path, project) {
                (
                    Severity::Info,
                    format!("not packaged: outside the resource folders {module}'s jar takes"),
                )
            } else if let Some((module, folders)) =
                deployment.outside_source_folders(&f.path, project)
            {
                (
                    Severity::Info,
                    format!("not compiled: outside the folders {module} compiles ({folders})"),
                )
            } else if let Some((level, aggregator)) = rule.outside_modules.and_then(|level| {
                // A file a Compose service binds is what it runs with.
                deployment
                    .outside_modules(&f.path, project)
                    .filter(|_| !self.profiles.mounted_file(&f.path, &shipped))
                    .map(|a| (level, a))
            }) {
                (
                    level,
                    format!("outside every module: its nearest pom, {aggregator}, is an aggregator, and no artifact ships it"),
                )
            } else if let Some((module, (file, how))) = rule
                .matchers
                .iter()
                .any(|m| matches!(m, podready_rules::Matcher::ListenPort(_)))
                .then(|| deployment.module_of(&f.path))
                .flatten()
                .and_then(|m| Some((project.poms[m].artifact(), self.without_web_server.get(&m)?)))
            {
                (
                    Severity::Info,
                    format!("no web server listens on it: {module} starts its application with {how} ({})", file.rsplit('/').next().unwrap_or(file)),
                )
            } else if let Some(module) = deployment.not_deployed(&f.path, project) {
                (Severity::Info, format!("not deployed: {module}"))
            } else if let Some(why) = (rule.category() == "host")
                .then(|| self.unread_key(&f.path, f.line))
                .flatten()
            {
                (Severity::Info, why)
            } else if deployment
                .module_of(&f.path)
                .is_some_and(|i| is_example_package(package, project.poms[i].artifact()))
            {
                (
                    Severity::Info,
                    format!(
                        "in {package}, a package of examples and demos, not the service's own code"
                    ),
                )
            } else if let Some((level, why)) = rule
                .adapter
                .and_then(|level| self.engine_plugin(&f.path).map(|why| (level, why)))
            {
                (level, why.to_string())
            } else if let Some((level, (module, how))) = rule.adapter.and_then(|level| {
                deployment
                    .adapter(&f.path, project, &self.c.adapter_artifacts)
                    .map(|a| (level, a))
            }) {
                (level, format!("in the adapter module {module} ({how})"))
            } else if let Some((level, why)) = rule
                .adapter
                .filter(|_| rule.category() == "logging" && !f.path.ends_with(".java"))
                .and_then(|level| self.logback_counterpart(&f.path).map(|why| (level, why)))
            {
                (level, why)
            } else if let Some((level, supertype)) =
                rule.adapter.zip(same_api(rule, &f.detail, plugin_of))
            {
                (
                    level,
                    format!("in a plugin of that API (a class of the file extends or implements `{supertype}`, and the file takes no logger from the API): the API calls it where its configuration names it, and code logging through the API is reported where it logs"),
                )
            } else if let Some((level, class)) =
                rule.adapter
                    .zip(same_api(rule, &f.detail, requires_classes))
            {
                (
                    level,
                    format!("in a bean made only where the application has `{class}` (its class's `@ConditionalOnClass` or `@Requires`): it concerns only applications that chose that backend"),
                )
            } else if let Some((level, how)) = rule
                .bridged
                .and_then(|level| self.bridged(&f.path, &f.detail).map(|how| (level, how)))
            {
                (level, how)
            } else if let Some((level, why)) = rule
                .outranked
                .and_then(|level| self.outranked(&f.path, &f.detail).map(|why| (level, why)))
            {
                (level, why)
            } else if let Some((level, why)) = rule
                .unpackaged
                .and_then(|level| self.unpackaged(&f.path, f.line).map(|why| (level, why)))
            {
                (level, why)
            } else if let Some((level, tool)) = rule.command_line.and_then(|level| {
                deployment
                    .command_line_tool(&f.path, project)
                    .map(|t| (level, t))
            }) {
                (level, format!("in the command-line tool {tool}"))
            } else if let Some(tool) = deployment.standalone_command_line_tool(&f.path, project) {
                (
                    Severity::Info,
                    format!("in the command-line tool {tool}, which no application found runs: no pod runs it"),
                )
            } else if let Some(level) = self
                .command_level(rule, &f.path, true)
                .filter(|level| f.severity > *level && is_command_line_package(package))
            {
                (
                    level,
                    format!("in {package}, a command-line interface's package"),
                )
            } else if let Some((level, agent)) = rule
                .command_line
                .and_then(|level| deployment.java_agent(&f.path, project).map(|a| (level, a)))
            {
                (
                    level,
                    format!("in the Java agent {agent}, which the JVM starts before the application's logging"),
                )
            } else if let Some((level, at)) = f
                .command_line
                .and_then(|at| Some((self.command_level(rule, &f.path, at.commands_own())?, at)))
                .filter(|(level, _)| f.severity > *level && !self.starts_application(&f.path))
            {
                (level, at.shown(rule.command_line.is_some()))
            } else if let Some(level) = rule.never_runs.filter(|_| {
                is_main_class(&self.build_programs, &f.path) && !self.starts_application(&f.path)
            }) {
                (
                    level,
                    "in a program exec-maven-plugin runs from the build, which no pod runs"
                        .to_string(),
                )
            } else if let Some((level, why)) = rule.never_runs.zip(f.never_runs.as_ref()) {
                (level, why.clone())
            } else if let Some((level, why)) = rule.start_up.zip(f.start_up.as_ref()) {
                (level, why.clone())
            } else if let Some((level, why)) = rule.also_logged.zip(f.also_logged.as_ref()) {
                (level, why.clone())
            } else {
                continue;
            };
            if f.severity > level {
                f.severity = level;
                f.message.push_str(&format!("; {why}"));
            }
        }
    }
}

/// Whether `rel` is the path `under` or lies below it (`""` is the root).
pub(crate) fn is_at_or_under(rel: &str, under: &str) -> bool {
    under.is_empty()
        || rel
            .strip_prefix(under)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The poms of a repository, read and linked; `sources[i]` and
/// `is_test[i]` belong to `project.poms[i]`.
#[derive(Debug, Clone, Default)]
pub struct PomSet {
    pub project: Project,
    pub sources: Vec<SourceText>,
    pub is_test: Vec<bool>,
    /// Poms that could not be read or parsed.
    pub notes: Vec<Note>,
}

impl PomSet {
    /// The same poms with some texts replaced (by pom index), re-read so
    /// that every span refers to the new text. A replaced text that does
    /// not parse is an error naming the pom and line.
    pub fn with_texts(
        &self,
        texts: &std::collections::BTreeMap<usize, String>,
    ) -> Result<PomSet, pom::PomError> {
        let mut poms = self.project.poms.clone();
        let mut sources = self.sources.clone();
        for (&i, text) in texts {
            poms[i] = Pom::parse(&poms[i].path, text)?;
            let mut source = SourceText::from_string(text.clone(), sources[i].encoding);
            source.bom = sources[i].bom;
            source.cr_lines = sources[i].cr_lines;
            sources[i] = source;
        }
        Ok(PomSet {
            project: Project::new(poms),
            sources,
            is_test: self.is_test.clone(),
            notes: self.notes.clone(),
        })
    }

    /// Test source and resource roots the poms declare
    /// (`<testSourceDirectory>`, `<testResource>`'s `<directory>`: Storm's
    /// `test/resources`). A test resource folder is one only when a part
    /// of its path is named for tests (`test`, `tests`, `test-resources`),
    /// it is inside the module, and no main resource folder holds it or
    /// lies in it: a build may list shipped folders (`conf`, `src`) for its
    /// tests too.
    fn test_roots(&self) -> Vec<String> {
        self.project
            .poms
            .iter()
            .flat_map(|pom| {
                let main_resources: Vec<String> = pom
                    .resource_directories
                    .iter()
                    .filter_map(|r| deployed::module_relative(r))
                    .collect();
                let for_tests = move |dir: &String| {
                    let named = dir.split('/').any(|part| {
                        let part = part.to_ascii_lowercase();
                        part == "test" || part == "tests" || part.starts_with("test-")
                    });
                    let overlaps = main_resources
                        .iter()
                        .any(|r| crate::is_at_or_under(dir, r) || crate::is_at_or_under(r, dir));
                    named && !overlaps && !dir.starts_with("src/main") && !dir.starts_with("..")
                };
                let resources = pom
                    .test_resource_directories
                    .iter()
                    .filter_map(|d| deployed::module_relative(d))
                    .filter(for_tests);
                let base = pom.path.rsplit_once('/').map_or("", |(d, _)| d);
                pom.test_source_directory
                    .as_deref()
                    .and_then(deployed::module_relative)
                    .into_iter()
                    .chain(resources)
                    .filter_map(move |dir| deployed::normalized(base, &dir))
            })
            .collect()
    }
}

/// Reads and links only the poms of a repository (what `fix` needs).
pub fn load_poms(root: &Path, options: &Options) -> Result<PomSet, AnalyzeError> {
    if !root.exists() {
        return Err(AnalyzeError::NotFound(root.to_path_buf()));
    }
    let exclude = walk::glob_set(&options.exclude)?;
    let walked = walk::walk(
        root,
        &walk::Selection {
            exclude: &exclude,
            test_roots: &walk::glob_set(&options.test_roots)?,
            wanted: &|_| false,
        },
        None,
    );
    let pom_files: Vec<&RepoFile> = walked
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Pom)
        .collect();
    Ok(read_poms(&pom_files, options.max_file_size))
}

fn read_poms(files: &[&RepoFile], max: u64) -> PomSet {
    let outcomes: Vec<_> = files
        .par_iter()
        .filter_map(|f| {
            let parsed = match read_text(f, max) {
                // An empty `pom.xml` (a leftover of a moved module) builds
                // nothing and holds nothing to check.
                Ok(src) if src.text.trim().is_empty() => return None,
                Ok(src) => match Pom::parse(&f.rel, &src.text) {
                    Ok(pom) => Ok((pom, src)),
                    Err(e) => Err(note(
                        f,
                        NoteKind::MalformedXml,
                        format!("line {}: {}", e.line, e.message),
                    )),
                },
                Err(n) => Err(n),
            };
            Some((f.is_test, parsed))
        })
        .collect();
    let mut set = PomSet::default();
    let mut poms = Vec::new();
    for (is_test, outcome) in outcomes {
        match outcome {
            Ok((pom, src)) => {
                poms.push(pom);
                set.sources.push(src);
                set.is_test.push(is_test);
            }
            Err(n) => set.notes.push(n),
        }
    }
    set.project = Project::new(poms);
    set
}

/// Simple names of the project's own types: by directory (a package) and
/// by qualified name, guessed from source paths.
struct ProjectTypeIndex {
    by_dir: HashMap<String, HashSet<String>>,
    all: HashSet<String>,
}

impl ProjectTypeIndex {
    fn new(files: &[RepoFile]) -> ProjectTypeIndex {
        let mut by_dir: HashMap<String, HashSet<String>> = HashMap::new();
        let mut all = HashSet::new();
        for f in files.iter().filter(|f| f.kind == FileKind::Java) {
            let (dir, name) = f.rel.rsplit_once('/').unwrap_or(("", &f.rel));
            let stem = name.strip_suffix(".java").unwrap_or(name);
            by_dir
                .entry(dir.to_string())
                .or_default()
                .insert(stem.to_string());
            if let Some(fqn) = source_root_class(&f.rel) {
                all.insert(fqn);
            }
        }
        ProjectTypeIndex { by_dir, all }
    }
}

/// The first word every key of `keys` starts with, when it is a word of
/// the project's groupId other than its first (`mate` of `vip.mate`,
/// `pallas` of `com.vip.pallas`) and each key has more words: keys only
/// the project's own code reads.
fn own_namespace<'k>(keys: &[&'k str], group: &str) -> Option<&'k str> {
    let first = |key: &'k str| key.split_once('.').map(|(word, _)| word);
    let namespace = first(keys.first()?)?;
    let ours = group
        .split('.')
        .skip(1)
        .any(|word| word.eq_ignore_ascii_case(namespace));
    (ours && keys.iter().all(|k| first(k) == Some(namespace))).then_some(namespace)
}

/// Which search server a plugin descriptor is written for: OpenSearch's
/// descriptors name their version key after it (`opensearch.version`);
/// the format is Elasticsearch's otherwise.
fn search_engine(descriptor: &RepoFile, max: u64) -> &'static str {
    let opensearch = read_bytes(descriptor, max)
        .is_ok_and(|b| memchr::memmem::find(&b, b"opensearch.version").is_some());
    if opensearch {
        "OpenSearch"
    } else {
        "Elasticsearch"
    }
}

/// The class a Java file under a `java/` source root declares by its path
/// (`src/main/java/com/acme/Net.java`: `com.acme.Net`).
fn source_root_class(rel: &str) -> Option<String> {
    let i = rel
        .find("/java/")
        .map(|i| i + 6)
        .or_else(|| rel.starts_with("java/").then_some(5))?;
    let path = &rel[i..];
    Some(path.strip_suffix(".java").unwrap_or(path).replace('/', "."))
}

/// By module: the file that turns its application's web server off, and
/// how, where every `main()` starting Spring Boot does (or leaves it to a
/// configuration that does) and no configuration file may turn it on.
fn without_web_server(
    results: &[(usize, FileResult)],
    files: &[RepoFile],
    deployment: &deployed::Deployment,
) -> HashMap<usize, (String, String)> {
    #[derive(Default)]
    struct Said<'r> {
        config_off: Option<(&'r str, &'r str)>,
        config_on: bool,
        mains_off: Vec<(&'r str, &'r str)>,
        mains_left_to_config: bool,
    }
    let mut by_module: HashMap<usize, Said> = HashMap::new();
    for (i, r) in results {
        let (Some(module), Some(said)) = (deployment.module_of(&files[*i].rel), &r.web_server)
        else {
            continue;
        };
        let entry = by_module.entry(module).or_default();
        let rel = files[*i].rel.as_str();
        match said {
            deployed::WebServer::Off(how) => {
                entry.config_off.get_or_insert((rel, how.as_str()));
            }
            deployed::WebServer::On => entry.config_on = true,
            deployed::WebServer::Main(Some(how)) => entry.mains_off.push((rel, how.as_str())),
            deployed::WebServer::Main(None) => entry.mains_left_to_config = true,
        }
    }
    by_module
        .into_iter()
        .filter(|(_, s)| !s.config_on)
        .filter_map(|(module, s)| {
            let (rel, how) = if s.mains_left_to_config {
                s.config_off?
            } else {
                s.mains_off.first().copied().or(s.config_off)?
            };
            Some((module, (rel.to_string(), how.to_string())))
        })
        .collect()
}

/// Stored in the cache with what is empty or false left out.
#[derive(Clone, Serialize, Deserialize)]
struct FileResult {
    #[serde(with = "cached::findings_with_members")]
    findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Note>,
    lines: usize,
    read: bool,
    /// Java only: where the file's members get their values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    facts: Vec<summary::MemberFacts>,
    /// Java only: hashes of the member names the file uses, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    names: Vec<u64>,
    /// Java only: a call the rules follow through helpers is in the file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    has_followed_call: bool,
    /// Java only: the file's package.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    package: String,
    /// Java only: the file declares a logging implementation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    is_logging_code: bool,
    /// Configuration only: the file may configure logging (logback's
    /// configuration found by content, a Spring file setting
    /// `logging.config` or a log file, or taking its settings from a
    /// configuration server).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    configures_logging: bool,
    /// Java only: the file's logging implementation extends a logging
    /// framework's extension point.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    extends_logging_framework: bool,
    /// Java only: the file hands JUL's records to SLF4J
    /// ([`java::JavaOutcome::bridges_to_slf4j`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    bridges_to_slf4j: bool,
    /// Java only: the file installs SLF4J's bridge for java.util.logging
    /// ([`java::JavaOutcome::installs_jul_bridge`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    installs_jul_bridge: bool,
    /// Java only: the file imports SLF4J's logger
    /// ([`java::JavaOutcome::imports_slf4j`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    imports_slf4j: bool,
    /// Java only: the library types the file is a plugin of
    /// ([`java::JavaOutcome::plugin_of`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    plugin_of: Vec<String>,
    /// Java only: the classes without which the file's beans are not made
    /// ([`java::JavaOutcome::requires_classes`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    requires_classes: Vec<String>,
    /// Java only: the file is written for Kubernetes
    /// ([`java::JavaOutcome::for_kubernetes`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    for_kubernetes: bool,
    /// Java only: the classes whose calls give every JUL logger the file
    /// declares ([`java::JavaOutcome::jul_logger_factories`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    jul_logger_factories: Vec<String>,
    /// Java only: the file hands out JUL loggers logging through SLF4J
    /// ([`java::JavaOutcome::routes_jul_to_slf4j`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    routes_jul_to_slf4j: bool,
    /// Java only: the file drives a code generator
    /// ([`java::JavaOutcome::drives_code_generator`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    drives_code_generator: bool,
    /// Java only: the file is a command-line program's
    /// ([`java::JavaOutcome::takes_command_line`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    takes_command_line: bool,
    /// Java only: the file is a desktop program's ([`opens_window`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    opens_window: bool,
    /// Java only: the file sets Spring profiles in code
    /// (`setAdditionalProfiles`, [`profiles::sets_profiles`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    sets_profiles: bool,
    /// Java main code reading lines a user types at the terminal
    /// ([`deployed::reads_terminal`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reads_terminal: bool,
    /// Java main code declaring a `static void main(`: a program of its
    /// own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    declares_main: bool,
    /// Such a program naming what starts an application
    /// ([`deployed::APPLICATION_STARTERS`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    launches_application: bool,
    /// Such a program's `main()` ends with `System.exit(…)`: it stops
    /// once its work is done.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    main_exits: bool,
    /// Java main code: the name of the log4j 2 core plugin it declares
    /// ([`appender::log4j_core_plugin`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    log4j_plugin: Option<String>,
    /// Java main code Spring runs only under a property's value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    conditioned: Vec<java::conditions::ConditionedCode>,
    /// Main code: the packages its component scans reach (a Java
    /// source's annotations, an XML `<context:component-scan>`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scans: Vec<String>,
    /// Main code saying whether its module's application starts a web
    /// server ([`deployed::web_server`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    web_server: Option<deployed::WebServer>,
    /// Java only: the file's classes that may extend an appender class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    appender_subclasses: Vec<appender::Subclass>,
    /// Java only: the methods of other classes the analysis asked whether
    /// they hand on an argument (see `java::JavaOutcome::asks`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    asks: Vec<String>,
    /// Java only: the file was not parsed, naming nothing a rule looks
    /// for ([`Parse::IfNamed`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    inert: bool,
    /// The words of an [`Self::inert`] file, from its first reading (not
    /// kept in the cache: without them the file is read again).
    #[serde(skip)]
    words: Option<prefilter::WordFilter>,
    /// Logback only: uses of appenders whose class no rule lists, as
    /// (rule, class, finding); findings once the class turns out to be
    /// the repository's own subclass of a listed one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    other_appender_uses: Vec<(usize, String, Finding)>,
    /// The key of the content this was made from, when it came through
    /// the cache.
    #[serde(skip)]
    content_key: Option<podready_cache::Key>,
}

impl FileResult {
    /// Takes what a file's reading in a later round says: its findings and
    /// facts, and its questions on top of the earlier ones (their facts
    /// went into what the summaries learnt).
    fn take_reading(&mut self, again: FileResult) {
        self.findings = again.findings;
        self.facts = again.facts;
        self.asks.extend(again.asks);
        self.asks.sort_unstable();
        self.asks.dedup();
        self.content_key = again.content_key;
    }
}

fn note(f: &RepoFile, kind: NoteKind, message: String) -> Note {
    Note {
        path: f.rel.clone(),
        kind,
        message,
    }
}

/// A walked file's text, decoded from its own encoding; a file that is too
/// large, binary or undecodable is a [`Note`] saying so.
pub fn read_text(f: &RepoFile, max: u64) -> Result<SourceText, Note> {
    read_bytes(f, max).and_then(|bytes| decode(f, bytes))
}

/// A file's bytes, unless it is over the size cap or cannot be read.
fn read_bytes(f: &RepoFile, max: u64) -> Result<Vec<u8>, Note> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| note(f, NoteKind::Unreadable, format!("cannot read: {e}"));
    let file = std::fs::File::open(&f.abs).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > max {
        return Err(note(
            f,
            NoteKind::TooLarge,
            format!(
                "{size} bytes, over the {max}-byte limit (raise it with `[check] max_file_size` in podready.toml)"
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // A file growing while it is read stops at the cap.
    file.take(max).read_to_end(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
}

/// [`named_places::release_copy_folder`] of a file, when that folder is
/// no module of the repository's (it holds no build file: Flink's
/// `connectors-hive-1.2.2` module is the team's).
fn release_copy(f: &RepoFile) -> Option<&str> {
    let folder = named_places::release_copy_folder(&f.rel)?;
    let below = f.rel[folder.len()..].matches('/').count();
    let abs = f.abs.ancestors().nth(below)?;
    let module = ["pom.xml", "build.gradle", "build.gradle.kts"]
        .iter()
        .any(|b| abs.join(b).is_file());
    (!module).then_some(folder)
}

/// The line of a file's head that says it is generated (`Generated from
/// MySqlParser.g4 by ANTLR 4.9`, `@generated`, `DO NOT EDIT`), if any.
fn generated_marker(f: &RepoFile) -> Option<String> {
    use std::io::Read;
    const MARKERS: [&str; 6] = [
        "generated by",
        "generated from",
        "@generated",
        "do not edit",
        "autogenerated",
        "auto-generated",
    ];
    let mut head = Vec::new();
    std::fs::File::open(&f.abs)
        .ok()?
        .take(2048)
        .read_to_end(&mut head)
        .ok()?;
    String::from_utf8_lossy(&head)
        .lines()
        .map(|l| l.trim().trim_start_matches(['/', '*', '#', ' ']).trim())
        .find(|l| {
            let lower = l.to_ascii_lowercase();
            MARKERS.iter().any(|m| lower.contains(m))
        })
        .map(|l| l.chars().take(80).collect())
}

/// A file's bytes as text, unless they are not text.
fn decode(f: &RepoFile, bytes: Vec<u8>) -> Result<SourceText, Note> {
    // A NUL byte alone does not make a source or config file binary
    // (UTF-16 is full of them; a stray one in UTF-8 is still text): only
    // NULs in bytes that are neither UTF-16 with its mark nor UTF-8.
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if !utf16 && bytes[..bytes.len().min(8000)].contains(&0) && std::str::from_utf8(&bytes).is_err()
    {
        return Err(note(
            f,
            NoteKind::Binary,
            "not a text file (NUL bytes, and not UTF-8 or UTF-16)".into(),
        ));
    }
    Ok(SourceText::decode_owned(bytes))
}

/// What a file's analysis reads: nothing when no rule looks into it (a
/// file other rules only name, a test file no rule reads), else its bytes
/// or why they could not be had.
fn read_input(f: &RepoFile, c: &Compiled, max: u64) -> Option<Result<Vec<u8>, Note>> {
    c.reads(f.kind, f.is_test).then(|| read_bytes(f, max))
}

/// Whether a Java file is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parse {
    /// Only when it contains something a rule looks for
    /// ([`prefilter::JavaTriggers`]).
    IfNamed,
    /// Always: the summaries need its members.
    Always,
}

fn analyze_file(
    f: &RepoFile,
    c: &Compiled,
    parser: &mut java::JavaParser,
    types: &ProjectTypeIndex,
    (sources, parse): (&ProjectSources, Parse),
    input: Option<Result<Vec<u8>, Note>>,
) -> FileResult {
    let mut result = FileResult {
        findings: Vec::new(),
        notes: Vec::new(),
        lines: 0,
        read: false,
        facts: Vec::new(),
        names: Vec::new(),
        has_followed_call: false,
        package: String::new(),
        is_logging_code: false,
        configures_logging: false,
        extends_logging_framework: false,
        bridges_to_slf4j: false,
        installs_jul_bridge: false,
        imports_slf4j: false,
        plugin_of: Vec::new(),
        requires_classes: Vec::new(),
        for_kubernetes: false,
        jul_logger_factories: Vec::new(),
        routes_jul_to_slf4j: false,
        drives_code_generator: false,
        sets_profiles: false,
        conditioned: Vec::new(),
        scans: Vec::new(),
        reads_terminal: false,
        declares_main: false,
        takes_command_line: false,
        opens_window: false,
        launches_application: false,
        main_exits: false,
        log4j_plugin: None,
        web_server: None,
        appender_subclasses: Vec::new(),
        other_appender_uses: Vec::new(),
        asks: Vec::new(),
        inert: false,
        words: None,
        content_key: None,
    };
    let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
    let mut raw: Vec<RawFinding> = Vec::new();
    matchers::file_name::findings(name, f, c, &mut raw);
    let Some(input) = input else {
        if !raw.is_empty() {
            let src = SourceText::from_string(String::new(), "UTF-8");
            result.findings = finish(&f.rel, &src, raw, c);
        }
        return result;
    };
    let src = match input.and_then(|bytes| decode(f, bytes)) {
        Ok(s) => s,
        Err(n) => {
            result.findings = matchers::unanalysed_file::findings(&f.rel, &n.message, f.is_test, c);
            // Generated code too large to read (an ANTLR parser) is
            // regenerated, not edited: nothing in it is the team's to fix.
            // So is a file of a third party's release copied whole
            // (`assets/lib/fontawesome-free-5.11.2/metadata/icons.json`).
            let why = (n.kind == NoteKind::TooLarge)
                .then(|| {
                    generated_marker(f)
                        .map(|marker| format!("generated code (`{marker}`)"))
                        .or_else(|| {
                            release_copy(f).map(|folder| {
                                format!("in {folder}, a copy of a third party's release (named for its version): nothing in it is the team's to fix")
                            })
                        })
                })
                .flatten();
            if let Some(why) = why {
                for finding in &mut result.findings {
                    finding.severity = Severity::Info;
                    finding.message.push_str(&format!("; {why}"));
                }
            }
            result.notes.push(n);
            if !raw.is_empty() {
                let empty = SourceText::from_string(String::new(), "UTF-8");
                result.findings.extend(finish(&f.rel, &empty, raw, c));
            }
            return result;
        }
    };
    result.read = true;
    result.lines = src.line_count();
    if src.encoding != "UTF-8" {
        result.notes.push(note(
            f,
            NoteKind::Decoded,
            format!("not UTF-8; read as {}", src.encoding),
        ));
    }
    for (line, id, closest) in suppress::unknown_ids(&src, &c.rules) {
        let hint = closest.map_or_else(
            || " (`podready rules` lists them)".to_string(),
            |k| format!("; did you mean `{k}`?"),
        );
        result.notes.push(note(
            f,
            NoteKind::UnknownSuppression,
            format!("line {line}: `podready:ignore[{id}]` names no rule, so it suppresses nothing{hint}"),
        ));
    }
    let text = src.text.as_str();
    // A `.conf` file written as Java properties is read as one.
    let as_properties =
        (f.kind == FileKind::Conf && config::is_properties_shaped(text)).then(|| RepoFile {
            kind: FileKind::Properties,
            ..f.clone()
        });
    let f = as_properties.as_ref().unwrap_or(f);
    match f.kind {
        FileKind::Java => {
            result.sets_profiles = !f.is_test && profiles::sets_profiles(text);
            result.reads_terminal = !f.is_test && deployed::reads_terminal(text);
            result.declares_main = !f.is_test && text.contains("static void main(");
            result.opens_window = result.declares_main && opens_window(text, &c.desktop_windows);
            result.launches_application = result.declares_main
                && deployed::APPLICATION_STARTERS
                    .iter()
                    .any(|starter| text.contains(starter));
            result.main_exits = result.declares_main
                && unreferenced::main_ends_with_exit(&java::without_comments(text));
            result.log4j_plugin = (!f.is_test && text.contains("@Plugin("))
                .then(|| {
                    appender::log4j_core_plugin(&java::without_comments(text)).map(str::to_string)
                })
                .flatten();
            result.web_server = (!f.is_test)
                .then(|| deployed::web_server(&f.rel, deployed::WebServerSource::Java(text)))
                .flatten();
            let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
            let empty = HashSet::new();
            let project = java::ProjectTypes {
                same_package: types.by_dir.get(dir).unwrap_or(&empty),
                all: &types.all,
            };
            result.appender_subclasses =
                appender::appender_subclasses(text, &c.appender_names, &|fqn| {
                    types.all.contains(fqn)
                        || fqn
                            .rsplit('.')
                            .next()
                            .is_some_and(|simple| project.same_package.contains(simple))
                });
            // A program of a package named for command-line programs is
            // read for what its helpers print, though nothing in it
            // triggers a rule (`main (String[] args)` too); so is a class
            // annotated as a command (picocli's: Ozone's `ozone admin`
            // subcommands). The package first: it is read from the first
            // lines.
            let cli_program = || {
                !f.is_test
                    && ((unreferenced::declared_package(text)
                        .is_some_and(named_places::names_programs)
                        && text.contains("void main"))
                        || c.command_annotations.iter().any(|a| {
                            a.rsplit_once('.')
                                .is_some_and(|(package, _)| text.contains(package))
                        }))
            };
            if parse == Parse::IfNamed && !cli_program() {
                if let prefilter::Triggered::Inert(words) = c.java_triggers.triggered(text) {
                    result.inert = true;
                    // Parsed only for what it may say of Spring's beans;
                    // its words say at once whether it may name them.
                    let beans = !f.is_test
                        && java::BEAN_DECISIONS.iter().any(|w| words.may_name(w))
                        && java::names_bean_decisions(text);
                    result.words = Some(words);
                    if beans {
                        if let Some(tree) = parser.parse(text) {
                            let beans = java::BeanDecisions::of(tree.root_node(), text);
                            result.conditioned = beans.conditioned;
                            result.scans = beans.scans;
                        }
                    }
                    result.findings = finish(&f.rel, &src, raw, c);
                    return result;
                }
            }
            let outcome = java::analyze(parser, text, f.is_test, c, &project, sources);
            raw.extend(outcome.findings);
            // A program reading what a person types talks with them on
            // the console: a prompt, a usage line. (A service's class
            // asking at a terminal is not one: it runs in the pod.)
            if result.reads_terminal && result.declares_main && !result.launches_application {
                for r in &mut raw {
                    r.command_line
                        .get_or_insert(finding::CommandLine::ReadsTerminal);
                }
            }
            result.facts = outcome.facts;
            result.names = outcome.names;
            result.has_followed_call = outcome.has_followed_call;
            result.package = outcome.package;
            result.is_logging_code = outcome.is_logging_code;
            result.extends_logging_framework = outcome.extends_logging_framework;
            result.bridges_to_slf4j = outcome.bridges_to_slf4j;
            result.installs_jul_bridge = outcome.installs_jul_bridge;
            result.imports_slf4j = outcome.imports_slf4j;
            result.plugin_of = outcome.plugin_of;
            result.requires_classes = outcome.requires_classes;
            result.for_kubernetes = outcome.for_kubernetes;
            result.jul_logger_factories = outcome.jul_logger_factories;
            result.routes_jul_to_slf4j = outcome.routes_jul_to_slf4j;
            result.drives_code_generator = outcome.drives_code_generator;
            result.takes_command_line = outcome.takes_command_line;
            result.asks = outcome.asks;
            result.conditioned = outcome.beans.conditioned;
            result.scans = outcome.beans.scans;
            if outcome.has_errors {
                result.notes.push(note(
                    f,
                    NoteKind::SyntaxError,
                    "syntax errors; analysed as far as the parser could read".into(),
                ));
            }
        }
        FileKind::Properties | FileKind::Yaml => {
            let values = if f.kind == FileKind::Properties {
                config::properties(text)
            } else {
                config::yaml(text)
            };
            result.web_server = (!f.is_test)
                .then(|| deployed::web_server(&f.rel, deployed::WebServerSource::Config(text)))
                .flatten();
            config_findings(&values, f, c, &mut raw);
            result.configures_logging = default_logging::may_set_logging(&values);
            if f.kind == FileKind::Properties {
                matchers::properties_key::findings(&values, name, f, c, &mut raw);
            }
        }
        FileKind::Json => {
            let values = config::json(text);
            let before = raw.len();
            config_findings(&values, f, c, &mut raw);
            let not_configuration = if config::is_grafana_dashboard(text) {
                Some("in a Grafana dashboard, which only the monitoring server reads")
            } else if config::is_recorded_api_response(&values) {
                Some("in a recorded response of a REST API (its `href` links to the API): sample data, not configuration")
            } else if config::is_postman_collection(&values) {
                Some("in a Postman collection, requests a person sends from Postman: not configuration")
            } else {
                None
            };
            if let Some(why) = not_configuration {
                for r in &mut raw[before..] {
                    r.never_runs = Some(why.into());
                }
            }
        }
        FileKind::Conf => config_findings(&config::conf(text), f, c, &mut raw),
        FileKind::Xml | FileKind::Logback => {
            let (items, error) = xml::scan(text);
            if let Some(e) = error {
                result.notes.push(note(
                    f,
                    NoteKind::MalformedXml,
                    format!(
                        "line {}: {}; analysed up to there",
                        src.line_of(e.offset),
                        e.message
                    ),
                ));
            }
            config_findings(&xml::values(&items), f, c, &mut raw);
            if !f.is_test && text.contains("component-scan") {
                result.scans = java::conditions::xml_component_scans(text);
            }
            if f.kind == FileKind::Logback || xml::is_logback_configuration(&items) {
                result.configures_logging = true;
                result.other_appender_uses =
                    matchers::logback_appender::findings(&items, f, &src, c, &mut raw);
            }
            matchers::xml_root::findings(&items, name, f, c, &mut raw);
            if name.eq_ignore_ascii_case("server.xml") {
                matchers::listen_port::in_tomcat(&items, f, c, &mut raw);
            }
        }
        FileKind::Pom | FileKind::Other | FileKind::Template => {}
    }
    ip::one_finding_per_line(&mut raw, &src, &c.ip_rules);
    result.findings = finish(&f.rel, &src, raw, c);
    result
}

/// Whether a Java source's class is a window of a desktop toolkit (one of
/// `windows`, fully qualified: imported by name or with its package, or
/// written in full, and extended): a desktop program's, read from the text,
/// as a file nothing triggers is not parsed.
fn opens_window(text: &str, windows: &[String]) -> bool {
    windows.iter().any(|fqn| {
        let (package, simple) = fqn.rsplit_once('.').unwrap_or(("", fqn));
        text.contains(&format!("extends {fqn}"))
            || (text.contains(&format!("extends {simple}"))
                && (text.contains(&format!("import {fqn};"))
                    || text.contains(&format!("import {package}.*;"))))
    })
}

/// The findings of the configuration value matchers.
fn config_findings(
    values: &[config::ConfigValue<'_>],
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    matchers::ip_literal::in_config(values, f, c, raw);
    matchers::listen_port::in_config(values, f, c, raw);
    matchers::loopback_service::in_config(values, f, c, raw);
    matchers::config_value::in_config(values, f, c, raw);
}

/// The build scripts of a Gradle build's projects (`build.gradle`,
/// `build.gradle.kts`): the root's and those of every folder holding
/// sources (the part of a source's path before `src/`) with no pom of its
/// own, read as text (bytes that are not UTF-8 replaced, a byte-order
/// mark dropped).
fn gradle_scripts(root: &Path, files: &[RepoFile]) -> Vec<(String, SourceText)> {
    let mut dirs: Vec<&str> = files
        .iter()
        .filter_map(|f| {
            if f.rel.starts_with("src/") {
                Some("")
            } else {
                f.rel.find("/src/").map(|at| &f.rel[..at])
            }
        })
        .chain(std::iter::once(""))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    dirs.into_iter()
        .filter_map(|dir| {
            ["build.gradle", "build.gradle.kts"]
                .iter()
                .find_map(|name| {
                    let rel = if dir.is_empty() {
                        name.to_string()
                    } else {
                        format!("{dir}/{name}")
                    };
                    // A module Maven builds too is read from its pom.
                    if root.join(dir).join("pom.xml").is_file() {
                        return None;
                    }
                    let bytes = std::fs::read(root.join(&rel)).ok()?;
                    let text = String::from_utf8_lossy(&bytes);
                    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
                    Some((rel, SourceText::from_string(text, "UTF-8")))
                })
        })
        .collect()
}

/// The rules naming a dependency a Gradle build script puts on the
/// running application's classpath ([`gradle::runtime_dependencies`]),
/// at the coordinates on its line.
fn gradle_dependency_findings(source: &SourceText, c: &Compiled) -> Vec<RawFinding> {
    let text = &source.text;
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
    let mut raw = Vec::new();
    for (line, coords) in gradle::runtime_dependencies(text) {
        let Some(&start) = line_starts.get(line) else {
            continue;
        };
        let end = line_starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        let (group, artifact) = coords.split_once(':').unwrap_or((&coords, ""));
        let at = text[start..end]
            .find(group)
            .map_or(start, |offset| start + offset);
        // The artifact after the group (`log4j:log4j` spans both).
        let after_group = (at + group.len()).min(end);
        let until = text[after_group..end]
            .find(artifact)
            .map_or(end, |offset| after_group + offset + artifact.len());
        for &rule in c.pom_deps.get(&coords).into_iter().flatten() {
            if c.applies(rule, false) {
                raw.push(RawFinding {
                    rule,
                    start: at,
                    end: until,
                    detail: format!("`{coords}`"),
                    ..RawFinding::default()
                });
            }
        }
    }
    raw
}

/// The findings of the pom matchers over pom `i`'s dependencies.
fn pom_findings(
    project: &Project,
    i: usize,
    c: &Compiled,
    pack: &RulePack,
    is_test: bool,
) -> Vec<RawFinding> {
    let mut raw = Vec::new();
    for (d_idx, d) in project.poms[i].dependencies.iter().enumerate() {
        if d.scope() == "test" || d.is_bom_import() {
            continue;
        }
        if !d.holds_no_classes() {
            matchers::pom_dependency::findings(d, c, is_test, &mut raw);
        }
        matchers::sdk_version::findings(project, i, d_idx, c, pack, is_test, &mut raw);
    }
    raw
}

/// Turns byte ranges into findings with lines, columns and messages, and
/// drops the suppressed ones.
fn finish(path: &str, src: &SourceText, raw: Vec<RawFinding>, c: &Compiled) -> Vec<Finding> {
    raw.into_iter()
        .filter_map(|r| {
            let rule = &c.rules[r.rule];
            let (line, column) = src.line_col(r.start);
            if suppress::is_suppressed(src, line, &rule.id) {
                return None;
            }
            let (end_line, end_column) = src.line_col(r.end.max(r.start));
            let mut message = rule.message_for(&r.detail);
            if !r.via.is_empty() {
                message.push_str(&format!(" (via {})", r.via.join(" → ")));
            }
            let severity = match (rule.only_logged, r.harmless) {
                (Some(s), Some(harmless)) => {
                    message.push_str(&format!("; {}", harmless.reason()));
                    s
                }
                (Some(s), None) if r.loopback_client => {
                    message.push_str("; only stands in for a request's loopback client address, so it names the caller, not an address the pod gives out");
                    s
                }
                _ => rule.severity,
            };
            let severity = match (rule.beside_file, &r.beside_file) {
                (Some(s), Some(file)) if s < severity => {
                    message.push_str(&format!(
                        "; every logger and appender using it also writes to the file appender `{file}`, so the files hold what it prints"
                    ));
                    s
                }
                _ => severity,
            };
            Some(Finding {
                rule: rule.id.clone(),
                severity,
                path: path.to_string(),
                line,
                column,
                end_line,
                end_column,
                message,
                remediation: rule.remediation.clone(),
                snippet: src.line(line).to_string(),
                via: r.via,
                members: MemberFlow {
                    uses: r.uses,
                    feeds: r.feeds,
                },
                command_line: r.command_line,
                never_runs: r.never_runs,
                start_up: r.start_up,
                also_logged: r.also_logged,
                debugging: r.debugging,
                profile_sections: r.profile_sections,
                owner: r.owner,
                detail: r.detail,
            })
        })
        .collect()
}
