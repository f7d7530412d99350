"""DRF parsers that answer hostile bodies with 400 ``invalid-model`` instead of a server error.

DRF's ``JSONParser`` turns only ``ValueError`` into a ``ParseError``: JSON nested a few thousand levels
deep makes Python's decoder raise ``RecursionError``, which reaches the handler as a 500. Before DRF
3.18 it also decodes with any codec the ``charset`` names, bytes-to-bytes ones (``zlib``, ``bz2``)
included, so a small body can inflate without bound. And a ``\\u0000`` in a string passes every parser,
but no PostgreSQL text column can hold it, so a view saving it or querying by it fails with a 500.
Use these in place of DRF's::

    REST_FRAMEWORK = {
        "DEFAULT_PARSER_CLASSES": [
            "django_api_errors.parsers.JSONParser",
            "django_api_errors.parsers.FormParser",
            "rest_framework.parsers.MultiPartParser",
        ],
    }
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

TOO_DEEP = _("The JSON body is nested deeper than this API reads.")
NUL_CHARACTER = _("Text in the body may not contain the NUL character (U+0000).")
UNSUPPORTED_CHARSET = _('The charset "%(charset)s" of the request\'s Content-Type is not a text encoding.')


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested too deep, non-text charsets and NUL characters."""

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        """The parsed body; raises ``ParseError`` (400 ``invalid-model``) for anything unreadable."""
        encoding = text_encoding(parser_context)
        try:
            text = stream.read().decode(encoding)
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ParseError(f"JSON parse error - {exc}") from exc
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
        # JSON can only spell NUL as the escape \u0000: look for it in the structure only then.
        if "\\u0000" in text and _holds_nul(data):
            raise ParseError(NUL_CHARACTER)
        return data


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing non-text charsets and NUL characters (``%00``)."""

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> QueryDict:
        """The parsed form; raises ``ParseError`` (400 ``invalid-model``) for a NUL or a non-text charset."""
        encoding = text_encoding(parser_context)
        body = stream.read()
        data = QueryDict(body, encoding=encoding)
        if (b"%00" in body or b"\x00" in body) and _holds_nul(list(data.lists())):
            raise ParseError(NUL_CHARACTER)
        return data


def text_encoding(parser_context: Mapping[str, Any] | None) -> str:
    """The body's charset (Django's default when none is named), refused unless it encodes text."""
    encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
    try:
        "".encode(encoding)  # unlike codecs.getreader(), str.encode() refuses bytes-to-bytes codecs
    except (LookupError, UnicodeError) as exc:
        raise ParseError(UNSUPPORTED_CHARSET % {"charset": encoding}) from exc
    return encoding


def _holds_nul(data: Any) -> bool:
    # A loop over a stack, not recursion: the body may be nested nearly as deep as the decoder allows.
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return False
