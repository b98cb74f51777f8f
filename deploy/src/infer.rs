//! What a repository says about how it is deployed: the facts `deploy init`
//! writes into `deploy.yaml`, each with where it came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use podready_analyzer::pom::{DependencySection, Project};
use podready_analyzer::text::SourceText;
use podready_analyzer::walk::{self, FileKind};
use podready_analyzer::{config, load_poms, read_text, xml, AnalyzeError, Options};
use podready_rules::RulePack;

use crate::spec::{
    AppSpec, DatabaseDependency, DependenciesSpec, DeploySpec, EnvSpec, HooksSpec,
    MiddlewareDependency, Packaging, ReleaseSpec, API_VERSION,
};

/// Why a spec could not be inferred.
#[derive(Debug, thiserror::Error)]
pub enum InferError {
    #[error(transparent)]
    Analyze(#[from] AnalyzeError),
    #[error("{}: no pom.xml found; podready works on Maven projects", .0.display())]
    NoPom(PathBuf),
    #[error("--module {module}: no pom.xml in that folder; the deployable modules are: {known}")]
    NoModule { module: String, known: String },
    #[error("invalid rule pack: {0}")]
    Rules(String),
}

/// A spec inferred from a repository, with the origin of each value (by
/// dotted field) and what a person should know.
#[derive(Debug, Clone)]
pub struct InferredSpec {
    pub spec: DeploySpec,
    pub origins: BTreeMap<String, String>,
    pub warnings: Vec<String>,
}

/// How many deployable modules a warning names before "and N more".
const MODULES_LISTED: usize = 8;

const DEFAULT_PRIVILEGES: [&str; 4] = ["SELECT", "INSERT", "UPDATE", "DELETE"];

/// The pom of the application to describe: the module in the folder
/// `module`, or the one that looks most like the application.
fn chosen_module(project: &Project, module: Option<&str>) -> Result<usize, InferError> {
    let Some(dir) = module else {
        return Ok(app_pom(project));
    };
    let dir = dir.trim_end_matches('/').trim_start_matches("./");
    let dir = if dir.is_empty() { "." } else { dir };
    project
        .poms
        .iter()
        .position(|p| pom_dir(&p.path) == dir)
        .ok_or_else(|| InferError::NoModule {
            module: dir.to_string(),
            known: deployable(project)
                .iter()
                .map(|i| pom_dir(&project.poms[*i].path))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The warning that names the repository's other applications, when it
/// has more than the one described.
fn other_applications(project: &Project, app_pom: usize) -> Option<String> {
    let deployable_poms = deployable(project);
    if deployable_poms.len() < 2 {
        return None;
    }
    // The chosen one first; a long list is cut.
    let mut order = deployable_poms.clone();
    order.sort_by_key(|i| *i != app_pom);
    let mut listed: Vec<String> = order
        .iter()
        .take(MODULES_LISTED)
        .map(|i| {
            let kind = project.application_kind(*i).unwrap_or("jar");
            let chosen = if *i == app_pom {
                ", described here"
            } else {
                ""
            };
            format!("{} ({kind}{chosen})", pom_dir(&project.poms[*i].path))
        })
        .collect();
    if deployable_poms.len() > MODULES_LISTED {
        listed.push(format!(
            "and {} more",
            deployable_poms.len() - MODULES_LISTED
        ));
    }
    Some(format!(
        "{} deployable modules: {}; for another, run `podready deploy init --module <folder>` (deploy.yaml describes one application)",
        deployable_poms.len(),
        listed.join(", "),
    ))
}

/// How the application is packaged, and why podready says so.
fn packaging(project: &Project, app_pom: usize) -> (Packaging, String) {
    let pom = &project.poms[app_pom];
    match project.application_kind(app_pom) {
        Some(war @ ("war" | "ear")) => (
            Packaging::War,
            format!("<packaging>{war}</packaging> in {}: runs on Tomcat", pom.path),
        ),
        Some("Spring Boot") => (
            Packaging::Jar,
            format!("spring-boot-maven-plugin in {}: an executable jar", pom.path),
        ),
        Some("executable jar") => (
            Packaging::Jar,
            format!("a packaging plugin in {} names the main class: an executable jar", pom.path),
        ),
        Some(_) => (
            Packaging::Jar,
            format!("{} assembles a distribution of the repository's modules: assumed it starts a jar, check it", pom.path),
        ),
        None if pom.packaging() == "pom" => (
            Packaging::Jar,
            format!("{} only aggregates modules, none of them an application: assumed an executable jar, check it", pom.path),
        ),
        None => (
            Packaging::Jar,
            format!("{} packaging in {} names no main class: assumed an executable jar, check it", pom.packaging(), pom.path),
        ),
    }
}

/// `order-web/pom.xml` → `order-web`; `pom.xml` → `.`.
fn pom_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => ".".to_string(),
    }
}

/// Infers the deploy spec of the repository at `root`, for the
/// application module in the folder `module` (relative to `root`) or, by
/// default, the one that looks most like the application.
pub fn infer(
    root: &Path,
    pack: &RulePack,
    options: &Options,
    module: Option<&str>,
) -> Result<InferredSpec, InferError> {
    let poms = load_poms(root, options)?;
    if poms.project.poms.is_empty() {
        return Err(InferError::NoPom(root.to_path_buf()));
    }
    let project = &poms.project;
    let mut origins = Origins::new();
    let mut warnings = Vec::new();

    let app_pom = chosen_module(project, module)?;
    if module.is_none() {
        warnings.extend(other_applications(project, app_pom));
    }
    let pom = &project.poms[app_pom];
    let name = dns_name(pom.artifact());
    note(
        &mut origins,
        "app.name",
        format!("artifactId of {}", pom.path),
    );
    let (packaging, why) = packaging(project, app_pom);
    note(&mut origins, "app.packaging", why);
    note(
        &mut origins,
        "app.port",
        "the deploy standard; `podready check` reports code that listens elsewhere (deploy/port)",
    );
    note(&mut origins, "app.path", "the deploy standard");
    let modules = modules_of(project, app_pom);
    let probes = health_probes(project, app_pom, &modules, pack, &mut origins);
    let middleware = middleware(project, &modules, pack, &mut origins);
    let found = Scripts::find(root, project, &modules, pack, options)?;
    warnings.extend(found.warnings);
    origins.extend(found.origins);

    let spec = DeploySpec {
        api_version: API_VERSION.to_string(),
        app: AppSpec {
            name,
            owner: None,
            packaging,
            port: pack.standard.http_port,
            path: pack.standard.deploy_path.clone(),
            health: probes.health,
            liveness: probes.liveness,
            readiness: probes.readiness,
            part_of: None,
        },
        env: EnvSpec::default(),
        release: ReleaseSpec::default(),
        dependencies: DependenciesSpec {
            databases: found.databases,
            middleware,
        },
        hooks: found.hooks,
    };
    Ok(InferredSpec {
        spec,
        origins,
        warnings,
    })
}

/// Where each inferred value came from, by dotted field.
type Origins = BTreeMap<String, String>;

fn note(origins: &mut Origins, field: &str, text: impl Into<String>) {
    origins.insert(field.to_string(), text.into());
}

/// The health paths the platform probes.
struct HealthProbes {
    health: String,
    liveness: Option<String>,
    readiness: Option<String>,
}

/// The health paths of the app: Spring Boot actuator's when the app has
/// it (with its liveness and readiness groups from Spring Boot 2.3), else
/// the standard's default.
fn health_probes(
    project: &Project,
    app_pom: usize,
    modules: &[usize],
    pack: &RulePack,
    origins: &mut Origins,
) -> HealthProbes {
    let Some((at, boot)) = actuator(project, app_pom, modules) else {
        note(
            origins,
            "app.health",
            "no Spring Boot actuator: the standard's default health path",
        );
        return HealthProbes {
            health: pack.standard.default_health_path.clone(),
            liveness: None,
            readiness: None,
        };
    };
    let release = boot.as_deref().and_then(major_minor);
    let health = if release.is_some_and(|r| r.0 == 1) {
        "/health"
    } else {
        "/actuator/health"
    };
    note(
        origins,
        "app.health",
        format!("spring-boot-starter-actuator in {at}"),
    );
    let mut probes = HealthProbes {
        health: health.to_string(),
        liveness: None,
        readiness: None,
    };
    // Spring Boot 2.3 added the liveness and readiness groups, and serves
    // them when it runs on Kubernetes.
    if release.is_some_and(|r| r >= (2, 3)) {
        let version = boot.unwrap_or_default();
        for (field, group, slot) in [
            ("app.liveness", "liveness", &mut probes.liveness),
            ("app.readiness", "readiness", &mut probes.readiness),
        ] {
            *slot = Some(format!("/actuator/health/{group}"));
            note(
                origins,
                field,
                format!("Spring Boot {version} with actuator in {at} serves it"),
            );
        }
    }
    probes
}

/// The middleware the app's modules depend on, one per kind.
fn middleware(
    project: &Project,
    modules: &[usize],
    pack: &RulePack,
    origins: &mut Origins,
) -> Vec<MiddlewareDependency> {
    let mut found: Vec<MiddlewareDependency> = Vec::new();
    for p in modules.iter().map(|i| &project.poms[*i]) {
        for d in p.dependencies.iter().filter(|d| d.scope() != "test") {
            let coords = format!("{}:{}", d.group(), d.artifact());
            let Some(m) = pack
                .middleware
                .iter()
                .find(|m| m.artifacts.contains(&coords))
            else {
                continue;
            };
            if !found.iter().any(|x| x.kind == m.kind) {
                note(
                    origins,
                    &format!("dependencies.middleware.{}", m.kind),
                    format!("{coords} in {}", p.path),
                );
                found.push(MiddlewareDependency {
                    kind: m.kind.clone(),
                    artifact: coords,
                });
            }
        }
    }
    found
}

/// What the app's files say: its legacy hook scripts and the databases
/// its configuration connects to.
#[derive(Default)]
struct Scripts {
    hooks: HooksSpec,
    databases: Vec<DatabaseDependency>,
    origins: Origins,
    warnings: Vec<String>,
}

impl Scripts {
    fn find(
        root: &Path,
        project: &Project,
        modules: &[usize],
        pack: &RulePack,
        options: &Options,
    ) -> Result<Scripts, InferError> {
        let hook_globs = hook_globs(pack)?;
        let post_start = GlobBuilder::new(
            "{post-start,post_start,poststart,after-start,after_start,afterstart}*",
        )
        .case_insensitive(true)
        .build()
        .map_err(|e| InferError::Rules(e.to_string()))?
        .compile_matcher();
        let exclude = walk::glob_set(&options.exclude)?;
        let tests = walk::glob_set(&options.test_roots)?;
        let wanted = |n: &str| hook_globs.0.is_match(n) || post_start.is_match(n);
        let selection = walk::Selection {
            exclude: &exclude,
            test_roots: &tests,
            wanted: &wanted,
        };
        let walked = walk::walk(root, &selection, None);

        let mut found = Scripts::default();
        for f in walked.files.iter().filter(|f| !f.is_test) {
            // Another application's hooks and configuration are not this one's.
            if owner(project, &f.rel).is_some_and(|o| !modules.contains(&o)) {
                continue;
            }
            let file_name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            if post_start.is_match(file_name) {
                found.warnings.push(format!(
                    "{} is a post-start hook, which the platform does not run; move its work to pre-online (after the app is ready, before it takes traffic) or pre-start",
                    f.rel
                ));
            } else if let Some(i) = hook_globs.0.matches(file_name).first() {
                found.hook(&f.rel, hook_globs.1[*i].as_str());
            } else if let Ok(src) = read_text(f, options.max_file_size) {
                found.databases_in(&f.rel, f.kind, &src);
            }
        }
        Ok(found)
    }

    /// A legacy script that maps to `hook`: the hook's script, unless one
    /// was found first.
    fn hook(&mut self, rel: &str, hook: &str) {
        let plain = rel
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
        if !plain {
            self.warnings.push(format!(
                "{rel} looks like a {hook} hook, but its path has characters a pod's shell would misread; rename it"
            ));
            return;
        }
        let slot = match hook {
            "pre-start" => &mut self.hooks.pre_start,
            "pre-online" => &mut self.hooks.pre_online,
            _ => &mut self.hooks.pre_offline,
        };
        if slot.is_none() {
            *slot = Some(rel.to_string());
            note(
                &mut self.origins,
                &format!("hooks.{hook}"),
                format!("legacy hook script {rel}"),
            );
        }
    }

    /// The schemas of the JDBC URLs in a configuration file.
    fn databases_in(&mut self, rel: &str, kind: FileKind, src: &SourceText) {
        let values: Vec<(usize, String)> = match kind {
            FileKind::Properties => config::properties(&src.text)
                .into_iter()
                .map(|v| (v.start, v.value.to_string()))
                .collect(),
            FileKind::Yaml => config::yaml(&src.text)
                .into_iter()
                .map(|v| (v.start, v.value.to_string()))
                .collect(),
            FileKind::Xml => {
                let (items, _) = xml::scan(&src.text);
                xml::values(&items)
                    .into_iter()
                    .map(|v| (v.start, v.value.to_string()))
                    .collect()
            }
            _ => Vec::new(),
        };
        for (start, value) in values {
            let Some(schema) = jdbc_schema(&value) else {
                continue;
            };
            if self.databases.iter().any(|d| d.schema == schema) {
                continue;
            }
            note(
                &mut self.origins,
                &format!("dependencies.databases.{schema}"),
                format!("JDBC URL in {rel}:{}", src.line_of(start)),
            );
            self.databases.push(DatabaseDependency {
                name: schema.clone(),
                schema,
                privileges: DEFAULT_PRIVILEGES.iter().map(|s| s.to_string()).collect(),
            });
        }
    }
}

/// The pom that builds the application: the root pom unless it is only an
/// aggregator, then the first war module, then the first Spring Boot one.
fn app_pom(project: &Project) -> usize {
    let root = project
        .poms
        .iter()
        .position(|p| p.path == "pom.xml")
        .unwrap_or(0);
    if project.poms[root].packaging() != "pom" {
        return root;
    }
    let found = deployable(project);
    [
        "war",
        "ear",
        "Spring Boot",
        "executable jar",
        "distribution",
    ]
    .iter()
    .find_map(|kind| {
        found
            .iter()
            .copied()
            .find(|i| project.application_kind(*i) == Some(kind))
    })
    .unwrap_or(root)
}

/// The poms of deployable modules: what `Project::application_kind` calls
/// an application.
fn deployable(project: &Project) -> Vec<usize> {
    (0..project.poms.len())
        .filter(|i| project.application_kind(*i).is_some())
        .collect()
}

/// `2.7.18` → (2, 7).
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts
        .next()?
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()?;
    Some((major, minor))
}

/// The pom of the application's modules that has the actuator, and the
/// application's Spring Boot version when it is known.
fn actuator(project: &Project, app: usize, modules: &[usize]) -> Option<(String, Option<String>)> {
    let at = modules.iter().copied().find(|i| {
        project.poms[*i]
            .dependencies
            .iter()
            .filter(|d| d.section == DependencySection::Dependencies)
            .any(|d| d.artifact() == "spring-boot-starter-actuator")
    })?;
    let boot_version = project
        .lineage(app)
        .into_iter()
        .chain(project.lineage(at))
        .find_map(|p| {
            let pom = &project.poms[p];
            pom.parent
                .as_ref()
                .filter(|par| {
                    par.artifact_id
                        .as_ref()
                        .is_some_and(|a| a.value == "spring-boot-starter-parent")
                })
                .and_then(|par| par.version.as_ref().map(|v| v.value.clone()))
                .or_else(|| {
                    pom.dependencies
                        .iter()
                        .find(|d| d.artifact() == "spring-boot-dependencies")
                        .and_then(|d| d.version.as_ref())
                        .and_then(|v| project.interpolate(p, &v.value))
                })
        });
    Some((project.poms[at].path.clone(), boot_version))
}

/// The application's module, its parents, and the repository's modules it
/// depends on (with theirs): what ends up in what the pod runs.
fn modules_of(project: &Project, app: usize) -> Vec<usize> {
    let mut seen = vec![app];
    let mut next = 0;
    while next < seen.len() {
        let current = seen[next];
        next += 1;
        let mut found = project.lineage(current);
        let pom = &project.poms[current];
        for d in pom
            .dependencies
            .iter()
            .filter(|d| d.section == DependencySection::Dependencies && d.scope() != "test")
        {
            let group = project
                .interpolate(current, d.group())
                .unwrap_or_else(|| d.group().to_string());
            found.extend(project.poms.iter().position(|other| {
                other.artifact() == d.artifact() && other.effective_group() == group
            }));
        }
        for f in found {
            if !seen.contains(&f) {
                seen.push(f);
            }
        }
    }
    seen
}

/// The module whose folder holds a file: the deepest pom folder above it.
fn owner(project: &Project, rel: &str) -> Option<usize> {
    project
        .poms
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let dir = pom_dir(&p.path);
            dir == "." || rel.starts_with(&format!("{dir}/"))
        })
        .max_by_key(|(_, p)| p.path.len())
        .map(|(i, _)| i)
}

