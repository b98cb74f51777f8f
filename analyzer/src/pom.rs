//! The Maven project model: each pom.xml read with the byte range of every
//! value, so that the rewriter can change exactly the text of a version and
//! nothing else; and a repository's poms linked through `<parent>` so that
//! properties and managed versions resolve the way Maven resolves them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::xml::{self, XmlItem};

/// A value and the byte range of its text in the file (whitespace around
/// it excluded; entity references included as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    pub value: String,
    pub span: Range<usize>,
}

/// Which part of the pom a dependency is declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DependencySection {
    Dependencies,
    DependencyManagement,
}

/// A `<module>` of an aggregator pom.
#[derive(Debug, Clone)]
pub struct PomModule {
    /// The module's folder, relative to the pom's, as written.
    pub path: String,
    /// The profile (index into `Pom::profiles`) that lists it.
    pub profile: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct PomDependency {
    pub group_id: Option<Spanned>,
    pub artifact_id: Option<Spanned>,
    pub version: Option<Spanned>,
    pub scope: Option<Spanned>,
    pub kind: Option<Spanned>,
    pub classifier: Option<Spanned>,
    /// `<optional>`, as written.
    pub optional: Option<Spanned>,
    pub section: DependencySection,
    /// The profile (index into `Pom::profiles`) it is declared in.
    pub profile: Option<usize>,
    /// The whole `<dependency>` element, from `<` to `>`.
    pub span: Range<usize>,
    /// The `<exclusions>` element, if any.
    pub exclusions: Option<Range<usize>>,
    /// What its `<exclusions>` name: (groupId, artifactId), either `*`
    /// for all.
    pub excluded: Vec<(String, String)>,
    /// The scope worked out for it (set by [`Project::new`]): for one
    /// written without a scope, the one its pom's or its parents'
    /// `<dependencyManagement>` gives it; for one written with a property
    /// (`<scope>${scope}</scope>`), the property's value.
    pub managed_scope: Option<String>,
}

impl PomDependency {
    /// Whether its `<exclusions>` leave out `group:artifact` (a `*`
    /// standing for any).
    pub fn excludes(&self, group: &str, artifact: &str) -> bool {
        self.excluded
            .iter()
            .any(|(g, a)| (g == group || g == "*") && (a == artifact || a == "*"))
    }

    /// Where a finding about the dependency points: its `<artifactId>`, or
    /// the whole element when it has none.
    pub fn anchor(&self) -> Range<usize> {
        self.artifact_id
            .as_ref()
            .map_or(self.span.clone(), |a| a.span.clone())
    }

    pub fn group(&self) -> &str {
        self.group_id.as_ref().map_or("", |s| s.value.as_str())
    }
    pub fn artifact(&self) -> &str {
        self.artifact_id.as_ref().map_or("", |s| s.value.as_str())
    }
    /// As written, else as managed, else `compile`.
    pub fn scope(&self) -> &str {
        match &self.scope {
            Some(s) if !s.value.contains("${") => s.value.as_str(),
            Some(s) => self.managed_scope.as_deref().unwrap_or(s.value.as_str()),
            None => self.managed_scope.as_deref().unwrap_or("compile"),
        }
    }
    /// `provided` or `<optional>true</optional>`: the dependency does not
    /// reach the projects that depend on this one (an application adds it
    /// if it wants it).
    pub fn is_left_to_dependents(&self) -> bool {
        self.scope() == "provided" || self.optional.as_ref().is_some_and(|o| o.value == "true")
    }
    /// An imported BOM: `<type>pom</type><scope>import</scope>` in
    /// dependency management.
    pub fn is_bom_import(&self) -> bool {
        self.section == DependencySection::DependencyManagement
            && self.scope() == "import"
            && self.kind.as_ref().is_some_and(|k| k.value == "pom")
    }

    /// A jar of sources or Javadoc (`<classifier>sources</classifier>`):
    /// text for people and IDEs, no class a program loads.
    pub fn holds_no_classes(&self) -> bool {
        self.classifier
            .as_ref()
            .is_some_and(|c| matches!(c.value.as_str(), "sources" | "javadoc" | "test-sources"))
    }
}

#[derive(Debug, Clone)]
pub struct PomProperty {
    pub name: String,
    pub value: Spanned,
    pub profile: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct ParentRef {
    pub group_id: Option<Spanned>,
    pub artifact_id: Option<Spanned>,
    pub version: Option<Spanned>,
    /// `None` when absent (Maven's default `../pom.xml`); `Some("")` for an
    /// empty `<relativePath/>`, which turns the file-system lookup off.
    pub relative_path: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PomPlugin {
    pub group_id: Option<Spanned>,
    pub artifact_id: Option<Spanned>,
    pub version: Option<Spanned>,
    /// The `<mainClass>`es its configuration names.
    pub main_classes: Vec<String>,
    /// Its configuration says it makes nothing that starts: `<skip>true`,
    /// or `<mainClass>none` (a library module's way to keep Spring Boot's
    /// plugin from looking for a main class).
    pub makes_nothing: bool,
    /// The assembly descriptors its configuration names: files
    /// (`<descriptor>`, relative to the module) and built-in ones
    /// (`<descriptorRef>`).
    pub descriptors: Vec<String>,
    pub descriptor_refs: Vec<String>,
    /// The patterns of its configuration's `<excludes>` (the jar plugin's
    /// leave files out of the jar: `log4j2.xml`, `derby/**`).
    pub excludes: Vec<String>,
}

impl PomPlugin {
    pub fn artifact(&self) -> &str {
        self.artifact_id.as_ref().map_or("", |s| s.value.as_str())
    }
}

/// Where a section of the pom is, so that new children can be written
/// into it: `path` is the element path below `<project>` (profiles left
/// out), e.g. `dependencyManagement/dependencies`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PomElement {
    pub path: String,
    /// From the `<` of the start tag to the `>` of the end tag.
    pub span: Range<usize>,
    /// Where the end tag starts.
    pub end_tag: usize,
}

/// One pom.xml.
#[derive(Debug, Clone, Default)]
pub struct Pom {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    pub group_id: Option<Spanned>,
    pub artifact_id: Option<Spanned>,
    pub version: Option<Spanned>,
    pub packaging: Option<Spanned>,
    pub parent: Option<ParentRef>,
    pub properties: Vec<PomProperty>,
    pub dependencies: Vec<PomDependency>,
    pub modules: Vec<PomModule>,
    pub plugins: Vec<PomPlugin>,
    /// Profile ids, in order (`""` for a profile without one).
    pub profiles: Vec<String>,
    /// The profiles (indexes into `profiles`) active by default
    /// (`<activation><activeByDefault>true`).
    pub active_by_default: Vec<usize>,
    /// The profiles (indexes into `profiles`) a condition may activate
    /// (`<activation>` with a `<property>`, `<jdk>`, `<os>` or `<file>`).
    pub activated_by_condition: Vec<usize>,
    pub test_source_directory: Option<String>,
    /// The build's test resource folders (`<testResources><testResource>
    /// <directory>`), as written.
    pub test_resource_directories: Vec<String>,
    /// Java source folders the build declares besides or instead of
    /// `src/main/java` (`<sourceDirectory>`, build-helper's and other
    /// plugins' `<source>` folders, the compiler's `<compileSourceRoots>`,
    /// profiles' included), as written.
    pub source_directories: Vec<String>,
    /// Resource folders the build declares (`<resources><resource>
    /// <directory>`, profiles' and plugins' included), as written.
    pub resource_directories: Vec<String>,
    /// `project` itself and its sections that hold dependencies:
    /// `dependencies`, `dependencyManagement`,
    /// `dependencyManagement/dependencies`, `build`.
    pub elements: Vec<PomElement>,
    /// Every `<mainClass>` of the build (an executable jar, an assembly
    /// with a launcher): the classes whose `main()` starts the module as
    /// an application.
    pub main_classes: Vec<String>,
    /// Every Java agent class the manifest of the module's own jar names
    /// (`Premain-Class`, `Agent-Class` in a build plugin's manifest
    /// entries, not a profile's or an execution's): the JVM may start it
    /// as an agent before an application's `main`.
    pub agent_classes: Vec<String>,
}

/// A pom that could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct PomError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

impl Pom {
    /// The main classes the plugins packaging the module name (not
    /// `exec-maven-plugin`'s, which a developer runs from the build).
    pub fn packaging_main_classes(&self) -> Vec<&str> {
        self.plugins
            .iter()
            .filter(|pl| !pl.makes_nothing && pl.artifact() != "exec-maven-plugin")
            .flat_map(|pl| pl.main_classes.iter().map(String::as_str))
            .collect()
    }

