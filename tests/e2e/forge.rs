//! `podready upgrade --forge gitlab` against a local HTTP server that
//! checks each request as GitLab's REST API (v4) defines it — method, path,
//! query, headers, JSON body — and answers with responses shaped like the
//! documented ones, including 401, 422 and 429 with Retry-After. No GitLab
//! can run here; this server stands in for it.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::{git, stderr};

const TOKEN: &str = "glpat-secret-token";
const PROJECT: &str = "/api/v4/projects/pay%2Forder-service";

#[derive(Default)]
struct MockGitLab {
    mrs: Vec<Value>,
    notes: Vec<Value>,
    log: Vec<String>,
    /// Answer the first request of this method with this status (and
    /// Retry-After: 1).
    fail: Option<(&'static str, u16)>,
    /// Commit → its newest pipeline's status.
    pipelines: std::collections::HashMap<String, &'static str>,
}

async fn handle(
    State(state): State<Arc<Mutex<MockGitLab>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut g = state.lock().unwrap();
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    g.log.push(crate::request_line(&method, &uri));
    if let Some(status) = crate::take_failure(&mut g.fail, &method) {
        let message = match status {
            401 => "401 Unauthorized",
            422 => "Validation failed",
            _ => "Retry later",
        };
        return crate::failure_reply(status, json!({ "message": message }));
    }
    if headers.get("private-token").and_then(|v| v.to_str().ok()) != Some(TOKEN) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({ "message": "401 Unauthorized" })),
        )
            .into_response();
    }
    let json_body = || -> Value {
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(
            content_type.split(';').next().map(str::trim),
            Some("application/json"),
            "{method} {path} sends JSON"
        );
        serde_json::from_slice(&body).unwrap()
    };
    let ok = |v: Value| crate::reply(StatusCode::OK, v);
    let mrs = format!("{PROJECT}/merge_requests");
    match (method.as_str(), path.as_str()) {
        ("GET", p) if p == mrs => {
            assert_eq!(
                query,
                "state=opened&source_branch=podready%2Fcontainer-ready"
            );
            ok(Value::Array(g.mrs.clone()))
        }
        ("POST", p) if p == mrs => {
            let b = json_body();
            assert_eq!(b["source_branch"], "podready/container-ready");
            assert_eq!(b["target_branch"], "main");
            assert!(b["title"]
                .as_str()
                .unwrap()
                .starts_with("podready: container-ready upgrade"));
            assert!(b["description"]
                .as_str()
                .unwrap()
                .contains("### Dependency changes"));
            assert_eq!(b["remove_source_branch"], true);
            if !g.mrs.is_empty() {
                return (StatusCode::CONFLICT, axum::Json(json!({ "message": ["Another open merge request already exists for this source branch: !7"] }))).into_response();
            }
            let mr = json!({ "id": 1007, "iid": 7, "state": "opened", "title": b["title"], "description": b["description"],
                "source_branch": b["source_branch"], "target_branch": b["target_branch"],
                "web_url": "https://gitlab.acme/pay/order-service/-/merge_requests/7" });
            g.mrs.push(mr.clone());
            crate::reply(StatusCode::CREATED, mr)
        }
        ("PUT", p) if p == format!("{mrs}/7") => {
            let b = json_body();
            assert!(b["title"].is_string() && b["description"].is_string());
            g.mrs[0]["title"] = b["title"].clone();
            g.mrs[0]["description"] = b["description"].clone();
            ok(g.mrs[0].clone())
        }
        ("GET", p) if p == format!("{mrs}/7/notes") => {
            assert_eq!(query, "per_page=100&sort=asc");
            ok(Value::Array(g.notes.clone()))
        }
        ("POST", p) if p == format!("{mrs}/7/notes") => {
            let b = json_body();
            let note =
                json!({ "id": 99, "body": b["body"], "author": { "username": "podready-bot" } });
            g.notes.push(note.clone());
            crate::reply(StatusCode::CREATED, note)
        }
        ("PUT", p) if p == format!("{mrs}/7/notes/99") => {
            let b = json_body();
            g.notes[0]["body"] = b["body"].clone();
            ok(g.notes[0].clone())
        }
        ("GET", p) if p == format!("{PROJECT}/pipelines") => {
            // GET /projects/:id/pipelines?sha=…&order_by=id&sort=desc&per_page=1
            let sha = query
                .strip_prefix("sha=")
                .and_then(|q| q.strip_suffix("&order_by=id&sort=desc&per_page=1"))
                .unwrap_or_else(|| panic!("pipelines query {query}"));
            ok(match g.pipelines.get(sha) {
                Some(status) => {
                    json!([{ "id": 42, "sha": sha, "ref": "podready/container-ready", "status": status,
                    "web_url": format!("https://gitlab.acme/pay/order-service/-/pipelines/{}", &sha[..8]) }])
                }
                None => json!([]),
            })
        }
        _ => crate::reply(StatusCode::NOT_FOUND, json!({ "message": "404 Not Found" })),
    }
}

