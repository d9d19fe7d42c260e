#!/usr/bin/env bash
# The persistence test (`make persistence-test`, a step of `make check`). With PERSIST=1
# (docker-compose.persist.yml: DynamoDB Local with -dbPath in the named volume dynamodb-data):
#   1. up --build --wait; seed objects (objects-data); export them
#   2. restart dynamodb, up --wait: the same objects (ids and ts); the table job ran again and succeeded
#   3. down WITHOUT -v, up --wait: the same objects; the table job succeeded and found the table
#   4. without PERSIST the stack is in memory as before: a fresh up starts with an empty table
#   5. PERSIST=1 down -v removes the data volume; the working tree is as before
# Docker is required when CI=true; elsewhere the test is skipped without it. It runs the stack the
# Makefile chose (COMPOSE_FILE), persistence file merged last. Host ports: API_PORT / DYNAMODB_PORT (default 8080/8000);
# PERSISTENCE_TEST_PROJECT names the compose project (default objects-api-persistence-test).
set -euo pipefail
cd "$(dirname "$0")/.."

name=persistence-test; . scripts/lib.sh
need_docker

ddb_port=${DYNAMODB_PORT:-8000}
project=${PERSISTENCE_TEST_PROJECT:-objects-api-persistence-test}
out=tmp/persistence-test
dc() { scripts/compose.sh -p "$project" "$@"; }
dcp() { COMPOSE_FILE=$(compose_with docker-compose.persist.yml) scripts/compose.sh -p "$project" "$@"; }
rm -rf "$out" && mkdir -p "$out"
snapshot > "$out/tree-before.txt"
trap 'rc=$?; dcp down -v --remove-orphans >/dev/null 2>&1 || true; exit $rc' EXIT

data_env "$ddb_port"
# objects FILE: the table's objects, one "uuid ts" line each, sorted (scan order may differ).
objects() { bin/objects-data export "$out/$1.json" >/dev/null; jq -r '.objects[] | "\(.uuid) \(.ts)"' "$out/$1.json" | sort > "$out/$1.txt"; wc -l < "$out/$1.txt"; }
# table_job_ok: the one-shot job's last run exited 0 (compose keeps the exited container).
table_job_ok() {
  local code
  code=$(docker inspect -f '{{.State.ExitCode}}' "$(dc ps -aq terraform)")
  [ "$code" = 0 ] || fail "$1: the table job exited $code; its log: $(dc logs --no-log-prefix --tail 10 terraform)"
}
up() { "$@" up --build -d --wait || fail "'docker compose up' failed (above)"; }

# 1. Up with persistence, seed.
t=$SECONDS
up dcp
say "ok: PERSIST=1 up --build --wait in $((SECONDS - t)) s"
bin/objects-data seed -n 50 >/dev/null
[ "$(objects seeded)" = 50 ] || fail "the table does not hold the 50 seeded objects"

# 2. Restart DynamoDB Local alone, then up (which runs the table job again).
dcp restart dynamodb >/dev/null
up dcp
table_job_ok "after restart dynamodb"
[ "$(objects after-restart)" = 50 ] && cmp -s "$out/seeded.txt" "$out/after-restart.txt" \
  || fail "after 'restart dynamodb' the table does not hold the seeded objects (diff $out/seeded.txt $out/after-restart.txt)"
say "ok: restart dynamodb: the 50 objects are still there, same ids and ts; the table job succeeded"

# 3. Down without -v, up.
dcp down >/dev/null
docker volume inspect "${project}_dynamodb-data" >/dev/null || fail "down without -v removed the volume ${project}_dynamodb-data"
up dcp
table_job_ok "after down and up"
[ "$(objects after-down)" = 50 ] && cmp -s "$out/seeded.txt" "$out/after-down.txt" \
  || fail "after 'down' and 'up' the table does not hold the seeded objects (diff $out/seeded.txt $out/after-down.txt)"
say "ok: down (no -v), up: the 50 objects are still there; the table job succeeded: $(dc logs --no-log-prefix terraform 2>&1 | grep -E 'create-table: .* ACTIVE|No changes|Resources: 0 added' | tail -1)"

# 4. The default stays in memory.
dcp down >/dev/null
up dc
[ "$(objects default)" = 0 ] || fail "without PERSIST the stack started with $(wc -l < "$out/default.txt") objects, not an empty in-memory table"
say "ok: without PERSIST the stack is in memory: empty table"

# 5. Down -v removes the data; nothing changed in the working tree.
dcp down -v --remove-orphans >/dev/null
! docker volume inspect "${project}_dynamodb-data" >/dev/null 2>&1 || fail "PERSIST=1 down -v left the volume ${project}_dynamodb-data"
snapshot > "$out/tree-after.txt"
diff -u "$out/tree-before.txt" "$out/tree-after.txt" >&2 || fail "the working tree changed (diff above)"
say "ok: PERSIST=1 down -v removed the data volume; working tree unchanged"
say "passed (load $(cut -d' ' -f1-3 /proc/loadavg); $(stack))"
