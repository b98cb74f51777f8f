//! Finding IP address literals in text (string literals, config values).
//!
//! What is not a host address is left out: loopback, unspecified, broadcast
//! and netmasks, multicast groups, subnets in CIDR notation, invalid octets,
//! and dotted numbers that are versions or object identifiers.

use std::collections::HashMap;
use std::net::Ipv6Addr;

use crate::finding::RawFinding;
use crate::text::SourceText;

/// An address found in a text: its byte range in that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpSpan {
    pub start: usize,
    pub end: usize,
}

/// Every reportable IP address in `text`, in order.
pub fn find_ips(text: &str) -> Vec<IpSpan> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Beside an object identifier of five numbers or more, four dotted
    // numbers are another (an LDAP DN's `2.5.4.11= system`): looked for
    // once a text holds four (most string literals hold none).
    let identifiers = std::cell::OnceCell::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_hexdigit() || b == b':') || (i > 0 && is_word(bytes[i - 1])) {
            i += 1;
            continue;
        }
        if let Some(end) = ipv4_at(bytes, i) {
            if !*identifiers.get_or_init(|| holds_object_identifier(text))
                && !is_version_context(text, i, end)
            {
                out.push(IpSpan { start: i, end });
            }
            i = end;
            continue;
        }
        if let Some((end, reportable)) = ipv6_span(text, i) {
            // One that is no host's (a metadata service's `fd00:ec2::254`)
            // is passed over whole, not read again from its inner groups.
            if reportable && !continues_a_port_list(bytes, i, end) {
                out.push(IpSpan { start: i, end });
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// Whether `text` holds an object identifier: five dotted numbers or more
/// from a root arc, 0, 1 or 2 (`0.9.2342.19200300.100.1.1`,
/// `1.3.6.1.4.1`), standing alone.
fn holds_object_identifier(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .any(|token| {
            matches!(token.split('.').next(), Some("0" | "1" | "2"))
                && token.split('.').count() >= 5
                && token.split('.').all(|p| !p.is_empty())
        })
}

/// Whether `text` holds anything [`find_ips`] could report in a part of
/// it (a string literal): every position where an address could start,
/// whatever the text around it says.
pub fn may_hold_address(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most bytes are inside a word, where no address starts: the byte
    // before is looked at first (the test runs on every unparsed file).
    let mut after_word = false;
    bytes.iter().enumerate().any(|(i, &b)| {
        let starts = !after_word
            && (b.is_ascii_hexdigit() || b == b':')
            && ((b.is_ascii_digit() && ipv4_at(bytes, i).is_some())
                // An IPv6 address has a colon within its first five bytes.
                || (bytes[i..].iter().take(5).any(|&c| c == b':') && ipv6_at(text, i).is_some()));
        after_word = is_word(b);
        starts
    })
}

/// The last word of a key, variable or parameter name that says its value
/// describes or illustrates rather than configures (`form.message`,
/// `protocolVersion`, `EXAMPLE_HINT`), or is an object identifier of four
/// numbers (`setEqualityOid("2.5.13.2")`, LDAP's caseIgnoreMatch);
/// `message.broker.host` configures.
const NOT_CONFIG_WORDS: [&str; 15] = [
    "version",
    "oid",
    "oids",
    "message",
    "msg",
    "description",
    "desc",
    "example",
    "examples",
    "hint",
    "placeholder",
    "tooltip",
    "tip",
    "help",
    "label",
];

/// The words of a key or a Java name, lowercase: split at dots, dashes, underscores,
/// brackets and camel-case humps (`serverAddr` → `server`, `addr`).
pub(crate) fn name_words(key: &str) -> impl Iterator<Item = String> + '_ {
    key.split(['.', '-', '_', '[', ']', ' '])
        .flat_map(|part| {
            let mut words = Vec::new();
            let mut current = String::new();
            // Whether the character before, as written, is lowercase
            // (`current` holds it lowercased).
            let mut after_lowercase = false;
            for ch in part.chars() {
                if ch.is_uppercase() && after_lowercase {
                    words.push(std::mem::take(&mut current));
                }
                after_lowercase = ch.is_lowercase();
                current.extend(ch.to_lowercase());
            }
            words.push(current);
            words
        })
        .filter(|w| !w.is_empty())
}

/// The last word of a name: after its last separator or camel-case hump.
fn last_word(name: &str) -> String {
    let name = name.trim_end_matches(|c: char| !c.is_alphanumeric());
    let start = name
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            !c.is_alphanumeric()
                || (c.is_lowercase()
                    && name[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    name[start..].to_ascii_lowercase()
}

/// Words that present an address in prose as an example or a format
/// ("eg: 192.168.0.1:9876", "please set it as follows, …"); a config value
/// or a string that configures never holds them. The ASCII ones count
/// only at the start of a word (`eg:`, not `leg:`). Translations' too: a
/// bundle of texts for people may lie anywhere.
const EXAMPLE_WORDS: &[&str] = &[
    "e.g.",
    "eg:",
    "eg.",
    "example:",
    "examples:",
    "for example",
    "for instance",
    "such as",
    "as follows",
    "format:",
    " like ",
    "例如",
    "比如",
    "譬如",
    "示例",
    "格式",
    "par exemple",
    "bijv",
    "vb:",
    "z.b.",
    "zum beispiel",
    "por ejemplo",
    "p.ej.",
    "por exemplo",
    "per esempio",
    "ad esempio",
    "например",
    "наприклад",
    "به عنوان مثال",
    "例えば",
    "예를 들어",
];

/// Whether an address under this key, in this value, is not configuration:
/// a version, a message, an example in prose ("an address like 8.8.8.8").
pub fn is_descriptive(key: &str, value: &str) -> bool {
    if NOT_CONFIG_WORDS.contains(&last_word(key).as_str()) {
        return true;
    }
    let value = value.to_lowercase();
    EXAMPLE_WORDS.iter().any(|w| contains_word(&value, w)) || has_chinese_as(&value)
}

/// `word` in `text` at the start of a word.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        !word.starts_with(|c: char| c.is_ascii_alphanumeric())
            || !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// `如` ("as", "such as") introducing an example: before a colon, an
/// address or a quote, or in `如下` ("as follows"); not in `如果` ("if")
/// or `如何` ("how").
fn has_chinese_as(text: &str) -> bool {
    text.match_indices('如').any(|(i, c)| {
        text[i + c.len()..].chars().next().is_some_and(|next| {
            next == '下' || next.is_ascii() || matches!(next, '：' | '“' | '‘' | '「')
        })
    })
}

/// Merges the findings of each IP rule on one line into one naming every
/// address on it (`10.0.0.1, 10.0.0.2`), at the first: a list of
/// addresses is one thing to change.
pub(crate) fn one_finding_per_line(
    raw: &mut Vec<RawFinding>,
    src: &SourceText,
    ip_rules: &[usize],
) {
    if ip_rules.is_empty() {
        return;
    }
    let mut merged: Vec<RawFinding> = Vec::with_capacity(raw.len());
    // Where in `merged` the finding of a rule on a line is, by what must be
    // equal for two to merge.
    let mut first_of: HashMap<(usize, usize, bool, Vec<String>), usize> = HashMap::new();
    for r in raw.drain(..) {
        if !ip_rules.contains(&r.rule) {
            merged.push(r);
            continue;
        }
        let only_logged = r.harmless == Some(crate::finding::Harmless::Logged);
        let key = (r.rule, src.line_of(r.start), only_logged, r.via.clone());
        match first_of.get(&key) {
            Some(&i) => {
                let first = &mut merged[i];
                if !first.detail.split(", ").any(|a| a == r.detail) {
                    first.detail.push_str(", ");
                    first.detail.push_str(&r.detail);
                }
                first.start = first.start.min(r.start);
                first.end = first.end.max(r.end);
            }
            None => {
                first_of.insert(key, merged.len());
                merged.push(r);
            }
        }
    }
    *raw = merged;
}

/// A dotted number that is a version by its neighbours: the version of
/// Maven coordinates or an image tag (`org.acme:agent:3.0.2.1`,
/// `registry/app:1.2.3.4`), a bound of a version range (`[1.0.0.0,2.0)`),
/// or one the word `version` introduces (`job-manage version>=3.3.5.0`),
/// a browser's version in a user agent (`rv:1.9.2.2`,
/// `Chrome/4.0.249.0`), or a release's folder in a path
/// (`snappy-java/1.1.7.2/`).
fn is_version_context(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before = start.checked_sub(1).map(|i| bytes[i]);
    if is_range_bound(text, start, end)
        || follows_version_word(&text[..start])
        || follows_section_mark(&text[..start])
        || is_in_url_path(&text[..start], &text[end..])
    {
        return true;
    }
    // A product's version (`Chrome/4.0.249.0`), not a URL's host (`//`).
    let product_version =
        before == Some(b'/') && start >= 2 && bytes[start - 2].is_ascii_alphanumeric();
    // A release's folder in a Maven repository's layout, the next name
    // the artifact's at that version (`snappy-java/1.1.7.2/snappy-java-1.1.7.2.jar`
    // in a lock file's download path).
    let version = &text[start..end];
    if product_version
        && text[end..]
            .strip_prefix('/')
            .and_then(|rest| rest.split(['/', '"', '\'', ' ']).next())
            .is_some_and(|next| next.contains(&format!("-{version}")))
    {
        return true;
    }
    if text.contains("Mozilla/") && (product_version || text[..start].ends_with("rv:")) {
        return true;
    }
    if before != Some(b':') {
        return false;
    }
    // The token before the colon, back to a delimiter.
    let token = last_token(&text[..start - 1], |c| {
        c.is_whitespace() || "\"'=,;([{<>".contains(c)
    });
    !token.contains("://") && (token.contains(':') || token.contains('/'))
}

/// Whether an address between `head` and `tail` lies in a URL's path
/// (`http://repo/hdp/updates/1.3.7.0`, a release's folder): the URL's
/// host is the part before the path. Not with a port after it
/// (`/proxy/10.1.2.3:8080/`), nor after a query, a parameter or a
/// fragment (`?`, `=`, `&`, `#`) or a user (`@`), which may name a host;
/// a URL in the path (`http://gw/http://10.1.2.3/`) is a URL of its own.
fn is_in_url_path(head: &str, tail: &str) -> bool {
    let with_port = tail
        .strip_prefix(':')
        .is_some_and(|port| port.starts_with(|c: char| c.is_ascii_digit()));
    let token = last_token(head, |c| {
        c.is_whitespace() || "\"'<>,;()[]{}|\\".contains(c)
    });
    !with_port
        && token.rfind("://").is_some_and(|at| {
            let after_scheme = &token[at + 3..];
            after_scheme
                .find('/')
                .is_some_and(|path| !after_scheme[path..].contains(['?', '=', '@', '&', '#']))
        })
}

/// The end of `head` after its last delimiter (a character `ends` accepts).
fn last_token(head: &str, ends: impl Fn(char) -> bool) -> &str {
    head.char_indices()
        .rev()
        .find(|&(_, c)| ends(c))
        .map_or(head, |(at, c)| &head[at + c.len_utf8()..])
}

/// Whether `head` ends with the word `version` (or `版本`), spaces, a
/// comparison, a colon or a quote between (`version >= `, `Version: `,
/// SQL's `version ='`).
fn follows_version_word(head: &str) -> bool {
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || "<>=:：~^'\"".contains(c));
    if head.ends_with("版本") {
        return true;
    }
    let Some(word_start) = head.len().checked_sub("version".len()) else {
        return false;
    };
    head.get(word_start..)
        .is_some_and(|w| w.eq_ignore_ascii_case("version"))
        && !head[..word_start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A section of a document, not an address: after a `#` or `§` that
/// starts a word (`See RFC 2821 #4.5.3.1`, `(§4.5.3.1)`; not
/// `master#10.1.0.1`, a fragment or a second address after `#`), after
/// the word `section`, `sec.`, `clause` or `chapter`, or after an RFC's
/// number (`RFC 5321 4.5.3.1`).
fn follows_section_mark(head: &str) -> bool {
    if let Some(before) = head.strip_suffix(['#', '§']) {
        return before.is_empty() || before.ends_with(|c: char| c.is_whitespace() || c == '(');
    }
    if head.trim_end().to_ascii_lowercase().ends_with(" sec.") {
        return true;
    }
    let head = head.trim_end();
    let last = head
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or(head)
        .trim_end_matches([',', '.', ':']);
    if matches!(
        last.to_ascii_lowercase().as_str(),
        "section" | "sections" | "clause" | "chapter" | "§"
    ) {
        return true;
    }
    // `RFC 5321 4.5.3.1`: the word before the number is `RFC`.
    let mut words = head.rsplit(|c: char| c.is_whitespace());
    let number = words.next().unwrap_or("");
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && words.next().is_some_and(|w| w.eq_ignore_ascii_case("rfc"))
}

/// `[1.0.0.0,2.0.0.0)`: a bracketed pair with one comma and no spaces
/// (`[10.0.0.1, 10.0.0.2]`, a list of addresses, has them).
fn is_range_bound(text: &str, start: usize, end: usize) -> bool {
    let Some(open) = text[..start].rfind(['[', '(']) else {
        return false;
    };
    let Some(close) = text[end..].find([']', ')']).map(|i| end + i) else {
        return false;
    };
    let inner = &text[open + 1..close];
    inner.matches(',').count() == 1
        && !inner.contains(char::is_whitespace)
        && !inner.contains(['[', '(', '"', '\''])
}

/// Characters that glue a dotted number to a word around it: a number so
/// glued is part of a version (`v1.2.3.4`, `1.2.3.4-SNAPSHOT`) or a name.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-'
}

fn ipv4_at(bytes: &[u8], start: usize) -> Option<usize> {
    let mut octets = [0u16; 4];
    let mut i = start;
    for (n, octet) in octets.iter_mut().enumerate() {
        if n > 0 {
            if bytes.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let digits_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() && i - digits_start < 4 {
            i += 1;
        }
        let digits = &bytes[digits_start..i];
        if digits.is_empty() || digits.len() > 3 || (digits.len() > 1 && digits[0] == b'0') {
            return None;
        }
        *octet = digits
            .iter()
            .fold(0u16, |v, d| v * 10 + u16::from(d - b'0'));
        if *octet > 255 {
            return None;
        }
    }
    // After the address: not glued to more of a word. A trailing `.` is
    // fine when it ends a sentence, not when a fifth number follows (OIDs).
    match bytes.get(i) {
        Some(&b'.') if bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphanumeric()) => return None,
        Some(&b'.') => {}
        Some(&b) if is_word(b) => return None,
        _ => {}
    }
    (reportable_v4(octets)
        && !is_cidr(bytes, start, i, Some(octets))
        && !is_network_bound(bytes, start, i, octets))
    .then_some(i)
}

/// The first or last address of a /16 or wider network (`10.0.0.0`,
/// `172.31.255.255`), as the bounds of a range are written (`isInnerIp`'s
/// `10.0.0.0`–`10.255.255.255`), unless written as a host: after `://` or
/// `@`, or before `:port`. Only the last octet being `0` or `255` makes
/// an ordinary host of a /16 to /23 network.
fn is_network_bound(bytes: &[u8], start: usize, end: usize, o: [u16; 4]) -> bool {
    let bound = (o[2] == 0 && o[3] == 0) || (o[2] == 255 && o[3] == 255);
    let as_host = bytes[..start].ends_with(b"://")
        || bytes[..start].ends_with(b"@")
        || (bytes.get(end) == Some(&b':') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit));
    bound && !as_host
}

fn reportable_v4(o: [u16; 4]) -> bool {
    const MASK_OCTETS: [u16; 9] = [0, 128, 192, 224, 240, 248, 252, 254, 255];
    let loopback = o[0] == 127;
    let this_network = o[0] == 0;
    let netmask = o[0] == 255 && o.iter().all(|x| MASK_OCTETS.contains(x));
    let multicast = (224..=239).contains(&o[0]);
    // Cloud instance metadata services answer at the same fixed address in
    // every environment, pods included (169.254.169.254; Alibaba Cloud's
    // 100.100.100.200).
    let metadata = o == [169, 254, 169, 254] || o == [100, 100, 100, 200];
    !(loopback || this_network || netmask || multicast || metadata)
}

/// Whether an address is a public DNS resolver's, which code also
/// "connects" a UDP socket to only to learn its own outgoing address.
pub fn is_public_resolver(address: &str) -> bool {
    let octets: Vec<u16> = address.split('.').filter_map(|o| o.parse().ok()).collect();
    octets.len() == 4 && PUBLIC_RESOLVERS.iter().any(|r| r[..] == octets[..])
}

/// The anycast addresses of the public DNS resolvers (Google, Cloudflare,
/// Quad9, OpenDNS, 114DNS, AliDNS, DNSPod).
const PUBLIC_RESOLVERS: [[u16; 4]; 11] = [
    [8, 8, 8, 8],
    [8, 8, 4, 4],
    [1, 1, 1, 1],
    [1, 0, 0, 1],
    [9, 9, 9, 9],
    [208, 67, 222, 222],
    [114, 114, 114, 114],
    [114, 114, 115, 115],
    [223, 5, 5, 5],
    [223, 6, 6, 6],
    [119, 29, 29, 29],
];

/// `/8` … `/128` right after an address whose host bits are zero: a
/// subnet, not a host. Not in a URL (`redis://10.0.0.1/0` is a host and a
/// database number), not followed by more path (`/1.jpg`).
fn is_cidr(bytes: &[u8], start: usize, end: usize, v4: Option<[u16; 4]>) -> bool {
    if bytes.get(end) != Some(&b'/') || bytes[..start].ends_with(b"://") {
        return false;
    }
    let digits = bytes[end + 1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let next = bytes.get(end + 1 + digits);
    if !(1..=3).contains(&digits)
        || next.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'/')
    {
        return false;
    }
    let prefix: u32 = std::str::from_utf8(&bytes[end + 1..end + 1 + digits])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    match v4 {
        Some(o) if prefix <= 32 => {
            let addr = o.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x));
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix)
            };
            addr & !mask == 0
        }
        Some(_) => false,
        None => prefix <= 128,
    }
}

