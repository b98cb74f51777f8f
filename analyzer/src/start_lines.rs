//! What the repository's start scripts and Dockerfiles say of the
//! configuration an application starts with: a setting that points Spring
//! or the logging framework at a file outside the jar
//! (`-Dspring.config.location=conf/application.yml`,
//! `-Dlog4j.configurationFile=conf/log4j2.xml`) replaces the one the jar
//! carries, so what that file says does not run in the pod.

use std::collections::{HashMap, HashSet};

use crate::deployed::Deployment;
use crate::pom::Project;
use crate::walk::{FileKind, RepoFile};

/// Which configuration a setting replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Configured {
    /// Spring's `application*.yml|properties`.
    Spring,
    /// The logging framework's `logback*.xml`, `log4j2*.xml`, ….
    Logging,
}

/// The settings that replace a configuration the jar carries (not
/// `spring.config.additional-location`, which adds to it).
const REPLACING: [(&str, Configured); 6] = [
    ("spring.config.location", Configured::Spring),
    ("logging.config", Configured::Logging),
    ("log4j.configurationFile", Configured::Logging),
    ("log4j2.configurationFile", Configured::Logging),
    ("logback.configurationFile", Configured::Logging),
    ("log4j.configuration", Configured::Logging),
];

/// A file that starts Java: what it starts, the replacing settings it
/// gives.
#[derive(Debug)]
struct Start<'f> {
    rel: &'f str,
    /// The jars' names without `.jar` (`hg-pd-service-*`).
    jars: Vec<String>,
    /// The main classes it names that are the repository's.
    classes: Vec<String>,
    settings: Vec<(Configured, &'static str)>,
    /// A `java -jar`/`-cp` line whose jar or class is computed
    /// (`-jar ${Lib}${RUN_JAR}`): it starts the module the file lies in.
    launches_unnamed: bool,
}

/// Why a configuration of a module is replaced: the start file and the
/// setting.
pub(crate) type Replacement = (String, &'static str);

/// What the repository's starts replace.
#[derive(Debug, Default)]
pub(crate) struct Replacements {
    /// By module (pom index) and configuration: the replacement of every
    /// start of that module, when each replaces it.
    pub by_module: HashMap<(usize, Configured), Replacement>,
    /// The modules some start runs.
    pub started: HashSet<usize>,
}

/// What the starts of the repository's modules replace.
pub(crate) fn replaced(
    files: &[RepoFile],
    max_file_size: u64,
    project: &Project,
    deployment: &Deployment,
) -> Replacements {
    let java: HashMap<String, &str> = files
        .iter()
        .filter(|f| f.kind == FileKind::Java && !f.is_test)
        .filter_map(|f| {
            let (_, class) = f.rel.split_once("src/main/java/")?;
            Some((
                class.trim_end_matches(".java").replace('/', "."),
                f.rel.as_str(),
            ))
        })
        .collect();
    let starts: Vec<Start> = files
        .iter()
        .filter(|f| !f.is_test && is_start_file(&f.rel))
        .filter_map(|f| {
            let text = crate::read_text(f, max_file_size).ok()?;
            start_of(&f.rel, &text.text, &|class| java.contains_key(class))
        })
        .collect();
    // Each start's modules: the longest artifactId a jar's name begins
    // with, and the modules of the main classes.
    let module_of_jar = |jar: &str| {
        project
            .poms
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let a = p.artifact();
                !a.is_empty()
                    && jar
                        .strip_prefix(a)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
            })
            .max_by_key(|(_, p)| p.artifact().len())
            .map(|(i, _)| i)
    };
    let mut by_module: HashMap<usize, Vec<&Start>> = HashMap::new();
    for start in &starts {
        let mut modules: Vec<usize> = start
            .jars
            .iter()
            .filter_map(|j| module_of_jar(j))
            .chain(
                start
                    .classes
                    .iter()
                    .filter_map(|c| deployment.module_of(java[c.as_str()])),
            )
            .collect();
        if start.launches_unnamed {
            modules.extend(deployment.module_of(start.rel));
        }
        modules.sort_unstable();
        modules.dedup();
        for m in modules {
            by_module.entry(m).or_default().push(start);
        }
    }
    let mut out = Replacements {
        started: by_module.keys().copied().collect(),
        ..Replacements::default()
    };
    for (module, starts) in by_module {
        for what in [Configured::Spring, Configured::Logging] {
            let each: Option<Vec<Replacement>> = starts
                .iter()
                .map(|s| {
                    s.settings
                        .iter()
                        .find(|(w, _)| *w == what)
                        .map(|(_, setting)| (s.rel.to_string(), *setting))
                })
                .collect();
            if let Some(first) = each.and_then(|e| e.into_iter().next()) {
                out.by_module.insert((module, what), first);
            }
        }
    }
    out
}

