#!/usr/bin/env bash
# Installs what the MSAL test needs: Microsoft's own Python libraries at the versions pinned in
# Tests/MSAL/requirements.txt, from PyPI, in a virtual environment under the build folder
# (.build/msal-venv). Says what it installs; does nothing when those pins are installed.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=Tests/MSAL/requirements.txt
venv=.build/msal-venv

if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "Installing python3-venv for the MSAL test"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends python3-venv
fi

# The copy of the pins beside the venv says what it holds.
if ! cmp -s "$requirements" "$venv/installed-requirements.txt"; then
    echo "Installing $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/installed-requirements.txt"
fi
