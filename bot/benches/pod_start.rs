//! The pod binary's size and start-up: `grant request` to a local grant
//! center (the full binary's `grant serve` on a private MariaDB), run many
//! times; the first grants, the rest are answered from the ledger, so the
//! figure is the binary's own start, TLS-less HTTP round trip and exit.
//! Compared with the full `podready` binary doing the same.
//!
//! `scripts/build-pod.sh && cargo build --release -p podready &&
//!  cargo bench -p podready --bench pod_start [-- RUNS]` (default 200);
//! the pod binary is `PODREADY_POD_BIN` or build-pod.sh's output path.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use podready_testkit::{free_port, MariaDb};

const TOKEN: &str = "dev-token-order-service";

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Median and 90th percentile of `runs` runs of `grant request`.
fn time_requests(binary: &Path, port: u16, runs: usize) -> (Duration, Duration) {
    let mut took: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let out = Command::new(binary)
                .args(["grant", "request"])
                .env("PODREADY_GRANT_URL", format!("http://127.0.0.1:{port}"))
                .env("PODREADY_GRANT_TOKEN", TOKEN)
                .env("PODREADY_APP", "order-service")
                .env("POD_NAMESPACE", "orders")
                .env("POD_NAME", "order-1")
                .env("POD_UID", "uid-bench")
                .env("POD_IP", "10.30.0.1")
                .stdout(Stdio::null())
                .output()
                .expect("the binary runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            started.elapsed()
        })
        .collect();
    took.sort();
    (took[runs / 2], took[runs * 9 / 10])
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let pod = std::env::var_os("PODREADY_POD_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("x86_64-unknown-linux-gnu/pod/podready-pod"));
    let full = target_dir().join("release/podready");
    for b in [&pod, &full] {
        assert!(
            b.is_file(),
            "{} is missing: build it first (see the header)",
            b.display()
        );
    }
    let db = MariaDb::start();
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/grant/example.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("grant.toml"), example).unwrap();
    let port = free_port();
    let mut center = Command::new(&full)
        .args(["grant", "serve", "--config"])
        .arg(dir.path().join("grant.toml"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .env("PODREADY_MYSQL_URL", db.admin_url())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(50));
    }
    println!("| binary | size (MB) | linked | `grant request` median (ms) | p90 (ms) |");
    println!("|---|--:|---|--:|--:|");
    for (name, binary) in [("podready-pod", &pod), ("podready (full)", &full)] {
        let size = std::fs::metadata(binary).unwrap().len() as f64 / 1e6;
        let ldd = Command::new("ldd").arg(binary).output().unwrap();
        let linked = if String::from_utf8_lossy(&ldd.stdout).contains("=>") {
            "dynamic"
        } else {
            "static"
        };
        let (median, p90) = time_requests(binary, port, runs);
        println!(
            "| {name} | {size:.1} | {linked} | {:.2} | {:.2} |",
            median.as_secs_f64() * 1000.0,
            p90.as_secs_f64() * 1000.0
        );
    }
    println!(
        "\n{runs} runs each, {} CPUs",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = center.kill();
    let _ = center.wait();
}
