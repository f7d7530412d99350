"""The documentation cannot rot: its Python samples run, and every setting is documented."""

import json
import os
import re
from pathlib import Path

import pytest
from django.utils import translation

from django_api_errors import codes
from django_api_errors.checks import takes
from django_api_errors.settings import SETTINGS

DOCS = Path(__file__).resolve().parent.parent / "docs"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_samples():
    return [
        pytest.param(match.group(1), id=f"{page.stem}-{number}")
        for page in sorted(DOCS.glob("*.md"))
        for number, match in enumerate(PYTHON_BLOCK.finditer(page.read_text()), start=1)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("source", python_samples())
def test_every_python_sample_in_the_docs_runs(source):
    enums_before = set(codes.code_enums())
    try:
        exec(compile(source, "<docs>", "exec"), {"__name__": "docs_sample"})
    finally:
        for enum_class in set(codes.code_enums()) - enums_before:
            codes.unregister(enum_class)


def test_samples_were_found():
    assert len(python_samples()) >= 5


SETTINGS_TABLE = re.compile(r"(<!-- settings -->\n).*?(<!-- /settings -->)", re.S)


def settings_table() -> str:
    """The table of docs/settings.md, one row per declaration of ``settings.SETTINGS``."""
    with translation.override("en"):
        rows = [
            f"| `{key}` | `{setting.default!r}` | {takes(key)} | `{setting.check_id}` | {setting.doc} |\n"
            for key, setting in SETTINGS.items()
        ]
    return "| key | default | takes | check | effect |\n| --- | --- | --- | --- | --- |\n" + "".join(rows)


def test_the_settings_table_is_the_declarations():
    """Rewrite: ``API_ERRORS_REWRITE_DOCS=1 .venv/bin/python -m pytest tests/test_docs.py -k settings``."""
    page = DOCS / "settings.md"
    expected = SETTINGS_TABLE.sub(lambda match: match[1] + settings_table() + match[2], page.read_text())
    if os.environ.get("API_ERRORS_REWRITE_DOCS"):
        page.write_text(expected)
    assert page.read_text() == expected


@pytest.mark.django_db
def test_the_code_reference_page_is_the_export_of_the_enums():
    """Rewrite with ``API_ERRORS_REWRITE_DOCS=1 .venv/bin/python -m pytest tests/test_docs.py``."""
    from io import StringIO

    from django.core.management import call_command

    exported = StringIO()
    call_command("export_error_catalogue", "--format", "markdown", "--language", "en", stdout=exported)
    page = DOCS / "code-reference.md"
    if os.environ.get("API_ERRORS_REWRITE_DOCS"):
        page.write_text(exported.getvalue())
    assert page.read_text() == exported.getvalue()


CONSOLE_BLOCK = re.compile(r"^```(?:console|bash)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def console_lines():
    return [
        pytest.param(line.removeprefix("$ ").strip(), id=f"{page.stem}-{number}")
        for page in sorted(DOCS.glob("*.md"))
        for match in CONSOLE_BLOCK.finditer(page.read_text())
        for number, line in enumerate(match.group(1).replace("\\\n", " ").splitlines(), start=1)
        if line.startswith("$ ") or "manage.py" in line or "benchmarks" in line
    ]


@pytest.mark.parametrize("line", console_lines())
def test_every_command_in_the_docs_names_a_real_command_and_options(line):
    """Management commands parse their documented options; benchmark scripts exist."""
    from django.core.management import get_commands, load_command_class

    if "manage.py " in line:
        words = line.split("manage.py ", 1)[1].split(">")[0].split()
        name, args = words[0], words[1:]
        command = load_command_class(get_commands()[name], name)
        command.create_parser("manage.py", name).parse_args(args)
    for module in re.findall(r"-m benchmarks\.(\w+)", line):
        assert (DOCS.parent / "benchmarks" / f"{module}.py").is_file()
    for script in re.findall(r"(benchmarks/\w+\.py)", line):
        assert (DOCS.parent / script).is_file()


def test_commands_were_found():
    assert len(console_lines()) >= 8


@pytest.mark.django_db
def test_the_quickstart_body_is_what_the_api_answers(api, settings):
    page = (DOCS / "index.md").read_text()
    documented = json.loads(re.search(r"^```json\n(.*?)^```", page, re.DOTALL | re.MULTILINE).group(1))

    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from django_api_errors import ApiError
    from django_api_errors.handler import exception_handler

    request = Request(APIRequestFactory().get("/", HTTP_HOST="api.example.com", secure=True))
    settings.ALLOWED_HOSTS = ["api.example.com"]
    error = ApiError("entity-archived", details=["Project 7 was archived on 2026-03-01."])
    response = exception_handler(error, {"request": request, "view": None})

    assert response.data == documented
