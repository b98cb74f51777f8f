//! Configuration files: `.properties`, YAML, JSON and `.conf` read as keys
//! and values with their byte offsets, comments left out.
//!
//! These readers are deliberately forgiving: a half-broken file still yields
//! the values that can be read, and every value keeps its place in the file
//! so findings point at the right line and column.

use std::collections::{HashMap, HashSet};

/// A value in a config file, with the dotted key it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigValue<'a> {
    pub key: String,
    /// Byte offset of `value` in the file.
    pub start: usize,
    pub value: &'a str,
    /// The YAML list item the value belongs to, numbered from 1 in the
    /// file (`- field: host` and the keys under it); 0 outside one.
    pub item: u32,
}

/// `${NAME:default}`: the name and the default, what runs when nothing
/// sets `NAME`.
pub(crate) fn placeholder_default(value: &str) -> Option<(&str, &str)> {
    value
        .strip_prefix("${")
        .and_then(|v| v.strip_suffix('}'))
        .and_then(|v| v.split_once(':'))
}

/// The value that runs, with its offset in the file: the value as
/// written, trimmed, or a placeholder's default (`${PORT:8081}` → `8081`).
pub(crate) fn effective_value(value: &str, start: usize) -> (&str, usize) {
    let lead = value.len() - value.trim_start().len();
    let (value, start) = (value.trim(), start + lead);
    match placeholder_default(value) {
        Some((name, default)) => (default, start + 2 + name.len() + 1),
        None => (value, start),
    }
}

