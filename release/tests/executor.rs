//! The release executor against kube's HTTP-level mock: every request it
//! makes is checked as the Kubernetes API defines it (method, path, query,
//! content type, body), and answered the way the API server answers.

use std::collections::BTreeMap;
use std::pin::pin;
use std::time::Duration;

use http::{Request, Response, StatusCode};
use http_body_util::BodyExt;
use kube::client::Body;
use kube::Client;
use podready_deploy::render::{render, RenderInput};
use podready_deploy::spec::DeploySpec;
use podready_release::executor::{
    pod_failed, KubeRelease, ANNOTATION_ABORT, ANNOTATION_STARTED, ANNOTATION_STATE,
};
use podready_release::plan::{Phase, ReleaseConfig};
use serde_json::{json, Value};
use tower_test::mock;

const SPEC: &str = "apiVersion: podready/v1\napp:\n  name: order\n  packaging: jar\n  port: 8080\n  path: /app\n  health: /actuator/health\nrelease:\n  replicas: 3\n  batches: [1, \"100%\"]\n  failure:\n    policy: rebuild\n    max_rebuilds: 1\n  autoscaling:\n    min: 3\n    max: 6\n    cpu_percent: 70\n";

const NS: &str = "orders";
const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/orders/deployments";
const HPAS: &str = "/apis/autoscaling/v2/namespaces/orders/horizontalpodautoscalers";
const SLICES: &str = "/apis/discovery.k8s.io/v1/namespaces/orders/endpointslices";
const SELECTOR: &str = "&labelSelector=podready.io%2Fapp%3Dorder%2Cpodready.io%2Fenv%3Dprod";

/// A tiny API server: Deployments by name, and the new release's pods.
struct FakeApi {
    deployments: BTreeMap<String, Value>,
    /// Names of pods of the new release that are in CrashLoopBackOff.
    crashing: Vec<String>,
    /// Set an operator's abort annotation once the new Deployment has this
    /// many replicas.
    abort_at_replicas: Option<i64>,
    /// Autoscalers applied, by name.
    hpas: BTreeMap<String, Value>,
    log: Vec<String>,
}

fn deployment(name: &str, release: &str, replicas: i64, started: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": { "name": name, "namespace": NS,
            "labels": { "podready.io/app": "order", "podready.io/env": "prod", "podready.io/release": release },
            "annotations": { ANNOTATION_STARTED: started } },
        "spec": { "replicas": replicas,
            "selector": { "matchLabels": { "podready.io/app": "order", "podready.io/env": "prod", "podready.io/release": release } },
            "template": { "spec": { "containers": [] } } },
        "status": { "readyReplicas": replicas }
    })
}

fn json_response(status: StatusCode, v: &Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(v).unwrap()))
        .unwrap()
}

