//! Migrating log4j 1 configuration to the standard logback configuration.
//!
//! The company standard is that business logs go through SLF4J + logback to
//! rolling files under one directory, in one format, and never to the console
//! (on a VM that was catalina.out; in a pod it is the container's stdout). A
//! log4j 1 file says which loggers log at which level to which appenders;
//! that is what is carried over. Everything else (layouts, rolling
//! schemes, console output) is replaced by the standard, and what cannot be
//! carried is reported as a note for a person to look at.
//!
//! A console reference becomes a reference to the default `APP` file appender
//! only when the logger's events would otherwise reach no file appender
//! without a threshold (its own, or an ancestor's through additivity), so
//! nothing is logged twice. A logger whose appenders were all dropped and
//! reaches no file through additivity, and a root with no file appender, get
//! `APP` too. `APP` is written only when something refers to it.
//!
//! `org.apache.log4j.AsyncAppender` is carried as logback's `AsyncAppender`
//! when it wraps exactly one appender that was carried (logback's wraps only
//! one); otherwise references to it go to what it wrapped directly, with a note.
//!
//! The same module finds the web.xml elements that start log4j, because they
//! fail (or log to nowhere) once log4j is gone.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use podready_analyzer::xml::{self, XmlItem};

/// The company's logging standard the generated configuration follows.
pub struct LogStandard<'a> {
    /// Directory business logs are written to, e.g. "/app/logs" (overridable at run time by the LOG_DIR env/system property).
    pub dir: &'a str,
    /// The one logback pattern, e.g. "%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %-5level %logger{50} - %msg%n".
    pub pattern: &'a str,
}

/// A logback.xml migrated from a log4j 1 file, and what could not be carried over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogbackMigration {
    pub logback_xml: String,
    /// One sentence each: things a person should look at (a custom appender class not carried over, a filter or layout dropped, an unknown level, ...). Empty when everything was carried.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoggingConfigError {
    /// 1-based line of the problem in the input.
    #[error("line {line}: {message}")]
    Malformed { line: usize, message: String },
}

/// One removal in web.xml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebXmlRemoval {
    /// Byte range to delete: the whole lines of the element when it stands alone on its lines (its leading indentation and trailing newline included), else exactly the element.
    pub span: Range<usize>,
    /// What it was, for the summary: e.g. "listener org.springframework.web.util.Log4jConfigListener" or "context-param log4jConfigLocation".
    pub what: String,
}

/// A log4j appender, whichever syntax it came from.
#[derive(Default)]
struct Appender {
    name: String,
    class: String,
    file: Option<String>,
    threshold: Option<String>,
    /// Appenders an AsyncAppender wraps (only log4j.xml can say).
    refs: Vec<String>,
    has_filter: bool,
}

struct Logger {
    name: String,
    level: Option<String>,
    refs: Vec<String>,
    additivity: Option<String>,
}

#[derive(Default)]
struct Config {
    appenders: Vec<Appender>,
    loggers: Vec<Logger>,
    root: Option<Logger>,
    notes: Vec<String>,
}

impl Config {
    /// A logger configured twice keeps its first position and its last settings, as log4j does.
    fn upsert(&mut self, logger: Logger) {
        match self.loggers.iter_mut().find(|l| l.name == logger.name) {
            Some(old) => *old = logger,
            None => self.loggers.push(logger),
        }
    }
}

fn malformed(text: &str, offset: usize, message: impl Into<String>) -> LoggingConfigError {
    LoggingConfigError::Malformed {
        line: podready_rules::line_of(text, offset),
        message: message.into(),
    }
}

/// `source_name` is the repository-relative path of the input (e.g. "web/src/main/resources/log4j.properties"), cited in a header comment of the output.
pub fn migrate_log4j_properties(
    text: &str,
    source_name: &str,
    standard: &LogStandard,
) -> Result<LogbackMigration, LoggingConfigError> {
    let props = parse_properties(text)?;
    let mut cfg = Config::default();
    let get = |key: &str| props.iter().find(|p| p.0 == key).map(|p| p.1.as_str());
    // `log4j.appender.X.File` is an option of X only if X itself is declared;
    // the shortest declared prefix wins, so appender names may contain dots.
    let declared: HashSet<&str> = props
        .iter()
        .filter_map(|p| p.0.strip_prefix("log4j.appender."))
        .collect();
    let mut options = Vec::new();
    for (key, value, _) in &props {
        let Some(rest) = key.strip_prefix("log4j.appender.") else {
            continue;
        };
        match rest
            .match_indices('.')
            .map(|(i, _)| &rest[..i])
            .find(|p| declared.contains(p))
        {
            None => cfg.appenders.push(Appender {
                name: rest.to_string(),
                class: value.clone(),
                ..Default::default()
            }),
            Some(name) => options.push((name, &rest[name.len() + 1..], value)),
        }
    }
    for (name, option, value) in options {
        let Some(a) = cfg.appenders.iter_mut().find(|a| a.name == name) else {
            continue;
        };
        let lower = option.to_ascii_lowercase();
        match lower.as_str() {
            "file" => a.file = Some(value.clone()),
            "rollingpolicy.activefilename" => {
                a.file = a.file.take().or_else(|| Some(value.clone()))
            }
            "threshold" => a.threshold = Some(value.clone()),
            _ if lower.starts_with("filter.") => a.has_filter = true,
            _ => {}
        }
    }
    let level_and_refs = |name: &str, v: &str| {
        let mut parts = v.split(',').map(str::trim);
        let level = parts.next().filter(|l| !l.is_empty()).map(String::from);
        let refs = parts.filter(|r| !r.is_empty()).map(String::from).collect();
        Logger {
            name: name.to_string(),
            level,
            refs,
            additivity: None,
        }
    };
    for (key, value, _) in &props {
        let name = key
            .strip_prefix("log4j.logger.")
            .or_else(|| key.strip_prefix("log4j.category."));
        if let Some(name) = name {
            let additivity = props
                .iter()
                .find(|p| p.0 == format!("log4j.additivity.{name}"));
            let mut logger = level_and_refs(name, value);
            logger.additivity = additivity.map(|p| p.1.clone());
            cfg.upsert(logger);
        }
    }
    cfg.root = get("log4j.rootLogger")
        .or_else(|| get("log4j.rootCategory"))
        .map(|v| level_and_refs("", v));
    Ok(render(&cfg, source_name, standard))
}