/// Where a `java` command line is written: scripts, Dockerfiles, and
/// YAML outside the source folders (a manifest's `command`, a Compose
/// service's).
fn is_start_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    [".sh", ".bat", ".cmd"].iter().any(|e| name.ends_with(e))
        || crate::deployed::is_dockerfile(name)
        || ([".yml", ".yaml"].iter().any(|e| name.ends_with(e)) && !rel.contains("src/"))
}

/// What a start file starts and which replacing settings it gives;
/// `None` when it starts nothing it names. Settings count wherever they
/// are set (`JVM_OPTIONS=…` above the command); jars and classes only on
/// a command line running `java` (not a Dockerfile's `COPY app.jar`).
/// `is_class` says whether a dotted name is one of the repository's
/// classes.
fn start_of<'f>(rel: &'f str, text: &str, is_class: &dyn Fn(&str) -> bool) -> Option<Start<'f>> {
    let mut start = Start {
        rel,
        jars: Vec::new(),
        classes: Vec::new(),
        settings: Vec::new(),
        launches_unnamed: false,
    };
    for line in logical_lines(text) {
        let runs_java = line.to_ascii_lowercase().contains("java");
        let named_before = start.jars.len() + start.classes.len();
        let launches = runs_java
            && line
                .split_whitespace()
                .any(|t| matches!(t, "-jar" | "-cp" | "-classpath" | "--class-path"));
        for token in line.split(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']')) {
            // `-Dx="$BASE/conf/x.yml"`: the quotes are the shell's.
            let token = token.replace(['"', '\''], "");
            let token = token.trim_end_matches(';');
            if let Some(setting) = replacing_setting(token) {
                if !start.settings.contains(&setting) {
                    start.settings.push(setting);
                }
            } else if !runs_java {
                continue;
            } else if let Some(jar) = token
                .strip_suffix(".jar")
                .filter(|_| !token.starts_with('-'))
            {
                let name = jar.rsplit(['/', '\\']).next().unwrap_or(jar);
                if !name.is_empty() && !name.starts_with('$') {
                    start.jars.push(name.to_string());
                }
            } else if token.contains('.') && is_class(token) {
                start.classes.push(token.to_string());
            }
        }
        start.launches_unnamed |=
            launches && start.jars.len() + start.classes.len() == named_before;
    }
    (!start.jars.is_empty() || !start.classes.is_empty() || start.launches_unnamed).then_some(start)
}

/// A script's lines with their continuations joined (`\` in a shell
/// script or a Dockerfile, `^` in a Windows one), comments left out.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    let code = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && !is_remark(l));
    for line in code {
        let trimmed = line.trim_end();
        match trimmed
            .strip_suffix('\\')
            .or_else(|| trimmed.strip_suffix('^'))
        {
            Some(head) => {
                pending.push_str(head);
                pending.push(' ');
            }
            None => {
                pending.push_str(trimmed);
                out.push(std::mem::take(&mut pending));
            }
        }
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    out
}

/// A Windows script's comment line (`rem …`, `:: …`).
fn is_remark(line: &str) -> bool {
    let line = line.trim_start().to_ascii_lowercase();
    line.starts_with("rem ") || line.starts_with("::")
}

