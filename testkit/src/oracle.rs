//! The expected findings of a fixture, read from its markers (the oracle
//! `fixtures/README.md` describes).

use std::collections::BTreeMap;
use std::path::Path;

/// `(path, line, rule)` → how many findings are expected there.
pub type Expected = BTreeMap<(String, usize, String), usize>;

fn rule_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for token in text.split([',', ' ', '\t']) {
        let token = token.trim();
        let valid = token.split_once('/').is_some_and(|(cat, name)| {
            !cat.is_empty()
                && cat.chars().all(|c| c.is_ascii_lowercase())
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !name.starts_with('-')
                && !name.ends_with('-')
        });
        if valid {
            ids.push(token.to_string());
        } else if !token.is_empty() {
            break;
        }
    }
    ids
}

/// Reads every marker under `root`.
pub fn expected(root: &Path) -> Expected {
    let mut out = Expected::new();
    for entry in walk(root) {
        let rel = entry
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if let Some(target) = rel.strip_suffix(".expect") {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let (n, rule) = line.trim().split_once(' ').expect("`LINE RULE`");
                *out.entry((target.to_string(), n.parse().unwrap(), rule.to_string()))
                    .or_default() += 1;
            }
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            for (marker, offset) in [("expect-next:", 1), ("expect:", 0)] {
                if let Some(pos) = line.find(marker) {
                    if marker == "expect:" && line[..pos].ends_with("expect-") {
                        continue;
                    }
                    for id in rule_ids(&line[pos + marker.len()..]) {
                        *out.entry((rel.clone(), i + 1 + offset, id)).or_default() += 1;
                    }
                }
            }
        }
    }
    out
}

/// What differs between the expected and the reported findings, for a
/// failing assertion's message; `None` when they are the same.
pub fn mismatch(want: &Expected, got: &Expected) -> Option<String> {
    let missing: Vec<_> = want
        .iter()
        .filter(|(k, n)| got.get(*k) != Some(*n))
        .collect();
    let unexpected: Vec<_> = got
        .iter()
        .filter(|(k, n)| want.get(*k) != Some(*n))
        .collect();
    (!missing.is_empty() || !unexpected.is_empty()).then(|| {
        format!(
            "expected but not reported (or wrong count): {missing:#?}\nreported but not expected: {unexpected:#?}"
        )
    })
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.file_name().is_some_and(|n| n != "README.md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::rule_ids;

    #[test]
    fn marker_parsing() {
        assert_eq!(
            rule_ids(" host/hardcoded-ip, host/hardcoded-ip -->"),
            ["host/hardcoded-ip", "host/hardcoded-ip"]
        );
        assert_eq!(rule_ids(" logging/stdout"), ["logging/stdout"]);
    }
}
