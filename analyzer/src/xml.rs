//! podready's one XML reader ([`scan`], [`scan_checked`]): the elements,
//! attributes and texts of a file with their byte offsets, which poms, log4j
//! files and every XML configuration file are read through; and what is
//! read from the configuration files: Spring and other config values,
//! logback configuration, Tomcat's `server.xml`.

use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

use crate::config::ConfigValue;

#[derive(Debug, Clone)]
pub struct XmlAttr<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// Byte offset of the value in the file.
    pub start: usize,
}

#[derive(Debug, Clone)]
pub enum XmlItem<'a> {
    /// A start tag, or an empty element (then followed by its `End`).
    Start {
        /// As written, with its prefix.
        name: &'a str,
        attrs: Vec<XmlAttr<'a>>,
        /// The offset of its `<`.
        start: usize,
        /// The offset just after its `>`, where its content starts.
        content: usize,
        empty: bool,
    },
    End {
        /// The offset of its `</` (just after the start tag of an empty
        /// element).
        start: usize,
        /// The offset just after its `>`.
        end: usize,
    },
    /// Text or a CDATA section, as written (entities not expanded).
    Text {
        start: usize,
        text: &'a str,
        cdata: bool,
    },
}

/// Where and why an XML file stopped parsing.
#[derive(Debug, Clone)]
pub struct XmlError {
    pub offset: usize,
    pub message: String,
}

/// The elements, attributes and texts of an XML file, with offsets;
/// comments, processing instructions and the doctype are left out. On a
/// syntax error the items up to it are returned with the error. An end tag
/// that names another element, or a malformed attribute, is let pass: a
/// configuration file is read as far as it goes.
pub fn scan(text: &str) -> (Vec<XmlItem<'_>>, Option<XmlError>) {
    read(text, false)
}

/// [`scan`] for a file that must be well-formed (a pom, a log4j file that
/// is migrated): an end tag naming another element and a malformed
/// attribute are errors too.
pub fn scan_checked(text: &str) -> (Vec<XmlItem<'_>>, Option<XmlError>) {
    read(text, true)
}

fn read(text: &str, checked: bool) -> (Vec<XmlItem<'_>>, Option<XmlError>) {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = checked;
    let base = text.as_ptr() as usize;
    let offset_of = |s: &[u8]| -> Option<usize> {
        let p = s.as_ptr() as usize;
        (p >= base && p + s.len() <= base + text.len()).then(|| p - base)
    };
    let str_at = |start: usize, len: usize| text.get(start..start + len).unwrap_or("");
    let position = |r: &Reader<&[u8]>| usize::try_from(r.buffer_position()).unwrap_or(0);
    let mut items = Vec::new();
    loop {
        let before = position(&reader);
        let error = |message: String| XmlError {
            offset: before,
            message,
        };
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let content = position(&reader);
                match start_item(&e, before, content, false, checked, &offset_of, &str_at) {
                    Ok(item) => items.push(item),
                    Err(message) => return (items, Some(error(message))),
                }
            }
            Ok(Event::Empty(e)) => {
                let end = position(&reader);
                match start_item(&e, before, end, true, checked, &offset_of, &str_at) {
                    Ok(item) => items.push(item),
                    Err(message) => return (items, Some(error(message))),
                }
                items.push(XmlItem::End { start: end, end });
            }
            Ok(Event::End(_)) => items.push(XmlItem::End {
                start: before,
                end: position(&reader),
            }),
            Ok(Event::Text(t)) => {
                if let Some(o) = offset_of(&t) {
                    items.push(XmlItem::Text {
                        start: o,
                        text: str_at(o, t.len()),
                        cdata: false,
                    });
                }
            }
            Ok(Event::CData(c)) => {
                if let Some(o) = offset_of(&c) {
                    items.push(XmlItem::Text {
                        start: o,
                        text: str_at(o, c.len()),
                        cdata: true,
                    });
                }
            }
            Ok(Event::Eof) => return (items, None),
            Ok(_) => {}
            Err(e) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(before);
                return (
                    items,
                    Some(XmlError {
                        offset,
                        message: e.to_string(),
                    }),
                );
            }
        }
    }
}

/// A start tag's item; with `checked`, a malformed attribute is an error.
fn start_item<'a>(
    e: &quick_xml::events::BytesStart<'a>,
    start: usize,
    content: usize,
    empty: bool,
    checked: bool,
    offset_of: &dyn Fn(&[u8]) -> Option<usize>,
    str_at: &dyn Fn(usize, usize) -> &'a str,
) -> Result<XmlItem<'a>, String> {
    let raw_name = e.name();
    let name = offset_of(raw_name.as_ref())
        .map(|o| str_at(o, raw_name.as_ref().len()))
        .unwrap_or("");
    let mut attrs = Vec::new();
    for attr in e.attributes().with_checks(checked) {
        let attr = match attr {
            Ok(a) => a,
            Err(e) if checked => return Err(e.to_string()),
            Err(_) => continue,
        };
        let key = attr.key.as_ref();
        let (Some(ko), std::borrow::Cow::Borrowed(v)) = (offset_of(key), &attr.value) else {
            continue;
        };
        if let Some(vo) = offset_of(v) {
            attrs.push(XmlAttr {
                name: str_at(ko, key.len()),
                value: str_at(vo, v.len()),
                start: vo,
            });
        }
    }
    Ok(XmlItem::Start {
        name,
        attrs,
        start,
        content,
        empty,
    })
}

