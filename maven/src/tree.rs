//! The resolved dependency tree of one module, as Maven's dependency plugin
//! writes it with `-DoutputType=json`: one JSON object per module, appended
//! to one file in reactor order.

use serde::{Deserialize, Serialize};

/// One artifact on a resolved tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedArtifact {
    #[serde(rename = "groupId")]
    pub group: String,
    #[serde(rename = "artifactId")]
    pub artifact: String,
    pub version: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub classifier: String,
    /// Empty for a module itself.
    #[serde(default)]
    pub scope: String,
    #[serde(default, deserialize_with = "flag")]
    pub optional: bool,
}

impl ResolvedArtifact {
    /// `group:artifact`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.group, self.artifact)
    }

    /// On the classpath the application runs with: compile and runtime
    /// scope (provided, system and test are not packaged).
    pub fn at_run_time(&self) -> bool {
        matches!(self.scope.as_str(), "compile" | "runtime")
    }
}

/// The plugin writes `"optional": "false"`; accept a boolean too.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Flag::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Text(t) => t == "true",
    })
}

/// An artifact and what it brings in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependencyNode {
    #[serde(flatten)]
    pub artifact: ResolvedArtifact,
    #[serde(default)]
    pub children: Vec<DependencyNode>,
}

/// A module and its resolved dependencies: the tree's root is the module,
/// its children are the dependencies the module declares or inherits.
pub type ModuleTree = DependencyNode;

/// A path from a module to an artifact on its tree: `path[0]` is a direct
/// dependency of the module, the last element the artifact itself.
pub type DependencyPath<'a> = Vec<&'a ResolvedArtifact>;

impl DependencyNode {
    /// Every artifact on the run-time classpath with the path that brings
    /// it, depth first in declaration order. Below a provided or test
    /// dependency nothing is on the run-time classpath.
    pub fn runtime_paths(&self) -> Vec<DependencyPath<'_>> {
        let mut out = Vec::new();
        let mut stack: Vec<(&DependencyNode, DependencyPath<'_>)> = self
            .children
            .iter()
            .rev()
            .map(|c| (c, vec![&c.artifact]))
            .collect();
        while let Some((node, path)) = stack.pop() {
            if !node.artifact.at_run_time() {
                continue;
            }
            for c in node.children.iter().rev() {
                let mut p = path.clone();
                p.push(&c.artifact);
                stack.push((c, p));
            }
            out.push(path);
        }
        out
    }
}

/// Reads the concatenated JSON objects the plugin appended.
pub fn parse_trees(text: &str) -> Result<Vec<ModuleTree>, serde_json::Error> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<ModuleTree>()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(coords: &str, scope: &str, children: Vec<DependencyNode>) -> String {
        let mut parts = coords.split(':');
        let kids: Vec<String> = children
            .iter()
            .map(|c| serde_json::to_string(c).unwrap())
            .collect();
        format!(
            r#"{{"groupId":"{}","artifactId":"{}","version":"{}","type":"jar","scope":"{scope}","classifier":"","optional":"false","children":[{}]}}"#,
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
            kids.join(",")
        )
    }

    fn parsed(text: &str) -> DependencyNode {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn concatenated_modules_and_runtime_paths() {
        let log4j = parsed(&node("log4j:log4j:1.2.17", "compile", vec![]));
        let zk = parsed(&node(
            "org.apache.zookeeper:zookeeper:3.4.6",
            "compile",
            vec![log4j],
        ));
        let junit = parsed(&node("junit:junit:4.12", "test", vec![]));
        let provided = parsed(&node(
            "javax.servlet:servlet-api:2.5",
            "provided",
            vec![parsed(&node("x:under-provided:1", "provided", vec![]))],
        ));
        let text = format!(
            "{}\n{}",
            r#"{"groupId":"t","artifactId":"parent","version":"1","type":"pom","scope":"","classifier":"","optional":"false"}"#,
            node("t:core:1", "", vec![zk, junit, provided])
        );
        let trees = parse_trees(&text).unwrap();
        assert_eq!(trees.len(), 2);
        assert!(trees[0].children.is_empty());
        let paths: Vec<Vec<String>> = trees[1]
            .runtime_paths()
            .iter()
            .map(|p| p.iter().map(|a| a.key()).collect())
            .collect();
        assert_eq!(
            paths,
            vec![
                vec!["org.apache.zookeeper:zookeeper".to_string()],
                vec![
                    "org.apache.zookeeper:zookeeper".to_string(),
                    "log4j:log4j".to_string()
                ],
            ]
        );
    }

    #[test]
    fn truncated_output_is_an_error() {
        assert!(parse_trees(r#"{"groupId":"t","artifactId":"#).is_err());
    }
}
