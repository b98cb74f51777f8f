//! A program's command line beyond its `main()`: the `run(String[])` its
//! `main()` hands the arguments to (Hadoop's `ToolRunner.run(conf, new
//! SegmentReader(), args)`, `System.exit(new StoreCli().run(args))`), a
//! class named for a command-line interface (`DecryptCli`,
//! `StateStoreDBCLI`) that takes a command line, and the usage text of a
//! class taking one (`usage()`, `printHelp()`), and a method handed a
//! parsed command line (`execute(JCommander cl, Opts opts)`). What they
//! print is the command's answer on an operator's terminal: usage text, a
//! report.

use tree_sitter::Node;

use super::flow::{each_in, first_in};
use super::owner::supertypes;
use super::Pass;
use crate::ip::name_words;

/// The supertypes that make a class a command-line tool: Hadoop's
/// `Tool`, whose `run(String[])` takes the command line, and
/// `Configured`, its usual base.
const TOOL_SUPERTYPES: [&str; 2] = ["Tool", "Configured"];

/// The methods of a class body taking a command line (`run(String[] args)`)
/// that one of its `mains` hands its arguments to — a call of `run` given
/// the `main()`'s parameter and, as its receiver or another argument, an
/// instance of the class itself (`this`, `new SegmentReader()`) or the
/// class to make one (`run(DistcpMain.class, args)`) — when the class is a
/// command, not a server started so: the `main()` exits with what `run`
/// returns (`System.exit(ToolRunner.run(…))`, or through a local), hands
/// its class to a launcher that makes it and runs it once (Oozie's
/// `LauncherMain.run(Class, String[])`), the class is a Hadoop tool, or
/// it is named for a command-line interface.
pub(super) fn handed_runs<'a>(
    class: Node<'a>,
    methods: &[Node<'a>],
    mains: &[Node<'a>],
    src: &str,
) -> Vec<Node<'a>> {
    let Some(name) = class
        .child_by_field_name("name")
        .map(|n| &src[n.byte_range()])
    else {
        return Vec::new();
    };
    let runs: Vec<Node<'a>> = methods
        .iter()
        .copied()
        .filter(|m| method_name(*m, src) == Some("run") && takes_command_line(*m, src))
        .collect();
    if runs.is_empty() {
        return runs;
    }
    let a_command = || {
        named_cli(name)
            || supertypes(class, src)
                .iter()
                .any(|t| TOOL_SUPERTYPES.contains(t))
    };
    let handed = mains.iter().any(|main| {
        handing_call(*main, name, src).is_some_and(|call| {
            exits_with(*main, call, src) || hands_its_class(call, name, src) || a_command()
        })
    });
    if handed {
        runs
    } else {
        Vec::new()
    }
}

/// Whether a method's name says it prints a command line's usage: words
/// of `print`, `show`, `display`, `default`, `and`, `exit`, `config`,
/// `options`, `command` around `usage` or `help` (`usage`, `printUsage`,
/// `printUsageAndExit`, `displayHelp`, `printDefaultHelp`, `configHelp`;
/// not `reportHeapUsage`). `said_aloud`: only a name
/// with a verb of printing (`printHelp`, not `usage`), which says so
/// wherever its class lies.
pub(super) fn prints_usage(method: Node, src: &str, said_aloud: bool) -> bool {
    const VERBS: [&str; 3] = ["print", "show", "display"];
    // What the text is about (Geode's `AgentLauncher.configHelp`).
    const AROUND: [&str; 6] = ["default", "and", "exit", "config", "options", "command"];
    let Some(name) = method_name(method, src) else {
        return false;
    };
    let words: Vec<String> = name_words(name).collect();
    words.iter().any(|w| w == "usage" || w == "help")
        && (!said_aloud || words.iter().any(|w| VERBS.contains(&w.as_str())))
        && words.iter().all(|w| {
            w == "usage"
                || w == "help"
                || VERBS.contains(&w.as_str())
                || AROUND.contains(&w.as_str())
        })
}

/// Whether a class's simple name says it is a command-line interface
/// (`DecryptCli`, `FalconStateStoreDBCLI`, `Cli`, DSpace's
/// `EmbargoCLITool`).
pub(super) fn named_cli(class: &str) -> bool {
    class.ends_with("Cli")
        || class.ends_with("CLI")
        || class.contains("CLITool")
        || class.contains("CliTool")
}

/// Whether a method is the entry of a command line other than `main()`:
/// `run`, `execute` or `call` taking one array or varargs of strings.
pub(super) fn command_entry(method: Node, src: &str) -> bool {
    matches!(method_name(method, src), Some("run" | "execute" | "call"))
        && takes_command_line(method, src)
}

