//! The release state machine, exhaustively: every batch transition, failed
//! pods rebuilt then giving up, abort at every step, the deadline, a newer
//! release arriving mid-release.

use podready_deploy::spec::FailurePolicy;
use podready_release::plan::{
    simulate, step, Action, DeploymentView, Observed, Phase, ReleaseConfig, ReleaseState,
};

fn config(replicas: u32, steps: &[u32], failure: FailurePolicy) -> ReleaseConfig {
    ReleaseConfig {
        new_name: "order-2".into(),
        replicas,
        steps: steps.to_vec(),
        pause_seconds: 0,
        failure,
        deadline_seconds: 60,
        autoscaling: None,
    }
}

const REBUILD: FailurePolicy = FailurePolicy::Rebuild { max_rebuilds: 2 };

/// A cluster that carries actions out; pods become ready one tick after
/// they are asked for, unless told to fail.
struct Cluster {
    obs: Observed,
    /// Pods of the new Deployment that fail instead of becoming ready.
    failing: u32,
    /// Whether a rebuilt pod comes back healthy.
    heals: bool,
    /// Pods that never become ready (without failing).
    stuck: bool,
    pending_ready: Option<u32>,
    /// Old Deployments scaled up: their pods become ready a tick later.
    pending_old: Vec<(String, u32)>,
    log: Vec<Action>,
}

impl Cluster {
    fn new(old: &[(&str, u32)]) -> Cluster {
        Cluster {
            obs: Observed {
                old: old
                    .iter()
                    .map(|(n, r)| DeploymentView {
                        name: n.to_string(),
                        replicas: *r,
                        ready: *r,
                        pods: *r,
                        ..Default::default()
                    })
                    .collect(),
                ..Observed::default()
            },
            failing: 0,
            heals: false,
            stuck: false,
            pending_ready: None,
            pending_old: vec![],
            log: vec![],
        }
    }

    fn tick(&mut self) {
        self.obs.now += 1;
        for (name, ready) in std::mem::take(&mut self.pending_old) {
            if let Some(d) = self.obs.old.iter_mut().find(|d| d.name == name) {
                d.ready = ready.min(d.replicas);
            }
        }
        if let Some(n) = self.obs.new.as_mut() {
            n.pods = n.replicas;
        }
        if let (Some(n), Some(want)) = (self.obs.new.as_mut(), self.pending_ready.take()) {
            if self.stuck {
                return;
            }
            let failing = self.failing.min(want);
            n.ready = want - failing;
            n.serving = n.ready;
            n.failed_pods = (0..failing).map(|i| format!("order-2-pod-{i}")).collect();
        }
    }

    fn apply(&mut self, actions: &[Action]) {
        for a in actions {
            self.log.push(a.clone());
            match a {
                Action::CreateNew => {
                    self.obs.new = Some(DeploymentView {
                        name: "order-2".into(),
                        ..Default::default()
                    })
                }
                Action::ScaleNew { replicas } => {
                    let n = self.obs.new.as_mut().unwrap();
                    n.replicas = *replicas;
                    n.ready = n.ready.min(*replicas);
                    n.serving = n.serving.min(*replicas);
                    n.pods = n.pods.max(*replicas);
                    self.pending_ready = Some(*replicas);
                }
                Action::ScaleOld { name, replicas } => {
                    let d = self.obs.old.iter_mut().find(|d| &d.name == name).unwrap();
                    d.replicas = *replicas;
                    d.ready = d.ready.min(*replicas);
                    self.pending_old.push((name.clone(), *replicas));
                }
                Action::DeletePod { name } => {
                    let n = self.obs.new.as_mut().unwrap();
                    n.failed_pods.retain(|p| p != name);
                    self.pending_ready = Some(n.replicas);
                    if self.heals {
                        self.failing = self.failing.saturating_sub(1);
                    }
                }
                Action::DeleteOld { name } => self.obs.old.retain(|d| &d.name != name),
                Action::ParkAutoscaler { deployment, name } => {
                    let d = self.old_mut(deployment);
                    assert_eq!(d.autoscaler.as_ref(), Some(name));
                    d.autoscaler = None;
                    d.parked_autoscaler = true;
                }
                Action::RestoreAutoscaler { deployment } => {
                    let d = self.old_mut(deployment);
                    assert!(d.parked_autoscaler);
                    d.parked_autoscaler = false;
                    d.autoscaler = Some(format!("{deployment}-hpa"));
                }
                Action::CreateAutoscaler => {
                    self.obs.new.as_mut().unwrap().autoscaler = Some("order-2".into());
                }
                Action::Wait { .. } => {}
            }
        }
    }

