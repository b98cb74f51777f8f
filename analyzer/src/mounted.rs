//! Spring configuration files the repository's deployment files mount
//! into applications' containers: a Kubernetes ConfigMap's
//! `application.yml`, or a repository folder a Compose service binds,
//! mounted where Spring Boot looks before the jar (the working directory
//! or its `config/`), whose values win over the ones packed in the jar.

use std::collections::{HashMap, HashSet};

use yaml_serde::Value;

use serde::Deserialize;

use crate::config::relaxed;
use crate::profiles::conditioned_values;

/// Kinds of workload whose pods serve: not a `Job`'s or a `CronJob`'s,
/// which run a task (a migration) and end.
const WORKLOADS: [&str; 5] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Pod",
];

/// A Spring configuration file a deployment file mounts into containers.
#[derive(Debug)]
pub(crate) struct MountedConfiguration {
    /// The manifest or Compose file holding the container that mounts it.
    pub manifest: String,
    /// Where it comes from: "ConfigMap `api-config`", or the repository
    /// file a Compose service binds.
    pub source: String,
    /// That repository file (a Compose bind mount's).
    pub file: Option<String>,
    /// Its name in the container (`application.yml`).
    pub name: String,
    /// The keys it sets, in Spring's relaxed form.
    pub keys: HashSet<String>,
    /// The value it sets for each key (the first ConfigMap's, when
    /// several of the name count).
    pub values: HashMap<String, String>,
    /// What the pods running it go by: the workload's (or Compose
    /// service's) name, the container's and the image's (`buyer-api` of
    /// `registry:5000/buyer-api:4.2`), lowercased.
    pub names: Vec<String>,
}

/// A ConfigMap's Spring configuration files: (file name, keys).
struct ConfigMapFiles {
    /// The manifest holding it.
    manifest: String,
    name: String,
    /// Each file's values by key.
    files: Vec<(String, HashMap<String, String>)>,
}

/// Whether a file name is one Spring Boot reads from the working directory
/// without being told: `application.*` or `bootstrap.*` (YAML or
/// properties). A profile's file only counts when the profile is active,
/// which this does not follow.
pub(crate) fn is_spring_file(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(stem, "application" | "bootstrap") && matches!(ext, "yml" | "yaml" | "properties")
}

/// Whether a deployment file's text may hold what this looks for; cheap,
/// before parsing it.
pub(crate) fn may_mount(text: &str) -> bool {
    text.contains("ConfigMap")
        || text.contains("volumeMounts")
        || (text.contains("services:") && text.contains("volumes:"))
}

/// What the deployment files' serving containers mount.
#[derive(Debug, Default)]
pub(crate) struct Mounts {
    pub mounted: Vec<MountedConfiguration>,
    /// The names of each serving container that mounts no Spring
    /// configuration file where Spring reads it ([`MountedConfiguration::names`]):
    /// a pod of the application that runs with the jar's.
    pub unmounted: Vec<Vec<String>>,
}

/// What a deployment file says of one serving container: what it goes
/// by, where Spring reads in it, and the Spring files mounted in it.
struct Container {
    names: Vec<String>,
    working_dir: WorkingDir,
    /// The locations it names to Spring, and whether they replace Spring's own.
    locations: (bool, Vec<String>),
    mounted: Vec<MountedFile>,
}

/// A Spring file mounted in a container: where it comes from, its path
/// there, its keys and values.
struct MountedFile {
    source: String,
    file: Option<String>,
    in_container: String,
    keys: HashSet<String>,
    values: HashMap<String, String>,
}

/// Where a container works.
enum WorkingDir {
    /// Its own (`workingDir`, Compose's `working_dir`).
    Given(String),
    /// Where the images built for it work.
    Image,
    /// Not known here: an image built from elsewhere, a command that
    /// changes folder. Only the locations named to Spring are known.
    Unknown,
}

/// The repository's Spring files that a Compose service's bind mount of
/// `host` (a path from the root) presents: `host` itself, or the Spring
/// files right inside the folder `host`; each (file name, text).
pub(crate) type RepositoryFiles<'f> = dyn Fn(&str) -> Vec<(String, String)> + 'f;