impl Pass<'_, '_> {
    /// Whether an annotation, as written (`Command`, `CommandLine.Command`
    /// or fully qualified), is one the pack says declares a command.
    pub(super) fn is_command_annotation(&self, written: &str) -> bool {
        if self.c.command_annotations.is_empty() {
            return false;
        }
        let (first, rest) = written.split_once('.').unwrap_or((written, ""));
        let resolved = match self.resolve_simple(first) {
            Some(fqn) if rest.is_empty() => fqn,
            Some(fqn) => format!("{fqn}.{rest}"),
            None => written.to_string(),
        };
        self.c.command_annotations.contains(&resolved)
    }

    /// Whether a class is a framework's command a person runs once: a
    /// supertype resolves to one of the pack's `command_supertypes`
    /// (Dropwizard's `Command`), or the class and a supertype of the
    /// repository are named for a command and not for a server or a
    /// service (`UnlinkDeviceCommand extends AbstractCommandWithDependencies`,
    /// not `MessagePersisterServiceCommand extends ServerCommand`).
    pub(super) fn extends_a_command(&self, class: Node, simple: &str) -> bool {
        if self.c.command_supertypes.is_empty() {
            return false;
        }
        let named_command = |name: &str| {
            let words: Vec<String> = name_words(name).collect();
            words.iter().any(|w| w == "command")
                && !words
                    .iter()
                    .any(|w| matches!(w.as_str(), "server" | "service"))
        };
        supertypes(class, self.src)
            .iter()
            .any(|t| match self.resolve_simple(t) {
                Some(fqn) if self.c.command_supertypes.contains(&fqn) => true,
                Some(fqn) if self.project.all.contains(&fqn) => {
                    simple.ends_with("Command") && named_command(simple) && named_command(t)
                }
                _ => false,
            })
    }

    /// Whether a class is a desktop window: it extends one of the pack's
    /// `desktop_windows` (a Swing `JFrame`). Its code runs where a display
    /// is; in a pod, making it fails (`HeadlessException`).
    pub(super) fn is_desktop_window(&self, class: Node) -> bool {
        supertypes(class, self.src).iter().any(|t| {
            self.resolve_simple(t)
                .is_some_and(|fqn| self.c.desktop_windows.contains(&fqn))
        })
    }

    /// Whether a method is handed a command line a parser has read: one of
    /// its parameters is of a type the pack lists (`JCommander`, Commons
    /// CLI's `CommandLine`).
    pub(super) fn takes_parsed_command_line(&self, method: Node) -> bool {
        let Some(list) = method.child_by_field_name("parameters") else {
            return false;
        };
        let mut cursor = list.walk();
        let parsed = list
            .named_children(&mut cursor)
            .filter(|p| p.kind() == "formal_parameter")
            .filter_map(|p| p.child_by_field_name("type"))
            .filter_map(|ty| self.resolve_type_node(ty))
            .any(|ty| self.c.parsed_command_lines.contains(&ty));
        parsed
    }

    /// Whether a method returns a command line a parser has read (a type
    /// the pack lists): it parses the program's arguments.
    pub(super) fn returns_parsed_command_line(&self, method: Node) -> bool {
        method
            .child_by_field_name("type")
            .and_then(|ty| self.resolve_type_node(ty))
            .is_some_and(|ty| self.c.parsed_command_lines.contains(&ty))
    }
}

/// Whether a method takes a command line: its one parameter is an array
/// or varargs of strings (`String[] args`, `String args[]`, `String... args`).
fn takes_command_line(method: Node, src: &str) -> bool {
    let Some(list) = method.child_by_field_name("parameters") else {
        return false;
    };
    let params: Vec<Node> = list
        .named_children(&mut list.walk())
        .filter(|p| matches!(p.kind(), "formal_parameter" | "spread_parameter"))
        .collect();
    let [param] = params.as_slice() else {
        return false;
    };
    let is_string = |t: &str| matches!(t, "String" | "java.lang.String");
    let mut cursor = param.walk();
    let children: Vec<Node> = param.named_children(&mut cursor).collect();
    match param.kind() {
        "spread_parameter" => children
            .iter()
            .find(|c| c.kind() != "modifiers")
            .is_some_and(|t| is_string(&src[t.byte_range()])),
        _ => {
            let Some(ty) = param.child_by_field_name("type") else {
                return false;
            };
            let ty = &src[ty.byte_range()];
            let array_named = children.iter().any(|c| c.kind() == "dimensions");
            ty.strip_suffix("[]")
                .map(str::trim_end)
                .is_some_and(is_string)
                || (array_named && is_string(ty))
        }
    }
}

fn method_name<'s>(method: Node, src: &'s str) -> Option<&'s str> {
    Some(&src[method.child_by_field_name("name")?.byte_range()])
}

