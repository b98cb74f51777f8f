//! The Java pass: one walk over each syntax tree runs every Java rule.
//!
//! This module walks the tree and keeps the scopes; `grammar` holds the
//! node kinds, `resolve` resolves names and types the way javac would for
//! the cases that matter here, and the Java matcher kinds run in `calls`,
//! `imports` and `strings` (their rules compiled by `crate::matchers`).
//! A small flow (see `flow`) follows the result of a matched call into
//! variables, fields and the project's own methods, so that `local.getHostName()` is reported only
//! when `local` came from `InetAddress.getLocalHost()`, and a helper that
//! returns the machine's address is reported where it is called.

mod also_logged;
mod calls;
mod command_line;
pub(crate) mod conditions;
mod flow;
mod grammar;
mod imports;
mod jul_loggers;
mod never_runs;
mod owner;
mod reach;
mod resolve;
mod start_up;
mod strings;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Tree};

use crate::finding::{CodeOwner, CommandLine, RawFinding};
use crate::matchers::Compiled;
use crate::summary::{name_hash, named_class, MemberFacts, ProjectSources};
pub use grammar::JavaParser;
use grammar::{field, grammar, kind, K};
pub(crate) use owner::{APPLICATION_STARTERS, PASSIVE, SCANNED_SUPERTYPES};
use resolve::{compact, is_static_field_path, simple_type_name};
pub(crate) use strings::named_for_sample_data;
use strings::string_value;

/// What a file's neighbours tell about names: the types of its own package
/// (sibling files) and every type of the project, by qualified name.
pub struct ProjectTypes<'a> {
    pub same_package: &'a HashSet<String>,
    pub all: &'a HashSet<String>,
}

/// The annotations that decide whether Spring makes a bean (see
/// [`BeanDecisions`]).
pub(crate) const BEAN_DECISIONS: [&str; 3] = [
    "ConditionalOnProperty",
    "SpringBootApplication",
    "ComponentScan",
];

/// Whether a source names what decides whether Spring makes a bean: only
/// such a source is walked for them.
pub(crate) fn names_bean_decisions(src: &str) -> bool {
    // One pass over every source: the searcher is built once.
    static DECISIONS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let searcher = DECISIONS.get_or_init(|| aho_corasick::AhoCorasick::new(BEAN_DECISIONS).ok());
    searcher.as_ref().is_none_or(|s| s.is_match(src))
}

/// What in a main source decides whether Spring makes a bean.
#[derive(Default)]
pub(crate) struct BeanDecisions {
    pub conditioned: Vec<conditions::ConditionedCode>,
    /// The packages its component scans reach.
    pub scans: Vec<String>,
}

impl BeanDecisions {
    pub(crate) fn of(root: Node, src: &str) -> BeanDecisions {
        if !names_bean_decisions(src) {
            return BeanDecisions::default();
        }
        BeanDecisions {
            conditioned: conditions::conditioned_code(root, src),
            scans: conditions::component_scans(root, src),
        }
    }
}

/// The result of the Java pass over one file.
pub struct JavaOutcome {
    pub findings: Vec<RawFinding>,
    pub has_errors: bool,
    /// Where the file's own methods and fields get their values from.
    pub(crate) facts: Vec<MemberFacts>,
    /// Hashes of the member names the file uses or declares, sorted.
    pub names: Vec<u64>,
    /// Whether a call the rules follow through helpers is in the file.
    pub has_followed_call: bool,
    pub package: String,
    /// Whether the file declares a logging implementation: a class
    /// extending or implementing one of the pack's logging extension
    /// points, or the project's own `Logger` or `Log` interface.
    pub is_logging_code: bool,
    /// Whether the file's logging implementation extends or implements one
    /// of the pack's logging extension points (a log4j 2 layout, a logback
    /// converter): it writes log lines for the framework.
    pub extends_logging_framework: bool,
    /// The file is logging code that imports JUL's `Handler` and logs
    /// through SLF4J: a bridge that hands JUL's records to SLF4J.
    pub bridges_to_slf4j: bool,
    /// The file installs SLF4J's bridge for java.util.logging (it imports
    /// `SLF4JBridgeHandler`): its JUL `LogManager` and `Handler` clear
    /// JUL's own handlers for it.
    pub installs_jul_bridge: bool,
    /// The file imports SLF4J's `Logger` or `LoggerFactory` (main code):
    /// in a package of the project's logging code, its facade's SLF4J
    /// dialect (Netty's `Slf4JLogger`).
    pub imports_slf4j: bool,
    /// The library types (in full) the file's classes extend or
    /// implement, each in an API the file imports no logger from
    /// (`Logger`, `LogManager`, `LogFactory` of the same library): a
    /// plugin that API calls (a JUL handler, a log4j appender, a
    /// commons-logging `Log`), not code logging through it.
    pub plugin_of: Vec<String>,
    /// The classes (in full) without which the file's beans are not made:
    /// a class's `@ConditionalOnClass` or Micronaut's `@Requires(classes
    /// = …)` (Micronaut's `Log4jLoggingSystem` needs log4j's
    /// `Configurator`).
    pub requires_classes: Vec<String>,
    /// The file is written for Kubernetes: it imports a Kubernetes API
    /// client (`io.kubernetes.client`, `io.fabric8.kubernetes`) or names a
    /// variable only a pod has (`POD_NAME`, `POD_NAMESPACE`,
    /// `KUBERNETES_SERVICE_HOST`): its host name is the pod's name.
    pub for_kubernetes: bool,
    /// The classes (in full) whose static methods give every JUL logger
    /// the file declares (CXF's `LogUtils`), if any.
    pub jul_logger_factories: Vec<String>,
    /// The file hands out JUL loggers that log through SLF4J when it has
    /// a binding (CXF's `LogUtils`).
    pub routes_jul_to_slf4j: bool,
    /// The file drives a code generator (imports its API) and no
    /// framework makes its top-level class: a developer or the build runs
    /// it.
    pub drives_code_generator: bool,
    /// The file is a command-line program's: its top-level class takes a
    /// command line beyond `main()` (a `run(String[])` its `main()` hands
    /// the arguments to, a method handed a parsed command line, a class
    /// named for a command-line interface) or is an interactive shell's
    /// command, and no framework makes a class of it.
    pub takes_command_line: bool,
    /// The other classes' methods the file's analysis asked whether they
    /// hand on an argument (member keys, sorted): what it learns from
    /// files it does not declare.
    pub asks: Vec<String>,
    /// Main code: what decides whether Spring makes its beans.
    pub(crate) beans: BeanDecisions,
}

