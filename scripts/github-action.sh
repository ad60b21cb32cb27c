#!/usr/bin/env bash
# The logic of the rollbook GitHub Action (action.yml): judge the pull request with `rollbook
# check`, write SARIF for code scanning, and post the rollback plan as one pull-request comment
# (updated on each push). Kept out of action.yml so tests can run it with fake GITHUB_* variables
# and a stub for the network (CURL).
#
# Inputs (environment): INPUT_SPEC (a spec file; empty: the specs changed in the pull request),
# INPUT_BASE (default origin/$GITHUB_BASE_REF), INPUT_COMMENT (true/false), INPUT_FAIL_ON_VIOLATION
# (true/false). GitHub's: GITHUB_BASE_REF, GITHUB_REF, GITHUB_REPOSITORY, GITHUB_API_URL,
# GITHUB_TOKEN, GITHUB_OUTPUT, RUNNER_TEMP.
set -euo pipefail

ROLLBOOK="${ROLLBOOK:-rollbook}"
CURL="${CURL:-curl}"
out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/rollbook"
mkdir -p "$out_dir"
sarif="$out_dir/rollbook.sarif"
plan_md="$out_dir/plan.md"
marker="<!-- rollbook-plan -->"

if [[ -n "${INPUT_SPEC:-}" ]]; then
  target=("$INPUT_SPEC")
  plan_args=("$INPUT_SPEC")
elif [[ -n "${GITHUB_BASE_REF:-}" || -n "${INPUT_BASE:-}" ]]; then
  range="${INPUT_BASE:-origin/${GITHUB_BASE_REF}}..HEAD"
  target=(--git "$range")
  plan_args=(--git "$range")
else
  echo "::error::rollbook: no spec given and not a pull request: set the action's 'spec' input" >&2
  exit 2
fi

# Annotations on the pull request; the exit code decides the job (0 pass, 1 violated, 2 error).
status=0
"$ROLLBOOK" check "${target[@]}" --format github || status=$?
if [[ $status -ge 2 ]]; then
  exit "$status"
fi
"$ROLLBOOK" check "${target[@]}" --format sarif >"$sarif" || true
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
  echo "plan=$plan_md" >>"$GITHUB_OUTPUT"
fi

# The plan as a comment, when this is a pull request and a token is there.
pr=""
if [[ "${GITHUB_REF:-}" =~ ^refs/pull/([0-9]+)/ ]]; then
  pr="${BASH_REMATCH[1]}"
fi
if [[ "${INPUT_COMMENT:-true}" == "true" && -n "$pr" && -n "${GITHUB_TOKEN:-}" ]]; then
  if "$ROLLBOOK" plan "${plan_args[@]}" >"$plan_md"; then
    # A comment holds at most 65536 characters.
    body_file="$out_dir/comment.json"
    jq -Rs --arg marker "$marker" \
      '{body: ($marker + "\n" + (if length > 60000 then .[0:60000] + "\n\n… (cut: run `rollbook plan` for the whole plan)" else . end))}' \
      <"$plan_md" >"$body_file"
    api="${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY}"
    auth=(-H "Authorization: Bearer ${GITHUB_TOKEN}" -H "Accept: application/vnd.github+json")
    # Update the comment an earlier run wrote, else add one.
    existing=$("$CURL" -fsS "${auth[@]}" "$api/issues/$pr/comments?per_page=100" |
      jq -r --arg marker "$marker" '[.[] | select(.body | startswith($marker))][0].id // empty')
    if [[ -n "$existing" ]]; then
      "$CURL" -fsS -X PATCH "${auth[@]}" --data @"$body_file" "$api/issues/comments/$existing" >/dev/null
    else
      "$CURL" -fsS -X POST "${auth[@]}" --data @"$body_file" "$api/issues/$pr/comments" >/dev/null
    fi
  else
    echo "::warning::rollbook: the plan could not be written; no comment posted" >&2
  fi
fi

if [[ "${INPUT_FAIL_ON_VIOLATION:-true}" == "true" ]]; then
  exit "$status"
fi
exit 0
