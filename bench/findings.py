#!/usr/bin/env python3
"""Normalise the JSON output of podready, semgrep and ast-grep into findings
(rule, path, line) and optionally score them against gen_corpus.py's manifest.

    findings.py {podready,semgrep,ast-grep} OUTPUT.json --root CORPUS_DIR
                [--manifest MANIFEST.json] [--java-rules-only] [--summary-json]
                [--show-misses N]

Rule ids are mapped to podready's (`host/local-address`, ...): semgrep's
check_id carries a prefix derived from the config path and uses '.' for '/',
ast-grep rules are named like podready's.

Without --summary-json it prints a per-rule table: findings, and with a
manifest: planted sites found (true positives), planted sites missed and
findings at lines where nothing was planted. With --summary-json it prints one
JSON object (used by compare.sh).

A finding "hits" a planted site when rule, path and line are equal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter

JAVA_RULES = [
    "host/local-address",
    "host/hostname-env",
    "host/hardcoded-ip",
    "logging/stdout",
    "logging/print-stack-trace",
    "logging/legacy-api",
]


def map_rule(raw: str) -> str:
    """Map a tool's rule id onto podready's id; unknown ids are returned as is.
    A `-derived` suffix (semgrep's taint half of host/local-address) is dropped."""
    if raw.endswith("-derived"):
        raw = raw[: -len("-derived")]
    for rule in JAVA_RULES:
        dotted = rule.replace("/", ".")
        if raw == rule or raw == dotted or raw.endswith("." + dotted) or raw.endswith("/" + rule):
            return rule
    return raw


def rel(path: str, root: str) -> str:
    path = path.replace("\\", "/")
    if os.path.isabs(path) or path.startswith(root):
        try:
            path = os.path.relpath(path, root)
        except ValueError:
            pass
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def load(tool: str, text: str, root: str) -> list[tuple[str, str, int]]:
    text = text.strip()
    if not text:
        return []
    out = []
    if tool.startswith("podready"):
        data = json.loads(text)
        for f in data.get("findings", []):
            out.append((f["rule"], rel(f["path"], root), int(f["line"])))
    elif tool == "semgrep":
        data = json.loads(text)
        for r in data.get("results", []):
            out.append((map_rule(r["check_id"]), rel(r["path"], root), int(r["start"]["line"])))
    elif tool == "ast-grep":
        # `--json` (pretty array) or `--json=stream` (one object per line).
        if text.startswith("["):
            items = json.loads(text)
        else:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        for m in items:
            # ast-grep's line numbers are 0-based.
            line = int(m["range"]["start"]["line"]) + 1
            out.append((map_rule(m["ruleId"]), rel(m["file"], root), line))
    else:
        raise SystemExit(f"unknown tool {tool}")
    return out


def score(findings, manifest, java_only: bool) -> dict:
    if java_only:
        findings = [f for f in findings if f[0] in JAVA_RULES and f[1].endswith(".java")]
    per_rule = Counter(f[0] for f in findings)
    result = {
        "findings": len(findings),
        "java_rule_findings": sum(1 for f in findings if f[0] in JAVA_RULES and f[1].endswith(".java")),
        "files_with_findings": len({f[1] for f in findings}),
        "per_rule": dict(sorted(per_rule.items())),
    }
    if manifest is not None:
        sites = {(s["rule"], s["path"], s["line"]) for s in manifest["sites"]}
        found = set(findings)
        java = {f for f in found if f[0] in JAVA_RULES and f[1].endswith(".java")}
        hits = sites & java
        result["expected"] = len(sites)
        result["planted_found"] = len(hits)
        result["planted_missed"] = sorted(sites - java)
        result["unplanted"] = sorted(java - sites)
        result["per_rule_recall"] = {
            r: f"{sum(1 for h in hits if h[0] == r)}/{sum(1 for s in sites if s[0] == r)}"
            for r in JAVA_RULES
        }
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tool", choices=["podready", "semgrep", "ast-grep"])
    ap.add_argument("output", help="the tool's JSON output ('-' for stdin)")
    ap.add_argument("--root", required=True, help="the scanned directory")
    ap.add_argument("--manifest", help="gen_corpus.py --manifest file")
    ap.add_argument("--java-rules-only", action="store_true",
                    help="ignore findings of other rules and in non-.java files")
    ap.add_argument("--summary-json", action="store_true")
    ap.add_argument("--show-misses", type=int, default=10,
                    help="how many missed / unplanted sites to list (default 10)")
    args = ap.parse_args()

    text = sys.stdin.read() if args.output == "-" else open(args.output, encoding="utf-8").read()
    root = os.path.normpath(args.root)
    findings = load(args.tool, text, root)
    manifest = None
    if args.manifest and os.path.exists(args.manifest):
        with open(args.manifest, encoding="utf-8") as f:
            manifest = json.load(f)
    result = score(findings, manifest, args.java_rules_only)

    if args.summary_json:
        slim = dict(result)
        if manifest is not None:
            slim["planted_missed"] = len(result["planted_missed"])
            slim["unplanted"] = len(result["unplanted"])
        print(json.dumps(slim, sort_keys=True))
        return 0

    print(f"{args.tool}: {result['findings']} findings "
          f"({result['java_rule_findings']} from Java-source rules in .java files), "
          f"{result['files_with_findings']} files")
    for rule, n in result["per_rule"].items():
        recall = result.get("per_rule_recall", {}).get(rule)
        print(f"  {rule:28} {n:6}" + (f"   planted found {recall}" if recall else ""))
    if manifest is not None:
        print(f"planted sites found: {result['planted_found']}/{result['expected']}")
        for title, items in (("missed", result["planted_missed"]),
                             ("not planted", result["unplanted"])):
            if items:
                print(f"{title}: {len(items)}")
                for rule, path, line in items[: args.show_misses]:
                    print(f"  {rule} {path}:{line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
