//! The modules of a Gradle build, for where code runs: the projects
//! `settings.gradle(.kts)` includes, which of them build an application
//! (Spring Boot's plugin, Quarkus', Micronaut's application plugin, Jib,
//! `war`, `ear`, `application`, a jar naming its `Main-Class`, runtime
//! configuration or a Dockerfile of their own),
//! and which of the repository's projects each puts on its runtime
//! classpath (`implementation project(':core')`, `api(projects.common)`,
//! `runtimeOnly`…; test, compile-only and annotation-processor
//! configurations aside).
//!
//! Build scripts are programs, and this reads their declarative forms
//! only. Saying a project runs in no pod hides its findings, so the build
//! is not read at all when something could make a project an application
//! or a dependency out of this reader's sight: the root project being an
//! application with code of its own, applying one to other projects
//! (`subprojects {}`, `configure(…) {}`) or depending on a project, a
//! script plugin
//! (`apply from:`) or a convention plugin (`buildSrc`, an included build)
//! that could, a project directory or build file name computed in code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Plugin ids that make a project an application, and what it is then.
const APPLICATION_PLUGINS: [(&str, &str); 7] = [
    ("org.springframework.boot", "spring-boot"),
    ("io.quarkus", "quarkus"),
    ("io.micronaut.application", "micronaut"),
    ("com.google.cloud.tools.jib", "jib image"),
    ("war", "war"),
    ("ear", "ear"),
    ("application", "application"),
];

/// Text in a convention plugin's sources that may apply one of
/// [`APPLICATION_PLUGINS`] to the projects using it.
const CONVENTION_SIGNS: [&str; 12] = [
    "org.springframework.boot\"",
    "org.springframework.boot'",
    "SpringBootPlugin",
    "io.quarkus",
    "io.micronaut.application",
    "com.google.cloud.tools.jib",
    "\"war\"",
    "'war'",
    "WarPlugin",
    "\"ear\"",
    "'ear'",
    "ApplicationPlugin",
];

/// The configurations whose projects are on the runtime classpath (an
/// ear's `deploy` and `earlib` included); test, compile-only,
/// annotation-processor and a build's own configurations are not.
const RUNTIME_CONFIGURATIONS: [&str; 7] = [
    "implementation",
    "api",
    "runtimeOnly",
    "compile",
    "runtime",
    "deploy",
    "earlib",
];

/// One project of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradleModule {
    /// Its folder, relative to the repository root.
    pub dir: String,
    /// Its project path, without the root's colon (`platform:api`).
    pub path: String,
    /// What makes it an application, when something does.
    pub application: Option<String>,
    /// The projects it puts on its runtime classpath, as written
    /// (`:conductor-core`, `projects.orderCore` as `orderCore`).
    pub depends_on: Vec<String>,
}

/// The projects of a multi-project build, the root project aside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GradleBuild {
    pub modules: Vec<GradleModule>,
}

