//! Code nothing in the repository names never runs, in the modules of an
//! application the repository builds (a library's callers are elsewhere,
//! but for its console output in a method named as a debugging aid):
//! a finding in a class no other file names, when nothing runs it
//! without naming it (see `crate::java::owner`), or in a method whose
//! name appears nowhere but its declaration (an instance method of a
//! class that is not final: while no other file extends it or hands it to
//! a framework by a class literal or its name in a string), is at the rule's
//! `never_runs` level; one in a method that, but for its declaration,
//! only its class's command-line `main()` names is at the rule's
//! `command_line` level, and so is one in a command-line program (a class
//! with a `main()` that starts no framework, and nothing else that lets
//! one run it) that no other file names, where nothing else may start it
//! (`runs_programs`: not in a module whose build makes an application
//! other than a war, one podready.toml or a deploy spec names, or a
//! Gradle build). Tests do not count: what only a test names does
//! not run in a pod. Pages, templates, Groovy and Kotlin sources, SQL and
//! service lists do: they may name a class or call a method.

mod answers;
mod launched;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aho_corasick::AhoCorasick;
use podready_cache::{Key, KeyHasher, ResultCache};
use podready_rules::{Rule, Severity};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use crate::finding::{CodeOwner, CommandLine, Finding};
use crate::java::conditions::ANY_PACKAGE;
use crate::named_places::{engine_configuration_folder, engine_logging_file};
use crate::property_settings::OffCode;
use crate::seed_rows;
use crate::snapshot::{instant, Stamp, Stamps, RACY, RECORD_AFTER};
use crate::walk::{FileKind, RepoFile};
use crate::FileResult;
use answers::{Question, TextAnswers};

/// What the repository's files say of a word: in how many places each
/// file holds it.
type Places = rustc_hash::FxHashMap<usize, usize>;

/// Where a word is named, and the SQL seed files that name it only in
/// rows they leave paused.
#[derive(Clone, Default)]
struct WordPlaces {
    named: Places,
    paused_in: Vec<usize>,
}

/// What the repository says of a path, for [`settle`].
pub(crate) struct RepositoryFacts<'a> {
    /// The path's module is on an application's classpath.
    pub in_an_application: &'a dyn Fn(&str) -> bool,
    /// Java main code at the first path may name a class at the second.
    pub compiles_against: &'a dyn Fn(&str, &str) -> bool,
    /// The path is a class whose `main()` starts an application.
    pub starts_application: &'a dyn Fn(&str) -> bool,
    /// The path is a class whose `main()` exits when done, starting no
    /// framework.
    pub one_shot: &'a dyn Fn(&str) -> bool,
    /// The path is a main class a pom names.
    pub main_class: &'a dyn Fn(&str) -> bool,
    /// Something may start any program of the path's module.
    pub runs_programs: &'a dyn Fn(&str) -> bool,
    /// The path's module is a jar whose manifest names its main class:
    /// its other programs start only where a file names them.
    pub names_its_main: &'a dyn Fn(&str) -> bool,
    /// The Dockerfile copying other files of the path's folder one by one
    /// into its image, when no image takes this one.
    pub left_beside_picked: &'a dyn Fn(&str) -> Option<&'a str>,
    /// The groupId of the path's module.
    pub group_of: &'a dyn Fn(&str) -> Option<&'a str>,
    /// A pod's definition (a Dockerfile, a manifest) names the script at
    /// the path: a container may start it.
    pub pod_starts_script: &'a dyn Fn(&str) -> bool,
    /// A finding at the path may take its rule's `command_program` level
    /// (no module named for tools, no Java agent).
    pub command_program_applies: &'a dyn Fn(&str) -> bool,
    /// By file index, its code under a property condition no
    /// configuration meets.
    pub off_code: &'a HashMap<usize, Vec<OffCode>>,
}

/// Whether a method's name says it is a debugging aid: its first word is
/// `print`, `dump` or `debug` (Tomcat's `printMap`, Struts'
/// `printClassLoader`, a JavaCC node's `dump`).
fn names_debugging_aid(method: &str) -> bool {
    crate::ip::name_words(method)
        .next()
        .is_some_and(|w| matches!(w.as_str(), "print" | "dump" | "debug"))
}

