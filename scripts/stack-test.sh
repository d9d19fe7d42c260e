#!/usr/bin/env bash
# The stack test (`make stack-test`, a step of `make check`). Against a real Docker engine:
#   1. docker compose up --build -d --wait, then the README's curl flow (scripts/smoke.sh)
#   2. hot reload: save a comment line into the bind-mounted source RELOADS times (7), time each
#      save until a new API process serves (process_start_time_seconds in /metrics changes;
#      median, p90, load average), restore the file
#   3. a second `up`, and `restart dynamodb` + `up`, both end with the table present
#   4. down -v, then `up --wait` from the built images (timed), down -v again
#   5. the working tree is exactly as before (git status + a listing with owners and sizes)
#   6. the prod image: built, up, curl flow, runs as UID 65532 with the hardening; its size
# Docker is required when CI=true (fails loudly without an engine); elsewhere the test is skipped
# with a message. It runs the stack the Makefile chose (COMPOSE_FILE, COMPOSE_ENV_FILES), with
# docker-compose.prod.yml merged for step 6. Runs under its own compose project name, so it never
# touches a stack you already have up; host ports are the stack's API_PORT / DYNAMODB_PORT
# (default 8080 / 8000), e.g. API_PORT=18080 DYNAMODB_PORT=18000 make stack-test beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

name=stack-test; . scripts/lib.sh
need_docker

api_port=${API_PORT:-8080} ddb_port=${DYNAMODB_PORT:-8000}
say "$(stack); host ports: api $api_port, dynamodb $ddb_port"
project=${STACK_TEST_PROJECT:-objects-api-stack-test}
dc() { scripts/compose.sh -p "$project" "$@"; }
dc_prod() { COMPOSE_FILE=$(compose_with docker-compose.prod.yml) scripts/compose.sh -p "$project" "$@"; }
base=http://localhost:$api_port
# The file the hot reload test saves: part of the API binary, so air rebuilds and restarts it.
probe_file=src/cmd/api/main.go
passed=0
pass() { passed=$((passed + 1)); say "ok: $*"; }

[ -f "$probe_file" ] || fail "$probe_file is missing"
backup=$(mktemp); cp "$probe_file" "$backup"
before=$(mktemp); after=$(mktemp)
snapshot > "$before"

cleanup() {
  local rc=$?
  if ! cmp -s "$backup" "$probe_file"; then cat "$backup" > "$probe_file"; fi
  dc_prod down -v --remove-orphans >/dev/null 2>&1 || true
  rm -f "$backup" "$before" "$after"
  exit $rc
}
trap cleanup EXIT

# wait_for_body PATH WANT TIMEOUT_S: poll every 100 ms until GET PATH answers exactly WANT.
wait_for_body() {
  local deadline=$((SECONDS + $3)) got=""
  while [ $SECONDS -lt $deadline ]; do
    got=$(curl -s --max-time 1 "$base$1" || true)
    [ "$got" = "$2" ] && return 0
    sleep 0.02
  done
  fail "GET $1 still answers '$got' after $3 s; want '$2'"
}

# up_or_explain dc|dc_prod ARGS...: compose up; on failure compose.sh has named the service.
up_or_explain() {
  local fn=$1; shift
  "$fn" "$@" || fail "'docker compose $*' failed (above: which service, its log; or ports $ddb_port/$api_port are busy: README, troubleshooting)"
}

# 1. Up from source, then the curl flow.
t=$(now)
up_or_explain dc up --build -d --wait
up_build_s=$(since "$t")
pass "docker compose up --build -d --wait (${up_build_s} s, image build included)"
scripts/smoke.sh "$base"
pass "curl flow against the dev stack"

# 2. Hot reload through the bind mount and air: RELOADS saves of a one-line edit (default 7),
# each timed from the save until a new API process serves, i.e. air has rebuilt from the saved
# source and restarted (a build that fails leaves the old process serving); then the original is
# restored. wait_for_restart polls every 20 ms, so a figure is at most that much late.
reloads=${RELOADS:-7}
wait_for_body /healthz '{"status":"ok"}' 30
started=$(start_time || true)
[ -n "$started" ] || fail "GET /metrics has no process_start_time_seconds"
samples=()
for i in $(seq 1 "$reloads"); do
  marker="reload-$i-$$-$RANDOM"
  sleep 1 # a pause between saves, as between a person's edits (air's debounce does not merge them)
  t=$(now)
  { cat "$backup"; echo "// $marker"; } > "$probe_file"
  wait_for_restart 60
  samples+=("$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')")
