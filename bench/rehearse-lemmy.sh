#!/usr/bin/env bash
# Rehearses the whole shared lemmy corpus on a private PostgreSQL server: every up in order,
# every down in reverse, every up again (its extensions included), and reports which downs fail
# or leave the schema different, with the wall time. The corpus path is ROLLBOOK_CORPUS
# (default ../shared/corpus from the repo root); without it, or without PostgreSQL's binaries,
# the script says so and exits 0. The JSON report is written to $OUT (default
# target/rehearse-lemmy.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ROLLBOOK_CORPUS:-$root/../shared/corpus}"
if [ ! -d "$corpus/lemmy/migrations" ]; then
    echo "bench/rehearse-lemmy.sh: no corpus at $corpus (set ROLLBOOK_CORPUS); skipping"
    exit 0
fi
if ! command -v initdb >/dev/null 2>&1; then
    echo "bench/rehearse-lemmy.sh: initdb is not on PATH; skipping"
    exit 0
fi
corpus="$(cd "$corpus" && pwd)"
cd "$root"
out="${OUT:-$root/target/rehearse-lemmy.json}"
cargo build --release --quiet
summarise() {
python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
run = r["runs"][-1]
phases = {}
for t in run["statements"]:
    p = phases.setdefault(t["phase"], [0, 0.0])
    p[0] += 1
    p[1] += t["seconds"] or 0.0
print("server:", r["server_version"])
for name, (n, s) in phases.items():
    print(f"{name}: {n} statements, {s:.2f} s")
failed = [t for t in run["statements"] if t.get("error")]
for t in failed:
    print(f"FAILS: {t['phase']} at {t['at']}: {t['error']}")
print("up, down, up again all ran:", run["up_down_up"])
print(f"downs that leave the schema different: {len(run.get('per_migration', []))}")
for m in run.get("per_migration", []):
    print(" ", m["migration"].split("/migrations/")[-1])
    for d in m["differences"]:
        print("     ", d["kind"], d["object"])
print(f"total difference after all downs: {len(run['schema_diff'])} object(s)")
PY
}

rehearse() { # out, migrations...
    local report="$1"
    shift
    local start code
    start=$(date +%s)
    set +e
    ./target/release/rollbook rehearse "$@" --ephemeral postgres --rows 0 --format json >"$report"
    code=$?
    set -e
    echo "exit $code in $(( $(date +%s) - start )) s; report: $report"
    summarise "$report"
}

echo "== rehearse all $(find "$corpus/lemmy/migrations" -name up.sql | wc -l) lemmy migrations (rows: 0)"
rehearse "$out" "$corpus/lemmy/migrations"
# An up this server cannot run (e.g. SQL of a newer PostgreSQL) stops the timeline before any
# down: rehearse again the migrations before it, so their downs are judged.
stop="$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
bad = [t["at"] for t in r["runs"][-1]["statements"] if t.get("error") and t["phase"] == "up"]
print(bad[0].rsplit("/", 1)[0] + "/" if bad else "")' "$out")"
if [ -n "$stop" ]; then
    mapfile -t before < <(for d in "$corpus"/lemmy/migrations/*/; do
        if [[ "$d" < "$stop" ]]; then echo "${d}up.sql"; fi
    done)
    echo "== rehearse the ${#before[@]} migrations before $(basename "$stop"), the first up this server refuses"
    rehearse "${out%.json}-prefix.json" "${before[@]}"
fi
