#!/usr/bin/env bash
# The devcontainer end to end, started as VS Code's "Reopen in Container" starts it: the Dev
# Containers CLI (pinned in tools/devcontainer) runs `devcontainer up` on
# .devcontainer/devcontainer.json, through `make devcontainer-up`'s script (which waits for the
# API); then, inside the workspace container, every command as the
# user VS Code's terminal runs as (`devcontainer exec`, no user given):
#   1. that user: the checkout's owner on the host (root when the checkout is root's, else
#      `vscode` with the host user's UID); a file it makes in /workspace is saved to the checkout
#      with that owner, `git status` sees it and `git commit --dry-run` would commit it (on a copy
#      of the index and a scratch object store, so .git is not changed); the file is then deleted;
#      `make devcontainer-shell` opens a shell as that user in /workspace;
#   2. `go test -short ./...` (the fast loop) against the stack's DynamoDB Local (DDB_TEST_ENDPOINT from the override);
#   3. the API through the compose network: $API_URL/readyz from the workspace (the curl flow
#      itself is stack-test's);
#   4. hot reload: src/cmd/api/main.go is saved with one more comment line from inside the
#      workspace, and the seconds until a new API process serves are printed (scripts/lib.sh's
#      probe, on the stack's published API_PORT); the api container must be the same one (no
#      image rebuild, no restart), and the file is restored.
# Finally the stack is torn down (containers, network, volumes; only the workspace's Go caches are
# kept, so that a second run on the same machine is quick) and the working tree must be as it was
# (git status and a listing of every file with owner, mode and size).
#
# Runs under its own compose project name (the CLI reads COMPOSE_PROJECT_NAME), so it never touches
# a stack you already have up; host ports are the stack's, as for stack-test.
# Needs a Docker engine with the compose plugin: required when CI=true (fails loudly), skipped
# with a message otherwise. The compose files the Makefile chose (COMPOSE_FILE) are merged through a
# generated --override-config (scripts/devcontainer-config.sh); no product file changes. The workspace user
# comes from DEVCONTAINER_USER as for `make devcontainer-up` (mk/dev.mk sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
probe=src/cmd/api/main.go # saved by the hot reload step: part of the API binary
made=devcontainer-test-$$.txt # made, looked at with git, and deleted by the workspace user

name=devcontainer-test; . scripts/lib.sh
need_docker
[ -f "$probe" ] || fail "$probe is missing"

[ ! -e "$made" ] || fail "$made exists already"

tmp=$(mktemp -d)
snapshot > "$tmp/tree.before"
cp -p "$probe" "$tmp/probe.go"

. scripts/devcontainer-config.sh
export COMPOSE_PROJECT_NAME=${DEVCONTAINER_TEST_PROJECT:-objects-api-devcontainer-test}
project=""
# project_of_checkout: the compose project of this checkout's devcontainer (the CLI's id label).
project_of_checkout() {
  docker ps -a --filter "label=devcontainer.local_folder=$root" --format '{{.Label "com.docker.compose.project"}}' | head -1
}