/// A name as Spring's relaxed binding compares it: `logImpl`, `log-impl`
/// and `log_impl` are one setting.
pub(crate) fn relaxed(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The YAML list items of a file that describe a field of a form by its
/// name, type and what the user is told or must give (datacap's plugin
/// forms: `- field: host`, `type: String`, `required: true`, `value:
/// 127.0.0.1`). Worked out once a file.
pub(crate) struct FormFields(HashSet<u32>);

impl FormFields {
    pub(crate) fn of(values: &[ConfigValue<'_>]) -> FormFields {
        let last = |key: &str| relaxed(key.rsplit('.').next().unwrap_or(key));
        // By item: whether it names the field, says its type, and tells
        // the user something.
        let mut seen: HashMap<u32, [bool; 3]> = HashMap::new();
        for v in values.iter().filter(|v| v.item != 0) {
            let slot = match last(&v.key).as_str() {
                "field" | "name" | "key" => 0,
                "type" => 1,
                "required" | "message" | "label" | "placeholder" | "tip" => 2,
                _ => continue,
            };
            seen.entry(v.item).or_default()[slot] = true;
        }
        FormFields(
            seen.into_iter()
                .filter(|(_, has)| has.iter().all(|h| *h))
                .map(|(item, _)| item)
                .collect(),
        )
    }

    /// Whether a value is the default such a form shows for its field (its
    /// `value` or `default`): the user types the real value.
    pub(crate) fn holds_default(&self, v: &ConfigValue<'_>) -> bool {
        v.item != 0
            && self.0.contains(&v.item)
            && matches!(
                relaxed(v.key.rsplit('.').next().unwrap_or(&v.key)).as_str(),
                "value" | "default" | "defaultvalue"
            )
    }
}

/// The path segment of a HOCON object no name opens (one in a list):
/// `servers.[].host`. Its settings are the item's own, and no choice
/// beside the list leaves it unused.
const LIST_ITEM: &str = "[]";

/// The sections of a configuration file that are not in use: those their
/// own `enabled: false` (or `enable: false`) switches off (`a.b.enabled`
/// → `a.b.`), and those
/// a `type`, `mode`, `name` or `selector` beside them does not choose.
pub(crate) struct UnusedSections {
    /// A section's prefix (`a.b.`), with the YAML list item its `enabled:
    /// false` lies in (0 outside one): in a list, only that item is off.
    switched_off: Vec<(String, u32)>,
    /// Parent, the section chosen, whether by a placeholder's default.
    selected: Vec<(String, String, bool)>,
    /// The settings `${…}` placeholders and substitutions name, relaxed
    /// (`${registry.nacos.serverAddr}`): a section one names is read,
    /// whatever chooses.
    referenced: Vec<String>,
}

impl UnusedSections {
    pub(crate) fn of(values: &[ConfigValue<'_>]) -> UnusedSections {
        Self::choosing(values, false)
    }

    /// For HOCON, where `type` is as often an attribute of its block
    /// (Akka's `type = Dispatcher`): a choice counts only when it names a
    /// section beside it.
    pub(crate) fn of_hocon(values: &[ConfigValue<'_>]) -> UnusedSections {
        Self::choosing(values, true)
    }

    fn choosing(values: &[ConfigValue<'_>], choice_names_a_section: bool) -> UnusedSections {
        let switched_off = values
            .iter()
            .filter(|v| v.value.trim().trim_matches(['"', '\'']) == "false")
            .filter_map(|v| {
                // StreamPark's and many a Chinese project's `ldap.enable`.
                let section = v
                    .key
                    .strip_suffix(".enabled")
                    .or_else(|| v.key.strip_suffix(".enable"))?;
                Some((format!("{section}."), v.item))
            })
            .collect();
        // `queue.type: memory` (or a `mode`, a `name`, or SkyWalking's
        // `selector`) picks one of the sections beside it: the `queue.kafka` and
        // `queue.redis` sections are not in use. Only where there are
        // several sections to pick from and one choice in the file. A
        // placeholder's default (`${STORAGE_TYPE:mem}`) picks one unless
        // the environment picks another, whose section then holds what it
        // runs with: only the defaults of that section's own placeholders
        // (`${MYSQL_HOST:localhost}`) are out of use.
        // A choice after the first profile condition lies in a document a
        // profile activates (a developer's `queue.type: memory`, a
        // production `queue.type: kafka`): what runs depends on the
        // profile, so no choice of that parent counts. The base document
        // comes first.
        let conditions = [
            relaxed("spring.config.activate.on-profile"),
            relaxed("spring.profiles"),
        ];
        let first_condition = values
            .iter()
            .filter(|v| conditions.contains(&relaxed(&v.key)))
            .map(|v| v.start)
            .min()
            .unwrap_or(usize::MAX);
        let mut in_profile_documents: HashSet<&str> = HashSet::new();
        // Parents a placeholder without a default chooses for (HOCON's
        // `type = ${?REGISTRY_TYPE}` after `type = "file"`, YAML's `type:
        // ${STORAGE}`): the environment may pick any section.
        let mut open: HashSet<&str> = HashSet::new();
        let mut written: Vec<(&str, &str, String, bool)> = Vec::new();
        for v in values {
            // Or the type named for its parent (`storage.storage-type`,
            // `storage.storageType`), which a key merely ending in `type`
            // beside other sections is not (`oss.storage-type`).
            let named_for_parent = || {
                let (parent, last) = v.key.rsplit_once('.')?;
                let owner = relaxed(parent.rsplit('.').next().unwrap_or(parent));
                let last = relaxed(last);
                ["type", "mode"]
                    .iter()
                    .any(|c| last.strip_suffix(c) == Some(owner.as_str()))
                    .then_some((parent, ".type"))
            };
            let Some((parent, chooser)) = [".type", ".mode", ".selector", ".name"]
                .iter()
                .find_map(|chooser| Some((v.key.strip_suffix(chooser)?, *chooser)))
                .or_else(named_for_parent)
            else {
                continue;
            };
            let text = v.value.trim().trim_matches(['"', '\'']);
            let default = placeholder_default(text).map(|(_, default)| default);
            let choice = default.unwrap_or(text);
            let word = !choice.is_empty()
                && choice
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !word && text.contains("${") {
                open.insert(parent);
            }
            if word {
                written.push((parent, chooser, relaxed(choice), default.is_some()));
                if v.start > first_condition {
                    in_profile_documents.insert(parent);
                }
            }
        }
        if written.is_empty() {
            return UnusedSections {
                switched_off,
                selected: Vec::new(),
                referenced: Vec::new(),
            };
        }
        let referenced = values
            .iter()
            .flat_map(|v| v.value.split("${").skip(1))
            .filter_map(|named| {
                let name = named.split('}').next()?.trim_start_matches('?');
                Some(relaxed(name.split(':').next().unwrap_or(name)))
            })
            .collect();
        // What lies under each chooser's parent, in one pass over the keys:
        // the sections with keys of their own, and every name (relaxed).
        let parents: HashSet<&str> = written.iter().map(|(p, ..)| *p).collect();
        let mut below: HashMap<&str, (HashSet<&str>, HashSet<String>)> = HashMap::new();
        for v in values {
            for (at, _) in v.key.match_indices('.') {
                let Some(&parent) = parents.get(&v.key[..at]) else {
                    continue;
                };
                let rest = &v.key[at + 1..];
                let (section, deeper) = rest
                    .split_once('.')
                    .map_or((rest, false), |(s, _)| (s, true));
                // An object in a list is no section to choose.
                if section == LIST_ITEM {
                    continue;
                }
                let entry = below.entry(parent).or_default();
                if deeper {
                    entry.0.insert(section);
                }
                entry.1.insert(relaxed(section));
            }
        }
        // A `selector` picks a section when it names one (`selector: hash`
        // may name an algorithm) or the environment may pick another
        // (SkyWalking's `${SW_CLUSTER:standalone}`, whose `standalone:`
        // section is empty); a `name` only when it names one
        // (servicecomb's `channel.name: memory` beside `channel.kafka`;
        // `application.name: order` names the application).
        let names_a_section = |parent: &&str, choice: &String| {
            below
                .get(parent)
                .is_some_and(|(_, names)| names.contains(choice))
        };
        let choices: Vec<&(&str, &str, String, bool)> = written
            .iter()
            .filter(|(parent, chooser, choice, by_default)| match *chooser {
                _ if open.contains(parent) => false,
                ".selector" => *by_default || names_a_section(parent, choice),
                ".name" => names_a_section(parent, choice),
                _ => !choice_names_a_section || names_a_section(parent, choice),
            })
            .collect();
        let mut by_parent: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (parent, _, choice, _) in &choices {
            by_parent.entry(parent).or_default().insert(choice.as_str());
        }
        // A choice of none switches off the one section beside it too
        // (ragent's `keyword.type: none` beside `keyword.es`).
        let chooses_none = |choice: &str| matches!(choice, "none" | "off" | "disabled");
        let mut selected: Vec<(String, String, bool)> = choices
            .iter()
            .filter(|(parent, _, choice, _)| {
                !in_profile_documents.contains(parent)
                    && by_parent.get(parent).is_some_and(|c| c.len() == 1)
                    && below.get(parent).is_some_and(|(sections, _)| {
                        sections.len() >= 2 || (sections.len() == 1 && chooses_none(choice))
                    })
            })
            .map(|(parent, _, choice, by_default)| {
                (format!("{parent}."), choice.clone(), *by_default)
            })
            .collect();
        selected.sort();
        selected.dedup();
        UnusedSections {
            switched_off,
            selected,
            referenced,
        }
    }

    /// Whether a value lies in a section not in use.
    pub(crate) fn holds(&self, v: &ConfigValue<'_>) -> bool {
        self.switched_off
            .iter()
            .any(|(p, item)| v.key.starts_with(p.as_str()) && (*item == 0 || *item == v.item))
            || self.selected.iter().any(|(parent, choice, by_default)| {
                let other_section = v
                    .key
                    .strip_prefix(parent.as_str())
                    .and_then(|rest| rest.split_once('.'))
                    .is_some_and(|(section, _)| {
                        let read = relaxed(&format!("{parent}{section}"));
                        relaxed(section) != *choice
                            && section != LIST_ITEM
                            && !self.referenced.iter().any(|r| {
                                r.strip_prefix(read.as_str())
                                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                            })
                    });
                other_section && (!by_default || v.value.contains("${"))
            })
    }
}

/// `key=value`, `key: value` and `key value` lines; `#` and `!` comments;
/// a trailing backslash continues the value on the next line.
pub fn properties(text: &str) -> Vec<ConfigValue<'_>> {
    let mut out = Vec::new();
    let mut lines = LineIter::new(text);
    while let Some((start, line)) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        let lead = line.len() - trimmed.len();
        let key_end = trimmed
            .char_indices()
            .scan(false, |escaped, (i, c)| {
                let stop = !*escaped && (c == '=' || c == ':' || c.is_whitespace());
                *escaped = c == '\\' && !*escaped;
                Some((i, stop))
            })
            .find(|(_, stop)| *stop)
            .map_or(trimmed.len(), |(i, _)| i);
        let key = trimmed[..key_end].to_string();
        let rest = &trimmed[key_end..];
        let sep = rest
            .char_indices()
            .find(|(_, c)| !(c.is_whitespace() || *c == '=' || *c == ':'))
            .map_or(rest.len(), |(i, _)| {
                // Only one `=` or `:` belongs to the separator.
                let seps = rest[..i].chars().filter(|c| *c == '=' || *c == ':').count();
                if seps > 1 {
                    rest[..i].find(['=', ':']).map_or(i, |p| p + 1)
                } else {
                    i
                }
            });
        let mut value = &rest[sep..];
        let mut value_start = start + lead + key_end + sep;
        loop {
            let continues = value.ends_with('\\') && !value.ends_with("\\\\");
            let v = value.trim_end_matches('\\');
            out.push(ConfigValue {
                key: key.clone(),
                start: value_start,
                value: v,
                item: 0,
            });
            if !continues {
                break;
            }
            match lines.next() {
                Some((s, next)) => {
                    let t = next.trim_start();
                    value_start = s + (next.len() - t.len());
                    value = t;
                }
                None => break,
            }
        }
    }
    out
}

/// YAML read line by line: nested mapping keys become dotted keys
/// (`server:` + `  port: 8081` → `server.port`), list items belong to their
/// parent key, comments are dropped, block scalars and the continuation
/// lines of a scalar over several lines are values of their key. A key
/// with neither a value nor anything below it (`log-impl:`) sets the
/// empty value: Spring reads it so, over what another file sets.
pub fn yaml(text: &str) -> Vec<ConfigValue<'_>> {
    let mut out = Vec::new();
    // The last key given no value, until a line says whether anything is
    // below it: (its indent, its key, where its value would be, item).
    let mut empty: Option<(usize, String, usize, u32)> = None;
    let settle_empty = |empty: &mut Option<(usize, String, usize, u32)>,
                        out: &mut Vec<ConfigValue<'_>>| {
        if let Some((_, key, start, item)) = empty.take() {
            out.push(ConfigValue {
                key,
                start,
                value: "",
                item,
            });
        }
    };
    // (indent, key) of the enclosing mappings.
    let mut path: Vec<(usize, String)> = Vec::new();
    // Indent of a block scalar's key, while inside one.
    let mut block: Option<usize> = None;
    // (indent of its `-`, number) of the enclosing list items.
    let mut items: Vec<(usize, u32)> = Vec::new();
    let mut numbered = 0;
    for (start, line) in LineIter::new(text) {
        let content = strip_yaml_comment(line);
        let trimmed = content.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        let indent = content.len() - trimmed.len();
        // More indented, or a list at its own indent, is below it.
        if let Some((key_indent, ..)) = empty {
            let list_item = trimmed == "-" || trimmed.starts_with("- ");
            if indent > key_indent || (indent == key_indent && list_item) {
                empty = None;
            } else {
                settle_empty(&mut empty, &mut out);
            }
        }
        if let Some(block_indent) = block {
            if indent > block_indent {
                let key = join_path(&path, None);
                out.push(ConfigValue {
                    key,
                    start: start + indent,
                    value: trimmed.trim_end(),
                    item: items.last().map_or(0, |(_, n)| *n),
                });
                continue;
            }
            block = None;
        }
        if trimmed == "---" || trimmed == "..." || trimmed.starts_with("%") {
            path.clear();
            items.clear();
            continue;
        }
        // A line at or left of an item's `-` ends it.
        while items.last().is_some_and(|(dash, _)| *dash >= indent) {
            items.pop();
        }
        if trimmed == "-" || trimmed.starts_with("- ") {
            numbered += 1;
            items.push((indent, numbered));
        }
        let item = items.last().map_or(0, |(_, n)| *n);
        // A list item: `- value` or `- key: value`; `item_indent` is the
        // column its content starts at.
        let (item_indent, body) = match trimmed.strip_prefix("- ") {
            Some(rest) => {
                let rest_trim = rest.trim_start();
                (indent + 2 + (rest.len() - rest_trim.len()), rest_trim)
            }
            None if trimmed == "-" => (indent + 1, ""),
            None => (indent, trimmed),
        };
        while path
            .last()
            .is_some_and(|(i, _)| *i >= item_indent && *i >= indent)
        {
            path.pop();
        }
        let body_start = start + item_indent;
        match split_yaml_key(body) {
            Some((key, value_off)) => {
                let value = body[value_off..].trim_end();
                if value.is_empty() {
                    empty = Some((
                        item_indent,
                        join_path(&path, Some(key)),
                        body_start + value_off,
                        item,
                    ));
                    path.push((item_indent, key.to_string()));
                } else if value.starts_with('|') || value.starts_with('>') {
                    path.push((item_indent, key.to_string()));
                    block = Some(item_indent);
                } else {
                    let (skip, value) = unquote(value);
                    out.push(ConfigValue {
                        key: join_path(&path, Some(key)),
                        start: body_start + value_off + skip,
                        value,
                        item,
                    });
                    // A line more indented than a key with a value goes on
                    // with that value (a scalar over several lines), not a
                    // key of its own: `description: "Valid options are:`
                    // then `  Localhost - …`.
                    path.push((item_indent, key.to_string()));
                    block = Some(item_indent);
                }
            }
            None => {
                let (skip, value) = unquote(body.trim_end());
                out.push(ConfigValue {
                    key: join_path(&path, None),
                    start: body_start + skip,
                    value,
                    item,
                })
            }
        }
    }
    settle_empty(&mut empty, &mut out);
    out
}

fn join_path(path: &[(usize, String)], last: Option<&str>) -> String {
    let mut parts: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).collect();
    if let Some(l) = last {
        parts.push(l);
    }
    parts.join(".")
}

