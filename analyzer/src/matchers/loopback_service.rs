//! `loopback-service`: configuration values that put a service the
//! application connects to on this machine — a database, a cache, a
//! registry at `localhost` or `127.0.0.1` (`jdbc:mysql://localhost:3306/x`,
//! `spring.redis.host=127.0.0.1`, `${DB_HOST:localhost}`). Not reported:
//! keys about the application itself or about permissions (the rule's
//! `ignore_keys` and `ignore_key_words`, a probe's), descriptions and
//! examples, the application's own `server.port` at `localhost`, a
//! section its own `enabled: false` switches off or a
//! sibling `type`/`mode`/`selector` does not choose, a URL whose driver
//! starts the server in the process (`?server.start=true`), the files of
//! the profiles meant for a developer's machine (`application-dev.yml`:
//! where localhost belongs), and files that are not the application's configuration (CI pipelines,
//! API descriptions, Compose files).

use podready_rules::matcher::LoopbackService;

use super::{non_empty, Compiled, Invalid};
use crate::config::{relaxed, ConfigValue, FormFields, UnusedSections};
use crate::deployed::is_compose_file;
use crate::finding::RawFinding;
use crate::ip;
use crate::walk::{in_main_sources, FileKind, RepoFile};

pub(super) const READS: &[FileKind] = &[FileKind::Properties, FileKind::Yaml];

/// One compiled `loopback-service` matcher.
#[derive(Debug)]
pub(crate) struct LoopbackMatcher {
    rule: usize,
    /// Whole keys about the application itself, in Spring's relaxed form.
    ignore_keys: Vec<String>,
    ignore_key_words: Vec<String>,
    advertised_key_words: Vec<String>,
}

pub(super) fn compile(rule: usize, m: &LoopbackService, c: &mut Compiled) -> Result<(), Invalid> {
    let words = |field: &'static str, list: &[String]| -> Result<Vec<String>, Invalid> {
        for w in list {
            if w.is_empty()
                || !w
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            {
                return Err(Invalid::new(
                    field,
                    format!("`{w}` is not one lowercase word (letters and digits only)"),
                ));
            }
        }
        Ok(list.to_vec())
    };
    non_empty("ignore_key_words", &m.ignore_key_words)?;
    c.loopback.push(LoopbackMatcher {
        rule,
        ignore_keys: m.ignore_keys.iter().map(|k| relaxed(k)).collect(),
        ignore_key_words: words("ignore_key_words", &m.ignore_key_words)?,
        advertised_key_words: words("advertised_key_words", &m.advertised_key_words)?,
    });
    Ok(())
}

/// The values of a configuration file that point a service at this machine.
pub(crate) fn in_config(
    values: &[ConfigValue<'_>],
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    // An OpenAPI description's `servers` are where a page sends requests.
    let api_description = values
        .iter()
        .any(|v| v.key == "openapi" || v.key == "swagger");
    if !READS.contains(&f.kind) || !is_application_configuration(&f.rel) || api_description {
        return;
    }
    // Worked out once a value puts a service on this machine.
    let unused = std::cell::OnceCell::new();
    let forms = std::cell::OnceCell::new();
    // `localhost` at the port the application itself listens on is the
    // application (a Eureka server registering with itself): still the same
    // process in a pod.
    let own_port = values
        .iter()
        .find(|v| v.key == "server.port")
        .map(|v| v.value.trim().trim_matches(['"', '\'']))
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    for m in c.loopback.iter().filter(|m| c.applies(m.rule, f.is_test)) {
        for v in values.iter().filter(|v| !starts_in_this_process(v.value)) {
            let mut hosts = loopback_hosts(v.value).filter(|&(start, end)| {
                let port = v.value[start..end].rsplit_once(':').map(|(_, p)| p);
                // `http://127.0.0.1:${server.port}`: the application calling
                // itself, wherever it listens.
                let own_setting = v.value[end..].starts_with(":${server.port}")
                    || v.value[end..].starts_with(":${server.port:");
                let itself = own_setting || (port.is_some() && port == own_port);
                // Unless the key hands its own address to others
                // (`service.discovery.address`): another pod gets `localhost`.
                !itself
                    || crate::ip::name_words(&v.key).any(|w| m.advertised_key_words.contains(&w))
            });
            let Some((start, end)) = hosts.next() else {
                continue;
            };
            let last = relaxed(v.key.rsplit('.').next().unwrap_or(&v.key));
            let key = relaxed(&v.key);
            let ignored = m.ignore_keys.contains(&key)
                || crate::ip::name_words(&v.key).any(|w| m.ignore_key_words.contains(&w))
                || m.ignore_key_words.contains(&last)
                || unused.get_or_init(|| UnusedSections::of(values)).holds(v)
                || forms
                    .get_or_init(|| FormFields::of(values))
                    .holds_default(v)
                || ip::is_descriptive(&v.key, v.value);
            if !ignored {
                raw.push(RawFinding {
                    rule: m.rule,
                    start: v.start + start,
                    end: v.start + end,
                    detail: format!("{} = {}", v.key, &v.value[start..end]),
                    ..RawFinding::default()
                });
            }
        }
    }
}

/// Whether a URL asks its driver to start the server inside the
/// application's own process (HerdDB's `jdbc:herddb:server:localhost:7000
/// ?server.start=true`, ActiveMQ's VM transport `vm://localhost`, also as
/// `vm:(broker:(tcp://localhost:61616))`): `localhost` is then the pod
/// itself, rightly.
fn starts_in_this_process(value: &str) -> bool {
    let unquoted = value.trim_start_matches(['"', '\'']);
    // A placeholder's default is what runs (`${BROKER_URL:vm://localhost}`).
    let url = unquoted
        .strip_prefix("${")
        .and_then(|p| p.split_once(':'))
        .map_or(unquoted, |(_, default)| default);
    let vm_transport = url
        .get(..3)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("vm:"));
    vm_transport
        || value
            .split(['?', '&', ';'])
            .skip(1)
            .any(|p| p.trim().eq_ignore_ascii_case("server.start=true"))
}