    /// Runs the planner until it ends; `hook` may change the cluster before
    /// each step (its argument is the step number).
    fn run(&mut self, cfg: &ReleaseConfig, hook: impl FnMut(usize, &mut Cluster)) -> ReleaseState {
        self.run_from(cfg, ReleaseState::default(), hook)
    }

    /// Goes on from a state (a release applied again).
    fn run_from(
        &mut self,
        cfg: &ReleaseConfig,
        mut state: ReleaseState,
        mut hook: impl FnMut(usize, &mut Cluster),
    ) -> ReleaseState {
        for n in 0..500 {
            hook(n, self);
            let actions = step(cfg, &mut state, &self.obs);
            self.apply(&actions);
            if state.phase.is_terminal() {
                return state;
            }
            self.tick();
        }
        panic!("the release never ended: {:?}", state.phase);
    }

    fn old_mut(&mut self, name: &str) -> &mut DeploymentView {
        self.obs.old.iter_mut().find(|d| d.name == name).unwrap()
    }

    fn old(&self, name: &str) -> Option<u32> {
        self.obs
            .old
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.replicas)
    }
}

#[test]
fn a_release_goes_batch_by_batch_and_removes_the_old_deployment() {
    let cfg = config(4, &[1, 2, 4], REBUILD);
    let mut c = Cluster::new(&[("order-1", 4)]);
    let state = c.run(&cfg, |_, _| {});
    assert_eq!(state.phase, Phase::Done);
    let moves: Vec<&Action> = c
        .log
        .iter()
        .filter(|a| !matches!(a, Action::Wait { .. }))
        .collect();
    assert_eq!(
        moves,
        [
            &Action::CreateNew,
            &Action::ScaleNew { replicas: 1 },
            &Action::ScaleOld {
                name: "order-1".into(),
                replicas: 3
            },
            &Action::ScaleNew { replicas: 2 },
            &Action::ScaleOld {
                name: "order-1".into(),
                replicas: 2
            },
            &Action::ScaleNew { replicas: 4 },
            &Action::ScaleOld {
                name: "order-1".into(),
                replicas: 0
            },
            &Action::DeleteOld {
                name: "order-1".into()
            },
        ]
    );
    // Capacity never drops: new ready + old >= replicas after every action.
    assert_eq!(c.obs.new.as_ref().unwrap().ready, 4);
}

#[test]
fn old_pods_are_only_removed_after_new_ones_are_ready() {
    let cfg = config(2, &[1, 2], REBUILD);
    let mut c = Cluster::new(&[("order-1", 2)]);
    let mut seen = Vec::new();
    c.run(&cfg, |_, c| {
        let new_ready = c.obs.new.as_ref().map_or(0, |n| n.ready);
        let old: u32 = c.obs.old.iter().map(|d| d.replicas).sum();
        seen.push(new_ready + old);
    });
    assert!(seen.iter().all(|total| *total >= 2), "{seen:?}");
}

