"""The deploy rules of the GitHub workflows: only a commit that passed CI on main is deployed.

Nothing can run GitHub Actions here, so these tests read .github/workflows/ci.yml and
deploy.yml (actionlint and zizmor check their syntax and security; scripts/lint-infra.sh runs
all three) and check the rules the README promises:

- CI deploys only after its tests passed, only for a push to main, and deploys that commit;
- the deploy workflow has no trigger of its own but CI's call and a manual run, and a manual
  run (a rollback) deploys only a commit CI passed on main;
- before anything else it names every repository variable that is missing;
- it builds the commit it was given, and its smoke test waits for that commit on /version.
"""

import pathlib
import re
import unittest

import yaml

WORKFLOWS = pathlib.Path(__file__).resolve().parent.parent.parent / ".github" / "workflows"


def load(name):
    """A workflow, with PyYAML's reading of the key `on` (as True) undone."""
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    if True in document:
        document["on"] = document.pop(True)
    return document


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
        checkout = next(s for s in self.job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
        self.assertEqual(checkout["with"]["ref"], "${{ env.COMMIT }}")
        build = step(self.job, "Build")["run"]
        self.assertIn('--image "hero-server:$COMMIT"', build)
        self.assertIn('--build-arg "COMMIT=$COMMIT"', build)
        self.assertIn("hero-server:$COMMIT", step(self.job, "Point the web app")["run"])

    def test_a_rollback_deploys_only_a_commit_ci_passed_on_main(self):
        check = step(self.job, "CI passed")
        self.assertEqual(check["if"], "github.event_name == 'workflow_dispatch'")
        self.assertRegex(check["run"], r"gh run list .*--workflow ci\.yml --branch main --commit \"\$COMMIT\" --status success")
        self.assertIn("exit 1", check["run"])
        self.assertEqual(self.job["permissions"]["actions"], "read")

    def test_missing_repository_variables_are_named_before_anything_runs(self):
        first = self.job["steps"][0]
        self.assertIn("repository variables", first["name"])
        read = set(re.findall(r"\bvars\.([A-Z0-9_]+)", (WORKFLOWS / "deploy.yml").read_text()))
        self.assertEqual(set(first["env"]), read, "the check must cover every variable the workflow reads")
        for name in read:
            self.assertEqual(first["env"][name], "${{ vars.%s }}" % name)
            self.assertIn(name, first["run"])
        self.assertIn("::error::", first["run"])

    def test_the_smoke_test_waits_for_the_new_commit_not_any_200(self):
        smoke = step(self.job, "Smoke test")["run"]
        self.assertIn("/version", smoke)
        self.assertIn('"$running" = "$COMMIT"', smoke)
        self.assertIn("/readyz", smoke)
        self.assertRegex(smoke, r"deadline=\$\(\(SECONDS \+ \d+\)\)")
        self.assertIn("exit 1", smoke)


if __name__ == "__main__":
    unittest.main()