/// `key: rest` → the key and the offset of the value in `body`.
fn split_yaml_key(body: &str) -> Option<(&str, usize)> {
    if body.starts_with(['"', '\'']) {
        let q = body.chars().next()?;
        let close = body[1..].find(q)? + 1;
        let after = &body[close + 1..];
        let rest = after.strip_prefix(':')?;
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let ws = rest.len() - rest.trim_start().len();
        return Some((&body[1..close], close + 2 + ws));
    }
    if body.starts_with(['{', '[']) {
        return None;
    }
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            let key = body[..i].trim_end();
            let rest = &body[i + 1..];
            let ws = rest.len() - rest.trim_start().len();
            return Some((key, i + 1 + ws));
        }
        i += 1;
    }
    None
}

/// The value without its quotes, and how many bytes were dropped before it.
fn unquote(v: &str) -> (usize, &str) {
    let b = v.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        (1, &v[1..v.len() - 1])
    } else {
        (0, v)
    }
}

/// The part of a YAML line before a comment (`#` at the start or after
/// whitespace, outside quotes).
fn strip_yaml_comment(line: &str) -> &str {
    let mut quote: Option<u8> = None;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'')
                && (i == 0 || matches!(bytes[i - 1], b' ' | b':' | b'-')) =>
            {
                quote = Some(b);
            }
            None if b == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') => {
                return &line[..i];
            }
            None => {}
        }
    }
    line
}

