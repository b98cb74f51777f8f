//! The grant center against a real MariaDB (a private `mariadbd` per test),
//! over real HTTP: after every operation the tests look at `mysql.user` and
//! `SHOW GRANTS` themselves.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use podready_grant::audit::Audit;
use podready_grant::auth::{token_hash, TokenAuthenticator};
use podready_grant::config::GrantConfig;
use podready_grant::server::{listen, router, AppState};
use podready_grant::service::{GrantCenter, PodIdentity};
use podready_pod::client::{ClientError, GrantClient};
use podready_testkit::{MariaDb, APP_HOST, APP_USER};
use serde_json::{json, Value};

const TOKEN: &str = "dev-token-order-service";
const OTHER_TOKEN: &str = "dev-token-pay-service";
const REPORT_TOKEN: &str = "dev-token-report-service";

fn config_text(dir: &Path, ttl: u64, queue: usize) -> String {
    config_with_tls(dir, ttl, queue, "tls = \"disabled\"")
}

/// The test config with `tls` lines for the instance.
fn config_with_tls(dir: &Path, ttl: u64, queue: usize, tls: &str) -> String {
    format!(
        r#"ledger = "{}"
audit_log = "{}"
lease_ttl_seconds = {ttl}
reaper_interval_seconds = 1
queue_limit = {queue}
max_body_bytes = 2048
statement_timeout_seconds = 3
operator_tokens_sha256 = ["{}"]

[[instances]]
name = "main"
admin_url_env = "UNUSED_IN_THESE_TESTS"
max_concurrent = 3
{tls}

[[apps]]
name = "order-service"
token_sha256 = "{}"
[[apps.databases]]
instance = "main"
user = "order_rw"
schemas = ["order"]
privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"]

[[apps]]
name = "pay-service"
token_sha256 = "{}"
[[apps.databases]]
instance = "main"
user = "order_rw"
schemas = ["order"]
privileges = ["SELECT"]

# Two accounts per pod; `report_ro` exists only where a test creates it.
[[apps]]
name = "report-service"
token_sha256 = "{}"
[[apps.databases]]
instance = "main"
user = "order_rw"
schemas = ["order"]
privileges = ["SELECT"]
[[apps.databases]]
instance = "main"
user = "report_ro"
schemas = ["order"]
privileges = ["SELECT"]
"#,
        dir.join("ledger.sqlite").display(),
        dir.join("audit.log").display(),
        token_hash("ops-token"),
        token_hash(TOKEN),
        token_hash(OTHER_TOKEN),
        token_hash(REPORT_TOKEN),
    )
}

/// A grant center on a free port, in its own thread and runtime.
struct Server {
    addr: SocketAddr,
    center: Arc<GrantCenter>,
    /// The server's runtime: the center's connection pools live there.
    runtime: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(db: &MariaDb, dir: &Path, ttl: u64, queue: usize) -> Server {
        Server::start_with(dir, &config_text(dir, ttl, queue), db.admin_url())
    }

