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
use crate::finding::ProfileSections;
use crate::mounted::{self, Mounts};
use crate::named_places::{DEVELOPER_PROFILES, PRODUCTION_PROFILES};
use crate::text::SourceText;
use crate::walk::{FileKind, RepoFile};

/// Profiles whose files are never lowered for want of an activation:
/// environments before production that may take its traffic (a canary, a
/// pre-release), and the ones named for the platform pods run on.
const KEPT_PROFILES: [&str; 23] = [
    "uat",
    "staging",
    "stage",
    "stg",
    "pre",
    "preprod",
    "pre-prod",
    "gray",
    "grey",
    "canary",
    "pre-release",
    "prerelease",
    "k8s",
    "kube",
    "kubernetes",
    "docker",
    "container",
    "cloud",
    "openshift",
    "aws",
    "azure",
    "gcp",
    "aliyun",
];

/// Profiles named for an environment a deployment outside the
/// repository may choose (a test environment's pods run it); `uat` and
/// the others before production are [`KEPT_PROFILES`].
const ENVIRONMENT_PROFILES: [&str; 13] = [
    "test",
    "testing",
    "sit",
    "fat",
    "qa",
    "int",
    "integration",
    "beta",
    "alpha",
    "demo",
    "perf",
    "dr",
    "backup",
];

/// Profiles named for the container platform: deployment files that
/// activate only these run the image with them, not with a production
/// profile kept for the servers before it (mall4j's Dockerfiles run
/// `docker`; its `prod` is the VM's).
const PLATFORM_PROFILES: [&str; 6] = [
    "k8s",
    "kube",
    "kubernetes",
    "docker",
    "container",
    "openshift",
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
    /// What the repository's files other than Java say of profiles, read
    /// once.
    profile_settings: OnceCell<ProfileSettings>,
    /// See [`Self::application_modules`]; found once, asked per finding.
    application_modules: OnceCell<Vec<&'f str>>,
    /// What the Kubernetes manifests mount, found once.
    mounted: OnceCell<Mounts>,
    /// By module folder (`""` for the root), its artifactId.
    artifacts: HashMap<String, String>,
    /// Whether a Java source sets profiles in code.
    java_sets_profiles: bool,
}

/// What the repository's files other than Java say of profiles.
struct ProfileSettings {
    /// The activations they hold.
    activations: Vec<Activation>,
    /// Whether Spring's configuration groups or includes profiles
    /// (`spring.profiles.group.prod`, `spring.profiles.include`).
    groups_or_includes: bool,
    /// The profiles `spring.profiles.include` names, when every group and
    /// include is such a list of names; `None` when one may add profiles
    /// this reader cannot tell (a group, a placeholder).
    included: Option<Vec<String>>,
    /// The environment variables deployment files set (an env file, a
    /// Compose file, a manifest's `env` or a ConfigMap, a Dockerfile's
    /// `ENV`, a script's `export`), each with the first file setting it
    /// and the value it gives (`None` from a secret).
    environment: HashMap<String, (usize, Option<String>)>,
    /// Those Kubernetes manifests set: what the pods themselves get.
    pod_environment: HashMap<String, (usize, Option<String>)>,
}

/// One activation of profiles (`SPRING_PROFILES_ACTIVE=prod,k8s`).
struct Activation {
    /// The profiles, lowercased; [`UNKNOWN_PROFILE`] for a value that
    /// cannot be read here.
    profiles: Vec<String>,
    /// The file that holds it.
    file: usize,
    /// Whether a deployment file holds it (a Dockerfile, a manifest, a
    /// script, a Compose file), not Spring's own configuration, whose
    /// activation is a default a deployment overrides.
    deployment: bool,
}

struct FileKeys {
    /// (line, key, value) of each value.
    values: Vec<(usize, String, String)>,
    /// The keys set unconditionally: not in a document a condition
    /// activates.
    keys: HashSet<String>,
    /// Those of them set to the empty value (`log-impl:`).
    emptied: HashSet<String>,
    /// The lines (1-based) that start a YAML document.
    document_starts: Vec<usize>,
}

impl FileKeys {
    /// Whether the file sets `key` unconditionally; to the empty value
    /// only when `emptied_counts`.
    fn sets_again(&self, key: &str, emptied_counts: bool) -> bool {
        self.keys.contains(key) && (emptied_counts || !self.emptied.contains(key))
    }
}