/// Whether a JSON document is a Grafana dashboard (its model's
/// `schemaVersion`, `panels` and `templating`): what it holds only the
/// monitoring server reads.
pub fn is_grafana_dashboard(text: &str) -> bool {
    ["\"schemaVersion\"", "\"panels\"", "\"templating\""]
        .iter()
        .all(|key| text.contains(key))
}

/// Whether JSON values are a REST API's recorded response: the document
/// links itself to the API at its top (`"href": "http://…/api/v1/clusters/c1"`),
/// as a front end's mock data or a test keeps it. No configuration links
/// itself to an API (a nested link, `help.href`, is another document's).
pub fn is_recorded_api_response(values: &[ConfigValue<'_>]) -> bool {
    values
        .iter()
        .any(|v| v.key == "href" && v.value.contains("://") && v.value.contains("/api/"))
}

/// Whether JSON values are a Postman collection (its `info.schema` is
/// Postman's): requests a person sends from Postman, not configuration.
pub fn is_postman_collection(values: &[ConfigValue<'_>]) -> bool {
    values
        .iter()
        .any(|v| v.key == "info.schema" && v.value.contains("schema.getpostman.com"))
}

/// JSON string values with the key they belong to. Object keys are not
/// values; the reader never fails, it just stops where the text ends.
pub fn json(text: &str) -> Vec<ConfigValue<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The key path of enclosing objects; arrays keep their parent's key.
    let mut keys: Vec<String> = Vec::new();
    let mut containers: Vec<u8> = Vec::new();
    let mut pending_key: Option<String> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                let s = text.get(start..end).unwrap_or("");
                let mut k = end + 1;
                while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                    k += 1;
                }
                if bytes.get(k) == Some(&b':') && containers.last() == Some(&b'{') {
                    pending_key = Some(s.to_string());
                } else {
                    let mut key = keys.join(".");
                    if let Some(p) = pending_key.take() {
                        if !key.is_empty() {
                            key.push('.');
                        }
                        key.push_str(&p);
                    }
                    out.push(ConfigValue {
                        key,
                        start,
                        value: s,
                        item: 0,
                    });
                }
                i = end + 1;
                continue;
            }
            b'{' | b'[' => {
                containers.push(bytes[i]);
                keys.push(pending_key.take().unwrap_or_default());
            }
            b'}' | b']' => {
                containers.pop();
                keys.pop();
            }
            b',' => pending_key = None,
            _ => {}
        }
        i += 1;
    }
    for v in &mut out {
        v.key = v
            .key
            .split('.')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(".");
    }
    out
}

