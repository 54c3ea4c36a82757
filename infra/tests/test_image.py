"""The container image and its proof (make image-check) must stay faithful to each other.

scripts/image-check.sh reads the Dockerfile itself (the build stage's `swift build` line, the
runtime stage's base, RUN, COPY, USER, ENV, ENTRYPOINT and HEALTHCHECK), builds the binary on
this project's machines and runs it in a debootstrap of the runtime stage's distribution.
That is only the image's binary in the image's root filesystem when both stages are on the
distribution those machines (and CI's container) run. These tests hold that, the non-root
user, and that .ci/run runs the check.
"""

import pathlib
import re
import unittest

import yaml

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent.parent


def instructions():
    """The Dockerfile, one line per instruction (comments dropped, continuations joined)."""
    lines = [line for line in (REPOSITORY / "Dockerfile").read_text().splitlines() if not line.lstrip().startswith("#")]
    return [line for line in re.sub(r"\\\n\s*", " ", "\n".join(lines)).splitlines() if line.strip()]


def stages():
    starts = [i for i, line in enumerate(instructions()) if line.startswith("FROM ")]
    every = instructions()
    return [every[start:end] for start, end in zip(starts, starts[1:] + [len(every)])]


class ImageTest(unittest.TestCase):
    def test_both_stages_and_ci_run_the_same_debian_release(self):
        build, runtime = stages()
        built_on = re.fullmatch(r"FROM swift:\$\{SWIFT_VERSION\}-([a-z]+) AS build", build[0])
        runs_on = re.fullmatch(r"FROM debian:([a-z]+)-slim", runtime[0])
        self.assertIsNotNone(built_on, build[0])
        self.assertIsNotNone(runs_on, runtime[0])
        self.assertEqual(built_on.group(1), runs_on.group(1), "the build and runtime stages must be one Debian release")
        ci = yaml.safe_load((REPOSITORY / ".github" / "workflows" / "ci.yml").read_text())
        image = ci["jobs"]["test"]["container"]["image"]
        self.assertTrue(image.endswith("-" + runs_on.group(1)), f"CI's container {image} is not {runs_on.group(1)}")

    def test_the_runtime_user_is_numeric_non_root_and_created_with_that_group(self):
        runtime = stages()[1]
        user = [line for line in runtime if line.startswith("USER ")]
        self.assertEqual(len(user), 1)
        uid, gid = re.fullmatch(r"USER (\d+):(\d+)", user[0]).groups()
        self.assertNotEqual(uid, "0")
        run = " ".join(line for line in runtime if line.startswith("RUN "))
        self.assertRegex(run, rf"groupadd [^&]*--gid {gid}\b")
        self.assertRegex(run, rf"useradd [^&]*--uid {uid}\b")
        self.assertNotIn("--user-group", run, "useradd --system --user-group picks a system gid, not the USER's")

    def test_ci_runs_make_image_check_after_the_lint_and_before_the_tests(self):
        steps = [line.strip() for line in (REPOSITORY / ".ci" / "run").read_text().splitlines() if line.strip() and not line.startswith("#")]
        self.assertLess(steps.index("scripts/lint-infra.sh"), steps.index("make image-check"))
        self.assertLess(steps.index("make image-check"), steps.index("make test"))
        makefile = (REPOSITORY / "Makefile").read_text()
        self.assertRegex(makefile, r"(?m)^image-check: deps ## .*\n\t@scripts/image-check\.sh$")

    def test_the_check_reads_the_dockerfile_instead_of_copying_it(self):
        script = (REPOSITORY / "scripts" / "image-check.sh").read_text()
        runtime = " ".join(stages()[1])
        packages = re.search(r"apt-get install -y --no-install-recommends ([^&]+)", runtime).group(1).split()
        libraries = [package for package in packages if package.startswith("lib")]
        self.assertTrue(libraries)
        for package in libraries:  # (curl the script uses itself, outside the root filesystem)
            found = re.search(rf"(?<![\w-]){re.escape(package)}(?![\w-])", script)
            self.assertIsNone(found, f"{package} belongs in the Dockerfile only, not in scripts/image-check.sh")
        self.assertIn("debootstrap --variant=minbase", script)
        self.assertIn('--scratch-path "$image_root/swift"', script)
        self.assertIn("image_root=.build-image", script)


if __name__ == "__main__":
    unittest.main()
