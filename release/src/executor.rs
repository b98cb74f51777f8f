//! The thin executor of a release over the Kubernetes API: observe the
//! app's Deployments and the new release's pods, ask the state machine what
//! to do, do it. It only creates and patches Deployments, deletes failed
//! pods so they are rebuilt, and removes the old Deployments at the end.
//!
//! The state machine's memory is kept in an annotation of the new
//! Deployment, so an interrupted `deploy apply` picks up where it stopped.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{Api, DeleteParams, ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use kube::Client;
use serde_json::json;

use crate::plan::{step, Action, DeploymentView, Observed, Phase, ReleaseConfig, ReleaseState};
use podready_deploy::render::{Rendered, LABEL_APP, LABEL_ENV, LABEL_RELEASE};

/// Annotations the executor keeps on the new Deployment.
pub const ANNOTATION_STATE: &str = "podready.io/release-state";
pub const ANNOTATION_STARTED: &str = "podready.io/started-at";
/// The image a release was created for: the same release id with another
/// image is refused.
pub const ANNOTATION_IMAGE: &str = "podready.io/image";
/// An operator sets this to `"true"` to abort the release.
pub const ANNOTATION_ABORT: &str = "podready.io/abort";
/// An old Deployment's autoscaler, kept on it while a release runs.
pub const ANNOTATION_PARKED: &str = "podready.io/parked-autoscaler";

/// The field manager name for server-side apply.
const MANAGER: &str = "podready";

/// Container states that mean a pod will not become ready by waiting.
const FAILED_REASONS: [&str; 6] = [
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "CreateContainerConfigError",
    "InvalidImageName",
    "CreateContainerError",
];

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The API refused or failed a request; `doing` says which.
    #[error("cannot {doing}: {message}")]
    Api { doing: String, message: String },
    #[error("the release state annotation of {0} is not valid JSON: {1}")]
    State(String, serde_json::Error),
    #[error("release {name} already exists for image {existing}; a release of {wanted} needs another release id (--release)")]
    ImageChanged {
        name: String,
        existing: String,
        wanted: String,
    },
    #[error("the parked autoscaler on {0} is not valid JSON: {1}")]
    Parked(String, serde_json::Error),
}

/// kube's errors carry the API's whole `Status`; people need its message.
fn api_message(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(status) if !status.message.is_empty() => {
            if status.reason.is_empty() {
                status.message.clone()
            } else {
                format!("{} ({})", status.message, status.reason)
            }
        }
        other => podready_pod::error_line(other),
    }
}

/// Adds what was being done to a kube error.
trait Doing<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, ExecError>;
}

impl<T> Doing<T> for Result<T, kube::Error> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, ExecError> {
        self.map_err(|e| ExecError::Api {
            doing: what(),
            message: api_message(&e),
        })
    }
}

fn is_status(e: &kube::Error, code: u16) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == code)
}

/// One release of one app in one environment and namespace.
pub struct KubeRelease {
    pub client: Client,
    pub namespace: String,
    pub app: String,
    pub env: String,
    /// The release id.
    pub release: String,
    pub config: ReleaseConfig,
    pub rendered: Rendered,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn view(d: &Deployment) -> DeploymentView {
    DeploymentView {
        name: d.metadata.name.clone().unwrap_or_default(),
        replicas: d
            .spec
            .as_ref()
            .and_then(|s| s.replicas)
            .map_or(0, |r| r.max(0) as u32),
        ready: d
            .status
            .as_ref()
            .and_then(|s| s.ready_replicas)
            .map_or(0, |r| r.max(0) as u32),
        parked_autoscaler: annotation(d, ANNOTATION_PARKED).is_some(),
        ..DeploymentView::default()
    }
}

fn annotation<'a>(d: &'a Deployment, key: &str) -> Option<&'a str> {
    d.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .map(String::as_str)
}

/// The image of a Deployment: the annotation the executor wrote, or its
/// first container's.
pub fn deployment_image(d: &Deployment) -> Option<String> {
    annotation(d, ANNOTATION_IMAGE)
        .map(str::to_string)
        .or_else(|| {
            d.spec
                .as_ref()?
                .template
                .spec
                .as_ref()?
                .containers
                .first()?
                .image
                .clone()
        })
}

/// The new release's pods, as observed.
#[derive(Debug, Default)]
struct NewPods {
    /// Pods that exist and may serve (not Failed or Succeeded).
    live: BTreeSet<String>,
    /// Pods that failed and are not being deleted yet.
    failed: Vec<String>,
}

/// Whether a pod has failed in a way waiting will not fix.
pub fn pod_failed(p: &Pod) -> bool {
    let Some(status) = &p.status else {
        return false;
    };
    if status.phase.as_deref() == Some("Failed") {
        return true;
    }
    status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten())
        .any(|c| {
            c.state
                .as_ref()
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .is_some_and(|r| FAILED_REASONS.contains(&r))
        })
}

