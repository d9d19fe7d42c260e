#!/usr/bin/env bash
# CI provisioning for this project's build machines: Debian 12, root, no Docker engine, no
# container registry (only the Go module proxy, npm and Debian's mirrors are reachable).
#
# Nothing here changes what users run. It installs what the machine lacks:
#   1. Debian packages: docker.io (dockerd 20.10, containerd, runc), debootstrap, jq, and
#      chromium (the docs page and table browser tests drive a real headless browser), shellcheck
#      (actionlint checks the workflow's run: steps with it)
#   2. dockerd, started unless an engine already answers
#   3. the Compose v2 and buildx CLI plugins, built from the Go module proxy (no GitHub downloads
#      here); pinned below, binaries cached per version
#   4. the offline mode's stand-in images (offline/build-images.sh; CI runs the offline mode)
# Idempotent; slow results are cached on the machine ($CI_CACHE, the Go caches, the engine's image
# store and build cache), so a second run takes seconds. Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

COMPOSE_VERSION=v2.40.3
BUILDX_VERSION=v0.38.2
export CI_CACHE="${CI_CACHE:-/var/cache/objects-api-ci}"
PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
mkdir -p "$CI_CACHE" "$PLUGIN_DIR"

step() { local t0=$SECONDS; echo "::: provision: $1"; "${@:2}"; echo "::: provision: $1 took $((SECONDS - t0))s"; }

apt_packages() {
  local missing=() p
  for p in docker.io debootstrap jq chromium shellcheck; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "already installed: docker.io debootstrap jq chromium shellcheck"; return; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
}

engine() {
  if docker info >/dev/null 2>&1; then echo "dockerd already running"; return; fi
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  local _
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then echo "dockerd up (pid $!)"; return; fi
    sleep 1
  done
  tail -20 /var/log/dockerd.log >&2
  echo "provision: dockerd did not start; see /var/log/dockerd.log" >&2
  return 1
}

# `go install module/cmd@version` refuses both modules (their go.mod has replace/exclude
# directives), so each is built as the main module from a copy of its module-cache directory.
# The version ldflag matters: compose refuses a buildx that reports less than 0.17.
plugin() { # name module version package version-variable
  local name=$1 mod=$2 ver=$3 pkg=$4 var=$5
  local cached="$CI_CACHE/plugins/$name-$ver"
  if [ ! -x "$cached" ]; then
    local dir src
    dir=$(go mod download -json "$mod@$ver" | jq -r .Dir)
    src=$(mktemp -d)
    cp -r "$dir/." "$src" && chmod -R u+w "$src"
    mkdir -p "$CI_CACHE/plugins"
    (cd "$src" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X $var=$ver" -o "$cached.tmp" "$pkg")
    mv "$cached.tmp" "$cached"
    rm -rf "$src"
  fi
  install -m 0755 "$cached" "$PLUGIN_DIR/$name"
  echo "$name $("$PLUGIN_DIR/$name" docker-cli-plugin-metadata | jq -r .Version)"
}
plugins() {
  plugin docker-buildx github.com/docker/buildx "$BUILDX_VERSION" ./cmd/buildx github.com/docker/buildx/version.Version
  plugin docker-compose github.com/docker/compose/v2 "$COMPOSE_VERSION" ./cmd github.com/docker/compose/v2/internal.Version
}

T0=$SECONDS
step "apt packages" apt_packages
step "docker engine" engine
step "compose $COMPOSE_VERSION + buildx $BUILDX_VERSION plugins" plugins
# CI keeps all its caches in one directory, the rootfs tarball among them.
step "offline stand-in images" env STANDIN_CACHE="$CI_CACHE" offline/build-images.sh
echo "::: provision: total $((SECONDS - T0))s"