/// The Spring configuration files the deployment files (`manifests`: each
/// path and text) mount into serving containers where Spring Boot reads
/// them: in the container's working directory or its `config/` — the
/// container's (`workingDir`, Compose's `working_dir`), else where the
/// images built for it work (`image_dirs`, given the container's names;
/// `""` for the root) — unless the container replaces Spring's
/// locations, or in a location it names to Spring
/// (`--spring.config.additional-location=/etc/app/`,
/// `SPRING_CONFIG_LOCATION`). A ConfigMap is taken from the manifest
/// mounting it when it has one of that name; else every ConfigMap of the
/// name counts, with the keys they all set. A Compose service's bind
/// mounts of repository files and folders are read through
/// `repository_files`.
pub(crate) fn find(
    manifests: &[(String, String)],
    image_dirs: &dyn Fn(&[String]) -> Vec<String>,
    repository_files: &RepositoryFiles,
) -> Mounts {
    let documents: Vec<(&str, Value)> = manifests
        .iter()
        .flat_map(|(path, text)| {
            yaml_serde::Deserializer::from_str(text)
                .map_while(|d| Value::deserialize(d).ok())
                .map(move |v| (path.as_str(), v))
        })
        .collect();
    let config_maps: Vec<ConfigMapFiles> = documents
        .iter()
        .filter(|(_, d)| kind(d) == Some("ConfigMap"))
        .filter_map(|(path, d)| config_map_files(path, d))
        .collect();
    let mut mounts = Mounts::default();
    for (path, d) in &documents {
        let containers = match kind(d) {
            Some(kind) => workload_containers(path, d, kind, &config_maps),
            None => compose_containers(path, d, repository_files),
        };
        for container in containers {
            let Container {
                names,
                working_dir,
                locations: (replaced, locations),
                mounted,
            } = container;
            // Folders without their last `/`: `""` is the root.
            let working_dirs: Vec<String> = if replaced {
                Vec::new()
            } else {
                match working_dir {
                    WorkingDir::Given(w) => vec![w.trim_end_matches('/').to_string()],
                    WorkingDir::Image => image_dirs(&names),
                    WorkingDir::Unknown => Vec::new(),
                }
            };
            let read = |in_container: &str| {
                let Some((dir, _)) = in_container.rsplit_once('/') else {
                    return false;
                };
                working_dirs
                    .iter()
                    .any(|w| dir == w || dir == format!("{w}/config"))
                    || locations
                        .iter()
                        .any(|l| l.trim_end_matches('/') == dir || l == in_container)
            };
            let before = mounts.mounted.len();
            for MountedFile {
                source,
                file,
                in_container,
                keys,
                values,
            } in mounted
            {
                let name = in_container.rsplit('/').next().unwrap_or_default();
                if is_spring_file(name) && read(&in_container) {
                    mounts.mounted.push(MountedConfiguration {
                        manifest: path.to_string(),
                        source,
                        file,
                        name: name.to_string(),
                        keys,
                        values,
                        names: names.clone(),
                    });
                }
            }
            if mounts.mounted.len() == before {
                mounts.unmounted.push(names);
            }
        }
    }
    mounts
}

