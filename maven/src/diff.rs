//! What a fix did to a module's run-time classpath, artifact by artifact.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::tree::ModuleTree;

/// One artifact whose version changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionChange {
    /// `group:artifact`.
    pub artifact: String,
    pub from: String,
    pub to: String,
}

/// The run-time classpath of one module before and after.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClasspathDiff {
    /// `group:artifact:version`.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<VersionChange>,
}

impl ClasspathDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// `group:artifact` → version, for what the module runs with.
pub fn runtime_classpath(tree: &ModuleTree) -> BTreeMap<String, String> {
    tree.runtime_paths()
        .iter()
        .filter_map(|p| p.last())
        .map(|a| (a.key(), a.version.clone()))
        .collect()
}

/// The difference between two resolutions of one module.
pub fn classpath_diff(before: &ModuleTree, after: &ModuleTree) -> ClasspathDiff {
    let (old, new) = (runtime_classpath(before), runtime_classpath(after));
    let mut diff = ClasspathDiff::default();
    for (k, v) in &new {
        match old.get(k) {
            None => diff.added.push(format!("{k}:{v}")),
            Some(o) if o != v => diff.changed.push(VersionChange {
                artifact: k.clone(),
                from: o.clone(),
                to: v.clone(),
            }),
            Some(_) => {}
        }
    }
    for (k, v) in &old {
        if !new.contains_key(k) {
            diff.removed.push(format!("{k}:{v}"));
        }
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::parse_trees;

    fn module(deps: &[(&str, &str)]) -> ModuleTree {
        let children: Vec<String> = deps
            .iter()
            .map(|(ga, v)| {
                let (g, a) = ga.split_once(':').unwrap();
                format!(
                    r#"{{"groupId":"{g}","artifactId":"{a}","version":"{v}","scope":"compile"}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"groupId":"t","artifactId":"m","version":"1","children":[{}]}}"#,
            children.join(",")
        );
        parse_trees(&text).unwrap().remove(0)
    }

    #[test]
    fn added_removed_changed() {
        let before = module(&[
            ("log4j:log4j", "1.2.17"),
            ("org.apache.zookeeper:zookeeper", "3.4.6"),
        ]);
        let after = module(&[
            ("org.apache.zookeeper:zookeeper", "3.4.14"),
            ("ch.qos.logback:logback-classic", "1.2.13"),
        ]);
        let d = classpath_diff(&before, &after);
        assert_eq!(d.added, vec!["ch.qos.logback:logback-classic:1.2.13"]);
        assert_eq!(d.removed, vec!["log4j:log4j:1.2.17"]);
        assert_eq!(
            d.changed,
            vec![VersionChange {
                artifact: "org.apache.zookeeper:zookeeper".into(),
                from: "3.4.6".into(),
                to: "3.4.14".into()
            }]
        );
        assert!(classpath_diff(&after, &after).is_empty());
    }
}
