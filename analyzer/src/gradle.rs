//! The modules of a Gradle build, for where code runs: the projects
//! `settings.gradle(.kts)` includes, which of them build an application
//! (Spring Boot's plugin, `application`, `war`), and which of the
//! repository's projects each puts on its runtime classpath
//! (`implementation project(':core')`, `api`, `runtimeOnly`…; test,
//! compile-only and annotation-processor configurations aside).
//!
//! Build scripts are programs; this reads their common declarative forms
//! only. What it cannot follow — a project directory or a dependency
//! computed in code, plugins applied to every project from the root
//! script — leaves a module with no application, or an application with
//! fewer modules than it has, never the other way round: a build whose
//! applications cannot be read keeps every module deployed.

use std::path::Path;

/// One project of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradleModule {
    /// Its folder, relative to the repository root.
    pub dir: String,
    /// Its project path, without the root's colon (`platform:api`).
    pub path: String,
    /// What its build makes, when that is an application.
    pub application: Option<&'static str>,
    /// The projects it puts on its runtime classpath, as written
    /// (`:conductor-core`, `core`).
    pub depends_on: Vec<String>,
}

/// The projects of a multi-project build, the root project aside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GradleBuild {
    pub modules: Vec<GradleModule>,
}

impl GradleBuild {
    /// Reads the build rooted at `root`; `None` without a settings script
    /// that includes a project.
    pub fn read(root: &Path) -> Option<GradleBuild> {
        let settings = ["settings.gradle", "settings.gradle.kts"]
            .iter()
            .find_map(|name| std::fs::read_to_string(root.join(name)).ok())?;
        let modules: Vec<GradleModule> = included(&settings)
            .into_iter()
            .map(|(path, dir)| {
                let script = ["build.gradle", "build.gradle.kts"]
                    .iter()
                    .find_map(|name| std::fs::read_to_string(root.join(&dir).join(name)).ok())
                    .unwrap_or_default();
                let script = without_comments(&script);
                GradleModule {
                    path,
                    dir,
                    application: application(&script),
                    depends_on: project_dependencies(&script),
                }
            })
            .collect();
        (!modules.is_empty()).then_some(GradleBuild { modules })
    }

    /// The module a dependency as written names: by its whole project
    /// path, else by its name, else the module whose name ends the
    /// dependency's after a `-` (a settings script that prefixes every
    /// project's name, `conductor-core` for `core`).
    pub fn resolve(&self, dependency: &str) -> Option<usize> {
        let path = dependency.trim_start_matches(':');
        let name = last_part(path);
        let by_path = self.modules.iter().position(|m| m.path == path);
        let by_name = || self.modules.iter().position(|m| last_part(&m.path) == name);
        // The longest such name: `conductor-grpc-server` is `grpc-server`,
        // not `server`.
        let by_suffix = || {
            self.modules
                .iter()
                .enumerate()
                .filter(|(_, m)| name.ends_with(&format!("-{}", last_part(&m.path))))
                .max_by_key(|(_, m)| last_part(&m.path).len())
                .map(|(i, _)| i)
        };
        by_path.or_else(by_name).or_else(by_suffix)
    }
}

/// A project's name: the last part of its path.
fn last_part(path: &str) -> &str {
    path.rsplit(':').next().unwrap_or(path)
}

/// The projects a settings script includes: (project path, folder). A
/// `project(':x').projectDir = file('elsewhere')` moves one.
fn included(settings: &str) -> Vec<(String, String)> {
    let text = without_comments(settings);
    let mut paths: Vec<String> = Vec::new();
    let mut rest = text.as_str();
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
    paths
        .into_iter()
        .map(|path| {
            let path = path.trim_start_matches(':').to_string();
            let dir = moved_dir(&text, &path).unwrap_or_else(|| path.replace(':', "/"));
            (path, dir)
        })
        .collect()
}

/// The folder `project(':path').projectDir = file('dir')` gives a project.
fn moved_dir(settings: &str, path: &str) -> Option<String> {
    settings.lines().find_map(|line| {
        let (target, value) = line.split_once("projectDir")?;
        let named = quoted(target)
            .first()
            .is_some_and(|p| p.trim_start_matches(':') == path);
        let dir = quoted(value.split_once('=')?.1).last()?.to_string();
        named.then(|| {
            dir.trim_start_matches("./")
                .trim_end_matches('/')
                .to_string()
        })
    })
}

