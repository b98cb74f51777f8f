#!/usr/bin/env bash
# Benchmark podready against semgrep, ast-grep and the parse floor on one
# Java corpus. See bench/README.md.
#
#   bench/compare.sh CORPUS_DIR
#
# Environment (all optional):
#   RUNS=3               timed runs per tool; the best wall time is reported
#   TOOLS="podready podready-warm podready-edit podready-checkout semgrep ast-grep parse-floor"
#                        which tools to run, in this order: podready is a
#                        cold scan (--no-cache); podready-warm re-runs with
#                        a result cache filled before the timed runs;
#                        podready-edit re-runs with a cache of its own after
#                        one Java file changed (a comment appended to it in
#                        place, taken out again after the run, and the cache
#                        told so by an untimed run), podready-checkout the
#                        same with the file written as git checkout and most
#                        editors write it (a new file renamed over the old,
#                        which changes its folder); both edit a copy of the
#                        corpus (a fetched checkout is left as it was, and a
#                        warm run always follows a run over the same files)
#   JOBS=$(nproc)        threads/jobs for semgrep and ast-grep
#   CARGO_TARGET_DIR     cargo's target dir (default ~/.cache/podready/target)
#   PODREADY_BIN         use this podready binary instead of building one
#   PARSE_FLOOR_BIN      use this parse-floor binary instead of building one
#   FLOOR_ARGS           parse-floor options (default --skip-tests: podready's
#                        rules all have scope "main", so it never reads src/test)
#   GEN_ARGS             extra gen_corpus.py arguments when CORPUS_DIR is created
#                        (default: --files 2000 --lines 500000 --seed 42)
#   MANIFEST             planted-sites manifest (default CORPUS_DIR.manifest.json,
#                        written by gen_corpus.py next to the corpus)
#   RESULTS_DIR          where raw outputs go (default: a new /tmp/podready-bench.*)
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

if [[ $# -ne 1 || "$1" == "-h" || "$1" == "--help" ]]; then
    usage
    [[ $# -eq 1 ]] && exit 0
    exit 2
fi

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
CORPUS_ARG=${1%/}
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-"podready podready-warm podready-edit podready-checkout semgrep ast-grep parse-floor"}
JOBS=${JOBS:-$(nproc)}
FLOOR_ARGS=${FLOOR_ARGS---skip-tests}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/podready/target}
GEN_ARGS=${GEN_ARGS:---files 2000 --lines 500000 --seed 42}
MANIFEST=${MANIFEST:-"$CORPUS_ARG.manifest.json"}
RESULTS_DIR=${RESULTS_DIR:-$(mktemp -d /tmp/podready-bench.XXXXXX)}
mkdir -p "$RESULTS_DIR"
# Keep semgrep from phoning home.
export SEMGREP_SEND_METRICS=off SEMGREP_ENABLE_VERSION_CHECK=0

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'compare.sh: %s\n' "$*" >&2; exit 2; }
want() { [[ " $TOOLS " == *" $1 "* ]]; }

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
for tool in $TOOLS; do
    case "$tool" in
        podready | podready-warm | podready-edit | podready-checkout | semgrep | ast-grep | parse-floor) ;;
        *) die "unknown tool in TOOLS: $tool" ;;
    esac
done

# --- prerequisites ----------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "installing GNU time (Debian package 'time')"
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        die "/usr/bin/time is missing: install GNU time (Debian: apt-get install time)"
    fi
fi
command -v python3 >/dev/null || die "python3 is required"
if want semgrep; then
    command -v semgrep >/dev/null || die "semgrep not found: pip install semgrep (or drop it from TOOLS)"
fi
if want ast-grep; then
    command -v ast-grep >/dev/null || die "ast-grep not found: pip install ast-grep-cli (or drop it from TOOLS)"
fi

# --- corpus -----------------------------------------------------------------
if [[ ! -d "$CORPUS_ARG" ]]; then
    log "generating corpus in $CORPUS_ARG ($GEN_ARGS)"
    # shellcheck disable=SC2086 # GEN_ARGS is a list of words
    python3 "$BENCH_DIR/gen_corpus.py" "$CORPUS_ARG" --manifest "$MANIFEST" $GEN_ARGS
fi
CORPUS_DIR=$(cd "$CORPUS_ARG" && pwd)

