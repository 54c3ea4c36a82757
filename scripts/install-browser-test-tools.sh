#!/usr/bin/env bash
# Installs what the real-browser sign-in test needs: Debian's chromium and chromium-driver
# (apt-get, through sudo when not root) and Python's selenium in a virtual environment under
# the build folder (.build/browser-venv). Says what it installs; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in chromium chromium-driver; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# A Python that can make virtual environments (Debian splits ensurepip into python3-venv).
command -v python3 >/dev/null || missing+=(python3)
python3 -c "import ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "Installing system packages for the browser test: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

venv=.build/browser-venv
if ! "$venv/bin/python" -c "import selenium" >/dev/null 2>&1; then
    echo "Installing selenium into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium>=4.20,<5"
fi
