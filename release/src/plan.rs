//! The batched release as a pure state machine: observed state in, next
//! actions out. Nothing here talks to a cluster, so every transition is
//! tested exhaustively; the executor only carries the actions out.
//!
//! A release has two Deployments: the new one is created at 0 replicas
//! and scaled up batch by batch; after each batch is ready, the old ones
//! are scaled down by as many pods. Failed pods are deleted so they are
//! rebuilt, as the failure policy allows. An autoscaler on the old
//! Deployments is parked (kept on its Deployment, removed from the cluster)
//! for the release, so that it does not scale back up what a batch scaled
//! down; the new release's autoscaler is created once every batch is up and
//! adopts the scale.
//!
//! Abort, also of a failed release, first brings the old Deployments back
//! to what they had and waits until those pods are ready, then scales the
//! new Deployment to zero and waits until its pods are gone, so that
//! capacity never drops and no pod of an aborted release keeps serving.
//! The release ends by removing the old Deployments; an abort that arrives
//! then is too late (roll back with a release of the previous version).

use std::collections::BTreeMap;

use podready_deploy::spec::{DeploySpec, FailurePolicy};
use serde::{Deserialize, Serialize};

/// What the planner needs to know about the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseConfig {
    pub new_name: String,
    pub replicas: u32,
    /// Cumulative new pods after each batch; increasing, the last is
    /// `replicas`.
    pub steps: Vec<u32>,
    pub pause_seconds: u64,
    pub failure: FailurePolicy,
    pub deadline_seconds: u64,
    /// The new release's autoscaler (min, max replicas), created once every
    /// batch is up. The release then keeps the size the old release's
    /// autoscaler had reached, within these bounds.
    pub autoscaling: Option<(u32, u32)>,
}

impl ReleaseConfig {
    pub fn from_spec(spec: &DeploySpec, new_name: &str) -> ReleaseConfig {
        let r = &spec.release;
        let mut steps: Vec<u32> = Vec::new();
        for b in &r.batches {
            let pods = b.pods(r.replicas);
            if steps.last() != Some(&pods) && pods > 0 {
                steps.push(pods);
            }
        }
        if steps.last() != Some(&r.replicas) {
            steps.push(r.replicas);
        }
        ReleaseConfig {
            new_name: new_name.to_string(),
            replicas: r.replicas,
            steps,
            pause_seconds: u64::from(r.pause_seconds),
            failure: r.failure,
            deadline_seconds: u64::from(r.progress_deadline_seconds),
            autoscaling: r.autoscaling.as_ref().map(|a| (a.min, a.max)),
        }
    }
}

/// A Deployment as observed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeploymentView {
    pub name: String,
    /// `spec.replicas`.
    pub replicas: u32,
    /// Ready pods.
    pub ready: u32,
    /// Pods that exist, terminating ones included (observed for the new
    /// Deployment only).
    pub pods: u32,
    /// Ready endpoints of its pods behind the environment's Service
    /// (observed for the new Deployment only).
    pub serving: u32,
    /// Pods that failed (crash loop, image pull, failed phase) and are not
    /// already being deleted.
    pub failed_pods: Vec<String>,
    /// The autoscaler that scales this Deployment.
    pub autoscaler: Option<String>,
    /// An autoscaler is parked on this Deployment.
    pub parked_autoscaler: bool,
}

/// The cluster as observed for one step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observed {
    /// Seconds on a clock that only moves forward.
    pub now: u64,
    pub new: Option<DeploymentView>,
    /// The app's other Deployments (earlier releases).
    pub old: Vec<DeploymentView>,
    /// An operator asked to abort this release.
    pub abort: bool,
    /// A newer release of the app has started.
    pub superseded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// Create the new Deployment with 0 replicas.
    CreateNew,
    ScaleNew {
        replicas: u32,
    },
    ScaleOld {
        name: String,
        replicas: u32,
    },
    /// Delete a failed pod so that its Deployment rebuilds it.
    DeletePod {
        name: String,
    },
    /// Keep an old Deployment's autoscaler on it and remove it from the
    /// cluster until the release ends.
    ParkAutoscaler {
        deployment: String,
        name: String,
    },
    /// Put an old Deployment's parked autoscaler back (abort).
    RestoreAutoscaler {
        deployment: String,
    },
    /// Create the new release's autoscaler.
    CreateAutoscaler,
    /// Remove an old Deployment once the release is complete.
    DeleteOld {
        name: String,
    },
    /// Nothing to do until the next observation.
    Wait {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "kebab-case")]
