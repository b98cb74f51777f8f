//! The code a finding sits in, when only a reference by name can make it
//! run: a top-level class with no annotation, no `main()` and no
//! supertype a framework scans for runs only if some other file names it
//! (a supertype's methods may be called without naming the class's, but
//! something still makes the object by its name); a method with no
//! annotation that nothing could call implicitly runs only if something
//! names it. Whether anything does is the repository's to say
//! (`crate::unreferenced`).

use std::collections::HashMap;

use tree_sitter::Node;

use crate::finding::CodeOwner;

/// Annotations that generate code or document it at compile time
/// (Lombok's, the JDK's): the class still runs only when named.
pub(crate) const PASSIVE: [&str; 30] = [
    "Data",
    "Getter",
    "Setter",
    "ToString",
    "EqualsAndHashCode",
    "NoArgsConstructor",
    "AllArgsConstructor",
    "RequiredArgsConstructor",
    "Builder",
    "Value",
    "UtilityClass",
    "Slf4j",
    "Log4j2",
    "Log",
    "CommonsLog",
    "CustomLog",
    "Log4j",
    "JBossLog",
    "Flogger",
    "XSlf4j",
    "SuperBuilder",
    "Accessors",
    "FieldDefaults",
    "With",
    "SuppressWarnings",
    "Deprecated",
    "SuppressFBWarnings",
    // An annotation processor's, which javac reads: no framework makes it.
    "SupportedAnnotationTypes",
    "SupportedSourceVersion",
    "SupportedOptions",
];

/// Supertypes whose subtypes a framework finds by scanning the
/// classpath, naming none: servlet initializers (`@HandlesTypes`), MyBatis
/// type handlers (`type-handlers-package`), Flyway's Java migrations.
pub(crate) const SCANNED_SUPERTYPES: [&str; 9] = [
    "WebApplicationInitializer",
    "SpringBootServletInitializer",
    "AbstractAnnotationConfigDispatcherServletInitializer",
    "AbstractDispatcherServletInitializer",
    "AbstractSecurityWebApplicationInitializer",
    "TypeHandler",
    "BaseTypeHandler",
    "BaseJavaMigration",
    "JavaMigration",
];

/// The types whose use in a class with a `main()` makes it start a service
/// (Spring Boot, a Spring context a Dubbo provider creates): then its
/// `main()` is the application's, not a developer's tool.
pub(crate) const APPLICATION_STARTERS: [&str; 6] = [
    "SpringApplication",
    "SpringApplicationBuilder",
    "ClassPathXmlApplicationContext",
    "FileSystemXmlApplicationContext",
    "AnnotationConfigApplicationContext",
    "GenericXmlApplicationContext",
];

/// Spring's stereotypes: the container makes the bean without naming its
/// class, but calls none of its plain methods (those it calls carry an
/// annotation or implement an interface).
const BEANS: [&str; 3] = ["Component", "Service", "Repository"];

/// Annotations that decide whether a bean is made, and how, without the
/// container calling any of its plain methods: scope, order, conditions
/// (Spring's `@ConditionalOn…`, a project's own `@ConditionOnRedisCache`),
/// proxies that hand each call on.
const BEAN_SETTINGS: [&str; 11] = [
    "Lazy",
    "Primary",
    "Scope",
    "Order",
    "DependsOn",
    "Profile",
    "Qualifier",
    "RefreshScope",
    "Transactional",
    "Validated",
    "CacheConfig",
];

/// Whether an annotation on a bean's class only sets how it is made.
fn sets_bean(annotation: &str) -> bool {
    BEAN_SETTINGS.contains(&annotation)
        || annotation.starts_with("Conditional")
        || annotation.starts_with("ConditionOn")
}

/// Methods the language or a framework calls without naming them: what
/// `Object` declares (string concatenation calls `toString`), and the
/// accessors of a class that is no Spring bean (a class a controller
/// returns), which a serializer reaches through its properties.
fn called_implicitly(name: &str, is_static: bool, bean: bool) -> bool {
    let by_convention = matches!(
        name,
        "toString" | "hashCode" | "equals" | "finalize" | "clone" | "main"
            // Serialization's hooks.
            | "readObject" | "writeObject" | "readResolve" | "writeReplace" | "readObjectNoData"
            // The destroy methods Spring infers for a `@Bean`.
            | "close" | "shutdown"
            // Factories that conversions find by their name.
            | "valueOf" | "fromString" | "of" | "from"
    );
    by_convention || (property_of(name).is_some() && !is_static && !bean)
}

/// The property an accessor reads or writes (`getLocalIp` → `localIp`).
fn property_of(method: &str) -> Option<String> {
    let rest = ["get", "is", "set"]
        .iter()
        .find_map(|p| method.strip_prefix(p))
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))?;
    // JavaBeans' decapitalization: `getURL` reads `URL`.
    if rest.chars().nth(1).is_some_and(|c| c.is_ascii_uppercase()) {
        return Some(rest.to_string());
    }
    let mut chars = rest.chars();
    let first = chars.next()?.to_ascii_lowercase();
    Some(std::iter::once(first).chain(chars).collect())
}

/// What the owner of code at a node depends on: the method it sits in
/// (when a member of the innermost type), that type (an anonymous class's
/// creation for one) and the top-level type. Findings sharing a place
/// share an owner.
#[derive(Clone, Copy)]
pub(super) struct OwnerPlace<'t> {
    method: Option<Node<'t>>,
    innermost_class: Option<Node<'t>>,
    /// The top-level type.
    pub class: Node<'t>,
}

impl<'t> OwnerPlace<'t> {
    /// The place of a method declared in a top-level class's body.
    pub fn of_method(method: Node<'t>, class: Node<'t>) -> Self {
        OwnerPlace {
            method: Some(method),
            innermost_class: Some(class),
            class,
        }
    }

