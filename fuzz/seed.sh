#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/) from the project's examples and test fixtures,
# and from the shared real-world corpus when present (ROLLBOOK_CORPUS, default ../shared/corpus
# relative to the repo root). The corpora are not committed (fuzz/.gitignore).
set -euo pipefail
fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$fuzz_dir")"
shared="${ROLLBOOK_CORPUS:-$root/../shared/corpus}"
out="$fuzz_dir/corpus"

# put TARGET FILE...: copies each file under a name that is its content hash (libFuzzer's own
# naming), so reseeding is idempotent.
put() {
    local target="$1"
    shift
    mkdir -p "$out/$target"
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$out/$target/$(sha1sum "$f" | cut -c1-40)"
    done
}

# find_files DIR EXPR...: regular files under DIR, or nothing when DIR is absent.
find_files() {
    local dir="$1"
    shift
    [ -d "$dir" ] || return 0
    find "$dir" -type f "$@" -print0
}

mapfile -d '' yaml < <(find_files "$root/examples" -name '*.yaml'; find_files "$root/tests/fixtures" -name '*.yaml'; printf '%s\0' "$root/templates/rollbook.yaml")
mapfile -d '' toml < <(find_files "$root/examples" -name '*.toml'; find_files "$root/tests/fixtures" -name '*.toml')
mapfile -d '' json < <(find_files "$root/examples" -name '*.json'; find_files "$root/tests/fixtures" -name '*.json')
mapfile -d '' briefs < <(find_files "$root/examples" \( -name '*.md' -o -name '*.txt' \); find_files "$root/tests/fixtures/briefs")
mapfile -d '' sql < <(find_files "$root/examples" -name '*.sql'; find_files "$root/tests/fixtures" -name '*.sql')

put spec_yaml "${yaml[@]}"
put spec_toml "${toml[@]}"
put spec_json "${json[@]}"
put brief "${briefs[@]}"
put plan "${yaml[@]}" "${toml[@]}" "${json[@]}" "${briefs[@]}"
put sql_postgres "${sql[@]}"
put sql_mysql "${sql[@]}"

# No JSON spec ships: write one so the JSON target starts from the model's shape.
mkdir -p "$out/spec_json" "$out/config_read"
printf '%s\n' '{"deployment": {"name": "api", "version": "v2", "previous_version": "v1", "changes": [{"kind": "code", "services": ["api"]}]}, "architecture": {"services": [{"name": "api", "platform": "kubernetes"}]}}' >"$out/spec_json/seed-minimal.json"
cp "$out/spec_json/seed-minimal.json" "$out/plan/seed-minimal.json"
# Config seeds: the first byte picks the format (see fuzz/src/lib.rs): 0 env, 1 yaml, 2 json, 3 toml.
printf '\000DATABASE_URL=postgres://db/app\nFEATURE_X=true\nexport API_TOKEN="s3cr3t"\n' >"$out/config_read/seed-env"
printf '\001server:\n  port: 8080\n  tls: {enabled: true}\nfeatures: [a, b]\n' >"$out/config_read/seed-yaml"
printf '\002{"server": {"port": 8080, "hosts": ["a", "b"]}, "password": "x"}\n' >"$out/config_read/seed-json"
printf '\003[server]\nport = 8080\n[db]\nurl = "postgres://db"\n' >"$out/config_read/seed-toml"

# Liquibase changelog seeds: XML and YAML masters.
mkdir -p "$out/liquibase_changelog"
printf '<databaseChangeLog>\n  <include file="changes/1.sql"/>\n  <includeAll path="more/"/>\n</databaseChangeLog>\n' >"$out/liquibase_changelog/seed-xml"
printf 'databaseChangeLog:\n  - include:\n      file: changes/1.sql\n  - includeAll:\n      path: more/\n' >"$out/liquibase_changelog/seed-yaml"

# Redaction seeds: one secret of each shape the layer masks, and control characters.
mkdir -p "$out/redact"
printf 'DB_PASSWORD=hunter2 postgres://app:pw@db/x?sslmode=require&password=p\n' >"$out/redact/seed-creds"
printf 'https://hooks.slack.com/services/T0/B0/XX https://h/x?X-Amz-Signature=ab&token=t ghp_0123456789abcdefghijABCDEFGHIJ\n' >"$out/redact/seed-tokens"
printf 'Server=db;Password=pw; \033[31m\342\200\256 -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' >"$out/redact/seed-mixed"

if [ -d "$shared" ]; then
    mapfile -d '' manifests < <(find_files "$shared/argo-rollouts" \( -name '*.yaml' -o -name '*.yml' \) -size -64k; find_files "$shared/microservices-demo" \( -name '*.yaml' -o -name '*.yml' \) -size -64k)
    mapfile -d '' plans < <(find_files "$shared/opentofu-show-json" -name '*.json' -size -64k)
    # A sample of the migrations: libFuzzer minimises as it goes; thousands of seeds only slow the start.
    mapfile -d '' pg < <(find_files "$shared/lemmy/migrations" -name '*.sql' -size -16k | sort -z | awk 'BEGIN{RS="\0"; ORS="\0"} NR % 8 == 0'; find_files "$shared/flipt/migrations/postgres" -name '*.sql')
    mapfile -d '' my < <(find_files "$shared/flipt/migrations/mysql" -name '*.sql')
    put k8s_read "${manifests[@]}"
    put terraform_read "${plans[@]}"
    put sql_postgres "${pg[@]}"
    put sql_mysql "${my[@]}"
else
    echo "seed.sh: no shared corpus at $shared; seeding from the project only" >&2
fi
mkdir -p "$out/k8s_read" "$out/terraform_read"
[ -n "$(ls -A "$out/k8s_read")" ] || cp "$root"/tests/fixtures/rules/RB001-code-redeploy/fire.yaml "$out/k8s_read/"
[ -n "$(ls -A "$out/terraform_read")" ] || printf '%s\n' '{"format_version": "1.2", "resource_changes": [{"address": "aws_db_instance.main", "type": "aws_db_instance", "change": {"actions": ["delete", "create"]}}]}' >"$out/terraform_read/seed-replace.json"

for d in "$out"/*/; do
    printf '%-16s %4d files\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)"
done