/// A developer's repository and its bare remote (the forge's copy).
pub fn remote_of(fixture: &str, dir: &Path) -> (std::path::PathBuf, String) {
    let work = crate::committed_fixture(fixture, &dir.join("work"));
    let remote = dir.join("remote.git");
    git(
        dir,
        &[
            "clone",
            "-q",
            "--bare",
            work.to_str().unwrap(),
            remote.to_str().unwrap(),
        ],
    );
    (work, format!("file://{}", remote.display()))
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
            "gitlab",
            "--no-resolve",
        ])
        .args([
            "--gitlab-url",
            &format!("http://{addr}"),
            "--gitlab-project",
            "pay/order-service",
        ])
        .env("HOME", dir)
        .env("PODREADY_CACHE", dir.join("cache"))
        .env("GITLAB_TOKEN", TOKEN)
        .output()
        .unwrap()
}

#[test]
fn one_merge_request_opened_then_updated_with_one_note() {
    let dir = tempfile::tempdir().unwrap();
    let (work, url) = remote_of("legacy-order-service", dir.path());
    let (addr, gl) = crate::serve::<MockGitLab, _, _>(handle);
    let out = upgrade(dir.path(), &url, addr);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("opened merge request !7"),
        "{}",
        stderr(&out)
    );
    {
        let g = gl.lock().unwrap();
        assert_eq!(
            g.log,
            [
                format!("GET {PROJECT}/merge_requests?state=opened&source_branch=podready%2Fcontainer-ready"),
                format!("POST {PROJECT}/merge_requests"),
                format!("GET {PROJECT}/merge_requests/7/notes?per_page=100&sort=asc"),
                format!("POST {PROJECT}/merge_requests/7/notes"),
            ]
        );
        assert!(g.notes[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("<!-- podready:comment -->"));
    }
    // The default branch moves; the re-run updates the same MR and note.
    std::fs::write(work.join("CHANGELOG.md"), "next\n").unwrap();
    git(&work, &["add", "CHANGELOG.md"]);
    git(&work, &["commit", "-q", "-m", "changelog"]);
    git(&work, &["push", "-q", &url, "main"]);
    gl.lock().unwrap().log.clear();
    let out = upgrade(dir.path(), &url, addr);
    assert!(out.status.success(), "{}", stderr(&out));
    let g = gl.lock().unwrap();
    assert_eq!(
        g.log,
        [
            format!("GET {PROJECT}/merge_requests?state=opened&source_branch=podready%2Fcontainer-ready"),
            format!("PUT {PROJECT}/merge_requests/7"),
            format!("GET {PROJECT}/merge_requests/7/notes?per_page=100&sort=asc"),
            format!("PUT {PROJECT}/merge_requests/7/notes/99"),
        ]
    );
    assert_eq!((g.mrs.len(), g.notes.len()), (1, 1), "never a duplicate");
    let description = g.mrs[0]["description"].as_str().unwrap();
    assert!(
        description.contains("[`pom.xml:18`](http://")
            && description
                .contains("/pay/order-service/-/blob/podready/container-ready/pom.xml#L18)"),
        "file:line links to the branch: {description}"
    );
    let all = format!("{}{}", g.mrs[0], g.notes[0]);
    assert!(!all.contains(TOKEN), "no token in merge request text");
}

#[test]
fn a_persons_push_is_said_in_the_note_and_stops_updates() {
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = remote_of("legacy-order-service", dir.path());
    let (addr, gl) = crate::serve::<MockGitLab, _, _>(handle);
    assert!(upgrade(dir.path(), &url, addr).status.success());
    // A reviewer pushes to the bot's branch.
    let clone = dir.path().join("reviewer");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "-b",
            "podready/container-ready",
            &url,
            clone.to_str().unwrap(),
        ],
    );
    std::fs::write(clone.join("REVIEW.md"), "ok\n").unwrap();
    git(&clone, &["add", "REVIEW.md"]);
    git(&clone, &["commit", "-q", "-m", "review"]);
    git(
        &clone,
        &["push", "-q", "origin", "podready/container-ready"],
    );
    let out = upgrade(dir.path(), &url, addr);
    assert_eq!(out.status.code(), Some(1));
    let g = gl.lock().unwrap();
    assert!(g.notes[0]["body"]
        .as_str()
        .unwrap()
        .contains("has a commit by Dev <dev@acme.test>"));
    assert_eq!(
        g.log.last().unwrap(),
        &format!("PUT {PROJECT}/merge_requests/7/notes/99")
    );
    assert_eq!(g.mrs.len(), 1);
}