pub enum Phase {
    Start,
    /// Bringing batch `index` up, since `since`.
    Batch {
        index: usize,
        since: u64,
    },
    /// Batch `index` is done; the next starts at `until`.
    Pause {
        index: usize,
        until: u64,
    },
    Finishing,
    Done,
    Aborting {
        reason: String,
        /// When the abort began; old pods that are not ready again by the
        /// progress deadline are not waited for any longer.
        #[serde(default)]
        since: u64,
    },
    Aborted {
        reason: String,
    },
    Failed {
        reason: String,
    },
    /// A newer release took over; this one stops acting.
    Superseded,
}

impl Phase {
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Phase::Done | Phase::Aborted { .. } | Phase::Failed { .. } | Phase::Superseded
        )
    }
}

/// What the planner remembers between steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseState {
    pub phase: Phase,
    /// Pods deleted to be rebuilt so far.
    pub rebuilds: u32,
    /// The replicas each old Deployment had when the release started; an
    /// abort restores them.
    pub old_replicas: BTreeMap<String, u32>,
    /// The release's size when an autoscaler decides it: what the old
    /// release ran when it started, within the autoscaler's bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
}

impl Default for ReleaseState {
    fn default() -> Self {
        ReleaseState {
            phase: Phase::Start,
            rebuilds: 0,
            old_replicas: BTreeMap::new(),
            replicas: None,
        }
    }
}

impl ReleaseState {
    /// The state of a failed or aborted release that is applied again: it
    /// goes on from the batch the new Deployment has reached, with a fresh
    /// rebuild budget, and still restores the old Deployments' original
    /// replicas if it is aborted later.
    pub fn retry(&self, cfg: &ReleaseConfig, obs: &Observed) -> ReleaseState {
        let reached = obs.new.as_ref().map_or(0, |n| n.replicas);
        let (_, steps) = self.plan(cfg);
        let index = steps
            .iter()
            .position(|s| *s >= reached)
            .unwrap_or(steps.len().saturating_sub(1));
        ReleaseState {
            phase: if obs.new.is_some() {
                Phase::Batch {
                    index,
                    since: obs.now,
                }
            } else {
                Phase::Start
            },
            rebuilds: 0,
            old_replicas: self.old_replicas.clone(),
            replicas: self.replicas,
        }
    }

    /// The state of a release whose `apply` starts again: waiting begins
    /// anew, so time spent stopped does not count against a deadline.
    pub fn resumed(mut self, now: u64) -> ReleaseState {
        match &mut self.phase {
            Phase::Batch { since, .. } | Phase::Aborting { since, .. } => *since = now,
            _ => {}
        }
        self
    }

    /// The release's size and its cumulative batches: the spec's, or
    /// scaled to the size an autoscaler had reached.
    fn plan(&self, cfg: &ReleaseConfig) -> (u32, Vec<u32>) {
        let Some(target) = self
            .replicas
            .filter(|t| *t != cfg.replicas && cfg.replicas > 0)
        else {
            return (cfg.replicas, cfg.steps.clone());
        };
        let mut steps: Vec<u32> = Vec::new();
        for s in &cfg.steps {
            let scaled = (u64::from(*s) * u64::from(target)).div_ceil(u64::from(cfg.replicas));
            let scaled = u32::try_from(scaled).unwrap_or(target).min(target).max(1);
            if steps.last() != Some(&scaled) {
                steps.push(scaled);
            }
        }
        if steps.last() != Some(&target) {
            steps.push(target);
        }
        (target, steps)
    }
}