/// Java .properties entries as (key, value, line), in first-appearance order, later values winning.
fn parse_properties(text: &str) -> Result<Vec<(String, String, usize)>, LoggingConfigError> {
    let mut out: Vec<(String, String, usize)> = Vec::new();
    let mut lines = text.split('\n').enumerate();
    let physical = |l: &str| {
        l.strip_suffix('\r')
            .unwrap_or(l)
            .trim_start_matches([' ', '\t', '\x0c'])
            .to_string()
    };
    while let Some((index, raw)) = lines.next() {
        let mut logical = physical(raw);
        if logical.is_empty() || logical.starts_with(['#', '!']) {
            continue;
        }
        // An odd number of trailing backslashes continues the entry on the next line.
        while logical.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1 {
            logical.pop();
            match lines.next() {
                Some((_, next)) => logical.push_str(&physical(next)),
                None => break,
            }
        }
        let line = index + 1;
        let mut chars = logical.chars().peekable();
        let mut key = String::new();
        let mut separator = ' ';
        while let Some(c) = chars.next() {
            match c {
                '\\' => unescape_one(&mut chars, &mut key, line)?,
                '=' | ':' | ' ' | '\t' | '\x0c' => {
                    separator = c;
                    break;
                }
                _ => key.push(c),
            }
        }
        while chars
            .next_if(|c| matches!(c, ' ' | '\t' | '\x0c'))
            .is_some()
        {}
        if matches!(separator, ' ' | '\t' | '\x0c')
            && chars.next_if(|c| matches!(c, '=' | ':')).is_some()
        {
            while chars
                .next_if(|c| matches!(c, ' ' | '\t' | '\x0c'))
                .is_some()
            {}
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => unescape_one(&mut chars, &mut value, line)?,
                _ => value.push(c),
            }
        }
        let value = value.trim().to_string();
        match out.iter_mut().find(|p| p.0 == key) {
            Some(p) => p.1 = value,
            None => out.push((key, value, line)),
        }
    }
    Ok(out)
}

/// The character after a backslash in a .properties entry.
fn unescape_one(
    chars: &mut std::iter::Peekable<std::str::Chars>,
    out: &mut String,
    line: usize,
) -> Result<(), LoggingConfigError> {
    match chars.next() {
        Some('t') => out.push('\t'),
        Some('n') => out.push('\n'),
        Some('r') => out.push('\r'),
        Some('f') => out.push('\x0c'),
        Some('u') => {
            let hex: String = chars.by_ref().take(4).collect();
            let code = (hex.len() == 4)
                .then(|| u32::from_str_radix(&hex, 16).ok())
                .flatten();
            let Some(code) = code else {
                let message = format!("malformed \\u escape \"\\u{hex}\"");
                return Err(LoggingConfigError::Malformed { line, message });
            };
            // A surrogate half is not a char; Java would pair it, a lossy stand-in is enough here.
            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
        }
        Some(c) => out.push(c),
        None => {}
    }
    Ok(())
}

/// Like [`migrate_log4j_properties`], for a log4j.xml (`<log4j:configuration>`, DOCTYPE allowed).
/// Malformed XML, or a root element that is not a log4j configuration, is an error.
pub fn migrate_log4j_xml(
    text: &str,
    source_name: &str,
    standard: &LogStandard,
) -> Result<LogbackMigration, LoggingConfigError> {
    let root = parse_xml(text)?;
    if root.local() != "configuration" {
        let message = format!(
            "the root element is <{}>, not a log4j configuration",
            root.name
        );
        return Err(malformed(text, root.span.start, message));
    }
    let mut cfg = Config::default();
    for child in &root.children {
        match child.local() {
            "appender" => {
                let mut a = Appender {
                    name: child.attr("name").unwrap_or_default().to_string(),
                    class: child.attr("class").unwrap_or_default().trim().to_string(),
                    ..Default::default()
                };
                for c in &child.children {
                    match (c.local(), param(c)) {
                        ("param", (n, Some(v))) if n == "file" => a.file = Some(v.to_string()),
                        ("param", (n, Some(v))) if n == "threshold" => {
                            a.threshold = Some(v.to_string())
                        }
                        ("rollingPolicy", _) if a.file.is_none() => {
                            let active = c
                                .children
                                .iter()
                                .map(param)
                                .find(|p| p.0 == "activefilename");
                            a.file = active.and_then(|p| p.1).map(String::from);
                        }
                        ("appender-ref", _) => a.refs.extend(c.attr("ref").map(String::from)),
                        ("filter", _) => a.has_filter = true,
                        _ => {}
                    }
                }
                cfg.appenders.push(a);
            }
            "logger" | "category" => match child.attr("name") {
                Some(name) => {
                    let logger = xml_logger(child, name);
                    cfg.upsert(logger);
                }
                None => cfg
                    .notes
                    .push(format!("A <{}> without a name was left out.", child.name)),
            },
            "root" => cfg.root = Some(xml_logger(child, "")),
            _ => {}
        }
    }
    Ok(render(&cfg, source_name, standard))
}

/// A `<param name=.. value=..>`, its name lower-cased (log4j matches option names loosely).
fn param(p: &Node) -> (String, Option<&str>) {
    (
        p.attr("name").unwrap_or_default().to_ascii_lowercase(),
        p.attr("value"),
    )
}

fn xml_logger(node: &Node, name: &str) -> Logger {
    let mut logger = Logger {
        name: name.to_string(),
        level: None,
        refs: Vec::new(),
        additivity: node.attr("additivity").map(String::from),
    };
    for c in &node.children {
        match c.local() {
            "level" | "priority" => logger.level = c.attr("value").map(String::from),
            "appender-ref" => logger.refs.extend(c.attr("ref").map(String::from)),
            _ => {}
        }
    }
    logger
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    File,
    Console,
    Async,
    Other,
}

