#!/usr/bin/env bash
# Run a command with a throw-away Kafka broker (KRaft, Maven Central jars) and redis-server
# (Debian package) on free loopback ports; both are stopped and their state removed when the
# command ends, also when it fails or is interrupted.
#
# Usage:   scripts/services/with-services.sh COMMAND [ARGS...]
# Exports: KAFKA_BOOTSTRAP (127.0.0.1:PORT), REDIS_URL (redis://127.0.0.1:PORT),
#          SLUICE_SERVICES_DIR (the scripts folder, so tests can start private servers).
# Env:     KAFKA_BOOTSTRAP / REDIS_URL already set: that server is used as it is, nothing started.
#          KAFKA_VERSION (pinned 4.4.0), KAFKA_CACHE, SLUICE_SERVICES_STATE (default: a temp folder).
# Needs:   Java 17+ and Maven (Kafka), apt-get as root or redis-server on PATH (Redis).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
export SLUICE_SERVICES_DIR="$HERE"

need() {
  echo "with-services: $1" >&2
  exit 1
}

started_kafka=""
started_redis=""
STATE="${SLUICE_SERVICES_STATE:-$(mktemp -d "${TMPDIR:-/tmp}/sluice-services-XXXXXX")}"
cleanup() {
  local rc=$?
  [ -z "$started_kafka" ] || "$HERE/stop-kafka.sh" "$STATE/kafka" --clean || true
  [ -z "$started_redis" ] || "$HERE/stop-redis.sh" "$STATE/redis" --clean || true
  rmdir "$STATE" 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${REDIS_URL:-}" ]; then
  if ! command -v redis-server >/dev/null; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null ||
      need "redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis), or set REDIS_URL=redis://host:port to use your own Redis."
  fi
  "$HERE/install-redis.sh"
  REDIS_URL=$("$HERE/start-redis.sh" "$STATE/redis")
  started_redis=1
  export REDIS_URL
fi

if [ -z "${KAFKA_BOOTSTRAP:-}" ]; then
  command -v java >/dev/null ||
    need "Java 17+ is needed to run the test Kafka broker. Install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless), or set KAFKA_BOOTSTRAP=host:port to use your own broker."
  command -v mvn >/dev/null ||
    need "Maven is needed to fetch the Kafka broker jars from Maven Central. Install it (Debian/Ubuntu: sudo apt-get install -y maven), or set KAFKA_BOOTSTRAP=host:port to use your own broker."
  "$HERE/install-kafka.sh" >/dev/null
  KAFKA_BOOTSTRAP=$("$HERE/start-kafka.sh" "$STATE/kafka")
  started_kafka=1
  export KAFKA_BOOTSTRAP
fi

echo "with-services: Kafka at $KAFKA_BOOTSTRAP, Redis at $REDIS_URL" >&2
"$@"
