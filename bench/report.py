#!/usr/bin/env python3
"""Turn the run results written by compare.sh into Markdown tables.

    report.py --results DIR --corpus CORPUS_DIR --tools "podready semgrep ..."
              [--manifest MANIFEST.json]

DIR holds, for each tool and run i: TOOL.i.json (measure.py), TOOL.i.out
(the tool's stdout) and TOOL.i.err (its stderr). The best run is the one with
the lowest wall time; peak RSS is the highest over all runs.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # keep bench/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import findings as fnd  # noqa: E402

LABELS = {
    "podready": "podready check (cold: --no-cache)",
    "podready-warm": "podready check, cache warm, nothing changed",
    "podready-edit": "podready check, cache warm, one file changed in place",
    "podready-checkout": "podready check, cache warm, one file written anew (git checkout)",
    "semgrep": "semgrep",
    "ast-grep": "ast-grep",
    "parse-floor": "parse floor (walk + tree-sitter parse)",
}


def count_lines(path: str) -> int:
    with open(path, "rb") as f:
        data = f.read()
    n = data.count(b"\n")
    return n + (1 if data and not data.endswith(b"\n") else 0)


def read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def load_runs(results: str, tool: str) -> list[dict]:
    runs = []
    for path in sorted(glob.glob(os.path.join(results, f"{tool}.*.json"))):
        m = re.search(r"\.(\d+)\.json$", path)
        if not m:
            continue
        with open(path, encoding="utf-8") as f:
            run = json.load(f)
        run["index"] = int(m.group(1))
        run["stdout"] = path[: -len(".json")] + ".out"
        run["stderr"] = path[: -len(".json")] + ".err"
        runs.append(run)
    return runs


def scanned(tool: str, run: dict, corpus: str, floor: dict | None) -> tuple:
    """(files, lines) the tool says it scanned, or None where it does not say."""
    out = read(run["stdout"])
    if tool == "parse-floor":
        data = json.loads(out)
        return data["files"], data["lines"]
    if tool == "semgrep":
        data = json.loads(out)
        paths = data.get("paths", {}).get("scanned", [])
        lines = 0
        for p in paths:
            full = p if os.path.isabs(p) else os.path.join(os.getcwd(), p)
            if os.path.exists(full):
                lines += count_lines(full)
        return len(paths), lines
    if tool == "ast-grep":
        m = re.search(r"scannedFileCount=(\d+)", read(run["stderr"]))
        if not m:
            return None, None
        files = int(m.group(1))
        if floor and files == floor[0]:
            return files, floor[1]
        return files, None
    if tool.startswith("podready"):
        try:
            data = json.loads(out)
        except ValueError:
            return None, None
        for key in ("summary", "stats", "scan"):
            section = data.get(key)
            if isinstance(section, dict):
                files = next((section[k] for k in ("java_files", "files_scanned", "files")
                              if isinstance(section.get(k), int)), None)
                lines = next((section[k] for k in ("java_lines", "lines_scanned", "lines")
                              if isinstance(section.get(k), int)), None)
                if files is not None:
                    return files, lines
        return None, None
    return None, None


def mib(kib) -> str:
    return "—" if not kib else f"{kib / 1024:.0f}"


def fmt_int(n) -> str:
    return "—" if n is None else f"{n:,}"


def ratio(a, b) -> str:
    if not a or not b:
        return "—"
    return f"{a / b:.2f}×"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tools", required=True)
    ap.add_argument("--manifest")
    args = ap.parse_args()

    corpus = os.path.normpath(args.corpus)
    tools = args.tools.split()
    manifest = None
    if args.manifest and os.path.exists(args.manifest):
        with open(args.manifest, encoding="utf-8") as f:
            manifest = json.load(f)

    rows = {}
    for tool in tools:
        runs = load_runs(args.results, tool)
        if not runs:
            continue
        best = min(runs, key=lambda r: r["wall_s"])
        rows[tool] = {
            "runs": runs,
            "best": best,
            "walls": [r["wall_s"] for r in sorted(runs, key=lambda r: r["index"])],
            "rss": max(r.get("max_rss_kib") or 0 for r in runs),
            "tree_rss": max(r.get("tree_peak_rss_kib") or 0 for r in runs),
            "cpu": (best.get("user_s") or 0) + (best.get("sys_s") or 0),
        }

    floor = None
    if "parse-floor" in rows:
        floor = scanned("parse-floor", rows["parse-floor"]["best"], corpus, None)

    for tool, row in rows.items():
        row["files"], row["lines"] = scanned(tool, row["best"], corpus, floor)
        if tool in ("podready", "podready-warm", "podready-edit", "podready-checkout", "semgrep", "ast-grep"):
            found = fnd.load(tool, read(row["best"]["stdout"]), corpus)
            row["score"] = fnd.score(found, manifest, java_only=False)
            row["score_java"] = fnd.score(found, manifest, java_only=True)

    base = rows.get("podready", {}).get("best", {}).get("wall_s")
    floor_wall = rows.get("parse-floor", {}).get("best", {}).get("wall_s")
    n_runs = max((len(r["runs"]) for r in rows.values()), default=0)

    print(f"| tool | files | lines | wall (s), best of {n_runs} | CPU (s) | peak RSS (MiB) "
          "| process-tree peak RSS (MiB) | findings | planted sites found | vs podready | vs parse floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool in tools:
        if tool not in rows:
            print(f"| {LABELS.get(tool, tool)} | — | — | not run | | | | | | | |")
            continue
        row = rows[tool]
        wall = row["best"]["wall_s"]
        if "score" in row:
            s = row["score"]
            findings = f"{s['findings']:,}"
            if s["findings"] != row["score_java"]["findings"]:
                findings += f" ({row['score_java']['findings']:,} Java-source)"
            planted = f"{s['planted_found']}/{s['expected']}" if manifest else "—"
        else:
            findings, planted = "—", "—"
        print(f"| {LABELS.get(tool, tool)} | {fmt_int(row['files'])} | {fmt_int(row['lines'])} "
              f"| {wall:.2f} | {row['cpu']:.2f} | {mib(row['rss'])} | {mib(row['tree_rss'])} "
              f"| {findings} | {planted} | {ratio(wall, base)} | {ratio(wall, floor_wall)} |")

    if "podready" in rows and rows["podready"]["files"] is not None:
        print()
        print("podready's files and lines are its own summary: every file it reads, "
              "pom.xml files included; the other tools count .java files.")
    print()
    print("All runs (wall s): " + "; ".join(
        f"{tool} " + ", ".join(f"{w:.2f}" for w in rows[tool]["walls"]) for tool in tools if tool in rows))

    scored = [t for t in tools if t in rows and "score" in rows[t]]
    if scored:
        print()
        print("Findings per rule (Java-source rules; for podready, other rules are listed too):")
        print()
        all_rules = list(fnd.JAVA_RULES)
        for t in scored:
            for r in rows[t]["score"]["per_rule"]:
                if r not in all_rules:
                    all_rules.append(r)
        head = "| rule | " + ("planted | " if manifest else "") + " | ".join(scored) + " |"
        print(head)
        print("| --- | " + ("---: | " if manifest else "") + " | ".join("---:" for _ in scored) + " |")
        for r in all_rules:
            cells = []
            for t in scored:
                n = rows[t]["score"]["per_rule"].get(r, 0)
                rec = rows[t]["score"].get("per_rule_recall", {}).get(r)
                cells.append(f"{n} ({rec.split('/')[0]} planted)" if rec else str(n))
            planted = ""
            if manifest:
                planted = str(manifest["expected_per_rule"].get(r, "—")) + " | "
            print(f"| {r} | {planted}" + " | ".join(cells) + " |")
        if manifest:
            print()
            for t in scored:
                s = rows[t]["score_java"]
                missed, extra = s["planted_missed"], s["unplanted"]
                if not missed and not extra:
                    print(f"- {t}: every planted site found, nothing else reported.")
                    continue
                print(f"- {t}: {len(missed)} planted site(s) missed, "
                      f"{len(extra)} finding(s) where nothing was planted.")
                for label, items in (("missed", missed), ("not planted", extra)):
                    for rule, path, line in items[:8]:
                        print(f"  - {label}: `{rule}` {path}:{line}")
                    if len(items) > 8:
                        print(f"  - … {len(items) - 8} more {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
