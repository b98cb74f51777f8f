//! Which modules run in a pod: the ones a deploy spec describes or that
//! build an application, and every module of the repository they depend
//! on. A finding elsewhere (a command-line tool, an example, a benchmark)
//! breaks nothing in a pod and is reported at `info`.
//!
//! The deployed modules are, in this order of precedence:
//! 1. the ones `[check] deployed` in podready.toml names (directories or
//!    artifactIds);
//! 2. the ones with a `deploy.yaml` beside their pom;
//! 3. the ones whose build makes an application (see
//!    [`Project::application_kind`]) or that ship their own runtime
//!    configuration (`application.yml`, `dubbo.properties`, a logging
//!    configuration in `src/main/resources`), unless their name marks them
//!    as an example, demo, sample, benchmark or test harness;
//!
//! each with the repository's modules it depends on (test scope aside),
//! or, for a distribution (an assembly whose descriptor may take any
//! module), every module.
//! When none is found, every module counts as deployed except the ones
//! named like examples, demos, samples, benchmarks and test harnesses.
//! Parent and aggregator poms count (their versions reach the deployed
//! modules), except one named as an example or a test harness that no
//! deployed module inherits from.
//!
//! A repository with no pom is read as a Gradle build ([`crate::gradle`]):
//! the same order of precedence over its projects, an application being
//! one that applies an application plugin (Spring Boot's with its
//! `bootJar`, Quarkus', Micronaut's, Jib, `war`, `ear`, `application`),
//! names a `Main-Class`, or ships runtime configuration or a Dockerfile of
//! its own; when none is found, or the build may make applications the
//! reader cannot see, nothing changes.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::is_at_or_under;
use crate::pom::{DependencySection, PomDependency, Project};
use podready_rules::{LoggingBridge, LoggingRoutes};
use serde::{Deserialize, Serialize};

/// How the deployed modules were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FoundBy {
    /// Named in podready.toml.
    Configured,
    /// Modules with a `deploy.yaml`.
    DeploySpec,
    /// Modules whose build makes an application.
    Build,
    /// No module says it runs in a pod.
    #[default]
    Nothing,
}

/// The modules that run in a pod.
#[derive(Debug, Clone, Default)]
pub struct Deployment {
    /// By pom index: whether the module's code runs in a pod.
    pub deployed: Vec<bool>,
    pub found_by: FoundBy,
    /// By pom index: why a module is deployed, for the ones found first.
    reasons: Vec<Option<String>>,
    /// Configuration files of library modules that Spring never reads,
    /// by path.
    shadowed: HashMap<String, Shadowed>,
    /// Modules whose assembly packs a bundle another program loads
    /// ([`plugin_bundles`]).
    plugin_bundles: HashSet<usize>,
    /// Module directories with their pom index, for
    /// [`Deployment::module_of`], which every file asks.
    dir_modules: rustc_hash::FxHashMap<String, usize>,
    /// Folders holding a Docker Compose file (`docker-compose*.yml`,
    /// `compose.yaml`) with no pom at or below them and no Dockerfile at,
    /// below or above them (an image built there may take their files),
    /// the root aside.
    compose_stacks: Vec<String>,
    /// The `tools/` and `backup/` folders (by path) that a Dockerfile or a
    /// kustomization names: an image or a ConfigMap takes their files.
    named_for_pods: HashSet<String>,
    /// Folders for another cluster manager than Kubernetes, each with its
    /// Kubernetes sibling ([`other_platform_folders`]).
    other_platforms: Vec<(String, String)>,
    /// The package folders GWT compiles to JavaScript, each with its
    /// module file ([`gwt_client_packages`]).
    browser_packages: Vec<(String, String)>,
    /// The folders of browser applications' sources
    /// ([`browser_applications`]).
    browser_apps: Vec<String>,
    /// The folders of Go modules with no JVM build in them
    /// ([`go_modules`]).
    go_modules: Vec<String>,
    /// By pom index: whether the module is named as an example, demo,
    /// benchmark or test harness ([`is_marked_not_service`]) or its own
    /// README presents it as one ([`readme_presents_a_harness`]).
    harness_modules: Vec<bool>,
    /// The Docker Compose files: by their name, or, on a path naming
    /// Compose, by a top-level `services:` of images or builds
    /// (dante-cloud's `docker-compose/linux/env.base.yml`).
    compose_files: HashSet<String>,
    /// Folders holding an unpacked release of another program
    /// ([`unpacked_releases`]).
    releases: Vec<String>,
    /// The folders of the repository's Dockerfiles.
    image_dirs: Vec<String>,
    /// The files and folders assemblies take from outside their module.
    assembled: Vec<String>,
    /// By application found (deploy spec, podready.toml or build): the
    /// modules of the repository on its classpath, itself first.
    applications: Vec<Vec<usize>>,
    /// In a repository with no pom, the projects of its Gradle build when
    /// one of them is found to run in a pod; longest folder first.
    gradle: Vec<GradleUnit>,
    /// By module: the modules of the repository its main code compiles
    /// against, itself included ([`compile_classpaths`]).
    compile_classpaths: Vec<Vec<usize>>,
    /// By pom index: whether the module is a command-line tool and how it
    /// was found ([`ToolBy`]), worked out once for every finding to ask.
    tools: Vec<Option<ToolBy>>,
    /// By pom index: whether another module depends on it outside tests.
    depended_on: Vec<bool>,
}

/// How a module was found to be a command-line tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ToolBy {
    /// Its name or a terminal library ([`is_named_or_terminal_tool`]).
    Name,
    /// A folder above it or its main classes ([`named_as_a_tool`]).
    WhereOrMains,
}

/// A project of a Gradle build, and whether a pod runs it.
#[derive(Debug, Clone)]
struct GradleUnit {
    dir: String,
    /// Its project path (`platform:api`).
    name: String,
    deployed: bool,
    /// Why it is deployed, for the ones found first.
    reason: Option<String>,
}

/// A library module's configuration file that Spring or a logging
/// framework never reads: a file every application holding the library
/// has one of its own of the same name for, or a file only such files
/// name.
#[derive(Debug, Clone)]
struct Shadowed {
    /// One of the applications holding the library.
    application: usize,
    /// The shadowed file naming this one, for a file that is not Spring's.
    named_by: Option<String>,
}

/// What a module's assembly plugin packs, as far as its build says.
enum Assembly {
    /// No descriptor named, or one that cannot be read, or a descriptor
    /// reference other than the plugin's built-in ones (a shared
    /// descriptor from a plugin dependency): it may take anything.
    Unknown,
    /// The texts of its own descriptors, beside built-in references.
    Descriptors(Vec<String>),
}

/// The descriptor references the assembly plugin itself defines; each
/// packs the module's own classpath or sources.
const BUILT_IN_DESCRIPTORS: [&str; 4] = ["bin", "jar-with-dependencies", "src", "project"];

/// A module's assembly plugins (in `dir`, below `root`).
fn assemblies(root: &Path, dir: &str, pom: &crate::pom::Pom) -> Vec<Assembly> {
    pom.plugins
        .iter()
        .filter(|pl| pl.artifact() == "maven-assembly-plugin")
        .map(|pl| {
            let foreign_reference = pl
                .descriptor_refs
                .iter()
                .any(|r| !BUILT_IN_DESCRIPTORS.contains(&r.trim()));
            if foreign_reference || (pl.descriptors.is_empty() && pl.descriptor_refs.is_empty()) {
                return Assembly::Unknown;
            }
            let texts: Option<Vec<String>> = pl
                .descriptors
                .iter()
                .map(|d| {
                    let rel = module_relative(d)?;
                    std::fs::read_to_string(root.join(dir).join(rel)).ok()
                })
                .collect();
            texts.map_or(Assembly::Unknown, Assembly::Descriptors)
        })
        .collect()
}

/// Whether a module's assembly may take what other modules build: one
/// that may take anything ([`Assembly::Unknown`]) or a descriptor that does
/// ([`takes_other_modules`]). The built-in descriptors
/// (`jar-with-dependencies`, `bin`…) and one taking only
/// `<dependencySets>` pack the module's own classpath, as zheng's RPC
/// services do. `dir` is the module's folder, `modules` every module's.
fn assembles_any_module(assemblies: &[Assembly], dir: &str, modules: &[String]) -> bool {
    assemblies.iter().any(|a| match a {
        Assembly::Unknown => true,
        Assembly::Descriptors(texts) => texts
            .iter()
            .any(|text| takes_other_modules(text, dir, modules)),
    })
}

/// The files and folders an assembly descriptor of the module in `dir`
/// takes (`<source>`, `<directory>`), from the repository's root; `None`
/// for one above the root or named through a property other than the
/// module's own folder and build folder.
fn taken<'d>(descriptor: &'d str, dir: &'d str) -> impl Iterator<Item = Option<String>> + 'd {
    ["<directory>", "<source>"]
        .into_iter()
        .flat_map(move |tag| {
            descriptor.match_indices(tag).map(move |(at, _)| {
                let rest = &descriptor[at + tag.len()..];
                let written = &rest[..rest.find('<').unwrap_or(rest.len())];
                module_relative(written).and_then(|path| normalized(dir, &path))
            })
        })
}

/// Whether an assembly descriptor of the module in `dir` takes what other
/// modules build: module sets, or a folder that holds other modules (a
/// source release's `../../`, a `plugins/` folder of modules) or is
/// another module's build output (`../plugin/target`, `../agent/lib`,
/// `build/libs`), or one named through another property. Another module's
/// resources (`../../server/src/main/resources`) and folders of no module
/// (`../../db`) are configuration and data, not code.
fn takes_other_modules(descriptor: &str, dir: &str, modules: &[String]) -> bool {
    descriptor.contains("<moduleSets")
        || taken(descriptor, dir).any(|target| {
            let Some(target) = target else {
                return true;
            };
            let holds_another = modules
                .iter()
                .any(|m| m != dir && is_at_or_under(m, &target) && !m.is_empty());
            let Some(module) = modules
                .iter()
                .filter(|m| is_at_or_under(&target, m))
                .max_by_key(|m| m.len())
            else {
                return true;
            };
            let inside = target
                .strip_prefix(module.as_str())
                .map_or("", |r| r.trim_start_matches('/'));
            let first = inside.split('/').next().unwrap_or("");
            let output = matches!(first, "target" | "lib" | "libs" | "build");
            holds_another || (module != dir && output)
        })
}

/// Whether a module's pom takes the file's folder as resources of its jar
/// (`<directory>conf</directory>`, or outside the module:
/// `<directory>../conf</directory>`).
pub(crate) fn declared_resource(path: &str, project: &Project) -> bool {
    project.poms.iter().any(|pom| {
        let base = pom.path.rsplit_once('/').map_or("", |(d, _)| d);
        pom.resource_directories.iter().any(|written| {
            module_relative(written)
                .and_then(|dir| normalized(base, &dir))
                .is_some_and(|dir| !dir.is_empty() && is_at_or_under(path, &dir))
        })
    })
}

/// A folder or file a pom or an assembly descriptor names, relative to
/// its module: backslashes as slashes, `${project.basedir}` (`${basedir}`)
/// left out and `${project.build.directory}` as `target`; `None` when
/// another property or an absolute path names it.
pub(crate) fn module_relative(written: &str) -> Option<String> {
    let path = written.trim().replace('\\', "/");
    let path = match ["${project.basedir}", "${basedir}"]
        .iter()
        .find_map(|p| path.strip_prefix(p))
    {
        Some(rest) => rest.trim_start_matches('/').to_string(),
        None => match path.strip_prefix("${project.build.directory}") {
            Some(rest) => format!("target/{}", rest.trim_start_matches('/')),
            None => path,
        },
    };
    (!path.starts_with("${") && !path.starts_with('/')).then_some(path)
}

