//! Answers shaped as GitHub's REST API documents them, with every field its
//! documentation marks required, for the stand-ins of GitHub: the client
//! reads them into octocrab's models, as it reads GitHub's.

use serde_json::{json, Value};

const API: &str = "https://api.github.com";
const WEB: &str = "https://github.com";
const WHEN: &str = "2026-11-30T10:00:00Z";

/// A user (`GET /user`, and every `user` field).
pub fn user(login: &str) -> Value {
    let api = format!("{API}/users/{login}");
    json!({
        "login": login, "id": 4242, "node_id": "MDQ6VXNlcjQyNDI=",
        "avatar_url": format!("https://avatars.githubusercontent.com/u/4242"),
        "gravatar_id": "", "url": api, "html_url": format!("{WEB}/{login}"),
        "followers_url": format!("{api}/followers"),
        "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"),
        "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"),
        "type": "Bot", "site_admin": false
    })
}

/// A pull request of `repo` (`owner/name`).
pub fn pull(repo: &str, number: u64, title: &Value, body: &Value, head: &str, base: &str) -> Value {
    json!({
        "id": 9000 + number, "node_id": "PR_kwDOpodready", "number": number,
        "url": format!("{API}/repos/{repo}/pulls/{number}"),
        "html_url": format!("{WEB}/{repo}/pull/{number}"),
        "state": "open", "locked": false, "title": title, "body": body,
        "user": user("podready-bot"),
        "created_at": WHEN, "updated_at": WHEN,
        "head": { "label": format!("acme:{head}"), "ref": head, "sha": "1111111111111111111111111111111111111111" },
        "base": { "label": format!("acme:{base}"), "ref": base, "sha": "2222222222222222222222222222222222222222" }
    })
}

/// A comment on an issue or a pull request's conversation.
pub fn issue_comment(repo: &str, number: u64, id: u64, body: &Value) -> Value {
    json!({
        "id": id, "node_id": "IC_kwDOpodready",
        "url": format!("{API}/repos/{repo}/issues/comments/{id}"),
        "html_url": format!("{WEB}/{repo}/pull/{number}#issuecomment-{id}"),
        "issue_url": format!("{API}/repos/{repo}/issues/{number}"),
        "body": body, "user": user("podready-bot"),
        "author_association": "NONE",
        "created_at": WHEN, "updated_at": WHEN
    })
}

/// A review comment on a line of a pull request.
pub fn review_comment(repo: &str, number: u64, id: u64, asked: &Value) -> Value {
    let pull = format!("{API}/repos/{repo}/pulls/{number}");
    json!({
        "id": id, "node_id": "PRRC_kwDOpodready",
        "url": format!("{API}/repos/{repo}/pulls/comments/{id}"),
        "html_url": format!("{WEB}/{repo}/pull/{number}#discussion_r{id}"),
        "pull_request_url": pull,
        "diff_hunk": "@@ -1,3 +1,5 @@", "path": asked["path"], "line": asked["line"],
        "side": asked["side"], "commit_id": asked["commit_id"],
        "original_commit_id": asked["commit_id"], "body": asked["body"],
        "user": user("podready-bot"), "author_association": "NONE",
        "created_at": WHEN, "updated_at": WHEN,
        "_links": {
            "self": { "href": format!("{API}/repos/{repo}/pulls/comments/{id}") },
            "html": { "href": format!("{WEB}/{repo}/pull/{number}#discussion_r{id}") },
            "pull_request": { "href": pull }
        }
    })
}

/// A check run of commit `sha`: `status` queued, in_progress or completed.
pub fn check_run(repo: &str, sha: &str, status: &str, conclusion: Option<&str>) -> Value {
    json!({
        "id": 7, "node_id": "CR_kwDOpodready", "name": "build", "head_sha": sha,
        "external_id": "", "url": format!("{API}/repos/{repo}/check-runs/7"),
        "html_url": format!("{WEB}/{repo}/runs/{}", &sha[..8]),
        "details_url": format!("{WEB}/{repo}/runs/{}", &sha[..8]),
        "status": status, "conclusion": conclusion,
        "started_at": WHEN,
        "completed_at": (status == "completed").then_some(WHEN),
        "output": { "title": null, "summary": null, "text": null, "annotations_count": 0,
            "annotations_url": format!("{API}/repos/{repo}/check-runs/7/annotations") },
        "pull_requests": []
    })
}

/// An issue of `repo`.
pub fn issue(repo: &str, number: u64, title: &Value, body: &Value) -> Value {
    let api = format!("{API}/repos/{repo}/issues/{number}");
    json!({
        "id": 7000 + number, "node_id": "I_kwDOpodready", "number": number,
        "url": api, "repository_url": format!("{API}/repos/{repo}"),
        "labels_url": format!("{api}/labels{{/name}}"),
        "comments_url": format!("{api}/comments"), "events_url": format!("{api}/events"),
        "html_url": format!("{WEB}/{repo}/issues/{number}"),
        "state": "open", "title": title, "body": body, "user": user("podready-bot"),
        "labels": [], "assignees": [], "locked": false, "comments": 0,
        "author_association": "NONE",
        "created_at": WHEN, "updated_at": WHEN
    })
}
