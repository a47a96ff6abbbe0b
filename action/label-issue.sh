#!/usr/bin/env bash
# The work of the GitHub Action (action.yml at the repository root): classify the issue of the
# event that started the workflow, add the owner's first label, and optionally assign people,
# post the explanation as a comment and mention a team. It reads the event from
# GITHUB_EVENT_PATH, classifies with `triage` from PATH, and talks to GitHub only through `gh`.
#
# Settings come from the environment (action.yml maps the action's inputs to these):
#   TRIAGE_RULES_FILE  rule file; empty: triage.yaml / .triage.yaml in the workspace, else built in
#   TRIAGE_COMMENT     true: post the explanation as a comment
#   TRIAGE_ASSIGNEES   lines `function: login[, login...]`: assign these when the function owns it
#   TRIAGE_TEAMS       lines `function: @org/team`: mention this team in a comment
#   TRIAGE_DRY_RUN     true: print the gh commands instead of running them
# Outputs (GITHUB_OUTPUT): owner, status, score, label.
set -euo pipefail

# Fail the step with a message GitHub shows as an error annotation.
fail() {
  local message="$*"
  message=${message//'%'/'%25'}
  printf '::error title=triage::%s\n' "${message//$'\n'/'%0A'}"
  exit 1
}

truthy() {
  case "${1,,}" in
    true | yes | on | 1) return 0 ;;
    *) return 1 ;;
  esac
}

trim() {
  local text="$1"
  text="${text#"${text%%[![:space:]]*}"}"
  printf '%s' "${text%"${text##*[![:space:]]}"}"
}

# Set `found` to the value for function $2 in a `function: value` mapping $1 (input $3, for
# messages); every line is checked, so a typo fails the step whoever owns the issue.
lookup() {
  local mapping="$1" function="$2" input="$3" line key
  found=""
  while IFS= read -r line || [ -n "$line" ]; do
    [ -n "$(trim "$line")" ] || continue
    [[ $line == *:* ]] || fail "input \`$input\`: the line \`$(trim "$line")\` is not \`function: value\`"
    key=$(trim "${line%%:*}")
    if ! grep -qxiF -- "$key" <<<"$functions"; then
      fail "input \`$input\`: \`$key\` is not a function of the rule file (functions: ${functions//$'\n'/, })"
    fi
    if [ -n "$function" ] && [ "${key,,}" = "${function,,}" ]; then
      found=$(trim "${line#*:}")
    fi
  done <<<"$mapping"
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

gh_call() {
  if truthy "${TRIAGE_DRY_RUN:-false}"; then
    printf 'dry-run: gh'
    printf ' %q' "$@"
    printf '\n'
  else
    gh "$@" || fail "\`gh $1 $2\` failed (see its message above); the token needs \`issues: write\`"
  fi
}

command -v jq >/dev/null || fail "jq is not installed (GitHub's runners have it)"
command -v triage >/dev/null || fail "triage is not on PATH"

event="${GITHUB_EVENT_PATH:-}"
if [ -z "$event" ] || [ ! -f "$event" ]; then
  fail "no event payload: GITHUB_EVENT_PATH is ${event:-not set}; run this action in a workflow on \`issues: [opened, edited]\`"
fi
jq -e 'type == "object"' "$event" >/dev/null 2>&1 || fail "the event payload $event is not a JSON object"
if ! jq -e '.issue | type == "object"' "$event" >/dev/null; then
  fail "the event payload has no issue (.issue): run this action on \`issues: [opened, edited]\`, not on \`${GITHUB_EVENT_NAME:-this event}\`"
fi
jq -e '.issue.title | type == "string"' "$event" >/dev/null || fail "the event payload's issue has no title (.issue.title)"
jq -e '.issue | has("body")' "$event" >/dev/null || fail "the event payload's issue has no body (.issue.body; an empty issue has \`null\`)"
number=$(jq -r '.issue.number // empty' "$event")
[ -n "$number" ] || fail "the event payload's issue has no number (.issue.number)"
repo=$(jq -r '.repository.full_name // empty' "$event")
repo="${repo:-${GITHUB_REPOSITORY:-}}"
[ -n "$repo" ] || fail "no repository: the payload has no .repository.full_name and GITHUB_REPOSITORY is not set"
title=$(jq -r '.issue.title' "$event")

# The body goes through a file, not an argument: bodies reach 65,536 characters.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jq -j '.issue.body // ""' "$event" >"$work/body"

rules=()
if [ -n "${TRIAGE_RULES_FILE:-}" ]; then
  rules=(--rules "$TRIAGE_RULES_FILE")
fi
triage "${rules[@]}" --format json --title="$title" <"$work/body" >"$work/verdict.json" ||
  fail "triage could not classify issue #$number (its message is above)"
triage "${rules[@]}" --color never --title="$title" <"$work/body" >"$work/why.txt" ||
  fail "triage could not classify issue #$number (its message is above)"

verdict="$work/verdict.json"
functions=$(jq -r '.scores | keys_unsorted[]' "$verdict")
owner=$(jq -r '.owner // empty' "$verdict")
status=$(jq -r '.status' "$verdict")
score=$(jq -r '.score' "$verdict")
label=$(jq -r '.labels[0] // empty' "$verdict")
output owner "$owner"
output status "$status"
output score "$score"
output label "$label"

lookup "${TRIAGE_ASSIGNEES:-}" "$owner" assignees
assignees="$found"
lookup "${TRIAGE_TEAMS:-}" "$owner" teams
team="$found"

if [ -z "$owner" ]; then
  echo "triage: issue #$number routes to no function ($status, score $score): nothing to do"
  exit 0
fi
name=$(jq -r '.name' "$verdict")
echo "triage: issue #$number routes to $name ($status, score $score)"

# An issue that already carries the label was handled (an edit, or a person): leave it be.
# (`label` is a jq keyword, hence `$wanted`.)
if [ -n "$label" ] && jq -e --arg wanted "${label,,}" 'any(.issue.labels[]?; (.name | ascii_downcase) == $wanted)' "$event" >/dev/null; then
  echo "triage: issue #$number already has the label \`$label\`: nothing to do"
  exit 0
fi

edit=()
if [ -n "$label" ]; then
  edit+=(--add-label "$label")
else
  echo "triage: $name has no labels in the rule file: no label to add"
fi
if [ -n "$assignees" ]; then
  edit+=(--add-assignee "$(tr -d '[:space:]' <<<"$assignees")")
fi
if [ ${#edit[@]} -gt 0 ]; then
  gh_call issue edit "$number" --repo "$repo" "${edit[@]}"
fi

if truthy "${TRIAGE_COMMENT:-false}" || [ -n "$team" ]; then
  {
    printf 'triage routes this issue to **%s** (%s, score %s)' "$name" "$status" "$score"
    if [ -n "$label" ]; then
      # shellcheck disable=SC2016 # markdown backticks, not a command
      printf ' and labels it `%s`' "$label"
    fi
    printf '.\n'
    if truthy "${TRIAGE_COMMENT:-false}"; then
      printf '\n<details><summary>Why</summary>\n\n```text\n'
      cat "$work/why.txt"
      printf '```\n\n</details>\n'
    fi
    if [ -n "$team" ]; then
      printf '\ncc %s\n' "$team"
    fi
  } >"$work/comment.md"
  gh_call issue comment "$number" --repo "$repo" --body "$(cat "$work/comment.md")"
fi
