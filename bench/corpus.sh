#!/usr/bin/env bash
# Runs rollbook's SQL front-ends and rules over the shared real-world corpus and reports:
# files, statements parsed, statements not understood, panics (must be 0), the wall time and
# max RSS of a full lemmy run, 10,000 synthetic migrations (library and CLI), and squawk side by
# side on the lemmy up files (median of ROLLBOOK_BENCH_RUNS paired runs, default 11). The corpus path is ROLLBOOK_CORPUS (default ../shared/corpus from the repo root);
# without it the script says so and exits 0.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ROLLBOOK_CORPUS:-$root/../shared/corpus}"
if [ ! -d "$corpus/lemmy/migrations" ]; then
    echo "bench/corpus.sh: no corpus at $corpus (set ROLLBOOK_CORPUS); skipping"
    exit 0
fi
corpus="$(cd "$corpus" && pwd)"
cd "$root"

echo "== build (bench profile for the library run; the dist profile users install for the CLI)"
# The report mode of benches/corpus.rs runs the library over the corpus without criterion.
bin="$(cargo bench --bench corpus --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "bench/corpus.sh: could not build the corpus bench" >&2
    exit 1
fi
cargo build --profile dist --quiet --bin rollbook

report() {
    ROLLBOOK_CORPUS="$corpus" ROLLBOOK_CORPUS_REPORT="$1" "$bin"
}

echo "== counts (library: parse, verdict, every rule)"
out="$(report all)"
echo "$out"
panics="$(echo "$out" | sed -n 's/.* panics=\([0-9]*\).*/\1/p' | paste -sd+ - | bc)"
nu="$(echo "$out" | sed -n 's/.* not_understood=\([0-9]*\).*/\1/p' | paste -sd+ - | bc)"
silent="$(echo "$out" | sed -n 's/.* silent_files=\([0-9]*\).*/\1/p' | paste -sd+ - | bc)"
echo "total: panics=$panics not_understood=$nu silent_files=$silent"

timed() {
    # timed LABEL CMD...: prints wall seconds and max RSS of CMD.
    local label="$1"
    shift
    local log
    log="$(mktemp)"
    local rc=0
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || rc=$?
    local wall rss
    wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
    rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")"
    rm -f "$log"
    printf '%-34s wall %s  max RSS %s KiB  (exit %s)\n' "$label" "$wall" "$rss" "$rc"
}

echo "== full lemmy run (up and down files)"
lemmy_files="$(find "$corpus/lemmy/migrations" -name '*.sql' | wc -l)"
echo "lemmy: $lemmy_files .sql files"
if [ -x /usr/bin/time ]; then
    timed "rollbook (library, lemmy)" env ROLLBOOK_CORPUS="$corpus" ROLLBOOK_CORPUS_REPORT=lemmy "$bin"
    timed "rollbook (library, 10k synthetic)" env ROLLBOOK_CORPUS_REPORT=synthetic "$bin"
    if "$root/target/dist/rollbook" scan --help >/dev/null 2>&1; then
        timed "rollbook scan (CLI, lemmy)" "$root/target/dist/rollbook" scan "$corpus/lemmy/migrations"
    fi
else
    echo "(no /usr/bin/time: wall time only)"
    time report lemmy
fi

echo "== squawk on the lemmy up files"
if ! command -v squawk >/dev/null 2>&1 && command -v pip >/dev/null 2>&1; then
    pip install --quiet squawk-cli >/dev/null 2>&1 || echo "(pip install squawk-cli failed)"
    hash -r
fi
if command -v squawk >/dev/null 2>&1; then
    echo "$(squawk --version 2>/dev/null || echo squawk)"
    # squawk exits non-zero when it has findings; that is its normal result here.
    if [ -x /usr/bin/time ]; then
        timed "squawk (lemmy up.sql only)" squawk "$corpus/lemmy/migrations/**/up.sql"
    else
        time squawk "$corpus/lemmy/migrations/**/up.sql" >/dev/null || true
    fi
else
    echo "squawk not installed and pip unavailable; skipped"
fi

echo "== side by side: rollbook scan (lemmy up and down) vs squawk (lemmy up only), paired runs"
# Each round runs both, alternating which goes first; the ratio of medians is the figure.
runs="${ROLLBOOK_BENCH_RUNS:-11}"
if command -v squawk >/dev/null 2>&1; then
    python3 - "$root/target/dist/rollbook" "$corpus/lemmy/migrations" "$runs" <<'PY'
import glob, statistics, subprocess, sys, time
rollbook, lemmy, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
ups = sorted(glob.glob(lemmy + "/**/up.sql", recursive=True))
cmds = {
    "rollbook": [rollbook, "scan", lemmy, "--format", "json"],
    "squawk": ["squawk", *ups],
}
times = {k: [] for k in cmds}
for i in range(runs):
    order = list(cmds) if i % 2 == 0 else list(reversed(list(cmds)))
    for k in order:
        t = time.perf_counter()
        subprocess.run(cmds[k], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[k].append(time.perf_counter() - t)
med = {k: statistics.median(v) for k, v in times.items()}
print(f"rollbook median {med['rollbook']:.3f}s, squawk median {med['squawk']:.3f}s over {runs} paired runs "
      f"({len(ups)} up files for squawk)")
print(f"ratio rollbook/squawk = {med['rollbook'] / med['squawk']:.2f}")
PY
else
    echo "squawk not installed; side-by-side skipped"
fi

echo "== 10,000 synthetic up/down pairs through the CLI (20,000 files)"
synth="$(mktemp -d)"
python3 - "$synth" <<'PY'
import sys, pathlib
d = pathlib.Path(sys.argv[1])
for i in range(10000):
    t = f"t{i % 97}"
    up, down = [
        (f"CREATE TABLE n{i} (id bigint PRIMARY KEY, note text);\n", f"DROP TABLE n{i};\n"),
        (f"SET lock_timeout = '2s';\nALTER TABLE {t} ADD COLUMN c{i} text;\n", f"ALTER TABLE {t} DROP COLUMN c{i};\n"),
        (f"CREATE INDEX CONCURRENTLY i{i} ON {t} (id);\n", f"DROP INDEX CONCURRENTLY i{i};\n"),
        (f"ALTER TABLE {t} ALTER COLUMN c{i - 1} TYPE varchar(20);\n", f"ALTER TABLE {t} ALTER COLUMN c{i - 1} TYPE text;\n"),
    ][i % 4]
    (d / f"{i:05d}_m.up.sql").write_text(up)
    (d / f"{i:05d}_m.down.sql").write_text(down)
PY
if [ -x /usr/bin/time ]; then
    timed "rollbook scan (CLI, 10k pairs)" "$root/target/dist/rollbook" scan "$synth" --format json
else
    time "$root/target/dist/rollbook" scan "$synth" --format json >/dev/null || true
fi
# The figures only count if every file was read: the walk once stopped at 10,000 files, silently.
# (exit 1 is its normal result here: the synthetic pairs have error-level findings.)
read_files="$({ "$root/target/dist/rollbook" scan "$synth" --format json 2>/dev/null || true; } |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["summary"]["files"])' || echo "?")"
echo "files read by the CLI: $read_files of 20000"
rm -rf "$synth"

if [ "$panics" != "0" ]; then
    echo "FAIL: $panics panics" >&2
    exit 1
fi
