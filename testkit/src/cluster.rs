//! A real Kubernetes control plane for tests: etcd, kube-apiserver,
//! kube-controller-manager and kube-scheduler, built from their Go modules
//! by `scripts/build-k8s.sh` (once; the binaries are cached outside the
//! clone), with kwok playing three nodes and their pods (see
//! `kwok-stages.yaml`: what it simulates and what it does not).
//!
//! One control plane serves a whole test binary: it starts on first use, on
//! 127.0.0.1 with certificates of its own in a temporary folder, and every
//! test works in a namespace of its own. Its processes die with the test
//! binary (the kernel's parent-death signal), and the folder is removed when
//! the binary exits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Node, ServiceAccount};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::{Api, ListParams, ObjectMeta, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::Client;

use crate::free_port;
use crate::pki::Pki;

/// The nodes kwok plays, one per zone.
pub const NODES: [(&str, &str); 3] = [
    ("kwok-node-a", "zone-a"),
    ("kwok-node-b", "zone-b"),
    ("kwok-node-c", "zone-c"),
];

/// How long a component may take to become ready.
const START_TIMEOUT: Duration = Duration::from_secs(90);

pub struct Cluster {
    dir: PathBuf,
    kubeconfig: PathBuf,
}

/// The test binary's control plane, or why it did not start (kept, so
/// that the tests after the first do not start another).
static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
/// The control plane's processes and folder, for the exit handler.
static RUNNING: Mutex<(Vec<u32>, Option<PathBuf>)> = Mutex::new((Vec::new(), None));

/// The test binary's control plane, started on first use.
pub fn cluster() -> &'static Cluster {
    let started = CLUSTER.get_or_init(|| {
        // The processes are started by a thread that lives as long as the
        // test binary: the parent-death signal follows the thread that
        // forked, and test threads end after each test.
        let (sent, received) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("control-plane".into())
            .spawn(move || {
                let started = std::panic::catch_unwind(Cluster::boot).map_err(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default()
                });
                let _ = sent.send(started);
                loop {
                    std::thread::park();
                }
            });
        match spawned {
            Ok(_) => received
                .recv()
                .unwrap_or_else(|_| Err("its thread ended".into())),
            Err(e) => Err(format!("no thread for it: {e}")),
        }
    });
    match started {
        Ok(cluster) => cluster,
        Err(why) => panic!("the control plane did not start: {why}"),
    }
}

