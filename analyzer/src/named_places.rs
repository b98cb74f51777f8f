//! What the name of a file, folder or Java package says of the code or
//! configuration in it: a developer's profile, an example, mock data, a
//! command-line interface. Each reading needs only the name.

use crate::walk::in_main_sources;

/// The names of developer profiles. Not `test`, which also names a test
/// environment that pods run. `offline` is the Chinese teams' 线下, the
/// environment off the production line, beside `online` (线上).
pub(crate) const DEVELOPER_PROFILES: [&str; 5] =
    ["dev", "development", "local", "debug", "offline"];

/// Profile names that say production.
pub(crate) const PRODUCTION_PROFILES: [&str; 7] = [
    "prod",
    "prd",
    "pro",
    "production",
    "online",
    "live",
    "release",
];

/// Whether a profile condition (`development-opengauss`, `dev | local`)
/// holds only on a developer's machine: every profile it names is one, by
/// its first word (`dev-mysql`), and it negates none.
pub(crate) fn developer_condition(condition: &str) -> bool {
    let names: Vec<&str> = condition
        .split([',', '|', '&', '(', ')', ' '])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    !condition.contains('!')
        && !names.is_empty()
        && names.iter().all(|n| {
            let first = n.split(['-', '_']).next().unwrap_or(n).to_ascii_lowercase();
            DEVELOPER_PROFILES.contains(&first.as_str())
        })
}

/// The developer profile a configuration file is for, by its name
/// (`application-dev.yml` → `dev`, `order_local.properties` → `local`,
/// `logback-dev.xml` → `dev`, `dev.properties` → `dev`): a developer
/// profile after the name's first part, or the whole name.
pub(crate) fn developer_profile(path: &str) -> Option<&'static str> {
    // A logging configuration named for a profile (`logback-dev.xml`) is
    // that profile's: its `logging.config` names it, by convention.
    profile_named(path, &DEVELOPER_PROFILES, true).or_else(|| {
        // A file named for the profile alone (`config/dev.properties`,
        // which a build profile picks by its name).
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let (stem, ext) = name.rsplit_once('.')?;
        matches!(ext, "properties" | "yml" | "yaml" | "json")
            .then(|| DEVELOPER_PROFILES.iter().find(|p| **p == stem).copied())
            .flatten()
    })
}

/// The developer profile a Spring profile's configuration file is for, by
/// a part of its name after the first (`application-dev.yml`,
/// `order_local.properties`); not a file named for the profile alone
/// (`config/dev.properties`, which a build profile packs).
pub(crate) fn developer_profile_of_spring_file(path: &str) -> Option<&'static str> {
    profile_named(path, &DEVELOPER_PROFILES, false)
}

/// The profile of continuous integration a configuration file is for, by
/// its name (`application-travis.properties`, `order-ci.yml`): the
/// configuration a CI build runs its tests with.
pub(crate) fn ci_profile(path: &str) -> Option<&'static str> {
    profile_named(path, &CI_PROFILES, false)
}

/// The continuous-integration services a configuration may be named or
/// kept for.
const CI_PROFILES: [&str; 6] = ["ci", "travis", "jenkins", "github", "gitlab", "circleci"];

/// The continuous integration a folder above a configuration file is
/// named for (HugeGraph's `hugegraph-client/assembly/travis/conf/`, the
/// server a Travis build starts for the client's tests; `.circleci/`).
pub(crate) fn ci_folder(path: &str) -> Option<&'static str> {
    let (dir, _) = path.rsplit_once('/')?;
    // The innermost: `ci/travis/` is Travis'.
    dir.rsplit('/').find_map(|folder| {
        let folder = folder.trim_start_matches('.').to_ascii_lowercase();
        CI_PROFILES.iter().find(|p| **p == folder).copied()
    })
}

/// The first of `profiles` a configuration file's name has after its
/// first part, for a `.properties`, YAML or JSON file (and, with
/// `logging`, a logback or log4j XML file).
fn profile_named(path: &str, profiles: &[&'static str], logging: bool) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.')?;
    let logging =
        logging && ext == "xml" && (stem.starts_with("logback") || stem.starts_with("log4j"));
    if !matches!(ext, "properties" | "yml" | "yaml" | "json") && !logging {
        return None;
    }
    stem.split(['-', '_', '.'])
        .skip(1)
        .find_map(|part| profiles.iter().find(|p| **p == part).copied())
}

/// The developer profile a resources folder holding a file is named for
/// (`src/main/resources/dev/application.yaml`, which a Maven profile's
/// `<resources>` copies; shopizer's `profiles/local/database.properties`,
/// which its `local` profile loads).
pub(crate) fn developer_profile_folder(path: &str) -> Option<&'static str> {
    let (dir, _) = path.rsplit_once('/')?;
    let (_, below) = dir.rsplit_once("src/main/resources/")?;
    let folder = below
        .rsplit('/')
        .next()
        .unwrap_or(below)
        .to_ascii_lowercase();
    DEVELOPER_PROFILES.iter().find(|p| **p == folder).copied()
}

/// What a configuration file's name says it is, when it is an example or
/// a template
/// (`application.example.yml`, `broker-sample.properties`,
/// `registry.template.conf`): what it holds is for people to copy.
pub(crate) fn example_file(path: &str) -> Option<&'static str> {
    const WORDS: [(&str, &str); 7] = [
        ("example", "an example"),
        ("examples", "an example"),
        ("sample", "a sample"),
        ("samples", "a sample"),
        ("template", "a template"),
        ("templates", "a template"),
        ("tmpl", "a template"),
    ];
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.')?;
    if !matches!(ext, "properties" | "yml" | "yaml" | "xml" | "json" | "conf") {
        return None;
    }
    stem.split(['.', '-', '_']).find_map(|part| {
        WORDS
            .iter()
            .find(|(w, _)| *w == part)
            .map(|(_, shown)| *shown)
    })
}

