//! The pod binary where old application images run it: statically linked,
//! in a chroot holding nothing but itself and a static busybox (no libc),
//! granting and revoking against a real grant center and MariaDB; and the
//! OCI image that carries it, unpacked and run the same way.
//!
//! `scripts/test.sh` builds both first (`scripts/build-pod.sh`,
//! `scripts/build-image.sh`) and names them in `PODREADY_POD_BIN` and
//! `PODREADY_POD_IMAGE`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use podready_testkit::{free_port, MariaDb};

use crate::grant::{pod_hosts, serve, TOKEN};

fn built(var: &str, script: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set: build it with {script} (scripts/test.sh does, then runs the tests)"
        )
    })
}

/// A root holding `binary` at `inside`, a static busybox as `/bin/sh`, and
/// `/etc/hosts` naming the grant center `grant.test`.
fn chroot_root(root: &Path, binary: &Path, inside: &str) {
    let target = root.join(inside.trim_start_matches('/'));
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    if binary != target {
        std::fs::copy(binary, &target).unwrap();
    }
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::copy("/bin/busybox", root.join("bin/busybox")).unwrap();
    for tool in ["sh", "sleep", "echo"] {
        std::os::unix::fs::symlink("busybox", root.join("bin").join(tool)).unwrap();
    }
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/hosts"), "127.0.0.1 grant.test\n").unwrap();
}

/// Runs `args` in the chroot with only `env` (and PATH=/bin).
fn in_chroot(root: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    Command::new("/usr/sbin/chroot")
        .arg(root)
        .args(args)
        .env_clear()
        .env("PATH", "/bin")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .expect("chroot runs (the tests run as root)")
}

fn pod_env(port: u16, uid: &str, ip: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PODREADY_GRANT_URL", format!("http://grant.test:{port}")),
        ("PODREADY_GRANT_TOKEN", TOKEN.to_string()),
        ("PODREADY_APP", "order-service".to_string()),
        ("POD_NAMESPACE", "orders".to_string()),
        ("POD_NAME", format!("order-{uid}")),
        ("POD_UID", uid.to_string()),
        ("POD_IP", ip.to_string()),
    ]
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A pod's life through the binary at `bin` inside `root`: the grant init
/// container (installing itself), the hooks sidecar, the preStop hook.
fn a_pod_lifecycle(db: &MariaDb, port: u16, root: &Path, bin: &str, uid: &str, ip: &str) {
    let env = pod_env(port, uid, ip);
    ok(&in_chroot(
        root,
        &[bin, "grant", "request", "--install", "/podready/bin"],
        &env,
    ));
    assert!(root.join("podready/bin/podready").is_file());
    assert_eq!(pod_hosts(db), [ip]);
    // The app image's hook scripts, copied by the installed binary (the
    // hooks-copy init container).
    std::fs::create_dir_all(root.join("app/bin")).unwrap();
    let mut copy = vec![
        "/podready/bin/podready",
        "hooks",
        "copy",
        "--dir",
        "/podready",
    ];
    let specs: Vec<String> = ["pre-start", "pre-online", "pre-offline"]
        .iter()
        .map(|hook| {
            std::fs::write(
                root.join(format!("app/bin/{hook}.sh")),
                format!("echo {hook} > /podready/{hook}.out\n"),
            )
            .unwrap();
            format!("{hook}=/app/bin/{hook}.sh")
        })
        .collect();
    copy.extend(specs.iter().map(String::as_str));
    ok(&in_chroot(root, &copy, &[]));
    let mut sidecar = env.clone();
    sidecar.push((
        "PODREADY_HEALTH_URL",
        format!("http://grant.test:{port}/healthz"),
    ));
    let installed = "/podready/bin/podready";
    ok(&in_chroot(
        root,
        &[installed, "hooks", "run", "--once", "--dir", "/podready"],
        &sidecar,
    ));
    ok(&in_chroot(
        root,
        &[
            installed,
            "hooks",
            "status",
            "--dir",
            "/podready",
            "pre-online",
        ],
        &[],
    ));
    let stopped = ok(&in_chroot(
        root,
        &[installed, "hooks", "stop", "--dir", "/podready"],
        &env,
    ));
    assert!(stopped.contains("revoked"), "{stopped}");
    for hook in ["pre-start", "pre-online", "pre-offline"] {
        assert!(
            root.join(format!("podready/{hook}.out")).is_file(),
            "{hook}"
        );
    }
    assert!(pod_hosts(db).is_empty());
}

