# shellcheck shell=bash
# The Terraform state's home, sourced by up.sh and down.sh: a storage account that only Entra ID
# sign-ins may use (no shared keys, so no account key can leak), with blob versioning and soft
# delete (an earlier state can be restored), TLS 1.2, no public blobs. The state holds
# hero-client's client secret; a local file on one machine would also be lost with it.
#
# It lives in a resource group of its own, outside Terraform: `terraform destroy` (down.sh)
# must not delete the state it is reading. Its names, the same on every machine of a team
# because they derive from the subscription (set these to choose others):
#   TF_STATE_RESOURCE_GROUP   default hvalfangst-tfstate
#   TF_STATE_STORAGE_ACCOUNT  default hvalfangsttf + 12 hex digits of the subscription id's SHA-256
#   TF_STATE_LOCATION         default norwayeast (where up.sh creates them)
# The blob: container tfstate, key hvalfangst.tfstate.

# A "key = value" setting of infra/terraform.tfvars.
tfvars_value() {
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" infra/terraform.tfvars | head -n 1
}

# Sets state_subscription, state_tenant, state_group, state_account, state_container, state_key.
state_backend_names() {
    state_subscription="$(tfvars_value subscription_id)"
    state_tenant="$(tfvars_value tenant_id)"
    [ -n "$state_subscription" ] && [ -n "$state_tenant" ] ||
        fail "infra/terraform.tfvars names no subscription_id or tenant_id"
    state_group="${TF_STATE_RESOURCE_GROUP:-hvalfangst-tfstate}"
    state_account="${TF_STATE_STORAGE_ACCOUNT:-hvalfangsttf$(printf '%s' "$state_subscription" | sha256sum | cut -c1-12)}"
    [[ "$state_account" =~ ^[a-z0-9]{3,24}$ ]] ||
        fail "TF_STATE_STORAGE_ACCOUNT '$state_account' must be 3 to 24 lowercase letters and digits"
    state_container=tfstate
    state_key=hvalfangst.tfstate
}

# Sets principal and principal_type: whoever is signed in to the Azure CLI (a user, or a
# service principal).
signed_in_principal() {
    if [ "$(az account show --query user.type --output tsv)" = user ]; then
        principal="$(az ad signed-in-user show --query id --output tsv)" principal_type=User
    else
        principal="$(az ad sp show --id "$(az account show --query user.name --output tsv)" --query id --output tsv)"
        principal_type=ServicePrincipal
    fi
}

# Creates whatever of the state's account is missing; gives the signed-in principal the data
# role that Entra sign-in to blobs needs (Owner of the subscription does not include it).
state_backend_ensure() {
    local az_sub=(--subscription "$state_subscription") location="${TF_STATE_LOCATION:-norwayeast}"
    # An empty subscription has not registered the storage resource provider yet (Terraform
    # registers the others it needs itself).
    if [ "$(az provider show "${az_sub[@]}" --namespace Microsoft.Storage --query registrationState --output tsv 2>/dev/null)" != Registered ]; then
        echo "Registering the resource provider Microsoft.Storage (once per subscription; a minute or two)"
        az provider register "${az_sub[@]}" --namespace Microsoft.Storage --wait
    fi
    if ! az storage account show "${az_sub[@]}" --resource-group "$state_group" --name "$state_account" --output none 2>/dev/null; then
        [ "$(az storage account check-name "${az_sub[@]}" --name "$state_account" --query nameAvailable --output tsv)" = true ] ||
            fail "the storage account name $state_account is taken by someone else: set TF_STATE_STORAGE_ACCOUNT to another name"
        echo "Creating the Terraform state's storage account $state_account (resource group $state_group, $location)"
        az group create "${az_sub[@]}" --name "$state_group" --location "$location" \
            --tags project=hvalfangst-heroes purpose=terraform-state --output none
        az storage account create "${az_sub[@]}" --resource-group "$state_group" --name "$state_account" \
            --location "$location" --sku Standard_LRS --kind StorageV2 --https-only true --min-tls-version TLS1_2 \
            --allow-blob-public-access false --allow-shared-key-access false \
            --tags project=hvalfangst-heroes purpose=terraform-state --output none
    fi
    az storage account blob-service-properties update "${az_sub[@]}" --resource-group "$state_group" \
        --account-name "$state_account" --enable-versioning true \
        --enable-delete-retention true --delete-retention-days 30 \
        --enable-container-delete-retention true --container-delete-retention-days 30 --output none

    local scope principal principal_type
    scope="$(az storage account show "${az_sub[@]}" --resource-group "$state_group" --name "$state_account" --query id --output tsv)"
    signed_in_principal
    if [ -z "$(az role assignment list --assignee "$principal" --role "Storage Blob Data Contributor" --scope "$scope" --query '[0].id' --output tsv)" ]; then
        echo "Giving you Storage Blob Data Contributor on $state_account (Entra sign-in to the state)"
        az role assignment create --assignee-object-id "$principal" --assignee-principal-type "$principal_type" \
            --role "Storage Blob Data Contributor" --scope "$scope" --output none
    fi
    # A new role assignment takes a minute or two to apply.
    local attempt
    for attempt in $(seq 1 18); do
        az storage container create --account-name "$state_account" --name "$state_container" \
            --auth-mode login --output none 2>/dev/null && return 0
        [ "$attempt" -lt 18 ] || break
        sleep 10
    done
    fail "cannot create the container $state_container in $state_account with your Entra sign-in (is the role assignment applied? try again in a minute)"
}

# terraform init against the state's account; extra arguments go to init.
state_backend_init() {
    terraform -chdir=infra init -input=false \
        -backend-config="subscription_id=$state_subscription" \
        -backend-config="tenant_id=$state_tenant" \
        -backend-config="resource_group_name=$state_group" \
        -backend-config="storage_account_name=$state_account" \
        -backend-config="container_name=$state_container" \
        -backend-config="key=$state_key" \
        -backend-config="use_azuread_auth=true" \
        "$@"
}
