# shellcheck shell=bash disable=SC2154 # $name is the sourcing script's
# Sourced by the Docker test scripts and data.sh after they cd to the repository root, with $name
# set to the script's name for its messages.

say() { echo "$name: $*"; }
fail() { echo "$name: FAIL: $*" >&2; exit 1; }
# skip REASON: the test cannot run here. CI=true makes that a failure, elsewhere it is skipped.
skip() {
  [ "${CI:-}" = true ] && fail "$1 (required when CI=true)"
  say "SKIPPED: $1"; exit 0
}
need_docker() {
  if ! docker info >/dev/null 2>&1 || ! docker compose version >/dev/null 2>&1; then
    skip "no Docker engine or no 'docker compose'"
  fi
}
# snapshot: the working tree as the test found it: git's view, and every file's type, mode, owner
# and size, ignored files included (a container writing into the bind mount shows up), but bin/
# (what go build makes) and the test's own output in tmp/$name.
snapshot() {
  mkdir -p bin "tmp/$name"
  git status --porcelain=v1 --untracked-files=all --ignored | grep -vE "^!! (bin|tmp/$name)/" || true
  find . -path ./.git -prune -o -path ./bin -prune -o -path "./tmp/$name" -prune -o \
    \( -type f -printf 'f %M %u:%g %s %p\n' \) -o \( ! -type f -printf '%y %M %u:%g %p\n' \) | sort
}
now() { echo "$EPOCHREALTIME"; }
# since T: seconds from T (a $(now)) until now, one decimal.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# compose_with FILE: the compose files the Makefile chose (COMPOSE_FILE; docker-compose.yml by
# default) with FILE merged last: the variant a test is about.
compose_with() { echo "${COMPOSE_FILE:-docker-compose.yml}${COMPOSE_PATH_SEPARATOR:-:}$1"; }
# stack: which stack runs, for a test's first line.
stack() { echo "compose files ${COMPOSE_FILE:-docker-compose.yml}${COMPOSE_ENV_FILES:+, env files $COMPOSE_ENV_FILES}" | sed "s#$PWD/##g"; }

# start_time: when the API process answering on $base started (process_start_time_seconds in
# /metrics), or nothing while none answers.
start_time() { curl -s --max-time 1 "$base/metrics" | awk '$1 == "process_start_time_seconds" { print $2 }'; }
# wait_for_restart TIMEOUT_S: poll every 20 ms until an API process that started at another time
# than $started serves (air rebuilt and restarted it); $started is then its start time.
wait_for_restart() {
  local deadline=$((SECONDS + $1)) got=""
  while [ $SECONDS -lt $deadline ]; do
    got=$(start_time || true)
    if [ -n "$got" ] && [ "$got" != "$started" ]; then started=$got; return 0; fi
    sleep 0.02
  done
  fail "no new API process served within $1 s (the one answering started at '${got:-none}')"
}

# data_env DYNAMODB_PORT: exports the API's table settings from the compose config (dc) for
# objects-data against the stack's DynamoDB Local, and builds bin/objects-data.
data_env() {
  local cfg k v
  cfg=$(dc config --format json)
  export DDB_ENDPOINT_URL=http://127.0.0.1:$1
  for k in DDB_TABLE_NAME DDB_HASH_KEY_NAME AWS_REGION AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY; do
    v=$(jq -r --arg k "$k" '.services.api.environment[$k]' <<<"$cfg")
    export "$k=$v"
  done
  CGO_ENABLED=0 go build -o bin/objects-data ./src/cmd/objects-data
}
