#!/usr/bin/env bash
# The Swift toolchain is named once, in .swift-version; CI's container, the Dockerfile's
# build stage and the deploy's build argument must use that same version, so the code is
# compiled in CI by the Swift that ships it. Exits non-zero naming each place that differs.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(tr -d '[:space:]' < .swift-version)
[[ "$version" =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?$ ]] || { echo ".swift-version: '$version' is not a Swift version" >&2; exit 1; }
status=0
expect() { # file, what, pattern that must occur
    if ! grep -qE "$3" "$1"; then
        echo "$1: $2 is not Swift $version (.swift-version)" >&2
        status=1
    fi
}
expect Dockerfile "the build stage's ARG SWIFT_VERSION" "^ARG SWIFT_VERSION=${version//./\\.}\$"
expect Dockerfile "the build stage's image" '^FROM swift:\$\{SWIFT_VERSION\}-'
expect .github/workflows/ci.yml "the CI container" "image: swift:${version//./\\.}-"
expect .github/workflows/deploy.yml "the image build's toolchain step" 'version=\$\(cat \.swift-version\)'
expect .github/workflows/deploy.yml "the image build" 'SWIFT_VERSION=\$\{\{ steps\.toolchain\.outputs\.version \}\}'
if command -v swift >/dev/null 2>&1 && ! swift --version 2>/dev/null | grep -q "Swift version ${version} "; then
    echo "note: the swift on PATH is not $version ($(swift --version 2>/dev/null | head -n 1))" >&2
fi
[ "$status" -eq 0 ] && echo "Swift $version in .swift-version, the Dockerfile, CI and the deploy"
exit "$status"