impl GradleBuild {
    /// Reads the build rooted at `root`; `None` without a settings script
    /// that includes a project, or when the build may make applications
    /// or dependencies this reader cannot see (see the module's doc).
    pub fn read(root: &Path) -> Option<GradleBuild> {
        let settings = ["settings.gradle", "settings.gradle.kts"]
            .iter()
            .find_map(|name| std::fs::read_to_string(root.join(name)).ok())
            .map(|text| without_comments(&text));
        let root_script = script_at(root);
        let settings = match (settings, &root_script) {
            (Some(settings), _) => settings,
            // A build script and no settings: a single-project build.
            (None, Some(_)) => String::new(),
            (None, None) => return None,
        };
        if find_word(&settings, "buildFileName").is_some()
            || convention_plugins_may_apply(root, &settings)
        {
            return None;
        }
        let catalog = plugin_catalog(root);
        let root_reads = read_applied(root, root, root_script.as_deref().unwrap_or_default())?;
        let projects = included(&settings)?;
        // A single-project build: the root project is the build's only
        // one, an application or a library by its own script.
        if projects.is_empty() {
            let application = application(&root_reads, &catalog)
                .map(str::to_string)
                .or_else(|| executable_jar(&root_reads))
                .or_else(|| runtime_configuration(root))
                .or_else(|| {
                    root.join("Dockerfile")
                        .is_file()
                        .then(|| "Dockerfile".to_string())
                });
            let name = find_word(&settings, "rootProject")
                .and_then(|at| {
                    quoted(settings[at..].lines().next().unwrap_or(""))
                        .first()
                        .copied()
                })
                .map(str::to_string)
                .or_else(|| root.file_name().map(|n| n.to_string_lossy().to_string()))
                .unwrap_or_default();
            return Some(GradleBuild {
                modules: vec![GradleModule {
                    dir: String::new(),
                    path: name,
                    application,
                    depends_on: Vec::new(),
                }],
            });
        }
        // The root project an application with code of its own (a service
        // with library subprojects), or applying one to its subprojects.
        let root_plugin = application(&root_reads, &catalog);
        let root_application = root_plugin.is_some() && root.join("src/main").is_dir();
        let shared_application = shared_blocks(&root_reads)
            .iter()
            .any(|block| application(block, &catalog).is_some());
        // A root project with no code that packs a distribution of the
        // projects it depends on (Qualitis' `application` and
        // `distributions {}`); one that only runs a project
        // (`gradle run` of a load generator) says nothing of the others.
        let packaged = project_dependencies(&root_reads);
        let distribution = root_plugin.filter(|_| {
            ["distributions", "distZip", "distTar", "installDist"]
                .iter()
                .any(|word| find_word(&root_reads, word).is_some())
        });
        if root_application
            || shared_application
            || (!packaged.is_empty() && distribution.is_none())
        {
            return None;
        }
        let mut modules = Vec::new();
        for (path, dir) in projects {
            let module_dir = root.join(&dir);
            let script = script_at(&module_dir).unwrap_or_default();
            let script = read_applied(root, &module_dir, &script)?;
            let application = application(&script, &catalog)
                .map(str::to_string)
                .or_else(|| executable_jar(&script))
                .or_else(|| runtime_configuration(&module_dir))
                .or_else(|| {
                    module_dir
                        .join("Dockerfile")
                        .is_file()
                        .then(|| "Dockerfile".to_string())
                });
            modules.push(GradleModule {
                depends_on: project_dependencies(&script),
                path,
                dir,
                application,
            });
        }
        let mut build = GradleBuild { modules };
        if let Some(plugin) = distribution {
            let packed: Vec<usize> = packaged.iter().filter_map(|d| build.resolve(d)).collect();
            for i in packed {
                build.modules[i].application.get_or_insert_with(|| {
                    format!("the root project's `{plugin}` distribution packs it")
                });
            }
        }
        (!build.modules.is_empty()).then_some(build)
    }

    /// The module a dependency as written names: by its whole project
    /// path, else by its name (a type-safe accessor's `orderCore` is
    /// `order-core`), else the module whose name ends the dependency's,
    /// separators and case aside (a settings script that prefixes every
    /// project's name, `conductor-core` for `core`), the longest such.
    pub fn resolve(&self, dependency: &str) -> Option<usize> {
        let path = dependency.trim_start_matches(':');
        let name = squashed(last_part(path));
        let by_path = self.modules.iter().position(|m| m.path == path);
        let by_name = || {
            self.modules
                .iter()
                .position(|m| squashed(last_part(&m.path)) == name)
        };
        let by_suffix = || {
            self.modules
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    let own = squashed(last_part(&m.path));
                    name.len() > own.len() && name.ends_with(&own)
                })
                .max_by_key(|(_, m)| last_part(&m.path).len())
                .map(|(i, _)| i)
        };
        by_path.or_else(by_name).or_else(by_suffix)
    }
}

/// A project's name: the last part of its path.
fn last_part(path: &str) -> &str {
    path.rsplit([':', '.']).next().unwrap_or(path)
}

/// A name as a type-safe accessor spells it, lowercased: `order-core`,
/// `order_core` and `orderCore` are all `ordercore`.
fn squashed(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The blocks of a root script that configure other projects
/// (`subprojects {}`, `allprojects {}`, `configure(…) {}`,
/// `project(':x') {}`), each without its braces.
fn shared_blocks(script: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in ["subprojects", "allprojects", "configure", "project"] {
        for (at, _) in script.match_indices(word) {
            let before = script[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let rest = &script[at + word.len()..];
            // Past the arguments, if any, to the block's brace.
            let mut depth = 0;
            let mut open = None;
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    '{' if depth == 0 => {
                        open = Some(i);
                        break;
                    }
                    c if depth == 0 && !c.is_whitespace() => break,
                    _ => {}
                }
            }
            let Some(open) = open else { continue };
            let body = &rest[open + 1..];
            let mut depth = 1;
            let end = body
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(body.len(), |(i, _)| i);
            out.push(&body[..end]);
        }
    }
    out
}

