//! `podready upgrade --forge github` against a local HTTP server that
//! checks each request as GitHub's REST API defines it (method, path,
//! query, Authorization header, JSON body) and answers with responses shaped
//! like GitHub's, including 401, 422 and 429. No GitHub runs here.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::{git, github_api, stderr};

const TOKEN: &str = "ghp_secret_token";
const REPO: &str = "/repos/acme/order-service";

#[derive(Default)]
struct MockGitHub {
    pulls: Vec<Value>,
    comments: Vec<Value>,
    log: Vec<String>,
    fail: Option<(&'static str, u16)>,
    /// Commit → its check runs' (status, conclusion).
    checks: std::collections::HashMap<String, (&'static str, Option<&'static str>)>,
    /// The dashboard repository's issues.
    issues: Vec<Value>,
}

const DASHBOARD: &str = "/repos/acme/dashboard";

async fn handle(
    State(state): State<Arc<Mutex<MockGitHub>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut g = state.lock().unwrap();
    let path = uri.path().to_string();
    // As GitHub reads it: octocrab percent-encodes `:` and `/`.
    let query = crate::query_of(&uri);
    g.log.push(
        format!("{method} {path}?{query}")
            .trim_end_matches('?')
            .to_string(),
    );
    if let Some(status) = crate::take_failure(&mut g.fail, &method) {
        let message = match status {
            401 => "Bad credentials",
            422 => "Validation Failed",
            _ => "API rate limit exceeded",
        };
        return crate::failure_reply(
            status,
            json!({ "message": message, "documentation_url": "https://docs.github.com/rest" }),
        );
    }
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if auth != format!("Bearer {TOKEN}") {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({ "message": "Bad credentials" })),
        )
            .into_response();
    }
    let json_body = || serde_json::from_slice::<Value>(&body).unwrap();
    let ok = |v: Value| crate::reply(StatusCode::OK, v);
    if (method.as_str(), path.as_str()) == ("GET", "/user") {
        return ok(github_api::user("podready-bot"));
    }
    if let Some(tail) = path.strip_prefix(DASHBOARD) {
        return match (method.as_str(), tail) {
            ("GET", "/issues") => {
                assert_eq!(query, "state=open&per_page=100");
                ok(Value::Array(g.issues.clone()))
            }
            ("POST", "/issues") => {
                let b = json_body();
                let issue = github_api::issue("acme/dashboard", 1, &b["title"], &b["body"]);
                g.issues.push(issue.clone());
                crate::reply(StatusCode::CREATED, issue)
            }
            ("PATCH", "/issues/1") => {
                g.issues[0]["body"] = json_body()["body"].clone();
                ok(g.issues[0].clone())
            }
            _ => crate::reply(StatusCode::NOT_FOUND, json!({ "message": "Not Found" })),
        };
    }
    match (method.as_str(), path.strip_prefix(REPO).unwrap_or("")) {
        ("GET", "/pulls") => {
            assert_eq!(query, "state=open&head=acme:podready/container-ready");
            ok(Value::Array(g.pulls.clone()))
        }
        ("POST", "/pulls") => {
            let b = json_body();
            assert_eq!(b["head"], "podready/container-ready");
            assert_eq!(b["base"], "main");
            assert!(b["title"]
                .as_str()
                .unwrap()
                .starts_with("podready: container-ready upgrade"));
            assert!(b["body"]
                .as_str()
                .unwrap()
                .contains("### Dependency changes"));
            let pr = github_api::pull(
                "acme/order-service",
                12,
                &b["title"],
                &b["body"],
                "podready/container-ready",
                "main",
            );
            g.pulls.push(pr.clone());
            crate::reply(StatusCode::CREATED, pr)
        }
        ("PATCH", "/pulls/12") => {
            let b = json_body();
            assert!(b["title"].is_string() && b["body"].is_string());
            let fields: Vec<&String> = b.as_object().unwrap().keys().collect();
            assert_eq!(fields, ["body", "title"], "only what GitHub documents");
            g.pulls[0]["title"] = b["title"].clone();
            g.pulls[0]["body"] = b["body"].clone();
            ok(g.pulls[0].clone())
        }
        ("GET", "/issues/12/comments") => {
            assert_eq!(query, "per_page=100");
            ok(Value::Array(g.comments.clone()))
        }
        ("POST", "/issues/12/comments") => {
            let c = github_api::issue_comment("acme/order-service", 12, 501, &json_body()["body"]);
            g.comments.push(c.clone());
            crate::reply(StatusCode::CREATED, c)
        }
        ("PATCH", "/issues/comments/501") => {
            g.comments[0]["body"] = json_body()["body"].clone();
            ok(g.comments[0].clone())
        }
        ("GET", p) if p.starts_with("/commits/") && p.ends_with("/check-runs") => {
            let sha = &p["/commits/".len()..p.len() - "/check-runs".len()];
            let runs: Vec<Value> = g
                .checks
                .get(sha)
                .map(|(status, conclusion)| {
                    github_api::check_run("acme/order-service", sha, status, *conclusion)
                })
                .into_iter()
                .collect();
            ok(json!({ "total_count": runs.len(), "check_runs": runs }))
        }
        ("GET", p) if p.starts_with("/commits/") && p.ends_with("/status") => ok(
            json!({ "state": "pending", "sha": &p["/commits/".len()..p.len() - "/status".len()],
                "total_count": 0, "statuses": [],
                "commit_url": format!("https://api.github.com/repos/acme/order-service{p}"),
                "url": format!("https://api.github.com/repos/acme/order-service{p}") }),
        ),
        _ => crate::reply(StatusCode::NOT_FOUND, json!({ "message": "Not Found" })),
    }
}

