#!/usr/bin/env bash
# `make seed`, `make export`, `make import`: objects-data (src/cmd/objects-data) against the running
# stack's DynamoDB Local on the host (DYNAMODB_PORT, 8000), with the table, hash key, region and
# dummy keys the compose files give the API. Credentials in your shell are replaced, so they never
# reach the local stack by accident.
#   scripts/data.sh VERB [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
name=data.sh
. scripts/lib.sh
dc() { docker compose "$@"; }
data_env "${DYNAMODB_PORT:-8000}"
exec bin/objects-data "$@"