/// The external dependencies a build script declares on the running
/// application's classpath, as `(line index, "group:artifact")`: in
/// `implementation`, `api`, `compile`, `runtime`, `runtimeOnly`, an ear's
/// `deploy`/`earlib` — written `'g:a:v'` (several on a line too),
/// `("g:a:v")`, Kotlin's `("g", "a", "v")`, or with `group:` and `name:`
/// (`group = `, `name = ` in Kotlin), one statement to a line or after a
/// block's `{` or a `;`. Not test, compile-only, provided,
/// annotation-processor or development-only configurations, whose jars no
/// running application holds, nor what a `constraints`, `buildscript` or
/// test suites' (`testing`) block declares; nor a variable's value (a
/// version catalog's alias, an `ext` map's entry), a declaration spread
/// over lines, or a script applied from another file, which this reader
/// does not follow.
pub fn runtime_dependencies(script: &str) -> Vec<(usize, String)> {
    const RUNTIME: [&str; 7] = [
        "implementation",
        "api",
        "compile",
        "runtime",
        "runtimeOnly",
        "deploy",
        "earlib",
    ];
    // Blocks whose declarations put nothing on the application's classpath.
    const ASIDE: [&str; 3] = ["constraints", "buildscript", "testing"];
    // The quoted strings of a text, in order.
    let strings = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find(['"', '\'']) {
            let quote = &rest[at..at + 1];
            let body = &rest[at + 1..];
            let Some(end) = body.find(quote) else {
                break;
            };
            out.push(body[..end].to_string());
            rest = &body[end + 1..];
        }
        out
    };
    // The quoted value after `key:` or `key =`.
    let keyed = |text: &str, key: &str| -> Option<String> {
        find_word(text, key).and_then(|at| {
            let rest = text[at + key.len()..].trim_start();
            let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
            strings(rest).into_iter().next()
        })
    };
    let declared = |statement: &str| -> Vec<String> {
        let statement = statement.trim_start();
        let config: String = statement
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !RUNTIME.contains(&config.as_str()) {
            return Vec::new();
        }
        let rest = &statement[config.len()..];
        if !rest.trim_start().starts_with(['(', '"', '\'']) && !rest.contains("group") {
            return Vec::new();
        }
        if let (Some(group), Some(name)) = (keyed(rest, "group"), keyed(rest, "name")) {
            return vec![format!("{group}:{name}")];
        }
        let quoted = strings(rest);
        match quoted.as_slice() {
            // Kotlin's `("group", "artifact", "version")`.
            [group, artifact, ..] if !group.contains(':') && !artifact.contains(':') => {
                vec![format!("{group}:{artifact}")]
            }
            _ => quoted
                .iter()
                .filter_map(|notation| {
                    let mut parts = notation.split(':');
                    let (group, artifact) = (parts.next()?, parts.next()?);
                    (!group.is_empty() && !artifact.is_empty())
                        .then(|| format!("{group}:{artifact}"))
                })
                .collect(),
        }
    };
    let mut blocks: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, line) in without_comments(script).lines().enumerate() {
        let aside = blocks.iter().any(|b| ASIDE.contains(&b.as_str()));
        for statement in line.split(['{', ';']) {
            if !aside {
                out.extend(declared(statement).into_iter().map(|coords| (i, coords)));
            }
        }
        // The blocks the line opens and closes, by the word before each `{`.
        let mut word = String::new();
        for c in line.chars() {
            match c {
                '{' => blocks.push(std::mem::take(&mut word)),
                '}' => {
                    blocks.pop();
                }
                c if c.is_ascii_alphanumeric() || c == '_' => word.push(c),
                c if c.is_whitespace() => {}
                _ => word.clear(),
            }
        }
    }
    out
}

/// A folder's build script, without its comments.
fn script_at(dir: &Path) -> Option<String> {
    ["build.gradle", "build.gradle.kts"]
        .iter()
        .find_map(|name| std::fs::read_to_string(dir.join(name)).ok())
        .map(|text| without_comments(&text))
}

/// A script with the script plugins it applies (`apply from:
/// "$rootDir/gradle/app.gradle"`) appended; `None` when one cannot be
/// read (a URL, a computed path).
fn read_applied(root: &Path, dir: &Path, script: &str) -> Option<String> {
    let mut out = script.to_string();
    for line in script.lines() {
        let Some(at) = line.find("from") else {
            continue;
        };
        if !line.trim_start().starts_with("apply") {
            continue;
        }
        let target = quoted(&line[at..]).first().copied()?;
        let applied = local_path(root, dir, target)?;
        out.push('\n');
        out.push_str(&without_comments(&std::fs::read_to_string(applied).ok()?));
    }
    Some(out)
}

/// How a script names the build's root folder.
const ROOT_PREFIXES: [&str; 4] = [
    "$rootDir/",
    "${rootDir}/",
    "$settingsDir/",
    "${settingsDir}/",
];

