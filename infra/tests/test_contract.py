"""The Terraform must declare what the Swift code relies on.

infra/contract.json names the Heroes scopes and app roles, hero-client's redirect URI, and the
settings of hero-server and hero-client. These tests parse infra/*.tf with python-hcl2 (and
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
    """All top-level blocks of the folder's .tf files, merged: resources as
    {type: {name: body}}, locals and outputs as {name: value}."""
    resources, locals_, outputs = {}, {}, {}
    files = sorted(folder.glob("*.tf"))
    if not files:
        raise AssertionError(f"no .tf files in {folder}")
    for path in files:
        with path.open() as file:
            document = hcl2.load(file)
        for block in document.get("resource", []):
            for kind, named in block.items():
                for name, body in named.items():
                    if name in resources.setdefault(kind, {}):
                        raise AssertionError(f"{kind}.{name} is declared twice")
                    resources[kind][name] = body
        for block in document.get("locals", []):
            locals_.update(block)
        for block in document.get("output", []):
            outputs.update(block)
    return resources, locals_, outputs


def interpolation(value):
    """The expression inside a string that is exactly one "${...}", else None."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1]
    return None


class Terraform:
    """The parsed configuration, with the little evaluation the checks need."""

    def __init__(self, folder):
        self.resources, self.locals, self.outputs = load_terraform(folder)

    def resource(self, kind, name):
        try:
            return self.resources[kind][name]
        except KeyError:
            raise AssertionError(f"infra/ declares no {kind}.{name}") from None

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
            {"scopes", "appRoles", "redirectURI", "serverSettings", "clientSettings"},
        )
        for key in ("scopes", "appRoles", "serverSettings", "clientSettings"):
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

    def app_settings(self):
        return {name: self.tf.resolve(value) for name, value in self.webapp.get("app_settings", {}).items()}

    def site_config(self):
        return single(self.webapp.get("site_config", []), "site_config block in the web app")

    def test_webapp_sets_every_server_setting(self):
        settings = self.app_settings()
        for name in self.contract["serverSettings"]:
            self.assertIn(name, settings)
        self.assertEqual(settings["HVALFANGST_TENANT_ID"], "${var.tenant_id}")
        self.assertEqual(settings["HVALFANGST_API_SERVER_CLIENT_ID"], "${azuread_application.api.client_id}")

    def test_webapp_keeps_the_database_on_the_persistent_share_with_a_rollback_journal(self):
        settings = self.app_settings()
        self.assertEqual(settings.get("WEBSITES_ENABLE_APP_SERVICE_STORAGE"), "true")
        self.assertEqual(settings.get("HVALFANGST_DB_JOURNAL_MODE"), "delete")
        self.assertTrue(str(settings.get("HVALFANGST_DB_PATH")).startswith("/home/"))
        # ...the same file the image is built for.
        dockerfile = (REPOSITORY / "Dockerfile").read_text()
        self.assertIn(f"HVALFANGST_DB_PATH={settings['HVALFANGST_DB_PATH']}", dockerfile)

    def test_webapp_port_is_the_image_port(self):
        self.assertEqual(self.app_settings().get("WEBSITES_PORT"), "8080")
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

    def test_one_instance_so_one_writer(self):
        plan = self.tf.resource("azurerm_service_plan", "hvalfangst")
        self.assertEqual(plan.get("sku_name"), "B1")
        self.assertEqual(plan.get("worker_count"), 1)

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


if __name__ == "__main__":
    unittest.main()
