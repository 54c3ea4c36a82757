#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the build links against, when they are missing:
# libsqlite3-dev (GRDB), libssl-dev and libcurl4-openssl-dev (FoundationNetworking),
# postgresql (the server the PostgreSQL store's tests start in a throwaway cluster), and
# make (a bare Swift container image may lack it).
# Says what it installs; uses sudo when not root. Does nothing when all are present.
set -euo pipefail

packages=(libsqlite3-dev libssl-dev libcurl4-openssl-dev postgresql make)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
    echo "Missing system packages: ${missing[*]}. Install them with your package manager." >&2
    exit 1
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing system packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
