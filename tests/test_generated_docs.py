"""Pages generated from the code: the docs' "what each exception becomes" table is the converters table.

Rewrite them with ``API_ERRORS_REWRITE_DOCS=1 .venv/bin/python -m pytest tests/test_generated_docs.py``
and review the diff.
"""

import os
import re
from pathlib import Path

from django_api_errors.pipeline.converters import BUILT_IN_CONVERTERS, ConverterTable

INDEX = Path(__file__).resolve().parent.parent / "docs" / "index.md"
EXCEPTION_TABLE = re.compile(
    r"(<!-- generated: the converters table -->\n)(.*?)(<!-- end of the generated table -->)", re.DOTALL
)
#: Classes some supported Django versions lack: the page names them in prose, below the table.
NOT_IN_EVERY_VERSION = {"ObjectNotUpdated"}


def exception_table() -> str:
    """The markdown table of the built-in converters: one row per run of classes answering alike."""
    table = ConverterTable(BUILT_IN_CONVERTERS)
    rows: list[tuple[list[str], str, str]] = []
    seen: list[type] = []
    for cls, entry in BUILT_IN_CONVERTERS.items():
        if cls.__name__ in NOT_IN_EVERY_VERSION:
            continue
        answers = table.answers(cls)
        if answers:
            status = ", ".join(dict.fromkeys(str(answer.status) for answer in answers))
            code = ", ".join(dict.fromkeys(f"`{answer.code.value}`" for answer in answers))
        else:
            first_line = entry.__doc__.strip().splitlines()[0].rstrip(".")
            status, code = "its own", first_line[0].lower() + first_line[1:]
        name = _name(cls, other=any(issubclass(earlier, cls) for earlier in seen))
        seen.append(cls)
        if rows and rows[-1][1:] == (status, code):
            rows[-1][0].append(name)
        else:
            rows.append(([name], status, code))
    lines = ["| raised | status | code |", "| --- | --- | --- |"]
    lines += [f"| {', '.join(names)} | {status} | {code} |" for names, status, code in rows]
    return "\n".join(lines) + "\n"


def _name(cls: type, other: bool) -> str:
    if cls is BaseException:
        return "anything else"
    owner = {"rest_framework": "DRF ", "django": "Django "}.get(cls.__module__.split(".")[0], "")
    return f"{'any other ' if other else ''}{owner}`{cls.__name__}`"


def test_the_exception_table_of_the_docs_is_the_converters_table():
    page = INDEX.read_text()
    match = EXCEPTION_TABLE.search(page)
    assert match, "docs/index.md must hold the generated table's markers"
    expected = page[: match.start(2)] + exception_table() + page[match.end(2) :]
    if os.environ.get("API_ERRORS_REWRITE_DOCS"):
        INDEX.write_text(expected)
    assert INDEX.read_text() == expected


def test_the_table_names_what_djangos_own_handler_maps():
    table = exception_table()

    assert "| Django `Http404` | 404 | `not-found` |" in table
    assert "| Django `PermissionDenied` | 403 | `unauthorized` |" in table
    assert "| DRF `NotAuthenticated`, DRF `AuthenticationFailed` | 401, 403 | `not-authenticated` |" in table
    assert table.endswith("| anything else | 500 | `server-error` |\n")
