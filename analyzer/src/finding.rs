//! What the analyzer reports.

use podready_rules::Severity;
use serde::{Deserialize, Serialize};

/// One problem at one place. `path` is relative to the scanned root with `/`
/// separators; `line` and `column` are 1-based (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    pub remediation: String,
    /// The source line the finding is on, as written.
    pub snippet: String,
    /// For a value that came through the project's own methods or fields:
    /// those members, then the call that produced it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// For a value read from the project's members or going into them:
    /// which, so that its level can follow their uses.
    #[serde(skip)]
    pub(crate) members: MemberFlow,
    /// In a command-line entry point: its level is the rule's
    /// `command_line` one unless the class starts a module's application.
    #[serde(skip)]
    pub(crate) command_line: Option<CommandLine>,
    /// In code that never runs (its level is the rule's `never_runs`
    /// one): why.
    #[serde(skip)]
    pub(crate) never_runs: Option<String>,
    /// In code that runs once, when the application starts (its level is
    /// the rule's `start_up` one): where.
    #[serde(skip)]
    pub(crate) start_up: Option<String>,
    /// Console output a logger beside it records too (its level is the
    /// rule's `also_logged` one): which logger call.
    #[serde(skip)]
    pub(crate) also_logged: Option<String>,
    /// Console output that is debugging output, in a method named for
    /// debugging or a branch debugging turns on (its level is the rule's
    /// `console_class` one): why.
    #[serde(skip)]
    pub(crate) debugging: Option<String>,
    /// Logback configuration used only in `<springProfile>` sections
    /// (its level follows the profiles pods run with).
    #[serde(skip)]
    pub(crate) profile_sections: Option<ProfileSections>,
    /// The code it sits in, when only a reference by name runs it.
    #[serde(skip)]
    pub(crate) owner: Option<CodeOwner>,
    /// What the rule's matcher saw (`{detail}` in its message): for an
    /// import, the name imported, by which a logging bridge is chosen.
    #[serde(skip)]
    pub(crate) detail: String,
}

/// The `<springProfile>` sections of a logback file that all the uses of
/// an appender lie in (their `name` expressions), and every section of
/// the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProfileSections {
    pub used_in: Vec<String>,
    pub in_file: Vec<String>,
}

/// Where in a command-line entry point a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum CommandLine {
    /// In `static void main(String[])` of a top-level class.
    Main,
    /// In `static void main(String[])` of a nested class.
    NestedMain,
    /// In a private method only a command-line entry point reaches.
    OnlyEntriesReach,
    /// In a nested type only `main()` and the methods only it reaches
    /// name.
    OnlyEntriesUse,
    /// In the `run(String[])` its class's `main()` hands its arguments to.
    HandedRun,
    /// In the usage text of a class taking a command line (`usage()`).
    Usage,
    /// In a method handed a parsed command line (`execute(JCommander cl,
    /// Opts opts)`).
    HandedParse,
    /// In a method returning a parsed command line: it parses the
    /// program's arguments.
    Parser,
    /// In a class named for a command-line interface that takes a command
    /// line (`DecryptCli`).
    NamedCli,
    /// In a class an annotation declares a command (picocli's `@Command`),
    /// or a class nested in one.
    DeclaredCommand,
    /// In a window of a desktop toolkit (a Swing `JFrame`).
    DesktopWindow,
    /// In a file that uses a code generator's API.
    CodeGenerator,
    /// In a file that uses an interactive shell's command API.
    ShellCommand,
    /// In a program (a `main()`) that reads what a person types at the
    /// terminal.
    ReadsTerminal,
}

