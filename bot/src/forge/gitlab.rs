//! GitLab's REST API (v4): merge requests and their notes.
//!
//! One merge request per repository (found by its source branch, updated
//! in place, never duplicated) and one bot note on it (found by a marker,
//! edited in place).

use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use podready_pod::retry::{retry_after, Backoff};

use super::{percent_encode, LinePosition, MergeRequest, RateLimiter, FORGE_PATIENCE};

pub struct GitLab {
    api: String,
    /// The web address of the project, for links.
    web: String,
    token: String,
    /// `group/project`, URL-encoded for the API's `:id`.
    project: String,
    agent: ureq::Agent,
    /// Attempts on 429 / 5xx before giving up.
    attempts: u32,
    /// Shared by every repository of a bulk run.
    limiter: Option<std::sync::Arc<RateLimiter>>,
}

impl GitLab {
    /// `base` is the GitLab URL (`https://gitlab.acme`), `project` its path
    /// (`group/subgroup/project`).
    pub fn new(
        base: &str,
        project: &str,
        token: &str,
        limiter: Option<std::sync::Arc<RateLimiter>>,
    ) -> GitLab {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .http_status_as_error(false)
            .build()
            .into();
        GitLab {
            api: format!("{}/api/v4", base.trim_end_matches('/')),
            web: format!(
                "{}/{}",
                base.trim_end_matches('/'),
                project.trim_matches('/').trim_end_matches(".git")
            ),
            token: token.to_string(),
            project: percent_encode(project.trim_matches('/').trim_end_matches(".git")),
            agent,
            attempts: 5,
            limiter,
        }
    }