/// Whether a `.conf` file is written as Java properties: every line not a
/// `#` or `!` comment is `key=value` (BookKeeper's `bk_server.conf`), not a
/// block (`upstream {`) nor a directive (`listen 80;`).
pub fn is_properties_shaped(text: &str) -> bool {
    let mut settings = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            return false;
        };
        let key = key.trim_end();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return false;
        }
        settings += 1;
    }
    settings > 0
}

/// `.conf` files (HOCON, nginx-style and plain key/value): each line minus
/// its `#` or `//` comment is a value, keyed by its first word. A HOCON
/// setting (`name = value`, `name: value`, a bare name) is keyed by its
/// path through the blocks around it (`config { apollo { apolloMeta = "…" } }`
/// gives `config.apollo.apolloMeta`), and its value is what follows the
/// `=` or `:`, so that a block's `type` chooses among the blocks beside
/// it as in YAML ([`UnusedSections`]).
pub fn conf(text: &str) -> Vec<ConfigValue<'_>> {
    let mut out = Vec::new();
    // The blocks open around a line; [`LIST_ITEM`] for a brace opened by
    // something other than a named block (an object in a list).
    let mut blocks: Vec<&str> = Vec::new();
    // A name alone on its line, whose `{` opens on the next one.
    let mut pending: Option<&str> = None;
    let path = |blocks: &[&str], key: &str| {
        let mut path = String::new();
        for block in blocks {
            path.push_str(block);
            path.push('.');
        }
        path.push_str(key);
        path
    };
    for (start, line) in LineIter::new(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with("//") || trimmed.is_empty() {
            continue;
        }
        let content = match (trimmed.find(" #"), trimmed.find(" //")) {
            (Some(a), Some(b)) => &trimmed[..a.min(b)],
            (Some(a), None) | (None, Some(a)) => &trimmed[..a],
            (None, None) => trimmed,
        }
        .trim_end();
        let at = start + (line.len() - trimmed.len());
        let opened = pending.take();
        if content == "{" {
            blocks.push(opened.unwrap_or(LIST_ITEM));
            continue;
        }
        let key_end = content
            .find(|c: char| c.is_whitespace() || c == '=' || c == ':' || c == '{')
            .unwrap_or(content.len());
        let key = content[..key_end].trim_matches('"');
        // A setting's name: not an address (`10.0.0.1:8848`, a cluster
        // list's line) nor a number.
        let named = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        let rest = content[key_end..].trim_start();
        let after_separator = rest
            .strip_prefix(['=', ':'])
            .map(str::trim_start)
            .filter(|_| named);
        if named && (rest == "{" || after_separator == Some("{")) {
            blocks.push(key);
            continue;
        }
        if named && rest.is_empty() {
            pending = Some(key);
        }
        // A block of plain settings on one line (`file { name = "file.conf"
        // }`, `deployment { port = 9091, sslPort = 8443 }`).
        let one_line = rest
            .strip_prefix('{')
            .and_then(|r| r.strip_suffix('}'))
            .filter(|_| named)
            .and_then(|inner| {
                inner
                    .split(',')
                    .map(|setting| {
                        let (k, v) = setting.split_once(['=', ':'])?;
                        let (k, v) = (k.trim(), v.trim());
                        let plain = !k.is_empty()
                            && k.chars()
                                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                            && !v.is_empty()
                            && !v.contains(['{', '}', ';', '[', ']']);
                        plain.then_some((k, v))
                    })
                    .collect::<Option<Vec<_>>>()
            });
        if let Some(settings) = one_line {
            let mut within = blocks.clone();
            within.push(key);
            for (inner_key, value) in settings {
                out.push(ConfigValue {
                    key: path(&within, inner_key),
                    start: at + (value.as_ptr() as usize - content.as_ptr() as usize),
                    value,
                    item: 0,
                });
            }
            continue;
        }
        // Braces closed on a value's line (`weight = 1 }`, `}}`) or opened
        // by something else (`servers = [{`).
        // A placeholder's braces (`${?REGISTRY_TYPE}`) are its own.
        let placeholders = content.matches("${").count();
        let opens = content.matches('{').count() - placeholders;
        let closes = content.matches('}').count().saturating_sub(placeholders);
        let value = after_separator
            .map(|v| {
                let mut v = v.trim_end();
                for _ in opens..closes {
                    v = v.strip_suffix('}').unwrap_or(v).trim_end();
                }
                v
            })
            .filter(|v| !v.is_empty() && v.matches('{').count() == v.matches("${").count());
        match value {
            Some(value) => out.push(ConfigValue {
                key: path(&blocks, key),
                start: at + (value.as_ptr() as usize - content.as_ptr() as usize),
                value,
                item: 0,
            }),
            None if !matches!(content.trim_end_matches(['}', ',']), "") => out.push(ConfigValue {
                key: content[..key_end].to_string(),
                start: at,
                value: content,
                item: 0,
            }),
            None => {}
        }
        blocks.extend(std::iter::repeat_n(LIST_ITEM, opens.saturating_sub(closes)));
        blocks.truncate(blocks.len().saturating_sub(closes.saturating_sub(opens)));
    }
    out
}

