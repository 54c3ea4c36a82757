#!/usr/bin/env bash
# Writes hero-client's .env_oauth at the repository root from the Terraform outputs, so the
# local client signs in with the deployed tenant and calls the deployed API. The file holds the
# client secret: it is created owner-only (mode 600), is git-ignored, and the secret is never
# printed. Run after `terraform apply` (up.sh does).
#
# Lines are KEY=value with no quotes (hero-client reads quotes as python-dotenv does, but
# none of these values needs them).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v terraform >/dev/null 2>&1; then
    echo "write-env-oauth.sh: terraform is not installed" >&2
    exit 1
fi

outputs="$(terraform -chdir=infra output -json)"

# The value of one output, read from the JSON on standard input (never from the command line,
# where other users could see it): jq when installed, else Python.
output() {
    if command -v jq >/dev/null 2>&1; then
        jq -er --arg name "$1" '.[$name].value | strings' <<<"$outputs"
    else
        python3 -c '
import json, sys
value = json.load(sys.stdin).get(sys.argv[1], {}).get("value")
if not isinstance(value, str) or not value:
    sys.exit(1)
print(value)' "$1" <<<"$outputs"
    fi
}

values=()
for name in client_id client_secret tenant_id redirect_uri client_scopes app_url; do
    if ! value="$(output "$name")" || [ -z "$value" ] || [[ "$value" == *$'\n'* ]]; then
        echo "write-env-oauth.sh: the Terraform output '$name' is missing or not one line; run up.sh (terraform apply) first" >&2
        exit 1
    fi
    values+=("$value")
done
client_id="${values[0]}"
client_secret="${values[1]}"
tenant_id="${values[2]}"
redirect_uri="${values[3]}"
scopes="${values[4]}"
app_url="${values[5]}"

# Write a temporary file in the same folder (mktemp makes it mode 600), then rename it over
# .env_oauth, so a reader never sees half a file and the secret is never world-readable.
umask 077
tmp="$(mktemp .env_oauth.XXXXXX)"
trap 'rm -f "$tmp"' EXIT
{
    echo "# hero-client settings for the Azure deployment, written by infra/write-env-oauth.sh"
    echo "# from the Terraform outputs. Holds the client secret: never commit it."
    echo "AZURE_CLIENT_ID=$client_id"
    echo "AZURE_CLIENT_SECRET=$client_secret"
    echo "AZURE_TENANT_ID=$tenant_id"
    echo "REDIRECT_URI=$redirect_uri"
    echo "SCOPES=$scopes"
    echo "HVALFANGST_API_URL=$app_url/api"
} >"$tmp"
chmod 600 "$tmp"
mv -f "$tmp" .env_oauth
trap - EXIT

echo "Wrote .env_oauth (mode 600): client $client_id in tenant $tenant_id, API $app_url/api"