/// Lowers the failing findings in code nothing names, in the files
/// `facts.in_an_application` says. `results` pairs a file's index in
/// `files` with its result.
pub(crate) fn settle(
    results: &mut [(usize, FileResult)],
    files: &[RepoFile],
    rules: &HashMap<&str, &Rule>,
    facts: &RepositoryFacts,
    store: Option<(&PlacesStore, Option<StoredPlaces>)>,
) {
    let RepositoryFacts {
        in_an_application,
        compiles_against,
        starts_application,
        one_shot,
        main_class,
        runs_programs,
        names_its_main,
        left_beside_picked,
        group_of,
        pod_starts_script,
        command_program_applies,
        off_code,
    } = facts;
    // The package each Java source declares, as its parser read it, and
    // the sources driving a code generator.
    let packages: HashMap<usize, String> = results
        .iter()
        .filter(|(_, r)| !r.package.is_empty())
        .map(|(i, r)| (*i, r.package.clone()))
        .collect();
    let generator_drivers: std::collections::HashSet<usize> = results
        .iter()
        .filter(|(_, r)| r.drives_code_generator)
        .map(|(i, _)| *i)
        .collect();
    // The packages component scans reach: all of them when none is read
    // (no Spring Boot application, a context made otherwise).
    let scans: Vec<String> = results
        .iter()
        .filter(|(i, _)| !files[*i].is_test)
        .flat_map(|(_, r)| r.scans.iter().cloned())
        .collect();
    let scanned = |package: &str| {
        scans.is_empty()
            || scans.iter().any(|base| {
                base == ANY_PACKAGE
                    || package.strip_prefix(base).is_some_and(|rest| {
                        base.is_empty() || rest.is_empty() || rest.starts_with('.')
                    })
            })
    };
    let runs_when_named = |o: &CodeOwner, package: &str, path: &str| {
        o.class_runs_when_named
            || (o.bean_unless_scanned && !scanned(package) && !runs_programs(path))
    };
    let never_runs_anywhere = |f: &Finding| {
        rules
            .get(f.rule.as_str())
            .and_then(|r| r.never_runs)
            .filter(|level| f.severity > *level && in_an_application(&f.path))
    };
    let never_runs = |f: &Finding| never_runs_anywhere(f).filter(|_| f.owner.is_some());
    // Console output in a method named as a debugging aid
    // ([`names_debugging_aid`]): looked for in a library too, whose other
    // uncalled methods its callers elsewhere may call.
    let debugging_aid_level = |f: &Finding| {
        rules
            .get(f.rule.as_str())
            .filter(|r| r.console_class.is_some())
            .and_then(|r| r.never_runs)
            .filter(|level| {
                f.severity > *level
                    && f.owner
                        .as_ref()
                        .and_then(|o| o.method.as_deref())
                        .is_some_and(names_debugging_aid)
            })
    };
    for (here, r) in results.iter_mut() {
        let Some(off) = off_code.get(here) else {
            continue;
        };
        for f in &mut r.findings {
            let code = off
                .iter()
                .find(|c| (c.lines.0..=c.lines.1).contains(&f.line));
            if let Some((level, code)) = never_runs_anywhere(f).zip(code) {
                let why = format!("in {}, {}: it never runs", code.place, code.why);
                lower(f, level, &why);
            }
        }
    }
    // The level of a finding in code only command-line programs run.
    let command_line = |f: &Finding| {
        rules
            .get(f.rule.as_str())
            .and_then(|r| {
                crate::command_level(r, f.command_line.is_none_or(|at| at.commands_own()), || {
                    command_program_applies(&f.path)
                })
            })
            .filter(|level| f.severity > *level && !starts_application(&f.path))
    };
    // In a command-line program; `program`: one nothing else may start.
    let any_program =
        |f: &Finding| command_line(f).filter(|_| f.owner.as_ref().is_some_and(|o| o.program));
    // Where nothing but a file naming it may start a program.
    let starts_only_named = |path: &str| !runs_programs(path) || names_its_main(path);
    let program = |f: &Finding| any_program(f).filter(|_| starts_only_named(&f.path));
    // In the `main()` of a top-level class other code uses, starting no
    // application: it runs only where a file names the class in full (a
    // script, a manifest, a build) or code calls that `main()`, else it is
    // a developer's harness (`IpUtil.main()` trying addresses beside the
    // helpers the broker calls). A class only its `main()` is for is a
    // program a person may run by hand, and stays one. Where a build may
    // start any main class of the module (Jib or Spring Boot's plugin
    // finding the one `main()`), only beside a `main()` that starts the
    // application.
    let launching_modules: std::collections::HashSet<&str> = results
        .iter()
        .filter(|(_, r)| r.launches_application)
        .filter_map(|(i, _)| module_root(&files[*i].rel))
        .collect();
    let harness = |f: &Finding| {
        never_runs_anywhere(f).filter(|_| {
            f.command_line == Some(CommandLine::Main)
                && f.path.ends_with(".java")
                && !starts_application(&f.path)
                && (!runs_programs(&f.path)
                    || module_root(&f.path).is_some_and(|m| launching_modules.contains(m)))
        })
    };
    // The class, and the words that would start its `main()`: its name in
    // full (first; in a JVM language's source, only as a literal: an
    // import starts nothing), a call or reference through the class
    // (`Net.main`, `Net::main`, a static import of `Net.*`), its class
    // literal asked for its name or a method (a `ProcessBuilder` given
    // `Net.class.getName()`, reflection; not a JSON parser given
    // `Net.class`, which makes an instance).
    let harness_words = |package: &str, path: &str| -> Option<(String, Vec<String>)> {
        let class = source_class(path)?;
        (!package.is_empty()).then(|| {
            let qualified = format!("{package}.{class}");
            let quoted = format!("\"{qualified}\"");
            let mut starts = vec![qualified, quoted];
            starts.extend(static_call_words(class, "main"));
            starts.extend(
                [
                    "getName",
                    "getCanonicalName",
                    "getMethod",
                    "getDeclaredMethod",
                ]
                .map(|asked| format!("{class}.class.{asked}")),
            );
            (class.to_string(), starts)
        })
    };
    let main_call = called_word("main");
    // Configuration files a failing finding is in that only a reader
    // naming them loads.
    let loaded_by_name: Vec<(usize, LoadedByName)> = results
        .iter()
        .filter(|(_, r)| r.findings.iter().any(|f| f.severity > Severity::Info))
        .filter_map(|(i, _)| {
            let rel = &files[*i].rel;
            Some((*i, LoadedByName::of(rel, left_beside_picked(rel))?))
        })
        .collect();
    let mut words: Vec<String> = loaded_by_name.iter().flat_map(|(_, l)| l.words()).collect();
    // Resources with failing findings, by the name a loader gives: those
    // only code made for sample data names are its data.
    let sample_loaded: Vec<(usize, &str)> = results
        .iter()
        .filter(|(_, r)| r.findings.iter().any(|f| f.severity > Severity::Info))
        .filter_map(|(i, _)| Some((*i, resource_name(&files[*i].rel)?)))
        .collect();
    words.extend(sample_loaded.iter().map(|(_, name)| name.to_string()));
    words.extend(
        results
            .iter()
            .flat_map(|(_, r)| r.findings.iter().map(|f| (f, r.package.as_str())))
            .flat_map(|(f, package)| {
                let programs = any_program(f)
                    .and(f.owner.as_ref())
                    .map(|o| o.class.clone());
                let unnamed = never_runs(f)
                    .or_else(|| debugging_aid_level(f))
                    .and(f.owner.as_ref())
                    .into_iter()
                    .flat_map(|o| {
                        let class = (runs_when_named(o, package, &f.path)
                            || o.unless_extended
                            || o.static_method)
                            .then(|| o.class.clone());
                        let package = o.reflected_package.iter().cloned();
                        let method = o
                            .method
                            .iter()
                            .map(|m| called_word(m))
                            .chain(o.property.iter().cloned());
                        let through_class = o
                            .method
                            .as_deref()
                            .filter(|_| o.static_method)
                            .map(|m| static_call_words(&o.class, m))
                            .into_iter()
                            .flatten();
                        // The one method reaching a private one, and the
                        // methods of its class calling a static one.
                        let entry = o.reached_only_from.as_deref().into_iter();
                        let entry = entry.chain(&o.callers_here).flat_map(|e| {
                            let name = e.method.as_deref().unwrap_or_default();
                            let through = e
                                .static_method
                                .then(|| static_call_words(&e.class, name))
                                .into_iter()
                                .flatten();
                            std::iter::once(called_word(name)).chain(through)
                        });
                        class
                            .into_iter()
                            .chain(package)
                            .chain(method)
                            .chain(through_class)
                            .chain(entry)
                    });
                let harness = harness(f)
                    .and_then(|_| harness_words(package, &f.path))
                    .into_iter()
                    .flat_map(|(class, starts)| {
                        [class, main_call.clone()].into_iter().chain(starts)
                    });
                programs.into_iter().chain(unnamed).chain(harness)
            })
            // A name in another script may be written in another encoding.
            .filter(|w| w.is_ascii()),
    );
    // A class that runs only when named (not a bean a scan finds): one
    // that runs anyway runs in the application too.
    let only_named = |r: &FileResult, f: &Finding| {
        f.owner
            .as_ref()
            .is_some_and(|o| runs_when_named(o, &r.package, &f.path))
    };
    // The sources of packages of command-line programs.
    let in_program_package: std::collections::HashSet<usize> = results
        .iter()
        .filter(|(_, r)| crate::named_places::names_programs(&r.package))
        .map(|(i, _)| *i)
        .collect();
    let takes_command_line: std::collections::HashSet<usize> = results
        .iter()
        .filter(|(_, r)| r.takes_command_line)
        .map(|(i, _)| *i)
        .collect();
    // A task script an operator runs by hand: no pod's definition runs it
    // (a Kubernetes Job's would).
    let operator_task_script = |rel: &str| is_task_script(rel) && !pod_starts_script(rel);
    // By module (the repository without one): how many of its sources
    // declare a `main()`.
    let mut mains_by_module: HashMap<&str, usize> = HashMap::new();
    for (i, r) in results.iter() {
        if r.declares_main && !files[*i].is_test {
            let module = module_root(&files[*i].rel).unwrap_or_default();
            *mains_by_module.entry(module).or_default() += 1;
        }
    }
    // Command-line programs: a `main()` ending the process when done, or
    // a top-level class taking a command line beyond `main()` (see
    // `java::JavaOutcome::takes_command_line`); not a pom's main class,
    // which starts the application whatever it ends with.
    let commands: Vec<(usize, String)> = results
        .iter()
        .filter(|(i, r)| {
            let rel = &files[*i].rel;
            // Where a build may start any main class (Jib, Spring Boot's
            // plugin, Gradle, an assembly's scripts), only beside a
            // `main()` starting the application, or, for a program of a
            // package of command-line programs, beside another `main()`
            // (alone, it may be the one the build starts).
            let beside_another = || {
                let module = module_root(rel).unwrap_or_default();
                in_program_package.contains(i)
                    && mains_by_module.get(module).is_some_and(|&n| n > 1)
            };
            !files[*i].is_test
                && (r.takes_command_line || one_shot(rel))
                && !main_class(rel)
                && (!runs_programs(rel)
                    || module_root(rel).is_some_and(|m| launching_modules.contains(m))
                    || beside_another())
        })
        .filter_map(|(i, _)| Some((*i, source_class(&files[*i].rel)?.to_string())))
        .collect();
    // The other sources with console output at a command-line level: if
    // only command-line programs use them, they print the commands'
    // answers (Atlas' `SchemaRegistryConnector`, which only the
    // `KafkaBridge` import tool uses).
    let command_helpers: Vec<(usize, String)> = if commands.is_empty() {
        Vec::new()
    } else {
        let programs: std::collections::HashSet<usize> = commands.iter().map(|(c, _)| *c).collect();
        results
            .iter()
            .filter(|(i, r)| {
                !files[*i].is_test
                    && !programs.contains(i)
                    && r.findings.iter().any(|f| command_line(f).is_some())
            })
            .filter_map(|(i, _)| Some((*i, source_class(&files[*i].rel)?.to_string())))
            .collect()
    };
    if !command_helpers.is_empty() {
        words.extend(
            commands
                .iter()
                .chain(&command_helpers)
                .map(|(_, class)| class.clone()),
        );
    } else {
        // A program of a package of command-line programs is one only
        // while no service uses it: the graph asks who names it.
        words.extend(
            commands
                .iter()
                .filter(|(i, _)| in_program_package.contains(i))
                .map(|(_, class)| class.clone()),
        );
    }
    // Sources without a `main()` where a command-line program's findings
    // are: a script may hand them to a launcher.
    let launch_candidates: Vec<usize> = results
        .iter()
        .filter(|(i, r)| {
            !files[*i].is_test
                && !r.declares_main
                && files[*i].rel.ends_with(".java")
                && r.findings.iter().any(|f| command_line(f).is_some())
                && r.findings
                    .iter()
                    .filter(|f| command_line(f).is_some())
                    .all(|f| only_named(r, f))
        })
        .map(|(i, _)| *i)
        .collect();
    let launched = launched::launched_tools(&launch_candidates, results, files, *one_shot);
    words.extend(launched.values().map(|t| t.class.clone()));
    // log4j 2 plugins with failing findings, by the name a logging
    // configuration uses them with.
    let plugins: Vec<(usize, String)> = results
        .iter()
        .filter(|(_, r)| r.findings.iter().any(|f| f.severity > Severity::Info))
        .filter_map(|(i, r)| Some((*i, r.log4j_plugin.clone()?)))
        .collect();
    // log4j matches a plugin's name in any case: as written, in lower
    // camel case or all lower case.
    let spellings = |name: &str| -> [String; 3] {
        let mut camel = name.to_string();
        if let Some(first) = camel.get_mut(..1) {
            first.make_ascii_lowercase();
        }
        [name.to_string(), camel, name.to_ascii_lowercase()]
    };
    words.extend(plugins.iter().flat_map(|(_, name)| spellings(name)));
    // And the classes beside them with failing findings: a plugin's base
    // class runs where the plugins do.
    let plugin_packages: std::collections::HashSet<&str> = plugins
        .iter()
        .filter_map(|(i, _)| packages.get(i).map(String::as_str))
        .collect();
    let beside_plugins: Vec<(usize, String)> = results
        .iter()
        .filter(|(i, r)| {
            r.log4j_plugin.is_none()
                && plugin_packages.contains(r.package.as_str())
                && r.findings.iter().any(|f| f.severity > Severity::Info)
                && r.findings
                    .iter()
                    .filter(|f| f.severity > Severity::Info)
                    .all(|f| only_named(r, f))
                && files[*i].rel.ends_with(".java")
        })
        .filter_map(|(i, _)| Some((*i, source_class(&files[*i].rel)?.to_string())))
        .collect();
    words.extend(beside_plugins.iter().map(|(_, class)| class.clone()));
    words.sort_unstable();
    words.dedup();
    if words.is_empty() {
        return;
    }
    let (store, stored) = store.unzip();
    let stored = stored.flatten();
    let mut record = PlacesRecord::default();
    let places = record.search(&words, files, (store, stored.as_ref()));
    let places_of_word = |word: &str| {
        words
            .binary_search_by(|w| w.as_str().cmp(word))
            .ok()
            .map(|i| &places[i])
    };
    let seen = |word: &str| places_of_word(word).map(|p| &p.named);
    let unnamed: Vec<&(usize, LoadedByName)> = loaded_by_name
        .iter()
        .filter(|(file, loaded)| {
            !loaded.words().iter().any(|w| {
                seen(w).is_some_and(|p| {
                    // A pom's pattern only packages resources, and so does
                    // an `<exclude>` naming the file (but its `<filter>`, a
                    // plugin's flag may load it); documentation loads nothing.
                    p.keys().any(|&by| {
                        let packages_only = || {
                            files[by].kind == FileKind::Pom
                                && (loaded.is_pattern(w) || only_excluded(&files[by].abs, w))
                        };
                        by != *file
                            && !is_documentation(&files[by].rel)
                            && !packages_only()
                            && loaded.named_by(w, &files[by])
                    })
                })
            })
        })
        .collect();
    let named_in_gbk = named_in_gbk(&unnamed, files);
    for (file, loaded) in unnamed {
        if named_in_gbk.contains(file) {
            continue;
        }
        let why = match &loaded.left_out {
            Some(out) => format!(
                "not in the image: {} copies other files of {} into it, not this one, and no file of the repository names it or its folder (documentation aside)",
                out.dockerfile, out.folder
            ),
            None => format!(
                "not loaded: no file of the repository names {} (documentation and a pom's `<exclude>` aside), and no framework reads a file of that name unasked",
                loaded.name
            ),
        };
        lower_file(results, *file, &why);
    }
    // ` (only rows sql/ry.sql seeds paused name it)`: what alone names
    // a word.
    let paused_rows = |word: &str| {
        let files: Vec<&str> = places_of_word(word)
            .into_iter()
            .flat_map(|p| &p.paused_in)
            .map(|&file| files[file].rel.as_str())
            .collect();
        if files.is_empty() {
            String::new()
        } else {
            format!(" (only rows {} seeds paused name it)", files.join(", "))
        }
    };
    // What the files' texts say, as recorded of the files unchanged
    // since, else read again for each question: kept, the texts would
    // cost more memory than the reads cost time.
    let answers = TextAnswers::new(
        files,
        stored
            .iter()
            .flat_map(|s| &s.files)
            .map(|f| (f.rel.as_str(), f)),
        store.map(|s| s.stamps),
        stored
            .as_ref()
            .and_then(StoredPlaces::trusted_before)
            .unwrap_or_default(),
    );
    for (file, name) in &sample_loaded {
        let Some(namers) = seen(name) else {
            continue;
        };
        let mut namers: Vec<usize> = namers
            .keys()
            .copied()
            .filter(|&by| by != *file && !is_documentation(&files[by].rel))
            .collect();
        namers.sort_unstable();
        let sample_data = !namers.is_empty()
            && namers.iter().all(|&by| {
                files[by].rel.ends_with(".java")
                    && answers.holds(by, Question::OnlyInSampleData(name.to_string()))
            });
        if !sample_data {
            continue;
        }
        let by: Vec<&str> = namers
            .iter()
            .map(|&by| files[by].rel.rsplit('/').next().unwrap_or_default())
            .collect();
        let why = format!(
            "sample data: only methods named for mock or sample data load {name} ({})",
            by.join(", ")
        );
        lower_file(results, *file, &why);
    }
    // A log4j 2 plugin runs where a logging configuration names it: in a
    // data engine's processes when only the engine's configurations do,
    // nowhere when no file does. `in_engines`: the plugins that run only
    // in other products' processes, with the products.
    let mut in_engines: HashMap<usize, Vec<&str>> = HashMap::new();
    for (here, name) in &plugins {
        let mut namers: Vec<usize> = spellings(name)
            .iter()
            .flat_map(|spelling| seen(spelling).into_iter().flat_map(|p| p.keys().copied()))
            .filter(|&by| by != *here && !is_documentation(&files[by].rel))
            .collect();
        namers.sort_unstable();
        namers.dedup();
        let class = source_class(&files[*here].rel).unwrap_or_default();
        if namers.is_empty() {
            let why = format!("in {class}, a log4j 2 plugin ({name}) no file of the repository names: log4j never loads it");
            let Some((_, r)) = results.iter_mut().find(|(i, _)| i == here) else {
                continue;
            };
            for f in &mut r.findings {
                if let Some(level) = never_runs_anywhere(f) {
                    lower(f, level, &why);
                }
            }
            continue;
        }
        let engines: Option<Vec<&str>> = namers
            .iter()
            .map(|&by| {
                let rel = &files[by].rel;
                engine_logging_file(rel)
                    .or_else(|| engine_configuration_folder(rel).map(|(e, _)| e))
            })
            .collect();
        let Some(mut engines) = engines else {
            continue;
        };
        engines.sort_unstable();
        engines.dedup();
        let by: Vec<&str> = namers.iter().map(|&by| files[by].rel.as_str()).collect();
        let why = format!(
            "in {class}, a log4j 2 plugin ({name}) only {} logging configurations name ({}): it runs in {} processes",
            possessive(&engines),
            by.join(", "),
            possessive(&engines)
        );
        lower_file(results, *here, &why);
        in_engines.insert(*here, engines);
    }
    for (here, class) in &beside_plugins {
        let mut namers: Vec<usize> = seen(class)
            .into_iter()
            .flat_map(|p| p.keys().copied())
            .filter(|&by| by != *here && !is_documentation(&files[by].rel))
            .collect();
        if namers.is_empty() || !namers.iter().all(|by| in_engines.contains_key(by)) {
            continue;
        }
        namers.sort_unstable();
        let mut engines: Vec<&str> = namers
            .iter()
            .flat_map(|by| in_engines[by].iter().copied())
            .collect();
        engines.sort_unstable();
        engines.dedup();
        let by: Vec<&str> = namers
            .iter()
            .filter_map(|&by| source_class(&files[by].rel))
            .collect();
        let why = format!(
            "in {class}, which only log4j 2 plugins running in {} processes name ({})",
            possessive(&engines),
            by.join(", ")
        );
        lower_file(results, *here, &why);
    }
    // A Java file compiles against the file at `here` where its module's
    // classpath holds that file's module.
    let reaches = |file: usize, here: usize| {
        !files[file].rel.ends_with(".java") || compiles_against(&files[file].rel, &files[here].rel)
    };
    // Whether a Java file naming the class at `here` (of `package`) by
    // its simple name can mean it: a class of the same name in another
    // package, or in a module the file's does not compile against, is
    // another class, but for a string naming it in full
    // (`Class.forName("com.acme.Tool")`).
    let file_sees = |file: usize, here: usize, package: &str, class: &str| {
        let reached = reaches(file, here);
        let same_package = packages.get(&file).map(String::as_str) == Some(package);
        !files[file].rel.ends_with(".java")
            || (reached && (package.is_empty() || same_package))
            || answers.holds(file, Question::InLiteral(class.to_string()))
            // A file the walk did not parse (nothing in it asked) has no
            // package of the parser's.
            || (reached
                && answers.holds(
                    file,
                    Question::Sees {
                        package: package.to_string(),
                        class: class.to_string(),
                    },
                ))
    };
    // Whether a Java file names a method in a literal, as reflection
    // does (`getMethod("closeExpired")`), from any module.
    let names_reflectively =
        |file: usize, method: &str| answers.holds(file, Question::InLiteral(method.to_string()));
    // Whether a file naming a class extends it or hands it to a framework
    // (read again only for the classes that ask).
    let handed_on: std::cell::RefCell<HashMap<String, bool>> = Default::default();
    let class_handed_on = |class: &str, package: &str, here: usize| {
        *handed_on
            .borrow_mut()
            .entry(format!("{package}.{class}"))
            .or_insert_with(|| {
                seen(class).is_some_and(|p| {
                    // A source not in UTF-8 (GBK) still names the class in ASCII.
                    p.keys().filter(|&&file| file != here).any(|&file| {
                        file_sees(file, here, package, class)
                            && answers.holds(file, Question::HandsOn(class.to_string()))
                    })
                })
            })
    };
    // The classes other files name, when only code that never runs names
    // them.
    // Named by another file that can mean the class at `here`.
    let named_elsewhere = |here: usize, package: &str, class: &str| {
        seen(class).is_none_or(|p| {
            p.keys()
                .any(|&file| file != here && file_sees(file, here, package, class))
        })
    };
    let unreached = {
        // Followed only in another project's code kept in the repository
        // (a package outside its module's group: `com.caucho` in a
        // `com.alibaba` build), whose unused parts are many: each round
        // reads the repository again.
        let vendored = |here: usize, package: &str| {
            group_of(&files[here].rel).is_some_and(|group| {
                !package.is_empty() && !package.split('.').take(2).eq(group.split('.').take(2))
            })
        };
        // And in a module whose programs nothing starts (a library, a
        // war), a class only its own module's code names, followed within
        // that module: a developer's launcher of embedded servers kept
        // beside the application's code, and what only it uses.
        let package_of = |here: usize| packages.get(&here).map_or("", String::as_str);
        let confined = |here: usize, class: &str| {
            let module = module_root(&files[here].rel);
            module.is_some()
                && seen(class).is_some_and(|p| {
                    p.keys().all(|&file| {
                        file == here
                            || module_root(&files[file].rel) == module
                            || !file_sees(file, here, package_of(here), class)
                    })
                })
        };
        let candidates: Vec<(usize, bool)> = results
            .iter()
            .filter(|(_, r)| {
                r.findings.iter().any(|f| {
                    let runs_when_named = never_runs(f).is_some()
                        && f.owner.as_ref().is_some_and(|o| o.class_runs_when_named);
                    runs_when_named || program(f).is_some()
                })
            })
            .filter_map(|(here, r)| {
                let library = !runs_programs(&files[*here].rel);
                let vendored = vendored(*here, &r.package);
                let wanted = (vendored || library)
                    && r.findings.iter().any(|f| {
                        let runs_when_named = never_runs(f).is_some()
                            && f.owner.as_ref().is_some_and(|o| o.class_runs_when_named);
                        let library_program = library && program(f).is_some();
                        (runs_when_named || library_program)
                            && f.owner.as_ref().is_some_and(|o| {
                                named_elsewhere(*here, &r.package, &o.class)
                                    && (vendored || confined(*here, &o.class))
                            })
                    });
                wanted.then_some((*here, !vendored))
            })
            .collect();
        // A `main()` starting the application runs, in a war too.
        let main_runs = |path: &str| runs_programs(path) || starts_application(path);
        unreached_types(
            &candidates,
            files,
            &main_runs,
            (&words, &places),
            (&file_sees, &answers),
            (store, stored.as_ref()),
            &mut record,
        )
    };
    let (command_only, command_programs) = command_only(
        &commands,
        &command_helpers,
        &|class: &str| seen(class),
        &|by: usize, here: usize, class: &str| {
            let package = packages.get(&here).map_or("", String::as_str);
            file_sees(by, here, package, class)
        },
        &|by: usize, named: usize| {
            let rel = &files[by].rel;
            // A script or a pom starts a program taking a command line
            // as a command, unless a pod runs the script; one that merely
            // exits when done may be a server it starts.
            let command_start = || {
                takes_command_line.contains(&named)
                    && (starts_main_only(rel) || is_launcher(rel))
                    && !pod_starts_script(rel)
            };
            files[by].is_test
                || is_documentation(rel)
                || configures_logging(&files[by])
                || operator_task_script(rel)
                || command_start()
        },
        // A class annotated as a command (picocli's) is run by its
        // launcher, no framework: its annotation makes it none.
        &|here: usize, class: &str| {
            takes_command_line.contains(&here)
                || answers
                    .type_runs(here, class, false)
                    .is_some_and(|t| t.runs_when_named)
        },
        &|by: usize, class: &str| answers.holds(by, Question::HandsOn(class.to_string())),
    );
    let command_only = command_only
        .into_iter()
        .map(|(here, by)| {
            let by = by
                .iter()
                .filter_map(|&b| source_class(&files[b].rel))
                .collect::<Vec<&str>>();
            (here, by)
        })
        .collect::<HashMap<usize, Vec<&str>>>();
    // The programs of a package named for command-line programs that no
    // service uses: all their code is the command's.
    let package_programs: std::collections::HashSet<usize> = command_programs
        .into_iter()
        .filter(|i| in_program_package.contains(i))
        .collect();
    // A tool stays one while every other file naming it is a script
    // handing it on or another such tool (`LogAdmin extends LogTool`).
    let mut tools: HashMap<usize, &launched::LaunchedTool> =
        launched.iter().map(|(i, t)| (*i, t)).collect();
    loop {
        let named_otherwise: Vec<usize> = tools
            .iter()
            .filter(|(&here, tool)| {
                let package = packages.get(&here).map_or("", String::as_str);
                seen(&tool.class).is_some_and(|p| {
                    p.keys().any(|&file| {
                        file != here
                            && !tool.scripts.contains(&file)
                            && !tools.contains_key(&file)
                            && !is_documentation(&files[file].rel)
                            && !configures_logging(&files[file])
                            && file_sees(file, here, package, &tool.class)
                    })
                })
            })
            .map(|(&here, _)| here)
            .collect();
        if named_otherwise.is_empty() {
            break;
        }
        for here in named_otherwise {
            tools.remove(&here);
        }
    }
    for (here, r) in results.iter_mut() {
        let here = *here;
        let package = r.package.as_str();
        // Named in another file (a Java source through `through`, a
        // static method's class: `Net.ip`, `Net::ip`, or `Net.*` in a
        // static import; an XML `method=`, a job's row or a template may
        // call it by a bean's name), or (a method) in its own more often
        // than it is declared there.
        let used_through = |word: &str, declared_here: Option<usize>, through: Option<&str>| {
            let name = method_of(word);
            let names_through = |file: usize| {
                through.is_none_or(|class| {
                    let names = |w: &str| seen(w).is_none_or(|p| p.contains_key(&file));
                    // Spelled otherwise (`Net\n .ip`, `Net.<T>ip`,
                    // `T(Net).ip` in SpEL): the file is read.
                    // The index first: the files are read only when
                    // it names the class there.
                    !files[file].rel.ends_with(".java")
                        || ((static_call_words(class, name).iter().any(|w| names(w))
                            || (names(class)
                                && answers.holds(
                                    file,
                                    Question::CallsThrough {
                                        class: class.to_string(),
                                        method: name.to_string(),
                                    },
                                )))
                            && file_sees(file, here, package, class))
                })
            };
            seen(word).is_none_or(|p| {
                p.iter().any(|(&file, &n)| {
                    if file == here {
                        declared_here.is_some_and(|declared| n > declared)
                    } else {
                        names_through(file)
                            && (reaches(file, here) || names_reflectively(file, name))
                    }
                })
            })
        };
        let used =
            |word: &str, declared_here: Option<usize>| used_through(word, declared_here, None);
        // The classes of the other files naming the class, when each of
        // them drives a code generator: the class is a generator's helper.
        let only_generators_name = |class: &str| {
            let namers: Vec<usize> = seen(class)?
                .keys()
                .copied()
                .filter(|&file| file != here && file_sees(file, here, package, class))
                .collect();
            (!namers.is_empty() && namers.iter().all(|file| generator_drivers.contains(file))).then(
                || {
                    let mut names: Vec<&str> = namers
                        .iter()
                        .map(|&file| {
                            let name = files[file].rel.rsplit('/').next().unwrap_or_default();
                            name.strip_suffix(".java").unwrap_or(name)
                        })
                        .collect();
                    names.sort_unstable();
                    names.dedup();
                    names.join(", ")
                },
            )
        };
        let used_class = |class: &str| named_elsewhere(here, package, class);
        // The code under a condition no configuration meets that alone
        // names the class, when it makes it there (`new KodoManager(…)`)
        // and every other file naming it cannot mean it.
        let made_only_off = |class: &str| {
            let mut maker = None;
            for (&file, &n) in seen(class)? {
                if file == here || !file_sees(file, here, package, class) {
                    continue;
                }
                let off = off_code.get(&file)?;
                let makers: Vec<&OffCode> = off
                    .iter()
                    .filter(|c| c.makes.iter().any(|(ty, _)| ty == class))
                    .collect();
                let named_there: usize = makers
                    .iter()
                    .flat_map(|c| &c.makes)
                    .filter(|(ty, _)| ty == class)
                    .map(|(_, times)| times)
                    .sum();
                if named_there < n {
                    return None;
                }
                maker = maker.or(makers.first().copied());
            }
            maker
        };
        // The operator's task scripts naming a class (`import-kafka.sh`),
        // when nothing else does but logging configurations (a logger's
        // name starts nothing): a person runs the program by hand, no
        // pod starts it (a Kubernetes Job running the script is a pod).
        let only_task_scripts = |class: &str| {
            let namers: Vec<&RepoFile> = seen(class)?
                .keys()
                .filter(|&&file| file != here && file_sees(file, here, package, class))
                .map(|&file| &files[file])
                .collect();
            let task = |f: &RepoFile| operator_task_script(&f.rel);
            let scripts: Vec<&str> = namers
                .iter()
                .filter(|f| task(f))
                .map(|f| f.rel.as_str())
                .collect();
            (!scripts.is_empty() && namers.iter().all(|f| task(f) || configures_logging(f)))
                .then_some(scripts)
        };
        for f in &mut r.findings {
            let unnamed_program = program(f)
                .zip(f.owner.as_ref().map(|o| o.class.clone()))
                .filter(|(_, class)| !used_class(class));
            if let Some((level, class)) = unnamed_program {
                let why = format!(
                    "in {class}, a command-line program no other file of the repository names: no application starts it"
                );
                lower(f, level, &why);
                continue;
            }
            // Named by an operator's task scripts alone, it is a program
            // they start, even where the build may start any main class
            // (Gitblit's `migrate-tickets.sh` running `MigrateTickets`
            // from the server's jar).
            let scripted_program = any_program(f)
                .zip(f.owner.as_ref().map(|o| o.class.clone()))
                .and_then(|(level, class)| Some((level, only_task_scripts(&class)?, class)));
            if let Some((level, mut scripts, class)) = scripted_program {
                scripts.sort_unstable();
                let why = format!(
                    "in {class}, a command-line program only an operator's task script starts ({}): no application starts it",
                    scripts.join(", ")
                );
                lower(f, level, &why);
                continue;
            }
            if let Some((level, tool)) = command_line(f).zip(tools.get(&here)) {
                let scripts: Vec<&str> = tool
                    .scripts
                    .iter()
                    .map(|&s| files[s].rel.as_str())
                    .collect();
                let why = format!(
                    "in {}, a command-line tool that {} runs through {}'s main(), which exits when done: no application starts it",
                    tool.class,
                    scripts.join(", "),
                    tool.launchers.join("'s or ")
                );
                lower(f, level, &why);
                continue;
            }
            // Console output is the programs' answer; anything else (a
            // logging API) concerns where they run.
            let console = rules
                .get(f.rule.as_str())
                .is_some_and(|r| r.command_line.is_some());
            let what = |whose: &str| {
                if console {
                    format!("what it prints is {whose} answer on a terminal")
                } else {
                    format!("it runs where an operator runs {whose} code, not in a pod")
                }
            };
            let class = source_class(&f.path).unwrap_or_default();
            if let Some((level, by)) = command_line(f).zip(command_only.get(&here)) {
                let why = format!(
                    "in {class}, which only command-line programs and their helpers use ({}): {}",
                    by.join(", "),
                    what("their")
                );
                lower(f, level, &why);
                continue;
            }
            if let Some(level) = command_line(f).filter(|_| package_programs.contains(&here)) {
                let why = format!(
                    "in {class}, a program of {package}, a package of command-line programs, that no service uses: {}",
                    what("its")
                );
                lower(f, level, &why);
                continue;
            }
            // Its own file calls `main(` only where it declares it.
            let called_here =
                || seen(&main_call).is_some_and(|p| p.get(&here).is_some_and(|&n| n > 1));
            let unstarted =
                harness(f)
                    .zip(harness_words(package, &f.path))
                    .filter(|(_, (class, starts))| {
                        used_class(class)
                            && !called_here()
                            // The file's one top-level type, named as the
                            // file: not a second class beside it.
                            && answers.type_runs(here, class, false).is_some()
                            && starts.iter().enumerate().all(|(n, w)| {
                                seen(w).is_none_or(|p| {
                                    p.keys().all(|&by| {
                                        let rel = &files[by].rel;
                                        by == here
                                            || is_documentation(rel)
                                            || (n == 0 && is_jvm_source(rel))
                                    })
                                })
                            })
                    });
            if let Some((level, (_, starts))) = unstarted {
                let qualified = starts.first().map_or("", String::as_str);
                let why = format!(
                    "in main(), which nothing starts: no file of the repository names {qualified} as a program and no code calls its main()"
                );
                lower(f, level, &why);
                continue;
            }
            // In a library, a debugging aid (`printMap()`, `dump()`) that no
            // code of the repository calls: its console output is for a
            // person at a debugger, not a service's logs.
            let in_application = never_runs(f);
            let debugging_aid = debugging_aid_level(f);
            let (Some(level), Some(owner)) = (in_application.or(debugging_aid), f.owner.as_ref())
            else {
                continue;
            };
            // An accessor is also reached through its property
            // (`${ipUtil.localIp}` in a template).
            // Asked last: it reads the files naming the class.
            let calls = |owner: &CodeOwner, m: &str, declared_here: Option<usize>| {
                // A private method is its own file's to call (another
                // file's `.dump()` is another class's).
                if owner.private_method {
                    return declared_here.is_some_and(|declared| {
                        seen(&called_word(m))
                            .and_then(|p| p.get(&here))
                            .is_some_and(|&n| n > declared)
                    });
                }
                // A subclass's name calls a static method too
                // (`NetCompat.ip()` for `Net.ip()`), and so does a name
                // read from configuration naming the class
                // (`Class.forName(hookClass).getMethod("ip")`); a pom or
                // a script naming it starts its `main()` only, and a
                // logging configuration names a logger.
                let in_configuration = seen(&owner.class).is_some_and(|p| {
                    p.keys().any(|&file| {
                        let rel = &files[file].rel;
                        !rel.ends_with(".java")
                            && !starts_main_only(rel)
                            && !configures_logging(&files[file])
                    })
                });
                let class = (owner.static_method
                    && !in_configuration
                    && !class_handed_on(&owner.class, package, here))
                .then_some(owner.class.as_str());
                used_through(&called_word(m), declared_here, class)
                    || owner.property.as_deref().is_some_and(|p| used(p, None))
                    || (owner.unless_extended && class_handed_on(&owner.class, package, here))
            };
            let called = |m: &str, declared_here: Option<usize>| calls(owner, m, declared_here);
            // Other Java files call it only from their own `main()`: a
            // developer's try-out, as its own class's.
            let called_only_in_mains = |m: &str| {
                let word = called_word(m);
                seen(&word).is_some_and(|p| {
                    p.keys().all(|&file| {
                        file == here
                            || (files[file].rel.ends_with(".java")
                                && answers.holds(file, Question::OnlyInMains(word.clone())))
                    })
                })
            };
            if let Some(aid_level) = debugging_aid {
                if let Some(method) = owner
                    .method
                    .as_deref()
                    // A subclass inherits it under its name: only a call
                    // by that name runs it (a static one's, through its
                    // class: `MatchUtils.print`, not a writer's `print`).
                    .filter(|m| {
                        let declared = Some(owner.declarations);
                        names_debugging_aid(m)
                            && !if owner.static_method || owner.private_method {
                                called(m, declared)
                            } else {
                                used(&called_word(m), declared)
                            }
                    })
                {
                    let why = format!(
                        "in {}.{method}(), a debugging aid named so, which nothing in the repository calls",
                        owner.class
                    );
                    lower(f, aid_level, &why);
                    continue;
                }
                if in_application.is_none() {
                    continue;
                }
            }
            // The one method reaching a private method, when nothing
            // calls it.
            let uncalled_entry = || {
                let entry = owner.reached_only_from.as_deref()?;
                let name = entry.method.as_deref()?;
                (!calls(entry, name, Some(entry.declarations))).then_some(name)
            };
            let unnamed_class = runs_when_named(owner, package, &f.path)
                && !used_class(&owner.class)
                && owner
                    .reflected_package
                    .as_deref()
                    .is_none_or(|p| !used(p, None));
            let (level, why) = if unnamed_class {
                let why = format!(
                    "in {}, which no other file of the repository names{}: it never runs",
                    owner.class,
                    paused_rows(&owner.class)
                );
                (level, why)
            } else if let Some(maker) = runs_when_named(owner, package, &f.path)
                .then(|| made_only_off(&owner.class))
                .flatten()
                .filter(|_| {
                    owner
                        .reflected_package
                        .as_deref()
                        .is_none_or(|p| !used(p, None))
                })
            {
                let why = format!(
                    "in {}, which only {} makes ({}): it never runs",
                    owner.class, maker.place, maker.why
                );
                (level, why)
            } else if let Some((generators, level)) = owner
                .class_runs_when_named
                .then(|| only_generators_name(&owner.class))
                .flatten()
                .zip(command_line(f))
            {
                let why = format!(
                    "in {}, which only code driving a code generator names ({generators}): a developer or the build runs it",
                    owner.class
                );
                (level, why)
            } else if let Some(namers) = owner
                .class_runs_when_named
                .then(|| unreached.get(&here))
                .flatten()
            {
                let why = format!(
                    "in {}, which only code that never runs names ({namers}): it never runs",
                    owner.class
                );
                (level, why)
            } else if let Some((namers, level)) = unreached
                .get(&here)
                .filter(|_| owner.program && starts_only_named(&f.path))
                .zip(command_line(f))
            {
                let why = format!(
                    "in {}, a command-line program only code that never runs names ({namers}): no application starts it",
                    owner.class
                );
                (level, why)
            } else if let Some(method) = owner
                .method
                .as_deref()
                .filter(|m| !called(m, Some(owner.declarations)))
            {
                let why = format!(
                    "in {}.{method}(), which nothing in the repository calls{}: it never runs",
                    owner.class,
                    paused_rows(&called_word(method))
                );
                (level, why)
            } else if let Some((method, entry)) = owner.method.as_deref().zip(uncalled_entry()) {
                let class = &owner.class;
                let why = format!(
                    "in {class}.{method}(), which only {class}.{entry}() reaches, which nothing in the repository calls: it never runs"
                );
                (level, why)
            } else if let Some(method) = owner.method.as_deref().filter(|m| {
                !owner.callers_here.is_empty()
                    && !called(m, Some(owner.declarations + owner.calls_from_callers))
                    && owner.callers_here.iter().all(|c| {
                        c.method
                            .as_deref()
                            .is_some_and(|name| !calls(c, name, Some(c.declarations)))
                    })
            }) {
                let class = &owner.class;
                let mut callers: Vec<String> = Vec::new();
                for name in owner
                    .callers_here
                    .iter()
                    .filter_map(|c| c.method.as_deref())
                {
                    let name = format!("{class}.{name}()");
                    if !callers.contains(&name) {
                        callers.push(name);
                    }
                }
                let callers = match callers.as_slice() {
                    [one] => format!("{one} calls, which nothing in the repository calls"),
                    [rest @ .., last] => format!(
                        "{} and {last} call, which nothing in the repository calls",
                        rest.join(", ")
                    ),
                    [] => String::new(),
                };
                let why = format!("in {class}.{method}(), which only {callers}: it never runs");
                (level, why)
            } else if let Some((method, level)) = owner
                .method
                .as_deref()
                .filter(|m| {
                    owner.only_main_calls_here && (!called(m, None) || called_only_in_mains(m))
                })
                .zip(command_line(f))
            {
                let class = &owner.class;
                let why = if called(method, None) {
                    format!(
                        "in {class}.{method}(), which only {class}.main() and other classes' main() reach, command-line entry points"
                    )
                } else {
                    format!(
                        "in {class}.{method}(), which only {class}.main(), a command-line entry point, reaches"
                    )
                };
                (level, why)
            } else {
                continue;
            };
            lower(f, level, &why);
        }
    }
    // Recorded again when the files read or the answers worked out are
    // many (as the run's state is): a few again cost less than writing
    // the record.
    let anew = record.read.max(answers.worked_out());
    if let Some(store) = store.filter(|_| stored.is_none() || anew > RECORD_AFTER) {
        record.save(store, answers.into_known());
    }
}

