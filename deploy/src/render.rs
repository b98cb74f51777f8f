//! Rendering a deploy spec to Kubernetes objects, built from the typed API
//! (k8s-openapi), never from string templates.
//!
//! The pod, in start order: an init container asks the grant center to
//! authorize the pod's IP on its databases (and installs the podready binary
//! into the shared volume); an init container copies the user's hooks there;
//! a native sidecar (an init container with `restartPolicy: Always`) runs
//! the `pre-start` hook with its output on the sidecar's stdout, then waits for
//! the app to be healthy, runs `pre-online`, renews the grant lease, and
//! revokes it when the pod stops; then the application itself, whose
//! preStop hook runs `pre-offline`.
//!
//! What an operator ships: every container under the restricted Pod
//! Security Standard (non-root, no privilege escalation, no capabilities,
//! seccomp `RuntimeDefault`, read-only root where the app allows) with
//! requests and limits; the recommended `app.kubernetes.io/*` labels; no
//! ServiceAccount token unless asked; a startup probe, then separate
//! liveness and readiness; no `replicas` where an autoscaler scales.
//!
//! Every object of an environment carries it in its name and selector, so
//! two environments share a namespace without touching each other.

use std::collections::BTreeMap;

use crate::spec::{is_dns_label, DeploySpec, Packaging, Zones};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec,
    MetricIdentifier, MetricSpec, MetricTarget, PodsMetricSource, ResourceMetricSource,
};
use k8s_openapi::api::core::v1::{
    Capabilities, Container, ContainerPort, EmptyDirVolumeSource, EnvVar, EnvVarSource, ExecAction,
    HTTPGetAction, Lifecycle, LifecycleHandler, ObjectFieldSelector, PodSecurityContext, PodSpec,
    PodTemplateSpec, Probe, ResourceRequirements, SeccompProfile, Secret, SecretKeySelector,
    SecurityContext, Service, ServicePort, ServiceSpec, TopologySpreadConstraint, Volume,
    VolumeMount,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

/// Labels every object carries.
pub const LABEL_APP: &str = "podready.io/app";
pub const LABEL_RELEASE: &str = "podready.io/release";
pub const LABEL_VERSION: &str = "podready.io/version";
pub const LABEL_ENV: &str = "podready.io/env";
/// The field manager and `app.kubernetes.io/managed-by`.
pub const MANAGER: &str = "podready";

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
    #[error("--env: `{env}` is not one of the spec's environments ({known}); see env.environments in deploy.yaml")]
    UnknownEnv { env: String, known: String },
    #[error("--release: `{0}` must be lowercase letters, digits and `-`, at most 20 characters, beginning and ending with a letter or digit")]
    BadRelease(String),
    #[error("--namespace: `{0}` is not a namespace name: lowercase letters, digits and `-`, at most 63 characters, beginning and ending with a letter or digit")]
    BadNamespace(String),
    #[error("--image: {0}")]
    BadImage(String),
}

/// The Deployment name of a release.
pub fn deployment_name(app: &str, env: &str, release: &str) -> String {
    format!("{app}-{env}-{release}")
}

/// The name of an environment's Service and PodDisruptionBudget.
pub fn service_name(app: &str, env: &str) -> String {
    format!("{app}-{env}")
}

/// Checks an image reference (`[registry[:port]/]path[:tag][@digest]`) and
/// refuses one without a tag or digest, or tagged `latest`: a release must
/// name what it runs.
pub fn check_image(image: &str) -> Result<(), String> {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let ok = d.strip_prefix("sha256:").is_some_and(|h| {
            h.len() == 64
                && h.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        });
        if !ok {
            return Err(format!(
                "`{image}`: the digest must be sha256: and 64 hex digits"
            ));
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].split_once(':') {
        Some((_, t)) => (&rest[..rest.len() - t.len() - 1], Some(t)),
        None => (rest, None),
    };
    let mut parts: Vec<&str> = name.split('/').collect();
    // The first part is a registry when it has a dot, a port or is localhost.
    if parts.len() > 1 && (parts[0].contains(['.', ':']) || parts[0] == "localhost") {
        let registry = parts.remove(0);
        let (host, port) = registry.split_once(':').unwrap_or((registry, "1"));
        let host_ok = !host.is_empty()
            && host.split('.').all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !host_ok || port.parse::<u16>().is_err() {
            return Err(format!("`{image}`: `{registry}` is not a registry host"));
        }
    }
    if let Some(bad) = parts.iter().find(|c| !is_path_component(c)) {
        return Err(format!(
            "`{image}`: `{bad}` must be lowercase letters and digits, separated by one `.`, one or two `_`, or `-`"
        ));
    }
    match tag {
        Some(t)
            if t.len() <= 128
                && t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) =>
        {
            if t == "latest" && digest.is_none() {
                return Err(format!(
                    "`{image}`: `latest` names no release; give the image's version tag or digest"
                ));
            }
            Ok(())
        }
        Some(t) => Err(format!("`{image}`: `{t}` is not a tag")),
        None if digest.is_some() => Ok(()),
        None => Err(format!(
            "`{image}` has no tag: give the image's version tag or digest"
        )),
    }
}