    /// A center with this config text, connecting to `url`.
    fn start_with(dir: &Path, config: &str, url: String) -> Server {
        let path = dir.join("grant.toml");
        std::fs::write(&path, config).unwrap();
        let config = GrantConfig::load(&path).unwrap();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let apps: BTreeMap<String, String> = config
                    .apps
                    .iter()
                    .map(|a| (a.name.clone(), a.token_sha256.clone()))
                    .collect();
                let ops = config.operator_tokens_sha256.clone();
                let audit = Audit::open(&config.audit_log).unwrap();
                let center = Arc::new(
                    GrantCenter::start(config, audit, |_| Ok(url.clone()))
                        .await
                        .unwrap(),
                );
                let _ = center.reconcile().await;
                let state = Arc::new(AppState {
                    center: center.clone(),
                    auth: TokenAuthenticator::new(&apps, &ops),
                });
                let listener = listen(([127, 0, 0, 1], 0).into()).unwrap();
                let handle = tokio::runtime::Handle::current();
                addr_tx
                    .send((listener.local_addr().unwrap(), center, handle))
                    .unwrap();
                axum::serve(listener, router(state))
                    .with_graceful_shutdown(async {
                        let _ = stop_rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        let (addr, center, runtime) = addr_rx.recv().unwrap();
        Server {
            addr,
            center,
            runtime,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs a call on the center in the server's runtime.
    fn run<F: std::future::Future>(&self, call: F) -> F::Output {
        self.runtime.block_on(call)
    }

    fn client(&self, token: &str) -> GrantClient {
        GrantClient::new(&self.url(), token, Duration::from_secs(5))
    }

    /// One raw HTTP request: (status, JSON body or text as a JSON string).
    fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let url = format!("{}{path}", self.url());
        let resp = match (method, body) {
            ("POST", Some(b)) => {
                let mut r = agent.post(&url).header("content-type", "application/json");
                if let Some(t) = token {
                    r = r.header("Authorization", &format!("Bearer {t}"));
                }
                r.send(b)
            }
            ("POST", None) => {
                let mut r = agent.post(&url);
                if let Some(t) = token {
                    r = r.header("Authorization", &format!("Bearer {t}"));
                }
                r.send_empty()
            }
            ("DELETE", _) => {
                let mut r = agent.delete(&url);
                if let Some(t) = token {
                    r = r.header("Authorization", &format!("Bearer {t}"));
                }
                r.call()
            }
            _ => {
                let mut r = agent.get(&url);
                if let Some(t) = token {
                    r = r.header("Authorization", &format!("Bearer {t}"));
                }
                r.call()
            }
        };
        let mut resp = resp.unwrap();
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn pod(uid: &str, ip: &str) -> PodIdentity {
    PodIdentity {
        app: "order-service".into(),
        namespace: "orders".into(),
        pod: format!("order-service-{uid}"),
        pod_uid: uid.into(),
        ip: ip.into(),
    }
}

fn body(p: &PodIdentity) -> String {
    json!({ "app": p.app, "namespace": p.namespace, "pod": p.pod, "pod_uid": p.pod_uid, "ip": p.ip }).to_string()
}

/// The hosts order_rw has, besides its original subnet account.
fn pod_hosts(db: &MariaDb) -> Vec<String> {
    db.hosts(APP_USER)
        .into_iter()
        .filter(|h| h != APP_HOST)
        .collect()
}

fn auth_string(db: &MariaDb, host: &str) -> String {
    db.root_sql(&format!(
        "SELECT authentication_string FROM mysql.user WHERE User = '{APP_USER}' AND Host = '{host}'"
    ))
    .concat()
    .join("")
}

#[test]
fn grant_creates_the_account_with_the_apps_password_and_privileges() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    let answer = server
        .client(TOKEN)
        .request(&pod("uid-a", "10.1.0.5"))
        .unwrap();
    assert_eq!(answer["grants"][0]["account"], "'order_rw'@'10.1.0.5'");
    assert_eq!(pod_hosts(&db), ["10.1.0.5"]);
    assert_eq!(
        auth_string(&db, "10.1.0.5"),
        auth_string(&db, APP_HOST),
        "the same password"
    );
    let grants = db.grants(APP_USER, "10.1.0.5").join("\n");
    assert!(
        grants
            .contains("GRANT SELECT, INSERT, UPDATE, DELETE ON `order`.* TO `order_rw`@`10.1.0.5`"),
        "{grants}"
    );
    let audit = std::fs::read_to_string(dir.path().join("audit.log")).unwrap();
    assert!(
        audit.contains("\"action\":\"grant\"") && audit.contains("\"who\":\"order-service\""),
        "{audit}"
    );
    assert!(!audit.contains("admin-secret"));
}

#[test]
fn the_same_grant_a_hundred_times_is_one_account_and_one_lease() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    let p = pod("uid-a", "10.1.0.6");
    let first = server.client(TOKEN).request(&p).unwrap();
    let statements_after_first = server.center.instances["main"].statements();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..25 {
                    assert_eq!(server.client(TOKEN).request(&p).unwrap(), first);
                }
            });
        }
    });
    assert_eq!(pod_hosts(&db), ["10.1.0.6"]);
    assert_eq!(
        server.run(server.center.ledger.all_leases()).unwrap().len(),
        1
    );
    let statements = server.center.instances["main"].statements();
    assert_eq!(
        statements, statements_after_first,
        "repeats are answered from the ledger"
    );
}