# --- build ------------------------------------------------------------------
if want parse-floor && [[ -z "${PARSE_FLOOR_BIN:-}" ]]; then
    log "building podready-parse-floor (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
    (cd "$REPO_DIR" && cargo build --release --quiet -p podready-parse-floor)
fi
wants_edit() { want podready-edit || want podready-checkout; }
wants_podready() { want podready || want podready-warm || wants_edit; }
if wants_podready && [[ -z "${PODREADY_BIN:-}" ]]; then
    log "building podready (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
    (cd "$REPO_DIR" && cargo build --release --quiet -p podready --bin podready) ||
        die "podready does not build; run with TOOLS=\"semgrep ast-grep parse-floor\" to benchmark the others"
fi
PODREADY_BIN=${PODREADY_BIN:-$CARGO_TARGET_DIR/release/podready}
PARSE_FLOOR_BIN=${PARSE_FLOOR_BIN:-$CARGO_TARGET_DIR/release/podready-parse-floor}
if wants_podready; then [[ -x "$PODREADY_BIN" ]] || die "no podready binary at $PODREADY_BIN"; fi
if want parse-floor; then [[ -x "$PARSE_FLOOR_BIN" ]] || die "no parse-floor binary at $PARSE_FLOOR_BIN"; fi

# --- machine ----------------------------------------------------------------
cpu_model=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
mem_total=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
echo "## Machine"
echo
echo "- CPUs (nproc): $(nproc)"
echo "- CPU model: ${cpu_model:-unknown}"
echo "- memory: ${mem_total:-unknown}"
echo "- kernel: $(uname -sr)"
echo "- load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## Tools"
echo
if wants_podready; then echo "- podready: $("$PODREADY_BIN" --version 2>/dev/null | head -n1 || echo '?') ($PODREADY_BIN)"; fi
if want semgrep; then echo "- semgrep $(semgrep --version 2>/dev/null | tail -n1), --jobs $JOBS"; fi
if want ast-grep; then echo "- $(ast-grep --version 2>/dev/null), --threads $JOBS"; fi
if want parse-floor; then echo "- parse floor: $PARSE_FLOOR_BIN ${FLOOR_ARGS} (rayon, $(nproc) threads)"; fi
echo
echo "## Corpus"
echo
echo "- $CORPUS_DIR"
if [[ -f "$MANIFEST" ]]; then
    echo "- planted sites: $MANIFEST"
else
    echo "- no planted-sites manifest ($MANIFEST not found)"
fi
echo "- raw outputs: $RESULTS_DIR"
echo

# --- runs -------------------------------------------------------------------
# Each tool scans the same directory. Exit status 1 means "findings" for
# podready and ast-grep (and semgrep with --error), so it counts as success.
run_tool() {
    local tool=$1 run=$2
    local base="$RESULTS_DIR/$tool.$run"
    local -a cmd
    case "$tool" in
        podready)
            cmd=("$PODREADY_BIN" check "$CORPUS_DIR" --format json --no-cache) ;;
        podready-warm)
            cmd=("$PODREADY_BIN" check "$CORPUS_DIR" --format json --cache-dir "$CACHE_DIR") ;;
        podready-edit)
            printf '\n// podready bench edit %s\n' "$run" >>"$EDITED_FILE"
            cmd=("$PODREADY_BIN" check "$EDIT_DIR" --format json --cache-dir "$EDIT_CACHE_DIR") ;;
        podready-checkout)
            cp "$EDITED_FILE" "$EDITED_FILE.bench-new"
            printf '\n// podready bench checkout %s\n' "$run" >>"$EDITED_FILE.bench-new"
            mv "$EDITED_FILE.bench-new" "$EDITED_FILE"
            cmd=("$PODREADY_BIN" check "$EDIT_DIR" --format json --cache-dir "$EDIT_CACHE_DIR") ;;
        semgrep)
            # --x-ignore-semgrepignore-files: without a .semgrepignore semgrep
            # applies default ignores that skip test/ and tests/ directories
            # (so src/test/java); podready and ast-grep scan them.
            cmd=(semgrep scan --config "$BENCH_DIR/semgrep/podready.yml" --json
                --metrics=off --disable-version-check --x-ignore-semgrepignore-files
                --jobs "$JOBS" "$CORPUS_DIR") ;;
        ast-grep)
            # The rules skip test sources themselves (`ignores`); the --globs
            # keep ast-grep from parsing those files at all, as podready and
            # semgrep do not read them either.
            cmd=(ast-grep scan -c "$BENCH_DIR/ast-grep/sgconfig.yml" --json=stream
                --threads "$JOBS" --inspect summary
                --globs '!**/src/test*/**' --globs '!**/src/*test/**'
                --globs '!**/src/*Test/**' --globs '!**/src/it/**' "$CORPUS_DIR") ;;
        parse-floor)
            # shellcheck disable=SC2206 # FLOOR_ARGS is a list of words
            cmd=("$PARSE_FLOOR_BIN" --json $FLOOR_ARGS "$CORPUS_DIR") ;;
    esac
    python3 "$BENCH_DIR/measure.py" --out "$base.json" --stdout "$base.out" \
        --stderr "$base.err" --ok-codes 0,1 -- "${cmd[@]}"
    if [[ "$tool" == podready-edit || "$tool" == podready-checkout ]]; then
        cp "$EDITED_BACKUP" "$EDITED_FILE"
        # Untimed: the cache learns the file is back, so that the next
        # warm run is one with nothing changed since the run before it
        # (after a second: podready trusts no file status younger than
        # that, and would re-read the file and record its state again).
        sleep 1.1
        "$PODREADY_BIN" check "$EDIT_DIR" --format json --cache-dir "$EDIT_CACHE_DIR" >/dev/null 2>&1 || true
    fi
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print("%.2f s, %.0f MiB" % (r["wall_s"], r["max_rss_kib"] / 1024))' "$base.json"
}