impl FakeApi {
    async fn handle(&mut self, req: Request<Body>) -> Response<Body> {
        let method = req.method().clone();
        let uri = req.uri().clone();
        let path = uri.path().to_string();
        let query = uri.query().unwrap_or("").to_string();
        let content_type = req
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = req.into_body().collect().await.unwrap().to_bytes();
        self.log.push(format!("{method} {path}"));
        match (method.as_str(), path.as_str()) {
            ("GET", DEPLOYMENTS) => {
                assert_eq!(query, SELECTOR);
                let items: Vec<&Value> = self.deployments.values().collect();
                json_response(
                    StatusCode::OK,
                    &json!({ "apiVersion": "apps/v1", "kind": "DeploymentList", "metadata": {}, "items": items }),
                )
            }
            ("GET", SLICES) => {
                assert_eq!(
                    query,
                    "&labelSelector=kubernetes.io%2Fservice-name%3Dorder-prod"
                );
                // Every ready pod is a ready endpoint at once.
                let endpoints: Vec<Value> = self
                    .deployments
                    .iter()
                    .flat_map(|(name, d)| {
                        let ready = d["status"]["readyReplicas"].as_i64().unwrap_or(0);
                        (0..ready).map(move |i| json!({ "addresses": ["10.0.0.1"],
                            "conditions": { "ready": true },
                            "targetRef": { "kind": "Pod", "name": format!("{name}-5d9f8c7b6-{i:05}") } }))
                    })
                    .collect();
                json_response(
                    StatusCode::OK,
                    &json!({ "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSliceList", "metadata": {},
                        "items": [{ "metadata": { "name": "order-prod-abcde" }, "addressType": "IPv4", "endpoints": endpoints }] }),
                )
            }
            ("GET", HPAS) => {
                assert_eq!(query, SELECTOR);
                json_response(
                    StatusCode::OK,
                    &json!({ "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscalerList", "metadata": {},
                        "items": self.hpas.values().collect::<Vec<_>>() }),
                )
            }
            ("GET", p) if p.starts_with(DEPLOYMENTS) => {
                let name = p.rsplit('/').next().unwrap();
                match self.deployments.get(name) {
                    Some(d) => json_response(StatusCode::OK, d),
                    None => json_response(
                        StatusCode::NOT_FOUND,
                        &json!({ "apiVersion": "v1", "kind": "Status", "status": "Failure", "metadata": {},
                            "message": format!("deployments.apps \"{name}\" not found"), "reason": "NotFound", "code": 404 }),
                    ),
                }
            }
            ("POST", DEPLOYMENTS) => {
                assert_eq!(content_type, "application/json");
                let mut d: Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(d["kind"], "Deployment");
                assert_eq!(d["spec"]["replicas"], 0, "the new Deployment starts at 0");
                assert!(d["metadata"]["annotations"][ANNOTATION_STARTED]
                    .as_str()
                    .is_some());
                let name = d["metadata"]["name"].as_str().unwrap().to_string();
                assert!(!self.deployments.contains_key(&name), "created twice");
                d["status"] = json!({ "readyReplicas": 0 });
                self.deployments.insert(name, d.clone());
                json_response(StatusCode::CREATED, &d)
            }
            ("GET", "/api/v1/namespaces/orders/pods") => {
                assert!(query.contains("labelSelector="), "{query}");
                assert!(
                    query.contains("podready.io%2Fenv%3Dprod%2Cpodready.io%2Frelease%3D2"),
                    "{query}"
                );
                // The new release's ready pods, named as the endpoints name
                // them, then the crashing ones.
                let ready = self
                    .deployments
                    .get("order-prod-2")
                    .and_then(|d| d["status"]["readyReplicas"].as_i64())
                    .unwrap_or(0);
                let items: Vec<Value> = (0..ready)
                    .map(|i| json!({ "metadata": { "name": format!("order-prod-2-5d9f8c7b6-{i:05}") },
                        "status": { "phase": "Running" } }))
                    .chain(self.crashing.iter().map(|p| json!({ "metadata": { "name": p }, "status": { "phase": "Running",
                        "containerStatuses": [{ "name": "app", "image": "x", "imageID": "", "ready": false, "restartCount": 3,
                            "state": { "waiting": { "reason": "CrashLoopBackOff" } } }] } })))
                    .collect();
                json_response(
                    StatusCode::OK,
                    &json!({ "apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": items }),
                )
            }
            ("PATCH", p) if p.starts_with(DEPLOYMENTS) => {
                assert_eq!(content_type, "application/merge-patch+json");
                let name = p.rsplit('/').next().unwrap().to_string();
                let patch: Value = serde_json::from_slice(&body).unwrap();
                let abort_at = self.abort_at_replicas;
                let d = self
                    .deployments
                    .get_mut(&name)
                    .expect("patch of an existing Deployment");
                if let Some(r) = patch["spec"]["replicas"].as_i64() {
                    assert_eq!(
                        patch.as_object().unwrap().len(),
                        1,
                        "a scale patch touches only spec.replicas: {patch}"
                    );
                    d["spec"]["replicas"] = json!(r);
                    // The kubelet: healthy pods are ready at once.
                    d["status"]["readyReplicas"] = json!(r);
                    if name == "order-prod-2" && Some(r) == abort_at {
                        d["metadata"]["annotations"][ANNOTATION_ABORT] = json!("true");
                    }
                } else {
                    let notes = patch["metadata"]["annotations"]
                        .as_object()
                        .expect("an annotation patch");
                    for (key, value) in notes {
                        if key == ANNOTATION_STATE {
                            serde_json::from_str::<Value>(value.as_str().unwrap())
                                .expect("the state is JSON");
                        }
                        if value.is_null() {
                            d["metadata"]["annotations"]
                                .as_object_mut()
                                .unwrap()
                                .remove(key);
                        } else {
                            d["metadata"]["annotations"][key] = value.clone();
                        }
                    }
                }
                json_response(StatusCode::OK, &d.clone())
            }
            ("DELETE", p) if p.starts_with("/api/v1/namespaces/orders/pods/") => {
                let name = p.rsplit('/').next().unwrap().to_string();
                assert!(self.crashing.contains(&name));
                self.crashing.retain(|c| c != &name);
                json_response(
                    StatusCode::OK,
                    &json!({ "apiVersion": "v1", "kind": "Pod", "metadata": { "name": name } }),
                )
            }
            ("DELETE", p) if p.starts_with(DEPLOYMENTS) => {
                let name = p.rsplit('/').next().unwrap().to_string();
                self.deployments
                    .remove(&name)
                    .expect("delete of an existing Deployment");
                json_response(
                    StatusCode::OK,
                    &json!({ "apiVersion": "v1", "kind": "Status", "status": "Success", "metadata": {} }),
                )
            }
            ("PATCH", p) => {
                // Server-side apply of the Service, the PDB and, at the end,
                // the HPA.
                assert_eq!(content_type, "application/apply-patch+yaml");
                assert!(
                    query.contains("fieldManager=podready") && query.contains("force=true"),
                    "{query}"
                );
                let v: Value = serde_json::from_slice(&body).unwrap();
                let name = v["metadata"]["name"].as_str().unwrap();
                assert!(p.ends_with(name));
                if p.starts_with(HPAS) {
                    self.hpas.insert(name.to_string(), v.clone());
                }
                json_response(StatusCode::OK, &v)
            }
            other => panic!("unexpected request {other:?}"),
        }
    }
}

