//! What the repository's start scripts, Dockerfiles and manifests say of
//! the configuration an application starts with: a `java` command line
//! that points Spring or a logging framework at a file outside the jar
//! (`-Dspring.config.location=conf/application.yml`,
//! `-Dlog4j.configurationFile=conf/log4j2.xml`) replaces the one the jar
//! carries, so what that file says does not run in the pod — when every
//! command line starting the application does so.

use std::collections::{HashMap, HashSet};

use crate::deployed::{is_dockerfile, normalized, Deployment};
use crate::pom::Project;
use crate::walk::{FileKind, RepoFile};

/// A configuration a start setting can replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Configured {
    /// Spring's `application*.yml|properties`.
    Spring,
    Logback,
    Log4j2,
    /// log4j 1's `log4j.properties`/`log4j.xml`.
    Log4j,
}

/// The settings that replace a configuration the jar carries, with what
/// each replaces (not `spring.config.additional-location`, which adds).
/// Spring Boot's `logging.config` configures whichever framework it runs.
const REPLACING: [(&str, &[Configured]); 6] = [
    ("spring.config.location", &[Configured::Spring]),
    ("logging.config", &[Configured::Logback, Configured::Log4j2]),
    ("log4j.configurationFile", &[Configured::Log4j2]),
    ("log4j2.configurationFile", &[Configured::Log4j2]),
    ("logback.configurationFile", &[Configured::Logback]),
    ("log4j.configuration", &[Configured::Log4j]),
];

/// The variable the JVM reads by itself, whatever the command line says.
const JVM_OPTIONS_VARIABLE: &str = "JAVA_TOOL_OPTIONS";

/// One `java` command line: what it starts and the replacing settings it
/// gives, its own and those of the variables it expands.
#[derive(Debug, PartialEq, Eq)]
struct Launch {
    /// The jars' names without `.jar` (`hg-pd-service-*`).
    jars: Vec<String>,
    /// The main classes it names that are the repository's.
    classes: Vec<String>,
    /// A jar or class it starts is computed (`-jar ${Lib}${RUN_JAR}`).
    computed: bool,
    settings: Vec<&'static str>,
}

