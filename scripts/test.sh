#!/usr/bin/env bash
# The one test command: builds, lints, typechecks and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
npx biome check .
npx tsc -p tsconfig.json --noEmit
npx vitest run "$@"
