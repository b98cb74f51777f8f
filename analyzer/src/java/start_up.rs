//! Code that runs once, when the application starts: a Spring runner's
//! `run` (`ApplicationRunner`, `CommandLineRunner`, also as a `@Bean`'s
//! lambda) and a listener of the events that say the application is up
//! (`ApplicationReadyEvent`, `ContextRefreshedEvent`…). What it prints is
//! a start-up notice (a banner, the port it listens on), not the
//! business's logs.

use tree_sitter::Node;

/// The runners Spring Boot calls once, after the context has started.
const RUNNERS: [&str; 2] = ["ApplicationRunner", "CommandLineRunner"];

/// The events that say the application has started.
const START_EVENTS: [&str; 5] = [
    "ApplicationReadyEvent",
    "ApplicationStartedEvent",
    "ContextRefreshedEvent",
    "WebServerInitializedEvent",
    "ServletWebServerInitializedEvent",
];

/// Why the code at `node` runs only when the application starts, when it
/// is in such a hook: the hook, as shown to people.
pub(super) fn start_up_hook(node: Node, src: &str) -> Option<String> {
    let (method, in_lambda) = enclosing_method(node, src)?;
    hook(method, in_lambda, src)
}

/// Why the code at `node` is a start-up notice by its method's name: one
/// that prints a banner or what the application says when it starts
/// (`printBanner`, `showStartupInfo`, `printSystemUpBanner`), or shows a
/// banner class (`CustomBanner.show`), outside loops and lambdas. A
/// business's banners (`refreshHomeBanners`, `HomeBannerController`) and
/// start-up probes are not printed.
pub(super) fn named_notice(node: Node, src: &str) -> Option<String> {
    const VERBS: [&str; 5] = ["print", "show", "log", "display", "output"];
    let text = |n: Node| &src[n.byte_range()];
    let (method, in_lambda) = enclosing_method(node, src)?;
    let class = method
        .parent()
        .filter(|b| b.kind() == "class_body")
        .and_then(|b| b.parent())?;
    let method = text(method.child_by_field_name("name")?);
    let class = text(class.child_by_field_name("name")?);
    let lower = method.to_ascii_lowercase();
    let prints = VERBS.iter().any(|v| lower.starts_with(v));
    let names_notice = ["banner", "startup", "started"]
        .iter()
        .any(|w| lower.contains(w))
        || class.ends_with("Banner");
    (prints && names_notice && !in_lambda).then(|| {
        format!("in {class}.{method}(), named as a start-up notice: it prints once, when the application starts")
    })
}

/// Why the code at `node` is a start-up banner: printed under an `if` on
/// a flag named for a banner (`if (banner)`, `if (props.isEnableBanner())`),
/// which a setting switches off, outside loops and lambdas. Libraries
/// print their logo so once, as they start (easy-es's `MapperScannerRegister`).
pub(super) fn switched_banner(node: Node, src: &str) -> Option<String> {
    if repeats_in_its_method(node) {
        return None;
    }
    let mut at = node;
    while let Some(parent) = at.parent() {
        match parent.kind() {
            "if_statement"
                if parent
                    .child_by_field_name("consequence")
                    .is_some_and(|c| c.id() == at.id()) =>
            {
                let condition = parent.child_by_field_name("condition")?;
                let text = src[condition.byte_range()]
                    .trim_start_matches('(')
                    .trim_start();
                let flag = text
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .find(|w| w.to_ascii_lowercase().contains("banner"));
                if let Some(flag) = flag.filter(|_| !text.starts_with('!')) {
                    return Some(format!(
                        "under `if ({flag}…)`, a start-up banner a setting switches off: it prints once, when the application starts"
                    ));
                }
            }
            "method_declaration" | "constructor_declaration" | "class_body" => return None,
            _ => {}
        }
        at = parent;
    }
    None
}

