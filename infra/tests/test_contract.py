"""The Terraform must declare what the Swift code relies on.

infra/contract.json names the Heroes scopes and app roles, hero-client's redirect URI, and the
settings of hero-server (serverSettings: the common and SQLite ones; postgresServerSettings:
those of storage = "postgres") and hero-client. These tests parse infra/*.tf with python-hcl2 (and
read infra/write-env-oauth.sh, the Dockerfile and the deploy workflow) and check that the
infrastructure declares exactly those, so the code and the deployment cannot drift apart.

Run: python -m unittest discover -s infra/tests   (scripts/lint-infra.sh does, in a venv)

python-hcl2 returns blocks as lists of dicts and keeps expressions as "${...}" strings; the
helpers below expand `dynamic` blocks over `local` maps and resolve `${local.name}`, which is
all this configuration needs. Anything else stays an expression string, compared as text.
"""

import json
import pathlib
import re
import unittest

import hcl2

INFRA = pathlib.Path(__file__).resolve().parent.parent
REPOSITORY = INFRA.parent

# Microsoft Graph's application id and the ids of its OpenID Connect scopes: the same in every
# tenant (Graph's service principal lists them under oauth2PermissionScopes).
MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
MICROSOFT_GRAPH_SCOPE_IDS = {
    "openid": "37f7f235-527c-4136-accd-4a02d197296e",
    "profile": "14dad69e-099b-42c9-810b-d002981feec1",
    "offline_access": "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
}


def load_terraform(folder):
    """All top-level blocks of the folder's .tf files, merged: resources and data sources as
    {type: {name: body}}, locals, outputs and variables as {name: value}, providers as
    {name: body}."""
    resources, data, locals_, outputs, variables, providers = {}, {}, {}, {}, {}, {}
    files = sorted(folder.glob("*.tf"))
    if not files:
        raise AssertionError(f"no .tf files in {folder}")
    for path in files:
        with path.open() as file:
            document = hcl2.load(file)
        for key, collection in (("resource", resources), ("data", data)):
            for block in document.get(key, []):
                for kind, named in block.items():
                    for name, body in named.items():
                        if name in collection.setdefault(kind, {}):
                            raise AssertionError(f"{key} {kind}.{name} is declared twice")
                        collection[kind][name] = body
        for block in document.get("locals", []):
            locals_.update(block)
        for block in document.get("output", []):
            outputs.update(block)
        for block in document.get("variable", []):
            variables.update(block)
        for block in document.get("provider", []):
            providers.update(block)
    return resources, data, locals_, outputs, variables, providers


def interpolation(value):
    """The expression inside a string that is exactly one "${...}", else None."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1]
    return None


class Terraform:
    """The parsed configuration, with the little evaluation the checks need."""

    def __init__(self, folder):
        self.resources, self.data, self.locals, self.outputs, self.variables, self.providers = load_terraform(folder)

    def resource(self, kind, name):
        try:
            return self.resources[kind][name]
        except KeyError:
            raise AssertionError(f"infra/ declares no {kind}.{name}") from None

    def data_source(self, kind, name):
        try:
            return self.data[kind][name]
        except KeyError:
            raise AssertionError(f"infra/ declares no data.{kind}.{name}") from None

    def render(self, value):
        """A string with every `${local.name}` inside it replaced by that local, when the
        local is a plain string or number; other expressions stay as they are."""
        if not isinstance(value, str):
            return value

        def local(match):
            found = self.locals.get(match.group(1))
            return str(found) if isinstance(found, (str, int)) and not isinstance(found, bool) else match.group(0)

        return re.sub(r"\$\{local\.([A-Za-z0-9_]+)\}", local, value)

    def resolve(self, value):
        """`${local.name}` (possibly nested, e.g. ${local.a.b}) becomes its value; anything
        else is returned as it is."""
        expression = interpolation(value)
        if expression and re.fullmatch(r"local(\.[A-Za-z0-9_]+)+", expression):
            result = self.locals
            for part in expression.split(".")[1:]:
                result = result[part]
            return result
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value

    def blocks(self, body, name):
        """The blocks called `name` in body: the literal ones, then those a `dynamic "name"`
        block makes, one per element of its for_each (which must be a local map)."""
        result = list(body.get(name, []))
        for dynamic in body.get("dynamic", []):
            if name not in dynamic:
                continue
            spec = dynamic[name]
            collection = self.resolve(spec["for_each"])
            if not isinstance(collection, dict):
                raise AssertionError(f'dynamic "{name}" must iterate over a local map, not {spec["for_each"]!r}')
            iterator = interpolation(spec.get("iterator")) or spec.get("iterator") or name
            for key, value in collection.items():
                for content in spec["content"]:
                    result.append(substitute(content, iterator, key, value))
        return result


def substitute(node, iterator, key, value):
    """A dynamic block's content for one element: `it.key` and `it.value[.field]` replaced."""
    if isinstance(node, dict):
        return {name: substitute(item, iterator, key, value) for name, item in node.items()}
    if isinstance(node, list):
        return [substitute(item, iterator, key, value) for item in node]
    expression = interpolation(node)
    if expression is None:
        return node
    if expression == f"{iterator}.key":
        return key
    if expression == f"{iterator}.value":
        return value
    field = re.fullmatch(rf"{re.escape(iterator)}\.value\.([A-Za-z0-9_]+)", expression)
    if field:
        return value[field.group(1)]
    # Inside a longer expression, the key becomes a string literal:
    # random_uuid.x[it.key].result -> random_uuid.x["Heroes.Read"].result
    return "${" + re.sub(rf"\b{re.escape(iterator)}\.key\b", json.dumps(key), expression) + "}"