/// The values of an XML config file: texts keyed by their element, and
/// attribute values keyed by their name (or, for `<property name="x"
/// value="..">`, by the `name` attribute's value; a lone `value` by its
/// element).
pub fn values<'a>(items: &[XmlItem<'a>]) -> Vec<ConfigValue<'a>> {
    let mut out = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    for item in items {
        match item {
            XmlItem::Start { name, attrs, .. } => {
                let named = attrs
                    .iter()
                    .find(|a| a.name == "name" || a.name == "key")
                    .map(|a| a.value);
                for a in attrs {
                    let key = match (a.name, named) {
                        ("value", Some(n)) => format!("{name}.{n}"),
                        // `<version value="20.10.5.1"/>`: the element names it.
                        ("value", None) => name.to_string(),
                        _ => format!("{name}.{}", a.name),
                    };
                    out.push(ConfigValue {
                        key,
                        start: a.start,
                        value: a.value,
                        item: 0,
                    });
                }
                stack.push(name);
            }
            XmlItem::End { .. } => {
                stack.pop();
            }
            XmlItem::Text { start, text, .. } => {
                if !text.trim().is_empty() {
                    out.push(ConfigValue {
                        key: stack.last().copied().unwrap_or("").to_string(),
                        start: *start,
                        value: text,
                        item: 0,
                    });
                }
            }
        }
    }
    out
}

/// A place in a logback file that sends logs where business logs must not
/// go, with what to say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppenderUse {
    pub start: usize,
    pub end: usize,
    pub detail: String,
    /// The `<springProfile>` sections (their `name` expressions, nested
    /// ones joined with `&`) every use of the appender lies in; empty
    /// when one lies outside them.
    pub used_in: Vec<String>,
    /// A file appender that every logger or appender using this one uses
    /// too: the events it sends are also written to that file.
    pub copied_to: Option<String>,
}

/// What a logback file sends where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogbackUses<'a> {
    /// The appenders a logger uses (directly or through another appender),
    /// with their class; whether a class is a console appender is the
    /// caller's to say.
    pub appenders: Vec<(&'a str, AppenderUse)>,
    /// Appenders whose file is one of the forbidden ones.
    pub forbidden_files: Vec<AppenderUse>,
    /// The `name` of every `<springProfile>` section of the file.
    pub sections: Vec<String>,
}

/// The `<springProfile>` sections around an element, outermost first: the
/// index of each section's start tag and its `name`.
type Sections<'a> = Vec<(usize, &'a str)>;

/// What the sections around a use make of it: the condition it holds
/// under, when there is one.
fn condition(sections: &[(usize, &str)]) -> Option<String> {
    let names: Vec<String> = sections.iter().map(|(_, name)| expression(name)).collect();
    (!names.is_empty()).then(|| names.join(" & "))
}

/// A `<springProfile>`'s `name` as Spring reads it (`dev &amp; !k8s`,
/// `&#33;prod`); one that does not unescape is kept as written, which
/// no profile matches.
fn expression(name: &str) -> String {
    quick_xml::escape::unescape(name)
        .map_or_else(|_| name.to_string(), |n| n.into_owned())
        .trim()
        .to_string()
}

/// A value that is one substitution as logback makes it (`${format}`,
/// `${otp.logging.format:-plain}`): the variable's value, else the
/// default; a value that is not, or names nothing known, as written.
fn substituted<'a>(value: &'a str, variables: &HashMap<&'a str, &'a str>) -> &'a str {
    let mut current = value.trim();
    // A few steps: a variable may hold another one's reference, and a
    // cycle must end.
    for _ in 0..4 {
        let Some(inner) = current
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
            .filter(|inner| !inner.contains("${"))
        else {
            break;
        };
        let (name, default) = match inner.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        match variables.get(name.trim()).copied().or(default) {
            Some(next) => current = next.trim(),
            None => break,
        }
    }
    current
}

/// The class of the appender Spring Boot's included `console-appender.xml`
/// defines, named `CONSOLE`.
const SPRING_CONSOLE_CLASS: &str = "ch.qos.logback.core.ConsoleAppender";

