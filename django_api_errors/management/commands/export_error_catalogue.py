"""``manage.py export_error_catalogue``: the catalogue as JSON or Markdown, for docs and clients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from django_api_errors.catalogue.sync import PublishedEntry, entry_as_dict, published_entries


class Command(BaseCommand):
    """Write every registered code with its editorial text to stdout or a file."""

    help = "Export the error catalogue as JSON (for client generators) or Markdown (for a docs site)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "markdown"], default="json")
        parser.add_argument("--output", type=Path, help="Write to this file instead of stdout.")
        parser.add_argument(
            "--language", default=None, help="Language of the descriptions (default: LANGUAGE_CODE)."
        )

    def handle(self, *args: Any, format: str, output: Path | None, language: str | None, **opts: Any) -> None:
        with translation.override(language or settings.LANGUAGE_CODE):
            entries = published_entries()
            if format == "markdown":
                text = as_markdown(entries)
            else:  # the document the public page answers
                codes = [entry_as_dict(entry) for entry in entries]
                text = json.dumps({"codes": codes}, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")


def as_markdown(entries: list[PublishedEntry]) -> str:
    """The catalogue as one Markdown page: a table of every code, then a section per code."""
    gettext = translation.gettext
    header = f"| {gettext('code')} | {gettext('status')} | {gettext('description')} |"
    lines = [f"# {gettext('API error codes')}", "", header, "| --- | --- | --- |"]
    for code, *_ in entries:
        cell = str(code.description).replace("|", "\\|").replace("\n", " ")
        lines.append(f"| [`{code.slug}`](#{code.slug}) | {code.status} | {cell} |")
    for code, documentation, hints, docs_url in entries:
        lines += ["", f"## {code.slug}", "", f"**{code.status}** · {code.description}"]
        if documentation:
            lines += ["", documentation.strip()]
        if hints:
            lines += ["", *(f"- {hint}" for hint in hints)]
        if docs_url:
            lines += ["", f"<{docs_url}>"]
    return "\n".join(lines) + "\n"