    /// Whether only a profile not active by default that is named for a
    /// developer's machine, examples, tests or benchmarks lists `module`
    /// (`helium-dev`, `examples`, `it`).
    pub fn for_development(&self, module: &PomModule) -> bool {
        module.profile.is_some_and(|i| {
            !self.active_by_default.contains(&i)
                && self.profiles[i].split(['-', '_', '.']).any(|word| {
                    let word = word.to_ascii_lowercase();
                    crate::named_places::DEVELOPER_PROFILES.contains(&word.as_str())
                        || crate::deployed::is_not_service_word(&word)
                })
        })
    }

    pub fn artifact(&self) -> &str {
        self.artifact_id.as_ref().map_or("", |s| s.value.as_str())
    }

    /// The groupId, inherited from the parent when the pom has none.
    pub fn effective_group(&self) -> &str {
        self.group_id
            .as_ref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.group_id.as_ref()))
            .map_or("", |s| s.value.as_str())
    }

    /// The version, inherited from the parent when the pom has none.
    pub fn effective_version(&self) -> Option<&str> {
        self.version
            .as_ref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.version.as_ref()))
            .map(|s| s.value.as_str())
    }

    pub fn packaging(&self) -> &str {
        self.packaging.as_ref().map_or("jar", |s| s.value.as_str())
    }

    /// The section at `path` (see [`PomElement`]), outside profiles.
    pub fn element(&self, path: &str) -> Option<&PomElement> {
        self.elements.iter().find(|e| e.path == path)
    }

    /// Reads a pom from its text; `path` is used in errors and kept.
    pub fn parse(path: &str, text: &str) -> Result<Pom, PomError> {
        let err = |offset: usize, message: String| PomError {
            path: path.to_string(),
            line: podready_rules::line_of(text, offset),
            message,
        };
        let (items, syntax_error) = xml::scan_checked(text);
        let mut reader = PomReader::new(path, text);
        let mut items = items.iter();
        while let Some(item) = items.next() {
            let read = match item {
                XmlItem::Start {
                    name,
                    start,
                    empty: true,
                    ..
                } => {
                    // Its End follows; an empty element holds no value.
                    items.next();
                    reader.empty(local_name(name), *start)
                }
                XmlItem::Start {
                    name,
                    start,
                    content,
                    ..
                } => reader.open(local_name(name), *start, *content),
                XmlItem::End { start, end } => reader.close(*start, *end),
                XmlItem::Text { .. } => Ok(()),
            };
            read.map_err(|(offset, message)| err(offset, message))?;
        }
        if let Some(e) = syntax_error {
            return Err(err(e.offset, e.message));
        }
        reader
            .finish()
            .map_err(|(offset, message)| err(offset, message))
    }
}

/// What is read of a pom so far, element by element: the elements open
/// (name, where the content starts, where the start tag begins) and the
/// dependency, plugin, parent and profile being read.
struct PomReader<'t> {
    text: &'t str,
    pom: Pom,
    stack: Vec<(String, usize, usize)>,
    dep: Option<PomDependency>,
    plugin: Option<PomPlugin>,
    parent: Option<ParentRef>,
    exclusions_start: Option<usize>,
    /// The groupId and artifactId of the `<exclusion>` being read.
    exclusion: (String, String),
    profile: Option<usize>,
    saw_root: bool,
}

/// Where a pom is wrong, and why.
type Wrong = (usize, String);

