"""DRF's own test suite as a yardstick: run it with our exception handler installed, classify what fails.

    .venv/bin/python benchmarks/drf_suite.py [--version 3.18.3] [--workdir DIR] [-- pytest arguments]

Downloads the sdist of the installed (or given) djangorestframework with pip, unpacks it, makes a venv
beside it with this package, that DRF release and DRF's test requirements, and runs DRF's tests with a
small pytest plugin (``drf_suite_plugin``) that adds ``django_api_errors`` to the suite's apps and sets
``REST_FRAMEWORK["EXCEPTION_HANDLER"]`` to ours. Each failure is classified from its JUnit XML record:

- **body shape**: the failing assertion compares ``response.data`` (or a rendered body) with DRF's own
  error shape, ``{"detail": ...}`` or a ``{field: [messages]}`` dict. These are expected: the body is
  what this package changes.
- **everything else**: a different status, a missing header, an exception that no longer reaches the
  test client, an HTML form without its field errors. Each of these is a behaviour change to fix.

Prints both lists and their counts; exits 1 when "everything else" is not empty.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import venv
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib.metadata import version as installed_version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDLER = "django_api_errors.handler.exception_handler"
# DRF's test group and the optional packages its tests exercise (pyproject.toml of the sdist).
TEST_REQUIREMENTS = [
    "dj-database-url",
    "pytest",
    "pytest-django",
    "django-filter",
    "inflection",
    "markdown",
    "pygments",
    "pyyaml",
    "requests",
    "uritemplate",
    "legacy-cgi; python_version >= '3.13'",
]
# Why a failure is not about the body, tried in order on the failing line pytest quotes and its
# first "E" line: (reason, pattern). The first match wins; a failure none matches is then checked for
# DRF's body shape, and is "other" when it does not assert it either.
BEHAVIOUR_CHANGES: list[tuple[str, re.Pattern[str]]] = [
    ("an exception no longer reaches the test client", re.compile(r"not raised|DID NOT RAISE")),
    ("an HTML form no longer shows its field errors", re.compile(r"help-block|Couldn't find")),
    ("the status code differs", re.compile(r"status_code|status\.HTTP_")),
    ("a header differs", re.compile(r"WWW-Authenticate|Retry-After|\bAllow\b|\[['\"]Vary['\"]\]", re.I)),
]
# Evidence that the test compares the body with DRF's own error shape.
BODY_SHAPE = re.compile(
    r"['\"](?:detail|non_field_errors)['\"]"  # {'detail': ...}, data['detail'], 'non_field_errors' in data
    r"|b'\{\"code\":\""  # our rendered body where DRF's bytes were expected
    r"|\{'code': '[a-z-]+'"  # our body where DRF's dict was expected
)
# Lines of a test's own source that read the response body (the evidence pytest may not quote).
READS_BODY = re.compile(r"response\.(?:data|content|json\(\))")
TRACEBACK_LINE = re.compile(r"^(?P<path>[\w/.-]+\.py):(?P<line>\d+): in (?P<function>\w+)", re.MULTILINE)


@dataclass(frozen=True)
class Failure:
    """One failed or erroring test of DRF's suite, what pytest reported and the test's own source."""

    test_id: str
    text: str
    source: str = ""

    @property
    def reason(self) -> str:
        """Why it failed: DRF's body shape, one of ``BEHAVIOUR_CHANGES``, or "other"."""
        assertion = _assertion_lines(self.text)
        evidence = assertion + "\n" + _quoted_code(self.text)
        # The failed line and pytest's first line about it; the rest may quote a whole HTML page.
        failed = assertion.split("\n", 1)[0] + "\n" + _quoted_code(self.text)
        for reason, pattern in BEHAVIOUR_CHANGES:
            if pattern.search(failed):
                return reason
        body_lines = [line for line in self.source.splitlines() if READS_BODY.search(line)]
        if BODY_SHAPE.search(evidence + "\n" + "\n".join(body_lines)):
            return BODY_SHAPE_REASON
        return "other"


BODY_SHAPE_REASON = "asserts DRF's body shape"


def _assertion_lines(text: str) -> str:
    # pytest's "E   " lines hold the failed assertion and its explanation.
    return "\n".join(line[1:].strip() for line in text.splitlines() if line.startswith("E "))


def _quoted_code(text: str) -> str:
    # The source lines pytest quotes under each "path:line: in function" of the short traceback.
    return "\n".join(line.strip() for line in text.splitlines() if line.startswith("    "))