/// Whether a file is the application's own configuration: under
/// `src/main/`, in a `conf`/`config` folder, or named `application*` or
/// `bootstrap*` — not a CI pipeline, an API description or a Compose
/// file, whose `localhost` is another machine's or a page's.
fn is_application_configuration(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let (dir, name) = lower.rsplit_once('/').unwrap_or(("", lower.as_str()));
    let in_main = in_main_sources(&lower);
    let in_config_folder = dir
        .split('/')
        .any(|folder| matches!(folder, "conf" | "config" | "configs" | "configuration"));
    let named = name.starts_with("application") || name.starts_with("bootstrap");
    !is_compose_file(path) && !name.starts_with('.') && (in_main || in_config_folder || named)
}

/// A section name or a choice as compared: lowercase, without `-`/`_`.
/// Every host in a value that is this machine, in order (see
/// [`loopback_host`]).
fn loopback_hosts(value: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let (start, end) = loopback_host(&value[from..])?;
        let found = (from + start, from + end);
        from += end.max(start + 1);
        Some(found)
    })
}

/// The first host in a value that is this machine — `localhost`,
/// `127.x.y.z`, `[::1]` — standing as a whole host name (after `//`, `@`,
/// `:`, `,`, `=`, a space or the start; not `mylocalhost`, not
/// `localhost.example.com`), with its `:port`: the byte range.
pub(crate) fn loopback_host(value: &str) -> Option<(usize, usize)> {
    let lower = value.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let host_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    for (i, _) in lower.char_indices() {
        if i > 0 && host_char(bytes[i - 1]) {
            continue;
        }
        let len = if lower[i..].starts_with("localhost") {
            "localhost".len()
        } else if lower[i..].starts_with("[::1]") {
            "[::1]".len()
        } else if let Some(len) = ipv4_loopback_len(&lower[i..]) {
            let in_url = lower[..i].ends_with("://") || lower[..i].ends_with('@');
            if !in_url && is_prefix_length(&bytes[i + len..]) {
                continue;
            }
            len
        } else {
            continue;
        };
        let mut end = i + len;
        // `localhost.example.com` is another host; a sentence's full stop
        // after `localhost` is not.
        let host_char_at = |at: usize| bytes.get(at).is_some_and(|&b| host_char(b));
        let full_stop = bytes.get(end) == Some(&b'.') && !host_char_at(end + 1);
        let continues = host_char_at(end) && !full_stop;
        if continues {
            continue;
        }
        if bytes.get(end) == Some(&b':') {
            let digits = bytes[end + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 0 {
                end += 1 + digits;
            }
        }
        return Some((i, end));
    }
    None
}

/// Whether an address is followed by a CIDR prefix length (`127.0.0.0/8`):
/// a network in a list of ranges, not a host to connect to.
fn is_prefix_length(after: &[u8]) -> bool {
    let Some(rest) = after.strip_prefix(b"/") else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let bits = std::str::from_utf8(&rest[..digits])
        .ok()
        .and_then(|d| d.parse::<u8>().ok());
    (1..=2).contains(&digits)
        && bits.is_some_and(|b| b <= 32)
        && !rest
            .get(digits)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'_' | b'-'))
}