/// The appenders of a logback file that a logger uses, and the appenders
/// writing to a file containing one of `file_contains`.
pub fn logback_uses<'a>(items: &[XmlItem<'a>], file_contains: &[String]) -> LogbackUses<'a> {
    // (name, sections, the logger or appender holding it) of every
    // reference.
    let mut referenced: Vec<(&str, Sections<'a>, Option<usize>)> = Vec::new();
    // (name, class, use, sections) of every appender defined.
    let mut defined: Vec<(&str, &str, AppenderUse, Sections<'a>)> = Vec::new();
    let mut graph = AppenderGraph::default();
    let mut out = LogbackUses::default();
    let mut stack: Vec<&str> = Vec::new();
    // The loggers and appenders open around an item, innermost last.
    let mut holders: Vec<usize> = Vec::new();
    // The `<springProfile>`, `<if>`, `<then>` and `<else>` elements open
    // around an item: what is inside holds only under their condition.
    let mut conditions: Vec<usize> = Vec::new();
    let mut sections: Sections<'a> = Vec::new();
    // The `<filter>` open around an item.
    let mut filter: Option<FilterReading<'a>> = None;
    // The variables and properties defined so far, by name: a reference
    // may name its appender through one (OpenTripPlanner's
    // `<appender-ref ref="${format}"/>`).
    let mut variables: HashMap<&'a str, &'a str> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            XmlItem::Start {
                name, attrs, start, ..
            } => {
                let attr = |n: &str| attrs.iter().find(|a| a.name == n).map(|a| a.value);
                if matches!(*name, "variable" | "property") {
                    if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
                        variables.insert(n.trim(), v);
                    }
                }
                let end = tag_end(items, i, *start);
                let at = |detail: String| AppenderUse {
                    start: *start,
                    end,
                    detail,
                    used_in: Vec::new(),
                    copied_to: None,
                };
                match *name {
                    "appender" => {
                        if let (Some(n), Some(class)) = (attr("name"), attr("class")) {
                            let class = class.trim();
                            let short = class.rsplit('.').next().unwrap_or(class);
                            let detail = format!("appender `{n}` ({short})");
                            defined.push((n, class, at(detail), sections.clone()));
                            graph.define(n, class, i, conditions.is_empty());
                        }
                    }
                    "appender-ref" => {
                        if let Some(r) = attr("ref").map(|r| substituted(r, &variables)) {
                            let holder = holders.last().copied();
                            referenced.push((r, sections.clone(), holder));
                            graph.users_of.entry(r).or_default().push(holder);
                            if let Some(h) = holder {
                                let conditional = conditions.last().is_some_and(|&c| c > h);
                                graph.refs_of.entry(h).or_default().push((r, conditional));
                            }
                        }
                    }
                    // A file appender that keeps only some events
                    // (`ThresholdFilter` at ERROR) is no copy of them all.
                    "filter" => {
                        filter = holders.last().map(|&h| FilterReading {
                            holder: h,
                            class: attr("class").unwrap_or_default().trim(),
                            ..FilterReading::default()
                        });
                    }
                    // logback 0.9's `<root><level value="INFO"/></root>`.
                    "level"
                        if stack
                            .last()
                            .is_some_and(|p| matches!(*p, "root" | "logger")) =>
                    {
                        if let (Some(&h), Some(value)) = (holders.last(), attr("value")) {
                            graph.levels.insert(h, Levels::at_or_above(value));
                        }
                    }
                    "include"
                        if attr("resource")
                            .is_some_and(|r| r.ends_with("/console-appender.xml")) =>
                    {
                        let detail = "Spring Boot's console appender `CONSOLE`".to_string();
                        defined.push((
                            "CONSOLE",
                            SPRING_CONSOLE_CLASS,
                            at(detail),
                            sections.clone(),
                        ));
                        graph.define("CONSOLE", SPRING_CONSOLE_CLASS, i, conditions.is_empty());
                    }
                    "springProfile" => {
                        let name = attr("name").unwrap_or_default();
                        sections.push((i, name));
                        out.sections.push(expression(name));
                    }
                    "root" => {
                        graph.roots.push((i, conditions.is_empty()));
                        if let Some(level) = attr("level") {
                            graph.levels.insert(i, Levels::at_or_above(level));
                        }
                    }
                    "logger" => {
                        if let Some(level) = attr("level") {
                            graph.levels.insert(i, Levels::at_or_above(level));
                        }
                        // logback reads the flag as a boolean, in any case;
                        // one a variable sets may be off.
                        let additive = attr("additivity").is_none_or(|a| {
                            !a.trim().eq_ignore_ascii_case("false") && !a.contains("${")
                        });
                        let name = attr("name").unwrap_or_default().trim();
                        graph.loggers.insert(i, (name, additive));
                    }
                    _ => {}
                }
                if matches!(*name, "appender" | "logger" | "root") {
                    holders.push(i);
                }
                if matches!(*name, "springProfile" | "if" | "then" | "else") {
                    conditions.push(i);
                }
                stack.push(name);
            }
            XmlItem::End { .. } => match stack.pop() {
                Some("springProfile") => {
                    sections.pop();
                    conditions.pop();
                }
                Some("if" | "then" | "else") => {
                    conditions.pop();
                }
                Some("appender" | "logger" | "root") => {
                    holders.pop();
                }
                Some("filter") => {
                    if let Some(f) = filter.take() {
                        graph.keep_only(f.holder, f.passes());
                    }
                }
                _ => {}
            },
            XmlItem::Text { text, .. } => {
                let element = stack.last().copied().unwrap_or("");
                if let Some(f) = filter
                    .as_mut()
                    .filter(|_| stack.len() >= 2 && stack[stack.len() - 2] == "filter")
                {
                    match element {
                        "level" => f.level = Some(text.trim()),
                        "onMatch" => f.on_match = Some(text.trim()),
                        "onMismatch" => f.on_mismatch = Some(text.trim()),
                        _ => {}
                    }
                }
                // `<file>/dev/stdout</file>` is the console again.
                if element == "file"
                    && ["/dev/", "/proc/"]
                        .iter()
                        .any(|p| text.trim_start().starts_with(p))
                {
                    if let Some(&h) = holders.last() {
                        graph.keep_only(h, Levels::NONE);
                    }
                }
                if matches!(element, "file" | "fileNamePattern") {
                    if let Some(f) = file_contains.iter().find(|f| text.contains(f.as_str())) {
                        // Report at the element, found by walking back.
                        if let Some(XmlItem::Start { start, .. }) = items[..i]
                            .iter()
                            .rev()
                            .find(|it| matches!(it, XmlItem::Start { .. }))
                        {
                            out.forbidden_files.push(AppenderUse {
                                start: *start,
                                end: *start + element.len() + 2,
                                detail: format!("<{element}> writing to {f}"),
                                used_in: Vec::new(),
                                copied_to: None,
                            });
                        }
                    }
                }
            }
        }
    }
    out.sections.sort();
    out.sections.dedup();
    for (name, class, mut u, own) in defined {
        let users: Vec<Option<usize>> = referenced
            .iter()
            .filter(|(r, _, _)| *r == name)
            .map(|(_, _, holder)| *holder)
            .collect();
        u.copied_to = graph.copied_to(name, &users, 0).map(str::to_string);
        // Each reference by name may be to this definition: when both lie
        // in sections, it holds where both hold.
        let uses: Vec<Option<String>> = referenced
            .iter()
            .filter(|(r, _, _)| *r == name)
            .map(|(_, around, _)| {
                let mut all = own.clone();
                all.extend(around.iter().filter(|s| !own.contains(s)));
                condition(&all)
            })
            .collect();
        if uses.is_empty() {
            continue;
        }
        if uses.iter().all(Option::is_some) {
            u.used_in = uses.into_iter().flatten().collect();
            u.used_in.sort();
            u.used_in.dedup();
        }
        out.appenders.push((class, u));
    }
    out
}