impl KubeRelease {
    fn deployments(&self) -> Api<Deployment> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    fn autoscalers(&self) -> Api<HorizontalPodAutoscaler> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    fn pods(&self) -> Api<Pod> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// The environment's Service (and PodDisruptionBudget).
    fn service_name(&self) -> String {
        self.rendered
            .service
            .metadata
            .name
            .clone()
            .unwrap_or_default()
    }

    /// The labels of every object of this app in this environment.
    fn app_selector(&self) -> String {
        format!("{LABEL_APP}={},{LABEL_ENV}={}", self.app, self.env)
    }

    /// The app's Deployments in this environment, the new release's pods,
    /// and the autoscalers that scale them.
    pub async fn observe(&self) -> Result<(Observed, Option<ReleaseState>), ExecError> {
        let new_name = self.config.new_name.as_str();
        let list = self
            .deployments()
            .list(&ListParams::default().labels(&self.app_selector()))
            .await
            .doing(|| format!("list the Deployments of {} in {}", self.app, self.namespace))?;
        let hpas = self
            .autoscalers()
            .list(&ListParams::default().labels(&self.app_selector()))
            .await
            .doing(|| format!("list the autoscalers of {}", self.app))?;
        let scaler_of: BTreeMap<String, String> = hpas
            .items
            .iter()
            .filter_map(|h| {
                let target = h.spec.as_ref()?.scale_target_ref.name.clone();
                Some((target, h.metadata.name.clone()?))
            })
            .collect();
        let mut obs = Observed {
            now: now(),
            ..Observed::default()
        };
        let mut saved = None;
        let mut our_start = None;
        for d in &list.items {
            if d.metadata.name.as_deref() == Some(new_name) {
                let mut v = view(d);
                obs.abort = annotation(d, ANNOTATION_ABORT) == Some("true");
                our_start = annotation(d, ANNOTATION_STARTED).and_then(|s| s.parse::<u64>().ok());
                if let Some(s) = annotation(d, ANNOTATION_STATE) {
                    saved = Some(
                        serde_json::from_str(s)
                            .map_err(|e| ExecError::State(new_name.to_string(), e))?,
                    );
                }
                let pods = self.new_pods().await?;
                v.pods = u32::try_from(pods.live.len()).unwrap_or(u32::MAX);
                v.serving = self.serving(&pods.live).await?;
                v.failed_pods = pods.failed;
                v.autoscaler = scaler_of.get(new_name).cloned();
                obs.new = Some(v);
            }
        }
        for d in &list.items {
            let Some(name) = d.metadata.name.as_deref() else {
                continue;
            };
            if name == new_name {
                continue;
            }
            let started = annotation(d, ANNOTATION_STARTED).and_then(|s| s.parse::<u64>().ok());
            if let (Some(theirs), Some(ours)) = (started, our_start) {
                if theirs > ours {
                    obs.superseded = true;
                    continue;
                }
            }
            let mut v = view(d);
            v.autoscaler = scaler_of.get(name).cloned();
            obs.old.push(v);
        }
        obs.old.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((obs, saved))
    }

    /// The new release's pods that still exist as pods (not those a
    /// ReplicaSet leaves behind in phase Failed or Succeeded), and those
    /// that failed (pods already being deleted are counted once, when they
    /// were deleted).
    async fn new_pods(&self) -> Result<NewPods, ExecError> {
        let selector = format!("{},{LABEL_RELEASE}={}", self.app_selector(), self.release);
        let list = self
            .pods()
            .list(&ListParams::default().labels(&selector))
            .await
            .doing(|| format!("list the pods of {}", self.config.new_name))?;
        let mut pods = NewPods::default();
        for p in &list.items {
            let Some(name) = p.metadata.name.clone() else {
                continue;
            };
            let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
            if p.metadata.deletion_timestamp.is_none() && pod_failed(p) {
                pods.failed.push(name.clone());
            }
            if !matches!(phase, Some("Failed" | "Succeeded")) {
                pods.live.insert(name);
            }
        }
        pods.failed.sort();
        Ok(pods)
    }

