# The identity .github/workflows/deploy.yml signs in to Azure with. No secret is stored in
# GitHub: azure/login presents GitHub's OIDC token for the deploy job, and Entra exchanges it
# because of the federated credential below. The identity may do exactly what the workflow
# does, on exactly the two resources it touches.

locals {
  # The GitHub environment of the deploy job (`environment: production` in deploy.yml). Only a
  # job running in it gets a token whose subject matches the credential below.
  github_environment = "production"

  # What `az acr build` calls on the registry: read it (the CLI looks the registry up by
  # name), get an upload URL for the build context, queue the build (ACR Tasks builds and
  # pushes the image with the registry's own rights), then follow the run and its log.
  acr_build_actions = [
    "Microsoft.ContainerRegistry/registries/read",
    "Microsoft.ContainerRegistry/registries/listBuildSourceUploadUrl/action",
    "Microsoft.ContainerRegistry/registries/scheduleRun/action",
    "Microsoft.ContainerRegistry/registries/runs/read",
    "Microsoft.ContainerRegistry/registries/runs/listLogSasUrl/action",
  ]
}

resource "azuread_application_registration" "github_deploy" {
  display_name     = "${var.entra_display_name_prefix} GitHub deploy"
  sign_in_audience = "AzureADMyOrg"
}

resource "azuread_service_principal" "github_deploy" {
  client_id = azuread_application_registration.github_deploy.client_id
  owners    = [data.azuread_client_config.current.object_id]
}

# Trust GitHub's token only for jobs of this repository that run in its production
# environment; other jobs, pull requests and forks get tokens with other subjects. (Limit the
# environment to the main branch in GitHub's settings: README, "Deploy to Azure".)
resource "azuread_application_federated_identity_credential" "github_deploy" {
  #checkov:skip=CKV_AZURE_249:False positive: checkov wants the subject's repository as literal owner/name text and cannot look into var.github_repository, whose validation already demands exactly owner/name (no wildcard). The subject names one repository and one environment.
  application_id = azuread_application_registration.github_deploy.id
  display_name   = "github-deploy-${local.github_environment}"
  description    = "GitHub Actions: ${var.github_repository}, environment ${local.github_environment}"
  issuer         = "https://token.actions.githubusercontent.com"
  audiences      = ["api://AzureADTokenExchange"]
  subject        = "repo:${var.github_repository}:environment:${local.github_environment}"
}

# Building in the registry. No built-in role fits: Contributor could also delete the registry
# or turn on its admin password, AcrPush cannot queue builds, and "Container Registry Tasks
# Contributor" can also create and change standing tasks. So a custom role with exactly the
# calls of `az acr build`, defined in this resource group and assigned on the registry only.
resource "azurerm_role_definition" "acr_build" {
  name        = "ACR build on ${var.container_registry_name}" # unique in the tenant, as role names must be
  scope       = azurerm_resource_group.hvalfangst.id
  description = "Run `az acr build` on ${var.container_registry_name}: queue a build of a source upload and read its run and log."

  permissions {
    actions = local.acr_build_actions
  }

  assignable_scopes = [azurerm_resource_group.hvalfangst.id]
}

resource "azurerm_role_assignment" "github_deploy_acr_build" {
  scope              = azurerm_container_registry.hvalfangst.id
  role_definition_id = azurerm_role_definition.acr_build.role_definition_resource_id
  principal_id       = azuread_service_principal.github_deploy.object_id
  principal_type     = "ServicePrincipal"
}

# Pointing the web app at the new image, restarting it and reading its host name
# (`az webapp config container set`, `az webapp restart`, `az webapp show`): Website
# Contributor manages web apps but not their plan, and here only this one web app.
resource "azurerm_role_assignment" "github_deploy_webapp" {
  scope                = azurerm_linux_web_app.hero_server.id
  role_definition_name = "Website Contributor"
  principal_id         = azuread_service_principal.github_deploy.object_id
  principal_type       = "ServicePrincipal"
}
