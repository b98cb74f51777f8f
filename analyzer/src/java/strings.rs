//! Where `java-string` and `ip-literal` run in Java: string literals, and
//! the literals a concatenation joins, except where the text around says
//! it is an example or a description.

use tree_sitter::Node;

use super::{field, grammar, kind, Pass, K};
use crate::finding::RawFinding;
use crate::ip::{find_ips, is_descriptive, is_public_resolver, name_words};

/// The annotations whose text documents an API for people (Swagger 2,
/// OpenAPI 3, JCommander's options): an address in them illustrates.
const DOCUMENTATION_ANNOTATIONS: [&str; 10] = [
    "Api",
    "ApiModel",
    "ApiModelProperty",
    "ApiOperation",
    "ApiParam",
    "ApiImplicitParam",
    "ApiResponse",
    "Schema",
    "Operation",
    "Parameter",
];

/// Words of a method's name that say it makes sample data.
const SAMPLE_DATA_WORDS: [&str; 6] = ["demo", "mock", "sample", "example", "fake", "dummy"];

/// Whether a method's name is made for sample data (`getDemoTargets`,
/// `addMockConfig`, `setSampleText`): a word of it is one of
/// [`SAMPLE_DATA_WORDS`].
pub(crate) fn named_for_sample_data(name: &str) -> bool {
    name_words(name).any(|w| SAMPLE_DATA_WORDS.contains(&w.as_str()))
}

