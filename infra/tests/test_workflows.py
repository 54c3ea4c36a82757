"""The deploy rules of the GitHub workflows: only a commit that passed CI on main is deployed.

Nothing can run GitHub Actions here, so these tests read .github/workflows/ci.yml and
deploy.yml (actionlint and zizmor check their syntax and security; scripts/lint-infra.sh runs
all three) and check the rules the README promises:

- CI deploys only after its tests passed, only for a push to main, and deploys that commit;
- the deploy workflow has no trigger of its own but CI's call and a manual run, and a manual
  run (a rollback) deploys only a commit CI passed on main;
- a first job, outside the environment, names every repository variable that is missing and
  checks that `production` admits exactly the branch main; the deploy job needs it;
- it builds the commit it was given on the runner (Buildx, GitHub Actions cache), pushes it
  after `az acr login`, and its smoke test waits for that commit on /version;
- every action is pinned to a full commit with its version beside it, on the Node 24
  runtime's majors, and Dependabot keeps them (and the base images, and the providers) current.
"""

import pathlib
import re
import unittest

import yaml

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent.parent
WORKFLOWS = REPOSITORY / ".github" / "workflows"

# The oldest major of each action that runs on Node 24 (GitHub retires Node 20 on runners).
NODE24_MAJORS = {
    "actions/checkout": 5,
    "actions/cache": 5,
    "azure/login": 3,
    "docker/setup-buildx-action": 4,
    "docker/build-push-action": 7,
}


def load(name):
    """A workflow, with PyYAML's reading of the key `on` (as True) undone."""
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    if True in document:
        document["on"] = document.pop(True)
    return document


def uses(job, action):
    matches = [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]
    if len(matches) != 1:
        raise AssertionError(f"expected one step using {action}, found {len(matches)}")
    return matches[0]


def step(job, name_part):
    matches = [s for s in job["steps"] if name_part in s.get("name", "")]
    if len(matches) != 1:
        raise AssertionError(f"expected one step named like {name_part!r}, found {len(matches)}")
    return matches[0]


class DeployRulesTest(unittest.TestCase):
    def setUp(self):
        self.ci = load("ci.yml")
        self.deploy = load("deploy.yml")
        self.job = self.deploy["jobs"]["deploy"]
        self.preflight = self.deploy["jobs"]["preflight"]

    def test_ci_deploys_only_after_its_tests_pass_on_a_push_to_main(self):
        job = self.ci["jobs"]["deploy"]
        self.assertEqual(job["needs"], "test")
        self.assertEqual(job["uses"], "./.github/workflows/deploy.yml")
        condition = job["if"].replace(" ", "")
        self.assertIn("github.event_name=='push'", condition)
        self.assertIn("github.ref=='refs/heads/main'", condition)
        self.assertEqual(job["with"], {"commit": "${{ github.sha }}"})
        self.assertEqual(job["permissions"]["id-token"], "write")

    def test_main_is_never_cancelled_midway(self):
        cancel = str(self.ci["concurrency"]["cancel-in-progress"]).replace(" ", "")
        self.assertIn("github.ref!='refs/heads/main'", cancel)
        self.assertFalse(self.deploy["concurrency"]["cancel-in-progress"])

    def test_deploy_runs_only_when_called_by_ci_or_by_hand(self):
        self.assertEqual(set(self.deploy["on"]), {"workflow_call", "workflow_dispatch"})
        self.assertTrue(self.deploy["on"]["workflow_call"]["inputs"]["commit"]["required"])

    def test_the_given_commit_is_checked_out_built_and_deployed(self):
        self.assertEqual(self.job["env"]["COMMIT"], "${{ inputs.commit || github.sha }}")
        checkout = uses(self.job, "actions/checkout")
        self.assertEqual(checkout["with"]["ref"], "${{ env.COMMIT }}")
        build = uses(self.job, "docker/build-push-action")["with"]
        # A path context: the checked-out commit, not the action's git context of github.sha.
        self.assertEqual(build["context"], ".")
        self.assertIs(build["push"], True)
        self.assertEqual(build["tags"], "${{ env.REGISTRY }}.azurecr.io/hero-server:${{ env.COMMIT }}")
        self.assertIn("COMMIT=${{ env.COMMIT }}", build["build-args"].splitlines())
        self.assertIn("hero-server:$COMMIT", step(self.job, "Point the web app")["run"])

    def test_the_image_is_built_on_the_runner_with_the_actions_cache_not_acr_tasks(self):
        text = (WORKFLOWS / "deploy.yml").read_text()
        self.assertNotRegex(text, r"(?m)^[^#]*\baz acr (build|run|task)\b", "ACR Tasks are refused on free-trial subscriptions")
        names = [s.get("uses", "").split("@")[0] for s in self.job["steps"]]
        self.assertLess(names.index("docker/setup-buildx-action"), names.index("docker/build-push-action"))
        build = uses(self.job, "docker/build-push-action")["with"]
        self.assertTrue(build["cache-from"].startswith("type=gha"))
        self.assertTrue(build["cache-to"].startswith("type=gha"))
        self.assertIn("mode=max", build["cache-to"])

    def test_the_push_signs_in_to_the_registry_with_the_oidc_identity_first(self):
        steps = self.job["steps"]
        login = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("azure/login@"))
        acr = next(i for i, s in enumerate(steps) if "az acr login" in s.get("run", ""))
        build = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("docker/build-push-action@"))
        self.assertLess(login, acr)
        self.assertLess(acr, build)
        self.assertIn('az acr login --name "$REGISTRY"', steps[acr]["run"])
        self.assertEqual(set(uses(self.job, "azure/login")["with"]), {"client-id", "tenant-id", "subscription-id"})
        self.assertEqual(self.job["permissions"]["id-token"], "write")
        # No registry password anywhere: no docker/login-action, no secrets.
        text = (WORKFLOWS / "deploy.yml").read_text()
        self.assertNotIn("docker/login-action", text)
        self.assertNotIn("secrets.", text)

    def test_a_rollback_deploys_only_a_commit_ci_passed_on_main(self):
        check = step(self.preflight, "CI passed")
        self.assertEqual(check["if"], "github.event_name == 'workflow_dispatch'")
        self.assertRegex(check["run"], r"gh run list .*--workflow ci\.yml --branch main --commit \"\$COMMIT\" --status success")
        self.assertIn("exit 1", check["run"])
        self.assertEqual(self.preflight["permissions"]["actions"], "read")
        self.assertEqual(self.preflight["env"]["COMMIT"], self.job["env"]["COMMIT"])

    def test_the_deploy_job_runs_only_after_the_preflight_job(self):
        self.assertEqual(self.job["needs"], "preflight")
        self.assertEqual(self.job["environment"], "production")
        # The preflight job is outside the environment (naming it would create it, rule-less)
        # and gets no Azure token.
        self.assertNotIn("environment", self.preflight)
        self.assertNotIn("id-token", self.preflight["permissions"])

    def test_missing_repository_variables_are_named_before_anything_runs(self):
        first = self.preflight["steps"][0]
        self.assertIn("repository variables", first["name"])
        read = set(re.findall(r"\bvars\.([A-Z0-9_]+)", (WORKFLOWS / "deploy.yml").read_text()))
        self.assertEqual(set(first["env"]), read, "the check must cover every variable the workflow reads")
        for name in read:
            self.assertEqual(first["env"][name], "${{ vars.%s }}" % name)
            self.assertIn(name, first["run"])
        self.assertIn("::error::", first["run"])

    def test_the_environment_must_exist_and_admit_exactly_main(self):
        check = step(self.preflight, "production environment")
        self.assertIn('gh api "repos/$REPOSITORY/environments/production"', check["run"])
        self.assertIn("deployment-branch-policies", check["run"])
        self.assertIn('[ "$branches" != "branch:main" ]', check["run"])
        self.assertEqual(check["run"].count("exit 1"), 2)
        # up.sh creates it, with that rule, before it sets the variables that let a deploy run.
        script = (REPOSITORY / "up.sh").read_text()
        self.assertIn('"deployment_branch_policy":{"protected_branches":false,"custom_branch_policies":true}', script)
        self.assertIn("-f name=main -f type=branch", script)
        self.assertLess(script.index("environments/production"), script.index("gh variable set"))

    def test_the_smoke_test_waits_for_the_new_commit_not_any_200(self):
        smoke = step(self.job, "Smoke test")["run"]
        self.assertIn("/version", smoke)
        self.assertIn('"$running" = "$COMMIT"', smoke)
        self.assertIn("/readyz", smoke)
        self.assertRegex(smoke, r"deadline=\$\(\(SECONDS \+ \d+\)\)")
        self.assertIn("exit 1", smoke)