/// Why a configuration of a module is replaced: the start file and the
/// setting.
pub(crate) type Replacement = (String, &'static str);

/// What the repository's command lines start and set.
#[derive(Debug, Default)]
pub(crate) struct Replacements {
    /// By module (pom index): its command lines, each as its file and
    /// settings.
    launches: HashMap<usize, Vec<(String, Vec<&'static str>)>>,
    /// What a command line starting no module known here leaves in
    /// place: it may start any of them.
    kept_somewhere: HashSet<Configured>,
    /// What the repository's Dockerfiles copy into their images, as paths
    /// from the root: a file there is shipped as it is.
    copied: Vec<String>,
    /// The files of the repository a Dockerfile copies one by one, with
    /// the Dockerfile.
    picked: Vec<(String, String)>,
    /// The file names of the scripts a pod's definition (a Dockerfile, a
    /// manifest, a Compose file) names: what a container may start.
    pod_scripts: HashSet<String>,
    /// The system properties a Dockerfile or a Kubernetes manifest sets on
    /// a command line to something other than an address
    /// (`-Dbroker.host=${BROKER_ADDR}`), with the files setting each.
    system_properties: HashMap<String, Vec<String>>,
}

impl Replacements {
    /// Whether a pod's definition names the script at `path` (by its file
    /// name): a container may start it.
    /// The Dockerfiles and manifests that set the system property `key` to
    /// something other than an address.
    pub(crate) fn system_property_setters(&self, key: &str) -> &[String] {
        self.system_properties.get(key).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn pod_starts_script(&self, path: &str) -> bool {
        self.pod_scripts
            .contains(path.rsplit('/').next().unwrap_or(path))
    }

    /// Whether some command line starts module `module`.
    pub(crate) fn started(&self, module: usize) -> bool {
        self.launches.contains_key(&module)
    }

    /// The start file and setting that replace `what` for module
    /// `module`, when each command line starting it gives one.
    pub(crate) fn replacing(&self, module: usize, what: Configured) -> Option<Replacement> {
        if self.kept_somewhere.contains(&what) {
            return None;
        }
        let launches = self.launches.get(&module)?;
        let each: Option<Vec<Replacement>> = launches
            .iter()
            .map(|(rel, settings)| {
                settings
                    .iter()
                    .find(|s| replaces(s, what))
                    .map(|s| (rel.clone(), *s))
            })
            .collect();
        each.and_then(|e| e.into_iter().next())
    }

    /// Whether a Dockerfile copies the file into its image.
    pub(crate) fn copied(&self, path: &str) -> bool {
        self.copied.iter().any(|c| crate::is_at_or_under(path, c))
    }

    /// The Dockerfile copying other files of the file's folder one by one
    /// into its image, when no image takes this one (nor its folder). Not
    /// for the repository's root, the context of every build.
    pub(crate) fn left_beside_picked(&self, path: &str) -> Option<&str> {
        fn folder(p: &str) -> &str {
            p.rsplit_once('/').map_or("", |(dir, _)| dir)
        }
        if folder(path).is_empty() || self.copied(path) {
            return None;
        }
        self.picked
            .iter()
            .find(|(file, _)| folder(file) == folder(path))
            .map(|(_, dockerfile)| dockerfile.as_str())
    }
}

fn replaces(setting: &str, what: Configured) -> bool {
    REPLACING
        .iter()
        .any(|(s, replaced)| *s == setting && replaced.contains(&what))
}

/// What the command lines of the repository's deployed start files start
/// and set.
pub(crate) fn replaced(
    files: &[RepoFile],
    max_file_size: u64,
    project: &Project,
    deployment: &Deployment,
) -> Replacements {
    // By the class's path below the source root (`com/acme/Main`): no
    // name is built for the many sources no start line names. Listed
    // when a start line names a class.
    let java: std::cell::OnceCell<rustc_hash::FxHashMap<&str, &str>> = std::cell::OnceCell::new();
    let source_of = |class: &str| {
        let java = java.get_or_init(|| {
            files
                .iter()
                .filter(|f| f.kind == FileKind::Java && !f.is_test)
                .filter_map(|f| {
                    let (_, class) = f.rel.split_once("src/main/java/")?;
                    Some((class.trim_end_matches(".java"), f.rel.as_str()))
                })
                .collect()
        });
        java.get(class.replace('.', "/").as_str()).copied()
    };
    // The longest artifactId a jar's name begins with.
    let module_of_jar = |jar: &str| {
        project
            .poms
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let a = p.artifact();
                !a.is_empty()
                    && jar
                        .strip_prefix(a)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
            })
            .max_by_key(|(_, p)| p.artifact().len())
            .map(|(i, _)| i)
    };
    let repository_files: std::collections::HashSet<&str> =
        files.iter().map(|f| f.rel.as_str()).collect();
    let mut out = Replacements::default();
    // By script's file name: the scripts it names.
    let mut scripts_naming: HashMap<String, Vec<String>> = HashMap::new();
    // A start file of a test harness or an example (an e2e stack) says
    // nothing of the pods; a packaging module's (`km-dist/helm/`) does.
    let deployed_start = |f: &&RepoFile| {
        !f.is_test
            && is_start_file(&f.rel)
            && deployment.unshipped_file(&f.rel, project).is_none()
            && !deployment.in_harness_module(&f.rel)
    };
    for f in files.iter().filter(deployed_start) {
        let Ok(text) = crate::read_text(f, max_file_size) else {
            continue;
        };
        if is_dockerfile(&f.rel) {
            let copies = ImageCopies::read(&f.rel, &text.text);
            out.picked.extend(
                copies
                    .files(&repository_files)
                    .into_iter()
                    .map(|c| (c.to_string(), f.rel.clone())),
            );
            out.copied.extend(copies.paths().cloned());
        }
        let manifest = || text.text.lines().any(|l| l.starts_with("kind:"));
        if is_dockerfile(&f.rel) || (!is_script_name(&f.rel) && manifest()) {
            for (key, value) in system_properties_in(&text.text) {
                // Set to an address, the pod still runs with one.
                let address = value.contains("localhost")
                    || !crate::ip::find_ips(value).is_empty()
                    || value.contains("127.0.0.1");
                if !address {
                    out.system_properties
                        .entry(key.to_string())
                        .or_default()
                        .push(f.rel.clone());
                }
            }
        }
        if is_pod_definition(&f.rel, &text.text) {
            out.pod_scripts.extend(scripts_named(&text.text));
        } else if is_script_name(&f.rel) {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel).to_string();
            scripts_naming
                .entry(name)
                .or_default()
                .extend(scripts_named(&text.text));
        }
        for launch in launches_in(&text.text, &|class| source_of(class).is_some()) {
            let mut modules: Vec<usize> = launch
                .jars
                .iter()
                .filter_map(|j| module_of_jar(j))
                .chain(
                    launch
                        .classes
                        .iter()
                        .filter_map(|c| deployment.module_of(source_of(c)?)),
                )
                .collect();
            // A computed jar in a module's own script is that module's.
            let own = deployment
                .module_of(&f.rel)
                .filter(|&i| project.poms[i].packaging() != "pom");
            if modules.is_empty() && launch.computed {
                modules.extend(own);
            }
            // A Dockerfile's or a manifest's command line starting a jar
            // of no module known here (`/app.jar`) may start any of them;
            // a script's starts a tool (`jacococli.jar`).
            if modules.is_empty() && !is_script_name(&f.rel) {
                for what in [
                    Configured::Spring,
                    Configured::Logback,
                    Configured::Log4j2,
                    Configured::Log4j,
                ] {
                    if !launch.settings.iter().any(|s| replaces(s, what)) {
                        out.kept_somewhere.insert(what);
                    }
                }
            }
            modules.sort_unstable();
            modules.dedup();
            for m in modules {
                out.launches
                    .entry(m)
                    .or_default()
                    .push((f.rel.clone(), launch.settings.clone()));
            }
        }
    }
    // What a script a pod starts starts in turn (`docker-entrypoint.sh`
    // running `bin/relay-server.sh`), each script once.
    let mut pending: Vec<String> = out.pod_scripts.iter().cloned().collect();
    while let Some(script) = pending.pop() {
        for named in scripts_naming.get(&script).into_iter().flatten() {
            if out.pod_scripts.insert(named.clone()) {
                pending.push(named.clone());
            }
        }
    }
    out
}

