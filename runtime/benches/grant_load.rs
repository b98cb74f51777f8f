//! Load benchmark of the grant center against a private MariaDB: N distinct
//! pods grant at once (default 3,000), then repeat their requests, then
//! revoke. Reports total time, p50/p99 latency, the most statements the
//! database saw running at once (from its process list), and throughput.
//!
//! `cargo bench -p podready-runtime --bench grant_load [-- PODS CAP]`

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysql_async::prelude::Queryable;
use podready_runtime::grant::audit::Audit;
use podready_runtime::grant::auth::{token_hash, TokenAuthenticator};
use podready_runtime::grant::config::GrantConfig;
use podready_runtime::grant::db::Instance;
use podready_runtime::grant::ledger::Ledger;
use podready_runtime::grant::server::{router, AppState};
use podready_runtime::grant::service::GrantCenter;
use podready_testkit::MariaDb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "bench-token";

/// One HTTP/1.1 request on a fresh connection: the status code.
async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> Option<(u16, u64)> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: grant\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
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

/// Sends until 200 (a pod's client retries on 429/503); the latency.
async fn until_ok(
    addr: std::net::SocketAddr,
    method: &str,
    path: String,
    body: String,
    seed: u64,
) -> Duration {
    let started = Instant::now();
    let mut attempt = 0u32;
    let mut x = seed | 1;
    loop {
        attempt += 1;
        match http(addr, method, &path, &body).await {
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
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg_path = dir.path().join("grant.toml");
    std::fs::write(
        &cfg_path,
        format!(
            "queue_limit = 200\nstatement_timeout_seconds = 30\n[[instances]]\nname = \"main\"\nadmin_url_env = \"X\"\nmax_concurrent = {cap}\n[[apps]]\nname = \"order-service\"\ntoken_sha256 = \"{}\"\n[[apps.databases]]\ninstance = \"main\"\nuser = \"order_rw\"\nschemas = [\"order\"]\nprivileges = [\"SELECT\", \"INSERT\", \"UPDATE\", \"DELETE\"]\n",
            token_hash(TOKEN)
        ),
    )
    .unwrap();
    let config = GrantConfig::load(&cfg_path).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut instances = HashMap::new();
        instances.insert(
            "main".to_string(),
            Instance::new("main", &db.admin_url(), cap, config.queue_limit, Duration::from_secs(30)).unwrap(),
        );
        let apps: BTreeMap<String, String> = [("order-service".to_string(), token_hash(TOKEN))].into();
        let ledger = Ledger::open(&config.ledger).unwrap();
        let audit = Audit::open(&config.audit_log).unwrap();
        let center = Arc::new(GrantCenter::new(config, ledger, instances, audit));
        let state = Arc::new(AppState {
            center: center.clone(),
            auth: TokenAuthenticator::new(&apps, &[]),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router(state)).await });

        // Watch the database's own process list for the center's statements
        // (and, apart, its connections in any state).
        let max_seen = Arc::new(AtomicU64::new(0));
        let max_conns = Arc::new(AtomicU64::new(0));
        let watching = Arc::new(AtomicBool::new(true));
        let watcher = {
            let opts = mysql_async::OptsBuilder::default()
                .socket(Some(db.socket().display().to_string()))
                .user(Some("root"));
            let (max_seen, max_conns, watching) = (max_seen.clone(), max_conns.clone(), watching.clone());
            tokio::spawn(async move {
                let mut conn = mysql_async::Conn::new(opts).await.unwrap();
                while watching.load(Ordering::Relaxed) {
                    let row: Option<(u64, u64)> = conn
                        .query_first("SELECT COALESCE(SUM(COMMAND = 'Query'), 0), COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'podready_admin'")
                        .await
                        .unwrap();
                    let (running, connections) = row.unwrap_or((0, 0));
                    max_seen.fetch_max(running, Ordering::Relaxed);
                    max_conns.fetch_max(connections, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            })
        };

        let body = |i: usize| {
            format!(
                "{{\"app\":\"order-service\",\"namespace\":\"orders\",\"pod\":\"order-{i}\",\"pod_uid\":\"uid-{i}\",\"ip\":\"10.{}.{}.{}\"}}",
                20 + i / 62_500,
                (i / 250) % 250,
                i % 250 + 1
            )
        };
        let phase = |name: &'static str, method: &'static str, paths: Vec<(String, String)>| {
            async move {
                let started = Instant::now();
                let tasks: Vec<_> = paths
                    .into_iter()
                    .enumerate()
                    .map(|(i, (p, b))| tokio::spawn(until_ok(addr, method, p, b, i as u64 * 7919 + 1)))
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
        let g = phase("grant (all at once)", "POST", grants.clone()).await;
        let granted_max = max_seen.swap(0, Ordering::Relaxed);
        let r = phase("repeat grant (answered from the ledger)", "POST", grants).await;
        let revokes: Vec<(String, String)> = (0..pods).map(|i| (format!("/v1/grants/uid-{i}"), String::new())).collect();
        max_seen.store(0, Ordering::Relaxed);
        let v = phase("revoke (all at once)", "DELETE", revokes).await;
        let revoked_max = max_seen.load(Ordering::Relaxed);
        watching.store(false, Ordering::Relaxed);
        let _ = watcher.await;

        let accounts = db.hosts("order_rw").len() - 1;
        println!("{pods} pods, per-instance cap {cap}, queue bound 200; {} CPUs", std::thread::available_parallelism().map_or(0, |n| n.get()));
        println!();
        println!("| phase | total (s) | requests/s | p50 (ms) | p99 (ms) | max concurrent statements seen by MariaDB |");
        println!("|---|--:|--:|--:|--:|--:|");
        for (phase, max) in [(&g, Some(granted_max)), (&r, None), (&v, Some(revoked_max))] {
            let (name, total, lat) = phase;
            println!(
                "| {name} | {:.2} | {:.0} | {:.1} | {:.1} | {} |",
                total.as_secs_f64(),
                lat.len() as f64 / total.as_secs_f64(),
                percentile(lat, 0.5).as_secs_f64() * 1000.0,
                percentile(lat, 0.99).as_secs_f64() * 1000.0,
                max.map_or("-".to_string(), |m| m.to_string())
            );
        }
        let text = center.metrics_text();
        let rejected = text
            .lines()
            .find(|l| l.starts_with("podready_grant_rejections_total{reason=\"queue-full\"}"))
            .unwrap_or("queue-full rejections: 0");
        println!();
        println!("{rejected}");
        println!("accounts left after revoking all: {accounts}");
        println!("most connections of the center open at once: {}", max_conns.load(Ordering::Relaxed));
        assert!(granted_max as usize <= cap && revoked_max as usize <= cap, "the cap was exceeded");
        assert_eq!(accounts, 0);
    });
}