impl<'f> ProfileOverrides<'f> {
    /// `java_sets_profiles`: whether a Java source of the repository sets
    /// profiles in code ([`sets_profiles`]); `artifacts`: each module
    /// folder's artifactId.
    pub fn new(
        files: &'f [RepoFile],
        max_file_size: u64,
        java_sets_profiles: bool,
        artifacts: HashMap<String, String>,
    ) -> ProfileOverrides<'f> {
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
            profile_settings: OnceCell::new(),
            application_modules: OnceCell::new(),
            mounted: OnceCell::new(),
            artifacts,
            java_sets_profiles,
        }
    }

    /// The keys of the values at `line` of the configuration file `path`.
    pub fn keys_at(&self, path: &str, line: usize) -> Vec<String> {
        let Some(keys) = self.by_rel.get(path).and_then(|&i| self.keys_of(i)) else {
            return Vec::new();
        };
        keys.values
            .iter()
            .filter(|(l, _, _)| *l == line)
            .map(|(_, k, _)| k.clone())
            .collect()
    }

    /// Why the value at `line` of `path` is not what a pod runs with, when
    /// `path` is a base configuration file and each profile a pod may run
    /// with sets that value's key again. `emptied_counts`: whether setting
    /// it to the empty value does (not for an address: an empty host is
    /// often the library's default, `localhost`).
    pub fn overridden(&self, path: &str, line: usize, emptied_counts: bool) -> Option<String> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let (stem, ext) = name.rsplit_once('.')?;
        if !matches!(stem, "application" | "bootstrap") || !EXTENSIONS.contains(&ext) {
            return None;
        }
        let keys = self.keys_at(path, line);
        if keys.is_empty() {
            return None;
        }
        let mut profiles = self.profiles_of(dir, stem);
        if !profiles.keys().any(|p| is_production(p)) {
            return None;
        }
        // What the deployments activate, with production, is what pods
        // run; without such activations, every profile may be.
        let deployed = self.deployment_profiles(path);
        if let Some(deployed) = &deployed {
            profiles.retain(|p, _| deployed.contains(p) || is_production(p));
        }
        let activated = self.activations().iter().flat_map(|a| &a.profiles);
        for profile in activated.filter(|p| !DEVELOPER_PROFILES.contains(&p.as_str())) {
            if deployed.as_ref().is_none_or(|d| d.contains(profile)) {
                profiles.entry(profile.clone()).or_default();
            }
        }
        let sets_them = |files: &Vec<usize>| {
            let set: Vec<Rc<FileKeys>> = files.iter().filter_map(|&i| self.keys_of(i)).collect();
            keys.iter()
                .all(|k| set.iter().any(|f| f.sets_again(k, emptied_counts)))
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

    /// Why the value at `line` of `path` is not what a pod runs with, when
    /// `path` is Spring Boot's YAML configuration (`application.yml`,
    /// `bootstrap-prod.yaml`) and the `.properties` file of the same name
    /// in the same folder sets that value's key again: Spring Boot takes
    /// the `.properties` file's value first. `emptied_counts` as for
    /// [`Self::overridden`].
    pub fn shadowed_by_properties(
        &self,
        path: &str,
        line: usize,
        emptied_counts: bool,
    ) -> Option<String> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let (stem, ext) = name.rsplit_once('.')?;
        let spring = ["application", "bootstrap"].iter().any(|base| {
            stem == *base || stem.strip_prefix(base).is_some_and(|p| p.starts_with('-'))
        });
        if !spring || !matches!(ext, "yml" | "yaml") {
            return None;
        }
        let properties = if dir.is_empty() {
            format!("{stem}.properties")
        } else {
            format!("{dir}/{stem}.properties")
        };
        let keys = self.keys_at(path, line);
        let set = self
            .by_rel
            .get(properties.as_str())
            .and_then(|&i| self.keys_of(i))?;
        let sets_them = !keys.is_empty() && keys.iter().all(|k| set.sets_again(k, emptied_counts));
        sets_them.then(|| {
            format!("{properties} sets it again, and Spring Boot takes a .properties file's value before the YAML file's of the same name: not what a pod runs with")
        })
    }

    /// Why the value at `line` of `path` is not what a pod runs with, when
    /// `path` is an application module's base configuration file
    /// (`application.*`, `bootstrap.*`, in its resources) and a Kubernetes manifest or a
    /// Compose file of the repository mounts a file of that name into the
    /// module's containers where Spring Boot reads it first, which sets
    /// that value's key again (lilishop's `api-config` ConfigMap at
    /// `/application.yml`, mogu's `../config/mogu_web/:/config/`). The
    /// containers are the module's by their name or their image's: the
    /// module's folder or artifactId.
    /// A file a Compose service binds counts only where `shipped` says it
    /// is: one in a Compose stack's folder, for a developer's machine, is
    /// no deployment's.
    pub fn mounted_over(
        &self,
        path: &str,
        line: usize,
        shipped: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (stem, ext) = name.rsplit_once('.')?;
        // What the jar packs: not a copy kept beside it, nor the mounted
        // file itself.
        if !matches!(stem, "application" | "bootstrap")
            || !EXTENSIONS.contains(&ext)
            || !path.contains("src/main/resources/")
        {
            return None;
        }
        let dir = module_of(path);
        let folder = dir.rsplit('/').next().unwrap_or(dir).to_ascii_lowercase();
        let artifact = self.artifacts.get(dir).map(|a| a.to_ascii_lowercase());
        let module_names: Vec<String> = [Some(folder), artifact]
            .into_iter()
            .flatten()
            .filter(|n| !n.is_empty())
            .collect();
        let base = self.keys_of(*self.by_rel.get(path)?)?;
        let keys: Vec<(String, &str)> = base
            .values
            .iter()
            .filter(|(l, _, _)| *l == line)
            .map(|(_, k, v)| (config::relaxed(k), v.as_str()))
            .collect();
        if keys.is_empty() {
            return None;
        }
        let mounts = self.mounted.get_or_init(|| self.find_mounted());
        // A pod of the module that mounts nothing runs with the jar's.
        if mounts
            .unmounted
            .iter()
            .any(|names| module_names.iter().any(|n| names.contains(n)))
        {
            return None;
        }
        let (over, module) = mounts.mounted.iter().find_map(|m| {
            let module = module_names.iter().find(|n| m.names.contains(n))?;
            if m.file.as_deref().is_some_and(|f| !shipped(f)) {
                return None;
            }
            // Set again to another value: the same one is still the
            // pod's, and the mounted copy may be reported at another level.
            (m.name.rsplit_once('.').map(|(s, _)| s) == Some(stem)
                && keys.iter().all(|(k, v)| {
                    m.keys.contains(k)
                        && m.values
                            .get(k)
                            .is_none_or(|mounted| mounted.trim() != v.trim())
                }))
            .then_some((m, module))
        })?;
        Some(format!(
            "{} mounts its own {} ({}) into {module}'s containers, which sets it again: not what a pod runs with",
            over.manifest, over.name, over.source
        ))
    }

    /// Whether a Compose service binds the repository file `path` where
    /// Spring reads it, in a deployment `shipped` trusts.
    pub fn mounted_file(&self, path: &str, shipped: &dyn Fn(&str) -> bool) -> bool {
        // Only Spring's own names are read from a folder: asked of them
        // alone, the manifests are not read for other files.
        let name = path.rsplit('/').next().unwrap_or(path);
        mounted::is_spring_file(name)
            && shipped(path)
            && self
                .mounted
                .get_or_init(|| self.find_mounted())
                .mounted
                .iter()
                .any(|m| m.file.as_deref() == Some(path))
    }

    /// The Spring configuration files the repository's manifests and
    /// Compose files mount.
    /// The images a container runs are the Dockerfiles' of the modules
    /// its names name (folder or artifactId), each working where its last
    /// stage's `WORKDIR` says; without one, in the root.
    fn find_mounted(&self) -> Mounts {
        let mut manifests = Vec::new();
        let mut images: Vec<(&str, String)> = Vec::new();
        for (i, f) in self.files.iter().enumerate().filter(|(_, f)| !f.is_test) {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            if f.kind == FileKind::Yaml
                && !name.starts_with("application")
                && !name.starts_with("bootstrap")
            {
                let Some(text) = self.text_of(i) else {
                    continue;
                };
                // A template (Helm's) deploys what cannot be read here: its
                // pods may run with the jar's.
                if text.text.contains("{{") && text.text.contains("kind:") {
                    return Mounts::default();
                }
                if mounted::may_mount(&text.text) {
                    manifests.push((f.rel.clone(), text.text.to_string()));
                }
            } else if crate::deployed::is_dockerfile(&f.rel) {
                let text = self
                    .text_of(i)
                    .map(|t| t.text.to_string())
                    .unwrap_or_default();
                let dir = f.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
                images.push((dir, final_workdir(&text)));
            }
        }
        if manifests.is_empty() {
            return Mounts::default();
        }
        let image_dirs = |names: &[String]| {
            let modules: Vec<&str> = self
                .artifacts
                .iter()
                .filter(|(dir, artifact)| {
                    let folder = dir.rsplit('/').next().unwrap_or(dir).to_ascii_lowercase();
                    names.contains(&folder) || names.contains(&artifact.to_ascii_lowercase())
                })
                .map(|(dir, _)| dir.as_str())
                .collect();
            let dirs: Vec<String> = images
                .iter()
                .filter(|(at, _)| modules.iter().any(|m| crate::is_at_or_under(at, m)))
                .map(|(_, workdir)| workdir.clone())
                .collect();
            if dirs.is_empty() {
                vec![String::new()]
            } else {
                dirs
            }
        };
        // The Spring files a Compose service's bind mount presents.
        let repository_files = |host: &str| -> Vec<(String, String)> {
            let host = host.trim_end_matches('/');
            self.files
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.is_test)
                .filter_map(|(i, f)| {
                    let (dir, name) = f.rel.rsplit_once('/').unwrap_or(("", &f.rel));
                    let presented = (f.rel == host || dir == host) && mounted::is_spring_file(name);
                    presented
                        .then(|| Some((name.to_string(), self.text_of(i)?.text.to_string())))?
                })
                .collect()
        };
        mounted::find(&manifests, &image_dirs, &repository_files)
    }

    /// Why a profile's file (`application-{profile}.*`,
    /// `bootstrap-{profile}.*`) is not what a pod runs with: the
    /// application's deployment files (see [`Self::deployment_profiles`])
    /// activate production or the container platform's profile and not
    /// this profile, which names neither an environment before production
    /// (`uat`, `staging`, `pre`, `gray`), nor the platform pods run on
    /// (`k8s`, `docker`), nor a developer's machine (crmeb's `beta` and
    /// `trip`, when its start scripts activate `prod`), nor production
    /// unless they activate only the platform's (mall4j's `prod`, when its
    /// Dockerfiles activate `docker`).
    pub fn not_activated(&self, path: &str) -> Option<String> {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let (stem, ext) = name.rsplit_once('.')?;
        let profile = ["application-", "bootstrap-"]
            .iter()
            .find_map(|p| stem.strip_prefix(p))
            .filter(|p| !p.is_empty() && EXTENSIONS.contains(&ext))?;
        if KEPT_PROFILES.contains(&profile) || DEVELOPER_PROFILES.contains(&profile) {
            return None;
        }
        let Some(deployed) = self.deployment_profiles(path) else {
            return self.alternative_not_shipped(path, profile);
        };
        let platform_only = deployed
            .iter()
            .all(|p| PLATFORM_PROFILES.contains(&p.as_str()));
        if deployed.iter().any(|p| p == profile) || (is_production(profile) && !platform_only) {
            return None;
        }
        Some(format!(
            "in the `{profile}` profile's configuration, which no deployment of the application activates (they activate {})",
            deployed.join(", ")
        ))
    }

    /// Why a profile's file is an alternative the application does not
    /// run with as shipped (Apache ShenYu's `application-pg.yml` beside an
    /// `application.yml` that activates `h2`): no deployment file of the
    /// repository activates a profile, the base file beside it activates
    /// others, literally (no placeholder, no developer's profile), nothing
    /// adds profiles out of sight (groups, includes, Java code), and the
    /// profile names no environment (`test`, `sit`, `qa`…) nor production,
    /// which a deployment outside the repository may choose.
    fn alternative_not_shipped(&self, path: &str, profile: &str) -> Option<String> {
        if ENVIRONMENT_PROFILES.contains(&profile)
            || is_production(profile)
            || self.profiles_added()
            || self.activations().iter().any(|a| a.deployment)
        {
            return None;
        }
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut base = None;
        let mut shipped: Vec<&str> = Vec::new();
        for a in self.activations() {
            let rel = self.files[a.file].rel.as_str();
            let (a_dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            if a_dir == dir && matches!(stem, "application" | "bootstrap") {
                base.get_or_insert(name);
                shipped.extend(a.profiles.iter().map(String::as_str));
            }
        }
        let base = base?;
        shipped.sort_unstable();
        shipped.dedup();
        let readable = !shipped.is_empty()
            && !shipped
                .iter()
                .any(|p| *p == UNKNOWN_PROFILE || DEVELOPER_PROFILES.contains(p));
        (readable && !shipped.contains(&profile)).then(|| {
            format!(
                "in the `{profile}` profile's configuration, an alternative the application does not run with as shipped ({base} activates {}, and no deployment file of the repository activates a profile)",
                shipped.join(", ")
            )
        })
    }

    /// Why logback configuration that only `<springProfile>` sections use
    /// is not what a pod runs with: each section holds only with a
    /// developer's profile (`dev`, `local & !k8s`), or, when another
    /// section of the file names production, only with a profile that is
    /// neither production, nor an environment before it, nor the
    /// platform's, nor the `default` one (`test`). Not when the repository
    /// activates one of those profiles outside a developer's run (see
    /// [`Self::may_run_with`]), nor for an expression this cannot read
    /// (parentheses, a placeholder).
    pub fn only_in_sections(&self, sections: &ProfileSections) -> Option<String> {
        // Each alternative of an expression, as its conjuncts, lowercased.
        let alternatives = |expression: &str| -> Option<Vec<Vec<String>>> {
            let alternatives: Vec<Vec<String>> = expression
                .split([',', '|'])
                .map(|a| {
                    a.split('&')
                        .map(|c| c.trim().to_ascii_lowercase())
                        .collect()
                })
                .collect();
            alternatives
                .iter()
                .flatten()
                .all(|c| is_profile_name(c.strip_prefix('!').unwrap_or(c)))
                .then_some(alternatives)
        };
        let mut production = Vec::new();
        for section in &sections.in_file {
            let names_production = alternatives(section)?
                .iter()
                .any(|a| a.iter().any(|c| is_production(c)));
            if names_production {
                production.push(section.as_str());
            }
        }
        let outside_production = |c: &str| {
            !self.may_run_with(c)
                && (DEVELOPER_PROFILES.contains(&c)
                    || (!production.is_empty()
                        && !c.starts_with('!')
                        && c != "default"
                        && !is_production(c)
                        && !KEPT_PROFILES.contains(&c)))
        };
        let mut developers = true;
        for expression in &sections.used_in {
            for alternative in alternatives(expression)? {
                if !alternative.iter().any(|c| outside_production(c)) {
                    return None;
                }
                developers &= alternative
                    .iter()
                    .any(|c| DEVELOPER_PROFILES.contains(&c.as_str()));
            }
        }
        let used_in = sections.used_in.join("`, `");
        Some(if developers {
            format!("used only in the <springProfile> sections `{used_in}`, meant for a developer's machine")
        } else {
            format!(
                "used only in the <springProfile> sections `{used_in}`, not in the file's production section `{}`",
                production.join("`, `")
            )
        })
    }

    /// Whether pods may run with a profile: the repository activates it
    /// outside a developer's run (a list without `dev`, `local` or
    /// `debug`), in a deployment file or in Spring's own configuration,
    /// or which profiles are active cannot be told (a value read
    /// elsewhere, profile groups, Java code setting them); or a literal
    /// `spring.profiles.include` names it.
    pub fn may_run_with(&self, profile: &str) -> bool {
        // Profiles an include names are added to every run (or to a
        // profile's): they may run; one a group or code adds may be any.
        match &self.profile_settings().included {
            _ if self.java_sets_profiles => return true,
            None => return true,
            Some(included) if included.iter().any(|p| p == profile) => return true,
            Some(_) => {}
        }
        self.activations()
            .iter()
            .filter(|a| {
                !a.profiles
                    .iter()
                    .any(|p| DEVELOPER_PROFILES.contains(&p.as_str()))
            })
            .flat_map(|a| &a.profiles)
            .any(|p| p == profile || p == UNKNOWN_PROFILE)
    }

    /// The profiles the deployment files of the application `path`
    /// belongs to activate, when they say how it runs in production or
    /// in its containers (a platform's profile):
    /// activations in files of its own module, or else outside every
    /// application's module (`shell/start.sh`, `docker/Dockerfile`), not
    /// those of a developer's run (a list with `dev`, `local` or `debug`),
    /// at least one naming production, each readable. `None`
    /// when something may add profiles out of sight (profile groups or
    /// includes, Java code setting profiles).
    fn deployment_profiles(&self, path: &str) -> Option<Vec<String>> {
        let chosen = self.deployment_activations(path, |a| {
            !a.profiles
                .iter()
                .any(|p| DEVELOPER_PROFILES.contains(&p.as_str()))
        });
        let mut profiles: Vec<String> = chosen.iter().flat_map(|a| a.profiles.clone()).collect();
        profiles.sort_unstable();
        profiles.dedup();
        let trusted = profiles
            .iter()
            .any(|p| is_production(p) || PLATFORM_PROFILES.contains(&p.as_str()))
            && !profiles.iter().any(|p| p == UNKNOWN_PROFILE)
            && !self.profiles_added();
        trusted.then_some(profiles)
    }

    /// The activations of deployment files that `keep` accepts for the
    /// application `path` belongs to: those in files of its own module, or
    /// else those outside every application's module.
    fn deployment_activations(
        &self,
        path: &str,
        keep: impl Fn(&Activation) -> bool,
    ) -> Vec<&Activation> {
        let modules = self.application_modules();
        let module = module_of(path);
        let in_module = |rel: &str| !module.is_empty() && crate::is_at_or_under(rel, module);
        let elsewhere = |rel: &str| {
            !modules
                .iter()
                .any(|m| !m.is_empty() && crate::is_at_or_under(rel, m))
        };
        let lists: Vec<&Activation> = self
            .activations()
            .iter()
            .filter(|a| a.deployment && keep(a))
            .collect();
        let rel = |a: &Activation| self.files[a.file].rel.as_str();
        let own: Vec<&Activation> = lists
            .iter()
            .copied()
            .filter(|a| in_module(rel(a)))
            .collect();
        if own.is_empty() {
            lists.into_iter().filter(|a| elsewhere(rel(a))).collect()
        } else {
            own
        }
    }

    /// Whether a pod runs with `profile` as shipped: the base configuration
    /// beside `path` (`application.yml`, `bootstrap.properties`) activates
    /// it by name (renren's `spring.profiles.active: dev`), and every
    /// deployment file of its application that activates profiles names
    /// it too (a Compose file's `spring.profiles.active=dev`), or none
    /// does. The platform's deploy spec sets no profile.
    pub fn runs_by_default(&self, path: &str, profile: &str) -> bool {
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let base_activates = self.activations().iter().any(|a| {
            let (file_dir, name) = self.files[a.file]
                .rel
                .rsplit_once('/')
                .unwrap_or(("", self.files[a.file].rel.as_str()));
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            !a.deployment
                && file_dir == dir
                && matches!(stem, "application" | "bootstrap")
                && a.profiles.iter().any(|p| p == profile)
        });
        base_activates
            && self
                .deployment_activations(path, |_| true)
                .iter()
                .all(|a| a.profiles.iter().any(|p| p == profile))
    }

    /// The modules of the repository's Spring applications: the folders
    /// above the `src/main/resources` of their base configuration files.
    fn application_modules(&self) -> &[&'f str] {
        self.application_modules.get_or_init(|| {
            let mut modules: Vec<&str> = self
                .by_rel
                .keys()
                .filter(|rel| {
                    let name = rel.rsplit('/').next().unwrap_or(rel);
                    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
                    matches!(stem, "application" | "bootstrap")
                        && rel.contains("src/main/resources/")
                })
                .map(|rel| module_of(rel))
                .collect();
            modules.sort_unstable();
            modules.dedup();
            modules
        })
    }

    /// Whether profiles may be added out of this reader's sight: profile
    /// groups or includes in Spring's configuration
    /// (`spring.profiles.group.prod`, `spring.profiles.include`), or Java
    /// code that sets profiles (`setAdditionalProfiles`).
    fn profiles_added(&self) -> bool {
        self.java_sets_profiles || self.profile_settings().groups_or_includes
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

    /// The activations the repository's files hold.
    fn activations(&self) -> &[Activation] {
        &self.profile_settings().activations
    }

    /// What the repository's files other than Java, poms and templates,
    /// tests aside, say of profiles, each file read once: the values given
    /// to `SPRING_PROFILES_ACTIVE` or `spring.profiles.active` (a
    /// manifest's `env`, a Dockerfile's `ENV` or `-D…`, a script, a Compose
    /// file, a configuration file), and whether a configuration file
    /// groups or includes profiles.
    fn profile_settings(&self) -> &ProfileSettings {
        self.profile_settings.get_or_init(|| {
            let adds = |k: &str| {
                k.starts_with("spring.profiles.group") || k.starts_with("spring.profiles.include")
            };
            let mut settings = ProfileSettings {
                activations: Vec::new(),
                groups_or_includes: false,
                included: Some(Vec::new()),
                environment: HashMap::new(),
                pod_environment: HashMap::new(),
            };
            let read = self
                .files
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.is_test)
                .filter(|(_, f)| {
                    !matches!(f.kind, FileKind::Java | FileKind::Pom | FileKind::Template)
                });
            let mut dotenv = Vec::new();
            for (i, f) in read {
                let Ok(text) = crate::read_text(f, self.max_file_size) else {
                    continue;
                };
                let text = text.text.as_str();
                let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
                // A manifest named `application.yaml` is a deployment.
                let manifest = text.contains("apiVersion:") && text.contains("kind:");
                let spring = ["application", "bootstrap"]
                    .iter()
                    .any(|stem| name.starts_with(stem))
                    && !manifest;
                settings
                    .activations
                    .extend(activated_in(text).into_iter().map(|profiles| Activation {
                        profiles,
                        file: i,
                        deployment: !spring,
                    }));
                if name == ".env" {
                    // Compose's project env file, beside its Compose file:
                    // what the stack's files give it comes first.
                    if self.beside_compose_file(&f.rel) {
                        dotenv.extend(
                            assigned_environment(&f.rel, text)
                                .into_iter()
                                .map(|e| (i, e)),
                        );
                    }
                } else {
                    for (name, value) in assigned_environment(&f.rel, text) {
                        if manifest {
                            let set = (i, value.clone());
                            settings.pod_environment.entry(name.clone()).or_insert(set);
                        }
                        settings.environment.entry(name).or_insert((i, value));
                    }
                }
                let configuration = matches!(f.kind, FileKind::Properties | FileKind::Yaml);
                // Parsed once, when its text may hold what is looked for.
                let parsed = if configuration
                    && ["include", "group", "active"]
                        .iter()
                        .any(|w| text.contains(w))
                {
                    parse(&f.rel, text)
                } else {
                    Vec::new()
                };
                if text.contains("include") || text.contains("group") {
                    for v in parsed.iter().filter(|v| adds(&v.key)) {
                        settings.groups_or_includes = true;
                        let names = profile_list(v.value);
                        let literal = v.key.starts_with("spring.profiles.include")
                            && !names.iter().any(|p| p == UNKNOWN_PROFILE);
                        match (&mut settings.included, literal) {
                            (Some(included), true) => included.extend(names),
                            _ => settings.included = None,
                        }
                    }
                }
                // YAML's nested `spring: profiles: active:`, which the
                // text's markers do not see.
                if text.contains("active") {
                    let nested = parsed
                        .iter()
                        .filter(|v| v.key == "spring.profiles.active")
                        .map(|v| profile_list(v.value));
                    settings
                        .activations
                        .extend(nested.map(|profiles| Activation {
                            profiles,
                            file: i,
                            deployment: false,
                        }));
                }
            }
            for (i, (name, value)) in dotenv {
                settings.environment.entry(name).or_insert((i, value));
            }
            settings
        })
    }

    /// Whether a file lies in a folder holding a Compose file.
    fn beside_compose_file(&self, rel: &str) -> bool {
        let folder = |path: &str| path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
        let own = folder(rel);
        self.files
            .iter()
            .any(|f| crate::deployed::is_compose_file(&f.rel) && folder(&f.rel) == own)
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

    /// Why the value at `line` and `column` (in characters) of the
    /// configuration file `path` is not what a pod runs with, when it lies
    /// in the default of a placeholder (`${ZOOKEEPER_URL:localhost:2181}`)
    /// whose environment variable the repository's deployment files set
    /// to something else than an address of their own (a secret, a
    /// service's name).
    pub fn environment_replaced(&self, path: &str, line: usize, column: usize) -> Option<String> {
        let &i = self.by_rel.get(path)?;
        let text = self.text_of(i)?;
        let at = text.text.lines().nth(line.checked_sub(1)?)?;
        let environment = &self.profile_settings().environment;
        let (name, _) = placeholder_defaults(at)
            .into_iter()
            .find(|(_, span)| span.contains(&column.checked_sub(1).unwrap_or(usize::MAX)))?;
        let (file, value) = environment.get(&name)?;
        let hard_coded = value.as_deref().is_some_and(names_an_address);
        (!hard_coded).then(|| {
            format!(
                "a default for the environment variable {name}, which the deployment sets ({})",
                self.files[*file].rel
            )
        })
    }

    /// Why the value at `line` of Spring Boot's configuration file `path`
    /// is not what a pod runs with: the application's Kubernetes manifests
    /// set the environment variable Spring Boot binds to its key
    /// (`SPRING_DATASOURCE_URL` for `spring.datasource.url`), which comes
    /// before the file, to something other than an address of their own.
    /// The manifest is the application's when it lies in its module, or
    /// when the repository has one Spring application.
    pub fn set_in_pods(&self, path: &str, line: usize) -> Option<String> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let spring = ["application", "bootstrap"]
            .iter()
            .any(|stem| name.starts_with(stem))
            && name
                .rsplit_once('.')
                .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext));
        if !spring {
            return None;
        }
        let module = module_of(path);
        let one_application = self.application_modules().len() <= 1;
        let environment = &self.profile_settings().pod_environment;
        self.keys_at(path, line).iter().find_map(|key| {
            let variable = environment_variable(key)?;
            let (file, value) = environment.get(&variable)?;
            let manifest = self.files[*file].rel.as_str();
            let own = one_application || (!module.is_empty() && crate::is_at_or_under(manifest, module));
            let hard_coded = value.as_deref().is_some_and(names_an_address);
            (own && !hard_coded).then(|| {
                format!("replaced in the pods: {manifest} sets {variable}, which Spring Boot takes before this file")
            })
        })
    }

    /// The profile condition of the YAML document holding `line` of
    /// `path` (`spring.config.activate.on-profile`, `spring.profiles`), as
    /// written.
    pub fn document_condition(&self, path: &str, line: usize) -> Option<String> {
        if !(path.ends_with(".yml") || path.ends_with(".yaml")) {
            return None;
        }
        let &i = self.by_rel.get(path)?;
        let keys = self.keys_of(i)?;
        let document = |l: usize| keys.document_starts.partition_point(|&s| s <= l);
        let conditions = CONDITIONS.map(config::relaxed);
        keys.values
            .iter()
            .find(|(l, k, _)| {
                document(*l) == document(line) && conditions.contains(&config::relaxed(k))
            })
            .map(|(_, _, v)| v.clone())
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
            let parsed = conditioned_values(&self.files[i].rel, &text.text);
            let values: Vec<(usize, String, String)> = parsed
                .iter()
                .map(|(v, _)| (text.line_of(v.start), v.key.clone(), v.value.to_string()))
                .collect();
            let keys = parsed
                .iter()
                .filter(|(_, conditional)| !conditional)
                .map(|(v, _)| v.key.clone())
                .collect();
            let emptied = parsed
                .iter()
                .filter(|(v, conditional)| !conditional && v.value.is_empty())
                .map(|(v, _)| v.key.clone())
                .collect();
            let document_starts = text
                .text
                .lines()
                .enumerate()
                .filter(|(_, l)| starts_document(l))
                .map(|(n, _)| n + 1)
                .collect();
            Rc::new(FileKeys {
                values,
                keys,
                emptied,
                document_starts,
            })
        });
        self.read.borrow_mut().insert(i, keys.clone());
        keys
    }
}