/// The resources folder holding a project template a file belongs to
/// (`src/main/resources/templates/gen/web/src/main/resources/config/app.xml`,
/// `…/resources/archetype-resources/pom.xml`): a tree with its own
/// `src/main/` or pom below a module's resources is a skeleton a code
/// generator or archetype copies for a new project; the module's
/// application never loads it. So is all of a Maven archetype's
/// `archetype-resources/` (its `crawler-conf.yaml` beside the pom).
pub(crate) fn project_template_folder(path: &str) -> Option<&str> {
    const RESOURCES: &str = "src/main/resources/";
    let at = path.find(RESOURCES)?;
    let below = &path[at + RESOURCES.len()..];
    let template = below.starts_with("archetype-resources/")
        || below.contains("/src/main/")
        || below.starts_with("src/main/")
        || below.rsplit('/').next() == Some("pom.xml");
    template.then(|| &path[..at + RESOURCES.len() - 1])
}

/// Whether a configuration file is a code generator's, by its name
/// (`generator.properties`, MyBatis Generator's `generatorConfig.xml`,
/// `codegen.yml`): a developer or the build runs the generator to write
/// sources; no application loads it.
pub(crate) fn code_generator_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    // The whole name: `id-generator.properties` configures a service.
    let stem: String = stem.chars().filter(|c| !matches!(c, '-' | '_')).collect();
    matches!(ext, "properties" | "yml" | "yaml" | "xml" | "json")
        && matches!(
            stem.as_str(),
            "generator"
                | "generatorconfig"
                | "mybatisgenerator"
                | "mybatisgeneratorconfig"
                | "codegen"
                | "codegenerator"
        )
}

/// The `buildSrc` folder a path lies in: Gradle's build logic (its own
/// tasks and plugins, under `buildSrc/src/`), which runs when the project
/// is built. Not a Java package of that name (below a source root).
pub(crate) fn build_logic_folder(path: &str) -> Option<&str> {
    path.match_indices("buildSrc/src/")
        .map(|(at, _)| at)
        .find(|&at| {
            let above = &path[..at];
            (at == 0 || above.ends_with('/'))
                && !above.contains("src/main/")
                && !above.contains("src/test/")
                && !above.split('/').any(|f| f == "java")
        })
        .map(|at| &path[..at + "buildSrc".len()])
}

/// The data engine whose configuration a folder of the path holds, by the
/// folder's name: the engine's name and `conf` or `config`, joined or not
/// (Taier's `flinkconf/`, `spark-conf/`, `hadoop_conf/`). Its files are
/// what the engine's processes read, on the cluster the application
/// hands work to; with the folder.
///
/// A logging configuration in a folder named for a server product inside
/// a `conf` or `config` folder (`distribution/conf/zookeeper/log4j.properties`,
/// `conf/rocketmq/logback_broker.xml`) is that product's: what a
/// distribution installs beside its own services. Only logging: a client's
/// settings kept in such a folder (`config/kafka/producer.properties`) are
/// the application's own.
pub(crate) fn engine_configuration_folder(path: &str) -> Option<(&'static str, &str)> {
    const SERVERS: [(&str, &str); 5] = [
        ("zookeeper", "ZooKeeper"),
        ("rocketmq", "RocketMQ"),
        ("kafka", "Kafka"),
        ("elasticsearch", "Elasticsearch"),
        ("hbase", "HBase"),
    ];
    let (dir, name) = path.rsplit_once('/')?;
    if is_logging_configuration(name) {
        let (parent, folder) = dir.rsplit_once('/').unwrap_or(("", dir));
        let parent = parent.rsplit('/').next().unwrap_or(parent);
        let product = SERVERS
            .iter()
            .chain(&ENGINES)
            .find(|(n, _)| folder.eq_ignore_ascii_case(n))
            .filter(|_| matches!(parent, "conf" | "config"));
        if let Some((_, product)) = product {
            return Some((product, dir));
        }
    }
    dir.match_indices('/')
        .map(|(at, _)| &dir[..at])
        .chain(std::iter::once(dir))
        .find_map(|folder| {
            let name = folder
                .rsplit('/')
                .next()
                .unwrap_or(folder)
                .to_ascii_lowercase();
            ENGINES.iter().find_map(|&(prefix, engine)| {
                let rest = name.strip_prefix(prefix)?;
                let rest = rest.strip_prefix(['-', '_']).unwrap_or(rest);
                matches!(rest, "conf" | "config").then_some((engine, folder))
            })
        })
}

/// Data engines by the word naming them in a file or folder name.
const ENGINES: [(&str, &str); 5] = [
    ("flink", "Flink"),
    ("spark", "Spark"),
    ("hadoop", "Hadoop"),
    ("hive", "Hive"),
    ("yarn", "YARN"),
];