    /// The method declaration the place is in, when it is the class's own.
    pub fn own_method(&self) -> Option<Node<'t>> {
        self.method
            .filter(|_| self.innermost_class == Some(self.class))
    }
}

/// An [`OwnerPlace`] as node ids.
pub(super) type OwnerKey = (Option<usize>, Option<usize>, usize);

impl OwnerPlace<'_> {
    /// The place as node ids, to keep what was found for it.
    pub fn key(&self) -> OwnerKey {
        (
            self.method.map(|m| m.id()),
            self.innermost_class.map(|c| c.id()),
            self.class.id(),
        )
    }
}

/// The place of the code under `up` (a node's ancestors, nearest first):
/// outside a top-level type (an import), the file's one type's; none when
/// it has several.
pub(super) fn owner_place<'t>(up: impl IntoIterator<Item = Node<'t>>) -> Option<OwnerPlace<'t>> {
    let mut method = None;
    let mut innermost_class = None;
    // The top type's method making the anonymous class the code is in.
    let mut making = None;
    let mut up = up.into_iter();
    let class = loop {
        let at = up.next()?;
        match at.kind() {
            "method_declaration" if innermost_class.is_none() => method = Some(at),
            "method_declaration" => making = Some(at),
            kind if TYPES.contains(&kind) => {
                innermost_class.get_or_insert(at);
                if at.parent().is_some_and(|p| p.kind() == "program") {
                    break at;
                }
            }
            // Code outside every type (an import) is the file's one type's.
            "program" => {
                let mut cursor = at.walk();
                let mut types = at
                    .named_children(&mut cursor)
                    .filter(|n| TYPES.contains(&n.kind()));
                let class = types.next()?;
                if types.next().is_some() {
                    return None;
                }
                break class;
            }
            // An anonymous class: what calls its methods is its type's.
            "class_body" if innermost_class.is_none() => {
                innermost_class = at
                    .parent()
                    .filter(|p| p.kind() == "object_creation_expression");
            }
            _ => {}
        }
    };
    // Code of an anonymous class runs only once a method of the type makes
    // it (`createMock()` returning `new Feedback() {…}`): that method is
    // the one to call.
    let anonymous = innermost_class.is_some_and(|c| c.kind() == "object_creation_expression");
    let of_top_type =
        making.is_some_and(|m: Node| m.parent().and_then(|b| b.parent()) == Some(class));
    if anonymous && of_top_type {
        return Some(OwnerPlace {
            method: making,
            innermost_class: Some(class),
            class,
        });
    }
    Some(OwnerPlace {
        method,
        innermost_class,
        class,
    })
}

