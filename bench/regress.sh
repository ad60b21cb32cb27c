#!/usr/bin/env bash
# Scans full public repositories with `rollbook scan` and prints, per repository: files read,
# findings by rule, files not judged or ignored (by reason), and wall time. The repositories are
# read from a cache folder, one checkout per `owner+name` (ROLLBOOK_REGRESS_CACHE, default
# bench/cache); a repository not in the cache is skipped, so the script always exits 0 when there
# is nothing to scan. The small excerpts in tests/fixtures/scan/real are what CI checks.
#
# Fill the cache, e.g.: git clone --depth 1 https://github.com/ory/kratos bench/cache/ory+kratos
# The figures judged by hand (precision, recall, with the commits) are in the issue 8 note.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${ROLLBOOK_REGRESS_CACHE:-$root/bench/cache}"
cd "$root"
cargo build --release --quiet
bin="$root/target/release/rollbook"

# owner+name and the migration folder scanned in it.
repos=(
    "ory+kratos persistence/sql/migrations"
    "openfga+openfga assets/migrations"
    "temporalio+temporal schema"
    "goharbor+harbor make/migrations"
    "authelia+authelia internal/storage/migrations"
)
scanned=0
for entry in "${repos[@]}"; do
    read -r repo sub <<<"$entry"
    dir="$cache/$repo/$sub"
    if [ ! -d "$dir" ]; then
        echo "== $repo: not in $cache; skipped"
        continue
    fi
    scanned=$((scanned + 1))
    # A checkout says its commit; an exported tree (git archive) may keep it in `.commit`.
    commit="$(git -C "$cache/$repo" rev-parse --short HEAD 2>/dev/null ||
        head -c 12 "$cache/$repo/.commit" 2>/dev/null || echo unknown)"
    echo "== $repo ($commit): rollbook scan $sub"
    out="$(mktemp)"
    start="$(date +%s.%N)"
    rc=0
    "$bin" scan "$dir" --format json >"$out" || rc=$?
    end="$(date +%s.%N)"
    python3 - "$out" "$rc" "$start" "$end" <<'PY'
import collections, json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
print(f"exit {sys.argv[2]}, {float(sys.argv[4]) - float(sys.argv[3]):.2f}s: {s['files']} files, "
      f"{s['statements']} statements, {s['errors']} errors, {s['warnings']} warnings")
print("findings by rule:", ", ".join(f"{k} {v}" for k, v in
      sorted(collections.Counter(f["rule"] for f in r["findings"]).items())))
for key in ("not_judged", "ignored"):
    for reason, n in collections.Counter(i["reason"] for i in r[key]).most_common(5):
        print(f"{key}: {n} x {reason}")
PY
    rm -f "$out"
done
[ "$scanned" -gt 0 ] || echo "bench/regress.sh: no repository in $cache"
