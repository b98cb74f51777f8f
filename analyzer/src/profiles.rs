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
//! files), when the application's base files configure such a client. A
//! document of a profile's file that a condition activates
//! (`spring.config.activate.on-profile`) does not count. The profiles a
//! pod may run with are those files' and those the repository activates
//! (`SPRING_PROFILES_ACTIVE`, `spring.profiles.active` in manifests,
//! Dockerfiles, scripts, configuration), all but the developers' (`dev`,
//! `local`, `debug`); one of them must name production (`prod`, `prd`,
//! `pro`, `production`, `online`, `live`, `release`): without one, the
//! base file may be what production runs. When the deployment files
//! (anything but Spring's own configuration) activate profiles, those and
//! the production ones are the profiles pods run with, and another
//! profile's file is not what a pod runs with ([`ProfileOverrides::not_activated`]). Keys compare as written: a map
//! key (`eureka.client.service-url.defaultZone`) is not relaxed.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use crate::config::{self, ConfigValue};
use crate::text::SourceText;
use crate::walk::{FileKind, RepoFile};

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

/// What activates profiles.
const ACTIVATIONS: [&str; 2] = ["SPRING_PROFILES_ACTIVE", "spring.profiles.active"];

/// The profile an activation whose value cannot be read here stands for
/// (`${PROFILE}`, a manifest's `valueFrom`): one whose files set nothing.
const UNKNOWN_PROFILE: &str = "?";

/// Keys that make a YAML document apply only under a condition.
const CONDITIONS: [&str; 2] = ["spring.config.activate.on-profile", "spring.profiles"];

/// Key prefixes of a configuration center's client.
const CONFIG_CLIENTS: [&str; 4] = [
    "spring.cloud.nacos.config",
    "spring.cloud.config",
    "spring.config.import",
    "nacos.config",
];

/// The repository's Spring configuration files, read when a finding asks.
pub(crate) struct ProfileOverrides<'f> {
    files: &'f [RepoFile],
    max_file_size: u64,
    /// By file name, lowercased: the indexes of the files so named.
    by_name: HashMap<String, Vec<usize>>,
    by_rel: HashMap<&'f str, usize>,
    /// By file index: what it sets; `None` when it cannot be read.
    read: RefCell<HashMap<usize, Option<Rc<FileKeys>>>>,
    /// The profiles the repository activates, found once: (profile,
    /// whether a deployment file activates it rather than a Spring
    /// configuration file).
    activated: OnceCell<Vec<(String, bool)>>,
}

