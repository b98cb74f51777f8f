//! Where merge requests are opened. `none` writes the text to a file and
//! stdout, so the whole flow runs on a laptop with no account.

pub mod gitlab;

/// The marker that finds the bot's own comment on a merge request.
pub const COMMENT_MARKER: &str = "<!-- podready:comment -->";

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
    use super::project_of;

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
