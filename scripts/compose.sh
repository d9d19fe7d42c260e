#!/usr/bin/env bash
# `docker compose` for the make verbs and the stack tests: the same arguments and the same files
# (COMPOSE_FILE, which the Makefile sets), but a failed `up` is explained: which service failed,
# its log and, when pulling was the problem, the offline form.
#   scripts/compose.sh [COMPOSE FLAGS/COMMAND...]
set -euo pipefail
cd "$(dirname "$0")/.."
dc() { docker compose "$@"; }

is_up=false
for a in "$@"; do [ "$a" = up ] && is_up=true && break; done
if ! $is_up; then dc "$@"; exit; fi

log=$(mktemp); trap 'rm -f "$log"' EXIT
rc=0 interrupted=false
trap 'interrupted=true' INT # Ctrl-C reaches compose too; it stops, then we say so
dc "$@" 2> >(tee "$log" >&2) || rc=$?
wait # for tee
[ "$rc" = 0 ] && exit 0
if $interrupted || [ "$rc" = 130 ]; then
  echo "compose.sh: 'docker compose up' interrupted: the stack may be half up; run the same verb again, or make down" >&2
  exit 130
fi
# The global flags before the command (e.g. -p NAME) select the same project for ps and logs.
globals=()
for a in "$@"; do [ "$a" = up ] && break; globals+=("$a"); done
{
  echo
  echo "compose.sh: 'docker compose up' failed (exit $rc)."
  dc "${globals[@]}" ps -a --format '{{.Service}} {{.State}} {{.ExitCode}}' 2>/dev/null \
    | while read -r svc state code; do
        if [ "$state" = exited ] && [ "$code" != 0 ] || [ "$state" = restarting ]; then
          echo "compose.sh: service $svc $state with exit code $code; its last lines (all: docker compose logs $svc):"
          dc "${globals[@]}" logs --no-log-prefix --tail 20 "$svc" 2>&1 | sed 's/^/    /'
        fi
      done
  if grep -qiE 'pull access denied|failed to resolve|no such host|i/o timeout|manifest unknown|TLS handshake|dial tcp' "$log"; then
    echo "compose.sh: an image could not be pulled. Without a container registry, put OFFLINE=1 before the"
    echo "compose.sh: same verb, e.g. OFFLINE=1 make up   (offline/README.md)"
  fi
  if grep -qE 'address already in use|port is already allocated' "$log"; then
    echo "compose.sh: a host port is taken (by another program, or by a stack of another checkout). Pick others,"
    echo "compose.sh: and give them to every later verb too:  API_PORT=18080 DYNAMODB_PORT=18000 make up"
  fi
  if grep -q 'Terraform registry' <(dc "${globals[@]}" logs terraform 2>/dev/null); then
    echo "compose.sh: the terraform job needs the Terraform registry; without one: OFFLINE=1 make up (offline/README.md)"
  fi
} >&2
exit "$rc"