/// The length of a `127.x.y.z` address at the start of `text`.
fn ipv4_loopback_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("127.")?;
    let mut len = 4;
    let mut octets = 1;
    for part in rest.split('.').take(3) {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 3 || part[..digits].parse::<u16>().ok()? > 255 {
            return None;
        }
        len += digits;
        octets += 1;
        if octets == 4 || digits != part.len() {
            break;
        }
        len += 1;
    }
    (octets == 4).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::{is_application_configuration, loopback_host, starts_in_this_process};

    fn host(value: &str) -> Option<&str> {
        loopback_host(value).map(|(s, e)| &value[s..e])
    }

    #[test]
    fn hosts_that_are_this_machine() {
        assert_eq!(
            host("jdbc:mysql://localhost:3306/order?useSSL=false"),
            Some("localhost:3306")
        );
        assert_eq!(host("127.0.0.1"), Some("127.0.0.1"));
        assert_eq!(host("${DB_HOST:localhost}"), Some("localhost"));
        assert_eq!(host("zookeeper://127.0.0.1:2181"), Some("127.0.0.1:2181"));
        assert_eq!(host("10.0.0.5:9092,127.0.0.1:9093"), Some("127.0.0.1:9093"));
        assert_eq!(host("http://[::1]:8080/x"), Some("[::1]:8080"));
        assert_eq!(host("[localhost:9092]"), Some("localhost:9092"));
        assert_eq!(
            host("[127.0.0.1:7000, 127.0.0.1:7001]"),
            Some("127.0.0.1:7000")
        );
        assert_eq!(host("runs on localhost."), Some("localhost"));
        assert_eq!(host("mylocalhost:80"), None);
        assert_eq!(host("localhost.example.com"), None);
        assert_eq!(host("127.0.0"), None);
        assert_eq!(host("127.0.0.300"), None);
        assert_eq!(host("10.127.0.0.1"), None);
        assert_eq!(host("db.internal:3306"), None);
        assert_eq!(host("127.0.0.0/8,169.254.0.0/16"), None);
        assert_eq!(host("10.0.0.0/8, 127.0.0.1/32"), None);
        assert_eq!(host("127.0.0.1/api"), Some("127.0.0.1"));
        assert_eq!(host("127.0.0.1/8080/x"), Some("127.0.0.1"));
        assert_eq!(host("redis://127.0.0.1/1"), Some("127.0.0.1"));
        assert_eq!(host("user@127.0.0.1/8"), Some("127.0.0.1"));
        assert_eq!(host("127.0.0.1/99"), Some("127.0.0.1"));
    }

    #[test]
    fn a_server_the_driver_starts_in_the_process_is_the_pods_own() {
        assert!(starts_in_this_process(
            "jdbc:herddb:server:localhost:7000?server.start=true&server.base.dir=dbdata"
        ));
        assert!(starts_in_this_process(
            "vm://localhost?broker.persistent=false"
        ));
        assert!(starts_in_this_process(
            "VM:(broker:(tcp://localhost:61616))"
        ));
        assert!(starts_in_this_process("${BROKER_URL:vm://localhost}"));
        assert!(!starts_in_this_process(
            "${BROKER_URL:tcp://localhost:61616}"
        ));
        assert!(!starts_in_this_process(
            "tcp://localhost:61616?wireFormat=vm"
        ));
        assert!(!starts_in_this_process("jdbc:herddb:server:localhost:7000"));
        assert!(!starts_in_this_process("server.start=true"));
    }

    #[test]
    fn the_applications_configuration() {
        assert!(is_application_configuration(
            "web/src/main/resources/app.properties"
        ));
        assert!(is_application_configuration(
            "distribution/conf/application.properties"
        ));
        assert!(is_application_configuration("deploy/k8s/config/order.yaml"));
        assert!(is_application_configuration("application.yml"));
        assert!(!is_application_configuration("bitbucket-pipelines.yml"));
        assert!(!is_application_configuration("api-docs/openapi/v3.yaml"));
        assert!(!is_application_configuration(
            "src/main/docker/docker-compose.yml"
        ));
        assert!(!is_application_configuration("src/main/resources/.env.yml"));
    }
}
