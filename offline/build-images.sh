#!/usr/bin/env bash
# Builds the offline mode's stand-in images (offline/README.md) for a Linux machine that cannot pull
# from any registry. Each carries this project's own name (offline/images.env), which selects them
# through the image variables; without it nothing here is used.
#
#   objects-api-offline/debian         Debian bookworm rootfs (debootstrap, the machine's apt mirror);
#                                      the others start from it; it also runs the offline table job
#                                      (bin/objects-data, which `make offline-images` builds)
#   objects-api-offline/golang         + go.mod's Go toolchain and the host's CA bundle (for golang)
#   objects-api-offline/dynamodb-local + dynalite (npm, tools/dynalite) on the host's Node 20
#   objects-api-offline/terraform      + a terraform binary at /bin/terraform (Dockerfile.dev copies it)
#   objects-api-offline/dynamodb-admin + the npm package dynamodb-admin (offline/images/dynamodb-admin) on the host's Node 20
#
# Needs: root, debootstrap, Go (any release that can fetch go.mod's), Node >= 20, npm, Docker.
# Idempotent: an image is rebuilt only when its inputs change (their hash is kept in a label).
# `make offline-images` runs it; in the offline mode every verb that needs images runs that first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"

CACHE="${STANDIN_CACHE:-/var/cache/objects-api-offline}"
TOOLS_CACHE="${TOOLS_CACHE:-$HOME/.cache/objects-api}"
KEY_LABEL=objects-api-offline.inputs
# ca-certificates+curl: healthchecks; git: Go tooling parity with the real golang image;
# libstdc++6: the host's Node binary.
ROOTFS_PACKAGES=ca-certificates,curl,git,libstdc++6
mkdir -p "$CACHE" "$TOOLS_CACHE/bin"

step() { local t0=$SECONDS; echo "::: offline images: $1"; "${@:2}"; echo "::: offline images: $1 took $((SECONDS - t0))s"; }
die() { echo "offline/build-images.sh: $*" >&2; exit 1; }

set -a
# shellcheck source=images.env
. offline/images.env
set +a

sha() { sha256sum | cut -c1-16; }
inputs_of() { docker image inspect -f "{{index .Config.Labels \"$KEY_LABEL\"}}" "$1" 2>/dev/null || true; }

# build_image NAME KEY FILL: unless NAME was built from inputs hashing to KEY, FILL fills a new
# build context (its argument; it sees its caller's locals) and docker builds it, KEY as a label.
build_image() {
  local name=$1 key=$2 ctx
  if [ "$(inputs_of "$name")" = "$key" ]; then echo "$name: up to date"; return; fi
  ctx=$(mktemp -d)
  "$3" "$ctx"
  docker build -q --build-arg "ROOTFS_IMAGE=$ROOTFS_IMAGE" \
    --label "$KEY_LABEL=$key" -t "$name" "$ctx" >/dev/null
  rm -rf "$ctx"
  echo "$name: built"
}

# node_bin: the host's Node (the stand-ins run it), which must be 20 or later.
node_bin() {
  local node
  node=$(command -v node) || die "node is missing (dynalite and dynamodb-admin need Node >= 20)"
  "$node" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
    || die "node >= 20 needed, found $("$node" --version)"
  echo "$node"
}

# npm_modules DIR: DIR's package-lock.json installed (no dev dependencies) in a cache folder
# named by the lock file's hash; prints that folder.
npm_modules() {
  local mods
  mods="$CACHE/$(basename "$1")-$(sha <"$1/package-lock.json")"
  if [ ! -d "$mods/node_modules" ]; then
    rm -rf "$mods.tmp" && mkdir -p "$mods.tmp"
    cp "$1/package.json" "$1/package-lock.json" "$mods.tmp/"
    npm ci --prefix "$mods.tmp" --no-audit --no-fund --omit=dev >/dev/null
    mv "$mods.tmp" "$mods"
  fi
  echo "$mods"
}

