//! Rendering a deploy spec to Kubernetes objects, built from the typed API
//! (k8s-openapi), never from string templates.
//!
//! The pod, in start order: an init container asks the grant center to
//! authorize the pod's IP on its databases (and installs the podready binary
//! into the shared volume); an init container copies the user's hooks there;
//! a native sidecar (an init container with `restartPolicy: Always`) runs
//! the `pre-start` hook with its output on the sidecar's stdout, then waits
//! for the app to be healthy, runs `pre-online`, and renews the grant lease;
//! then the application itself. Its preStop hook runs `pre-offline` and
//! revokes the grant.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec,
    MetricIdentifier, MetricSpec, MetricTarget, PodsMetricSource, ResourceMetricSource,
};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, EmptyDirVolumeSource, EnvVar, EnvVarSource, ExecAction,
    HTTPGetAction, Lifecycle, LifecycleHandler, ObjectFieldSelector, PodSpec, PodTemplateSpec,
    Probe, ResourceRequirements, SecretKeySelector, Service, ServicePort, ServiceSpec,
    TopologySpreadConstraint, Volume, VolumeMount,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use podready_rules::deploy::{DeploySpec, Zones};
use serde::Serialize;

/// Labels every object carries.
pub const LABEL_APP: &str = "podready.io/app";
pub const LABEL_RELEASE: &str = "podready.io/release";
pub const LABEL_VERSION: &str = "podready.io/version";
pub const LABEL_ENV: &str = "podready.io/env";

/// Where podready keeps its binary, the hooks and their state in the pod.
const SHARED: &str = "/podready";
/// How long `pre-offline` may run before the grant is revoked anyway.
const PRE_OFFLINE_SECONDS: i64 = 60;

/// What rendering needs beyond the spec.
#[derive(Debug, Clone)]
pub struct RenderInput<'a> {
    pub spec: &'a DeploySpec,
    pub env: &'a str,
    /// The application image, `registry/name:tag`.
    pub image: &'a str,
    /// The release id: `<app>-<release>` names the Deployment.
    pub release: &'a str,
    pub namespace: Option<&'a str>,
    /// The image that carries the podready binary.
    pub podready_image: &'a str,
    pub grant_url: &'a str,
    /// The Secret holding this app's grant-center token (key `token`).
    pub grant_secret: &'a str,
}

/// The objects of one release of one app.
#[derive(Debug, Clone, Serialize)]
pub struct Rendered {
    pub deployment: Deployment,
    pub service: Service,
    pub pdb: PodDisruptionBudget,
    pub hpa: Option<HorizontalPodAutoscaler>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("environment `{env}` is not one of the spec's environments ({known}); see env.environments in deploy.yaml")]
    UnknownEnv { env: String, known: String },
    #[error("release id `{0}` must be lowercase letters, digits and `-`, at most 20 characters")]
    BadRelease(String),
}

/// The Deployment name of a release.
pub fn deployment_name(app: &str, release: &str) -> String {
    format!("{app}-{release}")
}