/// Advances the release by one observation and returns what to do.
pub fn step(cfg: &ReleaseConfig, state: &mut ReleaseState, obs: &Observed) -> Vec<Action> {
    // Once every batch is up and the old Deployments are at zero, the
    // release has happened; going back is a release of the old version.
    // A failed release can still be aborted: its new pods may be serving.
    let abortable = matches!(
        state.phase,
        Phase::Start | Phase::Batch { .. } | Phase::Pause { .. } | Phase::Failed { .. }
    );
    if obs.abort && abortable {
        state.phase = Phase::Aborting {
            reason: "aborted by an operator".into(),
            since: obs.now,
        };
    }
    if state.phase.is_terminal() {
        return Vec::new();
    }
    if obs.superseded && !matches!(state.phase, Phase::Aborting { .. }) {
        state.phase = Phase::Superseded;
        return Vec::new();
    }
    // A phase may complete on this observation and let the next one act.
    for _ in 0..4 {
        let before = state.phase.clone();
        let actions = advance(cfg, state, obs);
        if !actions.is_empty() || state.phase == before || state.phase.is_terminal() {
            return actions;
        }
    }
    Vec::new()
}

fn advance(cfg: &ReleaseConfig, state: &mut ReleaseState, obs: &Observed) -> Vec<Action> {
    match state.phase.clone() {
        Phase::Start => {
            let Some(_) = &obs.new else {
                return vec![Action::CreateNew];
            };
            if state.old_replicas.is_empty() {
                state.old_replicas = obs
                    .old
                    .iter()
                    .map(|d| (d.name.clone(), d.replicas))
                    .collect();
            }
            // An autoscaled app keeps the size its load asked for: a
            // release at peak does not shrink it to the spec's count.
            if let (Some((min, max)), None) = (cfg.autoscaling, state.replicas) {
                let running: u32 = state.old_replicas.values().sum();
                let size = if running == 0 { cfg.replicas } else { running };
                state.replicas = Some(size.clamp(min, max.max(min)));
            }
            state.phase = Phase::Batch {
                index: 0,
                since: obs.now,
            };
            Vec::new()
        }
        Phase::Batch { index, since } => batch(cfg, state, obs, index, since),
        Phase::Pause { index, until } => {
            if obs.now >= until {
                state.phase = Phase::Batch {
                    index: index + 1,
                    since: obs.now,
                };
                Vec::new()
            } else {
                vec![Action::Wait {
                    reason: format!("pausing after batch {} until t={until}", index + 1),
                }]
            }
        }
        Phase::Finishing => {
            if cfg.autoscaling.is_some() && obs.new.as_ref().is_some_and(|n| n.autoscaler.is_none())
            {
                return vec![Action::CreateAutoscaler];
            }
            if obs.old.is_empty() {
                state.phase = Phase::Done;
                return Vec::new();
            }
            obs.old
                .iter()
                .map(|d| Action::DeleteOld {
                    name: d.name.clone(),
                })
                .collect()
        }
        Phase::Aborting { reason, since } => aborting(cfg, state, obs, reason, since),
        Phase::Done | Phase::Aborted { .. } | Phase::Failed { .. } | Phase::Superseded => {
            Vec::new()
        }
    }
}

