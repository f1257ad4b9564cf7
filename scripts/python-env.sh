#!/usr/bin/env bash
# Creates (when missing) the Python environment the interop tests use to write and read
# Parquet with pyarrow and DuckDB (pytz lets DuckDB return zoned timestamps), then prints the path of its python interpreter.
# The venv lives at .venv-interop in the project root (gitignored). Progress goes to stderr
# so that stdout is exactly the interpreter path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-interop"
py="$venv/bin/python"
if [ -x "$py" ] && "$py" -c 'import pyarrow, duckdb, pytz' >/dev/null 2>&1; then
  echo "$py"
  exit 0
fi
base="${PYTHON:-}"
if [ -z "$base" ]; then
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then
      base="$candidate"
      break
    fi
  done
fi
if [ -z "$base" ]; then
  echo "python-env.sh: no python3 found; install Python 3.9+ (e.g. apt-get install python3 python3-venv)" >&2
  exit 1
fi
if [ ! -x "$py" ]; then
  "$base" -m venv "$venv" >&2
fi
"$py" -m pip install --quiet --disable-pip-version-check pyarrow duckdb pytz >&2
"$py" -c 'import pyarrow, duckdb, pytz' >&2
echo "$py"
