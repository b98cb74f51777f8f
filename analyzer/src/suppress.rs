//! `podready:ignore[rule-id] reason` comments.

use podready_rules::Rule;

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

/// The ids in `podready:ignore[…]` markers that name no rule in `known`,
/// by line, each with the closest known id when one is near enough to be
/// a typo.
pub fn unknown_ids(src: &SourceText, rules: &[Rule]) -> Vec<(usize, String, Option<String>)> {
    let mut out = Vec::new();
    // Most files have no marker: nothing is built for them.
    if !src.text.contains(MARKER) {
        return out;
    }
    let known: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    for line in 1..=src.line_count() {
        let mut rest = src.line(line);
        while let Some(i) = rest.find(MARKER) {
            let after = &rest[i + MARKER.len()..];
            let Some(end) = after.find(']') else { break };
            for id in after[..end]
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                if !known.contains(&id) {
                    let closest = known
                        .iter()
                        .map(|k| (distance(id, k), *k))
                        .min()
                        .filter(|(d, _)| *d <= 3.max(id.len() / 4))
                        .map(|(_, k)| k.to_string());
                    out.push((line, id.to_string(), closest));
                }
            }
            rest = &after[end..];
        }
    }
    out
}

/// Levenshtein distance, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
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

    #[test]
    fn unknown_ids_are_found_with_the_closest_known_one() {
        let src = SourceText::decode(
            b"x // podready:ignore[logging/stdot] typo\n\
              y // podready:ignore[host/local-address, made/up] mixed\n",
        );
        let pack = podready_rules::RulePack::builtin().unwrap();
        assert_eq!(
            unknown_ids(&src, &pack.rules),
            vec![
                (
                    1,
                    "logging/stdot".to_string(),
                    Some("logging/stdout".to_string())
                ),
                (2, "made/up".to_string(), None),
            ]
        );
    }
}