struct FileKeys {
    /// (line, key) of each value.
    values: Vec<(usize, String)>,
    /// The keys set unconditionally: not in a document a condition
    /// activates.
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
            activated: OnceCell::new(),
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
        let mut profiles = self.profiles_of(dir, stem);
        if !profiles.keys().any(|p| is_production(p)) {
            return None;
        }
        // What the deployments activate, with production, is what pods
        // run; without such activations, every profile may be.
        let deployed = self.deployment_activated();
        if !deployed.is_empty() {
            profiles.retain(|p, _| deployed.contains(&p.as_str()) || is_production(p));
        }
        for (profile, _) in self.activated() {
            if deployed.is_empty() || deployed.contains(&profile.as_str()) {
                profiles.entry(profile.clone()).or_default();
            }
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

    /// Why a profile's file (`application-{profile}.*`,
    /// `bootstrap-{profile}.*`) is not what a pod runs with: the
    /// repository's deployment files (Dockerfiles, manifests, Compose
    /// files, scripts) activate profiles, each of them readable, and not
    /// this one, which names neither production nor a developer's machine
    /// (crmeb's `beta` and `trip`, when its start scripts activate `prod`).
    pub fn not_activated(&self, path: &str) -> Option<String> {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let (stem, ext) = name.rsplit_once('.')?;
        let profile = ["application-", "bootstrap-"]
            .iter()
            .find_map(|p| stem.strip_prefix(p))
            .filter(|p| !p.is_empty() && EXTENSIONS.contains(&ext))?;
        let deployed = self.deployment_activated();
        let unreadable = deployed.contains(&UNKNOWN_PROFILE);
        if deployed.is_empty()
            || unreadable
            || deployed.contains(&profile)
            || is_production(profile)
            || DEVELOPER_PROFILES.contains(&profile)
        {
            return None;
        }
        Some(format!(
            "in the `{profile}` profile's configuration, which no deployment of the repository activates (they activate {})",
            deployed.join(", ")
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
            for app in self.served_names(dir) {
                add(&app.to_ascii_lowercase(), None);
            }
        }
        profiles
    }

    /// The profiles the repository's files activate: the values given to
    /// `SPRING_PROFILES_ACTIVE` or `spring.profiles.active` anywhere
    /// outside the tests (a manifest's `env`, a Dockerfile's `ENV` or
    /// `-D…`, a script, a Compose file, a configuration file), the
    /// developers' aside; each with whether a deployment file (anything
    /// but Spring's own `application*`/`bootstrap*` files, whose
    /// activation is a default a deployment overrides) activates it.
    fn activated(&self) -> &[(String, bool)] {
        self.activated.get_or_init(|| {
            let mut found: Vec<(String, bool)> = self
                .files
                .iter()
                .filter(|f| !f.is_test)
                .filter(|f| !matches!(f.kind, FileKind::Java | FileKind::Pom | FileKind::Template))
                .filter_map(|f| {
                    let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
                    let spring = ["application", "bootstrap"]
                        .iter()
                        .any(|stem| name.starts_with(stem));
                    let text = crate::read_text(f, self.max_file_size).ok()?;
                    Some((activated_in(&text.text), !spring))
                })
                .flat_map(|(profiles, deployment)| {
                    profiles.into_iter().map(move |p| (p, deployment))
                })
                .filter(|(p, _)| !DEVELOPER_PROFILES.contains(&p.as_str()))
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        })
    }

    /// The profiles the repository's deployment files activate.
    fn deployment_activated(&self) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .activated()
            .iter()
            .filter(|(_, deployment)| *deployment)
            .map(|(p, _)| p.as_str())
            .collect();
        found.dedup();
        found
    }

    /// Whether a file is a Kubernetes manifest (`mall-admin-deployment.yaml`
    /// is no profile's configuration).
    fn is_manifest(&self, i: usize) -> bool {
        self.keys_of(i)
            .is_some_and(|f| f.keys.contains("apiVersion") && f.keys.contains("kind"))
    }

    /// The `spring.application.name` the base files of `dir` give, when
    /// its configuration (`bootstrap*.*`, `application*.*`, a profile's
    /// included) configures a configuration center's client (Nacos',
    /// Spring Cloud Config's, `spring.config.import`), which serves the
    /// application its profiles' files by that name.
    fn served_names(&self, dir: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut has_client = false;
        for (rel, &i) in &self.by_rel {
            let (in_dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
            let Some((stem, _)) = name.rsplit_once('.') else {
                continue;
            };
            let base = matches!(stem, "application" | "bootstrap");
            let profile = ["application-", "bootstrap-"]
                .iter()
                .any(|p| stem.starts_with(p));
            if in_dir != dir || !(base || profile) {
                continue;
            }
            let Some(text) = self.text_of(i) else {
                continue;
            };
            for v in parse(rel, &text.text) {
                has_client |= CONFIG_CLIENTS.iter().any(|c| v.key.starts_with(c));
                let value = v.value.trim();
                if base
                    && v.key == "spring.application.name"
                    && !value.is_empty()
                    && !value.contains("${")
                {
                    names.push(value.to_string());
                }
            }
        }
        if !has_client {
            return Vec::new();
        }
        names.sort_unstable();
        names.dedup();
        names
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
            let parsed = parse(&self.files[i].rel, &text.text);
            // A YAML file's documents start at its `---` lines.
            let starts: Vec<usize> = (1..=text.line_count())
                .filter(|&l| text.line(l).trim_end() == "---")
                .collect();
            let document = |line: usize| starts.partition_point(|&s| s < line);
            let conditional: HashSet<usize> = parsed
                .iter()
                .filter(|v| CONDITIONS.contains(&v.key.as_str()))
                .map(|v| document(text.line_of(v.start)))
                .collect();
            let values: Vec<(usize, String)> = parsed
                .iter()
                .map(|v| (text.line_of(v.start), v.key.clone()))
                .collect();
            let keys = values
                .iter()
                .filter(|(line, _)| !conditional.contains(&document(*line)))
                .map(|(_, k)| k.clone())
                .collect();
            Rc::new(FileKeys { values, keys })
        });
        self.read.borrow_mut().insert(i, keys.clone());
        keys
    }
}

/// Whether a profile's name says production.
fn is_production(profile: &str) -> bool {
    PRODUCTION_PROFILES.contains(&profile)
}

fn parse<'t>(rel: &str, text: &'t str) -> Vec<ConfigValue<'t>> {
    if rel.ends_with(".properties") {
        config::properties(text)
    } else {
        config::yaml(text)
    }
}