/// How many appender references [`AppenderGraph::file_behind`] follows
/// (real files chain two or three: an `AsyncAppender` in front of a file).
const MAX_APPENDER_CHAIN: usize = 16;

/// Which appenders a logback file's loggers and appenders hand their
/// events to, for telling whether a console appender's events are all
/// written to a file as well.
#[derive(Default)]
struct AppenderGraph<'a> {
    /// By name: the class and start (item index) of an appender defined
    /// once and outside every condition; `None` for a name defined again
    /// or under a `<springProfile>` or `<if>`, which may not exist.
    appenders: HashMap<&'a str, Option<(&'a str, usize)>>,
    /// By item index of a logger, the root or an appender: the appenders
    /// it references, in order, each with whether a condition opened
    /// inside it holds the reference.
    refs_of: HashMap<usize, Vec<(&'a str, bool)>>,
    /// By item index of an appender whose filters keep some events only
    /// (a `ThresholdFilter`, a `LevelFilter`) or that writes to the
    /// console again (`/dev/stdout`): the levels it surely writes.
    kept_levels: HashMap<usize, Levels>,
    /// By item index of a logger or the root: its literal `level`.
    levels: HashMap<usize, Levels>,
    /// Every `<root>`, with whether it lies outside every condition.
    roots: Vec<(usize, bool)>,
    /// By item index of every appender, its class, conditions or not.
    classes: HashMap<usize, &'a str>,
    /// By item index of every appender, its name.
    names: HashMap<usize, &'a str>,
    /// By appender name, the loggers and appenders referencing it (`None`
    /// for a reference outside them).
    users_of: HashMap<&'a str, Vec<Option<usize>>>,
    /// By item index of every `<logger>`: its name and whether it passes
    /// its events on to the loggers above it (no `additivity="false"`).
    loggers: HashMap<usize, (&'a str, bool)>,
    /// [`AppenderGraph::file_behind`]'s answers, by appender name; `None`
    /// too while one is worked out (a ring of references reaches no file
    /// through itself).
    behind: std::cell::RefCell<HashMap<&'a str, Option<(&'a str, Levels)>>>,
    /// [`AppenderGraph::wrapper_copied_to`]'s answers, by wrapper name.
    wrappers_copied: std::cell::RefCell<HashMap<&'a str, Option<&'a str>>>,
}

impl<'a> AppenderGraph<'a> {
    fn define(&mut self, name: &'a str, class: &'a str, at: usize, unconditional: bool) {
        let known = (unconditional && !self.appenders.contains_key(name)).then_some((class, at));
        self.appenders.insert(name, known);
        self.classes.insert(at, class);
        self.names.insert(at, name);
    }

    /// Whether a logger's events reach the root: it and every logger
    /// defined for a package above it pass them on (logback stops at the
    /// first that does not).
    fn reaches_root(&self, logger: usize) -> bool {
        let Some((name, additive)) = self.loggers.get(&logger) else {
            return false;
        };
        *additive
            && self.loggers.values().all(|(other, passes)| {
                *passes
                    || !name
                        .strip_prefix(other)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
    }

    /// The appenders a logger or appender hands its events to, whatever
    /// the conditions: logback's `AsyncAppender` takes only its first
    /// `<appender-ref>` (it warns that it ignores the others).
    fn attached(&self, holder: usize) -> impl Iterator<Item = &'a str> + '_ {
        let asynchronous = self
            .classes
            .get(&holder)
            .is_some_and(|class| class.ends_with("AsyncAppender"));
        let refs = self.refs_of.get(&holder).map_or(&[][..], Vec::as_slice);
        let refs = if asynchronous {
            &refs[..refs.len().min(1)]
        } else {
            refs
        };
        refs.iter()
            .filter(|(_, conditional)| !conditional)
            .map(|(name, _)| *name)
    }

    /// Keeps only `levels` of what the appender at `at` writes.
    fn keep_only(&mut self, at: usize, levels: Levels) {
        let kept = self.kept_levels.entry(at).or_insert(Levels::ALL);
        *kept = kept.and(levels);
    }

    /// File appenders beside the appender `name` in every one of its
    /// users (a logger passing its events on to the one root outside the
    /// conditions is beside that root's appenders too) that together
    /// write every level the user logs (Chinese projects' usual
    /// `INFO_FILE`, `WARN_FILE`, `ERROR_FILE`, each with a `LevelFilter`):
    /// every event it prints is written to a file as well. The first of
    /// them.
    fn copied_to(&self, name: &str, users: &[Option<usize>], depth: usize) -> Option<&'a str> {
        let root = match self.roots.as_slice() {
            [(root, true)] => Some(*root),
            _ => None,
        };
        let mut first = None;
        for user in users {
            let user = (*user)?;
            let inherited = root.filter(|_| self.reaches_root(user));
            let mut written = Levels::NONE;
            let mut file = None;
            for (other, levels) in self
                .attached(user)
                .chain(inherited.into_iter().flat_map(|r| self.attached(r)))
                .filter(|other| *other != name)
                .filter_map(|other| self.file_behind(other, 0))
            {
                file.get_or_insert(other);
                written = written.or(levels);
            }
            let logged = self.levels.get(&user).copied().unwrap_or(Levels::ALL);
            let file = match file.filter(|_| written.covers(logged)) {
                Some(file) => file,
                // An appender wrapping this one (an `AsyncAppender` in
                // front of the console): what its own users write beside it.
                None if depth < MAX_APPENDER_CHAIN => self.wrapper_copied_to(user, depth)?,
                None => return None,
            };
            first.get_or_insert(file);
        }
        first
    }

    /// What the appender at `at` wrapping another is copied to by its own
    /// users ([`AppenderGraph::copied_to`]), worked out once: `None` too
    /// while it is (a ring of wrappers copies nothing through itself).
    fn wrapper_copied_to(&self, at: usize, depth: usize) -> Option<&'a str> {
        let wrapper = *self.names.get(&at)?;
        if let Some(known) = self.wrappers_copied.borrow().get(wrapper) {
            return *known;
        }
        self.wrappers_copied.borrow_mut().insert(wrapper, None);
        let copied = self
            .users_of
            .get(wrapper)
            .and_then(|users| self.copied_to(wrapper, users, depth + 1));
        self.wrappers_copied.borrow_mut().insert(wrapper, copied);
        copied
    }

