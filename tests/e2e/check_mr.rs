//! `podready check --report mr` in a GitLab merge-request pipeline, against
//! a local server that checks the notes and discussions requests as GitLab's
//! REST API defines them.

use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use crate::{fixtures, git, stderr};

const MR: &str = "/api/v4/projects/42/merge_requests/5";

#[derive(Default)]
struct Mock {
    notes: Vec<Value>,
    discussions: Vec<Value>,
    log: Vec<String>,
}

async fn handle(
    State(s): State<Arc<Mutex<Mock>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut m = s.lock().unwrap();
    let path = uri.path().to_string();
    m.log.push(format!("{method} {path}"));
    assert_eq!(
        headers.get("private-token").and_then(|v| v.to_str().ok()),
        Some("ci-token")
    );
    let ok = |v: Value| crate::reply(StatusCode::OK, v);
    let json_body = || serde_json::from_slice::<Value>(&body).unwrap();
    match (method.as_str(), path.strip_prefix(MR).unwrap_or("")) {
        ("GET", "/notes") => ok(Value::Array(m.notes.clone())),
        ("POST", "/notes") => {
            let note = json!({ "id": 11, "body": json_body()["body"] });
            m.notes.push(note.clone());
            crate::reply(StatusCode::CREATED, note)
        }
        ("PUT", "/notes/11") => {
            m.notes[0]["body"] = json_body()["body"].clone();
            ok(m.notes[0].clone())
        }
        ("GET", "/discussions") => {
            assert_eq!(uri.query(), Some("per_page=100"));
            ok(Value::Array(m.discussions.clone()))
        }
        ("POST", "/discussions") => {
            let b = json_body();
            let p = &b["position"];
            assert_eq!(p["position_type"], "text");
            assert!(p["base_sha"].is_string() && p["head_sha"].is_string());
            assert_eq!(p["start_sha"], p["base_sha"]);
            let d =
                json!({ "id": "d1", "notes": [{ "id": 21, "body": b["body"], "position": p }] });
            m.discussions.push(d.clone());
            crate::reply(StatusCode::CREATED, d)
        }
        _ => crate::reply(StatusCode::NOT_FOUND, json!({ "message": "404 Not Found" })),
    }
}

#[test]
fn findings_on_changed_lines_are_commented_once() {
    let dir = tempfile::tempdir().unwrap();
    let repo = crate::committed_fixture("legacy-order-service", &dir.path().join("repo"));
    let base = git(&repo, &["rev-parse", "HEAD"]);
    let file = "src/main/java/com/acme/order/service/impl/OrderServiceImpl.java";
    let text = std::fs::read_to_string(repo.join(file)).unwrap();
    let marker = "public class OrderServiceImpl";
    let pos = text.find(marker).unwrap();
    let line_end = pos + text[pos..].find('\n').unwrap() + 1;
    let changed = format!(
        "{}    private static final String CACHE = \"10.9.8.7\";\n{}",
        &text[..line_end],
        &text[line_end..]
    );
    let new_line = changed[..line_end].matches('\n').count() + 1;
    std::fs::write(repo.join(file), changed).unwrap();
    git(&repo, &["commit", "-q", "-am", "cache"]);
    let head = git(&repo, &["rev-parse", "HEAD"]);

    let (addr, state) = crate::serve::<Mock, _, _>(handle);
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_podready"))
            .args(["check", ".", "--format", "json", "--report", "mr"])
            .current_dir(&repo)
            .env("CI_API_V4_URL", format!("http://{addr}/api/v4"))
            .env("CI_PROJECT_ID", "42")
            .env("CI_MERGE_REQUEST_IID", "5")
            .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", &base)
            .env("CI_COMMIT_SHA", &head)
            .env("GITLAB_TOKEN", "ci-token")
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("merge request !5: 1 finding on changed lines, 1 new line comment"),
        "{}",
        stderr(&out)
    );
    {
        let m = state.lock().unwrap();
        assert!(m.notes[0]["body"]
            .as_str()
            .unwrap()
            .contains("1 finding on lines this merge request changes"));
        let p = &m.discussions[0]["notes"][0]["position"];
        assert_eq!(p["new_path"], file);
        assert_eq!(p["new_line"], new_line);
        assert_eq!(p["base_sha"], base.as_str());
        assert_eq!(p["head_sha"], head.as_str());
    }
    // The next pipeline edits the note and posts no second discussion.
    let out = run();
    assert!(
        stderr(&out).contains("0 new line comments"),
        "{}",
        stderr(&out)
    );
    let m = state.lock().unwrap();
    assert_eq!((m.notes.len(), m.discussions.len()), (1, 1));
    assert!(m.log.contains(&format!("PUT {MR}/notes/11")));
}