/// A Kubernetes workload's serving containers, with the files of the
/// ConfigMaps they mount.
fn workload_containers(
    path: &str,
    d: &Value,
    workload: &str,
    config_maps: &[ConfigMapFiles],
) -> Vec<Container> {
    let Some(pod) = Some(workload)
        .filter(|k| WORKLOADS.contains(k))
        .and_then(|k| pod_spec(d, k))
    else {
        return Vec::new();
    };
    let volumes = config_map_volumes(pod);
    let containers: Vec<&Value> = sequence(pod.get("containers")).collect();
    // The workload's name is its container's when it has only one.
    let workload_name = d
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .filter(|_| containers.len() == 1);
    containers
        .into_iter()
        .map(|container| {
            let names = names_of([
                workload_name,
                container.get("name").and_then(Value::as_str),
                container.get("image").and_then(Value::as_str),
            ]);
            let arguments = ["command", "args"]
                .iter()
                .flat_map(|k| sequence(container.get(*k)))
                .filter_map(Value::as_str);
            let environment = sequence(container.get("env"))
                .filter_map(|e| Some((e.get("name")?.as_str()?, e.get("value")?.as_str()?)));
            let mut mounted = Vec::new();
            for mount in sequence(container.get("volumeMounts")) {
                let (Some(volume), Some(at)) = (
                    mount.get("name").and_then(Value::as_str),
                    mount.get("mountPath").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let Some(volume) = volumes.iter().find(|v| v.name == volume) else {
                    continue;
                };
                let named: Vec<&ConfigMapFiles> = config_maps
                    .iter()
                    .filter(|c| c.name == volume.config_map)
                    .collect();
                let here: Vec<&ConfigMapFiles> = named
                    .iter()
                    .copied()
                    .filter(|c| c.manifest == path)
                    .collect();
                let sources = if here.is_empty() { named } else { here };
                let Some(first) = sources.first() else {
                    continue;
                };
                let sub_path = mount.get("subPath").and_then(Value::as_str);
                for (key, first_keys) in &first.files {
                    // The volume's file for the key: its `items` path, or
                    // the key itself when it lists none.
                    let file = if volume.items.is_empty() {
                        key.as_str()
                    } else {
                        match volume.items.iter().find(|(k, _)| k == key) {
                            Some((_, path)) => path.as_str(),
                            None => continue,
                        }
                    };
                    // With a subPath, one file is at the mount path;
                    // without, every file is in that folder.
                    let in_container = match sub_path {
                        Some(sub) if sub == file => at.to_string(),
                        Some(_) => continue,
                        None => format!("{}/{file}", at.trim_end_matches('/')),
                    };
                    // What every ConfigMap of the name sets.
                    let keys: HashSet<String> = first_keys
                        .keys()
                        .filter(|k| {
                            sources[1..].iter().all(|c| {
                                c.files
                                    .iter()
                                    .any(|(other, keys)| other == key && keys.contains_key(*k))
                            })
                        })
                        .cloned()
                        .collect();
                    let source = format!("ConfigMap `{}`", first.name);
                    mounted.push(MountedFile {
                        source,
                        file: None,
                        in_container,
                        keys,
                        values: first_keys.clone(),
                    });
                }
            }
            Container {
                names,
                working_dir: match container.get("workingDir").and_then(Value::as_str) {
                    Some(w) => WorkingDir::Given(w.to_string()),
                    None => WorkingDir::Image,
                },
                locations: spring_locations(arguments, environment),
                mounted,
            }
        })
        .collect()
}

/// A Compose file's services, with the repository's Spring files their
/// bind mounts present (`./config/app/:/config/`, or the long form's
/// `type: bind`), relative to the Compose file's folder.
fn compose_containers(path: &str, d: &Value, repository_files: &RepositoryFiles) -> Vec<Container> {
    let Some(services) = d.get("services").and_then(Value::as_mapping) else {
        return Vec::new();
    };
    let folder = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    services
        .iter()
        .map(|(name, service)| {
            let names = names_of([
                name.as_str(),
                service.get("container_name").and_then(Value::as_str),
                service.get("image").and_then(Value::as_str),
            ]);
            // `command` and `entrypoint` are a list or one line.
            let arguments = ["entrypoint", "command"].into_iter().flat_map(|k| {
                let line = service.get(k).and_then(Value::as_str);
                sequence(service.get(k))
                    .filter_map(Value::as_str)
                    .chain(line)
            });
            let environment = service.get("environment");
            let listed = sequence(environment)
                .filter_map(Value::as_str)
                .filter_map(|e| e.split_once('='));
            let mapped = environment
                .and_then(Value::as_mapping)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((k.as_str()?, v.as_str()?)));
            let mut mounted = Vec::new();
            for volume in sequence(service.get("volumes")) {
                let Some((host, at)) = bind_mount(volume) else {
                    continue;
                };
                // The packed resources themselves set nothing again.
                let Some(host) = crate::deployed::normalized(folder, host)
                    .filter(|h| !h.contains("src/main/resources"))
                else {
                    continue;
                };
                // Without its last `/`.
                let file = host.rsplit('/').next().unwrap_or(&host);
                for (name, text) in repository_files(&host) {
                    // A file bound at a path of its own; a folder's files
                    // inside the mount.
                    let (in_container, bound) = if name == file && !at.ends_with('/') {
                        (at.to_string(), host.clone())
                    } else {
                        let at = at.trim_end_matches('/');
                        (format!("{at}/{name}"), format!("{host}/{name}"))
                    };
                    let source = format!("`{bound}`");
                    let values = unconditional_values(&name, &text);
                    let keys = values.keys().cloned().collect();
                    mounted.push(MountedFile {
                        source,
                        file: Some(bound),
                        in_container,
                        keys,
                        values,
                    });
                }
            }
            // An image built from a Dockerfile elsewhere, or a command
            // that changes folder: where Spring reads is not known.
            let changes_folder = ["entrypoint", "command"].iter().any(|k| {
                let line = service.get(*k).and_then(Value::as_str);
                sequence(service.get(*k))
                    .filter_map(Value::as_str)
                    .chain(line)
                    .any(|a| a.split([' ', ';', '&', '"', '\'']).any(|w| w == "cd"))
            });
            let working_dir = match service.get("working_dir").and_then(Value::as_str) {
                Some(w) => WorkingDir::Given(w.to_string()),
                None if changes_folder || service.get("build").is_some() => WorkingDir::Unknown,
                None => WorkingDir::Image,
            };
            // Settings out of sight (an env file, a merged anchor) may
            // replace Spring's locations.
            let (replaced, locations) = spring_locations(arguments, listed.chain(mapped));
            let hidden = service.get("env_file").is_some()
                || service
                    .as_mapping()
                    .is_some_and(|m| m.keys().any(|k| k.as_str() == Some("<<")));
            Container {
                names,
                working_dir,
                locations: (replaced || hidden, locations),
                mounted,
            }
        })
        .collect()
}

