"""``manage.py export_error_catalogue``: JSON for client generators, Markdown for the docs site."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from django_api_errors.codes import by_slug
from django_api_errors.models import CatalogueEntry

pytestmark = pytest.mark.django_db


def export(capsys, *args: str) -> str:
    call_command("export_error_catalogue", *args)
    return capsys.readouterr().out


def test_json_lists_every_code_with_its_editorial_fields(capsys):
    CatalogueEntry.objects.filter(slug="out-of-stock").update(hints="Offer a back-order.")

    document = json.loads(export(capsys, "--format", "json"))

    assert [code["code"] for code in document["codes"]] == [
        code.slug for code in sorted(by_slug().values(), key=lambda code: (code.status, code.slug))
    ]
    assert next(code for code in document["codes"] if code["code"] == "out-of-stock") == {
        "code": "out-of-stock",
        "status": 409,
        "description": "The product is sold out.",
        "app": "shop",
        "documentation": "",
        "hints": ["Offer a back-order."],
        "docsUrl": None,
        "link": "/errors/out-of-stock/",
    }


def test_markdown_has_a_table_and_a_section_per_code(capsys):
    CatalogueEntry.objects.filter(slug="out-of-stock").update(
        documentation="Happens when the last item is sold.",
        hints="Offer a back-order.\nShow the restock date.",
        docs_url="https://docs.example.com/stock",
    )

    markdown = export(capsys, "--format", "markdown")

    assert markdown.startswith("# API error codes\n\n| code | status | description |\n| --- | --- | --- |\n")
    assert "| [`not-found`](#not-found) | 404 | The requested resource does not exist. |\n" in markdown
    assert (
        "## out-of-stock\n\n**409** · The product is sold out.\n\nHappens when the last item is sold.\n\n"
        "- Offer a back-order.\n- Show the restock date.\n\n<https://docs.example.com/stock>\n"
    ) in markdown
    assert markdown.count("\n## ") == len(by_slug())


def test_markdown_escapes_pipes_in_table_cells(capsys):
    from django_api_errors import codes
    from django_api_errors.codes import BaseErrorCode

    members = [("P", ("piped-code", 400, "Either a | b."))]
    piped = BaseErrorCode("Piped", members, module="tests.testapp.views")
    try:
        markdown = export(capsys, "--format", "markdown")
    finally:
        codes.unregister(piped)

    assert "| [`piped-code`](#piped-code) | 400 | Either a \\| b. |" in markdown


def test_output_writes_a_file_instead_of_stdout(capsys, tmp_path):
    target = tmp_path / "errors.md"

    printed = export(capsys, "--format", "markdown", "--output", str(target))

    assert printed == ""
    assert target.read_text(encoding="utf-8").startswith("# API error codes\n")


def test_the_export_works_without_the_table_being_synced(capsys):
    CatalogueEntry.objects.all().delete()

    document = json.loads(export(capsys, "--format", "json"))

    assert len(document["codes"]) == len(by_slug())


def test_an_unknown_format_is_refused():
    with pytest.raises(CommandError):
        call_command("export_error_catalogue", "--format", "yaml")
