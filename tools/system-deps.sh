#!/bin/sh
# Install what a fresh Debian machine lacks for MRK, from Debian's packages:
#   run:  Python venv, Node.js and npm (the web client is an npm package),
#         LibreOffice and fonts (documents are converted to PDF)
#   test: also Chromium for the browser tests and pdftotext
# Needs root or password-less sudo only when something is missing.
set -e
need=""
command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need="$need python3-venv"
command -v soffice >/dev/null 2>&1 || need="$need libreoffice-writer-nogui"
[ -d /usr/share/fonts/truetype/liberation ] || need="$need fonts-liberation"
[ -d /usr/share/fonts/truetype/dejavu ] || need="$need fonts-dejavu-core"
if [ "$1" = "test" ]; then
    [ -x /usr/bin/chromium ] || need="$need chromium"
    command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
fi
[ -n "$need" ] || exit 0
echo "Installing from Debian:$need"
if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo -n"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need