fn kind_of(class: &str) -> Kind {
    let simple = class.rsplit('.').next().unwrap_or(class);
    if class == "org.apache.log4j.AsyncAppender" {
        Kind::Async
    } else if simple.ends_with("FileAppender") {
        Kind::File
    } else if simple.ends_with("ConsoleAppender") {
        Kind::Console
    } else {
        Kind::Other
    }
}

enum Level {
    Set(&'static str),
    Unset,
    Unknown,
}

fn level(raw: Option<&str>) -> Level {
    let Some(raw) = raw.map(str::trim) else {
        return Level::Unset;
    };
    match raw.to_ascii_uppercase().as_str() {
        "" | "INHERITED" | "NULL" => Level::Unset,
        "ALL" => Level::Set("ALL"),
        "TRACE" => Level::Set("TRACE"),
        "DEBUG" => Level::Set("DEBUG"),
        "INFO" => Level::Set("INFO"),
        "WARN" => Level::Set("WARN"),
        "ERROR" | "FATAL" => Level::Set("ERROR"),
        "OFF" => Level::Set("OFF"),
        _ => Level::Unknown,
    }
}

/// Where a reference to an appender ends up.
enum Resolved {
    To(Vec<String>),
    Console,
    Dropped,
    Undefined,
}

/// A logger as written, and whether its events reach a file appender (`.0`)
/// and one without a threshold (`.1`), itself or through additivity.
struct Out {
    level: Option<&'static str>,
    additive: bool,
    refs: Vec<String>,
    reach: (bool, bool),
}

fn render(cfg: &Config, source: &str, standard: &LogStandard) -> LogbackMigration {
    let mut notes = cfg.notes.clone();
    // log4j uses the first appender of a name.
    let mut appenders: Vec<&Appender> = Vec::new();
    for a in &cfg.appenders {
        if !appenders.iter().any(|b| b.name == a.name) {
            appenders.push(a);
        }
    }
    let find = |name: &str| appenders.iter().find(|a| a.name == name).copied();
    let kind = |name: &str| find(name).map(|a| kind_of(&a.class));
    let threshold = |name: &str| match find(name).map(|a| level(a.threshold.as_deref())) {
        Some(Level::Set(l)) => Some(l),
        _ => None,
    };
    let default = std::iter::once("APP".to_string())
        .chain((2..).map(|n| format!("APP{n}")))
        .find(|n| find(n).is_none())
        .unwrap_or_default();
    // What each AsyncAppender wraps: its file appenders, and the default one
    // in place of a console unless a wrapped file already gets everything.
    let wraps: HashMap<&str, Vec<String>> = appenders
        .iter()
        .filter(|a| kind_of(&a.class) == Kind::Async)
        .map(|a| {
            let mut targets: Vec<String> = Vec::new();
            for r in a.refs.iter().filter(|r| kind(r) == Some(Kind::File)) {
                if !targets.contains(r) {
                    targets.push(r.clone());
                }
            }
            let console = a.refs.iter().any(|r| kind(r) == Some(Kind::Console));
            if console && targets.iter().all(|t| threshold(t).is_some()) {
                targets.push(default.clone());
            }
            (a.name.as_str(), targets)
        })
        .collect();
    let resolve = |r: &str| match kind(r) {
        None => Resolved::Undefined,
        Some(Kind::File) => Resolved::To(vec![r.to_string()]),
        Some(Kind::Console) => Resolved::Console,
        Some(Kind::Async) => match wraps.get(r).map(Vec::as_slice).unwrap_or_default() {
            [] => Resolved::Dropped,
            [_] => Resolved::To(vec![r.to_string()]),
            many => Resolved::To(many.to_vec()),
        },
        Some(Kind::Other) => Resolved::Dropped,
    };
    let plain = |r: &str| match wraps.get(r).map(Vec::as_slice) {
        Some([target]) => threshold(target).is_none(),
        _ => threshold(r).is_none(),
    };

    let implicit = Logger {
        name: String::new(),
        level: None,
        refs: Vec::new(),
        additivity: None,
    };
    let all: Vec<&Logger> = std::iter::once(cfg.root.as_ref().unwrap_or(&implicit))
        .chain(&cfg.loggers)
        .collect();
    // The root first, then loggers by depth: a logger's ancestors are done before it.
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| (i > 0, all[i].name.split('.').count()));
    let mut outs: Vec<Option<Out>> = all.iter().map(|_| None).collect();
    let mut referenced: HashSet<&str> = HashSet::new();
    let mut logger_notes: Vec<(usize, String)> = Vec::new();
    for i in order {
        let logger = all[i];
        let who = if i == 0 {
            "The root logger".to_string()
        } else {
            format!("Logger {}", logger.name)
        };
        let level = match level(logger.level.as_deref()) {
            Level::Set(l) => Some(l),
            Level::Unset => None,
            Level::Unknown => {
                let raw = logger.level.as_deref().unwrap_or_default();
                let note = format!("{who} has level \"{raw}\", which logback does not know; it was left without a level.");
                logger_notes.push((i, note));
                None
            }
        };
        let additive = match logger.additivity.as_deref().map(str::trim) {
            Some(a) if a.eq_ignore_ascii_case("false") => false,
            Some(a) if !a.eq_ignore_ascii_case("true") => {
                let note = format!("{who} has additivity \"{a}\", which is neither true nor false; it was left additive.");
                logger_notes.push((i, note));
                true
            }
            _ => true,
        };
        let (mut refs, mut console, mut dropped) = (Vec::<String>::new(), false, false);
        for r in &logger.refs {
            referenced.insert(r);
            match resolve(r) {
                Resolved::To(names) => {
                    for n in names {
                        if !refs.contains(&n) {
                            refs.push(n);
                        }
                    }
                }
                Resolved::Console => console = true,
                Resolved::Dropped => dropped = true,
                Resolved::Undefined => {
                    let note = format!("{who} refers to appender {r}, which is not defined; the reference was dropped.");
                    logger_notes.push((i, note));
                }
            }
        }
        // Events also reach the nearest configured ancestor (else the root) unless additivity is off.
        let mut parent = 0;
        let mut name = logger.name.as_str();
        while let Some((up, _)) = name.rsplit_once('.').filter(|_| i > 0) {
            name = up;
            if let Some(j) = all.iter().skip(1).position(|l| l.name == name) {
                parent = j + 1;
                break;
            }
        }
        let inherited = match &outs[parent] {
            Some(o) if additive && i > 0 => o.reach,
            _ => (false, false),
        };
        let mut reach = (
            inherited.0 || !refs.is_empty(),
            inherited.1 || refs.iter().any(|r| plain(r)),
        );
        // Business logs that went to the console, or only to dropped appenders, must still land in a file.
        if (console && !reach.1) || (dropped && !reach.0) || (i == 0 && !reach.0) {
            refs.push(default.clone());
            reach = (true, true);
        }
        outs[i] = Some(Out {
            level,
            additive,
            refs,
            reach,
        });
    }
    logger_notes.sort_by_key(|n| (n.0 == 0, n.0));
    let outs: Vec<Out> = outs.into_iter().flatten().collect();