/// The version label of an image: its tag, or `latest`.
fn version_of(image: &str) -> String {
    let (rest, digest) = image.split_once('@').unwrap_or((image, ""));
    let name = rest.rsplit('/').next().unwrap_or(rest);
    let digest_version = digest
        .replace(':', "-")
        .chars()
        .take(19)
        .collect::<String>();
    let tag = match name.split_once(':') {
        Some((_, t)) => t,
        None if !digest.is_empty() => &digest_version,
        None => "latest",
    };
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

/// A path component of an image name: runs of lowercase letters and
/// digits, separated by `.`, `_`, `__` or dashes.
fn is_path_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = c.as_bytes();
    let mut i = 0;
    loop {
        let run = i;
        while i < bytes.len() && alnum(bytes[i]) {
            i += 1;
        }
        if i == run {
            return false;
        }
        if i == bytes.len() {
            return true;
        }
        let sep = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &c[sep..i];
        if !(matches!(sep, "." | "_" | "__") || sep.bytes().all(|b| b == b'-')) {
            return false;
        }
    }
}

fn shared_mount() -> VolumeMount {
    VolumeMount {
        name: "podready".into(),
        mount_path: SHARED.into(),
        ..Default::default()
    }
}

fn tmp_mount() -> VolumeMount {
    VolumeMount {
        name: "tmp".into(),
        mount_path: "/tmp".into(),
        ..Default::default()
    }
}

/// What the restricted Pod Security Standard asks of every container.
pub fn restricted(read_only_root: bool) -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".into()]),
            ..Default::default()
        }),
        read_only_root_filesystem: Some(read_only_root),
        run_as_non_root: Some(true),
        ..Default::default()
    }
}

