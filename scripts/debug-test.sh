#!/usr/bin/env bash
# The debugger test (`make debug-test`). Against a real Docker engine, the debug stack
# (docker-compose.debug.yml: the API under Delve, air still rebuilding on save), driven by a real
# DAP client (tools/debugclient, the protocol VS Code's Go extension speaks) that attaches the way
# .vscode/launch.json's "Attach to the API (host)" configuration does, path mapping included:
#   1. up --build --wait (that Delve's port is published on loopback only: TestPublishedPortsLoopbackOnly)
#   2. a breakpoint in the GET /object/:id handler; curl GET of a stored object stops there with
#      the request's id in scope; the client checks it, continues, and curl gets 200
#   3. a hot reload under the debugger (edit, served, restored), then a new session: the same
#      breakpoint, an unknown id, curl gets 404
#   4. down -v; the working tree is unchanged
# Docker is required when CI=true (fails loudly without it); elsewhere the test is skipped with
# a message. The stack the Makefile chose (COMPOSE_FILE), debug file merged last. Own compose project
# (DEBUG_TEST_PROJECT); host ports are the stack's API_PORT, DYNAMODB_PORT, DEBUG_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

name=debug-test; . scripts/lib.sh
need_docker

project=${DEBUG_TEST_PROJECT:-objects-api-debug-test}
dc() { COMPOSE_FILE=$(compose_with docker-compose.debug.yml) scripts/compose.sh -p "$project" "$@"; }
api_port=${API_PORT:-8080} debug_port=${DEBUG_PORT:-2345}
base=http://localhost:$api_port
out=tmp/debug-test
# The file the hot reload saves: part of the API binary, so air rebuilds and restarts it.
probe_file=src/cmd/api/main.go

[ -f "$probe_file" ] || fail "$probe_file is missing"
mkdir -p "$out"
cp "$probe_file" "$out/probe.go.orig"
snapshot >"$out/tree.before"
cleanup() {
  local rc=$?
  cmp -s "$out/probe.go.orig" "$probe_file" || cat "$out/probe.go.orig" >"$probe_file"
  [ "$rc" = 0 ] || dc logs --tail 30 api >&2 || true
  dc down -v --remove-orphans >/dev/null 2>&1 || true
  snapshot >"$out/tree.after"
  diff -u "$out/tree.before" "$out/tree.after" >&2 || { echo "debug-test: FAIL: the working tree changed" >&2; rc=1; }
  [ "$rc" = 0 ] && say PASS || say "FAILED (exit $rc); logs in $out/"
  exit "$rc"
}
trap cleanup EXIT

say "building the DAP client (tools/debugclient)"
(cd tools/debugclient && go build -o "../../$out/debugclient" .)

t=$(now)
dc up --build -d --wait || fail "'docker compose up --build -d --wait' of the debug stack failed (above: which service)"
say "ok: debug stack up in $(since "$t") s"

# session NAME ID WANT_STATUS: attach, break in the handler, GET /object/ID, check, continue.
session() {
  local name=$1 id=$2 want=$3 client code
  "$out/debugclient" -addr "127.0.0.1:$debug_port" -want "$id" >"$out/$name.out" 2>"$out/$name.log" &
  client=$!
  for _ in $(seq 1 600); do
    grep -qx ready "$out/$name.out" 2>/dev/null && break
    kill -0 "$client" 2>/dev/null || break
    sleep 0.2
  done
  grep -qx ready "$out/$name.out" || { wait "$client" || true; cat "$out/$name.log" >&2; fail "$name: the client did not set its breakpoint"; }
  code=$(curl -s -o "$out/$name.body" -w '%{http_code}' --max-time 120 "$base/object/$id" || true)
  wait "$client" || { cat "$out/$name.log" >&2; fail "$name: the DAP client failed (log above)"; }
  grep -F "id = \"$id\"" "$out/$name.log" >/dev/null || fail "$name: the client did not report id = \"$id\""
  [ "$code" = "$want" ] || fail "$name: GET /object/$id answered $code after the debugger continued, want $want"
  say "ok: $name: stopped in the handler with id = \"$id\", continued, curl got $code"
  sed 's/^/  /' "$out/$name.log"
}

id=$(cat /proc/sys/kernel/random/uuid)
[ "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$base/object/$id")" = 201 ] || fail "PUT /object/$id did not answer 201"
session first-session "$id" 200

# A save under the debugger: air rebuilds (debug flags) and starts a new Delve with the new binary.
started=$(start_time || true)
[ -n "$started" ] || fail "GET /metrics has no process_start_time_seconds"
t=$(now)
{ cat "$out/probe.go.orig"; echo "// debug-reload-$$-$RANDOM"; } >"$probe_file"
wait_for_restart 120
say "ok: hot reload under the debugger: edit served after $(since "$t") s"
cat "$out/probe.go.orig" >"$probe_file"
wait_for_restart 120

session after-reload "$(cat /proc/sys/kernel/random/uuid)" 404