#[test]
fn pause_between_batches() {
    let mut cfg = config(2, &[1, 2], REBUILD);
    cfg.pause_seconds = 5;
    let mut c = Cluster::new(&[("order-1", 2)]);
    let mut paused_at = None;
    let mut resumed_at = None;
    let mut state = ReleaseState::default();
    for _ in 0..100 {
        let actions = step(&cfg, &mut state, &c.obs);
        if matches!(state.phase, Phase::Pause { .. }) && paused_at.is_none() {
            paused_at = Some(c.obs.now);
        }
        if actions.contains(&Action::ScaleNew { replicas: 2 }) {
            resumed_at = Some(c.obs.now);
        }
        c.apply(&actions);
        if state.phase.is_terminal() {
            break;
        }
        c.tick();
    }
    assert_eq!(state.phase, Phase::Done);
    assert!(resumed_at.unwrap() - paused_at.unwrap() >= 5);
}

#[test]
fn failed_pods_are_rebuilt_then_the_release_gives_up() {
    // One failing pod, rebuilt each time: gives up after max_rebuilds.
    let cfg = config(2, &[1, 2], REBUILD);
    let mut c = Cluster::new(&[("order-1", 2)]);
    c.failing = 1;
    let state = c.run(&cfg, |_, _| {});
    let deletes = c
        .log
        .iter()
        .filter(|a| matches!(a, Action::DeletePod { .. }))
        .count();
    assert_eq!(deletes, 2);
    assert!(
        matches!(&state.phase, Phase::Failed { reason } if reason.contains("max_rebuilds 2")),
        "{:?}",
        state.phase
    );
    // The old release kept all its pods: nothing was retired for a batch
    // that never became ready.
    assert_eq!(c.old("order-1"), Some(2));
}

#[test]
fn a_pod_that_recovers_after_a_rebuild_lets_the_release_finish() {
    let cfg = config(2, &[1, 2], REBUILD);
    let mut c = Cluster::new(&[("order-1", 2)]);
    c.failing = 1;
    c.heals = true;
    let state = c.run(&cfg, |_, _| {});
    assert_eq!(state.phase, Phase::Done);
    assert_eq!(state.rebuilds, 1);
}

#[test]
fn fail_policy_fails_on_the_first_failed_pod() {
    let cfg = config(2, &[1, 2], FailurePolicy::Fail);
    let mut c = Cluster::new(&[("order-1", 2)]);
    c.failing = 1;
    let state = c.run(&cfg, |_, _| {});
    assert!(matches!(&state.phase, Phase::Failed { reason } if reason.contains("order-2-pod-0")));
    assert!(!c.log.iter().any(|a| matches!(a, Action::DeletePod { .. })));
}

#[test]
fn tolerate_policy_goes_on_within_its_share() {
    let cfg = config(
        4,
        &[4],
        FailurePolicy::Tolerate {
            max_failed_percent: 25,
        },
    );
    let mut c = Cluster::new(&[("order-1", 4)]);
    c.failing = 1;
    assert_eq!(c.run(&cfg, |_, _| {}).phase, Phase::Done);
    let mut c = Cluster::new(&[("order-1", 4)]);
    c.failing = 2;
    assert!(matches!(c.run(&cfg, |_, _| {}).phase, Phase::Failed { .. }));
}

#[test]
fn a_batch_past_its_deadline_fails_the_release() {
    let cfg = config(2, &[1, 2], REBUILD);
    let mut c = Cluster::new(&[("order-1", 2)]);
    c.stuck = true;
    let state = c.run(&cfg, |_, _| {});
    assert!(
        matches!(&state.phase, Phase::Failed { reason } if reason.contains("60s progress deadline")),
        "{:?}",
        state.phase
    );
    assert!(c.obs.now > 60);
}