/// The class and method code at `place` sits in, each only when nothing
/// but a reference by name can run it.
/// `nests_a_type` answers [`declares_nested_type`] for a class, which a
/// caller with many findings in one class keeps (a walk of its body).
/// `nests_a_type`: whether a class declares a type inside it;
/// `name_counts`: what a class's code names of each method without a call
/// from elsewhere ([`NameCounts::of`]). Both asked of the class, and kept
/// by the caller: a file has many owners to find.
pub(super) fn owner(
    place: &OwnerPlace,
    src: &str,
    nests_a_type: &dyn Fn(Node) -> bool,
    name_counts: &dyn Fn(Node) -> std::rc::Rc<NameCounts>,
) -> Option<CodeOwner> {
    let OwnerPlace {
        method,
        innermost_class,
        class,
    } = *place;
    let name = &src[class.child_by_field_name("name")?.byte_range()];
    let class_annotations = annotations(class, src);
    let only = |allowed: &[&str]| class_annotations.iter().all(|a| allowed.contains(a));
    let no_supertype = class.kind() == "class_declaration"
        && class.child_by_field_name("superclass").is_none()
        && class.child_by_field_name("interfaces").is_none();
    // Another type of the file may use it, a nested one a framework runs.
    let single = class.parent().is_some_and(|program| {
        let mut cursor = program.walk();
        let types = program
            .named_children(&mut cursor)
            .filter(|n| TYPES.contains(&n.kind()))
            .count();
        types == 1
    });
    let alone = single && !nests_a_type(class);
    let has_main = main_method(class, src).is_some();
    let plain = alone && no_supertype && only(&PASSIVE) && !has_main;
    // A supertype does not make a class: something still names it (`new`,
    // a service list), unless a framework finds the subtypes of that
    // supertype by scanning. Its methods stay the supertype's to call.
    // Spring Data finds a repository's `…Impl` fragment by its name.
    // A nested type a framework does not run is made through the class's
    // name, which names the class too.
    let supertypes = supertypes(class, src);
    let made_when_named = single
        && (alone || !nests_type_run_unnamed(class, src))
        && class.kind() == "class_declaration"
        && !supertypes.iter().any(|t| SCANNED_SUPERTYPES.contains(t))
        && (supertypes.is_empty() || !name.ends_with("Impl"));
    let unnamed_class_idles = made_when_named && only(&PASSIVE) && !has_main;
    // A stereotype makes a bean only where a component scan reaches (its
    // `main()`, a developer's, runs where its module's programs may).
    let bean_unless_scanned = made_when_named
        && class_annotations.iter().any(|a| BEANS.contains(a))
        && class_annotations
            .iter()
            .all(|a| PASSIVE.contains(a) || BEANS.contains(a) || sets_bean(a));
    // A subtype may also be made from a name computed in its package's
    // (`Class.forName("com.acme.pay." + type + "Handler")`).
    let reflected_package = ((unnamed_class_idles || bean_unless_scanned)
        && !supertypes.is_empty())
    .then(|| package_of(class, src))
    .flatten();
    // An abstract class's methods are its subclasses' too; a nested type
    // a framework does not run (a launcher's builder) is the program's;
    // a supertype only a framework scanning for it would run the class
    // through (a demo's ZooKeeper `Watcher` is its own `main()`'s).
    let program = single
        && (alone || !nests_type_run_unnamed(class, src))
        && !supertypes.iter().any(|t| SCANNED_SUPERTYPES.contains(t))
        && only(&PASSIVE)
        && has_main
        && !has_modifier(class, src, "abstract");
    let bean = no_supertype
        && class_annotations
            .iter()
            .all(|a| PASSIVE.contains(a) || BEANS.contains(a) || sets_bean(a))
        && class_annotations.iter().any(|a| BEANS.contains(a));
    // A subclass may take a method of a class that is not final and hand
    // it to a framework through an interface.
    let is_final = has_modifier(class, src, "final");
    let method_node = method
        .filter(|_| innermost_class == Some(class))
        .filter(|m| annotations(*m, src).is_empty());
    // The method, and whether only its plain class being extended could
    // hand it to a framework.
    let by_name = method_node.and_then(|m| {
        let method_name = &src[m.child_by_field_name("name")?.byte_range()];
        let is_static = has_modifier(m, src, "static");
        let callable_only_by_name = (plain && is_final)
            || (bean && !has_modifier(class, src, "abstract"))
            || is_static
            || has_modifier(m, src, "private");
        // A plain class's accessor may be read by a serializer or a
        // template through its property, which nothing need name.
        let accessor = property_of(method_name).is_some() && accessor_shaped(m, method_name);
        let unless_extended = !callable_only_by_name && plain && !accessor;
        ((callable_only_by_name || unless_extended)
            && !called_implicitly(method_name, is_static, bean))
        // A framework's bean (`@Component`) may be called through its
        // name (a job's `orderJobs.run`, an XML `ref`) without its class.
        .then(|| {
            (
                method_name.to_string(),
                unless_extended,
                is_static && only(&PASSIVE),
                has_modifier(m, src, "private"),
            )
        })
    });
    let (method, unless_extended, static_method, private_method) = match by_name {
        Some((name, unless_extended, is_static, private)) => {
            (Some(name), unless_extended, is_static, private)
        }
        None => (None, false, false, false),
    };
    // A JavaBeans property is an instance's: a static `getLocalIp()` is
    // reached by its name only.
    let property = method_node
        .zip(method.as_deref())
        .filter(|(m, name)| !has_modifier(*m, src, "static") && accessor_shaped(*m, name))
        .and_then(|(_, name)| property_of(name));
    // A static method is called bare or through its class: a call of that
    // name on any other object (`address.getHostName()` in a static
    // `getHostName()`) is another method's.
    let is_static = method_node.is_some_and(|m| has_modifier(m, src, "static"));
    let declarations = method
        .as_deref()
        .map_or(1, |m| name_counts(class).declarations(m, is_static));
    (unnamed_class_idles || bean_unless_scanned || program || method.is_some()).then(|| CodeOwner {
        class: name.to_string(),
        class_runs_when_named: unnamed_class_idles,
        reflected_package,
        method,
        property,
        declarations,
        only_main_calls_here: false,
        program,
        unless_extended,
        static_method,
        private_method,
        reached_only_from: None,
        callers_here: Vec::new(),
        calls_from_callers: 0,
        bean_unless_scanned,
    })
}

/// By method name, the methods of a class that call it (by node id) and
/// how many calls they make ([`own_callers`]).
pub(super) type OwnCallers = HashMap<String, (Vec<usize>, usize)>;

/// By method name: the methods of `class` (its own, not a nested type's)
/// that call it (`m(…)`, `this.m(…)`, `Class.m(…)`, lambdas and anonymous
/// classes in their bodies included), with how many calls they make; one
/// walk of the class for all its methods.
/// The callers are kept by node id (see [`members`]).
pub(super) fn own_callers(class: Node, src: &str, class_name: &str) -> OwnCallers {
    let mut by_name = OwnCallers::new();
    let Some(body) = class.child_by_field_name("body") else {
        return by_name;
    };
    let mut cursor = body.walk();
    for member in body.named_children(&mut cursor) {
        let Some(code) = member
            .child_by_field_name("body")
            .filter(|_| member.kind() == "method_declaration")
        else {
            continue;
        };
        let own = member
            .child_by_field_name("name")
            .map(|n| &src[n.byte_range()]);
        for (method, made) in calls_by_name(code, src, Some(class_name)) {
            if Some(method) == own {
                continue;
            }
            let (callers, calls) = by_name.entry(method.to_string()).or_default();
            callers.push(member.id());
            *calls += made;
        }
    }
    by_name
}

/// The members of `class` of these node ids, in order.
pub(super) fn members<'t>(class: Node<'t>, ids: &[usize]) -> Vec<Node<'t>> {
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut cursor = body.walk();
    let found = body
        .named_children(&mut cursor)
        .filter(|m| ids.contains(&m.id()))
        .collect();
    found
}

/// The calls on the class itself in `code` (`m(…)`, `this.m(…)`, and
/// `Net.m(…)` when `through` names the class), lambdas and nested classes
/// included, by the method's name.
fn calls_by_name<'s>(code: Node, src: &'s str, through: Option<&str>) -> HashMap<&'s str, usize> {
    let mut counts: HashMap<&'s str, usize> = HashMap::new();
    let mut pending = vec![code];
    while let Some(node) = pending.pop() {
        if node.kind() == "method_invocation"
            && node.child_by_field_name("object").is_none_or(|o| {
                o.kind() == "this"
                    || (o.kind() == "identifier" && Some(&src[o.byte_range()]) == through)
            })
        {
            if let Some(name) = node.child_by_field_name("name") {
                *counts.entry(&src[name.byte_range()]).or_default() += 1;
            }
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
    }
    counts
}