#[test]
fn revoke_drops_the_account_and_repeating_it_succeeds() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    server
        .client(TOKEN)
        .request(&pod("uid-a", "10.1.0.7"))
        .unwrap();
    let r = server.client(TOKEN).revoke("uid-a").unwrap();
    assert_eq!(r["dropped"], json!(["'order_rw'@'10.1.0.7'"]));
    assert!(pod_hosts(&db).is_empty());
    assert!(db.grants(APP_USER, "10.1.0.7").is_empty());
    let again = server.client(TOKEN).revoke("uid-a").unwrap();
    assert_eq!(again["already_gone"], true);
    let unknown = server.client(TOKEN).revoke("never-granted").unwrap();
    assert_eq!(unknown["already_gone"], true);
    // The app's original account is untouched.
    assert_eq!(db.hosts(APP_USER), [APP_HOST]);
}

#[test]
fn a_late_revoke_never_removes_a_newer_pods_access_on_a_reused_ip() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    let c = server.client(TOKEN);
    // A holds the IP; B gets the same IP while A's stop is still on its way.
    c.request(&pod("uid-a", "10.1.0.8")).unwrap();
    c.request(&pod("uid-b", "10.1.0.8")).unwrap();
    let late = c.revoke("uid-a").unwrap();
    assert_eq!(late["kept"], json!(["'order_rw'@'10.1.0.8'"]));
    assert_eq!(pod_hosts(&db), ["10.1.0.8"]);
    assert!(!db.grants(APP_USER, "10.1.0.8").is_empty());
    // B's own revoke drops it.
    c.revoke("uid-b").unwrap();
    assert!(pod_hosts(&db).is_empty());
}

#[test]
fn expired_leases_are_reaped_and_a_reused_ip_is_granted_afresh() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    // Leases live 1 second; the reaper runs every second.
    let server = Server::start(&db, dir.path(), 1, 100);
    let c = server.client(TOKEN);
    c.request(&pod("uid-a", "10.1.0.9")).unwrap();
    let reaped = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(200));
        server.run(server.center.reap()).unwrap();
        pod_hosts(&db).is_empty()
    });
    assert!(reaped, "the expired lease was not reaped");
    assert!(server
        .run(server.center.ledger.lease("uid-a"))
        .unwrap()
        .is_none());
    // B on the same IP after A's lease ended; A's late revoke leaves B.
    c.request(&pod("uid-b", "10.1.0.9")).unwrap();
    let late = c.revoke("uid-a").unwrap();
    assert_eq!(late["already_gone"], true);
    assert_eq!(pod_hosts(&db), ["10.1.0.9"]);
}

#[test]
fn renew_extends_the_lease() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    let c = server.client(TOKEN);
    let first = c.request(&pod("uid-a", "10.1.0.10")).unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    let renewed = c.renew("uid-a").unwrap();
    assert!(renewed["expires_at"].as_u64() > first["expires_at"].as_u64());
    let (status, _) = server.raw("POST", "/v1/grants/nobody/renew", Some(TOKEN), None);
    assert_eq!(status, 404);
}

#[test]
fn the_ledger_survives_a_restart() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&db, dir.path(), 600, 100);
    server
        .client(TOKEN)
        .request(&pod("uid-a", "10.1.0.11"))
        .unwrap();
    server.stop();
    drop(server);
    let server = Server::start(&db, dir.path(), 600, 100);
    let (status, list) = server.raw("GET", "/v1/grants?app=order-service", Some(TOKEN), None);
    assert_eq!(status, 200);
    assert_eq!(list["leases"][0]["pod_uid"], "uid-a");
    server.client(TOKEN).revoke("uid-a").unwrap();
    assert!(pod_hosts(&db).is_empty());
}