/// Old capacity back and ready first (for as long as a batch may take),
/// then the new release down and gone.
fn aborting(
    cfg: &ReleaseConfig,
    state: &mut ReleaseState,
    obs: &Observed,
    reason: String,
    since: u64,
) -> Vec<Action> {
    let original = |d: &DeploymentView| {
        state
            .old_replicas
            .get(&d.name)
            .copied()
            .unwrap_or(d.replicas)
    };
    let restore: Vec<Action> = obs
        .old
        .iter()
        .filter(|d| d.replicas != original(d))
        .map(|d| Action::ScaleOld {
            name: d.name.clone(),
            replicas: original(d),
        })
        .collect();
    if !restore.is_empty() {
        return restore;
    }
    let patient = obs.now.saturating_sub(since) <= cfg.deadline_seconds;
    if let Some(d) = obs
        .old
        .iter()
        .find(|d| d.ready < original(d))
        .filter(|_| patient)
    {
        return vec![Action::Wait {
            reason: format!(
                "{}: {} of {} old pods ready again",
                d.name,
                d.ready,
                original(d)
            ),
        }];
    }
    if let Some(new) = &obs.new {
        if new.replicas != 0 {
            return vec![Action::ScaleNew { replicas: 0 }];
        }
        if new.pods > 0 || new.ready > 0 {
            return vec![Action::Wait {
                reason: match new.pods {
                    1 => "1 pod of the aborted release still exists".to_string(),
                    n => format!("{n} pods of the aborted release still exist"),
                },
            }];
        }
    }
    let unpark: Vec<Action> = obs
        .old
        .iter()
        .filter(|d| d.parked_autoscaler)
        .map(|d| Action::RestoreAutoscaler {
            deployment: d.name.clone(),
        })
        .collect();
    if !unpark.is_empty() {
        return unpark;
    }
    state.phase = Phase::Aborted { reason };
    Vec::new()
}

fn batch(
    cfg: &ReleaseConfig,
    state: &mut ReleaseState,
    obs: &Observed,
    index: usize,
    since: u64,
) -> Vec<Action> {
    // Before anything is scaled, and again should one come back: an
    // autoscaler on an old Deployment would undo the batches.
    let park: Vec<Action> = obs
        .old
        .iter()
        .filter_map(|d| {
            Some(Action::ParkAutoscaler {
                deployment: d.name.clone(),
                name: d.autoscaler.clone()?,
            })
        })
        .collect();
    if !park.is_empty() {
        return park;
    }
    let (replicas, steps) = state.plan(cfg);
    let want = steps.get(index).copied().unwrap_or(replicas);
    let Some(new) = &obs.new else {
        state.phase = Phase::Failed {
            reason: format!("the Deployment {} disappeared", cfg.new_name),
        };
        return Vec::new();
    };
    // The new autoscaler exists only once every batch is up: a run that
    // stopped right after creating it goes on finishing, leaving the scale
    // to it.
    if new.autoscaler.is_some() {
        state.phase = Phase::Finishing;
        return Vec::new();
    }
    if new.replicas != want {
        return vec![Action::ScaleNew { replicas: want }];
    }
    // Failed pods: rebuild, fail or tolerate, as the policy says.
    let failed = new.failed_pods.len() as u32;
    let mut tolerated = 0;
    if failed > 0 {
        match cfg.failure {
            FailurePolicy::Rebuild { max_rebuilds } => {
                if state.rebuilds + failed > max_rebuilds {
                    state.phase = Phase::Failed {
                        reason: format!(
                            "{} failed again after {} (max_rebuilds {max_rebuilds})",
                            if failed == 1 {
                                "1 pod".to_string()
                            } else {
                                format!("{failed} pods")
                            },
                            if state.rebuilds == 1 {
                                "1 rebuild".to_string()
                            } else {
                                format!("{} rebuilds", state.rebuilds)
                            }
                        ),
                    };
                    return Vec::new();
                }
                state.rebuilds += failed;
                return new
                    .failed_pods
                    .iter()
                    .map(|p| Action::DeletePod { name: p.clone() })
                    .collect();
            }
            FailurePolicy::Fail => {
                state.phase = Phase::Failed {
                    reason: format!("pod {} failed", new.failed_pods[0]),
                };
                return Vec::new();
            }
            FailurePolicy::Tolerate { max_failed_percent } => {
                if u64::from(failed) * 100 > u64::from(max_failed_percent) * u64::from(want) {
                    state.phase = Phase::Failed {
                        reason: format!(
                            "{failed} of {want} pods failed, more than {max_failed_percent}%"
                        ),
                    };
                    return Vec::new();
                }
                tolerated = failed;
            }
        }
    }
    // Ready pods, then ready endpoints: old pods go only once the new ones
    // receive traffic, so the Service never has fewer than the replicas.
    let waiting = if new.ready + tolerated < want {
        Some(format!("{} of {want} new pods ready", new.ready))
    } else if new.serving + tolerated < want {
        Some(format!(
            "{} of {want} new pods ready behind the Service",
            new.serving
        ))
    } else {
        None
    };
    if let Some(waiting) = waiting {
        if obs.now.saturating_sub(since) > cfg.deadline_seconds {
            state.phase = Phase::Failed {
                reason: format!(
                    "batch {} ({waiting}) missed the {}s progress deadline",
                    index + 1,
                    cfg.deadline_seconds
                ),
            };
            return Vec::new();
        }
        return vec![Action::Wait {
            reason: format!("batch {}: {waiting}", index + 1),
        }];
    }
    // The batch is up: retire as many old pods.
    let mut left = replicas.saturating_sub(want);
    let mut actions = Vec::new();
    let mut olds: Vec<&DeploymentView> = obs.old.iter().collect();
    olds.sort_by(|a, b| b.replicas.cmp(&a.replicas).then(a.name.cmp(&b.name)));
    for d in olds {
        let keep = d.replicas.min(left);
        left -= keep;
        if keep != d.replicas {
            actions.push(Action::ScaleOld {
                name: d.name.clone(),
                replicas: keep,
            });
        }
    }
    if !actions.is_empty() {
        return actions;
    }
    state.phase = if index + 1 >= steps.len() {
        Phase::Finishing
    } else if cfg.pause_seconds > 0 {
        Phase::Pause {
            index,
            until: obs.now + cfg.pause_seconds,
        }
    } else {
        Phase::Batch {
            index: index + 1,
            since: obs.now,
        }
    };
    Vec::new()
}