/// A path a script writes, on disk: relative to `dir`, or to the root
/// through `$rootDir`, `$settingsDir`, `$projectDir`; `None` for a URL or
/// another computed path.
fn local_path(root: &Path, dir: &Path, written: &str) -> Option<PathBuf> {
    let from_root = ROOT_PREFIXES.iter().map(|p| (*p, root));
    let from_project = [("$projectDir/", dir), ("${projectDir}/", dir)];
    for (prefix, base) in from_root.chain(from_project) {
        if let Some(rest) = written.strip_prefix(prefix) {
            return (!rest.contains('$')).then(|| base.join(rest));
        }
    }
    (!written.contains('$') && !written.contains("://")).then(|| dir.join(written))
}

/// Whether a convention plugin the build uses — `buildSrc`, or a build the
/// settings include (`includeBuild("build-logic")`) — may apply an
/// application plugin.
fn convention_plugins_may_apply(root: &Path, settings: &str) -> bool {
    let mut builds = vec![root.join("buildSrc")];
    let mut rest = settings;
    while let Some(at) = find_word(rest, "includeBuild") {
        let after = &rest[at + "includeBuild".len()..];
        if let Some(dir) = quoted(after.lines().next().unwrap_or("")).first() {
            builds.push(root.join(dir));
        }
        rest = after;
    }
    let mut stack: Vec<PathBuf> = builds.into_iter().filter(|b| b.is_dir()).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if path.is_dir() {
                if !name.starts_with('.') && name != "build" {
                    stack.push(path);
                }
                continue;
            }
            let source = [".gradle", ".gradle.kts", ".kt", ".kts", ".groovy", ".java"]
                .iter()
                .any(|ext| name.ends_with(ext));
            if source
                && std::fs::read_to_string(&path)
                    .is_ok_and(|text| CONVENTION_SIGNS.iter().any(|s| text.contains(s)))
            {
                return true;
            }
        }
    }
    false
}

/// The plugin ids of the version catalog's aliases, by the alias as a
/// build script writes it squashed (`libs.plugins.spring.boot` and the
/// catalog's `spring-boot` are both `springboot`).
fn plugin_catalog(root: &Path) -> HashMap<String, String> {
    #[derive(serde::Deserialize)]
    struct Catalog {
        #[serde(default)]
        plugins: HashMap<String, toml::Value>,
    }
    let Some(catalog) = std::fs::read_to_string(root.join("gradle/libs.versions.toml"))
        .ok()
        .and_then(|text| toml::from_str::<Catalog>(&text).ok())
    else {
        return HashMap::new();
    };
    catalog
        .plugins
        .into_iter()
        .filter_map(|(alias, value)| {
            let id = match value {
                toml::Value::String(s) => s.split(':').next().map(str::to_string),
                toml::Value::Table(t) => t.get("id").and_then(|id| id.as_str()).map(str::to_string),
                _ => None,
            }?;
            Some((squashed(&alias), id))
        })
        .collect()
}

/// The projects a settings script includes: (project path, folder), or
/// `None` when a project's folder is computed in code. A
/// `project(':x').projectDir = file('elsewhere')` moves one.
fn included(settings: &str) -> Option<Vec<(String, String)>> {
    let mut paths: Vec<String> = Vec::new();
    let mut rest = settings;
    while let Some(at) = find_word(rest, "include") {
        let after = &rest[at + "include".len()..];
        // The arguments run while each line ends with a comma.
        let mut end = 0;
        for line in after.split_inclusive('\n') {
            end += line.len();
            let trimmed = line.trim_end();
            if !(trimmed.ends_with(',') || trimmed.ends_with('(') || trimmed.is_empty()) {
                break;
            }
        }
        paths.extend(quoted(&after[..end]).into_iter().map(str::to_string));
        rest = &after[end..];
    }
    paths.dedup();
    let mut moved: HashMap<String, String> = HashMap::new();
    for line in settings.lines() {
        let Some((target, value)) = line.split_once("projectDir") else {
            continue;
        };
        let Some(path) = quoted(target).first().map(|p| p.trim_start_matches(':')) else {
            continue;
        };
        let dir = value
            .split_once('=')
            .and_then(|(_, v)| quoted(v).last().copied())?;
        let dir = ROOT_PREFIXES
            .iter()
            .find_map(|p| dir.strip_prefix(p))
            .unwrap_or(dir);
        if dir.contains('$') {
            return None;
        }
        moved.insert(
            path.to_string(),
            dir.trim_start_matches("./")
                .trim_end_matches('/')
                .to_string(),
        );
    }
    Some(
        paths
            .into_iter()
            .map(|path| {
                let path = path.trim_start_matches(':').to_string();
                let dir = moved
                    .get(&path)
                    .cloned()
                    .unwrap_or_else(|| path.replace(':', "/"));
                (path, dir)
            })
            .collect(),
    )
}

