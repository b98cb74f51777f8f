//! GitHub's REST API through octocrab's typed API, on the binary's async
//! runtime: pull requests, the bot's comment, line comments, CI results.
//!
//! The same contract as GitLab's client: one pull request per repository,
//! found by its head branch and updated in place, and one bot comment on
//! it, found by a marker and edited in place. Where octocrab has no typed
//! request as GitHub documents it (a commit's combined status by its sha,
//! a review comment on the new side of the diff, a comment edited with
//! PATCH, a pull request edited without extra fields), the route is written
//! here and the answer still read into octocrab's models.

use std::future::Future;

use anyhow::{bail, Context, Result};
use octocrab::models::checks::ListCheckRuns;
use octocrab::models::issues::Comment;
use octocrab::models::pulls::{PullRequest, ReviewComment};
use octocrab::models::{CombinedStatus, StatusState};
use octocrab::params::repos::Commitish;
use octocrab::params::State;
use octocrab::Octocrab;
use serde_json::json;

use podready_pod::retry::Backoff;

use super::{CiRun, CiState, LinePosition, MergeRequest, RateLimiter, FORGE_PATIENCE};
use crate::runtime::runtime;

pub struct GitHub {
    client: Octocrab,
    /// The web address of the repository, for links.
    web: String,
    owner: String,
    repo: String,
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
        // The client's connection pool belongs to the runtime it starts on.
        let client = runtime()?.block_on(async {
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
            limiter,
            attempts: 5,
        })
    }

    /// One request, made by `request` from a client: waits out rate limits
    /// (429, or a 403 that says so) and explains the rest. The token never
    /// appears in a message.
    fn call<T, F, Fut>(&self, request: F) -> Result<T>
    where
        F: Fn(Octocrab, String, String) -> Fut,
        Fut: Future<Output = octocrab::Result<T>>,
    {
        let mut backoff = Backoff::new(self.attempts, FORGE_PATIENCE);
        loop {
            if let Some(l) = &self.limiter {
                l.wait();
            }
            let sent = request(self.client.clone(), self.owner.clone(), self.repo.clone());
            let err = match runtime()?.block_on(sent) {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let source = match &err {
                octocrab::Error::GitHub { source, .. } => source,
                octocrab::Error::Serde { .. } | octocrab::Error::Json { .. } => bail!(
                    "GitHub's answer is not what its API documents: {}",
                    podready_pod::error_line(&err)
                ),
                _ => bail!("cannot reach GitHub: {}", podready_pod::error_line(&err)),
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
        let user = self.call(|gh, _, _| async move { gh.current().user().await })?;
        Ok(user.login)
    }

    /// The CI of commit `sha`: its check runs (GitHub Actions and apps),
    /// else its combined commit status (older CI services).
    pub fn ci_run(&self, sha: &str) -> Result<Option<CiRun>> {
        let runs: ListCheckRuns = self.call(|gh, owner, repo| {
            let sha = Commitish(sha.to_string());
            async move {
                gh.checks(owner, repo)
                    .list_check_runs_for_git_ref(sha)
                    .send()
                    .await
            }
        })?;
        if let Some(first) = runs.check_runs.first() {
            let url = first.html_url.clone().unwrap_or_default();
            // A run that has not completed has no completion time.
            let state = if runs.check_runs.iter().any(|r| r.completed_at.is_none()) {
                CiState::Pending
            } else if runs.check_runs.iter().all(|r| {
                matches!(
                    r.conclusion.as_deref(),
                    Some("success" | "neutral" | "skipped")
                )
            }) {
                CiState::Passed
            } else {
                CiState::Failed
            };
            return Ok(Some(CiRun { state, url }));
        }
        // octocrab names a status by branch or tag only: the commit's route.
        let route = self.route(&format!("/commits/{sha}/status"));
        let status: CombinedStatus = self.call(|gh, _, _| {
            let route = route.clone();
            async move { gh.get(route, None::<&()>).await }
        })?;
        if status.total_count == 0 {
            return Ok(None);
        }
        let state = match status.state {
            StatusState::Success => CiState::Passed,
            StatusState::Failure | StatusState::Error => CiState::Failed,
            _ => CiState::Pending,
        };
        let url = status
            .statuses
            .first()
            .and_then(|s| s.target_url.clone())
            .unwrap_or_default();
        Ok(Some(CiRun { state, url }))
    }

    /// Creates or updates the open issue with this exact title; its URL.
    pub fn upsert_issue(&self, title: &str, body: &str) -> Result<String> {
        let open = self.call(|gh, owner, repo| async move {
            gh.issues(owner, repo)
                .list()
                .state(State::Open)
                .per_page(100)
                .send()
                .await
        })?;
        let existing = open
            .items
            .iter()
            .find(|i| i.title == title && i.pull_request.is_none())
            .map(|i| i.number);
        let issue = match existing {
            Some(n) => self.call(|gh, owner, repo| async move {
                gh.issues(owner, repo).update(n).body(body).send().await
            })?,
            None => self.call(|gh, owner, repo| async move {
                gh.issues(owner, repo).create(title).body(body).send().await
            })?,
        };
        Ok(issue.html_url.to_string())
    }

    /// The web address of a file on a branch (`…#L12` is appended).
    pub fn blob_url(&self, branch: &str) -> String {
        format!("{}/blob/{branch}", self.web)
    }

    fn route(&self, tail: &str) -> String {
        format!("/repos/{}/{}{tail}", self.owner, self.repo)
    }

    /// The open pull request from `branch`, if any.
    pub fn find(&self, branch: &str) -> Result<Option<MergeRequest>> {
        let head = format!("{}:{branch}", self.owner);
        let open = self.call(|gh, owner, repo| {
            let head = head.clone();
            async move {
                gh.pulls(owner, repo)
                    .list()
                    .state(State::Open)
                    .head(head)
                    .send()
                    .await
            }
        })?;
        Ok(open.items.first().map(|pr| MergeRequest {
            number: pr.number,
            url: pr
                .html_url
                .as_ref()
                .map(|u| u.to_string())
                .unwrap_or_default(),
        }))
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
            // octocrab's update sends `pull_number` in the body too; GitHub
            // documents title and body.
            let route = self.route(&format!("/pulls/{}", mr.number));
            let edit = json!({ "title": title, "body": body });
            let _: PullRequest = self.call(|gh, _, _| {
                let (route, edit) = (route.clone(), edit.clone());
                async move { gh.patch(route, Some(&edit)).await }
            })?;
            return Ok((mr, false));
        }
        let created = self.call(|gh, owner, repo| async move {
            gh.pulls(owner, repo)
                .create(title, branch, base)
                .body(body)
                .send()
                .await
        })?;
        let mr = MergeRequest {
            number: created.number,
            url: created.html_url.map(|u| u.to_string()).unwrap_or_default(),
        };
        Ok((mr, true))
    }

    /// Creates or edits the one comment that starts with `marker`.
    pub fn upsert_marked_note(&self, mr: &MergeRequest, marker: &str, body: &str) -> Result<()> {
        let text = format!("{marker}\n{body}");
        let number = mr.number;
        let comments = self.call(|gh, owner, repo| async move {
            gh.issues(owner, repo)
                .list_comments(number)
                .per_page(100)
                .send()
                .await
        })?;
        let existing = comments
            .items
            .iter()
            .find(|c| c.body.as_deref().is_some_and(|b| b.starts_with(marker)))
            .map(|c| c.id);
        let text = text.as_str();
        match existing {
            // octocrab's update_comment POSTs; GitHub documents PATCH.
            Some(id) => {
                let route = self.route(&format!("/issues/comments/{id}"));
                let edit = json!({ "body": text });
                let _: Comment = self.call(|gh, _, _| {
                    let (route, edit) = (route.clone(), edit.clone());
                    async move { gh.patch(route, Some(&edit)).await }
                })?;
            }
            None => {
                self.call(|gh, owner, repo| async move {
                    gh.issues(owner, repo).create_comment(number, text).await
                })?;
            }
        }
        Ok(())
    }

    /// The bodies of the review comments on a pull request's lines.
    pub fn line_comment_bodies(&self, mr: &MergeRequest) -> Result<Vec<String>> {
        let number = mr.number;
        let comments = self.call(|gh, owner, repo| async move {
            gh.pulls(owner, repo)
                .list_comments(Some(number))
                .per_page(100)
                .send()
                .await
        })?;
        Ok(comments.items.into_iter().map(|c| c.body).collect())
    }

    /// A review comment on a line of the pull request's head.
    pub fn line_comment(
        &self,
        mr: &MergeRequest,
        position: &LinePosition,
        body: &str,
    ) -> Result<()> {
        // octocrab's review comment leaves out the side of the diff.
        let route = self.route(&format!("/pulls/{}/comments", mr.number));
        let comment = json!({
            "body": body,
            "commit_id": position.head_sha,
            "path": position.path,
            "line": position.line,
            "side": "RIGHT",
        });
        let _: ReviewComment = self.call(|gh, _, _| {
            let (route, comment) = (route.clone(), comment.clone());
            async move { gh.post(route, Some(&comment)).await }
        })?;
        Ok(())
    }
}
