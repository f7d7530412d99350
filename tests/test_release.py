"""What the package declares is what CI tests: classifiers, docs and floors against the nox matrix."""

from __future__ import annotations

import ast
import configparser
import os
import re
from pathlib import Path

from packaging.requirements import Requirement

import django_api_errors

ROOT = Path(__file__).resolve().parent.parent


def nox_matrix() -> list[dict]:
    """``MATRIX`` of noxfile.py, read as the literal it is (without importing nox)."""
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == [
            "MATRIX"
        ]:
            return ast.literal_eval(node.value)
    raise AssertionError("noxfile.py has no MATRIX")


def setup_cfg() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser


def classifier_versions(prefix: str) -> set[str]:
    """The versions named by classifiers ``<prefix> :: X.Y`` (the bare framework/language ones left out)."""
    lines = setup_cfg()["metadata"]["classifiers"].split("\n")
    return {
        line.removeprefix(f"{prefix} :: ") for line in lines if re.fullmatch(rf"{prefix} :: \d+\.\d+", line)
    }


def floors() -> dict[str, str]:
    """The lowest declared version of each dependency, from install_requires and the extras."""
    cfg = setup_cfg()
    lines = cfg["options"]["install_requires"].split("\n")
    for extra in ("openapi", "ninja", "otel"):
        lines += cfg["options.extras_require"][extra].split("\n")
    found = {}
    for line in filter(None, (line.strip() for line in lines)):
        requirement = Requirement(line)
        (spec,) = [spec for spec in requirement.specifier if spec.operator == ">="]
        found[requirement.name] = spec.version
    return found


def versions_page_rows() -> set[tuple[str, str]]:
    """(Python, Django series) of each row of the table in docs/versions.md."""
    rows = re.findall(r"^\| (\d+\.\d+) \| (\d+\.\d+)\b", (ROOT / "docs" / "versions.md").read_text(), re.M)
    return set(rows)


def test_classifiers_name_exactly_the_django_series_the_matrix_runs():
    assert classifier_versions("Framework :: Django") == {entry["django"] for entry in nox_matrix()}


def test_classifiers_name_exactly_the_pythons_the_matrix_runs():
    assert classifier_versions("Programming Language :: Python") == {e["python"] for e in nox_matrix()}


def test_python_requires_is_the_oldest_python_of_the_matrix():
    assert setup_cfg()["options"]["python_requires"] == f">={nox_matrix()[0]['python']}"


def test_django_floor_is_the_oldest_django_of_the_matrix():
    assert floors()["django"] == nox_matrix()[0]["django"]


def versions(key: str) -> list[tuple[int, ...]]:
    return [tuple(map(int, entry[key].split("."))) for entry in nox_matrix()]


def test_the_matrix_runs_each_python_once_oldest_first():
    assert versions("python") == sorted(set(versions("python")))


def test_the_matrix_runs_the_django_series_oldest_first():
    """A series may repeat: an LTS runs with each Python older than the next series needs."""
    assert versions("django") == sorted(versions("django"))


def test_the_oldest_session_pins_the_declared_floors():
    oldest = nox_matrix()[0]
    assert oldest["id"] == "oldest"
    pinned = {Requirement(pin).name: str(Requirement(pin).specifier) for pin in oldest["pins"]}
    declared = {name: f"=={version}.0" for name, version in floors().items() if name != "django"}
    assert pinned == declared


def test_the_newest_session_upgrades_what_the_oldest_pins():
    oldest, newest = nox_matrix()[0], nox_matrix()[-1]
    assert newest["id"] == "newest"
    assert sorted(newest["pins"]) == sorted(Requirement(pin).name for pin in oldest["pins"])


def test_the_versions_page_lists_each_session_of_the_matrix():
    assert versions_page_rows() == {(entry["python"], entry["django"]) for entry in nox_matrix()}


def test_the_license_is_mit_shipped_as_a_file():
    assert setup_cfg()["metadata"]["license_files"].strip() == "LICENSE"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the django-api-errors developers\n")


def test_the_package_under_test_is_the_copy_ci_meant():
    """``tests(newest)`` runs the contract tests against the installed wheel, not the source tree."""
    location = Path(django_api_errors.__file__).resolve()
    if os.environ.get("API_ERRORS_EXPECT_INSTALLED"):
        assert "site-packages" in location.parts
        assert not (ROOT / "django_api_errors").exists()
    else:
        assert location.parent.parent == ROOT
