#!/usr/bin/env python3
"""Generate a deterministic, realistic Java corpus for benchmarking podready.

    gen_corpus.py OUT_DIR [--files 2000] [--lines 500000] [--seed 42]
                          [--manifest FILE] [--force]

The output looks like a Maven multi-module repository: a parent pom.xml, one
pom.xml per module, and `.java` files under `module-N/src/main/java/com/acme/...`
and `module-N/src/test/java/...`. Files are built from templates (Spring
controllers, services and configuration, JDBC DAOs, DTOs, enums, interfaces,
utility classes, generic containers with inner classes, exceptions, JUnit
tests) so that the syntax mix is close to a real enterprise code base.

About one file in twenty gets one or more of the constructs podready's Java
rules look for ("plants": InetAddress.getLocalHost() plain, fully qualified,
static-imported or through a variable, NetworkInterface enumeration, Dubbo's
NetUtils, System.getenv("HOSTNAME"), running `hostname`, /etc/hostname, IPs
and JDBC URLs in string literals, System.out/err printing and method
references, printStackTrace(), log4j / log4j 2 / java.util.logging /
commons-logging loggers), and about as many get look-alikes that must not be
reported (a project class with its own getLocalHost(), IP addresses in
comments, version strings like "1.2.3.4" in VERSION constants and version
setters, InetAddress.getByName(..).getHostName(), loopback, 0.0.0.0,
netmasks, multicast groups, CIDR subnets, example addresses in prose, invalid
octets, System.getenv("HOME"), printing to a PrintWriter; and System.out or
"127.0.0.1" in src/test, which podready does not check). `--manifest FILE`
writes every planted site (rule, path, line) as JSON; write it outside
OUT_DIR so that no tool scans it.

The output depends only on the arguments: the same seed gives byte-identical
files. Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
from dataclasses import dataclass, field

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

DOMAINS = [
    "billing", "orders", "inventory", "customer", "payment", "shipping",
    "catalog", "auth", "notification", "reporting", "pricing", "loyalty",
    "warehouse", "returns", "audit", "scheduler", "gateway", "ledger",
    "search", "recommendation", "fraud", "tax", "subscription", "document",
]

ENTITIES = [
    "Order", "Invoice", "Customer", "Account", "Payment", "Shipment", "Product",
    "Coupon", "Refund", "Ticket", "Supplier", "Warehouse", "Parcel", "Contract",
    "Voucher", "Subscription", "Budget", "Ledger", "Statement", "Carrier",
    "Merchant", "Settlement", "Quote", "Promotion", "Employee", "Department",
    "Region", "Store", "Basket", "Review", "Address", "Tariff", "Batch", "Route",
]

QUALIFIERS = [
    "", "Pending", "Archived", "Default", "Batch", "Remote", "Cached", "Bulk",
    "Legacy", "Internal", "External", "Scheduled", "Composite", "Simple",
]

FIELD_TYPES = [
    ("Long", "id"), ("String", "name"), ("String", "code"),
    ("String", "description"), ("BigDecimal", "amount"), ("int", "quantity"),
    ("boolean", "active"), ("Instant", "createdAt"), ("Instant", "updatedAt"),
    ("LocalDate", "dueDate"), ("String", "currency"), ("Long", "customerId"),
    ("Long", "version"), ("String", "email"), ("String", "phone"),
    ("String", "externalRef"), ("List<String>", "tags"), ("double", "weight"),
    ("Integer", "priority"), ("String", "countryCode"), ("BigDecimal", "taxRate"),
    ("LocalDateTime", "processedAt"), ("String", "comment"), ("long", "sequence"),
    ("Map<String, String>", "attributes"), ("String", "status"),
    ("String", "createdBy"), ("BigDecimal", "discount"), ("int", "retries"),
    ("String", "channel"), ("String", "region"), ("Long", "parentId"),
]

TYPE_IMPORTS = {
    "BigDecimal": "java.math.BigDecimal",
    "Instant": "java.time.Instant",
    "LocalDate": "java.time.LocalDate",
    "LocalDateTime": "java.time.LocalDateTime",
    "List": "java.util.List",
    "Map": "java.util.Map",
}

VERBS = ["load", "process", "validate", "refresh", "publish", "reconcile",
         "archive", "export", "import", "merge", "compute", "resolve", "sync",
         "notify", "schedule", "apply", "collect", "prepare", "register"]

STATUSES = ["NEW", "PENDING", "ACTIVE", "SUSPENDED", "CLOSED", "FAILED",
            "CANCELLED", "COMPLETED", "ON_HOLD", "EXPIRED", "REJECTED"]

LOG_MESSAGES = [
    "Processing {} for customer {}", "Loaded {} records in {} ms",
    "Skipping {} because status is {}", "Retrying {} (attempt {})",
    "Published event {} to topic {}", "Cache miss for key {} in region {}",
    "Reconciled {} entries, {} mismatches",
]

AUTHORS = ["jdoe", "mmueller", "akowalski", "lchen", "rpatel", "sgarcia",
           "tnguyen", "ebrown", "kschmidt", "opetrov"]

LICENSE = """/*
 * Copyright (c) {y1}-{y2} Acme Corporation. All rights reserved.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */"""

# Marker prefix for a line that carries a planted construct: "\0rule\0text".
MARK = "\0"

# Rules a planted construct can belong to.
RULES = [
    "host/local-address",
    "host/hostname-env",
    "host/hardcoded-ip",
    "logging/stdout",
    "logging/print-stack-trace",
    "logging/legacy-api",
]


def plant(rule: str, text: str) -> str:
    assert rule in RULES, rule
    return f"{MARK}{rule}{MARK}{text}"


def indent(lines: list[str], depth: int = 1) -> list[str]:
    """Indent lines by 4*depth spaces, keeping plant markers at the front."""
    pad = "    " * depth
    out = []
    for line in lines:
        if line.startswith(MARK):
            _, rule, text = line.split(MARK, 2)
            out.append(f"{MARK}{rule}{MARK}{pad}{text}")
        elif line:
            out.append(pad + line)
        else:
            out.append("")
    return out


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def snake_upper(s: str) -> str:
    out = []
    for i, c in enumerate(s):
        if c.isupper() and i > 0:
            out.append("_")
        out.append(c.upper())
    return "".join(out)


def plural(s: str) -> str:
    if s.endswith("y") and not s.endswith("ey"):
        return s[:-1] + "ies"
    if s.endswith(("s", "x", "ch", "sh")):
        return s + "es"
    return s + "s"


# --------------------------------------------------------------------------
# Per-file context
# --------------------------------------------------------------------------


class LogStyle:
    """How the class logs; legacy styles are planted logging/legacy-api sites."""

    def __init__(self, kind: str):
        self.kind = kind

    def imports(self) -> list[tuple[str, bool]]:
        """(import, planted) pairs."""
        return {
            "slf4j": [("org.slf4j.Logger", False), ("org.slf4j.LoggerFactory", False)],
            "log4j1": [("org.apache.log4j.Logger", True)],
            "log4j2": [("org.apache.logging.log4j.LogManager", True),
                       ("org.apache.logging.log4j.Logger", True)],
            "jul": [("java.util.logging.Level", True), ("java.util.logging.Logger", True)],
            "jcl": [("org.apache.commons.logging.Log", True),
                    ("org.apache.commons.logging.LogFactory", True)],
        }[self.kind]

    def field(self, cls: str) -> str:
        return {
            "slf4j": f"private static final Logger log = LoggerFactory.getLogger({cls}.class);",
            "log4j1": f"private static final Logger log = Logger.getLogger({cls}.class);",
            "log4j2": f"private static final Logger log = LogManager.getLogger({cls}.class);",
            "jul": f"private static final Logger log = Logger.getLogger({cls}.class.getName());",
            "jcl": f"private static final Log log = LogFactory.getLog({cls}.class);",
        }[self.kind]

    def _concat(self, msg: str, args: list[str]) -> str:
        parts = msg.split("{}")
        out = [f'"{parts[0]}"' if parts[0] else None]
        for i, arg in enumerate(args):
            out.append(arg)
            if i + 1 < len(parts) and parts[i + 1]:
                out.append(f'"{parts[i + 1]}"')
        return " + ".join(p for p in out if p)

    def call(self, level: str, msg: str, args: list[str], exc: str | None = None) -> str:
        if self.kind in ("slf4j", "log4j2"):
            all_args = ", ".join([f'"{msg}"'] + args + ([exc] if exc else []))
            return f"log.{level}({all_args});"
        if self.kind == "jul":
            jlevel = {"info": "INFO", "warn": "WARNING", "error": "SEVERE",
                      "debug": "FINE"}[level]
            text = self._concat(msg, args)
            if exc:
                return f"log.log(Level.{jlevel}, {text}, {exc});"
            return f"log.log(Level.{jlevel}, {text});"
        text = self._concat(msg, args)
        return f"log.{level}({text}{', ' + exc if exc else ''});"


@dataclass
class Ctx:
    rng: random.Random
    package: str
    cls: str
    entity: str
    domain: str
    is_test: bool = False
    imports: dict = field(default_factory=dict)        # name -> planted?
    static_imports: dict = field(default_factory=dict)  # name -> planted?
    log: LogStyle = field(default_factory=lambda: LogStyle("slf4j"))
    uses_log: bool = False
    counter: int = 0

    def imp(self, name: str, planted: bool = False) -> None:
        self.imports[name] = self.imports.get(name, False) or planted

    def simp(self, name: str, planted: bool = False) -> None:
        self.static_imports[name] = self.static_imports.get(name, False) or planted

    def use_type(self, t: str) -> None:
        for key, value in TYPE_IMPORTS.items():
            if t == key or t.startswith(key + "<"):
                self.imp(value)

    def uniq(self, base: str) -> str:
        self.counter += 1
        return f"{base}{self.counter}" if self.counter > 1 else base

    def logcall(self, level: str, msg: str, args: list[str], exc: str | None = None) -> str:
        self.uses_log = True
        return self.log.call(level, msg, args, exc)


def javadoc(ctx: Ctx, summary: str, params: list[str] = (), returns: str | None = None,
            throws: str | None = None) -> list[str]:
    rng = ctx.rng
    lines = ["/**", f" * {summary}"]
    if rng.random() < 0.4:
        lines.append(" *")
        lines.append(" * <p>" + rng.choice([
            "This method is safe to call from multiple threads.",
            "Callers must hold a valid transaction.",
            "The result is never {@code null}; an empty collection is returned instead.",
            "Kept for backwards compatibility with the 2.x API.",
            "See the module README for the retry policy.",
            "Values are normalised before they are compared.",
        ]))
    if params or returns or throws:
        lines.append(" *")
    for p in params:
        lines.append(f" * @param {p} the {p.replace('Id', ' id')}")
    if returns:
        lines.append(f" * @return {returns}")
    if throws:
        lines.append(f" * @throws {throws} if the input is invalid")
    lines.append(" */")
    return lines


# --------------------------------------------------------------------------
# Reusable method generators (lines relative to the class body)
# --------------------------------------------------------------------------


def m_stream_filter(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("findActive" + plural(e))
    ctx.imp("java.util.List")
    ctx.imp("java.util.stream.Collectors")
    ctx.imp("java.util.Objects")
    return javadoc(ctx, f"Returns the active {plural(e).lower()} ordered by name.",
                   ["items"], "the filtered list") + [
        f"public List<{e}Dto> {name}(List<{e}Dto> items) {{",
        "    if (items == null || items.isEmpty()) {",
        "        return List.of();",
        "    }",
        "    return items.stream()",
        "            .filter(Objects::nonNull)",
        "            .filter(item -> item.isActive() && item.getName() != null)",
        "            .sorted((a, b) -> a.getName().compareToIgnoreCase(b.getName()))",
        "            .collect(Collectors.toList());",
        "}",
    ]


def m_group_by(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq(f"group{plural(e)}ByStatus")
    ctx.imp("java.util.List")
    ctx.imp("java.util.Map")
    ctx.imp("java.util.TreeMap")
    ctx.imp("java.util.stream.Collectors")
    return javadoc(ctx, f"Groups {plural(e).lower()} by their status code.", ["items"],
                   "a sorted map from status to items") + [
        f"public Map<String, List<{e}Dto>> {name}(List<{e}Dto> items) {{",
        f"    Map<String, List<{e}Dto>> grouped = items.stream()",
        f"            .collect(Collectors.groupingBy({e}Dto::getStatus, TreeMap::new, Collectors.toList()));",
        "    grouped.values().removeIf(List::isEmpty);",
        "    return grouped;",
        "}",
    ]


def m_validate(ctx: Ctx) -> list[str]:
    e = ctx.entity
    v = lower_first(e)
    name = ctx.uniq("validate" + e)
    ctx.imp("java.util.Objects")
    lines = javadoc(ctx, f"Validates a {e.lower()} before it is stored.", [v],
                    throws="IllegalArgumentException") + [
        f"void {name}({e}Dto {v}) {{",
        f'    Objects.requireNonNull({v}, "{v} must not be null");',
        f"    if ({v}.getName() == null || {v}.getName().isBlank()) {{",
        f'        throw new IllegalArgumentException("{e} name is required");',
        "    }",
    ]
    if ctx.rng.random() < 0.6:
        lines += [
            f"    if ({v}.getName().length() > MAX_NAME_LENGTH) {{",
            f'        throw new IllegalArgumentException("{e} name is longer than " + MAX_NAME_LENGTH);',
            "    }",
        ]
    lines += [
        f"    if ({v}.getAmount() != null && {v}.getAmount().signum() < 0) {{",
        f'        throw new IllegalArgumentException("Negative amount for {e.lower()} " + {v}.getId());',
        "    }",
        "}",
    ]
    return lines


def m_sum_loop(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("total" + upper_first(ctx.rng.choice(["amount", "balance", "due", "net"])))
    ctx.imp("java.math.BigDecimal")
    ctx.imp("java.math.RoundingMode")
    ctx.imp("java.util.Collection")
    return javadoc(ctx, "Sums the amounts, skipping inactive entries.", ["items"],
                   "the total, rounded to two decimals") + [
        f"public BigDecimal {name}(Collection<? extends {e}Dto> items) {{",
        "    BigDecimal total = BigDecimal.ZERO;",
        "    int skipped = 0;",
        f"    for ({e}Dto item : items) {{",
        "        if (!item.isActive() || item.getAmount() == null) {",
        "            skipped++;",
        "            continue;",
        "        }",
        "        total = total.add(item.getAmount());",
        "    }",
        "    if (skipped > 0) {",
        "        " + ctx.logcall("debug", "Skipped {} inactive items", ["skipped"]),
        "    }",
        "    return total.setScale(2, RoundingMode.HALF_UP);",
        "}",
    ]


def m_switch_classic(ctx: Ctx) -> list[str]:
    name = ctx.uniq("describeStatus")
    statuses = ctx.rng.sample(STATUSES, 5)
    lines = [f"static String {name}(String status) {{", "    switch (status) {"]
    for s in statuses[:-1]:
        lines += [f'        case "{s}":', f'            return "{s.replace("_", " ").title()}";']
    lines += [f'        case "{statuses[-1]}":', '        case "UNKNOWN":',
              '            // fall through to the default label', "        default:",
              '            return "Other (" + status + ")";', "    }", "}"]
    return lines


def m_switch_expr(ctx: Ctx) -> list[str]:
    name = ctx.uniq("priorityOf")
    s = ctx.rng.sample(STATUSES, 6)
    return [
        f"int {name}(String status) {{",
        "    return switch (status) {",
        f'        case "{s[0]}", "{s[1]}" -> 1;',
        f'        case "{s[2]}" -> 2;',
        f'        case "{s[3]}", "{s[4]}" -> {{',
        "            int base = status.length();",
        "            yield base > 6 ? 3 : 4;",
        "        }",
        "        default -> 9;",
        "    };",
        "}",
    ]


def m_try_resources(ctx: Ctx) -> list[str]:
    name = ctx.uniq("readLines")
    for i in ["java.io.BufferedReader", "java.io.IOException", "java.io.UncheckedIOException",
              "java.nio.charset.StandardCharsets", "java.nio.file.Files", "java.nio.file.Path",
              "java.util.ArrayList", "java.util.List"]:
        ctx.imp(i)
    return javadoc(ctx, "Reads the non-empty, non-comment lines of a file.", ["file"],
                   "the lines, trimmed") + [
        f"List<String> {name}(Path file) {{",
        "    List<String> result = new ArrayList<>();",
        "    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {",
        "        String line;",
        "        while ((line = reader.readLine()) != null) {",
        "            line = line.trim();",
        '            if (line.isEmpty() || line.startsWith("#")) {',
        "                continue;",
        "            }",
        "            result.add(line);",
        "        }",
        "    } catch (IOException e) {",
        "        " + ctx.logcall("warn", "Cannot read {}", ["file"], "e"),
        '        throw new UncheckedIOException("Cannot read " + file, e);',
        "    }",
        "    return result;",
        "}",
    ]


def m_optional(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("displayName")
    ctx.imp("java.util.Optional")
    return [
        f"public String {name}({e}Dto dto) {{",
        "    return Optional.ofNullable(dto)",
        f"            .map({e}Dto::getName)",
        "            .map(String::trim)",
        "            .filter(n -> !n.isEmpty())",
        '            .orElseGet(() -> "unnamed-" + (dto == null ? "?" : String.valueOf(dto.getId())));',
        "}",
    ]


def m_anon_comparator(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("sortByPriority")
    ctx.imp("java.util.Comparator")
    ctx.imp("java.util.List")
    return [
        f"void {name}(List<{e}Dto> items) {{",
        f"    items.sort(new Comparator<{e}Dto>() {{",
        "        @Override",
        f"        public int compare({e}Dto left, {e}Dto right) {{",
        "            int byPriority = Integer.compare(left.getPriority(), right.getPriority());",
        "            if (byPriority != 0) {",
        "                return byPriority;",
        "            }",
        "            return left.getName().compareTo(right.getName());",
        "        }",
        "    });",
        "}",
    ]


def m_string_builder(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("toCsvLine")
    return [
        f"String {name}({e}Dto dto, char separator) {{",
        "    StringBuilder sb = new StringBuilder(128);",
        "    sb.append(dto.getId()).append(separator);",
        '    sb.append(dto.getName() == null ? "" : dto.getName().replace(separator, \' \')).append(separator);',
        '    sb.append(dto.isActive() ? "Y" : "N").append(separator);',
        "    sb.append(dto.getAmount() != null ? dto.getAmount().toPlainString() : \"0.00\");",
        "    return sb.toString();",
        "}",
    ]


def m_retry(ctx: Ctx) -> list[str]:
    name = ctx.uniq("callWithRetry")
    ctx.imp("java.util.concurrent.Callable")
    return javadoc(ctx, "Calls the action, retrying with exponential back-off.",
                   ["action", "maxAttempts"], "the action's result") + [
        f"<T> T {name}(Callable<T> action, int maxAttempts) throws Exception {{",
        "    long delayMillis = 100L;",
        "    Exception last = null;",
        "    for (int attempt = 1; attempt <= maxAttempts; attempt++) {",
        "        try {",
        "            return action.call();",
        "        } catch (RuntimeException e) {",
        "            last = e;",
        "            " + ctx.logcall("warn", "Retrying {} (attempt {})", ["action", "attempt"]),
        "        }",
        "        try {",
        "            Thread.sleep(delayMillis);",
        "        } catch (InterruptedException ie) {",
        "            Thread.currentThread().interrupt();",
        '            throw new IllegalStateException("Interrupted while retrying", ie);',
        "        }",
        "        delayMillis = Math.min(delayMillis * 2, 5_000L);",
        "    }",
        '    throw last != null ? last : new IllegalStateException("no attempt made");',
        "}",
    ]


def m_generic_max(ctx: Ctx) -> list[str]:
    name = ctx.uniq("maxOf")
    ctx.imp("java.util.Collection")
    ctx.imp("java.util.Iterator")
    ctx.imp("java.util.NoSuchElementException")
    return [
        f"static <T extends Comparable<? super T>> T {name}(Collection<? extends T> values) {{",
        "    Iterator<? extends T> it = values.iterator();",
        "    if (!it.hasNext()) {",
        '        throw new NoSuchElementException("empty collection");',
        "    }",
        "    T best = it.next();",
        "    while (it.hasNext()) {",
        "        T candidate = it.next();",
        "        if (candidate.compareTo(best) > 0) {",
        "            best = candidate;",
        "        }",
        "    }",
        "    return best;",
        "}",
    ]


def m_future(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("loadAsync")
    ctx.imp("java.util.concurrent.CompletableFuture")
    ctx.imp("java.util.concurrent.Executor")
    return [
        f"public CompletableFuture<{e}Dto> {name}(Long id, Executor executor) {{",
        "    return CompletableFuture.supplyAsync(() -> fetchRemote(id), executor)",
        "            .thenApply(dto -> {",
        "                dto.setActive(dto.getAmount() != null);",
        "                return dto;",
        "            })",
        "            .exceptionally(ex -> {",
        "                " + ctx.logcall("error", "Async load of {} failed", ["id"], "ex"),
        "                return null;",
        "            });",
        "}",
    ]


def m_compute(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("index" + plural(e))
    ctx.imp("java.util.ArrayList")
    ctx.imp("java.util.HashMap")
    ctx.imp("java.util.List")
    ctx.imp("java.util.Map")
    return [
        f"Map<String, List<Long>> {name}(Iterable<{e}Dto> items) {{",
        "    Map<String, List<Long>> index = new HashMap<>();",
        "    Map<String, Integer> counts = new HashMap<>();",
        "    items.forEach(item -> {",
        "        String key = item.getCode() == null ? \"-\" : item.getCode().toLowerCase();",
        "        index.computeIfAbsent(key, k -> new ArrayList<>()).add(item.getId());",
        "        counts.merge(key, 1, Integer::sum);",
        "    });",
        "    counts.entrySet().removeIf(entry -> entry.getValue() < 2);",
        "    index.keySet().retainAll(counts.keySet());",
        "    return index;",
        "}",
    ]


def m_sync_cache(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("cached" + e)
    ctx.imp("java.util.Map")
    ctx.imp("java.util.concurrent.ConcurrentHashMap")
    field_name = ctx.uniq("cache")
    lock = ctx.uniq("lock")
    return [
        f"private final Map<Long, {e}Dto> {field_name} = new ConcurrentHashMap<>();",
        f"private final Object {lock} = new Object();",
        "",
        f"{e}Dto {name}(Long id) {{",
        f"    {e}Dto value = {field_name}.get(id);",
        "    if (value == null) {",
        f"        synchronized ({lock}) {{",
        f"            value = {field_name}.get(id);",
        "            if (value == null) {",
        "                value = fetchRemote(id);",
        f"                {field_name}.put(id, value);",
        "            }",
        "        }",
        "    }",
        "    return value;",
        "}",
    ]


def m_labelled(ctx: Ctx) -> list[str]:
    name = ctx.uniq("firstDuplicateRow")
    return [
        f"static int {name}(int[][] grid) {{",
        "    int found = -1;",
        "    outer:",
        "    for (int row = 0; row < grid.length; row++) {",
        "        for (int i = 0; i < grid[row].length; i++) {",
        "            for (int j = i + 1; j < grid[row].length; j++) {",
        "                if (grid[row][i] == grid[row][j]) {",
        "                    found = row;",
        "                    break outer;",
        "                }",
        "            }",
        "        }",
        "    }",
        "    return found;",
        "}",
    ]


def m_varargs(ctx: Ctx) -> list[str]:
    name = ctx.uniq("joinPath")
    ctx.imp("java.util.Arrays")
    ctx.imp("java.util.stream.Collectors")
    return [
        f"static String {name}(String first, String... more) {{",
        "    if (more.length == 0) {",
        "        return first;",
        "    }",
        "    return first + \"/\" + Arrays.stream(more)",
        "            .map(s -> s.replaceAll(\"^/+|/+$\", \"\"))",
        "            .filter(s -> !s.isEmpty())",
        "            .collect(Collectors.joining(\"/\"));",
        "}",
    ]


def m_arrays(ctx: Ctx) -> list[str]:
    name = ctx.uniq("percentile")
    ctx.imp("java.util.Arrays")
    return [
        f"static double {name}(double[] samples, double p) {{",
        "    if (samples.length == 0) {",
        "        return Double.NaN;",
        "    }",
        "    double[] sorted = Arrays.copyOf(samples, samples.length);",
        "    Arrays.sort(sorted);",
        "    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;",
        "    return sorted[Math.max(0, Math.min(rank, sorted.length - 1))];",
        "}",
    ]


def m_instanceof(ctx: Ctx) -> list[str]:
    name = ctx.uniq("asLabel")
    return [
        f"static String {name}(Object value) {{",
        "    if (value instanceof String s && !s.isBlank()) {",
        "        return s.strip();",
        "    } else if (value instanceof Number n) {",
        "        return String.format(\"%,.2f\", n.doubleValue());",
        "    } else if (value instanceof Enum<?> e) {",
        "        return e.name().toLowerCase();",
        "    }",
        "    return String.valueOf(value);",
        "}",
    ]


def m_var_and_lambda(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("summarize")
    ctx.imp("java.util.List")
    ctx.imp("java.util.function.Function")
    ctx.imp("java.util.function.Predicate")
    return [
        f"String {name}(List<{e}Dto> items, Predicate<? super {e}Dto> include) {{",
        f"    Function<{e}Dto, String> label = dto -> dto.getCode() + \":\" + dto.getQuantity();",
        "    var count = 0;",
        "    var sb = new StringBuilder();",
        "    for (var item : items) {",
        "        if (include.test(item)) {",
        "            if (count++ > 0) {",
        "                sb.append(\", \");",
        "            }",
        "            sb.append(label.apply(item));",
        "        }",
        "    }",
        "    return count + \" item(s): \" + sb;",
        "}",
    ]


def m_fetch_remote(ctx: Ctx) -> list[str]:
    e = ctx.entity
    return [
        f"private {e}Dto fetchRemote(Long id) {{",
        f"    {e}Dto dto = new {e}Dto();",
        "    dto.setId(id);",
        f'    dto.setName("{e.lower()}-" + id);',
        "    // TODO(" + ctx.rng.choice(AUTHORS) + "): call the real backend once it is migrated",
        "    return dto;",
        "}",
    ]


GENERIC_METHODS = [
    m_stream_filter, m_group_by, m_validate, m_sum_loop, m_switch_classic,
    m_switch_expr, m_try_resources, m_optional, m_anon_comparator,
    m_string_builder, m_retry, m_generic_max, m_future, m_compute,
    m_sync_cache, m_labelled, m_varargs, m_arrays, m_instanceof,
    m_var_and_lambda,
]

# Methods that call fetchRemote(..) (the class must then define it).
NEEDS_FETCH = {m_future, m_sync_cache}
# Methods that reference MAX_NAME_LENGTH.
NEEDS_MAX = {m_validate}


# --------------------------------------------------------------------------
# Planted constructs (positives) and look-alikes (negatives)
# --------------------------------------------------------------------------


def p_local_address(ctx: Ctx) -> list[str]:
    ctx.imp("java.net.UnknownHostException")
    variant = ctx.rng.randrange(7)
    name = ctx.uniq("currentNodeName")
    if variant == 6:
        ctx.imp("org.apache.dubbo.common.utils.NetUtils")
        return [
            "/** The address this provider registers under. */",
            f"String {ctx.uniq('registryAddress')}(int port) {{",
            plant("host/local-address", '    return NetUtils.getLocalHost() + ":" + port;'),
            "}",
        ]
    if variant == 0:
        ctx.imp("java.net.InetAddress")
        call = plant("host/local-address",
                     "return InetAddress.getLocalHost().getHostName();")
    elif variant == 1:
        ctx.imp("java.net.InetAddress")
        call = plant("host/local-address",
                     "return InetAddress.getLocalHost().getHostAddress();")
    elif variant == 2:
        call = plant("host/local-address",
                     "return java.net.InetAddress.getLocalHost().getCanonicalHostName();")
    elif variant == 3:
        ctx.simp("java.net.InetAddress.getLocalHost")
        call = plant("host/local-address", "return getLocalHost().getHostName();")
    elif variant == 4:
        ctx.imp("java.net.InetAddress")
        return [
            f"String {name}() {{",
            "    try {",
            plant("host/local-address", "        InetAddress local = InetAddress.getLocalHost();"),
            # derived from the local address: podready reports these too
            plant("host/local-address",
                  '        return local.getHostName() + "/" + local.getHostAddress();'),
            "    } catch (UnknownHostException e) {",
            '        return "unknown";',
            "    }",
            "}",
        ]
    else:
        ctx.imp("java.net.NetworkInterface")
        ctx.imp("java.net.SocketException")
        ctx.imp("java.util.Collections")
        ctx.imp("java.util.ArrayList")
        ctx.imp("java.util.List")
        return [
            f"List<String> {ctx.uniq('localAddresses')}() {{",
            "    List<String> addresses = new ArrayList<>();",
            "    try {",
            plant("host/local-address",
                  "        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {"),
            "            if (nic.isUp() && !nic.isLoopback()) {",
            "                nic.inetAddresses().forEach(a -> addresses.add(a.getHostAddress()));",
            "            }",
            "        }",
            "    } catch (SocketException e) {",
            "        " + ctx.logcall("warn", "Cannot list network interfaces", [], "e"),
            "    }",
            "    return addresses;",
            "}",
        ]
    return javadoc(ctx, "Returns the name of the node this instance runs on.", [],
                   "the host name") + [
        f"String {name}() {{",
        "    try {",
        "    " + call if not call.startswith(MARK) else indent([call], 2)[0],
        "    } catch (UnknownHostException e) {",
        "        " + ctx.logcall("warn", "Cannot resolve local host", [], "e"),
        '        return "localhost";',
        "    }",
        "}",
    ]


def p_hostname_env(ctx: Ctx) -> list[str]:
    variant = ctx.rng.randrange(5)
    name = ctx.uniq("nodeId")
    if variant in (0, 1):
        var = ["HOSTNAME", "COMPUTERNAME"][variant] if ctx.rng.random() < 0.8 else "HOST"
        return [
            f"String {name}() {{",
            plant("host/hostname-env", f'    String host = System.getenv("{var}");'),
            '    return host != null ? host : "unknown-host";',
            "}",
        ]
    if variant == 2:
        for i in ["java.io.BufferedReader", "java.io.IOException", "java.io.InputStreamReader",
                  "java.nio.charset.StandardCharsets"]:
            ctx.imp(i)
        return [
            f"String {name}() throws IOException {{",
            plant("host/hostname-env", '    Process p = Runtime.getRuntime().exec("hostname");'),
            "    try (BufferedReader r = new BufferedReader(",
            "            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {",
            "        return r.readLine();",
            "    }",
            "}",
        ]
    if variant == 3:
        ctx.imp("java.io.IOException")
        ctx.imp("java.nio.charset.StandardCharsets")
        return [
            f"String {name}() throws IOException, InterruptedException {{",
            plant("host/hostname-env", '    Process p = new ProcessBuilder("hostname").redirectErrorStream(true).start();'),
            "    p.waitFor();",
            "    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();",
            "}",
        ]
    ctx.imp("java.io.IOException")
    ctx.imp("java.nio.file.Files")
    ctx.imp("java.nio.file.Paths")
    return [
        f"String {name}() throws IOException {{",
        plant("host/hostname-env", '    return Files.readString(Paths.get("/etc/hostname")).trim();'),
        "}",
    ]


PRIVATE_IPS = ["10.12.3.4", "192.168.1.20", "10.0.4.17", "172.16.8.21", "10.20.30.40",
               "192.168.10.5", "172.31.0.12", "10.1.1.5", "10.45.0.9", "192.168.100.201"]


def p_hardcoded_ip(ctx: Ctx) -> tuple[list[str], bool]:
    """Returns (lines, is_field)."""
    ip = ctx.rng.choice(PRIVATE_IPS)
    variant = ctx.rng.randrange(6)
    if variant == 0:
        db = ctx.domain
        return [plant("host/hardcoded-ip",
                      f'private static final String DB_URL = "jdbc:mysql://{ip}:3306/{db}?useSSL=false";')], True
    if variant == 1:
        return [plant("host/hardcoded-ip", f'private String {ctx.uniq("gatewayHost")} = "{ip}";')], True
    if variant == 2:
        ctx.imp("java.net.InetSocketAddress")
        return [
            f"InetSocketAddress {ctx.uniq('cacheServer')}() {{",
            plant("host/hardcoded-ip", f'    return new InetSocketAddress("{ip}", 11211);'),
            "}",
        ], False
    if variant == 3:
        return [plant("host/hardcoded-ip",
                      f'private static final String PARTNER_API = "http://{ip}:8080/api/v1/{ctx.domain}";')], True
    if variant == 4:
        return [plant("host/hardcoded-ip",
                      f'static final String ORACLE_URL = "jdbc:oracle:thin:@{ip}:1521:ORCL";')], True
    # Two addresses in one literal: one planted site, two addresses.
    other = ctx.rng.choice([x for x in PRIVATE_IPS if x != ip])
    return [plant("host/hardcoded-ip",
                  f'private String kafkaBootstrap = "{ip}:9092,{other}:9092";')], True


def p_stdout(ctx: Ctx) -> list[str]:
    e = ctx.entity
    name = ctx.uniq("dump")
    variant = ctx.rng.randrange(5)
    if variant == 4:
        ctx.imp("java.util.List")
        return [f"void {name}(List<String> lines) {{",
                plant("logging/stdout", "    lines.forEach(System.out::println);"), "}"]
    stmt = [
        f'    System.out.println("{e} " + dto.getId() + " -> " + dto.getName());',
        f'    System.err.println("WARN: {e.lower()} without amount: " + dto.getId());',
        '    System.out.printf("%s;%s;%s%n", dto.getId(), dto.getName(), dto.getAmount());',
        '    System.out.print(dto.getCode());',
    ][variant]
    return [f"void {name}({e}Dto dto) {{", plant("logging/stdout", stmt), "}"]


def p_print_stack_trace(ctx: Ctx) -> list[str]:
    ctx.imp("java.io.IOException")
    ctx.imp("java.nio.file.Files")
    ctx.imp("java.nio.file.Path")
    name = ctx.uniq("deleteQuietly")
    exc = ctx.rng.choice(["e", "ex", "ioe"])
    stmt = ctx.rng.choice([f"{exc}.printStackTrace();", f"{exc}.printStackTrace(System.err);",
                           f"{exc}.printStackTrace();"])
    return [
        f"boolean {name}(Path file) {{",
        "    try {",
        "        return Files.deleteIfExists(file);",
        f"    }} catch (IOException {exc}) {{",
        plant("logging/print-stack-trace", "        " + stmt),
        "        return false;",
        "    }",
        "}",
    ]


def n_getbyname(ctx: Ctx) -> list[str]:
    ctx.imp("java.net.InetAddress")
    ctx.imp("java.net.UnknownHostException")
    return [
        "/** Reverse lookup of a peer's host name, used in audit records only. */",
        f"String {ctx.uniq('peerName')}(String host) {{",
        "    try {",
        "        return InetAddress.getByName(host).getHostName();",
        "    } catch (UnknownHostException e) {",
        "        return host;",
        "    }",
        "}",
    ]


def n_ip_comment(ctx: Ctx) -> list[str]:
    ip = ctx.rng.choice(PRIVATE_IPS)
    return [
        "/*",
        f" * The old data centre gateway was {ip}; since the move to the service mesh the",
        " * address comes from configuration (see GatewayProperties).",
        " */",
        f"// previously: jdbc:mysql://{ctx.rng.choice(PRIVATE_IPS)}:3306/{ctx.domain}",
        f'private String {ctx.uniq("gatewayName")} = "gateway.{ctx.domain}.svc.cluster.local";',
    ]


def n_version(ctx: Ctx) -> list[str]:
    v = ctx.rng.choice(["1.2.3.4", "2.10.0.1", "4.0.12.7", "3.1.4.1"])
    return [f'public static final String VERSION = "{v}";']


def n_version_call(ctx: Ctx) -> list[str]:
    ctx.imp("java.util.Properties")
    v = ctx.rng.choice(["1.2.3.4", "2.10.0.1", "4.0.12.7", "3.1.4.1"])
    return [
        f"Properties {ctx.uniq('buildInfo')}(Properties props) {{",
        f'    String minClientVersion = "{v}";',
        '    props.setProperty("client.min", minClientVersion);',
        f'    setProtocolVersion(props, "{ctx.rng.choice(["1.0.0.0", "2.1.0.3"])}");',
        "    return props;",
        "}",
        "",
        "private static void setProtocolVersion(Properties props, String version) {",
        '    props.setProperty("protocol.version", version);',
        "}",
    ]


def n_loopback(ctx: Ctx) -> list[str]:
    return [
        'private static final String BIND_ADDRESS = "0.0.0.0";',
        'private static final String LOCAL_AGENT = "127.0.0.1:8126";',
        'private String fallbackHost = "localhost";',
    ]


def n_invalid_ip(ctx: Ctx) -> list[str]:
    return ['private static final String MASK_EXAMPLE = "999.10.1.300";',
            'private static final String SUBNET_MASK = "255.255.255.0";',
            'private static final String BUILD_ID = "20231107.1532.4";']


def n_env_other(ctx: Ctx) -> list[str]:
    return [
        f"String {ctx.uniq('configDir')}() {{",
        '    String home = System.getenv("APP_HOME");',
        '    String profile = System.getProperty("spring.profiles.active", "default");',
        '    return (home != null ? home : System.getenv("HOME")) + "/conf/" + profile;',
        "}",
    ]


def n_printwriter(ctx: Ctx) -> list[str]:
    ctx.imp("java.io.PrintWriter")
    ctx.imp("java.io.StringWriter")
    return [
        f"static String {ctx.uniq('stackTraceOf')}(Throwable t) {{",
        "    StringWriter sw = new StringWriter();",
        "    PrintWriter out = new PrintWriter(sw);",
        "    t.printStackTrace(out);",
        '    out.println("-- end of trace --");',
        "    out.flush();",
        "    return sw.toString();",
        "}",
    ]


def n_exec_other(ctx: Ctx) -> list[str]:
    ctx.imp("java.io.IOException")
    return [
        f"int {ctx.uniq('diskUsagePercent')}(String mount) throws IOException, InterruptedException {{",
        '    Process p = new ProcessBuilder("df", "--output=pcent", mount).start();',
        "    int cpus = Runtime.getRuntime().availableProcessors();",
        "    return p.waitFor() == 0 ? cpus : -1;",
        "}",
    ]


def n_not_a_host(ctx: Ctx) -> list[str]:
    return [
        'private static final String ALLOWED_SUBNET = "10.0.0.0/8";',
        'private static final String MDNS_GROUP = "224.0.0.251";',
        'private static final String USAGE = "usage: connect HOST (for example 10.0.0.1)";',
        'private static final String HOST_ERROR_MESSAGE = "not a host: 10.0.0.256";',
    ]


NEGATIVE_MEMBERS = [n_getbyname, n_ip_comment, n_version, n_version_call, n_loopback,
                    n_invalid_ip, n_env_other, n_printwriter, n_exec_other, n_not_a_host]


# --------------------------------------------------------------------------
# File assembly
# --------------------------------------------------------------------------


def render_file(ctx: Ctx, body: list[str], header_comment: bool = True) -> tuple[str, list[tuple[str, int]]]:
    """Assemble header, package, imports and body; return (text, plants)."""
    rng = ctx.rng
    out: list[str] = []
    if header_comment:
        y1 = 2012 + rng.randrange(8)
        out += LICENSE.format(y1=y1, y2=y1 + 1 + rng.randrange(5)).split("\n")
        out.append("")
    out.append(f"package {ctx.package};")
    out.append("")
    if ctx.uses_log:
        for name, planted in ctx.log.imports():
            ctx.imp(name, planted)

    def group(n: str) -> int:
        if n.startswith("java."):
            return 0
        if n.startswith("javax."):
            return 1
        return 2

    names = sorted(ctx.imports, key=lambda n: (group(n), n))
    last_group = None
    for n in names:
        if last_group is not None and group(n) != last_group:
            out.append("")
        last_group = group(n)
        line = f"import {n};"
        if ctx.imports[n]:
            rule = "logging/legacy-api"
            line = plant(rule, line)
        out.append(line)
    if ctx.static_imports:
        if names:
            out.append("")
        for n in sorted(ctx.static_imports):
            out.append(f"import static {n};")
    if names or ctx.static_imports:
        out.append("")
    out += body

    text_lines = []
    plants = []
    for i, line in enumerate(out, start=1):
        if line.startswith(MARK):
            _, rule, line = line.split(MARK, 2)
            plants.append((rule, i))
        text_lines.append(line.rstrip())
    return "\n".join(text_lines) + "\n", plants


def class_javadoc(ctx: Ctx, what: str) -> list[str]:
    rng = ctx.rng
    lines = ["/**", f" * {what}"]
    if rng.random() < 0.5:
        lines += [" *", " * <p>" + rng.choice([
            f"Part of the {ctx.domain} bounded context; do not call it from other modules directly.",
            "Instances are immutable once built and may be shared between threads.",
            "This type is serialised to JSON by the public REST API: keep field names stable.",
            "Migrated from the monolith in 2019; some methods keep their historical names.",
            f"Owned by team {ctx.domain.title()} (#{ctx.domain}-dev on chat).",
        ])]
    lines.append(" *")
    lines.append(f" * @author {rng.choice(AUTHORS)}")
    if rng.random() < 0.5:
        lines.append(f" * @since {rng.randrange(1, 5)}.{rng.randrange(0, 12)}")
    lines.append(" */")
    return lines


def members_len(members: list[list[str]]) -> int:
    return sum(len(m) + 1 for m in members)


def class_file(ctx: Ctx, target: int, *, kind: str, decl: list[str], fields: list[str],
               members: list[list[str]], filler, plants_pos: list, negatives: list,
               doc: str, tail: list[list[str]] = ()) -> tuple[str, list]:
    """Generic class assembly: fill members with `filler(ctx)` until target lines."""
    rng = ctx.rng
    header_estimate = 22 + len(ctx.imports) + 14
    members = list(members)
    field_lines = list(fields)
    # planted / negative members
    extra_fields: list[str] = []
    extra_members: list[list[str]] = []
    for gen in plants_pos:
        res = gen(ctx)
        if isinstance(res, tuple):
            lines, is_field = res
            if is_field:
                extra_fields.extend(lines)
            else:
                extra_members.append(lines)
        else:
            extra_members.append(res)
    for gen in negatives:
        lines = gen(ctx)
        if len(lines) <= 4 and all(not l.startswith(("/", "*", " ")) for l in lines) \
                and not lines[0].rstrip().endswith("{"):
            extra_fields.extend(lines)
        else:
            extra_members.append(lines)
    guard = 0
    while header_estimate + len(decl) + len(field_lines) + len(extra_fields) + \
            members_len(members) + members_len(extra_members) + members_len(list(tail)) + 2 < target:
        m = filler(ctx)
        if m is None:
            break
        members.append(m)
        guard += 1
        if guard > 400:
            break
    for m in extra_members:
        members.insert(rng.randrange(len(members) + 1), m)
    body = class_javadoc(ctx, doc) + decl
    all_fields = field_lines[:]
    for f in extra_fields:
        all_fields.insert(rng.randrange(len(all_fields) + 1), f)
    while all_fields and all_fields[-1] == "":
        all_fields.pop()
    while all_fields and all_fields[0] == "":
        all_fields.pop(0)
    body += indent(all_fields)
    for m in members + list(tail):
        body.append("")
        body += indent(m)
    body.append("}")
    return render_file(ctx, body)


def generic_filler(ctx: Ctx, pool=GENERIC_METHODS):
    state = {"fetch": False, "max": False}

    def next_member(c: Ctx):
        gen = c.rng.choice(pool)
        if gen in NEEDS_FETCH:
            state["fetch"] = True
        if gen in NEEDS_MAX:
            state["max"] = True
        return gen(c)

    return next_member, state


def finish_state_members(ctx: Ctx, state: dict, fields: list[str], members: list[list[str]]):
    if state["max"] and not any("MAX_NAME_LENGTH =" in f for f in fields):
        fields.insert(0, "private static final int MAX_NAME_LENGTH = 255;")
    if state["fetch"]:
        members.append(m_fetch_remote(ctx))


def build_class_like(ctx: Ctx, target: int, kind: str, decl: list[str], fields: list[str],
                     base_members: list[list[str]], pool, plants_pos, negatives, doc) -> tuple[str, list]:
    """Pre-generate members from `pool` up to the target size, then add the helper
    members and constants that the chosen methods need, and assemble the class."""
    filler, state = generic_filler(ctx, pool)
    fields = list(fields)
    planned = list(base_members)
    header_estimate = 36 + len(ctx.imports)
    while header_estimate + len(decl) + len(fields) + members_len(planned) + 12 < target:
        planned.append(filler(ctx))
        if len(planned) > 400:
            break
    tail: list[list[str]] = []
    finish_state_members(ctx, state, fields, tail)
    return class_file(ctx, 0, kind=kind, decl=decl, fields=fields, members=planned,
                      filler=lambda c: None, plants_pos=plants_pos, negatives=negatives,
                      doc=doc, tail=tail)


# --------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------


def t_service(ctx: Ctx, target: int, plants_pos, negatives):
    e = ctx.entity
    ctx.uses_log = True
    ctx.imp("org.springframework.stereotype.Service")
    ctx.imp("org.springframework.transaction.annotation.Transactional")
    repo = f"{e}Repository"
    ctx.imp(f"com.acme.{ctx.domain}.repository.{repo}")
    ctx.imp(f"com.acme.{ctx.domain}.dto.{e}Dto")
    ctx.imp("java.util.List")
    ctx.imp("java.util.Optional")
    decl = ["@Service", "@Transactional(readOnly = true)", f"public class {ctx.cls} {{", ""]
    fields = [ctx.log.field(ctx.cls), "", f"private final {repo} repository;", ""]
    r = lower_first(e)
    base = [
        [f"public {ctx.cls}({repo} repository) {{", "    this.repository = repository;", "}"],
        javadoc(ctx, f"Finds a {e.lower()} by id.", ["id"], "the dto, if present") + [
            f"public Optional<{e}Dto> findById(Long id) {{",
            "    return repository.findById(id);",
            "}"],
        ["@Transactional",
         f"public {e}Dto save({e}Dto {r}) {{",
         f"    {e}Dto saved = repository.save({r});",
         "    " + ctx.logcall("info", f"Saved {e.lower()} {{}}", ["saved.getId()"]),
         "    return saved;",
         "}"],
        [f"public List<{e}Dto> findAll(int page, int size) {{",
         "    if (page < 0 || size <= 0) {",
         '        throw new IllegalArgumentException("page must be >= 0 and size > 0");',
         "    }",
         "    return repository.findAll(page * size, size);",
         "}"],
    ]
    return build_class_like(ctx, target, "service", decl, fields, base, GENERIC_METHODS,
                            plants_pos, negatives, f"Business operations on {plural(e).lower()}.")


def t_controller(ctx: Ctx, target: int, plants_pos, negatives):
    e = ctx.entity
    svc = f"{e}Service"
    ctx.uses_log = True
    for i in ["org.springframework.http.HttpStatus", "org.springframework.http.ResponseEntity",
              "org.springframework.web.bind.annotation.GetMapping",
              "org.springframework.web.bind.annotation.PathVariable",
              "org.springframework.web.bind.annotation.PostMapping",
              "org.springframework.web.bind.annotation.RequestBody",
              "org.springframework.web.bind.annotation.RequestMapping",
              "org.springframework.web.bind.annotation.RequestParam",
              "org.springframework.web.bind.annotation.RestController",
              "javax.validation.Valid", "java.util.List"]:
        ctx.imp(i)
    ctx.imp(f"com.acme.{ctx.domain}.service.{svc}")
    ctx.imp(f"com.acme.{ctx.domain}.dto.{e}Dto")
    path = "/api/v1/" + plural(e).lower()
    decl = ["@RestController", f'@RequestMapping("{path}")', f"public class {ctx.cls} {{", ""]
    fields = [ctx.log.field(ctx.cls), "", f"private final {svc} service;", ""]
    base = [
        [f"public {ctx.cls}({svc} service) {{", "    this.service = service;", "}"],
        javadoc(ctx, f"GET {path}/{{id}}", ["id"], "200 with the body, or 404") + [
            '@GetMapping("/{id}")',
            f'public ResponseEntity<{e}Dto> get(@PathVariable("id") Long id) {{',
            "    return service.findById(id)",
            "            .map(ResponseEntity::ok)",
            "            .orElseGet(() -> ResponseEntity.notFound().build());",
            "}"],
        ["@GetMapping",
         f"public List<{e}Dto> list(@RequestParam(value = \"page\", defaultValue = \"0\") int page,",
         "        @RequestParam(value = \"size\", defaultValue = \"20\") int size) {",
         "    return service.findAll(page, size);",
         "}"],
        ["@PostMapping",
         f"public ResponseEntity<{e}Dto> create(@Valid @RequestBody {e}Dto body) {{",
         "    " + ctx.logcall("info", f"Creating {e.lower()} {{}}", ["body.getName()"]),
         "    return ResponseEntity.status(HttpStatus.CREATED).body(service.save(body));",
         "}"],
    ]
    endpoint_counter = [0]

    def endpoint(c: Ctx):
        endpoint_counter[0] += 1
        n = endpoint_counter[0]
        verb = c.rng.choice(VERBS)
        if c.rng.random() < 0.5:
            c.imp("org.springframework.web.bind.annotation.PutMapping")
            return [
                f'@PutMapping("/{{id}}/{verb}")',
                f'public ResponseEntity<Void> {verb}{upper_first(e)}{n}(@PathVariable("id") Long id,',
                "        @RequestBody(required = false) String reason) {",
                "    " + c.logcall("info", "Request to " + verb + " {} {}", ["id", "reason"]),
                "    return service.findById(id).isPresent()",
                "            ? ResponseEntity.accepted().build()",
                "            : ResponseEntity.notFound().build();",
                "}",
            ]
        c.imp("org.springframework.web.bind.annotation.DeleteMapping")
        c.imp("org.springframework.web.bind.annotation.ExceptionHandler")
        return [
            f'@DeleteMapping("/{{id}}/{verb}-{n}")',
            f'public ResponseEntity<Void> remove{n}(@PathVariable("id") Long id) {{',
            "    if (id == null || id <= 0) {",
            "        return ResponseEntity.badRequest().build();",
            "    }",
            "    return ResponseEntity.noContent().build();",
            "}",
            "",
            "@ExceptionHandler(IllegalStateException.class)",
            f"public ResponseEntity<String> onConflict{n}(IllegalStateException ex) {{",
            "    " + c.logcall("warn", "Conflict: {}", ["ex.getMessage()"]),
            "    return ResponseEntity.status(HttpStatus.CONFLICT).body(ex.getMessage());",
            "}",
        ]

    pool = [endpoint, endpoint, endpoint, m_validate, m_optional, m_string_builder]
    return build_class_like(ctx, target, "controller", decl, fields, base, pool,
                            plants_pos, negatives, f"REST endpoints for {plural(e).lower()}.")


def t_dao(ctx: Ctx, target: int, plants_pos, negatives):
    e = ctx.entity
    table = snake_upper(plural(e)).lower()
    ctx.uses_log = True
    for i in ["java.sql.Connection", "java.sql.PreparedStatement", "java.sql.ResultSet",
              "java.sql.SQLException", "java.sql.Statement", "java.util.ArrayList",
              "java.util.List", "java.util.Optional", "javax.sql.DataSource",
              "org.springframework.stereotype.Repository"]:
        ctx.imp(i)
    ctx.imp(f"com.acme.{ctx.domain}.dto.{e}Dto")
    decl = ["@Repository", f"public class {ctx.cls} {{", ""]
    fields = [
        ctx.log.field(ctx.cls), "",
        f'private static final String SELECT_BY_ID = "SELECT id, name, code, amount, active FROM {table} WHERE id = ?";',
        f'private static final String INSERT = "INSERT INTO {table} (name, code, amount, active) VALUES (?, ?, ?, ?)";',
        f'private static final String DELETE = "DELETE FROM {table} WHERE id = ?";',
        "",
        "private final DataSource dataSource;", "",
    ]
    base = [
        [f"public {ctx.cls}(DataSource dataSource) {{", "    this.dataSource = dataSource;", "}"],
        [f"public Optional<{e}Dto> findById(long id) {{",
         "    try (Connection con = dataSource.getConnection();",
         "         PreparedStatement ps = con.prepareStatement(SELECT_BY_ID)) {",
         "        ps.setLong(1, id);",
         "        try (ResultSet rs = ps.executeQuery()) {",
         "            return rs.next() ? Optional.of(mapRow(rs)) : Optional.empty();",
         "        }",
         "    } catch (SQLException e) {",
         f'        throw new DataAccessFailure("findById failed for {e.lower()} " + id, e);',
         "    }",
         "}"],
        [f"public long insert({e}Dto dto) {{",
         "    try (Connection con = dataSource.getConnection();",
         "         PreparedStatement ps = con.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {",
         "        ps.setString(1, dto.getName());",
         "        ps.setString(2, dto.getCode());",
         "        ps.setBigDecimal(3, dto.getAmount());",
         "        ps.setBoolean(4, dto.isActive());",
         "        ps.executeUpdate();",
         "        try (ResultSet keys = ps.getGeneratedKeys()) {",
         "            if (!keys.next()) {",
         '                throw new SQLException("no generated key");',
         "            }",
         "            return keys.getLong(1);",
         "        }",
         "    } catch (SQLException e) {",
         "        " + ctx.logcall("error", f"Insert into {table} failed for {{}}", ["dto.getCode()"], "e"),
         '        throw new DataAccessFailure("insert failed", e);',
         "    }",
         "}"],
        [f"private {e}Dto mapRow(ResultSet rs) throws SQLException {{",
         f"    {e}Dto dto = new {e}Dto();",
         '    dto.setId(rs.getLong("id"));',
         '    dto.setName(rs.getString("name"));',
         '    dto.setCode(rs.getString("code"));',
         '    dto.setAmount(rs.getBigDecimal("amount"));',
         '    dto.setActive(rs.getBoolean("active"));',
         "    return dto;",
         "}"],
        ["/** Unchecked wrapper so callers do not have to deal with SQLException. */",
         "public static class DataAccessFailure extends RuntimeException {",
         "    private static final long serialVersionUID = 1L;",
         "",
         "    public DataAccessFailure(String message, Throwable cause) {",
         "        super(message, cause);",
         "    }",
         "}"],
    ]
    q = [0]

    def query(c: Ctx):
        q[0] += 1
        n = q[0]
        col = c.rng.choice(["code", "name", "status", "region", "channel", "currency"])
        variant = c.rng.randrange(3)
        if variant == 0:
            return [
                f"public List<{e}Dto> findBy{upper_first(col)}{n}(String {col}, int limit) {{",
                f'    String sql = "SELECT id, name, code, amount, active FROM {table} "',
                f'            + "WHERE {col} = ? ORDER BY id DESC LIMIT ?";',
                f"    List<{e}Dto> result = new ArrayList<>();",
                "    try (Connection con = dataSource.getConnection();",
                "         PreparedStatement ps = con.prepareStatement(sql)) {",
                f"        ps.setString(1, {col});",
                "        ps.setInt(2, limit);",
                "        try (ResultSet rs = ps.executeQuery()) {",
                "            while (rs.next()) {",
                "                result.add(mapRow(rs));",
                "            }",
                "        }",
                "    } catch (SQLException e) {",
                f'        throw new DataAccessFailure("query by {col} failed", e);',
                "    }",
                "    return result;",
                "}",
            ]
        if variant == 1:
            return [
                f"public int[] batchUpdate{n}(List<{e}Dto> items) {{",
                f'    String sql = "UPDATE {table} SET {col} = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?";',
                "    try (Connection con = dataSource.getConnection()) {",
                "        con.setAutoCommit(false);",
                "        try (PreparedStatement ps = con.prepareStatement(sql)) {",
                f"            for ({e}Dto item : items) {{",
                "                ps.setString(1, item.getCode());",
                "                ps.setLong(2, item.getId());",
                "                ps.addBatch();",
                "            }",
                "            int[] counts = ps.executeBatch();",
                "            con.commit();",
                "            return counts;",
                "        } catch (SQLException e) {",
                "            con.rollback();",
                "            throw e;",
                "        }",
                "    } catch (SQLException e) {",
                "        " + c.logcall("error", "Batch update of {} rows failed", ["items.size()"], "e"),
                '        throw new DataAccessFailure("batch update failed", e);',
                "    }",
                "}",
            ]
        return [
            f"public long count{upper_first(col)}{n}(String {col}) {{",
            "    String sql = \"\"\"",
            "            SELECT COUNT(*)",
            f"              FROM {table} t",
            f"             WHERE t.{col} = ?",
            "               AND t.active = TRUE",
            "            \"\"\";",
            "    try (Connection con = dataSource.getConnection();",
            "         PreparedStatement ps = con.prepareStatement(sql)) {",
            f"        ps.setString(1, {col});",
            "        try (ResultSet rs = ps.executeQuery()) {",
            "            return rs.next() ? rs.getLong(1) : 0L;",
            "        }",
            "    } catch (SQLException e) {",
            '        throw new DataAccessFailure("count failed", e);',
            "    }",
            "}",
        ]

    pool = [query, query, query, m_validate]
    return build_class_like(ctx, target, "dao", decl, fields, base, pool, plants_pos, negatives,
                            f"JDBC access to the {table} table.")


def t_dto(ctx: Ctx, target: int, plants_pos, negatives):
    e = ctx.entity
    rng = ctx.rng
    ctx.imp("java.io.Serializable")
    ctx.imp("java.util.Objects")
    json = rng.random() < 0.4
    if json:
        ctx.imp("com.fasterxml.jackson.annotation.JsonInclude")
        ctx.imp("com.fasterxml.jackson.annotation.JsonProperty")
    decl = (["@JsonInclude(JsonInclude.Include.NON_NULL)"] if json else []) + \
           [f"public class {ctx.cls} implements Serializable {{", ""]
    # Fields: always the ones other templates use, plus random extra ones.
    base_fields = [("Long", "id"), ("String", "name"), ("String", "code"),
                   ("BigDecimal", "amount"), ("boolean", "active"), ("String", "status"),
                   ("Integer", "priority"), ("int", "quantity")]
    extra = [f for f in FIELD_TYPES if f[1] not in {n for _, n in base_fields}]
    rng.shuffle(extra)
    # ~12 lines per field (declaration, getter, setter)
    n_extra = max(0, min(len(extra), (target - 120) // 13))
    fields_def = base_fields + extra[:n_extra]
    fields = ["private static final long serialVersionUID = 1L;", ""]
    for t, n in fields_def:
        ctx.use_type(t)
        if json and rng.random() < 0.3:
            fields.append(f'@JsonProperty("{snake_upper(n).lower()}")')
        fields.append(f"private {t} {n};")
    fields.append("")
    members = [[f"public {ctx.cls}() {{", "}"]]
    for t, n in fields_def:
        getter = ("is" if t == "boolean" else "get") + upper_first(n)
        members.append([f"public {t} {getter}() {{", f"    return {n};", "}"])
        members.append([f"public void set{upper_first(n)}({t} {n}) {{", f"    this.{n} = {n};", "}"])
    members.append([
        "@Override",
        "public boolean equals(Object o) {",
        "    if (this == o) {",
        "        return true;",
        "    }",
        "    if (o == null || getClass() != o.getClass()) {",
        "        return false;",
        "    }",
        f"    {ctx.cls} that = ({ctx.cls}) o;",
        "    return Objects.equals(id, that.id) && Objects.equals(code, that.code);",
        "}",
    ])
    members.append(["@Override", "public int hashCode() {", "    return Objects.hash(id, code);", "}"])
    members.append([
        "@Override",
        "public String toString() {",
        f'    return "{ctx.cls}{{" + "id=" + id + ", name=\'" + name + \'\\\'\' + ", status=" + status + \'}}\';',
        "}",
    ])
    if target > 250:
        b = ["/** Fluent builder, mostly used by tests and mappers. */",
             "public static final class Builder {",
             f"    private final {ctx.cls} target = new {ctx.cls}();", ""]
        for t, n in fields_def[: min(len(fields_def), 12)]:
            b += [f"    public Builder {n}({t} value) {{", f"        target.{n} = value;",
                  "        return this;", "    }", ""]
        b += [f"    public {ctx.cls} build() {{", "        return target;", "    }", "}"]
        members.append(b)
        members.append(["public static Builder builder() {", "    return new Builder();", "}"])
    # Filler for very large DTOs: derived accessors.
    derived = [0]

    def filler(c: Ctx):
        derived[0] += 1
        n = derived[0]
        t, f = c.rng.choice([x for x in fields_def if x[0] in ("String", "Long", "Integer")])
        return [f"public boolean has{upper_first(f)}{n}() {{",
                f"    return {f} != null" + (" && !" + f + ".isEmpty();" if t == "String" else ";"),
                "}"]
    return class_file(ctx, target, kind="dto", decl=decl, fields=fields, members=members,
                      filler=filler, plants_pos=plants_pos, negatives=negatives,
                      doc=f"Data transfer object for a {e.lower()}.")


def t_util(ctx: Ctx, target: int, plants_pos, negatives):
    ctx.uses_log = True
    decl = [f"public final class {ctx.cls} {{", ""]
    fields = [ctx.log.field(ctx.cls), "", "private static final int MAX_NAME_LENGTH = 255;", ""]
    base = [[f"private {ctx.cls}() {{", '    throw new AssertionError("no instances");', "}"]]
    pool = [m_generic_max, m_varargs, m_arrays, m_instanceof, m_switch_classic, m_labelled,
            m_string_builder, m_compute, m_optional, m_try_resources]

    def static_ify(gen):
        def wrapped(c: Ctx):
            lines = gen(c)
            out = []
            done = False
            for line in lines:
                if not done and not line.startswith(("/", " *", "@")) and line.endswith("{") \
                        and not line.startswith(" "):
                    if not line.startswith("static ") and " static " not in line:
                        line = ("public static " + line[len("public "):]) if line.startswith("public ") \
                            else "static " + line
                    done = True
                out.append(line)
            return out
        return wrapped

    return build_class_like(ctx, target, "util", decl, fields, base,
                            [static_ify(g) for g in pool], plants_pos, negatives,
                            "Static helpers; no state.")


def t_enum(ctx: Ctx, target: int, plants_pos, negatives):
    rng = ctx.rng
    n_consts = max(3, min(40, (target - 60) // 2))
    names = []
    pool = STATUSES + [f"{v.upper()}_{s}" for v in VERBS for s in ("REQUESTED", "DONE")]
    names = rng.sample(pool, min(len(pool), n_consts))
    abstract = rng.random() < 0.25 and len(names) <= 8
    decl = [f"public enum {ctx.cls} {{", ""]
    consts = []
    for i, n in enumerate(names):
        sep = ";" if i == len(names) - 1 else ","
        if abstract:
            consts += [f'{n}("{n[:3]}", {i * 10}) {{',
                       "    @Override",
                       "    public boolean isTerminal() {",
                       f"        return {'true' if i % 3 == 0 else 'false'};",
                       "    }",
                       f"}}{sep}"]
        else:
            consts.append(f'{n}("{n[:3]}{i}", {i * 10}){sep}')
    fields = consts + ["", "private final String code;", "private final int weight;", ""]
    members = [
        [f"{ctx.cls}(String code, int weight) {{", "    this.code = code;",
         "    this.weight = weight;", "}"],
        ["public String getCode() {", "    return code;", "}"],
        ["public int getWeight() {", "    return weight;", "}"],
        javadoc(ctx, "Looks a constant up by its code.", ["code"], "the constant",
                "IllegalArgumentException") + [
            f"public static {ctx.cls} fromCode(String code) {{",
            f"    for ({ctx.cls} value : values()) {{",
            "        if (value.code.equalsIgnoreCase(code)) {",
            "            return value;",
            "        }",
            "    }",
            f'    throw new IllegalArgumentException("Unknown {ctx.cls} code: " + code);',
            "}"],
    ]
    if abstract:
        members.append(["public abstract boolean isTerminal();"])
    pool = [m_switch_classic, m_arrays, m_varargs]

    def filler(c: Ctx):
        g = c.rng.choice(pool)
        lines = g(c)
        return [("static " + l if l.startswith(("String ", "int ")) else l) for l in lines]
    return class_file(ctx, target, kind="enum", decl=decl, fields=fields, members=members,
                      filler=filler, plants_pos=[], negatives=[],
                      doc="Lifecycle states; codes are persisted, never renumber them.")


def t_interface(ctx: Ctx, target: int, plants_pos, negatives):
    e = ctx.entity
    ctx.imp("java.util.List")
    ctx.imp("java.util.Optional")
    ctx.imp(f"com.acme.{ctx.domain}.dto.{e}Dto")
    generic = ctx.rng.random() < 0.5
    if generic:
        ctx.imp("java.io.Serializable")
        decl = [f"public interface {ctx.cls}<T extends {e}Dto, ID extends Serializable> {{", ""]
        t, idt = "T", "ID"
    else:
        decl = [f"public interface {ctx.cls} {{", ""]
        t, idt = f"{e}Dto", "Long"
    members = [
        javadoc(ctx, "Finds one entity.", ["id"], "the entity, if any") + [f"Optional<{t}> findById({idt} id);"],
        [f"{t} save({t} entity);"],
        [f"List<{t}> findAll(int offset, int limit);"],
        ["default boolean exists(" + idt + " id) {", "    return findById(id).isPresent();", "}"],
    ]
    k = [0]

    def filler(c: Ctx):
        k[0] += 1
        verb = c.rng.choice(VERBS)
        if c.rng.random() < 0.7:
            return javadoc(c, f"{upper_first(verb)}s matching entities.", ["criteria"],
                           "the number of affected entities") + \
                [f"int {verb}{plural(e)}{k[0]}(java.util.Map<String, ?> criteria);"]
        return [f"static <R> List<R> {verb}All{k[0]}(List<? extends {e}Dto> items, "
                f"java.util.function.Function<? super {e}Dto, ? extends R> fn) {{",
                "    return items.stream().<R>map(fn).collect(java.util.stream.Collectors.toList());",
                "}"]
    return class_file(ctx, target, kind="interface", decl=decl, fields=[], members=members,
                      filler=filler, plants_pos=[], negatives=[],
                      doc=f"Persistence port for {plural(e).lower()}.")


def t_generic(ctx: Ctx, target: int, plants_pos, negatives):
    e = ctx.entity
    ctx.uses_log = True
    for i in ["java.util.ArrayDeque", "java.util.Deque", "java.util.Iterator", "java.util.List",
              "java.util.Map", "java.util.concurrent.ConcurrentHashMap",
              "java.util.concurrent.CopyOnWriteArrayList", "java.util.function.Consumer",
              "java.util.function.Function", "java.util.function.Supplier"]:
        ctx.imp(i)
    ctx.imp(f"com.acme.{ctx.domain}.dto.{e}Dto")
    decl = [f"public class {ctx.cls}<K extends Comparable<K>, V> implements Iterable<{ctx.cls}.Entry<K, V>> {{", ""]
    fields = [ctx.log.field(ctx.cls), "", "private static final int MAX_NAME_LENGTH = 255;",
              "private final Map<K, Entry<K, V>> entries = new ConcurrentHashMap<>();",
              "private final List<Consumer<? super Entry<K, V>>> listeners = new CopyOnWriteArrayList<>();",
              "private final Deque<K> recent = new ArrayDeque<>();", ""]
    members = [
        ["/** An immutable key/value pair with a creation timestamp. */",
         "public static final class Entry<K, V> {",
         "    private final K key;",
         "    private final V value;",
         "    private final long createdAt = System.currentTimeMillis();",
         "",
         "    Entry(K key, V value) {",
         "        this.key = key;",
         "        this.value = value;",
         "    }",
         "",
         "    public K getKey() {",
         "        return key;",
         "    }",
         "",
         "    public V getValue() {",
         "        return value;",
         "    }",
         "",
         "    public long age() {",
         "        return System.currentTimeMillis() - createdAt;",
         "    }",
         "}"],
        ["/** Keeps the most recent keys; not thread-safe on its own. */",
         "private class RecentTracker {",
         "    private final int capacity;",
         "",
         "    RecentTracker(int capacity) {",
         "        this.capacity = capacity;",
         "    }",
         "",
         "    void touch(K key) {",
         "        synchronized (recent) {",
         "            recent.remove(key);",
         "            recent.addFirst(key);",
         "            while (recent.size() > capacity) {",
         "                recent.removeLast();",
         "            }",
         "        }",
         "    }",
         "}"],
        ["public V getOrCompute(K key, Function<? super K, ? extends V> loader) {",
         "    Entry<K, V> entry = entries.computeIfAbsent(key, k -> new Entry<>(k, loader.apply(k)));",
         "    listeners.forEach(l -> l.accept(entry));",
         "    return entry.getValue();",
         "}"],
        ["public void addListener(Consumer<? super Entry<K, V>> listener) {",
         "    listeners.add(listener);",
         "}"],
        ["@Override",
         "public Iterator<Entry<K, V>> iterator() {",
         "    Iterator<Entry<K, V>> delegate = entries.values().iterator();",
         "    return new Iterator<>() {",
         "        @Override",
         "        public boolean hasNext() {",
         "            return delegate.hasNext();",
         "        }",
         "",
         "        @Override",
         "        public Entry<K, V> next() {",
         "            return delegate.next();",
         "        }",
         "    };",
         "}"],
        ["public static <K extends Comparable<K>, V> " + ctx.cls + "<K, V> of(Supplier<Map<K, V>> seed) {",
         f"    {ctx.cls}<K, V> registry = new {ctx.cls}<>();",
         "    seed.get().forEach((k, v) -> registry.entries.put(k, new Entry<>(k, v)));",
         "    return registry;",
         "}"],
    ]
    if ctx.rng.random() < 0.3:
        members.append(["public record Snapshot<K>(K key, int size, long takenAt) {",
                        "    public Snapshot {",
                        "        if (size < 0) {",
                        '            throw new IllegalArgumentException("size");',
                        "        }",
                        "    }",
                        "}"])
    return build_class_like(ctx, target, "generic", decl, fields, members, GENERIC_METHODS,
                            plants_pos, negatives, f"In-memory registry used by the {ctx.domain} module.")


def t_config(ctx: Ctx, target: int, plants_pos, negatives):
    for i in ["org.springframework.beans.factory.annotation.Value",
              "org.springframework.context.annotation.Bean",
              "org.springframework.context.annotation.Configuration",
              "java.time.Duration", "java.util.concurrent.ExecutorService",
              "java.util.concurrent.Executors"]:
        ctx.imp(i)
    d = ctx.domain
    ctx.uses_log = True
    decl = ["@Configuration", f"public class {ctx.cls} {{", ""]
    fields = [ctx.log.field(ctx.cls), "", f'@Value("${{acme.{d}.pool-size:8}}")', "private int poolSize;", "",
              f'@Value("${{acme.{d}.timeout:PT30S}}")', "private Duration timeout;", "",
              f'@Value("${{acme.{d}.endpoint:http://{d}.acme.svc.cluster.local}}")',
              "private String endpoint;", ""]
    members = [
        ['@Bean(destroyMethod = "shutdown")',
         f"public ExecutorService {d}Executor() {{",
         "    return Executors.newFixedThreadPool(poolSize, r -> {",
         f'        Thread t = new Thread(r, "{d}-worker");',
         "        t.setDaemon(true);",
         "        return t;",
         "    });",
         "}"],
    ]
    k = [0]

    def filler(c: Ctx):
        k[0] += 1
        name = c.rng.choice(["client", "mapper", "cache", "scheduler", "registry"]) + str(k[0])
        c.imp("java.util.Map")
        c.imp("java.util.concurrent.ConcurrentHashMap")
        return ["@Bean",
                f"public Map<String, Object> {name}() {{",
                "    Map<String, Object> settings = new ConcurrentHashMap<>();",
                '    settings.put("endpoint", endpoint);',
                '    settings.put("timeoutMillis", timeout.toMillis());',
                '    settings.put("poolSize", poolSize);',
                "    return settings;",
                "}"]
    return class_file(ctx, target, kind="config", decl=decl, fields=fields, members=members,
                      filler=filler, plants_pos=plants_pos, negatives=negatives,
                      doc=f"Spring wiring for the {d} module.")


def t_exception(ctx: Ctx, target: int, plants_pos, negatives):
    decl = [f"public class {ctx.cls} extends RuntimeException {{", ""]
    fields = ["private static final long serialVersionUID = 1L;", "", "private final String errorCode;", ""]
    members = [
        [f"public {ctx.cls}(String errorCode, String message) {{", "    super(message);",
         "    this.errorCode = errorCode;", "}"],
        [f"public {ctx.cls}(String errorCode, String message, Throwable cause) {{",
         "    super(message, cause);", "    this.errorCode = errorCode;", "}"],
        ["public String getErrorCode() {", "    return errorCode;", "}"],
    ]
    return class_file(ctx, target, kind="exception", decl=decl, fields=fields, members=members,
                      filler=lambda c: None, plants_pos=[], negatives=[],
                      doc="Raised when a business rule is violated.")


def t_test(ctx: Ctx, target: int, plants_pos, negatives, subject: str):
    e = ctx.entity
    for i in ["org.junit.jupiter.api.BeforeEach", "org.junit.jupiter.api.DisplayName",
              "org.junit.jupiter.api.Test", "org.junit.jupiter.api.extension.ExtendWith",
              "org.mockito.Mock", "org.mockito.junit.jupiter.MockitoExtension",
              "java.util.List", "java.util.Optional"]:
        ctx.imp(i)
    for s in ["org.junit.jupiter.api.Assertions.assertEquals",
              "org.junit.jupiter.api.Assertions.assertThrows",
              "org.junit.jupiter.api.Assertions.assertTrue",
              "org.mockito.Mockito.verify", "org.mockito.Mockito.when"]:
        ctx.simp(s)
    ctx.imp(f"com.acme.{ctx.domain}.dto.{e}Dto")
    ctx.imp(f"com.acme.{ctx.domain}.repository.{e}Repository")
    decl = ["@ExtendWith(MockitoExtension.class)", f"class {ctx.cls} {{", ""]
    fields = ["@Mock", f"private {e}Repository repository;", "", f"private {subject} subject;", ""]
    members = [["@BeforeEach", "void setUp() {", f"    subject = new {subject}(repository);", "}"]]
    k = [0]

    def filler(c: Ctx):
        k[0] += 1
        n = k[0]
        v = c.rng.randrange(3)
        if v == 0:
            return ["@Test", f'@DisplayName("finds an existing {e.lower()} ({n})")',
                    f"void findsExisting{n}() {{",
                    f"    {e}Dto dto = new {e}Dto();",
                    f"    dto.setId({n}L);",
                    f'    dto.setName("test-{n}");',
                    f"    when(repository.findById({n}L)).thenReturn(Optional.of(dto));",
                    "",
                    f"    Optional<{e}Dto> found = subject.findById({n}L);",
                    "",
                    "    assertTrue(found.isPresent());",
                    f'    assertEquals("test-{n}", found.get().getName());',
                    f"    verify(repository).findById({n}L);",
                    "}"]
        if v == 1:
            return ["@Test",
                    f"void rejectsInvalidPage{n}() {{",
                    "    assertThrows(IllegalArgumentException.class, () -> subject.findAll(-1, 10));",
                    "    assertThrows(IllegalArgumentException.class, () -> subject.findAll(0, 0));",
                    "}"]
        lines = ["@Test", f"void listsAll{n}() {{",
                 f"    when(repository.findAll(0, 20)).thenReturn(List.of(new {e}Dto(), new {e}Dto()));",
                 f"    List<{e}Dto> all = subject.findAll(0, 20);"]
        if c.rng.random() < 0.3:
            # Look-alike: printing in tests is allowed.
            lines.append('    System.out.println("listed " + all.size() + " items");')
        if c.rng.random() < 0.2:
            lines.append('    String localAgent = "127.0.0.1";')
            lines.append('    assertTrue(localAgent.startsWith("127."));')
        lines += ["    assertEquals(2, all.size());", "}"]
        return lines
    return class_file(ctx, target, kind="test", decl=decl, fields=fields, members=members,
                      filler=filler, plants_pos=[], negatives=[],
                      doc=f"Unit tests for {{@link {subject}}}.")


def t_lookalike_cluster(ctx: Ctx, target: int, plants_pos, negatives):
    """A project class with its own getLocalHost(); must not be reported."""
    ctx.uses_log = True
    decl = [f"public class {ctx.cls} {{", ""]
    fields = [ctx.log.field(ctx.cls), "",
              "private static final int MAX_NAME_LENGTH = 255;",
              f"private static volatile {ctx.cls} instance;", "",
              "private final String hostName;", "private final int port;", ""]
    members = [
        [f"public {ctx.cls}(String hostName, int port) {{", "    this.hostName = hostName;",
         "    this.port = port;", "}"],
        ["/** The member that represents this process in the cluster view (not a DNS lookup). */",
         f"public static {ctx.cls} getLocalHost() {{",
         "    if (instance == null) {",
         '        instance = new ' + ctx.cls + '(System.getProperty("acme.node.name", "node-0"), 7800);',
         "    }",
         "    return instance;",
         "}"],
        ["public String getHostName() {", "    return hostName;", "}"],
        ["public int getPort() {", "    return port;", "}"],
        ["public boolean isSelf(" + ctx.cls + " other) {",
         "    return getLocalHost().getHostName().equals(other.getHostName());",
         "}"],
        ["static String describeSelf() {",
         f"    return {ctx.cls}.getLocalHost().getHostName() + \":\" + getLocalHost().getPort();",
         "}"],
    ]
    filler, state = generic_filler(ctx, [m_switch_expr, m_optional, m_labelled, m_varargs])
    return class_file(ctx, target, kind="lookalike", decl=decl, fields=fields, members=members,
                      filler=filler, plants_pos=[], negatives=negatives,
                      doc="Cluster membership view; the local host here is the local cluster member.")


# --------------------------------------------------------------------------
# Corpus layout
# --------------------------------------------------------------------------

KINDS = [
    # kind, weight, (min, max) raw size, layer package, class name suffix
    ("service", 14, (150, 900), "service", "Service"),
    ("controller", 9, (100, 500), "web", "Controller"),
    ("dao", 10, (150, 700), "repository", "Dao"),
    ("dto", 18, (80, 420), "dto", "Dto"),
    ("util", 8, (80, 500), "util", "Utils"),
    ("enum", 6, (30, 150), "model", "Status"),
    ("interface", 6, (20, 140), "repository", "Repository"),
    ("generic", 8, (150, 800), "support", "Registry"),
    ("config", 4, (40, 200), "config", "Config"),
    ("exception", 3, (25, 60), "error", "Exception"),
    ("test", 13, (80, 500), "service", "Test"),
    ("lookalike", 1, (80, 250), "cluster", "ClusterMember"),
]

TEMPLATES = {
    "service": t_service, "controller": t_controller, "dao": t_dao, "dto": t_dto,
    "util": t_util, "enum": t_enum, "interface": t_interface, "generic": t_generic,
    "config": t_config, "exception": t_exception, "lookalike": t_lookalike_cluster,
}

PLANTABLE = {"service", "controller", "dao", "util", "generic", "config"}

POSITIVES = [
    ("host/local-address", p_local_address),
    ("host/hostname-env", p_hostname_env),
    ("host/hardcoded-ip", p_hardcoded_ip),
    ("logging/stdout", p_stdout),
    ("logging/print-stack-trace", p_print_stack_trace),
    ("logging/legacy-api", None),  # a legacy logger instead of SLF4J
]


@dataclass
class Spec:
    module: int
    domain: str
    kind: str
    entity: str
    cls: str
    package: str
    is_test: bool
    raw_size: float
    target: int = 0
    positives: list = field(default_factory=list)
    negatives: list = field(default_factory=list)
    legacy_log: str | None = None


def plan(rng: random.Random, n_files: int, n_lines: int) -> list[Spec]:
    n_modules = max(1, round(n_files / 50))
    module_domains = [DOMAINS[i % len(DOMAINS)] for i in range(n_modules)]
    kinds = [k for k in KINDS]
    weights = [k[1] for k in kinds]
    specs: list[Spec] = []
    used_names: dict[tuple, int] = {}
    for i in range(n_files):
        module = rng.randrange(n_modules) if i >= n_modules else i
        domain = module_domains[module]
        kind = rng.choices(kinds, weights)[0]
        name, _, (lo, hi), layer, suffix = kind
        entity = rng.choice(ENTITIES)
        qual = rng.choice(QUALIFIERS) if name not in ("dto", "interface") else ""
        if name == "test":
            base = f"{qual}{entity}Service"
            cls = base + "Test"
        elif name == "enum":
            cls = f"{entity}{rng.choice(['Status', 'Type', 'Kind', 'Phase', 'Channel'])}"
        elif name == "interface":
            cls = f"{entity}Repository" if rng.random() < 0.6 else f"{entity}{rng.choice(['Port', 'Gateway', 'Lookup'])}"
        elif name == "dto":
            cls = f"{entity}Dto"
        else:
            cls = f"{qual}{entity}{suffix}"
        key = (module, layer, cls)
        if key in used_names:
            used_names[key] += 1
            cls = f"{cls}V{used_names[key]}"
        else:
            used_names[key] = 1
        sub = rng.choice(["", "", "", ".internal", ".impl", ".v2"]) if name not in ("test", "dto") else ""
        package = f"com.acme.{domain}.{layer}{sub}"
        # log-normal-ish size within the kind's range
        u = rng.random()
        raw = lo * math.exp(u * u * math.log(hi / lo))
        specs.append(Spec(module, domain, name, entity, cls, package, name == "test", raw))

    # Scale sizes so that the sum of targets is the requested line count.
    total_raw = sum(s.raw_size for s in specs)
    for s in specs:
        s.target = max(15, round(s.raw_size * n_lines / total_raw))

    # Plant positives in ~1 in 20 files, look-alikes in another ~1 in 20.
    candidates = [s for s in specs if s.kind in PLANTABLE]
    n_pos = max(len(RULES), round(n_files / 20))
    n_neg = max(len(NEGATIVE_MEMBERS), round(n_files / 20))
    chosen = rng.sample(candidates, min(len(candidates), n_pos + n_neg))
    pos_files, neg_files = chosen[:n_pos], chosen[n_pos:]
    for idx, s in enumerate(pos_files):
        # make sure every rule is planted at least a few times
        rules = [POSITIVES[idx % len(POSITIVES)]]
        while rng.random() < 0.45 and len(rules) < 3:
            r = rng.choice(POSITIVES)
            if r not in rules:
                rules.append(r)
        for rule, gen in rules:
            if gen is None:
                s.legacy_log = rng.choice(["log4j1", "log4j2", "jul", "jcl"])
            else:
                s.positives.append(gen)
    for idx, s in enumerate(neg_files):
        s.negatives.append(NEGATIVE_MEMBERS[idx % len(NEGATIVE_MEMBERS)])
        if rng.random() < 0.3:
            s.negatives.append(rng.choice([n for n in NEGATIVE_MEMBERS if n not in s.negatives]))
    return specs


def module_dir(spec: Spec) -> str:
    return f"module-{spec.module + 1}"


def render_spec(spec: Spec, rng: random.Random, target: int) -> tuple[str, list]:
    ctx = Ctx(rng=rng, package=spec.package, cls=spec.cls, entity=spec.entity,
              domain=spec.domain, is_test=spec.is_test)
    if spec.legacy_log:
        ctx.log = LogStyle(spec.legacy_log)
    if spec.kind == "test":
        subject = spec.cls[: -len("Test")]
        return t_test(ctx, target, [], [], subject)
    return TEMPLATES[spec.kind](ctx, target, spec.positives, spec.negatives)


POM_PARENT = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>

    <parent>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-starter-parent</artifactId>
        <version>2.7.18</version>
        <relativePath/>
    </parent>

    <groupId>com.acme</groupId>
    <artifactId>acme-platform</artifactId>
    <version>3.4.0-SNAPSHOT</version>
    <packaging>pom</packaging>
    <name>Acme platform (generated benchmark corpus)</name>

    <properties>
        <java.version>17</java.version>
        <maven.compiler.release>17</maven.compiler.release>
        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    </properties>

    <modules>
{modules}
    </modules>

    <dependencyManagement>
        <dependencies>
            <dependency>
                <groupId>mysql</groupId>
                <artifactId>mysql-connector-java</artifactId>
                <version>8.0.33</version>
            </dependency>
        </dependencies>
    </dependencyManagement>

    <build>
        <plugins>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-surefire-plugin</artifactId>
            </plugin>
        </plugins>
    </build>
</project>
"""