/// The version label of an image: its tag, or `latest`.
fn version_of(image: &str) -> String {
    let name = image.rsplit('/').next().unwrap_or(image);
    let tag = name.split_once(':').map_or("latest", |(_, t)| t);
    let tag = tag.split('@').next().unwrap_or(tag);
    let clean: String = tag
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(63)
        .collect();
    clean
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

fn field_env(name: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: path.into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn env(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: Some(value.into()),
        ..Default::default()
    }
}

fn exec(command: &[&str]) -> ExecAction {
    ExecAction {
        command: Some(command.iter().map(|s| s.to_string()).collect()),
    }
}

fn shared_mount() -> VolumeMount {
    VolumeMount {
        name: "podready".into(),
        mount_path: SHARED.into(),
        ..Default::default()
    }
}

/// Renders the objects of a release.
pub fn render(input: &RenderInput) -> Result<Rendered, RenderError> {
    let spec = input.spec;
    if !spec.env.environments.iter().any(|e| e == input.env) {
        return Err(RenderError::UnknownEnv {
            env: input.env.into(),
            known: spec.env.environments.join(", "),
        });
    }
    let release_ok = !input.release.is_empty()
        && input.release.len() <= 20
        && input
            .release
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !input.release.starts_with('-')
        && !input.release.ends_with('-');
    if !release_ok {
        return Err(RenderError::BadRelease(input.release.into()));
    }
    let app = spec.app.name.as_str();
    let name = deployment_name(app, input.release);
    let version = version_of(input.image);
    let app_labels: BTreeMap<String, String> = [(LABEL_APP.to_string(), app.to_string())].into();
    let mut release_labels = app_labels.clone();
    release_labels.insert(LABEL_RELEASE.into(), input.release.into());
    let mut labels = release_labels.clone();
    labels.insert(LABEL_VERSION.into(), version);
    labels.insert(LABEL_ENV.into(), input.env.into());
    labels.insert("app.kubernetes.io/name".into(), app.into());
    let meta = |n: &str, l: &BTreeMap<String, String>| ObjectMeta {
        name: Some(n.to_string()),
        namespace: input.namespace.map(str::to_string),
        labels: Some(l.clone()),
        ..Default::default()
    };

    let identity = vec![
        field_env("POD_IP", "status.podIP"),
        field_env("POD_NAME", "metadata.name"),
        field_env("POD_NAMESPACE", "metadata.namespace"),
        field_env("POD_UID", "metadata.uid"),
        env("PODREADY_APP", app),
        env("PODREADY_GRANT_URL", input.grant_url),
        EnvVar {
            name: "PODREADY_GRANT_TOKEN".into(),
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: input.grant_secret.into(),
                    key: "token".into(),
                    optional: Some(false),
                }),
                ..Default::default()
            }),
            ..Default::default()
        },
    ];
    let bin = format!("{SHARED}/bin/podready");
    let health_url = format!("http://127.0.0.1:{}{}", spec.app.port, spec.app.health);

    let grant = Container {
        name: "grant".into(),
        image: Some(input.podready_image.into()),
        command: Some(vec![
            "podready".into(),
            "grant".into(),
            "request".into(),
            "--install".into(),
            format!("{SHARED}/bin"),
        ]),
        env: Some(identity.clone()),
        volume_mounts: Some(vec![shared_mount()]),
        ..Default::default()
    };
    // The podready binary the grant container installed copies the hooks:
    // the app's image needs no shell or `cp` for it.
    let mut copy = vec![
        bin.clone(),
        "hooks".into(),
        "copy".into(),
        "--dir".into(),
        SHARED.into(),
    ];
    for (hook, path) in spec.hooks() {
        copy.push(format!(
            "{hook}={}/{}",
            spec.app.path.trim_end_matches('/'),
            path
        ));
    }
    let hooks_copy = Container {
        name: "hooks-copy".into(),
        image: Some(input.image.into()),
        command: Some(copy),
        volume_mounts: Some(vec![shared_mount()]),
        ..Default::default()
    };
    let mut sidecar_env = identity.clone();
    sidecar_env.push(env("PODREADY_HEALTH_URL", &health_url));
    let hooks_sidecar = Container {
        name: "hooks".into(),
        image: Some(input.image.into()),
        restart_policy: Some("Always".into()),
        command: Some(vec![
            bin.clone(),
            "hooks".into(),
            "run".into(),
            "--dir".into(),
            SHARED.into(),
        ]),
        env: Some(sidecar_env),
        volume_mounts: Some(vec![shared_mount()]),
        startup_probe: Some(Probe {
            exec: Some(exec(&[
                &bin,
                "hooks",
                "status",
                "--dir",
                SHARED,
                "pre-start",
            ])),
            period_seconds: Some(2),
            failure_threshold: Some(300),
            ..Default::default()
        }),
        readiness_probe: Some(Probe {
            exec: Some(exec(&[
                &bin,
                "hooks",
                "status",
                "--dir",
                SHARED,
                "pre-online",
            ])),
            period_seconds: Some(5),
            ..Default::default()
        }),
        ..Default::default()
    };

    let r = &spec.env.resources;
    let quantity = |s: &str| Quantity(s.to_string());
    let http_get = HTTPGetAction {
        path: Some(spec.app.health.clone()),
        port: IntOrString::String("http".into()),
        ..Default::default()
    };
    let mut app_env = vec![
        field_env("POD_IP", "status.podIP"),
        field_env("POD_NAME", "metadata.name"),
        env("PODREADY_APP", app),
        env("PODREADY_ENV", input.env),
    ];
    if spec
        .dependencies
        .middleware
        .iter()
        .any(|m| m.kind == "dubbo")
    {
        // Dubbo registers the pod's own address, not whatever it finds.
        app_env.push(env("DUBBO_IP_TO_REGISTRY", "$(POD_IP)"));
    }
    let app_container = Container {
        name: "app".into(),
        image: Some(input.image.into()),
        ports: Some(vec![ContainerPort {
            name: Some("http".into()),
            container_port: i32::from(spec.app.port),
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        env: Some(app_env),
        readiness_probe: Some(Probe {
            http_get: Some(http_get.clone()),
            initial_delay_seconds: Some(10),
            period_seconds: Some(5),
            failure_threshold: Some(3),
            ..Default::default()
        }),
        liveness_probe: Some(Probe {
            http_get: Some(http_get),
            initial_delay_seconds: Some(60),
            period_seconds: Some(10),
            failure_threshold: Some(6),
            ..Default::default()
        }),
        resources: Some(ResourceRequirements {
            requests: Some(
                [
                    ("cpu".to_string(), quantity(&r.cpu)),
                    ("memory".to_string(), quantity(&r.memory)),
                ]
                .into(),
            ),
            limits: Some(
                [
                    ("cpu".to_string(), quantity(&r.cpu_limit)),
                    ("memory".to_string(), quantity(&r.memory_limit)),
                ]
                .into(),
            ),
            ..Default::default()
        }),
        lifecycle: Some(Lifecycle {
            pre_stop: Some(LifecycleHandler {
                exec: Some(exec(&[
                    &bin,
                    "hooks",
                    "stop",
                    "--dir",
                    SHARED,
                    "--timeout",
                    &PRE_OFFLINE_SECONDS.to_string(),
                ])),
                ..Default::default()
            }),
            ..Default::default()
        }),
        volume_mounts: Some(vec![shared_mount()]),
        ..Default::default()
    };

    let selector = LabelSelector {
        match_labels: Some(release_labels.clone()),
        ..Default::default()
    };
    let mut spread = vec![TopologySpreadConstraint {
        max_skew: 1,
        topology_key: "kubernetes.io/hostname".into(),
        when_unsatisfiable: "ScheduleAnyway".into(),
        label_selector: Some(selector.clone()),
        ..Default::default()
    }];
    if spec.env.zones == Zones::Multi {
        spread.insert(
            0,
            TopologySpreadConstraint {
                max_skew: 1,
                topology_key: "topology.kubernetes.io/zone".into(),
                when_unsatisfiable: "ScheduleAnyway".into(),
                label_selector: Some(selector.clone()),
                ..Default::default()
            },
        );
    }
    let deployment = Deployment {
        metadata: meta(&name, &labels),
        spec: Some(DeploymentSpec {
            replicas: Some(i32::try_from(spec.release.replicas).unwrap_or(i32::MAX)),
            selector: selector.clone(),
            progress_deadline_seconds: Some(
                i32::try_from(spec.release.progress_deadline_seconds).unwrap_or(i32::MAX),
            ),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels.clone()),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    init_containers: Some(vec![grant, hooks_copy, hooks_sidecar]),
                    containers: vec![app_container],
                    // pre-offline, then the revoke, then a margin.
                    termination_grace_period_seconds: Some(PRE_OFFLINE_SECONDS + 30),
                    topology_spread_constraints: Some(spread),
                    volumes: Some(vec![Volume {
                        name: "podready".into(),
                        empty_dir: Some(EmptyDirVolumeSource::default()),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    };

    let app_selector = LabelSelector {
        match_labels: Some(app_labels.clone()),
        ..Default::default()
    };
    let mut app_meta_labels = app_labels.clone();
    app_meta_labels.insert(LABEL_ENV.into(), input.env.into());
    let service = Service {
        metadata: meta(app, &app_meta_labels),
        spec: Some(ServiceSpec {
            // Both releases' pods, so traffic follows the batches.
            selector: Some(app_labels.clone()),
            ports: Some(vec![ServicePort {
                name: Some("http".into()),
                port: 80,
                target_port: Some(IntOrString::String("http".into())),
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let pdb = PodDisruptionBudget {
        metadata: meta(app, &app_meta_labels),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(app_selector),
            ..Default::default()
        }),
        ..Default::default()
    };
    let hpa = spec.release.autoscaling.as_ref().map(|a| {
        let mut metrics = Vec::new();
        for (resource, percent) in [("cpu", a.cpu_percent), ("memory", a.memory_percent)] {
            if let Some(p) = percent {
                metrics.push(MetricSpec {
                    type_: "Resource".into(),
                    resource: Some(ResourceMetricSource {
                        name: resource.into(),
                        target: MetricTarget {
                            type_: "Utilization".into(),
                            average_utilization: Some(i32::try_from(p).unwrap_or(100)),
                            ..Default::default()
                        },
                    }),
                    ..Default::default()
                });
            }
        }
        if let Some(c) = &a.custom {
            metrics.push(MetricSpec {
                type_: "Pods".into(),
                pods: Some(PodsMetricSource {
                    metric: MetricIdentifier {
                        name: c.name.clone(),
                        ..Default::default()
                    },
                    target: MetricTarget {
                        type_: "AverageValue".into(),
                        average_value: Some(Quantity(c.target.clone())),
                        ..Default::default()
                    },
                }),
                ..Default::default()
            });
        }
        HorizontalPodAutoscaler {
            metadata: meta(&name, &labels),
            spec: Some(HorizontalPodAutoscalerSpec {
                scale_target_ref: CrossVersionObjectReference {
                    api_version: Some("apps/v1".into()),
                    kind: "Deployment".into(),
                    name: name.clone(),
                },
                min_replicas: Some(i32::try_from(a.min).unwrap_or(1)),
                max_replicas: i32::try_from(a.max).unwrap_or(i32::MAX),
                metrics: Some(metrics),
                ..Default::default()
            }),
            ..Default::default()
        }
    });
    Ok(Rendered {
        deployment,
        service,
        pdb,
        hpa,
    })
}

impl Rendered {
    /// The objects as one multi-document YAML stream, with apiVersion and
    /// kind on each.
    pub fn to_yaml(&self) -> String {
        let mut docs = vec![
            to_value(&self.deployment),
            to_value(&self.service),
            to_value(&self.pdb),
        ];
        if let Some(h) = &self.hpa {
            docs.push(to_value(h));
        }
        docs.iter()
            .map(|d| yaml_serde::to_string(d).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("---\n")
    }
}

/// k8s-openapi's `Serialize` writes apiVersion and kind.
fn to_value<T: Serialize>(o: &T) -> serde_json::Value {
    serde_json::to_value(o).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_labels_from_image_tags() {
        assert_eq!(version_of("registry.local/acme/order:1.4.2"), "1.4.2");
        assert_eq!(version_of("registry.local:5000/order"), "latest");
        assert_eq!(version_of("order:1.0@sha256:abc"), "1.0");
    }
}