/// The method the code at `node` is in, and whether in a lambda there;
/// `None` when it is in a loop, a task that is scheduled, a constructor
/// or an initializer: code that runs on or again.
fn enclosing_method<'t>(node: Node<'t>, src: &str) -> Option<(Node<'t>, bool)> {
    let text = |n: Node| &src[n.byte_range()];
    let mut at = node;
    let mut in_lambda = false;
    let method = loop {
        at = at.parent()?;
        match at.kind() {
            "method_declaration" => break at,
            "lambda_expression" => {
                // A task a hook schedules runs on after the start.
                let scheduled = at
                    .parent()
                    .filter(|p| p.kind() == "argument_list")
                    .and_then(|p| p.parent())
                    .and_then(|call| call.child_by_field_name("name"))
                    .is_some_and(|name| text(name).to_ascii_lowercase().contains("schedule"));
                if scheduled {
                    return None;
                }
                in_lambda = true;
            }
            // A loop that waits for work is the work itself.
            "while_statement" | "do_statement" | "for_statement" | "enhanced_for_statement" => {
                return None
            }
            "constructor_declaration" | "class_body" | "enum_body" | "interface_body" => {
                return None
            }
            _ => {}
        }
    };
    Some((method, in_lambda))
}

/// Whether `node` sits, within its method, in a loop or a lambda: code
/// that may run again, or later, whenever the method is called.
pub(super) fn repeats_in_its_method(node: Node) -> bool {
    let mut at = node;
    while let Some(parent) = at.parent() {
        match parent.kind() {
            "method_declaration" | "constructor_declaration" | "class_body" => return false,
            "while_statement"
            | "do_statement"
            | "for_statement"
            | "enhanced_for_statement"
            | "lambda_expression" => return true,
            _ => at = parent,
        }
    }
    false
}