#[test]
fn abort_at_every_step_leaves_no_new_pod_and_restores_the_old() {
    let cfg = config(4, &[1, 2, 4], REBUILD);
    // How many steps a full release takes, and when it starts removing the
    // old Deployment (after which an abort is too late).
    let mut full = Cluster::new(&[("order-1", 4)]);
    let mut steps = 0;
    let mut finishing = usize::MAX;
    full.run(&cfg, |n, c| {
        steps = n;
        if finishing == usize::MAX && c.obs.old.iter().all(|d| d.replicas == 0) {
            finishing = n;
        }
    });
    for abort_at in 0..=steps {
        let mut c = Cluster::new(&[("order-1", 4)]);
        let mut ready = Vec::new();
        let state = c.run(&cfg, |n, c| {
            if n == abort_at {
                c.obs.abort = true;
            }
            let old: u32 = c.obs.old.iter().map(|d| d.ready).sum();
            ready.push(c.obs.new.as_ref().map_or(0, |n| n.ready) + old);
        });
        // The old pods are back and ready before the new ones go.
        assert!(
            ready.iter().all(|r| *r >= 4),
            "abort at step {abort_at}: {ready:?}"
        );
        match &state.phase {
            Phase::Aborted { .. } => {
                let new = c.obs.new.as_ref().map_or(0, |n| n.replicas.max(n.pods));
                assert_eq!(new, 0, "abort at step {abort_at}");
                assert_eq!(c.old("order-1"), Some(4), "abort at step {abort_at}");
            }
            Phase::Done => assert!(abort_at >= finishing, "abort at step {abort_at} ignored"),
            other => panic!("abort at step {abort_at}: {other:?}"),
        }
    }
}