# The warm runs' cache, and the edit runs' over their copy of the corpus,
# are filled here, untimed; the edited file is the first main Java source,
# kept aside and put back after each run.
CACHE_DIR="$RESULTS_DIR/cache"
if want podready-warm; then
    log "filling the result cache in $CACHE_DIR"
    # From the corpus, as the timed runs: the working directory is part
    # of the run state's key.
    (cd "$CORPUS_DIR" && "$PODREADY_BIN" check "$CORPUS_DIR" --format json --cache-dir "$CACHE_DIR") >/dev/null 2>&1 || true
fi
if wants_edit; then
    EDIT_DIR="$RESULTS_DIR/edited-corpus"
    EDIT_CACHE_DIR="$RESULTS_DIR/edit-cache"
    log "copying the corpus to $EDIT_DIR and filling its cache"
    cp -a "$CORPUS_DIR" "$EDIT_DIR"
    (cd "$CORPUS_DIR" && "$PODREADY_BIN" check "$EDIT_DIR" --format json --cache-dir "$EDIT_CACHE_DIR") >/dev/null 2>&1 || true
    EDITED_FILE=$(find "$EDIT_DIR" -path '*/src/main/*' -name '*.java' | LC_ALL=C sort | awk 'NR == 1')
    [[ -n "$EDITED_FILE" ]] || die "podready-edit: no main Java source in $CORPUS_DIR"
    EDITED_BACKUP="$RESULTS_DIR/edited.java.orig"
    cp "$EDITED_FILE" "$EDITED_BACKUP"
    echo "- podready-edit and podready-checkout change ${EDITED_FILE#"$EDIT_DIR"/} before each run, in a copy of the corpus"
fi

# Rounds interleave the tools so that a burst of background load hits all of
# them rather than one.
for run in $(seq 1 "$RUNS"); do
    for tool in $TOOLS; do
        printf '==> run %s/%s: %-12s ' "$run" "$RUNS" "$tool" >&2
        (cd "$CORPUS_DIR" && run_tool "$tool" "$run") >&2
    done
done

# --- report -----------------------------------------------------------------
echo "## Results"
echo
python3 "$BENCH_DIR/report.py" --results "$RESULTS_DIR" --corpus "$CORPUS_DIR" \
    --tools "$TOOLS" --manifest "$MANIFEST"
echo
echo "Wall time is the best of $RUNS runs; peak RSS is the largest over the runs:"
echo "\"peak RSS\" is GNU time's maximum resident set size (the largest single"
echo "process), \"process-tree peak RSS\" the sampled sum over all processes of"
echo "the tool (semgrep runs a Python front end and semgrep-core processes)."
