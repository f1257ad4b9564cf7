#!/usr/bin/env bash
# Install headless Chromium from Debian's packages (package `chromium`) if it is not on PATH.
# The dashboard's end-to-end test drives it (test/e2e/dashboard/). Needs root for apt-get;
# without root it says which package to install and exits 1. Fast when already installed.
#
# Usage: install-chromium.sh
# Env:   SLUICE_CHROMIUM  a Chromium/Chrome binary to use instead (then nothing is installed)
set -euo pipefail
if [ -n "${SLUICE_CHROMIUM:-}" ] && [ -x "${SLUICE_CHROMIUM}" ]; then
  exit 0
fi
for bin in chromium chromium-browser google-chrome; do
  if command -v "$bin" >/dev/null; then
    exit 0
  fi
done
if [ "$(id -u)" != 0 ]; then
  echo "install-chromium: the dashboard test needs Chromium: install Debian's 'chromium' package (sudo apt-get install -y chromium) or set SLUICE_CHROMIUM to a Chromium binary" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-chromium: installing Debian's chromium package (once)" >&2
# Other jobs on the machine may hold the dpkg lock for a while: wait for it rather than fail.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends chromium fonts-dejavu-core >&2
echo "install-chromium: $(chromium --version) installed" >&2