/// Where `word` occurs as a whole identifier in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        !text[..i].chars().next_back().is_some_and(is_ident)
            && !text[i + word.len()..].chars().next().is_some_and(is_ident)
    })
}

/// Whether a character may be part of an identifier.
fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The string literals of a piece of script, quoted either way.
fn quoted(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['\'', '"']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let body = &rest[start + 1..];
        let Some(end) = body.find(quote) else { break };
        out.push(&body[..end]);
        rest = &body[end + 1..];
    }
    out
}

/// A script without its `//` and `/* */` comments (a `//` inside a
/// string, as in a URL, is kept).
fn without_comments(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let mut chars = script.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), _) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), '\n') => {
                quote = None;
                out.push(c);
            }
            (Some(_), _) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '/') if chars.peek() == Some(&'/') => {
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            (None, '/') if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                    }
                    if last == '*' && skipped == '/' {
                        break;
                    }
                    last = skipped;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// What a build script makes, when that is an application: the first of
/// [`APPLICATION_PLUGINS`] it applies (`id 'war'`, `apply plugin: 'war'`,
/// `id("war")`, Kotlin's bare `war`, a catalog's `alias(libs.plugins.…)`),
/// Spring Boot's only when its `bootJar` is not switched off.
fn application(script: &str, catalog: &HashMap<String, String>) -> Option<&'static str> {
    // Statements, also several on a line (`plugins { id 'java'; application }`).
    let applied = |plugin: &str| {
        script.split(['\n', '{', '}', ';']).any(|line| {
            let line = line.trim();
            if line.contains("apply false") {
                return false;
            }
            let alias = line
                .strip_prefix("alias(")
                .and_then(|rest| rest.split(')').next())
                .and_then(|written| written.strip_prefix("libs.plugins."))
                .and_then(|alias| catalog.get(&squashed(alias)));
            if let Some(id) = alias {
                return id == plugin;
            }
            let applies = ["id", "apply", "plugin"]
                .iter()
                .any(|word| line.starts_with(word));
            (applies && quoted(line).contains(&plugin)) || line == plugin
        })
    };
    APPLICATION_PLUGINS
        .iter()
        .find(|(id, _)| applied(id) && !(*id == "org.springframework.boot" && boot_jar_off(script)))
        .map(|(_, kind)| *kind)
}

/// Whether a script switches Spring Boot's jar off (`bootJar.enabled =
/// false`, `bootJar { enabled = false }`, `tasks.named("bootJar") {
/// enabled = false }`): Boot's plugin only for its versions. A setting in
/// a block inside (`layered { enabled = false }`) is another's.
fn boot_jar_off(script: &str) -> bool {
    let off = |s: &str| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        ["enabled=false", "isEnabled=false", "enabled.set(false)"]
            .iter()
            .any(|f| s.starts_with(f))
    };
    script.match_indices("bootJar").any(|(at, _)| {
        let after = &script[at + "bootJar".len()..];
        let after = after.trim_start_matches(['"', '\'', ')', '>', ' ']);
        if let Some(setting) = after.strip_prefix('.') {
            return off(setting.lines().next().unwrap_or(""));
        }
        let Some(block) = after.trim_start().strip_prefix('{') else {
            return false;
        };
        // The block's own statements, at depth one.
        let mut depth = 1;
        let mut statement = String::new();
        for c in block.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 1 => return off(&statement),
                '}' => depth -= 1,
                '\n' | ';' if depth == 1 => {
                    if off(&statement) {
                        return true;
                    }
                    statement.clear();
                }
                _ if depth == 1 => statement.push(c),
                _ => {}
            }
        }
        false
    })
}

/// An executable jar: a manifest naming its `Main-Class` (a shadow jar's
/// too).
fn executable_jar(script: &str) -> Option<String> {
    script
        .contains("Main-Class")
        .then(|| "executable jar".to_string())
}

/// The runtime configuration a module ships in `src/main/resources`, the
/// sign of an application rather than a library: Spring's base or profile
/// configuration (`application*`, `bootstrap*` as `.yml`, `.yaml` or
/// `.properties`; fewer names than a Maven module's, which counts Dubbo's
/// and logging configuration too).
fn runtime_configuration(dir: &Path) -> Option<String> {
    let resources = dir.join("src/main/resources");
    let mut names: Vec<String> = std::fs::read_dir(resources)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| {
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
            ["application", "bootstrap"]
                .iter()
                .any(|base| stem == *base || stem.starts_with(&format!("{base}-")))
                && matches!(ext, "yml" | "yaml" | "properties")
        })
        .collect();
    names.sort();
    names.into_iter().next()
}

