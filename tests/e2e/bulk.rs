//! `podready bulk` over 50 generated repositories (bare remotes over
//! `file://`) with a local stand-in for GitLab's REST API: killed with
//! SIGKILL in the middle and started again, every repository is processed
//! to the end and no merge request is opened twice.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::{fixtures, git, stderr, stdout};
use podready_testkit::copy_dir;

#[derive(Default)]
struct Fleet {
    /// Project → its merge requests.
    mrs: HashMap<String, Vec<Value>>,
    /// Project → how many times a merge request was created.
    creates: HashMap<String, usize>,
    /// The dashboard project's issues, and how often one was edited.
    issues: Vec<Value>,
    issue_edits: usize,
    /// `GET /user` calls: the run checks its token once.
    token_checks: usize,
    /// Commit → how often its pipeline was asked about: a pipeline runs
    /// for two questions, then ends (failed for projects named here).
    pipeline_polls: HashMap<String, usize>,
    failing_projects: Vec<String>,
    /// Commits of the default branches (their pipelines pass).
    notes_posted: usize,
}

/// The token the fleet's runs use.
const TOKEN: &str = "bulk-token";

async fn handle(
    State(state): State<Arc<Mutex<Fleet>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let rest = path.strip_prefix("/api/v4/projects/").unwrap_or("");
    let (project, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let project = project.replace("%2F", "/");
    let mut f = state.lock().unwrap();
    let ok = |v: Value| crate::reply(StatusCode::OK, v);
    if path == "/api/v4/user" {
        f.token_checks += 1;
        let token = headers.get("private-token").and_then(|v| v.to_str().ok());
        return if token == Some(TOKEN) {
            ok(json!({ "id": 1, "username": "podready-bot" }))
        } else {
            crate::reply(
                StatusCode::UNAUTHORIZED,
                json!({ "message": "401 Unauthorized" }),
            )
        };
    }
    match (method.as_str(), tail) {
        ("GET", "merge_requests") => ok(Value::Array(
            f.mrs.get(&project).cloned().unwrap_or_default(),
        )),
        ("POST", "merge_requests") => {
            let b: Value = serde_json::from_slice(&body).unwrap();
            *f.creates.entry(project.clone()).or_default() += 1;
            let list = f.mrs.entry(project.clone()).or_default();
            if !list.is_empty() {
                return (
                    StatusCode::CONFLICT,
                    axum::Json(json!({ "message": ["already exists"] })),
                )
                    .into_response();
            }
            let mr = json!({ "iid": 1, "web_url": format!("https://gitlab.acme/{project}/-/merge_requests/1"), "title": b["title"] });
            list.push(mr.clone());
            crate::reply(StatusCode::CREATED, mr)
        }
        ("PUT", "merge_requests/1") => ok(json!({ "iid": 1 })),
        ("GET", "issues") => {
            assert_eq!(
                uri.query(),
                Some("state=opened&in=title&search=podready%20fleet%20dashboard")
            );
            ok(Value::Array(f.issues.clone()))
        }
        ("POST", "issues") => {
            let b: Value = serde_json::from_slice(&body).unwrap();
            let issue = json!({ "iid": 1, "title": b["title"], "description": b["description"],
                "web_url": format!("https://gitlab.acme/{project}/-/issues/1") });
            f.issues.push(issue.clone());
            crate::reply(StatusCode::CREATED, issue)
        }
        ("PUT", "issues/1") => {
            let b: Value = serde_json::from_slice(&body).unwrap();
            f.issues[0]["description"] = b["description"].clone();
            f.issue_edits += 1;
            ok(f.issues[0].clone())
        }
        ("GET", "merge_requests/1/notes") => ok(json!([])),
        ("POST", "merge_requests/1/notes") => {
            f.notes_posted += 1;
            (StatusCode::CREATED, axum::Json(json!({ "id": 5 }))).into_response()
        }
        ("GET", "pipelines") => {
            let query = uri.query().unwrap_or("");
            let sha = query
                .strip_prefix("sha=")
                .and_then(|q| q.split('&').next())
                .unwrap_or("")
                .to_string();
            let polls = f.pipeline_polls.entry(sha.clone()).or_default();
            *polls += 1;
            let status = if *polls <= 2 {
                "running"
            } else if f.failing_projects.contains(&project) {
                "failed"
            } else {
                "success"
            };
            ok(json!([{ "id": 1, "sha": sha, "status": status,
                "web_url": format!("https://gitlab.acme/{project}/-/pipelines/1") }]))
        }
        _ => crate::reply(StatusCode::NOT_FOUND, json!({ "message": "404 Not Found" })),
    }
}

/// `n` repositories made from the maven-build fixture, each its own app;
/// `run_settings` are extra lines for the fleet file's `[run]` table. The
/// fleet fixes the pom text only (`resolve = false`): these tests are about
/// scheduling; the classpath round is tested with `fix` and `upgrade`.
fn fleet(dir: &Path, n: usize, addr: SocketAddr, run_settings: &str) -> std::path::PathBuf {
    let mut toml = format!(
        "[run]\n{run_settings}{}concurrency = 2\nresolve = false\nforge = \"gitlab\"\ngitlab_url = \"http://{addr}\"\napi_requests_per_minute = 100000\n\n",
        if run_settings.contains("verify =") {
            ""
        } else {
            "verify = \"none\"\n"
        }
    );
    for i in 0..n {
        let work = dir.join(format!("src-{i}"));
        copy_dir(&fixtures().join("maven-build"), &work);
        let pom = std::fs::read_to_string(work.join("pom.xml")).unwrap();
        std::fs::write(
            work.join("pom.xml"),
            pom.replace("inventory-sync", &format!("service-{i}")),
        )
        .unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-q", "-m", "app"]);
        let bare = dir.join(format!("remotes/service-{i}.git"));
        git(
            dir,
            &[
                "clone",
                "-q",
                "--bare",
                work.to_str().unwrap(),
                bare.to_str().unwrap(),
            ],
        );
        toml.push_str(&format!(
            "[[repo]]\nurl = \"file://{}\"\ngitlab_project = \"fleet/service-{i}\"\nowners = [\"team-{}\"]\n\n",
            bare.display(),
            i % 5
        ));
    }
    let path = dir.join("fleet.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

fn bulk(dir: &Path, fleet: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_podready"));
    c.args(["bulk", fleet.to_str().unwrap()])
        .env("HOME", dir)
        .env("PODREADY_CACHE", dir.join("cache"))
        .env("GITLAB_TOKEN", TOKEN);
    c
}

#[test]
fn a_killed_run_resumes_without_repeating_or_duplicating() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, gl) = crate::serve::<Fleet, _, _>(handle);
    let fleet_file = fleet(dir.path(), 50, addr, "");
    let mut first = bulk(dir.path(), &fleet_file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once a part of the fleet has merge requests.
    let started = Instant::now();
    loop {
        let opened = gl.lock().unwrap().mrs.len();
        if opened >= 10 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the run made no progress"
        );
        if first.try_wait().unwrap().is_some() {
            panic!("the run ended before it could be killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let before_resume = gl.lock().unwrap().mrs.len();
    assert!(before_resume < 50, "killed too late to test a resume");

    let out = bulk(dir.path(), &fleet_file).output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("resuming:"), "{}", stderr(&out));
    let f = gl.lock().unwrap();
    assert_eq!(f.mrs.len(), 50, "every repository has its merge request");
    for (project, list) in &f.mrs {
        assert_eq!(list.len(), 1, "{project} has one merge request");
        assert_eq!(
            f.creates[project], 1,
            "{project}: a merge request was opened once"
        );
    }
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("fleet.podready-report.json")).unwrap(),
    )
    .unwrap();
    let repos = report["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 50);
    assert!(repos.iter().all(|r| r["status"] == "done"), "{report}");
    assert!(repos.iter().all(|r| r["result"]["owners"]
        .as_array()
        .is_some_and(|o| o.len() == 1)));
    // Finished repositories were not processed again after the resume.
    let again: usize = repos
        .iter()
        .filter(|r| r["attempts"].as_i64() > Some(1))
        .count();
    assert!(
        again <= 2,
        "{again} repositories ran twice (only the ones killed mid-way may)"
    );
    let md = std::fs::read_to_string(dir.path().join("fleet.podready-report.md")).unwrap();
    assert!(md.contains("50 repositories, 0 failed."), "{md}");
}

#[test]
fn one_broken_repository_never_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _gl) = crate::serve::<Fleet, _, _>(handle);
    let fleet_file = fleet(dir.path(), 3, addr, "");
    let mut text = std::fs::read_to_string(&fleet_file).unwrap();
    text.push_str("[[repo]]\nurl = \"file:///nowhere/missing.git\"\n");
    std::fs::write(&fleet_file, text).unwrap();
    let out = bulk(dir.path(), &fleet_file).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failure is reported in the exit code"
    );
    let md = stdout(&out);
    assert!(md.contains("4 repositories, 1 failed."), "{md}");
    assert!(
        md.contains("cannot clone file:///nowhere/missing.git"),
        "{md}"
    );
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| file://")).collect();
    assert_eq!(rows.len(), 4, "{md}");
    // Failures first; the others with their owners.
    assert!(rows[0].contains("missing.git | - | failed |"), "{md}");
    assert!(rows[1..].iter().all(|r| r.contains(" | done | ")), "{md}");
    assert!(rows[1].contains("| team-0 |"), "{md}");
    assert!(
        md.contains(
            "## By status\n\n| status | repositories |\n|---|--:|\n| done | 3 |\n| failed | 1 |"
        ),
        "{md}"
    );
    assert!(md.contains("## By owner"), "{md}");
    assert!(md.contains("| team-1 | 1 | 0 |"), "{md}");
    assert!(md.contains("## Findings left, by rule"), "{md}");
}

