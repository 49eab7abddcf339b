#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (playwright-core drives
# /usr/bin/chromium; no browser is downloaded by npm). Installs it with apt-get when missing
# (CI runs as root); set CHROMIUM_PATH to use another Chromium binary instead.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$path" ]]; then
  echo "chromium: $("$path" --version 2>/dev/null || echo "$path")"
  exit 0
fi
if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  echo "chromium: CHROMIUM_PATH=$path is not an executable" >&2
  exit 1
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "chromium: /usr/bin/chromium is missing; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "chromium: installing Debian's chromium (apt-get; first run only)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: $(/usr/bin/chromium --version)"
