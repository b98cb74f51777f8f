//! The grant center as it runs: `podready grant serve` with the example
//! config against a private MariaDB, the pod's client, the hooks, and a
//! `kill -9` in the middle of a grant.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use podready_testkit::{free_port, MariaDb, APP_HOST, APP_USER};

use crate::fixtures;

pub(crate) const TOKEN: &str = "dev-token-order-service";

pub(crate) struct Serve {
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies the example config into `dir` (its statement timeout set to
/// `timeout` seconds) and starts the center there.
pub(crate) fn serve(db: &MariaDb, dir: &Path, port: u16, timeout: u64) -> Serve {
    serve_with(db, dir, port, timeout, "")
}

/// [`serve`], with `settings` added at the top of the config.
fn serve_with(db: &MariaDb, dir: &Path, port: u16, timeout: u64, settings: &str) -> Serve {
    let example = std::fs::read_to_string(fixtures().join("grant/example.toml")).unwrap();
    assert!(example.contains("statement_timeout_seconds = 10\n"));
    let config = settings.to_string()
        + &example.replace(
            "statement_timeout_seconds = 10\n",
            &format!("statement_timeout_seconds = {timeout}\n"),
        );
    std::fs::write(dir.join("grant.toml"), config).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(["grant", "serve", "--config"])
        .arg(dir.join("grant.toml"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .env("PODREADY_MYSQL_URL", db.admin_url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = child;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Serve { child, port };
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            panic!("the grant center exited ({status}): {err}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the grant center did not start");
}

fn podready_env(
    args: &[&str],
    port: u16,
    uid: &str,
    ip: &str,
    extra: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_podready"));
    cmd.args(args)
        .env("PODREADY_GRANT_URL", format!("http://127.0.0.1:{port}"))
        .env("PODREADY_GRANT_TOKEN", TOKEN)
        .env("PODREADY_APP", "order-service")
        .env("POD_NAMESPACE", "orders")
        .env("POD_NAME", format!("order-service-{uid}"))
        .env("POD_UID", uid)
        .env("POD_IP", ip);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

pub(crate) fn pod_hosts(db: &MariaDb) -> Vec<String> {
    db.hosts(APP_USER)
        .into_iter()
        .filter(|h| h != APP_HOST)
        .collect()
}

#[test]
fn a_pod_lifecycle_with_the_example_config() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut center = serve(&db, dir.path(), port, 10);
    let shared = dir.path().join("podready");
    // The grant init container: authorizes the IP, installs the binary.
    let out = podready_env(
        &[
            "grant",
            "request",
            "--install",
            shared.join("bin").to_str().unwrap(),
        ],
        port,
        "uid-1",
        "10.7.0.1",
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(shared.join("bin/podready").is_file());
    assert_eq!(pod_hosts(&db), ["10.7.0.1"]);
    assert!(db
        .grants(APP_USER, "10.7.0.1")
        .join("\n")
        .contains("ON `order`.*"));

    // The hooks sidecar: pre-start, health, pre-online.
    std::fs::create_dir_all(shared.join("hooks")).unwrap();
    for hook in ["pre-start", "pre-online", "pre-offline"] {
        std::fs::write(
            shared.join("hooks").join(hook),
            format!(
                "echo {hook} ran; touch {}/{hook}.ran\n",
                dir.path().display()
            ),
        )
        .unwrap();
    }
    let health = format!("http://127.0.0.1:{port}/healthz");
    let out = podready_env(
        &["hooks", "run", "--once", "--dir", shared.to_str().unwrap()],
        port,
        "uid-1",
        "10.7.0.1",
        &[("PODREADY_HEALTH_URL", &health)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("pre-start ran"),
        "hook output on stdout"
    );
    for probe in ["pre-start", "pre-online"] {
        let s = podready_env(
            &["hooks", "status", "--dir", shared.to_str().unwrap(), probe],
            port,
            "uid-1",
            "10.7.0.1",
            &[],
        );
        assert!(s.status.success(), "{probe}");
    }

    // The preStop hook: pre-offline, then revoke.
    let out = podready_env(
        &["hooks", "stop", "--dir", shared.to_str().unwrap()],
        port,
        "uid-1",
        "10.7.0.1",
        &[],
    );
    assert!(out.status.success());
    assert!(dir.path().join("pre-offline.ran").exists());
    assert!(pod_hosts(&db).is_empty());
    // A second preStop (hooks may run twice) is fine.
    let again = podready_env(&["grant", "revoke"], port, "uid-1", "10.7.0.1", &[]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("\"already_gone\":true"));
    // The example's plaintext admin connection was warned about at start.
    center.child.kill().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut center.child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        err.starts_with(
            "warning: instance `main`: the admin connection is not encrypted (tls = \"disabled\")"
        ),
        "{err}"
    );
}

#[test]
fn a_refused_request_fails_the_init_container_with_the_reason() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _center = serve(&db, dir.path(), port, 10);
    let out = podready_env(&["grant", "request"], port, "uid-2", "127.0.0.1", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("was not granted") && err.contains("400"),
        "{err}"
    );
    assert!(!err.contains(TOKEN), "no token in errors");
}

#[test]
fn serve_names_a_missing_admin_url_variable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("grant/example.toml"),
        dir.path().join("g.toml"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(["grant", "serve", "--config"])
        .arg(dir.path().join("g.toml"))
        .env_remove("PODREADY_MYSQL_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: instance `main`: the environment variable PODREADY_MYSQL_URL (its admin URL) is not set\n"
    );
}

#[test]
fn kill_9_in_the_middle_of_a_grant_leaves_no_orphan_and_the_pod_asks_again() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut center = serve(&db, dir.path(), port, 60);
    // Hold every write on the server, so the grant stops mid-way.
    let mut lock = Command::new("mariadb")
        .args([
            "--no-defaults",
            "-h127.0.0.1",
            "-upodready_admin",
            "-padmin-secret",
        ])
        .arg(format!("-P{}", db.port))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    lock.stdin
        .as_mut()
        .unwrap()
        .write_all(b"FLUSH TABLES WITH READ LOCK;\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let port_copy = port;
    let request = std::thread::spawn(move || {
        podready_env(
            &["grant", "request", "--deadline-seconds", "3"],
            port_copy,
            "uid-3",
            "10.7.0.3",
            &[],
        )
    });
    // The lease is recorded, the account statement waits on the lock.
    std::thread::sleep(Duration::from_millis(1500));
    center.child.kill().unwrap(); // SIGKILL
    let _ = center.child.wait();
    let _ = request.join();
    lock.kill().unwrap(); // the lock goes with its session
    let _ = lock.wait();
    // Restarted, the center answers at once and reconciles in the
    // background: the grant its pod was never answered for is undone, so
    // neither a lease nor an account is left that nobody asked for.
    let center = serve(&db, dir.path(), port, 60);
    let started = Instant::now();
    let list = loop {
        let list = podready_list(center.port);
        if !list.contains("uid-3") || started.elapsed() > Duration::from_secs(20) {
            break list;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(!list.contains("uid-3"), "{list}");
    assert!(pod_hosts(&db).is_empty());
    let audit = std::fs::read_to_string(dir.path().join("podready-grant-audit.log")).unwrap();
    assert!(
        audit
            .lines()
            .any(|l| l.contains("\"who\":\"reconcile\"") && l.contains("uid-3")),
        "{audit}"
    );
    // The pod's next start asks again and is granted; its revoke leaves
    // nothing behind.
    let out = podready_env(&["grant", "request"], center.port, "uid-3", "10.7.0.3", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(podready_list(center.port).contains("\"state\":\"active\""));
    assert_eq!(pod_hosts(&db), ["10.7.0.3"]);
    let out = podready_env(&["grant", "revoke"], center.port, "uid-3", "10.7.0.3", &[]);
    assert!(out.status.success());
    assert!(pod_hosts(&db).is_empty());
}

#[test]
fn serve_refuses_a_configuration_that_cannot_work() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(fixtures().join("grant/example.toml")).unwrap();
    std::fs::write(
        dir.path().join("g.toml"),
        example.replace("user = \"order_rw\"", "user = \"order_rx\""),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(["grant", "serve", "--config"])
        .arg(dir.path().join("g.toml"))
        .env("PODREADY_MYSQL_URL", db.admin_url())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: instance `main`: the database user `order_rx` (app order-service) has no account with a password for pods' accounts to copy; create one (e.g. 'order_rx'@'10.%') or correct the app's `user`\n"
    );
    // A missing file: what and why, once.
    let out = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(["grant", "serve", "--config"])
        .arg(dir.path().join("missing.toml"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}

fn podready_list(port: u16) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .get(&format!("http://127.0.0.1:{port}/v1/grants"))
        .header("Authorization", &format!("Bearer {TOKEN}"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap()
}

/// A pod's grant through whichever replica answers: a connection refused or
/// a 429/503 moves it to the next one, as a Service would.
fn grant_through(ports: &[u16], first: usize, uid: &str, ip: &str) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let body = format!(
        "{{\"app\":\"order-service\",\"namespace\":\"orders\",\"pod\":\"p-{uid}\",\"pod_uid\":\"{uid}\",\"ip\":\"{ip}\"}}"
    );
    let started = Instant::now();
    let mut replica = first;
    let mut last = String::new();
    while started.elapsed() < Duration::from_secs(90) {
        let port = ports[replica % ports.len()];
        let sent = agent
            .post(&format!("http://127.0.0.1:{port}/v1/grants"))
            .header("Authorization", &format!("Bearer {TOKEN}"))
            .header("Content-Type", "application/json")
            .send(&body);
        match sent {
            Ok(r) if r.status() == 200 => return Ok(()),
            Ok(mut r) if r.status() == 429 || r.status() == 503 => {
                last = r.body_mut().read_to_string().unwrap_or_default();
            }
            Ok(mut r) => {
                return Err(format!(
                    "{}: {}",
                    r.status(),
                    r.body_mut().read_to_string().unwrap_or_default()
                ))
            }
            Err(e) => last = e.to_string(),
        }
        replica += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("{uid}: not granted in 90 s; last: {last}"))
}

#[test]
fn three_replicas_on_one_ledger_lose_nothing_when_one_is_killed_mid_burst() {
    let db = MariaDb::start();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let mut replicas: Vec<Serve> = dirs
        .iter()
        .zip(&ports)
        .map(|(dir, &port)| serve_with(&db, dir.path(), port, 2, "ledger_instance = \"main\"\n"))
        .collect();
    let pods = 150;
    let granted = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<(), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..pods)
            .map(|i| {
                let (ports, granted) = (&ports, &granted);
                s.spawn(move || {
                    let ip = format!("10.8.{}.{}", i / 100, i % 100 + 1);
                    let result = grant_through(ports, i, &format!("uid-{i}"), &ip);
                    granted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    result
                })
            })
            .collect();
        // Kill one replica while the burst is under way.
        while granted.load(std::sync::atomic::Ordering::SeqCst) < 20 {
            std::thread::sleep(Duration::from_millis(5));
        }
        replicas[1].child.kill().unwrap(); // SIGKILL
        let _ = replicas[1].child.wait();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in &results {
        assert!(r.is_ok(), "{r:?}");
    }
    // The ledger and mysql.user agree: one active lease per account, no
    // orphan account, nothing left half-done.
    let ledger_ips: Vec<String> = db
        .root_sql("SELECT ip FROM podready_ledger.leases WHERE state = 'active' ORDER BY ip")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    let mut hosts = pod_hosts(&db);
    hosts.sort();
    assert_eq!(ledger_ips.len(), pods);
    assert_eq!(ledger_ips, hosts);
    let unfinished =
        db.root_sql("SELECT COUNT(*) FROM podready_ledger.leases WHERE state <> 'active'");
    assert_eq!(unfinished[0][0], "0");
    let claimed = db.root_sql("SELECT COUNT(*) FROM podready_ledger.accounts");
    assert_eq!(claimed[0][0], pods.to_string());
    // No double grant: each account has its one grant on the schema.
    for host in hosts.iter().take(10) {
        let grants = db.grants(APP_USER, host);
        assert_eq!(
            grants.iter().filter(|g| g.contains("ON `order`.*")).count(),
            1,
            "{grants:?}"
        );
    }
    // The survivors revoke everything; nothing stays behind.
    let live = [ports[0], ports[2]];
    for i in 0..pods {
        let port = live[i % 2];
        let ip = format!("10.8.{}.{}", i / 100, i % 100 + 1);
        let out = podready_env(&["grant", "revoke"], port, &format!("uid-{i}"), &ip, &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(pod_hosts(&db).is_empty());
    let left = db.root_sql("SELECT COUNT(*) FROM podready_ledger.leases");
    assert_eq!(left[0][0], "0");
}
