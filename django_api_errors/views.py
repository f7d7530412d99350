"""Public pages of the error catalogue: what each error ``link`` points at.

``/errors/`` lists every code grouped by status, ``/errors/<code>/`` shows one code with an example
body in the active style. Both answer JSON to ``Accept: application/json`` and HTML otherwise; the
templates (``django_api_errors/catalogue.html``, ``django_api_errors/code_detail.html``) can be
overridden by a project. Plain Django views, so a project's DRF authentication or throttling defaults
never hide the documentation of its own errors.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from itertools import groupby
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from django_api_errors.catalogue import (
    PublishedEntry,
    entry_as_dict,
    example_body,
    published_entries,
    published_entry,
)
from django_api_errors.codes import ErrorCode
from django_api_errors.django_views import exception_response
from django_api_errors.errors import ApiError
from django_api_errors.flatten import elided
from django_api_errors.negotiation import accepts_json_not_html

#: Characters of an unknown slug echoed in the 404 (the catalogue's slugs have at most 100).
MAX_ECHOED_SLUG = 100


def catalogue(request: HttpRequest) -> HttpResponse:
    """Every code of the catalogue, grouped by HTTP status."""
    entries = published_entries()
    if wants_json(request):
        response: HttpResponse = JsonResponse({"codes": [entry_as_dict(e, request) for e in entries]})
    else:
        groups = [
            {"status": status, "reason": _reason(status), "entries": list(group)}
            for status, group in groupby(entries, key=lambda entry: entry.status)
        ]
        response = render(request, "django_api_errors/catalogue.html", {"groups": groups})
    patch_vary_headers(response, ["Accept"])
    return response


def code_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One code: status, description, documentation, hints and an example body in the active style."""
    entry = published_entry(slug)
    if entry is None:
        response = _unknown_code(request, slug)
    elif wants_json(request):
        body = {**entry_as_dict(entry, request), "example": example_body(entry.slug, request)}
        response = JsonResponse(body)
    else:
        response = render(request, "django_api_errors/code_detail.html", _detail_context(entry, request))
    patch_vary_headers(response, ["Accept"])
    return response


def wants_json(request: HttpRequest) -> bool:
    """True when the request accepts JSON and does not ask for HTML (browsers always ask for HTML)."""
    return accepts_json_not_html(request.META.get("HTTP_ACCEPT", ""))


def _detail_context(entry: PublishedEntry, request: HttpRequest) -> dict[str, Any]:
    return {
        "entry": entry,
        "reason": _reason(entry.status),
        "example": json.dumps(
            example_body(entry.slug, request), indent=2, ensure_ascii=False, cls=DjangoJSONEncoder
        ),
    }


def _unknown_code(request: HttpRequest, slug: str) -> HttpResponse:
    # The same body the API answers a missing resource with, in whatever style is active.
    shown = elided(slug, MAX_ECHOED_SLUG)
    error = ApiError(
        ErrorCode.NOT_FOUND, details=[_("No error code is called “%(slug)s”.") % {"slug": shown}]
    )
    return exception_response(error, request)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
