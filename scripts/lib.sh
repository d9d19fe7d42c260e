# shellcheck shell=bash disable=SC2154 # $name is the sourcing script's
# Sourced by the Docker test scripts (browser-test, persistence-test, debug-test) after they cd to
# the repository root, with $name set to the script's name for its messages.

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
# snapshot: the working tree as the test found it, bin/ and tmp/ (ignored build output) aside:
# git's view, and every file's type, mode, owner and size.
snapshot() {
  git status --porcelain=v1 --untracked-files=all --ignored | grep -vE '^!! (bin|tmp)/' || true
  find . -path ./.git -prune -o -path ./tmp -prune -o -path ./bin -prune -o \
    \( -type f -printf 'f %M %u:%g %s %p\n' \) -o \( ! -type f -printf '%y %M %u:%g %p\n' \) | sort
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
  go build -o bin/objects-data ./src/cmd/objects-data
}
