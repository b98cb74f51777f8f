//! The serialised shape of each matcher kind: what a rule file may write
//! under `[[matcher]]`. Each kind is compiled, and so validated, by its own
//! module in the analyzer (`analyzer/src/matchers/<kind>.rs`); here is only
//! what serde can check.

use serde::{Deserialize, Serialize};

/// How a rule finds its problems. Rules combine the kinds with data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Matcher {
    JavaCall(JavaCall),
    JavaFieldArgument(JavaFieldArgument),
    JavaImport(JavaImport),
    JavaString(JavaString),
    IpLiteral(IpLiteral),
    FileName(FileName),
    XmlRoot(XmlRoot),
    PropertiesKey(PropertiesKey),
    PomDependency(PomDependency),
    LogbackAppender(LogbackAppender),
    ListenPort(ListenPort),
    LoopbackService(LoopbackService),
    ConfigValue(ConfigValue),
    SdkVersion(SdkVersion),
    SdkUnresolved(SdkUnresolved),
    UnanalysedFile(UnanalysedFile),
    BackgroundStart(BackgroundStart),
}

impl Matcher {
    pub fn kind(&self) -> &'static str {
        match self {
            Matcher::JavaCall(_) => "java-call",
            Matcher::JavaFieldArgument(_) => "java-field-argument",
            Matcher::JavaImport(_) => "java-import",
            Matcher::JavaString(_) => "java-string",
            Matcher::IpLiteral(_) => "ip-literal",
            Matcher::FileName(_) => "file-name",
            Matcher::XmlRoot(_) => "xml-root",
            Matcher::PropertiesKey(_) => "properties-key",
            Matcher::PomDependency(_) => "pom-dependency",
            Matcher::LogbackAppender(_) => "logback-appender",
            Matcher::ListenPort(_) => "listen-port",
            Matcher::LoopbackService(_) => "loopback-service",
            Matcher::ConfigValue(_) => "config-value",
            Matcher::SdkVersion(_) => "sdk-version",
            Matcher::SdkUnresolved(_) => "sdk-unresolved",
            Matcher::UnanalysedFile(_) => "unanalysed-file",
            Matcher::BackgroundStart(_) => "background-start",
        }
    }
}

/// A Java method call or object creation, resolved through imports and
/// declared types. A target is `pkg.Type.method`, `pkg.Type.field.method`
/// (a call on a static field such as `java.lang.System.out.println`),
/// `*.method` (any receiver) or `new pkg.Type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaCall {
    pub targets: Vec<String>,
    /// Only calls with at most this many arguments.
    #[serde(default)]
    pub max_args: Option<usize>,
    /// The first argument must be a string literal matching this regex.
    #[serde(default)]
    pub first_arg_text: Option<String>,
    /// A call whose first argument is a string literal matching this
    /// regex is left out (`print("")` writes nothing).
    #[serde(default)]
    pub except_first_arg_text: Option<String>,
    /// A call made in a method of one of these names is left out (in an
    /// override of `printStackTrace()`, the call hands on to the one it
    /// overrides: whoever calls the override is the finding).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except_inside: Vec<String>,
    /// The first argument must resolve to one of these (types or static
    /// fields, e.g. `java.lang.System.err`).
    #[serde(default)]
    pub first_arg_is: Vec<String>,
    /// Methods which, called later on a variable that holds the result of
    /// a matched call, are reported too (`local.getHostName()`).
    #[serde(default)]
    pub derived: Vec<String>,
    /// A derived call is reported only when its first argument is a
    /// string literal matching this regex (`env.get("HOSTNAME")`).
    #[serde(default)]
    pub derived_first_arg_text: Option<String>,
    /// Whether the matched call itself is a finding, or only the derived
    /// calls on its result (`System.getenv()` alone reads nothing).
    #[serde(default)]
    pub report: CallReport,
    /// Follow the result through the project's own code: a method or
    /// field of the repository whose value derives from a matched call
    /// becomes a source itself, reported where it is used.
    #[serde(default)]
    pub through_helpers: bool,
    /// The first argument is the port a server listens on: the call is a
    /// finding only when it is written as a number other than the
    /// standard HTTP port (`new Server(9090)`), directly or as the port
    /// of a `new InetSocketAddress(…)`. A port read from configuration or
    /// computed is not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub port_arg: bool,
}

/// What of a matched call is a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallReport {
    /// The call, and the derived calls on its result.
    #[default]
    Call,
    /// Only the derived calls on its result.
    Derived,
}

/// Static fields passed as an argument to any call or constructor
/// (`props.list(System.out)`), or stored and used later — except to the
/// methods `except_calls` names (`pkg.Type.method`), which take the field
/// without writing to it (`System.setOut(originalOut)` puts the stream
/// back).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaFieldArgument {
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except_calls: Vec<String>,
}

/// Whether a fully qualified name (`org.apache.log4j.Logger`), or a
/// package, is `package` or lies in it (not in `org.apache.log4jx`).
pub fn in_package(name: &str, package: &str) -> bool {
    name.strip_prefix(package)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// Imports from, or fully qualified uses of, these packages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaImport {
    pub packages: Vec<String>,
    /// Packages under those that are left out (a logging library's string
    /// utilities, which log nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
}

