//! Spring configuration files the repository's Kubernetes manifests mount
//! into applications' containers: a ConfigMap's `application.yml` mounted
//! where Spring Boot looks before the jar (the working directory or its
//! `config/`), whose values win over the ones packed in the jar.

use std::collections::HashSet;

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

/// A Spring configuration file a manifest mounts into containers.
#[derive(Debug)]
pub(crate) struct MountedConfiguration {
    /// The manifest holding the workload that mounts it.
    pub manifest: String,
    /// The ConfigMap it comes from.
    pub config_map: String,
    /// Its name in the container (`application.yml`).
    pub name: String,
    /// The keys it sets, in Spring's relaxed form.
    pub keys: HashSet<String>,
    /// What the pods running it go by: the workload's name, the
    /// container's and the image's (`buyer-api` of
    /// `registry:5000/buyer-api:4.2`), lowercased.
    pub names: Vec<String>,
}

/// A ConfigMap's Spring configuration files: (file name, keys).
struct ConfigMapFiles {
    /// The manifest holding it.
    manifest: String,
    name: String,
    files: Vec<(String, HashSet<String>)>,
}

/// Whether a file name is one Spring Boot reads from the working directory
/// without being told: `application.*` or `bootstrap.*` (YAML or
/// properties). A profile's file only counts when the profile is active,
/// which this does not follow.
fn is_spring_file(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(stem, "application" | "bootstrap") && matches!(ext, "yml" | "yaml" | "properties")
}

/// Whether a manifest's text may hold what this looks for; cheap, before
/// parsing it.
pub(crate) fn may_mount(text: &str) -> bool {
    text.contains("ConfigMap") || text.contains("volumeMounts")
}

/// What the manifests' serving workloads mount.
#[derive(Debug, Default)]
pub(crate) struct Mounts {
    pub mounted: Vec<MountedConfiguration>,
    /// The names of each serving container that mounts no Spring
    /// configuration file where Spring reads it ([`MountedConfiguration::names`]):
    /// a pod of the application that runs with the jar's.
    pub unmounted: Vec<Vec<String>>,
}