/// What the code below a class names of each of its methods without
/// calling it from elsewhere, by the method's name, worked out in one walk
/// of the class (a file has an owner to find for each of its methods).
#[derive(Debug, Default)]
pub(super) struct NameCounts {
    /// Its declarations, and the calls of it inside them (an overload
    /// handing on to another, `printResultSet(rs)` calling
    /// `printResultSet(rs, System.out)`, or a recursion), which only run
    /// when something else calls one of them.
    declared: HashMap<String, usize>,
    /// The calls through an object other than the class itself
    /// ([`calls_on_other_objects`]): for a static method, another one's.
    on_other_objects: HashMap<String, usize>,
    /// The calls on one of its fields of another type
    /// ([`calls_on_other_fields`]): for an instance method, another one's.
    on_other_fields: HashMap<String, usize>,
}

impl NameCounts {
    pub(super) fn of(class: Node, src: &str) -> Self {
        NameCounts {
            declared: methods_named(class, src),
            on_other_objects: calls_on_other_objects(class, src),
            on_other_fields: calls_on_other_fields(class, src),
        }
    }

    /// How many times the class's code names `method` without a call
    /// from elsewhere: its declarations and the calls inside them, and the
    /// calls of another object's method of that name.
    pub(super) fn declarations(&self, method: &str, is_static: bool) -> usize {
        let other = if is_static {
            &self.on_other_objects
        } else {
            &self.on_other_fields
        };
        self.declared.get(method).copied().unwrap_or(0) + other.get(method).copied().unwrap_or(0)
    }
}

/// By method name: how many times the code below `class` names it in its
/// declarations and the calls of it inside them ([`NameCounts::declared`]).
fn methods_named(class: Node, src: &str) -> HashMap<String, usize> {
    // A method a framework may call (an annotated one, an instance method
    // a supertype may declare) calls its overload for real.
    let no_supertype = supertypes(class, src).is_empty();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut pending = vec![class];
    while let Some(node) = pending.pop() {
        let name = (node.kind() == "method_declaration")
            .then(|| node.child_by_field_name("name"))
            .flatten()
            .map(|n| &src[n.byte_range()]);
        if let Some(method) = name {
            let only_by_name = annotations(node, src).is_empty()
                && (no_supertype
                    || has_modifier(node, src, "static")
                    || has_modifier(node, src, "private"));
            *counts.entry(method.to_string()).or_default() += 1 + node
                .child_by_field_name("body")
                .filter(|_| only_by_name)
                .map_or(0, |body| own_calls(body, src, method, None, false));
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor).filter(|c| {
            matches!(
                c.kind(),
                "class_body"
                    | "interface_body"
                    | "enum_body"
                    | "enum_body_declarations"
                    | "method_declaration"
            ) || TYPES.contains(&c.kind())
        }));
    }
    counts
}

/// The calls of `method` on the class itself in `code` (`m(…)`,
/// `this.m(…)`, and `Net.m(…)` when `through` names the class): another
/// object's `m` is another method. Lambdas and nested classes are
/// followed only when `into_closures`.
fn own_calls(
    code: Node,
    src: &str,
    method: &str,
    through: Option<&str>,
    into_closures: bool,
) -> usize {
    let mut count = 0;
    let mut pending = vec![code];
    while let Some(node) = pending.pop() {
        if node.kind() == "method_invocation"
            && node
                .child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == method)
            && node.child_by_field_name("object").is_none_or(|o| {
                o.kind() == "this"
                    || (o.kind() == "identifier" && Some(&src[o.byte_range()]) == through)
            })
        {
            count += 1;
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor).filter(|c| {
            into_closures
                || !(c.kind() == "class_body"
                    || c.kind() == "lambda_expression"
                    || TYPES.contains(&c.kind()))
        }));
    }
    count
}

/// The calls in `class` on one of its fields of another type, by the
/// method's name (`redisTemplate.hasKey(key)` in a `RedisService` with
/// its own `hasKey`): another object's method of the same name.
/// How many calls of `method` below `class` (nested types included) go
/// through an object other than the class itself: a variable, a field, a
/// call's result, another class (`InetAddress.getLocalHost().getHostName()`).
fn calls_on_other_objects(class: Node, src: &str) -> HashMap<String, usize> {
    let own = class
        .child_by_field_name("name")
        .map_or("", |n| &src[n.byte_range()]);
    let through_own = format!(".{own}");
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut pending = vec![class];
    while let Some(node) = pending.pop() {
        if node.kind() == "method_invocation" {
            let through_other = node.child_by_field_name("object").is_some_and(|o| {
                let text = &src[o.byte_range()];
                o.kind() != "this" && text != own && !text.ends_with(&through_own)
            });
            let name = node
                .child_by_field_name("name")
                .map(|n| &src[n.byte_range()]);
            if let Some(name) = name.filter(|_| through_other) {
                *counts.entry(name.to_string()).or_default() += 1;
            }
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
    }
    counts
}

fn calls_on_other_fields(class: Node, src: &str) -> HashMap<String, usize> {
    let mut calls = HashMap::new();
    let Some(body) = class.child_by_field_name("body") else {
        return calls;
    };
    let own = class
        .child_by_field_name("name")
        .map_or("", |n| &src[n.byte_range()]);
    let mut others: Vec<&str> = Vec::new();
    let mut cursor = body.walk();
    for field in body
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "field_declaration")
    {
        let Some(ty) = field.child_by_field_name("type") else {
            continue;
        };
        let ty = &src[ty.byte_range()];
        let simple = ty
            .split('<')
            .next()
            .unwrap_or(ty)
            .rsplit('.')
            .next()
            .unwrap_or(ty)
            .trim();
        if simple == own || simple == "Object" {
            continue;
        }
        let mut declarators = field.walk();
        others.extend(
            field
                .children_by_field_name("declarator", &mut declarators)
                .filter_map(|d| d.child_by_field_name("name"))
                .map(|n| &src[n.byte_range()]),
        );
    }
    if others.is_empty() {
        return calls;
    }
    // One walk for every name, nested classes aside.
    let mut pending = vec![body];
    while let Some(node) = pending.pop() {
        if node.kind() == "method_invocation" {
            // The chain's first object: `redisTemplate.opsForHash().hasKey(…)`
            // is called on what the field hands out, another object too.
            let mut object = node.child_by_field_name("object");
            while let Some(o) = object.filter(|o| o.kind() == "method_invocation") {
                object = o.child_by_field_name("object");
            }
            let receiver = object.map_or("", |o| match o.kind() {
                // `this.redisTemplate`
                "field_access" => o
                    .child_by_field_name("object")
                    .filter(|t| t.kind() == "this")
                    .and(o.child_by_field_name("field"))
                    .map_or("", |f| &src[f.byte_range()]),
                "identifier" => &src[o.byte_range()],
                _ => "",
            });
            if let Some(name) = node
                .child_by_field_name("name")
                .filter(|_| others.contains(&receiver))
            {
                *calls.entry(src[name.byte_range()].to_string()).or_default() += 1;
            }
        }
        let mut cursor = node.walk();
        pending.extend(
            node.named_children(&mut cursor)
                .filter(|c| !(c.kind() == "class_body" || TYPES.contains(&c.kind()))),
        );
    }
    calls
}

