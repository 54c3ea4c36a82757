# hero-server on Azure App Service: a resource group, a container registry for its image, a
# Linux plan (B1) and a web app that runs the image. The heroes live in PostgreSQL
# (postgres.tf, two instances) or, with storage = "sqlite", in a file on App Service's
# persistent /home share (one instance).

locals {
  tags = {
    project = "hvalfangst-heroes"
  }

  # The Heroes database with storage = "sqlite": /home is the only storage of a Linux web app that survives restarts
  # and redeploys (WEBSITES_ENABLE_APP_SERVICE_STORAGE=true mounts it into the container).
  # It is an SMB network share, where SQLite's WAL mode is unsafe: WAL keeps its index in
  # shared memory, which a network file system cannot share. So hero-server uses a rollback
  # journal there (HVALFANGST_DB_JOURNAL_MODE=delete). See README, "Storage notes".
  database_path = "/home/data/heroes.sqlite"

  common_app_settings = {
    # hero-server's settings (README, "Run the Heroes API") that do not depend on the storage.
    HVALFANGST_TENANT_ID            = var.tenant_id
    HVALFANGST_API_SERVER_CLIENT_ID = azuread_application.api.client_id

    # App Service's: the port the container listens on (the image already binds 0.0.0.0),
    # and mount the persistent /home share into the container (the SQLite file; with
    # PostgreSQL it stays mounted, so that switching storage back finds the old file).
    WEBSITES_PORT                       = "8080"
    WEBSITES_ENABLE_APP_SERVICE_STORAGE = "true"
  }

  # hero-server's settings for each storage (README, "Run the Heroes API"). PostgreSQL: no
  # password anywhere. The web app signs in as its user-assigned identity, whose role up.sh
  # creates under the identity's name; the password is an Entra access token that hero-server
  # takes from App Service's managed-identity endpoint for that identity's client id, and
  # sslmode=require because the token must only travel over TLS.
  # (try(): in SQLite mode the server does not exist, and this entry is not used.)
  storage_app_settings = {
    postgres = {
      HVALFANGST_DATABASE_URL               = "postgres://${azurerm_user_assigned_identity.hero_server.name}@${try(azurerm_postgresql_flexible_server.heroes[0].fqdn, "")}:5432/${local.postgres_database}?sslmode=require"
      HVALFANGST_DATABASE_AUTH              = "entra"
      HVALFANGST_MANAGED_IDENTITY_CLIENT_ID = azurerm_user_assigned_identity.hero_server.client_id
    }
    sqlite = {
      HVALFANGST_DB_PATH         = local.database_path
      HVALFANGST_DB_JOURNAL_MODE = "delete"
    }
  }

  # Web app instances: PostgreSQL serves any number, so two (one can fail or restart while the
  # other answers); SQLite on the /home share must have exactly one writer.
  instance_count = {
    postgres = 2
    sqlite   = 1
  }
}

resource "azurerm_resource_group" "hvalfangst" {
  name     = var.resource_group_name
  location = var.location
  tags     = local.tags
}

# The registry the deploy workflow pushes the image into (built on GitHub's runner, so ACR
# Tasks are not needed). Basic is the cheapest tier and has everything used here; the checks
# it fails need Premium (see the skips).
resource "azurerm_container_registry" "hvalfangst" {
  #checkov:skip=CKV_AZURE_139:Closing public access needs the Premium tier, plus private endpoints so that the web app can still pull and GitHub's runners can still push.
  #checkov:skip=CKV_AZURE_163:checkov takes the Standard tier as a sign of scanning, but Standard scans nothing by itself; scanning is Microsoft Defender for Containers, a paid plan turned on per subscription.
  #checkov:skip=CKV_AZURE_164:Content trust (signed images) needs the Premium tier; images only come from our own deploy workflow, pushed with its Entra identity (AcrPush).
  #checkov:skip=CKV_AZURE_165:Geo-replication needs the Premium tier; one region is enough for a single web app.
  #checkov:skip=CKV_AZURE_166:Quarantine needs the Premium tier and an external scanner to release images.
  #checkov:skip=CKV_AZURE_167:A retention policy for untagged manifests needs the Premium tier.
  #checkov:skip=CKV_AZURE_233:Zone redundancy needs the Premium tier.
  #checkov:skip=CKV_AZURE_237:Dedicated data endpoints need the Premium tier.
  name                = local.container_registry_name
  resource_group_name = azurerm_resource_group.hvalfangst.name
  location            = azurerm_resource_group.hvalfangst.location
  sku                 = "Basic"

  # No shared admin password: the web app pulls with its managed identity and the deploy
  # workflow pushes with its Entra identity (github_deploy.tf).
  admin_enabled = false

  tags = local.tags
}

