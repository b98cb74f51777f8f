//! Planning the pom changes that make a repository's SDKs container-ready:
//! where each version is defined, what to edit there, and what has to be
//! left to a person (and why).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use podready_analyzer::pom::{
    DependencySection, PomDependency, Project, ResolvedVersion, VersionSource,
};
use podready_analyzer::version::{is_range, MavenVersion};
use podready_analyzer::PomSet;
use podready_rules::{Replacement, RulePack, SdkEntry};
use serde::Serialize;

use crate::edit::TextEdit;
use crate::element::{self, NewDependency};

/// How an upgraded version was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Via {
    /// The `<version>` of the dependency or managed entry itself.
    Literal,
    /// A property; `shared_by` lists every artifact using it.
    Property {
        name: String,
        shared_by: Vec<String>,
    },
    /// The artifact is managed by this imported BOM, which was upgraded.
    Bom { manages: String },
}

/// One change podready made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    Upgrade {
        artifact: String,
        from: String,
        to: String,
        via: Via,
    },
    Replace {
        artifact: String,
        with: Vec<String>,
    },
    Remove {
        artifact: String,
        because: String,
    },
    /// `<exclusion>`s added to the declared dependency that brings them.
    Exclude {
        artifact: String,
        excluded: Vec<String>,
    },
    /// A dependency added to a module (`group:artifact:version`, or
    /// `group:artifact (managed)`).
    Add {
        artifact: String,
    },
    /// A version pinned in `<dependencyManagement>` for an artifact that
    /// arrives transitively.
    Pin {
        artifact: String,
        from: String,
        to: String,
    },
}

/// A change with where it was made and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedChange {
    /// The pom that was edited, relative to the root.
    pub pom: String,
    pub line: usize,
    #[serde(flatten)]
    pub change: Change,
    pub why: String,
}

/// Something podready would not change on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManualItem {
    pub pom: String,
    pub line: usize,
    pub artifact: String,
    pub reason: String,
}

/// All edits for a repository, by pom index, with what they mean.
#[derive(Debug, Default)]
pub struct FixPlan {
    pub edits: BTreeMap<usize, Vec<TextEdit>>,
    pub changes: Vec<PlannedChange>,
    pub manual: Vec<ManualItem>,
}

/// A version to write at one place, and who asked for it.
pub(crate) struct VersionEdit {
    pub(crate) pom: usize,
    pub(crate) span: Range<usize>,
    pub(crate) from: String,
    pub(crate) to: String,
    /// `(pom, dependency)` pairs whose version this edit changes.
    pub(crate) users: Vec<(usize, usize)>,
    pub(crate) property: Option<String>,
    /// For a BOM's version: the SDK it is upgraded for.
    pub(crate) bom: Option<String>,
    pub(crate) why: String,
}

/// Plans every automatic fix for the poms of a repository.
pub fn plan(set: &PomSet, pack: &RulePack) -> FixPlan {
    let mut planner = Planner::new(set, pack);
    planner.plan_versions();
    planner.finish_versions();
    planner.plan_replacements();
    planner.finish()
}

pub(crate) struct Planner<'a> {
    pub(crate) set: &'a PomSet,
    pub(crate) project: &'a Project,
    pub(crate) pack: &'a RulePack,
    /// By `(pom, span start)`.
    versions: BTreeMap<(usize, usize), VersionEdit>,
    pub(crate) plan: FixPlan,
    conflicted: HashSet<(usize, usize)>,
}

pub(crate) fn coords(d: &PomDependency) -> String {
    format!("{}:{}", d.group(), d.artifact())
}