/// Whether the Java file at the first index, naming a class of the
/// package and name given, can mean the one at the second.
type FileSees<'a> = dyn Fn(usize, usize, &str, &str) -> bool + 'a;

/// How many rounds of names [`unreached_types`] follows, and how many types
/// one search may take in: past them, a class may run.
const UNREACHED_ROUNDS: usize = 6;
const UNREACHED_TYPES: usize = 64;

/// The candidate files whose class only code that never runs names, with
/// the names of the types naming it: every other file naming it is a Java
/// type only a reference by name runs, and so in turn is every file naming
/// those, until no other file names any of them (a vendored library's
/// client nothing of the application uses). A type a framework may run (an
/// annotation, a `main()` where `main_runs` says something may start it,
/// more than one type in its file), a name in any
/// other file (a configuration, a page, a script), a package named
/// elsewhere (a computed name), or a search past [`UNREACHED_ROUNDS`]
/// rounds or [`UNREACHED_TYPES`] types, and the class may run; so does a
/// name in another module, for a candidate marked as confined to its own
/// (the module's own code, not a vendored library's). The words searched
/// are searched alone, round by round, and added to `record`, so that
/// the next run reads again only the files that changed.
fn unreached_types(
    candidates: &[(usize, bool)],
    files: &[RepoFile],
    main_runs: &dyn Fn(&str) -> bool,
    (words, places): (&[String], &[WordPlaces]),
    (file_sees, answers): (&FileSees<'_>, &TextAnswers),
    (store, stored): (Option<&PlacesStore>, Option<&StoredPlaces>),
    record: &mut PlacesRecord,
) -> HashMap<usize, String> {
    struct Search<'m> {
        start: usize,
        /// The module root the search stays in, when confined to one.
        module: Option<&'m str>,
        members: Vec<usize>,
        frontier: Vec<usize>,
    }
    let mut searches: Vec<Search> = candidates
        .iter()
        .map(|&(start, confined)| Search {
            start,
            module: confined.then(|| module_root(&files[start].rel)).flatten(),
            members: vec![start],
            frontier: vec![start],
        })
        .collect();
    let mut runs: HashMap<usize, Option<TypeRuns>> = HashMap::new();
    // The places of the words the rounds added (none of `words`).
    let mut searched: HashMap<String, WordPlaces> = HashMap::new();
    let mut unreached = HashMap::new();
    for _ in 0..UNREACHED_ROUNDS {
        for &file in searches.iter().flat_map(|s| &s.frontier) {
            runs.entry(file).or_insert_with(|| {
                let stem = source_class(&files[file].rel)?;
                answers.type_runs(file, stem, main_runs(&files[file].rel))
            });
        }
        let runs_when_named = |file: &usize| {
            runs.get(file)
                .and_then(Option::as_ref)
                .filter(|t| t.runs_when_named)
        };
        searches.retain(|s| {
            s.frontier
                .iter()
                .all(|file| runs_when_named(file).is_some())
        });
        if searches.is_empty() {
            break;
        }
        let mut wanted: Vec<String> = searches
            .iter()
            .flat_map(|s| &s.frontier)
            .filter_map(runs_when_named)
            .flat_map(|t| std::iter::once(t.class.clone()).chain(t.reflected_package.clone()))
            .filter(|w| {
                w.is_ascii() && words.binary_search(w).is_err() && !searched.contains_key(w)
            })
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if !wanted.is_empty() {
            let found = record.search(&wanted, files, (store, stored));
            searched.extend(wanted.into_iter().zip(found));
        }
        let named = |word: &str| {
            words
                .binary_search_by(|w| w.as_str().cmp(word))
                .ok()
                .map(|i| &places[i].named)
                .or_else(|| searched.get(word).map(|p| &p.named))
        };
        let mut going_on = Vec::new();
        'search: for mut search in searches {
            let mut next = Vec::new();
            for &file in &search.frontier {
                let Some(t) = runs_when_named(&file) else {
                    continue 'search;
                };
                let package_named = t
                    .reflected_package
                    .as_deref()
                    .is_some_and(|p| named(p).is_none_or(|by| by.keys().any(|&f| f != file)));
                let Some(namers) = named(&t.class).filter(|_| !package_named) else {
                    continue 'search;
                };
                for &namer in namers.keys() {
                    if namer == file
                        || is_documentation(&files[namer].rel)
                        || !file_sees(namer, file, &t.package, &t.class)
                    {
                        continue;
                    }
                    if !files[namer].rel.ends_with(".java")
                        || search
                            .module
                            .is_some_and(|m| module_root(&files[namer].rel) != Some(m))
                    {
                        continue 'search;
                    }
                    if !search.members.contains(&namer) {
                        search.members.push(namer);
                        next.push(namer);
                    }
                }
            }
            if search.members.len() > UNREACHED_TYPES {
                continue;
            }
            // Named by no other type at all: not this search's to say.
            if next.is_empty() && search.members.len() == 1 {
                continue;
            }
            if next.is_empty() {
                let mut names: Vec<&str> = search.members[1..]
                    .iter()
                    .filter_map(&runs_when_named)
                    .map(|t| t.class.as_str())
                    .collect();
                names.sort_unstable();
                names.dedup();
                let shown = match names.len() {
                    0..=3 => names.join(", "),
                    n => format!("{}, and {} more", names[..3].join(", "), n - 3),
                };
                unreached.insert(search.start, shown);
            } else {
                search.frontier = next;
                going_on.push(search);
            }
        }
        searches = going_on;
    }
    unreached
}