    /// How many of `pods` the environment's Service sends traffic to: its
    /// ready endpoints. (Pod names cannot be parsed for their Deployment:
    /// Kubernetes cuts long generated names.)
    async fn serving(&self, pods: &BTreeSet<String>) -> Result<u32, ExecError> {
        let service = self.service_name();
        let slices: Api<EndpointSlice> = Api::namespaced(self.client.clone(), &self.namespace);
        let list = slices
            .list(&ListParams::default().labels(&format!("kubernetes.io/service-name={service}")))
            .await
            .doing(|| format!("list the endpoints of Service {service}"))?;
        let ours = list
            .items
            .iter()
            .flat_map(|s| s.endpoints.iter())
            .filter(|e| e.conditions.as_ref().and_then(|c| c.ready) == Some(true))
            .filter_map(|e| e.target_ref.as_ref()?.name.as_ref())
            .filter(|pod| pods.contains(*pod))
            .count();
        Ok(u32::try_from(ours).unwrap_or(u32::MAX))
    }

    /// Carries one action out.
    pub async fn apply(&self, action: &Action) -> Result<(), ExecError> {
        let deployments = self.deployments();
        match action {
            Action::CreateNew => {
                let mut d = self.rendered.deployment.clone();
                if let Some(spec) = d.spec.as_mut() {
                    spec.replicas = Some(0);
                }
                let notes = d.metadata.annotations.get_or_insert_with(Default::default);
                notes.insert(ANNOTATION_STARTED.into(), now().to_string());
                notes.insert(ANNOTATION_IMAGE.into(), self.image());
                deployments
                    .create(&PostParams::default(), &d)
                    .await
                    .doing(|| format!("create Deployment {}", self.config.new_name))?;
            }
            Action::ScaleNew { replicas } => {
                self.scale(&self.config.new_name, *replicas).await?;
            }
            Action::ScaleOld { name, replicas } => self.scale(name, *replicas).await?,
            Action::DeletePod { name } => {
                match self.pods().delete(name, &DeleteParams::default()).await {
                    Err(e) if is_status(&e, 404) => {}
                    other => {
                        other.doing(|| format!("delete the failed pod {name}"))?;
                    }
                }
            }
            Action::DeleteOld { name } => {
                match deployments.delete(name, &DeleteParams::default()).await {
                    Err(e) if is_status(&e, 404) => {}
                    other => {
                        other.doing(|| format!("remove Deployment {name}"))?;
                    }
                }
            }
            Action::ParkAutoscaler { deployment, name } => self.park(deployment, name).await?,
            Action::RestoreAutoscaler { deployment } => self.restore(deployment).await?,
            Action::CreateAutoscaler => {
                if let Some(h) = &self.rendered.hpa {
                    let pp = PatchParams::apply(MANAGER).force();
                    self.autoscalers()
                        .patch(&self.config.new_name, &pp, &Patch::Apply(h))
                        .await
                        .doing(|| format!("create the autoscaler of {}", self.config.new_name))?;
                }
            }
            Action::Wait { .. } => {}
        }
        Ok(())
    }

    /// The image this release runs.
    fn image(&self) -> String {
        deployment_image(&self.rendered.deployment).unwrap_or_default()
    }

    /// Keeps an autoscaler's definition on its Deployment, then removes it
    /// (in that order, so a crash in between loses nothing).
    async fn park(&self, deployment: &str, name: &str) -> Result<(), ExecError> {
        let Some(hpa) = self
            .autoscalers()
            .get_opt(name)
            .await
            .doing(|| format!("read the autoscaler {name}"))?
        else {
            return Ok(());
        };
        let kept = HorizontalPodAutoscaler {
            metadata: ObjectMeta {
                name: hpa.metadata.name.clone(),
                labels: hpa.metadata.labels.clone(),
                annotations: hpa.metadata.annotations.clone(),
                ..ObjectMeta::default()
            },
            spec: hpa.spec.clone(),
            status: None,
        };
        let text = serde_json::to_string(&kept).map_err(|e| ExecError::Parked(name.into(), e))?;
        self.annotate(deployment, ANNOTATION_PARKED, Some(&text))
            .await?;
        match self
            .autoscalers()
            .delete(name, &DeleteParams::default())
            .await
        {
            Err(e) if is_status(&e, 404) => Ok(()),
            other => other
                .map(|_| ())
                .doing(|| format!("remove the autoscaler {name} for the release")),
        }
    }

    /// Puts a parked autoscaler back and forgets it.
    async fn restore(&self, deployment: &str) -> Result<(), ExecError> {
        let d = self
            .deployments()
            .get(deployment)
            .await
            .doing(|| format!("read Deployment {deployment}"))?;
        if let Some(text) = annotation(&d, ANNOTATION_PARKED) {
            let hpa: HorizontalPodAutoscaler =
                serde_json::from_str(text).map_err(|e| ExecError::Parked(deployment.into(), e))?;
            match self
                .autoscalers()
                .create(&PostParams::default(), &hpa)
                .await
            {
                Err(e) if is_status(&e, 409) => {}
                other => {
                    other.doing(|| format!("restore the autoscaler of {deployment}"))?;
                }
            }
        }
        self.annotate(deployment, ANNOTATION_PARKED, None).await
    }

