# The two app registrations of README's "Use your own Entra tenant", as code: the Heroes API
# (what hero-server accepts tokens for) and hero-client (the confidential client that signs
# users in and calls the API). infra/contract.json lists the names the Swift code relies on;
# infra/tests/test_contract.py checks that this file declares them.

locals {
  # The Heroes API's permissions. Each is published twice under the same name: as a delegated
  # scope (the `scp` claim, when a user signs in through a client) and as an app role for
  # applications (the `roles` claim, with client credentials). hero-server accepts either.
  #
  # Entra lets a scope and an app role share a value only when they also share the id, the
  # display name, the description and the enabled flag; so both blocks below take all four
  # from this one map and one random_uuid per permission.
  heroes_permissions = {
    "Heroes.Read" = {
      display_name = "Read heroes"
      description  = "Read the list of heroes and single heroes in the Heroes API."
    }
    "Heroes.Write" = {
      display_name = "Create and update heroes"
      description  = "Create heroes and replace existing ones in the Heroes API."
    }
    "Heroes.Delete" = {
      display_name = "Delete heroes"
      description  = "Delete heroes from the Heroes API."
    }
  }

  # hero-client's redirect URI: it serves /auth/callback on localhost:8000.
  client_redirect_uri = "http://localhost:8000/auth/callback"

  # Microsoft Graph's well-known ids: its application id and its OpenID Connect scopes, which
  # hero-client requests besides the Heroes scopes. The same in every tenant; check with
  # `az ad sp show --id 00000003-0000-0000-c000-000000000000 --query "oauth2PermissionScopes[?value=='openid'].id"`.
  microsoft_graph_app_id = "00000003-0000-0000-c000-000000000000"
  microsoft_graph_scopes = {
    openid         = "37f7f235-527c-4136-accd-4a02d197296e"
    profile        = "14dad69e-099b-42c9-810b-d002981feec1"
    offline_access = "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"
  }
}

# A scope's or role's id must never change once clients use it; random_uuid makes one on the
# first apply and keeps it in the state.
resource "random_uuid" "heroes_permission" {
  for_each = local.heroes_permissions
}

# --- The Heroes API -------------------------------------------------------------------------

resource "azuread_application" "api" {
  display_name     = "${var.entra_display_name_prefix} API"
  sign_in_audience = "AzureADMyOrg"
  owners           = [data.azuread_client_config.current.object_id]

  api {
    # v2 access tokens: `iss` is https://login.microsoftonline.com/<tenant>/v2.0 and `aud` is
    # the API's client id. (A new registration defaults to v1.)
    requested_access_token_version = 2

    dynamic "oauth2_permission_scope" {
      for_each = local.heroes_permissions
      content {
        id                         = random_uuid.heroes_permission[oauth2_permission_scope.key].result
        value                      = oauth2_permission_scope.key
        type                       = "User" # users may consent for themselves
        enabled                    = true
        admin_consent_display_name = oauth2_permission_scope.value.display_name
        admin_consent_description  = oauth2_permission_scope.value.description
        user_consent_display_name  = oauth2_permission_scope.value.display_name
        user_consent_description   = oauth2_permission_scope.value.description
      }
    }
  }

  dynamic "app_role" {
    for_each = local.heroes_permissions
    content {
      id                   = random_uuid.heroes_permission[app_role.key].result
      value                = app_role.key
      allowed_member_types = ["Application"]
      enabled              = true
      display_name         = app_role.value.display_name
      description          = app_role.value.description
    }
  }

  # The identifier URI is api://<this application's client id>, which exists only once the
  # application does: a resource cannot name its own attribute. So the URI is its own
  # resource below (azuread_application_identifier_uri), and this resource leaves the
  # attribute alone, as the azuread provider's documentation describes.
  lifecycle {
    ignore_changes = [identifier_uris]
  }
}

resource "azuread_application_identifier_uri" "api" {
  application_id = azuread_application.api.id
  identifier_uri = "api://${azuread_application.api.client_id}"
}

# The API's service principal (its "enterprise application"): without one in the tenant, Entra
# refuses to issue tokens for the API.
resource "azuread_service_principal" "api" {
  client_id = azuread_application.api.client_id
  owners    = [data.azuread_client_config.current.object_id]
}

# --- hero-client ----------------------------------------------------------------------------

resource "azuread_application" "client" {
  display_name     = "${var.entra_display_name_prefix} client"
  sign_in_audience = "AzureADMyOrg"
  owners           = [data.azuread_client_config.current.object_id]

  # A confidential web client: the authorization code comes back to this URI and is redeemed
  # with the client secret below. No implicit grant.
  web {
    redirect_uris = [local.client_redirect_uri]

    implicit_grant {
      access_token_issuance_enabled = false
      id_token_issuance_enabled     = false
    }
  }

  # The permissions hero-client asks for (its SCOPES setting): the three Heroes scopes...
  required_resource_access {
    resource_app_id = azuread_application.api.client_id

    dynamic "resource_access" {
      for_each = local.heroes_permissions
      content {
        id   = random_uuid.heroes_permission[resource_access.key].result
        type = "Scope"
      }
    }
  }

  # ...and Microsoft Graph's openid, profile and offline_access (sign-in, name, refresh token).
  required_resource_access {
    resource_app_id = local.microsoft_graph_app_id

    dynamic "resource_access" {
      for_each = local.microsoft_graph_scopes
      content {
        id   = resource_access.value
        type = "Scope"
      }
    }
  }
}

resource "azuread_service_principal" "client" {
  client_id = azuread_application.client.client_id
  owners    = [data.azuread_client_config.current.object_id]
}

# The client secret hero-client redeems codes with. Entra generates it; it is only in the
# Terraform state and in the sensitive output client_secret (infra/write-env-oauth.sh writes
# it to .env_oauth). It expires after Entra's default two years; `terraform apply
# -replace=azuread_application_password.client` makes a new one.
resource "azuread_application_password" "client" {
  application_id = azuread_application.client.id
  display_name   = "hero-client (Terraform)"
}

# Pre-authorize hero-client for the Heroes scopes: the API trusts this client, so a user
# signing in is not asked to consent to Heroes.Read, Heroes.Write and Heroes.Delete (only,
# the first time, to Microsoft Graph's sign-in permissions, unless an admin consented).
resource "azuread_application_pre_authorized" "client" {
  application_id       = azuread_application.api.id
  authorized_client_id = azuread_application.client.client_id
  permission_ids       = [for permission in random_uuid.heroes_permission : permission.result]
}