#[test]
fn failed_repositories_are_retried_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _gl) = crate::serve::<Fleet, _, _>(handle);
    let fleet_file = fleet(dir.path(), 1, addr, "");
    let late = dir.path().join("remotes/late.git");
    let mut text = std::fs::read_to_string(&fleet_file).unwrap();
    text.push_str(&format!(
        "[[repo]]\nurl = \"file://{}\"\ngitlab_project = \"fleet/late\"\n",
        late.display()
    ));
    std::fs::write(&fleet_file, text).unwrap();
    let first = bulk(dir.path(), &fleet_file).output().unwrap();
    assert_eq!(first.status.code(), Some(1));
    // The repository appears; a plain re-run keeps its failure...
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            dir.path().join("src-0").to_str().unwrap(),
            late.to_str().unwrap(),
        ],
    );
    let again = bulk(dir.path(), &fleet_file).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stdout(&again).contains("2 repositories, 1 failed."),
        "{}",
        stdout(&again)
    );
    // ...and --retry-failed runs it again, and only it.
    let retried = bulk(dir.path(), &fleet_file)
        .arg("--retry-failed")
        .output()
        .unwrap();
    assert!(retried.status.success(), "{}", stderr(&retried));
    assert!(
        stderr(&retried).contains("resuming: 1 of 2"),
        "{}",
        stderr(&retried)
    );
    assert!(
        stdout(&retried).contains("2 repositories, 0 failed."),
        "{}",
        stdout(&retried)
    );
}