impl<'a> Pass<'a, '_> {
    /// Whether the last finding is for `rule` on the line of `start`: one
    /// legacy-API finding per line is enough.
    pub(super) fn last_on_same_line(&self, rule: usize, start: usize) -> bool {
        self.out.last().is_some_and(|f| {
            f.rule == rule
                && f.start <= start
                && !self.src.as_bytes()[f.start..start].contains(&b'\n')
        })
    }

    pub(super) fn on_string(&mut self, node: Node) {
        let raw = self.text(node);
        let quote = if raw.starts_with("\"\"\"") { 3 } else { 1 };
        if raw.len() < quote * 2 {
            return;
        }
        let inner_start = node.start_byte() + quote;
        let inner = &raw[quote..raw.len() - quote];
        if !self.c.strings.is_empty() {
            if let Some(rules) = self.c.strings.get(string_value(raw).as_str()) {
                for &rule in rules {
                    if self.c.applies(rule, self.is_test) {
                        self.report(rule, node, raw.to_string());
                    }
                }
            }
        }
        if self.c.ip_rules.is_empty() || !inner.bytes().any(|b| b == b'.' || b == b':') {
            return;
        }
        let mut ips = find_ips(inner);
        // A UDP socket "connected" to a public resolver only to learn the
        // machine's outgoing address: the lookup is reported, not this.
        let resolver = |ip: &crate::ip::IpSpan| is_public_resolver(&inner[ip.start..ip.end]);
        if ips.iter().any(resolver) && self.asks_its_outgoing_address(node) {
            ips.retain(|ip| !resolver(ip));
        }
        if ips.is_empty() || self.in_descriptive_context(node, inner) {
            return;
        }
        for ip in ips {
            for &rule in &self.c.ip_rules {
                if self.c.applies(rule, self.is_test) {
                    let never_runs = self.never_runs(rule, node);
                    let start_up = self.start_up(rule, node);
                    let owner = self.owner(rule, node);
                    self.push_finding(RawFinding {
                        rule,
                        start: inner_start + ip.start,
                        end: inner_start + ip.end,
                        detail: inner[ip.start..ip.end].to_string(),
                        never_runs,
                        start_up,
                        owner,
                        ..RawFinding::default()
                    });
                }
            }
        }
    }

    /// A string assigned to something named like a version or a message
    /// (`VERSION =`, `setVersion(..)`, `example = ".."` in an annotation),
    /// given to a method named for sample data (`setSampleText(..)`),
    /// returned by a method so named (`getVersion()`, a migration's
    /// `"4.3.1.3"`), the default of a setting so named
    /// (`getProperty("defaultObVersion", "3.2.3.0")`), or prose giving an
    /// example, is not configuration.
    pub(super) fn in_descriptive_context(&self, node: Node, value: &str) -> bool {
        if self.in_documentation_annotation(node)
            || self.in_sample_data_method(node)
            || is_descriptive("", value)
            || self
                .concatenated_literals(node)
                .is_some_and(|prose| is_descriptive("", &prose))
        {
            return true;
        }
        let g = grammar();
        let mut current = node;
        let mut steps = 0;
        while steps < 3 {
            let Some(parent) = current.parent() else {
                return false;
            };
            // `Map.ofEntries(Map.entry("1", "6.2.0.0"))`: a collection's
            // factory passes the literal on to what names the collection.
            if parent.kind() == "method_invocation"
                && field(parent, g.f_name)
                    .is_some_and(|n| COLLECTION_FACTORIES.contains(&self.text(n)))
                || parent.kind() == "argument_list"
                    && parent
                        .parent()
                        .and_then(|call| field(call, g.f_name))
                        .is_some_and(|n| COLLECTION_FACTORIES.contains(&self.text(n)))
            {
                current = parent;
                continue;
            }
            steps += 1;
            let name = match parent.kind() {
                // `ES_2_3_3_100("2.3.3.100")`: the enum's constructor
                // names what it takes.
                "enum_constant" => enum_parameter(parent, current, node),
                "variable_declarator" => field(parent, g.f_name),
                "assignment_expression" => field(parent, g.f_left),
                "element_value_pair" => field(parent, g.f_key),
                "method_invocation" => field(parent, g.f_name),
                // `new ActivitiVersion("5.16.3.0")`: the type names it.
                "object_creation_expression" => field(parent, g.f_type),
                "return_statement" => std::iter::successors(Some(parent), |n| n.parent())
                    .find(|n| matches!(n.kind(), "method_declaration" | "lambda_expression"))
                    .and_then(|method| field(method, g.f_name)),
                _ => None,
            };
            if let Some(n) = name {
                // A type named for a version, not for any description
                // (`new EndpointDescription("10.0.0.1")` holds an address).
                if parent.kind() == "object_creation_expression" {
                    return name_words(self.text(n))
                        .last()
                        .is_some_and(|w| w == "version");
                }
                // `System.getProperty("defaultObVersion", "3.2.3.0")`: a
                // setting's name says what its default is.
                let keyed = parent.kind() == "method_invocation"
                    && field(parent, g.f_arguments)
                        .and_then(|a| a.named_child(0))
                        .filter(|first| {
                            // Not the literal itself, nor a concatenation holding it.
                            let holds = first.start_byte() <= node.start_byte()
                                && node.end_byte() <= first.end_byte();
                            kind(*first) == K::Str && !holds
                        })
                        .is_some_and(|key| is_descriptive(&string_value(self.text(key)), ""));
                // `setSampleText("… 192.168.3.10 …")`: given to a method
                // named for sample data.
                let sample =
                    parent.kind() == "method_invocation" && named_for_sample_data(self.text(n));
                // `extraOids.put("2.5.4.5", "SERIALNUMBER")`: a collection
                // named for object identifiers or versions holds no
                // addresses.
                let collection = parent.kind() == "method_invocation"
                    && matches!(self.text(n), "put" | "add" | "putIfAbsent")
                    && field(parent, g.f_object).is_some_and(|o| {
                        let words: Vec<String> = name_words(self.text(o)).collect();
                        words.last().is_some_and(|w| w == "oid" || w == "oids")
                            || names_versions(&words)
                    });
                // `LAST_V6_VERSION_BEFORE_SERVICES = "6.1.2.0"`,
                // `changeLogVersionMap = Map.ofEntries(…)`: a variable
                // named for versions anywhere in its name.
                let versions = matches!(
                    parent.kind(),
                    "variable_declarator" | "assignment_expression"
                ) && names_versions(&name_words(self.text(n)).collect::<Vec<_>>());
                return keyed
                    || sample
                    || collection
                    || versions
                    || is_descriptive(self.text(n), "");
            }
            current = parent;
        }
        false
    }

    /// Whether a literal is an argument of an API documentation
    /// annotation (`@ApiModelProperty(value = "Master URL http://…")`).
    fn in_documentation_annotation(&self, node: Node) -> bool {
        let g = grammar();
        // Literal, concatenation, array, pair, argument list: the
        // annotation is within a few levels.
        std::iter::successors(node.parent(), |n| n.parent())
            .take(6)
            .find(|n| n.kind() == "annotation")
            .and_then(|a| field(a, g.f_name))
            .is_some_and(|name| {
                let name = self.text(name);
                DOCUMENTATION_ANNOTATIONS.contains(&name.rsplit('.').next().unwrap_or(name))
            })
    }

    /// Whether the method a literal lies in asks a socket for its local
    /// address (`socket.getLocalAddress()`).
    fn asks_its_outgoing_address(&self, node: Node<'a>) -> bool {
        self.ancestors(node)
            .find(|n| matches!(n.kind(), "method_declaration" | "constructor_declaration"))
            .is_some_and(|m| self.text(m).contains("getLocalAddress()"))
    }

    /// Whether a literal lies in a method named for the sample data it
    /// makes (`getDemoTargets()`, `mockUsers()`).
    fn in_sample_data_method(&self, node: Node<'a>) -> bool {
        let g = grammar();
        self.ancestors(node)
            .find(|n| n.kind() == "method_declaration")
            .and_then(|m| field(m, g.f_name))
            .is_some_and(|name| named_for_sample_data(self.text(name)))
    }

    /// The string literals of the `+` concatenation a literal is part of,
    /// joined: prose split over several literals (`"set it as follows, "
    /// + "\"10.0.0.1:9876\""`). `None` for a literal on its own.
    pub(super) fn concatenated_literals(&self, node: Node<'a>) -> Option<String> {
        let g = grammar();
        let is_plus = |n: Node| {
            kind(n) == K::Binary && field(n, g.f_operator).is_some_and(|o| self.text(o) == "+")
        };
        let top = self
            .ancestors(node)
            .take_while(|p| is_plus(*p))
            .last()
            .unwrap_or(node);
        if top == node {
            return None;
        }
        let mut joined = String::new();
        let mut pending = vec![top];
        while let Some(n) = pending.pop() {
            if is_plus(n) {
                pending.extend(field(n, g.f_right));
                pending.extend(field(n, g.f_left));
            } else if kind(n) == K::Str {
                joined.push_str(self.text(n));
            }
        }
        Some(joined)
    }
}