fn upgrade(dir: &Path, url: &str, addr: SocketAddr) -> Output {
    upgrade_verified_by(dir, url, addr, "none")
}

fn upgrade_verified_by(dir: &Path, url: &str, addr: SocketAddr, verify: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podready"))
        .args([
            "upgrade",
            url,
            "--verify",
            verify,
            "--forge",
            "github",
            "--no-resolve",
        ])
        .args([
            "--github-api",
            &format!("http://{addr}"),
            "--github-repo",
            "acme/order-service",
        ])
        .env("HOME", dir)
        .env("PODREADY_CACHE", dir.join("cache"))
        .env_remove("GITLAB_TOKEN")
        .env("GITHUB_TOKEN", TOKEN)
        .output()
        .unwrap()
}

#[test]
fn one_pull_request_opened_then_updated_with_one_comment() {
    let dir = tempfile::tempdir().unwrap();
    let (work, url) = crate::forge::remote_of("legacy-order-service", dir.path());
    let (addr, gh) = crate::serve::<MockGitHub, _, _>(handle);
    let out = upgrade(dir.path(), &url, addr);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("opened merge request !12: https://github.com/acme/order-service/pull/12"),
        "{}",
        stderr(&out)
    );
    std::fs::write(work.join("CHANGELOG.md"), "next\n").unwrap();
    git(&work, &["add", "CHANGELOG.md"]);
    git(&work, &["commit", "-q", "-m", "changelog"]);
    git(&work, &["push", "-q", &url, "main"]);
    gh.lock().unwrap().log.clear();
    let out = upgrade(dir.path(), &url, addr);
    assert!(out.status.success(), "{}", stderr(&out));
    let g = gh.lock().unwrap();
    assert_eq!(
        g.log,
        [
            format!("GET {REPO}/pulls?state=open&head=acme:podready/container-ready"),
            format!("PATCH {REPO}/pulls/12"),
            format!("GET {REPO}/issues/12/comments?per_page=100"),
            format!("PATCH {REPO}/issues/comments/501"),
        ]
    );
    assert_eq!((g.pulls.len(), g.comments.len()), (1, 1));
    let body = g.pulls[0]["body"].as_str().unwrap();
    assert!(
        body.contains(&format!("[`pom.xml:18`](http://{addr}/acme/order-service/blob/podready/container-ready/pom.xml#L18)")),
        "file:line links to the branch: {body}"
    );
    assert!(g.comments[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("<!-- podready:comment -->"));
}