#[test]
fn outside_a_merge_request_pipeline_the_report_says_what_is_missing() {
    let out = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(["check", ".", "--report", "mr"])
        .current_dir(fixtures().join("clean-service"))
        .env_remove("CI_API_V4_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "--report mr runs in a GitLab merge-request pipeline; CI_API_V4_URL is not set"
        ),
        "{}",
        stderr(&out)
    );
}

#[derive(Default)]
struct GhMock {
    comments: Vec<Value>,
    review: Vec<Value>,
}

async fn gh_handle(
    State(s): State<Arc<Mutex<GhMock>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut m = s.lock().unwrap();
    assert_eq!(
        headers.get("authorization").and_then(|v| v.to_str().ok()),
        Some("Bearer gh-ci-token")
    );
    let ok = |v: Value| crate::reply(StatusCode::OK, v);
    let b = || serde_json::from_slice::<Value>(&body).unwrap();
    match (method.as_str(), uri.path(), uri.query().unwrap_or("")) {
        ("GET", "/repos/acme/orders/issues/3/comments", "per_page=100") => {
            ok(Value::Array(m.comments.clone()))
        }
        ("POST", "/repos/acme/orders/issues/3/comments", _) => {
            let c = crate::github_api::issue_comment("acme/orders", 3, 70, &b()["body"]);
            m.comments.push(c.clone());
            crate::reply(StatusCode::CREATED, c)
        }
        ("PATCH", "/repos/acme/orders/issues/comments/70", _) => {
            m.comments[0]["body"] = b()["body"].clone();
            ok(m.comments[0].clone())
        }
        ("GET", "/repos/acme/orders/pulls/3/comments", "per_page=100") => {
            ok(Value::Array(m.review.clone()))
        }
        ("POST", "/repos/acme/orders/pulls/3/comments", _) => {
            let v = b();
            assert_eq!(v["side"], "RIGHT");
            assert!(v["commit_id"].is_string() && v["path"].is_string() && v["line"].is_u64());
            let c = crate::github_api::review_comment("acme/orders", 3, 80, &v);
            m.review.push(c.clone());
            crate::reply(StatusCode::CREATED, c)
        }
        other => panic!("unexpected request {other:?}"),
    }
}

#[test]
fn github_actions_pull_requests_get_the_same_comments() {
    let dir = tempfile::tempdir().unwrap();
    let repo = crate::committed_fixture("clean-service", &dir.path().join("repo"));
    let base = git(&repo, &["rev-parse", "HEAD"]);
    let file = "src/main/java/com/acme/inventory/Debug.java";
    std::fs::write(repo.join(file), "package com.acme.inventory;\n\n@RestController class Debug {\n    @GetMapping(\"/debug\") void dump() { System.out.println(\"x\"); }\n}\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "debug"]);
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let event = dir.path().join("event.json");
    std::fs::write(&event, json!({ "pull_request": { "number": 3, "base": { "sha": base }, "head": { "sha": head } } }).to_string()).unwrap();

    let (addr, state) = crate::serve::<GhMock, _, _>(gh_handle);
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_podready"))
            .args(["check", ".", "--format", "json", "--report", "mr"])
            .current_dir(&repo)
            .env("GITHUB_EVENT_PATH", &event)
            .env("GITHUB_REPOSITORY", "acme/orders")
            .env("GITHUB_API_URL", format!("http://{addr}"))
            .env("GITHUB_TOKEN", "gh-ci-token")
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 finding on changed lines, 1 new line comment"),
        "{}",
        stderr(&out)
    );
    {
        let m = state.lock().unwrap();
        assert_eq!(m.review[0]["path"], file);
        assert_eq!(m.review[0]["line"], 4);
        assert_eq!(m.review[0]["commit_id"], head.as_str());
    }
    let out = run();
    assert!(
        stderr(&out).contains("0 new line comments"),
        "{}",
        stderr(&out)
    );
    let m = state.lock().unwrap();
    assert_eq!((m.comments.len(), m.review.len()), (1, 1));
}