/// The call of `run` in `main` given `main()`'s parameter and an instance
/// of `class` (as the receiver or another argument).
fn handing_call<'a>(main: Node<'a>, class: &str, src: &str) -> Option<Node<'a>> {
    let text = |n: Node| &src[n.byte_range()];
    let parameter = main
        .child_by_field_name("parameters")
        .and_then(|l| {
            l.named_children(&mut l.walk())
                .find(|p| matches!(p.kind(), "formal_parameter" | "spread_parameter"))
        })
        .and_then(|p| {
            p.child_by_field_name("name").or_else(|| {
                p.named_children(&mut p.walk())
                    .find(|c| c.kind() == "variable_declarator")
                    .and_then(|d| d.child_by_field_name("name"))
            })
        })
        .map(text)?;
    let this_class = |n: Node| match n.kind() {
        "this" => true,
        "object_creation_expression" => n.child_by_field_name("type").is_some_and(|t| {
            let ty = text(t);
            let ty = ty.split('<').next().unwrap_or(ty);
            ty.rsplit('.').next() == Some(class)
        }),
        _ => is_class_literal(n, class, src),
    };
    first_in(main.child_by_field_name("body")?, |node| {
        if node.kind() != "method_invocation"
            || node.child_by_field_name("name").map(text) != Some("run")
        {
            return false;
        }
        let arguments: Vec<Node> = node
            .child_by_field_name("arguments")
            .map(|a| a.named_children(&mut a.walk()).collect())
            .unwrap_or_default();
        let given = arguments
            .iter()
            .any(|a| a.kind() == "identifier" && text(*a) == parameter);
        let instance = node.child_by_field_name("object").is_none_or(this_class)
            || arguments.iter().any(|a| this_class(*a));
        given && instance
    })
}

/// Whether `call` is given the class itself (`run(DistcpMain.class, args)`):
/// a launcher makes the instance and runs it.
fn hands_its_class(call: Node, class: &str, src: &str) -> bool {
    call.child_by_field_name("arguments").is_some_and(|a| {
        a.named_children(&mut a.walk())
            .any(|n| is_class_literal(n, class, src))
    })
}

/// Whether a node is `Class.class` for `class` (`DistcpMain.class`).
fn is_class_literal(node: Node, class: &str, src: &str) -> bool {
    node.kind() == "class_literal"
        && node.named_child(0).is_some_and(|t| {
            let ty = &src[t.byte_range()];
            ty.rsplit('.').next() == Some(class)
        })
}

