#!/usr/bin/env bash
# Destroys everything up.sh created: the Azure resources (the heroes with them, in the
# PostgreSQL server or on /home) and the Entra app registrations. Terraform lists what it will
# destroy and asks first; extra arguments go to `terraform destroy` (e.g. -auto-approve).
# The Terraform state's storage account (infra/state-backend.sh) stays, so the state and its
# versions remain for a later ./up.sh; --delete-state deletes it too, after a destroy that
# left nothing in the state. See README, "Deploy to Azure".
#
# Usage: ./down.sh [--delete-state] [terraform destroy options]
set -euo pipefail
cd "$(dirname "$0")"

fail() {
    echo "down.sh: $*" >&2
    exit 1
}

delete_state=false
destroy_arguments=()
for argument in "$@"; do
    case "$argument" in
        --delete-state) delete_state=true ;;
        -h | --help)
            sed -n '2,9p' "$0"
            exit 0
            ;;
        *) destroy_arguments+=("$argument") ;;
    esac
done

command -v terraform >/dev/null 2>&1 ||
    fail "terraform is not installed (https://developer.hashicorp.com/terraform/install)"
command -v az >/dev/null 2>&1 ||
    fail "the Azure CLI is not installed (https://learn.microsoft.com/cli/azure/install-azure-cli)"
[ -f infra/terraform.tfvars ] ||
    fail "infra/terraform.tfvars is missing: Terraform needs the same settings as up.sh used"
az account show --output none 2>/dev/null ||
    fail "not signed in to Azure: run 'az login --tenant <your tenant id>' first"

# shellcheck source=infra/state-backend.sh
. infra/state-backend.sh
state_backend_names
az storage account show --subscription "$state_subscription" --resource-group "$state_group" --name "$state_account" --output none 2>/dev/null ||
    fail "no Terraform state account $state_account in $state_group: nothing up.sh made to destroy (or set TF_STATE_STORAGE_ACCOUNT and TF_STATE_RESOURCE_GROUP as up.sh had them)"
state_backend_init -reconfigure # the names just derived, whatever an earlier init saved
terraform -chdir=infra destroy "${destroy_arguments[@]}"
if [ -n "$(terraform -chdir=infra state list)" ]; then
    echo "Some resources are still in the Terraform state (destroy was cancelled or failed)." >&2
    exit 1
fi

if $delete_state; then
    echo "Deleting the Terraform state's storage account $state_account"
    az storage account delete --subscription "$state_subscription" --resource-group "$state_group" --name "$state_account" --yes
    # The resource group up.sh made for it, when nothing else is in it.
    if [ -z "$(az resource list --subscription "$state_subscription" --resource-group "$state_group" --query '[0].id' --output tsv)" ]; then
        az group delete --subscription "$state_subscription" --name "$state_group" --yes
    fi
    state_note="The Terraform state's storage account is deleted too."
else
    state_note="The Terraform state's storage account $state_account (resource group $state_group) stays,
with the state's earlier versions; ./down.sh --delete-state removes it (a few cents a month)."
fi

cat <<EOF2

Destroyed. $state_note
Left for you: .env_oauth holds a client secret that no longer works (delete it), and the
GitHub repository variables point at resources that are gone (the Deploy workflow stops at
its first check until the next ./up.sh).
EOF2
