# Terraform and provider versions. `~>` takes bug fixes and new features within a major
# version, never a breaking release: azurerm 4.x, azuread 3.x, random 3.x.
terraform {
  required_version = ">= 1.6"

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
