//! `listen-port`: configuration keys that set the HTTP listen port (in
//! properties, YAML and HOCON, not XML), and
//! Tomcat's HTTP connectors in `server.xml`, whose value is not the
//! standard port. A placeholder's default (`${PORT:8081}`) is what runs
//! when nothing sets it, so it counts; a bare placeholder does not. A
//! product's own server (Nacos) may keep the port its clients look for.

use podready_rules::matcher::{ListenPort, ProductPort};

use super::{non_empty, Compiled, Invalid, CONFIGURATION};
use crate::config::{effective_value, ConfigValue};
use crate::finding::RawFinding;
use crate::walk::{FileKind, RepoFile};
use crate::xml;

pub(super) const READS: &[FileKind] = CONFIGURATION;

pub(super) fn compile(rule: usize, m: &ListenPort, c: &mut Compiled) -> Result<(), Invalid> {
    non_empty("keys", &m.keys)?;
    if let Some(p) = m
        .products
        .iter()
        .find(|p| p.server_keys.is_empty() || p.server_keys.iter().any(String::is_empty))
    {
        return Err(Invalid::new(
            "products",
            format!(
                "the product `{}` needs `server_keys`, non-empty prefixes of its server's own settings",
                p.product
            ),
        ));
    }
    c.ports.push((rule, m.keys.clone()));
    c.product_ports.extend(m.products.iter().cloned());
    Ok(())
}

/// The ports set by a configuration file's values.
pub(crate) fn in_config(
    values: &[ConfigValue<'_>],
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    // Spring reads its keys from properties and YAML; an XML attribute
    // path that ends the same (`<server port="2280">`) is another
    // program's setting.
    if matches!(f.kind, FileKind::Xml | FileKind::Logback) {
        return;
    }
    // The ports of the products whose own server this file configures.
    let own: Vec<u16> = c
        .product_ports
        .iter()
        .filter(|p| {
            values
                .iter()
                .any(|v| p.server_keys.iter().any(|k| v.key.starts_with(k.as_str())))
        })
        .map(|p: &ProductPort| p.port)
        .collect();
    for v in values {
        // Spring reads `server.port` from properties and YAML, not HOCON
        // (another program's `server { port = … }`).
        if f.kind == FileKind::Conf && v.key == "server.port" {
            continue;
        }
        if c.ports.iter().any(|(_, keys)| keys.contains(&v.key)) {
            port_finding(v.value, v.start, &own, f, c, raw);
        }
    }
}

/// The ports of Tomcat's HTTP connectors in a `server.xml`. With a
/// connector on the standard port, the probes and the Service reach the
/// server there: another beside it (HTTPS on 8443) only listens as well.
pub(crate) fn in_tomcat(
    items: &[xml::XmlItem<'_>],
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    let ports = xml::tomcat_http_ports(items);
    let serves_standard = ports.iter().any(|&(value, start)| {
        effective_value(value, start).0.parse::<u32>() == Ok(u32::from(c.http_port))
    });
    if serves_standard {
        return;
    }
    for (value, start) in ports {
        port_finding(value, start, &[], f, c, raw);
    }
}

/// A finding for a port that is neither the standard one nor one of
/// `own`, the ports of the products the file configures.
fn port_finding(
    value: &str,
    start: usize,
    own: &[u16],
    f: &RepoFile,
    c: &Compiled,
    raw: &mut Vec<RawFinding>,
) {
    // `${PORT:8081}`: the default is what runs when nothing sets PORT.
    let (value, start) = effective_value(value, start);
    let Ok(port) = value.parse::<u32>() else {
        return; // placeholders such as ${PORT} are the platform's business
    };
    if port == u32::from(c.http_port) || own.iter().any(|p| u32::from(*p) == port) {
        return;
    }
    for (rule, _) in &c.ports {
        if c.applies(*rule, f.is_test) {
            raw.push(RawFinding {
                rule: *rule,
                start,
                end: start + value.len(),
                detail: value.to_string(),
                ..RawFinding::default()
            });
        }
    }
}