/// Whether a Java source sets Spring profiles in code: then which
/// profiles pods run with is not all in the deployment files.
pub(crate) fn sets_profiles(java: &str) -> bool {
    const CALLS: [&str; 3] = [
        "setAdditionalProfiles",
        "setActiveProfiles",
        "setProperty(\"spring.profiles.active\"",
    ];
    CALLS.iter().any(|call| java.contains(call))
}

/// Where a Dockerfile's image works: its last stage's `WORKDIR` (a
/// relative one taken from the one before), without its last `/`; `""`
/// for the root.
fn final_workdir(dockerfile: &str) -> String {
    let mut workdir = String::new();
    for line in dockerfile.lines() {
        let Some((instruction, rest)) = line.trim().split_once(char::is_whitespace) else {
            continue;
        };
        if instruction.eq_ignore_ascii_case("FROM") {
            workdir.clear();
        } else if instruction.eq_ignore_ascii_case("WORKDIR") {
            let dir = rest.trim().trim_matches('"').trim_end_matches('/');
            workdir = if dir.starts_with('/') {
                dir.to_string()
            } else {
                format!("{workdir}/{dir}")
            };
        }
    }
    workdir
}

/// Whether a profile's name says production.
fn is_production(profile: &str) -> bool {
    PRODUCTION_PROFILES.contains(&profile)
}

