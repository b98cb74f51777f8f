//! What a repository says about how it is deployed: the facts `deploy init`
//! writes into `deploy.yaml`, each with where it came from.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use podready_rules::deploy::{
    AppSpec, DatabaseDependency, DependenciesSpec, DeploySpec, EnvSpec, HooksSpec,
    MiddlewareDependency, Packaging, ReleaseSpec, API_VERSION,
};
use podready_rules::RulePack;

use crate::pom::{Pom, Project};
use crate::walk::{self, FileKind};
use crate::{config, load_poms, read_text, xml, AnalyzeError, Options};

/// A spec inferred from a repository, with the origin of each value (by
/// dotted field) and what a person should know.
#[derive(Debug, Clone)]
pub struct InferredSpec {
    pub spec: DeploySpec,
    pub origins: BTreeMap<String, String>,
    pub warnings: Vec<String>,
}

const DEFAULT_PRIVILEGES: [&str; 4] = ["SELECT", "INSERT", "UPDATE", "DELETE"];

/// Infers the deploy spec of the repository at `root`.
pub fn infer(
    root: &Path,
    pack: &RulePack,
    options: &Options,
) -> Result<InferredSpec, AnalyzeError> {
    let poms = load_poms(root, options)?;
    if poms.project.poms.is_empty() {
        return Err(AnalyzeError::NoPom(root.to_path_buf()));
    }
    let project = &poms.project;
    let mut origins = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut origin = |field: &str, text: String| {
        origins.insert(field.to_string(), text);
    };

    let app_pom = app_pom(project);
    let pom = &project.poms[app_pom];
    let name = dns_name(pom.artifact());
    origin("app.name", format!("artifactId of {}", pom.path));
    let packaging = if pom.packaging() == "war" {
        origin(
            "app.packaging",
            format!("<packaging>war</packaging> in {}: runs on Tomcat", pom.path),
        );
        Packaging::War
    } else {
        origin(
            "app.packaging",
            format!(
                "{} packaging in {}: an executable jar",
                pom.packaging(),
                pom.path
            ),
        );
        Packaging::Jar
    };
    origin(
        "app.port",
        "the deploy standard; `podready check` reports code that listens elsewhere (deploy/port)"
            .into(),
    );
    origin("app.path", "the deploy standard".into());
    let (mut liveness, mut readiness) = (None, None);
    let health = match actuator(project) {
        Some((at, boot)) => {
            let release = boot.as_deref().and_then(major_minor);
            let path = if release.is_some_and(|r| r.0 == 1) {
                "/health"
            } else {
                "/actuator/health"
            };
            origin(
                "app.health",
                format!("spring-boot-starter-actuator in {at}"),
            );
            // Spring Boot 2.3 added the liveness and readiness groups, and
            // serves them when it runs on Kubernetes.
            if release.is_some_and(|r| r >= (2, 3)) {
                let version = boot.unwrap_or_default();
                for (field, group, slot) in [
                    ("app.liveness", "liveness", &mut liveness),
                    ("app.readiness", "readiness", &mut readiness),
                ] {
                    *slot = Some(format!("/actuator/health/{group}"));
                    origin(
                        field,
                        format!("Spring Boot {version} with actuator in {at} serves it"),
                    );
                }
            }
            path.to_string()
        }
        None => {
            origin(
                "app.health",
                "no Spring Boot actuator: the standard's default health path".into(),
            );
            pack.standard.default_health_path.clone()
        }
    };

    let mut middleware: Vec<MiddlewareDependency> = Vec::new();
    for p in &project.poms {
        for d in p.dependencies.iter().filter(|d| d.scope() != "test") {
            let coords = format!("{}:{}", d.group(), d.artifact());
            if let Some(m) = pack
                .middleware
                .iter()
                .find(|m| m.artifacts.contains(&coords))
            {
                if !middleware.iter().any(|x| x.kind == m.kind) {
                    origin(
                        &format!("dependencies.middleware.{}", m.kind),
                        format!("{coords} in {}", p.path),
                    );
                    middleware.push(MiddlewareDependency {
                        kind: m.kind.clone(),
                        artifact: coords,
                    });
                }
            }
        }
    }

    let hook_globs = hook_globs(pack)?;
    let post_start =
        GlobBuilder::new("{post-start,post_start,poststart,after-start,after_start,afterstart}*")
            .case_insensitive(true)
            .build()
            .map_err(|e| AnalyzeError::Rules(e.to_string()))?
            .compile_matcher();
    let exclude = walk::glob_set(&options.exclude)?;
    let tests = walk::glob_set(&options.test_roots)?;
    let wanted = |n: &str| hook_globs.0.is_match(n) || post_start.is_match(n);
    let walked = walk::walk(root, &exclude, &tests, &wanted, None);

    let mut hooks = HooksSpec::default();
    let mut databases: Vec<DatabaseDependency> = Vec::new();
    for f in walked.files.iter().filter(|f| !f.is_test) {
        let file_name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        if post_start.is_match(file_name) {
            warnings.push(format!(
                "{} is a post-start hook, which the platform does not run; move its work to pre-online (after the app is ready, before it takes traffic) or pre-start",
                f.rel
            ));
            continue;
        }
        if let Some(i) = hook_globs.0.matches(file_name).first() {
            let hook = hook_globs.1[*i].as_str();
            let plain = f
                .rel
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
            if !plain {
                warnings.push(format!(
                    "{} looks like a {hook} hook, but its path has characters a pod's shell would misread; rename it",
                    f.rel
                ));
                continue;
            }
            let slot = match hook {
                "pre-start" => &mut hooks.pre_start,
                "pre-online" => &mut hooks.pre_online,
                _ => &mut hooks.pre_offline,
            };
            if slot.is_none() {
                *slot = Some(f.rel.clone());
                origin(
                    &format!("hooks.{hook}"),
                    format!("legacy hook script {}", f.rel),
                );
            }
            continue;
        }
        let Ok(src) = read_text(f, options.max_file_size) else {
            continue;
        };
        let values: Vec<(usize, String)> = match f.kind {
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
            if databases.iter().any(|d| d.schema == schema) {
                continue;
            }
            origin(
                &format!("dependencies.databases.{schema}"),
                format!("JDBC URL in {}:{}", f.rel, src.line_of(start)),
            );
            databases.push(DatabaseDependency {
                name: schema.clone(),
                schema,
                privileges: DEFAULT_PRIVILEGES.iter().map(|s| s.to_string()).collect(),
            });
        }
    }

    let spec = DeploySpec {
        api_version: API_VERSION.to_string(),
        app: AppSpec {
            name,
            owner: None,
            packaging,
            port: pack.standard.http_port,
            path: pack.standard.deploy_path.clone(),
            health,
            liveness,
            readiness,
            part_of: None,
        },
        env: EnvSpec::default(),
        release: ReleaseSpec::default(),
        dependencies: DependenciesSpec {
            databases,
            middleware,
        },
        hooks,
    };
    Ok(InferredSpec {
        spec,
        origins,
        warnings,
    })
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
    let boot = |p: &Pom| {
        p.plugins.iter().any(|pl| {
            pl.artifact_id
                .as_ref()
                .is_some_and(|a| a.value == "spring-boot-maven-plugin")
        })
    };
    project
        .poms
        .iter()
        .position(|p| p.packaging() == "war")
        .or_else(|| project.poms.iter().position(boot))
        .unwrap_or(root)
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

/// The pom that has the actuator, and the Spring Boot version there when
/// it is known.
fn actuator(project: &Project) -> Option<(String, Option<String>)> {
    let (i, pom) = project.poms.iter().enumerate().find(|(_, p)| {
        p.dependencies
            .iter()
            .any(|d| d.artifact() == "spring-boot-starter-actuator")
    })?;
    let boot_version = project.lineage(i).into_iter().find_map(|p| {
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
    Some((pom.path.clone(), boot_version))
}

fn hook_globs(pack: &RulePack) -> Result<(GlobSet, Vec<String>), AnalyzeError> {
    let mut b = GlobSetBuilder::new();
    let mut names = Vec::new();
    for (hook, globs) in &pack.legacy_hooks {
        for g in globs {
            let glob = GlobBuilder::new(g)
                .case_insensitive(true)
                .build()
                .map_err(|e| AnalyzeError::Rules(format!("legacy_hooks `{g}`: {e}")))?;
            b.add(glob);
            names.push(hook.clone());
        }
    }
    let set = b.build().map_err(|e| AnalyzeError::Rules(e.to_string()))?;
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

/// The schema of a MySQL/MariaDB JDBC URL in a value.
fn jdbc_schema(value: &str) -> Option<String> {
    let start = value
        .find("jdbc:mysql://")
        .or_else(|| value.find("jdbc:mariadb://"))?;
    let rest = &value[start..];
    let after_host = rest.split_once("://")?.1;
    let path = after_host.split_once('/')?.1;
    let schema: String = path
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!schema.is_empty()).then_some(schema)
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
    }

    #[test]
    fn dns_names() {
        assert_eq!(dns_name("Order_Service"), "order-service");
        assert_eq!(dns_name("__"), "app");
    }
}
