"""The documentation cannot rot: its Python samples run, and every setting is documented."""

import os
import re
from pathlib import Path

import pytest

from django_api_errors import registry
from django_api_errors.settings import DEFAULTS

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
    enums_before = set(registry.code_enums())
    try:
        exec(compile(source, "<docs>", "exec"), {"__name__": "docs_sample"})
    finally:
        for enum_class in set(registry.code_enums()) - enums_before:
            registry.unregister(enum_class)


def test_samples_were_found():
    assert len(python_samples()) >= 5


def test_every_setting_is_in_the_settings_reference():
    reference = (DOCS / "settings.md").read_text()
    assert [key for key in DEFAULTS if f"| `{key}` |" not in reference] == []


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