/// The values of a Spring configuration file, each with whether it is in a
/// YAML document that applies only under a condition (a profile's).
pub(crate) fn conditioned_values<'t>(rel: &str, text: &'t str) -> Vec<(ConfigValue<'t>, bool)> {
    let parsed = parse(rel, text);
    // A YAML file's documents start at its `---` lines.
    let mut starts = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if starts_document(line) {
            starts.push(at);
        }
        at += line.len();
    }
    let document = |offset: usize| starts.partition_point(|&s| s <= offset);
    let conditions = CONDITIONS.map(config::relaxed);
    let conditional: HashSet<usize> = parsed
        .iter()
        .filter(|v| conditions.contains(&config::relaxed(&v.key)))
        .map(|v| document(v.start))
        .collect();
    parsed
        .into_iter()
        .map(|v| {
            let c = conditional.contains(&document(v.start));
            (v, c)
        })
        .collect()
}

/// Whether a YAML line starts a document: `---`, alone or before a
/// comment or content (`--- # production`).
fn starts_document(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.trim().is_empty() || rest.starts_with([' ', '\t']))
}

fn parse<'t>(rel: &str, text: &'t str) -> Vec<ConfigValue<'t>> {
    if rel.ends_with(".properties") {
        config::properties(text)
    } else {
        config::yaml(text)
    }
}