/// Runs every Java rule on one file. `sources` are the project's members
/// known to hold a followed value (empty on the first pass).
pub(crate) fn analyze(
    parser: &mut JavaParser,
    src: &str,
    is_test: bool,
    rules: &Compiled,
    project: &ProjectTypes<'_>,
    sources: &ProjectSources,
) -> JavaOutcome {
    let Some(tree) = parser.parse(src) else {
        return JavaOutcome {
            findings: Vec::new(),
            has_errors: true,
            facts: Vec::new(),
            names: Vec::new(),
            has_followed_call: false,
            package: String::new(),
            is_logging_code: false,
            extends_logging_framework: false,
            bridges_to_slf4j: false,
            installs_jul_bridge: false,
            imports_slf4j: false,
            plugin_of: Vec::new(),
            requires_classes: Vec::new(),
            for_kubernetes: false,
            jul_logger_factories: Vec::new(),
            routes_jul_to_slf4j: false,
            drives_code_generator: false,
            takes_command_line: false,
            asks: Vec::new(),
            beans: BeanDecisions::default(),
        };
    };
    let mut pass = Pass {
        c: rules,
        src,
        is_test,
        project,
        sources,
        package: String::new(),
        imports: HashMap::new(),
        wildcards: vec!["java.lang".to_string()],
        static_members: HashMap::new(),
        static_wildcards: Vec::new(),
        declared: HashMap::new(),
        frames: Vec::new(),
        out: Vec::new(),
        facts: Vec::new(),
        names: Vec::new(),
        has_followed_call: false,
        is_logging_code: false,
        extends_logging_framework: false,
        library_supertypes: Vec::new(),
        requires_classes: Vec::new(),
        command_line_only: HashSet::new(),
        command_line_methods: HashMap::new(),
        command_bodies: HashMap::new(),
        top_level_command: false,
        unreached: Default::default(),
        unreached_methods: Default::default(),
        class_bodies: HashMap::new(),
        start_only: HashSet::new(),
        nested_types: Default::default(),
        process_marks: Default::default(),
        name_counts: Default::default(),
        own_callers: Default::default(),
        application_classes: Default::default(),
        source_identifiers: Default::default(),
        fed_fields: HashMap::new(),
        private_entries: Default::default(),
        owners: Default::default(),
        main_calls_here: HashSet::new(),
        drives_code_generator: false,
        is_shell_command: false,
        in_managed_class: false,
        any_managed_class: false,
        pending_imports: Vec::new(),
        asks: RefCell::new(Vec::new()),
        parent: None,
        path: Vec::new(),
        at: None,
    };
    pass.walk(&tree);
    pass.settle_imports();
    pass.keep_fields_read_here();
    pass.names.sort_unstable();
    pass.names.dedup();
    let mut asks = pass.asks.take();
    asks.retain(|key| {
        !pass.declared.values().any(|class| {
            key.strip_prefix(class.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
        })
    });
    asks.sort_unstable();
    asks.dedup();
    let plugin_of = if is_test {
        Vec::new()
    } else {
        pass.plugin_of()
    };
    let jul = if is_test {
        jul_loggers::JulLoggers::default()
    } else {
        jul_loggers::jul_loggers(tree.root_node(), src, &pass.imports, &pass.package)
    };
    JavaOutcome {
        asks,
        beans: if is_test {
            BeanDecisions::default()
        } else {
            BeanDecisions::of(tree.root_node(), src)
        },
        findings: pass.out,
        has_errors: tree.root_node().has_error(),
        facts: pass.facts,
        names: pass.names,
        has_followed_call: pass.has_followed_call,
        is_logging_code: pass.is_logging_code,
        extends_logging_framework: pass.extends_logging_framework,
        // A JUL handler logging through SLF4J; a log4j appender that logs
        // its own troubles through SLF4J still appends elsewhere.
        bridges_to_slf4j: pass.is_logging_code
            && !is_test
            && (pass
                .imports
                .values()
                .any(|fqn| fqn == "java.util.logging.Handler")
                || pass.wildcards.iter().any(|p| p == "java.util.logging"))
            && pass
                .imports
                .values()
                .any(|fqn| fqn == "org.slf4j.Logger" || fqn == "org.slf4j.LoggerFactory"),
        installs_jul_bridge: pass
            .imports
            .values()
            .any(|fqn| fqn == "org.slf4j.bridge.SLF4JBridgeHandler"),
        imports_slf4j: !is_test
            && pass
                .imports
                .values()
                .any(|fqn| fqn == "org.slf4j.Logger" || fqn == "org.slf4j.LoggerFactory"),
        plugin_of,
        requires_classes: pass.requires_classes,
        for_kubernetes: !is_test
            && (pass.imports.values().chain(pass.wildcards.iter()).any(|i| {
                i.starts_with("io.kubernetes.client") || i.starts_with("io.fabric8.kubernetes")
            }) || [
                "\"POD_NAME\"",
                "\"POD_NAMESPACE\"",
                "\"KUBERNETES_SERVICE_HOST\"",
            ]
            .iter()
            .any(|v| src.contains(v))),
        jul_logger_factories: jul.factories,
        routes_jul_to_slf4j: jul.routes_to_slf4j,
        drives_code_generator: pass.drives_code_generator && !pass.any_managed_class,
        takes_command_line: !is_test
            && !pass.any_managed_class
            && (pass.is_shell_command || pass.top_level_command),
        package: pass.package,
    }
}

struct Var<'a> {
    name: String,
    ty: Option<String>,
    /// The expressions stored in the variable (any of them may be what it
    /// holds), whose origins are worked out when they matter.
    values: Vec<Node<'a>>,
    /// The member key when the variable is a field of a named class.
    field: Option<String>,
    /// The position of a method's parameter.
    param: Option<usize>,
    /// For a local: the block it is declared in (an assignment there
    /// replaces what it held; one in a nested branch may not run).
    block: Option<usize>,
}

/// What opened a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FrameKind {
    /// A class body; the class's qualified name, unless anonymous.
    Class(Option<String>),
    /// A method; its member key, when its class has a name.
    Method(Option<String>),
    /// `static void main(String[] args)`.
    Main,
    Lambda,
    /// A constructor or initializer.
    Other,
}

struct Frame<'a> {
    owner: usize,
    kind: FrameKind,
    vars: Vec<Var<'a>>,
    /// Methods declared in a class body (they shadow static imports).
    methods: Vec<String>,
}

/// An import an import rule names, waiting for the file's uses of it.
struct PendingImport {
    rule: usize,
    start: usize,
    end: usize,
    detail: String,
    simple: String,
    /// Used outside the signature of a method an interface imposes
    /// (`Logger getParentLogger()` of JDBC's `DataSource`).
    used: bool,
    /// Used in such a signature.
    in_signature: bool,
    /// The private fields whose declarations hold every other use.
    fields: Vec<String>,
    /// Used outside the declaration of a private field.
    outside_fields: bool,
    /// The file's type, when only a reference by name runs it.
    owner: Option<CodeOwner>,
}

struct Pass<'a, 'c> {
    c: &'c Compiled,
    src: &'a str,
    is_test: bool,
    project: &'a ProjectTypes<'a>,
    sources: &'a ProjectSources,
    package: String,
    imports: HashMap<String, String>,
    wildcards: Vec<String>,
    static_members: HashMap<String, String>,
    static_wildcards: Vec<String>,
    /// Types declared in the file, simple name to qualified name.
    declared: HashMap<String, String>,
    frames: Vec<Frame<'a>>,
    out: Vec<RawFinding>,
    facts: Vec<MemberFacts>,
    names: Vec<u64>,
    has_followed_call: bool,
    is_logging_code: bool,
    extends_logging_framework: bool,
    /// The library types (in full) the file's classes extend or implement.
    library_supertypes: Vec<String>,
    /// [`JavaOutcome::requires_classes`].
    requires_classes: Vec<String>,
    /// The member keys of the private methods only a command-line entry
    /// point reaches (`main()`, the `run(String[])` it hands its arguments to).
    command_line_only: HashSet<String>,
    /// The methods of a command line that are not `main()` (node ids):
    /// the `run(String[])` a `main()` of their class hands its arguments
    /// to, the usage text of a class taking a command line.
    command_line_methods: HashMap<usize, CommandLine>,
    /// The bodies (node ids) of classes that are commands by their name
    /// or an annotation: what runs in them (and in classes nested in
    /// them) is the command's.
    command_bodies: HashMap<usize, CommandLine>,
    /// The file's top-level class takes a command line beyond `main()`.
    top_level_command: bool,
    /// By class body node: the private methods only other such methods
    /// call (nothing reaches them), found once a finding asks.
    unreached: std::cell::RefCell<HashMap<usize, HashSet<String>>>,
    /// What [`Pass::unreached_private_method`] said of each method.
    unreached_methods: RefCell<HashMap<usize, Option<String>>>,
    /// The class bodies walked, by node: where a finding's class is found.
    class_bodies: HashMap<usize, Node<'a>>,
    /// The member keys of the private methods only a start-up hook reaches.
    start_only: HashSet<String>,
    /// By class node: whether it declares a type inside it, found once.
    nested_types: std::cell::RefCell<HashMap<usize, bool>>,
    /// Whether the file's text holds what makes a name the process's
    /// (`flow::PROCESS_MARKS`): text joined with `+` is asked otherwise.
    process_marks: std::cell::OnceCell<bool>,
    /// How many times each identifier occurs in the file (comments
    /// included), counted once when first asked.
    source_identifiers: std::cell::OnceCell<HashMap<String, usize>>,
    /// The file's static fields a finding's value goes into, followed to
    /// their reads ([`flow::FedField`]).
    fed_fields: HashMap<String, flow::FedField>,
    /// By class body (node id): whether the class starts an application
    /// ([`Self::starts_application`]).
    application_classes: RefCell<HashMap<usize, bool>>,
    /// By class node: [`owner::own_callers`], found once.
    own_callers: RefCell<HashMap<usize, owner::OwnCallers>>,
    /// By class node: [`owner::NameCounts`], found once.
    name_counts: RefCell<HashMap<usize, std::rc::Rc<owner::NameCounts>>>,
    /// By top-level class (node id): each private method the class's
    /// other methods reach through private methods from one alone, and
    /// that one.
    private_entries: RefCell<HashMap<usize, HashMap<String, usize>>>,
    /// The owner found for each place ([`owner::OwnerPlace::key`]), but
    /// for what depends on the method being run.
    owners: RefCell<HashMap<owner::OwnerKey, Option<CodeOwner>>>,
    /// The file imports a code generator's API.
    drives_code_generator: bool,
    /// The file imports an interactive shell's command API.
    is_shell_command: bool,
    /// The top-level class being walked is one a framework makes (a
    /// controller driving a generator runs in the service).
    in_managed_class: bool,
    /// A top-level class of the file is one a framework makes.
    any_managed_class: bool,
    /// The member keys of the other methods that, in their file, only a
    /// `main()` calls (another file may call them too).
    main_calls_here: HashSet<String>,
    /// Imports an import rule names, reported once the file shows they are
    /// used beyond a signature an interface imposes: (rule, import node
    /// range, detail, simple name, used elsewhere).
    pending_imports: Vec<PendingImport>,
    /// See [`JavaOutcome::asks`]; recorded while origins are searched.
    asks: RefCell<Vec<String>>,
    /// The parent of the node being entered, known to the walk (asking
    /// tree-sitter walks down from the root again).
    parent: Option<Node<'a>>,
    /// The nodes above the one the walk is at, the root first.
    path: Vec<Node<'a>>,
    /// The node the walk is at.
    at: Option<Node<'a>>,
}

