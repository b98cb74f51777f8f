//! GitHub's REST API through octocrab: pull requests and the bot's comment.
//!
//! The same contract as GitLab's client: one pull request per repository,
//! found by its head branch and updated in place, and one bot comment on
//! it, found by a marker and edited in place.

use anyhow::{bail, Context, Result};
use octocrab::Octocrab;
use serde_json::{json, Value};

use podready_pod::retry::Backoff;

use super::{LinePosition, MergeRequest, RateLimiter, FORGE_PATIENCE};

pub struct GitHub {
    client: Octocrab,
    /// The web address of the repository, for links.
    web: String,
    owner: String,
    repo: String,
    runtime: tokio::runtime::Runtime,
    limiter: Option<std::sync::Arc<RateLimiter>>,
    attempts: u32,
}

impl GitHub {
    /// `api` is the API URL (`https://api.github.com`, or a GitHub
    /// Enterprise `https://ghe.acme/api/v3`), `project` is `owner/repo`.
    pub fn new(
        api: &str,
        project: &str,
        token: &str,
        limiter: Option<std::sync::Arc<RateLimiter>>,
    ) -> Result<GitHub> {
        let (owner, repo) = project
            .trim_end_matches(".git")
            .split_once('/')
            .with_context(|| format!("`{project}` is not owner/repo"))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let client = runtime.block_on(async {
            Octocrab::builder()
                .base_uri(api)
                .map(|b| b.personal_token(token.to_string()))
                .and_then(|b| b.build())
        });
        let client = client
            .map_err(|e| anyhow::anyhow!("cannot set up the GitHub client for {api}: {e}"))?;
        // api.github.com → github.com; GitHub Enterprise: …/api/v3 → the host.
        let host = api.trim_end_matches('/').trim_end_matches("/api/v3");
        let web_host = host.replace("://api.github.com", "://github.com");
        Ok(GitHub {
            web: format!("{web_host}/{owner}/{repo}"),
            client,
            owner: owner.to_string(),
            repo: repo.to_string(),
            runtime,
            limiter,
            attempts: 5,
        })
    }

    /// One call; waits out rate limits (429, or a 403 that says so) and
    /// explains the rest. The token never appears in a message.
    fn call(&self, method: &str, route: &str, body: Option<&Value>) -> Result<Value> {
        let mut backoff = Backoff::new(self.attempts, FORGE_PATIENCE);
        loop {
            if let Some(l) = &self.limiter {
                l.wait();
            }
            let result: Result<Value, octocrab::Error> = self.runtime.block_on(async {
                match method {
                    "GET" => self.client.get(route, None::<&()>).await,
                    "POST" => self.client.post(route, body).await,
                    _ => self.client.patch(route, body).await,
                }
            });
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let octocrab::Error::GitHub { source, .. } = &err else {
                bail!("cannot reach GitHub: {err}");
            };
            let status = source.status_code.as_u16();
            let limited = status == 429
                || (status == 403 && source.message.to_ascii_lowercase().contains("rate limit"));
            // octocrab does not hand over the headers: waits that grow by a
            // second per attempt stand in for GitHub's reset time.
            if limited && backoff.wait(Some(u64::from(backoff.attempts()))) {
                continue;
            }
            let message = &source.message;
            match status {
                401 => bail!("GitHub refused the token (401); set GITHUB_TOKEN to a token that may write pull requests"),
                404 => bail!("GitHub has no repository {}/{} this token can see (404)", self.owner, self.repo),
                409 => bail!("GitHub reports a conflict (409): {message}"),
                422 => bail!("GitHub rejected the request (422): {message}"),
                _ if limited => bail!("GitHub's rate limit held after {} attempts", backoff.attempts()),
                _ => bail!("GitHub answered {status}: {message}"),
            }
        }
    }

    /// The login the token belongs to (`GET /user`): a bulk run checks the
    /// token once before touching any repository.
    pub fn check_token(&self) -> Result<String> {
        let user = self.call("GET", "/user", None)?;
        Ok(user["login"].as_str().unwrap_or("?").to_string())
    }