POM_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>

    <parent>
        <groupId>com.acme</groupId>
        <artifactId>acme-platform</artifactId>
        <version>3.4.0-SNAPSHOT</version>
    </parent>

    <artifactId>{artifact}</artifactId>
    <name>Acme {domain} ({module})</name>

    <dependencies>
        <dependency>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-web</artifactId>
        </dependency>
        <dependency>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-jdbc</artifactId>
        </dependency>
        <dependency>
            <groupId>mysql</groupId>
            <artifactId>mysql-connector-java</artifactId>
            <scope>runtime</scope>
        </dependency>
{extra}        <dependency>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-test</artifactId>
            <scope>test</scope>
        </dependency>
    </dependencies>
</project>
"""

LEGACY_DEPS = {
    "log4j1": ("log4j", "log4j", "1.2.17"),
    "log4j2": ("org.apache.logging.log4j", "log4j-api", "2.17.2"),
    "jcl": ("commons-logging", "commons-logging", "1.2"),
}


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(out_dir: str, n_files: int, n_lines: int, seed: int) -> dict:
    rng = random.Random(seed)
    specs = plan(rng, n_files, n_lines)
    n_modules = max(1, round(n_files / 50))

    manifest_sites = []
    total_lines = 0
    planned_so_far = 0
    paths_seen = set()
    legacy_by_module: dict[int, list[str]] = {}
    for i, spec in enumerate(specs):
        # Each file gets its own RNG so that templates cannot shift later files.
        frng = random.Random(f"{seed}:{i}")
        planned_so_far += spec.target
        # Carry the running difference between planned and written lines into
        # this file, bounded so that no single file absorbs a large deficit.
        carry = planned_so_far - spec.target - total_lines
        carry = max(-(spec.target // 2), min(spec.target, carry))
        target = max(15, spec.target + carry)
        text, plants = render_spec(spec, frng, target)
        root = "src/test/java" if spec.is_test else "src/main/java"
        rel = f"{module_dir(spec)}/{root}/{spec.package.replace('.', '/')}/{spec.cls}.java"
        assert rel not in paths_seen, rel
        paths_seen.add(rel)
        write(os.path.join(out_dir, rel), text)
        total_lines += text.count("\n")
        for rule, line in plants:
            manifest_sites.append({"rule": rule, "path": rel, "line": line})
        if spec.legacy_log and spec.legacy_log in LEGACY_DEPS:
            legacy_by_module.setdefault(spec.module, []).append(spec.legacy_log)

    modules_xml = "\n".join(f"        <module>module-{m + 1}</module>" for m in range(n_modules))
    write(os.path.join(out_dir, "pom.xml"), POM_PARENT.replace("{modules}", modules_xml))
    for m in range(n_modules):
        extra = ""
        for kind in sorted(set(legacy_by_module.get(m, []))):
            g, a, v = LEGACY_DEPS[kind]
            extra += (f"        <dependency>\n            <groupId>{g}</groupId>\n"
                      f"            <artifactId>{a}</artifactId>\n"
                      f"            <version>{v}</version>\n        </dependency>\n")
        domain = DOMAINS[m % len(DOMAINS)]
        write(os.path.join(out_dir, f"module-{m + 1}", "pom.xml"),
              POM_MODULE.format(artifact=f"acme-{domain}-{m + 1}", domain=domain,
                                module=f"module-{m + 1}", extra=extra))
    write(os.path.join(out_dir, ".gitignore"), "target/\n*.class\n.idea/\n*.iml\n")
    write(os.path.join(out_dir, "README.md"),
          "# acme-platform\n\nGenerated benchmark corpus for podready "
          f"(seed {seed}, {n_files} files). Not real code.\n")

    counts = {r: 0 for r in RULES}
    for s in manifest_sites:
        counts[s["rule"]] += 1
    manifest_sites.sort(key=lambda s: (s["path"], s["line"], s["rule"]))
    return {
        "seed": seed,
        "files": len(specs),
        "java_lines": total_lines,
        "modules": n_modules,
        "expected_per_rule": counts,
        "expected_total": len(manifest_sites),
        "sites": manifest_sites,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--files", type=int, default=2000, help="number of .java files (default 2000)")
    ap.add_argument("--lines", type=int, default=500_000, help="total .java lines (default 500000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--manifest", help="write the planted sites as JSON to this file")
    ap.add_argument("--force", action="store_true",
                    help="delete OUT_DIR first if it exists and is not empty")
    args = ap.parse_args(argv)
    if args.files < 1 or args.lines < args.files:
        ap.error("need --files >= 1 and --lines >= --files")

    if os.path.exists(args.out_dir) and os.listdir(args.out_dir):
        if not args.force:
            print(f"{args.out_dir} exists and is not empty (use --force to replace it)",
                  file=sys.stderr)
            return 2
        shutil.rmtree(args.out_dir)
    manifest = generate(args.out_dir, args.files, args.lines, args.seed)
    if args.manifest:
        with open(args.manifest, "w", encoding="utf-8", newline="\n") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")
    print(f"wrote {manifest['files']} .java files, {manifest['java_lines']} lines, "
          f"{manifest['modules']} modules to {args.out_dir}", file=sys.stderr)
    print("planted sites per rule: " + ", ".join(
        f"{r}={n}" for r, n in manifest["expected_per_rule"].items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
