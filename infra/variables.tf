# Settings of a deployment. tenant_id, subscription_id and github_repository have no default:
# put them in terraform.tfvars (copy terraform.tfvars.example; the real file is git-ignored).
# The names and defaults of the others are those of the original Python demo, except the
# three names that are global across Azure, which get a random suffix (names.tf).

variable "tenant_id" {
  description = "The Entra ID tenant (directory) id, a GUID."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.tenant_id))
    error_message = "tenant_id must be a GUID, as `az account show --query tenantId` prints it."
  }
}

variable "subscription_id" {
  description = "The Azure subscription id, a GUID."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a GUID, as `az account show --query id` prints it."
  }
}

variable "github_repository" {
  description = "The GitHub repository that deploys, as owner/name (exactly as GitHub spells it: the OIDC subject is compared case-sensitively)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "location" {
  description = "The Azure region of every resource."
  type        = string
  default     = "Norway East"
}

variable "resource_group_name" {
  description = "The resource group that holds every Azure resource of this deployment."
  type        = string
  default     = "hvalfangstresourcegroup"
}

variable "azurerm_service_plan_name" {
  description = "The App Service plan (the machine the web app runs on)."
  type        = string
  default     = "hvalfangstserviceplan"
}

variable "azurerm_linux_web_app_name" {
  description = "The web app running hero-server. Globally unique: it becomes <name>.azurewebsites.net. null (the default): hvalfangst-<random suffix> (names.tf)."
  type        = string
  default     = null

  validation {
    condition     = var.azurerm_linux_web_app_name == null || can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$", var.azurerm_linux_web_app_name))
    error_message = "azurerm_linux_web_app_name must be 2 to 60 letters, digits and hyphens, not starting or ending with a hyphen."
  }
}

variable "container_registry_name" {
  description = "The container registry for the hero-server image. Globally unique, 5 to 50 letters and digits. null (the default): hvalfangst<random suffix> (names.tf)."
  type        = string
  default     = null

  validation {
    condition     = var.container_registry_name == null || can(regex("^[a-zA-Z0-9]{5,50}$", var.container_registry_name))
    error_message = "container_registry_name must be 5 to 50 letters and digits."
  }
}

variable "entra_display_name_prefix" {
  description = "Start of the display names of the three app registrations (names need not be unique; this tells deployments apart in the portal)."
  type        = string
  default     = "Hvalfangst Heroes"
}

# --- Storage ----------------------------------------------------------------------------------

variable "storage" {
  description = "Where the heroes live: \"postgres\" (an Azure Database for PostgreSQL flexible server, reached with the web app's managed identity; two web app instances) or \"sqlite\" (a file on the web app's /home share; the cheapest setup, exactly one instance). See README, \"Deploy to Azure\"."
  type        = string
  default     = "postgres"

  validation {
    condition     = contains(["postgres", "sqlite"], var.storage)
    error_message = "storage must be \"postgres\" or \"sqlite\"."
  }
}

variable "postgres_server_name" {
  description = "The PostgreSQL flexible server (storage = \"postgres\"). Globally unique: it becomes <name>.postgres.database.azure.com. 3 to 63 lowercase letters, digits and hyphens. null (the default): hvalfangst-<random suffix> (names.tf)."
  type        = string
  default     = null

  validation {
    condition     = var.postgres_server_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.postgres_server_name))
    error_message = "postgres_server_name must be 3 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen."
  }
}

variable "postgres_admin_group" {
  description = "The display name of an Entra security group to make the PostgreSQL server's Entra administrator (its members sign in as the group's name). null (the default): the user who runs Terraform is the administrator."
  type        = string
  default     = null
}