#[test]
fn the_static_pod_binary_grants_and_revokes_in_a_root_without_libc() {
    let binary = PathBuf::from(built("PODREADY_POD_BIN", "scripts/build-pod.sh"));
    let ldd = Command::new("ldd").arg(&binary).output().unwrap();
    let said = String::from_utf8_lossy(&ldd.stdout) + String::from_utf8_lossy(&ldd.stderr);
    assert!(
        said.contains("statically linked") || said.contains("not a dynamic executable"),
        "{said}"
    );
    assert!(!said.contains("=>"), "{said}");

    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _center = serve(&db, dir.path(), port, 10);
    let root = tempfile::tempdir().unwrap();
    chroot_root(root.path(), &binary, "/bin/podready");
    a_pod_lifecycle(
        &db,
        port,
        root.path(),
        "/bin/podready",
        "uid-p1",
        "10.9.0.1",
    );

    // The hooks sidecar as rendered: renewing until SIGTERM (a native
    // sidecar gets it once the app has stopped), then revoking.
    let mut sidecar_env = pod_env(port, "uid-p4", "10.9.0.4");
    ok(&in_chroot(
        root.path(),
        &["/bin/podready", "grant", "request"],
        &sidecar_env,
    ));
    sidecar_env.push((
        "PODREADY_HEALTH_URL",
        format!("http://grant.test:{port}/healthz"),
    ));
    sidecar_env.push(("PODREADY_RENEW_SECONDS", "1".into()));
    let sidecar = Command::new("/usr/sbin/chroot")
        .arg(root.path())
        .args(["/bin/podready", "hooks", "run", "--dir", "/podready"])
        .env_clear()
        .env("PATH", "/bin")
        .envs(sidecar_env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let online = root.path().join("podready/state/pre-online.done");
    let started = std::time::Instant::now();
    while !online.exists() && started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(online.exists(), "the sidecar did not come online");
    // A few renewals go by; the grant stays.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(pod_hosts(&db), ["10.9.0.4"]);
    let term = Command::new("kill")
        .args(["-TERM", &sidecar.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let stopped_at = std::time::Instant::now();
    let out = sidecar.wait_with_output().unwrap();
    assert!(stopped_at.elapsed() < std::time::Duration::from_secs(10));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked"));
    assert!(pod_hosts(&db).is_empty(), "SIGTERM did not revoke");

    // Bad input: one line each, and the documented status.
    let missing = in_chroot(root.path(), &["/bin/podready", "grant", "request"], &[]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: the following required arguments were not provided: --token"));
    assert!(err.contains("--ip"), "{err}");

    let mut unreachable = pod_env(port, "uid-p2", "10.9.0.2");
    unreachable[0].1 = "http://127.0.0.1:9".into();
    let gave_up = in_chroot(
        root.path(),
        &[
            "/bin/podready",
            "grant",
            "request",
            "--deadline-seconds",
            "2",
        ],
        &unreachable,
    );
    assert_eq!(gave_up.status.code(), Some(2));
    let err = String::from_utf8_lossy(&gave_up.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: database access for this pod was not granted")
            && err.contains("gave up after")
            && err.contains("cannot reach http://127.0.0.1:9"),
        "{err}"
    );
    assert!(!err.contains(TOKEN));

    // A pre-offline hook that hangs is stopped at its timeout; the revoke
    // still runs, and a preStop never holds the pod (exit 0).
    let env = pod_env(port, "uid-p3", "10.9.0.3");
    ok(&in_chroot(
        root.path(),
        &["/bin/podready", "grant", "request"],
        &env,
    ));
    std::fs::write(
        root.path().join("podready/hooks/pre-offline"),
        "sleep 100\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let stopped = in_chroot(
        root.path(),
        &[
            "/bin/podready",
            "hooks",
            "stop",
            "--dir",
            "/podready",
            "--timeout",
            "1",
        ],
        &env,
    );
    assert!(stopped.status.success());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let err = String::from_utf8_lossy(&stopped.stderr);
    assert!(
        err.contains("the pre-offline hook ran longer than 1s and was stopped"),
        "{err}"
    );
    assert!(pod_hosts(&db).is_empty());
}

#[test]
fn the_image_carries_the_binary_and_certificates_only_and_runs_the_same() {
    let image = built("PODREADY_POD_IMAGE", "scripts/build-image.sh");
    let bundle = tempfile::tempdir().unwrap();
    let unpacked = bundle.path().join("bundle");
    let out = Command::new("umoci")
        .args(["unpack", "--image", &image])
        .arg(&unpacked)
        .output()
        .expect("umoci runs (scripts/test.sh installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rootfs = unpacked.join("rootfs");
    let mut files = Vec::new();
    let mut dirs = vec![rootfs.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                files.push(p.strip_prefix(&rootfs).unwrap().display().to_string());
            }
        }
    }
    files.sort();
    assert_eq!(
        files,
        [
            "etc/ssl/certs/ca-certificates.crt",
            "usr/local/bin/podready"
        ]
    );
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(unpacked.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["process"]["args"][0], "/usr/local/bin/podready");
    assert!(config["process"]["env"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e == "PATH=/usr/local/bin"));
    // The tag is the version `deploy render` references.
    assert!(
        image.ends_with(&format!(":{}", env!("CARGO_PKG_VERSION"))),
        "{image}"
    );

    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _center = serve(&db, dir.path(), port, 10);
    let binary = rootfs.join("usr/local/bin/podready");
    chroot_root(&rootfs, &binary, "/usr/local/bin/podready");
    a_pod_lifecycle(
        &db,
        port,
        &rootfs,
        "/usr/local/bin/podready",
        "uid-i1",
        "10.9.1.1",
    );
}
