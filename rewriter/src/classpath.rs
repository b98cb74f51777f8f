//! The second round of `fix`: edits planned from what Maven resolved, not
//! from what the pom text says. A build that passes can still start with
//! log4j 1 next to its bridge, two SLF4J bindings, an old ZooKeeper that
//! curator brings, or a Dubbo family split across versions; each of those
//! is visible only on the resolved tree of a module.

use std::collections::{BTreeMap, HashMap};

use podready_analyzer::pom::{DependencySection, VersionSource};
use podready_analyzer::version::{in_range, MavenVersion};
use podready_analyzer::PomSet;
use podready_maven::{ModuleTree, Resolution, ResolvedArtifact};
use podready_rules::{Replacement, RulePack, SdkEntry, TransitivePolicy};

use crate::edit::TextEdit;
use crate::element::{self, XmlNode};
use crate::plan::{coords, Change, FixPlan, PlannedChange, Planner, VersionEdit};

const LOGBACK: &str = "ch.qos.logback:logback-classic";
const SLF4J_API: &str = "org.slf4j:slf4j-api";

/// Plans the edits that make every module's resolved run-time classpath
/// right: legacy logging backends excluded where they enter, logback and
/// the bridges present in deployable modules, SLF4J at a version logback
/// binds, old SDKs that arrive transitively pinned or reported, SDK
/// families on one version. `set` is the project as Maven resolved it.
pub fn plan_classpath(set: &PomSet, pack: &RulePack, resolution: &Resolution) -> FixPlan {
    let mut planner = Planner::new(set, pack);
    let mut intents = Intents::default();
    for p in 0..set.project.poms.len() {
        let pom = &set.project.poms[p];
        if set.is_test[p] || pom.packaging() == "pom" {
            continue;
        }
        if let Some(tree) = resolution.module(pom.effective_group(), pom.artifact()) {
            planner.module(p, tree, &mut intents);
        }
    }
    planner.finish_versions();
    planner.write(intents);
    planner.finish()
}

/// Whether a module runs as an application (see
/// [`podready_analyzer::pom::Project::application_kind`]).
pub fn is_deployable(set: &PomSet, pom: usize) -> bool {
    set.project.application_kind(pom).is_some()
}

/// What to write, gathered over all modules so that one element gets one
/// edit however many modules need it.
#[derive(Default)]
struct Intents {
    /// `(pom, dependency)` → artifacts to exclude, with the path each came by.
    exclusions: BTreeMap<(usize, usize), Vec<Exclusion>>,
    /// pom → dependencies to add.
    additions: BTreeMap<usize, Vec<Addition>>,
    /// pom → managed versions to add.
    pins: BTreeMap<usize, Vec<Pin>>,
}

struct Exclusion {
    /// `group:artifact`.
    artifact: String,
    /// How it arrives, for the reviewer.
    path: String,
    why: String,
}

struct Addition {
    group: String,
    artifact: String,
    version: Option<String>,
    why: String,
}

struct Pin {
    group: String,
    artifact: String,
    from: String,
    to: String,
    why: String,
}

fn key(a: &ResolvedArtifact) -> String {
    a.key()
}