impl<'a> Planner<'a> {
    pub(crate) fn new(set: &'a PomSet, pack: &'a RulePack) -> Planner<'a> {
        Planner {
            set,
            project: &set.project,
            pack,
            versions: BTreeMap::new(),
            plan: FixPlan::default(),
            conflicted: HashSet::new(),
        }
    }

    /// The plan, in file and line order.
    pub(crate) fn finish(mut self) -> FixPlan {
        self.plan
            .manual
            .sort_by(|a, b| (&a.pom, a.line, &a.artifact).cmp(&(&b.pom, b.line, &b.artifact)));
        self.plan.manual.dedup();
        self.plan
            .changes
            .sort_by(|a, b| (&a.pom, a.line).cmp(&(&b.pom, b.line)));
        self.plan
    }

    pub(crate) fn line(&self, pom: usize, offset: usize) -> usize {
        self.set.sources[pom].line_of(offset)
    }

    pub(crate) fn dep_line(&self, pom: usize, d: &PomDependency) -> usize {
        let at = d
            .artifact_id
            .as_ref()
            .map_or(d.span.start, |a| a.span.start);
        self.line(pom, at)
    }

    pub(crate) fn manual(&mut self, pom: usize, d: &PomDependency, reason: String) {
        let line = self.dep_line(pom, d);
        self.manual_at(pom, line, coords(d), reason);
    }

    pub(crate) fn manual_at(&mut self, pom: usize, line: usize, artifact: String, reason: String) {
        self.plan.manual.push(ManualItem {
            pom: self.project.poms[pom].path.clone(),
            line,
            artifact,
            reason,
        });
    }

    /// Version upgrades: every non-test dependency with a container-ready
    /// minimum, followed to where its version is written. Members of an
    /// SDK family move with it: when any member is below the minimum,
    /// every member below the target is aligned to the target.
    fn plan_versions(&mut self) {
        let moving = self.moving_families();
        for (p, i, entry, member) in self.sdk_dependencies() {
            let (Some(min), Some(target)) = (&entry.min_version, &entry.target_version) else {
                continue;
            };
            let in_motion = moving.contains(&entry.artifact_key());
            if member && !in_motion {
                continue;
            }
            let min = if in_motion { target } else { min };
            let d = &self.project.poms[p].dependencies[i];
            let resolved = if d.version.is_some() {
                self.project.resolve_version(p, i)
            } else {
                let r = self.project.resolve_sdk_managed(
                    p,
                    d.group(),
                    d.artifact(),
                    &entry.not_managed_by,
                );
                match self.project.overriding_source(&r) {
                    // This module overrides the managed entry's property.
                    Some(own) => ResolvedVersion {
                        source: own.clone(),
                        ..r
                    },
                    // The managed entry is planned where it is written.
                    None if matches!(r.source, VersionSource::Managed { .. }) => continue,
                    None => r,
                }
            };
            self.plan_version(p, i, entry, min, target, resolved.value, resolved.source);
        }
    }

    /// Every dependency of a main pom (not test-scoped, not a BOM import)
    /// that the SDK table names, as `(pom, dependency, entry, member)`.
    fn sdk_dependencies(&self) -> Vec<(usize, usize, &'a SdkEntry, bool)> {
        let mut out = Vec::new();
        for (p, pom) in self.project.poms.iter().enumerate() {
            if self.set.is_test[p] {
                continue;
            }
            for (i, d) in pom.dependencies.iter().enumerate() {
                if d.scope() == "test" || d.is_bom_import() {
                    continue;
                }
                if let Some((entry, member)) = self.sdk_of(d.group(), d.artifact()) {
                    out.push((p, i, entry, member));
                }
            }
        }
        out
    }

    /// The SDK entry for an artifact, and whether the artifact is a family
    /// member rather than the SDK itself.
    pub(crate) fn sdk_of(&self, group: &str, artifact: &str) -> Option<(&'a SdkEntry, bool)> {
        let pack = self.pack;
        pack.sdk_entry(group, artifact)
            .filter(|e| e.min_version.is_some())
            .map(|e| (e, false))
            .or_else(|| pack.family_of(group, artifact).map(|e| (e, true)))
    }

    /// SDKs with a family some member of which (the SDK included) is
    /// declared below the container-ready minimum.
    fn moving_families(&self) -> HashSet<podready_rules::Artifact> {
        let mut out = HashSet::new();
        for (p, i, entry, _) in self.sdk_dependencies() {
            let (Some(min), false) = (&entry.min_version, entry.family.is_empty()) else {
                continue;
            };
            let d = &self.project.poms[p].dependencies[i];
            let value = if d.version.is_some() {
                self.project.resolve_version(p, i).value
            } else {
                self.project
                    .resolve_sdk_managed(p, d.group(), d.artifact(), &entry.not_managed_by)
                    .value
            };
            let below =
                |v: &String| !is_range(v) && MavenVersion::parse(v) < MavenVersion::parse(min);
            if value.as_ref().is_some_and(below) {
                out.insert(entry.artifact_key());
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn plan_version(
        &mut self,
        p: usize,
        i: usize,
        entry: &SdkEntry,
        min: &str,
        target: &str,
        value: Option<String>,
        source: VersionSource,
    ) {
        let d = &self.project.poms[p].dependencies[i];
        let Some(value) = value else {
            match source {
                VersionSource::Bom { .. } => self.plan_bom(p, i, entry),
                VersionSource::Outside { reason } => self.manual(
                    p,
                    d,
                    format!("{reason}; upgrade it to {target} by hand (podready does not guess versions defined outside the repository)"),
                ),
                VersionSource::BuiltIn { name } => self.manual(
                    p,
                    d,
                    format!("the version is `${{{name}}}`, which podready never replaces with a literal; set {target} where it is defined"),
                ),
                _ => self.manual(p, d, format!("the version cannot be resolved; upgrade it to {target} by hand")),
            }
            return;
        };
        if is_range(&value) {
            self.manual(
                p,
                d,
                format!("the version range `{value}` is not rewritten; pin it to {target} (container-ready from {min})"),
            );
            return;
        }
        let current = MavenVersion::parse(&value);
        if current >= MavenVersion::parse(min) || current >= MavenVersion::parse(target) {
            return;
        }
        let (pom, span, property) = match source {
            VersionSource::Literal { pom, span } => (pom, span, None),
            VersionSource::Property { name, pom, span } => (pom, span, Some(name)),
            VersionSource::BuiltIn { name } => {
                self.manual(
                    p,
                    d,
                    format!("the version is `${{{name}}}`, which podready never replaces with a literal; upgrade to {target} where it is defined"),
                );
                return;
            }
            VersionSource::Outside { reason } => {
                self.manual(p, d, format!("{reason}; upgrade it to {target} by hand"));
                return;
            }
            VersionSource::Managed { .. } | VersionSource::Bom { .. } => return,
        };
        let why = if (d.group(), d.artifact()) == (entry.group.as_str(), entry.artifact.as_str()) {
            entry.why.clone()
        } else {
            format!(
                "Released with {}:{}, which moves to {target}: one version of the family on the classpath. {}",
                entry.group, entry.artifact, entry.why
            )
        };
        self.add_version_edit(VersionEdit {
            pom,
            span,
            from: value,
            to: target.to_string(),
            users: vec![(p, i)],
            property,
            bom: None,
            why,
        });
    }

    /// A version that comes from an imported BOM: the BOM is upgraded only
    /// when the pack names it for this SDK; otherwise a person decides.
    fn plan_bom(&mut self, p: usize, i: usize, entry: &SdkEntry) {
        let project = self.project;
        let d = &project.poms[p].dependencies[i];
        let boms = project.bom_imports(p);
        let wanted = entry.bom.as_ref().and_then(|b| {
            boms.iter()
                .copied()
                .find(|&(bp, bd)| {
                    let bom = &project.poms[bp].dependencies[bd];
                    b.group == bom.group() && b.artifact == bom.artifact()
                })
                .map(|found| (b, found))
        });
        let Some((wanted, (bom_pom, bom_dep))) = wanted else {
            let names: Vec<String> = boms
                .iter()
                .map(|&(bp, bd)| {
                    let bom = &project.poms[bp].dependencies[bd];
                    let version = project
                        .resolve_version(bp, bd)
                        .value
                        .unwrap_or_else(|| "?".into());
                    format!("{}:{version}", coords(bom))
                })
                .collect();
            let target = entry.target_version.as_deref().unwrap_or("");
            self.manual(
                p,
                d,
                format!(
                    "the version comes from an imported BOM ({}); upgrade the BOM to a release that manages {target}, or pin the version",
                    names.join(", ")
                ),
            );
            return;
        };
        let bom = &project.poms[bom_pom].dependencies[bom_dep];
        let resolved = project.resolve_version(bom_pom, bom_dep);
        let Some(value) = resolved.value else {
            self.manual(
                p,
                d,
                format!("the version of the BOM {} cannot be resolved", coords(bom)),
            );
            return;
        };
        if MavenVersion::parse(&value) >= MavenVersion::parse(&wanted.version) {
            return;
        }
        let (pom, span, property) = match resolved.source {
            VersionSource::Literal { pom, span } => (pom, span, None),
            VersionSource::Property { name, pom, span } => (pom, span, Some(name)),
            _ => {
                self.manual(
                    p,
                    d,
                    format!(
                        "the BOM {}'s version is not defined in the repository; upgrade it to {} by hand",
                        coords(bom),
                        wanted.version
                    ),
                );
                return;
            }
        };
        self.add_version_edit(VersionEdit {
            pom,
            span,
            from: value,
            to: wanted.version.clone(),
            users: vec![(bom_pom, bom_dep)],
            property,
            bom: Some(coords(d)),
            why: entry.why.clone(),
        });
    }

    pub(crate) fn add_version_edit(&mut self, edit: VersionEdit) {
        let key = (edit.pom, edit.span.start);
        if self.conflicted.contains(&key) {
            return;
        }
        match self.versions.get_mut(&key) {
            Some(existing) if existing.to == edit.to => {
                for u in edit.users {
                    if !existing.users.contains(&u) {
                        existing.users.push(u);
                    }
                }
            }
            Some(existing) => {
                let users: Vec<(usize, usize)> =
                    existing.users.iter().chain(&edit.users).copied().collect();
                let targets = format!("{} and {}", existing.to, edit.to);
                self.versions.remove(&key);
                self.conflicted.insert(key);
                for (p, i) in users {
                    let d = &self.project.poms[p].dependencies[i];
                    self.manual(p, d, format!("its version is shared with an SDK that needs a different version ({targets}); split the version by hand"));
                }
            }
            None => {
                self.versions.insert(key, edit);
            }
        }
    }

    /// Turns version edits into text edits, after checking that a property
    /// is not also used by something that is not being upgraded.
    pub(crate) fn finish_versions(&mut self) {
        let versions = std::mem::take(&mut self.versions);
        for (_, v) in versions {
            let mut shared_by: Vec<String> = Vec::new();
            for &(p, i) in &v.users {
                let c = coords(&self.project.poms[p].dependencies[i]);
                if !shared_by.contains(&c) {
                    shared_by.push(c);
                }
            }
            if let Some(name) = &v.property {
                if let Some(others) = self.other_uses(v.pom, name, &v.users) {
                    for &(p, i) in &v.users {
                        let d = &self.project.poms[p].dependencies[i];
                        let line = self.line(v.pom, v.span.start);
                        self.manual(
                            p,
                            d,
                            format!(
                                "property `{name}` ({}:{line}) is also used by {others}, which is not upgraded; upgrade by hand or give {} its own property",
                                self.project.poms[v.pom].path,
                                coords(d)
                            ),
                        );
                    }
                    continue;
                }
            }
            let line = self.line(v.pom, v.span.start);
            let artifact = shared_by.first().cloned().unwrap_or_default();
            let via = match (&v.bom, &v.property) {
                (Some(sdk), _) => Via::Bom {
                    manages: sdk.clone(),
                },
                (None, Some(name)) => Via::Property {
                    name: name.clone(),
                    shared_by: shared_by.clone(),
                },
                (None, None) => Via::Literal,
            };
            self.plan.edits.entry(v.pom).or_default().push(TextEdit {
                span: v.span.clone(),
                text: v.to.clone(),
            });
            self.plan.changes.push(PlannedChange {
                pom: self.project.poms[v.pom].path.clone(),
                line,
                change: Change::Upgrade {
                    artifact,
                    from: v.from,
                    to: v.to,
                    via,
                },
                why: v.why,
            });
        }
    }

    /// What else uses `${name}` as defined in `def_pom`, beyond `users`:
    /// other dependencies by name, anything else by file, line and the
    /// element it is in.
    fn other_uses(&self, def_pom: usize, name: &str, users: &[(usize, usize)]) -> Option<String> {
        let reference = format!("${{{name}}}");
        let mut others: Vec<String> = Vec::new();
        let mut places: Vec<String> = Vec::new();
        for (q, pom) in self.project.poms.iter().enumerate() {
            if self.project.property(q, name).map(|(owner, _)| owner) != Some(def_pom) {
                continue;
            }
            let text = &self.set.sources[q].text;
            let masked = mask_comments(text);
            for (at, _) in masked.match_indices(&reference) {
                let dep = pom
                    .dependencies
                    .iter()
                    .enumerate()
                    .find(|(_, d)| d.version.as_ref().is_some_and(|v| v.span.contains(&at)));
                match dep {
                    Some((i, _)) if users.contains(&(q, i)) => {}
                    Some((_, d)) => {
                        let c = coords(d);
                        if !others.contains(&c) {
                            others.push(c);
                        }
                    }
                    None => {
                        let inside = enclosing_element(&masked, at)
                            .map(|e| format!(" (in <{e}>)"))
                            .unwrap_or_default();
                        places.push(format!("{}:{}{inside}", pom.path, self.line(q, at)));
                    }
                }
            }
        }
        others.extend(places);
        (!others.is_empty()).then(|| others.join(", "))
    }

    /// Whether a module adapts to the logging backend its users choose
    /// (nacos' log4j2 adapter): its backends are what it is for, so they
    /// stay, as `check` reports them only at the adapter's level.
    pub(crate) fn is_adapter(&self, p: usize) -> bool {
        self.project
            .adapter_module(p, |d| {
                self.pack
                    .sdk_entry(d.group(), d.artifact())
                    .is_some_and(|e| !e.replace_with.is_empty())
            })
            .is_some()
    }

    /// Logging backends replaced by logback (or removed when logback is
    /// already there), in every section where they are declared, except
    /// in adapter modules.
    fn plan_replacements(&mut self) {
        for (p, pom) in self.project.poms.iter().enumerate() {
            if self.set.is_test[p] || self.is_adapter(p) {
                continue;
            }
            let text = &self.set.sources[p].text;
            // Artifacts present per (section, profile), including additions.
            let mut present: HashMap<(DependencySection, Option<usize>), HashSet<String>> =
                HashMap::new();
            for d in &pom.dependencies {
                present
                    .entry((d.section, d.profile))
                    .or_default()
                    .insert(coords(d));
            }
            for d in &pom.dependencies {
                if d.scope() == "test" {
                    continue;
                }
                let Some(entry) = self.pack.sdk_entry(d.group(), d.artifact()) else {
                    continue;
                };
                if entry.replace_with.is_empty() {
                    continue;
                }
                let group = present.entry((d.section, d.profile)).or_default();
                let added: Vec<&Replacement> = entry
                    .replace_with
                    .iter()
                    .filter(|r| !group.contains(&format!("{}:{}", r.group, r.artifact)))
                    .collect();
                for r in &added {
                    group.insert(format!("{}:{}", r.group, r.artifact));
                }
                // Versionless only when the repository manages the artifact
                // (its managed entry is replaced the same way).
                let versioned = d.version.is_some()
                    || !matches!(
                        self.project
                            .resolve_managed(p, d.group(), d.artifact())
                            .source,
                        VersionSource::Managed { .. }
                    );
                let style = element::style_of(text, &d.span);
                let line = self.dep_line(p, d);
                let (edit, change) = if added.is_empty() {
                    let span = element::removal_span(text, &d.span, &style);
                    (
                        TextEdit {
                            span,
                            text: String::new(),
                        },
                        Change::Remove {
                            artifact: coords(d),
                            because: format!(
                                "{} is already declared",
                                entry
                                    .replace_with
                                    .iter()
                                    .map(|r| format!("{}:{}", r.group, r.artifact))
                                    .collect::<Vec<_>>()
                                    .join(" and ")
                            ),
                        },
                    )
                } else {
                    let scope = d.scope.as_ref().map(|s| s.value.as_str());
                    let exclusions = d.exclusions.as_ref().map(|r| &text[r.clone()]);
                    // A replacement of the same release takes the replaced
                    // dependency's version as written, or none as it has none.
                    let replaced = d.version.as_ref().map(|v| v.value.as_str());
                    let version_of = |r: &'a Replacement| match &r.version {
                        Some(version) => versioned.then_some(version.as_str()),
                        None => replaced,
                    };
                    let deps: Vec<NewDependency> = added
                        .iter()
                        .enumerate()
                        .map(|(n, r)| NewDependency {
                            group: &r.group,
                            artifact: &r.artifact,
                            version: version_of(r),
                            scope,
                            kind: None,
                            exclusions: if n == 0 { exclusions } else { None },
                        })
                        .collect();
                    (
                        TextEdit {
                            span: d.span.clone(),
                            text: element::render_all(&style, &deps),
                        },
                        Change::Replace {
                            artifact: coords(d),
                            with: added
                                .iter()
                                .map(|r| match version_of(r) {
                                    Some(version) => {
                                        format!("{}:{}:{version}", r.group, r.artifact)
                                    }
                                    None => format!("{}:{} (managed)", r.group, r.artifact),
                                })
                                .collect(),
                        },
                    )
                };
                self.plan.edits.entry(p).or_default().push(edit);
                self.plan.changes.push(PlannedChange {
                    pom: pom.path.clone(),
                    line,
                    change,
                    why: entry.why.clone(),
                });
            }
        }
    }
}

/// The innermost element around `offset` other than a `<version>`, by
/// name: where a property is used outside a dependency (an
/// `<artifactItem>` of a plugin, a `<configuration>`).
fn enclosing_element(text: &str, offset: usize) -> Option<&str> {
    let mut depth = 0usize;
    let mut end = offset.min(text.len());
    while let Some(lt) = text[..end].rfind('<') {
        end = lt;
        let tag = &text[lt + 1..];
        let close = tag.find('>').unwrap_or(tag.len());
        let body = &tag[..close];
        if body.starts_with(['?', '!']) || body.ends_with('/') {
            continue;
        }
        if body.starts_with('/') {
            depth += 1;
            continue;
        }
        if depth > 0 {
            depth -= 1;
            continue;
        }
        let name = body.split(|c: char| c.is_whitespace()).next().unwrap_or("");
        let name = name.rsplit(':').next().unwrap_or(name);
        if name != "version" && !name.is_empty() {
            return Some(name);
        }
    }
    None
}

/// The text with every `<!-- … -->` comment blanked out (same length), so
/// that a commented-out dependency never counts as a use.
pub fn mask_comments(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut pos = 0;
    while let Some(start) = text[pos..].find("<!--").map(|i| pos + i) {
        let end = text[start + 4..]
            .find("-->")
            .map_or(text.len(), |i| start + 4 + i + 3);
        for b in &mut bytes[start..end] {
            *b = b' ';
        }
        pos = end;
    }
    // Only whole comments (ASCII delimiters) were blanked: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}