    let via_async: Vec<&str> = appenders
        .iter()
        .filter(|a| kind_of(&a.class) == Kind::Async && referenced.contains(a.name.as_str()))
        .flat_map(|a| a.refs.iter().map(String::as_str))
        .collect();
    referenced.extend(via_async);
    let mut used: HashSet<&str> = outs
        .iter()
        .flat_map(|o| o.refs.iter().map(String::as_str))
        .collect();
    let wrapped: Vec<&str> = appenders
        .iter()
        .filter(|a| used.contains(a.name.as_str()))
        .filter_map(|a| match wraps.get(a.name.as_str()).map(Vec::as_slice) {
            Some([target]) => Some(target.as_str()),
            _ => None,
        })
        .collect();
    used.extend(wrapped);
    // What is written, in declaration order, with notes on what is not.
    let mut taken = HashSet::new();
    let mut files: Vec<(&str, String, &str)> = Vec::new();
    let mut asyncs: Vec<(&str, &str)> = Vec::new();
    for a in &appenders {
        let (name, class) = (a.name.as_str(), a.class.as_str());
        let k = kind_of(class);
        if !referenced.contains(name) {
            if k != Kind::Console {
                notes.push(format!(
                    "Appender {name} ({class}) is not used by any logger and was left out."
                ));
            }
            continue;
        }
        match (k, wraps.get(name).map(Vec::as_slice).unwrap_or_default()) {
            (Kind::File, _) if used.contains(name) => {
                let (stem, suffix) = file_name(a, &mut notes);
                let unique = unique(&stem, &mut taken);
                if unique != stem {
                    notes.push(format!("Appender {name} now writes {unique}{suffix}, as another appender already writes {stem}{suffix}."));
                }
                files.push((name, unique, suffix));
                if let (Some(raw), None) = (&a.threshold, threshold(name)) {
                    if matches!(level(Some(raw)), Level::Unknown) {
                        notes.push(format!("Appender {name} has threshold \"{raw}\", which logback does not know; it was left without a threshold filter."));
                    }
                }
                if a.has_filter {
                    notes.push(format!("Appender {name}'s filters were not carried over."));
                }
            }
            (Kind::Async, targets) => {
                for r in a.refs.iter().filter(|r| kind(r).is_none()) {
                    notes.push(format!("AsyncAppender {name} refers to appender {r}, which is not defined; the reference was dropped."));
                }
                match targets {
                    [target] => asyncs.push((name, target.as_str())),
                    [] => notes.push(format!("AsyncAppender {name} wraps no appender that was carried over, so it was left out.")),
                    many => notes.push(format!(
                        "AsyncAppender {name} wraps several appenders, which logback's AsyncAppender cannot; references to it now go to {} directly.",
                        many.join(", ")
                    )),
                }
            }
            (Kind::Other, _) => notes.push(format!(
                "Appender {name} ({class}) was not carried over; references to it were dropped."
            )),
            _ => {}
        }
    }
    if used.contains(default.as_str()) {
        files.push((default.as_str(), unique("app", &mut taken), ".log"));
    }
    notes.extend(logger_notes.into_iter().map(|n| n.1));