/// Whether a method has an accessor's shape: `get…`/`is…` with no
/// parameter, `set…` with one, varargs too (`setHosts(String... hosts)`,
/// as Spring's `setBasenames`); `setRemove(String key, Object... values)`
/// is no setter.
fn accessor_shaped(method: Node, name: &str) -> bool {
    let Some(parameters) = method.child_by_field_name("parameters") else {
        return false;
    };
    let mut cursor = parameters.walk();
    let count = parameters
        .named_children(&mut cursor)
        .filter(|p| matches!(p.kind(), "formal_parameter" | "spread_parameter"))
        .count();
    count == usize::from(name.starts_with("set"))
}

/// Whether a framework makes the class: it carries an annotation other
/// than those that only generate code or document it.
pub(super) fn is_managed(class: Node, src: &str) -> bool {
    // `@AutoService(Processor.class)` registers an annotation processor
    // with javac, no framework.
    let processor = supertypes(class, src).contains(&"AbstractProcessor");
    active_annotations(class, src)
        .iter()
        .any(|a| !(processor && *a == "AutoService"))
}

/// The simple names of a declaration's annotations that may have a
/// framework make or run it (Lombok's and the like aside).
pub(super) fn active_annotations<'s>(node: Node, src: &'s str) -> Vec<&'s str> {
    let mut found = annotations(node, src);
    found.retain(|a| !PASSIVE.contains(a));
    found
}

fn modifiers(node: Node) -> Option<Node> {
    let mut cursor = node.walk();
    let found = node.children(&mut cursor).find(|c| c.kind() == "modifiers");
    found
}

/// Whether a method annotation is one by which a framework calls the
/// method (`@Scheduled`, `@EventListener`, `@GetMapping`,
/// `@KafkaListener`…), not one that only describes it (`@Nullable`,
/// `@VisibleForTesting`, `@SneakyThrows`).
pub(super) fn names_a_callback(annotation: &str) -> bool {
    const CALLED_BY: [&str; 12] = [
        "Scheduled",
        "Schedules",
        "Schedule",
        "EventListener",
        "TransactionalEventListener",
        "PostConstruct",
        "PreDestroy",
        "Bean",
        "Async",
        "Subscribe",
        "XxlJob",
        "Observes",
    ];
    CALLED_BY.contains(&annotation)
        || ["Mapping", "Listener", "Handler"]
            .iter()
            .any(|end| annotation.ends_with(end))
}

/// The simple names of a declaration's annotations.
fn annotations<'s>(node: Node, src: &'s str) -> Vec<&'s str> {
    annotation_nodes(node, src)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// A declaration's annotations: the simple name and the node.
pub(super) fn annotation_nodes<'t, 's>(node: Node<'t>, src: &'s str) -> Vec<(&'s str, Node<'t>)> {
    let Some(m) = modifiers(node) else {
        return Vec::new();
    };
    let mut cursor = m.walk();
    let found = m
        .named_children(&mut cursor)
        .filter(|a| matches!(a.kind(), "marker_annotation" | "annotation"))
        .filter_map(|a| {
            let name = &src[a.child_by_field_name("name")?.byte_range()];
            Some((name.rsplit('.').next().unwrap_or(name), a))
        })
        .collect();
    found
}

/// The simple names of a class's superclass and interfaces, type
/// arguments aside (`BaseTypeHandler<Ip>` → `BaseTypeHandler`).
pub(super) fn supertypes<'s>(class: Node, src: &'s str) -> Vec<&'s str> {
    let mut out = Vec::new();
    let mut pending: Vec<Node> = ["superclass", "interfaces"]
        .iter()
        .filter_map(|f| class.child_by_field_name(f))
        .collect();
    while let Some(n) = pending.pop() {
        match n.kind() {
            "type_identifier" => out.push(&src[n.byte_range()]),
            "scoped_type_identifier" => {
                let t = &src[n.byte_range()];
                out.push(t.rsplit('.').next().unwrap_or(t).trim());
            }
            "generic_type" => pending.extend(n.named_child(0)),
            _ => {
                let mut cursor = n.walk();
                pending.extend(n.named_children(&mut cursor));
            }
        }
    }
    out
}