/// Collection factories a literal goes through to the variable holding
/// the collection (`Map.of`, `Map.entry`, `Arrays.asList`, Guava's
/// `ImmutableMap.of` and `Lists.newArrayList`, Kotlin-style `listOf`).
const COLLECTION_FACTORIES: [&str; 12] = [
    "of",
    "ofEntries",
    "entry",
    "asList",
    "copyOf",
    "newArrayList",
    "newHashSet",
    "singletonList",
    "singleton",
    "immutableEntry",
    "listOf",
    "mapOf",
];

/// Whether a name's words name versions (`version`, `versions`) and no
/// address (`VERSION_CHECK_URL` holds one).
fn names_versions(words: &[String]) -> bool {
    const ADDRESS_WORDS: [&str; 10] = [
        "url", "uri", "host", "hosts", "addr", "address", "ip", "server", "servers", "endpoint",
    ];
    words.iter().any(|w| w == "version" || w == "versions")
        && !words.iter().any(|w| ADDRESS_WORDS.contains(&w.as_str()))
}

/// The name of the parameter of an enum's constructor that an enum
/// constant's argument holding `literal` is given (`ES_2_3_3_100("2.3.3.100")`
/// to `ESClusterVersionEnum(String version)`), when one constructor takes
/// as many parameters as the constant gives.
fn enum_parameter<'t>(
    constant: Node<'t>,
    arguments: Node<'t>,
    literal: Node<'t>,
) -> Option<Node<'t>> {
    if arguments.kind() != "argument_list" {
        return None;
    }
    let given: Vec<Node> = arguments.named_children(&mut arguments.walk()).collect();
    let at = given.iter().position(|a| {
        a.start_byte() <= literal.start_byte() && literal.end_byte() <= a.end_byte()
    })?;
    let body = constant.parent().filter(|b| b.kind() == "enum_body")?;
    let declarations = body
        .named_children(&mut body.walk())
        .find(|c| c.kind() == "enum_body_declarations")?;
    let mut cursor = declarations.walk();
    let mut parameters = declarations
        .named_children(&mut cursor)
        .filter(|d| d.kind() == "constructor_declaration")
        .filter_map(|c| {
            let list = c.child_by_field_name("parameters")?;
            let params: Vec<Node> = list
                .named_children(&mut list.walk())
                .filter(|p| matches!(p.kind(), "formal_parameter" | "spread_parameter"))
                .collect();
            (params.len() == given.len() && params.iter().all(|p| p.kind() == "formal_parameter"))
                .then(|| params[at].child_by_field_name("name"))
                .flatten()
        });
    let name = parameters.next()?;
    parameters.next().is_none().then_some(name)
}

/// The value of a Java string literal (quotes removed, simple escapes
/// applied).
pub(super) fn string_value(raw: &str) -> String {
    let quote = if raw.starts_with("\"\"\"") { 3 } else { 1 };
    let inner = raw
        .get(quote..raw.len().saturating_sub(quote))
        .unwrap_or("");
    if !inner.contains('\\') {
        return inner.to_string();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}