    let mut w = Xml(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!--
    Migrated by podready from {}.
    Business logs are written to files under ${{LOG_DIR}} (default {}), never to the console.
-->
<configuration>
    <property name="LOG_DIR" value="${{LOG_DIR:-{}}}"/>
    <property name="LOG_PATTERN" value="{}"/>
"#,
        comment_safe(source),
        comment_safe(standard.dir),
        escape(standard.dir),
        escape(standard.pattern)
    ));
    for (name, stem, suffix) in &files {
        let filter = threshold(name).map_or(String::new(), |level| {
            format!("        <filter class=\"ch.qos.logback.classic.filter.ThresholdFilter\">\n            <level>{level}</level>\n        </filter>\n")
        });
        w.0.push_str(&format!(
            r#"
    <appender name="{}" class="ch.qos.logback.core.rolling.RollingFileAppender">
        <file>${{LOG_DIR}}/{stem}{suffix}</file>
{filter}        <rollingPolicy class="ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy">
            <fileNamePattern>${{LOG_DIR}}/{stem}.%d{{yyyy-MM-dd}}.%i.log.gz</fileNamePattern>
            <maxFileSize>100MB</maxFileSize>
            <maxHistory>7</maxHistory>
            <totalSizeCap>5GB</totalSizeCap>
        </rollingPolicy>
        <encoder>
            <pattern>${{LOG_PATTERN}}</pattern>
            <charset>UTF-8</charset>
        </encoder>
    </appender>
"#,
            escape(name),
            stem = escape(stem),
        ));
    }
    // After the file appenders: logback 1.2 resolves an appender-ref only to an appender defined before it.
    for (name, target) in &asyncs {
        w.0.push_str(&format!(
            r#"
    <appender name="{}" class="ch.qos.logback.classic.AsyncAppender">
        <appender-ref ref="{}"/>
    </appender>
"#,
            escape(name),
            escape(target)
        ));
    }
    w.line(0, "");
    for (logger, out) in all.iter().zip(&outs).skip(1) {
        let mut open = format!(r#"<logger name="{}""#, escape(&logger.name));
        if let Some(level) = out.level {
            open.push_str(&format!(r#" level="{level}""#));
        }
        if !out.additive {
            open.push_str(r#" additivity="false""#);
        }
        w.element(&open, "logger", &out.refs);
    }
    if let Some(root) = outs.first() {
        let open = root
            .level
            .map_or("<root".to_string(), |l| format!(r#"<root level="{l}""#));
        w.element(&open, "root", &root.refs);
    }
    w.line(0, "</configuration>");
    LogbackMigration {
        logback_xml: w.0,
        notes,
    }
}

/// The log file an appender writes under LOG_DIR, as (stem, ".log" or "").
fn file_name(a: &Appender, notes: &mut Vec<String>) -> (String, &'static str) {
    let clean = |s: &str| -> String {
        let bad = |c: char| c.is_whitespace() || c.is_control() || "$%{}()/\\:*?\"<>|".contains(c);
        s.chars().map(|c| if bad(c) { '_' } else { c }).collect()
    };
    let value = a.file.as_deref().map(str::trim).unwrap_or_default();
    // The file name part: after any directory and any ${...} prefix.
    let base = clean(value.rsplit(['/', '\\', '}']).next().unwrap_or_default());
    let (stem, suffix) = match base
        .len()
        .checked_sub(4)
        .and_then(|i| Some((base.get(..i)?, base.get(i..)?)))
    {
        Some((stem, ext)) if ext.eq_ignore_ascii_case(".log") => (stem.to_string(), ".log"),
        _ => (base.clone(), ""),
    };
    if !stem.is_empty() && stem != "." && stem != ".." {
        return (stem, suffix);
    }
    let stem = match clean(&a.name.to_lowercase()) {
        s if s.is_empty() || s.starts_with('.') => "appender".to_string(),
        s => s,
    };
    if !value.is_empty() {
        notes.push(format!("Appender {}'s File \"{value}\" names no file podready can tell, so it now writes {stem}.log.", a.name));
    }
    (stem, ".log")
}

/// `stem`, or `stem-2`, `stem-3`...: logback refuses two appenders writing the same file.
fn unique(stem: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = stem.to_string();
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    candidate
}

struct Xml(String);

impl Xml {
    fn line(&mut self, depth: usize, s: &str) {
        if !s.is_empty() {
            self.0.push_str(&"    ".repeat(depth));
        }
        self.0.push_str(s);
        self.0.push('\n');
    }

    /// A logger or root with its appender-refs.
    fn element(&mut self, open: &str, tag: &str, refs: &[String]) {
        if refs.is_empty() {
            return self.line(1, &format!("{open}/>"));
        }
        self.line(1, &format!("{open}>"));
        for r in refs {
            self.line(2, &format!(r#"<appender-ref ref="{}"/>"#, escape(r)));
        }
        self.line(1, &format!("</{tag}>"));
    }
}

/// Text for an XML attribute value or element content.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push_str(&format!("&#{};", u32::from(c))),
            // Not allowed in XML 1.0 at all.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text that may stand in an XML comment, which cannot hold "--".
fn comment_safe(s: &str) -> String {
    let mut out = s.to_string();
    while out.contains("--") {
        out = out.replace("--", "- -");
    }
    out
}

/// An element of a parsed XML file, with its byte span in the input.
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
    span: Range<usize>,
}

impl Node {
    fn local(&self) -> &str {
        self.name
            .rsplit_once(':')
            .map_or(self.name.as_str(), |p| p.1)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.0 == name)
            .map(|a| a.1.as_str())
    }

    fn child_text(&self, local: &str) -> Option<&str> {
        self.children
            .iter()
            .find(|c| c.local() == local)
            .map(|c| c.text.trim())
    }
}

/// The root element of an XML file, read through the analyzer's XML
/// reader; comments, the doctype and processing instructions are skipped.
fn parse_xml(text: &str) -> Result<Node, LoggingConfigError> {
    let (items, syntax_error) = xml::scan_checked(text);
    let unescaped = |raw: &str| {
        quick_xml::escape::unescape(raw).map_or_else(|_| raw.to_string(), |v| v.into_owned())
    };
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    for item in &items {
        let closed = match item {
            XmlItem::Start {
                name, attrs, start, ..
            } => {
                stack.push(Node {
                    name: (*name).to_string(),
                    // An entity only a DTD would define stays as written:
                    // the raw text is the best there is.
                    attrs: attrs
                        .iter()
                        .map(|a| (a.name.to_string(), unescaped(a.value)))
                        .collect(),
                    children: Vec::new(),
                    text: String::new(),
                    span: *start..*start,
                });
                None
            }
            XmlItem::End { end, .. } => stack.pop().map(|mut node| {
                node.span.end = *end;
                node
            }),
            XmlItem::Text {
                start,
                text: raw,
                cdata,
            } => {
                let s = if *cdata {
                    raw.to_string()
                } else {
                    unescaped(raw)
                };
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&s),
                    // CDATA outside the root is let pass, as it always was.
                    None if *cdata => {}
                    None if s
                        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                        .is_empty() => {}
                    None => return Err(malformed(text, *start, "text outside the root element")),
                }
                None
            }
        };
        if let Some(node) = closed {
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None if root.is_some() => {
                    return Err(malformed(
                        text,
                        node.span.start,
                        format!("a second root element <{}>", node.name),
                    ));
                }
                None => root = Some(node),
            }
        }
    }
    if let Some(e) = syntax_error {
        return Err(malformed(text, e.offset, e.message));
    }
    if let Some(open) = stack.last() {
        return Err(malformed(
            text,
            open.span.start,
            format!("<{}> is never closed", open.name),
        ));
    }
    root.ok_or_else(|| malformed(text, text.len(), "no root element"))
}

const LOG4J_LISTENERS: [&str; 2] = [
    "org.springframework.web.util.Log4jConfigListener",
    "org.apache.logging.log4j.web.Log4jServletContextListener",
];
const LOG4J_PARAMS: [&str; 5] = [
    "log4jConfigLocation",
    "log4jRefreshInterval",
    "log4jExposeWebAppRoot",
    "log4jConfiguration",
    "isLog4jAutoInitializationDisabled",
];
const LOG4J_FILTER: &str = "org.apache.logging.log4j.web.Log4jServletFilter";

/// The elements of a web.xml that start or configure log4j: <listener> whose <listener-class> is org.springframework.web.util.Log4jConfigListener or org.apache.logging.log4j.web.Log4jServletContextListener; <context-param> whose <param-name> is log4jConfigLocation, log4jRefreshInterval, log4jExposeWebAppRoot, log4jConfiguration or isLog4jAutoInitializationDisabled; <filter> whose <filter-class> is org.apache.logging.log4j.web.Log4jServletFilter together with every <filter-mapping> whose <filter-name> names that filter. Comments are never touched (a commented-out listener is not removed). Malformed XML -> Err with the line.
pub fn web_xml_log4j_removals(text: &str) -> Result<Vec<WebXmlRemoval>, LoggingConfigError> {
    let root = parse_xml(text)?;
    let mut found: Vec<(Range<usize>, String)> = Vec::new();
    let mut filters: HashSet<&str> = HashSet::new();
    for child in &root.children {
        match (
            child.local(),
            child.child_text("listener-class"),
            child.child_text("param-name"),
        ) {
            ("listener", Some(class), _) if LOG4J_LISTENERS.contains(&class) => {
                found.push((child.span.clone(), format!("listener {class}")));
            }
            ("context-param", _, Some(name)) if LOG4J_PARAMS.contains(&name) => {
                found.push((child.span.clone(), format!("context-param {name}")));
            }
            ("filter", _, _) if child.child_text("filter-class") == Some(LOG4J_FILTER) => {
                let name = child.child_text("filter-name").unwrap_or_default();
                filters.insert(name);
                found.push((
                    child.span.clone(),
                    format!("filter {name} ({LOG4J_FILTER})"),
                ));
            }
            _ => {}
        }
    }
    for child in root
        .children
        .iter()
        .filter(|c| c.local() == "filter-mapping")
    {
        if let Some(name) = child
            .child_text("filter-name")
            .filter(|n| filters.contains(n))
        {
            found.push((child.span.clone(), format!("filter-mapping {name}")));
        }
    }
    found.sort_by_key(|f| f.0.start);
    Ok(found
        .into_iter()
        .map(|(span, what)| WebXmlRemoval {
            span: whole_lines(text, span),
            what,
        })
        .collect())
}

/// The element's whole lines when nothing else stands on them, so that removing it leaves no blank line.
fn whole_lines(text: &str, span: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let before = bytes.get(..span.start).unwrap_or_default();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let after = bytes.get(span.end..).unwrap_or_default();
    let trailing = after.iter().take_while(|b| blank(b)).count();
    let newline = match &after[trailing..] {
        [] => Some(0),
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    };
    match newline {
        Some(n) if before[line_start..].iter().all(blank) => line_start..span.end + trailing + n,
        _ => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;
    use quick_xml::Reader;

    const STANDARD: LogStandard = LogStandard {
        dir: "/app/logs",
        pattern: "%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %-5level %logger{50} - %msg%n",
    };

    /// Parses the output with quick-xml and asserts it has exactly one root element, <configuration>.
    fn assert_one_configuration(xml: &str) {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        let (mut depth, mut roots) = (0, Vec::new());
        loop {
            match reader.read_event().expect("the output is well-formed XML") {
                Event::Start(e) => {
                    if depth == 0 {
                        roots.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                    }
                    depth += 1;
                }
                Event::End(_) => depth -= 1,
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(roots, ["configuration"]);
    }

    fn rolling(name: &str, stem: &str, filter: &str) -> String {
        format!(
            r#"    <appender name="{name}" class="ch.qos.logback.core.rolling.RollingFileAppender">
        <file>${{LOG_DIR}}/{stem}.log</file>
{filter}        <rollingPolicy class="ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy">
            <fileNamePattern>${{LOG_DIR}}/{stem}.%d{{yyyy-MM-dd}}.%i.log.gz</fileNamePattern>
            <maxFileSize>100MB</maxFileSize>
            <maxHistory>7</maxHistory>
            <totalSizeCap>5GB</totalSizeCap>
        </rollingPolicy>
        <encoder>
            <pattern>${{LOG_PATTERN}}</pattern>
            <charset>UTF-8</charset>
        </encoder>
    </appender>
"#
        )
    }

    fn header(source: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<!--
    Migrated by podready from {source}.
    Business logs are written to files under ${{LOG_DIR}} (default /app/logs), never to the console.
-->
<configuration>
    <property name="LOG_DIR" value="${{LOG_DIR:-/app/logs}}"/>
    <property name="LOG_PATTERN" value="%d{{yyyy-MM-dd HH:mm:ss.SSS}} [%thread] %-5level %logger{{50}} - %msg%n"/>

"#
        )
    }

    #[test]
    fn logging_config_properties_keep_files_and_levels_and_drop_the_console() {
        let text = "# Root logger option\n\
            log4j.rootLogger=INFO, stdout, R\n\
            \n\
            log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n\
            log4j.appender.stdout.Target=System.out\n\
            log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n\
            log4j.appender.stdout.layout.ConversionPattern=%d{yyyy-MM-dd HH:mm:ss} %-5p %c{1}:%L - %m%n\n\
            \n\
            log4j.appender.R=org.apache.log4j.DailyRollingFileAppender\n\
            log4j.appender.R.File=${catalina.home}/logs/order.log\n\
            log4j.appender.R.DatePattern='.'yyyy-MM-dd\n\
            log4j.appender.R.layout=org.apache.log4j.PatternLayout\n\
            log4j.appender.R.layout.ConversionPattern=%d %p [%c] - %m%n\n\
            \n\
            log4j.logger.com.acme.dao=DEBUG, R\n\
            log4j.additivity.com.acme.dao=false\n\
            log4j.logger.org.apache.zookeeper : fatal\n\
            ! old style\n\
            log4j.category.org.springframework=warn,\\\n    stdout\n";
        let source = "web/src/main/resources/log4j.properties";
        let m = migrate_log4j_properties(text, source, &STANDARD).unwrap();
        // The console is gone; org.springframework's console events reach
        // order.log through the root, so no default appender is needed.
        let expected = header(source)
            + &rolling("R", "order", "")
            + r#"
    <logger name="com.acme.dao" level="DEBUG" additivity="false">
        <appender-ref ref="R"/>
    </logger>
    <logger name="org.apache.zookeeper" level="ERROR"/>
    <logger name="org.springframework" level="WARN"/>
    <root level="INFO">
        <appender-ref ref="R"/>
    </root>
</configuration>
"#;
        assert_eq!(m.logback_xml, expected);
        assert_eq!(m.notes, Vec::<String>::new());
        assert_one_configuration(&m.logback_xml);
    }

    #[test]
    fn logging_config_console_only_gets_the_default_appender_under_a_free_name() {
        let text = "log4j.rootCategory=debug, APP\n\
            log4j.appender.APP=org.apache.log4j.ConsoleAppender\n\
            log4j.appender.APP.layout=org.apache.log4j.SimpleLayout\n\
            log4j.logger.com.acme=, APP\n\
            log4j.logger.com.acme.x=INHERITED\n\
            log4j.additivity.com.acme=false\n";
        let m = migrate_log4j_properties(text, "log4j.properties", &STANDARD).unwrap();
        let expected = header("log4j.properties")
            + &rolling("APP2", "app", "")
            + r#"
    <logger name="com.acme" additivity="false">
        <appender-ref ref="APP2"/>
    </logger>
    <logger name="com.acme.x"/>
    <root level="DEBUG">
        <appender-ref ref="APP2"/>
    </root>
</configuration>
"#;
        assert_eq!(m.logback_xml, expected);
        assert!(m.notes.is_empty(), "{:?}", m.notes);
        assert_one_configuration(&m.logback_xml);
    }

    #[test]
    fn logging_config_xml_with_doctype_category_priority_smtp_and_async() {
        let text = r#"<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE log4j:configuration SYSTEM "log4j.dtd">
<log4j:configuration xmlns:log4j="http://jakarta.apache.org/log4j/" debug="false">
    <appender name="CONSOLE" class="org.apache.log4j.ConsoleAppender">
        <layout class="org.apache.log4j.PatternLayout">
            <param name="ConversionPattern" value="%d %-5p [%c] %m%n"/>
        </layout>
    </appender>
    <appender name="FILE" class="org.apache.log4j.RollingFileAppender">
        <param name="File" value="/var/log/pay/pay-service.log"/>
        <param name="MaxFileSize" value="10MB"/>
        <param name="Threshold" value="info"/>
        <filter class="org.apache.log4j.varia.StringMatchFilter"/>
    </appender>
    <appender name="AUDIT" class="com.acme.log.AuditFileAppender">
        <param name="file" value="${log.dir}"/>
    </appender>
    <appender name="ASYNC" class="org.apache.log4j.AsyncAppender">
        <appender-ref ref="FILE"/>
    </appender>
    <appender name="MAIL" class="org.apache.log4j.net.SMTPAppender">
        <param name="To" value="ops@acme.com"/>
    </appender>
    <!-- <category name="old"><priority value="debug"/></category> -->
    <category name="com.acme.pay" additivity="false">
        <priority value="debug"/>
        <appender-ref ref="ASYNC"/>
        <appender-ref ref="CONSOLE"/>
    </category>
    <logger name="com.acme.audit">
        <level value="VERBOSE"/>
        <appender-ref ref="AUDIT"/>
    </logger>
    <logger name="com.acme.alert&amp;mail">
        <level value="Fatal"/>
        <appender-ref ref="MAIL"/>
    </logger>
    <root>
        <priority value="warn"/>
        <appender-ref ref="CONSOLE"/>
        <appender-ref ref="MAIL"/>
    </root>
</log4j:configuration>
"#;
        let m = migrate_log4j_xml(text, "src/main/resources/log4j.xml", &STANDARD).unwrap();
        let threshold = "        <filter class=\"ch.qos.logback.classic.filter.ThresholdFilter\">\n            <level>INFO</level>\n        </filter>\n";
        // FILE has a threshold, so com.acme.pay's console events go to the default appender too;
        // the root's only file-bound appender (MAIL) is dropped, so it gets the default.
        let expected = header("src/main/resources/log4j.xml")
            + &rolling("FILE", "pay-service", threshold)
            + "\n"
            + &rolling("AUDIT", "audit", "")
            + "\n"
            + &rolling("APP", "app", "")
            + r#"
    <appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender">
        <appender-ref ref="FILE"/>
    </appender>

    <logger name="com.acme.pay" level="DEBUG" additivity="false">
        <appender-ref ref="ASYNC"/>
        <appender-ref ref="APP"/>
    </logger>
    <logger name="com.acme.audit">
        <appender-ref ref="AUDIT"/>
    </logger>
    <logger name="com.acme.alert&amp;mail" level="ERROR"/>
    <root level="WARN">
        <appender-ref ref="APP"/>
    </root>
</configuration>
"#;
        assert_eq!(m.logback_xml, expected);
        assert_eq!(
            m.notes,
            [
                "Appender FILE's filters were not carried over.",
                "Appender AUDIT's File \"${log.dir}\" names no file podready can tell, so it now writes audit.log.",
                "Appender MAIL (org.apache.log4j.net.SMTPAppender) was not carried over; references to it were dropped.",
                "Logger com.acme.audit has level \"VERBOSE\", which logback does not know; it was left without a level.",
            ]
        );
        assert_one_configuration(&m.logback_xml);
    }

    #[test]
    fn logging_config_properties_syntax_and_file_names() {
        // `key value`, `key:value`, escapes, a continued line and a comment that looks continued.
        let text = "log4j.rootLogger INFO,\\\n\t A ,B\r\n\
            # log4j.appender.A=org.apache.log4j.ConsoleAppender \\\n\
            log4j.appender.A:org.apache.log4j.FileAppender\n\
            log4j.appender.A.File=logs\\\\order.log\n\
            log4j.appender.B=org.apache.log4j.rolling.RollingFileAppender\n\
            log4j.appender.B.rollingPolicy.ActiveFileName=/data/order.log\n\
            log4j.appender.B.Threshold=\\u0045RROR\n\
            log4j.appender.C=org.apache.log4j.FileAppender\n\
            log4j.threshold=WARN\n";
        let m = migrate_log4j_properties(text, "log4j.properties", &STANDARD).unwrap();
        let xml = &m.logback_xml;
        assert!(xml.contains("<file>${LOG_DIR}/order.log</file>"), "{xml}");
        assert!(xml.contains("<file>${LOG_DIR}/order-2.log</file>"), "{xml}");
        assert!(
            xml.contains("${LOG_DIR}/order-2.%d{yyyy-MM-dd}.%i.log.gz"),
            "{xml}"
        );
        assert!(xml.contains("<level>ERROR</level>"), "{xml}");
        assert!(xml.contains("<root level=\"INFO\">\n        <appender-ref ref=\"A\"/>\n        <appender-ref ref=\"B\"/>\n    </root>"), "{xml}");
        assert_eq!(
            m.notes,
            [
                "Appender B now writes order-2.log, as another appender already writes order.log.",
                "Appender C (org.apache.log4j.FileAppender) is not used by any logger and was left out.",
            ]
        );
        assert_one_configuration(xml);

        let bad = "log4j.rootLogger=INFO, A\nlog4j.appender.A=org.apache.log4j.FileAppender\nlog4j.appender.A.File=a\\u00zz.log\n";
        let err = migrate_log4j_properties(bad, "log4j.properties", &STANDARD).unwrap_err();
        assert!(
            matches!(err, LoggingConfigError::Malformed { line: 3, .. }),
            "{err}"
        );
    }

    #[test]
    fn logging_config_malformed_xml_is_an_error_with_its_line() {
        let line_of = |text: &str| match migrate_log4j_xml(text, "log4j.xml", &STANDARD) {
            Err(LoggingConfigError::Malformed { line, .. }) => line,
            Ok(_) => 0,
        };
        let mismatched = "<?xml version=\"1.0\"?>\n<log4j:configuration>\n  <root>\n    <priority value=\"info\"/>\n  </category>\n</log4j:configuration>\n";
        assert_eq!(line_of(mismatched), 5);
        let unclosed = "<log4j:configuration>\n\n  <root>\n    <priority value=\"info\"/>\n</log4j:configuration>";
        assert_eq!(line_of(unclosed), 5);
        let unquoted = "<log4j:configuration>\n  <root>\n    <priority value=info/>\n  </root>\n</log4j:configuration>\n";
        assert_eq!(line_of(unquoted), 3);
        let not_log4j = "<?xml version=\"1.0\"?>\n\n<Configuration status=\"WARN\"/>\n";
        let err = migrate_log4j_xml(not_log4j, "log4j2.xml", &STANDARD).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: the root element is <Configuration>, not a log4j configuration"
        );
    }

    #[test]
    fn logging_config_web_xml_removals_keep_every_other_byte() {
        let lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<web-app xmlns=\"http://java.sun.com/xml/ns/javaee\" version=\"3.0\">",
            "\t<display-name>order</display-name>",
            "\t<!--",
            "\t<listener>",
            "\t\t<listener-class>org.springframework.web.util.Log4jConfigListener</listener-class>",
            "\t</listener>",
            "\t-->",
            "\t<context-param>",
            "\t\t<param-name>log4jConfigLocation</param-name>",
            "\t\t<param-value>classpath:log4j.properties</param-value>",
            "\t</context-param>",
            "\t<context-param><param-name>contextConfigLocation</param-name><param-value>/WEB-INF/app.xml</param-value></context-param>",
            "\t<listener>",
            "\t\t<listener-class> org.springframework.web.util.Log4jConfigListener </listener-class>",
            "\t</listener>  ",
            "\t<listener>",
            "\t\t<listener-class>org.springframework.web.context.ContextLoaderListener</listener-class>",
            "\t</listener>",
            "\t<filter><filter-name>log4jServletFilter</filter-name><filter-class>org.apache.logging.log4j.web.Log4jServletFilter</filter-class></filter>",
            "\t<filter-mapping>",
            "\t\t<filter-name>log4jServletFilter</filter-name>",
            "\t\t<url-pattern>/*</url-pattern>",
            "\t</filter-mapping><filter-mapping><filter-name>encoding</filter-name><url-pattern>/*</url-pattern></filter-mapping>",
            "</web-app>",
            "",
        ];
        let text = lines.join("\r\n");
        let removals = web_xml_log4j_removals(&text).unwrap();
        let what: Vec<&str> = removals.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(
            what,
            [
                "context-param log4jConfigLocation",
                "listener org.springframework.web.util.Log4jConfigListener",
                "filter log4jServletFilter (org.apache.logging.log4j.web.Log4jServletFilter)",
                "filter-mapping log4jServletFilter",
            ]
        );
        let mut after = text.clone();
        for r in removals.iter().rev() {
            after.replace_range(r.span.clone(), "");
        }
        let kept = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<web-app xmlns=\"http://java.sun.com/xml/ns/javaee\" version=\"3.0\">",
            "\t<display-name>order</display-name>",
            "\t<!--",
            "\t<listener>",
            "\t\t<listener-class>org.springframework.web.util.Log4jConfigListener</listener-class>",
            "\t</listener>",
            "\t-->",
            "\t<context-param><param-name>contextConfigLocation</param-name><param-value>/WEB-INF/app.xml</param-value></context-param>",
            "\t<listener>",
            "\t\t<listener-class>org.springframework.web.context.ContextLoaderListener</listener-class>",
            "\t</listener>",
            "\t<filter-mapping><filter-name>encoding</filter-name><url-pattern>/*</url-pattern></filter-mapping>",
            "</web-app>",
            "",
        ];
        assert_eq!(after, kept.join("\r\n"));

        let err =
            web_xml_log4j_removals("<web-app>\r\n\t<listener>\r\n</web-app>\r\n").unwrap_err();
        assert!(
            matches!(err, LoggingConfigError::Malformed { line: 3, .. }),
            "{err}"
        );
    }
}