/// The package a top-level type's file declares.
fn package_of(class: Node, src: &str) -> Option<String> {
    let program = class.parent()?;
    let mut cursor = program.walk();
    let declaration = program
        .named_children(&mut cursor)
        .find(|n| n.kind() == "package_declaration")?;
    let name = declaration.named_child(0)?;
    Some(src[name.byte_range()].to_string())
}

pub(super) fn has_modifier(node: Node, src: &str, word: &str) -> bool {
    modifiers(node).is_some_and(|m| {
        src[m.byte_range()]
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == word)
    })
}

/// The kinds of type declarations.
const TYPES: [&str; 5] = [
    "class_declaration",
    "interface_declaration",
    "enum_declaration",
    "record_declaration",
    "annotation_type_declaration",
];

/// Whether a class declares a type inside it (at any depth) that
/// something but the class may use: not a private one with no annotation
/// and no supertype (base-admin's code generator's `private static class
/// FileUtil`, a private enum), which only the file uses and no framework runs.
pub(super) fn declares_nested_type(class: Node, src: &str) -> bool {
    nests_type(class, |node| {
        // An interface's `extends` is no field `supertypes` reads.
        let own = has_modifier(node, src, "private")
            && node.kind() != "interface_declaration"
            && annotations(node, src).is_empty()
            && supertypes(node, src).is_empty();
        !own
    })
}

/// Whether a type nested in `class` may run without a reference by name:
/// an annotation type, or a type with an annotation but passive ones, a
/// supertype a framework scans for, or a `main()`.
fn nests_type_run_unnamed(class: Node, src: &str) -> bool {
    nests_type(class, |node| {
        node.kind() == "annotation_type_declaration"
            || !annotations(node, src).iter().all(|a| PASSIVE.contains(a))
            || supertypes(node, src)
                .iter()
                .any(|t| SCANNED_SUPERTYPES.contains(t))
            || main_method(node, src).is_some()
    })
}

/// Whether `class` declares a type, at any depth, that `counts`.
fn nests_type(class: Node, counts: impl Fn(Node) -> bool) -> bool {
    let Some(body) = class.child_by_field_name("body") else {
        return false;
    };
    // One cursor over the body, depth first: a class of a thousand lines
    // is walked in well under a millisecond.
    let mut cursor = body.walk();
    loop {
        if !cursor.goto_first_child() {
            while !cursor.goto_next_sibling() {
                // The body is the cursor's root: it has no parent.
                if !cursor.goto_parent() {
                    return false;
                }
            }
        }
        let node = cursor.node();
        if TYPES.contains(&node.kind()) && counts(node) {
            return true;
        }
    }
}

