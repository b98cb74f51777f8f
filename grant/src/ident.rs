//! What may reach SQL: IP addresses and MySQL identifiers, validated
//! against strict character sets and then quoted. Raw request text is
//! never pasted into a statement.

use std::net::IpAddr;

/// A unicast IP address a pod may have, in canonical form; `None` for
/// loopback, unspecified, multicast, broadcast, link-local and "this
/// network" addresses, and for IPv6 forms that carry an IPv4 address
/// (`::ffff:10.0.0.1`, `::10.0.0.1`): MySQL sees an IPv4 client as its IPv4
/// address, so an account for the mapped form would be a second name for
/// the same host, and `::ffff:127.0.0.1` is loopback in disguise.
pub fn pod_ip(text: &str) -> Option<String> {
    let ip: IpAddr = text.trim().parse().ok()?;
    let ok = match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_link_local()
                || v4.octets()[0] == 0)
        }
        IpAddr::V6(v6) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || v6.segments()[0] & 0xffc0 == 0xfe80
                || v6.to_ipv4().is_some())
        }
    };
    ok.then(|| ip.to_string())
}

/// Names of apps, users and schemas: ASCII letters, digits, `_` and `-`,
/// 1 to 64 characters (MySQL user names are at most 80, schemas 64).
pub fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Kubernetes object names and UIDs: lowercase letters, digits, `-` and `.`.
pub fn is_k8s_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// Privileges a grant may name.
pub const PRIVILEGES: [&str; 12] = [
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "CREATE",
    "DROP",
    "INDEX",
    "ALTER",
    "CREATE TEMPORARY TABLES",
    "LOCK TABLES",
    "EXECUTE",
    "SHOW VIEW",
];

pub fn is_privilege(p: &str) -> bool {
    PRIVILEGES.contains(&p)
}

/// A string literal for SQL (`'…'`), for values already validated.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
}

/// A quoted identifier for SQL (`` `…` ``).
pub fn identifier(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// `'user'@'host'`.
pub fn account(user: &str, host: &str) -> String {
    format!("{}@{}", literal(user), literal(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ips() {
        assert_eq!(pod_ip("10.1.2.3").as_deref(), Some("10.1.2.3"));
        assert_eq!(pod_ip("fd00::0001").as_deref(), Some("fd00::1"));
        for bad in [
            "127.0.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "ff02::1",
            "10.1.2.3'--",
            "10.1.2",
            "%",
            "localhost",
            "::ffff:127.0.0.1",
            "::ffff:0.0.0.0",
            "::ffff:10.1.2.3",
            "::10.1.2.3",
            "169.254.1.1",
            "fe80::1",
            "0.1.2.3",
        ] {
            assert_eq!(pod_ip(bad), None, "{bad}");
        }
    }

    #[test]
    fn names() {
        assert!(is_name("order_rw"));
        assert!(is_name("order-service"));
        for bad in ["", "a b", "o'r", "x`y", "a;drop", "é", &"a".repeat(65)] {
            assert!(!is_name(bad), "{bad}");
        }
        assert!(is_k8s_name("0f1e2d3c-aaaa-bbbb-cccc-0123456789ab"));
        assert!(!is_k8s_name("Pod_A"));
    }

    #[test]
    fn quoting() {
        assert_eq!(literal("a'b\\c"), "'a''b\\\\c'");
        assert_eq!(identifier("or`der"), "`or``der`");
        assert_eq!(account("u", "10.0.0.1"), "'u'@'10.0.0.1'");
    }
}