/// Whether `main` exits with what `call` returns: `System.exit(…)` holds
/// the call, or a local the call's value was declared with.
fn exits_with(main: Node, call: Node, src: &str) -> bool {
    let text = |n: Node| &src[n.byte_range()];
    let Some(body) = main.child_by_field_name("body") else {
        return false;
    };
    let holds_call =
        |n: Node| n.start_byte() <= call.start_byte() && call.end_byte() <= n.end_byte();
    // The locals declared with the call's value (`int res = ToolRunner.run(…)`).
    let mut locals: Vec<&str> = Vec::new();
    each_in(body, |n| {
        if n.kind() == "variable_declarator"
            && n.child_by_field_name("value").is_some_and(holds_call)
        {
            locals.extend(n.child_by_field_name("name").map(text));
        }
    });
    let exit = |n: Node| {
        n.kind() == "method_invocation"
            && n.child_by_field_name("name").map(text) == Some("exit")
            && n.child_by_field_name("object").map(text) == Some("System")
    };
    // Or with the code an exception thrown by the call carries: a catch
    // around it ends the process (Carbonio's `MimeDetect`, whose
    // `run(args)` throws a `CommandExitException`).
    let exits_on_catch = std::iter::successors(call.parent(), |n| n.parent())
        .take_while(|n| n.id() != body.id())
        .filter(|n| n.kind() == "try_statement")
        .any(|t| {
            t.named_children(&mut t.walk())
                .filter(|c| c.kind() == "catch_clause")
                .any(|c| first_in(c, exit).is_some())
        });
    exits_on_catch
        || first_in(body, |n| {
            exit(n)
                && n.child_by_field_name("arguments").is_some_and(|arguments| {
                    holds_call(arguments)
                        || arguments
                            .named_children(&mut arguments.walk())
                            .any(|a| a.kind() == "identifier" && locals.contains(&text(a)))
                })
        })
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::java::JavaParser;

    fn runs_handed(src: &str) -> usize {
        let tree = JavaParser::new().parse(src).expect("parses");
        let class = tree
            .root_node()
            .named_children(&mut tree.root_node().walk())
            .find(|n| n.kind() == "class_declaration")
            .expect("a class");
        let body = class.child_by_field_name("body").expect("a body");
        let methods: Vec<Node> = body
            .named_children(&mut body.walk())
            .filter(|m| m.kind() == "method_declaration")
            .collect();
        let mains: Vec<Node> = methods
            .iter()
            .copied()
            .filter(|m| method_name(*m, src) == Some("main"))
            .collect();
        handed_runs(class, &methods, &mains, src).len()
    }

    #[test]
    fn main_hands_its_arguments_to_the_class_s_own_run() {
        let tool = "class Reader extends Configured implements Tool {
            public int run(String[] args) { return 0; }
            public static void main(String[] args) throws Exception {
                ToolRunner.run(NutchConfiguration.create(), new Reader(), args);
            }
        }";
        assert_eq!(runs_handed(tool), 1);
        let exits = "class Store {
            public int run(String... argv) { return 0; }
            public static void main(String[] argv) { System.exit(new Store().run(argv)); }
        }";
        assert_eq!(runs_handed(exits), 1);
        let through_a_local = "class Db {
            public int run(final String argv[]) { return 0; }
            public static void main(String a[]) {
                int res = new Db().run(a);
                System.exit(res);
            }
        }";
        assert_eq!(runs_handed(through_a_local), 1);
        let launched = "class DistcpMain extends JavaMain {
            protected void run(String[] args) { }
            public static void main(String[] args) throws Exception { run(DistcpMain.class, args); }
        }";
        assert_eq!(runs_handed(launched), 1);
        let named = "class StoreCli {
            public void run(String[] args) { }
            public static void main(String[] args) { new StoreCli().run(args); }
        }";
        assert_eq!(runs_handed(named), 1);
        let exits_on_catch = "class Detect {
            public static void run(String[] args) throws CommandExit { }
            public static void main(String[] args) {
                try {
                    run(args);
                } catch (CommandExit e) {
                    System.exit(e.getExitCode());
                }
            }
        }";
        assert_eq!(runs_handed(exits_on_catch), 1);
        let server = "class Detect {
            public static void run(String[] args) throws Exception { }
            public static void main(String[] args) throws Exception {
                try {
                    run(args);
                } finally {
                    System.out.flush();
                }
            }
        }";
        assert_eq!(runs_handed(server), 0);
    }

    #[test]
    fn another_class_s_run_other_arguments_or_a_server_are_not_a_command_line() {
        let other = "class Launcher implements Tool {
            public int run(String[] args) { return 0; }
            public static void main(String[] args) throws Exception {
                ToolRunner.run(conf, new Indexer(), args);
            }
        }";
        assert_eq!(runs_handed(other), 0);
        let other_arguments = "class Job implements Tool {
            public int run(String[] args) { return 0; }
            public static void main(String[] args) { new Job().run(new String[] {\"x\"}); }
        }";
        assert_eq!(runs_handed(other_arguments), 0);
        let not_a_command_line = "class Job implements Tool {
            public int run(Map<String, Object> args) { return 0; }
            public static void main(String[] args) { new Job().run(args); }
        }";
        assert_eq!(runs_handed(not_a_command_line), 0);
        // A server whose main() hands on its arguments and never exits.
        let server = "class EchoServer {
            public void run(String[] args) { while (true) { accept(); } }
            public static void main(String[] args) { new EchoServer().run(args); }
        }";
        assert_eq!(runs_handed(server), 0);
    }

    #[test]
    fn a_class_named_for_a_command_line_interface() {
        assert!(named_cli("DecryptCli"));
        assert!(named_cli("FalconStateStoreDBCLI"));
        assert!(!named_cli("RedisClient"));
        assert!(!named_cli("Clinic"));
    }

    #[test]
    fn a_method_named_for_printing_the_usage() {
        let src = "class T { void usage() {} static void printUsage() {} void printHelp() {}
            void printUsageAndExit() {} void displayHelp() {} static void printDefaultHelp() {}
            void help() {} void helpers() {} void usageCount() {} void reportHeapUsage() {}
            long getDiskUsage() {} void printDefault() {} void configHelp() {} }";
        let tree = JavaParser::new().parse(src).expect("parses");
        let mut named: Vec<&str> = Vec::new();
        let mut aloud: Vec<&str> = Vec::new();
        each_in(tree.root_node(), |n| {
            if n.kind() == "method_declaration" && prints_usage(n, src, false) {
                named.extend(method_name(n, src));
            }
            if n.kind() == "method_declaration" && prints_usage(n, src, true) {
                aloud.extend(method_name(n, src));
            }
        });
        named.sort_unstable();
        assert_eq!(
            named,
            [
                "configHelp",
                "displayHelp",
                "help",
                "printDefaultHelp",
                "printHelp",
                "printUsage",
                "printUsageAndExit",
                "usage"
            ]
        );
        aloud.sort_unstable();
        assert_eq!(
            aloud,
            [
                "displayHelp",
                "printDefaultHelp",
                "printHelp",
                "printUsage",
                "printUsageAndExit"
            ]
        );
    }
}