impl<'a, 'c> Pass<'a, 'c> {
    fn text(&self, node: Node) -> &'a str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    /// Walks the tree without recursion, so that deeply nested input (a
    /// thousand concatenated strings) cannot overflow the stack.
    fn walk(&mut self, tree: &'a Tree) {
        self.declare_top_level_types(tree.root_node());
        let mut cursor = tree.walk();
        'outer: loop {
            let node = cursor.node();
            self.parent = self.path.last().copied();
            self.at = Some(node);
            if self.enter(node) && cursor.goto_first_child() {
                self.path.push(node);
                continue;
            }
            loop {
                self.leave(cursor.node());
                if cursor.goto_next_sibling() {
                    continue 'outer;
                }
                if !cursor.goto_parent() {
                    break 'outer;
                }
                self.path.pop();
            }
        }
        self.at = None;
    }

    /// `node`'s ancestors, nearest first. Tree-sitter finds a node's parent
    /// by descending from the root, so a walk up costs the square of the
    /// depth (a string concatenated from thousands of parts); where the
    /// walk's own path holds the way up, it is read from there.
    pub(super) fn ancestors(&self, node: Node<'a>) -> impl Iterator<Item = Node<'a>> + '_ {
        let mut off_path = Vec::new();
        let mut at = node;
        let on_path = loop {
            if self.at.is_some_and(|n| n.id() == at.id()) {
                break self.path.len();
            }
            if let Some(i) = self.path.iter().rposition(|n| n.id() == at.id()) {
                break i;
            }
            match at.parent() {
                Some(parent) => {
                    off_path.push(parent);
                    at = parent;
                }
                None => break 0,
            }
        };
        off_path
            .into_iter()
            .chain(self.path[..on_path].iter().rev().copied())
    }

    fn leave(&mut self, node: Node) {
        if self.frames.last().is_some_and(|f| f.owner == node.id()) {
            self.frames.pop();
        }
    }

    /// The package and the file's top-level types, before anything uses
    /// them (a class may use a type declared below it).
    fn declare_top_level_types(&mut self, root: Node) {
        let g = grammar();
        for child in root.named_children(&mut root.walk()) {
            match kind(child) {
                K::Package => {
                    if let Some(name) = child
                        .named_children(&mut child.walk())
                        .find(|n| matches!(kind(*n), K::Identifier | K::Dotted))
                    {
                        self.package = compact(self.text(name));
                    }
                }
                K::TypeDecl => {
                    if let Some(name) = field(child, g.f_name) {
                        let name = self.text(name);
                        let fqn = self.qualify(name);
                        // The generator's own class (MyBatis-Plus'
                        // `FastAutoGenerator`) runs where it is driven.
                        if self
                            .c
                            .code_generators
                            .iter()
                            .any(|g| podready_rules::matcher::in_package(&fqn, g))
                        {
                            self.drives_code_generator = true;
                        }
                        self.declared.insert(name.to_string(), fqn);
                    }
                }
                _ => {}
            }
        }
    }

    /// The types a type declaration extends or implements.
    fn supertypes(&self, node: Node<'a>) -> Vec<Node<'a>> {
        let g = grammar();
        [field(node, g.f_superclass), field(node, g.f_interfaces)]
            .into_iter()
            .flatten()
            .flat_map(|clause| {
                // `extends T` holds the type; `implements A, B` a list.
                let list = clause
                    .named_child(0)
                    .filter(|c| c.kind() == "type_list")
                    .unwrap_or(clause);
                list.named_children(&mut list.walk()).collect::<Vec<_>>()
            })
            .collect()
    }

    /// Notes the classes a type declaration's `@ConditionalOnClass` or
    /// `@Requires` names by class literals (`classes = Configurator.class`)
    /// or in full in a string (`name = "org.apache.log4j.Logger"`).
    fn note_required_classes(&mut self, node: Node<'a>) {
        for (name, annotation) in owner::annotation_nodes(node, self.src) {
            if !matches!(name, "ConditionalOnClass" | "Requires") {
                continue;
            }
            let mut found = Vec::new();
            flow::each_in(annotation, |n| match n.kind() {
                "class_literal" => {
                    if let Some(fqn) = n.named_child(0).and_then(|t| self.resolve_type_node(t)) {
                        found.push(fqn);
                    }
                }
                "string_literal" => {
                    let text = self.text(n).trim_matches('"');
                    if text.contains('.')
                        && text
                            .chars()
                            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '$'))
                    {
                        found.push(text.to_string());
                    }
                }
                _ => {}
            });
            self.requires_classes.extend(found);
        }
    }

    /// [`JavaOutcome::plugin_of`]: a library's types are one API's when
    /// their first three names agree (`java.util.logging`,
    /// `org.apache.log4j`); a wildcard import may bring its logger.
    fn plugin_of(&self) -> Vec<String> {
        let root = |fqn: &str| fqn.splitn(4, '.').take(3).collect::<Vec<_>>().join(".");
        let loggers: Vec<String> = self
            .imports
            .values()
            .filter(|fqn| {
                fqn.rsplit('.')
                    .next()
                    .is_some_and(|n| matches!(n, "Logger" | "LogManager" | "LogFactory"))
            })
            .chain(self.wildcards.iter().filter(|w| *w != "java.lang"))
            .map(|fqn| root(fqn))
            .collect();
        let mut plugin_of: Vec<String> = self
            .library_supertypes
            .iter()
            .filter(|fqn| !loggers.contains(&root(fqn)))
            .cloned()
            .collect();
        plugin_of.sort_unstable();
        plugin_of.dedup();
        plugin_of
    }

    /// Whether a type declaration implements logging (beside
    /// [`Self::extends_logging_framework`]): it is an
    /// interface named `Logger` or `Log`, or is an appender or a logger of
    /// the project's own logging framework (a class named `…Appender` whose
    /// supertype is named so too, as Sentinel's `EagleEyeRollingFileAppender
    /// extends EagleEyeAppender`, or `…Logger` whose superclass is).
    fn declares_logging_code(&self, node: Node<'a>) -> bool {
        let g = grammar();
        let name = field(node, g.f_name).map(|n| self.text(n));
        if node.kind() == "interface_declaration" {
            return matches!(name, Some("Logger" | "Log"));
        }
        let supertypes = self.supertypes(node);
        // The project's own appender, `class …Appender extends|implements
        // …Appender`, or logger, `class OmsStdOutLogger extends
        // AbstractOmsLogger` (a class, not an interface a business's
        // `OrderAuditLogger` may implement).
        let named = |n: Node, suffix: &str| {
            let text = self.text(n);
            text.split('<')
                .next()
                .unwrap_or(text)
                .trim()
                .ends_with(suffix)
        };
        let superclass = field(node, g.f_superclass).and_then(|c| c.named_child(0));
        // An appender of log lines extends a library's appender (log4j's
        // `FileAppender`) or appends; one under the project's own type
        // that does not (a table's `FileAppender implements Appender`
        // adding rows: `addTuple`) is none.
        let appends = || {
            node.child_by_field_name("body").is_some_and(|body| {
                body.named_children(&mut body.walk()).any(|m| {
                    m.kind() == "method_declaration"
                        && field(m, g.f_name).is_some_and(|n| {
                            matches!(self.text(n), "append" | "doAppend" | "subAppend")
                        })
                })
            })
        };
        let a_librarys = |t: Node| {
            self.resolve_type_node(t)
                .is_some_and(|fqn| !self.is_project_type(&fqn))
        };
        let own = node.kind() == "class_declaration"
            && match name {
                Some(n) if n.ends_with("Appender") => supertypes
                    .iter()
                    .any(|t| named(*t, "Appender") && (a_librarys(*t) || appends())),
                Some(n) if n.ends_with("Logger") => superclass.is_some_and(|t| named(t, "Logger")),
                // A facade's dialect, as hutool's: `ConsoleLog extends
                // AbstractLog`, `JdkLogFactory extends LogFactory`.
                Some(n) if n.ends_with("Log") => superclass.is_some_and(|t| {
                    named(t, "Log") && self.text(t).trim_start().starts_with("Abstract")
                }),
                Some(n) if n.ends_with("LogFactory") => {
                    superclass.is_some_and(|t| named(t, "LogFactory"))
                }
                _ => false,
            };
        // An implementation of the project's own `Log` or `Logger`
        // interface: a dialect of its facade (MyBatis' `StdOutImpl
        // implements Log`).
        let facade_dialect = node.kind() == "class_declaration"
            && supertypes.iter().any(|t| {
                let simple = self.text(*t).split('<').next().unwrap_or("").trim();
                let simple = simple.rsplit('.').next().unwrap_or(simple);
                matches!(simple, "Log" | "Logger")
                    && self
                        .resolve_type_node(*t)
                        .is_some_and(|fqn| self.is_project_type(&fqn))
            });
        // A facade of the project's own, a class named `Logger` or `Log`
        // declaring the levels' methods (GoCD's plugin API `Logger`,
        // which hands its messages to the server's logging service).
        let levels = || {
            node.child_by_field_name("body").is_some_and(|body| {
                let declared: Vec<&str> = body
                    .named_children(&mut body.walk())
                    .filter(|m| m.kind() == "method_declaration")
                    .filter_map(|m| field(m, g.f_name).map(|n| self.text(n)))
                    .collect();
                ["info", "warn", "error"]
                    .iter()
                    .all(|level| declared.contains(level))
            })
        };
        let own_facade = node.kind() == "class_declaration"
            && matches!(name, Some("Logger" | "Log"))
            && levels();
        own || facade_dialect || own_facade
    }

    /// Whether a type declaration extends or implements one of the pack's
    /// logging extension points (a shaded copy too).
    fn extends_logging_framework(&self, node: Node<'a>) -> bool {
        if self.c.logging_extension_points.is_empty() {
            return false;
        }
        self.supertypes(node)
            .into_iter()
            .filter_map(|ty| self.resolve_type_node(ty))
            .any(|fqn| {
                self.c.logging_extension_points.contains(&fqn)
                    || self.c.logging_extension_points.iter().any(|p| {
                        fqn.strip_suffix(p.as_str())
                            .is_some_and(|shade| shade.ends_with('.'))
                    })
            })
    }

    /// Acts on a node; returns whether to walk into its children.
    fn enter(&mut self, node: Node<'a>) -> bool {
        let g = grammar();
        match kind(node) {
            K::Comment | K::Package => false,
            K::Import => {
                self.on_import(node);
                false
            }
            K::TypeDecl => {
                if !self.extends_logging_framework {
                    self.extends_logging_framework = self.extends_logging_framework(node);
                }
                if !self.is_logging_code {
                    self.is_logging_code =
                        self.extends_logging_framework || self.declares_logging_code(node);
                }
                self.note_required_classes(node);
                for ty in self.supertypes(node) {
                    if let Some(fqn) = self
                        .resolve_type_node(ty)
                        .filter(|fqn| !self.is_project_type(fqn))
                    {
                        self.library_supertypes.push(fqn);
                    }
                }
                if self.parent.is_some_and(|p| p.kind() == "program") {
                    // A command's annotation (picocli's `@Command`), beside
                    // a generated service list's, makes no framework's
                    // class: a launcher runs the command.
                    let active = owner::active_annotations(node, self.src);
                    let command_only = owner::annotation_nodes(node, self.src)
                        .iter()
                        .filter(|(simple, _)| active.contains(simple))
                        .all(|(simple, a)| {
                            matches!(*simple, "AutoService" | "MetaInfServices")
                                || a.child_by_field_name("name")
                                    .is_some_and(|n| self.is_command_annotation(self.text(n)))
                        });
                    self.in_managed_class = owner::is_managed(node, self.src) && !command_only;
                    self.any_managed_class |= self.in_managed_class;
                }
                true
            }
            K::ClassBody => {
                // A named class's body, or an anonymous class's.
                let declared = self
                    .parent
                    .filter(|p| kind(*p) == K::TypeDecl)
                    .and_then(|p| field(p, g.f_name));
                // Its own members are called by their simple names.
                if let Some(name) = declared {
                    self.names.push(name_hash(&named_class(self.text(name))));
                }
                let class = declared.map(|name| self.nested_name(self.text(name)));
                self.push_frame(node, FrameKind::Class(class));
                self.prescan_body(node);
                true
            }
            K::MethodDecl => {
                let kind = if self.is_main(node) {
                    FrameKind::Main
                } else {
                    FrameKind::Method(match (self.current_class(), field(node, g.f_name)) {
                        (Some(class), Some(name)) => Some(crate::summary::method_key(
                            class,
                            self.text(name),
                            parameter_count(node),
                        )),
                        _ => None,
                    })
                };
                self.push_frame(node, kind);
                true
            }
            K::Scope => {
                self.push_frame(node, FrameKind::Other);
                true
            }
            K::Return => {
                self.on_return(node);
                true
            }
            K::Lambda => {
                self.push_frame(node, FrameKind::Lambda);
                if let Some(params) = field(node, g.f_parameters) {
                    let names: Vec<Node> = match kind(params) {
                        K::Identifier => vec![params],
                        _ => params
                            .named_children(&mut params.walk())
                            .filter(|n| kind(*n) == K::Identifier)
                            .collect(),
                    };
                    for n in names {
                        self.declare(self.text(n), None, None);
                    }
                }
                true
            }
            K::Param => {
                let ty = field(node, g.f_type).and_then(|t| self.resolve_type_node(t));
                if let Some(name) = field(node, g.f_name) {
                    self.declare(self.text(name), ty, None);
                    let position = self
                        .parent
                        .filter(|p| p.kind() == "formal_parameters")
                        .and_then(|p| {
                            p.named_children(&mut p.walk())
                                .filter(|c| kind(*c) == K::Param)
                                .position(|c| c.id() == node.id())
                        });
                    if let Some(var) = self.frames.last_mut().and_then(|f| f.vars.last_mut()) {
                        var.param = position;
                    }
                }
                // Into the type: `org.apache.log4j.Logger logger` is a use.
                true
            }
            K::LocalVar => {
                let ty_node = field(node, g.f_type);
                let mut cursor = node.walk();
                let declarators: Vec<Node> = node
                    .children_by_field_name("declarator", &mut cursor)
                    .collect();
                for d in declarators {
                    let value = field(d, g.f_value);
                    // `PrintStream out = System.out`: the variable is the
                    // static field it holds.
                    let held_field = value
                        .filter(|v| matches!(kind(*v), K::Dotted | K::Identifier))
                        .and_then(|v| self.expr_type(v))
                        .filter(|t| is_static_field_path(t));
                    let ty = match ty_node {
                        _ if held_field.is_some() => held_field,
                        Some(t) if self.text(t) == "var" => value.and_then(|v| self.expr_type(v)),
                        Some(t) => self.resolve_type_node(t),
                        None => None,
                    };
                    if let Some(name) = field(d, g.f_name) {
                        self.declare(self.text(name), ty, value);
                        if let Some(var) = self.frames.last_mut().and_then(|f| f.vars.last_mut()) {
                            var.block = self.parent.map(|p| p.id());
                        }
                    }
                }
                true
            }
            K::EnhancedFor | K::Resource => {
                let ty = field(node, g.f_type).and_then(|t| self.resolve_type_node(t));
                if let Some(name) = field(node, g.f_name) {
                    self.declare(self.text(name), ty, field(node, g.f_value));
                }
                true
            }
            K::Assign => {
                if let (Some(left), Some(right)) = (field(node, g.f_left), field(node, g.f_right)) {
                    self.on_assign(left, right);
                }
                true
            }
            K::Call => {
                self.on_call(node);
                true
            }
            K::New => {
                self.on_new(node);
                true
            }
            K::MethodRef => {
                self.on_method_ref(node);
                true
            }
            K::Identifier => {
                if !self.pending_imports.is_empty() {
                    self.on_name_use(node);
                }
                self.on_identifier(node);
                false
            }
            K::TypeIdentifier => {
                if !self.pending_imports.is_empty() {
                    self.on_name_use(node);
                }
                // A type named here (`extends Net`, `Net.Holder x`) may
                // be how a static member of it is read.
                self.names.push(name_hash(&named_class(self.text(node))));
                false
            }
            K::Str => {
                self.on_string(node);
                false
            }
            K::Dotted => {
                if self.on_member_field(node) {
                    return false;
                }
                !self.on_qualified_name(node)
            }
            K::ScopedTypeIdentifier => {
                // `com.acme.Net x`: a type named in full.
                let simple = self.text(node).rsplit('.').next().unwrap_or_default();
                self.names.push(name_hash(&named_class(simple.trim())));
                !self.on_qualified_name(node)
            }
            _ => true,
        }
    }

    /// Whether a declaration (a method, a field) is `static`.
    fn is_static(&self, declaration: Node) -> bool {
        self.has_modifier(declaration, "static")
    }

    fn has_modifier(&self, declaration: Node, modifier: &str) -> bool {
        declaration
            .children(&mut declaration.walk())
            .filter(|c| kind(*c) == K::Modifiers)
            .any(|m| self.text(m).split_whitespace().any(|w| w == modifier))
    }

    /// `public static void main(String[] args)`: where a program starts.
    fn is_main(&self, method: Node) -> bool {
        let g = grammar();
        let named_main = field(method, g.f_name).is_some_and(|n| self.text(n) == "main");
        let is_static = self.is_static(method);
        // `String[] args` or `String... args`.
        let one_parameter = field(method, g.f_parameters).is_some_and(|p| {
            p.named_children(&mut p.walk())
                .filter(|c| kind(*c) == K::Param || c.kind() == "spread_parameter")
                .count()
                == 1
        });
        named_main
            && is_static
            && one_parameter
            && (!self.starts_application(method) || self.prints_usage_text(method))
    }

    /// Whether a method writes a command line's usage text: a string that
    /// starts with `Usage:` (WeCross' `Generator`, whose `main()` makes a
    /// Spring context to borrow its beans, then takes a command line).
    fn prints_usage_text(&self, method: Node) -> bool {
        method.child_by_field_name("body").is_some_and(|body| {
            flow::first_in(body, |n| {
                n.kind() == "string_literal"
                    && self
                        .text(n)
                        .trim_start_matches('"')
                        .get(..6)
                        .is_some_and(|start| start.eq_ignore_ascii_case("usage:"))
            })
            .is_some()
        })
    }

    /// Whether a `main()` starts the service itself (Spring Boot's, in a
    /// class annotated `@SpringBootApplication` or `@SpringCloudApplication`
    /// or naming `SpringApplication`/`SpringApplicationBuilder` in its code,
    /// a Spring context it creates, as a Dubbo provider's `main()` does
    /// (`ClassPathXmlApplicationContext`…), Quarkus' `run`, Micronaut's
    /// `run` or `build`, qualified or not):
    /// then what it does runs in the pod,
    /// not on a developer's console. Comments and strings do not count.
    fn starts_application(&self, method: Node) -> bool {
        // Its class's answer: every method and finding of a class asks.
        let class = method.parent().unwrap_or(method).id();
        if let Some(known) = self.application_classes.borrow().get(&class) {
            return *known;
        }
        let starts = self.class_starts_application(method);
        self.application_classes.borrow_mut().insert(class, starts);
        starts
    }

    /// How many times `name` occurs in the file as a whole identifier
    /// (comments included).
    fn identifier_count(&self, name: &str) -> usize {
        self.source_identifiers
            .get_or_init(|| owned_counts(self.src))
            .get(name)
            .copied()
            .unwrap_or(0)
    }

    /// [`Self::starts_application`], worked out: one walk of the class.
    fn class_starts_application(&self, method: Node) -> bool {
        let g = grammar();
        // The whole class: `main` may hand its arguments to a method of
        // its own that starts the application.
        let mut stack = vec![method.parent().unwrap_or(method)];
        let mut cursor = method.walk();
        while let Some(node) = stack.pop() {
            let starts = match node.kind() {
                "identifier" | "type_identifier" => APPLICATION_STARTERS.contains(&self.text(node)),
                "method_invocation" => {
                    let object = field(node, g.f_object).map_or("", |o| self.text(o));
                    let object = object.rsplit('.').next().unwrap_or(object);
                    let name = field(node, g.f_name).map_or("", |n| self.text(n));
                    matches!(
                        (object, name),
                        ("Quarkus", "run") | ("Micronaut", "run" | "build")
                    )
                }
                _ => false,
            };
            if starts {
                return true;
            }
            stack.extend(node.named_children(&mut cursor));
        }
        method
            .parent()
            .and_then(|body| body.parent())
            .filter(|class| kind(*class) == K::TypeDecl)
            .and_then(|class| class.child(0))
            .filter(|modifiers| modifiers.kind() == "modifiers")
            .is_some_and(|modifiers| {
                modifiers.named_children(&mut modifiers.walk()).any(|a| {
                    field(a, g.f_name).is_some_and(|n| {
                        let name = self.text(n);
                        matches!(
                            name.rsplit('.').next(),
                            Some("SpringBootApplication" | "SpringCloudApplication")
                        )
                    })
                })
            })
    }

    /// Of `nested` types (those annotated by something a framework reads
    /// aside), the ones the file names somewhere and only in their own
    /// declaration and in `places`: one walk of the file for them all.
    fn named_only_in<'n>(&self, nested: &[Node<'n>], places: &[Node]) -> Vec<Node<'n>> {
        let g = grammar();
        if places.is_empty() {
            return Vec::new();
        }
        // By name: the declaration, and whether a use lies in `places`
        // (`Some(true)`), outside them (`Some(false)`) or nowhere yet.
        let mut uses: HashMap<&str, (Node<'n>, Option<bool>)> = nested
            .iter()
            .filter(|t| owner::active_annotations(**t, self.src).is_empty())
            .filter_map(|t| Some((self.text(field(*t, g.f_name)?), (*t, None))))
            .collect();
        let Some(root) = nested
            .first()
            .and_then(|t| std::iter::successors(Some(*t), |n| n.parent()).last())
        else {
            return Vec::new();
        };
        if uses.is_empty() {
            return Vec::new();
        }
        let within = |n: Node, outer: Node| {
            n.start_byte() >= outer.start_byte() && n.end_byte() <= outer.end_byte()
        };
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if matches!(node.kind(), "identifier" | "type_identifier") {
                if let Some((declaration, only_in_places)) = uses.get_mut(self.text(node)) {
                    if !within(node, *declaration) {
                        let in_places = places.iter().any(|p| within(node, *p));
                        *only_in_places = Some(only_in_places.unwrap_or(true) && in_places);
                    }
                }
            }
            stack.extend(node.named_children(&mut cursor));
        }
        uses.into_values()
            .filter(|(_, only_in_places)| *only_in_places == Some(true))
            .map(|(declaration, _)| declaration)
            .collect()
    }

    fn push_frame(&mut self, node: Node, kind: FrameKind) {
        self.frames.push(Frame {
            owner: node.id(),
            kind,
            vars: Vec::new(),
            methods: Vec::new(),
        });
    }

    /// Records the fields and methods of a class body before its members
    /// are walked, since a method may use a field declared below it.
    fn prescan_body(&mut self, body: Node<'a>) {
        let g = grammar();
        let class = self.current_class().map(str::to_string);
        let mut members: Vec<Node> = body.named_children(&mut body.walk()).collect();
        let mut initialized: Vec<(String, Node<'a>)> = Vec::new();
        let mut methods: Vec<Node<'a>> = Vec::new();
        let mut nested_types: Vec<Node<'a>> = Vec::new();
        let mut i = 0;
        while i < members.len() {
            let m = members[i];
            i += 1;
            match kind(m) {
                K::EnumBodyDecls => members.extend(m.named_children(&mut m.walk())),
                K::MethodDecl => {
                    methods.push(m);
                    if let Some(name) = field(m, g.f_name) {
                        let name = self.text(name);
                        self.names.push(name_hash(name));
                        if let Some(frame) = self.frames.last_mut() {
                            frame.methods.push(name.to_string());
                        }
                    }
                }
                K::FieldDecl => {
                    let ty = field(m, g.f_type).and_then(|t| self.resolve_type_node(t));
                    let mut cursor = m.walk();
                    let declarators: Vec<Node> = m
                        .children_by_field_name("declarator", &mut cursor)
                        .collect();
                    for d in declarators {
                        let Some(name) = field(d, g.f_name) else {
                            continue;
                        };
                        let name = self.text(name);
                        let value = field(d, g.f_value);
                        self.declare(name, ty.clone(), value);
                        if let Some(class) = &class {
                            self.names.push(name_hash(name));
                            let key = format!("{class}.{name}");
                            if let Some(v) = value {
                                initialized.push((key.clone(), v));
                            }
                            if let Some(var) =
                                self.frames.last_mut().and_then(|f| f.vars.last_mut())
                            {
                                var.field = Some(key);
                            }
                        }
                    }
                }
                K::TypeDecl => {
                    nested_types.push(m);
                    if let Some(name) = field(m, g.f_name) {
                        let name = self.text(name);
                        let fqn = self.nested_name(name);
                        self.declared.insert(name.to_string(), fqn);
                    }
                }
                _ => {}
            }
        }
        // Initializers are followed once every member is known: one may
        // call a method declared below it.
        for (key, value) in initialized {
            self.record_member(&key, value);
        }
        if let Some(class) = &class {
            self.class_bodies.insert(body.id(), body);
            // Worked out once: a `main()` is known by its whole class.
            let mains: Vec<Node<'a>> = methods
                .iter()
                .copied()
                .filter(|m| self.is_main(*m))
                .collect();
            let is_main = |m: Node| mains.iter().any(|main| main.id() == m.id());
            let simple = class.rsplit('.').next().unwrap_or(class);
            let runs: HashSet<usize> = body
                .parent()
                .map(|declaration| {
                    command_line::handed_runs(declaration, &methods, &mains, self.src)
                })
                .unwrap_or_default()
                .iter()
                .map(|m| m.id())
                .collect();
            // Methods handed a parsed command line are a command's entries
            // in a command's class: one with a `main()` of its own (the
            // application's main class aside, which lib.rs keeps) or one a
            // launcher finds through a generated service list (Accumulo's
            // `@AutoService(KeywordExecutable.class)` behind `accumulo
            // <keyword>`), or a framework's command (Dropwizard's). A
            // server's class its application's `main()` hands the options
            // to is no command.
            let a_command = !mains.is_empty()
                || body.parent().is_some_and(|declaration| {
                    owner::active_annotations(declaration, self.src).contains(&"AutoService")
                        || self.extends_a_command(declaration, simple)
                });
            let parsed: HashSet<usize> = methods
                .iter()
                .filter(|m| a_command && self.takes_parsed_command_line(**m))
                .map(|m| m.id())
                .collect();
            // A command's usage text: in a class with a `main()`, or, named
            // with a verb of printing, anywhere (Paimon's action factories'
            // `printHelp()`, which its launcher calls on `--help`).
            let usage: Vec<usize> = methods
                .iter()
                .filter(|m| command_line::prints_usage(**m, self.src, mains.is_empty()))
                .map(|m| m.id())
                .collect();
            // A class a framework makes is a service's, whatever its name;
            // the project's own annotations (Gobblin's `@Alias`, which its
            // command dispatcher reads) make nothing.
            let framework_made = || {
                body.parent().is_some_and(|declaration| {
                    owner::active_annotations(declaration, self.src)
                        .iter()
                        .any(|a| {
                            !self
                                .resolve_simple(a)
                                .is_some_and(|t| self.is_project_type(&t))
                        })
                })
            };
            // A method returning a parsed command line parses the
            // program's arguments (a nested options enum's `parse(parser,
            // args)`): what it prints answers whoever started the program.
            // In a program's file (a `main()` in it) and not a class a
            // framework makes: a service's `CommandLine parse(String)` is
            // no start's.
            let parses: Vec<usize> = if self.src.contains("void main(") && !framework_made() {
                methods
                    .iter()
                    .filter(|m| self.returns_parsed_command_line(**m))
                    .map(|m| m.id())
                    .collect()
            } else {
                Vec::new()
            };
            let named_cli = command_line::named_cli(simple)
                && (!mains.is_empty()
                    || methods
                        .iter()
                        .any(|m| command_line::command_entry(*m, self.src)))
                && !framework_made();
            // A program in a package named for command-line programs
            // (`org.apache.drill.yarn.client.DrillOnYarn`,
            // `org.apache.storm.command.Rebalance`) is one too, where no
            // service uses it (the command-only graph settles that).
            let program_package = !mains.is_empty()
                && crate::named_places::names_programs(&self.package)
                && !framework_made();
            let main_only = self.only_reached_from(body, &methods, &is_main, false);
            let entry_only = if runs.is_empty() && parsed.is_empty() {
                Vec::new()
            } else {
                let is_entry =
                    |m: Node| is_main(m) || runs.contains(&m.id()) || parsed.contains(&m.id());
                self.only_reached_from(body, &methods, &is_entry, false)
            };
            if self.c.rules.iter().any(|r| r.never_runs.is_some()) {
                // Through methods only `main()` calls, too: what a
                // generator `main()` calls calls the rest.
                let mut reached = main_only.clone();
                let mut called = Vec::new();
                loop {
                    let more = self.called_here_only_from(body, &methods, &is_main, &reached);
                    if more.is_empty() {
                        break;
                    }
                    reached.extend(&more);
                    called.extend(more);
                }
                for name in called {
                    self.main_calls_here.insert(format!("{class}.{name}()"));
                }
            }
            for name in main_only.iter().chain(&entry_only) {
                self.command_line_only.insert(format!("{class}.{name}()"));
            }
            // A nested type that only `main()` and the methods only it
            // reaches name (Carbonio's `ICalTimeZone.SelfTest`, which a
            // self-test `main()` runs by hand) is developer code like them.
            if !mains.is_empty() {
                let entries: Vec<Node> = methods
                    .iter()
                    .copied()
                    .filter(|m| {
                        is_main(*m)
                            || field(*m, g.f_name).is_some_and(|n| {
                                let name = self.text(n);
                                main_only.contains(&name) || entry_only.contains(&name)
                            })
                    })
                    .collect();
                for nested in self.named_only_in(&nested_types, &entries) {
                    if let Some(nested_body) = nested.child_by_field_name("body") {
                        self.command_bodies
                            .insert(nested_body.id(), CommandLine::OnlyEntriesUse);
                    }
                }
            }
            // The file is a command's when its top-level class takes a
            // command line (a nested `…Cli` of a service is not the file's).
            let top_level = body
                .parent()
                .and_then(|declaration| declaration.parent())
                .is_some_and(|p| p.kind() == "program");
            // A class annotated as a command (picocli's `@Command`), not a
            // server's that a command starts and keeps running.
            let declared_command = !crate::named_places::names_a_server(simple)
                && body.parent().is_some_and(|declaration| {
                    owner::annotation_nodes(declaration, self.src)
                        .iter()
                        .filter_map(|(_, a)| a.child_by_field_name("name"))
                        .any(|name| self.is_command_annotation(self.text(name)))
                });
            // A window of a desktop toolkit (OpenTripPlanner's
            // `GraphVisualizer`, which its server opens on `--visualize`):
            // a desktop program, with a `main()` of its own.
            let window = body
                .parent()
                .is_some_and(|declaration| self.is_desktop_window(declaration));
            let desktop = window && !mains.is_empty();
            self.top_level_command |= top_level
                && (!runs.is_empty()
                    || !parsed.is_empty()
                    || named_cli
                    || declared_command
                    || program_package
                    || desktop);
            self.command_line_methods
                .extend(runs.into_iter().map(|m| (m, CommandLine::HandedRun)));
            self.command_line_methods
                .extend(usage.into_iter().map(|m| (m, CommandLine::Usage)));
            self.command_line_methods
                .extend(parsed.into_iter().map(|m| (m, CommandLine::HandedParse)));
            self.command_line_methods
                .extend(parses.into_iter().map(|m| (m, CommandLine::Parser)));
            if named_cli {
                self.command_bodies.insert(body.id(), CommandLine::NamedCli);
            } else if declared_command {
                self.command_bodies
                    .insert(body.id(), CommandLine::DeclaredCommand);
            } else if window {
                self.command_bodies
                    .insert(body.id(), CommandLine::DesktopWindow);
            }
            if self.c.rules.iter().any(|r| r.start_up.is_some()) {
                let is_hook = |m: Node| start_up::hook(m, false, self.src).is_some();
                for name in self.only_reached_from(body, &methods, &is_hook, true) {
                    self.start_only.insert(format!("{class}.{name}()"));
                }
            }
        }
    }

    /// A name in the code: a use of a pending import, unless it is in the
    /// signature of a method an interface imposes.
    fn on_name_use(&mut self, node: Node) {
        let name = self.text(node);
        if !self.pending_imports.iter().any(|p| p.simple == name) {
            return;
        }
        // After a dot (`org.slf4j.Logger`, `a.Logger`) the name is its
        // qualifier's member, not the imported one.
        let qualified = node.parent().is_some_and(|p| {
            matches!(p.kind(), "scoped_type_identifier" | "field_access")
                && p.named_child(0)
                    .is_some_and(|first| first.id() != node.id())
        });
        if qualified {
            return;
        }
        let in_signature = self.in_get_parent_logger(node);
        // Walked up only while a use outside fields may still be the first.
        let asks = self
            .pending_imports
            .iter()
            .any(|p| p.simple == name && !p.outside_fields);
        let fields = if in_signature || !asks {
            Vec::new()
        } else {
            self.private_fields_declared_around(node)
        };
        for p in self.pending_imports.iter_mut().filter(|p| p.simple == name) {
            if in_signature {
                p.in_signature = true;
            } else {
                p.used = true;
                p.outside_fields |= fields.is_empty();
                for f in &fields {
                    if !p.fields.contains(f) {
                        p.fields.push(f.clone());
                    }
                }
            }
        }
    }

    /// The names a private field declaration around `node` declares
    /// (`private static Logger LOGGER = Logger.getLogger(..)`), none
    /// outside one.
    fn private_fields_declared_around(&self, node: Node) -> Vec<String> {
        let mut current = node;
        while let Some(parent) = current.parent() {
            match kind(parent) {
                K::FieldDecl if self.has_modifier(parent, "private") => {
                    let mut cursor = parent.walk();
                    return parent
                        .children_by_field_name("declarator", &mut cursor)
                        .filter_map(|d| d.child_by_field_name("name"))
                        .map(|n| self.text(n).to_string())
                        .collect();
                }
                K::FieldDecl | K::Block | K::ClassBody | K::Lambda => return Vec::new(),
                _ => current = parent,
            }
        }
        Vec::new()
    }

    /// A value going into a static field this file reads elsewhere (a read
    /// in its own class is no reported use) goes where those reads take
    /// it, when the walk followed each of them (a host name a class keeps
    /// in a constant only to log it); otherwise it is used, and its
    /// finding keeps its level. Any other occurrence of the field's name
    /// counts as a read.
    fn keep_fields_read_here(&mut self) {
        let mut out = std::mem::take(&mut self.out);
        for f in out.iter_mut().filter(|f| !f.feeds.is_empty()) {
            if self.settle_own_fields(f).is_none() {
                continue;
            }
            let read_here = f.feeds.iter().any(|key| {
                !key.ends_with("()")
                    && key
                        .rsplit('.')
                        .next()
                        .is_some_and(|name| self.identifier_count(name) > 1)
            });
            if read_here {
                f.feeds.clear();
            }
        }
        self.out = out;
    }

    /// Why the code at `node` never runs, for a rule with a `never_runs`
    /// level (only those look: the pack is part of the cache key).
    fn never_runs(&self, rule: usize, node: Node) -> Option<String> {
        self.c.rules[rule].never_runs?;
        let up: Vec<Node> = self.ancestors(node).collect();
        never_runs::never_runs(node, &up, self.src).or_else(|| self.unreached_private_at(node))
    }

    /// Why the code at `node` never runs when it lies in a private method
    /// only other such methods of its class call.
    fn unreached_private_at(&self, node: Node<'a>) -> Option<String> {
        let method = self.ancestors(node).find(|n| kind(*n) == K::MethodDecl)?;
        let known = self.unreached_methods.borrow().get(&method.id()).cloned();
        known.unwrap_or_else(|| {
            let found = self.unreached_private_method(method);
            self.unreached_methods
                .borrow_mut()
                .insert(method.id(), found.clone());
            found
        })
    }

    /// Why `method` never runs, when it is a private method only other
    /// such methods of its class call.
    fn unreached_private_method(&self, method: Node) -> Option<String> {
        let g = grammar();
        let body = *self.class_bodies.get(&method.parent()?.id())?;
        let class = field(body.parent()?, g.f_name).map(|n| self.text(n))?;
        let name = &self.src[field(method, g.f_name)?.byte_range()];
        // A method its file names only where it declares it has no caller
        // here to make a cycle with (what calls it is the name search's).
        if !owner::has_modifier(method, self.src, "private") || self.identifier_count(name) < 2 {
            return None;
        }
        let mut memo = self.unreached.borrow_mut();
        let unreached = memo.entry(body.id()).or_insert_with(|| {
            let mut cursor = body.walk();
            let methods: Vec<Node<'a>> = body
                .named_children(&mut cursor)
                .filter(|m| kind(*m) == K::MethodDecl)
                .collect();
            self.unreached_private(body, &methods)
                .into_iter()
                // A name in a string may be called by reflection.
                .filter(|name| !self.src.contains(&format!("\"{name}\"")))
                .map(str::to_string)
                .collect()
        });
        unreached.contains(name).then(|| {
            format!("in {class}.{name}(), a private method only private methods nothing else calls reach: it never runs")
        })
    }

    /// The logger call beside the console output at `node` that records
    /// it too, for a rule with an `also_logged` level.
    fn also_logged(&self, rule: usize, node: Node) -> Option<String> {
        self.c.rules[rule]
            .also_logged
            .and_then(|_| also_logged::repeated(node, self.src))
    }

    /// Where the code at `node` runs once, at start or as the process
    /// ends, for a rule with a `start_up` level.
    fn start_up(&self, rule: usize, node: Node) -> Option<String> {
        self.c.rules[rule].start_up?;
        start_up::start_up_hook(node, self.src).or_else(|| {
            if start_up::repeats_in_its_method(node) {
                return None;
            }
            self.frames.iter().find_map(|f| match &f.kind {
                FrameKind::Method(Some(key))
                    if self.start_only.contains(crate::summary::overloads_key(key).as_ref()) =>
                {
                    // `Class.method()`, its package left out.
                    let key = crate::summary::overloads_key(key);
                    let mut parts = key.rsplitn(3, '.');
                    let (method, class) = (parts.next()?, parts.next()?);
                    Some(format!(
                        "in {class}.{method}, which only a start-up hook of its class calls: it runs once, when the application starts"
                    ))
                }
                _ => None,
            })
        })
        .or_else(|| {
            start_up::notice_after_start(node, self.src, |m| self.starts_application(m))
        })
        .or_else(|| start_up::named_notice(node, self.src))
        .or_else(|| start_up::switched_banner(node, self.src))
        .or_else(|| start_up::last_words(node, self.src))
    }

    /// The code `node` sits in, when only a reference by name runs it,
    /// for a rule with a `never_runs` level.
    fn owner(&self, rule: usize, node: Node) -> Option<CodeOwner> {
        self.c.rules[rule].never_runs?;
        let nests_a_type = |class: Node| {
            *self
                .nested_types
                .borrow_mut()
                .entry(class.id())
                .or_insert_with(|| owner::declares_nested_type(class, self.src))
        };
        let place = owner::owner_place(self.ancestors(node))?;
        let known = self.owners.borrow().get(&place.key()).cloned();
        let mut owner = match known {
            Some(owner) => owner,
            None => {
                let name_counts = |class: Node| {
                    self.name_counts
                        .borrow_mut()
                        .entry(class.id())
                        .or_insert_with(|| std::rc::Rc::new(owner::NameCounts::of(class, self.src)))
                        .clone()
                };
                let owner =
                    owner::owner(&place, self.src, &nests_a_type, &name_counts).map(|mut owner| {
                        // A main() that starts Spring (or hands over to a
                        // method that does) starts the service itself.
                        owner.program = owner.program
                            && !owner::main_method(place.class, self.src)
                                .is_some_and(|m| self.starts_application(m));
                        // A private method runs when the one method
                        // reaching it does.
                        owner.reached_only_from = place
                            .own_method()
                            .filter(|m| owner.method.is_some() && self.has_modifier(*m, "private"))
                            .and_then(|m| self.private_entry(place.class, m))
                            .and_then(|entry| {
                                let at = owner::OwnerPlace::of_method(entry, place.class);
                                owner::owner(&at, self.src, &nests_a_type, &name_counts)
                            })
                            .filter(|o| o.method.is_some() && o.property.is_none())
                            .map(|mut o| {
                                o.reached_only_from = None;
                                Box::new(o)
                            });
                        // A static method runs when one of the methods of
                        // its class calling it does, if each is reached
                        // only by its name.
                        if let Some(method) =
                            owner.method.as_deref().filter(|_| owner.static_method)
                        {
                            let (callers, calls) = self
                                .own_callers
                                .borrow_mut()
                                .entry(place.class.id())
                                .or_insert_with(|| {
                                    owner::own_callers(place.class, self.src, &owner.class)
                                })
                                .get(method)
                                .map(|(ids, calls)| (owner::members(place.class, ids), *calls))
                                .unwrap_or_default();
                            let callers: Option<Vec<CodeOwner>> = callers
                                .into_iter()
                                .map(|c| {
                                    let at = owner::OwnerPlace::of_method(c, place.class);
                                    owner::owner(&at, self.src, &nests_a_type, &name_counts)
                                        .filter(|o| o.method.is_some() && o.property.is_none())
                                })
                                .collect();
                            if let Some(callers) = callers.filter(|c| !c.is_empty()) {
                                owner.callers_here = callers;
                                owner.calls_from_callers = calls;
                            }
                        }
                        owner
                    });
                self.owners.borrow_mut().insert(place.key(), owner.clone());
                owner
            }
        }?;
        let method = self.frames.iter().rev().find_map(|f| match &f.kind {
            FrameKind::Method(key) => Some(key.as_ref()),
            _ => None,
        });
        owner.only_main_calls_here = owner.method.is_some()
            && method.flatten().is_some_and(|key| {
                self.main_calls_here
                    .contains(crate::summary::overloads_key(key).as_ref())
            });
        Some(owner)
    }

    /// The one other method of a top-level class that reaches its private
    /// method `method`, through private methods alone (worked out once a
    /// class, when a finding asks).
    fn private_entry(&self, class: Node<'a>, method: Node<'a>) -> Option<Node<'a>> {
        let g = grammar();
        let name = self.text(field(method, g.f_name)?);
        let body = class.child_by_field_name("body")?;
        let mut cursor = body.walk();
        let methods: Vec<Node<'a>> = body
            .named_children(&mut cursor)
            .filter(|m| kind(*m) == K::MethodDecl)
            .collect();
        let entry = *self
            .private_entries
            .borrow_mut()
            .entry(class.id())
            .or_insert_with(|| {
                self.private_entry_methods(body, &methods)
                    .into_iter()
                    .map(|(p, e)| (p.to_string(), e))
                    .collect()
            })
            .get(name)?;
        methods.into_iter().find(|m| m.id() == entry)
    }

    fn report(&mut self, rule: usize, node: Node, detail: String) {
        self.push_finding(RawFinding {
            rule,
            start: node.start_byte(),
            end: node.end_byte(),
            detail,
            never_runs: self.never_runs(rule, node),
            start_up: self.start_up(rule, node),
            also_logged: self.also_logged(rule, node),
            debugging: self.debugging(rule, node),
            owner: self.owner(rule, node),
            ..RawFinding::default()
        });
    }

    /// Why the code at `node` is debugging output, for a rule with a
    /// `console_class` level: printing is what it is for. In a method named
    /// for debugging (`debugPrint`, `printDebugInfo`: a word of its name is
    /// `debug`), not one a framework calls by an annotation (`@Scheduled`),
    /// which runs whether or not anyone debugs; or in the branch of an `if`
    /// whose condition names debugging and negates nothing
    /// (`if (CalciteSystemProperty.DEBUG.value())`, `if (debug)`), which a
    /// person turns on.
    fn debugging(&self, rule: usize, node: Node) -> Option<String> {
        self.c.rules[rule].console_class?;
        let up = || {
            std::iter::successors(node.parent(), |n| n.parent())
                .take_while(|n| !matches!(n.kind(), "class_body" | "lambda_expression"))
        };
        let mut at = node;
        for parent in up() {
            if parent.kind() == "if_statement"
                && parent
                    .child_by_field_name("consequence")
                    .is_some_and(|c| c.id() == at.id())
            {
                let condition = parent
                    .child_by_field_name("condition")
                    .map_or("", |c| self.text(c));
                let debug = condition
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|name| crate::ip::name_words(name).any(|w| w == "debug"));
                if debug && !condition.contains('!') {
                    let shown = condition
                        .strip_prefix('(')
                        .and_then(|c| c.strip_suffix(')'))
                        .unwrap_or(condition);
                    return Some(format!("in a branch only debugging turns on (`if ({shown})`): printing is what debugging asks for, and a person turns it on"));
                }
            }
            at = parent;
        }
        let method = up().find(|n| n.kind() == "method_declaration")?;
        let called_by_annotation = owner::annotation_nodes(method, self.src)
            .iter()
            .any(|(name, _)| owner::names_a_callback(name));
        if called_by_annotation {
            return None;
        }
        let name = self.text(method.child_by_field_name("name")?);
        crate::ip::name_words(name).any(|w| w == "debug").then(|| {
            format!("in {name}(), a method named for debugging: printing is its job, and a person calls it while debugging")
        })
    }

    /// Records a finding unless the same rule was just reported at the same
    /// place (one node can satisfy several matchers of a rule).
    pub(super) fn push_finding(&mut self, mut finding: RawFinding) {
        let main_at = self.frames.iter().position(|f| f.kind == FrameKind::Main);
        let nested = main_at.is_some_and(|at| {
            self.frames[..at]
                .iter()
                .filter(|f| matches!(f.kind, FrameKind::Class(_)))
                .count()
                > 1
        });
        let only_entries_reach = self.frames.iter().any(
            |f| matches!(&f.kind, FrameKind::Method(Some(key)) if self.command_line_only.contains(crate::summary::overloads_key(key).as_ref())),
        );
        let command_line_method = self
            .frames
            .iter()
            .find_map(|f| self.command_line_methods.get(&f.owner));
        finding.command_line = if main_at.is_some() {
            Some(if nested {
                CommandLine::NestedMain
            } else {
                CommandLine::Main
            })
        } else if only_entries_reach {
            Some(CommandLine::OnlyEntriesReach)
        } else if let Some(method) = command_line_method {
            Some(*method)
        } else if let Some(command) = self
            .frames
            .iter()
            .find_map(|f| self.command_bodies.get(&f.owner))
        {
            Some(*command)
        } else if self.drives_code_generator && !self.in_managed_class {
            Some(CommandLine::CodeGenerator)
        } else if self.is_shell_command {
            Some(CommandLine::ShellCommand)
        } else {
            None
        };
        if self
            .out
            .iter()
            .rev()
            .take(4)
            .any(|f| f.rule == finding.rule && f.start == finding.start)
        {
            return;
        }
        self.out.push(finding);
    }
}

