//! The release executor on a real control plane: etcd, kube-apiserver,
//! controller-manager and scheduler built from their Go modules, with kwok
//! playing the nodes and pods (see testkit's `kwok-stages.yaml`). Every
//! test works in a namespace of its own that enforces the restricted Pod
//! Security Standard, so every pod a release creates passes it.
//!
//! kwok does not run containers: probes, image pulls, Secrets, preStop and
//! grace periods are not simulated (deletion takes two seconds, as a short
//! grace period would). What only a container runtime can show is tested
//! on the pod side (tests/e2e/pod.rs) and on the kube mock
//! (tests/executor.rs).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, Patch, PatchParams};
use kube::Client;
use podready_deploy::render::{deployment_name, render, service_name, RenderInput};
use podready_deploy::spec::DeploySpec;
use podready_release::executor::{ExecError, KubeRelease, ANNOTATION_ABORT};
use podready_release::plan::{Action, Phase, ReleaseConfig};
use podready_testkit::{cluster, deployments, ready_endpoints};
use serde_json::json;

const POLL: Duration = Duration::from_millis(250);

/// A deploy spec for `order` with the given release section.
fn spec(release: &str) -> DeploySpec {
    let text = format!(
        "apiVersion: podready/v1\napp:\n  name: order\n  packaging: jar\n  port: 8080\n  path: /app\n  health: /actuator/health\nrelease:\n{release}"
    );
    DeploySpec::parse("deploy.yaml", &text).expect("the test spec")
}

fn batches(replicas: u32) -> String {
    format!("  replicas: {replicas}\n  batches: [1, 2, \"100%\"]\n  failure:\n    policy: rebuild\n    max_rebuilds: 2\n")
}

async fn release(
    client: &Client,
    ns: &str,
    spec: &DeploySpec,
    env: &str,
    image: &str,
    id: &str,
) -> KubeRelease {
    let rendered = render(&RenderInput {
        spec,
        env,
        image,
        release: id,
        namespace: Some(ns),
        podready_image: "podready/podready:0.1.0",
        grant_url: "http://podready-grant.podready.svc:8700",
        grant_secret: "order-grant-token",
    })
    .expect("the test spec renders");
    let name = deployment_name(&spec.app.name, env, id);
    KubeRelease {
        client: client.clone(),
        namespace: ns.to_string(),
        app: spec.app.name.clone(),
        env: env.to_string(),
        release: id.to_string(),
        config: ReleaseConfig::from_spec(spec, &name),
        rendered,
    }
}

/// Release `v<n>` of `registry.local/order:<n>.0` in prod.
async fn prod(client: &Client, ns: &str, spec: &DeploySpec, n: u32) -> KubeRelease {
    release(
        client,
        ns,
        spec,
        "prod",
        &format!("registry.local/order:{n}.0"),
        &format!("v{n}"),
    )
    .await
}

/// Runs a release to its end; the actions it took, in order.
async fn run(r: &KubeRelease) -> (Result<Phase, ExecError>, Vec<Action>) {
    r.apply_companions().await.expect("companions applied");
    let mut actions = Vec::new();
    let phase = r.run(POLL, |_, a| actions.extend(a.iter().cloned())).await;
    (phase, actions)
}

async fn done(r: &KubeRelease) -> Vec<Action> {
    let (phase, actions) = run(r).await;
    assert_eq!(phase.expect("the release runs"), Phase::Done, "{actions:?}");
    actions
}