impl CommandLine {
    /// What the finding's message says about it: of console output
    /// (`console`), what it prints; else where the code runs.
    pub fn shown(self, console: bool) -> String {
        let (place, printed) = match self {
            CommandLine::Main | CommandLine::NestedMain => {
                ("in main(), a command-line entry point", None)
            }
            CommandLine::OnlyEntriesReach => (
                "in a private method only a command-line entry point (main(), the run(String[]) main() hands its arguments to, or a method handed a parsed command line) reaches",
                None,
            ),
            CommandLine::OnlyEntriesUse => (
                "in a nested type only main(), a command-line entry point, and the methods only it reaches use",
                None,
            ),
            CommandLine::HandedRun => (
                "in run(String[]), which main() hands its command-line arguments to",
                Some("what it prints is the command's answer on a terminal"),
            ),
            CommandLine::HandedParse => (
                "in a method handed a parsed command line (JCommander's, Commons CLI's, picocli's…) in a command's class",
                Some("what it prints is the command's answer on a terminal"),
            ),
            CommandLine::Parser => (
                "in a method that parses the program's command line (it returns JCommander's, Commons CLI's, picocli's… parsed command line)",
                Some("what it prints answers whoever started the program"),
            ),
            CommandLine::Usage => (
                "in a command line's usage text (a method named for printing it)",
                Some("which a person reads at the terminal"),
            ),
            CommandLine::NamedCli => (
                "in a class named for a command-line interface, which takes a command line",
                Some("what it prints is the command's answer on a terminal"),
            ),
            CommandLine::DeclaredCommand => (
                "in a command a person runs (a class annotated as one: picocli's `@Command`)",
                Some("what it prints is the command's answer on a terminal"),
            ),
            CommandLine::DesktopWindow => (
                "in a window of a desktop toolkit (such as a Swing `JFrame`), which opens on a person's desktop",
                Some("what it prints goes to their console; no pod has a display"),
            ),
            CommandLine::CodeGenerator => (
                "in code that drives a code generator, which a developer or the build runs to write sources or documentation",
                None,
            ),
            CommandLine::ReadsTerminal => (
                "in a program that reads what a person types at the terminal",
                Some("what it prints is its conversation with them"),
            ),
            CommandLine::ShellCommand => (
                "in a command of an interactive shell (Karaf's, Spring Shell's)",
                Some("what it prints is the answer on the operator's terminal"),
            ),
        };
        match printed {
            // "…, which a person reads" qualifies the usage text itself.
            Some(which) if console && self == CommandLine::Usage => format!("{place}, {which}"),
            Some(what) if console => format!("{place}: {what}"),
            Some(_) => format!("{place}: it runs where an operator runs the program, not in a pod"),
            None => place.to_string(),
        }
    }

    /// Whether the place is one of a command's own, beyond what any
    /// `main()` does — a server's `main()` and what only it reaches
    /// configure its logging too — and outside the service's process (an
    /// interactive shell's command runs in it): what a logging API there
    /// does concerns the command only.
    pub fn commands_own(self) -> bool {
        !matches!(
            self,
            CommandLine::Main
                | CommandLine::NestedMain
                | CommandLine::OnlyEntriesReach
                | CommandLine::OnlyEntriesUse
                | CommandLine::Parser
                | CommandLine::ShellCommand
        )
    }
}

/// The project members a finding's value comes from and goes into.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MemberFlow {
    /// The member whose value the finding reports a use of.
    pub uses: Option<String>,
    /// The static members the value only goes into.
    pub feeds: Vec<String>,
}

impl Finding {
    /// The order findings are reported in: by path, place, then rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.path, self.line, self.column, &self.rule)
    }
}

/// Something the analyzer could not fully look at. The scan goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub path: String,
    pub kind: NoteKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// Over the size cap: not read.
    TooLarge,
    /// Could not be read (permissions, vanished, I/O error).
    Unreadable,
    /// Not text.
    Binary,
    /// Java with syntax errors: analysed as far as the tree allows.
    SyntaxError,
    /// XML that does not parse: analysed up to the error.
    MalformedXml,
    /// Not UTF-8: decoded from another encoding.
    Decoded,
    /// A `podready:ignore[…]` naming no rule: it suppresses nothing.
    UnknownSuppression,
}

/// A finding before it has a line and column: a byte range in its file.
/// Where a followed value goes when nothing there depends on it being
/// the machine's address, in the order two ways merge: a value going two
/// ways is reported as the later one (bound beats only logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Harmless {
    /// Only a log call, an exception's message or `toString()`, or nowhere.
    Logged,
    /// Only the interface's hardware address (`getHardwareAddress()`: a
    /// MAC, an id's machine bytes): an identifier no other machine
    /// connects to.
    HardwareAddress,
    /// Only its hash (`host.hashCode() % MAX_WORKER_ID`, a snowflake id's
    /// worker number): a number, no address.
    Hashed,
    /// Only a label of metrics (Micrometer's `Tag.of("host", h)`, a
    /// registry's `commonTags`, Prometheus' `labels`): it tells this
    /// instance's figures apart, as a log line's host does.
    LabelsMetrics,
    /// Only a name joined with the process's id or the time (`ip + "-" +
    /// pid + "-" + System.currentTimeMillis()`), which a pod's address
    /// keeps unique.
    NamesProcess,
    /// Only a description of the machine (a setter's or a map's value
    /// beside the OS's name or the JVM's figures: a server-monitor page):
    /// in a pod it shows the pod's own.
    Displayed,
    /// Only the address a server of this process listens on, as the host
    /// of a new socket address or URL handed to `bind`, `listen` or `open`
    /// (`channel.bind(new InetSocketAddress(ip, port))`), of a
    /// `ServerSocket` or a socket's `setNetworkInterface`: in a pod, the
    /// pod's own interface.
    Bound,
}