/// `path` (with `.` and `..` parts) from the folder `dir`, both below the
/// repository's root; `None` above the root.
pub(crate) fn normalized(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Words in a module's name (or in the id of a profile listing it:
/// `Pom::for_development`) that, beside [`SHOWCASE_WORDS`], mark code no
/// pod runs ([`is_not_service_word`]): benchmarks, test harnesses,
/// contributed extras outside the product (Apache projects' `contrib`
/// modules: ZooKeeper's GUI, its REST demo).
const NOT_SERVICE_WORDS: &[&str] = &[
    "benchmark",
    "benchmarks",
    "bench",
    "jmh",
    "test",
    "tests",
    // The tests' own support (Armeria's `testing-internal`).
    "testing",
    "testcase",
    "testcases",
    "it",
    "perf",
    "e2e",
    // Functional integration tests (Syncope's `fit/core-reference`, a war
    // only its tests deploy).
    "fit",
    "contrib",
    // Extras kept beside the product (Kapua's `extras/` migration tools).
    "extras",
    // Load simulators (Uniffle's `tools/client-simulation-yarn`).
    "simulation",
    "simulator",
    // A technology compatibility kit: tests of an API (jUDDI's
    // `uddi-tck-base`).
    "tck",
    // A stand-in for another system in the tests (James'
    // `mock-smtp-server`).
    "mock",
    // A code generator a developer runs to write sources
    // (`mybatis-flex-codegen`), and a program making the tests' data
    // (Flowable's `flowable5-compatibility-testdata`).
    "codegen",
    "testdata",
    // Arquillian's container adapters: they start a server for the tests.
    "arquillian",
    // An installer, which sets a machine up before the service runs
    // (iDempiere's `org.adempiere.install` and its silent setup).
    "install",
    "installer",
    // A test framework's support: JUnit rules and runners (Geode's
    // `geode-junit`), Geode's distributed unit tests' (`geode-dunit`).
    "junit",
    "dunit",
    // A project's documentation site (Ditto's `ditto-documentation`,
    // built by Jekyll); not `docs`, which a document service may be named.
    "documentation",
];

impl Deployment {
    /// Works out the deployed modules of a project rooted at `root`.
    /// `files` are the repository's files, relative to the root.
    pub fn find<'f>(
        root: &Path,
        project: &Project,
        configured: &[String],
        files: impl Iterator<Item = &'f str>,
        terminal_readers: &[&str],
        programs: &[Program],
    ) -> Deployment {
        let files: Vec<&str> = files.collect();
        let n = project.poms.len();
        let dir_of = |i: usize| {
            project.poms[i]
                .path
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_string())
        };
        let aggregator = |i: usize| project.poms[i].packaging() == "pom";
        // An assembly that packs its own classpath only (a service's, or a
        // bundle of the server it depends on) is an application like any
        // other; one that may take any module (a framework's release
        // bundle of module sets) is a distribution.
        // Worked out once: the descriptors are read from disk.
        let module_dirs: Vec<String> = (0..n).map(dir_of).collect();
        // Module directories, longest first: the first holding a path is
        // its module ([`module_at`]).
        let mut dirs: Vec<(String, usize)> = module_dirs.iter().cloned().zip(0..n).collect();
        dirs.sort_by_key(|(d, _)| std::cmp::Reverse(d.len()));
        let assemblies: Vec<Vec<Assembly>> = (0..n)
            .map(|i| assemblies(root, &module_dirs[i], &project.poms[i]))
            .collect();
        // The files and folders assemblies take (arthas'
        // `../core/src/main/java/arthas.properties`) ship with them; a
        // folder holding modules is a source release's, which runs nothing.
        let mut assembled = Vec::new();
        for (i, plugins) in assemblies.iter().enumerate() {
            for plugin in plugins {
                match plugin {
                    Assembly::Unknown => {}
                    Assembly::Descriptors(texts) => {
                        let paths = texts.iter().flat_map(|t| taken(t, &module_dirs[i]));
                        assembled.extend(
                            paths.flatten().filter(|path| {
                                !module_dirs.iter().any(|m| is_at_or_under(m, path))
                            }),
                        );
                    }
                }
            }
        }
        let kinds: Vec<Option<&str>> = (0..n)
            .map(|i| match project.application_kind(i) {
                Some("distribution")
                    if !assembles_any_module(&assemblies[i], &module_dirs[i], &module_dirs) =>
                {
                    Some("assembly")
                }
                // A jar whose every main class generates code (Gora's
                // `GoraCompiler`) is a developer's or the build's program,
                // unless an image is built for it.
                // A root module's image is a Dockerfile at the root.
                Some("executable jar")
                    if runs_code_generators(&project.poms[i])
                        && !files.iter().any(|f| {
                            is_dockerfile(f)
                                && if module_dirs[i].is_empty() {
                                    !f.contains('/')
                                } else {
                                    is_at_or_under(f, &module_dirs[i])
                                }
                        }) =>
                {
                    None
                }
                kind => kind,
            })
            .collect();
        let application_kind = |i: usize| kinds[i];
        // A module named as a client or a console whose code reads the
        // terminal (`cim-client`) is a user's program (a service asking for
        // a password at start, a tool's class in a server's module, or one
        // with an image of its own is none).
        let reads_terminal: HashSet<usize> = terminal_readers
            .iter()
            .filter_map(|path| module_at(&dirs, path))
            .collect();
        // The Dockerfiles and their folders, listed once.
        let dockerfiles: Vec<&str> = files.iter().copied().filter(|f| is_dockerfile(f)).collect();
        let dockerfile_dirs: Vec<&str> = dockerfiles
            .iter()
            .map(|f| f.rsplit_once('/').map_or("", |(dir, _)| dir))
            .collect();
        let has_image = |i: usize| {
            dockerfile_dirs
                .iter()
                .any(|dir| is_at_or_under(dir, &module_dirs[i]))
        };
        let console_program = |i: usize| {
            reads_terminal.contains(&i)
                && is_named_for(
                    &|w: &str| CONSOLE_WORDS.contains(&w),
                    &dir_of(i),
                    project.poms[i].artifact(),
                )
                && !has_image(i)
        };
        // A jar whose every main class is a YARN ApplicationMaster (it
        // talks to the ResourceManager through `AMRMClient`) is shipped to
        // a Hadoop cluster, which starts it in its containers (Taier's
        // script jobs).
        let yarn_master = |i: usize| {
            let mains = &project.poms[i].main_classes;
            !mains.is_empty()
                && mains.iter().all(|class| {
                    let source = format!("/{}.java", class.replace('.', "/"));
                    files.iter().filter(|f| f.ends_with(&source)).any(|f| {
                        std::fs::read_to_string(root.join(f)).is_ok_and(|text| {
                            text.contains("org.apache.hadoop.yarn.client.api")
                                && text.contains("AMRMClient")
                        })
                    })
                })
        };
        // A desktop application: every main class its packaging names opens
        // a window of a desktop toolkit (Mycat2's JavaFX `assistant`); no
        // pod has a display.
        let windows: Vec<&str> = programs
            .iter()
            .filter(|p| p.opens_window)
            .map(|p| p.path)
            .collect();
        let desktop_application = |i: usize| {
            let mains = project.poms[i].packaging_main_classes();
            !mains.is_empty()
                && mains.iter().all(|class| {
                    let source = format!("/{}.java", class.replace('.', "/"));
                    windows.iter().any(|w| w.ends_with(&source))
                })
        };
        // A developer's code generator: a module named for one
        // (`renren-generator`, `codegen`) whose resources hold templates of
        // Java sources (`Controller.java.vm`, `Entity.java.ftl`), with no
        // image of its own. A service offering code generation holds the
        // generator as a library (RuoYi's), or is not named so.
        let code_generator = |i: usize| {
            let resources = match module_dirs[i].as_str() {
                "" => "src/main/resources".to_string(),
                dir => format!("{dir}/src/main/resources"),
            };
            !has_image(i)
                && is_named_for(
                    &|w: &str| matches!(w, "generator" | "generators" | "codegen"),
                    &dir_of(i),
                    project.poms[i].artifact(),
                )
                && files
                    .iter()
                    .any(|f| is_at_or_under(f, &resources) && is_java_template(f))
        };
        // Examples, demos, benchmarks, test harnesses and console programs
        // run in no pod unless a service has them on its classpath; a Maven
        // plugin runs in the builds that use it, a YARN ApplicationMaster
        // in a Hadoop cluster; a module whose parent pom was moved out, or
        // that the aggregator beside it leaves out, builds nowhere.
        let left_out = project.left_out_of_the_build();
        let harness_readmes: Vec<bool> = module_dirs
            .iter()
            .map(|dir| readme_presents_a_harness(root, dir))
            .collect();
        // A module whose parent pom is so named is one of its set
        // (Keycloak's quickstarts under `keycloak-quickstart-parent`).
        let marked_by_name =
            |i: usize| is_marked_not_service(&dir_of(i), project.poms[i].artifact());
        let harness_modules: Vec<bool> = (0..n)
            .map(|i| {
                harness_readmes[i]
                    || marked_by_name(i)
                    || project
                        .lineage(i)
                        .iter()
                        .skip(1)
                        .any(|&p| project.poms[p].packaging() == "pom" && marked_by_name(p))
            })
            .collect();
        let marked: Vec<bool> = (0..n)
            .map(|i| {
                harness_modules[i]
                    || project.poms[i].packaging() == "maven-plugin"
                    || console_program(i)
                    || desktop_application(i)
                    || code_generator(i)
                    || ((project.parent_moved_out(i).is_some() || left_out[i] || yarn_master(i))
                        && !has_image(i))
            })
            .collect();
        // A command-line tool's executable jar is an operator's program: a
        // module no image is built for, named for tools (a Spring Boot
        // `hg-store-cli` too), or, when its build makes no framework's
        // application, below a folder so named or with every main class
        // named for one ([`named_as_a_tool`]).
        let tool = |i: usize| {
            !has_image(i)
                && (is_named_for(
                    &|w: &str| TOOL_WORDS.contains(&w),
                    &dir_of(i),
                    project.poms[i].artifact(),
                ) || named_as_a_tool(project, i))
        };
        // The modules holding a `main()`.
        let with_programs: HashSet<usize> = programs
            .iter()
            .filter_map(|p| module_at(&dirs, p.path))
            .collect();
        let mut reasons: Vec<Option<String>> = vec![None; n];
        // Modules found by their runtime configuration or a start script
        // alone, no build making an application of them.
        let mut outside_build = vec![false; n];
        let mut found_by = FoundBy::Nothing;
        if !configured.is_empty() {
            for (i, reason) in reasons.iter_mut().enumerate() {
                let dir = dir_of(i);
                let artifact = project.poms[i].artifact();
                if configured
                    .iter()
                    .any(|c| c.trim_end_matches('/') == dir || c == artifact)
                {
                    *reason = Some("named in podready.toml".into());
                }
            }
            found_by = FoundBy::Configured;
        } else {
            for (i, reason) in reasons.iter_mut().enumerate() {
                if root.join(dir_of(i)).join("deploy.yaml").is_file() {
                    *reason = Some("deploy.yaml".into());
                    found_by = FoundBy::DeploySpec;
                }
            }
            if found_by == FoundBy::Nothing {
                let configured_by = runtime_configuration(project, files.iter().copied());
                // Spring Boot's logging configuration (`logback-spring.xml`,
                // which only Spring Boot reads) in a module with no `main()`
                // is what a library ships to the Spring Boot applications
                // taking it (mica's `mica-logging`, a logging starter), not
                // an application's own; a plain `logback.xml` may be a
                // plugin's own, in its own class loader (jvm-sandbox's
                // modules).
                let ships_logging_alone = |file: &str, i: usize| {
                    matches!(file, "logback-spring.xml" | "log4j2-spring.xml")
                        && !with_programs.contains(&i)
                };
                let started_by = daemon_scripts(root, &files, &dirs, programs);
                for (i, reason) in reasons.iter_mut().enumerate() {
                    if marked[i] || tool(i) {
                        continue;
                    }
                    if let Some(kind) = application_kind(i) {
                        *reason = Some(kind.to_string());
                        found_by = FoundBy::Build;
                    } else if let Some(script) = started_by.get(&i) {
                        *reason = Some(format!("started by {script}"));
                        outside_build[i] = true;
                        found_by = FoundBy::Build;
                    } else if let Some(file) = configured_by[i]
                        .as_ref()
                        .filter(|file| !ships_logging_alone(file, i))
                    {
                        *reason = Some(file.clone());
                        outside_build[i] = true;
                        found_by = FoundBy::Build;
                    }
                }
            }
        }
        let by_coordinates: HashMap<(&str, &str), usize> = (0..n)
            .map(|i| {
                let pom = &project.poms[i];
                ((pom.effective_group(), pom.artifact()), i)
            })
            .collect();
        let is_distribution =
            |i: usize| found_by == FoundBy::Build && application_kind(i) == Some("distribution");
        // The repository's modules each module has on its own classpath,
        // and those it passes on to a module depending on it.
        let own: Vec<Vec<usize>> = (0..n)
            .map(|i| module_dependencies(project, i, true, &by_coordinates))
            .collect();
        let passed: Vec<Vec<usize>> = (0..n)
            .map(|i| module_dependencies(project, i, false, &by_coordinates))
            .collect();
        // What an application's build puts on its classpath runs in its
        // pod, an example or a demo included (jeecg's demo controllers in
        // its system application).
        // An assembly's package holds the jars of its dependencies: one
        // named or whose README presents it as an example, a benchmark or
        // a test harness is a program shipped beside the service
        // (Phoenix' `phoenix-pherf` in its tarball, the `itests` jars
        // OpenEJB's standalone server ships for its `test` command),
        // whatever else the package holds.
        let assembly_own: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                if application_kind(i) == Some("assembly") {
                    own[i]
                        .iter()
                        .copied()
                        .filter(|&j| !harness_modules[j])
                        .collect()
                } else {
                    own[i].clone()
                }
            })
            .collect();
        let classpath_of = |i: usize| classpath(i, &assembly_own[i], &passed);
        // A module found by its configuration or a script alone that an
        // application's build packs (12306's order service, in its
        // aggregation service's jar; EventBridge's start module, which the
        // distribution's script starts from the distribution's jars) is that
        // application's library: its `main()` is a
        // developer's way to run it alone — unless an image is built for
        // it.
        // Each application's classpath, worked out once.
        let mut applications: Vec<Vec<usize>> = (0..n)
            .filter(|&i| reasons[i].is_some() && !is_distribution(i))
            .map(classpath_of)
            .collect();
        let packed: HashSet<usize> = applications
            .iter()
            .filter(|a| !outside_build[a[0]])
            .flat_map(|a| a[1..].iter().copied())
            .collect();
        for i in 0..n {
            if outside_build[i] && packed.contains(&i) && !has_image(i) {
                reasons[i] = None;
            }
        }
        // A module only its configuration makes an application of, holding
        // several `main()` programs and none starting an application, is a
        // set of programs a person runs (a module of examples), unless an
        // image is built for it or a start file names one of them.
        let candidate = |i: usize| outside_build[i] && reasons[i].is_some() && !has_image(i);
        for i in program_sets(root, &files, &dirs, programs, candidate) {
            reasons[i] = None;
        }
        applications.retain(|a| reasons[a[0]].is_some());
        let roots: Vec<usize> = (0..n).filter(|&i| reasons[i].is_some()).collect();
        let mut deployed = vec![false; n];
        for &i in applications.iter().flatten() {
            deployed[i] = true;
        }
        // An assembly may take any module of the repository (its
        // descriptor's module sets): with a distribution, every module but
        // the examples, demos, benchmarks and test harnesses is shipped, with
        // what it depends on (the assembly's lib/ holds an example's jar
        // that nothing starts). Its classpath is all of them.
        if roots.iter().any(|&i| is_distribution(i)) {
            let mut queue: Vec<usize> = (0..n).filter(|&i| !marked[i] && !deployed[i]).collect();
            for &i in &queue {
                deployed[i] = true;
            }
            while let Some(i) = queue.pop() {
                for &j in &passed[i] {
                    if !deployed[j] && !marked[j] {
                        deployed[j] = true;
                        queue.push(j);
                    }
                }
            }
            for &root in roots.iter().filter(|&&i| is_distribution(i)) {
                let others = (0..n).filter(|&i| deployed[i] && i != root);
                applications.push(std::iter::once(root).chain(others).collect());
            }
        }
        let shadowed = shadowed_configuration(root, &files, &module_dirs, &applications, &reasons);
        // Named in podready.toml or a deploy spec, it is an application.
        let plugin_bundles = if matches!(found_by, FoundBy::Configured | FoundBy::DeploySpec) {
            HashSet::new()
        } else {
            plugin_bundles(
                root,
                project,
                &files,
                &kinds,
                &assemblies,
                &with_programs,
                has_image,
            )
        };
        if !deployed.iter().any(|d| *d) {
            found_by = FoundBy::Nothing;
            applications.clear();
            for (i, d) in deployed.iter_mut().enumerate() {
                *d = !marked[i];
            }
        }
        // A parent's versions reach the modules inheriting from it; one
        // named as an example or test harness (`shenyu-e2e`) counts only
        // when a deployed module inherits from it.
        let inherited: HashSet<usize> = (0..n)
            .filter(|&i| deployed[i])
            .flat_map(|i| project.lineage(i))
            .collect();
        for (i, d) in deployed.iter_mut().enumerate() {
            *d |= aggregator(i) && (!marked[i] || inherited.contains(&i));
        }
        // Where images are built: a Dockerfile may copy anything at or
        // below its folder (its usual build context).
        let image_dirs: Vec<String> = dockerfile_dirs.iter().map(|d| d.to_string()).collect();
        let compose_files: HashSet<String> = files
            .iter()
            .filter(|f| is_compose_file(f) || compose_by_content(root, f))
            .map(|f| f.to_string())
            .collect();
        // An image built at or above the stack's folder may take any of its
        // files; one built below takes only what is below it (MoonBox's
        // `docker/server/`), unless a Compose file of the folder points a
        // build at a Dockerfile of its own (its context may be the stack's
        // folder).
        let mut compose_by_folder: std::collections::BTreeMap<&str, Vec<&str>> =
            std::collections::BTreeMap::new();
        for f in files.iter().copied().filter(|f| is_compose_file(f)) {
            if let Some((dir, _)) = f.rsplit_once('/') {
                compose_by_folder.entry(dir).or_default().push(f);
            }
        }
        let compose_stacks: Vec<String> = compose_by_folder
            .into_iter()
            .filter(|(dir, composes)| {
                let images_below = image_dirs.iter().any(|image| is_at_or_under(image, dir));
                !images_below || !composes.iter().any(|f| names_a_dockerfile(root, f))
            })
            .map(|(dir, _)| dir)
            .filter(|dir| !dirs.iter().any(|(d, _)| is_at_or_under(d, dir)))
            .filter(|dir| !image_dirs.iter().any(|image| is_at_or_under(dir, image)))
            .map(str::to_string)
            .collect();
        let releases = unpacked_releases(root, &files, &dirs, &assembled, &dockerfiles);
        let named_for_pods = folders_named_for_pods(root, &files, &dockerfiles);
        let other_platforms = other_platform_folders(&files, &image_dirs);
        let browser_packages = gwt_client_packages(root, &files);
        let browser_apps = browser_applications(root, &files, &dockerfiles);
        let go_modules = go_modules(&files);
        // A Gradle build at the root is the repository's build; poms
        // elsewhere are side projects (MaxKey's `integrations/`), deployed
        // only when they make an application of their own.
        let mut gradle = Vec::new();
        if n == 0 || !root.join("pom.xml").is_file() {
            // A build in a subfolder is the repository's only where no pom
            // is (a load generator's build beside a Maven service is not).
            let build_dir = if n == 0 {
                gradle_root(root, &files)
            } else {
                String::new()
            };
            if let Some((units, by)) = gradle_units(root, &build_dir, configured) {
                gradle = units;
                if found_by == FoundBy::Nothing {
                    found_by = by;
                    deployed.iter_mut().for_each(|d| *d = false);
                }
            }
        }
        let mut dir_modules = rustc_hash::FxHashMap::default();
        for (dir, i) in &dirs {
            dir_modules.entry(dir.clone()).or_insert(*i);
        }
        Deployment {
            deployed,
            found_by,
            shadowed,
            plugin_bundles,
            reasons,
            dir_modules,
            assembled,
            compose_stacks,
            compose_files,
            named_for_pods,
            other_platforms,
            browser_packages,
            browser_apps,
            go_modules,
            harness_modules,
            releases,
            image_dirs,
            applications,
            gradle,
            compile_classpaths: compile_classpaths(project),
            tools: (0..n)
                .map(|i| {
                    if has_image(i) {
                        None
                    } else if is_named_or_terminal_tool(project, i) {
                        Some(ToolBy::Name)
                    } else {
                        named_as_a_tool(project, i).then_some(ToolBy::WhereOrMains)
                    }
                })
                .collect(),
            depended_on: (0..n).map(|i| is_depended_on(project, i)).collect(),
        }
    }

    /// The repository's Docker Compose files.
    pub(crate) fn compose_files(&self) -> impl Iterator<Item = &str> {
        self.compose_files.iter().map(String::as_str)
    }

    /// Whether Java main code at `from` may name a class declared at `to`:
    /// its module compiles against the class's. Where either lies in no
    /// module a pom describes, it may.
    pub(crate) fn compiles_against(&self, from: &str, to: &str) -> bool {
        match (self.module_of(from), self.module_of(to)) {
            (Some(a), Some(b)) => self
                .compile_classpaths
                .get(a)
                .is_none_or(|classpath| classpath.contains(&b)),
            _ => true,
        }
    }

    /// The artifactIds of the dependencies (tests' aside) of every module
    /// on the classpath of the applications holding module `m`, or on its
    /// own compile classpath when no application found holds it. `None`
    /// when one of them is an in-house library the repository does not
    /// build (of the module's own group, by its first two names), or one
    /// of them inherits from a parent outside the repository that is not
    /// one of [`BUILD_ONLY_PARENTS`]: what they bring is unknown.
    pub fn classpath_artifacts<'p>(
        &self,
        m: usize,
        project: &'p Project,
    ) -> Option<HashSet<&'p str>> {
        let mut modules: HashSet<usize> = self
            .applications
            .iter()
            .filter(|a| a.contains(&m))
            .flatten()
            .copied()
            .collect();
        if modules.is_empty() {
            modules.extend(self.compile_classpaths.get(m)?);
        }
        let house = in_house_group(project.poms[m].effective_group());
        let built: HashSet<(&str, &str)> = project
            .poms
            .iter()
            .map(|p| (p.effective_group(), p.artifact()))
            .collect();
        // A parent from outside the repository may bring any dependency,
        // but the build-only parents of Spring Boot, Spring Cloud and
        // Maven's publishers.
        let remote_parent = |k: usize| {
            let top = *project.lineage(k).last()?;
            let parent = project.poms[top].parent.as_ref()?;
            let group = parent.group_id.as_ref().map_or("", |g| g.value.as_str());
            let artifact = parent.artifact_id.as_ref().map_or("", |a| a.value.as_str());
            (!built.contains(&(group, artifact))).then_some(group)
        };
        let mut artifacts = HashSet::new();
        for k in modules {
            if remote_parent(k).is_some_and(|group| !BUILD_ONLY_PARENTS.contains(&group)) {
                return None;
            }
            for (group, d) in declared_dependencies(project, k, true) {
                let in_house = group == house || group.starts_with(&format!("{house}."));
                if in_house && !built.contains(&(group.as_str(), d.artifact())) {
                    return None;
                }
                artifacts.insert(d.artifact());
            }
        }
        Some(artifacts)
    }

    /// Why a configuration file that lies outside every module is in no
    /// artifact a pod runs: a folder on its path (up to a `src` folder)
    /// is named as a test harness or an example (`e2e/`, `examples/`) or
    /// for a developer's machine (`local/`, a Spring file no image takes),
    /// or it belongs to a Docker Compose stack. In a repository with no pom
    /// (a Gradle build), only a folder's name says so, for Java sources
    /// too, and so for a Java source no pom nor Gradle project read holds
    /// (Kafka's beside a Maven archetype). `None` for other Java sources
    /// and poms of a Maven repository, the files of a module that builds something,
    /// and Kubernetes and Helm folders (what the pod is given) outside a
    /// test harness's folder (`e2e/k8s/` is the harness's cluster;
    /// `deploy/demo/k8s/` may be a demo environment's). A Compose
    /// file itself runs in no pod wherever it is.
    pub fn unshipped_file(&self, path: &str, project: &Project) -> Option<String> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let no_pom = project.poms.is_empty();
        // A Java source no module holds, in a repository whose poms are
        // elsewhere (Kafka's Gradle projects beside a Maven archetype's):
        // its folders' names are all that says where it runs.
        let unheld_java = name.ends_with(".java")
            && self.module_of(path).is_none()
            && self.gradle_unit_of(path).is_none();
        if (name.ends_with(".java") && !no_pom && !unheld_java) || name == "pom.xml" {
            return None;
        }
        if self.compose_files.contains(path) {
            return Some("a Docker Compose file, which no pod runs".to_string());
        }
        // A Gradle project a pod runs ships its files, whatever its
        // folders are named (`contrib/redis-store` on a server's classpath).
        if self.gradle_unit_of(path).is_some_and(|u| u.deployed) {
            return None;
        }
        let base = match self.module_of(path) {
            Some(i) if project.poms[i].packaging() != "pom" => return None,
            Some(i) => project.poms[i].path.rsplit_once('/').map_or("", |(d, _)| d),
            None => "",
        };
        let below = dir
            .strip_prefix(base)
            .map_or(dir, |rest| rest.trim_start_matches('/'));
        let folders = below.split('/').take_while(|f| *f != "src");
        let mut walked = base.to_string();
        // Kubernetes manifests under a demo's or an example's folder may
        // be a real environment's (`deploy/demo/k8s/`); a harness's are not.
        let manifests = is_for_kubernetes(dir);
        let showcase =
            |folder: &str| is_named_for(&|w: &str| SHOWCASE_WORDS.contains(&w), folder, "");
        let in_an_image = self
            .image_dirs
            .iter()
            .any(|image| is_at_or_under(path, image));
        let spring_copy = ["application", "bootstrap"]
            .iter()
            .any(|s| name.starts_with(s))
            && !in_an_image;
        for folder in folders.filter(|f| !f.is_empty()) {
            if !walked.is_empty() {
                walked.push('/');
            }
            walked.push_str(folder);
            // Without a pom, the folder holding `src/` is a project's, and
            // its name is the module's (Samza's Gradle `samza-test/`).
            let project_folder = (no_pom || unheld_java)
                && dir
                    .get(walked.len()..)
                    .is_some_and(|rest| rest.starts_with("/src/"));
            let marked = (folder_marks_not_service(folder)
                || HOW_TO_FOLDERS.contains(&folder.to_ascii_lowercase().as_str())
                || (project_folder && is_marked_not_service(folder, "")))
                && !(manifests && showcase(folder));
            if marked && no_pom {
                return Some(format!(
                    "in {walked}/, named as a test harness or an example (no pom says which modules a pod runs)"
                ));
            }
            if marked {
                return Some(format!(
                    "in {walked}/, a test harness or example folder outside every module"
                ));
            }
            // `tools/profile-exporter/`: what an operator runs by hand,
            // even when a release bundle carries it.
            let aside = !manifests && !in_an_image && !self.named_for_pods.contains(&walked);
            if TOOL_FOLDERS.contains(&folder.to_ascii_lowercase().as_str()) && aside {
                return Some(format!(
                    "in {walked}/, a folder of tools outside every module, which a person runs"
                ));
            }
            // `configurations/backup/`: a copy kept aside (an export of a
            // configuration center's files), loaded from elsewhere if at all.
            if BACKUP_FOLDERS.contains(&folder.to_ascii_lowercase().as_str()) && aside {
                return Some(format!(
                    "in {walked}/, a backup copy outside every module, which nothing loads"
                ));
            }
            // `doc/conf/local/bootstrap.yml` beside `doc/conf/prod/`: a
            // developer's copy of a Spring file, unless an image is built
            // with it (a cluster's manifests are still what its pods get).
            if folder.eq_ignore_ascii_case("local") && !manifests && spring_copy {
                return Some(format!(
                    "in {walked}/, a copy for a developer's machine outside every module"
                ));
            }
        }
        if let Some(release) = self.releases.iter().find(|r| is_at_or_under(path, r)) {
            return Some(format!(
                "in {release}/, an unpacked release of another program (its bin/, conf/ and license), which the repository does not build"
            ));
        }
        // What Kubernetes gives the pod, unless a harness's (`e2e/k8s/`).
        if no_pom || manifests {
            return None;
        }
        self.compose_stacks
            .iter()
            .find(|stack| is_at_or_under(path, stack))
            .filter(|_| {
                !self
                    .image_dirs
                    .iter()
                    .any(|image| is_at_or_under(path, image))
            })
            .map(|stack| format!("in the Docker Compose stack {stack}/, outside every module"))
    }

    /// Whether a path belongs to a module on the classpath of an
    /// application found: all that calls its code is in the repository
    /// (a library with no application of its own is called from outside).
    pub fn in_an_application(&self, path: &str) -> bool {
        if let Some(unit) = self.gradle_unit_of(path) {
            return unit.deployed;
        }
        self.found_by != FoundBy::Nothing
            && self
                .module_of(path)
                .is_some_and(|i| self.applications.iter().any(|a| a.contains(&i)))
    }

    /// Why a path runs in no pod: it lies in a folder for another cluster
    /// manager than Kubernetes ([`other_platform_folders`]).
    pub fn for_another_platform(&self, path: &str) -> Option<String> {
        self.other_platforms
            .iter()
            .find(|(folder, _)| is_at_or_under(path, folder))
            .map(|(folder, kubernetes)| {
                format!("in {folder}/, for another cluster manager than Kubernetes (its sibling {kubernetes}/ is for Kubernetes): no pod runs it")
            })
    }

    /// Why a file runs in no pod: it is a Java source GWT compiles to
    /// JavaScript ([`gwt_client_packages`]), or a browser application's
    /// source ([`browser_applications`]); the browser runs both.
    fn browser_code(&self, path: &str) -> Option<String> {
        self.browser_packages
            .iter()
            .find(|(folder, _)| is_at_or_under(path, folder))
            .map(|(folder, module)| {
                let package = folder.split_once("src/main/java/").map_or(folder.as_str(), |(_, p)| p);
                format!("in {}, which GWT compiles to JavaScript for the browser ({module}): it never runs in the pod", package.replace('/', "."))
            })
            .or_else(|| {
                self.browser_apps
                    .iter()
                    .find(|folder| !path.ends_with(".java") && is_at_or_under(path, folder))
                    .map(|folder| format!("in {folder}/, a browser application's sources (its package.json, its components): the browser runs them, not the pod"))
            })
    }

    /// Why a path runs outside the JVM: in the browser
    /// ([`Self::browser_code`]) or as another language's program
    /// ([`Self::other_language`]).
    pub fn outside_the_jvm(&self, path: &str) -> Option<String> {
        self.browser_code(path)
            .or_else(|| self.other_language(path))
    }

    /// Why a path is another language's program: it lies in a Go module's
    /// folder with no JVM build in it (Prophecis' `cc/`, its `go.mod`
    /// beside `config/application.yml`): what its configuration says is
    /// that program's, which the pack's rules do not describe.
    fn other_language(&self, path: &str) -> Option<String> {
        self.go_modules
            .iter()
            .find(|folder| is_at_or_under(path, folder))
            .map(|folder| {
                let shown = if folder.is_empty() { "." } else { folder.as_str() };
                format!("in {shown}/, a Go module's folder (its go.mod, no JVM build in it): another language's program, not a Java service")
            })
    }

    /// The module a repository path belongs to, when no pod runs it.
    pub fn not_deployed<'s>(&'s self, path: &str, project: &'s Project) -> Option<&'s str> {
        if let Some(unit) = self.gradle_unit_of(path) {
            return (!unit.deployed).then_some(unit.name.as_str());
        }
        let i = self.module_of(path)?;
        (!self.deployed.get(i).copied().unwrap_or(true)).then(|| project.poms[i].artifact())
    }

    /// Whether a path belongs to a project of the Gradle build read.
    pub fn in_gradle_build(&self, path: &str) -> bool {
        self.gradle_unit_of(path).is_some()
    }

    /// The Gradle project a repository path belongs to, in a build whose
    /// deployed projects were found.
    /// The folder of the module (a pom's or a Gradle project's) a path
    /// belongs to.
    pub fn module_dir<'p>(&'p self, path: &str, project: &'p Project) -> Option<&'p str> {
        if let Some(unit) = self.gradle_unit_of(path) {
            return Some(&unit.dir);
        }
        let pom = &project.poms[self.module_of(path)?].path;
        Some(pom.rsplit_once('/').map_or("", |(dir, _)| dir))
    }

    fn gradle_unit_of(&self, path: &str) -> Option<&GradleUnit> {
        self.gradle.iter().find(|u| is_at_or_under(path, &u.dir))
    }

    /// The aggregator a Java source belongs to, when its nearest pom is
    /// one: an aggregator compiles nothing, so the source is in no
    /// artifact (a snippet beside the modules, such as
    /// `integration/log4j/CatAppender.java`).
    pub fn uncompiled_source<'p>(&self, path: &str, project: &'p Project) -> Option<&'p str> {
        path.ends_with(".java")
            .then(|| self.aggregator_of(path, project))
            .flatten()
    }

    /// The module whose jar leaves out a configuration file of its
    /// `src/main/` that Maven does not package: one directly in
    /// `src/main/`, in its Java sources (seata's
    /// `core/src/main/log4j.properties`) or in `src/main/resources` when
    /// the build declares other resource folders instead (DataX's
    /// `otsstreamreader`), unless a resource folder the build declares
    /// holds it (one named by a property may) or an assembly takes it.
    pub fn unpackaged_resource<'p>(&self, path: &str, project: &'p Project) -> Option<&'p str> {
        if path.ends_with(".java") {
            return None;
        }
        let (module, below) = self.in_module(path, project)?;
        let pom = &project.poms[module];
        if pom.packaging() != "jar" {
            return None;
        }
        // Other folders of `src/main/` (`docker`, `jib`, `assembly`) are
        // what plugins take.
        let in_main = below.strip_prefix("src/main/").is_some_and(|rest| {
            !rest.contains('/') || rest.starts_with("java/") || rest.starts_with("resources/")
        });
        // What a parent declares applies to each module, from its own
        // folder; declared folders replace `src/main/resources`.
        let declared: Vec<&String> = project
            .lineage(module)
            .into_iter()
            .flat_map(|p| &project.poms[p].resource_directories)
            .collect();
        let held = if declared.is_empty() {
            is_at_or_under(below, "src/main/resources")
        } else {
            declared.iter().any(|dir| {
                // A property other than the module's folder: it may.
                let other_property = dir
                    .replace("${project.basedir}", "")
                    .replace("${basedir}", "")
                    .contains("${");
                other_property
                    || module_relative(dir)
                        .and_then(|dir| normalized("", &dir))
                        .is_none_or(|dir| is_at_or_under(below, &dir))
            })
        };
        (in_main && !held && !self.is_assembled(path)).then(|| pom.artifact())
    }

    /// The module a repository path lies in, with the path as seen from
    /// the module's folder (`src/main/resources/log4j2.xml`).
    fn in_module<'q>(&self, path: &'q str, project: &Project) -> Option<(usize, &'q str)> {
        let module = self.module_of(path)?;
        let base = project.poms[module]
            .path
            .rsplit_once('/')
            .map_or("", |(d, _)| d);
        let below = path.strip_prefix(base)?.trim_start_matches('/');
        Some((module, below))
    }

    /// Where a file of a module's resources lies below a folder named as
    /// examples, demos or samples, or as how-tos (Pinot's
    /// `pinot-tools/src/main/resources/examples/batch/orders/`): the
    /// module and that folder. A quick start or a person copies such a
    /// file; the service does not read it as its configuration. Only the
    /// folder's whole name counts (`sample-data/` may be the service's).
    pub fn example_resource<'p>(
        &self,
        path: &str,
        project: &'p Project,
    ) -> Option<(&'p str, String)> {
        if path.ends_with(".java") {
            return None;
        }
        let (module, below) = self.in_module(path, project)?;
        let pom = &project.poms[module];
        let (folders, _) = below
            .strip_prefix("src/main/resources/")?
            .rsplit_once('/')?;
        let mut walked = String::new();
        for folder in folders.split('/') {
            if !walked.is_empty() {
                walked.push('/');
            }
            walked.push_str(folder);
            let lower = folder.to_ascii_lowercase();
            if SHOWCASE_WORDS.contains(&lower.as_str()) || HOW_TO_FOLDERS.contains(&lower.as_str())
            {
                return Some((pom.artifact(), walked));
            }
        }
        None
    }

    /// The module whose jar plugin leaves a file of its resources out
    /// (`<excludes><exclude>log4j2.xml</exclude>`: a start script gives
    /// the program the copy in its distribution's `conf/` instead), with
    /// the pattern that does.
    pub fn jar_excluded<'p>(&self, path: &str, project: &'p Project) -> Option<(&'p str, &'p str)> {
        let (module, below) = self.in_module(path, project)?;
        let pom = &project.poms[module];
        let in_jar = below.strip_prefix("src/main/resources/")?;
        let pattern = pom
            .plugins
            .iter()
            .filter(|p| p.artifact() == "maven-jar-plugin")
            .flat_map(|p| &p.excludes)
            .find(|pattern| {
                globset::GlobBuilder::new(pattern.trim())
                    .literal_separator(true)
                    .build()
                    .is_ok_and(|glob| glob.compile_matcher().is_match(in_jar))
            })?;
        Some((pom.artifact(), pattern.trim()))
    }

    /// The module whose build leaves a Java source out, with the folders
    /// it may compile: the source lies outside the module's `src/` and every
    /// source folder its pom declares (a vendored bundle's scripts, such
    /// as kkFileView's `LibreOfficePortable/…/Scripts/java`), or in a
    /// folder of `src/main/` no compiler takes (`src/main/test/`, the
    /// resources, which are shipped as files). `None`
    /// when a declared folder is not known before the build (a property).
    pub fn outside_source_folders<'p>(
        &self,
        path: &str,
        project: &'p Project,
    ) -> Option<(&'p str, String)> {
        if !path.ends_with(".java") {
            return None;
        }
        let (module, below) = self.in_module(path, project)?;
        let pom = &project.poms[module];
        let mut folders = Vec::new();
        // What a parent declares applies to each module, from its own folder.
        let declared = project
            .lineage(module)
            .into_iter()
            .flat_map(|p| &project.poms[p].source_directories);
        for dir in declared {
            let dir = dir
                .trim()
                .trim_start_matches("${project.basedir}/")
                .trim_start_matches("${basedir}/")
                .trim_start_matches("./")
                .trim_end_matches('/');
            if dir.contains("${") || dir.starts_with('/') || dir.contains("..") {
                return None;
            }
            if crate::is_at_or_under(below, if dir == "." { "" } else { dir }) {
                return None;
            }
            folders.push(dir);
        }
        // Below `src/main/` the compilers take only their language's
        // folder: `src/main/test/` or `src/main/resources/` is never
        // compiled.
        let compiled_by_default = match below.strip_prefix("src/main/") {
            Some(rest) => rest
                .split_once('/')
                .is_some_and(|(folder, _)| JVM_SOURCE_FOLDERS.contains(&folder)),
            None => crate::is_at_or_under(below, "src"),
        };
        if compiled_by_default {
            return None;
        }
        folders.insert(0, "src/main/java");
        let folders: Vec<String> = folders.iter().map(|f| format!("{f}/")).collect();
        Some((pom.artifact(), folders.join(", ")))
    }

    /// The aggregator any other file belongs to, when its nearest pom is
    /// one and assembles no distribution (whose descriptor takes its own
    /// `conf/`), no Dockerfile at or above the file may copy it and no
    /// module takes its folder as resources (Storm's `storm-client` packs
    /// `../conf`): no artifact takes it (seata's `script/client/`
    /// templates). `None` when the repository has no pom.
    pub fn outside_modules<'p>(&self, path: &str, project: &'p Project) -> Option<&'p str> {
        let built_into_an_image = self
            .image_dirs
            .iter()
            .any(|image| is_at_or_under(path, image));
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        if path.ends_with(".java")
            || built_into_an_image
            || is_for_kubernetes(dir)
            || declared_resource(path, project)
        {
            return None;
        }
        let i = self.module_of(path)?;
        let distribution = project.application_kind(i) == Some("distribution");
        (!distribution)
            .then(|| self.aggregator_of(path, project))
            .flatten()
    }

    /// The artifactId of a path's nearest pom, when that is an aggregator.
    fn aggregator_of<'p>(&self, path: &str, project: &'p Project) -> Option<&'p str> {
        let pom = &project.poms[self.module_of(path)?];
        (pom.packaging() == "pom").then(|| pom.artifact())
    }

    /// The artifactIds of the modules (aggregators aside) that run in pods
    /// and of those that do not.
    pub fn modules<'s>(&'s self, project: &'s Project) -> (Vec<&'s str>, Vec<&'s str>) {
        let mut gradle: Vec<&GradleUnit> = self.gradle.iter().collect();
        gradle.sort_by(|a, b| a.name.cmp(&b.name));
        (0..self.deployed.len())
            .filter(|&i| project.poms[i].packaging() != "pom")
            .map(|i| (self.deployed[i], project.poms[i].artifact()))
            .chain(gradle.iter().map(|u| (u.deployed, u.name.as_str())))
            .fold((Vec::new(), Vec::new()), |(mut yes, mut no), (d, name)| {
                if d {
                    yes.push(name);
                } else {
                    no.push(name);
                }
                (yes, no)
            })
    }

    /// The command-line tool a repository path belongs to, by its module's
    /// name (`rocketmq-tools`) or a terminal library it uses (arthas'
    /// telnet client, on jline), unless podready.toml or a deploy spec says
    /// it runs in a pod.
    pub fn command_line_tool<'p>(&self, path: &str, project: &'p Project) -> Option<&'p str> {
        let i = self.module_of(path)?;
        // Named for tools, but a library an application holds, with no
        // program of its own to package (eladmin's `eladmin-tools`: mail,
        // storage and payment helpers of its system application).
        let library = project.poms[i].main_classes.is_empty()
            && self.applications.iter().any(|a| {
                a[1..].contains(&i) && self.reasons[a[0]].as_deref() != Some("distribution")
            });
        (self.tools[i].is_some() && !self.named_as_deployed(i) && !library)
            .then(|| project.poms[i].artifact())
    }

    /// The command-line tool a repository path belongs to
    /// ([`Self::command_line_tool`]) when nothing else runs it: one named
    /// for tools or using a terminal library that no other module depends
    /// on (Usergrid's tools, which a release copies), or one that is a
    /// tool only by a folder above it or its main classes
    /// ([`named_as_a_tool`]) that no application found holds on its
    /// classpath but a distribution packing every module, and that is no
    /// application itself (Tez's job analyzer and the history parser only
    /// it uses, in Tez's tarball). A module named for tools that a
    /// distribution depends on may be the one its scripts start (Sentry's
    /// `sentry-tools`, whose `SentryMain` starts the server too).
    pub fn standalone_command_line_tool<'p>(
        &self,
        path: &str,
        project: &'p Project,
    ) -> Option<&'p str> {
        let tool = self.command_line_tool(path, project)?;
        let i = self.module_of(path)?;
        // An application itself runs in a pod.
        if self.reasons[i].is_some() {
            return None;
        }
        let by_where_or_mains =
            self.found_by != FoundBy::Nothing && self.tools[i] == Some(ToolBy::WhereOrMains);
        if !by_where_or_mains {
            return (!self.depended_on[i]).then_some(tool);
        }
        // An application holding it on its classpath runs its code; a
        // distribution packing every module only ships it.
        let held = self
            .applications
            .iter()
            .any(|a| a.contains(&i) && self.reasons[a[0]].as_deref() != Some("distribution"));
        (!held).then_some(tool)
    }

    /// The Java agent a repository path belongs to: a module whose jar's
    /// manifest names an agent class and that is nothing else — no main
    /// class, not a war, no module of the repository depending on it (its
    /// code would run in that application's threads) — unless podready.toml
    /// or a deploy spec says it runs in a pod.
    pub fn java_agent<'p>(&self, path: &str, project: &'p Project) -> Option<&'p str> {
        let i = self.module_of(path)?;
        let pom = &project.poms[i];
        let only_an_agent = !pom.agent_classes.is_empty()
            && pom.main_classes.is_empty()
            && pom.packaging.as_ref().is_none_or(|p| p.value != "war")
            && !self.depended_on[i];
        (only_an_agent && !self.named_as_deployed(i)).then(|| pom.artifact())
    }

    /// The adapter module a repository path belongs to, and why it is one
    /// ([`Project::adapter_module`] with the artifacts of `artifacts`),
    /// unless podready.toml or a deploy spec names it as deployed.
    pub fn adapter<'p>(
        &self,
        path: &str,
        project: &'p Project,
        artifacts: &HashSet<String>,
    ) -> Option<(&'p str, String)> {
        let i = self.module_of(path)?;
        if self.named_as_deployed(i) {
            return None;
        }
        project.adapter_module(i, |d| {
            artifacts.contains(&format!("{}:{}", d.group(), d.artifact()))
        })
    }

    /// How a legacy logging API reaches logback in every application
    /// running module `module` (see
    /// [`classpath_route`]). `None` when one does not, or no application
    /// is known to run the module.
    pub fn bridged(
        &self,
        module: usize,
        project: &Project,
        routes: &LoggingRoutes,
        bridge: &LoggingBridge,
    ) -> Option<String> {
        let running: Vec<&Vec<usize>> = self
            .applications
            .iter()
            .filter(|classpath| classpath.contains(&module))
            .collect();
        if running.is_empty() {
            return carried_route(project, module, routes, bridge);
        }
        let mut how = Vec::new();
        for classpath in &running {
            how.push(classpath_route(project, classpath, routes, bridge)?);
        }
        how.sort_unstable();
        how.dedup();
        let mut apps: Vec<&str> = running
            .iter()
            .map(|classpath| project.poms[classpath[0]].artifact())
            .collect();
        apps.sort_unstable();
        apps.dedup();
        let shown = match apps.len() {
            0..=3 => apps.join(", "),
            n => format!("{} and {} more", apps[..3].join(", "), n - 3),
        };
        let verb = if how.len() == 1 { "routes" } else { "route" };
        (!how.is_empty()).then(|| {
            format!(
                "{} {verb} it to SLF4J and logback in {shown}",
                how.join(" and ")
            )
        })
    }

    /// Why logback never reads a configuration file of module `module`:
    /// every application running it (the module itself when none does)
    /// binds SLF4J to another backend (`log4j-slf4j-impl`, outside
    /// profiles) and has no logback (`logback-classic`, a Spring Boot
    /// starter's logging) on its classpath. The dependencies are the ones
    /// the poms declare: logback arriving transitively is not seen, so a
    /// backend declared beside it must be.
    pub fn logback_unbound(
        &self,
        module: usize,
        project: &Project,
        routes: &LoggingRoutes,
    ) -> Option<String> {
        let own = [module];
        let mut running: Vec<&[usize]> = self
            .applications
            .iter()
            .filter(|classpath| classpath.contains(&module))
            .map(Vec::as_slice)
            .collect();
        if running.is_empty() {
            running.push(&own);
        }
        let mut backends = Vec::new();
        for classpath in &running {
            let active: Vec<(String, &PomDependency)> = classpath_dependencies(project, classpath)
                .into_iter()
                .filter(|(_, d)| d.profile.is_none())
                .collect();
            let coordinates =
                |(group, d): &(String, &PomDependency)| format!("{group}:{}", d.artifact());
            // Only an exclusion outside profiles counts: logback may be there.
            let boot_logging = brings_boot_logging(active.iter(), active.iter());
            if boot_logging || active.iter().any(|dep| coordinates(dep) == routes.logback) {
                return None;
            }
            let backend = active
                .iter()
                .find(|dep| routes.other_backends.contains(&coordinates(dep)))?;
            backends.push(backend.1.artifact().to_string());
        }
        backends.sort_unstable();
        backends.dedup();
        Some(format!(
            "not read: {} binds SLF4J to another backend where {} runs, and no logback is on its classpath",
            backends.join(" and "),
            project.poms[module].artifact()
        ))
    }

    /// Whether podready.toml or a `deploy.yaml` names the module of `path`
    /// as deployed.
    pub fn is_named_as_deployed(&self, path: &str) -> bool {
        self.module_of(path)
            .is_some_and(|i| self.named_as_deployed(i))
    }

    /// Whether podready.toml or a deploy spec names module `i` as deployed:
    /// then it is an application, whatever its name or build says.
    fn named_as_deployed(&self, i: usize) -> bool {
        matches!(self.found_by, FoundBy::Configured | FoundBy::DeploySpec)
            && self.reasons[i].is_some()
    }

    /// Whether a path lies in a module named as an example, demo,
    /// benchmark or test harness (`order-e2e`).
    pub fn in_harness_module(&self, path: &str) -> bool {
        self.module_of(path)
            .is_some_and(|i| self.harness_modules.get(i).copied().unwrap_or(false))
    }

    /// Whether an assembly of the repository takes the file from its place
    /// (`<source>../server/src/main/resources/application.yml</source>`):
    /// the package ships it as a file of its own too.
    pub fn is_assembled(&self, path: &str) -> bool {
        self.assembled.iter().any(|a| is_at_or_under(path, a))
    }

    /// Each application's classpath: its own module first, then the
    /// modules it runs.
    pub(crate) fn applications(&self) -> &[Vec<usize>] {
        &self.applications
    }

    /// The applications (their modules) whose classpath holds module `i`,
    /// `i` itself aside.
    pub(crate) fn applications_holding(&self, i: usize) -> Vec<usize> {
        self.applications
            .iter()
            .filter(|a| a[1..].contains(&i))
            .map(|a| a[0])
            .collect()
    }

    /// Why Spring or a logging framework never reads a library module's
    /// configuration file (`order-service/src/main/resources/application.yaml`,
    /// `log4j2.xml`): every application whose jar holds the library finds
    /// its own file of that name first on the classpath.
    pub fn shadowed(&self, path: &str, project: &Project) -> Option<String> {
        let name = path.rsplit('/').next().unwrap_or(path);
        if let Some(bundle) = self
            .module_of(path)
            .filter(|i| is_logging_file(name) && self.plugin_bundles.contains(i))
        {
            return Some(format!(
                "not read: {} packs a plugin (its assembly holds no start script, it has no main class, and no script or module names it), which the program loading it runs under the logging that program configured",
                project.poms[bundle].artifact()
            ));
        }
        let shadowed = self.shadowed.get(path)?;
        let library = project.poms[self.module_of(path)?].artifact();
        let application = project.poms[shadowed.application].artifact();
        let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
        let name = file_name(path);
        Some(match &shadowed.named_by {
            None if is_logging_file(&name) => format!(
                "not read: {library} is a library of {application}, whose own {name} comes first on its classpath"
            ),
            None => format!(
                "not read: {library} is a library of {application}, whose own {name} Spring reads instead"
            ),
            Some(by) => format!(
                "not read: only {library}'s {} names it, which {application}'s own shadows",
                file_name(by)
            ),
        })
    }

    /// The index of the module a repository path belongs to.
    pub(crate) fn module_of(&self, path: &str) -> Option<usize> {
        // The nearest folder above the path that is a module's.
        let mut at = path;
        loop {
            at = at.rsplit_once('/').map_or("", |(dir, _)| dir);
            if let Some(&i) = self.dir_modules.get(at) {
                return Some(i);
            }
            if at.is_empty() {
                return None;
            }
        }
    }

    /// One line for people: which modules were taken as deployed, and why.
    pub fn describe(&self, project: &Project) -> String {
        let name = |i: usize| project.poms[i].artifact().to_string();
        let (_, not) = self.modules(project);
        let mut out = match self.found_by {
            FoundBy::Nothing => {
                "no module says it runs in a pod (no deploy.yaml, war, Spring Boot or executable build): every module counts as deployed".to_string()
            }
            _ => {
                let found: Vec<String> = (0..self.reasons.len())
                    .filter_map(|i| self.reasons[i].as_ref().map(|r| format!("{} ({r})", name(i))))
                    .chain(self.gradle.iter().filter_map(|u| {
                        u.reason.as_ref().map(|r| format!("{} ({r})", u.name))
                    }))
                    .collect();
                format!("deployed: {} and what they depend on", found.join(", "))
            }
        };
        if !not.is_empty() {
            let _ = write!(out, "; not deployed, findings at info: {}", not.join(", "));
        }
        out
    }
}

