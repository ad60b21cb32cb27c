#!/usr/bin/env bash
# Replaces the example plan in README.md with the plan rollbook writes now.
set -euo pipefail
cd "$(dirname "$0")/.."
plan=$(mktemp)
trap 'rm -f "$plan"' EXIT
cargo run -q -- plan examples/stateless-k8s.yaml > "$plan"
awk -v planfile="$plan" '
  /^<!-- plan:examples\/stateless-k8s.yaml -->$/ {
    print; print "````markdown"
    while ((getline line < planfile) > 0) print line
    print "````"; skip = 1; next
  }
  /^<!-- \/plan -->$/ { skip = 0 }
  !skip { print }
' README.md > README.md.tmp
mv README.md.tmp README.md