/// A class's own `static main(…)`, the one the JVM starts.
pub(super) fn main_method<'t>(class: Node<'t>, src: &str) -> Option<Node<'t>> {
    let body = class.child_by_field_name("body")?;
    let mut cursor = body.walk();
    let main = body.named_children(&mut cursor).find(|m| {
        m.kind() == "method_declaration"
            && m.child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == "main")
            && has_modifier(*m, src, "static")
    });
    main
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::java::grammar::at_first;

    /// The owner of the `System.out` in a compilation unit.
    fn owner_of(unit: &str) -> Option<CodeOwner> {
        let src = format!("package a;\n{unit}\n");
        at_first(&src, "System.out", |node| {
            owner(
                &owner_place(std::iter::successors(node.parent(), |n| n.parent()))?,
                &src,
                &|class| declares_nested_type(class, &src),
                &|class| std::rc::Rc::new(NameCounts::of(class, &src)),
            )
        })
    }

    fn supertypes_of(unit: &str) -> Vec<String> {
        let src = format!("package a;\n{unit}\n");
        at_first(&src, "class C", |keyword| {
            let class = keyword.parent().expect("the declaration");
            supertypes(class, &src)
                .into_iter()
                .map(String::from)
                .collect()
        })
    }

    #[test]
    fn a_type_nested_at_any_depth_is_found_and_only_then() {
        let nests = |unit: &str| {
            at_first(unit, "class C", |keyword| {
                declares_nested_type(keyword.parent().expect("the declaration"), unit)
            })
        };
        assert!(nests(
            "class C { void m() { Runnable r = () -> { class L {} }; } }"
        ));
        assert!(nests("class C { int a; enum E { X } }"));
        assert!(!nests(
            "class C { void m() { if (a) { b(); } else { c(); } } int x; }"
        ));
        assert!(!nests("class C {} class D {}"));
        // A private helper class only the file makes.
        assert!(!nests(
            "class C { private static class Files { void w() {} } }"
        ));
        assert!(!nests("class C { private enum Mode { A } }"));
        for used_elsewhere in [
            "class C { static class Files {} }",
            "class C { @Configuration private static class Beans {} }",
            "class C { private static class Task implements Runnable {} }",
            "class C { private static class Files { @Component class Deep {} } }",
            "class C { private interface Task extends Runnable {} }",
        ] {
            assert!(nests(used_elsewhere), "{used_elsewhere}");
        }
    }

    fn owned(class: &str, dead_class: bool, method: Option<&str>) -> Option<CodeOwner> {
        Some(CodeOwner {
            class: class.to_string(),
            class_runs_when_named: dead_class,
            property: method.and_then(property_of),
            method: method.map(str::to_string),
            reflected_package: None,
            declarations: 1,
            only_main_calls_here: false,
            program: false,
            unless_extended: false,
            static_method: false,
            private_method: false,
            reached_only_from: None,
            callers_here: Vec::new(),
            calls_from_callers: 0,
            bean_unless_scanned: false,
        })
    }

    #[test]
    fn a_static_methods_callers_in_its_class_call_it_bare_or_through_the_class() {
        let src = "package a;\nclass Aes {
            static byte[] encrypt(byte[] d) { return d; }
            static String hex(byte[] d) { return toHex(encrypt(d)) + Aes.encrypt(d); }
            String base64(byte[] d) { Runnable r = () -> this.encrypt(d); return other.encrypt(d); }
            static String plain(byte[] d) { return new String(d); }
            static class Nested { void run(byte[] d) { encrypt(d); } }
        }\n";
        let (callers, calls) = at_first(src, "class Aes", |keyword| {
            let class = keyword.parent()?;
            let (ids, calls) = own_callers(class, src, "Aes")
                .remove("encrypt")
                .unwrap_or_default();
            let callers = members(class, &ids);
            let names: Vec<&str> = callers
                .iter()
                .filter_map(|c| c.child_by_field_name("name"))
                .map(|n| &src[n.byte_range()])
                .collect();
            Some((names, calls))
        })
        .expect("the class");
        // `other.encrypt` is another object's; a nested type's call is
        // not its class's method's.
        assert_eq!(callers, ["hex", "base64"]);
        assert_eq!(calls, 3);
    }

    #[test]
    fn overloads_and_nested_namesakes_are_declarations_of_the_name() {
        let unit = "public class Crypto {
            public static byte[] decrypt(String key, byte[] data) { e.printStackTrace(); System.out.println(1); return data; }
            public static byte[] decrypt(byte[] key, byte[] data) { return data; }
            static class Legacy { void decrypt() {} }
            enum Mode { A; void decrypt() {} }
            static byte[] encrypt(byte[] data) { return data; }
        }";
        let owner = owner_of(unit).expect("an owner");
        assert_eq!(owner.method.as_deref(), Some("decrypt"));
        assert_eq!(owner.declarations, 4);
    }

    #[test]
    fn overloads_handing_on_to_each_other_name_the_method_without_calling_it() {
        let unit = "public class Jdbc {
            public static void print(Object rs) { System.out.println(rs); print(rs, 1); }
            public static void print(Object rs, int n) { this.print(rs, n, \"\\t\"); other.print(rs); }
            public static void print(Object rs, int n, String sep) { Runnable r = () -> print(rs); }
        }";
        let owner = owner_of(unit).expect("an owner");
        assert_eq!(owner.method.as_deref(), Some("print"));
        // Three declarations, two hand-ons, and `other.print`: a static
        // method is called bare or through its class, so that is another
        // object's method. The lambda's call is a call.
        assert_eq!(owner.declarations, 6);
    }

    #[test]
    fn an_overload_a_framework_may_call_calls_its_namesake() {
        let unit = "@Component public class AmountConverter implements Converter<String, Long> {
            @Override public Long convert(String s) { return convert(s, 2); }
            private Long convert(String s, int scale) { System.out.println(s); return 1L; }
        }";
        let owner = owner_of(unit).expect("an owner");
        assert_eq!(owner.method.as_deref(), Some("convert"));
        // Two declarations; the override's hand-on is a call.
        assert_eq!(owner.declarations, 2);
    }

    #[test]
    fn a_static_overload_of_a_class_with_a_supertype_still_hands_on() {
        let unit = "public final class JdbcUtils implements JdbcConstants {
            public static void print(Object rs) { System.out.println(rs); print(rs, 1); }
            public static void print(Object rs, int n) { }
        }";
        let owner = owner_of(unit).expect("an owner");
        assert_eq!(owner.declarations, 3);
    }

    #[test]
    fn a_field_of_another_type_calling_its_own_namesake_is_no_call() {
        let unit = "public class RedisService {
            private final RedisTemplate<String, Object> redisTemplate;
            private RedisService self;
            public Boolean hasKey(String key) {
                try { return this.redisTemplate.hasKey(key) && redisTemplate.hasKey(key); } catch (Exception e) { System.out.println(e); return false; }
            }
            public Boolean either(String a) { return self.hasKey(a); }
        }";
        let owner = owner_of(unit).expect("an owner");
        assert_eq!(owner.method.as_deref(), Some("hasKey"));
        // `self.hasKey` is a call: `self` is a RedisService.
        assert_eq!(owner.declarations, 3);
    }

    #[test]
    fn plain_classes_and_methods_run_only_when_named() {
        for (unit, class, dead_class, method) in [
            ("public class Util { public static void ip() { System.out.println(1); } }", "Util", true, Some("ip")),
            ("class Util { static { System.out.println(1); } }", "Util", true, None),
            // A private helper of an annotated class: only its name calls it.
            ("@Controller class Orders { private void log() { System.out.println(1); } }", "Orders", false, Some("log")),
            // A bean's plain method, accessors too: Spring calls none such.
            ("@Component public class IpUtil { public String getIpPort() { System.out.println(1); return null; } }", "IpUtil", false, Some("getIpPort")),
            // Lombok's annotations generate code; they run nothing.
            ("@lombok.NoArgsConstructor(access = AccessLevel.PRIVATE) class Util { static { System.out.println(1); } }", "Util", true, None),
            // A final class's methods: no subclass hands them on.
            ("final class Util { public String host() { System.out.println(1); return null; } }", "Util", true, Some("host")),
        ] {
            let found = owner_of(unit).map(|o| CodeOwner {
                static_method: false,
                private_method: false,
                bean_unless_scanned: false,
                ..o
            });
            assert_eq!(found, owned(class, dead_class, method), "{unit}");
        }
        // A static accessor has no property: a field of its name elsewhere
        // does not call it.
        let helper = "public class IpHelper { public static String getLocalIp() { System.out.println(1); return null; } }";
        let found = owner_of(helper).expect("a static method of a plain class");
        // Called through its class's name; a bean's static method may be
        // called through the bean's.
        assert!(found.static_method);
        let bean = "@Component public class IpTask { public static void run() { System.out.println(1); } }";
        assert!(!owner_of(bean).expect("a bean's method").static_method);
        assert_eq!(
            (found.method.as_deref(), found.property),
            (Some("getLocalIp"), None)
        );
    }

    #[test]
    fn what_another_type_may_reach_is_left_alone() {
        for unit in [
            // A nested type, which a framework may run by its own name.
            "class Outer { @Component static class In { void p() { System.out.println(1); } } }",
            // Another type of the same file may use it.
            "@RestController class Orders { } class Upstream { void p() { System.out.println(1); } }",
            // A subclass may hand a method of a class that is not final to a
            // framework through an interface.
            "abstract class Base { public boolean preHandle() { System.out.println(1); return true; } public static void main(String[] a) {} }",
            // Serialization calls its hooks by no name in the code.
            "@Controller class S { private void readObject(java.io.ObjectInputStream in) { System.out.println(1); } }",
        ] {
            assert_eq!(owner_of(unit), None, "{unit}");
        }
        assert_eq!(property_of("getURL").as_deref(), Some("URL"));
        assert_eq!(property_of("getLocalIp").as_deref(), Some("localIp"));
        // Only a method of an accessor's shape is reached by its property.
        let property = |unit: &str| owner_of(unit).and_then(|o| o.property);
        assert_eq!(
            property("@Component public class R { public void setMode(String m) { System.out.println(m); } }").as_deref(),
            Some("mode")
        );
        assert_eq!(
            property("@Component public class R { public Long setRemove(String key, Object... values) { System.out.println(key); return 0L; } }"),
            None
        );
        assert_eq!(
            property("@Component public class R { public void setHosts(String... hosts) { System.out.println(hosts); } }").as_deref(),
            Some("hosts")
        );
    }

    #[test]
    fn what_a_framework_or_the_language_may_run_is_left_alone() {
        for unit in [
            "@WebService class C { public void p() { System.out.println(1); } }",
            "enum E { A; void p() { System.out.println(1); } }",
            // Frameworks find these by scanning for their supertypes.
            "class H extends org.apache.ibatis.type.BaseTypeHandler<Ip> { void p() { System.out.println(1); } }",
            "public class ServletInitializer extends SpringBootServletInitializer { void p() { System.out.println(1); } }",
        ] {
            assert_eq!(owner_of(unit), None, "{unit}");
        }
        // A stereotype makes a bean where a component scan reaches it: the
        // run knows which packages they reach. One a framework scans for
        // otherwise is left alone.
        let bean = owner_of(
            "@Component class C implements Job { public void p() { System.out.println(1); } }",
        )
        .expect("a bean");
        assert!(bean.bean_unless_scanned && !bean.class_runs_when_named && bean.method.is_none());
        assert_eq!(bean.reflected_package.as_deref(), Some("a"));
        for unit in [
            "@Component @WebService class C { public void p() { System.out.println(1); } }",
            "@Component class H extends BaseTypeHandler<Ip> { void p() { System.out.println(1); } }",
            "@Service class OrderRepositoryImpl implements OrderRepositoryCustom { void p() { System.out.println(1); } }",
        ] {
            assert!(owner_of(unit).is_none_or(|o| !o.bean_unless_scanned), "{unit}");
        }
        // Something must still name a class with a supertype to make one;
        // its methods are the supertype's to call.
        for unit in [
            "class C implements Runnable { public void run() { System.out.println(1); } }",
            "class C extends Base<Map<String, Integer>> { void p() { System.out.println(1); } }",
        ] {
            let owner = owner_of(unit).expect("an owner");
            assert!(
                owner.class_runs_when_named && owner.method.is_none(),
                "{unit}"
            );
            // Its package may be named by a computed name.
            assert_eq!(owner.reflected_package.as_deref(), Some("a"), "{unit}");
        }
        // Spring Data finds a repository fragment by its `Impl` suffix.
        assert_eq!(
            owner_of("class OrderRepositoryImpl implements OrderRepositoryCustom { void p() { System.out.println(1); } }"),
            None
        );
        assert_eq!(
            supertypes_of("class C extends a.Base<Map<String, Integer>> implements Cloneable, java.io.Serializable {}"),
            ["Serializable", "Cloneable", "Base"]
        );
        // The class has a main(): the JVM runs it by its name on a command
        // line, a program nothing else runs.
        let tool = owner_of("class Tool { public static void main(String[] a) {} String getIp() { System.out.println(1); return null; } }")
            .expect("a program");
        assert!(tool.program && !tool.class_runs_when_named && tool.method.is_none());
        // A lambda is no class; an anonymous class's code runs once the
        // method making it runs: that method, not `run`, is to be called.
        for unit in [
            "class C { static void p() { new Thread(() -> System.out.println(1)); } }",
            "class C { static void p() { new Thread(new Runnable() { public void run() { System.out.println(1); } }); } }",
        ] {
            assert_eq!(
                owner_of(unit),
                owned("C", true, Some("p")).map(|o| CodeOwner {
                    static_method: true,
                    private_method: false,
                    ..o
                }),
                "{unit}"
            );
        }
        // In a field's initializer, no method makes it.
        assert_eq!(
            owner_of("class C { static Runnable R = new Runnable() { public void run() { System.out.println(1); } }; }"),
            owned("C", true, None)
        );
        // An annotated method runs when a framework says; its class, made
        // by no stereotype, only when something names it.
        assert_eq!(
            owner_of(
                "class C { @Scheduled(fixedRate = 1) void tick() { System.out.println(1); } }"
            ),
            owned("C", true, None)
        );
        // A serializer reaches the accessors of a class that is no bean.
        assert_eq!(
            owner_of(
                "class Info { public String getIp() { System.out.println(1); return null; } }"
            ),
            owned("Info", true, None)
        );
        // `toString()` runs in any string concatenation.
        assert_eq!(
            owner_of(
                "class C { public String toString() { System.out.println(1); return \"\"; } }"
            ),
            owned("C", true, None)
        );
    }
}
