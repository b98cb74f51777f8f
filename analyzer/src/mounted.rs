//! Spring configuration files the repository's Kubernetes manifests mount
//! into applications' containers: a ConfigMap's `application.yml` mounted
//! where Spring Boot looks before the jar (the working directory or its
//! `config/`), whose values win over the ones packed in the jar.

use std::collections::HashSet;

use yaml_serde::Value;

use serde::Deserialize;

use crate::config::relaxed;
use crate::profiles::conditioned_values;

/// Kinds of workload whose pods run an application's containers.
const WORKLOADS: [&str; 7] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
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

/// The Spring configuration files the manifests mount (`manifests`: each
/// path and text), where Spring Boot reads them: in `/` or `/config`, in
/// a working directory of the repository's Dockerfiles (`workdirs`) or
/// its `config/`, or in a folder the container names to Spring
/// (`--spring.config.additional-location=/etc/app/`,
/// `SPRING_CONFIG_LOCATION`).
pub(crate) fn find(
    manifests: &[(String, String)],
    workdirs: &[String],
) -> Vec<MountedConfiguration> {
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
        .filter_map(|(_, d)| config_map_files(d))
        .collect();
    if config_maps.is_empty() {
        return Vec::new();
    }
    let mut read_from: Vec<String> = vec!["/".into(), "/config".into()];
    for w in workdirs {
        let w = w.trim_end_matches('/');
        read_from.push(if w.is_empty() { "/".into() } else { w.into() });
        read_from.push(format!("{w}/config"));
    }
    let mut found = Vec::new();
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
            let told_to_spring = told_to_spring(container);
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
            for mount in sequence(container.get("volumeMounts")) {
                let (Some(volume), Some(at)) = (
                    mount.get("name").and_then(Value::as_str),
                    mount.get("mountPath").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let Some((config_map, items)) =
                    volumes.iter().find(|v| v.name == volume).and_then(|v| {
                        let config_map = config_maps.iter().find(|c| c.name == v.config_map)?;
                        Some((config_map, &v.items))
                    })
                else {
                    continue;
                };
                let sub_path = mount.get("subPath").and_then(Value::as_str);
                for (key, keys) in &config_map.files {
                    // The volume's file for the key: its `items` path, or
                    // the key itself when it lists none.
                    let file = if items.is_empty() {
                        key.as_str()
                    } else {
                        match items.iter().find(|(k, _)| k == key) {
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
                    let Some((dir, name)) = in_container.rsplit_once('/') else {
                        continue;
                    };
                    let dir = if dir.is_empty() { "/" } else { dir };
                    let read = read_from.iter().any(|r| r == dir)
                        || told_to_spring.iter().any(|t| t.contains(dir));
                    if read && is_spring_file(name) {
                        found.push(MountedConfiguration {
                            manifest: path.to_string(),
                            config_map: config_map.name.clone(),
                            name: name.to_string(),
                            keys: keys.clone(),
                            names: names.clone(),
                        });
                    }
                }
            }
        }
    }
    found
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
        "CronJob" => spec
            .get("jobTemplate")?
            .get("spec")?
            .get("template")?
            .get("spec"),
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
fn config_map_files(d: &Value) -> Option<ConfigMapFiles> {
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
    Some(ConfigMapFiles { name, files })
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

/// The container's arguments, command and environment values that name
/// a configuration location to Spring.
fn told_to_spring(container: &Value) -> Vec<&str> {
    let mut told: Vec<&str> = ["command", "args"]
        .iter()
        .flat_map(|k| sequence(container.get(*k)))
        .filter_map(Value::as_str)
        .filter(|a| a.contains("spring.config"))
        .collect();
    for e in sequence(container.get("env")) {
        let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
        if name.starts_with("SPRING_CONFIG_") {
            told.extend(e.get("value").and_then(Value::as_str));
        }
    }
    told
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

    #[test]
    fn a_config_maps_application_yml_mounted_at_the_working_directory() {
        let found = find(&[("deploy-api.yml".into(), MANIFEST.into())], &[]);
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
    }

    #[test]
    fn a_folder_spring_reads_by_the_dockerfile_or_by_what_the_container_says() {
        let elsewhere = MANIFEST.replace(
            "/etc/sidecar/application.yml",
            "/app/config/application.yml",
        );
        let found = find(&[("k8s.yml".into(), elsewhere.clone())], &["/app".into()]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].names, ["sidecar"]);
        let told = elsewhere.replace(
            "name: sidecar\n",
            "name: sidecar\n          args: [\"--spring.config.additional-location=/app/config/\"]\n",
        );
        assert_eq!(find(&[("k8s.yml".into(), told)], &[]).len(), 2);
        assert_eq!(find(&[("k8s.yml".into(), elsewhere)], &[]).len(), 1);
    }

    #[test]
    fn a_folder_mount_presents_the_keys_its_items_name_at_their_paths() {
        let folder = MANIFEST
            .replace(
                "            - mountPath: /application.yml\n              name: application-yml\n              subPath: application.yml\n",
                "            - mountPath: /config\n              name: application-yml\n",
            );
        assert_eq!(find(&[("k8s.yml".into(), folder.clone())], &[]).len(), 1);
        let renamed = folder.replace(
            "            name: api-config\n",
            "            name: api-config\n            items:\n              - key: application.yml\n                path: shop.yml\n",
        );
        assert!(
            find(&[("k8s.yml".into(), renamed)], &[]).is_empty(),
            "not a name Spring reads"
        );
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
