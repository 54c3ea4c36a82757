# Both providers sign in the way `az login` did: Terraform uses the Azure CLI's session.
# The tenant and subscription are named explicitly, so a plan can never run against whatever
# subscription happens to be selected in the CLI.

provider "azurerm" {
  features {}

  tenant_id       = var.tenant_id
  subscription_id = var.subscription_id

  # Register only what this configuration uses (plus the provider's small core set), instead
  # of the long legacy list, which needs more rights and slows the first run.
  resource_provider_registrations = "core"
  resource_providers_to_register = [
    "Microsoft.ContainerRegistry",
    "Microsoft.DBforPostgreSQL",
    "Microsoft.ManagedIdentity",
    "Microsoft.Web",
  ]
}

provider "azuread" {
  tenant_id = var.tenant_id
}

# Whoever runs Terraform becomes the owner of the app registrations, so they can manage them
# later in the portal too.
data "azuread_client_config" "current" {}