/// The profiles a text activates: what follows each of [`ACTIVATIONS`]
/// (`=prod`, `: prod,cloud`, a manifest's next-line `value: prod`), or
/// [`UNKNOWN_PROFILE`] for a value that cannot be read here.
fn activated_in(text: &str) -> Vec<String> {
    let separators = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '=' | ':');
    let mut found = Vec::new();
    for marker in ACTIVATIONS {
        for (at, _) in text.match_indices(marker) {
            let mut rest = text[at + marker.len()..].trim_start_matches(separators);
            if let Some(value) = rest.strip_prefix("value:") {
                rest = value.trim_start_matches(separators);
            }
            let value: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ',' | '-' | '_'))
                .collect();
            if value.is_empty() || value == "valueFrom" {
                found.push(UNKNOWN_PROFILE.to_string());
                continue;
            }
            found.extend(
                value
                    .split(',')
                    .filter(|p| !p.is_empty())
                    .map(|p| p.to_ascii_lowercase()),
            );
        }
    }
    found
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
                    kind: FileKind::Yaml,
                    is_test: false,
                }
            })
            .collect();
        (dir, repo_files)
    }

    const BASE: &str = "spring:\n  application:\n    name: shop\n  data:\n    mongodb:\n      host: localhost\nredis:\n  host: 127.0.0.1\nnacos.config.server-addr: nacos:8848\n";

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
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  env:\n    - name: SPRING_PROFILES_ACTIVE\n      value: prod,test\n",
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
    fn profiles_no_deployment_activates_are_not_what_pods_run_with() {
        let (_dir, files) = repo(&[
            ("app/application.yml", BASE),
            (
                "app/application-prod.yml",
                "spring.data.mongodb.host: mongo\n",
            ),
            ("app/application-beta.yml", "server.port: 8081\n"),
            ("app/application-release.yml", "server.port: 8082\n"),
            ("app/application-dev.yml", "server.port: 8083\n"),
            (
                "shell/start.sh",
                "java -jar app.jar --spring.profiles.active=prod\n",
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20);
        assert_eq!(
            o.not_activated("app/application-beta.yml").as_deref(),
            Some("in the `beta` profile's configuration, which no deployment of the repository activates (they activate prod)")
        );
        // Production and developers' profiles are for other lowerings.
        for kept in [
            "app/application-prod.yml",
            "app/application-release.yml",
            "app/application-dev.yml",
            "app/application.yml",
        ] {
            assert_eq!(o.not_activated(kept), None, "{kept}");
        }
        // Only `prod` and `release` run in pods: `beta` need not set the key.
        assert!(o.overridden("app/application.yml", 6).is_none());
        let (_dir, files) = repo(&[
            ("app/application.yml", BASE),
            (
                "app/application-prod.yml",
                "spring.data.mongodb.host: mongo\n",
            ),
            ("app/application-beta.yml", "server.port: 8081\n"),
            (
                "shell/start.sh",
                "java -jar app.jar --spring.profiles.active=prod\n",
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20);
        assert!(o.overridden("app/application.yml", 6).is_some());
        // An activation in Spring's own files is a default: no deployment.
        let (_dir, files) = repo(&[
            ("app/application.yml", "spring.profiles.active: prod\n"),
            ("app/application-beta.yml", "server.port: 8081\n"),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20);
        assert_eq!(o.not_activated("app/application-beta.yml"), None);
        // A deployment whose profile cannot be read may run any.
        let (_dir, files) = repo(&[
            ("app/application-beta.yml", "server.port: 8081\n"),
            ("Dockerfile", "ENV SPRING_PROFILES_ACTIVE=${PROFILE}\n"),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20);
        assert_eq!(o.not_activated("app/application-beta.yml"), None);
    }

    #[test]
    fn a_profile_pods_run_without_the_key_keeps_the_base_value() {
        let files = |activation: &str| {
            repo(&[
                ("app/application.yml", BASE),
                (
                    "app/application-prod.yml",
                    "spring.data.mongodb.host: mongo\n",
                ),
                ("Dockerfile", activation),
            ])
        };
        for activation in [
            "ENV SPRING_PROFILES_ACTIVE=k8s\n",
            "ENTRYPOINT java -Dspring.profiles.active=prod,aws -jar app.jar\n",
            "ENV SPRING_PROFILES_ACTIVE=${PROFILE}\n",
        ] {
            let (_dir, files) = files(activation);
            let o = ProfileOverrides::new(&files, 1 << 20);
            assert_eq!(o.overridden("app/application.yml", 6), None, "{activation}");
        }
        // A developer's profile activated somewhere does not run in pods.
        let (_dir, files) = files("spring.profiles.active: dev\n");
        let o = ProfileOverrides::new(&files, 1 << 20);
        assert!(o.overridden("app/application.yml", 6).is_some());
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

    #[test]
    fn conditional_documents_map_keys_and_files_nothing_serves_do_not_count() {
        for (prod_rel, prod) in [
            // Only when `aws` is active too.
            (
                "app/application-prod.yml",
                "server.port: 8080\n---\nspring.config.activate.on-profile: aws\nspring:\n  data:\n    mongodb:\n      host: mongo\n",
            ),
            // Another spelling of the key.
            ("app/application-prod.yml", "spring.data.mongo-db.host: mongo\n"),
        ] {
            let (_dir, files) = repo(&[("app/application.yml", BASE), (prod_rel, prod)]);
            let o = ProfileOverrides::new(&files, 1 << 20);
            assert_eq!(o.overridden("app/application.yml", 6), None, "{prod}");
        }
        // A sample named like a served file, for an application with no
        // configuration center's client.
        let without_client = BASE.replace("nacos.config.server-addr: nacos:8848\n", "");
        let (_dir, files) = repo(&[
            ("app/application.yml", &without_client),
            (
                "docs/samples/shop-prod.yaml",
                "spring.data.mongodb.host: mongo\n",
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20);
        assert_eq!(o.overridden("app/application.yml", 6), None);
    }
}