    async fn annotate(&self, name: &str, key: &str, value: Option<&str>) -> Result<(), ExecError> {
        let patch = json!({ "metadata": { "annotations": { key: value } } });
        self.deployments()
            .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .doing(|| format!("annotate Deployment {name}"))?;
        Ok(())
    }

    async fn scale(&self, name: &str, replicas: u32) -> Result<(), ExecError> {
        let patch = json!({ "spec": { "replicas": replicas } });
        self.deployments()
            .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .doing(|| format!("scale Deployment {name} to {replicas}"))?;
        Ok(())
    }

    async fn save(&self, state: &ReleaseState) -> Result<(), ExecError> {
        let text = serde_json::to_string(state)
            .map_err(|e| ExecError::State(self.config.new_name.clone(), e))?;
        self.annotate(&self.config.new_name, ANNOTATION_STATE, Some(&text))
            .await
    }

    /// Applies the Service and the PodDisruptionBudget (server-side apply,
    /// so repeated releases converge). The autoscaler comes at the end of
    /// the release.
    pub async fn apply_companions(&self) -> Result<(), ExecError> {
        let pp = PatchParams::apply(MANAGER).force();
        let svc: Api<Service> = Api::namespaced(self.client.clone(), &self.namespace);
        let name = self.service_name();
        svc.patch(&name, &pp, &Patch::Apply(&self.rendered.service))
            .await
            .doing(|| format!("apply Service {name} in namespace {}", self.namespace))?;
        let pdb: Api<PodDisruptionBudget> = Api::namespaced(self.client.clone(), &self.namespace);
        pdb.patch(&name, &pp, &Patch::Apply(&self.rendered.pdb))
            .await
            .doing(|| format!("apply PodDisruptionBudget {name}"))?;
        Ok(())
    }

    /// Runs the release to its end, reporting each step. A release that
    /// exists for another image is refused; one that failed or was aborted
    /// goes on from where it stopped.
    pub async fn run(
        &self,
        poll: Duration,
        mut report: impl FnMut(&Phase, &[Action]),
    ) -> Result<Phase, ExecError> {
        let existing = self
            .deployments()
            .get_opt(&self.config.new_name)
            .await
            .doing(|| format!("read Deployment {}", self.config.new_name))?;
        if let Some(d) = &existing {
            let (existing, wanted) = (deployment_image(d).unwrap_or_default(), self.image());
            if existing != wanted {
                return Err(ExecError::ImageChanged {
                    name: self.config.new_name.clone(),
                    existing,
                    wanted,
                });
            }
        }
        let (obs, saved) = self.observe().await?;
        let state = match saved {
            Some(s) if matches!(s.phase, Phase::Failed { .. } | Phase::Aborted { .. }) => {
                if obs.abort {
                    self.annotate(&self.config.new_name, ANNOTATION_ABORT, None)
                        .await?;
                }
                let retried = s.retry(&self.config, &obs);
                report(&retried.phase, &[]);
                retried
            }
            Some(s) => s.resumed(obs.now),
            None => ReleaseState::default(),
        };
        self.drive(state, poll, &mut report).await
    }

    /// Aborts the release and drives the abort to its end: the old
    /// Deployments back and ready, then the new one at zero with no pod
    /// left. Works on a release whose `apply` has stopped (failed, or
    /// killed) as on one still running.
    pub async fn abort(
        &self,
        poll: Duration,
        mut report: impl FnMut(&Phase, &[Action]),
    ) -> Result<Phase, ExecError> {
        self.annotate(&self.config.new_name, ANNOTATION_ABORT, Some("true"))
            .await?;
        let (_, saved) = self.observe().await?;
        self.drive(saved.unwrap_or_default(), poll, &mut report)
            .await
    }

    async fn drive(
        &self,
        mut state: ReleaseState,
        poll: Duration,
        report: &mut impl FnMut(&Phase, &[Action]),
    ) -> Result<Phase, ExecError> {
        loop {
            let (obs, _) = self.observe().await?;
            let before = state.clone();
            let actions = step(&self.config, &mut state, &obs);
            report(&state.phase, &actions);
            for a in &actions {
                self.apply(a).await?;
            }
            let new_exists = obs.new.is_some() || actions.contains(&Action::CreateNew);
            if new_exists && state != before && !matches!(state.phase, Phase::Done) {
                self.save(&state).await?;
            }
            if state.phase.is_terminal() {
                return Ok(state.phase.clone());
            }
            let waiting = actions.iter().all(|a| matches!(a, Action::Wait { .. }));
            if waiting {
                tokio::time::sleep(poll).await;
            }
        }
    }
}
