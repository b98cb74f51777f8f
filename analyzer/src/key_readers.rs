//! Configuration keys only a client library reads (the pack's
//! `client_keys`): an address under `spring.zipkin.*` connects nowhere
//! when no Zipkin or Sleuth library is on the application's classpath
//! (PassJava's modules, whose tracing starters are commented out of the
//! pom, still carry `spring.zipkin.base-url`).

use podready_rules::ClientKeys;

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