/// The extensions of scripts: the shell's, Windows', PowerShell's,
/// Python's.
const SCRIPT_EXTENSIONS: [&str; 6] = [".sh", ".bash", ".bat", ".cmd", ".ps1", ".py"];

/// Whether a path's name is a script's.
pub(crate) fn is_script_name(rel: &str) -> bool {
    SCRIPT_EXTENSIONS.iter().any(|e| rel.ends_with(e))
}

/// Whether a start file defines what a pod runs: a Dockerfile, or YAML
/// with a Kubernetes object's `kind:` or a Compose file's `services:`
/// (not a CI pipeline's, an Ansible play's or a site's configuration).
fn is_pod_definition(rel: &str, text: &str) -> bool {
    is_dockerfile(rel)
        || (!is_script_name(rel)
            && text
                .lines()
                .any(|l| l.starts_with("kind:") || l.starts_with("services:")))
}

/// The system properties a text sets on a command line, with their values:
/// `-Dkey=value` after a space, a quote, `=` or a line's start
/// (`-Dcommons.db.connection.host=${SQL_DB_ADDR}`, `ENV JAVA_OPTS=-D…`).
fn system_properties_in(text: &str) -> Vec<(&str, &str)> {
    text.match_indices("-D")
        .filter(|(at, _)| {
            text[..*at]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '[' | ',' | '='))
        })
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let end =
                rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))?;
            let value = rest[end..].strip_prefix('=').filter(|_| end > 0)?;
            // A quoted value (`-Dhost="localhost"`, `\"localhost\"` in a
            // JSON array's shell command) is what the quotes hold, on its line.
            let value = match value.chars().next() {
                Some('\\') if value.starts_with("\\\"") => {
                    value[2..].split(['\\', '\n']).next().unwrap_or("")
                }
                Some(q @ ('"' | '\'')) => value[1..].split([q, '\n']).next().unwrap_or(""),
                _ => {
                    let value_end = value
                        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ']'))
                        .unwrap_or(value.len());
                    &value[..value_end]
                }
            };
            Some((&rest[..end], value))
        })
        .collect()
}

/// The file names of the scripts a text runs: a word ending in a
/// script's extension, or a launcher's path (`bin/mqbroker`), outside
/// comments and what `echo` prints.
fn scripts_named(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with('#') && !l.starts_with("echo ") && !l.starts_with("printf "))
        .flat_map(words)
        .filter(|w| is_script_name(w) || w.contains("bin/"))
        .map(|w| w.rsplit('/').next().unwrap_or(&w).to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Where a `java` command line is written: scripts, Dockerfiles, and
/// YAML outside the source folders (a manifest's `command`, a Compose
/// service's).
pub(crate) fn is_start_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    [".sh", ".bat", ".cmd"].iter().any(|e| name.ends_with(e))
        || is_dockerfile(name)
        || ([".yml", ".yaml"].iter().any(|e| name.ends_with(e)) && !rel.contains("src/"))
}