    /// The first file appender the appender `name` is or hands events to
    /// (through an `AsyncAppender`), `depth` references down, with the
    /// levels it surely writes to some file: a chain deeper than
    /// [`MAX_APPENDER_CHAIN`] is taken to reach none.
    fn file_behind(&self, name: &'a str, depth: usize) -> Option<(&'a str, Levels)> {
        if let Some(known) = self.behind.borrow().get(name) {
            return *known;
        }
        if depth > MAX_APPENDER_CHAIN {
            return None;
        }
        self.behind.borrow_mut().insert(name, None);
        let (class, at) = self.appenders.get(name).copied().flatten()?;
        let kept = self.kept_levels.get(&at).copied().unwrap_or(Levels::ALL);
        let file = if class.ends_with("FileAppender") {
            Some((name, kept))
        } else {
            let behind: Vec<&'a str> = self.attached(at).collect();
            behind
                .into_iter()
                .filter_map(|other| self.file_behind(other, depth + 1))
                .reduce(|(first, a), (_, b)| (first, a.or(b)))
                .map(|(first, levels)| (first, levels.and(kept)))
        }
        .filter(|(_, levels)| *levels != Levels::NONE);
        // Kept whatever the depth it was found at, so that a ring or a
        // mesh of references is searched once: a chain past the cap is
        // taken to reach no file from any of its appenders.
        self.behind.borrow_mut().insert(name, file);
        file
    }
}

/// A set of logback's levels, TRACE to ERROR (a bit each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Levels(u8);

impl Levels {
    const ALL: Levels = Levels(0b1_1111);
    const NONE: Levels = Levels(0);
    const NAMES: [&'static str; 5] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];

    /// The level named (in any case), alone.
    fn named(name: &str) -> Option<Levels> {
        Self::NAMES
            .iter()
            .position(|l| l.eq_ignore_ascii_case(name.trim()))
            .map(|i| Levels(1 << i))
    }

    /// The levels a logger or a `ThresholdFilter` at `name` lets through:
    /// `name`'s and those above it, none for `OFF`; all for `ALL` and for
    /// a name that is not a level (a variable may be set to any).
    fn at_or_above(name: &str) -> Levels {
        if name.trim().eq_ignore_ascii_case("off") {
            return Levels::NONE;
        }
        Self::named(name).map_or(Levels::ALL, Levels::and_above)
    }

    /// These levels' lowest and every level above it.
    fn and_above(self) -> Levels {
        Levels(Levels::ALL.0 & !(self.0 & self.0.wrapping_neg()).wrapping_sub(1))
    }

    fn and(self, other: Levels) -> Levels {
        Levels(self.0 & other.0)
    }

    fn or(self, other: Levels) -> Levels {
        Levels(self.0 | other.0)
    }

    fn covers(self, other: Levels) -> bool {
        self.0 & other.0 == other.0
    }
}

/// A `<filter>` of an appender, as read so far.
#[derive(Default)]
struct FilterReading<'a> {
    /// The appender's item index.
    holder: usize,
    class: &'a str,
    level: Option<&'a str>,
    on_match: Option<&'a str>,
    on_mismatch: Option<&'a str>,
}

impl FilterReading<'_> {
    /// The levels the filter surely lets through: a `ThresholdFilter`'s
    /// level and those above it; a `LevelFilter`'s level unless it denies
    /// a match, and every other level unless it denies a mismatch (both
    /// default to NEUTRAL); none for other filters, which may keep any
    /// event or none, and for a level that is not one (a variable).
    fn passes(&self) -> Levels {
        let denies = |reply: Option<&str>| reply.is_some_and(|r| r.eq_ignore_ascii_case("DENY"));
        let Some(level) = self.level.and_then(Levels::named) else {
            return Levels::NONE;
        };
        match self.class.rsplit('.').next().unwrap_or(self.class) {
            "ThresholdFilter" => level.and_above(),
            "LevelFilter" => {
                let matched = if denies(self.on_match) {
                    Levels::NONE
                } else {
                    level
                };
                let others = if denies(self.on_mismatch) {
                    Levels::NONE
                } else {
                    Levels(Levels::ALL.0 & !level.0)
                };
                matched.or(others)
            }
            _ => Levels::NONE,
        }
    }
}

/// The root element of an XML file: its name and where its tag starts.
pub fn root_element<'a>(items: &[XmlItem<'a>]) -> Option<(&'a str, usize)> {
    items.iter().find_map(|item| match item {
        XmlItem::Start { name, start, .. } => Some((*name, *start)),
        _ => None,
    })
}

