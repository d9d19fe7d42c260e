#!/bin/sh
# air's build command (.air.toml; docker-compose.debug.yml passes other flags): go build of the
# API into air's tmp dir with the given flags, plus a record of the outcome that
# scripts/air-build-status.sh reports (Tilt's api-build resource). The compiler's output still
# goes to air's log (`docker compose logs -f api`).
set -u
dir=/tmp/air
started=$(date +%s.%N)
# GOGC=off: the compiler and linker skip their garbage collection, for ~30 MB more at the peak
# (about 320 MB for the link).
GOGC=off go build "$@" -o "$dir/api" ./src/cmd/api >"$dir/build-output.tmp" 2>&1
rc=$?
cat "$dir/build-output.tmp" >&2
mv "$dir/build-output.tmp" "$dir/build-output"
# Written last, by rename: a reader never sees a status without its output.
echo "$started $rc" >"$dir/build-status.tmp" && mv "$dir/build-status.tmp" "$dir/build-status"
exit "$rc"