/// A line's words as a shell or an exec form splits them: quotes
/// dropped, `[`, `]` and (outside an option's value) `,` as separators
/// (`["java","-jar","/app.jar"]`).
fn words(line: &str) -> Vec<String> {
    line.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']'))
        .map(|w| w.replace(['"', '\''], ""))
        .flat_map(|w| {
            if w.starts_with("-D") || w.starts_with("--") {
                vec![w]
            } else {
                w.split(',').map(str::to_string).collect()
            }
        })
        .map(|w| w.trim_end_matches(';').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a word runs the JVM (`java`, `$JAVA`, `${JAVA_HOME}/bin/java`,
/// `%JAVACMD%`).
fn is_java_command(word: &str) -> bool {
    if word.starts_with('-') {
        return false;
    }
    // `command=${JAVA}`: the value runs.
    let word = word.rsplit_once('=').map_or(word, |(_, value)| value);
    let bare = word
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_ascii_lowercase();
    bare.ends_with("java") || bare.ends_with("javacmd") || bare.ends_with("java.exe")
}

/// The variables a line expands (`$A`, `${A}`, `%A%`).
fn expanded_variables(line: &str) -> Vec<&str> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for (at, c) in line.char_indices() {
        let rest = &line[at + c.len_utf8()..];
        let name = match c {
            '$' => rest.strip_prefix('{').unwrap_or(rest),
            '%' => rest,
            _ => continue,
        };
        let end = name.find(|c: char| !is_name(c)).unwrap_or(name.len());
        let closed = c != '%' || name[end..].starts_with('%');
        if end > 0 && closed {
            out.push(&name[..end]);
        }
    }
    out
}

/// The variable a line assigns and the value (`A=…`, `export A=…`,
/// `set A=…`, `ENV A=…`, `ENV A …`).
fn assignment(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    let rest = ["export ", "set ", "SET ", "ENV "]
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .unwrap_or(line)
        .trim_start();
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let (name, after) = rest.split_at(end);
    let value = after.strip_prefix('=').or_else(|| {
        line.starts_with("ENV ")
            .then(|| after.strip_prefix(' '))
            .flatten()
    })?;
    (!name.is_empty()).then_some((name, value))
}

/// A start file's `java` command lines. A setting counts on the line
/// itself, in a variable the line expands that the file assigns outside
/// any `if`/`case` (`JVM_OPTIONS=…` above the command; a setting a branch
/// adds is not on every start), or in `JAVA_TOOL_OPTIONS`. `is_class`
/// says whether a dotted name is one of the repository's classes.
fn launches_in(text: &str, is_class: &dyn Fn(&str) -> bool) -> Vec<Launch> {
    let lines = logical_lines(text);
    let mut depth = 0usize;
    // Each variable's settings, and the variables its value expands.
    let mut variables: HashMap<&str, (Vec<&'static str>, Vec<&str>)> = HashMap::new();
    let mut commands: Vec<&str> = Vec::new();
    for line in &lines {
        let first = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let opens = matches!(first.as_str(), "if" | "case");
        // `fi`, `esac`, a one-line `if …; then …; fi`, a Windows `if`
        // holding its command on its own line.
        let closes = matches!(first.as_str(), "fi" | "esac")
            || line.split_whitespace().next_back() == Some("fi")
            || (first == "if" && !line.contains("then"));
        let conditional = depth > 0 || opens;
        depth += usize::from(opens);
        if closes {
            depth = depth.saturating_sub(1);
        }
        let runs_java = words(line).iter().any(|w| is_java_command(w));
        if runs_java {
            commands.push(line);
        } else if let Some((name, value)) = assignment(line).filter(|_| !conditional) {
            let entry = variables.entry(name).or_default();
            entry
                .0
                .extend(words(value).iter().filter_map(|w| replacing_setting(w)));
            entry.1.extend(expanded_variables(value));
        }
    }
    let settings_of = |name: &str| {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut pending = vec![name];
        let mut found = Vec::new();
        while let Some(n) = pending.pop() {
            if !seen.insert(n) {
                continue;
            }
            if let Some((settings, expands)) = variables.get(n) {
                found.extend(settings.iter().copied());
                pending.extend(expands.iter().copied());
            }
        }
        found
    };
    let mut out = Vec::new();
    for line in commands {
        let words = words(line);
        let mut launch = Launch {
            jars: Vec::new(),
            classes: Vec::new(),
            computed: false,
            settings: settings_of(JVM_OPTIONS_VARIABLE),
        };
        let mut starts_code = false;
        for (i, word) in words.iter().enumerate() {
            if let Some(setting) = replacing_setting(word) {
                launch.settings.push(setting);
            } else if matches!(
                word.as_str(),
                "-jar" | "-cp" | "-classpath" | "--class-path"
            ) {
                starts_code = true;
                let next = words.get(i + 1).map_or("", String::as_str);
                launch.computed |= word == "-jar" && !next.ends_with(".jar");
            } else if let Some(jar) = word.strip_suffix(".jar").filter(|_| !word.starts_with('-')) {
                let name = jar.rsplit(['/', '\\']).next().unwrap_or(jar);
                if name.is_empty() || name.starts_with(['$', '%']) {
                    launch.computed = true;
                } else {
                    launch.jars.push(name.to_string());
                }
            } else if word.contains('.') && is_class(word) {
                launch.classes.push(word.to_string());
            } else if word.starts_with(['$', '%']) && !is_java_command(word) {
                launch.computed |= starts_code && launch.jars.is_empty();
            }
        }
        for variable in expanded_variables(line) {
            launch.settings.extend(settings_of(variable));
        }
        launch.settings.sort_unstable();
        launch.settings.dedup();
        let named = !launch.jars.is_empty() || !launch.classes.is_empty();
        launch.computed &= !named;
        if starts_code || named {
            out.push(launch);
        }
    }
    out
}

/// What a Dockerfile's last stage's `COPY`/`ADD` lines take from the
/// build context.
struct ImageCopies {
    /// Each source as a path from the repository's root, from the
    /// Dockerfile's folder (the usual context) and from the root; a source
    /// with a pattern or a variable (`config/*.properties`, `$DIR/`) as
    /// the folder before it.
    sources: Vec<[String; 2]>,
    /// Some of what the image holds comes another way: an archive the
    /// `ADD` unpacks, another stage's files other than a built jar.
    also_otherwise: bool,
}

impl ImageCopies {
    fn read(rel: &str, text: &str) -> Self {
        const BUILT: [&str; 2] = [".jar", ".war"];
        const ARCHIVES: [&str; 8] = [
            ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".txz", ".tar.zst", ".tbz2",
        ];
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut copies = ImageCopies {
            sources: Vec::new(),
            also_otherwise: false,
        };
        for line in logical_lines(text) {
            let mut parts = line.split_whitespace();
            let instruction = parts.next().map(str::to_ascii_uppercase);
            // Only the last stage is the image; a build stage's sources are not.
            if instruction.as_deref() == Some("FROM") {
                copies.sources.clear();
                copies.also_otherwise = false;
            }
            if !matches!(instruction.as_deref(), Some("COPY" | "ADD")) {
                continue;
            }
            let args: Vec<&str> = parts.collect();
            let sources = args
                .iter()
                .filter(|a| !a.starts_with("--"))
                .map(|a| a.trim_matches(['"', '\'', '[', ']', ',']))
                .collect::<Vec<_>>();
            let Some((_, sources)) = sources.split_last() else {
                continue;
            };
            // Another stage's files are not the context's.
            if args.iter().any(|a| a.starts_with("--from")) {
                copies.also_otherwise |=
                    !sources.iter().all(|s| BUILT.iter().any(|b| s.ends_with(b)));
                continue;
            }
            for source in sources {
                copies.also_otherwise |= ARCHIVES.iter().any(|a| source.ends_with(a));
                let source = source.trim_start_matches("./");
                // A pattern or a variable copies what its folder holds; one
                // at the context's top may copy anything of the context,
                // taken for the Dockerfile's folder, not the repository's
                // root.
                let (source, pattern) = match source.find(['*', '?', '[', '$']) {
                    Some(at) => (
                        source[..at]
                            .rsplit_once('/')
                            .map_or("", |(folder, _)| folder),
                        true,
                    ),
                    None => (source, false),
                };
                let whole_context = pattern && source.is_empty();
                copies.also_otherwise |= whole_context;
                let bases = if whole_context { [dir, dir] } else { [dir, ""] };
                copies
                    .sources
                    .push(bases.map(|base| {
                        normalized(base, source).unwrap_or_else(|| source.to_string())
                    }));
            }
        }
        copies
    }

    /// Every path the sources may stand for.
    fn paths(&self) -> impl Iterator<Item = &String> {
        self.sources.iter().flatten()
    }

    /// The files of the repository copied one by one: a source's path
    /// from the Dockerfile's folder when that is a file, else from the
    /// root. None when the image holds more than the context's sources.
    fn files<'c>(&'c self, repository_files: &'c HashSet<&str>) -> Vec<&'c str> {
        if self.also_otherwise {
            return Vec::new();
        }
        self.sources
            .iter()
            .filter_map(|[from_dockerfile, from_root]| {
                [from_dockerfile, from_root]
                    .into_iter()
                    .find(|p| repository_files.contains(p.as_str()))
                    .map(String::as_str)
            })
            .collect()
    }
}

/// A script's lines with their continuations joined (`\` in a shell
/// script or a Dockerfile, `^` in a Windows one), comments left out.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    let code = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && !is_remark(l));
    for line in code {
        let trimmed = line.trim_end();
        match trimmed
            .strip_suffix('\\')
            .or_else(|| trimmed.strip_suffix('^'))
        {
            Some(head) => {
                pending.push_str(head);
                pending.push(' ');
            }
            None => {
                pending.push_str(trimmed);
                out.push(std::mem::take(&mut pending));
            }
        }
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    out
}

/// A Windows script's comment line (`rem …`, `:: …`).
fn is_remark(line: &str) -> bool {
    let line = line.trim_start().to_ascii_lowercase();
    line.starts_with("rem ") || line.starts_with("::")
}

/// The replacing setting a command-line word gives
/// (`-Dlog4j.configurationFile=conf/log4j2.xml`,
/// `--spring.config.location=/conf/`), alone or as a variable's value.
/// A location list holding `classpath:` keeps the jar's copy in use.
fn replacing_setting(word: &str) -> Option<&'static str> {
    // Also as a variable's value (`JVM_OPTIONS=-Dlogging.config=…`).
    let option = word
        .split_once("=-")
        .filter(|(name, _)| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map_or(word, |(name, _)| &word[name.len() + 1..]);
    let rest = option
        .strip_prefix("-D")
        .or_else(|| option.strip_prefix("--"))?;
    let (name, value) = rest.split_once('=')?;
    let &(setting, _) = REPLACING.iter().find(|(s, _)| *s == name)?;
    let into_the_jars = value.split(',').any(|entry| {
        entry
            .trim_start_matches("optional:")
            .starts_with("classpath")
    });
    (!value.is_empty() && !into_the_jars).then_some(setting)
}

/// Which configuration a file of a module's resources is, when a start
/// setting can replace it: Spring's (`application*.yml` at the resources'
/// root or in `config/`) or a logging framework's (`logback.xml`,
/// `logback-spring.xml`, `log4j2-spring.xml`, `log4j.properties`; not
/// `logback-access.xml`, which configures the access log).
pub(crate) fn configured_by(path: &str) -> Option<Configured> {
    let (_, inside) = path.split_once("src/main/resources/")?;
    let (folder, name) = inside.rsplit_once('/').unwrap_or(("", inside));
    let (stem, ext) = name.rsplit_once('.')?;
    let named = |base: &str| {
        stem.strip_prefix(base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_', '.']))
    };
    let configuration = matches!(ext, "xml" | "properties" | "json" | "yaml" | "yml");
    if matches!(ext, "yml" | "yaml" | "properties")
        && named("application")
        && matches!(folder, "" | "config")
    {
        Some(Configured::Spring)
    } else if configuration && named("logback") && !stem.starts_with("logback-access") {
        Some(Configured::Logback)
    } else if configuration && named("log4j2") {
        Some(Configured::Log4j2)
    } else if matches!(ext, "xml" | "properties") && stem == "log4j" {
        Some(Configured::Log4j)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_properties_a_command_line_sets() {
        assert_eq!(
            system_properties_in(
                "ENV JAVA_OPTS=-Dbroker.host=${BROKER_ADDR} -Xmx1g\nCMD java \"-Ddb.url=jdbc:x\" -jar app.jar"
            ),
            [("broker.host", "${BROKER_ADDR}"), ("db.url", "jdbc:x")]
        );
        assert_eq!(
            system_properties_in("java -Dredis.host=\"localhost\" -jar app.jar"),
            [("redis.host", "localhost")]
        );
        assert_eq!(
            system_properties_in(r#"["sh", "-c", "java -Dredis.host=\"localhost\" -jar a.jar"]"#),
            [("redis.host", "localhost")]
        );
        // Not an option of its own, nor one with no value.
        assert!(system_properties_in("mvn -Pweb-Dx=1 -Dflag").is_empty());
    }

    fn launches(text: &str) -> Vec<Launch> {
        launches_in(text, &|c| c == "org.acme.Main")
    }

    #[test]
    fn a_command_line_takes_its_own_settings_and_its_variables() {
        let script = r#"
# -Dlogging.config=commented/out.xml
JVM_OPTIONS="-Dlog4j.configurationFile=${CONF}/log4j2.xml -javaagent:${LIB}/agent.jar"
nohup ${JAVA} ${JVM_OPTIONS} \
    -Dspring.config.location=${CONF}/application.yml ${LIB}/hg-pd-service-*.jar >> ${OUTPUT} 2>&1 &
java -cp "lib/*" org.acme.Main --spring.config.additional-location=conf/
"#;
        let found = launches(script);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].jars, ["hg-pd-service-*"]);
        assert_eq!(
            found[0].settings,
            ["log4j.configurationFile", "spring.config.location"]
        );
        assert_eq!(found[1].classes, ["org.acme.Main"]);
        assert!(found[1].settings.is_empty());
    }

    #[test]
    fn a_setting_a_branch_adds_or_another_command_gives_is_not_this_ones() {
        let script = r#"
JAVA_OPTS="-Xmx1g"
if [ "$1" = debug ]; then
  JAVA_OPTS="$JAVA_OPTS -Dlogging.config=conf/logback-debug.xml"
fi
java $JAVA_OPTS -jar order-web.jar
java -Dspring.config.location=gw/ -jar order-gateway.jar
"#;
        let found = launches(script);
        assert_eq!(found[0].jars, ["order-web"]);
        assert!(found[0].settings.is_empty(), "{:?}", found[0].settings);
        // A word ending in `fi` closes no branch.
        let script = "if [ -n \"$WIFI\" ]; then\n  CONF=/etc/wifi\n  JAVA_OPTS=\"-Dlogging.config=$CONF/logback.xml\"\nfi\njava $JAVA_OPTS -jar order-web.jar\n";
        assert!(launches(script)[0].settings.is_empty());
        assert_eq!(found[1].settings, ["spring.config.location"]);
    }

    #[test]
    fn a_computed_jar_and_the_exec_form() {
        let script = "RUN_JAR=$(find \"${Lib}\" -name \"*.jar\" | head -1)\nJAVA_OPTS=\"$JAVA_OPTS -Dlogging.config=$conf/logback.xml\"\ncommand=\"${JAVA} ${JAVA_OPTS} -jar ${Lib}${RUN_JAR}\"\n";
        let found = launches(script);
        assert!(found[0].computed && found[0].jars.is_empty());
        assert_eq!(found[0].settings, ["logging.config"]);
        let dockerfile = "ENV JAVA_TOOL_OPTIONS=\"-Dlogging.config=/conf/logback.xml\"\nENTRYPOINT [\"java\",\"-jar\",\"${APP_JAR}\"]\n";
        let found = launches(dockerfile);
        assert!(found[0].computed);
        assert_eq!(found[0].settings, ["logging.config"]);
    }

    #[test]
    fn a_jar_only_copied_is_not_started() {
        let dockerfile =
            "FROM eclipse-temurin:17\nADD km-rest.jar /\nENTRYPOINT [\"/ks-start.sh\"]\n";
        assert!(launches(dockerfile).is_empty());
        let dockerfile =
            "COPY target/order-web.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n";
        assert_eq!(launches(dockerfile)[0].jars, ["app"]);
        let manifest = "      containers:\n        - command: ['/usr/bin/java', '-jar', '/km-rest.jar', '--spring.config.location=/conf/application-test.yml']\n";
        let found = launches(manifest);
        assert_eq!(found[0].jars, ["km-rest"]);
        assert_eq!(found[0].settings, ["spring.config.location"]);
    }

    #[test]
    fn a_dockerfile_copies_from_its_folder_or_the_root() {
        let copies = ImageCopies::read(
            "web/Dockerfile",
            "FROM maven AS build\nCOPY . .\nFROM eclipse-temurin:17\nCOPY --from=build /app/target/web.jar /app.jar\nCOPY src/main/resources/application.yml /config/\nADD [\"conf/\", \"/conf\"]\n",
        );
        let copied: Vec<&String> = copies.paths().collect();
        assert_eq!(
            copied,
            [
                "web/src/main/resources/application.yml",
                "src/main/resources/application.yml",
                "web/conf",
                "conf"
            ]
        );
    }

    #[test]
    fn files_an_image_takes_one_by_one() {
        let repository: HashSet<&str> = [
            "Dockerfile",
            "pom.xml",
            "svc/pom.xml",
            "config/app.properties",
            "svc/config/app.properties",
        ]
        .into_iter()
        .collect();
        let files = |rel: &str, text: &str| -> Vec<String> {
            let copies = ImageCopies::read(rel, text);
            copies
                .files(&repository)
                .into_iter()
                .map(str::to_string)
                .collect()
        };
        // From the Dockerfile's folder first, the root only where the
        // folder has no such file.
        assert_eq!(
            files(
                "svc/Dockerfile",
                "FROM jre\nCOPY pom.xml config/app.properties /app/\n"
            ),
            ["svc/pom.xml", "svc/config/app.properties"]
        );
        assert_eq!(
            files("Dockerfile", "FROM jre\nCOPY config/app.properties /app/\n"),
            ["config/app.properties"]
        );
        // A pattern copies its folder; an unpacked archive or another
        // stage's files leave unknown what the image holds.
        let glob = ImageCopies::read("Dockerfile", "FROM jre\nCOPY config/*.properties /app/\n");
        assert_eq!(glob.paths().collect::<Vec<_>>(), ["config", "config"]);
        for other in [
            "FROM jre\nADD target/app-bin.tar.gz /opt/\nCOPY config/app.properties /app/\n",
            "FROM maven AS b\nFROM jre\nCOPY --from=b /src/config /app/config\nCOPY config/app.properties /app/\n",
        ] {
            assert!(files("Dockerfile", other).is_empty(), "{other}");
        }
        assert_eq!(
            files(
                "Dockerfile",
                "FROM jre\nCOPY --from=b /src/target/app.jar /app.jar\nCOPY config/app.properties /app/\n"
            ),
            ["config/app.properties"]
        );
    }

    #[test]
    fn a_setting_pointing_into_the_jars_replaces_nothing() {
        for word in [
            "-Dlogging.config=classpath:logback-prod.xml",
            "-Dlog4j.configuration=",
            "-Dspring.config.location=file:./conf/,classpath:/",
            "--spring.config.location=optional:classpath:/,file:./conf/",
            "-Dlog4j.configurationFactory=x",
        ] {
            assert_eq!(replacing_setting(word), None, "{word}");
        }
        assert_eq!(
            replacing_setting("--logging.config=/conf/logback.xml"),
            Some("logging.config")
        );
    }

    #[test]
    fn what_a_resource_configures() {
        for (path, what) in [
            (
                "pd/src/main/resources/application.yml",
                Some(Configured::Spring),
            ),
            (
                "pd/src/main/resources/config/application-prod.properties",
                Some(Configured::Spring),
            ),
            ("pd/src/main/resources/log4j2.xml", Some(Configured::Log4j2)),
            (
                "pd/src/main/resources/log4j2-spring.xml",
                Some(Configured::Log4j2),
            ),
            (
                "pd/src/main/resources/logback-spring.xml",
                Some(Configured::Logback),
            ),
            (
                "pd/src/main/resources/log4j.properties",
                Some(Configured::Log4j),
            ),
            ("pd/src/main/resources/logback-access.xml", None),
            ("pd/src/main/resources/log4jdbc.log4j2.properties", None),
            ("pd/src/main/resources/bootstrap.yml", None),
            ("pd/src/main/resources/templates/application.yml", None),
            ("pd/conf/application.yml", None),
        ] {
            assert_eq!(configured_by(path), what, "{path}");
        }
        // log4j 1's setting leaves logback's file in use.
        assert!(!replaces("log4j.configuration", Configured::Logback));
        assert!(replaces("logging.config", Configured::Logback));
    }
}
