//! Maven version ordering, as Maven's `ComparableVersion` defines it, so
//! that `1.0-SNAPSHOT < 1.0-RC1 < 1.0 = 1.0.Final = 1.0-ga < 1.0-sp1` and a
//! version at or above a minimum is never touched.

use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// A number, as its decimal digits without leading zeros (any length).
    Int(String),
    /// A qualifier, already aliased (`cr` → `rc`, `ga`/`final`/`release` → ``).
    Str(String),
    /// The part after a `-` or a digit/letter transition.
    List(Vec<Item>),
}

/// A parsed Maven version.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    text: String,
    items: Vec<Item>,
}

impl MavenVersion {
    pub fn parse(text: &str) -> MavenVersion {
        MavenVersion {
            text: text.to_string(),
            items: parse_items(text),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for MavenVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for MavenVersion {}
impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}

/// Whether `version` lies in a Maven version range (`[1.7,1.8)`,
/// `[2.0,)`, `(,1.0]`, `[1.2.3]`, or several joined by commas). Text that
/// is not a range never matches.
pub fn in_range(version: &str, range: &str) -> bool {
    let v = MavenVersion::parse(version);
    let mut rest = range.trim();
    while !rest.is_empty() {
        let Some(close) = rest.find([']', ')']) else {
            return false;
        };
        let (one, after) = rest.split_at(close + 1);
        if one_range_contains(one, &v) {
            return true;
        }
        rest = after.trim_start_matches([',', ' ']);
    }
    false
}

fn one_range_contains(range: &str, v: &MavenVersion) -> bool {
    let (Some(open), Some(close)) = (range.chars().next(), range.chars().last()) else {
        return false;
    };
    if !matches!(open, '[' | '(') || !matches!(close, ']' | ')') || range.len() < 2 {
        return false;
    }
    let inner = &range[1..range.len() - 1];
    let Some((low, high)) = inner.split_once(',') else {
        return open == '[' && close == ']' && *v == MavenVersion::parse(inner.trim());
    };
    let (low, high) = (low.trim(), high.trim());
    let above = low.is_empty() || {
        let l = MavenVersion::parse(low);
        if open == '[' {
            *v >= l
        } else {
            *v > l
        }
    };
    let below = high.is_empty() || {
        let h = MavenVersion::parse(high);
        if close == ']' {
            *v <= h
        } else {
            *v < h
        }
    };
    above && below
}

/// Whether a version text is a range (`[1.0,2.0)`), which is never compared
/// or rewritten.
pub fn is_range(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('[') || t.starts_with('(')
}

fn parse_items(version: &str) -> Vec<Item> {
    let v = version.trim().to_lowercase();
    // A stack of lists: the innermost is the one being filled.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0;
    for (i, c) in v.char_indices() {
        if c == '.' || c == '-' {
            let item = if i == start {
                Item::Int("0".into())
            } else {
                parse_item(is_digit, &v[start..i])
            };
            push(&mut stack, item);
            start = i + c.len_utf8();
            if c == '-' {
                stack.push(Vec::new());
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                push(&mut stack, string_item(&v[start..i], true));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                push(&mut stack, parse_item(true, &v[start..i]));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if v.len() > start {
        push(&mut stack, parse_item(is_digit, &v[start..]));
    }
    // Close the nested lists, innermost first, normalising each.
    while stack.len() > 1 {
        let mut inner = stack.pop().unwrap_or_default();
        normalize(&mut inner);
        push(&mut stack, Item::List(inner));
    }
    let mut top = stack.pop().unwrap_or_default();
    normalize(&mut top);
    top
}

fn push(stack: &mut [Vec<Item>], item: Item) {
    if let Some(list) = stack.last_mut() {
        list.push(item);
    }
}

fn parse_item(is_digit: bool, s: &str) -> Item {
    if is_digit {
        let trimmed = s.trim_start_matches('0');
        Item::Int(if trimmed.is_empty() { "0" } else { trimmed }.to_string())
    } else {
        string_item(s, false)
    }
}

fn string_item(s: &str, followed_by_digit: bool) -> Item {
    let s = if followed_by_digit && s.len() == 1 {
        match s {
            "a" => "alpha",
            "b" => "beta",
            "m" => "milestone",
            other => other,
        }
    } else {
        s
    };
    let s = match s {
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Item::Str(s.to_string())
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(d) => d == "0",
        Item::Str(s) => s.is_empty(),
        Item::List(l) => l.is_empty(),
    }
}

/// Drops trailing null items (`1.0.0` = `1`), stopping at a non-list item.
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

fn qualifier_rank(q: &str) -> String {
    match QUALIFIERS.iter().position(|x| *x == q) {
        Some(i) => i.to_string(),
        None => format!("{}-{q}", QUALIFIERS.len()),
    }
}

fn cmp_ints(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Compares an item with "nothing" (the shorter version's missing tail).
fn cmp_with_null(item: &Item) -> Ordering {
    match item {
        Item::Int(d) => {
            if d == "0" {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Str(s) => qualifier_rank(s).cmp(&qualifier_rank("")),
        Item::List(l) => l.first().map_or(Ordering::Equal, cmp_with_null),
    }
}

fn cmp_items(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        (Item::Int(x), Item::Int(y)) => cmp_ints(x, y),
        (Item::Int(_), _) => Ordering::Greater,
        (Item::Str(_), Item::Int(_)) => Ordering::Less,
        (Item::Str(x), Item::Str(y)) => qualifier_rank(x).cmp(&qualifier_rank(y)),
        (Item::Str(_), Item::List(_)) => Ordering::Less,
        (Item::List(_), Item::Int(_)) => Ordering::Less,
        (Item::List(_), Item::Str(_)) => Ordering::Greater,
        (Item::List(x), Item::List(y)) => cmp_lists(x, y),
    }
}

fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let ord = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => cmp_items(x, y),
            (Some(x), None) => cmp_with_null(x),
            (None, Some(y)) => cmp_with_null(y).reverse(),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(in_range("1.7.25", "[1.7.0,1.8)"));
        assert!(!in_range("1.8.0", "[1.7.0,1.8)"));
        assert!(!in_range("2.0.9", "[1.7.0,1.8)"));
        assert!(in_range("2.0.9", "[2.0,)"));
        assert!(in_range("1.2.13", "[1.0,1.3)"));
        assert!(!in_range("1.3.14", "[1.0,1.3)"));
        assert!(in_range("1.0", "(,1.0]"));
        assert!(!in_range("1.0", "(,1.0)"));
        assert!(in_range("1.2.3", "[1.2.3]"));
        assert!(in_range("3.5", "[1,2),[3,4)"));
        assert!(!in_range("2.5", "[1,2),[3,4)"));
        assert!(!in_range("1.0", "1.0"));
    }

    fn v(s: &str) -> MavenVersion {
        MavenVersion::parse(s)
    }

    #[test]
    fn orders_like_maven() {
        // Each version is below the next, as Maven's own test suite has it.
        let ascending = [
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
            "2.0",
            "2.0.1-SNAPSHOT",
            "2.0.1",
            "2.5.3",
            "2.6.5",
            "2.6.12",
            "2.10",
            "10.0",
        ];
        for pair in ascending.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn equal_spellings() {
        for (a, b) in [
            ("1", "1.0.0"),
            ("1.0", "1-ga"),
            ("1.0", "1.0.Final"),
            ("1.0", "1.0-RELEASE"),
            ("1-cr1", "1-rc1"),
            ("1a1", "1-alpha-1"),
            ("1.0.0.0", "1"),
            ("01.2", "1.2"),
        ] {
            assert_eq!(v(a), v(b), "{a} = {b}");
        }
    }

    #[test]
    fn jre_and_final_qualifiers() {
        assert!(v("31.1-jre") > v("31.0.1-jre"));
        assert!(v("5.4.2.Final") > v("5.4.1.Final"));
        assert!(v("2.7.0") > v("2.7.0-RC1"));
    }

    #[test]
    fn ranges_are_recognised() {
        assert!(is_range("[2.5,2.6)"));
        assert!(is_range("(,1.0]"));
        assert!(!is_range("2.5"));
    }
}
