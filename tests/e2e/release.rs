//! `podready deploy apply` and `deploy abort` as a person runs them, on the
//! real control plane of testkit (etcd, kube-apiserver, controller-manager,
//! scheduler, kwok's nodes): killed with SIGKILL at any point and run
//! again, aborted from another shell, pointed at what does not exist.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kube::api::Api;
use podready_testkit::cluster;

use crate::{podready, stderr, stdout};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A copy of a fixture with its deploy spec, 4 replicas released 1, 2, 4.
fn repo() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    podready_testkit::copy_dir(&crate::fixtures().join("clean-service"), repo.path());
    let out = podready(&["deploy", "init", "."], repo.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let file = repo.path().join("deploy.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("replicas: 2", "replicas: 4")).unwrap();
    repo
}

fn deploy(args: &[&str], repo: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_podready"));
    c.arg("deploy")
        .args(args)
        .current_dir(repo)
        .env("KUBECONFIG", cluster().kubeconfig())
        .env("NO_COLOR", "1");
    c
}

fn apply_args<'a>(ns: &'a str, image: &'a str) -> Vec<&'a str> {
    vec![
        "apply",
        ".",
        "--env",
        "prod",
        "--image",
        image,
        "--namespace",
        ns,
        "--poll-seconds",
        "1",
    ]
}

fn run(mut c: Command) -> Output {
    c.output().expect("podready runs")
}

fn deployments(ns: &str) -> BTreeMap<String, (i32, i32)> {
    runtime().block_on(async { podready_testkit::deployments(&cluster().client().await, ns).await })
}

/// Samples the number of ready endpoints behind a Service until stopped.
struct ReadyFloor {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<u32>>>,
    thread: std::thread::JoinHandle<()>,
}

impl ReadyFloor {
    fn watch(ns: &str, service: &str) -> ReadyFloor {
        let (stop, seen) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(Mutex::new(Vec::new())),
        );
        let (s, out, ns, service) = (
            stop.clone(),
            seen.clone(),
            ns.to_string(),
            service.to_string(),
        );
        let thread = std::thread::spawn(move || {
            runtime().block_on(async move {
                let client = cluster().client().await;
                while !s.load(Ordering::Relaxed) {
                    let ready: u32 = podready_testkit::ready_endpoints(&client, &ns, &service)
                        .await
                        .values()
                        .sum();
                    out.lock().unwrap().push(ready);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        });
        ReadyFloor { stop, seen, thread }
    }

    fn lowest(self) -> (u32, Vec<u32>) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap();
        let seen = self.seen.lock().unwrap().clone();
        (seen.iter().copied().min().unwrap_or(0), seen)
    }
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what} within 60s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn apply_killed_at_any_point_resumes_to_the_same_end() {
    let repo = repo();
    let ns = runtime().block_on(cluster().namespace("kill", true));
    let first = run(deploy(
        &apply_args(&ns, "registry.local/inventory:1.0"),
        repo.path(),
    ));
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(stdout(&first), "release inventory-service-prod-1-0: done\n");
    wait_for("4 ready endpoints", || {
        let floor = ReadyFloor::watch(&ns, "inventory-service-prod");
        std::thread::sleep(Duration::from_millis(150));
        floor.lowest().0 == 4
    });

    let floor = ReadyFloor::watch(&ns, "inventory-service-prod");
    // Killed after a longer while each time, until a run ends by itself.
    let mut kills = 0;
    let mut after = Duration::from_millis(300);
    let last = loop {
        let mut child: Child = deploy(
            &apply_args(&ns, "registry.local/inventory:2.0"),
            repo.path(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        std::thread::sleep(after);
        if child.try_wait().unwrap().is_some() {
            break child.wait_with_output().unwrap();
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        after += Duration::from_millis(700);
        assert!(kills < 30, "the release never ended");
    };
    let (lowest, seen) = floor.lowest();
    assert!(last.status.success(), "{}", stderr(&last));
    assert_eq!(stdout(&last), "release inventory-service-prod-2-0: done\n");
    assert!(kills >= 3, "killed only {kills} times");
    assert_eq!(
        deployments(&ns),
        BTreeMap::from([("inventory-service-prod-2-0".to_string(), (4, 4))])
    );
    assert!(lowest >= 4, "ready endpoints fell to {lowest}: {seen:?}");
}

#[test]
fn abort_from_another_shell_rolls_a_release_back() {
    let repo = repo();
    let ns = runtime().block_on(cluster().namespace("abort-cli", true));
    let first = run(deploy(
        &apply_args(&ns, "registry.local/inventory:1.0"),
        repo.path(),
    ));
    assert!(first.status.success(), "{}", stderr(&first));
    // The next release pauses a minute after each batch.
    let file = repo.path().join("deploy.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("pause_seconds: 0", "pause_seconds: 60")).unwrap();

    let apply = deploy(
        &apply_args(&ns, "registry.local/inventory:2.0"),
        repo.path(),
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    wait_for("the first batch", || {
        deployments(&ns).get("inventory-service-prod-1-0") == Some(&(3, 3))
    });
    let abort = run({
        let mut c = deploy(
            &[
                "abort",
                ".",
                "--env",
                "prod",
                "--release",
                "2-0",
                "--namespace",
                &ns,
                "--poll-seconds",
                "1",
            ],
            repo.path(),
        );
        c.stdout(Stdio::piped());
        c
    });
    assert!(abort.status.success(), "{}", stderr(&abort));
    assert_eq!(
        stdout(&abort),
        "release inventory-service-prod-2-0: aborted (aborted by an operator)\n"
    );
    let applied = apply.wait_with_output().unwrap();
    assert_eq!(applied.status.code(), Some(1), "{}", stderr(&applied));
    assert_eq!(
        stdout(&applied),
        "release inventory-service-prod-2-0: aborted (aborted by an operator)\n"
    );
    assert_eq!(
        deployments(&ns),
        BTreeMap::from([
            ("inventory-service-prod-1-0".to_string(), (4, 4)),
            ("inventory-service-prod-2-0".to_string(), (0, 0)),
        ])
    );
}

#[test]
fn a_missing_namespace_or_cluster_is_one_line() {
    let repo = repo();
    let out = run(deploy(
        &apply_args("no-such-ns", "registry.local/inventory:1.0"),
        repo.path(),
    ));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: namespace no-such-ns does not exist in the cluster (create it, or pass --namespace)\n"
    );

    // A kubeconfig whose server is not there.
    let text = std::fs::read_to_string(cluster().kubeconfig()).unwrap();
    let port = podready_testkit::free_port();
    let dead = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("server:") {
                format!("    server: https://127.0.0.1:{port}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let kubeconfig = repo.path().join("dead.kubeconfig");
    std::fs::write(&kubeconfig, dead).unwrap();
    let mut c = deploy(
        &apply_args("default", "registry.local/inventory:1.0"),
        repo.path(),
    );
    c.env("KUBECONFIG", &kubeconfig);
    let out = run(c);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: cannot reach the cluster: ") && err.contains("onnection refused"),
        "{err}"
    );
}

/// Server-side apply, strict (unknown fields refused), for real or as a
/// dry run.
fn apply_all(ns: &str, objects: &[serde_json::Value], dry_run: bool) -> Result<(), String> {
    use kube::api::{ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
    runtime().block_on(async {
        let client = cluster().client().await;
        for v in objects {
            let (api_version, kind) = (
                v["apiVersion"].as_str().unwrap_or_default(),
                v["kind"].as_str().unwrap_or_default(),
            );
            let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
            let resource = ApiResource::from_gvk(&GroupVersionKind::gvk(group, version, kind));
            let api: Api<DynamicObject> = if kind == "ClusterRoleBinding" {
                Api::all_with(client.clone(), &resource)
            } else {
                Api::namespaced_with(client.clone(), ns, &resource)
            };
            let object: DynamicObject = serde_json::from_value(v.clone()).unwrap();
            let mut params = PatchParams::apply("podready").force();
            params.dry_run = dry_run;
            params.field_validation = Some(kube::api::ValidationDirective::Strict);
            let name = object.metadata.name.clone().unwrap_or_default();
            api.patch(&name, &params, &Patch::Apply(&object))
                .await
                .map_err(|e| format!("{kind} {name}: {e}"))?;
        }
        Ok(())
    })
}

/// The documents of a YAML stream (separated by `---` lines).
fn yaml_documents(text: &str) -> Vec<serde_json::Value> {
    let mut docs = vec![String::new()];
    for line in text.lines() {
        if line == "---" {
            docs.push(String::new());
        } else if let Some(d) = docs.last_mut() {
            d.push_str(line);
            d.push('\n');
        }
    }
    docs.iter()
        .filter(|d| !d.trim().is_empty())
        .map(|d| yaml_serde::from_str(d).unwrap())
        .collect()
}

#[test]
fn the_grant_centers_objects_pass_the_api_server_and_the_restricted_standard() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(crate::fixtures().join("grant/example.toml")).unwrap();
    // Several replicas share a ledger on the database server; pods
    // authenticate with their ServiceAccount; the admin connection checks
    // the server's certificate against a CA file beside the config.
    let config = format!(
        "ledger_instance = \"main\"\n{}\n[service_accounts]\n\"shop:order\" = \"order-service\"\n",
        example.replace(
            "tls = \"disabled\"",
            "tls = \"verify-identity\"\nca_file = \"certs/db-ca.pem\""
        )
    );
    std::fs::create_dir_all(dir.path().join("certs")).unwrap();
    std::fs::write(
        dir.path().join("certs/db-ca.pem"),
        "-----BEGIN CERTIFICATE-----\n",
    )
    .unwrap();
    let file = dir.path().join("grant.toml");
    std::fs::write(&file, &config).unwrap();
    let ns = runtime().block_on(cluster().namespace("podready", true));
    let out = podready(
        &[
            "grant",
            "render",
            "--config",
            "grant.toml",
            "--namespace",
            &ns,
            "--auth",
            "tokenreview",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let objects = yaml_documents(&stdout(&out));
    let kinds: Vec<&str> = objects
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "ServiceAccount",
            "ClusterRoleBinding",
            "ConfigMap",
            "Deployment",
            "Service",
            "PodDisruptionBudget",
            "NetworkPolicy"
        ]
    );
    apply_all(&ns, &objects, false).unwrap();

    let deployment = &objects[3];
    assert_eq!(deployment["spec"]["replicas"], 3);
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    let command: Vec<&str> = container["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        command,
        [
            "podready",
            "grant",
            "serve",
            "--config",
            "/etc/podready/grant.toml",
            "--state-dir",
            "/var/lib/podready",
            "--listen",
            "0.0.0.0:8700",
            "--auth",
            "tokenreview",
            "--audit-log",
            "/dev/stdout"
        ]
    );
    // The admin URL comes from the Secret, by the config's variable name.
    assert_eq!(container["env"][0]["name"], "PODREADY_MYSQL_URL");
    assert_eq!(
        container["env"][0]["valueFrom"]["secretKeyRef"]["name"],
        "podready-grant-admin"
    );
    // The config and its CA file, where the config says.
    let config_map = &objects[2];
    assert_eq!(config_map["data"]["config.toml"], config.as_str());
    let items = &deployment["spec"]["template"]["spec"]["volumes"][0]["configMap"]["items"];
    assert_eq!(items[1]["path"], "certs/db-ca.pem");
    // Only pods podready deploys reach it.
    let from = &objects[6]["spec"]["ingress"][0]["from"][0];
    assert_eq!(
        from["podSelector"]["matchExpressions"][0]["key"],
        "podready.io/app"
    );

    // Its pods are admitted where `restricted` is enforced, and run.
    wait_for("the grant center's 3 pods", || {
        deployments(&ns).get("podready-grant") == Some(&(3, 3))
    });

    // One replica on the SQLite ledger; more is refused in one line.
    std::fs::write(&file, &example).unwrap();
    let out = podready(
        &[
            "grant",
            "render",
            "--config",
            "grant.toml",
            "--namespace",
            &ns,
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let objects = yaml_documents(&stdout(&out));
    let kinds: Vec<&str> = objects
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"PersistentVolumeClaim"), "{kinds:?}");
    assert_eq!(objects[3]["spec"]["replicas"], 1);
    assert_eq!(objects[3]["spec"]["strategy"]["type"], "Recreate");
    apply_all(&ns, &objects, true).unwrap();
    let out = podready(
        &[
            "grant",
            "render",
            "--config",
            "grant.toml",
            "--replicas",
            "3",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&podready(
            &[
                "grant",
                "render",
                "--config",
                "grant.toml",
                "--auth",
                "tokenreview"
            ],
            dir.path()
        )),
        "error: --auth tokenreview: the config maps no service_accounts to apps\n"
    );
    assert_eq!(
        stderr(&out),
        "error: --replicas 3: several replicas share their leases through a ledger on a database server; set ledger_instance in the config, or render one replica (the SQLite ledger)\n"
    );
}
