# The identity .github/workflows/deploy.yml signs in to Azure with. No secret is stored in
# GitHub: azure/login presents GitHub's OIDC token for the deploy job, and Entra exchanges it
# because of the federated credential below. The identity may do exactly what the workflow
# does, on exactly the two resources it touches.

locals {
  # The GitHub environment of the deploy job (`environment: production` in deploy.yml). Only a
  # job running in it gets a token whose subject matches the credential below.
  github_environment = "production"
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

# Pushing the image. The workflow builds it on GitHub's runner (Docker Buildx, not ACR Tasks,
# which free-trial and credit-based subscriptions refuse with TasksOperationsNotAllowed) and
# pushes it after `az acr login`. AcrPush is exactly that, on this registry only: pull and
# push images, nothing on the registry's settings, no tasks. (`az acr login --name` also
# works without read access to the registry resource: it then takes <name>.azurecr.io.)
resource "azurerm_role_assignment" "github_deploy_acr_push" {
  scope                = azurerm_container_registry.hvalfangst.id
  role_definition_name = "AcrPush"
  principal_id         = azuread_service_principal.github_deploy.object_id
  principal_type       = "ServicePrincipal"
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