#[test]
fn github_errors_are_explained_and_rate_limits_waited_out() {
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = crate::forge::remote_of("legacy-order-service", dir.path());
    let (addr, gh) = crate::serve::<MockGitHub, _, _>(handle);
    gh.lock().unwrap().fail = Some(("POST", 429));
    let out = upgrade(dir.path(), &url, addr);
    assert!(out.status.success(), "429 then success: {}", stderr(&out));
    assert_eq!(gh.lock().unwrap().pulls.len(), 1);

    for (method, status, expected) in [
        ("GET", 401, "GitHub refused the token (401)"),
        (
            "POST",
            422,
            "GitHub rejected the request (422): Validation Failed",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (_work, url) = crate::forge::remote_of("legacy-order-service", dir.path());
        let (addr, gh) = crate::serve::<MockGitHub, _, _>(handle);
        gh.lock().unwrap().fail = Some((method, status));
        let out = upgrade(dir.path(), &url, addr);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.contains(expected), "{err}");
        assert!(!err.contains(TOKEN));
    }
}

#[test]
fn check_runs_are_read_as_the_verification() {
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = crate::forge::remote_of("legacy-order-service", dir.path());
    let remote = std::path::PathBuf::from(url.trim_start_matches("file://"));
    let (addr, gh) = crate::serve::<MockGitHub, _, _>(handle);
    let out = upgrade_verified_by(dir.path(), &url, addr, "ci");
    assert!(out.status.success(), "{}", stderr(&out));
    let head = git(&remote, &["rev-parse", "podready/container-ready"]);
    let base = git(&remote, &["rev-parse", "main"]);
    gh.lock()
        .unwrap()
        .checks
        .insert(head.clone(), ("completed", Some("failure")));
    gh.lock()
        .unwrap()
        .checks
        .insert(base, ("completed", Some("success")));
    let out = upgrade_verified_by(dir.path(), &url, addr, "ci");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let note = gh.lock().unwrap().comments[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        note.contains(&format!(
            "[fails](https://github.com/acme/order-service/runs/{})",
            &head[..8]
        )) && note.contains("the upgrade breaks the build"),
        "{note}"
    );
    gh.lock()
        .unwrap()
        .checks
        .insert(head, ("in_progress", None));
    upgrade_verified_by(dir.path(), &url, addr, "ci");
    let note = gh.lock().unwrap().comments[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(note.contains("is [running]"), "{note}");
}

#[test]
fn a_github_fleet_checks_its_token_and_keeps_one_dashboard_issue() {
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = crate::forge::remote_of("legacy-order-service", dir.path());
    let (addr, gh) = crate::serve::<MockGitHub, _, _>(handle);
    let fleet = dir.path().join("fleet.toml");
    std::fs::write(
        &fleet,
        format!(
            "[run]\nforge = \"github\"\ngithub_api = \"http://{addr}\"\ndashboard = \"acme/dashboard\"\nverify = \"none\"\nresolve = false\n\n[[repo]]\nurl = \"{url}\"\ngithub_repo = \"acme/order-service\"\n"
        ),
    )
    .unwrap();
    for run in 0..2 {
        let out = Command::new(env!("CARGO_BIN_EXE_podready"))
            .args(["bulk", fleet.to_str().unwrap(), "--fresh"])
            .env("HOME", dir.path())
            .env("PODREADY_CACHE", dir.path().join("cache"))
            .env("GITHUB_TOKEN", TOKEN)
            .output()
            .unwrap();
        assert!(out.status.success(), "run {run}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("fleet dashboard: https://github.com/acme/dashboard/issues/1"),
            "{}",
            stderr(&out)
        );
    }
    let g = gh.lock().unwrap();
    assert_eq!(g.issues.len(), 1, "one dashboard issue, edited in place");
    assert_eq!(g.issues[0]["title"], "podready fleet dashboard");
    assert!(g.issues[0]["body"]
        .as_str()
        .unwrap()
        .contains("1 repository, 0 failed."));
    assert_eq!(g.pulls.len(), 1);
}
