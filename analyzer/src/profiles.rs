//! Spring configuration that the deployed profiles set again: a value of
//! `application.yml` (or `bootstrap.yml`) whose key every profile a pod
//! may run with sets in its own configuration is only a default that no
//! pod runs with (mall-swarm's `localhost` MongoDB host, which
//! `mall-portal-prod.yaml` replaces).
//!
//! A profile's configuration is `application-{profile}.*` beside the base
//! file (`bootstrap-{profile}.*` for `bootstrap.*`) and, for
//! `application.*`, the files a configuration center serves the
//! application by its name, `{spring.application.name}-{profile}.*`
//! anywhere in the repository (Nacos' data ids, Spring Cloud Config's
//! files). The profiles a pod may run with are all but the developers'
//! (`dev`, `local`, `debug`), and one of them must name production
//! (`prod`, `prd`, `pro`, `production`, `online`, `live`, `release`):
//! without one, the base file may be what production runs.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use crate::config::{self, ConfigValue};
use crate::text::SourceText;
use crate::walk::RepoFile;

/// Profiles meant for a developer's machine.
const DEVELOPER_PROFILES: [&str; 3] = ["dev", "local", "debug"];

/// Profile names that say production.
const PRODUCTION_PROFILES: [&str; 7] = [
    "prod",
    "prd",
    "pro",
    "production",
    "online",
    "live",
    "release",
];

const EXTENSIONS: [&str; 3] = ["yml", "yaml", "properties"];

/// The repository's Spring configuration files, read when a finding asks.
pub(crate) struct ProfileOverrides<'f> {
    files: &'f [RepoFile],
    max_file_size: u64,
    /// By file name, lowercased: the indexes of the files so named.
    by_name: HashMap<String, Vec<usize>>,
    by_rel: HashMap<&'f str, usize>,
    /// By file index: the keys it sets, normalised, and the values of
    /// `spring.application.name`; `None` when it cannot be read.
    read: RefCell<HashMap<usize, Option<Rc<FileKeys>>>>,
}

struct FileKeys {
    /// (line, key) of each value.
    values: Vec<(usize, String)>,
    keys: HashSet<String>,
}

impl<'f> ProfileOverrides<'f> {
    pub fn new(files: &'f [RepoFile], max_file_size: u64) -> ProfileOverrides<'f> {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_rel = HashMap::new();
        for (i, f) in files.iter().enumerate().filter(|(_, f)| !f.is_test) {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            if EXTENSIONS.iter().any(|e| name.ends_with(&format!(".{e}"))) {
                by_name
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(i);
                by_rel.insert(f.rel.as_str(), i);
            }
        }
        ProfileOverrides {
            files,
            max_file_size,
            by_name,
            by_rel,
            read: RefCell::default(),
        }
    }

    /// Why the value at `line` of `path` is not what a pod runs with, when
    /// `path` is a base configuration file and each profile a pod may run
    /// with sets that value's key again.
    pub fn overridden(&self, path: &str, line: usize) -> Option<String> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let (stem, ext) = name.rsplit_once('.')?;
        if !matches!(stem, "application" | "bootstrap") || !EXTENSIONS.contains(&ext) {
            return None;
        }
        let base = self.keys_of(*self.by_rel.get(path)?)?;
        let keys: Vec<&String> = base
            .values
            .iter()
            .filter(|(l, _)| *l == line)
            .map(|(_, k)| k)
            .collect();
        if keys.is_empty() {
            return None;
        }
        let profiles = self.profiles_of(dir, stem);
        if !profiles
            .keys()
            .any(|p| PRODUCTION_PROFILES.contains(&p.as_str()))
        {
            return None;
        }
        let sets_them = |files: &Vec<usize>| {
            let set: Vec<Rc<FileKeys>> = files.iter().filter_map(|&i| self.keys_of(i)).collect();
            keys.iter()
                .all(|k| set.iter().any(|f| f.keys.contains(k.as_str())))
        };
        if !profiles.values().all(sets_them) {
            return None;
        }
        let shown: Vec<&str> = profiles
            .values()
            .flatten()
            .map(|&i| self.files[i].rel.as_str())
            .collect();
        Some(format!(
            "every profile a pod may run with sets it again ({}): not what a pod runs with",
            shown.join(", ")
        ))
    }

    /// The configuration files of each profile a pod may run with, by
    /// profile, for the base file `{dir}/{stem}.*`.
    fn profiles_of(&self, dir: &str, stem: &str) -> BTreeMap<String, Vec<usize>> {
        let mut profiles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut add = |prefix: &str, only_in: Option<&str>| {
            for (name, found) in &self.by_name {
                let Some(profile) = name
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .and_then(|rest| rest.rsplit_once('.'))
                    .filter(|(_, ext)| EXTENSIONS.contains(ext))
                    .map(|(profile, _)| profile)
                    .filter(|p| !p.is_empty() && !DEVELOPER_PROFILES.contains(p))
                else {
                    continue;
                };
                for &i in found {
                    let in_dir = self.files[i].rel.rsplit_once('/').map_or("", |(d, _)| d);
                    if only_in.is_none_or(|d| d == in_dir) && !self.is_manifest(i) {
                        profiles.entry(profile.to_string()).or_default().push(i);
                    }
                }
            }
        };
        add(stem, Some(dir));
        if stem == "application" {
            for app in self.application_names(dir) {
                add(&app.to_ascii_lowercase(), None);
            }
        }
        profiles
    }