#[test]
fn a_newer_release_mid_release_takes_over() {
    let cfg = config(4, &[1, 2, 4], REBUILD);
    let mut c = Cluster::new(&[("order-1", 4)]);
    let state = c.run(&cfg, |n, c| {
        if n == 5 {
            c.obs.superseded = true;
        }
    });
    assert_eq!(state.phase, Phase::Superseded);
    let after: Vec<&Action> = c
        .log
        .iter()
        .rev()
        .take_while(|a| !matches!(a, Action::Wait { .. }))
        .collect();
    assert!(after.is_empty() || !after.iter().any(|a| matches!(a, Action::DeleteOld { .. })));

    // The newer release sees both earlier Deployments as old, and retires
    // them together.
    let cfg3 = ReleaseConfig {
        new_name: "order-3".into(),
        ..cfg
    };
    let old: Vec<(&str, u32)> = c
        .obs
        .old
        .iter()
        .map(|d| (d.name.as_str(), d.replicas))
        .chain(c.obs.new.iter().map(|n| ("order-2", n.replicas)))
        .collect();
    let owned: Vec<(String, u32)> = old.iter().map(|(n, r)| (n.to_string(), *r)).collect();
    let plan = simulate(&cfg3, &owned);
    let deleted: Vec<&str> = plan
        .iter()
        .filter_map(|(_, a)| match a {
            Action::DeleteOld { name } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(deleted.len(), 2, "{plan:?}");
}

#[test]
fn steps_from_the_spec_batches() {
    let text = "apiVersion: podready/v1\napp:\n  name: order\n  packaging: jar\n  port: 8080\n  path: /app\n  health: /h\nrelease:\n  replicas: 4\n  batches: [1, \"25%\", \"50%\", \"100%\"]\n";
    let spec = podready_deploy::spec::DeploySpec::parse("d.yaml", text).unwrap();
    let cfg = ReleaseConfig::from_spec(&spec, "order-2");
    assert_eq!(cfg.steps, [1, 2, 4]);
}

#[test]
fn a_failed_release_can_be_aborted() {
    let cfg = config(4, &[1, 2, 4], FailurePolicy::Fail);
    let mut c = Cluster::new(&[("order-1", 4)]);
    // Batch 1 is up (one old pod retired), then batch 2 fails.
    let state = c.run(&cfg, |_, c| {
        if c.old("order-1") == Some(3) {
            c.failing = 1;
        }
    });
    assert!(matches!(state.phase, Phase::Failed { .. }), "{state:?}");
    assert_eq!(c.old("order-1"), Some(3));
    c.obs.abort = true;
    let state = c.run_from(&cfg, state, |_, _| {});
    assert!(matches!(state.phase, Phase::Aborted { .. }), "{state:?}");
    assert_eq!(c.old("order-1"), Some(4));
    let new = c.obs.new.as_ref().unwrap();
    assert_eq!((new.replicas, new.pods), (0, 0));
}

#[test]
fn a_failed_release_applied_again_goes_on_from_its_batch() {
    let cfg = config(4, &[1, 2, 4], FailurePolicy::Fail);
    let mut c = Cluster::new(&[("order-1", 4)]);
    let state = c.run(&cfg, |_, c| {
        if c.old("order-1") == Some(3) && !c.heals {
            c.failing = 1;
        }
    });
    assert!(matches!(state.phase, Phase::Failed { .. }));
    // The cause is fixed and the failed pod replaced; the release goes on
    // at batch 2, not back at 1.
    c.failing = 0;
    c.heals = true;
    c.pending_ready = c.obs.new.as_ref().map(|n| n.replicas);
    c.tick();
    c.log.clear();
    let retried = state.retry(&cfg, &c.obs);
    assert_eq!(retried.old_replicas, state.old_replicas);
    assert!(
        matches!(retried.phase, Phase::Batch { index: 1, .. }),
        "{retried:?}"
    );
    let done = c.run_from(&cfg, retried, |_, _| {});
    assert_eq!(done.phase, Phase::Done);
    assert!(
        !c.log.contains(&Action::ScaleNew { replicas: 1 }),
        "{:?}",
        c.log
    );
}

#[test]
fn autoscalers_are_parked_for_the_release_and_the_new_one_adopts_the_scale() {
    let mut cfg = config(4, &[1, 2, 4], REBUILD);
    cfg.autoscaling = Some((4, 8));
    let mut c = Cluster::new(&[("order-1", 4)]);
    c.obs.old[0].autoscaler = Some("order-1".into());
    assert_eq!(c.run(&cfg, |_, _| {}).phase, Phase::Done);
    let moves: Vec<&Action> = c
        .log
        .iter()
        .filter(|a| !matches!(a, Action::Wait { .. }))
        .collect();
    assert_eq!(
        moves[..2],
        [
            &Action::CreateNew,
            &Action::ParkAutoscaler {
                deployment: "order-1".into(),
                name: "order-1".into()
            }
        ]
    );
    let created = moves
        .iter()
        .position(|a| **a == Action::CreateAutoscaler)
        .unwrap();
    let last_batch = moves
        .iter()
        .position(|a| **a == Action::ScaleNew { replicas: 4 })
        .unwrap();
    assert!(created > last_batch, "{moves:?}");
    assert!(matches!(moves.last(), Some(Action::DeleteOld { .. })));

    // Aborted: the old autoscaler is back, once the old pods are.
    let mut c = Cluster::new(&[("order-1", 4)]);
    c.obs.old[0].autoscaler = Some("order-1".into());
    let state = c.run(&cfg, |n, c| c.obs.abort = n == 6);
    assert!(matches!(state.phase, Phase::Aborted { .. }));
    assert!(c.obs.old[0].autoscaler.is_some());
    assert!(!c.log.contains(&Action::CreateAutoscaler));
}

#[test]
fn old_pods_stay_until_the_new_ones_receive_traffic() {
    let cfg = config(2, &[1, 2], REBUILD);
    let mut state = ReleaseState::default();
    let mut obs = Cluster::new(&[("order-1", 2)]).obs;
    obs.new = Some(DeploymentView {
        name: "order-2".into(),
        replicas: 1,
        ready: 1,
        pods: 1,
        serving: 0,
        ..Default::default()
    });
    let actions = step(&cfg, &mut state, &obs);
    assert_eq!(
        actions,
        [Action::Wait {
            reason: "batch 1: 0 of 1 new pods ready behind the Service".into()
        }]
    );
    // A Service that never sends them traffic fails the batch at its
    // deadline, saying why.
    obs.now += 61;
    step(&cfg, &mut state, &obs);
    assert_eq!(
        state.phase,
        Phase::Failed {
            reason: "batch 1 (0 of 1 new pods ready behind the Service) missed the 60s progress deadline".into()
        }
    );
}

#[test]
fn an_autoscaled_app_keeps_the_size_its_load_asked_for() {
    // The spec says 4; the old release's autoscaler had reached 10.
    let mut cfg = config(4, &[1, 2, 4], REBUILD);
    cfg.autoscaling = Some((2, 12));
    let mut c = Cluster::new(&[("order-1", 10)]);
    c.obs.old[0].autoscaler = Some("order-1".into());
    let mut capacity = Vec::new();
    let state = c.run(&cfg, |_, c| {
        let old: u32 = c.obs.old.iter().map(|d| d.ready).sum();
        capacity.push(c.obs.new.as_ref().map_or(0, |n| n.ready) + old);
    });
    assert_eq!(state.phase, Phase::Done);
    assert_eq!(state.replicas, Some(10));
    let scaled: Vec<u32> = c
        .log
        .iter()
        .filter_map(|a| match a {
            Action::ScaleNew { replicas } => Some(*replicas),
            _ => None,
        })
        .collect();
    assert_eq!(scaled, [3, 5, 10]);
    assert!(capacity.iter().all(|n| *n >= 10), "{capacity:?}");
}

#[test]
fn a_run_stopped_after_creating_the_new_autoscaler_goes_on_finishing() {
    let mut cfg = config(4, &[1, 2, 4], REBUILD);
    cfg.autoscaling = Some((4, 8));
    let mut state = ReleaseState {
        phase: Phase::Batch { index: 2, since: 0 },
        ..ReleaseState::default()
    };
    let mut obs = Cluster::new(&[("order-1", 0)]).obs;
    // The autoscaler was created and has scaled up under load.
    obs.new = Some(DeploymentView {
        name: "order-2".into(),
        replicas: 6,
        ready: 6,
        pods: 6,
        serving: 6,
        autoscaler: Some("order-2".into()),
        ..Default::default()
    });
    obs.now = 10_000;
    // Resumed long after: it goes on finishing and leaves the
    // autoscaler's scale alone.
    state = state.resumed(obs.now);
    let actions = step(&cfg, &mut state, &obs);
    assert_eq!(
        actions,
        [Action::DeleteOld {
            name: "order-1".into()
        }]
    );
    assert_eq!(state.phase, Phase::Finishing);
}

#[test]
fn an_abort_waits_for_the_old_pods_no_longer_than_a_batch_may_take() {
    let cfg = config(2, &[1, 2], REBUILD);
    let mut state = ReleaseState {
        phase: Phase::Aborting {
            reason: "aborted by an operator".into(),
            since: 0,
        },
        old_replicas: [("order-1".to_string(), 2)].into(),
        ..ReleaseState::default()
    };
    let mut obs = Cluster::new(&[("order-1", 2)]).obs;
    obs.old[0].ready = 1; // one old pod cannot be placed again
    obs.new = Some(DeploymentView {
        name: "order-2".into(),
        replicas: 1,
        ready: 1,
        pods: 1,
        ..Default::default()
    });
    obs.now = 30;
    assert!(matches!(
        step(&cfg, &mut state, &obs)[..],
        [Action::Wait { .. }]
    ));
    obs.now = 61;
    assert_eq!(
        step(&cfg, &mut state, &obs),
        [Action::ScaleNew { replicas: 0 }]
    );
}

#[test]
fn time_spent_stopped_does_not_count_against_the_deadline() {
    let cfg = config(2, &[1, 2], REBUILD);
    let stopped = ReleaseState {
        phase: Phase::Batch {
            index: 0,
            since: 100,
        },
        ..ReleaseState::default()
    };
    let mut obs = Cluster::new(&[("order-1", 2)]).obs;
    obs.new = Some(DeploymentView {
        name: "order-2".into(),
        replicas: 1,
        ..Default::default()
    });
    obs.now = 100 + 3600;
    let mut as_saved = stopped.clone();
    step(&cfg, &mut as_saved, &obs);
    assert!(matches!(as_saved.phase, Phase::Failed { .. }));
    let mut resumed = stopped.resumed(obs.now);
    let actions = step(&cfg, &mut resumed, &obs);
    assert!(matches!(actions[..], [Action::Wait { .. }]), "{actions:?}");
}
