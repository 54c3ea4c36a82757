# The three names that are global across Azure: the registry (<name>.azurecr.io), the web app
# (<name>.azurewebsites.net) and the PostgreSQL server (<name>.postgres.database.azure.com).
# A fixed default would be taken by the first learner who deployed it, so each deployment gets
# a random suffix, made on the first apply and kept in the state (a later apply keeps the
# names). A name set in terraform.tfvars wins. The outputs carry the final names to up.sh,
# write-env-oauth.sh and the GitHub repository variables.

resource "random_string" "name_suffix" {
  length  = 6
  upper   = false
  special = false
}

locals {
  container_registry_name = coalesce(var.container_registry_name, "hvalfangst${random_string.name_suffix.result}")
  webapp_name             = coalesce(var.azurerm_linux_web_app_name, "hvalfangst-${random_string.name_suffix.result}")
  postgres_server_name    = coalesce(var.postgres_server_name, "hvalfangst-${random_string.name_suffix.result}")
}