/// The projects a build script's runtime configurations depend on:
/// `implementation project(':core')`, `api(project(":common"))`,
/// `runtimeOnly project(path: ':agent')`, `implementation(projects.orderCore)`,
/// over several lines or several to one configuration
/// (`implementation project(':a'), project(':b')`). A platform
/// (`platform(project(':bom'))`) brings versions, not code.
fn project_dependencies(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut last_configuration: Option<String> = None;
    let mut at = 0;
    while let Some(found) = next_reference(&script[at..]) {
        let (start, end, name) = (at + found.0, at + found.1, found.2);
        at = end;
        if start > 0 && script[..start].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        // What the reference is an argument of: back over spaces and
        // opening parentheses to the word before.
        let before = script[..start].trim_end_matches(|c: char| c.is_whitespace() || c == '(');
        let configuration = if before.ends_with(',') {
            last_configuration.clone()
        } else {
            let word_start = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_ident(*c))
                .last()
                .map_or(before.len(), |(i, _)| i);
            Some(before[word_start..].to_string())
        };
        let Some(configuration) = configuration else {
            continue;
        };
        last_configuration = Some(configuration.clone());
        if RUNTIME_CONFIGURATIONS.contains(&configuration.as_str()) {
            out.push(name);
        }
    }
    out
}