fn release(client: Client) -> KubeRelease {
    let spec = DeploySpec::parse("deploy.yaml", SPEC).unwrap();
    let rendered = render(&RenderInput {
        spec: &spec,
        env: "prod",
        image: "registry.local/order:2",
        release: "2",
        namespace: Some(NS),
        podready_image: "podready:1",
        grant_url: "http://grant:8700",
        grant_secret: "order-grant-token",
    })
    .unwrap();
    KubeRelease {
        client,
        namespace: NS.into(),
        app: "order".into(),
        env: "prod".into(),
        release: "2".into(),
        config: ReleaseConfig::from_spec(&spec, "order-prod-2"),
        rendered,
    }
}

async fn run_against(mut api: FakeApi) -> (Phase, FakeApi) {
    let (service, handle) = mock::pair::<Request<Body>, Response<Body>>();
    let server = tokio::spawn(async move {
        let mut handle = pin!(handle);
        while let Some((req, send)) = handle.next_request().await {
            send.send_response(api.handle(req).await);
        }
        api
    });
    let r = release(Client::new(service, NS));
    r.apply_companions().await.unwrap();
    let phase = r.run(Duration::from_millis(1), |_, _| {}).await.unwrap();
    drop(r);
    (phase, server.await.unwrap())
}

#[tokio::test]
async fn a_release_over_the_api() {
    let mut old = BTreeMap::new();
    old.insert(
        "order-prod-1".to_string(),
        deployment("order-prod-1", "1", 3, "100"),
    );
    let api = FakeApi {
        deployments: old,
        crashing: vec![],
        abort_at_replicas: None,
        hpas: BTreeMap::new(),
        log: vec![],
    };
    let (phase, api) = run_against(api).await;
    assert_eq!(phase, Phase::Done);
    assert_eq!(api.deployments.keys().collect::<Vec<_>>(), ["order-prod-2"]);
    assert_eq!(api.deployments["order-prod-2"]["spec"]["replicas"], 3);
    let calls: Vec<&str> = api
        .log
        .iter()
        .map(String::as_str)
        .filter(|c| !c.starts_with("GET"))
        .collect();
    assert_eq!(
        calls,
        [
            "PATCH /api/v1/namespaces/orders/services/order-prod",
            "PATCH /apis/policy/v1/namespaces/orders/poddisruptionbudgets/order-prod",
            "POST /apis/apps/v1/namespaces/orders/deployments",
            "PATCH /apis/apps/v1/namespaces/orders/deployments/order-prod-2",
            "PATCH /apis/apps/v1/namespaces/orders/deployments/order-prod-2",
            "PATCH /apis/apps/v1/namespaces/orders/deployments/order-prod-1",
            "PATCH /apis/apps/v1/namespaces/orders/deployments/order-prod-2",
            "PATCH /apis/apps/v1/namespaces/orders/deployments/order-prod-2",
            "PATCH /apis/apps/v1/namespaces/orders/deployments/order-prod-1",
            "PATCH /apis/autoscaling/v2/namespaces/orders/horizontalpodautoscalers/order-prod-2",
            "PATCH /apis/apps/v1/namespaces/orders/deployments/order-prod-2",
            "DELETE /apis/apps/v1/namespaces/orders/deployments/order-prod-1",
        ]
    );
}