/// Whether the root element has a direct child `is_child` accepts.
pub fn root_has_child(items: &[XmlItem<'_>], is_child: &dyn Fn(&str) -> bool) -> bool {
    let mut depth = 0usize;
    for item in items {
        match item {
            XmlItem::Start { name, .. } => {
                if depth == 1 && is_child(name) {
                    return true;
                }
                depth += 1;
            }
            XmlItem::End { .. } => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            XmlItem::Text { .. } => {}
        }
    }
    false
}

/// Whether an XML file is logback configuration by its content: a root
/// `<configuration>` with `<appender>` children. Hadoop's and .NET's
/// `<configuration>` files have none (log4net's appenders sit deeper).
pub fn is_logback_configuration(items: &[XmlItem<'_>]) -> bool {
    root_element(items).is_some_and(|(name, _)| name == "configuration")
        && root_has_child(items, &|name| name == "appender")
}

/// Tomcat HTTP connectors: the port attribute's value and offset for each
/// `<Connector>` that is not AJP.
pub fn tomcat_http_ports<'a>(items: &[XmlItem<'a>]) -> Vec<(&'a str, usize)> {
    let mut out = Vec::new();
    for item in items {
        if let XmlItem::Start { name, attrs, .. } = item {
            if *name != "Connector" {
                continue;
            }
            let protocol = attrs
                .iter()
                .find(|a| a.name == "protocol")
                .map_or("HTTP/1.1", |a| a.value);
            if protocol.to_ascii_uppercase().contains("AJP") {
                continue;
            }
            if let Some(port) = attrs.iter().find(|a| a.name == "port") {
                out.push((port.value, port.start));
            }
        }
    }
    out
}