/// The start-up hook `method` is, when it is one, as shown to people;
/// `in_lambda` for code in a lambda inside it.
pub(super) fn hook(method: Node, in_lambda: bool, src: &str) -> Option<String> {
    let text = |n: Node| &src[n.byte_range()];
    let simple = |n: Node| {
        let t = text(n);
        let t = t.split('<').next().unwrap_or(t);
        t.rsplit('.').next().unwrap_or(t).trim()
    };
    let name = text(method.child_by_field_name("name")?);
    // `@Bean CommandLineRunner banner() { return args -> … }`
    let returns = method.child_by_field_name("type").map(simple);
    if let Some(runner) = returns.filter(|r| in_lambda && RUNNERS.contains(r)) {
        return Some(format!(
            "in the {runner} that {name}() makes, which runs once, when the application starts"
        ));
    }
    let class = method
        .parent()
        .filter(|b| b.kind() == "class_body")
        .and_then(|b| b.parent())?;
    if name == "run" {
        if let Some(runner) = class
            .child_by_field_name("interfaces")
            .and_then(|list| implemented(list, src).find(|t| RUNNERS.contains(t)))
        {
            return Some(format!(
                "in {runner}.run, which runs once, when the application starts"
            ));
        }
    }
    // A web application's start, in a servlet container (a war).
    let listens_to_servlet_context = || {
        class
            .child_by_field_name("interfaces")
            .is_some_and(|list| implemented(list, src).any(|t| t == "ServletContextListener"))
    };
    if name == "contextInitialized" && !in_lambda && listens_to_servlet_context() {
        return Some(
            "in ServletContextListener.contextInitialized, which runs once, when the web application starts"
                .into(),
        );
    }
    let mut parameters = method
        .child_by_field_name("parameters")
        .map(|p| {
            let mut cursor = p.walk();
            p.named_children(&mut cursor)
                .filter_map(|f| f.child_by_field_name("type"))
                .map(simple)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let listens = name == "onApplicationEvent"
        || annotations(method, src).any(|(annotation, arguments)| {
            if annotation != "EventListener" {
                return false;
            }
            // `@EventListener(ApplicationReadyEvent.class)`, or several.
            parameters.extend(
                arguments
                    .split(".class")
                    .filter_map(|before| {
                        before
                            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .next()
                    })
                    .filter(|name| !name.is_empty()),
            );
            true
        });
    // Every event it listens to says the application has started.
    if parameters.iter().any(|p| !START_EVENTS.contains(p)) {
        return None;
    }
    let event = parameters.into_iter().next()?;
    listens.then(|| format!("in a listener of {event}, which runs when the application starts"))
}

/// Why a print at `node` is a start-up notice when it is a statement of
/// its own in the body of a `main()` that starts the application
/// (`starts_application`), after the call that runs it, and prints text,
/// literal or joined with values (RuoYi's "started" line, the address it
/// serves on): it runs once, and says nothing of the business.
pub(super) fn notice_after_start(
    node: Node,
    src: &str,
    starts_application: impl Fn(Node) -> bool,
) -> Option<String> {
    let (at, call) = print_statement(node, src)?;
    let method = at
        .parent()
        .filter(|b| b.kind() == "block")
        .and_then(|b| b.parent())
        .filter(|m| m.kind() == "method_declaration")?;
    let named_main = method
        .child_by_field_name("name")
        .is_some_and(|n| &src[n.byte_range()] == "main");
    let arguments = call.child_by_field_name("arguments")?;
    let body = at.parent()?;
    // Text, maybe joined with values (the address it serves on).
    let prints_text = arguments
        .named_children(&mut arguments.walk())
        .all(|a| holds_text(a, src) || literal_local(a, body, src));
    if !(named_main && prints_text && starts_application(method)) {
        return None;
    }
    let mut before = at.prev_named_sibling();
    while let Some(statement) = before {
        if calls_run(statement, src) {
            return Some("in main(), once the application has started: a line printed once".into());
        }
        before = statement.prev_named_sibling();
    }
    None
}

/// The statement printing at `node`, and its call, when it is
/// `System.out.println(…)` (or `System.err`'s) itself, not a chain of
/// calls on it.
fn print_statement<'t>(node: Node<'t>, src: &str) -> Option<(Node<'t>, Node<'t>)> {
    let mut at = node;
    while at.kind() != "expression_statement" {
        at = at.parent().filter(|p| {
            matches!(
                p.kind(),
                "method_invocation" | "field_access" | "expression_statement"
            )
        })?;
    }
    let call = at
        .named_child(0)
        .filter(|c| c.kind() == "method_invocation")
        .filter(|c| {
            c.child_by_field_name("object")
                .is_some_and(|o| matches!(&src[o.byte_range()], "System.out" | "System.err"))
        })?;
    Some((at, call))
}

/// Why a print at `node` is the process's last words: a later statement
/// of its block calls `System.exit` (seata's option errors, printed with
/// the usage before the server gives up starting). The runtime keeps them
/// for the pod's previous log, where its logs may never be flushed.
pub(super) fn last_words(node: Node, src: &str) -> Option<String> {
    let (at, _) = print_statement(node, src)?;
    let exits = |statement: Node| {
        statement.kind() == "expression_statement"
            && statement
                .named_child(0)
                .filter(|c| c.kind() == "method_invocation")
                .is_some_and(|c| {
                    c.child_by_field_name("object")
                        .is_some_and(|o| &src[o.byte_range()] == "System")
                        && c.child_by_field_name("name")
                            .is_some_and(|n| &src[n.byte_range()] == "exit")
                })
    };
    let mut after = at.next_named_sibling();
    while let Some(statement) = after {
        if exits(statement) {
            return Some(
                "before System.exit(): the process's last words, printed once as it ends".into(),
            );
        }
        after = statement.next_named_sibling();
    }
    None
}

/// Whether an expression is text written out in the source: literals,
/// joined with `+`.
fn literal_text(n: Node) -> bool {
    match n.kind() {
        "string_literal" | "text_block" => true,
        "binary_expression" | "parenthesized_expression" => {
            n.named_children(&mut n.walk()).all(literal_text)
        }
        _ => false,
    }
}

/// Whether an expression is text written out in the source, or joined
/// with `+` to what it holds.
fn holds_text(n: Node, src: &str) -> bool {
    match n.kind() {
        "string_literal" | "text_block" => true,
        "parenthesized_expression" => n.named_children(&mut n.walk()).any(|c| holds_text(c, src)),
        "binary_expression" => {
            n.child_by_field_name("operator")
                .is_some_and(|o| &src[o.byte_range()] == "+")
                && n.named_children(&mut n.walk()).any(|c| holds_text(c, src))
        }
        _ => false,
    }
}

/// Whether `name` is a local of `body` declared with literal text and
/// never assigned again (a banner kept in a variable before it is
/// printed).
fn literal_local(name: Node, body: Node, src: &str) -> bool {
    if name.kind() != "identifier" {
        return false;
    }
    let name = &src[name.byte_range()];
    let mut declared = false;
    for statement in body.named_children(&mut body.walk()) {
        match statement.kind() {
            "local_variable_declaration" => {
                for d in statement.children_by_field_name("declarator", &mut statement.walk()) {
                    if d.child_by_field_name("name")
                        .is_some_and(|n| &src[n.byte_range()] == name)
                    {
                        declared = d.child_by_field_name("value").is_some_and(literal_text);
                        if !declared {
                            return false;
                        }
                    }
                }
            }
            _ => {
                let mut assigned = false;
                let mut stack = vec![statement];
                while let Some(n) = stack.pop() {
                    if n.kind() == "assignment_expression"
                        && n.child_by_field_name("left")
                            .is_some_and(|l| &src[l.byte_range()] == name)
                    {
                        assigned = true;
                    }
                    stack.extend(n.named_children(&mut n.walk()));
                }
                if assigned {
                    return false;
                }
            }
        }
    }
    declared
}

/// Whether a statement calls a method named `run` (`SpringApplication.run`,
/// `application.run(args)`).
fn calls_run(statement: Node, src: &str) -> bool {
    let mut stack = vec![statement];
    while let Some(n) = stack.pop() {
        if n.kind() == "method_invocation"
            && n.child_by_field_name("name")
                .is_some_and(|name| &src[name.byte_range()] == "run")
        {
            return true;
        }
        stack.extend(n.named_children(&mut n.walk()));
    }
    false
}

/// The simple names of the types a `super_interfaces` node lists.
fn implemented<'s>(list: Node, src: &'s str) -> impl Iterator<Item = &'s str> {
    let mut out = Vec::new();
    let mut stack = vec![list];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "type_identifier" => out.push(&src[n.byte_range()]),
            "scoped_type_identifier" => {
                let t = &src[n.byte_range()];
                out.push(t.rsplit('.').next().unwrap_or(t));
            }
            "type_arguments" => {}
            _ => {
                let mut cursor = n.walk();
                stack.extend(n.named_children(&mut cursor));
            }
        }
    }
    out.into_iter()
}

