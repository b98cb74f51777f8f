//! `podready rules` and `podready explain`: the rule pack's documentation.

use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;
use podready_rules::{LoggingRoutes, RulePack};

use crate::check::load_pack;

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Also list the SDK table (minimum and target versions, and why).
    #[arg(long)]
    pub sdk: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Print the README's rule table (Markdown, generated from the pack).
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,
    /// Write each rule's documentation page into DIR (docs/rules), as
    /// `explain` prints it; pages of removed rules are deleted.
    #[arg(long, value_name = "DIR")]
    pub write_docs: Option<PathBuf>,
    /// A rules file layered over the built-in pack.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// The repository whose podready.toml applies.
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id, such as host/local-address.
    pub rule: String,
    /// A rules file layered over the built-in pack.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
}

pub fn rules(args: &RulesArgs) -> Result<ExitCode> {
    let pack = load_pack(&args.repo, &args.rules, true)?;
    if args.json {
        let value = serde_json::json!({
            "rules": pack.rules,
            "sdk": pack.sdk,
            "standard": pack.standard,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    if args.markdown {
        print!("{}", rules_markdown(&pack));
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(dir) = &args.write_docs {
        write_docs(&pack, dir)?;
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", rules_table(&pack, args.sdk));
    Ok(ExitCode::SUCCESS)
}

fn rules_table(pack: &RulePack, sdk: bool) -> String {
    let mut out = String::new();
    let width = pack.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &pack.rules {
        let state = if r.enabled { "" } else { " (disabled)" };
        let summary = r
            .doc
            .what
            .split(". ")
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {summary}{state}",
            r.id,
            r.severity.as_str()
        );
    }
    let s = &pack.standard;
    let _ = writeln!(
        out,
        "\nDeploy standard: HTTP port {}, deploy path {}, hooks {}.",
        s.http_port,
        s.deploy_path,
        s.hooks.join(", ")
    );
    if sdk {
        out.push_str("\nSDK table:\n");
        for e in &pack.sdk {
            let plan = match (&e.min_version, &e.target_version) {
                (Some(min), Some(target)) => format!("at least {min}, upgrade to {target}"),
                _ => format!(
                    "replace with {}",
                    e.replace_with
                        .iter()
                        .map(|r| match &r.version {
                            Some(version) => format!("{}:{}:{version}", r.group, r.artifact),
                            None => format!("{}:{} (its version)", r.group, r.artifact),
                        })
                        .collect::<Vec<_>>()
                        .join(" + ")
                ),
            };
            let _ = writeln!(out, "  {}:{}  {plan}\n      {}", e.group, e.artifact, e.why);
            if let Some(line) = family_line(e) {
                let _ = writeln!(out, "      {line}");
            }
        }
        if !pack.requires.is_empty() {
            out.push_str("\nChecked on the resolved classpath:\n");
            for r in &pack.requires {
                let _ = writeln!(
                    out,
                    "  {} {} needs {} {} (else pinned to {})\n      {}",
                    r.when, r.versions, r.needs, r.needs_versions, r.pin, r.why
                );
            }
        }
    }
    out
}

/// How an SDK's family and transitive versions are handled, in words.
fn family_line(e: &podready_rules::SdkEntry) -> Option<String> {
    e.min_version.as_ref()?;
    let transitive = match e.transitive {
        podready_rules::TransitivePolicy::Pin => "pinned in <dependencyManagement>",
        podready_rules::TransitivePolicy::Report => "reported with its path",
    };
    Some(if e.family.is_empty() {
        format!("An old version arriving transitively is {transitive}.")
    } else {
        format!(
            "Moves together with {}; an old version arriving transitively is {transitive}.",
            e.family.join(", ")
        )
    })
}

pub fn explain(args: &ExplainArgs) -> Result<ExitCode> {
    let pack = load_pack(&PathBuf::from("."), &args.rules, true)?;
    // `stdout` finds `logging/stdout` when the name is unique.
    let by_name: Vec<&podready_rules::Rule> = pack
        .rules
        .iter()
        .filter(|r| r.id.split_once('/').is_some_and(|(_, n)| n == args.rule))
        .collect();
    let found = pack
        .rule(&args.rule)
        .or_else(|| (by_name.len() == 1).then(|| by_name[0]));
    let Some(rule) = found else {
        let ids: Vec<&str> = pack.rules.iter().map(|r| r.id.as_str()).collect();
        bail!("no rule `{}`; the rules are: {}", args.rule, ids.join(", "));
    };
    print!("{}", rule_page(&pack, rule));
    Ok(ExitCode::SUCCESS)
}

/// A rule's documentation page: what `explain` prints and `rules
/// --write-docs` writes.
fn rule_page(pack: &RulePack, rule: &podready_rules::Rule) -> String {
    let d = &rule.doc;
    let mut out = format!(
        "# {} ({})\n\n## What it finds\n{}\n\n## Why it breaks in a container\n{}\n\n## What to do instead\n{}\n",
        rule.id, rule.severity, d.what, d.why, d.instead
    );
    if !d.example.trim().is_empty() {
        let _ = write!(out, "\n## Example\n```\n{}\n```\n", d.example.trim());
    }
    if rule.matchers.iter().any(|m| {
        matches!(
            m,
            podready_rules::Matcher::JavaCall(call) if call.through_helpers
        )
    }) {
        let _ = write!(
            out,
            "\n## Through the project's own code\nA method or field of the repository whose value comes from what this rule finds (directly or through other such methods, in any class or package) is reported where it is used, with the chain: `via AddressUtils.getHostIp() → NetworkInterface.getNetworkInterfaces()`. Where the value only goes into static members (a constant, a static helper's result) or what a private method returns (its class's calls are all its uses), the finding takes the worst level of their uses: info when nothing in the repository reads them, or when every use is info.\n"
        );
    }
    // Where the rule's findings are lowered, and the podready.toml field
    // that says otherwise.
    let bridged = bridged_routes(&pack.logging_routes);
    let outranked = outranking_bridges(&pack.logging_routes);
    let lowered = [
        (
            rule.only_logged,
            "only_logged",
            "error",
            "Only logged",
            "A value that only reaches a log call, an exception message or `toString()` (or an exception's constructor as a socket address, the local end it reports) breaks nothing in a pod; nor does one that only labels metrics (Micrometer's `Tag.of(\"host\", h)` and `Tags.of`/`and` (imported, also by a wildcard) — not read back on the call itself, `Tag.of(…).getValue()` —, a meter builder's `tag`/`tags`, a registry's `commonTags`, a Prometheus collector's `labels`), which tells this instance's figures apart as a log line's host does, and a method returning such a label is no source of the machine's address; nor does the machine's address standing in for a request's loopback client (`if (\"127.0.0.1\".equals(ip)) ip = InetAddress.getLocalHost()…`, or `StringUtils.equals(ip, \"127.0.0.1\")`, after `ip = request.getRemoteAddr()`, a forwarding header or a request's `getRemoteAddress()` — also through locals holding a step of that chain —, directly or through a local declared in that branch), which still names the caller; nor does the address a server of this process listens on (the host of a new `InetSocketAddress`, `URL` or `URI` handed straight to `bind`, `listen` or `open` on something other than a client socket, or a `ServerSocket`'s, or an interface set on a multicast socket, `setNetworkInterface(ni)`), which in a pod is the pod's own interface; nor does one only shown with the machine's description (a setter's only argument or a `put`'s value in a method that also reads the OS's name or architecture, the JVM's version or figures, OSHI's or JMX's `OperatingSystem`, set on a local the method neither returns, nor hands to a call, nor stores, or on a field set only where it is declared (and by its own plain setter, as Lombok's `@Data` writes one, when the class never calls it) that no code of its class hands to a call or stores; not on a parameter: a server-monitor page), which in a pod describes the pod; nor does one only joined with `+` or formatted (`String.format`, `\"%s-%s\".formatted(…)`) into a name for this process beside its id, the time or a random UUID (`ip + \"-\" + pid + \"-\" + System.currentTimeMillis()`, directly or through a local its method declares, with no `/`, `?` or `=` in the text that would make it a link): a pod's own address keeps that name unique, and a method returning it is no source of the machine's address; nor does one only hashed into a number (`host.hashCode() % MAX_WORKER_ID`, through arithmetic and `Math.abs`: a snowflake id's worker number), unless the number is compared (`ip.hashCode() % n == shard` picks by the address), also when a local `StringBuilder` joins the values before (`sb.append(ni.toString())`, then `sb.toString().hashCode()`); nor does one of which only a network interface's hardware address is read (`ni.getHardwareAddress()`, also of `NetworkInterface.getByInetAddress(host)`: a MAC, an id's machine bytes), which no other machine connects to, and a method returning such a MAC is no source of the machine's address. Tests of the value's own state (`isLoopback()`, `hasMoreElements()`), null checks, a test whether it is blank (`StringUtils.isNotBlank(host)`, `hasText`, `isEmpty`: its only argument), an array's `.length` and the logging context (`MDC.put`, the project's own `mdcPut`/`MDCput`) take nothing from it; a loop over the values (`for (NetworkInterface ni : all)`) goes where its variable goes; a comparison with something else (`equals(leader)`) may decide what the service does",
        ),
        (
            rule.command_line,
            "command_line",
            "warning",
            "Command-line code",
            "In a `main()` method (unless its class is a module's `<mainClass>` or it starts Spring Boot, Quarkus or Micronaut: then it starts the application, but for a `main()` writing a command line's usage text, a string starting `Usage:`, which takes a command line whatever context it makes; a `<mainClass>` whose `main()` ends with `System.exit(…)` is a command the build packs beside the service, as Helix' `helix-admin` beside its controller), in the `run(String[])` that `main()` hands its arguments to together with an instance of its own class (Hadoop's `ToolRunner.run(conf, new SegmentReader(), args)`, `new StoreCli().run(args)`) when it is a command, not a server started so — `main()` exits with what `run` returns (`System.exit(…)` of the call or of a local it was declared with, or in a catch around the call: Carbonio's `MimeDetect`, whose `run` throws the exit code), hands its class to a launcher that makes and runs it once (`run(DistcpMain.class, args)`, Oozie's launcher mains), the class extends or implements Hadoop's `Configured` or `Tool`, or it is named for a command-line interface —, in a method handed a command line a parser has read (a parameter of JCommander's `JCommander`, Commons CLI's `CommandLine`, picocli's `CommandLine` or `ParseResult`, JOpt Simple's `OptionSet` or argparse4j's `Namespace`) in a command's class — one with a `main()` of its own or one a launcher finds through a generated service list (`@AutoService`: Accumulo's `execute(JCommander cl, Opts opts)` behind `accumulo rfile-info`) or a framework's command (a subclass of Dropwizard's `Command`, `ConfiguredCommand` or `EnvironmentCommand`, the pack's `developer_tools.command_supertypes`, also through a class of the repository when both are named for a command and neither for a server or a service: Signal's `certificate` command; not a `ServerCommand`) —, in a method returning such a parsed command line (it parses the program's arguments: a nested options enum's `parse(parser, args)`; a parser's type through a wildcard import too), in a private method only that `main()`, that `run` or such a method reaches, in a nested type only they name (Carbonio's `ICalTimeZone.SelfTest`; not one with an annotation but Lombok's), in a method named for the usage text (`usage`, `printUsage`, `printUsageAndExit`, `printHelp`, `displayHelp`, `printDefaultHelp`: `usage` or `help` with only `print`, `show`, `display`, `default`, `and`, `exit`; not `reportHeapUsage`) of a class with such a `main()`, or of any class when its name has `print`, `show` or `display` (Paimon's action factories' `printHelp()`, which its launcher calls on `--help`), in a class named for a command-line interface (`DecryptCli`, `StateStoreDBCLI`, `EmbargoCLITool`; nested types included) with such a `main()` or a `run`, `execute` or `call` taking one array of strings (a dispatcher's `run(String[] args)`), unless a framework makes it (a `@RestController OrderCli` is a service's), in a method that, but for its declaration, only that `main()` names in the repository (tests aside) or only it and other classes' `main()` methods (Carbonio's `MimeParser.main` calling `MimeMessage.dumpParts`), in a command-line program no other file of the repository names (a class with a static `main()` that starts no framework — one that makes a Spring context and ends with `System.exit(…)` only borrows its beans —, no annotation but Lombok's, no supertype a framework scans for (a `Runnable` or a ZooKeeper `Watcher` is its own `main()`'s), not abstract, alone in its file but for nested types no framework runs; not in a module whose build makes an application other than a war or a jar whose manifest names its main class (`java -jar` starts that one only), nor in one podready.toml or a deploy spec names, nor in a Gradle build), in a class driving a code generator that writes source files (MyBatis Generator and its plugins, MyBatis-Plus' `AutoGenerator`/`FastAutoGenerator`, JFinal's model generators, Jboot's `codegen`, an annotation processor, which runs inside javac, a doclet, which runs inside javadoc: it runs on a developer's machine or in the build), or declared as one of them (a class of the generator's own package: a plugin in `org.mybatis.generator.plugins`, MyBatis-Plus' own `FastAutoGenerator`), in a class that only such code names (a generator's JDBC helper; alone in its file, no annotation, no supertype), in a class that only command-line programs name — a `main()` ending with `System.exit(…)`, a top-level class taking a command line beyond `main()` as above that no framework makes (a class annotated as a command, picocli's `@Command`, is its launcher's: Ozone's `ozone admin namespace` subcommands and the `NSSummaryCLIUtils` only they use), or a class with a `main()` in a package of command-line programs (after the organisation's two parts, one named `client`, `shell`, `cmd`, `command`, `commands`, `tool`, `tools` or `cline`, or a command-line interface's package as below: `org.apache.drill.yarn.client.DrillOnYarn`); not a pom's `<mainClass>`, nor a program another file than such programs and their helpers names (the service running it too, a class a framework makes, a Dockerfile, a Gradle build; a script, a launcher under `bin/` or a pom starting a program that takes a command line does not name it — one that merely exits when done may be the server its script starts —, unless a Dockerfile, a manifest or a Compose file runs that script, or a script they run does: then a pod runs it) — or classes only they name in turn (Atlas' `SchemaRegistryConnector`, which only the `KafkaBridge` import tool uses; tests, documentation, logging configurations and task scripts aside; not a class a framework may run unnamed: an annotation, a scanned supertype, nor one a program hands on by its class literal or extends), in the whole class of such a program of a package of command-line programs that remains one, in a program (a `main()` that starts no framework) that reads what a person types at the terminal (a `Scanner` or reader over `System.in`, `System.console()`): its prompts and answers, in a command of an interactive shell (a class using Karaf's or Felix Gogo's command API or Spring Shell's: what it prints is the answer on the operator's terminal), in a desktop window (a class extending a desktop toolkit's window — Swing's `JFrame` or `JDialog`, AWT's `Frame`, JavaFX's `Application`: the pack's `developer_tools.desktop_windows` —, with a `main()` of its own or one a service opens, as OpenTripPlanner's `GraphVisualizer` on `--visualize`: no pod has a display), in a class annotated as a command a person runs (picocli's `@Command`, the pack's `developer_tools.command_annotations`; not one named for a server or a daemon, which a command keeps running) or nested in one, in a module named as a command-line tool (`order-tools`, `*-cli`; not one an application holds as a library, with no program of its own packaged: eladmin's `eladmin-tools`), below a folder so named (`tez-tools/analyzers/job-analyzer`) or whose every main class is named for one (`ATSImportTool`, `…Cli`), in a Java package named `cli`, `cmdline` or `commandline`, or a command-line word joined to a tool's (`commandtools`, `cliutil`), after the organisation's two parts (`org.acme.broker.tools.cli`), or in a Java agent (its own jar's manifest names a `Premain-Class` or `Agent-Class`, it has no main class and no module depends on it: the JVM starts it before the application's logging), the console is the program's interface",
        ),
        (
            rule.command_program,
            "command_program",
            "warning",
            "Code only a command-line program runs",
            "In code only a command-line program runs — the command's own places beyond `main()` (the `run(String[])` its `main()` hands its arguments to, a method handed a parsed command line, its usage text, a class named for a command-line interface), a class only command-line programs use (or classes only they use in turn), the whole class of a program of a package of command-line programs that no service uses (`org.apache.drill.yarn.client`, `…tools`), a program no other file of the repository names or only an operator's task script starts (`migrate-…`, `import-…`: even where the build may start any main class of its module), a command-line interface's Java package, code driving a code generator, a program that reads the terminal — it concerns the program an operator runs, not the service (the lists are those of console output's command-line code); not a `main()` nor what only it reaches (a server's `main()` sets up its logging there too), nor a command of an interactive shell (Karaf's runs in the service's process), nor anything in a module named as a command-line tool (a release's scripts may start its programs as the service) or a Java agent (it runs in the application's process)",
        ),
        (
            rule.adapter,
            "adapter",
            "warning",
            "Adapter modules",
            "In a library module that leaves the logging backends this pack lists to the applications using it (`<scope>provided</scope>` or `<optional>true</optional>`, such as a log4j 2 adapter; or an executable jar or an assembly leaving them provided, which what runs or loads it brings), or in an engine's plugin (its jar registers a Flink table factory or a Spark data source in `META-INF/services/`, or carries an Elasticsearch or OpenSearch `plugin-descriptor.properties`: it runs in the engine's processes, under the engine's logging), or in a library's log4j configuration file (not Java) beside a logback one named alike (`nacos-log4j2.xml` and `nacos-logback.xml`, or `log4j2/log-conf.xml` and `logback/log-conf.xml`: the application taking it loads the file of its own backend), or in a plugin of a legacy logging API (a file whose class extends or implements one of the API's types — a JUL `Formatter`, a log4j `AppenderSkeleton`, a commons-logging `Log` — and that imports no `Logger`, `LogManager` or `LogFactory` of it: the API calls it where its configuration names it), or in a bean made only where the application has a class of that API (`@ConditionalOnClass(LoggerContext.class)`, Micronaut's `@Requires(classes = Configurator.class)`), the finding concerns only applications that choose that backend or API",
        ),
        (
            rule.logging_code,
            "logging_code",
            "warning",
            "The project's own logging code",
            "In a package that implements logging — it declares a class extending or implementing a logging framework's extension point (a `java.util.logging.Handler`, a logback appender or configurator, an SLF4J `Logger`; shaded copies too), its own `Logger` or `Log` interface or a class implementing it (MyBatis' `StdOutImpl implements Log`), a class of its own named `Logger` or `Log` declaring `info`, `warn` and `error` (GoCD's plugin API `Logger`, which prints when no logging service is set), or an appender or logger of its own (a class named `…Appender` extending or implementing a library's type named so too (log4j's `FileAppender`), or the project's own and declaring `append`, `doAppend` or `subAppend` — not an appender of rows, `addTuple` —, or one named `…Logger` extending a class named so too), or a facade's dialect (a class named `…Log` extending one named `Abstract…Log`, or `…LogFactory` extending a `…LogFactory`) — the console is the fallback of code that cannot log through itself",
        ),
        (
            rule.log_layout,
            "log_layout",
            "error",
            "Host lookups in the project's own logging code",
            "In a package that extends a logging framework — it declares a class extending or implementing one of the pack's logging extension points: a log4j 2 layout or pattern converter, a logback converter or property definer, an appender (frostmourne's CSV layout, whose field for the server's IP looks it up) —, what the lookup finds goes into log lines, to say which machine wrote them; in a pod that names the pod, and nothing connects to it. Not a package of the project's own loggers (a class named `…Logger` on a base named so), which may hold anything else",
        ),
        (
            rule.console_class,
            "console_class",
            "warning",
            "A class, method or branch named for the console or for debugging",
            "In a class whose name says it writes to the console (`StdOutIndexer`, `SysoutWriter`, `SystemOutSink`; its first word `Console` and its last one naming output or what receives it — `Logger`, `Reporter`, `Printer`, `Writer`, `Callback`, `Sink`, `Output` (not a `Listener` or a `Handler`, which a web console has too): Gravitino's `ConsoleMonitorCallback`, not a web console's `ConsoleController`) or is a debugging aid (`DebugParseFilter`, its name's first word `Debug`) that only a reference by its name runs (no annotation but Lombok's, no `main()`, no supertype a framework scans for, alone in its file: a `@RestController DebugController` is a service's): printing is what it is for, and a person picks it in a configuration (a topology, a filter chain) to watch what passes; and in a method named for debugging (a word of its name is `debug`: GraphHopper's `debugPrint()`, `printDebugInfo()`; not one a framework calls by its annotation, `@Scheduled`, `@EventListener`, `@…Mapping`, `@…Listener`), which a person calls while debugging; and in the branch of an `if` whose condition names debugging and negates nothing (Calcite's `if (CalciteSystemProperty.DEBUG.value())`, `if (debug)`), which a person turns on",
        ),
        (
            rule.outside_modules,
            "outside_modules",
            "warning",
            "Outside every module",
            "In a file whose nearest pom is an aggregator (a template under `script/`, a copy for manual mounts), no module's artifact ships it",
        ),
        (
            rule.developer_profile,
            "developer_profile",
            "warning",
            "Developer profiles",
            "In the configuration of a profile meant for a developer's machine — a `.properties`, `.yml`/`.yaml` or `.json` file whose name has `dev`, `development`, `local`, `debug` or `offline` (the test environment, 线下) after its first part or as its whole name (`application-dev.yml`, `order-local.properties`, `mall-admin-dev.yaml`, `config/dev.properties`) or a logging configuration named for such a profile (`logback-dev.xml`, `log4j2-local.xml`), or a configuration file of a CI build's profile (`application-travis.properties`: `ci`, `travis`, `jenkins`, `github`, `gitlab`, `circleci`) the repository does not activate outside a developer's run, a configuration file (not Java code) below a folder named for such a CI service (`assembly/travis/conf/`, `.circleci/`), or any file in a resources folder named for such a profile (`src/main/resources/dev/`, which a Maven profile's `<resources>` copies, or `src/main/resources/profiles/local/`) unless a pom activates that profile by default (a plain build ships it) and has no production profile (`online`, `prod`…: the release build's folder replaces it), or in a base file (`application.*`, `bootstrap.*`) a value whose key the configuration of every other profile sets again — `application-{profile}.*` beside it, and the files a configuration center serves the application, `{spring.application.name}-{profile}.*` anywhere in the repository — when one of those profiles is production's (`prod`, `prd`, `pro`, `production`, `online`, `live`, `release`), or a value of Spring Boot's YAML file (`application.yml`, `bootstrap-prod.yaml`) whose key the `.properties` file of the same name in the same folder sets again (Spring Boot takes the `.properties` file's value first), or a value of an application module's base file whose key a file of that name sets again that a Kubernetes manifest of the repository mounts into every serving container of the module (by the container's or the image's name) where Spring Boot reads it first — the working directory (the container's `workingDir`, else the last stage's `WORKDIR` of the module's own Dockerfile, else `/`) or its `config/`, or a location the container names exactly in `spring.config.additional-location` or `spring.config.location` (which replaces the working directory) — (a ConfigMap's `application.yml` at `/application.yml`), or an appender of a logback file that only `<springProfile>` sections use, each holding only with a developer's profile (`dev`, `local & !kubernetes`) or, when another section names production, with a profile that is not production's, an environment before it (`uat`, `staging`, `gray`…), the platform's (`k8s`, `docker`…) or `default` (`test`), and that the repository does not activate outside a developer's run, or a profile's file (`application-pg.yml`) beside a base file that activates other profiles literally (`spring.profiles.active: h2`; no placeholder, no developer's profile) when no deployment file of the repository activates a profile, nothing adds profiles out of sight (groups, includes, Java code) and the profile names neither production nor an environment (`test`, `sit`, `qa`, `uat`…): an alternative the application does not ship with — what it sets is not what a pod runs with",
        ),
        (
            rule.environment_default,
            "environment_default",
            "warning",
            "Defaults the deployment replaces",
            "In a placeholder's default (`${ZOOKEEPER_URL:localhost:2181}`) whose environment variable the repository's deployment files set to something other than an address — an env file's `NAME=value` (a tracked `.env` beside a Compose file too), a Compose file's environment, a manifest's `env` or a ConfigMap, a Dockerfile's `ENV`, a script's `export` — the default is not what a pod runs with; nor is a value of Spring Boot's own configuration file (`application*`, `bootstrap*`) whose key's environment variable (`SPRING_DATASOURCE_URL` for `spring.datasource.url`) the application's Kubernetes manifests set so (a manifest in its module, or any when the repository has one Spring application): Spring Boot takes the environment first; nor is a configuration value whose key a Dockerfile or a Kubernetes manifest sets as a system property on the command line to something other than an address (`-Dbroker.host=${BROKER_ADDR}`, as Kapua's images do) — one in the file's module or in an application holding it, or outside every module that builds something: the application reads it before its file",
        ),
        (
            rule.never_runs,
            "never_runs",
            "warning",
            "Code that never runs",
            "In a catch block whose exceptions are thrown only for a charset or an algorithm the JVM may lack (`UnsupportedEncodingException`, `NoSuchAlgorithmException`), around code that names one every JVM must support (`\"UTF-8\"`, `\"ISO-8859-1\"`, `\"MD5\"`, `\"SHA-256\"`…, as a literal or a string constant the file declares; a `Cipher` transformation such as `\"RSA/ECB/PKCS1Padding\"` or `\"AES/GCM/NoPadding\"` for `NoSuchPaddingException` too), in a catch of `Exception`, `Throwable` or `GeneralSecurityException` around nothing but such lookups (`md5 = MessageDigest.getInstance(\"MD5\");`) or reads of settings by a constant name (`System.getenv(KEY)`, `System.getProperty(\"k\")`, as they are, compared with a literal or parsed by `Boolean.parseBoolean`), in a catch of `CloneNotSupportedException` around `super.clone()` (no other call, no `throw`) in a class that implements `Cloneable` and extends no class, in a catch of `IllegalAccessException` around reads by reflection (`get…` of a field, `invoke` of a method) of a member a statement of an enclosing block opened before with `setAccessible(true)` (not undone there), with nothing else but calls on an object that declare no checked exception (`put`, `add`, `getName`, a logger's…; not a try with resources), in a catch of `IOException` around nothing but `close()`, `flush()` or `write(…)` of a local stream held in memory (`ByteArrayOutputStream`, `StringWriter`, their readers) or around a try with resources that only opens such streams and printers over them (`try (StringWriter sw = new StringWriter(); PrintWriter pw = new PrintWriter(sw))`) and calls nothing but them and methods no class declares an `IOException` for (`e.printStackTrace(pw)`), in a branch that `false` or a `static final boolean` field of the class set to `false` switches off (`if (false)`, `if (debug)`, `if (DEBUG && …)`), in a branch that a field named for tests opens (`…ForTest`, `…ForTests`, `…ForTesting`: `if (drainedForTest != null)`, `f`, `f.get()`, alone or in a conjunction) when it is a field of the class (no parameter or local of that name), not public, protected or final, declared with no value or `null`, `false`, `new AtomicBoolean()`, and no code of the file sets it (`f = …`; for `f.get()`, `f.set(…)` too: tests set it, as Tez's scheduler's), in a method or class marked `@TestOnly` (JetBrains' annotation or the project's own of that name: only tests call it), in private methods that only other such private methods call in line (a pair calling each other that nothing else calls; their names in no string of the file), at an import used only to declare private fields nothing else in the file names (a logger declared and never called), and, in the modules of an application the repository builds, in code nothing in the repository names — a class no other file names (alone in its file, not abstract, no nested type a framework may run — one with an annotation but Lombok's, a scanned supertype or a `main()` —, no annotation but Lombok's, no `main()`, no supertype a framework scans for: servlet initializers, MyBatis type handlers, Flyway's Java migrations; with another supertype, not a Spring Data `…Impl` fragment and its package named nowhere else; its imports with it), a class of another project's code kept in the repository (a package outside its module's group: `com.caucho` in a `com.alibaba` build), or of a module whose programs nothing starts (a library, a war: its `main()` is a developer's launcher), that only such code names in turn — Java types only a reference by name runs, which only other such types name, until no file names any of them (documentation such as `package.html` or generated Javadoc committed in a `javadoc/` or `apidocs/` folder (which names no class and calls no method), and a source file's name such as `Launcher.java` in a link, aside; followed six rounds, up to 64 types) or a private method that one other method of its class alone reaches (through private methods, in line; every use of their names in the file, comments aside, a declaration or such a call) when nothing calls that one, a static method that only other methods of its class call (bare, through `this` or the class, lambdas in them included; no call from a constructor, an initializer or a nested type) when nothing calls any of those, or a method whose name appears nowhere but its declaration (a private one's only in its own file: another file's `dump()` is another class's; in Java code, only a call, a method reference or a literal that is the name alone or calls it names it — reflection, an expression language —, not a variable or field of that name nor a message; a static one's nowhere in a Java file but through its class — `Net.ip`, `Net::ip` or a static import of `Net.*` — unless a file extends the class, configuration names it or it is a bean; private, static, a final class's, a plain `@Component`/`@Service`/`@Repository` method, or not an accessor in a plain class that is not final and that no file extends; an instance's accessor also by its property), tests, comments (a Java file's, and a `#` line of properties, YAML or a shell script, or an XML `<!-- -->`), package declarations and type imports aside, a Java file naming a class of the same simple name only when its module compiles against the class's (its classpath holds it) and, in another package, it imports the class or its package's types or writes it in full, an overload's declaration no call, nor a call of the name inside a method of that name (an overload handing on to another, a recursion), and pages, templates, Groovy, Kotlin, SQL and every file under `META-INF/` (not `META-INF/resources/`) included (a browser's scripts and styles — `.vue`, `.css`…, and `.js`, `.ts` outside an application's resources or in their web content, `static/`, `public/`, `webapp/` — call no Java method: they name classes only, and so do poms and logging configurations — `logback*.xml`, `log4j*.properties`…, whose `console` appender or `info` level calls nothing; a JSON string names a method as a Java literal does, whole or calling it, not in prose; elsewhere a segment of a dotted name — `org.acme.encrypt.Digest` — calls none), but the rows a SQL seed file inserts paused (a scheduler's job whose `status`, `job_status` or `state` is a value its column's comment calls paused, stopped or disabled, `'1'` under `状态（0正常 1暂停）`, or, where the comment does not name it, `PAUSE`, `STOPPED`, `DISABLED`…; not a table the file alters or updates) — the code never runs; shell scripts, launchers under `bin/` and Dockerfiles are searched too (they may start a class); a plain `@Component`/`@Service`/`@Repository` class counts as such a type in a package no component scan of the repository reaches (a `@SpringBootApplication`'s package or its `scanBasePackages`, a `@ComponentScan`'s, an XML `<context:component-scan>`'s; every package when none is found or one cannot be read) while nothing starts its module's programs; code Spring makes only under a property never runs either where no configuration of the repository sets the property as asked — a bean class or a `@Bean` method with `@ConditionalOnProperty` (no `matchIfMissing`), and a class only such `@Bean` methods make (`new KodoManager(…)`) and no other file names — unless the property may be set elsewhere: named in any other file in any spelling Spring accepts (a Dockerfile's `-D`, a script's `export`, a manifest's or Compose file's environment; documentation and the IDE metadata aside), a placeholder for its value, or a configuration center (Nacos, Spring Cloud Config, Apollo, `spring.config.import`); in the `main()` of a top-level class other code of the repository uses (a helper's try-out: joyqueue's `IpUtil.main()` beside the `getLocalIp()` the broker calls), when it starts no application, no file names the class in full (a script, a manifest, a build, a literal of Java code; documentation and Java imports aside), no code calls its `main()` or asks its class literal for its name or a method (`IpUtil.main(…)`, `IpUtil::main`, a static import of `IpUtil.*`, a call in its own file, `IpUtil.class.getName()` handed to a `ProcessBuilder`; not `IpUtil.class` handed to a JSON parser; the file's one top-level type) and, in a module whose build may start any of its main classes (Jib, Spring Boot's plugin, Gradle), another `main()` of the module starts the application — a class only its `main()` is for is a program a person may run, and stays one; and, for the logging rules, in a dialect of a logging facade whose service list among the main resources (`META-INF/services/…`) names its SLF4J dialect first (hutool's pattern: the packages beside `….slf4j`, `….jdk`, `….log4j2`, `….console`), which runs only where SLF4J is missing; and in a class `exec-maven-plugin` runs from the build (its `<mainClass>`: a step of a phase or a developer's `mvn exec:java`), unless a packaging plugin names it too or its `main()` starts the application",
        ),
        (
            rule.start_up,
            "start_up",
            "warning",
            "Start-up hooks",
            "In a Spring runner's `run` (a class implementing `ApplicationRunner` or `CommandLineRunner`, or the lambda a `@Bean` method returning one makes), in a listener of only `ApplicationReadyEvent`, `ApplicationStartedEvent`, `ContextRefreshedEvent` or `WebServerInitializedEvent` (`@EventListener`, `onApplicationEvent`), in a `ServletContextListener`'s `contextInitialized` (a war's start in a servlet container), and in a private method only such a hook of its class calls in line — not in a loop, not in what it schedules or hands on by method reference — the output is a notice printed when the application starts (a banner, its port), not the business's logs; so is a line of text (literal, or joined with `+` to values: the address it serves on) that a `main()` starting the application prints in a statement of its own after the call that runs it (a batch job whose runner is the work itself should set this level back); so is a print that a later statement of its block follows with `System.exit(…)`: the process's last words, which the pod's previous log keeps; and so is one under an `if` on a flag named for a banner (`if (banner)`, `if (props.isEnableBanner())`), not in a loop or a lambda: a library's logo, printed once as it starts, that a setting switches off",
        ),
        (
            rule.also_logged,
            "also_logged",
            "warning",
            "Repeated in the logs",
            "In a catch block (or a method given the exception, an `@ExceptionHandler`), beside a statement of the same block, or after a statement of a block around it up to the catch's or the method's, that logs the caught exception at info level or above through a logger (`LOG.error(\"failed\", e)`, `log.info(\"handler failed\", e)`; a receiver named `log`, `logger`, `…Log`, `…Logger`, `…_LOG`), a `printStackTrace()` of that exception when the logger is given the exception itself (so its trace; also as the last element of an argument array that is its last argument, `new Object[]{key, e}`, which SLF4J records as the throwable; given alone, `log.warn(e)`, only where the file uses log4j 2's `Logger` — log4j 1 and commons-logging record just its `toString()`), or a `System.out`/`System.err` print of that exception and literals only (`System.err.println(e.getMessage())`); a `printStackTrace()` of the caught exception that the next statement follows by throwing it again or a new exception given it as its cause (`throw e;`, `throw new IOException(\"read failed\", e);`, or a conditional whose branches both do: `throw e instanceof PayException ? (PayException) e : new PayException(e.getMessage(), e);`), out of the method (the print a statement of a block; not from a lambda other than one a call runs in line — `forEach`, `map`, `computeIfAbsent`, `ifPresent`… —, nor from an anonymous class's method, nor into a `try` of the method whose body holds the throw and that has a `catch`, nor through a `finally` that may leave): the trace goes up with it to the code that handles it; a print of a message that the next statement throws as a new exception's message (`System.out.println(sb); throw new IllegalStateException(sb.toString());`), which goes up with it; and a print of one message that the statement just before or after (other console prints between them, a blank line, aside), or the statement beside the `if` whose branch holds nothing but the print, logs at info level or above with the same text — the same literal or variable, or the same literals with `{}` for the same values in the same order (`System.out.println(\"Bundle \" + id + \" is invalid\"); LOGGER.warn(\"Bundle {} is invalid\", id);`; a value is a variable, a field or a getter's call, `file.getPath()`; a terminal's style, `SimpleAnsi.INTENSITY_BOLD`, adds nothing) — not a branch of an `if` whose condition asks the logger whether it records (`if (!LOG.isInfoEnabled())`), nor the other branch of the `if` holding the log: the logs already hold it, and the console line loses nothing in a pod; and a print to `System.err` (a stack trace too) or `System.out` after the method's nearest statement before it that sets the stream, `System.setErr(…)`/`System.setOut(…)`, set it to a `PrintStream` over a `ByteArrayOutputStream` (Zeppelin's Java REPL collecting compiler errors), with no statement between holding a setter (a restore in a `finally`) and no loop around the print setting it: the text is captured in memory, not written out; and console output in a catch whose try block does nothing but log — each statement a logger's call (any level), an `if` whose branches are nothing else, or a local holding the message (strings, the exception's own methods, a class named for logging: Ctrip DAL's `LoggerHelper.getExceptionStack`) —: it runs only when logging itself fails, and the console is where that can be told; and `System.out.println()` (or `System.err`'s) with no argument: an empty line holds no record",
        ),
        (
            rule.beside_file,
            "beside_file",
            "error",
            "Copied to a file",
            "A console appender that every logger and appender using it uses beside a file appender of the same file (an `<appender-ref>` to a `FileAppender` or `RollingFileAppender` — with no `<filter>` keeping some events only, not writing to `/dev/` —, or to an appender that hands its events to one, next to the console's: `<root>` with `CONSOLE` and `FILE`, or with `CONSOLE` and an `AsyncAppender` holding `FILE`, which takes its first `<appender-ref>` only; a `<logger>` without `additivity=\"false\"` also passes its events to the root's appenders, when the file has one root outside `<springProfile>` sections; a reference or a file appender under a `<springProfile>` or an `<if>` counts not): every event it prints is also written to a file, so the console copy loses nothing in a pod",
        ),
        (
            rule.bridged,
            "bridged",
            "warning",
            "Routed to logback",
            bridged.as_str(),
        ),
        (
            rule.outranked,
            "outranked",
            "error",
            "Outranked by a bridge",
            outranked.as_str(),
        ),
        (
            rule.unstarted_script,
            "unstarted_script",
            "warning",
            "Scripts no pod runs",
            "In a shell script that no pod's definition runs — no Dockerfile's `CMD` or `ENTRYPOINT`, Kubernetes manifest or Compose file names it, nor a script they name —: a VM's start script, which the platform's deploy spec replaces; it breaks nothing in a pod until an image runs it",
        ),
        (
            rule.kubernetes_code,
            "kubernetes_code",
            "error",
            "Code written for Kubernetes",
            "In a Java file written for Kubernetes — it imports a Kubernetes API client (`io.kubernetes.client`, `io.fabric8.kubernetes`) or names a variable only a pod has (`POD_NAME`, `POD_NAMESPACE`, `KUBERNETES_SERVICE_HOST`) — the host name is the pod's own name, which that code means (Apollo's client finding its own pod through the API, Dubbo's Kubernetes registry)",
        ),
        (
            rule.unpackaged,
            "unpackaged",
            "error",
            "Packaged by no build",
            "A dependency no build of the repository packages: `provided` (the runtime is to bring it) where no Spring Boot jar is made of its module, of one inheriting its dependencies or of one declaring it too (whose repackaging takes its own `provided` dependencies too; a library's beside it, as Druid's core beside its Spring Boot `druid-admin`, are not passed on), or declared only in a Maven profile that nothing activates — not `activeByDefault`, no `<activation>` condition (`<jdk>`, `<property>`, `<os>`, `<file>`), not named for production (`prod`, `online`…), and not passed as `-P` (glued or after a space, in a comma-separated list; `!id` switches one off) by a script, a Dockerfile, a Makefile, a Jenkinsfile or a CI file (`.gitlab-ci.yml`, `.travis.yml`, `azure-pipelines.yml`, `.github/workflows/`) of the repository",
        ),
    ];
    for (level, field, other, title, why) in lowered {
        if let Some(level) = level {
            let _ = write!(
                out,
                "\n## {title}\n{why}: reported at {level}, not {}. Change it in podready.toml with `[rules.\"{}\"] {field} = \"{other}\"`.\n",
                rule.severity, rule.id
            );
        }
    }
    if rule.category() == "sdk" {
        out.push_str("\n## SDK table\n");
        for e in &pack.sdk {
            if let (Some(min), Some(target)) = (&e.min_version, &e.target_version) {
                let _ = writeln!(
                    out,
                    "- {}:{}: at least {min}, upgrade to {target}. {}{}",
                    e.group,
                    e.artifact,
                    e.why,
                    family_line(e).map(|l| format!(" {l}")).unwrap_or_default()
                );
            }
        }
    }
    out
}

/// When a logging backend writes nothing, in words, from the pack's
/// `[logging_routes]`.
fn outranking_bridges(routes: &LoggingRoutes) -> String {
    let each: Vec<String> = routes
        .bridges
        .iter()
        .filter(|b| !b.outranks.is_empty())
        .map(|b| {
            format!(
                "{} beside {}, for `{}`",
                b.artifacts.join(" or "),
                b.outranks.join(" or "),
                b.api
            )
        })
        .collect();
    format!(
        "Where the backend is an API's own implementation that a bridge of that API outranks ({}: the API takes the provider of highest priority), and every application running the pom's module has that bridge (or a Spring Boot logging starter carrying it) with logback and no other SLF4J backend on its classpath, the API's logs never reach the backend: it is a leftover to remove, not where the logs go",
        each.join("; ")
    )
}

/// When a legacy logging API's logs reach logback, in words, from the
/// pack's `[logging_routes]`.
fn bridged_routes(routes: &LoggingRoutes) -> String {
    let listed = |items: &[String], separator: &str| {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let each: Vec<String> = routes
        .bridges
        .iter()
        .map(|b| {
            let mut ways = Vec::new();
            if let (Some(first), Some(last)) = (b.spring_boot.first(), b.spring_boot.last()) {
                let contiguous = b.spring_boot.windows(2).all(|w| w[1] == w[0] + 1);
                let majors = if first == last {
                    format!("{first}")
                } else if contiguous {
                    format!("{first} to {last}")
                } else {
                    let each: Vec<String> = b.spring_boot.iter().map(u32::to_string).collect();
                    each.join(", ")
                };
                let started = if b.needs_spring_application {
                    ", once `SpringApplication` starts the application"
                } else {
                    ""
                };
                ways.push(format!("Spring Boot {majors}'s logging starter{started}"));
            }
            if !b.artifacts.is_empty() {
                ways.push(format!("{} with logback", listed(&b.artifacts, " or ")));
            }
            let mut route = format!("`{}`: {}", b.api, ways.join(" or "));
            if !b.conflicts.is_empty() {
                let _ = write!(route, ", without {}", listed(&b.conflicts, " or "));
            }
            if !b.outranks.is_empty() {
                let _ = write!(
                    route,
                    ", beside {} too, which the bridge outranks",
                    listed(&b.outranks, " or ")
                );
            }
            route
        })
        .collect();
    format!(
        "Where every application running the file's module (a deployed module's build, deploy.yaml or podready.toml, with the repository's modules it depends on) has on its classpath what routes the API to SLF4J and logback ({}; Spring Boot's logging starter comes with every Spring Boot starter unless excluded, its major version read from a Boot dependency, `spring-boot-starter-parent` or an imported `spring-boot-dependencies`, or the major version of Spring Cloud's `spring-cloud-build` parent), and no other backend ({}) in any profile, as its poms declare them, its logs already reach logback; so do JUL's records in a bridge of the project's own: logging code importing `java.util.logging.Handler` that logs through SLF4J (Qpid's `Slf4jLoggingHandler` for Berkeley DB's logs), and a file's JUL `Logger`s when every one it declares comes from a static method of a class of the repository whose file declares a method returning JUL's `Logger` and names SLF4J (Apache CXF's `LogUtils.getL7dLogger(…)`, which hands out its `Slf4jLogger` once SLF4J has a binding), and JUL's `LogManager` and `Handler` in a file installing SLF4J's bridge for JUL (it imports `SLF4JBridgeHandler`: they clear JUL's own handlers for it); and in a library no application of the repository runs, commons-logging reaches the logging of the application taking it through `spring-jcl`, which a Spring dependency from Spring 5 (Spring Boot 2) on brings — a `provided` one too, since the library's code needs it, not an optional one —, unless the library has the commons-logging jar, another backend, or excludes the bridge",
        each.join("; "),
        listed(&routes.other_backends, ", ")
    )
}

/// The rule table the README carries between its markers: each rule's
/// summary, linked to its page under `docs/rules/`.
fn rules_markdown(pack: &RulePack) -> String {
    let mut out = String::from("| id | finds |\n| --- | --- |\n");
    for r in &pack.rules {
        let _ = writeln!(
            out,
            "| [`{}`](docs/rules/{}.md) | {} |",
            r.id, r.id, r.doc.summary
        );
    }
    out
}

/// Writes every rule's page as `<dir>/<category>/<name>.md`, and removes
/// pages of rules that no longer exist.
fn write_docs(pack: &RulePack, dir: &std::path::Path) -> Result<()> {
    if dir.is_dir() {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    for r in &pack.rules {
        let page = dir.join(format!("{}.md", r.id));
        if let Some(parent) = page.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        podready_rewriter::write_atomic(&page, rule_page(pack, r).as_bytes())?;
    }
    Ok(())
}