/// The next project reference in `text`: (start, end, the project as
/// written) for `project(':core')`, `project(path: ':core')` or
/// `projects.orderCore`.
fn next_reference(text: &str) -> Option<(usize, usize, String)> {
    let call = text.find("project(");
    let accessor = text.find("projects.");
    match (call, accessor) {
        (Some(c), a) if a.is_none_or(|a| c < a) => {
            let inner = &text[c + "project(".len()..];
            let close = inner.find(')').unwrap_or(inner.len());
            let name = quoted(&inner[..close])
                .last()
                .map_or(String::new(), |n| n.to_string());
            Some((c, c + "project(".len() + close, name))
        }
        (_, Some(a)) => {
            let rest = &text[a + "projects.".len()..];
            let len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            let name = rest[..len].trim_end_matches('.').to_string();
            Some((a, a + "projects.".len() + len, name))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_dependencies_outside_constraints_and_test_suites() {
        let script = "dependencies { runtimeOnly 'org.slf4j:slf4j-log4j12:1.7.36' }\ndependencies {\n    constraints {\n        implementation('org.apache.logging.log4j:log4j-core') { version { strictly '2.17.1' } }\n    }\n    compile 'com.google.guava:guava:31.1', 'log4j:log4j:1.2.17'\n    runtimeOnly(\"org.apache.logging.log4j\", \"log4j-core\", \"2.20.0\")\n}\ntesting { suites { test { dependencies {\n    implementation 'org.slf4j:slf4j-simple:1.7.36'\n} } } }\n";
        assert_eq!(
            runtime_dependencies(script),
            [
                (0, "org.slf4j:slf4j-log4j12".to_string()),
                (5, "com.google.guava:guava".to_string()),
                (5, "log4j:log4j".to_string()),
                (6, "org.apache.logging.log4j:log4j-core".to_string()),
            ]
        );
    }

    #[test]
    fn runtime_dependencies_by_configuration_and_notation() {
        let script = "dependencies {\n    implementation 'org.slf4j:slf4j-log4j12:1.7.36'\n    testImplementation 'org.slf4j:slf4j-simple:1.7.36'\n    compileOnly \"log4j:log4j:1.2.17\"\n    runtimeOnly(\"org.apache.logging.log4j:log4j-core:2.20.0\")\n    compile group: 'log4j', name: 'log4j', version: '1.2.17'\n    // implementation 'org.slf4j:slf4j-jdk14:1.7.36'\n    implementation libs.log4j.core\n}\n";
        assert_eq!(
            runtime_dependencies(script),
            [
                (1, "org.slf4j:slf4j-log4j12".to_string()),
                (4, "org.apache.logging.log4j:log4j-core".to_string()),
                (5, "log4j:log4j".to_string()),
            ]
        );
    }

    fn catalog() -> HashMap<String, String> {
        HashMap::from([(
            "springframeworkboot".into(),
            "org.springframework.boot".into(),
        )])
    }

    #[test]
    fn includes_in_either_dialect_and_moved_folders() {
        let settings = without_comments("rootProject.name = 'shop'\n// include 'old'\ninclude 'server', 'client'\ninclude(\":core\",\n    \":infra:db\")\nproject(':client').projectDir = file('sdk/java-client')\nproject(':core').projectDir = file(\"$rootDir/libs/core\")\n");
        assert_eq!(
            included(&settings),
            Some(vec![
                ("server".to_string(), "server".to_string()),
                ("client".to_string(), "sdk/java-client".to_string()),
                ("core".to_string(), "libs/core".to_string()),
                ("infra:db".to_string(), "infra/db".to_string()),
            ])
        );
        // A folder computed in code: the build is not read.
        assert_eq!(
            included("include 'a'\nproject(':a').projectDir = file(\"$base/a\")\n"),
            None
        );
    }

    #[test]
    fn applications_by_their_plugins() {
        let none = HashMap::new();
        for (script, kind) in [
            ("plugins {\n    id 'java'\n    id 'org.springframework.boot' version '3.2.0'\n}\n", "spring-boot"),
            ("plugins {\n    id(\"org.springframework.boot\")\n}\n", "spring-boot"),
            ("apply plugin: 'org.springframework.boot'\n", "spring-boot"),
            ("plugins {\n    war\n}\n", "war"),
            ("plugins { java; application }\n", "application"),
            ("plugins { id 'org.springframework.boot' version '3.2.0' }\n", "spring-boot"),
            ("plugins {\n    id 'io.quarkus'\n}\n", "quarkus"),
            ("plugins {\n    id(\"io.micronaut.application\") version \"4.0.0\"\n}\n", "micronaut"),
            ("plugins {\n    id 'com.google.cloud.tools.jib'\n}\n", "jib image"),
            ("plugins {\n    id 'ear'\n}\n", "ear"),
            ("plugins {\n    id 'application'\n}\napplication { mainClass = 'a.Main' }\n", "application"),
            // Boot's jar on, the plain jar off.
            ("apply plugin: 'org.springframework.boot'\nbootJar.enabled = true\njar.enabled = false\n", "spring-boot"),
            ("plugins {\n    id 'org.springframework.boot'\n}\nbootJar {\n    layered {\n        enabled = false\n    }\n}\n", "spring-boot"),
        ] {
            assert_eq!(application(script, &none), Some(kind), "{script}");
        }
        assert_eq!(
            application(
                "plugins {\n    alias(libs.plugins.springframework.boot)\n}\n",
                &catalog()
            ),
            Some("spring-boot")
        );
        for library in [
            "plugins {\n    id 'java-library'\n    alias(libs.plugins.spring.dependency.management)\n}\n",
            // Declared for the subprojects, not applied here.
            "plugins {\n    id 'org.springframework.boot' version '3.2.0' apply false\n}\n",
            // Boot's plugin for its dependency management, with no jar.
            "plugins {\n    id 'org.springframework.boot'\n}\nbootJar {\n    enabled = false\n}\n",
            "apply plugin: 'org.springframework.boot'\nbootJar.enabled = false\n",
            "plugins { id 'org.springframework.boot' }\ntasks.named('bootJar') { enabled = false }\n",
            // A comment says nothing.
            "// id 'org.springframework.boot'\n",
        ] {
            assert_eq!(
                application(&without_comments(library), &catalog()),
                None,
                "{library}"
            );
        }
    }

    #[test]
    fn runtime_project_dependencies_only() {
        let script = "dependencies {\n    implementation project(':core')\n    api(project(\":common\"))\n    runtimeOnly project(path: ':agent')\n    implementation(\n        project(\":multi\")\n    )\n    implementation project(':a'), project(':b')\n    implementation(projects.orderCore)\n    testImplementation project(':test-harness')\n    compileOnly project(':annotations')\n    annotationProcessor project(':processor')\n    protogen project(':codegen')\n    implementation platform(project(':bom'))\n    implementation 'org.slf4j:slf4j-api:2.0.9'\n}\n";
        assert_eq!(
            project_dependencies(script),
            [
                ":core",
                ":common",
                ":agent",
                ":multi",
                ":a",
                ":b",
                "orderCore"
            ]
        );
        assert_eq!(
            project_dependencies("dependencies { implementation project(':core') }"),
            [":core"]
        );
        // A project's configuration block is no dependency.
        assert!(project_dependencies("project(':core') {\n    version = '1'\n}\nconfigure(allprojects - project(':grpc')) {}\n").is_empty());
    }

    #[test]
    fn dependencies_resolve_by_path_name_or_prefixed_name() {
        let module = |dir: &str| GradleModule {
            dir: dir.into(),
            path: dir.replace('/', ":"),
            application: None,
            depends_on: Vec::new(),
        };
        let build = GradleBuild {
            modules: vec![
                module("core"),
                module("infra/db"),
                module("rest"),
                module("server"),
                module("grpc-server"),
                module("order-core"),
            ],
        };
        assert_eq!(build.resolve(":infra:db"), Some(1));
        assert_eq!(build.resolve(":core"), Some(0));
        assert_eq!(build.resolve(":conductor-rest"), Some(2));
        assert_eq!(build.resolve(":conductor-grpc-server"), Some(4));
        assert_eq!(build.resolve("orderCore"), Some(5));
        assert_eq!(build.resolve(":unknown"), None);
    }

    #[test]
    fn comments_go_strings_stay() {
        assert_eq!(
            without_comments("a // b\nurl 'http://x' /* c\nd */ e\n"),
            "a \nurl 'http://x' \n e\n"
        );
    }

    #[test]
    fn what_the_reader_cannot_see_leaves_the_build_unread() {
        let write = |files: &[(&str, &str)]| {
            let dir = tempfile::tempdir().expect("a temporary directory");
            for (rel, text) in files {
                let path = dir.path().join(rel);
                std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
                std::fs::write(path, text).expect("written");
            }
            dir
        };
        let settings = ("settings.gradle", "include 'app', 'core', 'tool'\n");
        let app = ("tool/build.gradle", "plugins { id 'application' }\n");
        for unseen in [
            // The root applies Boot to its subprojects, or depends on one.
            (
                "build.gradle",
                "subprojects {\n    apply plugin: 'org.springframework.boot'\n}\n",
            ),
            (
                "build.gradle",
                "dependencies {\n    implementation project(':core')\n}\n",
            ),
            (
                "build.gradle",
                "configure(subprojects.findAll { it.name != 'core' }) {\n    apply plugin: 'war'\n}\n",
            ),
            // A convention plugin, a script plugin that may apply it.
            (
                "buildSrc/src/main/kotlin/shop.service.gradle.kts",
                "plugins {\n    id(\"org.springframework.boot\")\n}\n",
            ),
            (
                "app/build.gradle",
                "apply from: 'https://example.com/app.gradle'\n",
            ),
        ] {
            let dir = write(&[settings, app, unseen]);
            assert_eq!(GradleBuild::read(dir.path()), None, "{unseen:?}");
        }
        // The root's own plugins are its own.
        let dir = write(&[
            settings,
            app,
            ("build.gradle", "plugins {\n    id 'application'\n}\nallprojects {\n    apply plugin: 'java'\n}\nconfigure(allprojects - project(':tool')) {\n    version = '1'\n}\n"),
        ]);
        assert!(GradleBuild::read(dir.path()).is_some());
        // A root with no code of its own that packs a distribution of the
        // projects it depends on (Qualitis').
        let dir = write(&[
            settings,
            app,
            ("build.gradle", "apply plugin: 'application'\nmainClassName = 'a.Server'\ndependencies {\n    compile project(':core')\n}\ndistributions {\n    main {}\n}\n"),
        ]);
        let build = GradleBuild::read(dir.path()).expect("read");
        let core = build.resolve(":core").expect("core");
        assert_eq!(
            build.modules[core].application.as_deref(),
            Some("the root project's `application` distribution packs it")
        );
        // One that only runs a project (`gradle run`) is not read.
        let dir = write(&[
            settings,
            app,
            ("build.gradle", "apply plugin: 'application'\nmainClassName = 'a.Load'\ndependencies {\n    implementation project(':core')\n}\n"),
        ]);
        assert_eq!(GradleBuild::read(dir.path()), None);
        // A script plugin on disk is read with the script.
        let dir = write(&[
            settings,
            app,
            ("app/build.gradle", "apply from: \"$rootDir/gradle/boot.gradle\"\n"),
            ("gradle/boot.gradle", "apply plugin: 'org.springframework.boot'\ndependencies {\n    implementation project(':core')\n}\n"),
        ]);
        let build = GradleBuild::read(dir.path()).expect("read");
        assert_eq!(build.modules[0].application.as_deref(), Some("spring-boot"));
        assert_eq!(build.modules[0].depends_on, [":core"]);
        // An executable jar, an image of its own make an application.
        let dir = write(&[
            settings,
            app,
            (
                "app/build.gradle",
                "jar {\n    manifest {\n        attributes 'Main-Class': 'a.Main'\n    }\n}\n",
            ),
            ("core/Dockerfile", "FROM eclipse-temurin:17\n"),
        ]);
        let build = GradleBuild::read(dir.path()).expect("read");
        assert_eq!(
            build.modules[0].application.as_deref(),
            Some("executable jar")
        );
        assert_eq!(build.modules[1].application.as_deref(), Some("Dockerfile"));
        // Runtime configuration of its own makes an application.
        let dir = write(&[
            settings,
            app,
            (
                "core/src/main/resources/application.yml",
                "server.port: 8080\n",
            ),
        ]);
        let build = GradleBuild::read(dir.path()).expect("read");
        assert_eq!(
            build.modules[1].application.as_deref(),
            Some("application.yml")
        );
    }
}
