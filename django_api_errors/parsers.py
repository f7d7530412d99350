"""DRF's parsers, answering hostile bodies in the standard shape instead of a 500 or a stall: what each
refuses, why, and how to switch them on is in docs/hardening.md."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.utils import json

from django_api_errors.flatten import elided
from django_api_errors.settings import api_errors_settings

TOO_DEEP = _("The JSON body is nested deeper than this API reads.")
NUL_CHARACTER = _("Text in the body may not contain the NUL character (U+0000).")
#: Characters of a refused charset name echoed in the 415 (the name comes from a request header).
MAX_ECHOED_CHARSET = 40
UNSUPPORTED_CHARSET = _(
    'The charset "%(charset)s" of the request\'s Content-Type is not one this API reads; send UTF-8.'
)
TOO_MANY_ESCAPES = _(
    "The form body holds more than %(limit)d percent-escapes; this API reads at most %(limit)d. "
    "Send large text as JSON or multipart."
)
TOO_MANY_VALUES = _(
    "The JSON body holds more than %(limit)d values (array items and object members); "
    "this API reads at most %(limit)d."
)

#: Charsets of JSON bodies, by ``codecs.lookup()``'s name: fast, strict decoders (docs/hardening.md).
TEXT_CHARSETS = frozenset(
    {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "ascii", "iso8859-1", "iso8859-15", "cp1252"}
)
#: Charsets of form and multipart bodies, decoded with ``errors="replace"``: only codecs replacing in C.
FORM_CHARSETS = frozenset({"utf-8", "utf-8-sig", "ascii", "iso8859-1", "iso8859-15"})


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested too deep or holding too many values, charsets outside
    :attr:`charsets` and NUL characters."""

    #: Normalised codec names this parser decodes; a project may subclass with its own set.
    charsets: frozenset[str] = TEXT_CHARSETS

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        """The parsed body; raises ``ParseError`` (400 ``invalid-model``) for anything unreadable."""
        encoding = checked_charset((parser_context or {}).get("encoding"), self.charsets)
        limit = api_errors_settings.MAX_JSON_VALUES
        try:
            text = stream.read().decode(encoding)
            # Counted on the text, before decoding: decoding 2.5 MB of nested arrays costs a second.
            if limit is not None and too_many_json_values(text, limit):
                raise ParseError(TOO_MANY_VALUES % {"limit": limit})
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ParseError(f"JSON parse error - {exc}") from exc
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
        # Valid JSON holds NUL only as the escape \u0000 (an odd run of backslashes before "u0000").
        if "\\u0000" in text and _NUL_ESCAPE.search(text):
            raise ParseError(NUL_CHARACTER)
        return data


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing charsets outside :attr:`charsets` and NUL characters."""

    charsets: frozenset[str] = FORM_CHARSETS
    #: Most ``%XX`` escapes a body may hold (``None``: no limit); each costs 0.3 µs to unquote.
    max_escapes: int | None = 100_000

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> QueryDict:
        """The parsed form; raises ``ParseError`` (400 ``invalid-model``) for too many escapes or a NUL."""
        encoding = checked_charset((parser_context or {}).get("encoding"), self.charsets)
        body = stream.read()
        if self.max_escapes is not None and body.count(b"%") > self.max_escapes:
            raise ParseError(TOO_MANY_ESCAPES % {"limit": self.max_escapes})
        data = QueryDict(body, encoding=encoding)
        refuse_nul(data.lists())
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing charsets outside :attr:`charsets` (of the request and of
    each file part) and NUL characters in field names and values."""

    charsets: frozenset[str] = FORM_CHARSETS

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> parsers.DataAndFiles:
        """The parsed fields and files; 415 for a charset (a file part's too: the view decodes it with
        ``UploadedFile.charset``), 400 ``invalid-model`` for a NUL."""
        checked_charset((parser_context or {}).get("encoding"), self.charsets)
        parsed = super().parse(stream, media_type, parser_context)
        for uploads in parsed.files.lists():
            for upload in uploads[1]:
                if charset := upload.charset:  # the bytes of the part's header
                    checked_charset(
                        charset.decode("latin-1") if isinstance(charset, bytes) else charset, self.charsets
                    )
        refuse_nul(parsed.data.lists())
        return parsed


def checked_charset(name: str | None, allowed: frozenset[str] = TEXT_CHARSETS) -> str:
    """The normalised codec name of charset ``name`` (``None``: ``DEFAULT_CHARSET``); raises 415
    ``unsupported-media-type`` unless it is in ``allowed``."""
    name = name or settings.DEFAULT_CHARSET
    try:
        normalised = codecs.lookup(name).name
    except (LookupError, TypeError, ValueError):
        normalised = None
    if normalised not in allowed:
        shown = elided(name, MAX_ECHOED_CHARSET)
        raise UnsupportedMediaType(shown, detail=UNSUPPORTED_CHARSET % {"charset": shown})
    return normalised


def too_many_json_values(text: str, limit: int) -> bool:
    """Whether JSON ``text`` holds more than ``limit`` values (array items plus object members), exact
    for valid JSON and counted without decoding it (docs/hardening.md, "How many JSON values")."""
    # The commas outside strings plus the non-empty containers; counted in strings too, they only add.
    if text.count(",") + text.count("[") + text.count("{") <= limit:
        return False
    code, start = [], 0
    for number, string in enumerate(_JSON_STRING.finditer(text)):
        if number > 2 * limit:  # a value holds at most two strings: an object member's key and value
            return True
        code.append(text[start : string.start()])
        start = string.end()
    code.append(text[start:])
    # Each string becomes a 0, so ["x"] stays non-empty; without whitespace, [ ] reads as empty.
    outside = "0".join(code).translate(_JSON_WHITESPACE)
    containers = outside.count("[") + outside.count("{") - outside.count("[]") - outside.count("{}")
    return outside.count(",") + containers > limit


#: A JSON string, or from a quote to the end of an unterminated one: it always matches where it starts,
#: so it never backtracks and the scan stays linear.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\[\s\S][^"\\]*)*(?:"|\\?\Z)')
_JSON_WHITESPACE = dict.fromkeys(map(ord, " \t\r\n"))
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def refuse_nul(fields: Iterable[tuple[str, list[Any]]]) -> None:
    """Raise ``ParseError`` (400 ``invalid-model``) when a decoded field name or value holds a NUL."""
    for name, values in fields:
        if "\x00" in name or any(isinstance(value, str) and "\x00" in value for value in values):
            raise ParseError(NUL_CHARACTER)