class ActionPinsTest(unittest.TestCase):
    def pins(self):
        for path in sorted(WORKFLOWS.glob("*.yml")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
                if match and not match.group(1).startswith("./"):
                    yield f"{path.name}:{number}", match.group(1), match.group(2)

    def test_every_action_is_pinned_to_a_full_commit_with_its_version_beside_it(self):
        found = list(self.pins())
        self.assertTrue(found)
        for where, reference, rest in found:
            with self.subTest(where=where):
                action, _, commit = reference.partition("@")
                self.assertRegex(commit, r"^[0-9a-f]{40}$", f"{action} must be pinned to a full commit")
                self.assertRegex(rest, r"^\s+#\s+v\d+\.\d+\.\d+\s*$", f"{action}: the version belongs in a comment beside the pin")

    def test_every_action_is_on_a_node_24_major(self):
        seen = set()
        for where, reference, rest in self.pins():
            action = reference.split("@")[0]
            major = int(re.search(r"v(\d+)", rest).group(1))
            with self.subTest(where=where):
                self.assertIn(action, NODE24_MAJORS, f"{action}: which major runs on Node 24? add it to NODE24_MAJORS")
                self.assertGreaterEqual(major, NODE24_MAJORS[action], action)
            seen.add(action)
        self.assertEqual(seen, set(NODE24_MAJORS))

    def test_one_action_one_pin(self):
        pins = {}
        for where, reference, rest in self.pins():
            action, _, commit = reference.partition("@")
            pins.setdefault(action, set()).add((commit, rest.strip()))
        for action, versions in pins.items():
            self.assertEqual(len(versions), 1, f"{action} is pinned to different commits")

    def test_dependabot_keeps_actions_base_images_and_providers_current(self):
        config = yaml.safe_load((REPOSITORY / ".github" / "dependabot.yml").read_text())
        self.assertEqual(config["version"], 2)
        ecosystems = {(update["package-ecosystem"], update["directory"]) for update in config["updates"]}
        self.assertEqual(ecosystems, {("github-actions", "/"), ("docker", "/"), ("terraform", "/infra")})
        for update in config["updates"]:
            self.assertIn(update["schedule"]["interval"], {"daily", "weekly"})


if __name__ == "__main__":
    unittest.main()
