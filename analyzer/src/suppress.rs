//! `podready:ignore[rule-id] reason` comments.

use crate::text::SourceText;

const MARKER: &str = "podready:ignore[";

/// Whether a finding of `rule` on `line` is suppressed by a marker on that
/// line or on the line directly above it.
pub fn is_suppressed(src: &SourceText, line: usize, rule: &str) -> bool {
    [line, line.saturating_sub(1)]
        .into_iter()
        .filter(|l| *l > 0)
        .any(|l| line_suppresses(src.line(l), rule))
}

fn line_suppresses(text: &str, rule: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find(MARKER) {
        let after = &rest[i + MARKER.len()..];
        let Some(end) = after.find(']') else {
            return false;
        };
        if after[..end]
            .split([',', ' '])
            .map(str::trim)
            .any(|id| id == rule)
        {
            return true;
        }
        rest = &after[end..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_line_and_line_above() {
        let src = SourceText::decode(
            b"a // podready:ignore[host/hardcoded-ip] test fixture\n\
              // podready:ignore[logging/stdout, host/local-address] reason\n\
              b\n\
              c\n",
        );
        assert!(is_suppressed(&src, 1, "host/hardcoded-ip"));
        assert!(!is_suppressed(&src, 1, "logging/stdout"));
        assert!(is_suppressed(&src, 3, "host/local-address"));
        assert!(is_suppressed(&src, 3, "logging/stdout"));
        assert!(!is_suppressed(&src, 4, "logging/stdout"));
    }
}