impl<'t> PomReader<'t> {
    fn new(path: &str, text: &'t str) -> PomReader<'t> {
        PomReader {
            text,
            pom: Pom {
                path: path.to_string(),
                ..Pom::default()
            },
            stack: Vec::new(),
            dep: None,
            plugin: None,
            parent: None,
            exclusions_start: None,
            exclusion: (String::new(), String::new()),
            profile: None,
            saw_root: false,
        }
    }

    /// A start tag at `tag_start`, its content from `content_start`.
    fn open(&mut self, name: String, tag_start: usize, content_start: usize) -> Result<(), Wrong> {
        if self.stack.is_empty() {
            if name != "project" {
                return Err((
                    tag_start,
                    format!("the root element is <{name}>, not <project>"),
                ));
            }
            self.saw_root = true;
        }
        let path_now = names(&self.stack);
        match (path_now.as_slice(), name.as_str()) {
            (p, "dependency") if is_dependencies(p) => {
                let section = if p.contains(&"dependencyManagement") {
                    DependencySection::DependencyManagement
                } else {
                    DependencySection::Dependencies
                };
                self.dep = Some(PomDependency {
                    group_id: None,
                    artifact_id: None,
                    version: None,
                    scope: None,
                    kind: None,
                    classifier: None,
                    optional: None,
                    section,
                    profile: self.profile,
                    span: tag_start..tag_start,
                    exclusions: None,
                    excluded: Vec::new(),
                    managed_scope: None,
                });
            }
            (p, "exclusions") if self.dep.is_some() && p.last() == Some(&"dependency") => {
                self.exclusions_start = Some(tag_start);
            }
            (p, "plugin") if p.last() == Some(&"plugins") => {
                self.plugin = Some(PomPlugin {
                    group_id: None,
                    artifact_id: None,
                    version: None,
                    main_classes: Vec::new(),
                    makes_nothing: false,
                    descriptors: Vec::new(),
                    descriptor_refs: Vec::new(),
                    excludes: Vec::new(),
                });
            }
            (["project"], "parent") => {
                self.parent = Some(ParentRef {
                    group_id: None,
                    artifact_id: None,
                    version: None,
                    relative_path: None,
                });
            }
            (["project", "profiles"], "profile") => {
                self.pom.profiles.push(String::new());
                self.profile = Some(self.pom.profiles.len() - 1);
            }
            _ => {}
        }
        self.stack.push((name, content_start, tag_start));
        Ok(())
    }

    /// An empty element (`<relativePath/>`) at `tag_start`.
    fn empty(&mut self, name: String, tag_start: usize) -> Result<(), Wrong> {
        if names(&self.stack).as_slice() == ["project", "parent"] && name == "relativePath" {
            if let Some(p) = self.parent.as_mut() {
                p.relative_path = Some(String::new());
            }
        }
        if self.stack.is_empty() {
            return Err((
                tag_start,
                format!("the root element is <{name}/>, not <project>"),
            ));
        }
        Ok(())
    }

    /// The end tag of the innermost open element, from `end_start` to
    /// `after`.
    fn close(&mut self, end_start: usize, after: usize) -> Result<(), Wrong> {
        let Some((name, content_start, tag_start)) = self.stack.pop() else {
            return Err((end_start, "closing tag without an opening tag".into()));
        };
        let text = self.text;
        let value = || spanned(text, content_start, end_start);
        let parent_path = names(&self.stack);
        let p = parent_path.as_slice();
        match p.last().copied() {
            Some("dependency") if self.dep.is_some() && is_dependencies(&p[..p.len() - 1]) => {
                if let Some(d) = self.dep.as_mut() {
                    match name.as_str() {
                        "groupId" => d.group_id = Some(value()),
                        "artifactId" => d.artifact_id = Some(value()),
                        "version" => d.version = Some(value()),
                        "scope" => d.scope = Some(value()),
                        "type" => d.kind = Some(value()),
                        "classifier" => d.classifier = Some(value()),
                        "optional" => d.optional = Some(value()),
                        "exclusions" => {
                            d.exclusions = self.exclusions_start.take().map(|s| s..after)
                        }
                        _ => {}
                    }
                }
            }
            Some("exclusion") if name == "groupId" => self.exclusion.0 = value().value,
            Some("exclusion") if name == "artifactId" => self.exclusion.1 = value().value,
            Some("exclusions") if name == "exclusion" => {
                let exclusion = std::mem::take(&mut self.exclusion);
                if let Some(d) = self.dep.as_mut() {
                    d.excluded.push(exclusion);
                }
            }
            Some("plugin") if self.plugin.is_some() => {
                if let Some(pl) = self.plugin.as_mut() {
                    match name.as_str() {
                        "groupId" => pl.group_id = Some(value()),
                        "artifactId" => pl.artifact_id = Some(value()),
                        "version" => pl.version = Some(value()),
                        _ => {}
                    }
                }
            }
            Some("properties") if is_properties(p) => {
                self.pom.properties.push(PomProperty {
                    name: name.clone(),
                    value: value(),
                    profile: self.profile,
                });
            }
            Some("modules") => self.pom.modules.push(PomModule {
                path: value().value,
                profile: self.profile,
            }),
            Some("excludes") if name == "exclude" => {
                if let Some(pl) = self.plugin.as_mut() {
                    pl.excludes.push(value().value);
                }
            }
            // build-helper's `<sources><source>`, GMavenPlus'
            // `<sources><source><directory>`, Kotlin's `<sourceDirs>`.
            Some("sources") if self.plugin.is_some() && name == "source" => {
                self.pom.source_directories.push(value().value)
            }
            Some("source")
                if self.plugin.is_some()
                    && name == "directory"
                    && p.len() > 1
                    && p[p.len() - 2] == "sources" =>
            {
                self.pom.source_directories.push(value().value)
            }
            Some("sourceDirs") if self.plugin.is_some() && name == "sourceDir" => {
                self.pom.source_directories.push(value().value)
            }
            Some("compileSourceRoots") if self.plugin.is_some() && name == "compileSourceRoot" => {
                self.pom.source_directories.push(value().value)
            }
            Some("build") if name == "sourceDirectory" => {
                self.pom.source_directories.push(value().value)
            }
            // The build's own, and those build-helper's `add-resource` or
            // the resources plugin's `copy-resources` adds.
            Some("resource")
                if name == "directory" && p.len() > 1 && p[p.len() - 2] == "resources" =>
            {
                self.pom.resource_directories.push(value().value)
            }
            _ => {}
        }
        if let Some(path) = section_path(p, &name) {
            self.pom.elements.push(PomElement {
                path,
                span: tag_start..after,
                end_tag: end_start,
            });
        }
        if matches!(name.as_str(), "Premain-Class" | "Agent-Class") && is_jar_manifest(p) {
            let class = value().value;
            if !class.is_empty() {
                self.pom.agent_classes.push(class);
            }
        }
        // A protoc plugin's class (protobuf-maven-plugin's `<protocPlugin>`)
        // runs in the build, generating sources: no program of the module.
        let protoc_plugin = p.last().is_some_and(|parent| *parent == "protocPlugin");
        if name == "mainClass" && !protoc_plugin {
            let class = value().value;
            let none = class.trim().eq_ignore_ascii_case("none");
            if let Some(pl) = self.plugin.as_mut() {
                pl.makes_nothing |= none;
                if !none {
                    pl.main_classes.push(class.clone());
                }
            }
            // `exec-maven-plugin` runs its class from the build (a
            // developer's `mvn exec:java`, a step of a phase): it starts
            // no application of the module.
            let from_the_build = self
                .plugin
                .as_ref()
                .is_some_and(|pl| pl.artifact() == "exec-maven-plugin");
            if !none && !from_the_build {
                self.pom.main_classes.push(class);
            }
        }
        if name == "skip" && value().value.trim() == "true" {
            if let Some(pl) = self.plugin.as_mut() {
                pl.makes_nothing = true;
            }
        }
        if let Some(pl) = self.plugin.as_mut() {
            match name.as_str() {
                "descriptor" => pl.descriptors.push(value().value),
                "descriptorRef" => pl.descriptor_refs.push(value().value),
                _ => {}
            }
        }
        let pom = &mut self.pom;
        match (p, name.as_str()) {
            (["project"], "groupId") => pom.group_id = Some(value()),
            (["project"], "artifactId") => pom.artifact_id = Some(value()),
            (["project"], "version") => pom.version = Some(value()),
            (["project"], "packaging") => pom.packaging = Some(value()),
            (["project", "parent"], field) => {
                if let Some(par) = self.parent.as_mut() {
                    match field {
                        "groupId" => par.group_id = Some(value()),
                        "artifactId" => par.artifact_id = Some(value()),
                        "version" => par.version = Some(value()),
                        "relativePath" => par.relative_path = Some(value().value),
                        _ => {}
                    }
                }
            }
            (["project"], "parent") => pom.parent = self.parent.take(),
            (["project", "profiles", "profile"], "id") => {
                if let Some(i) = self.profile {
                    pom.profiles[i] = value().value;
                }
            }
            (["project", "profiles", "profile", "activation"], "activeByDefault") => {
                if let Some(i) = self.profile.filter(|_| value().value.trim() == "true") {
                    pom.active_by_default.push(i);
                }
            }
            (
                ["project", "profiles", "profile", "activation"],
                "property" | "jdk" | "os" | "file",
            ) => {
                if let Some(i) = self
                    .profile
                    .filter(|i| !pom.activated_by_condition.contains(i))
                {
                    pom.activated_by_condition.push(i);
                }
            }
            (["project", "profiles"], "profile") => self.profile = None,
            (["project", "build"], "testSourceDirectory") => {
                pom.test_source_directory = Some(value().value)
            }
            (["project", "build", "testResources", "testResource"], "directory") => {
                pom.test_resource_directories.push(value().value)
            }
            (_, "dependency") => {
                if let Some(mut d) = self.dep.take() {
                    d.span = tag_start..after;
                    pom.dependencies.push(d);
                }
            }
            (_, "plugin") => {
                if let Some(pl) = self.plugin.take() {
                    pom.plugins.push(pl);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The pom, once every element is read.
    fn finish(self) -> Result<Pom, Wrong> {
        if let Some((name, _, _)) = self.stack.last() {
            return Err((self.text.len(), format!("<{name}> is never closed")));
        }
        if !self.saw_root {
            return Err((0, "no <project> element".into()));
        }
        Ok(self.pom)
    }
}

/// An element's name without its prefix.
fn local_name(raw: &str) -> String {
    raw.rsplit(':').next().unwrap_or("").to_string()
}

fn names(stack: &[(String, usize, usize)]) -> Vec<&str> {
    stack.iter().map(|(n, _, _)| n.as_str()).collect()
}

/// `project/dependencies`, `project/dependencyManagement/dependencies` and
/// the same inside a profile; not plugin dependencies.
fn is_dependencies(p: &[&str]) -> bool {
    matches!(
        p,
        ["project", "dependencies"]
            | ["project", "dependencyManagement", "dependencies"]
            | ["project", "profiles", "profile", "dependencies"]
            | [
                "project",
                "profiles",
                "profile",
                "dependencyManagement",
                "dependencies"
            ]
    )
}

/// The [`PomElement`] path of an element that just ended under `parent`,
/// when it is one the rewriter writes into.
fn section_path(parent: &[&str], name: &str) -> Option<String> {
    match (parent, name) {
        ([], "project") => Some("project".into()),
        (["project"], "dependencies" | "dependencyManagement" | "build") => Some(name.into()),
        (["project", "dependencyManagement"], "dependencies") => {
            Some("dependencyManagement/dependencies".into())
        }
        _ => None,
    }
}

/// Whether `path` (an element's ancestors) is the manifest entries of the
/// module's main jar: a build plugin's `archive` (jar, assembly) or a
/// shade transformer, outside profiles and executions.
fn is_jar_manifest(path: &[&str]) -> bool {
    matches!(
        path,
        [
            "project",
            "build",
            "plugins",
            "plugin",
            "configuration",
            "archive",
            "manifestEntries"
        ] | [
            "project",
            "build",
            "plugins",
            "plugin",
            "configuration",
            "transformers",
            "transformer",
            "manifestEntries"
        ]
    )
}

fn is_properties(p: &[&str]) -> bool {
    matches!(
        p,
        ["project", "properties"] | ["project", "profiles", "profile", "properties"]
    )
}

/// The trimmed text between `start` and `end`, unescaped, with its span.
fn spanned(text: &str, start: usize, end: usize) -> Spanned {
    let raw = text.get(start..end).unwrap_or("");
    let lead = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    let value = quick_xml::escape::unescape(trimmed)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| trimmed.to_string());
    Spanned {
        value,
        span: start + lead..start + lead + trimmed.len(),
    }
}

/// Where a dependency's version comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    /// Written on the dependency (or managed entry) itself.
    Literal { pom: usize, span: Range<usize> },
    /// A property, defined in a pom of the repository.
    Property {
        name: String,
        pom: usize,
        span: Range<usize>,
    },
    /// A Maven built-in (`${project.version}`) or a property that is not
    /// defined in the repository.
    BuiltIn { name: String },
    /// Managed by `<dependencyManagement>` in a pom of the repository; the
    /// managed entry's own source follows.
    Managed {
        pom: usize,
        dependency: usize,
        source: Box<VersionSource>,
    },
    /// Managed by an imported BOM.
    Bom { pom: usize, dependency: usize },
    /// Nothing in the repository says: a parent outside it may.
    Outside { reason: String },
}

/// A dependency's version as Maven would resolve it within the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedVersion {
    /// The version text, when it could be resolved.
    pub value: Option<String>,
    pub source: VersionSource,
}

/// The poms of a repository, linked to their parents.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub poms: Vec<Pom>,
    /// For each pom, its parent's index when the parent is in the repository.
    pub parents: Vec<Option<usize>>,
}

/// Maven plugins that package a module as an application, and what the
/// deployment summary calls it.
const APPLICATION_PLUGINS: [(&str, &str); 4] = [
    ("solon-maven-plugin", "Solon"),
    ("quarkus-maven-plugin", "Quarkus"),
    ("micronaut-maven-plugin", "Micronaut"),
    ("jib-maven-plugin", "Jib image"),
];

impl Project {
    /// Whether a pom of the repository activates the profile `id` by
    /// default (`<activeByDefault>true`): a plain build runs with it.
    pub fn profile_active_by_default(&self, id: &str) -> bool {
        self.poms.iter().any(|pom| {
            pom.active_by_default
                .iter()
                .any(|&i| pom.profiles.get(i).is_some_and(|p| p == id))
        })
    }