/// The projects of the Gradle build at `root` and whether a pod runs
/// each, with how that was found, when one is found to: the ones
/// podready.toml names, else those with a `deploy.yaml`, else those whose
/// build makes an application (not named as an example, demo or test
/// harness), each with the projects on its runtime classpath.
fn gradle_units(
    root: &Path,
    build_dir: &str,
    configured: &[String],
) -> Option<(Vec<GradleUnit>, FoundBy)> {
    let build = crate::gradle::GradleBuild::read(&root.join(build_dir))?;
    // The projects' folders, from the repository's root.
    let dirs: Vec<String> = build
        .modules
        .iter()
        .map(|m| match (build_dir, m.dir.as_str()) {
            ("", dir) => dir.to_string(),
            (build, "") => build.to_string(),
            (build, dir) => format!("{build}/{dir}"),
        })
        .collect();
    let modules = &build.modules;
    let named = |i: usize| {
        let m = &modules[i];
        configured
            .iter()
            .any(|c| c.trim_end_matches('/') == dirs[i] || c.trim_start_matches(':') == m.path)
    };
    let (found_by, reasons): (FoundBy, Vec<Option<String>>) = if !configured.is_empty() {
        let reasons = (0..modules.len())
            .map(|i| named(i).then(|| "named in podready.toml".to_string()))
            .collect();
        (FoundBy::Configured, reasons)
    } else if dirs
        .iter()
        .any(|dir| root.join(dir).join("deploy.yaml").is_file())
    {
        let reasons = dirs
            .iter()
            .map(|dir| {
                root.join(dir)
                    .join("deploy.yaml")
                    .is_file()
                    .then(|| "deploy.yaml".to_string())
            })
            .collect();
        (FoundBy::DeploySpec, reasons)
    } else {
        let reasons = modules
            .iter()
            .zip(&dirs)
            .map(|(m, dir)| {
                let name = m.path.rsplit(':').next().unwrap_or(&m.path);
                m.application.clone().filter(|_| {
                    !is_marked_not_service(dir, name) && !readme_presents_a_harness(root, dir)
                })
            })
            .collect();
        (FoundBy::Build, reasons)
    };
    let mut deployed: Vec<bool> = reasons.iter().map(Option::is_some).collect();
    if !deployed.iter().any(|d| *d) {
        return None;
    }
    let mut queue: Vec<usize> = (0..modules.len()).filter(|&i| deployed[i]).collect();
    while let Some(i) = queue.pop() {
        for j in modules[i]
            .depends_on
            .iter()
            .filter_map(|d| build.resolve(d))
        {
            if !deployed[j] {
                deployed[j] = true;
                queue.push(j);
            }
        }
    }
    let mut units: Vec<GradleUnit> = modules
        .iter()
        .zip(dirs)
        .zip(deployed)
        .zip(reasons)
        .map(|(((m, dir), deployed), reason)| GradleUnit {
            dir,
            name: m.path.clone(),
            deployed,
            reason,
        })
        .collect();
    units.sort_by_key(|u| std::cmp::Reverse(u.dir.len()));
    Some((units, found_by))
}

