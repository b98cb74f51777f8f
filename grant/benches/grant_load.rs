//! Load benchmark of the grant center against a private MariaDB: N distinct
//! pods grant at once (default 3,000), then repeat their requests (on fresh
//! connections, then over keep-alive connections), then revoke. Reports
//! total time, p50/p99 latency from the burst's start, the most statements
//! the database saw running at once (from its process list), statements and
//! batches run, and throughput; then the database's own floor: the same
//! number of accounts created, granted and dropped directly, 500 per
//! statement, on one connection per instance.
//!
//! With INSTANCES > 1 the pods belong to that many apps, each with its
//! database on its own private MariaDB (the fleet's apps spread over their
//! instances), pods dealt to the apps in turn.
//!
//! `cargo bench -p podready-grant --bench grant_load [-- PODS CAP QUEUE REPLICAS INSTANCES]`

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysql_async::prelude::Queryable;
use podready_grant::audit::Audit;
use podready_grant::auth::{token_hash, TokenAuthenticator};
use podready_grant::config::GrantConfig;
use podready_grant::server::{listen, router, AppState};
use podready_grant::service::GrantCenter;
use podready_testkit::MariaDb;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

/// The bearer token of the bench's app number `app`.
fn token(app: usize) -> String {
    format!("bench-token-{app}")
}

/// One HTTP/1.1 request on a fresh connection: the status code.
async fn http(
    addr: std::net::SocketAddr,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> Option<(u16, u64)> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: grant\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.ok()?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).await.ok()?;
    let text = String::from_utf8_lossy(&resp);
    let status = text.get(9..12)?.parse().ok()?;
    let retry = text
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("retry-after: ")
                .map(str::to_string)
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1);
    Some((status, retry))
}

/// Sends until 200 (a pod's client retries on 429/503, and a Service sends
/// each attempt to the next replica); the latency from `started`.
async fn until_ok(
    addrs: Arc<Vec<std::net::SocketAddr>>,
    pod: usize,
    token: String,
    method: &str,
    path: String,
    body: String,
    started: Instant,
) -> Duration {
    let mut attempt = 0u32;
    let mut x = pod as u64 * 7919 + 1;
    loop {
        let addr = addrs[(pod + attempt as usize) % addrs.len()];
        attempt += 1;
        match http(addr, &token, method, &path, &body).await {
            Some((200, _)) => return started.elapsed(),
            Some((429 | 503, _)) | None => {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let cap = 50u64 << attempt.min(6);
                tokio::time::sleep(Duration::from_millis(x % cap + 10)).await;
            }
            Some((status, _)) => panic!("{method} {path}: status {status}"),
        }
    }
}

