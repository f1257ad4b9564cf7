#!/usr/bin/env bash
# The one test command: builds, lints, typechecks, installs Chromium for the dashboard test if
# missing, starts a test Kafka broker and Redis, runs
# every test and stops the servers, then prints a plain
# "N passed, N failed" summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
npx biome check .
npx tsc -p tsconfig.json --noEmit
# The dashboard's end-to-end test drives headless Chromium (Debian's chromium package); installed once, a no-op after.
scripts/install-chromium.sh
results=.vitest-results.json
rm -f "$results"
status=0
# Kafka and Redis tests run against real servers that this wrapper starts on loopback and stops on exit.
scripts/services/with-services.sh npx vitest run --reporter=default --reporter=json --outputFile="$results" "$@" || status=$?
if [ -f "$results" ]; then
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);' "$results"
fi
exit "$status"
