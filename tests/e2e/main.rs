//! End-to-end tests: they run the built `podready` binary on the fixture
//! repositories and compare its output with what the fixtures' expectation
//! markers say (see fixtures/README.md) and with reviewed snapshots.

mod bulk;
mod cache;
mod check;
mod check_mr;
mod cli;
mod deploy;
mod docs;
mod fix;
mod fix_classpath;
mod forge;
mod forge_github;
mod formats;
mod gate;
mod github_api;
mod grant;
mod pod;
mod release;
mod root;
mod upgrade;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

/// The `path` of every finding in `check --format json` output.
pub fn finding_paths(v: &serde_json::Value) -> Vec<&str> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect()
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

pub fn podready(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        // Every run goes through one cache the tests share, never the
        // user's: results must be the same whatever it holds.
        .env(
            "PODREADY_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("result-cache"),
        )
        .output()
        .expect("the podready binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs git as a developer (not the bot) and returns its trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dev")
        .env("GIT_AUTHOR_EMAIL", "dev@acme.test")
        .env("GIT_COMMITTER_NAME", "Dev")
        .env("GIT_COMMITTER_EMAIL", "dev@acme.test")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `fixture` copied to `dest` and committed on `main`: a developer's
/// repository.
pub fn committed_fixture(fixture: &str, dest: &Path) -> PathBuf {
    podready_testkit::copy_dir(&fixtures().join(fixture), dest);
    git(dest, &["init", "-q", "-b", "main"]);
    git(dest, &["add", "-A"]);
    git(dest, &["commit", "-q", "-m", "the app"]);
    dest.to_path_buf()
}

/// Serves `handler` for every request on a free local port, in a thread of
/// its own, with a fresh `S` as the state it shares with the test: the
/// stand-in for a forge's API.
pub fn serve<S, H, T>(handler: H) -> (std::net::SocketAddr, Arc<Mutex<S>>)
where
    S: Default + Send + 'static,
    H: axum::handler::Handler<T, Arc<Mutex<S>>>,
    T: 'static,
{
    let state = Arc::new(Mutex::new(S::default()));
    let app = axum::Router::new()
        .fallback(handler)
        .with_state(state.clone());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a free port");
            tx.send(listener.local_addr().expect("an address"))
                .expect("the test waits");
            axum::serve(listener, app)
                .await
                .expect("the stand-in serves");
        });
    });
    (rx.recv().expect("the stand-in starts"), state)
}

/// How a stand-in logs a request: `GET /path?query`.
pub fn request_line(method: &axum::http::Method, uri: &axum::http::Uri) -> String {
    match uri.query().filter(|q| !q.is_empty()) {
        Some(query) => format!("{method} {}?{query}", uri.path()),
        None => format!("{method} {}", uri.path()),
    }
}

/// A request's query, percent-decoded as a server reads it
/// (`head=acme%3Apodready%2Fx` is `head=acme:podready/x`).
pub fn query_of(uri: &axum::http::Uri) -> String {
    form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A failure a test injects into a stand-in, `(method, status)`: taken by
/// the first request of that method, which is answered with the status.
pub fn take_failure(
    fail: &mut Option<(&'static str, u16)>,
    method: &axum::http::Method,
) -> Option<u16> {
    fail.take_if(|(m, _)| *m == method.as_str())
        .map(|(_, status)| status)
}

/// The answer to an injected failure: `status`, `Retry-After: 1`, `body`.
pub fn failure_reply(status: u16, body: serde_json::Value) -> axum::response::Response {
    let status = axum::http::StatusCode::from_u16(status).expect("a test injects a valid status");
    axum::response::IntoResponse::into_response((status, [("retry-after", "1")], axum::Json(body)))
}

/// A JSON response, as the forges send them.
pub fn reply(status: axum::http::StatusCode, body: serde_json::Value) -> axum::response::Response {
    axum::response::IntoResponse::into_response((status, axum::Json(body)))
}