/// What the restricted Pod Security Standard asks of the pod: a user that
/// is not root, and the runtime's default seccomp profile.
pub fn restricted_pod(user: i64) -> PodSecurityContext {
    PodSecurityContext {
        run_as_non_root: Some(true),
        run_as_user: Some(user),
        run_as_group: Some(user),
        fs_group: Some(user),
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Requests and limits as (cpu, memory) pairs.
pub fn resources(requests: (&str, &str), limits: (&str, &str)) -> ResourceRequirements {
    let pair = |(cpu, memory): (&str, &str)| {
        [
            ("cpu".to_string(), Quantity(cpu.to_string())),
            ("memory".to_string(), Quantity(memory.to_string())),
        ]
        .into()
    };
    ResourceRequirements {
        requests: Some(pair(requests)),
        limits: Some(pair(limits)),
        ..Default::default()
    }
}

/// podready's own containers: the grant request and the hooks copy are a
/// few milliseconds of one small binary.
fn podready_resources() -> ResourceRequirements {
    resources(("10m", "16Mi"), ("200m", "64Mi"))
}

/// The hooks sidecar runs the app's hook scripts, which may start tools.
fn hooks_resources() -> ResourceRequirements {
    resources(("10m", "32Mi"), ("500m", "256Mi"))
}

/// The recommended `app.kubernetes.io/*` labels of every object.
fn common_labels(spec: &DeploySpec, env: &str, version: Option<&str>) -> BTreeMap<String, String> {
    let app = spec.app.name.as_str();
    let mut labels: BTreeMap<String, String> = [
        (LABEL_APP, app.to_string()),
        (LABEL_ENV, env.to_string()),
        ("app.kubernetes.io/name", app.to_string()),
        ("app.kubernetes.io/instance", service_name(app, env)),
        ("app.kubernetes.io/managed-by", MANAGER.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(p) = &spec.app.part_of {
        labels.insert("app.kubernetes.io/part-of".into(), p.clone());
    }
    if let Some(v) = version {
        labels.insert("app.kubernetes.io/version".into(), v.to_string());
        labels.insert(LABEL_VERSION.into(), v.to_string());
    }
    labels
}

/// The podready binary the grant container installs.
fn bin() -> String {
    format!("{SHARED}/bin/podready")
}

/// Images are pulled once per node: a release names its version.
fn pull_policy() -> Option<String> {
    Some("IfNotPresent".to_string())
}

/// The pod's identity and the grant settings, for podready's containers.
fn identity_env(input: &RenderInput) -> Vec<EnvVar> {
    let app = input.spec.app.name.as_str();
    vec![
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
    ]
}

/// The first init container: asks the grant center for the pod's database
/// access and installs the podready binary into the shared volume.
fn grant_container(input: &RenderInput, identity: Vec<EnvVar>) -> Container {
    Container {
        name: "grant".into(),
        image: Some(input.podready_image.into()),
        image_pull_policy: pull_policy(),
        command: Some(vec![
            "podready".into(),
            "grant".into(),
            "request".into(),
            "--install".into(),
            format!("{SHARED}/bin"),
        ]),
        env: Some(identity),
        volume_mounts: Some(vec![shared_mount()]),
        resources: Some(podready_resources()),
        security_context: Some(restricted(true)),
        ..Default::default()
    }
}

/// The second init container, in the app's image: copies the app's hooks
/// into the shared volume.
fn hooks_copy_container(input: &RenderInput) -> Container {
    // The podready binary the grant container installed copies the hooks:
    // the app's image needs no shell or `cp` for it.
    let mut copy = vec![
        bin(),
        "hooks".into(),
        "copy".into(),
        "--dir".into(),
        SHARED.into(),
    ];
    for (hook, path) in input.spec.hooks() {
        copy.push(format!(
            "{hook}={}/{}",
            input.spec.app.path.trim_end_matches('/'),
            path
        ));
    }
    Container {
        name: "hooks-copy".into(),
        image: Some(input.image.into()),
        image_pull_policy: pull_policy(),
        command: Some(copy),
        volume_mounts: Some(vec![shared_mount()]),
        resources: Some(podready_resources()),
        security_context: Some(restricted(true)),
        ..Default::default()
    }
}

/// The native sidecar (an init container that keeps running): the hooks,
/// the lease renewals and the revoke at stop.
fn hooks_sidecar(input: &RenderInput, identity: Vec<EnvVar>, read_only_root: bool) -> Container {
    let health_url = format!(
        "http://127.0.0.1:{}{}",
        input.spec.app.port,
        input.spec.app.readiness_path()
    );
    let bin = bin();
    let mut sidecar_env = identity;
    sidecar_env.push(env("PODREADY_HEALTH_URL", &health_url));
    Container {
        name: "hooks".into(),
        image: Some(input.image.into()),
        image_pull_policy: pull_policy(),
        restart_policy: Some("Always".into()),
        command: Some(vec![
            bin.clone(),
            "hooks".into(),
            "run".into(),
            "--dir".into(),
            SHARED.into(),
        ]),
        env: Some(sidecar_env),
        volume_mounts: Some(vec![shared_mount(), tmp_mount()]),
        resources: Some(hooks_resources()),
        security_context: Some(restricted(read_only_root)),
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
    }
}

/// The application's container.
fn app_container(input: &RenderInput, read_only_root: bool) -> Container {
    let spec = input.spec;
    let app = spec.app.name.as_str();
    let bin = bin();
    let r = &spec.env.resources;
    let http_get = |path: &str| HTTPGetAction {
        path: Some(path.to_string()),
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
    Container {
        name: "app".into(),
        image: Some(input.image.into()),
        image_pull_policy: pull_policy(),
        ports: Some(vec![ContainerPort {
            name: Some("http".into()),
            container_port: i32::from(spec.app.port),
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        env: Some(app_env),
        // A slow start is the startup probe's business (up to 5 minutes);
        // liveness and readiness then act at once.
        startup_probe: Some(Probe {
            http_get: Some(http_get(spec.app.liveness_path())),
            period_seconds: Some(5),
            failure_threshold: Some(60),
            ..Default::default()
        }),
        readiness_probe: Some(Probe {
            http_get: Some(http_get(spec.app.readiness_path())),
            period_seconds: Some(5),
            failure_threshold: Some(3),
            ..Default::default()
        }),
        liveness_probe: Some(Probe {
            http_get: Some(http_get(spec.app.liveness_path())),
            period_seconds: Some(10),
            failure_threshold: Some(6),
            ..Default::default()
        }),
        resources: Some(resources(
            (&r.cpu, &r.memory),
            (&r.cpu_limit, &r.memory_limit),
        )),
        security_context: Some(restricted(read_only_root)),
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
        volume_mounts: Some(vec![shared_mount(), tmp_mount()]),
        ..Default::default()
    }
}

/// Spread across hosts, and across zones unless the spec says single.
fn topology_spread(spec: &DeploySpec, selector: &LabelSelector) -> Vec<TopologySpreadConstraint> {
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
    spread
}

/// The autoscaler of a release's Deployment, when the spec asks for one.
fn autoscaler(
    spec: &DeploySpec,
    metadata: ObjectMeta,
    name: &str,
) -> Option<HorizontalPodAutoscaler> {
    spec.release.autoscaling.as_ref().map(|a| {
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
            metadata: metadata.clone(),
            spec: Some(HorizontalPodAutoscalerSpec {
                scale_target_ref: CrossVersionObjectReference {
                    api_version: Some("apps/v1".into()),
                    kind: "Deployment".into(),
                    name: name.to_string(),
                },
                min_replicas: Some(i32::try_from(a.min).unwrap_or(1)),
                max_replicas: i32::try_from(a.max).unwrap_or(i32::MAX),
                metrics: Some(metrics),
                ..Default::default()
            }),
            ..Default::default()
        }
    })
}

/// Checks the values rendering takes from flags.
fn check_input(input: &RenderInput) -> Result<(), RenderError> {
    let spec = input.spec;
    if !spec.env.environments.iter().any(|e| e == input.env) {
        return Err(RenderError::UnknownEnv {
            env: input.env.into(),
            known: spec.env.environments.join(", "),
        });
    }
    if !is_dns_label(input.release, 20) {
        return Err(RenderError::BadRelease(input.release.into()));
    }
    if let Some(ns) = input.namespace {
        if !is_dns_label(ns, 63) {
            return Err(RenderError::BadNamespace(ns.into()));
        }
    }
    check_image(input.image).map_err(RenderError::BadImage)?;
    Ok(())
}

/// Renders the objects of a release.
pub fn render(input: &RenderInput) -> Result<Rendered, RenderError> {
    check_input(input)?;
    let spec = input.spec;
    let app = spec.app.name.as_str();
    let name = deployment_name(app, input.env, input.release);
    let version = version_of(input.image);
    let env_selector: BTreeMap<String, String> = [
        (LABEL_APP.to_string(), app.to_string()),
        (LABEL_ENV.to_string(), input.env.to_string()),
    ]
    .into();
    let mut release_selector = env_selector.clone();
    release_selector.insert(LABEL_RELEASE.into(), input.release.into());
    let mut labels = common_labels(spec, input.env, Some(&version));
    labels.insert(LABEL_RELEASE.into(), input.release.into());
    let meta = |n: &str, l: &BTreeMap<String, String>| ObjectMeta {
        name: Some(n.to_string()),
        namespace: input.namespace.map(str::to_string),
        labels: Some(l.clone()),
        ..Default::default()
    };
    let security = &spec.env.security;
    let read_only_root = security
        .read_only_root
        .unwrap_or(spec.app.packaging == Packaging::Jar);

    let identity = identity_env(input);
    let grant = grant_container(input, identity.clone());
    let hooks_copy = hooks_copy_container(input);
    let hooks_sidecar = hooks_sidecar(input, identity, read_only_root);
    let app_container = app_container(input, read_only_root);
    let selector = LabelSelector {
        match_labels: Some(release_selector.clone()),
        ..Default::default()
    };
    let spread = topology_spread(spec, &selector);
    let uid = i64::from(security.run_as_user);
    let deployment = Deployment {
        metadata: meta(&name, &labels),
        spec: Some(DeploymentSpec {
            // An autoscaler owns the count; `deploy apply` sets it during
            // the release.
            replicas: spec
                .release
                .autoscaling
                .is_none()
                .then(|| i32::try_from(spec.release.replicas).unwrap_or(i32::MAX)),
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
                    automount_service_account_token: Some(security.service_account_token),
                    security_context: Some(restricted_pod(uid)),
                    // pre-offline, then the revoke, then a margin.
                    termination_grace_period_seconds: Some(PRE_OFFLINE_SECONDS + 30),
                    topology_spread_constraints: Some(spread),
                    volumes: Some(vec![
                        Volume {
                            name: "podready".into(),
                            empty_dir: Some(EmptyDirVolumeSource::default()),
                            ..Default::default()
                        },
                        Volume {
                            name: "tmp".into(),
                            empty_dir: Some(EmptyDirVolumeSource::default()),
                            ..Default::default()
                        },
                    ]),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    };

    let env_name = service_name(app, input.env);
    let env_labels = common_labels(spec, input.env, None);
    let service = Service {
        metadata: meta(&env_name, &env_labels),
        spec: Some(ServiceSpec {
            // Both releases' pods, so traffic follows the batches.
            selector: Some(env_selector.clone()),
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
        metadata: meta(&env_name, &env_labels),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(LabelSelector {
                match_labels: Some(env_selector),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let hpa = autoscaler(spec, meta(&name, &labels), &name);
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
        to_yaml_stream(&docs)
    }
}

/// Objects as one multi-document YAML stream.
pub fn to_yaml_stream(docs: &[serde_json::Value]) -> String {
    docs.iter()
        .map(|d| yaml_serde::to_string(d).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("---\n")
}

/// The Secret that holds an app's grant-center token, to be filled in with
/// the token the grant center's configuration gives the app (its own
/// manifests reference the same value).
pub fn token_secret(app: &str, namespace: Option<&str>, name: &str) -> Secret {
    Secret {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: namespace.map(str::to_string),
            labels: Some(
                [
                    (LABEL_APP.to_string(), app.to_string()),
                    ("app.kubernetes.io/name".to_string(), app.to_string()),
                    (
                        "app.kubernetes.io/managed-by".to_string(),
                        MANAGER.to_string(),
                    ),
                ]
                .into(),
            ),
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        string_data: Some(
            [(
                "token".to_string(),
                format!("<the token of `{app}` in the grant center's configuration>"),
            )]
            .into(),
        ),
        ..Default::default()
    }
}

/// k8s-openapi's `Serialize` writes apiVersion and kind.
pub fn to_value<T: Serialize>(o: &T) -> serde_json::Value {
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
        assert_eq!(
            version_of("order@sha256:0123456789abcdef"),
            "sha256-0123456789ab"
        );
    }

    #[test]
    fn image_references() {
        let digest = format!("sha256:{}", "ab".repeat(32));
        for ok in [
            "order:1.4.2".to_string(),
            "registry.local:5000/acme/order:2024.01_3".to_string(),
            "localhost/order:v2".to_string(),
            "registry.local/my__team/order-svc--x:v2".to_string(),
            format!("registry.local/order@{digest}"),
            format!("order:1.0@{digest}"),
        ] {
            assert_eq!(check_image(&ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("order", "has no tag"),
            ("order:latest", "`latest` names no release"),
            ("Order:1.0", "`Order` must be lowercase"),
            ("registry.local/team//order:1", "`` must be lowercase"),
            ("registry.local/a..b:1", "`a..b` must be lowercase"),
            ("registry.local/a._b:1", "`a._b` must be lowercase"),
            ("-bad.host/order:1", "`-bad.host` is not a registry host"),
            ("order:-1", "`-1` is not a tag"),
            ("order@sha256:abc", "64 hex digits"),
            ("bad_host:99999/order:1", "is not a registry host"),
        ] {
            let err = check_image(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