/// The folder of the repository's Gradle build: the root, else the
/// shallowest folder, two levels down at most, holding a settings script
/// (`src/backend/` in a repository that keeps its front end beside it).
fn gradle_root(root: &Path, files: &[&str]) -> String {
    let has_settings = |dir: &str| {
        ["settings.gradle", "settings.gradle.kts"]
            .iter()
            .any(|name| root.join(dir).join(name).is_file())
    };
    if has_settings("") {
        return String::new();
    }
    let mut dirs: Vec<(usize, &str)> = files
        .iter()
        .flat_map(|f| {
            let mut at = f.match_indices('/').map(|(i, _)| &f[..i]);
            [at.next(), at.next()]
        })
        .flatten()
        .map(|dir| (dir.matches('/').count(), dir))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    dirs.into_iter()
        .map(|(_, dir)| dir)
        .find(|dir| has_settings(dir))
        .unwrap_or("")
        .to_string()
}

/// Modules whose assembly packs a bundle another program loads, not an
/// application (DataSphere Studio's appconns, which its server loads from
/// a folder of plugins): an assembly of its own classpath by descriptors
/// of its own (not a built-in one alone: `jar-with-dependencies` is a fat
/// jar to run) that take no script (nothing into `bin/` or `sbin/`, no
/// `scripts` folder, no `.sh`, `.bat` or `.cmd`), no main class in its
/// build, no `main()` of its own, no image built for it, no module
/// depending on it, and no file that may start a class (a script, a
/// Dockerfile, a manifest…) naming its artifact.
fn plugin_bundles(
    root: &Path,
    project: &Project,
    files: &[&str],
    kinds: &[Option<&str>],
    assemblies: &[Vec<Assembly>],
    with_programs: &HashSet<usize>,
    has_image: impl Fn(usize) -> bool,
) -> HashSet<usize> {
    let takes_a_script = |text: &String| {
        let lower = text.to_ascii_lowercase();
        [
            ">bin<", ">bin/", "/bin<", "/bin/", ">sbin<", "/sbin<", "script", ".sh<", ".bat<",
            ".cmd<", "*.sh", "*.cmd", "*.bat",
        ]
        .iter()
        .any(|s| lower.contains(s))
    };
    let candidates: Vec<usize> = (0..project.poms.len())
        .filter(|&i| kinds[i] == Some("assembly") && project.poms[i].main_classes.is_empty())
        .filter(|&i| {
            !assemblies[i].is_empty()
                && assemblies[i].iter().all(|a| match a {
                    Assembly::Unknown => false,
                    Assembly::Descriptors(texts) => {
                        !texts.is_empty() && !texts.iter().any(takes_a_script)
                    }
                })
        })
        .filter(|&i| !with_programs.contains(&i) && !has_image(i) && !is_depended_on(project, i))
        .collect();
    if candidates.is_empty() {
        return HashSet::new();
    }
    // Poms aside: every module's names its own artifact, and a dependent's
    // is no starter.
    let starters: Vec<String> = files
        .iter()
        .filter(|f| may_start_a_class(f) && !f.ends_with("pom.xml"))
        .filter_map(|f| read_start_file(root, f))
        .collect();
    candidates
        .into_iter()
        .filter(|&i| {
            let artifact = project.poms[i].artifact();
            !starters.iter().any(|text| text.contains(artifact))
        })
        .collect()
}

/// Spring Boot's own configuration files (`application*.yml`,
/// `bootstrap*.properties`…) and logging's (`log4j2.xml`, `logback.xml`)
/// of modules that are no application's root
/// but lie on applications' classpaths, when each such application's
/// resources hold a file of the same name: Spring reads the first on
/// the classpath, the application's own. And the library's other
/// configuration files that only those name (12306's
/// `shardingsphere-config.yaml`, named by its service's shadowed
/// `application.yaml`): no file of the library or of the applications
/// holding it names them otherwise. By path.
fn shadowed_configuration(
    root: &Path,
    files: &[&str],
    module_dirs: &[String],
    applications: &[Vec<usize>],
    reasons: &[Option<String>],
) -> HashMap<String, Shadowed> {
    let resources = |i: usize| resources_folder(&module_dirs[i]);
    let read_by_name = |name: &str| is_spring_file(name) || is_logging_file(name);
    // Only a library some application holds has files to shadow.
    let held = |library: usize| applications.iter().any(|a| a[1..].contains(&library));
    if !reasons
        .iter()
        .enumerate()
        .any(|(library, reason)| reason.is_none() && held(library))
    {
        return HashMap::new();
    }
    let shipped: HashSet<&str> = files
        .iter()
        .copied()
        .filter(|f| {
            f.rsplit_once('/')
                .is_some_and(|(_, name)| read_by_name(name))
        })
        .collect();
    // Sorted, the files under a folder are one run of the list.
    let mut sorted = files.to_vec();
    sorted.sort_unstable();
    let mut out = HashMap::new();
    // Files a shadowed file names: the file, the shadowed one, an
    // application holding the library, the modules on its classpath.
    let mut named: Vec<(&str, String, usize, Vec<usize>)> = Vec::new();
    for (library, reason) in reasons.iter().enumerate() {
        let holders: Vec<usize> = applications
            .iter()
            .filter(|a| a[1..].contains(&library))
            .map(|a| a[0])
            .collect();
        if reason.is_some() || holders.is_empty() {
            continue;
        }
        let folder = resources(library);
        for &path in &shipped {
            let Some(name) = path
                .strip_prefix(folder.as_str())
                .and_then(|r| r.strip_prefix('/'))
            else {
                continue;
            };
            if name.contains('/') {
                continue;
            }
            if holders
                .iter()
                .all(|&a| shipped.contains(format!("{}/{name}", resources(a)).as_str()))
            {
                out.insert(
                    path.to_string(),
                    Shadowed {
                        application: holders[0],
                        named_by: None,
                    },
                );
            }
        }
        let shadowed: Vec<(String, String)> = out
            .keys()
            .filter(|p| is_at_or_under(p, &folder))
            .filter_map(|p| Some((p.clone(), std::fs::read_to_string(root.join(p)).ok()?)))
            .collect();
        // A file of the library's that a shadowed file loads by its name
        // (`classpath:order-sharding.yaml`), and that no framework finds by
        // its name alone (logging's, Quartz's…).
        for path in at_or_under(&sorted, &folder) {
            let name = path.rsplit('/').next().unwrap_or(path);
            let lower = name.to_ascii_lowercase();
            let loaded_by_name = lower.rsplit_once('.').is_some_and(|(stem, ext)| {
                matches!(ext, "yml" | "yaml" | "properties" | "json")
                    && !CONVENTIONAL_CONFIGURATION
                        .iter()
                        .any(|c| stem.starts_with(c))
            });
            if !loaded_by_name || out.contains_key(path) || read_by_name(name) {
                continue;
            }
            let named_by = shadowed.iter().find(|(_, text)| {
                names_file(text, &format!("classpath:{name}"))
                    || names_file(text, &format!("classpath*:{name}"))
                    || text.contains(&format!("classpath:/{name}"))
            });
            if let Some((by, _)) = named_by {
                let classpath: Vec<usize> = applications
                    .iter()
                    .filter(|a| a.contains(&library))
                    .flatten()
                    .copied()
                    .collect();
                named.push((path, by.clone(), holders[0], classpath));
            }
        }
    }
    if named.is_empty() {
        return out;
    }
    // The texts of every other source and configuration file of the
    // modules on those applications' classpaths, read once: any of them
    // naming the file may read it.
    let modules: HashSet<usize> = named.iter().flat_map(|(.., m)| m.iter().copied()).collect();
    let text_file = |f: &str| {
        f.rsplit_once('.').is_some_and(|(_, ext)| {
            matches!(
                ext,
                "java" | "kt" | "groovy" | "xml" | "yml" | "yaml" | "properties" | "json" | "conf"
            )
        })
    };
    let texts: Vec<(&str, String)> = files
        .iter()
        .filter(|f| text_file(f) && !out.contains_key(**f))
        .filter(|f| modules.iter().any(|&m| is_at_or_under(f, &module_dirs[m])))
        .filter_map(|f| Some((*f, std::fs::read_to_string(root.join(f)).ok()?)))
        .collect();
    for (path, by, application, _) in named {
        let name = path.rsplit('/').next().unwrap_or(path);
        // Itself aside: a file naming itself is no reader.
        let named_elsewhere = texts
            .iter()
            .any(|(f, text)| *f != path && text.contains(name));
        if !named_elsewhere {
            out.insert(
                path.to_string(),
                Shadowed {
                    application,
                    named_by: Some(by),
                },
            );
        }
    }
    out
}

/// The first words of configuration files a framework finds on the
/// classpath by their name alone, whoever else names them.
const CONVENTIONAL_CONFIGURATION: [&str; 8] = [
    "log4j",
    "logback",
    "logging",
    "quartz",
    "ehcache",
    "hazelcast",
    "messages",
    "git",
];

/// A module's main resources folder (`order/src/main/resources`).
fn resources_folder(module_dir: &str) -> String {
    if module_dir.is_empty() {
        "src/main/resources".to_string()
    } else {
        format!("{module_dir}/src/main/resources")
    }
}

/// Whether a lowercase file stem is one of Spring Boot's own
/// configuration files (`application-prod`, `bootstrap`).
/// Whether a file name is Spring Boot's configuration
/// (`application-prod.yml`).
fn is_spring_file(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        matches!(ext, "properties" | "yml" | "yaml") && is_spring_boot_stem(stem)
    })
}