#[test]
fn two_fleet_files_in_one_folder_keep_their_own_state_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _gl) = crate::serve::<Fleet, _, _>(handle);
    let payments = fleet(dir.path(), 2, addr, "");
    let empty = dir.path().join("empty.toml");
    std::fs::write(
        &empty,
        format!("[run]\nforge = \"gitlab\"\ngitlab_url = \"http://{addr}\"\n"),
    )
    .unwrap();
    assert!(bulk(dir.path(), &payments)
        .output()
        .unwrap()
        .status
        .success());
    let out = bulk(dir.path(), &empty).output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("0 repositories, 0 failed."),
        "{}",
        stdout(&out)
    );
    for file in [
        "fleet.podready-state.sqlite",
        "fleet.podready-report.md",
        "empty.podready-state.sqlite",
        "empty.podready-report.md",
    ] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
    let report = std::fs::read_to_string(dir.path().join("fleet.podready-report.md")).unwrap();
    assert!(report.contains("2 repositories, 0 failed."), "{report}");
}

#[test]
fn a_refused_token_stops_the_run_once_before_any_repository() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, gl) = crate::serve::<Fleet, _, _>(handle);
    let fleet_file = fleet(dir.path(), 3, addr, "");
    let out = bulk(dir.path(), &fleet_file)
        .env("GITLAB_TOKEN", "revoked-token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = stderr(&out);
    assert!(
        said.contains("the fleet's forge refused the run: GitLab refused the token (401)"),
        "{said}"
    );
    assert_eq!(
        said.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "said once: {said}"
    );
    assert!(
        !said.contains("revoked-token"),
        "the token never appears: {said}"
    );
    let f = gl.lock().unwrap();
    assert_eq!(f.token_checks, 1);
    assert!(f.mrs.is_empty() && f.creates.is_empty());
    // Without a token at all: the same, without a request.
    let out = bulk(dir.path(), &fleet_file)
        .env_remove("GITLAB_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("set GITLAB_TOKEN"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn repositories_sharing_a_commit_run_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let work = crate::committed_fixture("legacy-order-service", &dir.path().join("template"));
    let mut toml = String::from(
        "[run]\nconcurrency = 3\nverify = \"none\"\nresolve = false\nforge = \"none\"\n\n",
    );
    for i in 0..6 {
        let bare = dir.path().join(format!("copy-{i}.git"));
        git(
            dir.path(),
            &[
                "clone",
                "-q",
                "--bare",
                work.to_str().unwrap(),
                bare.to_str().unwrap(),
            ],
        );
        toml.push_str(&format!(
            "[[repo]]\nurl = \"file://{}\"\n\n",
            bare.display()
        ));
    }
    let fleet_file = dir.path().join("fleet.toml");
    std::fs::write(&fleet_file, toml).unwrap();
    let out = bulk(dir.path(), &fleet_file)
        .env_remove("GITLAB_TOKEN")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("6 repositories, 0 failed."));
}

