"""Test sessions: lint, docs, the contract tests over the version matrix, the integration tests.

``python3 dev.py test`` runs every session below, one more at a time than the cores, in the order they are
defined here (the longest first); ``API_ERRORS_TEST_DB=postgres`` (with ``PG*`` variables) runs the
suite against PostgreSQL instead of SQLite.

Two tiers (the ``integration`` marker, see ``tests/conftest.py``): every ``tests`` session runs the
contract tests; the integration tests (servers, Chromium, schemathesis, npm tools, ``startproject``)
run once, on the newest pair, in the two ``integration`` sessions. ``tests(newest)`` runs the contract
tests against the built wheel (see ``tests``), so no pair runs them twice.

``MATRIX`` is what the project supports: ``tests/test_release.py`` fails when the classifiers in
``setup.cfg`` or the table in ``docs/versions.md`` name a Python or Django the matrix does not run, or
the matrix runs one they do not name, and when the oldest session does not pin the floors declared in
``install_requires`` and the extras.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import nox

nox.options.sessions = ["integration", "tests", "lint", "docs"]
nox.options.reuse_existing_virtualenvs = True
# uv (dev.py installs it in .venv) makes and fills each session's virtualenv in seconds.
nox.options.default_venv_backend = "uv|virtualenv"

# One session per supported Django series and per supported Python. "pins": the other dependencies,
# at their declared floor in the oldest session, upgraded to their newest release in the newest.
MATRIX = [
    {
        "id": "oldest",
        "python": "3.10",
        "django": "5.2",
        "pins": [
            "djangorestframework==3.16.0",
            "drf-spectacular==0.29.0",
            "django-ninja==1.7.0",
            "opentelemetry-api==1.27.0",
        ],
    },
    {"id": "python311", "python": "3.11", "django": "5.2", "pins": []},
    {"id": "django60", "python": "3.12", "django": "6.0", "pins": []},
    {
        "id": "newest",
        "python": "3.13",
        "django": "6.1",
        "pins": ["djangorestframework", "drf-spectacular", "django-ninja", "opentelemetry-api"],
    },
]
NEWEST = MATRIX[-1]
CONTRACT_ONLY = ["-m", "not integration"]
VERSIONS = (
    "import sys, django, rest_framework, drf_spectacular\n"
    "from importlib.metadata import version\n"
    "print('Python', sys.version.split()[0], 'Django', django.get_version(),"
    " 'DRF', rest_framework.VERSION, 'drf-spectacular', version('drf-spectacular'))"
)


@contextlib.contextmanager
def source_tree_lock() -> Iterator[None]:
    """One build from the source tree at a time: setuptools writes its egg-info beside the sources,
    and ``dev.py test`` runs two nox processes at once."""
    Path(".nox").mkdir(exist_ok=True)
    with open(".nox/source-tree.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def django_requirement(series: str) -> str:
    """The newest release of one Django series, e.g. ``django~=5.2.0``."""
    return f"django~={series}.0"


# The integration tests in two parts of about equal time, so the two lanes of dev.py stay even.
INTEGRATION_PARTS = {
    "schema": ["tests/test_schemathesis.py", "tests/test_schema_tools.py"],
    "servers": ["--ignore=tests/test_schemathesis.py", "--ignore=tests/test_schema_tools.py"],
}


def install_from_source(session: nox.Session, entry: dict) -> None:
    """The package from the source tree (editable) with its dev extra, at ``entry``'s versions."""
    with source_tree_lock():
        session.install("--upgrade", "-e", ".[dev]", django_requirement(entry["django"]), *entry["pins"])
    session.run("python", "-c", VERSIONS, silent=False)


@nox.session(python=NEWEST["python"])
@nox.parametrize("part", list(INTEGRATION_PARTS), ids=list(INTEGRATION_PARTS))
def integration(session: nox.Session, part: str) -> None:
    """The integration tests on the newest pair, from the source tree, in two parts."""
    install_from_source(session, NEWEST)
    session.run("pytest", "-m", "integration", *INTEGRATION_PARTS[part], *session.posargs)


@nox.session
@nox.parametrize(
    ("python", "entry"),
    [(entry["python"], entry) for entry in reversed(MATRIX)],  # the newest (the wheel) first: the longest
    ids=[entry["id"] for entry in reversed(MATRIX)],
)
def tests(session: nox.Session, entry: dict) -> None:
    """The contract tests on one Python, Django series and DRF/drf-spectacular; the newest on the wheel."""
    if entry["id"] == NEWEST["id"]:
        run_against_the_wheel(session, entry)
        return
    install_from_source(session, entry)
    session.run("pytest", *CONTRACT_ONLY, *session.posargs)


def run_against_the_wheel(session: nox.Session, entry: dict) -> None:
    """Build the sdist (and the wheel from it), check both, run the contract tests against the wheel.

    The tests run from the unpacked sdist with its ``django_api_errors/`` removed, so every import
    resolves to the wheel in site-packages: a file missing from the package, or a test file missing
    from the sdist, fails here. The contract tests render every template and read every catalogue
    and migration the wheel ships; the integration tests add servers, not files, so they run from
    the source tree.
    """
    session.install("build", "twine")
    work = Path(session.create_tmp()) / "package"
    shutil.rmtree(work, ignore_errors=True)
    dist = work / "dist"
    with source_tree_lock():
        session.run("python", "-m", "build", "--outdir", str(dist), ".")
    built = sorted(str(path) for path in dist.iterdir())
    session.run("twine", "check", "--strict", *built)

    sdist = next(dist.glob("*.tar.gz"))
    wheel = next(dist.glob("*.whl"))
    with tarfile.open(sdist) as archive:
        archive.extractall(work, filter="data")
    source = work / sdist.name.removesuffix(".tar.gz")
    shutil.rmtree(source / "django_api_errors")

    session.install("--upgrade", f"{wheel}[dev]", django_requirement(entry["django"]), *entry["pins"])
    session.install("--force-reinstall", "--no-deps", str(wheel))
    session.run("python", "-c", VERSIONS, silent=False)
    session.chdir(source)
    session.run(
        "python",
        "-c",
        "import django_api_errors, sys; print(django_api_errors.__file__); "
        "sys.exit('site-packages' not in django_api_errors.__file__)",
    )
    session.run("pytest", *CONTRACT_ONLY, *session.posargs, env={"API_ERRORS_EXPECT_INSTALLED": "1"})


@nox.session(python=False)
def lint(session: nox.Session) -> None:
    """ruff and import-linter, from the project's .venv."""
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports", "--no-cache", "importlinter.ini")  # the layers (importlinter.ini)


@nox.session(python=False)
def docs(session: nox.Session) -> None:
    """The documentation site, built with warnings as errors (mkdocs.yml sets strict)."""
    # No --quiet: with it mkdocs 1.6 no longer counts warnings, and --strict passes a broken link.
    session.run("mkdocs", "build", "--strict", "--site-dir", ".nox/site", env={"NO_MKDOCS_2_WARNING": "1"})