/// The Spring configuration files the manifests' serving workloads
/// (`manifests`: each path and text) mount where Spring Boot reads them: in
/// the container's working directory or its `config/` — the container's
/// `workingDir`, else where the images built for it work (`image_dirs`,
/// given the container's names; `""` for the root) — unless the container
/// replaces Spring's locations, or in a location it names to Spring
/// (`--spring.config.additional-location=/etc/app/`,
/// `SPRING_CONFIG_LOCATION`). A ConfigMap is taken from the manifest
/// mounting it when it has one of that name; else every ConfigMap of the
/// name counts, with the keys they all set.
pub(crate) fn find(
    manifests: &[(String, String)],
    image_dirs: &dyn Fn(&[String]) -> Vec<String>,
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
    if config_maps.is_empty() {
        return Mounts::default();
    }
    let mut mounts = Mounts::default();
    for (path, d) in &documents {
        let Some(workload) = kind(d).filter(|k| WORKLOADS.contains(k)) else {
            continue;
        };
        let Some(pod) = pod_spec(d, workload) else {
            continue;
        };
        let volumes = config_map_volumes(pod);
        let containers: Vec<&Value> = sequence(pod.get("containers")).collect();
        // The workload's name is its container's when it has only one.
        let workload_name = d
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .filter(|_| containers.len() == 1);
        for container in containers {
            let mut names: Vec<String> = [
                workload_name,
                container.get("name").and_then(Value::as_str),
                container
                    .get("image")
                    .and_then(Value::as_str)
                    .map(image_name),
            ]
            .into_iter()
            .flatten()
            .map(str::to_ascii_lowercase)
            .collect();
            names.dedup();
            let (replaced, locations) = spring_locations(container);
            // Folders without their last `/`: `""` is the root.
            let working_dirs: Vec<String> = if replaced {
                Vec::new()
            } else {
                match container.get("workingDir").and_then(Value::as_str) {
                    Some(w) => vec![w.trim_end_matches('/').to_string()],
                    None => image_dirs(&names),
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
                    .filter(|c| c.manifest == *path)
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
                    let name = in_container.rsplit('/').next().unwrap_or_default();
                    if !is_spring_file(name) || !read(&in_container) {
                        continue;
                    }
                    // What every ConfigMap of the name sets.
                    let keys: HashSet<String> = first_keys
                        .iter()
                        .filter(|k| {
                            sources[1..].iter().all(|c| {
                                c.files
                                    .iter()
                                    .any(|(other, keys)| other == key && keys.contains(*k))
                            })
                        })
                        .cloned()
                        .collect();
                    mounts.mounted.push(MountedConfiguration {
                        manifest: path.to_string(),
                        config_map: first.name.clone(),
                        name: name.to_string(),
                        keys,
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
            is_spring_file(key).then(|| (key.to_string(), unconditional_keys(key, text)))
        })
        .collect();
    Some(ConfigMapFiles {
        manifest: manifest.to_string(),
        name,
        files,
    })
}

/// The keys a Spring configuration file sets outside documents that a
/// condition activates (`spring.config.activate.on-profile`).
fn unconditional_keys(name: &str, text: &str) -> HashSet<String> {
    conditioned_values(name, text)
        .iter()
        .filter(|(_, conditional)| !conditional)
        .map(|(v, _)| relaxed(&v.key))
        .collect()
}

/// The image's name without its registry, folders, tag or digest.
fn image_name(image: &str) -> &str {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split('@').next().unwrap_or(last);
    last.split(':').next().unwrap_or(last)
}

/// The locations the container names to Spring in its arguments, command
/// or environment (`--spring.config.additional-location=optional:file:/etc/app/`,
/// `SPRING_CONFIG_LOCATION`), each a folder (ending in `/`) or a file; and
/// whether they replace Spring's own (`spring.config.location`).
fn spring_locations(container: &Value) -> (bool, Vec<String>) {
    let arguments = ["command", "args"]
        .iter()
        .flat_map(|k| sequence(container.get(*k)))
        .filter_map(Value::as_str)
        .flat_map(str::split_whitespace)
        .filter_map(|a| {
            let (key, value) = a.trim_start_matches('-').split_once('=')?;
            Some((key.strip_prefix("D").unwrap_or(key).to_string(), value))
        });
    let environment = sequence(container.get("env")).filter_map(|e| {
        let name = e.get("name")?.as_str()?;
        let value = e.get("value")?.as_str()?;
        Some((name.to_ascii_lowercase().replace('_', "."), value))
    });
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
        find(&[("deploy-api.yml".into(), manifest.into())], &|_| {
            image(workdirs)
        })
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
        find(&[("deploy-api.yml".into(), manifest.into())], &|_| {
            image(&[])
        })
        .unmounted
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
            (m.manifest.as_str(), m.config_map.as_str(), m.name.as_str()),
            ("deploy-api.yml", "api-config", "application.yml")
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
        let mounts = find(&[("deploy-api.yml".into(), MANIFEST.into())], &|_| {
            image(&[])
        });
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
        let found = find(&manifests, &|_| image(&[])).mounted;
        assert_eq!(found.len(), 1);
        assert!(found[0].keys.contains("spring.redis.host"));
        // One that does not set it: not set by all.
        let without = other.replace("host: redis.dev", "timeout: 3s");
        let manifests = [
            ("deploy/prod/config.yml".to_string(), config_map.to_string()),
            ("deploy/dev/config.yml".to_string(), without),
            ("deploy/prod/api.yml".to_string(), deployment.to_string()),
        ];
        assert!(!find(&manifests, &|_| image(&[])).mounted[0]
            .keys
            .contains("spring.redis.host"));
        // The manifest's own ConfigMap of that name is the one.
        let together = format!("{other}\n---\n{deployment}");
        let manifests = [
            ("deploy/prod/config.yml".to_string(), config_map.to_string()),
            ("deploy/dev/api.yml".to_string(), together),
        ];
        let keys = &find(&manifests, &|_| image(&[])).mounted[0].keys;
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
}
