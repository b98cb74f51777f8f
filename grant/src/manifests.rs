//! The grant center's own Kubernetes objects, from its configuration: what
//! an operator applies once per cluster so that every pod can ask it for
//! database access.
//!
//! The configuration goes in a ConfigMap (it holds token hashes and the
//! names of environment variables, never a secret), with the CA files it
//! names; each instance's admin URL comes from a key of the Secret
//! `<name>-admin`, named as the configuration's `admin_url_env`. Several
//! replicas need the ledger on a database server (`ledger_instance`); the
//! SQLite ledger is one replica on a PersistentVolumeClaim. A
//! NetworkPolicy admits only pods that podready deploys.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
};
use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, Container, ContainerPort, EmptyDirVolumeSource, EnvVar,
    EnvVarSource, HTTPGetAction, KeyToPath, PersistentVolumeClaim, PersistentVolumeClaimSpec,
    PersistentVolumeClaimVolumeSource, PodSpec, PodTemplateSpec, Probe, SecretKeySelector, Service,
    ServiceAccount, ServicePort, ServiceSpec, TopologySpreadConstraint, Volume, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, LabelSelectorRequirement, ObjectMeta,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::path::Path;

use super::config::{ConfigError, GrantConfig};
use podready_deploy::render::{resources, restricted, restricted_pod, to_value};

/// Where the pod reads its configuration and keeps its state.
const CONFIG_DIR: &str = "/etc/podready";
const STATE_DIR: &str = "/var/lib/podready";
const PORT: i32 = 8700;
/// The user of podready's image.
const USER: i64 = 65532;
/// The label every pod podready deploys carries (see `render`).
const APP_LABEL: &str = "podready.io/app";

/// What rendering takes beyond the configuration.
#[derive(Debug, Clone)]
pub struct CenterInput<'a> {
    /// The name of every object (`podready-grant`).
    pub name: &'a str,
    pub namespace: &'a str,
    /// An image with the full `podready` binary.
    pub image: &'a str,
    /// [default: 3 with a ledger on a database server, else 1]
    pub replicas: Option<u32>,
    /// Pods authenticate with their ServiceAccount tokens (TokenReview),
    /// not the config's app tokens.
    pub tokenreview: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CenterRenderError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("--replicas {0}: several replicas share their leases through a ledger on a database server; set ledger_instance in the config, or render one replica (the SQLite ledger)")]
    SharedLedgerNeeded(u32),
    #[error("--replicas must be at least 1")]
    NoReplicas,
    #[error("--auth tokenreview: the config maps no service_accounts to apps")]
    NoServiceAccounts,
    #[error("{0} must be relative to the config (the pod reads them from {CONFIG_DIR} and keeps its state in {STATE_DIR})")]
    AbsolutePath(String),
}