/// Samples the ready endpoints every 100 ms until dropped.
struct EndpointWatch {
    samples: Arc<Mutex<Vec<BTreeMap<String, u32>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl EndpointWatch {
    fn start(client: &Client, ns: &str, service: &str) -> EndpointWatch {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let (client, ns, service, out) = (
            client.clone(),
            ns.to_string(),
            service.to_string(),
            samples.clone(),
        );
        let task = tokio::spawn(async move {
            loop {
                let now = ready_endpoints(&client, &ns, &service).await;
                out.lock().unwrap().push(now);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        EndpointWatch { samples, task }
    }

    fn stop(self) -> Vec<BTreeMap<String, u32>> {
        self.task.abort();
        let samples = self.samples.lock().unwrap().clone();
        assert!(samples.len() > 5, "too few samples: {samples:?}");
        samples
    }
}

fn total(sample: &BTreeMap<String, u32>) -> u32 {
    sample.values().sum()
}

/// Waits until `check` holds, or fails with `what`.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what} did not happen within 60s\n--- kube-controller-manager\n{}",
            cluster().log("kube-controller-manager")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A namespace that enforces the restricted Pod Security Standard.
async fn namespace(prefix: &str) -> (Client, String) {
    let c = cluster();
    (c.client().await, c.namespace(prefix, true).await)
}

#[tokio::test]
async fn a_first_release_serves_every_replica() {
    let (client, ns) = namespace("first").await;
    let spec = spec(&batches(3));
    let r = prod(&client, &ns, &spec, 1).await;
    let actions = done(&r).await;
    assert_eq!(actions[0], Action::CreateNew);
    assert_eq!(
        deployments(&client, &ns).await,
        BTreeMap::from([("order-prod-v1".to_string(), (3, 3))])
    );
    eventually("3 ready endpoints", || async {
        total(&ready_endpoints(&client, &ns, "order-prod").await) == 3
    })
    .await;
}

#[tokio::test]
async fn batches_never_take_ready_endpoints_below_the_replicas() {
    let (client, ns) = namespace("batches").await;
    let spec = spec(&batches(3));
    done(&prod(&client, &ns, &spec, 1).await).await;
    eventually("3 ready endpoints", || async {
        total(&ready_endpoints(&client, &ns, "order-prod").await) == 3
    })
    .await;
    let watch = EndpointWatch::start(&client, &ns, "order-prod");
    let actions = done(&prod(&client, &ns, &spec, 2).await).await;
    let samples = watch.stop();
    let low = samples.iter().map(total).min().unwrap_or(0);
    assert!(low >= 3, "ready endpoints fell to {low}: {samples:?}");
    let scaled: Vec<u32> = actions
        .iter()
        .filter_map(|a| match a {
            Action::ScaleNew { replicas } => Some(*replicas),
            _ => None,
        })
        .collect();
    assert_eq!(scaled, [1, 2, 3]);
    assert_eq!(
        deployments(&client, &ns).await,
        BTreeMap::from([("order-prod-v2".to_string(), (3, 3))])
    );
}

#[tokio::test]
async fn a_pause_holds_the_next_batch() {
    let (client, ns) = namespace("pause").await;
    let spec = spec(&format!("{}  pause_seconds: 3\n", batches(2)));
    done(&prod(&client, &ns, &spec, 1).await).await;
    let r = prod(&client, &ns, &spec, 2).await;
    r.apply_companions().await.unwrap();
    let mut scaled = Vec::new();
    let phase = r
        .run(POLL, |_, actions| {
            for a in actions {
                if let Action::ScaleNew { replicas } = a {
                    scaled.push((*replicas, Instant::now()));
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(phase, Phase::Done);
    assert_eq!(scaled.len(), 2, "{scaled:?}");
    let gap = scaled[1].1 - scaled[0].1;
    assert!(
        gap >= Duration::from_secs(3),
        "batch 2 came {gap:?} after batch 1"
    );
}

/// The pods of a Deployment that are not being deleted.
async fn live_pods(client: &Client, ns: &str, deployment: &str) -> Vec<Pod> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let mut live: Vec<Pod> = pods
        .list(&ListParams::default())
        .await
        .expect("the pods")
        .items
        .into_iter()
        .filter(|p| {
            p.metadata.deletion_timestamp.is_none()
                && p.metadata
                    .name
                    .as_deref()
                    .is_some_and(|n| n.starts_with(&format!("{deployment}-")))
        })
        .collect();
    live.sort_by_key(|p| p.metadata.creation_timestamp.clone().map(|t| t.0));
    live
}

#[tokio::test]
async fn failed_pods_are_rebuilt_once_each_until_the_budget_is_spent() {
    let (client, ns) = namespace("rebuild").await;
    let spec = spec(&batches(2));
    done(&prod(&client, &ns, &spec, 1).await).await;
    // Pods of the `crash` tag stay in CrashLoopBackOff; a deleted pod takes
    // two seconds to go, over several polls.
    let r = release(
        &client,
        &ns,
        &spec,
        "prod",
        "registry.local/order:crash",
        "v2",
    )
    .await;
    let (phase, actions) = run(&r).await;
    let deleted: Vec<&String> = actions
        .iter()
        .filter_map(|a| match a {
            Action::DeletePod { name } => Some(name),
            _ => None,
        })
        .collect();
    let distinct: BTreeSet<&String> = deleted.iter().copied().collect();
    assert_eq!(deleted.len(), 2, "max_rebuilds is 2: {deleted:?}");
    assert_eq!(
        distinct.len(),
        deleted.len(),
        "a pod deleted twice: {deleted:?}"
    );
    match phase.unwrap() {
        Phase::Failed { reason } => assert!(
            reason.contains("after 2 rebuilds (max_rebuilds 2)"),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }
    // Nothing was taken from the running release.
    assert_eq!(deployments(&client, &ns).await["order-prod-v1"], (2, 2));
}

/// Sets the operator's abort annotation on a release, as `deploy abort`
/// does.
async fn mark_abort(client: &Client, ns: &str, deployment: &str) {
    let api: Api<Deployment> = Api::namespaced(client.clone(), ns);
    let patch = json!({ "metadata": { "annotations": { ANNOTATION_ABORT: "true" } } });
    api.patch(deployment, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("the abort annotation");
}

#[tokio::test]
async fn an_abort_brings_the_old_release_back_before_removing_the_new() {
    let (client, ns) = namespace("abort").await;
    let spec = spec(&batches(3));
    done(&prod(&client, &ns, &spec, 1).await).await;
    eventually("3 ready endpoints", || async {
        total(&ready_endpoints(&client, &ns, "order-prod").await) == 3
    })
    .await;
    let watch = EndpointWatch::start(&client, &ns, "order-prod");
    let r = prod(&client, &ns, &spec, 2).await;
    r.apply_companions().await.unwrap();
    let (c, n) = (client.clone(), ns.clone());
    let operator = tokio::spawn(async move {
        // Mid-release: batch 2 is up and the old release is down to one.
        eventually("batch 2", || async {
            deployments(&c, &n).await.get("order-prod-v1") == Some(&(1, 1))
        })
        .await;
        mark_abort(&c, &n, "order-prod-v2").await;
    });
    let phase = r.run(POLL, |_, _| {}).await.unwrap();
    operator.await.unwrap();
    // Declared only once the old release is back at full ready capacity
    // and no pod of the new one is left.
    let at_end = deployments(&client, &ns).await;
    let pods_left = live_pods(&client, &ns, "order-prod-v2").await.len();
    let samples = watch.stop();
    assert!(matches!(phase, Phase::Aborted { .. }), "{phase:?}");
    assert_eq!(at_end["order-prod-v1"], (3, 3));
    assert_eq!(at_end["order-prod-v2"], (0, 0));
    assert_eq!(pods_left, 0);
    let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
    let all = pods.list(&ListParams::default()).await.unwrap().items;
    assert!(
        all.iter().all(|p| !p
            .metadata
            .name
            .as_deref()
            .unwrap_or_default()
            .starts_with("order-prod-v2-")),
        "pods of the aborted release remain"
    );
    let low = samples.iter().map(total).min().unwrap_or(0);
    assert!(low >= 3, "ready endpoints fell to {low}: {samples:?}");
    eventually("no endpoint of the aborted release", || async {
        !ready_endpoints(&client, &ns, "order-prod")
            .await
            .contains_key("order-prod-v2")
    })
    .await;
}

/// Makes a running pod crash, as a kubelet would report it.
async fn crash(client: &Client, ns: &str, pod: &str) {
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let status = json!({ "status": {
        "conditions": [
            { "type": "Ready", "status": "False", "reason": "ContainersNotReady" },
            { "type": "ContainersReady", "status": "False", "reason": "ContainersNotReady" },
        ],
        "containerStatuses": [{ "name": "app", "image": "registry.local/order:2.0", "imageID": "",
            "ready": false, "restartCount": 4, "started": false,
            "state": { "waiting": { "reason": "CrashLoopBackOff" } } }],
    } });
    pods.patch_status(pod, &PatchParams::default(), &Patch::Merge(&status))
        .await
        .expect("the pod's status");
}

#[tokio::test]
async fn a_failed_release_can_be_aborted_and_applied_again() {
    let (client, ns) = namespace("failed").await;
    let spec = spec("  replicas: 3\n  batches: [1, 2, \"100%\"]\n  failure:\n    policy: fail\n");
    done(&prod(&client, &ns, &spec, 1).await).await;
    let r = prod(&client, &ns, &spec, 2).await;
    r.apply_companions().await.unwrap();
    let (c, n) = (client.clone(), ns.clone());
    let kubelet = tokio::spawn(async move {
        // Batch 2's second pod crashes once it runs.
        eventually("batch 2's pods", || async {
            let live = live_pods(&c, &n, "order-prod-v2").await;
            live.len() == 2 && live[1].status.as_ref().is_some_and(|s| s.pod_ip.is_some())
        })
        .await;
        let live = live_pods(&c, &n, "order-prod-v2").await;
        crash(&c, &n, live[1].metadata.name.as_deref().unwrap()).await;
    });
    let phase = r.run(POLL, |_, _| {}).await.unwrap();
    kubelet.await.unwrap();
    assert!(matches!(phase, Phase::Failed { .. }), "{phase:?}");
    // The failed release's ready pods serve beside what is left of the old
    // release (the crash lands in batch 2 or, when the executor saw batch 2
    // ready first, in batch 3).
    let before = deployments(&client, &ns).await;
    assert!(before["order-prod-v1"].0 < 3, "{before:?}");
    assert!(before["order-prod-v2"].1 >= 1, "{before:?}");

    let phase = r.abort(POLL, |_, _| {}).await.unwrap();
    assert!(matches!(phase, Phase::Aborted { .. }), "{phase:?}");
    let after = deployments(&client, &ns).await;
    assert_eq!(after["order-prod-v1"], (3, 3));
    assert_eq!(after["order-prod-v2"], (0, 0));
    assert!(live_pods(&client, &ns, "order-prod-v2").await.is_empty());

    // Applied again, the aborted release starts over and finishes.
    let actions = done(&r).await;
    assert!(!actions.contains(&Action::CreateNew), "{actions:?}");
    assert_eq!(
        deployments(&client, &ns).await,
        BTreeMap::from([("order-prod-v2".to_string(), (3, 3))])
    );
}

#[tokio::test]
async fn a_newer_release_supersedes_one_in_progress() {
    let (client, ns) = namespace("supersede").await;
    let spec = spec(&format!("{}  pause_seconds: 30\n", batches(3)));
    let fast = spec_without_pause(&spec);
    done(&prod(&client, &ns, &fast, 1).await).await;
    let r2 = prod(&client, &ns, &spec, 2).await;
    r2.apply_companions().await.unwrap();
    let second = tokio::spawn(async move { r2.run(POLL, |_, _| {}).await });
    // v2 pauses after its first batch; v3 starts then. Started-at
    // annotations have a one-second resolution.
    eventually("v2's first batch", || async {
        deployments(&client, &ns).await.get("order-prod-v1") == Some(&(2, 2))
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r3 = prod(&client, &ns, &fast, 3).await;
    let third = run(&r3).await;
    let second = second.await.unwrap();
    assert_eq!(second.unwrap(), Phase::Superseded);
    assert_eq!(third.0.unwrap(), Phase::Done);
    assert_eq!(
        deployments(&client, &ns).await,
        BTreeMap::from([("order-prod-v3".to_string(), (3, 3))])
    );
}

fn spec_without_pause(spec: &DeploySpec) -> DeploySpec {
    let mut fast = spec.clone();
    fast.release.pause_seconds = 0;
    fast
}

#[tokio::test]
async fn the_autoscaler_does_not_fight_the_batches_and_moves_to_the_new_release() {
    let (client, ns) = namespace("hpa").await;
    let spec = spec(&format!(
        "{}  autoscaling:\n    min: 3\n    max: 6\n    cpu_percent: 70\n",
        batches(3)
    ));
    let r1 = prod(&client, &ns, &spec, 1).await;
    let actions = done(&r1).await;
    assert!(actions.contains(&Action::CreateAutoscaler));
    let hpas: Api<HorizontalPodAutoscaler> = Api::namespaced(client.clone(), &ns);
    assert!(hpas.get_opt("order-prod-v1").await.unwrap().is_some());

    // While v2 goes batch by batch, v1's replicas only ever go down.
    let (c, n) = (client.clone(), ns.clone());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let out = seen.clone();
    let sampler = tokio::spawn(async move {
        loop {
            if let Some((replicas, _)) = deployments(&c, &n).await.get("order-prod-v1") {
                out.lock().unwrap().push(*replicas);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let r2 = prod(&client, &ns, &spec, 2).await;
    let actions = done(&r2).await;
    sampler.abort();
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.windows(2).all(|w| w[1] <= w[0]),
        "the old release was scaled back up: {seen:?}"
    );
    assert!(actions.contains(&Action::ParkAutoscaler {
        deployment: "order-prod-v1".into(),
        name: "order-prod-v1".into()
    }));
    let names: Vec<String> = hpas
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|h| h.metadata.name)
        .collect();
    assert_eq!(names, ["order-prod-v2"]);
    // The new autoscaler adopts the scale: it keeps at least its minimum.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(deployments(&client, &ns).await["order-prod-v2"], (3, 3));
}

#[tokio::test]
async fn two_environments_in_one_namespace_never_touch_each_other() {
    let (client, ns) = namespace("envs").await;
    let spec = spec(&batches(2));
    done(
        &release(
            &client,
            &ns,
            &spec,
            "test",
            "registry.local/order:1.0",
            "v1",
        )
        .await,
    )
    .await;
    done(&prod(&client, &ns, &spec, 1).await).await;
    let api: Api<Deployment> = Api::namespaced(client.clone(), &ns);
    let test_before = api.get("order-test-v1").await.unwrap();
    done(&prod(&client, &ns, &spec, 2).await).await;
    let test_after = api.get("order-test-v1").await.unwrap();
    assert_eq!(
        test_before.metadata.generation,
        test_after.metadata.generation
    );
    assert_eq!(
        deployments(&client, &ns).await,
        BTreeMap::from([
            ("order-prod-v2".to_string(), (2, 2)),
            ("order-test-v1".to_string(), (2, 2)),
        ])
    );
    for env in ["test", "prod"] {
        let service = service_name("order", env);
        eventually(&format!("2 endpoints behind {service}"), || async {
            let ready = ready_endpoints(&client, &ns, &service).await;
            total(&ready) == 2 && ready.keys().all(|d| d.starts_with(&format!("{service}-")))
        })
        .await;
    }
}

#[tokio::test]
async fn the_same_release_id_with_another_image_is_refused() {
    let (client, ns) = namespace("same-id").await;
    let spec = spec(&batches(2));
    done(&release(&client, &ns, &spec, "prod", "app:v2", "v2").await).await;
    let other = release(
        &client,
        &ns,
        &spec,
        "prod",
        "registry.example/team/app:v2",
        "v2",
    )
    .await;
    let (phase, actions) = run(&other).await;
    match phase {
        Err(e @ ExecError::ImageChanged { .. }) => assert_eq!(
            e.to_string(),
            "release order-prod-v2 already exists for image app:v2; a release of registry.example/team/app:v2 needs another release id (--release)"
        ),
        other => panic!("{other:?}"),
    }
    assert!(actions.is_empty());
}

/// Server-side apply as a dry run with strict field validation: the API
/// server checks the object as it would store it, unknown fields included.
async fn dry_run<K>(client: &Client, ns: &str, object: &K) -> Result<K, kube::Error>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + serde::Serialize
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
    K::DynamicType: Default,
{
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    let mut params = PatchParams::apply("podready").force();
    params.dry_run = true;
    params.field_validation = Some(kube::api::ValidationDirective::Strict);
    let name = object.meta().name.clone().unwrap_or_default();
    api.patch(&name, &params, &Patch::Apply(object)).await
}

#[tokio::test]
async fn rendered_objects_pass_the_api_server_and_the_restricted_standard() {
    let (client, ns) = namespace("manifests").await;
    let text = "apiVersion: podready/v1\napp:\n  name: order\n  packaging: jar\n  port: 8080\n  path: /app\n  health: /actuator/health\n  liveness: /actuator/health/liveness\n  readiness: /actuator/health/readiness\n  part_of: shop\nrelease:\n  replicas: 3\n  autoscaling:\n    min: 3\n    max: 6\n    cpu_percent: 70\ndependencies:\n  middleware:\n  - kind: dubbo\n    artifact: org.apache.dubbo:dubbo\nhooks:\n  pre-start: bin/pre-start.sh\n";
    let spec = DeploySpec::parse("deploy.yaml", text).unwrap();
    let r = prod(&client, &ns, &spec, 1).await;
    let rendered = &r.rendered;
    dry_run(&client, &ns, &rendered.deployment)
        .await
        .expect("the Deployment");
    dry_run(&client, &ns, &rendered.service)
        .await
        .expect("the Service");
    dry_run(&client, &ns, &rendered.pdb)
        .await
        .expect("the PodDisruptionBudget");
    let hpa = rendered.hpa.as_ref().expect("an autoscaler");
    dry_run(&client, &ns, hpa).await.expect("the autoscaler");
    let secret = podready_deploy::render::token_secret("order", Some(&ns), "order-grant-token");
    dry_run(&client, &ns, &secret)
        .await
        .expect("the token Secret");

    // Pod Security admission judges pods, not Deployments: a pod of the
    // template is admitted in a namespace that enforces `restricted`...
    let template = rendered.deployment.spec.as_ref().unwrap().template.clone();
    let pod = Pod {
        metadata: kube::api::ObjectMeta {
            name: Some("order-prod-v1-check".into()),
            labels: template.metadata.and_then(|m| m.labels),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    };
    dry_run(&client, &ns, &pod)
        .await
        .expect("a pod of the template");
    // ...where the same pod without its security settings is refused.
    let mut bare = pod.clone();
    let spec = bare.spec.as_mut().unwrap();
    spec.security_context = None;
    for c in spec.containers.iter_mut() {
        c.security_context = None;
    }
    match dry_run(&client, &ns, &bare).await {
        Err(kube::Error::Api(s)) => {
            assert_eq!(s.code, 403, "{s:?}");
            assert!(
                s.message
                    .contains("violates PodSecurity \"restricted:latest\""),
                "{}",
                s.message
            );
        }
        other => panic!("a pod without security settings was admitted: {other:?}"),
    }
}

#[tokio::test]
async fn api_errors_are_one_line_that_say_what_was_being_done() {
    let (client, _) = namespace("errors").await;
    let spec = spec(&batches(2));
    let r = release(
        &client,
        "no-such-namespace",
        &spec,
        "prod",
        "registry.local/order:1.0",
        "v1",
    )
    .await;
    let err = r.apply_companions().await.unwrap_err().to_string();
    assert_eq!(
        err,
        "cannot apply Service order-prod in namespace no-such-namespace: namespaces \"no-such-namespace\" not found (NotFound)"
    );
}