def test_source(source_dir: Path, text: str) -> str:
    """The source of the test function the traceback starts in (its first ``path:line: in name``)."""
    found = TRACEBACK_LINE.search(text)
    if found is None:
        return ""
    path = source_dir / found["path"]
    if not path.is_file():
        return ""
    code = path.read_text()
    line = int(found["line"])
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.FunctionDef) and node.lineno <= line <= (node.end_lineno or node.lineno):
            return ast.get_source_segment(code, node) or ""
    return ""


def download_sdist(version: str, workdir: Path) -> Path:
    """DRF's sdist of ``version``, unpacked in ``workdir``; the directory holding its ``tests``."""
    unpacked = workdir / f"djangorestframework-{version}"
    if (unpacked / "tests").is_dir():
        return unpacked
    download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
    subprocess.run([*download, f"djangorestframework=={version}", "--dest", str(workdir)], check=True)
    archive = next(workdir.glob(f"djangorestframework-{version}.tar.gz"))
    with tarfile.open(archive) as sdist:
        sdist.extractall(workdir, filter="data")
    return unpacked


def make_venv(version: str, workdir: Path) -> Path:
    """A venv with this package, DRF ``version`` and DRF's test requirements; its Python."""
    env_dir = workdir / "venv"
    python = env_dir / "bin" / "python"
    if python.exists():
        return python
    venv.EnvBuilder(with_pip=True).create(env_dir)
    install = [python, "-m", "pip", "install", "--quiet", str(ROOT), f"djangorestframework=={version}"]
    subprocess.run([*install, *TEST_REQUIREMENTS], check=True)
    return python


def run_suite(python: Path, source: Path, junit: Path, pytest_args: list[str]) -> None:
    """DRF's tests with our handler installed; the results in ``junit``."""
    plugin_dir = Path(__file__).resolve().parent
    command = [python, "-m", "pytest", "-p", "drf_suite_plugin", "-q", "-p", "no:cacheprovider"]
    command += ["--junitxml", str(junit), "-o", "junit_logging=no", *pytest_args]
    path = f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PYTHONPATH": str(plugin_dir), "PATH": path}
    subprocess.run(command, cwd=source, env=env, check=False)


def read_failures(junit: Path, source_dir: Path) -> tuple[int, list[Failure]]:
    """The number of tests run and each failure or error, from pytest's JUnit XML."""
    total = 0
    failures = []
    for case in ET.parse(junit).iter("testcase"):
        total += 1
        for record in [*case.findall("failure"), *case.findall("error")]:
            text = "\n".join(filter(None, [record.get("message"), record.text]))
            test_id = f"{case.get('classname')}::{case.get('name')}"
            failures.append(Failure(test_id, text, test_source(source_dir, record.text or "")))
    return total, failures


def versions(python: Path) -> str:
    """Python, Django and DRF of the venv the suite runs in."""
    code = (
        "import sys, django, rest_framework as drf; "
        "print(sys.version.split()[0], django.__version__, drf.VERSION)"
    )
    found = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return f"Python {found[0]}, Django {found[1]}, DRF {found[2]}"


def report(total: int, failures: list[Failure], context: str) -> int:
    """Print the failures by reason, body shape first; the number of the others."""
    by_reason: dict[str, list[Failure]] = {}
    for failure in failures:
        by_reason.setdefault(failure.reason, []).append(failure)
    shape = by_reason.pop(BODY_SHAPE_REASON, [])
    others = sum(len(listed) for listed in by_reason.values())
    print(f"\nDRF's suite with {HANDLER} ({context}): {total} tests, {len(failures)} failed")
    print(f"\nAsserts DRF's body shape: {len(shape)}")
    for failure in shape:
        print(f"  {failure.test_id}")
    print(f"\nEverything else: {others}")
    for reason, listed in sorted(by_reason.items()):
        print(f"  {reason}: {len(listed)}")
        for failure in listed:
            first = (_assertion_lines(failure.text) or failure.text).splitlines()[:1]
            print(f"    {failure.test_id}\n        {first[0][:120] if first else ''}")
    return others


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=installed_version("djangorestframework"))
    parser.add_argument(
        "--workdir", type=Path, help="kept, and reused by the next run (default: a temporary dir)"
    )
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to pytest")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="drf-suite-") as scratch:
        workdir = options.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        source = download_sdist(options.version, workdir)
        python = make_venv(options.version, workdir)
        junit = workdir / "junit.xml"
        run_suite(python, source, junit, options.pytest_args)
        total, failures = read_failures(junit, source)
        context = versions(python)
    return 1 if report(total, failures, context) else 0


if __name__ == "__main__":
    sys.exit(main())