fn labels(name: &str) -> BTreeMap<String, String> {
    [
        ("app.kubernetes.io/name", "podready-grant"),
        ("app.kubernetes.io/instance", name),
        ("app.kubernetes.io/component", "grant-center"),
        ("app.kubernetes.io/part-of", "podready"),
        ("app.kubernetes.io/managed-by", "podready"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The objects of the grant center whose configuration is the file
/// `config_path`, in the order they are applied.
pub fn render_center(
    config_path: &Path,
    input: &CenterInput,
) -> Result<Vec<serde_json::Value>, CenterRenderError> {
    let files = CenterFiles::read(config_path)?;
    let sqlite = files.config.ledger_instance.is_none();
    let replicas = input.replicas.unwrap_or(if sqlite { 1 } else { 3 });
    if replicas == 0 {
        return Err(CenterRenderError::NoReplicas);
    }
    if replicas > 1 && sqlite {
        return Err(CenterRenderError::SharedLedgerNeeded(replicas));
    }
    if input.tokenreview && files.config.service_accounts.is_empty() {
        return Err(CenterRenderError::NoServiceAccounts);
    }
    let center = Center::new(input, sqlite, replicas);

    let mut objects = vec![to_value(&center.service_account())];
    if input.tokenreview {
        objects.push(to_value(&center.auth_delegator()));
    }
    let (config_map, items) = center.config_map(&files);
    objects.push(to_value(&config_map));
    let state = if sqlite {
        let claim = center.ledger_claim();
        objects.push(to_value(&claim));
        Volume {
            name: "state".into(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: format!("{}-ledger", center.name),
                ..Default::default()
            }),
            ..Default::default()
        }
    } else {
        Volume {
            name: "state".into(),
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Default::default()
        }
    };
    let container = center.container(&files, input.image);
    objects.push(to_value(&center.deployment(container, items, state)));
    objects.push(to_value(&center.service()));
    objects.push(to_value(&center.disruption_budget()));
    objects.push(to_value(&center.network_policy()));
    Ok(objects)
}

/// The grant center's configuration as the pod gets it: the file's text
/// and name, its CA files (paths relative to it), and what it says.
struct CenterFiles {
    config: GrantConfig,
    text: String,
    file_name: String,
    /// (path as written, PEM text).
    ca_files: Vec<(String, String)>,
}

impl CenterFiles {
    fn read(config_path: &Path) -> Result<CenterFiles, CenterRenderError> {
        let config = GrantConfig::load(config_path)?;
        let text = std::fs::read_to_string(config_path).map_err(|source| ConfigError::Io {
            path: config_path.to_path_buf(),
            source,
        })?;
        // The paths as written: the pod has the config and its CA files in
        // one folder and its state in another, so they must be relative.
        let written: GrantConfig = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: config_path.to_path_buf(),
            message: e.message().to_string(),
        })?;
        let mut ca_files = Vec::new();
        for (raw, loaded) in written.instances.iter().zip(&config.instances) {
            if let (Some(path), Some(full)) = (&raw.ca_file, &loaded.ca_file) {
                if path.is_absolute()
                    || path
                        .components()
                        .any(|c| c == std::path::Component::ParentDir)
                {
                    return Err(CenterRenderError::AbsolutePath(format!(
                        "instance `{}`: ca_file",
                        raw.name
                    )));
                }
                let pem = std::fs::read_to_string(full).map_err(|source| ConfigError::Io {
                    path: full.clone(),
                    source,
                })?;
                ca_files.push((path.to_string_lossy().into_owned(), pem));
            }
        }
        for (field, path) in [
            ("ledger", &written.ledger),
            ("audit_log", &written.audit_log),
        ] {
            if path.is_absolute() {
                return Err(CenterRenderError::AbsolutePath(field.into()));
            }
        }
        let file_name = config_path
            .file_name()
            .map_or("grant.toml".into(), |f| f.to_string_lossy().into_owned());
        Ok(CenterFiles {
            config,
            text,
            file_name,
            ca_files,
        })
    }
}

/// What every object of one grant center shares.
struct Center<'a> {
    name: &'a str,
    namespace: &'a str,
    labels: BTreeMap<String, String>,
    selector: LabelSelector,
    /// The ledger is a SQLite file on a volume (else on a database server).
    sqlite: bool,
    tokenreview: bool,
    replicas: u32,
}

impl<'a> Center<'a> {
    fn new(input: &CenterInput<'a>, sqlite: bool, replicas: u32) -> Center<'a> {
        let name = input.name;
        Center {
            name,
            namespace: input.namespace,
            labels: labels(name),
            selector: LabelSelector {
                match_labels: Some(
                    [
                        (
                            "app.kubernetes.io/name".to_string(),
                            "podready-grant".to_string(),
                        ),
                        ("app.kubernetes.io/instance".to_string(), name.to_string()),
                    ]
                    .into(),
                ),
                ..Default::default()
            },
            sqlite,
            tokenreview: input.tokenreview,
            replicas,
        }
    }

    fn meta(&self, n: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(n.to_string()),
            namespace: Some(self.namespace.to_string()),
            labels: Some(self.labels.clone()),
            ..Default::default()
        }
    }