impl Harmless {
    /// What the finding's message says of it.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Harmless::Logged => "only logged, so nothing in a pod depends on it",
            Harmless::Displayed => "only shown with the machine's description (its OS, its JVM), which in a pod describes the pod",
            Harmless::NamesProcess => "only joined with the process's id or the time into a name for this process, which a pod's own address keeps unique",
            Harmless::Hashed => "only hashed into a number (an id's worker number), which gives no address away",
            Harmless::HardwareAddress => "only its network interface's hardware (MAC) address is read (an id's machine bytes), which no other machine connects to",
            Harmless::LabelsMetrics => "only labels metrics (a tag naming this instance's figures), which in a pod names the pod",
            Harmless::Bound => "only the address a server of this process listens on, which in a pod is the pod's own",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawFinding {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub detail: String,
    /// The project's members the value came through, then the matched call.
    pub via: Vec<String>,
    /// Where the followed value goes when nothing there depends on the
    /// machine's address (its level is the rule's `only_logged` one).
    pub harmless: Option<Harmless>,
    /// The machine's address only stands in for a request's loopback
    /// client.
    pub loopback_client: bool,
    /// In a command-line entry point.
    pub command_line: Option<CommandLine>,
    /// In code that never runs: why.
    pub never_runs: Option<String>,
    /// In code that runs once, when the application starts: where.
    pub start_up: Option<String>,
    /// Console output a logger beside it records too: which call.
    pub also_logged: Option<String>,
    /// Console output that is debugging output: why.
    pub debugging: Option<String>,
    /// A console appender whose users also write to a file appender:
    /// which.
    pub beside_file: Option<String>,
    /// Logback configuration used only in `<springProfile>` sections.
    pub profile_sections: Option<ProfileSections>,
    /// The code it sits in, when only a reference by name runs it.
    pub owner: Option<CodeOwner>,
    /// The project member whose value this reports a use of.
    pub uses: Option<String>,
    /// The static members of the project the value only goes into.
    pub feeds: Vec<String>,
}

fn one() -> usize {
    1
}

/// The code a finding sits in, when only a reference by name runs it
/// (`crate::java::owner`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeOwner {
    /// The top-level class.
    pub class: String,
    /// Nothing but a reference to the class by name runs it: no
    /// annotation, no `main()`, no supertype whose subtypes a framework
    /// finds by scanning.
    pub class_runs_when_named: bool,
    /// For such a class with a supertype: its package, which a name
    /// computed at run time (`Class.forName("com.acme.pay." + type)`) or
    /// a scan of its subtypes may hold.
    #[serde(default)]
    pub reflected_package: Option<String>,
    /// The method, when only a call by name runs it.
    pub method: Option<String>,
    /// The property the method is an accessor of (`getLocalIp` →
    /// `localIp`), when it has an accessor's shape: a template may reach
    /// it by that name.
    pub property: Option<String>,
    /// How many methods of the class, nested types' included, have the
    /// method's name: overloads name it without calling it.
    #[serde(default = "one")]
    pub declarations: usize,
    /// In its own file, only the class's command-line `main()` calls the
    /// method, directly or through methods only it calls.
    pub only_main_calls_here: bool,
    /// The class is a command-line program and nothing else: a static
    /// `main()` that starts no framework, no annotation but Lombok's, no
    /// supertype, not abstract, alone in its file but for nested types no
    /// framework runs. Nothing but its name (a
    /// pom's `mainClass`, a script's `java` line) starts it.
    #[serde(default)]
    pub program: bool,
    /// The method is an instance method of a plain class that is not
    /// final: a subclass could hand it to a framework through an
    /// interface, so nothing calls it only while no file extends the class.
    #[serde(default)]
    pub unless_extended: bool,
    /// The method is static: another file calls it through its class's
    /// name (`Net.ip()`, a static import, `extends Net`), so a file
    /// naming only the method calls another one.
    #[serde(default)]
    pub static_method: bool,
    /// The method is private: only its own file calls it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private_method: bool,
    /// For a private method: the one other method of its class that
    /// reaches it (through private methods alone), when only a call by
    /// name runs that one: the method runs only when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reached_only_from: Option<Box<CodeOwner>>,
    /// For a static method: the other methods of its class that call it,
    /// each only reached by its name, and how many calls they make: when
    /// every other mention of it in its file is counted in `declarations`,
    /// it runs only if one of them does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callers_here: Vec<CodeOwner>,
    #[serde(default)]
    pub calls_from_callers: usize,
    /// The class is a Spring stereotype (`@Component`) and but for that
    /// (and a `main()`) would run only when named: where no component
    /// scan of the repository reaches its package, and nothing starts its
    /// module's programs, only a reference by name runs it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bean_unless_scanned: bool,
}