    /// Whether a pom of the repository has a profile named for production
    /// (`online`, `prod`): the release build runs with it, whatever a plain
    /// build activates.
    pub fn has_production_profile(&self) -> bool {
        self.poms.iter().any(|pom| {
            pom.profiles
                .iter()
                .any(|p| crate::named_places::PRODUCTION_PROFILES.contains(&p.as_str()))
        })
    }

    /// Links poms to their parents; indices stay those of `poms`.
    pub fn new(poms: Vec<Pom>) -> Project {
        let by_path: HashMap<&str, usize> = poms
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.as_str(), i))
            .collect();
        let by_coords: HashMap<(&str, &str), usize> = poms
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.effective_group(), p.artifact()), i))
            .collect();
        let parents = poms
            .iter()
            .enumerate()
            .map(|(i, pom)| {
                let parent = pom.parent.as_ref()?;
                let coords = (
                    parent.group_id.as_ref().map_or("", |s| s.value.as_str()),
                    parent.artifact_id.as_ref().map_or("", |s| s.value.as_str()),
                );
                let relative = parent.relative_path.as_deref().unwrap_or("../pom.xml");
                let by_relative = (!relative.is_empty())
                    .then(|| join_relative(&pom.path, relative))
                    .and_then(|p| by_path.get(p.as_str()).copied())
                    .filter(|&j| (poms[j].effective_group(), poms[j].artifact()) == coords);
                by_relative
                    .or_else(|| by_coords.get(&coords).copied())
                    .filter(|&j| j != i)
            })
            .collect();
        let mut project = Project { poms, parents };
        project.manage_scopes();
        project
    }

    /// Gives each dependency written without a scope the one the
    /// `<dependencyManagement>` of its pom or of the nearest parent that
    /// manages the artifact gives it, as Maven does (a root managing
    /// `log4j` as `provided` makes every module's plain `log4j` provided),
    /// and each written with a property (`${scope}`) the property's value.
    fn manage_scopes(&mut self) {
        let mut managed: Vec<(usize, usize, String)> = Vec::new();
        for (pom, p) in self.poms.iter().enumerate() {
            for (i, d) in p.dependencies.iter().enumerate() {
                if let Some(written) = d.scope.as_ref().filter(|s| s.value.contains("${")) {
                    if let Some(scope) = self.interpolate(pom, &written.value) {
                        managed.push((pom, i, scope));
                    }
                    continue;
                }
                if d.section != DependencySection::Dependencies || d.scope.is_some() {
                    continue;
                }
                let nearest = self.management_entries(pom, d.group(), d.artifact()).next();
                if let Some(scope) = nearest.and_then(|(_, _, m)| m.scope.as_ref()) {
                    managed.push((pom, i, scope.value.clone()));
                }
            }
        }
        for (pom, i, scope) in managed {
            self.poms[pom].dependencies[i].managed_scope = Some(scope);
        }
    }

    /// The pom and its ancestors inside the repository, nearest first.
    pub fn lineage(&self, pom: usize) -> Vec<usize> {
        let mut out = vec![pom];
        let mut current = pom;
        while let Some(p) = self.parents.get(current).copied().flatten() {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            current = p;
        }
        out
    }

    /// A module the repository's root pom lists outside its profiles whose
    /// folder is not there (`is_dir` says which are) and no pom of the
    /// repository is: Maven cannot build the reactor. A module beside the
    /// repository (`../common`) may be checked out there.
    pub fn missing_module(&self, is_dir: &dyn Fn(&str) -> bool) -> Option<&str> {
        let root = self.poms.iter().find(|p| p.path == "pom.xml")?;
        root.modules
            .iter()
            .filter(|m| m.profile.is_none() && !climbs_out(&root.path, &m.path))
            .map(|m| m.path.trim_end_matches('/'))
            .find(|module| {
                let pom = join_relative(&root.path, module);
                let folder = pom.rsplit_once('/').map_or("", |(d, _)| d);
                !self.poms.iter().any(|p| p.path == pom) && !is_dir(folder)
            })
    }

    /// The poms of the root pom's reactor: the root and the modules it
    /// lists, in turn (profiles' too).
    pub fn root_reactor(&self) -> HashSet<usize> {
        let mut reactor = HashSet::new();
        let mut pending: Vec<usize> = self
            .poms
            .iter()
            .position(|p| p.path == "pom.xml")
            .into_iter()
            .collect();
        while let Some(i) = pending.pop() {
            if !reactor.insert(i) {
                continue;
            }
            let p = &self.poms[i];
            // `join_relative` stops at the repository's root: a module
            // beside the repository is none of its folders.
            for m in p.modules.iter().filter(|m| !climbs_out(&p.path, &m.path)) {
                let pom = join_relative(&p.path, m.path.trim_end_matches('/'));
                pending.extend(self.poms.iter().position(|q| q.path == pom));
            }
        }
        reactor
    }

    /// The folder a module's parent pom was moved out of: its parent is in
    /// no pom of the repository, the folder its relative path points at
    /// (inside the repository) is named as the parent is and holds no pom
    /// but other modules, and no aggregator lists the module (onemall's
    /// `moved/system/system-start`, whose parent `system` was
    /// `moved/system/pom.xml`). Nothing builds such a module.
    pub fn parent_moved_out(&self, pom: usize) -> Option<String> {
        let p = &self.poms[pom];
        let parent = p.parent.as_ref()?;
        if self.parents[pom].is_some() {
            return None;
        }
        let relative = parent.relative_path.as_deref().unwrap_or("../pom.xml");
        let module_dir = p.path.strip_suffix("/pom.xml")?;
        // Above the repository (a parent checked out beside it) is no
        // folder of the repository's.
        let ups = relative.split('/').filter(|s| *s == "..").count();
        if relative.is_empty() || ups >= module_dir.split('/').count() {
            return None;
        }
        let parent_pom = join_relative(&p.path, relative);
        let folder = parent_pom.strip_suffix("/pom.xml")?;
        let named =
            folder.rsplit('/').next() == parent.artifact_id.as_ref().map(|a| a.value.as_str());
        // The folder still holds the modules the parent had (a submodule
        // not checked out holds nothing).
        let modules_below = self
            .poms
            .iter()
            .filter(|q| q.path.starts_with(&format!("{folder}/")))
            .count();
        let listed = self.poms.iter().any(|a| {
            a.modules.iter().any(|m| {
                join_relative(&a.path, &m.path) == p.path
                    || m.path.trim_end_matches('/') == module_dir
            })
        });
        let absent = !self.poms.iter().any(|q| q.path == parent_pom);
        (named && absent && !listed && modules_below > 1).then(|| folder.to_string())
    }

    /// By pom: whether the repository's build leaves it out. A pom no
    /// aggregator lists, whose parent is a pom of the repository, in a
    /// folder whose own pom aggregates the folders beside it but not this
    /// one (DataSphereStudio's `dss-apps/` listing four of its five
    /// folders), is left out, and so is every module only such a pom
    /// lists. A project with a parent of its own is built on its own. A
    /// listing in a profile for a developer's machine, examples or tests
    /// (Zeppelin's `helium-dev`) does not count: the release build leaves
    /// it out.
    pub fn left_out_of_the_build(&self) -> Vec<bool> {
        let n = self.poms.len();
        let index: HashMap<&str, usize> = self
            .poms
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.as_str(), i))
            .collect();
        let mut listed_by: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (a, aggregator) in self.poms.iter().enumerate() {
            for m in aggregator
                .modules
                .iter()
                .filter(|m| !aggregator.for_development(m))
            {
                if let Some(&i) = index.get(join_relative(&aggregator.path, &m.path).as_str()) {
                    if i != a {
                        listed_by[i].push(a);
                    }
                }
            }
        }
        let mut out: Vec<bool> = (0..n)
            .map(|i| {
                let path = &self.poms[i].path;
                let Some((dir, _)) = path.rsplit_once('/') else {
                    return false;
                };
                let above = dir
                    .rsplit_once('/')
                    .map_or("pom.xml".to_string(), |(d, _)| format!("{d}/pom.xml"));
                listed_by[i].is_empty()
                    && self.parents[i].is_some()
                    && index.get(above.as_str()).is_some_and(|&a| {
                        self.poms[a].packaging() == "pom" && !self.poms[a].modules.is_empty()
                    })
            })
            .collect();
        loop {
            let before = out.clone();
            for i in 0..n {
                if !out[i] && !listed_by[i].is_empty() && listed_by[i].iter().all(|&a| before[a]) {
                    out[i] = true;
                }
            }
            if out == before {
                return out;
            }
        }
    }

    /// Whether the lineage ends in a parent that is not in the repository.
    pub fn has_outside_parent(&self, pom: usize) -> bool {
        let top = *self.lineage(pom).last().unwrap_or(&pom);
        self.poms[top].parent.is_some()
    }

    /// Finds where a property is defined: the pom itself, then its parents;
    /// in each, the main section wins over profiles.
    pub fn property(&self, pom: usize, name: &str) -> Option<(usize, &PomProperty)> {
        for p in self.lineage(pom) {
            let props = &self.poms[p].properties;
            let found = props
                .iter()
                .rev()
                .find(|x| x.name == name && x.profile.is_none())
                .or_else(|| props.iter().find(|x| x.name == name));
            if let Some(prop) = found {
                return Some((p, prop));
            }
        }
        None
    }

    /// Expands `${…}` references in a value, in the context of a pom.
    pub fn interpolate(&self, pom: usize, value: &str) -> Option<String> {
        self.interpolate_depth(pom, value, 0)
    }

    fn interpolate_depth(&self, pom: usize, value: &str, depth: usize) -> Option<String> {
        if depth > 16 {
            return None;
        }
        let mut out = String::new();
        let mut rest = value;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}')? + start;
            let name = &rest[start + 2..end];
            out.push_str(&self.property_value(pom, name, depth)?);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }

    fn property_value(&self, pom: usize, name: &str, depth: usize) -> Option<String> {
        let p = &self.poms[pom];
        match name {
            "project.version" | "pom.version" | "version" => {
                return p
                    .effective_version()
                    .and_then(|v| self.interpolate_depth(pom, v, depth + 1))
            }
            "project.groupId" | "pom.groupId" => return Some(p.effective_group().to_string()),
            "project.artifactId" | "pom.artifactId" => return Some(p.artifact().to_string()),
            "project.parent.version" => {
                return p
                    .parent
                    .as_ref()
                    .and_then(|par| par.version.as_ref())
                    .map(|v| v.value.clone())
            }
            _ => {}
        }
        // A property's own references resolve in the context of the pom
        // being built (the child), as Maven's inheritance does.
        let (_, prop) = self.property(pom, name)?;
        self.interpolate_depth(pom, &prop.value.value, depth + 1)
    }

    /// Where the version of `poms[pom].dependencies[dep]` comes from, and
    /// what it resolves to.
    pub fn resolve_version(&self, pom: usize, dep: usize) -> ResolvedVersion {
        let d = &self.poms[pom].dependencies[dep];
        match &d.version {
            Some(v) => self.resolve_text(pom, pom, v),
            None => self.resolve_managed(pom, d.group(), d.artifact()),
        }
    }

    fn resolve_text(&self, context: usize, owner: usize, v: &Spanned) -> ResolvedVersion {
        let text = v.value.trim();
        let value = self.interpolate(context, text);
        let source = match single_reference(text) {
            None => VersionSource::Literal {
                pom: owner,
                span: v.span.clone(),
            },
            Some(name) => match self.property(context, name) {
                Some((p, prop)) if !is_builtin(name) => VersionSource::Property {
                    name: name.to_string(),
                    pom: p,
                    span: prop.value.span.clone(),
                },
                _ if is_builtin(name) => VersionSource::BuiltIn {
                    name: name.to_string(),
                },
                _ if self.has_outside_parent(context) => VersionSource::Outside {
                    reason: format!(
                        "property `{name}` is not defined in the repository; the parent {} may define it",
                        self.outside_parent_name(context)
                    ),
                },
                _ => VersionSource::BuiltIn {
                    name: name.to_string(),
                },
            },
        };
        ResolvedVersion { value, source }
    }

    /// Whether a module adapts to a backend that its users choose: a
    /// library (no application of its own) whose dependencies on the
    /// artifacts `listed` accepts are all `provided` or `<optional>`, or an
    /// executable jar whose are all `provided` — not in the jar, so the
    /// JVM it runs in brings them, as for arthas' agent core inspecting
    /// the application's log4j. Gives the module's name and why, as
    /// `("nacos-log4j2-adapter", "log4j-core is provided: an application
    /// gets it only by choosing it")`.
    pub fn adapter_module(
        &self,
        pom: usize,
        listed: impl Fn(&PomDependency) -> bool,
    ) -> Option<(&str, String)> {
        // Spring Boot's jars and wars carry provided dependencies too
        // (`lib-provided`); an executable jar and an assembly do not.
        let kind = self.application_kind(pom);
        if kind.is_some_and(|k| !matches!(k, "executable jar" | "distribution")) {
            return None;
        }
        let p = &self.poms[pom];
        let backends: Vec<&PomDependency> = p
            .dependencies
            .iter()
            .filter(|d| d.section == DependencySection::Dependencies && d.scope() != "test")
            .filter(|d| listed(d))
            .collect();
        let first = backends.first()?;
        let left_to_others = |d: &&PomDependency| match kind {
            Some(_) => d.scope() == "provided",
            None => d.is_left_to_dependents(),
        };
        if !backends.iter().all(left_to_others) {
            return None;
        }
        let how = match (kind, first.scope() == "provided") {
            (Some("distribution"), _) => "provided: not in its package, what loads it brings it",
            (Some(_), _) => "provided: not in its jar, the JVM it runs in brings it",
            (None, true) => "provided: an application gets it only by choosing it",
            (None, false) => "optional: an application gets it only by choosing it",
        };
        Some((p.artifact(), format!("{} is {how}", first.artifact())))
    }

    /// What application a module's build makes, if any: a war or ear, a
    /// Spring Boot jar, an executable jar (a packaging plugin naming a main
    /// class; not `exec-maven-plugin`, which only runs one), or a
    /// distribution (an assembly of other modules of the repository).
    pub fn application_kind(&self, pom: usize) -> Option<&'static str> {
        let p = &self.poms[pom];
        if matches!(p.packaging(), "war" | "ear") {
            return Some(if p.packaging() == "war" { "war" } else { "ear" });
        }
        // A parent's plugins configure its children; it builds no jar.
        let builds_jar = p.packaging() != "pom";
        if builds_jar
            && p.plugins
                .iter()
                .any(|pl| pl.artifact() == "spring-boot-maven-plugin" && !pl.makes_nothing)
        {
            return Some("Spring Boot");
        }
        // Another framework's plugin that packages the application
        // (neutrino-proxy's Solon fat jar), or Jib's image of it.
        if let Some((_, kind)) = builds_jar
            .then(|| {
                p.plugins
                    .iter()
                    .filter(|pl| !pl.makes_nothing)
                    .find_map(|pl| {
                        APPLICATION_PLUGINS
                            .iter()
                            .find(|(artifact, _)| *artifact == pl.artifact())
                    })
            })
            .flatten()
        {
            return Some(kind);
        }
        if builds_jar
            && p.plugins.iter().any(|pl| {
                !pl.main_classes.is_empty()
                    && !pl.makes_nothing
                    && pl.artifact() != "exec-maven-plugin"
            })
        {
            return Some("executable jar");
        }
        let assembles = p
            .plugins
            .iter()
            .any(|pl| pl.artifact() == "maven-assembly-plugin");
        let uses_modules = p
            .dependencies
            .iter()
            .filter(|d| d.section == DependencySection::Dependencies)
            .any(|d| {
                let group = self
                    .interpolate(pom, d.group())
                    .unwrap_or_else(|| d.group().to_string());
                self.poms.iter().any(|other| {
                    other.artifact() == d.artifact() && other.effective_group() == group
                })
            });
        (assembles && uses_modules).then_some("distribution")
    }

    /// For a version managed elsewhere: the property this module (or a pom
    /// between it and the managing pom) overrides to set it, which is
    /// where Maven's value for this module comes from. `None` when the
    /// managed entry decides alone (it is reported and fixed where written).
    pub fn overriding_source<'r>(
        &self,
        resolved: &'r ResolvedVersion,
    ) -> Option<&'r VersionSource> {
        let VersionSource::Managed { pom, source, .. } = &resolved.source else {
            return None;
        };
        match source.as_ref() {
            inner @ VersionSource::Property { pom: defined, .. }
                if !self.lineage(*pom).contains(defined) =>
            {
                Some(inner)
            }
            _ => None,
        }
    }

    /// The managed version of an artifact for a pom: its own and its
    /// parents' `<dependencyManagement>`, then imported BOMs.
    pub fn resolve_managed(&self, pom: usize, group: &str, artifact: &str) -> ResolvedVersion {
        self.resolve_managed_within(pom, group, artifact, &|_, _| false, 0)
    }

    /// [`Project::resolve_managed`] for an SDK of the table, passing over
    /// the BOMs from outside the repository the table says do not manage
    /// it (`not_managed_by`, `group:artifact`: Spring's
    /// `spring-framework-bom` and Spring Boot's `spring-boot-dependencies`
    /// no Dubbo). The BOMs imported after them are asked, as Maven does
    /// when one does not manage the artifact. Any other BOM may: an
    /// in-house `acme-middleware-bom` manages other projects' versions.
    pub fn resolve_sdk_managed(
        &self,
        pom: usize,
        group: &str,
        artifact: &str,
        not_managed_by: &[String],
    ) -> ResolvedVersion {
        let passed = |p: usize, import: &PomDependency| {
            let bom_group = self
                .interpolate(p, import.group())
                .unwrap_or_else(|| import.group().to_string());
            not_managed_by.contains(&format!("{bom_group}:{}", import.artifact()))
        };
        self.resolve_managed_within(pom, group, artifact, &passed, 0)
    }

    /// The `<dependencyManagement>` entries of a pom and its parents for
    /// an artifact, nearest first, as (pom, dependency index, entry);
    /// imported BOMs aside.
    fn management_entries<'s>(
        &'s self,
        pom: usize,
        group: &'s str,
        artifact: &'s str,
    ) -> impl Iterator<Item = (usize, usize, &'s PomDependency)> + 's {
        self.lineage(pom).into_iter().flat_map(move |p| {
            self.poms[p]
                .dependencies
                .iter()
                .enumerate()
                .filter(move |(_, m)| {
                    m.section == DependencySection::DependencyManagement
                        && m.group() == group
                        && m.artifact() == artifact
                        && !m.is_bom_import()
                })
                .map(move |(i, m)| (p, i, m))
        })
    }

    fn resolve_managed_within(
        &self,
        pom: usize,
        group: &str,
        artifact: &str,
        passed: &dyn Fn(usize, &PomDependency) -> bool,
        depth: usize,
    ) -> ResolvedVersion {
        for (p, i, m) in self.management_entries(pom, group, artifact) {
            if let Some(v) = &m.version {
                let inner = self.resolve_text(pom, p, v);
                return ResolvedVersion {
                    value: inner.value,
                    source: VersionSource::Managed {
                        pom: p,
                        dependency: i,
                        source: Box::new(inner.source),
                    },
                };
            }
        }
        // BOM imports in Maven's order, the first that manages the artifact
        // winning. One of the repository itself (`seata-dependencies`
        // imported at `${project.version}`) is read like the rest of the
        // repository; an outside one may manage it, so it ends the search.
        for p in self.lineage(pom) {
            for (i, m) in self.poms[p].dependencies.iter().enumerate() {
                if !m.is_bom_import() {
                    continue;
                }
                let Some(bom) = self.repository_bom(p, m) else {
                    if passed(p, m) {
                        continue;
                    }
                    return ResolvedVersion {
                        value: None,
                        source: VersionSource::Bom {
                            pom: p,
                            dependency: i,
                        },
                    };
                };
                if depth >= 8 {
                    continue;
                }
                let found = self.resolve_managed_within(bom, group, artifact, passed, depth + 1);
                if !matches!(found.source, VersionSource::Outside { .. }) {
                    return found;
                }
            }
        }
        ResolvedVersion {
            value: None,
            source: VersionSource::Outside {
                reason: if self.has_outside_parent(pom) {
                    format!(
                        "no version in the repository; the parent {} may manage it",
                        self.outside_parent_name(pom)
                    )
                } else {
                    "no version is declared or managed in the repository".into()
                },
            },
        }
    }

    /// The repository's own pom a BOM import in pom `p` names: the same
    /// group and artifact, and the same version where both resolve.
    fn repository_bom(&self, p: usize, import: &PomDependency) -> Option<usize> {
        let group = self.interpolate(p, import.group())?;
        let wanted = import
            .version
            .as_ref()
            .and_then(|v| self.interpolate(p, v.value.trim()));
        (0..self.poms.len()).find(|&j| {
            let candidate = &self.poms[j];
            let version = candidate
                .effective_version()
                .and_then(|v| self.interpolate(j, v));
            candidate.effective_group() == group
                && candidate.artifact() == import.artifact()
                && (wanted.is_none() || version.is_none() || wanted == version)
        })
    }

    /// The BOMs from outside the repository a pom's managed versions may
    /// come from, in the order Maven asks them, from the import at
    /// (`pom`, `dependency`) on: the first that manages an artifact wins,
    /// and the gate cannot read any of them.
    pub fn outside_boms_from(
        &self,
        of: usize,
        pom: usize,
        dependency: usize,
    ) -> Vec<&PomDependency> {
        self.bom_imports(of)
            .into_iter()
            .skip_while(|&at| at != (pom, dependency))
            .filter(|&(p, d)| {
                self.repository_bom(p, &self.poms[p].dependencies[d])
                    .is_none()
            })
            .map(|(p, d)| &self.poms[p].dependencies[d])
            .collect()
    }

    /// The BOMs imported in a pom's `<dependencyManagement>` and its
    /// parents', as `(pom, dependency)`.
    pub fn bom_imports(&self, pom: usize) -> Vec<(usize, usize)> {
        self.lineage(pom)
            .into_iter()
            .flat_map(|p| {
                self.poms[p]
                    .dependencies
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.is_bom_import())
                    .map(move |(i, _)| (p, i))
            })
            .collect()
    }

    /// The major version of Spring Boot a module builds with: the
    /// version of a Spring Boot dependency it declares (written, or
    /// managed in the repository), its lineage's parent outside the
    /// repository when that is Spring Boot's (`spring-boot-starter-parent`),
    /// or an imported `spring-boot-dependencies` BOM; else the one
    /// `spring-cloud-build` as that parent goes with.
    pub fn spring_boot_major(&self, pom: usize) -> Option<u32> {
        const BOOT: &str = "org.springframework.boot";
        let major = |version: &str| version.trim().split('.').next()?.parse::<u32>().ok();
        let lineage = self.lineage(pom);
        let declared = lineage.iter().flat_map(|&p| {
            self.poms[p]
                .dependencies
                .iter()
                .enumerate()
                .filter(|(_, d)| d.group() == BOOT && d.artifact().starts_with("spring-boot"))
                .map(move |(i, _)| (p, i))
        });
        let top = *lineage.last().unwrap_or(&pom);
        let outside_parent = self.poms[top].parent.as_ref();
        let parent = outside_parent
            .filter(|p| p.group_id.as_ref().is_some_and(|g| g.value == BOOT))
            .and_then(|p| p.version.as_ref())
            .map(|v| v.value.clone());
        // Spring Cloud's own projects (Gateway, OpenFeign, Netflix) build
        // on `spring-cloud-build`, whose major version follows Boot's:
        // 1 on Boot 1, 2 and 3 on Boot 2, 4 on Boot 3, 5 on Boot 4.
        let cloud_build = outside_parent
            .filter(|p| {
                p.group_id
                    .as_ref()
                    .is_some_and(|g| g.value == "org.springframework.cloud")
                    && p.artifact_id
                        .as_ref()
                        .is_some_and(|a| a.value == "spring-cloud-build")
            })
            .and_then(|p| major(&p.version.as_ref()?.value))
            .map(|cloud| match cloud {
                0 | 1 => 1,
                2 | 3 => 2,
                n => n - 1,
            });
        let bom = self
            .bom_imports(pom)
            .into_iter()
            .filter(|&(p, i)| self.poms[p].dependencies[i].group() == BOOT)
            .collect::<Vec<_>>();
        declared
            .chain(bom)
            .filter_map(|(p, i)| self.resolve_version(p, i).value)
            .chain(parent)
            .find_map(|v| major(&v))
            .or(cloud_build)
    }

    fn outside_parent_name(&self, pom: usize) -> String {
        let top = *self.lineage(pom).last().unwrap_or(&pom);
        self.poms[top]
            .parent
            .as_ref()
            .map(|p| {
                format!(
                    "{}:{}:{}",
                    p.group_id.as_ref().map_or("?", |s| s.value.as_str()),
                    p.artifact_id.as_ref().map_or("?", |s| s.value.as_str()),
                    p.version.as_ref().map_or("?", |s| s.value.as_str())
                )
            })
            .unwrap_or_default()
    }
}

