# hero-server on Azure App Service: a resource group, a container registry for its image, a
# Linux plan (B1) and a web app that runs the image with the database on App Service's
# persistent /home share.

locals {
  tags = {
    project = "hvalfangst-heroes"
  }

  # The Heroes database: /home is the only storage of a Linux web app that survives restarts
  # and redeploys (WEBSITES_ENABLE_APP_SERVICE_STORAGE=true mounts it into the container).
  # It is an SMB network share, where SQLite's WAL mode is unsafe: WAL keeps its index in
  # shared memory, which a network file system cannot share. So hero-server uses a rollback
  # journal there (HVALFANGST_DB_JOURNAL_MODE=delete). See README, "Storage notes".
  database_path = "/home/data/heroes.sqlite"
}

resource "azurerm_resource_group" "hvalfangst" {
  name     = var.resource_group_name
  location = var.location
  tags     = local.tags
}

# The registry the deploy workflow builds into (`az acr build`). Basic is the cheapest tier
# and has everything used here; the checks it fails need Premium (see the skips).
resource "azurerm_container_registry" "hvalfangst" {
  #checkov:skip=CKV_AZURE_139:Closing public access needs the Premium tier, plus private endpoints so that the web app can still pull and GitHub's runners can still build.
  #checkov:skip=CKV_AZURE_163:checkov takes the Standard tier as a sign of scanning, but Standard scans nothing by itself; scanning is Microsoft Defender for Containers, a paid plan turned on per subscription.
  #checkov:skip=CKV_AZURE_164:Content trust (signed images) needs the Premium tier; images only come from our own `az acr build`.
  #checkov:skip=CKV_AZURE_165:Geo-replication needs the Premium tier; one region is enough for a single web app.
  #checkov:skip=CKV_AZURE_166:Quarantine needs the Premium tier and an external scanner to release images.
  #checkov:skip=CKV_AZURE_167:A retention policy for untagged manifests needs the Premium tier.
  #checkov:skip=CKV_AZURE_233:Zone redundancy needs the Premium tier.
  #checkov:skip=CKV_AZURE_237:Dedicated data endpoints need the Premium tier.
  name                = var.container_registry_name
  resource_group_name = azurerm_resource_group.hvalfangst.name
  location            = azurerm_resource_group.hvalfangst.location
  sku                 = "Basic"

  # No shared admin password: the web app pulls with its managed identity and the deploy
  # workflow builds with its Entra identity (github_deploy.tf).
  admin_enabled = false

  tags = local.tags
}

# The web app's identity for pulling images. A user-assigned identity exists before the web
# app, so its AcrPull role is in place when the web app first pulls. (A system-assigned
# identity only exists once the web app does, so the first pull would race its role.)
resource "azurerm_user_assigned_identity" "hero_server" {
  name                = "${var.azurerm_linux_web_app_name}-identity"
  resource_group_name = azurerm_resource_group.hvalfangst.name
  location            = azurerm_resource_group.hvalfangst.location
  tags                = local.tags
}

resource "azurerm_role_assignment" "hero_server_acr_pull" {
  scope                = azurerm_container_registry.hvalfangst.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.hero_server.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_service_plan" "hvalfangst" {
  #checkov:skip=CKV_AZURE_211:B1 is chosen for cost: this is a teaching deployment, not a production service.
  #checkov:skip=CKV_AZURE_212:Exactly one instance on purpose: SQLite on the /home share must have a single writer.
  #checkov:skip=CKV_AZURE_225:Zone redundancy needs Premium v2/v3 and at least three instances; the database allows one.
  name                = var.azurerm_service_plan_name
  resource_group_name = azurerm_resource_group.hvalfangst.name
  location            = azurerm_resource_group.hvalfangst.location
  os_type             = "Linux"
  sku_name            = "B1"

  # One instance and no scale-out: SQLite on a network share takes one writer.
  worker_count = 1

  tags = local.tags
}

resource "azurerm_linux_web_app" "hero_server" {
  #checkov:skip=CKV_AZURE_13:App Service Authentication would sit in front of the API; hero-server validates Entra access tokens itself (signature, issuer, audience, scopes), which is what this project teaches.
  #checkov:skip=CKV_AZURE_17:Callers prove who they are with Entra bearer tokens, which hero-server checks; a client certificate would add nothing that anything checks.
  #checkov:skip=CKV_AZURE_65:Detailed error messages are an IIS (Windows) feature; hero-server answers problem+json and logs to the container output.
  #checkov:skip=CKV_AZURE_66:Failed request tracing is an IIS (Windows) feature; it does nothing for a Linux container.
  #checkov:skip=CKV_AZURE_88:The database lives on /home, App Service's own persistent share; a mounted Azure Files share would be the same kind of SMB storage plus a storage account and key to manage.
  #checkov:skip=CKV_AZURE_222:The Heroes API is public on purpose: hero-client calls it from the user's machine. Every /api route demands an Entra access token.
  name                = var.azurerm_linux_web_app_name
  resource_group_name = azurerm_resource_group.hvalfangst.name
  location            = azurerm_service_plan.hvalfangst.location
  service_plan_id     = azurerm_service_plan.hvalfangst.id

  https_only                    = true
  public_network_access_enabled = true
  client_affinity_enabled       = false # one instance; no sticky-session cookie needed

  # No publishing passwords: new images arrive through the registry, never by FTP or Web Deploy.
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.hero_server.id]
  }

  site_config {
    always_on           = true
    http2_enabled       = true
    minimum_tls_version = "1.2"
    ftps_state          = "Disabled"

    # App Service asks this path every minute and marks the instance unhealthy after five
    # minutes of failures (shown in the portal's Health check; an instance that stays
    # unhealthy is eventually replaced).
    health_check_path                 = "/healthz"
    health_check_eviction_time_in_min = 5

    # Pull from the registry with the user-assigned identity (AcrPull above), not a password.
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.hero_server.client_id

    application_stack {
      # A placeholder until the first deploy: the workflow builds hero-server:<commit> and
      # points the web app at it (`az webapp config container set`); Terraform ignores that
      # change (lifecycle below), so a later apply never rolls the image back.
      docker_image_name   = "hero-server:latest"
      docker_registry_url = "https://${azurerm_container_registry.hvalfangst.login_server}"
    }
  }

  app_settings = {
    # hero-server's settings (README, "Run the Heroes API").
    HVALFANGST_TENANT_ID            = var.tenant_id
    HVALFANGST_API_SERVER_CLIENT_ID = azuread_application.api.client_id
    HVALFANGST_DB_PATH              = local.database_path
    HVALFANGST_DB_JOURNAL_MODE      = "delete"

    # App Service's: the port the container listens on (the image already binds 0.0.0.0),
    # and mount the persistent /home share into the container.
    WEBSITES_PORT                       = "8080"
    WEBSITES_ENABLE_APP_SERVICE_STORAGE = "true"
  }

  logs {
    # The container's output (hero-server logs there) and the HTTP log, on the file system,
    # kept a week and at most 35 MB. `az webapp log tail` shows them live.
    http_logs {
      file_system {
        retention_in_days = 7
        retention_in_mb   = 35
      }
    }
  }

  tags = local.tags

  lifecycle {
    ignore_changes = [
      site_config[0].application_stack[0].docker_image_name,
    ]
  }

  # The identity must be allowed to pull before the web app first tries.
  depends_on = [azurerm_role_assignment.hero_server_acr_pull]
}