/// Lines with the byte offset where each starts, without line endings.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> LineIter<'a> {
    fn new(text: &'a str) -> Self {
        LineIter { text, pos: 0 }
    }
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..len].trim_end_matches(['\n', '\r']);
        let start = self.pos;
        self.pos += len;
        Some((start, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv<'a>(vals: &[ConfigValue<'a>]) -> Vec<(String, &'a str)> {
        vals.iter().map(|v| (v.key.clone(), v.value)).collect()
    }

    /// The keys and values `read` finds in `text`, each value checked to
    /// stand at its offset.
    fn read_checked<'a>(
        read: fn(&'a str) -> Vec<ConfigValue<'a>>,
        text: &'a str,
    ) -> Vec<(String, &'a str)> {
        let vals = read(text);
        for v in &vals {
            assert_eq!(&text[v.start..v.start + v.value.len()], v.value);
        }
        kv(&vals)
    }

    #[test]
    fn properties_values_and_offsets() {
        let text =
            "# c 10.0.0.1\nserver.port = 8081\nurl=jdbc:mysql://10.1.2.3/db\nlist: a,\\\n  b\n";
        assert_eq!(
            read_checked(properties, text),
            [
                ("server.port".to_string(), "8081"),
                ("url".to_string(), "jdbc:mysql://10.1.2.3/db"),
                ("list".to_string(), "a,"),
                ("list".to_string(), "b"),
            ]
        );
    }

    #[test]
    fn yaml_nesting_lists_and_comments() {
        let text = "server:\n  port: 8081 # the port\n  hosts:\n    - 10.0.0.1\n    - name: b\n      ip: \"10.0.0.2\"\nspring:\n  datasource:\n    url: jdbc:x\n# ip: 10.9.9.9\nnote: |\n  line 10.0.0.3\n";
        assert_eq!(
            read_checked(yaml, text),
            [
                ("server.port".to_string(), "8081"),
                ("server.hosts".to_string(), "10.0.0.1"),
                ("server.hosts.name".to_string(), "b"),
                ("server.hosts.ip".to_string(), "10.0.0.2"),
                ("spring.datasource.url".to_string(), "jdbc:x"),
                ("note".to_string(), "line 10.0.0.3"),
            ]
        );
    }

    #[test]
    fn a_yaml_key_with_nothing_below_it_sets_the_empty_value() {
        let text = "mybatis:\n  configuration:\n    log-impl:\n  mapper: a\nlist:\n- x\nnested:\n  deeper:\n    leaf: 1\nlast:\n---\nnext:\n";
        let got: Vec<(String, &str)> = yaml(text).into_iter().map(|v| (v.key, v.value)).collect();
        let want: Vec<(String, &str)> = [
            ("mybatis.configuration.log-impl", ""),
            ("mybatis.mapper", "a"),
            ("list", "x"),
            ("nested.deeper.leaf", "1"),
            ("last", ""),
            ("next", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn yaml_values_know_their_list_item() {
        let text = "name: MySQL\nconfigures:\n  - field: host\n    type: String\n    required: true\n    value: 127.0.0.1\n  - field: port\n    value: 3306\n    options:\n      - a\nafter: x\n";
        let vals = yaml(text);
        let items: Vec<(&str, u32)> = vals.iter().map(|v| (v.value, v.item)).collect();
        assert_eq!(
            items,
            [
                ("MySQL", 0),
                ("host", 1),
                ("String", 1),
                ("true", 1),
                ("127.0.0.1", 1),
                ("port", 2),
                ("3306", 2),
                ("a", 3),
                ("x", 0),
            ]
        );
        let forms = FormFields::of(&vals);
        assert!(forms.holds_default(&vals[4]));
        // The second item says nothing of a type or a user: no form.
        assert!(!forms.holds_default(&vals[6]));
    }

    /// The values of a YAML text that lie in sections not in use.
    fn unused_values(text: &str) -> Vec<&str> {
        let vals = yaml(text);
        let unused = UnusedSections::of(&vals);
        vals.iter()
            .filter(|v| unused.holds(v))
            .map(|v| v.value)
            .collect()
    }

    #[test]
    fn enabled_false_in_a_list_item_switches_off_that_item_only() {
        let text = "app:\n  mirrors:\n    - name: primary\n      enabled: true\n      url: http://10.20.0.5:8080\n    - name: legacy\n      enabled: false\n      url: http://10.20.0.9:8080\ncache:\n  enabled: false\n  host: 10.0.0.7\n";
        let off = unused_values(text);
        assert_eq!(
            off,
            [
                "legacy",
                "false",
                "http://10.20.0.9:8080",
                "false",
                "10.0.0.7"
            ]
        );
    }

    #[test]
    fn enable_false_switches_its_section_off_too() {
        let text = "ldap:\n  enable: false  # ldap enabled'\n  urls: ldap://10.0.0.9:389\nsso:\n  enable: true\n  callbackUrl: http://10.0.0.8/cb\n";
        assert_eq!(unused_values(text), ["false", "ldap://10.0.0.9:389"]);
    }

    #[test]
    fn a_chooser_leaves_the_other_sections_unused_in_one_pass() {
        let text = "queue:\n  type: kafka\n  kafka:\n    servers: k:9092\n  redis:\n    host: r\nschema:\n  type: string\n  format: date\n";
        let off = unused_values(text);
        assert_eq!(off, ["r"]);
    }

    #[test]
    fn a_choice_of_none_switches_off_the_one_section_beside_it() {
        let text = "keyword:\n  type: none\n  es:\n    uris: http://10.0.0.3:9200\nvector:\n  type: pg\n  pg:\n    url: 10.0.0.4:5432\n";
        assert_eq!(unused_values(text), ["http://10.0.0.3:9200"]);
    }

    #[test]
    fn a_choice_in_a_profiles_document_counts_for_none() {
        let text = "queue:\n  kafka:\n    servers: 10.0.0.3:9092\n  memory:\n    size: 1\n---\nspring:\n  config:\n    activate:\n      on-profile: dev\nqueue:\n  type: memory\n";
        assert!(unused_values(text).is_empty());
        // Nor does the base document's, which production changes.
        let text = "queue:\n  type: memory\n  kafka:\n    servers: 10.0.0.3:9092\n  memory:\n    size: 1\n---\nspring.profiles: prod\nqueue:\n  type: kafka\n";
        assert!(unused_values(text).is_empty());
    }

    #[test]
    fn a_name_chooses_only_a_section_it_names() {
        let text = "channel:\n  name: memory\n  memory:\n    size: 1\n  kafka:\n    servers: 10.0.0.3:9092\nspring:\n  application:\n    name: order\n    admin:\n      host: 10.0.0.4\n    other:\n      host: 10.0.0.5\n";
        assert_eq!(unused_values(text), ["10.0.0.3:9092"]);
    }

    #[test]
    fn a_type_named_for_its_parent_chooses_a_section() {
        // tcc-transaction's dashboard: `redis` is in use, the cluster's and
        // the shards' nodes are not.
        let text = "storage:\n  storage-type: redis\n  redis:\n    host: 127.0.0.1\n  redis-cluster:\n    nodes:\n      - host: 127.0.0.1\n  shard-redis:\n    nodes:\n      - host: 127.0.0.2\n";
        assert_eq!(unused_values(text), ["127.0.0.1", "127.0.0.2"]);
    }

    #[test]
    fn a_key_merely_ending_in_type_chooses_no_section() {
        // A CDN beside the object store's sections is no alternative to
        // them, though it shares their `endpoint`.
        let text = "oss:\n  storage-type: minio\n  minio:\n    endpoint: http://10.8.1.10:9000\n  cdn:\n    endpoint: http://10.8.1.20/static\n";
        assert!(unused_values(text).is_empty());
    }

    #[test]
    fn yaml_scalars_over_several_lines_are_values() {
        let text = "type:\n  description: \"Valid options are:\n    Localhost - a profile.\"\n  enum: a\nnext: b\n";
        assert_eq!(
            read_checked(yaml, text),
            [
                ("type.description".to_string(), "\"Valid options are:"),
                ("type.description".to_string(), "Localhost - a profile.\""),
                ("type.enum".to_string(), "a"),
                ("next".to_string(), "b"),
            ]
        );
    }

    #[test]
    fn json_values_not_keys() {
        let text = r#"{"db": {"host": "10.0.0.1", "10.0.0.9": 1}, "list": ["10.0.0.2"]}"#;
        let vals = json(text);
        assert_eq!(
            kv(&vals),
            [
                ("db.host".to_string(), "10.0.0.1"),
                ("list".to_string(), "10.0.0.2")
            ]
        );
    }

    #[test]
    fn a_recorded_response_links_itself_at_its_top() {
        let response = r#"{"href": "http://10.0.0.1:8080/api/v1/hosts", "items": [{"href": "http://10.0.0.1:8080/api/v1/hosts/a"}]}"#;
        assert!(is_recorded_api_response(&json(response)));
        let gateway = r#"{"url": "http://10.0.0.2:8080", "help": {"href": "https://docs.acme.com/api/gateway"}}"#;
        assert!(!is_recorded_api_response(&json(gateway)));
        let routes = r#"{"_links": {"self": {"href": "http://localhost:8080/api/routes"}}}"#;
        assert!(!is_recorded_api_response(&json(routes)));
    }

    #[test]
    fn a_grafana_dashboard_is_known_by_its_model() {
        let dashboard = r#"{"schemaVersion": 27, "panels": [], "templating": {"list": [{"current": {"text": "10.0.0.1:8080"}}]}}"#;
        assert!(is_grafana_dashboard(dashboard));
        assert!(!is_grafana_dashboard(r#"{"panels": [], "db": "10.0.0.1"}"#));
    }

    #[test]
    fn a_conf_file_of_key_value_lines_is_properties() {
        assert!(is_properties_shaped(
            "# ZooKeeper\nzkServers=localhost:2181\n\nbookiePort = 3181\n"
        ));
        assert!(!is_properties_shaped("settle {\n  endpoint = \"x\"\n}\n"));
        assert!(!is_properties_shaped("listen 80;\nserver_name a=b;\n"));
        assert!(!is_properties_shaped("# only comments\n"));
    }

    #[test]
    fn hocon_settings_are_keyed_by_their_blocks_and_valued_after_the_separator() {
        let text = "config {\n  type = \"file\"\n  apollo {\n    apolloMeta = \"http://10.1.2.3:8801\" # meta\n  }\n  zk: {\n    serverAddr: \"10.1.2.4:2181\"\n  }\n}\nport = 8091\n";
        let vals = conf(text);
        let got: Vec<(&str, &str)> = vals.iter().map(|v| (v.key.as_str(), v.value)).collect();
        assert_eq!(
            got,
            [
                ("config.type", "\"file\""),
                ("config.apollo.apolloMeta", "\"http://10.1.2.3:8801\""),
                ("config.zk.serverAddr", "\"10.1.2.4:2181\""),
                ("port", "8091"),
            ]
        );
        // Each value's offset is where it is written.
        for v in &vals {
            assert_eq!(&text[v.start..v.start + v.value.len()], v.value);
        }
        // An nginx directive, a list item and a cluster file's address stay
        // whole lines.
        let vals =
            conf("members = [\n  \"10.0.0.1:5701\",\n]\nserver 10.0.0.2:80;\n10.10.1.4:8848\n");
        assert_eq!(vals[1].value, "\"10.0.0.1:5701\",");
        assert_eq!(vals[3].value, "server 10.0.0.2:80;");
        assert_eq!(vals[4].value, "10.10.1.4:8848");
        // Braces closed on a value's line, a quoted block name, a brace on
        // the next line: the blocks after them are where they are written.
        let text =
            "a {\n  b { w = \"1\" }\n  c = 2 }\n\"d\" {\n  e = 3\n}\nf\n{\n  g = 4\n}\nh = 5\n";
        let keys: Vec<String> = conf(text).into_iter().map(|v| v.key).collect();
        assert!(keys.contains(&"a.c".to_string()), "{keys:?}");
        assert!(keys.contains(&"d.e".to_string()), "{keys:?}");
        assert!(keys.contains(&"f.g".to_string()), "{keys:?}");
        assert!(keys.contains(&"h".to_string()), "{keys:?}");
        // Several settings of a block on its line.
        let keys: Vec<String> = conf("ktor {\n  deployment { port = 9091, sslPort = 8443 }\n}\n")
            .into_iter()
            .map(|v| v.key)
            .collect();
        assert_eq!(keys, ["ktor.deployment.port", "ktor.deployment.sslPort"]);
        let text = "x {\n  y {\n    z = 1 }}\nw = 2\n";
        let keys: Vec<String> = conf(text).into_iter().map(|v| v.key).collect();
        assert_eq!(keys, ["x.y.z", "w"]);
    }

    #[test]
    fn a_hocon_type_chooses_only_a_block_beside_it_and_not_against_the_environment() {
        let unused = |text: &str, key: &str| {
            let values = conf(text);
            let v = values.iter().find(|v| v.key == key).unwrap();
            UnusedSections::of_hocon(&values).holds(v)
        };
        let registry = "registry {\n  type = \"file\"\n  file { name = \"file.conf\" }\n  nacos {\n    serverAddr = \"10.0.0.1:8848\"\n  }\n}\n";
        assert!(unused(registry, "registry.nacos.serverAddr"));
        // The environment may choose another block.
        let overridden = registry.replace(
            "  type = \"file\"\n",
            "  type = \"file\"\n  type = ${?REGISTRY_TYPE}\n",
        );
        assert!(!unused(&overridden, "registry.nacos.serverAddr"));
        // A block the chosen one reads through a substitution is in use.
        let read = registry.replace(
            "file { name = \"file.conf\" }",
            "file { fallback = ${registry.nacos.serverAddr} }",
        );
        assert!(!unused(&read, "registry.nacos.serverAddr"));
        // A type inside a list's object is the object's; a named block in
        // one is no section beside the list.
        let listed = "service {\n  listeners = [ {\n    type = \"http\"\n  } ]\n  http {\n    port = 1\n  }\n  database {\n    url = \"jdbc:mysql://10.0.0.5/app\"\n  }\n}\n";
        assert!(!unused(listed, "service.database.url"));
        let shards = "datasource {\n  type = \"primary\"\n  primary {\n    url = \"a\"\n  }\n  replica {\n    url = \"b\"\n  }\n  shards = [\n    {\n      master {\n        url = \"jdbc:mysql://10.0.0.7/app\"\n      }\n    }\n  ]\n}\n";
        assert!(unused(shards, "datasource.replica.url"));
        assert!(!unused(shards, "datasource.[].master.url"));
        // A type naming no block beside it is the block's own attribute.
        let database = "database {\n  type = \"postgres\"\n  connection {\n    url = \"jdbc:postgresql://10.0.0.5/app\"\n  }\n  pool {\n    size = 4\n  }\n}\n";
        assert!(!unused(database, "database.connection.url"));
    }

    #[test]
    fn conf_drops_comments() {
        let vals = conf("# 10.0.0.1\nupstream { server 10.0.0.2:80; } # 10.0.0.3\n");
        assert_eq!(vals.len(), 1);
        assert_eq!(vals[0].value, "upstream { server 10.0.0.2:80; }");
    }
}