# A Debian bookworm rootfs from the machine's own apt mirror, cached as a tarball.
build_rootfs() {
  local key tar
  key=$(echo "$ROOTFS_PACKAGES" | sha)
  tar="$CACHE/rootfs-bookworm-$key.tar"
  if [ ! -s "$tar" ]; then
    command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
    local mirror dir
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    dir=$(mktemp -d)
    debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" bookworm "$dir" \
      "${mirror:-http://deb.debian.org/debian}" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed"; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    tar -C "$dir" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$dir"
  fi
  if [ "$(inputs_of "$ROOTFS_IMAGE")" = "$key" ]; then echo "$ROOTFS_IMAGE: up to date"; return; fi
  docker import -c "LABEL $KEY_LABEL=$key" -c 'CMD ["/bin/bash"]' "$tar" "$ROOTFS_IMAGE" >/dev/null
  echo "$ROOTFS_IMAGE: imported"
}

rootfs_id() { docker image inspect -f '{{.Id}}' "$ROOTFS_IMAGE"; }

# The toolchain of go.mod's `go` line (not the host's GOROOT): the go command fetches it from the
# module proxy into its module cache when the host's own Go is another release.
build_golang() {
  local version goroot
  version=$(sed -n 's/^go //p' go.mod)
  goroot=$(GOTOOLCHAIN="go$version" go env GOROOT)
  fill() {
    cp -a "$goroot" "$1/go" && chmod -R u+w "$1/go"
    cp /etc/ssl/certs/ca-certificates.crt "$1/"
    sed "s/__GO_VERSION__/$version/" offline/images/golang/Dockerfile >"$1/Dockerfile"
  }
  build_image "$GOLANG_IMAGE" "$( (cat offline/images/golang/Dockerfile /etc/ssl/certs/ca-certificates.crt; echo "$version"; rootfs_id) | sha)" fill
}

build_dynamodb_local() {
  local node mods
  node=$(node_bin)
  mods=$(npm_modules tools/dynalite)
  fill() { cp offline/images/dynamodb-local/* "$1/" && cp "$node" "$1/node" && cp -a "$mods" "$1/dynalite"; }
  build_image "$DYNAMODB_LOCAL_IMAGE" "$( (cat offline/images/dynamodb-local/*; "$node" --version; sha <tools/dynalite/package-lock.json; rootfs_id) | sha)" fill
}

# The host's terraform if any, else the last release `go install` accepts, cached.
terraform_bin() {
  if type -P terraform >/dev/null; then type -P terraform; return; fi
  local tf="$TOOLS_CACHE/bin/terraform"
  [ -x "$tf" ] || GOBIN="$TOOLS_CACHE/bin" go install github.com/hashicorp/terraform@v1.5.7 >&2
  echo "$tf"
}

build_terraform() {
  local tf
  tf=$(terraform_bin)
  fill() { cp offline/images/terraform/Dockerfile "$1/" && cp "$tf" "$1/terraform"; }
  build_image "$TERRAFORM_IMAGE" "$( (cat offline/images/terraform/Dockerfile; "$tf" version 2>/dev/null | head -1; rootfs_id) | sha)" fill
}

# The table browser's npm package (offline/images/dynamodb-admin/package-lock.json) on the host's Node.
build_dynamodb_admin() {
  local node mods dir=offline/images/dynamodb-admin
  node=$(node_bin)
  mods=$(npm_modules "$dir")
  fill() { cp "$dir/Dockerfile" "$dir/stand-in.js" "$1/" && cp "$node" "$1/node" && cp -a "$mods/node_modules" "$1/node_modules"; }
  build_image "$DYNAMODB_ADMIN_IMAGE" "$( (cat "$dir/Dockerfile" "$dir/stand-in.js"; "$node" --version; sha <"$dir/package-lock.json"; rootfs_id) | sha)" fill
}

docker info >/dev/null 2>&1 || die "no Docker engine answers"
step "$ROOTFS_IMAGE" build_rootfs
step "$GOLANG_IMAGE" build_golang
step "$DYNAMODB_LOCAL_IMAGE" build_dynamodb_local
step "$TERRAFORM_IMAGE" build_terraform
step "$DYNAMODB_ADMIN_IMAGE" build_dynamodb_admin