/// Whether a file name is one a logging framework loads from the root of
/// the classpath by that name: the first found, the application's own.
fn is_logging_file(name: &str) -> bool {
    const NAMES: [&str; 11] = [
        "log4j2.xml",
        "log4j2.properties",
        "log4j2.yaml",
        "log4j2.yml",
        "log4j2.json",
        "log4j2.jsn",
        "log4j2-spring.xml",
        "log4j.properties",
        "log4j.xml",
        "logback.xml",
        "logback-spring.xml",
    ];
    NAMES.contains(&name.to_ascii_lowercase().as_str())
}

fn is_spring_boot_stem(stem: &str) -> bool {
    stem.starts_with("application") || stem.starts_with("bootstrap")
}

/// Whether `text` names the file `name` as a whole file name
/// (`classpath:order-sharding.yaml`), not as the end of a longer one
/// (`legacy-order-sharding.yaml`).
fn names_file(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })
}

/// By pom index: a runtime configuration file the module ships in
/// `src/main/resources`, the sign of an application rather than a library.
fn runtime_configuration<'f>(
    project: &Project,
    files: impl Iterator<Item = &'f str>,
) -> Vec<Option<String>> {
    let mut found: Vec<Option<String>> = vec![None; project.poms.len()];
    let modules: Vec<(String, usize)> = (0..project.poms.len())
        .map(|i| {
            let dir = project.poms[i].path.rsplit_once('/').map_or("", |(d, _)| d);
            (format!("{}/", resources_folder(dir)), i)
        })
        .collect();
    for path in files {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
        let runtime = match ext {
            "properties" | "yml" | "yaml" => {
                is_spring_boot_stem(stem) || stem == "dubbo" || stem.starts_with("log4j")
            }
            "xml" => stem.contains("logback") || stem.starts_with("log4j"),
            _ => false,
        };
        if !runtime {
            continue;
        }
        if let Some((_, i)) = modules.iter().find(|(resources, _)| {
            path.strip_prefix(resources.as_str())
                .is_some_and(|r| !r.contains('/'))
        }) {
            found[*i].get_or_insert(name);
        }
    }
    found
}

/// Folders holding an unpacked release of another program committed to
/// the repository: start scripts in its `bin/`, a `conf/` or `config/`
/// folder and a license (`LICENSE`, `NOTICE`, `COPYING`), with no build at
/// or below it (a pom, a Gradle or an Ant build), and nothing of the
/// repository shipping it: no assembly takes it and no Dockerfile is at or
/// below it or names it (the Nacos server that Spring-Cloud-Platform's
/// `ace-nacos/nacos/` carries). What its configuration logs and connects
/// to is that program's.
fn unpacked_releases(
    root: &Path,
    files: &[&str],
    modules: &[(String, usize)],
    assembled: &[String],
    dockerfiles: &[&str],
) -> Vec<String> {
    let mut dirs: Vec<&str> = files
        .iter()
        .filter_map(|f| {
            let (dir, script) = f.rsplit_once("/bin/")?;
            let starts = [".sh", ".cmd", ".bat"].iter().any(|e| script.ends_with(e));
            (starts && !script.contains('/') && !dir.is_empty()).then_some(dir)
        })
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    if dirs.is_empty() {
        return Vec::new();
    }
    let mut sorted: Vec<&str> = files.to_vec();
    sorted.sort_unstable();
    // The files below a folder: one range of the sorted paths.
    let below = |dir: &str| {
        let prefix = format!("{dir}/");
        let from = sorted.partition_point(|f| *f < prefix.as_str());
        sorted[from..]
            .iter()
            .take_while(move |f| f.starts_with(&prefix))
            .map(move |f| &f[dir.len() + 1..])
            .collect::<Vec<&str>>()
    };
    dirs.into_iter()
        .filter(|dir| {
            // What the repository builds or ships first: no file to list.
            if modules.iter().any(|(d, _)| is_at_or_under(d, dir))
                || assembled
                    .iter()
                    .any(|a| is_at_or_under(a, dir) || is_at_or_under(dir, a))
            {
                return false;
            }
            let inside = below(dir);
            let configured = inside
                .iter()
                .any(|f| f.starts_with("conf/") || f.starts_with("config/"));
            let built = inside.iter().any(|f| {
                let name = f.rsplit('/').next().unwrap_or(f);
                name == "pom.xml" || name == "build.xml" || name.starts_with("build.gradle")
            });
            configured
                && !built
                && !shipped_by_an_image(root, dir, dockerfiles)
                && licensed(root, dir)
        })
        .map(str::to_string)
        .collect()
}

/// Whether a folder holds a license file (the walk takes none: looked
/// for on disk, for the few folders that ask).
fn licensed(root: &Path, dir: &str) -> bool {
    std::fs::read_dir(root.join(dir)).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_uppercase();
            ["LICENSE", "LICENCE", "NOTICE", "COPYING"]
                .iter()
                .any(|l| name.starts_with(l))
        })
    })
}

/// Whether a Dockerfile lies at or below `dir`, or names its last folder
/// (`COPY distribution/ /opt/app`).
fn shipped_by_an_image(root: &Path, dir: &str, dockerfiles: &[&str]) -> bool {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    dockerfiles.iter().any(|f| {
        is_at_or_under(f, dir)
            || std::fs::read(root.join(f))
                .is_ok_and(|text| String::from_utf8_lossy(&text).contains(name))
    })
}

/// The groups of parents from outside a repository that declare no
/// dependency of their own, only versions and plugins: Spring Boot's and
/// Spring Cloud's, Sonatype's and Apache's publishing parents.
const BUILD_ONLY_PARENTS: [&str; 4] = [
    "org.springframework.boot",
    "org.springframework.cloud",
    "org.sonatype.oss",
    "org.apache",
];

/// The part of a groupId naming the organisation: its first two names
/// (`com.acme` of `com.acme.shop`), three under a code host's
/// (`com.github.acme`).
fn in_house_group(group: &str) -> &str {
    let names: Vec<&str> = group.splitn(4, '.').collect();
    let take = if matches!(names.get(1), Some(&("github" | "gitee" | "gitlab"))) {
        3
    } else {
        2
    };
    let len: usize = names.iter().take(take).map(|n| n.len()).sum::<usize>()
        + names.len().min(take).saturating_sub(1);
    &group[..len.min(group.len())]
}

/// What a `main()` starting an application names: Spring Boot (its
/// class, its annotations, a company launcher's class annotated so),
/// a Spring context, Quarkus, Micronaut.
pub(crate) const APPLICATION_STARTERS: [&str; 6] = [
    "SpringApplication",
    "SpringBootApplication",
    "SpringCloudApplication",
    "ApplicationContext",
    "Quarkus",
    "Micronaut",
];

/// A Java source of main code declaring a `main()`.
#[derive(Debug, Clone, Copy)]
pub struct Program<'a> {
    pub path: &'a str,
    /// Whether it starts an application (Spring Boot, a Spring context,
    /// Quarkus, Micronaut).
    pub launches_application: bool,
    /// Whether its class is a window of a desktop toolkit.
    pub opens_window: bool,
}

/// The fewest `main()` programs of a set a person runs: a service's module
/// may hold its own and a tool or two.
const PROGRAMS_OF_A_SET: usize = 4;

