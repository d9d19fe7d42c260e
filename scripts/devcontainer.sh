#!/usr/bin/env bash
# `make devcontainer-up` / `-shell` / `-down`: the devcontainer from a terminal, as VS Code's
# "Reopen in Container" starts it, with the compose files the Makefile chose (scripts/devcontainer-config.sh).
#   scripts/devcontainer.sh up|shell|down
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. scripts/devcontainer-config.sh
case "${1:-}" in
  up)
    if "$cli" up "${dc[@]}" >"$tmp/up.json"; then
      # The CLI returns once the workspace runs; the API may still be starting (as after `make up`, wait).
      api=http://127.0.0.1:${API_PORT:-8080}
      for _ in $(seq 1 120); do
        if curl -fs -o /dev/null "$api/readyz"; then
          echo "devcontainer.sh: the workspace runs and the API is up: curl $api/objects; a shell there: make devcontainer-shell"
          exit 0
        fi
        sleep 1
      done
      echo "devcontainer.sh: the workspace runs, but $api/readyz has not answered 200 within 120 s: docker compose logs api" >&2
      exit 1
    fi
    {
      echo "devcontainer.sh: devcontainer up failed; the stack's state:"
      docker compose "${compose[@]}" ps -a
      echo "devcontainer.sh: a service's log: docker compose logs SERVICE (e.g. terraform, api)."
      [ -n "${COMPOSE_ENV_FILES:-}" ] || echo "devcontainer.sh: no container registry here? See offline/README.md."
    } >&2
    exit 1 ;;
  shell)
    # What VS Code's terminal gets: bash in /workspace as the remote user, with the environment
    # the CLI probes from that user's login shell. When stdin is not a terminal, bash reads its
    # commands from it; the exit status is the shell's.
    [ -n "$(docker ps -q --filter "label=devcontainer.local_folder=$root")" ] \
      || { echo "devcontainer.sh: no devcontainer of this checkout is running: make devcontainer-up first" >&2; exit 1; }
    "$cli" exec "${dc[@]}" bash ;;
  down)
    # Containers (the table browser's too), network and volumes; the workspace's Go caches only
    # with VOLUMES=1 (kept, the next workspace starts warm).
    if [ "${VOLUMES:-}" = 1 ]; then
      docker compose "${compose[@]}" --profile '*' down --volumes --remove-orphans
    else
      docker compose "${compose[@]}" --profile '*' down --remove-orphans
      project=$(docker compose "${compose[@]}" config --format json | jq -r .name)
      docker volume ls -q --filter "label=com.docker.compose.project=$project" \
        | { grep -Ev '_workspace-go(mod|cache)$' || true; } | xargs -r docker volume rm
    fi ;;
  *) echo "usage: $0 up|shell|down" >&2; exit 2 ;;
esac