    /// One call; retries on 429 (after Retry-After) and 5xx; other errors
    /// are explained. The token never appears in a message.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = format!("{}/projects/{}{path}", self.api, self.project);
        self.call_url(method, &url, body)
    }

    /// The user the token belongs to (`GET /user`): a bulk run checks the
    /// token once before touching any repository.
    pub fn check_token(&self) -> Result<String> {
        let user = self.call_url("GET", &format!("{}/user", self.api), None)?;
        Ok(user["username"].as_str().unwrap_or("?").to_string())
    }

    fn call_url(&self, method: &str, url: &str, body: Option<&Value>) -> Result<Value> {
        let mut backoff = Backoff::new(self.attempts, FORGE_PATIENCE);
        loop {
            if let Some(l) = &self.limiter {
                l.wait();
            }
            let req = match method {
                "GET" => self
                    .agent
                    .get(url)
                    .header("PRIVATE-TOKEN", &self.token)
                    .call(),
                "POST" => self
                    .agent
                    .post(url)
                    .header("PRIVATE-TOKEN", &self.token)
                    .send_json(body.unwrap_or(&Value::Null)),
                _ => self
                    .agent
                    .put(url)
                    .header("PRIVATE-TOKEN", &self.token)
                    .send_json(body.unwrap_or(&Value::Null)),
            };
            let mut resp = req.with_context(|| format!("cannot reach GitLab at {}", self.api))?;
            let status = resp.status().as_u16();
            let retry_after = retry_after(resp.headers());
            let text = resp.body_mut().read_to_string().unwrap_or_default();
            let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let message = value["message"]
                .as_str()
                .map(str::to_string)
                .or_else(|| value["message"].as_array().map(|a| format!("{a:?}")))
                .or_else(|| value["error"].as_str().map(str::to_string))
                .unwrap_or_default();
            match status {
                200..=299 => return Ok(value),
                429 | 500..=599 if backoff.wait(retry_after) => continue,
                401 => bail!("GitLab refused the token (401); set GITLAB_TOKEN to a token with the api scope"),
                403 => bail!("GitLab forbids this (403): {message}"),
                404 => bail!("GitLab has no project `{}` this token can see (404)", self.project.replace("%2F", "/")),
                409 => bail!("GitLab reports a conflict (409): {message}"),
                422 => bail!("GitLab rejected the request (422): {message}"),
                429 => bail!("GitLab's rate limit held after {} attempts", backoff.attempts()),
                _ => bail!("GitLab answered {status}: {message}"),
            }
        }
    }

    /// Creates or updates the open issue with this exact title; its URL.
    pub fn upsert_issue(&self, title: &str, body: &str) -> Result<String> {
        let list = self.call(
            "GET",
            &format!(
                "/issues?state=opened&in=title&search={}",
                percent_encode(title)
            ),
            None,
        )?;
        let existing = list.as_array().and_then(|a| {
            a.iter()
                .find(|i| i["title"].as_str() == Some(title))
                .cloned()
        });
        let issue = match existing {
            Some(i) => {
                let iid = i["iid"].as_u64().context("GitLab's issue has no iid")?;
                self.call(
                    "PUT",
                    &format!("/issues/{iid}"),
                    Some(&json!({ "description": body })),
                )?
            }
            None => self.call(
                "POST",
                "/issues",
                Some(&json!({ "title": title, "description": body })),
            )?,
        };
        Ok(issue["web_url"].as_str().unwrap_or_default().to_string())
    }

    /// The web address of a file on a branch (`…#L12` is appended).
    pub fn blob_url(&self, branch: &str) -> String {
        format!("{}/-/blob/{branch}", self.web)
    }

    fn to_mr(v: &Value) -> Option<MergeRequest> {
        Some(MergeRequest {
            number: v["iid"].as_u64()?,
            url: v["web_url"].as_str().unwrap_or_default().to_string(),
        })
    }

    /// The newest pipeline of commit `sha` (`GET /pipelines?sha=`).
    pub fn ci_run(&self, sha: &str) -> Result<Option<super::CiRun>> {
        use super::CiState;
        let list = self.call(
            "GET",
            &format!("/pipelines?sha={sha}&order_by=id&sort=desc&per_page=1"),
            None,
        )?;
        let Some(p) = list.as_array().and_then(|a| a.first()) else {
            return Ok(None);
        };
        // GitLab's statuses: created, waiting_for_resource, preparing,
        // pending, running, success, failed, canceled, skipped, manual,
        // scheduled.
        let state = match p["status"].as_str().unwrap_or("") {
            "success" => CiState::Passed,
            "failed" | "canceled" => CiState::Failed,
            _ => CiState::Pending,
        };
        Ok(Some(super::CiRun {
            state,
            url: p["web_url"].as_str().unwrap_or_default().to_string(),
        }))
    }

    /// The open merge request from `branch`, if any.
    pub fn find(&self, branch: &str) -> Result<Option<MergeRequest>> {
        let list = self.call(
            "GET",
            &format!(
                "/merge_requests?state=opened&source_branch={}",
                percent_encode(branch)
            ),
            None,
        )?;
        Ok(list
            .as_array()
            .and_then(|a| a.first())
            .and_then(Self::to_mr))
    }

    /// Updates `existing` (the open merge request from `branch`, see
    /// [`GitLab::find`]) or opens one.
    pub fn upsert(
        &self,
        existing: Option<MergeRequest>,
        branch: &str,
        target: &str,
        title: &str,
        body: &str,
    ) -> Result<(MergeRequest, bool)> {
        if let Some(mr) = existing {
            self.call(
                "PUT",
                &format!("/merge_requests/{}", mr.number),
                Some(&json!({ "title": title, "description": body })),
            )?;
            return Ok((mr, false));
        }
        let created = self.call(
            "POST",
            "/merge_requests",
            Some(&json!({
                "source_branch": branch,
                "target_branch": target,
                "title": title,
                "description": body,
                "remove_source_branch": true,
            })),
        )?;
        let mr = Self::to_mr(&created).context("GitLab's answer has no merge request iid")?;
        Ok((mr, true))
    }

    /// Creates or edits the one note that starts with `marker`.
    pub fn upsert_marked_note(&self, mr: &MergeRequest, marker: &str, body: &str) -> Result<()> {
        let text = format!("{marker}\n{body}");
        let notes = self.call(
            "GET",
            &format!("/merge_requests/{}/notes?per_page=100&sort=asc", mr.number),
            None,
        )?;
        let existing = notes.as_array().and_then(|a| {
            a.iter()
                .find(|n| n["body"].as_str().is_some_and(|b| b.starts_with(marker)))
                .and_then(|n| n["id"].as_u64())
        });
        match existing {
            Some(id) => self.call(
                "PUT",
                &format!("/merge_requests/{}/notes/{id}", mr.number),
                Some(&json!({ "body": text })),
            )?,
            None => self.call(
                "POST",
                &format!("/merge_requests/{}/notes", mr.number),
                Some(&json!({ "body": text })),
            )?,
        };
        Ok(())
    }

    /// The bodies of every note of every discussion on a merge request.
    pub fn line_comment_bodies(&self, mr: &MergeRequest) -> Result<Vec<String>> {
        let list = self.call(
            "GET",
            &format!("/merge_requests/{}/discussions?per_page=100", mr.number),
            None,
        )?;
        Ok(list
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|d| d["notes"].as_array().into_iter().flatten())
            .filter_map(|n| n["body"].as_str().map(str::to_string))
            .collect())
    }

    /// Starts a discussion on a line of the merge request's diff.
    pub fn line_comment(
        &self,
        mr: &MergeRequest,
        position: &LinePosition,
        body: &str,
    ) -> Result<()> {
        self.call(
            "POST",
            &format!("/merge_requests/{}/discussions", mr.number),
            Some(&json!({
                "body": body,
                "position": {
                    "position_type": "text",
                    "base_sha": position.base_sha,
                    "start_sha": position.base_sha,
                    "head_sha": position.head_sha,
                    "new_path": position.path,
                    "new_line": position.line,
                }
            })),
        )?;
        Ok(())
    }
}
