#!/usr/bin/env python3
"""Run one command under `/usr/bin/time -v` and record wall time and memory.

    measure.py --out RESULT.json [--stdout FILE] [--stderr FILE]
               [--ok-codes 0,1] [--interval 0.01] -- COMMAND [ARGS...]

Recorded in RESULT.json:
  wall_s              wall time measured here (monotonic clock, around the run)
  time_wall_s         /usr/bin/time's "Elapsed (wall clock) time" (10 ms resolution)
  user_s, sys_s       CPU time of the command and all its children
  max_rss_kib         /usr/bin/time's "Maximum resident set size": the peak RSS of
                      the largest single process (getrusage), not of the tree
  tree_peak_rss_kib   the peak of the sum of RSS over the whole process tree,
                      sampled every --interval seconds (matters for tools that run
                      several processes, like semgrep: pysemgrep + semgrep-core);
                      shared pages are counted once per process
  exit_status         the command's exit status; the run fails (exit 1 here)
                      when it is not in --ok-codes
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def children(pid: int) -> list[int]:
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KIB
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_kib(root: int) -> int:
    """Sum of RSS of the descendants of `root` (root is /usr/bin/time itself)."""
    total = 0
    stack = children(root)
    seen = set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss_kib(pid)
        stack.extend(children(pid))
    return total


def parse_time_v(text: str) -> dict:
    def grab(label: str) -> str | None:
        m = re.search(r"^\s*" + re.escape(label) + r":\s*(.+)$", text, re.M)
        return m.group(1).strip() if m else None

    def clock(s: str | None) -> float | None:
        if not s:
            return None
        parts = [float(p) for p in s.split(":")]
        secs = 0.0
        for p in parts:
            secs = secs * 60 + p
        return secs

    rss = grab("Maximum resident set size (kbytes)")
    user = grab("User time (seconds)")
    system = grab("System time (seconds)")
    status = grab("Exit status")
    return {
        "time_wall_s": clock(grab("Elapsed (wall clock) time (h:mm:ss or m:ss)")),
        "max_rss_kib": int(rss) if rss else None,
        "user_s": float(user) if user else None,
        "sys_s": float(system) if system else None,
        "time_exit_status": int(status) if status else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--stdout", default=os.devnull)
    ap.add_argument("--stderr", default=os.devnull)
    ap.add_argument("--ok-codes", default="0")
    ap.add_argument("--interval", type=float, default=0.01)
    ap.add_argument("--time-bin", default="/usr/bin/time")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command given")
    ok_codes = {int(c) for c in args.ok_codes.split(",") if c.strip()}

    fd, time_file = tempfile.mkstemp(prefix="measure-time-", suffix=".txt")
    os.close(fd)
    peak = 0
    done = threading.Event()

    with open(args.stdout, "wb") as out, open(args.stderr, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen([args.time_bin, "-v", "-o", time_file] + cmd,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL)

        def sampler() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_kib(proc.pid))
                done.wait(args.interval)

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        status = proc.wait()
        wall = time.monotonic() - start
        done.set()
        thread.join()

    with open(time_file, encoding="utf-8", errors="replace") as f:
        time_text = f.read()
    os.unlink(time_file)
    result = {"command": cmd, "wall_s": round(wall, 4), "exit_status": status,
              "tree_peak_rss_kib": peak}
    result.update(parse_time_v(time_text))
    if result["max_rss_kib"] and result["tree_peak_rss_kib"] < result["max_rss_kib"]:
        # The sampler can miss a short-lived peak; never report less than getrusage.
        result["tree_peak_rss_kib"] = result["max_rss_kib"]
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    if status not in ok_codes:
        print(f"measure.py: {' '.join(cmd)} exited with {status} "
              f"(accepted: {sorted(ok_codes)}); see {args.stderr}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