cleanup() {
  local rc=$?
  set +e
  cmp -s "$tmp/probe.go" "$probe" || cat "$tmp/probe.go" >"$probe"
  rm -f "$made"
  [ -n "$project" ] || project=$(project_of_checkout) # up failed before it was known
  if [ -n "$project" ]; then
    say "tearing down compose project $project (keeping only the workspace's Go cache volumes)"
    docker compose -p "$project" "${compose[@]}" down --remove-orphans --timeout 5 >"$tmp/down.log" 2>&1 \
      || { cat "$tmp/down.log" >&2; rc=1; }
    # (grep finds nothing when the offline table job replaced terraform and its volume: not a failure)
    docker volume ls -q --filter "label=com.docker.compose.project=$project" \
      | { grep -Ev '_workspace-go(mod|cache)$' || true; } | xargs -r docker volume rm >/dev/null || rc=1
  fi
  snapshot >"$tmp/tree.after"
  if ! diff -u "$tmp/tree.before" "$tmp/tree.after" >&2; then
    echo "devcontainer-test: FAIL: the working tree changed (diff above)" >&2
    rc=1
  fi
  rm -rf "$tmp"
  [ "$rc" = 0 ] && say "PASS" || say "FAILED (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT

docker volume ls -q >"$tmp/volumes.before"
t0=$SECONDS
say "make devcontainer-up (compose files: $(jq -c .dockerComposeFile "$tmp/devcontainer.json"))"
scripts/devcontainer.sh up >"$tmp/up.out" 2>"$tmp/up.log" || { tail -60 "$tmp/up.log" >&2; cat "$tmp/up.out"; fail "make devcontainer-up"; }
project=$(project_of_checkout)
say "up in $((SECONDS - t0))s: project $project; it said: $(cat "$tmp/up.out")"

inside() { "$cli" exec "${dc[@]}" "$@"; }

say 'the API from the workspace, through the compose network ($API_URL/readyz inside)'
inside bash -c '[ "$(curl -s -o /dev/null -w "%{http_code}" "$API_URL/readyz")" = 200 ] || { curl -sS "$API_URL/readyz"; exit 1; }' \
  || { docker compose -p "$project" "${compose[@]}" logs --tail 40 api terraform >&2; fail "the workspace does not reach the API"; }

failed=() # steps that failed after the stack came up: the later steps still run, for the log
step_failed() { echo "devcontainer-test: FAIL: $1" >&2; failed+=("$1"); }

# The workspace user is the checkout's owner: the host user's UID given to `vscode` by the CLI
# (Linux), or root when the checkout belongs to root, since no other user could write it.
owner=$(stat -c %u .)
if [ "$owner" = 0 ]; then want_user=root; else want_user=vscode; fi
say "the workspace user (the checkout belongs to UID $owner: want $want_user with that UID)"
user_line=$(inside bash -c 'echo "$(id -u) $(id -un) $HOME $(go env GOMODCACHE) $(go env GOCACHE)"
  for d in "$(go env GOMODCACHE)" "$(go env GOCACHE)"; do [ -w "$d" ] || echo "not writable: $d"; done') \
  || step_failed "workspace user: $user_line"
say "inside: uid user home GOMODCACHE GOCACHE = $user_line"
read -r in_uid in_user in_home _ <<<"$user_line"
if [ "$in_uid" != "$owner" ] || [ "$in_user" != "$want_user" ]; then
  step_failed "the workspace runs as $in_user (UID $in_uid); the checkout belongs to UID $owner, so want $want_user (DEVCONTAINER_USER=${DEVCONTAINER_USER:-unset}; make sets it)"
elif grep -q 'not writable' <<<"$user_line"; then
  step_failed "Go caches not writable by the workspace user: $user_line"
else
  say "ok: the workspace runs as $in_user, UID $in_uid, the checkout's owner; Go caches under $in_home writable"
fi

say "a file made in /workspace by that user, and git on it"
# git commit --dry-run runs on a copy of the index and writes objects to a scratch directory
# (the repository's own objects as an alternate), so that nothing in .git changes.
if inside bash -c 'set -e
    f=$1
    echo "made by $(id -un) in the workspace" >"$f"
    [ "$(git status --porcelain --untracked-files=all -- "$f")" = "?? $f" ] || { git status --porcelain -- "$f"; echo "git status does not list $f as untracked"; exit 1; }
    for d in "$(git rev-parse --git-dir)" "$(git rev-parse --git-path objects)"; do
      [ -w "$d" ] || { echo "$d is not writable by $(id -un)"; exit 1; }
    done
    GIT_ALTERNATE_OBJECT_DIRECTORIES=$(cd "$(git rev-parse --git-path objects)" && pwd)
    index=$(git rev-parse --git-path index) # before GIT_INDEX_FILE, which would name itself
    GIT_INDEX_FILE=$(mktemp) GIT_OBJECT_DIRECTORY=$(mktemp -d)
    export GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_INDEX_FILE GIT_OBJECT_DIRECTORY
    cp "$index" "$GIT_INDEX_FILE"
    git add -- "$f"
    git commit --dry-run --short -m "devcontainer-test" | grep -qx "A  $f" || { echo "git commit --dry-run would not commit $f"; exit 1; }
    rm -rf "$GIT_INDEX_FILE" "$GIT_OBJECT_DIRECTORY"
    echo "git status lists $f as untracked; git commit --dry-run would add it"' _ "$made" >"$tmp/git.out" 2>&1; then
  cat "$tmp/git.out"
  on_host=$(stat -c %u "$made" 2>/dev/null || echo none)
  if [ "$on_host" != "$owner" ]; then
    step_failed "$made, made inside, is owned by UID $on_host on the host; want $owner"
  elif ! grep -qx "made by $want_user in the workspace" "$made"; then
    step_failed "$made on the host does not hold what was written inside: $(head -c 200 "$made")"
  else
    say "ok: the file is saved to the checkout, owned by UID $on_host on the host"
  fi
  inside rm "$made" && [ ! -e "$made" ] || step_failed "the workspace user could not delete $made"
else
  cat "$tmp/git.out" >&2
  step_failed "making a file in /workspace or git on it, as $in_user"
fi

say "make devcontainer-shell: a shell as that user in /workspace"
shell_out=$(printf 'echo "$(id -un) $PWD"\n' | scripts/devcontainer.sh shell 2>"$tmp/shell.err") || true
if [ "$shell_out" = "$want_user /workspace" ]; then
  say "ok: $shell_out"
else
  cat "$tmp/shell.err" >&2
  step_failed "scripts/devcontainer.sh shell printed \"$shell_out\", want \"$want_user /workspace\""
fi

say "go test -short ./... inside the workspace (DDB_TEST_ENDPOINT=http://dynamodb:8000; $(grep -qx "${project}_workspace-gomod" "$tmp/volumes.before" && echo "cache volumes from an earlier run" || echo "new cache volumes, filled from the image"))"
t_go=$SECONDS
if inside bash -c '[ "$DDB_TEST_ENDPOINT" = http://dynamodb:8000 ] || { echo "DDB_TEST_ENDPOINT=$DDB_TEST_ENDPOINT"; exit 1; }
    go test -short -count=1 ./...' >"$tmp/go-test.out" 2>&1; then
  grep -E '^(ok|\?) ' "$tmp/go-test.out"
else
  tail -60 "$tmp/go-test.out" >&2; step_failed "go test inside the workspace"
fi
say "go test -short ./... inside took $((SECONDS - t_go)) s (load: $(cut -d' ' -f1-3 /proc/loadavg))"

say "hot reload: edit $probe inside the workspace"
api_before=$(docker compose -p "$project" "${compose[@]}" ps -q api)
started_before=$(docker inspect -f '{{.State.StartedAt}} {{.Image}}' "$api_before")
base=http://127.0.0.1:${API_PORT:-8080}
started=$(start_time || true)
[ -n "$started" ] || fail "GET $base/metrics has no process_start_time_seconds"
# save MARKER: rewrite the probe in place from inside (same inode and owner, as an editor saves),
# with the comment line MARKER, or as it was for ""; prints when it was saved (the same clock as now).
inside cp "$probe" /tmp/probe.go.orig
save() { inside bash -c 'cat /tmp/probe.go.orig >"$1"; [ -z "$2" ] || echo "// $2" >>"$1"; echo "$EPOCHREALTIME"' _ "$probe" "$1" | tail -1; }
times=()
for round in 1 2 3; do
  t0=$(save "reloaded-$round-$RANDOM"); wait_for_restart 60
  times+=("$(since "$t0")"); say "hot reload, round $round: a new API process served ${times[-1]} s after the save"
done
say "hot reload: median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p) s over 3 saves"
save "" >/dev/null; wait_for_restart 60
api_after=$(docker compose -p "$project" "${compose[@]}" ps -q api)
if [ "$api_before" != "$api_after" ]; then
  step_failed "the api container was replaced ($api_before -> $api_after)"
elif [ "$(docker inspect -f '{{.State.StartedAt}} {{.Image}}' "$api_after")" != "$started_before" ]; then
  step_failed "the api container restarted or changed image during the reload"
else
  say "the api container kept its image and was not restarted (air reloaded the binary inside it)"
fi
cmp -s "$tmp/probe.go" "$probe" || step_failed "$probe was not restored"
[ ${#failed[@]} = 0 ] || fail "$(printf '%s; ' "${failed[@]}")"
