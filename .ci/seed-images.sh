#!/usr/bin/env bash
# Seeds local STAND-INS for the images that Dockerfile, Dockerfile.dev and docker-compose.yml
# name, for a machine that cannot pull from any registry (this project's CI; an air-gapped Linux
# box via `make up-offline`). Called by .ci/provision.sh.
#
#   golang:<v>-bookworm          Debian rootfs + the host's Go toolchain + the host's CA bundle
#   amazon/dynamodb-local:<v>    dynalite (npm, pinned by tools/dynalite) on the host's Node 20
#   hashicorp/terraform:<v>      a terraform binary at /bin/terraform (Dockerfile.dev copies it)
#   objects-api-ci/debian:bookworm  the rootfs they start from; also runs the CI table job
#
# Each stand-in carries the label org.acme.objects-api.stand-in=true. A real image already present
# under the same name is never replaced, and nothing here changes a file users run.
# Needs: root, debootstrap, Go at the version the Dockerfile pins, Node >= 20, npm, Docker.
# Idempotent: a stand-in is rebuilt only when its inputs change (hash in a label).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

CI_CACHE="${CI_CACHE:-/var/cache/objects-api-ci}"
TOOLS_CACHE="${TOOLS_CACHE:-$HOME/.cache/objects-api}"
LABEL=org.acme.objects-api.stand-in
ROOTFS_IMAGE=objects-api-ci/debian:bookworm
# ca-certificates+curl: healthchecks and the table job; git: Go tooling parity with the real
# golang image; jq: the table job; libstdc++6: the host's Node binary.
ROOTFS_PACKAGES=ca-certificates,curl,git,jq,libstdc++6
mkdir -p "$CI_CACHE" "$TOOLS_CACHE/bin"

step() { local t0=$SECONDS; echo "::: seed: $1"; "${@:2}"; echo "::: seed: $1 took $((SECONDS - t0))s"; }
die() { echo "seed-images: $*" >&2; exit 1; }

# The names come from the product files themselves, so a bumped tag is seeded under the new name.
GOLANG_IMAGE=$(sed -n 's/^FROM \(golang:[^ ]*\) AS base$/\1/p' Dockerfile)
DDB_IMAGE=$(sed -n 's/^ *image: *\(amazon\/dynamodb-local:[^ ]*\) *$/\1/p' docker-compose.yml)
TF_IMAGE=$(sed -n 's/^ *image: *\(hashicorp\/terraform:[^ ]*\) *$/\1/p' docker-compose.yml)
TF_DEV_IMAGE=$(sed -n 's/^FROM \(hashicorp\/terraform:[^ ]*\) AS terraform$/\1/p' Dockerfile.dev)
[ -n "$GOLANG_IMAGE" ] && [ -n "$DDB_IMAGE" ] && [ -n "$TF_IMAGE" ] || die "could not read image names"
[ "$TF_IMAGE" = "$TF_DEV_IMAGE" ] || die "docker-compose.yml ($TF_IMAGE) and Dockerfile.dev ($TF_DEV_IMAGE) pin different terraform images"

sha() { sha256sum | cut -c1-16; }

# needs_build NAME KEY: false (and says why) when NAME is a real image or an up-to-date stand-in.
needs_build() {
  local name=$1 key=$2 have
  if have=$(docker image inspect -f "{{index .Config.Labels \"$LABEL.key\"}}" "$name" 2>/dev/null); then
    if [ -z "$have" ]; then echo "$name: a real image is present; using it"; return 1; fi
    if [ "$have" = "$key" ]; then echo "$name: stand-in up to date"; return 1; fi
  fi
  return 0
}

# build_stand_in NAME KEY CONTEXT_DIR: docker build, labelled as a stand-in with its input hash.
build_stand_in() {
  local name=$1 key=$2 ctx=$3
  docker build -q --build-arg "ROOTFS_IMAGE=$ROOTFS_IMAGE" \
    --label "$LABEL=true" --label "$LABEL.key=$key" -t "$name" "$ctx" >/dev/null
  echo "$name: stand-in built"
}

