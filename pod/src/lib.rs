//! What runs inside a pod: the grant client (`grant request|renew|revoke`)
//! and the hooks (`hooks run|status|stop`). The full `podready` binary
//! carries these commands too; `podready-pod` carries only them, so it can be
//! built small and static and run in any application image.

pub mod client;
pub mod grant;
pub mod hooks;
pub mod retry;

/// An error and its causes on one line: `what: why: root cause`. A cause
/// its error already quotes is not repeated.
pub fn one_line(e: &anyhow::Error) -> String {
    causes_line(e.chain().map(|c| c.to_string()))
}

/// [`one_line`] for a library's error and its sources.
pub fn error_line(e: &(dyn std::error::Error + 'static)) -> String {
    causes_line(std::iter::successors(Some(e), |e| e.source()).map(|c| c.to_string()))
}

fn causes_line(causes: impl Iterator<Item = String>) -> String {
    let mut line = String::new();
    for cause in causes {
        if line.ends_with(&cause) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&cause);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::{error_line, one_line};

    #[test]
    fn a_cause_its_error_quotes_is_said_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot read grant.toml: {source}")]
        struct Quoting {
            source: std::io::Error,
        }
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = anyhow::Error::new(Quoting { source: io() }).context("grant serve");
        assert_eq!(
            one_line(&e),
            "grant serve: cannot read grant.toml: no such file"
        );
        let plain = anyhow::Error::new(io()).context("cannot open the ledger");
        assert_eq!(one_line(&plain), "cannot open the ledger: no such file");
        // A library's error without anyhow: the same line.
        assert_eq!(
            error_line(&Quoting { source: io() }),
            "cannot read grant.toml: no such file"
        );
        #[derive(Debug, thiserror::Error)]
        #[error("connecting failed")]
        struct Plain(#[source] std::io::Error);
        assert_eq!(error_line(&Plain(io())), "connecting failed: no such file");
    }
}
