#!/usr/bin/env python3
"""The precision trial on real projects: scan, draw a blind sample, score.

    trial.py scan  --bin PODREADY --src SRC_DIR --out OUT_DIR [--readme README.md]
    trial.py draw  --out OUT_DIR --src SRC_DIR --per-project 30 --size 105
                   --seed-project N --seed-pool M > sample.jsonl
    trial.py score --sample sample.jsonl VERDICTS.jsonl...
    trial.py rescore --sample sample.jsonl --out NEW_OUT_DIR VERDICTS.jsonl...

SRC_DIR holds one checkout per project (fetched for the trial, never
committed), in a folder named `owner+name`. `scan` runs `podready check
--no-cache --format json` on each and keeps its JSON and its time in
OUT_DIR; with --readme it first names the projects the README already
records as `owner/name @ commit` (a record may wrap a line), which a blind
batch must not reuse. `draw` takes each project's
failing findings (error and warning), draws at most --per-project of them
per project (seed --seed-project), then --size rows from that pool (seed
--seed-pool), each row with the source lines around it so a reviewer who
has not seen the code can judge it. Verdict files hold one JSON object a
line: {"id": ..., "verdict": "right" | "wrong", "why": "..."}; a row judged
by several reviewers counts as the first verdict given. `score` prints
precision (Wilson 95 % interval) overall and per rule; `rescore` scores the
same sample against another build's output: rows no longer failing drop
out, the rest keep their verdicts.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

FAILING = {"error", "warning"}


def projects(src: Path) -> list[Path]:
    return sorted(p for p in src.iterdir() if p.is_dir())


def used_before(readme: Path, names: list[str]) -> list[str]:
    """The `owner+name` folders whose project the README records already,
    under the same owner or another one (a project that moved, as
    gitblit/gitblit from gitblit-org/gitblit, is the same code), an
    Apache podling's `incubator-` name too."""
    def plain(name: str) -> str:
        return name.lower().removeprefix("incubator-")

    text = " ".join(readme.read_text(encoding="utf-8").split())
    recorded = {plain(m) for m in re.findall(r"/([A-Za-z0-9_.-]+) @ ", text)}
    return [n for n in names if plain(n.split("+", 1)[-1]) in recorded]


def scan(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.readme:
        names = [p.name for p in projects(Path(args.src))]
        for name in used_before(Path(args.readme), names):
            print(f"{name}: already in {args.readme}'s trials", file=sys.stderr)
    for project in projects(Path(args.src)):
        started = time.monotonic()
        run = subprocess.run(
            [args.bin, "check", "--no-cache", "--format", "json", str(project)],
            capture_output=True,
        )
        took = time.monotonic() - started
        if run.returncode not in (0, 1):
            sys.exit(f"{project.name}: podready exited {run.returncode}: "
                     f"{run.stderr.decode(errors='replace').strip()}")
        (out / f"{project.name}.json").write_bytes(run.stdout)
        report = json.loads(run.stdout)
        failing = sum(f["severity"] in FAILING for f in report["findings"])
        print(f"{project.name}: {len(report['findings'])} findings, "
              f"{failing} failing, {report['summary']['files']} files, {took:.2f} s")


def failing_rows(out: Path) -> dict[str, list[dict]]:
    rows = {}
    for report_path in sorted(out.glob("*.json")):
        report = json.loads(report_path.read_text())
        rows[report_path.stem] = [
            {"project": report_path.stem, **f}
            for f in report["findings"] if f["severity"] in FAILING
        ]
    return rows


def row_key(row: dict) -> tuple:
    return (row["project"], row["path"], row["line"], row["rule"])


def context(src: Path, row: dict, around: int = 6) -> str:
    try:
        lines = (src / row["project"] / row["path"]).read_text(errors="replace").splitlines()
    except OSError as error:
        return f"(source not readable: {error})"
    first = max(row["line"] - 1 - around, 0)
    last = min(row["line"] + around, len(lines))
    return "\n".join(
        f"{'>' if n + 1 == row['line'] else ' '}{n + 1:5} {lines[n]}" for n in range(first, last)
    )


def draw(args: argparse.Namespace) -> None:
    by_project = failing_rows(Path(args.out))
    per_project = random.Random(args.seed_project)
    pool = []
    for project, rows in sorted(by_project.items()):
        pool += rows if len(rows) <= args.per_project else per_project.sample(rows, args.per_project)
    sample = random.Random(args.seed_pool).sample(pool, min(args.size, len(pool)))
    sample.sort(key=row_key)
    for n, row in enumerate(sample, 1):
        fields = {k: row[k] for k in ("project", "path", "line", "rule", "severity", "message")}
        print(json.dumps({"id": n, **fields, "context": context(Path(args.src), row)}))
    sys.stderr.write(f"{sum(map(len, by_project.values()))} failing findings, "
                     f"pool {len(pool)}, sample {len(sample)}\n")


def wilson(right: int, total: int) -> tuple[float, float]:
    if total == 0:
        return (0.0, 0.0)
    z = 1.96
    p = right / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (centre - half, centre + half)


def verdicts(paths: list[str]) -> dict[int, dict]:
    judged: dict[int, dict] = {}
    for path in paths:
        for line in Path(path).read_text().splitlines():
            if line.strip():
                verdict = json.loads(line)
                judged.setdefault(int(verdict["id"]), verdict)
    return judged


def report(rows: list[dict], judged: dict[int, dict]) -> None:
    missing = [r["id"] for r in rows if r["id"] not in judged]
    if missing:
        sys.exit(f"no verdict for rows {missing}")
    right = sum(judged[r["id"]]["verdict"] == "right" for r in rows)
    low, high = wilson(right, len(rows))
    print(f"precision {right}/{len(rows)} = {100 * right / max(len(rows), 1):.1f} % "
          f"(95 % CI {100 * low:.1f}-{100 * high:.1f} %)")
    per_rule: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        per_rule[r["rule"]][judged[r["id"]]["verdict"]] += 1
    for rule, counts in sorted(per_rule.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {rule}: {counts['right']}/{counts['right'] + counts['wrong']}")


def load_sample(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def score(args: argparse.Namespace) -> None:
    report(load_sample(args.sample), verdicts(args.verdicts))


def rescore(args: argparse.Namespace) -> None:
    still = {row_key(r) for rows in failing_rows(Path(args.out)).values() for r in rows}
    sample = load_sample(args.sample)
    kept = [r for r in sample if row_key(r) in still]
    judged = verdicts(args.verdicts)
    gone = [r for r in sample if row_key(r) not in still]
    print(f"{len(kept)} of {len(sample)} sampled rows still failing; "
          f"{sum(judged[r['id']]['verdict'] == 'wrong' for r in gone)} of the "
          f"{len(gone)} gone were judged wrong")
    report(kept, judged)


def main() -> None:
    # Piped into `head`, the report stops quietly.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("scan")
    p.add_argument("--bin", required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--readme")
    p.set_defaults(run=scan)
    p = commands.add_parser("draw")
    p.add_argument("--out", required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--per-project", type=int, default=30)
    p.add_argument("--size", type=int, default=105)
    p.add_argument("--seed-project", type=int, required=True)
    p.add_argument("--seed-pool", type=int, required=True)
    p.set_defaults(run=draw)
    p = commands.add_parser("score")
    p.add_argument("--sample", required=True)
    p.add_argument("verdicts", nargs="+")
    p.set_defaults(run=score)
    p = commands.add_parser("rescore")
    p.add_argument("--sample", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("verdicts", nargs="+")
    p.set_defaults(run=rescore)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