done
sorted=($(printf '%s\n' "${samples[@]}" | sort -n))
reload_median=${sorted[$(( (reloads - 1) / 2 ))]}
# p90 by nearest rank: the ceil(0.9 n)-th smallest sample.
reload_p90=${sorted[$(( (9 * reloads + 9) / 10 - 1 ))]}
reload_load=$(cut -d' ' -f1-3 /proc/loadavg)
t=$(now)
cat "$backup" > "$probe_file"
pass "hot reload: $reloads edits of $probe_file served after ${samples[*]} s (median $reload_median, p90 $reload_p90; load $reload_load)"
wait_for_restart 60
wait_for_body /healthz '{"status":"ok"}' 60
pass "restored $probe_file, served again after $(since "$t") s"

# 3. The table job is safe to run again, and brings back a table the in-memory database lost.
up_or_explain dc up -d --wait
wait_for_body /readyz '{"status":"ready"}' 30
pass "second 'up': table present"
dc restart dynamodb >/dev/null
up_or_explain dc up -d --wait
wait_for_body /readyz '{"status":"ready"}' 60
scripts/smoke.sh "$base" >/dev/null
pass "'restart dynamodb' then 'up': table created again, curl flow passes"

# 4. Down, then up from the built images (what a person sees on the second morning).
dc down -v >/dev/null
t=$(now)
up_or_explain dc up -d --wait
up_built_s=$(since "$t")
wait_for_body /readyz '{"status":"ready"}' 30
pass "docker compose up -d --wait from built images (${up_built_s} s)"
dc down -v >/dev/null

# 5. Nothing left behind in the working tree (CI runs as root, so compare owners too).
snapshot > "$after"
diff -u "$before" "$after" >&2 || fail "the working tree changed (diff above)"
pass "working tree unchanged (git status and file listing)"

# 6. The prod image: scratch, static binary, non-root, read-only root filesystem.
t=$(now)
VERSION=stack-test up_or_explain dc_prod up --build -d --wait
pass "prod: up --build -d --wait ($(since "$t") s)"
scripts/smoke.sh "$base" >/dev/null
pass "prod: curl flow"
curl -s "$base/" | grep -qF "\"version\":\"stack-test\"" || fail "prod: GET / does not report the VERSION build argument stack-test: $(curl -s "$base/")"
pass "prod: GET / reports the version it was built with"
cid=$(dc_prod ps -q api)
uids=$(docker top "$cid" -eo pid,uid | awk 'NR > 1 { print $2 }' | sort -u | tr '\n' ' ')
[ "$uids" = "65532 " ] || fail "prod: api processes run as UID(s) '$uids', want 65532 only"
hardening=$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}} {{.HostConfig.SecurityOpt}} {{.Config.User}}' "$cid")
[ "$hardening" = "true [ALL] [no-new-privileges:true] 65532:65532" ] || fail "prod: hardening is '$hardening'"
[ "$(docker inspect -f '{{.State.Health.Status}}' "$cid")" = healthy ] || fail "prod: HEALTHCHECK (api healthcheck) not healthy"
pass "prod: runs as UID 65532, read-only rootfs, cap_drop ALL, no-new-privileges, healthy"
image=$(docker inspect -f '{{.Config.Image}}' "$cid")
size=$(docker image inspect -f '{{.Size}}' "$image")
prod_mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1000000 }')
pass "prod: image $image is $prod_mb MB ($size bytes)"
dc_prod down -v >/dev/null
snapshot > "$after"
diff -u "$before" "$after" >&2 || fail "the working tree changed after the prod run (diff above)"

cat <<EOF
stack-test: figures (this machine, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(stack))
stack-test:   up --build --wait, image build included  ${up_build_s} s
stack-test:   up --wait from built images              ${up_built_s} s
stack-test:   hot reload, save to served (${reloads} saves)  median ${reload_median} s, p90 ${reload_p90} s (load ${reload_load}, $(nproc) cores)
stack-test:   prod image size                          ${prod_mb} MB
stack-test: $passed passed, 0 failed
EOF