/// The data engine a logging configuration outside a module's sources is
/// named for, by the first word of its name (Kylin's
/// `build/conf/spark-executor-log4j.xml`, which the application hands to
/// the Spark jobs it submits): what the engine's own processes read. One
/// in a module's resources (`hive-log4j2.properties`) is on the
/// application's classpath, for the engine it embeds.
pub(crate) fn engine_logging_file(path: &str) -> Option<&'static str> {
    if in_main_sources(path) {
        return None;
    }
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let logging = (name.contains("log4j") || name.contains("logback"))
        && [".xml", ".properties", ".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext));
    if !logging {
        return None;
    }
    let first = name.split(['-', '_', '.']).next()?;
    ENGINES
        .iter()
        .find(|(word, _)| *word == first)
        .map(|(_, engine)| *engine)
}

/// Whether a logging configuration outside `src/main/` is named for the
/// tests (`logback-test.xml`, Leshan's `logback-leshan-test.xml`, which
/// its pom hands to the test runs): no jar takes it.
pub(crate) fn test_logging_file(path: &str) -> bool {
    outside_logging_file_named(path, &["test", "tests"])
}

/// Whether a logging configuration outside `src/main/` is named for a
/// command-line tool (James' `docker-configuration/logback-cli.xml`, which
/// its `james-cli` script hands to the admin tool): the tool's launcher
/// loads it, and the tool prints for the person running it. One among a
/// jar's resources may be the service's own (`logging.config`).
pub(crate) fn tool_logging_file(path: &str) -> bool {
    outside_logging_file_named(path, &["cli", "tool", "tools"])
}

/// Whether a logging configuration outside `src/main/` has one of `words`
/// among the words of its name.
fn outside_logging_file_named(path: &str, words: &[&str]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    is_logging_configuration(name)
        && !in_main_sources(path)
        && name
            .to_ascii_lowercase()
            .split(['-', '_', '.'])
            .any(|w| words.contains(&w))
}

/// Whether a file describes an HTTP API: an OpenAPI or Swagger document by
/// its name or a folder's (`openapi.yaml`, `swagger/orders.json`,
/// `openapi/endpointInfo.yaml`, `api-docs/`) whose text, as `text` reads
/// it, gives its `openapi` or `swagger` version ([`is_api_version_line`]): the addresses in its examples document requests; no
/// application connects to them.
pub(crate) fn api_description_file(path: &str, text: impl FnOnce() -> Option<String>) -> bool {
    let lower = path.to_ascii_lowercase();
    let Some((stem, ext)) = lower.rsplit('/').next().and_then(|n| n.rsplit_once('.')) else {
        return false;
    };
    let named = |s: &str| s.contains("openapi") || s.contains("swagger");
    matches!(ext, "yaml" | "yml" | "json")
        && (named(stem)
            || lower
                .rsplit('/')
                .skip(1)
                .any(|folder| matches!(folder, "openapi" | "swagger" | "api-docs")))
        && text().is_some_and(|t| t.lines().any(is_api_version_line))
}

/// Whether a line gives an API description's version: YAML's top-level
/// `openapi: 3.0.3` or `swagger: "2.0"`, JSON's `"openapi": "3.0.1"` —
/// a version, not a block of settings (`swagger:` over `enabled: true`).
fn is_api_version_line(line: &str) -> bool {
    let json = line.trim_start_matches(['{', ' ', '\t']);
    ["openapi", "swagger"].iter().any(|key| {
        line.strip_prefix(key)
            .or_else(|| json.strip_prefix(&format!("\"{key}\"")))
            .and_then(|rest| rest.trim_start().strip_prefix(':'))
            .is_some_and(|value| {
                value
                    .trim_start()
                    .trim_start_matches(['"', '\''])
                    .starts_with(|c: char| c.is_ascii_digit())
            })
    })
}

/// Whether a file's name is log4j's or logback's configuration, by its
/// stem (`log4j.properties`, `log4j2-spring.xml`, `logback_broker.xml`).
fn is_logging_configuration(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("log4j") || lower.starts_with("logback"))
        && (lower.ends_with(".xml") || lower.ends_with(".properties"))
}

/// The folder a data file (`.json`) lies in when one on its path below a
/// `src` folder is named for mock data (`src/main/java/…/mock/json/user.json`):
/// sample records a demo endpoint serves. A module's own folder does not
/// count, whatever its name.
pub(crate) fn mock_data_folder(path: &str) -> Option<&str> {
    if !path.ends_with(".json") {
        return None;
    }
    let (dir, _) = path.rsplit_once('/')?;
    let sources = dir
        .match_indices("src/")
        .map(|(at, _)| at)
        .find(|&at| at == 0 || dir[..at].ends_with('/'))?;
    dir.match_indices('/')
        .map(|(at, _)| &dir[..at])
        .chain(std::iter::once(dir))
        .filter(|folder| folder.len() > sources + "src".len())
        .find(|folder| {
            let name = folder
                .rsplit('/')
                .next()
                .unwrap_or(folder)
                .to_ascii_lowercase();
            matches!(
                name.as_str(),
                "mock" | "mocks" | "mockdata" | "mock-data" | "mock_data"
            )
        })
}

/// Whether a file holds texts for people in some language: a `.properties`
/// resource bundle (`messages.properties`, `messages_de.properties`,
/// `ValidationMessages_zh_CN.properties`, a name holding the word `i18n`
/// or `l10n`: `openfire_i18n_fr.properties`) or any `.properties`, JSON or
/// YAML file in a folder named for translations below a source folder
/// (`src/main/resources/i18n/labels_zh_CN.properties`, a web UI's
/// `src/i18n/locales/en_us.json`), Spring's own files aside.
pub(crate) fn is_resource_bundle(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let (dir, name) = lower.rsplit_once('/').unwrap_or(("", &lower));
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if stem.starts_with("application") || stem.starts_with("bootstrap") {
        return false;
    }
    // A module's own folder may have any name: only those below `src/`.
    let below_sources = dir.rsplit_once("src/").map_or(dir, |(_, below)| below);
    let in_translations = below_sources
        .split('/')
        .any(|folder| matches!(folder, "i18n" | "l10n" | "locale" | "locales" | "lang"));
    let bundle = ["messages", "message", "validationmessages"]
        .iter()
        .any(|base| {
            stem.strip_prefix(base)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('_'))
        })
        || stem
            .split(['_', '-', '.'])
            .any(|word| matches!(word, "i18n" | "l10n"));
    match ext {
        "properties" => bundle || in_translations,
        "json" | "yml" | "yaml" => in_translations,
        _ => false,
    }
}

