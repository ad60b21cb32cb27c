#!/usr/bin/env bash
# Wall time of `rollbook plan <example>` as a whole process, per shipped example (every spec and
# brief under examples/ that plans), or per file given on the command line. The binary is built
# once with the `dist` profile (what `cargo install --profile dist` and the Dockerfile build);
# each example is run RUNS times (default 20) after WARMUP runs (default 3).
# Uses hyperfine when installed, otherwise a loop timed with bash's `EPOCHREALTIME`.
#
# Prints one row per example: mean, min and max wall milliseconds; when `perf` is installed, the
# mean CPU milliseconds (task-clock), which a busy machine barely moves; and when `valgrind` is
# installed, the instructions of one run in millions, which nothing moves (on a shared VM whose
# page faults cost more one hour than the next, the figure to compare two builds by;
# INSTRUCTIONS=0 skips it). The goal (issue 9) is every example under 5 ms.
#
#   bench/process-time.sh                                  # every example
#   bench/process-time.sh eval/briefs/*.md                 # other inputs
#   ROLLBOOK_BIN=/tmp/rollbook-before bench/process-time.sh   # another binary, not rebuilt
#   STATIC=1 bench/process-time.sh                         # the static build (README: Install)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-20}"
warmup="${WARMUP:-3}"
if [ -n "${ROLLBOOK_BIN:-}" ]; then
    bin="$ROLLBOOK_BIN"
elif [ "${STATIC:-0}" = 1 ]; then
    triple=x86_64-unknown-linux-gnu
    RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" \
        cargo build --profile dist --quiet --bin rollbook --target "$triple"
    bin="$root/target/$triple/dist/rollbook"
else
    cargo build --profile dist --quiet --bin rollbook
    bin="$root/target/dist/rollbook"
fi

if [ "$#" -gt 0 ]; then
    candidates=("$@")
else
    mapfile -t candidates < <(find examples -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.toml' -o -name '*.json' -o -name '*.md' \) | LC_ALL=C sort)
fi

# Only what plans: examples/ also holds manifests, migrations and a plan's JSON.
inputs=()
for f in "${candidates[@]}"; do
    if "$bin" plan "$f" >/dev/null 2>&1; then
        inputs+=("$f")
    fi
done
if [ "${#inputs[@]}" -eq 0 ]; then
    echo "no input plans" >&2
    exit 1
fi

cpu_ms() {
    if command -v perf >/dev/null 2>&1; then
        perf stat -x, -e task-clock -r "$runs" "$bin" plan "$1" 2>&1 >/dev/null |
            awk -F, '$3 ~ /task-clock/ { printf "%9.2f", $1; found = 1 } END { if (!found) printf "%9s", "-" }'
    else
        printf '%9s' -
    fi
}

instructions() {
    if [ "${INSTRUCTIONS:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1; then
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" plan "$1" 2>&1 >/dev/null |
            awk '/refs:/ { gsub(",", "", $NF); printf "%9.2f", $NF / 1e6; found = 1 } END { if (!found) printf "%9s", "-" }'
    else
        printf '%9s' -
    fi
}

printf '%-48s %9s %9s %9s %9s %9s\n' example "mean ms" "min ms" "max ms" "cpu ms" "M instr"
for f in "${inputs[@]}"; do
    if command -v hyperfine >/dev/null 2>&1; then
        json="$(mktemp)"
        hyperfine --shell=none --style none --warmup "$warmup" --runs "$runs" \
            --export-json "$json" "$bin plan $f" >/dev/null 2>&1
        python3 - "$json" "$f" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]:<48} {r['mean']*1000:9.2f} {r['min']*1000:9.2f} {r['max']*1000:9.2f}", end=" ")
PY
        rm -f "$json"
    else
        for _ in $(seq "$warmup"); do "$bin" plan "$f" >/dev/null; done
        times=()
        # `EPOCHREALTIME` (bash 5) reads the clock in the shell: a `date` process per reading
        # would add its own start-up, a few milliseconds, to every run.
        for _ in $(seq "$runs"); do
            start="${EPOCHREALTIME/[.,]/}"
            "$bin" plan "$f" >/dev/null
            end="${EPOCHREALTIME/[.,]/}"
            times+=("$(((end - start) * 1000))")
        done
        printf '%s\n' "${times[@]}" | awk -v name="$f" '
            { s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
            END { printf "%-48s %9.2f %9.2f %9.2f ", name, s / NR / 1e6, lo / 1e6, hi / 1e6 }'
    fi
    cpu_ms "$f"
    instructions "$f"
    echo
done
