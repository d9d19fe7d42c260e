#!/usr/bin/env bash
# Vendors Swagger UI (npm swagger-ui-dist, pinned in tools/swagger-ui/package-lock.json) into
# src/openapi/docs/, which the binary embeds so /docs renders with no internet access.
# Run it after changing the pinned version, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix tools/swagger-ui --no-audit --no-fund
src=tools/swagger-ui/node_modules/swagger-ui-dist
dst=src/openapi/docs
version=$(node -p "require('./$src/package.json').version")
cp "$src/swagger-ui-bundle.js" "$src/swagger-ui.css" "$dst/"
cp "$src/LICENSE" "$dst/LICENSE.swagger-ui"
echo "$version" > "$dst/VERSION.swagger-ui"
echo "vendored swagger-ui-dist $version into $dst"