    fn service_account(&self) -> ServiceAccount {
        ServiceAccount {
            metadata: self.meta(self.name),
            automount_service_account_token: Some(self.tokenreview),
            ..Default::default()
        }
    }

    /// TokenReview is what system:auth-delegator allows.
    fn auth_delegator(&self) -> ClusterRoleBinding {
        ClusterRoleBinding {
            metadata: ObjectMeta {
                name: Some(format!("{}-{}-auth-delegator", self.name, self.namespace)),
                labels: Some(self.labels.clone()),
                ..Default::default()
            },
            role_ref: RoleRef {
                api_group: "rbac.authorization.k8s.io".into(),
                kind: "ClusterRole".into(),
                name: "system:auth-delegator".into(),
            },
            subjects: Some(vec![Subject {
                kind: "ServiceAccount".into(),
                name: self.name.into(),
                namespace: Some(self.namespace.into()),
                ..Default::default()
            }]),
        }
    }

    /// The config and its CA files, and where each goes in the pod.
    fn config_map(&self, files: &CenterFiles) -> (ConfigMap, Vec<KeyToPath>) {
        let mut data = BTreeMap::from([("config.toml".to_string(), files.text.clone())]);
        let mut items = vec![KeyToPath {
            key: "config.toml".into(),
            path: files.file_name.clone(),
            ..Default::default()
        }];
        for (n, (path, text)) in files.ca_files.iter().enumerate() {
            let key = format!("ca-{n}.pem");
            data.insert(key.clone(), text.clone());
            items.push(KeyToPath {
                key,
                path: path.clone(),
                ..Default::default()
            });
        }
        let map = ConfigMap {
            metadata: self.meta(&format!("{}-config", self.name)),
            data: Some(data),
            ..Default::default()
        };
        (map, items)
    }

