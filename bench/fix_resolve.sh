#!/usr/bin/env bash
# The time `podready fix` spends on the resolved classpath (Maven runs),
# per project: the median of RUNS runs of `fix --dry-run` against the same
# with `--no-resolve`, after one warm-up run (Maven's local repository
# filled). Usage: bench/fix_resolve.sh PODREADY_BINARY PROJECT_DIR...
# (RUNS=3 by default). Nothing is written into the projects (--dry-run).
set -euo pipefail
bin=$(realpath "$1")
shift
runs=${RUNS:-3}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

printf '| project | poms | Maven runs | fix (s) | fix --no-resolve (s) | added by resolution (s) |\n|---|--:|--:|--:|--:|--:|\n'
for dir in "$@"; do
    cd "$dir"
    "$bin" fix . --dry-run >/dev/null 2>&1 || true
    with=$(for _ in $(seq "$runs"); do seconds "$bin" fix . --dry-run; done | median)
    without=$(for _ in $(seq "$runs"); do seconds "$bin" fix . --dry-run --no-resolve; done | median)
    maven_runs=$( ("$bin" fix . --dry-run --format json 2>/dev/null || true) | python3 -c 'import json,sys; print(json.load(sys.stdin)["resolution"].get("runs", "-"))')
    poms=$(find . -name pom.xml -not -path '*/target/*' | wc -l)
    printf '| %s | %d | %s | %.2f | %.2f | %.2f |\n' "$(basename "$dir")" "$poms" "$maven_runs" "$with" "$without" "$(echo "$with - $without" | bc)"
    cd - >/dev/null
done