/// The profiles a text passes to Maven: the comma-separated ids after
/// each `-P` (glued or after a space), a leading `!` or `-` (switching
/// one off) left out.
pub(crate) fn maven_profile_args(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for (at, _) in text.match_indices("-P") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| !c.is_whitespace() && c != '"' && c != '\'') {
            continue;
        }
        let rest = text[at + 2..].trim_start_matches(' ');
        let list = rest
            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '&' | '|' | ')'))
            .next()
            .unwrap_or("");
        ids.extend(
            list.split(',')
                .filter(|id| !id.starts_with(['!', '-']) && !id.is_empty())
                .map(str::to_string),
        );
    }
    ids
}

fn is_builtin(name: &str) -> bool {
    name.starts_with("project.")
        || name.starts_with("pom.")
        || name.starts_with("env.")
        || name.starts_with("settings.")
        || matches!(name, "version" | "basedir" | "maven.build.timestamp")
}

/// `name` when the text is exactly `${name}`.
fn single_reference(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("${")?.strip_suffix('}')?;
    (!inner.contains("${") && !inner.contains('}')).then_some(inner)
}

/// `a/b/pom.xml` + `../pom.xml` → `a/pom.xml`; a directory gets `/pom.xml`.
/// Whether a path relative to a pom's folder climbs above the
/// repository's root (`../common` from the root pom; not `../core` from
/// `parent/pom.xml`).
fn climbs_out(pom_path: &str, relative: &str) -> bool {
    let mut depth = pom_path.matches('/').count();
    for seg in relative.split('/') {
        match seg {
            "" | "." => {}
            ".." if depth == 0 => return true,
            ".." => depth -= 1,
            _ => depth += 1,
        }
    }
    false
}

