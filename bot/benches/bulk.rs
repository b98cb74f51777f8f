//! Bulk throughput: `podready bulk` over N generated repositories (bare
//! remotes over `file://`, made from the legacy fixture). Reports
//! repositories per minute and the peak memory of the run.
//!
//! `cargo bench -p podready --bench bulk [-- N CONCURRENCY [ci]]` (default
//! 1000, 2): verification off and no forge; with `ci`, `verify = "ci"`
//! against a local stand-in for GitLab's API whose pipelines finish
//! `PIPELINE_SECONDS` after they are first asked about, and `--wait`.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::IntoResponse;
use serde_json::{json, Value};

/// How long a stand-in pipeline runs.
const PIPELINE_SECONDS: u64 = 20;

/// What the stand-in remembers: merge requests by project, when each
/// pipeline was first asked about.
#[derive(Default)]
struct Forge {
    mrs: HashMap<String, Value>,
    pipelines: HashMap<String, Instant>,
}

/// GitLab's API as far as a bulk run with `verify = "ci"` uses it.
async fn gitlab(
    State(forge): State<Arc<Mutex<Forge>>>,
    method: Method,
    uri: Uri,
) -> axum::response::Response {
    let path = uri.path();
    let ok = |v: Value| (StatusCode::OK, axum::Json(v)).into_response();
    if path == "/api/v4/user" {
        return ok(json!({ "id": 1, "username": "podready-bot" }));
    }
    let rest = path.strip_prefix("/api/v4/projects/").unwrap_or("");
    let (project, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let mut f = forge.lock().unwrap_or_else(|p| p.into_inner());
    match (method.as_str(), tail) {
        ("GET", "merge_requests") => ok(json!(f.mrs.get(project).into_iter().collect::<Vec<_>>())),
        ("POST", "merge_requests") => {
            let mr = json!({ "iid": 1, "web_url": format!("https://gitlab.acme/{project}/-/merge_requests/1") });
            f.mrs.insert(project.to_string(), mr.clone());
            (StatusCode::CREATED, axum::Json(mr)).into_response()
        }
        ("PUT", "merge_requests/1") => ok(json!({ "iid": 1 })),
        ("GET", "merge_requests/1/notes") => ok(json!([])),
        ("POST", "merge_requests/1/notes") => {
            (StatusCode::CREATED, axum::Json(json!({ "id": 5 }))).into_response()
        }
        ("GET", "pipelines") => {
            let sha = uri
                .query()
                .and_then(|q| q.strip_prefix("sha="))
                .and_then(|q| q.split('&').next())
                .unwrap_or("")
                .to_string();
            let started = *f.pipelines.entry(sha.clone()).or_insert_with(Instant::now);
            let status = if started.elapsed() < Duration::from_secs(PIPELINE_SECONDS) {
                "running"
            } else {
                "success"
            };
            ok(
                json!([{ "id": 1, "sha": sha, "status": status, "web_url": format!("https://gitlab.acme/{project}/-/pipelines/1") }]),
            )
        }
        _ => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "message": "404 Not Found" })),
        )
            .into_response(),
    }
}

/// Serves the stand-in on a free local port, in a thread of its own.
fn serve_gitlab() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let app = axum::Router::new()
                .fallback(gitlab)
                .with_state(Arc::new(Mutex::new(Forge::default())));
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    addr
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dev")
        .env("GIT_AUTHOR_EMAIL", "dev@acme.test")
        .env("GIT_COMMITTER_NAME", "Dev")
        .env("GIT_COMMITTER_EMAIL", "dev@acme.test")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "git {args:?}");
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(1000);
    let concurrency = args.get(1).copied().unwrap_or(2);
    let ci = std::env::args().any(|a| a == "ci");
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/legacy-order-service");
    let template = dir.path().join("template");
    podready_testkit::copy_dir(&fixture, &template);
    git(&template, &["init", "-q", "-b", "main"]);
    git(&template, &["add", "-A"]);
    git(&template, &["commit", "-q", "-m", "app"]);
    let mut fleet = if ci {
        format!(
            "[run]\nconcurrency = {concurrency}\nverify = \"ci\"\nresolve = false\nforge = \"gitlab\"\ngitlab_url = \"http://{}\"\napi_requests_per_minute = 1000000\nci_poll_seconds = 5\n\n",
            serve_gitlab()
        )
    } else {
        format!("[run]\nconcurrency = {concurrency}\nverify = \"none\"\nresolve = false\nforge = \"none\"\n\n")
    };
    let generated = Instant::now();
    for i in 0..n {
        let bare = dir.path().join(format!("remotes/app-{i}.git"));
        git(
            dir.path(),
            &[
                "clone",
                "-q",
                "--bare",
                template.to_str().unwrap(),
                bare.to_str().unwrap(),
            ],
        );
        fleet.push_str(&format!(
            "[[repo]]\nurl = \"file://{}\"\ngitlab_project = \"fleet/app-{i}\"\n\n",
            bare.display()
        ));
    }
    let fleet_file = dir.path().join("fleet.toml");
    std::fs::write(&fleet_file, fleet).unwrap();
    eprintln!(
        "generated {n} repositories in {:.1} s",
        generated.elapsed().as_secs_f64()
    );

    let bin = env!("CARGO_BIN_EXE_podready");
    let time = Path::new("/usr/bin/time");
    let started = Instant::now();
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(["bulk", fleet_file.to_str().unwrap()])
        .env("HOME", dir.path())
        .env("PODREADY_CACHE", dir.path().join("cache"));
    if ci {
        cmd.arg("--wait").env("GITLAB_TOKEN", "bench-token");
    } else {
        cmd.env_remove("GITLAB_TOKEN");
    }
    let out = cmd.output().unwrap();
    let secs = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains(&format!("{n} repositories, 0 failed.")),
        "{stdout}\n{stderr}"
    );
    let peak = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<u64>().ok())
        .map(|kb| format!("{:.0} MiB", kb as f64 / 1024.0))
        .unwrap_or_else(|| "unknown (install Debian's `time`)".into());
    if ci {
        let passed = stdout.matches("| ci: passed |").count();
        assert_eq!(passed, n, "every pipeline read as passed:\n{stderr}");
    }
    let mode = if ci {
        format!("verify = \"ci\" with --wait (pipelines run {PIPELINE_SECONDS} s)")
    } else {
        "verification off".into()
    };
    println!(
        "{n} repositories, concurrency {concurrency}, {mode}: {secs:.1} s, {:.0} repositories/minute, peak RSS {peak}",
        n as f64 / secs * 60.0
    );
}