/// The folder of the module a main source is in (`core/` for
/// `core/src/main/java/…`, empty at the root).
fn module_root(rel: &str) -> Option<&str> {
    if let Some(rest) = rel.strip_prefix("src/main/") {
        return (!rest.is_empty()).then_some("");
    }
    rel.find("/src/main/").map(|at| &rel[..=at])
}

/// How a Java source's one top-level type runs, as its text shows: its
/// name, whether only a reference by name runs it, and the package a
/// computed name may make it from (when it has a supertype). Read without
/// parsing, and on the side of running: any annotation but those that
/// only generate or document code, a `main()` (when `programs_start`,
/// something may start its module's programs, or it starts a service), a
/// supertype a framework scans for, an annotation type, or another type at
/// the start of a line says it may run unnamed.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct TypeRuns {
    class: String,
    package: String,
    runs_when_named: bool,
    reflected_package: Option<String>,
}

/// The helpers only command-line programs use, with the files naming
/// them: of the programs and helpers (`commands`, `helpers`: index and
/// class), those named by no other file that may mean them (`sees`;
/// tests, documentation, logging configurations and task scripts aside,
/// and a script or a pom starting a command: `ignored`, given the file
/// naming and the one named), dropped until none is (a program the
/// service also uses is none, nor what only it uses), then the helpers
/// reached from the programs that remain — a class a framework may run
/// unnamed (`plain` false) or that a program hands on (`handed`: a class
/// literal, a subclass) is none — and those programs. Each namer is
/// asked once.
fn command_only<'p>(
    commands: &[(usize, String)],
    helpers: &[(usize, String)],
    seen: &dyn Fn(&str) -> Option<&'p Places>,
    sees: &dyn Fn(usize, usize, &str) -> bool,
    ignored: &dyn Fn(usize, usize) -> bool,
    plain: &dyn Fn(usize, &str) -> bool,
    handed: &dyn Fn(usize, &str) -> bool,
) -> (HashMap<usize, Vec<usize>>, Vec<usize>) {
    let nodes: HashMap<usize, &str> = commands
        .iter()
        .chain(helpers)
        .map(|(i, class)| (*i, class.as_str()))
        .collect();
    // By node: the nodes naming it, or `None` when another file does.
    let mut namers: HashMap<usize, Option<Vec<usize>>> = HashMap::new();
    for (&here, &class) in &nodes {
        let by: Vec<usize> = seen(class)
            .into_iter()
            .flat_map(|p| p.keys().copied())
            .filter(|&by| by != here && !ignored(by, here))
            .collect();
        let outside = by
            .iter()
            .filter(|by| !nodes.contains_key(by))
            .any(|&by| sees(by, here, class));
        let inside = (!outside).then(|| {
            by.into_iter()
                .filter(|by| nodes.contains_key(by))
                .filter(|&by| sees(by, here, class))
                .collect()
        });
        namers.insert(here, inside);
    }
    // What each node names, to drop along with it.
    let mut names: HashMap<usize, Vec<usize>> = HashMap::new();
    for (&here, by) in &namers {
        for &b in by.iter().flatten() {
            names.entry(b).or_default().push(here);
        }
    }
    // A program a framework may run too (a `@Component` with a
    // `main()`) is none.
    let mut dropped: std::collections::HashSet<usize> = namers
        .iter()
        .filter(|(_, by)| by.is_none())
        .map(|(&here, _)| here)
        .chain(
            commands
                .iter()
                .filter(|(c, class)| !plain(*c, class))
                .map(|(c, _)| *c),
        )
        .collect();
    let helper_set: std::collections::HashSet<usize> = helpers.iter().map(|(h, _)| *h).collect();
    let is_helper = |i: usize| helper_set.contains(&i);
    let mut pending: Vec<usize> = dropped.iter().copied().collect();
    loop {
        while let Some(gone) = pending.pop() {
            for &named in names.get(&gone).into_iter().flatten() {
                if dropped.insert(named) {
                    pending.push(named);
                }
            }
        }
        // The helpers the remaining programs reach.
        let mut reached: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut frontier: Vec<usize> = commands
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| !dropped.contains(c))
            .collect();
        while let Some(namer) = frontier.pop() {
            for &named in names.get(&namer).into_iter().flatten() {
                if dropped.contains(&named) || !is_helper(named) || reached.contains_key(&named) {
                    continue;
                }
                let by: Vec<usize> = namers
                    .get(&named)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .copied()
                    .collect();
                reached.insert(named, by);
                frontier.push(named);
            }
        }
        // A helper also named by one that no program reaches (a framework's
        // bean of its own) runs otherwise; asked last, of the few reached:
        // run unnamed, or handed on.
        let live = |b: &usize| {
            reached.contains_key(b)
                || (nodes.contains_key(b) && !is_helper(*b) && !dropped.contains(b))
        };
        let mut run_otherwise: Vec<usize> = reached
            .iter()
            .filter(|(&here, by)| {
                let class = nodes[&here];
                !by.iter().all(live) || !plain(here, class) || by.iter().any(|&b| handed(b, class))
            })
            .map(|(&here, _)| here)
            .collect();
        // So does a program a framework's class names through a helper no
        // program reaches (a bean calling a client with a try-out
        // `main()`).
        run_otherwise.extend(commands.iter().map(|(c, _)| *c).filter(|c| {
            !dropped.contains(c)
                && namers
                    .get(c)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .any(|b| is_helper(*b) && !live(b) && !plain(*b, nodes[b]))
        }));
        if run_otherwise.is_empty() {
            let remaining = commands
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| !dropped.contains(c))
                .collect();
            return (reached, remaining);
        }
        for here in run_otherwise {
            dropped.insert(here);
            pending.push(here);
        }
    }
}

/// Lowers every failing finding of the file at `file` to info, saying why.
fn lower_file(results: &mut [(usize, FileResult)], file: usize, why: &str) {
    if let Some((_, r)) = results.iter_mut().find(|(i, _)| *i == file) {
        for f in r
            .findings
            .iter_mut()
            .filter(|f| f.severity > Severity::Info)
        {
            lower(f, Severity::Info, why);
        }
    }
}

/// Whether the body of a source's `main()` (comments removed) ends with
/// `System.exit(…);`: the program stops once its work is done.
pub(crate) fn main_ends_with_exit(code: &str) -> bool {
    let Some(at) = code.find("void main(") else {
        return false;
    };
    let Some(open) = code[at..].find('{').map(|i| at + i) else {
        return false;
    };
    let mut depth = 0usize;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    let body = code[open + 1..open + i].trim_end();
                    let Some(call) = body.strip_suffix(';').map(str::trim_end) else {
                        return false;
                    };
                    let Some(start) = call.rfind("System.exit(") else {
                        return false;
                    };
                    let before = call[..start].trim_end();
                    return call.ends_with(')')
                        && !call[start..].contains(';')
                        && (before.is_empty() || before.ends_with([';', '}', '{']));
                }
            }
            _ => {}
        }
    }
    false
}

/// The name of the type a line starting with its declaration declares
/// (`public final class Net<T> {` → `Net`).
fn declared_type(line: &str) -> Option<&str> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let mut words = line.split_whitespace().skip_while(|w| {
        matches!(
            *w,
            "public" | "final" | "abstract" | "strictfp" | "sealed" | "non-sealed"
        )
    });
    if !matches!(
        words.next(),
        Some("class" | "interface" | "enum" | "record")
    ) {
        return None;
    }
    let name = words.next()?;
    let end = name
        .find(|c: char| !c.is_alphanumeric() && c != '_' && c != '$')
        .unwrap_or(name.len());
    Some(&name[..end]).filter(|n| !n.is_empty())
}

/// Annotations of members that leave a class run only by name: the
/// compiler's and the null checkers'.
const INERT_MEMBER_ANNOTATIONS: [&str; 9] = [
    "Override",
    "FunctionalInterface",
    "SafeVarargs",
    "Nullable",
    "Nonnull",
    "NonNull",
    "NotNull",
    "CheckForNull",
    "VisibleForTesting",
];