/// Where `word` occurs as a whole identifier in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        !text[..i].chars().next_back().is_some_and(is_ident)
            && !text[i + word.len()..].chars().next().is_some_and(is_ident)
    })
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
            (None, '\n') => {
                quote = None;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// What a module's build script makes, when that is an application: a
/// Spring Boot jar (its plugin applied, its `bootJar` not switched off),
/// a war, or a program the `application` plugin packs.
fn application(script: &str) -> Option<&'static str> {
    let applied = |plugin: &str| {
        script.lines().any(|line| {
            let line = line.trim();
            // `id 'war'`, `apply plugin: 'war'`, `id("war")`, or Kotlin's
            // bare `war` in a plugins block.
            let named = quoted(line).contains(&plugin) || line == plugin;
            let applies = ["id", "apply", "plugin"]
                .iter()
                .any(|word| line.starts_with(word))
                || line == plugin;
            // A version catalog's alias for Boot's plugin,
            // `alias(libs.plugins.spring.boot)`, `alias(libs.plugins.springBoot)`.
            let alias = plugin == "org.springframework.boot"
                && line.strip_prefix("alias(").is_some_and(|rest| {
                    let id: String = rest
                        .split(')')
                        .next()
                        .unwrap_or("")
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect();
                    id.to_ascii_lowercase().ends_with("springboot")
                });
            (named && applies || alias) && !line.contains("apply false")
        })
    };
    // `bootJar { enabled = false }`, `tasks.bootJar { enabled = false }`,
    // `bootJar.enabled = false`: Boot's plugin only for its versions.
    let compact: String = script.chars().filter(|c| !c.is_whitespace()).collect();
    let boot_jar_off = compact.match_indices("bootJar").any(|(at, _)| {
        let after = &compact[at..];
        after
            .find("enabled=false")
            .is_some_and(|i| i < 48 && !after[..i].contains('}'))
    });
    if applied("org.springframework.boot") && !boot_jar_off {
        Some("spring-boot")
    } else if applied("war") {
        Some("war")
    } else if applied("application") || find_word(script, "mainClassName").is_some() {
        Some("application")
    } else {
        None
    }
}

/// The configurations whose projects are on the runtime classpath; test,
/// compile-only, annotation-processor and a build's own configurations
/// are not.
const RUNTIME_CONFIGURATIONS: [&str; 5] =
    ["implementation", "api", "runtimeOnly", "compile", "runtime"];

/// The projects a build script's runtime configurations depend on:
/// `implementation project(':core')`, `api(project(":common"))`,
/// `runtimeOnly project(path: ':agent')`. A platform
/// (`platform(project(':bom'))`) brings versions, not code.
fn project_dependencies(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in script.lines() {
        let line = line.trim();
        let Some(at) = line.find("project(") else {
            continue;
        };
        let configuration: String = line
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let wrapped = line[..at].trim_end_matches(['(', ' ']);
        if !RUNTIME_CONFIGURATIONS.contains(&configuration.as_str())
            || wrapped.ends_with("platform")
            || wrapped.ends_with("testFixtures")
        {
            continue;
        }
        if let Some(name) = quoted(&line[at..]).first() {
            out.push(name.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_in_either_dialect_and_moved_folders() {
        let settings = "rootProject.name = 'shop'\n// include 'old'\ninclude 'server', 'client'\ninclude(\":core\",\n    \":infra:db\")\nproject(':client').projectDir = file('sdk/java-client')\n";
        assert_eq!(
            included(settings),
            [
                ("server".to_string(), "server".to_string()),
                ("client".to_string(), "sdk/java-client".to_string()),
                ("core".to_string(), "core".to_string()),
                ("infra:db".to_string(), "infra/db".to_string()),
            ]
        );
    }

    #[test]
    fn applications_by_their_plugins() {
        let boot =
            "plugins {\n    id 'java'\n    id 'org.springframework.boot' version '3.2.0'\n}\n";
        assert_eq!(application(boot), Some("spring-boot"));
        let kts = "plugins {\n    id(\"org.springframework.boot\")\n}\n";
        assert_eq!(application(kts), Some("spring-boot"));
        assert_eq!(
            application("apply plugin: 'org.springframework.boot'\n"),
            Some("spring-boot")
        );
        assert_eq!(
            application("plugins {\n    alias(libs.plugins.spring.boot)\n}\n"),
            Some("spring-boot")
        );
        assert_eq!(application("plugins {\n    war\n}\n"), Some("war"));
        assert_eq!(
            application(
                "plugins {\n    id 'application'\n}\napplication { mainClass = 'a.Main' }\n"
            ),
            Some("application")
        );
        for library in [
            "plugins {\n    id 'java-library'\n    alias(libs.plugins.spring.dependency.management)\n}\n",
            // Declared for the subprojects, not applied here.
            "plugins {\n    id 'org.springframework.boot' version '3.2.0' apply false\n}\n",
            // Boot's plugin for its dependency management, with no jar.
            "plugins {\n    id 'org.springframework.boot'\n}\nbootJar {\n    enabled = false\n}\n",
            "apply plugin: 'org.springframework.boot'\nbootJar.enabled = false\n",
            // A comment says nothing.
            "// id 'org.springframework.boot'\n",
        ] {
            assert_eq!(application(&without_comments(library)), None, "{library}");
        }
    }

    #[test]
    fn runtime_project_dependencies_only() {
        let script = "dependencies {\n    implementation project(':core')\n    api(project(\":common\"))\n    runtimeOnly project(path: ':agent')\n    testImplementation project(':test-harness')\n    compileOnly project(':annotations')\n    annotationProcessor project(':processor')\n    protogen project(':codegen')\n    implementation platform(project(':bom'))\n    implementation 'org.slf4j:slf4j-api:2.0.9'\n}\n";
        assert_eq!(project_dependencies(script), [":core", ":common", ":agent"]);
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
            ],
        };
        assert_eq!(build.resolve(":infra:db"), Some(1));
        assert_eq!(build.resolve(":core"), Some(0));
        assert_eq!(build.resolve(":conductor-rest"), Some(2));
        assert_eq!(build.resolve(":conductor-grpc-server"), Some(4));
        assert_eq!(build.resolve(":unknown"), None);
    }

    #[test]
    fn comments_go_strings_stay() {
        assert_eq!(
            without_comments("a // b\nurl 'http://x' /* c\nd */ e\n"),
            "a \nurl 'http://x' \n e\n"
        );
    }
}