/// The folder with the five binaries: `PODREADY_K8S_BIN`, or what
/// `scripts/build-k8s.sh` builds (or finds in its cache).
fn binaries() -> PathBuf {
    if let Some(dir) = std::env::var_os("PODREADY_K8S_BIN") {
        return PathBuf::from(dir);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/build-k8s.sh");
    let out = Command::new(&script)
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    assert!(
        out.status.success(),
        "{} failed: the control plane cannot be built",
        script.display()
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

extern "C" fn stop_at_exit() {
    let Ok(running) = RUNNING.lock() else {
        return;
    };
    for pid in &running.0 {
        if let Ok(pid) = i32::try_from(*pid) {
            // SAFETY: kill(2) on a process this binary started.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
    if let Some(dir) = &running.1 {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn spawn(bin: &Path, name: &'static str, args: &[String], dir: &Path) -> (&'static str, Child) {
    let log = std::fs::File::create(dir.join(format!("{name}.log"))).expect("a log file");
    let mut command = Command::new(bin.join(name));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("a log file"))
        .stderr(log);
    // SAFETY: prctl(2) in the child before exec, async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = command
        .spawn()
        .unwrap_or_else(|e| panic!("{} cannot start: {e}", bin.join(name).display()));
    if let Ok(mut running) = RUNNING.lock() {
        running.0.push(child.id());
    }
    (name, child)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("an async runtime")
}

impl Cluster {
    fn boot() -> Cluster {
        let bin = binaries();
        let dir = tempfile::Builder::new()
            .prefix("podready-k8s-")
            .tempdir()
            .expect("a temporary directory")
            .keep();
        if let Ok(mut running) = RUNNING.lock() {
            running.1 = Some(dir.clone());
        }
        // SAFETY: registers a plain function to run at exit(3).
        unsafe {
            libc::atexit(stop_at_exit);
        }
        let pki = Pki::new(&dir.join("pki"));
        let ca = pki.ca("ca", "/CN=podready test cluster CA");
        let (server_cert, server_key) = pki.sign(
            "apiserver",
            "/CN=kube-apiserver",
            "ca",
            "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes.default.svc",
        );
        let (admin_cert, admin_key) = pki.sign(
            "admin",
            "/O=system:masters/CN=podready-test-admin",
            "ca",
            "extendedKeyUsage=clientAuth",
        );
        let (sa_key, sa_pub) = pki.key_pair("service-accounts");
        let path = |p: &Path| p.display().to_string();

        let (etcd_port, peer_port, api_port) = (free_port(), free_port(), free_port());
        let etcd_url = format!("http://127.0.0.1:{etcd_port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        let mut children = vec![spawn(
            &bin,
            "etcd",
            &[
                "--name=test".into(),
                format!("--data-dir={}", path(&dir.join("etcd"))),
                format!("--listen-client-urls={etcd_url}"),
                format!("--advertise-client-urls={etcd_url}"),
                format!("--listen-peer-urls={peer_url}"),
                format!("--initial-advertise-peer-urls={peer_url}"),
                format!("--initial-cluster=test={peer_url}"),
                "--unsafe-no-fsync".into(),
                "--log-level=warn".into(),
            ],
            &dir,
        )];
        children.push(spawn(
            &bin,
            "kube-apiserver",
            &[
                format!("--etcd-servers={etcd_url}"),
                "--bind-address=127.0.0.1".into(),
                "--advertise-address=127.0.0.1".into(),
                format!("--secure-port={api_port}"),
                format!("--tls-cert-file={}", path(&server_cert)),
                format!("--tls-private-key-file={}", path(&server_key)),
                format!("--client-ca-file={}", path(&ca)),
                "--service-account-issuer=https://kubernetes.default.svc".into(),
                format!("--service-account-key-file={}", path(&sa_pub)),
                format!("--service-account-signing-key-file={}", path(&sa_key)),
                "--service-cluster-ip-range=10.96.0.0/16".into(),
                "--authorization-mode=RBAC".into(),
                format!("--cert-dir={}", path(&dir.join("apiserver"))),
                "--profiling=false".into(),
            ],
            &dir,
        ));
        let kubeconfig = dir.join("kubeconfig");
        std::fs::write(
            &kubeconfig,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:{api_port}\n    certificate-authority: {}\nusers:\n- name: admin\n  user:\n    client-certificate: {}\n    client-key: {}\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: admin\n    namespace: default\ncurrent-context: test\n",
                path(&ca),
                path(&admin_cert),
                path(&admin_key)
            ),
        )
        .expect("the kubeconfig");
        let cluster = Cluster {
            dir: dir.clone(),
            kubeconfig: kubeconfig.clone(),
        };
        let rt = runtime();
        rt.block_on(cluster.wait_for_api(&mut children));

        let k = format!("--kubeconfig={}", path(&kubeconfig));
        let kubeconfigs = [
            k.clone(),
            format!("--authentication-kubeconfig={}", path(&kubeconfig)),
            format!("--authorization-kubeconfig={}", path(&kubeconfig)),
        ];
        let mut args: Vec<String> = kubeconfigs.to_vec();
        args.extend([
            "--leader-elect=false".into(),
            "--bind-address=127.0.0.1".into(),
            format!("--secure-port={}", free_port()),
            format!("--root-ca-file={}", path(&ca)),
            format!("--service-account-private-key-file={}", path(&sa_key)),
            // The autoscaler acts within a second, as the tests need to see.
            "--horizontal-pod-autoscaler-sync-period=1s".into(),
        ]);
        children.push(spawn(&bin, "kube-controller-manager", &args, &dir));
        let mut args: Vec<String> = kubeconfigs.to_vec();
        args.extend([
            "--leader-elect=false".into(),
            "--bind-address=127.0.0.1".into(),
            format!("--secure-port={}", free_port()),
        ]);
        children.push(spawn(&bin, "kube-scheduler", &args, &dir));
        let stages = dir.join("kwok-stages.yaml");
        std::fs::write(&stages, include_str!("kwok-stages.yaml")).expect("kwok's stages");
        children.push(spawn(
            &bin,
            "kwok",
            &[
                k,
                format!("--config={}", path(&stages)),
                "--manage-all-nodes=true".into(),
                // Without it nodes go NotReady after about 50 seconds.
                "--node-lease-duration-seconds=40".into(),
                "--cidr=10.244.0.1/16".into(),
                format!("--server-address=127.0.0.1:{}", free_port()),
            ],
            &dir,
        ));
        rt.block_on(cluster.add_nodes(&mut children));
        // The children stay with this thread; the exit handler kills them.
        std::mem::forget(children);
        cluster
    }

    /// The kubeconfig of the cluster's admin (`system:masters`).
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// A client of the cluster's admin.
    pub async fn client(&self) -> Client {
        let kubeconfig = Kubeconfig::read_from(&self.kubeconfig).expect("the kubeconfig");
        let config =
            kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
                .await
                .expect("a client configuration");
        Client::try_from(config).expect("a client")
    }

    /// The last lines a component logged (`etcd`, `kube-apiserver`, `kwok`,
    /// …), for a failing test's message.
    pub fn log(&self, component: &str) -> String {
        let text =
            std::fs::read_to_string(self.dir.join(format!("{component}.log"))).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Why the control plane cannot come up: a component that exited.
    fn exited(&self, children: &mut [(&str, Child)]) -> Option<String> {
        children.iter_mut().find_map(|(name, c)| {
            let status = c.try_wait().ok().flatten()?;
            Some(format!("{name} exited ({status}):\n{}", self.log(name)))
        })
    }

    async fn wait_for_api(&self, children: &mut [(&str, Child)]) {
        let started = Instant::now();
        loop {
            if let Some(why) = self.exited(children) {
                panic!("{why}");
            }
            let client = self.client().await;
            let ready = client
                .request_text(
                    http::Request::get("/readyz")
                        .body(Vec::new())
                        .expect("a request"),
                )
                .await;
            if ready.is_ok_and(|t| t.trim() == "ok") {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "kube-apiserver not ready within {START_TIMEOUT:?}:\n{}",
                self.log("kube-apiserver")
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn add_nodes(&self, children: &mut [(&str, Child)]) {
        let nodes: Api<Node> = Api::all(self.client().await);
        for (name, zone) in NODES {
            let node: Node = serde_json::from_value(serde_json::json!({
                "metadata": {
                    "name": name,
                    "labels": {
                        "kubernetes.io/hostname": name,
                        "kubernetes.io/os": "linux",
                        "topology.kubernetes.io/zone": zone,
                        "type": "kwok",
                    },
                    "annotations": { "kwok.x-k8s.io/node": "fake" },
                },
            }))
            .expect("a node");
            nodes
                .create(&PostParams::default(), &node)
                .await
                .unwrap_or_else(|e| panic!("cannot create node {name}: {e}"));
        }
        let started = Instant::now();
        loop {
            if let Some(why) = self.exited(children) {
                panic!("{why}");
            }
            let list = nodes.list(&Default::default()).await.expect("the nodes");
            let ready = list
                .items
                .iter()
                .filter(|n| {
                    n.status
                        .as_ref()
                        .and_then(|s| s.conditions.as_ref())
                        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
                })
                .count();
            if ready == NODES.len() {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "kwok's nodes not Ready within {START_TIMEOUT:?}:\n{}",
                self.log("kwok")
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// A new namespace for one test, `<prefix>-<n>`, with its default
    /// ServiceAccount in place; `restricted` makes it enforce the restricted
    /// Pod Security Standard.
    pub async fn namespace(&self, prefix: &str, restricted: bool) -> String {
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let name = format!("{prefix}-{}", COUNT.fetch_add(1, Ordering::Relaxed));
        let client = self.client().await;
        let mut meta = ObjectMeta {
            name: Some(name.clone()),
            ..Default::default()
        };
        if restricted {
            meta.labels = Some(
                [
                    ("pod-security.kubernetes.io/enforce", "restricted"),
                    ("pod-security.kubernetes.io/enforce-version", "latest"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            );
        }
        Api::<Namespace>::all(client.clone())
            .create(
                &PostParams::default(),
                &Namespace {
                    metadata: meta,
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("cannot create namespace {name}: {e}"));
        let accounts: Api<ServiceAccount> = Api::namespaced(client, &name);
        let started = Instant::now();
        while accounts.get_opt("default").await.ok().flatten().is_none() {
            assert!(
                started.elapsed() < START_TIMEOUT,
                "no default ServiceAccount in {name}:\n{}",
                self.log("kube-controller-manager")
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        name
    }
}

/// Each Deployment of a namespace: (`spec.replicas`, ready replicas).
pub async fn deployments(client: &Client, ns: &str) -> BTreeMap<String, (i32, i32)> {
    let api: Api<Deployment> = Api::namespaced(client.clone(), ns);
    api.list(&ListParams::default())
        .await
        .expect("the Deployments")
        .items
        .into_iter()
        .map(|d| {
            let replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
            let ready = d
                .status
                .as_ref()
                .and_then(|s| s.ready_replicas)
                .unwrap_or(0);
            (d.metadata.name.unwrap_or_default(), (replicas, ready))
        })
        .collect()
}

/// The ready endpoints behind a Service, counted by the Deployment of
/// their pod (`<deployment>-<replicaset hash>-<suffix>`).
pub async fn ready_endpoints(client: &Client, ns: &str, service: &str) -> BTreeMap<String, u32> {
    let slices: Api<EndpointSlice> = Api::namespaced(client.clone(), ns);
    let list = slices
        .list(&ListParams::default().labels(&format!("kubernetes.io/service-name={service}")))
        .await
        .expect("the EndpointSlices");
    let mut by = BTreeMap::new();
    for e in list.items.iter().flat_map(|s| s.endpoints.iter()) {
        if e.conditions.as_ref().and_then(|c| c.ready) != Some(true) {
            continue;
        }
        let pod = e
            .target_ref
            .as_ref()
            .and_then(|t| t.name.as_deref())
            .unwrap_or_default();
        let deployment = pod.rsplitn(3, '-').nth(2).unwrap_or_default();
        *by.entry(deployment.to_string()).or_insert(0) += 1;
    }
    by
}
