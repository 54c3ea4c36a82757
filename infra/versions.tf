# Terraform and provider versions. `~>` takes bug fixes and new features within a major
# version, never a breaking release: azurerm 4.x, azuread 3.x, random 3.x.
terraform {
  required_version = ">= 1.6"

  # The state holds hero-client's secret, so it lives in an Azure storage account, not in a
  # local file: signed in to with Entra ID (use_azuread_auth; the account allows no shared
  # keys), with blob versioning so an earlier state can be restored. up.sh creates the account
  # when it is missing and passes its names (-backend-config; infra/state-backend.sh); down.sh
  # leaves it unless given --delete-state.
  backend "azurerm" {}

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
    azuread = {
      source  = "hashicorp/azuread"
      version = "~> 3.0"
    }
    # Stable ids for the API's scopes and app roles (see entra.tf).
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}