/// The placeholders with a default in a line (`${NAME:default}`,
/// `${NAME:-default}`, nested ones too): each variable's name and its
/// default's span, in characters.
fn placeholder_defaults(line: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let chars: Vec<char> = line.chars().collect();
    let mut found = Vec::new();
    for start in 0..chars.len() {
        if chars[start] != '$' || chars.get(start + 1) != Some(&'{') {
            continue;
        }
        let name: String = chars[start + 2..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '.')
            .collect();
        let mut at = start + 2 + name.chars().count();
        if chars.get(at) != Some(&':') {
            continue;
        }
        at += 1;
        if chars.get(at) == Some(&'-') {
            at += 1;
        }
        // To the brace that closes this placeholder.
        let mut depth = 1;
        let mut end = at;
        while end < chars.len() {
            match chars[end] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            end += 1;
        }
        found.push((name, at..end));
    }
    found
}

/// The environment variables a deployment file sets, with the value each
/// is given (`None` from a secret or a field): an env file's
/// `NAME=value`, a Dockerfile's `ENV`, a script's `export` (`set` in a
/// batch file), a Compose file's `- NAME=value` and `NAME: value`, a
/// manifest's `- name: NAME` with its `value`/`valueFrom`, and a ConfigMap's
/// `NAME: value`. Names as the environment writes them (capitals, digits,
/// `_`); nothing from other files (a job list's `- name: ZK_HOST`).
fn assigned_environment(rel: &str, text: &str) -> Vec<(String, Option<String>)> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let is_name = |n: &str| {
        n.len() > 1
            && n.starts_with(|c: char| c.is_ascii_uppercase())
            && n.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    };
    let unquoted = |v: &str| v.trim().trim_matches(['"', '\'']).to_string();
    // `NAME=value` or `NAME: value` (`sep`), after `prefix`.
    let pair = |line: &str, prefix: &str, seps: &[char]| -> Option<(String, Option<String>)> {
        let rest = line.trim_start().strip_prefix(prefix)?.trim_start();
        let rest = rest.trim_start_matches(['"', '\'']);
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
        let (key, after) = rest.split_at(end);
        let after = after.trim_start_matches(['"', '\'']);
        let value = seps.iter().find_map(|sep| after.strip_prefix(*sep))?;
        is_name(key).then(|| (key.to_string(), Some(unquoted(value))))
    };
    let lines = text.lines().filter(|l| !l.trim_start().starts_with('#'));
    let manifest = text.contains("apiVersion:") && text.contains("kind:");
    if name.ends_with(".env") {
        lines.filter_map(|l| pair(l, "", &['='])).collect()
    } else if crate::deployed::is_dockerfile(name) {
        // `ENV A=1` and `ENV A 1`.
        lines.filter_map(|l| pair(l, "ENV ", &['=', ' '])).collect()
    } else if name.ends_with(".sh") || name == "Jenkinsfile" {
        lines.filter_map(|l| pair(l, "export ", &['='])).collect()
    } else if name.ends_with(".bat") || name.ends_with(".cmd") {
        lines.filter_map(|l| pair(l, "set ", &['='])).collect()
    } else if crate::deployed::is_compose_file(rel) {
        lines
            .filter_map(|l| pair(l, "- ", &['=']).or_else(|| pair(l, "", &[':'])))
            .collect()
    } else if manifest {
        let lines: Vec<&str> = lines.collect();
        let mut found = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            if let Some(entry) = line.trim_start().strip_prefix("- name:") {
                let key = unquoted(entry);
                let next = lines.get(n + 1).map_or("", |l| l.trim_start());
                if !is_name(&key) {
                    continue;
                }
                if let Some(value) = next.strip_prefix("value:") {
                    // A block scalar (`value: >-`) goes on below, indented.
                    let block = matches!(value.trim(), ">" | ">-" | ">+" | "|" | "|-" | "|+");
                    let value = if block {
                        let indent = |l: &str| l.len() - l.trim_start().len();
                        let at = lines.get(n + 1).map_or(0, |l| indent(l));
                        let text: Vec<&str> = lines[(n + 2).min(lines.len())..]
                            .iter()
                            .take_while(|l| indent(l) > at && !l.trim().is_empty())
                            .map(|l| l.trim())
                            .collect();
                        text.join(" ")
                    } else {
                        unquoted(value)
                    };
                    found.push((key, Some(value)));
                } else if next.starts_with("valueFrom:") {
                    found.push((key, None));
                }
            } else if let Some(entry) = pair(line, "", &[':']) {
                // A ConfigMap's data, given whole as the environment.
                found.push(entry);
            }
        }
        found
    } else {
        Vec::new()
    }
}