# The web app's identity, for pulling images and (storage = "postgres") for signing in to
# the database. A user-assigned identity exists before the web app, so its AcrPull role is in
# place when the web app first pulls. (A system-assigned identity only exists once the web
# app does, so the first pull would race its role.)
resource "azurerm_user_assigned_identity" "hero_server" {
  name                = "${local.webapp_name}-identity"
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
  #checkov:skip=CKV_AZURE_225:Zone redundancy needs Premium v2/v3 and at least three instances; B1 is chosen for cost.
  name                = var.azurerm_service_plan_name
  resource_group_name = azurerm_resource_group.hvalfangst.name
  location            = azurerm_resource_group.hvalfangst.location
  os_type             = "Linux"
  sku_name            = "B1"

  # Two instances with PostgreSQL; one with SQLite, which on a network share takes one
  # writer. No autoscale (Basic has none). (checkov's CKV_AZURE_212, at least two instances,
  # sees the default storage; with storage = "sqlite" the one instance is on purpose.)
  worker_count = local.instance_count[var.storage]

  tags = local.tags
}

resource "azurerm_linux_web_app" "hero_server" {
  #checkov:skip=CKV_AZURE_13:App Service Authentication would sit in front of the API; hero-server validates Entra access tokens itself (signature, issuer, audience, scopes), which is what this project teaches.
  #checkov:skip=CKV_AZURE_17:Callers prove who they are with Entra bearer tokens, which hero-server checks; a client certificate would add nothing that anything checks.
  #checkov:skip=CKV_AZURE_65:Detailed error messages are an IIS (Windows) feature; hero-server answers problem+json and logs to the container output.
  #checkov:skip=CKV_AZURE_66:Failed request tracing is an IIS (Windows) feature; it does nothing for a Linux container.
  #checkov:skip=CKV_AZURE_88:The heroes live in PostgreSQL, or (storage = "sqlite") on /home, App Service's own persistent share; a mounted Azure Files share would be the same kind of SMB storage plus a storage account and key to manage.
  #checkov:skip=CKV_AZURE_222:The Heroes API is public on purpose: hero-client calls it from the user's machine. Every /api route demands an Entra access token.
  name                = local.webapp_name
  resource_group_name = azurerm_resource_group.hvalfangst.name
  location            = azurerm_service_plan.hvalfangst.location
  service_plan_id     = azurerm_service_plan.hvalfangst.id

  https_only                    = true
  public_network_access_enabled = true
  client_affinity_enabled       = false # no sticky sessions: any instance answers any request

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
      # A placeholder until the first deploy: the workflow pushes hero-server:<commit> and
      # points the web app at it (`az webapp config container set`); Terraform ignores that
      # change (lifecycle below), so a later apply never rolls the image back.
      docker_image_name   = "hero-server:latest"
      docker_registry_url = "https://${azurerm_container_registry.hvalfangst.login_server}"
    }
  }

  # The settings of every storage, then those of the chosen one (locals above).
  app_settings = merge(local.common_app_settings, local.storage_app_settings[var.storage])

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