#[test]
fn a_database_that_is_down_gives_503_and_nothing_half_recorded() {
    let mut db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    db.stop();
    let (status, answer) = server.raw(
        "POST",
        "/v1/grants",
        Some(TOKEN),
        Some(&body(&pod("uid-a", "10.1.0.12"))),
    );
    assert_eq!(status, 503, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("unavailable"));
    assert!(
        !answer.to_string().contains("admin-secret"),
        "no secret in errors"
    );
    db.restart();
    // The pod's retry succeeds, and the ledger and the accounts agree.
    server
        .client(TOKEN)
        .request(&pod("uid-a", "10.1.0.12"))
        .unwrap();
    assert_eq!(pod_hosts(&db), ["10.1.0.12"]);
    let lease = server
        .run(server.center.ledger.lease("uid-a"))
        .unwrap()
        .unwrap();
    assert_eq!(format!("{:?}", lease.state), "Active");
    // A grant that failed is never finished behind its pod's back: once the
    // database is back, reconcile undoes it (recorded in the audit log), and
    // the pod's own retry is what grants it.
    db.stop();
    let (status, _) = server.raw(
        "POST",
        "/v1/grants",
        Some(TOKEN),
        Some(&body(&pod("uid-b", "10.1.0.13"))),
    );
    assert_eq!(status, 503);
    db.restart();
    let left = server.run(server.center.reconcile()).unwrap();
    assert!(left.is_empty(), "{left:?}");
    assert!(server
        .run(server.center.ledger.lease("uid-b"))
        .unwrap()
        .is_none());
    assert_eq!(pod_hosts(&db), ["10.1.0.12"]);
    let audit = std::fs::read_to_string(dir.path().join("audit.log")).unwrap();
    assert!(
        audit.lines().any(|l| l.contains("\"who\":\"reconcile\"")
            && l.contains("uid-b")
            && l.contains("not answered with success")),
        "{audit}"
    );
    server
        .client(TOKEN)
        .request(&pod("uid-b", "10.1.0.13"))
        .unwrap();
    assert_eq!(pod_hosts(&db), ["10.1.0.12", "10.1.0.13"]);
}

