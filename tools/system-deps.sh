#!/bin/sh
# Install what a fresh Debian machine lacks for MRK, from Debian's packages:
#   run:  Python venv, Node.js and npm (the web client is an npm package)
#   test: also Chromium for the browser tests
# Needs root or password-less sudo only when something is missing.
set -e
need=""
command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need="$need python3-venv"
if [ "$1" = "test" ]; then
    [ -x /usr/bin/chromium ] || need="$need chromium"
fi
[ -n "$need" ] || exit 0
echo "Installing from Debian:$need"
if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo -n"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need