/// A Compose volume that binds a folder or file of the repository: its
/// path there (relative to the Compose file's folder) and in the
/// container. A named volume, an absolute host path or one a variable
/// gives is not the repository's.
fn bind_mount(volume: &Value) -> Option<(&str, &str)> {
    let (host, at) = match volume.as_str() {
        Some(short) => {
            let mut parts = short.split(':');
            (parts.next()?, parts.next()?)
        }
        None => {
            if volume.get("type").and_then(Value::as_str) != Some("bind") {
                return None;
            }
            (
                volume.get("source")?.as_str()?,
                volume.get("target")?.as_str()?,
            )
        }
    };
    (host.starts_with('.') && !host.contains('$') && at.starts_with('/')).then_some((host, at))
}

/// A container's names, lowercased, an image's without its registry or tag.
fn names_of(names: [Option<&str>; 3]) -> Vec<String> {
    let [workload, container, image] = names;
    let mut names: Vec<String> = [workload, container, image.map(image_name)]
        .into_iter()
        .flatten()
        .map(str::to_ascii_lowercase)
        .collect();
    names.dedup();
    names
}

fn kind(d: &Value) -> Option<&str> {
    d.get("kind").and_then(Value::as_str)
}

fn sequence(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_sequence).into_iter().flatten()
}

/// The pod template of a workload (a Pod's own spec).
fn pod_spec<'v>(d: &'v Value, kind: &str) -> Option<&'v Value> {
    let spec = d.get("spec")?;
    match kind {
        "Pod" => Some(spec),
        _ => spec.get("template")?.get("spec"),
    }
}

/// A pod's volume of a ConfigMap.
struct ConfigMapVolume<'v> {
    name: &'v str,
    config_map: &'v str,
    /// The keys it presents and the path of each (`items`); none: every
    /// key, at its own name.
    items: Vec<(String, String)>,
}

fn config_map_volumes(pod: &Value) -> Vec<ConfigMapVolume<'_>> {
    sequence(pod.get("volumes"))
        .filter_map(|v| {
            let source = v.get("configMap")?;
            let items = sequence(source.get("items"))
                .filter_map(|i| {
                    let key = i.get("key")?.as_str()?;
                    let path = i.get("path")?.as_str()?;
                    Some((key.to_string(), path.to_string()))
                })
                .collect();
            Some(ConfigMapVolume {
                name: v.get("name")?.as_str()?,
                config_map: source.get("name")?.as_str()?,
                items,
            })
        })
        .collect()
}

