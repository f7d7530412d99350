"""Test sessions: lint, and the suite on the oldest and newest supported Python/Django pairs.

``python3 dev.py test`` runs the default sessions; ``API_ERRORS_TEST_DB=postgres`` (with ``PG*``
variables) runs the suite against PostgreSQL instead of SQLite.
"""

import nox

nox.options.sessions = ["lint", "docs", "tests"]
nox.options.reuse_existing_virtualenvs = True

MATRIX = [
    ("3.10", "django>=4.2,<5.0"),
    ("3.13", "django>=6.0,<6.2"),
]


@nox.session(python=False)
def lint(session: nox.Session) -> None:
    """ruff, from the project's .venv."""
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=False)
def docs(session: nox.Session) -> None:
    """The documentation site, built with warnings as errors (mkdocs.yml sets strict)."""
    session.run(
        "mkdocs", "build", "--strict", "--quiet", "--site-dir", ".nox/site", env={"NO_MKDOCS_2_WARNING": "1"}
    )


@nox.session
@nox.parametrize(("python", "django"), MATRIX, ids=["oldest", "newest"])
def tests(session: nox.Session, django: str) -> None:
    """The whole pytest suite with one Python and one Django."""
    session.install("-e", ".[dev]", django)
    session.run("python", "-m", "django", "--version")
    session.run("pytest", *session.posargs)