/// The actions of a release on a cluster where every pod becomes ready at
/// once: what `deploy plan` prints.
pub fn simulate(cfg: &ReleaseConfig, old: &[(String, u32)]) -> Vec<(u64, Action)> {
    let mut state = ReleaseState::default();
    let mut obs = Observed {
        old: old
            .iter()
            .map(|(n, r)| DeploymentView {
                name: n.clone(),
                replicas: *r,
                ready: *r,
                pods: *r,
                ..DeploymentView::default()
            })
            .collect(),
        ..Observed::default()
    };
    let mut out = Vec::new();
    for _ in 0..10_000 {
        if state.phase.is_terminal() {
            break;
        }
        let actions = step(cfg, &mut state, &obs);
        for a in &actions {
            match a {
                Action::CreateNew => {
                    obs.new = Some(DeploymentView {
                        name: cfg.new_name.clone(),
                        ..DeploymentView::default()
                    })
                }
                Action::ScaleNew { replicas } => {
                    if let Some(n) = obs.new.as_mut() {
                        n.replicas = *replicas;
                        n.ready = *replicas;
                        n.pods = *replicas;
                        n.serving = *replicas;
                    }
                }
                Action::ScaleOld { name, replicas } => {
                    if let Some(d) = obs.old.iter_mut().find(|d| &d.name == name) {
                        d.replicas = *replicas;
                        d.ready = *replicas;
                    }
                }
                Action::DeleteOld { name } => obs.old.retain(|d| &d.name != name),
                Action::ParkAutoscaler { deployment, .. } => {
                    if let Some(d) = obs.old.iter_mut().find(|d| &d.name == deployment) {
                        d.autoscaler = None;
                        d.parked_autoscaler = true;
                    }
                }
                Action::RestoreAutoscaler { .. } | Action::DeletePod { .. } => {}
                Action::CreateAutoscaler => {
                    if let Some(n) = obs.new.as_mut() {
                        n.autoscaler = Some(cfg.new_name.clone());
                    }
                }
                Action::Wait { .. } => obs.now += 1,
            }
            if !matches!(a, Action::Wait { .. }) {
                out.push((obs.now, a.clone()));
            }
        }
        if actions.is_empty() {
            obs.now += 1;
        }
    }
    out
}