/// The Maven site's sources a file lies in (`server/src/site/`, its
/// `xdoc/` and `markdown/` pages, or Maven 1's and Anakia's `xdocs/`
/// beside the sources, JMeter's user manual): documentation rendered for
/// a web site, which no artifact holds.
pub(crate) fn maven_site_folder(path: &str) -> Option<&str> {
    let folder = |name: &str| {
        if path.starts_with(&format!("{name}/")) {
            Some(0)
        } else {
            path.find(&format!("/{name}/")).map(|at| at + 1)
        }
        .map(|at| &path[..at + name.len()])
    };
    folder("src/site").or_else(|| folder("xdocs").filter(|f| !f.contains("src/main/")))
}

/// Whether an XML file is a page of documentation in the xdoc format
/// (Maven's and Anakia's, Tomcat's `webapps/docs/config/filter.xml`): its
/// root element is `<document>` and it holds a `<section>`. A build
/// renders it to HTML; nothing reads it as configuration.
pub(crate) fn xdoc_page(path: &str, text: impl FnOnce() -> Option<String>) -> bool {
    if !path.to_ascii_lowercase().ends_with(".xml") {
        return false;
    }
    text().is_some_and(|text| {
        let root = text
            .split('<')
            .skip(1)
            .find(|tag| !tag.starts_with(['?', '!']))
            .unwrap_or("");
        let name_end = root
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(root.len());
        &root[..name_end] == "document" && text.contains("<section")
    })
}

/// The class a Java file declares, when its name says it writes to the
/// console (`StdOutIndexer`, `SysoutWriter`, `SystemOutSink`; `Console`
/// its first word and its last one naming output or what receives it:
/// Gravitino's `ConsoleMonitorCallback`, Activiti's `ConsoleLogger`, not a
/// web console's `ConsoleController`) or is a debugging aid
/// (`DebugParseFilter`: `Debug` its first word).
pub(crate) fn console_class(path: &str) -> Option<&str> {
    let class = path.rsplit('/').next()?.strip_suffix(".java")?;
    let words: Vec<String> = crate::ip::name_words(class).collect();
    let console = words.windows(2).any(|w| {
        matches!(
            (w[0].as_str(), w[1].as_str()),
            ("std" | "system" | "sys", "out" | "err")
        )
    }) || words
        .iter()
        .any(|w| matches!(w.as_str(), "stdout" | "stderr" | "sysout" | "syserr"));
    // Not a listener's or a handler's name, which a web console's classes
    // take too (`ConsoleRequestHandler`).
    const OUTPUTS: [&str; 7] = [
        "logger", "reporter", "printer", "writer", "callback", "sink", "output",
    ];
    let console_output = words.first().is_some_and(|w| w == "console")
        && words.last().is_some_and(|w| OUTPUTS.contains(&w.as_str()));
    (console || console_output || words.first().is_some_and(|w| w == "debug")).then_some(class)
}

/// Whether a class's name says it runs a server (`HopServer`,
/// `TikaServerCli`, `IndexDaemon`): a word of it is `server` or `daemon`
/// (not `ObserverTool`, whose `server` is part of a word).
pub(crate) fn names_a_server(class: &str) -> bool {
    crate::ip::name_words(class).any(|w| w == "server" || w == "daemon")
}

/// Whether a file is a notebook's (a `.zpln`, Jupyter's `.ipynb`, or a
/// `.json` under a `zeppelin` or `notebook` folder whose text, as `text`
/// reads it, holds a Zeppelin note's `"paragraphs"`): paragraphs an
/// analyst runs, with their sample output; no application loads it.
pub(crate) fn notebook_file(path: &str, text: impl FnOnce() -> Option<String>) -> bool {
    let lower = path.to_ascii_lowercase();
    let (dir, name) = lower.rsplit_once('/').unwrap_or(("", lower.as_str()));
    name.ends_with(".zpln")
        || name.ends_with(".ipynb")
        || (name.ends_with(".json")
            && dir
                .split('/')
                .any(|f| matches!(f, "zeppelin" | "notebook" | "notebooks"))
            && text().is_some_and(|t| t.contains("\"paragraphs\"")))
}

/// The folder of an editor's own notes a file lies in: Dreamweaver's
/// site-sync records (`_notes/dwsync.xml`, which list the hosts a page was
/// uploaded to) and NetBeans' project settings (`nbproject/`), carried
/// along with vendored web assets. Nothing loads them.
pub(crate) fn editor_notes_folder(path: &str) -> Option<&str> {
    let dir = path.rsplit_once('/')?.0;
    let mut at = 0;
    for folder in dir.split('/') {
        at += folder.len() + 1;
        if matches!(folder, "_notes" | "nbproject") {
            return Some(&dir[..at - 1]);
        }
    }
    None
}

