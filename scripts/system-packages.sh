#!/bin/sh
# Debian packages the test suite needs: Chromium and its WebDriver, for the HTML report's browser
# tests (the browser cannot be downloaded at run time, so Selenium drives the system one).
# Installs only what is missing; needs root (or sudo).
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
[ -z "$missing" ] && exit 0
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "installing Debian packages:$missing"
run apt-get update -q >/dev/null
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