# The storages the web app can be deployed with (variable "storage").
STORAGES = ("postgres", "sqlite")

# The one `count` every PostgreSQL resource has: it exists with storage = "postgres" only.
POSTGRES_ONLY = "${local.use_postgres ? 1 : 0}"

# Names and values that must not appear among the app settings: no password, secret or key.
PASSWORD_LIKE = re.compile(r"PASSWORD|PASSWD|PWD|SECRET|PGPASS|_KEY\b|TOKEN", re.IGNORECASE)


def single(items, what):
    if len(items) != 1:
        raise AssertionError(f"expected exactly one {what}, found {len(items)}")
    return items[0]


class ContractTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.contract = json.loads((INFRA / "contract.json").read_text())
        cls.tf = Terraform(INFRA)
        cls.api = cls.tf.resource("azuread_application", "api")
        cls.client = cls.tf.resource("azuread_application", "client")
        cls.webapp = cls.tf.resource("azurerm_linux_web_app", "hero_server")

    # --- the contract file itself (a Swift test reads it too) ---------------------------------

    def test_contract_file_has_the_agreed_shape(self):
        self.assertEqual(
            set(self.contract),
            {"scopes", "appRoles", "redirectURI", "serverSettings", "postgresServerSettings", "clientSettings"},
        )
        for key in ("scopes", "appRoles", "serverSettings", "postgresServerSettings", "clientSettings"):
            self.assertIsInstance(self.contract[key], list, key)
            self.assertTrue(all(isinstance(item, str) and item for item in self.contract[key]), key)
            self.assertEqual(len(set(self.contract[key])), len(self.contract[key]), f"{key} has duplicates")
        self.assertIsInstance(self.contract["redirectURI"], str)

    # --- the Heroes API -------------------------------------------------------------------------

    def api_scopes(self):
        api_block = single(self.api.get("api", []), "api block in azuread_application.api")
        return self.tf.blocks(api_block, "oauth2_permission_scope")

    def api_roles(self):
        return self.tf.blocks(self.api, "app_role")

    def test_api_declares_exactly_the_contract_scopes(self):
        scopes = self.api_scopes()
        values = [scope.get("value") for scope in scopes]
        self.assertCountEqual(values, self.contract["scopes"])
        for scope in scopes:
            self.assertIs(scope.get("enabled", True), True, scope["value"])
            self.assertIn(scope.get("type", "User"), {"User", "Admin"}, scope["value"])
            self.assertTrue(interpolation(scope.get("id")), f"{scope['value']}: id must come from random_uuid, not be typed in")

    def test_api_declares_exactly_the_contract_app_roles_for_applications(self):
        roles = self.api_roles()
        self.assertCountEqual([role.get("value") for role in roles], self.contract["appRoles"])
        for role in roles:
            self.assertEqual(role.get("allowed_member_types"), ["Application"], role["value"])
            self.assertIs(role.get("enabled", True), True, role["value"])

    def test_scope_and_app_role_of_one_name_agree_as_entra_requires(self):
        # Entra accepts a scope and an app role with the same value only when their id,
        # display name, description and enabled flag are the same.
        scopes = {scope["value"]: scope for scope in self.api_scopes()}
        for role in self.api_roles():
            scope = scopes.get(role["value"])
            if scope is None:
                continue
            self.assertEqual(scope["id"], role["id"], role["value"])
            self.assertEqual(scope["admin_consent_display_name"], role["display_name"], role["value"])
            self.assertEqual(scope["admin_consent_description"], role["description"], role["value"])
            self.assertEqual(scope.get("enabled", True), role.get("enabled", True), role["value"])
        ids = [scope["id"] for scope in scopes.values()]
        self.assertEqual(len(set(ids)), len(ids), "two scopes share an id")

    def test_api_asks_for_v2_access_tokens(self):
        api_block = single(self.api.get("api", []), "api block in azuread_application.api")
        self.assertEqual(api_block.get("requested_access_token_version"), 2)

    def test_api_identifier_uri_is_api_and_its_client_id(self):
        uri = self.tf.resource("azuread_application_identifier_uri", "api")
        self.assertEqual(uri.get("application_id"), "${azuread_application.api.id}")
        self.assertEqual(uri.get("identifier_uri"), "api://${azuread_application.api.client_id}")
        # The application must leave the attribute to that resource, or each apply would undo it.
        self.assertNotIn("identifier_uris", self.api)
        lifecycle = single(self.api.get("lifecycle", []), "lifecycle block in azuread_application.api")
        self.assertIn("${identifier_uris}", lifecycle.get("ignore_changes", []))

    def test_api_has_a_service_principal(self):
        principal = self.tf.resource("azuread_service_principal", "api")
        self.assertEqual(principal.get("client_id"), "${azuread_application.api.client_id}")

    # --- hero-client ----------------------------------------------------------------------------

    def test_client_redirect_uris_are_exactly_the_contract_one(self):
        web = single(self.client.get("web", []), "web block in azuread_application.client")
        self.assertEqual(self.tf.resolve(web.get("redirect_uris")), [self.contract["redirectURI"]])
        self.assertEqual(self.tf.resolve(self.tf.outputs["redirect_uri"]["value"]), self.contract["redirectURI"])

    def required_access(self, resource_app):
        accesses = [
            access
            for access in self.client.get("required_resource_access", [])
            if self.tf.resolve(access.get("resource_app_id")) == resource_app
        ]
        access = single(accesses, f"required_resource_access for {resource_app}")
        return self.tf.blocks(access, "resource_access")

    def test_client_requires_every_api_scope(self):
        required = self.required_access("${azuread_application.api.client_id}")
        self.assertTrue(all(access.get("type") == "Scope" for access in required))
        scope_ids = {scope["id"] for scope in self.api_scopes()}
        self.assertEqual({access.get("id") for access in required}, scope_ids)
        self.assertEqual(len(scope_ids), len(self.contract["scopes"]))

    def test_client_requires_openid_and_offline_access(self):
        required = self.required_access(MICROSOFT_GRAPH_APP_ID)
        self.assertTrue(all(access.get("type") == "Scope" for access in required))
        ids = {access.get("id") for access in required}
        for name in ("openid", "offline_access"):
            self.assertIn(MICROSOFT_GRAPH_SCOPE_IDS[name], ids, f"hero-client must require Microsoft Graph's {name}")
        # Everything in the SCOPES the client will ask for is required (and so consentable).
        self.assertTrue(ids <= set(MICROSOFT_GRAPH_SCOPE_IDS.values()), "unknown Microsoft Graph scope id")

    def test_client_scopes_output_asks_for_what_is_required(self):
        expression = interpolation(self.tf.outputs["client_scopes"]["value"])
        self.assertIsNotNone(expression)
        self.assertIn("keys(local.microsoft_graph_scopes)", expression)
        self.assertIn("keys(local.heroes_permissions)", expression)
        self.assertIn('"api://${azuread_application.api.client_id}/${name}"', expression)
        self.assertEqual(
            {name: self.tf.locals["microsoft_graph_scopes"][name] for name in ("openid", "offline_access")},
            {name: MICROSOFT_GRAPH_SCOPE_IDS[name] for name in ("openid", "offline_access")},
        )

    def test_client_is_pre_authorized_for_the_heroes_scopes(self):
        pre_authorized = self.tf.resource("azuread_application_pre_authorized", "client")
        self.assertEqual(pre_authorized.get("application_id"), "${azuread_application.api.id}")
        self.assertEqual(pre_authorized.get("authorized_client_id"), "${azuread_application.client.client_id}")
        self.assertEqual(
            pre_authorized.get("permission_ids"),
            "${[for permission in random_uuid.heroes_permission : permission.result]}",
        )
        uuids = self.tf.resource("random_uuid", "heroes_permission")
        self.assertEqual(set(self.tf.resolve(uuids.get("for_each"))), set(self.contract["scopes"]))

    def test_client_has_a_secret_output_as_sensitive(self):
        password = self.tf.resource("azuread_application_password", "client")
        self.assertEqual(password.get("application_id"), "${azuread_application.client.id}")
        output = self.tf.outputs["client_secret"]
        self.assertEqual(output.get("value"), "${azuread_application_password.client.value}")
        self.assertIs(output.get("sensitive"), True)

    def test_write_env_oauth_writes_every_client_setting(self):
        script = (INFRA / "write-env-oauth.sh").read_text()
        written = re.findall(r'^\s*echo "([A-Z][A-Z0-9_]*)=', script, flags=re.MULTILINE)
        self.assertCountEqual(written, self.contract["clientSettings"])

    # --- hero-server on App Service -------------------------------------------------------------

    def app_settings(self, storage):
        """The web app's settings with var.storage = storage: the common ones merged with the
        storage's, each `${local...}` inside a value replaced by its value."""
        self.assertIn(storage, STORAGES)
        self.assertEqual(
            self.webapp.get("app_settings"),
            "${merge(local.common_app_settings, local.storage_app_settings[var.storage])}",
            "the web app's settings must be the common ones merged with those of var.storage",
        )
        self.assertEqual(set(self.tf.locals["storage_app_settings"]), set(STORAGES))
        merged = {**self.tf.locals["common_app_settings"], **self.tf.locals["storage_app_settings"][storage]}
        return {name: self.tf.render(value) for name, value in merged.items()}

    def count(self, body, storage):
        """How many of a resource exist with var.storage = storage (no count: one)."""
        if "count" not in body:
            return 1
        self.assertEqual(body["count"], POSTGRES_ONLY)
        self.assertEqual(self.tf.locals.get("use_postgres"), '${var.storage == "postgres"}')
        return 1 if storage == "postgres" else 0

    def site_config(self):
        return single(self.webapp.get("site_config", []), "site_config block in the web app")

    def test_storage_variable_is_postgres_or_sqlite_and_defaults_to_postgres(self):
        variable = self.tf.variables["storage"]
        self.assertEqual(variable.get("default"), "postgres")
        validation = single(variable.get("validation", []), "validation of var.storage")
        # (python-hcl2 drops the quotes of strings inside a list in an expression.)
        self.assertRegex(validation.get("condition"), r'^\$\{contains\(\["?postgres"?, "?sqlite"?\], var\.storage\)\}$')

    def test_webapp_sets_every_server_setting_in_both_storages(self):
        sqlite_only = {"HVALFANGST_DB_PATH", "HVALFANGST_DB_JOURNAL_MODE"}
        self.assertTrue(sqlite_only <= set(self.contract["serverSettings"]))
        expected = {
            "sqlite": set(self.contract["serverSettings"]),
            "postgres": (set(self.contract["serverSettings"]) - sqlite_only) | set(self.contract["postgresServerSettings"]),
        }
        for storage in STORAGES:
            with self.subTest(storage=storage):
                settings = self.app_settings(storage)
                # hero-server's settings are exactly the contract's for that storage: none
                # missing, none that the Swift side does not know about.
                self.assertEqual({name for name in settings if name.startswith("HVALFANGST_")}, expected[storage])
                self.assertEqual(settings["HVALFANGST_TENANT_ID"], "${var.tenant_id}")
                self.assertEqual(settings["HVALFANGST_API_SERVER_CLIENT_ID"], "${azuread_application.api.client_id}")

    def test_webapp_reaches_postgres_as_its_managed_identity_with_tls(self):
        settings = self.app_settings("postgres")
        identity = self.tf.resource("azurerm_user_assigned_identity", "hero_server")
        self.assertEqual(
            settings["HVALFANGST_DATABASE_URL"],
            "postgres://${azurerm_user_assigned_identity.hero_server.name}"
            '@${try(azurerm_postgresql_flexible_server.heroes[0].fqdn, "")}:5432/heroes?sslmode=require',
        )
        self.assertEqual(settings["HVALFANGST_DATABASE_AUTH"], "entra")
        self.assertEqual(settings["HVALFANGST_MANAGED_IDENTITY_CLIENT_ID"], "${azurerm_user_assigned_identity.hero_server.client_id}")
        # ...the identity the web app has,
        block = single(self.webapp.get("identity", []), "identity block in the web app")
        self.assertEqual(block.get("type"), "UserAssigned")
        self.assertEqual(block.get("identity_ids"), ["${azurerm_user_assigned_identity.hero_server.id}"])
        self.assertTrue(identity.get("name"))
        # ...the database Terraform creates,
        database = self.tf.resource("azurerm_postgresql_flexible_server_database", "heroes")
        self.assertEqual(self.tf.render(database.get("name")), "heroes")
        self.assertEqual(database.get("server_id"), "${azurerm_postgresql_flexible_server.heroes[0].id}")
        # ...and the role up.sh creates: the identity's name and principal id, from the output.
        output = self.tf.outputs["postgres"]["value"]
        self.assertIn("'app_role': '${azurerm_user_assigned_identity.hero_server.name}'", output)
        self.assertIn("'app_principal_id': '${azurerm_user_assigned_identity.hero_server.principal_id}'", output)
        self.assertIn("'database': '${azurerm_postgresql_flexible_server_database.heroes[0].name}'", output)
        self.assertIn("'admin_name': '${azurerm_postgresql_flexible_server_active_directory_administrator.heroes[0].principal_name}'", output)
        self.assertTrue(output.startswith("${local.use_postgres ? {") and output.endswith("} : null}"))

    def test_no_password_in_any_app_setting_or_output(self):
        for storage in STORAGES:
            with self.subTest(storage=storage):
                for name, value in self.app_settings(storage).items():
                    self.assertNotRegex(name, PASSWORD_LIKE)
                    self.assertNotRegex(str(value), r"(?i)password|secret|pgpass")
                url = self.app_settings(storage).get("HVALFANGST_DATABASE_URL", "postgres://user@host/db")
                userinfo = url.split("://", 1)[1].split("@", 1)[0]
                self.assertNotIn(":", userinfo.replace("${azurerm_user_assigned_identity.hero_server.name}", ""), "a password in the URL")
        for name, output in self.tf.outputs.items():
            if name == "client_secret":
                continue  # hero-client's, sensitive (tested above)
            self.assertNotRegex(str(output.get("value")), r"(?i)password|secret|access_token", name)

    def test_webapp_keeps_the_sqlite_database_on_the_persistent_share_with_a_rollback_journal(self):
        settings = self.app_settings("sqlite")
        self.assertEqual(settings.get("WEBSITES_ENABLE_APP_SERVICE_STORAGE"), "true")
        self.assertEqual(settings.get("HVALFANGST_DB_JOURNAL_MODE"), "delete")
        self.assertTrue(str(settings.get("HVALFANGST_DB_PATH")).startswith("/home/"))
        # ...the same file the image is built for.
        dockerfile = (REPOSITORY / "Dockerfile").read_text()
        self.assertIn(f"HVALFANGST_DB_PATH={settings['HVALFANGST_DB_PATH']}", dockerfile)

    def test_webapp_port_is_the_image_port(self):
        self.assertEqual(self.app_settings("postgres").get("WEBSITES_PORT"), "8080")
        self.assertEqual(self.app_settings("sqlite").get("WEBSITES_PORT"), "8080")
        dockerfile = (REPOSITORY / "Dockerfile").read_text()
        self.assertRegex(dockerfile, r"(?m)^EXPOSE 8080$")
        self.assertRegex(dockerfile, r"PORT=8080\b")

    def test_webapp_is_https_only_with_tls_1_2_and_no_ftp(self):
        self.assertIs(self.webapp.get("https_only"), True)
        site = self.site_config()
        self.assertEqual(site.get("minimum_tls_version"), "1.2")
        self.assertEqual(site.get("ftps_state"), "Disabled")
        self.assertIs(self.webapp.get("ftp_publish_basic_authentication_enabled"), False)

    def test_webapp_health_check_is_healthz(self):
        self.assertEqual(self.site_config().get("health_check_path"), "/healthz")

    def test_webapp_pulls_with_a_managed_identity_that_has_acr_pull(self):
        site = self.site_config()
        self.assertIs(site.get("container_registry_use_managed_identity"), True)
        pull = self.tf.resource("azurerm_role_assignment", "hero_server_acr_pull")
        self.assertEqual(pull.get("role_definition_name"), "AcrPull")
        self.assertEqual(pull.get("scope"), "${azurerm_container_registry.hvalfangst.id}")

    def test_webapp_leaves_the_image_tag_to_the_deploy_workflow(self):
        lifecycle = single(self.webapp.get("lifecycle", []), "lifecycle block in the web app")
        self.assertIn("${site_config[0].application_stack[0].docker_image_name}", lifecycle.get("ignore_changes", []))

    def test_two_instances_with_postgres_one_writer_with_sqlite(self):
        plan = self.tf.resource("azurerm_service_plan", "hvalfangst")
        self.assertEqual(plan.get("sku_name"), "B1")
        self.assertEqual(plan.get("worker_count"), "${local.instance_count[var.storage]}")
        self.assertEqual(self.tf.locals["instance_count"], {"postgres": 2, "sqlite": 1})
        self.assertIs(self.webapp.get("client_affinity_enabled"), False)

    # --- PostgreSQL (storage = "postgres") ------------------------------------------------------

    def postgres_resources(self):
        return {
            f"{kind}.{name}": body
            for kind, named in self.tf.resources.items()
            if kind.startswith("azurerm_postgresql")
            for name, body in named.items()
        }

    def test_postgres_resources_exist_with_postgres_only(self):
        resources = self.postgres_resources()
        self.assertEqual(
            set(resources),
            {
                "azurerm_postgresql_flexible_server.heroes",
                "azurerm_postgresql_flexible_server_configuration.require_secure_transport",
                "azurerm_postgresql_flexible_server_database.heroes",
                "azurerm_postgresql_flexible_server_active_directory_administrator.heroes",
                "azurerm_postgresql_flexible_server_firewall_rule.azure_services",
            },
        )
        for address, body in resources.items():
            with self.subTest(resource=address):
                self.assertEqual(self.count(body, "postgres"), 1)
                self.assertEqual(self.count(body, "sqlite"), 0)
        for kind in ("azuread_user", "azuread_group"):
            self.assertRegex(self.tf.data_source(kind, "postgres_admin").get("count", ""), r"^\$\{local\.use_postgres && ")
        self.assertIn("Microsoft.DBforPostgreSQL", self.tf.providers["azurerm"]["resource_providers_to_register"])

    def test_postgres_server_is_burstable_b1ms_version_16_entra_only(self):
        server = self.tf.resource("azurerm_postgresql_flexible_server", "heroes")
        self.assertEqual(server.get("sku_name"), "B_Standard_B1ms")
        self.assertEqual(server.get("version"), "16")
        authentication = single(server.get("authentication", []), "authentication block in the PostgreSQL server")
        self.assertIs(authentication.get("password_auth_enabled"), False)
        self.assertIs(authentication.get("active_directory_auth_enabled"), True)
        self.assertEqual(authentication.get("tenant_id"), "${var.tenant_id}")
        # No administrator password (nor a login, which would need one).
        self.assertFalse({"administrator_login", "administrator_password", "administrator_password_wo"} & set(server))

    def test_postgres_requires_tls(self):
        configuration = self.tf.resource("azurerm_postgresql_flexible_server_configuration", "require_secure_transport")
        self.assertEqual(configuration.get("name"), "require_secure_transport")
        self.assertEqual(configuration.get("value"), "on")
        self.assertEqual(configuration.get("server_id"), "${azurerm_postgresql_flexible_server.heroes[0].id}")
        # Nothing else turns it (or the TLS version) down.
        for address, body in self.postgres_resources().items():
            if address.startswith("azurerm_postgresql_flexible_server_configuration.") and body is not configuration:
                self.assertNotIn(body.get("name"), {"require_secure_transport", "ssl_min_protocol_version"}, address)

    def test_postgres_entra_administrator_is_the_deploying_user_or_the_named_group(self):
        admin = self.tf.resource("azurerm_postgresql_flexible_server_active_directory_administrator", "heroes")
        self.assertEqual(admin.get("server_name"), "${azurerm_postgresql_flexible_server.heroes[0].name}")
        self.assertEqual(admin.get("tenant_id"), "${var.tenant_id}")
        self.assertEqual(
            admin.get("object_id"),
            "${local.postgres_admin_is_group ? data.azuread_group.postgres_admin[0].object_id : data.azuread_client_config.current.object_id}",
        )
        self.assertEqual(
            admin.get("principal_name"),
            "${local.postgres_admin_is_group ? data.azuread_group.postgres_admin[0].display_name : data.azuread_user.postgres_admin[0].user_principal_name}",
        )
        self.assertEqual(admin.get("principal_type"), '${local.postgres_admin_is_group ? "Group" : "User"}')
        self.assertEqual(self.tf.locals.get("postgres_admin_is_group"), "${var.postgres_admin_group != null}")
        self.assertIsNone(self.tf.variables["postgres_admin_group"].get("default"))
        # The user is the one Terraform runs as; the group is a security group of that name.
        user = self.tf.data_source("azuread_user", "postgres_admin")
        self.assertEqual(user.get("object_id"), "${data.azuread_client_config.current.object_id}")
        group = self.tf.data_source("azuread_group", "postgres_admin")
        self.assertEqual(group.get("display_name"), "${var.postgres_admin_group}")
        self.assertIs(group.get("security_enabled"), True)

    def test_postgres_network_admits_azure_services_only(self):
        # The choice (postgres.tf, README): the firewall's "Azure services" rule, no wider one.
        rules = self.tf.resources.get("azurerm_postgresql_flexible_server_firewall_rule", {})
        self.assertEqual(set(rules), {"azure_services"})
        rule = rules["azure_services"]
        self.assertEqual((rule.get("start_ip_address"), rule.get("end_ip_address")), ("0.0.0.0", "0.0.0.0"))
        self.assertEqual(rule.get("server_id"), "${azurerm_postgresql_flexible_server.heroes[0].id}")
        server = self.tf.resource("azurerm_postgresql_flexible_server", "heroes")
        self.assertIs(server.get("public_network_access_enabled"), True)
        self.assertNotIn("delegated_subnet_id", server)

    def test_up_sh_makes_the_identity_a_database_role_with_least_privileges(self):
        script = (REPOSITORY / "up.sh").read_text()
        # Only with PostgreSQL (the output is null with SQLite), from the output's fields.
        self.assertIn("terraform -chdir=infra output -json postgres", script)
        self.assertIn('if [ "$postgres" != null ]; then', script)
        read = set(re.findall(r'json_field "\$postgres" ([a-z_]+)', script))
        declared = set(re.findall(r"'([a-z_]+)': '\$\{", self.tf.outputs["postgres"]["value"]))
        self.assertEqual(read, declared)
        # As the Entra administrator, with an Entra token for PostgreSQL as the password, over TLS.
        self.assertIn("az account get-access-token --resource-type oss-rdbms", script)
        self.assertIn("PGSSLMODE=require", script)
        # The role: created only when missing (up.sh may run again), as a service principal,
        # neither administrator nor MFA-bound, named as the URL's user, bound to the identity.
        self.assertIn(
            "select exists (select 1 from pg_roles where rolname = :'role') as role_exists \\gset\n"
            "\\if :role_exists\n",
            script,
        )
        self.assertIn("select * from pgaadauth_create_principal_with_oid(:'role', :'oid', 'service', false, false);", script)
        self.assertIn('-v role="$app_role" -v oid="$app_principal_id"', script)
        # The privileges: exactly these grants, nothing wider.
        grants = [line.strip() for line in re.findall(r"(?im)^\s*grant\b.*$", script)]
        self.assertEqual(grants, ['grant connect on database :"database" to :"role";', 'grant usage, create on schema public to :"role";'])
        self.assertNotRegex(script, r"(?i)\balter role\b|\bsuperuser\b|azure_pg_admin|grant all|createrole|createdb")
        # The temporary firewall rule for the deploying machine is removed again.
        self.assertIn("az postgres flexible-server firewall-rule delete", script)
        self.assertIn("trap cleanup EXIT", script)

    # --- the GitHub deploy workflow -------------------------------------------------------------

    def test_github_variables_are_the_ones_the_deploy_workflow_reads(self):
        workflow = (REPOSITORY / ".github" / "workflows" / "deploy.yml").read_text()
        read = set(re.findall(r"\bvars\.([A-Z0-9_]+)", workflow))
        self.assertEqual(set(self.tf.outputs["github_repository_variables"]["value"]), read)

    def test_federated_credential_trusts_the_deploy_jobs_environment(self):
        workflow = (REPOSITORY / ".github" / "workflows" / "deploy.yml").read_text()
        environments = set(re.findall(r"(?m)^\s+environment:\s*([A-Za-z0-9_-]+)\s*$", workflow))
        self.assertEqual(environments, {self.tf.locals["github_environment"]})
        credential = self.tf.resource("azuread_application_federated_identity_credential", "github_deploy")
        self.assertEqual(credential.get("issuer"), "https://token.actions.githubusercontent.com")
        self.assertEqual(credential.get("audiences"), ["api://AzureADTokenExchange"])
        self.assertEqual(credential.get("subject"), "repo:${var.github_repository}:environment:${local.github_environment}")

    def test_deploy_identity_may_push_to_the_registry_and_manage_the_web_app_only(self):
        # AcrPush replaces the custom ACR Tasks role: the image is built on GitHub's runner.
        self.assertNotIn("azurerm_role_definition", self.tf.resources, "no custom role: AcrPush is built in")
        assignments = {
            name: body
            for name, body in self.tf.resources["azurerm_role_assignment"].items()
            if body.get("principal_id") == "${azuread_service_principal.github_deploy.object_id}"
        }
        self.assertEqual(
            {name: (body.get("role_definition_name"), body.get("scope")) for name, body in assignments.items()},
            {
                "github_deploy_acr_push": ("AcrPush", "${azurerm_container_registry.hvalfangst.id}"),
                "github_deploy_webapp": ("Website Contributor", "${azurerm_linux_web_app.hero_server.id}"),
            },
        )
        for body in assignments.values():
            self.assertEqual(body.get("principal_type"), "ServicePrincipal")

    # --- global names, the state, upkeep ---------------------------------------------------------

    def test_global_names_get_a_random_suffix_unless_set(self):
        suffix = self.tf.resource("random_string", "name_suffix")
        self.assertIs(suffix.get("upper"), False)
        self.assertIs(suffix.get("special"), False)
        self.assertNotIn("numeric", suffix)  # letters and digits: the registry allows nothing else
        names = {
            # local: (variable, prefix, the resource that bears it, its validation's pattern)
            "container_registry_name": ("container_registry_name", "hvalfangst", ("azurerm_container_registry", "hvalfangst"), r"^[a-zA-Z0-9]{5,50}$"),
            "webapp_name": ("azurerm_linux_web_app_name", "hvalfangst-", ("azurerm_linux_web_app", "hero_server"), r"^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$"),
            "postgres_server_name": ("postgres_server_name", "hvalfangst-", ("azurerm_postgresql_flexible_server", "heroes"), r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"),
        }
        for local, (variable, prefix, (kind, name), pattern) in names.items():
            with self.subTest(name=local):
                self.assertEqual(
                    self.tf.locals[local], f'${{coalesce(var.{variable}, "{prefix}${{random_string.name_suffix.result}}")}}'
                )
                self.assertIsNone(self.tf.variables[variable].get("default"))
                condition = single(self.tf.variables[variable].get("validation", []), f"validation of {variable}")["condition"]
                # (python-hcl2 writes null as None.)
                self.assertRegex(condition, rf"^\$\{{var\.{variable} == (null|None) \|\| can\(regex\(", condition)
                # A generated name passes the variable's own rule (the suffix: lowercase letters, digits).
                self.assertRegex(prefix + "a1b2c3"[: suffix["length"]], pattern)
                self.assertEqual(self.tf.resource(kind, name).get("name"), f"${{local.{local}}}")
        identity = self.tf.resource("azurerm_user_assigned_identity", "hero_server")
        self.assertEqual(identity.get("name"), "${local.webapp_name}-identity")
        # No resource takes a global name from the variable directly, and the outputs give the
        # scripts the final ones.
        text = "".join(path.read_text() for path in INFRA.glob("*.tf") if path.name not in {"variables.tf", "names.tf"})
        for variable in ("container_registry_name", "azurerm_linux_web_app_name", "postgres_server_name"):
            self.assertNotIn(f"var.{variable}", text)
        variables = self.tf.outputs["github_repository_variables"]["value"]
        self.assertEqual(variables["AZURE_CONTAINER_REGISTRY"], "${azurerm_container_registry.hvalfangst.name}")
        self.assertEqual(variables["AZURE_WEBAPP_NAME"], "${azurerm_linux_web_app.hero_server.name}")
        self.assertEqual(self.tf.outputs["app_url"]["value"], "https://${azurerm_linux_web_app.hero_server.default_hostname}")

    def test_state_lives_in_an_azurerm_backend_with_entra_sign_in(self):
        with (INFRA / "versions.tf").open() as file:
            terraform = single(hcl2.load(file)["terraform"], "terraform block")
        self.assertEqual(single(terraform.get("backend", []), "backend"), {"azurerm": {}})
        backend = (INFRA / "state-backend.sh").read_text()
        self.assertIn('-backend-config="use_azuread_auth=true"', backend)
        for name in ("subscription_id", "tenant_id", "resource_group_name", "storage_account_name", "container_name", "key"):
            self.assertIn(f'-backend-config="{name}=', backend)
        # The account: Entra only (no shared keys), versions and soft delete, TLS 1.2, no public blobs.
        create = re.search(r"az storage account create (?:[^\n]*\\\n)*[^\n]*", backend).group(0)
        for flag in ("--allow-shared-key-access false", "--min-tls-version TLS1_2", "--allow-blob-public-access false", "--https-only true"):
            self.assertIn(flag, create)
        self.assertIn("--enable-versioning true", backend)
        self.assertIn("--enable-delete-retention true", backend)
        self.assertIn('--role "Storage Blob Data Contributor"', backend)
        self.assertIn("--auth-mode login", backend)

    def test_up_sh_creates_the_state_account_before_terraform_and_down_sh_keeps_it(self):
        up = (REPOSITORY / "up.sh").read_text()
        self.assertIn(". infra/state-backend.sh", up)
        self.assertLess(up.index("state_backend_ensure"), up.index("state_backend_init"))
        self.assertNotRegex(up, r"(?m)^[^#]*terraform -chdir=infra init", "init only through state_backend_init")
        down = (REPOSITORY / "down.sh").read_text()
        self.assertNotRegex(down, r"(?m)^[^#]*terraform -chdir=infra init")
        self.assertIn("--delete-state) delete_state=true", down)
        deletion = down.index("az storage account delete")
        self.assertLess(down.index("if $delete_state; then"), deletion)
        self.assertLess(down.index("terraform -chdir=infra state list"), deletion)


if __name__ == "__main__":
    unittest.main()
