//! The thin executor of a release over the Kubernetes API: observe the
//! app's Deployments and the new release's pods, ask the state machine what
//! to do, do it. It only creates and patches Deployments, deletes failed
//! pods so they are rebuilt, and removes the old Deployments at the end.
//!
//! The state machine's memory is kept in an annotation of the new
//! Deployment, so an interrupted `deploy apply` picks up where it stopped.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::Client;
use serde_json::json;

use crate::release::{step, Action, DeploymentView, Observed, Phase, ReleaseConfig, ReleaseState};
use crate::render::{Rendered, LABEL_APP};

/// Annotations the executor keeps on the new Deployment.
pub const ANNOTATION_STATE: &str = "podready.io/release-state";
pub const ANNOTATION_STARTED: &str = "podready.io/started-at";
/// An operator sets this to `"true"` to abort the release.
pub const ANNOTATION_ABORT: &str = "podready.io/abort";

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
    #[error("Kubernetes API: {0}")]
    Api(#[from] kube::Error),
    #[error("the release state annotation is not valid JSON: {0}")]
    State(serde_json::Error),
}

/// One release of one app in one namespace.
pub struct KubeRelease {
    pub client: Client,
    pub namespace: String,
    pub app: String,
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
        failed_pods: Vec::new(),
    }
}

fn annotation<'a>(d: &'a Deployment, key: &str) -> Option<&'a str> {
    d.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .map(String::as_str)
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

    /// The app's Deployments and the new release's failed pods.
    pub async fn observe(&self) -> Result<(Observed, Option<ReleaseState>), ExecError> {
        let list = self
            .deployments()
            .list(&ListParams::default().labels(&format!("{LABEL_APP}={}", self.app)))
            .await?;
        let mut obs = Observed {
            now: now(),
            ..Observed::default()
        };
        let mut saved = None;
        let mut our_start = None;
        for d in &list.items {
            if d.metadata.name.as_deref() == Some(self.config.new_name.as_str()) {
                let mut v = view(d);
                obs.abort = annotation(d, ANNOTATION_ABORT) == Some("true");
                our_start = annotation(d, ANNOTATION_STARTED).and_then(|s| s.parse::<u64>().ok());
                if let Some(s) = annotation(d, ANNOTATION_STATE) {
                    saved = Some(serde_json::from_str(s).map_err(ExecError::State)?);
                }
                if v.replicas > 0 {
                    v.failed_pods = self.failed_pods().await?;
                }
                obs.new = Some(v);
            }
        }
        for d in &list.items {
            if d.metadata.name.as_deref() == Some(self.config.new_name.as_str()) {
                continue;
            }
            let started = annotation(d, ANNOTATION_STARTED).and_then(|s| s.parse::<u64>().ok());
            if let (Some(theirs), Some(ours)) = (started, our_start) {
                if theirs > ours {
                    obs.superseded = true;
                    continue;
                }
            }
            obs.old.push(view(d));
        }
        obs.old.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((obs, saved))
    }

    async fn failed_pods(&self) -> Result<Vec<String>, ExecError> {
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), &self.namespace);
        let selector = self
            .rendered
            .deployment
            .spec
            .as_ref()
            .and_then(|s| s.selector.match_labels.as_ref())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let list = pods.list(&ListParams::default().labels(&selector)).await?;
        let mut failed: Vec<String> = list
            .items
            .iter()
            .filter(|p| pod_failed(p))
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        failed.sort();
        Ok(failed)
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
                d.metadata
                    .annotations
                    .get_or_insert_with(Default::default)
                    .insert(ANNOTATION_STARTED.into(), now().to_string());
                deployments.create(&PostParams::default(), &d).await?;
            }
            Action::ScaleNew { replicas } => {
                self.scale(&self.config.new_name, *replicas).await?;
            }
            Action::ScaleOld { name, replicas } => self.scale(name, *replicas).await?,
            Action::DeletePod { name } => {
                let pods: Api<Pod> = Api::namespaced(self.client.clone(), &self.namespace);
                pods.delete(name, &DeleteParams::default()).await?;
            }
            Action::DeleteOld { name } => {
                deployments.delete(name, &DeleteParams::default()).await?;
            }
            Action::Wait { .. } => {}
        }
        Ok(())
    }

    async fn scale(&self, name: &str, replicas: u32) -> Result<(), ExecError> {
        let patch = json!({ "spec": { "replicas": replicas } });
        self.deployments()
            .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await?;
        Ok(())
    }

    async fn save(&self, state: &ReleaseState) -> Result<(), ExecError> {
        let text = serde_json::to_string(state).map_err(ExecError::State)?;
        let patch = json!({ "metadata": { "annotations": { ANNOTATION_STATE: text } } });
        self.deployments()
            .patch(
                &self.config.new_name,
                &PatchParams::default(),
                &Patch::Merge(&patch),
            )
            .await?;
        Ok(())
    }

    /// Applies the Service, the PodDisruptionBudget and the HPA (server-side
    /// apply, so repeated releases converge).
    pub async fn apply_companions(&self) -> Result<(), ExecError> {
        let pp = PatchParams::apply(MANAGER).force();
        let svc: Api<Service> = Api::namespaced(self.client.clone(), &self.namespace);
        let name = self.app.as_str();
        svc.patch(name, &pp, &Patch::Apply(&self.rendered.service))
            .await?;
        let pdb: Api<PodDisruptionBudget> = Api::namespaced(self.client.clone(), &self.namespace);
        pdb.patch(name, &pp, &Patch::Apply(&self.rendered.pdb))
            .await?;
        if let Some(h) = &self.rendered.hpa {
            let hpa: Api<HorizontalPodAutoscaler> =
                Api::namespaced(self.client.clone(), &self.namespace);
            hpa.patch(&self.config.new_name, &pp, &Patch::Apply(h))
                .await?;
        }
        Ok(())
    }

    /// Runs the release to its end, reporting each step.
    pub async fn run(
        &self,
        poll: Duration,
        mut report: impl FnMut(&Phase, &[Action]),
    ) -> Result<Phase, ExecError> {
        let mut state: Option<ReleaseState> = None;
        loop {
            let (obs, saved) = self.observe().await?;
            let state = state.get_or_insert_with(|| saved.unwrap_or_default());
            let before = state.clone();
            let actions = step(&self.config, state, &obs);
            report(&state.phase, &actions);
            for a in &actions {
                self.apply(a).await?;
            }
            let new_exists = obs.new.is_some() || actions.contains(&Action::CreateNew);
            if new_exists && *state != before && !matches!(state.phase, Phase::Done) {
                self.save(state).await?;
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