impl TypeRuns {
    /// `None` when the source declares no type named `class` first on a
    /// line, or more than one type there.
    fn read(text: &str, class: &str, programs_start: bool) -> Option<TypeRuns> {
        let code = crate::java::without_comments(text);
        let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
        // A top-level type starts its line; a nested one is indented.
        let mut found = None;
        let mut more = false;
        let mut offset = 0;
        for line in code.split_inclusive('\n') {
            if let Some(name) = declared_type(line) {
                more |= found.is_some();
                found.get_or_insert((offset, name));
            }
            offset += line.len();
        }
        let (at, name) = found?;
        if more || name != class {
            return None;
        }
        let header = &code[at..];
        let header = &header[..header.find('{').unwrap_or(header.len())];
        let has_supertype = header
            .split_whitespace()
            .any(|w| w == "extends" || w == "implements");
        let bytes = code.as_bytes();
        let annotated = code.match_indices('@').any(|(at, _)| {
            let rest = &bytes[at + 1..];
            let len = rest
                .iter()
                .position(|&b| !is_ident(b) && b != b'.')
                .unwrap_or(rest.len());
            let name = code[at + 1..at + 1 + len]
                .rsplit('.')
                .next()
                .unwrap_or_default();
            name == "interface"
                || (name.starts_with(|c: char| c.is_ascii_uppercase())
                    && !crate::java::PASSIVE.contains(&name)
                    && !INERT_MEMBER_ANNOTATIONS.contains(&name))
        });
        let scanned = crate::java::SCANNED_SUPERTYPES
            .iter()
            .any(|t| crate::java::word_count(&code, t) > 0);
        // Spring Data finds a repository's `…Impl` fragment by its name.
        let fragment = has_supertype && class.ends_with("Impl");
        // A `main()` starting a service runs wherever it is; one that
        // ends the process when it is done only borrowed the context (a
        // tool taking a DAO from it to print SQL).
        let starts_service = crate::java::APPLICATION_STARTERS
            .iter()
            .any(|t| crate::java::word_count(&code, t) > 0)
            && !main_ends_with_exit(&code);
        let program = (programs_start || starts_service) && code.contains("void main(");
        let runs_unnamed = annotated || program || scanned || fragment;
        let runs_when_named = !runs_unnamed;
        let package = declared_package(text).unwrap_or_default().to_string();
        Some(TypeRuns {
            class: class.to_string(),
            reflected_package: (runs_when_named && has_supertype).then(|| package.clone()),
            package,
            runs_when_named,
        })
    }
}

/// The name a loader gives a configuration or data file of a module's
/// resources (`global_params.json`).
fn resource_name(rel: &str) -> Option<&str> {
    let name = rel.rsplit('/').next()?;
    let ext = name.rsplit_once('.')?.1;
    (in_main_resources(rel) && matches!(ext, "json" | "properties" | "yml" | "yaml" | "xml"))
        .then_some(name)
}

/// Whether a path lies in a module's main resources.
fn in_main_resources(rel: &str) -> bool {
    rel.starts_with("src/main/resources/") || rel.contains("/src/main/resources/")
}