fn hook_globs(pack: &RulePack) -> Result<(GlobSet, Vec<String>), InferError> {
    let mut b = GlobSetBuilder::new();
    let mut names = Vec::new();
    for (hook, globs) in &pack.legacy_hooks {
        for g in globs {
            let glob = GlobBuilder::new(g)
                .case_insensitive(true)
                .build()
                .map_err(|e| InferError::Rules(format!("legacy_hooks `{g}`: {e}")))?;
            b.add(glob);
            names.push(hook.clone());
        }
    }
    let set = b.build().map_err(|e| InferError::Rules(e.to_string()))?;
    Ok((set, names))
}

/// A DNS label from an artifactId (`Order_Service` → `order-service`).
fn dns_name(artifact: &str) -> String {
    let mut s: String = artifact
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.truncate(40);
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "app".to_string()
    } else {
        s
    }
}

/// The schema of a value that is a MySQL/MariaDB JDBC URL. Text that only
/// mentions one (`格式：jdbc:mysql://ip:port/dbname` in a description) or
/// shows its shape with words for its parts is not a database.
fn jdbc_schema(value: &str) -> Option<String> {
    let value = value.trim();
    // The value itself, or a placeholder's default: `${DB_URL:jdbc:…}`.
    let value = match value.find("jdbc:") {
        Some(0) => value,
        Some(i) if value.starts_with("${") && value[..i].ends_with(':') => &value[i..],
        _ => return None,
    };
    let rest = value
        .strip_prefix("jdbc:mysql://")
        .or_else(|| value.strip_prefix("jdbc:mariadb://"))?;
    let (authority, path) = rest.split_once('/')?;
    // `user:password@host:port`: only what follows the credentials.
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // `host:port`, `ip:port`: a port that is neither a number nor a
    // placeholder means the URL is an example.
    // Placeholders: `${db.port}`, and Maven's resource filtering `@db.port@`.
    let port_ok = authority.contains("${")
        || authority.contains('@')
        || authority.split(',').all(|h| {
            h.rsplit_once(':').is_none_or(|(_, port)| {
                port.chars().all(|c| c.is_ascii_digit()) || port.contains("${")
            })
        });
    if !port_ok {
        return None;
    }
    let schema: String = path
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let example = ["dbname", "db_name", "database", "schema", "your_db"];
    (!schema.is_empty() && !example.contains(&schema.to_ascii_lowercase().as_str()))
        .then_some(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_of_jdbc_urls() {
        assert_eq!(
            jdbc_schema("jdbc:mysql://10.0.0.1:3306/order?x=1").as_deref(),
            Some("order")
        );
        assert_eq!(
            jdbc_schema("jdbc:mysql://${DB_HOST}/pay_db").as_deref(),
            Some("pay_db")
        );
        assert_eq!(jdbc_schema("jdbc:mysql://host:3306/").as_deref(), None);
        assert_eq!(jdbc_schema("jdbc:postgresql://h/x"), None);
        assert_eq!(
            jdbc_schema("${DB_URL:jdbc:mariadb://db:3306/stock}").as_deref(),
            Some("stock")
        );
        assert_eq!(
            jdbc_schema("jdbc:mysql://${db.host:127.0.0.1}:3306/pay").as_deref(),
            Some("pay")
        );
        assert_eq!(
            jdbc_schema("jdbc:mysql://@db.host@:@db.port@/order").as_deref(),
            Some("order")
        );
        assert_eq!(
            jdbc_schema("jdbc:mysql://app:s3cret@db/order").as_deref(),
            Some("order")
        );
    }

    #[test]
    fn text_that_only_shows_a_jdbc_url_is_no_database() {
        for doc in [
            "格式：jdbc:mysql://ip:port/dbname",
            "e.g. jdbc:mysql://10.0.0.1:3306/order",
            "jdbc:mysql://ip:port/dbname",
            "jdbc:mysql://host:port/order",
            "jdbc:mysql://10.0.0.1:3306/dbname",
        ] {
            assert_eq!(jdbc_schema(doc), None, "{doc}");
        }
    }

    #[test]
    fn dns_names() {
        assert_eq!(dns_name("Order_Service"), "order-service");
        assert_eq!(dns_name("__"), "app");
    }
}