/// The folder of a third party's release copied into the repository a
/// path lies in, named for the release's version after its name
/// (`fontawesome-free-5.11.2`, `jquery-3.4.1`, `pdfjs-2.16.105-dist`):
/// a name, a dash, then two or more numbers joined by dots. Not the
/// repository's own modules, whose folders carry no version.
pub(crate) fn release_copy_folder(path: &str) -> Option<&str> {
    let dir = path.rsplit_once('/')?.0;
    let mut at = 0;
    for folder in dir.split('/') {
        at += folder.len() + 1;
        let versioned = folder.match_indices('-').any(|(dash, _)| {
            let version = folder[dash + 1..].split('-').next().unwrap_or("");
            let numbers: Vec<&str> = version.split('.').collect();
            dash > 0
                && numbers.len() >= 2
                && numbers
                    .iter()
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if versioned {
            return Some(&dir[..at - 1]);
        }
    }
    None
}

/// The `dev-support` or `dev-tools` folder a path lies in, or the `dev`
/// folder at the repository's root: the developers' own tooling by the
/// Apache projects' convention (an installer for a test cluster, a
/// developer's Kubernetes or Docker set-up, release scripts, Airavata's
/// Ansible inventories, Uniffle's `dev/local_dev_template/`). Not below a
/// source folder, where it would be a package.
pub(crate) fn developer_support_folder(path: &str) -> Option<&str> {
    let dir = path.rsplit_once('/')?.0;
    let mut at = 0;
    for (n, folder) in dir.split('/').enumerate() {
        if folder == "src" {
            return None;
        }
        at += folder.len() + 1;
        if matches!(folder, "dev-support" | "dev-tools") || (n == 0 && folder == "dev") {
            return Some(&dir[..at - 1]);
        }
    }
    None
}

/// Whether a Java package of a module (its artifactId) holds examples of
/// the module's use (`org.acme.sdk.dataproxy.example` in `dataproxy-sdk`):
/// a part named `example(s)` or `demo(s)` after the first three, which
/// name the organisation and the project (`com.example.demo`, Spring
/// Initializr's default, is an application's own package), and not the
/// module's own name (`com.acme.order.demo` in `order-demo`: whether that
/// module runs is the deployment's to say).
pub(crate) fn is_example_package(package: &str, module: &str) -> bool {
    const WORDS: [&str; 4] = ["example", "examples", "demo", "demos"];
    let own = |word: &str| {
        module
            .split(['-', '_', '.'])
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    package
        .split('.')
        .skip(3)
        .any(|part| WORDS.contains(&part) && !own(part))
}

/// Whether a Java package holds a command-line interface
/// (`org.acme.broker.tools.cli`): a part after the two of the
/// organisation's domain named `cli` or `cmdline`, or a command-line
/// word joined to a tool's (`commandtools`, `cliutil`). `command` alone
/// is not one: it names an application's commands (CQRS).
pub(crate) fn is_command_line_package(package: &str) -> bool {
    const WHOLE: [&str; 3] = ["cli", "cmdline", "commandline"];
    const HEADS: [&str; 5] = ["cli", "cmd", "command", "cmdline", "commandline"];
    const TAILS: [&str; 4] = ["tool", "tools", "util", "utils"];
    package.split('.').skip(2).any(|part| {
        let part = part.to_ascii_lowercase();
        WHOLE.contains(&part.as_str())
            || HEADS.iter().any(|head| {
                part.strip_prefix(head)
                    .is_some_and(|tail| TAILS.contains(&tail))
            })
    })
}

/// Whether a Java package's programs (classes with a `main()`) are
/// command-line programs: a command-line interface's package
/// ([`is_command_line_package`]), or a part after the two of the
/// organisation's domain named for a client, a shell, commands or tools
/// (`org.apache.drill.yarn.client`, `org.apache.storm.command`,
/// `org.apache.ode.tools.bpelc.cline`). An application's commands
/// (`command` in CQRS) have no `main()`.
pub(crate) fn names_programs(package: &str) -> bool {
    const WORDS: [&str; 8] = [
        "client", "shell", "cmd", "command", "commands", "tool", "tools", "cline",
    ];
    is_command_line_package(package)
        || package
            .split('.')
            .skip(2)
            .any(|part| WORDS.contains(&part.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_of_command_line_programs() {
        for package in [
            "org.apache.drill.yarn.client",
            "org.apache.storm.command",
            "org.apache.ode.tools.bpelc.cline",
            "org.acme.orders.cmdline",
            "org.acme.broker.Tools",
        ] {
            assert!(names_programs(package), "{package}");
        }
        // The organisation's own name is none.
        for package in ["com.shell.orders", "io.cmd.relay", "org.acme.orders.server"] {
            assert!(!names_programs(package), "{package}");
        }
    }

    #[test]
    fn logging_configurations_named_for_an_engine() {
        assert_eq!(
            engine_logging_file("build/conf/spark-executor-log4j.xml"),
            Some("Spark")
        );
        assert_eq!(
            engine_logging_file("conf/flink_log4j.properties"),
            Some("Flink")
        );
        assert_eq!(engine_logging_file("conf/kylin-server-log4j.xml"), None);
        assert_eq!(engine_logging_file("conf/spark-defaults.conf"), None);
        assert_eq!(
            engine_logging_file("conf/spark-driver-log4j2.yaml"),
            Some("Spark")
        );
        assert_eq!(
            engine_logging_file("app/src/main/resources/hive-log4j2.properties"),
            None
        );
    }

    #[test]
    fn dev_support_is_a_folder_above_the_sources() {
        assert_eq!(
            developer_support_folder("dev-support/installer/install.conf"),
            Some("dev-support")
        );
        assert_eq!(
            developer_support_folder("web/dev-support/k8s/nfs.yaml"),
            Some("web/dev-support")
        );
        assert_eq!(
            developer_support_folder("src/main/resources/dev-support/a.yaml"),
            None
        );
        assert_eq!(developer_support_folder("dev-support.yaml"), None);
        assert_eq!(
            developer_support_folder("dev-tools/ansible/vars.yml"),
            Some("dev-tools")
        );
        assert_eq!(
            developer_support_folder("dev/local_dev_template/log4j2.xml"),
            Some("dev")
        );
        assert_eq!(developer_support_folder("server/dev/app.yml"), None);
    }

    #[test]
    fn a_condition_of_developer_profiles_only_is_a_developers() {
        for condition in ["dev", "development-opengauss", "dev | local", "local_h2"] {
            assert!(developer_condition(condition), "{condition}");
        }
        for condition in ["prod", "dev | prod", "!prod", "devops", "", "test"] {
            assert!(!developer_condition(condition), "{condition}");
        }
    }

    #[test]
    fn a_project_template_is_a_tree_of_its_own_below_resources() {
        assert_eq!(
            project_template_folder("core/src/main/resources/gen/web/src/main/resources/app.yml"),
            Some("core/src/main/resources")
        );
        assert_eq!(
            project_template_folder("core/src/main/resources/archetype-resources/pom.xml"),
            Some("core/src/main/resources")
        );
        assert_eq!(
            project_template_folder("core/src/main/resources/application.yml"),
            None
        );
        assert_eq!(
            project_template_folder(
                "archetype/src/main/resources/archetype-resources/crawler-conf.yaml"
            ),
            Some("archetype/src/main/resources")
        );
        assert_eq!(
            project_template_folder("core/src/main/resources/archetype.yaml"),
            None
        );
        assert_eq!(project_template_folder("core/pom.xml"), None);
    }

    #[test]
    fn an_example_package_is_named_so_below_the_project_and_not_for_its_module() {
        assert!(is_example_package(
            "org.apache.inlong.sdk.dataproxy.example",
            "dataproxy-sdk"
        ));
        assert!(is_example_package("com.acme.order.demos.web", "order-web"));
        for (package, module) in [
            ("com.example.demo", "demo"),
            ("com.acme.demo", "order"),
            ("com.acme.demo.web", "web"),
            ("com.acme.order.sample", "order"),
            ("com.acme.order.demo", "order-demo"),
            ("", ""),
        ] {
            assert!(!is_example_package(package, module), "{package}");
        }
    }

    #[test]
    fn a_ci_profile_is_named_after_the_files_first_part() {
        assert_eq!(
            ci_profile("tm/src/main/resources/application-travis.properties"),
            Some("travis")
        );
        assert_eq!(ci_profile("conf/order-ci.yml"), Some("ci"));
        assert_eq!(ci_profile("conf/ci-runner.yml"), None);
        assert_eq!(
            ci_folder("hugegraph-client/assembly/travis/conf/rest-server.properties"),
            Some("travis")
        );
        assert_eq!(ci_folder(".circleci/config/app.yml"), Some("circleci"));
        assert_eq!(ci_folder("conf/travis.yml"), None);
        assert_eq!(ci_folder("src/main/resources/cicd/app.yml"), None);
        assert_eq!(ci_profile("conf/application-circle.yml"), None);
    }

    #[test]
    fn a_code_generators_configuration_is_named_for_it_whole() {
        for path in [
            "src/main/resources/generator.properties",
            "dao/src/main/resources/generatorConfig.xml",
            "codegen/mybatis-generator-config.xml",
            "codegen.yml",
        ] {
            assert!(code_generator_file(path), "{path}");
        }
        for path in [
            "src/main/resources/id-generator.properties",
            "src/main/java/com/acme/generator/Config.java",
            "generator/application.yml",
        ] {
            assert!(!code_generator_file(path), "{path}");
        }
    }

    #[test]
    fn an_editors_notes_lie_in_its_own_folders() {
        assert_eq!(
            editor_notes_folder("web/static/ckeditor/plugins/eqneditor/lang/_notes/dwsync.xml"),
            Some("web/static/ckeditor/plugins/eqneditor/lang/_notes")
        );
        assert_eq!(
            editor_notes_folder("nbproject/project.properties"),
            Some("nbproject")
        );
        for path in [
            "src/main/resources/notes/app.xml",
            "_notes.xml",
            "conf/my_notes/a.yml",
        ] {
            assert_eq!(editor_notes_folder(path), None, "{path}");
        }
    }

    #[test]
    fn a_release_copy_is_named_for_its_version() {
        assert_eq!(
            release_copy_folder("web/assets/lib/fontawesome-free-5.11.2/metadata/icons.json"),
            Some("web/assets/lib/fontawesome-free-5.11.2")
        );
        assert_eq!(
            release_copy_folder("static/pdfjs-2.16.105-dist/build/pdf.worker.js"),
            Some("static/pdfjs-2.16.105-dist")
        );
        assert_eq!(release_copy_folder("order-v2/src/data.json"), None);
        assert_eq!(
            release_copy_folder("order-service/src/main/resources/data.json"),
            None
        );
        assert_eq!(release_copy_folder("log4j-1.2/x.json"), Some("log4j-1.2"));
    }

    #[test]
    fn the_maven_site_is_documentation() {
        assert_eq!(
            maven_site_folder("server/src/site/xdoc/Clustering.xml"),
            Some("server/src/site")
        );
        assert_eq!(maven_site_folder("src/site/site.xml"), Some("src/site"));
        assert_eq!(maven_site_folder("server/src/main/site/x.xml"), None);
        assert_eq!(maven_site_folder("website/src/siteconf.xml"), None);
        assert_eq!(
            maven_site_folder("xdocs/usermanual/curl.xml"),
            Some("xdocs")
        );
        assert_eq!(
            maven_site_folder("engine/xdocs/changes.xml"),
            Some("engine/xdocs")
        );
        assert_eq!(
            maven_site_folder("web/src/main/resources/xdocs/a.xml"),
            None
        );
    }

    #[test]
    fn a_resource_bundle_names_messages_or_lies_in_a_translations_folder() {
        for path in [
            "api/src/main/resources/messages_de.properties",
            "web/src/main/resources/ValidationMessages.properties",
            "web/src/main/resources/i18n/labels_zh_CN.properties",
            "web-vue/src/i18n/locales/en_us.json",
            "i18n/src/main/resources/openfire_i18n_fr.properties",
        ] {
            assert!(is_resource_bundle(path), "{path}");
        }
        for path in [
            "web/src/main/resources/application.properties",
            "web/src/main/resources/messaging.yml",
            "conf/mq_de.properties",
            "web/src/main/resources/messages.json",
            "lang/go.mod",
            "notify/src/main/resources/mq-message.properties",
            "notify/src/main/resources/message-center.properties",
            "i18n/src/main/resources/application.yml",
            "web/src/main/resources/i18n/application.yml",
            "web/src/main/resources/i18nx.properties",
        ] {
            assert!(!is_resource_bundle(path), "{path}");
        }
    }

    #[test]
    fn a_command_line_package_is_named_cli() {
        assert!(is_command_line_package(
            "org.apache.inlong.tubemq.server.tools.cli"
        ));
        assert!(is_command_line_package("com.acme.cli"));
        assert!(is_command_line_package(
            "org.apache.helix.tools.commandtools"
        ));
        assert!(is_command_line_package("org.apache.ranger.patch.cliutil"));
        for package in [
            "com.cli.order",
            "com.acme.client",
            "com.acme.order.command",
            "com.acme.order.commands",
            "com.acme.clients",
            "com.acme.cmd",
            "",
        ] {
            assert!(!is_command_line_package(package), "{package}");
        }
    }

    #[test]
    fn a_developer_profile_is_named_after_the_first_part_of_a_configuration_or_logging_file() {
        for (path, profile) in [
            ("src/main/resources/application-dev.yml", Some("dev")),
            ("conf/order_local.properties", Some("local")),
            ("src/main/resources/logback/logback-dev.xml", Some("dev")),
            ("src/main/resources/log4j2-local.xml", Some("local")),
            ("src/main/resources/logback-spring.xml", None),
            // Not a logging configuration: a Spring or Dubbo context.
            ("src/main/resources/dubbo-dev.xml", None),
            // Named for the profile alone.
            (
                "log-agent/src/main/resources/config/dev.properties",
                Some("dev"),
            ),
            ("src/main/resources/config/prod.properties", None),
            ("src/main/resources/dev.xml", None),
        ] {
            assert_eq!(developer_profile(path), profile, "{path}");
        }
    }

    #[test]
    fn a_developer_profile_names_the_resources_folder_a_maven_profile_copies() {
        for (path, profile) in [
            (
                "sa-admin/src/main/resources/dev/log4j2-spring.xml",
                Some("dev"),
            ),
            (
                "sa-admin/src/main/resources/dev/application.yaml",
                Some("dev"),
            ),
            ("sa-admin/src/main/resources/prod/application.yaml", None),
            (
                "sm-shop/src/main/resources/profiles/local/database.properties",
                Some("local"),
            ),
            (
                "sa-admin/src/main/resources/dev/mapper/OrderMapper.xml",
                None,
            ),
            ("src/main/resources/application-dev.yml", None),
        ] {
            assert_eq!(developer_profile_folder(path), profile, "{path}");
        }
    }

    #[test]
    fn gradle_build_logic_lies_in_a_build_src_folder() {
        for (path, folder) in [
            ("buildSrc/src/main/java/Tasks.java", Some("buildSrc")),
            (
                "src/backend/buildSrc/src/main/java/com/acme/Gen.java",
                Some("src/backend/buildSrc"),
            ),
            ("app/src/main/java/com/acme/mybuildSrc/Gen.java", None),
            (
                "app/src/main/java/com/acme/ci/buildSrc/SourceFetcher.java",
                None,
            ),
            ("app/src/main/java/buildSrc/src/Fetcher.java", None),
            ("app/src/main/java/com/acme/Build.java", None),
        ] {
            assert_eq!(build_logic_folder(path), folder, "{path}");
        }
    }

    #[test]
    fn a_class_named_for_the_console_or_for_debugging() {
        let class = |name: &str| {
            console_class(&format!("core/src/main/java/org/acme/{name}.java")).map(str::to_string)
        };
        assert_eq!(class("StdOutIndexer").as_deref(), Some("StdOutIndexer"));
        assert_eq!(class("StdoutWriter").as_deref(), Some("StdoutWriter"));
        assert_eq!(class("SystemOutSink").as_deref(), Some("SystemOutSink"));
        assert_eq!(
            class("DebugParseFilter").as_deref(),
            Some("DebugParseFilter")
        );
        assert_eq!(class("Debug").as_deref(), Some("Debug"));
        // A word of another name, or debugging not its first word.
        assert_eq!(class("StdOutputParser"), None);
        assert_eq!(class("OrderDebugger"), None);
        assert_eq!(class("ConsoleController"), None);
        assert_eq!(class("ConsoleService"), None);
        assert_eq!(class("ConsoleRequestHandler"), None);
        assert_eq!(class("ConsoleEventListener"), None);
        assert_eq!(
            class("ConsoleMonitorCallback").as_deref(),
            Some("ConsoleMonitorCallback")
        );
        assert_eq!(class("ConsoleLogger").as_deref(), Some("ConsoleLogger"));
        assert_eq!(console_class("conf/StdOut.properties"), None);
    }

    #[test]
    fn a_class_named_for_a_server() {
        for class in ["HopServer", "TikaServerCli", "IndexDaemon", "ServerMain"] {
            assert!(names_a_server(class), "{class}");
        }
        for class in ["ObserverTool", "AdminCli", "ServeCommand"] {
            assert!(!names_a_server(class), "{class}");
        }
    }

    #[test]
    fn an_api_description_by_its_name_and_its_version_line() {
        let spec = || Some("openapi: 3.0.3\ninfo:\n  title: Orders\n".to_string());
        let json = || Some("{\n  \"swagger\": \"2.0\",\n".to_string());
        let spring = || Some("spring:\n  datasource:\n".to_string());
        assert!(api_description_file(
            "api/src/main/resources/openapi.yaml",
            spec
        ));
        assert!(api_description_file("docs/swagger/orders.json", json));
        assert!(!api_description_file(
            "src/main/resources/application-swagger.yml",
            spring
        ));
        assert!(!api_description_file(
            "src/main/resources/orders.yaml",
            spec
        ));
        let settings = || Some("swagger:\n  enabled: true\n".to_string());
        assert!(!api_description_file(
            "src/main/resources/application-swagger.yml",
            settings
        ));
    }

    #[test]
    fn a_test_logging_configuration_outside_the_main_sources() {
        assert!(test_logging_file("leshan-core/logback-leshan-test.xml"));
        assert!(test_logging_file("config/log4j2-test.properties"));
        assert!(!test_logging_file(
            "core/src/main/resources/logback-test.xml"
        ));
        assert!(!test_logging_file("config/logback-prod.xml"));
    }

    #[test]
    fn a_logging_configuration_named_for_a_command_line_tool() {
        assert!(tool_logging_file(
            "server/apps/docker-configuration/logback-cli.xml"
        ));
        assert!(tool_logging_file("conf/log4j2-tools.properties"));
        assert!(!tool_logging_file("conf/logback-client.xml"));
        assert!(!tool_logging_file("conf/cli/application.yml"));
        assert!(!tool_logging_file(
            "app/src/main/resources/logback-tools.xml"
        ));
    }

    #[test]
    fn a_notebook_by_its_extension_or_its_folder_and_paragraphs() {
        let note = || Some("{\"paragraphs\": [{\"text\": \"%sql\"}]}".to_string());
        let config = || Some("{\"kind\": \"ConfigMap\"}".to_string());
        assert!(notebook_file("conf/zeppelin/metron/ip-report.json", note));
        assert!(!notebook_file(
            "k8s/zeppelin/interpreter-configmap.json",
            config
        ));
        assert!(notebook_file("notebooks/orders.ipynb", || None));
        assert!(notebook_file("reports/orders.zpln", || None));
        assert!(!notebook_file("conf/zeppelin/zeppelin-site.xml", note));
        assert!(!notebook_file("src/main/resources/orders.json", note));
    }

    #[test]
    fn mock_data_lies_in_a_mock_folder_below_src() {
        assert_eq!(
            mock_data_folder("demo/src/main/java/org/acme/mock/json/user.json"),
            Some("demo/src/main/java/org/acme/mock")
        );
        assert_eq!(
            mock_data_folder("src/main/resources/mocks/a.json"),
            Some("src/main/resources/mocks")
        );
        // A module named so is still a module; other files are not data.
        assert_eq!(
            mock_data_folder("mock/src/main/resources/upstreams.json"),
            None
        );
        assert_eq!(mock_data_folder("src/main/resources/mock/a.yml"), None);
        assert_eq!(mock_data_folder("mock/a.json"), None);
    }

    #[test]
    fn a_data_engines_configuration_folder() {
        assert_eq!(
            engine_configuration_folder("flinkconf/log4j2/info/log4j.properties"),
            Some(("Flink", "flinkconf"))
        );
        assert_eq!(
            engine_configuration_folder("deploy/spark-conf/log4j.properties"),
            Some(("Spark", "deploy/spark-conf"))
        );
        assert_eq!(engine_configuration_folder("conf/log4j.properties"), None);
        assert_eq!(
            engine_configuration_folder("distribution/conf/zookeeper/log4j.properties"),
            Some(("ZooKeeper", "distribution/conf/zookeeper"))
        );
        assert_eq!(
            engine_configuration_folder("conf/rocketmq/logback_broker.xml"),
            Some(("RocketMQ", "conf/rocketmq"))
        );
        // A client's settings in such a folder are the application's.
        assert_eq!(
            engine_configuration_folder("config/kafka/producer.properties"),
            None
        );
        // Only directly in a configuration folder.
        assert_eq!(
            engine_configuration_folder("src/main/resources/kafka/logback.xml"),
            None
        );
        assert_eq!(
            engine_configuration_folder("flink-connector/conf/x.yml"),
            None
        );
    }
}