fn show_path(path: &[&ResolvedArtifact]) -> String {
    path.iter()
        .map(|a| format!("{} {}", a.artifact, a.version))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn split(key: &str) -> (&str, &str) {
    key.split_once(':').unwrap_or(("", key))
}

impl<'a> Planner<'a> {
    fn module(&mut self, p: usize, tree: &ModuleTree, intents: &mut Intents) {
        let paths = tree.runtime_paths();
        let mut present: HashMap<String, String> = paths
            .iter()
            .filter_map(|path| path.last())
            .map(|a| (key(a), a.version.clone()))
            .collect();
        let deployable = is_deployable(self.set, p);
        let mut excluded: Vec<&'a SdkEntry> = Vec::new();
        // An adapter module's backends are what it is for.
        let backend_paths = if self.is_adapter(p) {
            &paths[..0]
        } else {
            &paths[..]
        };

        for path in backend_paths {
            let Some(last) = path.last() else { continue };
            let Some(backend) = self
                .pack
                .legacy_backends()
                .find(|e| e.group == last.group && e.artifact == last.artifact)
            else {
                continue;
            };
            if path.len() == 1 {
                let line = self.module_line(p);
                self.manual_at(
                    p,
                    line,
                    key(last),
                    format!("{} {} is still a direct dependency on the resolved classpath (declared where podready cannot edit it, such as a parent outside the repository); replace it with logback", key(last), last.version),
                );
                continue;
            }
            self.exclude_where_it_enters(p, path, backend, intents);
            present.remove(&key(last));
            if !excluded.contains(&backend) {
                excluded.push(backend);
            }
        }

        if deployable {
            self.complete_logging(p, &present, &excluded, intents);
        }
        self.transitive_sdks(p, &paths, intents);
        if deployable {
            self.check_requirements(p, &present, intents);
        }
    }

    /// The line of a module's own `<artifactId>`, for items about the
    /// module as a whole.
    fn module_line(&self, p: usize) -> usize {
        let pom = &self.project.poms[p];
        pom.artifact_id
            .as_ref()
            .map_or(1, |a| self.line(p, a.span.start))
    }

    /// The pom index of a module of this repository, by coordinates.
    fn reactor_module(&self, a: &ResolvedArtifact) -> Option<usize> {
        self.project
            .poms
            .iter()
            .position(|q| q.effective_group() == a.group && q.artifact() == a.artifact)
    }

    /// Where module `q` (or a parent of it in the repository) declares
    /// `group:artifact` in its `<dependencies>`: `(pom, dependency)`.
    fn declaration(&self, q: usize, group: &str, artifact: &str) -> Option<(usize, usize)> {
        let mut found = None;
        for r in self.project.lineage(q) {
            for (i, d) in self.project.poms[r].dependencies.iter().enumerate() {
                if d.section != DependencySection::Dependencies {
                    continue;
                }
                let value = |v: &str| {
                    if v.contains("${") {
                        self.project.interpolate(r, v).unwrap_or_default()
                    } else {
                        v.to_string()
                    }
                };
                if value(d.group()) == group && value(d.artifact()) == artifact {
                    if d.profile.is_none() {
                        return Some((r, i));
                    }
                    found = found.or(Some((r, i)));
                }
            }
        }
        found
    }

    /// Where an artifact enters a module's classpath from outside the
    /// repository: the last module of this repository on the path (`p`
    /// itself when there is none) and the index on the path of the
    /// dependency that leads out of it.
    fn entry_point(&self, p: usize, path: &[&ResolvedArtifact]) -> (usize, usize) {
        let last = path.len() - 1;
        path[..last]
            .iter()
            .rposition(|a| self.reactor_module(a).is_some())
            .and_then(|i| Some((self.reactor_module(path[i])?, i + 1)))
            .unwrap_or((p, 0))
    }

    /// An `<exclusion>` on the declaration that brings a legacy backend:
    /// in the last module of this repository on the path, on the
    /// dependency that leads out of it.
    fn exclude_where_it_enters(
        &mut self,
        p: usize,
        path: &[&ResolvedArtifact],
        backend: &SdkEntry,
        intents: &mut Intents,
    ) {
        let last = path.len() - 1;
        let (owner, from) = self.entry_point(p, path);
        let entry = path[from];
        let Some((r, d)) = self.declaration(owner, &entry.group, &entry.artifact) else {
            let line = self.module_line(owner);
            self.manual_at(
                owner,
                line,
                key(entry),
                format!(
                    "brings {} ({}); it is declared outside the repository, so exclude {} where it is declared",
                    key(path[last]),
                    show_path(path),
                    key(path[last])
                ),
            );
            return;
        };
        let list = intents.exclusions.entry((r, d)).or_default();
        let artifact = key(path[last]);
        if list.iter().all(|x| x.artifact != artifact) {
            list.push(Exclusion {
                artifact,
                path: show_path(path),
                why: backend.why.clone(),
            });
        }
    }

    /// A deployable module without its legacy backend still needs the
    /// bridge that keeps the old API working and logback to write.
    fn complete_logging(
        &mut self,
        p: usize,
        present: &HashMap<String, String>,
        excluded: &[&SdkEntry],
        intents: &mut Intents,
    ) {
        let mut wanted: Vec<(&Replacement, String)> = Vec::new();
        for backend in excluded {
            for r in &backend.replace_with {
                let why = format!(
                    "{}:{} was excluded from the classpath; {}",
                    backend.group, backend.artifact, backend.why
                );
                wanted.push((r, why));
            }
        }
        let logs_through_slf4j = present.contains_key(SLF4J_API);
        if logs_through_slf4j || !excluded.is_empty() {
            if let Some(r) = self.logback_for(present.get(SLF4J_API).map(String::as_str)) {
                wanted.push((
                    r,
                    "The application logs through SLF4J; the standard backend is logback, and without a binding SLF4J drops every log line.".into(),
                ));
            }
        }
        for (r, why) in wanted {
            let k = format!("{}:{}", r.group, r.artifact);
            if present.contains_key(&k) {
                continue;
            }
            let list = intents.additions.entry(p).or_default();
            if list
                .iter()
                .any(|a| format!("{}:{}", a.group, a.artifact) == k)
            {
                continue;
            }
            let managed = matches!(
                self.project
                    .resolve_managed(p, &r.group, &r.artifact)
                    .source,
                VersionSource::Managed { .. }
            );
            let version = if k == LOGBACK {
                self.logback_for(present.get(SLF4J_API).map(String::as_str))
                    .and_then(|l| l.version.clone())
            } else {
                r.version.clone()
            };
            // A replacement of the same release as what was excluded
            // (Spring Boot's logging starter) has no version of its own:
            // where nothing manages it, logback, added beside it, writes.
            if version.is_none() && !managed {
                continue;
            }
            list.push(Addition {
                group: r.group.clone(),
                artifact: r.artifact.clone(),
                version: if managed { None } else { version },
                why,
            });
        }
    }

    /// The logback-classic the pack offers that binds the SLF4J version on
    /// the classpath (the first one when there is none).
    fn logback_for(&self, slf4j: Option<&str>) -> Option<&'a Replacement> {
        let pack = self.pack;
        let mut candidates = pack
            .legacy_backends()
            .flat_map(|e| &e.replace_with)
            .filter(|r| format!("{}:{}", r.group, r.artifact) == LOGBACK);
        let first = candidates.next();
        let Some(slf4j) = slf4j else {
            return first;
        };
        // An SLF4J no candidate binds (1.6) is raised by the pairing check
        // afterwards, for the first candidate.
        first
            .into_iter()
            .chain(candidates)
            .find(|r| {
                pack.requires.iter().any(|req| {
                    req.when == LOGBACK
                        && req.needs == SLF4J_API
                        && r.version
                            .as_deref()
                            .is_some_and(|v| in_range(v, &req.versions))
                        && in_range(slf4j, &req.needs_versions)
                })
            })
            .or(first)
    }

    /// Old SDK versions that arrive through another dependency, and family
    /// members at another version than the family's SDK.
    fn transitive_sdks(
        &mut self,
        p: usize,
        paths: &[Vec<&ResolvedArtifact>],
        intents: &mut Intents,
    ) {
        for path in paths.iter().filter(|path| path.len() >= 2) {
            let Some(last) = path.last() else { continue };
            let Some((entry, member)) = self.sdk_of(&last.group, &last.artifact) else {
                continue;
            };
            let (Some(min), Some(target)) = (&entry.min_version, &entry.target_version) else {
                continue;
            };
            let version = MavenVersion::parse(&last.version);
            let behind = if member {
                let head = paths
                    .iter()
                    .filter_map(|q| q.last())
                    .find(|a| a.group == entry.group && a.artifact == entry.artifact);
                version < MavenVersion::parse(min)
                    || head.is_some_and(|h| h.version != last.version)
                        && version < MavenVersion::parse(target)
            } else {
                version < MavenVersion::parse(min)
            };
            if !behind {
                continue;
            }
            let why = if member {
                format!(
                    "Released with {}:{}; one version of the family on the classpath. {}",
                    entry.group, entry.artifact, entry.why
                )
            } else {
                entry.why.clone()
            };
            match entry.transitive {
                TransitivePolicy::Pin => self.set_version(p, last, target, why, intents),
                TransitivePolicy::Report => {
                    // Said once, where it enters the repository's modules.
                    let (owner, from) = self.entry_point(p, path);
                    let entry = path[from];
                    let line = match self.declaration(owner, &entry.group, &entry.artifact) {
                        Some((r, d)) if r == owner => {
                            self.dep_line(r, &self.project.poms[r].dependencies[d])
                        }
                        _ => self.module_line(owner),
                    };
                    self.manual_at(
                        owner,
                        line,
                        key(last),
                        format!(
                            "{} arrives transitively ({}) and is older than the container-ready {min}; upgrade {} to a release that brings {} {target} or later",
                            key(last),
                            show_path(&path[from..]),
                            entry.artifact,
                            last.artifact
                        ),
                    );
                }
            }
        }
    }

    /// Run-time pairings from the pack (logback ↔ SLF4J) on the classpath
    /// as it will be.
    fn check_requirements(
        &mut self,
        p: usize,
        present: &HashMap<String, String>,
        intents: &mut Intents,
    ) {
        let pack = self.pack;
        let added: HashMap<String, String> = intents
            .additions
            .get(&p)
            .into_iter()
            .flatten()
            .filter_map(|a| Some((format!("{}:{}", a.group, a.artifact), a.version.clone()?)))
            .collect();
        let version_of = |k: &str| present.get(k).or_else(|| added.get(k)).cloned();
        for req in &pack.requires {
            let Some(when) = version_of(&req.when) else {
                continue;
            };
            if !in_range(&when, &req.versions) {
                continue;
            }
            let Some(needs) = present.get(&req.needs) else {
                continue;
            };
            if in_range(needs, &req.needs_versions) {
                continue;
            }
            let (group, artifact) = split(&req.needs);
            if MavenVersion::parse(needs) > MavenVersion::parse(&req.pin) {
                let line = self.module_line(p);
                self.manual_at(
                    p,
                    line,
                    req.needs.clone(),
                    format!(
                        "{} {when} is on the classpath with {} {needs}: {} Upgrade {} to a release for {artifact} {needs} (podready never downgrades)",
                        req.when, req.needs, req.why, req.when
                    ),
                );
                continue;
            }
            let observed = ResolvedArtifact {
                group: group.to_string(),
                artifact: artifact.to_string(),
                version: needs.clone(),
                kind: "jar".into(),
                classifier: String::new(),
                scope: "compile".into(),
                optional: false,
            };
            let why = format!(
                "{} {when} needs {} in {}: {}",
                req.when, req.needs, req.needs_versions, req.why
            );
            self.set_version(p, &observed, &req.pin, why, intents);
        }
    }

    /// Makes `to` the version of an artifact on module `p`'s classpath:
    /// where the repository already declares or manages it, there;
    /// otherwise pinned in the `<dependencyManagement>` of the module's
    /// topmost pom in the repository.
    fn set_version(
        &mut self,
        p: usize,
        a: &ResolvedArtifact,
        to: &str,
        why: String,
        intents: &mut Intents,
    ) {
        let direct = self
            .declaration(p, &a.group, &a.artifact)
            .filter(|&(r, d)| self.project.poms[r].dependencies[d].version.is_some());
        let source = match direct {
            Some((r, d)) => Some((self.project.resolve_version(r, d), (r, d))),
            None => {
                let managed = self.project.resolve_managed(p, &a.group, &a.artifact);
                match managed.source {
                    VersionSource::Managed {
                        pom,
                        dependency,
                        source,
                    } => Some((
                        podready_analyzer::pom::ResolvedVersion {
                            value: managed.value,
                            source: *source,
                        },
                        (pom, dependency),
                    )),
                    _ => None,
                }
            }
        };
        if let Some((resolved, user)) = source {
            let (pom, span, property) = match resolved.source {
                VersionSource::Literal { pom, span } => (pom, span, None),
                VersionSource::Property { name, pom, span } => (pom, span, Some(name)),
                _ => {
                    let d = &self.project.poms[user.0].dependencies[user.1];
                    self.manual(
                        user.0,
                        d,
                        format!("set its version to {to} where it is defined (outside the repository); {why}"),
                    );
                    return;
                }
            };
            let from = resolved.value.unwrap_or_else(|| a.version.clone());
            if MavenVersion::parse(&from) >= MavenVersion::parse(to) {
                return;
            }
            self.add_version_edit(VersionEdit {
                pom,
                span,
                from,
                to: to.to_string(),
                users: vec![user],
                property,
                bom: None,
                why,
            });
            return;
        }
        let top = self.project.lineage(p).last().copied().unwrap_or(p);
        let list = intents.pins.entry(top).or_default();
        if list.iter().all(|x| {
            (x.group.as_str(), x.artifact.as_str()) != (a.group.as_str(), a.artifact.as_str())
        }) {
            list.push(Pin {
                group: a.group.clone(),
                artifact: a.artifact.clone(),
                from: a.version.clone(),
                to: to.to_string(),
                why,
            });
        }
    }

    /// Turns the gathered intents into one text edit per element.
    fn write(&mut self, intents: Intents) {
        for ((r, d), list) in intents.exclusions {
            self.write_exclusions(r, d, &list);
        }
        for (pom, pins) in intents.pins {
            self.write_pins(pom, &pins);
        }
        for (pom, additions) in intents.additions {
            self.write_additions(pom, &additions);
        }
    }

    fn write_exclusions(&mut self, r: usize, d: usize, list: &[Exclusion]) {
        let text = &self.set.sources[r].text;
        let dep = &self.project.poms[r].dependencies[d];
        let existing = dep.exclusions.as_ref().map_or("", |x| &text[x.clone()]);
        let new: Vec<&Exclusion> = list
            .iter()
            .filter(|x| {
                let (g, a) = split(&x.artifact);
                !(existing.contains(&format!(">{g}<")) && existing.contains(&format!(">{a}<")))
            })
            .collect();
        if new.is_empty() {
            return;
        }
        let nodes: Vec<XmlNode> = new
            .iter()
            .map(|x| {
                let (g, a) = split(&x.artifact);
                XmlNode::Branch("exclusion", XmlNode::coordinates(g, a, None))
            })
            .collect();
        let edit = match &dep.exclusions {
            Some(span) => element::append_children(text, span, &nodes),
            None => {
                element::append_children(text, &dep.span, &[XmlNode::Branch("exclusions", nodes)])
            }
        };
        let line = self.dep_line(r, dep);
        let why = new
            .iter()
            .map(|x| format!("Arrives through {}. {}", x.path, x.why))
            .collect::<Vec<_>>()
            .join(" ");
        self.plan.edits.entry(r).or_default().push(edit);
        self.plan.changes.push(PlannedChange {
            pom: self.project.poms[r].path.clone(),
            line,
            change: Change::Exclude {
                artifact: coords(dep),
                excluded: new.iter().map(|x| x.artifact.clone()).collect(),
            },
            why,
        });
    }

    fn write_pins(&mut self, pom: usize, pins: &[Pin]) {
        let nodes: Vec<XmlNode> = pins
            .iter()
            .map(|x| {
                XmlNode::Branch(
                    "dependency",
                    XmlNode::coordinates(&x.group, &x.artifact, Some(&x.to)),
                )
            })
            .collect();
        let Some((edit, at)) = self.section_edit(pom, "dependencyManagement", nodes) else {
            return;
        };
        let line = self.line(pom, at);
        self.plan.edits.entry(pom).or_default().push(edit);
        for x in pins {
            self.plan.changes.push(PlannedChange {
                pom: self.project.poms[pom].path.clone(),
                line,
                change: Change::Pin {
                    artifact: format!("{}:{}", x.group, x.artifact),
                    from: x.from.clone(),
                    to: x.to.clone(),
                },
                why: x.why.clone(),
            });
        }
    }

    fn write_additions(&mut self, pom: usize, additions: &[Addition]) {
        let nodes: Vec<XmlNode> = additions
            .iter()
            .map(|x| {
                XmlNode::Branch(
                    "dependency",
                    XmlNode::coordinates(&x.group, &x.artifact, x.version.as_deref()),
                )
            })
            .collect();
        let Some((edit, at)) = self.section_edit(pom, "dependencies", nodes) else {
            return;
        };
        let line = self.line(pom, at);
        self.plan.edits.entry(pom).or_default().push(edit);
        for x in additions {
            self.plan.changes.push(PlannedChange {
                pom: self.project.poms[pom].path.clone(),
                line,
                change: Change::Add {
                    artifact: match &x.version {
                        Some(v) => format!("{}:{}:{v}", x.group, x.artifact),
                        None => format!("{}:{} (managed)", x.group, x.artifact),
                    },
                },
                why: x.why.clone(),
            });
        }
    }

    /// The edit that writes `<dependency>` nodes into `dependencies` or
    /// `dependencyManagement`, creating the section when the pom has
    /// none, and where it is.
    fn section_edit(
        &self,
        pom: usize,
        section: &str,
        deps: Vec<XmlNode>,
    ) -> Option<(TextEdit, usize)> {
        let text = &self.set.sources[pom].text;
        let model = &self.project.poms[pom];
        let inner = if section == "dependencies" {
            "dependencies"
        } else {
            "dependencyManagement/dependencies"
        };
        if let Some(e) = model.element(inner) {
            return Some((element::append_children(text, &e.span, &deps), e.span.start));
        }
        let list = XmlNode::Branch("dependencies", deps);
        if section == "dependencyManagement" {
            if let Some(e) = model.element("dependencyManagement") {
                return Some((
                    element::append_children(text, &e.span, &[list]),
                    e.span.start,
                ));
            }
        }
        let node = if section == "dependencies" {
            list
        } else {
            XmlNode::Branch("dependencyManagement", vec![list])
        };
        // A new section goes before the ones that follow it in Maven's
        // order: management before dependencies, both before build.
        let before = if section == "dependencyManagement" {
            model
                .element("dependencies")
                .or_else(|| model.element("build"))
        } else {
            model.element("build")
        };
        if let Some(e) = before {
            return Some((element::insert_before(text, &e.span, &node), e.span.start));
        }
        let project = model.element("project")?;
        Some((
            element::append_children(text, &project.span, &[node]),
            project.end_tag,
        ))
    }
}