/// The activations a text holds, each a list of profiles: what follows
/// each of [`ACTIVATIONS`] (`=prod`, `: prod, cloud`, a Dockerfile's `ENV
/// SPRING_PROFILES_ACTIVE prod`, a manifest's next-line `value: prod`, a
/// JSON `"name": "SPRING_PROFILES_ACTIVE", "value": "aws"`), or
/// [`UNKNOWN_PROFILE`] for a value that cannot be read here. Mentions in
/// comments and prose (`export SPRING_PROFILES_ACTIVE before…`) are none.
fn activated_in(text: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for marker in ACTIVATIONS {
        for (at, _) in text.match_indices(marker) {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = text[line_start..at].trim_start();
            if line.starts_with('#') || line.starts_with("//") {
                continue;
            }
            let after = &text[at + marker.len()..];
            let quotes = |c: char| matches!(c, '"' | '\'');
            let mut rest = after.trim_start_matches(quotes);
            // `=`, `:` or, in a Dockerfile's `ENV`, a space.
            let assigned = rest.trim_start_matches([' ', '\t']).starts_with(['=', ':']);
            let env_line = line.starts_with("ENV");
            // A JSON entry's `, "value": …`, a manifest's next-line `value:`.
            let named =
                rest.trim_start().starts_with(',') || rest.trim_start().starts_with("value");
            if !(assigned || env_line || named) {
                continue;
            }
            rest = rest.trim_start_matches(|c: char| {
                c.is_whitespace() || quotes(c) || matches!(c, '=' | ':' | ',')
            });
            if let Some(value) = rest.strip_prefix("value") {
                rest =
                    value.trim_start_matches(|c: char| c.is_whitespace() || quotes(c) || c == ':');
            }
            let mut value = String::new();
            let mut after_comma = false;
            for c in rest.chars() {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') {
                    value.push(c);
                    after_comma = false;
                } else if c == ',' {
                    value.push(c);
                    after_comma = true;
                } else if c == ' ' && after_comma {
                } else {
                    break;
                }
            }
            let profiles: Vec<String> = value
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| p.to_ascii_lowercase())
                .collect();
            if profiles.is_empty() || value == "valueFrom" {
                found.push(vec![UNKNOWN_PROFILE.to_string()]);
            } else {
                found.push(profiles);
            }
        }
    }
    found
}

/// Whether a value a deployment file sets names an address of its own:
/// a machine's IP, or this machine (`localhost`, `127.0.0.1`).
fn names_an_address(value: &str) -> bool {
    !crate::ip::find_ips(value).is_empty()
        || crate::matchers::loopback_service::loopback_host(value).is_some()
}

/// The environment variable Spring Boot binds to a key
/// (`spring.datasource.url` → `SPRING_DATASOURCE_URL`, dashes dropped);
/// none for a key with an index or other characters.
fn environment_variable(key: &str) -> Option<String> {
    key.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .then(|| {
            key.chars()
                .filter(|&c| c != '-')
                .map(|c| {
                    if c == '.' {
                        '_'
                    } else {
                        c.to_ascii_uppercase()
                    }
                })
                .collect()
        })
}