#[test]
fn forge_errors_are_explained_and_rate_limits_waited_out() {
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = remote_of("legacy-order-service", dir.path());
    let (addr, gl) = crate::serve::<MockGitLab, _, _>(handle);
    gl.lock().unwrap().fail = Some(("POST", 429));
    let out = upgrade(dir.path(), &url, addr);
    assert!(out.status.success(), "429 then success: {}", stderr(&out));
    assert_eq!(gl.lock().unwrap().mrs.len(), 1);

    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = remote_of("legacy-order-service", dir.path());
    let (addr, gl) = crate::serve::<MockGitLab, _, _>(handle);
    gl.lock().unwrap().fail = Some(("GET", 401));
    let out = upgrade(dir.path(), &url, addr);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("GitLab refused the token (401)"), "{err}");
    assert!(!err.contains(TOKEN));

    // 409 on the create (another merge request appeared meanwhile).
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = remote_of("legacy-order-service", dir.path());
    let (addr, gl) = crate::serve::<MockGitLab, _, _>(handle);
    gl.lock().unwrap().fail = Some(("POST", 409));
    let out = upgrade(dir.path(), &url, addr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("GitLab reports a conflict (409)"),
        "{}",
        stderr(&out)
    );

    // A project the token cannot see.
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = remote_of("legacy-order-service", dir.path());
    let (addr, _gl) = crate::serve::<MockGitLab, _, _>(handle);
    let out = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args([
            "upgrade",
            &url,
            "--verify",
            "none",
            "--forge",
            "gitlab",
            "--no-resolve",
        ])
        .args([
            "--gitlab-url",
            &format!("http://{addr}"),
            "--gitlab-project",
            "pay/elsewhere",
        ])
        .env("HOME", dir.path())
        .env("PODREADY_CACHE", dir.path().join("cache"))
        .env("GITLAB_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("GitLab has no project `pay/elsewhere` this token can see (404)"),
        "{}",
        stderr(&out)
    );

    // 422 on the create: the answer's message is passed on.
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = remote_of("legacy-order-service", dir.path());
    let (addr, gl) = crate::serve::<MockGitLab, _, _>(handle);
    gl.lock().unwrap().fail = Some(("POST", 422));
    let out = upgrade(dir.path(), &url, addr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("GitLab rejected the request (422): Validation failed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verification_on_the_forges_ci_is_read_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = remote_of("legacy-order-service", dir.path());
    let remote = std::path::PathBuf::from(url.trim_start_matches("file://"));
    let (addr, gl) = crate::serve::<MockGitLab, _, _>(handle);
    let note = |gl: &std::sync::Arc<std::sync::Mutex<MockGitLab>>| {
        gl.lock().unwrap().notes[0]["body"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Pushed: no pipeline of the branch yet.
    let out = upgrade_verified_by(dir.path(), &url, addr, "ci");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        note(&gl).contains("has not started a run of this branch yet"),
        "{}",
        note(&gl)
    );
    let head = git(&remote, &["rev-parse", "podready/container-ready"]);
    let base = git(&remote, &["rev-parse", "main"]);
    // The branch's pipeline fails where main's passes: the upgrade's.
    gl.lock().unwrap().pipelines.insert(head.clone(), "failed");
    gl.lock().unwrap().pipelines.insert(base.clone(), "success");
    let out = upgrade_verified_by(dir.path(), &url, addr, "ci");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = note(&gl);
    assert!(
        text.contains(&format!(
            "[fails](https://gitlab.acme/pay/order-service/-/pipelines/{})",
            &head[..8]
        )),
        "{text}"
    );
    assert!(text.contains("the upgrade breaks the build"), "{text}");
    assert!(gl.lock().unwrap().mrs[0]["title"]
        .as_str()
        .unwrap()
        .ends_with("[build failing]"));
    // main fails too: not the upgrade's failure.
    gl.lock().unwrap().pipelines.insert(base, "failed");
    let out = upgrade_verified_by(dir.path(), &url, addr, "ci");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(note(&gl).contains("fails on `main` too"), "{}", note(&gl));
    // Running, then passed.
    gl.lock().unwrap().pipelines.insert(head.clone(), "running");
    upgrade_verified_by(dir.path(), &url, addr, "ci");
    assert!(note(&gl).contains("is [running]"), "{}", note(&gl));
    gl.lock().unwrap().pipelines.insert(head, "success");
    let out = upgrade_verified_by(dir.path(), &url, addr, "ci");
    assert!(out.status.success());
    assert!(
        note(&gl).contains("The repository's CI [passes]"),
        "{}",
        note(&gl)
    );
    assert_eq!(
        gl.lock().unwrap().mrs.len(),
        1,
        "one merge request throughout"
    );
}

#[test]
fn ci_verification_needs_a_forge() {
    let dir = tempfile::tempdir().unwrap();
    let (_work, url) = remote_of("legacy-order-service", dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args([
            "upgrade",
            &url,
            "--verify",
            "ci",
            "--forge",
            "none",
            "--no-resolve",
        ])
        .env("HOME", dir.path())
        .env("PODREADY_CACHE", dir.path().join("cache"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("configure a forge"),
        "{}",
        stderr(&out)
    );
}
