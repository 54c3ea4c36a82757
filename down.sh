#!/usr/bin/env bash
# Destroys everything up.sh created: the Azure resources (the heroes with them, in the
# PostgreSQL server or on /home) and the Entra app registrations. Terraform lists what it will
# destroy and asks first; extra arguments go to `terraform destroy` (e.g. -auto-approve).
# See README, "Deploy to Azure".
set -euo pipefail
cd "$(dirname "$0")"

fail() {
    echo "down.sh: $*" >&2
    exit 1
}

command -v terraform >/dev/null 2>&1 ||
    fail "terraform is not installed (https://developer.hashicorp.com/terraform/install)"
command -v az >/dev/null 2>&1 ||
    fail "the Azure CLI is not installed (https://learn.microsoft.com/cli/azure/install-azure-cli)"
[ -f infra/terraform.tfvars ] ||
    fail "infra/terraform.tfvars is missing: Terraform needs the same settings as up.sh used"
az account show --output none 2>/dev/null ||
    fail "not signed in to Azure: run 'az login --tenant <your tenant id>' first"

terraform -chdir=infra init -input=false
terraform -chdir=infra destroy "$@"
if [ -n "$(terraform -chdir=infra state list)" ]; then
    echo "Some resources are still in the Terraform state (destroy was cancelled or failed)." >&2
    exit 1
fi

cat <<'EOF'

Destroyed. Left for you: .env_oauth holds a client secret that no longer works (delete it),
and the GitHub repository variables point at resources that are gone (the Deploy workflow
fails until the next ./up.sh).
EOF