/// How many parameters a method declaration takes; `None` when it takes
/// varargs (`String... names`), which calls of any arity reach.
fn parameter_count(method: Node) -> Option<usize> {
    let Some(list) = field(method, grammar().f_parameters) else {
        return Some(0);
    };
    let mut count = 0;
    for p in list.named_children(&mut list.walk()) {
        match p.kind() {
            "spread_parameter" => return None,
            "formal_parameter" => count += 1,
            _ => {}
        }
    }
    Some(count)
}

/// Whether a node of this kind bounds the code that runs with what it
/// holds: a method, a constructor, a lambda, a class body.
pub(super) fn is_code_boundary(kind: &str) -> bool {
    matches!(
        kind,
        "method_declaration" | "constructor_declaration" | "lambda_expression" | "class_body"
    )
}

/// Java source without its comments (strings are not told apart: what is
/// looked for is never in one).
pub(crate) fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('/') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if after.starts_with("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else if let Some(body) = after.strip_prefix("/*") {
            rest = body.find("*/").map_or("", |end| &body[end + 2..]);
        } else {
            out.push('/');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

/// How many times each whole identifier occurs in `text`, for the names
/// [`word_count`] would be asked of many times over one text.
pub(crate) fn identifier_counts(text: &str) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for word in text.split(|c: char| !is_identifier_char(c)) {
        if !word.is_empty() {
            *counts.entry(word).or_default() += 1;
        }
    }
    counts
}

/// [`identifier_counts`], kept apart from the text.
fn owned_counts(text: &str) -> HashMap<String, usize> {
    identifier_counts(text)
        .into_iter()
        .map(|(word, n)| (word.to_string(), n))
        .collect()
}

fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// How many times `word` occurs in `text` as a whole identifier.
pub(crate) fn word_count(text: &str, word: &str) -> usize {
    word_offsets(text, word).count()
}

/// The byte offsets where `word` occurs in `text` as a whole identifier.
fn word_offsets<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    text.match_indices(word).map(|(i, _)| i).filter(move |&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_identifier_char) && !after.is_some_and(is_identifier_char)
    })
}
