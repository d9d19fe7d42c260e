#!/usr/bin/env bash
# The table browser test (`make browser-test`, a step of `make check`), with real clients only:
#   1. the stack with the `tools` profile (docker compose --profile tools up --build -d --wait)
#   2. objects seeded into its DynamoDB Local by objects-data (make seed's command)
#   3. dynamodb-admin's page for the table, opened in headless Chromium: every seeded id is in
#      the page its scripts rendered; the screenshot is kept in tmp/browser-test/
#   4. down -v; the working tree is as before
# Docker and Chromium are required when CI=true (it fails loudly without them); elsewhere the test
# is skipped with a message. The stack is the one the Makefile chose (COMPOSE_FILE). Host
# ports are the stack's API_PORT / DYNAMODB_PORT / DYNAMODB_ADMIN_PORT (default 8080/8000/8001);
# BROWSER_TEST_PROJECT names the compose project (default objects-api-browser-test).
set -euo pipefail
cd "$(dirname "$0")/.."

name=browser-test; . scripts/lib.sh
need_docker
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || skip "no Chromium (Debian: apt-get install chromium; or set CHROMIUM)"

ddb_port=${DYNAMODB_PORT:-8000} admin_port=${DYNAMODB_ADMIN_PORT:-8001}
project=${BROWSER_TEST_PROJECT:-objects-api-browser-test}
out=tmp/browser-test
dc() { COMPOSE_PROFILES=tools scripts/compose.sh -p "$project" "$@"; }
rm -rf "$out" && mkdir -p "$out"
snapshot > "$out/tree-before.txt"
profile=$(mktemp -d)
cleanup() {
  local rc=$?
  dc down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$profile"
  exit $rc
}
trap cleanup EXIT

# 1. The stack and the table browser.
t=$SECONDS
dc up --build -d --wait || fail "'docker compose --profile tools up' failed (above: which service; or ports $ddb_port/$admin_port are busy)"
say "ok: stack with the tools profile up in $((SECONDS - t)) s"

# 2. Seed through the same SDK client and settings as the API (read from the compose config).
data_env "$ddb_port"
# 20: every one fits on dynamodb-admin's first page (25 items).
bin/objects-data seed -n 20
bin/objects-data export "$out/seeded.json" >/dev/null
mapfile -t ids < <(jq -r '.objects[].uuid' "$out/seeded.json")
[ "${#ids[@]}" = 20 ] || fail "the table holds ${#ids[@]} objects after seeding 20"

# 3. The table page in a real browser; its scripts fetch the items, so read the rendered DOM.
page=http://127.0.0.1:$admin_port/tables/$DDB_TABLE_NAME
t=$SECONDS
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --window-size=1280,900 --virtual-time-budget=15000 --run-all-compositor-stages-before-draw \
  --screenshot="$out/dynamodb-admin.png" --dump-dom "$page" > "$out/page.html" 2> "$out/chromium.log" \
  || { tail -5 "$out/chromium.log" >&2; fail "chromium could not load $page"; }
missing=0
for id in "${ids[@]}"; do grep -qF "$id" "$out/page.html" || missing=$((missing + 1)); done
[ "$missing" = 0 ] || fail "$missing of 20 seeded ids are not on $page (rendered DOM: $out/page.html)"
[ "$(head -c 8 "$out/dynamodb-admin.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
  || fail "no PNG screenshot at $out/dynamodb-admin.png"
say "ok: $page shows all 20 seeded ids in headless Chromium ($((SECONDS - t)) s); screenshot $out/dynamodb-admin.png"

# 4. Down, and nothing changed in the working tree (bin/ and tmp/ are ignored build output).
dc down -v --remove-orphans >/dev/null
snapshot > "$out/tree-after.txt"
diff -u "$out/tree-before.txt" "$out/tree-after.txt" >&2 || fail "the working tree changed (diff above)"
say "ok: down -v; working tree unchanged"
say "passed (load $(cut -d' ' -f1-3 /proc/loadavg); $(stack))"