    /// The volume the SQLite ledger lives on.
    fn ledger_claim(&self) -> PersistentVolumeClaim {
        PersistentVolumeClaim {
            metadata: self.meta(&format!("{}-ledger", self.name)),
            spec: Some(PersistentVolumeClaimSpec {
                access_modes: Some(vec!["ReadWriteOnce".into()]),
                resources: Some(VolumeResourceRequirements {
                    requests: Some(BTreeMap::from([(
                        "storage".to_string(),
                        Quantity("1Gi".into()),
                    )])),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn container(&self, files: &CenterFiles, image: &str) -> Container {
        let mut args: Vec<String> = [
            "podready",
            "grant",
            "serve",
            "--config",
            &format!("{CONFIG_DIR}/{}", files.file_name),
            "--state-dir",
            STATE_DIR,
            "--listen",
            &format!("0.0.0.0:{PORT}"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if self.tokenreview {
            args.extend(["--auth".into(), "tokenreview".into()]);
        }
        // Several replicas keep no state of their own (the ledger is on the
        // database server): their audit goes to the collected container log.
        if !self.sqlite {
            args.extend(["--audit-log".into(), "/dev/stdout".into()]);
        }
        let env: Vec<EnvVar> = files
            .config
            .instances
            .iter()
            .map(|i| EnvVar {
                name: i.admin_url_env.clone(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        name: format!("{}-admin", self.name),
                        key: i.admin_url_env.clone(),
                        optional: Some(false),
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect();
        let health = |period: i32, failures: i32| Probe {
            http_get: Some(HTTPGetAction {
                path: Some("/healthz".into()),
                port: IntOrString::String("http".into()),
                ..Default::default()
            }),
            period_seconds: Some(period),
            failure_threshold: Some(failures),
            ..Default::default()
        };
        Container {
            name: "grant".into(),
            image: Some(image.into()),
            image_pull_policy: Some("IfNotPresent".into()),
            command: Some(args),
            env: Some(env),
            ports: Some(vec![ContainerPort {
                name: Some("http".into()),
                container_port: PORT,
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            startup_probe: Some(health(2, 30)),
            readiness_probe: Some(health(5, 2)),
            liveness_probe: Some(health(10, 3)),
            resources: Some(resources(("100m", "128Mi"), ("1", "512Mi"))),
            security_context: Some(restricted(true)),
            volume_mounts: Some(vec![
                VolumeMount {
                    name: "config".into(),
                    mount_path: CONFIG_DIR.into(),
                    read_only: Some(true),
                    ..Default::default()
                },
                VolumeMount {
                    name: "state".into(),
                    mount_path: STATE_DIR.into(),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        }
    }

    fn deployment(&self, container: Container, items: Vec<KeyToPath>, state: Volume) -> Deployment {
        let spread = |key: &str| TopologySpreadConstraint {
            max_skew: 1,
            topology_key: key.into(),
            when_unsatisfiable: "ScheduleAnyway".into(),
            label_selector: Some(self.selector.clone()),
            ..Default::default()
        };
        // One SQLite file on a ReadWriteOnce volume: never two pods.
        let strategy = if self.sqlite {
            DeploymentStrategy {
                type_: Some("Recreate".into()),
                ..Default::default()
            }
        } else {
            DeploymentStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDeployment {
                    max_unavailable: Some(IntOrString::Int(0)),
                    max_surge: Some(IntOrString::Int(1)),
                }),
            }
        };
        Deployment {
            metadata: self.meta(self.name),
            spec: Some(DeploymentSpec {
                replicas: Some(i32::try_from(self.replicas).unwrap_or(i32::MAX)),
                selector: self.selector.clone(),
                strategy: Some(strategy),
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: Some(self.labels.clone()),
                        ..Default::default()
                    }),
                    spec: Some(PodSpec {
                        service_account_name: Some(self.name.into()),
                        automount_service_account_token: Some(self.tokenreview),
                        containers: vec![container],
                        security_context: Some(restricted_pod(USER)),
                        topology_spread_constraints: Some(vec![
                            spread("topology.kubernetes.io/zone"),
                            spread("kubernetes.io/hostname"),
                        ]),
                        volumes: Some(vec![
                            Volume {
                                name: "config".into(),
                                config_map: Some(ConfigMapVolumeSource {
                                    name: format!("{}-config", self.name),
                                    items: Some(items),
                                    ..Default::default()
                                }),
                                ..Default::default()
                            },
                            state,
                        ]),
                        ..Default::default()
                    }),
                },
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn service(&self) -> Service {
        Service {
            metadata: self.meta(self.name),
            spec: Some(ServiceSpec {
                selector: self.selector.match_labels.clone(),
                ports: Some(vec![ServicePort {
                    name: Some("http".into()),
                    port: PORT,
                    target_port: Some(IntOrString::String("http".into())),
                    protocol: Some("TCP".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn disruption_budget(&self) -> PodDisruptionBudget {
        PodDisruptionBudget {
            metadata: self.meta(self.name),
            spec: Some(PodDisruptionBudgetSpec {
                max_unavailable: Some(IntOrString::Int(1)),
                selector: Some(self.selector.clone()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// Only pods that podready deploys, from any namespace, reach it.
    fn network_policy(&self) -> NetworkPolicy {
        NetworkPolicy {
            metadata: self.meta(self.name),
            spec: Some(NetworkPolicySpec {
                pod_selector: Some(self.selector.clone()),
                policy_types: Some(vec!["Ingress".into()]),
                ingress: Some(vec![NetworkPolicyIngressRule {
                    from: Some(vec![NetworkPolicyPeer {
                        namespace_selector: Some(LabelSelector::default()),
                        pod_selector: Some(LabelSelector {
                            match_expressions: Some(vec![LabelSelectorRequirement {
                                key: APP_LABEL.into(),
                                operator: "Exists".into(),
                                values: None,
                            }]),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }]),
                    ports: Some(vec![NetworkPolicyPort {
                        port: Some(IntOrString::Int(PORT)),
                        protocol: Some("TCP".into()),
                        ..Default::default()
                    }]),
                }]),
                ..Default::default()
            }),
        }
    }
}
