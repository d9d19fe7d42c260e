#!/bin/sh
# Tilt's api-build resource runs this in the api container on every save under src/: it waits
# until air has built the newest saved Go source (a build that started after that file's
# mtime, recorded by scripts/air-build.sh), prints the compiler's output and exits with the
# build's status, so a compile error turns the resource red with the message. It compiles
# nothing itself: air's build is the only one.
set -u
dir=/tmp/air
timeout=${1:-120}
# The files air watches (.air.toml: .go under src/, tests excluded).
newest() { find src -name '*.go' ! -name '*_test.go' -printf '%T@\n' | sort -n | tail -1; }
end=$(($(date +%s) + timeout))
while :; do
  if [ -f "$dir/build-status" ]; then
    read -r started rc <"$dir/build-status"
    if awk -v s="$started" -v n="$(newest)" 'BEGIN { exit !(s >= n) }'; then
      if [ "$rc" = 0 ]; then echo "air: build of the saved source succeeded"; else cat "$dir/build-output"; fi
      exit "$rc"
    fi
  fi
  if [ "$(date +%s)" -ge "$end" ]; then
    echo "air has not finished a build of the newest source within ${timeout}s: see docker compose logs api" >&2
    exit 1
  fi
  sleep 0.2
done
