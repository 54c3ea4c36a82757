"""Every suppression of a linter's finding says why, beside it.

A hadolint ignore, shellcheck disable or zizmor ignore needs a reason: a plain comment on the
line(s) just above it, or text after it on the same line. A checkov skip carries its reason
after the check id (`#checkov:skip=ID:reason`).
"""

import pathlib
import re
import unittest

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent.parent

DIRECTIVE = re.compile(r"#\s*(hadolint ignore=\S+|shellcheck disable=\S+|zizmor: ignore\[[^\]]+\])(.*)$")
CHECKOV = re.compile(r"#checkov:skip=([A-Z0-9_]+)(?::(.*))?$")


def files():
    patterns = ["Dockerfile", ".github/workflows/*.yml", "infra/*.tf", "*.sh", "infra/*.sh", "scripts/*.sh", ".ci/run"]
    for pattern in patterns:
        yield from sorted(REPOSITORY.glob(pattern))


def reason_above(lines, index):
    """The comment just above line index, when it is a plain comment (not another directive)."""
    above = lines[index - 1].strip() if index > 0 else ""
    return above.startswith("#") and not DIRECTIVE.search(above) and len(above.lstrip("# ")) >= 10


class SuppressionsTest(unittest.TestCase):
    def test_every_suppression_has_its_reason_beside_it(self):
        found = 0
        for path in files():
            lines = path.read_text().splitlines()
            for index, line in enumerate(lines):
                where = f"{path.relative_to(REPOSITORY)}:{index + 1}"
                directive = DIRECTIVE.search(line)
                if directive:
                    found += 1
                    with self.subTest(where=where):
                        after = directive.group(2).strip(" -#")
                        self.assertTrue(len(after) >= 10 or reason_above(lines, index), f"{where}: {directive.group(1)} without a reason")
                skip = CHECKOV.search(line)
                if skip:
                    found += 1
                    with self.subTest(where=where):
                        self.assertGreaterEqual(len((skip.group(2) or "").strip()), 20, f"{where}: checkov skip {skip.group(1)} without a reason")
        self.assertGreater(found, 0)


if __name__ == "__main__":
    unittest.main()