fn join_relative(pom_path: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = pom_path.split('/').collect();
    parts.pop();
    for seg in relative.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if joined.ends_with(".xml") {
        joined
    } else if joined.is_empty() {
        "pom.xml".to_string()
    } else {
        format!("{joined}/pom.xml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_a_command_line_passes() {
        let script = "./mvnw -B -Pdist,!hadoop3 package\nmvn -P release,-snapshot deploy\nexport JAVA_OPTS=-Pnot\necho \"-Pquoted\"";
        assert_eq!(maven_profile_args(script), ["dist", "release", "quoted"]);
    }

    #[test]
    fn profiles_active_by_default_are_known_by_id() {
        let pom = Pom::parse(
            "pom.xml",
            "<project><artifactId>a</artifactId><profiles>\
             <profile><activation><activeByDefault>true</activeByDefault></activation><id>dev</id></profile>\
             <profile><id>prod</id><activation><activeByDefault>false</activeByDefault></activation></profile>\
             </profiles></project>",
        )
        .unwrap();
        let project = Project::new(vec![pom]);
        assert!(project.profile_active_by_default("dev"));
        assert!(!project.profile_active_by_default("prod"));
        assert!(!project.profile_active_by_default("local"));
    }

    #[test]
    fn agent_classes_come_from_the_main_jars_manifest_only() {
        let pom = |build: &str| {
            Pom::parse(
                "pom.xml",
                &format!("<project><artifactId>a</artifactId>{build}</project>"),
            )
            .unwrap()
            .agent_classes
        };
        let entries = |entries: &str| {
            format!("<configuration><archive><manifestEntries>{entries}</manifestEntries></archive></configuration>")
        };
        let jar = |inner: &str| {
            format!("<build><plugins><plugin><artifactId>maven-jar-plugin</artifactId>{inner}</plugin></plugins></build>")
        };
        assert_eq!(
            pom(&jar(&entries("<Premain-Class> a.Agent </Premain-Class>"))),
            ["a.Agent"]
        );
        assert_eq!(
            pom(&jar(&entries("<Agent-Class>a.Agent</Agent-Class>"))),
            ["a.Agent"]
        );
        // An application jar that starts an agent is an application.
        assert!(pom(&jar(&entries(
            "<Launcher-Agent-Class>a.A</Launcher-Agent-Class>"
        )))
        .is_empty());
        assert!(pom(&jar(&entries("<Premain-Class></Premain-Class>"))).is_empty());
        // A second jar of an execution, a profile, a property: not the module's jar.
        let execution = format!(
            "<executions><execution><id>agent</id>{}</execution></executions>",
            entries("<Premain-Class>a.Agent</Premain-Class>")
        );
        assert!(pom(&jar(&execution)).is_empty());
        let profile = format!(
            "<profiles><profile><id>agent</id>{}</profile></profiles>",
            jar(&entries("<Premain-Class>a.Agent</Premain-Class>"))
        );
        assert!(pom(&profile).is_empty());
        assert!(pom("<properties><Premain-Class>a.Agent</Premain-Class></properties>").is_empty());
        let shade = "<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration><transformers><transformer><manifestEntries><Premain-Class>a.Agent</Premain-Class></manifestEntries></transformer></transformers></configuration></plugin></plugins></build>";
        assert_eq!(pom(shade), ["a.Agent"]);
    }

    const PARENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project>
  <groupId>com.acme</groupId>
  <artifactId>parent</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <modules><module>child</module></modules>
  <properties>
    <zk.version>3.4.8</zk.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>com.alibaba</groupId>
        <artifactId>dubbo</artifactId>
        <version>2.6.2</version>
        <exclusions><exclusion><groupId>x</groupId><artifactId>y</artifactId></exclusion></exclusions>
      </dependency>
    </dependencies>
  </dependencyManagement>
</project>
"#;

    const CHILD: &str = r#"<project>
  <parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>1.0</version></parent>
  <artifactId>child</artifactId>
  <dependencies>
    <!-- <dependency><groupId>old</groupId><artifactId>old</artifactId></dependency> -->
    <dependency><groupId>org.apache.zookeeper</groupId><artifactId>zookeeper</artifactId><version>${zk.version}</version></dependency>
    <dependency><groupId>com.alibaba</groupId><artifactId>dubbo</artifactId></dependency>
    <dependency><groupId>com.acme</groupId><artifactId>api</artifactId><version>${project.version}</version></dependency>
  </dependencies>
</project>
"#;

    fn project() -> Project {
        Project::new(vec![
            Pom::parse("pom.xml", PARENT).unwrap(),
            Pom::parse("child/pom.xml", CHILD).unwrap(),
        ])
    }

    #[test]
    fn a_module_missing_is_one_with_neither_pom_nor_folder() {
        let root = "<project><groupId>g</groupId><artifactId>root</artifactId><version>1</version><packaging>pom</packaging><modules><module>core</module><module>ledger/</module><module>tools/pom-tools.xml</module></modules><profiles><profile><id>it</id><modules><module>it</module></modules></profile></profiles></project>";
        let core = "<project><artifactId>core</artifactId></project>";
        let tools = "<project><artifactId>tools</artifactId></project>";
        let p = Project::new(vec![
            Pom::parse("pom.xml", root).unwrap(),
            Pom::parse("core/pom.xml", core).unwrap(),
            Pom::parse("tools/pom-tools.xml", tools).unwrap(),
        ]);
        // A profile's module builds only with the profile.
        assert_eq!(p.missing_module(&|_| false), Some("ledger"));
        // A folder there (a submodule not checked out) is no missing one.
        assert_eq!(p.missing_module(&|folder| folder == "ledger"), None);
        assert_eq!(p.root_reactor().len(), 3);
        assert!(climbs_out("pom.xml", "../common"));
        assert!(!climbs_out("parent/pom.xml", "../core"));
        assert!(climbs_out("parent/pom.xml", "../../common"));
    }

    #[test]
    fn a_scope_left_out_is_the_nearest_managements() {
        let root = "<project><groupId>g</groupId><artifactId>root</artifactId><version>1</version><dependencyManagement><dependencies><dependency><groupId>log4j</groupId><artifactId>log4j</artifactId><version>1.2.17</version><optional>true</optional><scope>provided</scope></dependency><dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13</version><scope>test</scope></dependency></dependencies></dependencyManagement></project>";
        let core = "<project><parent><groupId>g</groupId><artifactId>root</artifactId><version>1</version></parent><artifactId>core</artifactId><dependencies><dependency><groupId>log4j</groupId><artifactId>log4j</artifactId></dependency><dependency><groupId>junit</groupId><artifactId>junit</artifactId><scope>compile</scope></dependency></dependencies></project>";
        // A nearer management without a scope wins: compile.
        let web = "<project><parent><groupId>g</groupId><artifactId>root</artifactId><version>1</version></parent><artifactId>web</artifactId><dependencyManagement><dependencies><dependency><groupId>log4j</groupId><artifactId>log4j</artifactId><version>1.2.17</version></dependency></dependencies></dependencyManagement><dependencies><dependency><groupId>log4j</groupId><artifactId>log4j</artifactId></dependency></dependencies></project>";
        let p = Project::new(vec![
            Pom::parse("pom.xml", root).unwrap(),
            Pom::parse("core/pom.xml", core).unwrap(),
            Pom::parse("web/pom.xml", web).unwrap(),
        ]);
        let scopes = |pom: usize| -> Vec<&str> {
            p.poms[pom]
                .dependencies
                .iter()
                .filter(|d| d.section == DependencySection::Dependencies)
                .map(|d| d.scope())
                .collect()
        };
        assert_eq!(scopes(1), ["provided", "compile"]);
        assert_eq!(scopes(2), ["compile"]);
    }

    #[test]
    fn spans_point_at_the_text() {
        let pom = Pom::parse("pom.xml", PARENT).unwrap();
        let d = &pom.dependencies[0];
        let v = d.version.as_ref().unwrap();
        assert_eq!(&PARENT[v.span.clone()], "2.6.2");
        assert_eq!(d.group(), "com.alibaba");
        assert!(PARENT[d.span.clone()].starts_with("<dependency>"));
        assert!(PARENT[d.span.clone()].ends_with("</dependency>"));
        assert!(PARENT[d.exclusions.clone().unwrap()].starts_with("<exclusions>"));
        assert_eq!(d.excluded, [("x".to_string(), "y".to_string())]);
        assert_eq!(pom.properties[0].name, "zk.version");
        assert_eq!(pom.modules[0].path, "child");
    }

    #[test]
    fn commented_out_dependencies_are_not_read() {
        let pom = Pom::parse("child/pom.xml", CHILD).unwrap();
        assert_eq!(pom.dependencies.len(), 3);
        assert!(pom.dependencies.iter().all(|d| d.group() != "old"));
    }

    #[test]
    fn property_in_parent_resolves() {
        let p = project();
        assert_eq!(p.parents, [None, Some(0)]);
        let r = p.resolve_version(1, 0);
        assert_eq!(r.value.as_deref(), Some("3.4.8"));
        assert!(matches!(r.source, VersionSource::Property { pom: 0, .. }));
    }

    #[test]
    fn managed_version_resolves_to_the_parent_entry() {
        let p = project();
        let r = p.resolve_version(1, 1);
        assert_eq!(r.value.as_deref(), Some("2.6.2"));
        assert!(matches!(
            r.source,
            VersionSource::Managed {
                pom: 0,
                dependency: 0,
                ..
            }
        ));
    }

    #[test]
    fn builtins_are_not_properties() {
        let p = project();
        let r = p.resolve_version(1, 2);
        assert_eq!(r.value.as_deref(), Some("1.0"));
        assert!(matches!(r.source, VersionSource::BuiltIn { .. }));
    }

    #[test]
    fn a_packaging_plugin_told_to_find_no_main_class_makes_no_application() {
        let pom = |plugin: &str| {
            format!(
                "<project><artifactId>limits</artifactId><build><plugins><plugin>{plugin}</plugin></plugins></build></project>"
            )
        };
        let kind = |plugin: &str| {
            Project::new(vec![Pom::parse("pom.xml", &pom(plugin)).unwrap()]).application_kind(0)
        };
        let boot = "<groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId>";
        assert_eq!(kind(boot), Some("Spring Boot"));
        // A library's way out of `Unable to find main class`.
        let none = format!("{boot}<configuration><mainClass>none</mainClass><classifier>execute</classifier></configuration>");
        assert_eq!(kind(&none), None);
        let skipped = format!("{boot}<configuration><skip>true</skip></configuration>");
        assert_eq!(kind(&skipped), None);
        let jar = "<artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest><mainClass>com.acme.Limits</mainClass></manifest></archive></configuration>";
        assert_eq!(kind(jar), Some("executable jar"));
        assert_eq!(kind(&jar.replace("com.acme.Limits", "NONE")), None);
        // Other frameworks' packaging, and an image of the module.
        let solon = "<groupId>org.noear</groupId><artifactId>solon-maven-plugin</artifactId>";
        assert_eq!(kind(solon), Some("Solon"));
        let jib =
            "<groupId>com.google.cloud.tools</groupId><artifactId>jib-maven-plugin</artifactId>";
        assert_eq!(kind(jib), Some("Jib image"));
        assert_eq!(
            kind(&format!(
                "{jib}<configuration><skip>true</skip></configuration>"
            )),
            None
        );
    }

    #[test]
    fn malformed_pom_reports_line() {
        let e = Pom::parse(
            "pom.xml",
            "<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>",
        )
        .unwrap_err();
        assert_eq!(e.path, "pom.xml");
        assert!(e.line >= 3, "{e}");
    }

    #[test]
    fn a_malformed_attribute_is_a_malformed_pom() {
        let e = Pom::parse(
            "pom.xml",
            "<project>\n  <dependencies a=\"1\" a=\"2\">\n  </dependencies>\n</project>",
        )
        .unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(join_relative("a/b/pom.xml", "../pom.xml"), "a/pom.xml");
        assert_eq!(join_relative("a/pom.xml", "../parent"), "parent/pom.xml");
        assert_eq!(join_relative("pom.xml", "../pom.xml"), "pom.xml");
    }
}
