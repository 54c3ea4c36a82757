# The heroes in Azure Database for PostgreSQL (storage = "postgres", the default): a flexible
# server that accepts only Entra ID sign-ins over TLS, the database `heroes`, an Entra
# administrator, and a firewall rule that lets Azure services (the web app) in. The web app
# signs in as its user-assigned managed identity, with an Entra access token as the password
# (app_service.tf); up.sh then makes that identity a database role with the privileges the
# app needs (README, "Deploy to Azure"). With storage = "sqlite" none of this exists.
#
# Network access: a firewall rule for Azure services (0.0.0.0), not VNet integration with a
# private endpoint. Why:
# - Cost and parts: the rule is free and one resource. The private variant needs a virtual
#   network, a subnet for the web app's VNet integration (the B1 plan is Basic, which has it),
#   a private endpoint (about USD 7 a month plus traffic) and a private DNS zone linked to the
#   network, and the server's public access turned off.
# - up.sh: the role of the web app's identity is created with psql from the deploying
#   machine. Behind a private endpoint that machine cannot reach the server at all (it would
#   need a VPN, a jump host or a container in the network); with the firewall, up.sh opens a
#   rule for its own address for the few seconds it needs and removes it again.
# - What it gives away: "Azure services" means any Azure customer's resources, not only this
#   web app, can open a TCP connection to the server. Signing in still needs an Entra token
#   for a role that exists in this server (password sign-in is off), and the connection is
#   TLS. Where network isolation is required, switch to the private endpoint variant.

locals {
  use_postgres = var.storage == "postgres"

  # The database hero-server keeps its tables in (its migrations create them at start).
  postgres_database = "heroes"

  # The Entra administrator: the user who runs Terraform, or the group named in
  # var.postgres_admin_group. Its name is the role to sign in as (up.sh does).
  postgres_admin_is_group = var.postgres_admin_group != null
}

# The deploying user's sign-in name (the administrator's role name), when no group is named.
data "azuread_user" "postgres_admin" {
  count     = local.use_postgres && !local.postgres_admin_is_group ? 1 : 0
  object_id = data.azuread_client_config.current.object_id
}

data "azuread_group" "postgres_admin" {
  count            = local.use_postgres && local.postgres_admin_is_group ? 1 : 0
  display_name     = var.postgres_admin_group
  security_enabled = true
}

resource "azurerm_postgresql_flexible_server" "heroes" {
  #checkov:skip=CKV_AZURE_136:Geo-redundant backups double the backup storage and need a paired region; the locally redundant backups (7 days, point-in-time restore) are enough for a teaching deployment.
  #checkov:skip=CKV2_AZURE_57:No private endpoint on purpose: the firewall admits Azure services only, and sign-in needs an Entra token (password sign-in is off); see the comment at the top of this file for the cost and up.sh reasons.
  count               = local.use_postgres ? 1 : 0
  name                = local.postgres_server_name
  resource_group_name = azurerm_resource_group.hvalfangst.name
  location            = azurerm_resource_group.hvalfangst.location

  # Burstable B1ms (1 vCore, 2 GiB), the cheapest size, and 32 GiB of storage, the least.
  sku_name   = "B_Standard_B1ms"
  version    = "16"
  storage_mb = 32768

  backup_retention_days        = 7
  geo_redundant_backup_enabled = false

  # Reachable at its public address, but only through the firewall rules below (none but
  # Azure services, and up.sh's own address while it runs).
  public_network_access_enabled = true

  # Entra ID sign-ins only: no administrator password exists, so none can leak.
  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = var.tenant_id
  }

  tags = local.tags

  lifecycle {
    # Azure picks the availability zone when none is given; do not move the server back.
    ignore_changes = [zone]
  }
}

# TLS is required: require_secure_transport is on by default on a flexible server (with TLS
# 1.2 or later). It is written here anyway, so that it cannot be turned off in the portal
# without the next apply turning it back on, and so that the contract test can see it. The
# access token travels as the password: only TLS protects it.
resource "azurerm_postgresql_flexible_server_configuration" "require_secure_transport" {
  count     = local.use_postgres ? 1 : 0
  name      = "require_secure_transport"
  server_id = azurerm_postgresql_flexible_server.heroes[0].id
  value     = "on"
}

resource "azurerm_postgresql_flexible_server_database" "heroes" {
  count     = local.use_postgres ? 1 : 0
  name      = local.postgres_database
  server_id = azurerm_postgresql_flexible_server.heroes[0].id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_postgresql_flexible_server_active_directory_administrator" "heroes" {
  count               = local.use_postgres ? 1 : 0
  server_name         = azurerm_postgresql_flexible_server.heroes[0].name
  resource_group_name = azurerm_resource_group.hvalfangst.name
  tenant_id           = var.tenant_id
  object_id           = local.postgres_admin_is_group ? data.azuread_group.postgres_admin[0].object_id : data.azuread_client_config.current.object_id
  principal_name      = local.postgres_admin_is_group ? data.azuread_group.postgres_admin[0].display_name : data.azuread_user.postgres_admin[0].user_principal_name
  principal_type      = local.postgres_admin_is_group ? "Group" : "User"
}

# 0.0.0.0 to 0.0.0.0 is Azure's notation for "connections from Azure services", which is how
# the web app's outbound traffic arrives (see the top of this file for why not a private
# endpoint).
resource "azurerm_postgresql_flexible_server_firewall_rule" "azure_services" {
  #checkov:skip=CKV2_AZURE_26:Admitting Azure services is the network choice of this deployment (see the top of this file): the web app's outbound addresses are shared and may change, and a private endpoint costs money and keeps up.sh out. Sign-in needs an Entra token for a role of this server, over TLS.
  count            = local.use_postgres ? 1 : 0
  name             = "AllowAzureServices"
  server_id        = azurerm_postgresql_flexible_server.heroes[0].id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}
