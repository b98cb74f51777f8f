//! A program's command line beyond its `main()`: the `run(String[])` its
//! `main()` hands the arguments to (Hadoop's `ToolRunner.run(conf, new
//! SegmentReader(), args)`, `new StoreCli().run(args)`), and a class named
//! for a command-line interface (`DecryptCli`, `StateStoreDBCLI`) that
//! takes a command line, and the usage text of a class taking one
//! (`usage()`, `printHelp()`). What they print is the command's answer on an
//! operator's terminal: usage text, a report.

use tree_sitter::Node;

/// The methods of a class body taking a command line (`run(String[] args)`)
/// that its `main()` hands its arguments to: a call of `run` given
/// `main()`'s parameter and, as its receiver or another argument, an
/// instance of the class itself (`this`, `new SegmentReader()`).
pub(super) fn handed_runs<'a>(
    class: &str,
    methods: &[Node<'a>],
    is_main: &dyn Fn(Node<'a>) -> bool,
    src: &str,
) -> Vec<Node<'a>> {
    let runs: Vec<Node<'a>> = methods
        .iter()
        .copied()
        .filter(|m| name(*m, src) == Some("run") && takes_command_line(*m, src))
        .collect();
    if runs.is_empty() {
        return runs;
    }
    let handed = methods
        .iter()
        .filter(|m| is_main(**m))
        .any(|main| hands_arguments_to_run(*main, class, src));
    if handed {
        runs
    } else {
        Vec::new()
    }
}

/// Whether a method's name says it prints a command line's usage
/// (`usage`, `printUsage`, `printHelp`).
pub(super) fn prints_usage(method: Node, src: &str) -> bool {
    name(method, src).is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n.ends_with("usage") || matches!(n.as_str(), "help" | "printhelp" | "showhelp")
    })
}

/// Whether a class's simple name says it is a command-line interface
/// (`DecryptCli`, `FalconStateStoreDBCLI`, `Cli`).
pub(super) fn named_cli(class: &str) -> bool {
    class.ends_with("Cli") || class.ends_with("CLI")
}

/// Whether a method takes a command line: its one parameter is an array
/// or varargs of strings (`String[] args`, `String args[]`, `String... args`).
pub(super) fn takes_command_line(method: Node, src: &str) -> bool {
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

fn name<'s>(method: Node, src: &'s str) -> Option<&'s str> {
    Some(&src[method.child_by_field_name("name")?.byte_range()])
}

/// Whether `main` calls `run` with its own parameter and an instance of
/// `class` (as the receiver or another argument).
fn hands_arguments_to_run(main: Node, class: &str, src: &str) -> bool {
    let text = |n: Node| &src[n.byte_range()];
    let Some(parameter) = main
        .child_by_field_name("parameters")
        .and_then(|l| {
            l.named_children(&mut l.walk())
                .find(|p| p.kind() == "formal_parameter")
        })
        .and_then(|p| p.child_by_field_name("name"))
        .map(text)
    else {
        return false;
    };
    let this_class = |n: Node| match n.kind() {
        "this" => true,
        "object_creation_expression" => n.child_by_field_name("type").is_some_and(|t| {
            let ty = text(t);
            let ty = ty.split('<').next().unwrap_or(ty);
            ty.rsplit('.').next() == Some(class)
        }),
        _ => false,
    };
    let Some(body) = main.child_by_field_name("body") else {
        return false;
    };
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if node.kind() == "method_invocation"
            && node.child_by_field_name("name").map(text) == Some("run")
        {
            let arguments: Vec<Node> = node
                .child_by_field_name("arguments")
                .map(|a| a.named_children(&mut a.walk()).collect())
                .unwrap_or_default();
            let given = arguments
                .iter()
                .any(|a| a.kind() == "identifier" && text(*a) == parameter);
            let instance = node.child_by_field_name("object").is_none_or(this_class)
                || arguments.iter().any(|a| this_class(*a));
            if given && instance {
                return true;
            }
        }
        stack.extend(node.named_children(&mut node.walk()));
    }
    false
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
        let name = &src[class
            .child_by_field_name("name")
            .expect("named")
            .byte_range()];
        let body = class.child_by_field_name("body").expect("a body");
        let methods: Vec<Node> = body
            .named_children(&mut body.walk())
            .filter(|m| m.kind() == "method_declaration")
            .collect();
        let is_main = |m: Node| super::name(m, src) == Some("main");
        handed_runs(name, &methods, &is_main, src).len()
    }

    #[test]
    fn main_hands_its_arguments_to_the_class_s_own_run() {
        let tool = "class Reader extends Configured implements Tool {
            public int run(String[] args) { return 0; }
            public static void main(String[] args) throws Exception {
                System.exit(ToolRunner.run(NutchConfiguration.create(), new Reader(), args));
            }
        }";
        assert_eq!(runs_handed(tool), 1);
        let direct = "class StoreCli {
            public int run(String... argv) { return 0; }
            public static void main(String[] argv) { new StoreCli().run(argv); }
        }";
        assert_eq!(runs_handed(direct), 1);
        let old_style = "class Db {
            public void run(final String argv[]) { }
            public static void main(String a[]) { new Db().run(a); }
        }";
        assert_eq!(runs_handed(old_style), 1);
    }

    #[test]
    fn another_class_s_run_or_other_arguments_are_not_handed_the_command_line() {
        let other = "class Launcher {
            public int run(String[] args) { return 0; }
            public static void main(String[] args) throws Exception {
                ToolRunner.run(conf, new Indexer(), args);
            }
        }";
        assert_eq!(runs_handed(other), 0);
        let other_arguments = "class Job {
            public int run(String[] args) { return 0; }
            public static void main(String[] args) { new Job().run(new String[] {\"x\"}); }
        }";
        assert_eq!(runs_handed(other_arguments), 0);
        let not_a_command_line = "class Job {
            public int run(Map<String, Object> args) { return 0; }
            public static void main(String[] args) { new Job().run(args); }
        }";
        assert_eq!(runs_handed(not_a_command_line), 0);
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
        let src = "class T { void usage() {} static void printUsage() {} void printHelp() {} void helpers() {} void usageCount() {} }";
        let tree = JavaParser::new().parse(src).expect("parses");
        let mut named = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "method_declaration" && prints_usage(n, src) {
                named.push(super::name(n, src).expect("named"));
            }
            stack.extend(n.named_children(&mut n.walk()));
        }
        named.sort_unstable();
        assert_eq!(named, ["printHelp", "printUsage", "usage"]);
    }
}
