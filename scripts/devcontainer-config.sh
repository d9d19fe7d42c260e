# Sourced by scripts/devcontainer.sh and scripts/devcontainer-test.sh, with $tmp set to a scratch
# directory outside the repository. Prepares what the Dev Containers CLI (pinned in
# tools/devcontainer) needs to start .devcontainer/devcontainer.json as VS Code does, on the stack
# the Makefile chose:
#   $tmp/devcontainer.json  the product's config with absolute compose paths and COMPOSE_FILE's
#                           files after docker-compose.yml appended (the CLI takes it as
#                           --override-config; no product file changes). The CLI runs compose,
#                           which reads COMPOSE_ENV_FILES itself.
#   dc=(...)                the CLI's --workspace-folder/--override-config arguments
#   compose=(...)           the same compose files as -f arguments, for docker compose
root=$PWD
cli=tools/devcontainer/node_modules/.bin/devcontainer
[ -x "$cli" ] || npm ci --prefix tools/devcontainer --no-audit --no-fund >&2
extra=()
IFS="${COMPOSE_PATH_SEPARATOR:-:}" read -ra chosen <<<"${COMPOSE_FILE:-docker-compose.yml}"
for f in "${chosen[@]}"; do
  case $f in /*) ;; *) f=$root/$f ;; esac
  [ "$f" = "$root/docker-compose.yml" ] || extra+=("$f")
done
# The CLI builds the workspace through a Dockerfile it generates outside the repository (to add
# its metadata label), and buildx >= 0.20 refuses, when not interactive, to let compose's bake read
# a file outside the build context ("additional privileges requested: pass
# --allow=fs.read=.../Dockerfile-with-features"). The file is the CLI's own; allow it.
export BUILDX_BAKE_ENTITLEMENTS_FS=0
# The CLI parses the JSONC itself; relative compose paths resolve from the config file's folder.
"$cli" read-configuration --workspace-folder "$root" 2>"$tmp/read.log" >"$tmp/read.json" \
  || { cat "$tmp/read.log" >&2; echo "devcontainer read-configuration failed" >&2; exit 1; }
jq --arg dir "$root/.devcontainer" '.configuration | del(.configFilePath)
    | .dockerComposeFile |= ([.[] | if startswith("/") then . else "\($dir)/\(.)" end] + $ARGS.positional)' \
  --args "${extra[@]}" <"$tmp/read.json" >"$tmp/devcontainer.json"
dc=(--workspace-folder "$root" --override-config "$tmp/devcontainer.json")
compose=()
for f in $(jq -r '.dockerComposeFile[]' "$tmp/devcontainer.json"); do compose+=(-f "$f"); done