/// Whether a file is documentation for people, which loads no class:
/// Javadoc's `package.html`, Markdown, AsciiDoc, reStructuredText.
pub(crate) fn is_documentation(rel: &str) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let name = name.to_ascii_lowercase();
    // Generated API documentation committed with the sources (DAS'
    // `doc/javadoc/index-files/index-19.html` lists every method).
    let api_docs = dir.split('/').any(|folder| {
        matches!(
            folder.to_ascii_lowercase().as_str(),
            "javadoc" | "javadocs" | "apidocs"
        )
    });
    api_docs
        || matches!(name.as_str(), "package.html" | "overview.html")
        || [".md", ".markdown", ".adoc", ".rst"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// A configuration file of an application's resources that nothing
/// reads unless a reader names it: not Spring Boot's own
/// (`application.*`, `application-{profile}.*`, `bootstrap`'s the same), nor one a framework finds by its name
/// ([`CONVENTIONAL`]), nor anything under `META-INF/`. Or one outside the
/// sources beside files a Dockerfile copies one by one into its image
/// (kafka-monitor's `config/multi-cluster-monitor.properties` beside the
/// `config/xinfra-monitor.properties` it copies): only a file naming it
/// or its folder (a script, a manifest mounting it, a Gradle
/// distribution) takes it to a pod.
struct LoadedByName {
    /// The file's name (`vault.properties`).
    name: String,
    stem: String,
    ext: String,
    /// The image leaving it out.
    left_out: Option<LeftOut>,
}

/// A file a Dockerfile leaves out of its image, beside the files it
/// copies.
struct LeftOut {
    dockerfile: String,
    /// The file's folder, as named whole (`config/`).
    folder: String,
    /// The folder's own name, as a Gradle build names what it packs
    /// (`from('config')`) or a Compose file what it mounts.
    folder_name: String,
}

/// Configuration a library reads by its name alone, by the start of the
/// name (lowercase): logging's, Quartz's, Dubbo's, P6Spy's, Sentinel's,
/// Hibernate's, JNDI's, C3P0's, Apollo's, JEECG's code generator's
/// (`jeecg/jeecg_database.properties`), resource bundles, Git's.
const CONVENTIONAL: [&str; 19] = [
    "log4j",
    "logback",
    "logging",
    "simplelogger",
    "commons-logging",
    "quartz",
    "ehcache",
    "hazelcast",
    "messages",
    "validationmessages",
    "git",
    "dubbo",
    "spy",
    "sentinel",
    "hibernate",
    "jndi",
    "c3p0",
    "apollo-env",
    "jeecg",
];

impl LoadedByName {
    fn of(rel: &str, picked_by: Option<&str>) -> Option<Self> {
        let resources = in_main_resources(rel);
        let name = rel.rsplit('/').next()?;
        let (stem, ext) = name.rsplit_once('.')?;
        // Not YAML or XML beside an image's files: a manifest, a Compose
        // file or a build's descriptor is no file of the image.
        let configuration = matches!(ext, "properties" | "json" | "conf" | "cfg" | "ini" | "toml");
        let in_sources = rel.starts_with("src/") || rel.contains("/src/");
        let folder = rel.rsplit_once('/').map(|(folder, _)| folder);
        if let Some((dockerfile, folder)) = picked_by
            .zip(folder)
            .filter(|_| configuration && !in_sources)
        {
            return Some(LoadedByName {
                name: name.to_string(),
                stem: stem.to_string(),
                ext: ext.to_string(),
                left_out: Some(LeftOut {
                    dockerfile: dockerfile.to_string(),
                    folder: format!("{folder}/"),
                    folder_name: folder.rsplit('/').next().unwrap_or(folder).to_string(),
                }),
            });
        }
        let lower = stem.to_ascii_lowercase();
        // Spring Boot's: `application.yml`, `application-prod.yml`; not
        // `application.mysql.properties`.
        let spring = ["application", "bootstrap"]
            .iter()
            .any(|s| lower == *s || lower.starts_with(&format!("{s}-")));
        let conventional = spring || CONVENTIONAL.iter().any(|c| lower.starts_with(c));
        (resources
            && !rel.contains("/META-INF/")
            && matches!(ext, "properties" | "yml" | "yaml")
            && !conventional)
            .then(|| LoadedByName {
                name: name.to_string(),
                stem: stem.to_string(),
                ext: ext.to_string(),
                left_out: None,
            })
    }

    /// What names the file to a reader: its name
    /// (`classpath:vault.properties`), a pattern matching every file of
    /// its kind (`classpath*:conf/*.properties`), its stem
    /// (`ResourceBundle.getBundle("vault")`, `spring.config.name: vault`, a
    /// bundle's `basename`), or the start of its stem before a `-` or `_`
    /// (`db` for `db-prod.properties`, which `db-${profile}.properties` or
    /// `spring.config.name: db` reads).
    fn words(&self) -> Vec<String> {
        // A file an image leaves out is taken by its name, its stem or its
        // folder.
        if let Some(out) = &self.left_out {
            let mut words = vec![
                self.name.clone(),
                self.stem.clone(),
                out.folder.clone(),
                out.folder_name.clone(),
            ];
            let whole = out.folder.trim_end_matches('/');
            if whole != out.folder_name {
                words.push(whole.to_string());
            }
            return words;
        }
        let prefixes = self
            .stem
            .match_indices(['-', '_'])
            .map(|(at, _)| self.stem[..at].to_string())
            .filter(|p| !p.is_empty());
        [self.name.clone(), self.pattern(), self.stem.clone()]
            .into_iter()
            .chain(prefixes)
            .collect()
    }

    /// Whether a file holding `word` names this one: its folder without a
    /// slash only in a Gradle build or YAML outside the sources, a Compose
    /// file or a manifest (`from('config')`, `./config:/app/config`; a word
    /// of every other file, and of a script or a Dockerfile naming a file
    /// in it: `config/app.properties`).
    fn named_by(&self, word: &str, by: &RepoFile) -> bool {
        match &self.left_out {
            Some(out)
                if (word == out.folder_name || out.folder.strip_suffix('/') == Some(word))
                    && word != self.stem =>
            {
                let yaml = [".yml", ".yaml"].iter().any(|e| by.rel.ends_with(e));
                by.rel.ends_with(".gradle")
                    || by.rel.ends_with(".gradle.kts")
                    || (yaml && crate::start_lines::is_start_file(&by.rel))
            }
            _ => true,
        }
    }

    fn pattern(&self) -> String {
        format!("*.{}", self.ext)
    }

    /// Whether `word` is the pattern of every file of the kind.
    fn is_pattern(&self, word: &str) -> bool {
        word == self.pattern()
    }
}

/// Of the configuration files `unnamed` (their index among `files`),
/// those a file not in UTF-8 names in GBK (a legacy source's `new
/// ClassPathResource("配置.yml")`): the search of the words found only
/// their UTF-8 spelling. The repository is read once, and only when a
/// name lies outside ASCII.
fn named_in_gbk(
    unnamed: &[&(usize, LoadedByName)],
    files: &[RepoFile],
) -> std::collections::HashSet<usize> {
    let forms: Vec<(usize, Vec<u8>)> = unnamed
        .iter()
        .flat_map(|(file, loaded)| {
            loaded
                .words()
                .into_iter()
                .filter(|w| !w.is_ascii())
                .map(|w| (*file, encoding_rs::GBK.encode(&w).0.into_owned()))
        })
        .collect();
    if forms.is_empty() {
        return Default::default();
    }
    files
        .par_iter()
        .enumerate()
        .filter(|(_, f)| !f.is_test && !is_documentation(&f.rel))
        .flat_map_iter(|(i, f)| {
            let bytes = crate::read_bytes(f, MAX_SEARCHED)
                .ok()
                .filter(|b| std::str::from_utf8(b).is_err());
            forms
                .iter()
                .filter(|(file, form)| {
                    *file != i
                        && bytes
                            .as_ref()
                            .is_some_and(|b| memchr::memmem::find(b, form).is_some())
                })
                .map(|(file, _)| *file)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether every mention of `word` in the pom at `path` is an
/// `<exclude>` of a resource or a packaging (which only leaves the file
/// out).
fn only_excluded(path: &std::path::Path, word: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let mut mentions = text.match_indices(word).peekable();
    mentions.peek().is_some()
        && mentions.all(|(at, _)| {
            text[..at]
                .rfind('<')
                .is_some_and(|tag| text[tag..at].starts_with("<exclude>"))
        })
}

/// Whether a file naming a class can only start its `main()`: a pom
/// (`<mainClass>`) or a script (`java … com.acme.Tool`).
fn starts_main_only(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "pom.xml" || is_script(name)
}

/// Whether a path is a launcher under a `bin/` folder, named without an
/// extension (`bin/mqbroker`, `pcs/core/src/main/bin/pcs_trace`).
fn is_launcher(path: &str) -> bool {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    !name.contains('.')
        && !crate::deployed::is_dockerfile(name)
        && (dir == "bin" || dir.ends_with("/bin"))
}

/// Whether a file name is a script's (`start.sh`, `run.cmd`, `job.py`).
fn is_script(name: &str) -> bool {
    crate::start_lines::is_script_name(name)
}

/// The first word of a script's name that says it runs a task by hand
/// (`install-interpreter.sh`, `import_hive.sh`, `upgrade.cmd`), not a
/// service (`zeppelin-daemon.sh`, `startup.sh`).
const TASK_SCRIPT_VERBS: [&str; 17] = [
    "install",
    "uninstall",
    "import",
    "export",
    "migrate",
    "upgrade",
    "backup",
    "restore",
    "dump",
    "convert",
    "generate",
    "repair",
    "reindex",
    "update",
    "setup",
    "encrypt",
    "decrypt",
];

/// `Spark's`, `Spark's and Flink's`.
fn possessive(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("{n}'s"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The class a Java source's file is named for (`a/b/Tool.java` → `Tool`).
fn source_class(rel: &str) -> Option<&str> {
    rel.rsplit('/').next()?.strip_suffix(".java")
}

/// Whether a file is a logging configuration (its loggers are named for
/// classes).
fn configures_logging(file: &RepoFile) -> bool {
    let name = file
        .rel
        .rsplit('/')
        .next()
        .unwrap_or(&file.rel)
        .to_ascii_lowercase();
    file.kind == FileKind::Logback || name.contains("logback") || name.starts_with("log4j")
}

/// Whether a file is a script that runs an operator's task by its name.
fn is_task_script(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    is_script(&name)
        && name
            .split(['-', '_', '.'])
            .next()
            .is_some_and(|first| TASK_SCRIPT_VERBS.contains(&first))
}

/// The word standing for a method's name among the words searched
/// (`ip(`): in Java code, only a call or a reference names it
/// ([`count_words`]).
fn called_word(method: &str) -> String {
    format!("{method}(")
}

/// A source of a JVM language, whose imports name classes in full.
fn is_jvm_source(rel: &str) -> bool {
    [".java", ".kt", ".groovy", ".scala"]
        .iter()
        .any(|ext| rel.ends_with(ext))
}

/// The name a searched word stands for (`ip` for `ip(`).
fn method_of(word: &str) -> &str {
    word.strip_suffix('(').unwrap_or(word)
}

/// How a Java source outside `class` calls its static `method`: through
/// the class (`Net.ip(`, also in full or in a static import of it, and
/// `Net::ip`), or by the simple name a static import of all its members
/// (`Net.*`) lets it use. Another receiver's method of the same name
/// (`this.ip()`, `minio.uploadFile()`) is not it.
fn static_call_words(class: &str, method: &str) -> [String; 3] {
    [
        format!("{class}.{method}"),
        format!("{class}::{method}"),
        format!("{class}.*"),
    ]
}

/// Whether a source calls `class`'s `method` through the class however
/// it is spaced: `Net . ip`, `Net\n    .ip`, `Net.<String>ip`, `Net::ip`,
/// and SpEL's `T(com.acme.Net).ip`.
fn calls_through(text: &str, class: &str, method: &str) -> bool {
    let bytes = text.as_bytes();
    let skip_space = |mut at: usize| {
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        at
    };
    text.match_indices(class).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let mut end = at + class.len();
        if before.is_some_and(is_identifier_byte)
            || bytes.get(end).copied().is_some_and(is_identifier_byte)
        {
            return false;
        }
        end = skip_space(end);
        if bytes.get(end) == Some(&b')') {
            end = skip_space(end + 1);
        }
        if text[end..].starts_with("::") {
            end += 2;
        } else if bytes.get(end) == Some(&b'.') {
            end += 1;
        } else {
            return false;
        }
        end = skip_space(end);
        if bytes.get(end) == Some(&b'<') {
            match text[end..].find('>') {
                Some(close) => end = skip_space(end + close + 1),
                None => return false,
            }
        }
        text[end..].starts_with(method)
            && !bytes
                .get(end + method.len())
                .copied()
                .is_some_and(is_identifier_byte)
    })
}

/// Whether a Java source of another package can mean `package`'s
/// `class` by its simple name: it imports the class, a member or a nested
/// type of it, or all of its package's types, or writes it in full.
pub(crate) fn sees_class(text: &str, package: &str, class: &str) -> bool {
    let qualified = format!("{package}.{class}");
    text.contains(&format!("{package}.*"))
        || text.match_indices(&qualified).any(|(at, _)| {
            let bytes = text.as_bytes();
            !at.checked_sub(1)
                .is_some_and(|i| is_identifier_byte(bytes[i]))
                && !bytes
                    .get(at + qualified.len())
                    .copied()
                    .is_some_and(is_identifier_byte)
        })
}

/// The package a Java source declares, read without parsing: after a
/// byte-order mark, on a line ending in `\n` or `\r`, up to its `;`.
pub(crate) fn declared_package(text: &str) -> Option<&str> {
    text.trim_start_matches('\u{feff}')
        .split(['\n', '\r'])
        .map(str::trim_start)
        .find_map(|line| {
            let rest = line.strip_prefix("package")?;
            rest.starts_with(char::is_whitespace)
                .then(|| rest.split(';').next().unwrap_or(rest).trim())
        })
}

/// Whether a Java source holds `word` somewhere outside its comments, and
/// every such place is one `accepted` takes (the innermost node there).
fn every_use_is(text: &str, word: &str, accepted: &dyn Fn(Node) -> bool) -> bool {
    let Some(tree) = crate::java::JavaParser::new().parse(text) else {
        return false;
    };
    let mut used = false;
    for (at, _) in text.match_indices(word) {
        let Some(node) = tree
            .root_node()
            .descendant_for_byte_range(at, at + word.len())
        else {
            return false;
        };
        if node.kind().ends_with("comment") {
            continue;
        }
        if !accepted(node) {
            return false;
        }
        used = true;
    }
    used
}

/// The method declaring `node`, if one does.
fn declaring_method(node: Node) -> Option<Node> {
    std::iter::successors(Some(node), |n| n.parent()).find(|n| n.kind() == "method_declaration")
}

/// Whether a Java source names `word` only in string literals of methods
/// named for sample data (`addMockGlobalParametersConfig()` loading
/// `"global_params.json"`), and at least once; comments aside.
fn names_only_in_sample_data(text: &str, word: &str) -> bool {
    every_use_is(text, word, &|node| {
        let in_literal = std::iter::successors(Some(node), |n| n.parent())
            .take(3)
            .any(|n| n.kind() == "string_literal");
        in_literal
            && declaring_method(node)
                .and_then(|m| m.child_by_field_name("name"))
                .and_then(|name| text.get(name.byte_range()))
                .is_some_and(crate::java::named_for_sample_data)
    })
}

/// Whether a Java source uses `word` (a method's name and its opening
/// parenthesis) somewhere, and only in static `main()` methods that start
/// no application (MimeParser's `main()` dumping a message with
/// `MimeMessage.dumpParts`): comments aside.
fn names_only_in_mains(text: &str, word: &str) -> bool {
    const STARTS: [&str; 3] = ["SpringApplication", "Quarkus.run", "Micronaut.run"];
    every_use_is(text, word, &|node| {
        declaring_method(node).is_some_and(|m| {
            let source = text.get(m.byte_range()).unwrap_or_default();
            m.child_by_field_name("name")
                .and_then(|name| text.get(name.byte_range()))
                == Some("main")
                && source.contains("static")
                && !STARTS.iter().any(|s| source.contains(s))
        })
    })
}

/// Whether a Java source holds `name` in a literal, whole or after a dot
/// (`"closeExpired"`, `PKG + ".ReportPrinter"`): reflection may reach it.
fn names_in_literal(text: &str, name: &str) -> bool {
    text.contains(&format!("\"{name}\"")) || text.contains(&format!(".{name}\""))
}

/// Whether a source extends `class` (Java's and Groovy's `extends
/// [pkg.]Tool`, Kotlin's `: [pkg.]Tool(`, whatever the spacing) or hands
/// it to a framework that calls its methods without naming them: a class
/// literal (`.bean(Tool.class)`) or its name in a string (`"com.acme.Tool"`,
/// a Spring XML bean). A literal whose name is all that is read
/// (`Tool.class.getName()`, for a usage line) hands nothing on.
fn hands_on(text: &str, class: &str) -> bool {
    const NAME_READS: [&str; 3] = [".getName()", ".getSimpleName()", ".getCanonicalName()"];
    let bytes = text.as_bytes();
    text.match_indices(class).any(|(at, _)| {
        let end = at + class.len();
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(is_identifier_byte)
            || bytes.get(end).copied().is_some_and(is_identifier_byte)
        {
            return false;
        }
        let rest = &text[end..];
        if rest.starts_with(".class")
            && !bytes.get(end + 6).copied().is_some_and(is_identifier_byte)
            && !NAME_READS.iter().any(|read| rest[6..].starts_with(read))
            || rest.starts_with('"') && matches!(before, Some(b'"' | b'.'))
        {
            return true;
        }
        // Back over a package qualifier (`com.acme.Tool`).
        let mut start = at;
        if before == Some(b'.') {
            while start > 0 && (is_identifier_byte(bytes[start - 1]) || bytes[start - 1] == b'.') {
                start -= 1;
            }
        }
        let head = text[..start].trim_end();
        let keyword = head
            .strip_suffix("extends")
            .is_some_and(|h| !h.bytes().next_back().is_some_and(is_identifier_byte));
        keyword || (head.ends_with(':') && rest.trim_start().starts_with(['(', '<']))
    })
}

fn lower(f: &mut Finding, level: Severity, why: &str) {
    f.severity = level;
    f.message.push_str(&format!("; {why}"));
}

/// The largest file searched for names, in bytes.
const MAX_SEARCHED: u64 = 16 << 20;

/// Where the words were found last time, kept so that a run reads again
/// only the files whose status changed.
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredPlaces {
    /// When the run that found them started (seconds, nanoseconds).
    recorded: (i64, i64),
    words: Vec<String>,
    files: Vec<FilePlaces>,
}

impl StoredPlaces {
    /// The moment before which a file's status is trusted: older than
    /// the recording run by more than [`RACY`].
    fn trusted_before(&self) -> Option<(i64, i64)> {
        let (s, n) = self.recorded;
        let since = Duration::new(u64::try_from(s).ok()?, u32::try_from(n).ok()?);
        Some(instant(UNIX_EPOCH.checked_add(since)?.checked_sub(RACY)?))
    }
}

/// Whether a file whose status was `was` when recorded is as it was:
/// its status is the same, and it changed before `trusted_before`.
fn unchanged(was: &Stamp, now: &Stamp, trusted_before: (i64, i64)) -> bool {
    let changed_at = (now[2], now[3]);
    was == now && changed_at < trusted_before
}

/// What one file held of the words, and its status when it was read.
#[derive(Serialize, Deserialize)]
struct FilePlaces {
    rel: String,
    stamp: Stamp,
    /// (word, times found), words found only.
    counts: Vec<(usize, usize)>,
    /// The words a SQL seed file names only in rows it leaves paused.
    paused: Vec<usize>,
    /// What its text answered ([`answers`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    answers: Vec<(Question, answers::Answer)>,
}

/// What a recorded search says, ready to be looked up: the files by path,
/// the recorded words' places among this run's words, and the time before
/// which a status is trusted.
struct Recorded<'s> {
    by_rel: HashMap<&'s str, &'s FilePlaces>,
    index: Vec<Option<usize>>,
    trusted_before: (i64, i64),
}

/// Where the words were found last time, through the cache.
pub(crate) struct PlacesStore<'c> {
    pub cache: &'c ResultCache,
    /// The key of the repository's run state, of which this is a part.
    pub run: Key,
    pub started: SystemTime,
    /// The walked files' statuses at the start of the run.
    pub stamps: &'c Stamps,
}

impl PlacesStore<'_> {
    fn key(&self) -> Key {
        let mut key = KeyHasher::default();
        key.part(b"unreferenced-places-5").part(&self.run);
        key.finish()
    }

    /// Where the words were found last time, when that was recorded.
    pub fn recorded(&self) -> Option<StoredPlaces> {
        serde_json::from_slice(&self.cache.get(&self.key())?).ok()
    }
}

/// The searches of a run, to be recorded as one: every word searched
/// for, and what each file held of them.
#[derive(Default)]
struct PlacesRecord {
    words: Vec<String>,
    files: rustc_hash::FxHashMap<usize, FilePlaces>,
    /// Files one search read and another did not (a read that failed):
    /// what they hold of some words is unknown, so they are not recorded.
    partial: std::collections::HashSet<usize>,
    /// The most files one search read (each reads the files that changed).
    read: usize,
}

impl PlacesRecord {
    /// For each of `words` (sorted, none searched before), the files
    /// outside the tests that hold it as a whole word, and how many
    /// times; what each file held is added to the record.
    fn search(
        &mut self,
        words: &[String],
        files: &[RepoFile],
        known: (Option<&PlacesStore>, Option<&StoredPlaces>),
    ) -> Vec<WordPlaces> {
        debug_assert!(words.windows(2).all(|w| w[0] < w[1]));
        debug_assert!(words.iter().all(|w| !self.words.contains(w)));
        let (found, read) = places_of(words, files, known);
        let mut places = vec![WordPlaces::default(); words.len()];
        for (file, found) in &found {
            for &(word, n) in &found.counts {
                places[word].named.insert(*file, n);
            }
            for &word in &found.paused {
                places[word].paused_in.push(*file);
            }
        }
        let base = self.words.len();
        self.words.extend_from_slice(words);
        self.read = self.read.max(read);
        if base > 0 {
            let now: std::collections::HashSet<usize> = found.iter().map(|(f, _)| *f).collect();
            self.partial
                .extend(self.files.keys().filter(|f| !now.contains(f)).copied());
            self.partial
                .extend(now.iter().filter(|f| !self.files.contains_key(f)).copied());
        }
        for (file, mut found) in found {
            found.counts.iter_mut().for_each(|(word, _)| *word += base);
            found.paused.iter_mut().for_each(|word| *word += base);
            match self.files.entry(file) {
                std::collections::hash_map::Entry::Occupied(mut had) => {
                    let had = had.get_mut();
                    had.counts.append(&mut found.counts);
                    had.paused.append(&mut found.paused);
                }
                std::collections::hash_map::Entry::Vacant(new) => {
                    new.insert(found);
                }
            }
        }
        places
    }

    /// Writes the record, with what each file's text answered.
    fn save(self, store: &PlacesStore, mut answers: answers::FileAnswers) {
        let partial = self.partial;
        let mut files: Vec<(usize, FilePlaces)> = self
            .files
            .into_iter()
            .filter(|(file, _)| !partial.contains(file))
            .map(|(file, mut places)| {
                places.answers = answers.remove(&file).unwrap_or_default();
                (file, places)
            })
            .collect();
        files.sort_unstable_by_key(|(file, _)| *file);
        let record = StoredPlaces {
            recorded: instant(store.started),
            words: self.words,
            files: files.into_iter().map(|(_, f)| f).collect(),
        };
        if let Ok(bytes) = serde_json::to_vec(&record) {
            store.cache.put(&store.key(), bytes);
        }
    }
}

/// For each of `words` (sorted), what each file outside the tests holds
/// of them, and how many files were read. With a store, a file whose
/// status is the one recorded (and older than that run by more than
/// [`RACY`]) is taken as it was, when the words recorded include these.
fn places_of(
    words: &[String],
    files: &[RepoFile],
    (store, stored): (Option<&PlacesStore>, Option<&StoredPlaces>),
) -> (Vec<(usize, FilePlaces)>, usize) {
    // Built only when a file is read.
    let searcher = std::sync::OnceLock::new();
    let calls_only: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    // Recorded results are usable when they looked for every word.
    let known: Option<Recorded> = stored.and_then(|s| {
        let index: Vec<Option<usize>> = s
            .words
            .iter()
            .map(|w| words.binary_search(w).ok())
            .collect();
        let recorded: std::collections::HashSet<&String> = s.words.iter().collect();
        let covered = words.iter().all(|w| recorded.contains(w));
        let trusted_before = s.trusted_before()?;
        covered.then(|| Recorded {
            by_rel: s.files.iter().map(|f| (f.rel.as_str(), f)).collect(),
            index,
            trusted_before,
        })
    });
    let read = AtomicUsize::new(0);
    let found: Vec<(usize, FilePlaces)> = files
        .par_iter()
        .enumerate()
        .filter(|(_, f)| !f.is_test)
        .filter_map(|(i, f)| {
            // Without a store nothing is recorded: no status is needed.
            let stamp = store.and_then(|store| store.stamps.of(i));
            // A data dump names nothing that runs.
            if stamp.is_some_and(|s| u64::try_from(s[4]).map_or(true, |size| size > MAX_SEARCHED)) {
                return None;
            }
            let as_before = stamp.zip(known.as_ref()).and_then(|(stamp, known)| {
                let Recorded {
                    by_rel,
                    index,
                    trusted_before,
                } = known;
                let was = by_rel.get(f.rel.as_str())?;
                let now = |w: usize| index.get(w).copied().flatten();
                unchanged(&was.stamp, &stamp, *trusted_before).then(|| {
                    let counts = was.counts.iter().filter_map(|&(w, n)| Some((now(w)?, n)));
                    let paused = was.paused.iter().filter_map(|&w| now(w));
                    (counts.collect::<Vec<_>>(), paused.collect::<Vec<_>>())
                })
            });
            let (counts, paused) = match as_before {
                Some(found) => found,
                None => {
                    read.fetch_add(1, Ordering::Relaxed);
                    let mut bytes = crate::read_bytes(f, MAX_SEARCHED).ok()?;
                    // A `//` comment ends at a carriage return alone too.
                    if crate::text::ends_lines_with_cr(&bytes) {
                        bytes
                            .iter_mut()
                            .filter(|b| **b == b'\r')
                            .for_each(|b| *b = b'\n');
                    }
                    let searcher = searcher
                        .get_or_init(|| AhoCorasick::new(words.iter().map(|w| method_of(w))).ok());
                    // Groovy's and Kotlin's literals (triple quotes, slashy
                    // strings, templates) are not lexed here: their
                    // comments count.
                    let java = f.rel.ends_with(".java");
                    let lower_rel = f.rel.to_ascii_lowercase();
                    let sql = lower_rel.ends_with(".sql");
                    let comments = CommentStyle::of(&lower_rel);
                    match searcher {
                        Some(searcher) => {
                            let calls = calls_only
                                .get_or_init(|| words.iter().map(|w| w.ends_with('(')).collect());
                            let (mut counts, unnamed) =
                                count_words(searcher, &bytes, calls, |bytes| {
                                    if java {
                                        java_ranges(bytes)
                                    } else if lower_rel.ends_with(".json") {
                                        json_ranges(bytes)
                                    } else if sql {
                                        Lexed::unnaming(seed_rows::paused_rows(bytes))
                                    } else {
                                        Lexed::unnaming(
                                            comments.map_or_else(Vec::new, |c| c.ranges(bytes)),
                                        )
                                    }
                                });
                            // A browser's script calls no Java method
                            // (`encrypt(` of a page's RSA library), nor
                            // does a build or a logging configuration (a
                            // module `order-console`, an appender named
                            // `console`, a level `info`), nor
                            // documentation (generated Javadoc's index).
                            if runs_in_browser(&lower_rel)
                                || calls_no_method(&lower_rel)
                                || is_documentation(&f.rel)
                            {
                                counts.retain(|&(word, _)| !calls[word]);
                            }
                            (counts, if sql { unnamed } else { Vec::new() })
                        }
                        // Too many words for a searcher: each counts as named.
                        None => ((0..words.len()).map(|w| (w, 2)).collect(), Vec::new()),
                    }
                }
            };
            let rel = f.rel.clone();
            // Without a status (no change times), never taken as it was.
            let stamp = stamp.unwrap_or_default();
            let found = FilePlaces {
                rel,
                stamp,
                counts,
                paused,
                answers: Vec::new(),
            };
            Some((i, found))
        })
        .collect();
    (found, read.into_inner())
}

/// Whether a file (its path in lower case) is code a browser runs, or
/// its style: a front end's components, a web page's scripts. A script
/// among an application's resources but its web content may be the
/// server's own (Nashorn, GraalJS: `Java.type(…)` calls Java).
fn runs_in_browser(lower_rel: &str) -> bool {
    let has = |exts: &[&str]| exts.iter().any(|ext| lower_rel.ends_with(ext));
    let web_content = ["/static/", "/public/", "/meta-inf/resources/", "/webapp/"]
        .iter()
        .any(|folder| lower_rel.contains(folder));
    has(&[".jsx", ".tsx", ".vue", ".svelte", ".css", ".scss", ".less"])
        || (has(&[".js", ".mjs", ".cjs", ".ts"])
            && (!lower_rel.contains("src/main/resources/") || web_content))
}

/// Whether a file (its path in lower case) is a pom or configures
/// logback or log4j by its name (`logback-spring.xml`,
/// `log4j2.properties`): it names classes, never a method to call.
fn calls_no_method(lower_rel: &str) -> bool {
    let name = lower_rel.rsplit('/').next().unwrap_or(lower_rel);
    let logging = (name.contains("logback") || name.contains("log4j"))
        && [".xml", ".properties", ".yml", ".yaml", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext));
    name == "pom.xml" || logging
}