#[test]
fn the_run_opens_no_more_merge_requests_than_its_budget() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, gl) = crate::serve::<Fleet, _, _>(handle);
    let fleet_file = fleet(dir.path(), 3, addr, "max_new_merge_requests = 2\n");
    let out = bulk(dir.path(), &fleet_file).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(gl.lock().unwrap().mrs.len(), 2);
    assert!(
        stderr(&out).contains("the run's limit of new merge requests is reached"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_fleet_dashboard_issue_is_updated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, gl) = crate::serve::<Fleet, _, _>(handle);
    let fleet_file = fleet(dir.path(), 2, addr, "dashboard = \"fleet/dashboard\"\n");
    for run in 0..2 {
        let out = bulk(dir.path(), &fleet_file)
            .arg("--fresh")
            .output()
            .unwrap();
        assert!(out.status.success(), "run {run}: {}", stderr(&out));
        assert!(
            stderr(&out)
                .contains("fleet dashboard: https://gitlab.acme/fleet/dashboard/-/issues/1"),
            "{}",
            stderr(&out)
        );
    }
    let f = gl.lock().unwrap();
    assert_eq!(
        (f.issues.len(), f.issue_edits),
        (1, 1),
        "one issue, edited by the second run"
    );
    assert!(f.issues[0]["title"] == "podready fleet dashboard");
    assert!(f.issues[0]["description"]
        .as_str()
        .unwrap()
        .contains("2 repositories, 0 failed."));
}

#[test]
fn four_shards_give_the_report_of_one_run() {
    let (whole_dir, sharded_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (addr_a, _a) = crate::serve::<Fleet, _, _>(handle);
    let (addr_b, b) = crate::serve::<Fleet, _, _>(handle);
    let whole = fleet(whole_dir.path(), 8, addr_a, "");
    let sharded = fleet(sharded_dir.path(), 8, addr_b, "");
    let out = bulk(whole_dir.path(), &whole).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut ran = 0;
    for i in 1..=4 {
        let out = bulk(sharded_dir.path(), &sharded)
            .args(["--shard", &format!("{i}/4")])
            .output()
            .unwrap();
        assert!(out.status.success(), "shard {i}: {}", stderr(&out));
        let state = sharded_dir
            .path()
            .join(format!("fleet.podready-state.shard-{i}-of-4.sqlite"));
        assert!(state.is_file(), "shard {i} keeps its own state");
        ran += stdout(&out)
            .lines()
            .filter(|l| l.starts_with("| file://"))
            .count();
    }
    assert_eq!(ran, 8, "every repository ran in exactly one shard");
    assert_eq!(b.lock().unwrap().mrs.len(), 8);
    let states: Vec<String> = (1..=4)
        .map(|i| {
            sharded_dir
                .path()
                .join(format!("fleet.podready-state.shard-{i}-of-4.sqlite"))
                .display()
                .to_string()
        })
        .collect();
    let merged_base = sharded_dir.path().join("merged");
    let mut args = vec!["report".to_string()];
    args.extend(states);
    args.extend(["--report".to_string(), merged_base.display().to_string()]);
    let merged = Command::new(env!("CARGO_BIN_EXE_podready"))
        .arg("bulk")
        .args(&args)
        .output()
        .unwrap();
    assert!(merged.status.success(), "{}", stderr(&merged));
    let normalize = |text: &str, dir: &Path| text.replace(&dir.display().to_string(), "DIR");
    let one = std::fs::read_to_string(whole_dir.path().join("fleet.podready-report.md")).unwrap();
    let many = std::fs::read_to_string(sharded_dir.path().join("merged.md")).unwrap();
    assert_eq!(
        normalize(&many, sharded_dir.path()),
        normalize(&one, whole_dir.path())
    );
    assert!(one.contains("8 repositories, 0 failed."), "{one}");
}

#[test]
fn a_shard_must_be_i_of_n() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0/4", "5/4", "2", "a/b"] {
        let out = Command::new(env!("CARGO_BIN_EXE_podready"))
            .args(["bulk", "fleet.toml", "--shard", bad])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&out).contains("is not I/N"),
            "{bad}: {}",
            stderr(&out)
        );
    }
}