/// Java string literals equal to one of these values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaString {
    pub values: Vec<String>,
}

/// IP address literals in Java string literals and config values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpLiteral {}

/// Files whose name matches one of these globs (case-insensitive), and
/// none of `except` (`*.java`: `AfterStartUp.java` is no hook script).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileName {
    pub globs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
}

/// `.properties` files setting a key that starts with one of these,
/// whatever the file is called (a renamed `log4j.properties`: Oozie's
/// `oozie-log4j.properties`). Reported once a file, at the first such key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertiesKey {
    pub prefixes: Vec<String>,
}

/// XML files (other than poms) whose root element is one of these,
/// whatever the file is called.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XmlRoot {
    pub roots: Vec<RootElement>,
}

/// A root element an `xml-root` matcher looks for: its name, and the name
/// of a direct child it must have when `child` is set. Names are compared
/// ignoring ASCII case, as log4j 2 reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootElement {
    /// With its prefix, as written (`log4j:configuration`).
    pub element: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<String>,
}

impl RootElement {
    /// Whether an element named `name` matches this root's element.
    pub fn is_element(&self, name: &str) -> bool {
        self.element.eq_ignore_ascii_case(name)
    }

    /// Whether a direct child named `name` is the one this root needs.
    pub fn is_child(&self, name: &str) -> bool {
        self.child
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(name))
    }
}

/// Dependencies `groupId:artifactId` declared in a pom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PomDependency {
    pub artifacts: Vec<String>,
}

/// Logback appenders of these classes, or of the repository's own
/// subclasses of them, that a logger uses, and appenders whose `<file>`
/// contains one of these texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogbackAppender {
    pub classes: Vec<String>,
    #[serde(default)]
    pub file_contains: Vec<String>,
    /// Spring Boot applications that run the configuration Spring Boot
    /// builds when they give none (no logback file on the classpath, no
    /// `logging.config`, no log file set): it writes to the console only.
    #[serde(default)]
    pub spring_boot_default: bool,
}

/// Config keys that set the HTTP listen port, and Tomcat HTTP connectors,
/// whose value differs from the standard port.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenPort {
    pub keys: Vec<String>,
    /// Servers of products a repository may run itself, on the port their
    /// clients look for them at.
    #[serde(default)]
    pub products: Vec<ProductPort>,
}

/// A product's server whose clients find it on a port of its own (Nacos
/// on 8848): in a file that configures that server, known by keys under
/// one of `server_keys` (the server's own, not its clients'), its port is
/// the standard one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductPort {
    pub product: String,
    pub port: u16,
    pub server_keys: Vec<String>,
}

/// Configuration values that point a service the application connects to
/// at this machine (`jdbc:mysql://localhost:3306/…`, `redis.host=127.0.0.1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoopbackService {
    /// Whole keys about the application itself (`server.address`, where
    /// it listens), in any of Spring's relaxed spellings
    /// (`eureka.instance.ipAddress` for `eureka.instance.ip-address`): not
    /// reported.
    #[serde(default)]
    pub ignore_keys: Vec<String>,
    /// Words of a key that make it about the application itself or a
    /// list of permissions, not a service it connects to (`bind`,
    /// `listen`, `allowed`): such keys are not reported.
    pub ignore_key_words: Vec<String>,
    /// Words of a key that say the application hands the address to
    /// others (`service.discovery.address`, `advertised.listeners`):
    /// `localhost` at its own port is reported there too.
    #[serde(default)]
    pub advertised_key_words: Vec<String>,
}

/// Configuration settings whose value is one of `values`
/// (`mybatis.configuration.log-impl` set to MyBatis' `StdOutImpl`). Keys
/// are compared as Spring binds them: ignoring ASCII case, `-` and `_`
/// (`logImpl`, `log-impl`, `log_impl`); an XML element's `name`/`value`
/// pair is the key `element.name` (`<setting name="logImpl"
/// value="STDOUT_LOGGING"/>` is `setting.logImpl`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigValue {
    pub keys: Vec<String>,
    pub values: Vec<String>,
}

/// Dependencies older than the SDK table's container-ready minimum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkVersion {}

/// Shell scripts (`*.sh`, `*.bash`, a launcher without extension under
/// `bin/`) that start one of these programs in the background: `nohup`
/// before it or a lone `&` ending its command (`nohup java -jar app.jar >
/// app.log 2>&1 &`), as a VM's start script does. A program is a command's
/// name as written (`java`), also run through a variable or a path
/// (`$JAVA`, `${JAVA_HOME}/bin/java`, `"$JAVACMD"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackgroundStart {
    pub programs: Vec<String>,
}

/// SDK dependencies whose version cannot be resolved in the repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkUnresolved {}

/// Files the analyzer could not read (over the size cap, unreadable, not
/// text, a pom that does not parse), so that the gate cannot pass on them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnanalysedFile {}