/// What a source's lexing says of its byte ranges, each list sorted.
#[derive(Default)]
struct Lexed {
    /// What names nothing: comments, imports, rows left paused.
    unnaming: Vec<(usize, usize)>,
    /// Java only: the literals, where a method's name may be read by
    /// reflection; outside them, a method is named by a call
    /// ([`count_words`]).
    literals: Option<Vec<(usize, usize)>>,
}

impl Lexed {
    fn unnaming(unnaming: Vec<(usize, usize)>) -> Self {
        Lexed {
            unnaming,
            literals: None,
        }
    }
}

fn in_ranges(ranges: &[(usize, usize)], at: usize) -> bool {
    let next = ranges.partition_point(|&(start, _)| start <= at);
    next > 0 && ranges[next - 1].1 > at
}

/// How many times each word is in `bytes` as a whole word, outside the
/// sorted byte ranges `lex` says name nothing (asked only of a text
/// holding a word): (word, times) for the words found, and the words
/// found only inside those ranges. In Java code, a word `calls_only`
/// marks (a method's name) names it where it is called or referred to
/// (`ip(`, `Net::ip`), or in a literal that is the name alone or calls it
/// (reflection, an expression language): `ip` as a variable or a field
/// (`String dateFormat = …`), or in a message, is another thing.
fn count_words(
    searcher: &AhoCorasick,
    bytes: &[u8],
    calls_only: &[bool],
    lex: impl FnOnce(&[u8]) -> Lexed,
) -> (Vec<(usize, usize)>, Vec<usize>) {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    let mut unnamed: Vec<usize> = Vec::new();
    let mut lex = Some(lex);
    let mut lexed = Lexed::default();
    // Whether `at` is commented out, and, in Java code, whether it lies
    // in a literal.
    let mut lexed_at = |at: usize| -> (bool, Option<bool>) {
        if let Some(lex) = lex.take() {
            lexed = lex(bytes);
        }
        let commented = in_ranges(&lexed.unnaming, at);
        let in_literal = lexed
            .literals
            .as_ref()
            .map(|literals| in_ranges(literals, at));
        (commented, in_literal)
    };
    let called = |start: usize, end: usize| {
        let next = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
        let before = bytes[..start].trim_ascii_end();
        next == Some(&b'(') || before.ends_with(b"::")
    };
    // In a literal, a method is named for reflection by the whole literal
    // (`getMethod("closeExpired")`) or called in an expression
    // (`"@ss.hasPermi('x')"`), not by prose (`"sendMail: to {}"`).
    let reflected = |start: usize, end: usize| {
        let quote = start.checked_sub(1).and_then(|at| bytes.get(at));
        let whole = quote.is_some_and(|q| matches!(q, b'"' | b'\'')) && bytes.get(end) == quote;
        let next = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
        whole || next == Some(&b'(')
    };
    for m in searcher.find_overlapping_iter(bytes) {
        let glued = |b: Option<&u8>| b.is_some_and(|&b| is_identifier_byte(b));
        let before = m.start().checked_sub(1).and_then(|p| bytes.get(p));
        // A package followed by more of a name (`com.acme.pay.Alipay`,
        // `com.acme.pay.cn`) names a class or a package below it; a class
        // literal is one whatever is read of it (`Net.class.getName()`).
        let dotted = bytes[m.start()..m.end()].contains(&b'.')
            && !bytes[m.start()..m.end()].ends_with(b".class");
        let longer = dotted && bytes.get(m.end()) == Some(&b'.') && glued(bytes.get(m.end() + 1));
        // `EmbeddedServer.java` names a source file (a link to it, a
        // note), which no class loader reads.
        let source_file = bytes[m.end()..].starts_with(b".java") && !glued(bytes.get(m.end() + 5));
        if !glued(before) && !glued(bytes.get(m.end())) && !longer {
            let word = m.pattern().as_usize();
            let (commented, in_literal) = lexed_at(m.start());
            let commented = commented || source_file;
            let method = calls_only.get(word).copied().unwrap_or(false);
            // Outside Java code, every mention counts but a segment of a
            // dotted name (`org.acme.encrypt.Digest`).
            let segment = before == Some(&b'.')
                && bytes.get(m.end()) == Some(&b'.')
                && glued(bytes.get(m.end() + 1));
            let names_method = match in_literal {
                None => !segment,
                Some(false) => called(m.start(), m.end()),
                Some(true) => reflected(m.start(), m.end()),
            };
            if commented {
                unnamed.push(word);
            } else if !method || names_method {
                *counts.entry(word).or_default() += 1;
            }
        }
    }
    let mut counts: Vec<(usize, usize)> = counts.into_iter().collect();
    counts.sort_unstable();
    unnamed.sort_unstable();
    unnamed.dedup();
    unnamed.retain(|w| !counts.iter().any(|(c, _)| c == w));
    (counts, unnamed)
}

/// The comments, the package declaration and the type imports of a Java
/// source, as sorted byte ranges: a name only they hold (a call commented
/// out, a `{@link}`, the import left behind when the use was commented
/// out, the package every file of it declares) runs nothing. A static
/// import stays: its members are then used by their simple names. And
/// its literals, skipped whole: a name in a string may be called by
/// reflection.
fn java_ranges(bytes: &[u8]) -> Lexed {
    let find = |from: usize, what: &[u8]| {
        bytes
            .get(from..)
            .and_then(|rest| memchr::memmem::find(rest, what))
            .map_or(bytes.len(), |at| from + at + what.len())
    };
    let mut ranges = Vec::new();
    let mut literals = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = find(i, b"\n");
                ranges.push((i, end));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = find(i + 2, b"*/");
                ranges.push((i, end));
                i = end;
            }
            // A package declaration names the package of its own file.
            b'p' if bytes[i..].starts_with(b"package")
                && bytes.get(i + 7).is_some_and(u8::is_ascii_whitespace)
                && starts_line(bytes, i) =>
            {
                let end = find(i, b";");
                ranges.push((i, end));
                i = end;
            }
            // A static import names the class its members are used by
            // their simple names: only a type's import names nothing.
            b'i' if bytes[i..].starts_with(b"import")
                && bytes.get(i + 6).is_some_and(u8::is_ascii_whitespace)
                && !bytes[i + 6..].trim_ascii_start().starts_with(b"static")
                && starts_line(bytes, i) =>
            {
                let end = find(i, b";");
                ranges.push((i, end));
                i = end;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                let end = find(i + 3, b"\"\"\"");
                literals.push((i, end));
                i = end;
            }
            quote @ (b'"' | b'\'') => {
                let start = i;
                i += 1;
                // To the closing quote, or the line's end for one missing.
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                literals.push((start, i.min(bytes.len())));
            }
            _ => i += 1,
        }
    }
    Lexed {
        unnaming: ranges,
        literals: Some(literals),
    }
}

/// A JSON document's strings, as literals: a method's name in one is
/// named as in a Java literal (the whole string, or a call), not by
/// prose (`"Whether to encrypt"`).
fn json_ranges(bytes: &[u8]) -> Lexed {
    let mut literals = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            literals.push((start, i.min(bytes.len())));
        } else {
            i += 1;
        }
    }
    Lexed {
        unnaming: Vec::new(),
        literals: Some(literals),
    }
}

/// How a configuration file or script comments: what its comments
/// name (`# see AlipayCore.logResult()`) runs nothing.
#[derive(Clone, Copy)]
enum CommentStyle {
    /// A line whose first non-blank is `#` or `!` (`.properties`).
    Properties,
    /// `#` at a line's start or after a blank (YAML, shell).
    Hash,
    /// `<!-- … -->` (XML, HTML).
    Markup,
}

impl CommentStyle {
    fn of(lower_rel: &str) -> Option<Self> {
        let ext = lower_rel.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "properties" => Some(Self::Properties),
            "yml" | "yaml" | "sh" => Some(Self::Hash),
            "xml" | "html" | "htm" => Some(Self::Markup),
            _ => None,
        }
    }

    /// The comments of `bytes`, as sorted byte ranges.
    fn ranges(self, bytes: &[u8]) -> Vec<(usize, usize)> {
        let line_end =
            |from: usize| memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |e| from + e);
        let mut ranges = Vec::new();
        match self {
            Self::Markup => {
                let mut at = 0;
                while let Some(open) = memchr::memmem::find(&bytes[at..], b"<!--") {
                    let start = at + open;
                    let end = memchr::memmem::find(&bytes[start + 4..], b"-->")
                        .map_or(bytes.len(), |e| start + 4 + e + 3);
                    ranges.push((start, end));
                    at = end;
                }
            }
            Self::Properties | Self::Hash => {
                let mut at = 0;
                while at < bytes.len() {
                    let end = line_end(at);
                    let line = &bytes[at..end];
                    let first = line.iter().position(|b| !b.is_ascii_whitespace());
                    let comment = match (self, first) {
                        (_, None) => None,
                        (Self::Properties, Some(i)) => matches!(line[i], b'#' | b'!').then_some(i),
                        // A `#` inside a value (`url: a#b`, a quoted one)
                        // is not a comment: only one after a blank is.
                        (_, Some(i)) => (i..line.len()).find(|&j| {
                            line[j] == b'#'
                                && (j == i || line[j - 1].is_ascii_whitespace())
                                && !line[..j].iter().any(|&b| b == b'"' || b == b'\'')
                        }),
                    };
                    if let Some(i) = comment {
                        ranges.push((at + i, end));
                    }
                    at = end + 1;
                }
            }
        }
        ranges
    }
}

/// Whether only blanks are before `at` on its line.
fn starts_line(bytes: &[u8], at: usize) -> bool {
    bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .all(|b| b.is_ascii_whitespace())
}