/// Renders `page` in Debian's headless Chromium and returns the
/// screenshot's pixels and how many bytes each takes.
fn screenshot(page: &Path, out: &Path) -> (Vec<u8>, usize) {
    let run = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1400,1200",
            &format!("--screenshot={}", out.display()),
            &format!("file://{}", page.display()),
        ])
        .output()
        .expect("Debian's chromium is installed; scripts/test.sh installs it");
    assert!(out.is_file(), "no screenshot: {}", stderr(&run));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(out).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("a screenshot in {other:?}"),
    };
    buf.truncate(info.buffer_size());
    (buf, channels)
}

#[test]
fn the_html_report_draws_its_charts_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _gl) = crate::serve::<Fleet, _, _>(handle);
    let fleet_file = fleet(dir.path(), 3, addr, "");
    let mut text = std::fs::read_to_string(&fleet_file).unwrap();
    text.push_str("[[repo]]\nurl = \"file:///nowhere/missing.git\"\nowners = [\"team-x\"]\n");
    std::fs::write(&fleet_file, text).unwrap();
    let first = bulk(dir.path(), &fleet_file).output().unwrap();
    assert_eq!(first.status.code(), Some(1));
    // A second run: the trend since the first.
    let second = bulk(dir.path(), &fleet_file)
        .arg("--fresh")
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(1));
    let md = stdout(&second);
    assert!(
        md.contains("Since the previous run: 0 newly done, 0 newly failed."),
        "{md}"
    );
    assert!(md.contains("```mermaid\npie title Repositories by status\n    \"done\" : 3\n    \"failed\" : 1\n```"), "{md}");
    assert!(
        md.contains("xychart-beta\n    title \"Findings left, by rule\""),
        "{md}"
    );

    let page = dir.path().join("fleet.podready-report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no stylesheet, script or image is fetched.
    assert!(!html.contains("<link") && !html.contains(" src="), "{html}");
    assert!(!html.contains("<script"), "no script, nothing fetched");
    for chart in ["chart-status", "chart-rules", "chart-owners"] {
        assert!(html.contains(chart), "{chart}");
    }
    let (pixels, channels) = screenshot(&page, &dir.path().join("report.png"));
    // The bars' colour (#3b7dd8), counted where the charts are drawn.
    let bar = pixels
        .chunks(channels)
        .filter(|p| p[0] == 0x3b && p[1] == 0x7d && p[2] == 0xd8)
        .count();
    assert!(bar > 3_000, "{bar} bar pixels: the charts were not drawn");
    // The failed repository's row is tinted (#fde8e8).
    let tinted = pixels
        .chunks(channels)
        .filter(|p| p[0] == 0xfd && p[1] == 0xe8 && p[2] == 0xe8)
        .count();
    assert!(
        tinted > 1_000,
        "{tinted} tinted pixels: the failed row is not shown"
    );
}

#[test]
fn wait_reads_the_ci_runs_still_going_into_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, gl) = crate::serve::<Fleet, _, _>(handle);
    gl.lock()
        .unwrap()
        .failing_projects
        .push("fleet/service-1".into());
    let fleet_file = fleet(
        dir.path(),
        2,
        addr,
        "verify = \"ci\"\nci_poll_seconds = 1\n",
    );
    let out = bulk(dir.path(), &fleet_file)
        .arg("--wait")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("waiting for 2 CI runs"),
        "{}",
        stderr(&out)
    );
    let md = stdout(&out);
    let row = |name: &str| {
        md.lines()
            .find(|l| l.contains(name))
            .unwrap_or("")
            .to_string()
    };
    assert!(row("service-0.git").contains("| ci: passed |"), "{md}");
    // service-1's pipeline fails; main's was still running when asked:
    // nothing proves the upgrade broke it, so it is not blamed.
    assert!(
        row("service-1.git").contains("| ci: failed (no finished run of the base) |"),
        "{md}"
    );
    // The first comment said "running"; the result replaced it.
    assert!(
        gl.lock().unwrap().notes_posted >= 4,
        "each repository's comment was written twice"
    );
}