    /// Whether a file is a Kubernetes manifest (`mall-admin-deployment.yaml`
    /// is no profile's configuration).
    fn is_manifest(&self, i: usize) -> bool {
        self.keys_of(i)
            .is_some_and(|f| f.keys.contains("apiversion") && f.keys.contains("kind"))
    }

    /// The `spring.application.name` the base files of `dir` give.
    fn application_names(&self, dir: &str) -> Vec<String> {
        let mut names = Vec::new();
        for stem in ["bootstrap", "application"] {
            for ext in EXTENSIONS {
                let rel = if dir.is_empty() {
                    format!("{stem}.{ext}")
                } else {
                    format!("{dir}/{stem}.{ext}")
                };
                let Some(keys) = self
                    .by_rel
                    .get(rel.as_str())
                    .and_then(|&i| self.read_names(i))
                else {
                    continue;
                };
                names.extend(keys);
            }
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    fn read_names(&self, i: usize) -> Option<Vec<String>> {
        let text = self.text_of(i)?;
        let values = parse(&self.files[i].rel, &text.text);
        Some(
            values
                .iter()
                .filter(|v| normalise(&v.key) == "spring.application.name")
                .map(|v| v.value.trim().to_string())
                .filter(|v| !v.is_empty() && !v.contains("${"))
                .collect(),
        )
    }

    fn text_of(&self, i: usize) -> Option<SourceText> {
        crate::read_text(&self.files[i], self.max_file_size).ok()
    }

    /// The keys a file sets, read once.
    fn keys_of(&self, i: usize) -> Option<Rc<FileKeys>> {
        if let Some(known) = self.read.borrow().get(&i) {
            return known.clone();
        }
        let keys = self.text_of(i).map(|text| {
            let values: Vec<(usize, String)> = parse(&self.files[i].rel, &text.text)
                .iter()
                .map(|v| (text.line_of(v.start), normalise(&v.key)))
                .collect();
            let keys = values.iter().map(|(_, k)| k.clone()).collect();
            Rc::new(FileKeys { values, keys })
        });
        self.read.borrow_mut().insert(i, keys.clone());
        keys
    }
}

fn parse<'t>(rel: &str, text: &'t str) -> Vec<ConfigValue<'t>> {
    if rel.ends_with(".properties") {
        config::properties(text)
    } else {
        config::yaml(text)
    }
}

/// A key as Spring's relaxed binding compares it: `spring.data.mongodb.host`
/// is `spring.data.mongo-db.host` and `SPRING.DATA.MONGODB_HOST`'s dotted
/// form alike.
fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn repo(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<RepoFile>) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let repo_files = files
            .iter()
            .map(|(rel, text)| {
                let abs: PathBuf = dir.path().join(rel);
                std::fs::create_dir_all(abs.parent().expect("a parent")).expect("folders");
                std::fs::write(&abs, text).expect("written");
                RepoFile {
                    rel: rel.to_string(),
                    abs,
                    kind: crate::walk::FileKind::Yaml,
                    is_test: false,
                }
            })
            .collect();
        (dir, repo_files)
    }

    const BASE: &str = "spring:\n  application:\n    name: shop\n  data:\n    mongodb:\n      host: localhost\nredis:\n  host: 127.0.0.1\n";

    #[test]
    fn a_value_every_deployed_profile_sets_again_is_not_what_a_pod_runs_with() {
        let (_dir, files) = repo(&[
            ("shop/src/main/resources/application.yml", BASE),
            ("shop/src/main/resources/application-dev.yml", "other: 1\n"),
            (
                "shop/src/main/resources/application-prod.yml",
                "spring.data.mongodb.host: mongo\n",
            ),
            (
                "config/shop-test.yaml",
                "spring:\n  data:\n    mongodb:\n      host: mongo-test\n",
            ),
            (
                "k8s/shop-deployment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\n",
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20);
        let why = o.overridden("shop/src/main/resources/application.yml", 6);
        assert_eq!(
            why.as_deref(),
            Some("every profile a pod may run with sets it again (shop/src/main/resources/application-prod.yml, config/shop-test.yaml): not what a pod runs with")
        );
        // Redis' host is set by no profile: the base value runs.
        assert_eq!(
            o.overridden("shop/src/main/resources/application.yml", 8),
            None
        );
    }

    #[test]
    fn without_a_production_profile_or_with_one_that_keeps_it_the_base_value_runs() {
        let (_dir, files) = repo(&[
            ("app/application.yml", BASE),
            (
                "app/application-test.yml",
                "spring.data.mongodb.host: mongo\n",
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20);
        assert_eq!(o.overridden("app/application.yml", 6), None);
        let (_dir, files) = repo(&[
            ("app/application.yml", BASE),
            (
                "app/application-prod.yml",
                "spring.data.mongodb.host: mongo\n",
            ),
            ("app/application-staging.yml", "server.port: 8080\n"),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20);
        assert_eq!(o.overridden("app/application.yml", 6), None);
        // Only the base files are overridden: a profile's own file is not.
        assert_eq!(o.overridden("app/application-prod.yml", 1), None);
    }
}