/// What glues to a name. Not `$`: a binary name (`Outer$Inner`, in a
/// service list or Spring XML) names `Outer`.
fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_resource_named_only_in_methods_made_for_sample_data() {
        use super::names_only_in_sample_data;
        let class = |body: &str| format!("class H {{ {body} }}");
        let mock = "static void addMockConfig() { load(\"params.json\"); }";
        assert!(names_only_in_sample_data(&class(mock), "params.json"));
        // Also read for real, or named outside a literal: not sample data.
        let real = format!("{mock} static void init() {{ load(\"params.json\"); }}");
        assert!(!names_only_in_sample_data(&class(&real), "params.json"));
        // A comment names nothing; named nowhere else, it is no loader.
        let noted = "// params.json is the stub\nstatic void init() { }";
        assert!(!names_only_in_sample_data(&class(noted), "params.json"));
    }

    #[test]
    fn a_main_ending_the_process_when_done_is_a_tool_whatever_context_it_makes() {
        use super::main_ends_with_exit;
        let main =
            |body: &str| format!("class T {{ public static void main(String[] a) {{ {body} }} }}");
        for tool in [
            "ctx.refresh(); print(ctx.getBean(\"dao\")); System.exit(1);",
            "System.exit(0);",
            "if (a.length == 0) { usage(); } System.exit(run(a));",
        ] {
            assert!(main_ends_with_exit(&main(tool)), "{tool}");
        }
        for service in [
            "ctx.start(); synchronized (T.class) { T.class.wait(); }",
            "try { ctx.start(); } catch (Exception e) { System.exit(1); }",
            "ctx.start(); if (failed) System.exit(1);",
            "System.exit(0); ctx.start();",
        ] {
            assert!(!main_ends_with_exit(&main(service)), "{service}");
        }
    }

    #[test]
    fn a_static_call_through_its_class_however_spaced() {
        use super::calls_through;
        for call in [
            "Net.ip()",
            "Net . ip()",
            "return Net\n        .ip();",
            "Net.<String>ip()",
            "map(Net::ip)",
            "@Value(\"#{T(com.acme.Net).ip()}\")",
            "com.acme.Net.ip()",
        ] {
            assert!(calls_through(call, "Net", "ip"), "{call}");
        }
        for other in [
            "net.ip()",
            "Net.ipv4()",
            "MyNet.ip()",
            "Net.other().ip()",
            "this.ip()",
        ] {
            assert!(!calls_through(other, "Net", "ip"), "{other}");
        }
    }

    use super::*;

    #[test]
    fn a_class_is_extended_or_handed_to_a_framework_however_written() {
        for text in [
            "class Hook extends Warmup implements Listener {}",
            "class Hook\n    extends\tcom.acme.app.Warmup {}",
            "class Hook : Warmup(), ApplicationListener<E>",
            "class Hook : com.acme.Warmup<T>()",
            "from(\"kafka:orders\").bean(Warmup.class);",
            "<bean class=\"com.acme.app.Warmup\"/>",
        ] {
            assert!(hands_on(text, "Warmup"), "{text}");
        }
        for text in [
            "new Warmup().start();",
            "class Hook extends WarmupBase {}",
            "class Hook extends Prewarmup {}",
            "Warmup.classify(x);",
            "// Warmup: see docs",
            "printHelp(\"java \" + Warmup.class.getName(), options);",
        ] {
            assert!(!hands_on(text, "Warmup"), "{text}");
        }
    }

    #[test]
    fn a_class_of_the_same_name_in_another_package_is_another_class() {
        // Another package's source (its own package is the parser's).
        let pay = "com.roncoo.pay.reconciliation";
        for text in [
            "package com.acme;\nimport com.roncoo.pay.reconciliation.AlipayCore;\nclass A {}",
            "package com.acme;\nimport com.roncoo.pay.reconciliation.*;\nclass A {}",
            "package com.acme;\nimport static com.roncoo.pay.reconciliation.AlipayCore.sign;\nclass A {}",
            "package com.acme;\nclass A { Object o = com.roncoo.pay.reconciliation.AlipayCore.INSTANCE; }",
        ] {
            assert!(sees_class(text, pay, "AlipayCore"), "{text}");
        }
        for text in [
            "package com.roncoo.pay.trade;\n/** Like the reconciliation one. */\npublic class AlipayCore { static void logResult() {} }",
            "package com.roncoo.pay.reconciliation.alipay;\nclass A { void f() { AlipayCore.sign(); } }",
            "package com.acme;\nimport com.roncoo.pay.reconciliation.AlipayCoreV2;\nclass A {}",
        ] {
            assert!(!sees_class(text, pay, "AlipayCore"), "{text}");
        }
        for text in [
            "package com.acme.app; // moved\nclass A {}",
            "\u{feff}package com.acme.app;\nclass A {}",
            "/* header */\rpackage com.acme.app;\rclass A {}",
            "package com.acme.app;//package old.place;",
        ] {
            assert_eq!(declared_package(text), Some("com.acme.app"), "{text}");
        }
        // A literal may name it to reflection, whole or after a package.
        assert!(names_in_literal(
            "Class.forName(UTIL + \".AlipayCore\")",
            "AlipayCore"
        ));
        assert!(names_in_literal("getMethod(\"logResult\")", "logResult"));
        assert!(!names_in_literal("\"AlipayCoreV2\"", "AlipayCore"));
    }

    #[test]
    fn a_name_only_a_configuration_comment_holds_is_not_counted() {
        let searcher = AhoCorasick::new(["logResult"]).expect("one word");
        for (rel, text, counted) in [
            (
                "a.properties",
                "# see AlipayCore.logResult()\n  ! logResult\nlog.method=logResult\n",
                1,
            ),
            (
                "a.yml",
                "# logResult\njob:\n  method: logResult # not logResult\n  tag: \"a #logResult\"\n",
                2,
            ),
            (
                "a.xml",
                "<!-- <bean method=\"logResult\"/> -->\n<bean init-method=\"logResult\"/>\n",
                1,
            ),
            ("a.sh", "#!/bin/sh\n# logResult\nrun logResult\n", 1),
        ] {
            let style = CommentStyle::of(rel).expect("a commented format");
            let counts = count_words(&searcher, text.as_bytes(), &[true], |b| {
                Lexed::unnaming(style.ranges(b))
            })
            .0;
            assert_eq!(counts, [(0, counted)], "{rel}");
        }
        assert!(CommentStyle::of("a.json").is_none());
    }

    #[test]
    fn only_a_resource_no_framework_finds_by_its_name_waits_to_be_named() {
        let of = |rel: &str| LoadedByName::of(rel, None).map(|l| l.words());
        assert_eq!(
            of("shop/src/main/resources/vault.properties"),
            Some(vec![
                "vault.properties".to_string(),
                "*.properties".to_string(),
                "vault".to_string()
            ])
        );
        assert_eq!(
            of("shop/src/main/resources/db-prod_eu.yml"),
            Some(vec![
                "db-prod_eu.yml".to_string(),
                "*.yml".to_string(),
                "db-prod_eu".to_string(),
                "db".to_string(),
                "db-prod".to_string()
            ])
        );
        assert!(of("src/main/resources/conf/search.yml").is_some());
        for read_anyway in [
            "shop/src/main/resources/application-prod.yml",
            "shop/src/main/resources/bootstrap.properties",
            "shop/src/main/resources/dubbo.properties",
            "shop/src/main/resources/log4j.properties",
            "shop/src/main/resources/jeecg/jeecg_database.properties",
            "shop/src/main/resources/META-INF/app.properties",
            "shop/src/test/resources/vault.properties",
            "shop/conf/vault.properties",
            "shop/src/main/resources/vault.xml",
        ] {
            assert!(of(read_anyway).is_none(), "{read_anyway}");
        }
        // Beside files an image copies one by one, outside the sources:
        // taken by its name, its stem or its folder, whatever it is called;
        // not a manifest, a Compose file or a build's XML, nor a file at
        // the root.
        let picked =
            |rel: &str| LoadedByName::of(rel, Some("docker/Dockerfile")).map(|l| l.words());
        assert_eq!(
            picked("deploy/config/log4j2-test.properties"),
            Some(vec![
                "log4j2-test.properties".to_string(),
                "log4j2-test".to_string(),
                "deploy/config/".to_string(),
                "config".to_string(),
                "deploy/config".to_string()
            ])
        );
        for kept in [
            "config/run.sh",
            "deploy/k8s.yaml",
            "deploy/pom.xml",
            "app.properties",
        ] {
            assert!(picked(kept).is_none(), "{kept}");
        }
        assert_eq!(
            picked("shop/src/main/resources/log4j.properties"),
            None,
            "a jar takes its resources"
        );
    }

    #[test]
    fn a_package_is_named_by_itself_not_by_a_longer_name() {
        let text = "package com.acme.pay;\nclass P { Object a = Class.forName(\"com.acme.pay.\" + t); Object b = com.acme.pay.cn.X.y; }\n";
        let bytes = text.as_bytes();
        let searcher = AhoCorasick::new(["com.acme.pay"]).expect("one word");
        assert_eq!(count_words(&searcher, bytes, &[], java_ranges).0, [(0, 1)]);
    }

    #[test]
    fn a_name_only_an_import_holds_is_not_counted() {
        let text = "package a;\nimport com.acme.MerchantInterceptor;\nimport static com.acme.Net.localIp;\nclass Config {\n  // add(new MerchantInterceptor());\n  String important = \"x\"; void f() { localIp(); }\n}\n";
        let bytes = text.as_bytes();
        let searcher =
            AhoCorasick::new(["MerchantInterceptor", "localIp", "Net"]).expect("three words");
        // The static import names `Net`; the call alone calls `localIp`.
        let (counts, unnamed) = count_words(&searcher, bytes, &[false, true, false], java_ranges);
        assert_eq!(counts, [(1, 1), (2, 1)]);
        // The type's import and the commented-out call alone name it.
        assert_eq!(unnamed, [0]);
    }

    #[test]
    fn a_name_only_a_comment_holds_is_not_counted() {
        let text = "class Jobs {\n  // executor.setIp(IpHelper.getLocalIp());\n  /** Like {@link IpHelper#getLocalIp}. */\n  String a = \"// getLocalIp\"; char q = '\"'; String b = \"\"\"\n  /* getLocalIp */\"\"\";\n  void f() { IpHelper.getLocalIp(); }\n}\n";
        let bytes = text.as_bytes();
        let searcher = AhoCorasick::new(["getLocalIp"]).expect("one word");
        let comments = java_ranges(bytes).unnaming;
        let commented: Vec<&str> = comments.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            commented,
            [
                "// executor.setIp(IpHelper.getLocalIp());\n",
                "/** Like {@link IpHelper#getLocalIp}. */"
            ]
        );
        // The call counts; the comments do not, nor the literals, which
        // hold the name in other text (not the name alone, not a call).
        assert_eq!(
            count_words(&searcher, bytes, &[true], java_ranges).0,
            [(0, 1)]
        );
        assert_eq!(
            count_words(&searcher, bytes, &[true], |_| Lexed::unnaming(Vec::new())).0,
            [(0, 5)]
        );
    }

    #[test]
    fn a_methods_name_is_called_or_referred_to_not_declared_as_a_variable() {
        let text = "class Dates {\n  static Date dateFormat (Date d) { return d; }\n  void f() {\n    SimpleDateFormat dateFormat = new SimpleDateFormat();\n    this.dateFormat.parse(s);\n    list.forEach(Dates::dateFormat);\n    Method m = type.getMethod(\"dateFormat\");\n  }\n}\n";
        let searcher = AhoCorasick::new(["dateFormat", "Dates"]).expect("two words");
        // The declaration, the method reference and the literal: not the
        // variable, nor the field.
        assert_eq!(
            count_words(&searcher, text.as_bytes(), &[true, false], java_ranges).0,
            [(0, 3), (1, 2)]
        );
        // Outside Java, every mention counts but a dotted name's segment
        // (`this.dateFormat.parse`).
        assert_eq!(
            count_words(&searcher, text.as_bytes(), &[true, false], |_| {
                Lexed::unnaming(Vec::new())
            })
            .0,
            [(0, 4), (1, 2)]
        );
    }

    #[test]
    fn a_name_outside_ascii_is_found_in_a_gbk_source_too() {
        let name = "配置详情.yml";
        let gbk = encoding_rs::GBK
            .encode(&format!(
                "class Boot {{ Resource r = new ClassPathResource(\"{name}\"); }}\n"
            ))
            .0
            .into_owned();
        let loaded =
            LoadedByName::of(&format!("src/main/resources/{name}"), None).expect("loaded by name");
        let (_dir, files) = crate::walk::written_files(&[
            ("src/main/resources/配置详情.yml", "a: 1\n".as_bytes()),
            ("src/main/java/Boot.java", &gbk),
        ]);
        let unnamed = [(0, loaded)];
        let unnamed: Vec<&(usize, LoadedByName)> = unnamed.iter().collect();
        assert!(named_in_gbk(&unnamed, &files).contains(&0));
        let (_dir, files) = crate::walk::written_files(&[
            ("src/main/resources/配置详情.yml", "a: 1\n".as_bytes()),
            ("README.md", "see 配置详情.yml".as_bytes()),
        ]);
        assert!(!named_in_gbk(&unnamed, &files).contains(&0));
    }

    #[test]
    fn a_file_one_search_could_not_read_is_not_recorded() {
        let (dir, files) =
            crate::walk::written_files(&[("a.yml", b"job: Alpha\n"), ("b.yml", b"job: Beta\n")]);
        let mut record = PlacesRecord::default();
        let first = record.search(&["Alpha".to_string()], &files, (None, None));
        assert_eq!(first[0].named.keys().copied().collect::<Vec<_>>(), [0]);
        std::fs::remove_file(dir.path().join("a.yml")).expect("removed");
        let second = record.search(&["Beta".to_string()], &files, (None, None));
        assert_eq!(second[0].named.keys().copied().collect::<Vec<_>>(), [1]);
        assert_eq!(record.words, ["Alpha", "Beta"]);
        assert_eq!(record.files[&1].counts, [(1, 1)]);
        assert!(record.partial.contains(&0) && !record.partial.contains(&1));
    }

    #[test]
    fn a_browser_runs_front_end_code_and_web_content_not_a_server_script() {
        for path in [
            "ui/src/utils/jsencrypt.js",
            "web/src/main/webapp/static/receipt.js",
            "src/main/resources/static/js/app.js",
            "admin/src/views/login.vue",
        ] {
            assert!(runs_in_browser(path), "{path}");
        }
        for path in [
            "src/main/resources/scripts/rules.js",
            "src/main/resources/db/seed.sql",
        ] {
            assert!(!runs_in_browser(path), "{path}");
        }
    }

    #[test]
    fn json_prose_and_a_package_s_segment_call_no_method() {
        let searcher = AhoCorasick::new(["encrypt"]).expect("one word");
        let json =
            br##"{"hint": "Whether to encrypt", "job": "encrypt", "spel": "#{aes.encrypt('x')}"}"##;
        assert_eq!(
            count_words(&searcher, json, &[true], json_ranges),
            (vec![(0, 2)], vec![])
        );
        let properties = b"provider=org.acme.encrypt.Digest\ntarget=aes.encrypt\n";
        assert_eq!(
            count_words(&searcher, properties, &[true], |_| Lexed::default()),
            (vec![(0, 1)], vec![])
        );
    }

    #[test]
    fn a_source_file_s_name_is_no_class_s() {
        let page = "<a href=\"https://git.example/x/src/Embedded.java\">Embedded.java</a> Embedded.javaHome Embedded";
        let searcher = AhoCorasick::new(["Embedded"]).expect("one word");
        assert_eq!(
            count_words(&searcher, page.as_bytes(), &[false], |_| Lexed::default()),
            (vec![(0, 2)], vec![])
        );
    }

    #[test]
    fn a_literal_names_a_method_alone_or_calling_it_not_in_prose() {
        let text = "class Mail {\n  void sendMail(String to) {\n    log.info(\"sendMail: to {}\", to);\n  }\n  Method m = type.getMethod(\"sendMail\");\n  String el = \"@mail.sendMail('ops')\";\n}\n";
        let searcher = AhoCorasick::new(["sendMail"]).expect("one word");
        // The declaration, the reflective lookup and the expression: not
        // the log message.
        assert_eq!(
            count_words(&searcher, text.as_bytes(), &[true], java_ranges).0,
            [(0, 3)]
        );
    }

    #[test]
    fn a_type_is_read_from_its_text_on_the_side_of_running() {
        let plain = "package org.tinyrpc.client;\n\n/** @see Proxy */\npublic class RpcProxy implements InvocationHandler {\n    @Override\n    public Object invoke() { return null; }\n    public static class Listener implements Runnable {}\n}\n";
        let t = TypeRuns::read(plain, "RpcProxy", true).expect("one type");
        assert!(t.runs_when_named);
        assert_eq!(t.package, "org.tinyrpc.client");
        assert_eq!(t.reflected_package.as_deref(), Some("org.tinyrpc.client"));
        let without_supertype = plain.replace(" implements InvocationHandler", "");
        let t = TypeRuns::read(&without_supertype, "RpcProxy", true).expect("one type");
        assert_eq!(t.reflected_package, None);
        // A framework's annotation, even on a member or a nested type, a
        // `main()`, a scanned supertype: it may run unnamed.
        for (from, to) in [
            ("@Override", "@Autowired"),
            (
                "public static class Listener",
                "@Component public static class Listener",
            ),
            (
                "public Object invoke()",
                "public static void main(String[] a)",
            ),
            (
                "implements InvocationHandler",
                "extends SpringBootServletInitializer",
            ),
        ] {
            let t = TypeRuns::read(&plain.replace(from, to), "RpcProxy", true).expect("one type");
            assert!(!t.runs_when_named, "{to}");
        }
        // A `main()` nothing starts: a library's, a war's.
        let launcher = plain.replace(
            "public Object invoke()",
            "public static void main(String[] a)",
        );
        assert!(
            TypeRuns::read(&launcher, "RpcProxy", false)
                .expect("one type")
                .runs_when_named
        );
        // Another type at the start of a line, or none of the file's name.
        assert!(TypeRuns::read(&format!("{plain}class Helper {{}}\n"), "RpcProxy", true).is_none());
        assert!(TypeRuns::read(plain, "RpcProxyFactory", true).is_none());
    }

    #[test]
    fn documentation_loads_no_class() {
        assert!(is_documentation(
            "hessian/src/main/java/com/caucho/hessian/client/package.html"
        ));
        assert!(is_documentation("docs/README.md"));
        assert!(is_documentation(
            "console/doc/javadoc/index-files/index-19.html"
        ));
        assert!(is_documentation("target/site/apidocs/com/acme/Net.html"));
        assert!(!is_documentation("src/main/webapp/index.html"));
        assert!(!is_documentation(
            "src/main/resources/META-INF/services/org.tinyrpc.Codec"
        ));
    }
}
