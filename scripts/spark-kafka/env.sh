#!/usr/bin/env bash
# Creates (when missing) the Python environment of the Kafka end-to-end benchmark's Spark peer:
# a venv with pyspark 4.2.0 (about 485 MB) and the Kafka connector's jars
# (org.apache.spark:spark-sql-kafka-0-10_2.13:4.2.0 and its runtime dependencies, copied from
# Maven Central with `mvn dependency:copy-dependencies`, loaded through spark.jars, so a Spark
# session needs no network). Prints the venv folder on stdout; progress goes to stderr.
#
# Usage:   scripts/spark-kafka/env.sh
# Env:     SLUICE_SPARK_VENV (default <project>/.venv-spark), PYTHON (default python3), MVN (default mvn)
# Layout:  $SLUICE_SPARK_VENV/bin/python, $SLUICE_SPARK_VENV/kafka-jars/*.jar
#
# pyspark is pinned to 4.2.0 because Maven Central serves spark-sql-kafka-0-10_2.13 4.2.0 but
# not 4.2.1 or 4.3.0; the connector's version must equal Spark's.
set -euo pipefail
SPARK_VERSION=4.2.0
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${SLUICE_SPARK_VENV:-$root/.venv-spark}"
py="$venv/bin/python"
jars="$venv/kafka-jars"
die() { echo "spark-kafka/env.sh: $*" >&2; exit 1; }

if [ ! -x "$py" ] || ! "$py" -c "import pyspark,sys; sys.exit(pyspark.__version__ != '$SPARK_VERSION')" >/dev/null 2>&1; then
  base="${PYTHON:-python3}"
  command -v "$base" >/dev/null 2>&1 || die "no $base found; install Python 3.9+ (apt-get install python3 python3-venv)"
  command -v java >/dev/null 2>&1 || die "java not on PATH; Spark $SPARK_VERSION needs Java 17+ (apt-get install openjdk-17-jre-headless)"
  [ -x "$py" ] || "$base" -m venv "$venv" >&2 || die "python3 -m venv failed (apt-get install python3-venv)"
  echo "spark-kafka/env.sh: installing pyspark==$SPARK_VERSION into $venv (about 485 MB)" >&2
  "$py" -m pip install --quiet --disable-pip-version-check "pyspark==$SPARK_VERSION" >&2 || die "pip install pyspark==$SPARK_VERSION failed"
fi

if [ ! -f "$jars/.complete" ]; then
  MVN="${MVN:-mvn}"
  command -v "$MVN" >/dev/null 2>&1 || die "maven not on PATH (apt-get install maven); it copies the spark-sql-kafka jars from Maven Central"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cat > "$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sluice.bench</groupId>
  <artifactId>spark-kafka-jars</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.spark</groupId>
      <artifactId>spark-sql-kafka-0-10_2.13</artifactId>
      <version>$SPARK_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
  rm -rf "$jars" "$tmp/all"
  echo "spark-kafka/env.sh: copying spark-sql-kafka-0-10_2.13:$SPARK_VERSION and its dependencies from Maven Central" >&2
  (cd "$tmp" && "$MVN" -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/all" >&2) ||
    die "maven could not resolve org.apache.spark:spark-sql-kafka-0-10_2.13:$SPARK_VERSION"
  # Keep only what pyspark does not ship already (its own jars win otherwise, or clash).
  mkdir -p "$jars"
  shipped="$("$py" -c 'import pyspark,os;print(os.path.join(os.path.dirname(pyspark.__file__),"jars"))')"
  for jar in "$tmp"/all/*.jar; do
    name=$(basename "$jar")
    stem="${name%-*}"   # artifact name without the version
    if ! ls "$shipped" | grep -q "^${stem}-[0-9]"; then cp "$jar" "$jars/"; fi
  done
  touch "$jars/.complete"
fi
echo "$venv"