# A Debian bookworm rootfs from the machine's own apt mirror, cached as a tarball.
seed_rootfs() {
  local key tar
  key=$(echo "$ROOTFS_PACKAGES" | sha)
  tar="$CI_CACHE/rootfs-bookworm-$key.tar"
  if [ ! -s "$tar" ]; then
    command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
    local mirror dir
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    dir=$(mktemp -d)
    debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" bookworm "$dir" \
      "${mirror:-http://deb.debian.org/debian}" >"$CI_CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CI_CACHE/debootstrap.log" >&2; die "debootstrap failed"; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    tar -C "$dir" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$dir"
  fi
  local have
  have=$(docker image inspect -f "{{index .Config.Labels \"$LABEL.key\"}}" "$ROOTFS_IMAGE" 2>/dev/null || true)
  if [ "$have" != "$key" ]; then
    docker import -c "LABEL $LABEL=true" -c "LABEL $LABEL.key=$key" -c 'CMD ["/bin/bash"]' \
      "$tar" "$ROOTFS_IMAGE" >/dev/null
    echo "$ROOTFS_IMAGE: imported"
  else
    echo "$ROOTFS_IMAGE: up to date"
  fi
}

seed_golang() {
  local want have ctx key
  want=${GOLANG_IMAGE#golang:}; want=${want%%-*}
  have=$(go env GOVERSION); have=${have#go}
  [ "$want" = "$have" ] || die "$GOLANG_IMAGE needs Go $want on the host to copy; found $have"
  key=$( (cat .ci/images/golang/Dockerfile /etc/ssl/certs/ca-certificates.crt; echo "$have";
          docker image inspect -f '{{.Id}}' "$ROOTFS_IMAGE") | sha)
  needs_build "$GOLANG_IMAGE" "$key" || return 0
  ctx=$(mktemp -d)
  cp -a "$(go env GOROOT)" "$ctx/go"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
  sed "s/__GO_VERSION__/$have/" .ci/images/golang/Dockerfile > "$ctx/Dockerfile"
  build_stand_in "$GOLANG_IMAGE" "$key" "$ctx"
  rm -rf "$ctx"
}

seed_dynamodb_local() {
  local node ctx key mods lock_sha
  node=$(command -v node) || die "node is missing (dynalite needs Node >= 20)"
  "$node" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
    || die "node >= 20 needed, found $("$node" --version)"
  lock_sha=$(sha < tools/dynalite/package-lock.json)
  mods="$CI_CACHE/dynalite-$lock_sha"
  if [ ! -d "$mods/node_modules" ]; then
    rm -rf "$mods.tmp" && mkdir -p "$mods.tmp"
    cp tools/dynalite/package.json tools/dynalite/package-lock.json "$mods.tmp/"
    npm ci --prefix "$mods.tmp" --no-audit --no-fund --omit=dev >/dev/null
    mv "$mods.tmp" "$mods"
  fi
  key=$( (cat .ci/images/dynamodb-local/*; "$node" --version; echo "$lock_sha";
          docker image inspect -f '{{.Id}}' "$ROOTFS_IMAGE") | sha)
  needs_build "$DDB_IMAGE" "$key" || return 0
  ctx=$(mktemp -d)
  cp .ci/images/dynamodb-local/* "$ctx/"
  cp "$node" "$ctx/node"
  cp -a "$mods" "$ctx/dynalite"
  build_stand_in "$DDB_IMAGE" "$key" "$ctx"
  rm -rf "$ctx"
}

# The host's terraform if any, else the last release `go install` accepts, cached.
terraform_bin() {
  if command -v terraform >/dev/null; then command -v terraform; return; fi
  local tf="$TOOLS_CACHE/bin/terraform"
  if [ ! -x "$tf" ]; then
    GOBIN="$TOOLS_CACHE/bin" go install github.com/hashicorp/terraform@v1.5.7 >&2
  fi
  echo "$tf"
}

seed_terraform() {
  local tf ctx key
  tf=$(terraform_bin)
  key=$( (cat .ci/images/terraform/Dockerfile; "$tf" version 2>/dev/null | head -1;
          docker image inspect -f '{{.Id}}' "$ROOTFS_IMAGE") | sha)
  needs_build "$TF_IMAGE" "$key" || return 0
  ctx=$(mktemp -d)
  cp .ci/images/terraform/Dockerfile "$ctx/"
  cp "$tf" "$ctx/terraform"
  build_stand_in "$TF_IMAGE" "$key" "$ctx"
  rm -rf "$ctx"
}

docker info >/dev/null 2>&1 || die "no Docker engine answers"
step "debian rootfs ($ROOTFS_IMAGE)" seed_rootfs
step "$GOLANG_IMAGE" seed_golang
step "$DDB_IMAGE" seed_dynamodb_local
step "$TF_IMAGE" seed_terraform