/// The module holding `path`, of module directories sorted longest first:
/// the first at or above it.
fn module_at(dirs: &[(String, usize)], path: &str) -> Option<usize> {
    dirs.iter()
        .find(|(dir, _)| {
            dir.is_empty()
                || path
                    .strip_prefix(dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .map(|(_, i)| *i)
}

/// Whether a file (by its name) starts a process, and so may hand it a
/// main class, profiles, environment or properties: a Dockerfile, a
/// script, a service unit, an env file, a pipeline, a Procfile.
pub(crate) fn starts_a_process(name: &str) -> bool {
    is_dockerfile(name)
        || [".sh", ".env", ".bat", ".cmd", ".service"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || matches!(name, "Jenkinsfile" | "Procfile" | "Makefile")
}

/// Where a main class may be named to start it: scripts, Dockerfiles,
/// Compose files and manifests, a Procfile, a jar's manifest, a pom's
/// `mainClass`, anything in a `bin/` folder.
fn may_start_a_class(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let in_bin = path.starts_with("bin/") || path.contains("/bin/");
    let yaml_outside_sources =
        [".yml", ".yaml"].iter().any(|e| name.ends_with(e)) && !path.contains("src/main/");
    in_bin
        || yaml_outside_sources
        || is_dockerfile(name)
        || matches!(name, "Procfile" | "MANIFEST.MF" | "pom.xml")
        || [".sh", ".bat", ".cmd", ".service", ".conf"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// The modules `candidate` accepts that hold [`PROGRAMS_OF_A_SET`] or more
/// `main()` programs, none starting an application, when no file that may
/// start a class names one of them by its full name: sets of programs a
/// person runs (a module of examples). The start files are read once, and
/// only when a module qualifies.
fn program_sets(
    root: &Path,
    files: &[&str],
    dirs: &[(String, usize)],
    programs: &[Program],
    candidate: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut by_module: HashMap<usize, Vec<&Program>> = HashMap::new();
    for p in programs {
        if let Some(m) = module_at(dirs, p.path) {
            by_module.entry(m).or_default().push(p);
        }
    }
    let mut sets: Vec<(usize, Vec<String>)> = by_module
        .into_iter()
        .filter(|(m, own)| {
            own.len() >= PROGRAMS_OF_A_SET
                && !own.iter().any(|p| p.launches_application)
                && candidate(*m)
        })
        .map(|(m, own)| {
            let classes = own.iter().filter_map(|p| program_class(p.path)).collect();
            (m, classes)
        })
        .collect();
    if sets.is_empty() {
        return Vec::new();
    }
    for f in files.iter().filter(|f| may_start_a_class(f)) {
        let Some(text) = read_start_file(root, f) else {
            continue;
        };
        sets.retain(|(_, classes)| !classes.iter().any(|c| text.contains(c.as_str())));
        if sets.is_empty() {
            break;
        }
    }
    let mut modules: Vec<usize> = sets.into_iter().map(|(m, _)| m).collect();
    modules.sort_unstable();
    modules
}

/// By module: a start script that runs one of its `main()` programs as a
/// daemon, in the background (`nohup …`, or a command line ending with a
/// lone `&`), naming its class in full (Uniffle's `bin/start-coordinator.sh`:
/// `MAIN_CLASS="org.apache.uniffle.coordinator.CoordinatorServer"`, then
/// `nohup $RUNNER … ${MAIN_CLASS} … &`). The scripts are those of a `bin/`
/// or `sbin/` folder and the `.sh` files named for starting (`start-…`,
/// `…-daemon.sh`); they are read only when the repository has programs.
fn daemon_scripts(
    root: &Path,
    files: &[&str],
    dirs: &[(String, usize)],
    programs: &[Program],
) -> HashMap<usize, String> {
    let mut found = HashMap::new();
    let classes: Vec<(String, usize)> = programs
        .iter()
        .filter_map(|p| Some((program_class(p.path)?, module_at(dirs, p.path)?)))
        .collect();
    if classes.is_empty() {
        return found;
    }
    let mut scripts: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| is_start_script(f))
        .collect();
    scripts.sort_unstable();
    for script in scripts {
        let Some(text) = read_start_file(root, script) else {
            continue;
        };
        if !runs_in_background(&text) {
            continue;
        }
        // The script's whole names (`a.Server`, not a prefix of
        // `a.ServerTool`) outside its comments, once.
        let names: HashSet<&str> = text
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .flat_map(|line| {
                line.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.')))
            })
            .collect();
        for (class, module) in &classes {
            if names.contains(class.as_str()) {
                found.entry(*module).or_insert_with(|| script.to_string());
            }
        }
    }
    found
}

/// The text of a file that may start a class, unless it is over 1 MiB
/// (no script or manifest is) or cannot be read.
fn read_start_file(root: &Path, file: &str) -> Option<String> {
    const LARGEST_START_FILE: u64 = 1 << 20;
    let path = root.join(file);
    if std::fs::metadata(&path).map_or(true, |m| m.len() > LARGEST_START_FILE) {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The class a program's source declares by its path
/// (`core/src/main/java/a/b/Server.java` → `a.b.Server`).
fn program_class(path: &str) -> Option<String> {
    // Below any source folder of `src/main/` (Cobar's `src/main/server/`).
    let (_, class) = path.split_once("src/main/")?.1.split_once('/')?;
    Some(class.strip_suffix(".java")?.replace('/', "."))
}

/// Whether a file is a script that may start a service: in a `bin/` or
/// `sbin/` folder (`.sh` or no extension), or a `.sh` named for starting;
/// not one named for stopping (Cobar's `bin/shutdown.sh` runs its
/// `CobarShutdown` in the background too).
fn is_start_script(path: &str) -> bool {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let folder = dir.rsplit('/').next().unwrap_or(dir);
    let lower = name.to_ascii_lowercase();
    let shell = lower.ends_with(".sh") || !lower.contains('.');
    // By whole words: `start-skill.sh` and `stopwatch.sh` stop nothing,
    // `start_stop_billing.sh` starts too.
    let words: Vec<&str> = lower.split(['-', '_', '.']).collect();
    let stops = words
        .iter()
        .any(|w| matches!(*w, "stop" | "shutdown" | "kill"))
        && !words.iter().any(|w| w.starts_with("start"));
    let starts = (matches!(folder, "bin" | "sbin") && shell)
        || (lower.ends_with(".sh")
            && (lower.starts_with("start")
                || lower.contains("daemon")
                || lower.contains("startup")));
    starts && !stops
}

/// Whether a script puts a command in the background: `nohup`, or a
/// command line ending with a lone `&` (not `&&`, not a comment).
fn runs_in_background(text: &str) -> bool {
    text.lines().map(str::trim).any(|line| {
        // Also a command built in a variable for `eval` (Cobar's
        // `RUN_CMD="$RUN_CMD >> console.log 2>&1 &"`).
        let command = line.trim_end_matches(['"', '\'']).trim_end();
        !line.starts_with('#')
            && (line
                .split_whitespace()
                .any(|w| w == "nohup" || w == "(nohup")
                || (command.ends_with('&') && !command.ends_with("&&")))
    })
}

/// Words in a module's name that mark a command-line tool: a service may
/// run its library code, so only what its rules call command-line
/// behaviour (printing to the console) is lowered there.
const COMMAND_LINE_WORDS: [&str; 4] = ["tools", "tool", "cli", "cmd"];

/// Words naming a module a user runs at a terminal, when it reads it.
const CONSOLE_WORDS: [&str; 5] = ["client", "console", "shell", "terminal", "repl"];

/// The words of `COMMAND_LINE_WORDS` that also say a module's executable
/// jar is an operator's tool, no service (`order-cmd` may be a CQRS
/// service's).
const TOOL_WORDS: [&str; 3] = ["tools", "tool", "cli"];

/// The names of a folder outside every module that holds an operator's
/// tools (a script and its configuration: SkyWalking's
/// `tools/profile-exporter/`).
const TOOL_FOLDERS: [&str; 2] = ["tools", "tool"];

/// The names of a folder outside every module that holds copies kept
/// aside (dante-cloud's `configurations/backup/`, a Nacos export).
const BACKUP_FOLDERS: [&str; 3] = ["backup", "backups", "bak"];

/// The words that mark code no pod runs as a showcase rather than a
/// harness: a demo's or a playground's (Kyuubi's `docker/playground/`)
/// Kubernetes manifests may be a real environment's, its other files are
/// not the service's.
const SHOWCASE_WORDS: [&str; 12] = [
    "example",
    "examples",
    "demo",
    "demos",
    "sample",
    "samples",
    "playground",
    // Struts' `apps/showcase`, a web application showing the framework.
    "showcase",
    "showcases",
    // A setup to try the product on a laptop (Pinpoint's `quickstart/`).
    "quickstart",
    "quickstarts",
    // A first application to copy (SREWorks' `sreworks-helloworld-start`,
    // a template its platform zips for a new application).
    "helloworld",
];

/// The folders of `src/main/` a JVM language's Maven plugin compiles by
/// default.
const JVM_SOURCE_FOLDERS: [&str; 4] = ["java", "kotlin", "groovy", "scala"];

/// The groups of terminal libraries: a module using one reads a person's
/// keystrokes and draws on their terminal, an interactive program.
const TERMINAL_LIBRARIES: [&str; 3] = ["org.jline", "jline", "com.googlecode.lanterna"];

/// A module's dependencies as Maven gives them to it (test scope aside),
/// its parents' included, each with its groupId interpolated in the
/// module's context. `own`: all of them, the module's own classpath (an
/// application's); else only what passes on to a module depending on it
/// (not `provided` or `<optional>`).
fn declared_dependencies(
    project: &Project,
    i: usize,
    own: bool,
) -> impl Iterator<Item = (String, &PomDependency)> {
    project.lineage(i).into_iter().flat_map(move |m| {
        project.poms[m]
            .dependencies
            .iter()
            .filter(move |d| {
                d.scope() != "test"
                    && d.section == DependencySection::Dependencies
                    && (own || !d.is_left_to_dependents())
            })
            .map(move |d| {
                // `${project.groupId}` is the usual way to name a sibling.
                let group = project
                    .interpolate(i, d.group())
                    .unwrap_or_else(|| d.group().to_string());
                (group, d)
            })
    })
}

/// By module: the modules of the repository on its main code's compile
/// classpath (itself, its dependencies but tests', and what they pass
/// on), a dependency matched to a module by its artifactId alone: a
/// groupId the poms leave to a property still matches, so a module is
/// never taken for out of reach for a coordinate not worked out.
fn compile_classpaths(project: &Project) -> Vec<Vec<usize>> {
    let n = project.poms.len();
    let mut by_artifact: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, pom) in project.poms.iter().enumerate() {
        by_artifact.entry(pom.artifact()).or_default().push(i);
    }
    let modules = |i: usize, own: bool| -> Vec<usize> {
        declared_dependencies(project, i, own)
            .flat_map(|(_, d)| by_artifact.get(d.artifact()).into_iter().flatten().copied())
            .collect()
    };
    let passed: Vec<Vec<usize>> = (0..n).map(|i| modules(i, false)).collect();
    (0..n)
        .map(|i| classpath(i, &modules(i, true), &passed))
        .collect()
}

/// Module `i` and the modules on its classpath, in the order found: its
/// own dependencies (`own`, modules of the repository) and what each
/// passes on to a module depending on it (`passed`, by module).
fn classpath(i: usize, own: &[usize], passed: &[Vec<usize>]) -> Vec<usize> {
    let mut on = vec![false; passed.len()];
    on[i] = true;
    let mut classpath = vec![i];
    let mut queue = vec![i];
    while let Some(m) = queue.pop() {
        let dependencies = if m == i { own } else { &passed[m] };
        for &j in dependencies {
            if !on[j] {
                on[j] = true;
                classpath.push(j);
                queue.push(j);
            }
        }
    }
    classpath
}

/// The modules of the repository among module `i`'s dependencies (see
/// [`declared_dependencies`]).
fn module_dependencies(
    project: &Project,
    i: usize,
    own: bool,
    by_coordinates: &HashMap<(&str, &str), usize>,
) -> Vec<usize> {
    declared_dependencies(project, i, own)
        .filter_map(|(group, d)| by_coordinates.get(&(group.as_str(), d.artifact())).copied())
        .filter(|&j| j != i)
        .collect()
}

/// What routes `bridge`'s API to SLF4J and logback on an application's
/// classpath (`classpath[0]` the application, then the repository's
/// modules it runs): one of the bridge's artifacts with logback, or
/// Spring Boot's logging starter in a major version the bridge names
/// (brought by a Spring Boot starter no dependency excludes it from,
/// with `SpringApplication` starting the application when the bridge
/// needs it). Only dependencies outside profiles route; in any profile,
/// the API's own implementation or another backend takes the logs first.
/// The dependencies are the ones the poms declare, not Maven's
/// resolution: a backend arriving transitively is not seen.
fn classpath_route(
    project: &Project,
    classpath: &[usize],
    routes: &LoggingRoutes,
    bridge: &LoggingBridge,
) -> Option<String> {
    let app = *classpath.first()?;
    let dependencies = classpath_dependencies(project, classpath);
    let coordinates = |(group, d): &(String, &PomDependency)| format!("{group}:{}", d.artifact());
    let taken = dependencies
        .iter()
        .map(coordinates)
        .any(|c| routes.other_backends.contains(&c) || bridge.conflicts.contains(&c));
    if taken {
        return None;
    }
    let active: Vec<&(String, &PomDependency)> = dependencies
        .iter()
        .filter(|(_, d)| d.profile.is_none())
        .collect();
    // An exclusion in a profile counts: the bridge may be gone.
    let boot_logging = brings_boot_logging(active.iter().copied(), dependencies.iter());
    let by_boot = boot_logging
        && classpath
            .iter()
            .find_map(|&m| project.spring_boot_major(m))
            .is_some_and(|major| bridge.spring_boot.contains(&major))
        && (!bridge.needs_spring_application
            || matches!(project.application_kind(app), Some("Spring Boot" | "war")));
    let logback = boot_logging || active.iter().any(|dep| coordinates(dep) == routes.logback);
    let by_artifact = active
        .iter()
        .find(|dep| bridge.artifacts.contains(&coordinates(dep)))
        .filter(|_| logback)
        .map(|(_, d)| d.artifact().to_string());
    by_artifact.or_else(|| by_boot.then(|| "Spring Boot's logging starter".to_string()))
}

/// The dependencies the poms declare on an application's classpath
/// (`classpath[0]` the application, then the repository's modules it
/// runs): the application's own, and what the others pass on.
/// Whether a module of `classpath` declares a dependency (tests' aside) on
/// one of `coordinates` (`groupId:artifactId`, the groupId interpolated).
pub(crate) fn declares_any(classpath: &[usize], project: &Project, coordinates: &[String]) -> bool {
    !coordinates.is_empty()
        && classpath_dependencies(project, classpath)
            .iter()
            .any(|(group, d)| coordinates.contains(&format!("{group}:{}", d.artifact())))
}

fn classpath_dependencies<'p>(
    project: &'p Project,
    classpath: &[usize],
) -> Vec<(String, &'p PomDependency)> {
    let app = classpath.first().copied();
    classpath
        .iter()
        .flat_map(|&m| declared_dependencies(project, m, Some(m) == app))
        .collect()
}

/// Whether Spring Boot's logging starter comes onto a classpath: a Spring
/// Boot starter among `active` (its dependencies outside profiles), and no
/// dependency of `excluding` excluding the logging starter.
fn brings_boot_logging<'a, 'p: 'a>(
    mut active: impl Iterator<Item = &'a (String, &'p PomDependency)>,
    mut excluding: impl Iterator<Item = &'a (String, &'p PomDependency)>,
) -> bool {
    const BOOT: &str = "org.springframework.boot";
    active.any(|(g, d)| g == BOOT && d.artifact().starts_with("spring-boot-starter"))
        && !excluding.any(|(_, d)| d.excludes(BOOT, "spring-boot-starter-logging"))
}

/// How a library no application of the repository runs hands the API on:
/// through a bridge its own dependencies carry ([`LoggingBridge::carried_by`]),
/// `provided` ones included, a Spring one from Spring 5 (Spring Boot 2) on, when nothing of its own
/// takes the API instead (the API's implementation, another backend, the
/// bridge excluded).
fn carried_route(
    project: &Project,
    module: usize,
    routes: &LoggingRoutes,
    bridge: &LoggingBridge,
) -> Option<String> {
    let dependencies: Vec<(String, &PomDependency)> = declared_dependencies(project, module, true)
        .filter(|(_, d)| d.profile.is_none())
        .collect();
    let bridged_by = bridge.artifacts.iter().find(|a| {
        a.split_once(':')
            .is_some_and(|(group, _)| bridge.carried_by.iter().any(|g| g == group))
    })?;
    let (bridge_group, bridge_name) = bridged_by.split_once(':').unwrap_or(("", bridged_by));
    let taken = dependencies.iter().any(|(group, d)| {
        let coordinates = format!("{group}:{}", d.artifact());
        routes.other_backends.contains(&coordinates)
            || bridge.conflicts.contains(&coordinates)
            || d.excludes(bridge_group, bridge_name)
    });
    if taken {
        return None;
    }
    let major = |version: &str| version.trim().split('.').next()?.parse::<u32>().ok();
    // A `provided` one is there too: the library's code needs it, so the
    // application taking the library brings it (Apollo's config-data
    // loaders on a provided `spring-boot-autoconfigure`); an optional one
    // may be missing.
    let carrier = dependencies.iter().find(|(group, d)| {
        let optional = d.optional.as_ref().is_some_and(|o| o.value == "true");
        let runs = !optional
            && !d.artifact().ends_with("-processor")
            && !d.artifact().ends_with("-loader");
        let recent = project.spring_boot_major(module).is_some_and(|m| m >= 2)
            || d.version
                .as_ref()
                .and_then(|v| major(&v.value))
                .is_some_and(|m| m >= 5);
        bridge.carried_by.contains(group) && runs && recent
    })?;
    Some(format!(
        "{bridge_name}, which {} brings, routes it to the logging of the application that takes this library",
        carrier.1.artifact()
    ))
}

/// Whether another module of the repository that builds or packs an
/// artifact depends on module `i` (test scope aside; not a `pom` module
/// that packs nothing, a report's).
fn is_depended_on(project: &Project, i: usize) -> bool {
    let target = &project.poms[i];
    let coordinates = (target.effective_group(), target.artifact());
    // A `pom` module that packs nothing feeds its dependencies to a report
    // (WebMagic's `webmagic-coverage`, aggregating JaCoCo's), not to a
    // program; one that assembles a release ships them.
    const PACKERS: [&str; 3] = [
        "maven-assembly-plugin",
        "appassembler-maven-plugin",
        "maven-dependency-plugin",
    ];
    let packs = |j: usize| {
        let pom = &project.poms[j];
        pom.packaging() != "pom" || pom.plugins.iter().any(|p| PACKERS.contains(&p.artifact()))
    };
    (0..project.poms.len())
        .filter(|&j| j != i && packs(j))
        .any(|j| {
            project.poms[j].dependencies.iter().any(|d| {
                let group = project
                    .interpolate(j, d.group())
                    .unwrap_or_else(|| d.group().to_string());
                d.scope() != "test"
                    && d.section == DependencySection::Dependencies
                    && (group.as_str(), d.artifact()) == coordinates
            })
        })
}

/// What a file says of its module's web server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum WebServer {
    /// A base configuration file turns it off, as it says.
    Off(String),
    /// A configuration file (a profile's too) may turn it on.
    On,
    /// A `main()` starts Spring Boot: with `WebApplicationType.NONE`
    /// (how it says so), or with whatever the configuration chooses.
    Main(Option<String>),
}

/// What a file says of its module's web server. A Java source whose
/// `main()` starts Spring Boot says whether it builds the application
/// with `WebApplicationType.NONE` (comments aside); a base configuration
/// file (`application.*`, `bootstrap.*`)
/// turns it off when it sets `spring.main.web-application-type` to
/// `none` (or the old `spring.main.web-environment` to `false`), however
/// the key is spelt, outside a document a profile activates; any of
/// Spring's configuration files (a profile's too) setting it to another
/// value turns it on, and on wins.
pub(crate) fn web_server(rel: &str, kind: WebServerSource) -> Option<WebServer> {
    match kind {
        WebServerSource::Java(text) => {
            // Most sources start nothing: they are not copied.
            if !text.contains("static void main(") || !text.contains("SpringApplication") {
                return None;
            }
            let code = crate::java::without_comments(text);
            if !code.contains("static void main(") || !code.contains("SpringApplication") {
                return None;
            }
            Some(WebServer::Main(
                code.contains("WebApplicationType.NONE")
                    .then(|| "`WebApplicationType.NONE`".to_string()),
            ))
        }
        WebServerSource::Config(text) => {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            let base = matches!(stem, "application" | "bootstrap");
            if !base && !stem.starts_with("application-") && !stem.starts_with("bootstrap-") {
                return None;
            }
            // Parsed again only when it may hold the key, however spelt.
            let plain: String = text
                .chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .flat_map(|c| c.to_lowercase())
                .collect();
            if !plain.contains("webapplicationtype") && !plain.contains("webenvironment") {
                return None;
            }
            let mut off = None;
            for (v, conditional) in crate::profiles::conditioned_values(rel, text) {
                let key: String = v
                    .key
                    .chars()
                    .filter(|c| !matches!(c, '-' | '_'))
                    .flat_map(char::to_lowercase)
                    .collect();
                let value = v.value.trim();
                let is_off = match key.as_str() {
                    "spring.main.webapplicationtype" => value.eq_ignore_ascii_case("none"),
                    "spring.main.webenvironment" => value.eq_ignore_ascii_case("false"),
                    _ => continue,
                };
                if !is_off {
                    return Some(WebServer::On);
                }
                if base && !conditional {
                    off.get_or_insert_with(|| WebServer::Off(format!("`{} = {value}`", v.key)));
                }
            }
            off
        }
    }
}

/// Where [`web_server`] looks: a Java source, or a Spring configuration
/// file's text.
pub(crate) enum WebServerSource<'a> {
    Java(&'a str),
    Config(&'a str),
}

/// Whether a Java source reads lines a user types at the terminal: a
/// `Scanner` or a reader over `System.in`, `System.console()`, or an
/// interactive shell's library (Spring Shell's commands, JLine's line
/// reader). Not `System.in.read()`, a server's wait for a key before it
/// stops.
pub(crate) fn reads_terminal(java: &str) -> bool {
    const READERS: [&str; 5] = [
        "Scanner(System.in",
        "InputStreamReader(System.in",
        "System.console()",
        "org.springframework.shell.",
        "org.jline.",
    ];
    READERS.iter().any(|r| java.contains(r))
}

/// `docker-compose.yml`, `docker-compose.prod.yaml`, `compose.yml`.
pub(crate) fn is_compose_file(path: &str) -> bool {
    if !is_yaml(path) {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with("docker-compose") || name.starts_with("compose.")
}

/// The paths of a sorted list at or under a folder.
fn at_or_under<'a: 's, 's>(
    sorted: &'s [&'a str],
    folder: &'s str,
) -> impl Iterator<Item = &'a str> + 's {
    let start = sorted.partition_point(|p| *p < folder);
    sorted[start..]
        .iter()
        .copied()
        .take_while(move |p| p.starts_with(folder))
        .filter(move |p| is_at_or_under(p, folder))
}

/// Whether a path ends in `.yml` or `.yaml`, in any case.
fn is_yaml(path: &str) -> bool {
    let ends_with = |ext: &str| {
        path.len()
            .checked_sub(ext.len())
            .and_then(|at| path.get(at..))
            .is_some_and(|end| end.eq_ignore_ascii_case(ext))
    };
    ends_with(".yml") || ends_with(".yaml")
}

/// Words of a folder's name that name another cluster manager than
/// Kubernetes (not `local` nor `standalone`, which name much else).
const OTHER_PLATFORM_WORDS: [&str; 9] = [
    "mesos", "marathon", "nomad", "slurm", "aurora", "yarn", "swarm", "ecs", "dcos",
];

/// The folders, with their Kubernetes sibling, of a family with one folder
/// per cluster manager (Heron's `scheduler/{kubernetes,mesos,nomad,…}`
/// packages, its `conf/{kubernetes,yarn,local,…}`): beside a folder named
/// for Kubernetes, at least two named for other ones. What the others hold
/// runs on those, never in a pod — unless an image is built there.
fn other_platform_folders(files: &[&str], image_dirs: &[String]) -> Vec<(String, String)> {
    let words = |name: &str| -> Vec<String> {
        name.split(['-', '_', '.'])
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let is_kubernetes = |name: &str| words(name).iter().any(|w| w == "kubernetes" || w == "k8s");
    let mut children: HashMap<&str, HashSet<&str>> = HashMap::new();
    for file in files {
        let mut dir = file.rsplit_once('/').map_or("", |(d, _)| d);
        while !dir.is_empty() {
            let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
            if !children.entry(parent).or_default().insert(name) {
                break;
            }
            dir = parent;
        }
    }
    let mut out = Vec::new();
    for (parent, names) in &children {
        // The first by name, so that the reason reads the same every run.
        let Some(kubernetes) = names.iter().filter(|n| is_kubernetes(n)).min() else {
            continue;
        };
        let others: Vec<&&str> = names
            .iter()
            .filter(|n| {
                !is_kubernetes(n)
                    && words(n)
                        .iter()
                        .any(|w| OTHER_PLATFORM_WORDS.contains(&w.as_str()))
            })
            .collect();
        if others.len() < 2 {
            continue;
        }
        let join = |name: &str| {
            if parent.is_empty() {
                name.to_string()
            } else {
                format!("{parent}/{name}")
            }
        };
        for other in others {
            let folder = join(other);
            if !image_dirs
                .iter()
                .any(|image| is_at_or_under(image, &folder))
            {
                out.push((folder, join(kubernetes)));
            }
        }
    }
    out.sort();
    out
}

/// The Java source folders (`console/src/main/java/org/acme/console/client`)
/// a GWT module file of the main sources
/// (`console/src/main/resources/org/acme/console/Console.gwt.xml`) makes
/// translatable in its own module — its `<source path>`s, `client` when
/// it names none — with the module file's name: GWT compiles them to
/// JavaScript, which runs in the browser. A `shared` or `common` path is
/// compiled for the server too; a commented-out `<source>` counts not.
fn gwt_client_packages(root: &Path, files: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in files.iter().filter(|f| f.ends_with(".gwt.xml")) {
        let Some((module_root, below)) = file
            .split_once("src/main/resources/")
            .or_else(|| file.split_once("src/main/java/"))
        else {
            continue;
        };
        let (package, module) = below.rsplit_once('/').unwrap_or(("", below));
        let Ok(text) = std::fs::read_to_string(root.join(file)) else {
            continue;
        };
        let mut code = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find("<!--") {
            code.push_str(&rest[..at]);
            rest = rest[at..]
                .find("-->")
                .map_or("", |end| &rest[at + end + 3..]);
        }
        code.push_str(rest);
        let mut paths: Vec<&str> = code
            .match_indices("<source")
            .filter_map(|(at, _)| {
                let tag = &code[at..at + code[at..].find('>')?];
                let value = &tag[tag.find("path")? + 4..];
                let value = value.trim_start().strip_prefix('=')?.trim_start();
                let quote = value.chars().next().filter(|q| matches!(q, '"' | '\''))?;
                value[1..].split(quote).next()
            })
            .collect();
        if paths.is_empty() {
            paths.push("client");
        }
        for path in paths
            .into_iter()
            .filter(|p| !matches!(*p, "shared" | "common"))
        {
            let folder = if package.is_empty() {
                format!("{module_root}src/main/java/{path}")
            } else {
                format!("{module_root}src/main/java/{package}/{path}")
            };
            out.push((folder, module.to_string()));
        }
    }
    out
}

/// The `tools/` and `backup/` folders (and their namesakes) that a
/// Dockerfile (`COPY tools/…`) or a kustomization (a generator's
/// `files:`) names by their path from its own folder or from the root.
/// The texts are read only when such a folder holds a file.
fn folders_named_for_pods(root: &Path, files: &[&str], dockerfiles: &[&str]) -> HashSet<String> {
    let mut folders: Vec<&str> = files
        .iter()
        .filter_map(|f| {
            let mut at = 0;
            for part in f.split('/') {
                let end = at + part.len();
                // Compared in place: lower-casing each folder of each path
                // was most of this step.
                if end < f.len()
                    && TOOL_FOLDERS
                        .iter()
                        .chain(&BACKUP_FOLDERS)
                        .any(|folder| part.eq_ignore_ascii_case(folder))
                {
                    return Some(&f[..end]);
                }
                at = end + 1;
            }
            None
        })
        .collect();
    folders.sort_unstable();
    folders.dedup();
    if folders.is_empty() {
        return HashSet::new();
    }
    let texts: Vec<(&str, String)> = files
        .iter()
        .copied()
        .filter(|f| {
            dockerfiles.contains(f)
                || matches!(
                    f.rsplit('/').next().unwrap_or(f),
                    "kustomization.yaml" | "kustomization.yml" | "Kustomization"
                )
        })
        .filter_map(|f| {
            let text = std::fs::read(root.join(f)).ok()?;
            Some((
                f.rsplit_once('/').map_or("", |(d, _)| d),
                String::from_utf8_lossy(&text).into_owned(),
            ))
        })
        .collect();
    folders
        .into_iter()
        .filter(|folder| {
            let last = folder.rsplit('/').next().unwrap_or(folder);
            texts.iter().any(|(dir, text)| {
                text.contains(&format!("{folder}/"))
                    || text.contains(&format!("{last}/"))
                    || (!dir.is_empty()
                        && folder.starts_with(&format!("{dir}/"))
                        && text.contains(last))
            })
        })
        .map(str::to_string)
        .collect()
}

/// Whether a Compose file builds an image from a Dockerfile it names
/// (`dockerfile: server/Dockerfile`, also in a flow mapping
/// `{ context: ., dockerfile: app/Dockerfile }`), whose context may be any
/// folder; an unreadable one may.
fn names_a_dockerfile(root: &Path, path: &str) -> bool {
    std::fs::read(root.join(path)).map_or(true, |bytes| {
        String::from_utf8_lossy(&bytes).lines().any(|l| {
            let t = l.trim_start();
            !t.starts_with('#') && t.to_ascii_lowercase().contains("dockerfile:")
        })
    })
}

/// Whether a YAML file whose path names Compose (`docker-compose/`,
/// `env.compose.yml`), outside every source folder, is a Compose file by
/// its content: a top-level `services:` whose services name an `image:` or
/// a `build:`. Only such paths are read.
fn compose_by_content(root: &Path, path: &str) -> bool {
    if !is_yaml(path) {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    // `compose` as a word of a folder or the name (`page-composer/` is
    // not one), and never among a module's sources.
    let names_compose = lower
        .split('/')
        .any(|part| part.split(['-', '_', '.']).any(|w| w == "compose"));
    if !names_compose || lower.split('/').any(|part| part == "src") {
        return false;
    }
    std::fs::read(root.join(path)).is_ok_and(|bytes| {
        let text = String::from_utf8_lossy(&bytes);
        let services = text.lines().any(|l| l.trim_end() == "services:");
        services
            && text.lines().any(|l| {
                let t = l.trim_start();
                l.len() > t.len() && (t.starts_with("image:") || t.starts_with("build:"))
            })
    })
}

/// Whether a folder holds what Kubernetes gives the pod: a `k8s`,
/// `kubernetes`, `helm`, `charts`, `manifests` or `kustomize` folder on
/// its path.
fn is_for_kubernetes(dir: &str) -> bool {
    dir.split('/').any(|folder| {
        matches!(
            folder.to_ascii_lowercase().as_str(),
            "k8s" | "kubernetes" | "helm" | "charts" | "manifests" | "kustomize"
        )
    })
}

/// Whether a file is a template of a Java source, by the template
/// engine's extension after `.java` (`Controller.java.vm`,
/// `Entity.java.ftl`, `Mapper.java.btl`).
fn is_java_template(path: &str) -> bool {
    const ENGINES: [&str; 7] = ["vm", "vtl", "ftl", "btl", "mustache", "hbs", "tpl"];
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(stem, engine)| stem.ends_with(".java") && ENGINES.contains(&engine))
}

/// `Dockerfile`, `dockerfile`, `Dockerfile.prod`, `app.dockerfile`.
pub(crate) fn is_dockerfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with("dockerfile") || name.ends_with(".dockerfile")
}

/// Whether a module's directory or artifactId names it as an example,
/// demo, sample, benchmark or test harness, or a folder above it does
/// (`docker/test-images/eureka`, `examples/order`, `recipes/lock-manager`).
fn is_marked_not_service(dir: &str, artifact: &str) -> bool {
    let above = dir.rsplit_once('/').map_or("", |(above, _)| above);
    // A tutorial's project (Gora's `gora-tutorial`), by its last word: a
    // `tutorial-service` may serve them.
    let last_dir = dir.rsplit('/').next().unwrap_or(dir);
    let tutorial = [last_dir, artifact].iter().any(|name| {
        name.rsplit(['-', '_', '.'])
            .next()
            .is_some_and(|w| matches!(w.to_ascii_lowercase().as_str(), "tutorial" | "tutorials"))
    });
    // Below a `test` or `tests` folder at the repository's root with a
    // harness's word on the way (SkyWalking's `test/plugin/scenarios/…`):
    // the tests' own applications. Not `test/order`: `test` may name an
    // environment.
    let root_tests = above
        .split('/')
        .next()
        .is_some_and(|first| matches!(first, "test" | "tests"))
        && dir.split('/').skip(1).any(|folder| {
            folder
                .to_ascii_lowercase()
                .split(['-', '_', '.'])
                .any(|w| HARNESS_WORDS.contains(&w))
        });
    tutorial
        || root_tests
        || is_named_for(&is_not_service_word, dir, artifact)
        || above.split('/').any(|folder| {
            folder_marks_not_service(folder)
                || HOW_TO_FOLDERS.contains(&folder.to_ascii_lowercase().as_str())
        })
}

/// Whether a module below the root has a README of its own whose first
/// sentence presents it as a benchmark or a test tool (Phoenix'
/// `phoenix-pherf`: "Pherf is a performance test framework that exercises
/// HBase…"): a program people run against a deployment, not one a pod
/// runs. Only the module's own `README`, `README.md` (`.txt`, `.adoc`,
/// `.rst`, `.markdown`) counts, its first 16 KiB; headings, badges, HTML
/// comments and markup lines before the prose are passed over. The walk
/// lists no documentation: the module's folder is read, as for its
/// `deploy.yaml`.
fn readme_presents_a_harness(root: &Path, dir: &str) -> bool {
    use std::io::Read;
    if dir.is_empty() {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return false;
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| {
            e.file_name().to_str().is_some_and(|name| {
                matches!(
                    name.to_ascii_lowercase().as_str(),
                    "readme"
                        | "readme.md"
                        | "readme.txt"
                        | "readme.adoc"
                        | "readme.rst"
                        | "readme.markdown"
                )
            })
        })
        .filter_map(|e| {
            let mut head = Vec::new();
            std::fs::File::open(e.path())
                .and_then(|f| f.take(16 * 1024).read_to_end(&mut head))
                .ok()?;
            Some(head)
        })
        .any(|head| presents_a_harness(&String::from_utf8_lossy(&head)))
}

/// Whether a README's first sentence says its project is a benchmark or
/// a test tool: the noun phrase after "is a" (or "is a set of") — up to a
/// comma or a word such as "that", "for", "with" — names one and ends in
/// a tool's noun: "… is a performance test framework that…", "… is a load
/// generator for…", "… is a set of JMH benchmarks". A phrase naming
/// something else ("a Spring Boot service that stores benchmark results",
/// "a payment gateway, not a benchmark") does not.
fn presents_a_harness(readme: &str) -> bool {
    // A test of a kind, or a benchmark, a harness, a load generator.
    const KINDS: [&str; 5] = ["performance", "load", "stress", "test", "harness"];
    const TESTS: [&str; 8] = [
        "test",
        "tests",
        "testing",
        "benchmark",
        "benchmarks",
        "benchmarking",
        "harness",
        "generator",
    ];
    const TOOLS: [&str; 12] = [
        "benchmark",
        "benchmarks",
        "framework",
        "tool",
        "tools",
        "suite",
        "harness",
        "generator",
        "utility",
        "kit",
        "test",
        "tests",
    ];
    const ENDS: [&str; 14] = [
        "that", "which", "who", "for", "to", "with", "used", "designed", "built", "written",
        "against", "on", "in", "from",
    ];
    let mut text = String::new();
    let mut in_comment = false;
    for line in readme.lines() {
        let line = line.trim();
        if in_comment {
            in_comment = !line.contains("-->");
            continue;
        }
        if line.starts_with("<!--") {
            in_comment = !line.contains("-->");
            continue;
        }
        let markup = line.is_empty()
            || line.starts_with(['#', '=', '!', '[', '<', '|', '`', ':'])
            || line.starts_with("- ")
            || line.starts_with("* ")
            || line.starts_with("---");
        if markup {
            if text.is_empty() {
                continue;
            }
            break;
        }
        text.push_str(line);
        text.push(' ');
    }
    // Emphasis (`**Gamma** is…`) is no word.
    let lower: String = text
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .collect();
    let sentence = lower.split(". ").next().unwrap_or(&lower);
    let Some(after) = [" is a ", " is an "]
        .iter()
        .filter_map(|is| sentence.find(is).map(|at| at + is.len()))
        .min()
        .map(|at| &sentence[at..])
    else {
        return false;
    };
    let after = ["set of ", "collection of ", "suite of "]
        .iter()
        .find_map(|group| after.strip_prefix(group))
        .unwrap_or(after);
    let words: Vec<&str> = after
        .split([',', ';', ':', '(', '.', '—'])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .take_while(|w| !ENDS.contains(w))
        .flat_map(|w| w.split('-'))
        .collect();
    let benchmark = words.iter().any(|w| w.starts_with("benchmark"));
    let test_of_a_kind =
        words.iter().any(|w| KINDS.contains(w)) && words.iter().any(|w| TESTS.contains(w));
    (benchmark || test_of_a_kind) && words.last().is_some_and(|w| TOOLS.contains(w))
}

/// The `src/` folders of browser applications: beside a `package.json`
/// that depends on a browser framework or bundler (React, Vue, Angular,
/// Svelte, webpack, Vite, Parcel), with no Maven or Gradle build beside
/// it, no JVM sources in `src/main/` (Storm's `storm-webapp` holds a
/// `package.json` and Java sources; a subproject the root's Gradle script
/// configures has no script of its own) and no Dockerfile at or below it
/// (a Node server's image) but a static file server's (anji-plus report's
/// `FROM nginx:alpine` serving the build); below the root, the whole
/// folder when no JVM build or source lies in it. Their data (a
/// dashboard's sample JSON) is bundled for the browser.
fn browser_applications(root: &Path, files: &[&str], dockerfiles: &[&str]) -> Vec<String> {
    let listed: HashSet<&str> = files.iter().copied().collect();
    let server_image_dirs: Vec<&str> = dockerfiles
        .iter()
        .filter(|f| {
            !std::fs::read_to_string(root.join(f)).is_ok_and(|text| serves_static_files(&text))
        })
        .map(|f| f.rsplit_once('/').map_or("", |(dir, _)| dir))
        .collect();
    let mut out: Vec<String> = files
        .iter()
        .filter(|f| !f.contains("node_modules/"))
        .filter_map(|f| {
            let dir = if *f == "package.json" {
                ""
            } else {
                f.strip_suffix("/package.json")?
            };
            let beside = |name: &str| {
                if dir.is_empty() {
                    name.to_string()
                } else {
                    format!("{dir}/{name}")
                }
            };
            let jvm_sources = beside("src/main/");
            if ["pom.xml", "build.gradle", "build.gradle.kts"]
                .iter()
                .any(|build| listed.contains(beside(build).as_str()))
                || files.iter().any(|f| f.starts_with(&jvm_sources))
                || server_image_dirs.iter().any(|d| is_at_or_under(d, dir))
            {
                return None;
            }
            if std::fs::metadata(root.join(f)).ok()?.len() > 1024 * 1024 {
                return None;
            }
            let text = std::fs::read_to_string(root.join(f)).ok()?;
            if !builds_for_the_browser(text.trim_start_matches('\u{feff}')) {
                return None;
            }
            // Below the repository's root, a folder with no JVM build or
            // source anywhere in it is the browser's whole (Camunda's
            // `webapps/frontend/`: its widgets' test data, its dev server's
            // settings); at the root, only `src/` is.
            let jvm_below = files.iter().any(|f| {
                is_at_or_under(f, dir)
                    && (f.ends_with(".java")
                        || ["pom.xml", "build.gradle", "build.gradle.kts"]
                            .iter()
                            .any(|build| f.rsplit('/').next() == Some(*build)))
            });
            Some(if dir.is_empty() || jvm_below {
                beside("src")
            } else {
                dir.to_string()
            })
        })
        .collect();
    out.sort();
    out
}

/// The folders holding a `go.mod` with no Maven or Gradle build and no
/// Java source at or below them.
fn go_modules(files: &[&str]) -> Vec<String> {
    files
        .iter()
        .filter_map(|f| {
            if *f == "go.mod" {
                Some("")
            } else {
                f.strip_suffix("/go.mod")
            }
        })
        .filter(|dir| {
            !files.iter().any(|f| {
                is_at_or_under(f, dir)
                    && (f.ends_with(".java")
                        || ["pom.xml", "build.gradle", "build.gradle.kts"]
                            .iter()
                            .any(|build| f.rsplit('/').next() == Some(*build)))
            })
        })
        .map(str::to_string)
        .collect()
}

/// Whether a Dockerfile's image is a static file server's: its last stage
/// starts from nginx, Apache httpd, Caddy, OpenResty or lighttpd (the
/// browser application's build copied in), not a Node server's.
fn serves_static_files(dockerfile: &str) -> bool {
    const SERVERS: [&str; 5] = ["nginx", "httpd", "caddy", "openresty", "lighttpd"];
    dockerfile
        .lines()
        .rev()
        .find_map(|line| {
            let mut words = line.split_whitespace();
            words
                .next()
                .filter(|w| w.eq_ignore_ascii_case("FROM"))
                .and(words.find(|w| !w.starts_with("--")))
        })
        .is_some_and(|image| {
            let name = image.rsplit('/').next().unwrap_or(image);
            let name = name.split([':', '@']).next().unwrap_or(name);
            SERVERS.iter().any(|s| name.starts_with(s))
        })
}

/// Whether a `package.json` depends on a browser framework or bundler: a
/// dependency whose name holds one as a word (`react`, `@tanstack/react-table`,
/// `copy-webpack-plugin`, `@angular/core`). A `package.json` that does not
/// parse depends on nothing.
fn builds_for_the_browser(package_json: &str) -> bool {
    const BROWSER: [&str; 8] = [
        "react", "vue", "angular", "svelte", "preact", "webpack", "vite", "parcel",
    ];
    let Ok(serde_json::Value::Object(package)) = serde_json::from_str(package_json) else {
        return false;
    };
    ["dependencies", "devDependencies", "peerDependencies"]
        .iter()
        .filter_map(|section| package.get(*section)?.as_object())
        .flat_map(|deps| deps.keys())
        .any(|name| {
            name.split(['@', '/', '-', '.', '_'])
                .any(|word| BROWSER.contains(&word))
        })
}

/// Whole names of a folder gathering modules that each show how to use
/// the product (Helix' `recipes/`): examples by another name. Only the
/// whole name counts, and only above a module: `curator-recipes` is a
/// library.
const HOW_TO_FOLDERS: [&str; 5] = ["recipes", "cookbook", "cookbooks", "tutorial", "tutorials"];

/// Whether a folder is named as an example, demo, benchmark or test
/// harness (`examples`, `test-images`, `SpringBoot案例源码`). `test`, `it` and `perf` also name
/// environments (`config/test/`, `conf/test-gz/`, `perf-env/`), so they
/// mark a folder only beside a word of `HARNESS_WORDS`, and `test` also
/// beside a word of `TEST_TOOLING_WORDS` (`it-support` may be the IT
/// department's).
fn folder_marks_not_service(folder: &str) -> bool {
    // Chinese names have no separators: an example (示例, 样例, 例子), a
    // case study (案例), a tutorial (教程) or a demonstration (演示) inside
    // any name (`玩转SpringBoot系列案例源码`).
    const CHINESE_EXAMPLE_WORDS: [&str; 6] = ["示例", "样例", "例子", "案例", "教程", "演示"];
    if CHINESE_EXAMPLE_WORDS.iter().any(|w| folder.contains(w)) {
        return true;
    }
    let lower = folder.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(['-', '_', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let harness = words.iter().any(|w| HARNESS_WORDS.contains(w));
    let tooling = words.iter().any(|w| TEST_TOOLING_WORDS.contains(w));
    words.iter().any(|word| {
        is_not_service_word(word)
            && (harness || (tooling && *word == "test") || !matches!(*word, "test" | "it" | "perf"))
    })
}

/// Words that, beside `test`, `it` or `perf`, name a harness rather than
/// an environment (`test-images`, `it-suite`, `perf-harness`).
const HARNESS_WORDS: [&str; 11] = [
    "images",
    "image",
    "harness",
    "suite",
    "suites",
    "integration",
    "containers",
    "fixtures",
    "cases",
    "scenario",
    "scenarios",
];

/// Words that, joined to `test`, name an application or a library only
/// the tests run (Pinpoint's `agent-testweb/kafka-plugin-testweb`,
/// `quickstart/testapp`, `closed-module-testlib`).
const TEST_APPLICATION_WORDS: [&str; 6] = ["web", "webapp", "app", "apps", "lib", "libs"];

/// Words that, beside `test`, name the tests' own tooling (Falcon's
/// `test-tools/hadoop-webapp`, `test-utils`; in one word, BifroMQ's `testsuites`).
const TEST_TOOLING_WORDS: [&str; 10] = [
    "tools", "tool", "utils", "util", "support", "helpers", "suite", "suites", "kit", "kits",
];

/// Whether a module that makes no framework's application (none, or an
/// executable jar) is a tool by where it is or what it runs: a folder
/// above it named for tools (Tez's `tez-tools/analyzers/job-analyzer`),
/// or every main class its packaging names is (Tez's history parser,
/// whose jar's main class is `ATSImportTool`; `AdminCli`, `StoreCLI`,
/// WebMagic's `ScriptConsole`; not a server's, `TikaServerCli`), or the
/// module is named as an SDK by the last word of its folder or
/// artifactId: a library other applications put on their classpath,
/// whose own main class is a person's check of it (wildfirechat's `sdk`,
/// packed as `checker.jar`; not `sdk-server`).
fn named_as_a_tool(project: &Project, i: usize) -> bool {
    if makes_framework_application(project, i) {
        return false;
    }
    let pom = &project.poms[i];
    let dir = pom.path.rsplit_once('/').map_or("", |(d, _)| d);
    let in_tool_folder = dir.split('/').any(|folder| {
        folder
            .split(['-', '_', '.'])
            .any(|word| TOOL_WORDS.contains(&word.to_ascii_lowercase().as_str()))
    });
    // Not the command line that starts a server (Tika's `TikaServerCli`,
    // the main class of the zip its images run).
    let tool_class = |class: &&str| {
        let simple = class.rsplit('.').next().unwrap_or(class);
        ["Tool", "Cli", "CLI", "Console"]
            .iter()
            .any(|word| simple.ends_with(word))
            && !crate::named_places::names_a_server(simple)
    };
    let mains = pom.packaging_main_classes();
    in_tool_folder
        || (!mains.is_empty() && mains.iter().all(tool_class))
        || [dir.rsplit('/').next().unwrap_or(dir), pom.artifact()]
            .iter()
            .any(|name| {
                name.rsplit(['-', '_', '.'])
                    .next()
                    .is_some_and(|w| w.eq_ignore_ascii_case("sdk"))
            })
}

/// Whether every main class a module's packaging names is named for a
/// code generator (`GoraCompiler`, `SchemaGenerator`).
fn runs_code_generators(pom: &crate::pom::Pom) -> bool {
    let mains = pom.packaging_main_classes();
    !mains.is_empty()
        && mains.iter().all(|class| {
            let simple = class.rsplit('.').next().unwrap_or(class);
            ["Compiler", "Generator", "Codegen", "CodeGen"]
                .iter()
                .any(|word| simple.ends_with(word))
        })
}

/// Whether a module depends on a terminal library or is named for a
/// command line (`order-tools`, `*-cli`; `*-cmd` with a build that makes
/// no framework's application: a Spring Boot `order-cmd` is a CQRS
/// service's).
fn is_named_or_terminal_tool(project: &Project, i: usize) -> bool {
    let pom = &project.poms[i];
    let dir = pom.path.rsplit_once('/').map_or("", |(d, _)| d);
    let terminal = pom.dependencies.iter().any(|d| {
        d.section == DependencySection::Dependencies
            && d.scope() != "test"
            && TERMINAL_LIBRARIES.contains(&d.group())
    });
    terminal
        || is_named_for(&|w: &str| TOOL_WORDS.contains(&w), dir, pom.artifact())
        || (is_named_for(
            &|w: &str| COMMAND_LINE_WORDS.contains(&w),
            dir,
            pom.artifact(),
        ) && !makes_framework_application(project, i))
}

/// Whether a module's build makes a framework's application: a war or an
/// ear, Spring Boot's, Solon's, Quarkus' or Micronaut's packaging, Jib's
/// image.
fn makes_framework_application(project: &Project, i: usize) -> bool {
    matches!(
        project.application_kind(i),
        Some("war" | "ear" | "Spring Boot" | "Solon" | "Quarkus" | "Micronaut" | "Jib image")
    )
}

/// Whether a word (lowercase) of a module's last directory or artifactId
/// is one `word_marks` accepts.
fn is_named_for(word_marks: &dyn Fn(&str) -> bool, dir: &str, artifact: &str) -> bool {
    let last_dir = dir.rsplit('/').next().unwrap_or(dir);
    [last_dir, artifact].iter().any(|name| {
        name.split(['-', '_', '.'])
            .any(|word| word_marks(&word.to_ascii_lowercase()))
    })
}

/// Whether a word (lowercase) marks code no pod runs: a showcase's
/// ([`SHOWCASE_WORDS`]), one of [`NOT_SERVICE_WORDS`], tests of a kind
/// in one word (Qpid's `perftests`, `systests`, Karaf's `itests`,
/// Strimzi's `systemtest`), the
/// tests' tooling in one (CXF's `testutils`, Calcite's `testkit`), or
/// benchmarks of a scale in one (Netty's `microbench`).
pub(crate) fn is_not_service_word(word: &str) -> bool {
    const KINDS: [&str; 13] = [
        "perf",
        "sys",
        "system",
        "integration",
        "acceptance",
        "i",
        "it",
        "unit",
        "func",
        "load",
        "stress",
        "smoke",
        "e2e",
    ];
    SHOWCASE_WORDS.contains(&word)
        || NOT_SERVICE_WORDS.contains(&word)
        || word
            .strip_suffix("tests")
            .or_else(|| word.strip_suffix("test"))
            .is_some_and(|kind| KINDS.contains(&kind))
        || word.strip_prefix("test").is_some_and(|tooling| {
            TEST_TOOLING_WORDS.contains(&tooling) || TEST_APPLICATION_WORDS.contains(&tooling)
        })
        // Benchmarks of a scale in one word (Netty's `microbench`); not
        // a `workbench`.
        || ["micro", "macro", "perf"].iter().any(|scale| {
            word.strip_prefix(scale)
                .is_some_and(|rest| matches!(rest, "bench" | "benchmark" | "benchmarks"))
        })
}

#[cfg(test)]
mod tests {
    use super::{
        builds_for_the_browser, folder_marks_not_service, is_marked_not_service, is_named_for,
        is_start_script, names_file, normalized, other_platform_folders, presents_a_harness,
        reads_terminal, runs_in_background, serves_static_files, takes_other_modules, web_server,
        WebServer, WebServerSource, COMMAND_LINE_WORDS,
    };

    #[test]
    fn a_readme_presenting_its_module_as_a_test_tool_marks_it() {
        let pherf = "<!--\nLicensed to the ASF.\n\nhttp://www.apache.org/licenses/LICENSE-2.0\n-->\n\n\
            Pherf is a performance test framework that exercises HBase through Apache Phoenix, a SQL layer interface.\n\n## Build\n";
        assert!(presents_a_harness(pherf));
        assert!(presents_a_harness("# order-load\n\n[![ci](x)](y)\n\nThis module is a load generator for the order service.\n"));
        assert!(presents_a_harness(
            "Bench is a benchmarking tool. It is not a benchmark framework.\n"
        ));
        // A service described beside benchmarks, or a claim about speed.
        assert!(!presents_a_harness(
            "Order is a service. It ships a benchmark.\n"
        ));
        assert!(!presents_a_harness(
            "Order is a benchmark-proven, fast order service.\n"
        ));
        assert!(!presents_a_harness("Order is a fast, scalable and well-documented order service used by many teams for benchmark results\n"));
        assert!(!presents_a_harness(
            "## Benchmark\n\nRun the benchmark with mvn.\n"
        ));
        assert!(presents_a_harness(
            "Alpha is a load testing tool for the shop.\n"
        ));
        assert!(presents_a_harness(
            "Beta is a set of JMH benchmarks for the codec.\n"
        ));
        assert!(presents_a_harness(
            "**Gamma** is a performance test framework.\n"
        ));
        for service in [
            "Results board is a Spring Boot service that stores benchmark results from CI.\n",
            "Pay is a payment gateway, not a benchmark or a load generator.\n",
            "Cart is a Spring Boot microservice with a stress test mode for staging.\n",
            "Timing is a small library that records benchmark timings for every call.\n",
            "Loader is a data load service.\n",
            "Gateway is a test-friendly API gateway.\n",
        ] {
            assert!(!presents_a_harness(service), "{service}");
        }
    }

    #[test]
    fn a_package_json_with_a_browser_framework_or_bundler_builds_for_the_browser() {
        assert!(builds_for_the_browser(
            r#"{"devDependencies": {"webpack" : "5.9.0"}}"#
        ));
        assert!(builds_for_the_browser(
            r#"{"dependencies": {"react": "^18"}}"#
        ));
        assert!(builds_for_the_browser(
            r#"{"devDependencies": {"copy-webpack-plugin": "1"}}"#
        ));
        assert!(builds_for_the_browser(
            r#"{"dependencies": {"@tanstack/react-table": "8"}}"#
        ));
        // A Node service, a framework named in a script, and a lookalike.
        assert!(!builds_for_the_browser(
            r#"{"dependencies": {"express": "4"}}"#
        ));
        assert!(!builds_for_the_browser(
            r#"{"scripts": {"build": "webpack"}}"#
        ));
        assert!(!builds_for_the_browser(
            r#"{"dependencies": {"reactor-core": "3"}}"#
        ));
    }

    #[test]
    fn folders_for_other_cluster_managers_beside_a_kubernetes_one() {
        let files = [
            "scheduler/kubernetes/KubernetesLauncher.java",
            "scheduler/mesos/MesosLauncher.java",
            "scheduler/yarn/client/YarnLauncher.java",
            "scheduler/common/Launcher.java",
            "conf/k8s/scheduler.yaml",
            "conf/yarn/scheduler.yaml",
            "deploy/kubernetes/order.yaml",
            "deploy/yarn/order.yaml",
            "deploy/mesos/Dockerfile",
            "runner/kubernetes/KubernetesRunner.java",
            "runner/local/LocalRunner.java",
            "runner/standalone/StandaloneRunner.java",
        ];
        // An image is built in `deploy/mesos`; `local` and `standalone`
        // name no cluster manager.
        assert_eq!(
            other_platform_folders(&files, &["deploy/mesos".to_string()]),
            [
                ("deploy/yarn".to_string(), "deploy/kubernetes".to_string()),
                (
                    "scheduler/mesos".to_string(),
                    "scheduler/kubernetes".to_string()
                ),
                (
                    "scheduler/yarn".to_string(),
                    "scheduler/kubernetes".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_web_server_is_turned_off_by_the_base_file_or_the_code_and_on_by_any_profile() {
        let config = |rel: &str, text: &str| web_server(rel, WebServerSource::Config(text));
        let off = |how: &str| Some(WebServer::Off(how.to_string()));
        assert_eq!(
            config(
                "job/application.properties",
                "spring.main.web-application-type=NONE\n"
            ),
            off("`spring.main.web-application-type = NONE`")
        );
        assert_eq!(
            config(
                "job/bootstrap.yml",
                "spring:\n  main:\n    web-environment: false\n"
            ),
            off("`spring.main.web-environment = false`")
        );
        assert_eq!(
            config(
                "job/application.yml",
                "spring.main.webApplicationType: none\n"
            ),
            off("`spring.main.webApplicationType = none`")
        );
        // A profile may turn it on again, not off for every profile.
        assert_eq!(
            config(
                "job/application-prod.yml",
                "spring.main.web-application-type: servlet\n"
            ),
            Some(WebServer::On)
        );
        assert_eq!(
            config(
                "job/application-dev.yml",
                "spring.main.web-application-type: none\n"
            ),
            None
        );
        assert_eq!(
            config(
                "job/jobs.properties",
                "spring.main.web-application-type=none\n"
            ),
            None
        );
        assert_eq!(config("job/application.yml", "server.port: 8081\n"), None);
        // A profile's document of the base file does not turn it off, and
        // a value turning it on wins.
        assert_eq!(
            config(
                "job/application.yml",
                "server.port: 8081\n---\nspring.config.activate.on-profile: batch\nspring.main.web-application-type: none\n"
            ),
            None
        );
        assert_eq!(
            config(
                "job/application.yml",
                "spring.main.web-application-type: none\n---\nspring.main.web-application-type: servlet\n"
            ),
            Some(WebServer::On)
        );
        let java = |text: &str| web_server("Job.java", WebServerSource::Java(text));
        let main = |body: &str| {
            format!(
                "class Job {{\n  public static void main(String[] args) {{\n    {body}\n  }}\n}}\n"
            )
        };
        assert_eq!(
            java(&main(
                "new SpringApplicationBuilder(Job.class).web(WebApplicationType.NONE).run(args);"
            )),
            Some(WebServer::Main(Some(
                "`WebApplicationType.NONE`".to_string()
            )))
        );
        // Commented out, the builder is not what runs: the main() leaves
        // it to the configuration.
        assert_eq!(
            java(&main("// new SpringApplicationBuilder(Job.class).web(WebApplicationType.NONE).run(args);\n    SpringApplication.run(Job.class, args);")),
            Some(WebServer::Main(None))
        );
        assert_eq!(
            java(&main(
                "/* .web(WebApplicationType.NONE) */ SpringApplication.run(Job.class, args);"
            )),
            Some(WebServer::Main(None))
        );
        // Not a main() starting Spring: it says nothing.
        assert_eq!(
            java("if (type == WebApplicationType.NONE) { return; }"),
            None
        );
    }

    #[test]
    fn a_file_is_named_by_its_whole_name() {
        assert!(names_file(
            "url: jdbc:shardingsphere:classpath:order-sharding.yaml",
            "order-sharding.yaml"
        ));
        assert!(names_file("order-sharding.yaml", "order-sharding.yaml"));
        assert!(!names_file(
            "classpath:legacy-order-sharding.yaml",
            "order-sharding.yaml"
        ));
        assert!(!names_file(
            "x/old.order-sharding.yaml",
            "order-sharding.yaml"
        ));
    }

    #[test]
    fn a_terminal_is_read_through_a_scanner_a_reader_or_the_console() {
        for java in [
            "Scanner sc = new Scanner(System.in);",
            "new BufferedReader(new InputStreamReader(System.in, UTF_8))",
            "Console c = System.console();",
            "import org.springframework.shell.standard.ShellComponent;",
            "import org.jline.reader.LineReader;",
        ] {
            assert!(reads_terminal(java), "{java}");
        }
        assert!(!reads_terminal("System.in.read(); // wait before stopping"));
    }

    #[test]
    fn an_assembly_takes_other_modules_by_module_sets_or_files_outside_its_own() {
        let modules: Vec<String> = ["", "dist/bundle", "plugin", "agent", "server", "plugins/a"]
            .map(String::from)
            .to_vec();
        let takes = |descriptor: &str| takes_other_modules(descriptor, "dist/bundle", &modules);
        let own = "<assembly><dependencySets><dependencySet><outputDirectory>lib</outputDirectory></dependencySet></dependencySets><fileSets><fileSet><directory>src/main/assembly/bin</directory></fileSet></fileSets></assembly>";
        assert!(!takes(own));
        for other in [
            "<assembly><moduleSets><moduleSet><useAllReactorProjects>true</useAllReactorProjects></moduleSet></moduleSets></assembly>",
            "<assembly><fileSets><fileSet><directory>../../plugin/target</directory></fileSet></fileSets></assembly>",
            "<assembly><files><file><source> ${project.basedir}/../../agent/target/agent.jar</source></file></files></assembly>",
            "<assembly><fileSets><fileSet><directory>../../</directory><includes><include>**/*</include></includes></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>../../../elsewhere</directory></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>./../../server/target/</directory></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>..\\..\\plugin\\target</directory></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>${project.build.directory}/../../../agent/lib</directory></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>${maven.multiModuleProjectDirectory}/server/target</directory></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>../../plugins</directory><includes><include>*/target/*.jar</include></includes></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>../../server/build/libs</directory></fileSet></fileSets></assembly>",
        ] {
            assert!(takes(other), "{other}");
        }
        for data in [
            "<assembly><fileSets><fileSet><directory>${project.basedir}/../../server/src/main/resources</directory><includes><include>*.yml</include></includes></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>${project.basedir}/../../db</directory></fileSet></fileSets></assembly>",
            "<assembly><fileSets><fileSet><directory>${project.build.directory}/classes</directory></fileSet></fileSets></assembly>",
        ] {
            assert!(!takes(data), "{data}");
        }
        // A root module's assembly taking a module's output below it.
        let root_takes = "<assembly><fileSets><fileSet><directory>agent/target</directory></fileSet></fileSets></assembly>";
        assert!(takes_other_modules(root_takes, "", &modules));
    }

    #[test]
    fn paths_are_normalized_below_the_root() {
        assert_eq!(
            normalized("dist/bundle", "../../server/./target").as_deref(),
            Some("server/target")
        );
        assert_eq!(normalized("dist/bundle", "../..").as_deref(), Some(""));
        assert_eq!(normalized("", "conf/").as_deref(), Some("conf"));
        assert_eq!(normalized("dist", "../../elsewhere"), None);
    }

    #[test]
    fn a_static_file_servers_image_by_its_last_stage() {
        assert!(serves_static_files(
            "FROM nginx:alpine\nCOPY dist/ /usr/share/nginx/html/\n"
        ));
        assert!(serves_static_files(
            "FROM node:20 AS build\nRUN npm run build\nFROM --platform=linux/amd64 nginxinc/nginx-unprivileged:1.27\n"
        ));
        assert!(!serves_static_files(
            "FROM nginx AS proxy\nFROM node:20-alpine\nCMD [\"node\", \"server.js\"]\n"
        ));
        assert!(!serves_static_files("# FROM nginx\n"));
    }

    #[test]
    fn names_that_mark_code_no_pod_runs() {
        assert!(is_marked_not_service(
            "sentinel-demo/sentinel-demo-servlet",
            "x"
        ));
        assert!(is_marked_not_service("example", "rocketmq-example"));
        assert!(is_marked_not_service(
            "recipes/lock-manager",
            "lock-manager"
        ));
        assert!(!is_marked_not_service("curator-recipes", "curator-recipes"));
        assert!(is_marked_not_service("gora-tutorial", "gora-tutorial"));
        assert!(is_marked_not_service("apps/showcase", "struts2-showcase"));
        assert!(is_marked_not_service("microbench", "netty-microbench"));
        assert!(!is_marked_not_service("workbench", "order-workbench"));
        assert!(is_marked_not_service(
            "agent-testweb/kafka-plugin-testweb",
            "kafka-plugin-testweb"
        ));
        assert!(is_marked_not_service(
            "quickstart/testapp",
            "quickstart-testapp"
        ));
        assert!(!is_marked_not_service("attestation", "order-attestation"));
        assert!(is_marked_not_service(
            "documentation",
            "ditto-documentation"
        ));
        assert!(is_marked_not_service("uddi-tck-base", "uddi-tck-base"));
        // The tests' applications below a root `test` folder; not a
        // `test` folder deeper down, which may name an environment.
        assert!(is_marked_not_service(
            "test/plugin/scenarios/kafka-scenario",
            "kafka-scenario"
        ));
        assert!(!is_marked_not_service("deploy/test/order", "order"));
        // The tests' kit in one word (Calcite's `testkit`).
        assert!(is_marked_not_service("testkit", "calcite-testkit"));
        // A test framework's support (Geode's JUnit rules, its distributed
        // unit tests').
        assert!(is_marked_not_service("geode-junit", "geode-junit"));
        assert!(is_marked_not_service("geode-dunit", "geode-dunit"));
        assert!(!is_marked_not_service("order-unit", "order-unit"));
        // An installer sets a machine up.
        assert!(is_marked_not_service(
            "org.adempiere.install",
            "org.adempiere.install"
        ));
        // Arquillian's adapters start a server for the tests.
        assert!(is_marked_not_service(
            "arquillian/arquillian-tomee-remote",
            "arquillian-tomee-remote"
        ));
        assert!(is_marked_not_service("perftests", "qpid-perftests"));
        assert!(is_marked_not_service("systemtest", "systemtest"));
        assert!(!is_marked_not_service("contest", "order-contest"));
        assert!(is_marked_not_service(
            "systests/utils",
            "qpid-systests-utils"
        ));
        assert!(!is_marked_not_service("contests", "contests"));
        assert!(is_marked_not_service(
            "extras/es-migrator",
            "kapua-es-migrator"
        ));
        assert!(!is_marked_not_service(
            "tutorial-service",
            "tutorial-service"
        ));
        assert!(!is_marked_not_service("zk/curator-recipes/core", "core"));
        assert!(is_marked_not_service("bench", "order-jmh"));
        assert!(!is_marked_not_service("tools", "rocketmq-tools"));
        assert!(is_marked_not_service(
            "mybatis-flex-codegen",
            "mybatis-flex-codegen"
        ));
        assert!(is_marked_not_service(
            "modules/flowable5-compatibility-testdata",
            "flowable5-compatibility-testdata"
        ));
        assert!(is_named_for(
            &|w: &str| COMMAND_LINE_WORDS.contains(&w),
            "tools",
            "rocketmq-tools"
        ));
        assert!(!is_marked_not_service("order-service", "order-service"));
        assert!(!is_marked_not_service("contest", "latest-api"));
        assert!(is_marked_not_service(
            "docker/test-images/zipkin-eureka",
            "eureka"
        ));
        assert!(is_marked_not_service("examples/order", "order"));
        assert!(is_marked_not_service(
            "zookeeper-contrib/zookeeper-contrib-fatjar",
            "zookeeper-contrib-fatjar"
        ));
        assert!(!is_marked_not_service("contributors", "order-contributors"));
        assert!(!is_marked_not_service("test/order", "order"));
        assert!(!is_marked_not_service("services/order", "order"));
        assert!(is_marked_not_service("it-suite/order", "order"));
        assert!(is_marked_not_service(
            "test-tools/hadoop-webapp",
            "hadoop-webapp"
        ));
        assert!(is_marked_not_service("test_utils/clock", "order-clock"));
        assert!(!is_marked_not_service("it-support/helpdesk", "helpdesk"));
        assert!(is_marked_not_service(
            "tools/client-simulation-yarn",
            "rss-client-simulation-yarn"
        ));
        for environment in ["conf/test-gz", "perf-env", "it-platform", "it-portal"] {
            assert!(
                !folder_marks_not_service(environment.rsplit('/').next().unwrap()),
                "{environment}"
            );
            assert!(
                !is_marked_not_service(&format!("{environment}/order"), "order"),
                "{environment}"
            );
        }
    }

    #[test]
    fn a_start_script_running_a_class_in_the_background() {
        assert!(is_start_script("bin/start-coordinator.sh"));
        assert!(is_start_script("dist/src/main/bin/eventbridge"));
        assert!(is_start_script("deploy/startup.sh"));
        assert!(is_start_script("scripts/broker-daemon.sh"));
        assert!(!is_start_script("bin/broker.conf"));
        assert!(!is_start_script("scripts/import.sh"));
        assert!(!is_start_script("server/assembly/bin/shutdown.sh"));
        assert!(!is_start_script("bin/stop-broker.sh"));
        assert!(is_start_script("skill-server/bin/start-skill.sh"));
        assert!(is_start_script("bin/stopwatch.sh"));
        assert!(is_start_script("scripts/start_stop_billing.sh"));
        assert!(runs_in_background("nohup java -cp x a.Main > out 2>&1 &"));
        assert!(runs_in_background(
            "(nohup $RUNNER ${MAIN_CLASS} $@ > ${LOG} 2>&1) &"
        ));
        assert!(runs_in_background("java -cp x a.Main &"));
        assert!(runs_in_background("CMD=\"$CMD >> out.log 2>&1 &\""));
        assert!(!runs_in_background("CMD=\"make &&\""));
        assert!(!runs_in_background("java -cp x a.Main \"$@\""));
        assert!(!runs_in_background("make && make install"));
        assert!(!runs_in_background("# nohup java a.Main &"));
    }
}