/// A ConfigMap's name and its data entries that are Spring configuration
/// files, each with the keys it sets unconditionally (not in a document a
/// profile or another condition activates).
fn config_map_files(manifest: &str, d: &Value) -> Option<ConfigMapFiles> {
    let name = d.get("metadata")?.get("name")?.as_str()?.to_string();
    let files = d
        .get("data")?
        .as_mapping()?
        .iter()
        .filter_map(|(k, v)| {
            let key = k.as_str()?;
            let text = v.as_str()?;
            is_spring_file(key).then(|| (key.to_string(), unconditional_values(key, text)))
        })
        .collect();
    Some(ConfigMapFiles {
        manifest: manifest.to_string(),
        name,
        files,
    })
}

/// The values a Spring configuration file sets outside documents that a
/// condition activates (`spring.config.activate.on-profile`), by key.
fn unconditional_values(name: &str, text: &str) -> HashMap<String, String> {
    conditioned_values(name, text)
        .iter()
        .filter(|(_, conditional)| !conditional)
        .map(|(v, _)| (relaxed(&v.key), v.value.to_string()))
        .collect()
}

/// The image's name without its registry, folders, tag or digest.
fn image_name(image: &str) -> &str {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split('@').next().unwrap_or(last);
    last.split(':').next().unwrap_or(last)
}

/// The locations a container names to Spring in its arguments (each a
/// line of them) or environment (name, value): `--spring.config.additional-location=optional:file:/etc/app/`,
/// `SPRING_CONFIG_LOCATION`; each a folder (ending in `/`) or a file; and
/// whether they replace Spring's own (`spring.config.location`).
fn spring_locations<'v>(
    arguments: impl Iterator<Item = &'v str>,
    environment: impl Iterator<Item = (&'v str, &'v str)>,
) -> (bool, Vec<String>) {
    // A JVM option in the environment (`JAVA_TOOL_OPTIONS`, `JAVA_OPTS`)
    // reaches Spring as a system property.
    let environment: Vec<(&str, &str)> = environment.collect();
    let options = environment.iter().map(|(_, value)| *value);
    let arguments = arguments
        .chain(options)
        .flat_map(str::split_whitespace)
        .filter_map(|a| {
            let (key, value) = a.trim_start_matches('-').split_once('=')?;
            Some((key.strip_prefix("D").unwrap_or(key).to_string(), value))
        });
    let environment = environment
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase().replace('_', "."), *value));
    let mut replaced = false;
    let mut told = Vec::new();
    for (key, value) in arguments.chain(environment) {
        match key.as_str() {
            "spring.config.location" => {
                replaced = true;
                told.push(value);
            }
            "spring.config.additional-location" | "spring.config.additional.location" => {
                told.push(value)
            }
            _ => {}
        }
    }
    let locations = told
        .iter()
        .flat_map(|t| t.split([',', ';']))
        .map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("optional:").unwrap_or(l);
            l.strip_prefix("file:").unwrap_or(l).to_string()
        })
        .collect();
    (replaced, locations)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  application.yml: |
    spring:
      redis:
        host: redis-service.middleware
    ---
    spring:
      config:
        activate:
          on-profile: dev
      datasource:
        url: jdbc:mysql://127.0.0.1:3306/shop
  notes.txt: |
    spring.datasource.url is set elsewhere
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: buyer-api
spec:
  template:
    spec:
      containers:
        - image: 192.168.0.108:31320/buyer-api:4.2.4.1
          name: buyer-api
          volumeMounts:
            - mountPath: /application.yml
              name: application-yml
              subPath: application.yml
        - image: registry/sidecar:1
          name: sidecar
          volumeMounts:
            - mountPath: /etc/sidecar/application.yml
              name: application-yml
              subPath: application.yml
      volumes:
        - configMap:
            name: api-config
          name: application-yml
