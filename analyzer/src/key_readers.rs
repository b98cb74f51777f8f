//! Configuration keys only a client library reads (the pack's
//! `client_keys`): an address under `spring.zipkin.*` connects nowhere
//! when no Zipkin or Sleuth library is on the application's classpath
//! (PassJava's modules, whose tracing starters are commented out of the
//! pom, still carry `spring.zipkin.base-url`).

use std::collections::HashSet;

use podready_rules::ClientKeys;
use rayon::prelude::*;

use crate::walk::{FileKind, RepoFile};

/// What the repository's own code and configuration name of keys: a key
/// one of them reads whatever the dependencies are.
#[derive(Debug, Default)]
pub(crate) struct NamedKeys {
    /// The keys of `${…}` placeholders (`${spring.redis.host}` in another
    /// key's value, in `@Value`), lower case.
    placeholders: HashSet<String>,
    /// Java literals shaped like a key or a prefix of keys
    /// (`@ConfigurationProperties(prefix = "rocketmq")`,
    /// `env.getProperty("spring.redis.host")`), lower case.
    literals: HashSet<String>,
    /// The literals of `@ConfigurationProperties` annotations: the
    /// prefixes Spring binds to a class's fields, lower case.
    bound_prefixes: HashSet<String>,
}

impl NamedKeys {
    /// Reads the main sources and configuration files of the repository
    /// (once, when a key is found unread by its libraries), in parallel:
    /// on ruoyi-vue-pro, 5,500 sources read one by one were most of a
    /// warm run.
    pub(crate) fn of(files: &[RepoFile], max_file_size: u64) -> NamedKeys {
        let read = |f: &&RepoFile| {
            !f.is_test
                && matches!(
                    f.kind,
                    FileKind::Java
                        | FileKind::Properties
                        | FileKind::Yaml
                        | FileKind::Xml
                        | FileKind::Conf
                        | FileKind::Template
                )
        };
        files
            .par_iter()
            .filter(read)
            .map(|f| NamedKeys::in_file(f, max_file_size))
            .reduce(NamedKeys::default, |mut all, one| {
                all.placeholders.extend(one.placeholders);
                all.literals.extend(one.literals);
                all.bound_prefixes.extend(one.bound_prefixes);
                all
            })
    }

    /// What one file names of keys.
    fn in_file(f: &RepoFile, max_file_size: u64) -> NamedKeys {
        let mut named = NamedKeys::default();
        if let Ok(text) = crate::read_text(f, max_file_size) {
            let text = text.text.as_str();
            for (at, _) in text.match_indices("${") {
                let rest = &text[at + 2..];
                let end = rest.find(['}', ':']).unwrap_or(rest.len());
                named
                    .placeholders
                    .insert(rest[..end].trim().to_ascii_lowercase());
            }
            if f.kind == FileKind::Java {
                named.literals.extend(key_literals(text));
                for (at, _) in text.match_indices("@ConfigurationProperties") {
                    let rest = &text[at..];
                    if let Some(end) = rest.find(')') {
                        named.bound_prefixes.extend(key_literals(&rest[..end]));
                    }
                }
            }
        }
        named
    }

    /// Whether `key` is named: in a placeholder, or by a literal that is
    /// the key or a prefix of it.
    pub(crate) fn names(&self, key: &str) -> bool {
        let key = key.to_ascii_lowercase();
        self.placeholders.contains(&key)
            || prefixes(&key).any(|prefix| self.literals.contains(prefix))
    }

    /// Whether the application's own `key` is named: in a placeholder, by
    /// a literal that is the key or a prefix of two words or more
    /// (`"mate.job"`: a one-word literal is as often a value, `"mate"`), or
    /// by a prefix a `@ConfigurationProperties` binds, however short.
    pub(crate) fn names_own(&self, key: &str) -> bool {
        let key = key.to_ascii_lowercase();
        self.placeholders.contains(&key)
            || prefixes(&key).any(|p| {
                self.bound_prefixes.contains(p) || (p.contains('.') && self.literals.contains(p))
            })
    }
}

/// The key's prefixes at its dots, shortest first, and the key itself.
fn prefixes(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices('.')
        .map(|(at, _)| &key[..at])
        .chain(std::iter::once(key))
}

/// The string literals of Java text shaped like a key, lower case.
fn key_literals(java: &str) -> impl Iterator<Item = String> + '_ {
    java.split('"')
        .skip(1)
        .step_by(2)
        .filter(|l| is_key_shaped(l))
        .map(str::to_ascii_lowercase)
}