/// The replacing setting a command-line token gives
/// (`-Dlog4j.configurationFile=conf/log4j2.xml`,
/// `--spring.config.location=/conf/`), alone or as a variable's value.
fn replacing_setting(token: &str) -> Option<(Configured, &'static str)> {
    // Also as a variable's value (`JVM_OPTIONS=-Dlogging.config=…`).
    let option = token
        .split_once("=-")
        .filter(|(name, _)| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map_or(token, |(name, _)| &token[name.len() + 1..]);
    let rest = option
        .strip_prefix("-D")
        .or_else(|| option.strip_prefix("--"))?;
    let (name, value) = rest.split_once('=')?;
    let &(setting, what) = REPLACING.iter().find(|(s, _)| *s == name)?;
    // `classpath:` points back into the jars.
    (!value.is_empty() && !value.starts_with("classpath:")).then_some((what, setting))
}

/// Which configuration a file of a module's resources is, when a start
/// setting can replace it: Spring's (`application*.yml` at the resources'
/// root or in `config/`) or the logging framework's.
pub(crate) fn configured_by(path: &str) -> Option<Configured> {
    let (_, inside) = path.split_once("src/main/resources/")?;
    let (folder, name) = inside.rsplit_once('/').unwrap_or(("", inside));
    let (stem, ext) = name.rsplit_once('.')?;
    let spring = matches!(ext, "yml" | "yaml" | "properties")
        && (stem == "application" || stem.starts_with("application-"))
        && matches!(folder, "" | "config");
    let logging = matches!(ext, "xml" | "properties" | "json" | "yaml" | "yml")
        && (stem.starts_with("logback") || stem.starts_with("log4j"));
    if spring {
        Some(Configured::Spring)
    } else if logging {
        Some(Configured::Logging)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_file_names_its_jars_classes_and_replacing_settings() {
        let script = r#"
# -Dlogging.config=commented/out.xml
JVM_OPTIONS="-Dlog4j.configurationFile=${CONF}/log4j2.xml -javaagent:${LIB}/agent.jar"
nohup ${JAVA} ${JVM_OPTIONS} \
    -Dspring.config.location=${CONF}/application.yml ${LIB}/hg-pd-service-*.jar >> ${OUTPUT} 2>&1 &
java -cp "lib/*" org.acme.Main --spring.config.additional-location=conf/
"#;
        let start = start_of("bin/start.sh", script, &|c| c == "org.acme.Main").expect("a start");
        assert_eq!(start.jars, ["hg-pd-service-*"]);
        assert_eq!(start.classes, ["org.acme.Main"]);
        assert_eq!(
            start.settings,
            [
                (Configured::Logging, "log4j.configurationFile"),
                (Configured::Spring, "spring.config.location")
            ]
        );
    }

    #[test]
    fn a_computed_jar_is_launched_unnamed() {
        let script = "RUN_JAR=$(find \"${Lib}\" -name \"*.jar\" | head -1)\nJAVA_OPTS=\"$JAVA_OPTS -Dlogging.config=$conf/logback.xml\"\ncommand=\"${JAVA} ${JAVA_OPTS} -jar ${Lib}${RUN_JAR}\"\n";
        let start = start_of("server/src/main/bin/Server.sh", script, &|_| false).expect("a start");
        assert!(start.launches_unnamed && start.jars.is_empty());
        assert_eq!(start.settings, [(Configured::Logging, "logging.config")]);
    }

    #[test]
    fn a_jar_only_copied_is_not_started() {
        let dockerfile =
            "FROM eclipse-temurin:17\nADD km-rest.jar /\nENTRYPOINT [\"/ks-start.sh\"]\n";
        assert!(start_of("Dockerfile", dockerfile, &|_| false).is_none());
        let dockerfile =
            "COPY target/order-web.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n";
        let start = start_of("Dockerfile", dockerfile, &|_| false).expect("a start");
        assert_eq!(start.jars, ["app"]);
        let manifest = "      containers:\n        - command: ['/usr/bin/java', '-jar', '/km-rest.jar', '--spring.config.location=/conf/application-test.yml']\n";
        let start =
            start_of("helm/templates/deployment.yaml", manifest, &|_| false).expect("a start");
        assert_eq!(start.jars, ["km-rest"]);
        assert_eq!(
            start.settings,
            [(Configured::Spring, "spring.config.location")]
        );
    }

    #[test]
    fn a_setting_pointing_into_the_jars_replaces_nothing() {
        assert_eq!(
            replacing_setting("-Dlogging.config=classpath:logback-prod.xml"),
            None
        );
        assert_eq!(replacing_setting("-Dlog4j.configuration="), None);
        assert_eq!(
            replacing_setting("--logging.config=/conf/logback.xml"),
            Some((Configured::Logging, "logging.config"))
        );
        assert_eq!(replacing_setting("-Dlog4j.configurationFactory=x"), None);
    }

    #[test]
    fn what_a_resource_configures() {
        for (path, what) in [
            (
                "pd/src/main/resources/application.yml",
                Some(Configured::Spring),
            ),
            (
                "pd/src/main/resources/config/application-prod.properties",
                Some(Configured::Spring),
            ),
            (
                "pd/src/main/resources/log4j2.xml",
                Some(Configured::Logging),
            ),
            (
                "pd/src/main/resources/logback-spring.xml",
                Some(Configured::Logging),
            ),
            ("pd/src/main/resources/bootstrap.yml", None),
            ("pd/src/main/resources/templates/application.yml", None),
            ("pd/conf/application.yml", None),
        ] {
            assert_eq!(configured_by(path), what, "{path}");
        }
    }
}