#[test]
fn the_client_retries_until_the_database_is_back_and_gives_up_at_its_deadline() {
    let mut db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    db.stop();
    let url = server.url();
    let waiter = std::thread::spawn(move || {
        GrantClient::new(&url, TOKEN, Duration::from_secs(60)).request(&pod("uid-a", "10.1.0.14"))
    });
    std::thread::sleep(Duration::from_secs(2));
    db.restart();
    let answer = waiter.join().unwrap().unwrap();
    assert_eq!(answer["ip"], "10.1.0.14");
    // Nobody listening: the client gives up with the reason.
    let gone = GrantClient::new("http://127.0.0.1:9", TOKEN, Duration::from_secs(2))
        .request(&pod("uid-x", "10.1.0.15"));
    match gone {
        Err(ClientError::GaveUp { attempts, last, .. }) => {
            assert!(attempts >= 2);
            assert!(last.contains("cannot reach"), "{last}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn who_may_ask() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    let b = body(&pod("uid-a", "10.1.0.16"));
    assert_eq!(server.raw("POST", "/v1/grants", None, Some(&b)).0, 401);
    assert_eq!(
        server.raw("POST", "/v1/grants", Some("wrong"), Some(&b)).0,
        401
    );
    // pay-service's token cannot grant order-service.
    let (status, answer) = server.raw("POST", "/v1/grants", Some(OTHER_TOKEN), Some(&b));
    assert_eq!(status, 403, "{answer}");
    // Nor revoke order-service's lease.
    server
        .client(TOKEN)
        .request(&pod("uid-a", "10.1.0.16"))
        .unwrap();
    assert_eq!(
        server
            .raw("DELETE", "/v1/grants/uid-a", Some(OTHER_TOKEN), None)
            .0,
        403
    );
    assert_eq!(
        server
            .raw(
                "GET",
                "/v1/grants?app=order-service",
                Some(OTHER_TOKEN),
                None
            )
            .0,
        403
    );
    // An operator lists every lease but changes none.
    let (status, list) = server.raw("GET", "/v1/grants", Some("ops-token"), None);
    assert_eq!(status, 200);
    assert_eq!(list["leases"].as_array().unwrap().len(), 1);
    assert_eq!(
        server
            .raw("DELETE", "/v1/grants/uid-a", Some("ops-token"), None)
            .0,
        403
    );
    assert_eq!(pod_hosts(&db), ["10.1.0.16"]);
    assert_eq!(server.raw("GET", "/healthz", None, None).0, 200);
}

#[test]
fn hostile_input_is_refused_before_any_statement() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    let statements = || server.center.instances["main"].statements();
    let before = statements();
    let injections = [
        "10.0.0.1' OR '1'='1",
        "'; DROP USER 'order_rw'@'10.99.%'; --",
        "order`; DROP DATABASE `order",
        "x\\' OR 1=1",
        "%",
    ];
    for evil in injections {
        for field in ["app", "namespace", "pod", "pod_uid", "ip"] {
            let mut v = json!({ "app": "order-service", "namespace": "orders", "pod": "p", "pod_uid": "u", "ip": "10.1.0.17" });
            v[field] = json!(evil);
            let (status, answer) =
                server.raw("POST", "/v1/grants", Some(TOKEN), Some(&v.to_string()));
            assert!(
                status == 400 || status == 403,
                "{field}={evil}: {status} {answer}"
            );
        }
        let path = format!("/v1/grants/{}", urlencode(evil));
        let (status, _) = server.raw("DELETE", &path, Some(TOKEN), None);
        assert!(
            status == 200 || status == 404 || status == 400,
            "{evil}: {status}"
        );
    }
    for bad in [
        "not json",
        "{\"app\": \"order-service\"}",
        "{\"app\":\"order-service\",\"namespace\":\"o\",\"pod\":\"p\",\"pod_uid\":\"u\",\"ip\":\"10.0.0.1\",\"extra\":1}",
        "{\"app\":\"order-service\",\"namespace\":\"o\",\"pod\":\"p\",\"pod_uid\":\"u\",\"ip\":\"127.0.0.1\"}",
        "{\"app\":\"order-service\",\"namespace\":\"o\",\"pod\":\"p\",\"pod_uid\":\"u\",\"ip\":\"224.0.0.1\"}",
        "{\"app\":\"order-service\",\"namespace\":\"o\",\"pod\":\"p\",\"pod_uid\":\"u\",\"ip\":\"::ffff:127.0.0.1\"}",
        "{\"app\":\"order-service\",\"namespace\":\"o\",\"pod\":\"p\",\"pod_uid\":\"u\",\"ip\":\"::ffff:0.0.0.0\"}",
        "{\"app\":\"order-service\",\"namespace\":\"o\",\"pod\":\"p\",\"pod_uid\":\"u\",\"ip\":\"169.254.169.254\"}",
    ] {
        assert_eq!(server.raw("POST", "/v1/grants", Some(TOKEN), Some(bad)).0, 400, "{bad}");
    }
    let huge = format!("{{\"app\":\"{}\"}}", "a".repeat(10_000));
    let (status, answer) = server.raw("POST", "/v1/grants", Some(TOKEN), Some(&huge));
    assert_eq!(status, 413);
    assert_eq!(answer["error"], "the body is larger than 2048 bytes");
    // Every refusal is JSON, whichever layer gives it.
    for (method, path) in [("GET", "/v1/nothing"), ("DELETE", "/v1/grants")] {
        let (status, answer) = server.raw(method, path, Some(TOKEN), None);
        assert!(status == 404 || status == 405, "{method} {path}: {status}");
        assert!(answer["error"].is_string(), "{method} {path}: {answer}");
    }
    assert_eq!(statements(), before, "no statement ran");
    assert_eq!(db.hosts(APP_USER), [APP_HOST]);
    assert_eq!(db.root_sql("SHOW DATABASES LIKE 'order'").len(), 1);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn metrics_are_prometheus_text() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    server
        .client(TOKEN)
        .request(&pod("uid-a", "10.1.0.18"))
        .unwrap();
    server
        .client(TOKEN)
        .request(&pod("uid-a", "10.1.0.18"))
        .unwrap();
    let (_, bad) = server.raw("POST", "/v1/grants", Some("nope"), Some("{}"));
    assert!(bad["error"].is_string());
    // Refusals after authentication are counted too.
    let refused = [
        (TOKEN, "not json".to_string(), 400),
        (OTHER_TOKEN, body(&pod("uid-b", "10.1.0.19")), 403),
    ];
    for (token, b, expected) in refused {
        assert_eq!(
            server.raw("POST", "/v1/grants", Some(token), Some(&b)).0,
            expected
        );
    }
    let (status, text) = server.raw("GET", "/metrics", None, None);
    assert_eq!(status, 200);
    let text = text.as_str().unwrap().to_string();
    for needle in [
        "podready_grant_requests_total{route=\"grant\",status=\"200\"} 2",
        "podready_grant_requests_total{route=\"grant\",status=\"401\"} 1",
        "podready_grant_request_duration_seconds_count{route=\"grant\"} 5",
        "podready_grant_rejections_total{reason=\"unauthenticated\"} 1",
        "podready_grant_rejections_total{reason=\"bad-request\"} 1",
        "podready_grant_rejections_total{reason=\"forbidden\"} 1",
        "podready_grant_db_batches_total{instance=\"main\"} 1",
        "podready_grant_ledger_answers_total 1",
        "podready_grant_active_leases 1",
        "podready_grant_db_statements_total{instance=\"main\"}",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
}

#[test]
fn a_burst_beyond_the_queue_gets_429_and_never_exceeds_the_cap() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    // Room for 3 running and 2 waiting requests.
    let server = Server::start(&db, dir.path(), 600, 2);
    let mut busy = 0;
    let mut ok = 0;
    let running = std::sync::atomic::AtomicBool::new(true);
    let mut most = 0u64;
    std::thread::scope(|s| {
        // Samples the statements of the center that MariaDB is running.
        let sampler = s.spawn(|| {
            let mut most = 0u64;
            while running.load(std::sync::atomic::Ordering::Relaxed) {
                let rows = db.root_sql(
                    "SELECT COALESCE(SUM(COMMAND = 'Query'), 0) FROM information_schema.PROCESSLIST WHERE USER = 'podready_admin'",
                );
                most = most.max(rows[0][0].parse().unwrap_or(0));
            }
            most
        });
        let handles: Vec<_> = (0..40)
            .map(|i| {
                let b = body(&pod(&format!("uid-{i}"), &format!("10.2.0.{}", i + 1)));
                let server = &server;
                s.spawn(move || server.raw("POST", "/v1/grants", Some(TOKEN), Some(&b)))
            })
            .collect();
        for h in handles {
            let (status, _) = h.join().unwrap();
            match status {
                200 => ok += 1,
                429 => busy += 1,
                other => panic!("status {other}"),
            }
        }
        running.store(false, std::sync::atomic::Ordering::Relaxed);
        most = sampler.join().unwrap();
    });
    assert!(most <= 3, "{most} statements ran at once; the cap is 3");
    assert!(ok > 0 && busy > 0, "ok {ok}, busy {busy}");
    // A pod told to come back later left nothing in the ledger.
    assert_eq!(
        server.run(server.center.ledger.all_leases()).unwrap().len(),
        ok
    );
    // Every pod that got 429 succeeds when it retries (as the client does).
    for i in 0..40 {
        server
            .client(TOKEN)
            .request(&pod(&format!("uid-{i}"), &format!("10.2.0.{}", i + 1)))
            .unwrap();
    }
    assert_eq!(pod_hosts(&db).len(), 40);
}

#[test]
fn a_renewal_that_was_answered_is_never_undone_by_the_reaper() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 1, 1000);
    let pods: Vec<PodIdentity> = (0..120)
        .map(|i| {
            pod(
                &format!("uid-{i}"),
                &format!("10.3.{}.{}", i / 200, i % 200 + 1),
            )
        })
        .collect();
    std::thread::scope(|s| {
        for chunk in pods.chunks(30) {
            let server = &server;
            s.spawn(move || {
                for p in chunk {
                    server.client(TOKEN).request(p).unwrap();
                }
            });
        }
    });
    // Every lease has expired; the reaper and the renewals race.
    std::thread::sleep(Duration::from_millis(2100));
    let barrier = std::sync::Barrier::new(5);
    let renewed: Vec<(String, u16, Value)> = std::thread::scope(|s| {
        let reaper = s.spawn(|| {
            barrier.wait();
            server.run(server.center.reap()).unwrap()
        });
        let renewers: Vec<_> = pods
            .chunks(30)
            .map(|chunk| {
                let (server, barrier) = (&server, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    chunk
                        .iter()
                        .map(|p| {
                            let path = format!("/v1/grants/{}/renew", p.pod_uid);
                            let (status, answer) = server.raw("POST", &path, Some(TOKEN), None);
                            (p.ip.clone(), status, answer)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let renewed = renewers
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        reaper.join().unwrap();
        renewed
    });
    let answered: Vec<&(String, u16, Value)> = renewed
        .iter()
        .filter(|(_, status, _)| *status == 200)
        .collect();
    assert!(!answered.is_empty(), "no renewal beat the reaper");
    for (_, status, answer) in &renewed {
        assert!(matches!(status, 200 | 404 | 409), "{status} {answer}");
    }
    let hosts = pod_hosts(&db);
    for (ip, _, answer) in answered {
        let uid = answer["pod_uid"].as_str().unwrap();
        let lease = server.run(server.center.ledger.lease(uid)).unwrap();
        assert!(lease.is_some(), "{uid} was renewed, then revoked");
        assert!(
            hosts.contains(ip),
            "{uid}'s account was dropped after its renewal"
        );
    }
}

#[test]
fn an_account_the_center_did_not_create_is_refused_and_never_changed() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    db.root_sql(&format!(
        "CREATE USER '{APP_USER}'@'10.9.7.7' IDENTIFIED BY 'dba-own';
         GRANT SELECT ON `order`.* TO '{APP_USER}'@'10.9.7.7';"
    ));
    let before = db.grants(APP_USER, "10.9.7.7");
    let (status, answer) = server.raw(
        "POST",
        "/v1/grants",
        Some(TOKEN),
        Some(&body(&pod("uid-a", "10.9.7.7"))),
    );
    assert_eq!(status, 409, "{answer}");
    let message = answer["error"].as_str().unwrap();
    assert!(
        message.contains("'order_rw'@'10.9.7.7' exists and podready did not create it"),
        "{message}"
    );
    assert_eq!(db.grants(APP_USER, "10.9.7.7"), before);
    assert!(server
        .run(server.center.ledger.lease("uid-a"))
        .unwrap()
        .is_none());
    let revoked = server.client(TOKEN).revoke("uid-a").unwrap();
    assert_eq!(revoked["already_gone"], true);
    assert_eq!(db.grants(APP_USER, "10.9.7.7"), before);
    // The client does not retry a refusal.
    let refused = GrantClient::new(&server.url(), TOKEN, Duration::from_secs(30))
        .request(&pod("uid-a", "10.9.7.7"));
    assert!(
        matches!(refused, Err(ClientError::Refused { status: 409, .. })),
        "{refused:?}"
    );

    // A pod with two accounts, the second a DBA's: the first, already
    // created, is dropped again: no partial grant.
    db.root_sql(
        "CREATE USER 'report_ro'@'10.99.%' IDENTIFIED BY 'report-secret';
         CREATE USER 'report_ro'@'10.9.7.8' IDENTIFIED BY 'dba-own';",
    );
    let report = PodIdentity {
        app: "report-service".into(),
        ..pod("uid-r", "10.9.7.8")
    };
    let (status, answer) = server.raw(
        "POST",
        "/v1/grants",
        Some(REPORT_TOKEN),
        Some(&body(&report)),
    );
    assert_eq!(status, 409, "{answer}");
    assert!(
        db.grants(APP_USER, "10.9.7.8").is_empty(),
        "order_rw was not undone"
    );
    assert_eq!(db.hosts("report_ro"), ["10.9.7.8", "10.99.%"]);
    assert!(server
        .run(server.center.ledger.lease("uid-r"))
        .unwrap()
        .is_none());
    assert!(server
        .run(server.center.ledger.created_accounts())
        .unwrap()
        .is_empty());
}

#[test]
fn a_user_with_no_account_to_copy_is_a_configuration_error_not_a_retry() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db, dir.path(), 600, 100);
    // `report_ro` has no account on this instance.
    let (problems, warnings) = server.run(server.center.check_accounts());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "instance `main`: the database user `report_ro` (app report-service) has no account"
        ),
        "{}",
        problems[0]
    );
    let report = PodIdentity {
        app: "report-service".into(),
        ..pod("uid-r", "10.4.0.1")
    };
    let started = std::time::Instant::now();
    let refused =
        GrantClient::new(&server.url(), REPORT_TOKEN, Duration::from_secs(30)).request(&report);
    match refused {
        Err(ClientError::Refused { status, message }) => {
            assert_eq!(status, 500);
            assert!(
                message.contains("`report_ro` has no account with a password to copy"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the client retried a permanent error"
    );
    // Nothing half-granted: order_rw's account for the pod was undone.
    assert!(pod_hosts(&db).is_empty());
    assert!(server
        .run(server.center.ledger.all_leases())
        .unwrap()
        .is_empty());
}

#[test]
fn reconcile_reads_each_instance_once_and_restores_only_what_is_missing() {
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&db, dir.path(), 600, 1000);
    let pods: Vec<PodIdentity> = (0..60)
        .map(|i| pod(&format!("uid-{i}"), &format!("10.5.0.{}", i + 1)))
        .collect();
    std::thread::scope(|s| {
        for chunk in pods.chunks(15) {
            let server = &server;
            s.spawn(move || {
                for p in chunk {
                    server.client(TOKEN).request(p).unwrap();
                }
            });
        }
    });
    server.stop();
    drop(server);
    // Behind the center's back, one pod's account disappears.
    db.root_sql(&format!("DROP USER '{APP_USER}'@'10.5.0.7'"));
    let server = Server::start(&db, dir.path(), 600, 1000);
    // One listing, then one batch for the missing account (existence,
    // credentials, create, grant).
    let statements = server.center.instances["main"].statements();
    assert!(
        statements <= 6,
        "reconcile ran {statements} statements for 60 leases"
    );
    assert_eq!(pod_hosts(&db).len(), 60);
    assert!(!db.grants(APP_USER, "10.5.0.7").is_empty());
    let audit = std::fs::read_to_string(dir.path().join("audit.log")).unwrap();
    let reconciled: Vec<&str> = audit
        .lines()
        .filter(|l| l.contains("\"who\":\"reconcile\""))
        .collect();
    assert_eq!(reconciled.len(), 1, "{reconciled:?}");
    assert!(reconciled[0].contains("uid-6") && reconciled[0].contains("re-created"));
}

#[test]
fn the_admin_connection_uses_tls_as_configured() {
    let db = MariaDb::start_with_tls();
    let tls = db.tls.as_ref().unwrap();
    // The server's certificate names `localhost`, not `127.0.0.1`; the admin
    // account is `REQUIRE SSL`, so any grant that succeeds went over TLS.
    let ca = format!("ca_file = \"{}\"", tls.ca.display());
    let by_name = format!("{ca}\ntls_server_name = \"localhost\"");
    let other_ca = format!("ca_file = \"{}\"", tls.other_ca.display());
    let none = String::new();
    let cases = [
        ("verify-identity", &ca, "localhost", Ok(())),
        ("verify-identity", &by_name, "127.0.0.1", Ok(())),
        ("required", &none, "127.0.0.1", Ok(())),
        (
            "verify-identity",
            &ca,
            "127.0.0.1",
            Err("not valid for name"),
        ),
        (
            "verify-identity",
            &other_ca,
            "localhost",
            Err("UnknownIssuer"),
        ),
        // The public roots do not know the test CA.
        ("verify-identity", &none, "localhost", Err("UnknownIssuer")),
        ("disabled", &none, "127.0.0.1", Err("Access denied")),
    ];
    for (i, (mode, ca_line, host, expected)) in cases.into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let config = config_with_tls(
            dir.path(),
            600,
            100,
            &format!("tls = \"{mode}\"\n{ca_line}"),
        );
        let server = Server::start_with(dir.path(), &config, db.admin_url_via(host));
        let ip = format!("10.6.0.{}", i + 1);
        let (status, answer) = server.raw(
            "POST",
            "/v1/grants",
            Some(TOKEN),
            Some(&body(&pod(&format!("uid-{i}"), &ip))),
        );
        let case = format!("tls = {mode}, {ca_line}, via {host}");
        match expected {
            Ok(()) => {
                assert_eq!(status, 200, "{case}: {answer}");
                assert!(db.hosts(APP_USER).contains(&ip), "{case}");
            }
            Err(reason) => {
                assert!(status == 503 || status == 500, "{case}: {status} {answer}");
                let message = answer["error"].as_str().unwrap();
                assert!(message.contains(reason), "{case}: {message}");
                assert!(!message.contains("admin-secret"), "{case}: {message}");
                assert!(!db.hosts(APP_USER).contains(&ip), "{case}");
            }
        }
    }
}