/// Letters, digits, dots, dashes and underscores, starting with a letter.
fn is_key_shaped(literal: &str) -> bool {
    literal.starts_with(|c: char| c.is_ascii_alphabetic())
        && literal
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn owns(library: &ClientKeys, key: &str) -> bool {
    library.prefixes.iter().any(|p| key.starts_with(p.as_str()))
}

/// An artifactId holding a reader word and no non-reader word.
fn read_by(library: &ClientKeys, artifact: &str) -> bool {
    let artifact = artifact.to_ascii_lowercase();
    library
        .readers
        .iter()
        .any(|w| artifact.contains(w.as_str()))
        && !library
            .not_readers
            .iter()
            .any(|w| artifact.contains(w.as_str()))
}

/// When every key of `keys` belongs to a client library of `table` that
/// none of `artifacts` is: the libraries' names. `None` when a key is
/// another's (the application's own, a library the table does not list)
/// or read.
pub(crate) fn unread<'t, 'a>(
    table: &'t [ClientKeys],
    keys: &[&str],
    artifacts: impl Iterator<Item = &'a str> + Clone,
) -> Option<Vec<&'t str>> {
    let mut names = Vec::new();
    for key in keys {
        let key = key.to_ascii_lowercase();
        let library = table.iter().find(|l| owns(l, &key))?;
        if artifacts.clone().any(|a| read_by(library, a)) {
            return None;
        }
        if !names.contains(&library.name.as_str()) {
            names.push(library.name.as_str());
        }
    }
    (!names.is_empty()).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use podready_rules::RulePack;

    fn table() -> Vec<ClientKeys> {
        RulePack::builtin().expect("the built-in pack").client_keys
    }

    #[test]
    fn a_key_is_unread_only_without_its_library() {
        let table = table();
        let discovery = ["spring-cloud-starter-alibaba-nacos-discovery", "lombok"];
        assert_eq!(
            unread(
                &table,
                &["spring.cloud.nacos.config.server-addr"],
                discovery.iter().copied()
            ),
            Some(vec!["Nacos' configuration client"])
        );
        assert_eq!(
            unread(
                &table,
                &["spring.cloud.nacos.discovery.server-addr"],
                discovery.iter().copied()
            ),
            None
        );
        let redis = ["spring-boot-starter-data-redis"];
        assert_eq!(
            unread(&table, &["spring.redis.host"], redis.iter().copied()),
            None
        );
        assert_eq!(
            unread(&table, &["spring.Redis.host"], discovery.iter().copied()),
            Some(vec!["a Redis client"])
        );
    }

    #[test]
    fn a_key_named_by_a_placeholder_or_a_prefix_literal_is_read() {
        let named = NamedKeys {
            placeholders: ["spring.cloud.nacos.config.server-addr".to_string()].into(),
            literals: ["rocketmq".to_string()].into(),
            bound_prefixes: HashSet::new(),
        };
        assert!(named.names("spring.cloud.nacos.config.server-addr"));
        assert!(named.names("RocketMQ.name-server"));
        assert!(!named.names("rocketmqx.name-server"));
        assert!(!named.names("spring.redis.host"));
        assert!(is_key_shaped("spring.redis.host"));
        assert!(!is_key_shaped("select * from t"));
    }

    #[test]
    fn the_applications_own_key_is_named_by_a_placeholder_a_dotted_literal_or_a_bound_prefix() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let sources = [
            (
                "Jobs.java",
                "class Jobs {\n  @Value(\"${mate.job.executor.ip}\") String ip;\n  String bucket = \"mate\";\n  String key = \"shop.order.feed\";\n}\n",
            ),
            (
                "Props.java",
                "@ConfigurationProperties(prefix = \"pay\")\nclass Props { String url; }\n",
            ),
        ];
        let files: Vec<RepoFile> = sources
            .iter()
            .map(|(rel, text)| {
                let abs = dir.path().join(rel);
                std::fs::write(&abs, text).expect("written");
                RepoFile {
                    rel: rel.to_string(),
                    abs,
                    kind: FileKind::Java,
                    is_test: false,
                }
            })
            .collect();
        let named = NamedKeys::of(&files, 1 << 20);
        assert!(named.names_own("mate.job.executor.ip"));
        assert!(named.names_own("shop.order.feed.url"));
        assert!(named.names_own("pay.notify.url"));
        // A one-word literal is a value as often as a prefix.
        assert!(!named.names_own("mate.job.executor.address"));
        assert!(named.names("mate.job.executor.address"));
        assert!(!named.names_own("shop.order.host"));
    }

    #[test]
    fn a_key_no_library_owns_is_read() {
        let table = table();
        let none = std::iter::empty;
        assert_eq!(unread(&table, &["spring.datasource.url"], none()), None);
        assert_eq!(unread(&table, &["shop.order.host"], none()), None);
        assert_eq!(
            unread(
                &table,
                &["spring.zipkin.base-url", "shop.order.host"],
                none()
            ),
            None
        );
        assert_eq!(unread(&table, &[], none()), None);
    }
}