/// The end of a start tag: where the next item begins, or a guess.
fn tag_end(items: &[XmlItem<'_>], i: usize, start: usize) -> usize {
    match items.get(i + 1) {
        Some(XmlItem::Text { start: s, .. }) | Some(XmlItem::Start { start: s, .. }) => *s,
        _ => start + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_and_text_offsets() {
        let text = r#"<?xml version="1.0"?>
<!-- <bean url="10.0.0.9"/> -->
<beans><bean><property name="url" value="jdbc:mysql://10.0.0.1/x"/><host>10.0.0.2</host><version value="20.10.5.1"/></bean></beans>"#;
        let (items, err) = scan(text);
        assert!(err.is_none());
        let vals = values(&items);
        let url = vals.iter().find(|v| v.key == "property.url").unwrap();
        assert_eq!(&text[url.start..url.start + url.value.len()], url.value);
        assert!(vals
            .iter()
            .any(|v| v.key == "host" && v.value == "10.0.0.2"));
        assert!(!vals.iter().any(|v| v.value.contains("10.0.0.9")));
        assert!(vals
            .iter()
            .any(|v| v.key == "version" && v.value == "20.10.5.1"));
    }

    #[test]
    fn malformed_xml_keeps_items_before_the_error() {
        let (items, err) = scan("<a><b x=\"1\"></b><!-- never closed");
        assert!(err.is_some());
        assert!(items
            .iter()
            .any(|i| matches!(i, XmlItem::Start { name: "b", .. })));
    }

    #[test]
    fn referenced_appenders_only_with_their_classes() {
        let text = r#"<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="UNUSED" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="TIDY" class=" com.acme.TidyAppender "/>
  <appender name="CAT" class="ch.qos.logback.core.FileAppender"><file>${catalina.base}/logs/catalina.out</file></appender>
  <root><appender-ref ref="STDOUT"/><appender-ref ref="TIDY"/></root>
</configuration>"#;
        let (items, _) = scan(text);
        let uses = logback_uses(&items, &["catalina.out".into()]);
        let appenders: Vec<(&str, &str)> = uses
            .appenders
            .iter()
            .map(|(class, u)| (*class, u.detail.as_str()))
            .collect();
        assert_eq!(
            appenders,
            [
                (
                    "ch.qos.logback.core.ConsoleAppender",
                    "appender `STDOUT` (ConsoleAppender)"
                ),
                ("com.acme.TidyAppender", "appender `TIDY` (TidyAppender)"),
            ]
        );
        let files: Vec<&str> = uses
            .forbidden_files
            .iter()
            .map(|u| u.detail.as_str())
            .collect();
        assert_eq!(files, ["<file> writing to catalina.out"]);
    }

    #[test]
    fn a_console_appender_beside_a_file_appender_in_every_user_is_copied_to_it() {
        let copied = |text: &str| -> Vec<(String, Option<String>)> {
            let (items, _) = scan(text);
            logback_uses(&items, &[])
                .appenders
                .into_iter()
                .map(|(_, u)| (u.detail, u.copied_to))
                .collect()
        };
        let console = r#"<appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="LOG_FILE" class="ch.qos.logback.core.rolling.RollingFileAppender"><file>/logs/a.log</file></appender>"#;
        // Side by side in the root.
        assert_eq!(
            copied(&format!(
                r#"<configuration>{console}<root><appender-ref ref="CONSOLE"/><appender-ref ref="LOG_FILE"/></root></configuration>"#
            ))[0],
            (
                "appender `CONSOLE` (ConsoleAppender)".to_string(),
                Some("LOG_FILE".to_string())
            )
        );
        // Beside an AsyncAppender that hands the events to the file.
        assert_eq!(
            copied(&format!(r#"<configuration>{console}<appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender"><appender-ref ref="LOG_FILE"/></appender><root><appender-ref ref="CONSOLE"/><appender-ref ref="ASYNC"/></root></configuration>"#))[0].1,
            Some("LOG_FILE".to_string())
        );
        // A logger using the console alone, or the file nowhere beside it.
        for alone in [
            r#"<root><appender-ref ref="CONSOLE"/><appender-ref ref="LOG_FILE"/></root><logger name="com.acme" additivity="false"><appender-ref ref="CONSOLE"/></logger>"#,
            r#"<root><appender-ref ref="CONSOLE"/></root><logger name="com.acme"><appender-ref ref="LOG_FILE"/></logger>"#,
            // An AsyncAppender takes its first appender only.
            r#"<appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender"><appender-ref ref="CONSOLE"/><appender-ref ref="LOG_FILE"/></appender><root><appender-ref ref="ASYNC"/></root>"#,
            // Also one defined under a profile.
            r#"<springProfile name="prod"><appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender"><appender-ref ref="CONSOLE"/><appender-ref ref="LOG_FILE"/></appender></springProfile><root><appender-ref ref="ASYNC"/></root>"#,
            // The file keeps errors only, or is the console again.
            r#"<appender name="ERRORS" class="ch.qos.logback.core.FileAppender"><filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>ERROR</level></filter></appender><root><appender-ref ref="CONSOLE"/><appender-ref ref="ERRORS"/></root>"#,
            r#"<appender name="OUT" class="ch.qos.logback.core.FileAppender"><file>/dev/stdout</file></appender><root><appender-ref ref="CONSOLE"/><appender-ref ref="OUT"/></root>"#,
            // The file only under a profile or a condition.
            r#"<root><springProfile name="k8s"><appender-ref ref="CONSOLE"/></springProfile><springProfile name="!k8s"><appender-ref ref="LOG_FILE"/></springProfile></root>"#,
            r#"<root><appender-ref ref="CONSOLE"/><if condition='isDefined("VM")'><then><appender-ref ref="LOG_FILE"/></then></if></root>"#,
            r#"<springProfile name="vm"><appender name="VM_FILE" class="ch.qos.logback.core.FileAppender"/></springProfile><root><appender-ref ref="CONSOLE"/><appender-ref ref="VM_FILE"/></root>"#,
        ] {
            assert_eq!(
                copied(&format!("<configuration>{console}{alone}</configuration>"))[0].1,
                None,
                "{alone}"
            );
        }
    }

    #[test]
    fn file_appenders_each_keeping_some_levels_copy_the_console_when_they_keep_all_logged() {
        let copied = |appenders: &str, root: &str| {
            let text = format!(
                r#"<configuration><appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"/>{appenders}{root}</configuration>"#
            );
            let (items, _) = scan(&text);
            logback_uses(&items, &[]).appenders[0].1.copied_to.clone()
        };
        let by_level = |levels: &[&str]| -> String {
            levels
                .iter()
                .map(|l| format!(r#"<appender name="{l}_FILE" class="ch.qos.logback.core.rolling.RollingFileAppender"><filter class="ch.qos.logback.classic.filter.LevelFilter"><level>{l}</level><onMatch>ACCEPT</onMatch><onMismatch>DENY</onMismatch></filter></appender>"#))
                .collect()
        };
        let root = |level: &str, refs: &[&str]| -> String {
            let refs: String = refs
                .iter()
                .map(|r| format!(r#"<appender-ref ref="{r}"/>"#))
                .collect();
            format!(r#"<root{level}><appender-ref ref="STDOUT"/>{refs}</root>"#)
        };
        let files = by_level(&["info", "WARN", "ERROR"]);
        let refs = ["info_FILE", "WARN_FILE", "ERROR_FILE"];
        // The root logs INFO and above: the three files keep them all.
        assert_eq!(
            copied(&files, &root(r#" level="INFO""#, &refs)).as_deref(),
            Some("info_FILE")
        );
        // logback 0.9's level element says the same.
        assert_eq!(
            copied(
                &files,
                &root("", &refs).replace("<root>", r#"<root><level value="info"/>"#)
            )
            .as_deref(),
            Some("info_FILE")
        );
        // DEBUG, or a level unsaid or set by a variable: DEBUG reaches no file.
        for level in [r#" level="DEBUG""#, "", r#" level="${LOG_LEVEL}""#] {
            assert_eq!(copied(&files, &root(level, &refs)), None, "{level}");
        }
        // A threshold at INFO keeps all an INFO root logs; a filter of
        // another class or one that denies its match keeps nothing sure.
        let threshold = r#"<appender name="F" class="ch.qos.logback.core.FileAppender"><filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>INFO</level></filter></appender>"#;
        assert_eq!(
            copied(threshold, &root(r#" level="warn""#, &["F"])).as_deref(),
            Some("F")
        );
        for filtered in [
            threshold.replace("ThresholdFilter", "EvaluatorFilter"),
            by_level(&["INFO"]).replace("<onMatch>ACCEPT", "<onMatch>DENY"),
        ] {
            let refs = [if filtered.contains("INFO_FILE") {
                "INFO_FILE"
            } else {
                "F"
            }];
            assert_eq!(copied(&filtered, &root(r#" level="INFO""#, &refs)), None);
        }
        // Behind an AsyncAppender with a threshold of its own at ERROR.
        let asynchronous = format!(
            r#"{files}<appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender"><filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>ERROR</level></filter><appender-ref ref="info_FILE"/></appender>"#
        );
        assert_eq!(
            copied(
                &asynchronous,
                &root(r#" level="INFO""#, &["ASYNC", "WARN_FILE"])
            ),
            None
        );
    }

    #[test]
    fn a_console_behind_a_wrapper_is_copied_where_the_wrappers_users_write_a_file() {
        let copied = |root: &str| {
            let text = format!(
                r#"<configuration><appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="ASYNC_STDOUT" class="ch.qos.logback.classic.AsyncAppender"><appender-ref ref="STDOUT"/></appender>
  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender"/>
  <appender name="ASYNC_FILE" class="ch.qos.logback.classic.AsyncAppender"><appender-ref ref="FILE"/></appender>
  {root}</configuration>"#
            );
            let (items, _) = scan(&text);
            logback_uses(&items, &[]).appenders[0].1.copied_to.clone()
        };
        assert_eq!(
            copied(
                r#"<root><appender-ref ref="ASYNC_STDOUT"/><appender-ref ref="ASYNC_FILE"/></root>"#
            )
            .as_deref(),
            Some("FILE")
        );
        assert_eq!(
            copied(
                r#"<root><appender-ref ref="ASYNC_STDOUT"/></root><logger name="a"><appender-ref ref="ASYNC_FILE"/></logger>"#
            ),
            None
        );
    }

    /// A console and 60 wrappers named `{prefix}0`… each referencing every
    /// wrapper (and the console, with `to_console`), then `root`.
    fn wrapped_console(prefix: &str, to_console: bool, root: &str) -> String {
        let mut text = String::from(
            r#"<configuration><appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender"/>"#,
        );
        for n in 0..60 {
            text.push_str(&format!(
                r#"<appender name="{prefix}{n}" class="com.acme.Fanout">"#
            ));
            if to_console {
                text.push_str(r#"<appender-ref ref="CONSOLE"/>"#);
            }
            for m in 0..60 {
                text.push_str(&format!(r#"<appender-ref ref="{prefix}{m}"/>"#));
            }
            text.push_str("</appender>");
        }
        text.push_str(root);
        text.push_str("</configuration>");
        text
    }

    #[test]
    fn wrappers_of_a_console_referencing_each_other_are_followed_once() {
        let text = wrapped_console("W", true, r#"<root><appender-ref ref="W0"/></root>"#);
        let (items, _) = scan(&text);
        assert_eq!(logback_uses(&items, &[]).appenders[0].1.copied_to, None);
    }

    #[test]
    fn appenders_referencing_each_other_in_a_ring_are_followed_once() {
        let text = wrapped_console(
            "A",
            false,
            r#"<root><appender-ref ref="CONSOLE"/><appender-ref ref="A0"/></root>"#,
        );
        let (items, _) = scan(&text);
        assert_eq!(logback_uses(&items, &[]).appenders[0].1.copied_to, None);
    }

    #[test]
    fn a_logger_passing_its_events_on_writes_where_the_root_does() {
        let (items, _) = scan(
            r#"<configuration><appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender"/>
  <root><appender-ref ref="FILE"/></root>
  <logger name="net.opentsdb.tools" level="INFO"><appender-ref ref="STDOUT"/></logger></configuration>"#,
        );
        let uses = logback_uses(&items, &[]);
        assert_eq!(uses.appenders[0].1.copied_to.as_deref(), Some("FILE"));
        // Roots in profile sections: which one the logger reaches depends
        // on the profile.
        let (items, _) = scan(
            r#"<configuration><appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender"/>
  <springProfile name="prod"><root><appender-ref ref="FILE"/></root></springProfile>
  <springProfile name="dev"><root><appender-ref ref="STDOUT"/></root></springProfile>
  <logger name="com.acme.audit"><appender-ref ref="STDOUT"/></logger></configuration>"#,
        );
        let uses = logback_uses(&items, &[]);
        assert_eq!(uses.appenders[0].1.copied_to, None);
        // A logger above it that keeps its events (`additivity="FALSE"`
        // is read as false too), or its own flag so written: the root's
        // file gets none.
        for loggers in [
            r#"<logger name="com.acme" additivity="FALSE"/><logger name="com.acme.audit"><appender-ref ref="STDOUT"/></logger>"#,
            r#"<logger name="com.acme.audit" additivity=" False "><appender-ref ref="STDOUT"/></logger>"#,
        ] {
            let text = format!(
                r#"<configuration><appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender"/>
  <root><appender-ref ref="FILE"/></root>{loggers}</configuration>"#
            );
            let (items, _) = scan(&text);
            assert_eq!(
                logback_uses(&items, &[]).appenders[0].1.copied_to,
                None,
                "{loggers}"
            );
        }
        // A logger for another package (`com.acmex`) is not above it.
        let (items, _) = scan(
            r#"<configuration><appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender"/>
  <root><appender-ref ref="FILE"/></root><logger name="com.acm" additivity="false"/>
  <logger name="com.acme.audit"><appender-ref ref="STDOUT"/></logger></configuration>"#,
        );
        let uses = logback_uses(&items, &[]);
        assert_eq!(uses.appenders[0].1.copied_to.as_deref(), Some("FILE"));
    }

    #[test]
    fn a_long_chain_of_appenders_ends_the_search_without_exhausting_the_stack() {
        let mut text = String::from(
            r#"<configuration><appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender"/>"#,
        );
        for n in 0..20_000 {
            let next = n + 1;
            text.push_str(&format!(
                r#"<appender name="A{n}" class="com.acme.Relay"><appender-ref ref="A{next}"/></appender>"#
            ));
        }
        text.push_str(r#"<appender name="A20000" class="ch.qos.logback.core.FileAppender"/>"#);
        text.push_str(
            r#"<root><appender-ref ref="CONSOLE"/><appender-ref ref="A0"/></root></configuration>"#,
        );
        let (items, _) = scan(&text);
        assert_eq!(logback_uses(&items, &[]).appenders[0].1.copied_to, None);
    }

    #[test]
    fn logback_configuration_by_its_root_and_appenders() {
        let is_logback = |text: &str| is_logback_configuration(&scan(text).0);
        assert!(is_logback(
            "<?xml version=\"1.0\"?>\n<!-- c -->\n<configuration scan=\"true\">\n<property name=\"a\" value=\"b\"/>\n<appender name=\"F\" class=\"x.F\"/></configuration>"
        ));
        // Hadoop's site files, log4net inside a .NET config, a log4j 2 file.
        assert!(!is_logback(
            "<configuration><property><name>fs.defaultFS</name></property></configuration>"
        ));
        assert!(!is_logback(
            "<configuration><log4net><appender name=\"A\" type=\"x\"/></log4net></configuration>"
        ));
        assert!(!is_logback(
            "<Configuration><Appenders><Console name=\"c\"/></Appenders></Configuration>"
        ));
        assert!(!is_logback("<beans/>"));
    }

    #[test]
    fn root_children_only_at_the_first_level() {
        let (items, _) = scan("<a><b><c/></b><d/></a><e/>");
        assert_eq!(root_element(&items).map(|(n, _)| n), Some("a"));
        assert!(root_has_child(&items, &|n| n == "d"));
        assert!(!root_has_child(&items, &|n| n == "c"));
        assert!(!root_has_child(&items, &|n| n == "e"));
    }
}