#[tokio::test]
async fn crashing_pods_are_deleted_once_then_the_release_fails() {
    let mut old = BTreeMap::new();
    old.insert(
        "order-prod-1".to_string(),
        deployment("order-prod-1", "1", 3, "100"),
    );
    let api = FakeApi {
        deployments: old,
        crashing: vec!["order-2-abc".into(), "order-2-def".into()],
        abort_at_replicas: None,
        hpas: BTreeMap::new(),
        log: vec![],
    };
    let (phase, api) = run_against(api).await;
    assert!(
        matches!(&phase, Phase::Failed { reason } if reason.contains("max_rebuilds 1")),
        "{phase:?}"
    );
    // Nothing was taken from the old release.
    assert_eq!(api.deployments["order-prod-1"]["spec"]["replicas"], 3);
}

#[tokio::test]
async fn an_abort_scales_the_new_release_to_zero_and_restores_the_old() {
    let mut old = BTreeMap::new();
    old.insert(
        "order-prod-1".to_string(),
        deployment("order-prod-1", "1", 3, "100"),
    );
    let api = FakeApi {
        deployments: old,
        crashing: vec![],
        abort_at_replicas: Some(3),
        hpas: BTreeMap::new(),
        log: vec![],
    };
    let (phase, api) = run_against(api).await;
    assert!(matches!(phase, Phase::Aborted { .. }), "{phase:?}");
    assert_eq!(api.deployments["order-prod-2"]["spec"]["replicas"], 0);
    assert_eq!(api.deployments["order-prod-1"]["spec"]["replicas"], 3);
}

#[test]
fn failed_pod_states() {
    let pod = |status: Value| -> k8s_openapi::api::core::v1::Pod {
        serde_json::from_value(json!({ "metadata": { "name": "p" }, "status": status })).unwrap()
    };
    assert!(pod_failed(&pod(json!({ "phase": "Failed" }))));
    assert!(pod_failed(&pod(
        json!({ "phase": "Pending", "initContainerStatuses": [
        { "name": "grant", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
          "state": { "waiting": { "reason": "ImagePullBackOff" } } }] })
    )));
    assert!(!pod_failed(&pod(
        json!({ "phase": "Pending", "containerStatuses": [
        { "name": "app", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
          "state": { "waiting": { "reason": "ContainerCreating" } } }] })
    )));
}
