# What the deployment produced. infra/write-env-oauth.sh turns the first group into
# hero-client's .env_oauth; up.sh prints (or sets, with gh) github_repository_variables.
# `terraform -chdir=infra output` lists them; the secret shows only with
# `terraform -chdir=infra output -raw client_secret`.

output "app_url" {
  description = "hero-server's public URL."
  value       = "https://${azurerm_linux_web_app.hero_server.default_hostname}"
}

output "tenant_id" {
  description = "The Entra tenant."
  value       = var.tenant_id
}

output "api_client_id" {
  description = "The Heroes API's application (client) id; its identifier URI is api://<this>."
  value       = azuread_application.api.client_id
}

output "client_id" {
  description = "hero-client's application (client) id."
  value       = azuread_application.client.client_id
}

output "client_secret" {
  description = "hero-client's client secret."
  value       = azuread_application_password.client.value
  sensitive   = true
}

output "redirect_uri" {
  description = "hero-client's registered redirect URI."
  value       = local.client_redirect_uri
}

output "client_scopes" {
  description = "What hero-client asks for (its SCOPES setting): Microsoft Graph's openid, profile and offline_access, and every Heroes scope."
  value = join(" ", concat(
    keys(local.microsoft_graph_scopes),
    [for name in keys(local.heroes_permissions) : "api://${azuread_application.api.client_id}/${name}"],
  ))
}

# For the GitHub repository variables the deploy workflow reads.

output "deploy_client_id" {
  description = "The client id the deploy workflow signs in with (federated credential, no secret)."
  value       = azuread_application_registration.github_deploy.client_id
}

output "subscription_id" {
  description = "The Azure subscription."
  value       = var.subscription_id
}

output "resource_group_name" {
  description = "The resource group."
  value       = azurerm_resource_group.hvalfangst.name
}

output "container_registry_name" {
  description = "The container registry the workflow pushes the image to (the final name, with its random suffix)."
  value       = azurerm_container_registry.hvalfangst.name
}

output "webapp_name" {
  description = "The web app the workflow deploys to (the final name, with its random suffix)."
  value       = azurerm_linux_web_app.hero_server.name
}

output "github_repository" {
  description = "The repository whose production environment may deploy."
  value       = var.github_repository
}

output "github_repository_variables" {
  description = "The repository variables .github/workflows/deploy.yml reads (Settings > Secrets and variables > Actions > Variables)."
  value = {
    AZURE_CLIENT_ID          = azuread_application_registration.github_deploy.client_id
    AZURE_TENANT_ID          = var.tenant_id
    AZURE_SUBSCRIPTION_ID    = var.subscription_id
    AZURE_RESOURCE_GROUP     = azurerm_resource_group.hvalfangst.name
    AZURE_CONTAINER_REGISTRY = azurerm_container_registry.hvalfangst.name
    AZURE_WEBAPP_NAME        = azurerm_linux_web_app.hero_server.name
  }
}

# For up.sh, which makes the web app's identity a database role (storage = "postgres"; null
# with SQLite). Names and ids only: nothing here lets anyone sign in.
output "postgres" {
  description = "The PostgreSQL server, its database, the Entra administrator to sign in as, and the role (name and Entra object id) of the web app's identity; null when storage is sqlite."
  value = local.use_postgres ? {
    server_name      = azurerm_postgresql_flexible_server.heroes[0].name
    server_fqdn      = azurerm_postgresql_flexible_server.heroes[0].fqdn
    database         = azurerm_postgresql_flexible_server_database.heroes[0].name
    admin_name       = azurerm_postgresql_flexible_server_active_directory_administrator.heroes[0].principal_name
    app_role         = azurerm_user_assigned_identity.hero_server.name
    app_principal_id = azurerm_user_assigned_identity.hero_server.principal_id
    resource_group   = azurerm_resource_group.hvalfangst.name
  } : null
}
