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
    "$cli" up "${dc[@]}" && exit 0
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
    "$cli" exec "${dc[@]}" bash ;;
  down)
    # Containers, network and volumes; the workspace's Go caches only with VOLUMES=1 (kept, the
    # next workspace starts warm).
    if [ "${VOLUMES:-}" = 1 ]; then
      docker compose "${compose[@]}" down --volumes --remove-orphans
    else
      docker compose "${compose[@]}" down --remove-orphans
      project=$(docker compose "${compose[@]}" config --format json | jq -r .name)
      docker volume ls -q --filter "label=com.docker.compose.project=$project" \
        | { grep -Ev '_workspace-go(mod|cache)$' || true; } | xargs -r docker volume rm
    fi ;;
  *) echo "usage: $0 up|shell|down" >&2; exit 2 ;;
esac