/// Sends repeat grants (token, body), one after another, over one
/// keep-alive connection; panics on anything but 200.
async fn keep_alive(addr: std::net::SocketAddr, requests: Vec<(String, String)>) {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let mut stream = tokio::io::BufStream::new(stream);
    for (token, body) in requests {
        let req = format!(
            "POST /v1/grants HTTP/1.1\r\nHost: grant\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(req.as_bytes()).await.unwrap();
        stream.flush().await.unwrap();
        let mut status = String::new();
        stream.read_line(&mut status).await.unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut length = 0;
        loop {
            let mut line = String::new();
            stream.read_line(&mut line).await.unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut answer = vec![0; length];
        stream.read_exact(&mut answer).await.unwrap();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let pods = args.first().copied().unwrap_or(3000);
    let cap = args.get(1).copied().unwrap_or(4);
    let queue_limit = args.get(2).copied().unwrap_or(5000);
    let replicas = args.get(3).copied().unwrap_or(1).max(1);
    let instances = args.get(4).copied().unwrap_or(1).max(1);
    // Several replicas share a ledger on the first database server.
    let ledger = if replicas > 1 {
        "ledger_instance = \"db0\"\n"
    } else {
        ""
    };
    let dbs: Vec<MariaDb> = (0..instances).map(|_| MariaDb::start()).collect();
    let dir = tempfile::tempdir().unwrap();
    let cfg_path = dir.path().join("grant.toml");
    let mut config_text =
        format!("{ledger}queue_limit = {queue_limit}\nstatement_timeout_seconds = 30\n");
    for k in 0..instances {
        config_text += &format!(
            "[[instances]]\nname = \"db{k}\"\nadmin_url_env = \"X\"\nmax_concurrent = {cap}\ntls = \"disabled\"\n"
        );
    }
    for k in 0..instances {
        config_text += &format!(
            "[[apps]]\nname = \"app-{k}\"\ntoken_sha256 = \"{}\"\n[[apps.databases]]\ninstance = \"db{k}\"\nuser = \"order_rw\"\nschemas = [\"order\"]\nprivileges = [\"SELECT\", \"INSERT\", \"UPDATE\", \"DELETE\"]\n",
            token_hash(&token(k))
        );
    }
    std::fs::write(&cfg_path, config_text).unwrap();
    let config = GrantConfig::load(&cfg_path).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let apps: BTreeMap<String, String> = (0..instances).map(|k| (format!("app-{k}"), token_hash(&token(k)))).collect();
        let urls: BTreeMap<String, String> = dbs.iter().enumerate().map(|(k, db)| (format!("db{k}"), db.admin_url())).collect();
        let mut centers = Vec::new();
        let mut addrs = Vec::new();
        for r in 0..replicas {
            let audit = Audit::open(&dir.path().join(format!("audit-{r}.log"))).unwrap();
            let center = Arc::new(
                GrantCenter::start(config.clone(), audit, |i| urls.get(&i.name).cloned().ok_or_else(|| i.name.clone()))
                    .await
                    .unwrap(),
            );
            let state = Arc::new(AppState {
                center: center.clone(),
                auth: TokenAuthenticator::new(&apps, &[]),
            });
            let listener = listen(([127, 0, 0, 1], 0).into()).unwrap();
            addrs.push(listener.local_addr().unwrap());
            tokio::spawn(async move { axum::serve(listener, router(state)).await });
            centers.push(center);
        }
        let addrs = Arc::new(addrs);

        // Watch each database's own process list for the center's
        // statements (and, apart, its connections in any state): the most
        // seen on any one instance.
        let max_seen = Arc::new(AtomicU64::new(0));
        let max_conns = Arc::new(AtomicU64::new(0));
        let watching = Arc::new(AtomicBool::new(true));
        let watchers: Vec<_> = dbs
            .iter()
            .map(|db| {
                let opts = mysql_async::OptsBuilder::default()
                    .socket(Some(db.socket().display().to_string()))
                    .user(Some("root"));
                let (max_seen, max_conns, watching) = (max_seen.clone(), max_conns.clone(), watching.clone());
                tokio::spawn(async move {
                    let mut conn = mysql_async::Conn::new(opts).await.unwrap();
                    while watching.load(Ordering::Relaxed) {
                        let row: Option<(u64, u64)> = conn
                            .query_first("SELECT COALESCE(SUM(COMMAND = 'Query' AND COALESCE(DB, '') <> 'podready_ledger'), 0), COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'podready_admin'")
                            .await
                            .unwrap();
                        let (running, connections) = row.unwrap_or((0, 0));
                        max_seen.fetch_max(running, Ordering::Relaxed);
                        max_conns.fetch_max(connections, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(2)).await;
                    }
                })
            })
            .collect();

        // Pod i belongs to app i % instances.
        let body = |i: usize| {
            format!(
                "{{\"app\":\"app-{}\",\"namespace\":\"orders\",\"pod\":\"order-{i}\",\"pod_uid\":\"uid-{i}\",\"ip\":\"10.{}.{}.{}\"}}",
                i % instances,
                20 + i / 62_500,
                (i / 250) % 250,
                i % 250 + 1
            )
        };
        let counters = || {
            centers.iter().fold((0, 0), |(s, b), c| {
                c.instances.values().fold((s, b), |(s, b), i| (s + i.statements(), b + i.batches()))
            })
        };
        let phase = |name: &'static str, method: &'static str, paths: Vec<(String, String)>| {
            let addrs = addrs.clone();
            async move {
                let started = Instant::now();
                let tasks: Vec<_> = paths
                    .into_iter()
                    .enumerate()
                    .map(|(i, (p, b))| tokio::spawn(until_ok(addrs.clone(), i, token(i % instances), method, p, b, started)))
                    .collect();
                let mut lat = Vec::new();
                for t in tasks {
                    lat.push(t.await.unwrap());
                }
                let total = started.elapsed();
                lat.sort();
                (name, total, lat)
            }
        };
        let grants: Vec<(String, String)> = (0..pods).map(|i| ("/v1/grants".to_string(), body(i))).collect();
        let before = counters();
        let g = phase("grant (all at once)", "POST", grants.clone()).await;
        let after_grants = counters();
        let granted_max = max_seen.swap(0, Ordering::Relaxed);
        let r = phase("repeat grant, fresh connections (from the ledger)", "POST", grants).await;
        let connections = 64;
        let repeats = pods * 10;
        let started = Instant::now();
        let tasks: Vec<_> = (0..connections)
            .map(|c| {
                let requests = (0..repeats / connections)
                    .map(|k| {
                        let pod = (c + k * connections) % pods;
                        (token(pod % instances), body(pod))
                    })
                    .collect();
                tokio::spawn(keep_alive(addrs[c % addrs.len()], requests))
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let keep_alive_total = started.elapsed();
        let keep_alive_requests = repeats / connections * connections;
        let revokes: Vec<(String, String)> = (0..pods).map(|i| (format!("/v1/grants/uid-{i}"), String::new())).collect();
        max_seen.store(0, Ordering::Relaxed);
        let before_revokes = counters();
        let v = phase("revoke (all at once)", "DELETE", revokes).await;
        let after_revokes = counters();
        let revoked_max = max_seen.load(Ordering::Relaxed);
        watching.store(false, Ordering::Relaxed);
        for w in watchers {
            let _ = w.await;
        }
        let accounts: usize = dbs.iter().map(|db| db.hosts("order_rw").len() - 1).sum();

        // The databases' own cost for the same accounts, with nothing in
        // front of them: 500 accounts per statement on one connection per
        // instance, the instances at once.
        let floor = {
            let started = Instant::now();
            let shares: Vec<_> = dbs
                .iter()
                .enumerate()
                .map(|(k, db)| {
                    let opts = mysql_async::OptsBuilder::default()
                        .socket(Some(db.socket().display().to_string()))
                        .user(Some("root"));
                    let accounts: Vec<String> = (k..pods)
                        .step_by(instances)
                        .map(|i| format!("'order_rw'@'10.{}.{}.{}'", 120 + i / 62_500, (i / 250) % 250, i % 250 + 1))
                        .collect();
                    tokio::spawn(async move {
                        let mut conn = mysql_async::Conn::new(opts).await.unwrap();
                        let auth: String = conn
                            .query_first("SELECT authentication_string FROM mysql.user WHERE User = 'order_rw'")
                            .await
                            .unwrap()
                            .unwrap();
                        for chunk in accounts.chunks(500) {
                            let specs: Vec<String> = chunk
                                .iter()
                                .map(|a| format!("{a} IDENTIFIED VIA mysql_native_password USING '{auth}'"))
                                .collect();
                            conn.query_drop(format!("CREATE USER {}", specs.join(", "))).await.unwrap();
                            conn.query_drop(format!("GRANT SELECT, INSERT, UPDATE, DELETE ON `order`.* TO {}", chunk.join(", ")))
                                .await
                                .unwrap();
                        }
                        let created = Instant::now();
                        for chunk in accounts.chunks(500) {
                            conn.query_drop(format!("DROP USER {}", chunk.join(", "))).await.unwrap();
                        }
                        created
                    })
                })
                .collect();
            let mut created = started;
            for share in shares {
                created = created.max(share.await.unwrap());
            }
            (created - started, started.elapsed() - (created - started))
        };

        println!(
            "{pods} pods, {replicas} replica(s), {instances} instance(s), per-instance cap {cap} per replica, queue bound {queue_limit}; {} CPUs",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        println!();
        println!("| phase | total (s) | requests/s | p50 (ms) | p99 (ms) | statements (batches) | max concurrent statements seen by one MariaDB |");
        println!("|---|--:|--:|--:|--:|--:|--:|");
        let work = |(s0, b0): (u64, u64), (s1, b1): (u64, u64)| format!("{} ({})", s1 - s0, b1 - b0);
        for (phase, max, ran) in [
            (&g, Some(granted_max), work(before, after_grants)),
            (&r, None, "0 (0)".to_string()),
            (&v, Some(revoked_max), work(before_revokes, after_revokes)),
        ] {
            let (name, total, lat) = phase;
            println!(
                "| {name} | {:.2} | {:.0} | {:.1} | {:.1} | {ran} | {} |",
                total.as_secs_f64(),
                lat.len() as f64 / total.as_secs_f64(),
                percentile(lat, 0.5).as_secs_f64() * 1000.0,
                percentile(lat, 0.99).as_secs_f64() * 1000.0,
                max.map_or("-".to_string(), |m| m.to_string())
            );
        }
        println!(
            "| repeat grant, {connections} keep-alive connections, {keep_alive_requests} requests | {:.2} | {:.0} | - | - | 0 (0) | - |",
            keep_alive_total.as_secs_f64(),
            keep_alive_requests as f64 / keep_alive_total.as_secs_f64()
        );
        println!();
        println!(
            "MariaDB alone, the same {pods} accounts 500 per statement, one connection per instance: create + grant {:.2} s, drop {:.2} s",
            floor.0.as_secs_f64(),
            floor.1.as_secs_f64()
        );
        let mut rejected = 0u64;
        for c in &centers {
            let text = c.metrics_text().await;
            rejected += text
                .lines()
                .find_map(|l| l.strip_prefix("podready_grant_rejections_total{reason=\"queue-full\"} "))
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
        println!("answers 429 (queue full), retried: {rejected}");
        println!("accounts left after revoking all: {accounts}");
        println!("most connections of the center open at once on one instance: {}", max_conns.load(Ordering::Relaxed));
        assert!(
            granted_max as usize <= cap * replicas && revoked_max as usize <= cap * replicas,
            "the cap was exceeded"
        );
        assert_eq!(accounts, 0);
    });
}