/// After a colon, groups of decimal digits only continue a `host:port:port`
/// list (ZooKeeper's `zk-0.zk:2888:3888::1`), not an IPv6 address; hex
/// groups (`${REDIS_HOST:fd00:10::25}`) make one.
fn continues_a_port_list(bytes: &[u8], start: usize, end: usize) -> bool {
    start > 0
        && bytes[start - 1] == b':'
        && bytes[start..end]
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b':')
}

fn ipv6_at(text: &str, start: usize) -> Option<usize> {
    ipv6_span(text, start).and_then(|(end, reportable)| reportable.then_some(end))
}

/// The end of an IPv6 address written at `start`, and whether it is a
/// host's address (not loopback, unspecified, multicast, a metadata
/// service's or a CIDR block).
fn ipv6_span(text: &str, start: usize) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    let mut end = start;
    while end < bytes.len() && (bytes[end].is_ascii_hexdigit() || bytes[end] == b':') {
        end += 1;
    }
    // An embedded IPv4 tail (`::ffff:10.0.0.1`).
    if bytes.get(end) == Some(&b'.') {
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            end += 1;
        }
    }
    if bytes.get(end).is_some_and(|&b| is_word(b)) {
        return None;
    }
    let candidate = &text[start..end];
    let colons = candidate.bytes().filter(|&b| b == b':').count();
    if colons < 2 || !(candidate.contains("::") || colons == 7) {
        return None;
    }
    // One-letter groups around `::` (`a::b`) are more likely C++ or Ruby
    // names than addresses; a real address has a group of two or more.
    if !candidate.split(':').any(|g| g.len() >= 2) {
        return None;
    }
    // Hex letters alone (`add::`, a message's prefix; `dead::beef`) spell
    // words; an address written out has a digit somewhere.
    if !candidate.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let addr: Ipv6Addr = candidate.parse().ok()?;
    let multicast = addr.segments()[0] & 0xff00 == 0xff00;
    // The IPv6 addresses of cloud metadata services, as 169.254.169.254
    // (AWS' `fd00:ec2::254`; `fe80::a9fe:a9fe`, that address mapped).
    let metadata = addr.segments() == [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]
        || addr.segments() == [0xfe80, 0, 0, 0, 0, 0, 0xa9fe, 0xa9fe];
    let reportable = !addr.is_loopback()
        && !addr.is_unspecified()
        && !multicast
        && !metadata
        && !is_cidr(bytes, start, end, None);
    Some((end, reportable))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find_ips(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn a_documents_section_number_is_no_address() {
        assert!(found("Line length exceeded. See RFC 2821 #4.5.3.1.").is_empty());
        assert!(found("as section 5.3.1.1 of the spec says").is_empty());
        assert!(found("see § 4.5.3.1").is_empty());
        assert!(found("RFC 5321 4.5.3.1").is_empty());
        // An address after other words or numbers stays one.
        assert_eq!(found("node 3 10.1.2.3"), ["10.1.2.3"]);
        assert_eq!(found("secondary 10.1.2.3"), ["10.1.2.3"]);
        assert_eq!(found("hosts=10.1.2.3#10.1.2.4"), ["10.1.2.3", "10.1.2.4"]);
        assert_eq!(found("master#10.1.0.1"), ["10.1.0.1"]);
        assert_eq!(found("http://wiki/page#10.1.0.1"), ["10.1.0.1"]);
        assert_eq!(found("sec 10.1.0.1"), ["10.1.0.1"]);
        assert!(found("see RFC 2821 (#4.5.3.1)").is_empty());
        assert!(found("see RFC 2821 sec. 4.5.3.1").is_empty());
    }

    #[test]
    fn hex_words_before_double_colons_are_no_addresses() {
        assert!(found("log.debug(\"add:: group {}\", id)").is_empty());
        assert!(found("dead::beef").is_empty());
        assert_eq!(found("fd00:ab::25"), ["fd00:ab::25"]);
    }

    #[test]
    fn finds_addresses_in_urls_and_lists() {
        assert_eq!(
            found("jdbc:mysql://10.20.30.40:3306/order"),
            ["10.20.30.40"]
        );
        assert_eq!(found("10.0.0.5,10.0.0.6"), ["10.0.0.5", "10.0.0.6"]);
        assert_eq!(found("connect to 192.168.1.20."), ["192.168.1.20"]);
        // A server's address is no version, whatever word ends in `ver`.
        assert_eq!(found("server 10.1.2.3"), ["10.1.2.3"]);
        assert_eq!(found("subversion=10.1.2.3"), ["10.1.2.3"]);
        // A browser's user agent names versions, not hosts.
        assert!(found(
            "Mozilla/5.0 (Macintosh; U; en-US; rv:1.9.2.2) Gecko/20100316 Chrome/4.0.249.0"
        )
        .is_empty());
        assert_eq!(found("Mozilla/5.0 proxy 10.1.2.3"), ["10.1.2.3"]);
        // A release's folder in a download path (a Bazel lock file).
        assert!(
            found("v1/https/repo/org/xerial/snappy-java/1.1.7.2/snappy-java-1.1.7.2.jar")
                .is_empty()
        );
        assert_eq!(found("/services/order/10.1.2.3/weight"), ["10.1.2.3"]);
        assert_eq!(found("http://10.1.2.3/files/"), ["10.1.2.3"]);
        assert_eq!(
            found("Mozilla/5.0 (compatible; +http://10.1.2.3/bot.html)"),
            ["10.1.2.3"]
        );
        assert_eq!(found("[2001:db8::17]:8080"), ["2001:db8::17"]);
        assert_eq!(found("${REDIS_HOST:fd00:10::25}"), ["fd00:10::25"]);
        assert_eq!(
            found("fe80::1ff:fe23:4567:890a"),
            ["fe80::1ff:fe23:4567:890a"]
        );
        assert_eq!(found("10.1.2.3/api/v1"), ["10.1.2.3"]);
        // Cloud metadata services' IPv6 addresses answer in every pod.
        assert!(found("{\"fd00:ec2::254\", \"fe80::a9fe:a9fe\"}").is_empty());
        assert_eq!(found("a:10.12.3.4"), ["10.12.3.4"]);
        assert_eq!(found("host:10.1.2.3"), ["10.1.2.3"]);
        assert_eq!(found("redis://10.1.2.3/0"), ["10.1.2.3"]);
        assert_eq!(found("http://10.1.2.3/1.jpg"), ["10.1.2.3"]);
        // With a port, after a query or a user, or in a URL of its own,
        // an address in a URL's path may be a host.
        assert_eq!(
            found("http://gw.acme.com/proxy/10.1.2.3:8080/x"),
            ["10.1.2.3"]
        );
        assert_eq!(found("http://gw.acme.com/http://10.1.2.4/x"), ["10.1.2.4"]);
        assert_eq!(
            found("http://a.acme.com/r|http://10.1.2.5:81/r"),
            ["10.1.2.5"]
        );
        assert_eq!(
            found("http://a.acme.com/b\\nhttp://10.1.2.6/c"),
            ["10.1.2.6"]
        );
        // Whitespace of more than one byte ends a token too.
        assert_eq!(found("db\u{a0}10.20.30.41"), ["10.20.30.41"]);
        assert_eq!(found("主机\u{3000}http://10.20.30.42"), ["10.20.30.42"]);
        assert_eq!(found("a\u{a0}b:10.20.30.44"), ["10.20.30.44"]);
        assert_eq!(found("http://gw/login?next=10.1.2.3"), ["10.1.2.3"]);
        assert_eq!(found("ftp://x/y@10.1.2.3"), ["10.1.2.3"]);
        assert_eq!(found("http://a/b http://10.1.2.3/c"), ["10.1.2.3"]);
        assert_eq!(found("allow 10.1.2.3/24"), ["10.1.2.3"]);
        // Five numbers from no root arc are no identifier.
        assert_eq!(found("agent 7.1.0.3.2 at 10.1.2.3"), ["10.1.2.3"]);
        assert_eq!(found("zk.example.com,10.0.0.7"), ["10.0.0.7"]);
        assert_eq!(found("[10.1.0.2, 10.1.0.3]"), ["10.1.0.2", "10.1.0.3"]);
        // `.0` and `.255` hosts of networks wider than /24.
        assert_eq!(found("jdbc:mysql://172.31.16.0:3306/o"), ["172.31.16.0"]);
        assert_eq!(found("spring.redis.host=10.8.3.255"), ["10.8.3.255"]);
        assert_eq!(
            found("10.1.2.255:2181,10.1.3.0:2181"),
            ["10.1.2.255", "10.1.3.0"]
        );
        // A range's bound, written as a host.
        assert_eq!(found("http://10.8.0.0:8080/api"), ["10.8.0.0"]);
        assert_eq!(found("zk=10.9.0.0:2181"), ["10.9.0.0"]);
    }

    #[test]
    fn words_of_a_key_or_a_name() {
        let words: Vec<String> = name_words("spring.cloud.nacos.serverAddr").collect();
        assert_eq!(words, ["spring", "cloud", "nacos", "server", "addr"]);
        let words: Vec<String> = name_words("cors.allowed-origins[0]").collect();
        assert_eq!(words, ["cors", "allowed", "origins", "0"]);
        // A constant's capitals are words, not letters.
        let words: Vec<String> = name_words("LAST_V6_VERSION").collect();
        assert_eq!(words, ["last", "v6", "version"]);
        let words: Vec<String> = name_words("HTTPServerURL").collect();
        assert_eq!(words, ["httpserver", "url"]);
    }

    #[test]
    fn descriptive_contexts() {
        assert!(is_descriptive("app.version", "1.2.3.4"));
        assert!(is_descriptive("setEqualityOid", "2.5.13.2"));
        assert!(is_descriptive("trap.oid", "1.3.6.1"));
        assert!(is_descriptive("extraOids", "2.5.4.5"));
        assert!(!is_descriptive("void", "10.0.0.1"));
        assert!(is_descriptive("form.message", "10.0.0.1"));
        assert!(is_descriptive("x", "address must look like 8.8.8.8:80"));
        assert!(is_descriptive("protocolVersion", "1.2.3.4"));
        assert!(!is_descriptive("db.url", "jdbc:mysql://10.0.0.1/x"));
        for configures in [
            "message.broker.host",
            "MULTIPLE_HOSTS",
            "COMMENTS_DB",
            "helpdesk.url",
        ] {
            assert!(!is_descriptive(configures, "10.0.0.1"), "{configures}");
        }
        assert!(!is_descriptive("hosts", "zk.example.com,10.0.0.7"));
    }

    #[test]
    fn examples_and_formats_in_prose() {
        for prose in [
            "Name server address list, eg: '192.168.0.1:9876;192.168.0.2:9876'",
            "Eg. 10.0.0.1",
            "please set it as follows, \"10.0.0.1:9876\"",
            "EXAMPLES:\n  java -jar boot.jar --tunnel-server 'ws://192.168.10.11:7777/ws'",
            "address format: host:port, 10.0.0.1:80",
            "for instance 10.0.0.1",
            "多个地址用分号分隔，例如 10.0.0.1:9876;10.0.0.2:9876",
            "地址格式为 ip:port（10.0.0.1:8080）",
            "比如10.0.0.1",
            "集群地址，如：10.0.0.1:2181",
            "配置如下 10.0.0.1",
            "adresses autorisées. Par exemple : 200.120.90.10, 200.125.80.0/24",
            "IP adres reeksen. Bijv: 200.120.90.10",
            "діапазони IP-адрес. Наприклад: 200.120.90.10",
        ] {
            assert!(is_descriptive("", prose), "{prose}");
        }
        for configures in [
            "10.0.0.1:9876;10.0.0.2:9876",
            "leg:10.0.0.1",
            "peg.10.0.0.1",
            "reformat:10.0.0.1",
            // 如果 is "if", 如何 "how": not an example.
            "如果连接 10.0.0.1 失败则重试",
        ] {
            assert!(!is_descriptive("", configures), "{configures}");
        }
    }

    #[test]
    fn one_finding_per_line_and_rule_naming_every_address() {
        let src =
            SourceText::from_string("a 10.0.0.1 10.0.0.2 10.0.0.1\nb 10.0.0.3\n".into(), "UTF-8");
        let at = |rule: usize, start: usize, detail: &str| RawFinding {
            rule,
            start,
            end: start + detail.len(),
            detail: detail.into(),
            ..RawFinding::default()
        };
        let mut raw = vec![
            at(0, 2, "10.0.0.1"),
            at(5, 2, "other rule"),
            at(0, 11, "10.0.0.2"),
            at(0, 20, "10.0.0.1"),
            at(1, 2, "10.0.0.1"),
            at(0, 31, "10.0.0.3"),
        ];
        one_finding_per_line(&mut raw, &src, &[0, 1]);
        let got: Vec<(usize, usize, usize, &str)> = raw
            .iter()
            .map(|r| (r.rule, r.start, r.end, r.detail.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (0, 2, 28, "10.0.0.1, 10.0.0.2"),
                (5, 2, 12, "other rule"),
                (1, 2, 10, "10.0.0.1"),
                (0, 31, 39, "10.0.0.3"),
            ]
        );
    }

    #[test]
    fn leaves_out_what_is_not_a_host() {
        for text in [
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "::",
            "::1",
            "255.255.255.0",
            "255.255.255.255",
            "300.1.2.3",
            "1.2.3",
            "v1.2.3.4",
            "1.2.3.4-SNAPSHOT",
            "1.2.3.4.Final",
            "1.3.6.1.4.1",
            "0.9.2342.19200300.100.1.1= admin ,2.5.4.11= system ",
            "01.02.03.04",
            "release_1.2.3.4",
            "Foo::bar",
            "a::b",
            "12:30:45",
            "x10.0.0.1",
            "10.0.0.0/8",
            "2001:db8::/32",
            "multicast://224.0.0.251:1234",
            "ff02::1",
            "org.acme:agent:3.0.2.1",
            "registry/app:1.2.3.4",
            "[1.0.0.0,2.0.0.0)",
            "(,2.0.0.0]",
            "please confirm job-manage version>=3.3.5.0",
            "Version: 1.2.3.4",
            "要求版本 2.0.1.3",
            "WHERE version ='3.0.1.2' and description = 'ga ddl'",
            "10.0.0.0",
            "172.31.255.255",
            "getIpNum(\"192.168.0.0\")",
            "169.254.169.254",
            "$(MY_POD_NAME).zookeeper.svc.cluster.local:2888:3888::1",
            "http://public-repo.example.org/HDP/centos6/1.x/updates/1.3.7.0",
            "\"base_url\": \"http://repo/hdp/2.2.0.0/ubuntu\"",
        ] {
            assert!(found(text).is_empty(), "{text} gave {:?}", found(text));
        }
    }
}