/// A method's annotations: simple name and the text of the arguments.
fn annotations<'s>(method: Node, src: &'s str) -> impl Iterator<Item = (&'s str, &'s str)> {
    let mut out = Vec::new();
    let mut cursor = method.walk();
    for modifiers in method
        .children(&mut cursor)
        .filter(|c| c.kind() == "modifiers")
    {
        let mut inner = modifiers.walk();
        for a in modifiers.named_children(&mut inner) {
            if !matches!(a.kind(), "marker_annotation" | "annotation") {
                continue;
            }
            let Some(name) = a.child_by_field_name("name") else {
                continue;
            };
            let name = &src[name.byte_range()];
            let arguments = a
                .child_by_field_name("arguments")
                .map_or("", |args| &src[args.byte_range()]);
            out.push((name.rsplit('.').next().unwrap_or(name), arguments));
        }
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::java::grammar::at_first;

    /// The reason for the `System.out` in a class body.
    fn reason(class: &str) -> Option<String> {
        let src = format!("package a;\n{class}\n");
        at_first(&src, "System.out", |node| start_up_hook(node, &src))
    }

    #[test]
    fn a_print_before_the_process_exits_is_its_last_words() {
        let last = |body: &str| {
            let src = format!("package a;\nclass P {{ void f(Exception e) {{ {body} }} }}\n");
            at_first(&src, "System.err", |node| last_words(node, &src))
        };
        assert!(
            last("System.err.println(\"Option error \" + e); usage(); System.exit(0);").is_some()
        );
        assert!(last(
            "try { run(); } catch (Exception x) { System.err.println(x); System.exit(1); }"
        )
        .is_some());
        // Printed and going on, or exiting elsewhere.
        assert!(last("System.err.println(e); retry();").is_none());
        assert!(last("System.exit(1); System.err.println(e);").is_none());
        assert!(last("if (bad) { System.exit(1); } System.err.println(e);").is_none());
        assert!(last("System.err.println(e); if (fatal) { System.exit(1); }").is_none());
    }

    #[test]
    fn runners_and_start_listeners_run_once_at_start() {
        assert_eq!(
            reason("class Banner implements org.springframework.boot.ApplicationRunner { public void run(ApplicationArguments a) { System.out.println(\"up\"); } }").as_deref(),
            Some("in ApplicationRunner.run, which runs once, when the application starts")
        );
        assert!(reason("class Up implements Ordered, CommandLineRunner { @Override public void run(String... a) { if (x) { System.out.println(\"up\"); } } }").is_some());
        // A task the runner hands to a thread once (ruoyi-vue-pro's banner).
        assert!(reason("class B implements ApplicationRunner { public void run(ApplicationArguments a) { ThreadUtil.execute(() -> { sleep(1); System.out.println(\"up\"); }); } }").is_some());
        assert_eq!(
            reason("class C { @Bean CommandLineRunner banner() { return args -> System.out.println(\"up\"); } }").as_deref(),
            Some("in the CommandLineRunner that banner() makes, which runs once, when the application starts")
        );
        assert_eq!(
            reason("class L { @EventListener public void up(ApplicationReadyEvent e) { System.out.println(\"up\"); } }").as_deref(),
            Some("in a listener of ApplicationReadyEvent, which runs when the application starts")
        );
        assert!(reason("class L { @EventListener(ApplicationStartedEvent.class) void up() { System.out.println(\"up\"); } }").is_some());
        assert!(reason("class L implements ApplicationListener<WebServerInitializedEvent> { public void onApplicationEvent(WebServerInitializedEvent e) { System.out.println(e.getWebServer().getPort()); } }").is_some());
    }

    #[test]
    fn a_method_or_class_named_as_a_start_up_notice_prints_once() {
        let named = |class: &str| {
            let src = format!("package a;\n{class}\n");
            at_first(&src, "System.out", |node| named_notice(node, &src))
        };
        // cruise-control's `printStartupInfo`, a banner class.
        assert_eq!(
            named("abstract class App { protected void printStartupInfo() { System.out.println(\">> started on \" + url()); } }").as_deref(),
            Some("in App.printStartupInfo(), named as a start-up notice: it prints once, when the application starts")
        );
        assert!(named("class CustomBanner { static void show(LogoBanner b) { System.out.println(b.getBanner()); } }").is_some());
        // A banner printed in a loop is printed again and again.
        for class in [
            "class C { void printBanner() { while (true) { System.out.println(\"x\"); } } }",
            "class C { void report() { System.out.println(\"x\"); } }",
            // A business's banners, a probe, a lambda per request.
            "class HomeBannerController { void update(Banner b) { System.out.println(b); } }",
            "class OrderService { void refreshHomeBanners() { System.out.println(\"x\"); } }",
            "class Health { String startupProbe() { System.out.println(\"x\"); return \"ok\"; } }",
            "class C { void printBanners(List<B> all) { all.forEach(b -> System.out.println(b)); } }",
        ] {
            assert_eq!(named(class), None, "{class}");
        }
    }

    #[test]
    fn a_print_under_a_banner_switch_is_a_start_up_banner() {
        let banner = |body: &str| {
            let src = format!("package a;\nclass R {{ void scan() {{ {body} }} }}\n");
            at_first(&src, "System.out", |node| switched_banner(node, &src))
        };
        // easy-es: the logo, and its lines under a nested switch.
        assert_eq!(
            banner("boolean banner = cfg.getBool(\"banner\", true); if (banner) { if (kun) { System.out.println(\"--\"); } }").as_deref(),
            Some("under `if (banner…)`, a start-up banner a setting switches off: it prints once, when the application starts")
        );
        assert!(
            banner("if (props.isEnableBanner() && !quiet) System.out.println(logo);").is_some()
        );
        for body in [
            // Printed when the banner is off, on every item, or unguarded.
            "if (!banner) { System.out.println(\"x\"); }",
            "if (banner) { for (String l : lines) { System.out.println(l); } }",
            "if (banner) { log(); } else { System.out.println(\"x\"); }",
            "if (debug) { System.out.println(\"x\"); }",
        ] {
            assert_eq!(banner(body), None, "{body}");
        }
    }

    /// The reason for the first `System.out` in `main()`, as if the class
    /// started the application when it names `SpringApplication`.
    fn notice(class: &str) -> Option<String> {
        let src = format!("package a;\n{class}\n");
        at_first(&src, "System.out", |node| {
            notice_after_start(node, &src, |m| {
                src[m.parent().map_or(0..0, |p| p.byte_range())].contains("SpringApplication")
            })
        })
    }

    #[test]
    fn a_line_main_prints_after_starting_the_application_is_a_notice() {
        assert_eq!(
            notice("class App { public static void main(String[] a) { SpringApplication.run(App.class, a); System.out.println(\"(♥◠‿◠)ﾉﾞ started \" + \"ლ(´ڡ`ლ)ﾞ\"); } }").as_deref(),
            Some("in main(), once the application has started: a line printed once")
        );
        // The address it serves on, joined to the text.
        assert!(notice("class App { public static void main(String[] a) { SpringApplication.run(App.class, a); System.out.println(\"API: http://\" + host() + \":\" + (port)); } }").is_some());
        assert!(notice("class App { public static void main(String[] a) { SpringApplication app = new SpringApplication(App.class); app.run(a); System.out.println(\"up\"); } }").is_some());
        // A banner kept in a local first.
        assert!(notice("class App { public static void main(String[] a) { SpringApplication.run(App.class, a); String banner = \"  __ \" + \"\\n up\"; System.out.println(banner); } }").is_some());
        for class in [
            // Before the application runs, or in a main that starts none.
            "class App { public static void main(String[] a) { System.out.println(\"up\"); SpringApplication.run(App.class, a); } }",
            "class Tool { public static void main(String[] a) { job.run(a); System.out.println(\"done\"); } }",
            // What it prints holds no text, is computed into a local, or
            // is printed under a condition.
            "class App { public static void main(String[] a) { SpringApplication.run(App.class, a); System.out.println(port); } }",
            "class App { public static void main(String[] a) { SpringApplication.run(App.class, a); System.out.println(\"up\" == mode); } }",
            "class App { public static void main(String[] a) { SpringApplication.run(App.class, a); String banner = \"up \"; banner = banner + port; System.out.println(banner); } }",
            "class App { public static void main(String[] a) { SpringApplication.run(App.class, a); String banner = \"up \" + port; System.out.println(banner); } }",
            "class App { public static void main(String[] a) { try { SpringApplication.run(App.class, a); } catch (Exception e) { System.out.println(\"failed\"); } } }",
            "class App { public static void main(String[] a) { SpringApplication.run(App.class, a); if (debug) { System.out.println(\"up\"); } } }",
            "class App { public static void main(String[] a) { SpringApplication.run(App.class, a); System.out.append(secret()).append(\" ready\"); } }",
        ] {
            assert_eq!(notice(class), None, "{class}");
        }
    }

    #[test]
    fn other_methods_and_events_run_whenever_they_are_called() {
        for class in [
            // A `run` of a class that is no Spring runner.
            "class Job implements Runnable { public void run() { System.out.println(\"tick\"); } }",
            // Another method of a runner.
            "class R implements CommandLineRunner { public void run(String... a) {} void report() { System.out.println(\"x\"); } }",
            // A task a runner starts, which runs on after the start.
            "class R implements CommandLineRunner { public void run(String... a) { new Thread(new Runnable() { public void run() { System.out.println(\"x\"); } }).start(); } }",
            // A task a runner schedules, or a loop it runs, goes on after the start.
            "class R implements CommandLineRunner { public void run(String... a) { pool.scheduleAtFixedRate(() -> System.out.println(\"x\"), 1, 1, SECONDS); } }",
            "class R implements CommandLineRunner { public void run(String... a) { while (true) { System.out.println(queue.take()); } } }",
            // A listener of other events.
            "class L { @EventListener void on(OrderPlacedEvent e) { System.out.println(\"x\"); } }",
            "class L { @Scheduled void on(ApplicationReadyEvent e) { System.out.println(\"x\"); } }",
            "class L { @EventListener(classes = {ApplicationReadyEvent.class, OrderPlacedEvent.class}) void on() { System.out.println(\"x\"); } }",
            "class R implements CommandLineRunner { public void run(String... a) { new Thread(() -> { for (;;) { System.out.println(\"x\"); } }).start(); } }",
            // A lambda in a method that makes no runner.
            "class C { Runnable task() { return () -> System.out.println(\"x\"); } }",
        ] {
            assert_eq!(reason(class), None, "{class}");
        }
    }
}
