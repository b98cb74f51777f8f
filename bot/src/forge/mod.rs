//! Where merge requests are opened. `none` writes the text to a file and
//! stdout, so the whole flow runs on a laptop with no account.

pub mod github;
pub mod gitlab;

/// Percent-encodes `s` for a URL path segment or query value: unreserved
/// bytes stay as they are, every other byte is escaped.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Where a CI run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiState {
    /// Created, queued or running.
    Pending,
    Passed,
    Failed,
}

/// One CI run of a commit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CiRun {
    pub state: CiState,
    /// Its page on the forge.
    pub url: String,
}

/// A forge client: GitLab or GitHub, the same operations.
pub enum Forge {
    GitLab(gitlab::GitLab),
    GitHub(github::GitHub),
}

impl Forge {
    /// Who the token is; fails with the forge's reason.
    pub fn check_token(&self) -> anyhow::Result<String> {
        match self {
            Forge::GitLab(g) => g.check_token(),
            Forge::GitHub(g) => g.check_token(),
        }
    }

    /// The newest CI run of commit `sha` on the forge (GitLab's pipeline,
    /// GitHub's check runs and commit statuses), if there is one.
    pub fn ci_run(&self, sha: &str) -> anyhow::Result<Option<CiRun>> {
        match self {
            Forge::GitLab(g) => g.ci_run(sha),
            Forge::GitHub(g) => g.ci_run(sha),
        }
    }

    /// The open merge (pull) request from `branch`.
    pub fn find(&self, branch: &str) -> anyhow::Result<Option<MergeRequest>> {
        match self {
            Forge::GitLab(f) => f.find(branch),
            Forge::GitHub(f) => f.find(branch),
        }
    }

    /// Updates `existing` or opens one; whether it was opened.
    pub fn upsert(
        &self,
        existing: Option<MergeRequest>,
        branch: &str,
        target: &str,
        title: &str,
        body: &str,
    ) -> anyhow::Result<(MergeRequest, bool)> {
        match self {
            Forge::GitLab(f) => f.upsert(existing, branch, target, title, body),
            Forge::GitHub(f) => f.upsert(existing, branch, target, title, body),
        }
    }

    /// Creates or updates the open issue with this title; its URL.
    pub fn upsert_issue(&self, title: &str, body: &str) -> anyhow::Result<String> {
        match self {
            Forge::GitLab(f) => f.upsert_issue(title, body),
            Forge::GitHub(f) => f.upsert_issue(title, body),
        }
    }

    /// The web address of files on `branch`, for file:line links.
    pub fn blob_url(&self, branch: &str) -> String {
        match self {
            Forge::GitLab(f) => f.blob_url(branch),
            Forge::GitHub(f) => f.blob_url(branch),
        }
    }

    /// Creates or edits the bot's one comment.
    pub fn upsert_note(&self, mr: &MergeRequest, body: &str) -> anyhow::Result<()> {
        self.upsert_marked_note(mr, COMMENT_MARKER, body)
    }

    /// Creates or edits the one comment that starts with `marker`.
    pub fn upsert_marked_note(
        &self,
        mr: &MergeRequest,
        marker: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        match self {
            Forge::GitLab(f) => f.upsert_marked_note(mr, marker, body),
            Forge::GitHub(f) => f.upsert_marked_note(mr, marker, body),
        }
    }

    /// The bodies of the comments on lines of a merge request's diff
    /// (GitLab's discussions, GitHub's review comments).
    pub fn line_comment_bodies(&self, mr: &MergeRequest) -> anyhow::Result<Vec<String>> {
        match self {
            Forge::GitLab(f) => f.line_comment_bodies(mr),
            Forge::GitHub(f) => f.line_comment_bodies(mr),
        }
    }

    /// A comment on a line of the new side of a merge request's diff.
    pub fn line_comment(
        &self,
        mr: &MergeRequest,
        position: &LinePosition,
        body: &str,
    ) -> anyhow::Result<()> {
        match self {
            Forge::GitLab(f) => f.line_comment(mr, position, body),
            Forge::GitHub(f) => f.line_comment(mr, position, body),
        }
    }
}

/// A line of the new side of a merge request's diff, with the diff's two
/// ends.
#[derive(Debug, Clone)]
pub struct LinePosition {
    pub base_sha: String,
    pub head_sha: String,
    pub path: String,
    pub line: usize,
}

/// How long one forge call may keep retrying a busy forge (429, 5xx).
const FORGE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(300);

/// The marker that finds the bot's own comment on a merge request.
pub const COMMENT_MARKER: &str = "<!-- podready:comment -->";

/// Spaces out API calls across threads: at most `per_minute` a minute.
pub struct RateLimiter {
    next: std::sync::Mutex<std::time::Instant>,
    interval: std::time::Duration,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            next: std::sync::Mutex::new(std::time::Instant::now()),
            interval: std::time::Duration::from_secs(60) / per_minute.max(1),
        }
    }

    /// Blocks until this call's slot comes.
    pub fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let now = std::time::Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot
        };
        let now = std::time::Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeRequest {
    /// The merge request's number in its project (GitLab's `iid`).
    pub number: u64,
    pub url: String,
}

/// `https://host/group/project.git` or `git@host:group/project.git` → the
/// forge's base URL and the project path.
pub fn project_of(url: &str) -> Option<(String, String)> {
    if let Some((scheme, rest)) = url.split_once("://") {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let (host, path) = rest.split_once('/')?;
        let scheme = if scheme == "http" { "http" } else { "https" };
        return Some((
            format!("{scheme}://{host}"),
            path.trim_end_matches(".git").to_string(),
        ));
    }
    let (user_host, path) = url.split_once(':')?;
    let host = user_host.rsplit_once('@').map_or(user_host, |(_, h)| h);
    Some((
        format!("https://{host}"),
        path.trim_end_matches(".git").to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::{percent_encode, project_of};

    #[test]
    fn branch_names_cannot_break_out_of_a_query_value() {
        let branch = "podready/sdk&state=closed+x#frag é";
        assert_eq!(
            percent_encode(branch),
            "podready%2Fsdk%26state%3Dclosed%2Bx%23frag%20%C3%A9"
        );
    }

    #[test]
    fn projects_from_clone_urls() {
        assert_eq!(
            project_of("https://bot:tok@gitlab.acme/pay/order-service.git"),
            Some(("https://gitlab.acme".into(), "pay/order-service".into()))
        );
        assert_eq!(
            project_of("git@gitlab.acme:pay/team/order.git"),
            Some(("https://gitlab.acme".into(), "pay/team/order".into()))
        );
        assert_eq!(project_of("/srv/repo"), None);
    }
}