    /// The CI of commit `sha`: its check runs (GitHub Actions and apps),
    /// else its combined commit status (older CI services).
    pub fn ci_run(&self, sha: &str) -> Result<Option<super::CiRun>> {
        use super::CiState;
        let repo = format!("/repos/{}/{}/commits/{sha}", self.owner, self.repo);
        let checks = self.call("GET", &format!("{repo}/check-runs"), None)?;
        let runs = checks["check_runs"].as_array().cloned().unwrap_or_default();
        if let Some(first) = runs.first() {
            let url = first["html_url"].as_str().unwrap_or_default().to_string();
            let state = if runs.iter().any(|r| r["status"] != "completed") {
                CiState::Pending
            } else if runs.iter().all(|r| {
                matches!(
                    r["conclusion"].as_str(),
                    Some("success" | "neutral" | "skipped")
                )
            }) {
                CiState::Passed
            } else {
                CiState::Failed
            };
            return Ok(Some(super::CiRun { state, url }));
        }
        let status = self.call("GET", &format!("{repo}/status"), None)?;
        if status["total_count"].as_u64().unwrap_or(0) == 0 {
            return Ok(None);
        }
        let state = match status["state"].as_str() {
            Some("success") => CiState::Passed,
            Some("failure" | "error") => CiState::Failed,
            _ => CiState::Pending,
        };
        let url = status["statuses"][0]["target_url"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        Ok(Some(super::CiRun { state, url }))
    }

    /// Creates or updates the open issue with this exact title; its URL.
    pub fn upsert_issue(&self, title: &str, body: &str) -> Result<String> {
        let list = self.call("GET", &self.route("/issues?state=open&per_page=100"), None)?;
        let existing = list.as_array().and_then(|a| {
            a.iter()
                .find(|i| i["title"].as_str() == Some(title) && i["pull_request"].is_null())
                .and_then(|i| i["number"].as_u64())
        });
        let issue = match existing {
            Some(n) => self.call(
                "PATCH",
                &self.route(&format!("/issues/{n}")),
                Some(&json!({ "body": body })),
            )?,
            None => self.call(
                "POST",
                &self.route("/issues"),
                Some(&json!({ "title": title, "body": body })),
            )?,
        };
        Ok(issue["html_url"].as_str().unwrap_or_default().to_string())
    }

    /// The web address of a file on a branch (`…#L12` is appended).
    pub fn blob_url(&self, branch: &str) -> String {
        format!("{}/blob/{branch}", self.web)
    }

    fn route(&self, tail: &str) -> String {
        format!("/repos/{}/{}{tail}", self.owner, self.repo)
    }

    fn to_mr(v: &Value) -> Option<MergeRequest> {
        Some(MergeRequest {
            number: v["number"].as_u64()?,
            url: v["html_url"].as_str().unwrap_or_default().to_string(),
        })
    }

    /// The open pull request from `branch`, if any.
    pub fn find(&self, branch: &str) -> Result<Option<MergeRequest>> {
        let list = self.call(
            "GET",
            &self.route(&format!(
                "/pulls?state=open&head={}:{}",
                self.owner,
                // `/` is legal in a query; `&`, `#`, `+` in a branch name are not.
                super::percent_encode(branch, b"/")
            )),
            None,
        )?;
        Ok(list
            .as_array()
            .and_then(|a| a.first())
            .and_then(Self::to_mr))
    }

    /// Updates `existing` or opens a pull request.
    pub fn upsert(
        &self,
        existing: Option<MergeRequest>,
        branch: &str,
        base: &str,
        title: &str,
        body: &str,
    ) -> Result<(MergeRequest, bool)> {
        if let Some(mr) = existing {
            self.call(
                "PATCH",
                &self.route(&format!("/pulls/{}", mr.number)),
                Some(&json!({ "title": title, "body": body })),
            )?;
            return Ok((mr, false));
        }
        let created = self.call(
            "POST",
            &self.route("/pulls"),
            Some(&json!({ "title": title, "head": branch, "base": base, "body": body })),
        )?;
        let mr = Self::to_mr(&created).context("GitHub's answer has no pull request number")?;
        Ok((mr, true))
    }

    /// Creates or edits the one comment that starts with `marker`.
    pub fn upsert_marked_note(&self, mr: &MergeRequest, marker: &str, body: &str) -> Result<()> {
        let text = format!("{marker}\n{body}");
        let comments = self.call(
            "GET",
            &self.route(&format!("/issues/{}/comments?per_page=100", mr.number)),
            None,
        )?;
        let existing = comments.as_array().and_then(|a| {
            a.iter()
                .find(|c| c["body"].as_str().is_some_and(|b| b.starts_with(marker)))
                .and_then(|c| c["id"].as_u64())
        });
        match existing {
            Some(id) => self.call(
                "PATCH",
                &self.route(&format!("/issues/comments/{id}")),
                Some(&json!({ "body": text })),
            )?,
            None => self.call(
                "POST",
                &self.route(&format!("/issues/{}/comments", mr.number)),
                Some(&json!({ "body": text })),
            )?,
        };
        Ok(())
    }

    /// The bodies of the review comments on a pull request's lines.
    pub fn line_comment_bodies(&self, mr: &MergeRequest) -> Result<Vec<String>> {
        let list = self.call(
            "GET",
            &self.route(&format!("/pulls/{}/comments?per_page=100", mr.number)),
            None,
        )?;
        Ok(list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["body"].as_str().map(str::to_string))
            .collect())
    }

    /// A review comment on a line of the pull request's head.
    pub fn line_comment(
        &self,
        mr: &MergeRequest,
        position: &LinePosition,
        body: &str,
    ) -> Result<()> {
        self.call(
            "POST",
            &self.route(&format!("/pulls/{}/comments", mr.number)),
            Some(&json!({ "body": body, "commit_id": position.head_sha, "path": position.path, "line": position.line, "side": "RIGHT" })),
        )?;
        Ok(())
    }
}
