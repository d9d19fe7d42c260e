#!/usr/bin/env bash
# The README's curl flow against a running stack (`make smoke`; also run by the stack test):
# health, readiness, then PUT, GET, list, DELETE and GET-after-delete of one fresh object.
# Usage: scripts/smoke.sh [BASE_URL]   (default http://localhost:$API_PORT, API_PORT default 8080)
set -euo pipefail
base=${1:-http://localhost:${API_PORT:-8080}}
id=$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen | tr 'A-Z' 'a-z')
passed=0

# check METHOD PATH WANT_STATUS WANT_SUBSTRING
check() {
  local method=$1 path=$2 want_status=$3 want_body=$4 out status body
  out=$(curl -sS -X "$method" -w '\n%{http_code}' "$base$path") \
    || { echo "smoke: FAIL: $method $path: no answer from $base (is the stack up? make up)" >&2; exit 1; }
  status=${out##*$'\n'}; body=${out%$'\n'*}
  if [ "$status" != "$want_status" ] || [[ "$body" != *"$want_body"* ]]; then
    echo "smoke: FAIL: $method $path: got $status $body; want $want_status and a body containing $want_body" >&2
    exit 1
  fi
  echo "smoke: ok: $method $path -> $status $body"
  passed=$((passed + 1))
}

check GET /healthz 200 '{"status":"ok"}'
check GET /readyz 200 '{"status":"ready"}'
check PUT "/object/$id" 201 "{\"object\":\"$id\"}"
check GET "/object/$id" 200 "{\"object\":{\"uuid\":\"$id\",\"ts\":\""
check GET /objects 200 "{\"uuid\":\"$id\""
check DELETE "/object/$id" 204 ''
check GET "/object/$id" 404 '"error"'
echo "smoke: $passed checks passed against $base"