/// Whether a name reads as a plain profile name (`prod`, `k8s-eu`), not
/// a placeholder or a build filter's token.
fn is_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The profiles a configuration value lists (`prod, k8s`), lowercased;
/// [`UNKNOWN_PROFILE`] for one this cannot read (`${PROFILE:prod}`,
/// `@profile.active@`).
fn profile_list(value: &str) -> Vec<String> {
    let profiles: Vec<String> = value
        .split(',')
        .map(|p| p.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    if !profiles.is_empty() && profiles.iter().all(|p| is_profile_name(p)) {
        profiles
    } else {
        vec![UNKNOWN_PROFILE.to_string()]
    }
}

/// The module a repository path is in: the folder above its
/// `src/main/resources`, or its own folder.
fn module_of(rel: &str) -> &str {
    match rel.find("src/main/resources/") {
        Some(0) => "",
        Some(at) => rel[..at].trim_end_matches('/'),
        None => rel.rsplit_once('/').map_or("", |(dir, _)| dir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_images_working_directory_is_its_last_stages() {
        let built = "FROM maven AS build\nWORKDIR /src\nRUN mvn package\nFROM eclipse-temurin:17\nCOPY --from=build /src/app.jar /app.jar\n";
        assert_eq!(final_workdir(built), "");
        assert_eq!(
            final_workdir("FROM jre\nWORKDIR /opt/\nworkdir shop\n"),
            "/opt/shop"
        );
    }
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
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        let why = o.overridden("shop/src/main/resources/application.yml", 6, true);
        assert_eq!(
            why.as_deref(),
            Some("every profile a pod may run with sets it again (shop/src/main/resources/application-prod.yml, config/shop-test.yaml): not what a pod runs with")
        );
        // Redis' host is set by no profile: the base value runs.
        assert_eq!(
            o.overridden("shop/src/main/resources/application.yml", 8, true),
            None
        );
    }

    #[test]
    fn a_key_whose_environment_variable_the_pods_get_is_not_what_they_run_with() {
        let manifest = |url: &str| {
            format!("apiVersion: apps/v1\nkind: Deployment\nspec:\n  containers:\n    - env:\n        - name: SPRING_DATASOURCE_URL\n          value: >-\n            {url}\n        - name: SPRING_REDIS_HOST\n          value: 127.0.0.1\n")
        };
        let base = "spring:\n  datasource:\n    url: jdbc:mysql://127.0.0.1:3306/shop\n  redis:\n    host: localhost\n  rabbitmq:\n    host: localhost\n";
        let app = "shop/src/main/resources/application.yml";
        let (_dir, files) = repo(&[
            (app, base),
            (
                "deploy/k8s/shop.yaml",
                &manifest("jdbc:mysql://mysql:3306/shop"),
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(
            o.set_in_pods(app, 3).as_deref(),
            Some("replaced in the pods: deploy/k8s/shop.yaml sets SPRING_DATASOURCE_URL, which Spring Boot takes before this file")
        );
        // Set to an address of the manifest's own, or not set at all.
        assert_eq!(o.set_in_pods(app, 5), None);
        assert_eq!(o.set_in_pods(app, 7), None);
        // The block scalar's text is read: a loopback there is no fix.
        let (_dir, files) = repo(&[
            (app, base),
            (
                "deploy/k8s/shop.yaml",
                &manifest("jdbc:mysql://127.0.0.1:3306/shop"),
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(o.set_in_pods(app, 3), None);
    }

    #[test]
    fn logback_sections_the_repository_activates_run_in_pods() {
        let sections = |used_in: &[&str]| ProfileSections {
            used_in: used_in.iter().map(|s| s.to_string()).collect(),
            in_file: ["dev", "test", "prod"].map(String::from).to_vec(),
        };
        let base = "app/src/main/resources/application.yml";
        let lowered = |files: &[(&str, &str)], used_in: &[&str]| {
            let (_dir, files) = repo(files);
            ProfileOverrides::new(&files, 1 << 20, false, HashMap::new())
                .only_in_sections(&sections(used_in))
                .is_some()
        };
        // A developer's default activation says nothing of pods.
        let developer = "spring:\n  profiles:\n    active: dev\n";
        assert!(lowered(&[(base, developer)], &["test"]));
        assert!(lowered(&[(base, developer)], &["DEV & !kubernetes"]));
        for kept in [
            "prod, test",
            "(dev | test)",
            "${ENV}",
            "UAT",
            "Prod",
            "!dev",
        ] {
            assert!(!lowered(&[(base, developer)], &[kept]), "{kept}");
        }
        // The QA environment's pods run `test`: a Dockerfile or the base
        // configuration (nested YAML too) activates it.
        for (file, text) in [
            ("app/Dockerfile", "ENV SPRING_PROFILES_ACTIVE=prod,test\n"),
            (base, "spring:\n  profiles:\n    active: test\n"),
            (base, "spring.profiles.active=${PROFILE:test}\n"),
            (base, "spring:\n  profiles:\n    include: test\n"),
            (base, "spring:\n  profiles:\n    group:\n      prod: test\n"),
        ] {
            assert!(!lowered(&[(file, text)], &["test"]), "{text}");
            // Profiles a group adds or read elsewhere may be any; an
            // include adds those it names.
            let unknown = text.contains("group") || text.contains('$');
            assert_eq!(lowered(&[(file, text)], &["dev"]), !unknown, "{text}");
        }
    }

    #[test]
    fn a_yaml_value_the_properties_file_beside_it_sets_again_is_not_what_a_pod_runs_with() {
        let (_dir, files) = repo(&[
            ("app/src/main/resources/application.yml", BASE),
            (
                "app/src/main/resources/application.properties",
                "spring.data.mongodb.host=mongo\nredis.host=\n",
            ),
            ("app/src/main/resources/bootstrap-prod.yaml", BASE),
            ("other/application.yml", BASE),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(
            o.shadowed_by_properties("app/src/main/resources/application.yml", 6, true)
                .as_deref(),
            Some("app/src/main/resources/application.properties sets it again, and Spring Boot takes a .properties file's value before the YAML file's of the same name: not what a pod runs with")
        );
        // Emptied: an empty address may be the library's default.
        assert!(o
            .shadowed_by_properties("app/src/main/resources/application.yml", 8, true)
            .is_some());
        assert!(o
            .shadowed_by_properties("app/src/main/resources/application.yml", 8, false)
            .is_none());
        // Another key, another name, another folder: the YAML file's own.
        assert!(o
            .shadowed_by_properties("app/src/main/resources/application.yml", 9, true)
            .is_none());
        assert!(o
            .shadowed_by_properties("app/src/main/resources/bootstrap-prod.yaml", 6, true)
            .is_none());
        assert!(o
            .shadowed_by_properties("other/application.yml", 6, true)
            .is_none());
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
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(
            o.not_activated("app/application-beta.yml").as_deref(),
            Some("in the `beta` profile's configuration, which no deployment of the application activates (they activate prod)")
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
        assert!(o.overridden("app/application.yml", 6, true).is_none());
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
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert!(o.overridden("app/application.yml", 6, true).is_some());
        // Emptied, the key is set again, but an empty host is often the
        // library's default: for an address, it does not count.
        let (_dir, files) = repo(&[
            ("app/application.yml", BASE),
            (
                "app/application-prod.yml",
                "spring:\n  data:\n    mongodb:\n      host:\n",
            ),
            (
                "shell/start.sh",
                "java -jar app.jar --spring.profiles.active=prod\n",
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert!(o.overridden("app/application.yml", 6, true).is_some());
        assert!(o.overridden("app/application.yml", 6, false).is_none());
        // An activation in Spring's own files is a default: no deployment.
        let (_dir, files) = repo(&[
            ("app/application.yml", "spring.profiles.active: prod\n"),
            ("app/application-beta.yml", "server.port: 8081\n"),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(o.not_activated("app/application-beta.yml"), None);
        // A deployment whose profile cannot be read may run any.
        let (_dir, files) = repo(&[
            ("app/application-beta.yml", "server.port: 8081\n"),
            ("Dockerfile", "ENV SPRING_PROFILES_ACTIVE=${PROFILE}\n"),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(o.not_activated("app/application-beta.yml"), None);
    }

    #[test]
    fn the_environment_deployment_files_set_is_read_by_kind_of_file() {
        let names = |rel: &str, text: &str| -> Vec<(String, Option<String>)> {
            assigned_environment(rel, text)
        };
        let set = |name: &str, value: Option<&str>| (name.to_string(), value.map(String::from));
        assert_eq!(
            names(
                "docker/tb-node.env",
                "# comment\nZOOKEEPER_URL=zookeeper:2181\nlower=1\n"
            ),
            [set("ZOOKEEPER_URL", Some("zookeeper:2181"))]
        );
        assert_eq!(
            names(
                "Dockerfile",
                "FROM x\nENV REDIS_HOST=redis\nENV MQ_HOST mq\n"
            ),
            [set("REDIS_HOST", Some("redis")), set("MQ_HOST", Some("mq"))]
        );
        // A script's variable reaches the application only exported.
        assert_eq!(
            names("bin/start.sh", "MQ_HOST=localhost\nexport DB_HOST=db\n"),
            [set("DB_HOST", Some("db"))]
        );
        assert_eq!(
            names("k8s/app.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  env:\n    - name: DB_URL\n      valueFrom:\n        secretKeyRef: {}\n    - name: CACHE_HOST\n      value: \"cache\"\n"),
            [set("DB_URL", None), set("CACHE_HOST", Some("cache"))]
        );
        assert_eq!(
            names("docker-compose.yml", "services:\n  app:\n    environment:\n      - KAFKA_SERVERS=kafka:9092\n      REDIS_HOST: redis\n"),
            [set("KAFKA_SERVERS", Some("kafka:9092")), set("REDIS_HOST", Some("redis"))]
        );
        // A job list in the application's resources is no deployment.
        assert!(names(
            "src/main/resources/jobs.yml",
            "jobs:\n  - name: ZK_HOST\n    value: x\n"
        )
        .is_empty());
    }

    #[test]
    fn only_the_default_a_deployment_replaces_is_out_of_use() {
        let line =
            "url: jdbc:mysql://10.20.30.40:${DB_PORT:3306}/orders ${ZK:${ZK_HOST:localhost}:2181}";
        let defaults = placeholder_defaults(line);
        let spans: Vec<String> = defaults
            .iter()
            .map(|(name, span)| {
                let text: String = line.chars().skip(span.start).take(span.len()).collect();
                format!("{name}={text}")
            })
            .collect();
        assert_eq!(
            spans,
            [
                "DB_PORT=3306",
                "ZK=${ZK_HOST:localhost}:2181",
                "ZK_HOST=localhost"
            ]
        );
        let (_dir, files) = repo(&[
            (
                "app/src/main/resources/application.yml",
                &format!("db:\n  {line}\nmq:\n  host: ${{MQ_HOST:localhost}}\n"),
            ),
            (
                "docker/app.env",
                "DB_PORT=3306\nZK=zk:2181\nMQ_HOST=127.0.0.1\n",
            ),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        let path = "app/src/main/resources/application.yml";
        let column = |needle: &str| line.find(needle).expect("in the line") + 3;
        // The address written outside the placeholder stays.
        assert_eq!(o.environment_replaced(path, 2, column("10.20.30.40")), None);
        assert!(o
            .environment_replaced(path, 2, column("localhost"))
            .is_some());
        // A deployment that gives a hard-coded address replaces nothing.
        assert_eq!(o.environment_replaced(path, 4, 18), None);
    }

    #[test]
    fn a_document_starts_at_three_dashes_alone_or_before_a_comment() {
        for line in ["---", "---\n", "--- # production", "---\t# prod"] {
            assert!(starts_document(line), "{line:?}");
        }
        for line in ["----", "---x", " ---", "# ---"] {
            assert!(!starts_document(line), "{line:?}");
        }
    }

    #[test]
    fn activations_are_read_as_deployments_write_them() {
        let read = |text: &str| activated_in(text);
        assert_eq!(read("ENV SPRING_PROFILES_ACTIVE=prod"), [["prod"]]);
        assert_eq!(read("ENV SPRING_PROFILES_ACTIVE prod\n"), [["prod"]]);
        assert_eq!(
            read("java -Dspring.profiles.active=Prod,K8s -jar a.jar"),
            [["prod", "k8s"]]
        );
        assert_eq!(
            read("        - name: SPRING_PROFILES_ACTIVE\n          value: \"prod, k8s\"\n"),
            [["prod", "k8s"]]
        );
        assert_eq!(
            read("{\"name\": \"SPRING_PROFILES_ACTIVE\", \"value\": \"aws\"}"),
            [["aws"]]
        );
        assert_eq!(
            read("SPRING_PROFILES_ACTIVE: ${PROFILE}"),
            [[UNKNOWN_PROFILE]]
        );
        // Prose and comments activate nothing.
        assert!(read("# Usage: export SPRING_PROFILES_ACTIVE before starting\n").is_empty());
        assert!(read("Set SPRING_PROFILES_ACTIVE before starting.\n").is_empty());
    }

    #[test]
    fn only_the_applications_own_production_deployments_say_what_pods_run() {
        let prod_script = (
            "shell/start.sh",
            "java -jar app.jar --spring.profiles.active=prod\n",
        );
        let beta = (
            "order/src/main/resources/application-beta.yml",
            "server.port: 8081\n",
        );
        let base = (
            "order/src/main/resources/application.yml",
            "server.port: 8080\n",
        );
        let lowered = |files: &[(&str, &str)]| {
            let (_dir, files) = repo(files);
            ProfileOverrides::new(&files, 1 << 20, false, HashMap::new())
                .not_activated("order/src/main/resources/application-beta.yml")
                .is_some()
        };
        assert!(lowered(&[base, beta, prod_script]));
        for (what, other) in [
            // Profiles added out of sight.
            (
                "a group",
                (
                    "order/src/main/resources/application-prod.yml",
                    "spring.profiles.group.prod: prod,beta\n",
                ),
            ),
            (
                "an include",
                (
                    "order/src/main/resources/application-prod.yml",
                    "spring:\n  profiles:\n    include: beta\n",
                ),
            ),
            (
                "Java code",
                (
                    "order/src/main/java/App.java",
                    "app.setAdditionalProfiles(\"beta\");",
                ),
            ),
            // A deployment whose profiles cannot be read.
            (
                "an unreadable value",
                ("docker/Dockerfile", "ENV SPRING_PROFILES_ACTIVE=${ENV}\n"),
            ),
        ] {
            let (_dir, repo_files) = repo(&[base, beta, prod_script, other]);
            // What the analysis of the Java sources says.
            let sets = other.0.ends_with(".java") && sets_profiles(other.1);
            let o = ProfileOverrides::new(&repo_files, 1 << 20, sets, HashMap::new());
            assert_eq!(
                o.not_activated("order/src/main/resources/application-beta.yml"),
                None,
                "{what}"
            );
        }
        // A developer's or a test run's activation says nothing of production.
        assert!(!lowered(&[
            base,
            beta,
            (
                "start-dev.sh",
                "java -Dspring.profiles.active=dev,mock -jar app.jar\n"
            )
        ]));
        assert!(!lowered(&[
            base,
            beta,
            (
                "run-it.sh",
                "java -jar app.jar --spring.profiles.active=test\n"
            )
        ]));
        // Another application's own deployment decides nothing here.
        assert!(!lowered(&[
            base,
            beta,
            (
                "billing/src/main/resources/application.yml",
                "server.port: 8080\n"
            ),
            ("billing/Dockerfile", "ENV SPRING_PROFILES_ACTIVE=prod\n"),
        ]));
        // Environments before production are kept.
        let (_dir, files) = repo(&[
            base,
            ("order/src/main/resources/application-uat.yml", "a: 1\n"),
            prod_script,
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(
            o.not_activated("order/src/main/resources/application-uat.yml"),
            None
        );
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
            let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
            assert_eq!(
                o.overridden("app/application.yml", 6, true),
                None,
                "{activation}"
            );
        }
        // A developer's profile activated somewhere does not run in pods.
        let (_dir, files) = files("spring.profiles.active: dev\n");
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert!(o.overridden("app/application.yml", 6, true).is_some());
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
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(o.overridden("app/application.yml", 6, true), None);
        let (_dir, files) = repo(&[
            ("app/application.yml", BASE),
            (
                "app/application-prod.yml",
                "spring.data.mongodb.host: mongo\n",
            ),
            ("app/application-staging.yml", "server.port: 8080\n"),
        ]);
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(o.overridden("app/application.yml", 6, true), None);
        // Only the base files are overridden: a profile's own file is not.
        assert_eq!(o.overridden("app/application-prod.yml", 1, true), None);
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
            let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
            assert_eq!(o.overridden("app/application.yml", 6, true), None, "{prod}");
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
        let o = ProfileOverrides::new(&files, 1 << 20, false, HashMap::new());
        assert_eq!(o.overridden("app/application.yml", 6, true), None);
    }
}