"#;

    /// What `manifest` mounts where the images built for its containers
    /// work in `workdirs` (the root without one).
    fn mounted(manifest: &str, workdirs: &[&str]) -> Vec<MountedConfiguration> {
        find(
            &[("deploy-api.yml".into(), manifest.into())],
            &|_| image(workdirs),
            &no_files,
        )
        .mounted
    }

    /// `manifest` with a line of a container's spec added after its line
    /// `line` (a container's, not the workload's `metadata`).
    fn after_line(manifest: &str, line: &str, added: &str) -> String {
        let at = format!("          {line}\n");
        assert_eq!(manifest.matches(&at).count(), 1, "{line}");
        manifest.replace(&at, &format!("{at}          {added}\n"))
    }

    /// The names of the containers that mount nothing Spring reads.
    fn unmounted(manifest: &str) -> Vec<Vec<String>> {
        find(
            &[("deploy-api.yml".into(), manifest.into())],
            &|_| image(&[]),
            &no_files,
        )
        .unmounted
    }

    fn no_files(_: &str) -> Vec<(String, String)> {
        Vec::new()
    }

    fn image(workdirs: &[&str]) -> Vec<String> {
        match workdirs {
            [] => vec![String::new()],
            dirs => dirs
                .iter()
                .map(|w| w.trim_end_matches('/').to_string())
                .collect(),
        }
    }

    #[test]
    fn a_config_maps_application_yml_mounted_at_the_working_directory() {
        let found = mounted(MANIFEST, &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        let m = &found[0];
        assert_eq!(
            (m.manifest.as_str(), m.source.as_str(), m.name.as_str()),
            (
                "deploy-api.yml",
                "ConfigMap `api-config`",
                "application.yml"
            )
        );
        assert_eq!(
            m.names,
            ["buyer-api"],
            "two containers: not the workload's name"
        );
        assert!(m.keys.contains("spring.redis.host"));
        // A profile's document sets nothing for the others.
        assert!(!m.keys.contains("spring.datasource.url"), "{:?}", m.keys);
        // The sidecar mounts one where Spring does not look.
        let mounts = find(
            &[("deploy-api.yml".into(), MANIFEST.into())],
            &|_| image(&[]),
            &no_files,
        );
        assert_eq!(mounts.unmounted, [["sidecar"]]);
    }

    #[test]
    fn the_working_directory_is_the_containers_the_images_or_the_root() {
        let elsewhere = MANIFEST.replace(
            "/etc/sidecar/application.yml",
            "/app/config/application.yml",
        );
        // The image works in /app: its root is not where Spring looks.
        let found = mounted(&elsewhere, &["/app"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].names, ["sidecar"]);
        // It works in the root: `/application.yml` is read, `/app/config/` not.
        let at_root = mounted(&elsewhere, &[]);
        assert_eq!(at_root.len(), 1);
        assert_eq!(at_root[0].names, ["buyer-api"]);
        let container_says = after_line(MANIFEST, "name: buyer-api", "workingDir: /srv");
        assert!(mounted(&container_says, &[]).is_empty());
        assert_eq!(unmounted(&container_says), [["buyer-api"], ["sidecar"]]);
    }

    #[test]
    fn a_location_the_container_names_to_spring_is_read_as_named() {
        let etc = MANIFEST.replace("/etc/sidecar/application.yml", "/etc/application.yml");
        let told = |location: &str| {
            let args = format!("args: [\"--spring.config.additional-location={location}\"]");
            after_line(&etc, "name: sidecar", &args)
        };
        assert_eq!(mounted(&told("optional:file:/etc/"), &[]).len(), 2);
        assert_eq!(mounted(&told("/etc/application.yml"), &[]).len(), 2);
        // Another folder below it is not it.
        assert_eq!(mounted(&told("/etc/buyer/"), &[]).len(), 1);
        // Locations that replace Spring's own: the working directory is
        // not read.
        let replaced = after_line(
            MANIFEST,
            "name: buyer-api",
            "args: [\"--spring.config.location=classpath:/\"]",
        );
        assert!(mounted(&replaced, &[]).is_empty());
        assert_eq!(unmounted(&replaced), [["buyer-api"], ["sidecar"]]);
    }

    #[test]
    fn a_task_that_ends_is_no_pod_that_serves() {
        let job = MANIFEST.replace("kind: Deployment", "kind: Job");
        assert!(mounted(&job, &[]).is_empty());
        assert!(unmounted(&job).is_empty(), "no serving container at all");
    }

    #[test]
    fn same_named_config_maps_of_other_manifests_count_for_what_they_all_set() {
        let (config_map, deployment) = MANIFEST.split_once("\n---\n").unwrap();
        let other = config_map
            .replace("host: redis-service.middleware", "port: 6380")
            .replace("redis:", "redis:\n        host: redis.dev");
        let manifests = [
            ("deploy/prod/config.yml".to_string(), config_map.to_string()),
            ("deploy/dev/config.yml".to_string(), other.clone()),
            ("deploy/prod/api.yml".to_string(), deployment.to_string()),
        ];
        let found = find(&manifests, &|_| image(&[]), &no_files).mounted;
        assert_eq!(found.len(), 1);
        assert!(found[0].keys.contains("spring.redis.host"));
        // One that does not set it: not set by all.
        let without = other.replace("host: redis.dev", "timeout: 3s");
        let manifests = [
            ("deploy/prod/config.yml".to_string(), config_map.to_string()),
            ("deploy/dev/config.yml".to_string(), without),
            ("deploy/prod/api.yml".to_string(), deployment.to_string()),
        ];
        assert!(!find(&manifests, &|_| image(&[]), &no_files).mounted[0]
            .keys
            .contains("spring.redis.host"));
        // The manifest's own ConfigMap of that name is the one.
        let together = format!("{other}\n---\n{deployment}");
        let manifests = [
            ("deploy/prod/config.yml".to_string(), config_map.to_string()),
            ("deploy/dev/api.yml".to_string(), together),
        ];
        let keys = &find(&manifests, &|_| image(&[]), &no_files).mounted[0].keys;
        assert!(keys.contains("spring.redis.port") && keys.contains("spring.redis.host"));
    }

    #[test]
    fn a_folder_mount_presents_the_keys_its_items_name_at_their_paths() {
        let folder = MANIFEST
            .replace(
                "            - mountPath: /application.yml\n              name: application-yml\n              subPath: application.yml\n",
                "            - mountPath: /config\n              name: application-yml\n",
            );
        assert_eq!(mounted(&folder, &[]).len(), 1);
        let renamed = folder.replace(
            "            name: api-config\n",
            "            name: api-config\n            items:\n              - key: application.yml\n                path: shop.yml\n",
        );
        assert!(mounted(&renamed, &[]).is_empty(), "not a name Spring reads");
    }

    #[test]
    fn image_names() {
        assert_eq!(
            image_name("192.168.0.108:31320/buyer-api:4.2.4.1"),
            "buyer-api"
        );
        assert_eq!(image_name("order@sha256:abc"), "order");
        assert_eq!(image_name("shop/order"), "order");
    }

    const COMPOSE: &str = r#"
version: '3'
services:
  blog_web:
    image: registry.example.com/shop/blog_web:latest
    container_name: blog_web
    volumes:
      - ../log/:/logs/
      - ../config/blog_web/:/config/
  nacos:
    image: nacos/nacos-server
    volumes:
      - ./nacos/application.properties:/home/nacos/conf/application.properties
"#;

    /// The repository's Spring files: `doc/compose/config/blog_web/` holds
    /// an application.yml and a bootstrap.yml, `doc/compose/nacos/` an
    /// application.properties, the module its packed application.yml.
    fn repository(host: &str) -> Vec<(String, String)> {
        let files = [
            (
                "doc/compose/config/blog_web/application.yml",
                "spring:\n  profiles:\n    active: prod\n",
            ),
            (
                "doc/compose/config/blog_web/bootstrap.yml",
                "spring:\n  cloud:\n    nacos:\n      config:\n        server-addr: nacos:8848\n",
            ),
            (
                "doc/compose/nacos/application.properties",
                "server.port=8848\n",
            ),
            (
                "blog_web/src/main/resources/application.yml",
                "spring:\n  redis:\n    host: 127.0.0.1\n",
            ),
        ];
        files
            .iter()
            .filter(|(rel, _)| {
                *rel == host
                    || rel.rsplit_once('/').map(|(d, _)| d) == Some(host.trim_end_matches('/'))
            })
            .map(|(rel, text)| {
                (
                    rel.rsplit('/').next().unwrap().to_string(),
                    text.to_string(),
                )
            })
            .collect()
    }

    fn composed(compose: &str, workdirs: &[&str]) -> Mounts {
        find(
            &[("doc/compose/yaml/blog_web.yml".into(), compose.into())],
            &|_| image(workdirs),
            &repository,
        )
    }

    #[test]
    fn a_compose_services_bound_folder_is_mounted_where_spring_reads() {
        let mounts = composed(COMPOSE, &[]);
        let found: Vec<(&str, &str)> = mounts
            .mounted
            .iter()
            .map(|m| (m.name.as_str(), m.source.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "application.yml",
                    "`doc/compose/config/blog_web/application.yml`"
                ),
                (
                    "bootstrap.yml",
                    "`doc/compose/config/blog_web/bootstrap.yml`"
                ),
            ]
        );
        let bootstrap = &mounts.mounted[1];
        assert_eq!(bootstrap.manifest, "doc/compose/yaml/blog_web.yml");
        assert_eq!(bootstrap.names, ["blog_web"]);
        assert!(bootstrap
            .keys
            .contains("spring.cloud.nacos.config.serveraddr"));
        // nacos' file is not where its image's Spring would read it.
        assert_eq!(mounts.unmounted, [["nacos", "nacos-server"]]);
        // An image working in /app reads /app/config/, not /config/.
        assert!(composed(COMPOSE, &["/app"]).mounted.is_empty());
        let working = COMPOSE.replace(
            "    container_name: blog_web\n",
            "    container_name: blog_web\n    working_dir: /srv\n",
        );
        assert!(composed(&working, &[]).mounted.is_empty());
    }

    #[test]
    fn a_compose_bind_of_one_file_and_the_long_form() {
        let file = COMPOSE.replace(
            "../config/blog_web/:/config/",
            "../config/blog_web/bootstrap.yml:/bootstrap.yml:ro",
        );
        let mounts = composed(&file, &[]);
        assert_eq!(mounts.mounted.len(), 1);
        assert_eq!(mounts.mounted[0].name, "bootstrap.yml");
        assert_eq!(
            mounts.mounted[0].source,
            "`doc/compose/config/blog_web/bootstrap.yml`"
        );
        let long = COMPOSE.replace(
            "      - ../config/blog_web/:/config/\n",
            "      - type: bind\n        source: ../config/blog_web\n        target: /config\n",
        );
        assert_eq!(composed(&long, &[]).mounted.len(), 2);
        // A named volume, a variable's path and one above the root are
        // not the repository's files.
        for other in [
            "blog_config:/config/",
            "${CONFIG}/blog_web/:/config/",
            "../../../../x/:/config/",
        ] {
            let named = COMPOSE.replace("../config/blog_web/:/config/", other);
            assert!(composed(&named, &[]).mounted.is_empty(), "{other}");
        }
        // Spring told to read elsewhere only.
        let replaced = COMPOSE.replace(
            "    container_name: blog_web\n",
            "    container_name: blog_web\n    environment:\n      SPRING_CONFIG_LOCATION: classpath:/\n",
        );
        assert!(composed(&replaced, &[]).mounted.is_empty());
        let told = COMPOSE
            .replace("../config/blog_web/:/config/", "../config/blog_web/:/etc/blog/")
            .replace(
                "    container_name: blog_web\n",
                "    container_name: blog_web\n    command: --spring.config.additional-location=/etc/blog/\n",
            );
        assert_eq!(composed(&told, &[]).mounted.len(), 2);
    }

    #[test]
    fn a_compose_service_whose_spring_locations_or_folder_are_out_of_sight_mounts_nothing_known() {
        let after_name = |added: &str| {
            COMPOSE.replace(
                "    container_name: blog_web\n",
                &format!("    container_name: blog_web\n{added}"),
            )
        };
        for hidden in [
            // Settings in a file or a merged anchor may replace Spring's locations.
            "    env_file: ./blog.env\n",
            "    <<: *spring\n",
            // An image built from elsewhere, a command changing folder.
            "    build: .\n",
            "    command: sh -c \"cd /app && java -jar blog.jar\"\n",
            // A JVM option in the environment.
            "    environment:\n      JAVA_TOOL_OPTIONS: -Dspring.config.location=classpath:/\n",
        ] {
            let compose = after_name(hidden);
            let compose = if hidden.contains("<<") {
                format!("x-spring: &spring\n  environment:\n    A: b\n{compose}")
            } else {
                compose
            };
            let mounts = composed(&compose, &[]);
            assert!(mounts.mounted.is_empty(), "{hidden}");
            assert!(
                mounts.unmounted.contains(&vec!["blog_web".to_string()]),
                "{hidden}"
            );
        }
        // The packed resources bound over themselves set nothing again.
        let own = COMPOSE.replace(
            "../config/blog_web/",
            "../../../blog_web/src/main/resources/",
        );
        assert!(composed(&own, &[]).mounted.is_empty());
    }
}
